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

/* The values kept in indexed columns beside the blob, read from the bag. */
typedef struct fm_message_hot {
    LPSPropValue values; /* one MAPI buffer */
    const char *subject, *sender, *message_class;
    int64_t delivery;
    bool has_delivery;
} fm_message_hot;

/*
 * One message save in its phases, so that several saves can share one
 * transaction (fmapi_message_save_group): prepare (encode, outside any
 * transaction), write (inside the caller's transaction, under the store
 * lock), then finish after the commit or abort after a rollback, and clear
 * in every case.
 */
typedef struct fm_message_save {
    fm_object *o;
    fm_message_row *row;
    fm_recipients *recips;
    fm_attachments *atts;
    ULONG flags;
    fm_message_row saved; /* the row as it was, restored by abort */
    void *blob;
    size_t len;
    fm_message_hot hot;
    int64_t now;
} fm_message_save;

HRESULT fm_message_save_prepare(fm_message_save *sv, fm_object *o, fm_message_row *row,
                                fm_recipients *recips, fm_attachments *atts, ULONG flags);
HRESULT fm_message_save_write(fm_message_save *sv, int64_t now);
HRESULT fm_message_save_finish(fm_message_save *sv);
void fm_message_save_abort(fm_message_save *sv);
void fm_message_save_clear(fm_message_save *sv);

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
