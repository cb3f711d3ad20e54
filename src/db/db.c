/*
 * db/db.c - opening and closing database files (see db.h): access checks,
 * creating a file atomically and private to its owner, and the connection's
 * settings.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/io.h"
#include "db/db_internal.h"

/* The directory a database file is in. */
static void dir_of(const char *path, char *dir, size_t cap)
{
    snprintf(dir, cap, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash != NULL)
        *slash = '\0';
    else
        snprintf(dir, cap, ".");
}

/* Whether path exists (*exists) and may be opened as flags ask. */
static HRESULT check_access(const char *path, unsigned flags, const char *kind, bool *exists)
{
    *exists = access(path, F_OK) == 0;
    struct stat st;
    if (!*exists && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        return fm_error_set(MAPI_E_NOT_FOUND, "%s is a symbolic link to a missing file: "
                            "not creating a %s through it", path, kind);
    if (!*exists) {
        if (flags & FM_DB_CREATE)
            return S_OK;
        return fm_error_set(MAPI_E_NOT_FOUND, "no %s file at %s", kind, path);
    }
    if (access(path, R_OK) != 0)
        return fm_error_set(MAPI_E_NO_ACCESS, "%s file %s is not readable", kind, path);
    if (!(flags & FM_DB_READONLY) && access(path, W_OK) != 0)
        return fm_error_set(MAPI_E_NO_ACCESS, "%s file %s is read-only", kind, path);
    /* a writer needs the directory too: the -wal and -shm files (and a
     * store's stream files) are made beside the file */
    char dir[4096];
    dir_of(path, dir, sizeof dir);
    if (!(flags & FM_DB_READONLY) && access(dir, W_OK) != 0)
        return fm_error_set(MAPI_E_NO_ACCESS, "the directory of %s file %s cannot be written "
                                              "(open it read-only to read it)", kind, path);
    return S_OK;
}

/* Removes a database file and its WAL companions. */
static void remove_files(const char *path)
{
    static const char *const suffixes[] = { "-wal", "-shm", "-journal" };
    char side[4096];
    unlink(path);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        if (snprintf(side, sizeof side, "%s%s", path, suffixes[i]) < (int)sizeof side)
            unlink(side);
    }
}

static HRESULT exec_as(fm_db *db, const char *sql, const char *what)
{
    int rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? S_OK : fm_db_error(db, rc, what);
}

/* Internal: the connection builds a file nobody else can see yet. */
#define BUILDING 0x100u

