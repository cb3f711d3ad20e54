/*
 * oab/oab.h - the offline address book generator's internal pieces.
 *
 * The job (generate.c) pulls pages from the record source and hands each
 * entry to the full details writer (details.c), which encodes records
 * (encode.c) against the schema (schema.c) and passes the bytes to a sink:
 * the compressed container (container.c), a plain file (plain_sink.c), or
 * both (tee). The manifest (manifest.c) names the finished container by
 * its SHA-1 (sha1.c). reader.c and container_read.c read the files back.
 *
 * Formats ([MS-OXOAB]): all integers little-endian, structures packed.
 * CRCs use the IEEE 802.3 polynomial (reflected 0xEDB88320) seeded with
 * 0xFFFFFFFF (section 2.1) and, as that section says nothing of a final
 * complement, are stored without one (crc.c).
 */
#ifndef FREEMAPI_OAB_OAB_H
#define FREEMAPI_OAB_OAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "freemapi_oab.h"
#include "mapidefs.h"

/* ---- constants of the formats ------------------------------------------- */

#define FM_OAB_V4_FULL_VERSION 0x00000020u /* OAB_HDR.ulVersion, full details v4 */
#define FM_OAB_HDR_SIZE 12u                /* ulVersion, ulSerial, ulTotRecs */
#define FM_OAB_LZX_VERSION_HI 3u           /* LZX_HDR of a full (not patch) file */
#define FM_OAB_LZX_VERSION_LO 1u
#define FM_OAB_LZX_HDR_SIZE 16u
#define FM_OAB_LZX_BLK_SIZE 16u
#define FM_OAB_BLK_STORED 0u /* LZX_BLK.ulFlags: data stored as is */
#define FM_OAB_BLK_LZX 1u    /* LZX_BLK.ulFlags: LZX-compressed */

/* Tags the OAB uses that mapitags.h has with another type or not at all. */
#define FM_OAB_PR_EMS_AB_MEMBER_DNS PROP_TAG(PT_MV_UNICODE, 0x8009) /* members as DNs */

/* Defaults and limits of fmapi_oab_options. */
#define FM_OAB_PAGE_DEFAULT 512u
#define FM_OAB_PAGE_MAX 65536u
#define FM_OAB_BLOCK_DEFAULT (256u * 1024u)
#define FM_OAB_BLOCK_MIN 4096u
#define FM_OAB_BLOCK_MAX (1024u * 1024u)
#define FM_OAB_RECORD_DEFAULT (1024u * 1024u)
#define FM_OAB_RECORD_MIN 4096u
#define FM_OAB_RECORD_MAX (16u * 1024u * 1024u)
#define FM_OAB_PROPS_MAX 1024u

/* ---- crc.c -------------------------------------------------------------- */

#define FM_OAB_CRC_INIT 0xFFFFFFFFu
uint32_t fm_oab_crc32(uint32_t crc, const void *data, size_t n);

/* ---- sha1.c ------------------------------------------------------------- */

typedef struct fm_oab_sha1 {
    uint32_t h[5];
    uint64_t total;
    BYTE block[64];
    size_t used;
} fm_oab_sha1;

void fm_oab_sha1_init(fm_oab_sha1 *s);
void fm_oab_sha1_update(fm_oab_sha1 *s, const void *data, size_t n);
void fm_oab_sha1_final(fm_oab_sha1 *s, BYTE digest[20]);
/* SHA-1 of the file at fd from offset 0, as 40 lowercase hex digits. */
HRESULT fm_oab_sha1_fd(int fd, char hex[41]);

/* ---- fileio.c ----------------------------------------------------------- */

/* Maps errno after a failed system call to a MAPI code, with text. */
HRESULT fm_oab_io_error(int err, const char *what, const char *path);
HRESULT fm_oab_write_all(int fd, const void *data, size_t n, const char *path);
HRESULT fm_oab_pwrite_all(int fd, const void *data, size_t n, uint64_t off, const char *path);
HRESULT fm_oab_fsync_dir(int dirfd, const char *dir);
void fm_oab_put32(BYTE *p, uint32_t v);
uint32_t fm_oab_get32(const BYTE *p);

/* ---- lzx.c: the LZXD compressor of container blocks ----------------------- */

typedef struct fm_oab_lzx fm_oab_lzx;
HRESULT fm_oab_lzx_new(size_t block_max, fm_oab_lzx **out);
void fm_oab_lzx_free(fm_oab_lzx *z);
/* Compresses in[0..n) (n <= block_max) as one LZXD stream into out; returns
 * its size, or 0 when it would not fit in cap or not be smaller than n. */
size_t fm_oab_lzx_compress(fm_oab_lzx *z, const BYTE *in, size_t n, BYTE *out, size_t cap);

/* ---- sinks: where the details writer's bytes go --------------------------- */

/*
 * write appends bytes; finish is called once at the end with the final
 * first bytes of the file (the OAB_HDR, which is only known then) and must
 * put them in place and flush everything to disk.
 */
typedef struct fm_oab_sink fm_oab_sink;
struct fm_oab_sink {
    HRESULT (*write)(fm_oab_sink *s, const BYTE *data, size_t n);
    HRESULT (*finish)(fm_oab_sink *s, const BYTE *head, size_t n);
};

/* container.c: the compressed container over fd: a first stored block of
 * up to FM_OAB_FIRST_BLOCK bytes, then blocks of cbBlockMax, LZX-compressed
 * when compress is set and they shrink. */
#define FM_OAB_FIRST_BLOCK 4096u
typedef struct fm_oab_container fm_oab_container;
HRESULT fm_oab_container_open(int fd, const char *path, ULONG cbBlockMax, bool compress,
                              fm_oab_container **out);
