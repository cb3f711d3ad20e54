/*
 * profile/profstore.c - the user's profile store (profstore.h): where it is,
 * its schema, profiles by name and UID, deletion that waits for sessions,
 * profile sections and the service list.
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
#include "profile/registry.h"
#include "site/site.h"
#include "store/propblob.h"

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
    hr = fm_profstore_collect(ps);
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
        hr = fm_profstore_collect(ps);
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

HRESULT fm_profstore_check_name(const char *name)
{
    HRESULT hr = fm_site_check_name(name, "the profile name");
    if (hr == MAPI_E_INVALID_PARAMETER && name != NULL && strlen(name) > 0 &&
        strstr(fm_error_text(), "longer") != NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "the profile name is longer than %d "
                                                      "characters", FM_PROFILE_NAME_MAX);
    return hr;
}

/* ---- profiles ------------------------------------------------------------------- */

static HRESULT read_profile(fm_profstore *ps, const char *sql, const void *key, size_t keylen,
                            const char *what, fm_profile *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(ps->db, sql, &st);
    if (hr != S_OK)
        return hr;
    if (keylen)
        fm_db_bind_blob(st, 1, key, keylen);
    else if (key)
        fm_db_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) == 16)
            memcpy(out->uid.ab, sqlite3_column_blob(st, 0), 16);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *pw = (const char *)sqlite3_column_text(st, 2);
        snprintf(out->name, sizeof out->name, "%s", name ? name : "");
        snprintf(out->pwhash, sizeof out->pwhash, "%s", pw ? pw : "");
        out->is_default = sqlite3_column_int(st, 3) != 0;
        out->deleted = sqlite3_column_int(st, 4) != 0;
    } else if (rc == SQLITE_DONE) {
        hr = fm_error_set(MAPI_E_NOT_FOUND, "%s", what);
    } else {
        hr = fm_db_error(ps->db, rc, "reading the profiles");
    }
    fm_db_finish(st);
    return hr;
}

#define PROFILE_COLUMNS "SELECT uid, name, pwhash, is_default, deleted FROM profiles "

HRESULT fm_profstore_find(fm_profstore *ps, const char *name, fm_profile *out)
{
    char what[400];
    snprintf(what, sizeof what, "there is no profile named \"%s\"", name);
    return read_profile(ps, PROFILE_COLUMNS "WHERE name = ?1 COLLATE NOCASE AND deleted = 0",
                        name, 0, what, out);
}

HRESULT fm_profstore_get(fm_profstore *ps, const MAPIUID *uid, fm_profile *out)
{
    return read_profile(ps, PROFILE_COLUMNS "WHERE uid = ?1", uid->ab, 16,
                        "the profile no longer exists", out);
}

HRESULT fm_profstore_default(fm_profstore *ps, fm_profile *out)
{
    return read_profile(ps, PROFILE_COLUMNS "WHERE is_default = 1 AND deleted = 0", NULL, 0,
                        "there is no default profile", out);
}

static HRESULT remove_profile(fm_profstore *ps, const MAPIUID *uid)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(ps->db, "DELETE FROM profiles WHERE uid = ?1", &st);
    if (hr != S_OK)
        return hr;
    fm_db_bind_blob(st, 1, uid->ab, 16);
    return fm_db_run(ps->db, st, "removing a profile");
}

HRESULT fm_profstore_delete(fm_profstore *ps, const MAPIUID *uid)
{
    /* Mark first, then look for sessions: a logon registers before it reads
     * the profile, so either it sees the mark or this sees its session. */
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(
        ps->db, "UPDATE profiles SET deleted = 1, is_default = 0 WHERE uid = ?1", &st);
    if (hr != S_OK)
        return hr;
    fm_db_bind_blob(st, 1, uid->ab, 16);
    hr = fm_db_run(ps->db, st, "deleting a profile");
    bool used = false;
    if (hr == S_OK)
        hr = fm_registry_in_use(ps->dir, uid, &used);
    if (hr == S_OK && !used)
        hr = remove_profile(ps, uid);
    return hr;
}

HRESULT fm_profstore_collect(fm_profstore *ps)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(ps->db, "SELECT uid FROM profiles WHERE deleted = 1", &st);
    if (hr != S_OK)
        return hr;
    MAPIUID dead[32];
    size_t n = 0;
    int rc;
    while (n < 32 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) == 16)
            memcpy(dead[n++].ab, sqlite3_column_blob(st, 0), 16);
    }
    fm_db_finish(st);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        bool used = true;
        hr = fm_registry_in_use(ps->dir, &dead[i], &used);
        if (hr == S_OK && !used)
            hr = remove_profile(ps, &dead[i]);
    }
    return hr;
}

