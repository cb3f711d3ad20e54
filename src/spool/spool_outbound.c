/*
 * spool/spool_outbound.c - the recipients a site does not know, sent through
 * the site's relay (freemapi_relay.h).
 *
 * The spooler cannot write MIME itself (libfreemapi-mime is built above
 * it, on the public API), so it hands the message and the outside
 * recipients to the outbound transport the program registered
 * (fmapi_outbound_register; libfreemapi-relay's SMTP client) and keeps
 * what this layer owns: which recipients are still due, the record of the
 * accepted ones, retries and the report.
 *
 * A recipient the relay accepted is recorded in the sender's own store, in
 * the `delivered` table local copies use (store/submit_queue.h), with the
 * sender's UID as origin and target -(1 + the recipient's PR_ROWID): rows
 * of a queued message are locked, so the row id names the recipient for
 * every attempt, and local targets (directory ids) are positive. The
 * transport calls ack() between the relay's final 250 and its QUIT; the
 * record is one transaction. A crash between the 250 and that commit is
 * the one window in which a recipient can get the message twice.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/error.h"
#include "freemapi_relay.h"
#include "mapitags.h"
#include "mapix.h"
#include "spool/spool.h"

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static fmapi_outbound_send_fn registered_fn;
static void *registered_ctx;

FREEMAPI_PUBLIC HRESULT fmapi_outbound_register(fmapi_outbound_send_fn fn, void *ctx)
{
    pthread_mutex_lock(&registry_lock);
    registered_fn = fn;
    registered_ctx = ctx;
    pthread_mutex_unlock(&registry_lock);
    return S_OK;
}

static int64_t relay_target(const fm_spool_recip *r)
{
    for (ULONG i = 0; i < r->cValues; i++)
        if (r->props[i].ulPropTag == PR_ROWID)
            return -1 - (int64_t)r->props[i].Value.l;
    return 0; /* never: every row of a saved message has one */
}

/* What the spooler knows of one attempt. */
typedef struct attempt {
    fm_store *s;
    const fm_submit_entry *e;
    fm_spool_recip **rows;     /* the outside recipients still due */
    fmapi_outbound_rcpt *rcpts; /* the same, for the transport */
    ULONG n;
    unsigned acked;
} attempt;

static HRESULT ack(void *ctx, const ULONG *which, ULONG n)
{
    attempt *a = ctx;
    fm_store_lock(a->s);
    HRESULT hr = fm_db_begin(a->s->db);
    if (hr != S_OK) {
        fm_store_unlock(a->s);
        return hr;
    }
    int64_t now = fm_store_now();
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        if (which[i] >= a->n) {
            hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "outbound ack of recipient %lu of %lu",
                              (unsigned long)which[i], (unsigned long)a->n);
            break;
        }
        hr = fm_delivered_claim(a->s, &a->s->uid, a->e->qid, relay_target(a->rows[which[i]]),
                                a->e->mid, now);
        if (hr == MAPI_E_COLLISION) /* acked twice: once is enough */
            hr = S_OK;
    }
    hr = fm_db_end(a->s->db, hr);
    fm_store_unlock(a->s);
    if (hr == S_OK)
        a->acked += n;
    return hr;
}

/* The reason and diagnostic codes of an SMTP refusal: the RFC 3463 status
 * of the reply read as [MS-OXCMAIL] 2.2.3.7.1.3 reads a DSN's Status field
 * (libfreemapi-mime does the same for a DSN received later, so a refusal
 * gets the same codes whichever way it comes): its table for the address
 * (x.1.y) and mailbox (x.2.y) subjects, the section's initial values
 * (MAPI_DIAG_NO_DIAGNOSTIC, MAPI_REASON_TRANSFER_FAILED) otherwise. */
static void codes_of(const char *reply, LONG *reason, LONG *diag)
{
    static const LONG ADDRESS[] = { 0, 35, 48, 32, 1, 0, 40 }; /* x.1.0 - x.1.6 */
    static const LONG MAILBOX[] = { -1, 38, 13, 13, 30 };      /* x.2.0 - x.2.4 */
    *reason = MAPI_REASON_TRANSFER_FAILED;
    *diag = MAPI_DIAG_NO_DIAGNOSTIC;
    const char *p = strchr(reply, ' ');
    if (p == NULL || p[1] < '2' || p[1] > '5' || p[2] != '.' || p[3] < '0' || p[3] > '9' ||
        p[4] != '.' || p[5] < '0' || p[5] > '9')
        return;
    int subject = p[3] - '0', detail = p[5] - '0';
    bool more = p[6] >= '0' && p[6] <= '9'; /* x.y.zz: no row of the table */
    if (subject == 1 && !more) {
        *diag = detail < 7 ? ADDRESS[detail] : 0;
        if (detail == 1)
            *reason = MAPI_REASON_TRANSFER_IMPOSSIBLE;
    } else if (subject == 2 && !more && detail >= 1 && detail <= 4) {
        *diag = MAILBOX[detail];
    }
}

