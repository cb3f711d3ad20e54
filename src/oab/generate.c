/*
 * oab/generate.c - the generation job behind fmapi_oab_generate: pull the
 * directory page by page, write the container (and, if asked, the plain
 * file) under temporary names in the output directory, flush, name the
 * data file by its content, then switch the manifest.
 *
 * Order of the switch, so that a reader (who reads oab.xml, then the file
 * it names) always sees a complete set, and a crash at any point leaves
 * the previous OAB usable:
 *   1. .fm-oab-tmp-<pid>.lzx written and fsynced;
 *   2. renamed to oab-<seq>-<sha1 prefix>.lzx (a new name: the old manifest
 *      and its file are untouched), and the directory fsynced;
 *   3. .fm-oab-tmp-<pid>.xml written, fsynced, renamed over oab.xml;
 *   4. the directory fsynced; every data file is removed but the new set
 *      (its .lzx and .oab) and the one file the replaced manifest named (a
 *      reader that just read the old manifest can still fetch it). The old
 *      set's .oab goes too: no manifest names it, and kept it would outlive
 *      its generation.
 * The lock file serialises generations in one directory; the next run
 * removes temporary files and unreferenced data files left by a killed one
 * (killed after its step 3, its set is the previous one of the next run).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/text.h"
#include "mapicode.h"
#include "oab/oab.h"

#define TMP_PREFIX ".fm-oab-tmp-"
#define NAME_MAX_OAB 64

typedef struct job {
    const fmapi_oab_source *source;
    const fmapi_oab_options *opt;
    const char *dir;
    int dirfd, lockfd, lzxfd, plainfd;
    char lzx_tmp[NAME_MAX_OAB], plain_tmp[NAME_MAX_OAB], xml_tmp[NAME_MAX_OAB];
    char lzx_name[NAME_MAX_OAB], plain_name[NAME_MAX_OAB], prev[NAME_MAX_OAB];
    int renamed; /* data files renamed to their final names */
    fm_oab_schema schema;
    fm_oab_container *container;
    fm_oab_details *details;
    fm_oab_plain plain;
    fm_oab_tee tee;
    char sha1[41];
    uint64_t cb_lzx, cb_plain;
    ULONG count, skipped;
} job;

/* ---- arguments ------------------------------------------------------------ */

static HRESULT check_text(const char *s, const char *what)
{
    if (!s || !*s)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_oab_generate: %s is missing", what);
    if (!fm_utf8_valid(s, strlen(s)))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_oab_generate: %s is not UTF-8", what);
    return S_OK;
}

static HRESULT check_range(ULONG v, ULONG lo, ULONG hi, const char *what)
{
    if (v != 0 && (v < lo || v > hi))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "fmapi_oab_generate: %s is %lu, outside %lu..%lu", what,
                            (unsigned long)v, (unsigned long)lo, (unsigned long)hi);
    return S_OK;
}

static HRESULT check_args(const fmapi_oab_source *src, const char *dir, const fmapi_oab_options *o)
{
    if (!src || !src->next_page || !dir || !*dir || !o)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "fmapi_oab_generate: source, its next_page, dir and options are required");
    if (o->ulFlags & ~(FMAPI_OAB_WRITE_UNCOMPRESSED | FMAPI_OAB_STORE_BLOCKS))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "fmapi_oab_generate: unknown flags 0x%lX",
                            (unsigned long)o->ulFlags);
    if (o->ulSequence == 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_oab_generate: ulSequence must be >= 1");
    HRESULT hr = check_text(o->name, "the name");
    if (SUCCEEDED(hr))
        hr = check_text(o->dn, "the dn");
    if (SUCCEEDED(hr))
        hr = check_text(o->guid, "the guid");
    if (SUCCEEDED(hr))
        hr = check_range(o->cPageSize, 1, FM_OAB_PAGE_MAX, "cPageSize");
    if (SUCCEEDED(hr))
        hr = check_range(o->cbBlockMax, FM_OAB_BLOCK_MIN, FM_OAB_BLOCK_MAX, "cbBlockMax");
    if (SUCCEEDED(hr))
        hr = check_range(o->cbRecordMax, FM_OAB_RECORD_MIN, FM_OAB_RECORD_MAX, "cbRecordMax");
    return hr;
}

/* ---- the directory ----------------------------------------------------------- */

