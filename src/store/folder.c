/*
 * store/folder.c - IMAPIFolder: a folder of a store, its properties, and
 * creating the folders and messages inside it.
 *
 * Folder properties take effect when set (autosave), as MAPI clients expect
 * of folders. PR_DISPLAY_NAME is kept in its own column, so that names are
 * unique among siblings (ignoring case) and renames are checked by the
 * database; the other properties are in the folder's blob. Counts and
 * identifiers are computed from the database, so they are always right.
 *
 * Contents and hierarchy tables belong to the table layer; the bulk
 * operations (CopyMessages, DeleteMessages, CopyFolder, DeleteFolder,
 * EmptyFolder) to the bulk_*.c files. A search folder's criteria, counts,
 * contents and deletes are search_folder.c's.
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/text.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "props/validate.h"
#include "store/bulk_copy.h"
#include "store/bulk_delete.h"
#include "store/bulk_folder.h"
#include "store/contents_table.h"
#include "store/entryid.h"
#include "store/folder_acl.h"
#include "store/folder.h"
#include "store/folder_row.h"
#include "store/message.h"
#include "store/msgstore.h"
#include "store/object.h"
#include "store/propblob.h"
#include "store/search_folder.h"
#include "store/store_entry.h"
#include "store/store_notify.h"
#include "store/stream.h"
#include "store/values.h"

#ifndef PR_FOLDER_CHILD_COUNT
#define PR_FOLDER_CHILD_COUNT PROP_TAG(PT_LONG, 0x6638) /* [MS-OXPROPS] PidTagFolderChildCount */
#endif

/* Longest folder name accepted, in UTF-8 bytes. */
#define FOLDER_NAME_MAX 256

typedef struct fm_folder {
    const IMAPIFolderVtbl *lpVtbl;
    fm_object base;
    int64_t parent_fid; /* 0 for the root */
    ULONG folder_type;
    int64_t created;
    int64_t modified;
} fm_folder;

static fm_folder *folder_of(fm_object *o)
{
    return (fm_folder *)fm_object_iface(o);
}

static const ULONG FOLDER_COMPUTED[] = {
    PR_ENTRYID,
    PR_RECORD_KEY,
    PR_SOURCE_KEY,
    PR_PARENT_ENTRYID,
    PR_PARENT_SOURCE_KEY,
    PR_STORE_ENTRYID,
    PR_STORE_RECORD_KEY,
    PR_STORE_SUPPORT_MASK,
    PR_OBJECT_TYPE,
    PR_FOLDER_TYPE,
    PR_CONTENT_COUNT,
    PR_CONTENT_UNREAD,
    PR_ASSOC_CONTENT_COUNT,
    PR_SUBFOLDERS,
    PR_FOLDER_CHILD_COUNT,
    PR_CREATION_TIME,
    PR_LAST_MODIFICATION_TIME,
    PR_ACCESS,
    PR_ACCESS_LEVEL,
    PR_RIGHTS,
    PR_IPM_APPOINTMENT_ENTRYID,
    PR_IPM_CONTACT_ENTRYID,
    PR_IPM_JOURNAL_ENTRYID,
    PR_IPM_NOTE_ENTRYID,
    PR_IPM_TASK_ENTRYID,
    PR_IPM_DRAFTS_ENTRYID,
};

static HRESULT count_query(fm_store *s, const char *sql, int64_t fid, LONG *out)
{
    int64_t n = 0;
    fm_store_lock(s);
    HRESULT hr =
        fm_db_select_int(s->db, sql, FM_DB_INTS(fid), 0, &n, "counting a folder's contents");
    fm_store_unlock(s);
    *out = (LONG)n;
    return hr;
}

