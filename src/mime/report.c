/*
 * mime/report.c - reports (placeholder while the converter is rebuilt).
 */
#include "mime/mime.h"

HRESULT fm_mime_import_report(fm_import *im, GMimeMultipart *mp)
{
    return S_OK;
}

HRESULT fm_mime_build_report(fm_export *ex, fm_out_node **out)
{
    return S_FALSE;
}
