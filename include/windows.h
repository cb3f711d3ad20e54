/*
 * windows.h - what MAPI programs take from Windows' header, so that their
 * usual first line, #include <windows.h>, compiles: the Windows types and
 * calling conventions of mapiwin.h, the COM entry points of objbase.h and
 * the string and code page functions of mapinls.h. Nothing else of the
 * Windows API is here (no windows, messages or registry); a program using
 * more keeps its own definitions of it.
 */
#ifndef FREEMAPI_WINDOWS_H
#define FREEMAPI_WINDOWS_H

#include "mapiwin.h"
#include "objbase.h"
#include "mapinls.h"

#endif /* FREEMAPI_WINDOWS_H */
