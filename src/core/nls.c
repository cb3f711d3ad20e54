/*
 * core/nls.c - the MNLS_* functions of mapinls.h: UTF-16 string helpers,
 * comparison with case and mark folding (core/text.c), and code page
 * conversion (UTF-8 directly, other code pages through iconv).
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapicode.h"
#include "mapinls.h"

STDAPI_(int) MNLS_lstrlenW(LPCWSTR lpString)
{
    return lpString ? (int)fm_utf16_len(lpString) : 0;
}

STDAPI_(int) MNLS_lstrcmpW(LPCWSTR a, LPCWSTR b)
{
    if (a == NULL || b == NULL)
        return a == b ? 0 : a == NULL ? -1 : 1;
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (int)*a - (int)*b;
}

STDAPI_(LPWSTR) MNLS_lstrcpyW(LPWSTR dst, LPCWSTR src)
{
    if (dst == NULL || src == NULL)
        return NULL;
    size_t n = fm_utf16_len(src);
    memmove(dst, src, (n + 1) * sizeof(WCHAR));
    return dst;
}

STDAPI_(int) MNLS_CompareStringW(LCID Locale, DWORD dwCmpFlags, LPCWSTR s1, int cch1,
                                 LPCWSTR s2, int cch2)
{
    if (s1 == NULL || s2 == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "CompareStringW: NULL string");
        return 0;
    }
    fm_text a = { s1, cch1 < 0 ? fm_utf16_len(s1) : (size_t)cch1, true };
    fm_text b = { s2, cch2 < 0 ? fm_utf16_len(s2) : (size_t)cch2, true };
    unsigned how = ((dwCmpFlags & NORM_IGNORECASE) ? FM_FOLD_CASE : 0) |
                   ((dwCmpFlags & NORM_IGNORENONSPACE) ? FM_FOLD_NONSPACE : 0);
    int c = fm_text_compare(&a, &b, how);
    return c < 0 ? CSTR_LESS_THAN : c > 0 ? CSTR_GREATER_THAN : CSTR_EQUAL;
}

static int is_utf8(UINT cp)
{
    return cp == CP_ACP || cp == CP_UTF8 || cp == CP_THREAD_ACP;
}

static void cp_name(UINT cp, char *name, size_t cap)
{
    if (cp == CP_OEMCP)
        snprintf(name, cap, "CP437");
    else if (cp == CP_MACCP)
        snprintf(name, cap, "MACINTOSH");
    else if (cp == CP_UTF7)
        snprintf(name, cap, "UTF-7");
    else if (cp == 20127)
        snprintf(name, cap, "ASCII");
    else if (cp >= 28591 && cp <= 28606)
        snprintf(name, cap, "ISO-8859-%u", cp - 28590);
    else
        snprintf(name, cap, "CP%u", cp);
}

/* Converts n bytes with iconv from one encoding to another into out (cap
 * bytes; 0: only count). Returns the bytes produced or -1. */
static long run_iconv(const char *to, const char *from, const char *in, size_t n, char *out,
                      size_t cap, int *lossy)
{
    iconv_t cd = iconv_open(to, from);
    if (cd == (iconv_t)-1) {
        fm_error_set(MAPI_E_UNKNOWN_CPID, "code page conversion %s to %s is not known here",
                     from, to);
        return -1;
    }
    char scratch[4096];
    char *ip = (char *)(uintptr_t)in;
    size_t il = n;
    long total = 0;
    while (il > 0) {
        char *op = cap ? out + total : scratch;
        size_t room = cap ? cap - (size_t)total : sizeof scratch;
        size_t r = iconv(cd, &ip, &il, &op, &room);
        long made = (long)(op - (cap ? out + total : scratch));
        total += made;
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG && cap == 0)
            continue;
        if (errno == E2BIG) {
            iconv_close(cd);
            fm_error_set(MAPI_E_TOO_BIG, "code page conversion: the output "
                                                            "buffer is too small");
            return -1;
        }
        /* A character the target lacks, or an invalid input sequence. */
        *lossy = 1;
        ip++;
        il--;
    }
    iconv_close(cd);
    return total;
}