/* The special-folder entry IDs Outlook reads from the root and the Inbox. */
static HRESULT special_folder(fm_object *o, ULONG tag, void *parent, SPropValue *out)
{
    fm_store *s = o->store;
    if (o->id != s->std_fid[FM_FOLDER_ROOT] && o->id != s->std_fid[FM_FOLDER_INBOX])
        return MAPI_E_NOT_FOUND;
    fm_std_folder role;
    switch (tag) {
    case PR_IPM_APPOINTMENT_ENTRYID: role = FM_FOLDER_CALENDAR; break;
    case PR_IPM_CONTACT_ENTRYID: role = FM_FOLDER_CONTACTS; break;
    case PR_IPM_JOURNAL_ENTRYID: role = FM_FOLDER_JOURNAL; break;
    case PR_IPM_NOTE_ENTRYID: role = FM_FOLDER_NOTES; break;
    case PR_IPM_TASK_ENTRYID: role = FM_FOLDER_TASKS; break;
    default: role = FM_FOLDER_DRAFTS; break;
    }
    return fm_value_entryid(out, tag, s, FM_EID_FOLDER, s->std_fid[role], parent);
}

static ULONG folder_access(fm_object *o)
{
    if (!o->writable)
        return MAPI_ACCESS_READ;
    ULONG a = MAPI_ACCESS_READ | MAPI_ACCESS_MODIFY | MAPI_ACCESS_CREATE_HIERARCHY |
              MAPI_ACCESS_CREATE_CONTENTS | MAPI_ACCESS_CREATE_ASSOCIATED;
    if (fm_store_std_role(o->store, o->id) < 0)
        a |= MAPI_ACCESS_DELETE; /* the standard folders cannot be deleted */
    return a;
}

static HRESULT folder_computed(fm_object *o, ULONG tag, void *parent, SPropValue *out)
{
    fm_folder *f = folder_of(o);
    fm_store *s = o->store;
    LONG n = 0;
    ULONG rights = 0;
    HRESULT hr;
    switch (tag) {
    case PR_ENTRYID:
    case PR_RECORD_KEY: return fm_value_entryid(out, tag, s, FM_EID_FOLDER, o->id, parent);
    case PR_SOURCE_KEY: return fm_value_source_key(out, tag, s, o->id, parent);
    case PR_PARENT_ENTRYID:
        /* The root is its own parent, as MAPI stores report it. */
        return fm_value_entryid(out, tag, s, FM_EID_FOLDER, f->parent_fid ? f->parent_fid : o->id,
                                parent);
    case PR_PARENT_SOURCE_KEY:
        if (f->parent_fid == 0)
            return MAPI_E_NOT_FOUND;
        return fm_value_source_key(out, tag, s, f->parent_fid, parent);
    case PR_STORE_ENTRYID: return fm_value_entryid(out, tag, s, FM_EID_STORE, 0, parent);
    case PR_STORE_RECORD_KEY: return fm_value_binary(out, tag, s->uid.ab, 16, parent);
    case PR_STORE_SUPPORT_MASK: return fm_value_long(out, tag, (LONG)fm_msgstore_support_mask(s));
    case PR_OBJECT_TYPE: return fm_value_long(out, tag, MAPI_FOLDER);
    case PR_FOLDER_TYPE: return fm_value_long(out, tag, (LONG)f->folder_type);
    case PR_CONTENT_COUNT:
        if (f->folder_type == FOLDER_SEARCH) {
            hr = fm_search_count(s, o->id, false, &n);
            return hr == S_OK ? fm_value_long(out, tag, n) : hr;
        }
        hr = count_query(s, "SELECT count(*) FROM messages WHERE fid = ?1 AND assoc = 0 "
                            "AND deleted_at IS NULL", o->id, &n);
        return hr == S_OK ? fm_value_long(out, tag, n) : hr;
    case PR_CONTENT_UNREAD:
        if (f->folder_type == FOLDER_SEARCH) {
            hr = fm_search_count(s, o->id, true, &n);
            return hr == S_OK ? fm_value_long(out, tag, n) : hr;
        }
        hr = count_query(s, "SELECT count(*) FROM messages WHERE fid = ?1 AND assoc = 0 "
                            "AND deleted_at IS NULL AND (flags & 1) = 0", o->id, &n);
        return hr == S_OK ? fm_value_long(out, tag, n) : hr;
    case PR_ASSOC_CONTENT_COUNT:
        hr = count_query(s, "SELECT count(*) FROM messages WHERE fid = ?1 AND assoc = 1 "
                            "AND deleted_at IS NULL", o->id, &n);
        return hr == S_OK ? fm_value_long(out, tag, n) : hr;
    case PR_SUBFOLDERS:
    case PR_FOLDER_CHILD_COUNT:
        hr = count_query(s, "SELECT count(*) FROM folders WHERE parent_fid = ?1 "
                            "AND deleted_at IS NULL", o->id, &n);
        if (hr != S_OK)
            return hr;
        return tag == PR_SUBFOLDERS ? fm_value_bool(out, tag, n > 0) : fm_value_long(out, tag, n);
    case PR_CREATION_TIME: return fm_value_systime(out, tag, f->created);
    case PR_LAST_MODIFICATION_TIME: return fm_value_systime(out, tag, f->modified);
    case PR_ACCESS: /* reduced by the folder's permissions (access_check.c) */
        return fm_value_long(out, tag, (LONG)fm_acl_folder_access(s, o->id, folder_access(o)));
    case PR_RIGHTS: /* the caller's folder permissions (access_check.c) */
        hr = fm_acl_rights(s, o->id, &rights);
        return hr == S_OK ? fm_value_long(out, tag, (LONG)rights) : hr;
    case PR_ACCESS_LEVEL: return fm_value_long(out, tag, o->writable ? MAPI_MODIFY : 0);
    default: return special_folder(o, tag, parent, out);
    }
}

