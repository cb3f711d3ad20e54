/*
 * profile/registry.c - the cross-process session registry (registry.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "profile/registry.h"

/* A temporary file older than this whose lock is free was left by a process
 * that died between creating and registering it. */
#define STALE_TMP_SECONDS 30

struct fm_registry_entry {
    int fd;
    char *path;
};

static atomic_uint registry_seq;

static void uid_hex(const MAPIUID *uid, char out[33])
{
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", uid->ab[i]);
}

/* A file operation's errno as a MAPI code: out of descriptors is not a
 * question of access. */
static HRESULT errno_code(int err)
{
    if (err == EMFILE || err == ENFILE)
        return MAPI_E_NOT_ENOUGH_RESOURCES;
    if (err == ENOSPC || err == EDQUOT)
        return MAPI_E_NOT_ENOUGH_DISK;
    return MAPI_E_NO_ACCESS;
}

static HRESULT sessions_dir(const char *profile_dir, char *buf, size_t cap)
{
    if (snprintf(buf, cap, "%s/sessions", profile_dir) >= (int)cap)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "profile directory path too long");
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return fm_error_set(errno_code(errno), "cannot create %s: %s", buf, strerror(errno));
    return S_OK;
}

HRESULT fm_registry_enter(const char *profile_dir, const MAPIUID *uid, fm_registry_entry **out)
{
    *out = NULL;
    char dir[4096], tmp[4200], final[4200], hex[33];
    HRESULT hr = sessions_dir(profile_dir, dir, sizeof dir);
    if (hr != S_OK)
        return hr;
    /* Reclaim the files of sessions that died, whatever their profile: the
     * registry holds live sessions only, without waiting for a deletion. */
    bool unused;
    (void)fm_registry_in_use(profile_dir, NULL, &unused);
    uid_hex(uid, hex);
    unsigned seq = atomic_fetch_add(&registry_seq, 1);
    snprintf(tmp, sizeof tmp, "%s/.tmp-%ld-%u", dir, (long)getpid(), seq);
    snprintf(final, sizeof final, "%s/%s-%ld-%u.lock", dir, hex, (long)getpid(), seq);
    fm_registry_entry *e = fm_calloc(1, sizeof *e);
    if (e == NULL || (e->path = fm_strdup(final)) == NULL) {
        fm_free(e);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory registering a session");
    }
    e->fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (e->fd < 0 || flock(e->fd, LOCK_EX | LOCK_NB) != 0 || rename(tmp, final) != 0) {
        hr = fm_error_set(errno_code(errno), "cannot register the session in %s: %s", dir,
                          strerror(errno));
        if (e->fd >= 0) {
            unlink(tmp);
            close(e->fd);
        }
        fm_free(e->path);
        fm_free(e);
        return hr;
    }
    *out = e;
    return S_OK;
}

void fm_registry_leave(fm_registry_entry *e)
{
    if (e == NULL)
        return;
    /* Unlink first: a scanner that opened the file before this still sees it
     * locked, and one that opens it after finds nothing. */
    unlink(e->path);
    close(e->fd);
    fm_free(e->path);
    fm_free(e);
}

/* Whether the registry file at path is held by a live session; removes it
 * when not (tmp: only once it is old enough to be abandoned). */
static bool alive(const char *path, bool tmp)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return false; /* removed meanwhile: its session left */
    bool live = flock(fd, LOCK_EX | LOCK_NB) != 0;
    if (!live) {
        struct stat sb;
        if (tmp && fstat(fd, &sb) == 0 && time(NULL) - sb.st_mtime < STALE_TMP_SECONDS)
            live = true;
        else
            unlink(path);
    }
    close(fd);
    return live;
}

/* The profile UID and process of a registered file's name,
 * "<32 hex digits>-<pid>-<n>.lock"; false for any other name. */
static bool parse_name(const char *name, MAPIUID *uid, long *pid)
{
    for (int i = 0; i < 16; i++) {
        unsigned v;
        if (sscanf(name + 2 * i, "%2x", &v) != 1)
            return false;
        uid->ab[i] = (BYTE)v;
    }
    char *end = NULL;
    if (name[32] != '-')
        return false;
    *pid = strtol(name + 33, &end, 10);
    return end != NULL && *end == '-' && *pid > 0 && strstr(end, ".lock") != NULL;
}

HRESULT fm_registry_each(const char *profile_dir, fm_registry_fn fn, void *ctx)
{
    char dir[4096], path[4400];
    HRESULT hr = sessions_dir(profile_dir, dir, sizeof dir);
    if (hr != S_OK)
        return hr;
    DIR *d = opendir(dir);
    if (d == NULL)
        return fm_error_set(errno_code(errno), "cannot read %s: %s", dir, strerror(errno));
    struct dirent *de;
    while (hr == S_OK && (de = readdir(d)) != NULL) {
        bool tmp = strncmp(de->d_name, ".tmp-", 5) == 0;
        MAPIUID uid;
        long pid = 0;
        if (!tmp && strstr(de->d_name, ".lock") == NULL)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (alive(path, tmp) && !tmp && parse_name(de->d_name, &uid, &pid))
            hr = fn(ctx, &uid, pid);
    }
    closedir(d);
    return hr;
}

/* fm_registry_in_use's walk: notes a live session of the wanted profile. */
typedef struct in_use_ctx {
    const MAPIUID *uid;
    bool *in_use;
} in_use_ctx;

static HRESULT note_session(void *ctx, const MAPIUID *uid, long pid)
{
    (void)pid;
    in_use_ctx *c = ctx;
    if (c->uid != NULL && memcmp(c->uid->ab, uid->ab, sizeof uid->ab) == 0)
        *c->in_use = true;
    return S_OK;
}

HRESULT fm_registry_in_use(const char *profile_dir, const MAPIUID *uid, bool *in_use)
{
    *in_use = false;
    in_use_ctx c = { uid, in_use };
    return fm_registry_each(profile_dir, note_session, &c);
}

size_t fm_registry_count(const char *profile_dir)
{
    char dir[4096];
    if (sessions_dir(profile_dir, dir, sizeof dir) != S_OK)
        return 0;
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *de;
    while (d != NULL && (de = readdir(d)) != NULL)
        n += de->d_name[0] != '.' || strncmp(de->d_name, ".tmp-", 5) == 0;
    if (d != NULL)
        closedir(d);
    return n;
}
