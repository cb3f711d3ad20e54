/*
 * mime/export_skel.c - a message written as it came: the tree its
 * skeleton (skeleton.h) describes, every part with the header fields it
 * came with, the content from the message's properties and attachments.
 *
 * What a client changed since the import is written as it is now: a body
 * whose hash differs is still written in its place (with the charset it
 * came in when that can hold it, else UTF-8); a part whose attachment was
 * deleted is left out; attachments added later follow in multipart/mixed.
 * A part kept as it came (an "original") is written verbatim while what
 * the import made of it is unchanged (always, for a signed entity), and
 * otherwise what was made of it is written, the original following as an
 * attachment: nothing is ever dropped.
 */
#include <string.h>

#include "mime/mime.h"

static fm_export_att *find_part(fm_export *ex, uint32_t part)
{
    for (guint i = 0; part != 0 && i < ex->atts->len; i++) {
        fm_export_att *a = &g_array_index(ex->atts, fm_export_att, i);
        if (!a->used && a->part == (LONG)part)
            return a;
    }
    return NULL;
}

HRESULT fm_mime_attach_data_hash(LPATTACH att, uint64_t *out)
{
    HRESULT hr;
    fm_hash h;
    fm_hash_init(&h);
    LPSPropValue small = NULL;
    hr = HrGetOneProp((LPMAPIPROP)att, PR_ATTACH_DATA_BIN, &small);
    if (hr == S_OK) {
        fm_hash_feed(&h, small->Value.bin.lpb, small->Value.bin.cb);
        MAPIFreeBuffer(small);
    } else if (hr == MAPI_E_NOT_ENOUGH_MEMORY) {
        LPSTREAM s = NULL;
        hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
                                  (LPUNKNOWN *)&s);
        char buf[65536];
        ULONG got = 0;
        while (hr == S_OK && (hr = IStream_Read(s, buf, sizeof buf, &got)) == S_OK && got > 0)
            fm_hash_feed(&h, buf, got);
        if (s != NULL)
            IStream_Release(s);
    } else if (hr == MAPI_E_NOT_FOUND) {
        hr = S_OK;
    }
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "reading an attachment");
    *out = fm_hash_final(&h);
    return S_OK;
}

static HRESULT data_hash(fm_export *ex, ULONG num, uint64_t *out)
{
    LPATTACH att = NULL;
    HRESULT hr = IMessage_OpenAttach(ex->m, num, NULL, 0, &att);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "opening an attachment");
    hr = fm_mime_attach_data_hash(att, out);
    IAttach_Release(att);
    return hr;
}

/* Whether what the import made of n is as it made it. */
static HRESULT unchanged(fm_export *ex, const fm_skel_node *n, bool *same)
{
    *same = true;
    HRESULT hr = S_OK;
    switch (n->kind) {
    case FM_SK_BODY: {
        const GString *b = (n->flags & FM_SKF_HTML) ? ex->html : ex->body;
        *same = b != NULL && fm_hash_bytes(b->str, b->len) == n->hash;
        return S_OK;
    }
    case FM_SK_CALENDAR: {
        uint64_t h = 0;
        hr = fm_mime_meeting_hash(ex->m, &h);
        *same = hr == S_OK && h == n->hash;
        return hr;
    }
    case FM_SK_FINGERPRINT: {
        uint64_t h = 0;
        hr = fm_mime_tnef_fingerprint(ex->m, &h);
        *same = hr == S_OK && h == n->hash;
        return hr;
    }
    case FM_SK_ATTACH:
    case FM_SK_EMBED:
    case FM_SK_ORIGINAL: {
        fm_export_att *a = find_part(ex, n->part);
        if (a == NULL) {
            *same = false;
            return S_OK;
        }
        if (n->kind == FM_SK_ATTACH && (n->flags & FM_SKF_HASHED)) {
            uint64_t h = 0;
            hr = data_hash(ex, a->num, &h);
            *same = hr == S_OK && h == n->hash;
        }
        break;
    }
    default:
        break;
    }
    for (uint32_t i = 0; hr == S_OK && *same && i < n->nchildren; i++)
        hr = unchanged(ex, &n->children[i], same);
    return hr;
}

/* Marks every attachment n and its subtree name as written. */
static void consume(fm_export *ex, const fm_skel_node *n)
{
    fm_export_att *a = n->kind == FM_SK_ATTACH || n->kind == FM_SK_EMBED ||
                               n->kind == FM_SK_ORIGINAL
                           ? find_part(ex, n->part)
                           : NULL;
    if (a != NULL)
        a->used = true;
    for (uint32_t i = 0; i < n->nchildren; i++)
        consume(ex, &n->children[i]);
}

