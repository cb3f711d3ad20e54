/*
 * store/stream_chunks.c - streams as rows: reading and writing one chunk,
 * scratch copies, and the whole-stream operations of stream.h (adopt,
 * delete, find, copy, read_all, garbage collection).
 *
 * Scratch streams carry the writer's process id in owner_id (owner_kind
 * stays NULL until adopted). Garbage collection uses it to tell a crashed
 * writer's leftovers from a live writer's work in progress: another process
 * opening the same store must not delete what a running writer is writing.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapix.h"
#include "store/stream_chunks.h"
#include "store/stream_file.h"

/* The marker of a stream kept in a file (stream_file.h). */
#define IN_FILE_SQL "EXISTS (SELECT 1 FROM stream_chunks c WHERE c.sid = streams.sid AND c.seq = -1)"

static HRESULT collect_dropped(fm_db *db);

/* Chunks copied per transaction when a scratch stream starts as a copy:
 * 8 MiB, so a 1 GiB copy lets other writers in between batches. */
#define COPY_BATCH_CHUNKS 64

/* Runs fm_db_exec_ints in a short transaction of its own (or the caller's). */
static HRESULT exec_ints_txn(fm_db *db, const char *sql, const int64_t *args, int n,
                             const char *what)
{
    HRESULT hr = fm_db_begin(db);
    if (hr != S_OK)
        return hr;
    hr = fm_db_exec_ints(db, sql, args, n, what);
    if (hr != S_OK) {
        fm_db_rollback(db);
        return hr;
    }
    return fm_db_commit(db);
}

HRESULT fm_stream_get_size(fm_db *db, int64_t sid, uint64_t *size)
{
    int64_t n = -1;
    HRESULT hr = fm_db_select_int(db, "SELECT size FROM streams WHERE sid = ?1", FM_DB_INTS(sid),
                                  -1, &n, "reading a stream's size");
    if (hr == S_OK && n < 0)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "no stream %lld in the store", (long long)sid);
    if (hr == S_OK)
        *size = (uint64_t)n;
    return hr;
}

HRESULT fm_stream_get_info(fm_db *db, int64_t sid, uint64_t *size, bool *in_file)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db, "SELECT size, " IN_FILE_SQL " FROM streams WHERE sid = ?1",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, sid);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *size = (uint64_t)sqlite3_column_int64(st, 0);
        *in_file = sqlite3_column_int(st, 1) != 0;
    } else if (rc == SQLITE_DONE) {
        hr = fm_error_set(MAPI_E_NOT_FOUND, "no stream %lld in the store", (long long)sid);
    } else {
        hr = fm_db_error(db, rc, "reading a stream's size");
    }
    fm_db_finish(st);
    return hr;
}

