/*
 * pst/import_message.c - one PST message into one store message: its PC
 * through SetProps (values over 1 MiB streamed through OpenProperty), its
 * recipient table through ModifyRecipients, each attachment of its
 * attachment table through CreateAttach, and embedded messages through
 * OpenProperty(PR_ATTACH_DATA_OBJ, IID_IMessage) with the same code, to
 * FM_PST_MAX_NESTING levels.
 *
 * What is damaged inside a readable message (a recipient table, one
 * attachment) is left out and counted; the message is still saved with the
 * rest. A message whose own properties cannot be read is not saved.
 */
#include <stdlib.h>

#include "freemapi_message.h"
#include "pst/import.h"

/* Values the PST keeps that the store computes: it refuses them with
 * MAPI_E_COMPUTED, which loses nothing (they are the store's). */
static void count_problems(fm_pst_import *im, LPSPropProblemArray probs)
{
    if (probs == NULL)
        return;
    for (ULONG i = 0; i < probs->cProblem; i++)
        if (probs->aProblem[i].scode != MAPI_E_COMPUTED)
            im->st->props_dropped++;
    MAPIFreeBuffer(probs);
}

/* Maps the tags of props in place (dropping what cannot be mapped). */
static ULONG map_tags(fm_pst_import *im, LPSPropValue props, ULONG n)
{
    ULONG k = 0;
    for (ULONG i = 0; i < n; i++) {
        ULONG tag = fm_pst_import_tag(im, props[i].ulPropTag);
        if (tag == 0 || tag == PR_ROWID || tag == PR_ATTACH_NUM) {
            if (tag == 0)
                im->st->props_dropped++;
            continue;
        }
        props[k] = props[i];
        props[k++].ulPropTag = tag;
    }
    return k;
}

typedef struct stream_ctx {
    LPSTREAM s;
} stream_ctx;

static HRESULT to_stream(void *ctx, const uint8_t *data, uint32_t n)
{
    stream_ctx *c = ctx;
    ULONG w = 0;
    HRESULT hr = IStream_Write(c->s, data, n, &w);
    if (hr == S_OK && w != n)
        hr = MAPI_E_DISK_ERROR;
    return hr == S_OK ? S_OK : fm_pst_fail_mapi(hr, "PST import: writing a stream");
}

static HRESULT stream_big(fm_pst_import *im, LPMAPIPROP obj, const fm_pst_big *b)
{
    ULONG tag = fm_pst_import_tag(im, b->tag);
    if (tag == 0) {
        im->st->props_dropped++;
        return S_OK;
    }
    LPSTREAM s = NULL;
    HRESULT hr = IMAPIProp_OpenProperty(obj, tag, &IID_IStream, STGM_WRITE,
                                        MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&s);
    if (hr != S_OK)
        return fm_pst_fail_mapi(hr, "PST import: opening a stream");
    stream_ctx c = { s };
    hr = fm_pst_data_stream(im->f, b->bid, to_stream, &c);
    if (hr == S_OK) {
        HRESULT h2 = IStream_Commit(s, 0);
        if (h2 != S_OK)
            hr = fm_pst_fail_mapi(h2, "PST import: committing a stream");
    }
    IStream_Release(s);
    return hr;
}

static HRESULT set_pc(fm_pst_import *im, LPMAPIPROP obj, fm_pst_pc_r *pc)
{
    ULONG n = map_tags(im, pc->props, pc->n);
    im->st->props_dropped += pc->bad_values;
    LPSPropProblemArray probs = NULL;
    HRESULT hr = n ? IMAPIProp_SetProps(obj, n, pc->props, &probs) : S_OK;
    count_problems(im, probs);
    if (hr != S_OK)
        return fm_pst_fail_mapi(hr, "PST import: setting properties");
    for (size_t i = 0; hr == S_OK && i < pc->nbig; i++)
        hr = stream_big(im, obj, &pc->big[i]);
    return hr;
}

