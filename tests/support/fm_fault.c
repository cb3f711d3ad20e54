/*
 * tests/support/fm_fault.c - the fault plan, the SQLite VFS shim, the
 * core/io.h hook and the power-loss journal of fm_fault.h.
 *
 * One mutex guards everything here: faults are a test's business, and the
 * code under test may do I/O from several threads.
 *
 * The power-loss journal keeps, per file path, the undo records of every
 * write and truncation since the file was last synced: the bytes the change
 * replaced and the file's size before it. Undoing them newest first gives
 * the file as it was at its last sync, which is all a disk promises after
 * a power loss; "torn" undoes only some 512-byte sectors, which a disk may
 * also do. Files created since their directory was last synced may vanish
 * too; that is modelled for the files freemapi creates itself (core/io.h),
 * while SQLite's own files are left to SQLite, which syncs directories
 * where it needs them.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/io.h"
#include "db/db.h"
#include "fm_fault.h"

#define SECTOR 512u

/* ---- the plan --------------------------------------------------------------------- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    bool armed, persistent, fired, crashed, recording;
    unsigned ops;
    fm_fault_kind kind;
    uint64_t k, counted;
} plan;

/* 0 to proceed, else the errno the operation fails with. Caller holds lock. */
static int decide_locked(unsigned op)
{
    if (plan.crashed)
        return EIO;
    if (!plan.armed || !(plan.ops & op))
        return 0;
    plan.counted++;
    if (plan.counted == plan.k || (plan.persistent && plan.counted > plan.k)) {
        plan.fired = true;
        return plan.kind == FM_FAULT_FULL && (op & (FM_FAULT_WRITE | FM_FAULT_OPEN |
                                                    FM_FAULT_TRUNCATE))
                   ? ENOSPC
                   : EIO;
    }
    return 0;
}

static int decide(unsigned op)
{
    pthread_mutex_lock(&lock);
    int err = decide_locked(op);
    pthread_mutex_unlock(&lock);
    return err;
}

void fm_fault_arm(unsigned ops, uint64_t k, fm_fault_kind kind, bool persistent)
{
    pthread_mutex_lock(&lock);
    plan.armed = true;
    plan.ops = ops;
    plan.k = k;
    plan.kind = kind;
    plan.persistent = persistent;
    plan.fired = false;
    plan.counted = 0;
    pthread_mutex_unlock(&lock);
}

bool fm_fault_disarm(void)
{
    pthread_mutex_lock(&lock);
    bool fired = plan.fired;
    plan.armed = false;
    pthread_mutex_unlock(&lock);
    return fired;
}

uint64_t fm_fault_counted(void)
{
    pthread_mutex_lock(&lock);
    uint64_t n = plan.counted;
    pthread_mutex_unlock(&lock);
    return n;
}

/* ---- the power-loss journal ------------------------------------------------------- */

typedef struct undo {
    uint64_t off;      /* where the change started */
    uint64_t old_size; /* the file's size before it */
    size_t n;          /* bytes kept in old (the replaced ones inside old_size) */
    unsigned char *old;
    struct undo *prev;
} undo;

typedef struct journal {
    char *path;
    undo *last;    /* newest first */
    bool created;  /* created by core/io.h since its directory was synced */
    struct journal *next;
} journal;

static journal *journals;

static journal *journal_find_locked(const char *path, bool make)
{
    for (journal *j = journals; j != NULL; j = j->next)
        if (strcmp(j->path, path) == 0)
            return j;
    if (!make)
        return NULL;
    journal *j = calloc(1, sizeof *j);
    assert_non_null(j);
    j->path = strdup(path);
    assert_non_null(j->path);
    j->next = journals;
    journals = j;
    return j;
}

static void journal_clear_undo(journal *j)
{
    while (j->last != NULL) {
        undo *u = j->last;
        j->last = u->prev;
        free(u->old);
        free(u);
    }
}

static void journals_free_locked(void)
{
    while (journals != NULL) {
        journal *j = journals;
        journals = j->next;
        journal_clear_undo(j);
        free(j->path);
        free(j);
    }
}

