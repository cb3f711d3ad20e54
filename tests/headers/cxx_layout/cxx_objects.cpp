/*
 * tests/headers/cxx_layout/cxx_objects.cpp - the C++ side (no CINTERFACE):
 * every interface declared as the Windows SDK declares it in C++, a class
 * implementing each one whose methods record their names, and calls of
 * every method of any object in C++ style, lpObj->Method(...), through a
 * pointer to each member in turn.
 */
#include <string.h>
#include <type_traits>

#include "fm_layout.h"

#ifndef FREEMAPI_CXX_INTERFACES
#error "compiled as C++ without CINTERFACE, the interfaces must be C++ classes"
#endif

static_assert(sizeof(IMAPIFolder) == sizeof(void *), "an interface is one vtable pointer");
static_assert(std::is_polymorphic<IMAPIFolder>::value, "interfaces have virtual methods");
static_assert(std::is_abstract<IMAPIFolder>::value, "interface methods are pure virtual");
static_assert(std::is_base_of<IMAPIContainer, IMAPIFolder>::value, "IMAPIFolder : IMAPIContainer");
static_assert(std::is_base_of<IMAPIProp, IMAPIFolder>::value, "IMAPIContainer : IMAPIProp");
static_assert(std::is_base_of<IUnknown, IStream>::value, "IStream : ... : IUnknown");
static_assert(std::is_same<REFIID, const IID &>::value, "REFIID is a reference in C++");

/* A value of any parameter type: zero, or a zero object for a reference. */
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

template <class C, class R, class... A>
static int fm_cxx_call_slot(C *p, R (C::*m)(A...), const char *name)
{
    fm_layout_reset();
    (p->*m)(fm_arg<A>::get()...);
    if (strcmp(fm_layout_last_method(), name) != 0)
        return fm_layout_fail("C++ call of %s reached %s", name, fm_layout_last_method());
    if (fm_layout_last_self() != static_cast<const void *>(p))
        return fm_layout_fail("C++ call of %s ran on another object", name);
    return 1;
}

#define FM_CXX_BODY                                                          \
    {                                                                        \
        fm_layout_record(static_cast<const FM_IFACE *>(this), __func__);     \
        return 0;                                                            \
    }
#define FM_INC "cxx_iface.inc"
#include "iface_list.inc"
#undef FM_INC

/* IMalloc, by hand: void methods. */
#undef MAPIMETHOD
#undef MAPIMETHOD_
#define MAPIMETHOD(m) virtual HRESULT STDMETHODCALLTYPE m
#define MAPIMETHOD_(t, m) virtual t STDMETHODCALLTYPE m
#define FM_IFACE IMalloc
struct CxxIMalloc final : public IMalloc {
    MAPI_IUNKNOWN_METHODS(FM_CXX_BODY)
    STDMETHOD_(void *, Alloc)(SIZE_T) { fm_layout_record(this, __func__); return NULL; }
    STDMETHOD_(void *, Realloc)(void *, SIZE_T) { fm_layout_record(this, __func__); return NULL; }
    STDMETHOD_(void, Free)(void *) { fm_layout_record(this, __func__); }
    STDMETHOD_(SIZE_T, GetSize)(void *) { fm_layout_record(this, __func__); return 0; }
    STDMETHOD_(int, DidAlloc)(void *) { fm_layout_record(this, __func__); return 0; }
    STDMETHOD_(void, HeapMinimize)() { fm_layout_record(this, __func__); }
};
#undef MAPIMETHOD
#undef MAPIMETHOD_
#define MAPIMETHOD(m) n += fm_cxx_call_slot(p, &FM_IFACE::m, #m); FM_EAT
#define MAPIMETHOD_(t, m) MAPIMETHOD(m)
static int cxx_call_IMalloc(void *obj)
{
    IMalloc *p = static_cast<IMalloc *>(obj);
    int n = 0;
    MAPI_IUNKNOWN_METHODS() MAPI_IMALLOC_METHODS()
    return n;
}
#undef FM_IFACE

/* ---- lookup by name ---------------------------------------------------------- */
extern "C" void *fm_layout_cxx_object(const char *iface)
{
    if (strcmp(iface, "IMalloc") == 0)
        return static_cast<IMalloc *>(new CxxIMalloc);
#define FM_INC "cxx_make.inc"
#include "iface_list.inc"
#undef FM_INC
    return NULL;
}

extern "C" void fm_layout_cxx_free(const char *iface, void *obj)
{
    if (strcmp(iface, "IMalloc") == 0)
        delete static_cast<CxxIMalloc *>(static_cast<IMalloc *>(obj));
#define FM_INC "cxx_free.inc"
#include "iface_list.inc"
#undef FM_INC
}

extern "C" int fm_layout_cxx_call_all(const char *iface, void *obj)
{
    if (strcmp(iface, "IMalloc") == 0)
        return cxx_call_IMalloc(obj);
#define FM_INC "cxx_call.inc"
#include "iface_list.inc"
#undef FM_INC
    return fm_layout_fail("no C++ caller for %s", iface);
}
