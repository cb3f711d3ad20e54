/*
 * freemapi_queue.h - a mailbox's outgoing queue as an administrator sees it
 * (`mapi queue`): the submissions SubmitMessage acknowledged and the
 * spooler has not ended, each recipient's state, and the calls that make
 * them due at once, take them out, or run the spooler now (freemapi's
 * extension; the spooler is described in docs/ARCHITECTURE.md).
 */
#ifndef FREEMAPI_QUEUE_H
#define FREEMAPI_QUEUE_H

#include "freemapi_site.h"
#include "mapidefs.h"

FREEMAPI_BEGIN_DECLS

/* fmapi_queue_entry.state */
#define FMAPI_QUEUE_WAITING 0 /* queued; AbortSubmit can still take it back */
#define FMAPI_QUEUE_TAKEN 1   /* a spooler has tried it (and may be at it) */

/* fmapi_queue_recipient.status */
#define FMAPI_QUEUE_RCPT_DUE 0     /* not known to be delivered yet */
#define FMAPI_QUEUE_RCPT_RELAYED 1 /* the relay accepted it (recorded) */

typedef struct fmapi_queue_recipient {
    const char *name, *address; /* PR_DISPLAY_NAME, the SMTP or EX address */
    ULONG status;               /* FMAPI_QUEUE_RCPT_* */
} fmapi_queue_recipient;

typedef struct fmapi_queue_entry {
    LONGLONG id;            /* the submission (a message sent again is a new one) */
    ULONG state;            /* FMAPI_QUEUE_* */
    ULONG attempts;         /* spooler runs that took it */
    FILETIME submitted;     /* when SubmitMessage queued it */
    FILETIME next_attempt;  /* not tried again before this */
    const char *subject;    /* PR_SUBJECT, "" without one */
    ULONG cRecipients;
    const fmapi_queue_recipient *recipients;
} fmapi_queue_entry;

/* Called for each submission (the entry is valid during the call); any
 * return but S_OK stops the listing with it. */
typedef HRESULT (*fmapi_queue_fn)(void *ctx, const fmapi_queue_entry *entry);

/* Lists the queue of lpMDB (a freemapi store), oldest first. */
FREEMAPI_PUBLIC HRESULT fmapi_queue_list(LPMDB lpMDB, fmapi_queue_fn fn, void *ctx);
/* Makes submission id (0: every one) due now. MAPI_E_NOT_FOUND. */
FREEMAPI_PUBLIC HRESULT fmapi_queue_retry(LPMDB lpMDB, LONGLONG id);
/* Takes submission id out of the queue, even one a spooler has tried (what
 * it delivered stays delivered): the message stays where it is, no longer
 * submitted, as after AbortSubmit. MAPI_E_NOT_FOUND. */
FREEMAPI_PUBLIC HRESULT fmapi_queue_delete(LPMDB lpMDB, LONGLONG id);
/* Runs the spooler of site over lpMDB's due submissions now; *lpcLeft
 * (optional) is how many stay queued afterwards. */
FREEMAPI_PUBLIC HRESULT fmapi_queue_flush(fmapi_site *site, LPMDB lpMDB, ULONG *lpcLeft);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_QUEUE_H */
