/*
 * mime/tnef_part.c - TNEF parts (placeholder while the converter is rebuilt).
 */
#include "mime/mime.h"

HRESULT fm_mime_import_tnef(fm_import *im, GMimePart *part, const fm_part_info *pi,
                            fm_region *r, bool top)
{
    return S_FALSE;
}

HRESULT fm_mime_build_tnef(fm_export *ex, fm_out_node **out)
{
    return fm_mime_fail(MAPI_E_NO_SUPPORT, "MIME export: TNEF is not supported yet");
}
