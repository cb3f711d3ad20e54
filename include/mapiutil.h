/*
 * mapiutil.h - MAPI utility functions: property values, rows, hex, time
 * arithmetic, reference counting, and IPropData (CreateIProp).
 *
 * Written from the "MAPI Functions" pages of Microsoft's MAPI reference.
 * Unless a function says otherwise, what it returns through an out-param is
 * a MAPI buffer the caller frees with MAPIFreeBuffer, and on failure the
 * thread's error text (fmapi_last_error in freemapi.h) says why.
 */
#ifndef FREEMAPI_MAPIUTIL_H
#define FREEMAPI_MAPIUTIL_H

#include "mapidefs.h"
#include "mapicode.h"
#include "mapix.h"
#include "objidl.h"

FREEMAPI_BEGIN_DECLS

/* ---- IPropData: an in-memory IMAPIProp with access control ---------------- */
DECLARE_MAPI_INTERFACE_PTR(IPropData, LPPROPDATA);

/* Access flags of HrSetObjAccess / HrSetPropAccess / HrGetPropAccess. */
#define IPROP_READONLY ((ULONG)0x00000001)
#define IPROP_READWRITE ((ULONG)0x00000002)
#define IPROP_CLEAN ((ULONG)0x00010000)
#define IPROP_DIRTY ((ULONG)0x00020000)

#define MAPI_IMAPIPROPDATA_METHODS(IPURE)                                              \
    MAPIMETHOD(HrSetObjAccess)(THIS_ ULONG ulAccess) IPURE;                            \
    MAPIMETHOD(HrSetPropAccess)(THIS_ LPSPropTagArray lpPropTagArray,                  \
                                ULONG * rgulAccess) IPURE;                             \
    MAPIMETHOD(HrGetPropAccess)(THIS_ LPSPropTagArray * lppPropTagArray,               \
                                ULONG * *lprgulAccess) IPURE;                          \
    MAPIMETHOD(HrAddObjProps)(THIS_ LPSPropTagArray lppPropTagArray,                   \
                              LPSPropProblemArray * lprgulAccess) IPURE;

#undef INTERFACE
#define INTERFACE IPropData
DECLARE_MAPI_INTERFACE_(IPropData, IMAPIProp)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
    MAPI_IMAPIPROPDATA_METHODS(IPURE)
};

#define IPropData_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IPropData_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IPropData_Release(p) (p)->lpVtbl->Release(p)
#define IPropData_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IPropData_SaveChanges(p, a) (p)->lpVtbl->SaveChanges(p, a)
#define IPropData_GetProps(p, a, b, c, d) (p)->lpVtbl->GetProps(p, a, b, c, d)
#define IPropData_GetPropList(p, a, b) (p)->lpVtbl->GetPropList(p, a, b)
#define IPropData_OpenProperty(p, a, b, c, d, e) (p)->lpVtbl->OpenProperty(p, a, b, c, d, e)
#define IPropData_SetProps(p, a, b, c) (p)->lpVtbl->SetProps(p, a, b, c)
#define IPropData_DeleteProps(p, a, b) (p)->lpVtbl->DeleteProps(p, a, b)
#define IPropData_CopyTo(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->CopyTo(p, a, b, c, d, e, f, g, h, i)
#define IPropData_CopyProps(p, a, b, c, d, e, f, g) (p)->lpVtbl->CopyProps(p, a, b, c, d, e, f, g)
#define IPropData_GetNamesFromIDs(p, a, b, c, d, e) (p)->lpVtbl->GetNamesFromIDs(p, a, b, c, d, e)
#define IPropData_GetIDsFromNames(p, a, b, c, d) (p)->lpVtbl->GetIDsFromNames(p, a, b, c, d)
#define IPropData_HrSetObjAccess(p, a) (p)->lpVtbl->HrSetObjAccess(p, a)
#define IPropData_HrSetPropAccess(p, a, b) (p)->lpVtbl->HrSetPropAccess(p, a, b)
#define IPropData_HrGetPropAccess(p, a, b) (p)->lpVtbl->HrGetPropAccess(p, a, b)
#define IPropData_HrAddObjProps(p, a, b) (p)->lpVtbl->HrAddObjProps(p, a, b)

