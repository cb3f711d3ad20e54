/*
 * mapiform.h - MAPI forms: form viewers (IMAPIMessageSite, IMAPIViewContext,
 * IMAPIViewAdviseSink), form servers (IPersistMessage, IMAPIForm,
 * IMAPIFormAdviseSink, IMAPIFormFactory), and form libraries
 * (IMAPIFormMgr, IMAPIFormContainer, IMAPIFormInfo)
 * with the two entry points MAPIOpenFormMgr and MAPIOpenLocalFormContainer.
 *
 * Written from the MAPI reference's pages of these interfaces and
 * structures (Mapiform.h is the header they name), in their documented
 * vtable order. The documentation lists GetLastError where each page puts
 * it (last for most of them); the Windows SDK's header puts it first.
 *
 * A form server is a Windows program that MAPI starts to display a message
 * class: freemapi runs none, so its form manager and local form library
 * hold no forms. They answer as the documentation says a library without
 * the form answers (MAPI_E_NOT_FOUND from ResolveMessageClass, empty
 * property and verb sets), and MAPI_E_NO_SUPPORT, with text, from the
 * methods that would show a dialog or start a form server.
 */
#ifndef FREEMAPI_MAPIFORM_H
#define FREEMAPI_MAPIFORM_H

#include "mapidefs.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapix.h"

FREEMAPI_BEGIN_DECLS

DECLARE_MAPI_INTERFACE_PTR(IPersistMessage, LPPERSISTMESSAGE);
DECLARE_MAPI_INTERFACE_PTR(IMAPIMessageSite, LPMAPIMESSAGESITE);
DECLARE_MAPI_INTERFACE_PTR(IMAPISession, LPMAPISESSION);
DECLARE_MAPI_INTERFACE_PTR(IMAPIViewContext, LPMAPIVIEWCONTEXT);
DECLARE_MAPI_INTERFACE_PTR(IMAPIViewAdviseSink, LPMAPIVIEWADVISESINK);
DECLARE_MAPI_INTERFACE_PTR(IMAPIFormAdviseSink, LPMAPIFORMADVISESINK);
DECLARE_MAPI_INTERFACE_PTR(IMAPIFormInfo, LPMAPIFORMINFO);
DECLARE_MAPI_INTERFACE_PTR(IMAPIFormMgr, LPMAPIFORMMGR);
DECLARE_MAPI_INTERFACE_PTR(IMAPIFormContainer, LPMAPIFORMCONTAINER);
DECLARE_MAPI_INTERFACE_PTR(IMAPIForm, LPMAPIFORM);
DECLARE_MAPI_INTERFACE_PTR(IMAPIFormFactory, LPMAPIFORMFACTORY);

/* A form registry: which form library (IMAPIFormMgr::OpenFormContainer). */
typedef ULONG HFRMREG;
#define HFRMREG_DEFAULT 0
#define HFRMREG_LOCAL 1
#define HFRMREG_PERSONAL 2
#define HFRMREG_FOLDER 3

/* Windows printer handles (FORMPRINTSETUP), opaque here. */
typedef HANDLE HDEVMODE;
typedef HANDLE HDEVNAMES;

/* ---- structures ---------------------------------------------------------------- */
typedef struct {
    ULONG lVerb;
    LPSTR szVerbname;
    DWORD fuFlags;
    DWORD grfAttribs;
    ULONG ulFlags; /* 0 or MAPI_UNICODE */
} SMAPIVerb, *LPMAPIVERB;

typedef struct {
    ULONG cMAPIVerb;
    SMAPIVerb aMAPIVerb[MAPI_DIM];
} SMAPIVerbArray, *LPMAPIVERBARRAY;
#define CbMAPIVerbArray(_c) (offsetof(SMAPIVerbArray, aMAPIVerb) + (_c) * sizeof(SMAPIVerb))

typedef struct {
    ULONG cMessageClass;
    LPCSTR aMessageClass[MAPI_DIM];
} SMessageClassArray, *LPSMESSAGECLASSARRAY;
#define CbMessageClassArray(_c) \
    (offsetof(SMessageClassArray, aMessageClass) + (_c) * sizeof(LPCSTR))

