/*
 * mapix.h - Extended MAPI: initialization, memory, sessions and profiles.
 *
 * Written from Microsoft's MAPI reference. The memory functions follow MAPI's
 * documented model: MAPIAllocateBuffer makes a root buffer, MAPIAllocateMore
 * links a buffer to a root, MAPIFreeBuffer on the root frees the root and
 * everything linked to it, and MAPIFreeBuffer(NULL) does nothing. Buffers
 * are 16-byte aligned and may be used from any thread.
 */
#ifndef FREEMAPI_MAPIX_H
#define FREEMAPI_MAPIX_H

#include "mapidefs.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapitags.h"

FREEMAPI_BEGIN_DECLS

/* ---- memory ---------------------------------------------------------------
 * MAPIAllocateBuffer: S_OK, MAPI_E_INVALID_PARAMETER (lppBuffer NULL) or
 * MAPI_E_NOT_ENOUGH_MEMORY. MAPIAllocateMore: lpObject must be a buffer from
 * MAPIAllocateBuffer (or one linked to it, which links to the same root);
 * otherwise MAPI_E_INVALID_PARAMETER. MAPIFreeBuffer returns S_OK, or
 * MAPI_E_INVALID_PARAMETER for a pointer that is not a root buffer.
 */
STDAPI_(SCODE) MAPIAllocateBuffer(ULONG cbSize, LPVOID *lppBuffer);
STDAPI_(SCODE) MAPIAllocateMore(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer);
STDAPI_(ULONG) MAPIFreeBuffer(LPVOID lpBuffer);

/* ---- initialization ----------------------------------------------------------
 * MAPIInitialize takes NULL or a MAPIINIT_0. MAPI_NT_SERVICE has the same
 * value here as among the MAPILogonEx flags and is defined once, below.
 */
typedef struct {
    ULONG ulVersion;
    ULONG ulFlags;
} MAPIINIT_0, *LPMAPIINIT_0;
typedef MAPIINIT_0 MAPIINIT, *LPMAPIINIT;

#define MAPI_INIT_VERSION 0
#define MAPI_MULTITHREAD_NOTIFICATIONS ((ULONG)0x00000001)
#define MAPI_NO_COINIT ((ULONG)0x00000008)

/* ---- MAPILogonEx flags (MAPI_UNICODE, MAPI_USE_DEFAULT: mapidefs.h) --------- */
#define MAPI_LOGON_UI ((ULONG)0x00000001)
#define MAPI_NEW_SESSION ((ULONG)0x00000002)
#define MAPI_ALLOW_OTHERS ((ULONG)0x00000008)
#define MAPI_EXPLICIT_PROFILE ((ULONG)0x00000010)
#define MAPI_EXTENDED ((ULONG)0x00000020)
#define MAPI_FORCE_DOWNLOAD ((ULONG)0x00001000)
#define MAPI_SERVICE_UI_ALWAYS ((ULONG)0x00002000)
#define MAPI_NO_MAIL ((ULONG)0x00008000)
#define MAPI_NT_SERVICE ((ULONG)0x00010000)
#define MAPI_PASSWORD_UI ((ULONG)0x00020000)
#define MAPI_TIMEOUT_SHORT ((ULONG)0x00100000)
#define MAPI_BG_SESSION ((ULONG)0x00200000)

/* Longest profile name and password, in characters (terminator excluded). */
#define cchProfileNameMax 64
#define cchProfilePassMax 64

/* IMAPISession::Logoff ulFlags. */
#define MAPI_LOGOFF_SHARED ((ULONG)0x00000001)
#define MAPI_LOGOFF_UI ((ULONG)0x00000002)

/* IMAPISession::SetDefaultStore ulFlags. */
#define MAPI_DEFAULT_STORE ((ULONG)0x00000001)
#define MAPI_SIMPLE_DEFAULT ((ULONG)0x00000002)
#define MAPI_SIMPLE_STORE_TEMPORARY ((ULONG)0x00000003)
#define MAPI_SIMPLE_STORE_PERMANENT ((ULONG)0x00000004)
#define MAPI_PRIMARY_STORE ((ULONG)0x00000005)
#define MAPI_SECONDARY_STORE ((ULONG)0x00000006)

/* IMAPISession::ShowForm ulFlags. */
#define MAPI_POST_MESSAGE ((ULONG)0x00000001)
#define MAPI_NEW_MESSAGE ((ULONG)0x00000002)

