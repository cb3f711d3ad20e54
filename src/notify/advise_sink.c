/*
 * notify/advise_sink.c - HrAllocAdviseSink: an IMAPIAdviseSink whose OnNotify
 * calls a NOTIFCALLBACK with the caller's context.
 *
 * The sink is reference counted like any MAPI object; OnNotify may be called
 * from any thread (freemapi's notification threads call it), so the object
 * holds nothing that would need a lock: the callback and context never
 * change after creation.
 */
#include <stdatomic.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapiutil.h"

typedef struct callback_sink {
    const IMAPIAdviseSinkVtbl *lpVtbl;
    _Atomic ULONG refs;
    LPNOTIFCALLBACK callback;
    void *context;
} callback_sink;

static STDMETHODIMP cs_QueryInterface(IMAPIAdviseSink *This, REFIID riid, LPVOID *ppvObj)
{
    if (ppvObj == NULL || riid == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppvObj = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIAdviseSink))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                            "the advise sink supports IUnknown and IMAPIAdviseSink only");
    IMAPIAdviseSink_AddRef(This);
    *ppvObj = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) cs_AddRef(IMAPIAdviseSink *This)
{
    return atomic_fetch_add(&((callback_sink *)This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) cs_Release(IMAPIAdviseSink *This)
{
    callback_sink *s = (callback_sink *)This;
    ULONG left = atomic_fetch_sub(&s->refs, 1) - 1;
    if (left == 0)
        fm_free(s);
    return left;
}

static STDMETHODIMP_(ULONG) cs_OnNotify(IMAPIAdviseSink *This, ULONG cNotif,
                                        LPNOTIFICATION lpNotifications)
{
    callback_sink *s = (callback_sink *)This;
    return (ULONG)s->callback(s->context, cNotif, lpNotifications);
}

static const IMAPIAdviseSinkVtbl callback_sink_vtbl = {
    cs_QueryInterface,
    cs_AddRef,
    cs_Release,
    cs_OnNotify,
};

STDAPI HrAllocAdviseSink(LPNOTIFCALLBACK lpfnCallback, LPVOID lpvContext,
                         LPMAPIADVISESINK *lppAdviseSink)
{
    if (lppAdviseSink != NULL)
        *lppAdviseSink = NULL;
    if (lppAdviseSink == NULL || lpfnCallback == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "HrAllocAdviseSink: lpfnCallback and lppAdviseSink are required");
    callback_sink *s = fm_malloc(sizeof *s);
    if (s == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "HrAllocAdviseSink: out of memory");
    s->lpVtbl = &callback_sink_vtbl;
    atomic_init(&s->refs, 1);
    s->callback = lpfnCallback;
    s->context = lpvContext;
    *lppAdviseSink = (IMAPIAdviseSink *)s;
    return S_OK;
}
