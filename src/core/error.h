/*
 * core/error.h - recording error text for GetLastError and fmapi_last_error.
 *
 * Pattern: `return fm_error_set(MAPI_E_NOT_FOUND, "no property %08lX", tag);`
 * records the text in the calling thread and returns the code unchanged, so
 * a failure and its explanation are one statement. Lower layers set the
 * text; upper layers pass the code up without rewriting it.
 */
#ifndef FREEMAPI_CORE_ERROR_H
#define FREEMAPI_CORE_ERROR_H

#include "mapidefs.h"

/* Longest recorded text, NUL included; longer text is cut. */
#define FM_ERROR_TEXT_MAX 512

#if defined(__GNUC__)
#define FM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FM_PRINTF(a, b)
#endif

/* Records hr and the formatted text for this thread; returns hr. */
HRESULT fm_error_set(HRESULT hr, const char *fmt, ...) FM_PRINTF(2, 3);

/* This thread's last text ("" when none). */
const char *fm_error_text(void);
void fm_error_clear(void);

/*
 * Builds the MAPIERROR that an object's GetLastError returns: lpszError is
 * text, lpszComponent is component, both in UTF-16 when ulFlags has
 * MAPI_UNICODE. One MAPIAllocateBuffer block the caller frees. When text is
 * NULL or empty, the error's symbolic name is used instead. Fails with
 * MAPI_E_UNKNOWN_FLAGS, MAPI_E_INVALID_PARAMETER or MAPI_E_NOT_ENOUGH_MEMORY.
 */
HRESULT fm_error_make_mapierror(HRESULT hr, ULONG ulFlags, const char *text,
                                const char *component, LPMAPIERROR *lppMAPIError);

#endif /* FREEMAPI_CORE_ERROR_H */