/* IProfAdmin::CreateProfile ulFlags (with MAPI_DIALOG). */
#define MAPI_DEFAULT_SERVICES ((ULONG)0x00000001)

/* IMsgServiceAdmin::ConfigureMsgService ulFlags (with MAPI_UNICODE). */
#define SERVICE_UI_ALWAYS ((ULONG)0x00000002)
#define SERVICE_UI_ALLOWED ((ULONG)0x00000010)
#define MSG_SERVICE_UI_READ_ONLY ((ULONG)0x00000008)

/* PR_SERVICE_SUPPORT_FILES-adjacent PR_RESOURCE_FLAGS bits of a service. */
#define SERVICE_DEFAULT_STORE ((ULONG)0x00000001)
#define SERVICE_SINGLE_COPY ((ULONG)0x00000002)
#define SERVICE_CREATE_WITH_STORE ((ULONG)0x00000004)
#define SERVICE_PRIMARY_IDENTITY ((ULONG)0x00000008)
#define SERVICE_NO_PRIMARY_IDENTITY ((ULONG)0x00000020)

/* ulContext of a message service's entry point (MSGSERVICEENTRY). */
#define MSG_SERVICE_INSTALL ((ULONG)0x00000001)
#define MSG_SERVICE_CREATE ((ULONG)0x00000002)
#define MSG_SERVICE_CONFIGURE ((ULONG)0x00000003)
#define MSG_SERVICE_DELETE ((ULONG)0x00000004)
#define MSG_SERVICE_UNINSTALL ((ULONG)0x00000005)
#define MSG_SERVICE_PROVIDER_CREATE ((ULONG)0x00000006)
#define MSG_SERVICE_PROVIDER_DELETE ((ULONG)0x00000007)

/* PR_RESOURCE_TYPE of status and provider table rows. */
#ifndef MAPI_STORE_PROVIDER
#define MAPI_STORE_PROVIDER ((ULONG)33)
#define MAPI_AB ((ULONG)34)
#define MAPI_AB_PROVIDER ((ULONG)35)
#define MAPI_TRANSPORT_PROVIDER ((ULONG)36)
#define MAPI_SPOOLER ((ULONG)37)
#define MAPI_PROFILE_PROVIDER ((ULONG)38)
#define MAPI_SUBSYSTEM ((ULONG)39)
#define MAPI_HOOK_PROVIDER ((ULONG)40)
#endif

/* ---- interfaces ------------------------------------------------------------- */
DECLARE_MAPI_INTERFACE_PTR(IMAPISession, LPMAPISESSION);
DECLARE_MAPI_INTERFACE_PTR(IAddrBook, LPADRBOOK);
DECLARE_MAPI_INTERFACE_PTR(IProfAdmin, LPPROFADMIN);
DECLARE_MAPI_INTERFACE_PTR(IMsgServiceAdmin, LPSERVICEADMIN);
DECLARE_MAPI_INTERFACE_PTR(IProviderAdmin, LPPROVIDERADMIN);

/* IAddrBook: MAPI's integrated address book. CreateOneOff ulFlags bit: */
#define MAPI_SEND_NO_RICH_INFO ((ULONG)0x00010000)

