/*
 * pst/pst.h - what the files of libfreemapi-pst share: the constants of the
 * Outlook personal folders file format ([MS-PST]), little-endian access,
 * error text, memory, and the internal interfaces of its three layers.
 *
 * [MS-PST] stacks three layers, and so does this library, each in its own
 * files, the writer and the reader apart:
 *   NDB (node database: header, pages, blocks, the node and block B-trees,
 *        allocation maps)     ndb_*.c      (writer ndb_write*.c, reader ndb_read.c)
 *   LTP (heap-on-node, B-tree-on-heap, property and table contexts)
 *                             ltp_*.c      (writer ltp_write*.c, reader ltp_read.c)
 *   messaging (store, name map, folders, messages, recipients, attachments)
 *                             msg_write.c, export*.c (store -> PST), import*.c (PST -> store)
 *
 * The library is built on MAPI's public headers only (like libfreemapi-mime):
 * it reads and fills any IMsgStore through its interfaces, allocates with
 * MAPIAllocateBuffer (so its memory is counted and failure-injectable) and
 * records error text with fmapi_error_set.
 */
#ifndef FREEMAPI_PST_INTERNAL_H
#define FREEMAPI_PST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "freemapi.h"
#include "freemapi_pst.h"
#include "mapicode.h"
#include "mapidefs.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

#if defined(__GNUC__)
#define FM_PST_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FM_PST_PRINTF(a, b)
#endif

/* ---- little-endian access ------------------------------------------------ */
static inline uint16_t fm_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t fm_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}
static inline uint64_t fm_le64(const uint8_t *p)
{
    return (uint64_t)fm_le32(p) | ((uint64_t)fm_le32(p + 4) << 32);
}
static inline void fm_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void fm_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static inline void fm_put64(uint8_t *p, uint64_t v)
{
    fm_put32(p, (uint32_t)v);
    fm_put32(p + 4, (uint32_t)(v >> 32));
}

/* ---- errors and memory (base.c) ------------------------------------------ */
HRESULT fm_pst_fail(HRESULT hr, const char *fmt, ...) FM_PST_PRINTF(2, 3);
/* A failure a MAPI method returned: "what: <its text>". */
HRESULT fm_pst_fail_mapi(HRESULT hr, const char *what);
void *fm_pst_alloc(size_t n);  /* NULL when refused */
void *fm_pst_zalloc(size_t n); /* zeroed */
void fm_pst_free(void *p);
/* Grows *arr (of elem-byte items, *cap of them) to hold n; MAPI_E_NOT_ENOUGH_MEMORY. */
HRESULT fm_pst_grow(void **arr, size_t *cap, size_t n, size_t elem);

/* ---- [MS-PST] 2.2 NDB constants --------------------------------------------- */
#define PST_PAGE 512u
#define PST_HEADER_SIZE 564u /* Unicode; the ANSI header is 512 bytes */
#define PST_BLOCK_MAX 8192u
#define PST_AMAP_START 0x4400u
#define PST_AMAP_SPAN 253952u /* 496 * 8 * 64 bytes mapped by one AMap */
#define PST_DLIST_OFFSET 0x4200u
#define PST_FMAP_FIRST 128u     /* AMaps covered by the header's rgbFM */
#define PST_FMAP_SPAN 496u      /* AMaps covered by one FMap page */
#define PST_FPMAP_FIRST 8192u   /* AMaps covered by the header's rgbFP */
#define PST_FPMAP_SPAN 31744u   /* AMaps covered by one FPMap page */

#define PTYPE_BBT 0x80
#define PTYPE_NBT 0x81
#define PTYPE_FMAP 0x82
#define PTYPE_PMAP 0x83
#define PTYPE_AMAP 0x84
#define PTYPE_FPMAP 0x85
#define PTYPE_DL 0x86

#define NDB_CRYPT_NONE 0x00
#define NDB_CRYPT_PERMUTE 0x01
#define NDB_CRYPT_CYCLIC 0x02

