/*
 * db/db_error.c - SQLite's result codes as MAPI codes, with text (db.h).
 * Every database of freemapi (stores, site directories, profile stores)
 * maps through here; the kind of database decides the few codes that read
 * differently (fm_db_schema).
 */
#include <errno.h>

#include "db/db.h"

HRESULT fm_db_map_result(int rc, int sys_errno)
{
    switch (rc & 0xFF) {
    case SQLITE_NOMEM: return MAPI_E_NOT_ENOUGH_MEMORY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT: return MAPI_E_CORRUPT_STORE;
    case SQLITE_FULL: return MAPI_E_NOT_ENOUGH_DISK;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH: return MAPI_E_NO_ACCESS;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return MAPI_E_BUSY;
    case SQLITE_CANTOPEN:
        if (sys_errno == EMFILE || sys_errno == ENFILE) /* out of descriptors */
            return MAPI_E_NOT_ENOUGH_RESOURCES;
        return sys_errno == ENOENT ? MAPI_E_NOT_FOUND : MAPI_E_NO_ACCESS;
    case SQLITE_IOERR:
        if (rc == SQLITE_IOERR_NOMEM || sys_errno == ENOMEM) /* a failed mmap of the -shm */
            return MAPI_E_NOT_ENOUGH_MEMORY;
        if (sys_errno == EMFILE || sys_errno == ENFILE)
            return MAPI_E_NOT_ENOUGH_RESOURCES;
        if (sys_errno == ENOSPC || sys_errno == EDQUOT || sys_errno == EFBIG)
            return MAPI_E_NOT_ENOUGH_DISK;
        if (rc == SQLITE_IOERR_SHORT_READ)
            return MAPI_E_CORRUPT_STORE;
        return MAPI_E_DISK_ERROR;
    default: return MAPI_E_CALL_FAILED;
    }
}

/* The code as db's kind of database words it: a damaged directory is
 * MAPI_E_CORRUPT_DATA (it is not a message store), and where names must be
 * unique a broken uniqueness rule is a collision. */
static HRESULT map_for(const fm_db *db, int rc, int sys_errno)
{
    const fm_db_schema *s = db ? db->schema : NULL;
    if (s != NULL && s->constraint_collision && (rc & 0xFF) == SQLITE_CONSTRAINT)
        return MAPI_E_COLLISION;
    HRESULT hr = fm_db_map_result(rc, sys_errno);
    if (hr == MAPI_E_CORRUPT_STORE && s != NULL && s->corrupt != S_OK)
        return s->corrupt;
    return hr;
}

/* The errno of a failed I/O operation. SQLite's own record of it
 * (sqlite3_system_errno) is 0 after a failed write to the -wal, as under a
 * file size limit (EFBIG); the unix VFS keeps each file's last errno. */
static int io_errno(fm_db *db, int rc)
{
    int sys = sqlite3_system_errno(db->conn);
    if (sys != 0 || (rc & 0xFF) != SQLITE_IOERR)
        return sys;
    sqlite3_file_control(db->conn, "main", SQLITE_FCNTL_LAST_ERRNO, &sys);
    sqlite3_file *wal = NULL;
    if (sys == 0 &&
        sqlite3_file_control(db->conn, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) == SQLITE_OK &&
        wal != NULL && wal->pMethods != NULL && wal->pMethods->xFileControl != NULL)
        wal->pMethods->xFileControl(wal, SQLITE_FCNTL_LAST_ERRNO, &sys);
    return sys;
}

HRESULT fm_db_error(fm_db *db, int rc, const char *what)
{
    int sys = db && db->conn ? io_errno(db, rc) : 0;
    HRESULT hr = map_for(db, rc, sys);
    const char *msg = db && db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc);
    if (hr == MAPI_E_NOT_ENOUGH_DISK)
        msg = sys == EFBIG ? "the file size limit is reached" : "the disk is full";
    const char *kind = db && db->schema ? db->schema->kind : "database";
    return fm_error_set(hr, "%s: %s (%s %s)", what, msg, kind, db && db->path ? db->path : "");
}
