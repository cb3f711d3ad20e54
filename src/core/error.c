/*
 * core/error.c - per-thread error text and the MAPIERROR builder.
 *
 * The text lives in a fixed thread-local buffer, so recording an error never
 * allocates: it must work when the failure is running out of memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "freemapi_error.h"
#include "mapicode.h"

static _Thread_local char error_text[FM_ERROR_TEXT_MAX];
static _Thread_local HRESULT error_code;

HRESULT fm_error_set(HRESULT hr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(error_text, sizeof error_text, fmt, ap);
    va_end(ap);
    error_code = hr;
    return hr;
}

const char *fm_error_text(void)
{
    return error_text;
}

void fm_error_clear(void)
{
    error_text[0] = '\0';
    error_code = S_OK;
}

FREEMAPI_PUBLIC const char *fmapi_last_error(void)
{
    return error_text;
}

FREEMAPI_PUBLIC HRESULT fmapi_last_error_code(void)
{
    return error_code;
}

FREEMAPI_PUBLIC HRESULT fmapi_error_set(HRESULT hr, const char *text)
{
    return fm_error_set(hr, "%s", text ? text : "");
}

FREEMAPI_PUBLIC void fmapi_clear_error(void)
{
    fm_error_clear();
}

/* Copies s into the MAPIERROR block at *cursor, in the width asked for. */
static LPTSTR place_string(const char *s, int wide, char **cursor)
{
    char *at = *cursor;
    if (wide) {
        size_t n = fm_utf8_to_utf16_into(s, strlen(s), (WCHAR *)at, strlen(s) + 1);
        *cursor += (n + 1) * sizeof(WCHAR);
    } else {
        size_t n = strlen(s);
        memcpy(at, s, n + 1);
        *cursor += n + 1;
    }
    return (LPTSTR)(void *)at;
}

HRESULT fm_error_make_mapierror(HRESULT hr, ULONG ulFlags, const char *text,
                                const char *component, LPMAPIERROR *lppMAPIError)
{
    if (lppMAPIError == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetLastError: lppMAPIError is NULL");
    *lppMAPIError = NULL;
    if (ulFlags & ~MAPI_UNICODE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetLastError: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~MAPI_UNICODE));
    if (text == NULL || text[0] == '\0') {
        text = fmapi_error_name(hr);
        if (text == NULL)
            text = "no further information";
    }
    if (component == NULL)
        component = "freemapi";
    int wide = (ulFlags & MAPI_UNICODE) != 0;
    /* UTF-16 never needs more units than UTF-8 has bytes. */
    size_t unit = wide ? sizeof(WCHAR) : 1;
    size_t need = sizeof(MAPIERROR) + (strlen(text) + 1 + strlen(component) + 1) * unit;
    LPMAPIERROR err;
    SCODE sc = fm_alloc_mapi(need, NULL, (void **)&err);
    if (sc != S_OK)
        return sc;
    char *cursor = (char *)(err + 1);
    err->ulVersion = MAPI_ERROR_VERSION;
    err->lpszError = place_string(text, wide, &cursor);
    err->lpszComponent = place_string(component, wide, &cursor);
    err->ulLowLevelError = 0;
    err->ulContext = (ULONG)hr;
    *lppMAPIError = err;
    return S_OK;
}
