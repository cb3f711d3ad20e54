/*
 * store/message.c - IMessage: a message of a store, opened or new.
 *
 * MAPI's transaction rule: what a caller changes on an open message is seen
 * by nobody else until SaveChanges, and Release without it forgets the
 * changes. Everything pending lives in the object (the bag, the recipient
 * rows, scratch streams); SaveChanges writes it in one transaction, so a
 * crash leaves the old message or the new one, never half of each.
 *
 * Conflicts: each saved message has a change number. Saving over a message
 * that another opener saved since we read it is MAPI_E_OBJECT_CHANGED
 * (unless FORCE_SAVE); over one deleted since, MAPI_E_OBJECT_DELETED.
 */
#include <string.h>
#include <sys/random.h>

#include "core/alloc.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "store/entryid.h"
#include "store/folder_acl.h"
#include "store/message.h"
#include "store/message_attach.h"
#include "store/message_body.h"
#include "store/message_row.h"
#include "store/message_submit.h"
#include "store/message_tables.h"
#include "store/message_receipt.h"
#include "store/message_tree.h"
#include "store/msgstore.h"
#include "store/object.h"
#include "store/recipients.h"
#include "store/stream.h"
#include "store/submit_queue.h"
#include "store/values.h"

/* PR_MESSAGE_FLAGS bits a client may set before the first save; the rest
 * are the store's (MSGFLAG_HASATTACH, MSGFLAG_ASSOCIATED). */
#define SETTABLE_FLAGS                                                                     \
    (MSGFLAG_READ | MSGFLAG_UNMODIFIED | MSGFLAG_SUBMIT | MSGFLAG_UNSENT | MSGFLAG_FROMME | \
     MSGFLAG_RESEND | MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING | MSGFLAG_ORIGIN_X400 |      \
     MSGFLAG_ORIGIN_INTERNET | MSGFLAG_ORIGIN_MISC_EXT)

typedef struct fm_message {
    const IMessageVtbl *lpVtbl;
    fm_object base;
    fm_message_row row; /* as last read or saved; row.mid == 0 while new */
    fm_recipients recips;
    fm_attachments atts;
    IAttach *owner; /* an embedded message's attachment (a reference), else NULL */
} fm_message;

static fm_message *message_of(fm_object *o)
{
    return (fm_message *)fm_object_iface(o);
}

static const ULONG MESSAGE_COMPUTED[] = {
    PR_ENTRYID,
    PR_RECORD_KEY,
    PR_SOURCE_KEY,
    PR_PARENT_ENTRYID,
    PR_PARENT_SOURCE_KEY,
    PR_STORE_ENTRYID,
    PR_STORE_RECORD_KEY,
    PR_STORE_SUPPORT_MASK,
    PR_OBJECT_TYPE,
    PR_MESSAGE_FLAGS,
    PR_HASATTACH,
    PR_MESSAGE_SIZE,
    PR_MSG_STATUS,
    PR_DISPLAY_TO_A,
    PR_DISPLAY_CC_A,
    PR_DISPLAY_BCC_A,
    PR_CREATION_TIME,
    PR_LAST_MODIFICATION_TIME,
    PR_ACCESS,
    PR_ACCESS_LEVEL,
    PR_SUBMIT_FLAGS,
};

static HRESULT display(fm_object *o, ULONG tag, ULONG type, void *parent, SPropValue *out)
{
    fm_message *m = message_of(o);
    HRESULT hr = fm_recipients_load(&m->recips, o->store, m->row.mid);
    char *s = NULL;
    if (hr == S_OK)
        hr = fm_recipients_display(&m->recips, type, parent, &s);
    if (hr == S_OK) {
        out->ulPropTag = tag;
        out->dwAlignPad = 0;
        out->Value.lpszA = s;
    }
    return hr;
}

/* Attachments as the caller sees them: pending changes included. */
static ULONG attach_count(fm_message *m)
{
    return m->atts.loaded ? fm_attachments_count(&m->atts) : m->row.attach_count;
}

