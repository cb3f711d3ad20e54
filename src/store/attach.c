/*
 * store/attach.c - IAttach: one attachment of a message.
 *
 * An attachment lives inside its message's transaction: SaveChanges here
 * hands the properties and committed data streams to the message, and the
 * message's SaveChanges writes them. Attachment data (PR_ATTACH_DATA_BIN)
 * is opened with OpenProperty as an IStream and moves in constant memory.
 *
 * KB Q192592 (an attachment icon leaked on every attachment processed): an
 * IAttach owns nothing beyond its properties, its open streams and a
 * reference to its message, and releases all of them when released. It
 * makes nothing the caller did not ask for: no rendering, no temporary file.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "store/message_attach.h"
#include "store/message_tree.h"
#include "store/object.h"
#include "store/propblob.h"
#include "store/stream.h"
#include "store/values.h"

typedef struct fm_attach {
    const IAttachVtbl *lpVtbl;
    fm_object base;
    IMessage *message; /* a reference: the message outlives its attachments */
    ULONG num;
    int64_t embedded_mid; /* the embedded message as this IAttach sees it (0: none known) */
    bool embedded_owned;  /* a scratch embedded message saved since our last SaveChanges */
} fm_attach;

static fm_attach *attach_of(fm_object *o)
{
    return (fm_attach *)fm_object_iface(o);
}

static const ULONG ATTACH_COMPUTED[] = {
    PR_ATTACH_NUM,
    PR_ATTACH_SIZE,
    PR_OBJECT_TYPE,
    PR_ACCESS_LEVEL,
};

static HRESULT attach_computed(fm_object *o, ULONG tag, void *parent, SPropValue *out)
{
    fm_attach *a = attach_of(o);
    switch (tag) {
    case PR_ATTACH_NUM: return fm_value_long(out, tag, (LONG)a->num);
    case PR_OBJECT_TYPE: return fm_value_long(out, tag, MAPI_ATTACH);
    case PR_ACCESS_LEVEL: return fm_value_long(out, tag, o->writable ? MAPI_MODIFY : 0);
    case PR_ATTACH_SIZE: {
        /* Properties as they would be saved, plus the data streams. */
        void *blob = NULL;
        size_t len = 0;
        HRESULT hr = fm_object_encode_bag(o, &blob, &len);
        fm_free(blob);
        if (hr != S_OK)
            return hr;
        fm_stream_prop *sp = NULL;
        size_t n = 0;
        hr = fm_object_stream_props(o, &sp, &n);
        uint64_t total = len;
        for (size_t i = 0; i < n; i++)
            total += sp[i].size;
        fm_free(sp);
        if (hr != S_OK)
            return hr;
        return fm_value_long(out, tag, total > INT32_MAX ? INT32_MAX : (LONG)total);
    }
    default: return MAPI_E_NOT_FOUND;
    }
}

static HRESULT attach_save(fm_object *o, ULONG flags)
{
    fm_attach *a = attach_of(o);
    /* Large values (a data blob set with SetProps) go to streams first. */
    HRESULT hr = fm_object_spill_large(o);
    void *blob = NULL;
    size_t len = 0;
    if (hr == S_OK)
        hr = fm_object_encode_bag(o, &blob, &len);
    if (hr == S_OK)
        hr = fm_message_attach_commit(fm_object_of(a->message), a->num, blob, len, o->pending,
                                      o->npending, a->embedded_owned ? a->embedded_mid : 0);
    if (hr != S_OK) {
        fm_free(blob);
        return hr;
    }
    /* The message owns the streams now; we keep seeing them until it saves. */
    for (size_t i = 0; i < o->npending; i++)
        o->pending[i].owned = false;
    a->embedded_owned = false;
    return fm_object_mark_clean(o);
}

static bool attach_has_interface(REFIID riid)
{
    return IsEqualIID(riid, &IID_IAttachment);
}

