/*
 * spool/spool.c - one spooler run over a mailbox's queue (see spool.h):
 * every due submission is locked, its recipients resolved and delivered,
 * and ended with its report; a submission that fails for a reason that may
 * pass is put back with back-off (one minute, doubling, at most an hour).
 * Once it has been queued FM_SPOOL_LIFETIME_SECONDS, such a failure instead
 * marks the recipient undeliverable (maximum time expired) and the
 * submission ends with its report, as Exchange expires a message.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapitags.h"
#include "spool/spool.h"
#include "store/message.h"
#include "store/submit_queue.h"

#define FILETIME_SECOND 10000000LL
#define BACKOFF_FIRST (60 * FILETIME_SECOND)
#define BACKOFF_MAX (3600 * FILETIME_SECOND)

static const SizedSPropTagArray(8, RECIP_COLUMNS) = {
    8,
    { PR_ROWID, PR_DISPLAY_NAME_A, PR_ADDRTYPE_A, PR_EMAIL_ADDRESS_A, PR_SMTP_ADDRESS_A,
      PR_ENTRYID, PR_RECIPIENT_TYPE, PR_SEARCH_KEY },
};

static int64_t backoff(int attempts)
{
    int64_t d = BACKOFF_FIRST;
    for (int i = 1; i < attempts && d < BACKOFF_MAX; i++)
        d *= 2;
    return d < BACKOFF_MAX ? d : BACKOFF_MAX;
}

_Static_assert(FM_SPOOL_LIFETIME_SECONDS + 3600 < FM_DELIVERED_KEEP_DAYS * 86400,
               "a retry must never outlive the records of the copies it made");

bool fm_spool_expired(const fm_submit_entry *e)
{
    return fm_store_now() - e->submitted >= FM_SPOOL_LIFETIME_SECONDS * FILETIME_SECOND;
}

/* A delivery to r that failed with hr: past the submission's lifetime a
 * failure that may pass (not the lack of memory) makes r undeliverable and
 * lets the run go on (S_OK); before it, hr defers the submission. */
static HRESULT give_up_on(const fm_submit_entry *e, fm_spool_recip *r, HRESULT hr)
{
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY || !fm_spool_expired(e))
        return hr;
    r->failed = true;
    r->reason = MAPI_REASON_TRANSFER_FAILED;
    r->diag = MAPI_DIAG_MAXIMUM_TIME_EXPIRED;
    r->text = "the message could not be delivered within two days";
    return S_OK;
}

static HRESULT read_recipients(IMessage *src, LPSRowSet *rows)
{
    LPMAPITABLE t = NULL;
    HRESULT hr = IMessage_GetRecipientTable(src, 0, &t);
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&RECIP_COLUMNS, NULL, NULL, 0, rows);
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

/* Delivers to every user recipient r reaches that `done` does not hold yet. */
static HRESULT deliver_recipient(fmapi_site *site, fm_store *s, const fm_submit_entry *e,
                                 IMessage *src, fm_spool_recip *r, int64_t **done,
                                 size_t *ndone, fm_spool_stats *st)
{
    int64_t *users = NULL;
    size_t n = 0;
    HRESULT hr = fm_spool_resolve(site, r, &users, &n);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < *ndone && !seen; j++)
            seen = (*done)[j] == users[i];
        if (seen)
            continue;
        int64_t *grown = fm_realloc(*done, (*ndone + 1) * sizeof **done);
        if (grown == NULL) {
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory delivering a message");
            break;
        }
        *done = grown;
        (*done)[(*ndone)++] = users[i];
        fm_site_entry user = { 0 };
        bool skipped = false;
        hr = fm_spool_entry(site, users[i], &user);
        if (hr == S_OK)
            hr = fm_spool_deliver(site, &user, src, &s->uid, e->qid, &skipped);
        if (hr != S_OK) {
            fm_site_entry_clear(&user);
            if ((hr = give_up_on(e, r, hr)) != S_OK)
                break;
            continue;
        }
        if (skipped)
            st->skipped++;
        else if (hr == S_OK)
            st->copies++;
        fm_site_entry_clear(&user);
    }
    fm_free(users);
    return hr;
}

static HRESULT spool_one(fmapi_site *site, fm_store *s, const fm_submit_entry *e,
                         fm_spool_stats *st)
{
    IMessage *src = NULL;
    HRESULT hr = fm_message_open(s, e->mid, false, &src);
    if (hr == MAPI_E_NOT_FOUND) { /* purged meanwhile: nothing left to send */
        bool reported = false;
        return fm_spool_finish(s, e->qid, e->mid, NULL, NULL, 0, &reported);
    }
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = read_recipients(src, &rows);
    fm_spool_recip *recips = NULL;
    size_t n = rows != NULL ? rows->cRows : 0;
    if (hr == S_OK && n > 0 && (recips = fm_calloc(n, sizeof *recips)) == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory delivering a message");
    int64_t *done = NULL;
    size_t ndone = 0;
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        recips[i].props = rows->aRow[i].lpProps;
        recips[i].cValues = rows->aRow[i].cValues;
        hr = deliver_recipient(site, s, e, src, &recips[i], &done, &ndone, st);
    }
    if (hr == S_OK)
        hr = fm_spool_outbound(site, s, e, src, recips, n, &st->relayed);
    bool reported = false;
    if (hr == S_OK)
        hr = fm_spool_finish(s, e->qid, e->mid, src, recips, n, &reported);
    if (hr == S_OK) {
        st->submissions++;
        st->reports += reported;
    }
    fm_free(done);
    for (size_t i = 0; recips != NULL && i < n; i++)
        fm_free(recips[i].reply);
    fm_free(recips);
    FreeProws(rows);
    if (src != NULL)
        IMessage_Release(src);
    return hr;
}

HRESULT fm_spool_run(fmapi_site *site, fm_store *s, fm_spool_stats *stats)
{
    fm_spool_stats local;
    fm_spool_stats *st = stats != NULL ? stats : &local;
    memset(st, 0, sizeof *st);
    int64_t after = 0;
    for (;;) {
        fm_submit_entry e;
        HRESULT hr = fm_submit_next(s, after, fm_store_now(), &e);
        if (hr == MAPI_E_NOT_FOUND)
            return S_OK;
        if (hr == S_OK)
            hr = fm_submit_lock(s, e.qid);
        if (hr != S_OK)
            return hr;
        after = e.qid;
        if (spool_one(site, s, &e, st) != S_OK) {
            /* Kept queued (and locked: what it delivered stays delivered). */
            st->deferred++;
            hr = fm_submit_defer(s, e.qid, fm_store_now() + backoff(e.attempts + 1));
            if (hr != S_OK)
                return hr;
        }
    }
}