#define MAPI_IADDRBOOK_METHODS(IPURE)                                                    \
    MAPIMETHOD(OpenEntry)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, \
                          ULONG ulFlags, ULONG * lpulObjType, LPUNKNOWN * lppUnk) IPURE; \
    MAPIMETHOD(CompareEntryIDs)(THIS_ ULONG cbEntryID1, LPENTRYID lpEntryID1,            \
                                ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags,   \
                                ULONG * lpulResult) IPURE;                               \
    MAPIMETHOD(Advise)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulEventMask,    \
                       LPMAPIADVISESINK lpAdviseSink, ULONG_PTR * lpulConnection) IPURE; \
    MAPIMETHOD(Unadvise)(THIS_ ULONG_PTR ulConnection) IPURE;                            \
    MAPIMETHOD(CreateOneOff)(THIS_ LPTSTR lpszName, LPTSTR lpszAdrType,                  \
                             LPTSTR lpszAddress, ULONG ulFlags, ULONG * lpcbEntryID,     \
                             LPENTRYID * lppEntryID) IPURE;                              \
    MAPIMETHOD(NewEntry)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags, ULONG cbEIDContainer, \
                         LPENTRYID lpEIDContainer, ULONG cbEIDNewEntryTpl,               \
                         LPENTRYID lpEIDNewEntryTpl, ULONG * lpcbEIDNewEntry,            \
                         LPENTRYID * lppEIDNewEntry) IPURE;                              \
    MAPIMETHOD(ResolveName)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags,                    \
                            LPTSTR lpszNewEntryTitle, LPADRLIST lpAdrList) IPURE;        \
    MAPIMETHOD(Address)(THIS_ ULONG_PTR * lpulUIParam, LPADRPARM lpAdrParms,             \
                        LPADRLIST * lppAdrList) IPURE;                                   \
    MAPIMETHOD(Details)(THIS_ ULONG_PTR * lpulUIParam, LPFNDISMISS lpfnDismiss,          \
                        LPVOID lpvDismissContext, ULONG cbEntryID, LPENTRYID lpEntryID,  \
                        LPFNBUTTON lpfButtonCallback, LPVOID lpvButtonContext,           \
                        LPTSTR lpszButtonText, ULONG ulFlags) IPURE;                     \
    MAPIMETHOD(RecipOptions)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags,                   \
                             LPADRENTRY lpRecip) IPURE;                                  \
    MAPIMETHOD(QueryDefaultRecipOpt)(THIS_ LPTSTR lpszAdrType, ULONG ulFlags,            \
                                     ULONG * lpcValues, LPSPropValue * lppOptions) IPURE; \
    MAPIMETHOD(GetPAB)(THIS_ ULONG * lpcbEntryID, LPENTRYID * lppEntryID) IPURE;         \
    MAPIMETHOD(SetPAB)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID) IPURE;                \
    MAPIMETHOD(GetDefaultDir)(THIS_ ULONG * lpcbEntryID, LPENTRYID * lppEntryID) IPURE;  \
    MAPIMETHOD(SetDefaultDir)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID) IPURE;         \
    MAPIMETHOD(GetSearchPath)(THIS_ ULONG ulFlags, LPSRowSet * lppSearchPath) IPURE;     \
    MAPIMETHOD(SetSearchPath)(THIS_ ULONG ulFlags, LPSRowSet lpSearchPath) IPURE;        \
    MAPIMETHOD(PrepareRecips)(THIS_ ULONG ulFlags, LPSPropTagArray lpPropTagArray,       \
                              LPADRLIST lpRecipList) IPURE;

#undef INTERFACE
#define INTERFACE IAddrBook
DECLARE_MAPI_INTERFACE_(IAddrBook, IMAPIProp)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
    MAPI_IADDRBOOK_METHODS(IPURE)
};
#define IAddrBook_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IAddrBook_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IAddrBook_Release(p) (p)->lpVtbl->Release(p)
#define IAddrBook_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IAddrBook_SaveChanges(p, a) (p)->lpVtbl->SaveChanges(p, a)
#define IAddrBook_GetProps(p, a, b, c, d) (p)->lpVtbl->GetProps(p, a, b, c, d)
#define IAddrBook_GetPropList(p, a, b) (p)->lpVtbl->GetPropList(p, a, b)
#define IAddrBook_OpenProperty(p, a, b, c, d, e) (p)->lpVtbl->OpenProperty(p, a, b, c, d, e)
#define IAddrBook_SetProps(p, a, b, c) (p)->lpVtbl->SetProps(p, a, b, c)
#define IAddrBook_DeleteProps(p, a, b) (p)->lpVtbl->DeleteProps(p, a, b)
#define IAddrBook_CopyTo(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->CopyTo(p, a, b, c, d, e, f, g, h, i)
#define IAddrBook_CopyProps(p, a, b, c, d, e, f, g) (p)->lpVtbl->CopyProps(p, a, b, c, d, e, f, g)
#define IAddrBook_GetNamesFromIDs(p, a, b, c, d, e) (p)->lpVtbl->GetNamesFromIDs(p, a, b, c, d, e)
#define IAddrBook_GetIDsFromNames(p, a, b, c, d) (p)->lpVtbl->GetIDsFromNames(p, a, b, c, d)
#define IAddrBook_OpenEntry(p, a, b, c, d, e, f) (p)->lpVtbl->OpenEntry(p, a, b, c, d, e, f)
#define IAddrBook_CompareEntryIDs(p, a, b, c, d, e, f) \
    (p)->lpVtbl->CompareEntryIDs(p, a, b, c, d, e, f)