/* Splits PR_DISPLAY_NAME out of the bag: it is saved in its own column. */
static HRESULT take_display_name(fm_object *o, char *name, size_t cap)
{
    SizedSPropTagArray(1, one) = { 1, { PR_DISPLAY_NAME_A } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IPropData_GetProps(o->bag, (LPSPropTagArray)&one, 0, &n, &v);
    if (FAILED(hr))
        return hr;
    name[0] = '\0';
    if (PROP_TYPE(v[0].ulPropTag) == PT_STRING8)
        snprintf(name, cap, "%s", v[0].Value.lpszA);
    MAPIFreeBuffer(v);
    if (name[0] == '\0')
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "a folder's display name cannot be empty");
    if (strlen(name) > FOLDER_NAME_MAX)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "folder names are at most %d bytes",
                            FOLDER_NAME_MAX);
    return S_OK;
}

/* Encodes the bag without PR_DISPLAY_NAME. */
static HRESULT encode_without_name(fm_object *o, void **blob, size_t *len)
{
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IPropData_GetProps(o->bag, NULL, 0, &n, &v);
    if (FAILED(hr))
        return hr;
    ULONG k = 0;
    for (ULONG i = 0; i < n; i++) {
        if (PROP_ID(v[i].ulPropTag) != PROP_ID(PR_DISPLAY_NAME))
            v[k++] = v[i];
    }
    hr = fm_propblob_encode(k, v, blob, len);
    MAPIFreeBuffer(v);
    return hr;
}

static HRESULT folder_save(fm_object *o, ULONG flags)
{
    fm_folder *f = folder_of(o);
    char name[FOLDER_NAME_MAX * 2];
    void *blob = NULL;
    size_t len = 0;
    HRESULT hr = fm_acl_require(o->store, o->id, frightsOwner, "SetProps"); /* folder_acl.h */
    if (hr == S_OK)
        hr = take_display_name(o, name, sizeof name);
    if (hr == S_OK)
        hr = encode_without_name(o, &blob, &len);
    if (hr != S_OK)
        return hr;
    int64_t now = fm_store_now();
    fm_store *s = o->store;
    fm_store_lock(s);
    hr = fm_db_begin(s->db);
    if (hr == S_OK)
        hr = fm_folder_write(s, o->id, name, blob, len, now);
    if (hr == S_OK) /* the tags SetProps or DeleteProps changed (NULL: not known) */
        hr = o->changed != NULL ? fm_store_notify_props(s, MAPI_FOLDER, o->id, f->parent_fid,
                                                        o->nchanged, o->changed)
                                : fm_store_notify_object(s, fnevObjectModified, MAPI_FOLDER,
                                                         o->id, f->parent_fid, 0, 0);
    if (hr == S_OK) /* streams committed through OpenProperty become the folder's */
        hr = fm_object_save_streams(o);
    if (hr == S_OK)
        hr = fm_db_commit(s->db);
    else
        fm_db_rollback(s->db);
    fm_store_unlock(s);
    fm_free(blob);
    if (hr == S_OK) {
        fm_object_forget_pending(o);
        f->modified = now;
        hr = fm_object_mark_clean(o);
    }
    return hr;
}