/*
 * Creates an empty IPropData. lpInterface must be NULL, &IID_IMAPIPropData
 * or &IID_IMAPIProp; the three allocator functions are the ones the object
 * uses for what it returns (pass MAPIAllocateBuffer, MAPIAllocateMore and
 * MAPIFreeBuffer). Release the object with IPropData_Release.
 */
STDAPI_(SCODE) CreateIProp(LPCIID lpInterface, ALLOCATEBUFFER *lpAllocateBuffer,
                           ALLOCATEMORE *lpAllocateMore, FREEBUFFER *lpFreeBuffer,
                           LPVOID lpvReserved, LPPROPDATA *lppPropData);

/* ---- property values ------------------------------------------------------ */
STDAPI_(SCODE) PropCopyMore(LPSPropValue lpSPropValueDest, LPSPropValue lpSPropValueSrc,
                            ALLOCATEMORE *lpfAllocMore, LPVOID lpvObject);
STDAPI_(ULONG) UlPropSize(LPSPropValue lpSPropValue);
STDAPI_(SCODE) ScCountProps(int cValues, LPSPropValue lpPropArray, ULONG *lpcb);
STDAPI_(SCODE) ScCopyProps(int cValues, LPSPropValue lpPropArray, LPVOID lpvDst, ULONG *lpcb);
STDAPI_(SCODE) ScRelocProps(int cValues, LPSPropValue lpPropArray, LPVOID lpvBaseOld,
                            LPVOID lpvBaseNew, ULONG *lpcb);
STDAPI_(SCODE) ScDupPropset(int cValues, LPSPropValue lpPropArray,
                            LPALLOCATEBUFFER lpAllocateBuffer, LPSPropValue *lppPropArray);
STDAPI_(LPSPropValue) PpropFindProp(LPSPropValue lpPropArray, ULONG cValues, ULONG ulPropTag);
STDAPI_(LPSPropValue) LpValFindProp(ULONG ulPropTag, ULONG cValues, LPSPropValue lpPropArray);
STDAPI_(BOOL) FPropExists(LPMAPIPROP lpMapiProp, ULONG ulPropTag);
STDAPI_(BOOL) FPropContainsProp(LPSPropValue lpSPropValueDst, LPSPropValue lpSPropValueSrc,
                                ULONG ulFuzzyLevel);
STDAPI_(BOOL) FPropCompareProp(LPSPropValue lpSPropValue1, ULONG ulRelOp,
                               LPSPropValue lpSPropValue2);
STDAPI_(LONG) LPropCompareProp(LPSPropValue lpSPropValueA, LPSPropValue lpSPropValueB);
STDAPI HrGetOneProp(LPMAPIPROP lpMapiProp, ULONG ulPropTag, LPSPropValue *lppProp);
STDAPI HrSetOneProp(LPMAPIPROP lpMapiProp, LPSPropValue lpProp);

/* ---- rows and address lists ----------------------------------------------- */
STDAPI_(void) FreeProws(LPSRowSet lpRows);
STDAPI_(void) FreePadrlist(LPADRLIST lpAdrlist);

/* ---- named properties ----------------------------------------------------- */
STDAPI_(BOOL) FEqualNames(LPMAPINAMEID lpName1, LPMAPINAMEID lpName2);

/* ---- hexadecimal ---------------------------------------------------------- */
STDAPI_(void) HexFromBin(LPBYTE pb, int cb, LPSTR sz);
STDAPI_(BOOL) FBinFromHex(LPSTR sz, LPBYTE pb);
STDAPI_(ULONG) UlFromSzHex(LPCSTR lpsz);