#define IAddrBook_Advise(p, a, b, c, d, e) (p)->lpVtbl->Advise(p, a, b, c, d, e)
#define IAddrBook_Unadvise(p, a) (p)->lpVtbl->Unadvise(p, a)
#define IAddrBook_CreateOneOff(p, a, b, c, d, e, f) (p)->lpVtbl->CreateOneOff(p, a, b, c, d, e, f)
#define IAddrBook_NewEntry(p, a, b, c, d, e, f, g, h) \
    (p)->lpVtbl->NewEntry(p, a, b, c, d, e, f, g, h)
#define IAddrBook_ResolveName(p, a, b, c, d) (p)->lpVtbl->ResolveName(p, a, b, c, d)
#define IAddrBook_Address(p, a, b, c) (p)->lpVtbl->Address(p, a, b, c)
#define IAddrBook_Details(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->Details(p, a, b, c, d, e, f, g, h, i)
#define IAddrBook_RecipOptions(p, a, b, c) (p)->lpVtbl->RecipOptions(p, a, b, c)
#define IAddrBook_QueryDefaultRecipOpt(p, a, b, c, d) \
    (p)->lpVtbl->QueryDefaultRecipOpt(p, a, b, c, d)
#define IAddrBook_GetPAB(p, a, b) (p)->lpVtbl->GetPAB(p, a, b)
#define IAddrBook_SetPAB(p, a, b) (p)->lpVtbl->SetPAB(p, a, b)
#define IAddrBook_GetDefaultDir(p, a, b) (p)->lpVtbl->GetDefaultDir(p, a, b)
#define IAddrBook_SetDefaultDir(p, a, b) (p)->lpVtbl->SetDefaultDir(p, a, b)
#define IAddrBook_GetSearchPath(p, a, b) (p)->lpVtbl->GetSearchPath(p, a, b)
#define IAddrBook_SetSearchPath(p, a, b) (p)->lpVtbl->SetSearchPath(p, a, b)
#define IAddrBook_PrepareRecips(p, a, b, c) (p)->lpVtbl->PrepareRecips(p, a, b, c)

