/* core/error_names.c - symbolic names of status codes (fmapi_error_name).
 * Placeholder table; completed with every documented code by issue 2's
 * header work. */
#include "freemapi_error.h"
#include "mapicode.h"

FREEMAPI_PUBLIC const char *fmapi_error_name(HRESULT hr)
{
    switch (hr) {
    case S_OK: return "S_OK";
    case MAPI_E_NOT_ENOUGH_MEMORY: return "MAPI_E_NOT_ENOUGH_MEMORY";
    case MAPI_E_INVALID_PARAMETER: return "MAPI_E_INVALID_PARAMETER";
    default: return NULL;
    }
}