static HRESULT message_computed(fm_object *o, ULONG tag, void *parent, SPropValue *out)
{
    fm_message *m = message_of(o);
    fm_store *s = o->store;
    const fm_message_row *r = &m->row;
    switch (tag) {
    case PR_ENTRYID:
    case PR_RECORD_KEY:
        /* Assigned by the first SaveChanges; embedded messages have none. */
        if (r->mid == 0 || r->fid == 0)
            return MAPI_E_NOT_FOUND;
        return fm_value_entryid(out, tag, s, FM_EID_MESSAGE, r->mid, parent);
    case PR_SOURCE_KEY:
        if (r->mid == 0 || r->fid == 0)
            return MAPI_E_NOT_FOUND;
        return fm_value_source_key(out, tag, s, r->mid, parent);
    case PR_PARENT_ENTRYID:
        if (r->fid == 0)
            return MAPI_E_NOT_FOUND;
        return fm_value_entryid(out, tag, s, FM_EID_FOLDER, r->fid, parent);
    case PR_PARENT_SOURCE_KEY:
        if (r->fid == 0)
            return MAPI_E_NOT_FOUND;
        return fm_value_source_key(out, tag, s, r->fid, parent);
    case PR_STORE_ENTRYID: return fm_value_entryid(out, tag, s, FM_EID_STORE, 0, parent);
    case PR_STORE_RECORD_KEY: return fm_value_binary(out, tag, s->uid.ab, 16, parent);
    case PR_STORE_SUPPORT_MASK: return fm_value_long(out, tag, (LONG)fm_msgstore_support_mask(s));
    case PR_OBJECT_TYPE: return fm_value_long(out, tag, MAPI_MESSAGE);
    case PR_MESSAGE_FLAGS: {
        fm_message_row now = *r;
        now.attach_count = attach_count(m);
        return fm_value_long(out, tag, (LONG)fm_message_row_flags(&now));
    }
    case PR_HASATTACH: return fm_value_bool(out, tag, attach_count(m) > 0);
    case PR_MESSAGE_SIZE: {
        /* As saved when nothing changed since; else an estimate of the
         * pending state (exact sizes are known only once written). */
        uint64_t size = (!o->dirty && r->mid != 0) ? r->size
                                                   : fm_message_size(o, &m->recips, &m->atts);
        return fm_value_long(out, tag, size > INT32_MAX ? INT32_MAX : (LONG)size);
    }
    case PR_MSG_STATUS: return fm_value_long(out, tag, (LONG)r->status);
    case PR_DISPLAY_TO_A: return display(o, tag, MAPI_TO, parent, out);
    case PR_DISPLAY_CC_A: return display(o, tag, MAPI_CC, parent, out);
    case PR_DISPLAY_BCC_A: return display(o, tag, MAPI_BCC, parent, out);
    case PR_CREATION_TIME: return fm_value_systime(out, tag, r->created);
    case PR_LAST_MODIFICATION_TIME: return fm_value_systime(out, tag, r->modified);
    case PR_ACCESS:
        return fm_value_long(out, tag, o->writable ? (LONG)(MAPI_ACCESS_READ | MAPI_ACCESS_MODIFY |
                                                            MAPI_ACCESS_DELETE)
                                                   : (LONG)MAPI_ACCESS_READ);
    case PR_ACCESS_LEVEL: return fm_value_long(out, tag, o->writable ? MAPI_MODIFY : 0);
    case PR_SUBMIT_FLAGS: {
        /* Only a queued message has it: the queue says whether a spooler
         * holds it (asked only of messages marked submitted). */
        ULONG f = 0;
        HRESULT hr = (r->flags & MSGFLAG_SUBMIT) && r->mid != 0
                         ? fm_submit_flags(s, r->mid, &f)
                         : MAPI_E_NOT_FOUND;
        return hr == S_OK ? fm_value_long(out, tag, (LONG)f) : hr;
    }
    default: return MAPI_E_NOT_FOUND;
    }
}

static SCODE message_set_computed(fm_object *o, const SPropValue *v)
{
    fm_message *m = message_of(o);
    /* Documented: PR_MESSAGE_FLAGS is read-write until the first save. */
    if (PROP_ID(v->ulPropTag) == PROP_ID(PR_MESSAGE_FLAGS) && m->row.mid == 0 &&
        PROP_TYPE(v->ulPropTag) == PT_LONG) {
        m->row.flags = v->Value.ul & SETTABLE_FLAGS;
        return S_OK;
    }
    return MAPI_E_COMPUTED;
}

static HRESULT message_save(fm_object *o, ULONG flags)
{
    fm_message *m = message_of(o);
    HRESULT hr = fm_acl_require_save(o->store, m->row.fid, m->row.mid); /* folder_acl.h */
    if (hr == S_OK)
        hr = fm_message_row_save(o, &m->row, &m->recips, &m->atts, flags);
    if (hr == S_OK)
        m->recips.dirty = false;
    /* An embedded message is saved as scratch: its attachment takes it. */
    if (hr == S_OK && m->owner != NULL)
        fm_attach_embedded_saved(m->owner, m->row.mid);
    return hr;
}

/* ---- CopyTo: recipients and attachments ----------------------------------------- */

static HRESULT copy_recipients(fm_object *o, IMessage *dest, ULONG flags)
{
    fm_message *m = message_of(o);
    HRESULT hr = fm_recipients_load(&m->recips, o->store, m->row.mid);
    if (hr != S_OK || m->recips.n == 0)
        return hr;
    LPADRLIST list = NULL;
    hr = MAPIAllocateBuffer(CbNewADRLIST(m->recips.n), (void **)&list);
    if (hr != S_OK)
        return hr;
    list->cEntries = (ULONG)m->recips.n;
    for (size_t i = 0; i < m->recips.n; i++) {
        list->aEntries[i].ulReserved1 = 0;
        list->aEntries[i].cValues = m->recips.rows[i].cValues;
        list->aEntries[i].rgPropVals = m->recips.rows[i].props; /* the callee copies */
    }
    /* MAPI_NOREPLACE keeps the destination's recipients and adds ours. */
    hr = IMessage_ModifyRecipients(dest, (flags & MAPI_NOREPLACE) ? MODRECIP_ADD : 0, list);
    MAPIFreeBuffer(list);
    return hr;
}

