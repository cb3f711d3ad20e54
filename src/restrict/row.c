/*
 * restrict/row.c - finding a restriction's or sort key's property in a row.
 *
 * Rows are short (tens of columns) and every row of a table has its columns
 * in the same order, so a linear scan that starts at the index where the
 * tag was found last time almost always hits at the first probe; an index
 * would cost more to build than it saves.
 */
#include "props/compare.h"
#include "restrict/restrict.h"

static bool bases_match(ULONG want, ULONG have)
{
    return want == have || (fm_prop_is_string_type(want) && fm_prop_is_string_type(have));
}

static bool type_matches(ULONG want_tag, ULONG have_tag)
{
    ULONG want = fm_prop_type(want_tag), have = fm_prop_type(have_tag);
    if (have == PT_ERROR)
        return false;
    if (want == PT_UNSPECIFIED)
        return true;
    if (!bases_match(want & ~(ULONG)MV_FLAG, have & ~(ULONG)MV_FLAG))
        return false;
    if ((want & MV_FLAG) == (have & MV_FLAG))
        return true;
    return (want & MV_FLAG) != 0; /* an MV tag also finds an instance value */
}

/* A row value whose tag carries MV_INSTANCE is one instance of an expanded
 * MV column: a single value, whatever MV_FLAG says. */
static const SPropValue *as_found(const SPropValue *v, SPropValue *tmp)
{
    if (!(PROP_TYPE(v->ulPropTag) & MV_INSTANCE))
        return v;
    *tmp = *v;
    tmp->ulPropTag = PROP_TAG(fm_prop_base_type(v->ulPropTag), PROP_ID(v->ulPropTag));
    return tmp;
}

const SPropValue *fm_restrict_find(ULONG cValues, const SPropValue *props, ULONG tag,
                                   ULONG *hint, SPropValue *tmp)
{
    if (*hint < cValues && props[*hint].ulPropTag == tag && PROP_TYPE(tag) != PT_ERROR)
        return as_found(&props[*hint], tmp);
    ULONG id = PROP_ID(tag);
    for (ULONG i = 0; i < cValues; i++) {
        if (PROP_ID(props[i].ulPropTag) == id && type_matches(tag, props[i].ulPropTag)) {
            *hint = i;
            return as_found(&props[i], tmp);
        }
    }
    return NULL;
}
