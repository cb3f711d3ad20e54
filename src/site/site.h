/*
 * site/site.h - an open site (freemapi_site.h) and what the session layer
 * asks of its directory: who a user is, whether a password is right, which
 * rights one user holds on another's mailbox, where a mailbox's store is.
 *
 * Directory schema (directory.db, version 4):
 *   site_meta  key/value: weak_hashes (tests' cheap Argon2 cost)
 *   entries    users (kind 1) and lists (kind 2): alias, display name,
 *              SMTP address, title, company, department, office, phone,
 *              password hash, and for users the mailbox store's UID;
 *              aliases and addresses are one namespace (version 2's
 *              triggers refuse an alias equal to another entry's address
 *              and the reverse), so a name means one entry
 *   members    list -> member (a user or a list)
 *   rights     grantee -> mailbox owner: FMAPI_RIGHT_* bits
 *   logon_failures  (version 3) consecutive failed logons per entry, or per
 *              name for names that are in no entry, and when the next try
 *              is allowed (site_auth.c)
 *   fm_events  (version 4) the change notification log (notify/feed.h,
 *              site_notify.h)
 * Mailboxes: <site>/mailboxes/<entry id>.fmdb, with <entry id>.fmdb-streams/
 * beside it once the store has large streams.
 */
#ifndef FREEMAPI_SITE_SITE_H
#define FREEMAPI_SITE_SITE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "freemapi_site.h"
#include "notify/feed.h"

#define FM_SITE_KIND_USER 1
#define FM_SITE_KIND_LIST 2
#define FM_SITE_NAME_MAX 64 /* characters of an alias */

struct fmapi_site {
    _Atomic unsigned refs; /* fmapi_site_close drops one (site_cache.h) */
    fm_db *db;
    char *dir;
    bool weak_hashes;
    /* Notifications (site_notify.c): the directory file's feed (NULL when
     * notifications are off) and the write transaction's events. */
    fm_feed *feed;
    fm_feed_txn ntxn;
};

/* One user or list as the directory holds it (strings fm_malloc'd). */
typedef struct fm_site_entry {
    int64_t id;
    int kind;
    char *alias, *display, *smtp, *title, *company, *department, *office, *phone;
    char *pwhash;
    MAPIUID store_uid;
    bool has_store;
} fm_site_entry;

void fm_site_entry_clear(fm_site_entry *e);

/* The entry whose alias or SMTP address is name. MAPI_E_NOT_FOUND, and
 * MAPI_E_AMBIGUOUS_RECIP when name is one entry's alias and another's
 * address (a directory written before version 2 can hold such a pair):
 * never one of them picked. */
HRESULT fm_site_find(fmapi_site *site, const char *name, fm_site_entry *out);

/* Whether SMTP address's domain is one of the site's (the domain of some
 * entry's SMTP address), site_domains.c. */
HRESULT fm_site_is_local_domain(fmapi_site *site, const char *address, bool *out);
/* The user whose mailbox store has UID uid. MAPI_E_NOT_FOUND. */
HRESULT fm_site_find_store(fmapi_site *site, const MAPIUID *uid, fm_site_entry *out);

/* The user name with password (site_auth.c); MAPI_E_LOGON_FAILED for an
 * unknown or ambiguous name, a list, a user without a password or a wrong
 * password: one answer, and one Argon2id verification at the site's cost,
 * for all, so a caller cannot probe which names exist. Failures are
 * counted per name in the directory and slow further tries down (the
 * policy in freemapi_site.h): a try before the wait has passed is refused
 * unchecked, with MAPI_E_LOGON_FAILED and "try again in N s". */
HRESULT fm_site_authenticate(fmapi_site *site, const char *name, const char *password,
                             fm_site_entry *out);

/* The logon back-off (freemapi_site.h): free failures, the first wait, the
 * cap, and how long a name without tries is remembered. */
#define FM_SITE_LOGON_FREE_FAILURES 5
#define FM_SITE_LOGON_FIRST_DELAY_MS 1000LL
#define FM_SITE_LOGON_MAX_DELAY_MS (300LL * 1000)
#define FM_SITE_LOGON_FORGET_MS (24LL * 3600 * 1000)
/* The wait (ms) after the failures-th consecutive failure of a name. */
int64_t fm_site_logon_delay_ms(unsigned failures);

/* FMAPI_RIGHT_* bits of grantee on mailbox's mailbox (all of them when
 * they are the same user). */
HRESULT fm_site_rights_of(fmapi_site *site, int64_t grantee, int64_t mailbox, ULONG *out);

/* The display name (else alias) of the user with id member (site_acl.c;
 * fm_malloc'd). MAPI_E_NOT_FOUND when no user has that id. */
HRESULT fm_site_member_name(fmapi_site *site, int64_t member, char **name);

/* The path of a user's mailbox store (fm_malloc'd). */
char *fm_site_store_path(const fmapi_site *site, int64_t id);

/* Checks an alias (1..64 characters of UTF-8, no control characters). */
HRESULT fm_site_check_name(const char *name, const char *what);

/* Reads the entry in the current row of st (columns as FM_SITE_COLUMNS). */
#define FM_SITE_COLUMNS                                                                \
    "id, kind, alias, display, smtp, title, company, department, office, phone, pwhash, " \
    "store_uid"
HRESULT fm_site_entry_read(sqlite3_stmt *st, fm_site_entry *out);

#endif /* FREEMAPI_SITE_SITE_H */
