/*
 * mapival.h - MAPI's parameter validation functions.
 *
 * Written from the MAPI reference pages of each function on Microsoft Learn.
 * Every function answers "is this argument bad?": TRUE (nonzero) when it is,
 * FALSE when it is well formed. Some are documented as returning BOOL and
 * some as ULONG; the declarations below keep the documented types.
 *
 * In freemapi a bad argument also leaves one line of text saying what was
 * wrong in the calling thread (fmapi_last_error in freemapi.h). None of
 * these functions allocates memory.
 *
 * FBadRglpszA is the 8-bit counterpart of the documented FBadRglpszW (its
 * strings are UTF-8 in freemapi); FBadRglpsz follows UNICODE as the other
 * generic names do.
 */
#ifndef FREEMAPI_MAPIVAL_H
#define FREEMAPI_MAPIVAL_H

#include "mapidefs.h"
#include "mapiutil.h" /* ScCountProps, as the SDK's mapival.h includes it */

FREEMAPI_BEGIN_DECLS

/* Strings: NULL array with cStrings > 0, NULL strings, invalid encoding. */
STDAPI_(BOOL) FBadRglpszA(LPSTR FAR *lppszA, ULONG cStrings);
STDAPI_(BOOL) FBadRglpszW(LPWSTR FAR *lppszW, ULONG cStrings);
#ifdef UNICODE
#define FBadRglpsz FBadRglpszW
#else
#define FBadRglpsz FBadRglpszA
#endif

/* Rows of a table (SRowSet, SRow) and single property values. */
STDAPI_(BOOL) FBadRowSet(LPSRowSet lpRowSet);
STDAPI_(ULONG) FBadRow(LPSRow lprow);
STDAPI_(ULONG) FBadProp(LPSPropValue lpprop);
STDAPI_(ULONG) FBadPropTag(ULONG ulPropTag);

/* Arguments of IMAPITable: column sets, restrictions, sort orders. */
STDAPI_(ULONG) FBadColumnSet(LPSPropTagArray lpptaCols);
STDAPI_(ULONG) FBadRestriction(LPSRestriction lpres);
STDAPI_(ULONG) FBadSortOrderSet(LPSSortOrderSet lpsos);

/* Lists of entry identifiers and arrays of property names. */
STDAPI_(BOOL) FBadEntryList(LPENTRYLIST lpEntryList);
STDAPI_(BOOL) FBadRglpNameID(LPMAPINAMEID FAR *lppNameId, ULONG cNames);

/* ---- parameter validation of provider methods (ValidateParms) ---------- */
/* The methods ValidateParms, UlValidateParms and CheckParms name, as
 * Interface_Method (the C call macros of the same names take arguments, so
 * the two never meet). */
