/*
 * freemapi_relay.h - mail for outside addresses: the site's relay setting,
 * the spooler's outbound transport hook, and libfreemapi-relay, the SMTP
 * client that fills it (freemapi's extension).
 *
 * Three parts, in two libraries, because the spooler (libfreemapi) sits
 * below the MIME converter (libfreemapi-mime, built on the public API):
 *
 *   - libfreemapi keeps the site's relay setting (fmapi_site_set_relay,
 *     a 0600 file relay.conf in the site directory, as it holds the AUTH
 *     password) and, for each submission with recipients the site does
 *     not know, calls the outbound transport a program registered
 *     (fmapi_outbound_register) with the message and those recipients.
 *   - libfreemapi-relay (fmapi_relay_send) is such a transport: it writes
 *     the message as MIME through libfreemapi-mime and sends it to the
 *     relay with libcurl's SMTP client (STARTTLS, AUTH), one SMTP
 *     transaction per submission, and reports each recipient's reply.
 *   - A program that sends (freemapid, `mapi`) calls fmapi_relay_register
 *     once. In a process without a registered transport, a submission
 *     with outside recipients is kept queued (retried with back-off) for
 *     a process that has one, until the spooler's two-day expiry.
 *
 * Exactly once, and the one window: a recipient the relay accepted (its
 * RCPT answered 2xx and the end of DATA answered 250) is recorded in the
 * sender's store by the ack callback, which the transport calls right
 * after the relay's 250 and before it closes the connection (QUIT). A
 * retry skips recorded recipients. A process killed between the relay's
 * 250 and the commit of that record (one SQLite transaction) sends those
 * recipients again on the next attempt: that window cannot be closed
 * (SMTP has no two-phase commit), only kept to the record's commit.
 */
#ifndef FREEMAPI_RELAY_H
#define FREEMAPI_RELAY_H

#include "freemapi_site.h"
#include "mapidefs.h"

FREEMAPI_BEGIN_DECLS

/* fmapi_relay_config.tls */
#define FMAPI_RELAY_TLS_REQUIRED 0 /* STARTTLS or nothing is sent */
#define FMAPI_RELAY_TLS_OPTIONAL 1 /* STARTTLS when the relay offers it */
#define FMAPI_RELAY_TLS_NONE 2     /* plain SMTP (a relay on loopback) */

typedef struct fmapi_relay_config {
    char *host;     /* name or address of the relay */
    ULONG port;     /* 25, 587, ... */
    ULONG tls;      /* FMAPI_RELAY_TLS_* */
    char *user;     /* AUTH user, NULL without AUTH */
    char *password; /* AUTH password */
    char *cafile;   /* CA certificates to verify the relay by, NULL: the system's */
} fmapi_relay_config;

/* Sets the site's relay (NULL removes it). The setting is a file relay.conf
 * of the site directory, 0600 whatever the umask, replaced atomically.
 * MAPI_E_INVALID_PARAMETER (no host, port 0 or above 65535, a value with a
 * line break, unknown tls), MAPI_E_DISK_ERROR. */
FREEMAPI_PUBLIC HRESULT fmapi_site_set_relay(fmapi_site *site, const fmapi_relay_config *cfg);
/* The site's relay, in one MAPI buffer (MAPIFreeBuffer); MAPI_E_NOT_FOUND
 * when none is set, MAPI_E_CORRUPT_DATA for a damaged file. */
FREEMAPI_PUBLIC HRESULT fmapi_site_get_relay(fmapi_site *site, fmapi_relay_config **out);

/* ---- the outbound transport hook (libfreemapi) -------------------------- */

/* fmapi_outbound_rcpt.status */
#define FMAPI_OUTBOUND_PENDING 0   /* not tried (set by the spooler) */
#define FMAPI_OUTBOUND_SENT 1      /* the relay accepted it */
#define FMAPI_OUTBOUND_TEMPFAIL 2  /* 4xx, or no answer: try again later */
#define FMAPI_OUTBOUND_PERMFAIL 3  /* 5xx: report it undeliverable */

#define FMAPI_OUTBOUND_REPLY_MAX 512

typedef struct fmapi_outbound_rcpt {
    const char *address; /* in: the SMTP address */
    ULONG status;        /* out: FMAPI_OUTBOUND_* */
    ULONG code;          /* out: the SMTP reply code (0: none) */
    char reply[FMAPI_OUTBOUND_REPLY_MAX]; /* out: the reply, or why there was none */
} fmapi_outbound_rcpt;

/* Records that recipients which[0..n-1] (indexes into the transport's
 * array) were accepted; the transport calls it before it closes the
 * connection. An error means the record could not be written: the
 * transport returns it. */
typedef HRESULT (*fmapi_outbound_ack_fn)(void *ack_ctx, const ULONG *which, ULONG n);

/* Sends lpMessage from envelope sender `from` to rcpts[0..n-1] through the
 * relay cfg, fills each status, and acks the accepted ones. Returns S_OK
 * when every recipient has a status (whatever it is); an error (the lack of
 * memory, a failed ack) leaves the submission to be tried again. */
typedef HRESULT (*fmapi_outbound_send_fn)(void *ctx, const fmapi_relay_config *cfg,
                                          LPMESSAGE lpMessage, const char *from,
                                          fmapi_outbound_rcpt *rcpts, ULONG n,
                                          fmapi_outbound_ack_fn ack, void *ack_ctx);

/* Registers the process's outbound transport (NULL fn: none). */
FREEMAPI_PUBLIC HRESULT fmapi_outbound_register(fmapi_outbound_send_fn fn, void *ctx);

/* ---- libfreemapi-relay ---------------------------------------------------- */

/* The SMTP transport (an fmapi_outbound_send_fn; ctx unused). */
FREEMAPI_PUBLIC HRESULT fmapi_relay_send(void *ctx, const fmapi_relay_config *cfg,
                                         LPMESSAGE lpMessage, const char *from,
                                         fmapi_outbound_rcpt *rcpts, ULONG n,
                                         fmapi_outbound_ack_fn ack, void *ack_ctx);
/* Initialises libcurl (once) and registers fmapi_relay_send. */
FREEMAPI_PUBLIC HRESULT fmapi_relay_register(void);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_RELAY_H */
