/*
 * ab/addrbook.c - IAddrBook: the address book a session opens
 * (fm_addrbook_open, addrbook.h). Its containers are a root and the
 * global address list (the site directory). What MAPI would show a dialog
 * for (Address, Details, NewEntry, RecipOptions) answers MAPI_E_NO_SUPPORT:
 * freemapi has no user interface.
 *
 * The address book owns what it allocates: a reference to the session's
 * identity (site connection), its site name and search path; every object
 * and table it hands out holds a reference to it (fm_ab), so the last
 * Release of any of them frees everything. Nothing is shared between
 * sessions and nothing grows with use.
 */
#include <string.h>
#include <strings.h>

#include "ab/abobj_methods.h"
#include "ab/addrbook.h"
#include "core/alloc.h"
#include "core/text.h"
#include "mapiguid.h"

void fm_ab_addref(fm_ab *ab)
{
    atomic_fetch_add(&ab->refs, 1);
}

void fm_ab_release(fm_ab *ab)
{
    if (ab == NULL || atomic_fetch_sub(&ab->refs, 1) != 1)
        return;
    fm_identity_release(ab->id);
    fm_free(ab->site_name);
    pthread_mutex_destroy(&ab->lock);
    fm_free(ab);
}

#define THIS_AB(This) (((fm_abobj *)(This))->ab)
#define FAIL(This, hr) fm_abobj_fail((fm_abobj *)(This), (hr))

static const IID *const abk_iids[] = { &IID_IAddrBook, &IID_IMAPIProp, &IID_IUnknown, NULL };
FM_AB_PROP_METHODS(abk, IAddrBook)

static STDMETHODIMP abk_OpenEntry(IAddrBook *This, ULONG cb, LPENTRYID eid, LPCIID iface,
                                  ULONG flags, ULONG *type, LPUNKNOWN *out)
{
    return FAIL(This, fm_ab_open_entry(THIS_AB(This), cb, eid, iface, flags, type, out));
}

static HRESULT compare_oneoffs(ULONG cb1, LPENTRYID e1, ULONG cb2, LPENTRYID e2, ULONG *result)
{
    fm_ab_oneoff a, b;
    HRESULT hr = fm_ab_oneoff_parse(cb1, e1, &a);
    if (hr != S_OK)
        return hr;
    hr = fm_ab_oneoff_parse(cb2, e2, &b);
    if (hr != S_OK) {
        fm_ab_oneoff_clear(&a);
        return hr;
    }
    fm_text ta = fm_text_utf8(a.address), tb = fm_text_utf8(b.address);
    *result = strcasecmp(a.type, b.type) == 0 && fm_text_compare(&ta, &tb, FM_FOLD_CASE) == 0;
    fm_ab_oneoff_clear(&a);
    fm_ab_oneoff_clear(&b);
    return S_OK;
}

static HRESULT compare(ULONG cb1, LPENTRYID e1, ULONG cb2, LPENTRYID e2, ULONG *result)
{
    bool o1 = fm_ab_is_oneoff(cb1, e1), o2 = fm_ab_is_oneoff(cb2, e2);
    if (o1 && o2)
        return compare_oneoffs(cb1, e1, cb2, e2, result);
    int k1 = 0, k2 = 0;
    int64_t i1 = 0, i2 = 0;
    HRESULT hr = o1 ? S_OK : fm_ab_eid_parse(cb1, e1, &k1, &i1);
    if (hr == S_OK && !o2)
        hr = fm_ab_eid_parse(cb2, e2, &k2, &i2);
    if (hr != S_OK)
        return hr;
    *result = !o1 && !o2 && k1 == k2 && i1 == i2;
    return S_OK;
}

static STDMETHODIMP abk_CompareEntryIDs(IAddrBook *This, ULONG cb1, LPENTRYID e1, ULONG cb2,
                                        LPENTRYID e2, ULONG flags, ULONG *result)
{
    if (result == NULL || e1 == NULL || e2 == NULL)
        return FAIL(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "CompareEntryIDs: NULL "
                                                                 "argument"));
    *result = FALSE;
    if (flags != 0)
        return FAIL(This, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CompareEntryIDs: unknown flags "
                                                             "0x%08lX",
                                       (unsigned long)flags));
    return FAIL(This, compare(cb1, e1, cb2, e2, result));
}

static STDMETHODIMP abk_Advise(IAddrBook *This, ULONG cb, LPENTRYID eid, ULONG mask,
                               LPMAPIADVISESINK sink, ULONG_PTR *conn)
{
    (void)cb, (void)eid, (void)mask, (void)sink;
    if (conn)
        *conn = 0;
    return FAIL(This, fm_error_set(MAPI_E_NO_SUPPORT, "Advise: the directory sends no "
                                                      "notifications (it changes only through "
                                                      "fmapi_site_*)"));
}

