/*
 * msg/attach.c - the attachments of a message in a .msg file: the storages
 * __attach_version1.0_#NNNNNNNN ([MS-OXMSG] 2.2.2), OpenAttach,
 * CreateAttach, DeleteAttach and GetAttachmentTable.
 *
 * An attachment is one IAttach at a time: opening an open one returns it
 * again (one more reference). CreateAttach makes its storage at once; if
 * the attachment is released without SaveChanges the storage goes again.
 * DeleteAttach takes effect at the message's SaveChanges. The table shows
 * what the attachments hold now: an open attachment's current properties,
 * the others' as their storages hold them.
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "msg/msg.h"
#include "table/table.h"

#define STG_RD (STGM_READ | STGM_SHARE_EXCLUSIVE)
#define STG_RW (STGM_READWRITE | STGM_SHARE_EXCLUSIVE)
#define PREFIX "__attach_version1.0_#"
#define MAX_ATTACHMENTS 0x7FFFFFFFu

static void att_name(ULONG num, WCHAR *w)
{
    char name[40];
    snprintf(name, sizeof name, PREFIX "%08lX", (unsigned long)num);
    fm_msg_wname(name, w);
}

void fm_msg_atts_clear(fm_msg_obj *m)
{
    /* No attachment is open here: an open one holds a reference on m. */
    fm_free(m->atts);
    m->atts = NULL;
    m->natts = m->capatts = 0;
}

static HRESULT push_att(fm_msg_obj *m, ULONG num, bool unsaved)
{
    if (m->natts == m->capatts) {
        size_t cap = m->capatts ? m->capatts * 2 : 8;
        fm_msg_att *a = fm_realloc(m->atts, cap * sizeof *a);
        if (a == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory (attachments)");
        m->atts = a;
        m->capatts = cap;
    }
    m->atts[m->natts++] = (fm_msg_att){ .num = num, .unsaved = unsaved };
    return S_OK;
}

static fm_msg_att *find_att(fm_msg_obj *m, ULONG num)
{
    for (size_t i = 0; i < m->natts; i++) {
        if (m->atts[i].num == num)
            return &m->atts[i];
    }
    return NULL;
}

HRESULT fm_msg_atts_read(fm_msg_obj *m)
{
    ULONG *nums = NULL;
    size_t n = 0;
    HRESULT hr = fm_msg_numbered(m->stg, PREFIX, &nums, &n);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        hr = push_att(m, nums[i], false);
        if (nums[i] >= m->next_attach)
            m->next_attach = nums[i] + 1;
    }
    fm_free(nums);
    return hr;
}

HRESULT fm_msg_atts_write(fm_msg_obj *m)
{
    HRESULT hr = S_OK;
    size_t k = 0;
    for (size_t i = 0; i < m->natts; i++) {
        fm_msg_att *a = &m->atts[i];
        if (hr == S_OK && a->deleted) {
            WCHAR w[40];
            att_name(a->num, w);
            HRESULT d = IStorage_DestroyElement(m->stg, w);
            if (d != S_OK && d != STG_E_FILENOTFOUND)
                hr = fm_msg_stg_hr(d);
            if (hr == S_OK) /* an open IAttach on it now answers from a reverted storage */
                continue;
        }
        m->atts[k++] = *a;
    }
    m->natts = k;
    return hr;
}

void fm_msg_att_saved(fm_msg_obj *m, ULONG num)
{
    fm_msg_att *a = find_att(m, num);
    if (a != NULL && !a->deleted) {
        a->unsaved = false;
        m->dirty = true;
        m->generation++;
    }
}

void fm_msg_att_closed(fm_msg_obj *m, ULONG num, bool discard)
{
    fm_msg_att *a = find_att(m, num);
    if (a == NULL)
        return;
    a->open = NULL;
    if (a->unsaved || discard) {
        /* Created and never saved: the attachment never was. */
        WCHAR w[40];
        att_name(num, w);
        if (m->tree->writable && !m->tree->closed)
            IStorage_DestroyElement(m->stg, w);
        memmove(a, a + 1, (size_t)(m->atts + m->natts - a - 1) * sizeof *a);
        m->natts--;
        m->generation++;
    }
}

static HRESULT new_attach(fm_msg_obj *m, ULONG num, IStorage *stg, fm_msg_att *a, IAttach **out)
{
    fm_msg_obj *o = NULL;
    HRESULT hr = fm_msg_obj_open(m->tree, FM_MSG_ATTACH, stg, false, m->depth, m, &o);
    if (hr != S_OK)
        return hr;
    o->num = num;
    a->open = o;
    *out = &o->iface.att;
    return S_OK;
}

