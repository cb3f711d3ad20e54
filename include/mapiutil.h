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
/* Value uliInst of the multivalued pvalMv as the single-valued pvalSv (the
 * same ID; pointers shared, not copied). */
STDAPI_(void) GetInstance(LPSPropValue pvalMv, LPSPropValue pvalSv, ULONG uliInst);
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

/* ==== the rest of mapiutil.h ================================================ */

/* ---- ITableData: a table kept in memory (CreateTable) ---------------------- */
DECLARE_MAPI_INTERFACE_PTR(ITableData, LPTABLEDATA);

/* Called when a view made by HrGetView is released. */
typedef void(STDAPICALLTYPE CALLERRELEASE)(ULONG_PTR ulCallerData, LPTABLEDATA lpTblData,
                                           LPMAPITABLE lpVue);

/* HrDeleteRows ulFlags: every row. */
#define TAD_ALL_ROWS ((ULONG)0x00000001)

#define MAPI_ITABLEDATA_METHODS(IPURE)                                                     \
    MAPIMETHOD(HrGetView)(THIS_ LPSSortOrderSet lpSSortOrderSet,                           \
                          CALLERRELEASE * lpfCallerRelease, ULONG_PTR ulCallerData,        \
                          LPMAPITABLE * lppMAPITable) IPURE;                               \
    MAPIMETHOD(HrModifyRow)(THIS_ LPSRow lpSRow) IPURE;                                    \
    MAPIMETHOD(HrDeleteRow)(THIS_ LPSPropValue lpSPropValue) IPURE;                        \
    MAPIMETHOD(HrQueryRow)(THIS_ LPSPropValue lpsPropValue, LPSRow * lppSRow,              \
                           ULONG * lpuliRow) IPURE;                                        \
    MAPIMETHOD(HrEnumRow)(THIS_ ULONG ulRowNumber, LPSRow * lppSRow) IPURE;                \
    MAPIMETHOD(HrNotify)(THIS_ ULONG ulFlags, ULONG cValues, LPSPropValue lpSPropValue) IPURE; \
    MAPIMETHOD(HrInsertRow)(THIS_ ULONG uliRow, LPSRow lpSRow) IPURE;                      \
    MAPIMETHOD(HrModifyRows)(THIS_ ULONG ulFlags, LPSRowSet lpSRowSet) IPURE;              \
    MAPIMETHOD(HrDeleteRows)(THIS_ ULONG ulFlags, LPSRowSet lprowsetToDelete,              \
                             ULONG * cRowsDeleted) IPURE;

#undef INTERFACE
#define INTERFACE ITableData
DECLARE_MAPI_INTERFACE_(ITableData, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_ITABLEDATA_METHODS(IPURE)
};

#define ITableData_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define ITableData_AddRef(p) (p)->lpVtbl->AddRef(p)
#define ITableData_Release(p) (p)->lpVtbl->Release(p)
#define ITableData_HrGetView(p, a, b, c, d) (p)->lpVtbl->HrGetView(p, a, b, c, d)
#define ITableData_HrModifyRow(p, a) (p)->lpVtbl->HrModifyRow(p, a)
#define ITableData_HrDeleteRow(p, a) (p)->lpVtbl->HrDeleteRow(p, a)
#define ITableData_HrQueryRow(p, a, b, c) (p)->lpVtbl->HrQueryRow(p, a, b, c)
#define ITableData_HrEnumRow(p, a, b) (p)->lpVtbl->HrEnumRow(p, a, b)
#define ITableData_HrNotify(p, a, b, c) (p)->lpVtbl->HrNotify(p, a, b, c)
#define ITableData_HrInsertRow(p, a, b) (p)->lpVtbl->HrInsertRow(p, a, b)
#define ITableData_HrModifyRows(p, a, b) (p)->lpVtbl->HrModifyRows(p, a, b)
#define ITableData_HrDeleteRows(p, a, b, c) (p)->lpVtbl->HrDeleteRows(p, a, b, c)