/* ---- FILETIME arithmetic (64-bit, wrapping as unsigned) ------------------- */
STDAPI_(FILETIME) FtAddFt(FILETIME ftAddend1, FILETIME ftAddend2);
STDAPI_(FILETIME) FtSubFt(FILETIME ftMinuend, FILETIME ftSubtrahend);
STDAPI_(FILETIME) FtMulDw(DWORD ftMultiplier, FILETIME ftMultiplicand);
STDAPI_(FILETIME) FtMulDwDw(DWORD ftMultiplicand, DWORD ftMultiplier);
STDAPI_(FILETIME) FtNegFt(FILETIME ft);

/* ---- reference counting on any IUnknown, NULL-safe ------------------------ */
STDAPI_(ULONG) UlAddRef(LPVOID lpunk);
STDAPI_(ULONG) UlRelease(LPVOID lpunk);

/* ---- tables --------------------------------------------------------------- */
/* Sets the columns, restriction and sort order given (NULL: leave as is),
 * goes to the first row and returns every row. crowsMax > 0 caps the rows:
 * more than that gives MAPI_E_TABLE_TOO_BIG; 0 means no cap. */
STDAPI HrQueryAllRows(LPMAPITABLE lpTable, LPSPropTagArray lpPropTags,
                      LPSRestriction lpRestriction, LPSSortOrderSet lpSortOrderSet,
                      LONG crowsMax, LPSRowSet *lppRows);

/* The IMalloc MAPI uses for OLE storages (OpenIMsgSession): COM's task
 * allocator over freemapi's. A static object: AddRef and Release do nothing. */
STDAPI_(LPMALLOC) MAPIGetDefaultMalloc(void);

/* ---- IStorage over a stream (compound files, objidl.h) -------------------- */
#define STGSTRM_RESET ((ULONG)0x00000000)
#define STGSTRM_CURRENT ((ULONG)0x10000000)
#define STGSTRM_MODIFY ((ULONG)0x00000002)
#define STGSTRM_CREATE ((ULONG)0x00001000)

/*
 * Layers an IStorage on lpUnkIn, an IStream (lpInterface NULL or
 * &IID_IStream) or an ILockBytes (&IID_ILockBytes), which the storage holds
 * for its life. STGSTRM_RESET (0): read-only, the compound file starts at
 * position 0; STGSTRM_CURRENT: it starts at the stream's current position;
 * STGSTRM_MODIFY: read-write; STGSTRM_CREATE: a new, empty compound file is
 * written there. Changes reach the stream at the storage's Commit (and when
 * it is released). Release the storage with IStorage_Release.
 */
STDAPI HrIStorageFromStream(LPUNKNOWN lpUnkIn, LPCIID lpInterface, ULONG ulFlags,
                            LPSTORAGE *lppStorageOut);

/* ---- notifications (src/notify/) ------------------------------------------ */
/* An IMAPIAdviseSink whose OnNotify calls lpfnCallback(lpvContext, ...).
 * Release it with IMAPIAdviseSink_Release. */
STDAPI HrAllocAdviseSink(LPNOTIFCALLBACK lpfnCallback, LPVOID lpvContext,
                         LPMAPIADVISESINK *lppAdviseSink);
/* A sink wrapping lpAdviseSink whose notifications run on the calling
 * thread, when it calls HrDispatchNotifications (freemapi_notify.h adds a
 * file descriptor to wait on). */
STDAPI HrThisThreadAdviseSink(LPMAPIADVISESINK lpAdviseSink, LPMAPIADVISESINK *lppAdviseSink);
/* Delivers the notifications queued for this thread's wrapped sinks.
 * ulFlags must be 0. */
STDAPI HrDispatchNotifications(ULONG ulFlags);
/* A notification array and its data as one block (the layout of ScCopyProps). */
STDAPI_(SCODE) ScCountNotifications(int cNotifications, LPNOTIFICATION lpNotifications,
                                    ULONG *lpcb);
STDAPI_(SCODE) ScCopyNotifications(int cNotification, LPNOTIFICATION lpNotifications,
                                   LPVOID lpvDst, ULONG *lpcb);
STDAPI_(SCODE) ScRelocNotifications(int cNotification, LPNOTIFICATION lpNotifications,
                                    LPVOID lpvBaseOld, LPVOID lpvBaseNew, ULONG *lpcb);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPIUTIL_H */
