/*
 * props/compare.h - ordering, matching and measuring property values.
 *
 * The shared core of LPropCompareProp, FPropCompareProp, FPropContainsProp,
 * the restriction engine and the table sort comparator. Nothing here
 * allocates except string folding beyond the inline buffer of fm_folded
 * (strings longer than a few hundred bytes compared case-insensitively).
 *
 * Type compatibility: two values are comparable when their types are equal
 * once MV_INSTANCE is ignored, or when both are strings of either width
 * (PT_STRING8 is UTF-8, PT_UNICODE is UTF-16; strings compare by code point,
 * so the width never changes the order), likewise for their PT_MV_ forms.
 */
#ifndef FREEMAPI_PROPS_COMPARE_H
#define FREEMAPI_PROPS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/text.h"
#include "mapidefs.h"

/*
 * fold_how for fm_prop_compare_values: 0 or FM_FOLD_CASE / FM_FOLD_NONSPACE
 * (full Unicode folding through fm_text_compare), or FM_PROP_CMP_NOCASE:
 * simple per-code-point case mapping, never allocates, and two strings that
 * differ only in case are then ordered exactly, so the order is total.
 */
#define FM_PROP_CMP_NOCASE 0x100u

/* Property type with MV_INSTANCE cleared (MV_FLAG kept). */
static inline ULONG fm_prop_type(ULONG tag)
{
    return PROP_TYPE(tag) & ~(ULONG)MV_INSTANCE;
}

/* Single-valued base of a type: MV_FLAG and MV_INSTANCE cleared. */
static inline ULONG fm_prop_base_type(ULONG tag)
{
    return PROP_TYPE(tag) & ~(ULONG)(MV_FLAG | MV_INSTANCE);
}

static inline bool fm_prop_is_string_type(ULONG base)
{
    return base == PT_STRING8 || base == PT_UNICODE;
}

/* True when values of types ta and tb can be ordered against each other. */
bool fm_prop_types_comparable(ULONG ta, ULONG tb);


/*
 * Orders a against b: <0, 0 or >0. Numbers numerically (PT_SYSTIME as an
 * unsigned 64-bit count, PT_I8 and PT_CURRENCY signed; NaN after every other
 * number), PT_BOOLEAN false < true, PT_CLSID by its 16 bytes, PT_BINARY by
 * size first and then bytes, strings by code point, PT_ERROR by code,
 * PT_NULL and PT_OBJECT always equal, MV values element by element and then
 * by count. Incomparable types order by type number (consistent, nonzero).
 */
int fm_prop_compare_values(const SPropValue *a, const SPropValue *b, unsigned fold_how);

/* Whether cmp (a comparison result) satisfies relop RELOP_LT..RELOP_NE. */
bool fm_prop_relop_holds(ULONG relop, int cmp);

/* Number of values of an MV property; 1 for a single value. */
ULONG fm_prop_value_count(const SPropValue *v);

/*
 * Fills *out with value i of v as a single-valued SPropValue (a shallow
 * view: pointers point into v). For a single value, i must be 0.
 */
void fm_prop_value_at(const SPropValue *v, ULONG i, SPropValue *out);

/* A view of a string value (PT_STRING8 or PT_UNICODE; NULL reads as ""). */
fm_text fm_prop_text(const SPropValue *v);

/*
 * Compares two strings by code point without allocating. nocase applies
 * simple case mapping (uc_tolower) per code point. Invalid sequences read
 * as U+FFFD, except that two UTF-8 strings compared exactly are ordered by
 * their bytes (the same order for valid UTF-8).
 */
int fm_prop_text_cmp(const fm_text *a, const fm_text *b, bool nocase);

/*
 * Size in bytes of a property value as UlPropSize computes it: fixed-size
 * types their C size, strings with their terminating NUL (two bytes for
 * PT_UNICODE), PT_BINARY its cb, MV values the sum over their values.
 * To be unified with UlPropSize (props/propsize.c) when both exist.
 */

/* ---- containment (props/contains.c) ------------------------------------- */

/* FL_* of ulFuzzyLevel turned into FM_FOLD_* options (FL_LOOSE = both). */
unsigned fm_prop_fuzzy_fold(ULONG ulFuzzyLevel);

/*
 * Whether hay contains needle as FL_FULLSTRING / FL_SUBSTRING / FL_PREFIX
 * (mode, the low word of ulFuzzyLevel) says. needle is canonical UTF-8
 * already folded with how (see fm_text_fold). hay is folded here: ASCII
 * without copying, short strings on the stack. Invalid UTF-8 in hay is
 * matched by its bytes with only ASCII letters case-folded; invalid UTF-16
 * never matches.
 * S_OK with *match set, or MAPI_E_NOT_ENOUGH_MEMORY.
 */
HRESULT fm_prop_text_contains(const fm_text *hay, const char *needle, size_t nlen,
                              unsigned how, ULONG mode, bool *match);

/* The same for bytes (PT_BINARY): exact, no folding. */
bool fm_prop_bytes_contains(const BYTE *hay, size_t hn, const BYTE *needle, size_t nn,
                            ULONG mode);

#endif /* FREEMAPI_PROPS_COMPARE_H */