/*
 * A table data object holding rows in memory, identified by the
 * ulPropTagIndexColumn property (single-valued); views (HrGetView) are
 * IMAPITable objects over it that see every change. ulTableType is what
 * the views report from GetStatus (TBLTYPE_SNAPSHOT, _KEYSET, _DYNAMIC).
 * lpSPropTagArrayColumns is the default column set of views.
 */
STDAPI_(SCODE) CreateTable(LPCIID lpInterface, ALLOCATEBUFFER *lpAllocateBuffer,
                           ALLOCATEMORE *lpAllocateMore, FREEBUFFER *lpFreeBuffer,
                           LPVOID lpvReserved, ULONG ulTableType, ULONG ulPropTagIndexColumn,
                           LPSPropTagArray lpSPropTagArrayColumns, LPTABLEDATA *lppTableData);

/*
 * A display table (PR_XPOS, PR_YPOS, PR_DELTAX, PR_DELTAY, PR_CONTROL_TYPE,
 * PR_CONTROL_FLAGS, PR_CONTROL_STRUCTURE, PR_CONTROL_ID, and PR_ROWID as
 * index) with one row per control of the pages, in order. Linux programs
 * have no dialog resources, so the labels are the strings the control
 * structures carry (Windows reads them from the resource and overwrites
 * them), the edit and combo box filters are DTCTL.lpszFilter, a page's
 * component is DTPAGE.lpszComponent, and the controls of a page are laid
 * out one under the other in dialog units (hInstance, lpMalloc and
 * lpszResourceName are not used). ulFlags: MAPI_UNICODE for UTF-16
 * strings. lppTblData NULL: no table data object is returned.
 */
STDAPI BuildDisplayTable(LPALLOCATEBUFFER lpAllocateBuffer, LPALLOCATEMORE lpAllocateMore,
                         LPFREEBUFFER lpFreeBuffer, LPMALLOC lpMalloc, HINSTANCE hInstance,
                         UINT cPages, LPDTPAGE lpPage, ULONG ulFlags, LPMAPITABLE *lppTable,
                         LPTABLEDATA *lppTblData);

/* ---- tables ------------------------------------------------------------------ */
/* Puts the columns of lpproptagColumnsNew first in the table's column set,
 * keeping the other columns after them in their order. */
STDAPI HrAddColumns(LPMAPITABLE lptbl, LPSPropTagArray lpproptagColumnsNew,
                    LPALLOCATEBUFFER lpAllocateBuffer, LPFREEBUFFER lpFreeBuffer);
/* The same, letting lpfnFilterColumns change the table's current columns
 * (ptaga) before they are appended. */
STDAPI HrAddColumnsEx(LPMAPITABLE lptbl, LPSPropTagArray lpproptagColumnsNew,
                      LPALLOCATEBUFFER lpAllocateBuffer, LPFREEBUFFER lpFreeBuffer,
                      void(STDAPICALLTYPE *lpfnFilterColumns)(LPSPropTagArray ptaga));

/* ---- the idle engine ------------------------------------------------------------
 * Idle routines run on the engine's own thread, one at a time, highest
 * priority first, whenever their time has come (FIROWAIT: csecIdle after
 * registration; FIROINTERVAL: at least csecIdle between calls; neither:
 * as often as the engine loops). Linux has no message pump, so "idle" is
 * "not running another routine"; priorities order routines that are due.
 */
typedef BOOL(STDAPICALLTYPE FNIDLE)(LPVOID lpvContext);
typedef FNIDLE *PFNIDLE;
typedef void *FTG;
typedef FTG *PFTG;
#define FTGNULL ((FTG)NULL)

/* Priorities. */
#define PRILOWEST (-32768)
#define PRIHIGHEST 32767
#define PRIUSER 0

/* FtgRegisterIdleRoutine and ChangeIdleRoutine iroIdle. */
#define FIROWAIT ((USHORT)0x0001)
#define FIROINTERVAL ((USHORT)0x0002)
#define FIROPERBLOCK ((USHORT)0x0004)
#define FIRODISABLED ((USHORT)0x0020)
#define FIROONCEONLY ((USHORT)0x0040)
#define FIRONOADJUSTMENT ((USHORT)0x0080)

