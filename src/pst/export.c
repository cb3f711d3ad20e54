/*
 * pst/export.c - fmapi_pst_export: a message store's folders into a new
 * Unicode PST, through the store's public interfaces only.
 *
 * Folders are walked depth first through hierarchy tables, messages
 * through contents tables (with the caller's restriction) in pages of 200
 * entry IDs, each message opened, written and released before the next:
 * memory holds one message's small values (values the store will not hand
 * out whole, over its GetProps limit, are copied stream to stream in 64 KiB
 * pieces) and the writer's fixed buffers, whatever the mailbox's size.
 * Named properties are mapped by name (GetNamesFromIDs) into the PST's
 * name map. Values that only mean something inside the source store
 * (entry IDs, record and source keys, access rights) are not written.
 */
#include <stdlib.h>

#include "pst/msg_write.h"

#define FM_PST_EXPORT_DEPTH 64
#define PAGE_ROWS 200

typedef struct exporter {
    LPMDB mdb;
    fm_pst_out *out;
    const fmapi_pst_export_options *opt;
    fmapi_pst_stats *st;
    ULONG *names; /* source ID - 0x8000 -> PST ID (0: unknown, 1: unmappable) */
    SBinary trash;
    uint64_t total, done;
    uint8_t *buf;
} exporter;

static bool store_specific(ULONG tag)
{
    /* the special folders' entry IDs (PR_IPM_APPOINTMENT_ENTRYID ...):
     * the source store's folders, which mean nothing in the PST */
    if (PROP_ID(tag) >= 0x36D0 && PROP_ID(tag) <= 0x36D7)
        return true;
    switch (PROP_ID(tag)) {
    case PROP_ID(PR_ENTRYID):
    case PROP_ID(PR_RECORD_KEY):
    case PROP_ID(PR_SOURCE_KEY):
    case PROP_ID(PR_PARENT_ENTRYID):
    case PROP_ID(PR_PARENT_SOURCE_KEY):
    case PROP_ID(PR_STORE_ENTRYID):
    case PROP_ID(PR_STORE_RECORD_KEY):
    case PROP_ID(PR_STORE_SUPPORT_MASK):
    case PROP_ID(PR_OBJECT_TYPE):
    case PROP_ID(PR_ACCESS):
    case PROP_ID(PR_ACCESS_LEVEL):
    case PROP_ID(PR_INSTANCE_KEY):
    case PROP_ID(PR_MAPPING_SIGNATURE):
    case PROP_ID(PR_HASATTACH):
    case PROP_ID(PR_ATTACH_NUM):
    case PROP_ID(PR_ROWID):
    case PROP_ID(PR_MESSAGE_RECIPIENTS):
    case PROP_ID(PR_MESSAGE_ATTACHMENTS):
    case PROP_ID(PR_CONTAINER_CONTENTS):
    case PROP_ID(PR_FOLDER_ASSOCIATED_CONTENTS):
    case PROP_ID(PR_CONTAINER_HIERARCHY):
        return true;
    default:
        return false;
    }
}

/* The PST tag of a source tag: named IDs through the name map; 0 when the
 * name cannot be had. */
static HRESULT map_tag(exporter *x, LPMAPIPROP obj, ULONG tag, ULONG *out)
{
    ULONG id = PROP_ID(tag);
    *out = tag;
    if (id < 0x8000)
        return S_OK;
    ULONG *slot = &x->names[id - 0x8000];
    if (*slot == 0) {
        SPropTagArray one = { 1, { PROP_TAG(PT_NULL, id) } };
        LPSPropTagArray tags = &one;
        ULONG n = 0;
        LPMAPINAMEID *names = NULL;
        HRESULT hr = IMAPIProp_GetNamesFromIDs(obj, &tags, NULL, 0, &n, &names);
        ULONG pst = 0;
        if ((hr == S_OK || hr == MAPI_W_ERRORS_RETURNED) && n == 1 && names[0] != NULL) {
            hr = fm_pst_out_name_id(x->out, names[0], &pst);
            if (hr != S_OK) {
                MAPIFreeBuffer(names);
                return hr;
            }
        }
        if (names != NULL)
            MAPIFreeBuffer(names);
        *slot = pst ? pst : 1;
    }
    *out = *slot == 1 ? 0 : PROP_TAG(PROP_TYPE(tag), *slot);
    return S_OK;
}

