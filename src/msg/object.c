/*
 * msg/object.c - what messages and attachments on a storage share: making
 * and releasing them, IUnknown, GetLastError, and the IMAPIProp methods
 * over the bag, the stream properties and the bad properties (msg.h).
 *
 * Every method takes the tree's recursive lock, so a message and its
 * attachments may be used from several threads, and a method may call
 * another of the same tree (CopyTo walks the object through its own
 * interface). After CloseIMsgSession, methods answer MAPI_E_OBJECT_DELETED.
 *
 * Computed properties: PR_OBJECT_TYPE; on a top-level message
 * PR_STORE_SUPPORT_MASK (STORE_UNICODE_OK: freemapi writes Unicode files);
 * on an attachment PR_ATTACH_NUM (from its storage's name). They are not
 * read into the bag from a file, and are written back at save.
 */
#include <stdio.h>
#include <string.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "msg/msg.h"
#include "props/validate.h"

#define SUPPORT_MASK (STORE_UNICODE_OK | STORE_ATTACH_OK | STORE_MV_PROPS_OK | STORE_PUSHER_OK)

/* ---- life ------------------------------------------------------------------------ */

static void lock(fm_msg_obj *o)
{
    pthread_mutex_lock(&o->tree->lock);
}

static HRESULT unlock(fm_msg_obj *o, HRESULT hr)
{
    if (FAILED(hr))
        fm_msg_fail(o, hr);
    pthread_mutex_unlock(&o->tree->lock);
    return hr;
}

static HRESULT enter(fm_msg_obj *o, const char *fn)
{
    lock(o);
    if (o->tree->closed)
        return fm_error_set(MAPI_E_OBJECT_DELETED, "%s: the message session was closed", fn);
    return S_OK;
}

HRESULT fm_msg_fail(fm_msg_obj *o, HRESULT hr)
{
    o->last_hr = hr;
    snprintf(o->last_text, sizeof o->last_text, "%s", fm_error_text());
    return hr;
}

HRESULT fm_msg_stg_hr(HRESULT hr)
{
    if (SUCCEEDED(hr) || HRESULT_FACILITY(hr) != FACILITY_STORAGE)
        return hr;
    return MapStorageSCode(hr);
}

fm_msg_obj *fm_msg_obj_of(void *iface)
{
    fm_msg_obj *o = iface;
    if (o == NULL)
        return NULL;
    const void *vt = o->iface.att.lpVtbl;
    if (vt == (const void *)&fm_msg_message_vtbl || vt == (const void *)&fm_msg_attach_vtbl)
        return o;
    return NULL;
}

void fm_msg_tree_release(fm_msg_tree *t)
{
    if (atomic_fetch_sub(&t->refs, 1) != 1)
        return;
    fm_msg_session_leave(t);
    fm_msg_names_clear(&t->names);
    if (t->root_stg != NULL)
        IStorage_Release(t->root_stg);
    pthread_mutex_destroy(&t->lock);
    fm_free(t);
}

static bool is_computed(const fm_msg_obj *o, ULONG tag)
{
    ULONG id = PROP_ID(tag);
    if (id == PROP_ID(PR_OBJECT_TYPE))
        return true;
    if (o->kind == FM_MSG_ATTACH)
        return id == PROP_ID(PR_ATTACH_NUM);
    return !o->embedded && id == PROP_ID(PR_STORE_SUPPORT_MASK);
}

static void computed_value(const fm_msg_obj *o, ULONG id, SPropValue *v)
{
    v->ulPropTag = PROP_TAG(PT_LONG, id);
    if (id == PROP_ID(PR_OBJECT_TYPE))
        v->Value.l = o->kind == FM_MSG_ATTACH ? MAPI_ATTACH : MAPI_MESSAGE;
    else if (id == PROP_ID(PR_ATTACH_NUM))
        v->Value.l = (LONG)o->num;
    else
        v->Value.l = (LONG)SUPPORT_MASK;
}

void fm_msg_obj_release(fm_msg_obj *o)
{
    fm_msg_tree *t = o->tree;
    pthread_mutex_lock(&t->lock);
    if (o->kind == FM_MSG_ATTACH && o->parent != NULL)
        fm_msg_att_closed(o->parent, o->num, false);
    if (!t->closed)
        fm_msg_drop_pending(o);
    fm_msg_recips_clear(o);
    fm_msg_atts_clear(o);
    if (o->bag != NULL)
        IPropData_Release(o->bag);
    if (o->stg != NULL)
        IStorage_Release(o->stg);
    fm_free(o->sprops);
    fm_free(o->pending);
    fm_free(o->bad);
    fm_free(o->attrs);
    fm_msg_obj *parent = o->parent;
    bool top = t->top == o;
    if (top)
        t->top = NULL;
    pthread_mutex_unlock(&t->lock);
    if (top && t->on_release != NULL)
        t->on_release(t->caller_data, &o->iface.msg);
    fm_free(o);
    if (parent != NULL)
        fm_msg_obj_unref(parent);
    fm_msg_tree_release(t);
}

