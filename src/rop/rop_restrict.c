/*
 * rop/rop_restrict.c - restrictions ([MS-OXCDATA] 2.12) and sort orders
 * (2.13) from ROP buffers into the SRestriction and SSortOrderSet the table
 * layer compiles.
 *
 * RestrictType is one byte and takes MAPI's RES_* numbers (And 0x00 ...
 * Count 0x0B); in ROP buffers the counts of And/Or are 16 bits (COUNT,
 * 2.11.1.1) and a Comment's TaggedValuesCount 8 bits. Nesting is bounded
 * (FM_ROP_MAX_RESTRICTION_DEPTH) so a hostile buffer cannot exhaust the
 * stack; each element is checked against the bytes left before anything is
 * allocated for it.
 */
#include <string.h>

#include "mapicode.h"
#include "mapix.h"
#include "rop/rop_int.h"
#include "rop/rop_props.h"

#define FM_ROP_MAX_RESTRICTION_DEPTH 32

static HRESULT get_restriction(fm_rop_reader *r, void *parent, SRestriction *res, int depth);

static HRESULT get_value(fm_rop_reader *r, void *parent, LPSPropValue *out)
{
    HRESULT hr = MAPIAllocateMore(sizeof(SPropValue), parent, (void **)out);

    if (FAILED(hr))
        return hr;
    return fm_rop_get_tagged(r, parent, *out);
}

static HRESULT get_sub(fm_rop_reader *r, void *parent, LPSRestriction *out, int depth)
{
    HRESULT hr = MAPIAllocateMore(sizeof(SRestriction), parent, (void **)out);

    if (FAILED(hr))
        return hr;
    return get_restriction(r, parent, *out, depth + 1);
}

static HRESULT get_restriction(fm_rop_reader *r, void *parent, SRestriction *res, int depth)
{
    uint16_t n, i;
    HRESULT hr = S_OK;

    memset(res, 0, sizeof(*res));
    if (depth > FM_ROP_MAX_RESTRICTION_DEPTH) {
        r->bad = true;
        return S_OK;
    }
    res->rt = fm_rop_get_u8(r);
    switch (res->rt) {
    case RES_AND:
    case RES_OR:
        n = fm_rop_get_u16(r);
        if (r->bad || n > fm_rop_reader_left(r)) { /* each takes a byte at least */
            r->bad = true;
            return S_OK;
        }
        hr = MAPIAllocateMore((ULONG)sizeof(SRestriction) * (n ? n : 1u), parent,
                              (void **)&res->res.resAnd.lpRes);
        res->res.resAnd.cRes = n;
        for (i = 0; i < n && SUCCEEDED(hr) && !r->bad; i++)
            hr = get_restriction(r, parent, &res->res.resAnd.lpRes[i], depth + 1);
        return hr;
    case RES_NOT:
        return get_sub(r, parent, &res->res.resNot.lpRes, depth);
    case RES_CONTENT:
        res->res.resContent.ulFuzzyLevel = fm_rop_get_u16(r);
        res->res.resContent.ulFuzzyLevel |= (ULONG)fm_rop_get_u16(r) << 16;
        res->res.resContent.ulPropTag = fm_rop_get_u32(r);
        return r->bad ? S_OK : get_value(r, parent, &res->res.resContent.lpProp);
    case RES_PROPERTY:
        res->res.resProperty.relop = fm_rop_get_u8(r);
        res->res.resProperty.ulPropTag = fm_rop_get_u32(r);
        return r->bad ? S_OK : get_value(r, parent, &res->res.resProperty.lpProp);
    case RES_COMPAREPROPS:
        res->res.resCompareProps.relop = fm_rop_get_u8(r);
        res->res.resCompareProps.ulPropTag1 = fm_rop_get_u32(r);
        res->res.resCompareProps.ulPropTag2 = fm_rop_get_u32(r);
        return S_OK;
    case RES_BITMASK:
        res->res.resBitMask.relBMR = fm_rop_get_u8(r);
        res->res.resBitMask.ulPropTag = fm_rop_get_u32(r);
        res->res.resBitMask.ulMask = fm_rop_get_u32(r);
        return S_OK;
    case RES_SIZE:
        res->res.resSize.relop = fm_rop_get_u8(r);
        res->res.resSize.ulPropTag = fm_rop_get_u32(r);
        res->res.resSize.cb = fm_rop_get_u32(r);
        return S_OK;
    case RES_EXIST:
        res->res.resExist.ulPropTag = fm_rop_get_u32(r);
        return S_OK;
    case RES_SUBRESTRICTION:
        res->res.resSub.ulSubObject = fm_rop_get_u32(r);
        return r->bad ? S_OK : get_sub(r, parent, &res->res.resSub.lpRes, depth);
    case RES_COMMENT: {
        uint8_t count = fm_rop_get_u8(r), present;
        if (r->bad || count == 0 || (size_t)count * 4 > fm_rop_reader_left(r)) {
            r->bad = true; /* 2.12.10: at least one tagged value */
            return S_OK;
        }
        hr = MAPIAllocateMore((ULONG)sizeof(SPropValue) * count, parent,
                              (void **)&res->res.resComment.lpProp);
        res->res.resComment.cValues = count;
        for (i = 0; i < count && SUCCEEDED(hr) && !r->bad; i++)
            hr = fm_rop_get_tagged(r, parent, &res->res.resComment.lpProp[i]);
        if (FAILED(hr) || r->bad)
            return hr;
        present = fm_rop_get_u8(r);
        if (present)
            return get_sub(r, parent, &res->res.resComment.lpRes, depth);
        return S_OK;
    }
    case RES_COUNT:
        res->res.resCount.ulCount = fm_rop_get_u32(r);
        return r->bad ? S_OK : get_sub(r, parent, &res->res.resCount.lpRes, depth);
    default:
        r->bad = true;
        return S_OK;
    }
}

