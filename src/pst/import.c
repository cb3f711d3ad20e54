/*
 * pst/import.c - fmapi_pst_import: a PST or OST file into a message store.
 *
 * The node B-tree is walked twice, in NID order, holding one page per
 * level: first for folders (kept: a few words each) and the number of
 * messages, then for messages, each imported and saved on its own as it is
 * met. Walking the B-tree rather than the folders' contents tables means a
 * damaged table loses nothing, and memory does not depend on folder sizes.
 * Folders of the PST's IPM subtree are created (or found, by name) under
 * the destination; their messages go there.
 *
 * Re-runs: every imported message carries the named property
 * FreemapiPstSource (the PST's record key and the message's NID). Before
 * the first message of a folder is imported, the NIDs already in that
 * destination folder are read from its contents tables, and those
 * messages are skipped.
 */
#include <stdlib.h>

#include "pst/import.h"

void fm_pst_import_damage(fm_pst_import *im, HRESULT hr, const char *text)
{
    (void)hr;
    im->st->damaged++;
    if (im->st->first_damage[0] == '\0')
        snprintf(im->st->first_damage, sizeof im->st->first_damage, "%s",
                 text && *text ? text : "damaged data");
}

static void walk_damage(void *ctx, HRESULT hr, const char *text)
{
    fm_pst_import_damage(ctx, hr, text);
}

/* ---- the store and its name map ---------------------------------------------------------- */
static HRESULT read_store(fm_pst_import *im)
{
    fm_pst_node_ref node;
    fm_pst_pc_r pc;
    HRESULT hr = fm_pst_nbt_find(im->f, NID_MESSAGE_STORE, &node);
    if (hr == S_OK)
        hr = fm_pst_pc_read(im->f, node.bid_data, NULL, &pc);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        return hr;
    if (hr != S_OK) {
        fm_pst_import_damage(im, hr, fmapi_last_error());
        return S_OK;
    }
    for (ULONG i = 0; i < pc.n; i++) {
        const SPropValue *v = &pc.props[i];
        if (v->ulPropTag == PR_RECORD_KEY && v->Value.bin.cb == 16)
            memcpy(im->key, v->Value.bin.lpb, 16);
        if (v->ulPropTag == PR_IPM_SUBTREE_ENTRYID_TAG && v->Value.bin.cb >= 24)
            im->ipm = fm_le32(v->Value.bin.lpb + 20);
    }
    fm_pst_pc_r_clear(&pc);
    return S_OK;
}

static HRESULT read_names(fm_pst_import *im)
{
    fm_pst_node_ref node;
    fm_pst_subnodes subs;
    fm_pst_pc_r pc;
    memset(&pc, 0, sizeof pc);
    memset(&subs, 0, sizeof subs);
    HRESULT hr = fm_pst_nbt_find(im->f, NID_NAME_TO_ID_MAP, &node);
    if (hr == S_OK)
        hr = fm_pst_subs_read(im->f, node.bid_sub, &subs);
    if (hr == S_OK)
        hr = fm_pst_pc_read(im->f, node.bid_data, &subs, &pc);
    if (hr != S_OK) {
        /* without the map no named property can be mapped: they are
         * dropped (and counted), the rest still comes */
        fm_pst_subnodes_clear(&subs);
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
            return hr;
        fm_pst_import_damage(im, hr, fmapi_last_error());
        return S_OK;
    }
    const SBinary *guids = NULL, *entries = NULL, *strings = NULL;
    for (ULONG i = 0; i < pc.n; i++) {
        if (pc.props[i].ulPropTag == PR_NAMEID_STREAM_GUID)
            guids = &pc.props[i].Value.bin;
        else if (pc.props[i].ulPropTag == PR_NAMEID_STREAM_ENTRY)
            entries = &pc.props[i].Value.bin;
        else if (pc.props[i].ulPropTag == PR_NAMEID_STREAM_STRING)
            strings = &pc.props[i].Value.bin;
    }
    size_t n = entries ? entries->cb / 8 : 0;
    if (n > 0x7FFF)
        n = 0x7FFF;
    im->names = fm_pst_zalloc(sizeof *im->names * (n ? n : 1));
    im->dest_ids = fm_pst_zalloc(sizeof(ULONG) * (n ? n : 1));
    if (im->names == NULL || im->dest_ids == NULL)
        hr = fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        const uint8_t *e = entries->lpb + 8 * i;
        uint16_t gw = fm_le16(e + 4), index = fm_le16(e + 6);
        uint16_t g = gw >> 1;
        if (index >= n)
            continue;
        imp_name *nm = &im->names[index];
        if (g == 1)
            nm->guid = PS_MAPI;
        else if (g == 2)
            nm->guid = PS_PUBLIC_STRINGS;
        else if (guids != NULL && (size_t)(g - 3) * 16 + 16 <= guids->cb && g >= 3) {
            const uint8_t *b = guids->lpb + (size_t)(g - 3) * 16;
            nm->guid.Data1 = fm_le32(b);
            nm->guid.Data2 = fm_le16(b + 4);
            nm->guid.Data3 = fm_le16(b + 6);
            memcpy(nm->guid.Data4, b + 8, 8);
        } else {
            continue; /* no GUID: the name stays unknown */
        }
        nm->string = gw & 1;
        nm->num = fm_le32(e);
        if (nm->string) {
            uint32_t off = nm->num;
            if (strings == NULL || (uint64_t)off + 4 > strings->cb ||
                (uint64_t)off + 4 + fm_le32(strings->lpb + off) > strings->cb) {
                nm->string = false;
                nm->num = 0;
                continue;
            }
            uint32_t len = fm_le32(strings->lpb + off);
            nm->str = fm_pst_alloc(len + 2);
            if (nm->str == NULL) {
                hr = fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
                break;
            }
            for (uint32_t k = 0; k < len / 2; k++)
                nm->str[k] = (WCHAR)fm_le16(strings->lpb + off + 4 + 2 * k);
            nm->str[len / 2] = 0;
        }
        im->dest_ids[index] = 0;
        if (!nm->string || nm->str != NULL)
            im->nnames = im->nnames > index + 1u ? im->nnames : index + 1u;
    }
    fm_pst_pc_r_clear(&pc);
    fm_pst_subnodes_clear(&subs);
    return hr;
}

