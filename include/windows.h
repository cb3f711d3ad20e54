/*
 * windows.h - what MAPI programs take from Windows' header, so that their
 * usual first line, #include <windows.h>, compiles: the Windows types and
 * calling conventions of mapiwin.h, the COM entry points of objbase.h and
 * the string and code page functions of mapinls.h, and the memory macros
 * (ZeroMemory, CopyMemory, MoveMemory, FillMemory). Nothing else of the
 * Windows API is here (no windows, messages or registry); a program using
 * more keeps its own definitions of it.
 */
#ifndef FREEMAPI_WINDOWS_H
#define FREEMAPI_WINDOWS_H

#include "mapiwin.h"
#include "objbase.h"
#include "mapinls.h"

#include <string.h>

#ifndef ZeroMemory
#define ZeroMemory(dst, len) memset((dst), 0, (len))
#define CopyMemory(dst, src, len) memcpy((dst), (src), (len))
#define MoveMemory(dst, src, len) memmove((dst), (src), (len))
#define FillMemory(dst, len, fill) memset((dst), (fill), (len))
#endif

#endif /* FREEMAPI_WINDOWS_H */
