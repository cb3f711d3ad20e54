/*
 * server/mapihttp/mapihttp.h - the MAPI over HTTP protocol module
 * ([MS-OXCMAPIHTTP]) over the shared front-end (server/core/httpd.h): the
 * mailbox endpoint /mapi/emsmdb/ with the request types Connect, Execute,
 * Disconnect, NotificationWait and PING.
 *
 * Every response carries X-RequestType, X-RequestId and X-ClientInfo back,
 * X-ResponseCode (2.2.3.3.3), X-ServerApplication, X-PendingPeriod, and a
 * body that starts with the meta-tags of 2.2.7 ("PROCESSING", "DONE") and
 * the additional headers X-ResponseCode, X-ElapsedTime, X-StartTime, then
 * the binary response body of 2.2.4. Requests are answered when done, so
 * no "PENDING" keep-alive is sent yet (X-PendingPeriod announces 15 s).
 * A protocol error (X-ResponseCode other than 0) gets a diagnostic text.
 *
 * Session contexts: Connect creates one (cookie "MapiContext", opaque) for
 * the authenticated user; every other request type but PING needs it and is
 * refused for anyone else (No Privilege). NotificationWait answers at once
 * with EventPending 0 (no events are queued for MAPI/HTTP yet).
 */
#ifndef FREEMAPI_SERVER_MAPIHTTP_MAPIHTTP_H
#define FREEMAPI_SERVER_MAPIHTTP_MAPIHTTP_H

#include <stdatomic.h>

#include "server/core/httpd.h"
#include "server/core/sessions.h"

/* [MS-OXCMAPIHTTP] 2.2.3.3.3 X-ResponseCode values. */
#define FM_MH_RC_SUCCESS 0
#define FM_MH_RC_UNKNOWN_FAILURE 1
#define FM_MH_RC_INVALID_VERB 2
#define FM_MH_RC_INVALID_PATH 3
#define FM_MH_RC_INVALID_HEADER 4
#define FM_MH_RC_INVALID_REQUEST_TYPE 5
#define FM_MH_RC_INVALID_CONTEXT_COOKIE 6
#define FM_MH_RC_MISSING_HEADER 7
#define FM_MH_RC_ANONYMOUS_NOT_ALLOWED 8
#define FM_MH_RC_TOO_LARGE 9
#define FM_MH_RC_CONTEXT_NOT_FOUND 10
#define FM_MH_RC_NO_PRIVILEGE 11
#define FM_MH_RC_INVALID_REQUEST_BODY 12
#define FM_MH_RC_MISSING_COOKIE 13

#define FM_MH_COOKIE "MapiContext"

typedef struct fm_mh_module {
    fmapi_site *site;
    fm_srv_sessions *sessions;
    _Atomic unsigned notification_wait_ms; /* NotificationWait's hold (reloadable) */
} fm_mh_module;

/* The module's descriptor for fm_srv_httpd_add_module (ctx = m). */
void fm_mh_module_describe(fm_mh_module *m, fm_srv_module *out);

#endif /* FREEMAPI_SERVER_MAPIHTTP_MAPIHTTP_H */
