/*
 * simple/simple_dialogs.c - the Simple MAPI functions that are dialogs:
 * MAPIAddress (the address book dialog) and MAPIDetails (an entry's
 * details), which freemapi has no user interface for: after checking their
 * arguments as documented they answer MAPI_E_NOT_SUPPORTED ("the underlying
 * messaging system does not support the operation"), with text saying why;
 * and MAPISendDocuments (a compose window with files attached), which the
 * desktop's mail composer shows (simple_composer.c).
 */
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"

#include "core/error.h"
#include "simple/simple.h"

static ULONG no_dialog(LHANDLE lhSession, const char *what)
{
    fm_simple *s = NULL;
    bool temp = false;
    ULONG code = fm_simple_get(lhSession, &s, &temp);
    fm_simple_put(s, temp);
    if (code != SUCCESS_SUCCESS)
        return code;
    fm_error_set(MAPI_E_NO_SUPPORT, "%s: freemapi has no dialogs", what);
    return MAPI_E_NOT_SUPPORTED;
}

FREEMAPI_PUBLIC ULONG MAPIAddress(LHANDLE lhSession, ULONG_PTR ulUIParam, LPSTR lpszCaption,
                                  ULONG nEditFields, LPSTR lpszLabels, ULONG nRecips,
                                  lpMapiRecipDesc lpRecips, FLAGS flFlags, ULONG ulReserved,
                                  LPULONG lpnNewRecips, lpMapiRecipDesc *lppNewRecips)
{
    (void)ulUIParam;
    (void)lpszCaption;
    (void)lpszLabels;
    (void)flFlags;
    (void)ulReserved;
    if (lpnNewRecips == NULL || lppNewRecips == NULL || (nRecips > 0 && lpRecips == NULL)) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIAddress: NULL argument");
        return MAPI_E_FAILURE;
    }
    *lpnNewRecips = 0;
    *lppNewRecips = NULL;
    if (nEditFields > 4) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIAddress: nEditFields %lu is over 4",
                     (unsigned long)nEditFields);
        return MAPI_E_INVALID_EDITFIELDS;
    }
    return no_dialog(lhSession, "MAPIAddress");
}

FREEMAPI_PUBLIC ULONG MAPIDetails(LHANDLE lhSession, ULONG_PTR ulUIParam, lpMapiRecipDesc lpRecip,
                                  FLAGS flFlags, ULONG ulReserved)
{
    (void)ulUIParam;
    (void)flFlags;
    (void)ulReserved;
    if (lpRecip == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIDetails: lpRecip is NULL");
        return MAPI_E_FAILURE;
    }
    if (lpRecip->ulEIDSize == 0) { /* documented: nothing to show details of */
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIDetails: the recipient has no entry ID");
        return MAPI_E_AMBIGUOUS_RECIPIENT;
    }
    if (lpRecip->lpEntryID == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIDetails: ulEIDSize without lpEntryID");
        return MAPI_E_INVALID_RECIPS;
    }
    return no_dialog(lhSession, "MAPIDetails");
}

/* The paths of list (split at delim) as a MapiMessage's files, in one
 * fm_malloc'd block holding the copy of list they point into. */
static ULONG split_paths(const char *list, char delim, MapiFileDesc **out, ULONG *count)
{
    size_t len = strlen(list);
    ULONG n = 1;
    for (const char *p = list; *p; p++)
        n += *p == delim;
    MapiFileDesc *files = fm_calloc(1, n * sizeof *files + len + 1);
    if (files == NULL)
        return MAPI_E_INSUFFICIENT_MEMORY;
    char *copy = (char *)(files + n);
    memcpy(copy, list, len + 1);
    ULONG k = 0;
    for (char *p = copy, *next; p != NULL; p = next) {
        next = strchr(p, delim);
        if (next != NULL)
            *next++ = '\0';
        if (*p == '\0')
            continue;
        files[k].nPosition = (ULONG)-1;
        files[k++].lpszPathName = p;
    }
    *out = files;
    *count = k;
    return SUCCESS_SUCCESS;
}

FREEMAPI_PUBLIC ULONG MAPISendDocuments(ULONG_PTR ulUIParam, LPSTR lpszDelimChar,
                                        LPSTR lpszFilePaths, LPSTR lpszFileNames,
                                        ULONG ulReserved)
{
    (void)ulUIParam;
    (void)lpszFileNames; /* the composer names each file after its path */
    (void)ulReserved;
    if (lpszDelimChar == NULL || lpszDelimChar[0] == '\0' || lpszFilePaths == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISendDocuments: no delimiter or paths");
        return MAPI_E_FAILURE;
    }
    MapiFileDesc *files = NULL;
    ULONG n = 0;
    ULONG code = split_paths(lpszFilePaths, lpszDelimChar[0], &files, &n);
    for (ULONG i = 0; code == SUCCESS_SUCCESS && i < n; i++)
        if (access(files[i].lpszPathName, F_OK) != 0) {
            fm_error_set(MAPI_E_NOT_FOUND, "MAPISendDocuments: %s not found",
                         files[i].lpszPathName);
            code = MAPI_E_ATTACHMENT_NOT_FOUND;
        }
    MapiMessage m = { .nFileCount = n, .lpFiles = files };
    if (code == SUCCESS_SUCCESS)
        code = fm_simple_composer(&m, "MAPISendDocuments");
    fm_free(files);
    return code;
}
