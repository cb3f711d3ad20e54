/*
 * notify/feed_file.c - locks, header and slots of a store's rendezvous file
 * (layout in feed_file.h, protocol in feed.h).
 *
 * Why OFD locks rather than flock: a writer's test must be one system call
 * that takes nothing (F_OFD_GETLK asks "would a write lock on this byte
 * conflict?"), and it must see this process's own followers (a store written
 * and followed by one process): OFD locks conflict between two descriptors
 * of one process. They lock single bytes, so one file holds the presence
 * lock and every follower's slot.
 */
#define _GNU_SOURCE /* F_OFD_* */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
/* <fcntl.h> with _GNU_SOURCE names flock's LOCK_READ/LOCK_WRITE, which
 * IStream's lock types in mapiwin.h also name; this file uses neither. */
#undef LOCK_READ
#undef LOCK_WRITE

#include "core/error.h"
#include "mapicode.h"
#include "notify/feed_file.h"

#define PRESENCE ((off_t)1 << 40)
#define SLOT_BYTE(i) (PRESENCE + 1 + (off_t)(i))
#define OPEN_BYTE (PRESENCE - 1)
#define SLOT_AT(i) ((off_t)4096 + 8 * (off_t)(i))
#define BEGIN_AT 8
#define END_AT 16
#define HEADER_SIZE 24

static const char magic[8] = { 'F', 'M', 'N', 'O', 'T', 'I', 'F', '1' };

static int lock_byte(int fd, int cmd, short type, off_t at)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = at;
    fl.l_len = 1;
    int rc;
    do
        rc = fcntl(fd, cmd, &fl);
    while (rc != 0 && errno == EINTR && cmd == F_OFD_SETLKW);
    return rc;
}

/* Opens path once: the descriptor, -1 with errno. */
static int open_once(const char *path, bool *created)
{
    *created = false;
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        *created = true;
        return fd;
    }
    if (errno != EEXIST && errno != EACCES && errno != EROFS)
        return -1;
    fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && (errno == EACCES || errno == EROFS))
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    return fd;
}

/* Whether path still names the file open as fd (a discard may have
 * removed it between the open and the lock). */
static bool still_named(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* Opens path with the shared lock on the open byte held (see the header). */
static int open_locked(const char *path, bool *created)
{
    for (int tries = 0; tries < 64; tries++) {
        int fd = open_once(path, created);
        if (fd < 0) {
            if (errno == ENOENT) /* removed between the two opens: again */
                continue;
            return -1;
        }
        if (lock_byte(fd, F_OFD_SETLKW, F_RDLCK, OPEN_BYTE) != 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (still_named(fd, path))
            return fd;
        close(fd);
    }
    errno = EAGAIN;
    return -1;
}

int fm_ffile_open(const char *path, bool *created, HRESULT *hr)
{
    bool made = false;
    int fd = open_locked(path, &made);
    if (created != NULL)
        *created = made;
    if (fd < 0) {
        int e = errno;
        *hr = fm_error_set(e == EMFILE || e == ENFILE ? MAPI_E_NOT_ENOUGH_RESOURCES
                                                      : MAPI_E_NO_ACCESS,
                           "cannot open %s: %s", path, strerror(e));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
        close(fd);
        *hr = fm_error_set(MAPI_E_NO_ACCESS, "%s is not a regular file of this user", path);
        return -1;
    }
    if ((st.st_mode & 077) != 0)
        fchmod(fd, 0600); /* whatever made it, and whatever the umask */
    if (st.st_size < HEADER_SIZE) {
        /* The whole header exists as file bytes, so a mapping of it holds
         * what is stored into it. */
        uint8_t header[HEADER_SIZE] = { 0 };
        memcpy(header, magic, sizeof magic);
        ssize_t w = pwrite(fd, header + st.st_size, (size_t)(HEADER_SIZE - st.st_size),
                           st.st_size);
        (void)w; /* a read-only descriptor: the header stays as it is */
    }
    *hr = S_OK;
    return fd;
}

void fm_ffile_discard(int fd, const char *path)
{
    /* Our shared lock becomes exclusive only when no other descriptor holds
     * the byte; an opener arriving after the unlink finds the path gone or
     * naming a new file, and opens again. */
    if (lock_byte(fd, F_OFD_SETLK, F_WRLCK, OPEN_BYTE) == 0 && still_named(fd, path))
        unlink(path);
    close(fd);
}

bool fm_ffile_followed(int fd)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = PRESENCE;
    fl.l_len = 1;
    /* Any failure reads as "followed": the safe side records events nobody
     * may read. */
    return fcntl(fd, F_OFD_GETLK, &fl) != 0 || fl.l_type != F_UNLCK;
}

HRESULT fm_ffile_listen(int fd)
{
    if (lock_byte(fd, F_OFD_SETLKW, F_RDLCK, PRESENCE) == 0)
        return S_OK;
    int e = errno;
    return fm_error_set(e == EINVAL ? MAPI_E_NO_SUPPORT : MAPI_E_CALL_FAILED,
                        "cannot lock the store's notification file: %s", strerror(e));
}

int64_t fm_ffile_claim_slot(int fd)
{
    for (int64_t i = 0; i < INT32_MAX; i++) {
        if (lock_byte(fd, F_OFD_SETLK, F_WRLCK, SLOT_BYTE(i)) == 0)
            return i;
        if (errno != EAGAIN && errno != EACCES)
            return -1; /* EBADF: opened read-only */
    }
    return -1;
}

void fm_ffile_set_position(int fd, int64_t slot, uint64_t seq)
{
    if (slot < 0)
        return;
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(seq >> (8 * i));
    ssize_t w = pwrite(fd, b, sizeof b, SLOT_AT(slot));
    (void)w; /* a full disk leaves the old position: pruning just waits */
}

static uint64_t read_u64(int fd, off_t at)
{
    uint8_t b[8] = { 0 };
    if (pread(fd, b, sizeof b, at) != (ssize_t)sizeof b)
        return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

bool fm_ffile_min_position(int fd, uint64_t *min)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= SLOT_AT(0))
        return false;
    int64_t nslots = (int64_t)((st.st_size - SLOT_AT(0)) / 8);
    bool any = false;
    for (int64_t i = 0; i < nslots; i++) {
        struct flock fl;
        memset(&fl, 0, sizeof fl);
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        fl.l_start = SLOT_BYTE(i);
        fl.l_len = 1;
        if (fcntl(fd, F_OFD_GETLK, &fl) != 0 || fl.l_type == F_UNLCK)
            continue; /* a free slot, or a dead follower's */
        uint64_t pos = read_u64(fd, SLOT_AT(i));
        if (!any || pos < *min)
            *min = pos;
        any = true;
    }
    return any;
}