void fm_msg_obj_addref(fm_msg_obj *o)
{
    atomic_fetch_add(&o->refs, 1);
}

void fm_msg_obj_unref(fm_msg_obj *o)
{
    if (atomic_fetch_sub(&o->refs, 1) == 1)
        fm_msg_obj_release(o);
}

HRESULT fm_msg_obj_open(fm_msg_tree *t, int kind, IStorage *stg, bool embedded, unsigned depth,
                        fm_msg_obj *parent, fm_msg_obj **out)
{
    fm_msg_obj *o = fm_calloc(1, sizeof *o);
    if (o == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory");
    if (kind == FM_MSG_ATTACH)
        o->iface.att.lpVtbl = &fm_msg_attach_vtbl;
    else
        o->iface.msg.lpVtbl = &fm_msg_message_vtbl;
    atomic_init(&o->refs, 1);
    o->tree = t;
    atomic_fetch_add(&t->refs, 1);
    o->kind = kind;
    o->embedded = embedded;
    o->depth = depth;
    o->stg = stg;
    IStorage_AddRef(stg);
    if (parent != NULL) {
        o->parent = parent;
        fm_msg_obj_addref(parent);
    }
    HRESULT hr = CreateIProp(&IID_IMAPIPropData, t->alloc, t->more, t->free_buffer, NULL, &o->bag);
    if (hr == S_OK)
        hr = fm_msg_props_read(o);
    if (hr == S_OK && kind == FM_MSG_MESSAGE)
        hr = fm_msg_recips_read(o);
    if (hr == S_OK && kind == FM_MSG_MESSAGE)
        hr = fm_msg_atts_read(o);
    if (hr != S_OK) {
        fm_msg_obj_release(o);
        return hr;
    }
    *out = o;
    return S_OK;
}

/* ---- IUnknown, GetLastError ---------------------------------------------------------- */

static STDMETHODIMP obj_QueryInterface(IMessage *This, REFIID riid, LPVOID *ppv)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    if (ppv == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *ppv = NULL;
    if (riid == NULL)
        return MAPI_E_INVALID_PARAMETER;
    bool ok = IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIProp) ||
              (o->kind == FM_MSG_MESSAGE && IsEqualIID(riid, &IID_IMessage)) ||
              (o->kind == FM_MSG_ATTACH && IsEqualIID(riid, &IID_IAttachment));
    if (!ok)
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    atomic_fetch_add(&o->refs, 1);
    *ppv = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) obj_AddRef(IMessage *This)
{
    return atomic_fetch_add(&((fm_msg_obj *)This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) obj_Release(IMessage *This)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    ULONG left = atomic_fetch_sub(&o->refs, 1) - 1;
    if (left == 0)
        fm_msg_obj_release(o);
    return left;
}

/* The same methods with IAttach's signatures (no casts between function types). */
#define ATT(ret, name, params, args)             \
    static STDMETHODIMP_(ret) att_##name params \
    {                                           \
        return obj_##name args;                 \
    }

static STDMETHODIMP obj_GetLastError(IMessage *This, HRESULT hResult, ULONG ulFlags,
                                     LPMAPIERROR *lppMAPIError)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    lock(o);
    char text[FM_ERROR_TEXT_MAX];
    snprintf(text, sizeof text, "%s", o->last_hr == hResult ? o->last_text : "");
    pthread_mutex_unlock(&o->tree->lock);
    return fm_error_make_mapierror(hResult, ulFlags, text,
                                   o->kind == FM_MSG_ATTACH ? "IAttach" : "IMessage", lppMAPIError);
}

static STDMETHODIMP obj_SaveChanges(IMessage *This, ULONG ulFlags)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    HRESULT hr = enter(o, "SaveChanges");
    if (hr == S_OK)
        hr = fm_msg_save(o, ulFlags);
    return unlock(o, hr);
}

/* ---- GetProps and GetPropList -------------------------------------------------------- */

static long find_bad(const fm_msg_obj *o, ULONG tag)
{
    for (size_t i = 0; i < o->nbad; i++) {
        if (PROP_ID(o->bad[i].tag) == PROP_ID(tag))
            return (long)i;
    }
    return -1;
}

static ULONG attr_of(const fm_msg_obj *o, ULONG id)
{
    for (size_t i = 0; i < o->nattrs; i++) {
        if (o->attrs[i].id == id)
            return o->attrs[i].attr;
    }
    return PROPATTR_READABLE | PROPATTR_WRITEABLE;
}

