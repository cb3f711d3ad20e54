/*
 * tests/store/stream_fixture.h - the per-test store of the stream tests: a
 * fresh store file for each test, opened as a bare fm_db, with the leak
 * baseline taken before it is opened and checked after it is closed, so
 * SQLite's own memory is part of every check. A test file defines
 * STREAM_FIXTURE_PREFIX (the store files' name) before including it.
 */
#ifndef FREEMAPI_TESTS_STREAM_FIXTURE_H
#define FREEMAPI_TESTS_STREAM_FIXTURE_H

#include <stdio.h>

#include "fm_test.h"
#include "db/db.h"
#include "store/schema.h"

static char path_buf[512];
static int store_number;
static fm_db *db;
static fm_test_baseline baseline;

static const char *store_path(int n)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s%d.fmstore", fm_test_tmpdir(), STREAM_FIXTURE_PREFIX,
             n);
    return path_buf;
}

static int open_store(void **state)
{
    (void)state;
    fm_test_baseline_take(&baseline);
    return fm_db_open(store_path(++store_number), FM_DB_CREATE, &FM_STORE_SCHEMA, &db) == S_OK ? 0
                                                                                               : -1;
}

static int close_store(void **state)
{
    (void)state;
    fm_db_close(db);
    db = NULL;
    fm_test_assert_no_leak(&baseline);
    return 0;
}

#endif /* FREEMAPI_TESTS_STREAM_FIXTURE_H */
