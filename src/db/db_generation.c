/*
 * db/db_generation.c - fm_db_generation: has the database changed?
 *
 * PRAGMA data_version moves when another connection (this process or any
 * other) commits; sqlite3_total_changes64 moves with every row this
 * connection changes. Together they cover every writer, for the price of
 * one cheap statement, so a table can check before each call.
 */
#include "db/db.h"

HRESULT fm_db_generation(fm_db *db, uint64_t *out)
{
    int64_t version = 0;
    HRESULT hr = fm_db_select_int(db, "PRAGMA data_version", FM_DB_NO_INTS, 0, &version,
                                  "reading the change counter");
    if (hr == S_OK)
        *out = ((uint64_t)version << 40) ^ (uint64_t)sqlite3_total_changes64(db->conn);
    return hr;
}
