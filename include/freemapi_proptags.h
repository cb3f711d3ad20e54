/*
 * freemapi_proptags.h - freemapi's extension API to name property tags.
 *
 * Maps between the tags of mapitags.h and their documented names, for
 * diagnostics, dump tools and configuration files that spell tags by name.
 * The tables are generated from data/proptags.tsv together with mapitags.h,
 * so every tag defined there is known here. Lookups search constant sorted
 * tables: they never allocate, never fail for lack of memory, and are safe
 * from any thread. Returned strings are static; the caller never frees them.
 */
#ifndef FREEMAPI_PROPTAGS_H
#define FREEMAPI_PROPTAGS_H

#include "mapitags.h"

FREEMAPI_BEGIN_DECLS

/*
 * Returns the PR_ name of a concrete tag: "PR_SUBJECT_W" for 0x0037001F,
 * "PR_SUBJECT_A" for 0x0037001E, "PR_ENTRYID" for 0x0FFF0102 (non-string tags
 * carry no suffix). Where several names share one tag, the primary name of
 * the property is returned. NULL if the tag is not in mapitags.h.
 */
FREEMAPI_PUBLIC const char *fmapi_proptag_name(ULONG ulPropTag);

/*
 * Returns the tag named by name: "PR_SUBJECT_W", "PR_SUBJECT_A", the generic
 * "PR_SUBJECT" (the PT_UNICODE form, whatever UNICODE is in the caller), or a
 * canonical name such as "PidTagSubject" (PT_UNICODE form for strings).
 * Names are case-sensitive. PR_NULL (0) if name is NULL or unknown.
 */
FREEMAPI_PUBLIC ULONG fmapi_proptag_from_name(const char *name);

/* Number of distinct concrete tags fmapi_proptag_name knows. */
FREEMAPI_PUBLIC ULONG fmapi_proptag_count(void);

/*
 * Enumerates the known tags in ascending order: for index <
 * fmapi_proptag_count() stores the tag and its name (either out-pointer may
 * be NULL) and returns TRUE; returns FALSE past the end.
 */
FREEMAPI_PUBLIC BOOL fmapi_proptag_at(ULONG index, ULONG *lpulPropTag, const char **lppszName);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_PROPTAGS_H */
