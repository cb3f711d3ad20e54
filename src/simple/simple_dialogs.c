/*
 * simple/simple_dialogs.c - the Simple MAPI functions that are dialogs:
 * MAPIAddress (the address book dialog), MAPIDetails (an entry's details)
 * and MAPISendDocuments (a compose window with files attached). freemapi
 * has no user interface, so after checking their arguments as documented
 * they answer MAPI_E_NOT_SUPPORTED ("the underlying messaging system does
 * not support the operation"), with text saying why.
 */
#include <string.h>

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

FREEMAPI_PUBLIC ULONG MAPISendDocuments(ULONG_PTR ulUIParam, LPSTR lpszDelimChar,
                                        LPSTR lpszFilePaths, LPSTR lpszFileNames,
                                        ULONG ulReserved)
{
    (void)ulUIParam;
    (void)lpszFileNames;
    (void)ulReserved;
    if (lpszDelimChar == NULL || lpszDelimChar[0] == '\0' || lpszFilePaths == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPISendDocuments: no delimiter or paths");
        return MAPI_E_FAILURE;
    }
    fm_error_set(MAPI_E_NO_SUPPORT, "MAPISendDocuments: it always shows a compose dialog, and "
                                    "freemapi has none");
    return MAPI_E_NOT_SUPPORTED;
}
