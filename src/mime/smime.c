/*
 * mime/smime.c - signed and encrypted mail, kept so that signatures still
 * verify ([MS-OXOSMIME]).
 *
 * A message whose body is multipart/signed (RFC 1847: S/MIME or PGP/MIME)
 * becomes IPM.Note.SMIME.MultipartSigned with exactly one attachment, of
 * type multipart/signed, holding the entity as it came: its Content-Type
 * (and the other fields of the entity) and its whole body, byte for byte
 * ([MS-OXOSMIME] 2.1.3.1). The body properties are promoted from the first
 * part, read as a message of its own, for display; its parts do not become
 * attachments (they are in the one that holds the entity). An export writes
 * the attachment back as the message's body (export_body.c).
 *
 * A multipart/signed entity deeper in a message (a list footer wrapped
 * around it, say) is kept the same way in a hidden attachment the skeleton
 * names, always written back verbatim; what it holds is converted too. A
 * PGP/MIME multipart/encrypted entity cannot be read here and is kept as it
 * came, as an attachment.
 */
#include <string.h>

#include "mime/mime.h"

#define CLASS_SIGNED "IPM.Note.SMIME.MultipartSigned"

static HRESULT set_long(LPMAPIPROP obj, ULONG tag, LONG value)
{
    SPropValue v = { .ulPropTag = tag, .Value.l = value };
    return fm_mime_set(obj, &v);
}

/* One attachment holding bytes, of MIME type mime; visible unless hidden. */
static HRESULT entity_attachment(fm_import *im, GMimeStream *bytes, const char *mime,
                                 const char *name, bool hidden, uint32_t *part)
{
    LPATTACH att = NULL;
    HRESULT hr = fm_mime_new_attach(im, &att, part);
    if (hr != S_OK)
        return hr;
    LPMAPIPROP p = (LPMAPIPROP)att;
    hr = set_long(p, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
    if (hr == S_OK)
        hr = fm_mime_set_string(p, PR_ATTACH_MIME_TAG_W, mime);
    if (hr == S_OK && name != NULL)
        hr = fm_mime_set_names(att, name);
    if (hr == S_OK && hidden) {
        SPropValue v = { .ulPropTag = PR_ATTACHMENT_HIDDEN, .Value.b = TRUE };
        hr = fm_mime_set(p, &v);
    }
    if (hr == S_OK) {
        g_mime_stream_reset(bytes);
        hr = fm_mime_stream_to_prop(bytes, p, PR_ATTACH_DATA_BIN, false, NULL);
    }
    return fm_mime_save_attach(att, hr);
}

static GMimeStream *entity(fm_import *im, GMimeMultipart *mp, fm_region *r, bool top)
{
    return fm_mime_entity_stream(im->src, (GMimeObject *)mp, r, top ? im->top_blank : -1);
}

/* The original node in the skeleton for an entity kept in attachment part. */
static void original_node(fm_import *im, GMimeMultipart *mp, uint32_t part)
{
    if (im->skel == NULL)
        return;
    GString *h = g_string_new(NULL);
    fm_mime_header_block((GMimeObject *)mp, h);
    int index = fm_skel_build_open(im->skel, FM_SK_ORIGINAL, h->str, h->len);
    g_string_free(h, TRUE);
    fm_skel_node *n = fm_skel_build_node(im->skel, index);
    n->part = part;
    n->flags |= FM_SKF_ALWAYS;
}

/* The message's whole body is signed: [MS-OXOSMIME] 2.1.3.1. */
static HRESULT signed_message(fm_import *im, GMimeMultipart *mp, int level, fm_region *r)
{
    GMimeStream *bytes = entity(im, mp, r, true);
    if (bytes == NULL)
        return S_FALSE;
    SPropValue cls = { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = (LPSTR)CLASS_SIGNED };
    HRESULT hr = fm_mime_set((LPMAPIPROP)im->m, &cls);
    uint32_t part = 0;
    if (hr == S_OK)
        hr = entity_attachment(im, bytes, "multipart/signed", NULL, false, &part);
    g_object_unref(bytes);
    if (hr != S_OK)
        return hr;
    original_node(im, mp, part);
    /* The body, promoted from the signed content; nothing else of it. */
    GMimeObject *content = g_mime_multipart_get_count(mp) > 0 ? g_mime_multipart_get_part(mp, 0)
                                                               : NULL;
    if (content != NULL) {
        fm_skel_build *skel = im->skel;
        im->skel = NULL;
        im->promote_only = true;
        hr = fm_mime_walk(im, content, level + 1, false, NULL, false);
        im->promote_only = false;
        im->skel = skel;
    }
    if (im->skel != NULL)
        fm_skel_build_close(im->skel);
    return hr;
}

/* A signed entity inside the message: kept whole, its content converted. */
static HRESULT signed_part(fm_import *im, GMimeMultipart *mp, int level, fm_region *r, bool top)
{
    GMimeStream *bytes = entity(im, mp, r, top);
    uint32_t part = 0;
    HRESULT hr = S_OK;
    bool opened = false;
    if (bytes != NULL) {
        hr = entity_attachment(im, bytes, "multipart/signed", "signed part.eml", true, &part);
        g_object_unref(bytes);
        if (hr != S_OK)
            return hr;
        original_node(im, mp, part);
        opened = true;
    }
    GMimeObject *content = g_mime_multipart_get_count(mp) > 0 ? g_mime_multipart_get_part(mp, 0)
                                                               : NULL;
    if (hr == S_OK && content != NULL) {
        const char *boundary = g_mime_multipart_get_boundary(mp);
        fm_region cr = { r, boundary, fm_mime_object_start(content), -1 };
        hr = fm_mime_walk(im, content, level + 1, false, &cr, false);
    }
    if (opened && im->skel != NULL)
        fm_skel_build_close(im->skel);
    return hr;
}

HRESULT fm_mime_import_signed(fm_import *im, GMimeMultipart *mp, int level, fm_region *r,
                              bool top)
{
    if (im->promote_only) {
        /* Signed content within signed content: its body is all that is
         * looked for. */
        GMimeObject *content = g_mime_multipart_get_count(mp) > 0
                                   ? g_mime_multipart_get_part(mp, 0)
                                   : NULL;
        return content ? fm_mime_walk(im, content, level + 1, false, NULL, false) : S_OK;
    }
    if (top) {
        HRESULT hr = signed_message(im, mp, level, r);
        if (hr != S_FALSE)
            return hr;
    }
    return signed_part(im, mp, level, r, top);
}

HRESULT fm_mime_import_encrypted(fm_import *im, GMimeMultipart *mp, fm_region *r, bool top)
{
    GMimeStream *bytes = entity(im, mp, r, top);
    if (bytes == NULL) {
        bytes = g_mime_stream_mem_new();
        g_mime_object_write_to_stream((GMimeObject *)mp, fm_mime_format_options(), bytes);
    }
    uint32_t part = 0;
    HRESULT hr = entity_attachment(im, bytes, "multipart/encrypted", "encrypted.eml", false,
                                   &part);
    g_object_unref(bytes);
    if (hr == S_OK) {
        original_node(im, mp, part);
        if (im->skel != NULL)
            fm_skel_build_close(im->skel);
        fm_mime_warn("an encrypted (PGP/MIME) part cannot be read: kept as it came");
    }
    return hr;
}
