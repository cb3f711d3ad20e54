/*
 * profile/profstore.h - the profile store of the OS user: profiles, their
 * message services and profile sections, in one SQLite database shared by
 * every process and login session of that user.
 *
 * Where: $FREEMAPI_PROFILE_DIR, else $XDG_CONFIG_HOME/freemapi, else
 * $HOME/.config/freemapi (directory 0700, profiles.db 0600, sessions/ the
 * session registry, profile/registry.h).
 *
 * Schema (version 1):
 *   profiles  uid (MAPIUID), name, password hash, default flag, deleted flag
 *   services  uid, profile, service name, display name, order, the UID of
 *             its one store provider, primary identity flag, transport order
 *   sections  (profile, uid) -> properties (store/propblob.h encoding)
 *
 * Profiles are identified by UID, never by name (KB 303221): a deleted
 * profile in use by a session is only marked deleted, which hides it from
 * names and the profile table while its sessions keep reading it by UID; it
 * is removed when the registry shows no live session of it.
 */
#ifndef FREEMAPI_PROFILE_PROFSTORE_H
#define FREEMAPI_PROFILE_PROFSTORE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "db/db.h"
#include "mapidefs.h"

#define FM_PROFILE_NAME_MAX 64 /* characters */

/* Reference-counted: a session, an admin object and the profile sections
 * they open share one connection, which closes with the last of them.
 * While MAPI is initialized the process keeps one connection open in a
 * cache (one entry, registered with core/init.h), so logons do not reopen
 * the file. */
typedef struct fm_profstore {
    _Atomic unsigned refs;
    pthread_mutex_t lock; /* brackets multi-statement work (transactions) */
    fm_db *db;
    char *dir;
} fm_profstore;

/* Opens (creating as needed) the user's profile store, and removes deleted
 * profiles no session uses any more. */
HRESULT fm_profstore_open(fm_profstore **out);
void fm_profstore_addref(fm_profstore *ps);
/* Drops a reference (NULL: nothing). */
void fm_profstore_close(fm_profstore *ps);

/* The directory the profile store lives in (fm_malloc'd), created when
 * missing. */
HRESULT fm_profstore_dir(char **out);
/* The same path into buf, without creating anything. */
HRESULT fm_profstore_dir_path(char *buf, size_t cap);
/* The file name of the profile store inside its directory. */
#define FM_PROFSTORE_FILE "profiles.db"

/* A new random MAPIUID. */
void fm_profstore_new_uid(MAPIUID *uid);

/* A profile as stored. */
typedef struct fm_profile {
    MAPIUID uid;
    char name[4 * FM_PROFILE_NAME_MAX + 1];
    char pwhash[128];
    bool is_default;
    bool deleted;
} fm_profile;

/* ---- profiles (profiles.c) ------------------------------------------------ */

/* A new profile (MAPI_E_NO_ACCESS when the name is taken). */
HRESULT fm_profile_create(fm_profstore *ps, const char *name, const char *password,
                          MAPIUID *uid);
/* The live (not deleted) profile named name. MAPI_E_NOT_FOUND. */
HRESULT fm_profile_find(fm_profstore *ps, const char *name, fm_profile *out);
/* The profile with uid, deleted or not. MAPI_E_NOT_FOUND. */
HRESULT fm_profile_get(fm_profstore *ps, const MAPIUID *uid, fm_profile *out);
/* The default profile. MAPI_E_NOT_FOUND when there is none. */
HRESULT fm_profile_default(fm_profstore *ps, fm_profile *out);

/* Checks a profile name (1..64 characters). */
HRESULT fm_profile_check_name(const char *name);

/* Removes profile uid now when no session uses it, else marks it deleted
 * (removed later by fm_profile_collect). */
HRESULT fm_profile_delete(fm_profstore *ps, const MAPIUID *uid);
/* Removes every deleted profile without a live session. */
HRESULT fm_profile_collect(fm_profstore *ps);

/* ---- profile sections (sections.c) ---------------------------------------- */

/* The properties of section uid of profile (one MAPI buffer; zero
 * properties when the section does not exist). */
HRESULT fm_section_read(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid,
                        ULONG *cvals, LPSPropValue *vals);
/* Replaces the section's properties. */
HRESULT fm_section_write(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid,
                         ULONG cvals, const SPropValue *vals);

/* ---- message services (service_rows.c) ------------------------------------ */

typedef struct fm_service {
    MAPIUID uid;
    MAPIUID provider_uid;
    char name[64];
    char display[4 * FM_PROFILE_NAME_MAX + 1];
    LONG order;
    bool primary_identity;
} fm_service;

/* The services of profile, in order (fm_malloc'd array, NULL when none). */
HRESULT fm_service_list(fm_profstore *ps, const MAPIUID *profile, fm_service **out,
                        size_t *n);
/* The service (or the service of provider) uid of profile. MAPI_E_NOT_FOUND. */
HRESULT fm_service_get(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid,
                       fm_service *out);

#endif /* FREEMAPI_PROFILE_PROFSTORE_H */
