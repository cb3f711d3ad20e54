/*
 * tests/props/test_filestream.c - OpenStreamOnFile(W): streams over
 * existing files, new files, unique temporary files, deletion on release,
 * clones with their own position, CopyTo, and the refusals (missing files,
 * symbolic links where a file is created, bad flags).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fm_test.h"
#include "mapiutil.h"

static char dir[512];

static int setup(void **state)
{
    const char *base = getenv("FREEMAPI_TEST_TMPDIR");
    snprintf(dir, sizeof dir, "%s/filestream-%d", base ? base : "/tmp", (int)getpid());
    mkdir(base ? base : "/tmp", 0700);
    mkdir(dir, 0700);
    return 0;
}

static void path_of(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void an_existing_file_reads_through_the_stream(void **state)
{
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    char p[600];
    path_of(p, sizeof p, "existing.txt");
    write_file(p, "hello, file");
    LPSTREAM s = NULL;
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer, STGM_READ, p, NULL, &s),
                     S_OK);
    char buf[32] = { 0 };
    ULONG got = 0;
    assert_int_equal(s->lpVtbl->Read(s, buf, sizeof buf, &got), S_OK);
    assert_int_equal(got, 11);
    assert_string_equal(buf, "hello, file");
    STATSTG st;
    assert_int_equal(s->lpVtbl->Stat(s, &st, STATFLAG_NONAME), S_OK);
    assert_int_equal(st.cbSize.QuadPart, 11);
    assert_null(st.pwcsName);
    assert_int_equal(s->lpVtbl->Write(s, "x", 1, NULL), STG_E_ACCESSDENIED);
    assert_int_equal(s->lpVtbl->Release(s), 0);
    fm_test_assert_no_leak(&base);
}

static void a_missing_file_is_not_found(void **state)
{
    char p[600];
    path_of(p, sizeof p, "missing.txt");
    LPSTREAM s = (LPSTREAM)1;
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer, STGM_READ, p, NULL, &s),
                     MAPI_E_NOT_FOUND);
    assert_null(s);
    assert_non_null(strstr(fmapi_last_error(), "does not exist"));
}

static void created_files_are_private_and_committed_writes_persist(void **state)
{
    char p[600];
    path_of(p, sizeof p, "created.bin");
    LPSTREAM s = NULL;
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer,
                                      STGM_CREATE | STGM_READWRITE, p, NULL, &s),
                     S_OK);
    ULONG put = 0;
    assert_int_equal(s->lpVtbl->Write(s, "abcdef", 6, &put), S_OK);
    assert_int_equal(put, 6);
    assert_int_equal(s->lpVtbl->Commit(s, STGC_DEFAULT), S_OK);
    LARGE_INTEGER zero = { .QuadPart = 0 };
    ULARGE_INTEGER pos;
    assert_int_equal(s->lpVtbl->Seek(s, zero, STREAM_SEEK_END, &pos), S_OK);
    assert_int_equal(pos.QuadPart, 6);
    ULARGE_INTEGER sz = { .QuadPart = 3 };
    assert_int_equal(s->lpVtbl->SetSize(s, sz), S_OK);
    s->lpVtbl->Release(s);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 3);
}

static void a_unique_temporary_file_goes_away_on_release(void **state)
{
    LPSTREAM s = NULL;
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer,
                                      SOF_UNIQUEFILENAME | STGM_CREATE | STGM_READWRITE |
                                          STGM_DELETEONRELEASE,
                                      dir, "TST", &s),
                     S_OK);
    assert_int_equal(s->lpVtbl->Write(s, "temp", 4, NULL), S_OK);
    /* Exactly one TSTxxxx.TMP file now. */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "test $(ls %s | grep -c '^TST[0-9A-F]\\{4\\}\\.TMP$') = 1", dir);
    assert_int_equal(system(cmd), 0);
    s->lpVtbl->Release(s);
    snprintf(cmd, sizeof cmd, "test $(ls %s | grep -c '^TST') = 0", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer,
                                      SOF_UNIQUEFILENAME | STGM_CREATE | STGM_READWRITE, dir,
                                      "LONG", &s),
                     MAPI_E_INVALID_PARAMETER);
}

