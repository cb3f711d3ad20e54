/*
 * server/lmtp/lmtp_session.c - one LMTP connection (lmtp_session.h).
 *
 * Replies are gathered and written when the session would wait for input,
 * so a pipelining client (PIPELINING, RFC 2920) gets its replies in one
 * write and the order of replies is the order of commands. After DATA each
 * accepted recipient gets its own reply (RFC 2033 4.2), and "250" only once
 * fmapi_mime_deliver has committed the message to that recipient's
 * mailboxes: a session killed before that leaves the MTA without an answer,
 * and its retry finds the copies already saved (one per delivery key).
 *
 * Bounds: a command line of FM_LMTP_LINE_MAX octets (longer: 500 5.5.2), a
 * message of max_message bytes (larger: read to its end, 552 5.3.4 for each
 * recipient), FM_LMTP_MAX_RECIPIENTS per transaction, timeout_ms of silence.
 */
#include "server/lmtp/lmtp_session.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "freemapi_error.h"
#include "mapicode.h"
#include "freemapi_mime.h"
#include "freemapi_site.h"
#include "server/core/log.h"
#include "server/lmtp/lmtp_proto.h"

#define IN_SIZE 16384
#define OUT_SIZE 16384
#define POLL_SLICE_MS 200 /* how soon a waiting session sees the daemon stop */

typedef struct session {
    int fd;
    const fm_lmtp_settings *set;
    fmapi_site *site;
    char in[IN_SIZE];
    size_t in_pos, in_len;
    char out[OUT_SIZE];
    size_t out_len;
    bool broken; /* the connection failed: stop */
    bool lhlo, mail;
    char sender[FM_LMTP_PATH_MAX + 1];
    char **rcpts;
    size_t nrcpts;
    char *msg; /* the message being received */
    size_t msg_len, msg_cap;
    bool too_big;
} session;

static void flush(session *s)
{
    size_t done = 0;
    while (!s->broken && done < s->out_len) {
        ssize_t n = send(s->fd, s->out + done, s->out_len - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            s->broken = true;
        else
            done += (size_t)n;
    }
    s->out_len = 0;
}

static void reply(session *s, const char *fmt, ...) FM_PRINTF(2, 3);
static void reply(session *s, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 2, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof line - 3)
        n = (int)sizeof line - 3;
    memcpy(line + n, "\r\n", 2);
    n += 2;
    if (s->out_len + (size_t)n > sizeof s->out)
        flush(s);
    memcpy(s->out + s->out_len, line, (size_t)n);
    s->out_len += (size_t)n;
}

/* More input into s->in: false at the end, a failure, a timeout or a stop.
 * Pending replies are written first: the client may be waiting for them. */