static HRESULT copy_one_attachment(IMessage *self, ULONG num, IMessage *dest)
{
    IAttach *src = NULL, *dst = NULL;
    ULONG dnum = 0;
    HRESULT hr = fm_attach_open(self, num, false, false, &src);
    if (hr == S_OK)
        hr = IMessage_CreateAttach(dest, NULL, 0, &dnum, &dst);
    if (hr == S_OK)
        hr = IAttach_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IAttachment, dst, 0, NULL);
    if (hr == S_OK)
        hr = IAttach_SaveChanges(dst, 0);
    if (src != NULL)
        IAttach_Release(src);
    if (dst != NULL)
        IAttach_Release(dst);
    return hr;
}

static HRESULT copy_attachments(fm_object *o, IMessage *dest)
{
    fm_message *m = message_of(o);
    pthread_mutex_lock(&o->lock);
    HRESULT hr = fm_attachments_load(&m->atts, o->store, m->row.mid);
    ULONG *nums = NULL;
    size_t n = 0;
    if (hr == S_OK && m->atts.n > 0 && (nums = fm_malloc(m->atts.n * sizeof *nums)) == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory copying attachments");
    for (size_t i = 0; hr == S_OK && i < m->atts.n; i++) {
        if (!m->atts.e[i].deleted)
            nums[n++] = m->atts.e[i].num;
    }
    pthread_mutex_unlock(&o->lock);
    for (size_t i = 0; hr == S_OK && i < n; i++)
        hr = copy_one_attachment((IMessage *)message_of(o), nums[i], dest);
    fm_free(nums);
    return hr;
}

static HRESULT message_copy_subobjects(fm_object *o, IMAPIProp *dest, bool recipients,
                                       bool attachments, ULONG flags)
{
    IMessage *dm = NULL;
    /* Only a message can hold recipients and attachments. */
    if (dest->lpVtbl->QueryInterface(dest, &IID_IMessage, (void **)&dm) != S_OK)
        return S_OK;
    HRESULT hr = S_OK;
    if (recipients)
        hr = copy_recipients(o, dm, flags);
    if (hr == S_OK && attachments)
        hr = copy_attachments(o, dm);
    IMessage_Release(dm);
    return hr;
}

static bool message_has_interface(REFIID riid)
{
    return IsEqualIID(riid, &IID_IMessage);
}

static void message_destroy(fm_object *o)
{
    fm_message *m = message_of(o);
    fm_recipients_clear(&m->recips);
    fm_attachments_clear(&m->atts, o->store);
    if (m->owner != NULL)
        IAttach_Release(m->owner);
}

static const fm_object_class MESSAGE_CLASS = {
    .name = "IMessage",
    .obj_type = MAPI_MESSAGE,
    .stream_owner = FM_STREAM_OWNER_MESSAGE,
    .computed_tags = MESSAGE_COMPUTED,
    .n_computed = sizeof MESSAGE_COMPUTED / sizeof MESSAGE_COMPUTED[0],
    .computed = message_computed,
    .set_computed = message_set_computed,
    .save = message_save,
    .copy_subobjects = message_copy_subobjects,
    .has_interface = message_has_interface,
    .destroy = message_destroy,
    .derived_tags = FM_MESSAGE_DERIVED,
    .n_derived = FM_MESSAGE_N_DERIVED,
    .n_derived_listed = FM_MESSAGE_N_DERIVED_LISTED,
    .derived = fm_message_body_derive,
};

/* ---- IMessage methods --------------------------------------------------------- */

static fm_object *obj(IMessage *This)
{
    return fm_object_of(This);
}

HRESULT fm_message_recipients(fm_object *msg, fm_recipients **out)
{
    fm_message *m = message_of(msg);
    *out = &m->recips;
    return fm_recipients_load(&m->recips, msg->store, m->row.mid);
}

HRESULT fm_message_attachments(fm_object *msg, fm_attachments **out)
{
    fm_message *m = message_of(msg);
    *out = &m->atts;
    return fm_attachments_load(&m->atts, msg->store, m->row.mid);
}

static HRESULT table_args(IMessage *This, const char *what, ULONG ulFlags, LPMAPITABLE *lppTable)
{
    if (ulFlags & ~(ULONG)(MAPI_UNICODE | MAPI_DEFERRED_ERRORS))
        return fm_object_fail(obj(This), fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                                                      "%s: unknown flags 0x%08lX", what,
                                                      (unsigned long)ulFlags));
    if (lppTable == NULL)
        return fm_object_fail(obj(This), fm_error_set(MAPI_E_INVALID_PARAMETER,
                                                      "%s: lppTable is NULL", what));
    *lppTable = NULL;
    return S_OK;
}

