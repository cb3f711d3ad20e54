/*
 * freemapi_restriction.h - freemapi's restriction engine and row sort
 * comparator, the extension API behind IMAPITable::Restrict, FindRow,
 * SortTable and search folders.
 *
 * A restriction (SRestriction) is compiled once: validated, copied (the
 * compiled form keeps no pointer into the caller's structure), search
 * strings folded, RELOP_RE patterns compiled with PCRE2. It is then
 * evaluated against any number of rows. Evaluating a row allocates nothing
 * unless a string longer than a few hundred bytes has to be folded or a
 * regular expression needs backtracking memory the first time.
 *
 * Semantics, from Microsoft's "About Restrictions" and S*Restriction pages,
 * with freemapi's choices where the documentation leaves them open:
 * - A property absent from the row, or present as PT_ERROR, fails every
 *   restriction on it (RES_PROPERTY, RES_CONTENT, RES_COMPAREPROPS,
 *   RES_BITMASK, RES_SIZE, RES_EXIST); RES_NOT of such a restriction is TRUE.
 * - Rows are searched by property tag. PT_STRING8 and PT_UNICODE stand for
 *   each other (a PT_UNICODE restriction finds a PT_STRING8 column of the
 *   same id and the reverse); a restriction with PT_UNSPECIFIED finds any
 *   type (RES_EXIST, RES_SIZE).
 * - Strings compare by Unicode code point, case-sensitively, in
 *   RES_PROPERTY and RES_COMPAREPROPS; RES_CONTENT folds as its
 *   ulFuzzyLevel says (FL_LOOSE means FL_IGNORECASE | FL_IGNORENONSPACE,
 *   with full Unicode case folding: "STRASSE" matches "straße").
 * - Multi-valued properties: a RES_CONTENT, or a RES_PROPERTY whose lpProp
 *   is single-valued (plain MV tag or MV_INSTANCE tag), is TRUE when any
 *   value satisfies it (RELOP_NE: any value differs). A RES_PROPERTY whose
 *   lpProp is itself multi-valued compares the whole arrays, element by
 *   element and then by count.
 * - RELOP_RE: PCRE2 with UTF and UCP, unanchored (use ^ and $), only on
 *   strings. RES_SIZE and RES_COMPAREPROPS do not take RELOP_RE.
 * - RES_SIZE measures the value as UlPropSize does (strings with their
 *   terminating NUL, MV values summed).
 * - Invalid UTF-8 in a row's PT_STRING8 value: RES_CONTENT matches its
 *   bytes (FL_IGNORECASE folds only its ASCII letters, FL_IGNORENONSPACE
 *   does nothing), comparisons order it by its raw bytes, RELOP_RE never
 *   matches it. Invalid UTF-16 never matches RES_CONTENT or RELOP_RE.
 * - RES_COMMENT and RES_ANNOTATION are not evaluated themselves: they stand
 *   for their lpRes, and are TRUE when lpRes is NULL.
 * - RES_COUNT: TRUE for the first ulCount rows its lpRes matches, FALSE for
 *   every row after (the count restarts with fmapi_restriction_reset).
 * - RES_SUBRESTRICTION: TRUE when any recipient (PR_MESSAGE_RECIPIENTS) or
 *   attachment (PR_MESSAGE_ATTACHMENTS) row satisfies lpRes; FALSE when the
 *   row has no sub-objects.
 *
 * A compiled restriction carries match state (regular expression scratch
 * space, RES_COUNT counters): evaluate it from one thread at a time.
 */
#ifndef FREEMAPI_RESTRICTION_H
#define FREEMAPI_RESTRICTION_H

#include "mapidefs.h"
#include "mapitags.h"

FREEMAPI_BEGIN_DECLS

/* A compiled restriction. */
typedef struct fmapi_restriction fmapi_restriction;

