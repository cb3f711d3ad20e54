/*
 * site/site.c - opening and creating a site: its private directories, the
 * directory database's schema, and reading entries (site.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/text.h"
#include "site/pwhash.h"
#include "site/site.h"
#include "site/site_notify.h"

#define SITE_APPLICATION_ID 0x464D5344 /* "FMSD" */

static const char *const SITE_STEPS[] = {
    "CREATE TABLE site_meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
    "CREATE TABLE entries ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  kind INTEGER NOT NULL,"
    "  alias TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  display TEXT NOT NULL,"
    "  smtp TEXT UNIQUE COLLATE NOCASE,"
    "  title TEXT, company TEXT, department TEXT, office TEXT, phone TEXT,"
    "  pwhash TEXT,"
    "  store_uid BLOB UNIQUE);"
    "CREATE TABLE members ("
    "  list_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  member_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (list_id, member_id)) WITHOUT ROWID;"
    "CREATE TABLE rights ("
    "  grantee_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  mailbox_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    "  rights INTEGER NOT NULL,"
    "  PRIMARY KEY (grantee_id, mailbox_id)) WITHOUT ROWID;",
    /* 2: aliases and addresses share one namespace (the UNIQUE constraints
     * above keep each column to itself; these keep them apart). */
    "CREATE TRIGGER entries_one_namespace_insert BEFORE INSERT ON entries"
    "  WHEN EXISTS (SELECT 1 FROM entries WHERE smtp = NEW.alias OR alias = NEW.smtp)"
    "  BEGIN SELECT RAISE(ABORT, 'an alias or address is already in use'); END;"
    "CREATE TRIGGER entries_one_namespace_update BEFORE UPDATE OF alias, smtp ON entries"
    "  WHEN EXISTS (SELECT 1 FROM entries WHERE id <> NEW.id AND"
    "               (smtp = NEW.alias OR alias = NEW.smtp))"
    "  BEGIN SELECT RAISE(ABORT, 'an alias or address is already in use'); END;",
    /* 3: the logon back-off's counts (site_auth.c). */
    "CREATE TABLE logon_failures ("
    "  entry_id INTEGER UNIQUE REFERENCES entries(id) ON DELETE CASCADE,"
    "  name TEXT UNIQUE COLLATE NOCASE,"
    "  failures INTEGER NOT NULL,"
    "  not_before INTEGER NOT NULL,"
    "  last_attempt INTEGER NOT NULL,"
    "  CHECK ((entry_id IS NULL) <> (name IS NULL)));"
    "CREATE INDEX logon_failures_age ON logon_failures(last_attempt);",
    /* 4: the change notification log IAddrBook::Advise follows (site_notify.c;
     * the same table as a store's, notify/feed.h). */
    "CREATE TABLE IF NOT EXISTS fm_events ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT, batch BLOB NOT NULL);",
};

static const fm_db_schema SITE_SCHEMA = {
    .kind = "site directory",
    .application_id = SITE_APPLICATION_ID,
    .steps = SITE_STEPS,
    .nsteps = sizeof SITE_STEPS / sizeof SITE_STEPS[0],
    .corrupt = MAPI_E_CORRUPT_DATA, /* a directory is not a message store */
    .constraint_collision = true,   /* aliases and addresses are unique */
    .init_empty = true,
    .pragmas = FM_DB_SMALL_PRAGMAS,
};

HRESULT fm_site_check_name(const char *name, const char *what)
{
    return fm_text_check_name(name, what, FM_SITE_NAME_MAX);
}

char *fm_site_store_path(const fmapi_site *site, int64_t id)
{
    size_t n = strlen(site->dir) + 48;
    char *p = fm_malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s/mailboxes/%lld.fmdb", site->dir, (long long)id);
    return p;
}

static HRESULT dir_error(const char *what, const char *dir)
{
    int err = errno;
    return fm_error_set(err == ENOENT ? MAPI_E_NOT_FOUND : MAPI_E_NO_ACCESS, "cannot %s %s: %s",
                        what, dir, strerror(err));
}

