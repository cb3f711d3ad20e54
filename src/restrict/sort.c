/*
 * restrict/sort.c - fmapi_sort_compare_rows: ordering two rows by an
 * SSortOrderSet, for table sorting and categorization.
 *
 * Allocation-free, so a table can call it O(n log n) times without touching
 * the allocator: strings use simple per-code-point case mapping instead of
 * full folding, and fall back to an exact comparison on ties so that rows
 * differing only in case still have a definite order.
 */
#include "props/compare.h"
#include "restrict/restrict.h"

/* A sort key's value in a row; an MV_INSTANCE key over an unexpanded MV
 * value reads its first instance. */
static const SPropValue *key_value(ULONG c, const SPropValue *row, ULONG tag, SPropValue *tmp)
{
    ULONG hint = 0;
    const SPropValue *v = row ? fm_restrict_find(c, row, tag, &hint, tmp) : NULL;
    if (v == NULL || !(PROP_TYPE(tag) & MV_INSTANCE) || !(PROP_TYPE(v->ulPropTag) & MV_FLAG))
        return v;
    if (fm_prop_value_count(v) == 0 || v->Value.MVl.lpl == NULL)
        return NULL;
    fm_prop_value_at(v, 0, tmp);
    return tmp;
}

static int compare_key(const SSortOrder *key, ULONG ca, const SPropValue *a, ULONG cb,
                       const SPropValue *b)
{
    SPropValue ta, tb;
    const SPropValue *va = key_value(ca, a, key->ulPropTag, &ta);
    const SPropValue *vb = key_value(cb, b, key->ulPropTag, &tb);
    /* SSortOrder: "all NULL entries placed last", whichever the direction. */
    if (va == NULL || vb == NULL)
        return (va == NULL) - (vb == NULL);
    int c = fm_prop_compare_values(va, vb, FM_PROP_CMP_NOCASE);
    return (key->ulOrder & TABLE_SORT_DESCEND) ? -c : c;
}

FREEMAPI_PUBLIC int fmapi_sort_compare_rows(const SSortOrderSet *sort, ULONG ca,
                                            const SPropValue *a, ULONG cb,
                                            const SPropValue *b)
{
    if (sort == NULL)
        return 0;
    for (ULONG i = 0; i < sort->cSorts; i++) {
        int c = compare_key(&sort->aSort[i], ca, a, cb, b);
        if (c != 0)
            return c;
    }
    return 0;
}
