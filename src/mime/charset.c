/*
 * mime/charset.c - charsets of Internet text: Windows code pages for
 * PR_INTERNET_CPID, detection of undeclared or mislabelled 8-bit text
 * (uchardet, Mozilla's detector), and conversion to UTF-8 that tells
 * whether the declared charset could be used at all.
 *
 * Text whose bytes are not valid in the charset it declares (or that
 * declares none, or us-ascii, and has 8-bit bytes) is read in the charset
 * uchardet finds; when nothing else fits, windows-1252 and then ISO-8859-1,
 * in which every byte means a character, so no text is ever replaced by
 * U+FFFD for want of a guess. The caller keeps the original bytes of such
 * a part (they may still mean something the guess missed).
 */
#include <string.h>
#include <uchardet.h>

#include "mime/mime.h"

/* Charsets and their Windows code pages ([MS-OXCMAIL] uses the code page
 * in PR_INTERNET_CPID); aliases first-match. */
static const struct {
    const char *name;
    ULONG cpid;
} CHARSETS[] = {
    { "utf-8", 65001 },        { "utf8", 65001 },         { "us-ascii", 20127 },
    { "ascii", 20127 },        { "iso-8859-1", 28591 },   { "latin1", 28591 },
    { "iso-8859-2", 28592 },   { "iso-8859-3", 28593 },   { "iso-8859-4", 28594 },
    { "iso-8859-5", 28595 },   { "iso-8859-6", 28596 },   { "iso-8859-7", 28597 },
    { "iso-8859-8", 28598 },   { "iso-8859-9", 28599 },   { "iso-8859-13", 28603 },
    { "iso-8859-15", 28605 },  { "windows-1250", 1250 },  { "windows-1251", 1251 },
    { "windows-1252", 1252 },  { "windows-1253", 1253 },  { "windows-1254", 1254 },
    { "windows-1255", 1255 },  { "windows-1256", 1256 },  { "windows-1257", 1257 },
    { "windows-1258", 1258 },  { "koi8-r", 20866 },       { "koi8-u", 21866 },
    { "big5", 950 },           { "gb2312", 936 },         { "gbk", 936 },
    { "gb18030", 54936 },      { "shift_jis", 932 },      { "euc-jp", 51932 },
    { "iso-2022-jp", 50220 },  { "euc-kr", 51949 },       { "ks_c_5601-1987", 949 },
    { "utf-16", 1200 },        { "ibm852", 852 },         { "ibm866", 866 },
    { "tis-620", 874 },        { "windows-874", 874 },    { "iso-8859-11", 874 },
};

ULONG fm_mime_charset_cpid(const char *charset)
{
    for (size_t i = 0; charset != NULL && i < G_N_ELEMENTS(CHARSETS); i++) {
        if (g_ascii_strcasecmp(charset, CHARSETS[i].name) == 0)
            return CHARSETS[i].cpid;
    }
    return 0;
}

const char *fm_mime_cpid_charset(ULONG cpid)
{
    for (size_t i = 0; i < G_N_ELEMENTS(CHARSETS); i++) {
        if (CHARSETS[i].cpid == cpid)
            return CHARSETS[i].name;
    }
    return NULL;
}

bool fm_mime_charset_is_utf8(const char *cs)
{
    return cs != NULL && (g_ascii_strcasecmp(cs, "utf-8") == 0 || g_ascii_strcasecmp(cs, "utf8") == 0);
}

bool fm_mime_charset_is_ascii(const char *cs)
{
    return cs != NULL && (g_ascii_strcasecmp(cs, "us-ascii") == 0 ||
                          g_ascii_strcasecmp(cs, "ascii") == 0);
}

bool fm_mime_is_ascii(const char *p, size_t n)
{
    /* Eight bytes a round: most mail is ASCII, and this runs on every body. */
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ULL)
            return false;
    }
    for (; i < n; i++) {
        if ((unsigned char)p[i] >= 0x80)
            return false;
    }
    return true;
}

/* Whether a charset uchardet names is one mail is written in. On short
 * text uchardet also offers DOS and Mac code pages (IBM852 for a Latin-1
 * "naïve"); those are passed over for windows-1252. */