/* ---- recipients --------------------------------------------------------------------------- */
static HRESULT recipients(fm_pst_import *im, LPMESSAGE msg, const fm_pst_subnodes *subs)
{
    const fm_pst_subnode *s = fm_pst_subs_find(subs, NID_RECIPIENT_TABLE);
    if (s == NULL)
        return S_OK;
    fm_pst_subnodes tsubs;
    fm_pst_tc_r tc;
    memset(&tc, 0, sizeof tc);
    HRESULT hr = fm_pst_subs_read(im->f, s->bid_sub, &tsubs);
    if (hr == S_OK)
        hr = fm_pst_tc_open(im->f, s->bid_data, &tsubs, &tc);
    LPADRLIST list = NULL;
    if (hr == S_OK && tc.nrows > 0) {
        size_t size = sizeof(ADRLIST) + sizeof(ADRENTRY) * tc.nrows;
        if (MAPIAllocateBuffer((ULONG)size, (void **)&list) != S_OK)
            hr = fm_pst_fail(MAPI_E_NOT_ENOUGH_MEMORY, "PST: out of memory");
        else
            memset(list, 0, size);
    }
    for (uint32_t i = 0; hr == S_OK && list != NULL && i < tc.nrows; i++) {
        uint32_t id;
        LPSPropValue v;
        ULONG n;
        hr = fm_pst_tc_row(&tc, i, &v, &n, &id);
        if (hr == S_OK) {
            list->aEntries[list->cEntries].rgPropVals = v;
            list->aEntries[list->cEntries++].cValues = map_tags(im, v, n);
        }
    }
    if (hr == S_OK && list != NULL && list->cEntries > 0) {
        hr = IMessage_ModifyRecipients(msg, MODRECIP_ADD, list);
        if (hr != S_OK)
            hr = fm_pst_fail_mapi(hr, "PST import: adding recipients");
    }
    for (ULONG i = 0; list != NULL && i < list->cEntries; i++)
        MAPIFreeBuffer(list->aEntries[i].rgPropVals);
    if (list != NULL)
        MAPIFreeBuffer(list);
    fm_pst_tc_close(&tc);
    fm_pst_subnodes_clear(&tsubs);
    return hr;
}

/* ---- attachments ---------------------------------------------------------------------------- */
static HRESULT fill(fm_pst_import *im, LPMESSAGE msg, uint64_t bid_data, uint64_t bid_sub,
                    unsigned depth);

static HRESULT embedded(fm_pst_import *im, LPATTACH att, const fm_pst_subnodes *asubs,
                        uint32_t nid, unsigned depth)
{
    const fm_pst_subnode *s = fm_pst_subs_find(asubs, nid);
    if (s == NULL)
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: an embedded message (subnode 0x%x) is missing",
                           fm_pst_file_name(im->f), (unsigned)nid);
    if (depth >= FM_PST_MAX_NESTING)
        return fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: embedded messages nested over %u deep",
                           fm_pst_file_name(im->f), FM_PST_MAX_NESTING);
    LPMESSAGE m = NULL;
    HRESULT hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                      MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&m);
    if (hr != S_OK)
        return fm_pst_fail_mapi(hr, "PST import: creating an embedded message");
    hr = fill(im, m, s->bid_data, s->bid_sub, depth + 1);
    if (hr == S_OK) {
        HRESULT h2 = IMessage_SaveChanges(m, 0);
        if (h2 != S_OK)
            hr = fm_pst_fail_mapi(h2, "PST import: saving an embedded message");
    }
    IMessage_Release(m);
    return hr;
}

static HRESULT one_attachment(fm_pst_import *im, LPMESSAGE msg, const fm_pst_subnode *s,
                              unsigned depth)
{
    fm_pst_subnodes asubs;
    fm_pst_pc_r pc;
    memset(&pc, 0, sizeof pc);
    HRESULT hr = fm_pst_subs_read(im->f, s->bid_sub, &asubs);
    if (hr == S_OK)
        hr = fm_pst_pc_read(im->f, s->bid_data, &asubs, &pc);
    LPATTACH att = NULL;
    ULONG num;
    if (hr == S_OK) {
        hr = IMessage_CreateAttach(msg, NULL, 0, &num, &att);
        if (hr != S_OK)
            hr = fm_pst_fail_mapi(hr, "PST import: creating an attachment");
    }
    if (hr == S_OK)
        hr = set_pc(im, (LPMAPIPROP)att, &pc);
    for (unsigned i = 0; hr == S_OK && i < pc.nobj; i++)
        if (PROP_ID(pc.obj_tag[i]) == PROP_ID(PR_ATTACH_DATA_OBJ))
            hr = embedded(im, att, &asubs, pc.obj_nid[i], depth);
    if (hr == S_OK) {
        HRESULT h2 = IAttach_SaveChanges(att, 0);
        if (h2 != S_OK)
            hr = fm_pst_fail_mapi(h2, "PST import: saving an attachment");
        else
            im->st->attachments++;
    }
    if (att != NULL)
        IAttach_Release(att);
    fm_pst_pc_r_clear(&pc);
    fm_pst_subnodes_clear(&asubs);
    return hr;
}