HRESULT fm_stream_load_chunk(fm_db *db, int64_t sid, int64_t seq, BYTE *buf, size_t *len)
{
    sqlite3_stmt *st;
    *len = 0;
    HRESULT hr =
        fm_db_prepare(db, "SELECT data FROM stream_chunks WHERE sid = ?1 AND seq = ?2", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, sid);
    sqlite3_bind_int64(st, 2, seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *data = sqlite3_column_blob(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        if (data == NULL && n > 0)
            hr = fm_db_error(db, sqlite3_errcode(db->conn), "reading a stream chunk");
        else if (n > FM_STREAM_CHUNK)
            hr = fm_error_set(MAPI_E_CORRUPT_STORE, "stream %lld chunk %lld is %zu bytes",
                              (long long)sid, (long long)seq, n);
        else if (n > 0) {
            memcpy(buf, data, n);
            *len = n;
        }
    } else if (rc != SQLITE_DONE) {
        hr = fm_db_error(db, rc, "reading a stream chunk");
    }
    fm_db_finish(st);
    memset(buf + *len, 0, FM_STREAM_CHUNK - *len);
    return hr;
}

static HRESULT put_chunk(fm_db *db, int64_t sid, int64_t seq, const BYTE *buf, size_t len)
{
    if (len == 0) {
        int64_t args[] = { sid, seq };
        return fm_db_exec_ints(db, "DELETE FROM stream_chunks WHERE sid = ?1 AND seq = ?2", args, 2,
                               "writing a stream chunk");
    }
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(
        db, "INSERT OR REPLACE INTO stream_chunks (sid, seq, data) VALUES (?1, ?2, ?3)", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, sid);
    sqlite3_bind_int64(st, 2, seq);
    int rc = sqlite3_bind_blob(st, 3, buf, (int)len, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        hr = fm_db_error(db, rc, "writing a stream chunk");
    fm_db_finish(st);
    return hr;
}

/* Sets the size of sid, refusing a stream whose row is gone. */
static HRESULT put_size(fm_db *db, int64_t sid, uint64_t size)
{
    int64_t args[] = { (int64_t)size, sid };
    HRESULT hr = fm_db_exec_ints(db, "UPDATE streams SET size = ?1 WHERE sid = ?2", args, 2,
                                 "writing a stream's size");
    /* A chunk must never outlive its stream: if the stream row is gone
     * (removed as abandoned), the chunk goes back out with it. */
    if (hr == S_OK && sqlite3_changes(db->conn) == 0)
        hr = fm_error_set(MAPI_E_OBJECT_DELETED, "the stream was removed while written");
    return hr;
}

/* Ends a transaction begun by the caller: commit if hr is S_OK. */
static HRESULT end_txn(fm_db *db, HRESULT hr)
{
    if (hr != S_OK) {
        fm_db_rollback(db);
        return hr;
    }
    return fm_db_commit(db);
}

HRESULT fm_stream_store_chunk(fm_db *db, int64_t sid, int64_t seq, const BYTE *buf, size_t len,
                              uint64_t size)
{
    HRESULT hr = fm_db_begin(db);
    if (hr != S_OK)
        return hr;
    hr = put_chunk(db, sid, seq, buf, len);
    if (hr == S_OK)
        hr = put_size(db, sid, size);
    return end_txn(db, hr);
}

HRESULT fm_stream_store_size(fm_db *db, int64_t sid, uint64_t size)
{
    HRESULT hr = fm_db_begin(db);
    if (hr != S_OK)
        return hr;
    return end_txn(db, put_size(db, sid, size));
}

/* Writes the chunk rows of sid at their offsets in fd. */
static HRESULT chunks_to_file(fm_db *db, int64_t sid, int fd)
{
    sqlite3_stmt *st;
    HRESULT hr =
        fm_db_prepare(db, "SELECT seq, data FROM stream_chunks WHERE sid = ?1 AND seq >= 0", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, sid);
    int rc;
    while (hr == S_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const void *data = sqlite3_column_blob(st, 1);
        size_t n = (size_t)sqlite3_column_bytes(st, 1);
        if (data == NULL && n > 0)
            rc = sqlite3_errcode(db->conn);
        if (data == NULL && n > 0)
            break;
        hr = fm_stream_file_write(fd, data, n,
                                  (uint64_t)sqlite3_column_int64(st, 0) * FM_STREAM_CHUNK);
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(db, rc, "moving a stream to its file");
    fm_db_finish(st);
    return hr;
}

HRESULT fm_stream_move_to_file(fm_db *db, int64_t sid, uint64_t size, int *fd)
{
    HRESULT hr = fm_stream_file_open(db, sid, FM_STREAM_FILE_CREATE, fd);
    if (hr == S_OK)
        hr = chunks_to_file(db, sid, *fd);
    if (hr == S_OK && (hr = fm_db_begin(db)) == S_OK) {
        hr = fm_db_exec_ints(db, "INSERT INTO stream_chunks (sid, seq, data) VALUES (?1, -1, x'')",
                             FM_DB_INTS(sid), "moving a stream to its file");
        if (hr == S_OK)
            hr = fm_db_exec_ints(db, "DELETE FROM stream_chunks WHERE sid = ?1 AND seq >= 0",
                                 FM_DB_INTS(sid), "moving a stream to its file");
        if (hr == S_OK)
            hr = put_size(db, sid, size);
        hr = end_txn(db, hr);
    }
    if (hr != S_OK && *fd >= 0) {
        /* Still a stream of rows: the file is nobody's. */
        close(*fd);
        *fd = -1;
        fm_stream_file_remove(db, sid);
    }
    return hr;
}

HRESULT fm_stream_set_size(fm_db *db, int64_t sid, uint64_t size)
{
    int64_t last = size == 0 ? -1 : (int64_t)((size - 1) / FM_STREAM_CHUNK);
    int64_t tail = size == 0 ? 0 : (int64_t)(size - (uint64_t)last * FM_STREAM_CHUNK);
    HRESULT hr = fm_db_begin(db);
    if (hr != S_OK)
        return hr;
    int64_t drop[] = { sid, last };
    hr = fm_db_exec_ints(db, "DELETE FROM stream_chunks WHERE sid = ?1 AND seq > ?2", drop, 2,
                         "shrinking a stream");
    if (hr == S_OK && last >= 0) {
        int64_t cut[] = { sid, last, tail };
        hr = fm_db_exec_ints(db,
                             "UPDATE stream_chunks SET data = substr(data, 1, ?3)"
                             " WHERE sid = ?1 AND seq = ?2 AND length(data) > ?3",
                             cut, 3, "shrinking a stream");
    }
    if (hr == S_OK) {
        int64_t args[] = { (int64_t)size, sid };
        hr = fm_db_exec_ints(db, "UPDATE streams SET size = ?1 WHERE sid = ?2", args, 2,
                             "writing a stream's size");
    }
    if (hr != S_OK) {
        fm_db_rollback(db);
        return hr;
    }
    return fm_db_commit(db);
}

/* Runs a clean-up after a failure without losing the failure's text. */
static HRESULT fail_after_delete(fm_db *db, int64_t sid, HRESULT hr)
{
    char text[FM_ERROR_TEXT_MAX];
    snprintf(text, sizeof text, "%s", fm_error_text());
    fm_stream_delete(db, sid);
    return fm_error_set(hr, "%s", text);
}

static HRESULT new_scratch_row(fm_db *db, ULONG tag, uint64_t size, bool in_file,
                               int64_t *out)
{
    int64_t args[] = { (int64_t)getpid(), (int64_t)tag, (int64_t)size };
    HRESULT hr = fm_db_begin(db);
    if (hr != S_OK)
        return hr;
    hr = fm_db_exec_ints(db,
                         "INSERT INTO streams (owner_kind, owner_id, prop_tag, size)"
                         " VALUES (NULL, ?1, ?2, ?3)",
                         args, 3, "creating a stream");
    int64_t sid = sqlite3_last_insert_rowid(db->conn);
    if (hr == S_OK && in_file)
        hr = fm_db_exec_ints(db, "INSERT INTO stream_chunks (sid, seq, data) VALUES (?1, -1, x'')",
                             FM_DB_INTS(sid), "creating a stream");
    if (hr != S_OK) {
        fm_db_rollback(db);
        return hr;
    }
    *out = sid;
    return fm_db_commit(db);
}

/* Copies the file of from_sid into the file of the new scratch sid. */
static HRESULT copy_file(fm_db *db, int64_t from_sid, int64_t sid, uint64_t size)
{
    int from = -1, to = -1;
    HRESULT hr = fm_stream_file_open(db, from_sid, FM_STREAM_FILE_READ, &from);
    if (hr == S_OK)
        hr = fm_stream_file_open(db, sid, FM_STREAM_FILE_CREATE, &to);
    if (hr == S_OK)
        hr = fm_stream_file_copy(from, to, from_sid, size);
    if (from >= 0)
        close(from);
    if (to >= 0)
        close(to);
    return hr;
}

HRESULT fm_stream_make_scratch(fm_db *db, ULONG tag, int64_t from_sid, int64_t *out,
                               bool *in_file)
{
    uint64_t size = 0;
    int64_t sid;
    *in_file = false;
    /* A new stream is a good moment to give back the space of dropped ones. */
    HRESULT hr = collect_dropped(db);
    if (hr == S_OK && from_sid != 0)
        hr = fm_stream_get_info(db, from_sid, &size, in_file);
    if (hr == S_OK)
        hr = new_scratch_row(db, tag, size, *in_file, &sid);
    if (hr != S_OK)
        return hr;
    if (*in_file) {
        /* The row exists first, so a crash leaves a collectable scratch. */
        hr = copy_file(db, from_sid, sid, size);
        if (hr != S_OK)
            return fail_after_delete(db, sid, hr);
        *out = sid;
        return S_OK;
    }
    int64_t chunks = (int64_t)((size + FM_STREAM_CHUNK - 1) / FM_STREAM_CHUNK);
    for (int64_t first = 0; first < chunks; first += COPY_BATCH_CHUNKS) {
        int64_t args[] = { sid, from_sid, first, first + COPY_BATCH_CHUNKS };
        hr = exec_ints_txn(db,
                           "INSERT INTO stream_chunks (sid, seq, data)"
                           " SELECT ?1, seq, data FROM stream_chunks"
                           " WHERE sid = ?2 AND seq >= ?3 AND seq < ?4",
                           args, 4, "copying a stream");
        if (hr != S_OK)
            return fail_after_delete(db, sid, hr);
    }
    *out = sid;
    return S_OK;
}

/* ---- whole streams (stream.h) ------------------------------------------- */

/* Deletes the rows of sid (inside the caller's transaction). */
static HRESULT delete_rows(fm_db *db, int64_t sid)
{
    HRESULT hr = fm_db_exec_ints(db, "DELETE FROM stream_chunks WHERE sid = ?1", FM_DB_INTS(sid),
                                 "deleting a stream");
    if (hr == S_OK)
        hr = fm_db_exec_ints(db, "DELETE FROM streams WHERE sid = ?1", FM_DB_INTS(sid),
                             "deleting a stream");
    return hr;
}

/* Removes a garbage stream (dropped, or a dead writer's scratch) and its
 * file. The file goes first: the row is nobody's value, and while it
 * exists the next collection still finds the file. */
static HRESULT remove_garbage(fm_db *db, int64_t sid)
{
    fm_stream_file_remove(db, sid);
    HRESULT hr = fm_db_begin(db);
    if (hr != S_OK)
        return hr;
    return end_txn(db, delete_rows(db, sid));
}

/* Removes the dropped streams (unowned, owner_id 0) and their files, unless
 * called inside a transaction: a drop that transaction made may still be
 * rolled back, and the file must then still be there. */
static HRESULT collect_dropped(fm_db *db)
{
    int64_t *sids = NULL;
    size_t n = 0;
    HRESULT hr = fm_db_select_ids(db,
                                  "SELECT sid FROM streams WHERE owner_kind IS NULL"
                                  " AND owner_id = ?1",
                                  FM_DB_INTS(0), &sids, &n, "looking for dropped streams");
    if (hr == S_OK && n > 0 && (hr = fm_db_begin(db)) == S_OK) {
        bool nested = db->txn_depth > 1;
        hr = fm_db_commit(db);
        for (size_t i = 0; hr == S_OK && !nested && i < n; i++)
            hr = remove_garbage(db, sids[i]);
    }
    fm_free(sids);
    return hr;
}

/* Marks the streams of a set as dropped if their data is in a file: their
 * rows stay until collect_dropped removes them with the file. */
static HRESULT drop_file_streams(fm_db *db, const char *where, int n, const int64_t *args)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "UPDATE streams SET owner_kind = NULL, owner_id = 0 WHERE %s AND " IN_FILE_SQL,
             where);
    return fm_db_exec_ints(db, sql, args, n, "dropping a stream");
}

HRESULT fm_stream_delete(fm_db *db, int64_t sid)
{
    if (db == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_delete: no store");
    HRESULT hr = fm_db_begin(db);
    if (hr != S_OK)
        return hr;
    bool outermost = db->txn_depth == 1, dropped = false;
    hr = drop_file_streams(db, "sid = ?1", 1, &sid);
    if (hr == S_OK)
        dropped = sqlite3_changes(db->conn) > 0;
    if (hr == S_OK && !dropped)
        hr = delete_rows(db, sid);
    hr = end_txn(db, hr);
    if (hr == S_OK && dropped && outermost)
        hr = remove_garbage(db, sid);
    return hr;
}

HRESULT fm_stream_delete_owned(fm_db *db, int owner_kind, int64_t owner_id)
{
    if (db == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_delete_owned: no store");
    int64_t args[] = { owner_kind, owner_id };
    HRESULT hr = fm_db_begin(db);
    if (hr != S_OK)
        return hr;
    hr = drop_file_streams(db, "owner_kind = ?1 AND owner_id = ?2", 2, args);
    if (hr == S_OK)
        hr = fm_db_exec_ints(db,
                             "DELETE FROM stream_chunks WHERE sid IN (SELECT sid FROM streams"
                             " WHERE owner_kind = ?1 AND owner_id = ?2)",
                             args, 2, "deleting an object's streams");
    if (hr == S_OK)
        hr = fm_db_exec_ints(db, "DELETE FROM streams WHERE owner_kind = ?1 AND owner_id = ?2",
                             args, 2, "deleting an object's streams");
    if (hr != S_OK) {
        fm_db_rollback(db);
        return hr;
    }
    return fm_db_commit(db);
}

/* Deletes the streams of (kind, id, PROP_ID(tag)) other than keep. */
static HRESULT delete_property_streams(fm_db *db, int kind, int64_t id, ULONG tag, int64_t keep)
{
    int64_t args[] = { kind, id, (int64_t)PROP_ID(tag), keep };
    HRESULT hr = drop_file_streams(db,
                                   "owner_kind = ?1 AND owner_id = ?2"
                                   " AND (prop_tag >> 16) = ?3 AND sid <> ?4",
                                   4, args);
    if (hr == S_OK)
        hr = fm_db_exec_ints(db,
                             "DELETE FROM stream_chunks WHERE sid IN (SELECT sid FROM streams"
                             " WHERE owner_kind = ?1 AND owner_id = ?2"
                             " AND (prop_tag >> 16) = ?3 AND sid <> ?4)",
                             args, 4, "replacing a stream");
    if (hr == S_OK)
        hr = fm_db_exec_ints(db,
                             "DELETE FROM streams WHERE owner_kind = ?1 AND owner_id = ?2"
                             " AND (prop_tag >> 16) = ?3 AND sid <> ?4",
                             args, 4, "replacing a stream");
    return hr;
}

HRESULT fm_stream_adopt(fm_db *db, int64_t sid, int owner_kind, int64_t owner_id, ULONG tag)
{
    if (db == NULL || sid <= 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_adopt: no store or stream");
    HRESULT hr = fm_db_begin(db);
    if (hr != S_OK)
        return hr;
    bool outermost = db->txn_depth == 1;
    hr = delete_property_streams(db, owner_kind, owner_id, tag, sid);
    if (hr == S_OK) {
        int64_t args[] = { owner_kind, owner_id, (int64_t)tag, sid };
        hr = fm_db_exec_ints(db,
                             "UPDATE streams SET owner_kind = ?1, owner_id = ?2, prop_tag = ?3"
                             " WHERE sid = ?4",
                             args, 4, "adopting a stream");
        if (hr == S_OK && sqlite3_changes(db->conn) == 0)
            hr = fm_error_set(MAPI_E_NOT_FOUND, "no stream %lld to adopt", (long long)sid);
    }
    hr = end_txn(db, hr);
    /* Inside the owner's save the replaced files wait for a collection. */
    return hr == S_OK && outermost ? collect_dropped(db) : hr;
}

HRESULT fm_stream_find(fm_db *db, int owner_kind, int64_t owner_id, ULONG tag, int64_t *sid,
                       uint64_t *size)
{
    if (db == NULL || sid == NULL || size == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_find: NULL argument");
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db,
                               "SELECT sid, size FROM streams WHERE owner_kind = ?1"
                               " AND owner_id = ?2 AND (prop_tag >> 16) = ?3 LIMIT 1",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, owner_kind);
    sqlite3_bind_int64(st, 2, owner_id);
    sqlite3_bind_int64(st, 3, PROP_ID(tag));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *sid = sqlite3_column_int64(st, 0);
        *size = (uint64_t)sqlite3_column_int64(st, 1);
    } else if (rc == SQLITE_DONE) {
        hr = fm_error_set(MAPI_E_NOT_FOUND, "no stream for property %04lX of object %lld",
                          (unsigned long)PROP_ID(tag), (long long)owner_id);
    } else {
        hr = fm_db_error(db, rc, "finding a stream");
    }
    fm_db_finish(st);
    return hr;
}

/* Copies the file of sid into chunk rows of stream to (inside the caller's
 * transaction: a file made there could not be removed if it rolled back). */
static HRESULT file_to_chunks(fm_db *db, int64_t sid, uint64_t size, int64_t to)
{
    int fd = -1;
    BYTE *buf = fm_malloc(FM_STREAM_CHUNK);
    HRESULT hr = buf == NULL ? fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "no memory to copy a stream")
                             : fm_stream_file_open(db, sid, FM_STREAM_FILE_READ, &fd);
    for (uint64_t at = 0; hr == S_OK && at < size; at += FM_STREAM_CHUNK) {
        size_t n = size - at < FM_STREAM_CHUNK ? (size_t)(size - at) : FM_STREAM_CHUNK;
        hr = fm_stream_file_read(fd, sid, buf, n, at);
        if (hr == S_OK)
            hr = put_chunk(db, to, (int64_t)(at / FM_STREAM_CHUNK), buf, n);
    }
    if (fd >= 0)
        close(fd);
    fm_free(buf);
    return hr;
}

HRESULT fm_stream_copy(fm_db *db, int64_t sid, int owner_kind, int64_t owner_id, ULONG tag,
                       int64_t *new_sid)
{
    if (db == NULL || new_sid == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_copy: NULL argument");
    HRESULT hr = fm_db_begin(db);
    if (hr != S_OK)
        return hr;
    int64_t args[] = { owner_kind, owner_id, (int64_t)tag, sid };
    hr = fm_db_exec_ints(db,
                         "INSERT INTO streams (owner_kind, owner_id, prop_tag, size)"
                         " SELECT ?1, ?2, ?3, size FROM streams WHERE sid = ?4",
                         args, 4, "copying a stream");
    if (hr == S_OK && sqlite3_changes(db->conn) == 0)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "no stream %lld to copy", (long long)sid);
    int64_t made = hr == S_OK ? sqlite3_last_insert_rowid(db->conn) : 0;
    uint64_t size = 0;
    bool in_file = false;
    if (hr == S_OK)
        hr = fm_stream_get_info(db, sid, &size, &in_file);
    if (hr == S_OK && in_file) {
        hr = file_to_chunks(db, sid, size, made);
    } else if (hr == S_OK) {
        int64_t chunk_args[] = { made, sid };
        hr = fm_db_exec_ints(db,
                             "INSERT INTO stream_chunks (sid, seq, data)"
                             " SELECT ?1, seq, data FROM stream_chunks WHERE sid = ?2",
                             chunk_args, 2, "copying a stream");
    }
    if (hr != S_OK) {
        fm_db_rollback(db);
        return hr;
    }
    hr = fm_db_commit(db);
    if (hr == S_OK)
        *new_sid = made;
    return hr;
}

static HRESULT fill_from_chunks(fm_db *db, int64_t sid, BYTE *data, uint64_t size)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db, "SELECT seq, data FROM stream_chunks WHERE sid = ?1", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, sid);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t at = (uint64_t)sqlite3_column_int64(st, 0) * FM_STREAM_CHUNK;
        const void *bytes = sqlite3_column_blob(st, 1);
        uint64_t n = (uint64_t)sqlite3_column_bytes(st, 1);
        if (bytes == NULL && n > 0) {
            rc = sqlite3_errcode(db->conn);
            break;
        }
        if (at >= size || n > FM_STREAM_CHUNK) {
            hr = fm_error_set(MAPI_E_CORRUPT_STORE, "stream %lld has a chunk past its size",
                              (long long)sid);
            break;
        }
        memcpy(data + at, bytes, n < size - at ? n : size - at);
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(db, rc, "reading a stream");
    fm_db_finish(st);
    return hr;
}

