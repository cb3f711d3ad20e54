/*
 * cfb/cfb_file.c - one open compound file: opening, committing, reverting
 * and closing it (see cfb.h for the design).
 *
 * Commit writes the whole tree to a new file. For a file on disk the new
 * file is made beside it (same directory, 0600, O_EXCL), synced, checked by
 * reading its header back as the new source, and renamed over the old one;
 * the directory is then synced. Until the rename nothing visible changed,
 * and the in-memory state is switched only after it, by steps that cannot
 * fail: a failure anywhere leaves the previous file and the pending
 * changes, and Commit can be called again. For a compound file inside a
 * caller's IStream or ILockBytes the new image is written to a temporary
 * file first, becomes the source, and is then copied into the caller's
 * object (which cannot be replaced atomically; a failure there is reported
 * and the next Commit writes it again).
 *
 * Direct mode (no STGM_TRANSACTED) commits when the root storage is
 * released, and when the last object of the file goes; transacted mode
 * commits only on IStorage::Commit of the root and drops the rest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"

#define STGM_ACCESS_MASK 0x3u
#define STGM_SHARE_MASK 0x70u
#define STGM_KNOWN                                                                            \
    (STGM_ACCESS_MASK | STGM_SHARE_MASK | STGM_TRANSACTED | STGM_SIMPLE | STGM_PRIORITY |     \
     STGM_DELETEONRELEASE | STGM_NOSCRATCH | STGM_CREATE | STGM_CONVERT | STGM_NOSNAPSHOT |   \
     STGM_DIRECT_SWMR)

uint64_t fm_cfb_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    /* 100 ns intervals since 1601-01-01. */
    return ((uint64_t)ts.tv_sec + 11644473600ull) * 10000000ull + (uint64_t)ts.tv_nsec / 100;
}

bool fm_cfb_mode_can_write(DWORD mode)
{
    return (mode & STGM_ACCESS_MASK) == STGM_WRITE || (mode & STGM_ACCESS_MASK) == STGM_READWRITE;
}

HRESULT fm_cfb_mode_check(DWORD mode, const char *fn)
{
    if (mode & ~(DWORD)STGM_KNOWN)
        return fm_error_set(STG_E_INVALIDFLAG, "%s: unknown grfMode bits 0x%08lX", fn,
                            (unsigned long)(mode & ~(DWORD)STGM_KNOWN));
    if ((mode & STGM_ACCESS_MASK) == STGM_ACCESS_MASK)
        return fm_error_set(STG_E_INVALIDFLAG, "%s: grfMode asks for two access modes", fn);
    DWORD share = mode & STGM_SHARE_MASK;
    if (share != 0 && share != STGM_SHARE_DENY_NONE && share != STGM_SHARE_DENY_READ &&
        share != STGM_SHARE_DENY_WRITE && share != STGM_SHARE_EXCLUSIVE)
        return fm_error_set(STG_E_INVALIDFLAG, "%s: grfMode has an unknown share mode", fn);
    if ((mode & STGM_CREATE) && (mode & STGM_CONVERT))
        return fm_error_set(STG_E_INVALIDFLAG, "%s: STGM_CREATE with STGM_CONVERT", fn);
    return S_OK;
}

void fm_cfb_file_addref(fm_cfb_file *f)
{
    atomic_fetch_add(&f->refs, 1);
}

/* ---- commit ---------------------------------------------------------------------- */

/* A new empty file beside path, for the committed image. */
static HRESULT temp_beside(const char *path, char **tmp_out, int *fd_out)
{
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) : 0;
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(path) + 32;
    char *tmp = fm_malloc(n);
    if (tmp == NULL)
        return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory committing");
    if (slash != NULL)
        snprintf(tmp, n, "%.*s/.%s.fm-XXXXXX", (int)(dlen ? dlen : 1), dlen ? path : "/", base);
    else
        snprintf(tmp, n, ".%s.fm-XXXXXX", base);
    int fd = fm_cfb_mkstemp(tmp);
    if (fd < 0) {
        HRESULT hr = fm_error_set(fm_cfb_errno_hr(errno, STG_E_WRITEFAULT),
                                  "compound file: cannot create %s: %s", tmp, strerror(errno));
        fm_free(tmp);
        return hr;
    }
    *tmp_out = tmp;
    *fd_out = fd;
    return S_OK;
}

static void sync_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (slash == NULL)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static HRESULT open_image(int fd, fm_cfb_source *ns)
{
    memset(ns, 0, sizeof *ns);
    ns->back.kind = CFB_BACK_FD;
    ns->back.fd = fd;
    return fm_cfb_source_open(ns);
}

