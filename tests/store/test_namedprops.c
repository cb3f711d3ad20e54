/*
 * tests/store/test_namedprops.c - the store's named-property map: creating
 * and finding names, PS_MAPI, invalid names, several connections and
 * processes at once, running out of IDs, the bounded cache, foreach, leaks
 * and allocation failures (src/store/namedprops.c).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/text.h"
#include "fm_test.h"
#include "mapiguid.h"
#include "mapix.h"
#include "store/namedprops.h"
#include "store/schema.h"

static const GUID PSET_TEST = { 0x12345678, 0x9ABC, 0xDEF0,
                                { 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF } };

/* ---- helpers ------------------------------------------------------------- */

static char path_buf[512];

static const char *store_path(const char *name)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", fm_test_tmpdir(), name);
    return path_buf;
}

static void remove_store(const char *path)
{
    char side[700];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static fm_db *fresh_store(const char *name)
{
    const char *p = store_path(name);
    remove_store(p);
    fm_db *db = NULL;
    assert_int_equal(fm_db_open(p, FM_DB_CREATE, &FM_STORE_SCHEMA, &db), S_OK);
    return db;
}

static fm_namedprops *map_of(fm_db *db)
{
    fm_namedprops *np = NULL;
    assert_int_equal(fm_namedprops_new(db, &np), S_OK);
    return np;
}

static MAPINAMEID id_name(const GUID *g, LONG lid)
{
    MAPINAMEID n;
    n.lpguid = (LPGUID)g;
    n.ulKind = MNID_ID;
    n.Kind.lID = lid;
    return n;
}

static MAPINAMEID str_name(const GUID *g, const WCHAR *s)
{
    MAPINAMEID n;
    n.lpguid = (LPGUID)g;
    n.ulKind = MNID_STRING;
    n.Kind.lpwstrName = (LPWSTR)s;
    return n;
}

static ULONG create(fm_namedprops *np, MAPINAMEID n)
{
    ULONG id = 0;
    assert_int_equal(fm_namedprops_id_of(np, &n, 1, &id), S_OK);
    return id;
}

static ULONG lookup(fm_namedprops *np, MAPINAMEID n)
{
    ULONG id = 0;
    assert_int_equal(fm_namedprops_id_of(np, &n, 0, &id), S_OK);
    return id;
}

static int64_t query_int(fm_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(fm_db_prepare(db, sql, &st), S_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    fm_db_finish(st);
    return v;
}

static int64_t row_count(fm_db *db)
{
    return query_int(db, "SELECT count(*) FROM named_props");
}

/* Rows that share guid, kind, lid and name: there must never be any. */
static int64_t duplicate_count(fm_db *db)
{
    return query_int(db, "SELECT count(*) FROM (SELECT 1 FROM named_props"
                         " GROUP BY guid, kind, lid, name HAVING count(*) > 1)");
}

static void assert_wstr_equal(const WCHAR *a, const WCHAR *b)
{
    size_t n = fm_utf16_len(b);
    assert_int_equal(fm_utf16_len(a), n);
    assert_memory_equal(a, b, n * sizeof(WCHAR));
}

/* name i of a family of generated string names, fixed length */
static void gen_name(WCHAR *buf, const char *prefix, unsigned i)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%s%06u", prefix, i);
    size_t k = 0;
    for (; tmp[k]; k++)
        buf[k] = (WCHAR)tmp[k];
    buf[k] = 0;
}

/* ---- creating and finding ------------------------------------------------------ */

static void numeric_names_get_ids_from_0x8000_in_order(void **state)
{
    fm_db *db = fresh_store("num.fmstore");
    fm_namedprops *np = map_of(db);
    ULONG id = 0;
    MAPINAMEID a = id_name(&PS_PUBLIC_STRINGS, 0x8501);
    assert_int_equal(fm_namedprops_id_of(np, &a, 0, &id), MAPI_E_NOT_FOUND);
    assert_non_null(strstr(fmapi_last_error(), "0x8501"));
    assert_int_equal(create(np, a), 0x8000);
    assert_int_equal(create(np, id_name(&PSET_TEST, 0x8501)), 0x8001);
    assert_int_equal(create(np, id_name(&PS_PUBLIC_STRINGS, -5)), 0x8002);
    assert_int_equal(lookup(np, a), 0x8000);
    assert_int_equal(create(np, a), 0x8000); /* creating again finds it */
    assert_int_equal(lookup(np, id_name(&PS_PUBLIC_STRINGS, -5)), 0x8002);
    assert_int_equal(row_count(db), 3);
    /* numeric names are stored with name NULL */
    assert_int_equal(query_int(db, "SELECT count(*) FROM named_props"
                                   " WHERE kind = 0 AND name IS NULL AND lid IS NOT NULL"), 3);
    LPMAPINAMEID n;
    assert_int_equal(fm_namedprops_name_of(np, 0x8002, NULL, &n), S_OK);
    assert_memory_equal(n->lpguid, &PS_PUBLIC_STRINGS, sizeof(GUID));
    assert_int_equal(n->ulKind, MNID_ID);
    assert_int_equal(n->Kind.lID, -5);
    MAPIFreeBuffer(n);
    fm_namedprops_free(np);
    fm_db_close(db);
}

static void string_names_round_trip_in_any_script(void **state)
{
    static const WCHAR *const names[] = {
        u"Keywords", u"Grüße", u"日本語の名前", u"\U0001F600 smile \U00010348", u"",
    };
    static const char *const utf8[] = {
        "Keywords", "Grüße", "日本語の名前", "\xF0\x9F\x98\x80 smile \xF0\x90\x8D\x88", "",
    };
    fm_db *db = fresh_store("str.fmstore");
    fm_namedprops *np = map_of(db);
    ULONG ids[5];
    for (int i = 0; i < 5; i++)
        ids[i] = create(np, str_name(&PS_PUBLIC_STRINGS, names[i]));
    for (int i = 0; i < 5; i++) {
        assert_int_equal(ids[i], 0x8000 + i);
        assert_int_equal(lookup(np, str_name(&PS_PUBLIC_STRINGS, names[i])), ids[i]);
        LPMAPINAMEID n;
        assert_int_equal(fm_namedprops_name_of(np, ids[i], NULL, &n), S_OK);
        assert_memory_equal(n->lpguid, &PS_PUBLIC_STRINGS, sizeof(GUID));
        assert_int_equal(n->ulKind, MNID_STRING);
        assert_wstr_equal(n->Kind.lpwstrName, names[i]);
        MAPIFreeBuffer(n);
        /* stored as UTF-8 text, lid NULL */
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT name, lid IS NULL FROM named_props WHERE id = %lu",
                 (unsigned long)ids[i]);
        sqlite3_stmt *st;
        assert_int_equal(fm_db_prepare(db, sql, &st), S_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), utf8[i]);
        assert_int_equal(sqlite3_column_int(st, 1), 1);
        fm_db_finish(st);
    }
    fm_namedprops_free(np);
    fm_db_close(db);
}

