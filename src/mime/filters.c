/*
 * mime/filters.c - a base64 decoder for GMime stream filters that keeps
 * every byte the content holds.
 *
 * GMime's decoder drops a final quantum that lacks its padding ("QUJDREU"
 * gives "ABC", not "ABCDE": a PDF loses its last two bytes). This one
 * decodes what the padding would have completed (two sextets give one
 * byte, three give two, as RFC 4648 section 3.5 describes for a decoder
 * that accepts unpadded data), skips characters outside the alphabet, and
 * counts what it skipped or completed, so the import can tell a damaged
 * part (kept as it came) from a sound one.
 */
#include "mime/mime.h"

typedef struct FmFilterB64 {
    GMimeFilter parent;
    guint32 bits;   /* sextets of the quantum in hand */
    unsigned have;  /* how many (0-3) */
    unsigned *defects;
} FmFilterB64;

typedef struct FmFilterB64Class {
    GMimeFilterClass parent_class;
} FmFilterB64Class;

GType fm_filter_b64_get_type(void);
G_DEFINE_TYPE(FmFilterB64, fm_filter_b64, GMIME_TYPE_FILTER)

/* The value of a base64 character, -1 for whitespace (allowed anywhere),
 * -2 for '=', -3 for anything else. */
static int sextet(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        return -1;
    return c == '=' ? -2 : -3;
}

/* Writes the bytes of a partial quantum (2 or 3 sextets). */
static size_t flush_partial(FmFilterB64 *f, char *out)
{
    size_t n = 0;
    if (f->have == 2) {
        out[n++] = (char)(f->bits >> 4);
    } else if (f->have == 3) {
        out[n++] = (char)(f->bits >> 10);
        out[n++] = (char)(f->bits >> 2);
    } else if (f->have == 1 && f->defects != NULL) {
        (*f->defects)++; /* six bits cannot make a byte */
    }
    f->bits = 0;
    f->have = 0;
    return n;
}

static size_t decode(FmFilterB64 *f, const char *in, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int v = sextet((unsigned char)in[i]);
        if (v == -1)
            continue;
        if (v == -2) { /* padding ends a quantum early; extra '=' are ignored */
            n += flush_partial(f, out + n);
            continue;
        }
        if (v == -3) {
            if (f->defects != NULL)
                (*f->defects)++;
            continue;
        }
        f->bits = (f->bits << 6) | (guint32)v;
        if (++f->have == 4) {
            out[n++] = (char)(f->bits >> 16);
            out[n++] = (char)(f->bits >> 8);
            out[n++] = (char)f->bits;
            f->bits = 0;
            f->have = 0;
        }
    }
    return n;
}

static void b64_filter(GMimeFilter *filter, char *in, size_t len, size_t prespace, char **out,
                       size_t *outlen, size_t *outprespace)
{
    FmFilterB64 *f = (FmFilterB64 *)filter;
    g_mime_filter_set_size(filter, len / 4 * 3 + 8, FALSE);
    *outlen = decode(f, in, len, filter->outbuf);
    *out = filter->outbuf;
    *outprespace = filter->outpre;
}

static void b64_complete(GMimeFilter *filter, char *in, size_t len, size_t prespace, char **out,
                         size_t *outlen, size_t *outprespace)
{
    FmFilterB64 *f = (FmFilterB64 *)filter;
    g_mime_filter_set_size(filter, len / 4 * 3 + 8, FALSE);
    size_t n = decode(f, in, len, filter->outbuf);
    n += flush_partial(f, filter->outbuf + n); /* an unpadded end, decoded in full */
    *outlen = n;
    *out = filter->outbuf;
    *outprespace = filter->outpre;
}

static void b64_reset(GMimeFilter *filter)
{
    FmFilterB64 *f = (FmFilterB64 *)filter;
    f->bits = 0;
    f->have = 0;
}

static GMimeFilter *b64_copy(GMimeFilter *filter)
{
    return fm_mime_filter_b64_new(((FmFilterB64 *)filter)->defects);
}

static void fm_filter_b64_class_init(FmFilterB64Class *klass)
{
    GMimeFilterClass *fc = GMIME_FILTER_CLASS(klass);
    fc->copy = b64_copy;
    fc->filter = b64_filter;
    fc->complete = b64_complete;
    fc->reset = b64_reset;
}

static void fm_filter_b64_init(FmFilterB64 *f)
{
}

GMimeFilter *fm_mime_filter_b64_new(unsigned *defects)
{
    fm_mime_init();
    FmFilterB64 *f = g_object_new(fm_filter_b64_get_type(), NULL);
    f->defects = defects;
    return &f->parent;
}
