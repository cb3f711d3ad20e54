/*
 * mime/maildir.c - reading a Maildir (and its Maildir++ folders) one
 * message at a time, and delivering into one.
 *
 * Reading walks new/ then cur/ of the top folder, then of each ".Sub.Folder"
 * directory (Maildir++ names nested folders by dots; the folder is reported
 * as "Sub/Folder"). Directory streams are read as they go, so memory does
 * not grow with the number of messages. The letters after ":2," are the
 * message's marks (D draft, F flagged, P passed, R replied, S seen, T
 * trashed), folder names are modified UTF-7 (as Dovecot and Courier write
 * them), and a file too large to hold is mapped, not read, and handed out
 * as a descriptor too, so an import can stream it.
 *
 * Delivery follows the Maildir rule: write under tmp/ with a unique name,
 * sync, then rename into new/ (or cur/ with the marks after ":2,"), so a
 * reader never sees half a message.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
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
    bool folders;     /* announce each folder with an entry */
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
    void *map;        /* a large file, mapped */
    size_t map_len;
    int map_fd;
};

static const char *SUBS[2] = { "new", "cur" };

HRESULT fmapi_maildir_open(const char *path, ULONG ulFlags, fmapi_maildir_reader **out)
{
    fm_mime_clear_error();
    if (path == NULL || out == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "Maildir: NULL argument");
    *out = NULL;
    ULONG known = FMAPI_MAILDIR_RECURSE | FMAPI_MAILDIR_FOLDERS;
    if (ulFlags & ~known)
        return fm_mime_fail(MAPI_E_UNKNOWN_FLAGS, "Maildir: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~known));
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
    r->folders = (ulFlags & FMAPI_MAILDIR_FOLDERS) != 0;
    r->map_fd = -1;
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
        char *name = fm_mime_mutf7_decode(e->d_name + 1);
        size_t n = 0;
        for (const char *p = name; *p && n < sizeof r->folder - 1; p++)
            r->folder[n++] = *p == '.' ? '/' : *p;
        r->folder[n] = '\0';
        g_free(name);
        r->sub = 0;
        return true;
    }
    return false;
}

/* What next_name gives when it enters a folder that must be announced. */
static const char FOLDER_ENTRY[] = "";

/* The next file name of the folder being read (FOLDER_ENTRY on entering a
 * folder, when folders are announced), NULL at the end. */
