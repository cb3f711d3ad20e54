/*
 * tests/headers/test_interfaces.c - every C call macro of every MAPI
 * interface reaches the method of the same name.
 *
 * The stubs are made from the headers' own method-list macros
 * (MAPI_IX_METHODS), expanded once into recording functions that note their
 * own name and the object they were called on, and once into statements
 * that put each stub into its slot. Calling X_Method(p, ...) must then land
 * in the stub named after Method, on p; a macro that named the wrong method
 * or passed another object fails. Each interface's test calls as many macros
 * as its vtable has slots, so no slot goes untested. Slot order against the
 * documentation is checked in test_layout.c.
 */
#include <string.h>

#include "fm_test.h"
#include "mapix.h"
#include "mapiutil.h"
#include "edkmdb.h"

static const char *last_hit;
static const void *last_this;

static void record(const void *self, const char *fn)
{
    last_hit = fn;
    last_this = self;
}

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define EAT(...)

/* ---- first expansion: one recording function per method and interface */
#undef MAPIMETHOD
#undef MAPIMETHOD_
#define MAPIMETHOD(m) static HRESULT STDMETHODCALLTYPE CAT(STUB_PREFIX, m)
#define MAPIMETHOD_(t, m) static t STDMETHODCALLTYPE CAT(STUB_PREFIX, m)
#define STUB_BODY                \
    {                            \
        record(This, __func__);  \
        return 0;                \
    }

#undef INTERFACE
#define INTERFACE IUnknown
#undef STUB_PREFIX
#define STUB_PREFIX IUnknown_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE ISequentialStream
#undef STUB_PREFIX
#define STUB_PREFIX ISequentialStream_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_ISEQUENTIALSTREAM_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IStream
#undef STUB_PREFIX
#define STUB_PREFIX IStream_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_ISEQUENTIALSTREAM_METHODS(STUB_BODY)
MAPI_ISTREAM_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IMAPIProp
#undef STUB_PREFIX
#define STUB_PREFIX IMAPIProp_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROP_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IMAPIAdviseSink
#undef STUB_PREFIX
#define STUB_PREFIX IMAPIAdviseSink_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIADVISESINK_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IMAPIProgress
#undef STUB_PREFIX
#define STUB_PREFIX IMAPIProgress_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROGRESS_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IMAPITable
#undef STUB_PREFIX
#define STUB_PREFIX IMAPITable_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPITABLE_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IProfSect
#undef STUB_PREFIX
#define STUB_PREFIX IProfSect_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROP_METHODS(STUB_BODY)
MAPI_IPROFSECT_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IMAPIStatus
#undef STUB_PREFIX
#define STUB_PREFIX IMAPIStatus_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROP_METHODS(STUB_BODY)
MAPI_IMAPISTATUS_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IMAPIContainer
#undef STUB_PREFIX
#define STUB_PREFIX IMAPIContainer_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROP_METHODS(STUB_BODY)
MAPI_IMAPICONTAINER_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IMAPIFolder
#undef STUB_PREFIX
#define STUB_PREFIX IMAPIFolder_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROP_METHODS(STUB_BODY)
MAPI_IMAPICONTAINER_METHODS(STUB_BODY)
MAPI_IMAPIFOLDER_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IMessage
#undef STUB_PREFIX
#define STUB_PREFIX IMessage_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROP_METHODS(STUB_BODY)
MAPI_IMESSAGE_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IAttach
#undef STUB_PREFIX
#define STUB_PREFIX IAttach_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROP_METHODS(STUB_BODY)
MAPI_IATTACH_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IMsgStore
#undef STUB_PREFIX
#define STUB_PREFIX IMsgStore_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROP_METHODS(STUB_BODY)
MAPI_IMSGSTORE_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IABContainer
#undef STUB_PREFIX
#define STUB_PREFIX IABContainer_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROP_METHODS(STUB_BODY)
MAPI_IMAPICONTAINER_METHODS(STUB_BODY)
MAPI_IABCONTAINER_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IMailUser
#undef STUB_PREFIX
#define STUB_PREFIX IMailUser_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROP_METHODS(STUB_BODY)
MAPI_IMAILUSER_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IDistList
#undef STUB_PREFIX
#define STUB_PREFIX IDistList_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROP_METHODS(STUB_BODY)
MAPI_IMAPICONTAINER_METHODS(STUB_BODY)
MAPI_IDISTLIST_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IPropData
#undef STUB_PREFIX
#define STUB_PREFIX IPropData_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROP_METHODS(STUB_BODY)
MAPI_IMAPIPROPDATA_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IAddrBook
#undef STUB_PREFIX
#define STUB_PREFIX IAddrBook_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPIPROP_METHODS(STUB_BODY)
MAPI_IADDRBOOK_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IProviderAdmin
#undef STUB_PREFIX
#define STUB_PREFIX IProviderAdmin_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IPROVIDERADMIN_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IMsgServiceAdmin
#undef STUB_PREFIX
#define STUB_PREFIX IMsgServiceAdmin_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMSGSERVICEADMIN_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IProfAdmin
#undef STUB_PREFIX
#define STUB_PREFIX IProfAdmin_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IPROFADMIN_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IMAPISession
#undef STUB_PREFIX
#define STUB_PREFIX IMAPISession_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IMAPISESSION_METHODS(STUB_BODY)

#undef INTERFACE
#define INTERFACE IExchangeManageStore
#undef STUB_PREFIX
#define STUB_PREFIX IExchangeManageStore_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)
MAPI_IEXCHANGEMANAGESTORE_METHODS(STUB_BODY)

/* IMalloc has void methods, which a shared body cannot serve. */
static void *STDMETHODCALLTYPE IMalloc_stub_Alloc(IMalloc *This, SIZE_T cb)
{
    record(This, __func__);
    return NULL;
}
static void *STDMETHODCALLTYPE IMalloc_stub_Realloc(IMalloc *This, void *pv, SIZE_T cb)
{
    record(This, __func__);
    return NULL;
}
static void STDMETHODCALLTYPE IMalloc_stub_Free(IMalloc *This, void *pv)
{
    record(This, __func__);
}
static SIZE_T STDMETHODCALLTYPE IMalloc_stub_GetSize(IMalloc *This, void *pv)
{
    record(This, __func__);
    return 0;
}
static int STDMETHODCALLTYPE IMalloc_stub_DidAlloc(IMalloc *This, void *pv)
{
    record(This, __func__);
    return 0;
}
static void STDMETHODCALLTYPE IMalloc_stub_HeapMinimize(IMalloc *This)
{
    record(This, __func__);
}
#undef INTERFACE
#define INTERFACE IMalloc
#undef STUB_PREFIX
#define STUB_PREFIX IMalloc_stub_
MAPI_IUNKNOWN_METHODS(STUB_BODY)

