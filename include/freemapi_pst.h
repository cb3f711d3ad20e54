/*
 * freemapi_pst.h - Outlook data files (.pst personal folders and .ost
 * offline folders, [MS-PST]) read into a message store and written out of
 * one. This is libfreemapi-pst, a library over MAPI's public interfaces:
 * it fills and reads any IMsgStore.
 *
 * Reading: ANSI (Outlook 97-2002, 32-bit) and Unicode (Outlook 2003 and
 * later, 64-bit, files over 4 GB) PST and OST files, unencoded or with
 * either of [MS-PST]'s encodings. Every property of every folder, message,
 * recipient and attachment lands in the store (named properties mapped by
 * name through the store's GetIDsFromNames), embedded messages to any
 * depth, associated contents (views, forms, rules). A damaged file is
 * read as far as it can be: every readable message is imported, and what
 * could not be read is counted and described in the statistics.
 *
 * Writing: Unicode PST files that Outlook and other readers open, in
 * bounded memory whatever the size (files over 50 GB).
 *
 * Errors: every function returns an HRESULT and, on failure, the text of
 * fmapi_last_error() says what and where (the file offset for bad data).
 */
#ifndef FREEMAPI_PST_H
#define FREEMAPI_PST_H

#include <stdint.h>

#include "mapidefs.h"

FREEMAPI_BEGIN_DECLS

/* Called after every message (done of total, total 0 if unknown); a
 * return other than S_OK stops the job with MAPI_E_USER_CANCEL. */
typedef HRESULT (*fmapi_pst_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/* What an import or export did. */
typedef struct fmapi_pst_stats {
    uint64_t folders;     /* folders created or found */
    uint64_t messages;    /* messages written (normal and associated) */
    uint64_t attachments; /* attachments, embedded messages' included */
    uint64_t skipped;     /* import: messages already imported by an earlier run */
    uint64_t damaged;     /* import: messages or folders that could not be read */
    uint64_t props_dropped; /* properties the destination refused (computed there) */
    uint64_t bytes;       /* export: size of the file written */
    char first_damage[256]; /* import: the first damage met, "" if none */
} fmapi_pst_stats;

/* ---- export: store -> PST ------------------------------------------------------ */
#define FMAPI_PST_RECURSIVE ((ULONG)0x00000001) /* the folder and every folder under it */
#define FMAPI_PST_ANSI ((ULONG)0x00000002)      /* an ANSI (32-bit) file, under 2 GB */
#define FMAPI_PST_NO_ENCODING ((ULONG)0x00000004) /* blocks unencoded (default: permutation) */
#define FMAPI_PST_CYCLIC ((ULONG)0x00000008)    /* blocks with the cyclic encoding */

typedef struct fmapi_pst_export_options {
    ULONG ulFlags;                 /* FMAPI_PST_* */
    LPMAPIFOLDER lpFolder;         /* the folder to export; NULL: the whole IPM subtree */
    LPSRestriction lpRestriction;  /* only messages matching this (may be NULL) */
    const char *display_name;      /* the PST store's name (UTF-8), NULL: "Personal Folders" */
    fmapi_pst_progress_fn progress;
    void *progress_ctx;
} fmapi_pst_export_options;

/*
 * Writes the messages of lpMDB (the folder tree of lpOptions->lpFolder, or
 * the IPM subtree) to a new PST file at path (replaced if it exists; the
 * file is written under a temporary name and renamed at the end, so a
 * failure or a kill leaves no half-written file at path). Folders keep
 * their names, classes and properties; messages every property, their
 * recipients and attachments, embedded messages to any depth; associated
 * contents too. lpStats may be NULL.
 *
 * Errors: MAPI_E_INVALID_PARAMETER, MAPI_E_UNKNOWN_FLAGS, MAPI_E_NO_ACCESS
 * (path), MAPI_E_NOT_ENOUGH_DISK, MAPI_E_TOO_BIG (an ANSI file over 2 GB,
 * a value over 8 GB), MAPI_E_USER_CANCEL, MAPI_E_NOT_ENOUGH_MEMORY, and
 * whatever the store's methods return.
 */
FREEMAPI_PUBLIC HRESULT fmapi_pst_export(LPMDB lpMDB, const char *path,
                                         const fmapi_pst_export_options *lpOptions,
                                         fmapi_pst_stats *lpStats);

/* ---- import: PST/OST -> store ------------------------------------------------- */
typedef struct fmapi_pst_import_options {
    ULONG ulFlags;                 /* 0 */
    LPMAPIFOLDER lpFolder;         /* where the PST's top folders go; NULL: the IPM subtree */
    fmapi_pst_progress_fn progress;
    void *progress_ctx;
} fmapi_pst_import_options;

/*
 * Imports the PST or OST file at path into lpMDB: the PST's IPM folder tree
 * under lpOptions->lpFolder (folders of the same name are merged: the PST's
 * Inbox goes into the store's Inbox), each message saved on its own. Each
 * imported message carries the PST's identity and its node ID in a named
 * property, so running the import again (after a failure, a Ctrl-C or a
 * kill) skips what is already there and continues.
 *
 * Damage: a file that is not a PST at all, or whose header or B-tree roots
 * are unreadable, is MAPI_E_CORRUPT_DATA (text with the offset). Damage
 * further in skips what it touches: every message that can be read is
 * imported, and the count and first damage are in lpStats (the result is
 * then MAPI_W_PARTIAL_COMPLETION).
 *
 * Errors: MAPI_E_INVALID_PARAMETER, MAPI_E_UNKNOWN_FLAGS, MAPI_E_NOT_FOUND
 * (no file), MAPI_E_NO_ACCESS, MAPI_E_CORRUPT_DATA, MAPI_E_VERSION (an OST
 * of Outlook 2013 and later, 4 KiB pages, is not supported),
 * MAPI_E_USER_CANCEL, MAPI_E_NOT_ENOUGH_MEMORY, and what the store's
 * methods return.
 */
FREEMAPI_PUBLIC HRESULT fmapi_pst_import(LPMDB lpMDB, const char *path,
                                         const fmapi_pst_import_options *lpOptions,
                                         fmapi_pst_stats *lpStats);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_PST_H */