static bool folder_has_interface(REFIID riid)
{
    return IsEqualIID(riid, &IID_IMAPIFolder) || IsEqualIID(riid, &IID_IMAPIContainer);
}

/* OpenProperty of what a folder opens as an object: its ACL table. */
static HRESULT folder_open_property(fm_object *o, ULONG tag, LPCIID iid, ULONG opts, ULONG flags,
                                    LPUNKNOWN *out)
{
    if (PROP_ID(tag) != PROP_ID(PR_ACL_TABLE))
        return MAPI_E_NO_SUPPORT;
    if (!IsEqualIID(iid, &IID_IExchangeModifyTable))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "OpenProperty: PR_ACL_TABLE opens "
                                                            "as IExchangeModifyTable");
    return fm_acl_table_open(o->store, o->id, (IExchangeModifyTable **)out); /* acl_table.c */
}

static const fm_object_class FOLDER_CLASS = {
    .name = "IMAPIFolder",
    .obj_type = MAPI_FOLDER,
    .stream_owner = FM_STREAM_OWNER_FOLDER,
    .computed_tags = FOLDER_COMPUTED,
    .n_computed = sizeof FOLDER_COMPUTED / sizeof FOLDER_COMPUTED[0],
    .computed = folder_computed,
    .autosave = true,
    .save = folder_save,
    .open_property = folder_open_property,
    .has_interface = folder_has_interface,
};

/* ---- opening --------------------------------------------------------------- */

static const IMAPIFolderVtbl FOLDER_VTBL;

HRESULT fm_folder_open(fm_store *s, int64_t fid, bool writable, IMAPIFolder **out)
{
    *out = NULL;
    fm_folder_row row;
    HRESULT hr = fm_folder_read(s, fid, &row);
    if (hr != S_OK)
        return hr;
    fm_folder *f = fm_calloc(1, sizeof *f);
    if (f == NULL) {
        fm_folder_row_clear(&row);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a folder");
    }
    f->lpVtbl = &FOLDER_VTBL;
    f->parent_fid = row.parent_fid;
    f->folder_type = row.folder_type;
    f->created = row.created;
    f->modified = row.modified;
    hr = fm_object_init(&f->base, &FOLDER_CLASS, s, fid, writable && !s->readonly);
    if (hr != S_OK) {
        fm_free(f);
        fm_folder_row_clear(&row);
        return hr;
    }
    hr = fm_object_load_blob(&f->base, row.props, row.props_len);
    if (hr == S_OK) {
        SPropValue name = { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = row.display_name };
        hr = IPropData_SetProps(f->base.bag, 1, &name, NULL);
    }
    if (hr == S_OK)
        hr = fm_object_mark_clean(&f->base);
    fm_folder_row_clear(&row);
    if (hr != S_OK) {
        fm_object_Release(&f->base);
        return hr;
    }
    *out = (IMAPIFolder *)f;
    return S_OK;
}

/* ---- IMAPIContainer ------------------------------------------------------------ */

static fm_object *obj(IMAPIFolder *This)
{
    return fm_object_of(This);
}

static HRESULT no_support(IMAPIFolder *This, const char *what)
{
    return fm_object_fail(obj(This), fm_error_set(MAPI_E_NO_SUPPORT, "%s", what));
}

