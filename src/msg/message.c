/*
 * msg/message.c - SaveChanges for messages and attachments of a .msg
 * file, and the IMessage methods that are not tables or attachments
 * (SubmitMessage, SetReadFlag).
 *
 * A save writes, in order: pending streams into place; for a message, its
 * attachment list (deleted ones destroyed) and its recipients; the value
 * streams and the property stream; for a top-level message, the
 * named-property map, then IStorage::Commit of the root storage (unless
 * IMSG_NO_ISTG_COMMIT). An attachment's save writes its own storage and
 * tells its message; an embedded message's save writes its storage, which
 * the top-level message's commit then carries to the file. The storage
 * layer makes the commit atomic (cfb_file.c): a failure leaves the file as
 * it was committed last.
 */
#include <string.h>

#include "core/error.h"
#include "mapitags.h"
#include "msg/msg.h"

#define SAVE_FLAGS (KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS)
#define READ_FLAGS                                                                              \
    (SUPPRESS_RECEIPT | CLEAR_READ_FLAG | MAPI_DEFERRED_ERRORS | GENERATE_RECEIPT_ONLY |         \
     CLEAR_RN_PENDING | CLEAR_NRN_PENDING)
#define OBJ_NAME u"__substg1.0_3701000D"

static HRESULT save_message(fm_msg_obj *o)
{
    HRESULT hr = fm_msg_atts_write(o);
    if (hr == S_OK)
        hr = fm_msg_recips_write(o);
    if (hr == S_OK)
        hr = fm_msg_props_write(o);
    if (hr == S_OK && !o->embedded && o->tree->names.dirty) {
        hr = fm_msg_stg_hr(fm_msg_names_save(&o->tree->names, o->tree->root_stg));
        if (hr == S_OK)
            o->tree->names.dirty = false;
    }
    if (hr == S_OK && !o->embedded && !(o->tree->flags & IMSG_NO_ISTG_COMMIT))
        hr = fm_msg_stg_hr(IStorage_Commit(o->stg, STGC_DEFAULT));
    return hr;
}

static HRESULT save_attach(fm_msg_obj *o)
{
    HRESULT hr = S_OK;
    if (!o->has_object) {
        /* PR_ATTACH_DATA_OBJ was deleted, or never there. */
        HRESULT d = IStorage_DestroyElement(o->stg, OBJ_NAME);
        if (d != S_OK && d != STG_E_FILENOTFOUND)
            hr = fm_msg_stg_hr(d);
    }
    if (hr == S_OK)
        hr = fm_msg_props_write(o);
    if (hr == S_OK && o->parent != NULL)
        fm_msg_att_saved(o->parent, o->num);
    return hr;
}

HRESULT fm_msg_save(fm_msg_obj *o, ULONG flags)
{
    if (flags & ~(ULONG)SAVE_FLAGS)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "SaveChanges: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~(ULONG)SAVE_FLAGS));
    if (!o->tree->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "SaveChanges: the message's storage is read-only");
    HRESULT hr = fm_msg_apply_pending(o);
    if (hr == S_OK)
        hr = o->kind == FM_MSG_ATTACH ? save_attach(o) : save_message(o);
    if (hr == S_OK)
        o->dirty = false;
    return hr;
}

STDMETHODIMP fm_msg_SubmitMessage(IMessage *This, ULONG ulFlags)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    return fm_msg_fail(o, fm_error_set(MAPI_E_NO_SUPPORT, "SubmitMessage: a message in a .msg "
                                                          "file cannot be submitted"));
}

STDMETHODIMP fm_msg_SetReadFlag(IMessage *This, ULONG ulFlags)
{
    fm_msg_obj *o = (fm_msg_obj *)This;
    if (ulFlags & ~(ULONG)READ_FLAGS)
        return fm_msg_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "SetReadFlag: unknown flags"));
    pthread_mutex_lock(&o->tree->lock);
    HRESULT hr = o->tree->closed ? fm_error_set(MAPI_E_OBJECT_DELETED, "SetReadFlag: the "
                                                "message session was closed")
                 : !o->tree->writable ? fm_error_set(MAPI_E_NO_ACCESS, "SetReadFlag: the "
                                                     "message's storage is read-only")
                                      : S_OK;
    SizedSPropTagArray(1, one) = { 1, { PR_MESSAGE_FLAGS } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    if (hr == S_OK)
        hr = IPropData_GetProps(o->bag, (LPSPropTagArray)&one, 0, &n, &v);
    if (SUCCEEDED(hr)) {
        LONG flags = PROP_TYPE(v[0].ulPropTag) == PT_LONG ? v[0].Value.l : 0;
        if (ulFlags & CLEAR_READ_FLAG)
            flags &= ~MSGFLAG_READ;
        else if (!(ulFlags & (GENERATE_RECEIPT_ONLY | CLEAR_RN_PENDING | CLEAR_NRN_PENDING)))
            flags |= MSGFLAG_READ;
        if (ulFlags & (SUPPRESS_RECEIPT | CLEAR_RN_PENDING))
            flags &= ~MSGFLAG_RN_PENDING;
        if (ulFlags & CLEAR_NRN_PENDING)
            flags &= ~MSGFLAG_NRN_PENDING;
        SPropValue nv = { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = flags };
        hr = IPropData_SetProps(o->bag, 1, &nv, NULL);
        o->dirty = true;
    }
    o->tree->free_buffer(v);
    if (FAILED(hr))
        fm_msg_fail(o, hr);
    pthread_mutex_unlock(&o->tree->lock);
    return hr;
}