static void attach_destroy(fm_object *o)
{
    fm_attach *a = attach_of(o);
    if (a->embedded_owned) /* saved as scratch, never handed to the message */
        fm_message_drop_scratch(o->store, a->embedded_mid);
    IMessage_Release(a->message);
}

void fm_attach_embedded_saved(IAttach *attach, int64_t mid)
{
    fm_attach *a = (fm_attach *)attach;
    fm_object *o = &a->base;
    pthread_mutex_lock(&o->lock);
    int64_t old = (a->embedded_owned && a->embedded_mid != mid) ? a->embedded_mid : 0;
    a->embedded_mid = mid;
    a->embedded_owned = true;
    o->dirty = true;
    pthread_mutex_unlock(&o->lock);
    fm_message_drop_scratch(o->store, old);
}

/* The embedded message of this attachment, as its caller sees it now:
 * saved here, handed to the message, or in the store. 0: none. */
static HRESULT current_embedded(fm_attach *a, int64_t *mid)
{
    *mid = a->embedded_mid;
    if (*mid != 0 || a->base.id == 0)
        return S_OK;
    fm_store *s = a->base.store;
    fm_store_lock(s);
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db, "SELECT mid FROM messages WHERE parent_attach = ?1", &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, a->base.id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *mid = sqlite3_column_int64(st, 0);
        else if (rc != SQLITE_DONE)
            hr = fm_db_error(s->db, rc, "opening an embedded message");
        fm_db_finish(st);
    }
    fm_store_unlock(s);
    return hr;
}

/* Changing an embedded message works on a copy (a scratch tree), which
 * replaces the saved one when the attachment and its message are saved:
 * until then, nobody sees the change, and releasing it costs nothing. */
static HRESULT modify_embedded(fm_attach *a, int64_t mid, IMessage **out)
{
    fm_store *s = a->base.store;
    int64_t copy = 0;
    fm_store_lock(s);
    HRESULT hr = fm_db_begin(s->db);
    if (hr == S_OK) {
        hr = fm_message_clone_tree(s->db, mid, fm_message_scratch_marker(), &copy);
        hr = hr == S_OK ? fm_db_commit(s->db) : (fm_db_rollback(s->db), hr);
    }
    fm_store_unlock(s);
    if (hr != S_OK)
        return hr;
    hr = fm_message_open_embedded_copy((IAttach *)a, s, copy, out);
    if (hr != S_OK)
        fm_message_drop_scratch(s, copy);
    return hr;
}

/* OpenProperty(PR_ATTACH_DATA_OBJ, IID_IMessage): the embedded message. */
static HRESULT attach_open_property(fm_object *o, ULONG tag, LPCIID iid, ULONG opts, ULONG flags,
                                    LPUNKNOWN *out)
{
    if (PROP_ID(tag) != PROP_ID(PR_ATTACH_DATA_OBJ) || !IsEqualIID(iid, &IID_IMessage))
        return MAPI_E_NO_SUPPORT; /* the data as a stream: the generic code */
    fm_attach *a = attach_of(o);
    bool create = (flags & MAPI_CREATE) != 0;
    if ((create || (flags & MAPI_MODIFY)) && !o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "OpenProperty: the attachment is read-only");
    int64_t mid = 0;
    HRESULT hr = create ? S_OK : current_embedded(a, &mid);
    if (hr != S_OK)
        return hr;
    if (!create && mid == 0)
        return fm_error_set(MAPI_E_NOT_FOUND, "OpenProperty: the attachment has no embedded "
                                              "message (open it with MAPI_CREATE)");
    if (!create && (flags & MAPI_MODIFY))
        return modify_embedded(a, mid, (IMessage **)out);
    return fm_message_open_embedded((IAttach *)attach_of(o), o->store, create ? 0 : mid,
                                    (IMessage **)out);
}

