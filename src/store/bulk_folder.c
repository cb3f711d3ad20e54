/*
 * store/bulk_folder.c - DeleteFolder, CopyFolder and the subfolders of
 * EmptyFolder (see bulk_folder.h).
 *
 * Progress: at the top level each folder of the tree is one item (ulTotal =
 * the folders handled, at least 1, as "Displaying Progress Step by Step"
 * asks for folder copies); a folder's messages are nested work reported
 * within that folder's share of the range.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/text.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "store/bulk_batch.h"
#include "store/bulk_copy.h"
#include "store/bulk_delete.h"
#include "store/bulk_folder.h"
#include "store/store_notify.h"
#include "store/entryid.h"
#include "store/folder.h"
#include "store/folder_row.h"
#include "store/stream.h"

#define FOLDER_NAME_MAX 256

/* ---- small queries -------------------------------------------------------------------- */

static HRESULT select_int(fm_store *s, const char *sql, int64_t a, int64_t b, int64_t *out)
{
    sqlite3_stmt *st;
    fm_store_lock(s);
    HRESULT hr = fm_db_prepare(s->db, sql, &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, a);
        if (sqlite3_bind_parameter_count(st) >= 2)
            sqlite3_bind_int64(st, 2, b);
        int rc = sqlite3_step(st);
        *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            hr = fm_db_error(s->db, rc, "reading the folder tree");
        fm_db_finish(st);
    }
    fm_store_unlock(s);
    return hr;
}

/* The first live child of fid with a fid above after, or 0. */
static HRESULT child_after(fm_store *s, int64_t fid, int64_t after, int64_t *child)
{
    return select_int(s, "SELECT fid FROM folders WHERE parent_fid = ?1 AND deleted_at IS NULL"
                         " AND fid > ?2 ORDER BY fid LIMIT 1", fid, after, child);
}

#define SUBTREE                                                                             \
    "WITH RECURSIVE sub(f) AS (SELECT ?1 UNION SELECT fid FROM folders JOIN sub"           \
    " ON parent_fid = sub.f WHERE deleted_at IS NULL) "

static HRESULT subtree_size(fm_store *s, int64_t fid, ULONG *out)
{
    int64_t n = 0;
    HRESULT hr = select_int(s, SUBTREE "SELECT count(*) FROM sub", fid, 0, &n);
    *out = (ULONG)n;
    return hr;
}

HRESULT fm_bulk_count_subfolders(fm_store *s, int64_t fid, ULONG *out)
{
    int64_t n = 0;
    HRESULT hr = select_int(s, "SELECT count(*) FROM folders WHERE parent_fid = ?1"
                               " AND deleted_at IS NULL", fid, 0, &n);
    *out = (ULONG)n;
    return hr;
}

/* Whether folder anc is fid or one of its ancestors. */
static HRESULT is_ancestor(fm_store *s, int64_t anc, int64_t fid, bool *out)
{
    int64_t n = 0;
    HRESULT hr = select_int(s, "WITH RECURSIVE up(f) AS (SELECT ?2 UNION SELECT parent_fid"
                               " FROM folders JOIN up ON fid = up.f WHERE parent_fid > 0)"
                               " SELECT EXISTS (SELECT 1 FROM up WHERE f = ?1)", anc, fid, &n);
    *out = n != 0;
    return hr;
}

/* ---- deleting a tree ---------------------------------------------------------------- */

/* Ends folder fid (empty by now) in one transaction: the row goes with its
 * streams when hard and no message row points to it any more, else it is
 * marked deleted. */
