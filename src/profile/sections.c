/*
 * profile/sections.c - the profile sections of the profile store
 * (profstore.h): each section's properties kept as one property blob, the
 * encoding of the store's objects (store/propblob.h).
 */
#include "core/alloc.h"
#include "profile/profstore.h"
#include "store/propblob.h"

HRESULT fm_section_read(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid,
                        ULONG *cvals, LPSPropValue *vals)
{
    *cvals = 0;
    *vals = NULL;
    sqlite3_stmt *st;
    HRESULT hr =
        fm_db_prepare(ps->db, "SELECT props FROM sections WHERE profile = ?1 AND uid = ?2", &st);
    if (hr != S_OK)
        return hr;
    fm_db_bind_blob(st, 1, profile->ab, 16);
    fm_db_bind_blob(st, 2, uid->ab, 16);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        hr = fm_propblob_decode(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                                NULL, cvals, vals);
        if (hr == MAPI_E_CORRUPT_STORE)
            hr = fm_error_set(MAPI_E_CORRUPT_DATA, "a profile section is damaged");
    } else if (rc != SQLITE_DONE) {
        hr = fm_db_error(ps->db, rc, "reading a profile section");
    }
    fm_db_finish(st);
    return hr;
}

HRESULT fm_section_write(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid,
                         ULONG cvals, const SPropValue *vals)
{
    void *blob = NULL;
    size_t len = 0;
    HRESULT hr = fm_propblob_encode(cvals, vals, &blob, &len);
    if (hr != S_OK)
        return hr;
    sqlite3_stmt *st;
    hr = fm_db_prepare(ps->db, "INSERT OR REPLACE INTO sections VALUES (?1, ?2, ?3)", &st);
    if (hr == S_OK) {
        fm_db_bind_blob(st, 1, profile->ab, 16);
        fm_db_bind_blob(st, 2, uid->ab, 16);
        fm_db_bind_blob(st, 3, blob, len);
        hr = fm_db_run(ps->db, st, "writing a profile section");
    }
    fm_free(blob);
    return hr;
}
