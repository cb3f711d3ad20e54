/*
 * freemapi_notify.h - freemapi's extensions around MAPI notifications:
 * usage counters, and a file descriptor to wait on for HrDispatchNotifications.
 *
 * Notifications themselves are MAPI's: Advise/Unadvise on stores, tables,
 * sessions and address books, IMAPIAdviseSink, HrAllocAdviseSink,
 * HrThisThreadAdviseSink and HrDispatchNotifications (mapiutil.h). They work
 * across processes: a change committed by any process to a store reaches
 * every registration on it in every process, in commit order, once each.
 * There is no fixed table of registrations: they are limited by memory
 * only, and a process that ends in any way (SIGKILL included) leaves none.
 */
#ifndef FREEMAPI_NOTIFY_H
#define FREEMAPI_NOTIFY_H

#include "mapidefs.h"

FREEMAPI_BEGIN_DECLS

typedef struct fmapi_notify_stats {
    uint64_t registrations;  /* live Advise registrations in this process */
    uint64_t registry_bytes; /* memory holding them (slabs, tables, sink queues) */
    uint64_t sinks;          /* distinct advise sinks registered */
    uint64_t queued;         /* notifications queued, not yet delivered */
    uint64_t delivered;      /* notifications handed to OnNotify since start */
    uint64_t lost;           /* notifications that could not be queued (memory) */
    uint64_t threads;        /* notification threads running */
    uint64_t subscribed_stores; /* store files this process follows for other processes' changes */
} fmapi_notify_stats;

/* Fills *out with this process's counters. */
FREEMAPI_PUBLIC void fmapi_notify_get_stats(fmapi_notify_stats *out);

/*
 * A file descriptor that becomes readable when notifications are queued for
 * sinks the calling thread wrapped with HrThisThreadAdviseSink: an event
 * loop polls it and calls HrDispatchNotifications(0). The descriptor
 * belongs to the thread (do not close it); -1 with fmapi_last_error() text
 * if it cannot be made.
 */
FREEMAPI_PUBLIC int fmapi_notify_thread_fd(void);

/*
 * Waits up to timeout_ms (negative: without limit) until notifications are
 * queued for the calling thread's wrapped sinks. S_OK when some are,
 * MAPI_E_TIMEOUT otherwise. Does not dispatch them.
 */
FREEMAPI_PUBLIC HRESULT fmapi_notify_thread_wait(int timeout_ms);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_NOTIFY_H */
