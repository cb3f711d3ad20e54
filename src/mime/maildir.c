/*
 * mime/maildir.c - reading a Maildir (and its Maildir++ folders) one
 * message at a time, and delivering into one.
 *
 * Reading walks new/ then cur/ of the top folder, then of each ".Sub.Folder"
 * directory (Maildir++ names nested folders by dots; the folder is reported
 * as "Sub/Folder"). Directory streams are read as they go, so memory does
 * not grow with the number of messages. An "S" among the flags after ":2,"
 * is MSGFLAG_READ.
 *
 * Delivery follows the Maildir rule: write under tmp/ with a unique name,
 * sync, then rename into new/ (or cur/ with ":2,S" when read), so a reader
 * never sees half a message.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "mime/mime.h"

#define PATH_CAP 4096
/* Room for the root, a folder name and a file name (each up to 255). */
#define DIR_CAP (PATH_CAP + 264)
#define FILE_CAP (DIR_CAP + 272)

struct fmapi_maildir_reader {
    char root[PATH_CAP];
    bool recurse;
    DIR *top;     /* the root, listed for ".Sub" folders */
    char folder_dir[DIR_CAP];
    char folder[PATH_CAP]; /* "Sub/Folder" */
    int sub;      /* 0: new/, 1: cur/, 2: this folder done */
    DIR *dir;     /* the sub-directory being read */
    bool top_done;
    char path[FILE_CAP];
    char *data;
    size_t cap;
    uint64_t index;
};

static const char *SUBS[2] = { "new", "cur" };

HRESULT fmapi_maildir_open(const char *path, ULONG ulFlags, fmapi_maildir_reader **out)
{
    fm_mime_clear_error();
    if (path == NULL || out == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "Maildir: NULL argument");
    *out = NULL;
    if (ulFlags & ~FMAPI_MAILDIR_RECURSE)
        return fm_mime_fail(MAPI_E_UNKNOWN_FLAGS, "Maildir: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~FMAPI_MAILDIR_RECURSE));
    if (strlen(path) > PATH_CAP - 256)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "Maildir: path too long");
    char cur[PATH_CAP];
    struct stat st;
    snprintf(cur, sizeof cur, "%s/cur", path);
    if (stat(cur, &st) != 0 || !S_ISDIR(st.st_mode))
        return fm_mime_fail(MAPI_E_NOT_FOUND, "Maildir: %s has no cur/ directory", path);
    fmapi_maildir_reader *r = fm_mime_alloc(sizeof *r);
    if (r == NULL)
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "Maildir: out of memory");
    memset(r, 0, sizeof *r);
    snprintf(r->root, sizeof r->root, "%s", path);
    snprintf(r->folder_dir, sizeof r->folder_dir, "%s", path);
    r->recurse = (ulFlags & FMAPI_MAILDIR_RECURSE) != 0;
    *out = r;
    return S_OK;
}

