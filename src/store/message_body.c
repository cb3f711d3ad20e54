/*
 * store/message_body.c - a message's bodies kept in sync the way Exchange
 * keeps them ([MS-OXCMSG] 2.2.1.58 "best body"; [MS-OXRTFEX]).
 *
 * A client writes one body (PR_BODY, PR_HTML or PR_RTF_COMPRESSED), or
 * several; a reader may ask for any of them. The bodies written are kept as
 * written and the others are derived from them when read, never stored:
 * a derived body is a pure function of a stored one, so storing it would
 * only double the message's size and give two copies a chance to disagree
 * after the next write. (Exchange's native-body store works the same way.)
 *   - PR_HTML from RTF that encapsulates HTML (\fromhtml1), de-encapsulated;
 *   - PR_RTF_COMPRESSED from HTML (\fromhtml1 encapsulation) or from plain
 *     text (\fromtext), LZFu-compressed;
 *   - PR_BODY from native RTF (its visible text), from HTML (the visible
 *     text of its encapsulation), or from encapsulating RTF (the text it
 *     holds);
 *   - PR_RTF_IN_SYNC TRUE when the message has one body and PR_BODY or
 *     PR_RTF_COMPRESSED is derived from it (in sync by construction);
 *   - PR_NATIVE_BODY_INFO: 1 plain text, 2 RTF, 3 HTML ([MS-OXCMSG]
 *     2.2.1.58.2), the body the others come from. Stored HTML is the native
 *     body; otherwise stored RTF, by what it encapsulates (as
 *     WrapCompressedRTFStreamEx's MAPI_NATIVE_BODY reports it); otherwise
 *     stored text. A message without a body has none.
 * A stored value always wins: a derived property exists only while the
 * message lacks it. GetPropList and GetProps(NULL) list PR_NATIVE_BODY_INFO
 * and PR_RTF_IN_SYNC but not the derived bodies: what copies "every
 * property" (CopyTo, PST and MIME export) would otherwise store every body
 * three times and export bodies the message was never given; a program
 * asking for a body by tag, or opening it, gets it. HTML is produced as UTF-8 and read in PR_INTERNET_CPID.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapitags.h"
#include "rtf/lzfu.h"
#include "rtf/rtf.h"
#include "rtf/rtfsync.h"
#include "store/message_body.h"
#include "store/stream.h"

const ULONG FM_MESSAGE_DERIVED[FM_MESSAGE_N_DERIVED] = {
    PR_NATIVE_BODY_INFO, PR_RTF_IN_SYNC, PR_BODY_W, PR_RTF_COMPRESSED, PR_HTML,
};

/* A derived body is made in memory whole: bodies larger than this are not
 * derived (the stored one stays readable). */
#define BODY_MAX ((uint64_t)256 * 1024 * 1024)

enum { B_TEXT, B_RTF, B_HTML, B_N };

/* One stored body: the bytes as kept (text as UTF-8, the RTF compressed,
 * HTML as written), on the caller's root buffer. */
typedef struct body {
    bool has;
    BYTE *p;
    size_t n;
} body;

typedef struct bodies {
    body b[B_N];
    fm_rtf_kind rtf_kind; /* of b[B_RTF], when it has one */
    fm_rtf_buf rtf;       /* b[B_RTF] decompressed, once needed */
    ULONG cpid;           /* PR_INTERNET_CPID, 0 when unset */
} bodies;

static const fm_stream_prop *stream_of(const fm_stream_prop *sp, size_t nsp, ULONG id)
{
    for (size_t i = 0; i < nsp; i++) {
        if (PROP_ID(sp[i].tag) == id)
            return &sp[i];
    }
    return NULL;
}