/* A value the store would not give whole: copied from its stream. */
static HRESULT copy_stream(exporter *x, LPMAPIPROP obj, ULONG tag, fm_pst_pc_stream *s)
{
    LPSTREAM in = NULL;
    HRESULT hr = IMAPIProp_OpenProperty(obj, tag, &IID_IStream, STGM_READ, 0, (LPUNKNOWN *)&in);
    if (hr != S_OK)
        return fm_pst_fail_mapi(hr, "PST export: opening a stream");
    for (;;) {
        ULONG got = 0;
        hr = IStream_Read(in, x->buf, 65536, &got);
        if (hr != S_OK) {
            hr = fm_pst_fail_mapi(hr, "PST export: reading a stream");
            break;
        }
        if (got == 0)
            break;
        hr = fm_pst_pc_stream_write(s, x->buf, got);
        if (hr != S_OK)
            break;
    }
    IStream_Release(in);
    if (hr == S_OK)
        hr = fm_pst_pc_stream_end(s);
    return hr;
}

typedef HRESULT (*stream_begin_fn)(void *target, ULONG tag, fm_pst_pc_stream *s);
typedef HRESULT (*props_fn)(void *target, const SPropValue *props, ULONG n);

static HRESULT msg_stream_begin(void *t, ULONG tag, fm_pst_pc_stream *s)
{
    return fm_pst_msg_stream_begin(t, tag, s);
}
static HRESULT att_stream_begin(void *t, ULONG tag, fm_pst_pc_stream *s)
{
    return fm_pst_att_stream_begin(t, tag, s);
}
static HRESULT msg_props(void *t, const SPropValue *p, ULONG n)
{
    return fm_pst_msg_props(t, p, n);
}
static HRESULT att_props(void *t, const SPropValue *p, ULONG n)
{
    return fm_pst_att_props(t, p, n);
}

/* Every property of obj into target. */
static HRESULT copy_props(exporter *x, LPMAPIPROP obj, void *target, props_fn set,
                          stream_begin_fn stream)
{
    LPSPropTagArray tags = NULL;
    LPSPropValue v = NULL;
    ULONG n = 0;
    HRESULT hr = IMAPIProp_GetPropList(obj, MAPI_UNICODE, &tags);
    if (hr == S_OK) {
        hr = IMAPIProp_GetProps(obj, tags, MAPI_UNICODE, &n, &v);
        if (hr == MAPI_W_ERRORS_RETURNED)
            hr = S_OK;
    }
    if (hr != S_OK)
        hr = fm_pst_fail_mapi(hr, "PST export: reading properties");
    ULONG k = 0;
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        ULONG tag = PROP_TYPE(v[i].ulPropTag) == PT_ERROR ? tags->aulPropTag[i] : v[i].ulPropTag;
        ULONG t = PROP_TYPE(tag);
        if (store_specific(tag) || t == PT_OBJECT || !fm_pst_type_supported(t))
            continue;
        ULONG pst;
        hr = map_tag(x, obj, tag, &pst);
        if (hr != S_OK || pst == 0)
            continue;
        if (PROP_TYPE(v[i].ulPropTag) == PT_ERROR) {
            if (v[i].Value.err != MAPI_E_NOT_ENOUGH_MEMORY)
                continue;
            fm_pst_pc_stream s;
            hr = stream(target, pst, &s);
            if (hr == S_OK)
                hr = copy_stream(x, obj, tag, &s);
            fm_pst_pc_stream_clear(&s);
            continue;
        }
        v[k] = v[i];
        v[k++].ulPropTag = pst;
    }
    if (hr == S_OK && k > 0)
        hr = set(target, v, k);
    if (v != NULL)
        MAPIFreeBuffer(v);
    if (tags != NULL)
        MAPIFreeBuffer(tags);
    return hr;
}

static HRESULT query_all(LPMAPITABLE t, LPSRowSet *rows)
{
    HRESULT hr = IMAPITable_QueryRows(t, 0x7FFFFFFF, 0, rows);
    return hr == S_OK ? S_OK : fm_pst_fail_mapi(hr, "PST export: reading a table");
}

