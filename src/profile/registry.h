/*
 * profile/registry.h - the session registry: which profiles live sessions
 * use, shared by every process of the OS user.
 *
 * Each session holds one lock file, <profile dir>/sessions/<profile UID>-
 * <pid>-<n>.lock, with an exclusive flock(2) lock on its own open file
 * description. The kernel drops the lock when the session closes the file
 * or its process dies in any way (SIGKILL included), so liveness comes from
 * the OS: a file whose lock can be taken belongs to a dead session and is
 * removed by whoever finds it. A PID alone is never trusted (PIDs are
 * reused). The directory therefore holds one file per live session plus,
 * at most until the next scan, the files of sessions that died.
 *
 * A file is created under a temporary name, locked, then renamed into
 * place, so a scanner never sees a registered file unlocked.
 */
#ifndef FREEMAPI_PROFILE_REGISTRY_H
#define FREEMAPI_PROFILE_REGISTRY_H

#include <stdbool.h>

#include "mapidefs.h"

typedef struct fm_registry_entry fm_registry_entry;

/* Registers a session of profile uid, first removing the files of dead
 * sessions. MAPI_E_NO_ACCESS, NOT_ENOUGH_MEMORY. */
HRESULT fm_registry_enter(const char *profile_dir, const MAPIUID *uid, fm_registry_entry **out);
/* Unregisters (NULL: nothing). */
void fm_registry_leave(fm_registry_entry *e);

/* Whether a live session (of any process) uses profile uid; dead sessions'
 * files found on the way are removed. uid NULL: only the clean-up, for
 * every profile. */
HRESULT fm_registry_in_use(const char *profile_dir, const MAPIUID *uid, bool *in_use);

/* Calls fn(ctx, uid, pid) for every live session (removing dead sessions'
 * files on the way); a return other than S_OK stops and is returned. */
typedef HRESULT (*fm_registry_fn)(void *ctx, const MAPIUID *uid, long pid);
HRESULT fm_registry_each(const char *profile_dir, fm_registry_fn fn, void *ctx);

/* The number of files in the registry (live sessions plus unreclaimed dead
 * ones), for tests. */
size_t fm_registry_count(const char *profile_dir);

#endif /* FREEMAPI_PROFILE_REGISTRY_H */
