/*
 * msg/recipients.c - the recipients of a message in a .msg file: the
 * storages __recip_version1.0_#NNNNNNNN ([MS-OXMSG] 2.2.1), read as rows
 * when the message opens, changed by ModifyRecipients, written back at the
 * message's SaveChanges (renumbered from 0), and shown by
 * GetRecipientTable as the caller currently sees them.
 *
 * A row's identity is PR_ROWID: the value the file stored, else the
 * storage's number; new rows take the next free one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapitags.h"
#include "msg/msg.h"
#include "table/table.h"

#define STG_RD (STGM_READ | STGM_SHARE_EXCLUSIVE)
#define STG_RW (STGM_READWRITE | STGM_SHARE_EXCLUSIVE)
#define PREFIX "__recip_version1.0_#"
#define MAX_RECIPS (1u << 20)

void fm_msg_recips_clear(fm_msg_obj *m)
{
    for (size_t i = 0; i < m->nrecips; i++)
        m->tree->free_buffer(m->recips[i].props);
    fm_free(m->recips);
    m->recips = NULL;
    m->nrecips = m->caprecips = 0;
}

/* The number in a storage name with prefix, or -1. */
static long numbered(const WCHAR *w, const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < n; i++) {
        if (w[i] != (WCHAR)prefix[i])
            return -1;
    }
    unsigned long v = 0;
    size_t k = 0;
    for (; k < 8 && w[n + k] != 0; k++) {
        WCHAR c = w[n + k];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                                      : -1;
        if (d < 0)
            return -1;
        v = (v << 4) | (unsigned long)d;
    }
    return k == 8 && w[n + 8] == 0 ? (long)v : -1;
}

HRESULT fm_msg_numbered(IStorage *stg, const char *prefix, ULONG **out, size_t *n)
{
    IEnumSTATSTG *en = NULL;
    ULONG *v = NULL;
    size_t cnt = 0, cap = 0;
    HRESULT hr = IStorage_EnumElements(stg, 0, NULL, 0, &en);
    while (hr == S_OK) {
        STATSTG st;
        ULONG got = 0;
        HRESULT r = IEnumSTATSTG_Next(en, 1, &st, &got);
        if (FAILED(r))
            hr = r;
        if (hr != S_OK || got == 0)
            break;
        long num = st.type == STGTY_STORAGE ? numbered(st.pwcsName, prefix) : -1;
        CoTaskMemFree(st.pwcsName);
        if (num < 0)
            continue;
        if (cnt == cap) {
            size_t c = cap ? cap * 2 : 16;
            ULONG *p = c <= MAX_RECIPS ? fm_realloc(v, c * sizeof *p) : NULL;
            if (p == NULL) {
                hr = fm_error_set(c > MAX_RECIPS ? MAPI_E_TOO_BIG : MAPI_E_NOT_ENOUGH_MEMORY,
                                  ".msg: too many or no memory for %s storages", prefix);
                break;
            }
            v = p;
            cap = c;
        }
        v[cnt++] = (ULONG)num;
    }
    if (en != NULL)
        IEnumSTATSTG_Release(en);
    if (hr != S_OK) {
        fm_free(v);
        return fm_msg_stg_hr(hr);
    }
    for (size_t i = 1; i < cnt; i++) { /* insertion sort: names come sorted by length first */
        ULONG x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    *out = v;
    *n = cnt;
    return S_OK;
}

static HRESULT push_row(fm_msg_obj *m, ULONG row_id, ULONG n, LPSPropValue props)
{
    if (m->nrecips == m->caprecips) {
        size_t cap = m->caprecips ? m->caprecips * 2 : 8;
        fm_msg_row *r = fm_realloc(m->recips, cap * sizeof *r);
        if (r == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory (recipients)");
        m->recips = r;
        m->caprecips = cap;
    }
    m->recips[m->nrecips++] = (fm_msg_row){ row_id, n, props };
    if (row_id >= m->next_rowid)
        m->next_rowid = row_id + 1;
    return S_OK;
}

HRESULT fm_msg_recips_read(fm_msg_obj *m)
{
    ULONG *nums = NULL;
    size_t n = 0;
    HRESULT hr = fm_msg_numbered(m->stg, PREFIX, &nums, &n);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        char name[40];
        WCHAR w[40];
        snprintf(name, sizeof name, PREFIX "%08lX", (unsigned long)nums[i]);
        fm_msg_wname(name, w);
        IStorage *sub = NULL;
        ULONG c = 0;
        LPSPropValue props = NULL;
        hr = fm_msg_stg_hr(IStorage_OpenStorage(m->stg, w, NULL, STG_RD, NULL, 0, &sub));
        if (hr == S_OK)
            hr = fm_msg_props_row(m->tree, sub, &c, &props);
        if (sub != NULL)
            IStorage_Release(sub);
        ULONG row_id = nums[i];
        for (ULONG k = 0; hr == S_OK && k < c; k++) {
            if (props[k].ulPropTag == PR_ROWID)
                row_id = (ULONG)props[k].Value.l;
        }
        if (hr == S_OK && (hr = push_row(m, row_id, c, props)) != S_OK)
            m->tree->free_buffer(props);
        if (nums[i] >= m->next_recip)
            m->next_recip = nums[i] + 1;
    }
    fm_free(nums);
    return hr;
}

static HRESULT destroy_numbered(IStorage *stg, const char *prefix)
{
    ULONG *nums = NULL;
    size_t n = 0;
    HRESULT hr = fm_msg_numbered(stg, prefix, &nums, &n);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        char name[40];
        WCHAR w[40];
        snprintf(name, sizeof name, "%s%08lX", prefix, (unsigned long)nums[i]);
        fm_msg_wname(name, w);
        hr = fm_msg_stg_hr(IStorage_DestroyElement(stg, w));
    }
    fm_free(nums);
    return hr;
}

