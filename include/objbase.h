/*
 * objbase.h - the few COM entry points MAPI programs call: CoInitialize(Ex)
 * and CoUninitialize (counted, nothing else to set up on Linux), the task
 * allocator (CoTaskMemAlloc/Realloc/Free, freemapi's accounted allocator,
 * the same as MAPIGetDefaultMalloc), and CoCreateInstance, which makes the
 * one class freemapi provides, CLSID_IConverterSession; it lives in
 * libfreemapi-mime with the converter, so programs that call it link that
 * library. Other classes are REGDB_E_CLASSNOTREG, as for a class no
 * program registered.
 */
#ifndef FREEMAPI_OBJBASE_H
#define FREEMAPI_OBJBASE_H

#include "mapiwin.h"

FREEMAPI_BEGIN_DECLS

typedef enum tagCLSCTX {
    CLSCTX_INPROC_SERVER = 0x1,
    CLSCTX_INPROC_HANDLER = 0x2,
    CLSCTX_LOCAL_SERVER = 0x4,
    CLSCTX_REMOTE_SERVER = 0x10
} CLSCTX;
#define CLSCTX_INPROC (CLSCTX_INPROC_SERVER | CLSCTX_INPROC_HANDLER)
#define CLSCTX_ALL (CLSCTX_INPROC_SERVER | CLSCTX_INPROC_HANDLER | CLSCTX_LOCAL_SERVER | \
                    CLSCTX_REMOTE_SERVER)
#define CLSCTX_SERVER (CLSCTX_INPROC_SERVER | CLSCTX_LOCAL_SERVER | CLSCTX_REMOTE_SERVER)

typedef enum tagCOINIT {
    COINIT_APARTMENTTHREADED = 0x2,
    COINIT_MULTITHREADED = 0x0,
    COINIT_DISABLE_OLE1DDE = 0x4,
    COINIT_SPEED_OVER_MEMORY = 0x8
} COINIT;

#ifndef REGDB_E_CLASSNOTREG
#define REGDB_E_CLASSNOTREG ((HRESULT)0x80040154L)
#endif
#ifndef CLASS_E_NOAGGREGATION
#define CLASS_E_NOAGGREGATION ((HRESULT)0x80040110L)
#endif

/* S_OK the first time on a thread, S_FALSE after (as COM answers). */
STDAPI CoInitialize(LPVOID pvReserved);
STDAPI CoInitializeEx(LPVOID pvReserved, DWORD dwCoInit);
STDAPI_(void) CoUninitialize(void);
STDAPI_(LPVOID) CoTaskMemAlloc(SIZE_T cb);
STDAPI_(LPVOID) CoTaskMemRealloc(LPVOID pv, SIZE_T cb);
STDAPI_(void) CoTaskMemFree(LPVOID pv);
/* libfreemapi-mime. */
STDAPI CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter, DWORD dwClsContext, REFIID riid,
                        LPVOID *ppv);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_OBJBASE_H */
