/*
 * props/unc.c - ScUNCFromLocalPath and ScLocalPathFromUNC. Windows maps
 * drive letters of shared drives to \\server\share paths; a Linux path has
 * no such counterpart, so each path stands for itself: a local path comes
 * back unchanged (S_OK), and a path already in UNC form gives S_FALSE, as
 * the documentation says of a UNC input to ScUNCFromLocalPath.
 */
#include <string.h>

#include "core/error.h"
#include "mapiutil.h"

static int is_unc(const char *p)
{
    return (p[0] == '\\' && p[1] == '\\') || (p[0] == '/' && p[1] == '/');
}

static SCODE copy_path(const char *fn, const char *in, char *out, UINT cch)
{
    if (in == NULL || out == NULL || cch == 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: NULL path or empty buffer", fn);
    size_t n = strlen(in);
    if (n >= cch)
        return fm_error_set(MAPI_E_TOO_BIG, "%s: %zu characters do not fit in %u", fn, n,
                            (unsigned)cch);
    memcpy(out, in, n + 1);
    return S_OK;
}

STDAPI_(SCODE) ScUNCFromLocalPath(LPSTR lpszLocal, LPSTR lpszUNC, UINT cchUNC)
{
    SCODE sc = copy_path("ScUNCFromLocalPath", lpszLocal, lpszUNC, cchUNC);
    if (sc == S_OK && is_unc(lpszLocal))
        return S_FALSE;
    return sc;
}

STDAPI_(SCODE) ScLocalPathFromUNC(LPSTR lpszUNC, LPSTR lpszLocal, UINT cchLocal)
{
    SCODE sc = copy_path("ScLocalPathFromUNC", lpszUNC, lpszLocal, cchLocal);
    if (sc == S_OK && !is_unc(lpszUNC))
        return S_FALSE;
    return sc;
}
