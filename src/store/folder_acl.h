/*
 * store/folder_acl.h - folder permissions (freemapi_acl.h): the ACL rows
 * kept in the store file (folder_acl.c), the checks every operation of a
 * delegate passes (access_check.c), and the ACL table, IExchangeModifyTable
 * on PR_ACL_TABLE (acl_table.c).
 *
 * The store knows nothing of sites: the layer that opens a site mailbox
 * (session_stores.c) tells it who acts (fm_store_set_principal): the user's
 * directory id, whether that user is a delegate (bound by the ACLs) or has
 * every right (the owner, full access), and how to name a member. A store
 * without a principal (a store file opened directly, the embedded mode's
 * fmapi_site_open_mailbox) acts as its owner.
 *
 * Tables (made by the first ModifyTable or delegate's save that needs them,
 * so older files and the schema migrations stay as they are):
 *   fm_acl          (fid, member, entryid, name, rights): a row per explicit
 *                   member of a folder's ACL; member 0 is Default, -1
 *                   Anonymous, else a directory entry's id;
 *   fm_acl_creator  (mid, member): which delegate made a message.
 */
#ifndef FREEMAPI_STORE_FOLDER_ACL_H
#define FREEMAPI_STORE_FOLDER_ACL_H

#include "edkmdb.h"
#include "store/store.h"

/* What the site layer answers about members. */
typedef struct fm_store_directory {
    /* The display name of the user with directory id member (fm_malloc'd);
     * MAPI_E_NOT_FOUND when there is no such user. */
    HRESULT (*member_name)(void *ctx, int64_t member, char **name);
    void (*release)(void *ctx);
} fm_store_directory;

/* Sets who acts through s (before it is shared); dir with ctx (which the
 * store then owns) may be NULL. user 0 with delegate false: the owner. */
void fm_store_set_principal(fm_store *s, int64_t user, bool delegate,
                            const fm_store_directory *dir, void *ctx);

/* The directory entry ID layout (site/identity.h): abFlags[4] 0, MAPIUID
 * "freemapi.sitedir", version 1, kind 1 (user), 2 zero bytes, uint64 LE
 * id. The member id an entry ID names, or MAPI_E_INVALID_ENTRYID. */
#define FM_ACL_MEMBER_EID_SIZE 32
HRESULT fm_acl_member_of_entryid(ULONG cb, const BYTE *eid, int64_t *member);
void fm_acl_member_entryid(int64_t member, BYTE out[FM_ACL_MEMBER_EID_SIZE]);

/* ---- folder_acl.c: the stored rows ------------------------------------------ */

/* The rights member holds on fid as stored: its own row, else Default's
 * (store locked or not: takes the lock). */
HRESULT fm_acl_member_rights(fm_store *s, int64_t fid, int64_t member, ULONG *out);
/* Whether member (or Default) holds some right on some folder of s. */
HRESULT fm_acl_any_rights(fm_store *s, int64_t member, bool *out);
/* Inside a write transaction: makes the tables if missing. */
HRESULT fm_acl_ensure_tables(fm_store *s);
/* Inside the transaction saving new message mid: records a delegate as its
 * maker (nothing for anyone else). */
HRESULT fm_acl_note_creator(fm_store *s, int64_t mid);
/* Whether the acting delegate made message mid. */
HRESULT fm_acl_made_by_principal(fm_store *s, int64_t mid, bool *out);

/* ---- access_check.c: the checks -------------------------------------------- */

/* The acting user's rights on folder fid (FMAPI_ROLE_OWNER for whoever
 * has them all). */
HRESULT fm_acl_rights(fm_store *s, int64_t fid, ULONG *out);
/* S_OK when the acting user holds every bit of need on fid, else
 * MAPI_E_NO_ACCESS with text naming what (the operation). */
HRESULT fm_acl_require(fm_store *s, int64_t fid, ULONG need, const char *what);
/* For message mid of folder fid: S_OK with the any right, or the owned
 * right on a message the delegate made. */
HRESULT fm_acl_require_message(fm_store *s, int64_t fid, int64_t mid, ULONG any, ULONG owned,
                               const char *what);
/* OpenEntry of message mid (its folder's ReadAny, or the delegate's own). */
HRESULT fm_acl_require_open_message(fm_store *s, int64_t mid);
/* SaveChanges of a message of fid (mid 0: new). */
HRESULT fm_acl_require_save(fm_store *s, int64_t fid, int64_t mid);
/* Every message of list (entry IDs of s) in folder fid, with any/owned. */
HRESULT fm_acl_require_messages(fm_store *s, int64_t fid, const ENTRYLIST *list, ULONG any,
                                ULONG owned, const char *what);
/* A folder named by an entry ID (DeleteFolder, CopyFolder's source). */
HRESULT fm_acl_require_folder_eid(fm_store *s, ULONG cb, const ENTRYID *eid, ULONG need,
                                  const char *what);
/* IMAPIFolder::CopyMessages from folder src (object of a freemapi folder)
 * to dest (an IMAPIFolder pointer). */
HRESULT fm_acl_require_copy(fm_store *s, int64_t src, const ENTRYLIST *list, void *dest,
                            bool move);
/* IMAPIFolder::CopyFolder of the folder named by eid into dest. */
HRESULT fm_acl_require_copy_folder(fm_store *s, ULONG cb, const ENTRYID *eid, void *dest,
                                   bool move);
/* Whether a delegate sees folder fid in hierarchy tables. */
bool fm_acl_visible(fm_store *s, int64_t fid);
/* PR_ACCESS of a folder reduced to what the acting user's rights allow. */
ULONG fm_acl_folder_access(fm_store *s, int64_t fid, ULONG access);

/* ---- acl_table.c: IExchangeModifyTable ------------------------------------- */

/* OpenProperty(PR_ACL_TABLE, IID_IExchangeModifyTable) on folder fid. */
HRESULT fm_acl_table_open(fm_store *s, int64_t fid, IExchangeModifyTable **out);

#endif /* FREEMAPI_STORE_FOLDER_ACL_H */
