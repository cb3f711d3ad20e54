/*
 * mapinls.h - MAPI's national language support: the MNLS_* string and code
 * page functions the MAPI reference documents, and, as the SDK's header
 * does where Windows' own NLS is missing, the Windows names mapped onto
 * them (lstrlenW, MultiByteToWideChar, CompareStringW, ...).
 *
 * Code pages: CP_ACP, the "ANSI" code page, is UTF-8 in freemapi, as
 * PT_STRING8 strings are; CP_UTF8 is UTF-8; other Windows code pages
 * (1252, 1251, 932, ...) are converted by the C library's iconv, and a code
 * page it does not know fails (0, with the reason in fmapi_last_error).
 * A program that defines its own lstrlenW and friends defines
 * FREEMAPI_NO_NLS_NAMES before including this header.
 */
#ifndef FREEMAPI_MAPINLS_H
#define FREEMAPI_MAPINLS_H

#include "mapiwin.h"

FREEMAPI_BEGIN_DECLS

/* Code pages. */
#define CP_ACP 0
#define CP_OEMCP 1
#define CP_MACCP 2
#define CP_THREAD_ACP 3
#define CP_SYMBOL 42
#define CP_UTF7 65000
#define CP_UTF8 65001

/* MultiByteToWideChar and WideCharToMultiByte dwFlags. */
#define MB_PRECOMPOSED 0x00000001
#define MB_COMPOSITE 0x00000002
#define MB_USEGLYPHCHARS 0x00000004
#define MB_ERR_INVALID_CHARS 0x00000008
#define WC_COMPOSITECHECK 0x00000200
#define WC_DISCARDNS 0x00000010
#define WC_SEPCHARS 0x00000020
#define WC_DEFAULTCHAR 0x00000040
#define WC_ERR_INVALID_CHARS 0x00000080
#define WC_NO_BEST_FIT_CHARS 0x00000400

/* CompareStringW dwCmpFlags and results. */
#define NORM_IGNORECASE 0x00000001
#define NORM_IGNORENONSPACE 0x00000002
#define NORM_IGNORESYMBOLS 0x00000004
#define NORM_IGNOREKANATYPE 0x00010000
#define NORM_IGNOREWIDTH 0x00020000
#define SORT_STRINGSORT 0x00001000
#define CSTR_LESS_THAN 1
#define CSTR_EQUAL 2
#define CSTR_GREATER_THAN 3

/* Locales. */
#define LOCALE_SYSTEM_DEFAULT 0x0800
#define LOCALE_USER_DEFAULT 0x0400
#define LOCALE_INVARIANT 0x007F
#define LOCALE_NEUTRAL 0x0000

/* The length of a NUL-terminated UTF-16 string, in units. */
STDAPI_(int) MNLS_lstrlenW(LPCWSTR lpString);
/* <0, 0 or >0, by code unit (lstrcmpW's order on Windows is linguistic). */
STDAPI_(int) MNLS_lstrcmpW(LPCWSTR lpString1, LPCWSTR lpString2);
/* Copies src over dst (which must be large enough); returns dst. */
STDAPI_(LPWSTR) MNLS_lstrcpyW(LPWSTR lpString1, LPCWSTR lpString2);
/* CSTR_LESS_THAN, CSTR_EQUAL or CSTR_GREATER_THAN by code point, after
 * NORM_IGNORECASE (full case folding) and NORM_IGNORENONSPACE; 0 on bad
 * arguments. Negative lengths mean NUL-terminated. */
STDAPI_(int) MNLS_CompareStringW(LCID Locale, DWORD dwCmpFlags, LPCWSTR lpString1,
                                 int cchCount1, LPCWSTR lpString2, int cchCount2);
/* Text in uCodePage to UTF-16: the units written, or needed when
 * cchWideChar is 0; cbMultiByte -1 converts through the NUL (counted). */
STDAPI_(int) MNLS_MultiByteToWideChar(UINT uCodePage, DWORD dwFlags, LPCSTR lpMultiByteStr,
                                      int cbMultiByte, LPWSTR lpWideCharStr, int cchWideChar);
/* UTF-16 to uCodePage, the same way; characters the code page lacks become
 * lpDefaultChar ('?' when NULL) and set *lpfUsedDefaultChar. */
STDAPI_(int) MNLS_WideCharToMultiByte(UINT uCodePage, DWORD dwFlags, LPCWSTR lpWideCharStr,
                                      int cchWideChar, LPSTR lpMultiByteStr, int cbMultiByte,
                                      LPCSTR lpDefaultChar, BOOL *lpfUsedDefaultChar);
/* TRUE for NULL; otherwise FALSE (Linux cannot probe readability safely,
 * so a non-NULL pointer is taken as readable). */
STDAPI_(BOOL) MNLS_IsBadStringPtrW(LPCWSTR lpsz, UINT ucchMax);

#ifndef FREEMAPI_NO_NLS_NAMES
#define lstrlenW MNLS_lstrlenW
#define lstrcmpW MNLS_lstrcmpW
#define lstrcpyW MNLS_lstrcpyW
#define CompareStringW MNLS_CompareStringW
#define MultiByteToWideChar MNLS_MultiByteToWideChar
#define WideCharToMultiByte MNLS_WideCharToMultiByte
#define IsBadStringPtrW MNLS_IsBadStringPtrW
#endif

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPINLS_H */
