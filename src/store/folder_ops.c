/*
 * store/folder_ops.c - folder rows, subfolder creation, message status and
 * read flags (see folder_ops.h).
 *
 * Read flags are changed in the bulk layer's bounded batches (bulk_batch.h),
 * each its own short transaction, so marking a large folder read never
 * holds the mailbox's write lock for long; a whole folder is walked by its
 * index (bulk_cursor.h), never loaded as a list of IDs.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/text.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "store/bulk_batch.h"
#include "store/bulk_cursor.h"
#include "store/entryid.h"
#include "store/folder_ops.h"
#include "store/objects.h"
#include "store/propblob.h"

#define FOLDER_NAME_MAX 256

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
        fm_folder_row_free(row);
    return hr;
}

void fm_folder_row_free(fm_folder_row *row)
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
    fm_folder_row_free(&row);
    return hr;
}

static HRESULT collision_or(fm_store *s, int rc, const char *name, const char *what)
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
    return rc == SQLITE_DONE ? S_OK : collision_or(s, rc, name, "saving a folder");
}

/* ---- CreateFolder ----------------------------------------------------------- */

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

static HRESULT insert_child(fm_store *s, int64_t parent, const char *name, const char *comment,
                            int64_t *fid)
{
    SPropValue c = { .ulPropTag = PR_COMMENT_A, .Value.lpszA = (LPSTR)comment };
    void *blob = NULL;
    size_t len = 0;
    HRESULT hr = comment[0] ? fm_propblob_encode(1, &c, &blob, &len) : S_OK;
    if (hr != S_OK)
        return hr;
    sqlite3_stmt *st;
    hr = fm_db_prepare(s->db, "INSERT INTO folders (parent_fid, display_name, folder_type, "
                              "created, modified, props) VALUES (?1, ?2, ?3, ?4, ?4, ?5)", &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, parent);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, (int)FOLDER_GENERIC);
        sqlite3_bind_int64(st, 4, fm_store_now());
        sqlite3_bind_blob(st, 5, blob ? blob : "", (int)len, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        hr = rc == SQLITE_DONE ? S_OK : collision_or(s, rc, name, "creating a folder");
        *fid = sqlite3_last_insert_rowid(s->db->conn);
        fm_db_finish(st);
    }
    fm_free(blob);
    return hr;
}

static bool folder_iid_ok(LPCIID iid)
{
    return iid == NULL || IsEqualIID(iid, &IID_IMAPIFolder) ||
           IsEqualIID(iid, &IID_IMAPIContainer) || IsEqualIID(iid, &IID_IMAPIProp) ||
           IsEqualIID(iid, &IID_IUnknown);
}

HRESULT fm_folder_create_child(fm_object *o, ULONG ulFolderType, LPTSTR lpszFolderName,
                               LPTSTR lpszFolderComment, LPCIID lpInterface, ULONG ulFlags,
                               LPMAPIFOLDER *lppFolder)
{
    const ULONG known = MAPI_UNICODE | OPEN_IF_EXISTS | MAPI_DEFERRED_ERRORS;
    if (lppFolder == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateFolder: lppFolder is NULL");
    *lppFolder = NULL;
    if (ulFlags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CreateFolder: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~known));
    if (ulFolderType == FOLDER_SEARCH)
        return fm_error_set(MAPI_E_NO_SUPPORT, "CreateFolder: search folders are not "
                                               "implemented yet");
    if (ulFolderType != FOLDER_GENERIC)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateFolder: folder type %lu is not "
                                                      "FOLDER_GENERIC", (unsigned long)ulFolderType);
    if (!folder_iid_ok(lpInterface))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "CreateFolder: not a folder IID");
    if (!o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "CreateFolder: the folder is open read-only");
    char name[FOLDER_NAME_MAX * 3 + 4], comment[1024 * 3 + 4];
    bool wide = (ulFlags & MAPI_UNICODE) != 0;
    HRESULT hr = fm_text_arg_utf8(lpszFolderName, wide, name, sizeof name,
                                  "CreateFolder: the name");
    if (hr == S_OK)
        hr = fm_text_arg_utf8(lpszFolderComment, wide, comment, sizeof comment,
                              "CreateFolder: the comment");
    if (hr != S_OK)
        return hr;
    if (name[0] == '\0')
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateFolder: the name is empty");
    if (strlen(name) > FOLDER_NAME_MAX)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateFolder: names are at most %d bytes",
                            FOLDER_NAME_MAX);
    fm_store *s = o->store;
    int64_t fid = 0;
    fm_store_lock(s);
    hr = fm_db_begin(s->db);
    if (hr == S_OK)
        hr = fm_folder_find_child(s, o->id, name, &fid);
    if (hr == S_OK && fid != 0 && !(ulFlags & OPEN_IF_EXISTS))
        hr = fm_error_set(MAPI_E_COLLISION, "CreateFolder: a folder named \"%s\" already exists",
                          name);
    if (hr == S_OK && fid == 0)
        hr = insert_child(s, o->id, name, comment, &fid);
    if (hr == S_OK)
        hr = fm_db_commit(s->db);
    else
        fm_db_rollback(s->db);
    fm_store_unlock(s);
    if (hr != S_OK)
        return hr;
    return fm_folder_open(s, fid, true, lppFolder);
}