static HRESULT copy_recipients(exporter *x, LPMESSAGE msg, fm_pst_msg *m)
{
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    HRESULT hr = IMessage_GetRecipientTable(msg, MAPI_UNICODE, &t);
    if (hr != S_OK)
        return fm_pst_fail_mapi(hr, "PST export: opening the recipients");
    hr = query_all(t, &rows);
    for (ULONG r = 0; hr == S_OK && r < rows->cRows; r++) {
        SRow *row = &rows->aRow[r];
        ULONG k = 0;
        for (ULONG i = 0; hr == S_OK && i < row->cValues; i++) {
            ULONG tag = row->lpProps[i].ulPropTag, pst;
            if (PROP_TYPE(tag) == PT_ERROR || tag == PR_ROWID || tag == PR_INSTANCE_KEY)
                continue;
            hr = map_tag(x, (LPMAPIPROP)msg, tag, &pst);
            if (hr == S_OK && pst != 0) {
                row->lpProps[k] = row->lpProps[i];
                row->lpProps[k++].ulPropTag = pst;
            }
        }
        row->cValues = k;
    }
    if (hr == S_OK)
        hr = fm_pst_msg_recipients(m, rows);
    if (rows != NULL)
        FreeProws(rows);
    IMAPITable_Release(t);
    return hr;
}

static HRESULT copy_message(exporter *x, LPMESSAGE msg, fm_pst_msg *m, unsigned depth);

static HRESULT copy_attachment(exporter *x, LPMESSAGE msg, ULONG num, fm_pst_msg *m,
                               unsigned depth)
{
    LPATTACH att = NULL;
    fm_pst_att *a = NULL;
    HRESULT hr = IMessage_OpenAttach(msg, num, NULL, 0, &att);
    if (hr != S_OK)
        return fm_pst_fail_mapi(hr, "PST export: opening an attachment");
    hr = fm_pst_att_begin(m, &a);
    if (hr == S_OK)
        hr = copy_props(x, (LPMAPIPROP)att, a, att_props, att_stream_begin);
    LPSPropValue method = NULL;
    if (hr == S_OK) {
        hr = HrGetOneProp((LPMAPIPROP)att, PR_ATTACH_METHOD, &method);
        if (hr == S_OK && method->Value.l == ATTACH_EMBEDDED_MSG) {
            LPMESSAGE emb = NULL;
            fm_pst_msg *e = NULL;
            hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                      (LPUNKNOWN *)&emb);
            if (hr != S_OK)
                hr = fm_pst_fail_mapi(hr, "PST export: opening an embedded message");
            if (hr == S_OK)
                hr = fm_pst_att_embedded(a, &e);
            if (hr == S_OK)
                hr = copy_message(x, emb, e, depth + 1);
            if (hr == S_OK)
                hr = fm_pst_msg_end(e);
            else
                fm_pst_msg_abort(e);
            if (emb != NULL)
                IMessage_Release(emb);
        } else if (hr == MAPI_E_NOT_FOUND) {
            hr = S_OK;
        }
    }
    if (method != NULL)
        MAPIFreeBuffer(method);
    if (a != NULL && hr == S_OK)
        hr = fm_pst_att_end(a);
    else
        fm_pst_att_abort(a);
    if (hr == S_OK)
        x->st->attachments++;
    IAttach_Release(att);
    return hr;
}

static HRESULT copy_attachments(exporter *x, LPMESSAGE msg, fm_pst_msg *m, unsigned depth)
{
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    HRESULT hr = IMessage_GetAttachmentTable(msg, 0, &t);
    if (hr != S_OK)
        return fm_pst_fail_mapi(hr, "PST export: opening the attachments");
    SizedSPropTagArray(1, cols) = { 1, { PR_ATTACH_NUM } };
    hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr == S_OK)
        hr = query_all(t, &rows);
    for (ULONG r = 0; hr == S_OK && r < rows->cRows; r++)
        if (rows->aRow[r].lpProps[0].ulPropTag == PR_ATTACH_NUM)
            hr = copy_attachment(x, msg, rows->aRow[r].lpProps[0].Value.ul, m, depth);
    if (rows != NULL)
        FreeProws(rows);
    IMAPITable_Release(t);
    return hr;
}

static HRESULT copy_message(exporter *x, LPMESSAGE msg, fm_pst_msg *m, unsigned depth)
{
    if (depth > FM_PST_EXPORT_DEPTH)
        return fm_pst_fail(MAPI_E_TOO_COMPLEX, "PST export: embedded messages over %u deep",
                           FM_PST_EXPORT_DEPTH);
    HRESULT hr = copy_props(x, (LPMAPIPROP)msg, m, msg_props, msg_stream_begin);
    if (hr == S_OK)
        hr = copy_recipients(x, msg, m);
    if (hr == S_OK)
        hr = copy_attachments(x, msg, m, depth);
    return hr;
}