static void clones_keep_their_own_position_and_copyto_copies(void **state)
{
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    char p[600], q[600];
    path_of(p, sizeof p, "clone.txt");
    path_of(q, sizeof q, "copy.txt");
    write_file(p, "0123456789");
    LPSTREAM s = NULL, c = NULL, d = NULL;
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer, STGM_READ, p, NULL, &s),
                     S_OK);
    char buf[4] = { 0 };
    assert_int_equal(s->lpVtbl->Read(s, buf, 3, NULL), S_OK);
    assert_int_equal(s->lpVtbl->Clone(s, &c), S_OK);
    assert_int_equal(c->lpVtbl->Read(c, buf, 3, NULL), S_OK);
    assert_memory_equal(buf, "345", 3);
    assert_int_equal(s->lpVtbl->Read(s, buf, 3, NULL), S_OK);
    assert_memory_equal(buf, "345", 3); /* the original did not move */
    s->lpVtbl->Release(s);              /* the clone keeps the file open */
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer,
                                      STGM_CREATE | STGM_READWRITE, q, NULL, &d),
                     S_OK);
    ULARGE_INTEGER all = { .QuadPart = ~0ULL }, r, w;
    assert_int_equal(c->lpVtbl->CopyTo(c, d, all, &r, &w), S_OK);
    assert_int_equal(r.QuadPart, 4);
    assert_int_equal(w.QuadPart, 4);
    c->lpVtbl->Release(c);
    d->lpVtbl->Release(d);
    FILE *f = fopen(q, "r");
    char got[16] = { 0 };
    assert_non_null(fgets(got, sizeof got, f));
    fclose(f);
    assert_string_equal(got, "6789");
    fm_test_assert_no_leak(&base);
}

static void creating_through_a_symbolic_link_is_refused(void **state)
{
    char p[600], target[600];
    path_of(p, sizeof p, "link");
    path_of(target, sizeof target, "target");
    write_file(target, "keep");
    unlink(p);
    assert_int_equal(symlink(target, p), 0);
    LPSTREAM s = NULL;
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer,
                                      STGM_CREATE | STGM_READWRITE, p, NULL, &s),
                     MAPI_E_NO_ACCESS);
    FILE *f = fopen(target, "r");
    char got[8] = { 0 };
    assert_non_null(fgets(got, sizeof got, f));
    fclose(f);
    assert_string_equal(got, "keep"); /* not truncated through the link */
}

static void bad_flags_are_refused_with_their_reason(void **state)
{
    char p[600];
    path_of(p, sizeof p, "flags");
    LPSTREAM s = NULL;
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer, STGM_CREATE, p, NULL,
                                      &s),
                     MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "STGM_READWRITE"));
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer, STGM_READ, NULL, NULL,
                                      &s),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer, 0x00000800, p, NULL,
                                      &s),
                     MAPI_E_UNKNOWN_FLAGS);
}

static void wide_names_open_the_same_file(void **state)
{
    char p[600];
    path_of(p, sizeof p, "wide-\xC3\xA9.txt");
    write_file(p, "w");
    WCHAR wp[600];
    size_t n = 0;
    for (const char *c = dir; *c; c++)
        wp[n++] = (WCHAR)(unsigned char)*c;
    const WCHAR tail[] = u"/wide-\u00E9.txt";
    memcpy(wp + n, tail, sizeof tail);
    LPSTREAM s = NULL;
    assert_int_equal(OpenStreamOnFileW(MAPIAllocateBuffer, MAPIFreeBuffer, STGM_READ, wp, NULL,
                                       &s),
                     S_OK);
    char c = 0;
    assert_int_equal(s->lpVtbl->Read(s, &c, 1, NULL), S_OK);
    assert_int_equal(c, 'w');
    s->lpVtbl->Release(s);
}

static HRESULT open_and_release(void *ctx)
{
    LPSTREAM s = NULL;
    HRESULT hr = OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer,
                                  SOF_UNIQUEFILENAME | STGM_CREATE | STGM_READWRITE |
                                      STGM_DELETEONRELEASE,
                                  dir, NULL, &s);
    if (s)
        s->lpVtbl->Release(s);
    return hr;
}

static void out_of_memory_leaves_no_file_and_no_leak(void **state)
{
    assert_true(fm_test_oom_sweep(open_and_release, NULL) >= 1);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "test $(ls %s | grep -c '^SOF') = 0", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_existing_file_reads_through_the_stream),
        cmocka_unit_test(a_missing_file_is_not_found),
        cmocka_unit_test(created_files_are_private_and_committed_writes_persist),
        cmocka_unit_test(a_unique_temporary_file_goes_away_on_release),
        cmocka_unit_test(clones_keep_their_own_position_and_copyto_copies),
        cmocka_unit_test(creating_through_a_symbolic_link_is_refused),
        cmocka_unit_test(bad_flags_are_refused_with_their_reason),
        cmocka_unit_test(wide_names_open_the_same_file),
        cmocka_unit_test(out_of_memory_leaves_no_file_and_no_leak),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
