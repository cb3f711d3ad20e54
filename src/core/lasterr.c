/*
 * core/lasterr.c - per-object last error text for GetLastError
 * (lasterr.h).
 */
#include <stdio.h>

#include "core/lasterr.h"
#include "mapicode.h"

void fm_lasterr_init(fm_lasterr *e)
{
    pthread_mutex_init(&e->lock, NULL);
    e->hr = S_OK;
    e->text[0] = '\0';
}

void fm_lasterr_clear(fm_lasterr *e)
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
    char text[FM_ERROR_TEXT_MAX];
    pthread_mutex_lock(&e->lock);
    snprintf(text, sizeof text, "%s", e->hr == hResult ? e->text : "");
    pthread_mutex_unlock(&e->lock);
    return fm_error_make_mapierror(hResult, ulFlags, text, component, lppMAPIError);
}