static HRESULT progress(exporter *x)
{
    x->done++;
    if (x->opt != NULL && x->opt->progress != NULL &&
        x->opt->progress(x->opt->progress_ctx, x->done, x->total) != S_OK)
        return fm_pst_fail(MAPI_E_USER_CANCEL, "PST export: cancelled");
    return S_OK;
}

static HRESULT export_one(exporter *x, LPMAPIFOLDER folder, const SBinary *eid, uint32_t nid,
                          bool assoc)
{
    LPMESSAGE msg = NULL;
    ULONG type;
    fm_pst_msg *m = NULL;
    HRESULT hr = IMAPIFolder_OpenEntry(folder, eid->cb, (LPENTRYID)eid->lpb, NULL, 0, &type,
                                       (LPUNKNOWN *)&msg);
    if (hr == MAPI_E_NOT_FOUND || hr == MAPI_E_OBJECT_DELETED)
        return S_OK; /* deleted since the table was read */
    if (hr != S_OK)
        return fm_pst_fail_mapi(hr, "PST export: opening a message");
    hr = fm_pst_msg_begin(x->out, nid, assoc, &m);
    if (hr == S_OK)
        hr = copy_message(x, msg, m, 0);
    if (hr == S_OK)
        hr = fm_pst_msg_end(m);
    else
        fm_pst_msg_abort(m);
    IMessage_Release(msg);
    if (hr == S_OK)
        x->st->messages++;
    return hr == S_OK ? progress(x) : hr;
}

static HRESULT export_contents(exporter *x, LPMAPIFOLDER folder, uint32_t nid, bool assoc)
{
    LPMAPITABLE t = NULL;
    HRESULT hr = IMAPIFolder_GetContentsTable(folder, assoc ? MAPI_ASSOCIATED : 0, &t);
    if (hr != S_OK)
        return fm_pst_fail_mapi(hr, "PST export: opening a contents table");
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr == S_OK && x->opt && x->opt->lpRestriction)
        hr = IMAPITable_Restrict(t, x->opt->lpRestriction, 0);
    if (hr != S_OK)
        hr = fm_pst_fail_mapi(hr, "PST export: preparing a contents table");
    while (hr == S_OK) {
        LPSRowSet rows = NULL;
        hr = IMAPITable_QueryRows(t, PAGE_ROWS, 0, &rows);
        if (hr != S_OK) {
            hr = fm_pst_fail_mapi(hr, "PST export: reading a contents table");
            break;
        }
        ULONG n = rows->cRows;
        for (ULONG r = 0; hr == S_OK && r < n; r++)
            if (rows->aRow[r].lpProps[0].ulPropTag == PR_ENTRYID)
                hr = export_one(x, folder, &rows->aRow[r].lpProps[0].Value.bin, nid, assoc);
        FreeProws(rows);
        if (n == 0)
            break;
    }
    IMAPITable_Release(t);
    return hr;
}

static HRESULT folder_props(exporter *x, LPMAPIFOLDER folder, LPSPropValue *out, ULONG *n,
                            bool *trash)
{
    LPSPropValue v = NULL;
    ULONG c = 0;
    *trash = false;
    HRESULT hr = IMAPIFolder_GetProps(folder, NULL, MAPI_UNICODE, &c, &v);
    if (hr == MAPI_W_ERRORS_RETURNED)
        hr = S_OK;
    if (hr != S_OK)
        return fm_pst_fail_mapi(hr, "PST export: reading a folder");
    ULONG k = 0;
    for (ULONG i = 0; hr == S_OK && i < c; i++) {
        ULONG tag = v[i].ulPropTag, pst;
        if (tag == PR_ENTRYID && x->trash.cb != 0 && v[i].Value.bin.cb == x->trash.cb &&
            memcmp(v[i].Value.bin.lpb, x->trash.lpb, x->trash.cb) == 0)
            *trash = true;
        if (PROP_TYPE(tag) == PT_ERROR || store_specific(tag) ||
            !fm_pst_type_supported(PROP_TYPE(tag)) || PROP_TYPE(tag) == PT_OBJECT)
            continue;
        hr = map_tag(x, (LPMAPIPROP)folder, tag, &pst);
        if (hr == S_OK && pst != 0) {
            v[k] = v[i];
            v[k++].ulPropTag = pst;
        }
    }
    *out = v;
    *n = k;
    return hr;
}