static STDMETHODIMP folder_GetContentsTable(IMAPIFolder *This, ULONG ulFlags,
                                            LPMAPITABLE *lppTable)
{
    fm_object *o = obj(This);
    const ULONG known = MAPI_ASSOCIATED | MAPI_UNICODE | MAPI_DEFERRED_ERRORS |
                        SHOW_SOFT_DELETES;
    if (ulFlags & ~known)
        return fm_object_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                                              "GetContentsTable: unknown flags 0x%08lX",
                                              (unsigned long)(ulFlags & ~known)));
    if (lppTable == NULL)
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "GetContentsTable: lppTable is NULL"));
    *lppTable = NULL;
    HRESULT denied = fm_acl_require(o->store, o->id, frightsReadAny, "GetContentsTable");
    if (denied != S_OK)
        return fm_object_fail(o, denied);
    if (folder_of(o)->folder_type == FOLDER_SEARCH && !(ulFlags & MAPI_ASSOCIATED))
        return fm_object_fail(o, fm_search_contents_table_open(o->store, o->id,
                                                               ulFlags & MAPI_UNICODE, lppTable));
    return fm_object_fail(o, fm_contents_table_open(o->store, o->id,
                                                    (ulFlags & MAPI_ASSOCIATED) != 0,
                                                    ulFlags & (MAPI_UNICODE | SHOW_SOFT_DELETES),
                                                    lppTable));
}

static STDMETHODIMP folder_GetHierarchyTable(IMAPIFolder *This, ULONG ulFlags,
                                             LPMAPITABLE *lppTable)
{
    fm_object *o = obj(This);
    const ULONG known = CONVENIENT_DEPTH | MAPI_UNICODE | MAPI_DEFERRED_ERRORS |
                        SHOW_SOFT_DELETES;
    if (ulFlags & ~known)
        return fm_object_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                                              "GetHierarchyTable: unknown flags 0x%08lX",
                                              (unsigned long)(ulFlags & ~known)));
    if (lppTable == NULL)
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "GetHierarchyTable: lppTable is NULL"));
    *lppTable = NULL;
    return fm_object_fail(o, fm_hierarchy_table_open(o->store, o->id,
                                                     ulFlags & (CONVENIENT_DEPTH | MAPI_UNICODE |
                                                                SHOW_SOFT_DELETES),
                                                     lppTable));
}

static STDMETHODIMP folder_OpenEntry(IMAPIFolder *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                     LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                                     LPUNKNOWN *lppUnk)
{
    fm_object *o = obj(This);
    return fm_object_fail(o, fm_store_open_entry(o->store, cbEntryID, lpEntryID, lpInterface,
                                                 ulFlags, lpulObjType, lppUnk, NULL));
}

static STDMETHODIMP folder_SetSearchCriteria(IMAPIFolder *This, LPSRestriction lpRestriction,
                                             LPENTRYLIST lpContainerList, ULONG ulSearchFlags)
{
    fm_object *o = obj(This);
    return fm_object_fail(o, fm_search_set_criteria(o, folder_of(o)->folder_type, lpRestriction,
                                                    lpContainerList, ulSearchFlags));
}

static STDMETHODIMP folder_GetSearchCriteria(IMAPIFolder *This, ULONG ulFlags,
                                             LPSRestriction *lppRestriction,
                                             LPENTRYLIST *lppContainerList,
                                             ULONG *lpulSearchState)
{
    fm_object *o = obj(This);
    return fm_object_fail(o, fm_search_get_criteria(o, folder_of(o)->folder_type, ulFlags,
                                                    lppRestriction, lppContainerList,
                                                    lpulSearchState));
}

/* ---- IMAPIFolder ------------------------------------------------------------------ */

static STDMETHODIMP folder_CreateMessage(IMAPIFolder *This, LPCIID lpInterface, ULONG ulFlags,
                                         LPMESSAGE *lppMessage)
{
    fm_object *o = obj(This);
    const ULONG known = MAPI_DEFERRED_ERRORS | MAPI_ASSOCIATED;
    HRESULT hr = S_OK;
    if (lppMessage == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "CreateMessage: lppMessage is NULL");
    else if (ulFlags & ~known)
        hr = fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CreateMessage: unknown flags 0x%08lX",
                          (unsigned long)(ulFlags & ~known));
    else if (lpInterface != NULL && !IsEqualIID(lpInterface, &IID_IMessage) &&
             !IsEqualIID(lpInterface, &IID_IMAPIProp) && !IsEqualIID(lpInterface, &IID_IUnknown))
        hr = fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "CreateMessage: not an IMessage IID");
    else if (!o->writable)
        hr = fm_error_set(MAPI_E_NO_ACCESS, "CreateMessage: the folder is open read-only");
    else if (folder_of(o)->folder_type == FOLDER_SEARCH && !(ulFlags & MAPI_ASSOCIATED))
        hr = fm_error_set(MAPI_E_NO_SUPPORT, "CreateMessage: a search folder holds no messages "
                                             "of its own (create it in a real folder)");
    if (hr == S_OK)
        hr = fm_acl_require(o->store, o->id, frightsCreate, "CreateMessage"); /* folder_acl.h */
    if (hr == S_OK)
        hr = fm_message_create(o->store, o->id, (ulFlags & MAPI_ASSOCIATED) != 0, lppMessage);
    return fm_object_fail(o, hr);
}