static STDMETHODIMP abk_Unadvise(IAddrBook *This, ULONG_PTR conn)
{
    (void)conn;
    return FAIL(This, fm_error_set(MAPI_E_NO_SUPPORT, "Unadvise: the directory sends no "
                                                      "notifications"));
}

static HRESULT create_oneoff(LPTSTR name, LPTSTR type, LPTSTR address, ULONG flags, ULONG *cb,
                             LPENTRYID *out)
{
    if (cb == NULL || out == NULL || type == NULL || address == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateOneOff: NULL %s",
                            type == NULL ? "address type" : address == NULL ? "address"
                                                                            : "out pointer");
    *cb = 0;
    *out = NULL;
    if (flags & ~(MAPI_UNICODE | MAPI_SEND_NO_RICH_INFO))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CreateOneOff: unknown flags 0x%08lX",
                            (unsigned long)flags);
    bool wide = (flags & MAPI_UNICODE) != 0;
    char n8[1024], t8[256], a8[1024];
    HRESULT hr = fm_text_arg_utf8(name, wide, n8, sizeof n8, "the display name");
    if (hr == S_OK)
        hr = fm_text_arg_utf8(type, wide, t8, sizeof t8, "the address type");
    if (hr == S_OK)
        hr = fm_text_arg_utf8(address, wide, a8, sizeof a8, "the address");
    if (hr != S_OK)
        return hr;
    if (t8[0] == '\0' || a8[0] == '\0')
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateOneOff: empty address %s",
                            t8[0] ? "" : "type");
    unsigned of = wide ? MAPI_ONE_OFF_UNICODE : 0;
    /* An Internet address never gets TNEF (CreateOneOff's documentation). */
    if ((flags & MAPI_SEND_NO_RICH_INFO) || strcasecmp(t8, "SMTP") == 0)
        of |= MAPI_ONE_OFF_NO_RICH_INFO;
    return fm_ab_oneoff_make(n8, t8, a8, of, NULL, cb, out);
}

static STDMETHODIMP abk_CreateOneOff(IAddrBook *This, LPTSTR name, LPTSTR type, LPTSTR address,
                                     ULONG flags, ULONG *cb, LPENTRYID *out)
{
    return FAIL(This, create_oneoff(name, type, address, flags, cb, out));
}

static HRESULT no_ui(IAddrBook *This, const char *fn)
{
    return FAIL(This, fm_error_set(MAPI_E_NO_SUPPORT, "%s: freemapi has no address book user "
                                                      "interface (use the containers' tables "
                                                      "and ResolveName)",
                                   fn));
}

static STDMETHODIMP abk_NewEntry(IAddrBook *This, ULONG_PTR ui, ULONG flags, ULONG cbc,
                                 LPENTRYID c, ULONG cbt, LPENTRYID t, ULONG *cb, LPENTRYID *out)
{
    (void)ui, (void)flags, (void)cbc, (void)c, (void)cbt, (void)t;
    if (cb)
        *cb = 0;
    if (out)
        *out = NULL;
    return no_ui(This, "NewEntry");
}

static STDMETHODIMP abk_ResolveName(IAddrBook *This, ULONG_PTR ui, ULONG flags, LPTSTR title,
                                    LPADRLIST list)
{
    (void)ui, (void)title;
    return FAIL(This, fm_addrbook_resolve_name(THIS_AB(This), flags, list));
}

static STDMETHODIMP abk_Address(IAddrBook *This, ULONG_PTR *ui, LPADRPARM parms,
                                LPADRLIST *list)
{
    (void)ui, (void)parms, (void)list;
    return no_ui(This, "Address");
}

static STDMETHODIMP abk_Details(IAddrBook *This, ULONG_PTR *ui, LPFNDISMISS d, LPVOID dc,
                                ULONG cb, LPENTRYID eid, LPFNBUTTON b, LPVOID bc, LPTSTR text,
                                ULONG flags)
{
    (void)ui, (void)d, (void)dc, (void)cb, (void)eid, (void)b, (void)bc, (void)text, (void)flags;
    return no_ui(This, "Details");
}

static STDMETHODIMP abk_RecipOptions(IAddrBook *This, ULONG_PTR ui, ULONG flags,
                                     LPADRENTRY recip)
{
    (void)ui, (void)flags, (void)recip;
    return no_ui(This, "RecipOptions");
}

static STDMETHODIMP abk_QueryDefaultRecipOpt(IAddrBook *This, LPTSTR type, ULONG flags,
                                             ULONG *c, LPSPropValue *out)
{
    return FAIL(This, fm_addrbook_default_recip_opt(type, flags, c, out));
}

