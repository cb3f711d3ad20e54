/*
 * server/mapihttp/reply.c - builds and queues a MAPI/HTTP response
 * (reply.h). The body is chunked, as 3.2.5.2 has the server send it, so
 * that "PENDING" keep-alives can later be streamed before "DONE".
 */
#include "server/mapihttp/reply.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "server/mapihttp/mapihttp.h"

#define SERVER_APPLICATION "freemapid/" FREEMAPI_SERVER_VERSION
#define PENDING_PERIOD_MS "15000"

typedef struct out_bytes {
    uint8_t *data;
    size_t len;
} out_bytes;

void fm_mh_reply_init(fm_mh_reply *r, const char *request_type)
{
    memset(r, 0, sizeof *r);
    r->request_type = request_type;
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    r->start_wall = time(NULL);
}

void fm_mh_reply_error(fm_mh_reply *r, unsigned rc, const char *diagnostic)
{
    fm_mh_buf_clear(&r->body);
    r->rc = rc;
    r->diagnostic = diagnostic;
}

static long elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* 2.2.7: the meta-tags, then 2.2.3.3's additional headers, a blank line. */
static void write_framing(fm_mh_buf *b, const fm_mh_reply *r)
{
    char text[256], date[64];
    struct tm tm;
    gmtime_r(&r->start_wall, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    int n = snprintf(text, sizeof text,
                     "PROCESSING\r\nDONE\r\nX-ResponseCode: %u\r\nX-ElapsedTime: %ld\r\n"
                     "X-StartTime: %s\r\n\r\n",
                     r->rc, elapsed_ms(&r->start), date);
    fm_mh_buf_bytes(b, text, (size_t)n);
}

static ssize_t read_out(void *cls, uint64_t pos, char *buf, size_t max)
{
    out_bytes *o = cls;
    if (pos >= o->len)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = o->len - (size_t)pos < max ? o->len - (size_t)pos : max;
    memcpy(buf, o->data + pos, n);
    return (ssize_t)n;
}

static void free_out(void *cls)
{
    out_bytes *o = cls;
    fm_free(o->data);
    fm_free(o);
}

static void echo_header(struct MHD_Response *resp, const fm_srv_request *req, const char *name)
{
    const char *v = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
    if (v && strlen(v) < 256 && strpbrk(v, "\r\n") == NULL)
        MHD_add_response_header(resp, name, v);
}

static void add_headers(struct MHD_Response *resp, const fm_mh_reply *r,
                        const fm_srv_request *req)
{
    char rc[16], cookie[160];
    snprintf(rc, sizeof rc, "%u", r->rc);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            r->rc ? "text/plain" : "application/mapi-http");
    MHD_add_response_header(resp, "X-ResponseCode", rc);
    MHD_add_response_header(resp, "X-ServerApplication", SERVER_APPLICATION);
    MHD_add_response_header(resp, "X-PendingPeriod", PENDING_PERIOD_MS);
    if (r->request_type && strlen(r->request_type) < 32)
        MHD_add_response_header(resp, "X-RequestType", r->request_type);
    echo_header(resp, req, "X-RequestId");
    echo_header(resp, req, "X-ClientInfo");
    if (r->cookie[0] || r->expire_cookie) {
        snprintf(cookie, sizeof cookie, FM_MH_COOKIE "=%s; Path=/mapi/; HttpOnly%s%s",
                 r->expire_cookie ? "" : r->cookie, req->tls ? "; Secure" : "",
                 r->expire_cookie ? "; Max-Age=0" : "");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, cookie);
    }
}

enum MHD_Result fm_mh_reply_send(fm_mh_reply *r, const fm_srv_request *req)
{
    fm_mh_buf out = {0};
    enum MHD_Result ok = MHD_NO;
    write_framing(&out, r);
    if (r->rc)
        fm_mh_buf_bytes(&out, r->diagnostic, strlen(r->diagnostic));
    else
        fm_mh_buf_bytes(&out, r->body.data, r->body.len);
    fm_mh_buf_bytes(&out, "\n", r->rc ? 1 : 0);
    out_bytes *o = out.hr == S_OK ? fm_malloc(sizeof *o) : NULL;
    if (o == NULL)
        goto cleanup;
    o->data = out.data;
    o->len = out.len;
    out.data = NULL;
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, read_out, o, free_out);
    if (resp == NULL) {
        free_out(o);
        goto cleanup;
    }
    add_headers(resp, r, req);
    ok = MHD_queue_response(req->conn, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
cleanup:
    fm_mh_buf_clear(&out);
    fm_mh_buf_clear(&r->body);
    return ok;
}
