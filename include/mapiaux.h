/*
 * mapiaux.h - where the Windows SDK declares IMsgServiceAdmin2 (and
 * IID_IMsgServiceAdmin2): freemapi declares them in mapix.h and mapiguid.h;
 * this header lets programs include the SDK's name.
 */
#ifndef FREEMAPI_MAPIAUX_H
#define FREEMAPI_MAPIAUX_H

#include "mapiguid.h"
#include "mapix.h"

#endif /* FREEMAPI_MAPIAUX_H */