/* ---- message status and read flags ------------------------------------------------ */

HRESULT fm_folder_message_id(fm_store *s, ULONG cb, LPENTRYID eid, int64_t *mid)
{
    MAPIUID uid;
    int kind;
    uint64_t id;
    HRESULT hr = fm_entryid_parse(cb, eid, &uid, &kind, &id);
    if (hr != S_OK)
        return hr;
    if (memcmp(uid.ab, s->uid.ab, 16) != 0)
        return fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "the entry ID belongs to another store");
    if (kind != FM_EID_MESSAGE)
        return fm_error_set(MAPI_E_INVALID_ENTRYID, "the entry ID does not name a message");
    *mid = (int64_t)id;
    return S_OK;
}

HRESULT fm_folder_message_status(fm_object *o, ULONG cbEntryID, LPENTRYID lpEntryID,
                                 ULONG ulFlags, ULONG ulNewStatus, ULONG ulMask, ULONG *lpulStatus,
                                 bool set)
{
    const char *fn = set ? "SetMessageStatus" : "GetMessageStatus";
    if (!set && lpulStatus == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: NULL out pointer", fn);
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "%s: unknown flags 0x%08lX", fn,
                            (unsigned long)ulFlags);
    if (set && !o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "%s: the folder is open read-only", fn);
    int64_t mid = 0;
    HRESULT hr = fm_folder_message_id(o->store, cbEntryID, lpEntryID, &mid);
    if (hr != S_OK)
        return hr;
    fm_store *s = o->store;
    fm_store_lock(s);
    hr = set ? fm_db_begin(s->db) : S_OK;
    sqlite3_stmt *st = NULL;
    if (hr == S_OK)
        hr = fm_db_prepare(s->db, "SELECT status FROM messages WHERE mid = ?1 AND fid = ?2 "
                                  "AND deleted_at IS NULL", &st);
    ULONG old = 0;
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, mid);
        sqlite3_bind_int64(st, 2, o->id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            old = (ULONG)sqlite3_column_int64(st, 0);
        else if (rc == SQLITE_DONE)
            hr = fm_error_set(MAPI_E_NOT_FOUND, "%s: no such message in this folder", fn);
        else
            hr = fm_db_error(s->db, rc, fn);
        fm_db_finish(st);
    }
    if (hr == S_OK && set) {
        ULONG now = (old & ~ulMask) | (ulNewStatus & ulMask);
        hr = fm_db_prepare(s->db, "UPDATE messages SET status = ?2 WHERE mid = ?1", &st);
        if (hr == S_OK) {
            sqlite3_bind_int64(st, 1, mid);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
            int rc = sqlite3_step(st);
            if (rc != SQLITE_DONE)
                hr = fm_db_error(s->db, rc, fn);
            fm_db_finish(st);
        }
    }
    if (set)
        hr = hr == S_OK ? fm_db_commit(s->db) : (fm_db_rollback(s->db), hr);
    fm_store_unlock(s);
    if (hr == S_OK && lpulStatus != NULL)
        *lpulStatus = old;
    return hr;
}

/* The read-flag change: bits to set and to clear. */
typedef struct read_change {
    fm_store *s;
    int64_t fid;
    ULONG set, clear;
    LPENTRYLIST list; /* NULL: the whole folder, walked by cur */
    ULONG next;
    fm_bulk_cursor cur;
    ULONG done;
    bool partial;
} read_change;

/* Applies the change to one message; *found says whether it is a live
 * message of the folder. The change number stays: as IMessage::SetReadFlag,
 * marking a message read does not make its open copies stale. */
static HRESULT set_read_one(read_change *c, int64_t mid, bool *found)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(c->s->db, "UPDATE messages SET flags = (flags | ?3) & ~?4"
                                         " WHERE mid = ?1 AND fid = ?2 AND deleted_at IS NULL",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, mid);
    sqlite3_bind_int64(st, 2, c->fid);
    sqlite3_bind_int64(st, 3, c->set);
    sqlite3_bind_int64(st, 4, c->clear);
    int rc = sqlite3_step(st);
    *found = sqlite3_changes(c->s->db->conn) > 0;
    fm_db_finish(st);
    return rc == SQLITE_DONE ? S_OK : fm_db_error(c->s->db, rc, "SetReadFlags");
}

