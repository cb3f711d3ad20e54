/*
 * tests/headers/cxx_layout/fm_layout.h - what the layout test's translation
 * units share: the interfaces it covers and the call log.
 *
 * Three units see the same interfaces three ways: c_stubs.c (C: recording
 * stub objects with C vtables), cxx_objects.cpp (C++ without CINTERFACE:
 * classes implementing each interface, and calls in lpObj->Method(...)
 * style) and cinterface_calls.cpp (C++ with CINTERFACE: calls through
 * lpVtbl). Every method of every interface is called across each boundary,
 * and the callee must record its own name and the object it was called on.
 *
 * iface_list.inc lists the interfaces; FM_METHODS_<iface>(a) expands the
 * method lists of an interface and its bases, as its declaration does.
 * IMalloc, whose void methods a shared stub body cannot serve, is written
 * out by hand.
 */
#ifndef FM_LAYOUT_H
#define FM_LAYOUT_H

#include <mapix.h>
#include <mapiutil.h>
#include <edkmdb.h>
#include <iconvertersession.h>
#include <mapiform.h>
#include <mapispi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the call log: the last method that ran, on which object */
void fm_layout_record(const void *self, const char *method);
const char *fm_layout_last_method(void);
const void *fm_layout_last_self(void);
void fm_layout_reset(void);
/* Counts a failed check, printing what; returns -1 for the caller's sum. */
int fm_layout_fail(const char *fmt, ...);
int fm_layout_failures(void);

/* c_stubs.c: a stub object with a C vtable, and its slot count. */
void *fm_layout_c_object(const char *iface);
size_t fm_layout_c_slots(const char *iface);
/* cxx_objects.cpp: a C++ object implementing iface (as an iface pointer),
 * and calls of every method of obj in C++ style; returns the slots called. */
void *fm_layout_cxx_object(const char *iface);
void fm_layout_cxx_free(const char *iface, void *obj);
int fm_layout_cxx_call_all(const char *iface, void *obj);
/* cinterface_calls.cpp: every method of obj through lpVtbl. */
int fm_layout_cinterface_call_all(const char *iface, void *obj);
/* library.cpp: real library objects and the library calling C++ objects. */
int fm_layout_library_checks(const char *tmpdir);

#ifdef __cplusplus
}
#endif

#define FM_METHODS_IUnknown(a) MAPI_IUNKNOWN_METHODS(a)
#define FM_METHODS_ISequentialStream(a) MAPI_IUNKNOWN_METHODS(a) MAPI_ISEQUENTIALSTREAM_METHODS(a)
#define FM_METHODS_IStream(a) FM_METHODS_ISequentialStream(a) MAPI_ISTREAM_METHODS(a)
#define FM_METHODS_IMAPIProp(a) MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPIPROP_METHODS(a)
#define FM_METHODS_IMAPIAdviseSink(a) MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPIADVISESINK_METHODS(a)
#define FM_METHODS_IMAPIProgress(a) MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPIPROGRESS_METHODS(a)
#define FM_METHODS_IMAPITable(a) MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPITABLE_METHODS(a)
#define FM_METHODS_IProfSect(a) FM_METHODS_IMAPIProp(a) MAPI_IPROFSECT_METHODS(a)
#define FM_METHODS_IMAPIStatus(a) FM_METHODS_IMAPIProp(a) MAPI_IMAPISTATUS_METHODS(a)
#define FM_METHODS_IMAPIContainer(a) FM_METHODS_IMAPIProp(a) MAPI_IMAPICONTAINER_METHODS(a)
#define FM_METHODS_IMAPIFolder(a) FM_METHODS_IMAPIContainer(a) MAPI_IMAPIFOLDER_METHODS(a)
#define FM_METHODS_IMessage(a) FM_METHODS_IMAPIProp(a) MAPI_IMESSAGE_METHODS(a)
#define FM_METHODS_IAttach(a) FM_METHODS_IMAPIProp(a) MAPI_IATTACH_METHODS(a)
#define FM_METHODS_IMsgStore(a) FM_METHODS_IMAPIProp(a) MAPI_IMSGSTORE_METHODS(a)
#define FM_METHODS_IABContainer(a) FM_METHODS_IMAPIContainer(a) MAPI_IABCONTAINER_METHODS(a)
#define FM_METHODS_IMailUser(a) FM_METHODS_IMAPIProp(a) MAPI_IMAILUSER_METHODS(a)
#define FM_METHODS_IDistList(a) FM_METHODS_IMAPIContainer(a) MAPI_IDISTLIST_METHODS(a)
#define FM_METHODS_IPropData(a) FM_METHODS_IMAPIProp(a) MAPI_IMAPIPROPDATA_METHODS(a)
#define FM_METHODS_IAddrBook(a) FM_METHODS_IMAPIProp(a) MAPI_IADDRBOOK_METHODS(a)
#define FM_METHODS_IProviderAdmin(a) MAPI_IUNKNOWN_METHODS(a) MAPI_IPROVIDERADMIN_METHODS(a)
#define FM_METHODS_IMsgServiceAdmin(a) MAPI_IUNKNOWN_METHODS(a) MAPI_IMSGSERVICEADMIN_METHODS(a)
#define FM_METHODS_IProfAdmin(a) MAPI_IUNKNOWN_METHODS(a) MAPI_IPROFADMIN_METHODS(a)
#define FM_METHODS_IMAPISession(a) MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPISESSION_METHODS(a)
#define FM_METHODS_IExchangeManageStore(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IEXCHANGEMANAGESTORE_METHODS(a)

