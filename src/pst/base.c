/*
 * pst/base.c - what every file of libfreemapi-pst uses: error text (through
 * fmapi_error_set, so fmapi_last_error() explains a failed call), memory
 * through MAPI's allocator (counted and failure-injectable like the rest of
 * freemapi), and the UTF-16 helpers the file format needs.
 */
#include <stdarg.h>
#include <stdio.h>

#include "pst/pst.h"

/* {4A5E3C1B-7F20-4D6E-9B8A-2C51F0E7D934} */
const GUID fm_pst_psetid = { 0x4A5E3C1B, 0x7F20, 0x4D6E,
                             { 0x9B, 0x8A, 0x2C, 0x51, 0xF0, 0xE7, 0xD9, 0x34 } };

HRESULT fm_pst_fail(HRESULT hr, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return fmapi_error_set(hr, text);
}

HRESULT fm_pst_fail_mapi(HRESULT hr, const char *what)
{
    const char *inner = fmapi_last_error();
    if (inner == NULL || inner[0] == '\0')
        inner = fmapi_error_name(hr);
    return fm_pst_fail(hr, "%s: %s", what, inner);
}

void *fm_pst_alloc(size_t n)
{
    void *p = NULL;
    if (n > 0xFFFFFFF0u || MAPIAllocateBuffer((ULONG)(n ? n : 1), &p) != S_OK)
        return NULL;
    return p;
}

void *fm_pst_zalloc(size_t n)
{
    void *p = fm_pst_alloc(n);
    if (p != NULL)
        memset(p, 0, n ? n : 1);
    return p;
}

void fm_pst_free(void *p)
{
    if (p != NULL)
        MAPIFreeBuffer(p);
}

HRESULT fm_pst_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n <= *cap)
        return S_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < n)
        ncap *= 2;
    if (ncap > (size_t)0xFFFFFFF0u / elem)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: a list grew past 4 GB");
    void *p = fm_pst_alloc(ncap * elem);
    if (p == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    if (*arr != NULL) {
        memcpy(p, *arr, *cap * elem);
        fm_pst_free(*arr);
    }
    *arr = p;
    *cap = ncap;
    return S_OK;
}

size_t fm_pst_wcslen(const WCHAR *w)
{
    size_t n = 0;
    while (w[n] != 0)
        n++;
    return n;
}
