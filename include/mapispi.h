/*
 * mapispi.h - MAPI's service provider interface: the support object MAPI
 * gives providers (IMAPISupport), the provider and logon objects providers
 * implement (IMSProvider/IMSLogon, IABProvider/IABLogon,
 * IXPProvider/IXPLogon, ISpoolerHook), their entry points and the message
 * service entry point.
 *
 * Written from the "MAPI Service Provider Interface" pages of Microsoft's
 * MAPI reference (Mapispi.h is the header those pages name). freemapi's own
 * stores, address book and profiles are built in and load no third-party
 * provider, so nothing here is implemented by libfreemapi: the header lets
 * provider and service code written for Windows compile. The vtable order
 * is the documented one; the Windows SDK's header carries two undocumented
 * IMAPISupport slots (UpdatePAB, Preprocess) that the documentation and
 * this header do not.
 */
#ifndef FREEMAPI_MAPISPI_H
#define FREEMAPI_MAPISPI_H

#include "mapidefs.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapix.h"

FREEMAPI_BEGIN_DECLS

/* The SPI version MAPI passes to provider entry points (ulMAPIVer). */
#define CURRENT_SPI_VERSION ((ULONG)0x00010010)
#define PDK1_SPI_VERSION ((ULONG)0x00010000)
#define PDK2_SPI_VERSION ((ULONG)0x00010008)
#define PDK3_SPI_VERSION ((ULONG)0x00010010)

/* Provider entry points use the C calling convention on Windows. */
#ifndef STDMAPIINITCALLTYPE
#define STDMAPIINITCALLTYPE
#endif

DECLARE_MAPI_INTERFACE_PTR(IMAPISupport, LPMAPISUP);
DECLARE_MAPI_INTERFACE_PTR(IMSProvider, LPMSPROVIDER);
DECLARE_MAPI_INTERFACE_PTR(IMSLogon, LPMSLOGON);
DECLARE_MAPI_INTERFACE_PTR(IABProvider, LPABPROVIDER);
DECLARE_MAPI_INTERFACE_PTR(IABLogon, LPABLOGON);
DECLARE_MAPI_INTERFACE_PTR(IXPProvider, LPXPPROVIDER);
DECLARE_MAPI_INTERFACE_PTR(IXPLogon, LPXPLOGON);
DECLARE_MAPI_INTERFACE_PTR(ISpoolerHook, LPSPOOLERHOOK);
/* COM's structured storage (IMAPISupport::IStorageFromStream). */
DECLARE_MAPI_INTERFACE_PTR(IStorage, LPSTORAGE);

/* ---- notification keys (IMAPISupport::Subscribe, Notify) ------------------- */
typedef struct {
    ULONG cb;
    BYTE ab[MAPI_DIM];
} NOTIFKEY, *LPNOTIFKEY;
#define CbNewNOTIFKEY(_cb) (offsetof(NOTIFKEY, ab) + (_cb))
#define CbNOTIFKEY(_lpkey) (offsetof(NOTIFKEY, ab) + (_lpkey)->cb)
#define SizedNOTIFKEY(_cb, _name) \
    struct _NOTIFKEY_##_name {    \
        ULONG cb;                 \
        BYTE ab[_cb];             \
    } _name

/* Subscribe ulFlags, Notify *lpulFlags. */
#define NOTIFY_SYNC ((ULONG)0x40000000)
#define NOTIFY_CANCELED ((ULONG)0x80000000)
/* What a NOTIFCALLBACK of a provider returns to stop the notifications. */
#define CALLBACK_DISCONTINUE ((ULONG)0x80000000)