static HRESULT fill_from_file(fm_db *db, int64_t sid, BYTE *data, uint64_t size)
{
    int fd;
    HRESULT hr = fm_stream_file_open(db, sid, FM_STREAM_FILE_READ, &fd);
    if (hr != S_OK)
        return hr;
    hr = fm_stream_file_read(fd, sid, data, (size_t)size, 0);
    close(fd);
    return hr;
}

HRESULT fm_stream_read_all(fm_db *db, int64_t sid, uint64_t max, void *parent, BYTE **lppData,
                           ULONG *lpcb)
{
    if (db == NULL || lppData == NULL || lpcb == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_read_all: NULL argument");
    *lppData = NULL;
    *lpcb = 0;
    uint64_t size = 0;
    bool in_file = false;
    HRESULT hr = fm_stream_get_info(db, sid, &size, &in_file);
    if (hr != S_OK)
        return hr;
    if (size > max || size > 0xFFFFFFFFu)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY,
                            "stream %lld is %llu bytes, more than the %llu allowed in memory",
                            (long long)sid, (unsigned long long)size, (unsigned long long)max);
    void *data;
    if (fm_alloc_mapi(size > 0 ? (size_t)size : 1, parent, &data) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "no memory for a %llu-byte stream",
                            (unsigned long long)size);
    memset(data, 0, size > 0 ? (size_t)size : 1);
    hr = in_file ? fill_from_file(db, sid, data, size) : fill_from_chunks(db, sid, data, size);
    if (hr != S_OK) {
        if (parent == NULL)
            MAPIFreeBuffer(data);
        return hr;
    }
    *lppData = data;
    *lpcb = (ULONG)size;
    return S_OK;
}

