/*
 * store/store.h - the state one open message store shares among its objects.
 *
 * An fm_store is the open file: its database connection, UID, named-property
 * map and the IDs of the standard folders. The IMsgStore object and every
 * folder, message and attachment opened from it hold a reference, so the
 * connection lives exactly as long as something uses it, whatever order the
 * caller releases things in.
 *
 * Threads: SQLite serializes single calls, but a transaction spans several;
 * fm_store_lock/unlock bracket any multi-statement work on the connection.
 */
#ifndef FREEMAPI_STORE_STORE_H
#define FREEMAPI_STORE_STORE_H

#include <pthread.h>
#include <stdatomic.h>

#include "db/db.h"
#include "notify/feed.h"
#include "store/namedprops.h"

/* The standard folders every store is created with. */
typedef enum fm_std_folder {
    FM_FOLDER_ROOT,
    FM_FOLDER_IPM_SUBTREE,
    FM_FOLDER_INBOX,
    FM_FOLDER_OUTBOX,
    FM_FOLDER_SENT,
    FM_FOLDER_DELETED,
    FM_FOLDER_DRAFTS,
    FM_FOLDER_CALENDAR,
    FM_FOLDER_CONTACTS,
    FM_FOLDER_JOURNAL,
    FM_FOLDER_NOTES,
    FM_FOLDER_TASKS,
    FM_FOLDER_JUNK,
    FM_FOLDER_SEARCH_ROOT,
    FM_FOLDER_COUNT
} fm_std_folder;

typedef struct fm_store {
    _Atomic ULONG refs;
    pthread_mutex_t lock;
    fm_db *db;
    fm_namedprops *names;
    MAPIUID uid;
    int64_t std_fid[FM_FOLDER_COUNT];
    bool readonly;
    bool table_functions; /* contents tables' SQL functions are registered */
    /* Notifications (store_notify.c): the file's feed (NULL when it could
     * not be opened for a read-only store), and the events of the write
     * transaction running (guarded by the connection's transaction lock). */
    fm_feed *feed;
    HRESULT feed_error;
    fm_feed_txn ntxn;
    /* The folders whose content counts the transaction changed, and which
     * (FM_COUNT_* bits): told as one ObjectModified each before COMMIT. */
    struct fm_store_count_mark *counts;
    size_t ncounts, capcounts;
    const struct fm_store_transport *transport; /* store_transport.c, or NULL */
    void *transport_ctx;
    const struct fm_store_guard *guard; /* store_guard.c, or NULL */
    void *guard_ctx;
    /* Who acts through the store (folder_acl.h): ACL checks for a delegate. */
    int64_t acl_user;
    bool acl_delegate;
    const struct fm_store_directory *acl_dir;
    void *acl_dir_ctx;
} fm_store;

/* Open flags: FM_DB_CREATE, FM_DB_READONLY and FM_DB_KEEP_WAL (db/db.h). */

/*
 * Opens (with FM_DB_CREATE: creates, with a new UID and the standard folder
 * tree, in one transaction) the store file at path. Drops scratch streams
 * left by crashed writers. Errors as fm_db_open, plus MAPI_E_CORRUPT_STORE
 * when the store's own records are missing.
 */
HRESULT fm_store_open(const char *path, unsigned flags, fm_store **out);
void fm_store_addref(fm_store *s);
void fm_store_release(fm_store *s);

void fm_store_lock(fm_store *s);
void fm_store_unlock(fm_store *s);

/* A 100-ns FILETIME count of now (UTC), as stored in created/modified. */
int64_t fm_store_now(void);

/*
 * The transport hook (store_transport.c): a layer above the store (the
 * spooler) is told when a message of this store was submitted, so it may
 * deliver at once. The store knows nothing of what it does; a store
 * without a transport keeps its submissions queued for a later spooler.
 */
typedef struct fm_store_transport {
    /* Before the submission's save: adds what the transport stamps (the
     * sender) to msg; a failure fails SubmitMessage. May be NULL. */
    HRESULT (*prepare)(void *ctx, fm_store *s, IMessage *msg);
    void (*submitted)(void *ctx, fm_store *s); /* after the submission's commit */
    void (*release)(void *ctx);                /* the store goes, or is given another */
} fm_store_transport;

/* Attaches t with ctx (which the store then owns) to s. */
void fm_store_set_transport(fm_store *s, const fm_store_transport *t, void *ctx);
/* Lets the transport, if any, prepare msg for its submission. */
HRESULT fm_store_transport_prepare(fm_store *s, IMessage *msg);
/* Tells the transport, if any, that a message was submitted. */
void fm_store_transport_kick(fm_store *s);

/*
 * The access guard (store_guard.c): a store opened through rights another
 * user granted (session_stores.c) is given a check that the rights still
 * hold, asked at each GetProps, SetProps, SaveChanges, OpenEntry and table
 * refresh (QueryRows and the like), so a revocation reaches a store already
 * open. The store knows nothing of rights: the check answers S_OK or the
 * refusal with its text. Set once, before the store is handed out.
 */
typedef struct fm_store_guard {
    HRESULT (*check)(void *ctx);
    void (*release)(void *ctx);
} fm_store_guard;

/* Attaches g with ctx (which the store then owns) to s. */
void fm_store_set_guard(fm_store *s, const fm_store_guard *g, void *ctx);
/* S_OK when s has no guard or its guard lets the call through. */
HRESULT fm_store_check_access(fm_store *s);

/* The folder's standard role, or -1. */
int fm_store_std_role(const fm_store *s, int64_t fid);

#endif /* FREEMAPI_STORE_STORE_H */