/* SpoolerNotify ulFlags. */
#define NOTIFY_NEWMAIL ((ULONG)0x00000001)
#define NOTIFY_READYTOSEND ((ULONG)0x00000002)
#define NOTIFY_SENTDEFERRED ((ULONG)0x00000004)
#define NOTIFY_CRITSEC ((ULONG)0x00001000)
#define NOTIFY_NONCRIT ((ULONG)0x00002000)
#define NOTIFY_CONFIG_CHANGE ((ULONG)0x00004000)
#define NOTIFY_CRITICAL_ERROR ((ULONG)0x10000000)
#define NOTIFY_NEWMAIL_RECEIVED ((ULONG)0x20000000)

/* ModifyStatusRow ulFlags. */
#define STATUSROW_UPDATE ((ULONG)0x10000000)

/* RegisterPreprocessor ulFlags, PrepareSubmit and ExpandRecips *lpulFlags. */
#define NEEDS_PREPROCESSING ((ULONG)0x00000001)
#define NEEDS_SPOOLER ((ULONG)0x00000002)

/* CompleteMsg, DoSentMail. */
#define NON_STANDARD ((ULONG)0x00010000)

/* Transport options (IXPLogon::RegisterOptions). */
typedef struct _OPTIONDATA {
    ULONG ulFlags;
    LPGUID lpRecipGUID;
    LPTSTR lpszAdrType;
    LPTSTR lpszDLLName;
    ULONG ulOrdinal;
    ULONG cbOptionsData;
    LPBYTE lpbOptionsData;
    ULONG cOptionsProps;
    LPSPropValue lpOptionsProps;
} OPTIONDATA, *LPOPTIONDATA;
#define OPTION_TYPE_RECIPIENT ((ULONG)0x00000001)
#define OPTION_TYPE_MESSAGE ((ULONG)0x00000002)