/*
 * Where RES_SUBRESTRICTION finds the recipient and attachment rows of the
 * row being evaluated. get_row returns row `index` (0, 1, 2, ... in turn) of
 * the sub-object table ulSubObject (PR_MESSAGE_RECIPIENTS or
 * PR_MESSAGE_ATTACHMENTS) through *lpcValues and *lppProps, which
 * must stay valid until the next get_row call or the end of the evaluation.
 * It returns S_OK, MAPI_E_NOT_FOUND past the last row (or when the row has
 * no such table), or an error, which the evaluation then returns. Rows are
 * asked for only as far as needed, so a store can read them lazily.
 */
typedef struct fmapi_subobjects {
    void *context;
    HRESULT (*get_row)(void *context, ULONG ulSubObject, ULONG index, ULONG *lpcValues,
                       const SPropValue **lppProps);
} fmapi_subobjects;

/*
 * Validates and compiles res. ulFlags must be 0. S_OK and *out, which the
 * caller frees with fmapi_restriction_free. Errors (with text saying what and
 * where, as a path like "res.lpRes[2].lpRes"):
 * - MAPI_E_INVALID_PARAMETER: malformed: NULL res or out, unknown rt,
 *   unknown relop or relBMR, NULL lpRes/lpProp where one is required,
 *   cValues without values, unknown ulFuzzyLevel bits, unknown ulSubObject,
 *   strings that are not valid UTF-8/UTF-16, an invalid RELOP_RE pattern.
 * - MAPI_E_TOO_COMPLEX: nesting deeper than FM_RESTRICTION_MAX_DEPTH (256)
 *   levels, property types that do not match (ulPropTag against lpProp, or
 *   the two tags of RES_COMPAREPROPS), or combinations freemapi does not
 *   support (RES_CONTENT on non-string, non-binary properties, RES_BITMASK on
 *   non-PT_LONG ones, RELOP_RE in RES_SIZE or RES_COMPAREPROPS or on
 *   non-strings, PT_OBJECT values, RELOP_MEMBER_OF_DL).
 * - MAPI_E_UNKNOWN_FLAGS, MAPI_E_NOT_ENOUGH_MEMORY.
 */
FREEMAPI_PUBLIC HRESULT fmapi_restriction_compile(const SRestriction *res, ULONG ulFlags,
                                                  fmapi_restriction **out);

/* Frees a compiled restriction. NULL-safe. */
FREEMAPI_PUBLIC void fmapi_restriction_free(fmapi_restriction *r);

/*
 * Evaluates r against one row of cValues properties. sub supplies its
 * sub-objects (NULL: none). S_OK with *match set; MAPI_E_INVALID_PARAMETER
 * (NULL r or match, NULL lpProps with cValues > 0);
 * MAPI_E_NOT_ENOUGH_MEMORY; or an error returned by sub->get_row. *match is
 * FALSE whenever the result is not S_OK.
 */
FREEMAPI_PUBLIC HRESULT fmapi_restriction_eval(fmapi_restriction *r, ULONG cValues,
                                               const SPropValue *lpProps,
                                               const fmapi_subobjects *sub, BOOL *match);

/* Restarts the RES_COUNT counters of r, as for a new pass over a table. */
FREEMAPI_PUBLIC void fmapi_restriction_reset(fmapi_restriction *r);

/*
 * Orders row a against row b by sort (<0, 0, >0), key by key:
 * TABLE_SORT_DESCEND reverses a key, anything else sorts it ascending. A
 * row without the key's value (absent or PT_ERROR) sorts after every row
 * with one, in both directions (SSortOrder: "all NULL entries placed
 * last"). Strings compare case-insensitively (simple
 * Unicode case mapping), then exactly, so the order is total; MV_INSTANCE
 * keys compare the instance value the row holds; other values as
 * LPropCompareProp orders them. Allocates nothing. A NULL sort orders every
 * row equal.
 */
FREEMAPI_PUBLIC int fmapi_sort_compare_rows(const SSortOrderSet *sort, ULONG ca,
                                            const SPropValue *a, ULONG cb,
                                            const SPropValue *b);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_RESTRICTION_H */