ULONG fm_pst_import_tag(fm_pst_import *im, ULONG tag)
{
    ULONG id = PROP_ID(tag);
    if (id < 0x8000)
        return tag;
    ULONG index = id - 0x8000;
    if (index >= im->nnames)
        return 0;
    if (im->dest_ids[index] == 0) {
        imp_name *nm = &im->names[index];
        MAPINAMEID name, *pn = &name;
        name.lpguid = &nm->guid;
        name.ulKind = nm->string ? MNID_STRING : MNID_ID;
        if (nm->string)
            name.Kind.lpwstrName = nm->str;
        else
            name.Kind.lID = (LONG)nm->num;
        LPSPropTagArray tags = NULL;
        HRESULT hr = (nm->string && nm->str == NULL)
                         ? MAPI_E_NOT_FOUND
                         : IMsgStore_GetIDsFromNames(im->mdb, 1, &pn, MAPI_CREATE, &tags);
        im->dest_ids[index] = (hr == S_OK && PROP_TYPE(tags->aulPropTag[0]) != PT_ERROR)
                                  ? PROP_ID(tags->aulPropTag[0])
                                  : 0xFFFFFFFFu;
        if (tags != NULL)
            MAPIFreeBuffer(tags);
    }
    if (im->dest_ids[index] == 0xFFFFFFFFu)
        return 0;
    return PROP_TAG(PROP_TYPE(tag), im->dest_ids[index]);
}

/* ---- folders -------------------------------------------------------------------------------- */
static HRESULT collect_node(void *ctx, const fm_pst_node_ref *node)
{
    fm_pst_import *im = ctx;
    unsigned t = NID_TYPE(node->nid);
    if (t == NID_TYPE_NORMAL_MESSAGE || t == NID_TYPE_ASSOC_MESSAGE) {
        im->total++;
        return S_OK;
    }
    if (t != NID_TYPE_NORMAL_FOLDER)
        return S_OK;
    HRESULT hr = fm_pst_grow((void **)&im->folders, &im->capfolders, im->nfolders + 1,
                             sizeof *im->folders);
    if (hr != S_OK)
        return hr;
    imp_folder *f = &im->folders[im->nfolders++];
    memset(f, 0, sizeof *f);
    f->nid = node->nid;
    f->parent = node->parent;
    return S_OK;
}

