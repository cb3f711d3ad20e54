/*
 * rtf/rtf_read.c - reading RTF (rtf.h): what the header says it holds, its
 * encapsulated HTML or text ([MS-OXRTFEX] 2.2, de-encapsulation), and its
 * visible text.
 *
 * One walker serves the three readings. It tokenizes RTF ([MSFT-RTF]:
 * groups, control words with an optional numeric parameter and one
 * delimiting space, control symbols, \'hh bytes, text), keeps per group
 * whether the group is skipped (a destination such as the font or colour
 * table, a picture, any \* destination it does not read), whether
 * \htmlrtf is on and whether the group is an HTMLTAG (or MHTMLTAG)
 * destination, and the current font, whose \fcharset gives the code page of
 * 8-bit text. What it emits depends on the reading:
 *   HTML   HTMLTAG content, and text outside \htmlrtf runs
 *   TEXT   text outside \htmlrtf runs (HTMLTAG groups are skipped)
 *   RTF    every visible text run, \htmlrtf ones included
 * An MHTMLTAG group carries a tag with rewritten links meant for plain
 * HTML: it is emitted and the HTMLTAG group after it is not.
 * Groups nested deeper than FM_RTF_MAX_DEPTH are skipped whole, so no input
 * costs more than its length.
 */
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "rtf/rtf.h"

#define FM_RTF_MAX_DEPTH 256
#define MAX_FONTS 512
#define PENDING_MAX 256

typedef enum mode { MODE_DETECT, MODE_HTML, MODE_TEXT, MODE_RTF } mode;

typedef struct group_state {
    unsigned char skip, htmlrtf, htmltag, fonttbl;
    int font; /* current font number, -1 none */
    int uc;   /* fallback characters after \uN */
} group_state;

typedef struct font_cp {
    int num;
    unsigned cp;
} font_cp;

typedef struct walker {
    const char *p, *end;
    mode mode;
    fm_rtf_buf *out;
    group_state st[FM_RTF_MAX_DEPTH];
    int depth;            /* index of the current group's state */
    int overflow;         /* groups opened past the deepest state */
    int first;            /* the next token is a group's first */
    int starred;          /* the group began with \* */
    int skip_next_htmltag;
    unsigned default_cp;
    font_cp fonts[MAX_FONTS];
    int nfonts, defining; /* the font table entry being read */
    int skip_chars;       /* \uN fallback characters still to drop */
    uint16_t high;        /* a high surrogate waiting for its pair */
    char pending[PENDING_MAX]; /* 8-bit text not yet decoded */
    size_t npending;
    unsigned pending_cp;
    iconv_t cd;
    unsigned cd_cp;
    fm_rtf_kind kind;     /* MODE_DETECT: what the header said */
    int saw_text;
    HRESULT hr;
} walker;

/* ---- buffers -------------------------------------------------------------------- */
HRESULT fm_rtf_buf_put(fm_rtf_buf *b, const void *p, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *q = fm_realloc(b->p, cap);
        if (q == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "RTF: out of memory");
        b->p = q;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
    return S_OK;
}

HRESULT fm_rtf_buf_puts(fm_rtf_buf *b, const char *s)
{
    return fm_rtf_buf_put(b, s, strlen(s));
}

void fm_rtf_buf_clear(fm_rtf_buf *b)
{
    fm_free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* ---- code pages ----------------------------------------------------------------- */
static unsigned charset_cp(int charset)
{
    switch (charset) {
    case 0: return 1252;
    case 2: return 0; /* symbol: bytes are glyph numbers, read as Latin-1 */
    case 77: return 10000;
    case 128: return 932;
    case 129: return 949;
    case 130: return 1361;
    case 134: return 936;
    case 136: return 950;
    case 161: return 1253;
    case 162: return 1254;
    case 163: return 1258;
    case 177: return 1255;
    case 178: return 1256;
    case 186: return 1257;
    case 204: return 1251;
    case 222: return 874;
    case 238: return 1250;
    default: return 1252;
    }
}

static void iconv_name(unsigned cp, char *name, size_t cap)
{
    if (cp == 65001)
        snprintf(name, cap, "UTF-8");
    else if (cp == 10000)
        snprintf(name, cap, "MACINTOSH");
    else if (cp == 20127)
        snprintf(name, cap, "ASCII");
    else if (cp >= 28591 && cp <= 28606)
        snprintf(name, cap, "ISO-8859-%u", cp - 28590);
    else
        snprintf(name, cap, "CP%u", cp);
}

/* Appends p as Latin-1: each byte its own code point. */
static HRESULT latin1(const char *p, size_t n, fm_rtf_buf *out)
{
    HRESULT hr = S_OK;
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        char u[2];
        if (c < 0x80) {
            hr = fm_rtf_buf_put(out, &p[i], 1);
        } else {
            u[0] = (char)(0xC0 | c >> 6);
            u[1] = (char)(0x80 | (c & 0x3F));
            hr = fm_rtf_buf_put(out, u, 2);
        }
    }
    return hr;
}

