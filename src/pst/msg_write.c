/*
 * pst/msg_write.c - the messaging layer of the PST writer ([MS-PST] 2.4 and
 * 2.7.3): the message store, the name-to-ID map, and folders.
 *
 * Folders are kept in memory (their properties, counts and children) and
 * written at the end, when their counts are known: each is a PC and three
 * tables (hierarchy, contents, associated contents) whose NIDs share the
 * folder's index. A folder's contents tables are written while its
 * messages come (msg_write_message.c) and closed by fm_pst_out_folder_done
 * or at the end. The file has the nodes of a minimal PST ([MS-PST] 2.7.3):
 * the root folder, the IPM subtree, the search root and Deleted Items, the
 * table templates, and the search management queues (empty).
 */
#include <stdlib.h>
#include <sys/random.h>

#include "pst/msg_write_int.h"
#include "pst/ndb_write.h"

const ULONG fm_pst_cols_hierarchy[] = {
    W_STR(0x3001), PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_SUBFOLDERS, W_STR(0x3613),
};
const unsigned fm_pst_ncols_hierarchy = sizeof fm_pst_cols_hierarchy / sizeof(ULONG);
const ULONG fm_pst_cols_contents[] = {
    PR_IMPORTANCE, W_STR(0x001A), PR_SENSITIVITY, W_STR(0x0037), PR_CLIENT_SUBMIT_TIME,
    W_STR(0x0042), PR_MESSAGE_TO_ME, PR_MESSAGE_CC_ME, W_STR(0x0070), PR_CONVERSATION_INDEX,
    W_STR(0x0E03), W_STR(0x0E04), PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE,
    PR_MSG_STATUS, PR_LAST_MODIFICATION_TIME, W_STR(0x0C1A),
};
const unsigned fm_pst_ncols_contents = sizeof fm_pst_cols_contents / sizeof(ULONG);
const ULONG fm_pst_cols_assoc[] = {
    W_STR(0x001A), PR_MESSAGE_FLAGS, PR_MSG_STATUS, W_STR(0x3001), W_STR(0x0C1A),
    PR_LAST_MODIFICATION_TIME,
};
const unsigned fm_pst_ncols_assoc = sizeof fm_pst_cols_assoc / sizeof(ULONG);
const ULONG fm_pst_cols_attach[] = {
    PR_ATTACH_SIZE, W_STR(0x3704), PR_ATTACH_METHOD, PR_RENDERING_POSITION,
};
const unsigned fm_pst_ncols_attach = sizeof fm_pst_cols_attach / sizeof(ULONG);
const ULONG fm_pst_cols_recip[] = {
    PR_RECIPIENT_TYPE, PR_RESPONSIBILITY, PR_RECORD_KEY, PR_OBJECT_TYPE, PR_ENTRYID,
    W_STR(0x3001), W_STR(0x3002), W_STR(0x3003), PR_SEARCH_KEY, PR_DISPLAY_TYPE,
    W_STR(0x39FF), PR_SEND_RICH_INFO,
};
const unsigned fm_pst_ncols_recip = sizeof fm_pst_cols_recip / sizeof(ULONG);

fm_pst_writer *fm_pst_out_writer(fm_pst_out *o)
{
    return o->w;
}

uint32_t fm_pst_out_ipm(const fm_pst_out *o)
{
    return o->ipm;
}

out_folder *fm_pst_out_find(fm_pst_out *o, uint32_t nid)
{
    for (size_t i = 0; i < o->nfolders; i++)
        if (o->folders[i].nid == nid)
            return &o->folders[i];
    return NULL;
}

static HRESULT utf16_dup(const char *s, WCHAR **out)
{
    *out = NULL;
    size_t n = strlen(s);
    WCHAR *w = fm_pst_alloc(sizeof(WCHAR) * (n + 1));
    if (w == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c = (unsigned char)s[i];
        unsigned len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (i + len > n)
            len = 1;
        if (len == 2)
            c = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
        else if (len == 3)
            c = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
        else if (len == 4)
            c = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) |
                (s[i + 3] & 0x3F);
        i += len;
        if (c >= 0x10000) {
            c -= 0x10000;
            w[k++] = (WCHAR)(0xD800 + (c >> 10));
            w[k++] = (WCHAR)(0xDC00 + (c & 0x3FF));
        } else {
            w[k++] = (WCHAR)c;
        }
    }
    w[k] = 0;
    *out = w;
    return S_OK;
}