typedef struct {
    ULONG cForms;
    LPMAPIFORMINFO aFormInfo[MAPI_DIM];
} SMAPIFormInfoArray, *LPSMAPIFORMINFOARRAY;
#define CbMAPIFormInfoArray(_c) \
    (offsetof(SMAPIFormInfoArray, aFormInfo) + (_c) * sizeof(LPMAPIFORMINFO))

/* One value of an enumerated form property. */
typedef struct {
    LPSTR pszDisplayName;
    ULONG nVal;
} SMAPIFormPropEnumVal, *LPMAPIFORMPROPENUMVAL;

typedef enum tagFORMPROPSPECIALTYPE {
    FPST_VANILLA = 0,
    FPST_ENUM_PROP = 1
} FORMPROPSPECIALTYPE;

typedef struct _SMAPIFormProp {
    ULONG ulFlags;
    ULONG nPropType;
    MAPINAMEID nmid;
    LPSTR pszDisplayName;
    FORMPROPSPECIALTYPE nSpecialType;
    union {
        struct {
            MAPINAMEID nmidIdx;
            ULONG cfpevAvailable;
            LPMAPIFORMPROPENUMVAL pfpevAvailable;
        } s1;
    } u;
} SMAPIFormProp, *LPMAPIFORMPROP;

typedef struct {
    ULONG cProps;
    SMAPIFormProp aFormProp[MAPI_DIM];
} SMAPIFormPropArray, *LPMAPIFORMPROPARRAY;
#define CbMAPIFormPropArray(_c) \
    (offsetof(SMAPIFormPropArray, aFormProp) + (_c) * sizeof(SMAPIFormProp))

typedef struct {
    ULONG ulFlags;
    HDEVMODE hDevMode;
    HDEVNAMES hDevNames;
    ULONG ulFirstPageNumber;
    ULONG ulFPrintAttachments;
} FORMPRINTSETUP, *LPFORMPRINTSETUP;

/* ---- flags ------------------------------------------------------------------------ */
/* IMAPIForm::ShutdownForm ulSaveOptions. */
#define SAVEOPTS_SAVEIFDIRTY 0
#define SAVEOPTS_NOSAVE 1
#define SAVEOPTS_PROMPTSAVE 2

/* IMAPIViewContext::GetViewStatus, IMAPIMessageSite::GetSiteStatus. */
#define VCSTATUS_NEXT ((ULONG)0x00000001)
#define VCSTATUS_PREV ((ULONG)0x00000002)
#define VCSTATUS_MODAL ((ULONG)0x00000004)
#define VCSTATUS_INTERACTIVE ((ULONG)0x00000008)
#define VCSTATUS_READONLY ((ULONG)0x00000010)
#define VCSTATUS_CATEGORY ((ULONG)0x00000020)
#define VCSTATUS_UNREAD ((ULONG)0x00000040)
#define VCSTATUS_DELETE ((ULONG)0x00010000)
#define VCSTATUS_COPY ((ULONG)0x00020000)
#define VCSTATUS_MOVE ((ULONG)0x00040000)
#define VCSTATUS_SUBMIT ((ULONG)0x00080000)
#define VCSTATUS_DELETE_IS_MOVE ((ULONG)0x00100000)
#define VCSTATUS_SAVE ((ULONG)0x00200000)
#define VCSTATUS_NEW_MESSAGE ((ULONG)0x00400000)

/* IMAPIViewContext::ActivateNext ulDir, IMAPIFormAdviseSink::OnChange. */
#define VCDIR_NEXT VCSTATUS_NEXT
#define VCDIR_PREV VCSTATUS_PREV
#define VCDIR_DELETE VCSTATUS_DELETE
#define VCDIR_MOVE VCSTATUS_MOVE
#define VCDIR_CATEGORY VCSTATUS_CATEGORY
#define VCDIR_UNREAD VCSTATUS_UNREAD