/* A scratch stream is live while the process that made it runs. */
static bool writer_alive(sqlite3_stmt *st)
{
    if (sqlite3_column_type(st, 1) == SQLITE_NULL)
        return false;
    int64_t pid = sqlite3_column_int64(st, 1);
    if (pid <= 0 || pid != (pid_t)pid)
        return false;
    if (pid == getpid())
        return true;
    return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* The next unowned stream after *sid whose writer is gone: *sid, or 0.
 * *died: it was a writer's scratch, not a dropped stream. */
static HRESULT next_garbage(fm_db *db, int64_t *sid, bool *died)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db,
                               "SELECT sid, owner_id FROM streams WHERE owner_kind IS NULL"
                               " AND sid > ?1 ORDER BY sid",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, *sid);
    int rc;
    *sid = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!writer_alive(st)) {
            *sid = sqlite3_column_int64(st, 0);
            *died = *died || sqlite3_column_type(st, 1) == SQLITE_NULL ||
                    sqlite3_column_int64(st, 1) != 0;
            break;
        }
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        hr = fm_db_error(db, rc, "looking for abandoned streams");
    fm_db_finish(st);
    return hr;
}

HRESULT fm_stream_collect_garbage(fm_db *db)
{
    if (db == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_stream_collect_garbage: no store");
    int64_t sid = 0;
    HRESULT hr;
    bool collected = false;
    /* One stream per transaction: an abandoned 1 GiB stream must not hold
     * the write lock for the whole clean-up. A dead writer may have died
     * while moving its stream to a file: its file goes too, if any. */
    while ((hr = next_garbage(db, &sid, &collected)) == S_OK && sid != 0) {
        hr = remove_garbage(db, sid);
        if (hr != S_OK)
            return hr;
    }
    /* Chunk writes refuse a vanished stream, so orphaned chunks can only be
     * left where a writer died: the sweep (a scan of every chunk) runs only
     * then, not on every open of a healthy store. */
    if (hr != S_OK || !collected)
        return hr;
    return exec_ints_txn(db, "DELETE FROM stream_chunks WHERE sid NOT IN (SELECT sid FROM streams)",
                         FM_DB_NO_INTS, "removing orphaned stream chunks");
}

HRESULT fm_stream_copy_owned(fm_db *db, int kind, int64_t from, int64_t to)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db, "SELECT sid, prop_tag FROM streams WHERE owner_kind = ?1 "
                                   "AND owner_id = ?2", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int(st, 1, kind);
    sqlite3_bind_int64(st, 2, from);
    int64_t *sids = NULL;
    ULONG *tags = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            int64_t *s2 = fm_realloc(sids, cap * sizeof *s2);
            if (s2 != NULL)
                sids = s2;
            ULONG *t2 = s2 ? fm_realloc(tags, cap * sizeof *t2) : NULL;
            if (t2 == NULL) {
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory copying streams");
                break;
            }
            tags = t2;
        }
        sids[n] = sqlite3_column_int64(st, 0);
        tags[n++] = (ULONG)sqlite3_column_int64(st, 1);
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(db, rc, "copying streams");
    fm_db_finish(st); /* before the copies, which use the connection */
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        int64_t nsid = 0;
        hr = fm_stream_copy(db, sids[i], kind, to, tags[i], &nsid);
    }
    fm_free(sids);
    fm_free(tags);
    return hr;
}