static bool is_damage(HRESULT hr)
{
    return hr == MAPI_E_CORRUPT_DATA || hr == MAPI_E_TOO_BIG;
}

static HRESULT attachments(fm_pst_import *im, LPMESSAGE msg, const fm_pst_subnodes *subs,
                           unsigned depth)
{
    const fm_pst_subnode *s = fm_pst_subs_find(subs, NID_ATTACHMENT_TABLE);
    if (s == NULL)
        return S_OK;
    fm_pst_subnodes tsubs;
    fm_pst_tc_r tc;
    memset(&tc, 0, sizeof tc);
    HRESULT hr = fm_pst_subs_read(im->f, s->bid_sub, &tsubs);
    if (hr == S_OK)
        hr = fm_pst_tc_open(im->f, s->bid_data, &tsubs, &tc);
    for (uint32_t i = 0; hr == S_OK && i < tc.nrows; i++) {
        uint32_t id;
        LPSPropValue v;
        ULONG n;
        hr = fm_pst_tc_row(&tc, i, &v, &n, &id);
        if (hr != S_OK)
            break;
        MAPIFreeBuffer(v);
        const fm_pst_subnode *a = fm_pst_subs_find(subs, id);
        if (a == NULL)
            hr = fm_pst_fail(MAPI_E_CORRUPT_DATA, "PST %s: attachment 0x%x is missing",
                             fm_pst_file_name(im->f), (unsigned)id);
        else
            hr = one_attachment(im, msg, a, depth);
        if (is_damage(hr)) { /* that attachment is lost, the others come */
            fm_pst_import_damage(im, hr, fmapi_last_error());
            hr = S_OK;
        }
    }
    fm_pst_tc_close(&tc);
    fm_pst_subnodes_clear(&tsubs);
    return hr;
}

static HRESULT fill(fm_pst_import *im, LPMESSAGE msg, uint64_t bid_data, uint64_t bid_sub,
                    unsigned depth)
{
    fm_pst_subnodes subs;
    fm_pst_pc_r pc;
    memset(&pc, 0, sizeof pc);
    HRESULT hr = fm_pst_subs_read(im->f, bid_sub, &subs);
    if (hr == S_OK)
        hr = fm_pst_pc_read(im->f, bid_data, &subs, &pc);
    if (hr == S_OK)
        hr = set_pc(im, (LPMAPIPROP)msg, &pc);
    if (hr == S_OK) {
        hr = recipients(im, msg, &subs);
        if (is_damage(hr)) {
            fm_pst_import_damage(im, hr, fmapi_last_error());
            hr = S_OK;
        }
    }
    if (hr == S_OK)
        hr = attachments(im, msg, &subs, depth);
    fm_pst_pc_r_clear(&pc);
    fm_pst_subnodes_clear(&subs);
    return hr;
}

/* ---- re-runs ------------------------------------------------------------------------------------ */
static int nid_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static HRESULT load_table(fm_pst_import *im, imp_folder *f, LPMAPIFOLDER folder, ULONG flags)
{
    LPMAPITABLE t = NULL;
    HRESULT hr = IMAPIFolder_GetContentsTable(folder, flags, &t);
    if (hr != S_OK)
        return fm_pst_fail_mapi(hr, "PST import: reading a folder's contents");
    SizedSPropTagArray(1, cols) = { 1, { im->marker } };
    hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    for (;;) {
        LPSRowSet rows = NULL;
        if (hr == S_OK)
            hr = IMAPITable_QueryRows(t, 500, 0, &rows);
        if (hr != S_OK || rows == NULL || rows->cRows == 0) {
            if (rows != NULL)
                FreeProws(rows);
            break;
        }
        for (ULONG r = 0; hr == S_OK && r < rows->cRows; r++) {
            const SPropValue *v = &rows->aRow[r].lpProps[0];
            if (v->ulPropTag != im->marker || v->Value.bin.cb != 20 ||
                memcmp(v->Value.bin.lpb, im->key, 16) != 0)
                continue;
            hr = fm_pst_grow((void **)&f->done, &f->capdone, f->ndone + 1, sizeof *f->done);
            if (hr == S_OK)
                f->done[f->ndone++] = fm_le32(v->Value.bin.lpb + 16);
        }
        FreeProws(rows);
    }
    IMAPITable_Release(t);
    return hr == S_OK ? S_OK : fm_pst_fail_mapi(hr, "PST import: reading a folder's contents");
}