/* IMAPIViewContext::GetSaveStream *pulFormat. */
#define SAVE_FORMAT_TEXT ((ULONG)1)
#define SAVE_FORMAT_RICHTEXT ((ULONG)2)

/* CalcFormPropSet ulFlags. */
#define FORMPROPSET_UNION ((ULONG)0x00000000)
#define FORMPROPSET_INTERSECTION ((ULONG)0x00000001)

/* ResolveMessageClass ulFlags: no superclass substitution. */
#define MAPIFORM_EXACTMATCH ((ULONG)0x00000020)

/* SelectForm, SelectMultipleForms ulFlags. */
#define MAPIFORM_SELECT_ALL_REGISTRIES ((ULONG)0x00000000)
#define MAPIFORM_SELECT_FOLDER_REGISTRY_ONLY ((ULONG)0x00000001)
#define MAPIFORM_SELECT_NON_FOLDER_REGISTRY_ONLY ((ULONG)0x00000002)

/* IMAPIFormContainer::InstallForm ulFlags. */
#define MAPIFORM_INSTALL_DIALOG MAPI_DIALOG
#define MAPIFORM_INSTALL_OVERWRITEONCONFLICT ((ULONG)0x00000010)

/* IMAPIFormFactory::LockServer fLockServer. */
#define MAPI_LOCK_SERVER 1
#define MAPI_UNLOCK_SERVER 0

/* ---- IPersistMessage: a form's storage --------------------------------------------- */
#define MAPI_IPERSISTMESSAGE_METHODS(IPURE)                                                 \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                          \
                             LPMAPIERROR * lppMAPIError) IPURE;                             \
    MAPIMETHOD(GetClassID)(THIS_ LPCLSID lpClassID) IPURE;                                  \
    MAPIMETHOD(IsDirty)(THIS) IPURE;                                                        \
    MAPIMETHOD(InitNew)(THIS_ LPMAPIMESSAGESITE pMessageSite, LPMESSAGE pMessage) IPURE;    \
    MAPIMETHOD(Load)(THIS_ LPMAPIMESSAGESITE pMessageSite, LPMESSAGE pMessage,              \
                     ULONG ulMessageStatus, ULONG ulMessageFlags) IPURE;                    \
    MAPIMETHOD(Save)(THIS_ LPMESSAGE pMessage, ULONG fSameAsLoad) IPURE;                    \
    MAPIMETHOD(SaveCompleted)(THIS_ LPMESSAGE pMessage) IPURE;                              \
    MAPIMETHOD(HandsOffMessage)(THIS) IPURE;

#undef INTERFACE
#define INTERFACE IPersistMessage
DECLARE_MAPI_INTERFACE_(IPersistMessage, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IPERSISTMESSAGE_METHODS(IPURE)
};

/* ---- IMAPIMessageSite: the viewer's side of a message ------------------------------ */
#define MAPI_IMAPIMESSAGESITE_METHODS(IPURE)                                                \
    MAPIMETHOD(GetSession)(THIS_ LPMAPISESSION * ppSession) IPURE;                          \
    MAPIMETHOD(GetStore)(THIS_ LPMDB * ppStore) IPURE;                                      \
    MAPIMETHOD(GetFolder)(THIS_ LPMAPIFOLDER * ppFolder) IPURE;                             \
    MAPIMETHOD(GetMessage)(THIS_ LPMESSAGE * ppmsg) IPURE;                                  \
    MAPIMETHOD(GetFormManager)(THIS_ LPMAPIFORMMGR * ppFormMgr) IPURE;                      \
    MAPIMETHOD(NewMessage)(THIS_ ULONG fComposeInFolder, LPMAPIFOLDER pFolderFocus,         \
                           LPPERSISTMESSAGE pPersistMessage, LPMESSAGE * ppMessage,         \
                           LPMAPIMESSAGESITE * ppMessageSite,                               \
                           LPMAPIVIEWCONTEXT * ppViewContext) IPURE;                        \
    MAPIMETHOD(CopyMessage)(THIS_ LPMAPIFOLDER pFolderDestination) IPURE;                   \
    MAPIMETHOD(MoveMessage)(THIS_ LPMAPIFOLDER pFolderDestination,                          \
                            LPMAPIVIEWCONTEXT pViewContext, LPCRECT prcPosRect) IPURE;      \
    MAPIMETHOD(DeleteMessage)(THIS_ LPMAPIVIEWCONTEXT pViewContext, LPCRECT prcPosRect) IPURE; \
    MAPIMETHOD(SaveMessage)(THIS) IPURE;                                                    \
    MAPIMETHOD(SubmitMessage)(THIS_ ULONG ulFlags) IPURE;                                   \
    MAPIMETHOD(GetSiteStatus)(THIS_ LPULONG lpulStatus) IPURE;                              \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                          \
                             LPMAPIERROR * lppMAPIError) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIMessageSite
