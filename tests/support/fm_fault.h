/*
 * tests/support/fm_fault.h - I/O faults and power loss for tests, the way
 * SQLite tests itself (its test_vfs and test6.c crash simulation).
 *
 * fm_fault_install() puts two shims in place for the rest of the process:
 * a VFS wrapping SQLite's default one, registered as the new default, so
 * every store, site directory and profile store opened afterwards does its
 * I/O through it; and the core/io.h hook, which sees the companion stream
 * files, OAB files and every other file freemapi writes itself. Both count
 * the operations of one fault plan and fail the k-th:
 *
 *     fm_fault_arm(FM_FAULT_WRITE | FM_FAULT_SYNC, k, FM_FAULT_IOERR, false);
 *     hr = operation();
 *     fired = fm_fault_disarm();
 *
 * A sweep raises k from 1 until a run finishes without the fault firing,
 * requiring each run to fail cleanly (fm_fault_sweep below does the loop).
 *
 * Power loss: fm_fault_powerloss_begin() starts recording, for every file,
 * the writes and truncations made since that file was last synced (old bytes
 * kept in memory). fm_fault_crash() then makes every later I/O fail, as if
 * the machine had stopped: the caller releases its objects (nothing more
 * reaches the disk), then fm_fault_powerloss_apply() undoes what a power
 * loss could lose (every unsynced write dropped, or torn: each 512-byte
 * sector of it kept or dropped at random, from a seed) and removes files
 * created since their directory was last synced. The store is then opened
 * again as after a reboot.
 */
#ifndef FREEMAPI_TEST_SUPPORT_FAULT_H
#define FREEMAPI_TEST_SUPPORT_FAULT_H

#include <stdbool.h>
#include <stdint.h>
#include "freemapi.h"

/* Operation classes a plan counts (a mask). */
#define FM_FAULT_READ     0x01u
#define FM_FAULT_WRITE    0x02u
#define FM_FAULT_SYNC     0x04u
#define FM_FAULT_TRUNCATE 0x08u
#define FM_FAULT_LOCK     0x10u /* SQLite file locks (xLock), not shm locks */
#define FM_FAULT_OPEN     0x20u /* file creation/opening, mkdir */
#define FM_FAULT_RENAME   0x40u /* rename, unlink */
#define FM_FAULT_ALL      0x7Fu
/* What a fault looks like to the code under test. */
typedef enum fm_fault_kind {
    FM_FAULT_IOERR, /* EIO; SQLite sees SQLITE_IOERR_<op> */
    FM_FAULT_FULL   /* ENOSPC; SQLite sees SQLITE_FULL */
} fm_fault_kind;

/* Registers the shims (idempotent). Call before any store is opened. */
void fm_fault_install(void);

/* Fails the k-th counted operation from now (k >= 1) and, when persistent,
 * every one after it, until disarmed. */
void fm_fault_arm(unsigned ops, uint64_t k, fm_fault_kind kind, bool persistent);
/* Stops failing; returns true when the armed fault fired. */
bool fm_fault_disarm(void);
/* Operations counted since the last arm. */
uint64_t fm_fault_counted(void);

/* Power loss, as described above. apply returns the number of files it
 * changed (undone writes or removed files). */
void fm_fault_powerloss_begin(void);
void fm_fault_crash(void);
typedef enum fm_fault_loss { FM_FAULT_LOSS_DROP, FM_FAULT_LOSS_TEAR } fm_fault_loss;
unsigned fm_fault_powerloss_apply(fm_fault_loss how, uint32_t seed);

/*
 * The sweep: for k = 1, 2, ... runs body(ctx, k) with ops armed at k (once,
 * not persistent) and then check(ctx, hr, fired) with the fault disarmed,
 * until a run completes without the fault firing. check asserts what must
 * hold (clean error, consistent store, next call works). Returns the number
 * of faulted runs. Under valgrind (FM_TEST_OOM_STRIDE) k advances by the
 * stride, as the allocation sweeps do.
 */
typedef HRESULT (*fm_fault_body)(void *ctx);
typedef void (*fm_fault_check)(void *ctx, HRESULT hr, bool fired);
unsigned fm_fault_sweep(unsigned ops, fm_fault_kind kind, fm_fault_body body,
                        fm_fault_check check, void *ctx);

#endif /* FREEMAPI_TEST_SUPPORT_FAULT_H */
