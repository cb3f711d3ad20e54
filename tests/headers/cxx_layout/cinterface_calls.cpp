/*
 * tests/headers/cxx_layout/cinterface_calls.cpp - C++ with CINTERFACE, as
 * on Windows: the interfaces are the C declarations (a struct holding
 * lpVtbl), and every method of any object is called through its vtable,
 * p->lpVtbl->Method(p, ...), the way the C library calls objects it is
 * given. Called on C++ objects, this is the library calling C++ classes.
 */
#define CINTERFACE 1
#include <string.h>

#include "fm_layout.h"

#ifdef FREEMAPI_CXX_INTERFACES
#error "with CINTERFACE the interfaces must be the C declarations"
#endif

static_assert(sizeof(IMAPIFolder) == sizeof(void *), "an interface is one vtable pointer");

template <class T> struct fm_arg {
    static T get() { return T(); }
};
template <class T> struct fm_arg<T &> {
    static T &get()
    {
        static T v{};
        return v;
    }
};

template <class T, class R, class... A>
static int fm_c_call_slot(T *p, R(STDMETHODCALLTYPE *fn)(T *, A...), const char *name)
{
    fm_layout_reset();
    fn(p, fm_arg<A>::get()...);
    if (strcmp(fm_layout_last_method(), name) != 0)
        return fm_layout_fail("vtable call of %s reached %s", name, fm_layout_last_method());
    if (fm_layout_last_self() != static_cast<const void *>(p))
        return fm_layout_fail("vtable call of %s ran on another object", name);
    return 1;
}

#define FM_INC "cinterface_iface.inc"
#include "iface_list.inc"
#undef FM_INC

#undef MAPIMETHOD
#undef MAPIMETHOD_
#define MAPIMETHOD(m) n += fm_c_call_slot(p, p->lpVtbl->m, #m); FM_EAT
#define MAPIMETHOD_(t, m) MAPIMETHOD(m)
static int c_call_IMalloc(void *obj)
{
    IMalloc *p = static_cast<IMalloc *>(obj);
    int n = 0;
    MAPI_IUNKNOWN_METHODS() MAPI_IMALLOC_METHODS()
    return n;
}

extern "C" int fm_layout_cinterface_call_all(const char *iface, void *obj)
{
    if (strcmp(iface, "IMalloc") == 0)
        return c_call_IMalloc(obj);
#define FM_INC "cinterface_call.inc"
#include "iface_list.inc"
#undef FM_INC
    return fm_layout_fail("no vtable caller for %s", iface);
}
