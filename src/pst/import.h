/*
 * pst/import.h - what the importer's files share (import.c walks the file
 * and its folders; import_message.c fills one message).
 */
#ifndef FREEMAPI_PST_IMPORT_H
#define FREEMAPI_PST_IMPORT_H

#include "pst/ltp_read.h"

#define FM_PST_MAX_NESTING 64
/* Messages saved in one transaction: saving each alone costs a commit per
 * message; a group is all or none, and a group that fails is saved again
 * message by message, so one bad message never costs its neighbours. */
#define FM_PST_GROUP 50

typedef struct imp_folder {
    uint32_t nid, parent;
    bool tried, mapped, damaged;
    LPENTRYID eid; /* MAPI buffer */
    ULONG cb_eid;
    uint32_t *done; /* NIDs imported by earlier runs, sorted */
    size_t ndone, capdone;
    bool loaded;
} imp_folder;

typedef struct imp_name {
    GUID guid;
    bool string;
    uint32_t num;
    WCHAR *str; /* fm_pst_alloc */
} imp_name;

typedef struct fm_pst_import {
    LPMDB mdb;
    LPMAPIFOLDER root;
    fm_pst_file *f;
    uint8_t key[16];
    uint32_t ipm;
    imp_folder *folders;
    size_t nfolders, capfolders;
    imp_name *names;
    size_t nnames;
    ULONG *dest_ids; /* per name; 0: not yet asked */
    ULONG marker;
    fmapi_pst_stats *st;
    const fmapi_pst_import_options *opt;
    uint64_t total, done;
    LPMAPIFOLDER open;
    uint32_t open_nid;
    /* filled messages waiting for one group save (fmapi_message_save_group) */
    LPMESSAGE group[FM_PST_GROUP];
    uint64_t group_atts[FM_PST_GROUP];
    ULONG ngroup;
    HRESULT stop; /* a failure that ends the walk */
} fm_pst_import;

void fm_pst_import_damage(fm_pst_import *im, HRESULT hr, const char *text);
/* Maps a PST tag to the destination's (named IDs through the name map);
 * 0 when it cannot be. */
ULONG fm_pst_import_tag(fm_pst_import *im, ULONG tag);
/* Saves the messages waiting in the group. */
HRESULT fm_pst_import_flush(fm_pst_import *im);
/* Imports message node into folder f. */
HRESULT fm_pst_import_message(fm_pst_import *im, imp_folder *f, const fm_pst_node_ref *node);

#endif /* FREEMAPI_PST_IMPORT_H */
