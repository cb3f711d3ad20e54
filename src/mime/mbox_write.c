/*
 * mime/mbox_write.c - writing an mboxrd file: each message is a "From "
 * line, the message with line ends made LF and every ">*From " line given
 * one more '>', and an empty line. The escaping works on a stream of
 * chunks (a message exported straight from the store is never held whole),
 * so the state of the current line start is carried between chunks.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mime/mime.h"

#define OUT_CHUNK (64 * 1024)

struct fmapi_mbox_writer {
    int fd;
    char *out;
    size_t olen;
    HRESULT status;
    /* escaping state */
    bool bol;        /* at the start of a line */
    size_t gt;       /* '>' seen at this line start */
    size_t matched;  /* characters of "From " matched after them */
    bool cr;         /* a '\r' held back (dropped if '\n' follows) */
    bool last_nl;    /* the message so far ends with '\n' */
};

static HRESULT flush_out(fmapi_mbox_writer *w)
{
    size_t done = 0;
    while (done < w->olen && w->status == S_OK) {
        ssize_t n = write(w->fd, w->out + done, w->olen - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            w->status = fm_mime_fail(MAPI_E_DISK_ERROR, "mbox: write failed: %s",
                                     strerror(errno));
        else
            done += (size_t)n;
    }
    w->olen = 0;
    return w->status;
}

static void put(fmapi_mbox_writer *w, const char *s, size_t n)
{
    while (n > 0 && w->status == S_OK) {
        if (w->olen == OUT_CHUNK)
            flush_out(w);
        size_t k = OUT_CHUNK - w->olen < n ? OUT_CHUNK - w->olen : n;
        memcpy(w->out + w->olen, s, k);
        w->olen += k;
        s += k;
        n -= k;
    }
}

static void put_gts(fmapi_mbox_writer *w, size_t n)
{
    while (n-- > 0)
        put(w, ">", 1);
}

/* One character of message text through the escaper. */
static void escape_char(fmapi_mbox_writer *w, char c)
{
    static const char FROM[] = "From ";
    if (w->bol) {
        if (c == '>' && w->matched == 0) {
            w->gt++;
            return;
        }
        if (c == FROM[w->matched]) {
            if (++w->matched < 5)
                return;
            put_gts(w, w->gt + 1); /* the escape: one '>' more */
            put(w, FROM, 5);
            w->bol = false;
            w->gt = w->matched = 0;
            w->last_nl = false;
            return;
        }
        put_gts(w, w->gt);
        put(w, FROM, w->matched);
        w->bol = false;
        w->gt = w->matched = 0;
    }
    put(w, &c, 1);
    w->last_nl = c == '\n';
    if (c == '\n')
        w->bol = true;
}

/* Flushes a line start held back at the end of a message. */
static void escape_end(fmapi_mbox_writer *w)
{
    if (w->cr)
        escape_char(w, '\r');
    w->cr = false;
    if (w->bol && (w->gt > 0 || w->matched > 0)) {
        put_gts(w, w->gt);
        put(w, "From ", w->matched);
        w->last_nl = false;
    }
    w->bol = true;
    w->gt = w->matched = 0;
}

static HRESULT escape_write(void *ctx, const void *data, size_t len)
{
    fmapi_mbox_writer *w = ctx;
    const char *s = data;
    size_t i = 0;
    while (i < len && w->status == S_OK) {
        if (w->cr) {
            w->cr = false;
            if (s[i] != '\n')
                escape_char(w, '\r');
        }
        if (!w->bol && s[i] != '\r') {
            /* Inside a line: copy up to its end in one piece. */
            size_t j = i;
            while (j < len && s[j] != '\r' && s[j] != '\n')
                j++;
            if (j > i) {
                put(w, s + i, j - i);
                w->last_nl = false;
                i = j;
                continue;
            }
        }
        if (s[i] == '\r')
            w->cr = true;
        else
            escape_char(w, s[i]);
        i++;
    }
    return w->status;
}

HRESULT fmapi_mbox_writer_open(const char *path, int append, fmapi_mbox_writer **out)
{
    fm_mime_clear_error();
    if (path == NULL || out == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "mbox: NULL argument");
    *out = NULL;
    fmapi_mbox_writer *w = fm_mime_alloc(sizeof *w);
    char *buf = fm_mime_alloc(OUT_CHUNK);
    if (w == NULL || buf == NULL) {
        fm_mime_free(w);
        fm_mime_free(buf);
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "mbox: out of memory");
    }
    memset(w, 0, sizeof *w);
    w->out = buf;
    w->bol = true;
    w->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0600);
    if (w->fd < 0) {
        HRESULT hr = fm_mime_fail(MAPI_E_NO_ACCESS, "mbox: cannot create %s: %s", path,
                                  strerror(errno));
        fm_mime_free(buf);
        fm_mime_free(w);
        return hr;
    }
    *out = w;
    return S_OK;
}

static void from_line(fmapi_mbox_writer *w, const char *sender, int64_t date)
{
    time_t t = date != 0 ? (time_t)date : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char stamp[64];
    strftime(stamp, sizeof stamp, "%a %b %e %H:%M:%S %Y", &tm);
    char line[400];
    /* The sender is one word: spaces would make the line ambiguous. */
    char who[256];
    size_t n = 0;
    for (const char *p = sender && sender[0] ? sender : "MAILER-DAEMON"; *p && n < 255; p++)
        who[n++] = (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') ? '_' : *p;
    who[n] = '\0';
    int len = snprintf(line, sizeof line, "From %s %s\n", who, stamp);
    put(w, line, (size_t)len);
}

static HRESULT end_message(fmapi_mbox_writer *w)
{
    escape_end(w);
    if (!w->last_nl)
        put(w, "\n", 1);
    put(w, "\n", 1);
    w->last_nl = true;
    return w->status;
}

HRESULT fmapi_mbox_writer_add(fmapi_mbox_writer *w, const void *data, size_t len,
                              const char *sender, int64_t date)
{
    fm_mime_clear_error();
    if (w == NULL || (data == NULL && len > 0))
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "mbox: NULL argument");
    if (w->status != S_OK)
        return w->status;
    from_line(w, sender, date);
    w->last_nl = true;
    escape_write(w, data, len);
    return end_message(w);
}

