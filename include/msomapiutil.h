/*
 * msomapiutil.h - the entry identifiers of Outlook's Contacts Address Book
 * (CONTAB_ENTRYID; DIR_ENTRYID, which the reference puts in entryid.h, is
 * its prefix), so that programs can read entry IDs of that provider in
 * data that came from Windows. freemapi's own address book entries use
 * their own format.
 */
#ifndef FREEMAPI_MSOMAPIUTIL_H
#define FREEMAPI_MSOMAPIUTIL_H

#include "mapidefs.h"

/* ulType */
#define CONTAB_ROOT ((ULONG)0x00000001)
#define CONTAB_SUBROOT ((ULONG)0x00000002)
#define CONTAB_CONTAINER ((ULONG)0x00000003)
#define CONTAB_USER ((ULONG)0x00000004)
#define CONTAB_DISTLIST ((ULONG)0x00000005)

#pragma pack(push, 4)
/* The root, sub-root and container entries. */
typedef struct _dir_entryid {
    BYTE abFlags[4];
    MAPIUID muid;
    ULONG ulVersion;
    ULONG ulType;
    MAPIUID muidID;
} DIR_ENTRYID, *LPDIR_ENTRYID;

/* A user or distribution list entry: the contact message's entry ID. */
typedef struct _contab_entryid {
    BYTE abFlags[4];
    MAPIUID muid;
    ULONG ulVersion;
    ULONG ulType;
    ULONG ulIndex;
    ULONG cbeid;
    BYTE abeid[1];
} CONTAB_ENTRYID, *LPCONTAB_ENTRYID;
#pragma pack(pop)

#endif /* FREEMAPI_MSOMAPIUTIL_H */