static bool mail_charset(const char *cs)
{
    static const char *const prefixes[] = { "UTF-", "ISO-8859-", "WINDOWS-125", "KOI8-", "BIG5",
                                            "GB", "HZ", "EUC-", "SHIFT_JIS", "ISO-2022-",
                                            "TIS-620" };
    for (size_t i = 0; i < G_N_ELEMENTS(prefixes); i++) {
        if (g_ascii_strncasecmp(cs, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    }
    return false;
}

/* uchardet over at most the first 64 KB (enough to decide, and bounded). */
static void detect(const char *data, size_t n, char *out, size_t cap)
{
    uchardet_t ud = uchardet_new();
    out[0] = '\0';
    if (ud == NULL)
        return;
    uchardet_handle_data(ud, data, n < 65536 ? n : 65536);
    uchardet_data_end(ud);
    const char *cs = uchardet_get_charset(ud);
    if (cs != NULL && mail_charset(cs))
        g_strlcpy(out, cs, cap);
    uchardet_delete(ud);
}

const char *fm_mime_charset_guess(const char *data, size_t n, char *buf, size_t cap)
{
    detect(data, n, buf, cap);
    GString *check = buf[0] != '\0' ? fm_mime_charset_to_utf8(data, n, buf) : NULL;
    if (check == NULL)
        g_strlcpy(buf, "windows-1252", cap);
    else
        g_string_free(check, TRUE);
    return buf;
}

GString *fm_mime_charset_to_utf8(const char *data, size_t n, const char *cs)
{
    if (n == 0)
        return g_string_new(NULL);
    if (fm_mime_charset_is_utf8(cs) || fm_mime_charset_is_ascii(cs)) {
        bool ok = fm_mime_charset_is_utf8(cs) ? g_utf8_validate(data, (gssize)n, NULL) &&
                                                   memchr(data, '\0', n) == NULL
                                             : fm_mime_is_ascii(data, n);
        return ok ? g_string_new_len(data, (gssize)n) : NULL;
    }
    gsize written = 0;
    GError *err = NULL;
    gchar *u = g_convert(data, (gssize)n, "UTF-8", cs, NULL, &written, &err);
    if (u == NULL) {
        g_clear_error(&err);
        return NULL;
    }
    GString *s = g_string_new_len(u, (gssize)written);
    g_free(u);
    return s;
}

/* The characters windows-1252 gives bytes 0x80-0x9F (0: undefined, read
 * as the C1 control of the same number, as ISO-8859-1 does). */
static const gunichar CP1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Whether p is valid UTF-8 between its NUL bytes. */
static bool utf8_but_nul(const char *p, size_t n)
{
    const char *end = p + n;
    while (p < end) {
        const char *z = memchr(p, '\0', (size_t)(end - p));
        size_t len = z ? (size_t)(z - p) : (size_t)(end - p);
        if (!g_utf8_validate(p, (gssize)len, NULL))
            return false;
        p += len + (z != NULL);
    }
    return true;
}

/* Whether p holds at least one valid multi-byte UTF-8 sequence. */
static bool has_utf8_sequence(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0xC2 || c > 0xF4)
            continue;
        size_t len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (i + len <= n && g_utf8_get_char_validated(p + i, (gssize)len) < 0x110000)
            return true;
    }
    return false;
}

/* Text that mixes UTF-8 with single-byte text (pasted, or one header of a
 * message in another charset): valid UTF-8 read as UTF-8, every other
 * byte as windows-1252. */
static GString *mixed_to_utf8(const char *p, size_t n)
{
    GString *out = g_string_sized_new(n + 16);
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x80) {
            g_string_append_c(out, (char)c);
            i++;
            continue;
        }
        size_t len = c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        gunichar u = len && i + len <= n ? g_utf8_get_char_validated(p + i, (gssize)len)
                                         : (gunichar)-1;
        if (u < 0x110000) {
            g_string_append_len(out, p + i, (gssize)len);
            i += len;
            continue;
        }
        gunichar w = c >= 0x80 && c < 0xA0 && CP1252[c - 0x80] ? CP1252[c - 0x80] : c;
        g_string_append_unichar(out, w);
        i++;
    }
    return out;
}

static void fm_text_decode_bytes(const char *data, size_t n, const char *declared,
                                 fm_text_decoded *out);

void fm_mime_text_decode(const char *data, size_t n, const char *declared, fm_text_decoded *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0) {
        g_strlcpy(out->used, declared && *declared ? declared : "us-ascii", sizeof out->used);
        return;
    }
    /* NUL is in no charset's text (RFC 2045 section 2.7): it stays in the
     * original, and the text reads on. */
    bool nul = memchr(data, '\0', n) != NULL;
    fm_text_decode_bytes(data, n, declared, out);
    out->repaired = out->repaired || nul;
}

static void fm_text_decode_bytes(const char *data, size_t n, const char *declared,
                                 fm_text_decoded *out)
{
    if (fm_mime_charset_is_utf8(declared) || fm_mime_charset_is_ascii(declared) ||
        declared == NULL || declared[0] == '\0') {
        /* The common case needs no copy: the bytes are the text. */
        bool ascii = fm_mime_is_ascii(data, n);
        bool ok = ascii || (fm_mime_charset_is_utf8(declared) &&
                            g_utf8_validate(data, (gssize)n, NULL));
        if (ok) {
            g_strlcpy(out->used, declared && *declared ? declared : "us-ascii", sizeof out->used);
            return;
        }
    }
    if (declared != NULL && declared[0] != '\0') {
        out->utf8 = fm_mime_charset_to_utf8(data, n, declared);
        if (out->utf8 != NULL) {
            g_strlcpy(out->used, declared, sizeof out->used);
            return;
        }
    }
    /* Undeclared 8-bit text, or bytes the declared charset cannot read. */
    out->repaired = true;
    if (utf8_but_nul(data, n)) {
        out->utf8 = g_string_new_len(data, (gssize)n);
        g_strlcpy(out->used, "utf-8", sizeof out->used);
        return;
    }
    if (has_utf8_sequence(data, n)) {
        out->utf8 = mixed_to_utf8(data, n);
        g_strlcpy(out->used, "utf-8", sizeof out->used);
        return;
    }
    char guess[64];
    detect(data, n, guess, sizeof guess);
    const char *tries[3] = { guess, "windows-1252", "iso-8859-1" };
    for (size_t i = 0; i < 3 && out->utf8 == NULL; i++) {
        if (tries[i][0] == '\0')
            continue;
        out->utf8 = fm_mime_charset_to_utf8(data, n, tries[i]);
        if (out->utf8 != NULL)
            g_strlcpy(out->used, tries[i], sizeof out->used);
    }
}
