/*
 * tests/session/dlopen_sqlite_host.c - a host program that links SQLite
 * itself, loads libfreemapi with dlopen, uses a store (so freemapi installs
 * its allocator in the SQLite both share), unloads it with dlclose, and
 * then uses SQLite on its own. Before freemapi gave SQLite its previous
 * allocator back on unload, the host's first SQLite call after dlclose
 * jumped into the unmapped library. Built and run by test_dlopen.sh.
 *
 * Usage: dlopen_sqlite_host LIBRARY STORE_PATH
 */
#include <dlfcn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

typedef long HRESULT;
typedef HRESULT (*store_open_fn)(const char *, unsigned long, void **);
typedef struct {
    void *QueryInterface, *AddRef;
    unsigned long (*Release)(void *);
} unknown_vtbl;

static int host_uses_sqlite(const char *what)
{
    sqlite3 *db = NULL;
    char *err = NULL;
    int rc = sqlite3_open(":memory:", &db);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db,
                          "CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('host');"
                          "INSERT INTO t SELECT x || x FROM t; SELECT count(*) FROM t;",
                          NULL, NULL, &err);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "dlopen_sqlite_host: %s: SQLite failed: %s\n", what,
                err ? err : sqlite3_errstr(rc));
        sqlite3_free(err);
        sqlite3_close(db);
        return 1;
    }
    sqlite3_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: dlopen_sqlite_host LIBRARY STORE_PATH\n");
        return 2;
    }
    for (int round = 0; round < 3; round++) {
        void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
        if (lib == NULL) {
            fprintf(stderr, "dlopen_sqlite_host: %s\n", dlerror());
            return 1;
        }
        store_open_fn store_open = (store_open_fn)dlsym(lib, "fmapi_store_open");
        void *mdb = NULL;
        if (store_open == NULL || store_open(argv[2], 1 /* FMAPI_STORE_CREATE */, &mdb) != 0) {
            fprintf(stderr, "dlopen_sqlite_host: fmapi_store_open failed\n");
            return 1;
        }
        (*(unknown_vtbl **)mdb)->Release(mdb);
        if (dlclose(lib) != 0) {
            fprintf(stderr, "dlopen_sqlite_host: dlclose: %s\n", dlerror());
            return 1;
        }
        if (host_uses_sqlite("after dlclose") != 0)
            return 1;
    }
    printf("dlopen_sqlite_host: SQLite works after 3 dlopen/use/dlclose rounds\n");
    return 0;
}