static STDMETHODIMP message_GetAttachmentTable(IMessage *This, ULONG ulFlags,
                                               LPMAPITABLE *lppTable)
{
    HRESULT hr = table_args(This, "GetAttachmentTable", ulFlags, lppTable);
    if (hr == S_OK)
        hr = fm_object_fail(obj(This), fm_attachment_table_open(This, ulFlags, lppTable));
    return hr;
}

#define ATTACH_OPEN_FLAGS (MAPI_MODIFY | MAPI_BEST_ACCESS | MAPI_DEFERRED_ERRORS)

static bool attach_iid(LPCIID iid)
{
    return iid == NULL || IsEqualIID(iid, &IID_IAttachment) || IsEqualIID(iid, &IID_IMAPIProp) ||
           IsEqualIID(iid, &IID_IUnknown);
}

static STDMETHODIMP message_OpenAttach(IMessage *This, ULONG ulAttachmentNum, LPCIID lpInterface,
                                       ULONG ulFlags, LPATTACH *lppAttach)
{
    fm_object *o = obj(This);
    fm_message *m = message_of(o);
    HRESULT hr = S_OK;
    if (lppAttach == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenAttach: lppAttach is NULL");
    else if (ulFlags & ~ATTACH_OPEN_FLAGS)
        hr = fm_error_set(MAPI_E_UNKNOWN_FLAGS, "OpenAttach: unknown flags 0x%08lX",
                          (unsigned long)(ulFlags & ~ATTACH_OPEN_FLAGS));
    else if (!attach_iid(lpInterface))
        hr = fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "OpenAttach: not an IAttach IID");
    else if ((ulFlags & MAPI_MODIFY) && !o->writable)
        hr = fm_error_set(MAPI_E_NO_ACCESS, "OpenAttach: the message is read-only");
    if (hr != S_OK)
        return fm_object_fail(o, hr);
    *lppAttach = NULL;
    pthread_mutex_lock(&o->lock);
    hr = fm_attachments_load(&m->atts, o->store, m->row.mid);
    if (hr == S_OK && fm_attachments_find(&m->atts, ulAttachmentNum) == NULL)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "OpenAttach: no attachment %lu",
                          (unsigned long)ulAttachmentNum);
    pthread_mutex_unlock(&o->lock);
    if (hr == S_OK) {
        bool writable = o->writable && (ulFlags & (MAPI_MODIFY | MAPI_BEST_ACCESS));
        hr = fm_attach_open(This, ulAttachmentNum, writable, false, lppAttach);
    }
    return fm_object_fail(o, hr);
}

static STDMETHODIMP message_CreateAttach(IMessage *This, LPCIID lpInterface, ULONG ulFlags,
                                         ULONG *lpulAttachmentNum, LPATTACH *lppAttach)
{
    fm_object *o = obj(This);
    fm_message *m = message_of(o);
    HRESULT hr = S_OK;
    if (lppAttach == NULL || lpulAttachmentNum == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateAttach: NULL out pointer");
    else if (ulFlags & ~MAPI_DEFERRED_ERRORS)
        hr = fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CreateAttach: unknown flags 0x%08lX",
                          (unsigned long)(ulFlags & ~MAPI_DEFERRED_ERRORS));
    else if (!attach_iid(lpInterface))
        hr = fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "CreateAttach: not an IAttach IID");
    else if (!o->writable)
        hr = fm_error_set(MAPI_E_NO_ACCESS, "CreateAttach: the message is read-only");
    if (hr != S_OK)
        return fm_object_fail(o, hr);
    *lppAttach = NULL;
    pthread_mutex_lock(&o->lock);
    fm_attach_entry *e = NULL;
    hr = fm_attachments_load(&m->atts, o->store, m->row.mid);
    if (hr == S_OK)
        hr = fm_attachments_add(&m->atts, &e);
    ULONG num = e ? e->num : 0;
    pthread_mutex_unlock(&o->lock);
    if (hr == S_OK)
        hr = fm_attach_open(This, num, true, true, lppAttach);
    if (hr == S_OK) {
        *lpulAttachmentNum = num;
        o->dirty = true;
    } else if (e != NULL) {
        pthread_mutex_lock(&o->lock);
        fm_attach_entry *made = fm_attachments_find(&m->atts, num);
        if (made != NULL)
            made->deleted = true; /* never handed out: not created */
        pthread_mutex_unlock(&o->lock);
    }
    return fm_object_fail(o, hr);
}