static HRESULT write_row(fm_msg_obj *m, const fm_msg_row *r, ULONG num)
{
    char name[40];
    WCHAR w[40];
    snprintf(name, sizeof name, PREFIX "%08lX", (unsigned long)num);
    fm_msg_wname(name, w);
    fm_msg_obj o;
    memset(&o, 0, sizeof o);
    o.tree = m->tree;
    o.kind = FM_MSG_RECIP;
    HRESULT hr = fm_msg_stg_hr(IStorage_CreateStorage(m->stg, w, STG_RW | STGM_CREATE, 0, 0, &o.stg));
    if (hr == S_OK)
        hr = CreateIProp(&IID_IMAPIPropData, m->tree->alloc, m->tree->more, m->tree->free_buffer,
                         NULL, &o.bag);
    if (hr == S_OK)
        hr = IPropData_SetProps(o.bag, r->n, r->props, NULL);
    SPropValue rowid = { .ulPropTag = PR_ROWID, .Value.l = (LONG)r->row_id };
    if (hr == S_OK)
        hr = IPropData_SetProps(o.bag, 1, &rowid, NULL);
    if (hr == S_OK)
        hr = fm_msg_props_write(&o);
    if (o.bag != NULL)
        IPropData_Release(o.bag);
    if (o.stg != NULL)
        IStorage_Release(o.stg);
    fm_free(o.attrs);
    return hr;
}

HRESULT fm_msg_recips_write(fm_msg_obj *m)
{
    if (!m->recips_dirty)
        return S_OK;
    HRESULT hr = destroy_numbered(m->stg, PREFIX);
    for (size_t i = 0; hr == S_OK && i < m->nrecips; i++)
        hr = write_row(m, &m->recips[i], (ULONG)i);
    if (hr == S_OK) {
        m->next_recip = (ULONG)m->nrecips;
        m->recips_dirty = false;
    }
    return hr;
}

/* ---- ModifyRecipients ------------------------------------------------------------------ */