static STDMETHODIMP folder_CopyMessages(IMAPIFolder *This, LPENTRYLIST lpMsgList,
                                        LPCIID lpInterface, LPVOID lpDestFolder,
                                        ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                        ULONG ulFlags)
{
    fm_object *o = obj(This);
    HRESULT denied = fm_acl_require_copy(o->store, o->id, lpMsgList, lpDestFolder,
                                         (ulFlags & MESSAGE_MOVE) != 0); /* folder_acl.h */
    if (denied != S_OK)
        return fm_object_fail(o, denied);
    return fm_object_fail(o, fm_bulk_copy_messages(o, lpMsgList, lpInterface, lpDestFolder,
                                                   lpProgress, ulFlags));
}

static STDMETHODIMP folder_DeleteMessages(IMAPIFolder *This, LPENTRYLIST lpMsgList,
                                          ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                          ULONG ulFlags)
{
    fm_object *o = obj(This);
    HRESULT denied = fm_acl_require_messages(o->store, o->id, lpMsgList, frightsDeleteAny,
                                             frightsDeleteOwned, "DeleteMessages");
    if (denied != S_OK) /* folder_acl.h */
        return fm_object_fail(o, denied);
    if (folder_of(o)->folder_type == FOLDER_SEARCH)
        return fm_object_fail(o, fm_search_delete_messages(o, lpMsgList, ulFlags));
    return fm_object_fail(o, fm_bulk_delete_messages(o, lpMsgList, lpProgress, ulFlags));
}

static STDMETHODIMP folder_CreateFolder(IMAPIFolder *This, ULONG ulFolderType,
                                        LPTSTR lpszFolderName, LPTSTR lpszFolderComment,
                                        LPCIID lpInterface, ULONG ulFlags,
                                        LPMAPIFOLDER *lppFolder)
{
    fm_object *o = obj(This);
    HRESULT denied = fm_acl_require(o->store, o->id, frightsCreateSubfolder, "CreateFolder");
    if (denied != S_OK) /* folder_acl.h */
        return fm_object_fail(o, denied);
    return fm_object_fail(o, fm_folder_create_child(o, ulFolderType, lpszFolderName,
                                                    lpszFolderComment, lpInterface, ulFlags,
                                                    lppFolder));
}

static STDMETHODIMP folder_CopyFolder(IMAPIFolder *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                      LPCIID lpInterface, LPVOID lpDestFolder,
                                      LPTSTR lpszNewFolderName, ULONG_PTR ulUIParam,
                                      LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    fm_object *o = obj(This);
    HRESULT denied = fm_acl_require_copy_folder(o->store, cbEntryID, lpEntryID, lpDestFolder,
                                                (ulFlags & FOLDER_MOVE) != 0); /* folder_acl.h */
    if (denied != S_OK)
        return fm_object_fail(o, denied);
    return fm_object_fail(o, fm_bulk_copy_folder(o, cbEntryID, lpEntryID, lpInterface,
                                                 lpDestFolder, lpszNewFolderName, lpProgress,
                                                 ulFlags));
}