#define PST_VER_ANSI 15
#define PST_VER_UNICODE 23
#define PST_VER_CLIENT 19

/* BID bit 1: an internal block (XBLOCK, XXBLOCK, SLBLOCK, SIBLOCK). */
#define BID_INTERNAL 0x2u

/* NID types ([MS-PST] 2.2.2.1). */
#define NID_TYPE(nid) ((nid) & 0x1Fu)
#define NID_INDEX(nid) ((nid) >> 5)
#define MAKE_NID(type, index) ((uint32_t)(((uint32_t)(index) << 5) | (type)))
#define NID_TYPE_HID 0x00
#define NID_TYPE_INTERNAL 0x01
#define NID_TYPE_NORMAL_FOLDER 0x02
#define NID_TYPE_SEARCH_FOLDER 0x03
#define NID_TYPE_NORMAL_MESSAGE 0x04
#define NID_TYPE_ATTACHMENT 0x05
#define NID_TYPE_SEARCH_UPDATE_QUEUE 0x06
#define NID_TYPE_SEARCH_CRITERIA_OBJECT 0x07
#define NID_TYPE_ASSOC_MESSAGE 0x08
#define NID_TYPE_CONTENTS_TABLE_INDEX 0x0A
#define NID_TYPE_RECEIVE_FOLDER_TABLE 0x0B
#define NID_TYPE_OUTGOING_QUEUE_TABLE 0x0C
#define NID_TYPE_HIERARCHY_TABLE 0x0D
#define NID_TYPE_CONTENTS_TABLE 0x0E
#define NID_TYPE_ASSOC_CONTENTS_TABLE 0x0F
#define NID_TYPE_SEARCH_CONTENTS_TABLE 0x10
#define NID_TYPE_ATTACHMENT_TABLE 0x11
#define NID_TYPE_RECIPIENT_TABLE 0x12
#define NID_TYPE_SEARCH_TABLE_INDEX 0x13
#define NID_TYPE_LTP 0x1F

/* Special internal NIDs ([MS-PST] 2.4.1). */
#define NID_MESSAGE_STORE 0x21u
#define NID_NAME_TO_ID_MAP 0x61u
#define NID_NORMAL_FOLDER_TEMPLATE 0xA1u
#define NID_SEARCH_FOLDER_TEMPLATE 0xC1u
#define NID_ROOT_FOLDER 0x122u
#define NID_SEARCH_MANAGEMENT_QUEUE 0x1E1u
#define NID_SEARCH_ACTIVITY_LIST 0x201u
#define NID_RESERVED1 0x241u
#define NID_SEARCH_DOMAIN_OBJECT 0x261u
#define NID_SEARCH_GATHERER_QUEUE 0x281u
#define NID_SEARCH_GATHERER_DESCRIPTOR 0x2A1u
#define NID_RESERVED2 0x2E1u
#define NID_RESERVED3 0x301u
#define NID_SEARCH_GATHERER_FOLDER_QUEUE 0x321u
#define NID_HIERARCHY_TABLE_TEMPLATE 0x60Du
#define NID_CONTENTS_TABLE_TEMPLATE 0x60Eu
#define NID_ASSOC_CONTENTS_TABLE_TEMPLATE 0x60Fu
#define NID_SEARCH_CONTENTS_TABLE_TEMPLATE 0x610u
#define NID_ATTACHMENT_TABLE 0x671u
#define NID_RECIPIENT_TABLE 0x692u

/* Message NID indexes start here, above every folder's, so the node B-tree
 * can be written as folders-and-internal nodes (kept in memory) followed by
 * messages (spilled in order): see ndb_write.c. */
#define PST_FIRST_MESSAGE_INDEX 0x10000u
#define PST_FIRST_FOLDER_INDEX 0x400u

