/*
 * store/store_notify.h - a message store's change notifications: what its
 * write transactions record (fm_store_notify) and how records become the
 * NOTIFICATION structures IMsgStore::Advise registrations receive.
 *
 * A store's registrations live in its file's feed (notify/feed.h), shared
 * by every store object opened on the same file in this process and
 * followed across processes. Keys: 0 the store as a whole, a folder
 * 2 * fid, a message 2 * mid + 1 (folder and message ids are counted
 * apart). An event is posted under the object's key, its parent folder's,
 * the old object's and old parent's (moves and copies), and 0, so that a
 * registration on a folder sees what happens to the folder and inside it,
 * as Exchange's stores do.
 *
 * Events: fnevObjectCreated for messages (saves) and folders
 * (CreateFolder), fnevObjectModified for a message saved again (tags not
 * recorded: lpPropTagArray NULL) or marked read or unread (SetReadFlag,
 * SetReadFlags: PR_MESSAGE_FLAGS), for a folder's or the store's SetProps
 * and DeleteProps (the tags set or deleted) and for a folder whose content
 * counts a transaction changed (PR_CONTENT_COUNT and/or PR_CONTENT_UNREAD,
 * once per folder per transaction, after that transaction's message
 * events), fnevObjectDeleted (DeleteMessages, EmptyFolder, DeleteFolder),
 * fnevObjectMoved/Copied (CopyMessages, CopyFolder), fnevNewMail for a new
 * message saved in the Inbox without MSGFLAG_UNSENT, fnevSearchComplete
 * for a search folder whose SetSearchCriteria finished (search_folder.c).
 * Not yet: message status changes (SetMessageStatus).
 */
#ifndef FREEMAPI_STORE_STORE_NOTIFY_H
#define FREEMAPI_STORE_STORE_NOTIFY_H

#include <pthread.h>
#include <stdint.h>

#include "notify/feed.h"
#include "notify/record.h"
#include "store/store.h"

static inline uint64_t fm_store_notify_key(ULONG obj_type, int64_t id)
{
    if (id <= 0 || obj_type == MAPI_STORE)
        return 0;
    return (uint64_t)id * 2u + (obj_type == MAPI_MESSAGE ? 1u : 0u);
}

/* Opens s's feed (path: the store file) and hooks its transactions. A store
 * opened read-only that cannot make the rendezvous file still opens (it never
 * writes); Advise then fails with the reason. */
HRESULT fm_store_notify_open(fm_store *s, const char *path);
void fm_store_notify_close(fm_store *s);
/* The open of s failed after fm_store_notify_open: the feed goes, and the
 * rendezvous file if this open made it (fm_feed_release_failed). */
void fm_store_notify_abandon(fm_store *s);

/* Inside a write transaction of s: records r when some process follows the
 * store (else nothing). MAPI_E_NOT_ENOUGH_MEMORY fails the transaction. */
HRESULT fm_store_notify(fm_store *s, const fm_notify_record *r);
/* An object event on a folder or message: a shorthand for fm_store_notify. */
HRESULT fm_store_notify_object(fm_store *s, ULONG event, ULONG obj_type, int64_t id,
                               int64_t parent, int64_t old_id, int64_t old_parent);

/* Which content counts of a folder a change moved (fm_store_notify_counts). */
#define FM_COUNT_TOTAL 0x1u  /* PR_CONTENT_COUNT */
#define FM_COUNT_UNREAD 0x2u /* PR_CONTENT_UNREAD */

typedef struct fm_store_count_mark {
    int64_t fid;
    unsigned which;
} fm_store_count_mark;

/* Inside a write transaction of s: folder fid's counts in which changed;
 * told once per folder as the transaction commits (nothing when nobody
 * follows the store). MAPI_E_NOT_ENOUGH_MEMORY fails the transaction. */
HRESULT fm_store_notify_counts(fm_store *s, int64_t fid, unsigned which);
/* A folder's (obj_type MAPI_FOLDER, id, parent) or the store's (MAPI_STORE,
 * 0, 0) properties were set or deleted: ObjectModified with the tags. */
HRESULT fm_store_notify_props(fm_store *s, ULONG obj_type, int64_t id, int64_t parent,
                              ULONG ntags, const ULONG *tags);
/* Message mid in fid was marked read or unread (PR_MESSAGE_FLAGS). */
HRESULT fm_store_notify_read(fm_store *s, int64_t mid, int64_t fid);

/* Advise and Unadvise on s (IMsgStore's, and the store tables'). */
HRESULT fm_store_advise(fm_store *s, uint64_t key, ULONG mask, IMAPIAdviseSink *sink,
                        ULONG_PTR *conn);
HRESULT fm_store_unadvise(fm_store *s, ULONG_PTR conn);

/* A store table's watch (table.h's watch/unwatch): sink hears every object
 * event under key (a folder's, or 0 for the whole store), and lost events. */
HRESULT fm_store_table_watch(fm_store *s, uint64_t key, IMAPIAdviseSink *sink, ULONG_PTR *conn);
void fm_store_table_unwatch(fm_store *s, ULONG_PTR conn);

/* The connections one object made (an IMsgStore), so that its Release
 * cancels those its caller did not Unadvise: MAPI objects own their
 * registrations. Zero-initialize. */
typedef struct fm_store_conns {
    pthread_mutex_t lock;
    ULONG_PTR *conn;
    size_t n, cap;
} fm_store_conns;

void fm_store_conns_init(fm_store_conns *c);
/* Advise on s recorded in c: as fm_store_advise, MAPI_E_NOT_ENOUGH_MEMORY
 * when c cannot grow (nothing registered then). */
HRESULT fm_store_conns_advise(fm_store_conns *c, fm_store *s, uint64_t key, ULONG mask,
                              IMAPIAdviseSink *sink, ULONG_PTR *conn);
/* Unadvise of one of c's connections: MAPI_E_NOT_FOUND for any other. */
HRESULT fm_store_conns_unadvise(fm_store_conns *c, fm_store *s, ULONG_PTR conn);
/* Cancels every connection left in c and frees c's memory. */
void fm_store_conns_clear(fm_store_conns *c, fm_store *s);

#endif /* FREEMAPI_STORE_STORE_NOTIFY_H */