static HRESULT convert(iconv_t cd, const char *p, size_t n, fm_rtf_buf *out)
{
    char buf[1024];
    char *in = (char *)(uintptr_t)p;
    size_t left = n;
    HRESULT hr = S_OK;
    while (hr == S_OK && left > 0) {
        char *o = buf;
        size_t room = sizeof buf;
        size_t r = iconv(cd, &in, &left, &o, &room);
        hr = fm_rtf_buf_put(out, buf, (size_t)(o - buf));
        if (r == (size_t)-1 && hr == S_OK && o == buf) {
            /* A byte the code page does not map: kept as U+FFFD. */
            hr = fm_rtf_buf_puts(out, "\xEF\xBF\xBD");
            in++;
            left--;
        }
    }
    iconv(cd, NULL, NULL, NULL, NULL);
    return hr;
}

HRESULT fm_rtf_codepage_to_utf8(unsigned cpid, const char *p, size_t n, fm_rtf_buf *out)
{
    if (cpid == 65001 || cpid == 0) {
        if (cpid == 65001 && !fm_utf8_valid(p, n))
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "RTF: text marked UTF-8 is not");
        return cpid ? fm_rtf_buf_put(out, p, n) : latin1(p, n, out);
    }
    char name[32];
    iconv_name(cpid, name, sizeof name);
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return fm_error_set(MAPI_E_UNKNOWN_CPID, "RTF: code page %u is not known here", cpid);
    HRESULT hr = convert(cd, p, n, out);
    iconv_close(cd);
    return hr;
}

/* ---- emitting ---------------------------------------------------------------------- */
static group_state *cur(walker *w)
{
    return &w->st[w->depth];
}

static int emitting(walker *w)
{
    group_state *g = cur(w);
    if (w->overflow || g->skip || g->fonttbl)
        return 0;
    switch (w->mode) {
    case MODE_HTML: return g->htmltag || !g->htmlrtf;
    case MODE_TEXT: return !g->htmltag && !g->htmlrtf;
    case MODE_RTF: return !g->htmltag;
    default: return 0;
    }
}

static unsigned font_codepage(walker *w, int font)
{
    for (int i = 0; i < w->nfonts; i++)
        if (w->fonts[i].num == font)
            return w->fonts[i].cp;
    return w->default_cp;
}

static void flush_pending(walker *w)
{
    if (w->npending == 0 || w->hr != S_OK)
        return;
    unsigned cp = w->pending_cp;
    if (cp == 0 || cp == 20127) {
        w->hr = latin1(w->pending, w->npending, w->out);
    } else {
        if (w->cd == (iconv_t)-1 || w->cd_cp != cp) {
            if (w->cd != (iconv_t)-1)
                iconv_close(w->cd);
            char name[32];
            iconv_name(cp, name, sizeof name);
            w->cd = iconv_open("UTF-8", name);
            w->cd_cp = cp;
        }
        /* A code page the system lacks: its bytes are kept as Latin-1. */
        w->hr = w->cd == (iconv_t)-1 ? latin1(w->pending, w->npending, w->out)
                                     : convert(w->cd, w->pending, w->npending, w->out);
    }
    w->npending = 0;
}

static void put_codepoint(walker *w, uint32_t c)
{
    flush_pending(w);
    if (w->hr != S_OK)
        return;
    char u[4];
    size_t n;
    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | c >> 6);
        u[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xE0 | c >> 12);
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | c >> 18);
        u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    w->hr = fm_rtf_buf_put(w->out, u, n);
}

static void put_ascii(walker *w, const char *s)
{
    flush_pending(w);
    if (w->hr == S_OK)
        w->hr = fm_rtf_buf_puts(w->out, s);
}

