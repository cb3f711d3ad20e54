/*
 * site/site_admin.c - administering a site's users and lists: add, remove,
 * rename, passwords, attributes, list membership (freemapi_site.h), and
 * the mailbox files of users made and removed with them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "mapitags.h"
#include "site/pwhash.h"
#include "site/site.h"
#include "site/site_notify.h"
#include "store/store.h"

static HRESULT check_site(const fmapi_site *site, const char *fn)
{
    if (site == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: site is NULL", fn);
    return S_OK;
}

static HRESULT check_text(const char *s, const char *what)
{
    if (s == NULL)
        return S_OK;
    size_t n = strlen(s);
    if (n > 1024)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s is too long", what);
    return fm_site_check_name(n ? s : "-", what) == S_OK ? S_OK
                                                         : MAPI_E_INVALID_PARAMETER;
}

/* Inserts a user or list; *id is the new entry's. */
static HRESULT insert_entry(fmapi_site *site, int kind, const char *alias, const char *display,
                            const char *smtp, const char *pwhash, int64_t *id)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(site->db,
                               "INSERT INTO entries (kind, alias, display, smtp, pwhash) "
                               "VALUES (?1, ?2, ?3, ?4, ?5)",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int(st, 1, kind);
    fm_db_bind_text(st, 2, alias);
    fm_db_bind_text(st, 3, display ? display : alias);
    fm_db_bind_text(st, 4, smtp);
    fm_db_bind_text(st, 5, pwhash);
    hr = fm_db_run(site->db, st, "adding to the site directory");
    if (hr == MAPI_E_COLLISION)
        return fm_error_set(MAPI_E_COLLISION, "%s or its address is already in the site", alias);
    *id = sqlite3_last_insert_rowid(site->db->conn);
    return hr;
}

static const char *const STORE_SUFFIXES[] = { "", "-wal", "-shm", "-journal", "-notify" };
#define N_STORE_SUFFIXES (sizeof STORE_SUFFIXES / sizeof STORE_SUFFIXES[0])

static HRESULT errno_code(int err)
{
    if (err == ENOSPC || err == EDQUOT)
        return MAPI_E_NOT_ENOUGH_DISK;
    if (err == EACCES || err == EPERM || err == EROFS)
        return MAPI_E_NO_ACCESS;
    return MAPI_E_DISK_ERROR;
}

static HRESULT file_error(int err, const char *what, const char *path)
{
    return fm_error_set(errno_code(err), "%s %s: %s", what, path, strerror(err));
}

/* Makes a new store and its companions 0600: SQLite creates a database
 * 0644 less the umask, so under umask 000 the mail would be everyone's.
 * Nobody else can open the file in between: the mailboxes directory is
 * 0700 (site.c). The -wal and -shm files made later take the store's mode. */
static HRESULT make_private(const char *path)
{
    char side[4096];
    for (size_t i = 0; i < N_STORE_SUFFIXES; i++) {
        if (snprintf(side, sizeof side, "%s%s", path, STORE_SUFFIXES[i]) >= (int)sizeof side)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "site path too long");
        int fd = open(side, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT && i > 0)
            continue;
        HRESULT hr = fd < 0 || fchmod(fd, 0600) != 0 ? file_error(errno, "making private", side)
                                                      : S_OK;
        if (fd >= 0)
            close(fd);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

/* Creates the mailbox store of user id and records its UID. */
static HRESULT create_mailbox(fmapi_site *site, int64_t id, char **path)
{
    *path = fm_site_store_path(site, id);
    if (*path == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory creating a mailbox");
    unlink(*path); /* a file left by a failed add of the same id */
    fm_store *s = NULL;
    HRESULT hr = fm_store_open(*path, FM_DB_CREATE, &s);
    if (hr != S_OK)
        return hr;
    MAPIUID uid = s->uid;
    fm_store_release(s);
    hr = make_private(*path);
    if (hr != S_OK)
        return hr;
    sqlite3_stmt *st;
    hr = fm_db_prepare(site->db, "UPDATE entries SET store_uid = ?2 WHERE id = ?1", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, id);
    fm_db_bind_blob(st, 2, uid.ab, sizeof uid.ab);
    return fm_db_run(site->db, st, "recording a mailbox");
}

static void remove_store_file(const char *path)
{
    char side[4096];
    for (size_t i = 0; path && i < N_STORE_SUFFIXES; i++) {
        if (snprintf(side, sizeof side, "%s%s", path, STORE_SUFFIXES[i]) < (int)sizeof side)
            unlink(side);
    }
}

/* Removes the directory name under dirfd and the stream files in it; 0 or
 * an errno. No symbolic link is followed: a link (or a file) in the
 * directory's place is removed itself, the directory is opened with
 * O_NOFOLLOW and its entries unlinked through its descriptor, so a link
 * planted among the stream files goes, not what it names. */
static int remove_streams_dir(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        if (errno != ELOOP && errno != ENOTDIR)
            return errno;
        return unlinkat(dirfd, name, 0) == 0 || errno == ENOENT ? 0 : errno;
    }
    DIR *d = fdopendir(fd);
    if (d == NULL) {
        int err = errno;
        close(fd);
        return err;
    }
    int err = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        /* stream files are plain files; a directory is not the store's,
         * and goes only if empty */
        if (unlinkat(fd, e->d_name, 0) != 0 && errno != ENOENT &&
            (errno != EISDIR || unlinkat(fd, e->d_name, AT_REMOVEDIR) != 0))
            err = errno;
    }
    closedir(d);
    if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT && err == 0)
        err = errno;
    return err;
}