/* IProviderAdmin: the providers of one message service. */
#define MAPI_IPROVIDERADMIN_METHODS(IPURE)                                               \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                       \
                             LPMAPIERROR * lppMAPIError) IPURE;                          \
    MAPIMETHOD(GetProviderTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;     \
    MAPIMETHOD(CreateProvider)(THIS_ LPTSTR lpszProvider, ULONG cValues,                 \
                               LPSPropValue lpProps, ULONG_PTR ulUIParam, ULONG ulFlags, \
                               MAPIUID * lpUID) IPURE;                                   \
    MAPIMETHOD(DeleteProvider)(THIS_ LPMAPIUID lpUID) IPURE;                             \
    MAPIMETHOD(OpenProfileSection)(THIS_ LPMAPIUID lpUID, LPCIID lpInterface,            \
                                   ULONG ulFlags, LPPROFSECT * lppProfSect) IPURE;

#undef INTERFACE
#define INTERFACE IProviderAdmin
DECLARE_MAPI_INTERFACE_(IProviderAdmin, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IPROVIDERADMIN_METHODS(IPURE)
};
#define IProviderAdmin_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IProviderAdmin_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IProviderAdmin_Release(p) (p)->lpVtbl->Release(p)
#define IProviderAdmin_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IProviderAdmin_GetProviderTable(p, a, b) (p)->lpVtbl->GetProviderTable(p, a, b)
#define IProviderAdmin_CreateProvider(p, a, b, c, d, e, f) \
    (p)->lpVtbl->CreateProvider(p, a, b, c, d, e, f)
#define IProviderAdmin_DeleteProvider(p, a) (p)->lpVtbl->DeleteProvider(p, a)
#define IProviderAdmin_OpenProfileSection(p, a, b, c, d) \
    (p)->lpVtbl->OpenProfileSection(p, a, b, c, d)

/* IMsgServiceAdmin: the message services of one profile. */
#define MAPI_IMSGSERVICEADMIN_METHODS(IPURE)                                             \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                       \
                             LPMAPIERROR * lppMAPIError) IPURE;                          \
    MAPIMETHOD(GetMsgServiceTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;   \
    MAPIMETHOD(CreateMsgService)(THIS_ LPTSTR lpszService, LPTSTR lpszDisplayName,       \
                                 ULONG_PTR ulUIParam, ULONG ulFlags) IPURE;              \
    MAPIMETHOD(DeleteMsgService)(THIS_ LPMAPIUID lpUID) IPURE;                           \
    MAPIMETHOD(CopyMsgService)(THIS_ LPMAPIUID lpUID, LPTSTR lpszDisplayName,            \
                               LPCIID lpInterfaceToCopy, LPCIID lpInterfaceDst,          \
                               LPVOID lpObjectDst, ULONG_PTR ulUIParam,                  \
                               ULONG ulFlags) IPURE;                                     \
    MAPIMETHOD(RenameMsgService)(THIS_ LPMAPIUID lpUID, ULONG ulFlags,                   \
                                 LPTSTR lpszDisplayName) IPURE;                          \
    MAPIMETHOD(ConfigureMsgService)(THIS_ LPMAPIUID lpUID, ULONG_PTR ulUIParam,          \
                                    ULONG ulFlags, ULONG cValues,                        \
                                    LPSPropValue lpProps) IPURE;                         \
    MAPIMETHOD(OpenProfileSection)(THIS_ LPMAPIUID lpUID, LPCIID lpInterface,            \
                                   ULONG ulFlags, LPPROFSECT * lppProfSect) IPURE;       \
    MAPIMETHOD(MsgServiceTransportOrder)(THIS_ ULONG cUID, LPMAPIUID lpUIDList,          \
                                         ULONG ulFlags) IPURE;                           \
    MAPIMETHOD(AdminProviders)(THIS_ LPMAPIUID lpUID, ULONG ulFlags,                     \
                               LPPROVIDERADMIN * lppProviderAdmin) IPURE;                \
    MAPIMETHOD(SetPrimaryIdentity)(THIS_ LPMAPIUID lpUID, ULONG ulFlags) IPURE;          \
    MAPIMETHOD(GetProviderTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;

#undef INTERFACE
#define INTERFACE IMsgServiceAdmin
DECLARE_MAPI_INTERFACE_(IMsgServiceAdmin, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMSGSERVICEADMIN_METHODS(IPURE)
};
#define IMsgServiceAdmin_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMsgServiceAdmin_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMsgServiceAdmin_Release(p) (p)->lpVtbl->Release(p)
#define IMsgServiceAdmin_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IMsgServiceAdmin_GetMsgServiceTable(p, a, b) (p)->lpVtbl->GetMsgServiceTable(p, a, b)
#define IMsgServiceAdmin_CreateMsgService(p, a, b, c, d) \
    (p)->lpVtbl->CreateMsgService(p, a, b, c, d)
#define IMsgServiceAdmin_DeleteMsgService(p, a) (p)->lpVtbl->DeleteMsgService(p, a)
#define IMsgServiceAdmin_CopyMsgService(p, a, b, c, d, e, f, g) \
    (p)->lpVtbl->CopyMsgService(p, a, b, c, d, e, f, g)
#define IMsgServiceAdmin_RenameMsgService(p, a, b, c) (p)->lpVtbl->RenameMsgService(p, a, b, c)
#define IMsgServiceAdmin_ConfigureMsgService(p, a, b, c, d, e) \
    (p)->lpVtbl->ConfigureMsgService(p, a, b, c, d, e)
#define IMsgServiceAdmin_OpenProfileSection(p, a, b, c, d) \
    (p)->lpVtbl->OpenProfileSection(p, a, b, c, d)
#define IMsgServiceAdmin_MsgServiceTransportOrder(p, a, b, c) \
    (p)->lpVtbl->MsgServiceTransportOrder(p, a, b, c)
#define IMsgServiceAdmin_AdminProviders(p, a, b, c) (p)->lpVtbl->AdminProviders(p, a, b, c)
#define IMsgServiceAdmin_SetPrimaryIdentity(p, a, b) (p)->lpVtbl->SetPrimaryIdentity(p, a, b)
#define IMsgServiceAdmin_GetProviderTable(p, a, b) (p)->lpVtbl->GetProviderTable(p, a, b)

/* IMsgServiceAdmin2 (mapiaux.h in the SDK; mapiaux.h here includes this
 * header): IMsgServiceAdmin with CreateMsgServiceEx, which also returns the
 * new service's UID. The same object answers both interfaces. */
DECLARE_MAPI_INTERFACE_PTR(IMsgServiceAdmin2, LPSERVICEADMIN2);
#define SERVICE_NO_RESTART_WARNING ((ULONG)0x00000080)
#define MAPI_IMSGSERVICEADMIN2_METHODS(IPURE)                                            \
    MAPIMETHOD(CreateMsgServiceEx)(THIS_ LPTSTR lpszService, LPTSTR lpszDisplayName,     \
                                   ULONG_PTR ulUIParam, ULONG ulFlags,                   \
                                   LPMAPIUID lpuidService) IPURE;

#undef INTERFACE
#define INTERFACE IMsgServiceAdmin2
DECLARE_MAPI_INTERFACE_(IMsgServiceAdmin2, IMsgServiceAdmin)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMSGSERVICEADMIN_METHODS(IPURE)
    MAPI_IMSGSERVICEADMIN2_METHODS(IPURE)
};
#define IMsgServiceAdmin2_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMsgServiceAdmin2_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMsgServiceAdmin2_Release(p) (p)->lpVtbl->Release(p)
#define IMsgServiceAdmin2_GetMsgServiceTable(p, a, b) (p)->lpVtbl->GetMsgServiceTable(p, a, b)
#define IMsgServiceAdmin2_DeleteMsgService(p, a) (p)->lpVtbl->DeleteMsgService(p, a)
#define IMsgServiceAdmin2_CreateMsgServiceEx(p, a, b, c, d, e) \
    (p)->lpVtbl->CreateMsgServiceEx(p, a, b, c, d, e)

/* IProfAdmin: the profiles of the user. */
#define MAPI_IPROFADMIN_METHODS(IPURE)                                                   \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                       \
                             LPMAPIERROR * lppMAPIError) IPURE;                          \
    MAPIMETHOD(GetProfileTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;      \
    MAPIMETHOD(CreateProfile)(THIS_ LPTSTR lpszProfileName, LPTSTR lpszPassword,         \
                              ULONG_PTR ulUIParam, ULONG ulFlags) IPURE;                 \
    MAPIMETHOD(DeleteProfile)(THIS_ LPTSTR lpszProfileName, ULONG ulFlags) IPURE;        \
    MAPIMETHOD(ChangeProfilePassword)(THIS_ LPTSTR lpszProfileName,                      \
                                      LPTSTR lpszOldPassword, LPTSTR lpszNewPassword,    \
                                      ULONG ulFlags) IPURE;                              \
    MAPIMETHOD(CopyProfile)(THIS_ LPTSTR lpszOldProfileName, LPTSTR lpszOldPassword,     \
                            LPTSTR lpszNewProfileName, ULONG_PTR ulUIParam,              \
                            ULONG ulFlags) IPURE;                                        \
    MAPIMETHOD(RenameProfile)(THIS_ LPTSTR lpszOldProfileName, LPTSTR lpszOldPassword,   \
                              LPTSTR lpszNewProfileName, ULONG_PTR ulUIParam,            \
                              ULONG ulFlags) IPURE;                                      \
    MAPIMETHOD(SetDefaultProfile)(THIS_ LPTSTR lpszProfileName, ULONG ulFlags) IPURE;    \
    MAPIMETHOD(AdminServices)(THIS_ LPTSTR lpszProfileName, LPTSTR lpszPassword,         \
                              ULONG_PTR ulUIParam, ULONG ulFlags,                        \
                              LPSERVICEADMIN * lppServiceAdmin) IPURE;

#undef INTERFACE
#define INTERFACE IProfAdmin
DECLARE_MAPI_INTERFACE_(IProfAdmin, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IPROFADMIN_METHODS(IPURE)
};
#define IProfAdmin_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IProfAdmin_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IProfAdmin_Release(p) (p)->lpVtbl->Release(p)
#define IProfAdmin_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IProfAdmin_GetProfileTable(p, a, b) (p)->lpVtbl->GetProfileTable(p, a, b)
#define IProfAdmin_CreateProfile(p, a, b, c, d) (p)->lpVtbl->CreateProfile(p, a, b, c, d)
#define IProfAdmin_DeleteProfile(p, a, b) (p)->lpVtbl->DeleteProfile(p, a, b)
#define IProfAdmin_ChangeProfilePassword(p, a, b, c, d) \
    (p)->lpVtbl->ChangeProfilePassword(p, a, b, c, d)
#define IProfAdmin_CopyProfile(p, a, b, c, d, e) (p)->lpVtbl->CopyProfile(p, a, b, c, d, e)
#define IProfAdmin_RenameProfile(p, a, b, c, d, e) (p)->lpVtbl->RenameProfile(p, a, b, c, d, e)
#define IProfAdmin_SetDefaultProfile(p, a, b) (p)->lpVtbl->SetDefaultProfile(p, a, b)
#define IProfAdmin_AdminServices(p, a, b, c, d, e) (p)->lpVtbl->AdminServices(p, a, b, c, d, e)

/* IMAPISession: a logged-on profile. */
#define MAPI_IMAPISESSION_METHODS(IPURE)                                                 \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                       \
                             LPMAPIERROR * lppMAPIError) IPURE;                          \
    MAPIMETHOD(GetMsgStoresTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;    \
    MAPIMETHOD(OpenMsgStore)(THIS_ ULONG_PTR ulUIParam, ULONG cbEntryID,                 \
                             LPENTRYID lpEntryID, LPCIID lpInterface, ULONG ulFlags,     \
                             LPMDB * lppMDB) IPURE;                                      \
    MAPIMETHOD(OpenAddressBook)(THIS_ ULONG_PTR ulUIParam, LPCIID lpInterface,           \
                                ULONG ulFlags, LPADRBOOK * lppAdrBook) IPURE;            \
    MAPIMETHOD(OpenProfileSection)(THIS_ LPMAPIUID lpUID, LPCIID lpInterface,            \
                                   ULONG ulFlags, LPPROFSECT * lppProfSect) IPURE;       \
    MAPIMETHOD(GetStatusTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;       \
    MAPIMETHOD(OpenEntry)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, \
                          ULONG ulFlags, ULONG * lpulObjType, LPUNKNOWN * lppUnk) IPURE; \
    MAPIMETHOD(CompareEntryIDs)(THIS_ ULONG cbEntryID1, LPENTRYID lpEntryID1,            \
                                ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags,   \
                                ULONG * lpulResult) IPURE;                               \
    MAPIMETHOD(Advise)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulEventMask,    \
                       LPMAPIADVISESINK lpAdviseSink, ULONG_PTR * lpulConnection) IPURE; \
    MAPIMETHOD(Unadvise)(THIS_ ULONG_PTR ulConnection) IPURE;                            \
    MAPIMETHOD(MessageOptions)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags,                 \
                               LPTSTR lpszAdrType, LPMESSAGE lpMessage) IPURE;           \
    MAPIMETHOD(QueryDefaultMessageOpt)(THIS_ LPTSTR lpszAdrType, ULONG ulFlags,          \
                                       ULONG * lpcValues,                                \
                                       LPSPropValue * lppOptions) IPURE;                 \
    MAPIMETHOD(EnumAdrTypes)(THIS_ ULONG ulFlags, ULONG * lpcAdrTypes,                   \
                             LPTSTR * *lpppszAdrTypes) IPURE;                            \
    MAPIMETHOD(QueryIdentity)(THIS_ ULONG * lpcbEntryID, LPENTRYID * lppEntryID) IPURE;  \
    MAPIMETHOD(Logoff)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags, ULONG ulReserved) IPURE; \
    MAPIMETHOD(SetDefaultStore)(THIS_ ULONG ulFlags, ULONG cbEntryID,                    \
                                LPENTRYID lpEntryID) IPURE;                              \
    MAPIMETHOD(AdminServices)(THIS_ ULONG ulFlags, LPSERVICEADMIN * lppServiceAdmin) IPURE; \
    MAPIMETHOD(ShowForm)(THIS_ ULONG_PTR ulUIParam, LPMDB lpMsgStore,                    \
                         LPMAPIFOLDER lpParentFolder, LPCIID lpInterface,                \
                         ULONG ulMessageToken, LPMESSAGE lpMessageSent, ULONG ulFlags,   \
                         ULONG ulMessageStatus, ULONG ulMessageFlags, ULONG ulAccess,    \
                         LPSTR lpszMessageClass) IPURE;                                  \
    MAPIMETHOD(PrepareForm)(THIS_ LPCIID lpInterface, LPMESSAGE lpMessage,               \
                            ULONG * lpulMessageToken) IPURE;

