/*
 * notify/record.h - a message store's change events as bytes: what a writer
 * records in the same transaction as the change, and what every other
 * process (and the server, which forwards them to remote clients as
 * RopNotify) reads back.
 *
 * A record names objects by the store's own 64-bit folder and message ids,
 * not by entry IDs: each reader makes the entry IDs of its own store (the
 * store UID is the reader's), and [MS-OXCNOTIF]'s NotificationData carries
 * the same folder and message ids, so the server forwards without the store.
 *
 * Encoding of a batch (one transaction's records): 'F', version 1, a 32-bit
 * little-endian record count, then each record as a varint field count and
 * its fields, each a varint tag (field number << 1 | 1 for byte strings, 0
 * for integers) and a value (zigzag varint, or varint length and bytes).
 * Readers skip fields they do not know, so a newer writer's records still
 * read. Decoding never trusts the bytes: any malformed batch is
 * MAPI_E_CORRUPT_DATA with text, never a crash (fuzz/fuzz_notify_record.c).
 */
#ifndef FREEMAPI_NOTIFY_RECORD_H
#define FREEMAPI_NOTIFY_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapidefs.h"

/* Changed-property tags a record carries at most (more: recorded as unknown). */
#define FM_NOTIFY_MAX_TAGS 256
/* Longest message class a record carries, in bytes (MAPI's limit is 255 characters). */
#define FM_NOTIFY_MAX_CLASS 1024

typedef struct fm_notify_record {
    ULONG event;    /* one fnev* bit */
    ULONG obj_type; /* MAPI_STORE, MAPI_FOLDER, MAPI_MESSAGE */
    int64_t id;     /* the object: folder or message id (0: the store) */
    int64_t parent; /* the folder holding it (0: none) */
    int64_t old_id; /* moves and copies: the object before (0: none) */
    int64_t old_parent;
    ULONG msg_flags;       /* NewMail: PR_MESSAGE_FLAGS */
    SCODE scode;           /* CriticalError */
    ULONG ext_event;       /* Extended: ulEvent */
    const char *msg_class; /* NewMail: UTF-8, or NULL */
    ULONG ntags;           /* changed properties (tags NULL: not recorded) */
    const ULONG *tags;
    ULONG cbext; /* Extended parameters */
    const BYTE *ext;
    bool has_counts; /* folder events: the counts after the change */
    ULONG total, unread;
} fm_notify_record;

/* A batch being written. */
typedef struct fm_notify_batch {
    uint8_t *buf; /* fm_malloc'd; header first */
    size_t len, cap;
    uint32_t count;
} fm_notify_batch;

/* Appends r: MAPI_E_NOT_ENOUGH_MEMORY (the batch is unchanged), or
 * MAPI_E_INVALID_PARAMETER for a record no reader would accept. */
HRESULT fm_notify_batch_add(fm_notify_batch *b, const fm_notify_record *r);
/* The encoded batch (valid until the next add or clear); NULL, 0 when empty. */
const void *fm_notify_batch_bytes(fm_notify_batch *b, size_t *n);
/* Empties b (keeping its buffer for reuse, or freeing it with release). */
void fm_notify_batch_clear(fm_notify_batch *b, bool release);

/* Reads a batch record by record. Pointers in the records it returns point
 * into the batch or into the reader, valid until the next call. */
typedef struct fm_notify_reader {
    const uint8_t *p, *end;
    uint32_t left;
    ULONG tags[FM_NOTIFY_MAX_TAGS];
    char msg_class[FM_NOTIFY_MAX_CLASS + 1];
} fm_notify_reader;

/* Starts reading batch (n bytes): MAPI_E_CORRUPT_DATA unless it is one. */
HRESULT fm_notify_reader_init(fm_notify_reader *rd, const void *batch, size_t n);
/* The next record into *r: S_OK, S_FALSE at the end, MAPI_E_CORRUPT_DATA. */
HRESULT fm_notify_reader_next(fm_notify_reader *rd, fm_notify_record *r);

#endif /* FREEMAPI_NOTIFY_RECORD_H */
