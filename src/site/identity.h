/*
 * site/identity.h - a user authenticated on a site: who a session is (when
 * its profile has a site mailbox service), with the site connection used
 * to check that user's rights on other mailboxes. The session makes it at
 * logon; the address book and IExchangeManageStore read it.
 *
 * Reference-counted: the session holds one reference and every store it
 * opens holds one (for IExchangeManageStore), so a store released after
 * Logoff still answers, and the identity goes when the last of them does.
 *
 * The identity's entry ID (QueryIdentity) is a freemapi directory entry ID:
 *     abFlags[4] = 0, MAPIUID FM_SITE_DIRECTORY_UID, BYTE version 1,
 *     BYTE kind (1 user), BYTE[2] 0, uint64 LE the directory entry's id.
 * The address book answers for the same IDs (ab/ab.h).
 */
#ifndef FREEMAPI_SITE_IDENTITY_H
#define FREEMAPI_SITE_IDENTITY_H

#include <pthread.h>
#include <stdatomic.h>

#include "site/site.h"

#define FM_IDENTITY_EID_SIZE 32
extern const MAPIUID FM_SITE_DIRECTORY_UID;

typedef struct fm_identity {
    _Atomic unsigned refs;
    pthread_mutex_t lock; /* the site connection is used by one call at a time */
    fmapi_site *site;
    fm_site_entry user;
} fm_identity;

/* Takes over site and user (cleared even on failure). */
HRESULT fm_identity_new(fmapi_site *site, fm_site_entry *user, fm_identity **out);
void fm_identity_addref(fm_identity *id);
void fm_identity_release(fm_identity *id);

/* The directory entry named name (alias, address or a DN ending in
 * "/cn=<alias>") whose mailbox the identity may open: it must hold owner,
 * full access or impersonation rights on it. MAPI_E_NOT_FOUND,
 * MAPI_E_NO_ACCESS. With delegate non-NULL, a user without such a right is
 * answered too, as a delegate (*delegate true; fm_identity_mailbox_for_open). */
HRESULT fm_identity_mailbox_by_name(fm_identity *id, const char *name, fm_site_entry *out,
                                    bool *delegate);
/* The same for the mailbox whose store has UID uid. */
HRESULT fm_identity_mailbox_by_uid(fm_identity *id, const MAPIUID *uid, fm_site_entry *out);

/* The same, for OpenMsgStore: without a mailbox right the user is let in as
 * a delegate (*delegate true; with delegate NULL: MAPI_E_NO_ACCESS), bound
 * by the folder permissions (freemapi_acl.h). */
HRESULT fm_identity_mailbox_for_open(fm_identity *id, const MAPIUID *uid, fm_site_entry *out,
                                     bool *delegate);

/*
 * A mailbox the identity opened through rights granted to it, watched so a
 * revocation reaches the open store (the store's guard, store/store.h):
 * fm_identity_still_allowed re-reads the rights only when the site
 * directory changed since the last look (fm_db_generation: one PRAGMA
 * data_version), and answers MAPI_E_NO_ACCESS, with text, once they no
 * longer give access. Takes a reference on id; fm_identity_grant_free drops it.
 */
typedef struct fm_identity_grant {
    fm_identity *id;
    int64_t mailbox;
    char *alias; /* the mailbox's, for the refusal's text */
    uint64_t seen; /* the directory's generation at the last look */
    bool allowed;
    bool delegate; /* opened without a mailbox right: the folder ACLs decide */
} fm_identity_grant;

HRESULT fm_identity_grant_new(fm_identity *id, const fm_site_entry *mailbox,
                              fm_identity_grant **out);
HRESULT fm_identity_still_allowed(fm_identity_grant *g);
void fm_identity_grant_free(fm_identity_grant *g);

/* The identity's entry ID, in a MAPI buffer. */
HRESULT fm_identity_entryid(const fm_identity *id, ULONG *cb, LPENTRYID *eid);
/* The directory entry ID of the user with id user, in a MAPI buffer. */
HRESULT fm_site_user_entryid(int64_t user, ULONG *cb, LPENTRYID *eid);

#endif /* FREEMAPI_SITE_IDENTITY_H */