#undef INTERFACE
#define INTERFACE IMAPISession
DECLARE_MAPI_INTERFACE_(IMAPISession, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPISESSION_METHODS(IPURE)
};
#define IMAPISession_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMAPISession_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMAPISession_Release(p) (p)->lpVtbl->Release(p)
#define IMAPISession_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IMAPISession_GetMsgStoresTable(p, a, b) (p)->lpVtbl->GetMsgStoresTable(p, a, b)
#define IMAPISession_OpenMsgStore(p, a, b, c, d, e, f) \
    (p)->lpVtbl->OpenMsgStore(p, a, b, c, d, e, f)
#define IMAPISession_OpenAddressBook(p, a, b, c, d) (p)->lpVtbl->OpenAddressBook(p, a, b, c, d)
#define IMAPISession_OpenProfileSection(p, a, b, c, d) \
    (p)->lpVtbl->OpenProfileSection(p, a, b, c, d)
#define IMAPISession_GetStatusTable(p, a, b) (p)->lpVtbl->GetStatusTable(p, a, b)
#define IMAPISession_OpenEntry(p, a, b, c, d, e, f) (p)->lpVtbl->OpenEntry(p, a, b, c, d, e, f)
#define IMAPISession_CompareEntryIDs(p, a, b, c, d, e, f) \
    (p)->lpVtbl->CompareEntryIDs(p, a, b, c, d, e, f)
