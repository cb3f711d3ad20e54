/*
 * site/site_reader.c - paging through a site's directory (site_reader.h).
 */
#include <string.h>

#include "core/alloc.h"
#include "site/site_reader.h"

void fm_site_page_free(fm_site_entry *entries, size_t n)
{
    for (size_t i = 0; entries && i < n; i++)
        fm_site_entry_clear(&entries[i]);
    fm_free(entries);
}

HRESULT fm_site_page(fmapi_site *site, int64_t after, size_t max, fm_site_entry **out,
                     size_t *n)
{
    *out = NULL;
    *n = 0;
    if (max == 0)
        return S_OK;
    fm_site_entry *rows = fm_calloc(max, sizeof *rows);
    if (rows == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading the directory");
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(site->db,
                               "SELECT id, kind, alias, display, smtp, title, company, "
                               "department, office, phone, '', store_uid FROM entries "
                               "WHERE id > ?1 ORDER BY id LIMIT ?2",
                               &st);
    if (hr != S_OK) {
        fm_free(rows);
        return hr;
    }
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    size_t count = 0;
    int rc;
    while (hr == S_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        hr = fm_site_entry_read(st, &rows[count]);
        if (hr == S_OK)
            count++;
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(site->db, rc, "reading the directory");
    fm_db_finish(st);
    if (hr != S_OK) {
        fm_site_page_free(rows, count);
        return hr;
    }
    *out = rows;
    *n = count;
    return S_OK;
}

HRESULT fm_site_members(fmapi_site *site, int64_t list, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(site->db,
                               "SELECT member_id FROM members WHERE list_id = ?1 "
                               "ORDER BY member_id",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, list);
    size_t cap = 0;
    int rc;
    while (hr == S_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            int64_t *grown = fm_realloc(*ids, cap * sizeof **ids);
            if (grown == NULL) {
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a list");
                break;
            }
            *ids = grown;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(site->db, rc, "reading a list");
    fm_db_finish(st);
    if (hr != S_OK) {
        fm_free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return hr;
}