/* Records that [off, off+n) of the file at path is about to change; read
 * reads the current bytes (zeros past the end). Caller holds lock. */
typedef int (*read_old_fn)(void *src, void *buf, size_t n, uint64_t off);
static void journal_note_locked(const char *path, uint64_t size, uint64_t off, size_t n,
                                read_old_fn read_old, void *src)
{
    if (!plan.recording || path == NULL)
        return;
    journal *j = journal_find_locked(path, true);
    undo *u = calloc(1, sizeof *u);
    assert_non_null(u);
    u->off = off;
    u->old_size = size;
    if (off < size) {
        u->n = (size_t)(size - off < n ? size - off : n);
        u->old = malloc(u->n);
        assert_non_null(u->old);
        assert_int_equal(read_old(src, u->old, u->n, off), 0);
    }
    u->prev = j->last;
    j->last = u;
}

static void journal_synced_locked(const char *path)
{
    journal *j = path != NULL ? journal_find_locked(path, false) : NULL;
    if (j != NULL)
        journal_clear_undo(j);
}

/* A directory was synced: files created in it are durable now. */
static void journal_dir_synced_locked(const char *dir)
{
    size_t len = strlen(dir);
    for (journal *j = journals; j != NULL; j = j->next)
        if (j->created && strncmp(j->path, dir, len) == 0 && j->path[len] == '/' &&
            strchr(j->path + len + 1, '/') == NULL)
            j->created = false;
}

void fm_fault_powerloss_begin(void)
{
    pthread_mutex_lock(&lock);
    journals_free_locked();
    plan.recording = true;
    plan.crashed = false;
    pthread_mutex_unlock(&lock);
}

void fm_fault_crash(void)
{
    pthread_mutex_lock(&lock);
    plan.crashed = true;
    pthread_mutex_unlock(&lock);
}

static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Undoes u in the file open at fd, or with tear only a random part of it. */
static void undo_apply(int fd, const undo *u, bool tear, uint32_t *rng)
{
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    uint64_t size = (uint64_t)st.st_size;
    uint64_t end = u->off + u->n;
    for (uint64_t at = u->off; at < end;) {
        uint64_t next = (at / SECTOR + 1) * SECTOR;
        size_t n = (size_t)((next < end ? next : end) - at);
        if (!tear || (xorshift(rng) & 1))
            assert_int_equal(pwrite(fd, u->old + (at - u->off), n, (off_t)at), (ssize_t)n);
        at += n;
    }
    /* Bytes past the old end: dropped whole, or with tear only when the
     * sector holding the old end was dropped (the file then shrinks). */
    if (size > u->old_size && (!tear || (xorshift(rng) & 1)))
        assert_int_equal(ftruncate(fd, (off_t)u->old_size), 0);
}

unsigned fm_fault_powerloss_apply(fm_fault_loss how, uint32_t seed)
{
    uint32_t rng = seed != 0 ? seed : 0x9E3779B9u;
    unsigned changed = 0;
    pthread_mutex_lock(&lock);
    for (journal *j = journals; j != NULL; j = j->next) {
        if (j->created) {
            if (unlink(j->path) == 0)
                changed++;
            continue;
        }
        if (j->last == NULL)
            continue;
        int fd = open(j->path, O_RDWR | O_CLOEXEC);
        if (fd < 0)
            continue; /* removed since: nothing to undo */
        for (undo *u = j->last; u != NULL; u = u->prev)
            undo_apply(fd, u, how == FM_FAULT_LOSS_TEAR, &rng);
        close(fd);
        changed++;
    }
    journals_free_locked();
    plan.recording = false;
    plan.crashed = false;
    pthread_mutex_unlock(&lock);
    return changed;
}

/* ---- the core/io.h hook ----------------------------------------------------------- */

/* The path behind a descriptor, or NULL. */
static char *fd_path(int fd, char *buf, size_t cap)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, buf, cap - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    return buf;
}

static int read_fd(void *src, void *buf, size_t n, uint64_t off)
{
    ssize_t r = pread(*(int *)src, buf, n, (off_t)off);
    if (r < 0)
        return -1;
    memset((char *)buf + r, 0, n - (size_t)r);
    return 0;
}

