/*
 * core/guids.c - the one definition of every GUID constant in mapiguid.h.
 * Defining INITGUID turns the header's declarations into definitions (weak,
 * so a program that also defines INITGUID somewhere still links). The
 * MAPIUID constants are not GUIDs and are defined here by hand.
 */
#define INITGUID
#include "mapiguid.h"
#include "mapidefs.h"

/* MAPI constants, Replication API: the Outlook private-store provider. */
const MAPIUID g_muidProvPrvNST = { { 0xE9, 0x2F, 0xEB, 0x75, 0x96, 0x50, 0x44, 0x86,
                                     0x83, 0xB8, 0x7D, 0xE5, 0x22, 0xAA, 0x49, 0x48 } };