/* True when the property is ours to answer (not the bag's). */
static bool ours(const fm_msg_obj *o, ULONG tag)
{
    return is_computed(o, tag) || fm_msg_find_sprop(o, tag) >= 0 || find_bad(o, tag) >= 0 ||
           fm_msg_find_pending(o, tag) >= 0 ||
           (o->has_object && PROP_ID(tag) == PROP_ID(PR_ATTACH_DATA_OBJ));
}

static HRESULT prop_list(fm_msg_obj *o, ULONG flags, LPSPropTagArray *out)
{
    LPSPropTagArray bag = NULL, all = NULL;
    HRESULT hr = IPropData_GetPropList(o->bag, flags & MAPI_UNICODE, &bag);
    if (hr != S_OK)
        return hr;
    size_t n = bag->cValues + o->nsprops + o->nbad + o->npending + 4;
    hr = o->tree->alloc((ULONG)CbNewSPropTagArray(n), (void **)&all);
    if (hr == S_OK) {
        ULONG k = 0;
        for (ULONG i = 0; i < bag->cValues; i++)
            all->aulPropTag[k++] = bag->aulPropTag[i];
        for (size_t i = 0; i < o->nsprops; i++) {
            ULONG tag = o->sprops[i].tag;
            if (PROP_TYPE(tag) == PT_UNICODE && !(flags & MAPI_UNICODE))
                tag = CHANGE_PROP_TYPE(tag, PT_STRING8);
            all->aulPropTag[k++] = tag;
        }
        for (size_t i = 0; i < o->nbad; i++)
            all->aulPropTag[k++] = CHANGE_PROP_TYPE(o->bad[i].tag, PT_ERROR);
        for (size_t i = 0; i < o->npending; i++) {
            ULONG tag = o->pending[i].tag, type = PROP_TYPE(tag);
            if (type == PT_UNICODE || type == PT_STRING8)
                tag = CHANGE_PROP_TYPE(tag, (flags & MAPI_UNICODE) ? PT_UNICODE : PT_STRING8);
            all->aulPropTag[k++] = tag;
        }
        if (o->has_object)
            all->aulPropTag[k++] = PR_ATTACH_DATA_OBJ;
        all->aulPropTag[k++] = PR_OBJECT_TYPE;
        if (o->kind == FM_MSG_ATTACH)
            all->aulPropTag[k++] = PR_ATTACH_NUM;
        else if (!o->embedded)
            all->aulPropTag[k++] = PR_STORE_SUPPORT_MASK;
        all->cValues = k;
        *out = all;
    }
    o->tree->free_buffer(bag);
    return hr;
}

static STDMETHODIMP obj_GetPropList(IMessage *This, ULONG ulFlags, LPSPropTagArray *lppPropTagArray)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    if (lppPropTagArray == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *lppPropTagArray = NULL;
    if (ulFlags & ~(ULONG)MAPI_UNICODE)
        return fm_msg_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetPropList: unknown flags"));
    HRESULT hr = enter(o, "GetPropList");
    if (hr == S_OK)
        hr = prop_list(o, ulFlags, lppPropTagArray);
    return unlock(o, hr);
}

/* Replaces what the bag answered for the properties that are ours. */
static bool patch_value(fm_msg_obj *o, ULONG asked, SPropValue *v)
{
    ULONG id = PROP_ID(asked);
    long i;
    if (is_computed(o, asked)) {
        computed_value(o, id, v);
    } else if (fm_msg_find_sprop(o, asked) >= 0 || fm_msg_find_pending(o, asked) >= 0) {
        v->ulPropTag = PROP_TAG(PT_ERROR, id);
        v->Value.err = MAPI_E_NOT_ENOUGH_MEMORY; /* read it with OpenProperty */
    } else if ((i = find_bad(o, asked)) >= 0) {
        v->ulPropTag = PROP_TAG(PT_ERROR, id);
        v->Value.err = o->bad[i].sc;
    } else if (o->has_object && id == PROP_ID(PR_ATTACH_DATA_OBJ)) {
        v->ulPropTag = PROP_TAG(PT_ERROR, id);
        v->Value.err = MAPI_E_NO_SUPPORT; /* open it with OpenProperty */
    }
    if (PROP_TYPE(v->ulPropTag) != PT_ERROR && !(attr_of(o, id) & PROPATTR_READABLE)) {
        v->ulPropTag = PROP_TAG(PT_ERROR, id);
        v->Value.err = MAPI_E_NO_ACCESS;
    }
    return PROP_TYPE(v->ulPropTag) == PT_ERROR;
}