/*
 * Makes dir (0700), or makes an existing one private: it must be a
 * directory of this user, and a wider mode is tightened to 0700 (a site
 * readable by others gives every mailbox away, see freemapi_site.h). A
 * symbolic link is followed only when this user owns it: one planted by
 * another user could name any directory.
 */
static HRESULT private_dir(const char *dir)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return dir_error("create", dir);
    struct stat st;
    if (lstat(dir, &st) != 0)
        return dir_error("examine", dir);
    if (S_ISLNK(st.st_mode) && st.st_uid != geteuid())
        return fm_error_set(MAPI_E_NO_ACCESS, "%s is a symbolic link of another user (uid %u): "
                                              "not followed", dir, (unsigned)st.st_uid);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return dir_error("open the directory", dir);
    HRESULT hr = S_OK;
    if (fstat(fd, &st) != 0)
        hr = dir_error("examine", dir);
    else if (st.st_uid != geteuid())
        hr = fm_error_set(MAPI_E_NO_ACCESS, "%s belongs to another user (uid %u): a site is its "
                                            "owner's alone", dir, (unsigned)st.st_uid);
    else if ((st.st_mode & 07077) != 0 && fchmod(fd, st.st_mode & 0700) != 0)
        hr = dir_error("make private (mode 0700)", dir);
    close(fd);
    return hr;
}

static HRESULT make_dirs(const char *dir)
{
    HRESULT hr = private_dir(dir);
    if (hr != S_OK)
        return hr;
    char sub[4096];
    if (snprintf(sub, sizeof sub, "%s/mailboxes", dir) >= (int)sizeof sub)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "site path too long");
    return private_dir(sub);
}