static HRESULT end_folder(fm_store *s, int64_t fid, bool hard)
{
    int64_t left = 0;
    HRESULT hr = hard ? select_int(s, "SELECT EXISTS (SELECT 1 FROM messages WHERE fid = ?1"
                                      " AND deleted_at IS NULL) OR EXISTS (SELECT 1 FROM"
                                      " messages WHERE fid = ?1 AND deleted_at IS NOT NULL)",
                                 fid, 0, &left)
                      : S_OK;
    if (hr != S_OK)
        return hr;
    int64_t parent = 0;
    fm_store_lock(s);
    hr = fm_db_begin(s->db);
    if (hr == S_OK)
        hr = fm_db_select_int(s->db, "SELECT parent_fid FROM folders WHERE fid = ?1",
                              FM_DB_INTS(fid), 0, &parent, "reading the folder tree");
    if (hr == S_OK)
        hr = fm_store_notify_object(s, fnevObjectDeleted, MAPI_FOLDER, fid, parent, 0, 0);
    if (hr == S_OK)
        hr = fm_db_exec_ints(s->db, "DELETE FROM receive_folders WHERE fid = ?1", FM_DB_INTS(fid),
                             "deleting a folder");
    if (hr == S_OK && hard && !left) {
        hr = fm_stream_delete_owned(s->db, FM_STREAM_OWNER_FOLDER, fid);
        if (hr == S_OK)
            hr = fm_db_exec_ints(s->db, "DELETE FROM folders WHERE fid = ?1", FM_DB_INTS(fid),
                                 "deleting a folder");
    } else if (hr == S_OK) {
        sqlite3_stmt *st;
        hr = fm_db_prepare(s->db, "UPDATE folders SET deleted_at = ?2 WHERE fid = ?1", &st);
        if (hr == S_OK) {
            sqlite3_bind_int64(st, 1, fid);
            sqlite3_bind_int64(st, 2, fm_store_now());
            int rc = sqlite3_step(st);
            fm_db_finish(st);
            if (rc != SQLITE_DONE)
                hr = fm_db_error(s->db, rc, "deleting a folder");
        }
    }
    hr = hr == S_OK ? fm_db_commit(s->db) : (fm_db_rollback(s->db), hr);
    fm_store_unlock(s);
    return hr;
}

/* Clears fid's messages as nested work of item *done of pr. */
static HRESULT clear_nested(fm_store *s, int64_t fid, bool hard, fm_progress *pr, ULONG done)
{
    ULONG n = 0, d = 0;
    bool partial = false;
    fm_progress sub;
    HRESULT hr = fm_bulk_count_messages(s, fid, true, hard, &n);
    if (hr == S_OK)
        hr = fm_progress_enter_nested(pr, done);
    if (hr == S_OK)
        hr = fm_progress_start(&sub, pr->p, n);
    if (hr == S_OK)
        hr = fm_bulk_clear_messages(s, fid, true, hard, false, &sub, &d, &partial);
    if (hr == S_OK)
        hr = fm_progress_leave_nested(pr);
    return hr;
}

/* Whether a folder of the tree is one the store never deletes: the root,
 * the IPM subtree, the search root and the standard folders ([MS-OXCFOLD]
 * 3.2.5.3 answers ecAccessDenied, ecNotSupported for the root). They cannot
 * be moved (CopyFolder refuses FOLDER_MOVE), so they are only ever found
 * directly below the root or the IPM subtree; a walk that meets one keeps
 * it and everything above it, and the operation reports a partial
 * completion ([MS-OXCFOLD] 3.2.5.9 for EmptyFolder). */
static bool kept_folder(fm_store *s, int64_t fid)
{
    return fm_store_std_role(s, fid) >= 0;
}

static HRESULT delete_tree(fm_store *s, int64_t fid, bool hard, fm_progress *pr, ULONG *done,
                           bool *kept)
{
    int64_t child = 0, after = 0;
    bool kept_below = false;
    HRESULT hr;
    /* each deleted child leaves the live rows, so after only steps over
     * the kept ones */
    while ((hr = child_after(s, fid, after, &child)) == S_OK && child != 0) {
        after = child;
        if (kept_folder(s, child))
            kept_below = true;
        else if ((hr = delete_tree(s, child, hard, pr, done, &kept_below)) != S_OK)
            return hr;
    }
    if (hr == S_OK)
        hr = clear_nested(s, fid, hard, pr, *done);
    if (hr == S_OK && !kept_below)
        hr = end_folder(s, fid, hard);
    if (hr == S_OK)
        hr = fm_progress_report(pr, ++*done);
    *kept |= kept_below;
    return hr;
}

