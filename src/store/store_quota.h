/*
 * store/store_quota.h - a mailbox's size limits (store_quota.c): the
 * quotas an administrator sets (fmapi_store_set_quota, freemapi_store.h),
 * kept in the store's own store_meta so every process opening the mailbox
 * sees them, read back as the store's computed PR_PROHIBIT_RECEIVE_QUOTA,
 * PR_PROHIBIT_SEND_QUOTA and PR_STORAGE_QUOTA_LIMIT, and the mailbox size
 * they are measured against (PR_MESSAGE_SIZE_EXTENDED of the store).
 */
#ifndef FREEMAPI_STORE_STORE_QUOTA_H
#define FREEMAPI_STORE_STORE_QUOTA_H

#include "mapidefs.h"
#include "store/store.h"

/* The limit of tag (one of the three quota tags), in KB; MAPI_E_NOT_FOUND
 * when none is set (no limit). */
HRESULT fm_store_quota_get(fm_store *s, ULONG tag, LONG *kb);
/* What the mailbox holds: the sizes (PR_MESSAGE_SIZE) of its messages,
 * soft-deleted ones included (they still occupy it), in bytes. */
HRESULT fm_store_mailbox_size(fm_store *s, uint64_t *bytes);
/* MAPI_E_STORE_FULL, with text, when the mailbox has reached its send
 * quota (SubmitMessage refuses then, as Exchange does); S_OK otherwise. */
HRESULT fm_store_check_send_quota(fm_store *s);
/* The same for delivery into the mailbox and its receive quota. */
HRESULT fm_store_check_receive_quota(fm_store *s);

#endif /* FREEMAPI_STORE_STORE_QUOTA_H */