/* A copy of an entry's values without PR_ROWID, PT_ERROR and PT_NULL, as one
 * buffer of the tree's allocator. */
static HRESULT copy_entry(fm_msg_obj *m, const ADRENTRY *e, ULONG *n, LPSPropValue *out)
{
    ULONG keep = 0;
    for (ULONG i = 0; i < e->cValues; i++) {
        ULONG t = e->rgPropVals[i].ulPropTag;
        keep += PROP_ID(t) != PROP_ID(PR_ROWID) && PROP_TYPE(t) != PT_ERROR &&
                PROP_TYPE(t) != PT_NULL;
    }
    LPSPropValue v = NULL;
    HRESULT hr = m->tree->alloc((ULONG)((keep ? keep : 1) * sizeof *v), (void **)&v);
    ULONG k = 0;
    for (ULONG i = 0; hr == S_OK && i < e->cValues; i++) {
        ULONG t = e->rgPropVals[i].ulPropTag;
        if (PROP_ID(t) == PROP_ID(PR_ROWID) || PROP_TYPE(t) == PT_ERROR || PROP_TYPE(t) == PT_NULL)
            continue;
        hr = PropCopyMore(&v[k++], &e->rgPropVals[i], m->tree->more, v);
    }
    if (hr != S_OK) {
        m->tree->free_buffer(v);
        return hr == MAPI_E_NOT_ENOUGH_MEMORY ? fm_error_set(hr, "ModifyRecipients: out of memory")
                                              : hr;
    }
    *n = k;
    *out = v;
    return S_OK;
}

static long find_row(const fm_msg_obj *m, const ADRENTRY *e)
{
    for (ULONG i = 0; i < e->cValues; i++) {
        if (e->rgPropVals[i].ulPropTag != PR_ROWID)
            continue;
        for (size_t k = 0; k < m->nrecips; k++) {
            if (m->recips[k].row_id == (ULONG)e->rgPropVals[i].Value.l)
                return (long)k;
        }
        return -1;
    }
    return -1;
}

static HRESULT modify(fm_msg_obj *m, ULONG flags, const ADRLIST *mods)
{
    /* Check first, so that a bad list changes nothing. */
    for (ULONG i = 0; (flags & (MODRECIP_MODIFY | MODRECIP_REMOVE)) && i < mods->cEntries; i++) {
        if (find_row(m, &mods->aEntries[i]) < 0)
            return fm_error_set(MAPI_E_NOT_FOUND, "ModifyRecipients: entry %lu names no "
                                "recipient by PR_ROWID", (unsigned long)i);
    }
    if (flags == 0)
        fm_msg_recips_clear(m);
    HRESULT hr = S_OK;
    for (ULONG i = 0; hr == S_OK && i < mods->cEntries; i++) {
        const ADRENTRY *e = &mods->aEntries[i];
        if (flags & MODRECIP_REMOVE) {
            long k = find_row(m, e);
            m->tree->free_buffer(m->recips[k].props);
            memmove(&m->recips[k], &m->recips[k + 1], (m->nrecips - (size_t)k - 1) * sizeof *m->recips);
            m->nrecips--;
            continue;
        }
        ULONG n = 0;
        LPSPropValue v = NULL;
        hr = copy_entry(m, e, &n, &v);
        if (hr == S_OK && (flags & MODRECIP_MODIFY)) {
            long k = find_row(m, e);
            m->tree->free_buffer(m->recips[k].props);
            m->recips[k].props = v;
            m->recips[k].n = n;
        } else if (hr == S_OK && (hr = push_row(m, m->next_rowid, n, v)) != S_OK) {
            m->tree->free_buffer(v);
        }
    }
    m->recips_dirty = true;
    m->dirty = true;
    m->generation++;
    return hr;
}

