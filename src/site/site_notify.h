/*
 * site/site_notify.h - the site directory's change notifications: what its
 * write transactions record, and the registrations IAddrBook::Advise makes
 * on directory entries (ab/addrbook_advise.c).
 *
 * The directory file is followed across processes exactly as a message
 * store is (notify/feed.h): its changes are rows of its own fm_events
 * table, written in the transaction that makes them, only while some
 * process follows the file (`directory.db-notify`), so every process that
 * advised sees every committed change once, in commit order.
 *
 * Keys: 0 the directory as a whole (a registration on the global address
 * list or the root container), an entry's id for that user or list.
 * Events, each posted under 0 and the entry's key: fnevObjectCreated (a
 * user or list added), fnevObjectModified (renamed, an attribute set, a
 * list's members changed, with the changed tags in lpPropTagArray),
 * fnevObjectDeleted (removed; the lists it was a member of are Modified).
 * OBJECT_NOTIFICATION carries the entry's directory entry ID and, as
 * lpParentID, the global address list's container entry ID.
 */
#ifndef FREEMAPI_SITE_SITE_NOTIFY_H
#define FREEMAPI_SITE_SITE_NOTIFY_H

#include "notify/feed.h"
#include "site/site.h"

/* The global address list container's id in directory entry IDs (the
 * address book's FM_AB_GAL, kind 3). */
#define FM_SITE_GAL_CONTAINER 1
#define FM_SITE_KIND_CONTAINER 3

/* Opens the directory's feed (path: directory.db) and hooks its
 * transactions. */
HRESULT fm_site_notify_open(fmapi_site *site, const char *path);
void fm_site_notify_close(fmapi_site *site);

/* Inside a write transaction of the directory: records event on entry id
 * of kind (FM_SITE_KIND_*), with ntags changed property tags (tags NULL:
 * none recorded), when some process follows the directory.
 * MAPI_E_NOT_ENOUGH_MEMORY fails the transaction. */
HRESULT fm_site_notify_entry(fmapi_site *site, ULONG event, int kind, int64_t id, ULONG ntags,
                             const ULONG *tags);

/* Advise and Unadvise on the directory: key 0 or an entry's id. */
HRESULT fm_site_advise(fmapi_site *site, uint64_t key, ULONG mask, IMAPIAdviseSink *sink,
                       const char *what, ULONG_PTR *conn);
HRESULT fm_site_unadvise(fmapi_site *site, ULONG_PTR conn, const char *what);

#endif /* FREEMAPI_SITE_SITE_NOTIFY_H */
