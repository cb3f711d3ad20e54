/*
 * tests/server/mh_client.h - a MAPI/HTTP client for the server tests, on
 * libcurl (independent HTTP and TLS software): one POST to /mapi/emsmdb/
 * over the Unix socket or over TLS on loopback (the test certificate as the
 * only trusted one), with the response's status, X-ResponseCode, session
 * cookie and the binary body after the meta-tags ([MS-OXCMAPIHTTP] 2.2.7).
 * Static functions: included by each tests/server/ program.
 */
#ifndef FREEMAPI_TEST_MH_CLIENT_H
#define FREEMAPI_TEST_MH_CLIENT_H

#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fm_server.h"

#define MH_UNIX 0
#define MH_TLS 1

typedef struct mh_resp {
    long status;
    int rc; /* X-ResponseCode header, -1 when absent */
    char cookie[128];
    char *raw; /* the whole body */
    size_t raw_len;
    const uint8_t *body; /* after the meta-tags and additional headers */
    size_t body_len;
    bool framed; /* PROCESSING ... DONE ... blank line found */
    int inner_rc; /* X-ResponseCode in the additional headers */
} mh_resp;

typedef struct mh_req {
    int transport;
    const char *method; /* NULL: POST */
    const char *path;   /* NULL: /mapi/emsmdb/ */
    const char *type;   /* X-RequestType; NULL: none */
    const char *userpw; /* "user:password"; NULL: none */
    const char *cookie; /* MapiContext value; NULL: none */
    const char *ca;     /* TLS: the trusted certificate; NULL: the server's */
    const char *content_type; /* NULL: application/mapi-http */
    bool no_request_id;
    const void *body;
    size_t len;
} mh_req;

static size_t mh_write(char *p, size_t size, size_t n, void *ud)
{
    mh_resp *r = ud;
    char *grown = realloc(r->raw, r->raw_len + size * n + 1);
    if (grown == NULL)
        return 0;
    r->raw = grown;
    memcpy(r->raw + r->raw_len, p, size * n);
    r->raw_len += size * n;
    r->raw[r->raw_len] = '\0';
    return size * n;
}

static size_t mh_header(char *p, size_t size, size_t n, void *ud)
{
    mh_resp *r = ud;
    size_t len = size * n;
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
    if (strncasecmp(line, "X-ResponseCode:", 15) == 0)
        r->rc = atoi(line + 15);
    if (strncasecmp(line, "Set-Cookie: MapiContext=", 24) == 0)
        sscanf(line + 24, "%127[^;\r\n]", r->cookie);
    return len;
}

/* Finds the binary body after "PROCESSING\r\n...DONE\r\n<headers>\r\n\r\n". */
static void mh_unframe(mh_resp *r)
{
    r->framed = false;
    r->inner_rc = -1;
    if (r->raw == NULL || strncmp(r->raw, "PROCESSING\r\n", 12) != 0)
        return;
    char *done = strstr(r->raw, "DONE\r\n"), *end = done ? strstr(done, "\r\n\r\n") : NULL;
    if (end == NULL)
        return;
    char *rc = strstr(done, "X-ResponseCode: ");
    if (rc && rc < end)
        r->inner_rc = atoi(rc + 16);
    r->framed = strstr(done, "X-ElapsedTime: ") != NULL && strstr(done, "X-StartTime: ") != NULL;
    r->body = (const uint8_t *)end + 4;
    r->body_len = r->raw_len - (size_t)(end + 4 - r->raw);
}

static void mh_resp_clear(mh_resp *r)
{
    free(r->raw);
    memset(r, 0, sizeof *r);
}

