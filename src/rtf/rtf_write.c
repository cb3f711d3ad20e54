/*
 * rtf/rtf_write.c - plain text and HTML as encapsulating RTF ([MS-OXRTFEX]
 * 2.1): the RTF an RTF reader displays, holding the original so that
 * de-encapsulation (rtf_read.c) gives it back.
 *
 * Both documents start with \rtf1\ansi\ansicpg1252, the \fromtext or
 * \fromhtml1 marker, a font table and a colour table. Characters outside
 * ASCII are written as \uN with a '?' fallback (\uc1), so the RTF does not
 * depend on code pages; '\', '{' and '}' are escaped; line ends become
 * \par (CRLF when read back, the normalisation the specification allows).
 *
 * HTML: an empty {\*\htmltag64} group comes first, as the specification
 * asks; then every tag, comment and declaration goes into an HTMLTAG
 * group, and so do the text of <head>, <style>, <script> and <title>, line
 * ends, and character references. Other text is written as RTF text, shared
 * by both renderings. What only the RTF rendering needs (a space for a line
 * end, a paragraph for <br> or </p>, the character a reference stands for)
 * is put inside \htmlrtf ... \htmlrtf0, which de-encapsulation leaves out.
 * The HTMLTagParameter of every group is 64; readers ignore it, as the
 * specification says they should.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "rtf/rtf.h"

static const char HEADER_TEXT[] =
    "{\\rtf1\\ansi\\ansicpg1252\\fromtext \\fbidis \\deff0{\\fonttbl{\\f0\\fswiss\\fcharset0 "
    "Arial;}{\\f1\\fmodern Courier New;}{\\f2\\fnil\\fcharset2 Symbol;}}\r\n"
    "{\\colortbl\\red0\\green0\\blue0;\\red0\\green0\\blue255;}\r\n"
    "\\uc1\\pard\\plain\\deftab360 \\f0\\fs20 ";
static const char HEADER_HTML[] =
    "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\fbidis \\deff0{\\fonttbl{\\f0\\fswiss\\fcharset0 "
    "Arial;}{\\f1\\fmodern Courier New;}{\\f2\\fnil\\fcharset2 Symbol;}{\\f3\\fmodern"
    "\\fcharset0 Courier New;}}\r\n"
    "{\\colortbl\\red0\\green0\\blue0;\\red0\\green0\\blue255;}\r\n"
    "\\uc1\\pard\\plain\\deftab360 \\f0\\fs20 {\\*\\htmltag64}";

/* The next code point of UTF-8 text; bytes that are not UTF-8 give U+FFFD. */
static uint32_t utf8_next(const unsigned char **pp, const unsigned char *end)
{
    const unsigned char *p = *pp;
    uint32_t c = *p++;
    int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (c >= 0x80 && more == 0) {
        *pp = p;
        return 0xFFFD;
    }
    c &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0x7F;
    for (int i = 0; i < more; i++) {
        if (p >= end || (*p & 0xC0) != 0x80) {
            *pp = p;
            return 0xFFFD;
        }
        c = c << 6 | (*p++ & 0x3F);
    }
    *pp = p;
    return c;
}

static HRESULT put_u(fm_rtf_buf *b, uint32_t unit)
{
    char s[24];
    long v = unit > 32767 ? (long)unit - 65536 : (long)unit;
    snprintf(s, sizeof s, "\\u%ld?", v);
    return fm_rtf_buf_puts(b, s);
}

/* One character of text; *cr says the previous character was CR. */
static HRESULT put_char(fm_rtf_buf *b, uint32_t c, int *cr)
{
    int was_cr = *cr;
    *cr = c == '\r';
    switch (c) {
    case '\r': return fm_rtf_buf_puts(b, "\\par\r\n");
    case '\n': return was_cr ? S_OK : fm_rtf_buf_puts(b, "\\par\r\n");
    case '\t': return fm_rtf_buf_puts(b, "\\tab ");
    case '\\': return fm_rtf_buf_puts(b, "\\\\");
    case '{': return fm_rtf_buf_puts(b, "\\{");
    case '}': return fm_rtf_buf_puts(b, "\\}");
    default: break;
    }
    if (c < 0x20) {
        char s[8];
        snprintf(s, sizeof s, "\\'%02x", (unsigned)c);
        return fm_rtf_buf_puts(b, s);
    }
    if (c < 0x80) {
        char ch = (char)c;
        return fm_rtf_buf_put(b, &ch, 1);
    }
    if (c < 0x10000)
        return put_u(b, c);
    c -= 0x10000;
    HRESULT hr = put_u(b, 0xD800 + (c >> 10));
    return hr == S_OK ? put_u(b, 0xDC00 + (c & 0x3FF)) : hr;
}

