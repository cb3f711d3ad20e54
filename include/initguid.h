/*
 * initguid.h - makes the DEFINE_GUID of headers included after it define
 * the GUIDs, as on Windows. libfreemapi already defines every GUID of
 * mapiguid.h (weakly, so a program's definitions and the library's merge),
 * so including this is never needed, only allowed.
 */
#ifndef INITGUID
#define INITGUID
#endif