/* ChangeIdleRoutine ircIdle: what changes. */
#define FIRCPFN ((USHORT)0x0001)
#define FIRCPV ((USHORT)0x0002)
#define FIRCPRI ((USHORT)0x0004)
#define FIRCCSEC ((USHORT)0x0008)
#define FIRCIRO ((USHORT)0x0010)

/* 0 on success, 1 otherwise; calls are counted and matched by MAPIDeinitIdle. */
STDAPI_(LONG) MAPIInitIdle(LPVOID lpvReserved);
STDAPI_(void) MAPIDeinitIdle(void);
/* The spelling of the reference's page title. */
#define MAPIDeInitIdle MAPIDeinitIdle
/* NULL when the routine cannot be registered (engine not initialized,
 * bad argument, no memory); fmapi_last_error() says which. */
STDAPI_(FTG) FtgRegisterIdleRoutine(PFNIDLE lpfnIdle, LPVOID lpvIdleParam, short priIdle,
                                    ULONG csecIdle, USHORT iroIdle);
/* Waits for a call of the routine in progress on another thread to end. */
STDAPI_(void) DeregisterIdleRoutine(FTG ftg);
STDAPI_(void) EnableIdleRoutine(FTG ftg, BOOL fEnable);
STDAPI_(void) ChangeIdleRoutine(FTG ftg, PFNIDLE lpfnIdle, LPVOID lpvIdleParam, short priIdle,
                                ULONG csecIdle, USHORT iroIdle, USHORT ircIdle);

/* ---- set-up ---------------------------------------------------------------------- */
/* For programs using the utilities without MAPIInitialize; counted. */
STDAPI_(SCODE) ScInitMapiUtil(ULONG ulFlags);
STDAPI_(void) DeinitMapiUtil(void);

/* ---- streams on files ----------------------------------------------------------- */
/* ulFlags: STGM_* access and creation flags, SOF_UNIQUEFILENAME. */
#define SOF_UNIQUEFILENAME ((ULONG)0x80000000)

/*
 * An IStream over a file. With SOF_UNIQUEFILENAME a new file <prefix>HHHH.TMP
 * (prefix at most three characters, "SOF" when NULL) is made in directory
 * lpszFileName (NULL: $TMPDIR, else /tmp), mode 0600, never through an
 * existing name. STGM_DELETEONRELEASE removes the file at the last Release.
 * MAPI_E_NOT_FOUND when the file is missing, MAPI_E_NO_ACCESS when it may
 * not be opened so. Symbolic links are not followed for files it creates.
 */
STDAPI OpenStreamOnFile(LPALLOCATEBUFFER lpAllocateBuffer, LPFREEBUFFER lpFreeBuffer,
                        ULONG ulFlags, LPSTR lpszFileName, LPSTR lpszPrefix,
                        LPSTREAM *lppStream);
/* The same with UTF-16 names. */
STDAPI OpenStreamOnFileW(LPALLOCATEBUFFER lpAllocateBuffer, LPFREEBUFFER lpFreeBuffer,
                         ULONG ulFlags, LPCWSTR lpszFileName, LPCWSTR lpszPrefix,
                         LPSTREAM *lppStream);

/* ---- compressed RTF ([MS-OXRTFCP]) ---------------------------------------------- */
/* RTFSync ulFlags. */
#define RTF_SYNC_RTF_CHANGED ((ULONG)0x00000001)
#define RTF_SYNC_BODY_CHANGED ((ULONG)0x00000002)

/* RTF_WCSINFO ulFlags (with MAPI_MODIFY and STORE_UNCOMPRESSED_RTF). */
#define MAPI_NATIVE_BODY ((ULONG)0x00010000)
/* RTF_WCSRETINFO ulStreamFlags. */
#define MAPI_NATIVE_BODY_TYPE_RTF ((ULONG)0x00000001)
#define MAPI_NATIVE_BODY_TYPE_HTML ((ULONG)0x00000002)
#define MAPI_NATIVE_BODY_TYPE_PLAINTEXT ((ULONG)0x00000004)
/* The spelling of the RTF_WCSRETINFO page. */
#define MAPI_NATIVE_BODY_TYPE_PLAIN_TEXT MAPI_NATIVE_BODY_TYPE_PLAINTEXT

