/*
 * tnef/tnef_text.c - the text of TNEF streams: 8-bit strings in the
 * stream's code page (attOemCodepage) to and from UTF-16 through the C
 * library's iconv, down-level dates (DTR) and the hex strings of the
 * message ID attributes.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "tnef/tnef_int.h"

/* The iconv name of a Windows code page. */
static void cp_name(ULONG cp, char *out, size_t cap)
{
    static const struct {
        ULONG cp;
        const char *name;
    } NAMES[] = {
        { 65001, "UTF-8" },       { 20127, "ASCII" },        { 1200, "UTF-16LE" },
        { 1201, "UTF-16BE" },     { 932, "CP932" },          { 936, "GBK" },
        { 949, "CP949" },         { 950, "BIG5" },           { 20866, "KOI8-R" },
        { 21866, "KOI8-U" },      { 50220, "ISO-2022-JP" },  { 50221, "ISO-2022-JP" },
        { 50222, "ISO-2022-JP" }, { 51932, "EUC-JP" },       { 51949, "EUC-KR" },
        { 52936, "HZ-GB-2312" },  { 54936, "GB18030" },      { 10000, "MACINTOSH" },
        { 0, "CP1252" },          { 1, "CP1252" },
    };
    for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++) {
        if (NAMES[i].cp == cp) {
            snprintf(out, cap, "%s", NAMES[i].name);
            return;
        }
    }
    if (cp >= 28591 && cp <= 28606)
        snprintf(out, cap, "ISO-8859-%u", (unsigned)(cp - 28590));
    else
        snprintf(out, cap, "CP%u", (unsigned)cp);
}

bool tn_cp_known(ULONG cp)
{
    char name[32];
    cp_name(cp, name, sizeof name);
    iconv_t cd = iconv_open("UTF-16LE", name);
    if (cd == (iconv_t)-1)
        return false;
    iconv_close(cd);
    return true;
}

size_t tn_wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

WCHAR *tn_cp_to_utf16(ULONG cp, const void *s, size_t n, size_t *units)
{
    const BYTE *b = s;
    while (n > 0 && b[n - 1] == 0)
        n--;
    WCHAR *out = fm_malloc((n + 1) * 2 * sizeof(WCHAR));
    if (out == NULL)
        return NULL;
    char name[32];
    cp_name(cp, name, sizeof name);
    iconv_t cd = iconv_open("UTF-16LE", name);
    if (cd == (iconv_t)-1)
        cd = iconv_open("UTF-16LE", "CP1252");
    BYTE *le = (BYTE *)out;
    size_t outcap = (n + 1) * 2 * sizeof(WCHAR) - 2, produced = 0;
    char *in = (char *)b;
    size_t inleft = n;
    while (cd != (iconv_t)-1 && inleft > 0) {
        char *o = (char *)le + produced;
        size_t oleft = outcap - produced;
        size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
        produced = outcap - oleft;
        if (rc != (size_t)-1)
            break;
        if (errno == E2BIG || oleft < 2)
            break;
        /* an undecodable byte (or a cut sequence): U+FFFD, then on */
        le[produced++] = 0xFD;
        le[produced++] = 0xFF;
        in++;
        inleft--;
    }
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    else { /* no converter at all: bytes as Latin-1 */
        for (size_t i = 0; i < n; i++) {
            le[2 * i] = b[i];
            le[2 * i + 1] = 0;
        }
        produced = 2 * n;
    }
    size_t u = produced / 2;
    for (size_t i = 0; i < u; i++) /* little-endian bytes into native units */
        out[i] = (WCHAR)(le[2 * i] | le[2 * i + 1] << 8);
    out[u] = 0;
    *units = u;
    return out;
}