/* ---- second expansion: statements that fill a vtable by method name */
#undef MAPIMETHOD
#undef MAPIMETHOD_
#define MAPIMETHOD(m) vt->m = CAT(STUB_PREFIX, m); EAT
#define MAPIMETHOD_(t, m) vt->m = CAT(STUB_PREFIX, m); EAT

/* Calls one macro and checks which stub it reached, and on which object. */
#define CHECK_CALL(obj, stub, call)            \
    do {                                       \
        last_hit = NULL;                       \
        last_this = NULL;                      \
        (void)(call);                          \
        assert_non_null(last_hit);             \
        assert_string_equal(last_hit, stub);   \
        assert_ptr_equal(last_this, obj);      \
        calls++;                               \
    } while (0)

/* Number of slots in a vtable: every member is one function pointer. */
#define SLOTS(vtbl) (sizeof(vtbl) / sizeof(void (*)(void)))

static void every_iunknown_macro_reaches_its_own_method(void **state)
{
    IUnknownVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IUnknownVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IUnknown_stub_
    MAPI_IUNKNOWN_METHODS()
    IUnknown obj = { &vtbl };
    IUnknown *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IUnknown_stub_QueryInterface", IUnknown_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IUnknown_stub_AddRef", IUnknown_AddRef(p));
    CHECK_CALL(p, "IUnknown_stub_Release", IUnknown_Release(p));
    assert_int_equal(calls, SLOTS(IUnknownVtbl));
}

static void every_isequentialstream_macro_reaches_its_own_method(void **state)
{
    ISequentialStreamVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    ISequentialStreamVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX ISequentialStream_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_ISEQUENTIALSTREAM_METHODS()
    ISequentialStream obj = { &vtbl };
    ISequentialStream *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "ISequentialStream_stub_QueryInterface", ISequentialStream_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "ISequentialStream_stub_AddRef", ISequentialStream_AddRef(p));
    CHECK_CALL(p, "ISequentialStream_stub_Release", ISequentialStream_Release(p));
    CHECK_CALL(p, "ISequentialStream_stub_Read", ISequentialStream_Read(p, 0, 0, 0));
    CHECK_CALL(p, "ISequentialStream_stub_Write", ISequentialStream_Write(p, 0, 0, 0));
    assert_int_equal(calls, SLOTS(ISequentialStreamVtbl));
}