DECLARE_MAPI_INTERFACE_(IMAPIMessageSite, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIMESSAGESITE_METHODS(IPURE)
};

/* ---- IMAPIFormAdviseSink: what a form server hears from the viewer ------------------ */
#define MAPI_IMAPIFORMADVISESINK_METHODS(IPURE)                                             \
    MAPIMETHOD(OnChange)(THIS_ ULONG ulDir) IPURE;                                          \
    MAPIMETHOD(OnActivateNext)(THIS_ LPCSTR lpszMessageClass, ULONG ulMessageStatus,        \
                               ULONG ulMessageFlags,                                        \
                               LPPERSISTMESSAGE * ppPersistMessage) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIFormAdviseSink
DECLARE_MAPI_INTERFACE_(IMAPIFormAdviseSink, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIFORMADVISESINK_METHODS(IPURE)
};

/* ---- IMAPIViewContext: the viewer, as a form sees it --------------------------------- */
#define MAPI_IMAPIVIEWCONTEXT_METHODS(IPURE)                                                \
    MAPIMETHOD(SetAdviseSink)(THIS_ LPMAPIFORMADVISESINK pmvns) IPURE;                      \
    MAPIMETHOD(ActivateNext)(THIS_ ULONG ulDir, LPCRECT prcPosRect) IPURE;                  \
    MAPIMETHOD(GetPrintSetup)(THIS_ ULONG ulFlags,                                          \
                              LPFORMPRINTSETUP * lppFormPrintSetup) IPURE;                  \
    MAPIMETHOD(GetSaveStream)(THIS_ ULONG * pulFlags, ULONG * pulFormat,                    \
                              LPSTREAM * ppstm) IPURE;                                      \
    MAPIMETHOD(GetViewStatus)(THIS_ LPULONG lpulStatus) IPURE;                              \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                          \
                             LPMAPIERROR * lppMAPIError) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIViewContext
DECLARE_MAPI_INTERFACE_(IMAPIViewContext, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIVIEWCONTEXT_METHODS(IPURE)
};

/* ---- IMAPIViewAdviseSink: what the viewer hears from a form -------------------------- */
#define MAPI_IMAPIVIEWADVISESINK_METHODS(IPURE)                                             \
    MAPIMETHOD(OnShutdown)(THIS) IPURE;                                                     \
    MAPIMETHOD(OnNewMessage)(THIS) IPURE;                                                   \
    MAPIMETHOD(OnPrint)(THIS_ ULONG dwPageNumber, HRESULT hrStatus) IPURE;                  \
    MAPIMETHOD(OnSubmitted)(THIS) IPURE;                                                    \
    MAPIMETHOD(OnSaved)(THIS) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIViewAdviseSink
DECLARE_MAPI_INTERFACE_(IMAPIViewAdviseSink, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIVIEWADVISESINK_METHODS(IPURE)
};