typedef enum _tagMethods {
    /* IUnknown */
    IUnknown_QueryInterface = 0,
    IUnknown_AddRef,
    IUnknown_Release,
    /* IMAPIProp */
    IMAPIProp_GetLastError,
    IMAPIProp_SaveChanges,
    IMAPIProp_GetProps,
    IMAPIProp_GetPropList,
    IMAPIProp_OpenProperty,
    IMAPIProp_SetProps,
    IMAPIProp_DeleteProps,
    IMAPIProp_CopyTo,
    IMAPIProp_CopyProps,
    IMAPIProp_GetNamesFromIDs,
    IMAPIProp_GetIDsFromNames,
    /* IMAPITable */
    IMAPITable_GetLastError,
    IMAPITable_Advise,
    IMAPITable_Unadvise,
    IMAPITable_GetStatus,
    IMAPITable_SetColumns,
    IMAPITable_QueryColumns,
    IMAPITable_GetRowCount,
    IMAPITable_SeekRow,
    IMAPITable_SeekRowApprox,
    IMAPITable_QueryPosition,
    IMAPITable_FindRow,
    IMAPITable_Restrict,
    IMAPITable_CreateBookmark,
    IMAPITable_FreeBookmark,
    IMAPITable_SortTable,
    IMAPITable_QuerySortOrder,
    IMAPITable_QueryRows,
    IMAPITable_Abort,
    IMAPITable_ExpandRow,
    IMAPITable_CollapseRow,
    IMAPITable_WaitForCompletion,
    IMAPITable_GetCollapseState,
    IMAPITable_SetCollapseState,
    /* IMAPIContainer */
    IMAPIContainer_GetContentsTable,
    IMAPIContainer_GetHierarchyTable,
    IMAPIContainer_OpenEntry,
    IMAPIContainer_SetSearchCriteria,
    IMAPIContainer_GetSearchCriteria,
    /* IABContainer */
    IABContainer_CreateEntry,
    IABContainer_CopyEntries,
    IABContainer_DeleteEntries,
    IABContainer_ResolveNames,
    /* IDistList */
    IDistList_CreateEntry,
    IDistList_CopyEntries,
    IDistList_DeleteEntries,
    IDistList_ResolveNames,
    /* IMAPIFolder */
    IMAPIFolder_CreateMessage,
    IMAPIFolder_CopyMessages,
    IMAPIFolder_DeleteMessages,
    IMAPIFolder_CreateFolder,
    IMAPIFolder_CopyFolder,
    IMAPIFolder_DeleteFolder,
    IMAPIFolder_SetReadFlags,
    IMAPIFolder_GetMessageStatus,
    IMAPIFolder_SetMessageStatus,
    IMAPIFolder_SaveContentsSort,
    IMAPIFolder_EmptyFolder,
    /* IMsgStore */
    IMsgStore_Advise,
    IMsgStore_Unadvise,
    IMsgStore_CompareEntryIDs,
    IMsgStore_OpenEntry,
    IMsgStore_SetReceiveFolder,
    IMsgStore_GetReceiveFolder,
    IMsgStore_GetReceiveFolderTable,
    IMsgStore_StoreLogoff,
    IMsgStore_AbortSubmit,
    IMsgStore_GetOutgoingQueue,
    IMsgStore_SetLockState,
    IMsgStore_FinishedMsg,
    IMsgStore_NotifyNewMail,
    /* IMessage */
    IMessage_GetAttachmentTable,
    IMessage_OpenAttach,
    IMessage_CreateAttach,
    IMessage_DeleteAttach,
    IMessage_GetRecipientTable,
    IMessage_ModifyRecipients,
    IMessage_SubmitMessage,
    IMessage_SetReadFlag,
    /* IABProvider */
    IABProvider_Shutdown,
    IABProvider_Logon,
    /* IABLogon */
    IABLogon_GetLastError,
    IABLogon_Logoff,
    IABLogon_OpenEntry,
    IABLogon_CompareEntryIDs,
    IABLogon_Advise,
    IABLogon_Unadvise,
    IABLogon_OpenStatusEntry,
    IABLogon_OpenTemplateID,
    IABLogon_GetOneOffTable,
    IABLogon_PrepareRecips,
    /* IXPProvider */
    IXPProvider_Shutdown,
    IXPProvider_TransportLogon,
    /* IXPLogon */
    IXPLogon_AddressTypes,
    IXPLogon_RegisterOptions,
    IXPLogon_TransportNotify,
    IXPLogon_Idle,
    IXPLogon_TransportLogoff,
    IXPLogon_SubmitMessage,
    IXPLogon_EndMessage,
    IXPLogon_Poll,
    IXPLogon_StartMessage,
    IXPLogon_OpenStatusEntry,
    IXPLogon_ValidateState,
    IXPLogon_FlushQueues,
    /* IMSProvider */
    IMSProvider_Shutdown,
    IMSProvider_Logon,
    IMSProvider_SpoolerLogon,
    IMSProvider_CompareStoreIDs,
    /* IMSLogon */
    IMSLogon_GetLastError,
    IMSLogon_Logoff,
    IMSLogon_OpenEntry,
    IMSLogon_CompareEntryIDs,
    IMSLogon_Advise,
    IMSLogon_Unadvise,
    IMSLogon_OpenStatusEntry,
    /* IMAPIControl */
    IMAPIControl_GetLastError,
    IMAPIControl_Activate,
    IMAPIControl_GetState,
    /* IMAPIStatus */
    IMAPIStatus_ValidateState,
    IMAPIStatus_SettingsDialog,
    IMAPIStatus_ChangePassword,
    IMAPIStatus_FlushQueues,
    /* IStream */
    IStream_Read,
    IStream_Write,
    IStream_Seek,
    IStream_SetSize,
    IStream_CopyTo,
    IStream_Commit,
    IStream_Revert,
    IStream_LockRegion,
    IStream_UnlockRegion,
    IStream_Stat,
    IStream_Clone,
    /* IMAPIAdviseSink */
    IMAPIAdviseSink_OnNotify,
    FREEMAPI_METHODS_END
} METHODS;

