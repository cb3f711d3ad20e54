/*
 * tools/mapi/mime.c - libfreemapi-mime, loaded when a command first needs
 * it (import, export).
 *
 * The MIME library brings GMime and GLib, which map a few megabytes and run
 * constructors when loaded: linked into the program, `mapi ls` under a
 * small `ulimit -v` aborted inside GLib before main. Loaded with dlopen,
 * only the commands that convert mail pay for it; the others never map
 * GLib at all. The table holds the functions the tool calls, typed from
 * freemapi_mime.h itself, so a changed prototype is a compile error.
 *
 * The library is found as the program's own libraries are (its RUNPATH in
 * the build tree, the system's library path once installed), by the
 * soname the build gives (FREEMAPI_MIME_SONAME); failing that, beside
 * libfreemapi itself, where the build and an install both put it. (Under
 * AddressSanitizer dlopen is intercepted and called from the sanitizer's
 * library, whose RUNPATH is not the program's.)
 */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <stdio.h>
#include <pthread.h>
#include <string.h>

#include "cli.h"

#ifndef FREEMAPI_MIME_SONAME
#define FREEMAPI_MIME_SONAME "libfreemapi-mime.so.0"
#endif

static cli_mime table;
static const char *load_error;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* One symbol into its slot. POSIX guarantees a function's dlsym result
 * converts to its function pointer type; memcpy says so without a cast. */
static bool bind_symbol(void *lib, const char *name, void *slot, size_t size)
{
    void *sym = dlsym(lib, name);
    if (sym == NULL)
        return false;
    memcpy(slot, &sym, size);
    return true;
}

#define BIND(field, symbol) ok = ok && bind_symbol(lib, #symbol, &table.field, sizeof table.field)

/* libfreemapi-mime from the directory libfreemapi was loaded from. */
static void *open_beside_libfreemapi(void)
{
    Dl_info info;
    void *anchor = NULL;
    __typeof__(MAPIInitialize) *fn = MAPIInitialize;
    memcpy(&anchor, &fn, sizeof anchor); /* dladdr takes a data pointer */
    if (dladdr(anchor, &info) == 0 || info.dli_fname == NULL)
        return NULL;
    const char *slash = strrchr(info.dli_fname, '/');
    if (slash == NULL)
        return NULL;
    char path[4096];
    int n = snprintf(path, sizeof path, "%.*s/%s", (int)(slash - info.dli_fname), info.dli_fname,
                     FREEMAPI_MIME_SONAME);
    if (n <= 0 || (size_t)n >= sizeof path)
        return NULL;
    return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

static void load(void)
{
    void *lib = dlopen(FREEMAPI_MIME_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL)
        lib = open_beside_libfreemapi();
    if (lib == NULL) {
        load_error = dlerror();
        return;
    }
    bool ok = true;
    BIND(import_fd, fmapi_mime_import_fd);
    BIND(import_buffer, fmapi_mime_import_buffer);
    BIND(export_cb, fmapi_mime_export);
    BIND(last_error, fmapi_mime_last_error);
    BIND(mbox_open, fmapi_mbox_open);
    BIND(mbox_next, fmapi_mbox_next);
    BIND(mbox_close, fmapi_mbox_close);
    BIND(mbox_writer_open, fmapi_mbox_writer_open);
    BIND(mbox_writer_add_message, fmapi_mbox_writer_add_message);
    BIND(mbox_writer_close, fmapi_mbox_writer_close);
    BIND(maildir_open, fmapi_maildir_open);
    BIND(maildir_next, fmapi_maildir_next);
    BIND(maildir_close, fmapi_maildir_close);
    BIND(maildir_deliver, fmapi_maildir_deliver);
    BIND(maildir_deliver_message, fmapi_maildir_deliver_message);
    BIND(maildir_make_folder, fmapi_maildir_make_folder);
    BIND(mailbox_set_flags, fmapi_mailbox_set_flags);
    BIND(mailbox_mark_deleted, fmapi_mailbox_mark_deleted);
    BIND(last_warnings, fmapi_mime_last_warnings);
    BIND(deliver_fd, fmapi_mime_deliver_fd);
    if (!ok) {
        load_error = dlerror();
        memset(&table, 0, sizeof table);
        return; /* the library stays loaded: unloading GLib is not supported */
    }
    table.loaded = true;
}

const cli_mime *cli_mime_load(cli *c)
{
    pthread_once(&once, load);
    if (table.loaded)
        return &table;
    cli_set_error(MAPI_E_NOT_FOUND, "cannot load %s: %s", FREEMAPI_MIME_SONAME,
                  load_error ? load_error : "unknown error");
    return NULL;
}
