/* mapitags.h - placeholder, completed by the header work of issue 2. */
#ifndef FREEMAPI_MAPITAGS_H
#define FREEMAPI_MAPITAGS_H
#include "mapidefs.h"
#endif