static STDMETHODIMP message_DeleteAttach(IMessage *This, ULONG ulAttachmentNum,
                                         ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                         ULONG ulFlags)
{
    fm_object *o = obj(This);
    fm_message *m = message_of(o);
    if (ulFlags & ~ATTACH_DIALOG)
        return fm_object_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                                              "DeleteAttach: unknown flags 0x%08lX",
                                              (unsigned long)(ulFlags & ~ATTACH_DIALOG)));
    if (!o->writable)
        return fm_object_fail(o, fm_error_set(MAPI_E_NO_ACCESS,
                                              "DeleteAttach: the message is read-only"));
    pthread_mutex_lock(&o->lock);
    HRESULT hr = fm_attachments_load(&m->atts, o->store, m->row.mid);
    fm_attach_entry *e = hr == S_OK ? fm_attachments_find(&m->atts, ulAttachmentNum) : NULL;
    if (hr == S_OK && e == NULL)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "DeleteAttach: no attachment %lu",
                          (unsigned long)ulAttachmentNum);
    if (hr == S_OK) {
        e->deleted = true; /* gone from the store at the message's save */
        o->dirty = true;
    }
    pthread_mutex_unlock(&o->lock);
    return fm_object_fail(o, hr);
}

static STDMETHODIMP message_GetRecipientTable(IMessage *This, ULONG ulFlags,
                                              LPMAPITABLE *lppTable)
{
    HRESULT hr = table_args(This, "GetRecipientTable", ulFlags, lppTable);
    if (hr == S_OK)
        hr = fm_object_fail(obj(This), fm_recipient_table_open(This, ulFlags, lppTable));
    return hr;
}

static STDMETHODIMP message_ModifyRecipients(IMessage *This, ULONG ulFlags, LPADRLIST lpMods)
{
    fm_object *o = obj(This);
    fm_message *m = message_of(o);
    if (!o->writable)
        return fm_object_fail(o, fm_error_set(MAPI_E_NO_ACCESS,
                                              "ModifyRecipients: the message is read-only"));
    pthread_mutex_lock(&o->lock);
    HRESULT hr = fm_recipients_load(&m->recips, o->store, m->row.mid);
    if (hr == S_OK)
        hr = fm_recipients_modify(&m->recips, ulFlags, lpMods);
    if (hr == S_OK)
        o->dirty = true;
    pthread_mutex_unlock(&o->lock);
    return fm_object_fail(o, hr);
}

static STDMETHODIMP message_SubmitMessage(IMessage *This, ULONG ulFlags)
{
    return fm_object_fail(obj(This), fm_message_submit(This, ulFlags));
}

static STDMETHODIMP message_SetReadFlag(IMessage *This, ULONG ulFlags)
{
    fm_object *o = obj(This);
    const ULONG known = SUPPRESS_RECEIPT | CLEAR_READ_FLAG | MAPI_DEFERRED_ERRORS |
                        GENERATE_RECEIPT_ONLY | CLEAR_RN_PENDING | CLEAR_NRN_PENDING;
    if (ulFlags & ~known)
        return fm_object_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                                              "SetReadFlag: unknown flags 0x%08lX",
                                              (unsigned long)(ulFlags & ~known)));
    if ((ulFlags & SUPPRESS_RECEIPT) && (ulFlags & CLEAR_READ_FLAG))
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "SetReadFlag: SUPPRESS_RECEIPT with "
                                              "CLEAR_READ_FLAG"));
    if ((ulFlags & CLEAR_READ_FLAG) && (ulFlags & GENERATE_RECEIPT_ONLY))
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "SetReadFlag: CLEAR_READ_FLAG with "
                                              "GENERATE_RECEIPT_ONLY"));
    fm_message *m = message_of(o);
    pthread_mutex_lock(&o->lock);
    ULONG f = m->row.flags;
    bool saved = m->row.mid != 0;
    pthread_mutex_unlock(&o->lock);
    /* A pending read report goes when the message becomes read (no flag)
     * or on request (GENERATE_RECEIPT_ONLY alone), message_receipt.c. */
    bool report = saved && (f & MSGFLAG_RN_PENDING) && !(ulFlags & (SUPPRESS_RECEIPT |
                                                                    CLEAR_READ_FLAG |
                                                                    CLEAR_RN_PENDING)) &&
                  ((ulFlags & GENERATE_RECEIPT_ONLY) || !(f & MSGFLAG_READ));
    HRESULT hr = S_OK;
    if (report) {
        pthread_mutex_lock(&o->lock);
        fm_message_row row = m->row;
        pthread_mutex_unlock(&o->lock);
        hr = fm_message_send_receipt(This, &row, true, !(ulFlags & GENERATE_RECEIPT_ONLY));
        if (hr == S_OK) {
            pthread_mutex_lock(&o->lock);
            m->row.flags = row.flags;
            pthread_mutex_unlock(&o->lock);
        }
        return fm_object_fail(o, hr);
    }
    /* Otherwise only flags change: SUPPRESS_RECEIPT cancels the pending
     * read report; GENERATE_RECEIPT_ONLY leaves MSGFLAG_READ as it is. */
    bool read = (ulFlags & GENERATE_RECEIPT_ONLY) ? (f & MSGFLAG_READ) != 0
                                                  : !(ulFlags & CLEAR_READ_FLAG);
    pthread_mutex_lock(&o->lock);
    hr = fm_message_row_set_read(o->store, &m->row, read,
                                 (ulFlags & (CLEAR_RN_PENDING | SUPPRESS_RECEIPT)) != 0,
                                 (ulFlags & CLEAR_NRN_PENDING) != 0);
    pthread_mutex_unlock(&o->lock);
    return fm_object_fail(o, hr);
}

