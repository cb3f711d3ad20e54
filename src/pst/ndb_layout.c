/*
 * pst/ndb_layout.c - the geometry of a PST file that writer and reader
 * agree on: sizes of the ANSI and Unicode structures ([MS-PST] 2.2.2), and
 * where the allocation map pages sit.
 *
 * The file after 0x4400 is cut into intervals of 253,952 bytes, each
 * starting with its AMap page ([MS-PST] 2.2.2.7.2), which maps the
 * interval's 64-byte slots (itself included). Every eighth interval starts
 * with a PMap after its AMap (2.2.2.7.3); FMaps (2.2.2.7.4) cover 496
 * AMaps each after the 128 the header's rgbFM covers, and FPMaps
 * (2.2.2.7.5) 496 * 8 PMaps after the header's rgbFP. PMap, FMap and FPMap
 * are deprecated by the density list but must be present at their places:
 * this file places the first FMap in interval 128 and one every 496
 * intervals after it, and the first FPMap in interval 8192 and one every
 * 31,744 after it (the specification's coverage counts; its exact wording
 * on these offsets was not available when this was written).
 */
#include "pst/pst.h"

void fm_pst_format_init(fm_pst_format *f, bool ansi)
{
    f->ansi = ansi;
    f->id_size = ansi ? 4 : 8;
    f->trailer_size = ansi ? 12 : 16;
    f->page_entries = ansi ? 496 : 488;
    f->nbt_entry = ansi ? 16 : 32;
    f->bbt_entry = ansi ? 12 : 24;
    f->bt_entry = ansi ? 12 : 24;
    f->block_data = PST_BLOCK_MAX - f->trailer_size;
    f->xblock_ids = (f->block_data - 8) / f->id_size;
    f->sl_entry = ansi ? 12 : 24;
    f->si_entry = ansi ? 8 : 16;
    f->sl_header = ansi ? 4 : 8;
}

uint64_t fm_pst_amap_offset(uint64_t k)
{
    return PST_AMAP_START + k * (uint64_t)PST_AMAP_SPAN;
}

static bool fmap_due(uint64_t k)
{
    return k >= PST_FMAP_FIRST && (k - PST_FMAP_FIRST) % PST_FMAP_SPAN == 0;
}

static bool fpmap_due(uint64_t k)
{
    return k >= PST_FPMAP_FIRST && (k - PST_FPMAP_FIRST) % PST_FPMAP_SPAN == 0;
}

unsigned fm_pst_amap_reserved(uint64_t k, uint64_t *pmap, uint64_t *fmap, uint64_t *fpmap)
{
    uint64_t at = fm_pst_amap_offset(k) + PST_PAGE;
    unsigned pages = 1;
    *pmap = *fmap = *fpmap = 0;
    if (k % 8 == 0) {
        *pmap = at;
        at += PST_PAGE;
        pages++;
    }
    if (fmap_due(k)) {
        *fmap = at;
        at += PST_PAGE;
        pages++;
    }
    if (fpmap_due(k)) {
        *fpmap = at;
        pages++;
    }
    return pages;
}
