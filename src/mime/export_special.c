/*
 * mime/export_special.c - messages with a MIME form of their own when they
 * were composed in MAPI (no skeleton says how they came): opaque S/MIME
 * ([MS-OXOSMIME] 2.1.3.2: the one attachment is the body, as
 * application/pkcs7-mime), reports ([MS-OXCMAIL] 2.1.3.6, report.c) and
 * meeting requests (iMIP, calendar.c).
 */
#include <string.h>

#include "mapiguid.h"
#include "mime/mime.h"

static bool class_is(const fm_export *ex, const char *want)
{
    const char *cls = fm_export_str(ex, FM_EP_CLASS);
    return cls != NULL && g_ascii_strcasecmp(cls, want) == 0;
}

/* IPM.Note.SMIME with one attachment: the attachment, as the body. */
static HRESULT opaque_body(fm_export *ex, fm_out_node **out)
{
    HRESULT hr = fm_export_attachments(ex);
    if (hr != S_OK || ex->atts->len != 1)
        return hr == S_OK ? S_FALSE : hr;
    fm_export_att *a = &g_array_index(ex->atts, fm_export_att, 0);
    /* The Content-Type it came with, when the import kept it. */
    char *type = fm_mime_get_named_string((LPMAPIPROP)ex->m, &PS_INTERNET_HEADERS,
                                          "Content-Type");
    GString *kept = g_string_new(NULL);
    g_string_append_printf(kept, "Content-Type: %s\r\nContent-Transfer-Encoding: base64\r\n"
                                 "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n",
                           type ? type
                                : "application/pkcs7-mime; smime-type=enveloped-data; "
                                  "name=\"smime.p7m\"");
    g_free(type);
    fm_skel_bytes h = { kept->str, kept->len };
    hr = fm_mime_attach_node(ex, a->num, &h, false, out);
    g_string_free(kept, TRUE);
    if (hr == S_OK)
        a->used = true;
    return hr;
}

HRESULT fm_mime_build_special(fm_export *ex, fm_out_node **out)
{
    if (class_is(ex, "IPM.Note.SMIME") && !ex->have_skel)
        return opaque_body(ex, out);
    if (ex->have_skel)
        return S_FALSE;
    HRESULT hr = fm_mime_build_report(ex, out);
    if (hr == S_FALSE)
        hr = fm_mime_build_meeting(ex, out);
    return hr;
}
