/*
 * freemapi_error.h - error text and code names, freemapi's extension.
 *
 * Every failing freemapi entry point records one line of text saying what
 * was wrong, in the calling thread. Objects also return it through their
 * GetLastError method as a MAPIERROR; functions without an object (the
 * mapiutil.h helpers, MAPIAllocateBuffer, validators) only have this.
 */
#ifndef FREEMAPI_ERROR_H
#define FREEMAPI_ERROR_H

#include "mapiwin.h"

FREEMAPI_BEGIN_DECLS

/*
 * The text of the last error recorded in this thread, or "" when none.
 * The string is owned by freemapi and valid until the thread's next freemapi
 * call; copy it to keep it.
 */
FREEMAPI_PUBLIC const char *fmapi_last_error(void);

/* The code that went with fmapi_last_error(), or S_OK when none. */
FREEMAPI_PUBLIC HRESULT fmapi_last_error_code(void);

/*
 * Records text (copied, cut at 511 bytes) and hr as this thread's last error
 * and returns hr: for libraries built on freemapi, so that their failures
 * read back through fmapi_last_error() as freemapi's own do
 * (libfreemapi-mime uses it).
 */
FREEMAPI_PUBLIC HRESULT fmapi_error_set(HRESULT hr, const char *text);

/* Forgets this thread's last error. */
FREEMAPI_PUBLIC void fmapi_clear_error(void);

/*
 * The symbolic name of a status code ("MAPI_E_NOT_FOUND"), or NULL when the
 * code is not one MAPI documents. The string is static.
 */
FREEMAPI_PUBLIC const char *fmapi_error_name(HRESULT hr);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_ERROR_H */
