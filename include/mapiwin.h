/*
 * mapiwin.h - the platform layer under the MAPI headers.
 *
 * Windows MAPI headers assume <windows.h> and <objbase.h>. On Linux this file
 * supplies what MAPI source code expects from them, with the sizes MAPI has
 * on Windows (LLP64) rather than what the same C names would mean on LP64:
 * ULONG and LONG are 32 bits, HRESULT and SCODE are 32-bit signed, WCHAR is a
 * 16-bit UTF-16 code unit (wchar_t is 32 bits on Linux and is never used).
 *
 * It also provides COM's IUnknown and the macros with which MAPI declares
 * interfaces (MAPIMETHOD, DECLARE_MAPI_INTERFACE_, THIS_, IPURE), so that
 * both the vtable style (p->lpVtbl->Release(p)) and the call-macro style
 * (IUnknown_Release(p)) of existing MAPI C source compile unchanged.
 *
 * Written from Microsoft's documentation of the Windows data types and of
 * MAPI; no code is taken from any other implementation.
 */
#ifndef FREEMAPI_MAPIWIN_H
#define FREEMAPI_MAPIWIN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uchar.h>

#ifdef __cplusplus
#define EXTERN_C extern "C"
#define FREEMAPI_BEGIN_DECLS extern "C" {
#define FREEMAPI_END_DECLS }
#else
#define EXTERN_C extern
#define FREEMAPI_BEGIN_DECLS
#define FREEMAPI_END_DECLS
#endif

/* Symbols of libfreemapi that programs may use. Everything else is hidden. */
#if defined(FREEMAPI_BUILDING) || defined(__GNUC__)
#define FREEMAPI_PUBLIC __attribute__((visibility("default")))
#else
#define FREEMAPI_PUBLIC
#endif

/* ---- calling conventions: meaningless on Linux, kept for source compatibility */
#ifndef WINAPI
#define WINAPI
#endif
#ifndef STDMETHODCALLTYPE
#define STDMETHODCALLTYPE
#endif
#ifndef STDAPICALLTYPE
#define STDAPICALLTYPE
#endif
#ifndef STDMETHODVCALLTYPE
#define STDMETHODVCALLTYPE
#endif
#ifndef STDAPIVCALLTYPE
#define STDAPIVCALLTYPE
#endif
#ifndef FAR
#define FAR
#endif
#ifndef NEAR
#define NEAR
#endif
/* The lowercase spellings of windef.h, which old MAPI code writes
 * (LPSTR far *); a program that names a variable far or near defines
 * FREEMAPI_NO_FAR_NEAR before including the MAPI headers. */
#ifndef FREEMAPI_NO_FAR_NEAR
#ifndef far
#define far
#endif
#ifndef near
#define near
#endif
#endif
#ifndef CONST
#define CONST const
#endif
#ifndef CALLBACK
#define CALLBACK
#endif
#ifndef PASCAL
#define PASCAL
#endif
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif

#define STDAPI EXTERN_C FREEMAPI_PUBLIC HRESULT STDAPICALLTYPE
#define STDAPI_(type) EXTERN_C FREEMAPI_PUBLIC type STDAPICALLTYPE
#define STDMETHODIMP HRESULT STDMETHODCALLTYPE
#define STDMETHODIMP_(type) type STDMETHODCALLTYPE

