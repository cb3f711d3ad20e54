/*
 * store/stream.h - large property values as IStream, in constant memory.
 *
 * A stream is one row of the streams table plus its data in stream_chunks,
 * FM_STREAM_CHUNK bytes per row. Reading walks the chunks; writing goes to
 * a *scratch* stream (a new sid with no owner), a chunk at a time, each in
 * its own short transaction, so a 1 GiB attachment passes through with one
 * chunk of memory and never holds the mailbox's write lock for long.
 *
 * Transactions follow MAPI: what a writer does is invisible to others until
 * the owning object is saved. IStream::Commit hands the scratch stream to the
 * owner through fm_stream_owner.commit; the owner's SaveChanges then adopts
 * it (fm_stream_adopt) inside its own transaction, replacing the old value.
 * Revert, or Release without Commit, drops the scratch stream. A crash
 * leaves only unowned scratch streams, which fm_stream_collect_garbage
 * removes when a store is opened.
 *
 * Streams larger than FM_STREAM_FILE_MIN keep their data in a companion
 * file instead of chunk rows (store/stream_file.h); the interface is the same.
 */
#ifndef FREEMAPI_STORE_STREAM_H
#define FREEMAPI_STORE_STREAM_H

#include <stdint.h>
#include "mapidefs.h"
#include "db/db.h"

#define FM_STREAM_CHUNK (128 * 1024)

/* streams.owner_kind values. */
#define FM_STREAM_OWNER_FOLDER 1
#define FM_STREAM_OWNER_MESSAGE 2
#define FM_STREAM_OWNER_ATTACHMENT 3
#define FM_STREAM_OWNER_STORE 4 /* the store object's own properties; owner_id 0 */

/* The object a writable stream belongs to. */
typedef struct fm_stream_owner {
    void *ctx;
    /* IStream::Commit: the scratch stream scratch_sid now holds the new value
     * (size bytes) of property tag. The owner keeps it as a pending change
     * and from then on owns scratch_sid (drops it with fm_stream_delete if it
     * is never saved). A later Commit of the same stream passes a new sid. */
    HRESULT (*commit)(void *ctx, ULONG tag, int64_t scratch_sid, uint64_t size);
    /* Optional: AddRef/Release of the owner, so it outlives its streams. */
    void (*addref)(void *ctx);
    void (*release)(void *ctx);
} fm_stream_owner;

/* Open modes. */
#define FM_STREAM_READ 0x1u
#define FM_STREAM_WRITE 0x2u  /* needs owner; starts as a copy of sid's data */
#define FM_STREAM_CREATE 0x4u /* with WRITE: start empty, ignoring sid */
/* With READ only: sid is an unowned scratch stream that this IStream takes
 * over; it is deleted when the IStream is released. */
#define FM_STREAM_TEMPORARY 0x8u

/*
 * Opens an IStream on stream sid (0: no stored value, an empty stream).
 * Read-only streams refuse Write/SetSize/Commit with STG_E_ACCESSDENIED.
 * The IStream keeps db until released (db must outlive it). Errors:
 * MAPI_E_NOT_FOUND (sid does not exist), MAPI_E_INVALID_PARAMETER,
 * MAPI_E_NOT_ENOUGH_MEMORY, and the db layer's codes.
 */
HRESULT fm_stream_open(fm_db *db, int64_t sid, ULONG tag, unsigned mode,
                       const fm_stream_owner *owner, IStream **lppStream);

/* A read-only IStream over a copy of data[0..len) (stream_memory.c):
 * OpenProperty's readers of values not stored as a stream of their width,
 * so that reading writes nothing to the database. */
HRESULT fm_stream_open_memory(const void *data, size_t len, IStream **lppStream);

/* Makes scratch stream sid the value of (owner_kind, owner_id, tag): deletes
 * the previous stream of that property. Call inside the owner's transaction. */
HRESULT fm_stream_adopt(fm_db *db, int64_t sid, int owner_kind, int64_t owner_id, ULONG tag);

/* Deletes a stream and its chunks. */
HRESULT fm_stream_delete(fm_db *db, int64_t sid);

/* Deletes every stream of an owner (all properties); inside a transaction. */
HRESULT fm_stream_delete_owned(fm_db *db, int owner_kind, int64_t owner_id);

/* The stream of (owner_kind, owner_id, tag): *sid and *size, or
 * MAPI_E_NOT_FOUND. tag's type is ignored (PROP_ID matches). */
HRESULT fm_stream_find(fm_db *db, int owner_kind, int64_t owner_id, ULONG tag, int64_t *sid,
                       uint64_t *size);

/* Copies stream sid into a new stream owned by (owner_kind, owner_id, tag),
 * inside the caller's transaction (CopyTo, CopyMessages). */
HRESULT fm_stream_copy(fm_db *db, int64_t sid, int owner_kind, int64_t owner_id, ULONG tag,
                       int64_t *new_sid);

/* Copies every stream of (owner_kind, from) to new streams of (owner_kind,
 * to), inside the caller's transaction: a copied message, attachment or
 * folder keeps its large values. */
HRESULT fm_stream_copy_owned(fm_db *db, int owner_kind, int64_t from, int64_t to);

/* Reads a whole stream (at most max bytes, else MAPI_E_NOT_ENOUGH_MEMORY)
 * into a MAPI buffer linked to parent: GetProps of a large binary/string. */
HRESULT fm_stream_read_all(fm_db *db, int64_t sid, uint64_t max, void *parent, BYTE **lppData,
                           ULONG *lpcb);

/* IStream methods answer with storage codes (STG_E_MEDIUMFULL, ...); a MAPI
 * method that used an IStream internally answers with the MAPI code of the
 * same failure (MAPI_E_NOT_ENOUGH_DISK, ...). Other codes pass unchanged. */
HRESULT fm_stream_mapi_code(HRESULT hr);

/* Removes unowned streams: scratch left by crashed writers and dropped
 * streams kept in files (with their files). */
HRESULT fm_stream_collect_garbage(fm_db *db);

#endif /* FREEMAPI_STORE_STREAM_H */