/* CopyTo onto another attachment: the embedded message comes along. */
static HRESULT attach_copy_subobjects(fm_object *o, IMAPIProp *dest, bool recipients,
                                      bool attachments, ULONG flags)
{
    fm_attach *a = attach_of(o);
    int64_t mid = 0;
    HRESULT hr = current_embedded(a, &mid);
    if (hr != S_OK || mid == 0 || !attachments)
        return hr;
    IAttach *dst = NULL;
    if (dest->lpVtbl->QueryInterface(dest, &IID_IAttachment, (void **)&dst) != S_OK)
        return S_OK;
    IMessage *src = NULL, *copy = NULL;
    hr = fm_message_open_embedded((IAttach *)attach_of(o), o->store, mid, &src);
    if (hr == S_OK)
        hr = IAttach_OpenProperty(dst, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                  MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&copy);
    if (hr == S_OK)
        hr = IMessage_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMessage, copy, 0, NULL);
    if (hr == S_OK)
        hr = IMessage_SaveChanges(copy, 0);
    if (src != NULL)
        IMessage_Release(src);
    if (copy != NULL)
        IMessage_Release(copy);
    IAttach_Release(dst);
    return hr;
}

static const fm_object_class ATTACH_CLASS = {
    .name = "IAttach",
    .obj_type = MAPI_ATTACH,
    .stream_owner = FM_STREAM_OWNER_ATTACHMENT,
    .computed_tags = ATTACH_COMPUTED,
    .n_computed = sizeof ATTACH_COMPUTED / sizeof ATTACH_COMPUTED[0],
    .computed = attach_computed,
    .save = attach_save,
    .open_property = attach_open_property,
    .copy_subobjects = attach_copy_subobjects,
    .has_interface = attach_has_interface,
    .destroy = attach_destroy,
};

/* ---- IUnknown and IMAPIProp: every store object's (store/object.h) ---------- */

static STDMETHODIMP attach_QueryInterface(IAttach *This, REFIID riid, LPVOID *ppvObj)
{
    return fm_object_QueryInterface(fm_object_of(This), riid, ppvObj);
}

static STDMETHODIMP_(ULONG) attach_AddRef(IAttach *This)
{
    return fm_object_AddRef(fm_object_of(This));
}

static STDMETHODIMP_(ULONG) attach_Release(IAttach *This)
{
    return fm_object_Release(fm_object_of(This));
}

static STDMETHODIMP attach_GetLastError(IAttach *This, HRESULT hResult, ULONG ulFlags,
                                        LPMAPIERROR *lppMAPIError)
{
    return fm_object_GetLastError(fm_object_of(This), hResult, ulFlags, lppMAPIError);
}

static STDMETHODIMP attach_SaveChanges(IAttach *This, ULONG ulFlags)
{
    return fm_object_SaveChanges(fm_object_of(This), ulFlags);
}

static STDMETHODIMP attach_GetProps(IAttach *This, LPSPropTagArray lpPropTagArray, ULONG ulFlags,
                                    ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    return fm_object_GetProps(fm_object_of(This), lpPropTagArray, ulFlags, lpcValues,
                              lppPropArray);
}

static STDMETHODIMP attach_GetPropList(IAttach *This, ULONG ulFlags,
                                       LPSPropTagArray *lppPropTagArray)
{
    return fm_object_GetPropList(fm_object_of(This), ulFlags, lppPropTagArray);
}

static STDMETHODIMP attach_OpenProperty(IAttach *This, ULONG ulPropTag, LPCIID lpiid,
                                        ULONG ulInterfaceOptions, ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    return fm_object_OpenProperty(fm_object_of(This), ulPropTag, lpiid, ulInterfaceOptions,
                                  ulFlags, lppUnk);
}

static STDMETHODIMP attach_SetProps(IAttach *This, ULONG cValues, LPSPropValue lpPropArray,
                                    LPSPropProblemArray *lppProblems)
{
    return fm_object_SetProps(fm_object_of(This), cValues, lpPropArray, lppProblems);
}

static STDMETHODIMP attach_DeleteProps(IAttach *This, LPSPropTagArray lpPropTagArray,
                                       LPSPropProblemArray *lppProblems)
{
    return fm_object_DeleteProps(fm_object_of(This), lpPropTagArray, lppProblems);
}