static HRESULT read_list_step(void *ctx, bool *more)
{
    read_change *c = ctx;
    SBinary *b = &c->list->lpbin[c->next++];
    int64_t mid = 0;
    bool found = false;
    HRESULT hr = S_OK;
    if (fm_folder_message_id(c->s, b->cb, (LPENTRYID)b->lpb, &mid) == S_OK)
        hr = set_read_one(c, mid, &found);
    c->partial |= !found;
    c->done++;
    *more = c->next < c->list->cValues;
    return hr;
}

static HRESULT read_folder_step(void *ctx, bool *more)
{
    read_change *c = ctx;
    int64_t mid = 0;
    bool found = false;
    HRESULT hr = fm_bulk_cursor_next(c->s->db, &c->cur, &mid);
    if (hr != S_OK || mid == 0) {
        *more = false;
        return hr;
    }
    hr = set_read_one(c, mid, &found);
    c->done += found;
    return hr;
}

/* The messages a whole-folder change walks: the live normal messages, and
 * the highest mid now (messages arriving meanwhile are left alone). */
static HRESULT folder_extent(fm_store *s, int64_t fid, ULONG *n, int64_t *max_mid)
{
    int64_t count = 0;
    fm_store_lock(s);
    HRESULT hr = fm_db_select_int(s->db,
                                  "SELECT count(*) FROM messages WHERE fid = ?1 AND "
                                  "assoc = 0 AND deleted_at IS NULL",
                                  FM_DB_INTS(fid), 0, &count, "SetReadFlags");
    if (hr == S_OK)
        hr = fm_db_select_int(s->db, "SELECT max(mid) FROM messages", FM_DB_NO_INTS, 0, max_mid,
                              "SetReadFlags");
    fm_store_unlock(s);
    *n = (ULONG)count;
    return hr;
}

HRESULT fm_folder_set_read_flags(fm_object *o, LPENTRYLIST lpMsgList, LPMAPIPROGRESS lpProgress,
                                 ULONG ulFlags)
{
    const ULONG known = SUPPRESS_RECEIPT | CLEAR_READ_FLAG | GENERATE_RECEIPT_ONLY |
                        MAPI_DEFERRED_ERRORS | CLEAR_RN_PENDING | CLEAR_NRN_PENDING |
                        MESSAGE_DIALOG;
    if (ulFlags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "SetReadFlags: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~known));
    if ((ulFlags & SUPPRESS_RECEIPT) && (ulFlags & CLEAR_READ_FLAG))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "SetReadFlags: SUPPRESS_RECEIPT with CLEAR_READ_FLAG");
    if (lpMsgList != NULL && lpMsgList->cValues > 0 && lpMsgList->lpbin == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetReadFlags: lpbin is NULL");
    if (!o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "SetReadFlags: the folder is open read-only");
    if (ulFlags & GENERATE_RECEIPT_ONLY)
        return S_OK; /* no receipts are generated by this store: nothing changes */
    read_change c = { .s = o->store, .fid = o->id, .list = lpMsgList };
    if (ulFlags & CLEAR_READ_FLAG)
        c.clear |= MSGFLAG_READ;
    else
        c.set |= MSGFLAG_READ;
    if (ulFlags & CLEAR_RN_PENDING)
        c.clear |= MSGFLAG_RN_PENDING;
    if (ulFlags & CLEAR_NRN_PENDING)
        c.clear |= MSGFLAG_NRN_PENDING;
    ULONG total = lpMsgList ? lpMsgList->cValues : 0;
    int64_t max_mid = 0;
    HRESULT hr = lpMsgList ? S_OK : folder_extent(o->store, o->id, &total, &max_mid);
    fm_bulk_cursor_init(&c.cur, o->id, 0, max_mid);
    fm_progress pr;
    if (hr == S_OK)
        hr = fm_progress_start(&pr, (ulFlags & MESSAGE_DIALOG) ? lpProgress : NULL, total);
    if (hr != S_OK)
        return hr;
    if (lpMsgList != NULL && lpMsgList->cValues == 0)
        return fm_progress_report(&pr, 0);
    fm_bulk_loop l = { .s = o->store, .step = lpMsgList ? read_list_step : read_folder_step,
                       .ctx = &c, .pr = &pr, .done = &c.done };
    hr = fm_bulk_run(&l);
    if (hr == S_OK && c.partial)
        return fm_error_set(MAPI_W_PARTIAL_COMPLETION,
                            "SetReadFlags: some entries are not messages of this folder");
    return hr;
}
