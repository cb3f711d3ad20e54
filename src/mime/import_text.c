/*
 * mime/import_text.c - a text part as a message body: the transfer encoding
 * undone, the charset read (the declared one when the bytes are valid in
 * it, else the one uchardet finds, see charset.c), line ends made CRLF as
 * MAPI bodies have them.
 *
 * The text body becomes PR_BODY (Unicode). The HTML body keeps its bytes
 * in its charset in PR_HTML with that charset's code page in
 * PR_INTERNET_CPID, as [MS-OXCMAIL] stores it, so its <meta charset> stays
 * true; HTML in a charset without a code page, or whose charset had to be
 * guessed, is stored as UTF-8 (code page 65001) and its <meta> charset
 * declaration says utf-8 instead, so a browser reads it right.
 *
 * A body up to TEXT_MEM_MAX is decoded in memory (so its charset can be
 * checked before anything is stored); a larger one streams into the store
 * in the declared charset. Each body's hash, as stored, goes into the
 * skeleton: an export can then tell whether a client changed it.
 */
#include <string.h>

#include "mime/mime.h"

#define TEXT_MEM_MAX (16 * 1024 * 1024)

/* Whether text needs canonical(): a bare LF, or (text) a NUL. */
static bool needs_canonical(const char *p, size_t n, bool text)
{
    if (text && memchr(p, '\0', n) != NULL)
        return true;
    for (const char *q = p, *end = p + n; (q = memchr(q, '\n', (size_t)(end - q))) != NULL;
         q++) {
        if (q == p || q[-1] != '\r')
            return true;
    }
    return false;
}

/* Bare LF becomes CRLF, and NUL (which would end a MAPI string) U+FFFD. */
static GString *canonical(const char *p, size_t n, bool text)
{
    GString *out = g_string_sized_new(n + n / 32 + 16);
    bool nul = text && memchr(p, '\0', n) != NULL;
    const char *end = p + n, *start = p;
    for (const char *q = p; q < end;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        const char *stop = nl ? nl : end;
        if (nul) {
            /* NULs before the line end, each as U+FFFD. */
            for (const char *z; (z = memchr(start, '\0', (size_t)(stop - start))) != NULL;
                 start = z + 1) {
                g_string_append_len(out, start, (gssize)(z - start));
                g_string_append(out, "\xEF\xBF\xBD");
            }
        }
        g_string_append_len(out, start, (gssize)(stop - start));
        if (nl == NULL)
            break;
        if (nl == p || nl[-1] != '\r')
            g_string_append_c(out, '\r');
        g_string_append_c(out, '\n');
        start = q = nl + 1;
    }
    return out;
}

static bool ascii_compatible(const char *cs)
{
    return cs == NULL || (g_ascii_strncasecmp(cs, "utf-16", 6) != 0 &&
                          g_ascii_strncasecmp(cs, "utf-32", 6) != 0 &&
                          g_ascii_strncasecmp(cs, "ucs", 3) != 0);
}

/* ---- <meta charset> --------------------------------------------------------- */
static const char *find_ci(const char *p, const char *end, const char *what)
{
    size_t n = strlen(what);
    for (; p + n <= end; p++) {
        if (g_ascii_strncasecmp(p, what, n) == 0)
            return p;
    }
    return NULL;
}

/* Rewrites the charset named by <meta> tags in the first 8 KB of html to
 * utf-8 (the text is UTF-8 now). */
static void meta_to_utf8(GString *html)
{
    size_t limit = html->len < 8192 ? html->len : 8192;
    size_t pos = 0;
    for (;;) {
        const char *end = html->str + limit;
        const char *tag = find_ci(html->str + pos, end, "<meta");
        if (tag == NULL)
            return;
        const char *close = memchr(tag, '>', (size_t)(end - tag));
        if (close == NULL)
            return;
        const char *cs = find_ci(tag, close, "charset");
        pos = (size_t)(close - html->str) + 1;
        if (cs == NULL)
            continue;
        const char *v = cs + 7;
        while (v < close && (*v == ' ' || *v == '\t'))
            v++;
        if (v >= close || *v != '=')
            continue;
        v++;
        while (v < close && (*v == ' ' || *v == '\t' || *v == '"' || *v == '\''))
            v++;
        const char *ve = v;
        while (ve < close && (g_ascii_isalnum(*ve) || strchr("-_.:", *ve) != NULL))
            ve++;
        if (ve == v)
            continue;
        size_t at = (size_t)(v - html->str), len = (size_t)(ve - v);
        if (len == 5 && g_ascii_strncasecmp(v, "utf-8", 5) == 0)
            continue;
        g_string_erase(html, (gssize)at, (gssize)len);
        g_string_insert(html, (gssize)at, "utf-8");
        limit = limit + 5 - len;
        if (limit > html->len)
            limit = html->len;
        pos = at + 5;
    }
}