static STDMETHODIMP attach_CopyTo(IAttach *This, ULONG ciidExclude, LPCIID rgiidExclude,
                                  LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                                  LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                                  ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    return fm_object_CopyTo(fm_object_of(This), ciidExclude, rgiidExclude, lpExcludeProps,
                            ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP attach_CopyProps(IAttach *This, LPSPropTagArray lpIncludeProps,
                                     ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                     LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                                     LPSPropProblemArray *lppProblems)
{
    return fm_object_CopyProps(fm_object_of(This), lpIncludeProps, ulUIParam, lpProgress,
                               lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP attach_GetNamesFromIDs(IAttach *This, LPSPropTagArray *lppPropTags,
                                           LPGUID lpPropSetGuid, ULONG ulFlags,
                                           ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames)
{
    return fm_object_GetNamesFromIDs(fm_object_of(This), lppPropTags, lpPropSetGuid, ulFlags,
                                     lpcPropNames, lpppPropNames);
}

static STDMETHODIMP attach_GetIDsFromNames(IAttach *This, ULONG cPropNames,
                                           LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                           LPSPropTagArray *lppPropTags)
{
    return fm_object_GetIDsFromNames(fm_object_of(This), cPropNames, lppPropNames, ulFlags,
                                     lppPropTags);
}

static const IAttachVtbl ATTACH_VTBL = {
    .QueryInterface = attach_QueryInterface,
    .AddRef = attach_AddRef,
    .Release = attach_Release,
    .GetLastError = attach_GetLastError,
    .SaveChanges = attach_SaveChanges,
    .GetProps = attach_GetProps,
    .GetPropList = attach_GetPropList,
    .OpenProperty = attach_OpenProperty,
    .SetProps = attach_SetProps,
    .DeleteProps = attach_DeleteProps,
    .CopyTo = attach_CopyTo,
    .CopyProps = attach_CopyProps,
    .GetNamesFromIDs = attach_GetNamesFromIDs,
    .GetIDsFromNames = attach_GetIDsFromNames,
};

/* Copies the message-held pending streams into the object, not owned. */
static HRESULT adopt_view(fm_object *o, const fm_attach_state *st)
{
    if (st->nstreams == 0)
        return S_OK;
    o->pending = fm_malloc(st->nstreams * sizeof *o->pending);
    if (o->pending == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening an attachment");
    memcpy(o->pending, st->streams, st->nstreams * sizeof *o->pending);
    for (size_t i = 0; i < st->nstreams; i++)
        o->pending[i].owned = false;
    o->npending = o->cappending = st->nstreams;
    return S_OK;
}

HRESULT fm_attach_open(IMessage *msg, ULONG num, bool writable, bool is_new, IAttach **out)
{
    *out = NULL;
    fm_object *mo = fm_object_of(msg);
    fm_attach_state st = { 0 };
    HRESULT hr = is_new ? S_OK : fm_message_attach_state(mo, num, &st);
    if (hr != S_OK)
        return hr;
    fm_attach *a = fm_calloc(1, sizeof *a);
    if (a == NULL) {
        fm_attach_state_clear(&st);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening an attachment");
    }
    a->lpVtbl = &ATTACH_VTBL;
    a->num = num;
    hr = fm_object_init(&a->base, &ATTACH_CLASS, mo->store, st.aid, writable);
    if (hr != S_OK) {
        fm_free(a);
        fm_attach_state_clear(&st);
        return hr;
    }
    IMessage_AddRef(msg);
    a->message = msg;
    hr = fm_object_load_blob(&a->base, st.blob, st.len);
    if (hr == S_OK)
        hr = adopt_view(&a->base, &st);
    a->embedded_mid = st.embedded_mid; /* the message's, not ours to drop */
    fm_attach_state_clear(&st);
    if (hr != S_OK) {
        fm_object_Release(&a->base);
        return hr;
    }
    a->base.dirty = is_new;
    *out = (IAttach *)a;
    return S_OK;
}
