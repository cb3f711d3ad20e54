/*
 * tests/store/store_fixture.h - helpers for tests of store objects: a fresh
 * store per test, opening standard folders, and small property helpers.
 */
#ifndef FREEMAPI_TESTS_STORE_FIXTURE_H
#define FREEMAPI_TESTS_STORE_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>

#include "fm_test.h"
#include "freemapi_store.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

static inline const char *fx_store_path(const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s.fmstore", fm_test_tmpdir(), name);
    char side[700];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return path;
}

static inline LPMDB fx_new_store(const char *name)
{
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(fx_store_path(name), FMAPI_STORE_CREATE, &mdb), S_OK);
    return mdb;
}

/* Reads one property; the caller frees with MAPIFreeBuffer. */
static inline LPSPropValue fx_get(void *obj, ULONG tag)
{
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)obj, tag, &v), S_OK);
    return v;
}

static inline HRESULT fx_try_get(void *obj, ULONG tag, LPSPropValue *v)
{
    return HrGetOneProp((LPMAPIPROP)obj, tag, v);
}

/* Opens the folder whose entry ID is property tag of obj. */
static inline LPMAPIFOLDER fx_open_folder_by_prop(LPMDB mdb, void *obj, ULONG tag)
{
    LPSPropValue eid = fx_get(obj, tag);
    ULONG type = 0;
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&f),
                     S_OK);
    assert_int_equal(type, MAPI_FOLDER);
    MAPIFreeBuffer(eid);
    return f;
}

static inline LPMAPIFOLDER fx_inbox(LPMDB mdb)
{
    LPENTRYID eid = NULL;
    ULONG cb = 0;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    ULONG type = 0;
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&f),
                     S_OK);
    MAPIFreeBuffer(eid);
    return f;
}

static inline void fx_set_string(void *obj, ULONG tag, const char *s)
{
    SPropValue v = { .ulPropTag = CHANGE_PROP_TYPE(tag, PT_STRING8), .Value.lpszA = (LPSTR)s };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)obj, &v), S_OK);
}

static inline void fx_assert_string(void *obj, ULONG tag, const char *want)
{
    LPSPropValue v = fx_get(obj, CHANGE_PROP_TYPE(tag, PT_STRING8));
    assert_string_equal(v->Value.lpszA, want);
    MAPIFreeBuffer(v);
}

/* A new message in folder f. */
static inline LPMESSAGE fx_new_message(LPMAPIFOLDER f)
{
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(f, NULL, 0, &m), S_OK);
    return m;
}

/* Opens a message through the store by its PR_ENTRYID value. */
static inline LPMESSAGE fx_reopen(LPMDB mdb, LPSPropValue eid, ULONG flags)
{
    ULONG type = 0;
    LPMESSAGE m = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                         NULL, flags, &type, (LPUNKNOWN *)&m), S_OK);
    assert_int_equal(type, MAPI_MESSAGE);
    return m;
}

/* The integer a query returns, read with a connection of its own: what
 * another program would see in the file (-1 when it cannot be read). */
static inline long fx_count(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long n = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

/* Byte at of the test pattern seed, written and checked by the helpers
 * below. */
static inline BYTE fx_pattern_byte(size_t at, unsigned seed)
{
    return (BYTE)(at * seed + seed + at / 65521);
}

/* Writes n bytes of pattern seed into property tag of obj through
 * OpenProperty(IID_IStream, MAPI_CREATE) and commits. */
static inline void fx_stream_write_pattern(void *obj, ULONG tag, size_t n, unsigned seed)
{
    LPSTREAM s = NULL;
    assert_int_equal(((LPMAPIPROP)obj)->lpVtbl->OpenProperty((LPMAPIPROP)obj, tag, &IID_IStream,
                                                             0, MAPI_CREATE | MAPI_MODIFY,
                                                             (LPUNKNOWN *)&s), S_OK);
    BYTE buf[4096];
    for (size_t done = 0; done < n;) {
        ULONG k = n - done < sizeof buf ? (ULONG)(n - done) : (ULONG)sizeof buf;
        for (ULONG i = 0; i < k; i++)
            buf[i] = fx_pattern_byte(done + i, seed);
        ULONG w = 0;
        assert_int_equal(IStream_Write(s, buf, k, &w), S_OK);
        done += k;
    }
    assert_int_equal(IStream_Commit(s, 0), S_OK);
    IStream_Release(s);
}

/* Property tag of obj holds exactly n bytes of pattern seed. */
static inline void fx_stream_check_pattern(void *obj, ULONG tag, size_t n, unsigned seed)
{
    LPSTREAM s = NULL;
    assert_int_equal(((LPMAPIPROP)obj)->lpVtbl->OpenProperty((LPMAPIPROP)obj, tag, &IID_IStream,
                                                             0, 0, (LPUNKNOWN *)&s), S_OK);
    BYTE buf[4096];
    size_t done = 0;
    ULONG got = 0;
    do {
        assert_int_equal(IStream_Read(s, buf, sizeof buf, &got), S_OK);
        for (ULONG i = 0; i < got; i++)
            if (buf[i] != fx_pattern_byte(done + i, seed))
                fail_msg("byte %zu differs", done + i);
        done += got;
    } while (got > 0);
    assert_int_equal(done, n);
    IStream_Release(s);
}

/* SQLite keeps some process-wide state after its first use; tests warm it
 * up before taking leak baselines. */
static inline void fx_warm_up(void)
{
    LPMDB mdb = NULL;
    if (fmapi_store_open(fx_store_path("warm"), FMAPI_STORE_CREATE, &mdb) == S_OK)
        IMsgStore_Release(mdb);
}

#endif /* FREEMAPI_TESTS_STORE_FIXTURE_H */
