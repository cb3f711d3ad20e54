/*
 * freemapi_site.h - administering a site, freemapi's embedded deployment
 * (freemapi's extension).
 *
 * A site is a directory holding a directory database (directory.db: users,
 * distribution lists and their members, password hashes, mailbox rights)
 * and one store file per mailbox (mailboxes/<n>.fmdb). MAPI programs reach a
 * site's mailboxes through a profile holding the site mailbox service
 * (FMAPI_SERVICE_SITE) and MAPILogonEx; this header is for the tools that
 * create and administer sites.
 *
 * What protects a site in this embedded mode is the file system: whoever
 * can read the site directory can read every mailbox, whatever the rights
 * table says. The rights (owner, full access, send-as, impersonation) and
 * passwords are enforced by freemapi's own code paths for the programs that
 * go through MAPILogonEx; a later server mode will own the files and enforce
 * them against every client. So fmapi_site_open(FMAPI_SITE_CREATE) makes the
 * site directory and its mailboxes directory 0700, and an existing one
 * private: it must belong to the calling user (else MAPI_E_NO_ACCESS), a
 * wider mode is tightened to 0700, and a symbolic link is followed only if
 * the calling user owns it. Every file the site makes holding mail or
 * hashes (directory.db, the mailbox stores, their -wal and -shm) is 0600,
 * whatever the umask.
 *
 * An fmapi_site handle is used by one thread at a time; open one per thread
 * (SQLite serializes the processes and connections that share a site).
 *
 * Names: an alias is 1-64 characters of UTF-8 without control characters.
 * Aliases and SMTP addresses are one namespace: a name (compared without
 * regard to ASCII case) is at most one entry's alias or address, so every
 * call given a name (logon, rights, membership, removal) means one entry.
 * An alias equal to another entry's address, or an address equal to another
 * entry's alias, is refused with MAPI_E_COLLISION (an entry's alias may be
 * its own address). A directory written by an older freemapi may hold such
 * a pair: a name meaning two entries is answered MAPI_E_AMBIGUOUS_RECIP,
 * never with one of them, until one is renamed.
 *
 * Passwords (MAPILogonEx to a site mailbox): a wrong password, an unknown
 * name, a list and a user without a password get one answer,
 * MAPI_E_LOGON_FAILED, after the same work (one Argon2id verification at the
 * site's cost), so an answer does not tell which names exist. Failed logons
 * are counted per user (alias and address together) and per unknown name,
 * in the site directory, so another or a new process continues the count:
 *   - the first 5 consecutive failures cost nothing more;
 *   - after the 6th, the next try is allowed 1 s later, after the 7th 2 s,
 *     doubling with each failure up to 300 s (5 minutes) between tries;
 *   - a try before that is refused without checking the password
 *     (MAPI_E_LOGON_FAILED, "try again in N s") and not counted;
 *   - a right password clears the count, and a name not tried for 24 hours
 *     is forgotten.
 * A try is counted before its password is checked, so parallel tries get no
 * more than sequential ones. The price: someone who keeps failing as a user
 * keeps that user waiting too (at most 5 minutes per try).
 */
#ifndef FREEMAPI_SITE_H
#define FREEMAPI_SITE_H

#include "mapidefs.h"

FREEMAPI_BEGIN_DECLS

/* The two built-in message services (PR_SERVICE_NAME). */
#define FMAPI_SERVICE_STORE "FMSTORE" /* one store file, configured by PR_PST_PATH */
#define FMAPI_SERVICE_SITE "FMSITE"   /* a site mailbox: site, user, password */

/*
 * Configuration of FMAPI_SERVICE_SITE (ConfigureMsgService properties), as
 * the Exchange service takes its server and user:
 *   PR_PROFILE_HOME_SERVER (edkmdb.h)   the site directory
 *   PR_PROFILE_USER (edkmdb.h)          the user's alias or SMTP address
 *   PR_FMAPI_SITE_PASSWORD              the user's password; when absent,
 *                                       MAPILogonEx's lpszPassword is used
 * The password is kept in the profile store (a 0600 file of the OS user),
 * as a remembered PST password is.
 */
