/*
 * db/db_schema.c - checking a file's kind and version, and moving it to the
 * current schema (fm_db_schema in db.h).
 *
 * The steps run inside one write transaction, so two processes creating or
 * upgrading the same file at once cannot both do it, and a failure leaves
 * the file at its old version. The common case, a current file, is checked
 * without taking the write lock (so read-only connections open too).
 */
#include <stdio.h>

#include "db/db_internal.h"

static HRESULT read_int(fm_db *db, const char *sql, int *out)
{
    int64_t v = 0;
    HRESULT hr = fm_db_select_int(db, sql, FM_DB_NO_INTS, 0, &v, "reading the schema version");
    *out = (int)v;
    return hr;
}

static HRESULT set_version(fm_db *db, const char *name, int value)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA %s = %d", name, value);
    return fm_db_exec(db, sql);
}

/* The version the file's schema is at, or an error saying why the file is
 * not one this schema can move forward. */
static HRESULT file_version(fm_db *db, bool created, int *version)
{
    const fm_db_schema *s = db->schema;
    int app = 0, tables = 0;
    HRESULT hr = read_int(db, "PRAGMA application_id", &app);
    if (hr == S_OK)
        hr = read_int(db, "PRAGMA user_version", version);
    if (hr == S_OK)
        hr = read_int(db, "SELECT count(*) FROM sqlite_schema", &tables);
    if (hr != S_OK)
        return hr;
    if (app == 0 && *version == 0 && tables == 0) {
        if (created || s->init_empty)
            return S_OK;
        return fm_error_set(s->corrupt, "%s is empty, not a %s", db->path, s->kind);
    }
    if (app != s->application_id)
        return fm_error_set(s->corrupt, "%s is an SQLite database but not a freemapi %s", db->path,
                            s->kind);
    if (*version > s->nsteps)
        return fm_error_set(MAPI_E_VERSION,
                            "%s has %s schema version %d; this freemapi reads "
                            "up to %d",
                            db->path, s->kind, *version, s->nsteps);
    if (*version < 1)
        return fm_error_set(s->corrupt, "%s has an invalid schema version %d", db->path, *version);
    return S_OK;
}

static HRESULT run_steps(fm_db *db, int from)
{
    const fm_db_schema *s = db->schema;
    HRESULT hr = S_OK;
    for (int v = from; hr == S_OK && v < s->nsteps; v++)
        hr = fm_db_exec(db, s->steps[v]);
    if (hr == S_OK)
        hr = set_version(db, "application_id", s->application_id);
    if (hr == S_OK)
        hr = set_version(db, "user_version", s->nsteps);
    return hr;
}

HRESULT fm_db_schema_migrate(fm_db *db, bool created)
{
    int version = 0;
    HRESULT hr = file_version(db, created, &version);
    if (hr != S_OK || version == db->schema->nsteps)
        return hr;
    hr = fm_db_begin(db);
    if (hr != S_OK)
        return hr;
    /* Again under the lock: another process may have moved it meanwhile. */
    hr = file_version(db, created, &version);
    if (hr == S_OK && version < db->schema->nsteps)
        hr = run_steps(db, version);
    return fm_db_end(db, hr);
}
