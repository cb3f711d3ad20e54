/*
 * freemapi_acl.h - folder permissions (the ACL table) of site mailboxes
 * (freemapi's extension to edkmdb.h).
 *
 * A folder's permissions are its ACL table: IMAPIFolder::OpenProperty
 * (PR_ACL_TABLE, &IID_IExchangeModifyTable) gives an IExchangeModifyTable
 * whose GetTable lists one row per member (PR_MEMBER_ID, PR_MEMBER_ENTRYID,
 * PR_MEMBER_NAME, PR_MEMBER_RIGHTS) and whose ModifyTable adds (ROW_ADD, by
 * PR_MEMBER_ENTRYID: a site user's directory entry ID, as the address book
 * gives it), changes (ROW_MODIFY) and removes (ROW_REMOVE, by PR_MEMBER_ID)
 * rows, or replaces them all (ROWLIST_REPLACE), in one transaction of the
 * mailbox's store file. Every folder has the Default row (member ID 0: any
 * site user without a row of their own) and the Anonymous row (member ID
 * -1); both start with no rights and are never removed (ROW_REMOVE sets
 * their rights to 0). A user's member ID is their directory entry's id.
 *
 * Who the ACLs bind: the mailbox's owner and whoever holds owner, full
 * access or impersonation rights on it (fmapi_site_grant) have every right
 * on every folder. Any other site user is a delegate: they may open the
 * mailbox (OpenMsgStore) when the ACL of some folder of it gives them (or
 * Default) some right, and then the ACLs decide each operation:
 *   frightsVisible          the folder is listed in hierarchy tables and
 *                           opens (OpenEntry); else MAPI_E_NO_ACCESS. The
 *                           root folder and the IPM subtree, the way to
 *                           every folder, are visible to every delegate;
 *   frightsReadAny          its contents table, and opening any message
 *                           (without it: only messages the delegate made);
 *   frightsCreate           CreateMessage, and copying or moving into it;
 *   frightsEditOwned/Any    SaveChanges of an existing message the
 *                           delegate made / of any message;
 *   frightsDeleteOwned/Any  DeleteMessages (and moving out) of such ones;
 *   frightsCreateSubfolder  CreateFolder in it, and copying a folder into it;
 *   frightsOwner            changing the folder's properties, deleting or
 *                           moving it, and ModifyTable of its ACL table.
 * "Made by the delegate" is recorded by the store when a delegate saves a
 * new message. PR_RIGHTS of a folder gives the caller's rights on it, and
 * PR_ACCESS follows them; IExchangeManageStore::GetRights gives any user's.
 * A change of an ACL (in any process) reaches a store already open at its
 * next call: the rights are read from the store file at each check.
 *
 * Embedded mode: fmapi_site_open_mailbox, like opening a store file, acts
 * as the mailbox owner (the file system is what protects the files).
 */
#ifndef FREEMAPI_ACL_H
#define FREEMAPI_ACL_H

#include "edkmdb.h"
#include "freemapi_site.h"

FREEMAPI_BEGIN_DECLS

/* PR_MEMBER_ID of the two rows every ACL table has. */
#define FMAPI_ACL_MEMBER_DEFAULT ((LONGLONG)0)
#define FMAPI_ACL_MEMBER_ANONYMOUS ((LONGLONG)-1)

/* The permission levels Outlook offers (the roles of [MS-OXCPERM] and
 * Exchange's folder permission levels), as PR_MEMBER_RIGHTS bits. */
#define FMAPI_ROLE_NONE rightsNone
#define FMAPI_ROLE_CONTRIBUTOR (frightsCreate | frightsVisible)
#define FMAPI_ROLE_REVIEWER (frightsReadAny | frightsVisible)
#define FMAPI_ROLE_NONEDITING_AUTHOR (FMAPI_ROLE_REVIEWER | frightsCreate | frightsDeleteOwned)
#define FMAPI_ROLE_AUTHOR (FMAPI_ROLE_NONEDITING_AUTHOR | frightsEditOwned)
#define FMAPI_ROLE_PUBLISHING_AUTHOR (FMAPI_ROLE_AUTHOR | frightsCreateSubfolder)
#define FMAPI_ROLE_EDITOR (FMAPI_ROLE_AUTHOR | frightsEditAny | frightsDeleteAny)
#define FMAPI_ROLE_PUBLISHING_EDITOR (FMAPI_ROLE_EDITOR | frightsCreateSubfolder)
#define FMAPI_ROLE_OWNER (FMAPI_ROLE_PUBLISHING_EDITOR | frightsOwner | frightsContact)
/* Every bit PR_MEMBER_RIGHTS may hold. */
#define FMAPI_RIGHTS_VALID (FMAPI_ROLE_OWNER | frightsFreeBusySimple | frightsFreeBusyDetailed)

/*
 * The directory entry ID of the site user named name (alias or SMTP
 * address), in a MAPI buffer: what ROW_ADD takes as PR_MEMBER_ENTRYID.
 * MAPI_E_NOT_FOUND (no such user, or a list), MAPI_E_AMBIGUOUS_RECIP.
 */
FREEMAPI_PUBLIC HRESULT fmapi_site_member_entryid(fmapi_site *site, const char *name,
                                                  ULONG *lpcb, LPENTRYID *lppEntryID);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_ACL_H */
