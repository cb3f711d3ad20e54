/*
 * pst/ndb_read.h - the NDB layer of the PST reader ([MS-PST] 2.2): the
 * header, the node and block B-trees, blocks and their data trees, and
 * subnode trees, for ANSI and Unicode files, with every structure checked
 * before it is trusted: a bad value is MAPI_E_CORRUPT_DATA with text
 * naming the file offset.
 */
#ifndef FREEMAPI_PST_NDB_READ_H
#define FREEMAPI_PST_NDB_READ_H

#include "pst/pst.h"

typedef struct fm_pst_file fm_pst_file;

typedef struct fm_pst_node_ref {
    uint32_t nid;
    uint32_t parent;
    uint64_t bid_data;
    uint64_t bid_sub;
} fm_pst_node_ref;

/* Opens a PST or OST file for reading. */
HRESULT fm_pst_file_open(const char *path, fm_pst_file **out);
/* The same over bytes in memory (the fuzzer), not copied. */
HRESULT fm_pst_file_open_mem(const uint8_t *data, size_t n, fm_pst_file **out);
void fm_pst_file_close(fm_pst_file *f);
const fm_pst_format *fm_pst_file_format(const fm_pst_file *f);
const char *fm_pst_file_name(const fm_pst_file *f);

/* A node of the node B-tree; MAPI_E_NOT_FOUND when absent. */
HRESULT fm_pst_nbt_find(fm_pst_file *f, uint32_t nid, fm_pst_node_ref *out);
/* Every node in NID order. A damaged page is reported to damage (its
 * subtree skipped) and the walk goes on; fn returning an error stops it. */
typedef HRESULT (*fm_pst_node_fn)(void *ctx, const fm_pst_node_ref *node);
typedef void (*fm_pst_damage_fn)(void *ctx, HRESULT hr, const char *text);
HRESULT fm_pst_nbt_walk(fm_pst_file *f, fm_pst_node_fn fn, fm_pst_damage_fn damage, void *ctx);

/* A node's data: its blocks in order (each decoded), in memory. Data
 * larger than limit bytes is MAPI_E_TOO_BIG. */
typedef struct fm_pst_data {
    uint8_t **block;
    uint32_t *len;
    uint32_t n, cap;
    uint64_t total;
} fm_pst_data;
HRESULT fm_pst_data_read(fm_pst_file *f, uint64_t bid, uint64_t limit, fm_pst_data *out);
void fm_pst_data_clear(fm_pst_data *d);
/* The same block by block to fn, holding one block of memory. */
typedef HRESULT (*fm_pst_bytes_fn)(void *ctx, const uint8_t *data, uint32_t n);
HRESULT fm_pst_data_stream(fm_pst_file *f, uint64_t bid, fm_pst_bytes_fn fn, void *ctx);
/* The byte count of a node's data, from its top block alone. */
HRESULT fm_pst_data_size(fm_pst_file *f, uint64_t bid, uint64_t *size);

/* Where block bid sits in the file and its size (diagnostics, tests). */
HRESULT fm_pst_block_where(fm_pst_file *f, uint64_t bid, uint64_t *ib, uint16_t *cb);

/* A node's subnodes (every SLENTRY below bid_sub), sorted by NID. */
HRESULT fm_pst_subs_read(fm_pst_file *f, uint64_t bid_sub, fm_pst_subnodes *out);
const fm_pst_subnode *fm_pst_subs_find(const fm_pst_subnodes *l, uint32_t nid);

#endif /* FREEMAPI_PST_NDB_READ_H */