/* The new image in fd becomes the source; nothing here can fail. */
static void switch_source(fm_cfb_file *f, fm_cfb_source *ns)
{
    fm_cfb_source_clear(&f->src);
    fm_cfb_backing_clear(&f->src.back);
    f->src = *ns;
    f->have_src = true;
    fm_cfb_commit_adopt(f);
    if (f->scratch_fd >= 0 && ftruncate(f->scratch_fd, 0) == 0)
        f->scratch_end = 0;
    f->dirty = false;
}

static HRESULT commit_to_path(fm_cfb_file *f)
{
    char *tmp = NULL;
    int fd = -1;
    uint64_t size = 0;
    fm_cfb_source ns;
    bool have_ns = false;
    HRESULT hr = temp_beside(f->path, &tmp, &fd);
    if (hr == S_OK)
        hr = fm_cfb_commit_write(f, fd, &size);
    if (hr == S_OK && fdatasync(fd) != 0)
        hr = fm_error_set(fm_cfb_errno_hr(errno, STG_E_WRITEFAULT),
                          "compound file: fdatasync of %s failed: %s", tmp, strerror(errno));
    if (hr == S_OK && (hr = open_image(fd, &ns)) == S_OK)
        have_ns = true;
    if (hr == S_OK && flock(fd, LOCK_EX | LOCK_NB) != 0)
        hr = fm_error_set(STG_E_LOCKVIOLATION, "compound file: cannot lock %s", tmp);
    if (hr == S_OK && rename(tmp, f->path) != 0)
        hr = fm_error_set(fm_cfb_errno_hr(errno, STG_E_WRITEFAULT),
                          "compound file: cannot replace %s: %s", f->path, strerror(errno));
    if (hr == S_OK) {
        switch_source(f, &ns);
        sync_dir_of(f->path);
    } else {
        if (have_ns)
            fm_cfb_source_clear(&ns);
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
    }
    fm_free(tmp);
    return hr;
}

/* Copies the image the source now reads from into the caller's object. */
static HRESULT copy_to_target(fm_cfb_file *f, uint64_t size)
{
    unsigned char *buf = fm_malloc(64 * 1024);
    if (buf == NULL)
        return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory committing");
    HRESULT hr = fm_cfb_backing_set_size(&f->target, size);
    for (uint64_t at = 0; hr == S_OK && at < size; at += 64 * 1024) {
        size_t take = size - at < 64 * 1024 ? (size_t)(size - at) : 64 * 1024;
        size_t got = 0;
        hr = fm_cfb_backing_read(&f->src.back, at, buf, take, &got);
        if (hr == S_OK && got < take)
            hr = fm_error_set(STG_E_READFAULT, "compound file: the committed image is short");
        if (hr == S_OK)
            hr = fm_cfb_backing_write(&f->target, at, buf, take);
    }
    if (hr == S_OK)
        hr = fm_cfb_backing_flush(&f->target);
    fm_free(buf);
    return hr;
}

static HRESULT commit_to_target(fm_cfb_file *f)
{
    int fd = -1;
    HRESULT hr = fm_cfb_tmpfile(&fd);
    if (hr != S_OK)
        return hr;
    uint64_t size = 0;
    fm_cfb_source ns;
    hr = fm_cfb_commit_write(f, fd, &size);
    if (hr == S_OK)
        hr = open_image(fd, &ns);
    if (hr != S_OK) {
        close(fd);
        return hr;
    }
    switch_source(f, &ns);
    hr = copy_to_target(f, size);
    if (hr != S_OK)
        f->dirty = true; /* the caller's object does not hold it yet */
    return hr;
}

HRESULT fm_cfb_file_commit(fm_cfb_file *f)
{
    if (!f->writable)
        return fm_error_set(STG_E_ACCESSDENIED, "IStorage::Commit: the storage is read-only");
    return f->path != NULL ? commit_to_path(f) : commit_to_target(f);
}

/* ---- revert ---------------------------------------------------------------------- */

HRESULT fm_cfb_file_revert(fm_cfb_file *f)
{
    fm_cfb_node *fresh = NULL;
    HRESULT hr = f->have_src ? fm_cfb_dir_load(&f->src, &fresh) : S_OK;
    if (hr != S_OK)
        return hr;
    fm_cfb_node *root = f->root;
    while (root->nkids > 0)
        fm_cfb_node_detach(root->kids[root->nkids - 1]);
    if (fresh != NULL) {
        fm_free(root->kids);
        root->kids = fresh->kids;
        root->nkids = fresh->nkids;
        root->capkids = fresh->capkids;
        for (size_t i = 0; i < root->nkids; i++)
            root->kids[i]->parent = root;
        root->clsid = fresh->clsid;
        root->state_bits = fresh->state_bits;
        root->mtime = fresh->mtime;
        fresh->kids = NULL;
        fresh->nkids = fresh->capkids = 0;
        fm_cfb_node_detach(fresh);
    }
    if (f->scratch_fd >= 0 && ftruncate(f->scratch_fd, 0) == 0)
        f->scratch_end = 0;
    f->dirty = false;
    return S_OK;
}