/* ---- IMAPISupport: what MAPI implements for providers ---------------------- */
#define MAPI_IMAPISUPPORT_METHODS(IPURE)                                                   \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                         \
                             LPMAPIERROR * lppMAPIError) IPURE;                            \
    MAPIMETHOD(GetMemAllocRoutines)(THIS_ LPALLOCATEBUFFER * lpAllocateBuffer,             \
                                    LPALLOCATEMORE * lpAllocateMore,                       \
                                    LPFREEBUFFER * lpFreeBuffer) IPURE;                    \
    MAPIMETHOD(Subscribe)(THIS_ LPNOTIFKEY lpKey, ULONG ulEventMask, ULONG ulFlags,        \
                          LPMAPIADVISESINK lpAdviseSink, ULONG_PTR * lpulConnection) IPURE; \
    MAPIMETHOD(Unsubscribe)(THIS_ ULONG_PTR ulConnection) IPURE;                           \
    MAPIMETHOD(Notify)(THIS_ LPNOTIFKEY lpKey, ULONG cNotification,                        \
                       LPNOTIFICATION lpNotifications, ULONG * lpulFlags) IPURE;           \
    MAPIMETHOD(ModifyStatusRow)(THIS_ ULONG cValues, LPSPropValue lpColumnVals,            \
                                ULONG ulFlags) IPURE;                                      \
    MAPIMETHOD(OpenProfileSection)(THIS_ LPMAPIUID lpUid, ULONG ulFlags,                   \
                                   LPPROFSECT * lppProfileObj) IPURE;                      \
    MAPIMETHOD(RegisterPreprocessor)(THIS_ LPMAPIUID lpMuid, LPTSTR lpszAdrType,           \
                                     LPTSTR lpszDLLName, LPSTR lpszPreprocess,             \
                                     LPSTR lpszRemovePreprocessInfo, ULONG ulFlags) IPURE; \
    MAPIMETHOD(NewUID)(THIS_ LPMAPIUID lpMuid) IPURE;                                      \
    MAPIMETHOD(MakeInvalid)(THIS_ ULONG ulFlags, LPVOID lpObject, ULONG ulRefCount,        \
                            ULONG cMethods) IPURE;                                         \
    MAPIMETHOD(SpoolerYield)(THIS_ ULONG ulFlags) IPURE;                                   \
    MAPIMETHOD(SpoolerNotify)(THIS_ ULONG ulFlags, LPVOID lpvData) IPURE;                  \
    MAPIMETHOD(CreateOneOff)(THIS_ LPTSTR lpszName, LPTSTR lpszAdrType, LPTSTR lpszAddress, \
                             ULONG ulFlags, ULONG * lpcbEntryID,                           \
                             LPENTRYID * lppEntryID) IPURE;                                \
    MAPIMETHOD(SetProviderUID)(THIS_ LPMAPIUID lpProviderID, ULONG ulFlags) IPURE;         \
    MAPIMETHOD(CompareEntryIDs)(THIS_ ULONG cbEntry1, LPENTRYID lpEntry1, ULONG cbEntry2,  \
                                LPENTRYID lpEntry2, ULONG ulCompareFlags,                  \
                                ULONG * lpulResult) IPURE;                                 \
    MAPIMETHOD(OpenTemplateID)(THIS_ ULONG cbTemplateID, LPENTRYID lpTemplateID,           \
                               ULONG ulTemplateFlags, LPMAPIPROP lpMAPIPropData,           \
                               LPCIID lpInterface, LPMAPIPROP * lppMAPIPropNew,            \
                               LPMAPIPROP lpMAPIPropSibling) IPURE;                        \
    MAPIMETHOD(OpenEntry)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface,  \
                          ULONG ulOpenFlags, ULONG * lpulObjType, LPUNKNOWN * lppUnk) IPURE; \
    MAPIMETHOD(GetOneOffTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;         \
    MAPIMETHOD(Address)(THIS_ ULONG_PTR * lpulUIParam, LPADRPARM lpAdrParameters,          \
                        LPADRLIST * lppAdrList) IPURE;                                     \
    MAPIMETHOD(Details)(THIS_ ULONG_PTR * lpulUIParam, LPFNDISMISS lpfnDismiss,            \
                        LPVOID lpvDismissContext, ULONG cbEntryID, LPENTRYID lpEntryID,    \
                        LPFNBUTTON lpfButtonCallback, LPVOID lpvButtonContext,             \
                        LPTSTR lpszButtonText, ULONG ulFlags) IPURE;                       \
    MAPIMETHOD(NewEntry)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags, ULONG cbEIDContainer,   \
                         LPENTRYID lpEIDContainer, ULONG cbEIDNewEntryTpl,                 \
                         LPENTRYID lpEIDNewEntryTpl, ULONG * lpcbEIDNewEntry,              \
                         LPENTRYID * lppEIDNewEntry) IPURE;                                \
    MAPIMETHOD(DoConfigPropsheet)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags,                \
                                  LPTSTR lpszTitle, LPMAPITABLE lpDisplayTable,            \
                                  LPMAPIPROP lpCOnfigData, ULONG ulTopPage) IPURE;         \
    MAPIMETHOD(CopyMessages)(THIS_ LPCIID lpSrcInterface, LPVOID lpSrcFolder,              \
                             LPENTRYLIST lpMsgList, LPCIID lpDestInterface,                \
                             LPVOID lpDestFolder, ULONG_PTR ulUIParam,                     \
                             LPMAPIPROGRESS lpProgress, ULONG ulFlags) IPURE;              \
    MAPIMETHOD(CopyFolder)(THIS_ LPCIID lpSrcInterface, LPVOID lpSrcFolder,                \
                           ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpDestInterface,   \
                           LPVOID lpDestFolder, LPTSTR lszNewFolderName,                   \
                           ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,                 \
                           ULONG ulFlags) IPURE;                                           \
    MAPIMETHOD(DoCopyTo)(THIS_ LPCIID lpSrcInterface, LPVOID lpSrcObj, ULONG ciidExclude,  \
                         LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps,              \
                         ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,                   \
                         LPCIID lpDestInterface, LPVOID lpDestObj, ULONG ulFlags,          \
                         LPSPropProblemArray * lppProblems) IPURE;                         \
    MAPIMETHOD(DoCopyProps)(THIS_ LPCIID lpSrcInterface, LPVOID lpSrcObj,                  \
                            LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam,           \
                            LPMAPIPROGRESS lpProgress, LPCIID lpDestInterface,             \
                            LPVOID lpDestObj, ULONG ulFlags,                               \
                            LPSPropProblemArray * lppProblems) IPURE;                      \
    MAPIMETHOD(DoProgressDialog)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags,                 \
                                 LPMAPIPROGRESS * lppProgressObj) IPURE;                   \
    MAPIMETHOD(ReadReceipt)(THIS_ ULONG ulFlags, LPMESSAGE lpReadMessage,                  \
                            LPMESSAGE * lppEmptyMessage) IPURE;                            \
    MAPIMETHOD(PrepareSubmit)(THIS_ LPMESSAGE lpMessage, ULONG * lpulFlags) IPURE;         \
    MAPIMETHOD(ExpandRecips)(THIS_ LPMESSAGE lpMessage, ULONG * lpulFlags) IPURE;          \
    MAPIMETHOD(DoSentMail)(THIS_ ULONG ulFlags, LPMESSAGE lpMessage) IPURE;                \
    MAPIMETHOD(OpenAddressBook)(THIS_ LPCIID lpInterface, ULONG ulFlags,                   \
                                LPADRBOOK * lppAdrBook) IPURE;                             \
    MAPIMETHOD(CompleteMsg)(THIS_ ULONG ulFlags, ULONG cbEntryID, LPENTRYID lpEntryID) IPURE; \
    MAPIMETHOD(StoreLogoffTransports)(THIS_ ULONG * lpulFlags) IPURE;                      \
    MAPIMETHOD(StatusRecips)(THIS_ LPMESSAGE lpMessage, LPADRLIST lpRecipList) IPURE;      \
    MAPIMETHOD(WrapStoreEntryID)(THIS_ ULONG cbOrigEntry, LPENTRYID lpOrigEntry,           \
                                 ULONG * lpcbWrappedEntry,                                 \
                                 LPENTRYID * lppWrappedEntry) IPURE;                       \
    MAPIMETHOD(ModifyProfile)(THIS_ ULONG ulFlags) IPURE;                                  \
    MAPIMETHOD(IStorageFromStream)(THIS_ LPUNKNOWN lpUnkIn, LPCIID lpInterface,            \
                                   ULONG ulFlags, LPSTORAGE * lppStorageOut) IPURE;        \
    MAPIMETHOD(GetSvcConfigSupportObj)(THIS_ ULONG ulFlags, LPMAPISUP * lppSvcSupport) IPURE;

