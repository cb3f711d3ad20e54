/*
 * server/mapihttp/reply.h - one MAPI/HTTP response ([MS-OXCMAPIHTTP]
 * 2.2.3.3 headers, 2.2.7 meta-tags, then the body) sent as a chunked HTTP
 * response.
 */
#ifndef FREEMAPI_SERVER_MAPIHTTP_REPLY_H
#define FREEMAPI_SERVER_MAPIHTTP_REPLY_H

#include <time.h>

#include "server/core/httpd.h"
#include "server/core/sessions.h"
#include "server/mapihttp/emsmdb_body.h"

typedef struct fm_mh_reply {
    const char *request_type; /* echoed as X-RequestType; NULL when missing */
    unsigned rc;              /* X-ResponseCode */
    fm_mh_buf body;           /* the binary body (rc 0) */
    const char *diagnostic;   /* the text body (rc other than 0) */
    char cookie[FM_SRV_COOKIE_LEN + 1]; /* set by Connect ("" for none) */
    bool expire_cookie;                 /* Disconnect */
    struct timespec start;
    time_t start_wall;
} fm_mh_reply;

void fm_mh_reply_init(fm_mh_reply *r, const char *request_type);
/* Sets a protocol error with its text (the body, if any, is dropped). */
void fm_mh_reply_error(fm_mh_reply *r, unsigned rc, const char *diagnostic);
/* Queues r as the response to req and clears r. */
enum MHD_Result fm_mh_reply_send(fm_mh_reply *r, const fm_srv_request *req);

#endif /* FREEMAPI_SERVER_MAPIHTTP_REPLY_H */
