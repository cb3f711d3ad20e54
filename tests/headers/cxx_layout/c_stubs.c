/*
 * tests/headers/cxx_layout/c_stubs.c - the C side of the layout test:
 * the call log, and one stub object per interface whose vtable is the C
 * declaration's (IMapiFolderVtbl ...), each slot a stub recording its own
 * method name and the object it ran on.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fm_layout.h"

/* ---- call log ------------------------------------------------------------- */
static const char *last_method;
static const void *last_self;
static int failures;

void fm_layout_record(const void *self, const char *method)
{
    /* C stubs are named <iface>_stub_<method>; C++ ones are the method. */
    const char *cut = strstr(method, "_stub_");
    last_method = cut ? cut + 6 : method;
    last_self = self;
}

const char *fm_layout_last_method(void)
{
    return last_method ? last_method : "(none)";
}

const void *fm_layout_last_self(void)
{
    return last_self;
}

void fm_layout_reset(void)
{
    last_method = NULL;
    last_self = NULL;
}

int fm_layout_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("FAIL: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    failures++;
    return -1;
}

int fm_layout_failures(void)
{
    return failures;
}

/* ---- generated stubs, one set per interface -------------------------------- */
#define FM_C_STUB_BODY                      \
    {                                       \
        fm_layout_record(This, __func__);   \
        return 0;                           \
    }
#define FM_INC "c_stub_iface.inc"
#include "iface_list.inc"
#undef FM_INC

/* ---- IMalloc, by hand (void methods) ---------------------------------------- */
#undef INTERFACE
#define INTERFACE IMalloc
#undef MAPIMETHOD
#undef MAPIMETHOD_
#define MAPIMETHOD(m) static HRESULT STDMETHODCALLTYPE FM_CAT(IMalloc_stub_, m)
#define MAPIMETHOD_(t, m) static t STDMETHODCALLTYPE FM_CAT(IMalloc_stub_, m)
MAPI_IUNKNOWN_METHODS(FM_C_STUB_BODY)
static void *STDMETHODCALLTYPE IMalloc_stub_Alloc(IMalloc *This, SIZE_T cb)
{
    fm_layout_record(This, __func__);
    return NULL;
}
static void *STDMETHODCALLTYPE IMalloc_stub_Realloc(IMalloc *This, void *pv, SIZE_T cb)
{
    fm_layout_record(This, __func__);
    return NULL;
}
static void STDMETHODCALLTYPE IMalloc_stub_Free(IMalloc *This, void *pv)
{
    fm_layout_record(This, __func__);
}
static SIZE_T STDMETHODCALLTYPE IMalloc_stub_GetSize(IMalloc *This, void *pv)
{
    fm_layout_record(This, __func__);
    return 0;
}
static int STDMETHODCALLTYPE IMalloc_stub_DidAlloc(IMalloc *This, void *pv)
{
    fm_layout_record(This, __func__);
    return 0;
}
static void STDMETHODCALLTYPE IMalloc_stub_HeapMinimize(IMalloc *This)
{
    fm_layout_record(This, __func__);
}
static const IMallocVtbl IMalloc_c_vtbl = {
    IMalloc_stub_QueryInterface, IMalloc_stub_AddRef, IMalloc_stub_Release,
    IMalloc_stub_Alloc, IMalloc_stub_Realloc, IMalloc_stub_Free,
    IMalloc_stub_GetSize, IMalloc_stub_DidAlloc, IMalloc_stub_HeapMinimize,
};
static IMalloc IMalloc_c_obj = { &IMalloc_c_vtbl };

/* ---- lookup by name ---------------------------------------------------------- */
void *fm_layout_c_object(const char *iface)
{
    if (strcmp(iface, "IMalloc") == 0)
        return &IMalloc_c_obj;
#define FM_INC "c_make.inc"
#include "iface_list.inc"
#undef FM_INC
    return NULL;
}

size_t fm_layout_c_slots(const char *iface)
{
    if (strcmp(iface, "IMalloc") == 0)
        return sizeof(IMallocVtbl) / sizeof(void (*)(void));
#define FM_INC "c_slots.inc"
#include "iface_list.inc"
#undef FM_INC
    return 0;
}

/* Every interface the test covers, by name; NULL-terminated. */
const char *const fm_layout_names[] = {
    "IMalloc",
#define FM_INC "name.inc"
#include "iface_list.inc"
#undef FM_INC
    NULL,
};
