/*
 * props/eid_string.c - HrSzFromEntryID, HrEntryIDFromSz and CbOfEncoded:
 * entry identifiers as printable ASCII and back.
 *
 * The MAPI reference says only that the string is ASCII and that the two
 * functions invert each other; the encoding is freemapi's: every three
 * bytes become four characters of the alphabet below (6 bits each, most
 * significant first), a final one or two bytes become two or three
 * characters. The alphabet avoids characters that need quoting in file
 * names, URLs or profile values.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapiutil.h"

static const char alphabet[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+-";

static int value_of(char c)
{
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

static size_t encoded_len(size_t cb)
{
    return cb / 3 * 4 + (cb % 3 ? cb % 3 + 1 : 0);
}

STDAPI HrSzFromEntryID(ULONG cb, LPENTRYID pentry, LPSTR *psz)
{
    if (psz == NULL || (pentry == NULL && cb != 0))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "HrSzFromEntryID: NULL argument");
    *psz = NULL;
    const BYTE *b = (const BYTE *)pentry;
    char *out = NULL;
    SCODE sc = MAPIAllocateBuffer((ULONG)encoded_len(cb) + 1, (void **)&out);
    if (sc != S_OK)
        return fm_error_set(sc, "HrSzFromEntryID: out of memory");
    size_t o = 0;
    for (size_t i = 0; i < cb; i += 3) {
        size_t left = cb - i;
        uint32_t v = (uint32_t)b[i] << 16 | (left > 1 ? (uint32_t)b[i + 1] << 8 : 0) |
                     (left > 2 ? b[i + 2] : 0);
        size_t chars = left >= 3 ? 4 : left + 1;
        for (size_t k = 0; k < chars; k++)
            out[o++] = alphabet[(v >> (18 - 6 * k)) & 63];
    }
    out[o] = '\0';
    *psz = out;
    return S_OK;
}

STDAPI_(ULONG) CbOfEncoded(LPCSTR lpszEnc)
{
    if (lpszEnc == NULL)
        return 0;
    size_t n = strlen(lpszEnc);
    return (ULONG)(n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0));
}

STDAPI HrEntryIDFromSz(LPSTR sz, ULONG *pcb, LPENTRYID *ppentry)
{
    if (sz == NULL || pcb == NULL || ppentry == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "HrEntryIDFromSz: NULL argument");
    *pcb = 0;
    *ppentry = NULL;
    size_t n = strlen(sz);
    if (n % 4 == 1)
        return fm_error_set(MAPI_E_INVALID_ENTRYID, "HrEntryIDFromSz: %zu characters cannot "
                                                    "encode whole bytes", n);
    ULONG cb = CbOfEncoded(sz);
    BYTE *out = NULL;
    SCODE sc = MAPIAllocateBuffer(cb ? cb : 1, (void **)&out);
    if (sc != S_OK)
        return fm_error_set(sc, "HrEntryIDFromSz: out of memory");
    size_t o = 0;
    for (size_t i = 0; i < n; i += 4) {
        size_t chars = n - i >= 4 ? 4 : n - i;
        uint32_t v = 0;
        for (size_t k = 0; k < 4; k++) {
            int d = k < chars ? value_of(sz[i + k]) : 0;
            if (d < 0) {
                MAPIFreeBuffer(out);
                return fm_error_set(MAPI_E_INVALID_ENTRYID,
                                    "HrEntryIDFromSz: '%c' at %zu is not of the encoding",
                                    sz[i + k], i + k);
            }
            v = v << 6 | (uint32_t)d;
        }
        for (size_t k = 0; k + 1 < chars; k++)
            out[o++] = (BYTE)(v >> (16 - 8 * k));
    }
    *pcb = cb;
    *ppentry = (LPENTRYID)out;
    return S_OK;
}
