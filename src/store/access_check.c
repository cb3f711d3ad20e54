/*
 * store/access_check.c - the folder-permission checks a delegate's every
 * operation passes (folder_acl.h, freemapi_acl.h). Each is one or two
 * indexed reads of the store file, done only for a delegate, so the owner
 * pays nothing and an ACL changed by any process binds the next call.
 */
#include "core/error.h"
#include "freemapi_acl.h"
#include "mapicode.h"
#include "store/entryid.h"
#include "store/folder.h"
#include "store/folder_acl.h"

/* The folders every delegate passes through: the root and the IPM subtree. */
static bool is_path_folder(fm_store *s, int64_t fid)
{
    return fid == s->std_fid[FM_FOLDER_ROOT] || fid == s->std_fid[FM_FOLDER_IPM_SUBTREE];
}

HRESULT fm_acl_rights(fm_store *s, int64_t fid, ULONG *out)
{
    if (!s->acl_delegate) {
        *out = FMAPI_ROLE_OWNER;
        return S_OK;
    }
    HRESULT hr = fm_acl_member_rights(s, fid, s->acl_user, out);
    if (hr == S_OK && is_path_folder(s, fid))
        *out |= frightsVisible;
    /* PR_RIGHTS carries no free/busy bits ([MS-OXCFOLD] 2.2.2.2.2.8). */
    *out &= ~(frightsFreeBusySimple | frightsFreeBusyDetailed);
    return hr;
}

static const char *right_name(ULONG bit)
{
    switch (bit) {
    case frightsReadAny: return "read items (ReadAny)";
    case frightsCreate: return "create items (Create)";
    case frightsEditOwned: return "edit own items (EditOwned)";
    case frightsDeleteOwned: return "delete own items (DeleteOwned)";
    case frightsEditAny: return "edit items (EditAny)";
    case frightsDeleteAny: return "delete items (DeleteAny)";
    case frightsCreateSubfolder: return "create subfolders (CreateSubfolder)";
    case frightsOwner: return "own the folder (FolderOwner)";
    default: return "see the folder (FolderVisible)";
    }
}

static HRESULT refuse(ULONG missing, const char *what)
{
    ULONG bit = missing & (~missing + 1); /* the lowest missing right */
    return fm_error_set(MAPI_E_NO_ACCESS, "%s: the folder's permissions do not let this user %s",
                        what, right_name(bit));
}

HRESULT fm_acl_require(fm_store *s, int64_t fid, ULONG need, const char *what)
{
    if (!s->acl_delegate)
        return S_OK;
    ULONG r = 0;
    HRESULT hr = fm_acl_rights(s, fid, &r);
    if (hr == S_OK && (r & need) != need)
        hr = refuse(need & ~r, what);
    return hr;
}

HRESULT fm_acl_require_message(fm_store *s, int64_t fid, int64_t mid, ULONG any, ULONG owned,
                               const char *what)
{
    if (!s->acl_delegate)
        return S_OK;
    ULONG r = 0;
    HRESULT hr = fm_acl_rights(s, fid, &r);
    if (hr != S_OK || (r & any) == any)
        return hr;
    bool mine = false;
    if (owned != 0 && (r & owned) == owned)
        hr = fm_acl_made_by_principal(s, mid, &mine);
    if (hr == S_OK && !mine)
        hr = refuse(any & ~r, what);
    return hr;
}

/* The folder of message mid (0 for an embedded one). */
static HRESULT folder_of_message(fm_store *s, int64_t mid, int64_t *fid)
{
    fm_store_lock(s);
    HRESULT hr = fm_db_select_int(s->db, "SELECT ifnull(fid, 0) FROM messages WHERE mid = ?1",
                                  FM_DB_INTS(mid), 0, fid, "reading a message's folder");
    fm_store_unlock(s);
    return hr;
}

HRESULT fm_acl_require_open_message(fm_store *s, int64_t mid)
{
    if (!s->acl_delegate)
        return S_OK;
    int64_t fid = 0;
    HRESULT hr = folder_of_message(s, mid, &fid);
    if (hr != S_OK || fid == 0)
        return hr; /* a missing message is OpenEntry's to report */
    return fm_acl_require_message(s, fid, mid, frightsReadAny, frightsVisible, "OpenEntry");
}

