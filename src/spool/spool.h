/*
 * spool/spool.h - the spooler of a site: it takes the submissions queued in
 * a mailbox (store/submit_queue.h) and delivers them, in embedded mode from
 * the process that submitted (through the store's transport hook) or from
 * any later run over the same mailbox.
 *
 * Local recipients (site users, and lists expanded through the directory
 * to their users) get one copy each in their receive folder, with
 * PR_RECEIVED_BY_* and PR_MESSAGE_DELIVERY_TIME set; a recipient the site
 * does not know goes to the site's relay (spool_outbound.c, through the
 * outbound transport a program registered, freemapi_relay.h) when one is
 * set; without a relay, and when the relay refuses it (5xx), it is
 * reported back in one non-delivery report (REPORT.IPM.Note.NDR) in the
 * sender's receive folder for that class, with the per-recipient
 * PR_NDR_REASON_CODE, PR_NDR_DIAG_CODE and PR_REPORT_TEXT (the relay's
 * reply). A temporary refusal (4xx) keeps the submission queued.
 *
 * Exactly once, whatever dies when: each copy is recorded in the
 * recipient's store in the transaction that saves it (fm_delivered_claim),
 * so a retry skips mailboxes already served; the report, the move of the
 * original to PR_SENTMAIL_ENTRYID (or its deletion, PR_DELETE_AFTER_SUBMIT)
 * and the end of the submission are one transaction of the sender's store.
 * A failure that may pass (a busy or full mailbox) leaves the submission
 * queued, retried with back-off.
 *
 * Files: spool.c (the run), spool_resolve.c (recipients to users),
 * spool_deliver.c (one copy into one mailbox), spool_ndr.c (the report and
 * the end of a submission), spool_sender.c (who sent it), spool_outbound.c
 * (outside recipients, through the relay), spool_transport.c (the store
 * hook).
 */
#ifndef FREEMAPI_SPOOL_SPOOL_H
#define FREEMAPI_SPOOL_SPOOL_H

#include "site/identity.h"
#include "site/site.h"
#include "store/store.h"
#include "store/submit_queue.h"

/* Non-delivery reason and diagnostic codes (PR_NDR_REASON_CODE,
 * PR_NDR_DIAG_CODE): MAPI takes X.411's values (non-delivery-reason-code
 * and non-delivery-diagnostic-code). */
#ifndef MAPI_REASON_TRANSFER_FAILED
#define MAPI_REASON_TRANSFER_FAILED 0
#define MAPI_REASON_TRANSFER_IMPOSSIBLE 1
#endif
#ifndef MAPI_DIAG_OR_NAME_UNRECOGNIZED
#define MAPI_DIAG_NO_DIAGNOSTIC (-1)
#define MAPI_DIAG_OR_NAME_UNRECOGNIZED 0
#define MAPI_DIAG_OR_NAME_AMBIGUOUS 1
#define MAPI_DIAG_MAXIMUM_TIME_EXPIRED 5
#endif


/* How long a submission is retried before the recipients it has not reached
 * are reported undeliverable: two days, Exchange's default message
 * expiration timeout. Records of received copies (store/submit_queue.h) are
 * kept a day longer, so no retry can outlive the record it relies on. */
#define FM_SPOOL_LIFETIME_SECONDS (2 * 86400)

/* What one run did. */
typedef struct fm_spool_stats {
    unsigned submissions; /* ended (delivered, reported or both) */
    unsigned copies;      /* copies saved into mailboxes by this run */
    unsigned skipped;     /* copies a previous run had already saved */
    unsigned reports;     /* non-delivery reports saved */
    unsigned deferred;    /* submissions left queued for a later attempt */
    unsigned relayed;     /* outside recipients the relay accepted in this run */
} fm_spool_stats;

/*
 * Delivers every due submission of store s, a mailbox of site. The caller
 * uses site alone for the run (an fmapi_site is one thread's at a time).
 * Returns S_OK when every submission was ended or deferred; the error of a
 * failure that is not the submission's own (the sender's store) otherwise.
 */
HRESULT fm_spool_run(fmapi_site *site, fm_store *s, fm_spool_stats *stats);

/* ---- inside the spooler ---------------------------------------------------- */

/* One recipient row as the spooler sees it. */
typedef struct fm_spool_recip {
    LPSPropValue props; /* the row's values (lent) */
    ULONG cValues;
    LONG reason, diag;   /* set when it fails */
    const char *text;    /* why, for PR_REPORT_TEXT (static, or reply) */
    char *reply;         /* the relay's reply when it refused (fm_malloc'd) */
    bool failed;
    bool outside;        /* not a site entry: for the relay (an SMTP address) */
} fm_spool_recip;

/* Whether submission e has been queued longer than FM_SPOOL_LIFETIME_SECONDS. */
bool fm_spool_expired(const fm_submit_entry *e);

/*
 * Sends the outside recipients of submission e (those resolve marked
 * outside) through the site's relay with the registered transport, the ones
 * a previous attempt got accepted skipped. Accepted: recorded in s (in the
 * sender's own `delivered` records). Refused (5xx): marked failed with the
 * reply. A temporary failure (4xx, no answer, no transport in this
 * process) returns an error, which defers the submission, until it
 * expires. Without a relay setting they are marked failed, as unknown.
 */
HRESULT fm_spool_outbound(fmapi_site *site, fm_store *s, const fm_submit_entry *e,
                          IMessage *src, fm_spool_recip *recips, size_t n,
                          unsigned *relayed);

/*
 * The users recipient r reaches (ids ascending into *users, fm_malloc'd,
 * duplicates removed): itself, or a list's members to any depth. A
 * recipient the site cannot resolve is marked failed with its codes.
 */
HRESULT fm_spool_resolve(fmapi_site *site, fm_spool_recip *r, int64_t **users, size_t *n);

/* The SMTP address of r (PR_SMTP_ADDRESS, or an SMTP PR_EMAIL_ADDRESS), or NULL. */
const char *fm_spool_smtp_address(const fm_spool_recip *r);

/* Saves copy of src for user (unless this user's store already has it). */
HRESULT fm_spool_deliver(fmapi_site *site, const fm_site_entry *user, IMessage *src,
                         const MAPIUID *origin, int64_t qid, bool *skipped);

/* Ends submission (qid, mid) of store s: the report for the failed
 * recipients (when any) and the original's move or deletion, in one
 * transaction. *reported says whether a report was saved. */
HRESULT fm_spool_finish(fm_store *s, int64_t qid, int64_t mid, IMessage *src,
                        const fm_spool_recip *recips, size_t n, bool *reported);

/* Stamps msg, being submitted, with its sender who where the client left
 * PR_SENDER_* or PR_SENT_REPRESENTING_* unset (spool_sender.c). */
HRESULT fm_spool_stamp_sender(const fm_site_entry *who, IMessage *msg);

/* The folder of store s receiving message class cls. */
HRESULT fm_spool_receive_fid(fm_store *s, const char *cls, int64_t *fid);

/* Reads one directory entry by id (MAPI_E_NOT_FOUND). */
HRESULT fm_spool_entry(fmapi_site *site, int64_t id, fm_site_entry *out);

/* The store hook: a submission in s is delivered at once through id's
 * site (the store takes a reference on id). */
HRESULT fm_spool_attach(fm_store *s, fm_identity *id);

#endif /* FREEMAPI_SPOOL_SPOOL_H */