/*
 * ValidateParms(eMethod, First) checks a method's arguments and returns
 * from the method with the error when they are bad; UlValidateParms does
 * the same in a method returning ULONG. In C, First is the address of the
 * object pointer (&This); in C++ it is the method's first argument.
 *
 * Windows finds the other arguments by walking the stack from that
 * address, which the x86-64 calling conventions (arguments in registers)
 * do not allow, so freemapi checks what it can reach: in C, that the
 * object pointer and its vtable are not NULL; in C++ (where this cannot be
 * reached) only the method number. Programs check the complex arguments
 * with the FBad* functions above, as the reference advises; freemapi's own
 * objects validate every argument themselves. A failure is
 * MAPI_E_CALL_FAILED, as documented.
 *
 * CheckParms (and CheckParameters) is a debug check of arguments that MAPI
 * passed, which MAPI's are assumed to be: it does nothing.
 * ValidateParameters and UlValidateParameters are the older names.
 */
STDAPI HrValidateParameters(METHODS eMethod, LPVOID *ppFirstArg);
STDAPI HrValidateParametersCPP(METHODS eMethod, LPVOID pFirstArg);

#ifdef __cplusplus
#define FREEMAPI_VALIDATE_(eMethod, First) HrValidateParametersCPP((eMethod), (LPVOID) & (First))
#else
#define FREEMAPI_VALIDATE_(eMethod, ppThis) HrValidateParameters((eMethod), (LPVOID *)(ppThis))
#endif
#define ValidateParms(eMethod, First)                                   \
    do {                                                                \
        HRESULT fm_validate_hr_ = FREEMAPI_VALIDATE_(eMethod, First);    \
        if (HR_FAILED(fm_validate_hr_))                                 \
            return fm_validate_hr_;                                     \
    } while (0)
#define UlValidateParms(eMethod, First)                                 \
    do {                                                                \
        HRESULT fm_validate_hr_ = FREEMAPI_VALIDATE_(eMethod, First);    \
        if (HR_FAILED(fm_validate_hr_))                                 \
            return (ULONG)fm_validate_hr_;                              \
    } while (0)
#define CheckParms(eMethod, First) ((void)0)
#define ValidateParameters(eMethod, First) ValidateParms(eMethod, First)
#define UlValidateParameters(eMethod, First) UlValidateParms(eMethod, First)
#define CheckParameters(eMethod, First) CheckParms(eMethod, First)

/* The SDK's shorthands over ScCountProps and FBadRowSet. */
#define FBadPropVal(lpPropVal) (FAILED(ScCountProps(1, (lpPropVal), NULL)))
#define FBadRgPropVal(lpPropVal, cValues) (FAILED(ScCountProps((int)(cValues), (lpPropVal), NULL)))
#define FBadAdrList(lpAdrList) (FBadRowSet((LPSRowSet)(lpAdrList)))

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPIVAL_H */
