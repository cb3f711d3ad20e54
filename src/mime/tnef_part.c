/*
 * mime/tnef_part.c - winmail.dat: application/ms-tnef parts ([MS-OXTNEF]).
 *
 * Import does what Exchange does with Outlook's TNEF: the part's MAPI
 * properties, recipients and attachments (RTF-only bodies too) go into the
 * message, through ITnef::ExtractProps (the codec of src/tnef/). The part
 * itself is kept as it came, in a hidden attachment, so nothing is lost; its
 * skeleton leaf holds the attachments the TNEF made, so an export of the
 * message as it came writes winmail.dat once and not its contents again.
 *
 * Export with CCSF_USE_TNEF writes the message for a MAPI reader:
 * multipart/mixed of the text body and a winmail.dat that ITnef::Finish
 * makes of every property, recipient and attachment.
 */
#include <string.h>

#include "mapiguid.h"
#include "mapiutil.h"
#include "mime/mime.h"
#include "mime/skeleton.h"
#include "tnef.h"

/* What a TNEF stream must not set on the message it fills, and what the
 * export leaves out: the store's own properties, and the converter's. */
static const SizedSPropTagArray(11, NOT_CARRIED) = {
    11, { PR_ENTRYID, PR_RECORD_KEY, PR_INSTANCE_KEY, PR_PARENT_ENTRYID, PR_STORE_ENTRYID,
          PR_STORE_RECORD_KEY, PR_MESSAGE_SIZE, PR_STORE_SUPPORT_MASK, PR_OBJECT_TYPE,
          FM_PR_MIME_SKELETON, PR_TRANSPORT_MESSAGE_HEADERS } };

static void warn_problems(const char *what, LPSTnefProblemArray p)
{
    if (p == NULL || p->cProblem == 0)
        return;
    fm_mime_warn("winmail.dat: %lu %s (the first: attribute 0x%08lx, property 0x%08lx, "
                 "0x%08lx); the part is kept as it came",
                 (unsigned long)p->cProblem, what, (unsigned long)p->aProblem[0].ulAttribute,
                 (unsigned long)p->aProblem[0].ulPropTag, (unsigned long)p->aProblem[0].scode);
}

/* ---- import ----------------------------------------------------------------------- */
/* The part's decoded bytes in a new attachment of im's message, hidden
 * (*att stays open for reading; its number in *num, part number *part). */
static HRESULT keep_part(fm_import *im, GMimePart *part, const fm_part_info *pi, LPATTACH *att,
                         uint32_t *part_no, uint64_t *hash)
{
    HRESULT hr = fm_mime_new_attach(im, att, part_no);
    if (hr != S_OK)
        return hr;
    SPropValue v[3] = {
        { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE },
        { .ulPropTag = PR_ATTACHMENT_HIDDEN, .Value.b = TRUE },
        { .ulPropTag = PR_ATTACH_MIME_TAG_A, .Value.lpszA = (LPSTR)pi->type },
    };
    for (int i = 0; hr == S_OK && i < 3; i++)
        hr = fm_mime_set((LPMAPIPROP)*att, &v[i]);
    if (hr == S_OK)
        hr = fm_mime_set_names(*att, pi->filename ? pi->filename : "winmail.dat");
    fm_hash h;
    fm_hash_init(&h);
    GMimeStream *s = hr == S_OK ? fm_mime_decoded_stream(part, pi->enc, NULL) : NULL;
    if (s != NULL) {
        hr = fm_mime_stream_to_prop(s, (LPMAPIPROP)*att, PR_ATTACH_DATA_BIN, false, &h);
        g_object_unref(s);
    } else if (hr == S_OK) {
        SPropValue d = { .ulPropTag = PR_ATTACH_DATA_BIN, .Value.bin = { 0, (LPBYTE) "" } };
        hr = fm_mime_set((LPMAPIPROP)*att, &d);
    }
    *hash = fm_hash_final(&h);
    if (hr == S_OK && (hr = IAttach_SaveChanges(*att, KEEP_OPEN_READWRITE)) != S_OK)
        hr = fm_mime_fail_mapi(hr, "saving winmail.dat");
    if (hr != S_OK) {
        IAttach_Release(*att);
        *att = NULL;
    }
    return hr;
}

/* Reads the TNEF in att into the message. S_FALSE: it could not be read
 * (the warning says why; what it set stays). */
