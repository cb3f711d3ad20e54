/*
 * props/validate.h - checking MAPI arguments before anything relies on them.
 *
 * Every entry point that takes property values, tags, restrictions, sort
 * orders, rows or entry lists from a caller runs them through these first;
 * past this gate freemapi code may assume what is listed below and nothing
 * else. Each returns S_OK, or an error code with one line of text recorded
 * by fm_error_set naming `what` (the parameter, e.g. "lpPropArray"; NULL
 * reads as "argument") and the fault. They never allocate memory.
 *
 * Codes: MAPI_E_INVALID_TYPE for a property type MAPI does not define (or
 * one not allowed where it appears); MAPI_E_TOO_COMPLEX where the MAPI
 * reference says a provider returns it (restriction operands of different
 * types, nesting deeper than FM_RESTRICTION_MAX_DEPTH); otherwise
 * MAPI_E_INVALID_PARAMETER.
 *
 * What a caller may rely on after S_OK:
 *  - every pointer the structure needs is non-NULL and aligned for its type;
 *  - every property type is a documented PT_* or PT_MV_* type; MV_INSTANCE
 *    appears only in column sets, sort orders and restriction tags, always
 *    with MV_FLAG;
 *  - PT_STRING8 values are valid UTF-8 and PT_UNICODE values valid UTF-16
 *    (no lone surrogates), single or inside MV arrays;
 *  - PT_BOOLEAN values are 0 or 1 (FBadProp: "either TRUE or FALSE");
 *  - MV arrays with cValues > 0 have a pointer, and cValues is at most
 *    FM_MV_MAX_VALUES;
 *  - restrictions nest at most FM_RESTRICTION_MAX_DEPTH levels.
 */
#ifndef FREEMAPI_PROPS_VALIDATE_H
#define FREEMAPI_PROPS_VALIDATE_H

#include <stdint.h>

#include "mapidefs.h"

/* ---- the validators the rest of freemapi calls ----------------------------- */

/* True for every documented single type (PT_UNSPECIFIED included) and every
 * documented PT_MV_* type; false for MV_INSTANCE and anything unknown. */
int fm_prop_type_is_valid(ULONG type);

/* A property tag as it may appear in a tag array or a value: known type,
 * no MV_INSTANCE, identifier not PROP_ID_INVALID. */
HRESULT fm_validate_prop_tag(ULONG tag, const char *what);

/* One property value, well formed for its type. PT_ERROR, PT_OBJECT and
 * PT_NULL values are accepted (rows and GetProps results carry them);
 * PT_UNSPECIFIED is not a value type and is refused. */
HRESULT fm_validate_prop(const SPropValue *p, const char *what);

/* c values at a (a may be NULL only when c is 0). */
HRESULT fm_validate_prop_array(ULONG c, const SPropValue *a, const char *what);

/* A property tag array (GetProps, DeleteProps, ...); cValues may be 0. */
HRESULT fm_validate_tag_array(const SPropTagArray *a, const char *what);

/* A table column set (SetColumns, FBadColumnSet): at least one column,
 * MVI tags allowed, PT_ERROR refused, PT_NULL accepted. */
HRESULT fm_validate_column_set(const SPropTagArray *a, const char *what);

/* A restriction tree, nesting bounded by FM_RESTRICTION_MAX_DEPTH. */
HRESULT fm_validate_restriction(const SRestriction *r, const char *what);

/* A sort order set (SortTable, FBadSortOrderSet). */
HRESULT fm_validate_sort_order_set(const SSortOrderSet *s, const char *what);

/* An ENTRYLIST: every entry identifier has a pointer and at least the four
 * flag bytes of an ENTRYID. */
HRESULT fm_validate_entry_list(const ENTRYLIST *l, const char *what);

/* Table rows. Values in rows may carry MVI tags with one value of the base
 * type (one row per value of a multivalued column). */
HRESULT fm_validate_row(const SRow *r, const char *what);
HRESULT fm_validate_row_set(const SRowSet *r, const char *what);

/* Arrays of strings (FBadRglpszA/W) and of property names (FBadRglpNameID). */
HRESULT fm_validate_strings_a(LPSTR const *a, ULONG c, const char *what);
HRESULT fm_validate_strings_w(LPWSTR const *a, ULONG c, const char *what);
HRESULT fm_validate_name_ids(LPMAPINAMEID const *a, ULONG c, const char *what);

/* ---- shared by the validate_*.c files only --------------------------------- */

/* Error formatters keep their text buffers out of the recursive callers'
 * frames. */
#if defined(__GNUC__)
#define FM_NOINLINE __attribute__((noinline))
#else
#define FM_NOINLINE
#endif

#define FM_MISALIGNED(p, type) (((uintptr_t)(const void *)(p)) % _Alignof(type) != 0)

/* No index to report. */
#define FM_VALIDATE_NO_INDEX ((ULONG)0xFFFFFFFF)

/* Where a value appears changes what it may hold. */
#define FM_VP_ROW 0x1u        /* table row: MVI tags hold one value of the base type */
#define FM_VP_OPERAND 0x2u    /* restriction operand: no PT_ERROR, PT_OBJECT, PT_NULL */

/* One value; index is its place in an array or FM_VALIDATE_NO_INDEX. */
HRESULT fm_validate_prop_in(const SPropValue *p, unsigned mode, const char *what, ULONG index);

/* Rules for a tag outside a value. */
#define FM_VT_ALLOW_MVI 0x01u   /* MV_INSTANCE with MV_FLAG allowed */
#define FM_VT_MV_NEEDS_MVI 0x02u /* multivalued types only with MV_INSTANCE */
#define FM_VT_NO_ERROR 0x04u
#define FM_VT_NO_OBJECT 0x08u
#define FM_VT_NO_NULL 0x10u
#define FM_VT_NO_UNSPECIFIED 0x20u
#define FM_VT_OPERAND (FM_VT_NO_ERROR | FM_VT_NO_OBJECT | FM_VT_NO_NULL | FM_VT_NO_UNSPECIFIED)

HRESULT fm_validate_tag_in(ULONG tag, unsigned rules, const char *what, ULONG index);

/* The printable name of a property type ("PT_MV_UNICODE"), or NULL. */
const char *fm_validate_type_name(ULONG type);

/* what, or "argument" when NULL. */
const char *fm_validate_what(const char *what);

#endif /* FREEMAPI_PROPS_VALIDATE_H */
