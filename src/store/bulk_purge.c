/*
 * store/bulk_purge.c - the purge of soft-deleted messages and folders (see
 * bulk_purge.h).
 *
 * The walk goes folder by folder (by fid, deleted folders included) and
 * within each takes the first entry of the index of soft-deleted messages
 * (messages_soft_deleted: fid, assoc, deleted_at) that is old enough: one
 * descent per message, no list of IDs, and each purged message leaves the
 * index. Hard deletion reuses message_tree.c, which frees the message's
 * recipients, attachments, embedded messages and streams; streams kept in
 * companion files are removed after their batch commits (bulk_batch.c).
 */
#include "core/error.h"
#include "mapicode.h"
#include "store/bulk_batch.h"
#include "store/bulk_purge.h"
#include "store/message_tree.h"
#include "store/stream.h"

typedef struct purge_ctx {
    fm_store *s;
    int64_t cutoff;
    int64_t fid; /* folder being purged */
    int assoc;
    ULONG done;
} purge_ctx;

static HRESULT next_in_folder(purge_ctx *c, int64_t *mid)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(c->s->db, "SELECT mid FROM messages WHERE fid = ?1 AND assoc = ?2"
                                         " AND deleted_at IS NOT NULL AND deleted_at <= ?3"
                                         " LIMIT 1", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, c->fid);
    sqlite3_bind_int(st, 2, c->assoc);
    sqlite3_bind_int64(st, 3, c->cutoff);
    int rc = sqlite3_step(st);
    *mid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        hr = fm_db_error(c->s->db, rc, "purging deleted messages");
    fm_db_finish(st);
    return hr;
}

static HRESULT next_folder(purge_ctx *c)
{
    int64_t after = c->fid;
    c->assoc = 0;
    return fm_db_select_int(c->s->db, "SELECT min(fid) FROM folders WHERE fid > ?1",
                            FM_DB_INTS(after), 0, &c->fid, "purging deleted messages");
}

static HRESULT purge_step(void *ctx, bool *more)
{
    purge_ctx *c = ctx;
    int64_t mid = 0;
    HRESULT hr = S_OK;
    while (hr == S_OK && mid == 0 && c->fid != 0) {
        hr = next_in_folder(c, &mid);
        if (hr == S_OK && mid == 0 && ++c->assoc > 1)
            hr = next_folder(c);
    }
    if (hr != S_OK || mid == 0) {
        *more = false;
        return hr;
    }
    hr = fm_message_delete_tree(c->s->db, mid);
    if (hr == S_OK)
        c->done++;
    return hr;
}

/* Removes one soft-deleted folder of the age with no message left; *found. */
static HRESULT purge_folder(fm_store *s, int64_t cutoff, bool *found)
{
    int64_t fid = 0;
    fm_store_lock(s);
    HRESULT hr = fm_db_begin(s->db);
    if (hr == S_OK) {
        /* Each NOT EXISTS spells its deleted_at test so it can use its index. */
        hr = fm_db_select_int(s->db,
                              "SELECT fid FROM folders f WHERE deleted_at IS NOT NULL"
                              " AND deleted_at <= ?1 AND NOT EXISTS (SELECT 1 FROM"
                              " messages m WHERE m.fid = f.fid AND m.deleted_at IS NULL)"
                              " AND NOT EXISTS (SELECT 1 FROM messages m WHERE"
                              " m.fid = f.fid AND m.deleted_at IS NOT NULL) LIMIT 1",
                              FM_DB_INTS(cutoff), 0, &fid, "purging deleted folders");
        if (hr == S_OK && fid != 0)
            hr = fm_stream_delete_owned(s->db, FM_STREAM_OWNER_FOLDER, fid);
        if (hr == S_OK && fid != 0)
            hr = fm_db_exec_ints(s->db, "DELETE FROM folders WHERE fid = ?1", FM_DB_INTS(fid),
                                 "purging deleted folders");
        hr = hr == S_OK ? fm_db_commit(s->db) : (fm_db_rollback(s->db), hr);
    }
    fm_store_unlock(s);
    *found = hr == S_OK && fid != 0;
    return hr;
}

HRESULT fm_bulk_purge(fm_store *s, int64_t cutoff, LPMAPIPROGRESS lpProgress, ULONG *purged)
{
    int64_t n = 0;
    purge_ctx c = { .s = s, .cutoff = cutoff };
    fm_store_lock(s);
    HRESULT hr = fm_db_select_int(s->db,
                                  "SELECT count(*) FROM messages WHERE"
                                  " deleted_at IS NOT NULL AND deleted_at <= ?1",
                                  FM_DB_INTS(cutoff), 0, &n, "purging deleted messages");
    if (hr == S_OK)
        hr = next_folder(&c);
    fm_store_unlock(s);
    fm_progress pr;
    if (hr == S_OK)
        hr = fm_progress_start(&pr, lpProgress, (ULONG)n);
    if (hr == S_OK) {
        fm_bulk_loop l = { .s = s, .step = purge_step, .ctx = &c, .pr = &pr, .done = &c.done };
        hr = fm_bulk_run(&l);
    }
    for (bool found = true; hr == S_OK && found;)
        hr = purge_folder(s, cutoff, &found);
    *purged = c.done;
    return hr;
}

/* ---- the public extension ------------------------------------------------------------- */

#include <stdint.h>
#include "freemapi_store.h"
#include "store/object.h"

FREEMAPI_PUBLIC HRESULT fmapi_store_purge(LPMDB lpMDB, ULONG ulMinAgeSeconds,
                                          LPMAPIPROGRESS lpProgress, ULONG ulFlags,
                                          ULONG *lpcPurged)
{
    if (lpcPurged != NULL)
        *lpcPurged = 0;
    if (lpMDB == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_store_purge: lpMDB is NULL");
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "fmapi_store_purge: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    fm_object *o = fm_object_of(lpMDB);
    if (o->cls->obj_type != MAPI_STORE)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_store_purge: not a message store");
    if (o->store->readonly)
        return fm_error_set(MAPI_E_NO_ACCESS, "fmapi_store_purge: the store is open read-only");
    /* deleted_at is a FILETIME count: 10,000,000 per second. */
    int64_t cutoff = ulMinAgeSeconds == 0 ? INT64_MAX
                                          : fm_store_now() - (int64_t)ulMinAgeSeconds * 10000000;
    ULONG n = 0;
    HRESULT hr = fm_bulk_purge(o->store, cutoff, lpProgress, &n);
    if (lpcPurged != NULL)
        *lpcPurged = n;
    return hr;
}