static HRESULT open_attach(fm_msg_obj *m, ULONG num, IAttach **out)
{
    fm_msg_att *a = find_att(m, num);
    if (a == NULL || a->deleted)
        return fm_error_set(MAPI_E_NOT_FOUND, "OpenAttach: no attachment %lu", (unsigned long)num);
    if (a->open != NULL) {
        fm_msg_obj_addref(a->open);
        *out = &a->open->iface.att;
        return S_OK;
    }
    WCHAR w[40];
    att_name(num, w);
    IStorage *stg = NULL;
    HRESULT hr = IStorage_OpenStorage(m->stg, w, NULL, m->tree->writable ? STG_RW : STG_RD, NULL,
                                      0, &stg);
    if (hr != S_OK)
        return fm_msg_stg_hr(hr);
    hr = new_attach(m, num, stg, a, out);
    IStorage_Release(stg);
    return hr;
}

STDMETHODIMP fm_msg_OpenAttach(IMessage *This, ULONG ulAttachmentNum, LPCIID lpInterface,
                               ULONG ulFlags, LPATTACH *lppAttach)
{
    fm_msg_obj *m = (fm_msg_obj *)This;
    if (lppAttach == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *lppAttach = NULL;
    if (ulFlags & ~(ULONG)(MAPI_MODIFY | MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS))
        return fm_msg_fail(m, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "OpenAttach: unknown flags"));
    if (lpInterface != NULL && !IsEqualIID(lpInterface, &IID_IAttachment))
        return fm_msg_fail(m, fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "OpenAttach: not "
                                                                           "IID_IAttachment"));
    pthread_mutex_lock(&m->tree->lock);
    HRESULT hr = m->tree->closed ? fm_error_set(MAPI_E_OBJECT_DELETED, "OpenAttach: the "
                                                "message session was closed")
                 : (ulFlags & MAPI_MODIFY) && !m->tree->writable
                     ? fm_error_set(MAPI_E_NO_ACCESS, "OpenAttach: the storage is read-only")
                     : open_attach(m, ulAttachmentNum, lppAttach);
    if (FAILED(hr))
        fm_msg_fail(m, hr);
    pthread_mutex_unlock(&m->tree->lock);
    return hr;
}

static HRESULT create_attach(fm_msg_obj *m, ULONG *num, IAttach **out)
{
    if (m->next_attach >= MAX_ATTACHMENTS)
        return fm_error_set(MAPI_E_TOO_BIG, "CreateAttach: no attachment number is left");
    ULONG n = m->next_attach;
    WCHAR w[40];
    att_name(n, w);
    IStorage *stg = NULL;
    HRESULT hr = fm_msg_stg_hr(IStorage_CreateStorage(m->stg, w, STG_RW | STGM_CREATE, 0, 0, &stg));
    if (hr == S_OK)
        hr = push_att(m, n, true);
    if (hr == S_OK) {
        hr = new_attach(m, n, stg, &m->atts[m->natts - 1], out);
        if (hr != S_OK)
            m->natts--;
    }
    if (stg != NULL)
        IStorage_Release(stg);
    if (hr != S_OK) {
        IStorage_DestroyElement(m->stg, w);
        return hr;
    }
    m->next_attach = n + 1;
    m->generation++;
    *num = n;
    return S_OK;
}

STDMETHODIMP fm_msg_CreateAttach(IMessage *This, LPCIID lpInterface, ULONG ulFlags,
                                 ULONG *lpulAttachmentNum, LPATTACH *lppAttach)
{
    fm_msg_obj *m = (fm_msg_obj *)This;
    if (lppAttach == NULL || lpulAttachmentNum == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *lppAttach = NULL;
    if (ulFlags & ~(ULONG)MAPI_DEFERRED_ERRORS)
        return fm_msg_fail(m, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CreateAttach: unknown flags"));
    if (lpInterface != NULL && !IsEqualIID(lpInterface, &IID_IAttachment))
        return fm_msg_fail(m, fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "CreateAttach: not "
                                                                           "IID_IAttachment"));
    pthread_mutex_lock(&m->tree->lock);
    HRESULT hr = m->tree->closed ? fm_error_set(MAPI_E_OBJECT_DELETED, "CreateAttach: the "
                                                "message session was closed")
                 : !m->tree->writable ? fm_error_set(MAPI_E_NO_ACCESS, "CreateAttach: the "
                                                     "message's storage is read-only")
                                      : create_attach(m, lpulAttachmentNum, lppAttach);
    if (FAILED(hr))
        fm_msg_fail(m, hr);
    pthread_mutex_unlock(&m->tree->lock);
    return hr;
}

STDMETHODIMP fm_msg_DeleteAttach(IMessage *This, ULONG ulAttachmentNum, ULONG_PTR ulUIParam,
                                 LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    fm_msg_obj *m = (fm_msg_obj *)This;
    if (ulFlags & ~(ULONG)ATTACH_DIALOG)
        return fm_msg_fail(m, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "DeleteAttach: unknown flags"));
    pthread_mutex_lock(&m->tree->lock);
    fm_msg_att *a = find_att(m, ulAttachmentNum);
    HRESULT hr = m->tree->closed ? fm_error_set(MAPI_E_OBJECT_DELETED, "DeleteAttach: the "
                                                "message session was closed")
                 : !m->tree->writable ? fm_error_set(MAPI_E_NO_ACCESS, "DeleteAttach: the "
                                                     "message's storage is read-only")
                 : a == NULL || a->deleted
                     ? fm_error_set(MAPI_E_NOT_FOUND, "DeleteAttach: no attachment %lu",
                                    (unsigned long)ulAttachmentNum)
                     : S_OK;
    if (hr == S_OK) {
        a->deleted = true;
        m->dirty = true;
        m->generation++;
    }
    if (FAILED(hr))
        fm_msg_fail(m, hr);
    pthread_mutex_unlock(&m->tree->lock);
    return hr;
}

