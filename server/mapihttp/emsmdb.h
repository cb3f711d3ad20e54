/*
 * server/mapihttp/emsmdb.h - the request types of the mailbox endpoint
 * ([MS-OXCMAPIHTTP] 2.2.3.3.1, 2.2.4): each reads req's body and fills the
 * reply (the dispatcher in mapihttp.c has checked the verb, path and
 * headers).
 */
#ifndef FREEMAPI_SERVER_MAPIHTTP_EMSMDB_H
#define FREEMAPI_SERVER_MAPIHTTP_EMSMDB_H

#include "server/mapihttp/mapihttp.h"
#include "server/mapihttp/reply.h"

void fm_emsmdb_connect(fm_mh_module *m, const fm_srv_request *req, fm_mh_reply *r);
void fm_emsmdb_execute(fm_mh_module *m, const fm_srv_request *req, fm_mh_reply *r);
void fm_emsmdb_disconnect(fm_mh_module *m, const fm_srv_request *req, fm_mh_reply *r);
void fm_emsmdb_notification_wait(fm_mh_module *m, const fm_srv_request *req, fm_mh_reply *r);
void fm_emsmdb_ping(fm_mh_module *m, const fm_srv_request *req, fm_mh_reply *r);

#endif /* FREEMAPI_SERVER_MAPIHTTP_EMSMDB_H */