static HRESULT fail_with(fm_spool_recip *r, LONG reason, LONG diag, const char *why,
                         const char *reply)
{
    size_t len = strlen(why) + strlen(reply) + 3;
    char *text = fm_malloc(len);
    if (text == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory writing a report");
    snprintf(text, len, "%s: %s", why, reply);
    fm_free(r->reply);
    r->reply = text;
    r->text = text;
    r->failed = true;
    r->reason = reason;
    r->diag = diag;
    return S_OK;
}

/* The outside recipients still due, into a (each one's `failed` cleared:
 * its outcome is the relay's now). */
static HRESULT collect(attempt *a, fm_spool_recip *recips, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += recips[i].outside;
    if (count == 0)
        return S_OK;
    a->rows = fm_calloc(count, sizeof *a->rows);
    a->rcpts = fm_calloc(count, sizeof *a->rcpts);
    if (a->rows == NULL || a->rcpts == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory sending a message");
    for (size_t i = 0; i < n; i++) {
        fm_spool_recip *r = &recips[i];
        if (!r->outside)
            continue;
        r->failed = false;
        bool done = false;
        HRESULT hr = fm_delivered_exists(a->s, &a->s->uid, a->e->qid, relay_target(r), &done);
        if (hr != S_OK)
            return hr;
        if (done) /* an earlier attempt got it accepted */
            continue;
        a->rows[a->n] = r;
        a->rcpts[a->n].address = fm_spool_smtp_address(r);
        a->n++;
    }
    return S_OK;
}

/* After the transport: refusals become failures, the rest is done or due. */
static HRESULT outcome(attempt *a, bool *due)
{
    bool expired = fm_spool_expired(a->e);
    *due = false;
    for (ULONG i = 0; i < a->n; i++) {
        const fmapi_outbound_rcpt *t = &a->rcpts[i];
        HRESULT hr = S_OK;
        LONG reason = MAPI_REASON_TRANSFER_FAILED, diag = MAPI_DIAG_NO_DIAGNOSTIC;
        if (t->status == FMAPI_OUTBOUND_PERMFAIL) {
            codes_of(t->reply, &reason, &diag);
            hr = fail_with(a->rows[i], reason, diag,
                           "The relay refused the message for this recipient", t->reply);
        } else if (t->status != FMAPI_OUTBOUND_SENT && expired) {
            hr = fail_with(a->rows[i], reason, MAPI_DIAG_MAXIMUM_TIME_EXPIRED,
                           "The message could not be delivered within two days; the relay's "
                           "last answer",
                           t->reply[0] ? t->reply : "none");
        } else if (t->status != FMAPI_OUTBOUND_SENT) {
            *due = true;
        }
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

static HRESULT no_transport(attempt *a)
{
    for (ULONG i = 0; i < a->n; i++) {
        a->rcpts[i].status = FMAPI_OUTBOUND_TEMPFAIL;
        snprintf(a->rcpts[i].reply, sizeof a->rcpts[i].reply,
                 "no process with the relay client has sent it yet");
    }
    return S_OK;
}

static HRESULT send_due(fmapi_site *site, attempt *a, IMessage *src,
                        const fmapi_relay_config *cfg)
{
    fm_site_entry owner = { 0 };
    HRESULT hr = fm_site_find_store(site, &a->s->uid, &owner);
    if (hr == S_OK && (owner.smtp == NULL || owner.smtp[0] == '\0'))
        hr = fm_error_set(MAPI_E_NOT_FOUND, "the sender has no SMTP address");
    if (hr == MAPI_E_NOT_FOUND) { /* nobody to send as: report, do not retry */
        for (ULONG i = 0; i < a->n; i++) {
            a->rcpts[i].status = FMAPI_OUTBOUND_PERMFAIL;
            snprintf(a->rcpts[i].reply, sizeof a->rcpts[i].reply,
                     "the sending mailbox has no SMTP address to send from");
        }
        fm_site_entry_clear(&owner);
        return S_OK;
    }
    pthread_mutex_lock(&registry_lock);
    fmapi_outbound_send_fn fn = registered_fn;
    void *ctx = registered_ctx;
    pthread_mutex_unlock(&registry_lock);
    if (hr == S_OK)
        hr = fn == NULL ? no_transport(a)
                        : fn(ctx, cfg, (LPMESSAGE)src, owner.smtp, a->rcpts, a->n, ack, a);
    fm_site_entry_clear(&owner);
    return hr;
}

HRESULT fm_spool_outbound(fmapi_site *site, fm_store *s, const fm_submit_entry *e,
                          IMessage *src, fm_spool_recip *recips, size_t n, unsigned *relayed)
{
    bool any = false;
    for (size_t i = 0; i < n; i++)
        any |= recips[i].outside;
    if (!any)
        return S_OK;
    fmapi_relay_config *cfg = NULL;
    HRESULT hr = fmapi_site_get_relay(site, &cfg);
    if (hr == MAPI_E_NOT_FOUND) /* no relay: they stay reported as unknown */
        return S_OK;
    attempt a = { .s = s, .e = e };
    bool due = false;
    if (hr == S_OK)
        hr = collect(&a, recips, n);
    if (hr == S_OK && a.n > 0)
        hr = send_due(site, &a, src, cfg);
    if (hr == S_OK)
        hr = outcome(&a, &due);
    *relayed += a.acked;
    if (hr == S_OK && due)
        hr = fm_error_set(MAPI_E_NETWORK_ERROR, "the relay did not take every recipient yet");
    fm_free(a.rows);
    fm_free(a.rcpts);
    MAPIFreeBuffer(cfg);
    return hr;
}