HRESULT fm_bulk_delete_children(fm_store *s, int64_t fid, bool hard, fm_progress *pr,
                                ULONG *done, bool *kept)
{
    int64_t child = 0, after = 0;
    HRESULT hr;
    while ((hr = child_after(s, fid, after, &child)) == S_OK && child != 0) {
        after = child;
        if (kept_folder(s, child)) {
            *kept = true;
            hr = fm_progress_report(pr, ++*done);
            if (hr != S_OK)
                return hr;
            continue;
        }
        /* The child's whole tree is nested work of one item. */
        ULONG n = 0, d = 0;
        fm_progress sub;
        hr = subtree_size(s, child, &n);
        if (hr == S_OK)
            hr = fm_progress_enter_nested(pr, *done);
        if (hr == S_OK)
            hr = fm_progress_start(&sub, pr->p, n);
        if (hr == S_OK)
            hr = delete_tree(s, child, hard, &sub, &d, kept);
        if (hr == S_OK)
            hr = fm_progress_leave_nested(pr);
        if (hr == S_OK)
            hr = fm_progress_report(pr, ++*done);
        if (hr != S_OK)
            return hr;
    }
    return hr;
}

/* ---- DeleteFolder ------------------------------------------------------------------- */

/* The fid of a subfolder of o named by an entry ID. */
static HRESULT child_of(fm_object *o, ULONG cb, LPENTRYID eid, const char *fn, int64_t *fid,
                        fm_folder_row *row)
{
    MAPIUID uid;
    int kind = 0;
    uint64_t id = 0;
    HRESULT hr = fm_entryid_parse(cb, eid, &uid, &kind, &id);
    if (hr != S_OK)
        return hr;
    if (memcmp(uid.ab, o->store->uid.ab, 16) != 0)
        return fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "%s: the entry ID belongs to another store",
                            fn);
    if (kind != FM_EID_FOLDER)
        return fm_error_set(MAPI_E_INVALID_ENTRYID, "%s: the entry ID does not name a folder",
                            fn);
    *fid = (int64_t)id;
    /* [MS-OXCFOLD] 3.2.5.3: deleting the root is ecNotSupported */
    if (*fid == o->store->std_fid[FM_FOLDER_ROOT])
        return fm_error_set(MAPI_E_NO_SUPPORT, "%s: the root folder of a store cannot be "
                                               "deleted, moved or copied", fn);
    hr = fm_folder_read(o->store, *fid, row);
    if (hr == S_OK && row->parent_fid != o->id) {
        fm_folder_row_clear(row);
        hr = fm_error_set(MAPI_E_NOT_FOUND, "%s: not a subfolder of this folder", fn);
    }
    if (hr == S_OK && kept_folder(o->store, *fid)) {
        fm_folder_row_clear(row);
        hr = fm_error_set(MAPI_E_NO_ACCESS, "%s: the IPM subtree, the search root and the "
                                            "standard folders cannot be deleted or moved", fn);
    }
    return hr;
}