static HRESULT extract(fm_import *im, LPATTACH att)
{
    LPSTREAM s = NULL;
    HRESULT hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
                                      (LPUNKNOWN *)&s);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "reading winmail.dat");
    /* The headers named the recipients already: the TNEF's table (which
     * Outlook writes for MAPI-to-MAPI mail only) would add them again. */
    InternetAddressList *rc = g_mime_message_get_all_recipients(im->msg);
    bool have_recips = rc != NULL && internet_address_list_length(rc) > 0;
    if (rc != NULL)
        g_object_unref(rc);
    SizedSPropTagArray(12, skip);
    skip.cValues = NOT_CARRIED.cValues;
    memcpy(skip.aulPropTag, NOT_CARRIED.aulPropTag, sizeof NOT_CARRIED.aulPropTag);
    if (have_recips)
        skip.aulPropTag[skip.cValues++] = PR_MESSAGE_RECIPIENTS;
    LPITNEF t = NULL;
    hr = OpenTnefStream(NULL, s, (LPTSTR) "winmail.dat", TNEF_DECODE, im->m, 1, &t);
    LPSTnefProblemArray problems = NULL;
    if (hr == S_OK)
        hr = ITnef_ExtractProps(t, TNEF_PROP_EXCLUDE, (LPSPropTagArray)&skip, &problems);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY) {
        hr = fm_mime_fail(hr, "out of memory reading winmail.dat");
    } else if (FAILED(hr)) {
        fm_mime_warn("winmail.dat could not be read (0x%08lx): kept as an attachment",
                     (unsigned long)hr);
        hr = S_FALSE;
    } else {
        /* what a damaged stream held is kept; the part is then shown */
        bool damaged = false;
        for (ULONG i = 0; problems != NULL && i < problems->cProblem; i++)
            damaged |= problems->aProblem[i].scode == MAPI_E_CORRUPT_DATA;
        warn_problems(damaged ? "parts are damaged" : "properties could not be read",
                      problems);
        hr = damaged ? S_FALSE : S_OK;
    }
    MAPIFreeBuffer(problems);
    if (t != NULL)
        ITnef_Release(t);
    IStream_Release(s);
    return hr;
}

/* Gives the attachments the TNEF made part numbers and skeleton leaves
 * under the current node. */
static HRESULT number_new(fm_import *im)
{
    ULONG tag = fm_mime_part_tag((LPMAPIPROP)im->m, true);
    LPMAPITABLE table = NULL;
    HRESULT hr = IMessage_GetAttachmentTable(im->m, 0, &table);
    SizedSPropTagArray(2, cols) = { 2, { PR_ATTACH_NUM, tag ? PROP_TAG(PT_LONG, PROP_ID(tag))
                                                            : PR_ATTACH_NUM } };
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = HrQueryAllRows(table, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    if (table != NULL)
        IMAPITable_Release(table);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "listing winmail.dat's attachments");
    for (ULONG i = 0; hr == S_OK && tag != 0 && i < rows->cRows; i++) {
        const SPropValue *v = rows->aRow[i].lpProps;
        if (PROP_TYPE(v[1].ulPropTag) != PT_ERROR)
            continue; /* an attachment of the MIME */
        LPATTACH att = NULL;
        hr = IMessage_OpenAttach(im->m, v[0].Value.l, NULL, MAPI_MODIFY, &att);
        if (hr != S_OK) {
            hr = fm_mime_fail_mapi(hr, "opening an attachment of winmail.dat");
            break;
        }
        uint32_t no = ++im->next_part;
        SPropValue p = { .ulPropTag = PROP_TAG(PT_LONG, PROP_ID(tag)), .Value.l = (LONG)no };
        hr = fm_mime_save_attach(att, fm_mime_set((LPMAPIPROP)att, &p));
        if (hr == S_OK && im->skel != NULL) {
            int index = fm_skel_build_open(im->skel, FM_SK_ATTACH, NULL, 0);
            fm_skel_node *n = fm_skel_build_node(im->skel, index);
            if (n != NULL)
                n->part = no;
            fm_skel_build_close(im->skel);
        }
    }
    FreeProws(rows);
    return hr;
}