/* ---- scalar types ------------------------------------------------------- */
typedef uint8_t BYTE, *LPBYTE, *PBYTE;
typedef uint16_t WORD, *LPWORD;
typedef uint32_t DWORD, *LPDWORD;
typedef uint32_t ULONG, *LPULONG, *PULONG;
typedef int32_t LONG, *LPLONG, *PLONG;
typedef uint32_t UINT;
typedef int32_t INT;
typedef int16_t SHORT;
typedef uint16_t USHORT;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef int BOOL, *LPBOOL;
typedef uint8_t BOOLEAN;
typedef float FLOAT;
typedef double DOUBLE;
typedef char CHAR, *LPSTR, *PSTR;
typedef const char *LPCSTR, *PCSTR;
typedef char16_t WCHAR, *LPWSTR, *PWSTR;
typedef const char16_t *LPCWSTR, *PCWSTR;
typedef void VOID, *LPVOID, *PVOID;
typedef const void *LPCVOID;
typedef uintptr_t ULONG_PTR, UINT_PTR;
typedef intptr_t LONG_PTR, INT_PTR;
typedef LONG SCODE;
typedef LONG HRESULT;
typedef void *HANDLE;
typedef void *HWND;
typedef void *HINSTANCE;
typedef ULONG_PTR WPARAM;
typedef LONG_PTR LPARAM;
typedef DWORD LCID;
typedef LONG DISPID;
typedef WORD LANGID;
typedef void *HMODULE;
typedef void *HICON;
typedef void *HGLOBAL;
typedef void *HMENU;
/* A dialog procedure (the Profile Wizard's entry point hands one back). */
typedef INT_PTR(CALLBACK *DLGPROC)(HWND, UINT, WPARAM, LPARAM);

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* TCHAR follows UNICODE as on Windows: define UNICODE before including the
 * MAPI headers and the generic names (LPTSTR, PR_SUBJECT, ...) are UTF-16. */
#ifdef UNICODE
typedef WCHAR TCHAR;
typedef LPWSTR LPTSTR;
typedef LPCWSTR LPCTSTR;
#define TEXT(s) u##s
#else
typedef char TCHAR;
typedef LPSTR LPTSTR;
typedef LPCSTR LPCTSTR;
#define TEXT(s) s
#endif
#define __TEXT(s) TEXT(s)

typedef struct tagRECT {
    LONG left;
    LONG top;
    LONG right;
    LONG bottom;
} RECT, *LPRECT, *PRECT;
typedef const RECT *LPCRECT;

typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *LPFILETIME, *PFILETIME;