HRESULT fm_bulk_delete_folder(fm_object *o, ULONG cbEntryID, LPENTRYID lpEntryID,
                              LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    const ULONG known = DEL_MESSAGES | DEL_FOLDERS | FOLDER_DIALOG | DELETE_HARD_DELETE;
    if (ulFlags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "DeleteFolder: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~known));
    if (!o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "DeleteFolder: the folder is open read-only");
    int64_t fid = 0, has = 0;
    fm_folder_row row;
    HRESULT hr = child_of(o, cbEntryID, lpEntryID, "DeleteFolder", &fid, &row);
    if (hr != S_OK)
        return hr;
    fm_folder_row_clear(&row);
    fm_store *s = o->store;
    if (!(ulFlags & DEL_FOLDERS)) {
        hr = child_after(s, fid, 0, &has);
        if (hr == S_OK && has)
            return fm_error_set(MAPI_E_HAS_FOLDERS, "DeleteFolder: the folder has subfolders "
                                                    "and DEL_FOLDERS is not set");
    }
    if (hr == S_OK && !(ulFlags & DEL_MESSAGES)) {
        hr = select_int(s, SUBTREE "SELECT EXISTS (SELECT 1 FROM messages JOIN sub ON fid ="
                                   " sub.f WHERE deleted_at IS NULL)", fid, 0, &has);
        if (hr == S_OK && has)
            return fm_error_set(MAPI_E_HAS_MESSAGES, "DeleteFolder: the folder holds messages "
                                                     "and DEL_MESSAGES is not set");
    }
    ULONG total = 0, done = 0;
    fm_progress pr;
    if (hr == S_OK)
        hr = subtree_size(s, fid, &total);
    if (hr == S_OK)
        hr = fm_progress_start(&pr, (ulFlags & FOLDER_DIALOG) ? lpProgress : NULL, total);
    if (hr == S_OK)
        hr = fm_progress_report(&pr, 0);
    bool kept = false;
    if (hr == S_OK)
        hr = delete_tree(s, fid, (ulFlags & DELETE_HARD_DELETE) != 0, &pr, &done, &kept);
    if (hr == S_OK && kept)
        return fm_error_set(MAPI_W_PARTIAL_COMPLETION, "DeleteFolder: a standard folder inside "
                                                       "was kept, and the folders above it");
    return hr;
}

/* ---- CopyFolder ---------------------------------------------------------------------- */

typedef struct tree_copy {
    fm_store *s;
    bool move, sub, noreplace;
    fm_progress *pr;
    ULONG done;
} tree_copy;

/* A new folder under parent, with src's type and properties (large ones,
 * kept in streams, included). */
static HRESULT copy_row(fm_store *s, int64_t src, int64_t parent, const char *name, int64_t *out)
{
    sqlite3_stmt *st;
    fm_store_lock(s);
    HRESULT hr = fm_db_begin(s->db);
    if (hr == S_OK)
        hr = fm_db_prepare(s->db, "INSERT INTO folders (parent_fid, display_name, folder_type,"
                                  " created, modified, props) SELECT ?2, ?3, folder_type, ?4, ?4,"
                                  " props FROM folders WHERE fid = ?1", &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, src);
        sqlite3_bind_int64(st, 2, parent);
        sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, fm_store_now());
        int rc = sqlite3_step(st);
        fm_db_finish(st);
        *out = sqlite3_last_insert_rowid(s->db->conn);
        if (rc == SQLITE_CONSTRAINT_UNIQUE)
            hr = fm_error_set(MAPI_E_COLLISION, "a folder named \"%s\" already exists", name);
        else if (rc != SQLITE_DONE)
            hr = fm_db_error(s->db, rc, "copying a folder");
        /* Large properties live in streams of their own, not in props. */
        if (hr == S_OK)
            hr = fm_stream_copy_owned(s->db, FM_STREAM_OWNER_FOLDER, src, *out);
        int64_t from = 0;
        if (hr == S_OK)
            hr = fm_db_select_int(s->db, "SELECT parent_fid FROM folders WHERE fid = ?1",
                                  FM_DB_INTS(src), 0, &from, "reading the folder tree");
        if (hr == S_OK)
            hr = fm_store_notify_object(s, fnevObjectCopied, MAPI_FOLDER, *out, parent, src,
                                        from);
        hr = hr == S_OK ? fm_db_commit(s->db) : (fm_db_rollback(s->db), hr);
    }
    fm_store_unlock(s);
    return hr;
}

