/*
 * mime/mbox_read.c - reading an mbox file one message at a time.
 *
 * A message starts at a "From " line that begins the file or follows an
 * empty line and carries a time ("hh:mm"), as every mbox writer puts one
 * there; a "From " line in a body that a writer failed to escape therefore
 * rarely splits a message, and an escaped one (">From ") never does. One
 * '>' is taken off every ">...>From " line (mboxrd; for mboxo files this is
 * the same rule on the one level they escape). The empty line before the
 * next "From " line belongs to the separator and is not part of the message.
 *
 * Memory: one read buffer and the current message, whatever the file size;
 * a message larger than FMAPI_MAILBOX_SPOOL_MIN goes on into an unlinked
 * temporary file (0600) instead, mapped for entry->data and handed out as
 * entry->fd, so a 1 GB attachment never sits in memory. Text before the
 * first "From " line is returned as a message of its own (offset 0), so a
 * file missing its first separator loses nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mime/mime.h"

#define READ_CHUNK (64 * 1024)

struct fmapi_mbox_reader {
    int fd;
    char *buf; /* READ_CHUNK bytes read ahead */
    size_t bpos, blen;
    uint64_t boff; /* file offset of buf[0] */
    bool eof;
    char *line; /* the current line */
    size_t llen, lcap;
    uint64_t loff;
    bool have_line; /* line holds a "From " line not yet consumed */
    char *msg;
    size_t mlen, mcap;
    /* a message too large to hold: its bytes past msg's go to spool */
    int spool;          /* -1: none */
    char *sbuf;         /* writes to spool, gathered */
    size_t slen;
    size_t held;        /* bytes of the message in msg (its start) */
    void *map;          /* the spooled message, mapped for entry->data */
    size_t map_len;
};

static bool grow(char **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 4096;
    while (c < need)
        c *= 2;
    char *q = fm_mime_realloc(*p, *cap, c);
    if (q == NULL)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* Reads the next line (with its '\n') into r->line. S_OK, MAPI_E_NOT_FOUND
 * at the end of the file, or an error. */
static HRESULT read_line(fmapi_mbox_reader *r)
{
    r->llen = 0;
    r->loff = r->boff + r->bpos;
    for (;;) {
        if (r->bpos == r->blen) {
            if (r->eof)
                return r->llen > 0 ? S_OK : MAPI_E_NOT_FOUND;
            r->boff += r->blen;
            r->bpos = r->blen = 0;
            ssize_t n;
            do
                n = read(r->fd, r->buf, READ_CHUNK);
            while (n < 0 && errno == EINTR);
            if (n < 0)
                return fm_mime_fail(MAPI_E_DISK_ERROR, "mbox: read error at byte %llu: %s",
                                    (unsigned long long)r->boff, strerror(errno));
            if (n == 0)
                r->eof = true;
            r->blen = (size_t)n;
            continue;
        }
        char *start = r->buf + r->bpos;
        char *nl = memchr(start, '\n', r->blen - r->bpos);
        size_t take = nl ? (size_t)(nl - start) + 1 : r->blen - r->bpos;
        if (!grow(&r->line, &r->lcap, r->llen + take + 1))
            return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "mbox: out of memory for a line");
        memcpy(r->line + r->llen, start, take);
        r->llen += take;
        r->bpos += take;
        if (nl != NULL)
            return S_OK;
    }
}

/* "From " followed somewhere by a time, d:dd. */
static bool is_from_line(const char *s, size_t n)
{
    if (n < 5 || memcmp(s, "From ", 5) != 0)
        return false;
    for (size_t i = 6; i + 2 < n; i++) {
        if (s[i] == ':' && s[i - 1] >= '0' && s[i - 1] <= '9' && s[i + 1] >= '0' &&
            s[i + 1] <= '9' && s[i + 2] >= '0' && s[i + 2] <= '9')
            return true;
    }
    return false;
}

static bool is_blank(const char *s, size_t n)
{
    return n == 0 || (n == 1 && s[0] == '\n') || (n == 2 && s[0] == '\r' && s[1] == '\n');
}

