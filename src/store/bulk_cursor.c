/*
 * store/bulk_cursor.c - the keyset walk of a folder's live messages (see
 * bulk_cursor.h). Each query spells `deleted_at IS NULL` so that SQLite
 * uses the partial index, and seeks on (delivery_time, mid) in two steps
 * (equal time and a later mid, then a later time): a row-value comparison
 * would seek on the time alone and scan every message sharing it.
 */
#include <stdint.h>

#include "store/bulk_cursor.h"

#define LIVE "fid = ?1 AND assoc = ?2 AND deleted_at IS NULL AND mid <= ?5"

static const char *const SQL[3] = {
    "SELECT mid, delivery_time FROM messages WHERE " LIVE
    " AND delivery_time IS NULL AND mid > ?4 ORDER BY mid LIMIT 1",
    "SELECT mid, delivery_time FROM messages WHERE " LIVE
    " AND delivery_time = ?3 AND mid > ?4 ORDER BY mid LIMIT 1",
    "SELECT mid, delivery_time FROM messages WHERE " LIVE
    " AND delivery_time > ?3 ORDER BY delivery_time, mid LIMIT 1",
};

void fm_bulk_cursor_init(fm_bulk_cursor *c, int64_t fid, int assoc, int64_t max_mid)
{
    *c = (fm_bulk_cursor){ .fid = fid, .assoc = assoc, .delivery = INT64_MIN,
                           .max_mid = max_mid };
}

static HRESULT run(fm_db *db, fm_bulk_cursor *c, int which, bool *found)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db, SQL[which], &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, c->fid);
    sqlite3_bind_int(st, 2, c->assoc);
    sqlite3_bind_int64(st, 3, c->delivery);
    sqlite3_bind_int64(st, 4, c->mid);
    sqlite3_bind_int64(st, 5, c->max_mid);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found) {
        c->mid = sqlite3_column_int64(st, 0);
        if (which > 0)
            c->delivery = sqlite3_column_int64(st, 1);
    } else if (rc != SQLITE_DONE) {
        hr = fm_db_error(db, rc, "walking a folder's messages");
    }
    fm_db_finish(st);
    return hr;
}

HRESULT fm_bulk_cursor_next(fm_db *db, fm_bulk_cursor *c, int64_t *mid)
{
    bool found = false;
    HRESULT hr = S_OK;
    *mid = 0;
    if (c->seg == 0) {
        hr = run(db, c, 0, &found);
        if (hr == S_OK && !found) {
            c->seg = 1;
            c->mid = 0;
        }
    }
    if (hr == S_OK && !found && c->seg == 1) {
        if (c->delivery != INT64_MIN)
            hr = run(db, c, 1, &found);
        if (hr == S_OK && !found)
            hr = run(db, c, 2, &found);
        if (hr == S_OK && !found)
            c->seg = 2;
    }
    if (hr == S_OK && found)
        *mid = c->mid;
    return hr;
}