static STDMETHODIMP folder_DeleteFolder(IMAPIFolder *This, ULONG cbEntryID, LPENTRYID lpEntryID,
                                        ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                        ULONG ulFlags)
{
    fm_object *o = obj(This);
    HRESULT denied = fm_acl_require_folder_eid(o->store, cbEntryID, lpEntryID, frightsOwner,
                                               "DeleteFolder"); /* folder_acl.h */
    if (denied != S_OK)
        return fm_object_fail(o, denied);
    return fm_object_fail(o, fm_bulk_delete_folder(o, cbEntryID, lpEntryID, lpProgress, ulFlags));
}

static STDMETHODIMP folder_SetReadFlags(IMAPIFolder *This, LPENTRYLIST lpMsgList,
                                        ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                        ULONG ulFlags)
{
    fm_object *o = obj(This);
    HRESULT denied = fm_acl_require(o->store, o->id, frightsReadAny, "SetReadFlags");
    if (denied != S_OK) /* folder_acl.h */
        return fm_object_fail(o, denied);
    return fm_object_fail(o, fm_folder_set_read_flags(o, lpMsgList, lpProgress, ulFlags));
}

static STDMETHODIMP folder_GetMessageStatus(IMAPIFolder *This, ULONG cbEntryID,
                                            LPENTRYID lpEntryID, ULONG ulFlags,
                                            ULONG *lpulMessageStatus)
{
    fm_object *o = obj(This);
    return fm_object_fail(o, fm_folder_message_status(o, cbEntryID, lpEntryID, ulFlags, 0, 0,
                                                      lpulMessageStatus, false));
}

static STDMETHODIMP folder_SetMessageStatus(IMAPIFolder *This, ULONG cbEntryID,
                                            LPENTRYID lpEntryID, ULONG ulNewStatus,
                                            ULONG ulNewStatusMask, ULONG *lpulOldStatus)
{
    fm_object *o = obj(This);
    return fm_object_fail(o, fm_folder_message_status(o, cbEntryID, lpEntryID, 0, ulNewStatus,
                                                      ulNewStatusMask, lpulOldStatus, true));
}

static STDMETHODIMP folder_SaveContentsSort(IMAPIFolder *This, LPSSortOrderSet lpSortCriteria,
                                            ULONG ulFlags)
{
    return no_support(This, "SaveContentsSort: tables come with the table layer");
}

static STDMETHODIMP folder_EmptyFolder(IMAPIFolder *This, ULONG_PTR ulUIParam,
                                       LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    fm_object *o = obj(This);
    return fm_object_fail(o, fm_bulk_empty_folder(o, lpProgress, ulFlags));
}

/* ---- IUnknown and IMAPIProp: every store object's (store/object.h) ---------- */

static STDMETHODIMP folder_QueryInterface(IMAPIFolder *This, REFIID riid, LPVOID *ppvObj)
{
    return fm_object_QueryInterface(fm_object_of(This), riid, ppvObj);
}

static STDMETHODIMP_(ULONG) folder_AddRef(IMAPIFolder *This)
{
    return fm_object_AddRef(fm_object_of(This));
}

static STDMETHODIMP_(ULONG) folder_Release(IMAPIFolder *This)
{
    return fm_object_Release(fm_object_of(This));
}

static STDMETHODIMP folder_GetLastError(IMAPIFolder *This, HRESULT hResult, ULONG ulFlags,
                                        LPMAPIERROR *lppMAPIError)
{
    return fm_object_GetLastError(fm_object_of(This), hResult, ulFlags, lppMAPIError);
}

static STDMETHODIMP folder_SaveChanges(IMAPIFolder *This, ULONG ulFlags)
{
    return fm_object_SaveChanges(fm_object_of(This), ulFlags);
}

static STDMETHODIMP folder_GetProps(IMAPIFolder *This, LPSPropTagArray lpPropTagArray,
                                    ULONG ulFlags, ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    return fm_object_GetProps(fm_object_of(This), lpPropTagArray, ulFlags, lpcValues,
                              lppPropArray);
}

static STDMETHODIMP folder_GetPropList(IMAPIFolder *This, ULONG ulFlags,
                                       LPSPropTagArray *lppPropTagArray)
{
    return fm_object_GetPropList(fm_object_of(This), ulFlags, lppPropTagArray);
}