/* Text kept as UTF-16 (a stream of PT_UNICODE) as UTF-8 on root. */
static HRESULT utf16_bytes_to_utf8(const BYTE *p, size_t n, void *root, body *b)
{
    size_t units = n / sizeof(WCHAR);
    WCHAR *w = NULL;
    HRESULT hr = fm_alloc_mapi((units + 1) * sizeof(WCHAR), root, (void **)&w);
    if (hr == S_OK) {
        memcpy(w, p, units * sizeof(WCHAR));
        w[units] = 0;
        hr = fm_utf16_to_utf8_mapi(w, root, (LPSTR *)&b->p);
    }
    if (hr == S_OK)
        b->n = strlen((char *)b->p);
    return hr;
}

static HRESULT read_streamed(fm_object *o, const fm_stream_prop *s, void *root, body *b)
{
    if (s->size > BODY_MAX)
        return MAPI_E_NOT_FOUND;
    BYTE *data = NULL;
    ULONG cb = 0;
    HRESULT hr = fm_stream_read_all(o->store->db, s->sid, BODY_MAX, root, &data, &cb);
    if (hr != S_OK)
        return hr;
    b->has = true;
    if (PROP_TYPE(s->tag) == PT_UNICODE)
        return utf16_bytes_to_utf8(data, cb, root, b);
    b->p = data;
    b->n = cb;
    return S_OK;
}