/* ---- [MS-PST] 2.3 LTP constants --------------------------------------------- */
#define HN_SIG 0xEC
#define HN_CLIENT_TC 0x7C
#define HN_CLIENT_BTH 0xB5
#define HN_CLIENT_PC 0xBC
#define HN_MAX_ALLOC 3580u
#define HID_MAKE(page, index) ((uint32_t)(((uint32_t)(page) << 16) | ((uint32_t)(index) << 5)))
#define HID_PAGE(hid) ((hid) >> 16)
#define HID_INDEX(hid) (((hid) >> 5) & 0x7FFu)

/* LTP and messaging-layer property tags that freemapi's mapitags.h lacks. */
#define PR_LTP_ROW_ID PROP_TAG(PT_LONG, 0x67F2)
#define PR_LTP_ROW_VER PROP_TAG(PT_LONG, 0x67F3)
#define PR_NAMEID_BUCKET_COUNT PROP_TAG(PT_LONG, 0x0001)
#define PR_NAMEID_STREAM_GUID PROP_TAG(PT_BINARY, 0x0002)
#define PR_NAMEID_STREAM_ENTRY PROP_TAG(PT_BINARY, 0x0003)
#define PR_NAMEID_STREAM_STRING PROP_TAG(PT_BINARY, 0x0004)
#define PST_NAMEID_BUCKET_BASE 0x1000u
#define PST_NAMEID_BUCKETS 251u
#define PR_PST_PASSWORD_TAG PROP_TAG(PT_LONG, 0x67FF)
#define PR_IPM_SUBTREE_ENTRYID_TAG PROP_TAG(PT_BINARY, 0x35E0)
#define PR_IPM_WASTEBASKET_ENTRYID_TAG PROP_TAG(PT_BINARY, 0x35E3)
#define PR_FINDER_ENTRYID_TAG PROP_TAG(PT_BINARY, 0x35E7)
#define PR_VALID_FOLDER_MASK_TAG PROP_TAG(PT_LONG, 0x35DF)

/* freemapi's property set for what the importer records on each message:
 * "FreemapiPstSource", PT_BINARY, the PST's record key (16 bytes) and the
 * message's NID (4, little-endian), so that a re-run skips it. The writer
 * registers the name in every PST it writes (libpff refuses a name map with
 * no entries, and Outlook's always has some). */
extern const GUID fm_pst_psetid;
#define FM_PST_SOURCE_NAME "FreemapiPstSource"

/* ---- codec.c: CRC, signatures, block encodings ------------------------------ */
uint32_t fm_pst_crc(uint32_t crc, const void *data, size_t n);
uint16_t fm_pst_sig(uint64_t ib, uint64_t bid);
/* Encodes (writing) or decodes data in place with method (NDB_CRYPT_*);
 * key is the block's BID (cyclic encoding only). */
void fm_pst_encode(uint8_t method, uint64_t bid, uint8_t *data, size_t n);
void fm_pst_decode(uint8_t method, uint64_t bid, uint8_t *data, size_t n);

/* ---- the format's geometry (ndb_layout.c), shared by writer and reader ------ */
typedef struct fm_pst_format {
    bool ansi;
    unsigned id_size;      /* BID, IB: 4 (ANSI) or 8 (Unicode) */
    unsigned trailer_size; /* page and block trailers: 12 or 16 */
    unsigned page_entries; /* bytes of rgentries in a B-tree page: 496 or 488 */
    unsigned nbt_entry;    /* NBTENTRY: 16 or 32 */
    unsigned bbt_entry;    /* BBTENTRY: 12 or 24 */
    unsigned bt_entry;     /* BTENTRY: 12 or 24 */
    unsigned block_data;   /* most data bytes in a block: 8180 or 8176 */
    unsigned xblock_ids;   /* BIDs in an XBLOCK: 2043 or 1021 */
    unsigned sl_entry;     /* SLENTRY: 12 or 24 */
    unsigned si_entry;     /* SIENTRY: 8 or 16 */
    unsigned sl_header;    /* SLBLOCK header: 4 or 8 */
} fm_pst_format;