static HRESULT open_dir(job *j)
{
    j->dirfd = open(j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (j->dirfd < 0)
        return fm_oab_io_error(errno, "opening the directory", j->dir);
    j->lockfd = openat(j->dirfd, ".fm-oab.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (j->lockfd < 0)
        return fm_oab_io_error(errno, "creating the lock file in", j->dir);
    while (flock(j->lockfd, LOCK_EX) != 0)
        if (errno != EINTR)
            return fm_oab_io_error(errno, "locking", j->dir);
    return S_OK;
}

static bool is_data_file(const char *name)
{
    size_t n = strlen(name);
    return strncmp(name, "oab-", 4) == 0 && n > 8 &&
           (strcmp(name + n - 4, ".lzx") == 0 || strcmp(name + n - 4, ".oab") == 0);
}

/* True for a data file of the set whose .lzx is keep (.lzx or .oab). */
static bool belongs_to(const char *name, const char *keep)
{
    size_t n = strlen(keep);
    return n > 4 && strlen(name) == n && strncmp(name, keep, n - 4) == 0;
}

/* Removes temporary files (under the lock, all are leftovers) and, when
 * switched, every data file but the new set and the previous manifest's
 * file (step 4 above). */
static void sweep(job *j, bool switched)
{
    int fd = dup(j->dirfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    rewinddir(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        bool tmp = strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0;
        bool stale = switched && is_data_file(e->d_name) && !belongs_to(e->d_name, j->lzx_name) &&
                     strcmp(e->d_name, j->prev) != 0;
        if (tmp || stale)
            unlinkat(j->dirfd, e->d_name, 0);
    }
    closedir(d);
}

static HRESULT create_tmp(job *j, char *name, const char *ext, int *fd)
{
    snprintf(name, NAME_MAX_OAB, TMP_PREFIX "%ld.%s", (long)getpid(), ext);
    *fd = openat(j->dirfd, name, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (*fd < 0) {
        name[0] = '\0';
        return fm_oab_io_error(errno, "creating a file in", j->dir);
    }
    return S_OK;
}

/* ---- writing --------------------------------------------------------------- */

static HRESULT open_writers(job *j)
{
    const fmapi_oab_options *o = j->opt;
    HRESULT hr = create_tmp(j, j->lzx_tmp, "lzx", &j->lzxfd);
    if (SUCCEEDED(hr))
        hr = fm_oab_container_open(j->lzxfd, j->lzx_tmp,
                                   o->cbBlockMax ? o->cbBlockMax : FM_OAB_BLOCK_DEFAULT,
                                   !(o->ulFlags & FMAPI_OAB_STORE_BLOCKS), &j->container);
    if (FAILED(hr))
        return hr;
    fm_oab_sink *sink = fm_oab_container_sink(j->container);
    if (o->ulFlags & FMAPI_OAB_WRITE_UNCOMPRESSED) {
        hr = create_tmp(j, j->plain_tmp, "oab", &j->plainfd);
        if (FAILED(hr))
            return hr;
        fm_oab_plain_init(&j->plain, j->plainfd, j->plain_tmp);
        fm_oab_tee_init(&j->tee, sink, &j->plain.sink);
        sink = &j->tee.sink;
    }
    fm_oab_header_info h = {o->name, o->dn, o->guid, o->ulSequence};
    return fm_oab_details_open(sink, &j->schema, &h,
                               o->cbRecordMax ? o->cbRecordMax : FM_OAB_RECORD_DEFAULT,
                               &j->details);
}

static HRESULT pump(job *j)
{
    ULONG page = j->opt->cPageSize ? j->opt->cPageSize : FM_OAB_PAGE_DEFAULT;
    for (ULONG index = 0;;) {
        ULONG n = 0;
        const fmapi_oab_entry *entries = NULL;
        HRESULT hr = j->source->next_page(j->source->ctx, page, &n, &entries);
        if (FAILED(hr))
            return hr;
        if (n == 0)
            return S_OK;
        if (n > page || !entries)
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "fmapi_oab_generate: the source returned %lu entries for a "
                                "page of %lu", (unsigned long)n, (unsigned long)page);
        for (ULONG i = 0; i < n; i++, index++) {
            hr = fm_oab_details_add(j->details, &entries[i], index);
            if (FAILED(hr))
                return hr;
        }
    }
}

static HRESULT finish_files(job *j)
{
    HRESULT hr = fm_oab_details_finish(j->details);
    if (FAILED(hr))
        return hr;
    j->count = fm_oab_details_count(j->details);
    j->skipped = fm_oab_details_skipped(j->details);
    j->cb_plain = fm_oab_details_size(j->details);
    j->cb_lzx = fm_oab_container_size(j->container);
    hr = fm_oab_sha1_fd(j->lzxfd, j->sha1);
    if (FAILED(hr))
        return hr;
    snprintf(j->lzx_name, NAME_MAX_OAB, "oab-%lu-%.16s.lzx", (unsigned long)j->opt->ulSequence, j->sha1);
    snprintf(j->plain_name, NAME_MAX_OAB, "oab-%lu-%.16s.oab", (unsigned long)j->opt->ulSequence, j->sha1);
    return S_OK;
}

static HRESULT rename_into_place(job *j, char *tmp, const char *final)
{
    if (renameat(j->dirfd, tmp, j->dirfd, final) != 0)
        return fm_oab_io_error(errno, "renaming into place in", j->dir);
    tmp[0] = '\0';
    return S_OK;
}

static HRESULT switch_manifest(job *j)
{
    fm_oab_manifest_current_file(j->dirfd, j->prev, sizeof j->prev);
    HRESULT hr = rename_into_place(j, j->lzx_tmp, j->lzx_name);
    if (SUCCEEDED(hr))
        j->renamed = 1;
    if (SUCCEEDED(hr) && j->plain_tmp[0])
        hr = rename_into_place(j, j->plain_tmp, j->plain_name);
    /* The data file's name must be durable before a manifest names it. */
    if (SUCCEEDED(hr))
        hr = fm_oab_fsync_dir(j->dirfd, j->dir);
    int xmlfd = -1;
    if (SUCCEEDED(hr))
        hr = create_tmp(j, j->xml_tmp, "xml", &xmlfd);
    if (SUCCEEDED(hr)) {
        fm_oab_manifest_info m = {j->opt->name, j->opt->dn, j->opt->guid, j->opt->ulSequence,
                                  j->cb_lzx, j->cb_plain, j->sha1, j->lzx_name};
        hr = fm_oab_manifest_write(xmlfd, j->xml_tmp, &m);
    }
    if (xmlfd >= 0)
        close(xmlfd);
    if (SUCCEEDED(hr))
        hr = rename_into_place(j, j->xml_tmp, "oab.xml");
    if (SUCCEEDED(hr))
        j->renamed = 2; /* the new set is live */
    if (SUCCEEDED(hr))
        hr = fm_oab_fsync_dir(j->dirfd, j->dir);
    return hr;
}

/* ---- clean-up ----------------------------------------------------------------- */

static void unlink_if(job *j, char *name)
{
    if (name[0])
        unlinkat(j->dirfd, name, 0);
    name[0] = '\0';
}

static void close_job(job *j, bool ok)
{
    fm_oab_details_free(j->details);
    fm_oab_container_free(j->container);
    if (j->lzxfd >= 0)
        close(j->lzxfd);
    if (j->plainfd >= 0)
        close(j->plainfd);
    if (j->dirfd >= 0) {
        unlink_if(j, j->lzx_tmp);
        unlink_if(j, j->plain_tmp);
        unlink_if(j, j->xml_tmp);
        /* Renamed but never made live: remove, unless it is the live file. */
        if (!ok && j->renamed == 1 && !belongs_to(j->lzx_name, j->prev)) {
            unlinkat(j->dirfd, j->lzx_name, 0);
            unlinkat(j->dirfd, j->plain_name, 0);
        }
    }
    if (j->lockfd >= 0)
        close(j->lockfd); /* releases the lock */
    if (j->dirfd >= 0)
        close(j->dirfd);
    fm_oab_schema_clear(&j->schema);
}

static void fill_result(const job *j, fmapi_oab_result *r)
{
    memset(r, 0, sizeof *r);
    r->cEntries = j->count;
    r->cSkipped = j->skipped;
    r->cbCompressed = j->cb_lzx;
    r->cbUncompressed = j->cb_plain;
    snprintf(r->szFile, sizeof r->szFile, "%s", j->lzx_name);
    memcpy(r->szSha1, j->sha1, sizeof r->szSha1);
}

HRESULT fmapi_oab_generate(const fmapi_oab_source *source, const char *dir,
                           const fmapi_oab_options *options, fmapi_oab_result *lpResult)
{
    HRESULT hr = check_args(source, dir, options);
    if (FAILED(hr))
        return hr;
    job j = {.source = source, .opt = options, .dir = dir,
             .dirfd = -1, .lockfd = -1, .lzxfd = -1, .plainfd = -1};
    hr = fm_oab_schema_init(&j.schema, options->lpProps, options->cProps);
    if (SUCCEEDED(hr))
        hr = open_dir(&j);
    if (SUCCEEDED(hr)) {
        sweep(&j, false);
        hr = open_writers(&j);
    }
    if (SUCCEEDED(hr))
        hr = pump(&j);
    if (SUCCEEDED(hr))
        hr = finish_files(&j);
    if (SUCCEEDED(hr))
        hr = switch_manifest(&j);
    if (j.renamed == 2) {
        sweep(&j, true);
        if (lpResult)
            fill_result(&j, lpResult);
        hr = S_OK; /* live: a late fsync failure does not undo the switch */
    }
    close_job(&j, j.renamed == 2);
    return hr;
}
