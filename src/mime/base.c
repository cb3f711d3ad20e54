/*
 * mime/base.c - the set-up every entry point shares: GMime initialised
 * once, this library's error text, memory through MAPI's allocator, and
 * time conversion.
 *
 * GMime is never shut down: g_mime_shutdown cannot be followed by another
 * g_mime_init in the same process, and other code in the program may be
 * using GMime too. GLib's type registry stays for the process's life
 * anyway (scripts/valgrind.supp names those one-time blocks).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mime/mime.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static GMimeParserOptions *parser_options;
static GMimeFormatOptions *format_options;

static void init_gmime(void)
{
    g_mime_init();
    parser_options = g_mime_parser_options_new();
    g_mime_parser_options_set_rfc2047_compliance_mode(parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(parser_options,
                                                      GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(parser_options,
                                                        GMIME_RFC_COMPLIANCE_LOOSE);
    format_options = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(format_options, GMIME_NEWLINE_FORMAT_DOS);
}

void fm_mime_init(void)
{
    pthread_once(&init_once, init_gmime);
}

GMimeParserOptions *fm_mime_parser_options(void)
{
    fm_mime_init();
    return parser_options;
}

GMimeFormatOptions *fm_mime_format_options(void)
{
    fm_mime_init();
    return format_options;
}

/* ---- error text ------------------------------------------------------------ */
/* One thread error for all of freemapi: MIME's text is fmapi_last_error's,
 * so a program reading either after any call, MIME or not, gets it. */

const char *fmapi_mime_last_error(void)
{
    return fmapi_last_error();
}

void fm_mime_clear_error(void)
{
    fmapi_clear_error();
}

HRESULT fm_mime_fail(HRESULT hr, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return fmapi_error_set(hr, text);
}

HRESULT fm_mime_fail_mapi(HRESULT hr, const char *what)
{
    const char *inner = fmapi_last_error();
    if (inner == NULL || inner[0] == '\0')
        inner = fmapi_error_name(hr);
    return fm_mime_fail(hr, "%s: %s", what, inner);
}

/* ---- memory ---------------------------------------------------------------- */
void *fm_mime_alloc(size_t n)
{
    void *p = NULL;
    if (n > 0xFFFFFFF0u || MAPIAllocateBuffer((ULONG)(n ? n : 1), &p) != S_OK)
        return NULL;
    return p;
}

void *fm_mime_realloc(void *p, size_t old, size_t n)
{
    void *q = fm_mime_alloc(n);
    if (q == NULL)
        return NULL;
    if (p != NULL) {
        memcpy(q, p, old < n ? old : n);
        MAPIFreeBuffer(p);
    }
    return q;
}

void fm_mime_free(void *p)
{
    if (p != NULL)
        MAPIFreeBuffer(p);
}

char *fm_mime_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = fm_mime_alloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

/* ---- time -------------------------------------------------------------------- */
/* FILETIME counts 100 ns ticks since 1601-01-01. */
#define EPOCH_DIFF 11644473600LL

FILETIME fm_mime_filetime(int64_t unix_seconds)
{
    uint64_t t = (uint64_t)(unix_seconds + EPOCH_DIFF) * 10000000ULL;
    FILETIME ft = { (DWORD)(t & 0xFFFFFFFFu), (DWORD)(t >> 32) };
    return ft;
}

int64_t fm_mime_unix_time(FILETIME ft)
{
    uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    return (int64_t)(t / 10000000ULL) - EPOCH_DIFF;
}
