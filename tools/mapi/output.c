/*
 * tools/mapi/output.c - what the tool prints: JSON values (escaped, commas
 * placed by nesting level), property values as text, times and hex.
 *
 * Property values arrive as the table or GetProps gave them; strings are
 * asked for in 8-bit form, which in freemapi is UTF-8, so they print as is.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* ---- JSON ----------------------------------------------------------------- */

static void json_sep(json_out *j)
{
    if (j->need_comma[j->depth])
        fputc(',', j->f);
    j->need_comma[j->depth] = true;
}

static void json_open(json_out *j, char ch)
{
    json_sep(j);
    fputc(ch, j->f);
    if (j->depth < 63)
        j->depth++;
    j->need_comma[j->depth] = false;
}

static void json_close(json_out *j, char ch)
{
    if (j->depth > 0)
        j->depth--;
    fputc(ch, j->f);
    if (j->depth == 0)
        fputc('\n', j->f);
}

void json_begin_object(json_out *j)
{
    json_open(j, '{');
}

void json_end_object(json_out *j)
{
    json_close(j, '}');
}

void json_begin_array(json_out *j)
{
    json_open(j, '[');
}

void json_end_array(json_out *j)
{
    json_close(j, ']');
}

static void json_raw_string(json_out *j, const char *s)
{
    fputc('"', j->f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", j->f); break;
        case '\\': fputs("\\\\", j->f); break;
        case '\n': fputs("\\n", j->f); break;
        case '\r': fputs("\\r", j->f); break;
        case '\t': fputs("\\t", j->f); break;
        default:
            if (*p < 0x20)
                fprintf(j->f, "\\u%04x", *p);
            else
                fputc(*p, j->f);
        }
    }
    fputc('"', j->f);
}

void json_key(json_out *j, const char *key)
{
    json_sep(j);
    json_raw_string(j, key);
    fputc(':', j->f);
    j->need_comma[j->depth] = false; /* the value follows without a comma */
}

void json_string(json_out *j, const char *utf8)
{
    json_sep(j);
    json_raw_string(j, utf8 ? utf8 : "");
}

void json_int(json_out *j, long long v)
{
    json_sep(j);
    fprintf(j->f, "%lld", v);
}

void json_bool(json_out *j, bool v)
{
    json_sep(j);
    fputs(v ? "true" : "false", j->f);
}

void json_null(json_out *j)
{
    json_sep(j);
    fputs("null", j->f);
}

/* ---- times ---------------------------------------------------------------- */

/* 100-ns intervals between 1601-01-01 and 1970-01-01. */
#define FILETIME_UNIX_EPOCH 116444736000000000LL

long long cli_filetime_to_unix(FILETIME ft)
{
    long long t = (long long)(((unsigned long long)ft.dwHighDateTime << 32) | ft.dwLowDateTime);
    return (t - FILETIME_UNIX_EPOCH) / 10000000LL;
}

FILETIME cli_unix_to_filetime(long long secs)
{
    unsigned long long t = (unsigned long long)(secs * 10000000LL + FILETIME_UNIX_EPOCH);
    FILETIME ft = { (ULONG)(t & 0xffffffffu), (ULONG)(t >> 32) };
    return ft;
}

bool cli_parse_date(const char *s, FILETIME *out)
{
    struct tm tm = { 0 };
    int n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) != 3)
        return false;
    if (s[n] == 'T' || s[n] == ' ') {
        int m = 0;
        if (sscanf(s + n + 1, "%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &m) != 2)
            return false;
        n += 1 + m;
        if (s[n] == ':') {
            if (sscanf(s + n + 1, "%2d%n", &tm.tm_sec, &m) != 1)
                return false;
            n += 1 + m;
        }
    }
    if (s[n] != '\0' || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = cli_unix_to_filetime((long long)timegm(&tm));
    return true;
}

/* iso: 2026-11-21T13:45:00Z, else 2026-11-21 13:45 (UTC both). */
static void format_time(FILETIME ft, bool iso, char *buf, size_t cap)
{
    time_t t = (time_t)cli_filetime_to_unix(ft);
    struct tm tm;
    size_t n = 0;
    if (gmtime_r(&t, &tm) != NULL)
        n = iso ? strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm)
                : strftime(buf, cap, "%Y-%m-%d %H:%M", &tm);
    if (n == 0)
        snprintf(buf, cap, "?");
}

/* ---- values ---------------------------------------------------------------- */

char *cli_hex(const SBinary *b)
{
    char *s = malloc((size_t)b->cb * 2 + 1);
    if (s != NULL)
        HexFromBin(b->lpb, (int)b->cb, s);
    return s;
}

void cli_prop_text(const SPropValue *v, char *buf, size_t cap)
{
    buf[0] = '\0';
    switch (PROP_TYPE(v->ulPropTag)) {
    case PT_STRING8: snprintf(buf, cap, "%s", v->Value.lpszA); break;
    case PT_LONG: snprintf(buf, cap, "%ld", (long)v->Value.l); break;
    case PT_I2: snprintf(buf, cap, "%d", v->Value.i); break;
    case PT_I8: snprintf(buf, cap, "%lld", (long long)v->Value.li.QuadPart); break;
    case PT_BOOLEAN: snprintf(buf, cap, "%s", v->Value.b ? "yes" : "no"); break;
    case PT_DOUBLE: snprintf(buf, cap, "%g", v->Value.dbl); break;
    case PT_SYSTIME: format_time(v->Value.ft, false, buf, cap); break;
    case PT_BINARY: {
        char *h = cli_hex(&v->Value.bin);
        snprintf(buf, cap, "%s", h ? h : "");
        free(h);
        break;
    }
    default: break; /* errors and absent values print empty */
    }
}

void json_prop(json_out *j, const SPropValue *v)
{
    char buf[64];
    switch (PROP_TYPE(v->ulPropTag)) {
    case PT_STRING8: json_string(j, v->Value.lpszA); break;
    case PT_LONG: json_int(j, v->Value.l); break;
    case PT_I2: json_int(j, v->Value.i); break;
    case PT_I8: json_int(j, (long long)v->Value.li.QuadPart); break;
    case PT_BOOLEAN: json_bool(j, v->Value.b != 0); break;
    case PT_SYSTIME:
        format_time(v->Value.ft, true, buf, sizeof buf);
        json_string(j, buf);
        break;
    case PT_BINARY: {
        char *h = cli_hex(&v->Value.bin);
        json_string(j, h ? h : "");
        free(h);
        break;
    }
    default: json_null(j); break;
    }
}