static void note_fd_change_locked(int fd, uint64_t off, size_t n)
{
    char path[4200];
    struct stat st;
    if (!plan.recording || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    if (off == UINT64_MAX)
        off = (uint64_t)st.st_size; /* an append */
    journal_note_locked(fd_path(fd, path, sizeof path), (uint64_t)st.st_size, off, n, read_fd,
                        &fd);
}

static void note_fd_sync_locked(int fd)
{
    char path[4200];
    struct stat st;
    if (!plan.recording || fstat(fd, &st) != 0 || fd_path(fd, path, sizeof path) == NULL)
        return;
    if (S_ISDIR(st.st_mode))
        journal_dir_synced_locked(path);
    else
        journal_synced_locked(path);
}

/* Whether an open with these flags will create the file. */
static bool creates(int dirfd, const char *path, uint64_t flags)
{
    if (!((int)flags & O_CREAT))
        return false;
    return faccessat(dirfd, path, F_OK, AT_SYMLINK_NOFOLLOW) != 0;
}

static __thread bool creating; /* between FM_IO_OPEN and FM_IO_OPENED */

static int io_hook(void *ctx, fm_io_op op, int dirfd, int fd, const char *path, uint64_t off,
                   size_t len)
{
    (void)ctx;
    int err = 0;
    pthread_mutex_lock(&lock);
    switch (op) {
    case FM_IO_OPEN:
        err = decide_locked(FM_FAULT_OPEN);
        creating = err == 0 && plan.recording && creates(dirfd, path, off);
        break;
    case FM_IO_OPENED:
        if (creating) {
            char buf[4200];
            if (fd_path(fd, buf, sizeof buf) != NULL)
                journal_find_locked(buf, true)->created = true;
            creating = false;
        }
        break;
    case FM_IO_MKDIR:
        err = decide_locked(FM_FAULT_OPEN);
        break;
    case FM_IO_READ:
        err = decide_locked(FM_FAULT_READ);
        break;
    case FM_IO_WRITE:
        if ((err = decide_locked(FM_FAULT_WRITE)) == 0)
            note_fd_change_locked(fd, off, len);
        break;
    case FM_IO_TRUNCATE:
        if ((err = decide_locked(FM_FAULT_TRUNCATE)) == 0) {
            struct stat st;
            if (fstat(fd, &st) == 0 && (uint64_t)st.st_size > off)
                note_fd_change_locked(fd, off, (size_t)((uint64_t)st.st_size - off));
            else
                note_fd_change_locked(fd, off, 0);
        }
        break;
    case FM_IO_SYNC:
        if ((err = decide_locked(FM_FAULT_SYNC)) == 0)
            note_fd_sync_locked(fd);
        break;
    case FM_IO_RENAME:
    case FM_IO_UNLINK:
        err = decide_locked(FM_FAULT_RENAME);
        break;
    case FM_IO_CLOSE:
        break;
    }
    pthread_mutex_unlock(&lock);
    return err;
}

/* ---- the SQLite VFS shim ---------------------------------------------------------- */

typedef struct fault_file {
    sqlite3_file base;
    sqlite3_file *real;
    char *path; /* for the journal; NULL for temporary files */
} fault_file;

static sqlite3_vfs fault_vfs;
static sqlite3_vfs *real_vfs;

#define REAL(f) (((fault_file *)(f))->real)

static int sq_error(int err, int ioerr)
{
    return err == ENOSPC ? SQLITE_FULL : ioerr;
}

static int ff_close(sqlite3_file *f)
{
    fault_file *ff = (fault_file *)f;
    int rc = ff->real->pMethods != NULL ? ff->real->pMethods->xClose(ff->real) : SQLITE_OK;
    sqlite3_free(ff->path);
    ff->path = NULL;
    return rc;
}

static int ff_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    int err = decide(FM_FAULT_READ);
    if (err != 0)
        return sq_error(err, SQLITE_IOERR_READ);
    return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int read_sqlite(void *src, void *buf, size_t n, uint64_t off)
{
    sqlite3_file *real = src;
    int rc = real->pMethods->xRead(real, buf, (int)n, (sqlite3_int64)off);
    return rc == SQLITE_OK || rc == SQLITE_IOERR_SHORT_READ ? 0 : -1;
}

/* Journals a change of [off, off+n) of f. Caller holds lock. */
static void note_sqlite_change_locked(fault_file *ff, uint64_t off, size_t n)
{
    sqlite3_int64 size = 0;
    if (!plan.recording || ff->path == NULL ||
        ff->real->pMethods->xFileSize(ff->real, &size) != SQLITE_OK)
        return;
    journal_note_locked(ff->path, (uint64_t)size, off, n, read_sqlite, ff->real);
}

static int ff_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    fault_file *ff = (fault_file *)f;
    pthread_mutex_lock(&lock);
    int err = decide_locked(FM_FAULT_WRITE);
    if (err == 0)
        note_sqlite_change_locked(ff, (uint64_t)off, (size_t)n);
    pthread_mutex_unlock(&lock);
    if (err != 0)
        return sq_error(err, SQLITE_IOERR_WRITE);
    return ff->real->pMethods->xWrite(ff->real, buf, n, off);
}

