/*
 * freemapi_oab.h - generating the offline address book (freemapi's
 * extension): the OAB version 4 full details file of [MS-OXOAB] section 2.9,
 * packed in the compressed container of [MS-OXOAB] (LZX_HDR and LZX_BLK
 * blocks, each LZX DELTA-compressed ([MS-PATCH]) or stored), plus the
 * oab.xml manifest that lists it.
 *
 * The entries come from a record source: a callback that hands over the
 * directory one page at a time. The generator writes each page as it gets
 * it, so its memory is bounded by the page and record sizes, never by the
 * number of entries, and it allocates its whole working set when it starts:
 * a shortage of memory elsewhere in the process cannot fail it half-way.
 *
 * Files in the output directory:
 *   oab.xml                       the manifest, replaced atomically
 *   oab-<seq>-<sha1 prefix>.lzx   the compressed full details file
 *   oab-<seq>-<sha1 prefix>.oab   its uncompressed form, with
 *                                 FMAPI_OAB_WRITE_UNCOMPRESSED only
 *   .fm-oab.lock                  held while a generation runs
 * A reader reads oab.xml and then the file it names; the data file is in
 * place before the manifest that names it, and the file the previous
 * manifest named is kept until the next generation, so a reader always
 * sees a complete, consistent set. A failure or a kill at any point leaves
 * the previous set as it was; the next run removes the leftovers.
 */
#ifndef FREEMAPI_OAB_H
#define FREEMAPI_OAB_H

#include "mapidefs.h"

FREEMAPI_BEGIN_DECLS

/* One directory entry: its properties (see fmapi_oab_prop for the types). */
typedef struct fmapi_oab_entry {
    ULONG cValues;
    const SPropValue *lpProps;
} fmapi_oab_entry;

/*
 * The record source. next_page returns up to cMax entries in
 * *lppEntries / *lpcEntries; 0 entries means the end of the directory. The
 * entries belong to the source and stay valid until its next call. A
 * failure code ends the generation with that code (the previous OAB stays).
 */
typedef HRESULT (*fmapi_oab_next_page_fn)(void *ctx, ULONG cMax, ULONG *lpcEntries,
                                          const fmapi_oab_entry **lppEntries);

typedef struct fmapi_oab_source {
    void *ctx;
    fmapi_oab_next_page_fn next_page;
} fmapi_oab_source;

/* Flags of an address-record property ([MS-OXOAB] 2.9.4 OAB_PROP_REC). */
#define FMAPI_OAB_ANR ((ULONG)0x00000001)         /* used for name resolution */
#define FMAPI_OAB_PRIMARY_KEY ((ULONG)0x00000002) /* a primary key: every record has it */

/*
 * One column of the address records. An entry with no value for a
 * FMAPI_OAB_PRIMARY_KEY column is left out of the OAB and counted in
 * fmapi_oab_result.cSkipped (one such entry, a distribution list without an
 * SMTP address for instance, never fails the generation). The tag's type is
 * how the value is written: PT_LONG, PT_BOOLEAN, PT_STRING8, PT_UNICODE, PT_BINARY, PT_MV_LONG,
 * PT_MV_STRING8, PT_MV_UNICODE, PT_MV_BINARY (strings are written as UTF-8).
 * An entry's value matches a column by property ID; string values may be
 * of either width. PT_ERROR and PT_NULL values count as absent.
 */
typedef struct fmapi_oab_prop {
    ULONG ulPropTag;
    ULONG ulFlags;
} fmapi_oab_prop;

/* Flags of fmapi_oab_options. */
#define FMAPI_OAB_WRITE_UNCOMPRESSED ((ULONG)0x00000001) /* also keep the .oab file */
#define FMAPI_OAB_STORE_BLOCKS ((ULONG)0x00000002)       /* no LZX: faster, larger */

typedef struct fmapi_oab_options {
    ULONG ulFlags;
    const char *name;  /* the address list's display name (UTF-8), e.g. "\\Global Address List" */
    const char *dn;    /* the address list's distinguished name (UTF-8) */
    const char *guid;  /* the address list's identifier, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
    ULONG ulSequence;  /* the OAL data sequence number, >= 1 */
    ULONG cPageSize;   /* entries asked of the source per page; 0: 512 */
    ULONG cbBlockMax;  /* bytes per container block, 4096..1048576; 0: 262144 */
    ULONG cbRecordMax; /* largest address record, 4096..16777216; 0: 1048576 */
    ULONG cProps;      /* columns of the address records; 0: the default set */
    const fmapi_oab_prop *lpProps;
} fmapi_oab_options;

/* What a generation produced. */
typedef struct fmapi_oab_result {
    ULONG cEntries;              /* address records written */
    ULONGLONG cbCompressed;      /* size of the .lzx file */
    ULONGLONG cbUncompressed;    /* size of the full details file */
    char szFile[64];             /* the .lzx file's name in the directory */
    char szSha1[41];             /* its SHA-1, lowercase hex, as in the manifest */
    ULONG cSkipped;              /* entries left out: no value for a primary-key column */
} fmapi_oab_result;

/*
 * Generates the OAB into the existing directory dir (UTF-8 path) from
 * source, replacing the previous one atomically; lpResult may be NULL.
 * Entries without a primary-key value are left out and counted in
 * lpResult->cSkipped; the call still succeeds.
 * One generation at a time per directory (others wait on the lock file).
 *
 * Errors (text in fmapi_last_error()); each leaves the previous OAB intact:
 *   MAPI_E_INVALID_PARAMETER  NULL arguments, empty name/dn/guid, sequence 0,
 *                             sizes out of range, a bad column list, a
 *                             string that is not valid UTF-8/UTF-16
 *   MAPI_E_UNKNOWN_FLAGS      other option flags or column flags
 *   MAPI_E_INVALID_TYPE       a column type that cannot be written, or an
 *                             entry value of a type that does not match it
 *   MAPI_E_TOO_BIG            a record larger than cbRecordMax, or a file
 *                             beyond the format's 4 GiB
 *   MAPI_E_NOT_FOUND          dir does not exist
 *   MAPI_E_NO_ACCESS          dir cannot be written
 *   MAPI_E_NOT_ENOUGH_DISK, MAPI_E_DISK_ERROR, MAPI_E_NOT_ENOUGH_MEMORY,
 *   or the source's own code.
 */
FREEMAPI_PUBLIC HRESULT fmapi_oab_generate(const fmapi_oab_source *source, const char *dir,
                                           const fmapi_oab_options *options,
                                           fmapi_oab_result *lpResult);

/* The default columns of the address records (count in *lpcProps). */
FREEMAPI_PUBLIC const fmapi_oab_prop *fmapi_oab_default_props(ULONG *lpcProps);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_OAB_H */
