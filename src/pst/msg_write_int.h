/*
 * pst/msg_write_int.h - the messaging writer's state, shared by
 * msg_write.c (store, folders, name map) and msg_write_message.c
 * (messages, recipients, attachments).
 */
#ifndef FREEMAPI_PST_MSG_WRITE_INT_H
#define FREEMAPI_PST_MSG_WRITE_INT_H

#include "pst/msg_write.h"

#define W_STR(id) PROP_TAG(PT_UNICODE, (id))

/* Contents tables of a folder: [0] normal, [1] associated. */
typedef struct out_contents {
    fm_pst_node node;
    fm_pst_tc tc;
    bool open, done;
    uint64_t bid_data, bid_sub;
} out_contents;

typedef struct out_folder {
    uint32_t nid, parent;
    LPSPropValue props; /* one MAPI buffer */
    ULONG nprops;
    uint32_t count, unread, assoc;
    bool children;
    out_contents *contents[2];
    bool closed[2];
} out_folder;

typedef struct out_name {
    uint32_t key;    /* numeric name, or the string's offset in the string stream */
    uint32_t hash;   /* numeric name, or the string's CRC */
    uint16_t guid;   /* 1 PS_MAPI, 2 PS_PUBLIC_STRINGS, 3+ the GUID stream */
    bool string;
    uint16_t index;  /* ID - 0x8000 */
} out_name;

struct fm_pst_out {
    fm_pst_writer *w;
    uint8_t uid[16];
    WCHAR *display;
    out_folder *folders;
    size_t nfolders, capfolders;
    uint32_t ipm, finder, wastebasket;
    out_name *names;
    size_t nnames, capnames;
    uint8_t *guids;
    size_t nguids, capguids;
    uint8_t *strings;
    size_t nstrings, capstrings;
};

out_folder *fm_pst_out_find(fm_pst_out *o, uint32_t nid);
/* The columns of the tables ([MS-PST] 2.4.4.4.1, 2.4.4.5.1, 2.4.4.6.1,
 * 2.4.6.1.1, 2.4.5.1.1 templates). */
extern const ULONG fm_pst_cols_hierarchy[];
extern const unsigned fm_pst_ncols_hierarchy;
extern const ULONG fm_pst_cols_contents[];
extern const unsigned fm_pst_ncols_contents;
extern const ULONG fm_pst_cols_assoc[];
extern const unsigned fm_pst_ncols_assoc;
extern const ULONG fm_pst_cols_attach[];
extern const unsigned fm_pst_ncols_attach;
extern const ULONG fm_pst_cols_recip[];
extern const unsigned fm_pst_ncols_recip;
/* Writes a table with the columns and no rows as node nid of the node
 * B-tree (templates, empty folders' tables). */
HRESULT fm_pst_out_empty_table(fm_pst_out *o, uint32_t nid, const ULONG *cols, unsigned n);
HRESULT fm_pst_out_contents_open(fm_pst_out *o, out_folder *f, int which);

#endif /* FREEMAPI_PST_MSG_WRITE_INT_H */
