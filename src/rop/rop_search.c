/*
 * rop/rop_search.c - RopSetSearchCriteria (0x30) and RopGetSearchCriteria
 * (0x31) ([MS-OXCROPS] 2.2.4.4, 2.2.4.5; [MS-OXCFOLD] 2.2.1.4, 2.2.1.5):
 * a search folder's criteria through IMAPIFolder::SetSearchCriteria and
 * GetSearchCriteria (store/search_folder.c), FIDs translated to entry IDs of
 * the logon and back, the restriction in [MS-OXCDATA] 2.12's form both ways.
 *
 * A RestrictionDataSize or FolderIdCount of zero keeps the previous
 * restriction or folders ([MS-OXCFOLD] 2.2.1.4.1): NULL to the store.
 * GetSearchCriteria answers the SearchFlags of IMAPIContainer's
 * lpulSearchState (the same SEARCH_* bits).
 */
#include <string.h>

#include "mapicode.h"
#include "mapiutil.h"
#include "mapix.h"
#include "rop/rop_int.h"
#include "rop/rop_props.h"
#include "store/entryid.h"

#define KIND(k) (1u << (k))
#define MAX_DEPTH 32 /* as rop_restrict.c reads them */

/* ---- writing a restriction ([MS-OXCDATA] 2.12) ------------------------------------ */

static void put_tagged(fm_rop_writer *w, const SPropValue *v)
{
    fm_rop_put_u32(w, v->ulPropTag);
    fm_rop_put_value(w, v->ulPropTag, v);
}

/* false when r has what the ROP form cannot carry (too deep, RES_ANNOTATION,
 * a value type the codec does not know). */
static bool put_restriction(fm_rop_writer *w, const SRestriction *r, int depth)
{
    if (depth > MAX_DEPTH)
        return false;
    fm_rop_put_u8(w, (uint8_t)r->rt);
    switch (r->rt) {
    case RES_AND:
    case RES_OR:
        if (r->res.resAnd.cRes > 0xFFFF)
            return false;
        fm_rop_put_u16(w, (uint16_t)r->res.resAnd.cRes);
        for (ULONG i = 0; i < r->res.resAnd.cRes; i++)
            if (!put_restriction(w, &r->res.resAnd.lpRes[i], depth + 1))
                return false;
        return true;
    case RES_NOT: return put_restriction(w, r->res.resNot.lpRes, depth + 1);
    case RES_CONTENT:
        if (!fm_rop_type_known(PROP_TYPE(r->res.resContent.lpProp->ulPropTag)))
            return false;
        fm_rop_put_u16(w, (uint16_t)r->res.resContent.ulFuzzyLevel);
        fm_rop_put_u16(w, (uint16_t)(r->res.resContent.ulFuzzyLevel >> 16));
        fm_rop_put_u32(w, r->res.resContent.ulPropTag);
        put_tagged(w, r->res.resContent.lpProp);
        return true;
    case RES_PROPERTY:
        if (!fm_rop_type_known(PROP_TYPE(r->res.resProperty.lpProp->ulPropTag)))
            return false;
        fm_rop_put_u8(w, (uint8_t)r->res.resProperty.relop);
        fm_rop_put_u32(w, r->res.resProperty.ulPropTag);
        put_tagged(w, r->res.resProperty.lpProp);
        return true;
    case RES_COMPAREPROPS:
        fm_rop_put_u8(w, (uint8_t)r->res.resCompareProps.relop);
        fm_rop_put_u32(w, r->res.resCompareProps.ulPropTag1);
        fm_rop_put_u32(w, r->res.resCompareProps.ulPropTag2);
        return true;
    case RES_BITMASK:
        fm_rop_put_u8(w, (uint8_t)r->res.resBitMask.relBMR);
        fm_rop_put_u32(w, r->res.resBitMask.ulPropTag);
        fm_rop_put_u32(w, r->res.resBitMask.ulMask);
        return true;
    case RES_SIZE:
        fm_rop_put_u8(w, (uint8_t)r->res.resSize.relop);
        fm_rop_put_u32(w, r->res.resSize.ulPropTag);
        fm_rop_put_u32(w, r->res.resSize.cb);
        return true;
    case RES_EXIST: fm_rop_put_u32(w, r->res.resExist.ulPropTag); return true;
    case RES_SUBRESTRICTION:
        fm_rop_put_u32(w, r->res.resSub.ulSubObject);
        return put_restriction(w, r->res.resSub.lpRes, depth + 1);
    case RES_COMMENT:
        if (r->res.resComment.cValues == 0 || r->res.resComment.cValues > 0xFF)
            return false;
        fm_rop_put_u8(w, (uint8_t)r->res.resComment.cValues);
        for (ULONG i = 0; i < r->res.resComment.cValues; i++) {
            if (!fm_rop_type_known(PROP_TYPE(r->res.resComment.lpProp[i].ulPropTag)))
                return false;
            put_tagged(w, &r->res.resComment.lpProp[i]);
        }
        fm_rop_put_u8(w, r->res.resComment.lpRes != NULL);
        return r->res.resComment.lpRes == NULL ||
               put_restriction(w, r->res.resComment.lpRes, depth + 1);
    case RES_COUNT:
        fm_rop_put_u32(w, r->res.resCount.ulCount);
        return put_restriction(w, r->res.resCount.lpRes, depth + 1);
    default: return false;
    }
}