#define IMAPISession_Advise(p, a, b, c, d, e) (p)->lpVtbl->Advise(p, a, b, c, d, e)
#define IMAPISession_Unadvise(p, a) (p)->lpVtbl->Unadvise(p, a)
#define IMAPISession_MessageOptions(p, a, b, c, d) (p)->lpVtbl->MessageOptions(p, a, b, c, d)
#define IMAPISession_QueryDefaultMessageOpt(p, a, b, c, d) \
    (p)->lpVtbl->QueryDefaultMessageOpt(p, a, b, c, d)
#define IMAPISession_EnumAdrTypes(p, a, b, c) (p)->lpVtbl->EnumAdrTypes(p, a, b, c)
#define IMAPISession_QueryIdentity(p, a, b) (p)->lpVtbl->QueryIdentity(p, a, b)
#define IMAPISession_Logoff(p, a, b, c) (p)->lpVtbl->Logoff(p, a, b, c)
#define IMAPISession_SetDefaultStore(p, a, b, c) (p)->lpVtbl->SetDefaultStore(p, a, b, c)
#define IMAPISession_AdminServices(p, a, b) (p)->lpVtbl->AdminServices(p, a, b)
#define IMAPISession_ShowForm(p, a, b, c, d, e, f, g, h, i, j, k) \
    (p)->lpVtbl->ShowForm(p, a, b, c, d, e, f, g, h, i, j, k)