static HRESULT get_props(fm_msg_obj *o, LPSPropTagArray tags, ULONG flags, ULONG *n,
                         LPSPropValue *out)
{
    LPSPropTagArray all = NULL, ask = NULL;
    HRESULT hr = S_OK;
    if (tags == NULL) {
        hr = prop_list(o, flags, &all);
        tags = all;
    } else {
        hr = fm_validate_tag_array(tags, "GetProps");
    }
    if (hr == S_OK)
        hr = o->tree->alloc((ULONG)CbNewSPropTagArray(tags->cValues ? tags->cValues : 1),
                            (void **)&ask);
    if (hr == S_OK) {
        ask->cValues = tags->cValues;
        for (ULONG i = 0; i < tags->cValues; i++) {
            ULONG t = tags->aulPropTag[i];
            ask->aulPropTag[i] = ours(o, t) || PROP_TYPE(t) == PT_ERROR
                                     ? PROP_TAG(PT_UNSPECIFIED, PROP_ID(t))
                                     : t;
        }
    }
    LPSPropValue v = NULL;
    ULONG nv = 0;
    if (hr == S_OK)
        hr = IPropData_GetProps(o->bag, ask, flags, &nv, &v);
    bool errors = false;
    if (SUCCEEDED(hr)) {
        hr = S_OK;
        for (ULONG i = 0; i < nv; i++) {
            if (PROP_TYPE(v[i].ulPropTag) == PT_ERROR && v[i].Value.err == MAPI_E_NOT_FOUND)
                v[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tags->aulPropTag[i]));
            errors |= patch_value(o, tags->aulPropTag[i], &v[i]);
        }
        *n = nv;
        *out = v;
    }
    o->tree->free_buffer(ask);
    o->tree->free_buffer(all);
    return hr == S_OK && errors ? MAPI_W_ERRORS_RETURNED : hr;
}

static STDMETHODIMP obj_GetProps(IMessage *This, LPSPropTagArray lpPropTagArray, ULONG ulFlags,
                                 ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    if (lpcValues == NULL || lppPropArray == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *lpcValues = 0;
    *lppPropArray = NULL;
    if (ulFlags & ~(ULONG)MAPI_UNICODE)
        return fm_msg_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetProps: unknown flags"));
    HRESULT hr = enter(o, "GetProps");
    if (hr == S_OK)
        hr = get_props(o, lpPropTagArray, ulFlags, lpcValues, lppPropArray);
    return unlock(o, hr);
}

/* ---- SetProps, DeleteProps --------------------------------------------------------------- */

static HRESULT new_problems(fm_msg_obj *o, ULONG n, LPSPropProblemArray *out)
{
    HRESULT hr = o->tree->alloc((ULONG)CbNewSPropProblemArray(n ? n : 1), (void **)out);
    if (hr == S_OK)
        (*out)->cProblem = 0;
    return hr;
}

static void add_problem(LPSPropProblemArray p, ULONG index, ULONG tag, SCODE sc)
{
    SPropProblem *x = &p->aProblem[p->cProblem++];
    x->ulIndex = index;
    x->ulPropTag = tag;
    x->scode = sc;
}

static void merge(LPSPropProblemArray into, LPSPropProblemArray from, const ULONG *map)
{
    for (ULONG i = 0; from != NULL && i < from->cProblem; i++)
        add_problem(into, map[from->aProblem[i].ulIndex], from->aProblem[i].ulPropTag,
                    from->aProblem[i].scode);
}

static HRESULT keep_attr(fm_msg_obj *o, ULONG id)
{
    for (size_t i = 0; i < o->nattrs; i++) {
        if (o->attrs[i].id == id)
            return S_OK;
    }
    if (o->nattrs == o->capattrs) {
        size_t cap = o->capattrs ? o->capattrs * 2 : 16;
        fm_msg_attr *a = fm_realloc(o->attrs, cap * sizeof *a);
        if (a == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "SetProps: out of memory");
        o->attrs = a;
        o->capattrs = cap;
    }
    o->attrs[o->nattrs++] = (fm_msg_attr){ id, PROPATTR_READABLE | PROPATTR_WRITEABLE };
    return S_OK;
}

static HRESULT set_props(fm_msg_obj *o, ULONG n, LPSPropValue vals, LPSPropProblemArray *out)
{
    LPSPropProblemArray pa = NULL, bagp = NULL;
    SPropValue *subset = fm_malloc((n ? n : 1) * sizeof *subset);
    ULONG *map = fm_malloc((n ? n : 1) * sizeof *map);
    HRESULT hr = subset && map ? new_problems(o, n, &pa)
                               : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "SetProps: out of memory");
    ULONG ns = 0;
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        ULONG tag = vals[i].ulPropTag, type = PROP_TYPE(tag);
        if (type == PT_ERROR || tag == PR_NULL)
            continue;
        if (is_computed(o, tag))
            add_problem(pa, i, tag, MAPI_E_COMPUTED);
        else if (type == PT_OBJECT)
            add_problem(pa, i, tag, MAPI_E_INVALID_TYPE);
        else if (!(attr_of(o, PROP_ID(tag)) & PROPATTR_WRITEABLE))
            add_problem(pa, i, tag, MAPI_E_NO_ACCESS);
        else {
            fm_msg_forget_prop(o, tag);
            hr = keep_attr(o, PROP_ID(tag));
            subset[ns] = vals[i];
            map[ns++] = i;
        }
    }
    if (hr == S_OK && ns > 0)
        hr = IPropData_SetProps(o->bag, ns, subset, &bagp);
    if (hr == S_OK) {
        merge(pa, bagp, map);
        o->dirty = true;
        if (out != NULL && pa->cProblem > 0) {
            *out = pa;
            pa = NULL;
        }
    }
    o->tree->free_buffer(bagp);
    o->tree->free_buffer(pa);
    fm_free(subset);
    fm_free(map);
    return hr;
}