static STDMETHODIMP folder_OpenProperty(IMAPIFolder *This, ULONG ulPropTag, LPCIID lpiid,
                                        ULONG ulInterfaceOptions, ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    return fm_object_OpenProperty(fm_object_of(This), ulPropTag, lpiid, ulInterfaceOptions,
                                  ulFlags, lppUnk);
}

static STDMETHODIMP folder_SetProps(IMAPIFolder *This, ULONG cValues, LPSPropValue lpPropArray,
                                    LPSPropProblemArray *lppProblems)
{
    return fm_object_SetProps(fm_object_of(This), cValues, lpPropArray, lppProblems);
}

static STDMETHODIMP folder_DeleteProps(IMAPIFolder *This, LPSPropTagArray lpPropTagArray,
                                       LPSPropProblemArray *lppProblems)
{
    return fm_object_DeleteProps(fm_object_of(This), lpPropTagArray, lppProblems);
}

static STDMETHODIMP folder_CopyTo(IMAPIFolder *This, ULONG ciidExclude, LPCIID rgiidExclude,
                                  LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                                  LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                                  ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    return fm_object_CopyTo(fm_object_of(This), ciidExclude, rgiidExclude, lpExcludeProps,
                            ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP folder_CopyProps(IMAPIFolder *This, LPSPropTagArray lpIncludeProps,
                                     ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                     LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                                     LPSPropProblemArray *lppProblems)
{
    return fm_object_CopyProps(fm_object_of(This), lpIncludeProps, ulUIParam, lpProgress,
                               lpInterface, lpDestObj, ulFlags, lppProblems);
}

static STDMETHODIMP folder_GetNamesFromIDs(IMAPIFolder *This, LPSPropTagArray *lppPropTags,
                                           LPGUID lpPropSetGuid, ULONG ulFlags,
                                           ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames)
{
    return fm_object_GetNamesFromIDs(fm_object_of(This), lppPropTags, lpPropSetGuid, ulFlags,
                                     lpcPropNames, lpppPropNames);
}

static STDMETHODIMP folder_GetIDsFromNames(IMAPIFolder *This, ULONG cPropNames,
                                           LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                           LPSPropTagArray *lppPropTags)
{
    return fm_object_GetIDsFromNames(fm_object_of(This), cPropNames, lppPropNames, ulFlags,
                                     lppPropTags);
}

static const IMAPIFolderVtbl FOLDER_VTBL = {
    .QueryInterface = folder_QueryInterface,
    .AddRef = folder_AddRef,
    .Release = folder_Release,
    .GetLastError = folder_GetLastError,
    .SaveChanges = folder_SaveChanges,
    .GetProps = folder_GetProps,
    .GetPropList = folder_GetPropList,
    .OpenProperty = folder_OpenProperty,
    .SetProps = folder_SetProps,
    .DeleteProps = folder_DeleteProps,
    .CopyTo = folder_CopyTo,
    .CopyProps = folder_CopyProps,
    .GetNamesFromIDs = folder_GetNamesFromIDs,
    .GetIDsFromNames = folder_GetIDsFromNames,
    .GetContentsTable = folder_GetContentsTable,
    .GetHierarchyTable = folder_GetHierarchyTable,
    .OpenEntry = folder_OpenEntry,
    .SetSearchCriteria = folder_SetSearchCriteria,
    .GetSearchCriteria = folder_GetSearchCriteria,
    .CreateMessage = folder_CreateMessage,
    .CopyMessages = folder_CopyMessages,
    .DeleteMessages = folder_DeleteMessages,
    .CreateFolder = folder_CreateFolder,
    .CopyFolder = folder_CopyFolder,
    .DeleteFolder = folder_DeleteFolder,
    .SetReadFlags = folder_SetReadFlags,
    .GetMessageStatus = folder_GetMessageStatus,
    .SetMessageStatus = folder_SetMessageStatus,
    .SaveContentsSort = folder_SaveContentsSort,
    .EmptyFolder = folder_EmptyFolder,
};

fm_object *fm_folder_local(void *iface)
{
    if (iface == NULL || ((IMAPIFolder *)iface)->lpVtbl != &FOLDER_VTBL)
        return NULL;
    return obj(iface);
}