#undef INTERFACE
#define INTERFACE IMAPISupport
DECLARE_MAPI_INTERFACE_(IMAPISupport, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPISUPPORT_METHODS(IPURE)
};

/* ---- message store providers ----------------------------------------------- */
#define MAPI_IMSPROVIDER_METHODS(IPURE)                                                    \
    MAPIMETHOD(Shutdown)(THIS_ ULONG * lpulFlags) IPURE;                                   \
    MAPIMETHOD(Logon)(THIS_ LPMAPISUP lpMAPISup, ULONG_PTR ulUIParam,                      \
                      LPTSTR lpszProfileName, ULONG cbEntryID, LPENTRYID lpEntryID,        \
                      ULONG ulFlags, LPCIID lpInterface, ULONG * lpcbSpoolSecurity,        \
                      LPBYTE * lppbSpoolSecurity, LPMAPIERROR * lppMAPIError,              \
                      LPMSLOGON * lppMSLogon, LPMDB * lppMDB) IPURE;                       \
    MAPIMETHOD(SpoolerLogon)(THIS_ LPMAPISUP lpMAPISup, ULONG_PTR ulUIParam,               \
                             LPTSTR lpszProfileName, ULONG cbEntryID,                      \
                             LPENTRYID lpEntryID, ULONG ulFlags, LPCIID lpInterface,       \
                             ULONG cbSpoolSecurity, LPBYTE lpbSpoolSecurity,               \
                             LPMAPIERROR * lppMAPIError, LPMSLOGON * lppMSLogon,           \
                             LPMDB * lppMDB) IPURE;                                        \
    MAPIMETHOD(CompareStoreIDs)(THIS_ ULONG cbEntryID1, LPENTRYID lpEntryID1,              \
                                ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags,     \
                                ULONG * lpulResult) IPURE;

