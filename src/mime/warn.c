/*
 * mime/warn.c - the warnings of an import: what the converter repaired,
 * and what it kept as it came because MAPI has no place for it.
 *
 * An import that meets broken MIME still succeeds (a mail reader shows
 * such messages too), but nothing is dropped silently: each repair is one
 * line here, which fmapi_mime_last_warnings() gives the caller (the `mapi`
 * tool prints them). The text lives in a fixed thread-local buffer, so a
 * warning never allocates and never fails; when the buffer is full, the
 * count of the lines left out is kept.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mime/mime.h"

#define WARN_CAP 2048

static _Thread_local char warn_text[WARN_CAP];
static _Thread_local size_t warn_len;
static _Thread_local unsigned warn_dropped;
static _Thread_local unsigned warn_count;

const char *fmapi_mime_last_warnings(void)
{
    if (warn_dropped > 0 && warn_len + 48 <= WARN_CAP) {
        /* Written on reading, so later warnings still find room first. */
        char tail[48];
        int n = snprintf(tail, sizeof tail, "(%u more warnings)\n", warn_dropped);
        memcpy(warn_text + warn_len, tail, (size_t)n + 1);
    }
    return warn_text;
}

unsigned fm_mime_warning_count(void)
{
    return warn_count;
}

void fm_mime_clear_warnings(void)
{
    warn_text[0] = '\0';
    warn_len = 0;
    warn_dropped = 0;
    warn_count = 0;
}

void fm_mime_warn(const char *fmt, ...)
{
    warn_count++;
    /* Room for the line and for the "(N more warnings)" note after it. */
    size_t room = WARN_CAP - warn_len;
    if (room <= 48 + 2) {
        warn_dropped++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(warn_text + warn_len, room - 48, fmt, ap);
    va_end(ap);
    if (n < 0) {
        warn_text[warn_len] = '\0';
        warn_dropped++;
        return;
    }
    size_t used = (size_t)n < room - 49 ? (size_t)n : room - 49;
    /* One line per warning, whatever the text held. */
    for (size_t i = 0; i < used; i++) {
        char *c = &warn_text[warn_len + i];
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    }
    warn_len += used;
    warn_text[warn_len++] = '\n';
    warn_text[warn_len] = '\0';
}
