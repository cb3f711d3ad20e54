/*
 * store/submit_queue.h - a store's outgoing queue (submit_queue.c): the
 * messages SubmitMessage acknowledged, kept until a spooler has delivered
 * them, and the record of copies this store received from submissions.
 *
 * The rule behind both tables: a submitted message is never lost and never
 * delivered twice to one mailbox, whatever process dies when. Enqueuing is
 * in the transaction that saves the message (SubmitMessage), so an
 * acknowledged message is in the queue. A copy delivered into a mailbox is
 * recorded (fm_delivered_claim) in the transaction that saves the copy, in
 * the mailbox's own file, so a spooler retrying a submission after a crash
 * finds the record and skips that mailbox. A submission leaves the queue in
 * the transaction that moves the original to Sent Items (or deletes it) and
 * saves the non-delivery report, so neither happens twice either.
 */
#ifndef FREEMAPI_STORE_SUBMIT_QUEUE_H
#define FREEMAPI_STORE_SUBMIT_QUEUE_H

#include "mapidefs.h"
#include "store/store.h"

/* submit_queue.state */
#define FM_SUBMIT_QUEUED 0
#define FM_SUBMIT_LOCKED 1 /* a spooler took it: AbortSubmit is too late */

typedef struct fm_submit_entry {
    int64_t qid; /* the submission: a message sent again is a new one */
    int64_t mid;
    int64_t submitted; /* FILETIME */
    int state;
    int attempts;
} fm_submit_entry;

/* Queues message mid (inside the caller's transaction). */
HRESULT fm_submit_enqueue(fm_store *s, int64_t mid, int64_t now);

/* IMsgStore::AbortSubmit of message mid: MAPI_E_NOT_IN_QUEUE, or
 * MAPI_E_UNABLE_TO_ABORT once a spooler has locked it; else the message
 * leaves the queue and is no longer marked submitted. */
HRESULT fm_submit_abort(fm_store *s, int64_t mid);

/* PR_SUBMIT_FLAGS of queued message mid (SUBMITFLAG_LOCKED while a spooler
 * holds it); MAPI_E_NOT_FOUND when it is not queued. */
HRESULT fm_submit_flags(fm_store *s, int64_t mid, ULONG *out);

/* The first queued submission after qid `after` due at `now` (next_attempt
 * reached); MAPI_E_NOT_FOUND when there is none. */
HRESULT fm_submit_next(fm_store *s, int64_t after, int64_t now, fm_submit_entry *out);

/* Marks submission qid taken by a spooler (one attempt more). */
HRESULT fm_submit_lock(fm_store *s, int64_t qid);

/* Puts submission qid back to wait until next_attempt (a failure that may
 * pass: a mailbox busy or full). */
HRESULT fm_submit_defer(fm_store *s, int64_t qid, int64_t next_attempt);

/*
 * Ends submission qid of message mid inside the caller's transaction: the
 * queue row goes; the message is deleted (delete_after: PR_DELETE_AFTER_SUBMIT)
 * or moved to folder sent_fid (PR_SENTMAIL_ENTRYID; 0 leaves it where it is)
 * and is no longer submitted or unsent. MAPI_E_NOT_IN_QUEUE when qid is no
 * longer queued (another spooler ended it): the caller rolls back.
 */
HRESULT fm_submit_finish(fm_store *s, int64_t qid, int64_t mid, bool delete_after,
                         int64_t sent_fid, int64_t now);

/* How long a record of a received copy is kept: longer than any spooler
 * retries a submission (spool.h's FM_SPOOL_LIFETIME_SECONDS, two days, plus
 * the last back-off), after which no retry can ask for it. Records older
 * are pruned by fm_delivered_claim, at most once a day per store. */
#define FM_DELIVERED_KEEP_DAYS 3
/* The "moved from" keys of moves across stores (bulk_copy.c) are kept 30
 * days: only a move whose source deletion and roll back both failed needs
 * its key, at its re-run; one re-run later than that copies again. */
#define FM_MOVED_KEEP_DAYS 30

/* Records, inside the caller's transaction, that this store received copy
 * `target` of submission qid of the store with UID origin, as message mid.
 * MAPI_E_COLLISION when it was already received (the caller rolls back). */
HRESULT fm_delivered_claim(fm_store *s, const MAPIUID *origin, int64_t qid, int64_t target,
                           int64_t mid, int64_t now);

/* Whether that copy was received (*out). */
HRESULT fm_delivered_exists(fm_store *s, const MAPIUID *origin, int64_t qid, int64_t target,
                            bool *out);

/* The message recorded for (origin, qid, target), store s locked: *mid is
 * its id when it is still a message of s (soft-deleted ones count as gone),
 * -1 when the record remains but the copy is gone (the record is then
 * removed, so the copy can be made again), 0 without a record. A move across
 * stores keeps its "moved from" key here (bulk_copy.c). */
HRESULT fm_delivered_live_copy(fm_store *s, const MAPIUID *origin, int64_t qid, int64_t target,
                               int64_t *mid);

#endif /* FREEMAPI_STORE_SUBMIT_QUEUE_H */
