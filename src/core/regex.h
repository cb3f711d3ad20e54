/*
 * core/regex.h - RELOP_RE: PCRE2 patterns matched against MAPI strings.
 *
 * A pattern is compiled once for both string widths (UTF-8 for PT_STRING8,
 * UTF-16 for PT_UNICODE), so a subject of either width is matched without
 * conversion. Patterns use PCRE2_UTF | PCRE2_UCP and match anywhere in the
 * subject (anchor with ^...$ for a whole-string match). Every byte PCRE2
 * allocates goes through fm_malloc/fm_free. A compiled fm_regex owns match
 * data reused across matches, so one fm_regex serves one thread at a time.
 */
#ifndef FREEMAPI_CORE_REGEX_H
#define FREEMAPI_CORE_REGEX_H

#include <stdbool.h>

#include "core/text.h"
#include "mapidefs.h"

typedef struct fm_regex fm_regex;

/*
 * Compiles pattern. S_OK; MAPI_E_INVALID_PARAMETER when the pattern is not
 * valid UTF-8/UTF-16 or not a valid regular expression (the error text
 * carries PCRE2's message and offset); MAPI_E_NOT_ENOUGH_MEMORY.
 */
HRESULT fm_regex_compile(const fm_text *pattern, fm_regex **out);

/*
 * Sets *match to whether subject contains a match. A subject that is not
 * valid UTF-8/UTF-16 never matches. S_OK, or MAPI_E_NOT_ENOUGH_MEMORY
 * when PCRE2 cannot get memory for its backtracking frames.
 */
HRESULT fm_regex_match(fm_regex *re, const fm_text *subject, bool *match);

/* NULL-safe. */
void fm_regex_free(fm_regex *re);

#endif /* FREEMAPI_CORE_REGEX_H */
