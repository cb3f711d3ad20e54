/*
 * relay/relay_smtp.c - libfreemapi-relay: the outbound transport that sends
 * a submission to the site's relay over SMTP (freemapi_relay.h), on the
 * public API only.
 *
 * The message is written as MIME by libfreemapi-mime (CCSF_SMTP: Bcc left
 * out of the header) into memory and sent with libcurl's SMTP client in one
 * transaction: MAIL FROM the sender, one RCPT TO per recipient with
 * CURLOPT_MAIL_RCPT_ALLLOWFAILS (libcurl 7.88's spelling), so a refused
 * recipient does not stop the others, then DATA. libcurl tells only the
 * last reply, so the per-recipient replies are read off the dialogue its
 * debug callback shows: each RCPT TO line sent is answered by the next
 * final reply line received, and the reply after the body ends the
 * transaction. Which recipient got which reply is decided from what was
 * received, not from libcurl's result, so a relay that answered 250 to the
 * body counts as having taken the message even when the connection breaks
 * afterwards.
 *
 * The accepted recipients are acked (recorded by the spooler) as soon as
 * curl_easy_perform returns, while the connection is still open: libcurl
 * sends QUIT only when the handle is cleaned up, after the record, so the
 * window between the relay's 250 and the record holds no round trip.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freemapi_mime.h"
#include "freemapi_relay.h"
#include "mapicode.h"

/* Which command the next final reply answers. */
enum expect { EXPECT_OTHER, EXPECT_MAIL, EXPECT_RCPT, EXPECT_DATA, EXPECT_BODY };

typedef struct dialogue {
    fmapi_outbound_rcpt *rcpts;
    ULONG n, next_rcpt, rcpt; /* next RCPT to be sent; the one being answered */
    enum expect expect;
    ULONG mail_code, data_code; /* the RCPT replies go into rcpts[].code */
    char mail_reply[FMAPI_OUTBOUND_REPLY_MAX], data_reply[FMAPI_OUTBOUND_REPLY_MAX];
    char last_reply[FMAPI_OUTBOUND_REPLY_MAX];
    char line[FMAPI_OUTBOUND_REPLY_MAX]; /* a reply being received (several lines) */
    size_t line_len;
} dialogue;

typedef struct body {
    char *data;
    size_t len, cap, sent;
} body;

static HRESULT body_write(void *ctx, const void *data, size_t len)
{
    body *b = ctx;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->len + len)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (grown == NULL)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return S_OK;
}

static size_t body_read(char *buf, size_t size, size_t nitems, void *ctx)
{
    body *b = ctx;
    size_t want = size * nitems, left = b->len - b->sent;
    size_t n = want < left ? want : left;
    memcpy(buf, b->data + b->sent, n);
    b->sent += n;
    return n;
}

/* A whole reply (its last line has a space after the code) was received. */
static void reply_done(dialogue *d, ULONG code)
{
    snprintf(d->last_reply, sizeof d->last_reply, "%s", d->line);
    switch (d->expect) {
    case EXPECT_MAIL:
        d->mail_code = code;
        snprintf(d->mail_reply, sizeof d->mail_reply, "%s", d->line);
        break;
    case EXPECT_RCPT:
        if (d->rcpt < d->n) {
            d->rcpts[d->rcpt].code = code;
            snprintf(d->rcpts[d->rcpt].reply, sizeof d->rcpts[d->rcpt].reply, "%s", d->line);
        }
        break;
    case EXPECT_DATA:
        if (code == 354) {
            d->expect = EXPECT_BODY;
            d->line_len = 0;
            return;
        }
        d->data_code = code; /* DATA itself refused */
        snprintf(d->data_reply, sizeof d->data_reply, "%s", d->line);
        break;
    case EXPECT_BODY:
        d->data_code = code;
        snprintf(d->data_reply, sizeof d->data_reply, "%s", d->line);
        break;
    case EXPECT_OTHER:
        break;
    }
    d->expect = EXPECT_OTHER;
    d->line_len = 0;
}

