/*
 * props/validate_sort.c - SSortOrderSet.
 *
 * From the MAPI reference of SSortOrderSet and SSortOrder: cCategories
 * counts the leading sort keys that are categories and cExpanded the
 * leading categories shown expanded, so cExpanded <= cCategories <= cSorts;
 * ulOrder is one of TABLE_SORT_ASCEND, _DESCEND, _COMBINE, _CATEG_MAX,
 * _CATEG_MIN. TABLE_SORT_COMBINE joins a category column with the previous
 * one, so it cannot be first and must itself be a category. CATEG_MAX/MIN
 * order by a value within "the categories specified by the previous sort
 * order", so the previous key must be a category. Multivalued sort keys are
 * named with MVI_PROP. Sorting needs a comparable value: PT_ERROR,
 * PT_OBJECT, PT_NULL and PT_UNSPECIFIED keys are refused.
 */
#include "core/error.h"
#include "mapicode.h"
#include "props/validate.h"

static HRESULT order_check(const SSortOrderSet *s, ULONG i, const char *what)
{
    ULONG order = s->aSort[i].ulOrder;
    const char *w = fm_validate_what(what);
    switch (order) {
    case TABLE_SORT_ASCEND:
    case TABLE_SORT_DESCEND:
        return S_OK;
    case TABLE_SORT_COMBINE:
        if (i == 0 || i >= s->cCategories)
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "%s: sort key %lu: TABLE_SORT_COMBINE needs a previous "
                                "category and must itself be a category",
                                w, (unsigned long)i);
        return S_OK;
    case TABLE_SORT_CATEG_MAX:
    case TABLE_SORT_CATEG_MIN:
        if (i == 0 || i > s->cCategories)
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "%s: sort key %lu: TABLE_SORT_CATEG_MAX/MIN must follow a "
                                "category column",
                                w, (unsigned long)i);
        return S_OK;
    default:
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "%s: sort key %lu: ulOrder 0x%08lX is not a sort order", w,
                            (unsigned long)i, (unsigned long)order);
    }
}

HRESULT fm_validate_sort_order_set(const SSortOrderSet *s, const char *what)
{
    const char *w = fm_validate_what(what);
    if (s == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: sort order set is NULL", w);
    if (FM_MISALIGNED(s, SSortOrderSet))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: sort order set is misaligned", w);
    if (s->cCategories > s->cSorts)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "%s: cCategories %lu exceeds cSorts %lu", w,
                            (unsigned long)s->cCategories, (unsigned long)s->cSorts);
    if (s->cExpanded > s->cCategories)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "%s: cExpanded %lu exceeds cCategories %lu", w,
                            (unsigned long)s->cExpanded, (unsigned long)s->cCategories);
    unsigned rules = FM_VT_ALLOW_MVI | FM_VT_MV_NEEDS_MVI | FM_VT_OPERAND;
    for (ULONG i = 0; i < s->cSorts; i++) {
        HRESULT hr = fm_validate_tag_in(s->aSort[i].ulPropTag, rules, what, i);
        if (hr == S_OK)
            hr = order_check(s, i, what);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}