typedef struct {
    ULONG size;
    ULONG ulFlags;
    ULONG ulInCodePage;
    ULONG ulOutCodePage;
} RTF_WCSINFO;

typedef struct {
    ULONG size;
    ULONG ulStreamFlags;
} RTF_WCSRETINFO;

/*
 * A stream of uncompressed RTF over a stream of compressed RTF (a stream
 * on PR_RTF_COMPRESSED, positioned at its start). Read: the RTF, from the
 * beginning, decompressed as it is read. MAPI_MODIFY: everything written
 * replaces the compressed stream's content at Commit (or the last
 * Release), compressed ("LZFu"), or stored uncompressed ("MELA") with
 * STORE_UNCOMPRESSED_RTF. Seek answers only the current position; Clone,
 * LockRegion, UnlockRegion, Revert and SetSize are not supported, as
 * documented. A damaged compressed stream reads as MAPI_E_CORRUPT_DATA.
 */
STDAPI WrapCompressedRTFStream(LPSTREAM lpCompressedRTFStream, ULONG ulFlags,
                               LPSTREAM *lpUncompressedRTFStream);
/*
 * The same, and with MAPI_NATIVE_BODY (not with MAPI_MODIFY) the body in
 * its native format: HTML or plain text encapsulated in the RTF
 * ([MS-OXRTFEX]) is de-encapsulated, and pRetInfo->ulStreamFlags says
 * which (MAPI_NATIVE_BODY_TYPE_*). Text comes out as UTF-8 when
 * ulOutCodePage is 0 or 65001; other code pages are MAPI_E_UNKNOWN_CPID.
 */
STDAPI WrapCompressedRTFStreamEx(LPSTREAM lpCompressedRTFStream, CONST RTF_WCSINFO *pWCSInfo,
                                 LPSTREAM *lppUncompressedRTFStream, RTF_WCSRETINFO *pRetInfo);
typedef HRESULT(STDMETHODCALLTYPE WRAPCOMPRESSEDRTFSTREAMEX)(
    LPSTREAM lpCompressedRTFStream, CONST RTF_WCSINFO *pWCSInfo,
    LPSTREAM *lppUncompressedRTFStream, RTF_WCSRETINFO *pRetInfo);
typedef WRAPCOMPRESSEDRTFSTREAMEX *LPWRAPCOMPRESSEDRTFSTREAMEX;

/*
 * Brings PR_BODY and PR_RTF_COMPRESSED of lpMessage into line:
 * RTF_SYNC_BODY_CHANGED makes the RTF from the text (encapsulated as
 * [MS-OXRTFEX] says), RTF_SYNC_RTF_CHANGED the text from the RTF; sets
 * PR_RTF_IN_SYNC and the PR_RTF_SYNC_* properties. *lpfMessageUpdated
 * says whether it changed the message, which the caller then saves.
 */
STDAPI RTFSync(LPMESSAGE lpMessage, ULONG ulFlags, BOOL *lpfMessageUpdated);

/* ---- conversations, entry identifiers and messages ------------------------------- */
/* A conversation index ([MS-OXOMSG] 2.2.1.3): a new thread's 22-byte header
 * when cbParent is 0, else the parent's index with a 5-byte level added. */
STDAPI_(SCODE) ScCreateConversationIndex(ULONG cbParent, LPBYTE lpbParent, ULONG *lpcbConvIndex,
                                         LPBYTE *lppbConvIndex);

/* HrValidateIPMSubtree ulFlags. */
#define MAPI_FORCE_CREATE ((ULONG)0x00000001)
#define MAPI_FULL_IPM_TREE ((ULONG)0x00000002)
/* Checks the store's standard folders (PR_VALID_FOLDER_MASK) and returns
 * the store's properties naming them. */
STDAPI HrValidateIPMSubtree(LPMDB lpMDB, ULONG ulFlags, ULONG *lpcValues,
                            LPSPropValue *lppValues, LPMAPIERROR *lpperr);

