/*
 * store/message_row.h - a message's row in the messages table: reading it,
 * saving a message into it (one transaction with its recipients and
 * streams), and the read flag.
 */
#ifndef FREEMAPI_STORE_MESSAGE_ROW_H
#define FREEMAPI_STORE_MESSAGE_ROW_H

#include "store/object.h"
#include "store/attachments.h"
#include "store/recipients.h"

typedef struct fm_message_row {
    int64_t mid;           /* 0 until first saved */
    int64_t fid;           /* 0 for an embedded message */
    int64_t parent_attach; /* an embedded message's attachment, else 0 */
    bool assoc;
    ULONG flags;  /* MSGFLAG_* kept by the store (not HASATTACH/ASSOCIATED) */
    ULONG status; /* PR_MSG_STATUS */
    uint64_t size;
    int64_t created, modified;
    int64_t change_num;
    ULONG attach_count;
    void *props; /* the blob, only between reading and loading (fm_malloc) */
    size_t props_len;
} fm_message_row;

/* MAPI_E_NOT_FOUND when mid is not a live message. */
HRESULT fm_message_row_read(fm_store *s, int64_t mid, fm_message_row *row);

/* Saves message object o (its bag, pending streams, recipients when they
 * changed) into its row: inserting it when new, else checking the change
 * number (MAPI_E_OBJECT_CHANGED unless FORCE_SAVE; MAPI_E_OBJECT_DELETED).
 * All in one transaction; on success row is updated and o's state is clean. */
HRESULT fm_message_row_save(fm_object *o, fm_message_row *row, fm_recipients *recips,
                            fm_attachments *atts, ULONG ulFlags);

/* Sets or clears MSGFLAG_READ (and clears the receipt-pending bits when
 * asked); written at once for a saved message. */
HRESULT fm_message_row_set_read(fm_store *s, fm_message_row *row, bool read, bool clear_rn,
                                bool clear_nrn);

/* PR_MESSAGE_FLAGS as reported: stored bits plus HASATTACH and ASSOCIATED. */
ULONG fm_message_row_flags(const fm_message_row *row);

/* PR_MESSAGE_SIZE of message object o as it is now, pending changes included. */
uint64_t fm_message_size(fm_object *o, const fm_recipients *recips, const fm_attachments *atts);

#endif /* FREEMAPI_STORE_MESSAGE_ROW_H */