static int ff_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    fault_file *ff = (fault_file *)f;
    pthread_mutex_lock(&lock);
    int err = decide_locked(FM_FAULT_TRUNCATE);
    sqlite3_int64 cur = 0;
    if (err == 0 && ff->real->pMethods->xFileSize(ff->real, &cur) == SQLITE_OK)
        note_sqlite_change_locked(ff, (uint64_t)size,
                                  cur > size ? (size_t)(cur - size) : 0);
    pthread_mutex_unlock(&lock);
    if (err != 0)
        return sq_error(err, SQLITE_IOERR_TRUNCATE);
    return ff->real->pMethods->xTruncate(ff->real, size);
}

static int ff_sync(sqlite3_file *f, int flags)
{
    fault_file *ff = (fault_file *)f;
    int err = decide(FM_FAULT_SYNC);
    if (err != 0)
        return sq_error(err, SQLITE_IOERR_FSYNC);
    int rc = ff->real->pMethods->xSync(ff->real, flags);
    if (rc == SQLITE_OK) {
        pthread_mutex_lock(&lock);
        if (plan.recording)
            journal_synced_locked(ff->path);
        pthread_mutex_unlock(&lock);
    }
    return rc;
}

static int ff_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    if (decide(0) != 0) /* only a crash fails it */
        return SQLITE_IOERR_FSTAT;
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int ff_lock(sqlite3_file *f, int level)
{
    int err = decide(FM_FAULT_LOCK);
    if (err != 0)
        return SQLITE_IOERR_LOCK;
    return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int ff_unlock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int ff_check_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int ff_file_control(sqlite3_file *f, int op, void *arg)
{
    if (op == SQLITE_FCNTL_VFSNAME) {
        /* SQLite frees the string it gets back: report both layers. */
        char *inner = NULL;
        (void)REAL(f)->pMethods->xFileControl(REAL(f), op, &inner);
        *(char **)arg = sqlite3_mprintf("fm-fault/%z", inner);
        return SQLITE_OK;
    }
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int ff_sector_size(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int ff_device_characteristics(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int ff_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    if (decide(0) != 0)
        return SQLITE_IOERR_SHMMAP;
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int ff_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void ff_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int ff_shm_unmap(sqlite3_file *f, int delete_flag)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), delete_flag);
}

static int ff_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

static int ff_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fault_methods = {
    3,
    ff_close,
    ff_read,
    ff_write,
    ff_truncate,
    ff_sync,
    ff_file_size,
    ff_lock,
    ff_unlock,
    ff_check_reserved,
    ff_file_control,
    ff_sector_size,
    ff_device_characteristics,
    ff_shm_map,
    ff_shm_lock,
    ff_shm_barrier,
    ff_shm_unmap,
    ff_fetch,
    ff_unfetch,
};

static int fv_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags,
                   int *out_flags)
{
    (void)vfs;
    fault_file *ff = (fault_file *)f;
    ff->base.pMethods = NULL;
    ff->real = (sqlite3_file *)(ff + 1);
    ff->path = NULL;
    int err = decide(FM_FAULT_OPEN);
    if (err != 0)
        return err == ENOSPC ? SQLITE_FULL : SQLITE_CANTOPEN;
    int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
    if (rc != SQLITE_OK)
        return rc;
    if (name != NULL && (ff->path = sqlite3_mprintf("%s", name)) == NULL) {
        ff->real->pMethods->xClose(ff->real);
        return SQLITE_NOMEM;
    }
    ff->base.pMethods = ff->real->pMethods->iVersion >= 3 ? &fault_methods : NULL;
    if (ff->base.pMethods == NULL) {
        ff->real->pMethods->xClose(ff->real);
        sqlite3_free(ff->path);
        return SQLITE_CANTOPEN;
    }
    return SQLITE_OK;
}