/* ---- IMAPIForm: a form object --------------------------------------------------------- */
#define MAPI_IMAPIFORM_METHODS(IPURE)                                                       \
    MAPIMETHOD(SetViewContext)(THIS_ LPMAPIVIEWCONTEXT pViewContext) IPURE;                 \
    MAPIMETHOD(GetViewContext)(THIS_ LPMAPIVIEWCONTEXT * ppViewContext) IPURE;              \
    MAPIMETHOD(ShutdownForm)(THIS_ ULONG ulSaveOptions) IPURE;                              \
    MAPIMETHOD(DoVerb)(THIS_ LONG iVerb, LPMAPIVIEWCONTEXT lpViewContext,                   \
                       ULONG_PTR hwndParent, LPCRECT lprcPosRect) IPURE;                    \
    MAPIMETHOD(Advise)(THIS_ LPMAPIVIEWADVISESINK pAdvise, ULONG_PTR * pdwStatus) IPURE;    \
    MAPIMETHOD(Unadvise)(THIS_ ULONG_PTR ulConnection) IPURE;                               \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                          \
                             LPMAPIERROR * lppMAPIError) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIForm
DECLARE_MAPI_INTERFACE_(IMAPIForm, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIFORM_METHODS(IPURE)
};

/* ---- IMAPIFormFactory: form objects of a server with several classes ----------------- */
#define MAPI_IMAPIFORMFACTORY_METHODS(IPURE)                                                \
    MAPIMETHOD(CreateClassFactory)(THIS_ REFCLSID clsidForm, ULONG ulFlags,                 \
                                   LPCLASSFACTORY * lppClassFactory) IPURE;                 \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                          \
                             LPMAPIERROR * lppMAPIError) IPURE;                             \
    MAPIMETHOD(LockServer)(THIS_ ULONG ulFlags, ULONG fLockServer) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIFormFactory
DECLARE_MAPI_INTERFACE_(IMAPIFormFactory, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIFORMFACTORY_METHODS(IPURE)
};

/* ---- IMAPIFormInfo: one form's description ------------------------------------------- */
#define MAPI_IMAPIFORMINFO_METHODS(IPURE)                                                   \
    MAPIMETHOD(CalcFormPropSet)(THIS_ ULONG ulFlags,                                        \
                                LPMAPIFORMPROPARRAY * ppFormPropArray) IPURE;               \
    MAPIMETHOD(CalcVerbSet)(THIS_ ULONG ulFlags, LPMAPIVERBARRAY * ppMAPIVerbArray) IPURE;  \
    MAPIMETHOD(MakeIconFromBinary)(THIS_ ULONG nPropID, HICON * phicon) IPURE;              \
    MAPIMETHOD(SaveForm)(THIS_ LPCTSTR szFileName) IPURE;                                   \
    MAPIMETHOD(OpenFormContainer)(THIS_ LPMAPIFORMCONTAINER * ppformcontainer) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIFormInfo
DECLARE_MAPI_INTERFACE_(IMAPIFormInfo, IMAPIProp)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
    MAPI_IMAPIFORMINFO_METHODS(IPURE)
};

/* ---- IMAPIFormContainer: a form library ---------------------------------------------- */
#define MAPI_IMAPIFORMCONTAINER_METHODS(IPURE)                                              \
    MAPIMETHOD(InstallForm)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags,                       \
                            LPCTSTR szCfgPathName) IPURE;                                   \
    MAPIMETHOD(RemoveForm)(THIS_ LPCSTR szMessageClass) IPURE;                              \
    MAPIMETHOD(ResolveMessageClass)(THIS_ LPCSTR szMessageClass, ULONG ulFlags,             \
                                    LPMAPIFORMINFO * pforminfo) IPURE;                      \
    MAPIMETHOD(ResolveMultipleMessageClasses)(THIS_ LPSMESSAGECLASSARRAY pMsgClassArray,    \
                                              ULONG ulFlags,                                \
                                              LPSMAPIFORMINFOARRAY * ppfrminfoarray) IPURE; \
    MAPIMETHOD(CalcFormPropSet)(THIS_ ULONG ulFlags, LPMAPIFORMPROPARRAY * ppResults) IPURE; \
    MAPIMETHOD(GetDisplay)(THIS_ ULONG ulFlags, LPTSTR * pszDisplayName) IPURE;             \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                          \
                             LPMAPIERROR * lppMAPIError) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIFormContainer
