/*
 * store/folder_row.h - a folder's row in the folders table (folder_row.c):
 * what IMAPIFolder and the bulk operations read and write of a folder.
 */
#ifndef FREEMAPI_STORE_FOLDER_ROW_H
#define FREEMAPI_STORE_FOLDER_ROW_H

#include "store/object.h"

typedef struct fm_folder_row {
    int64_t parent_fid;
    ULONG folder_type;
    int64_t created;
    int64_t modified;
    char *display_name; /* fm_malloc */
    void *props;        /* fm_malloc */
    size_t props_len;
} fm_folder_row;

/* MAPI_E_NOT_FOUND when fid is not a live folder. */
HRESULT fm_folder_read(fm_store *s, int64_t fid, fm_folder_row *row);
/* Empties row (the struct itself is the caller's). */
void fm_folder_row_clear(fm_folder_row *row);

/* Whether folder fid exists (and is not deleted). */
HRESULT fm_folder_exists(fm_store *s, int64_t fid);

/* Rewrites a folder's name and properties (inside a transaction, store
 * locked). MAPI_E_COLLISION when a sibling has the name. */
HRESULT fm_folder_write(fm_store *s, int64_t fid, const char *name, const void *blob,
                        size_t len, int64_t now);

/* The error of a failed write of a folder row named name: MAPI_E_COLLISION
 * when a sibling has the name, else rc mapped as fm_db_error words it. */
HRESULT fm_folder_write_error(fm_store *s, int rc, const char *name, const char *what);

/* The live child of parent named name (ignoring case): *fid, or 0 (store
 * locked). */
HRESULT fm_folder_find_child(fm_store *s, int64_t parent, const char *name, int64_t *fid);

#endif /* FREEMAPI_STORE_FOLDER_ROW_H */