/* ---- IUnknown and IMAPIProp: every store object's (store/object.h) ---------- */

static STDMETHODIMP message_QueryInterface(IMessage *This, REFIID riid, LPVOID *ppvObj)
{
    return fm_object_QueryInterface(fm_object_of(This), riid, ppvObj);
}

static STDMETHODIMP_(ULONG) message_AddRef(IMessage *This)
{
    return fm_object_AddRef(fm_object_of(This));
}

static STDMETHODIMP_(ULONG) message_Release(IMessage *This)
{
    return fm_object_Release(fm_object_of(This));
}

static STDMETHODIMP message_GetLastError(IMessage *This, HRESULT hResult, ULONG ulFlags,
                                         LPMAPIERROR *lppMAPIError)
{
    return fm_object_GetLastError(fm_object_of(This), hResult, ulFlags, lppMAPIError);
}

static STDMETHODIMP message_SaveChanges(IMessage *This, ULONG ulFlags)
{
    return fm_object_SaveChanges(fm_object_of(This), ulFlags);
}

static STDMETHODIMP message_GetProps(IMessage *This, LPSPropTagArray lpPropTagArray, ULONG ulFlags,
                                     ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    return fm_object_GetProps(fm_object_of(This), lpPropTagArray, ulFlags, lpcValues,
                              lppPropArray);
}

static STDMETHODIMP message_GetPropList(IMessage *This, ULONG ulFlags,
                                        LPSPropTagArray *lppPropTagArray)
{
    return fm_object_GetPropList(fm_object_of(This), ulFlags, lppPropTagArray);
}

static STDMETHODIMP message_OpenProperty(IMessage *This, ULONG ulPropTag, LPCIID lpiid,
                                         ULONG ulInterfaceOptions, ULONG ulFlags,
                                         LPUNKNOWN *lppUnk)
{
    return fm_object_OpenProperty(fm_object_of(This), ulPropTag, lpiid, ulInterfaceOptions,
                                  ulFlags, lppUnk);
}

static STDMETHODIMP message_SetProps(IMessage *This, ULONG cValues, LPSPropValue lpPropArray,
                                     LPSPropProblemArray *lppProblems)
{
    return fm_object_SetProps(fm_object_of(This), cValues, lpPropArray, lppProblems);
}

static STDMETHODIMP message_DeleteProps(IMessage *This, LPSPropTagArray lpPropTagArray,
                                        LPSPropProblemArray *lppProblems)
{
    return fm_object_DeleteProps(fm_object_of(This), lpPropTagArray, lppProblems);
}