static const char *next_name(fmapi_maildir_reader *r)
{
    for (;;) {
        if (r->dir == NULL) {
            if (r->sub >= 2) {
                if (!next_folder(r))
                    return NULL;
                if (r->folders)
                    return FOLDER_ENTRY;
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

/* The marks a file name carries after ":2," (Maildir's info). */
static const struct {
    char letter;
    ULONG flag;
} LETTERS[] = { { 'D', FMAPI_MAILBOX_DRAFT },   { 'F', FMAPI_MAILBOX_FLAGGED },
                { 'P', FMAPI_MAILBOX_PASSED },  { 'R', FMAPI_MAILBOX_ANSWERED },
                { 'S', MSGFLAG_READ },          { 'T', FMAPI_MAILBOX_DELETED } };

static ULONG name_flags(const char *name)
{
    const char *info = strstr(name, ":2,");
    ULONG flags = 0;
    for (size_t i = 0; info != NULL && i < G_N_ELEMENTS(LETTERS); i++) {
        if (strchr(info + 3, LETTERS[i].letter) != NULL)
            flags |= LETTERS[i].flag;
    }
    return flags;
}

/* Releases a mapped file of the last call. */
static void unmap(fmapi_maildir_reader *r)
{
    if (r->map != NULL)
        munmap(r->map, r->map_len);
    if (r->map_fd >= 0)
        close(r->map_fd);
    r->map = NULL;
    r->map_len = 0;
    r->map_fd = -1;
}

static HRESULT read_file(fmapi_maildir_reader *r, size_t *len, const char **data, int *fdout)
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
    if (want > FMAPI_MAILBOX_SPOOL_MIN) {
        /* Too large to hold: mapped (its pages are read only if data is),
         * and the descriptor handed out for streaming. */
        void *map = mmap(NULL, want, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map != MAP_FAILED) {
            r->map = map;
            r->map_len = want;
            r->map_fd = fd;
            *data = map;
            *len = want;
            *fdout = fd;
            return S_OK;
        }
    }
    *data = r->data;
    *fdout = -1;
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
    *data = r->data;
    *len = got;
    return S_OK;
}

HRESULT fmapi_maildir_next(fmapi_maildir_reader *r, fmapi_mailbox_entry *entry)
{
    fm_mime_clear_error();
    if (r == NULL || entry == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "Maildir: NULL argument");
    memset(entry, 0, sizeof *entry);
    entry->fd = -1;
    unmap(r);
    const char *name = next_name(r);
    if (name == FOLDER_ENTRY) {
        /* The folder first, so that an empty one is seen too. */
        entry->folder = r->folder;
        entry->flags = FMAPI_MAILBOX_FOLDER;
        entry->data = "";
        entry->offset = r->index;
        return S_OK;
    }
    if (name == NULL)
        return MAPI_E_NOT_FOUND;
    entry->offset = r->index++;
    entry->path = r->path;
    entry->folder = r->folder;
    entry->flags = name_flags(name);
    size_t len = 0;
    const char *data = NULL;
    HRESULT hr = read_file(r, &len, &data, &entry->fd);
    if (hr != S_OK)
        return hr;
    entry->data = data;
    entry->len = len;
    return S_OK;
}

void fmapi_maildir_close(fmapi_maildir_reader *r)
{
    if (r == NULL)
        return;
    unmap(r);
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
    if (strchr(folder, '.') != NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "Maildir: folder name \"%s\" has a '.'",
                            folder);
    /* Names outside printable ASCII in modified UTF-7, as IMAP servers
     * reading the Maildir expect. */
    char *enc = fm_mime_mutf7_encode(folder);
    int n = snprintf(out, cap, "%s/.", path);
    for (const char *p = enc; *p && (size_t)n < cap - 1; p++)
        out[n++] = *p == '/' ? '.' : *p;
    out[n] = '\0';
    g_free(enc);
    return S_OK;
}

/* The info a file name carries (":2," and the letters of flags, sorted). */
static void info_of(ULONG flags, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, ":2,");
    for (size_t i = 0; i < G_N_ELEMENTS(LETTERS) && n + 1 < cap; i++) {
        if (flags & LETTERS[i].flag)
            out[n++] = LETTERS[i].letter;
    }
    out[n] = '\0';
}

HRESULT fmapi_maildir_make_folder(const char *path, const char *folder)
{
    fm_mime_clear_error();
    if (path == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "Maildir: NULL argument");
    if (strlen(path) > PATH_CAP - 1024)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "Maildir: path too long");
    char dir[PATH_CAP];
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
    return hr;
}

/* What goes into a delivered file: bytes, or a message exported into it. */
typedef struct content {
    const void *data;
    size_t len;
    LPMESSAGE m;
    ULONG ccsf;
} content;

static HRESULT write_content(int fd, const content *c, const char *path)
{
    if (c->m == NULL)
        return write_all(fd, c->data, c->len, path);
    HRESULT hr = fmapi_mime_export_fd(c->m, c->ccsf, fd); /* streams: nothing held */
    if (hr == S_OK && fsync(fd) != 0)
        hr = fm_mime_fail(MAPI_E_DISK_ERROR, "Maildir: cannot sync %s: %s", path,
                          strerror(errno));
    return hr;
}

static HRESULT deliver(const char *path, const char *folder, const content *c, ULONG flags,
                       char *name, size_t cap)
{
    if (strlen(path) > PATH_CAP - 1024)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "Maildir: path too long");
    char dir[PATH_CAP], base[400], tmp[PATH_CAP + 512], final[PATH_CAP + 512];
    HRESULT hr = fmapi_maildir_make_folder(path, folder);
    if (hr == S_OK)
        hr = folder_dir(path, folder, dir, sizeof dir);
    if (hr != S_OK)
        return hr;
    unique_name(base, sizeof base);
    snprintf(tmp, sizeof tmp, "%s/tmp/%s", dir, base);
    int fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0)
        return fm_mime_fail(MAPI_E_NO_ACCESS, "Maildir: cannot create %s: %s", tmp,
                            strerror(errno));
    hr = write_content(fd, c, tmp);
    close(fd);
    char info[16] = "";
    if (flags & (MSGFLAG_READ | FMAPI_MAILBOX_FLAGGED | FMAPI_MAILBOX_ANSWERED |
                 FMAPI_MAILBOX_PASSED | FMAPI_MAILBOX_DRAFT | FMAPI_MAILBOX_DELETED))
        info_of(flags, info, sizeof info);
    bool cur = info[0] != '\0';
    snprintf(final, sizeof final, "%s/%s/%s%s", dir, cur ? "cur" : "new", base, info);
    if (hr == S_OK && rename(tmp, final) != 0)
        hr = fm_mime_fail(MAPI_E_DISK_ERROR, "Maildir: cannot move %s into place: %s", tmp,
                          strerror(errno));
    if (hr != S_OK) {
        unlink(tmp);
        return hr;
    }
    if (name != NULL && cap > 0)
        snprintf(name, cap, "%s%s", base, info);
    return S_OK;
}

HRESULT fmapi_maildir_deliver(const char *path, const char *folder, const void *data, size_t len,
                              ULONG flags, char *name, size_t cap)
{
    fm_mime_clear_error();
    if (path == NULL || (data == NULL && len > 0))
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "Maildir: NULL argument");
    content c = { data, len, NULL, 0 };
    return deliver(path, folder, &c, flags, name, cap);
}

HRESULT fmapi_maildir_deliver_message(const char *path, const char *folder, LPMESSAGE lpMessage,
                                      ULONG ulFlags, char *name, size_t cap)
{
    fm_mime_clear_error();
    if (path == NULL || lpMessage == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "Maildir: NULL argument");
    ULONG marks = 0;
    HRESULT hr = fmapi_mailbox_get_flags(lpMessage, &marks);
    if (hr != S_OK)
        return hr;
    if (!(ulFlags & CCSF_EMBEDDED_MESSAGE))
        marks &= ~FMAPI_MAILBOX_DRAFT; /* as X-Unsent: new MAPI messages are all unsent */
    content c = { NULL, 0, lpMessage, ulFlags };
    return deliver(path, folder, &c, marks, name, cap);
}