static STDMETHODIMP obj_SetProps(IMessage *This, ULONG cValues, LPSPropValue lpPropArray,
                                 LPSPropProblemArray *lppProblems)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    if (lppProblems != NULL)
        *lppProblems = NULL;
    if (lpPropArray == NULL && cValues > 0)
        return MAPI_E_INVALID_PARAMETER;
    HRESULT hr = enter(o, "SetProps");
    if (hr == S_OK && !o->tree->writable)
        hr = fm_error_set(MAPI_E_NO_ACCESS, "SetProps: the message's storage is read-only");
    if (hr == S_OK)
        hr = set_props(o, cValues, lpPropArray, lppProblems);
    return unlock(o, hr);
}

static HRESULT delete_props(fm_msg_obj *o, LPSPropTagArray tags, LPSPropProblemArray *out)
{
    LPSPropProblemArray pa = NULL, bagp = NULL;
    LPSPropTagArray subset = NULL;
    ULONG *map = fm_malloc((tags->cValues ? tags->cValues : 1) * sizeof *map);
    HRESULT hr = map ? new_problems(o, tags->cValues, &pa)
                     : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "DeleteProps: out of memory");
    if (hr == S_OK)
        hr = o->tree->alloc((ULONG)CbNewSPropTagArray(tags->cValues ? tags->cValues : 1),
                            (void **)&subset);
    if (hr == S_OK)
        subset->cValues = 0;
    for (ULONG i = 0; hr == S_OK && i < tags->cValues; i++) {
        ULONG tag = tags->aulPropTag[i];
        if (is_computed(o, tag)) {
            add_problem(pa, i, tag, MAPI_E_COMPUTED);
        } else if (attr_of(o, PROP_ID(tag)) & PROPATTR_MANDATORY) {
            add_problem(pa, i, tag, MAPI_E_NO_ACCESS);
        } else if (ours(o, tag)) {
            fm_msg_forget_prop(o, tag);
            if (PROP_ID(tag) == PROP_ID(PR_ATTACH_DATA_OBJ))
                o->has_object = false;
        } else {
            map[subset->cValues] = i;
            subset->aulPropTag[subset->cValues++] = tag;
        }
    }
    if (hr == S_OK && subset->cValues > 0)
        hr = IPropData_DeleteProps(o->bag, subset, &bagp);
    if (hr == S_OK) {
        merge(pa, bagp, map);
        o->dirty = true;
        if (out != NULL && pa->cProblem > 0) {
            *out = pa;
            pa = NULL;
        }
    }
    o->tree->free_buffer(bagp);
    o->tree->free_buffer(pa);
    o->tree->free_buffer(subset);
    fm_free(map);
    return hr;
}

static STDMETHODIMP obj_DeleteProps(IMessage *This, LPSPropTagArray lpPropTagArray,
                                    LPSPropProblemArray *lppProblems)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    if (lppProblems != NULL)
        *lppProblems = NULL;
    HRESULT hr = lpPropTagArray == NULL ? fm_error_set(MAPI_E_INVALID_PARAMETER, "DeleteProps: "
                                                       "lpPropTagArray is NULL")
                                        : fm_validate_tag_array(lpPropTagArray, "DeleteProps");
    if (hr != S_OK)
        return fm_msg_fail(o, hr);
    hr = enter(o, "DeleteProps");
    if (hr == S_OK && !o->tree->writable)
        hr = fm_error_set(MAPI_E_NO_ACCESS, "DeleteProps: the message's storage is read-only");
    if (hr == S_OK)
        hr = delete_props(o, lpPropTagArray, lppProblems);
    return unlock(o, hr);
}