static STDMETHODIMP abk_GetPAB(IAddrBook *This, ULONG *cb, LPENTRYID *out)
{
    return FAIL(This, fm_addrbook_get_pab(THIS_AB(This), cb, out));
}

static STDMETHODIMP abk_SetPAB(IAddrBook *This, ULONG cb, LPENTRYID eid)
{
    return FAIL(This, fm_addrbook_set_pab(THIS_AB(This), cb, eid));
}

static STDMETHODIMP abk_GetDefaultDir(IAddrBook *This, ULONG *cb, LPENTRYID *out)
{
    return FAIL(This, fm_addrbook_get_default_dir(THIS_AB(This), cb, out));
}

static STDMETHODIMP abk_SetDefaultDir(IAddrBook *This, ULONG cb, LPENTRYID eid)
{
    return FAIL(This, fm_addrbook_set_default_dir(THIS_AB(This), cb, eid));
}

static STDMETHODIMP abk_GetSearchPath(IAddrBook *This, ULONG flags, LPSRowSet *out)
{
    return FAIL(This, fm_addrbook_get_search_path(THIS_AB(This), flags, out));
}

static STDMETHODIMP abk_SetSearchPath(IAddrBook *This, ULONG flags, LPSRowSet rows)
{
    return FAIL(This, fm_addrbook_set_search_path(THIS_AB(This), flags, rows));
}

static STDMETHODIMP abk_PrepareRecips(IAddrBook *This, ULONG flags, LPSPropTagArray tags,
                                      LPADRLIST list)
{
    return FAIL(This, fm_addrbook_prepare_recips(THIS_AB(This), flags, tags, list));
}

static const IAddrBookVtbl ADDRBOOK_VTBL = {
    FM_AB_PROP_VTBL(abk),
    .OpenEntry = abk_OpenEntry,
    .CompareEntryIDs = abk_CompareEntryIDs,
    .Advise = abk_Advise,
    .Unadvise = abk_Unadvise,
    .CreateOneOff = abk_CreateOneOff,
    .NewEntry = abk_NewEntry,
    .ResolveName = abk_ResolveName,
    .Address = abk_Address,
    .Details = abk_Details,
    .RecipOptions = abk_RecipOptions,
    .QueryDefaultRecipOpt = abk_QueryDefaultRecipOpt,
    .GetPAB = abk_GetPAB,
    .SetPAB = abk_SetPAB,
    .GetDefaultDir = abk_GetDefaultDir,
    .SetDefaultDir = abk_SetDefaultDir,
    .GetSearchPath = abk_GetSearchPath,
    .SetSearchPath = abk_SetSearchPath,
    .PrepareRecips = abk_PrepareRecips,
};

static HRESULT ab_new(fm_identity *id, fm_ab **out)
{
    fm_ab *ab = fm_calloc(1, sizeof *ab);
    char *name = id ? fm_ab_site_name(id->site->dir) : NULL;
    if (ab == NULL || (id && name == NULL)) {
        fm_free(ab);
        fm_free(name);
        fm_identity_release(id);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening the address "
                                                      "book");
    }
    atomic_init(&ab->refs, 1);
    ab->id = id;
    ab->site_name = name;
    pthread_mutex_init(&ab->lock, NULL);
    if (id) {
        ab->path[ab->npath++] = FM_AB_GAL;
        if (fm_ab_has_contacts(ab))
            ab->path[ab->npath++] = FM_AB_CONTACTS;
    }
    ab->default_dir = id ? FM_AB_GAL : FM_AB_ROOT;
    *out = ab;
    return S_OK;
}

HRESULT fm_addrbook_open(fm_identity *id, ULONG ulFlags, LPADRBOOK *out)
{
    if (out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenAddressBook: NULL lppAdrBook");
    *out = NULL;
    if (ulFlags & ~(AB_NO_DIALOG | MAPI_UNICODE))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "OpenAddressBook: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    if (id != NULL)
        fm_identity_addref(id); /* the address book's own reference */
    fm_ab *ab = NULL;
    HRESULT hr = ab_new(id, &ab);
    if (hr != S_OK)
        return hr;
    SPropValue *props = NULL;
    if (MAPIAllocateBuffer(sizeof *props, (void **)&props) != S_OK) {
        fm_ab_release(ab);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening the address "
                                                      "book");
    }
    props[0].ulPropTag = PR_OBJECT_TYPE;
    props[0].Value.l = MAPI_ADDRBOOK;
    fm_abobj *o = NULL;
    hr = fm_abobj_new(ab, &ADDRBOOK_VTBL, "IAddrBook", 0, 0, 1, props, &o);
    fm_ab_release(ab); /* the object holds its own reference */
    if (hr != S_OK)
        return hr;
    *out = (LPADRBOOK)o;
    return S_OK;
}