/* Deletes user id's mailbox: the store, its companions and its
 * <id>.fmdb-streams directory, by names under the mailboxes directory's
 * descriptor. The user has already left the directory: what cannot be
 * deleted is reported, not hidden. */
static HRESULT remove_mailbox(fmapi_site *site, int64_t id, const char *alias)
{
    char dir[4096], name[96];
    if (snprintf(dir, sizeof dir, "%s/mailboxes", site->dir) >= (int)sizeof dir)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "site path too long");
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return file_error(errno, "opening", dir);
    int err = 0;
    for (size_t i = 0; i < N_STORE_SUFFIXES; i++) {
        snprintf(name, sizeof name, "%lld.fmdb%s", (long long)id, STORE_SUFFIXES[i]);
        if (unlinkat(dirfd, name, 0) != 0 && errno != ENOENT)
            err = errno;
    }
    snprintf(name, sizeof name, "%lld.fmdb-streams", (long long)id);
    int streams_err = remove_streams_dir(dirfd, name);
    close(dirfd);
    if (streams_err != 0)
        err = streams_err;
    if (err == 0)
        return S_OK;
    return fm_error_set(errno_code(err),
                        "%s was removed from the site, but its mailbox files (%lld.fmdb*) "
                        "could not all be deleted from %s: %s",
                        alias, (long long)id, dir, strerror(err));
}

FREEMAPI_PUBLIC HRESULT fmapi_site_add_user(fmapi_site *site, const char *alias,
                                            const char *display_name, const char *smtp,
                                            const char *password)
{
    HRESULT hr = check_site(site, "fmapi_site_add_user");
    if (hr == S_OK)
        hr = fm_site_check_name(alias, "the alias");
    if (hr == S_OK)
        hr = check_text(display_name, "the display name");
    if (hr == S_OK)
        hr = check_text(smtp, "the SMTP address");
    if (hr != S_OK)
        return hr;
    char hash[FM_PWHASH_SIZE] = "";
    if (password != NULL && (hr = fm_pwhash_make(password, site->weak_hashes, hash)) != S_OK)
        return hr;
    if ((hr = fm_db_begin(site->db)) != S_OK)
        return hr;
    int64_t id = 0;
    char *path = NULL;
    hr = insert_entry(site, FM_SITE_KIND_USER, alias, display_name, smtp,
                      password ? hash : NULL, &id);
    if (hr == S_OK)
        hr = fm_site_notify_entry(site, fnevObjectCreated, FM_SITE_KIND_USER, id, 0, NULL);
    if (hr == S_OK)
        hr = create_mailbox(site, id, &path);
    hr = fm_db_end(site->db, hr);
    if (hr != S_OK)
        remove_store_file(path);
    fm_free(path);
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_site_add_list(fmapi_site *site, const char *alias,
                                            const char *display_name, const char *smtp)
{
    HRESULT hr = check_site(site, "fmapi_site_add_list");
    if (hr == S_OK)
        hr = fm_site_check_name(alias, "the alias");
    if (hr == S_OK)
        hr = check_text(display_name, "the display name");
    if (hr == S_OK)
        hr = check_text(smtp, "the SMTP address");
    int64_t id;
    if (hr != S_OK || (hr = fm_db_begin(site->db)) != S_OK)
        return hr;
    hr = insert_entry(site, FM_SITE_KIND_LIST, alias, display_name, smtp, NULL, &id);
    if (hr == S_OK)
        hr = fm_site_notify_entry(site, fnevObjectCreated, FM_SITE_KIND_LIST, id, 0, NULL);
    return fm_db_end(site->db, hr);
}

/* Finds name and returns its id (and kind). */
static HRESULT find_id(fmapi_site *site, const char *name, int64_t *id, int *kind)
{
    HRESULT hr = fm_site_check_name(name, "the name");
    if (hr != S_OK)
        return hr;
    fm_site_entry e;
    hr = fm_site_find(site, name, &e);
    if (hr != S_OK)
        return hr;
    *id = e.id;
    if (kind)
        *kind = e.kind;
    fm_site_entry_clear(&e);
    return S_OK;
}

/* Runs sql with ?1 = id and ?2 = text. */
static HRESULT update_text(fmapi_site *site, const char *sql, int64_t id, const char *text,
                           const char *what)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(site->db, sql, &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, id);
    fm_db_bind_text(st, 2, text);
    return fm_db_run(site->db, st, what);
}

