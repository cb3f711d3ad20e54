/*
 * site/identity.c - a user authenticated on a site and the mailbox access
 * checks made for it (identity.h).
 */
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "mapix.h"
#include "site/identity.h"

const MAPIUID FM_SITE_DIRECTORY_UID = { { 'f', 'r', 'e', 'e', 'm', 'a', 'p', 'i', '.', 's', 'i',
                                          't', 'e', 'd', 'i', 'r' } };

HRESULT fm_identity_new(fmapi_site *site, fm_site_entry *user, fm_identity **out)
{
    *out = NULL;
    fm_identity *id = fm_calloc(1, sizeof *id);
    if (id == NULL) {
        fmapi_site_close(site);
        fm_site_entry_clear(user);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory logging on");
    }
    atomic_init(&id->refs, 1);
    pthread_mutex_init(&id->lock, NULL);
    id->site = site;
    id->user = *user;
    memset(user, 0, sizeof *user);
    *out = id;
    return S_OK;
}

void fm_identity_addref(fm_identity *id)
{
    atomic_fetch_add(&id->refs, 1);
}

void fm_identity_release(fm_identity *id)
{
    if (id == NULL || atomic_fetch_sub(&id->refs, 1) != 1)
        return;
    fmapi_site_close(id->site);
    fm_site_entry_clear(&id->user);
    pthread_mutex_destroy(&id->lock);
    fm_free(id);
}

static const ULONG MAILBOX_RIGHTS = FMAPI_RIGHT_OWNER | FMAPI_RIGHT_FULL_ACCESS |
                                    FMAPI_RIGHT_IMPERSONATION;

/* Checks the identity may open found's mailbox (the lock is held). With
 * delegate non-NULL, a user without mailbox rights is let through as a
 * delegate (*delegate true), whom the folder permissions then bind. */
static HRESULT check_access(fm_identity *id, fm_site_entry *found, bool *delegate)
{
    if (found->kind != FM_SITE_KIND_USER || !found->has_store) {
        fm_site_entry_clear(found);
        return fm_error_set(MAPI_E_NOT_FOUND, "that directory entry has no mailbox");
    }
    ULONG rights = 0;
    HRESULT hr = fm_site_rights_of(id->site, id->user.id, found->id, &rights);
    if (delegate != NULL)
        *delegate = hr == S_OK && !(rights & MAILBOX_RIGHTS);
    if (hr == S_OK && !(rights & MAILBOX_RIGHTS) && delegate == NULL)
        hr = fm_error_set(MAPI_E_NO_ACCESS, "%s holds no full access or impersonation right on "
                                            "the mailbox of %s", id->user.alias, found->alias);
    if (hr != S_OK)
        fm_site_entry_clear(found);
    return hr;
}

/* The alias a mailbox DN names: the part after its last "/cn=". */
static const char *dn_alias(const char *name)
{
    const char *last = NULL;
    for (const char *p = name; (p = strchr(p, '/')) != NULL; p++)
        if (strncasecmp(p, "/cn=", 4) == 0)
            last = p + 4;
    return last ? last : name;
}

HRESULT fm_identity_mailbox_by_name(fm_identity *id, const char *name, fm_site_entry *out,
                                    bool *delegate)
{
    pthread_mutex_lock(&id->lock);
    HRESULT hr = fm_site_find(id->site, dn_alias(name), out);
    if (hr == S_OK)
        hr = check_access(id, out, delegate);
    pthread_mutex_unlock(&id->lock);
    return hr;
}

HRESULT fm_identity_mailbox_by_uid(fm_identity *id, const MAPIUID *uid, fm_site_entry *out)
{
    return fm_identity_mailbox_for_open(id, uid, out, NULL);
}

HRESULT fm_identity_mailbox_for_open(fm_identity *id, const MAPIUID *uid, fm_site_entry *out,
                                     bool *delegate)
{
    pthread_mutex_lock(&id->lock);
    HRESULT hr = fm_site_find_store(id->site, uid, out);
    if (hr == S_OK)
        hr = check_access(id, out, delegate);
    pthread_mutex_unlock(&id->lock);
    return hr;
}

HRESULT fm_identity_grant_new(fm_identity *id, const fm_site_entry *mailbox,
                              fm_identity_grant **out)
{
    *out = NULL;
    fm_identity_grant *g = fm_calloc(1, sizeof *g);
    if (g == NULL || (g->alias = fm_strdup(mailbox->alias ? mailbox->alias : "")) == NULL) {
        fm_free(g);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a mailbox");
    }
    g->mailbox = mailbox->id;
    g->allowed = true; /* check_access just said so */
    pthread_mutex_lock(&id->lock);
    HRESULT hr = fm_db_generation(id->site->db, &g->seen);
    pthread_mutex_unlock(&id->lock);
    if (hr != S_OK) {
        fm_free(g->alias);
        fm_free(g);
        return hr;
    }
    fm_identity_addref(id);
    g->id = id;
    *out = g;
    return S_OK;
}

HRESULT fm_identity_still_allowed(fm_identity_grant *g)
{
    fm_identity *id = g->id;
    if (g->delegate)
        return S_OK; /* the folder permissions decide, at each call (folder_acl.h) */
    uint64_t now = 0;
    pthread_mutex_lock(&id->lock);
    HRESULT hr = fm_db_generation(id->site->db, &now);
    if (hr == S_OK && now != g->seen) {
        ULONG rights = 0;
        hr = fm_site_rights_of(id->site, id->user.id, g->mailbox, &rights);
        if (hr == S_OK) {
            g->allowed = (rights & MAILBOX_RIGHTS) != 0;
            g->seen = now;
        }
    }
    bool allowed = g->allowed;
    pthread_mutex_unlock(&id->lock);
    if (hr == S_OK && !allowed)
        hr = fm_error_set(MAPI_E_NO_ACCESS, "%s no longer holds full access or impersonation "
                                            "rights on the mailbox of %s (revoked while it "
                                            "was open)", id->user.alias, g->alias);
    return hr;
}

void fm_identity_grant_free(fm_identity_grant *g)
{
    if (g == NULL)
        return;
    fm_identity_release(g->id);
    fm_free(g->alias);
    fm_free(g);
}

HRESULT fm_identity_entryid(const fm_identity *id, ULONG *cb, LPENTRYID *eid)
{
    return fm_site_user_entryid(id->user.id, cb, eid);
}

HRESULT fm_site_user_entryid(int64_t user, ULONG *cb, LPENTRYID *eid)
{
    BYTE *p = NULL;
    if (MAPIAllocateBuffer(FM_IDENTITY_EID_SIZE, (void **)&p) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory in QueryIdentity");
    memset(p, 0, FM_IDENTITY_EID_SIZE);
    memcpy(p + 4, FM_SITE_DIRECTORY_UID.ab, 16);
    p[20] = 1;
    p[21] = 1;
    uint64_t v = (uint64_t)user;
    for (int i = 0; i < 8; i++)
        p[24 + i] = (BYTE)(v >> (8 * i));
    *cb = FM_IDENTITY_EID_SIZE;
    *eid = (LPENTRYID)p;
    return S_OK;
}
