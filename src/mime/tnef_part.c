/*
 * mime/tnef_part.c - winmail.dat: application/ms-tnef parts ([MS-OXTNEF]).
 *
 * Import does what Exchange does with Outlook's TNEF: the part's MAPI
 * properties, recipients and attachments (RTF-only bodies too) go into the
 * message, through ITnef::ExtractProps (the codec of src/tnef/). The part
 * itself is kept as it came, in a hidden attachment, so nothing is lost; its
 * skeleton leaf holds the attachments the TNEF made, so an export of the
 * message as it came writes winmail.dat once and not its contents again.
 * That leaf also holds a fingerprint of what the TNEF stands for (bodies,
 * subject, class, recipients, the attachments and their data): once a
 * client changed any of it the kept winmail.dat is stale, and the export
 * writes the message as it is now instead (export_skel.c).
 *
 * Export with CCSF_USE_TNEF writes the message for a MAPI reader:
 * multipart/mixed of the text body and a winmail.dat that ITnef::Finish
 * makes of every property, recipient and attachment.
 */
#include <string.h>

#include "mapiguid.h"
#include "mapinls.h"
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
        uint64_t hash = 0;
        hr = fm_mime_attach_data_hash(att, &hash);
        hr = fm_mime_save_attach(att, hr == S_OK ? fm_mime_set((LPMAPIPROP)att, &p) : hr);
        if (hr == S_OK && im->skel != NULL) {
            int index = fm_skel_build_open(im->skel, FM_SK_ATTACH, NULL, 0);
            fm_skel_node *n = fm_skel_build_node(im->skel, index);
            if (n != NULL) {
                n->part = no;
                n->hash = hash;
                n->flags |= FM_SKF_HASHED;
            }
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
    if (read && hr == S_OK && im->skel != NULL) {
        /* its hash is taken once the whole message is read (store_skeleton) */
        im->tnef_fingerprint = 1 + fm_skel_build_open(im->skel, FM_SK_FINGERPRINT, NULL, 0);
        fm_skel_build_close(im->skel);
    }
    if (im->skel != NULL)
        fm_skel_build_close(im->skel);
    if (read)
        im->tnef = true;
    return hr;
}

/* ---- the fingerprint --------------------------------------------------------------- */
/* What a winmail.dat stands for that a client may change: the message's
 * subject, class, flags of importance and the bodies, its recipients, and
 * how many attachments it has (one added or deleted changes it). Store-made
 * properties (sizes, times, keys, read flags) are left out: they change
 * without the message changing. */
static const SizedSPropTagArray(8, FINGERPRINTED) = {
    8, { PR_SUBJECT_W, PR_MESSAGE_CLASS_W, PR_IMPORTANCE, PR_SENSITIVITY, PR_PRIORITY,
         PR_BODY_W, PR_HTML, PR_RTF_COMPRESSED } };

static HRESULT feed_value(fm_hash *h, LPMAPIPROP obj, const SPropValue *v, ULONG want)
{
    ULONG type = PROP_TYPE(v->ulPropTag);
    fm_hash_feed(h, &want, sizeof want);
    if (type == PT_ERROR && v->Value.err == MAPI_E_NOT_ENOUGH_MEMORY) {
        GString *big = g_string_new(NULL); /* too big for GetProps: read as a stream */
        HRESULT hr = fm_mime_read_prop_stream(obj, want, big);
        if (hr == S_OK)
            fm_hash_feed(h, big->str, big->len);
        g_string_free(big, TRUE);
        return hr;
    }
    if (type == PT_ERROR) {
        fm_hash_feed(h, "", 0); /* absent */
    } else if (type == PT_LONG) {
        fm_hash_feed(h, &v->Value.l, sizeof v->Value.l);
    } else if (type == PT_UNICODE) {
        fm_hash_feed(h, v->Value.lpszW, (size_t)MNLS_lstrlenW(v->Value.lpszW) * sizeof(WCHAR));
    } else if (type == PT_BINARY) {
        fm_hash_feed(h, v->Value.bin.lpb, v->Value.bin.cb);
    }
    return S_OK;
}