static void string_names_compare_case_sensitively(void **state)
{
    fm_db *db = fresh_store("case.fmstore");
    fm_namedprops *np = map_of(db);
    ULONG upper = create(np, str_name(&PS_INTERNET_HEADERS, u"X-Custom"));
    ULONG lower = create(np, str_name(&PS_INTERNET_HEADERS, u"x-custom"));
    assert_int_not_equal(upper, lower);
    ULONG id;
    MAPINAMEID other = str_name(&PS_INTERNET_HEADERS, u"X-CUSTOM");
    assert_int_equal(fm_namedprops_id_of(np, &other, 0, &id), MAPI_E_NOT_FOUND);
    assert_non_null(strstr(fmapi_last_error(), "X-CUSTOM"));
    fm_namedprops_free(np);
    fm_db_close(db);
}

static void sets_kinds_and_values_keep_names_apart(void **state)
{
    fm_db *db = fresh_store("apart.fmstore");
    fm_namedprops *np = map_of(db);
    ULONG a = create(np, id_name(&PS_PUBLIC_STRINGS, 1));
    ULONG b = create(np, id_name(&PSET_TEST, 1));
    ULONG c = create(np, str_name(&PS_PUBLIC_STRINGS, u"1"));
    ULONG d = create(np, id_name(&PS_PUBLIC_STRINGS, 2));
    assert_int_not_equal(a, b);
    assert_int_not_equal(a, c);
    assert_int_not_equal(b, c);
    assert_int_not_equal(a, d);
    assert_int_equal(row_count(db), 4);
    fm_namedprops_free(np);
    fm_db_close(db);
}

static void ids_are_stable_across_reopening(void **state)
{
    fm_db *db = fresh_store("reopen.fmstore");
    fm_namedprops *np = map_of(db);
    ULONG a = create(np, str_name(&PSET_TEST, u"Größe"));
    ULONG b = create(np, id_name(&PSET_TEST, 0x1234));
    fm_namedprops_free(np);
    fm_db_close(db);

    assert_int_equal(fm_db_open(store_path("reopen.fmstore"), 0, &FM_STORE_SCHEMA, &db), S_OK);
    np = map_of(db);
    assert_int_equal(lookup(np, id_name(&PSET_TEST, 0x1234)), b);
    assert_int_equal(lookup(np, str_name(&PSET_TEST, u"Größe")), a);
    LPMAPINAMEID n;
    assert_int_equal(fm_namedprops_name_of(np, a, NULL, &n), S_OK);
    assert_wstr_equal(n->Kind.lpwstrName, u"Größe");
    MAPIFreeBuffer(n);
    assert_int_equal(create(np, id_name(&PSET_TEST, 7)), 0x8002);
    fm_namedprops_free(np);
    fm_db_close(db);
}

/* ---- PS_MAPI and invalid names -------------------------------------------------- */