typedef union _LARGE_INTEGER {
    struct {
        DWORD LowPart;
        LONG HighPart;
    };
    struct {
        DWORD LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *LPLARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        DWORD LowPart;
        DWORD HighPart;
    };
    struct {
        DWORD LowPart;
        DWORD HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *LPULARGE_INTEGER, *PULARGE_INTEGER;

/* CURRENCY: a 64-bit integer scaled by 10,000. */
typedef union tagCY {
    struct {
        ULONG Lo;
        LONG Hi;
    };
    LONGLONG int64;
} CY, CURRENCY, *LPCY;

typedef struct _GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID, *LPGUID, *REFGUID_PTR;
typedef GUID IID, *LPIID;
typedef GUID CLSID, *LPCLSID;
typedef GUID FMTID;
#ifdef __cplusplus
#define REFGUID const GUID &
#define REFIID const IID &
#define REFCLSID const CLSID &
#define REFFMTID const FMTID &
#else
#define REFGUID const GUID *
#define REFIID const IID *
#define REFCLSID const CLSID *
#define REFFMTID const FMTID *
#endif

/* GUID comparison as the Windows SDK spells it: in C the arguments are
 * pointers (IsEqualIID(riid, &IID_IUnknown)); in C++ they are references,
 * like REFIID (IsEqualIID(riid, IID_IUnknown), riid == IID_IMAPIFolder). */
#ifdef __cplusplus
extern "C++" {
inline int IsEqualGUID(REFGUID rguid1, REFGUID rguid2)
{
    return memcmp(&rguid1, &rguid2, sizeof(GUID)) == 0;
}
inline bool operator==(REFGUID guidOne, REFGUID guidOther)
{
    return IsEqualGUID(guidOne, guidOther) != 0;
}
inline bool operator!=(REFGUID guidOne, REFGUID guidOther)
{
    return !(guidOne == guidOther);
}
}
#else
#define IsEqualGUID(rguid1, rguid2) (memcmp((rguid1), (rguid2), sizeof(GUID)) == 0)
#endif
#define IsEqualIID(riid1, riid2) IsEqualGUID(riid1, riid2)
#define IsEqualCLSID(rclsid1, rclsid2) IsEqualGUID(rclsid1, rclsid2)
#define IsEqualFMTID(rfmtid1, rfmtid2) IsEqualGUID(rfmtid1, rfmtid2)

/* ---- HRESULT construction and tests ------------------------------------ */
#define SEVERITY_SUCCESS 0
#define SEVERITY_ERROR 1
#define FACILITY_NULL 0
#define FACILITY_RPC 1
#define FACILITY_DISPATCH 2
#define FACILITY_STORAGE 3
#define FACILITY_ITF 4
#define FACILITY_WIN32 7
#define MAKE_SCODE(sev, fac, code) \
    ((SCODE)(((uint32_t)(sev) << 31) | ((uint32_t)(fac) << 16) | ((uint32_t)(code))))
#define MAKE_HRESULT(sev, fac, code) ((HRESULT)MAKE_SCODE(sev, fac, code))
#define SUCCEEDED(hr) ((HRESULT)(hr) >= 0)
#define FAILED(hr) ((HRESULT)(hr) < 0)
#define HR_SUCCEEDED(hr) SUCCEEDED((SCODE)(hr))
#define HR_FAILED(hr) FAILED((SCODE)(hr))
#define SCODE_CODE(sc) ((sc) & 0xFFFF)
#define SCODE_FACILITY(sc) (((sc) >> 16) & 0x1FFF)
#define SCODE_SEVERITY(sc) (((uint32_t)(sc) >> 31) & 0x1)
#define HRESULT_CODE(hr) ((hr) & 0xFFFF)
#define HRESULT_FACILITY(hr) (((hr) >> 16) & 0x1FFF)
#define HRESULT_SEVERITY(hr) (((uint32_t)(hr) >> 31) & 0x1)
#define ResultFromScode(sc) ((HRESULT)(sc))
#define GetScode(hr) ((SCODE)(hr))
#define MAKE_HR_FROM_SCODE(sc) ((HRESULT)(sc))

/* The COM codes MAPI reuses (winerror.h values). */
#define S_OK ((HRESULT)0x00000000L)
#define S_FALSE ((HRESULT)0x00000001L)
#define NOERROR S_OK
#define E_UNEXPECTED ((HRESULT)0x8000FFFFL)
#define E_NOTIMPL ((HRESULT)0x80004001L)
#define E_NOINTERFACE ((HRESULT)0x80004002L)
#define E_POINTER ((HRESULT)0x80004003L)
#define E_ABORT ((HRESULT)0x80004004L)
#define E_FAIL ((HRESULT)0x80004005L)
#define E_ACCESSDENIED ((HRESULT)0x80070005L)
#define E_HANDLE ((HRESULT)0x80070006L)
#define E_OUTOFMEMORY ((HRESULT)0x8007000EL)
#define E_INVALIDARG ((HRESULT)0x80070057L)
#define STG_E_INVALIDFUNCTION ((HRESULT)0x80030001L)
#define STG_E_FILENOTFOUND ((HRESULT)0x80030002L)
#define STG_E_ACCESSDENIED ((HRESULT)0x80030005L)
#define STG_E_INSUFFICIENTMEMORY ((HRESULT)0x80030008L)
#define STG_E_INVALIDPOINTER ((HRESULT)0x80030009L)
#define STG_E_WRITEFAULT ((HRESULT)0x8003001DL)
#define STG_E_READFAULT ((HRESULT)0x8003001EL)
#define STG_E_MEDIUMFULL ((HRESULT)0x80030070L)
#define STG_E_INVALIDPARAMETER ((HRESULT)0x80030057L)
#define STG_E_INVALIDFLAG ((HRESULT)0x800300FFL)
#define STG_E_REVERTED ((HRESULT)0x80030102L)
#define STG_S_CONVERTED ((HRESULT)0x00030200L)

/* ---- interface declaration machinery ------------------------------------
 *
 * In C (and in C++ with CINTERFACE defined, as on Windows) an interface is a
 * struct whose only member is a pointer to a constant table of function
 * pointers; every method takes the interface pointer first. The method
 * lists are macros (MAPI_IUNKNOWN_METHODS(IPURE), ...), as in the MAPI SDK,
 * so an implementation can expand them into its own vtable type.
 *
 * In C++ without CINTERFACE the same lists declare what the Windows SDK
 * declares: a struct deriving from its base interface with pure virtual
 * STDMETHODCALLTYPE methods in vtable order (a derived interface repeats its
 * bases' methods, which overrides them and adds no slot). Under the Itanium
 * C++ ABI of Linux compilers a class with single inheritance and no data has
 * its vtable pointer at offset 0 and its virtual functions in declaration
 * order, and `this` is passed as the first argument, so a C++ object is the
 * C struct: library objects are called as p->Method(...) and C++ objects
 * implementing an interface are called by the library through lpVtbl
 * (tests/headers/test_cxx_layout.sh proves it for every interface). The
 * interfaces have no virtual destructor, as in COM: a destructor would take
 * slots. Implementing classes declare their methods with the same lists and
 * IMPL (MAPI_IUNKNOWN_METHODS(IMPL)), or with STDMETHOD/STDMETHOD_.
 *
 * The C call macros (IMAPIFolder_CreateMessage(p, ...)) name lpVtbl and so
 * serve C and CINTERFACE code only, as COBJMACROS do on Windows.
 */
#undef PURE
#undef IPURE
#undef THIS_
#undef THIS
#ifndef IMPL
#define IMPL
#endif
#define BEGIN_INTERFACE
#define END_INTERFACE

#if defined(__cplusplus) && !defined(CINTERFACE)
#define FREEMAPI_CXX_INTERFACES 1
#define PURE = 0
#define IPURE = 0
#define THIS_
#define THIS void

#define STDMETHOD(method) virtual HRESULT STDMETHODCALLTYPE method
#define STDMETHOD_(type, method) virtual type STDMETHODCALLTYPE method
#define STDMETHODV(method) virtual HRESULT STDMETHODVCALLTYPE method
#define STDMETHODV_(type, method) virtual type STDMETHODVCALLTYPE method
#define MAPIMETHOD(method) virtual HRESULT STDMETHODCALLTYPE method
#define MAPIMETHOD_(type, method) virtual type STDMETHODCALLTYPE method

#define DECLARE_MAPI_INTERFACE(iface) struct iface
#define DECLARE_MAPI_INTERFACE_(iface, baseiface) struct iface : public baseiface
#define DECLARE_INTERFACE(iface) struct iface
#define DECLARE_INTERFACE_(iface, baseiface) struct iface : public baseiface
#else
#define PURE
#define IPURE
#define THIS_ INTERFACE *This,
#define THIS INTERFACE *This

#define STDMETHOD(method) HRESULT(STDMETHODCALLTYPE *method)
#define STDMETHOD_(type, method) type(STDMETHODCALLTYPE *method)
#define STDMETHODV(method) HRESULT(STDMETHODVCALLTYPE *method)
#define STDMETHODV_(type, method) type(STDMETHODVCALLTYPE *method)
#define MAPIMETHOD(method) HRESULT(STDMETHODCALLTYPE *method)
#define MAPIMETHOD_(type, method) type(STDMETHODCALLTYPE *method)

/* Declares struct iface (one member: lpVtbl) and opens struct ifaceVtbl,
 * whose body the header then lists. */
#define DECLARE_MAPI_INTERFACE(iface)                                   \
    typedef struct iface iface;                                         \
    typedef struct iface##Vtbl iface##Vtbl, *iface##VtblPtr;            \
    struct iface {                                                      \
        const struct iface##Vtbl *lpVtbl;                               \
    };                                                                  \
    struct iface##Vtbl
#define DECLARE_MAPI_INTERFACE_(iface, baseiface) DECLARE_MAPI_INTERFACE(iface)
#define DECLARE_INTERFACE(iface) DECLARE_MAPI_INTERFACE(iface)
#define DECLARE_INTERFACE_(iface, baseiface) DECLARE_MAPI_INTERFACE(iface)
#endif

/* Forward-declares an interface and its LP pointer type. */
#define DECLARE_MAPI_INTERFACE_PTR(iface, piface) \
    typedef struct iface iface;                   \
    typedef iface *piface

/* ---- IUnknown ----------------------------------------------------------- */
DECLARE_MAPI_INTERFACE_PTR(IUnknown, LPUNKNOWN);

#define MAPI_IUNKNOWN_METHODS(IPURE)                                          \
    MAPIMETHOD(QueryInterface)(THIS_ REFIID riid, LPVOID * ppvObj) IPURE;     \
    MAPIMETHOD_(ULONG, AddRef)(THIS) IPURE;                                   \
    MAPIMETHOD_(ULONG, Release)(THIS) IPURE;

#undef INTERFACE
#define INTERFACE IUnknown
DECLARE_MAPI_INTERFACE(IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(PURE)
};

#define IUnknown_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IUnknown_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IUnknown_Release(p) (p)->lpVtbl->Release(p)

/* ---- COM streams: ISequentialStream and IStream ------------------------------
 *
 * MAPI hands out stream properties (OpenProperty with IID_IStream) and
 * OpenStreamOnFile streams through COM's IStream, so the interface and the
 * STATSTG, STGM_, STGC_, STREAM_SEEK_, STATFLAG_ and LOCK_ values its methods
 * take are part of the MAPI surface. Written from the Windows COM reference.
 */
typedef WCHAR OLECHAR;
typedef OLECHAR *LPOLESTR;
typedef const OLECHAR *LPCOLESTR;
typedef size_t SIZE_T;

/* STATSTG.type */
#define STGTY_STORAGE 1
#define STGTY_STREAM 2
#define STGTY_LOCKBYTES 3
#define STGTY_PROPERTY 4

/* IStream::Seek dwOrigin */
#define STREAM_SEEK_SET 0
#define STREAM_SEEK_CUR 1
#define STREAM_SEEK_END 2

/* IStream::Commit grfCommitFlags */
#define STGC_DEFAULT 0
#define STGC_OVERWRITE 1
#define STGC_ONLYIFCURRENT 2
#define STGC_DANGEROUSLYCOMMITMERELYTODISKCACHE 4
#define STGC_CONSOLIDATE 8

/* IStream::Stat grfStatFlag */
#define STATFLAG_DEFAULT 0
#define STATFLAG_NONAME 1
#define STATFLAG_NOOPEN 2

/* IStream::LockRegion dwLockType, STATSTG.grfLocksSupported */
#define LOCK_WRITE 1
#define LOCK_EXCLUSIVE 2
#define LOCK_ONLYONCE 4

/* Storage access modes (STATSTG.grfMode, OpenStreamOnFile ulFlags). */
#define STGM_DIRECT 0x00000000L
#define STGM_TRANSACTED 0x00010000L
#define STGM_SIMPLE 0x08000000L
#define STGM_READ 0x00000000L
#define STGM_WRITE 0x00000001L
#define STGM_READWRITE 0x00000002L
#define STGM_SHARE_DENY_NONE 0x00000040L
#define STGM_SHARE_DENY_READ 0x00000030L
#define STGM_SHARE_DENY_WRITE 0x00000020L
#define STGM_SHARE_EXCLUSIVE 0x00000010L
#define STGM_PRIORITY 0x00040000L
#define STGM_DELETEONRELEASE 0x04000000L
#define STGM_NOSCRATCH 0x00100000L
#define STGM_CREATE 0x00001000L
#define STGM_CONVERT 0x00020000L
#define STGM_FAILIFTHERE 0x00000000L
#define STGM_NOSNAPSHOT 0x00200000L
#define STGM_DIRECT_SWMR 0x00400000L

typedef struct tagSTATSTG {
    LPOLESTR pwcsName;
    DWORD type;
    ULARGE_INTEGER cbSize;
    FILETIME mtime;
    FILETIME ctime;
    FILETIME atime;
    DWORD grfMode;
    DWORD grfLocksSupported;
    CLSID clsid;
    DWORD grfStateBits;
    DWORD reserved;
} STATSTG, *LPSTATSTG;

DECLARE_MAPI_INTERFACE_PTR(ISequentialStream, LPSEQUENTIALSTREAM);
DECLARE_MAPI_INTERFACE_PTR(IStream, LPSTREAM);

#define MAPI_ISEQUENTIALSTREAM_METHODS(IPURE)                                   \
    MAPIMETHOD(Read)(THIS_ void *pv, ULONG cb, ULONG *pcbRead) IPURE;           \
    MAPIMETHOD(Write)(THIS_ const void *pv, ULONG cb, ULONG *pcbWritten) IPURE;

#define MAPI_ISTREAM_METHODS(IPURE)                                                  \
    MAPIMETHOD(Seek)(THIS_ LARGE_INTEGER dlibMove, DWORD dwOrigin,                   \
                     ULARGE_INTEGER * plibNewPosition) IPURE;                        \
    MAPIMETHOD(SetSize)(THIS_ ULARGE_INTEGER libNewSize) IPURE;                      \
    MAPIMETHOD(CopyTo)(THIS_ IStream * pstm, ULARGE_INTEGER cb,                      \
                       ULARGE_INTEGER * pcbRead, ULARGE_INTEGER * pcbWritten) IPURE; \
    MAPIMETHOD(Commit)(THIS_ DWORD grfCommitFlags) IPURE;                            \
    MAPIMETHOD(Revert)(THIS) IPURE;                                                  \
    MAPIMETHOD(LockRegion)(THIS_ ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,        \
                           DWORD dwLockType) IPURE;                                  \
    MAPIMETHOD(UnlockRegion)(THIS_ ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,      \
                             DWORD dwLockType) IPURE;                                \
    MAPIMETHOD(Stat)(THIS_ STATSTG * pstatstg, DWORD grfStatFlag) IPURE;             \
    MAPIMETHOD(Clone)(THIS_ IStream * *ppstm) IPURE;

#undef INTERFACE
#define INTERFACE ISequentialStream
DECLARE_MAPI_INTERFACE_(ISequentialStream, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_ISEQUENTIALSTREAM_METHODS(IPURE)
};

#define ISequentialStream_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define ISequentialStream_AddRef(p) (p)->lpVtbl->AddRef(p)
#define ISequentialStream_Release(p) (p)->lpVtbl->Release(p)
#define ISequentialStream_Read(p, a, b, c) (p)->lpVtbl->Read(p, a, b, c)
#define ISequentialStream_Write(p, a, b, c) (p)->lpVtbl->Write(p, a, b, c)

#undef INTERFACE
#define INTERFACE IStream
DECLARE_MAPI_INTERFACE_(IStream, ISequentialStream)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_ISEQUENTIALSTREAM_METHODS(IPURE)
    MAPI_ISTREAM_METHODS(IPURE)
};

#define IStream_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IStream_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IStream_Release(p) (p)->lpVtbl->Release(p)
#define IStream_Read(p, a, b, c) (p)->lpVtbl->Read(p, a, b, c)
#define IStream_Write(p, a, b, c) (p)->lpVtbl->Write(p, a, b, c)
#define IStream_Seek(p, a, b, c) (p)->lpVtbl->Seek(p, a, b, c)
#define IStream_SetSize(p, a) (p)->lpVtbl->SetSize(p, a)
#define IStream_CopyTo(p, a, b, c, d) (p)->lpVtbl->CopyTo(p, a, b, c, d)
#define IStream_Commit(p, a) (p)->lpVtbl->Commit(p, a)
#define IStream_Revert(p) (p)->lpVtbl->Revert(p)
#define IStream_LockRegion(p, a, b, c) (p)->lpVtbl->LockRegion(p, a, b, c)
#define IStream_UnlockRegion(p, a, b, c) (p)->lpVtbl->UnlockRegion(p, a, b, c)
#define IStream_Stat(p, a, b) (p)->lpVtbl->Stat(p, a, b)
#define IStream_Clone(p, a) (p)->lpVtbl->Clone(p, a)

/* ---- IMalloc: COM's task allocator (MAPIGetDefaultMalloc returns one) ----- */
DECLARE_MAPI_INTERFACE_PTR(IMalloc, LPMALLOC);

#define MAPI_IMALLOC_METHODS(IPURE)                                 \
    MAPIMETHOD_(void *, Alloc)(THIS_ SIZE_T cb) IPURE;              \
    MAPIMETHOD_(void *, Realloc)(THIS_ void *pv, SIZE_T cb) IPURE;  \
    MAPIMETHOD_(void, Free)(THIS_ void *pv) IPURE;                  \
    MAPIMETHOD_(SIZE_T, GetSize)(THIS_ void *pv) IPURE;             \
    MAPIMETHOD_(int, DidAlloc)(THIS_ void *pv) IPURE;               \
    MAPIMETHOD_(void, HeapMinimize)(THIS) IPURE;

#undef INTERFACE
#define INTERFACE IMalloc
DECLARE_MAPI_INTERFACE_(IMalloc, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMALLOC_METHODS(IPURE)
};

#define IMalloc_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMalloc_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMalloc_Release(p) (p)->lpVtbl->Release(p)
#define IMalloc_Alloc(p, a) (p)->lpVtbl->Alloc(p, a)
#define IMalloc_Realloc(p, a, b) (p)->lpVtbl->Realloc(p, a, b)
#define IMalloc_Free(p, a) (p)->lpVtbl->Free(p, a)
#define IMalloc_GetSize(p, a) (p)->lpVtbl->GetSize(p, a)
#define IMalloc_DidAlloc(p, a) (p)->lpVtbl->DidAlloc(p, a)
#define IMalloc_HeapMinimize(p) (p)->lpVtbl->HeapMinimize(p)

/* ---- IClassFactory: COM's object factory (IMAPIFormFactory hands one out) -- */
DECLARE_MAPI_INTERFACE_PTR(IClassFactory, LPCLASSFACTORY);

#define MAPI_ICLASSFACTORY_METHODS(IPURE)                                           \
    MAPIMETHOD(CreateInstance)(THIS_ LPUNKNOWN pUnkOuter, REFIID riid,              \
                               LPVOID * ppvObject) IPURE;                           \
    MAPIMETHOD(LockServer)(THIS_ BOOL fLock) IPURE;

#undef INTERFACE
#define INTERFACE IClassFactory
DECLARE_MAPI_INTERFACE_(IClassFactory, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_ICLASSFACTORY_METHODS(IPURE)
};

#define IClassFactory_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IClassFactory_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IClassFactory_Release(p) (p)->lpVtbl->Release(p)
#define IClassFactory_CreateInstance(p, a, b, c) (p)->lpVtbl->CreateInstance(p, a, b, c)
#define IClassFactory_LockServer(p, a) (p)->lpVtbl->LockServer(p, a)

/* ---- IsBadBoundedStringPtr ---------------------------------------------------- */
/* Nonzero when the string cannot be read: Linux offers no cheap test of
 * whether memory is readable, so, like IsBadStringPtrW (mapinls.h), this
 * answers for NULL only; cchMax 0 is always readable (zero). */
FREEMAPI_BEGIN_DECLS
STDAPI_(BOOL) IsBadBoundedStringPtr(const void *lpsz, UINT cchMax);
FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPIWIN_H */