STDAPI_(int) MNLS_MultiByteToWideChar(UINT uCodePage, DWORD dwFlags, LPCSTR lpMultiByteStr,
                                      int cbMultiByte, LPWSTR lpWideCharStr, int cchWideChar)
{
    if (lpMultiByteStr == NULL || cchWideChar < 0 || (cchWideChar > 0 && lpWideCharStr == NULL)) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MultiByteToWideChar: bad argument");
        return 0;
    }
    size_t n = cbMultiByte < 0 ? strlen(lpMultiByteStr) + 1 : (size_t)cbMultiByte;
    if (is_utf8(uCodePage)) {
        if ((dwFlags & MB_ERR_INVALID_CHARS) && !fm_utf8_valid(lpMultiByteStr, n)) {
            fm_error_set(MAPI_E_INVALID_PARAMETER, "MultiByteToWideChar: not UTF-8");
            return 0;
        }
        WCHAR *tmp = fm_malloc((n + 1) * sizeof(WCHAR));
        if (tmp == NULL) {
            fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "MultiByteToWideChar: out of memory");
            return 0;
        }
        size_t need = fm_utf8_to_utf16_into(lpMultiByteStr, n, tmp, n + 1);
        int rc = (int)need;
        if (cchWideChar > 0 && need > (size_t)cchWideChar) {
            fm_error_set(MAPI_E_TOO_BIG, "MultiByteToWideChar: %zu units do not fit in %d", need,
                         cchWideChar);
            rc = 0;
        } else if (cchWideChar > 0) {
            memcpy(lpWideCharStr, tmp, need * sizeof(WCHAR));
        }
        fm_free(tmp);
        return rc;
    }
    char name[24];
    cp_name(uCodePage, name, sizeof name);
    int lossy = 0;
    long bytes = run_iconv("UTF-16LE", name, lpMultiByteStr, n, (char *)lpWideCharStr,
                           (size_t)cchWideChar * sizeof(WCHAR), &lossy);
    if (bytes < 0 || ((dwFlags & MB_ERR_INVALID_CHARS) && lossy))
        return 0;
    return (int)(bytes / (long)sizeof(WCHAR));
}

STDAPI_(int) MNLS_WideCharToMultiByte(UINT uCodePage, DWORD dwFlags, LPCWSTR lpWideCharStr,
                                      int cchWideChar, LPSTR lpMultiByteStr, int cbMultiByte,
                                      LPCSTR lpDefaultChar, BOOL *lpfUsedDefaultChar)
{
    if (lpfUsedDefaultChar)
        *lpfUsedDefaultChar = FALSE;
    if (lpWideCharStr == NULL || cbMultiByte < 0 || (cbMultiByte > 0 && lpMultiByteStr == NULL)) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "WideCharToMultiByte: bad argument");
        return 0;
    }
    size_t n = cchWideChar < 0 ? fm_utf16_len(lpWideCharStr) + 1 : (size_t)cchWideChar;
    if (is_utf8(uCodePage)) {
        /* Each unit makes at most 3 bytes (a pair makes 4 for two units). */
        size_t worst = n * 3 + 1;
        char *tmp = fm_malloc(worst);
        if (tmp == NULL) {
            fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "WideCharToMultiByte: out of memory");
            return 0;
        }
        size_t made = fm_utf16_to_utf8_into(lpWideCharStr, n, tmp);
        int rc = (int)made;
        if (cbMultiByte > 0 && made > (size_t)cbMultiByte) {
            fm_error_set(MAPI_E_TOO_BIG, "WideCharToMultiByte: %zu bytes do "
                                                            "not fit in %d", made, cbMultiByte);
            rc = 0;
        } else if (cbMultiByte > 0) {
            memcpy(lpMultiByteStr, tmp, made);
        }
        fm_free(tmp);
        return rc;
    }
    char name[40];
    cp_name(uCodePage, name, sizeof name);
    strncat(name, "//TRANSLIT", sizeof name - strlen(name) - 1);
    int lossy = 0;
    long bytes = run_iconv(name, "UTF-16LE", (const char *)lpWideCharStr, n * sizeof(WCHAR),
                           lpMultiByteStr, (size_t)cbMultiByte, &lossy);
    if (bytes < 0)
        return 0;
    if (lossy && lpfUsedDefaultChar)
        *lpfUsedDefaultChar = TRUE;
    (void)lpDefaultChar; /* iconv transliterates; what it cannot becomes '?' */
    return (int)bytes;
}

STDAPI_(BOOL) MNLS_IsBadStringPtrW(LPCWSTR lpsz, UINT ucchMax)
{
    return lpsz == NULL;
}

STDAPI_(BOOL) IsBadBoundedStringPtr(const void *lpsz, UINT cchMax)
{
    return cchMax != 0 && lpsz == NULL;
}