static HRESULT read_meta(fmapi_site *site, bool create, bool weak)
{
    sqlite3_stmt *st;
    HRESULT hr;
    if (create) {
        hr = fm_db_prepare(site->db, "INSERT OR IGNORE INTO site_meta VALUES ('weak_hashes', ?1)",
                           &st);
        if (hr != S_OK)
            return hr;
        sqlite3_bind_int(st, 1, weak);
        hr = fm_db_run(site->db, st, "creating the site");
        if (hr != S_OK)
            return hr;
    }
    hr = fm_db_prepare(site->db, "SELECT value FROM site_meta WHERE key = 'weak_hashes'", &st);
    if (hr != S_OK)
        return hr;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        site->weak_hashes = sqlite3_column_int(st, 0) != 0;
    else if (rc != SQLITE_DONE)
        hr = fm_db_error(site->db, rc, "reading the site's settings");
    fm_db_finish(st);
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_site_open(const char *dir, ULONG ulFlags, fmapi_site **out)
{
    if (out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_site_open: out is NULL");
    *out = NULL;
    if (dir == NULL || dir[0] == '\0')
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_site_open: no directory");
    if (ulFlags & ~(FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "fmapi_site_open: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    bool create = (ulFlags & FMAPI_SITE_CREATE) != 0;
    HRESULT hr = fm_pwhash_init();
    if (hr == S_OK && create)
        hr = make_dirs(dir);
    if (hr != S_OK)
        return hr;
    fmapi_site *site = fm_calloc(1, sizeof *site);
    size_t n = strlen(dir) + 16;
    if (site == NULL || (site->dir = fm_malloc(n)) == NULL) {
        fm_free(site);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening site %s", dir);
    }
    snprintf(site->dir, n, "%s", dir);
    atomic_init(&site->refs, 1);
    char path[4096];
    if (snprintf(path, sizeof path, "%s/directory.db", dir) >= (int)sizeof path)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "site path too long");
    if (hr == S_OK)
        hr =
            fm_db_open(path, (create ? FM_DB_CREATE : 0) | FM_DB_KEEP_WAL, &SITE_SCHEMA, &site->db);
    if (hr == S_OK)
        hr = fm_site_notify_open(site, path);
    if (hr == S_OK)
        hr = read_meta(site, create, (ulFlags & FMAPI_SITE_WEAK_HASHES) != 0);
    if (hr != S_OK) {
        fmapi_site_close(site);
        return hr;
    }
    *out = site;
    return S_OK;
}

FREEMAPI_PUBLIC void fmapi_site_close(fmapi_site *site)
{
    if (site == NULL || atomic_fetch_sub(&site->refs, 1) != 1)
        return;
    fm_db_close(site->db);
    fm_site_notify_close(site);
    fm_free(site->dir);
    fm_free(site);
}

/* ---- entries ------------------------------------------------------------------ */

void fm_site_entry_clear(fm_site_entry *e)
{
    fm_free(e->alias);
    fm_free(e->display);
    fm_free(e->smtp);
    fm_free(e->title);
    fm_free(e->company);
    fm_free(e->department);
    fm_free(e->office);
    fm_free(e->phone);
    fm_free(e->pwhash);
    memset(e, 0, sizeof *e);
}

HRESULT fm_site_entry_read(sqlite3_stmt *st, fm_site_entry *out)
{
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(st, 0);
    out->kind = sqlite3_column_int(st, 1);
    char **text[] = { &out->alias,      &out->display, &out->smtp,  &out->title, &out->company,
                      &out->department, &out->office,  &out->phone, &out->pwhash };
    for (int i = 0; i < 9; i++) {
        if ((*text[i] = fm_db_column_dup(st, i + 2)) == NULL) {
            fm_site_entry_clear(out);
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading the directory");
        }
    }
    if (sqlite3_column_bytes(st, 11) == (int)sizeof out->store_uid.ab) {
        memcpy(out->store_uid.ab, sqlite3_column_blob(st, 11), sizeof out->store_uid.ab);
        out->has_store = true;
    }
    return S_OK;
}

/* The one entry sql (?1 = key) selects: MAPI_E_NOT_FOUND for none, and
 * MAPI_E_AMBIGUOUS_RECIP for two, never the first of them. */
static HRESULT find_one(fmapi_site *site, const char *sql, const void *key, size_t keylen,
                        const char *what, fm_site_entry *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(site->db, sql, &st);
    if (hr != S_OK)
        return hr;
    if (keylen == 0)
        fm_db_bind_text(st, 1, key);
    else
        fm_db_bind_blob(st, 1, key, keylen);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        hr = fm_site_entry_read(st, out);
        rc = hr == S_OK ? sqlite3_step(st) : SQLITE_DONE;
        if (rc == SQLITE_ROW)
            hr = fm_error_set(MAPI_E_AMBIGUOUS_RECIP, "%s names two entries of the site "
                                                      "directory (one's alias, another's "
                                                      "address): rename one", what);
        else if (rc != SQLITE_DONE)
            hr = fm_db_error(site->db, rc, "reading the site directory");
        if (hr != S_OK)
            fm_site_entry_clear(out);
    } else if (rc == SQLITE_DONE) {
        hr = fm_error_set(MAPI_E_NOT_FOUND, "%s is not in the site directory", what);
    } else {
        hr = fm_db_error(site->db, rc, "reading the site directory");
    }
    fm_db_finish(st);
    return hr;
}

/* Both columns are looked at because callers are given either; the one
 * namespace (schema version 2) makes that one entry, and a pair left by an
 * older directory is ambiguous rather than whichever SQLite returns first. */
HRESULT fm_site_find(fmapi_site *site, const char *name, fm_site_entry *out)
{
    return find_one(site,
                    "SELECT " FM_SITE_COLUMNS " FROM entries WHERE alias = ?1 OR smtp = ?1 "
                    "LIMIT 2",
                    name, 0, name, out);
}

HRESULT fm_site_find_store(fmapi_site *site, const MAPIUID *uid, fm_site_entry *out)
{
    return find_one(site, "SELECT " FM_SITE_COLUMNS " FROM entries WHERE store_uid = ?1",
                    uid->ab, sizeof uid->ab, "the store", out);
}