static imp_folder *find_folder(fm_pst_import *im, uint32_t nid)
{
    size_t lo = 0, hi = im->nfolders; /* collected in NID order */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (im->folders[mid].nid == nid)
            return &im->folders[mid];
        if (im->folders[mid].nid < nid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static bool folder_skip_tag(ULONG tag)
{
    ULONG id = PROP_ID(tag);
    return id == PROP_ID(PR_DISPLAY_NAME) || id == PROP_ID(PR_CONTENT_COUNT) ||
           id == PROP_ID(PR_CONTENT_UNREAD) || id == PROP_ID(PR_SUBFOLDERS) ||
           PROP_TYPE(tag) == PT_ERROR || (id >= 0x6600 && id < 0x6800);
}

static HRESULT apply_folder_props(fm_pst_import *im, LPMAPIFOLDER folder, fm_pst_pc_r *pc)
{
    ULONG k = 0;
    for (ULONG i = 0; i < pc->n; i++) {
        ULONG tag = folder_skip_tag(pc->props[i].ulPropTag) ? 0
                                                           : fm_pst_import_tag(im, pc->props[i].ulPropTag);
        if (tag == 0)
            continue;
        pc->props[k] = pc->props[i];
        pc->props[k++].ulPropTag = tag;
    }
    if (k == 0)
        return S_OK;
    LPSPropProblemArray probs = NULL;
    HRESULT hr = IMAPIFolder_SetProps(folder, k, pc->props, &probs);
    if (probs != NULL) {
        for (ULONG i = 0; i < probs->cProblem; i++)
            if (probs->aProblem[i].scode != MAPI_E_COMPUTED)
                im->st->props_dropped++;
        MAPIFreeBuffer(probs);
    }
    return hr;
}

static HRESULT make_folder(fm_pst_import *im, imp_folder *f, LPMAPIFOLDER parent)
{
    fm_pst_node_ref node;
    fm_pst_subnodes subs;
    fm_pst_pc_r pc;
    memset(&subs, 0, sizeof subs);
    memset(&pc, 0, sizeof pc);
    HRESULT hr = fm_pst_nbt_find(im->f, f->nid, &node);
    if (hr == S_OK)
        hr = fm_pst_subs_read(im->f, node.bid_sub, &subs);
    if (hr == S_OK)
        hr = fm_pst_pc_read(im->f, node.bid_data, &subs, &pc);
    if (hr != S_OK) {
        fm_pst_subnodes_clear(&subs);
        return hr;
    }
    const WCHAR *name = NULL;
    WCHAR unnamed[] = { 'F', 'o', 'l', 'd', 'e', 'r', 0 };
    for (ULONG i = 0; i < pc.n; i++)
        if (pc.props[i].ulPropTag == PROP_TAG(PT_UNICODE, 0x3001))
            name = pc.props[i].Value.lpszW;
    char *name8 = NULL;
    for (ULONG i = 0; name == NULL && i < pc.n; i++)
        if (pc.props[i].ulPropTag == PROP_TAG(PT_STRING8, 0x3001))
            name8 = pc.props[i].Value.lpszA;
    LPMAPIFOLDER folder = NULL;
    if (name8 != NULL)
        hr = IMAPIFolder_CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name8, NULL, NULL,
                                      OPEN_IF_EXISTS, &folder);
    else
        hr = IMAPIFolder_CreateFolder(parent, FOLDER_GENERIC,
                                      (LPTSTR)(name && name[0] ? name : unnamed), NULL, NULL,
                                      OPEN_IF_EXISTS | MAPI_UNICODE, &folder);
    if (hr != S_OK)
        hr = fm_pst_fail_mapi(hr, "PST import: creating a folder");
    if (hr == S_OK)
        hr = apply_folder_props(im, folder, &pc);
    LPSPropValue eid = NULL;
    ULONG n = 0;
    SizedSPropTagArray(1, want) = { 1, { PR_ENTRYID } };
    if (hr == S_OK)
        hr = IMAPIFolder_GetProps(folder, (LPSPropTagArray)&want, 0, &n, &eid);
    if (hr == S_OK && eid[0].ulPropTag == PR_ENTRYID) {
        SCODE sc = MAPIAllocateBuffer(eid[0].Value.bin.cb, (void **)&f->eid);
        if (sc == S_OK) {
            memcpy(f->eid, eid[0].Value.bin.lpb, eid[0].Value.bin.cb);
            f->cb_eid = eid[0].Value.bin.cb;
            f->mapped = true;
            im->st->folders++;
        } else {
            hr = fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
        }
    }
    if (eid != NULL)
        MAPIFreeBuffer(eid);
    if (folder != NULL)
        IMAPIFolder_Release(folder);
    fm_pst_pc_r_clear(&pc);
    fm_pst_subnodes_clear(&subs);
    return hr;
}

static HRESULT open_folder(fm_pst_import *im, imp_folder *f, LPMAPIFOLDER *out)
{
    ULONG type;
    HRESULT hr = IMsgStore_OpenEntry(im->mdb, f->cb_eid, f->eid, NULL, MAPI_MODIFY, &type,
                                     (LPUNKNOWN *)out);
    return hr == S_OK ? S_OK : fm_pst_fail_mapi(hr, "PST import: opening a folder");
}

/* Makes the destination of folder f (and of its parents first); folders
 * outside the IPM subtree stay unmapped. depth bounds a damaged file's
 * parent loops. */
static HRESULT map_folder(fm_pst_import *im, imp_folder *f, unsigned depth)
{
    if (f->tried)
        return S_OK;
    f->tried = true;
    if (f->nid == im->ipm || depth > 256)
        return S_OK;
    LPMAPIFOLDER parent = NULL;
    HRESULT hr = S_OK;
    if (f->parent == im->ipm) {
        parent = im->root;
        IMAPIFolder_AddRef(parent);
    } else {
        imp_folder *p = find_folder(im, f->parent);
        if (p == NULL || p == f)
            return S_OK;
        hr = map_folder(im, p, depth + 1);
        if (hr != S_OK || !p->mapped) {
            f->damaged = p->damaged;
            return hr;
        }
        hr = open_folder(im, p, &parent);
        if (hr != S_OK)
            return hr;
    }
    hr = make_folder(im, f, parent);
    IMAPIFolder_Release(parent);
    if (hr == MAPI_E_CORRUPT_DATA || hr == MAPI_E_TOO_BIG) {
        fm_pst_import_damage(im, hr, fmapi_last_error());
        f->damaged = true;
        hr = S_OK;
    }
    return hr;
}

/* ---- messages --------------------------------------------------------------------------------- */
static HRESULT message_node(void *ctx, const fm_pst_node_ref *node)
{
    fm_pst_import *im = ctx;
    unsigned t = NID_TYPE(node->nid);
    if (t != NID_TYPE_NORMAL_MESSAGE && t != NID_TYPE_ASSOC_MESSAGE)
        return S_OK;
    imp_folder *f = find_folder(im, node->parent);
    HRESULT hr = S_OK;
    if (f != NULL && f->mapped)
        hr = fm_pst_import_message(im, f, node);
    else if (f == NULL || f->damaged)
        fm_pst_import_damage(im, MAPI_E_CORRUPT_DATA,
                             "PST: a message whose folder could not be read");
    if (hr == S_OK) {
        im->done++;
        if (im->opt && im->opt->progress &&
            im->opt->progress(im->opt->progress_ctx, im->done, im->total) != S_OK)
            hr = fm_pst_fail(MAPI_E_USER_CANCEL, "PST import: cancelled");
    }
    return hr;
}

static HRESULT open_root(fm_pst_import *im)
{
    if (im->opt && im->opt->lpFolder) {
        im->root = im->opt->lpFolder;
        IMAPIFolder_AddRef(im->root);
        return S_OK;
    }
    SizedSPropTagArray(1, want) = { 1, { PR_IPM_SUBTREE_ENTRYID } };
    LPSPropValue v = NULL;
    ULONG n = 0, type;
    HRESULT hr = IMsgStore_GetProps(im->mdb, (LPSPropTagArray)&want, 0, &n, &v);
    if (hr == S_OK && v[0].ulPropTag == PR_IPM_SUBTREE_ENTRYID)
        hr = IMsgStore_OpenEntry(im->mdb, v[0].Value.bin.cb, (LPENTRYID)v[0].Value.bin.lpb, NULL,
                                 MAPI_MODIFY, &type, (LPUNKNOWN *)&im->root);
    else if (hr == S_OK || hr == MAPI_W_ERRORS_RETURNED)
        hr = MAPI_E_NOT_FOUND;
    if (v != NULL)
        MAPIFreeBuffer(v);
    return hr == S_OK ? S_OK : fm_pst_fail_mapi(hr, "PST import: opening the IPM subtree");
}

static HRESULT marker_tag(fm_pst_import *im)
{
    WCHAR wname[32];
    const char *s = FM_PST_SOURCE_NAME;
    size_t i = 0;
    for (; s[i]; i++)
        wname[i] = (WCHAR)s[i];
    wname[i] = 0;
    MAPINAMEID name, *pn = &name;
    name.lpguid = (LPGUID)&fm_pst_psetid;
    name.ulKind = MNID_STRING;
    name.Kind.lpwstrName = wname;
    LPSPropTagArray tags = NULL;
    HRESULT hr = IMsgStore_GetIDsFromNames(im->mdb, 1, &pn, MAPI_CREATE, &tags);
    if (hr == S_OK)
        im->marker = PROP_TAG(PT_BINARY, PROP_ID(tags->aulPropTag[0]));
    if (tags != NULL)
        MAPIFreeBuffer(tags);
    return hr == S_OK ? S_OK : fm_pst_fail_mapi(hr, "PST import: registering its named property");
}

static void import_clear(fm_pst_import *im)
{
    for (ULONG i = 0; i < im->ngroup; i++) /* a failure left them unsaved */
        IMessage_Release(im->group[i]);
    if (im->open != NULL)
        IMAPIFolder_Release(im->open);
    if (im->root != NULL)
        IMAPIFolder_Release(im->root);
    for (size_t i = 0; i < im->nfolders; i++) {
        if (im->folders[i].eid != NULL)
            MAPIFreeBuffer(im->folders[i].eid);
        fm_pst_free(im->folders[i].done);
    }
    fm_pst_free(im->folders);
    for (size_t i = 0; im->names != NULL && i < im->nnames; i++)
        fm_pst_free(im->names[i].str);
    fm_pst_free(im->names);
    fm_pst_free(im->dest_ids);
    fm_pst_file_close(im->f);
}

FREEMAPI_PUBLIC HRESULT fmapi_pst_import(LPMDB lpMDB, const char *path,
                                         const fmapi_pst_import_options *lpOptions,
                                         fmapi_pst_stats *lpStats)
{
    fmapi_pst_stats local;
    fm_pst_import im;
    memset(&im, 0, sizeof im);
    if (lpStats == NULL)
        lpStats = &local;
    memset(lpStats, 0, sizeof *lpStats);
    if (lpMDB == NULL || path == NULL)
        return fm_pst_fail(MAPI_E_INVALID_PARAMETER, "fmapi_pst_import: NULL store or path");
    if (lpOptions != NULL && lpOptions->ulFlags != 0)
        return fm_pst_fail(MAPI_E_UNKNOWN_FLAGS, "fmapi_pst_import: unknown flags 0x%x",
                           (unsigned)lpOptions->ulFlags);
    im.mdb = lpMDB;
    im.st = lpStats;
    im.opt = lpOptions;
    im.ipm = 0;
    HRESULT hr = fm_pst_file_open(path, &im.f);
    if (hr == S_OK)
        hr = open_root(&im);
    if (hr == S_OK)
        hr = marker_tag(&im);
    if (hr == S_OK)
        hr = read_store(&im);
    if (hr == S_OK)
        hr = read_names(&im);
    if (hr == S_OK)
        hr = fm_pst_nbt_walk(im.f, collect_node, walk_damage, &im);
    if (hr == S_OK && im.ipm == 0) {
        /* no store PC: the IPM subtree is the root folder's first child */
        for (size_t i = 0; i < im.nfolders && im.ipm == 0; i++)
            if (im.folders[i].parent == NID_ROOT_FOLDER && im.folders[i].nid != NID_ROOT_FOLDER)
                im.ipm = im.folders[i].nid;
    }
    for (size_t i = 0; hr == S_OK && i < im.nfolders; i++)
        hr = map_folder(&im, &im.folders[i], 0);
    if (hr == S_OK)
        hr = fm_pst_nbt_walk(im.f, message_node, walk_damage, &im);
    /* what is filled is saved, a cancel included: it was imported whole */
    HRESULT flushed = fm_pst_import_flush(&im);
    if (hr == S_OK || hr == MAPI_E_USER_CANCEL)
        hr = hr == S_OK ? flushed : hr;
    import_clear(&im);
    if (hr == S_OK && lpStats->damaged > 0)
        hr = fm_pst_fail(MAPI_W_PARTIAL_COMPLETION,
                         "PST import: %llu damaged item(s) not imported; first: %s",
                         (unsigned long long)lpStats->damaged, lpStats->first_damage);
    return hr;
}
