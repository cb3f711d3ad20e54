/*
 * store/message_tree.c - deleting message subtrees, linking embedded
 * messages, and collecting scratch messages (see message_tree.h).
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "core/alloc.h"
#include "store/message_tree.h"
#include "store/schema.h"
#include "store/stream.h"

int64_t fm_message_scratch_marker(void)
{
    return -(int64_t)getpid();
}

HRESULT fm_message_delete_embedded_of(fm_db *db, int64_t aid)
{
    int64_t *mids;
    size_t n;
    HRESULT hr = fm_db_select_ids(db, "SELECT mid FROM messages WHERE parent_attach = ?1",
                                  FM_DB_INTS(aid), &mids, &n, "deleting a message");
    for (size_t i = 0; hr == S_OK && i < n; i++)
        hr = fm_message_delete_tree(db, mids[i]);
    fm_free(mids);
    return hr;
}

/* Whether (kind, id) owns a stream: most objects own none, and one indexed
 * lookup is cheaper than the three statements of deleting nothing. */
static HRESULT owns_streams(fm_db *db, int kind, int64_t id, bool *out)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db, "SELECT EXISTS (SELECT 1 FROM streams WHERE owner_kind = ?1"
                                   " AND owner_id = ?2)", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int(st, 1, kind);
    sqlite3_bind_int64(st, 2, id);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
    fm_db_finish(st);
    return rc == SQLITE_ROW ? S_OK : fm_db_error(db, rc, "deleting a message");
}

static HRESULT delete_streams_of(fm_db *db, int kind, int64_t id)
{
    bool any = false;
    HRESULT hr = owns_streams(db, kind, id, &any);
    return hr == S_OK && any ? fm_stream_delete_owned(db, kind, id) : hr;
}

HRESULT fm_message_delete_tree(fm_db *db, int64_t mid)
{
    int64_t *aids;
    size_t n;
    HRESULT hr = fm_db_select_ids(db, "SELECT aid FROM attachments WHERE mid = ?1", FM_DB_INTS(mid),
                                  &aids, &n, "deleting a message");
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        hr = fm_message_delete_embedded_of(db, aids[i]);
        if (hr == S_OK)
            hr = delete_streams_of(db, FM_STREAM_OWNER_ATTACHMENT, aids[i]);
    }
    fm_free(aids);
    if (hr == S_OK && n > 0)
        hr = fm_db_exec_ints(db, "DELETE FROM attachments WHERE mid = ?1", FM_DB_INTS(mid),
                             "deleting a message");
    if (hr == S_OK)
        hr = fm_db_exec_ints(db, "DELETE FROM recipients WHERE mid = ?1", FM_DB_INTS(mid),
                             "deleting a message");
    if (hr == S_OK)
        hr = delete_streams_of(db, FM_STREAM_OWNER_MESSAGE, mid);
    if (hr == S_OK)
        hr = fm_db_exec_ints(db, "DELETE FROM messages WHERE mid = ?1", FM_DB_INTS(mid),
                             "deleting a message");
    return hr;
}

HRESULT fm_message_adopt_embedded(fm_db *db, int64_t mid, int64_t aid)
{
    sqlite3_stmt *st;
    int64_t *old;
    size_t n;
    HRESULT hr = fm_db_select_ids(db, "SELECT mid FROM messages WHERE parent_attach = ?1",
                                  FM_DB_INTS(aid), &old, &n, "deleting a message");
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        if (old[i] != mid)
            hr = fm_message_delete_tree(db, old[i]);
    }
    fm_free(old);
    if (hr != S_OK)
        return hr;
    hr = fm_db_prepare(db, "UPDATE messages SET parent_attach = ?2 WHERE mid = ?1", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, mid);
    sqlite3_bind_int64(st, 2, aid);
    int rc = sqlite3_step(st);
    fm_db_finish(st);
    return rc == SQLITE_DONE ? S_OK : fm_db_error(db, rc, "saving an embedded message");
}