static STDMETHODIMP obj_OpenProperty(IMessage *This, ULONG ulPropTag, LPCIID lpiid,
                                     ULONG ulInterfaceOptions, ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    if (lppUnk == NULL || lpiid == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *lppUnk = NULL;
    HRESULT hr = enter(o, "OpenProperty");
    if (hr == S_OK)
        hr = fm_msg_open_property(o, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk);
    return unlock(o, hr);
}

/* ---- copying ------------------------------------------------------------------------------ */

#define COPY_FLAGS (MAPI_MOVE | MAPI_NOREPLACE | MAPI_DIALOG | MAPI_DECLINE_OK)

static bool excluded(const SPropTagArray *ex, ULONG tag)
{
    for (ULONG i = 0; ex != NULL && i < ex->cValues; i++) {
        if (PROP_ID(ex->aulPropTag[i]) == PROP_ID(tag))
            return true;
    }
    return false;
}

static STDMETHODIMP obj_CopyTo(IMessage *This, ULONG ciidExclude, LPCIID rgiidExclude,
                               LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                               LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                               ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    if (lppProblems != NULL)
        *lppProblems = NULL;
    if (lpDestObj == NULL || (ciidExclude > 0 && rgiidExclude == NULL))
        return fm_msg_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER, "CopyTo: no destination"));
    if (ulFlags & ~(ULONG)COPY_FLAGS)
        return fm_msg_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CopyTo: unknown flags"));
    if (ulFlags & MAPI_MOVE)
        return fm_msg_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "CopyTo: MAPI_MOVE out of a "
                                                              ".msg message"));
    for (ULONG i = 0; i < ciidExclude; i++) {
        if (IsEqualIID(&rgiidExclude[i], &IID_IMAPIProp))
            return S_OK;
    }
    HRESULT hr = fm_msg_copy((IMAPIProp *)This, (IMAPIProp *)lpDestObj, NULL, lpExcludeProps,
                             !excluded(lpExcludeProps, PR_MESSAGE_RECIPIENTS),
                             !excluded(lpExcludeProps, PR_MESSAGE_ATTACHMENTS), ulFlags);
    return FAILED(hr) ? fm_msg_fail(o, hr) : hr;
}

static STDMETHODIMP obj_CopyProps(IMessage *This, LPSPropTagArray lpIncludeProps,
                                  ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                  LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                                  LPSPropProblemArray *lppProblems)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    if (lppProblems != NULL)
        *lppProblems = NULL;
    if (lpDestObj == NULL || lpIncludeProps == NULL)
        return fm_msg_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER, "CopyProps: no "
                                                                     "destination or list"));
    if (ulFlags & ~(ULONG)COPY_FLAGS)
        return fm_msg_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CopyProps: unknown flags"));
    if (ulFlags & MAPI_MOVE)
        return fm_msg_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "CopyProps: MAPI_MOVE out of a "
                                                              ".msg message"));
    HRESULT hr = fm_msg_copy((IMAPIProp *)This, (IMAPIProp *)lpDestObj, lpIncludeProps, NULL,
                             excluded(lpIncludeProps, PR_MESSAGE_RECIPIENTS),
                             excluded(lpIncludeProps, PR_MESSAGE_ATTACHMENTS), ulFlags);
    return FAILED(hr) ? fm_msg_fail(o, hr) : hr;
}

/* ---- named properties ---------------------------------------------------------------------- */

static HRESULT copy_name(fm_msg_obj *o, const fm_msg_name *nm, void *parent, LPMAPINAMEID *out)
{
    LPMAPINAMEID n = NULL;
    HRESULT hr = o->tree->more(sizeof *n + sizeof(GUID), parent, (void **)&n);
    if (hr != S_OK)
        return hr;
    GUID *g = (GUID *)(n + 1);
    *g = nm->guid;
    n->lpguid = g;
    n->ulKind = nm->kind;
    if (nm->kind == MNID_ID) {
        n->Kind.lID = nm->lid;
    } else {
        size_t len = 0;
        while (nm->name[len] != 0)
            len++;
        hr = o->tree->more((ULONG)((len + 1) * sizeof(WCHAR)), parent, (void **)&n->Kind.lpwstrName);
        if (hr == S_OK)
            memcpy(n->Kind.lpwstrName, nm->name, (len + 1) * sizeof(WCHAR));
    }
    *out = n;
    return hr;
}

static HRESULT all_named(fm_msg_obj *o, const GUID *guid, ULONG flags, LPSPropTagArray *out)
{
    fm_msg_names *m = &o->tree->names;
    HRESULT hr = o->tree->alloc((ULONG)CbNewSPropTagArray(m->n ? m->n : 1), (void **)out);
    if (hr != S_OK)
        return hr;
    (*out)->cValues = 0;
    for (size_t i = 0; i < m->n; i++) {
        const fm_msg_name *nm = &m->v[i];
        if (!nm->used || (guid != NULL && !IsEqualGUID(guid, &nm->guid)) ||
            ((flags & MAPI_NO_STRINGS) && nm->kind == MNID_STRING) ||
            ((flags & MAPI_NO_IDS) && nm->kind == MNID_ID))
            continue;
        (*out)->aulPropTag[(*out)->cValues++] = PROP_TAG(PT_UNSPECIFIED, 0x8000u + (ULONG)i);
    }
    return S_OK;
}