/* Records the removal of entry id: the lists it was a member of change
 * too (their members go with it, ON DELETE CASCADE). */
static HRESULT notify_removed(fmapi_site *site, int64_t id, int kind)
{
    static const ULONG MEMBER_TAGS[1] = { PR_EMS_AB_MEMBER };
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(site->db, "SELECT list_id FROM members WHERE member_id = ?1", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, id);
    int rc;
    while (hr == S_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        hr = fm_site_notify_entry(site, fnevObjectModified, FM_SITE_KIND_LIST,
                                  sqlite3_column_int64(st, 0), 1, MEMBER_TAGS);
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(site->db, rc, "reading the lists of an entry");
    fm_db_finish(st);
    if (hr == S_OK)
        hr = fm_site_notify_entry(site, fnevObjectDeleted, kind, id, 0, NULL);
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_site_remove(fmapi_site *site, const char *alias)
{
    int64_t id = 0;
    int kind = 0;
    HRESULT hr = check_site(site, "fmapi_site_remove");
    if (hr == S_OK)
        hr = find_id(site, alias, &id, &kind);
    if (hr != S_OK || (hr = fm_db_begin(site->db)) != S_OK)
        return hr;
    hr = notify_removed(site, id, kind);
    if (hr == S_OK)
        hr = update_text(site, "DELETE FROM entries WHERE id = ?1", id, NULL,
                         "removing from the site directory");
    hr = fm_db_end(site->db, hr);
    if (hr == S_OK && kind == FM_SITE_KIND_USER)
        hr = remove_mailbox(site, id, alias);
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_site_rename(fmapi_site *site, const char *alias,
                                          const char *new_alias, const char *new_display_name)
{
    int64_t id = 0;
    HRESULT hr = check_site(site, "fmapi_site_rename");
    if (hr == S_OK)
        hr = fm_site_check_name(new_alias, "the new alias");
    if (hr == S_OK)
        hr = check_text(new_display_name, "the new display name");
    int kind = 0;
    if (hr == S_OK)
        hr = find_id(site, alias, &id, &kind);
    if (hr != S_OK || (hr = fm_db_begin(site->db)) != S_OK)
        return hr;
    hr = update_text(site, "UPDATE entries SET alias = ?2 WHERE id = ?1", id, new_alias,
                     "renaming");
    if (hr == S_OK && new_display_name != NULL)
        hr = update_text(site, "UPDATE entries SET display = ?2 WHERE id = ?1", id,
                         new_display_name, "renaming");
    /* The alias is in the account, the DN (the e-mail address) and the
     * search key; the display name in both display names. */
    static const ULONG RENAMED[] = { PR_ACCOUNT_A, PR_EMAIL_ADDRESS_A, PR_SEARCH_KEY,
                                     PR_DISPLAY_NAME_A, PR_TRANSMITABLE_DISPLAY_NAME_A };
    if (hr == S_OK)
        hr = fm_site_notify_entry(site, fnevObjectModified, kind, id,
                                  new_display_name != NULL ? 5 : 3, RENAMED);
    hr = fm_db_end(site->db, hr);
    if (hr == MAPI_E_COLLISION)
        return fm_error_set(MAPI_E_COLLISION, "%s is already in the site", new_alias);
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_site_set_password(fmapi_site *site, const char *alias,
                                                const char *password)
{
    int64_t id = 0;
    int kind = 0;
    HRESULT hr = check_site(site, "fmapi_site_set_password");
    if (hr == S_OK && password == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_site_set_password: password is NULL");
    if (hr == S_OK)
        hr = find_id(site, alias, &id, &kind);
    if (hr == S_OK && kind != FM_SITE_KIND_USER)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "%s is a list, not a user", alias);
    char hash[FM_PWHASH_SIZE];
    if (hr == S_OK)
        hr = fm_pwhash_make(password, site->weak_hashes, hash);
    if (hr == S_OK)
        hr = update_text(site, "UPDATE entries SET pwhash = ?2 WHERE id = ?1", id, hash,
                         "setting a password");
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_site_set_attribute(fmapi_site *site, const char *alias,
                                                 ULONG attribute, const char *value)
{
    static const char *const SQL[] = {
        NULL,
        "UPDATE entries SET title = ?2 WHERE id = ?1",
        "UPDATE entries SET company = ?2 WHERE id = ?1",
        "UPDATE entries SET department = ?2 WHERE id = ?1",
        "UPDATE entries SET office = ?2 WHERE id = ?1",
        "UPDATE entries SET phone = ?2 WHERE id = ?1",
    };
    static const ULONG TAGS[] = { 0, PR_TITLE_A, PR_COMPANY_NAME_A, PR_DEPARTMENT_NAME_A,
                                  PR_OFFICE_LOCATION_A, PR_BUSINESS_TELEPHONE_NUMBER_A };
    int64_t id = 0;
    int kind = 0;
    HRESULT hr = check_site(site, "fmapi_site_set_attribute");
    if (hr == S_OK && (attribute < FMAPI_ATTR_TITLE || attribute > FMAPI_ATTR_PHONE))
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "unknown directory attribute %lu",
                          (unsigned long)attribute);
    if (hr == S_OK)
        hr = check_text(value, "the attribute value");
    if (hr == S_OK)
        hr = find_id(site, alias, &id, &kind);
    if (hr != S_OK || (hr = fm_db_begin(site->db)) != S_OK)
        return hr;
    hr = update_text(site, SQL[attribute], id, value, "setting an attribute");
    if (hr == S_OK)
        hr = fm_site_notify_entry(site, fnevObjectModified, kind, id, 1, &TAGS[attribute]);
    return fm_db_end(site->db, hr);
}

/* Adds (add) or removes a membership. */
static HRESULT membership(fmapi_site *site, const char *list, const char *member, bool add)
{
    int64_t lid = 0, mid = 0;
    int kind = 0;
    HRESULT hr = check_site(site, add ? "fmapi_site_add_member" : "fmapi_site_remove_member");
    if (hr == S_OK)
        hr = find_id(site, list, &lid, &kind);
    if (hr == S_OK && kind != FM_SITE_KIND_LIST)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "%s is not a list", list);
    if (hr == S_OK)
        hr = find_id(site, member, &mid, NULL);
    if (hr == S_OK && lid == mid)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "a list cannot contain itself");
    sqlite3_stmt *st;
    if (hr == S_OK)
        hr = fm_db_prepare(site->db,
                           add ? "INSERT OR IGNORE INTO members VALUES (?1, ?2)"
                               : "DELETE FROM members WHERE list_id = ?1 AND member_id = ?2",
                           &st);
    if (hr != S_OK)
        return hr;
    if ((hr = fm_db_begin(site->db)) != S_OK) {
        fm_db_finish(st);
        return hr;
    }
    sqlite3_bind_int64(st, 1, lid);
    sqlite3_bind_int64(st, 2, mid);
    hr = fm_db_run(site->db, st, "changing a list");
    int changed = hr == S_OK ? sqlite3_changes(site->db->conn) : 0;
    if (hr == S_OK && !add && changed == 0)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "%s is not a member of %s", member, list);
    static const ULONG MEMBER_TAGS[1] = { PR_EMS_AB_MEMBER };
    if (hr == S_OK && changed > 0)
        hr = fm_site_notify_entry(site, fnevObjectModified, FM_SITE_KIND_LIST, lid, 1,
                                  MEMBER_TAGS);
    return fm_db_end(site->db, hr);
}

FREEMAPI_PUBLIC HRESULT fmapi_site_add_member(fmapi_site *site, const char *list,
                                              const char *member)
{
    return membership(site, list, member, true);
}

FREEMAPI_PUBLIC HRESULT fmapi_site_remove_member(fmapi_site *site, const char *list,
                                                 const char *member)
{
    return membership(site, list, member, false);
}
