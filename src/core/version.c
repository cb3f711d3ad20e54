/* core/version.c - the library's version string (freemapi.h). */
#include "freemapi.h"

#define STR2(x) #x
#define STR(x) STR2(x)

FREEMAPI_PUBLIC const char *fmapi_version(void)
{
    return STR(FREEMAPI_VERSION_MAJOR) "." STR(FREEMAPI_VERSION_MINOR) "." STR(FREEMAPI_VERSION_PATCH);
}
