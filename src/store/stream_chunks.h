/*
 * store/stream_chunks.h - the row-level side of streams, shared by the
 * IStream object (stream.c) and the functions of stream.h that work on whole
 * streams (stream_chunks.c).
 *
 * A stream's byte at offset o lives in chunk row seq = o / FM_STREAM_CHUNK.
 * Rows may be shorter than a chunk or missing altogether: the missing bytes
 * below streams.size read as zeros, so growing a stream costs nothing.
 *
 * A stream whose data lives in a companion file (stream_file.h) has no data
 * rows, only the marker row seq = -1 with an empty blob; streams.size still
 * says how many bytes of the file are the stream's.
 */
#ifndef FREEMAPI_STORE_STREAM_CHUNKS_H
#define FREEMAPI_STORE_STREAM_CHUNKS_H

#include <stdbool.h>
#include "store/stream.h"

/* The size of stream sid, or MAPI_E_NOT_FOUND. */
HRESULT fm_stream_get_size(fm_db *db, int64_t sid, uint64_t *size);

/* The size of stream sid and whether its data is in a file. */
HRESULT fm_stream_get_info(fm_db *db, int64_t sid, uint64_t *size, bool *in_file);

/* Reads chunk seq of sid into buf (FM_STREAM_CHUNK bytes): *len is the
 * stored length, the rest of buf is zeroed. */
HRESULT fm_stream_load_chunk(fm_db *db, int64_t sid, int64_t seq, BYTE *buf, size_t *len);

/* Stores len bytes as chunk seq of sid and sets the stream's size, in one
 * short transaction of its own. len 0 removes the row. */
HRESULT fm_stream_store_chunk(fm_db *db, int64_t sid, int64_t seq, const BYTE *buf, size_t len,
                              uint64_t size);

/* Sets the stream's size in its own short transaction; a stream whose row
 * is gone is MAPI_E_OBJECT_DELETED. */
HRESULT fm_stream_store_size(fm_db *db, int64_t sid, uint64_t size);

/* Moves the chunk rows of scratch stream sid into its new file, marks it as
 * kept in a file and stores size; *fd is the file, open for writing. */
HRESULT fm_stream_move_to_file(fm_db *db, int64_t sid, uint64_t size, int *fd);

/* Sets the size of sid, dropping or cutting the chunks past it. */
HRESULT fm_stream_set_size(fm_db *db, int64_t sid, uint64_t size);

/* Creates an unowned scratch stream for tag, marked with this process's id
 * (see fm_stream_collect_garbage), as a copy of from_sid (0: empty). The
 * chunks are copied in transactions of bounded size; a stream kept in a
 * file is copied to a new file (*in_file says which kind was made). */
HRESULT fm_stream_make_scratch(fm_db *db, ULONG tag, int64_t from_sid, int64_t *out,
                               bool *in_file);

#endif /* FREEMAPI_STORE_STREAM_CHUNKS_H */
