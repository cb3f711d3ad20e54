/*
 * store/bulk_probe.c - fm_bulk_probe_message (see bulk_probe.h): one
 * indexed lookup by primary key, made inside the caller's transaction.
 */
#include "store/bulk_probe.h"

HRESULT fm_bulk_probe_message(fm_store *s, int64_t mid, int64_t fid, bool any_state,
                              const char *what, fm_bulk_probe *out)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db,
                               any_state ? "SELECT flags, assoc FROM messages"
                                           " WHERE mid = ?1 AND fid = ?2"
                                         : "SELECT flags, assoc FROM messages"
                                           " WHERE mid = ?1 AND fid = ?2 AND deleted_at IS NULL",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, mid);
    sqlite3_bind_int64(st, 2, fid);
    int rc = sqlite3_step(st);
    out->found = rc == SQLITE_ROW;
    out->flags = out->found ? (ULONG)sqlite3_column_int64(st, 0) : 0;
    out->assoc = out->found && sqlite3_column_int(st, 1) != 0;
    if (!out->found && rc != SQLITE_DONE)
        hr = fm_db_error(s->db, rc, what);
    fm_db_finish(st);
    return hr;
}
