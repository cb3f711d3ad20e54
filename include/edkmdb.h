/*
 * edkmdb.h - Exchange extensions to the message store: IExchangeManageStore.
 *
 * IExchangeManageStore is what an administrative or service-account client
 * gets from a store by QueryInterface: it builds entry IDs of other users'
 * mailboxes (CreateStoreEntryID, with the OPENSTORE_* flags), turns source
 * keys into entry IDs, reads folder rights, and lists a server's mailboxes
 * and public folders. Written from the Exchange Server SDK reference of the
 * interface and [MS-OXCPERM] for the rights bits.
 */
#ifndef FREEMAPI_EDKMDB_H
#define FREEMAPI_EDKMDB_H

#include "mapidefs.h"
#include "mapiguid.h"

FREEMAPI_BEGIN_DECLS

/* CreateStoreEntryID ulFlags. */
#define OPENSTORE_USE_ADMIN_PRIVILEGE ((ULONG)0x00000001)
#define OPENSTORE_PUBLIC ((ULONG)0x00000002)
#define OPENSTORE_HOME_LOGON ((ULONG)0x00000004)
#define OPENSTORE_TAKE_OWNERSHIP ((ULONG)0x00000008)
#define OPENSTORE_OVERRIDE_HOME_MDB ((ULONG)0x00000010)
#define OPENSTORE_TRANSPORT ((ULONG)0x00000020)
#define OPENSTORE_REMOTE_TRANSPORT ((ULONG)0x00000040)
#define OPENSTORE_INTERNET_ANONYMOUS ((ULONG)0x00000080)
#define OPENSTORE_ALTERNATE_SERVER ((ULONG)0x00000100)
#define OPENSTORE_IGNORE_HOME_MDB ((ULONG)0x00000200)
#define OPENSTORE_NO_MAIL ((ULONG)0x00000400)
#define OPENSTORE_OVERRIDE_LAST_MODIFIER ((ULONG)0x00000800)
#define OPENSTORE_CALLBACK_LOGON ((ULONG)0x00001000)
#define OPENSTORE_LOCAL ((ULONG)0x00002000)
#define OPENSTORE_FAIL_IF_NO_MAILBOX ((ULONG)0x00004000)
#define OPENSTORE_CACHE_EXCHANGE ((ULONG)0x00008000)
#define OPENSTORE_CLI_WITH_NAMEDPROP_FIX ((ULONG)0x00010000)
#define OPENSTORE_ENABLE_LAZY_LOGGING ((ULONG)0x00020000)
#define OPENSTORE_CLI_WITH_REPLID_GUID_MAPPING_FIX ((ULONG)0x00040000)
#define OPENSTORE_NO_LOCALIZATION ((ULONG)0x00080000)
#define OPENSTORE_RESTORE_DATABASE ((ULONG)0x00100000)
#define OPENSTORE_XFOREST_MOVE ((ULONG)0x00200000)

/* Configuration properties of the Exchange message service's profile
 * section (freemapi's site mailbox service takes the same two). */
#define PR_PROFILE_HOME_SERVER PROP_TAG(PT_STRING8, 0x6602)
#define PR_PROFILE_USER PROP_TAG(PT_STRING8, 0x6603)
/* A mailbox's warning quota in KB (freemapi_store.h fmapi_store_set_quota). */
#ifndef PR_STORAGE_QUOTA_LIMIT
#define PR_STORAGE_QUOTA_LIMIT PROP_TAG(PT_LONG, 0x3FF5)
#endif

/* GetRights *lpulRights: folder permission bits (PR_MEMBER_RIGHTS). */
#define frightsReadAny ((ULONG)0x00000001)
#define frightsCreate ((ULONG)0x00000002)
#define frightsEditOwned ((ULONG)0x00000008)
#define frightsDeleteOwned ((ULONG)0x00000010)
#define frightsEditAny ((ULONG)0x00000020)
#define frightsDeleteAny ((ULONG)0x00000040)
#define frightsCreateSubfolder ((ULONG)0x00000080)
#define frightsOwner ((ULONG)0x00000100)
#define frightsContact ((ULONG)0x00000200)
#define frightsVisible ((ULONG)0x00000400)
/* Free/busy rights of a Calendar folder ([MS-OXCPERM] 2.2.7), seen and set
 * through the ACL table only with ACLTABLE_FREEBUSY. */
#define frightsFreeBusySimple ((ULONG)0x00000800)
#define frightsFreeBusyDetailed ((ULONG)0x00001000)
/* Combinations of the bits (PR_MEMBER_RIGHTS). */
#define rightsNone ((ULONG)0x00000000)
#define rightsReadOnly frightsReadAny
#define rightsReadWrite (frightsReadAny | frightsEditAny)
#define rightsAll                                                                           \
    (frightsReadAny | frightsCreate | frightsEditOwned | frightsDeleteOwned | frightsEditAny | \
     frightsDeleteAny | frightsCreateSubfolder | frightsOwner | frightsVisible)

/* IID_IExchangeManageStore {559D10B0-A772-11CD-9BC8-00AA002FC45A} is declared,
 * once, in mapiguid.h: a second DEFINE_GUID here would be a redefinition in
 * any program that includes both headers under INITGUID. */

DECLARE_MAPI_INTERFACE_PTR(IExchangeManageStore, LPEXCHANGEMANAGESTORE);

