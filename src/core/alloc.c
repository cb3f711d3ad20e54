/*
 * core/alloc.c - the one allocator: MAPI buffers and internal blocks.
 *
 * MAPI's memory model (MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer)
 * lets a caller free a whole tree of buffers with one call on the root. Every
 * block here carries a 32-byte header in front of the caller's bytes:
 *
 *     [ magic | kind-specific | size | link ] [ caller's bytes ... ]
 *
 * A root keeps the head of a singly linked list of the blocks allocated
 * "more" onto it; each linked block points to the next. MAPIAllocateMore
 * pushes with a compare-and-swap, so threads may add to one root at once.
 * Freeing the root walks the list. The header is 32 bytes so the caller's
 * bytes keep malloc's 16-byte alignment.
 *
 * Internal blocks (fm_malloc and friends) use the same header, so the same
 * counters see every byte, and the same failure injector can refuse any
 * allocation: the basis of the out-of-memory sweeps in tests/.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "freemapi_alloc.h"
#include "mapicode.h"
#include "mapix.h"
#include "omapix.h"

#define MAGIC_ROOT 0x4D415231u     /* "MAR1": MAPIAllocateBuffer */
#define MAGIC_MORE 0x4D414D31u     /* "MAM1": MAPIAllocateMore */
#define MAGIC_INTERNAL 0x4D414931u /* "MAI1": fm_malloc */
#define MAGIC_SQLITE 0x4D415331u   /* "MAS1": SQLite's memory */
#define MAGIC_FREED 0xDEADF4EEu

typedef struct block_header block_header;
struct block_header {
    uint32_t magic;
    uint32_t reserved;
    size_t size;
    /* root: head of its linked blocks; linked block: next sibling */
    _Atomic(block_header *) link;
    block_header *root; /* linked block: its root; otherwise NULL */
};

_Static_assert(sizeof(block_header) % 16 == 0, "header must keep 16-byte alignment");

static _Atomic uint64_t live_blocks;
static _Atomic uint64_t live_bytes;
static _Atomic uint64_t peak_bytes;
static _Atomic uint64_t live_mapi_buffers;
static _Atomic uint64_t total_allocations;
static _Atomic uint64_t failed_allocations;
static _Atomic uint64_t live_sqlite_blocks;
static _Atomic uint64_t live_sqlite_bytes;

/* Failure injection: fail when the attempt counter reaches fail_at; when
 * fail_persistent, every later attempt fails too. fail_at == 0: disarmed. */
static _Atomic uint64_t attempts;
static _Atomic uint64_t fail_at;
static _Atomic int fail_persistent;
static _Atomic uint64_t injected;

static int injection_refuses(void)
{
    uint64_t n = atomic_fetch_add(&attempts, 1) + 1;
    uint64_t at = atomic_load(&fail_at);
    if (at == 0)
        return 0;
    if (n == at || (atomic_load(&fail_persistent) && n > at)) {
        atomic_fetch_add(&injected, 1);
        return 1;
    }
    return 0;
}

static void count_alloc(size_t size, uint32_t magic)
{
    int mapi = magic == MAGIC_ROOT || magic == MAGIC_MORE;
    if (magic == MAGIC_SQLITE) {
        atomic_fetch_add(&live_sqlite_blocks, 1);
        atomic_fetch_add(&live_sqlite_bytes, size);
    }
    atomic_fetch_add(&live_blocks, 1);
    atomic_fetch_add(&total_allocations, 1);
    if (mapi)
        atomic_fetch_add(&live_mapi_buffers, 1);
    uint64_t now = atomic_fetch_add(&live_bytes, size) + size;
    uint64_t peak = atomic_load(&peak_bytes);
    while (now > peak && !atomic_compare_exchange_weak(&peak_bytes, &peak, now))
        ;
}

static void count_free(size_t size, uint32_t magic)
{
    int mapi = magic == MAGIC_ROOT || magic == MAGIC_MORE;
    if (magic == MAGIC_SQLITE) {
        atomic_fetch_sub(&live_sqlite_blocks, 1);
        atomic_fetch_sub(&live_sqlite_bytes, size);
    }
    atomic_fetch_sub(&live_blocks, 1);
    atomic_fetch_sub(&live_bytes, size);
    if (mapi)
        atomic_fetch_sub(&live_mapi_buffers, 1);
}

static block_header *header_new(size_t size, uint32_t magic)
{
    if (size > SIZE_MAX - sizeof(block_header) || injection_refuses()) {
        atomic_fetch_add(&failed_allocations, 1);
        return NULL;
    }
    block_header *h = malloc(sizeof(block_header) + size);
    if (h == NULL) {
        atomic_fetch_add(&failed_allocations, 1);
        return NULL;
    }
    h->magic = magic;
    h->reserved = 0;
    h->size = size;
    atomic_init(&h->link, NULL);
    h->root = NULL;
    count_alloc(size, magic);
    return h;
}

static void header_free(block_header *h)
{
    count_free(h->size, h->magic);
    h->magic = MAGIC_FREED;
    free(h);
}