void fm_pst_format_init(fm_pst_format *f, bool ansi);
/* Offset of the AMap page of interval k, and the pages reserved at its start
 * (AMap, PMap every 8th, FMap and FPMap where due). */
uint64_t fm_pst_amap_offset(uint64_t k);
unsigned fm_pst_amap_reserved(uint64_t k, uint64_t *pmap, uint64_t *fmap, uint64_t *fpmap);
/* Block size on disk: data plus trailer rounded up to 64 bytes. */
static inline uint32_t fm_pst_block_size(const fm_pst_format *f, uint32_t cb)
{
    return (cb + f->trailer_size + 63u) & ~63u;
}

/* ---- NDB writer (ndb_write.c, ndb_write_tree.c) ------------------------------ */
typedef struct fm_pst_writer fm_pst_writer;

typedef struct fm_pst_bref {
    uint64_t bid;
    uint64_t ib;
} fm_pst_bref;

/* Opens path for writing (created 0600, truncated). flags: FMAPI_PST_ANSI,
 * crypt: NDB_CRYPT_*. */
HRESULT fm_pst_writer_open(const char *path, bool ansi, uint8_t crypt, fm_pst_writer **out);
/* Test hook: the next allocation starts at or after offset (sparse file). */
HRESULT fm_pst_writer_skip_to(fm_pst_writer *w, uint64_t offset);
const fm_pst_format *fm_pst_writer_format(const fm_pst_writer *w);
/* Writes one data block (external: encoded) or internal block; *bid out. */
HRESULT fm_pst_write_block(fm_pst_writer *w, const void *data, uint32_t cb, bool internal,
                           uint64_t *bid);
/* A node in the node B-tree. */
HRESULT fm_pst_writer_add_node(fm_pst_writer *w, uint32_t nid, uint64_t bid_data,
                               uint64_t bid_sub, uint32_t nid_parent);
/* The next NID of a type (the header's rgnid counter). */
uint32_t fm_pst_writer_new_nid(fm_pst_writer *w, unsigned type);
/* Writes the B-trees, maps and header, and closes. The writer is freed
 * either way; on failure the file is removed. */
HRESULT fm_pst_writer_finish(fm_pst_writer *w);
void fm_pst_writer_abort(fm_pst_writer *w);
uint64_t fm_pst_writer_size(const fm_pst_writer *w);

/* A node's data stream: data blocks, and XBLOCK/XXBLOCK above them. */
typedef struct fm_pst_stream_writer {
    fm_pst_writer *w;
    uint8_t *buf; /* block_data bytes */
    uint32_t used;
    uint64_t total;
    /* leaf BIDs of the XBLOCK being filled, and XBLOCK BIDs of the XXBLOCK */
    uint64_t *leaf;
    uint32_t nleaf;
    uint64_t leaf_total;
    uint64_t *mid;
    uint32_t nmid;
    uint64_t nblocks;
    bool reserve_first; /* leaf 0 is supplied at the end (heap page 0) */
    bool first_is_set;
    uint64_t first_bid;
    uint64_t *held; /* the first XBLOCK, kept back until leaf 0 is known */
    uint32_t nheld;
    uint64_t held_total;
} fm_pst_stream_writer;

HRESULT fm_pst_stream_init(fm_pst_stream_writer *s, fm_pst_writer *w);
HRESULT fm_pst_stream_write(fm_pst_stream_writer *s, const void *data, size_t n);
/* Ends the current block here (heap pages and table rows never span). */
HRESULT fm_pst_stream_cut(fm_pst_stream_writer *s);
/* Heaps: leaf 0 is written last; this reserves its place... */
void fm_pst_stream_reserve_first(fm_pst_stream_writer *s);
/* ...and this writes it. */
HRESULT fm_pst_stream_set_first(fm_pst_stream_writer *s, const void *data, uint32_t cb);
/* Finishes: *bid is the data block or the X(X)BLOCK (0 for no data). */
HRESULT fm_pst_stream_finish(fm_pst_stream_writer *s, uint64_t *bid);
void fm_pst_stream_clear(fm_pst_stream_writer *s);

