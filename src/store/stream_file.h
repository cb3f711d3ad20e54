/*
 * store/stream_file.h - the companion files that hold the data of large
 * streams outside SQLite.
 *
 * Why: a byte written through SQLite in WAL mode is written twice (to the
 * WAL, then again by a checkpoint), which caps a 1 GiB attachment at a
 * fraction of the disk's speed. A stream that grows past FM_STREAM_FILE_MIN
 * therefore moves its data to a file of its own, <store>-streams/<sid>,
 * written with pwrite and made durable with fdatasync before any row that
 * refers to it as a saved value is committed. Its row in `streams` stays the
 * stream's identity (owner, tag, size); a chunk row with seq -1 and no data
 * marks it as kept in a file (see stream_chunks.h).
 *
 * A file is removed only while its row is garbage: a dropped stream (an
 * unowned row with owner_id 0) or the scratch of a dead writer. So a crash
 * at any point leaves either a referenced file or a row that the next
 * collection removes together with its file.
 */
#ifndef FREEMAPI_STORE_STREAM_FILE_H
#define FREEMAPI_STORE_STREAM_FILE_H

#include <stddef.h>
#include <stdint.h>
#include "db/db.h"

/* Streams larger than this keep their data in a companion file. */
#define FM_STREAM_FILE_MIN (1024u * 1024u)

/* Open modes of fm_stream_file_open. */
#define FM_STREAM_FILE_READ 0
#define FM_STREAM_FILE_WRITE 1  /* read and write an existing file */
#define FM_STREAM_FILE_CREATE 2 /* read and write a new, empty file */

/* The file of stream sid: "<store path>-streams/<sid>". False if too long. */
bool fm_stream_file_path(const fm_db *db, int64_t sid, char *buf, size_t cap);

/* Opens the file of sid; *fd receives the descriptor (close with close()).
 * A missing file of a stream that should have one is MAPI_E_CORRUPT_STORE.
 * The directory must be the caller's own and is tightened to 0700; files are
 * created 0600 with O_EXCL, and no symlink is followed (MAPI_E_NO_ACCESS). */
HRESULT fm_stream_file_open(fm_db *db, int64_t sid, int mode, int *fd);

/* Writes n bytes at off; a full disk is MAPI_E_NOT_ENOUGH_DISK. */
HRESULT fm_stream_file_write(int fd, const void *buf, size_t n, uint64_t off);

/* Reads exactly n bytes at off: a shorter file is MAPI_E_CORRUPT_STORE. */
HRESULT fm_stream_file_read(int fd, int64_t sid, void *buf, size_t n, uint64_t off);

/* fdatasync: the data is durable before a row naming it is committed. */
HRESULT fm_stream_file_sync(int fd);

/* Cuts or extends (with zeros) the file to size bytes. */
HRESULT fm_stream_file_truncate(int fd, uint64_t size);

/* Copies the first size bytes of from into to. */
HRESULT fm_stream_file_copy(int from, int to, int64_t sid, uint64_t size);

/* Syncs the directory holding path (best effort), so that a name made in it
 * survives a power loss. */
void fm_stream_file_sync_parent(const char *path);

/* Removes the file of sid if there is one. */
void fm_stream_file_remove(const fm_db *db, int64_t sid);

#endif /* FREEMAPI_STORE_STREAM_FILE_H */