static void every_istream_macro_reaches_its_own_method(void **state)
{
    IStreamVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IStreamVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IStream_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_ISEQUENTIALSTREAM_METHODS()
    MAPI_ISTREAM_METHODS()
    IStream obj = { &vtbl };
    IStream *p = &obj;
    size_t calls = 0;
    LARGE_INTEGER li = { .QuadPart = 0 };
    ULARGE_INTEGER uli = { .QuadPart = 0 };
    CHECK_CALL(p, "IStream_stub_QueryInterface", IStream_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IStream_stub_AddRef", IStream_AddRef(p));
    CHECK_CALL(p, "IStream_stub_Release", IStream_Release(p));
    CHECK_CALL(p, "IStream_stub_Read", IStream_Read(p, 0, 0, 0));
    CHECK_CALL(p, "IStream_stub_Write", IStream_Write(p, 0, 0, 0));
    CHECK_CALL(p, "IStream_stub_Seek", IStream_Seek(p, li, 0, 0));
    CHECK_CALL(p, "IStream_stub_SetSize", IStream_SetSize(p, uli));
    CHECK_CALL(p, "IStream_stub_CopyTo", IStream_CopyTo(p, 0, uli, 0, 0));
    CHECK_CALL(p, "IStream_stub_Commit", IStream_Commit(p, 0));
    CHECK_CALL(p, "IStream_stub_Revert", IStream_Revert(p));
    CHECK_CALL(p, "IStream_stub_LockRegion", IStream_LockRegion(p, uli, uli, 0));
    CHECK_CALL(p, "IStream_stub_UnlockRegion", IStream_UnlockRegion(p, uli, uli, 0));
    CHECK_CALL(p, "IStream_stub_Stat", IStream_Stat(p, 0, 0));
    CHECK_CALL(p, "IStream_stub_Clone", IStream_Clone(p, 0));
    assert_int_equal(calls, SLOTS(IStreamVtbl));
}

static void every_imapiprop_macro_reaches_its_own_method(void **state)
{
    IMAPIPropVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IMAPIPropVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IMAPIProp_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROP_METHODS()
    IMAPIProp obj = { &vtbl };
    IMAPIProp *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IMAPIProp_stub_QueryInterface", IMAPIProp_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IMAPIProp_stub_AddRef", IMAPIProp_AddRef(p));
    CHECK_CALL(p, "IMAPIProp_stub_Release", IMAPIProp_Release(p));
    CHECK_CALL(p, "IMAPIProp_stub_GetLastError", IMAPIProp_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPIProp_stub_SaveChanges", IMAPIProp_SaveChanges(p, 0));
    CHECK_CALL(p, "IMAPIProp_stub_GetProps", IMAPIProp_GetProps(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIProp_stub_GetPropList", IMAPIProp_GetPropList(p, 0, 0));
    CHECK_CALL(p, "IMAPIProp_stub_OpenProperty", IMAPIProp_OpenProperty(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIProp_stub_SetProps", IMAPIProp_SetProps(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPIProp_stub_DeleteProps", IMAPIProp_DeleteProps(p, 0, 0));
    CHECK_CALL(p, "IMAPIProp_stub_CopyTo", IMAPIProp_CopyTo(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIProp_stub_CopyProps", IMAPIProp_CopyProps(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIProp_stub_GetNamesFromIDs", IMAPIProp_GetNamesFromIDs(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIProp_stub_GetIDsFromNames", IMAPIProp_GetIDsFromNames(p, 0, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IMAPIPropVtbl));
}

static void every_imapiadvisesink_macro_reaches_its_own_method(void **state)
{
    IMAPIAdviseSinkVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IMAPIAdviseSinkVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IMAPIAdviseSink_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIADVISESINK_METHODS()
    IMAPIAdviseSink obj = { &vtbl };
    IMAPIAdviseSink *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IMAPIAdviseSink_stub_QueryInterface", IMAPIAdviseSink_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IMAPIAdviseSink_stub_AddRef", IMAPIAdviseSink_AddRef(p));
    CHECK_CALL(p, "IMAPIAdviseSink_stub_Release", IMAPIAdviseSink_Release(p));
    CHECK_CALL(p, "IMAPIAdviseSink_stub_OnNotify", IMAPIAdviseSink_OnNotify(p, 0, 0));
    assert_int_equal(calls, SLOTS(IMAPIAdviseSinkVtbl));
}

static void every_imapiprogress_macro_reaches_its_own_method(void **state)
{
    IMAPIProgressVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IMAPIProgressVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IMAPIProgress_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROGRESS_METHODS()
    IMAPIProgress obj = { &vtbl };
    IMAPIProgress *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IMAPIProgress_stub_QueryInterface", IMAPIProgress_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IMAPIProgress_stub_AddRef", IMAPIProgress_AddRef(p));
    CHECK_CALL(p, "IMAPIProgress_stub_Release", IMAPIProgress_Release(p));
    CHECK_CALL(p, "IMAPIProgress_stub_Progress", IMAPIProgress_Progress(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPIProgress_stub_GetFlags", IMAPIProgress_GetFlags(p, 0));
    CHECK_CALL(p, "IMAPIProgress_stub_GetMax", IMAPIProgress_GetMax(p, 0));
    CHECK_CALL(p, "IMAPIProgress_stub_GetMin", IMAPIProgress_GetMin(p, 0));
    CHECK_CALL(p, "IMAPIProgress_stub_SetLimits", IMAPIProgress_SetLimits(p, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IMAPIProgressVtbl));
}

static void every_imapitable_macro_reaches_its_own_method(void **state)
{
    IMAPITableVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IMAPITableVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IMAPITable_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPITABLE_METHODS()
    IMAPITable obj = { &vtbl };
    IMAPITable *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IMAPITable_stub_QueryInterface", IMAPITable_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_AddRef", IMAPITable_AddRef(p));
    CHECK_CALL(p, "IMAPITable_stub_Release", IMAPITable_Release(p));
    CHECK_CALL(p, "IMAPITable_stub_GetLastError", IMAPITable_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_Advise", IMAPITable_Advise(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_Unadvise", IMAPITable_Unadvise(p, 0));
    CHECK_CALL(p, "IMAPITable_stub_GetStatus", IMAPITable_GetStatus(p, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_SetColumns", IMAPITable_SetColumns(p, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_QueryColumns", IMAPITable_QueryColumns(p, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_GetRowCount", IMAPITable_GetRowCount(p, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_SeekRow", IMAPITable_SeekRow(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_SeekRowApprox", IMAPITable_SeekRowApprox(p, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_QueryPosition", IMAPITable_QueryPosition(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_FindRow", IMAPITable_FindRow(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_Restrict", IMAPITable_Restrict(p, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_CreateBookmark", IMAPITable_CreateBookmark(p, 0));
    CHECK_CALL(p, "IMAPITable_stub_FreeBookmark", IMAPITable_FreeBookmark(p, 0));
    CHECK_CALL(p, "IMAPITable_stub_SortTable", IMAPITable_SortTable(p, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_QuerySortOrder", IMAPITable_QuerySortOrder(p, 0));
    CHECK_CALL(p, "IMAPITable_stub_QueryRows", IMAPITable_QueryRows(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_Abort", IMAPITable_Abort(p));
    CHECK_CALL(p, "IMAPITable_stub_ExpandRow", IMAPITable_ExpandRow(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_CollapseRow", IMAPITable_CollapseRow(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_WaitForCompletion", IMAPITable_WaitForCompletion(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_GetCollapseState", IMAPITable_GetCollapseState(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPITable_stub_SetCollapseState", IMAPITable_SetCollapseState(p, 0, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IMAPITableVtbl));
}

static void every_iprofsect_macro_reaches_its_own_method(void **state)
{
    IProfSectVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IProfSectVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IProfSect_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROP_METHODS()
    MAPI_IPROFSECT_METHODS()
    IProfSect obj = { &vtbl };
    IProfSect *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IProfSect_stub_QueryInterface", IProfSect_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IProfSect_stub_AddRef", IProfSect_AddRef(p));
    CHECK_CALL(p, "IProfSect_stub_Release", IProfSect_Release(p));
    CHECK_CALL(p, "IProfSect_stub_GetLastError", IProfSect_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IProfSect_stub_SaveChanges", IProfSect_SaveChanges(p, 0));
    CHECK_CALL(p, "IProfSect_stub_GetProps", IProfSect_GetProps(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IProfSect_stub_GetPropList", IProfSect_GetPropList(p, 0, 0));
    CHECK_CALL(p, "IProfSect_stub_OpenProperty", IProfSect_OpenProperty(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IProfSect_stub_SetProps", IProfSect_SetProps(p, 0, 0, 0));
    CHECK_CALL(p, "IProfSect_stub_DeleteProps", IProfSect_DeleteProps(p, 0, 0));
    CHECK_CALL(p, "IProfSect_stub_CopyTo", IProfSect_CopyTo(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IProfSect_stub_CopyProps", IProfSect_CopyProps(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IProfSect_stub_GetNamesFromIDs", IProfSect_GetNamesFromIDs(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IProfSect_stub_GetIDsFromNames", IProfSect_GetIDsFromNames(p, 0, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IProfSectVtbl));
}

static void every_imapistatus_macro_reaches_its_own_method(void **state)
{
    IMAPIStatusVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IMAPIStatusVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IMAPIStatus_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROP_METHODS()
    MAPI_IMAPISTATUS_METHODS()
    IMAPIStatus obj = { &vtbl };
    IMAPIStatus *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IMAPIStatus_stub_QueryInterface", IMAPIStatus_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_AddRef", IMAPIStatus_AddRef(p));
    CHECK_CALL(p, "IMAPIStatus_stub_Release", IMAPIStatus_Release(p));
    CHECK_CALL(p, "IMAPIStatus_stub_GetLastError", IMAPIStatus_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_SaveChanges", IMAPIStatus_SaveChanges(p, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_GetProps", IMAPIStatus_GetProps(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_GetPropList", IMAPIStatus_GetPropList(p, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_OpenProperty", IMAPIStatus_OpenProperty(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_SetProps", IMAPIStatus_SetProps(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_DeleteProps", IMAPIStatus_DeleteProps(p, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_CopyTo", IMAPIStatus_CopyTo(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_CopyProps", IMAPIStatus_CopyProps(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_GetNamesFromIDs", IMAPIStatus_GetNamesFromIDs(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_GetIDsFromNames", IMAPIStatus_GetIDsFromNames(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_ValidateState", IMAPIStatus_ValidateState(p, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_SettingsDialog", IMAPIStatus_SettingsDialog(p, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_ChangePassword", IMAPIStatus_ChangePassword(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPIStatus_stub_FlushQueues", IMAPIStatus_FlushQueues(p, 0, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IMAPIStatusVtbl));
}

static void every_imapicontainer_macro_reaches_its_own_method(void **state)
{
    IMAPIContainerVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IMAPIContainerVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IMAPIContainer_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROP_METHODS()
    MAPI_IMAPICONTAINER_METHODS()
    IMAPIContainer obj = { &vtbl };
    IMAPIContainer *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IMAPIContainer_stub_QueryInterface", IMAPIContainer_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_AddRef", IMAPIContainer_AddRef(p));
    CHECK_CALL(p, "IMAPIContainer_stub_Release", IMAPIContainer_Release(p));
    CHECK_CALL(p, "IMAPIContainer_stub_GetLastError", IMAPIContainer_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_SaveChanges", IMAPIContainer_SaveChanges(p, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_GetProps", IMAPIContainer_GetProps(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_GetPropList", IMAPIContainer_GetPropList(p, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_OpenProperty", IMAPIContainer_OpenProperty(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_SetProps", IMAPIContainer_SetProps(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_DeleteProps", IMAPIContainer_DeleteProps(p, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_CopyTo", IMAPIContainer_CopyTo(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_CopyProps", IMAPIContainer_CopyProps(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_GetNamesFromIDs", IMAPIContainer_GetNamesFromIDs(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_GetIDsFromNames", IMAPIContainer_GetIDsFromNames(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_GetContentsTable", IMAPIContainer_GetContentsTable(p, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_GetHierarchyTable", IMAPIContainer_GetHierarchyTable(p, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_OpenEntry", IMAPIContainer_OpenEntry(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_SetSearchCriteria", IMAPIContainer_SetSearchCriteria(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPIContainer_stub_GetSearchCriteria", IMAPIContainer_GetSearchCriteria(p, 0, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IMAPIContainerVtbl));
}

static void every_imapifolder_macro_reaches_its_own_method(void **state)
{
    IMAPIFolderVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IMAPIFolderVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IMAPIFolder_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROP_METHODS()
    MAPI_IMAPICONTAINER_METHODS()
    MAPI_IMAPIFOLDER_METHODS()
    IMAPIFolder obj = { &vtbl };
    IMAPIFolder *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IMAPIFolder_stub_QueryInterface", IMAPIFolder_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_AddRef", IMAPIFolder_AddRef(p));
    CHECK_CALL(p, "IMAPIFolder_stub_Release", IMAPIFolder_Release(p));
    CHECK_CALL(p, "IMAPIFolder_stub_GetLastError", IMAPIFolder_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_SaveChanges", IMAPIFolder_SaveChanges(p, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_GetProps", IMAPIFolder_GetProps(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_GetPropList", IMAPIFolder_GetPropList(p, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_OpenProperty", IMAPIFolder_OpenProperty(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_SetProps", IMAPIFolder_SetProps(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_DeleteProps", IMAPIFolder_DeleteProps(p, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_CopyTo", IMAPIFolder_CopyTo(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_CopyProps", IMAPIFolder_CopyProps(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_GetNamesFromIDs", IMAPIFolder_GetNamesFromIDs(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_GetIDsFromNames", IMAPIFolder_GetIDsFromNames(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_GetContentsTable", IMAPIFolder_GetContentsTable(p, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_GetHierarchyTable", IMAPIFolder_GetHierarchyTable(p, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_OpenEntry", IMAPIFolder_OpenEntry(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_SetSearchCriteria", IMAPIFolder_SetSearchCriteria(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_GetSearchCriteria", IMAPIFolder_GetSearchCriteria(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_CreateMessage", IMAPIFolder_CreateMessage(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_CopyMessages", IMAPIFolder_CopyMessages(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_DeleteMessages", IMAPIFolder_DeleteMessages(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_CreateFolder", IMAPIFolder_CreateFolder(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_CopyFolder", IMAPIFolder_CopyFolder(p, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_DeleteFolder", IMAPIFolder_DeleteFolder(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_SetReadFlags", IMAPIFolder_SetReadFlags(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_GetMessageStatus", IMAPIFolder_GetMessageStatus(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_SetMessageStatus", IMAPIFolder_SetMessageStatus(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_SaveContentsSort", IMAPIFolder_SaveContentsSort(p, 0, 0));
    CHECK_CALL(p, "IMAPIFolder_stub_EmptyFolder", IMAPIFolder_EmptyFolder(p, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IMAPIFolderVtbl));
}

static void every_imessage_macro_reaches_its_own_method(void **state)
{
    IMessageVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IMessageVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IMessage_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROP_METHODS()
    MAPI_IMESSAGE_METHODS()
    IMessage obj = { &vtbl };
    IMessage *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IMessage_stub_QueryInterface", IMessage_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IMessage_stub_AddRef", IMessage_AddRef(p));
    CHECK_CALL(p, "IMessage_stub_Release", IMessage_Release(p));
    CHECK_CALL(p, "IMessage_stub_GetLastError", IMessage_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IMessage_stub_SaveChanges", IMessage_SaveChanges(p, 0));
    CHECK_CALL(p, "IMessage_stub_GetProps", IMessage_GetProps(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMessage_stub_GetPropList", IMessage_GetPropList(p, 0, 0));
    CHECK_CALL(p, "IMessage_stub_OpenProperty", IMessage_OpenProperty(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMessage_stub_SetProps", IMessage_SetProps(p, 0, 0, 0));
    CHECK_CALL(p, "IMessage_stub_DeleteProps", IMessage_DeleteProps(p, 0, 0));
    CHECK_CALL(p, "IMessage_stub_CopyTo", IMessage_CopyTo(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMessage_stub_CopyProps", IMessage_CopyProps(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMessage_stub_GetNamesFromIDs", IMessage_GetNamesFromIDs(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMessage_stub_GetIDsFromNames", IMessage_GetIDsFromNames(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMessage_stub_GetAttachmentTable", IMessage_GetAttachmentTable(p, 0, 0));
    CHECK_CALL(p, "IMessage_stub_OpenAttach", IMessage_OpenAttach(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMessage_stub_CreateAttach", IMessage_CreateAttach(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMessage_stub_DeleteAttach", IMessage_DeleteAttach(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMessage_stub_GetRecipientTable", IMessage_GetRecipientTable(p, 0, 0));
    CHECK_CALL(p, "IMessage_stub_ModifyRecipients", IMessage_ModifyRecipients(p, 0, 0));
    CHECK_CALL(p, "IMessage_stub_SubmitMessage", IMessage_SubmitMessage(p, 0));
    CHECK_CALL(p, "IMessage_stub_SetReadFlag", IMessage_SetReadFlag(p, 0));
    assert_int_equal(calls, SLOTS(IMessageVtbl));
}

static void every_iattach_macro_reaches_its_own_method(void **state)
{
    IAttachVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IAttachVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IAttach_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROP_METHODS()
    MAPI_IATTACH_METHODS()
    IAttach obj = { &vtbl };
    IAttach *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IAttach_stub_QueryInterface", IAttach_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IAttach_stub_AddRef", IAttach_AddRef(p));
    CHECK_CALL(p, "IAttach_stub_Release", IAttach_Release(p));
    CHECK_CALL(p, "IAttach_stub_GetLastError", IAttach_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IAttach_stub_SaveChanges", IAttach_SaveChanges(p, 0));
    CHECK_CALL(p, "IAttach_stub_GetProps", IAttach_GetProps(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IAttach_stub_GetPropList", IAttach_GetPropList(p, 0, 0));
    CHECK_CALL(p, "IAttach_stub_OpenProperty", IAttach_OpenProperty(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAttach_stub_SetProps", IAttach_SetProps(p, 0, 0, 0));
    CHECK_CALL(p, "IAttach_stub_DeleteProps", IAttach_DeleteProps(p, 0, 0));
    CHECK_CALL(p, "IAttach_stub_CopyTo", IAttach_CopyTo(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAttach_stub_CopyProps", IAttach_CopyProps(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAttach_stub_GetNamesFromIDs", IAttach_GetNamesFromIDs(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAttach_stub_GetIDsFromNames", IAttach_GetIDsFromNames(p, 0, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IAttachVtbl));
}

static void every_imsgstore_macro_reaches_its_own_method(void **state)
{
    IMsgStoreVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IMsgStoreVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IMsgStore_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROP_METHODS()
    MAPI_IMSGSTORE_METHODS()
    IMsgStore obj = { &vtbl };
    IMsgStore *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IMsgStore_stub_QueryInterface", IMsgStore_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_AddRef", IMsgStore_AddRef(p));
    CHECK_CALL(p, "IMsgStore_stub_Release", IMsgStore_Release(p));
    CHECK_CALL(p, "IMsgStore_stub_GetLastError", IMsgStore_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_SaveChanges", IMsgStore_SaveChanges(p, 0));
    CHECK_CALL(p, "IMsgStore_stub_GetProps", IMsgStore_GetProps(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_GetPropList", IMsgStore_GetPropList(p, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_OpenProperty", IMsgStore_OpenProperty(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_SetProps", IMsgStore_SetProps(p, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_DeleteProps", IMsgStore_DeleteProps(p, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_CopyTo", IMsgStore_CopyTo(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_CopyProps", IMsgStore_CopyProps(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_GetNamesFromIDs", IMsgStore_GetNamesFromIDs(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_GetIDsFromNames", IMsgStore_GetIDsFromNames(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_Advise", IMsgStore_Advise(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_Unadvise", IMsgStore_Unadvise(p, 0));
    CHECK_CALL(p, "IMsgStore_stub_CompareEntryIDs", IMsgStore_CompareEntryIDs(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_OpenEntry", IMsgStore_OpenEntry(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_SetReceiveFolder", IMsgStore_SetReceiveFolder(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_GetReceiveFolder", IMsgStore_GetReceiveFolder(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_GetReceiveFolderTable", IMsgStore_GetReceiveFolderTable(p, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_StoreLogoff", IMsgStore_StoreLogoff(p, 0));
    CHECK_CALL(p, "IMsgStore_stub_AbortSubmit", IMsgStore_AbortSubmit(p, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_GetOutgoingQueue", IMsgStore_GetOutgoingQueue(p, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_SetLockState", IMsgStore_SetLockState(p, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_FinishedMsg", IMsgStore_FinishedMsg(p, 0, 0, 0));
    CHECK_CALL(p, "IMsgStore_stub_NotifyNewMail", IMsgStore_NotifyNewMail(p, 0));
    assert_int_equal(calls, SLOTS(IMsgStoreVtbl));
}

static void every_iabcontainer_macro_reaches_its_own_method(void **state)
{
    IABContainerVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IABContainerVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IABContainer_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROP_METHODS()
    MAPI_IMAPICONTAINER_METHODS()
    MAPI_IABCONTAINER_METHODS()
    IABContainer obj = { &vtbl };
    IABContainer *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IABContainer_stub_QueryInterface", IABContainer_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_AddRef", IABContainer_AddRef(p));
    CHECK_CALL(p, "IABContainer_stub_Release", IABContainer_Release(p));
    CHECK_CALL(p, "IABContainer_stub_GetLastError", IABContainer_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_SaveChanges", IABContainer_SaveChanges(p, 0));
    CHECK_CALL(p, "IABContainer_stub_GetProps", IABContainer_GetProps(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_GetPropList", IABContainer_GetPropList(p, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_OpenProperty", IABContainer_OpenProperty(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_SetProps", IABContainer_SetProps(p, 0, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_DeleteProps", IABContainer_DeleteProps(p, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_CopyTo", IABContainer_CopyTo(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_CopyProps", IABContainer_CopyProps(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_GetNamesFromIDs", IABContainer_GetNamesFromIDs(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_GetIDsFromNames", IABContainer_GetIDsFromNames(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_GetContentsTable", IABContainer_GetContentsTable(p, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_GetHierarchyTable", IABContainer_GetHierarchyTable(p, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_OpenEntry", IABContainer_OpenEntry(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_SetSearchCriteria", IABContainer_SetSearchCriteria(p, 0, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_GetSearchCriteria", IABContainer_GetSearchCriteria(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_CreateEntry", IABContainer_CreateEntry(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_CopyEntries", IABContainer_CopyEntries(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_DeleteEntries", IABContainer_DeleteEntries(p, 0, 0));
    CHECK_CALL(p, "IABContainer_stub_ResolveNames", IABContainer_ResolveNames(p, 0, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IABContainerVtbl));
}

static void every_imailuser_macro_reaches_its_own_method(void **state)
{
    IMailUserVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IMailUserVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IMailUser_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROP_METHODS()
    MAPI_IMAILUSER_METHODS()
    IMailUser obj = { &vtbl };
    IMailUser *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IMailUser_stub_QueryInterface", IMailUser_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IMailUser_stub_AddRef", IMailUser_AddRef(p));
    CHECK_CALL(p, "IMailUser_stub_Release", IMailUser_Release(p));
    CHECK_CALL(p, "IMailUser_stub_GetLastError", IMailUser_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IMailUser_stub_SaveChanges", IMailUser_SaveChanges(p, 0));
    CHECK_CALL(p, "IMailUser_stub_GetProps", IMailUser_GetProps(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMailUser_stub_GetPropList", IMailUser_GetPropList(p, 0, 0));
    CHECK_CALL(p, "IMailUser_stub_OpenProperty", IMailUser_OpenProperty(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMailUser_stub_SetProps", IMailUser_SetProps(p, 0, 0, 0));
    CHECK_CALL(p, "IMailUser_stub_DeleteProps", IMailUser_DeleteProps(p, 0, 0));
    CHECK_CALL(p, "IMailUser_stub_CopyTo", IMailUser_CopyTo(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMailUser_stub_CopyProps", IMailUser_CopyProps(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMailUser_stub_GetNamesFromIDs", IMailUser_GetNamesFromIDs(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMailUser_stub_GetIDsFromNames", IMailUser_GetIDsFromNames(p, 0, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IMailUserVtbl));
}

static void every_idistlist_macro_reaches_its_own_method(void **state)
{
    IDistListVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IDistListVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IDistList_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROP_METHODS()
    MAPI_IMAPICONTAINER_METHODS()
    MAPI_IDISTLIST_METHODS()
    IDistList obj = { &vtbl };
    IDistList *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IDistList_stub_QueryInterface", IDistList_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IDistList_stub_AddRef", IDistList_AddRef(p));
    CHECK_CALL(p, "IDistList_stub_Release", IDistList_Release(p));
    CHECK_CALL(p, "IDistList_stub_GetLastError", IDistList_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IDistList_stub_SaveChanges", IDistList_SaveChanges(p, 0));
    CHECK_CALL(p, "IDistList_stub_GetProps", IDistList_GetProps(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IDistList_stub_GetPropList", IDistList_GetPropList(p, 0, 0));
    CHECK_CALL(p, "IDistList_stub_OpenProperty", IDistList_OpenProperty(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IDistList_stub_SetProps", IDistList_SetProps(p, 0, 0, 0));
    CHECK_CALL(p, "IDistList_stub_DeleteProps", IDistList_DeleteProps(p, 0, 0));
    CHECK_CALL(p, "IDistList_stub_CopyTo", IDistList_CopyTo(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IDistList_stub_CopyProps", IDistList_CopyProps(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IDistList_stub_GetNamesFromIDs", IDistList_GetNamesFromIDs(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IDistList_stub_GetIDsFromNames", IDistList_GetIDsFromNames(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IDistList_stub_GetContentsTable", IDistList_GetContentsTable(p, 0, 0));
    CHECK_CALL(p, "IDistList_stub_GetHierarchyTable", IDistList_GetHierarchyTable(p, 0, 0));
    CHECK_CALL(p, "IDistList_stub_OpenEntry", IDistList_OpenEntry(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IDistList_stub_SetSearchCriteria", IDistList_SetSearchCriteria(p, 0, 0, 0));
    CHECK_CALL(p, "IDistList_stub_GetSearchCriteria", IDistList_GetSearchCriteria(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IDistList_stub_CreateEntry", IDistList_CreateEntry(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IDistList_stub_CopyEntries", IDistList_CopyEntries(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IDistList_stub_DeleteEntries", IDistList_DeleteEntries(p, 0, 0));
    CHECK_CALL(p, "IDistList_stub_ResolveNames", IDistList_ResolveNames(p, 0, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IDistListVtbl));
}

static void every_ipropdata_macro_reaches_its_own_method(void **state)
{
    IPropDataVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IPropDataVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IPropData_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROP_METHODS()
    MAPI_IMAPIPROPDATA_METHODS()
    IPropData obj = { &vtbl };
    IPropData *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IPropData_stub_QueryInterface", IPropData_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IPropData_stub_AddRef", IPropData_AddRef(p));
    CHECK_CALL(p, "IPropData_stub_Release", IPropData_Release(p));
    CHECK_CALL(p, "IPropData_stub_GetLastError", IPropData_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IPropData_stub_SaveChanges", IPropData_SaveChanges(p, 0));
    CHECK_CALL(p, "IPropData_stub_GetProps", IPropData_GetProps(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IPropData_stub_GetPropList", IPropData_GetPropList(p, 0, 0));
    CHECK_CALL(p, "IPropData_stub_OpenProperty", IPropData_OpenProperty(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IPropData_stub_SetProps", IPropData_SetProps(p, 0, 0, 0));
    CHECK_CALL(p, "IPropData_stub_DeleteProps", IPropData_DeleteProps(p, 0, 0));
    CHECK_CALL(p, "IPropData_stub_CopyTo", IPropData_CopyTo(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IPropData_stub_CopyProps", IPropData_CopyProps(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IPropData_stub_GetNamesFromIDs", IPropData_GetNamesFromIDs(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IPropData_stub_GetIDsFromNames", IPropData_GetIDsFromNames(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IPropData_stub_HrSetObjAccess", IPropData_HrSetObjAccess(p, 0));
    CHECK_CALL(p, "IPropData_stub_HrSetPropAccess", IPropData_HrSetPropAccess(p, 0, 0));
    CHECK_CALL(p, "IPropData_stub_HrGetPropAccess", IPropData_HrGetPropAccess(p, 0, 0));
    CHECK_CALL(p, "IPropData_stub_HrAddObjProps", IPropData_HrAddObjProps(p, 0, 0));
    assert_int_equal(calls, SLOTS(IPropDataVtbl));
}

static void every_iaddrbook_macro_reaches_its_own_method(void **state)
{
    IAddrBookVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IAddrBookVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IAddrBook_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPIPROP_METHODS()
    MAPI_IADDRBOOK_METHODS()
    IAddrBook obj = { &vtbl };
    IAddrBook *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IAddrBook_stub_QueryInterface", IAddrBook_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_AddRef", IAddrBook_AddRef(p));
    CHECK_CALL(p, "IAddrBook_stub_Release", IAddrBook_Release(p));
    CHECK_CALL(p, "IAddrBook_stub_GetLastError", IAddrBook_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_SaveChanges", IAddrBook_SaveChanges(p, 0));
    CHECK_CALL(p, "IAddrBook_stub_GetProps", IAddrBook_GetProps(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_GetPropList", IAddrBook_GetPropList(p, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_OpenProperty", IAddrBook_OpenProperty(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_SetProps", IAddrBook_SetProps(p, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_DeleteProps", IAddrBook_DeleteProps(p, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_CopyTo", IAddrBook_CopyTo(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_CopyProps", IAddrBook_CopyProps(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_GetNamesFromIDs", IAddrBook_GetNamesFromIDs(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_GetIDsFromNames", IAddrBook_GetIDsFromNames(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_OpenEntry", IAddrBook_OpenEntry(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_CompareEntryIDs", IAddrBook_CompareEntryIDs(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_Advise", IAddrBook_Advise(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_Unadvise", IAddrBook_Unadvise(p, 0));
    CHECK_CALL(p, "IAddrBook_stub_CreateOneOff", IAddrBook_CreateOneOff(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_NewEntry", IAddrBook_NewEntry(p, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_ResolveName", IAddrBook_ResolveName(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_Address", IAddrBook_Address(p, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_Details", IAddrBook_Details(p, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_RecipOptions", IAddrBook_RecipOptions(p, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_QueryDefaultRecipOpt", IAddrBook_QueryDefaultRecipOpt(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_GetPAB", IAddrBook_GetPAB(p, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_SetPAB", IAddrBook_SetPAB(p, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_GetDefaultDir", IAddrBook_GetDefaultDir(p, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_SetDefaultDir", IAddrBook_SetDefaultDir(p, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_GetSearchPath", IAddrBook_GetSearchPath(p, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_SetSearchPath", IAddrBook_SetSearchPath(p, 0, 0));
    CHECK_CALL(p, "IAddrBook_stub_PrepareRecips", IAddrBook_PrepareRecips(p, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IAddrBookVtbl));
}

static void every_iprovideradmin_macro_reaches_its_own_method(void **state)
{
    IProviderAdminVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IProviderAdminVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IProviderAdmin_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IPROVIDERADMIN_METHODS()
    IProviderAdmin obj = { &vtbl };
    IProviderAdmin *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IProviderAdmin_stub_QueryInterface", IProviderAdmin_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IProviderAdmin_stub_AddRef", IProviderAdmin_AddRef(p));
    CHECK_CALL(p, "IProviderAdmin_stub_Release", IProviderAdmin_Release(p));
    CHECK_CALL(p, "IProviderAdmin_stub_GetLastError", IProviderAdmin_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IProviderAdmin_stub_GetProviderTable", IProviderAdmin_GetProviderTable(p, 0, 0));
    CHECK_CALL(p, "IProviderAdmin_stub_CreateProvider", IProviderAdmin_CreateProvider(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IProviderAdmin_stub_DeleteProvider", IProviderAdmin_DeleteProvider(p, 0));
    CHECK_CALL(p, "IProviderAdmin_stub_OpenProfileSection", IProviderAdmin_OpenProfileSection(p, 0, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IProviderAdminVtbl));
}

static void every_imsgserviceadmin_macro_reaches_its_own_method(void **state)
{
    IMsgServiceAdminVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IMsgServiceAdminVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IMsgServiceAdmin_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMSGSERVICEADMIN_METHODS()
    IMsgServiceAdmin obj = { &vtbl };
    IMsgServiceAdmin *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IMsgServiceAdmin_stub_QueryInterface", IMsgServiceAdmin_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_AddRef", IMsgServiceAdmin_AddRef(p));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_Release", IMsgServiceAdmin_Release(p));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_GetLastError", IMsgServiceAdmin_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_GetMsgServiceTable", IMsgServiceAdmin_GetMsgServiceTable(p, 0, 0));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_CreateMsgService", IMsgServiceAdmin_CreateMsgService(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_DeleteMsgService", IMsgServiceAdmin_DeleteMsgService(p, 0));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_CopyMsgService", IMsgServiceAdmin_CopyMsgService(p, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_RenameMsgService", IMsgServiceAdmin_RenameMsgService(p, 0, 0, 0));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_ConfigureMsgService", IMsgServiceAdmin_ConfigureMsgService(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_OpenProfileSection", IMsgServiceAdmin_OpenProfileSection(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_MsgServiceTransportOrder", IMsgServiceAdmin_MsgServiceTransportOrder(p, 0, 0, 0));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_AdminProviders", IMsgServiceAdmin_AdminProviders(p, 0, 0, 0));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_SetPrimaryIdentity", IMsgServiceAdmin_SetPrimaryIdentity(p, 0, 0));
    CHECK_CALL(p, "IMsgServiceAdmin_stub_GetProviderTable", IMsgServiceAdmin_GetProviderTable(p, 0, 0));
    assert_int_equal(calls, SLOTS(IMsgServiceAdminVtbl));
}

static void every_iprofadmin_macro_reaches_its_own_method(void **state)
{
    IProfAdminVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IProfAdminVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IProfAdmin_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IPROFADMIN_METHODS()
    IProfAdmin obj = { &vtbl };
    IProfAdmin *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IProfAdmin_stub_QueryInterface", IProfAdmin_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IProfAdmin_stub_AddRef", IProfAdmin_AddRef(p));
    CHECK_CALL(p, "IProfAdmin_stub_Release", IProfAdmin_Release(p));
    CHECK_CALL(p, "IProfAdmin_stub_GetLastError", IProfAdmin_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IProfAdmin_stub_GetProfileTable", IProfAdmin_GetProfileTable(p, 0, 0));
    CHECK_CALL(p, "IProfAdmin_stub_CreateProfile", IProfAdmin_CreateProfile(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IProfAdmin_stub_DeleteProfile", IProfAdmin_DeleteProfile(p, 0, 0));
    CHECK_CALL(p, "IProfAdmin_stub_ChangeProfilePassword", IProfAdmin_ChangeProfilePassword(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IProfAdmin_stub_CopyProfile", IProfAdmin_CopyProfile(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IProfAdmin_stub_RenameProfile", IProfAdmin_RenameProfile(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IProfAdmin_stub_SetDefaultProfile", IProfAdmin_SetDefaultProfile(p, 0, 0));
    CHECK_CALL(p, "IProfAdmin_stub_AdminServices", IProfAdmin_AdminServices(p, 0, 0, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IProfAdminVtbl));
}

static void every_imapisession_macro_reaches_its_own_method(void **state)
{
    IMAPISessionVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IMAPISessionVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IMAPISession_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMAPISESSION_METHODS()
    IMAPISession obj = { &vtbl };
    IMAPISession *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IMAPISession_stub_QueryInterface", IMAPISession_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_AddRef", IMAPISession_AddRef(p));
    CHECK_CALL(p, "IMAPISession_stub_Release", IMAPISession_Release(p));
    CHECK_CALL(p, "IMAPISession_stub_GetLastError", IMAPISession_GetLastError(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_GetMsgStoresTable", IMAPISession_GetMsgStoresTable(p, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_OpenMsgStore", IMAPISession_OpenMsgStore(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_OpenAddressBook", IMAPISession_OpenAddressBook(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_OpenProfileSection", IMAPISession_OpenProfileSection(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_GetStatusTable", IMAPISession_GetStatusTable(p, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_OpenEntry", IMAPISession_OpenEntry(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_CompareEntryIDs", IMAPISession_CompareEntryIDs(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_Advise", IMAPISession_Advise(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_Unadvise", IMAPISession_Unadvise(p, 0));
    CHECK_CALL(p, "IMAPISession_stub_MessageOptions", IMAPISession_MessageOptions(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_QueryDefaultMessageOpt", IMAPISession_QueryDefaultMessageOpt(p, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_EnumAdrTypes", IMAPISession_EnumAdrTypes(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_QueryIdentity", IMAPISession_QueryIdentity(p, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_Logoff", IMAPISession_Logoff(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_SetDefaultStore", IMAPISession_SetDefaultStore(p, 0, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_AdminServices", IMAPISession_AdminServices(p, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_ShowForm", IMAPISession_ShowForm(p, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IMAPISession_stub_PrepareForm", IMAPISession_PrepareForm(p, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IMAPISessionVtbl));
}

static void every_iexchangemanagestore_macro_reaches_its_own_method(void **state)
{
    IExchangeManageStoreVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IExchangeManageStoreVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IExchangeManageStore_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IEXCHANGEMANAGESTORE_METHODS()
    IExchangeManageStore obj = { &vtbl };
    IExchangeManageStore *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IExchangeManageStore_stub_QueryInterface", IExchangeManageStore_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IExchangeManageStore_stub_AddRef", IExchangeManageStore_AddRef(p));
    CHECK_CALL(p, "IExchangeManageStore_stub_Release", IExchangeManageStore_Release(p));
    CHECK_CALL(p, "IExchangeManageStore_stub_CreateStoreEntryID", IExchangeManageStore_CreateStoreEntryID(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IExchangeManageStore_stub_EntryIDFromSourceKey", IExchangeManageStore_EntryIDFromSourceKey(p, 0, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IExchangeManageStore_stub_GetRights", IExchangeManageStore_GetRights(p, 0, 0, 0, 0, 0));
    CHECK_CALL(p, "IExchangeManageStore_stub_GetMailboxTable", IExchangeManageStore_GetMailboxTable(p, 0, 0, 0));
    CHECK_CALL(p, "IExchangeManageStore_stub_GetPublicFolderTable", IExchangeManageStore_GetPublicFolderTable(p, 0, 0, 0));
    assert_int_equal(calls, SLOTS(IExchangeManageStoreVtbl));
}

static void every_imalloc_macro_reaches_its_own_method(void **state)
{
    IMallocVtbl vtbl;
    memset(&vtbl, 0, sizeof(vtbl));
    IMallocVtbl *vt = &vtbl;
#undef STUB_PREFIX
#define STUB_PREFIX IMalloc_stub_
    MAPI_IUNKNOWN_METHODS()
    MAPI_IMALLOC_METHODS()
    IMalloc obj = { &vtbl };
    IMalloc *p = &obj;
    size_t calls = 0;
    CHECK_CALL(p, "IMalloc_stub_QueryInterface", IMalloc_QueryInterface(p, 0, 0));
    CHECK_CALL(p, "IMalloc_stub_AddRef", IMalloc_AddRef(p));
    CHECK_CALL(p, "IMalloc_stub_Release", IMalloc_Release(p));
    CHECK_CALL(p, "IMalloc_stub_Alloc", IMalloc_Alloc(p, 0));
    CHECK_CALL(p, "IMalloc_stub_Realloc", IMalloc_Realloc(p, 0, 0));
    CHECK_CALL(p, "IMalloc_stub_Free", IMalloc_Free(p, 0));
    CHECK_CALL(p, "IMalloc_stub_GetSize", IMalloc_GetSize(p, 0));
    CHECK_CALL(p, "IMalloc_stub_DidAlloc", IMalloc_DidAlloc(p, 0));
    CHECK_CALL(p, "IMalloc_stub_HeapMinimize", IMalloc_HeapMinimize(p));
    assert_int_equal(calls, SLOTS(IMallocVtbl));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_iunknown_macro_reaches_its_own_method),
        cmocka_unit_test(every_isequentialstream_macro_reaches_its_own_method),
        cmocka_unit_test(every_istream_macro_reaches_its_own_method),
        cmocka_unit_test(every_imapiprop_macro_reaches_its_own_method),
        cmocka_unit_test(every_imapiadvisesink_macro_reaches_its_own_method),
        cmocka_unit_test(every_imapiprogress_macro_reaches_its_own_method),
        cmocka_unit_test(every_imapitable_macro_reaches_its_own_method),
        cmocka_unit_test(every_iprofsect_macro_reaches_its_own_method),
        cmocka_unit_test(every_imapistatus_macro_reaches_its_own_method),
        cmocka_unit_test(every_imapicontainer_macro_reaches_its_own_method),
        cmocka_unit_test(every_imapifolder_macro_reaches_its_own_method),
        cmocka_unit_test(every_imessage_macro_reaches_its_own_method),
        cmocka_unit_test(every_iattach_macro_reaches_its_own_method),
        cmocka_unit_test(every_imsgstore_macro_reaches_its_own_method),
        cmocka_unit_test(every_iabcontainer_macro_reaches_its_own_method),
        cmocka_unit_test(every_imailuser_macro_reaches_its_own_method),
        cmocka_unit_test(every_idistlist_macro_reaches_its_own_method),
        cmocka_unit_test(every_ipropdata_macro_reaches_its_own_method),
        cmocka_unit_test(every_iaddrbook_macro_reaches_its_own_method),
        cmocka_unit_test(every_iprovideradmin_macro_reaches_its_own_method),
        cmocka_unit_test(every_imsgserviceadmin_macro_reaches_its_own_method),
        cmocka_unit_test(every_iprofadmin_macro_reaches_its_own_method),
        cmocka_unit_test(every_imapisession_macro_reaches_its_own_method),
        cmocka_unit_test(every_iexchangemanagestore_macro_reaches_its_own_method),
        cmocka_unit_test(every_imalloc_macro_reaches_its_own_method),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