char *tn_utf16_to_cp(ULONG cp, const WCHAR *s, size_t units, size_t *n, bool *lossy)
{
    *lossy = false;
    BYTE *le = fm_malloc(units * 2 + 2);
    size_t cap = units * 4 + 8; /* ISO-2022 and GB18030 need up to 4 a unit */
    char *out = fm_malloc(cap);
    if (le == NULL || out == NULL) {
        fm_free(le);
        fm_free(out);
        return NULL;
    }
    for (size_t i = 0; i < units; i++) {
        le[2 * i] = (BYTE)s[i];
        le[2 * i + 1] = (BYTE)(s[i] >> 8);
    }
    char name[32];
    cp_name(cp, name, sizeof name);
    iconv_t cd = iconv_open(name, "UTF-16LE");
    size_t produced = 0;
    char *in = (char *)le;
    size_t inleft = units * 2;
    while (cd != (iconv_t)-1 && inleft > 0) {
        char *o = out + produced;
        size_t oleft = cap - 1 - produced;
        size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
        produced = cap - 1 - oleft;
        if (rc != (size_t)-1) {
            if (rc > 0)
                *lossy = true; /* irreversible conversions */
            break;
        }
        if (errno == E2BIG || oleft < 1)
            break;
        out[produced++] = '?';
        *lossy = true;
        in += 2;
        inleft = inleft >= 2 ? inleft - 2 : 0;
    }
    if (cd != (iconv_t)-1) {
        char *o = out + produced;
        size_t oleft = cap - 1 - produced;
        iconv(cd, NULL, NULL, &o, &oleft); /* the shift back of stateful sets */
        produced = cap - 1 - oleft;
        iconv_close(cd);
    } else {
        for (size_t i = 0; i < units; i++) {
            out[i] = s[i] < 0x80 ? (char)s[i] : '?';
            *lossy |= s[i] >= 0x80;
        }
        produced = units;
    }
    fm_free(le);
    out[produced] = '\0';
    *n = produced + 1;
    return out;
}

/* ---- dates ------------------------------------------------------------------ */
#define TICKS_PER_SEC 10000000ULL
#define EPOCH_1601_TO_1970 11644473600ULL

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    *y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y += *m <= 2;
}

static void put16(BYTE *p, unsigned v)
{
    p[0] = (BYTE)v;
    p[1] = (BYTE)(v >> 8);
}

static unsigned get16(const BYTE *p)
{
    return (unsigned)(p[0] | p[1] << 8);
}

void tn_dtr_from_filetime(FILETIME ft, BYTE out[14], bool *lossy)
{
    uint64_t t = (uint64_t)ft.dwHighDateTime << 32 | ft.dwLowDateTime;
    *lossy = t % TICKS_PER_SEC != 0;
    int64_t secs = (int64_t)(t / TICKS_PER_SEC) - (int64_t)EPOCH_1601_TO_1970;
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int64_t rem = secs - days * 86400;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 1601 || y > 30827)
        *lossy = true;
    put16(out, (unsigned)y);
    put16(out + 2, m);
    put16(out + 4, d);
    put16(out + 6, (unsigned)(rem / 3600));
    put16(out + 8, (unsigned)(rem % 3600 / 60));
    put16(out + 10, (unsigned)(rem % 60));
    int64_t dow = (days % 7 + 11) % 7; /* 1970-01-01 was a Thursday (4) */
    put16(out + 12, (unsigned)dow);
}

bool tn_dtr_to_filetime(const BYTE in[14], FILETIME *ft)
{
    unsigned y = get16(in), m = get16(in + 2), d = get16(in + 4);
    unsigned h = get16(in + 6), mi = get16(in + 8), s = get16(in + 10);
    if (y < 1601 || m < 1 || m > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 61)
        return false;
    int64_t secs = days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 + s;
    uint64_t t = (uint64_t)(secs + (int64_t)EPOCH_1601_TO_1970) * TICKS_PER_SEC;
    ft->dwLowDateTime = (DWORD)t;
    ft->dwHighDateTime = (DWORD)(t >> 32);
    return true;
}

/* ---- hex ---------------------------------------------------------------------- */
char *tn_hex(const BYTE *p, size_t n)
{
    static const char HEX[] = "0123456789ABCDEF";
    char *s = fm_malloc(n * 2 + 1);
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = HEX[p[i] >> 4];
        s[2 * i + 1] = HEX[p[i] & 15];
    }
    s[n * 2] = '\0';
    return s;
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

BYTE *tn_unhex(const char *s, size_t n, size_t *out_len)
{
    while (n > 0 && s[n - 1] == '\0')
        n--;
    if (n % 2 != 0)
        return NULL;
    BYTE *b = fm_malloc(n / 2 + 1);
    if (b == NULL)
        return NULL;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            fm_free(b);
            return NULL;
        }
        b[i] = (BYTE)(hi << 4 | lo);
    }
    *out_len = n / 2;
    return b;
}