/* ---- RopSetSearchCriteria ----------------------------------------------------------- */

/* FolderIdCount FIDs into an ENTRYLIST of the logon's entry IDs (one MAPI
 * buffer; NULL for a count of 0). *ec set for a FID of no folder. */
static HRESULT fids_to_list(fm_rop_reader *r, const fm_rop_logon_state *ls, LPENTRYLIST *out,
                            uint32_t *ec)
{
    uint16_t n = fm_rop_get_u16(r);
    *out = NULL;
    if (r->bad || (size_t)n * 8 > fm_rop_reader_left(r)) {
        r->bad = true;
        return S_OK;
    }
    if (n == 0)
        return S_OK;
    LPENTRYLIST l = NULL;
    if (MAPIAllocateBuffer(sizeof *l + (ULONG)n * (sizeof(SBinary) + FM_EID_SIZE), (void **)&l))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    l->cValues = n;
    l->lpbin = (SBinary *)(l + 1);
    BYTE *eids = (BYTE *)(l->lpbin + n);
    for (uint16_t i = 0; i < n; i++) {
        uint64_t fid = fm_rop_get_u64(r);
        if (!fm_rop_id_to_entryid(ls, fid, FM_EID_FOLDER, eids + (size_t)i * FM_EID_SIZE))
            *ec = (uint32_t)MAPI_E_NOT_FOUND;
        l->lpbin[i].cb = FM_EID_SIZE;
        l->lpbin[i].lpb = eids + (size_t)i * FM_EID_SIZE;
    }
    *out = l;
    return S_OK;
}

