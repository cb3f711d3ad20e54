/*
 * store/submit_queue.c - a store's outgoing queue and its record of
 * received copies (see submit_queue.h for the rule they keep).
 */
#include "mapitags.h"
#include "store/message_tree.h"
#include "store/submit_queue.h"

HRESULT fm_submit_enqueue(fm_store *s, int64_t mid, int64_t now)
{
    /* A message already queued is queued once: SubmitMessage refuses a
     * queued message before it gets here (MAPI_E_SUBMITTED). */
    return fm_db_exec_ints(s->db,
                           "INSERT INTO submit_queue (mid, submitted) VALUES (?1, ?2)",
                           FM_DB_INTS(mid, now), "queueing a message for sending");
}

HRESULT fm_submit_abort(fm_store *s, int64_t mid)
{
    fm_store_lock(s);
    HRESULT hr = fm_db_begin(s->db);
    if (hr != S_OK) {
        fm_store_unlock(s);
        return hr;
    }
    int64_t state = -1;
    hr = fm_db_select_int(s->db, "SELECT state FROM submit_queue WHERE mid = ?1",
                          FM_DB_INTS(mid), -1, &state, "AbortSubmit");
    if (hr == S_OK && state < 0)
        hr = fm_error_set(MAPI_E_NOT_IN_QUEUE, "AbortSubmit: the message is not in the outgoing "
                                               "queue");
    else if (hr == S_OK && state != FM_SUBMIT_QUEUED)
        hr = fm_error_set(MAPI_E_UNABLE_TO_ABORT, "AbortSubmit: the spooler is already "
                                                  "delivering the message");
    if (hr == S_OK)
        hr = fm_db_exec_ints(s->db, "DELETE FROM submit_queue WHERE mid = ?1", FM_DB_INTS(mid),
                             "AbortSubmit");
    if (hr == S_OK)
        hr = fm_db_exec_ints(s->db,
                             "UPDATE messages SET flags = flags & ~?2,"
                             " change_num = change_num + 1 WHERE mid = ?1",
                             FM_DB_INTS(mid, MSGFLAG_SUBMIT), "AbortSubmit");
    hr = fm_db_end(s->db, hr);
    fm_store_unlock(s);
    return hr;
}

HRESULT fm_submit_flags(fm_store *s, int64_t mid, ULONG *out)
{
    int64_t state = -1;
    fm_store_lock(s);
    HRESULT hr = fm_db_select_int(s->db, "SELECT state FROM submit_queue WHERE mid = ?1",
                                  FM_DB_INTS(mid), -1, &state, "reading PR_SUBMIT_FLAGS");
    fm_store_unlock(s);
    if (hr == S_OK && state < 0)
        return MAPI_E_NOT_FOUND;
    if (hr == S_OK)
        *out = state == FM_SUBMIT_LOCKED ? SUBMITFLAG_LOCKED : 0;
    return hr;
}

HRESULT fm_submit_next(fm_store *s, int64_t after, int64_t now, fm_submit_entry *out)
{
    fm_store_lock(s);
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db,
                               "SELECT qid, mid, submitted, state, attempts FROM submit_queue"
                               " WHERE qid > ?1 AND next_attempt <= ?2 ORDER BY qid LIMIT 1",
                               &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, after);
        sqlite3_bind_int64(st, 2, now);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            out->qid = sqlite3_column_int64(st, 0);
            out->mid = sqlite3_column_int64(st, 1);
            out->submitted = sqlite3_column_int64(st, 2);
            out->state = sqlite3_column_int(st, 3);
            out->attempts = sqlite3_column_int(st, 4);
        } else if (rc == SQLITE_DONE) {
            hr = MAPI_E_NOT_FOUND;
        } else {
            hr = fm_db_error(s->db, rc, "reading the outgoing queue");
        }
        fm_db_finish(st);
    }
    fm_store_unlock(s);
    return hr;
}

HRESULT fm_submit_lock(fm_store *s, int64_t qid)
{
    fm_store_lock(s);
    HRESULT hr = fm_db_exec_ints(s->db,
                                 "UPDATE submit_queue SET state = ?2, attempts = attempts + 1"
                                 " WHERE qid = ?1",
                                 FM_DB_INTS(qid, FM_SUBMIT_LOCKED), "locking a submission");
    fm_store_unlock(s);
    return hr;
}

HRESULT fm_submit_defer(fm_store *s, int64_t qid, int64_t next_attempt)
{
    fm_store_lock(s);
    HRESULT hr = fm_db_exec_ints(s->db, "UPDATE submit_queue SET next_attempt = ?2 WHERE qid = ?1",
                                 FM_DB_INTS(qid, next_attempt), "deferring a submission");
    fm_store_unlock(s);
    return hr;
}

HRESULT fm_submit_finish(fm_store *s, int64_t qid, int64_t mid, bool delete_after,
                         int64_t sent_fid, int64_t now)
{
    HRESULT hr = fm_db_exec_ints(s->db, "DELETE FROM submit_queue WHERE qid = ?1",
                                 FM_DB_INTS(qid), "ending a submission");
    if (hr == S_OK && sqlite3_changes(s->db->conn) == 0)
        return fm_error_set(MAPI_E_NOT_IN_QUEUE, "submission %lld was already ended",
                            (long long)qid);
    if (hr != S_OK)
        return hr;
    if (delete_after)
        return fm_message_delete_tree(s->db, mid);
    /* Sent: no longer submitted nor unsent, and read, as a sent item is. */
    return fm_db_exec_ints(s->db,
                           "UPDATE messages SET flags = (flags & ~?2) | ?3,"
                           " fid = CASE WHEN ?4 > 0 THEN ?4 ELSE fid END,"
                           " change_num = change_num + 1, modified = ?5"
                           " WHERE mid = ?1 AND deleted_at IS NULL",
                           FM_DB_INTS(mid, MSGFLAG_SUBMIT | MSGFLAG_UNSENT, MSGFLAG_READ,
                                      sent_fid, now),
                           "moving a sent message");
}