static void reply_line(dialogue *d, const char *p, size_t len)
{
    while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
        len--;
    if (len < 3)
        return;
    if (d->line_len > 0 && d->line_len + 1 < sizeof d->line)
        d->line[d->line_len++] = ' ';
    size_t room = sizeof d->line - 1 - d->line_len;
    size_t take = len < room ? len : room;
    memcpy(d->line + d->line_len, p, take);
    d->line_len += take;
    d->line[d->line_len] = '\0';
    bool digits = p[0] >= '1' && p[0] <= '5' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
                  p[2] <= '9';
    if (digits && (len == 3 || p[3] == ' '))
        reply_done(d, (ULONG)((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0')));
}

static void command_sent(dialogue *d, const char *p, size_t len)
{
    d->line_len = 0;
    if (len >= 10 && strncmp(p, "MAIL FROM:", 10) == 0)
        d->expect = EXPECT_MAIL;
    else if (len >= 8 && strncmp(p, "RCPT TO:", 8) == 0) {
        d->expect = EXPECT_RCPT;
        d->rcpt = d->next_rcpt++;
    } else if (len >= 4 && strncmp(p, "DATA", 4) == 0 && (len == 4 || p[4] == '\r'))
        d->expect = EXPECT_DATA;
    else
        d->expect = EXPECT_OTHER;
}

static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *ctx)
{
    (void)h;
    dialogue *d = ctx;
    if (type == CURLINFO_HEADER_OUT) {
        command_sent(d, data, size);
    } else if (type == CURLINFO_HEADER_IN) {
        /* one callback may carry several lines */
        while (size > 0) {
            char *nl = memchr(data, '\n', size);
            size_t len = nl != NULL ? (size_t)(nl - data) + 1 : size;
            reply_line(d, data, len);
            data += len;
            size -= len;
        }
    }
    return 0;
}

/* Each recipient's status from the dialogue; curl_error says why, when
 * the relay never answered. */
static void settle(dialogue *d, const char *curl_error)
{
    for (ULONG i = 0; i < d->n; i++) {
        fmapi_outbound_rcpt *r = &d->rcpts[i];
        ULONG code = r->code;
        const char *why = NULL;
        if (d->mail_code >= 400) {
            code = d->mail_code;
            why = d->mail_reply;
        } else if (code >= 200 && code < 300) {
            code = d->data_code;
            why = d->data_reply;
        }
        if (why != NULL)
            snprintf(r->reply, sizeof r->reply, "%s", why);
        r->code = code;
        if (code >= 200 && code < 300)
            r->status = FMAPI_OUTBOUND_SENT;
        else if (code >= 500)
            r->status = FMAPI_OUTBOUND_PERMFAIL;
        else
            r->status = FMAPI_OUTBOUND_TEMPFAIL;
        if (code == 0) {
            int len = snprintf(r->reply, sizeof r->reply, "no answer from the relay (%.200s",
                               curl_error);
            if (len > 0 && (size_t)len < sizeof r->reply)
                snprintf(r->reply + len, sizeof r->reply - (size_t)len, "%s%.250s)",
                         d->last_reply[0] ? "; last reply: " : "", d->last_reply);
        }
    }
}

static HRESULT ack_sent(const dialogue *d, fmapi_outbound_ack_fn ack, void *ack_ctx)
{
    ULONG *which = calloc(d->n ? d->n : 1, sizeof *which), k = 0;
    if (which == NULL)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (ULONG i = 0; i < d->n; i++)
        if (d->rcpts[i].status == FMAPI_OUTBOUND_SENT)
            which[k++] = i;
    HRESULT hr = k > 0 ? ack(ack_ctx, which, k) : S_OK;
    free(which);
    return hr;
}

/* "<addr>" as libcurl's MAIL FROM and RCPT TO take it. */
static char *bracketed(const char *addr)
{
    size_t len = strlen(addr) + 3;
    char *s = malloc(len);
    if (s != NULL)
        snprintf(s, len, "<%s>", addr);
    return s;
}

static HRESULT set_envelope(CURL *h, const char *from, const fmapi_outbound_rcpt *rcpts, ULONG n,
                            char **from_b, struct curl_slist **list)
{
    if ((*from_b = bracketed(from)) == NULL)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, *from_b);
    for (ULONG i = 0; i < n; i++) {
        char *r = bracketed(rcpts[i].address);
        struct curl_slist *grown = r != NULL ? curl_slist_append(*list, r) : NULL;
        free(r);
        if (grown == NULL)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        *list = grown;
    }
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, *list);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1L);
    return S_OK;
}