HRESULT fm_mime_import_tnef(fm_import *im, GMimePart *part, const fm_part_info *pi,
                            fm_region *r, bool top)
{
    LPATTACH att = NULL;
    uint32_t no = 0;
    uint64_t hash = 0;
    HRESULT hr = keep_part(im, part, pi, &att, &no, &hash);
    if (hr != S_OK)
        return hr;
    hr = extract(im, att);
    bool read = hr == S_OK;
    if (hr == S_FALSE) {
        /* unreadable: an ordinary attachment, shown */
        SPropValue shown = { .ulPropTag = PR_ATTACHMENT_HIDDEN, .Value.b = FALSE };
        hr = fm_mime_set((LPMAPIPROP)att, &shown);
        if (hr == S_OK && (hr = IAttach_SaveChanges(att, 0)) != S_OK)
            hr = fm_mime_fail_mapi(hr, "saving winmail.dat");
    }
    IAttach_Release(att);
    if (FAILED(hr))
        return hr;
    if (im->skel != NULL) {
        GString *h = g_string_new(NULL);
        fm_mime_header_block((GMimeObject *)part, h);
        int index = fm_skel_build_open(im->skel, FM_SK_ATTACH, h->str, h->len);
        g_string_free(h, TRUE);
        fm_skel_node *n = fm_skel_build_node(im->skel, index);
        if (n != NULL) {
            n->part = no;
            n->hash = hash;
            n->flags |= FM_SKF_HASHED | (read ? FM_SKF_HIDDEN : 0);
        }
    }
    if (read)
        hr = number_new(im);
    if (im->skel != NULL)
        fm_skel_build_close(im->skel);
    if (read)
        im->tnef = true;
    return hr;
}

/* ---- export ----------------------------------------------------------------------- */
/* The message as a TNEF stream in bytes. */
static HRESULT encode(fm_export *ex, GByteArray *bytes)
{
    LPSTREAM s = fm_mime_istream_mem_new(bytes);
    LPITNEF t = NULL;
    HRESULT hr = OpenTnefStream(NULL, s, (LPTSTR) "winmail.dat", TNEF_ENCODE | TNEF_BEST_DATA,
                                ex->m, 1, &t);
    if (hr == S_OK)
        hr = ITnef_AddProps(t, TNEF_PROP_EXCLUDE, 0, NULL, (LPSPropTagArray)&NOT_CARRIED);
    if (hr == S_OK)
        hr = ITnef_EncodeRecips(t, 0, NULL);
    WORD key = 0;
    LPSTnefProblemArray problems = NULL;
    if (hr == S_OK)
        hr = ITnef_Finish(t, 0, &key, &problems);
    if (hr == S_OK)
        warn_problems("properties could not be written", problems);
    MAPIFreeBuffer(problems);
    if (t != NULL)
        ITnef_Release(t);
    IStream_Release(s);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "writing winmail.dat");
    return S_OK;
}

HRESULT fm_mime_build_tnef(fm_export *ex, fm_out_node **out)
{
    *out = NULL;
    HRESULT hr = fm_export_attachments(ex);
    if (hr != S_OK)
        return hr;
    GByteArray *bytes = g_byte_array_new();
    hr = encode(ex, bytes);
    if (hr != S_OK) {
        g_byte_array_unref(bytes);
        return hr;
    }
    /* everything is in winmail.dat */
    for (guint i = 0; i < ex->atts->len; i++)
        g_array_index(ex->atts, fm_export_att, i).used = true;
    fm_out_node *mp = fm_out_node_new(FM_OUT_MULTIPART);
    mp->boundary = fm_out_boundary();
    char *type = g_strdup_printf("multipart/mixed; boundary=\"%s\"", mp->boundary);
    fm_out_header(mp, "Content-Type", type);
    g_free(type);
    GString *empty = g_string_new(NULL);
    fm_out_add(mp, fm_mime_text_node("plain", ex->body ? ex->body : empty, "utf-8", NULL));
    g_string_free(empty, TRUE);
    fm_out_node *leaf = fm_out_node_new(FM_OUT_LEAF);
    fm_out_header(leaf, "Content-Type", "application/ms-tnef; name=\"winmail.dat\"");
    fm_out_header(leaf, "Content-Disposition", "attachment; filename=\"winmail.dat\"");
    fm_out_header(leaf, "Content-Transfer-Encoding", "base64");
    leaf->content = g_mime_stream_mem_new_with_byte_array(bytes); /* takes bytes */
    leaf->enc = GMIME_CONTENT_ENCODING_BASE64;
    fm_out_add(mp, leaf);
    *out = mp;
    return S_OK;
}