/* One byte of text in the current font's code page. */
static void put_byte(walker *w, unsigned char b)
{
    if (w->skip_chars > 0) {
        w->skip_chars--;
        return;
    }
    if (w->depth == 0)
        w->saw_text = 1;
    if (!emitting(w) || w->hr != S_OK)
        return;
    unsigned cp = font_codepage(w, cur(w)->font);
    if (w->npending > 0 && (w->pending_cp != cp || w->npending == PENDING_MAX))
        flush_pending(w);
    w->pending_cp = cp;
    w->pending[w->npending++] = (char)b;
}

static void put_unicode(walker *w, long v)
{
    uint32_t u = (uint32_t)(v < 0 ? v + 65536 : v) & 0xFFFF;
    w->skip_chars = cur(w)->uc;
    if (w->depth == 0)
        w->saw_text = 1;
    if (!emitting(w))
        return;
    if (u >= 0xD800 && u <= 0xDBFF) {
        w->high = (uint16_t)u;
        return;
    }
    if (u >= 0xDC00 && u <= 0xDFFF && w->high) {
        put_codepoint(w, 0x10000 + (((uint32_t)w->high - 0xD800) << 10) + (u - 0xDC00));
        w->high = 0;
        return;
    }
    w->high = 0;
    put_codepoint(w, (u >= 0xD800 && u <= 0xDFFF) ? 0xFFFD : u);
}

/* ---- destinations and control words -------------------------------------------------- */
static const char *const SKIPPED[] = {
    "colortbl", "stylesheet", "info", "pict", "object", "header", "headerl", "headerr",
    "headerf", "footer", "footerl", "footerr", "footerf", "footnote", "fldinst", "xe", "tc",
    "listtable", "listoverridetable", "rsidtbl", "generator", "themedata",
    "colorschememapping", "datastore", "latentstyles", "pgdsctbl", "filetbl", "revtbl",
    "bkmkstart", "bkmkend", "nonshppict", "blipuid", NULL,
};

static int is_skipped(const char *word)
{
    for (int i = 0; SKIPPED[i]; i++)
        if (strcmp(word, SKIPPED[i]) == 0)
            return 1;
    return 0;
}

/* The first control word of a group may make it a destination. */
static void destination(walker *w, const char *word)
{
    group_state *g = cur(w);
    if (strcmp(word, "fonttbl") == 0) {
        g->fonttbl = 1;
        return;
    }
    int html = strcmp(word, "htmltag") == 0, mhtml = strcmp(word, "mhtmltag") == 0;
    if ((html || mhtml) && w->mode == MODE_HTML) {
        if (html && w->skip_next_htmltag) {
            g->skip = 1;
            w->skip_next_htmltag = 0;
        } else {
            g->htmltag = 1;
            w->skip_next_htmltag = mhtml;
        }
        return;
    }
    if (w->starred || is_skipped(word))
        g->skip = 1;
}

static void font_table_word(walker *w, const char *word, int has, long v)
{
    if (strcmp(word, "f") == 0 && has) {
        if (w->nfonts < MAX_FONTS) {
            w->fonts[w->nfonts].num = (int)v;
            w->fonts[w->nfonts].cp = w->default_cp;
            w->defining = w->nfonts++;
        }
    } else if (strcmp(word, "fcharset") == 0 && has && w->defining >= 0) {
        w->fonts[w->defining].cp = charset_cp((int)v);
    } else if (strcmp(word, "cpg") == 0 && has && w->defining >= 0) {
        w->fonts[w->defining].cp = (unsigned)v;
    }
}

typedef struct word_text {
    const char *word;
    uint32_t cp;
} word_text;

/* Control words that stand for one character. */
static const word_text CHARS[] = {
    { "lquote", 0x2018 },  { "rquote", 0x2019 },  { "ldblquote", 0x201C },
    { "rdblquote", 0x201D }, { "bullet", 0x2022 }, { "endash", 0x2013 },
    { "emdash", 0x2014 },  { "emspace", 0x2003 }, { "enspace", 0x2002 },
    { "qmspace", 0x2005 }, { "zwj", 0x200D },     { "zwnj", 0x200C },
    { "ltrmark", 0x200E }, { "rtlmark", 0x200F }, { NULL, 0 },
};