/* The "From " line's sender and date. */
static void envelope(LPMESSAGE m, char *sender, size_t cap, int64_t *date)
{
    SizedSPropTagArray(4, tags) = { 4, { PR_SENDER_EMAIL_ADDRESS_A,
                                         PR_SENT_REPRESENTING_EMAIL_ADDRESS_A,
                                         PR_MESSAGE_DELIVERY_TIME, PR_CLIENT_SUBMIT_TIME } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    sender[0] = '\0';
    *date = 0;
    if (FAILED(IMessage_GetProps(m, (LPSPropTagArray)&tags, 0, &n, &v)))
        return;
    for (int i = 0; i < 2 && !sender[0]; i++) {
        if (PROP_TYPE(v[i].ulPropTag) == PT_STRING8)
            snprintf(sender, cap, "%s", v[i].Value.lpszA);
    }
    for (int i = 2; i < 4 && *date == 0; i++) {
        if (PROP_TYPE(v[i].ulPropTag) == PT_SYSTIME)
            *date = fm_mime_unix_time(v[i].Value.ft);
    }
    MAPIFreeBuffer(v);
}

/* The Status and X-Status fields mbox readers keep (mutt, Thunderbird):
 * Status "RO" read or "O" not; X-Status A answered, F flagged, T draft
 * (with CCSF_EMBEDDED_MESSAGE, as X-Unsent: an unsent message is otherwise
 * only what MAPI gives any new message), D deleted. */
static void status_fields(LPMESSAGE m, ULONG ccsf, char *out, size_t cap)
{
    ULONG f = 0;
    fmapi_mailbox_get_flags(m, &f);
    if (!(ccsf & CCSF_EMBEDDED_MESSAGE))
        f &= ~FMAPI_MAILBOX_DRAFT;
    char x[8];
    size_t n = 0;
    if (f & FMAPI_MAILBOX_ANSWERED)
        x[n++] = 'A';
    if (f & FMAPI_MAILBOX_FLAGGED)
        x[n++] = 'F';
    if (f & FMAPI_MAILBOX_DRAFT)
        x[n++] = 'T';
    if (f & FMAPI_MAILBOX_DELETED)
        x[n++] = 'D';
    x[n] = '\0';
    int k = snprintf(out, cap, "Status: %s\r\n", (f & MSGFLAG_READ) ? "RO" : "O");
    if (n > 0 && k > 0 && (size_t)k < cap)
        snprintf(out + k, cap - (size_t)k, "X-Status: %s\r\n", x);
}

HRESULT fmapi_mbox_writer_add_message(fmapi_mbox_writer *w, LPMESSAGE lpMessage, ULONG ulFlags)
{
    fm_mime_clear_error();
    if (w == NULL || lpMessage == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "mbox: NULL argument");
    if (w->status != S_OK)
        return w->status;
    char sender[256];
    int64_t date;
    envelope(lpMessage, sender, sizeof sender, &date);
    char fields[64];
    status_fields(lpMessage, ulFlags, fields, sizeof fields);
    /* Built before the "From " line is written, so a message that cannot be
     * converted leaves nothing half-written in the file. */
    fm_mime_out msg;
    HRESULT hr = fm_mime_export_check(lpMessage, ulFlags);
    if (hr == S_OK)
        hr = fm_mime_prepare(lpMessage, ulFlags, fields, &msg);
    if (hr != S_OK)
        return hr;
    /* A message that fails half-way is cut off again: the file keeps only
     * whole messages. */
    if (flush_out(w) != S_OK) {
        fm_mime_out_clear(&msg);
        return w->status;
    }
    off_t mark = lseek(w->fd, 0, SEEK_END);
    from_line(w, sender, date);
    w->last_nl = true;
    HRESULT status = S_OK;
    fm_mime_stream_error();
    GMimeStream *out = fm_mime_stream_callback_new(escape_write, w, &status);
    ssize_t n = fm_mime_out_write(&msg, out);
    g_object_unref(out);
    fm_mime_out_clear(&msg);
    if (w->status == S_OK && n < 0) {
        HRESULT read = fm_mime_stream_error();
        hr = fm_mime_fail(read != S_OK ? read : MAPI_E_CALL_FAILED,
                          "mbox: an attachment stream could not be read (%s)",
                          read != S_OK ? fmapi_last_error() : "no detail");
    }
    if (w->status != S_OK || hr != S_OK) {
        if (hr == S_OK)
            hr = w->status;
        w->olen = 0;
        w->bol = true;
        w->gt = w->matched = 0;
        w->cr = false;
        if (mark >= 0 && ftruncate(w->fd, mark) == 0)
            w->status = S_OK; /* the file is whole again: later messages may follow */
        return hr;
    }
    return end_message(w);
}

HRESULT fmapi_mbox_writer_close(fmapi_mbox_writer *w)
{
    if (w == NULL)
        return S_OK;
    HRESULT hr = flush_out(w);
    if (close(w->fd) != 0 && hr == S_OK)
        hr = fm_mime_fail(MAPI_E_DISK_ERROR, "mbox: close failed: %s", strerror(errno));
    fm_mime_free(w->out);
    fm_mime_free(w);
    return hr;
}