static int fv_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    int err = decide(FM_FAULT_RENAME);
    if (err != 0)
        return SQLITE_IOERR_DELETE;
    return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int fv_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    if (decide(0) != 0)
        return SQLITE_IOERR_ACCESS;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int fv_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *fv_dlopen(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return real_vfs->xDlOpen(real_vfs, name);
}

static void fv_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    real_vfs->xDlError(real_vfs, n, out);
}

static void (*fv_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    (void)vfs;
    return real_vfs->xDlSym(real_vfs, h, sym);
}

static void fv_dlclose(sqlite3_vfs *vfs, void *h)
{
    (void)vfs;
    real_vfs->xDlClose(real_vfs, h);
}

static int fv_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, n, out);
}

static int fv_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return real_vfs->xSleep(real_vfs, us);
}

static int fv_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return real_vfs->xCurrentTime(real_vfs, out);
}

static int fv_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xGetLastError(real_vfs, n, out);
}

static int fv_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void install(void)
{
    /* freemapi configures SQLite's allocator before SQLite initializes;
     * looking up a VFS would initialize it first. */
    (void)fm_db_memory_is_accounted();
    real_vfs = sqlite3_vfs_find(NULL);
    assert_non_null(real_vfs);
    fault_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(fault_file) + real_vfs->szOsFile,
        .mxPathname = real_vfs->mxPathname,
        .zName = "fm-fault",
        .xOpen = fv_open,
        .xDelete = fv_delete,
        .xAccess = fv_access,
        .xFullPathname = fv_full_pathname,
        .xDlOpen = fv_dlopen,
        .xDlError = fv_dlerror,
        .xDlSym = fv_dlsym,
        .xDlClose = fv_dlclose,
        .xRandomness = fv_randomness,
        .xSleep = fv_sleep,
        .xCurrentTime = fv_current_time,
        .xGetLastError = fv_last_error,
        .xCurrentTimeInt64 = fv_current_time64,
    };
    assert_int_equal(sqlite3_vfs_register(&fault_vfs, 1), SQLITE_OK);
    fm_io_set_hook(io_hook, NULL);
}

void fm_fault_install(void)
{
    pthread_once(&install_once, install);
}

/* ---- the sweep -------------------------------------------------------------------- */

static unsigned sweep_stride(void)
{
    const char *s = getenv("FM_TEST_OOM_STRIDE");
    long v = s != NULL ? strtol(s, NULL, 10) : 1;
    return v >= 1 && v <= 1000 ? (unsigned)v : 1;
}

unsigned fm_fault_sweep(unsigned ops, fm_fault_kind kind, fm_fault_body body,
                        fm_fault_check check, void *ctx)
{
    unsigned faulted = 0, stride = sweep_stride();
    for (uint64_t k = 1;; k += stride) {
        fm_fault_arm(ops, k, kind, false);
        HRESULT hr = body(ctx);
        bool fired = fm_fault_disarm();
        check(ctx, hr, fired);
        if (!fired)
            break;
        faulted++;
        assert_true(k < 1000000); /* a body that never completes */
    }
    return faulted;
}
