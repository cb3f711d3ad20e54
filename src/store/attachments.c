/*
 * store/attachments.c - a message's attachment list (see attachments.h).
 */
#include <string.h>

#include "core/alloc.h"
#include "store/attachments.h"
#include "store/message_tree.h"
#include "store/stream.h"

static HRESULT reserve(fm_attachments *a)
{
    if (a->n < a->cap)
        return S_OK;
    size_t cap = a->cap ? a->cap * 2 : 4;
    fm_attach_entry *e = fm_realloc(a->e, cap * sizeof *e);
    if (e == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory holding attachments");
    a->e = e;
    a->cap = cap;
    return S_OK;
}

static void entry_free(fm_attach_entry *e, fm_store *s)
{
    fm_store_lock(s);
    fm_pending_drop(s->db, e->streams, e->nstreams);
    fm_store_unlock(s);
    fm_message_drop_scratch(s, e->embedded_mid);
    fm_free(e->streams);
    fm_free(e->blob);
    memset(e, 0, sizeof *e);
}

void fm_attachments_clear(fm_attachments *a, fm_store *s)
{
    for (size_t i = 0; i < a->n; i++)
        entry_free(&a->e[i], s);
    fm_free(a->e);
    memset(a, 0, sizeof *a);
}

HRESULT fm_attachments_load(fm_attachments *a, fm_store *s, int64_t mid)
{
    if (a->loaded)
        return S_OK;
    if (mid == 0) {
        a->loaded = true;
        return S_OK;
    }
    fm_store_lock(s);
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db, "SELECT aid, attach_num, props FROM attachments "
                                      "WHERE mid = ?1 ORDER BY attach_num", &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, mid);
        int rc;
        while (hr == S_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            hr = reserve(a);
            if (hr != S_OK)
                break;
            fm_attach_entry *e = &a->e[a->n];
            memset(e, 0, sizeof *e);
            e->aid = sqlite3_column_int64(st, 0);
            e->num = (ULONG)sqlite3_column_int64(st, 1);
            e->len = (size_t)sqlite3_column_bytes(st, 2);
            e->blob = fm_malloc(e->len ? e->len : 1);
            if (e->blob == NULL) {
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading attachments");
                break;
            }
            if (e->len)
                memcpy(e->blob, sqlite3_column_blob(st, 2), e->len);
            if (e->num >= a->next_num)
                a->next_num = e->num + 1;
            a->n++;
        }
        if (hr == S_OK && rc != SQLITE_DONE)
            hr = fm_db_error(s->db, rc, "reading attachments");
        fm_db_finish(st);
    }
    fm_store_unlock(s);
    if (hr != S_OK) {
        fm_attachments_clear(a, s);
        return hr;
    }
    a->loaded = true;
    return S_OK;
}

fm_attach_entry *fm_attachments_find(fm_attachments *a, ULONG num)
{
    for (size_t i = 0; i < a->n; i++) {
        if (a->e[i].num == num && !a->e[i].deleted)
            return &a->e[i];
    }
    return NULL;
}

HRESULT fm_attachments_add(fm_attachments *a, fm_attach_entry **out)
{
    HRESULT hr = reserve(a);
    if (hr != S_OK)
        return hr;
    fm_attach_entry *e = &a->e[a->n++];
    memset(e, 0, sizeof *e);
    e->num = a->next_num++;
    e->dirty = true;
    *out = e;
    return S_OK;
}

ULONG fm_attachments_count(const fm_attachments *a)
{
    ULONG n = 0;
    for (size_t i = 0; i < a->n; i++)
        n += !a->e[i].deleted;
    return n;
}

uint64_t fm_attachments_size(const fm_attachments *a, fm_store *s)
{
    uint64_t total = 0;
    for (size_t i = 0; i < a->n; i++) {
        const fm_attach_entry *e = &a->e[i];
        if (e->deleted)
            continue;
        total += e->len;
        for (size_t j = 0; j < e->nstreams; j++)
            total += e->streams[j].size;
    }
    return total;
}

static HRESULT delete_entry(fm_store *s, const fm_attach_entry *e)
{
    HRESULT hr = e->embedded_mid ? fm_message_delete_tree(s->db, e->embedded_mid) : S_OK;
    if (hr != S_OK || e->aid == 0)
        return hr;
    hr = fm_message_delete_embedded_of(s->db, e->aid);
    if (hr == S_OK)
        hr = fm_stream_delete_owned(s->db, FM_STREAM_OWNER_ATTACHMENT, e->aid);
    if (hr == S_OK)
        hr = fm_db_exec_ints(s->db, "DELETE FROM attachments WHERE aid = ?1", FM_DB_INTS(e->aid),
                             "saving attachments");
    return hr;
}

static HRESULT write_entry(fm_store *s, fm_attach_entry *e, int64_t mid)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db,
                               e->aid ? "UPDATE attachments SET props = ?3 WHERE aid = ?1"
                                      : "INSERT INTO attachments (mid, attach_num, props) "
                                        "VALUES (?2, ?4, ?3)", &st);
    if (hr != S_OK)
        return hr;
    if (e->aid)
        sqlite3_bind_int64(st, 1, e->aid);
    sqlite3_bind_int64(st, 2, mid);
    sqlite3_bind_blob(st, 3, e->blob ? e->blob : "", (int)e->len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, e->num);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE && e->aid == 0) {
        e->aid = sqlite3_last_insert_rowid(s->db->conn);
        e->inserted = true;
    }
    fm_db_finish(st);
    if (rc != SQLITE_DONE)
        return fm_db_error(s->db, rc, "saving an attachment");
    for (size_t i = 0; hr == S_OK && i < e->nstreams; i++) {
        fm_pending_stream *p = &e->streams[i];
        if (p->sid != 0) {
            hr = fm_stream_adopt(s->db, p->sid, FM_STREAM_OWNER_ATTACHMENT, e->aid, p->tag);
        } else {
            int64_t old;
            uint64_t size;
            HRESULT f = fm_stream_find(s->db, FM_STREAM_OWNER_ATTACHMENT, e->aid, p->tag, &old,
                                       &size);
            hr = f == S_OK ? fm_stream_delete(s->db, old) : (f == MAPI_E_NOT_FOUND ? S_OK : f);
        }
    }
    if (hr == S_OK && e->embedded_mid != 0)
        hr = fm_message_adopt_embedded(s->db, e->embedded_mid, e->aid);
    return hr;
}

HRESULT fm_attachments_save(fm_attachments *a, fm_store *s, int64_t mid)
{
    HRESULT hr = S_OK;
    for (size_t i = 0; hr == S_OK && i < a->n; i++) {
        fm_attach_entry *e = &a->e[i];
        if (e->deleted)
            hr = delete_entry(s, e);
        else if (e->dirty)
            hr = write_entry(s, e, mid);
    }
    return hr;
}

void fm_attachments_saved(fm_attachments *a)
{
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++) {
        fm_attach_entry *e = &a->e[i];
        if (e->deleted) {
            fm_free(e->streams);
            fm_free(e->blob);
            continue;
        }
        /* The streams and the embedded message are the store's now. */
        fm_free(e->streams);
        e->streams = NULL;
        e->nstreams = 0;
        e->embedded_mid = 0;
        e->dirty = false;
        e->inserted = false;
        a->e[k++] = *e;
    }
    a->n = k;
}

void fm_attachments_rolled_back(fm_attachments *a)
{
    for (size_t i = 0; i < a->n; i++) {
        if (a->e[i].inserted) {
            a->e[i].aid = 0;
            a->e[i].inserted = false;
        }
    }
}
