/*
 * db/db_txn.c - short write transactions (db.h): nested in one thread,
 * owned by that thread until they end.
 */
#include "db/db.h"

/* Runs one cached statement with no parameters (BEGIN, COMMIT, ...). */
static int run_cached(fm_db *db, const char *sql)
{
    sqlite3_stmt *st;
    if (fm_db_prepare(db, sql, &st) != S_OK)
        return sqlite3_errcode(db->conn) != SQLITE_OK ? sqlite3_errcode(db->conn) : SQLITE_ERROR;
    int rc = sqlite3_step(st);
    fm_db_finish(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Tells the hook how the transaction it saw begin has ended. */
static void hook_end(fm_db *db, bool committed)
{
    if (db->hook_pending) {
        db->hook_pending = false;
        db->hook.after(db->hook.ctx, committed);
    }
}

HRESULT fm_db_begin(fm_db *db)
{
    pthread_mutex_lock(&db->txn_lock);
    if (db->txn_depth > 0 && !sqlite3_get_autocommit(db->conn)) {
        db->txn_depth++;
        return S_OK;
    }
    db->txn_depth = 0; /* an outer transaction SQLite rolled back is gone */
    hook_end(db, false);
    int rc = run_cached(db, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) {
        HRESULT hr = fm_db_error(db, rc, "starting a transaction");
        pthread_mutex_unlock(&db->txn_lock);
        return hr;
    }
    db->txn_depth = 1;
    db->hook_pending = db->hook.after != NULL;
    return S_OK;
}

void fm_db_set_txn_hook(fm_db *db, const fm_db_txn_hook *hook)
{
    db->hook = *hook;
}

/* Ends one fm_db_begin: the outermost one commits. */
static HRESULT commit_level(fm_db *db)
{
    if (sqlite3_get_autocommit(db->conn)) {
        /* SQLite rolled the transaction back itself (out of memory, I/O
         * error): nothing of it was saved. */
        db->txn_depth = 0;
        hook_end(db, false);
        return fm_error_set(MAPI_E_CALL_FAILED, "the transaction was rolled back (%s)", db->path);
    }
    if (--db->txn_depth > 0)
        return S_OK;
    HRESULT hr = db->hook_pending && db->hook.before != NULL ? db->hook.before(db->hook.ctx) : S_OK;
    int rc = hr == S_OK ? run_cached(db, "COMMIT") : SQLITE_OK;
    if (hr == S_OK && rc == SQLITE_OK) {
        hook_end(db, true);
        return S_OK;
    }
    if (hr == S_OK)
        hr = fm_db_error(db, rc, "committing");
    if (!sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    hook_end(db, false);
    return hr;
}

HRESULT fm_db_commit(fm_db *db)
{
    if (db->txn_depth == 0 && sqlite3_get_autocommit(db->conn)) {
        /* Either no fm_db_begin (a caller's bug), or an inner level already
         * abandoned the transaction: in that case this call still ends its
         * own level, and the lock it holds. */
        hook_end(db, false);
        if (pthread_mutex_unlock(&db->txn_lock) != 0)
            return fm_error_set(MAPI_E_CALL_FAILED, "commit without a transaction");
        return fm_error_set(MAPI_E_CALL_FAILED, "the transaction was rolled back (%s)", db->path);
    }
    HRESULT hr = commit_level(db);
    pthread_mutex_unlock(&db->txn_lock);
    return hr;
}

void fm_db_rollback(fm_db *db)
{
    if (db->txn_depth > 0) {
        db->txn_depth = 0;
        if (!sqlite3_get_autocommit(db->conn))
            sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
        hook_end(db, false);
    }
    pthread_mutex_unlock(&db->txn_lock); /* fails harmlessly without a begin */
}

HRESULT fm_db_end(fm_db *db, HRESULT hr)
{
    if (hr == S_OK)
        return fm_db_commit(db);
    fm_db_rollback(db);
    return hr;
}