static HRESULT add_folder(fm_pst_out *o, uint32_t nid, uint32_t parent, const SPropValue *props,
                          ULONG n)
{
    HRESULT hr = fm_pst_grow((void **)&o->folders, &o->capfolders, o->nfolders + 1,
                             sizeof *o->folders);
    if (hr != S_OK)
        return hr;
    out_folder *f = &o->folders[o->nfolders];
    memset(f, 0, sizeof *f);
    f->nid = nid;
    f->parent = parent;
    if (n > 0) {
        SCODE sc = ScDupPropset((int)n, (LPSPropValue)props, MAPIAllocateBuffer, &f->props);
        if (sc != S_OK)
            return fm_pst_fail(sc, "PST: copying a folder's properties");
        f->nprops = n;
    }
    o->nfolders++;
    out_folder *p = parent != nid ? fm_pst_out_find(o, parent) : NULL;
    if (p != NULL)
        p->children = true;
    return S_OK;
}

static HRESULT add_named_folder(fm_pst_out *o, uint32_t nid, uint32_t parent, const char *name)
{
    SPropValue v;
    v.ulPropTag = W_STR(0x3001);
    HRESULT hr = utf16_dup(name, &v.Value.lpszW);
    if (hr == S_OK)
        hr = add_folder(o, nid, parent, &v, 1);
    fm_pst_free(v.Value.lpszW);
    return hr;
}