static bool fill(session *s)
{
    flush(s);
    unsigned waited = 0;
    while (!s->broken) {
        if (atomic_load(s->set->stopping))
            return false;
        struct pollfd p = { .fd = s->fd, .events = POLLIN };
        int r = poll(&p, 1, POLL_SLICE_MS);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return false;
        if (r == 0) {
            waited += POLL_SLICE_MS;
            if (waited >= s->set->timeout_ms) {
                reply(s, "421 4.4.2 Timeout: closing the connection");
                flush(s);
                return false;
            }
            continue;
        }
        ssize_t n = recv(s->fd, s->in, sizeof s->in, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        s->in_pos = 0;
        s->in_len = (size_t)n;
        return true;
    }
    return false;
}

/*
 * The next piece of a line into buf (at most cap bytes, without its LF and
 * the CR before it): *complete says whether the line ended there (else
 * the rest follows in the next call). False when no input comes.
 */
static bool read_piece(session *s, char *buf, size_t cap, size_t *len, bool *complete)
{
    *len = 0;
    *complete = false;
    while (*len < cap) {
        if (s->in_pos == s->in_len && !fill(s))
            return false;
        char ch = s->in[s->in_pos++];
        if (ch == '\n') {
            if (*len > 0 && buf[*len - 1] == '\r')
                (*len)--;
            *complete = true;
            return true;
        }
        buf[(*len)++] = ch;
    }
    return true;
}

static void reset(session *s)
{
    for (size_t i = 0; i < s->nrcpts; i++)
        fm_free(s->rcpts[i]);
    fm_free(s->rcpts);
    s->rcpts = NULL;
    s->nrcpts = 0;
    s->mail = false;
    s->sender[0] = '\0';
    fm_free(s->msg);
    s->msg = NULL;
    s->msg_len = s->msg_cap = 0;
    s->too_big = false;
}

static bool append(session *s, const char *data, size_t len)
{
    if (s->too_big)
        return true;
    if (s->msg_len + len > s->set->max_message) {
        s->too_big = true;
        return true;
    }
    if (s->msg_len + len > s->msg_cap) {
        size_t cap = s->msg_cap ? s->msg_cap : 65536;
        while (cap < s->msg_len + len)
            cap *= 2;
        char *grown = fm_realloc(s->msg, cap);
        if (grown == NULL)
            return false;
        s->msg = grown;
        s->msg_cap = cap;
    }
    memcpy(s->msg + s->msg_len, data, len);
    s->msg_len += len;
    return true;
}

static HRESULT count_user(void *ctx, const fmapi_site_entry *e)
{
    (void)e;
    ++*(size_t *)ctx;
    return S_OK;
}

static void on_rcpt(session *s, const fm_lmtp_cmd *cmd)
{
    if (!s->mail) {
        reply(s, "503 5.5.1 MAIL first");
        return;
    }
    if (s->nrcpts >= FM_LMTP_MAX_RECIPIENTS) {
        reply(s, "452 4.5.3 Too many recipients");
        return;
    }
    size_t users = 0;
    HRESULT hr = fmapi_site_resolve(s->site, cmd->path, count_user, &users);
    if (hr == MAPI_E_NOT_FOUND || hr == MAPI_E_AMBIGUOUS_RECIP) {
        reply(s, "550 5.1.1 <%s>: no such user here", cmd->path);
        return;
    }
    if (hr != S_OK) {
        fm_srv_log(FM_LOG_WARN, "lmtp: resolving <%s>: %s", cmd->path, fmapi_last_error());
        reply(s, "451 4.3.0 <%s>: temporary failure, try again later", cmd->path);
        return;
    }
    char **grown = fm_realloc(s->rcpts, (s->nrcpts + 1) * sizeof *grown);
    char *copy = grown ? fm_strdup(cmd->path) : NULL;
    if (grown != NULL)
        s->rcpts = grown;
    if (copy == NULL) {
        reply(s, "452 4.3.1 Out of memory");
        return;
    }
    s->rcpts[s->nrcpts++] = copy;
    reply(s, "250 2.1.5 <%s> OK", cmd->path);
}

/* The reply for one recipient of a received message. */
static void deliver_to(session *s, const char *rcpt)
{
    if (s->too_big) {
        reply(s, "552 5.3.4 <%s>: message larger than %zu bytes", rcpt, s->set->max_message);
        return;
    }
    HRESULT hr = fmapi_mime_deliver(s->site, rcpt, s->msg, s->msg_len, 0);
    if (hr == S_OK) {
        reply(s, "250 2.1.5 <%s> delivered", rcpt);
        return;
    }
    const char *why = fmapi_mime_last_error();
    fm_srv_log(FM_LOG_WARN, "lmtp: delivery to <%s> failed: %s", rcpt, why);
    if (hr == MAPI_E_NOT_FOUND)
        reply(s, "550 5.1.1 <%s>: no such user here", rcpt);
    else if (hr == MAPI_E_STORE_FULL)
        reply(s, "452 4.2.2 <%s>: mailbox full", rcpt);
    else if (hr == MAPI_E_NOT_ENOUGH_DISK)
        reply(s, "452 4.3.1 <%s>: insufficient system storage", rcpt);
    else
        reply(s, "451 4.3.0 <%s>: temporary failure, try again later", rcpt);
}

/* DATA: the message up to the lone ".", dot-unstuffed, then one reply per
 * recipient. False when the connection ended inside it. */
static bool on_data(session *s)
{
    if (!s->mail || s->nrcpts == 0) {
        reply(s, s->mail ? "503 5.5.1 No valid recipients" : "503 5.5.1 MAIL first");
        return true;
    }
    reply(s, "354 Start mail input; end with <CRLF>.<CRLF>");
    char head[FM_LMTP_PATH_MAX + 32];
    int n = snprintf(head, sizeof head, "Return-Path: <%s>\r\n", s->sender);
    bool ok = append(s, head, (size_t)n);
    char *buf = fm_malloc(8192);
    if (buf == NULL)
        return false;
    bool line_start = true;
    for (;;) {
        size_t len = 0;
        bool complete = false;
        if (!read_piece(s, buf, 8192, &len, &complete)) {
            fm_free(buf);
            return false;
        }
        const char *p = buf;
        if (line_start && complete && len == 1 && buf[0] == '.')
            break;
        if (line_start && len > 0 && buf[0] == '.') { /* RFC 5321 4.5.2 */
            p++;
            len--;
        }
        ok = ok && append(s, p, len) && (!complete || append(s, "\r\n", 2));
        line_start = complete;
    }
    fm_free(buf);
    if (!ok) {
        for (size_t i = 0; i < s->nrcpts; i++)
            reply(s, "452 4.3.1 <%s>: out of memory", s->rcpts[i]);
    } else {
        for (size_t i = 0; i < s->nrcpts; i++)
            deliver_to(s, s->rcpts[i]);
    }
    reset(s);
    return true;
}

static void on_lhlo(session *s)
{
    reset(s);
    s->lhlo = true;
    reply(s, "250-%s", s->set->hostname);
    reply(s, "250-PIPELINING");
    reply(s, "250-ENHANCEDSTATUSCODES");
    reply(s, "250-8BITMIME");
    reply(s, "250 SIZE %zu", s->set->max_message);
}

static void on_mail(session *s, const fm_lmtp_cmd *cmd)
{
    if (!s->lhlo)
        reply(s, "503 5.5.1 LHLO first");
    else if (s->mail)
        reply(s, "503 5.5.1 Nested MAIL command");
    else if (cmd->size > s->set->max_message)
        reply(s, "552 5.3.4 Message size exceeds the limit of %zu bytes", s->set->max_message);
    else {
        memcpy(s->sender, cmd->path, sizeof s->sender);
        s->mail = true;
        reply(s, "250 2.1.0 Sender OK");
    }
}

/* One command; false to end the session. */
static bool command(session *s, const char *line, size_t len)
{
    fm_lmtp_cmd cmd;
    char err[256];
    if (fm_lmtp_parse(line, len, &cmd, err, sizeof err) != 0) {
        reply(s, "%s", err);
        return true;
    }
    switch (cmd.verb) {
    case FM_LMTP_LHLO: on_lhlo(s); return true;
    case FM_LMTP_MAIL: on_mail(s, &cmd); return true;
    case FM_LMTP_RCPT: on_rcpt(s, &cmd); return true;
    case FM_LMTP_DATA: return on_data(s);
    case FM_LMTP_RSET: reset(s); reply(s, "250 2.0.0 OK"); return true;
    case FM_LMTP_NOOP: reply(s, "250 2.0.0 OK"); return true;
    case FM_LMTP_VRFY: reply(s, "252 2.5.2 Send some mail, I'll try my best"); return true;
    case FM_LMTP_QUIT: reply(s, "221 2.0.0 Bye"); return false;
    case FM_LMTP_HELO: reply(s, "500 5.5.1 This is LMTP: LHLO, not HELO or EHLO"); return true;
    default: reply(s, "500 5.5.2 Unknown command"); return true;
    }
}

void fm_lmtp_session_run(int fd, const fm_lmtp_settings *set)
{
    session *s = fm_malloc(sizeof *s);
    if (s == NULL) {
        close(fd);
        return;
    }
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->set = set;
    struct timeval tv = { .tv_sec = set->timeout_ms / 1000,
                          .tv_usec = (suseconds_t)(set->timeout_ms % 1000) * 1000 };
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv); /* a client that reads nothing */
    if (fmapi_site_open(set->site_dir, 0, &s->site) != S_OK) {
        fm_srv_log(FM_LOG_ERROR, "lmtp: opening the site: %s", fmapi_last_error());
        reply(s, "421 4.3.0 %s: mailbox store unavailable", set->hostname);
    } else {
        reply(s, "220 %s LMTP freemapid ready", set->hostname);
        char line[FM_LMTP_LINE_MAX + 1];
        bool go = true;
        while (go && !s->broken) {
            size_t len = 0;
            bool complete = false;
            if (!read_piece(s, line, sizeof line, &len, &complete))
                break;
            if (!complete) { /* the rest of an overlong line goes unread as commands */
                while (!complete && read_piece(s, line, sizeof line, &len, &complete))
                    ;
                reply(s, "500 5.5.2 Line too long");
                continue;
            }
            go = command(s, line, len);
        }
        if (atomic_load(set->stopping) && !s->broken)
            reply(s, "421 4.3.2 %s shutting down", set->hostname);
    }
    flush(s);
    reset(s);
    if (s->site != NULL)
        fmapi_site_close(s->site);
    close(fd);
    fm_free(s);
}
