/*
 * tests/props/stub_prop.h - a scripted IMAPIProp for tests: GetProps,
 * GetPropList and SetProps answer what the test set up (a failure code, a
 * PT_ERROR value, a problem array), so the helpers built on IMAPIProp can be
 * driven through paths a real object rarely takes. Methods not scripted
 * answer MAPI_E_NO_SUPPORT.
 */
#ifndef FREEMAPI_TESTS_PROPS_STUB_PROP_H
#define FREEMAPI_TESTS_PROPS_STUB_PROP_H

#include "fm_test.h"
#include "mapiutil.h"

typedef struct stub_prop {
    IMAPIProp iface;
    ULONG refs;
    HRESULT get_hr;    /* what GetProps/GetPropList return */
    SCODE get_error;   /* nonzero: GetProps gives PT_ERROR with this */
    HRESULT set_hr;    /* what SetProps returns */
    SCODE set_problem; /* nonzero: SetProps reports this problem */
} stub_prop;

#undef INTERFACE
#define INTERFACE IMAPIProp
static STDMETHODIMP stub_qi(IMAPIProp *This, REFIID riid, LPVOID *ppv)
{
    *ppv = This;
    ((stub_prop *)This)->refs++;
    return S_OK;
}
static STDMETHODIMP_(ULONG) stub_addref(IMAPIProp *This)
{
    return ++((stub_prop *)This)->refs;
}
static STDMETHODIMP_(ULONG) stub_release(IMAPIProp *This)
{
    return --((stub_prop *)This)->refs;
}
static STDMETHODIMP stub_lasterror(IMAPIProp *This, HRESULT h, ULONG f, LPMAPIERROR *e)
{
    return MAPI_E_NO_SUPPORT;
}
static STDMETHODIMP stub_save(IMAPIProp *This, ULONG f)
{
    return MAPI_E_NO_SUPPORT;
}

static STDMETHODIMP stub_getprops(IMAPIProp *This, LPSPropTagArray tags, ULONG flags, ULONG *pc,
                                  LPSPropValue *pv)
{
    stub_prop *s = (stub_prop *)This;
    *pc = 0;
    *pv = NULL;
    if (FAILED(s->get_hr))
        return s->get_hr;
    SCODE sc = MAPIAllocateBuffer(sizeof(SPropValue), (void **)pv);
    if (sc != S_OK)
        return sc;
    *pc = 1;
    (*pv)->ulPropTag = tags->aulPropTag[0];
    (*pv)->Value.l = 42;
    if (s->get_error) {
        (*pv)->ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tags->aulPropTag[0]));
        (*pv)->Value.err = s->get_error;
        return MAPI_W_ERRORS_RETURNED;
    }
    return S_OK;
}
static STDMETHODIMP stub_getproplist(IMAPIProp *This, ULONG f, LPSPropTagArray *out)
{
    *out = NULL;
    return ((stub_prop *)This)->get_hr;
}
static STDMETHODIMP stub_open(IMAPIProp *This, ULONG t, LPCIID i, ULONG o, ULONG f, LPUNKNOWN *u)
{
    return MAPI_E_NO_SUPPORT;
}
static STDMETHODIMP stub_setprops(IMAPIProp *This, ULONG c, LPSPropValue v, LPSPropProblemArray *pp)
{
    stub_prop *s = (stub_prop *)This;
    if (pp)
        *pp = NULL;
    if (FAILED(s->set_hr))
        return s->set_hr;
    if (s->set_problem && pp) {
        SCODE sc = MAPIAllocateBuffer((ULONG)CbNewSPropProblemArray(1), (void **)pp);
        if (sc != S_OK)
            return sc;
        (*pp)->cProblem = 1;
        (*pp)->aProblem[0] = (SPropProblem){0, v[0].ulPropTag, s->set_problem};
    }
    return S_OK;
}
static STDMETHODIMP stub_delete(IMAPIProp *This, LPSPropTagArray t, LPSPropProblemArray *p)
{
    return MAPI_E_NO_SUPPORT;
}
static STDMETHODIMP stub_copyto(IMAPIProp *This, ULONG a, LPCIID b, LPSPropTagArray c, ULONG_PTR d,
                                LPMAPIPROGRESS e, LPCIID f, LPVOID g, ULONG h,
                                LPSPropProblemArray *i)
{
    return MAPI_E_NO_SUPPORT;
}
static STDMETHODIMP stub_copyprops(IMAPIProp *This, LPSPropTagArray a, ULONG_PTR b, LPMAPIPROGRESS c,
                                   LPCIID d, LPVOID e, ULONG f, LPSPropProblemArray *g)
{
    return MAPI_E_NO_SUPPORT;
}
static STDMETHODIMP stub_names(IMAPIProp *This, LPSPropTagArray *a, LPGUID b, ULONG c, ULONG *d,
                               LPMAPINAMEID **e)
{
    return MAPI_E_NO_SUPPORT;
}
static STDMETHODIMP stub_ids(IMAPIProp *This, ULONG a, LPMAPINAMEID *b, ULONG c, LPSPropTagArray *d)
{
    *d = NULL;
    return MAPI_E_NO_SUPPORT;
}

static const IMAPIPropVtbl stub_vtbl = {
    stub_qi,       stub_addref,      stub_release, stub_lasterror, stub_save,
    stub_getprops, stub_getproplist, stub_open,    stub_setprops,  stub_delete,
    stub_copyto,   stub_copyprops,   stub_names,   stub_ids,
};

static inline stub_prop stub_make(void)
{
    stub_prop s = {{&stub_vtbl}, 1, S_OK, 0, S_OK, 0};
    return s;
}

#endif /* FREEMAPI_TESTS_PROPS_STUB_PROP_H */
