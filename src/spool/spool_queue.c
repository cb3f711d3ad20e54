/*
 * spool/spool_queue.c - the outgoing queue for administration
 * (freemapi_queue.h, `mapi queue`): listing submissions with each
 * recipient's state, making them due, taking them out, running the spooler.
 *
 * A recipient is shown relayed when the sender's store holds the record
 * the relay's acceptance left (spool_outbound.c); copies into local
 * mailboxes are recorded in those mailboxes, so they are not looked up
 * here: a local recipient shows as due until the submission ends.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "freemapi_queue.h"
#include "mapitags.h"
#include "mapix.h"
#include "spool/spool.h"
#include "store/message.h"
#include "store/object.h"

static const SizedSPropTagArray(5, RECIP_TAGS) = {
    5, { PR_ROWID, PR_DISPLAY_NAME_A, PR_EMAIL_ADDRESS_A, PR_SMTP_ADDRESS_A, PR_ADDRTYPE_A }
};

static HRESULT store_of(LPMDB mdb, const char *what, fm_store **out)
{
    if (mdb == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: no store", what);
    fm_object *o = fm_object_of(mdb);
    if (o->cls->obj_type != MAPI_STORE)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: not a message store", what);
    *out = o->store;
    return S_OK;
}

static void filetime(FILETIME *ft, int64_t t)
{
    ft->dwLowDateTime = (ULONG)((uint64_t)t & 0xFFFFFFFFu);
    ft->dwHighDateTime = (ULONG)((uint64_t)t >> 32);
}

typedef struct row {
    int64_t qid, mid, submitted, next;
    int state, attempts;
} row;

static HRESULT next_row(fm_store *s, int64_t after, row *r)
{
    fm_store_lock(s);
    sqlite3_stmt *st = NULL;
    HRESULT hr = fm_db_prepare(s->db,
                               "SELECT qid, mid, submitted, state, attempts, next_attempt"
                               " FROM submit_queue WHERE qid > ?1 ORDER BY qid LIMIT 1",
                               &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, after);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            r->qid = sqlite3_column_int64(st, 0);
            r->mid = sqlite3_column_int64(st, 1);
            r->submitted = sqlite3_column_int64(st, 2);
            r->state = sqlite3_column_int(st, 3);
            r->attempts = sqlite3_column_int(st, 4);
            r->next = sqlite3_column_int64(st, 5);
        } else {
            hr = rc == SQLITE_DONE ? MAPI_E_NOT_FOUND : fm_db_error(s->db, rc, "reading the queue");
        }
        fm_db_finish(st);
    }
    fm_store_unlock(s);
    return hr;
}

static const char *text(const SPropValue *v, ULONG tag)
{
    return v->ulPropTag == tag && v->Value.lpszA != NULL ? v->Value.lpszA : NULL;
}

/* The recipients of message src with their states, into *out. */
static HRESULT recipients(fm_store *s, int64_t qid, IMessage *src, LPSRowSet *rows,
                          fmapi_queue_recipient **out)
{
    LPMAPITABLE t = NULL;
    HRESULT hr = IMessage_GetRecipientTable(src, 0, &t);
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&RECIP_TAGS, NULL, NULL, 0, rows);
    if (t != NULL)
        IMAPITable_Release(t);
    if (hr != S_OK)
        return hr;
    ULONG n = (*rows)->cRows;
    if ((*out = fm_calloc(n ? n : 1, sizeof **out)) == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory listing the queue");
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        const SPropValue *v = (*rows)->aRow[i].lpProps;
        fmapi_queue_recipient *r = &(*out)[i];
        r->name = text(&v[1], PR_DISPLAY_NAME_A);
        r->address = text(&v[3], PR_SMTP_ADDRESS_A);
        if (r->address == NULL)
            r->address = text(&v[2], PR_EMAIL_ADDRESS_A);
        bool relayed = false;
        if (v[0].ulPropTag == PR_ROWID)
            hr = fm_delivered_exists(s, &s->uid, qid, -1 - (int64_t)v[0].Value.l, &relayed);
        r->status = relayed ? FMAPI_QUEUE_RCPT_RELAYED : FMAPI_QUEUE_RCPT_DUE;
    }
    return hr;
}