#undef INTERFACE
#define INTERFACE IMSProvider
DECLARE_MAPI_INTERFACE_(IMSProvider, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMSPROVIDER_METHODS(IPURE)
};

#define MAPI_IMSLOGON_METHODS(IPURE)                                                       \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                         \
                             LPMAPIERROR * lppMAPIError) IPURE;                            \
    MAPIMETHOD(Logoff)(THIS_ ULONG * lpulFlags) IPURE;                                     \
    MAPIMETHOD(OpenEntry)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface,  \
                          ULONG ulFlags, ULONG * lpulObjType, LPUNKNOWN * lppUnk) IPURE;   \
    MAPIMETHOD(CompareEntryIDs)(THIS_ ULONG cbEntryID1, LPENTRYID lpEntryID1,              \
                                ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags,     \
                                ULONG * lpulResult) IPURE;                                 \
    MAPIMETHOD(Advise)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulEventMask,      \
                       LPMAPIADVISESINK lpAdviseSink, ULONG_PTR * lpulConnection) IPURE;   \
    MAPIMETHOD(Unadvise)(THIS_ ULONG_PTR ulConnection) IPURE;                              \
    MAPIMETHOD(OpenStatusEntry)(THIS_ LPCIID lpInterface, ULONG ulFlags,                   \
                                ULONG * lpulObjType, LPVOID * lppEntry) IPURE;

#undef INTERFACE
#define INTERFACE IMSLogon
DECLARE_MAPI_INTERFACE_(IMSLogon, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMSLOGON_METHODS(IPURE)
};

/* ---- address book providers ------------------------------------------------ */
#define MAPI_IABPROVIDER_METHODS(IPURE)                                                    \
    MAPIMETHOD(Shutdown)(THIS_ ULONG * lpulFlags) IPURE;                                   \
    MAPIMETHOD(Logon)(THIS_ LPMAPISUP lpMAPISup, ULONG_PTR ulUIParam,                      \
                      LPTSTR lpszProfileName, ULONG ulFlags, ULONG * lpulpcbSecurity,      \
                      LPBYTE * lppbSecurity, LPMAPIERROR * lppMAPIError,                   \
                      LPABLOGON * lppABLogon) IPURE;

#undef INTERFACE
#define INTERFACE IABProvider
DECLARE_MAPI_INTERFACE_(IABProvider, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IABPROVIDER_METHODS(IPURE)
};