static HRESULT emit(fm_export *ex, const fm_skel_node *n, fm_out_node **out);

static HRESULT emit_multipart(fm_export *ex, const fm_skel_node *n, fm_out_node **out)
{
    fm_out_node *mp = fm_out_node_new(FM_OUT_MULTIPART);
    mp->boundary = fm_mime_kept_param(&n->headers, "boundary");
    if (mp->boundary == NULL) {
        /* Kept fields without a boundary (damaged): one is made. */
        mp->boundary = fm_out_boundary();
        static const char *const drop[] = { "Content-Type", NULL };
        fm_mime_part_fields(mp->headers, n->headers.p, n->headers.n, drop);
        char *type = g_strdup_printf("multipart/mixed; boundary=\"%s\"", mp->boundary);
        fm_out_header(mp, "Content-Type", type);
        g_free(type);
    } else {
        fm_mime_part_fields(mp->headers, n->headers.p, n->headers.n, NULL);
    }
    if (n->prologue.n > 0)
        mp->prologue = g_string_new_len(n->prologue.p, (gssize)n->prologue.n);
    if (n->epilogue.n > 0)
        mp->epilogue = g_string_new_len(n->epilogue.p, (gssize)n->epilogue.n);
    HRESULT hr = S_OK;
    for (uint32_t i = 0; hr == S_OK && i < n->nchildren; i++) {
        fm_out_node *child = NULL;
        hr = emit(ex, &n->children[i], &child);
        if (child != NULL)
            fm_out_add(mp, child);
    }
    if (hr != S_OK || mp->children->len == 0) {
        fm_out_node_free(mp);
        mp = NULL;
    }
    *out = mp;
    return hr;
}

static HRESULT emit_original(fm_export *ex, const fm_skel_node *n, fm_out_node **out)
{
    fm_export_att *a = find_part(ex, n->part);
    bool same = a != NULL;
    HRESULT hr = S_OK;
    if (same && !(n->flags & FM_SKF_ALWAYS)) {
        for (uint32_t i = 0; hr == S_OK && same && i < n->nchildren; i++)
            hr = unchanged(ex, &n->children[i], &same);
    }
    if (hr != S_OK)
        return hr;
    if (same) {
        LPATTACH att = NULL;
        hr = IMessage_OpenAttach(ex->m, a->num, NULL, 0, &att);
        if (hr != S_OK)
            return fm_mime_fail_mapi(hr, "opening a part kept as it came");
        fm_out_node *raw = fm_out_node_new(FM_OUT_RAW);
        raw->att = att;
        hr = fm_mime_attach_content(att, &raw->content);
        if (hr != S_OK) {
            fm_out_node_free(raw);
            return hr;
        }
        consume(ex, n);
        *out = raw;
        return S_OK;
    }
    /* Changed: what was made of the part, as it is now. The original is
     * left for the attachments that follow, unless it is out of date. */
    if (a != NULL && (n->flags & FM_SKF_SUPERSEDED))
        a->used = true;
    for (uint32_t i = 0; hr == S_OK && i < n->nchildren && *out == NULL; i++)
        hr = emit(ex, &n->children[i], out);
    return hr;
}

/* A winmail.dat the import read: written as it came while what it made of
 * the message (its attachments, the properties, recipients and attachment
 * count its fingerprint covers) is unchanged. Once the message changed it
 * is stale: it is left out, and the message is written as it is now, what
 * it made following as ordinary attachments. */
static HRESULT emit_tnef(fm_export *ex, const fm_skel_node *n, fm_export_att *a,
                         fm_out_node **out)
{
    bool same = true;
    HRESULT hr = S_OK;
    for (uint32_t i = 0; hr == S_OK && same && i < n->nchildren; i++)
        hr = unchanged(ex, &n->children[i], &same);
    if (hr != S_OK)
        return hr;
    if (!same) {
        a->used = true;
        return S_OK;
    }
    consume(ex, n);
    return fm_mime_attach_node(ex, a->num, &n->headers, false, out);
}