/* ---- GetAttachmentTable ------------------------------------------------------------------ */

static const ULONG ATTACH_COLUMNS[] = {
    PR_ATTACH_NUM, PR_INSTANCE_KEY, PR_RECORD_KEY, PR_RENDERING_POSITION, PR_ATTACH_METHOD,
    PR_DISPLAY_NAME_W, PR_ATTACH_LONG_FILENAME_W, PR_ATTACH_FILENAME_W, PR_ATTACH_SIZE,
};

static HRESULT att_row(fm_msg_obj *m, const fm_msg_att *a, SRow *row)
{
    ULONG n = 0;
    LPSPropValue props = NULL;
    HRESULT hr;
    if (a->open != NULL) {
        hr = a->open->iface.att.lpVtbl->GetProps(&a->open->iface.att, NULL, MAPI_UNICODE, &n,
                                                 &props);
        if (SUCCEEDED(hr))
            hr = S_OK;
    } else {
        WCHAR w[40];
        att_name(a->num, w);
        IStorage *stg = NULL;
        hr = fm_msg_stg_hr(IStorage_OpenStorage(m->stg, w, NULL, STG_RD, NULL, 0, &stg));
        if (hr == S_OK)
            hr = fm_msg_props_row(m->tree, stg, &n, &props);
        if (stg != NULL)
            IStorage_Release(stg);
    }
    SPropValue extra[2] = {
        { .ulPropTag = PR_ATTACH_NUM, .Value.l = (LONG)a->num },
        { .ulPropTag = PR_INSTANCE_KEY, .Value.bin = { sizeof a->num, (LPBYTE)&a->num } },
    };
    if (hr == S_OK)
        hr = fm_row_from_props(row, n, props, 2, extra);
    m->tree->free_buffer(props);
    return hr;
}

static HRESULT atts_load(void *context, LPSRowSet *rows)
{
    fm_msg_obj *m = context;
    pthread_mutex_lock(&m->tree->lock);
    HRESULT hr = fm_rowset_new(m->natts, rows);
    for (size_t i = 0; hr == S_OK && i < m->natts; i++) {
        const fm_msg_att *a = &m->atts[i];
        if (a->deleted || a->unsaved)
            continue;
        hr = att_row(m, a, &(*rows)->aRow[(*rows)->cRows]);
        if (hr == S_OK)
            (*rows)->cRows++;
    }
    pthread_mutex_unlock(&m->tree->lock);
    return fm_rowset_finish(hr, rows);
}

static HRESULT atts_generation(void *context, uint64_t *out)
{
    fm_msg_obj *m = context;
    pthread_mutex_lock(&m->tree->lock);
    *out = m->generation;
    pthread_mutex_unlock(&m->tree->lock);
    return S_OK;
}

static void table_release(void *context)
{
    fm_msg_obj_unref(context);
}

STDMETHODIMP fm_msg_GetAttachmentTable(IMessage *This, ULONG ulFlags, LPMAPITABLE *lppTable)
{
    fm_msg_obj *m = (fm_msg_obj *)This;
    if (lppTable == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *lppTable = NULL;
    if (ulFlags & ~(ULONG)(MAPI_UNICODE | MAPI_DEFERRED_ERRORS))
        return fm_msg_fail(m, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetAttachmentTable: unknown "
                                                                 "flags"));
    if (m->tree->closed)
        return fm_msg_fail(m, fm_error_set(MAPI_E_OBJECT_DELETED, "GetAttachmentTable: the "
                                           "message session was closed"));
    fm_memory_source_def def = {
        .name = "attachment table",
        .context = m,
        .load = atts_load,
        .generation = atts_generation,
        .release = table_release,
        .default_columns = ATTACH_COLUMNS,
        .ndefault = sizeof ATTACH_COLUMNS / sizeof ATTACH_COLUMNS[0],
        .id_tag = PR_ATTACH_NUM,
    };
    fm_msg_obj_addref(m);
    HRESULT hr = fm_memory_table_open(&def, ulFlags & MAPI_UNICODE, lppTable);
    return FAILED(hr) ? fm_msg_fail(m, hr) : hr;
}