static void ps_mapi_ids_map_to_themselves_and_are_never_stored(void **state)
{
    fm_db *db = fresh_store("psmapi.fmstore");
    fm_namedprops *np = map_of(db);
    assert_int_equal(create(np, id_name(&PS_MAPI, 0x0037)), 0x0037);
    assert_int_equal(lookup(np, id_name(&PS_MAPI, 0x0037)), 0x0037);
    assert_int_equal(lookup(np, id_name(&PS_MAPI, 0x7FFF)), 0x7FFF);
    assert_int_equal(lookup(np, id_name(&PS_MAPI, 1)), 1);
    assert_int_equal(row_count(db), 0);
    LPMAPINAMEID n;
    assert_int_equal(fm_namedprops_name_of(np, 0x0037, NULL, &n), S_OK);
    assert_memory_equal(n->lpguid, &PS_MAPI, sizeof(GUID));
    assert_int_equal(n->ulKind, MNID_ID);
    assert_int_equal(n->Kind.lID, 0x0037);
    MAPIFreeBuffer(n);
    fm_namedprops_free(np);
    fm_db_close(db);
}

static void ps_mapi_strings_and_out_of_range_ids_are_invalid(void **state)
{
    fm_db *db = fresh_store("psmapi2.fmstore");
    fm_namedprops *np = map_of(db);
    ULONG id = 1234;
    MAPINAMEID s = str_name(&PS_MAPI, u"Subject");
    assert_int_equal(fm_namedprops_id_of(np, &s, 1, &id), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "PS_MAPI"));
    static const LONG bad[] = { 0, -1, 0x8000, 0xFFFE, 0x10000 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        MAPINAMEID n = id_name(&PS_MAPI, bad[i]);
        assert_int_equal(fm_namedprops_id_of(np, &n, 1, &id), MAPI_E_INVALID_PARAMETER);
    }
    assert_int_equal(id, 1234);
    assert_int_equal(row_count(db), 0);
    fm_namedprops_free(np);
    fm_db_close(db);
}

