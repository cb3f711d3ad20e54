/*
 * store/attachments.h - the attachments of a message being worked on.
 *
 * Like recipients, attachments follow the message's transaction: an
 * IAttach's SaveChanges hands its properties and committed streams to the
 * message's list here, and only the message's SaveChanges writes them to
 * the store. The list owns the scratch streams it holds until then, and
 * drops them if the message is released unsaved.
 */
#ifndef FREEMAPI_STORE_ATTACHMENTS_H
#define FREEMAPI_STORE_ATTACHMENTS_H

#include "store/object.h"

typedef struct fm_attach_entry {
    ULONG num;     /* PR_ATTACH_NUM */
    int64_t aid;   /* the attachments row; 0 until the message is saved */
    bool deleted;  /* DeleteAttach: removed at the message's save */
    bool dirty;    /* changed since loaded or saved */
    bool inserted; /* aid was assigned by a save that may still roll back */
    void *blob;    /* properties (fm_malloc), as the IAttach last saved them */
    size_t len;
    fm_pending_stream *streams; /* committed data awaiting the message's save */
    size_t nstreams;
    int64_t embedded_mid; /* a scratch embedded message awaiting the save, owned */
} fm_attach_entry;

typedef struct fm_attachments {
    fm_attach_entry *e;
    size_t n, cap;
    ULONG next_num;
    bool loaded;
} fm_attachments;

/* Loads message mid's saved attachments (once). */
HRESULT fm_attachments_load(fm_attachments *a, fm_store *s, int64_t mid);

/* Frees the list, dropping the scratch streams and messages it owns. */
void fm_attachments_clear(fm_attachments *a, fm_store *s);

/* The live (not deleted) entry numbered num, or NULL. */
fm_attach_entry *fm_attachments_find(fm_attachments *a, ULONG num);

/* Appends a new, empty entry with the next attachment number. */
HRESULT fm_attachments_add(fm_attachments *a, fm_attach_entry **out);

/* Live entries. */
ULONG fm_attachments_count(const fm_attachments *a);

/* Bytes the attachments take (properties and data). */
uint64_t fm_attachments_size(const fm_attachments *a, fm_store *s);

/* Writes the changes to message mid's attachments (inside its transaction)
 * and, on success, forgets what was written. */
HRESULT fm_attachments_save(fm_attachments *a, fm_store *s, int64_t mid);

/* After the message's transaction committed: the saved state is clean. */
void fm_attachments_saved(fm_attachments *a);

/* After the message's transaction rolled back: new rows were not kept. */
void fm_attachments_rolled_back(fm_attachments *a);

#endif /* FREEMAPI_STORE_ATTACHMENTS_H */
