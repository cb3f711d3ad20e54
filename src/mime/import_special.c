/*
 * mime/import_special.c - parts that mean more than their content: an
 * opaque S/MIME message ([MS-OXOSMIME] 2.1.3.2), the machine-readable part
 * of a report (RFC 3464 delivery status, RFC 8098 disposition
 * notification), which is kept as it came in the skeleton and read by
 * report.c, and the meeting requests (calendar.c) and TNEF parts (tnef.c)
 * that fill the message's own properties.
 */
#include <string.h>

#include "mime/mime.h"

/* Report parts larger than this are attachments rather than skeleton text. */
#define INLINE_MAX (256 * 1024)

/* The part's content as it came (encoded), or NULL when larger than cap. */
static GByteArray *raw_content(GMimePart *part, size_t cap)
{
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    GMimeStream *s = w ? g_mime_data_wrapper_get_stream(w) : NULL;
    GByteArray *a = g_byte_array_new();
    if (s == NULL)
        return a;
    g_mime_stream_reset(s);
    char buf[16384];
    ssize_t n;
    while ((n = g_mime_stream_read(s, buf, sizeof buf)) > 0) {
        g_byte_array_append(a, (const guint8 *)buf, (guint)n);
        if (a->len > cap) {
            g_byte_array_unref(a);
            g_mime_stream_reset(s);
            return NULL;
        }
    }
    g_mime_stream_reset(s);
    return a;
}

/* message/delivery-status and message/disposition-notification: read for
 * the report's properties, kept in the skeleton as they came. */
static HRESULT report_part(fm_import *im, GMimePart *part)
{
    GByteArray *raw = raw_content(part, INLINE_MAX);
    if (raw == NULL)
        return S_FALSE;
    if (im->report_status == NULL)
        im->report_status = (GMimeObject *)part;
    if (im->skel != NULL) {
        GString *h = g_string_new(NULL);
        fm_mime_header_block((GMimeObject *)part, h);
        int index = fm_skel_build_open(im->skel, FM_SK_INLINE, h->str, h->len);
        g_string_free(h, TRUE);
        fm_skel_node *n = fm_skel_build_node(im->skel, index);
        n->data = fm_skel_build_keep(im->skel, (const char *)raw->data, raw->len);
        fm_skel_build_close(im->skel);
    }
    g_byte_array_unref(raw);
    return S_OK;
}

/* [MS-OXOSMIME] 2.1.3.2.1.2: an opaque-signed or encrypted message. Its
 * class is IPM.Note.SMIME and its raw Content-Type is kept in the named
 * property PS_INTERNET_HEADERS "Content-Type"; the part itself then
 * becomes an attachment as any other. */
static HRESULT opaque_smime(fm_import *im, GMimePart *part)
{
    SPropValue cls = { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = (LPSTR) "IPM.Note.SMIME" };
    HRESULT hr = fm_mime_set((LPMAPIPROP)im->m, &cls);
    GMimeHeaderList *list = g_mime_object_get_header_list((GMimeObject *)part);
    GMimeHeader *h = list ? g_mime_header_list_get_header(list, "Content-Type") : NULL;
    const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
    if (hr == S_OK && raw != NULL)
        hr = fm_mime_set_named_string((LPMAPIPROP)im->m, &PS_INTERNET_HEADERS, "Content-Type",
                                      g_strstrip(g_strdup(raw)));
    return hr;
}

static bool is_pkcs7(const fm_part_info *pi)
{
    if (strcmp(pi->type, "application/pkcs7-mime") == 0 ||
        strcmp(pi->type, "application/x-pkcs7-mime") == 0)
        return true;
    const char *dot = pi->filename ? strrchr(pi->filename, '.') : NULL;
    return strcmp(pi->type, "application/octet-stream") == 0 && dot != NULL &&
           g_ascii_strcasecmp(dot, ".p7m") == 0;
}

HRESULT fm_mime_import_special(fm_import *im, GMimePart *part, const fm_part_info *pi,
                               bool alternative, fm_region *r, bool top)
{
    if (strcmp(pi->type, "message/delivery-status") == 0 ||
        strcmp(pi->type, "message/disposition-notification") == 0 ||
        strcmp(pi->type, "message/global-delivery-status") == 0 ||
        strcmp(pi->type, "message/global-disposition-notification") == 0)
        return report_part(im, part);
    if (top && is_pkcs7(pi)) {
        HRESULT hr = opaque_smime(im, part);
        return hr == S_OK ? S_FALSE : hr; /* and an attachment as any other */
    }
    if (strcmp(pi->type, "text/calendar") == 0 && !im->meeting) {
        HRESULT hr = fm_mime_import_calendar(im, part, pi, alternative, r, top);
        if (hr != S_FALSE)
            return hr;
    }
    if ((strcmp(pi->type, "application/ms-tnef") == 0 ||
         strcmp(pi->type, "application/vnd.ms-tnef") == 0) && !im->tnef)
        return fm_mime_import_tnef(im, part, pi, r, top);
    return S_FALSE;
}

HRESULT fm_mime_import_finish_special(fm_import *im)
{
    return S_OK;
}