/* The bag's value of tag (asked in the type the body is read in). */
static HRESULT read_bagged(fm_object *o, ULONG tag, void *root, body *b)
{
    SizedSPropTagArray(1, one) = { 1, { tag } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IPropData_GetProps(o->bag, (LPSPropTagArray)&one, 0, &n, &v);
    if (FAILED(hr))
        return hr;
    hr = S_OK;
    if (PROP_TYPE(v[0].ulPropTag) == PT_BINARY) {
        b->n = v[0].Value.bin.cb;
        hr = fm_alloc_mapi(b->n ? b->n : 1, root, (void **)&b->p);
        if (hr == S_OK && b->n)
            memcpy(b->p, v[0].Value.bin.lpb, b->n);
        b->has = hr == S_OK;
    } else if (PROP_TYPE(v[0].ulPropTag) == PT_UNICODE) {
        hr = fm_utf16_to_utf8_mapi(v[0].Value.lpszW, root, (LPSTR *)&b->p);
        b->n = hr == S_OK ? strlen((char *)b->p) : 0;
        b->has = hr == S_OK;
    } else if (PROP_TYPE(v[0].ulPropTag) == PT_LONG) {
        b->n = (size_t)v[0].Value.ul;
        b->has = true;
    }
    MAPIFreeBuffer(v);
    return hr;
}

static HRESULT read_body(fm_object *o, const fm_stream_prop *sp, size_t nsp, ULONG tag,
                         void *root, body *b)
{
    const fm_stream_prop *s = stream_of(sp, nsp, PROP_ID(tag));
    return s != NULL ? read_streamed(o, s, root, b) : read_bagged(o, tag, root, b);
}

/* The RTF body decompressed (kept in bs->rtf) and what it encapsulates. */
static HRESULT decompress_rtf(bodies *bs)
{
    uint8_t *raw = NULL;
    size_t n = 0;
    HRESULT hr = fm_lzfu_decompress(bs->b[B_RTF].p, bs->b[B_RTF].n, &raw, &n);
    if (hr == S_OK)
        hr = fm_rtf_buf_put(&bs->rtf, raw, n);
    fm_free(raw);
    if (hr == S_OK)
        bs->rtf_kind = fm_rtf_detect(bs->rtf.p, bs->rtf.n);
    return hr;
}

static HRESULT read_bodies(fm_object *o, const fm_stream_prop *sp, size_t nsp, void *root,
                           bodies *bs)
{
    memset(bs, 0, sizeof *bs);
    static const ULONG tags[B_N] = { PR_BODY_W, PR_RTF_COMPRESSED, PR_HTML };
    HRESULT hr = S_OK;
    for (int i = 0; hr == S_OK && i < B_N; i++)
        hr = read_body(o, sp, nsp, tags[i], root, &bs->b[i]);
    if (hr == S_OK && bs->b[B_RTF].has) {
        hr = decompress_rtf(bs);
        if (hr == MAPI_E_CORRUPT_DATA) {
            bs->b[B_RTF].has = false; /* kept as written; nothing comes of it */
            hr = S_OK;
        }
    }
    body cpid = { false, NULL, 0 };
    if (hr == S_OK)
        hr = read_bagged(o, PR_INTERNET_CPID, root, &cpid);
    bs->cpid = cpid.has ? (ULONG)cpid.n : 0;
    return hr;
}

static ULONG native_of(const bodies *bs)
{
    if (bs->b[B_HTML].has)
        return 3;
    if (bs->b[B_RTF].has)
        return bs->rtf_kind == FM_RTF_FROM_HTML ? 3 : bs->rtf_kind == FM_RTF_FROM_TEXT ? 1 : 2;
    return bs->b[B_TEXT].has ? 1 : 0;
}

/* The HTML body as UTF-8, from the code page PR_INTERNET_CPID names. */
static HRESULT html_utf8(const bodies *bs, fm_rtf_buf *out)
{
    const body *h = &bs->b[B_HTML];
    unsigned cpid = bs->cpid != 0 ? bs->cpid : 65001;
    HRESULT hr = fm_rtf_codepage_to_utf8(cpid, (const char *)h->p, h->n, out);
    if (hr != S_OK && hr != MAPI_E_NOT_ENOUGH_MEMORY) {
        fm_rtf_buf_clear(out);
        hr = fm_rtf_buf_put(out, h->p, h->n); /* read as UTF-8, bad bytes as U+FFFD */
    }
    return hr;
}

static HRESULT derive_text(bodies *bs, fm_rtf_buf *out)
{
    if (bs->b[B_RTF].has && bs->rtf_kind == FM_RTF_NATIVE)
        return fm_rtf_to_text(bs->rtf.p, bs->rtf.n, out);
    if (bs->b[B_HTML].has) {
        fm_rtf_buf html = { NULL, 0, 0 }, rtf = { NULL, 0, 0 };
        HRESULT hr = html_utf8(bs, &html);
        if (hr == S_OK)
            hr = fm_rtf_from_html(html.p, html.n, &rtf);
        if (hr == S_OK)
            hr = fm_rtf_to_text(rtf.p, rtf.n, out);
        fm_rtf_buf_clear(&html);
        fm_rtf_buf_clear(&rtf);
        return hr;
    }
    if (bs->b[B_RTF].has)
        return fm_rtf_text_of(bs->rtf.p, bs->rtf.n, out);
    return MAPI_E_NOT_FOUND;
}

static HRESULT derive_rtf(bodies *bs, fm_rtf_buf *out)
{
    fm_rtf_buf src = { NULL, 0, 0 }, rtf = { NULL, 0, 0 };
    HRESULT hr = MAPI_E_NOT_FOUND;
    if (bs->b[B_HTML].has) {
        hr = html_utf8(bs, &src);
        if (hr == S_OK)
            hr = fm_rtf_from_html(src.p, src.n, &rtf);
    } else if (bs->b[B_TEXT].has) {
        hr = fm_rtf_from_text((const char *)bs->b[B_TEXT].p, bs->b[B_TEXT].n, &rtf);
    }
    uint8_t *comp = NULL;
    size_t n = 0;
    if (hr == S_OK)
        hr = fm_lzfu_compress((const uint8_t *)rtf.p, rtf.n, true, &comp, &n);
    if (hr == S_OK)
        hr = fm_rtf_buf_put(out, comp, n);
    fm_free(comp);
    fm_rtf_buf_clear(&src);
    fm_rtf_buf_clear(&rtf);
    return hr;
}

static HRESULT derive_html(bodies *bs, fm_rtf_buf *out)
{
    if (!bs->b[B_RTF].has || bs->rtf_kind != FM_RTF_FROM_HTML)
        return MAPI_E_NOT_FOUND;
    fm_rtf_kind kind;
    return fm_rtf_deencapsulate(bs->rtf.p, bs->rtf.n, &kind, out);
}

/* The value of a derived body into *out (data on parent). */
static HRESULT body_value(ULONG tag, const fm_rtf_buf *d, void *parent, SPropValue *out)
{
    out->ulPropTag = tag;
    out->dwAlignPad = 0;
    if (PROP_TYPE(tag) == PT_UNICODE)
        return fm_utf8_to_utf16_mapi(d->p ? d->p : "", parent, &out->Value.lpszW);
    out->Value.bin.cb = (ULONG)d->n;
    HRESULT hr = fm_alloc_mapi(d->n ? d->n : 1, parent, (void **)&out->Value.bin.lpb);
    if (hr == S_OK && d->n)
        memcpy(out->Value.bin.lpb, d->p, d->n);
    return hr;
}

static HRESULT derive(bodies *bs, ULONG id, void *parent, SPropValue *out)
{
    const bool has_text = bs->b[B_TEXT].has, has_rtf = bs->b[B_RTF].has;
    const bool has_html = bs->b[B_HTML].has;
    if (id == PROP_ID(PR_NATIVE_BODY_INFO) || id == PROP_ID(PR_RTF_IN_SYNC)) {
        ULONG native = native_of(bs);
        /* in sync by construction only when both come from the one body */
        bool sync = (int)has_text + (int)has_rtf + (int)has_html == 1;
        if (id == PROP_ID(PR_NATIVE_BODY_INFO) ? native == 0 : !sync)
            return MAPI_E_NOT_FOUND;
        if (out == NULL)
            return S_OK;
        out->dwAlignPad = 0;
        if (id == PROP_ID(PR_RTF_IN_SYNC)) {
            out->ulPropTag = PR_RTF_IN_SYNC;
            out->Value.b = TRUE;
        } else {
            out->ulPropTag = PR_NATIVE_BODY_INFO;
            out->Value.l = (LONG)native;
        }
        return S_OK;
    }
    if (out == NULL) { /* only whether it can be derived */
        bool can = id == PROP_ID(PR_BODY_W)           ? !has_text && (has_rtf || has_html)
                   : id == PROP_ID(PR_RTF_COMPRESSED) ? !has_rtf && (has_html || has_text)
                   : id == PROP_ID(PR_HTML) ? !has_html && has_rtf && bs->rtf_kind == FM_RTF_FROM_HTML
                                            : false;
        return can ? S_OK : MAPI_E_NOT_FOUND;
    }
    fm_rtf_buf d = { NULL, 0, 0 };
    HRESULT hr;
    ULONG tag;
    if (id == PROP_ID(PR_BODY_W) && !has_text) {
        tag = PR_BODY_W;
        hr = derive_text(bs, &d);
    } else if (id == PROP_ID(PR_RTF_COMPRESSED) && !has_rtf) {
        tag = PR_RTF_COMPRESSED;
        hr = derive_rtf(bs, &d);
    } else if (id == PROP_ID(PR_HTML) && !has_html) {
        tag = PR_HTML;
        hr = derive_html(bs, &d);
    } else {
        return MAPI_E_NOT_FOUND;
    }
    if (hr == S_OK)
        hr = body_value(tag, &d, parent, out);
    fm_rtf_buf_clear(&d);
    return hr;
}

HRESULT fm_message_body_derive(fm_object *o, const fm_stream_prop *sp, size_t nsp, ULONG tag,
                               void *parent, SPropValue *out)
{
    void *root = NULL;
    HRESULT hr = fm_alloc_mapi(1, NULL, &root);
    if (hr != S_OK)
        return hr;
    bodies bs;
    hr = read_bodies(o, sp, nsp, root, &bs);
    if (hr == S_OK)
        hr = derive(&bs, PROP_ID(tag), parent, out);
    fm_rtf_buf_clear(&bs.rtf);
    MAPIFreeBuffer(root);
    return hr;
}