/* ---- open and close ---------------------------------------------------------------- */

static void file_free(fm_cfb_file *f)
{
    if (f->root != NULL)
        fm_cfb_node_detach(f->root);
    fm_cfb_source_clear(&f->src);
    fm_cfb_backing_clear(&f->src.back);
    fm_cfb_backing_clear(&f->target);
    if (f->scratch_fd >= 0)
        close(f->scratch_fd);
    if (f->delete_on_release && f->path != NULL)
        unlink(f->path);
    fm_free(f->path);
    fm_free(f->wpath);
    pthread_mutex_destroy(&f->lock);
    fm_free(f);
}

void fm_cfb_file_release(fm_cfb_file *f)
{
    if (atomic_fetch_sub(&f->refs, 1) != 1)
        return;
    /* Direct mode: what was written reaches the file now. */
    if (f->writable && f->dirty && !f->transacted && !f->delete_on_release)
        f->last_commit = fm_cfb_file_commit(f);
    file_free(f);
}

static HRESULT exclude_elements(fm_cfb_file *f, SNB exclude)
{
    for (size_t i = 0; exclude != NULL && exclude[i] != NULL; i++) {
        size_t n = 0;
        HRESULT hr = fm_cfb_name_check(exclude[i], &n);
        if (hr != S_OK)
            return hr;
        fm_cfb_node *k = fm_cfb_node_find(f->root, exclude[i], n, NULL);
        if (k == NULL)
            continue;
        if (k->type == CFB_TYPE_STREAM) {
            hr = fm_cfb_data_set_size(f, k, 0);
            if (hr != S_OK)
                return hr;
        } else {
            while (k->nkids > 0)
                fm_cfb_node_detach(k->kids[k->nkids - 1]);
        }
        f->dirty = true;
    }
    return S_OK;
}

static HRESULT new_tree(fm_cfb_file *f)
{
    static const WCHAR ROOT_NAME[] = u"Root Entry";
    f->root = fm_cfb_node_new(ROOT_NAME, 10, CFB_TYPE_ROOT);
    if (f->root == NULL)
        return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory");
    f->root->mtime = fm_cfb_now();
    f->dirty = true;
    return S_OK;
}

HRESULT fm_cfb_file_open(fm_cfb_backing *back, DWORD mode, bool create, const char *path,
                      SNB exclude, IStorage **out)
{
    fm_cfb_file *f = fm_calloc(1, sizeof *f);
    if (f == NULL) {
        fm_cfb_backing_clear(back);
        return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory");
    }
    pthread_mutex_init(&f->lock, NULL);
    f->scratch_fd = -1;
    f->mode = mode;
    f->writable = fm_cfb_mode_can_write(mode);
    f->transacted = (mode & STGM_TRANSACTED) != 0;
    f->delete_on_release = (mode & STGM_DELETEONRELEASE) != 0;
    f->out_version = 3;
    f->src.back = *back;
    back->kind = CFB_BACK_NONE;
    HRESULT hr = S_OK;
    if (path != NULL && (f->path = fm_strdup(path)) == NULL)
        hr = fm_error_set(E_OUTOFMEMORY, "compound file: out of memory");
    if (hr == S_OK && f->path == NULL && f->writable) {
        /* Commits go back to the caller's stream or byte array. */
        f->target = f->src.back;
        if (f->target.kind == CFB_BACK_STREAM)
            IStream_AddRef(f->target.stm);
        else if (f->target.kind == CFB_BACK_LOCKBYTES)
            ILockBytes_AddRef(f->target.lkb);
    }
    if (hr == S_OK && create) {
        hr = new_tree(f);
        if (hr == S_OK)
            hr = fm_cfb_file_commit(f); /* the file exists, valid and empty, from now on */
    } else if (hr == S_OK) {
        hr = fm_cfb_source_open(&f->src);
        if (hr == S_OK) {
            f->have_src = true;
            f->out_version = f->src.version;
            hr = fm_cfb_dir_load(&f->src, &f->root);
        }
        if (hr == S_OK)
            hr = exclude_elements(f, exclude);
    }
    if (hr == S_OK)
        hr = fm_cfb_storage_new(f, f->root, mode, true, out);
    if (hr != S_OK) {
        f->delete_on_release = f->delete_on_release && create;
        file_free(f);
    }
    return hr;
}