HRESULT fm_rop_set_search_criteria(fm_rop_call *call)
{
    uint16_t size = fm_rop_get_u16(call->req);
    const uint8_t *data = fm_rop_get_bytes(call->req, size);
    LPSRestriction res = NULL;
    LPENTRYLIST list = NULL;
    uint32_t ec = 0;
    HRESULT hr = S_OK;
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    if (size > 0) {
        fm_rop_reader sub;
        fm_rop_reader_init(&sub, data, size);
        hr = fm_rop_get_restriction(&sub, &res);
        if (FAILED(hr))
            return hr;
        if (!res || fm_rop_reader_left(&sub) != 0) {
            MAPIFreeBuffer(res);
            return MAPI_E_CORRUPT_DATA;
        }
    }
    fm_rop_object *in = fm_rop_input(call, call->input_index, KIND(FM_ROP_OBJ_FOLDER), &ec);
    if (in)
        hr = fids_to_list(call->req, fm_rop_logon_of(in), &list, &ec);
    else
        (void)fm_rop_get_bytes(call->req, (size_t)fm_rop_get_u16(call->req) * 8);
    uint32_t flags = fm_rop_get_u32(call->req);
    if (SUCCEEDED(hr) && call->req->bad)
        hr = MAPI_E_CORRUPT_DATA;
    if (SUCCEEDED(hr) && ec != 0) {
        fm_rop_put_failure(call, call->input_index, ec);
    } else if (SUCCEEDED(hr)) {
        LPMAPIFOLDER f = (LPMAPIFOLDER)in->unk;
        hr = f->lpVtbl->SetSearchCriteria(f, res, list, flags);
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY) {
            /* handed up: the whole buffer fails */
        } else if (FAILED(hr)) {
            fm_rop_put_failure(call, call->input_index, fm_rop_ec(hr));
            hr = S_OK;
        } else {
            fm_rop_put_ok(call, call->input_index);
            hr = S_OK;
        }
    }
    MAPIFreeBuffer(res);
    MAPIFreeBuffer(list);
    return hr;
}

/* ---- RopGetSearchCriteria ----------------------------------------------------------- */

HRESULT fm_rop_get_search_criteria(fm_rop_call *call)
{
    uint8_t unicode = fm_rop_get_u8(call->req), with_res = fm_rop_get_u8(call->req),
            with_folders = fm_rop_get_u8(call->req);
    uint32_t ec = 0;
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    fm_rop_object *in = fm_rop_input(call, call->input_index, KIND(FM_ROP_OBJ_FOLDER), &ec);
    if (!in) {
        fm_rop_put_failure(call, call->input_index, ec);
        return S_OK;
    }
    LPMAPIFOLDER f = (LPMAPIFOLDER)in->unk;
    LPSRestriction res = NULL;
    LPENTRYLIST list = NULL;
    ULONG state = 0;
    HRESULT hr = f->lpVtbl->GetSearchCriteria(f, unicode ? MAPI_UNICODE : 0,
                                              with_res ? &res : NULL,
                                              with_folders ? &list : NULL, &state);
    if (FAILED(hr)) {
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
            return hr;
        fm_rop_put_failure(call, call->input_index, fm_rop_ec(hr));
        return S_OK;
    }
    fm_rop_writer rw = { 0 };
    bool ok = res == NULL || put_restriction(&rw, res, 0);
    const fm_rop_logon_state *ls = fm_rop_logon_of(in);
    uint64_t *fids = NULL;
    ULONG nf = list ? list->cValues : 0;
    if (ok && nf > 0 && (nf > 0xFFFF || MAPIAllocateBuffer(nf * 8, (void **)&fids))) {
        hr = nf > 0xFFFF ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
        ok = false;
    }
    for (ULONG i = 0; ok && i < nf; i++)
        ok = fm_rop_id_from_entryid(ls, &list->lpbin[i], FM_EID_FOLDER, &fids[i]);
    if (rw.oom)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (hr == S_OK && (!ok || rw.len > 0xFFFF)) {
        fm_rop_put_failure(call, call->input_index, (uint32_t)MAPI_E_TOO_COMPLEX);
    } else if (hr == S_OK) {
        fm_rop_put_ok(call, call->input_index);
        fm_rop_put_u16(call->resp, (uint16_t)rw.len);
        fm_rop_put_bytes(call->resp, rw.buf, rw.len);
        fm_rop_put_u8(call->resp, call->logon_id);
        fm_rop_put_u16(call->resp, (uint16_t)nf);
        for (ULONG i = 0; i < nf; i++)
            fm_rop_put_u64(call->resp, fids[i]);
        fm_rop_put_u32(call->resp, state);
    }
    fm_rop_writer_clear(&rw);
    MAPIFreeBuffer(fids);
    MAPIFreeBuffer(res);
    MAPIFreeBuffer(list);
    return hr;
}