static HRESULT emit(fm_export *ex, const fm_skel_node *n, fm_out_node **out)
{
    *out = NULL;
    switch (n->kind) {
    case FM_SK_MULTIPART:
        return emit_multipart(ex, n, out);
    case FM_SK_BODY:
        if (n->flags & FM_SKF_HTML) {
            if (ex->html != NULL)
                *out = fm_mime_html_node(ex, &n->headers);
        } else if (ex->body != NULL) {
            *out = fm_mime_text_node("plain", ex->body, "utf-8", &n->headers);
        }
        return S_OK;
    case FM_SK_ATTACH:
    case FM_SK_EMBED: {
        fm_export_att *a = find_part(ex, n->part);
        if (a == NULL)
            return S_OK;
        if (n->kind == FM_SK_ATTACH && (n->flags & FM_SKF_HIDDEN) && n->nchildren > 0)
            return emit_tnef(ex, n, a, out);
        consume(ex, n);
        return fm_mime_attach_node(ex, a->num, &n->headers, false, out);
    }
    case FM_SK_ORIGINAL:
        return emit_original(ex, n, out);
    case FM_SK_CALENDAR:
        return fm_mime_calendar_node(ex, &n->headers, out);
    case FM_SK_FINGERPRINT:
        return S_OK;
    default: { /* FM_SK_INLINE: written as it came */
        fm_out_node *leaf = fm_out_node_new(FM_OUT_LEAF);
        fm_mime_part_fields(leaf->headers, n->headers.p, n->headers.n, NULL);
        GByteArray *b = g_byte_array_sized_new((guint)n->data.n);
        g_byte_array_append(b, (const guint8 *)n->data.p, (guint)n->data.n);
        leaf->content = g_mime_stream_mem_new_with_byte_array(b);
        leaf->enc = GMIME_CONTENT_ENCODING_8BIT; /* line ends made CRLF, nothing else */
        *out = leaf;
        return S_OK;
    }
    }
}

static bool has_text_body(const fm_skel_node *n)
{
    if (n->kind == FM_SK_BODY && !(n->flags & FM_SKF_HTML))
        return true;
    for (uint32_t i = 0; i < n->nchildren; i++) {
        if (has_text_body(&n->children[i]))
            return true;
    }
    return false;
}

static bool is_mixed(const fm_out_node *n)
{
    return n->kind == FM_OUT_MULTIPART &&
           g_strstr_len(n->headers->str, (gssize)n->headers->len, "multipart/mixed") != NULL;
}

/* Attachments no part of the skeleton names (added since the import, or
 * originals whose repair changed) follow the parts in multipart/mixed. */
static HRESULT add_rest(fm_export *ex, fm_out_node **root)
{
    HRESULT hr = S_OK;
    fm_out_node *mixed = is_mixed(*root) ? *root : NULL;
    for (guint i = 0; hr == S_OK && i < ex->atts->len; i++) {
        fm_export_att *a = &g_array_index(ex->atts, fm_export_att, i);
        if (a->used)
            continue;
        fm_out_node *n = NULL;
        hr = fm_mime_attach_node(ex, a->num, NULL, false, &n);
        a->used = true;
        if (n == NULL)
            continue;
        if (mixed == NULL) {
            mixed = fm_out_node_new(FM_OUT_MULTIPART);
            mixed->boundary = fm_out_boundary();
            char *type = g_strdup_printf("multipart/mixed; boundary=\"%s\"", mixed->boundary);
            fm_out_header(mixed, "Content-Type", type);
            g_free(type);
            fm_out_add(mixed, *root);
            *root = mixed;
        }
        fm_out_add(mixed, n);
    }
    return hr;
}

HRESULT fm_mime_build_skeleton(fm_export *ex, fm_out_node **out)
{
    *out = NULL;
    HRESULT hr = fm_export_attachments(ex);
    fm_out_node *root = NULL;
    if (hr == S_OK)
        hr = emit(ex, ex->skel.root, &root);
    if (hr == S_OK && root == NULL)
        return S_FALSE; /* nothing of it is left: written from the properties */
    if (hr == S_OK && ex->body != NULL && ex->body->len > 0 && !has_text_body(ex->skel.root) &&
        !(ex->skel.root->kind == FM_SK_ORIGINAL && (ex->skel.root->flags & FM_SKF_ALWAYS))) {
        /* A text body a client added: first, before the parts. */
        fm_out_node *text = fm_mime_text_node("plain", ex->body, "utf-8", NULL);
        fm_out_node *mixed = fm_out_node_new(FM_OUT_MULTIPART);
        mixed->boundary = fm_out_boundary();
        char *type = g_strdup_printf("multipart/mixed; boundary=\"%s\"", mixed->boundary);
        fm_out_header(mixed, "Content-Type", type);
        g_free(type);
        fm_out_add(mixed, text);
        fm_out_add(mixed, root);
        root = mixed;
    }
    if (hr == S_OK)
        hr = add_rest(ex, &root);
    if (hr != S_OK) {
        fm_out_node_free(root);
        return hr;
    }
    *out = root;
    return S_OK;
}