fm_oab_sink *fm_oab_container_sink(fm_oab_container *c);
uint64_t fm_oab_container_size(const fm_oab_container *c);
void fm_oab_container_free(fm_oab_container *c);

/* plain_sink.c: the uncompressed file over fd, and a tee of two sinks. */
typedef struct fm_oab_plain {
    fm_oab_sink sink;
    int fd;
    const char *path;
} fm_oab_plain;
void fm_oab_plain_init(fm_oab_plain *p, int fd, const char *path);

typedef struct fm_oab_tee {
    fm_oab_sink sink;
    fm_oab_sink *a, *b;
} fm_oab_tee;
void fm_oab_tee_init(fm_oab_tee *t, fm_oab_sink *a, fm_oab_sink *b);

/* ---- buf.c: a byte buffer with a hard capacity ------------------------------ */

typedef struct fm_oab_buf {
    BYTE *data;
    size_t len, cap;
} fm_oab_buf;

HRESULT fm_oab_buf_init(fm_oab_buf *b, size_t cap);
void fm_oab_buf_clear(fm_oab_buf *b);
/* Reserves n more bytes and returns where they go, or NULL when past cap. */
BYTE *fm_oab_buf_take(fm_oab_buf *b, size_t n);

/* ---- schema.c ------------------------------------------------------------ */

typedef struct fm_oab_schema {
    ULONG cProps;
    fmapi_oab_prop *props;   /* owned copy */
    ULONG cSlots;            /* power of two, > 2 * cProps */
    uint16_t *slots;         /* PROP_ID -> column + 1, open addressing */
} fm_oab_schema;

HRESULT fm_oab_schema_init(fm_oab_schema *s, const fmapi_oab_prop *props, ULONG cProps);
void fm_oab_schema_clear(fm_oab_schema *s);
/* The column of a property ID, or -1. */
int fm_oab_schema_find(const fm_oab_schema *s, ULONG propid);
/* True when a column of this type can be written. */
bool fm_oab_type_writable(ULONG type);
/* True when a value of type vtype may fill a column of type ctype. */
bool fm_oab_type_matches(ULONG ctype, ULONG vtype);

/* ---- encode.c: [MS-OXOAB] 2.9.5 value encodings ---------------------------- */

HRESULT fm_oab_encode_int(fm_oab_buf *b, uint32_t v);
/* Encodes value v (whose type matches column type ctype) as ctype. */
HRESULT fm_oab_encode_value(fm_oab_buf *b, ULONG ctype, const SPropValue *v);
/* One OAB_V4_REC: cbSize, presence bits, values; vals[i] NULL = absent. */
HRESULT fm_oab_encode_record(fm_oab_buf *b, const fm_oab_schema *s, const SPropValue *const *vals);

/* ---- details.c: the full details file writer --------------------------------- */

typedef struct fm_oab_details fm_oab_details;

typedef struct fm_oab_header_info {
    const char *name, *dn, *guid;
    ULONG ulSequence;
} fm_oab_header_info;

HRESULT fm_oab_details_open(fm_oab_sink *sink, const fm_oab_schema *schema,
                            const fm_oab_header_info *hdr, ULONG cbRecordMax,
                            fm_oab_details **out);
/* Writes one address record; index is the entry's position, for messages.
 * An entry lacking a primary-key value is left out (S_OK) and counted. */
HRESULT fm_oab_details_add(fm_oab_details *d, const fmapi_oab_entry *e, ULONG index);
/* Writes the final OAB_HDR through the sink's finish. */
HRESULT fm_oab_details_finish(fm_oab_details *d);
ULONG fm_oab_details_count(const fm_oab_details *d);   /* records written */
ULONG fm_oab_details_skipped(const fm_oab_details *d); /* entries left out */
uint64_t fm_oab_details_size(const fm_oab_details *d);
void fm_oab_details_free(fm_oab_details *d);

/* ---- manifest.c ---------------------------------------------------------- */

typedef struct fm_oab_manifest_info {
    const char *name, *dn, *guid;
    ULONG ulSequence;
    uint64_t cbCompressed, cbUncompressed;
    const char *sha1;
    const char *file;
} fm_oab_manifest_info;

/* Writes oab.xml's text to fd. */
HRESULT fm_oab_manifest_write(int fd, const char *path, const fm_oab_manifest_info *m);
/* The data file a manifest in dirfd names (empty when none or unreadable). */
void fm_oab_manifest_current_file(int dirfd, char *file, size_t cap);

/* ---- reader.c: our own parser of the full details file --------------------- */

typedef struct fm_oab_read_info {
    ULONG ulVersion, ulSerial, ulTotRecs;
    ULONG cHdrProps, cProps;
    fmapi_oab_prop hdrProps[16];
    fmapi_oab_prop *props; /* valid during the callbacks */
} fm_oab_read_info;

/*
 * Called for the header record (is_header, index 0) and then each address
 * record (index from 0); props are in column order, absent ones left out,
 * strings in the column's type. Everything is valid during the call only.
 */
typedef HRESULT (*fm_oab_record_fn)(void *ctx, const fm_oab_read_info *info, bool is_header,
                                    ULONG index, ULONG cValues, const SPropValue *props);

/* Parses the full details file at path, checking ulSerial and ulTotRecs. */
HRESULT fm_oab_read_details(const char *path, fm_oab_record_fn fn, void *ctx,
                            fm_oab_read_info *info);

/* ---- container_read.c ----------------------------------------------------- */

/* Unpacks our container at in_path to out_path, checking every CRC and size. */
HRESULT fm_oab_container_unpack(const char *in_path, const char *out_path);

#endif /* FREEMAPI_OAB_OAB_H */
