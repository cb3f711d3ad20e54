/*
 * freemapi_session.h - the live MAPI sessions of the OS user, in every
 * process (freemapi's extension; `mapi stats` shows them).
 *
 * Each session that MAPILogonEx opens is registered until it logs off or
 * its process ends in any way, SIGKILL included: the registry is kept by the
 * kernel's file locks, never by trusting a process ID (see KB 303221: a
 * profile deleted while sessions use it is removed when the last of them
 * ends, and until then it is listed here as deleted).
 */
#ifndef FREEMAPI_SESSION_H
#define FREEMAPI_SESSION_H

#include "mapidefs.h"

FREEMAPI_BEGIN_DECLS

/* One live session. The strings are valid during the callback only. */
typedef struct fmapi_session_info {
    const char *profile; /* the profile's name ("" if it could not be read) */
    MAPIUID profile_uid;
    BOOL profile_deleted; /* deleted while in use: goes when its sessions end */
    long pid;             /* the process holding the session */
} fmapi_session_info;

/* Called once per live session; a return other than S_OK stops the walk
 * and is returned by fmapi_list_sessions. */
typedef HRESULT (*fmapi_session_fn)(void *ctx, const fmapi_session_info *session);

/*
 * Calls fn for every live session of this OS user's profiles (the profile
 * store in $FREEMAPI_PROFILE_DIR, else $XDG_CONFIG_HOME/freemapi, else
 * ~/.config/freemapi), in no particular order. Registrations left by
 * sessions whose process died are removed on the way. Works whether or not
 * MAPIInitialize was called; without a profile store there are no sessions
 * (and nothing is created).
 *
 * Errors: MAPI_E_INVALID_PARAMETER (fn NULL), MAPI_E_NO_ACCESS (the profile
 * directory cannot be read), MAPI_E_NOT_ENOUGH_MEMORY, or what fn returned.
 */
FREEMAPI_PUBLIC HRESULT fmapi_list_sessions(fmapi_session_fn fn, void *ctx);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_SESSION_H */
