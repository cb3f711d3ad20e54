/*
 * ab/abobj_methods.h - the IUnknown and IMAPIProp methods of an address
 * book object type T (IMailUser, IDistList, IABContainer, IAddrBook), all
 * over fm_abobj (abobj.c). FM_AB_PROP_METHODS(P, T) defines P_QueryInterface
 * ... P_GetIDsFromNames (P_iids, a NULL-ended IID list, must be declared
 * first); FM_AB_PROP_VTBL(P) fills those members of a vtable.
 */
#ifndef FREEMAPI_AB_ABOBJ_METHODS_H
#define FREEMAPI_AB_ABOBJ_METHODS_H

#include "ab/ab.h"

#define FM_AB_PROP_METHODS(P, T)                                                             \
    static STDMETHODIMP P##_QueryInterface(T *This, REFIID riid, LPVOID *ppv)                 \
    {                                                                                         \
        return fm_abobj_qi((fm_abobj *)This, riid, P##_iids, ppv);                            \
    }                                                                                         \
    static STDMETHODIMP_(ULONG) P##_AddRef(T *This)                                           \
    {                                                                                         \
        return fm_abobj_addref((fm_abobj *)This);                                             \
    }                                                                                         \
    static STDMETHODIMP_(ULONG) P##_Release(T *This)                                          \
    {                                                                                         \
        return fm_abobj_release((fm_abobj *)This);                                            \
    }                                                                                         \
    static STDMETHODIMP P##_GetLastError(T *This, HRESULT hr, ULONG f, LPMAPIERROR *e)        \
    {                                                                                         \
        return fm_abobj_get_last_error((fm_abobj *)This, hr, f, e);                           \
    }                                                                                         \
    static STDMETHODIMP P##_SaveChanges(T *This, ULONG f)                                     \
    {                                                                                         \
        (void)f;                                                                              \
        return fm_abobj_read_only((fm_abobj *)This, "SaveChanges");                           \
    }                                                                                         \
    static STDMETHODIMP P##_GetProps(T *This, LPSPropTagArray t, ULONG f, ULONG *c,           \
                                     LPSPropValue *v)                                         \
    {                                                                                         \
        return fm_abobj_get_props((fm_abobj *)This, t, f, c, v);                              \
    }                                                                                         \
    static STDMETHODIMP P##_GetPropList(T *This, ULONG f, LPSPropTagArray *t)                 \
    {                                                                                         \
        return fm_abobj_get_prop_list((fm_abobj *)This, f, t);                                \
    }                                                                                         \
    static STDMETHODIMP P##_OpenProperty(T *This, ULONG tag, LPCIID iid, ULONG o, ULONG f,    \
                                         LPUNKNOWN *u)                                        \
    {                                                                                         \
        (void)tag, (void)iid, (void)o, (void)f;                                               \
        if (u)                                                                                \
            *u = NULL;                                                                        \
        return fm_abobj_fail((fm_abobj *)This,                                                \
                             fm_error_set(MAPI_E_NO_SUPPORT, "OpenProperty: address book "    \
                                                             "entries have no object or "     \
                                                             "stream properties"));           \
    }                                                                                         \
    static STDMETHODIMP P##_SetProps(T *This, ULONG c, LPSPropValue v,                        \
                                     LPSPropProblemArray *pp)                                 \
    {                                                                                         \
        (void)c, (void)v;                                                                     \
        if (pp)                                                                               \
            *pp = NULL;                                                                       \
        return fm_abobj_read_only((fm_abobj *)This, "SetProps");                              \
    }                                                                                         \
    static STDMETHODIMP P##_DeleteProps(T *This, LPSPropTagArray t, LPSPropProblemArray *pp)  \
    {                                                                                         \
        (void)t;                                                                              \
        if (pp)                                                                               \
            *pp = NULL;                                                                       \
        return fm_abobj_read_only((fm_abobj *)This, "DeleteProps");                           \
    }                                                                                         \
    static STDMETHODIMP P##_CopyTo(T *This, ULONG ci, LPCIID ri, LPSPropTagArray ex,          \
                                   ULONG_PTR ui, LPMAPIPROGRESS pr, LPCIID i, LPVOID d,       \
                                   ULONG f, LPSPropProblemArray *pp)                          \
    {                                                                                         \
        (void)ci, (void)ri, (void)ex, (void)ui, (void)pr, (void)i, (void)d, (void)f;          \
        if (pp)                                                                               \
            *pp = NULL;                                                                       \
        return fm_abobj_fail((fm_abobj *)This,                                                \
                             fm_error_set(MAPI_E_NO_SUPPORT, "CopyTo: copy the values "       \
                                                             "GetProps returns instead"));    \
    }                                                                                         \
    static STDMETHODIMP P##_CopyProps(T *This, LPSPropTagArray in, ULONG_PTR ui,              \
                                      LPMAPIPROGRESS pr, LPCIID i, LPVOID d, ULONG f,         \
                                      LPSPropProblemArray *pp)                                \
    {                                                                                         \
        (void)in, (void)ui, (void)pr, (void)i, (void)d, (void)f;                              \
        if (pp)                                                                               \
            *pp = NULL;                                                                       \
        return fm_abobj_fail((fm_abobj *)This,                                                \
                             fm_error_set(MAPI_E_NO_SUPPORT, "CopyProps: copy the values "    \
                                                             "GetProps returns instead"));    \
    }                                                                                         \
    static STDMETHODIMP P##_GetNamesFromIDs(T *This, LPSPropTagArray *t, LPGUID g, ULONG f,   \
                                            ULONG *c, LPMAPINAMEID **n)                       \
    {                                                                                         \
        (void)t, (void)g, (void)f;                                                            \
        if (c)                                                                                \
            *c = 0;                                                                           \
        if (n)                                                                                \
            *n = NULL;                                                                        \
        return fm_abobj_fail((fm_abobj *)This,                                                \
                             fm_error_set(MAPI_E_NO_SUPPORT, "GetNamesFromIDs: directory "    \
                                                             "entries have no named "         \
                                                             "properties"));                  \
    }                                                                                         \
    static STDMETHODIMP P##_GetIDsFromNames(T *This, ULONG c, LPMAPINAMEID *n, ULONG f,       \
                                            LPSPropTagArray *t)                               \
    {                                                                                         \
        (void)c, (void)n, (void)f;                                                            \
        if (t)                                                                                \
            *t = NULL;                                                                        \
        return fm_abobj_fail((fm_abobj *)This,                                                \
                             fm_error_set(MAPI_E_NO_SUPPORT, "GetIDsFromNames: directory "    \
                                                             "entries have no named "         \
                                                             "properties"));                  \
    }

#define FM_AB_PROP_VTBL(P)                                                                   \
    .QueryInterface = P##_QueryInterface, .AddRef = P##_AddRef, .Release = P##_Release,      \
    .GetLastError = P##_GetLastError, .SaveChanges = P##_SaveChanges,                        \
    .GetProps = P##_GetProps, .GetPropList = P##_GetPropList,                                \
    .OpenProperty = P##_OpenProperty, .SetProps = P##_SetProps,                              \
    .DeleteProps = P##_DeleteProps, .CopyTo = P##_CopyTo, .CopyProps = P##_CopyProps,        \
    .GetNamesFromIDs = P##_GetNamesFromIDs, .GetIDsFromNames = P##_GetIDsFromNames

#endif /* FREEMAPI_AB_ABOBJ_METHODS_H */
