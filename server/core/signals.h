/*
 * server/core/signals.h - the daemon's signals, taken synchronously: they
 * are blocked in every thread before any is started, and the main thread
 * waits for them with sigwait, so no work runs in a signal handler.
 *   SIGHUP  reload the configuration
 *   SIGTERM, SIGINT  stop after the requests in flight
 */
#ifndef FREEMAPI_SERVER_CORE_SIGNALS_H
#define FREEMAPI_SERVER_CORE_SIGNALS_H

#define FM_SRV_SIG_RELOAD 1
#define FM_SRV_SIG_STOP 2

/* Blocks the daemon's signals (and SIGPIPE, which writes to closed
 * connections would raise) in the calling thread and those it starts. */
void fm_srv_signals_block(void);
/* Waits for the next signal: FM_SRV_SIG_RELOAD or FM_SRV_SIG_STOP. */
int fm_srv_signals_wait(void);

#endif /* FREEMAPI_SERVER_CORE_SIGNALS_H */
