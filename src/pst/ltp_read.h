/*
 * pst/ltp_read.h - the LTP layer of the PST reader ([MS-PST] 2.3): heaps,
 * BTHs, property contexts and table contexts, read into MAPI property
 * values. Every offset, count and HNID is checked against what holds it.
 */
#ifndef FREEMAPI_PST_LTP_READ_H
#define FREEMAPI_PST_LTP_READ_H

#include "pst/ndb_read.h"

/* The most a node's heap may hold in memory (a message's small values; a
 * table's rows are read separately). */
#define FM_PST_HEAP_LIMIT (64u << 20)
/* Values in subnodes up to this size are read into memory; larger ones are
 * returned as references to stream. */
#define FM_PST_VALUE_INLINE_LIMIT (1u << 20)

typedef struct fm_pst_heap_r {
    fm_pst_file *f;
    fm_pst_data d;
    uint8_t client;
    uint32_t user_root;
} fm_pst_heap_r;

HRESULT fm_pst_heap_open(fm_pst_file *f, uint64_t bid, uint8_t client, fm_pst_heap_r *out);
void fm_pst_heap_close(fm_pst_heap_r *h);
/* The bytes of an allocation (hid 0: none, n = 0). */
HRESULT fm_pst_heap_get(fm_pst_heap_r *h, uint32_t hid, const uint8_t **p, uint32_t *n);

/* A value too large to read into memory: its subnode's data to stream. */
typedef struct fm_pst_big {
    ULONG tag;
    uint64_t bid;
    uint64_t size;
} fm_pst_big;

/* A PC read: values in one MAPI buffer (props, the caller frees it with
 * MAPIFreeBuffer), large ones in big (fm_pst_free), PT_OBJECT values as
 * (tag, subnode NID) in objects. codepage: for PT_STRING8 values (0: take
 * PR_MESSAGE_CODEPAGE or PR_INTERNET_CPID from the PC, else 1252). */
typedef struct fm_pst_pc_r {
    LPSPropValue props;
    ULONG n;
    fm_pst_big *big;
    size_t nbig, capbig;
    ULONG obj_tag[4];
    uint32_t obj_nid[4];
    unsigned nobj;
    unsigned bad_values; /* values that could not be read (skipped) */
} fm_pst_pc_r;

HRESULT fm_pst_pc_read(fm_pst_file *f, uint64_t bid_data, const fm_pst_subnodes *subs,
                       fm_pst_pc_r *out);
void fm_pst_pc_r_clear(fm_pst_pc_r *pc);

/* A TC: columns and rows. */
typedef struct fm_pst_tc_r {
    fm_pst_heap_r h;
    fm_pst_file *f;
    const fm_pst_subnodes *subs;
    fm_pst_tc_col *cols;
    unsigned ncols;
    uint16_t rgib[4];
    fm_pst_data rows; /* blocks of whole rows */
    const uint8_t *hrows; /* or one heap allocation */
    uint32_t nhrows;
    uint32_t nrows;
} fm_pst_tc_r;

HRESULT fm_pst_tc_open(fm_pst_file *f, uint64_t bid_data, const fm_pst_subnodes *subs,
                       fm_pst_tc_r *out);
void fm_pst_tc_close(fm_pst_tc_r *tc);
/* Row i as values in one MAPI buffer (caller frees); *row_id out. */
HRESULT fm_pst_tc_row(fm_pst_tc_r *tc, uint32_t i, LPSPropValue *props, ULONG *n,
                      uint32_t *row_id);

/* Decodes value bytes of type t into v, allocating onto root. */
HRESULT fm_pst_value_decode(ULONG tag, const uint8_t *b, uint32_t n, unsigned codepage,
                            void *root, SPropValue *v);

#endif /* FREEMAPI_PST_LTP_READ_H */