/* Moves the whole tree of src under parent: one row changes. */
static HRESULT reparent(fm_store *s, int64_t src, int64_t parent, const char *name)
{
    sqlite3_stmt *st;
    int64_t from = 0;
    fm_store_lock(s);
    HRESULT hr = fm_db_begin(s->db);
    if (hr == S_OK)
        hr = fm_db_select_int(s->db, "SELECT parent_fid FROM folders WHERE fid = ?1",
                              FM_DB_INTS(src), 0, &from, "reading the folder tree");
    if (hr == S_OK)
        hr = fm_store_notify_object(s, fnevObjectMoved, MAPI_FOLDER, src, parent, src, from);
    if (hr == S_OK)
        hr = fm_db_prepare(s->db, "UPDATE folders SET parent_fid = ?2, display_name = ?3,"
                                  " modified = ?4, change_num = change_num + 1 WHERE fid = ?1",
                           &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, src);
        sqlite3_bind_int64(st, 2, parent);
        sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, fm_store_now());
        int rc = sqlite3_step(st);
        fm_db_finish(st);
        if (rc == SQLITE_CONSTRAINT_UNIQUE)
            hr = fm_error_set(MAPI_E_COLLISION, "a folder named \"%s\" already exists", name);
        else if (rc != SQLITE_DONE)
            hr = fm_db_error(s->db, rc, "moving a folder");
        hr = hr == S_OK ? fm_db_commit(s->db) : (fm_db_rollback(s->db), hr);
    }
    fm_store_unlock(s);
    return hr;
}

/* Copies (moves) folder src's messages to d as nested work of the current item. */
static HRESULT messages_nested(tree_copy *t, int64_t src, const fm_bulk_dest *d)
{
    ULONG n = 0, done = 0;
    fm_progress sub;
    HRESULT hr = fm_bulk_count_messages(t->s, src, true, false, &n);
    if (hr == S_OK)
        hr = fm_progress_enter_nested(t->pr, t->done);
    if (hr == S_OK)
        hr = fm_progress_start(&sub, t->pr->p, n);
    if (hr == S_OK)
        hr = fm_bulk_copy_folder_messages(t->s, src, d, t->move, &sub, &done);
    if (hr == S_OK)
        hr = fm_progress_leave_nested(t->pr);
    if (hr == S_OK)
        hr = fm_progress_report(t->pr, ++t->done);
    return hr;
}

static HRESULT child_name(fm_store *s, int64_t fid, char *name, size_t cap)
{
    fm_folder_row row;
    HRESULT hr = fm_folder_read(s, fid, &row);
    if (hr == S_OK)
        snprintf(name, cap, "%s", row.display_name);
    fm_folder_row_clear(&row);
    return hr;
}

typedef HRESULT (*copy_rec_fn)(tree_copy *t, int64_t src, void *dest, const char *name);

/* Copies (moves) each subfolder of src into dest with rec. */
static HRESULT copy_children(tree_copy *t, int64_t src, void *dest, copy_rec_fn rec)
{
    int64_t child = 0, after = 0;
    HRESULT hr;
    char name[FOLDER_NAME_MAX * 2];
    while ((hr = child_after(t->s, src, after, &child)) == S_OK && child != 0) {
        hr = child_name(t->s, child, name, sizeof name);
        if (hr == S_OK)
            hr = rec(t, child, dest, name);
        if (hr != S_OK)
            return hr;
        after = child;
    }
    return hr;
}

/* A copy that failed half-way takes back the folder it created, with what
 * was copied into it so far: the copy is whole or absent, and running it
 * again makes one copy, not a second half (a re-run into a folder that
 * existed before merges into it, as CopyFolder without MAPI_NOREPLACE does).
 * A move needs none of this: a moved message or folder is in one place.
 * Returns the copy's error hr, with its text. */