static HRESULT spool_flush(fmapi_mbox_reader *r)
{
    size_t done = 0;
    while (done < r->slen) {
        ssize_t n = write(r->spool, r->sbuf + done, r->slen - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fm_mime_fail(MAPI_E_NOT_ENOUGH_DISK, "mbox: cannot spool a large message: %s",
                                strerror(errno));
        done += (size_t)n;
    }
    r->slen = 0;
    return S_OK;
}

/* Moves the message to a temporary file: its start stays in msg (its
 * header block, for the Status fields), the rest is written there. */
static HRESULT spool_start(fmapi_mbox_reader *r)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/freemapi-mbox-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path); /* 0600 */
    if (fd < 0)
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_DISK, "mbox: no temporary file for a large "
                                                    "message: %s", strerror(errno));
    unlink(path);
    if (r->sbuf == NULL && (r->sbuf = fm_mime_alloc(READ_CHUNK)) == NULL) {
        close(fd);
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "mbox: out of memory");
    }
    r->spool = fd;
    r->held = r->mlen;
    size_t done = 0;
    while (done < r->mlen) {
        ssize_t n = write(fd, r->msg + done, r->mlen - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fm_mime_fail(MAPI_E_NOT_ENOUGH_DISK, "mbox: cannot spool a large message: %s",
                                strerror(errno));
        done += (size_t)n;
    }
    return S_OK;
}

static HRESULT spool_put(fmapi_mbox_reader *r, const char *s, size_t n)
{
    while (n > 0) {
        if (r->slen == READ_CHUNK) {
            HRESULT hr = spool_flush(r);
            if (hr != S_OK)
                return hr;
        }
        size_t k = READ_CHUNK - r->slen < n ? READ_CHUNK - r->slen : n;
        memcpy(r->sbuf + r->slen, s, k);
        r->slen += k;
        s += k;
        n -= k;
    }
    return S_OK;
}

/* Ends a spooled message at len bytes and maps it. */
static HRESULT spool_finish(fmapi_mbox_reader *r, size_t len)
{
    HRESULT hr = spool_flush(r);
    if (hr == S_OK && ftruncate(r->spool, (off_t)len) != 0)
        hr = fm_mime_fail(MAPI_E_NOT_ENOUGH_DISK, "mbox: cannot spool a large message: %s",
                          strerror(errno));
    if (hr == S_OK && len > 0) {
        void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, r->spool, 0);
        if (map == MAP_FAILED)
            return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "mbox: cannot map a large message: %s",
                                strerror(errno));
        r->map = map;
        r->map_len = len;
    }
    if (hr == S_OK)
        lseek(r->spool, 0, SEEK_SET);
    return hr;
}

static void spool_clear(fmapi_mbox_reader *r)
{
    if (r->map != NULL)
        munmap(r->map, r->map_len);
    if (r->spool >= 0)
        close(r->spool);
    r->map = NULL;
    r->map_len = 0;
    r->spool = -1;
    r->slen = 0;
    r->held = 0;
}

/* Appends the current line to the message, one '>' off ">...>From ". */
static HRESULT append_line(fmapi_mbox_reader *r)
{
    const char *s = r->line;
    size_t n = r->llen;
    size_t gt = 0;
    while (gt < n && s[gt] == '>')
        gt++;
    if (gt > 0 && n - gt >= 5 && memcmp(s + gt, "From ", 5) == 0) {
        s++;
        n--;
    }
    if (r->spool >= 0) {
        r->mlen += n;
        return spool_put(r, s, n);
    }
    if (!grow(&r->msg, &r->mcap, r->mlen + n + 1))
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "mbox: out of memory for a message");
    memcpy(r->msg + r->mlen, s, n);
    r->mlen += n;
    return r->mlen > FMAPI_MAILBOX_SPOOL_MIN ? spool_start(r) : S_OK;
}

HRESULT fmapi_mbox_open(const char *path, fmapi_mbox_reader **out)
{
    fm_mime_clear_error();
    if (path == NULL || out == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "mbox: NULL argument");
    *out = NULL;
    fmapi_mbox_reader *r = fm_mime_alloc(sizeof *r);
    if (r == NULL)
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "mbox: out of memory");
    memset(r, 0, sizeof *r);
    r->spool = -1;
    r->buf = fm_mime_alloc(READ_CHUNK);
    if (r->buf == NULL) {
        fm_mime_free(r);
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "mbox: out of memory");
    }
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        HRESULT hr = fm_mime_fail(errno == ENOENT ? MAPI_E_NOT_FOUND : MAPI_E_NO_ACCESS,
                                  "mbox: cannot open %s: %s", path, strerror(errno));
        fm_mime_free(r->buf);
        fm_mime_free(r);
        return hr;
    }
    *out = r;
    return S_OK;
}