/* Runs an INSERT ... SELECT with two ids; *rowid receives the new row. */
static HRESULT copy_row(fm_db *db, const char *sql, int64_t a, int64_t b, int64_t *rowid)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db, sql, &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    int rc = sqlite3_step(st);
    fm_db_finish(st);
    if (rc != SQLITE_DONE)
        return fm_db_error(db, rc, "copying a message");
    if (rowid != NULL)
        *rowid = sqlite3_last_insert_rowid(db->conn);
    return S_OK;
}

HRESULT fm_message_clone_tree(fm_db *db, int64_t mid, int64_t parent_attach, int64_t *new_mid)
{
    HRESULT hr = copy_row(db,
        "INSERT INTO messages (mid, fid, parent_attach, assoc, flags, status, size, created,"
        " modified, change_num, delivery_time, subject, sender_name, message_class, props)"
        " SELECT " FM_SCHEMA_NEXT_MID ", NULL, ?2, assoc, flags, status, size, created, modified, 1, delivery_time,"
        " subject, sender_name, message_class, props FROM messages WHERE mid = ?1",
        mid, parent_attach, new_mid);
    if (hr == S_OK)
        hr = copy_row(db, "INSERT INTO recipients (mid, row_id, props) SELECT ?2, row_id, props"
                          " FROM recipients WHERE mid = ?1", mid, *new_mid, NULL);
    if (hr == S_OK)
        hr = fm_stream_copy_owned(db, FM_STREAM_OWNER_MESSAGE, mid, *new_mid);
    int64_t *aids = NULL;
    size_t n = 0;
    if (hr == S_OK)
        hr = fm_db_select_ids(db, "SELECT aid FROM attachments WHERE mid = ?1", FM_DB_INTS(mid),
                              &aids, &n, "deleting a message");
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        int64_t naid = 0;
        hr = copy_row(db, "INSERT INTO attachments (mid, attach_num, props) SELECT ?2,"
                          " attach_num, props FROM attachments WHERE aid = ?1",
                      aids[i], *new_mid, &naid);
        if (hr == S_OK)
            hr = fm_stream_copy_owned(db, FM_STREAM_OWNER_ATTACHMENT, aids[i], naid);
        int64_t *inner = NULL;
        size_t ni = 0;
        if (hr == S_OK)
            hr = fm_db_select_ids(db, "SELECT mid FROM messages WHERE parent_attach = ?1",
                                  FM_DB_INTS(aids[i]), &inner, &ni, "deleting a message");
        for (size_t j = 0; hr == S_OK && j < ni; j++) {
            int64_t copied = 0;
            hr = fm_message_clone_tree(db, inner[j], naid, &copied);
        }
        fm_free(inner);
    }
    fm_free(aids);
    return hr;
}

void fm_message_drop_scratch(fm_store *s, int64_t mid)
{
    if (mid == 0)
        return;
    fm_store_lock(s);
    if (fm_db_begin(s->db) == S_OK) {
        if (fm_message_delete_tree(s->db, mid) == S_OK)
            fm_db_commit(s->db);
        else
            fm_db_rollback(s->db);
    }
    fm_store_unlock(s);
}

HRESULT fm_message_collect_garbage(fm_db *db)
{
    /* One query for the writers that left scratch messages, one per dead
     * writer for its messages. */
    int64_t *writers;
    size_t n;
    HRESULT hr = fm_db_select_ids(db,
                                  "SELECT DISTINCT -parent_attach FROM messages "
                                  "WHERE parent_attach < ?1",
                                  FM_DB_INTS(0), &writers, &n, "collecting scratch messages");
    if (hr != S_OK || n == 0)
        return hr;
    hr = fm_db_begin(db);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        pid_t pid = (pid_t)writers[i];
        /* A live writer's scratch is its own business; a dead one's is garbage. */
        if (pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH)
            continue;
        int64_t *mids;
        size_t nm;
        hr = fm_db_select_ids(db, "SELECT mid FROM messages WHERE parent_attach = ?1",
                              FM_DB_INTS(-writers[i]), &mids, &nm, "collecting scratch messages");
        for (size_t j = 0; hr == S_OK && j < nm; j++)
            hr = fm_message_delete_tree(db, mids[j]);
        fm_free(mids);
    }
    fm_free(writers);
    if (hr == S_OK)
        return fm_db_commit(db);
    fm_db_rollback(db);
    return hr;
}