static block_header *header_of(const void *p)
{
    return (block_header *)((char *)(uintptr_t)p - sizeof(block_header));
}

static void *payload_of(block_header *h)
{
    return (char *)h + sizeof(block_header);
}

/* ---- MAPI buffers ------------------------------------------------------- */

STDAPI_(SCODE) MAPIAllocateBuffer(ULONG cbSize, LPVOID *lppBuffer)
{
    if (lppBuffer == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "MAPIAllocateBuffer: lppBuffer is NULL");
    *lppBuffer = NULL;
    block_header *h = header_new(cbSize, MAGIC_ROOT);
    if (h == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY,
                            "MAPIAllocateBuffer: out of memory allocating %lu bytes",
                            (unsigned long)cbSize);
    *lppBuffer = payload_of(h);
    return S_OK;
}

STDAPI_(SCODE) MAPIAllocateMore(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer)
{
    if (lppBuffer == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIAllocateMore: lppBuffer is NULL");
    *lppBuffer = NULL;
    if (lpObject == NULL || ((uintptr_t)lpObject & 15) != 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "MAPIAllocateMore: lpObject is not a MAPI buffer");
    block_header *root = header_of(lpObject);
    if (root->magic == MAGIC_MORE)
        root = root->root; /* allocating onto a linked block links to its root */
    if (root == NULL || root->magic != MAGIC_ROOT)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "MAPIAllocateMore: lpObject was not allocated by "
                            "MAPIAllocateBuffer");
    block_header *h = header_new(cbSize, MAGIC_MORE);
    if (h == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY,
                            "MAPIAllocateMore: out of memory allocating %lu bytes",
                            (unsigned long)cbSize);
    h->root = root;
    block_header *head = atomic_load(&root->link);
    do {
        atomic_store_explicit(&h->link, head, memory_order_relaxed);
    } while (!atomic_compare_exchange_weak(&root->link, &head, h));
    *lppBuffer = payload_of(h);
    return S_OK;
}

STDAPI_(ULONG) MAPIFreeBuffer(LPVOID lpBuffer)
{
    if (lpBuffer == NULL)
        return S_OK;
    block_header *root = header_of(lpBuffer);
    if (root->magic != MAGIC_ROOT) {
        /* A linked block is freed with its root; anything else is not ours. */
        return (ULONG)fm_error_set(MAPI_E_INVALID_PARAMETER,
                                   "MAPIFreeBuffer: not the root of a MAPI buffer");
    }
    block_header *h = atomic_load(&root->link);
    while (h != NULL) {
        block_header *next = atomic_load_explicit(&h->link, memory_order_relaxed);
        header_free(h);
        h = next;
    }
    header_free(root);
    return S_OK;
}

/* Outlook's MAPIReallocateBuffer (omapix.h): the buffer moves to a block of
 * the new size holding its bytes (up to the smaller size); the blocks
 * linked to it with MAPIAllocateMore stay linked to it. A linked block is
 * reallocated as a new block linked to the same root (the old one is freed
 * with the root). NULL allocates as MAPIAllocateBuffer does. */
STDAPI_(SCODE) MAPIReallocateBuffer(LPVOID lpv, ULONG ulSize, LPVOID *lppv)
{
    if (lppv == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIReallocateBuffer: lppv is NULL");
    if (lpv == NULL)
        return MAPIAllocateBuffer(ulSize, lppv);
    if (!fm_alloc_is_mapi_buffer(lpv)) {
        *lppv = NULL;
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "MAPIReallocateBuffer: not a MAPI buffer");
    }
    block_header *old = header_of(lpv);
    if (old->magic == MAGIC_MORE) {
        void *p = NULL;
        SCODE sc = MAPIAllocateMore(ulSize, payload_of(old->root), &p);
        if (sc != S_OK) {
            *lppv = NULL;
            return sc;
        }
        memcpy(p, lpv, old->size < ulSize ? old->size : ulSize);
        *lppv = p;
        return S_OK;
    }
    if (injection_refuses()) {
        atomic_fetch_add(&failed_allocations, 1);
        *lppv = NULL;
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY,
                            "MAPIReallocateBuffer: out of memory allocating %lu bytes",
                            (unsigned long)ulSize);
    }
    size_t old_size = old->size;
    block_header *h = realloc(old, sizeof(block_header) + ulSize);
    if (h == NULL) {
        atomic_fetch_add(&failed_allocations, 1);
        *lppv = NULL; /* the old buffer stays valid, as realloc leaves it */
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY,
                            "MAPIReallocateBuffer: out of memory allocating %lu bytes",
                            (unsigned long)ulSize);
    }
    count_free(old_size, MAGIC_ROOT);
    count_alloc(ulSize, MAGIC_ROOT);
    h->size = ulSize;
    for (block_header *l = atomic_load(&h->link); l != NULL;
         l = atomic_load_explicit(&l->link, memory_order_relaxed))
        l->root = h;
    *lppv = payload_of(h);
    return S_OK;
}

