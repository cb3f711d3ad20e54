/*
 * store/contents_table.h - the tables a store hands out: a folder's contents
 * (SQL-backed, contents_table.c) and the small ones (hierarchy, recipients,
 * attachments, receive folders: store_tables.c), all through the one
 * IMAPITable of src/table/.
 */
#ifndef FREEMAPI_STORE_CONTENTS_TABLE_H
#define FREEMAPI_STORE_CONTENTS_TABLE_H

#include "store/store.h"
#include "table/table.h"

/* Folder fid's contents table (associated: the FAI messages). flags:
 * MAPI_UNICODE. */
HRESULT fm_contents_table_open(fm_store *s, int64_t fid, bool associated, ULONG flags,
                               IMAPITable **out);

/* Search folder sfid's contents table (search_folder.h): the messages its
 * criteria find, where they are. flags: MAPI_UNICODE. */
HRESULT fm_search_contents_table_open(fm_store *s, int64_t sfid, ULONG flags, IMAPITable **out);

/* Whether message mid is among search folder sfid's results now. */
HRESULT fm_contents_search_has(fm_store *s, int64_t sfid, int64_t mid, bool *has);

/* Folder fid's hierarchy table: its subfolders, or with CONVENIENT_DEPTH all
 * folders below it, each with PR_DEPTH (1 for a direct subfolder). */
HRESULT fm_hierarchy_table_open(fm_store *s, int64_t fid, ULONG flags, IMAPITable **out);

/* The store's receive folder table: PR_MESSAGE_CLASS and the folder's
 * PR_ENTRYID and PR_RECORD_KEY per registered class. */
HRESULT fm_receive_table_open(fm_store *s, ULONG flags, IMAPITable **out);

#endif /* FREEMAPI_STORE_CONTENTS_TABLE_H */