HRESULT fm_acl_require_save(fm_store *s, int64_t fid, int64_t mid)
{
    if (!s->acl_delegate || fid == 0)
        return S_OK;
    if (mid == 0)
        return fm_acl_require(s, fid, frightsCreate, "SaveChanges");
    return fm_acl_require_message(s, fid, mid, frightsEditAny, frightsEditOwned, "SaveChanges");
}

HRESULT fm_acl_require_messages(fm_store *s, int64_t fid, const ENTRYLIST *list, ULONG any,
                                ULONG owned, const char *what)
{
    if (!s->acl_delegate || list == NULL)
        return S_OK;
    ULONG r = 0;
    HRESULT hr = fm_acl_rights(s, fid, &r);
    if (hr != S_OK || (r & any) == any)
        return hr;
    for (ULONG i = 0; i < list->cValues && hr == S_OK; i++) {
        int64_t mid = 0;
        /* An entry ID that names no message of this folder is the
         * operation's own error to report. */
        if (fm_folder_message_id(s, list->lpbin[i].cb, (LPENTRYID)list->lpbin[i].lpb, &mid) ==
            S_OK)
            hr = fm_acl_require_message(s, fid, mid, any, owned, what);
    }
    fm_error_clear();
    return hr;
}

HRESULT fm_acl_require_folder_eid(fm_store *s, ULONG cb, const ENTRYID *eid, ULONG need,
                                  const char *what)
{
    if (!s->acl_delegate)
        return S_OK;
    MAPIUID uid;
    int kind = 0;
    uint64_t id = 0;
    if (fm_entryid_parse(cb, eid, &uid, &kind, &id) != S_OK || kind != FM_EID_FOLDER) {
        fm_error_clear();
        return S_OK; /* the operation reports a bad entry ID itself */
    }
    return fm_acl_require(s, (int64_t)id, need, what);
}

HRESULT fm_acl_require_copy(fm_store *s, int64_t src, const ENTRYLIST *list, void *dest,
                            bool move)
{
    HRESULT hr = fm_acl_require_messages(s, src, list, frightsReadAny, 0, "CopyMessages");
    if (hr == S_OK && move)
        hr = fm_acl_require_messages(s, src, list, frightsDeleteAny, frightsDeleteOwned,
                                     "CopyMessages (MESSAGE_MOVE)");
    fm_object *d = fm_folder_local(dest);
    if (hr == S_OK && d != NULL)
        hr = fm_acl_require(d->store, d->id, frightsCreate, "CopyMessages");
    return hr;
}

HRESULT fm_acl_require_copy_folder(fm_store *s, ULONG cb, const ENTRYID *eid, void *dest,
                                   bool move)
{
    HRESULT hr = fm_acl_require_folder_eid(s, cb, eid, move ? frightsOwner : frightsReadAny,
                                           move ? "CopyFolder (FOLDER_MOVE)" : "CopyFolder");
    fm_object *d = fm_folder_local(dest);
    if (hr == S_OK && d != NULL)
        hr = fm_acl_require(d->store, d->id, frightsCreateSubfolder, "CopyFolder");
    return hr;
}

bool fm_acl_visible(fm_store *s, int64_t fid)
{
    ULONG r = 0;
    return fm_acl_rights(s, fid, &r) == S_OK && (r & frightsVisible);
}

ULONG fm_acl_folder_access(fm_store *s, int64_t fid, ULONG access)
{
    if (!s->acl_delegate)
        return access;
    ULONG r = 0;
    if (fm_acl_rights(s, fid, &r) != S_OK)
        return 0;
    ULONG a = access & MAPI_ACCESS_READ;
    if (r & frightsOwner)
        a |= access & (MAPI_ACCESS_MODIFY | MAPI_ACCESS_DELETE);
    if (r & frightsCreateSubfolder)
        a |= access & MAPI_ACCESS_CREATE_HIERARCHY;
    if (r & frightsCreate)
        a |= access & (MAPI_ACCESS_CREATE_CONTENTS | MAPI_ACCESS_CREATE_ASSOCIATED);
    return a;
}