static HRESULT names_from_ids(fm_msg_obj *o, LPSPropTagArray *lppTags, const GUID *guid,
                              ULONG flags, ULONG *n, LPMAPINAMEID **out)
{
    LPSPropTagArray tags = *lppTags;
    HRESULT hr = S_OK;
    if (tags == NULL) {
        hr = all_named(o, guid, flags, &tags);
        if (hr != S_OK)
            return hr;
        *lppTags = tags;
    }
    LPMAPINAMEID *names = NULL;
    hr = o->tree->alloc((ULONG)((tags->cValues ? tags->cValues : 1) * sizeof *names), (void **)&names);
    bool missing = false;
    for (ULONG i = 0; hr == S_OK && i < tags->cValues; i++) {
        ULONG id = PROP_ID(tags->aulPropTag[i]);
        fm_msg_name nm = { .guid = PS_MAPI, .kind = MNID_ID, .lid = (LONG)id, .used = true };
        const fm_msg_name *src = &nm;
        if (id >= 0x8000)
            src = id - 0x8000 < o->tree->names.n && o->tree->names.v[id - 0x8000].used
                      ? &o->tree->names.v[id - 0x8000]
                      : NULL;
        names[i] = NULL;
        if (src != NULL)
            hr = copy_name(o, src, names, &names[i]);
        else
            missing = true;
    }
    if (hr != S_OK) {
        o->tree->free_buffer(names);
        return hr;
    }
    *n = tags->cValues;
    *out = names;
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

static STDMETHODIMP obj_GetNamesFromIDs(IMessage *This, LPSPropTagArray *lppPropTags,
                                        LPGUID lpPropSetGuid, ULONG ulFlags, ULONG *lpcPropNames,
                                        LPMAPINAMEID **lpppPropNames)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    if (lppPropTags == NULL || lpcPropNames == NULL || lpppPropNames == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *lpcPropNames = 0;
    *lpppPropNames = NULL;
    HRESULT hr = enter(o, "GetNamesFromIDs");
    if (hr == S_OK)
        hr = names_from_ids(o, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames);
    return unlock(o, hr);
}

static HRESULT ids_from_names(fm_msg_obj *o, ULONG n, LPMAPINAMEID *names, ULONG flags,
                              LPSPropTagArray *out)
{
    if (n == 0 && names == NULL)
        return all_named(o, NULL, 0, out);
    if (names == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetIDsFromNames: no names");
    bool create = (flags & MAPI_CREATE) != 0;
    if (create && !o->tree->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "GetIDsFromNames: MAPI_CREATE on a read-only "
                                              "message");
    LPSPropTagArray tags = NULL;
    HRESULT hr = o->tree->alloc((ULONG)CbNewSPropTagArray(n ? n : 1), (void **)&tags);
    bool missing = false;
    if (hr == S_OK)
        tags->cValues = n;
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        const MAPINAMEID *nm = names[i];
        ULONG id = 0;
        if (nm == NULL || nm->lpguid == NULL ||
            (nm->ulKind != MNID_ID && nm->ulKind != MNID_STRING) ||
            (nm->ulKind == MNID_STRING && nm->Kind.lpwstrName == NULL)) {
            hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "GetIDsFromNames: name %lu is not a "
                              "valid MAPINAMEID", (unsigned long)i);
            break;
        }
        if (IsEqualGUID(nm->lpguid, &PS_MAPI) && nm->ulKind == MNID_ID)
            id = (ULONG)nm->Kind.lID & 0xFFFF;
        else
            hr = fm_msg_names_id(&o->tree->names, nm, create, &id);
        tags->aulPropTag[i] = id ? PROP_TAG(PT_UNSPECIFIED, id) : PROP_TAG(PT_ERROR, 0);
        missing |= id == 0;
    }
    if (hr != S_OK) {
        o->tree->free_buffer(tags);
        return hr;
    }
    *out = tags;
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

static STDMETHODIMP obj_GetIDsFromNames(IMessage *This, ULONG cPropNames,
                                        LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                        LPSPropTagArray *lppPropTags)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    if (lppPropTags == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *lppPropTags = NULL;
    HRESULT hr = enter(o, "GetIDsFromNames");
    if (hr == S_OK)
        hr = ids_from_names(o, cPropNames, lppPropNames, ulFlags, lppPropTags);
    return unlock(o, hr);
}

/* ---- the vtables ------------------------------------------------------------------------ */

#define PROP_SLOTS                                                                              \
    .QueryInterface = obj_QueryInterface, .AddRef = obj_AddRef, .Release = obj_Release,         \
    .GetLastError = obj_GetLastError, .SaveChanges = obj_SaveChanges, .GetProps = obj_GetProps, \
    .GetPropList = obj_GetPropList, .OpenProperty = obj_OpenProperty, .SetProps = obj_SetProps, \
    .DeleteProps = obj_DeleteProps, .CopyTo = obj_CopyTo, .CopyProps = obj_CopyProps,           \
    .GetNamesFromIDs = obj_GetNamesFromIDs, .GetIDsFromNames = obj_GetIDsFromNames

ATT(HRESULT, QueryInterface, (IAttach * This, REFIID riid, LPVOID *ppv),
    ((IMessage *)(void *)This, riid, ppv))
ATT(ULONG, AddRef, (IAttach * This), ((IMessage *)(void *)This))
ATT(ULONG, Release, (IAttach * This), ((IMessage *)(void *)This))
ATT(HRESULT, GetLastError, (IAttach * This, HRESULT h, ULONG f, LPMAPIERROR *e),
    ((IMessage *)(void *)This, h, f, e))
ATT(HRESULT, SaveChanges, (IAttach * This, ULONG f), ((IMessage *)(void *)This, f))
ATT(HRESULT, GetProps, (IAttach * This, LPSPropTagArray t, ULONG f, ULONG *n, LPSPropValue *v),
    ((IMessage *)(void *)This, t, f, n, v))
ATT(HRESULT, GetPropList, (IAttach * This, ULONG f, LPSPropTagArray *t),
    ((IMessage *)(void *)This, f, t))
ATT(HRESULT, OpenProperty,
    (IAttach * This, ULONG t, LPCIID i, ULONG opt, ULONG f, LPUNKNOWN *u),
    ((IMessage *)(void *)This, t, i, opt, f, u))
ATT(HRESULT, SetProps, (IAttach * This, ULONG n, LPSPropValue v, LPSPropProblemArray *p),
    ((IMessage *)(void *)This, n, v, p))
ATT(HRESULT, DeleteProps, (IAttach * This, LPSPropTagArray t, LPSPropProblemArray *p),
    ((IMessage *)(void *)This, t, p))
ATT(HRESULT, CopyTo,
    (IAttach * This, ULONG ci, LPCIID ri, LPSPropTagArray ex, ULONG_PTR ui, LPMAPIPROGRESS pr,
     LPCIID iid, LPVOID d, ULONG f, LPSPropProblemArray *p),
    ((IMessage *)(void *)This, ci, ri, ex, ui, pr, iid, d, f, p))
ATT(HRESULT, CopyProps,
    (IAttach * This, LPSPropTagArray in, ULONG_PTR ui, LPMAPIPROGRESS pr, LPCIID iid, LPVOID d,
     ULONG f, LPSPropProblemArray *p),
    ((IMessage *)(void *)This, in, ui, pr, iid, d, f, p))
ATT(HRESULT, GetNamesFromIDs,
    (IAttach * This, LPSPropTagArray *t, LPGUID g, ULONG f, ULONG *n, LPMAPINAMEID **nm),
    ((IMessage *)(void *)This, t, g, f, n, nm))
ATT(HRESULT, GetIDsFromNames,
    (IAttach * This, ULONG n, LPMAPINAMEID *nm, ULONG f, LPSPropTagArray *t),
    ((IMessage *)(void *)This, n, nm, f, t))

const IAttachVtbl fm_msg_attach_vtbl = {
    .QueryInterface = att_QueryInterface, .AddRef = att_AddRef, .Release = att_Release,
    .GetLastError = att_GetLastError, .SaveChanges = att_SaveChanges, .GetProps = att_GetProps,
    .GetPropList = att_GetPropList, .OpenProperty = att_OpenProperty, .SetProps = att_SetProps,
    .DeleteProps = att_DeleteProps, .CopyTo = att_CopyTo, .CopyProps = att_CopyProps,
    .GetNamesFromIDs = att_GetNamesFromIDs, .GetIDsFromNames = att_GetIDsFromNames,
};

const IMessageVtbl fm_msg_message_vtbl = {
    PROP_SLOTS,
    .GetAttachmentTable = fm_msg_GetAttachmentTable,
    .OpenAttach = fm_msg_OpenAttach,
    .CreateAttach = fm_msg_CreateAttach,
    .DeleteAttach = fm_msg_DeleteAttach,
    .GetRecipientTable = fm_msg_GetRecipientTable,
    .ModifyRecipients = fm_msg_ModifyRecipients,
    .SubmitMessage = fm_msg_SubmitMessage,
    .SetReadFlag = fm_msg_SetReadFlag,
};