STDMETHODIMP fm_msg_ModifyRecipients(IMessage *This, ULONG ulFlags, LPADRLIST lpMods)
{
    fm_msg_obj *m = (fm_msg_obj *)This;
    ULONG kind = ulFlags & (MODRECIP_ADD | MODRECIP_MODIFY | MODRECIP_REMOVE);
    if (ulFlags & ~(ULONG)(MODRECIP_ADD | MODRECIP_MODIFY | MODRECIP_REMOVE))
        return fm_msg_fail(m, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ModifyRecipients: unknown "
                                                                 "flags"));
    if (kind != 0 && kind != MODRECIP_ADD && kind != MODRECIP_MODIFY && kind != MODRECIP_REMOVE)
        return fm_msg_fail(m, fm_error_set(MAPI_E_INVALID_PARAMETER, "ModifyRecipients: one of "
                                           "MODRECIP_ADD, _MODIFY, _REMOVE at a time"));
    if (lpMods == NULL)
        return fm_msg_fail(m, fm_error_set(MAPI_E_INVALID_PARAMETER, "ModifyRecipients: "
                                                                     "lpMods is NULL"));
    pthread_mutex_lock(&m->tree->lock);
    HRESULT hr = m->tree->closed ? fm_error_set(MAPI_E_OBJECT_DELETED, "ModifyRecipients: the "
                                                "message session was closed")
                 : !m->tree->writable ? fm_error_set(MAPI_E_NO_ACCESS, "ModifyRecipients: the "
                                                     "message's storage is read-only")
                                      : modify(m, kind, lpMods);
    if (FAILED(hr))
        fm_msg_fail(m, hr);
    pthread_mutex_unlock(&m->tree->lock);
    return hr;
}

/* ---- GetRecipientTable ------------------------------------------------------------------ */

static const ULONG RECIP_COLUMNS[] = {
    PR_ROWID, PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W, PR_ADDRTYPE_W, PR_RECIPIENT_TYPE, PR_ENTRYID,
};

static HRESULT recips_load(void *context, LPSRowSet *rows)
{
    fm_msg_obj *m = context;
    pthread_mutex_lock(&m->tree->lock);
    HRESULT hr = fm_rowset_new(m->nrecips, rows);
    for (size_t i = 0; hr == S_OK && i < m->nrecips; i++) {
        SPropValue id = { .ulPropTag = PR_ROWID, .Value.l = (LONG)m->recips[i].row_id };
        hr = fm_row_from_props(&(*rows)->aRow[i], m->recips[i].n, m->recips[i].props, 1, &id);
        if (hr == S_OK)
            (*rows)->cRows++;
    }
    pthread_mutex_unlock(&m->tree->lock);
    return fm_rowset_finish(hr, rows);
}

static HRESULT recips_generation(void *context, uint64_t *out)
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

STDMETHODIMP fm_msg_GetRecipientTable(IMessage *This, ULONG ulFlags, LPMAPITABLE *lppTable)
{
    fm_msg_obj *m = (fm_msg_obj *)This;
    if (lppTable == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *lppTable = NULL;
    if (ulFlags & ~(ULONG)(MAPI_UNICODE | MAPI_DEFERRED_ERRORS))
        return fm_msg_fail(m, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetRecipientTable: unknown "
                                                                 "flags"));
    if (m->tree->closed)
        return fm_msg_fail(m, fm_error_set(MAPI_E_OBJECT_DELETED, "GetRecipientTable: the "
                                           "message session was closed"));
    fm_memory_source_def def = {
        .name = "recipient table",
        .context = m,
        .load = recips_load,
        .generation = recips_generation,
        .release = table_release,
        .default_columns = RECIP_COLUMNS,
        .ndefault = sizeof RECIP_COLUMNS / sizeof RECIP_COLUMNS[0],
        .id_tag = PR_ROWID,
    };
    fm_msg_obj_addref(m);
    HRESULT hr = fm_memory_table_open(&def, ulFlags & MAPI_UNICODE, lppTable);
    return FAILED(hr) ? fm_msg_fail(m, hr) : hr;
}