#define PR_FMAPI_SITE_PASSWORD PROP_TAG(PT_STRING8, 0x67F0)
#define PR_FMAPI_SITE_PASSWORD_W PROP_TAG(PT_UNICODE, 0x67F0)

typedef struct fmapi_site fmapi_site;

/* fmapi_site_open flags. */
#define FMAPI_SITE_CREATE ((ULONG)0x00000001) /* create the site if missing */
/* With FMAPI_SITE_CREATE: hash this site's passwords at libsodium's minimum
 * Argon2id cost instead of the interactive one. For tests and benchmarks
 * only: such hashes are cheap to attack. */
#define FMAPI_SITE_WEAK_HASHES ((ULONG)0x00000002)

/*
 * Opens (creates) the site in directory dir. Errors: MAPI_E_INVALID_PARAMETER,
 * MAPI_E_UNKNOWN_FLAGS, MAPI_E_NOT_FOUND (no site there), MAPI_E_NO_ACCESS,
 * MAPI_E_CORRUPT_DATA (not a site directory database, or damaged),
 * MAPI_E_VERSION (written by a newer freemapi), MAPI_E_NOT_ENOUGH_MEMORY.
 */
FREEMAPI_PUBLIC HRESULT fmapi_site_open(const char *dir, ULONG ulFlags, fmapi_site **out);
FREEMAPI_PUBLIC void fmapi_site_close(fmapi_site *site);

/*
 * Adds a user and creates the user's mailbox store. password may be NULL
 * (the user cannot log on until one is set). Errors: MAPI_E_INVALID_PARAMETER
 * (bad alias, display name or address), MAPI_E_COLLISION (alias or address
 * taken, as an alias or as an address), store creation errors.
 */
FREEMAPI_PUBLIC HRESULT fmapi_site_add_user(fmapi_site *site, const char *alias,
                                            const char *display_name, const char *smtp,
                                            const char *password);
/* Removes a user or list, with its rights and memberships; a user's mailbox
 * is deleted: its store file, -wal and -shm, and its stream files
 * (<n>.fmdb-streams/), no symbolic link followed (a link found there is
 * removed, not what it names). MAPI_E_NOT_FOUND, MAPI_E_AMBIGUOUS_RECIP;
 * when mailbox files cannot all be deleted, the entry is gone all the same
 * and the error (MAPI_E_NO_ACCESS, MAPI_E_DISK_ERROR) says what is left. */
FREEMAPI_PUBLIC HRESULT fmapi_site_remove(fmapi_site *site, const char *alias);
/* Renames a user or list (new alias, and display name unless NULL).
 * MAPI_E_COLLISION when new_alias is another entry's alias or address. */
FREEMAPI_PUBLIC HRESULT fmapi_site_rename(fmapi_site *site, const char *alias,
                                          const char *new_alias, const char *new_display_name);
FREEMAPI_PUBLIC HRESULT fmapi_site_set_password(fmapi_site *site, const char *alias,
                                                const char *password);

/* Directory attributes of a user or list (fmapi_site_set_attribute). */
#define FMAPI_ATTR_TITLE 1
#define FMAPI_ATTR_COMPANY 2
#define FMAPI_ATTR_DEPARTMENT 3
#define FMAPI_ATTR_OFFICE 4
#define FMAPI_ATTR_PHONE 5
FREEMAPI_PUBLIC HRESULT fmapi_site_set_attribute(fmapi_site *site, const char *alias,
                                                 ULONG attribute, const char *value);

/* Distribution lists and groups: a list has an alias, display name and
 * address; members are users or other lists. */
FREEMAPI_PUBLIC HRESULT fmapi_site_add_list(fmapi_site *site, const char *alias,
                                            const char *display_name, const char *smtp);
