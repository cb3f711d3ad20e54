/*
 * store/folder_row.c - a folder's row in the folders table (folder_row.h):
 * reading, rewriting, finding a child by name.
 */
#include <string.h>

#include "core/alloc.h"
#include "store/folder_row.h"

HRESULT fm_folder_read(fm_store *s, int64_t fid, fm_folder_row *row)
{
    memset(row, 0, sizeof *row);
    sqlite3_stmt *st;
    fm_store_lock(s);
    HRESULT hr = fm_db_prepare(s->db,
                               "SELECT parent_fid, folder_type, created, modified, display_name,"
                               " props FROM folders WHERE fid = ?1 AND deleted_at IS NULL",
                               &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, fid);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            row->parent_fid = sqlite3_column_int64(st, 0);
            row->folder_type = (ULONG)sqlite3_column_int(st, 1);
            row->created = sqlite3_column_int64(st, 2);
            row->modified = sqlite3_column_int64(st, 3);
            row->display_name = fm_strdup((const char *)sqlite3_column_text(st, 4));
            row->props_len = (size_t)sqlite3_column_bytes(st, 5);
            row->props = fm_malloc(row->props_len ? row->props_len : 1);
            if (row->display_name == NULL || row->props == NULL)
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a folder");
            else if (row->props_len)
                memcpy(row->props, sqlite3_column_blob(st, 5), row->props_len);
        } else if (rc == SQLITE_DONE) {
            hr = fm_error_set(MAPI_E_NOT_FOUND, "no folder %lld in the store", (long long)fid);
        } else {
            hr = fm_db_error(s->db, rc, "reading a folder");
        }
        fm_db_finish(st);
    }
    fm_store_unlock(s);
    if (hr != S_OK)
        fm_folder_row_clear(row);
    return hr;
}

void fm_folder_row_clear(fm_folder_row *row)
{
    fm_free(row->display_name);
    fm_free(row->props);
    row->display_name = NULL;
    row->props = NULL;
}

HRESULT fm_folder_exists(fm_store *s, int64_t fid)
{
    fm_folder_row row;
    HRESULT hr = fm_folder_read(s, fid, &row);
    fm_folder_row_clear(&row);
    return hr;
}

HRESULT fm_folder_write_error(fm_store *s, int rc, const char *name, const char *what)
{
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return fm_error_set(MAPI_E_COLLISION, "a folder named \"%s\" already exists there", name);
    return fm_db_error(s->db, rc, what);
}

HRESULT fm_folder_write(fm_store *s, int64_t fid, const char *name, const void *blob,
                        size_t len, int64_t now)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db,
                               "UPDATE folders SET display_name = ?2, props = ?3, modified = ?4,"
                               " change_num = change_num + 1 WHERE fid = ?1", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, fid);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, blob ? blob : "", (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    int rc = sqlite3_step(st);
    fm_db_finish(st);
    return rc == SQLITE_DONE ? S_OK : fm_folder_write_error(s, rc, name, "saving a folder");
}

HRESULT fm_folder_find_child(fm_store *s, int64_t parent, const char *name, int64_t *fid)
{
    sqlite3_stmt *st;
    *fid = 0;
    HRESULT hr = fm_db_prepare(s->db, "SELECT fid FROM folders WHERE parent_fid = ?1 AND "
                                      "display_name = ?2 COLLATE NOCASE AND deleted_at IS NULL",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, parent);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *fid = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE)
        hr = fm_db_error(s->db, rc, "looking up a folder");
    fm_db_finish(st);
    return hr;
}