static HRESULT roll_back_tree(fm_store *s, int64_t fid, HRESULT hr)
{
    char text[512];
    snprintf(text, sizeof text, "%s", fm_error_text());
    fm_progress quiet;
    ULONG done = 0;
    bool kept = false;
    if (fm_progress_start(&quiet, NULL, 1) == S_OK)
        (void)delete_tree(s, fid, true, &quiet, &done, &kept); /* else the copy stays half */
    return fm_error_set(hr, "%s", text);
}

static HRESULT local_rec(tree_copy *t, int64_t src, void *dest, const char *name)
{
    int64_t parent = *(int64_t *)dest, target = 0;
    fm_store_lock(t->s);
    HRESULT hr = fm_folder_find_child(t->s, parent, name, &target);
    fm_store_unlock(t->s);
    if (hr == S_OK && target == src) /* the folder onto itself */
        return t->move ? fm_progress_report(t->pr, ++t->done)
                       : fm_error_set(MAPI_E_COLLISION, "CopyFolder: a folder cannot be copied "
                                                        "onto itself");
    if (hr == S_OK && target != 0 && t->noreplace)
        return fm_error_set(MAPI_E_COLLISION, "CopyFolder: a folder named \"%s\" already "
                                              "exists there (MAPI_NOREPLACE)", name);
    if (hr == S_OK && target == 0 && t->move) {
        hr = reparent(t->s, src, parent, name);
        ULONG n = 0;
        if (hr == S_OK)
            hr = subtree_size(t->s, src, &n);
        t->done += n;
        return hr == S_OK ? fm_progress_report(t->pr, t->done) : hr;
    }
    bool created = hr == S_OK && target == 0;
    if (created)
        hr = copy_row(t->s, src, parent, name, &target);
    created &= hr == S_OK;
    fm_bulk_dest d = { .fid = target };
    if (hr == S_OK)
        hr = messages_nested(t, src, &d);
    if (hr == S_OK && (t->sub || t->move))
        hr = copy_children(t, src, &target, local_rec);
    if (hr == S_OK && t->move)
        hr = end_folder(t->s, src, true);
    if (hr != S_OK && created && !t->move)
        hr = roll_back_tree(t->s, target, hr);
    return hr;
}

/* The source folder's own properties (container class, comment, large
 * values kept in streams, ...) onto the copy in another store, through its
 * interface: not the name, which the copy may change, nor the contents and
 * subfolders, which are copied apart. A property the destination refuses
 * is left out, as CopyTo reports it. */
static HRESULT copy_folder_props(fm_store *s, int64_t src, IMAPIFolder *nf)
{
    IMAPIFolder *f = NULL;
    HRESULT hr = fm_folder_open(s, src, false, &f);
    if (hr != S_OK)
        return hr;
    SizedSPropTagArray(4, skip) = { 4, { PR_DISPLAY_NAME, PR_CONTAINER_CONTENTS,
                                         PR_FOLDER_ASSOCIATED_CONTENTS, PR_CONTAINER_HIERARCHY } };
    LPSPropProblemArray problems = NULL;
    hr = IMAPIFolder_CopyTo(f, 0, NULL, (LPSPropTagArray)&skip, 0, NULL, &IID_IMAPIFolder, nf, 0,
                            &problems);
    MAPIFreeBuffer(problems);
    IMAPIFolder_Release(f);
    return hr;
}

static HRESULT remote_rec(tree_copy *t, int64_t src, void *dest, const char *name)
{
    IMAPIFolder *nf = NULL;
    HRESULT hr = IMAPIFolder_CreateFolder((IMAPIFolder *)dest, FOLDER_GENERIC, (LPTSTR)name, NULL,
                                          NULL, t->noreplace ? 0 : OPEN_IF_EXISTS, &nf);
    fm_bulk_dest d = { .remote = nf };
    if (hr == S_OK)
        hr = copy_folder_props(t->s, src, nf);
    if (hr == S_OK)
        hr = messages_nested(t, src, &d);
    if (hr == S_OK && (t->sub || t->move))
        hr = copy_children(t, src, nf, remote_rec);
    if (nf != NULL)
        IMAPIFolder_Release(nf);
    /* Moved: the copies are saved, so the emptied source can go. */
    if (hr == S_OK && t->move)
        hr = end_folder(t->s, src, true);
    return hr;
}