static HRESULT put_text(fm_rtf_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    int cr = 0;
    HRESULT hr = S_OK;
    while (hr == S_OK && p < end)
        hr = put_char(b, utf8_next(&p, end), &cr);
    return hr;
}

HRESULT fm_rtf_from_text(const char *text, size_t n, fm_rtf_buf *out)
{
    HRESULT hr = fm_rtf_buf_puts(out, HEADER_TEXT);
    if (hr == S_OK)
        hr = put_text(out, text, n);
    if (hr == S_OK)
        hr = fm_rtf_buf_puts(out, "}");
    if (hr != S_OK)
        fm_rtf_buf_clear(out);
    return hr;
}

/* ---- HTML ---------------------------------------------------------------------------- */
static HRESULT put_htmltag(fm_rtf_buf *b, const char *s, size_t n)
{
    HRESULT hr = fm_rtf_buf_puts(b, "{\\*\\htmltag64 ");
    if (hr == S_OK)
        hr = put_text(b, s, n);
    return hr == S_OK ? fm_rtf_buf_puts(b, "}") : hr;
}

/* Text only the RTF rendering shows. */
static HRESULT put_rtf_only(fm_rtf_buf *b, const char *rtf)
{
    HRESULT hr = fm_rtf_buf_puts(b, "\\htmlrtf ");
    if (hr == S_OK)
        hr = fm_rtf_buf_puts(b, rtf);
    return hr == S_OK ? fm_rtf_buf_puts(b, "\\htmlrtf0 ") : hr;
}

/* The tag's name, lower case, without '/'. */
static void tag_name(const char *t, size_t n, char *name, size_t cap, int *closing)
{
    size_t i = 1;
    *closing = i < n && t[i] == '/';
    if (*closing)
        i++;
    size_t k = 0;
    while (i < n && k + 1 < cap && (isalnum((unsigned char)t[i]) || t[i] == '-'))
        name[k++] = (char)tolower((unsigned char)t[i++]);
    name[k] = '\0';
}

static int breaks_line(const char *name, int closing)
{
    static const char *const after_close[] = { "p", "div", "h1", "h2", "h3", "h4", "h5",
                                               "h6", "li", "tr", "table", "blockquote",
                                               "pre", NULL };
    if (!closing && (strcmp(name, "br") == 0 || strcmp(name, "hr") == 0))
        return 1;
    for (int i = 0; closing && after_close[i]; i++)
        if (strcmp(name, after_close[i]) == 0)
            return 1;
    return 0;
}

/* Where a tag, comment or declaration starting at p ends (just past it). */
static const char *markup_end(const char *p, const char *end)
{
    if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
        for (const char *q = p + 4; q + 3 <= end; q++)
            if (memcmp(q, "-->", 3) == 0)
                return q + 3;
        return end;
    }
    char quote = 0;
    for (const char *q = p + 1; q < end; q++) {
        if (quote) {
            if (*q == quote)
                quote = 0;
        } else if (*q == '"' || *q == '\'') {
            quote = *q;
        } else if (*q == '>') {
            return q + 1;
        }
    }
    return end;
}

/* The character a simple reference stands for, as UTF-8 in out (empty
 * when not one of those), for the RTF rendering. */