#define FM_METHODS_ITableData(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_ITABLEDATA_METHODS(a)
#define FM_METHODS_IMAPIControl(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPICONTROL_METHODS(a)
#define FM_METHODS_IMAPIClientShutdown(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPICLIENTSHUTDOWN_METHODS(a)
#define FM_METHODS_IMAPIProviderShutdown(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPIPROVIDERSHUTDOWN_METHODS(a)
#define FM_METHODS_IMSCapabilities(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMSCAPABILITIES_METHODS(a)
#define FM_METHODS_IMAPIGetSession(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPIGETSESSION_METHODS(a)
#define FM_METHODS_IFolderSupport(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IFOLDERSUPPORT_METHODS(a)
#define FM_METHODS_IAttachmentSecurity(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IATTACHMENTSECURITY_METHODS(a)
#define FM_METHODS_IClassFactory(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_ICLASSFACTORY_METHODS(a)
#define FM_METHODS_IConverterSession(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_ICONVERTERSESSION_METHODS(a)
#define FM_METHODS_IMAPISupport(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPISUPPORT_METHODS(a)
#define FM_METHODS_IMSProvider(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMSPROVIDER_METHODS(a)
#define FM_METHODS_IMSLogon(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMSLOGON_METHODS(a)
#define FM_METHODS_IABProvider(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IABPROVIDER_METHODS(a)
#define FM_METHODS_IABLogon(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IABLOGON_METHODS(a)
#define FM_METHODS_IXPProvider(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IXPPROVIDER_METHODS(a)
#define FM_METHODS_IXPLogon(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IXPLOGON_METHODS(a)
#define FM_METHODS_ISpoolerHook(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_ISPOOLERHOOK_METHODS(a)
#define FM_METHODS_IPersistMessage(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IPERSISTMESSAGE_METHODS(a)
#define FM_METHODS_IMAPIMessageSite(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPIMESSAGESITE_METHODS(a)
#define FM_METHODS_IMAPIFormAdviseSink(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPIFORMADVISESINK_METHODS(a)
#define FM_METHODS_IMAPIViewContext(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPIVIEWCONTEXT_METHODS(a)
#define FM_METHODS_IMAPIViewAdviseSink(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPIVIEWADVISESINK_METHODS(a)
#define FM_METHODS_IMAPIForm(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPIFORM_METHODS(a)
#define FM_METHODS_IMAPIFormFactory(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPIFORMFACTORY_METHODS(a)
#define FM_METHODS_IMAPIFormInfo(a) \
    FM_METHODS_IMAPIProp(a) MAPI_IMAPIFORMINFO_METHODS(a)
#define FM_METHODS_IMAPIFormContainer(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPIFORMCONTAINER_METHODS(a)
#define FM_METHODS_IMAPIFormMgr(a) \
    MAPI_IUNKNOWN_METHODS(a) MAPI_IMAPIFORMMGR_METHODS(a)

#define FM_CAT_(a, b) a##b
#define FM_CAT(a, b) FM_CAT_(a, b)
#define FM_STR_(a) #a
#define FM_STR(a) FM_STR_(a)
#define FM_EAT(...)

#endif /* FM_LAYOUT_H */