static HRESULT export_folder(exporter *x, LPMAPIFOLDER folder, uint32_t parent, bool recurse,
                             unsigned depth);

static HRESULT export_children(exporter *x, LPMAPIFOLDER folder, uint32_t nid, unsigned depth)
{
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    HRESULT hr = IMAPIFolder_GetHierarchyTable(folder, 0, &t);
    if (hr != S_OK)
        return fm_pst_fail_mapi(hr, "PST export: opening a hierarchy table");
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr == S_OK)
        hr = query_all(t, &rows);
    for (ULONG r = 0; hr == S_OK && r < rows->cRows; r++) {
        const SPropValue *e = &rows->aRow[r].lpProps[0];
        LPMAPIFOLDER child = NULL;
        ULONG type;
        if (e->ulPropTag != PR_ENTRYID)
            continue;
        hr = IMAPIFolder_OpenEntry(folder, e->Value.bin.cb, (LPENTRYID)e->Value.bin.lpb, NULL, 0,
                                   &type, (LPUNKNOWN *)&child);
        if (hr != S_OK) {
            hr = fm_pst_fail_mapi(hr, "PST export: opening a folder");
            break;
        }
        hr = export_folder(x, child, nid, true, depth + 1);
        IMAPIFolder_Release(child);
    }
    if (rows != NULL)
        FreeProws(rows);
    IMAPITable_Release(t);
    return hr;
}

static HRESULT export_folder(exporter *x, LPMAPIFOLDER folder, uint32_t parent, bool recurse,
                             unsigned depth)
{
    if (depth > FM_PST_EXPORT_DEPTH)
        return fm_pst_fail(MAPI_E_TOO_COMPLEX, "PST export: folders nested over %u deep",
                           FM_PST_EXPORT_DEPTH);
    LPSPropValue props = NULL;
    ULONG n = 0;
    bool trash;
    uint32_t nid;
    HRESULT hr = folder_props(x, folder, &props, &n, &trash);
    if (hr == S_OK)
        hr = fm_pst_out_folder(x->out, parent, props, n, trash, &nid);
    if (props != NULL)
        MAPIFreeBuffer(props);
    if (hr == S_OK)
        x->st->folders++;
    if (hr == S_OK)
        hr = export_contents(x, folder, nid, false);
    if (hr == S_OK)
        hr = export_contents(x, folder, nid, true);
    if (hr == S_OK)
        hr = fm_pst_out_folder_done(x->out, nid);
    if (hr == S_OK && recurse)
        hr = export_children(x, folder, nid, depth);
    return hr;
}

/* ---- counting, for progress --------------------------------------------------------------- */
static void count_tree(exporter *x, LPMAPIFOLDER folder, bool self, bool recurse, unsigned depth)
{
    if (self) {
        SizedSPropTagArray(2, want) = { 2, { PR_CONTENT_COUNT, PR_ASSOC_CONTENT_COUNT } };
        LPSPropValue v = NULL;
        ULONG n = 0;
        if (SUCCEEDED(IMAPIFolder_GetProps(folder, (LPSPropTagArray)&want, 0, &n, &v))) {
            for (ULONG i = 0; i < n; i++)
                if (PROP_TYPE(v[i].ulPropTag) == PT_LONG)
                    x->total += v[i].Value.ul;
        }
        if (v != NULL)
            MAPIFreeBuffer(v);
    }
    if (!recurse || depth > FM_PST_EXPORT_DEPTH)
        return;
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    if (IMAPIFolder_GetHierarchyTable(folder, 0, &t) != S_OK)
        return;
    if (IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0) == S_OK &&
        IMAPITable_QueryRows(t, 0x7FFFFFFF, 0, &rows) == S_OK) {
        for (ULONG r = 0; r < rows->cRows; r++) {
            const SPropValue *e = &rows->aRow[r].lpProps[0];
            LPMAPIFOLDER child = NULL;
            ULONG type;
            if (e->ulPropTag == PR_ENTRYID &&
                IMAPIFolder_OpenEntry(folder, e->Value.bin.cb, (LPENTRYID)e->Value.bin.lpb, NULL,
                                      0, &type, (LPUNKNOWN *)&child) == S_OK) {
                count_tree(x, child, true, true, depth + 1);
                IMAPIFolder_Release(child);
            }
        }
    }
    if (rows != NULL)
        FreeProws(rows);
    IMAPITable_Release(t);
}