/* The marks of the message's Status and X-Status fields, as mutt,
 * Thunderbird and other mbox writers keep them: Status R read ("RO");
 * X-Status A answered, F flagged, T draft, D deleted. */
static ULONG status_flags(const char *msg, size_t len)
{
    static const struct {
        char letter;
        ULONG flag;
    } X[] = { { 'A', FMAPI_MAILBOX_ANSWERED },
              { 'F', FMAPI_MAILBOX_FLAGGED },
              { 'T', FMAPI_MAILBOX_DRAFT },
              { 'D', FMAPI_MAILBOX_DELETED } };
    ULONG flags = 0;
    const char *p = msg, *end = msg + len;
    while (p < end && *p != '\n' && !(*p == '\r' && p + 1 < end && p[1] == '\n')) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        size_t n = (size_t)(eol - p);
        if (n > 7 && strncasecmp(p, "Status:", 7) == 0 && memchr(p + 7, 'R', n - 7) != NULL)
            flags |= MSGFLAG_READ;
        if (n > 9 && strncasecmp(p, "X-Status:", 9) == 0) {
            for (size_t i = 0; i < sizeof X / sizeof *X; i++) {
                if (memchr(p + 9, X[i].letter, n - 9) != NULL)
                    flags |= X[i].flag;
            }
        }
        p = nl ? nl + 1 : end;
    }
    return flags;
}

HRESULT fmapi_mbox_next(fmapi_mbox_reader *r, fmapi_mailbox_entry *entry)
{
    fm_mime_clear_error();
    if (r == NULL || entry == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "mbox: NULL argument");
    memset(entry, 0, sizeof *entry);
    entry->fd = -1;
    spool_clear(r);
    r->mlen = 0;
    HRESULT hr = S_OK;
    uint64_t offset;
    if (r->have_line) {
        offset = r->loff; /* the "From " line read last time */
        r->have_line = false;
    } else {
        /* The first message: skip empty lines; text that is not a "From "
         * line starts a message of its own. */
        do
            hr = read_line(r);
        while (hr == S_OK && is_blank(r->line, r->llen));
        if (hr != S_OK)
            return hr == MAPI_E_NOT_FOUND ? MAPI_E_NOT_FOUND : hr;
        offset = r->loff;
        if (!(r->llen >= 5 && memcmp(r->line, "From ", 5) == 0) && (hr = append_line(r)) != S_OK)
            return hr;
    }
    bool prev_blank = false;
    size_t blank_at = 0;
    for (;;) {
        hr = read_line(r);
        if (hr == MAPI_E_NOT_FOUND) {
            if (prev_blank)
                r->mlen = blank_at; /* the last separator */
            break;
        }
        if (hr != S_OK)
            return hr;
        if (prev_blank && is_from_line(r->line, r->llen)) {
            r->have_line = true;
            r->mlen = blank_at; /* the separator's empty line */
            break;
        }
        prev_blank = is_blank(r->line, r->llen);
        if (prev_blank)
            blank_at = r->mlen;
        if ((hr = append_line(r)) != S_OK)
            return hr;
    }
    if (r->msg == NULL && !grow(&r->msg, &r->mcap, 1))
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "mbox: out of memory");
    entry->offset = offset;
    entry->folder = "";
    if (r->spool >= 0) {
        hr = spool_finish(r, r->mlen);
        if (hr != S_OK)
            return hr;
        entry->data = r->map != NULL ? r->map : "";
        entry->len = r->mlen;
        entry->fd = r->spool;
        entry->flags = status_flags(r->msg, r->held);
        return S_OK;
    }
    r->msg[r->mlen] = '\0';
    entry->data = r->msg;
    entry->len = r->mlen;
    entry->flags = status_flags(r->msg, r->mlen);
    return S_OK;
}

void fmapi_mbox_close(fmapi_mbox_reader *r)
{
    if (r == NULL)
        return;
    spool_clear(r);
    fm_mime_free(r->sbuf);
    close(r->fd);
    fm_mime_free(r->buf);
    fm_mime_free(r->line);
    fm_mime_free(r->msg);
    fm_mime_free(r);
}