#define MAPI_IEXCHANGEMANAGESTORE_METHODS(IPURE)                                          \
    MAPIMETHOD(CreateStoreEntryID)(THIS_ LPSTR lpszMsgStoreDN, LPSTR lpszMailboxDN,       \
                                   ULONG ulFlags, ULONG * lpcbEntryID,                    \
                                   LPENTRYID * lppEntryID) IPURE;                         \
    MAPIMETHOD(EntryIDFromSourceKey)(THIS_ ULONG cFolderKeySize, BYTE * lpFolderSourceKey, \
                                     ULONG cMessageKeySize, BYTE * lpMessageSourceKey,    \
                                     ULONG * lpcbEntryID, LPENTRYID * lppEntryID) IPURE;  \
    MAPIMETHOD(GetRights)(THIS_ ULONG cbUserEntryID, LPENTRYID lpUserEntryID,             \
                          ULONG cbEntryID, LPENTRYID lpEntryID, ULONG * lpulRights) IPURE; \
    MAPIMETHOD(GetMailboxTable)(THIS_ LPSTR lpszServerName, LPMAPITABLE * lppTable,       \
                                ULONG ulFlags) IPURE;                                     \
    MAPIMETHOD(GetPublicFolderTable)(THIS_ LPSTR lpszServerName, LPMAPITABLE * lppTable,  \
                                     ULONG ulFlags) IPURE;

#undef INTERFACE
#define INTERFACE IExchangeManageStore
DECLARE_MAPI_INTERFACE_(IExchangeManageStore, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IEXCHANGEMANAGESTORE_METHODS(IPURE)
};
#define IExchangeManageStore_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IExchangeManageStore_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IExchangeManageStore_Release(p) (p)->lpVtbl->Release(p)
#define IExchangeManageStore_CreateStoreEntryID(p, a, b, c, d, e) \
    (p)->lpVtbl->CreateStoreEntryID(p, a, b, c, d, e)
#define IExchangeManageStore_EntryIDFromSourceKey(p, a, b, c, d, e, f) \
    (p)->lpVtbl->EntryIDFromSourceKey(p, a, b, c, d, e, f)
#define IExchangeManageStore_GetRights(p, a, b, c, d, e) (p)->lpVtbl->GetRights(p, a, b, c, d, e)
#define IExchangeManageStore_GetMailboxTable(p, a, b, c) (p)->lpVtbl->GetMailboxTable(p, a, b, c)
#define IExchangeManageStore_GetPublicFolderTable(p, a, b, c) \
    (p)->lpVtbl->GetPublicFolderTable(p, a, b, c)

/* IExchangeModifyTable: the ACL table (PR_ACL_TABLE) and the rules table
 * (PR_RULES_TABLE) of a folder, opened with IMAPIProp::OpenProperty.
 * GetTable gives the rows as an IMAPITable; ModifyTable applies a ROWLIST.
 * The row flags have the values of the PermissionDataFlags and
 * RuleDataFlags of RopModifyPermissions and RopModifyRules ([MS-OXCROPS]
 * 2.2.10.2, 2.2.11.2), which carry the same operations over the wire. */
#define ROW_ADD ((ULONG)0x00000001)
#define ROW_MODIFY ((ULONG)0x00000002)
#define ROW_REMOVE ((ULONG)0x00000004)
#define ROW_EMPTY (ROW_ADD | ROW_REMOVE)

/* ModifyTable ulFlags: the ROWLIST replaces every row (RopModifyPermissions'
 * ReplaceRows); GetTable/ModifyTable ulFlags: include the free/busy rights
 * bits (IncludeFreeBusy). */
#define ROWLIST_REPLACE ((ULONG)0x00000001)
#define ACLTABLE_FREEBUSY ((ULONG)0x00000002)

typedef struct _rowentry {
    ULONG ulRowFlags;
    ULONG cValues;
    LPSPropValue rgPropVals;
} ROWENTRY, FAR *LPROWENTRY;

typedef struct _rowlist {
    ULONG cEntries;
    ROWENTRY aEntries[MAPI_DIM];
} ROWLIST, FAR *LPROWLIST;

#define CbNewROWLIST(_centries) (offsetof(ROWLIST, aEntries) + (_centries) * sizeof(ROWENTRY))

DECLARE_MAPI_INTERFACE_PTR(IExchangeModifyTable, LPEXCHANGEMODIFYTABLE);

#define MAPI_IEXCHANGEMODIFYTABLE_METHODS(IPURE)                                           \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                         \
                             LPMAPIERROR * lppMAPIError) IPURE;                            \
    MAPIMETHOD(GetTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;               \
    MAPIMETHOD(ModifyTable)(THIS_ ULONG ulFlags, LPROWLIST lpMods) IPURE;

#undef INTERFACE
#define INTERFACE IExchangeModifyTable
DECLARE_MAPI_INTERFACE_(IExchangeModifyTable, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IEXCHANGEMODIFYTABLE_METHODS(IPURE)
};
#define IExchangeModifyTable_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IExchangeModifyTable_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IExchangeModifyTable_Release(p) (p)->lpVtbl->Release(p)
#define IExchangeModifyTable_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IExchangeModifyTable_GetTable(p, a, b) (p)->lpVtbl->GetTable(p, a, b)
#define IExchangeModifyTable_ModifyTable(p, a, b) (p)->lpVtbl->ModifyTable(p, a, b)

FREEMAPI_END_DECLS

#endif /* FREEMAPI_EDKMDB_H */