#define MAPI_IABLOGON_METHODS(IPURE)                                                       \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                         \
                             LPMAPIERROR * lppMAPIError) IPURE;                            \
    MAPIMETHOD(Logoff)(THIS_ ULONG ulFlags) IPURE;                                         \
    MAPIMETHOD(OpenEntry)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface,  \
                          ULONG ulFlags, ULONG * lpulObjType, LPUNKNOWN * lppUnk) IPURE;   \
    MAPIMETHOD(CompareEntryIDs)(THIS_ ULONG cbEntryID1, LPENTRYID lpEntryID1,              \
                                ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags,     \
                                ULONG * lpulResult) IPURE;                                 \
    MAPIMETHOD(Advise)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulEventMask,      \
                       LPMAPIADVISESINK lpAdviseSink, ULONG_PTR * lpulConnection) IPURE;   \
    MAPIMETHOD(Unadvise)(THIS_ ULONG_PTR ulConnection) IPURE;                              \
    MAPIMETHOD(OpenStatusEntry)(THIS_ LPCIID lpInterface, ULONG ulFlags,                   \
                                ULONG * lpulObjType, LPMAPISTATUS * lppEntry) IPURE;       \
    MAPIMETHOD(OpenTemplateID)(THIS_ ULONG cbTemplateID, LPENTRYID lpTemplateID,           \
                               ULONG ulTemplateFlags, LPMAPIPROP lpMAPIPropData,           \
                               LPCIID lpInterface, LPMAPIPROP * lppMAPIPropNew,            \
                               LPMAPIPROP lpMAPIPropSibling) IPURE;                        \
    MAPIMETHOD(GetOneOffTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;         \
    MAPIMETHOD(PrepareRecips)(THIS_ ULONG ulFlags, LPSPropTagArray lpPropTagArray,         \
                              LPADRLIST lpRecipList) IPURE;

#undef INTERFACE
#define INTERFACE IABLogon
DECLARE_MAPI_INTERFACE_(IABLogon, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IABLOGON_METHODS(IPURE)
};

/* OpenTemplateID ulTemplateFlags. */
#define FILL_ENTRY ((ULONG)0x00000001)

/* ---- transport providers --------------------------------------------------- */
/* TransportLogon *lpulFlags. */
#define LOGON_NO_DIALOG ((ULONG)0x00000001)
#define LOGON_NO_CONNECT ((ULONG)0x00000004)
#define LOGON_NO_INBOUND ((ULONG)0x00000008)
#define LOGON_NO_OUTBOUND ((ULONG)0x00000010)
#define LOGON_SP_IDLE ((ULONG)0x00010000)
#define LOGON_SP_POLL ((ULONG)0x00020000)
#define LOGON_SP_RESOLVE ((ULONG)0x00040000)
#define LOGON_SP_TRANSPORT ((ULONG)0x00080000)
#define LOGON_SP_PROMPT ((ULONG)0x00100000)

/* TransportNotify *lpulFlags. */
#define NOTIFY_ABORT_DEFERRED ((ULONG)0x40000000)
#define NOTIFY_CANCEL_MESSAGE ((ULONG)0x80000000)
#define NOTIFY_BEGIN_INBOUND ((ULONG)0x00000001)
#define NOTIFY_END_INBOUND ((ULONG)0x00010000)
#define NOTIFY_BEGIN_OUTBOUND ((ULONG)0x00000002)
#define NOTIFY_END_OUTBOUND ((ULONG)0x00020000)
#define NOTIFY_BEGIN_INBOUND_FLUSH ((ULONG)0x00000004)
#define NOTIFY_END_INBOUND_FLUSH ((ULONG)0x00040000)
#define NOTIFY_BEGIN_OUTBOUND_FLUSH ((ULONG)0x00000008)
#define NOTIFY_END_OUTBOUND_FLUSH ((ULONG)0x00080000)

#define MAPI_IXPPROVIDER_METHODS(IPURE)                                                    \
    MAPIMETHOD(Shutdown)(THIS_ ULONG * lpulFlags) IPURE;                                   \
    MAPIMETHOD(TransportLogon)(THIS_ LPMAPISUP lpMAPISup, ULONG_PTR ulUIParam,             \
                               LPTSTR lpszProfileName, ULONG * lpulFlags,                  \
                               LPMAPIERROR * lppMAPIError, LPXPLOGON * lppXPLogon) IPURE;

#undef INTERFACE
#define INTERFACE IXPProvider
DECLARE_MAPI_INTERFACE_(IXPProvider, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IXPPROVIDER_METHODS(IPURE)
};

#define MAPI_IXPLOGON_METHODS(IPURE)                                                       \
    MAPIMETHOD(AddressTypes)(THIS_ ULONG * lpulFlags, ULONG * lpcAdrType,                  \
                             LPTSTR * *lpppszAdrTypeArray, ULONG * lpcMAPIUID,             \
                             LPMAPIUID * *lpppUIDArray) IPURE;                             \
    MAPIMETHOD(RegisterOptions)(THIS_ ULONG * lpulFlags, ULONG * lpcOptions,               \
                                LPOPTIONDATA * lppOptions) IPURE;                          \
    MAPIMETHOD(TransportNotify)(THIS_ ULONG * lpulFlags, LPVOID * lppvData) IPURE;         \
    MAPIMETHOD(Idle)(THIS_ ULONG ulFlags) IPURE;                                           \
    MAPIMETHOD(TransportLogoff)(THIS_ ULONG ulFlags) IPURE;                                \
    MAPIMETHOD(SubmitMessage)(THIS_ ULONG ulFlags, LPMESSAGE lpMessage,                    \
                              ULONG_PTR * lpulMsgRef, ULONG_PTR * lpulReturnParm) IPURE;   \
    MAPIMETHOD(EndMessage)(THIS_ ULONG_PTR ulMsgRef, ULONG * lpulFlags) IPURE;             \
    MAPIMETHOD(Poll)(THIS_ ULONG * lpulIncoming) IPURE;                                    \
    MAPIMETHOD(StartMessage)(THIS_ ULONG ulFlags, LPMESSAGE lpMessage,                     \
                             ULONG_PTR * lpulMsgRef) IPURE;                                \
    MAPIMETHOD(OpenStatusEntry)(THIS_ LPCIID lpInterface, ULONG ulFlags,                   \
                                ULONG * lpulObjType, LPMAPISTATUS * lppEntry) IPURE;       \
    MAPIMETHOD(ValidateState)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags) IPURE;             \
    MAPIMETHOD(FlushQueues)(THIS_ ULONG_PTR ulUIParam, ULONG cbTargetTransport,            \
                            LPENTRYID lpTargetTransport, ULONG ulFlags) IPURE;