/* A store's own entry ID wrapped as MAPI's store entry ID ([MS-OXCDATA]
 * 2.2.4.3) naming the provider DLL. */
STDAPI WrapStoreEntryID(ULONG ulFlags, LPSTR lpszDLLName, ULONG cbOrigEntry,
                        LPENTRYID lpOrigEntry, ULONG *lpcbWrappedEntry,
                        LPENTRYID *lppWrappedEntry);

/* Entry identifiers as printable ASCII and back (freemapi's encoding: four
 * characters of [0-9A-Za-z+-] for every three bytes; CbOfEncoded gives the
 * decoded size of such a string). */
STDAPI HrSzFromEntryID(ULONG cb, LPENTRYID pentry, LPSTR *psz);
STDAPI HrEntryIDFromSz(LPSTR sz, ULONG *pcb, LPENTRYID *ppentry);
STDAPI_(ULONG) CbOfEncoded(LPCSTR lpszEnc);
/* Hexadecimal text of exactly 2*cb digits into cb bytes. */
STDAPI_(SCODE) ScBinFromHexBounded(LPSTR lpsz, LPBYTE lpb, ULONG cb);

/* A message's entry ID and its store's record key as one compound entry ID,
 * and back; the store must be open in pSession for the decomposition. */
STDAPI HrComposeEID(LPMAPISESSION pSession, ULONG cbStoreRecordKey, LPBYTE pStoreRecordKey,
                    ULONG cbMsgEID, LPENTRYID pMsgEID, ULONG *pcbEID, LPENTRYID *ppEID);
STDAPI HrDecomposeEID(LPMAPISESSION pSession, ULONG cbEID, LPENTRYID pEID,
                      ULONG *pcbStoreEID, LPENTRYID *ppStoreEID, ULONG *pcbMsgEID,
                      LPENTRYID *ppMsgEID);
/* The same as text: the store's search key and the message's entry ID. */
STDAPI HrComposeMsgID(LPMAPISESSION pSession, ULONG cbStoreSearchKey, LPBYTE pStoreSearchKey,
                      ULONG cbMsgEID, LPENTRYID pMsgEID, LPSTR *pszMsgID);
STDAPI HrDecomposeMsgID(LPMAPISESSION pSession, LPSTR szMsgID, ULONG *pcbStoreEID,
                        LPENTRYID *ppStoreEID, ULONG *pcbMsgEID, LPENTRYID *ppMsgEID);

/* ---- strings ------------------------------------------------------------------------ */
/* First and last occurrence of the byte ch, first of lpszKey; NULL when
 * absent. 8-bit strings, as the functions MAPI exports. */
STDAPI_(LPSTR) SzFindCh(LPCSTR lpsz, USHORT ch);
STDAPI_(LPSTR) SzFindLastCh(LPCSTR lpsz, USHORT ch);
STDAPI_(LPSTR) SzFindSz(LPCSTR lpsz, LPCSTR lpszKey);
/* The unsigned decimal number at the start of lpsz (0 if none). */
STDAPI_(unsigned int) UFromSz(LPCSTR lpsz);

/* UNC paths: Linux has none, so every local path is its own counterpart
 * (S_OK, copied) and a path in \\server\share form is returned as is
 * (S_FALSE); MAPI_E_TOO_BIG when the output does not fit. */
STDAPI_(SCODE) ScUNCFromLocalPath(LPSTR lpszLocal, LPSTR lpszUNC, UINT cchUNC);
STDAPI_(SCODE) ScLocalPathFromUNC(LPSTR lpszUNC, LPSTR lpszLocal, UINT cchLocal);

/* ---- byte order ------------------------------------------------------------------------ */
/* Reverses the bytes of each of the cul longs (cw words) in place. */
STDAPI_(void) SwapPlong(ULONG *pul, UINT cul);
STDAPI_(void) SwapPword(USHORT *pw, UINT cw);

/* ---- FILETIME with carry (MapStorageSCode is in imessage.h) ---------------------------- */
STDAPI_(FILETIME) FtAdcFt(FILETIME ftAddend1, FILETIME ftAddend2, WORD *pwCarry);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPIUTIL_H */