static HRESULT feed_props(fm_hash *h, LPMESSAGE m)
{
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IMessage_GetProps(m, (LPSPropTagArray)&FINGERPRINTED, 0, &n, &v);
    if (FAILED(hr))
        return fm_mime_fail_mapi(hr, "reading the message's properties");
    hr = S_OK; /* MAPI_W_ERRORS_RETURNED: the absent ones are fed as absent */
    for (ULONG i = 0; hr == S_OK && i < n; i++)
        hr = feed_value(h, (LPMAPIPROP)m, &v[i], FINGERPRINTED.aulPropTag[i]);
    MAPIFreeBuffer(v);
    return hr;
}

static HRESULT feed_table(fm_hash *h, LPMAPITABLE t, LPSPropTagArray cols)
{
    LPSRowSet rows = NULL;
    HRESULT hr = HrQueryAllRows(t, cols, NULL, NULL, 0, &rows);
    IMAPITable_Release(t);
    if (hr != S_OK)
        return hr;
    fm_hash_feed(h, &rows->cRows, sizeof rows->cRows);
    for (ULONG r = 0; hr == S_OK && r < rows->cRows; r++)
        for (ULONG c = 0; hr == S_OK && c < rows->aRow[r].cValues; c++)
            hr = feed_value(h, NULL, &rows->aRow[r].lpProps[c], cols->aulPropTag[c]);
    FreeProws(rows);
    return hr;
}

HRESULT fm_mime_tnef_fingerprint(LPMESSAGE m, uint64_t *out)
{
    fm_hash h;
    fm_hash_init(&h);
    HRESULT hr = feed_props(&h, m);
    LPMAPITABLE t = NULL;
    SizedSPropTagArray(3, rcols) = { 3, { PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W,
                                          PR_RECIPIENT_TYPE } };
    if (hr == S_OK && (hr = IMessage_GetRecipientTable(m, MAPI_UNICODE, &t)) == S_OK)
        hr = feed_table(&h, t, (LPSPropTagArray)&rcols);
    SizedSPropTagArray(1, acols) = { 1, { PR_ATTACH_NUM } };
    if (hr == S_OK && (hr = IMessage_GetAttachmentTable(m, 0, &t)) == S_OK) {
        LPSRowSet rows = NULL;
        hr = HrQueryAllRows(t, (LPSPropTagArray)&acols, NULL, NULL, 0, &rows);
        IMAPITable_Release(t);
        if (hr == S_OK)
            fm_hash_feed(&h, &rows->cRows, sizeof rows->cRows);
        FreeProws(rows);
    }
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "reading the message for its fingerprint");
    *out = fm_hash_final(&h);
    return S_OK;
}

/* ---- export ----------------------------------------------------------------------- */
/* The message as a TNEF stream written into s. */
static HRESULT encode(fm_export *ex, LPSTREAM s)
{
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
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "writing winmail.dat");
    return S_OK;
}

/* winmail.dat is as big as the message with every attachment: it is built
 * in a temporary file (0600, made with O_EXCL, deleted when the export's
 * stream over it is released), never in memory. */
static HRESULT encode_to_file(fm_export *ex, GMimeStream **out)
{
    LPSTREAM s = NULL;
    HRESULT hr = OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer,
                                  STGM_CREATE | STGM_READWRITE | STGM_DELETEONRELEASE, NULL,
                                  (LPSTR) "fmt", &s);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "no temporary file for winmail.dat");
    hr = encode(ex, s);
    if (hr == S_OK) {
        *out = fm_mime_stream_istream_new(s); /* its reference keeps the file */
        g_mime_stream_reset(*out);
    }
    IStream_Release(s);
    return hr;
}

HRESULT fm_mime_build_tnef(fm_export *ex, fm_out_node **out)
{
    *out = NULL;
    HRESULT hr = fm_export_attachments(ex);
    if (hr != S_OK)
        return hr;
    GMimeStream *content = NULL;
    hr = encode_to_file(ex, &content);
    if (hr != S_OK)
        return hr;
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
    leaf->content = content;
    leaf->enc = GMIME_CONTENT_ENCODING_BASE64;
    fm_out_add(mp, leaf);
    *out = mp;
    return S_OK;
}
