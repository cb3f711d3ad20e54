/*
 * db/db.c - opening and closing database files (see db.h): access checks,
 * creating a file private to its owner, the connection's settings, and
 * removing a file this open created when the open fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "db/db_internal.h"

/* Whether path exists (*exists) and may be opened as flags ask. */
static HRESULT check_access(const char *path, unsigned flags, const char *kind, bool *exists)
{
    *exists = access(path, F_OK) == 0;
    if (!*exists) {
        if (flags & FM_DB_CREATE)
            return S_OK;
        return fm_error_set(MAPI_E_NOT_FOUND, "no %s file at %s", kind, path);
    }
    if (access(path, R_OK) != 0)
        return fm_error_set(MAPI_E_NO_ACCESS, "%s file %s is not readable", kind, path);
    if (!(flags & FM_DB_READONLY) && access(path, W_OK) != 0)
        return fm_error_set(MAPI_E_NO_ACCESS, "%s file %s is read-only", kind, path);
    return S_OK;
}

/* Creates the file with mode 0600 before SQLite opens it, whatever the
 * umask: stores hold mail, directories and profiles password hashes (SQLite
 * gives its -wal and -shm files the same mode). *created is false when
 * another process made it first. */
static HRESULT make_private_file(const char *path, bool *created)
{
    *created = false;
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno == EEXIST)
        return S_OK;
    if (fd < 0)
        return fm_error_set(errno == ENOENT ? MAPI_E_NOT_FOUND : MAPI_E_NO_ACCESS,
                            "cannot create %s: %s", path, strerror(errno));
    fchmod(fd, 0600);
    close(fd);
    *created = true;
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

static HRESULT configure_connection(fm_db *db, unsigned flags)
{
    sqlite3_extended_result_codes(db->conn, 1);
    sqlite3_busy_handler(db->conn, fm_db_busy_handler, db);
    if (flags & FM_DB_KEEP_WAL)
        sqlite3_db_config(db->conn, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    if (flags & FM_DB_READONLY)
        return S_OK;
    /* WAL: readers never block the writer and a killed writer leaves the
     * last committed state. synchronous=FULL syncs the WAL at every commit,
     * so a change that has been acknowledged survives a power loss too, not
     * only a crash of the process (NORMAL would lose the last commits);
     * group saves are how a caller pays one sync for many messages. */
    HRESULT hr = fm_db_exec(db, "PRAGMA journal_mode=WAL");
    if (hr == S_OK)
        hr = fm_db_exec(db, "PRAGMA synchronous=FULL");
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

static HRESULT connect(fm_db *db, unsigned flags, bool created)
{
    int oflags = (flags & FM_DB_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    int rc = sqlite3_open_v2(db->path, &db->conn, oflags | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc != SQLITE_OK)
        return fm_db_error(db, rc, "opening");
    fm_db_registry_add(db);
    HRESULT hr = configure_connection(db, flags);
    if (hr == S_OK)
        hr = fm_db_schema_migrate(db, created);
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

    bool exists, created = false;
    HRESULT hr = check_access(path, flags, schema->kind, &exists);
    if (hr == S_OK && !exists)
        hr = make_private_file(path, &created);
    if (hr != S_OK)
        return hr;
    fm_db *db = db_new(path, schema);
    if (db == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening %s", path);
    else
        hr = connect(db, flags, created);
    if (hr != S_OK) {
        fm_db_close(db);
        if (created)
            remove_files(path); /* never leave a half-created file behind */
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
    pthread_mutex_destroy(&db->cache_lock);
    pthread_mutex_destroy(&db->txn_lock);
    if (db->conn != NULL)
        sqlite3_close_v2(db->conn);
    fm_free(db->path);
    fm_free(db);
}
