/*
 * profile/profstore.c - the user's profile store (profstore.h): where it is,
 * its schema, and the connection a process shares while MAPI is
 * initialized. Its rows: profiles.c (profiles), sections.c (profile
 * sections), service_rows.c (message services).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/init.h"
#include "profile/profstore.h"

#define PROFILE_APPLICATION_ID 0x464D5052 /* "FMPR" */

static const char *const PROFILE_STEPS[] = {
    "CREATE TABLE profiles ("
    "  uid BLOB PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  pwhash TEXT NOT NULL DEFAULT '',"
    "  is_default INTEGER NOT NULL DEFAULT 0,"
    "  deleted INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "CREATE UNIQUE INDEX profiles_by_name ON profiles (name COLLATE NOCASE) "
    "  WHERE deleted = 0;"
    "CREATE TABLE services ("
    "  uid BLOB PRIMARY KEY,"
    "  profile BLOB NOT NULL REFERENCES profiles(uid) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  display TEXT NOT NULL,"
    "  ord INTEGER NOT NULL,"
    "  provider_uid BLOB NOT NULL UNIQUE,"
    "  primary_identity INTEGER NOT NULL DEFAULT 0,"
    "  transport_ord INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "CREATE INDEX services_by_profile ON services (profile, ord);"
    "CREATE TABLE sections ("
    "  profile BLOB NOT NULL REFERENCES profiles(uid) ON DELETE CASCADE,"
    "  uid BLOB NOT NULL,"
    "  props BLOB NOT NULL,"
    "  PRIMARY KEY (profile, uid)) WITHOUT ROWID;",
};

static const fm_db_schema PROFILE_SCHEMA = {
    .kind = "profile store",
    .application_id = PROFILE_APPLICATION_ID,
    .steps = PROFILE_STEPS,
    .nsteps = sizeof PROFILE_STEPS / sizeof PROFILE_STEPS[0],
    .corrupt = MAPI_E_CORRUPT_DATA, /* a profile store is not a message store */
    .constraint_collision = true,   /* profile names are unique */
    .init_empty = true,
    .pragmas = FM_DB_SMALL_PRAGMAS,
};

HRESULT fm_profstore_dir_path(char *buf, size_t cap)
{
    const char *env = getenv("FREEMAPI_PROFILE_DIR");
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    int n;
    if (env != NULL && env[0] != '\0')
        n = snprintf(buf, cap, "%s", env);
    else if (xdg != NULL && xdg[0] == '/')
        n = snprintf(buf, cap, "%s/freemapi", xdg);
    else if (home != NULL && home[0] == '/')
        n = snprintf(buf, cap, "%s/.config/freemapi", home);
    else
        return fm_error_set(MAPI_E_NOT_FOUND, "no profile directory: set FREEMAPI_PROFILE_DIR, "
                                              "XDG_CONFIG_HOME or HOME");
    if (n < 0 || (size_t)n >= cap)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "profile directory path too long");
    return S_OK;
}

HRESULT fm_profstore_dir(char **out)
{
    *out = NULL;
    const char *env = getenv("FREEMAPI_PROFILE_DIR");
    char buf[4096];
    HRESULT hr = fm_profstore_dir_path(buf, sizeof buf);
    if (hr != S_OK)
        return hr;
    if (env == NULL || env[0] == '\0') {
        /* The parents ($XDG_CONFIG_HOME, ~/.config) may not exist yet: the
         * XDG base directory rules say to create them, 0700. */
        for (char *slash = strchr(buf + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
            *slash = '\0';
            mkdir(buf, 0700); /* an existing one fails with EEXIST, which is fine */
            *slash = '/';
        }
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return fm_error_set(MAPI_E_NO_ACCESS, "cannot create profile directory %s: %s", buf,
                            strerror(errno));
    if ((*out = fm_strdup(buf)) == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening the profiles");
    return S_OK;
}

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static fm_profstore *cache; /* holds one reference */

/* The cached connection to dir, with a reference for the caller. */
static fm_profstore *cache_get(const char *dir)
{
    pthread_mutex_lock(&cache_lock);
    fm_profstore *ps = cache;
    if (ps != NULL && strcmp(ps->dir, dir) == 0)
        fm_profstore_addref(ps);
    else
        ps = NULL;
    pthread_mutex_unlock(&cache_lock);
    return ps;
}

/* Closes the cached connection (the last MAPIUninitialize). */
static void cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    fm_profstore *old = cache;
    cache = NULL;
    pthread_mutex_unlock(&cache_lock);
    fm_profstore_close(old);
}

static fm_init_cache init_cache = { .clear = cache_clear };

static void cache_put(fm_profstore *ps)
{
    if (!fm_init_active())
        return;
    fm_init_register(&init_cache);
    fm_profstore_addref(ps);
    pthread_mutex_lock(&cache_lock);
    fm_profstore *old = cache;
    cache = ps;
    pthread_mutex_unlock(&cache_lock);
    fm_profstore_close(old);
}

static HRESULT open_new(fm_profstore **out);

HRESULT fm_profstore_open(fm_profstore **out)
{
    *out = NULL;
    char *dir = NULL;
    HRESULT hr = fm_profstore_dir(&dir);
    if (hr != S_OK)
        return hr;
    fm_profstore *ps = cache_get(dir);
    fm_free(dir);
    if (ps == NULL) {
        hr = open_new(&ps);
        if (hr != S_OK)
            return hr;
        cache_put(ps);
        *out = ps;
        return S_OK;
    }
    pthread_mutex_lock(&ps->lock);
    hr = fm_profile_collect(ps);
    pthread_mutex_unlock(&ps->lock);
    if (hr != S_OK) {
        fm_profstore_close(ps);
        return hr;
    }
    *out = ps;
    return S_OK;
}

static HRESULT open_new(fm_profstore **out)
{
    fm_profstore *ps = fm_calloc(1, sizeof *ps);
    if (ps == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening the profiles");
    atomic_init(&ps->refs, 1);
    /* Recursive: admin methods hold it around helpers that take it too. */
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&ps->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    HRESULT hr = fm_profstore_dir(&ps->dir);
    char path[4200];
    if (hr == S_OK) {
        snprintf(path, sizeof path, "%s/" FM_PROFSTORE_FILE, ps->dir);
        hr = fm_db_open(path, FM_DB_CREATE | FM_DB_KEEP_WAL, &PROFILE_SCHEMA, &ps->db);
    }
    if (hr == S_OK)
        hr = fm_profile_collect(ps);
    if (hr != S_OK) {
        fm_profstore_close(ps);
        return hr;
    }
    *out = ps;
    return S_OK;
}

void fm_profstore_addref(fm_profstore *ps)
{
    atomic_fetch_add(&ps->refs, 1);
}

void fm_profstore_close(fm_profstore *ps)
{
    if (ps == NULL || atomic_fetch_sub(&ps->refs, 1) != 1)
        return;
    pthread_mutex_destroy(&ps->lock);
    fm_db_close(ps->db);
    fm_free(ps->dir);
    fm_free(ps);
}

void fm_profstore_new_uid(MAPIUID *uid)
{
    size_t got = 0;
    while (got < sizeof uid->ab) {
        ssize_t r = getrandom(uid->ab + got, sizeof uid->ab - got, 0);
        if (r > 0)
            got += (size_t)r;
    }
}