static void invalid_names_and_arguments_are_refused_with_text(void **state)
{
    fm_db *db = fresh_store("invalid.fmstore");
    fm_namedprops *np = map_of(db);
    ULONG id = 0;
    MAPINAMEID n = id_name(NULL, 1);
    assert_int_equal(fm_namedprops_id_of(np, &n, 1, &id), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "lpguid"));
    n = id_name(&PSET_TEST, 1);
    n.ulKind = 2;
    assert_int_equal(fm_namedprops_id_of(np, &n, 1, &id), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "ulKind"));
    n = id_name(&PS_MAPI, 1);
    n.ulKind = 7;
    assert_int_equal(fm_namedprops_id_of(np, &n, 1, &id), MAPI_E_INVALID_PARAMETER);
    n = str_name(&PSET_TEST, NULL);
    assert_int_equal(fm_namedprops_id_of(np, &n, 1, &id), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "NULL"));
    static const WCHAR lone_high[] = { 'a', 0xD800, 'b', 0 };
    static const WCHAR lone_low[] = { 0xDC00, 0 };
    n = str_name(&PSET_TEST, lone_high);
    assert_int_equal(fm_namedprops_id_of(np, &n, 1, &id), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "UTF-16"));
    n = str_name(&PSET_TEST, lone_low);
    assert_int_equal(fm_namedprops_id_of(np, &n, 1, &id), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_namedprops_id_of(np, NULL, 1, &id), MAPI_E_INVALID_PARAMETER);
    n = id_name(&PSET_TEST, 1);
    assert_int_equal(fm_namedprops_id_of(np, &n, 1, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_namedprops_id_of(NULL, &n, 1, &id), MAPI_E_INVALID_PARAMETER);
    LPMAPINAMEID out;
    assert_int_equal(fm_namedprops_name_of(NULL, 0x8000, NULL, &out), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_namedprops_name_of(np, 0x8000, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_namedprops_foreach(np, NULL, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    fm_namedprops *none = (fm_namedprops *)1;
    assert_int_equal(fm_namedprops_new(NULL, &none), MAPI_E_INVALID_PARAMETER);
    assert_null(none);
    assert_int_equal(fm_namedprops_new(db, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(row_count(db), 0);
    fm_namedprops_free(np);
    fm_namedprops_free(NULL);
    fm_db_close(db);
}

static void unassigned_and_out_of_range_ids_have_no_name(void **state)
{
    fm_db *db = fresh_store("noname.fmstore");
    fm_namedprops *np = map_of(db);
    LPMAPINAMEID n = (LPMAPINAMEID)1;
    assert_int_equal(fm_namedprops_name_of(np, 0x8000, NULL, &n), MAPI_E_NOT_FOUND);
    assert_null(n);
    assert_non_null(strstr(fmapi_last_error(), "0x8000"));
    assert_int_equal(fm_namedprops_name_of(np, 0, NULL, &n), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_namedprops_name_of(np, 0xFFFF, NULL, &n), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_namedprops_name_of(np, 0x10000, NULL, &n), MAPI_E_NOT_FOUND);
    create(np, id_name(&PSET_TEST, 3));
    assert_int_equal(fm_namedprops_name_of(np, 0x8001, NULL, &n), MAPI_E_NOT_FOUND);
    fm_namedprops_free(np);
    fm_db_close(db);
}

static void names_link_into_the_callers_buffer_chain(void **state)
{
    fm_db *db = fresh_store("chain.fmstore");
    fm_namedprops *np = map_of(db);
    ULONG id = create(np, str_name(&PSET_TEST, u"Linked \U0001F600"));
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    void *parent;
    assert_int_equal(MAPIAllocateBuffer(32, &parent), S_OK);
    LPMAPINAMEID n1, n2, n3;
    assert_int_equal(fm_namedprops_name_of(np, id, parent, &n1), S_OK);
    assert_int_equal(fm_namedprops_name_of(np, id, parent, &n2), S_OK); /* cached now */
    assert_int_equal(fm_namedprops_name_of(np, 0x0E1D, parent, &n3), S_OK);
    assert_true(fm_alloc_is_mapi_buffer(n1));
    assert_wstr_equal(n1->Kind.lpwstrName, u"Linked \U0001F600");
    assert_wstr_equal(n2->Kind.lpwstrName, u"Linked \U0001F600");
    assert_memory_equal(n2->lpguid, &PSET_TEST, sizeof(GUID));
    assert_int_equal(n3->Kind.lID, 0x0E1D);
    MAPIFreeBuffer(parent); /* releases all three names, GUIDs and strings */
    fmapi_alloc_stats s;
    fmapi_alloc_get_stats(&s);
    assert_int_equal(s.live_mapi_buffers, b.stats.live_mapi_buffers);
    fm_namedprops_free(np);
    fm_db_close(db);
}

/* ---- several connections and processes -------------------------------------------------- */

static void a_name_created_elsewhere_is_found_after_a_miss(void **state)
{
    fm_db *a = fresh_store("two.fmstore");
    fm_db *b;
    assert_int_equal(fm_db_open(store_path("two.fmstore"), 0, &FM_STORE_SCHEMA, &b), S_OK);
    fm_namedprops *na = map_of(a), *nb = map_of(b);
    MAPINAMEID n = str_name(&PSET_TEST, u"late");
    ULONG id;
    assert_int_equal(fm_namedprops_id_of(nb, &n, 0, &id), MAPI_E_NOT_FOUND);
    ULONG created = create(na, n);
    assert_int_equal(lookup(nb, n), created); /* the miss was not remembered */
    LPMAPINAMEID out;
    ULONG other = create(na, id_name(&PSET_TEST, 99));
    assert_int_equal(fm_namedprops_name_of(nb, other, NULL, &out), S_OK);
    assert_int_equal(out->Kind.lID, 99);
    MAPIFreeBuffer(out);
    assert_int_equal(create(nb, str_name(&PSET_TEST, u"from b")), other + 1);
    fm_namedprops_free(na);
    fm_namedprops_free(nb);
    fm_db_close(a);
    fm_db_close(b);
}

#define RACE_NAMES 300

typedef struct racer {
    const char *path;
    int reverse;
    ULONG ids[RACE_NAMES];
    HRESULT hr;
} racer;

/* Creates the RACE_NAMES shared names on its own connection; alternating
 * numeric and string names. */
static HRESULT race_names(const char *path, int reverse, ULONG *ids)
{
    fm_db *db;
    HRESULT hr = fm_db_open(path, 0, &FM_STORE_SCHEMA, &db);
    if (hr != S_OK)
        return hr;
    fm_namedprops *np;
    hr = fm_namedprops_new(db, &np);
    for (int k = 0; hr == S_OK && k < RACE_NAMES; k++) {
        int i = reverse ? RACE_NAMES - 1 - k : k;
        WCHAR buf[32];
        gen_name(buf, "race-", (unsigned)i);
        MAPINAMEID n = (i % 2) ? id_name(&PSET_TEST, i) : str_name(&PSET_TEST, buf);
        hr = fm_namedprops_id_of(np, &n, 1, &ids[i]);
    }
    fm_namedprops_free(np);
    fm_db_close(db);
    return hr;
}

static void *racer_main(void *arg)
{
    racer *r = arg;
    r->hr = race_names(r->path, r->reverse, r->ids);
    return NULL;
}

static void two_connections_creating_the_same_names_agree(void **state)
{
    fm_db *db = fresh_store("race.fmstore");
    static racer r[2];
    r[0].path = r[1].path = store_path("race.fmstore");
    r[0].reverse = 0;
    r[1].reverse = 1;
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, racer_main, &r[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(r[0].hr, S_OK);
    assert_int_equal(r[1].hr, S_OK);
    assert_memory_equal(r[0].ids, r[1].ids, sizeof r[0].ids);
    assert_int_equal(row_count(db), RACE_NAMES);
    assert_int_equal(duplicate_count(db), 0);
    fm_db_close(db);
}

static void a_forked_process_creating_the_same_names_agrees(void **state)
{
    const char *p = store_path("fork.fmstore");
    /* no connection may cross fork(): the child opens its own */
    fm_db_close(fresh_store("fork.fmstore"));
    int go[2], result[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(result), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        char c;
        ULONG ids[RACE_NAMES];
        if (read(go[0], &c, 1) != 1)
            fm_test_child_exit(2);
        if (race_names(p, 1, ids) != S_OK)
            fm_test_child_exit(3);
        if (write(result[1], ids, sizeof ids) != (ssize_t)sizeof ids)
            fm_test_child_exit(4);
        fm_test_child_exit(0);
    }
    static ULONG mine[RACE_NAMES], theirs[RACE_NAMES];
    assert_int_equal(write(go[1], "g", 1), 1); /* both start together */
    assert_int_equal(race_names(p, 0, mine), S_OK);
    size_t got = 0;
    while (got < sizeof theirs) {
        ssize_t r = read(result[0], (char *)theirs + got, sizeof theirs - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    int status;
    waitpid(child, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(got, sizeof theirs);
    for (int i = 0; i < 2; i++) {
        close(go[i]);
        close(result[i]);
    }
    assert_memory_equal(mine, theirs, sizeof mine);
    fm_db *db;
    assert_int_equal(fm_db_open(p, 0, &FM_STORE_SCHEMA, &db), S_OK);
    int64_t rows = row_count(db), dups = duplicate_count(db);
    fm_db_close(db);
    assert_int_equal(rows, RACE_NAMES);
    assert_int_equal(dups, 0);
}

/* ---- running out of IDs ---------------------------------------------------------------- */

static void all_32767_ids_can_be_used_and_then_creation_fails(void **state)
{
    fm_db *db = fresh_store("full.fmstore");
    fm_namedprops *np = map_of(db);
    const ULONG total = FM_NAMEDPROP_ID_MAX - FM_NAMEDPROP_ID_MIN + 1;
    assert_int_equal(total, 32767);
    assert_int_equal(fm_db_begin(db), S_OK);
    for (ULONG i = 0; i < total; i++) {
        MAPINAMEID n = id_name(&PSET_TEST, (LONG)i);
        ULONG id = 0;
        assert_int_equal(fm_namedprops_id_of(np, &n, 1, &id), S_OK);
        if (id != FM_NAMEDPROP_ID_MIN + i)
            fail_msg("name %lu got id 0x%lX", (unsigned long)i, (unsigned long)id);
    }
    /* a failure inside the caller's transaction leaves it open and intact */
    MAPINAMEID extra = str_name(&PSET_TEST, u"one too many");
    ULONG id = 0;
    assert_int_equal(fm_namedprops_id_of(np, &extra, 1, &id), MAPI_E_NOT_ENOUGH_RESOURCES);
    assert_non_null(strstr(fmapi_last_error(), "32,767"));
    assert_int_equal(sqlite3_get_autocommit(db->conn), 0);
    assert_int_equal(fm_db_commit(db), S_OK);
    assert_int_equal(row_count(db), total);

    assert_int_equal(fm_namedprops_id_of(np, &extra, 1, &id), MAPI_E_NOT_ENOUGH_RESOURCES);
    assert_int_equal(fm_namedprops_id_of(np, &extra, 0, &id), MAPI_E_NOT_FOUND);
    assert_int_equal(lookup(np, id_name(&PSET_TEST, 0)), FM_NAMEDPROP_ID_MIN);
    assert_int_equal(lookup(np, id_name(&PSET_TEST, 32766)), FM_NAMEDPROP_ID_MAX);
    assert_int_equal(create(np, id_name(&PSET_TEST, 12345)), FM_NAMEDPROP_ID_MIN + 12345);
    LPMAPINAMEID n;
    assert_int_equal(fm_namedprops_name_of(np, FM_NAMEDPROP_ID_MAX, NULL, &n), S_OK);
    assert_int_equal(n->Kind.lID, 32766);
    MAPIFreeBuffer(n);
    assert_int_equal(row_count(db), total);

    /* a gap (a row removed by hand) is found, lowest first */
    assert_int_equal(fm_db_exec(db, "DELETE FROM named_props WHERE id IN (32777, 40000)"),
                     S_OK);
    assert_int_equal(create(np, str_name(&PSET_TEST, u"gap one")), 32777);
    assert_int_equal(create(np, str_name(&PSET_TEST, u"gap two")), 40000);
    assert_int_equal(fm_db_exec(db, "DELETE FROM named_props WHERE id = 32768"), S_OK);
    assert_int_equal(create(np, str_name(&PSET_TEST, u"gap three")), 32768);
    assert_int_equal(fm_namedprops_id_of(np, &extra, 1, &id), MAPI_E_NOT_ENOUGH_RESOURCES);
    fm_namedprops_free(np);
    fm_db_close(db);
}

/* ---- the cache ------------------------------------------------------------------------- */

#define MANY_NAMES 10000

static void fill_many(fm_db *db, fm_namedprops *np)
{
    assert_int_equal(fm_db_begin(db), S_OK);
    for (unsigned i = 0; i < MANY_NAMES; i++) {
        WCHAR buf[32];
        gen_name(buf, "many-", i);
        assert_int_equal(create(np, str_name(&PSET_TEST, buf)), FM_NAMEDPROP_ID_MIN + i);
    }
    assert_int_equal(fm_db_commit(db), S_OK);
}

static void look_up_range(fm_namedprops *np, unsigned from, unsigned to)
{
    for (unsigned i = from; i < to; i++) {
        WCHAR buf[32];
        gen_name(buf, "many-", i);
        assert_int_equal(lookup(np, str_name(&PSET_TEST, buf)), FM_NAMEDPROP_ID_MIN + i);
    }
}

static void the_cache_stays_bounded_over_ten_thousand_names(void **state)
{
    fm_db *db = fresh_store("many.fmstore");
    fm_namedprops *np = map_of(db);
    fill_many(db, np);
    fm_namedprops_free(np);
    /* one pass first, so SQLite's page cache holds the whole table */
    np = map_of(db);
    look_up_range(np, 0, MANY_NAMES);
    fm_namedprops_free(np);

    np = map_of(db);
    fmapi_alloc_stats s0, s1, s2, s3;
    fmapi_alloc_get_stats(&s0);
    look_up_range(np, 0, MANY_NAMES / 2);
    fmapi_alloc_get_stats(&s1);
    look_up_range(np, MANY_NAMES / 2, MANY_NAMES);
    fmapi_alloc_get_stats(&s2);
    /* the cache holds exactly FM_NAMEDPROPS_CACHE_MAX entries and then
     * replaces old ones: memory does not grow with the number of names */
    /* freemapi's own blocks: SQLite's (its statement and page caches, bounded
     * by the connection's settings) are counted apart */
#define OWN_BLOCKS(s) ((s).live_blocks - (s).live_sqlite_blocks)
#define OWN_BYTES(s) ((s).live_bytes - (s).live_sqlite_bytes)
    assert_int_equal(OWN_BLOCKS(s1) - OWN_BLOCKS(s0), FM_NAMEDPROPS_CACHE_MAX);
    assert_int_equal(OWN_BLOCKS(s2), OWN_BLOCKS(s1));
    assert_int_equal(OWN_BYTES(s2), OWN_BYTES(s1));
    for (ULONG id = FM_NAMEDPROP_ID_MIN; id < FM_NAMEDPROP_ID_MIN + MANY_NAMES; id++) {
        LPMAPINAMEID n;
        assert_int_equal(fm_namedprops_name_of(np, id, NULL, &n), S_OK);
        MAPIFreeBuffer(n);
    }
    fmapi_alloc_get_stats(&s3);
    assert_int_equal(OWN_BLOCKS(s3), OWN_BLOCKS(s1));
    assert_int_equal(OWN_BYTES(s3), OWN_BYTES(s1));
    /* evicted names are still found, through the database */
    look_up_range(np, 0, 10);
    fm_namedprops_free(np);
    fm_db_close(db);
}

static void a_cached_name_is_answered_without_allocating(void **state)
{
    fm_db *db = fresh_store("hit.fmstore");
    fm_namedprops *np = map_of(db);
    MAPINAMEID n = str_name(&PSET_TEST, u"hot");
    ULONG id = create(np, n), again = 0;
    fmapi_alloc_fail_from(1); /* any allocation, SQLite's included, would fail */
    HRESULT hr = fm_namedprops_id_of(np, &n, 0, &again);
    fmapi_alloc_fail_off();
    assert_int_equal(hr, S_OK);
    assert_int_equal(again, id);
    fm_namedprops_free(np);
    fm_db_close(db);
}

static void names_created_inside_a_rolled_back_transaction_are_forgotten(void **state)
{
    fm_db *db = fresh_store("rollback.fmstore");
    fm_namedprops *np = map_of(db);
    MAPINAMEID n = str_name(&PSET_TEST, u"ephemeral");
    assert_int_equal(fm_db_begin(db), S_OK);
    ULONG id = create(np, n);
    assert_int_equal(lookup(np, n), id);
    LPMAPINAMEID out;
    assert_int_equal(fm_namedprops_name_of(np, id, NULL, &out), S_OK);
    MAPIFreeBuffer(out);
    fm_db_rollback(db);
    ULONG after;
    assert_int_equal(fm_namedprops_id_of(np, &n, 0, &after), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_namedprops_name_of(np, id, NULL, &out), MAPI_E_NOT_FOUND);
    fm_namedprops_free(np);
    fm_db_close(db);
}

/* ---- foreach ------------------------------------------------------------------------------- */

typedef struct visit {
    ULONG ids[16];
    int count;
    int stop_after;
} visit;

static HRESULT record(void *ctx, ULONG id)
{
    visit *v = ctx;
    if (v->count < 16)
        v->ids[v->count] = id;
    v->count++;
    return v->stop_after && v->count >= v->stop_after ? MAPI_E_USER_CANCEL : S_OK;
}

static void foreach_visits_every_name_or_one_set(void **state)
{
    fm_db *db = fresh_store("foreach.fmstore");
    fm_namedprops *np = map_of(db);
    visit v = { { 0 }, 0, 0 };
    assert_int_equal(fm_namedprops_foreach(np, NULL, record, &v), S_OK);
    assert_int_equal(v.count, 0);
    create(np, id_name(&PSET_TEST, 1));                     /* 0x8000 */
    create(np, str_name(&PS_PUBLIC_STRINGS, u"Keywords")); /* 0x8001 */
    create(np, str_name(&PSET_TEST, u"two"));              /* 0x8002 */
    create(np, id_name(&PS_MAPI, 0x37));                    /* not stored */
    assert_int_equal(fm_namedprops_foreach(np, NULL, record, &v), S_OK);
    assert_int_equal(v.count, 3);
    assert_int_equal(v.ids[0], 0x8000);
    assert_int_equal(v.ids[1], 0x8001);
    assert_int_equal(v.ids[2], 0x8002);
    visit w = { { 0 }, 0, 0 };
    assert_int_equal(fm_namedprops_foreach(np, &PSET_TEST, record, &w), S_OK);
    assert_int_equal(w.count, 2);
    assert_int_equal(w.ids[0], 0x8000);
    assert_int_equal(w.ids[1], 0x8002);
    visit x = { { 0 }, 0, 0 };
    assert_int_equal(fm_namedprops_foreach(np, &PS_MAPI, record, &x), S_OK);
    assert_int_equal(x.count, 0);
    visit y = { { 0 }, 0, 2 };
    assert_int_equal(fm_namedprops_foreach(np, NULL, record, &y), MAPI_E_USER_CANCEL);
    assert_int_equal(y.count, 2);
    fm_namedprops_free(np);
    fm_db_close(db);
}

static HRESULT look_up_inside(void *ctx, ULONG id)
{
    fm_namedprops *np = ctx;
    LPMAPINAMEID n;
    HRESULT hr = fm_namedprops_name_of(np, id, NULL, &n);
    if (hr != S_OK)
        return hr;
    ULONG back = 0;
    hr = fm_namedprops_id_of(np, n, 1, &back);
    MAPIFreeBuffer(n);
    return hr == S_OK && back != id ? MAPI_E_CALL_FAILED : hr;
}

static void foreach_callbacks_may_use_the_map(void **state)
{
    fm_db *db = fresh_store("foreach2.fmstore");
    fm_namedprops *np = map_of(db);
    for (LONG i = 0; i < 200; i++)
        create(np, id_name(&PSET_TEST, i));
    assert_int_equal(fm_namedprops_foreach(np, NULL, look_up_inside, np), S_OK);
    fm_namedprops_free(np);
    fm_db_close(db);
}

/* ---- leaks and allocation failures --------------------------------------------------------- */

static void a_whole_session_leaks_nothing(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    fm_db *db = fresh_store("leak.fmstore");
    fm_namedprops *np = map_of(db);
    for (LONG i = 0; i < 50; i++) {
        WCHAR buf[32];
        gen_name(buf, "leak-", (unsigned)i);
        create(np, str_name(&PSET_TEST, buf));
        create(np, id_name(&PSET_TEST, i));
    }
    LPMAPINAMEID n;
    assert_int_equal(fm_namedprops_name_of(np, 0x8003, NULL, &n), S_OK);
    MAPIFreeBuffer(n);
    visit v = { { 0 }, 0, 0 };
    assert_int_equal(fm_namedprops_foreach(np, NULL, record, &v), S_OK);
    assert_int_equal(v.count, 100);
    fm_namedprops_free(np);
    fm_db_close(db);
    fm_test_assert_no_leak(&b);
}

typedef struct oom_ctx {
    const char *path;
    unsigned round;
    ULONG string_id;
    void *parent_size; /* non-NULL: name_of into a parent buffer */
} oom_ctx;

/* Each sweep body opens its own connection and map, so every run starts
 * with cold caches and leaves the counters where it found them. */
static HRESULT with_map(oom_ctx *c, HRESULT (*op)(oom_ctx *, fm_namedprops *))
{
    fm_db *db;
    HRESULT hr = fm_db_open(c->path, 0, &FM_STORE_SCHEMA, &db);
    if (hr != S_OK)
        return hr;
    fm_namedprops *np;
    hr = fm_namedprops_new(db, &np);
    if (hr == S_OK) {
        hr = op(c, np);
        fm_namedprops_free(np);
    }
    fm_db_close(db);
    return hr;
}

static HRESULT op_create(oom_ctx *c, fm_namedprops *np)
{
    WCHAR buf[32];
    gen_name(buf, "oom-", c->round++);
    MAPINAMEID n = str_name(&PSET_TEST, buf);
    ULONG id;
    HRESULT hr = fm_namedprops_id_of(np, &n, 1, &id);
    if (hr != S_OK)
        return hr;
    /* created means stored: it must be there for the next lookup */
    ULONG again;
    hr = fm_namedprops_id_of(np, &n, 0, &again);
    return hr == S_OK && again != id ? MAPI_E_CALL_FAILED : hr;
}

static HRESULT op_lookup(oom_ctx *c, fm_namedprops *np)
{
    MAPINAMEID n = str_name(&PSET_TEST, u"sweep \U0001F600");
    ULONG id;
    HRESULT hr = fm_namedprops_id_of(np, &n, 0, &id);
    if (hr == S_OK && id != c->string_id)
        return MAPI_E_CALL_FAILED;
    MAPINAMEID m = id_name(&PSET_TEST, 77);
    return hr == S_OK ? fm_namedprops_id_of(np, &m, 0, &id) : hr;
}

static HRESULT op_name_of(oom_ctx *c, fm_namedprops *np)
{
    void *parent = NULL;
    if (c->parent_size != NULL && MAPIAllocateBuffer(8, &parent) != S_OK)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    LPMAPINAMEID n = NULL;
    HRESULT hr = fm_namedprops_name_of(np, c->string_id, parent, &n);
    if (hr == S_OK && fm_utf16_len(n->Kind.lpwstrName) != 8)
        hr = MAPI_E_CALL_FAILED;
    if (hr == S_OK && n->lpguid->Data1 != PSET_TEST.Data1)
        hr = MAPI_E_CALL_FAILED;
    if (hr == S_OK && parent == NULL)
        MAPIFreeBuffer(n);
    MAPIFreeBuffer(parent);
    return hr;
}

static HRESULT op_foreach(oom_ctx *c, fm_namedprops *np)
{
    visit v = { { 0 }, 0, 0 };
    HRESULT hr = fm_namedprops_foreach(np, NULL, record, &v);
    return hr == S_OK && v.count < 2 ? MAPI_E_CALL_FAILED : hr;
}

static HRESULT sweep_create(void *ctx)
{
    return with_map(ctx, op_create);
}

static HRESULT sweep_lookup(void *ctx)
{
    return with_map(ctx, op_lookup);
}

static HRESULT sweep_name_of(void *ctx)
{
    return with_map(ctx, op_name_of);
}

static HRESULT sweep_foreach(void *ctx)
{
    return with_map(ctx, op_foreach);
}

static void every_function_survives_every_allocation_failure(void **state)
{
    fm_db *db = fresh_store("oom.fmstore");
    fm_namedprops *np = map_of(db);
    oom_ctx c = { store_path("oom.fmstore"), 0, 0, NULL };
    c.string_id = create(np, str_name(&PSET_TEST, u"sweep \U0001F600"));
    create(np, id_name(&PSET_TEST, 77));
    fm_namedprops_free(np);
    fm_db_close(db);

    unsigned points = fm_test_oom_sweep(sweep_create, &c);
    print_message("id_of with create: %u allocation points\n", points);
    assert_true(points > 10);
    points = fm_test_oom_sweep(sweep_lookup, &c);
    print_message("id_of lookup: %u allocation points\n", points);
    assert_true(points > 10);
    points = fm_test_oom_sweep(sweep_name_of, &c);
    print_message("name_of: %u allocation points\n", points);
    c.parent_size = &c;
    assert_true(fm_test_oom_sweep(sweep_name_of, &c) > points); /* + the parent */
    points = fm_test_oom_sweep(sweep_foreach, &c);
    print_message("foreach: %u allocation points\n", points);
    assert_true(points > 10);
}

int main(void)
{
    /* SQLite keeps a little process-wide state after first use. */
    fm_db *warm;
    if (fm_db_open(store_path("warm.fmstore"), FM_DB_CREATE, &FM_STORE_SCHEMA, &warm) == S_OK)
        fm_db_close(warm);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numeric_names_get_ids_from_0x8000_in_order),
        cmocka_unit_test(string_names_round_trip_in_any_script),
        cmocka_unit_test(string_names_compare_case_sensitively),
        cmocka_unit_test(sets_kinds_and_values_keep_names_apart),
        cmocka_unit_test(ids_are_stable_across_reopening),
        cmocka_unit_test(ps_mapi_ids_map_to_themselves_and_are_never_stored),
        cmocka_unit_test(ps_mapi_strings_and_out_of_range_ids_are_invalid),
        cmocka_unit_test(invalid_names_and_arguments_are_refused_with_text),
        cmocka_unit_test(unassigned_and_out_of_range_ids_have_no_name),
        cmocka_unit_test(names_link_into_the_callers_buffer_chain),
        cmocka_unit_test(a_name_created_elsewhere_is_found_after_a_miss),
        cmocka_unit_test(two_connections_creating_the_same_names_agree),
        cmocka_unit_test(a_forked_process_creating_the_same_names_agrees),
        cmocka_unit_test(all_32767_ids_can_be_used_and_then_creation_fails),
        cmocka_unit_test(the_cache_stays_bounded_over_ten_thousand_names),
        cmocka_unit_test(a_cached_name_is_answered_without_allocating),
        cmocka_unit_test(names_created_inside_a_rolled_back_transaction_are_forgotten),
        cmocka_unit_test(foreach_visits_every_name_or_one_set),
        cmocka_unit_test(foreach_callbacks_may_use_the_map),
        cmocka_unit_test(a_whole_session_leaks_nothing),
        cmocka_unit_test(every_function_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
