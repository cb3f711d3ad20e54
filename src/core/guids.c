/*
 * core/guids.c - the one definition of every GUID constant in mapiguid.h.
 * Defining INITGUID turns the header's declarations into definitions.
 */
#define INITGUID
#include "mapiguid.h"