static HRESULT copy_folder_args(fm_object *o, LPCIID iid, void *dest, ULONG flags)
{
    const ULONG known = FOLDER_MOVE | FOLDER_DIALOG | COPY_SUBFOLDERS | MAPI_NOREPLACE |
                        MAPI_UNICODE | MAPI_DECLINE_OK;
    if (flags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CopyFolder: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~known));
    if (dest == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CopyFolder: no destination folder");
    if (iid != NULL && !IsEqualIID(iid, &IID_IMAPIFolder))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                            "CopyFolder: the destination must be an IMAPIFolder");
    if ((flags & FOLDER_MOVE) && !o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "CopyFolder: moving out of a read-only folder");
    return S_OK;
}

HRESULT fm_bulk_copy_folder(fm_object *o, ULONG cbEntryID, LPENTRYID lpEntryID,
                            LPCIID lpInterface, LPVOID lpDestFolder, LPTSTR lpszNewFolderName,
                            LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    HRESULT hr = copy_folder_args(o, lpInterface, lpDestFolder, ulFlags);
    if (hr != S_OK)
        return hr;
    int64_t src = 0;
    fm_folder_row row;
    hr = child_of(o, cbEntryID, lpEntryID, "CopyFolder", &src, &row);
    if (hr != S_OK && hr != MAPI_E_NO_ACCESS)
        return hr;
    if (hr == MAPI_E_NO_ACCESS) { /* a standard folder may be copied, not moved */
        if (ulFlags & FOLDER_MOVE)
            return hr;
        hr = fm_folder_read(o->store, src, &row);
        if (hr != S_OK)
            return hr;
    }
    char name[FOLDER_NAME_MAX * 3 + 4];
    if (lpszNewFolderName != NULL)
        hr = fm_text_arg_utf8(lpszNewFolderName, (ulFlags & MAPI_UNICODE) != 0, name,
                              sizeof name, "CopyFolder: the new name");
    else
        snprintf(name, sizeof name, "%s", row.display_name);
    fm_folder_row_clear(&row);
    if (hr == S_OK && (name[0] == '\0' || strlen(name) > FOLDER_NAME_MAX))
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "CopyFolder: the name is empty or too long");
    fm_bulk_dest d = { 0 };
    if (hr == S_OK)
        hr = fm_bulk_dest_of(o->store, lpDestFolder, &d);
    bool cycle = false;
    if (hr == S_OK && d.remote == NULL)
        hr = is_ancestor(o->store, src, d.fid, &cycle);
    if (hr == S_OK && cycle)
        hr = fm_error_set(MAPI_E_FOLDER_CYCLE, "CopyFolder: the destination is the folder "
                                               "itself or inside it");
    tree_copy t = { .s = o->store, .move = (ulFlags & FOLDER_MOVE) != 0,
                    .sub = (ulFlags & COPY_SUBFOLDERS) != 0,
                    .noreplace = (ulFlags & MAPI_NOREPLACE) != 0 };
    ULONG total = 1;
    if (hr == S_OK && (t.sub || t.move))
        hr = subtree_size(o->store, src, &total);
    fm_progress pr;
    if (hr == S_OK)
        hr = fm_progress_start(&pr, (ulFlags & FOLDER_DIALOG) ? lpProgress : NULL, total);
    t.pr = &pr;
    if (hr == S_OK)
        hr = fm_progress_report(&pr, 0);
    if (hr == S_OK && d.remote == NULL)
        hr = local_rec(&t, src, &d.fid, name);
    else if (hr == S_OK)
        hr = remote_rec(&t, src, d.remote, name);
    return hr;
}