static int mh_call(const fm_server *s, const mh_req *q, mh_resp *r)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char url[256], line[256], resolve[128];
    memset(r, 0, sizeof *r);
    r->rc = -1;
    if (c == NULL)
        return -1;
    const char *path = q->path ? q->path : "/mapi/emsmdb/";
    if (q->transport == MH_TLS) {
        const char *port = strchr(s->tcp, ':') + 1;
        snprintf(url, sizeof url, "https://localhost:%s%s", port, path);
        snprintf(resolve, sizeof resolve, "localhost:%s:127.0.0.1", port);
        struct curl_slist *res = curl_slist_append(NULL, resolve);
        curl_easy_setopt(c, CURLOPT_RESOLVE, res);
        curl_easy_setopt(c, CURLOPT_CAINFO, q->ca ? q->ca : s->cert);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(c, CURLOPT_PRIVATE, res);
    } else {
        snprintf(url, sizeof url, "http://localhost%s", path);
        curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, s->sock);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (q->type) {
        snprintf(line, sizeof line, "X-RequestType: %s", q->type);
        h = curl_slist_append(h, line);
    }
    if (!q->no_request_id)
        h = curl_slist_append(h, "X-RequestId: {6E0E6F0A-2F34-4B4F-9F3A-5B9A3D1E0C11}:1");
    h = curl_slist_append(h, "X-ClientInfo: {2D3BDB5E-1D6E-4B7B-8C3F-2A8C5C3F9A01}-1");
    h = curl_slist_append(h, "X-ClientApplication: freemapi-tests/0.1");
    snprintf(line, sizeof line, "Content-Type: %s",
             q->content_type ? q->content_type : "application/mapi-http");
    h = curl_slist_append(h, line);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (q->cookie) {
        snprintf(line, sizeof line, "MapiContext=%s", q->cookie);
        curl_easy_setopt(c, CURLOPT_COOKIE, line);
    }
    if (q->userpw)
        curl_easy_setopt(c, CURLOPT_USERPWD, q->userpw);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method ? q->method : "POST");
    if (!q->method || strcmp(q->method, "POST") == 0) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body ? q->body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->len);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, mh_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, mh_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    CURLcode cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    struct curl_slist *res = NULL;
    curl_easy_getinfo(c, CURLINFO_PRIVATE, (char **)&res);
    curl_slist_free_all(res);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    mh_unframe(r);
    return cc == CURLE_OK ? 0 : -1;
}

/* ---- request bodies ([MS-OXCMAPIHTTP] 2.2.4) ---- */

static inline size_t mh_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return 4;
}

static inline uint32_t mh_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* 2.2.4.1.1: UserDn, Flags, DefaultCodePage, LcidSort, LcidString, aux. */
static size_t mh_connect_body(uint8_t *b, const char *user_dn)
{
    size_t n = strlen(user_dn) + 1;
    memcpy(b, user_dn, n);
    n += mh_put32(b + n, 0);
    n += mh_put32(b + n, 1252);
    n += mh_put32(b + n, 0x409);
    n += mh_put32(b + n, 0x409);
    n += mh_put32(b + n, 0);
    return n;
}

/* 2.2.4.2.1: Flags, RopBufferSize, RopBuffer, MaxRopOut, aux. */
static size_t mh_execute_body(uint8_t *b, const uint8_t *rops, uint32_t len, uint32_t max_out)
{
    size_t n = mh_put32(b, 0);
    n += mh_put32(b + n, len);
    memcpy(b + n, rops, len);
    n += len;
    n += mh_put32(b + n, max_out);
    n += mh_put32(b + n, 0);
    return n;
}

/* Connects as userpw (NULL: peer credentials on the Unix socket); the
 * cookie into cookie[]. 0 on X-ResponseCode 0 with a cookie. */
static int mh_connect(const fm_server *s, int transport, const char *userpw, char *cookie)
{
    uint8_t body[256];
    mh_resp r;
    mh_req q = {.transport = transport, .type = "Connect", .userpw = userpw, .body = body};
    q.len = mh_connect_body(body, "/o=freemapi/ou=test/cn=Recipients/cn=alice");
    int rc = mh_call(s, &q, &r) == 0 && r.status == 200 && r.rc == 0 && r.cookie[0] ? 0 : -1;
    if (rc == 0)
        strcpy(cookie, r.cookie);
    mh_resp_clear(&r);
    return rc;
}

#endif /* FREEMAPI_TEST_MH_CLIENT_H */