static void control_word(walker *w, const char *word, int has, long v)
{
    group_state *g = cur(w);
    if (w->first) {
        w->first = 0;
        destination(w, word);
    }
    if (w->mode == MODE_DETECT && w->depth == 0) {
        if (strcmp(word, "fromhtml") == 0)
            w->kind = FM_RTF_FROM_HTML;
        else if (strcmp(word, "fromtext") == 0)
            w->kind = FM_RTF_FROM_TEXT;
    }
    if (strcmp(word, "ansicpg") == 0 && has) {
        w->default_cp = (unsigned)v;
        return;
    }
    if (g->fonttbl) {
        font_table_word(w, word, has, v);
        return;
    }
    if (strcmp(word, "htmlrtf") == 0) {
        g->htmlrtf = !has || v != 0;
        return;
    }
    if (strcmp(word, "f") == 0 && has) {
        flush_pending(w);
        g->font = (int)v;
        return;
    }
    if (strcmp(word, "uc") == 0 && has) {
        g->uc = v < 0 ? 0 : (int)(v > 8 ? 8 : v);
        return;
    }
    if (strcmp(word, "u") == 0 && has) {
        put_unicode(w, v);
        return;
    }
    if (w->skip_chars > 0) { /* a control word in the fallback counts as one character */
        w->skip_chars--;
        return;
    }
    if (!emitting(w))
        return;
    if (strcmp(word, "par") == 0 || strcmp(word, "line") == 0 || strcmp(word, "sect") == 0 ||
        strcmp(word, "page") == 0)
        put_ascii(w, "\r\n");
    else if (strcmp(word, "tab") == 0)
        put_ascii(w, "\t");
    else if (strcmp(word, "cell") == 0 && w->mode == MODE_RTF)
        put_ascii(w, "\t");
    else if (strcmp(word, "row") == 0 && w->mode == MODE_RTF)
        put_ascii(w, "\r\n");
    else
        for (int i = 0; CHARS[i].word; i++)
            if (strcmp(word, CHARS[i].word) == 0) {
                put_codepoint(w, CHARS[i].cp);
                break;
            }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void control_symbol(walker *w, char c)
{
    if (c == '*') {
        if (w->first)
            w->starred = 1;
        return;
    }
    if (c == '\'') {
        int hi = w->p < w->end ? hexval(*w->p) : -1;
        int lo = w->p + 1 < w->end ? hexval(w->p[1]) : -1;
        if (hi >= 0 && lo >= 0) {
            w->p += 2;
            w->first = 0;
            if (!cur(w)->fonttbl)
                put_byte(w, (unsigned char)(hi << 4 | lo));
        }
        return;
    }
    w->first = 0;
    if (cur(w)->fonttbl)
        return;
    if (w->skip_chars > 0) {
        w->skip_chars--;
        return;
    }
    if (w->depth == 0)
        w->saw_text = 1;
    if (!emitting(w))
        return;
    switch (c) {
    case '\\':
    case '{':
    case '}': put_byte(w, (unsigned char)c); break;
    case '~': put_codepoint(w, 0x00A0); break;
    case '_': put_codepoint(w, 0x2011); break;
    case '\r':
    case '\n': put_ascii(w, "\r\n"); break; /* \<newline> is \par */
    default: break;                         /* \- and others: nothing visible */
    }
}

/* ---- the walk -------------------------------------------------------------------------- */
static void open_group(walker *w)
{
    flush_pending(w);
    if (w->overflow || w->depth + 1 >= FM_RTF_MAX_DEPTH) {
        w->overflow++;
        return;
    }
    w->st[w->depth + 1] = w->st[w->depth];
    w->depth++;
    w->first = 1;
    w->starred = 0;
    w->skip_chars = 0;
}

static void close_group(walker *w)
{
    flush_pending(w);
    if (w->overflow) {
        w->overflow--;
        return;
    }
    if (cur(w)->fonttbl && (w->depth == 0 || !w->st[w->depth - 1].fonttbl))
        w->defining = -1;
    if (w->depth > 0)
        w->depth--;
    w->first = 0;
    w->skip_chars = 0;
}

static void read_word(walker *w)
{
    char word[33];
    size_t n = 0;
    while (w->p < w->end && ((*w->p >= 'a' && *w->p <= 'z') || (*w->p >= 'A' && *w->p <= 'Z'))) {
        if (n < sizeof word - 1)
            word[n++] = *w->p;
        w->p++;
    }
    word[n] = '\0';
    int has = 0, neg = 0;
    long v = 0;
    if (w->p < w->end && *w->p == '-' && w->p + 1 < w->end && w->p[1] >= '0' && w->p[1] <= '9') {
        neg = 1;
        w->p++;
    }
    for (int digits = 0; w->p < w->end && *w->p >= '0' && *w->p <= '9'; w->p++, digits++) {
        has = 1;
        if (digits < 10)
            v = v * 10 + (*w->p - '0');
    }
    if (neg)
        v = -v;
    if (w->p < w->end && *w->p == ' ')
        w->p++;
    control_word(w, word, has, v);
}

static void walk(walker *w)
{
    while (w->p < w->end && w->hr == S_OK) {
        char c = *w->p++;
        if (w->mode == MODE_DETECT && (w->saw_text || w->kind != FM_RTF_NATIVE))
            return;
        if (c == '{') {
            open_group(w);
        } else if (c == '}') {
            close_group(w);
        } else if (c == '\\') {
            if (w->p >= w->end)
                break;
            char n = *w->p;
            if ((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z')) {
                read_word(w);
            } else {
                w->p++;
                control_symbol(w, n);
            }
        } else if (c == '\r' || c == '\n') {
            continue; /* line ends in RTF source mean nothing */
        } else {
            w->first = 0;
            if (!cur(w)->fonttbl)
                put_byte(w, (unsigned char)c);
        }
    }
    flush_pending(w);
}

static HRESULT walker_init(walker *w, const char *rtf, size_t n, mode m, fm_rtf_buf *out)
{
    memset(w, 0, sizeof *w);
    w->cd = (iconv_t)-1;
    if (n < 5 || memcmp(rtf, "{\\rtf", 5) != 0)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "RTF: the text does not start with {\\rtf");
    w->p = rtf + 1; /* the document group is state 0 */
    w->end = rtf + n;
    w->mode = m;
    w->out = out;
    w->default_cp = 1252;
    w->defining = -1;
    w->cd = (iconv_t)-1;
    w->st[0].font = -1;
    w->st[0].uc = 1;
    w->first = 1;
    return S_OK;
}

static HRESULT walker_end(walker *w)
{
    if (w->cd != (iconv_t)-1)
        iconv_close(w->cd);
    return w->hr;
}

/* On the stack (about 11 KB): detection must not fail for want of memory. */
fm_rtf_kind fm_rtf_detect(const char *rtf, size_t n)
{
    walker w;
    fm_rtf_kind k = FM_RTF_NATIVE;
    if (walker_init(&w, rtf, n, MODE_DETECT, NULL) == S_OK) {
        walk(&w);
        k = w.kind;
    }
    walker_end(&w);
    return k;
}

static HRESULT run(const char *rtf, size_t n, mode m, fm_rtf_buf *out)
{
    walker *w = fm_malloc(sizeof *w);
    if (w == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "RTF: out of memory");
    HRESULT hr = walker_init(w, rtf, n, m, out);
    if (hr == S_OK) {
        walk(w);
        hr = walker_end(w);
    }
    fm_free(w);
    if (hr == S_OK && out->p == NULL)
        hr = fm_rtf_buf_put(out, "", 0); /* an empty result is still a string */
    return hr;
}

HRESULT fm_rtf_deencapsulate(const char *rtf, size_t n, fm_rtf_kind *kind, fm_rtf_buf *out)
{
    if (n < 5 || memcmp(rtf, "{\\rtf", 5) != 0)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "RTF: the text does not start with {\\rtf");
    *kind = fm_rtf_detect(rtf, n);
    if (*kind == FM_RTF_NATIVE)
        return fm_error_set(MAPI_E_NOT_FOUND, "RTF: the document encapsulates neither HTML "
                                              "nor text");
    HRESULT hr = run(rtf, n, *kind == FM_RTF_FROM_HTML ? MODE_HTML : MODE_TEXT, out);
    if (hr != S_OK)
        fm_rtf_buf_clear(out);
    return hr;
}

HRESULT fm_rtf_to_text(const char *rtf, size_t n, fm_rtf_buf *out)
{
    HRESULT hr = run(rtf, n, MODE_RTF, out);
    if (hr != S_OK)
        fm_rtf_buf_clear(out);
    return hr;
}