#undef INTERFACE
#define INTERFACE IXPLogon
DECLARE_MAPI_INTERFACE_(IXPLogon, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IXPLOGON_METHODS(IPURE)
};

/* ---- spooler hooks ----------------------------------------------------------- */
/* InboundMsgHook / OutboundMsgHook *lpulFlags. */
#define HOOK_DELETE ((ULONG)0x00000001)
#define HOOK_CANCEL ((ULONG)0x00000002)
/* PR_RESOURCE_FLAGS of a hook's profile section. */
#define HOOK_INBOUND ((ULONG)0x00000200)
#define HOOK_OUTBOUND ((ULONG)0x00000400)

#define MAPI_ISPOOLERHOOK_METHODS(IPURE)                                                   \
    MAPIMETHOD(InboundMsgHook)(THIS_ LPMESSAGE lpMessage, LPMAPIFOLDER lpFolder,           \
                               LPMDB lpMDB, ULONG * lpulFlags, ULONG * lpcbEntryID,        \
                               LPBYTE * lppEntryID) IPURE;                                 \
    MAPIMETHOD(OutboundMsgHook)(THIS_ LPMESSAGE lpMessage, LPMAPIFOLDER lpFolder,          \
                                LPMDB lpMDB, ULONG * lpulFlags, ULONG * lpcbEntryID,       \
                                LPBYTE * lppEntryID) IPURE;

#undef INTERFACE
#define INTERFACE ISpoolerHook
DECLARE_MAPI_INTERFACE_(ISpoolerHook, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_ISPOOLERHOOK_METHODS(IPURE)
};

/* ---- entry points (implemented by providers and services) -------------------- */
typedef HRESULT(STDMAPIINITCALLTYPE MSPROVIDERINIT)(
    HINSTANCE hInstance, LPMALLOC lpMalloc, LPALLOCATEBUFFER lpAllocateBuffer,
    LPALLOCATEMORE lpAllocateMore, LPFREEBUFFER lpFreeBuffer, ULONG ulFlags, ULONG ulMAPIVer,
    ULONG *lpulProviderVer, LPMSPROVIDER *lppMSProvider);
