/*
 * notify/feed_file.h - the rendezvous file `<store>-notify` of a store (see
 * feed.h for the protocol): its locks, header and slots. Internal to
 * src/notify/.
 *
 * Layout: bytes 0-7 "FMNOTIF1", 8-15 the sequence a writer is committing
 * (begin), 16-23 the sequence committed or abandoned last (end), both
 * little-endian; from byte 4096, one 8-byte position per slot. Locks are
 * open-file-description (OFD) locks, so they belong to an open descriptor,
 * not to a process (two descriptors of one process conflict like two
 * processes), and are dropped when it is closed or its process dies. They
 * sit far beyond the data (locks need no bytes): the presence byte at
 * 2^40, slot i's byte right after it.
 */
#ifndef FREEMAPI_NOTIFY_FEED_FILE_H
#define FREEMAPI_NOTIFY_FEED_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "mapidefs.h"

/* Opens (creating 0600) the rendezvous file at path: a descriptor, or -1
 * with *hr set (MAPI_E_NO_ACCESS, MAPI_E_NOT_ENOUGH_RESOURCES). *created
 * (may be NULL) tells whether this call made the file. Every open
 * descriptor holds a shared lock on the file's *open byte*, taken before
 * the path is checked to still name the file (else it is opened again), so
 * fm_ffile_discard can tell whether anybody else has the file open. */
int fm_ffile_open(const char *path, bool *created, HRESULT *hr);
/* Closes fd, and removes path first when no other descriptor (of any
 * process) has the file open: for an open that made the file and then
 * failed, so that nothing is left beside the store. */
void fm_ffile_discard(int fd, const char *path);

/* The writer's test, one fcntl: whether any descriptor but fd holds the
 * presence byte (someone follows the file). Errors read as "followed". */
bool fm_ffile_followed(int fd);

/* A follower's shared lock on the presence byte. */
HRESULT fm_ffile_listen(int fd);
/* Claims the lowest free slot (an exclusive lock on its byte); -1 when the
 * descriptor cannot hold one (a read-only file). */
int64_t fm_ffile_claim_slot(int fd);
void fm_ffile_set_position(int fd, int64_t slot, uint64_t seq);
/* The lowest position published by a live slot other than fd's; false when
 * no slot is live. */
bool fm_ffile_min_position(int fd, uint64_t *min);

/* The header mapped shared (writable: a writer's, for its begin stamps;
 * read-only: a follower's, to check the stamps without a system call), or
 * NULL. */
void *fm_ffile_map_header(int fd, bool writable);
void fm_ffile_unmap_header(void *map);

/* Header stamps: begin through the mapping when there is one (no inotify
 * wake-up), end with a write (the wake-up). */
void fm_ffile_set_begin(int fd, void *map, uint64_t seq);
void fm_ffile_set_end(int fd, uint64_t seq);
void fm_ffile_stamps(int fd, uint64_t *begin, uint64_t *end);
/* The same through a mapping. */
void fm_ffile_mapped_stamps(const void *map, uint64_t *begin, uint64_t *end);

#endif /* FREEMAPI_NOTIFY_FEED_FILE_H */
