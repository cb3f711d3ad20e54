/*
 * server/mapihttp/mapihttp.c - the MAPI/HTTP module's dispatcher
 * (mapihttp.h): checks the endpoint, the verb, the size and the common
 * request headers ([MS-OXCMAPIHTTP] 2.2.2, 2.2.3.3) and hands the request
 * to its request type (emsmdb.c). Every answer is a MAPI/HTTP response
 * with the X-ResponseCode the spec lists for the fault (2.2.3.3.3).
 */
#include "server/mapihttp/mapihttp.h"

#include <string.h>
#include <strings.h>

#include "server/mapihttp/emsmdb.h"

#define EMSMDB_PATH "/mapi/emsmdb"

typedef void (*request_fn)(fm_mh_module *m, const fm_srv_request *req, fm_mh_reply *r);

static const struct {
    const char *name;
    request_fn fn;
} request_types[] = {
    {"Connect", fm_emsmdb_connect},
    {"Execute", fm_emsmdb_execute},
    {"Disconnect", fm_emsmdb_disconnect},
    {"NotificationWait", fm_emsmdb_notification_wait},
    {"PING", fm_emsmdb_ping},
};

static const char *header(const fm_srv_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static bool is_emsmdb(const char *url)
{
    return strcmp(url, EMSMDB_PATH) == 0 || strcmp(url, EMSMDB_PATH "/") == 0;
}

/* The content type, when given, must be MAPI/HTTP's (2.2.2.1). */
static bool content_type_ok(const fm_srv_request *req)
{
    const char *ct = header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
    static const char want[] = "application/mapi-http";
    return ct == NULL || (strncasecmp(ct, want, sizeof want - 1) == 0 &&
                          (ct[sizeof want - 1] == '\0' || ct[sizeof want - 1] == ';'));
}

/* The request type's handler, or a protocol error in r (NULL). */
static request_fn check_request(const fm_srv_request *req, const char *type, fm_mh_reply *r)
{
    if (!is_emsmdb(req->url))
        fm_mh_reply_error(r, FM_MH_RC_INVALID_PATH, "no such MAPI/HTTP endpoint");
    else if (strcmp(req->method, "POST") != 0)
        fm_mh_reply_error(r, FM_MH_RC_INVALID_VERB, "MAPI/HTTP requests are POST");
    else if (req->too_large)
        fm_mh_reply_error(r, FM_MH_RC_TOO_LARGE, "the request is larger than max_request_size");
    else if (type == NULL || header(req, "X-RequestId") == NULL)
        fm_mh_reply_error(r, FM_MH_RC_MISSING_HEADER, "X-RequestType or X-RequestId missing");
    else if (!content_type_ok(req))
        fm_mh_reply_error(r, FM_MH_RC_INVALID_HEADER, "Content-Type is not application/mapi-http");
    else {
        for (size_t i = 0; i < sizeof request_types / sizeof request_types[0]; i++)
            if (strcasecmp(type, request_types[i].name) == 0)
                return request_types[i].fn;
        fm_mh_reply_error(r, FM_MH_RC_INVALID_REQUEST_TYPE, "unknown X-RequestType");
    }
    return NULL;
}

static enum MHD_Result mapihttp_handle(void *ctx, fm_srv_request *req)
{
    fm_mh_module *m = ctx;
    const char *type = header(req, "X-RequestType");
    fm_mh_reply r;
    fm_mh_reply_init(&r, type);
    request_fn fn = check_request(req, type, &r);
    if (fn)
        fn(m, req, &r);
    if (r.rc == 0 && r.body.hr != S_OK)
        fm_mh_reply_error(&r, FM_MH_RC_UNKNOWN_FAILURE, "out of memory");
    return fm_mh_reply_send(&r, req);
}

void fm_mh_module_describe(fm_mh_module *m, fm_srv_module *out)
{
    out->name = "mapihttp";
    out->prefix = "/mapi/";
    out->handle = mapihttp_handle;
    out->ctx = m;
}