/* The charset an HTML document names in a <meta> tag in its first 8 KB
 * (into out), for HTML whose MIME header names none. */
static bool meta_charset(const char *p, size_t n, char *out, size_t cap)
{
    const char *end = p + (n < 8192 ? n : 8192);
    for (const char *tag = find_ci(p, end, "<meta"); tag != NULL;
         tag = find_ci(tag + 5, end, "<meta")) {
        const char *close = memchr(tag, '>', (size_t)(end - tag));
        const char *cs = close ? find_ci(tag, close, "charset") : NULL;
        if (cs == NULL)
            continue;
        const char *v = cs + 7;
        while (v < close && strchr(" \t='\"", *v) != NULL)
            v++;
        size_t len = 0;
        while (v + len < close && (g_ascii_isalnum(v[len]) || strchr("-_.:", v[len]) != NULL))
            len++;
        if (len > 0 && len < cap) {
            memcpy(out, v, len);
            out[len] = '\0';
            return true;
        }
    }
    return false;
}

/* ---- storing ---------------------------------------------------------------- */
static HRESULT store_text(fm_import *im, const char *utf8, size_t n, uint64_t *hash)
{
    *hash = fm_hash_bytes(utf8, n);
    return fm_mime_set_string_len((LPMAPIPROP)im->m, PR_BODY_W, utf8, n);
}

static HRESULT store_html(fm_import *im, const char *bytes, size_t n, ULONG cpid, uint64_t *hash)
{
    *hash = fm_hash_bytes(bytes, n);
    HRESULT hr;
    if (n <= 60 * 1024) {
        SPropValue v = { .ulPropTag = PR_HTML, .Value.bin = { (ULONG)n, (LPBYTE)(n ? bytes : "") } };
        hr = fm_mime_set((LPMAPIPROP)im->m, &v);
    } else {
        GMimeStream *mem = g_mime_stream_mem_new_with_buffer(bytes, n);
        hr = fm_mime_stream_to_prop(mem, (LPMAPIPROP)im->m, PR_HTML, false, NULL);
        g_object_unref(mem);
    }
    im->html_cpid = cpid;
    return hr;
}

/* Stores text (n bytes, UTF-8 unless html keeps its charset's bytes) as
 * the body, made canonical first when it needs it. */
static HRESULT store_body(fm_import *im, const char *p, size_t n, bool html, ULONG cpid,
                          bool keep_bytes, uint64_t *hash)
{
    GString *fixed = needs_canonical(p, n, !keep_bytes) ? canonical(p, n, !keep_bytes) : NULL;
    if (fixed != NULL) {
        p = fixed->str;
        n = fixed->len;
    }
    HRESULT hr;
    if (html && !keep_bytes) {
        GString *h = fixed ? fixed : g_string_new_len(p, (gssize)n);
        meta_to_utf8(h);
        hr = store_html(im, h->str, h->len, 65001, hash);
        if (fixed == NULL)
            g_string_free(h, TRUE);
    } else if (html) {
        hr = store_html(im, p, n, cpid, hash);
    } else {
        hr = store_text(im, p, n, hash);
    }
    if (fixed != NULL)
        g_string_free(fixed, TRUE);
    return hr;
}

/* A body too large to check in memory: streamed in its declared charset
 * (invalid bytes become U+FFFD), hashed as it goes. */
