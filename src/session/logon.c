/*
 * session/logon.c - MAPILogonEx: from a profile name to a session.
 *
 * Order matters for KB 303221: the session registers itself for the
 * profile's UID before it reads the profile by that UID, so a concurrent
 * DeleteProfile either is seen (the profile reads as deleted: this logon
 * fails with MAPI_E_NOT_FOUND) or sees this session (and only marks the
 * profile deleted). No UI exists: MAPI_LOGON_UI, MAPI_PASSWORD_UI and
 * MAPI_SERVICE_UI_ALWAYS are accepted and never show anything; what UI
 * would have asked for must be in the profile already (MAPI_LOGON_UI with
 * no name takes the default profile the chooser would preselect).
 *
 * Passwords: a profile may have its own (IProfAdmin::CreateProfile); then
 * lpszPassword must match it. Otherwise lpszPassword is the site password
 * for a site mailbox service that remembers none.
 *
 * Shared sessions: a logon with MAPI_ALLOW_OTHERS makes its session the
 * process's shared one; a later logon without MAPI_NEW_SESSION gets that
 * session (another reference) instead of a new one, as documented.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/init.h"
#include "core/text.h"
#include "profile/services.h"
#include "session/session.h"
#include "site/pwhash.h"
#include "site/site_cache.h"

#define KNOWN_LOGON_FLAGS                                                                    \
    (MAPI_LOGON_UI | MAPI_NEW_SESSION | MAPI_ALLOW_OTHERS | MAPI_EXPLICIT_PROFILE |         \
     MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_FORCE_DOWNLOAD | MAPI_SERVICE_UI_ALWAYS |      \
     MAPI_NO_MAIL | MAPI_NT_SERVICE | MAPI_PASSWORD_UI | MAPI_TIMEOUT_SHORT | MAPI_BG_SESSION | \
     MAPI_UNICODE)

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static fm_session *shared_session;

/* Takes the shared session (another reference), if any. */
static fm_session *take_shared(void)
{
    pthread_mutex_lock(&shared_lock);
    fm_session *s = shared_session;
    if (s != NULL)
        IMAPISession_AddRef((IMAPISession *)s);
    pthread_mutex_unlock(&shared_lock);
    return s;
}

void fm_logon_unshare(fm_session *s)
{
    pthread_mutex_lock(&shared_lock);
    if (shared_session == s)
        shared_session = NULL;
    pthread_mutex_unlock(&shared_lock);
}

/* The default profile, or why there is none for what asked for it. */
static HRESULT default_profile(fm_session *s, const char *why, fm_profile *out)
{
    HRESULT hr = fm_profile_default(s->ps, out);
    if (hr == MAPI_E_NOT_FOUND)
        return fm_error_set(MAPI_E_NOT_FOUND, "MAPILogonEx: there is no default profile for %s",
                            why);
    return hr;
}

/*
 * Finds the profile to log on to, as MAPILogonEx documents: MAPI_USE_DEFAULT
 * substitutes the default profile for the name passed, whatever it is, and
 * MAPI_EXPLICIT_PROFILE counts only when no name was passed. With no name,
 * MAPI_LOGON_UI shows Windows' profile chooser with the default profile
 * preselected; freemapi has no chooser and takes that profile.
 */
static HRESULT find_profile(fm_session *s, const char *name, ULONG flags, fm_profile *out)
{
    bool named = name[0] != '\0';
    bool explicit_profile = !named && (flags & MAPI_EXPLICIT_PROFILE);
    if ((flags & MAPI_USE_DEFAULT) && !explicit_profile)
        return default_profile(s, "MAPI_USE_DEFAULT", out);
    if (named)
        return fm_profile_find(s->ps, name, out);
    if ((flags & MAPI_LOGON_UI) && !explicit_profile) {
        HRESULT hr = default_profile(s, "MAPI_LOGON_UI", out);
        if (hr == MAPI_E_NOT_FOUND) /* what the chooser would have asked for */
            return fm_error_set(MAPI_E_LOGON_FAILED,
                                "MAPILogonEx: no profile name and no default profile for "
                                "MAPI_LOGON_UI to preselect (freemapi shows no profile chooser: "
                                "pass a name or set a default profile)");
        return hr;
    }
    return fm_error_set(MAPI_E_LOGON_FAILED, "MAPILogonEx: no profile name, and no UI to ask "
                                             "for one (pass a name or MAPI_USE_DEFAULT)");
}