/* ---- message classes ---------------------------------------------------------- */
static const struct {
    const char *legacy, *cls;
} CLASSES[] = {
    { "IPM.Microsoft Mail.Note", "IPM.Note" },
    { "IPM.Microsoft Mail.Read Receipt", "Report.IPM.Note.IPNRN" },
    { "IPM.Microsoft Mail.Non-Delivery", "Report.IPM.Note.NDR" },
    { "IPM.Microsoft Schedule.MtgRespP", "IPM.Schedule.Meeting.Resp.Pos" },
    { "IPM.Microsoft Schedule.MtgRespN", "IPM.Schedule.Meeting.Resp.Neg" },
    { "IPM.Microsoft Schedule.MtgRespA", "IPM.Schedule.Meeting.Resp.Tent" },
    { "IPM.Microsoft Schedule.MtgReq", "IPM.Schedule.Meeting.Request" },
    { "IPM.Microsoft Schedule.MtgCncl", "IPM.Schedule.Meeting.Canceled" },
};

const char *tn_class_from_legacy(const char *s)
{
    static const char PREFIX[] = "Microsoft Mail v3.0 ";
    if (strncmp(s, PREFIX, sizeof PREFIX - 1) == 0)
        s += sizeof PREFIX - 1;
    for (size_t i = 0; i < sizeof CLASSES / sizeof *CLASSES; i++) {
        if (strcmp(CLASSES[i].legacy, s) == 0)
            return CLASSES[i].cls;
    }
    return s;
}

const char *tn_class_to_legacy(const char *cls)
{
    if (strcmp(cls, "IPM") == 0)
        return "IPM.Microsoft Mail.Note";
    for (size_t i = 0; i < sizeof CLASSES / sizeof *CLASSES; i++) {
        if (strcasecmp(CLASSES[i].cls, cls) == 0)
            return CLASSES[i].legacy;
    }
    return cls;
}

/* ---- a code page, a chunk at a time --------------------------------------------- */
HRESULT tn_cpconv_open(tn_cpconv *c, ULONG cp)
{
    memset(c, 0, sizeof *c);
    char name[32];
    cp_name(cp, name, sizeof name);
    iconv_t cd = iconv_open("UTF-16LE", name);
    if (cd == (iconv_t)-1)
        cd = iconv_open("UTF-16LE", "CP1252");
    c->cd = cd == (iconv_t)-1 ? NULL : (void *)cd;
    return S_OK;
}

size_t tn_cpconv_feed(tn_cpconv *c, const BYTE *in, size_t n, WCHAR *out, size_t cap, bool last)
{
    /* the carried bytes first, then the new ones, through one buffer */
    BYTE *all = fm_malloc(c->ncarry + n + 1);
    BYTE *le = fm_malloc(cap * 2 + 4);
    size_t units = 0;
    if (all == NULL || le == NULL) {
        fm_free(all);
        fm_free(le);
        return 0;
    }
    memcpy(all, c->carry, c->ncarry);
    memcpy(all + c->ncarry, in, n);
    char *src = (char *)all;
    size_t left = c->ncarry + n, produced = 0;
    c->ncarry = 0;
    while (left > 0) {
        if (c->cd == NULL) { /* no converter: Latin-1 */
            le[produced++] = (BYTE)*src++;
            le[produced++] = 0;
            left--;
            continue;
        }
        char *o = (char *)le + produced;
        size_t oleft = cap * 2 - produced;
        size_t rc = iconv((iconv_t)c->cd, &src, &left, &o, &oleft);
        produced = cap * 2 - oleft;
        if (rc != (size_t)-1)
            break;
        if (errno == EINVAL && !last && left < sizeof c->carry) {
            memcpy(c->carry, src, left); /* a character cut by the chunk's end */
            c->ncarry = left;
            break;
        }
        if (errno == E2BIG || oleft < 2)
            break;
        le[produced++] = 0xFD; /* undecodable: U+FFFD */
        le[produced++] = 0xFF;
        src++;
        left--;
    }
    units = produced / 2;
    for (size_t i = 0; i < units; i++)
        out[i] = (WCHAR)(le[2 * i] | le[2 * i + 1] << 8);
    fm_free(all);
    fm_free(le);
    return units;
}

void tn_cpconv_close(tn_cpconv *c)
{
    if (c->cd != NULL)
        iconv_close((iconv_t)c->cd);
    c->cd = NULL;
}

ULONG tn_message_cp(IMessage *m)
{
    static const ULONG TAGS[] = { PR_MESSAGE_CODEPAGE, PR_INTERNET_CPID };
    for (size_t i = 0; i < sizeof TAGS / sizeof *TAGS; i++) {
        LPSPropValue v = NULL;
        ULONG cp = 0;
        if (HrGetOneProp((LPMAPIPROP)m, TAGS[i], &v) == S_OK)
            cp = (ULONG)v->Value.l;
        MAPIFreeBuffer(v);
        if (cp != 0 && cp != 1200 && cp != 1201 && tn_cp_known(cp))
            return cp;
    }
    return 1252;
}
