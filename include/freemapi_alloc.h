/*
 * freemapi_alloc.h - freemapi's extension API to the one allocator.
 *
 * Every byte freemapi allocates, whether a MAPI buffer handed to the caller
 * (MAPIAllocateBuffer/MAPIAllocateMore) or an internal object, goes through
 * one allocator that keeps live counters and can be told to fail. Programs
 * and tests use this header to prove that a sequence of calls leaks nothing
 * (the counters return to a baseline) and to sweep out-of-memory paths (fail
 * the k-th allocation for every k and check for a clean error).
 *
 * Counters are process-wide and updated atomically; failure injection is
 * process-wide too, so a sweep should run with one thread calling freemapi.
 */
#ifndef FREEMAPI_ALLOC_H
#define FREEMAPI_ALLOC_H

#include "mapiwin.h"

FREEMAPI_BEGIN_DECLS

/* A snapshot of the allocator's counters. */
typedef struct fmapi_alloc_stats {
    uint64_t live_blocks;       /* blocks allocated and not yet freed (all kinds) */
    uint64_t live_bytes;        /* bytes requested by those blocks */
    uint64_t peak_bytes;        /* highest live_bytes seen since start or reset_peak */
    uint64_t live_mapi_buffers; /* of live_blocks: MAPIAllocateBuffer/More blocks */
    uint64_t total_allocations; /* successful allocations since the process started */
    uint64_t failed_allocations;/* allocations refused, injected or real */
    uint64_t live_sqlite_blocks;/* of live_blocks: held by SQLite (page cache, schema) */
    uint64_t live_sqlite_bytes; /* of live_bytes: held by SQLite */
} fmapi_alloc_stats;

/* Fills *out with the current counters. out must not be NULL. */
FREEMAPI_PUBLIC void fmapi_alloc_get_stats(fmapi_alloc_stats *out);

/* Sets peak_bytes to the current live_bytes. */
FREEMAPI_PUBLIC void fmapi_alloc_reset_peak(void);

/*
 * Failure injection. fmapi_alloc_fail_nth(k): the k-th allocation from now
 * (k >= 1) fails once, later ones succeed. fmapi_alloc_fail_from(k): the k-th
 * allocation from now and every one after it fail until fmapi_alloc_fail_off.
 * k == 0 disarms, as does fmapi_alloc_fail_off().
 */
FREEMAPI_PUBLIC void fmapi_alloc_fail_nth(uint64_t k);
FREEMAPI_PUBLIC void fmapi_alloc_fail_from(uint64_t k);
FREEMAPI_PUBLIC void fmapi_alloc_fail_off(void);

/* Number of allocations refused by injection since the last fail_* call. */
FREEMAPI_PUBLIC uint64_t fmapi_alloc_injected_failures(void);

/* Number of allocations attempted since the last fail_* call (armed or not). */
FREEMAPI_PUBLIC uint64_t fmapi_alloc_attempts_since_armed(void);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_ALLOC_H */