static void reference_text(const char *r, size_t n, char *out, size_t cap)
{
    static const struct { const char *name, *text; } named[] = {
        { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
        { "&apos;", "'" }, { "&nbsp;", "\xC2\xA0" }, { NULL, NULL },
    };
    out[0] = '\0';
    for (int i = 0; named[i].name; i++)
        if (strlen(named[i].name) == n && strncasecmp(r, named[i].name, n) == 0) {
            snprintf(out, cap, "%s", named[i].text);
            return;
        }
    if (n < 4 || r[1] != '#')
        return;
    char num[16];
    size_t k = n - 3 < sizeof num - 1 ? n - 3 : sizeof num - 1;
    memcpy(num, r + 2, k);
    num[k] = '\0';
    unsigned long c = (num[0] == 'x' || num[0] == 'X') ? strtoul(num + 1, NULL, 16)
                                                       : strtoul(num, NULL, 10);
    if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return;
    unsigned char *u = (unsigned char *)out;
    if (c < 0x80) {
        u[0] = (unsigned char)c, u[1] = 0;
    } else if (c < 0x800) {
        u[0] = (unsigned char)(0xC0 | c >> 6), u[1] = (unsigned char)(0x80 | (c & 0x3F)), u[2] = 0;
    } else if (c < 0x10000) {
        u[0] = (unsigned char)(0xE0 | c >> 12), u[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (c & 0x3F)), u[3] = 0;
    } else {
        u[0] = (unsigned char)(0xF0 | c >> 18), u[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F)), u[3] = (unsigned char)(0x80 | (c & 0x3F));
        u[4] = 0;
    }
}

/* Text between tags, shown by both renderings except its line ends and
 * references. */
static HRESULT put_html_text(fm_rtf_buf *b, const char *s, size_t n)
{
    HRESULT hr = S_OK;
    size_t i = 0;
    while (hr == S_OK && i < n) {
        size_t j = i;
        while (j < n && s[j] != '&' && s[j] != '\r' && s[j] != '\n')
            j++;
        hr = put_text(b, s + i, j - i);
        if (hr != S_OK || j == n)
            break;
        if (s[j] == '&') {
            size_t k = j + 1;
            while (k < n && k - j < 12 && s[k] != ';' && !isspace((unsigned char)s[k]))
                k++;
            size_t len = (k < n && s[k] == ';') ? k + 1 - j : 1;
            char rendered[8];
            reference_text(s + j, len, rendered, sizeof rendered);
            hr = put_htmltag(b, s + j, len);
            if (hr == S_OK && rendered[0]) {
                fm_rtf_buf rtf = { NULL, 0, 0 };
                hr = put_text(&rtf, rendered, strlen(rendered));
                if (hr == S_OK)
                    hr = put_rtf_only(b, rtf.p);
                fm_rtf_buf_clear(&rtf);
            }
            i = j + len;
        } else {
            size_t k = j;
            while (k < n && (s[k] == '\r' || s[k] == '\n'))
                k++;
            hr = put_htmltag(b, s + j, k - j);
            if (hr == S_OK)
                hr = put_rtf_only(b, " ");
            i = k;
        }
    }
    return hr;
}

HRESULT fm_rtf_from_html(const char *html, size_t n, fm_rtf_buf *out)
{
    const char *p = html, *end = html + n;
    int hidden = 0; /* inside <head>, <style>, <script> or <title> */
    HRESULT hr = fm_rtf_buf_puts(out, HEADER_HTML);
    while (hr == S_OK && p < end) {
        if (*p == '<') {
            const char *e = markup_end(p, end);
            char name[16];
            int closing;
            tag_name(p, (size_t)(e - p), name, sizeof name, &closing);
            hr = put_htmltag(out, p, (size_t)(e - p));
            int hides = strcmp(name, "head") == 0 || strcmp(name, "style") == 0 ||
                        strcmp(name, "script") == 0 || strcmp(name, "title") == 0;
            if (hides)
                hidden += closing ? (hidden > 0 ? -1 : 0) : 1;
            if (hr == S_OK && !hidden && breaks_line(name, closing))
                hr = put_rtf_only(out, "\\par\r\n");
            p = e;
            continue;
        }
        const char *q = p;
        while (q < end && *q != '<')
            q++;
        hr = hidden ? put_htmltag(out, p, (size_t)(q - p)) : put_html_text(out, p, (size_t)(q - p));
        p = q;
    }
    if (hr == S_OK)
        hr = fm_rtf_buf_puts(out, "}");
    if (hr != S_OK)
        fm_rtf_buf_clear(out);
    return hr;
}