/* Moves to the next Maildir++ folder; false when there is none. */
static bool next_folder(fmapi_maildir_reader *r)
{
    if (!r->recurse)
        return false;
    if (r->top == NULL && !r->top_done) {
        r->top = opendir(r->root);
        r->top_done = true;
    }
    struct dirent *e;
    while (r->top != NULL && (e = readdir(r->top)) != NULL) {
        if (e->d_name[0] != '.' || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char cur[DIR_CAP + 8];
        struct stat st;
        snprintf(cur, sizeof cur, "%s/%s/cur", r->root, e->d_name);
        if (stat(cur, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        snprintf(r->folder_dir, sizeof r->folder_dir, "%s/%s", r->root, e->d_name);
        size_t n = 0;
        for (const char *p = e->d_name + 1; *p && n < sizeof r->folder - 1; p++)
            r->folder[n++] = *p == '.' ? '/' : *p;
        r->folder[n] = '\0';
        r->sub = 0;
        return true;
    }
    return false;
}

/* The next file name of the folder being read, NULL at its end. */
static const char *next_name(fmapi_maildir_reader *r)
{
    for (;;) {
        if (r->dir == NULL) {
            if (r->sub >= 2) {
                if (!next_folder(r))
                    return NULL;
            }
            char dir[DIR_CAP + 8];
            snprintf(dir, sizeof dir, "%s/%s", r->folder_dir, SUBS[r->sub]);
            r->dir = opendir(dir);
            if (r->dir == NULL) {
                r->sub++;
                continue;
            }
        }
        struct dirent *e = readdir(r->dir);
        if (e == NULL) {
            closedir(r->dir);
            r->dir = NULL;
            r->sub++;
            continue;
        }
        if (e->d_name[0] == '.')
            continue;
        snprintf(r->path, sizeof r->path, "%s/%s/%s", r->folder_dir, SUBS[r->sub], e->d_name);
        return e->d_name;
    }
}

static ULONG name_flags(const char *name)
{
    const char *info = strstr(name, ":2,");
    return info != NULL && strchr(info + 3, 'S') != NULL ? MSGFLAG_READ : 0;
}

static HRESULT read_file(fmapi_maildir_reader *r, size_t *len)
{
    int fd = open(r->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        HRESULT hr = fm_mime_fail(MAPI_E_DISK_ERROR, "Maildir: cannot read %s: %s", r->path,
                                  strerror(errno));
        if (fd >= 0)
            close(fd);
        return hr;
    }
    size_t want = (size_t)st.st_size;
    if (want + 1 > r->cap) {
        char *d = fm_mime_alloc(want + 1);
        if (d == NULL) {
            close(fd);
            return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "Maildir: out of memory for %s",
                                r->path);
        }
        fm_mime_free(r->data);
        r->data = d;
        r->cap = want + 1;
    }
    size_t got = 0;
    while (got < want) {
        ssize_t n = read(fd, r->data + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* a file that shrank meanwhile: what was there */
        got += (size_t)n;
    }
    close(fd);
    r->data[got] = '\0';
    *len = got;
    return S_OK;
}

HRESULT fmapi_maildir_next(fmapi_maildir_reader *r, fmapi_mailbox_entry *entry)
{
    fm_mime_clear_error();
    if (r == NULL || entry == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "Maildir: NULL argument");
    memset(entry, 0, sizeof *entry);
    const char *name = next_name(r);
    if (name == NULL)
        return MAPI_E_NOT_FOUND;
    entry->offset = r->index++;
    entry->path = r->path;
    entry->folder = r->folder;
    entry->flags = name_flags(name);
    size_t len = 0;
    HRESULT hr = read_file(r, &len);
    if (hr != S_OK)
        return hr;
    entry->data = r->data;
    entry->len = len;
    return S_OK;
}

void fmapi_maildir_close(fmapi_maildir_reader *r)
{
    if (r == NULL)
        return;
    if (r->dir != NULL)
        closedir(r->dir);
    if (r->top != NULL)
        closedir(r->top);
    fm_mime_free(r->data);
    fm_mime_free(r);
}

/* ---- delivery ---------------------------------------------------------------- */
static HRESULT make_dir(const char *path)
{
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return fm_mime_fail(MAPI_E_NO_ACCESS, "Maildir: cannot create %s: %s", path,
                            strerror(errno));
    return S_OK;
}

/* Creates dir and its cur/ new/ tmp/. */
static HRESULT make_maildir(const char *dir)
{
    char sub[PATH_CAP + 8];
    HRESULT hr = make_dir(dir);
    for (int i = 0; i < 3 && hr == S_OK; i++) {
        snprintf(sub, sizeof sub, "%s/%s", dir, (const char *[]){ "cur", "new", "tmp" }[i]);
        hr = make_dir(sub);
    }
    return hr;
}

/* A name no other delivery uses: time, microseconds, process, a counter
 * and random bits, then the host (with '/' and ':' escaped). */
static void unique_name(char *out, size_t cap)
{
    static _Atomic unsigned counter;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    unsigned rnd = 0;
    if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != (ssize_t)sizeof rnd)
        rnd = (unsigned)tv.tv_usec * 2654435761u;
    char host[256] = "localhost", safe[300];
    gethostname(host, sizeof host - 1);
    size_t n = 0;
    for (const char *p = host; *p && n < sizeof safe - 5; p++) {
        if (*p == '/')
            n += (size_t)snprintf(safe + n, 5, "\\057");
        else if (*p == ':')
            n += (size_t)snprintf(safe + n, 5, "\\072");
        else
            safe[n++] = *p;
    }
    safe[n] = '\0';
    snprintf(out, cap, "%lld.M%ldP%dQ%uR%08x.%s", (long long)tv.tv_sec, (long)tv.tv_usec,
             (int)getpid(), ++counter, rnd, safe);
}

static HRESULT write_all(int fd, const void *data, size_t len, const char *path)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fm_mime_fail(MAPI_E_DISK_ERROR, "Maildir: cannot write %s: %s", path,
                                strerror(errno));
        p += n;
        len -= (size_t)n;
    }
    if (fsync(fd) != 0)
        return fm_mime_fail(MAPI_E_DISK_ERROR, "Maildir: cannot sync %s: %s", path,
                            strerror(errno));
    return S_OK;
}

