/*
 * store/folder_create.c - IMAPIFolder::CreateFolder (folder.h): a new
 * subfolder row, or with OPEN_IF_EXISTS the child of that name.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/text.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "store/folder.h"
#include "store/folder_row.h"
#include "store/propblob.h"
#include "store/store_notify.h"

#define FOLDER_NAME_MAX 256

static HRESULT insert_child(fm_store *s, int64_t parent, const char *name, const char *comment,
                            ULONG type, int64_t *fid)
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
        sqlite3_bind_int(st, 3, (int)type);
        sqlite3_bind_int64(st, 4, fm_store_now());
        sqlite3_bind_blob(st, 5, blob ? blob : "", (int)len, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        hr = rc == SQLITE_DONE ? S_OK : fm_folder_write_error(s, rc, name, "creating a folder");
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
    /* FOLDER_SEARCH: a search folder (search_folder.h), empty until its
     * SetSearchCriteria. */
    if (ulFolderType != FOLDER_GENERIC && ulFolderType != FOLDER_SEARCH)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateFolder: folder type %lu is neither "
                            "FOLDER_GENERIC nor FOLDER_SEARCH", (unsigned long)ulFolderType);
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
    if (hr == S_OK && fid == 0) {
        hr = insert_child(s, o->id, name, comment, ulFolderType, &fid);
        if (hr == S_OK)
            hr = fm_store_notify_object(s, fnevObjectCreated, MAPI_FOLDER, fid, o->id, 0, 0);
    }
    if (hr == S_OK)
        hr = fm_db_commit(s->db);
    else
        fm_db_rollback(s->db);
    fm_store_unlock(s);
    if (hr != S_OK)
        return hr;
    return fm_folder_open(s, fid, true, lppFolder);
}
