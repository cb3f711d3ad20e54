/*
 * store/bulk_purge.h - freeing soft-deleted messages and folders for good
 * (freemapi's extension fmapi_store_purge, freemapi_store.h).
 */
#ifndef FREEMAPI_STORE_BULK_PURGE_H
#define FREEMAPI_STORE_BULK_PURGE_H

#include "store/progress.h"
#include "store/store.h"

/*
 * Hard-deletes every message soft-deleted at or before cutoff (a FILETIME
 * count, as deleted_at), in bounded batches reported on pr, then the
 * soft-deleted folders of that age left without messages. *purged counts
 * the messages freed.
 */
HRESULT fm_bulk_purge(fm_store *s, int64_t cutoff, LPMAPIPROGRESS lpProgress, ULONG *purged);

#endif /* FREEMAPI_STORE_BULK_PURGE_H */