static HRESULT stream_body(fm_import *im, GMimeStream *decoded, const char *charset, bool html,
                           uint64_t *hash)
{
    GMimeStream *f = g_mime_stream_filter_new(decoded);
    bool convert = !html || fm_mime_charset_cpid(charset) == 0;
    if (convert && charset != NULL && !fm_mime_charset_is_utf8(charset) &&
        !fm_mime_charset_is_ascii(charset)) {
        GMimeFilter *conv = g_mime_filter_charset_new(charset, "UTF-8");
        if (conv != NULL) {
            g_mime_stream_filter_add((GMimeStreamFilter *)f, conv);
            g_object_unref(conv);
        }
    }
    GMimeFilter *crlf = g_mime_filter_unix2dos_new(FALSE);
    g_mime_stream_filter_add((GMimeStreamFilter *)f, crlf);
    g_object_unref(crlf);
    fm_hash h;
    fm_hash_init(&h);
    HRESULT hr = fm_mime_stream_to_prop(f, (LPMAPIPROP)im->m, html ? PR_HTML : PR_BODY_W, !html,
                                        &h);
    *hash = fm_hash_final(&h);
    if (html)
        im->html_cpid = convert ? 65001 : fm_mime_charset_cpid(charset);
    g_object_unref(f);
    return hr;
}

/* Reads at most cap + 1 bytes of s into one array. */
static GByteArray *read_all(GMimeStream *s, size_t cap)
{
    GByteArray *a = g_byte_array_sized_new(16384);
    while (a->len <= cap) {
        guint at = a->len;
        g_byte_array_set_size(a, at + 16384);
        ssize_t n = g_mime_stream_read(s, (char *)a->data + at, 16384);
        g_byte_array_set_size(a, at + (n > 0 ? (guint)n : 0));
        if (n <= 0)
            break;
    }
    return a;
}

HRESULT fm_mime_import_text(fm_import *im, GMimePart *part, const fm_part_info *pi, bool html,
                            fm_text_result *res)
{
    memset(res, 0, sizeof *res);
    unsigned defects = 0;
    GMimeStream *decoded = fm_mime_decoded_stream(part, pi->enc, &defects);
    HRESULT hr = S_OK;
    if (decoded == NULL) {
        hr = html ? store_html(im, "", 0, 65001, &res->hash) : store_text(im, "", 0, &res->hash);
        g_strlcpy(res->charset, "us-ascii", sizeof res->charset);
        return hr;
    }
    GByteArray *raw = read_all(decoded, TEXT_MEM_MAX);
    if (raw->len > TEXT_MEM_MAX) {
        g_mime_stream_reset(decoded);
        hr = stream_body(im, decoded, pi->charset, html, &res->hash);
        g_strlcpy(res->charset, pi->charset ? pi->charset : "utf-8", sizeof res->charset);
        g_byte_array_unref(raw);
        g_object_unref(decoded);
        res->repaired = defects > 0 || pi->enc_repaired;
        return hr;
    }
    g_object_unref(decoded);
    const char *data = (const char *)raw->data;
    size_t n = raw->len;
    const char *declared = pi->charset;
    char named[64];
    if (html && declared == NULL && meta_charset(data, n, named, sizeof named))
        declared = named;
    fm_text_decoded t;
    fm_mime_text_decode(data, n, declared, &t);
    res->repaired = t.repaired || defects > 0 || pi->enc_repaired;
    g_strlcpy(res->charset, t.used, sizeof res->charset);
    if (t.repaired)
        fm_mime_warn("a %s part declared as %s is not valid in it: read as %s, the original "
                     "kept", pi->type, declared ? declared : "us-ascii (by default)",
                     t.used);
    ULONG cpid = fm_mime_charset_cpid(t.used);
    if (html && !t.repaired && cpid != 0 && !ascii_compatible(t.used)) {
        hr = store_html(im, data, n, cpid, &res->hash); /* UTF-16 HTML: its bytes, as they are */
    } else if (html && !t.repaired && cpid != 0) {
        /* The HTML as it came, in its charset: its <meta> stays true. */
        hr = store_body(im, data, n, true, cpid, true, &res->hash);
    } else if (t.utf8 == NULL) {
        hr = store_body(im, data, n, html, 65001, false, &res->hash); /* UTF-8 already */
    } else {
        hr = store_body(im, t.utf8->str, t.utf8->len, html, 65001, false, &res->hash);
    }
    if (t.utf8 != NULL)
        g_string_free(t.utf8, TRUE);
    g_byte_array_unref(raw);
    return hr;
}