typedef MSPROVIDERINIT *LPMSPROVIDERINIT;

typedef HRESULT(STDMAPIINITCALLTYPE ABPROVIDERINIT)(
    HINSTANCE hInstance, LPMALLOC lpMalloc, LPALLOCATEBUFFER lpAllocateBuffer,
    LPALLOCATEMORE lpAllocateMore, LPFREEBUFFER lpFreeBuffer, ULONG ulFlags, ULONG ulMAPIVer,
    ULONG *lpulProviderVer, LPABPROVIDER *lppABProvider);
typedef ABPROVIDERINIT *LPABPROVIDERINIT;

typedef HRESULT(STDMAPIINITCALLTYPE XPPROVIDERINIT)(
    HINSTANCE hInstance, LPMALLOC lpMalloc, LPALLOCATEBUFFER lpAllocateBuffer,
    LPALLOCATEMORE lpAllocateMore, LPFREEBUFFER lpFreeBuffer, ULONG ulFlags, ULONG ulMAPIVer,
    ULONG *lpulProviderVer, LPXPPROVIDER *lppXPProvider);
typedef XPPROVIDERINIT *LPXPPROVIDERINIT;

/* The entry points a provider library defines (and MAPI calls). */
FREEMAPI_PUBLIC MSPROVIDERINIT MSProviderInit;
FREEMAPI_PUBLIC ABPROVIDERINIT ABProviderInit;
FREEMAPI_PUBLIC XPPROVIDERINIT XPProviderInit;

typedef HRESULT(STDMAPIINITCALLTYPE HPPROVIDERINIT)(
    LPMAPISESSION lpSession, HINSTANCE hInstance, LPALLOCATEBUFFER lpAllocateBuffer,
    LPALLOCATEMORE lpAllocateMore, LPFREEBUFFER lpFreeBuffer, LPMAPIUID lpSectionUID,
    ULONG ulFlags, LPSPOOLERHOOK *lppSpoolerHook);
typedef HPPROVIDERINIT *LPHPPROVIDERINIT;

typedef HRESULT(STDAPICALLTYPE MSGSERVICEENTRY)(HINSTANCE hInstance, LPMALLOC lpMalloc,
                                                LPMAPISUP lpMAPISup, ULONG_PTR ulUIParam,
                                                ULONG ulFlags, ULONG ulContext, ULONG cValues,
                                                LPSPropValue lpProps,
                                                LPPROVIDERADMIN lpProviderAdmin,
                                                LPMAPIERROR *lppMapiError);
typedef MSGSERVICEENTRY *LPMSGSERVICEENTRY;

typedef HRESULT(STDAPICALLTYPE PREPROCESSMESSAGE)(
    LPVOID lpvSession, LPMESSAGE lpMessage, LPADRBOOK lpAdrBook, LPMAPIFOLDER lpFolder,
    LPALLOCATEBUFFER AllocateBuffer, LPALLOCATEMORE AllocateMore, LPFREEBUFFER FreeBuffer,
    ULONG *lpcOutbound, LPMESSAGE **lpppMessage, LPADRLIST *lppRecipList);
typedef HRESULT(STDAPICALLTYPE REMOVEPREPROCESSINFO)(LPMESSAGE lpMessage);

/* A message service's Profile Wizard entry point. */
typedef ULONG(STDAPICALLTYPE WIZARDENTRY)(HINSTANCE hProviderDLLInstance,
                                          LPTSTR *lpcsResourceName, DLGPROC *lpDlgProc,
                                          LPMAPIPROP lpMapiProp, LPVOID lpMapiSupportObject);
typedef WIZARDENTRY *LPWIZARDENTRY;
typedef BOOL(STDAPICALLTYPE SERVICEWIZARDDLGPROC)(HWND hDlg, UINT wMsgID, WPARAM wParam,
                                                  LPARAM lParam);
typedef SERVICEWIZARDDLGPROC *LPSERVICEWIZARDDLGPROC;

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPISPI_H */