static HRESULT bind_origin(fm_store *s, const char *sql, const MAPIUID *origin, int64_t qid,
                           int64_t target, sqlite3_stmt **st)
{
    HRESULT hr = fm_db_prepare(s->db, sql, st);
    if (hr == S_OK) {
        fm_db_bind_blob(*st, 1, origin->ab, sizeof origin->ab);
        sqlite3_bind_int64(*st, 2, qid);
        sqlite3_bind_int64(*st, 3, target);
    }
    return hr;
}

#define DAY (86400LL * 10000000LL) /* in FILETIME units */

/* Forgets copies received more than FM_DELIVERED_KEEP_DAYS ago, at most
 * once a day per store (the scan is of the whole table): no retry of their
 * submissions can come any more. */
static HRESULT prune_delivered(fm_store *s, int64_t now)
{
    int64_t last = 0;
    HRESULT hr = fm_db_select_int(s->db, "SELECT value FROM store_meta WHERE key ="
                                         " 'delivered_pruned'", FM_DB_NO_INTS, 0, &last,
                                  "reading deliveries");
    if (hr != S_OK || (now - last < DAY && now >= last))
        return hr;
    /* qid > 0: copies of submissions; qid < 0: the "moved from" keys of
     * moves across stores (bulk_copy.c), kept longer */
    hr = fm_db_exec_ints(s->db, "DELETE FROM delivered WHERE (qid > 0 AND at < ?1) OR"
                                " (qid < 0 AND at < ?2)",
                         FM_DB_INTS(now - FM_DELIVERED_KEEP_DAYS * DAY,
                                    now - FM_MOVED_KEEP_DAYS * DAY),
                         "pruning deliveries");
    if (hr == S_OK)
        hr = fm_db_exec_ints(s->db, "INSERT OR REPLACE INTO store_meta VALUES"
                                    " ('delivered_pruned', ?1)",
                             FM_DB_INTS(now), "pruning deliveries");
    return hr;
}

HRESULT fm_delivered_claim(fm_store *s, const MAPIUID *origin, int64_t qid, int64_t target,
                           int64_t mid, int64_t now)
{
    HRESULT hr0 = prune_delivered(s, now);
    if (hr0 != S_OK)
        return hr0;
    sqlite3_stmt *st;
    HRESULT hr = bind_origin(s,
                             "INSERT OR IGNORE INTO delivered (origin, qid, target, mid, at)"
                             " VALUES (?1, ?2, ?3, ?4, ?5)",
                             origin, qid, target, &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 4, mid);
    sqlite3_bind_int64(st, 5, now);
    int rc = sqlite3_step(st);
    fm_db_finish(st);
    if (rc != SQLITE_DONE)
        return fm_db_error(s->db, rc, "recording a delivery");
    if (sqlite3_changes(s->db->conn) == 0)
        return fm_error_set(MAPI_E_COLLISION, "submission %lld was already delivered here",
                            (long long)qid);
    return S_OK;
}

HRESULT fm_delivered_exists(fm_store *s, const MAPIUID *origin, int64_t qid, int64_t target,
                            bool *out)
{
    fm_store_lock(s);
    sqlite3_stmt *st;
    HRESULT hr = bind_origin(s,
                             "SELECT 1 FROM delivered WHERE origin = ?1 AND qid = ?2"
                             " AND target = ?3",
                             origin, qid, target, &st);
    if (hr == S_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW || rc == SQLITE_DONE)
            *out = rc == SQLITE_ROW;
        else
            hr = fm_db_error(s->db, rc, "reading deliveries");
        fm_db_finish(st);
    }
    fm_store_unlock(s);
    return hr;
}

static HRESULT delivered_mid(fm_store *s, const MAPIUID *origin, int64_t qid, int64_t target,
                             int64_t *mid, bool *live)
{
    sqlite3_stmt *st;
    HRESULT hr = bind_origin(s,
                             "SELECT d.mid, EXISTS (SELECT 1 FROM messages m WHERE m.mid = d.mid"
                             " AND m.deleted_at IS NULL) FROM delivered d"
                             " WHERE d.origin = ?1 AND d.qid = ?2 AND d.target = ?3",
                             origin, qid, target, &st);
    if (hr != S_OK)
        return hr;
    int rc = sqlite3_step(st);
    *mid = 0;
    *live = false;
    if (rc == SQLITE_ROW) {
        *mid = sqlite3_column_int64(st, 0);
        *live = sqlite3_column_int(st, 1) != 0;
    } else if (rc != SQLITE_DONE) {
        hr = fm_db_error(s->db, rc, "reading the copies received");
    }
    fm_db_finish(st);
    return hr;
}

HRESULT fm_delivered_live_copy(fm_store *s, const MAPIUID *origin, int64_t qid, int64_t target,
                               int64_t *mid)
{
    bool live = false, found = false;
    HRESULT hr = delivered_mid(s, origin, qid, target, mid, &live);
    found = hr == S_OK && *mid != 0;
    if (hr != S_OK || !found || live)
        return hr;
    *mid = -1;
    sqlite3_stmt *st;
    hr = bind_origin(s, "DELETE FROM delivered WHERE origin = ?1 AND qid = ?2 AND target = ?3",
                     origin, qid, target, &st);
    if (hr != S_OK)
        return hr;
    int rc = sqlite3_step(st);
    fm_db_finish(st);
    return rc == SQLITE_DONE ? S_OK : fm_db_error(s->db, rc, "forgetting a copy that is gone");
}
