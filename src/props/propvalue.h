/*
 * props/propvalue.h - what the property utilities share about one SPropValue:
 * which types exist, how many bytes a value points to, how to lay a value and
 * its data into one block, and string-width conversion.
 *
 * Every function that copies values (PropCopyMore, ScCopyProps, ScDupPropset,
 * IPropData's storage) goes through fm_props_value_extra + fm_props_value_place,
 * so all of them agree on layout: the pointed-to data of a value follows in
 * pieces each rounded up to 8 bytes, which keeps every pointer, GUID and
 * array aligned for its type.
 */
#ifndef FREEMAPI_PROPS_PROPVALUE_H
#define FREEMAPI_PROPS_PROPVALUE_H

#include <stdint.h>
#include "mapidefs.h"

/* Rounds a byte count up to the block alignment. */
#define FM_PROPS_ALIGN(n) (((uint64_t)(n) + 7u) & ~(uint64_t)7u)

/* The type that says how a value is stored: PROP_TYPE(tag), with a
 * multi-valued-instance tag (MVI_FLAG) read as its single-valued type. */
ULONG fm_props_value_type(ULONG ulPropTag);

/* True for the types freemapi knows (every PT_* and PT_MV_* of mapidefs.h
 * except PT_UNSPECIFIED). */
int fm_props_type_known(ULONG type);

/* Size of one element of a multi-valued type, 0 when type is not one. */
size_t fm_props_mv_elem_size(ULONG type);

/* PT_STRING8/PT_UNICODE and their MV forms: 1 (8-bit) or 2 (16-bit), else 0. */
int fm_props_string_width(ULONG type);

/*
 * Bytes of pointed-to data of v (pieces rounded to 8), into *bytes.
 * MAPI_E_INVALID_PARAMETER with text for an unknown type, a NULL pointer
 * where data must be, or too many values; with strict, also for a
 * multi-valued property with no values (ScCountProps' rule).
 */
HRESULT fm_props_value_extra(const SPropValue *v, int strict, uint64_t *bytes);

/*
 * Copies *src to *dst, putting its pointed-to data at *cursor and advancing
 * it by what fm_props_value_extra counted. dst may equal src.
 */
void fm_props_value_place(SPropValue *dst, const SPropValue *src, char **cursor);


/*
 * Copies src into dst as type want (PROP_TYPE only), allocating through
 * lpAllocMore onto parent. want must be src's type or the other width of
 * the same string kind (PT_STRING8 <-> PT_UNICODE, PT_MV_STRING8 <->
 * PT_MV_UNICODE); strings are converted UTF-8 <-> UTF-16.
 */
HRESULT fm_props_copy_as(SPropValue *dst, const SPropValue *src, ULONG want,
                         ALLOCATEMORE *lpAllocMore, void *parent);

#endif /* FREEMAPI_PROPS_PROPVALUE_H */