FREEMAPI_PUBLIC HRESULT fmapi_site_add_member(fmapi_site *site, const char *list,
                                              const char *member);
FREEMAPI_PUBLIC HRESULT fmapi_site_remove_member(fmapi_site *site, const char *list,
                                                 const char *member);

/* Mailbox rights a user (grantee) holds on another user's mailbox. */
#define FMAPI_RIGHT_OWNER ((ULONG)0x00000001)
#define FMAPI_RIGHT_FULL_ACCESS ((ULONG)0x00000002)
#define FMAPI_RIGHT_SEND_AS ((ULONG)0x00000004)
#define FMAPI_RIGHT_IMPERSONATION ((ULONG)0x00000008)
#define FMAPI_RIGHTS_ALL ((ULONG)0x0000000F)

/* Adds (grant) or removes (revoke) rights bits of grantee on mailbox's
 * mailbox. MAPI_E_NOT_FOUND, MAPI_E_UNKNOWN_FLAGS. A revocation reaches
 * the mailbox also where the grantee has it open already, in any process:
 * the store's next call (GetProps, SaveChanges, OpenEntry, QueryRows, ...)
 * fails with MAPI_E_NO_ACCESS. */
FREEMAPI_PUBLIC HRESULT fmapi_site_grant(fmapi_site *site, const char *grantee,
                                         const char *mailbox, ULONG rights);
FREEMAPI_PUBLIC HRESULT fmapi_site_revoke(fmapi_site *site, const char *grantee,
                                          const char *mailbox, ULONG rights);
/* The rights bits grantee holds on mailbox (a user always owns their own). */
FREEMAPI_PUBLIC HRESULT fmapi_site_rights(fmapi_site *site, const char *grantee,
                                          const char *mailbox, ULONG *rights);

/* Opens the mailbox store of the user named name (alias or SMTP address)
 * for writing (ulFlags 0) or reading (FMAPI_STORE_READONLY, freemapi_store.h).
 * MAPI_E_NOT_FOUND for an unknown name or a list; store open errors. */
FREEMAPI_PUBLIC HRESULT fmapi_site_open_mailbox(fmapi_site *site, const char *name,
                                                ULONG ulFlags, LPMDB *lppMDB);

/* One user or list, as fmapi_site_list shows it (valid during the call). */
#define FMAPI_SITE_USER_ENTRY 1
#define FMAPI_SITE_LIST_ENTRY 2
typedef struct fmapi_site_entry {
    ULONG kind; /* FMAPI_SITE_USER_ENTRY or FMAPI_SITE_LIST_ENTRY */
    const char *alias, *display_name, *smtp; /* smtp may be NULL */
} fmapi_site_entry;

/* Called for each entry; any return but S_OK stops the listing with it. */
typedef HRESULT (*fmapi_site_list_fn)(void *ctx, const fmapi_site_entry *entry);

/* Calls fn for every user and list of site, in the order they were added.
 * Errors: MAPI_E_INVALID_PARAMETER, reading errors, or fn's. */
FREEMAPI_PUBLIC HRESULT fmapi_site_list(fmapi_site *site, fmapi_site_list_fn fn, void *ctx);

/* Calls fn for every user mail to name reaches (kind FMAPI_SITE_USER_ENTRY),
 * each once: name is a user's alias or SMTP address, or a list's (expanded
 * to its members, lists within lists too); a name not found as it is, with
 * a "+tag" in its local part (user+tag@example.org), is looked up without
 * the tag. Errors: MAPI_E_NOT_FOUND (no such user or list, or a list
 * without members), MAPI_E_AMBIGUOUS_RECIP, reading errors, or fn's. */
FREEMAPI_PUBLIC HRESULT fmapi_site_resolve(fmapi_site *site, const char *name,
                                           fmapi_site_list_fn fn, void *ctx);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_SITE_H */