/* Adds a configured store to the session. */
static HRESULT add_store(fm_session *s, const fm_service *svc, const char *path,
                         const MAPIUID *uid)
{
    fm_session_store *grown = fm_realloc(s->stores, (s->nstores + 1) * sizeof *grown);
    if (grown == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory logging on");
    s->stores = grown;
    fm_session_store *st = &s->stores[s->nstores];
    memset(st, 0, sizeof *st);
    st->service_uid = svc->uid;
    st->provider_uid = svc->provider_uid;
    st->store_uid = *uid;
    st->display = fm_strdup(svc->display);
    st->path = fm_strdup(path);
    if (st->display == NULL || st->path == NULL) {
        fm_free(st->display);
        fm_free(st->path);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory logging on");
    }
    s->nstores++;
    return S_OK;
}

/* Logs on to a site mailbox service. */
static HRESULT logon_site(fm_session *s, const fm_service *svc, fm_service_config *cfg,
                          const char *password)
{
    fmapi_site *site = NULL;
    HRESULT hr = fm_site_shared_open(cfg->site, &site);
    fm_site_entry user;
    memset(&user, 0, sizeof user);
    if (hr == S_OK)
        hr = fm_site_authenticate(site, cfg->user, cfg->password ? cfg->password : password,
                                  &user);
    if (hr == S_OK && !user.has_store)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "site user %s has no mailbox", cfg->user);
    char *path = hr == S_OK ? fm_site_store_path(site, user.id) : NULL;
    if (hr == S_OK && path == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory logging on");
    if (hr == S_OK)
        hr = add_store(s, svc, path, &user.store_uid);
    fm_free(path);
    if (hr != S_OK) {
        fm_site_entry_clear(&user);
        fmapi_site_close(site);
        return hr;
    }
    if (s->id != NULL && !svc->primary_identity) { /* one identity per session */
        fm_site_entry_clear(&user);
        fmapi_site_close(site);
        return S_OK;
    }
    fm_identity_release(s->id);
    s->id = NULL;
    s->identity_store = s->nstores - 1;
    return fm_identity_new(site, &user, &s->id);
}

/* Reads the profile's services into the session's store list. */
static HRESULT load_services(fm_session *s, const char *password)
{
    fm_service *svcs = NULL;
    size_t n = 0;
    HRESULT hr = fm_service_list(s->ps, &s->profile.uid, &svcs, &n);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        fm_service_config cfg;
        hr = fm_service_config_read(s->ps, &s->profile.uid, &svcs[i], &cfg);
        if (hr == S_OK && cfg.kind == FM_SERVICE_KIND_STORE && !cfg.has_uid)
            hr = fm_error_set(MAPI_E_UNCONFIGURED, "message service \"%s\" has not been "
                                                   "configured", svcs[i].display);
        if (hr == S_OK && cfg.kind == FM_SERVICE_KIND_STORE)
            hr = add_store(s, &svcs[i], cfg.path, &cfg.store_uid);
        else if (hr == S_OK)
            hr = logon_site(s, &svcs[i], &cfg, password);
        fm_service_config_clear(&cfg);
    }
    fm_free(svcs);
    s->default_store = s->nstores > 0 ? 0 : s->nstores;
    if (s->identity_store >= s->nstores)
        s->identity_store = s->nstores;
    return hr;
}

static HRESULT logon(fm_session *s, const char *name, const char *password, ULONG flags)
{
    fm_profile found;
    HRESULT hr = fm_profstore_open(&s->ps);
    if (hr == S_OK)
        hr = find_profile(s, name, flags, &found);
    if (hr == S_OK)
        hr = fm_registry_enter(s->ps->dir, &found.uid, &s->reg);
    if (hr == S_OK)
        hr = fm_profile_get(s->ps, &found.uid, &s->profile);
    if (hr == S_OK && s->profile.deleted)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "profile \"%s\" has been deleted", found.name);
    if (hr == MAPI_E_NOT_FOUND && s->reg != NULL)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "profile \"%s\" has been deleted", found.name);
    if (hr == S_OK && s->profile.pwhash[0] != '\0' &&
        !fm_pwhash_verify(s->profile.pwhash, password))
        hr = fm_error_set(MAPI_E_LOGON_FAILED, "wrong password for profile \"%s\"",
                          s->profile.name);
    s->identity_store = (size_t)-1;
    if (hr == S_OK)
        hr = load_services(s, s->profile.pwhash[0] != '\0' ? NULL : password);
    return hr;
}

STDAPI MAPILogonEx(ULONG_PTR ulUIParam, LPTSTR lpszProfileName, LPTSTR lpszPassword,
                   ULONG ulFlags, LPMAPISESSION *lppSession)
{
    if (lppSession == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPILogonEx: lppSession is NULL");
    *lppSession = NULL;
    if (ulFlags & ~(ULONG)KNOWN_LOGON_FLAGS)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "MAPILogonEx: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~(ULONG)KNOWN_LOGON_FLAGS));
    HRESULT hr = fm_init_check("MAPILogonEx");
    char name[1024], password[1024];
    if (hr == S_OK)
        hr = fm_text_arg_utf8(lpszProfileName, (ulFlags & MAPI_UNICODE) != 0, name, sizeof name,
                              "the profile name");
    if (hr == S_OK && name[0] != '\0')
        hr = fm_profile_check_name(name);
    if (hr == S_OK)
        hr = fm_text_arg_utf8(lpszPassword, (ulFlags & MAPI_UNICODE) != 0, password,
                              sizeof password, "the password");
    if (hr != S_OK)
        return hr;
    if (!(ulFlags & MAPI_NEW_SESSION)) {
        fm_session *shared = take_shared();
        if (shared != NULL) {
            *lppSession = (LPMAPISESSION)shared;
            return S_OK;
        }
    }
    fm_session *s = NULL;
    hr = fm_session_new(&s);
    if (hr != S_OK)
        return hr;
    s->flags = ulFlags;
    hr = logon(s, name, password, ulFlags);
    if (hr != S_OK) {
        IMAPISession_Release((IMAPISession *)s);
        return hr;
    }
    if (ulFlags & MAPI_ALLOW_OTHERS) {
        pthread_mutex_lock(&shared_lock);
        if (shared_session == NULL)
            shared_session = s;
        pthread_mutex_unlock(&shared_lock);
    }
    *lppSession = (LPMAPISESSION)s;
    return S_OK;
}