/* A node's subnodes (SLENTRY list), written as SLBLOCKs and an SIBLOCK. */
typedef struct fm_pst_subnode {
    uint32_t nid;
    uint64_t bid_data;
    uint64_t bid_sub;
} fm_pst_subnode;

typedef struct fm_pst_subnodes {
    fm_pst_subnode *v;
    size_t n, cap;
    uint32_t next_index; /* local NID counter */
} fm_pst_subnodes;

HRESULT fm_pst_subnodes_add(fm_pst_subnodes *l, uint32_t nid, uint64_t bid_data, uint64_t bid_sub);
uint32_t fm_pst_subnodes_new_nid(fm_pst_subnodes *l, unsigned type);
HRESULT fm_pst_subnodes_write(fm_pst_writer *w, fm_pst_subnodes *l, uint64_t *bid);
void fm_pst_subnodes_clear(fm_pst_subnodes *l);

/* ---- LTP writer (ltp_write_heap.c, ltp_write_pc.c, ltp_write_tc.c) ------------ */
/* A node being written: its data stream and its subnodes. */
typedef struct fm_pst_node {
    fm_pst_writer *w;
    fm_pst_stream_writer data;
    fm_pst_subnodes subs;
} fm_pst_node;

HRESULT fm_pst_node_init(fm_pst_node *n, fm_pst_writer *w);
void fm_pst_node_clear(fm_pst_node *n);
/* Writes what is pending: data BID and subnode BID out. */
HRESULT fm_pst_node_finish(fm_pst_node *n, uint64_t *bid_data, uint64_t *bid_sub);

/* A heap-on-node written page by page; page 0 stays in memory to the end. */
typedef struct fm_pst_heap_page {
    uint8_t *buf;
    uint16_t *offs; /* start of each allocation */
    uint16_t n;
    uint32_t end; /* first free byte */
    uint32_t index;
} fm_pst_heap_page;

typedef struct fm_pst_heap {
    fm_pst_node *node;
    uint8_t client;
    unsigned cap;
    fm_pst_heap_page p0, cur;
    bool has_cur;
    uint8_t fill0[8]; /* fill levels of pages 0-7 (page 0's header) */
    uint32_t user_root;
} fm_pst_heap;

HRESULT fm_pst_heap_init(fm_pst_heap *h, fm_pst_node *node, uint8_t client);
/* Allocates n bytes (n <= HN_MAX_ALLOC); *ptr valid until the next
 * allocation (page 0's stay valid to the end). n == 0 gives an empty allocation. */
HRESULT fm_pst_heap_alloc(fm_pst_heap *h, size_t n, uint32_t *hid, uint8_t **ptr);
/* Allocates on page 0 (which must still have room): stays patchable. */
HRESULT fm_pst_heap_alloc0(fm_pst_heap *h, size_t n, uint32_t *hid, uint8_t **ptr);
uint8_t *fm_pst_heap_ptr0(fm_pst_heap *h, uint32_t hid);
HRESULT fm_pst_heap_finish(fm_pst_heap *h);
void fm_pst_heap_clear(fm_pst_heap *h);

/* A B-tree-on-heap built from records given in key order. */
typedef struct fm_pst_bth {
    fm_pst_heap *heap;
    uint32_t hid_header;
    uint8_t cb_key, cb_ent;
    uint8_t *leaf; /* records of the leaf allocation being filled */
    uint32_t nleaf;
    /* index records (key + HID) of the levels above, in memory */
    uint8_t *up[8];
    size_t nup[8], capup[8];
    uint32_t count;
} fm_pst_bth;

