/*
 * profile/lasterr.c - per-object last error text for GetLastError
 * (lasterr.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "mapicode.h"
#include "profile/lasterr.h"

void fm_lasterr_init(fm_lasterr *e)
{
    pthread_mutex_init(&e->lock, NULL);
    e->hr = S_OK;
    e->text[0] = '\0';
}

void fm_lasterr_destroy(fm_lasterr *e)
{
    pthread_mutex_destroy(&e->lock);
}

HRESULT fm_lasterr_record(fm_lasterr *e, HRESULT hr)
{
    if (!FAILED(hr))
        return hr;
    pthread_mutex_lock(&e->lock);
    e->hr = hr;
    snprintf(e->text, sizeof e->text, "%s", fm_error_text());
    pthread_mutex_unlock(&e->lock);
    return hr;
}

HRESULT fm_lasterr_get(fm_lasterr *e, const char *component, HRESULT hResult, ULONG ulFlags,
                       LPMAPIERROR *lppMAPIError)
{
    if (lppMAPIError == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetLastError: lppMAPIError is NULL");
    char text[FM_ERROR_TEXT_MAX];
    pthread_mutex_lock(&e->lock);
    snprintf(text, sizeof text, "%s", e->hr == hResult ? e->text : "");
    pthread_mutex_unlock(&e->lock);
    return fm_error_make_mapierror(hResult, ulFlags, text, component, lppMAPIError);
}

HRESULT fm_tstr_arg(const void *s, ULONG flags, char *buf, size_t cap, const char *what)
{
    return fm_text_arg_utf8(s, (flags & MAPI_UNICODE) != 0, buf, cap, what);
}
