/*
 * mime/calendar.c - meeting requests (placeholder while the converter is rebuilt).
 */
#include "mime/mime.h"

HRESULT fm_mime_import_calendar(fm_import *im, GMimePart *part, const fm_part_info *pi,
                                bool alternative)
{
    return S_FALSE;
}

HRESULT fm_mime_build_meeting(fm_export *ex, fm_out_node **out)
{
    return S_FALSE;
}