HRESULT fm_pst_bth_init(fm_pst_bth *b, fm_pst_heap *heap, uint8_t cb_key, uint8_t cb_ent);
HRESULT fm_pst_bth_add(fm_pst_bth *b, const uint8_t *record);
HRESULT fm_pst_bth_finish(fm_pst_bth *b);
void fm_pst_bth_clear(fm_pst_bth *b);

/* A property context: values set one by one, written as a BTH at the end. */
typedef struct fm_pst_pc {
    fm_pst_node *node;
    fm_pst_heap heap;
    fm_pst_bth bth;
    uint8_t *recs; /* 8-byte records: id, type, value/HNID */
    size_t nrec, caprec;
} fm_pst_pc;

HRESULT fm_pst_pc_init(fm_pst_pc *pc, fm_pst_node *node);
/* Sets one value (any type; strings PT_UNICODE as UTF-16, PT_STRING8 as
 * bytes); large values go to subnodes. */
HRESULT fm_pst_pc_set(fm_pst_pc *pc, const SPropValue *v);
/* A value in pieces (a stream): begin, write any number of times, end. */
typedef struct fm_pst_pc_stream {
    fm_pst_pc *pc;
    ULONG tag;
    uint8_t *small;
    uint32_t nsmall;
    bool big;
    fm_pst_stream_writer data;
} fm_pst_pc_stream;
HRESULT fm_pst_pc_stream_begin(fm_pst_pc *pc, ULONG tag, fm_pst_pc_stream *s);
HRESULT fm_pst_pc_stream_write(fm_pst_pc_stream *s, const void *data, size_t n);
HRESULT fm_pst_pc_stream_end(fm_pst_pc_stream *s);
void fm_pst_pc_stream_clear(fm_pst_pc_stream *s);
/* A PT_OBJECT value naming a subnode (embedded message). */
HRESULT fm_pst_pc_set_object(fm_pst_pc *pc, ULONG tag, uint32_t nid, uint32_t size);
bool fm_pst_pc_has(const fm_pst_pc *pc, ULONG tag);
HRESULT fm_pst_pc_finish(fm_pst_pc *pc);
void fm_pst_pc_clear(fm_pst_pc *pc);

/* A table context: fixed columns, rows added in row-ID order. */
typedef struct fm_pst_tc_col {
    ULONG tag;
    uint16_t ib;
    uint8_t cb;
    uint8_t bit;
} fm_pst_tc_col;

typedef struct fm_pst_tc {
    fm_pst_node *node;
    fm_pst_heap heap;
    fm_pst_bth index;
    fm_pst_tc_col *cols;
    unsigned ncols;
    uint16_t rgib[4];
    uint32_t row_size;
    uint32_t rows_per_block;
    uint32_t rows_in_block;
    uint32_t nrows;
    uint32_t hid_info;
    uint32_t nid_rows;
    uint8_t *row;
    fm_pst_stream_writer matrix;
} fm_pst_tc;

/* tags: the columns besides PR_LTP_ROW_ID/VER, which are added. */
HRESULT fm_pst_tc_init(fm_pst_tc *tc, fm_pst_node *node, const ULONG *tags, unsigned ntags);
HRESULT fm_pst_tc_add_row(fm_pst_tc *tc, uint32_t row_id, const SPropValue *props, ULONG nprops);
HRESULT fm_pst_tc_finish(fm_pst_tc *tc);
void fm_pst_tc_clear(fm_pst_tc *tc);

/* Value encoding shared by PCs and TCs (ltp_write_pc.c). */
unsigned fm_pst_fixed_size(ULONG type);
bool fm_pst_type_supported(ULONG type);
HRESULT fm_pst_value_encode(const SPropValue *v, uint8_t **out, size_t *len);

/* The length of a NUL-terminated UTF-16 string in units (base.c). */
size_t fm_pst_wcslen(const WCHAR *w);

#endif /* FREEMAPI_PST_INTERNAL_H */