static STDMETHODIMP message_CopyTo(IMessage *This, ULONG ciidExclude, LPCIID rgiidExclude,
                                   LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                                   LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                                   ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    return fm_object_CopyTo(fm_object_of(This), ciidExclude, rgiidExclude, lpExcludeProps,
                            ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP message_CopyProps(IMessage *This, LPSPropTagArray lpIncludeProps,
                                      ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                      LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                                      LPSPropProblemArray *lppProblems)
{
    return fm_object_CopyProps(fm_object_of(This), lpIncludeProps, ulUIParam, lpProgress,
                               lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP message_GetNamesFromIDs(IMessage *This, LPSPropTagArray *lppPropTags,
                                            LPGUID lpPropSetGuid, ULONG ulFlags,
                                            ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames)
{
    return fm_object_GetNamesFromIDs(fm_object_of(This), lppPropTags, lpPropSetGuid, ulFlags,
                                     lpcPropNames, lpppPropNames);
}

static STDMETHODIMP message_GetIDsFromNames(IMessage *This, ULONG cPropNames,
                                            LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                            LPSPropTagArray *lppPropTags)
{
    return fm_object_GetIDsFromNames(fm_object_of(This), cPropNames, lppPropNames, ulFlags,
                                     lppPropTags);
}

static const IMessageVtbl MESSAGE_VTBL = {
    .QueryInterface = message_QueryInterface,
    .AddRef = message_AddRef,
    .Release = message_Release,
    .GetLastError = message_GetLastError,
    .SaveChanges = message_SaveChanges,
    .GetProps = message_GetProps,
    .GetPropList = message_GetPropList,
    .OpenProperty = message_OpenProperty,
    .SetProps = message_SetProps,
    .DeleteProps = message_DeleteProps,
    .CopyTo = message_CopyTo,
    .CopyProps = message_CopyProps,
    .GetNamesFromIDs = message_GetNamesFromIDs,
    .GetIDsFromNames = message_GetIDsFromNames,
    .GetAttachmentTable = message_GetAttachmentTable,
    .OpenAttach = message_OpenAttach,
    .CreateAttach = message_CreateAttach,
    .DeleteAttach = message_DeleteAttach,
    .GetRecipientTable = message_GetRecipientTable,
    .ModifyRecipients = message_ModifyRecipients,
    .SubmitMessage = message_SubmitMessage,
    .SetReadFlag = message_SetReadFlag,
};

/* ---- saving in a group (store/message_save_group.c) ------------------------------ */

bool fm_message_is_ours(IMessage *msg)
{
    return msg != NULL && msg->lpVtbl == &MESSAGE_VTBL;
}

HRESULT fm_message_group_prepare(IMessage *msg, ULONG flags, fm_message_save *sv)
{
    fm_message *m = (fm_message *)msg;
    if (m->owner != NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "an embedded message is saved through its attachment");
    if (!m->base.writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "the message was opened read-only");
    HRESULT denied = fm_acl_require_save(m->base.store, m->row.fid, m->row.mid);
    if (denied != S_OK) /* folder_acl.h */
        return denied;
    return fm_message_save_prepare(sv, &m->base, &m->row, &m->recips, &m->atts, flags);
}

bool fm_message_is_embedded(IMessage *msg)
{
    return ((fm_message *)msg)->owner != NULL;
}

ULONG fm_message_set_flags(IMessage *msg, ULONG set, ULONG clear)
{
    fm_message *m = (fm_message *)msg;
    pthread_mutex_lock(&m->base.lock);
    ULONG before = m->row.flags;
    m->row.flags = (before & ~clear) | set;
    m->base.dirty = true;
    pthread_mutex_unlock(&m->base.lock);
    return before;
}

void fm_message_group_saved(IMessage *msg, ULONG flags)
{
    fm_message *m = (fm_message *)msg;
    m->recips.dirty = false;
    m->base.dirty = false;
    if (!(flags & KEEP_OPEN_READWRITE))
        m->base.writable = false;
}

/* ---- construction ------------------------------------------------------------- */

static HRESULT new_object(fm_store *s, const fm_message_row *row, bool writable,
                          fm_message **out)
{
    fm_message *m = fm_calloc(1, sizeof *m);
    if (m == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a message");
    m->lpVtbl = &MESSAGE_VTBL;
    m->row = *row;
    m->row.props = NULL; /* the blob goes into the bag, not the row */
    HRESULT hr = fm_object_init(&m->base, &MESSAGE_CLASS, s, row->mid, writable && !s->readonly);
    if (hr != S_OK) {
        fm_free(m);
        return hr;
    }
    *out = m;
    return S_OK;
}

static HRESULT open_row(fm_store *s, int64_t mid, bool writable, bool embedded, IMessage **out)
{
    *out = NULL;
    fm_message_row row;
    HRESULT hr = fm_message_row_read(s, mid, &row);
    if (hr == S_OK && (row.fid == 0) != embedded) {
        fm_free(row.props);
        /* An embedded message is reached through its attachment only. */
        hr = fm_error_set(MAPI_E_NOT_FOUND, "no message %lld in the store", (long long)mid);
    }
    if (hr != S_OK)
        return hr;
    fm_message *m = NULL;
    hr = new_object(s, &row, writable, &m);
    if (hr == S_OK)
        hr = fm_object_load_blob(&m->base, row.props, row.props_len);
    fm_free(row.props);
    if (hr != S_OK) {
        if (m != NULL)
            fm_object_Release(&m->base);
        return hr;
    }
    *out = (IMessage *)m;
    return S_OK;
}

HRESULT fm_message_open(fm_store *s, int64_t mid, bool writable, IMessage **out)
{
    return open_row(s, mid, writable, false, out);
}

HRESULT fm_message_open_embedded(IAttach *attach, fm_store *s, int64_t mid, IMessage **out)
{
    HRESULT hr = mid ? open_row(s, mid, false, true, out)
                     : fm_message_create(s, 0, false, out);
    if (hr != S_OK)
        return hr;
    fm_message *m = (fm_message *)*out;
    if (mid == 0)
        m->row.parent_attach = fm_message_scratch_marker();
    IAttach_AddRef(attach);
    m->owner = attach;
    return S_OK;
}

HRESULT fm_message_open_embedded_copy(IAttach *attach, fm_store *s, int64_t mid, IMessage **out)
{
    HRESULT hr = open_row(s, mid, true, true, out);
    if (hr != S_OK)
        return hr;
    fm_message *m = (fm_message *)*out;
    IAttach_AddRef(attach);
    m->owner = attach;
    /* The copy exists in the store already: the attachment must hear of it
     * (and own it) even if the caller never saves it, so it is dropped. */
    fm_attach_embedded_saved(attach, mid);
    return S_OK;
}

HRESULT fm_message_create(fm_store *s, int64_t fid, bool associated, IMessage **out)
{
    *out = NULL;
    fm_message_row row = { 0 };
    row.fid = fid;
    row.assoc = associated;
    row.flags = MSGFLAG_UNSENT | MSGFLAG_READ;
    row.created = row.modified = fm_store_now();
    fm_message *m = NULL;
    HRESULT hr = new_object(s, &row, true, &m);
    if (hr != S_OK)
        return hr;
    m->base.dirty = true;
    m->recips.loaded = true;
    m->recips.next_row_id = 1;
    /* PR_SEARCH_KEY: made once by the store, kept when the message is
     * copied, so copies can be recognized. */
    BYTE key[16];
    if (getrandom(key, sizeof key, 0) != (ssize_t)sizeof key)
        hr = fm_error_set(MAPI_E_CALL_FAILED, "cannot read random bytes for PR_SEARCH_KEY");
    SPropValue sk = { .ulPropTag = PR_SEARCH_KEY, .Value.bin = { sizeof key, key } };
    if (hr == S_OK)
        hr = IPropData_SetProps(m->base.bag, 1, &sk, NULL);
    if (hr != S_OK) {
        fm_object_Release(&m->base);
        return hr;
    }
    *out = (IMessage *)m;
    return S_OK;
}

/* ---- what attachments ask of their message ------------------------------------- */

void fm_attach_state_clear(fm_attach_state *st)
{
    fm_free(st->blob);
    fm_free(st->streams);
    memset(st, 0, sizeof *st);
}

HRESULT fm_message_attach_state(fm_object *msg, ULONG num, fm_attach_state *out)
{
    fm_message *m = message_of(msg);
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&msg->lock);
    HRESULT hr = fm_attachments_load(&m->atts, msg->store, m->row.mid);
    fm_attach_entry *e = hr == S_OK ? fm_attachments_find(&m->atts, num) : NULL;
    if (hr == S_OK && e == NULL)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "no attachment %lu", (unsigned long)num);
    if (hr == S_OK) {
        out->aid = e->aid;
        out->len = e->len;
        out->embedded_mid = e->embedded_mid;
        if (e->len > 0 && (out->blob = fm_malloc(e->len)) == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening an attachment");
        else if (e->len > 0)
            memcpy(out->blob, e->blob, e->len);
    }
    if (hr == S_OK && e->nstreams > 0) {
        out->streams = fm_malloc(e->nstreams * sizeof *out->streams);
        if (out->streams == NULL) {
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening an attachment");
        } else {
            memcpy(out->streams, e->streams, e->nstreams * sizeof *out->streams);
            out->nstreams = e->nstreams;
        }
    }
    pthread_mutex_unlock(&msg->lock);
    if (hr != S_OK)
        fm_attach_state_clear(out);
    return hr;
}

/* Merges an attachment's pending streams into the entry's: a stream the
 * entry held for the same property and no longer needs is dropped. */
static HRESULT merge_streams(fm_db *db, fm_attach_entry *e, const fm_pending_stream *in, size_t n)
{
    size_t cap = e->nstreams + n;
    fm_pending_stream *all = fm_malloc((cap ? cap : 1) * sizeof *all);
    if (all == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory saving an attachment");
    size_t k = 0;
    for (size_t i = 0; i < e->nstreams; i++) {
        bool replaced = false;
        for (size_t j = 0; j < n && !replaced; j++)
            replaced = PROP_ID(in[j].tag) == PROP_ID(e->streams[i].tag);
        if (!replaced) {
            all[k++] = e->streams[i];
            continue;
        }
        bool still_used = false;
        for (size_t j = 0; j < n && !still_used; j++)
            still_used = in[j].sid == e->streams[i].sid;
        if (!still_used)
            fm_pending_drop(db, &e->streams[i], 1);
    }
    for (size_t j = 0; j < n; j++) {
        all[k] = in[j];
        all[k++].owned = true; /* the entry owns it until the message saves */
    }
    fm_free(e->streams);
    e->streams = all;
    e->nstreams = k;
    return S_OK;
}

HRESULT fm_message_attach_commit(fm_object *msg, ULONG num, void *blob, size_t len,
                                 const fm_pending_stream *streams, size_t n,
                                 int64_t embedded_mid)
{
    int64_t dropped = 0;
    fm_message *m = message_of(msg);
    pthread_mutex_lock(&msg->lock);
    fm_attach_entry *e = fm_attachments_find(&m->atts, num);
    HRESULT hr = S_OK;
    if (e == NULL)
        hr = fm_error_set(MAPI_E_OBJECT_DELETED,
                          "SaveChanges: the attachment was deleted from its message");
    if (hr == S_OK) {
        fm_store_lock(msg->store);
        hr = merge_streams(msg->store->db, e, streams, n);
        fm_store_unlock(msg->store);
    }
    if (hr == S_OK) {
        fm_free(e->blob);
        e->blob = blob;
        e->len = len;
        e->dirty = true;
        msg->dirty = true;
        if (embedded_mid != 0 && embedded_mid != e->embedded_mid) {
            dropped = e->embedded_mid; /* an earlier, now replaced, scratch */
            e->embedded_mid = embedded_mid;
        }
    }
    pthread_mutex_unlock(&msg->lock);
    fm_message_drop_scratch(msg->store, dropped);
    return hr;
}