static HRESULT folder_dir(const char *path, const char *folder, char *out, size_t cap)
{
    if (folder == NULL || folder[0] == '\0') {
        snprintf(out, cap, "%s", path);
        return S_OK;
    }
    int n = snprintf(out, cap, "%s/.", path);
    for (const char *p = folder; *p && (size_t)n < cap - 1; p++) {
        if (*p == '.')
            return fm_mime_fail(MAPI_E_INVALID_PARAMETER,
                                "Maildir: folder name \"%s\" has a '.'", folder);
        out[n++] = *p == '/' ? '.' : *p;
    }
    out[n] = '\0';
    return S_OK;
}

HRESULT fmapi_maildir_deliver(const char *path, const char *folder, const void *data, size_t len,
                              ULONG flags, char *name, size_t cap)
{
    fm_mime_clear_error();
    if (path == NULL || (data == NULL && len > 0))
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "Maildir: NULL argument");
    if (strlen(path) > PATH_CAP - 1024)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "Maildir: path too long");
    char dir[PATH_CAP], base[400], tmp[PATH_CAP + 512], final[PATH_CAP + 512];
    HRESULT hr = make_maildir(path);
    if (hr == S_OK)
        hr = folder_dir(path, folder, dir, sizeof dir);
    if (hr == S_OK && strcmp(dir, path) != 0) {
        hr = make_maildir(dir);
        char marker[PATH_CAP + 32];
        snprintf(marker, sizeof marker, "%s/maildirfolder", dir);
        int fd = hr == S_OK ? open(marker, O_CREAT | O_WRONLY | O_CLOEXEC, 0600) : -1;
        if (fd >= 0)
            close(fd);
    }
    if (hr != S_OK)
        return hr;
    unique_name(base, sizeof base);
    snprintf(tmp, sizeof tmp, "%s/tmp/%s", dir, base);
    int fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0)
        return fm_mime_fail(MAPI_E_NO_ACCESS, "Maildir: cannot create %s: %s", tmp,
                            strerror(errno));
    hr = write_all(fd, data, len, tmp);
    close(fd);
    bool read = (flags & MSGFLAG_READ) != 0;
    snprintf(final, sizeof final, "%s/%s/%s%s", dir, read ? "cur" : "new", base,
             read ? ":2,S" : "");
    if (hr == S_OK && rename(tmp, final) != 0)
        hr = fm_mime_fail(MAPI_E_DISK_ERROR, "Maildir: cannot move %s into place: %s", tmp,
                          strerror(errno));
    if (hr != S_OK) {
        unlink(tmp);
        return hr;
    }
    if (name != NULL && cap > 0)
        snprintf(name, cap, "%s%s", base, read ? ":2,S" : "");
    return S_OK;
}