static void set_connection(CURL *h, const fmapi_relay_config *cfg, char *url, size_t cap)
{
    bool v6 = strchr(cfg->host, ':') != NULL;
    snprintf(url, cap, "smtp://%s%s%s:%lu", v6 ? "[" : "", cfg->host, v6 ? "]" : "",
             (unsigned long)cfg->port);
    curl_easy_setopt(h, CURLOPT_URL, url);
    static const long USE_SSL[] = { CURLUSESSL_ALL, CURLUSESSL_TRY, CURLUSESSL_NONE };
    curl_easy_setopt(h, CURLOPT_USE_SSL, USE_SSL[cfg->tls <= FMAPI_RELAY_TLS_NONE ? cfg->tls : 0]);
    if (cfg->cafile != NULL)
        curl_easy_setopt(h, CURLOPT_CAINFO, cfg->cafile);
    if (cfg->user != NULL) {
        curl_easy_setopt(h, CURLOPT_USERNAME, cfg->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->password);
    }
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
    /* a relay that stops answering is given up on after a minute of silence */
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
}

FREEMAPI_PUBLIC HRESULT fmapi_relay_send(void *ctx, const fmapi_relay_config *cfg,
                                         LPMESSAGE lpMessage, const char *from,
                                         fmapi_outbound_rcpt *rcpts, ULONG n,
                                         fmapi_outbound_ack_fn ack, void *ack_ctx)
{
    (void)ctx;
    if (cfg == NULL || lpMessage == NULL || from == NULL || (rcpts == NULL && n > 0) ||
        ack == NULL)
        return MAPI_E_INVALID_PARAMETER;
    if (n == 0)
        return S_OK;
    body b = { 0 };
    HRESULT hr = fmapi_mime_export(lpMessage, CCSF_SMTP, body_write, &b);
    if (hr != S_OK) {
        free(b.data);
        return hr;
    }
    dialogue d = { .rcpts = rcpts, .n = n };
    for (ULONG i = 0; i < n; i++) {
        rcpts[i].status = FMAPI_OUTBOUND_PENDING;
        rcpts[i].code = 0;
        rcpts[i].reply[0] = '\0';
    }
    char *from_b = NULL, url[600], err[CURL_ERROR_SIZE] = "";
    struct curl_slist *list = NULL;
    CURL *h = curl_easy_init();
    if (h == NULL)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (hr == S_OK)
        hr = set_envelope(h, from, rcpts, n, &from_b, &list);
    if (hr == S_OK) {
        set_connection(h, cfg, url, sizeof url);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, body_read);
        curl_easy_setopt(h, CURLOPT_READDATA, &b);
        curl_easy_setopt(h, CURLOPT_VERBOSE, 1L); /* the debug callback needs it */
        curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
        curl_easy_setopt(h, CURLOPT_DEBUGDATA, &d);
        CURLcode rc = curl_easy_perform(h);
        if (rc != CURLE_OK && err[0] == '\0')
            snprintf(err, sizeof err, "%s", curl_easy_strerror(rc));
        settle(&d, err[0] ? err : "no error");
        /* The record before QUIT (curl_easy_cleanup): see the header comment. */
        hr = ack_sent(&d, ack, ack_ctx);
    }
    if (h != NULL)
        curl_easy_cleanup(h);
    curl_slist_free_all(list);
    free(from_b);
    free(b.data);
    return hr;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void init_curl(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

FREEMAPI_PUBLIC HRESULT fmapi_relay_register(void)
{
    pthread_once(&curl_once, init_curl);
    if (curl_init_rc != CURLE_OK)
        return MAPI_E_CALL_FAILED;
    return fmapi_outbound_register(fmapi_relay_send, NULL);
}
