/*
 * pst/ndb_write.h - the NDB writer's state, shared by ndb_write.c (space,
 * blocks, nodes) and ndb_write_tree.c (the B-trees, maps and header
 * written at the end). Nothing above the NDB layer sees inside.
 */
#ifndef FREEMAPI_PST_NDB_WRITE_H
#define FREEMAPI_PST_NDB_WRITE_H

#include "pst/pst.h"

#define PST_ANSI_MAX_SIZE 0x7FFFC000ull
#define PST_BT_LEVELS 8

typedef struct fm_pst_nbt_rec {
    uint32_t nid;
    uint32_t parent;
    uint64_t bid_data;
    uint64_t bid_sub;
} fm_pst_nbt_rec;

/* A B-tree written as a stream of entries in key order: one page per level
 * in memory. */
typedef struct fm_pst_btree_builder {
    uint8_t ptype;
    unsigned leaf_size, leaf_max, int_max;
    uint8_t page[PST_BT_LEVELS][PST_PAGE];
    unsigned n[PST_BT_LEVELS];
    uint64_t first_key[PST_BT_LEVELS];
    bool wrote[PST_BT_LEVELS]; /* a page of this level went out already */
} fm_pst_btree_builder;

struct fm_pst_writer {
    fm_pst_format f;
    int fd;
    char *path, *tmp_path;
    uint8_t crypt;
    HRESULT err; /* the first I/O failure: every later write returns it */
    uint64_t eof;
    uint64_t next_bid, next_pid;
    uint32_t rgnid[32];
    uint8_t *blockbuf;
    uint8_t *blockbuf2; /* internal blocks being composed */
    /* the open allocation-map interval */
    uint64_t amap_k;
    uint8_t amap[PST_PAGE];
    uint8_t *fmap; /* longest free run of every closed AMap */
    size_t capfmap;
    uint16_t *freeslots; /* free slots of every closed AMap */
    size_t capfree;
    uint64_t amap_free_bytes;
    /* nodes: folders and internal ones here, messages spilled */
    fm_pst_nbt_rec *nodes;
    size_t nnodes, capnodes;
    FILE *spill;
    uint64_t nspilled;
    uint32_t last_spilled;
    fm_pst_btree_builder bbt;
};

HRESULT fm_pst_pwrite(fm_pst_writer *w, const void *data, size_t n, uint64_t off);
HRESULT fm_pst_alloc_space(fm_pst_writer *w, uint32_t size, uint32_t align, uint64_t *ib);
void fm_pst_page_trailer(fm_pst_writer *w, uint8_t *page, uint8_t ptype, uint64_t bid);
HRESULT fm_pst_write_page(fm_pst_writer *w, uint8_t *page, uint8_t ptype, fm_pst_bref *out);
HRESULT fm_pst_amap_close_last(fm_pst_writer *w);
HRESULT fm_pst_tree_init(fm_pst_writer *w);
HRESULT fm_pst_bbt_add(fm_pst_writer *w, uint64_t bid, uint64_t ib, uint16_t cb);

#endif /* FREEMAPI_PST_NDB_WRITE_H */
