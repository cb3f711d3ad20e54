/*
 * store/store_stats.c - fmapi_store_get_stats: what a store holds and what
 * it occupies on disk (include/freemapi_store.h).
 *
 * Every count comes from one SELECT, so they describe one snapshot of the
 * store even while other processes write to it: the messages table is
 * scanned once with filtered aggregates (live and soft-deleted together),
 * and the page counts are read through SQLite's pragma functions in the
 * same statement. Only the -wal file's size is read beside it (stat).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "freemapi_store.h"
#include "mapicode.h"
#include "store/object.h"
#include "store/store.h"

/* Top-level messages only (embedded ones belong to their attachment); a
 * stream is kept in a companion file when its chunk -1 marks it so (see
 * store/stream_chunks.h). */
static const char STATS_SQL[] =
    "SELECT pc.page_count, fc.freelist_count, ps.page_size,"
    " (SELECT count(*) FROM folders WHERE deleted_at IS NULL AND parent_fid IS NOT NULL),"
    " m.live, m.live_bytes, m.soft, m.soft_bytes, s.files, s.file_bytes"
    " FROM pragma_page_count() pc, pragma_freelist_count() fc, pragma_page_size() ps,"
    " (SELECT count(*) FILTER (WHERE deleted_at IS NULL) AS live,"
    "         total(size) FILTER (WHERE deleted_at IS NULL) AS live_bytes,"
    "         count(*) FILTER (WHERE deleted_at IS NOT NULL) AS soft,"
    "         total(size) FILTER (WHERE deleted_at IS NOT NULL) AS soft_bytes"
    "    FROM messages WHERE parent_attach IS NULL) m,"
    " (SELECT count(*) AS files, total(st.size) AS file_bytes FROM streams st"
    "    WHERE EXISTS (SELECT 1 FROM stream_chunks c WHERE c.sid = st.sid AND c.seq = -1)) s";

static uint64_t column_u64(sqlite3_stmt *st, int i)
{
    double d = sqlite3_column_double(st, i); /* total() is a double */
    return d > 0 ? (uint64_t)d : 0;
}

static HRESULT read_counts(fm_store *s, fmapi_store_stats *out)
{
    fm_store_lock(s);
    sqlite3_stmt *st = NULL;
    HRESULT hr = fm_db_prepare(s->db, STATS_SQL, &st);
    if (hr == S_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            uint64_t page = (uint64_t)sqlite3_column_int64(st, 2);
            out->file_bytes = (uint64_t)sqlite3_column_int64(st, 0) * page;
            out->free_bytes = (uint64_t)sqlite3_column_int64(st, 1) * page;
            out->folders = (uint64_t)sqlite3_column_int64(st, 3);
            out->messages = (uint64_t)sqlite3_column_int64(st, 4);
            out->message_bytes = column_u64(st, 5);
            out->soft_deleted = (uint64_t)sqlite3_column_int64(st, 6);
            out->soft_deleted_bytes = column_u64(st, 7);
            out->stream_files = (uint64_t)sqlite3_column_int64(st, 8);
            out->stream_file_bytes = column_u64(st, 9);
        } else {
            hr = fm_db_error(s->db, rc, "reading the store's statistics");
        }
        fm_db_finish(st);
    }
    fm_store_unlock(s);
    return hr;
}

/* The -wal file's size; 0 when there is none (after the last connection
 * checkpointed and removed it). */
static uint64_t wal_size(const fm_store *s)
{
    char path[4200];
    struct stat sb;
    if (snprintf(path, sizeof path, "%s-wal", s->db->path) >= (int)sizeof path)
        return 0;
    return stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

FREEMAPI_PUBLIC HRESULT fmapi_store_get_stats(LPMDB lpMDB, ULONG ulFlags,
                                              fmapi_store_stats *lpStats)
{
    if (lpMDB == NULL || lpStats == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_store_get_stats: %s is NULL",
                            lpMDB == NULL ? "lpMDB" : "lpStats");
    memset(lpStats, 0, sizeof *lpStats);
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "fmapi_store_get_stats: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    fm_object *o = fm_object_of(lpMDB);
    if (o->cls->obj_type != MAPI_STORE)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "fmapi_store_get_stats: not a message store");
    fmapi_store_stats st = { 0 };
    HRESULT hr = read_counts(o->store, &st);
    if (hr != S_OK)
        return hr;
    st.wal_bytes = wal_size(o->store);
    *lpStats = st;
    return S_OK;
}