SCODE fm_alloc_mapi(size_t size, void *parent, void **out)
{
    if (size > UINT32_MAX) {
        *out = NULL;
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY,
                            "allocation of %zu bytes exceeds a MAPI buffer's limit", size);
    }
    if (parent != NULL)
        return MAPIAllocateMore((ULONG)size, parent, out);
    return MAPIAllocateBuffer((ULONG)size, out);
}

size_t fm_alloc_size(const void *ptr)
{
    return ptr ? header_of(ptr)->size : 0;
}

int fm_alloc_is_mapi_buffer(const void *p)
{
    if (p == NULL || ((uintptr_t)p & 15) != 0)
        return 0;
    uint32_t m = header_of(p)->magic;
    return m == MAGIC_ROOT || m == MAGIC_MORE;
}

/* ---- internal blocks ---------------------------------------------------- */

void *fm_malloc(size_t size)
{
    block_header *h = header_new(size, MAGIC_INTERNAL);
    return h ? payload_of(h) : NULL;
}

void *fm_calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    void *p = fm_malloc(count * size);
    if (p != NULL)
        memset(p, 0, count * size);
    return p;
}

/* Resizes a block of the family magic (internal or SQLite). */
static void *realloc_block(void *ptr, size_t size, uint32_t magic)
{
    block_header *old = header_of(ptr);
    if (old->magic != magic)
        abort(); /* resizing a block of another family corrupts memory */
    if (size > SIZE_MAX - sizeof(block_header) || injection_refuses()) {
        atomic_fetch_add(&failed_allocations, 1);
        return NULL;
    }
    size_t old_size = old->size;
    block_header *h = realloc(old, sizeof(block_header) + size);
    if (h == NULL) {
        atomic_fetch_add(&failed_allocations, 1);
        return NULL;
    }
    h->size = size;
    count_free(old_size, magic);
    count_alloc(size, magic);
    atomic_fetch_sub(&total_allocations, 1); /* a resize is not a new allocation */
    return payload_of(h);
}

void *fm_realloc(void *ptr, size_t size)
{
    if (ptr == NULL)
        return fm_malloc(size);
    return realloc_block(ptr, size, MAGIC_INTERNAL);
}

void *fm_sqlite_malloc(size_t size)
{
    block_header *h = header_new(size, MAGIC_SQLITE);
    return h ? payload_of(h) : NULL;
}

void *fm_sqlite_realloc(void *ptr, size_t size)
{
    if (ptr == NULL)
        return fm_sqlite_malloc(size);
    return realloc_block(ptr, size, MAGIC_SQLITE);
}

void fm_sqlite_free(void *ptr)
{
    if (ptr == NULL)
        return;
    block_header *h = header_of(ptr);
    if (h->magic != MAGIC_SQLITE)
        abort();
    header_free(h);
}

char *fm_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = fm_malloc(len + 1);
    if (p != NULL) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *fm_strdup(const char *s)
{
    return fm_strndup(s, SIZE_MAX);
}

void fm_free(void *ptr)
{
    if (ptr == NULL)
        return;
    block_header *h = header_of(ptr);
    if (h->magic != MAGIC_INTERNAL)
        abort(); /* freeing a MAPI buffer or foreign pointer here corrupts memory */
    header_free(h);
}

/* ---- extension API ------------------------------------------------------ */

FREEMAPI_PUBLIC void fmapi_alloc_get_stats(fmapi_alloc_stats *out)
{
    if (out == NULL)
        return;
    out->live_blocks = atomic_load(&live_blocks);
    out->live_bytes = atomic_load(&live_bytes);
    out->peak_bytes = atomic_load(&peak_bytes);
    out->live_mapi_buffers = atomic_load(&live_mapi_buffers);
    out->total_allocations = atomic_load(&total_allocations);
    out->failed_allocations = atomic_load(&failed_allocations);
    out->live_sqlite_blocks = atomic_load(&live_sqlite_blocks);
    out->live_sqlite_bytes = atomic_load(&live_sqlite_bytes);
}

FREEMAPI_PUBLIC void fmapi_alloc_reset_peak(void)
{
    atomic_store(&peak_bytes, atomic_load(&live_bytes));
}

static void arm(uint64_t k, int persistent)
{
    atomic_store(&fail_at, 0);
    atomic_store(&attempts, 0);
    atomic_store(&injected, 0);
    atomic_store(&fail_persistent, persistent);
    atomic_store(&fail_at, k);
}

FREEMAPI_PUBLIC void fmapi_alloc_fail_nth(uint64_t k)
{
    arm(k, 0);
}

FREEMAPI_PUBLIC void fmapi_alloc_fail_from(uint64_t k)
{
    arm(k, 1);
}

FREEMAPI_PUBLIC void fmapi_alloc_fail_off(void)
{
    atomic_store(&fail_at, 0);
    atomic_store(&fail_persistent, 0);
}

FREEMAPI_PUBLIC uint64_t fmapi_alloc_injected_failures(void)
{
    return atomic_load(&injected);
}

FREEMAPI_PUBLIC uint64_t fmapi_alloc_attempts_since_armed(void)
{
    return atomic_load(&attempts);
}
