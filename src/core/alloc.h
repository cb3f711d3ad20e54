/*
 * core/alloc.h - the internal side of freemapi's one allocator.
 *
 * Internal code allocates with fm_malloc/fm_calloc/fm_realloc/fm_strdup and
 * frees with fm_free; MAPI buffers handed to callers use MAPIAllocateBuffer
 * and MAPIAllocateMore (core/alloc.c implements both). Never mix the two
 * families on one pointer: each block carries a tag saying which it is, and
 * the wrong free is refused (and reported by an assertion in debug builds).
 *
 * All of them return NULL (or MAPI_E_NOT_ENOUGH_MEMORY) when the system or
 * the failure injector refuses; callers must handle that on every path.
 */
#ifndef FREEMAPI_CORE_ALLOC_H
#define FREEMAPI_CORE_ALLOC_H

#include <stddef.h>
#include "mapidefs.h"

void *fm_malloc(size_t size);
void *fm_calloc(size_t count, size_t size);
void *fm_realloc(void *ptr, size_t size);
char *fm_strdup(const char *s);
char *fm_strndup(const char *s, size_t n);
void fm_free(void *ptr);

/*
 * Allocates size bytes as a MAPI buffer: linked to parent with
 * MAPIAllocateMore when parent is not NULL, else a new root with
 * MAPIAllocateBuffer. The common shape of "allocate into the caller's
 * buffer chain, or start one".
 */
SCODE fm_alloc_mapi(size_t size, void *parent, void **out);

/* SQLite's memory: the same allocator, counted apart (live_sqlite_*), so a
 * connection's caches can be told from freemapi's own blocks. */
void *fm_sqlite_malloc(size_t size);
void *fm_sqlite_realloc(void *ptr, size_t size);
void fm_sqlite_free(void *ptr);

/* The size requested for an fm_malloc or SQLite block (SQLite's xSize). */
size_t fm_alloc_size(const void *ptr);

/* True when p is the start of a live MAPI buffer (root or linked). */
int fm_alloc_is_mapi_buffer(const void *p);

#endif /* FREEMAPI_CORE_ALLOC_H */