/* ---- the entry point -------------------------------------------------------------------------- */
static HRESULT open_ipm(LPMDB mdb, LPMAPIFOLDER *out, SBinary *trash, LPSPropValue *keep,
                        char **name)
{
    SizedSPropTagArray(3, want) = { 3, { PR_IPM_SUBTREE_ENTRYID, PR_IPM_WASTEBASKET_ENTRYID,
                                         PR_DISPLAY_NAME_A } };
    ULONG n = 0, type;
    HRESULT hr = IMsgStore_GetProps(mdb, (LPSPropTagArray)&want, 0, &n, keep);
    if (FAILED(hr))
        return fm_pst_fail_mapi(hr, "PST export: reading the store");
    LPSPropValue v = *keep;
    if (v[1].ulPropTag == PR_IPM_WASTEBASKET_ENTRYID)
        *trash = v[1].Value.bin;
    if (v[2].ulPropTag == PR_DISPLAY_NAME_A)
        *name = v[2].Value.lpszA;
    if (out == NULL)
        return S_OK;
    if (v[0].ulPropTag != PR_IPM_SUBTREE_ENTRYID)
        return fm_pst_fail(MAPI_E_NOT_FOUND, "PST export: the store has no IPM subtree");
    hr = IMsgStore_OpenEntry(mdb, v[0].Value.bin.cb, (LPENTRYID)v[0].Value.bin.lpb, NULL, 0,
                             &type, (LPUNKNOWN *)out);
    return hr == S_OK ? S_OK : fm_pst_fail_mapi(hr, "PST export: opening the IPM subtree");
}

FREEMAPI_PUBLIC HRESULT fmapi_pst_export(LPMDB lpMDB, const char *path,
                                         const fmapi_pst_export_options *lpOptions,
                                         fmapi_pst_stats *lpStats)
{
    fmapi_pst_stats local;
    if (lpStats == NULL)
        lpStats = &local;
    memset(lpStats, 0, sizeof *lpStats);
    if (lpMDB == NULL || path == NULL || path[0] == '\0')
        return fm_pst_fail(MAPI_E_INVALID_PARAMETER, "fmapi_pst_export: NULL store or path");
    ULONG flags = lpOptions ? lpOptions->ulFlags : 0;
    if (flags & ~(FMAPI_PST_RECURSIVE | FMAPI_PST_ANSI | FMAPI_PST_NO_ENCODING | FMAPI_PST_CYCLIC))
        return fm_pst_fail(MAPI_E_UNKNOWN_FLAGS, "fmapi_pst_export: unknown flags 0x%x",
                           (unsigned)flags);
    exporter x;
    memset(&x, 0, sizeof x);
    x.mdb = lpMDB;
    x.opt = lpOptions;
    x.st = lpStats;
    LPSPropValue keep = NULL;
    LPMAPIFOLDER ipm = NULL;
    char *store_name = NULL;
    bool whole = lpOptions == NULL || lpOptions->lpFolder == NULL;
    HRESULT hr = open_ipm(lpMDB, whole ? &ipm : NULL, &x.trash, &keep, &store_name);
    x.names = fm_pst_zalloc(sizeof(ULONG) * 0x8000);
    x.buf = fm_pst_alloc(65536);
    if (hr == S_OK && (x.names == NULL || x.buf == NULL))
        hr = fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    const char *display = lpOptions && lpOptions->display_name ? lpOptions->display_name
                          : store_name                          ? store_name
                                                                : NULL;
    if (hr == S_OK)
        hr = fm_pst_out_open(path, flags, display, &x.out);
    if (hr == S_OK) {
        if (whole) {
            count_tree(&x, ipm, false, true, 0);
            hr = export_children(&x, ipm, fm_pst_out_ipm(x.out), 0);
        } else {
            bool rec = (flags & FMAPI_PST_RECURSIVE) != 0;
            count_tree(&x, lpOptions->lpFolder, true, rec, 0);
            hr = export_folder(&x, lpOptions->lpFolder, fm_pst_out_ipm(x.out), rec, 0);
        }
    }
    if (x.out != NULL) {
        if (hr == S_OK)
            hr = fm_pst_out_finish(x.out, &lpStats->bytes);
        else
            fm_pst_out_abort(x.out);
    }
    if (ipm != NULL)
        IMAPIFolder_Release(ipm);
    if (keep != NULL)
        MAPIFreeBuffer(keep);
    fm_pst_free(x.names);
    fm_pst_free(x.buf);
    return hr;
}