static HRESULT configure_connection(fm_db *db, unsigned flags)
{
    sqlite3_extended_result_codes(db->conn, 1);
    sqlite3_busy_handler(db->conn, fm_db_busy_handler, db);
    if (flags & FM_DB_KEEP_WAL)
        sqlite3_db_config(db->conn, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    if (flags & FM_DB_READONLY)
        return S_OK;
    /* A file being built under its temporary name needs no syncs until it
     * is complete: it is synced once, then linked into place
     * (create_atomically). It is WAL from the start, because switching a
     * file to WAL needs it to itself, which other openers may deny.
     * WAL: readers never block the writer and a killed writer
     * leaves the last committed state. synchronous=FULL syncs the WAL at
     * every commit, so a change that has been acknowledged survives a power
     * loss too, not only a crash of the process (NORMAL would lose the last
     * commits); group saves are how a caller pays one sync for many. */
    HRESULT hr;
    if (flags & BUILDING) {
        hr = exec_as(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF", "creating");
    } else {
        hr = exec_as(db, "PRAGMA journal_mode=WAL", "opening");
        if (hr == S_OK)
            hr = exec_as(db, "PRAGMA synchronous=FULL", "opening");
    }
    if (hr == S_OK && db->schema->pragmas != NULL)
        hr = fm_db_exec(db, db->schema->pragmas);
    return hr;
}

static fm_db *db_new(const char *path, const fm_db_schema *schema)
{
    fm_db *db = fm_calloc(1, sizeof *db);
    if (db == NULL || (db->path = fm_strdup(path)) == NULL) {
        fm_free(db);
        return NULL;
    }
    db->schema = schema;
    db->busy_timeout_ms = fm_db_busy_timeout_from_env();
    pthread_mutex_init(&db->cache_lock, NULL);
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&db->txn_lock, &attr);
    pthread_mutexattr_destroy(&attr);
    return db;
}

/* A read-only open of a WAL database needs its -shm file, which SQLite
 * cannot make in a directory the reader may not write. When there is no
 * -wal either (the last writer closed cleanly, and nobody who could write
 * one is writing), the file is read as it is, with SQLite's immutable flag:
 * listing a store in such a directory works. */
static bool read_as_snapshot(const char *path, unsigned flags)
{
    char side[4096], dir[4096];
    if (!(flags & FM_DB_READONLY) || snprintf(side, sizeof side, "%s-wal", path) >= (int)sizeof side)
        return false;
    dir_of(path, dir, sizeof dir);
    return access(side, F_OK) != 0 && errno == ENOENT && access(dir, W_OK) != 0;
}

/* "file:<path>?immutable=1", the path percent-encoded as URIs want. */
static char *snapshot_uri(const char *path)
{
    size_t n = strlen(path);
    char *uri = fm_malloc(3 * n + 32);
    if (uri == NULL)
        return NULL;
    char *p = uri + sprintf(uri, "file:");
    for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
            strchr("/._-~", *c) != NULL)
            *p++ = (char)*c;
        else
            p += sprintf(p, "%%%02X", (unsigned)*c);
    }
    strcpy(p, "?immutable=1");
    return uri;
}

/* Opens db->path. may_init: a file without any schema yet (created here,
 * or an empty file a crash left, with FM_DB_CREATE) is given one. */
