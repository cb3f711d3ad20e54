/*
 * profile/session_list.c - fmapi_list_sessions: the live sessions of the OS
 * user, from the session registry, named from the profile store
 * (include/freemapi_session.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "freemapi_session.h"
#include "mapicode.h"
#include "profile/profstore.h"
#include "profile/registry.h"

typedef struct list_ctx {
    fm_profstore *ps;
    fmapi_session_fn fn;
    void *ctx;
} list_ctx;

static HRESULT one_session(void *ctx, const MAPIUID *uid, long pid)
{
    list_ctx *l = ctx;
    fm_profile p;
    bool named = fm_profile_get(l->ps, uid, &p) == S_OK;
    fmapi_session_info info = {
        .profile = named ? p.name : "",
        .profile_uid = *uid,
        .profile_deleted = named && p.deleted,
        .pid = pid,
    };
    fm_error_clear(); /* a profile that could not be read is not the call's failure */
    return l->fn(l->ctx, &info);
}

FREEMAPI_PUBLIC HRESULT fmapi_list_sessions(fmapi_session_fn fn, void *ctx)
{
    if (fn == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_list_sessions: fn is NULL");
    /* No profile store yet: no profiles, so no sessions, and listing them
     * creates nothing. */
    char dir[4096], db[4200];
    HRESULT hr = fm_profstore_dir_path(dir, sizeof dir);
    if (hr != S_OK)
        return hr;
    snprintf(db, sizeof db, "%s/" FM_PROFSTORE_FILE, dir);
    if (access(db, F_OK) != 0 && errno == ENOENT)
        return S_OK;
    fm_profstore *ps = NULL;
    hr = fm_profstore_open(&ps);
    if (hr != S_OK)
        return hr;
    list_ctx l = { ps, fn, ctx };
    hr = fm_registry_each(ps->dir, one_session, &l);
    fm_profstore_close(ps);
    return hr;
}