static HRESULT list_one(fm_store *s, const row *r, fmapi_queue_fn fn, void *ctx)
{
    IMessage *src = NULL;
    LPSRowSet rows = NULL;
    fmapi_queue_recipient *rcpts = NULL;
    LPSPropValue subject = NULL;
    fmapi_queue_entry e = { .id = r->qid, .attempts = (ULONG)r->attempts, .subject = "",
                            .state = r->state == FM_SUBMIT_QUEUED ? FMAPI_QUEUE_WAITING
                                                                  : FMAPI_QUEUE_TAKEN };
    filetime(&e.submitted, r->submitted);
    filetime(&e.next_attempt, r->next);
    HRESULT hr = fm_message_open(s, r->mid, false, &src);
    if (hr == MAPI_E_NOT_FOUND) /* purged meanwhile: the spooler ends it */
        return fn(ctx, &e);
    if (hr == S_OK)
        hr = recipients(s, r->qid, src, &rows, &rcpts);
    if (hr == S_OK && HrGetOneProp((LPMAPIPROP)src, PR_SUBJECT_A, &subject) == S_OK)
        e.subject = subject->Value.lpszA;
    if (hr == S_OK) {
        e.cRecipients = rows->cRows;
        e.recipients = rcpts;
        hr = fn(ctx, &e);
    }
    MAPIFreeBuffer(subject);
    fm_free(rcpts);
    FreeProws(rows);
    if (src != NULL)
        IMessage_Release(src);
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_queue_list(LPMDB lpMDB, fmapi_queue_fn fn, void *ctx)
{
    fm_store *s = NULL;
    HRESULT hr = store_of(lpMDB, "fmapi_queue_list", &s);
    if (hr == S_OK && fn == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_queue_list: no callback");
    row r = { 0 };
    while (hr == S_OK && (hr = next_row(s, r.qid, &r)) == S_OK)
        hr = list_one(s, &r, fn, ctx);
    return hr == MAPI_E_NOT_FOUND ? S_OK : hr;
}

static HRESULT changed(fm_store *s, const char *what, LONGLONG id)
{
    if (sqlite3_changes(s->db->conn) > 0)
        return S_OK;
    return id == 0 ? S_OK
                   : fm_error_set(MAPI_E_NOT_FOUND, "%s: no submission %lld in the queue", what,
                                  (long long)id);
}

FREEMAPI_PUBLIC HRESULT fmapi_queue_retry(LPMDB lpMDB, LONGLONG id)
{
    fm_store *s = NULL;
    HRESULT hr = store_of(lpMDB, "fmapi_queue_retry", &s);
    if (hr != S_OK)
        return hr;
    fm_store_lock(s);
    hr = id == 0 ? fm_db_exec_ints(s->db, "UPDATE submit_queue SET next_attempt = 0", NULL, 0,
                                   "retrying the queue")
                 : fm_db_exec_ints(s->db, "UPDATE submit_queue SET next_attempt = 0 WHERE qid = ?1",
                                   FM_DB_INTS(id), "retrying a submission");
    if (hr == S_OK)
        hr = changed(s, "fmapi_queue_retry", id);
    fm_store_unlock(s);
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_queue_delete(LPMDB lpMDB, LONGLONG id)
{
    fm_store *s = NULL;
    HRESULT hr = store_of(lpMDB, "fmapi_queue_delete", &s);
    if (hr != S_OK)
        return hr;
    if (id <= 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_queue_delete: no submission id");
    fm_store_lock(s);
    hr = fm_db_begin(s->db);
    if (hr != S_OK) {
        fm_store_unlock(s);
        return hr;
    }
    int64_t mid = -1;
    hr = fm_db_select_int(s->db, "SELECT mid FROM submit_queue WHERE qid = ?1", FM_DB_INTS(id), -1,
                          &mid, "fmapi_queue_delete");
    if (hr == S_OK && mid < 0)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "fmapi_queue_delete: no submission %lld in the queue",
                          (long long)id);
    if (hr == S_OK)
        hr = fm_db_exec_ints(s->db, "DELETE FROM submit_queue WHERE qid = ?1", FM_DB_INTS(id),
                             "fmapi_queue_delete");
    if (hr == S_OK)
        hr = fm_db_exec_ints(s->db,
                             "UPDATE messages SET flags = flags & ~?2,"
                             " change_num = change_num + 1 WHERE mid = ?1",
                             FM_DB_INTS(mid, MSGFLAG_SUBMIT), "fmapi_queue_delete");
    hr = fm_db_end(s->db, hr);
    fm_store_unlock(s);
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_queue_flush(fmapi_site *site, LPMDB lpMDB, ULONG *lpcLeft)
{
    fm_store *s = NULL;
    HRESULT hr = store_of(lpMDB, "fmapi_queue_flush", &s);
    if (hr == S_OK && site == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_queue_flush: no site");
    if (hr == S_OK && s->readonly)
        hr = fm_error_set(MAPI_E_NO_ACCESS, "fmapi_queue_flush: the store is open read-only");
    if (hr == S_OK)
        hr = fm_spool_run(site, s, NULL);
    if (hr == S_OK && lpcLeft != NULL) {
        int64_t n = 0;
        fm_store_lock(s);
        hr = fm_db_select_int(s->db, "SELECT count(*) FROM submit_queue", NULL, 0, 0, &n,
                              "counting the queue");
        fm_store_unlock(s);
        *lpcLeft = (ULONG)n;
    }
    return hr;
}