HRESULT fm_pst_out_open(const char *path, ULONG flags, const char *display_name, fm_pst_out **out)
{
    *out = NULL;
    fm_pst_out *o = fm_pst_zalloc(sizeof *o);
    if (o == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    uint8_t crypt = (flags & FMAPI_PST_NO_ENCODING) ? NDB_CRYPT_NONE
                    : (flags & FMAPI_PST_CYCLIC)    ? NDB_CRYPT_CYCLIC
                                                    : NDB_CRYPT_PERMUTE;
    HRESULT hr = fm_pst_writer_open(path, (flags & FMAPI_PST_ANSI) != 0, crypt, &o->w);
    if (hr == S_OK && getrandom(o->uid, sizeof o->uid, 0) != (ssize_t)sizeof o->uid)
        hr = fm_pst_fail(MAPI_E_CALL_FAILED, "PST: no random bytes for the store's UID");
    if (hr == S_OK)
        hr = utf16_dup(display_name ? display_name : "Personal Folders", &o->display);
    if (hr == S_OK) {
        o->ipm = fm_pst_writer_new_nid(o->w, NID_TYPE_NORMAL_FOLDER);
        o->finder = fm_pst_writer_new_nid(o->w, NID_TYPE_NORMAL_FOLDER);
        hr = add_named_folder(o, NID_ROOT_FOLDER, NID_ROOT_FOLDER, "");
    }
    if (hr == S_OK)
        hr = add_named_folder(o, o->ipm, NID_ROOT_FOLDER, "Top of Personal Folders");
    if (hr == S_OK)
        hr = add_named_folder(o, o->finder, NID_ROOT_FOLDER, "Search Root");
    if (hr == S_OK) {
        WCHAR *wname = NULL;
        hr = utf16_dup(FM_PST_SOURCE_NAME, &wname);
        MAPINAMEID name;
        name.lpguid = (LPGUID)&fm_pst_psetid;
        name.ulKind = MNID_STRING;
        name.Kind.lpwstrName = wname;
        ULONG id;
        if (hr == S_OK)
            hr = fm_pst_out_name_id(o, &name, &id);
        fm_pst_free(wname);
    }
    if (hr != S_OK) {
        fm_pst_out_abort(o);
        return hr;
    }
    *out = o;
    return S_OK;
}

HRESULT fm_pst_out_folder(fm_pst_out *o, uint32_t parent, const SPropValue *props, ULONG n,
                          bool wastebasket, uint32_t *nid)
{
    if (fm_pst_out_find(o, parent) == NULL)
        return fm_pst_fail(MAPI_E_INVALID_PARAMETER, "PST: no folder 0x%x", (unsigned)parent);
    if (o->w->rgnid[NID_TYPE_NORMAL_FOLDER] >= PST_FIRST_MESSAGE_INDEX)
        return fm_pst_fail(MAPI_E_TOO_BIG, "PST: more than %u folders",
                           PST_FIRST_MESSAGE_INDEX - PST_FIRST_FOLDER_INDEX);
    *nid = fm_pst_writer_new_nid(o->w, NID_TYPE_NORMAL_FOLDER);
    HRESULT hr = add_folder(o, *nid, parent, props, n);
    if (hr == S_OK && wastebasket && o->wastebasket == 0)
        o->wastebasket = *nid;
    return hr;
}

/* ---- tables of folders ------------------------------------------------------------- */
static HRESULT node_commit(fm_pst_out *o, fm_pst_node *node, uint32_t nid, uint32_t parent)
{
    uint64_t bd, bs;
    HRESULT hr = fm_pst_node_finish(node, &bd, &bs);
    if (hr == S_OK)
        hr = fm_pst_writer_add_node(o->w, nid, bd, bs, parent);
    return hr;
}

HRESULT fm_pst_out_empty_table(fm_pst_out *o, uint32_t nid, const ULONG *cols, unsigned n)
{
    fm_pst_node node;
    fm_pst_tc tc;
    memset(&tc, 0, sizeof tc);
    HRESULT hr = fm_pst_node_init(&node, o->w);
    if (hr == S_OK)
        hr = fm_pst_tc_init(&tc, &node, cols, n);
    if (hr == S_OK)
        hr = fm_pst_tc_finish(&tc);
    if (hr == S_OK)
        hr = node_commit(o, &node, nid, 0);
    fm_pst_tc_clear(&tc);
    fm_pst_node_clear(&node);
    return hr;
}

HRESULT fm_pst_out_contents_open(fm_pst_out *o, out_folder *f, int which)
{
    if (f->contents[which] != NULL)
        return S_OK;
    out_contents *c = fm_pst_zalloc(sizeof *c);
    if (c == NULL)
        return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    f->contents[which] = c;
    HRESULT hr = fm_pst_node_init(&c->node, o->w);
    if (hr == S_OK)
        hr = which ? fm_pst_tc_init(&c->tc, &c->node, fm_pst_cols_assoc, fm_pst_ncols_assoc)
                   : fm_pst_tc_init(&c->tc, &c->node, fm_pst_cols_contents, fm_pst_ncols_contents);
    c->open = true;
    return hr;
}

static void contents_free(out_contents *c)
{
    if (c == NULL)
        return;
    fm_pst_tc_clear(&c->tc);
    fm_pst_node_clear(&c->node);
    fm_pst_free(c);
}

static HRESULT contents_close(fm_pst_out *o, out_folder *f, int which)
{
    out_contents *c = f->contents[which];
    unsigned type = which ? NID_TYPE_ASSOC_CONTENTS_TABLE : NID_TYPE_CONTENTS_TABLE;
    uint32_t nid = MAKE_NID(type, NID_INDEX(f->nid));
    HRESULT hr;
    if (c == NULL) {
        hr = which ? fm_pst_out_empty_table(o, nid, fm_pst_cols_assoc, fm_pst_ncols_assoc)
                   : fm_pst_out_empty_table(o, nid, fm_pst_cols_contents, fm_pst_ncols_contents);
    } else {
        hr = fm_pst_tc_finish(&c->tc);
        if (hr == S_OK)
            hr = node_commit(o, &c->node, nid, 0);
        contents_free(c);
    }
    f->contents[which] = NULL;
    f->closed[which] = true;
    return hr;
}

static bool contents_closed(const out_folder *f, int which)
{
    return f->closed[which];
}

HRESULT fm_pst_out_folder_done(fm_pst_out *o, uint32_t nid)
{
    out_folder *f = fm_pst_out_find(o, nid);
    HRESULT hr = S_OK;
    for (int i = 0; f != NULL && hr == S_OK && i < 2; i++)
        if (!contents_closed(f, i))
            hr = contents_close(o, f, i);
    return hr;
}

static const SPropValue *folder_prop(const out_folder *f, ULONG tag)
{
    for (ULONG i = 0; i < f->nprops; i++)
        if (f->props[i].ulPropTag == tag)
            return &f->props[i];
    return NULL;
}

/* A folder's counts and flags as its PC and its parent's hierarchy row
 * carry them. */
static ULONG folder_row(const out_folder *f, SPropValue *v)
{
    ULONG n = 0;
    const SPropValue *name = folder_prop(f, W_STR(0x3001));
    const SPropValue *cls = folder_prop(f, W_STR(0x3613));
    if (name != NULL)
        v[n++] = *name;
    v[n].ulPropTag = PR_CONTENT_COUNT;
    v[n++].Value.l = (LONG)f->count;
    v[n].ulPropTag = PR_CONTENT_UNREAD;
    v[n++].Value.l = (LONG)f->unread;
    v[n].ulPropTag = PR_SUBFOLDERS;
    v[n++].Value.b = f->children;
    if (cls != NULL)
        v[n++] = *cls;
    return n;
}

static HRESULT write_folder_pc(fm_pst_out *o, const out_folder *f)
{
    fm_pst_node node;
    fm_pst_pc pc;
    memset(&pc, 0, sizeof pc);
    HRESULT hr = fm_pst_node_init(&node, o->w);
    if (hr == S_OK)
        hr = fm_pst_pc_init(&pc, &node);
    SPropValue row[5];
    ULONG nrow = folder_row(f, row);
    for (ULONG i = 0; hr == S_OK && i < f->nprops; i++) {
        ULONG t = f->props[i].ulPropTag;
        if (t == PR_CONTENT_COUNT || t == PR_CONTENT_UNREAD || t == PR_SUBFOLDERS ||
            PROP_TYPE(t) == PT_ERROR || !fm_pst_type_supported(PROP_TYPE(t)) ||
            PROP_TYPE(t) == PT_OBJECT)
            continue;
        hr = fm_pst_pc_set(&pc, &f->props[i]);
    }
    for (ULONG i = 0; hr == S_OK && i < nrow; i++)
        if (!fm_pst_pc_has(&pc, row[i].ulPropTag))
            hr = fm_pst_pc_set(&pc, &row[i]);
    if (hr == S_OK)
        hr = fm_pst_pc_finish(&pc);
    if (hr == S_OK)
        hr = node_commit(o, &node, f->nid, f->parent);
    fm_pst_pc_clear(&pc);
    fm_pst_node_clear(&node);
    return hr;
}

static HRESULT write_hierarchy(fm_pst_out *o, const out_folder *f)
{
    fm_pst_node node;
    fm_pst_tc tc;
    memset(&tc, 0, sizeof tc);
    HRESULT hr = fm_pst_node_init(&node, o->w);
    if (hr == S_OK)
        hr = fm_pst_tc_init(&tc, &node, fm_pst_cols_hierarchy, fm_pst_ncols_hierarchy);
    /* folders were created in NID order, so children come in row-ID order */
    for (size_t i = 0; hr == S_OK && i < o->nfolders; i++) {
        const out_folder *c = &o->folders[i];
        if (c->parent != f->nid || c->nid == f->nid)
            continue;
        SPropValue row[5];
        ULONG n = folder_row(c, row);
        hr = fm_pst_tc_add_row(&tc, c->nid, row, n);
    }
    if (hr == S_OK)
        hr = fm_pst_tc_finish(&tc);
    if (hr == S_OK)
        hr = node_commit(o, &node, MAKE_NID(NID_TYPE_HIERARCHY_TABLE, NID_INDEX(f->nid)), 0);
    fm_pst_tc_clear(&tc);
    fm_pst_node_clear(&node);
    return hr;
}

static HRESULT write_folders(fm_pst_out *o)
{
    HRESULT hr = S_OK;
    for (size_t i = 0; hr == S_OK && i < o->nfolders; i++) {
        out_folder *f = &o->folders[i];
        for (int k = 0; hr == S_OK && k < 2; k++)
            if (!contents_closed(f, k))
                hr = contents_close(o, f, k);
        if (hr == S_OK)
            hr = write_folder_pc(o, f);
        if (hr == S_OK)
            hr = write_hierarchy(o, f);
    }
    return hr;
}

/* ---- store, name map, fixed nodes -------------------------------------------------- */
static void entryid(const fm_pst_out *o, uint32_t nid, uint8_t *e)
{
    memset(e, 0, 4);
    memcpy(e + 4, o->uid, 16);
    fm_put32(e + 20, nid);
}

static HRESULT write_pc_node(fm_pst_out *o, uint32_t nid, const SPropValue *v, ULONG n)
{
    fm_pst_node node;
    fm_pst_pc pc;
    memset(&pc, 0, sizeof pc);
    HRESULT hr = fm_pst_node_init(&node, o->w);
    if (hr == S_OK)
        hr = fm_pst_pc_init(&pc, &node);
    for (ULONG i = 0; hr == S_OK && i < n; i++)
        hr = fm_pst_pc_set(&pc, &v[i]);
    if (hr == S_OK)
        hr = fm_pst_pc_finish(&pc);
    if (hr == S_OK)
        hr = node_commit(o, &node, nid, 0);
    fm_pst_pc_clear(&pc);
    fm_pst_node_clear(&node);
    return hr;
}

static HRESULT write_store(fm_pst_out *o)
{
    uint8_t ipm[24], trash[24], finder[24];
    entryid(o, o->ipm, ipm);
    entryid(o, o->wastebasket, trash);
    entryid(o, o->finder, finder);
    SPropValue v[6];
    v[0].ulPropTag = PR_RECORD_KEY;
    v[0].Value.bin.cb = 16;
    v[0].Value.bin.lpb = o->uid;
    v[1].ulPropTag = W_STR(0x3001);
    v[1].Value.lpszW = o->display;
    v[2].ulPropTag = PR_IPM_SUBTREE_ENTRYID_TAG;
    v[2].Value.bin.cb = 24;
    v[2].Value.bin.lpb = ipm;
    v[3].ulPropTag = PR_IPM_WASTEBASKET_ENTRYID_TAG;
    v[3].Value.bin.cb = 24;
    v[3].Value.bin.lpb = trash;
    v[4].ulPropTag = PR_FINDER_ENTRYID_TAG;
    v[4].Value.bin.cb = 24;
    v[4].Value.bin.lpb = finder;
    v[5].ulPropTag = PR_VALID_FOLDER_MASK_TAG;
    v[5].Value.l = 0x01 | 0x08 | 0x80; /* IPM subtree, wastebasket, finder */
    return write_pc_node(o, NID_MESSAGE_STORE, v, 6);
}

static HRESULT write_name_map(fm_pst_out *o)
{
    size_t ne = o->nnames;
    uint8_t *entries = fm_pst_alloc(8 * ne + 1);
    uint8_t **bucket = fm_pst_zalloc(sizeof(uint8_t *) * PST_NAMEID_BUCKETS);
    size_t *nb = fm_pst_zalloc(sizeof(size_t) * PST_NAMEID_BUCKETS);
    SPropValue *v = fm_pst_alloc(sizeof(SPropValue) * (4 + PST_NAMEID_BUCKETS));
    HRESULT hr = S_OK;
    if (entries == NULL || bucket == NULL || nb == NULL || v == NULL) {
        hr = fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
        goto out;
    }
    for (size_t i = 0; i < PST_NAMEID_BUCKETS && hr == S_OK; i++) {
        bucket[i] = fm_pst_alloc(8 * ne + 1);
        if (bucket[i] == NULL)
            hr = fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
    }
    for (size_t i = 0; hr == S_OK && i < ne; i++) {
        const out_name *n = &o->names[i];
        uint16_t gw = (uint16_t)((n->guid << 1) | (n->string ? 1 : 0));
        uint8_t *e = entries + 8 * i;
        fm_put32(e, n->key);
        fm_put16(e + 4, gw);
        fm_put16(e + 6, n->index);
        size_t b = (n->hash ^ gw) % PST_NAMEID_BUCKETS;
        uint8_t *be = bucket[b] + 8 * nb[b]++;
        memcpy(be, e, 8);
        fm_put32(be, n->hash);
    }
    ULONG nv = 0;
    v[nv].ulPropTag = PR_NAMEID_BUCKET_COUNT;
    v[nv++].Value.l = PST_NAMEID_BUCKETS;
    v[nv].ulPropTag = PR_NAMEID_STREAM_GUID;
    v[nv].Value.bin.cb = (ULONG)(16 * o->nguids);
    v[nv++].Value.bin.lpb = o->guids;
    v[nv].ulPropTag = PR_NAMEID_STREAM_ENTRY;
    v[nv].Value.bin.cb = (ULONG)(8 * ne);
    v[nv++].Value.bin.lpb = entries;
    v[nv].ulPropTag = PR_NAMEID_STREAM_STRING;
    v[nv].Value.bin.cb = (ULONG)o->nstrings;
    v[nv++].Value.bin.lpb = o->strings;
    for (size_t i = 0; i < PST_NAMEID_BUCKETS; i++) {
        v[nv].ulPropTag = PROP_TAG(PT_BINARY, PST_NAMEID_BUCKET_BASE + i);
        v[nv].Value.bin.cb = (ULONG)(8 * nb[i]);
        v[nv++].Value.bin.lpb = bucket[i];
    }
    if (hr == S_OK)
        hr = write_pc_node(o, NID_NAME_TO_ID_MAP, v, nv);
out:
    for (size_t i = 0; bucket != NULL && i < PST_NAMEID_BUCKETS; i++)
        fm_pst_free(bucket[i]);
    fm_pst_free(bucket);
    fm_pst_free(nb);
    fm_pst_free(entries);
    fm_pst_free(v);
    return hr;
}

static HRESULT write_fixed_nodes(fm_pst_out *o)
{
    static const uint32_t queues[] = { NID_SEARCH_MANAGEMENT_QUEUE, NID_SEARCH_ACTIVITY_LIST,
                                       NID_SEARCH_DOMAIN_OBJECT, NID_SEARCH_GATHERER_QUEUE,
                                       NID_SEARCH_GATHERER_FOLDER_QUEUE };
    HRESULT hr = S_OK;
    for (size_t i = 0; hr == S_OK && i < sizeof queues / sizeof queues[0]; i++) {
        uint64_t bid;
        hr = fm_pst_write_block(o->w, "", 0, false, &bid);
        if (hr == S_OK)
            hr = fm_pst_writer_add_node(o->w, queues[i], bid, 0, 0);
    }
    if (hr == S_OK)
        hr = fm_pst_out_empty_table(o, NID_HIERARCHY_TABLE_TEMPLATE, fm_pst_cols_hierarchy,
                                    fm_pst_ncols_hierarchy);
    if (hr == S_OK)
        hr = fm_pst_out_empty_table(o, NID_CONTENTS_TABLE_TEMPLATE, fm_pst_cols_contents,
                                    fm_pst_ncols_contents);
    if (hr == S_OK)
        hr = fm_pst_out_empty_table(o, NID_ASSOC_CONTENTS_TABLE_TEMPLATE, fm_pst_cols_assoc,
                                    fm_pst_ncols_assoc);
    if (hr == S_OK)
        hr = fm_pst_out_empty_table(o, NID_SEARCH_CONTENTS_TABLE_TEMPLATE, fm_pst_cols_contents,
                                    fm_pst_ncols_contents);
    if (hr == S_OK)
        hr = fm_pst_out_empty_table(o, NID_ATTACHMENT_TABLE, fm_pst_cols_attach,
                                    fm_pst_ncols_attach);
    if (hr == S_OK)
        hr = fm_pst_out_empty_table(o, NID_RECIPIENT_TABLE, fm_pst_cols_recip, fm_pst_ncols_recip);
    return hr;
}

HRESULT fm_pst_out_finish(fm_pst_out *o, uint64_t *size)
{
    HRESULT hr = S_OK;
    if (o->wastebasket == 0) {
        SPropValue v;
        v.ulPropTag = W_STR(0x3001);
        hr = utf16_dup("Deleted Items", &v.Value.lpszW);
        if (hr == S_OK)
            hr = fm_pst_out_folder(o, o->ipm, &v, 1, true, &o->wastebasket);
        fm_pst_free(v.Value.lpszW);
    }
    if (hr == S_OK)
        hr = write_folders(o);
    if (hr == S_OK)
        hr = write_store(o);
    if (hr == S_OK)
        hr = write_name_map(o);
    if (hr == S_OK)
        hr = write_fixed_nodes(o);
    fm_pst_writer *w = o->w;
    o->w = NULL;
    if (size != NULL)
        *size = w ? fm_pst_writer_size(w) : 0;
    if (hr == S_OK)
        hr = fm_pst_writer_finish(w);
    else
        fm_pst_writer_abort(w);
    fm_pst_out_abort(o);
    return hr;
}

void fm_pst_out_abort(fm_pst_out *o)
{
    if (o == NULL)
        return;
    if (o->w != NULL)
        fm_pst_writer_abort(o->w);
    for (size_t i = 0; i < o->nfolders; i++) {
        for (int k = 0; k < 2; k++)
            if (!contents_closed(&o->folders[i], k))
                contents_free(o->folders[i].contents[k]);
        if (o->folders[i].props != NULL)
            MAPIFreeBuffer(o->folders[i].props);
    }
    fm_pst_free(o->folders);
    fm_pst_free(o->names);
    fm_pst_free(o->guids);
    fm_pst_free(o->strings);
    fm_pst_free(o->display);
    fm_pst_free(o);
}

/* ---- named properties ([MS-PST] 2.4.7) --------------------------------------------- */
static uint16_t guid_index(fm_pst_out *o, const GUID *g, HRESULT *hr)
{
    if (memcmp(g, &PS_MAPI, sizeof *g) == 0)
        return 1;
    if (memcmp(g, &PS_PUBLIC_STRINGS, sizeof *g) == 0)
        return 2;
    uint8_t b[16];
    fm_put32(b, g->Data1);
    fm_put16(b + 4, g->Data2);
    fm_put16(b + 6, g->Data3);
    memcpy(b + 8, g->Data4, 8);
    for (size_t i = 0; i < o->nguids; i++)
        if (memcmp(o->guids + 16 * i, b, 16) == 0)
            return (uint16_t)(3 + i);
    *hr = fm_pst_grow((void **)&o->guids, &o->capguids, 16 * (o->nguids + 1), 1);
    if (*hr != S_OK)
        return 0;
    memcpy(o->guids + 16 * o->nguids, b, 16);
    return (uint16_t)(3 + o->nguids++);
}

HRESULT fm_pst_out_name_id(fm_pst_out *o, const MAPINAMEID *name, ULONG *id)
{
    HRESULT hr = S_OK;
    if (name == NULL || name->lpguid == NULL)
        return fm_pst_fail(MAPI_E_INVALID_PARAMETER, "PST: a named property without a name");
    uint16_t g = guid_index(o, name->lpguid, &hr);
    if (hr != S_OK)
        return hr;
    bool str = name->ulKind == MNID_STRING;
    size_t slen = str ? 2 * fm_pst_wcslen(name->Kind.lpwstrName) : 0;
    uint8_t *sbytes = NULL;
    if (str) {
        sbytes = fm_pst_alloc(slen + 1);
        if (sbytes == NULL)
            return fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
        for (size_t i = 0; i < slen / 2; i++)
            fm_put16(sbytes + 2 * i, (uint16_t)name->Kind.lpwstrName[i]);
    }
    for (size_t i = 0; i < o->nnames; i++) {
        const out_name *n = &o->names[i];
        if (n->guid != g || n->string != str)
            continue;
        bool same = str ? fm_le32(o->strings + n->key) == slen &&
                              memcmp(o->strings + n->key + 4, sbytes, slen) == 0
                        : n->key == (uint32_t)name->Kind.lID;
        if (same) {
            *id = 0x8000u + n->index;
            fm_pst_free(sbytes);
            return S_OK;
        }
    }
    if (o->nnames >= 0x7FFF) {
        fm_pst_free(sbytes);
        return fm_pst_fail(MAPI_E_TOO_BIG, "PST: more than 32,767 named properties");
    }
    hr = fm_pst_grow((void **)&o->names, &o->capnames, o->nnames + 1, sizeof *o->names);
    out_name *n = hr == S_OK ? &o->names[o->nnames] : NULL;
    if (n != NULL && str) {
        size_t need = o->nstrings + 4 + ((slen + 3) & ~(size_t)3);
        hr = fm_pst_grow((void **)&o->strings, &o->capstrings, need, 1);
        if (hr == S_OK) {
            n->key = (uint32_t)o->nstrings;
            n->hash = fm_pst_crc(0, sbytes, slen);
            fm_put32(o->strings + o->nstrings, (uint32_t)slen);
            memcpy(o->strings + o->nstrings + 4, sbytes, slen);
            memset(o->strings + o->nstrings + 4 + slen, 0, need - o->nstrings - 4 - slen);
            o->nstrings = need;
        }
    } else if (n != NULL) {
        n->key = n->hash = (uint32_t)name->Kind.lID;
    }
    fm_pst_free(sbytes);
    if (hr != S_OK)
        return hr;
    n->guid = g;
    n->string = str;
    n->index = (uint16_t)o->nnames;
    o->nnames++;
    *id = 0x8000u + n->index;
    return S_OK;
}