static HRESULT connect(fm_db *db, unsigned flags, bool may_init)
{
    int oflags = (flags & FM_DB_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    char *uri = NULL;
    if (read_as_snapshot(db->path, flags)) {
        if ((uri = snapshot_uri(db->path)) == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening %s", db->path);
        oflags |= SQLITE_OPEN_URI;
    }
    int rc = sqlite3_open_v2(uri ? uri : db->path, &db->conn, oflags | SQLITE_OPEN_FULLMUTEX,
                             NULL);
    fm_free(uri);
    if (rc != SQLITE_OK)
        return fm_db_error(db, rc, "opening");
    fm_db_registry_add(db);
    HRESULT hr = configure_connection(db, flags);
    if (hr == S_OK)
        hr = fm_db_schema_migrate(db, may_init);
    return hr;
}

/* Syncs the directory holding path, so that a name made in it lasts. */
static void sync_parent(const char *path)
{
    char dir[4096];
    dir_of(path, dir, sizeof dir);
    int fd = fm_io_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd >= 0) {
        (void)fm_io_fsync(fd);
        fm_io_close(fd);
    }
}

static int make_private_tmp(const char *tmp)
{
    int fd = fm_io_openat(AT_FDCWD, tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return -1;
    /* 0600 whatever the umask: stores hold mail, directories and profiles
     * password hashes (SQLite gives -wal and -shm the file's mode). */
    if (fchmod(fd, 0600) != 0) {
        int err = errno;
        fm_io_close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

/* Copies everything the WAL holds into the file and empties the WAL, with
 * the cause when it cannot (out of memory, a full disk): what a file made
 * under a temporary name needs before it may be used without its -wal. */
HRESULT fm_db_checkpoint_all(fm_db *db, const char *what)
{
    int rc = sqlite3_wal_checkpoint_v2(db->conn, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    return rc == SQLITE_OK ? S_OK : fm_db_error(db, rc, what);
}

/* Builds a complete database of the schema's kind at tmp: created 0600, the
 * schema in place, checkpointed into the file and synced. */
static HRESULT build_tmp(const char *tmp, const fm_db_schema *schema)
{
    int fd = make_private_tmp(tmp);
    if (fd < 0)
        return fm_error_set(errno == ENOENT ? MAPI_E_NOT_FOUND : MAPI_E_NO_ACCESS,
                            "cannot create %s: %s", tmp, strerror(errno));
    fm_db *db = db_new(tmp, schema);
    HRESULT hr = db == NULL ? fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory creating %s",
                                           tmp)
                            : connect(db, FM_DB_CREATE | BUILDING, true);
    hr = hr == S_OK ? fm_db_checkpoint_all(db, "creating") : hr;
    fm_db_close(db);
    if (hr == S_OK && fm_io_fsync(fd) != 0)
        hr = fm_error_set(errno == ENOSPC ? MAPI_E_NOT_ENOUGH_DISK : MAPI_E_DISK_ERROR,
                          "writing %s to disk: %s", tmp, strerror(errno));
    fm_io_close(fd);
    return hr;
}

/*
 * Creates the file at path, atomically: the whole database is built under a
 * private temporary name in the same directory and then linked to path,
 * which fails if anything (another creator's file, a symlink, an empty file
 * left by a crash) is there already. So no process ever sees a half-made
 * file, a failure removes only its own temporary file, and of two processes
 * creating the same file one wins and the other opens the winner's (a loser
 * once unlinked the winner's file here while the winner was using it).
 */
static HRESULT create_atomically(const char *path, const fm_db_schema *schema)
{
    static unsigned counter;
    char tmp[4200];
    int n = snprintf(tmp, sizeof tmp, "%s.fm-new-%ld-%u", path, (long)getpid(),
                     __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
    if (n <= 0 || (size_t)n >= sizeof tmp)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s path is too long", schema->kind);
    HRESULT hr = build_tmp(tmp, schema);
    if (hr == S_OK && link(tmp, path) != 0 && errno != EEXIST)
        hr = fm_error_set(errno == ENOSPC ? MAPI_E_NOT_ENOUGH_DISK : MAPI_E_NO_ACCESS,
                          "cannot create %s: %s", path, strerror(errno));
    remove_files(tmp);
    if (hr == S_OK)
        sync_parent(path);
    return hr;
}

HRESULT fm_db_open(const char *path, unsigned flags, const fm_db_schema *schema, fm_db **out)
{
    *out = NULL;
    if (path == NULL || path[0] == '\0')
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s path is empty", schema->kind);
    if (flags & ~(FM_DB_CREATE | FM_DB_READONLY | FM_DB_KEEP_WAL))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "unknown %s open flags 0x%x", schema->kind,
                            flags);
    fm_db_sqlite_setup();

    bool exists;
    HRESULT hr = check_access(path, flags, schema->kind, &exists);
    if (hr == S_OK && !exists)
        hr = create_atomically(path, schema);
    if (hr != S_OK)
        return hr;
    fm_db *db = db_new(path, schema);
    if (db == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening %s", path);
    else {
        db->flags = flags;
        hr = connect(db, flags, (flags & FM_DB_CREATE) != 0);
    }
    if (hr != S_OK) {
        fm_db_close(db);
        return hr;
    }
    *out = db;
    return S_OK;
}

void fm_db_close(fm_db *db)
{
    if (db == NULL)
        return;
    fm_db_registry_remove(db);
    fm_db_cache_clear(db);
    /* Kept WAL files still give their content to the file: a copy of the
     * file alone, taken after the last writer closed it, holds all mail.
     * Best effort: a reader still inside the WAL leaves the rest to the
     * next close. */
    if (db->conn != NULL && (db->flags & FM_DB_KEEP_WAL) && !(db->flags & FM_DB_READONLY))
        (void)sqlite3_wal_checkpoint_v2(db->conn, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    pthread_mutex_destroy(&db->cache_lock);
    pthread_mutex_destroy(&db->txn_lock);
    if (db->conn != NULL)
        sqlite3_close_v2(db->conn);
    fm_free(db->path);
    fm_free(db);
}