static HRESULT loaded_done(fm_pst_import *im, imp_folder *f, LPMAPIFOLDER folder)
{
    if (f->loaded)
        return S_OK;
    HRESULT hr = load_table(im, f, folder, 0);
    if (hr == S_OK)
        hr = load_table(im, f, folder, MAPI_ASSOCIATED);
    if (hr == S_OK) {
        if (f->ndone > 1)
            qsort(f->done, f->ndone, sizeof *f->done, nid_cmp);
        f->loaded = true;
    }
    return hr;
}

static bool already(const imp_folder *f, uint32_t nid)
{
    return f->ndone > 0 && bsearch(&nid, f->done, f->ndone, sizeof nid, nid_cmp) != NULL;
}

HRESULT fm_pst_import_message(fm_pst_import *im, imp_folder *f, const fm_pst_node_ref *node)
{
    HRESULT hr = S_OK;
    if (im->open_nid != f->nid) {
        if (im->open != NULL)
            IMAPIFolder_Release(im->open);
        im->open = NULL;
        im->open_nid = 0;
        ULONG type;
        hr = IMsgStore_OpenEntry(im->mdb, f->cb_eid, f->eid, NULL, MAPI_MODIFY, &type,
                                 (LPUNKNOWN *)&im->open);
        if (hr != S_OK)
            return fm_pst_fail_mapi(hr, "PST import: opening a folder");
        im->open_nid = f->nid;
    }
    hr = loaded_done(im, f, im->open);
    if (hr != S_OK)
        return hr;
    if (already(f, node->nid)) {
        im->st->skipped++;
        return S_OK;
    }
    bool assoc = NID_TYPE(node->nid) == NID_TYPE_ASSOC_MESSAGE;
    LPMESSAGE msg = NULL;
    hr = IMAPIFolder_CreateMessage(im->open, NULL, assoc ? MAPI_ASSOCIATED : 0, &msg);
    if (hr != S_OK)
        return fm_pst_fail_mapi(hr, "PST import: creating a message");
    uint64_t attachments_before = im->st->attachments;
    hr = fill(im, msg, node->bid_data, node->bid_sub, 0);
    if (hr == S_OK) {
        uint8_t mark[20];
        memcpy(mark, im->key, 16);
        fm_put32(mark + 16, node->nid);
        SPropValue v;
        v.ulPropTag = im->marker;
        v.Value.bin.cb = sizeof mark;
        v.Value.bin.lpb = mark;
        hr = IMessage_SetProps(msg, 1, &v, NULL);
        if (hr != S_OK)
            hr = fm_pst_fail_mapi(hr, "PST import: marking a message");
    }
    if (hr == S_OK) {
        im->group[im->ngroup] = msg;
        im->group_atts[im->ngroup++] = im->st->attachments - attachments_before;
        return im->ngroup == FM_PST_GROUP ? fm_pst_import_flush(im) : S_OK;
    }
    IMessage_Release(msg);
    im->st->attachments = attachments_before;
    if (is_damage(hr)) {
        fm_pst_import_damage(im, hr, fmapi_last_error());
        hr = S_OK;
    }
    return hr;
}

HRESULT fm_pst_import_flush(fm_pst_import *im)
{
    HRESULT hr = S_OK;
    if (im->ngroup == 0)
        return S_OK;
    if (fmapi_message_save_group(im->ngroup, im->group, 0) == S_OK) {
        im->st->messages += im->ngroup;
    } else {
        for (ULONG i = 0; i < im->ngroup; i++) {
            HRESULT one = IMessage_SaveChanges(im->group[i], 0);
            if (one == S_OK) {
                im->st->messages++;
            } else {
                im->st->attachments -= im->group_atts[i];
                one = fm_pst_fail_mapi(one, "PST import: saving a message");
                if (is_damage(one)) /* that message is lost, its neighbours are not */
                    fm_pst_import_damage(im, one, fmapi_last_error());
                else if (hr == S_OK)
                    hr = one;
            }
        }
    }
    for (ULONG i = 0; i < im->ngroup; i++)
        IMessage_Release(im->group[i]);
    im->ngroup = 0;
    return hr;
}