DECLARE_MAPI_INTERFACE_(IMAPIFormContainer, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIFORMCONTAINER_METHODS(IPURE)
};

/* ---- IMAPIFormMgr: the form manager of a session ------------------------------------- */
#define MAPI_IMAPIFORMMGR_METHODS(IPURE)                                                    \
    MAPIMETHOD(LoadForm)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags, LPCSTR lpszMessageClass, \
                         ULONG ulMessageStatus, ULONG ulMessageFlags,                       \
                         LPMAPIFOLDER pFolderFocus, LPMAPIMESSAGESITE pMessageSite,         \
                         LPMESSAGE pmsg, LPMAPIVIEWCONTEXT pViewContext, REFIID riid,       \
                         LPVOID * ppvObj) IPURE;                                            \
    MAPIMETHOD(ResolveMessageClass)(THIS_ LPCSTR szMsgClass, ULONG ulFlags,                 \
                                    LPMAPIFOLDER pFolderFocus,                              \
                                    LPMAPIFORMINFO * ppResult) IPURE;                       \
    MAPIMETHOD(ResolveMultipleMessageClasses)(THIS_ LPSMESSAGECLASSARRAY pMsgClasses,       \
                                              ULONG ulFlags, LPMAPIFOLDER pFolderFocus,     \
                                              LPSMAPIFORMINFOARRAY * pfrminfoarray) IPURE;  \
    MAPIMETHOD(CalcFormPropSet)(THIS_ LPSMAPIFORMINFOARRAY pfrminfoarray, ULONG ulFlags,    \
                                LPMAPIFORMPROPARRAY * ppResults) IPURE;                     \
    MAPIMETHOD(CreateForm)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags,                        \
                           LPMAPIFORMINFO pfrminfoToActivate, REFIID refiidToAsk,           \
                           LPVOID * ppvObj) IPURE;                                          \
    MAPIMETHOD(SelectForm)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags, LPCTSTR pszTitle,      \
                           LPMAPIFOLDER pfld, LPMAPIFORMINFO * ppfrminfoReturned) IPURE;    \
    MAPIMETHOD(SelectMultipleForms)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags,               \
                                    LPCTSTR pszTitle, LPMAPIFOLDER pfld,                    \
                                    LPSMAPIFORMINFOARRAY pfrminfoarray,                     \
                                    LPSMAPIFORMINFOARRAY * ppfrminfoarray) IPURE;           \
    MAPIMETHOD(SelectFormContainer)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags,               \
                                    LPMAPIFORMCONTAINER * lppfcnt) IPURE;                   \
    MAPIMETHOD(OpenFormContainer)(THIS_ HFRMREG hfrmreg, LPUNKNOWN lpunk,                   \
                                  LPMAPIFORMCONTAINER * lppfcnt) IPURE;                     \
    MAPIMETHOD(PrepareForm)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags,                       \
                            LPMAPIFORMINFO pfrminfo) IPURE;                                 \
    MAPIMETHOD(IsInConflict)(THIS_ ULONG ulMessageFlags, ULONG ulMessageStatus,             \
                             LPCSTR szMessageClass, LPMAPIFOLDER pFolderFocus) IPURE;       \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                          \
                             LPMAPIERROR * lppMAPIError) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIFormMgr
DECLARE_MAPI_INTERFACE_(IMAPIFormMgr, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIFORMMGR_METHODS(IPURE)
};

/* ---- entry points ------------------------------------------------------------------- */
/*
 * The form manager of a session (which pSession must be), and the local
 * form library, each a new object the caller releases. Both libraries are
 * empty in freemapi (see the top of this file).
 */
STDAPI MAPIOpenFormMgr(LPMAPISESSION pSession, LPMAPIFORMMGR *ppmgr);
STDAPI MAPIOpenLocalFormContainer(LPMAPIFORMCONTAINER *ppfcnt);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPIFORM_H */
