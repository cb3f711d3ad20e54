/*
 * profile/profiles.c - the profiles of the profile store (profstore.h): by
 * name and by UID, creating them, and deleting them once no session uses
 * them (KB 303221: a profile in use is only marked deleted).
 */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "profile/profstore.h"
#include "profile/registry.h"
#include "site/pwhash.h"

HRESULT fm_profile_check_name(const char *name)
{
    return fm_text_check_name(name, "the profile name", FM_PROFILE_NAME_MAX);
}

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

HRESULT fm_profile_find(fm_profstore *ps, const char *name, fm_profile *out)
{
    char what[400];
    snprintf(what, sizeof what, "there is no profile named \"%s\"", name);
    return read_profile(ps, PROFILE_COLUMNS "WHERE name = ?1 COLLATE NOCASE AND deleted = 0",
                        name, 0, what, out);
}

HRESULT fm_profile_get(fm_profstore *ps, const MAPIUID *uid, fm_profile *out)
{
    return read_profile(ps, PROFILE_COLUMNS "WHERE uid = ?1", uid->ab, 16,
                        "the profile no longer exists", out);
}

HRESULT fm_profile_default(fm_profstore *ps, fm_profile *out)
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

HRESULT fm_profile_delete(fm_profstore *ps, const MAPIUID *uid)
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

HRESULT fm_profile_collect(fm_profstore *ps)
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

HRESULT fm_profile_create(fm_profstore *ps, const char *name, const char *password,
                          MAPIUID *uid)
{
    char hash[FM_PWHASH_SIZE] = "";
    HRESULT hr = S_OK;
    if (password != NULL && password[0] != '\0')
        hr = fm_pwhash_make(password, false, hash);
    if (hr != S_OK)
        return hr;
    fm_profstore_new_uid(uid);
    sqlite3_stmt *st;
    pthread_mutex_lock(&ps->lock);
    hr = fm_db_prepare(ps->db, "INSERT INTO profiles (uid, name, pwhash) VALUES (?1, ?2, ?3)", &st);
    if (hr == S_OK) {
        fm_db_bind_blob(st, 1, uid->ab, 16);
        fm_db_bind_text(st, 2, name);
        fm_db_bind_text(st, 3, hash);
        hr = fm_db_run(ps->db, st, "creating a profile");
    }
    pthread_mutex_unlock(&ps->lock);
    if (hr == MAPI_E_COLLISION)
        return fm_error_set(MAPI_E_NO_ACCESS, "a profile named \"%s\" already exists", name);
    return hr;
}