static void write_u64(int fd, off_t at, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    ssize_t w = pwrite(fd, b, sizeof b, at);
    (void)w; /* followers then find the change on their next read */
}

void *fm_ffile_map_header(int fd, bool writable)
{
    void *p = mmap(NULL, 4096, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

static uint64_t load_le(const void *map, size_t at)
{
    uint64_t le = __atomic_load_n((const uint64_t *)((const char *)map + at), __ATOMIC_ACQUIRE);
    uint8_t b[8];
    memcpy(b, &le, sizeof b);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

void fm_ffile_mapped_stamps(const void *map, uint64_t *begin, uint64_t *end)
{
    *begin = load_le(map, BEGIN_AT);
    *end = load_le(map, END_AT);
}

void fm_ffile_unmap_header(void *map)
{
    if (map != NULL)
        munmap(map, 4096);
}

void fm_ffile_set_begin(int fd, void *map, uint64_t seq)
{
    if (map == NULL) {
        write_u64(fd, BEGIN_AT, seq);
        return;
    }
    /* A store into the shared mapping: other processes read it at once, and
     * unlike a write() it wakes no inotify watcher, so each commit wakes the
     * followers once (with the end stamp), not twice. Followers find a begin
     * stamp without its end (a writer killed after COMMIT) by looking at
     * their mappings twice a second (feed_watch.c). */
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(seq >> (8 * i));
    uint64_t le;
    memcpy(&le, b, sizeof le);
    __atomic_store_n((uint64_t *)((char *)map + BEGIN_AT), le, __ATOMIC_RELEASE);
}

void fm_ffile_set_end(int fd, uint64_t seq)
{
    write_u64(fd, END_AT, seq);
}

void fm_ffile_stamps(int fd, uint64_t *begin, uint64_t *end)
{
    uint8_t b[16] = { 0 };
    ssize_t r = pread(fd, b, sizeof b, BEGIN_AT);
    (void)r; /* short: zeros */
    *begin = *end = 0;
    for (int i = 0; i < 8; i++) {
        *begin |= (uint64_t)b[i] << (8 * i);
        *end |= (uint64_t)b[8 + i] << (8 * i);
    }
}