/* ---- sections ----------------------------------------------------------------------- */

HRESULT fm_profstore_section_read(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid,
                                  ULONG *cvals, LPSPropValue *vals)
{
    *cvals = 0;
    *vals = NULL;
    sqlite3_stmt *st;
    HRESULT hr =
        fm_db_prepare(ps->db, "SELECT props FROM sections WHERE profile = ?1 AND uid = ?2", &st);
    if (hr != S_OK)
        return hr;
    fm_db_bind_blob(st, 1, profile->ab, 16);
    fm_db_bind_blob(st, 2, uid->ab, 16);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        hr = fm_propblob_decode(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                                NULL, cvals, vals);
        if (hr == MAPI_E_CORRUPT_STORE)
            hr = fm_error_set(MAPI_E_CORRUPT_DATA, "a profile section is damaged");
    } else if (rc != SQLITE_DONE) {
        hr = fm_db_error(ps->db, rc, "reading a profile section");
    }
    fm_db_finish(st);
    return hr;
}

HRESULT fm_profstore_section_write(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid,
                                   ULONG cvals, const SPropValue *vals)
{
    void *blob = NULL;
    size_t len = 0;
    HRESULT hr = fm_propblob_encode(cvals, vals, &blob, &len);
    if (hr != S_OK)
        return hr;
    sqlite3_stmt *st;
    hr = fm_db_prepare(ps->db, "INSERT OR REPLACE INTO sections VALUES (?1, ?2, ?3)", &st);
    if (hr == S_OK) {
        fm_db_bind_blob(st, 1, profile->ab, 16);
        fm_db_bind_blob(st, 2, uid->ab, 16);
        fm_db_bind_blob(st, 3, blob, len);
        hr = fm_db_run(ps->db, st, "writing a profile section");
    }
    fm_free(blob);
    return hr;
}

/* ---- services ------------------------------------------------------------------------ */

static void read_service(sqlite3_stmt *st, fm_service *out)
{
    memset(out, 0, sizeof *out);
    if (sqlite3_column_bytes(st, 0) == 16)
        memcpy(out->uid.ab, sqlite3_column_blob(st, 0), 16);
    if (sqlite3_column_bytes(st, 1) == 16)
        memcpy(out->provider_uid.ab, sqlite3_column_blob(st, 1), 16);
    const char *name = (const char *)sqlite3_column_text(st, 2);
    const char *display = (const char *)sqlite3_column_text(st, 3);
    snprintf(out->name, sizeof out->name, "%s", name ? name : "");
    snprintf(out->display, sizeof out->display, "%s", display ? display : "");
    out->order = sqlite3_column_int(st, 4);
    out->primary_identity = sqlite3_column_int(st, 5) != 0;
}

#define SERVICE_COLUMNS                                                                   \
    "SELECT uid, provider_uid, name, display, ord, primary_identity FROM services "

HRESULT fm_profstore_services(fm_profstore *ps, const MAPIUID *profile, fm_service **out,
                              size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(ps->db, SERVICE_COLUMNS "WHERE profile = ?1 ORDER BY ord", &st);
    if (hr != S_OK)
        return hr;
    fm_db_bind_blob(st, 1, profile->ab, 16);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 4;
            fm_service *grown = fm_realloc(*out, cap * sizeof **out);
            if (grown == NULL) {
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading services");
                break;
            }
            *out = grown;
        }
        read_service(st, &(*out)[(*n)++]);
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(ps->db, rc, "reading the message services");
    fm_db_finish(st);
    if (hr != S_OK) {
        fm_free(*out);
        *out = NULL;
        *n = 0;
    }
    return hr;
}

HRESULT fm_profstore_service(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid,
                             fm_service *out)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(
        ps->db, SERVICE_COLUMNS "WHERE profile = ?1 AND (uid = ?2 OR provider_uid = ?2)", &st);
    if (hr != S_OK)
        return hr;
    fm_db_bind_blob(st, 1, profile->ab, 16);
    fm_db_bind_blob(st, 2, uid->ab, 16);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_service(st, out);
    else if (rc == SQLITE_DONE)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "no such message service in the profile");
    else
        hr = fm_db_error(ps->db, rc, "reading a message service");
    fm_db_finish(st);
    return hr;
}