HRESULT fm_rop_get_restriction(fm_rop_reader *r, LPSRestriction *out)
{
    LPSRestriction res = NULL;
    HRESULT hr;

    *out = NULL;
    hr = MAPIAllocateBuffer(sizeof(SRestriction), (void **)&res);
    if (FAILED(hr))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    hr = get_restriction(r, res, res, 0);
    if (FAILED(hr) || r->bad) {
        MAPIFreeBuffer(res);
        return FAILED(hr) ? hr : S_OK;
    }
    *out = res;
    return S_OK;
}

HRESULT fm_rop_get_sort_orders(fm_rop_reader *r, LPSSortOrderSet *out)
{
    uint16_t sorts = fm_rop_get_u16(r), categories = fm_rop_get_u16(r),
             expanded = fm_rop_get_u16(r), i;
    LPSSortOrderSet set = NULL;

    *out = NULL;
    /* [MS-OXCROPS] 2.2.5.2.1: CategoryCount <= SortOrderCount, ExpandedCount
     * <= CategoryCount; each SortOrder is 5 bytes ([MS-OXCDATA] 2.13.1). */
    if (r->bad || categories > sorts || expanded > categories ||
        (size_t)sorts * 5 > fm_rop_reader_left(r)) {
        r->bad = true;
        return S_OK;
    }
    if (MAPIAllocateBuffer(CbNewSSortOrderSet(sorts), (void **)&set))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    set->cSorts = sorts;
    set->cCategories = categories;
    set->cExpanded = expanded;
    for (i = 0; i < sorts; i++) {
        uint16_t type = fm_rop_get_u16(r), id = fm_rop_get_u16(r);
        set->aSort[i].ulPropTag = PROP_TAG(type, id);
        set->aSort[i].ulOrder = fm_rop_get_u8(r);
    }
    *out = set;
    return S_OK;
}