#define IMAPISession_PrepareForm(p, a, b, c) (p)->lpVtbl->PrepareForm(p, a, b, c)

/* ---- entry points (implemented by the session layer) -------------------------
 * As in Windows MAPI, lpszProfileName and lpszPassword are LPTSTR: pass
 * MAPI_UNICODE in ulFlags when they are UTF-16.
 */
STDAPI MAPIInitialize(LPVOID lpMapiInit);
STDAPI_(void) MAPIUninitialize(void);
STDAPI MAPILogonEx(ULONG_PTR ulUIParam, LPTSTR lpszProfileName, LPTSTR lpszPassword,
                   ULONG ulFlags, LPMAPISESSION *lppSession);
STDAPI MAPIAdminProfiles(ULONG ulFlags, LPPROFADMIN *lppProfAdmin);

/* Function types, for programs that load MAPI dynamically. */
typedef HRESULT(STDMETHODCALLTYPE MAPIINITIALIZE)(LPVOID lpMapiInit);
typedef MAPIINITIALIZE *LPMAPIINITIALIZE;
typedef void(STDMETHODCALLTYPE MAPIUNINITIALIZE)(void);
typedef MAPIUNINITIALIZE *LPMAPIUNINITIALIZE;
typedef HRESULT(STDMETHODCALLTYPE MAPILOGONEX)(ULONG_PTR ulUIParam, LPTSTR lpszProfileName,
                                               LPTSTR lpszPassword, ULONG ulFlags,
                                               LPMAPISESSION *lppSession);
typedef MAPILOGONEX *LPMAPILOGONEX;
typedef HRESULT(STDMETHODCALLTYPE MAPIADMINPROFILES)(ULONG ulFlags, LPPROFADMIN *lppProfAdmin);
typedef MAPIADMINPROFILES *LPMAPIADMINPROFILES;


FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPIX_H */
