/*
 * tests/cfb/test_storage.c - compound files through IStorage and IStream:
 * what is written reads back (through us and through Python's olefile),
 * version 3 and 4, the mini stream and the DIFAT, direct and transacted
 * modes, element operations, HrIStorageFromStream, leaks and OOM sweeps.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfb/cfb.h"
#include "cfb_fixture.h"

static const size_t SIZES[] = { 0, 1, 63, 64, 65, 4095, 4096, 4097, 70000 };
#define NSIZES (sizeof SIZES / sizeof SIZES[0])

static IStorage *create(const char *name, DWORD mode)
{
    IStorage *stg = NULL;
    assert_int_equal(StgCreateDocfile(fx_w(fx_path(name)), mode, 0, &stg), S_OK);
    return stg;
}

static IStorage *open_file(const char *name, DWORD mode)
{
    IStorage *stg = NULL;
    HRESULT hr = StgOpenStorage(fx_w(fx_path(name)), NULL, mode, NULL, 0, &stg);
    if (hr != S_OK)
        fail_msg("StgOpenStorage: 0x%08X %s", (unsigned)hr, fmapi_last_error());
    return stg;
}

/* Streams s<size> of every size in the root and in sub/deeper. */
static void fill_sample(IStorage *root)
{
    IStorage *sub = NULL, *deeper = NULL;
    for (size_t i = 0; i < NSIZES; i++) {
        char name[32];
        snprintf(name, sizeof name, "s%zu", SIZES[i]);
        unsigned char *p = fx_pattern(SIZES[i], (unsigned)i);
        fx_write_stream(root, name, p, SIZES[i]);
        free(p);
    }
    assert_int_equal(IStorage_CreateStorage(root, fx_w("sub"), RW_EX, 0, 0, &sub), S_OK);
    CLSID c = { 0x12345678, 0x9ABC, 0xDEF0, { 1, 2, 3, 4, 5, 6, 7, 8 } };
    assert_int_equal(IStorage_SetClass(sub, &c), S_OK);
    assert_int_equal(IStorage_SetStateBits(sub, 0x5A, 0xFF), S_OK);
    assert_int_equal(IStorage_CreateStorage(sub, fx_w("deeper"), RW_EX, 0, 0, &deeper), S_OK);
    unsigned char *p = fx_pattern(5000, 99);
    fx_write_stream(deeper, "leaf", p, 5000);
    fx_write_stream(sub, "small", "hello", 5);
    free(p);
    IStorage_Release(deeper);
    IStorage_Release(sub);
}

static void check_sample(IStorage *root)
{
    for (size_t i = 0; i < NSIZES; i++) {
        char name[32];
        snprintf(name, sizeof name, "s%zu", SIZES[i]);
        size_t n = 0;
        unsigned char *got = fx_read_stream(root, name, &n), *want = fx_pattern(SIZES[i], (unsigned)i);
        assert_int_equal(n, SIZES[i]);
        assert_memory_equal(got, want, n);
        free(got);
        free(want);
    }
    IStorage *sub = NULL, *deeper = NULL;
    assert_int_equal(IStorage_OpenStorage(root, fx_w("SUB"), NULL, RD_EX, NULL, 0, &sub), S_OK);
    STATSTG st;
    assert_int_equal(IStorage_Stat(sub, &st, STATFLAG_DEFAULT), S_OK);
    assert_int_equal(st.type, STGTY_STORAGE);
    assert_int_equal(st.clsid.Data1, 0x12345678);
    assert_int_equal(st.grfStateBits, 0x5A);
    assert_int_equal(st.pwcsName[0], 's');
    CoTaskMemFree(st.pwcsName);
    size_t n = 0;
    unsigned char *got = fx_read_stream(sub, "small", &n);
    assert_int_equal(n, 5);
    assert_memory_equal(got, "hello", 5);
    free(got);
    assert_int_equal(IStorage_OpenStorage(sub, fx_w("deeper"), NULL, RD_EX, NULL, 0, &deeper),
                     S_OK);
    got = fx_read_stream(deeper, "leaf", &n);
    unsigned char *want = fx_pattern(5000, 99);
    assert_int_equal(n, 5000);
    assert_memory_equal(got, want, n);
    free(got);
    free(want);
    IStorage_Release(deeper);
    IStorage_Release(sub);
}

static void written_file_reads_back_every_stream_and_storage(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    IStorage *root = create("a.cfb", RW_EX | STGM_CREATE);
    fill_sample(root);
    assert_int_equal(IStorage_Commit(root, STGC_DEFAULT), S_OK);
    IStorage_Release(root);
    root = open_file("a.cfb", RD_EX);
    check_sample(root);
    IEnumSTATSTG *en = NULL;
    assert_int_equal(IStorage_EnumElements(root, 0, NULL, 0, &en), S_OK);
    STATSTG st[32];
    ULONG got = 0;
    assert_int_equal(IEnumSTATSTG_Next(en, 32, st, &got), S_FALSE);
    assert_int_equal(got, NSIZES + 1);
    for (ULONG i = 0; i < got; i++)
        CoTaskMemFree(st[i].pwcsName);
    IEnumSTATSTG_Release(en);
    IStorage_Release(root);
    fm_test_assert_no_leak(&b);
}

/* olefile walks the directory, checks it, and compares every stream with a
 * copy we wrote as a plain file. */
static const char *OLEFILE_CHECK =
    "import olefile, sys\n"
    "path, expect = sys.argv[1], sys.argv[2]\n"
    "ole = olefile.OleFileIO(path, raise_defects=olefile.DEFECT_INCORRECT)\n"
    "print('version', ole.dll_version if hasattr(ole,'dll_version') else '', ole.sector_size)\n"
    "n = 0\n"
    "for e in ole.listdir(streams=True, storages=False):\n"
    "    name = '/'.join(e)\n"
    "    data = ole.openstream(e).read()\n"
    "    want = open(expect + '/' + name.replace('/', '_'), 'rb').read()\n"
    "    if data != want:\n"
    "        print('MISMATCH', name, len(data), len(want)); sys.exit(1)\n"
    "    n += 1\n"
    "print('streams', n)\n"
    "print('clsid', ole.getclsid('sub'))\n";

static void write_expect(const char *dir, const char *name, const void *data, size_t n)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    if (n > 0)
        assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void expect_sample(const char *dir)
{
    mkdir(dir, 0700);
    for (size_t i = 0; i < NSIZES; i++) {
        char name[32];
        snprintf(name, sizeof name, "s%zu", SIZES[i]);
        unsigned char *p = fx_pattern(SIZES[i], (unsigned)i);
        write_expect(dir, name, p, SIZES[i]);
        free(p);
    }
    unsigned char *p = fx_pattern(5000, 99);
    write_expect(dir, "sub_deeper_leaf", p, 5000);
    write_expect(dir, "sub_small", "hello", 5);
    free(p);
}

static void run_olefile(const char *file, const char *expect, size_t streams, unsigned ss)
{
    char args[2400], want[64];
    snprintf(args, sizeof args, "'%s' '%s'", fx_path(file), expect);
    int status = 0;
    char *out = fx_python(OLEFILE_CHECK, args, &status);
    if (status != 0)
        fail_msg("olefile failed on %s:\n%s", file, out);
    snprintf(want, sizeof want, "streams %zu", streams);
    assert_non_null(strstr(out, want));
    snprintf(want, sizeof want, " %u\n", ss);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "12345678-9ABC-DEF0-0102-030405060708"));
    free(out);
}

static void olefile_reads_what_is_written_in_version_3(void **state)
{
    IStorage *root = create("ole3.cfb", RW_EX | STGM_CREATE);
    fill_sample(root);
    IStorage_Release(root); /* direct mode: written at release */
    expect_sample(fx_path("expect"));
    run_olefile("ole3.cfb", fx_path("expect"), NSIZES + 2, 512);
}

static void olefile_reads_version_4_and_we_keep_the_version(void **state)
{
    IStorage *root = create("ole4.cfb", RW_EX | STGM_CREATE | STGM_TRANSACTED);
    ((fm_cfb_storage *)root)->f->out_version = 4;
    fill_sample(root);
    assert_int_equal(IStorage_Commit(root, 0), S_OK);
    IStorage_Release(root);
    expect_sample(fx_path("expect"));
    run_olefile("ole4.cfb", fx_path("expect"), NSIZES + 2, 4096);
    /* Changed and committed again, it stays version 4. */
    root = open_file("ole4.cfb", RW_EX | STGM_TRANSACTED);
    fx_write_stream(root, "s1", "\x00", 0);
    unsigned char *p = fx_pattern(1, 1);
    fx_write_stream(root, "s1", p, 1);
    free(p);
    assert_int_equal(IStorage_Commit(root, 0), S_OK);
    IStorage_Release(root);
    int fd = open(fx_path("ole4.cfb"), O_RDONLY);
    unsigned char h[32];
    assert_int_equal(read(fd, h, sizeof h), (ssize_t)sizeof h);
    close(fd);
    assert_int_equal(h[26], 4);
    root = open_file("ole4.cfb", RD_EX);
    check_sample(root);
    IStorage_Release(root);
}

static void a_large_file_uses_the_difat_and_reads_back(void **state)
{
    /* 120 FAT sectors of 128 entries cover 7.5 MB: beyond the header's 109. */
    size_t n = 8u << 20;
    unsigned char *p = fx_pattern(n, 7);
    IStorage *root = create("big.cfb", RW_EX | STGM_CREATE);
    fx_write_stream(root, "big", p, n);
    fx_write_stream(root, "tiny", "x", 1);
    IStorage_Release(root);
    int fd = open(fx_path("big.cfb"), O_RDONLY);
    unsigned char h[76];
    assert_int_equal(read(fd, h, sizeof h), (ssize_t)sizeof h);
    close(fd);
    assert_true(fm_cfb_le32(h + 72) > 0); /* DIFAT sectors */
    root = open_file("big.cfb", RD_EX);
    size_t got = 0;
    unsigned char *back = fx_read_stream(root, "big", &got);
    assert_int_equal(got, n);
    assert_memory_equal(back, p, n);
    free(back);
    IStorage_Release(root);
    mkdir(fx_path("expect_big"), 0700);
    write_expect(fx_path("expect_big"), "big", p, n);
    write_expect(fx_path("expect_big"), "tiny", "x", 1);
    free(p);
    char args[2400];
    snprintf(args, sizeof args, "'%s' '%s'", fx_path("big.cfb"), fx_path("expect_big"));
    int status = 0;
    char *out = fx_python("import olefile,sys\n"
                          "ole=olefile.OleFileIO(sys.argv[1],raise_defects=olefile.DEFECT_INCORRECT)\n"
                          "for n in ('big','tiny'):\n"
                          "  assert ole.openstream(n).read()==open(sys.argv[2]+'/'+n,'rb').read(),n\n"
                          "print('ok')\n",
                          args, &status);
    if (status != 0 || strstr(out, "ok") == NULL)
        fail_msg("olefile: %s", out);
    free(out);
}

static void transacted_changes_vanish_without_commit_and_revert_restores(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    IStorage *root = create("t.cfb", RW_EX | STGM_CREATE | STGM_TRANSACTED);
    fx_write_stream(root, "kept", "one", 3);
    assert_int_equal(IStorage_Commit(root, 0), S_OK);
    fx_write_stream(root, "lost", "two", 3);
    IStream *open_one = NULL;
    assert_int_equal(IStorage_CreateStream(root, fx_w("open"), RW_EX, 0, 0, &open_one), S_OK);
    assert_int_equal(IStorage_Revert(root), S_OK);
    /* The stream made after the commit is gone, and its open object reverted. */
    ULONG w = 0;
    assert_int_equal(IStream_Write(open_one, "x", 1, &w), STG_E_REVERTED);
    IStream_Release(open_one);
    IStream *s = NULL;
    assert_int_equal(IStorage_OpenStream(root, fx_w("lost"), NULL, RD_EX, 0, &s),
                     STG_E_FILENOTFOUND);
    fx_write_stream(root, "lost", "two", 3);
    IStorage_Release(root); /* transacted: dropped */
    root = open_file("t.cfb", RD_EX);
    size_t n = 0;
    unsigned char *got = fx_read_stream(root, "kept", &n);
    assert_int_equal(n, 3);
    free(got);
    assert_int_equal(IStorage_OpenStream(root, fx_w("lost"), NULL, RD_EX, 0, &s),
                     STG_E_FILENOTFOUND);
    IStorage_Release(root);
    fm_test_assert_no_leak(&b);
}

static void element_operations_rename_destroy_copy_and_move(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    IStorage *root = create("ops.cfb", RW_EX | STGM_CREATE);
    fill_sample(root);
    assert_int_equal(IStorage_RenameElement(root, fx_w("s1"), fx_w("renamed")), S_OK);
    assert_int_equal(IStorage_RenameElement(root, fx_w("s0"), fx_w("renamed")),
                     STG_E_ACCESSDENIED);
    assert_int_equal(IStorage_DestroyElement(root, fx_w("s0")), S_OK);
    assert_int_equal(IStorage_DestroyElement(root, fx_w("s0")), STG_E_FILENOTFOUND);
    IStorage *other = create("copy.cfb", RW_EX | STGM_CREATE);
    assert_int_equal(IStorage_CopyTo(root, 0, NULL, NULL, other), S_OK);
    assert_int_equal(IStorage_MoveElementTo(root, fx_w("sub"), other, fx_w("moved"), STGMOVE_MOVE),
                     S_OK);
    IStorage *sub = NULL;
    assert_int_equal(IStorage_OpenStorage(root, fx_w("sub"), NULL, RD_EX, NULL, 0, &sub),
                     STG_E_FILENOTFOUND);
    /* Copying a storage into itself is refused. */
    assert_int_equal(IStorage_CopyTo(root, 0, NULL, NULL, root), STG_E_ACCESSDENIED);
    IStorage_Release(root);
    IStorage_Release(other);
    other = open_file("copy.cfb", RD_EX);
    size_t n = 0;
    unsigned char *got = fx_read_stream(other, "renamed", &n);
    assert_int_equal(n, 1);
    free(got);
    assert_int_equal(IStorage_OpenStorage(other, fx_w("moved"), NULL, RD_EX, NULL, 0, &sub), S_OK);
    got = fx_read_stream(sub, "small", &n);
    assert_int_equal(n, 5);
    free(got);
    IStorage_Release(sub);
    /* CopyTo brought the rest as it was, the storage "sub" included. */
    got = fx_read_stream(other, "s70000", &n);
    unsigned char *want = fx_pattern(70000, NSIZES - 1);
    assert_int_equal(n, 70000);
    assert_memory_equal(got, want, n);
    free(got);
    free(want);
    assert_int_equal(IStorage_OpenStorage(other, fx_w("sub"), NULL, RD_EX, NULL, 0, &sub), S_OK);
    IStorage_Release(sub);
    IStream *gone = NULL;
    assert_int_equal(IStorage_OpenStream(other, fx_w("s0"), NULL, RD_EX, 0, &gone),
                     STG_E_FILENOTFOUND);
    IStorage_Release(other);
    fm_test_assert_no_leak(&b);
}

static void elements_open_once_names_ignore_case_and_bad_names_fail(void **state)
{
    IStorage *root = create("names.cfb", RW_EX | STGM_CREATE);
    IStream *a = NULL, *b2 = NULL;
    assert_int_equal(IStorage_CreateStream(root, fx_w("Alpha"), RW_EX, 0, 0, &a), S_OK);
    assert_int_equal(IStorage_OpenStream(root, fx_w("ALPHA"), NULL, RD_EX, 0, &b2),
                     STG_E_ACCESSDENIED);
    assert_int_equal(IStorage_CreateStream(root, fx_w("alpha"), RW_EX, 0, 0, &b2),
                     STG_E_FILEALREADYEXISTS);
    assert_int_equal(IStorage_CreateStream(root, fx_w("a/b"), RW_EX, 0, 0, &b2), STG_E_INVALIDNAME);
    assert_int_equal(IStorage_CreateStream(root, fx_w("0123456789012345678901234567890123"),
                                           RW_EX, 0, 0, &b2),
                     STG_E_INVALIDNAME);
    assert_int_equal(IStorage_OpenStream(root, fx_w("Alpha"), NULL, STGM_READ, 0, &b2),
                     STG_E_INVALIDFLAG);
    IStream_Release(a);
    IStorage *ro = NULL;
    IStorage_Release(root);
    ro = open_file("names.cfb", RD_EX);
    assert_int_equal(IStorage_CreateStream(ro, fx_w("new"), RW_EX, 0, 0, &b2), STG_E_ACCESSDENIED);
    assert_int_equal(IStorage_OpenStream(ro, fx_w("alpha"), NULL, RW_EX, 0, &b2),
                     STG_E_ACCESSDENIED);
    assert_int_equal(StgCreateDocfile(fx_w(fx_path("names.cfb")), RW_EX, 0, &root),
                     STG_E_FILEALREADYEXISTS);
    IStorage_Release(ro);
}

static void streams_seek_grow_shrink_and_clone(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    IStorage *root = create("seek.cfb", RW_EX | STGM_CREATE | STGM_TRANSACTED);
    IStream *s = NULL, *c = NULL;
    assert_int_equal(IStorage_CreateStream(root, fx_w("s"), RW_EX, 0, 0, &s), S_OK);
    LARGE_INTEGER at = { .QuadPart = 10000 };
    assert_int_equal(IStream_Seek(s, at, STREAM_SEEK_SET, NULL), S_OK);
    assert_int_equal(IStream_Write(s, "end", 3, NULL), S_OK);
    ULARGE_INTEGER sz = { .QuadPart = 5000 };
    assert_int_equal(IStream_SetSize(s, sz), S_OK);
    sz.QuadPart = 6000;
    assert_int_equal(IStream_SetSize(s, sz), S_OK);
    at.QuadPart = 0;
    assert_int_equal(IStream_Seek(s, at, STREAM_SEEK_SET, NULL), S_OK);
    assert_int_equal(IStream_Clone(s, &c), S_OK);
    unsigned char buf[6000];
    ULONG got = 0;
    assert_int_equal(IStream_Read(c, buf, sizeof buf, &got), S_OK);
    assert_int_equal(got, 6000);
    for (size_t i = 0; i < 6000; i++)
        assert_int_equal(buf[i], 0);
    at.QuadPart = -1;
    assert_int_equal(IStream_Seek(s, at, STREAM_SEEK_SET, NULL), STG_E_INVALIDFUNCTION);
    ULARGE_INTEGER z = { .QuadPart = 0 };
    assert_int_equal(IStream_LockRegion(s, z, z, LOCK_WRITE), STG_E_INVALIDFUNCTION);
    IStream_Release(c);
    IStream_Release(s);
    assert_int_equal(IStorage_Commit(root, 0), S_OK);
    IStorage_Release(root);
    fm_test_assert_no_leak(&b);
}

static void a_storage_over_a_stream_writes_into_it(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    IStream *mem = NULL;
    assert_int_equal(fm_cfb_memstream_new("prefix", 6, true, &mem), S_OK);
    LARGE_INTEGER end = { .QuadPart = 0 };
    assert_int_equal(IStream_Seek(mem, end, STREAM_SEEK_END, NULL), S_OK);
    IStorage *stg = NULL;
    assert_int_equal(HrIStorageFromStream((LPUNKNOWN)mem, NULL,
                                          STGSTRM_CREATE | STGSTRM_CURRENT, &stg),
                     S_OK);
    fill_sample(stg);
    assert_int_equal(IStorage_Commit(stg, 0), S_OK);
    IStorage_Release(stg);
    /* The file starts after the six bytes that were there. */
    LARGE_INTEGER six = { .QuadPart = 6 };
    assert_int_equal(IStream_Seek(mem, six, STREAM_SEEK_SET, NULL), S_OK);
    assert_int_equal(HrIStorageFromStream((LPUNKNOWN)mem, &IID_IStream, STGSTRM_CURRENT, &stg),
                     S_OK);
    check_sample(stg);
    IStream *s = NULL;
    assert_int_equal(IStorage_CreateStream(stg, fx_w("x"), RW_EX, 0, 0, &s), STG_E_ACCESSDENIED);
    IStorage_Release(stg);
    assert_int_equal(HrIStorageFromStream((LPUNKNOWN)mem, NULL, 0x40000000, &stg),
                     MAPI_E_UNKNOWN_FLAGS);
    IStream_Release(mem);
    fm_test_assert_no_leak(&b);
}

static HRESULT write_and_read_back(void *ctx)
{
    (void)ctx;
    IStorage *root = NULL, *sub = NULL;
    IStream *s = NULL;
    HRESULT hr = StgCreateDocfile(fx_w(fx_path("oom.cfb")), RW_EX | STGM_CREATE | STGM_TRANSACTED,
                                  0, &root);
    if (hr == S_OK)
        hr = IStorage_CreateStorage(root, fx_w("sub"), RW_EX, 0, 0, &sub);
    if (hr == S_OK)
        hr = IStorage_CreateStream(sub, fx_w("big"), RW_EX, 0, 0, &s);
    static unsigned char data[9000];
    if (hr == S_OK)
        hr = IStream_Write(s, data, sizeof data, NULL);
    if (s != NULL)
        IStream_Release(s);
    s = NULL;
    if (hr == S_OK)
        hr = IStorage_CreateStream(root, fx_w("small"), RW_EX, 0, 0, &s);
    if (hr == S_OK)
        hr = IStream_Write(s, data, 100, NULL);
    if (s != NULL)
        IStream_Release(s);
    if (sub != NULL)
        IStorage_Release(sub);
    if (hr == S_OK)
        hr = IStorage_Commit(root, 0);
    if (root != NULL)
        IStorage_Release(root);
    root = NULL;
    sub = NULL;
    s = NULL;
    if (hr == S_OK)
        hr = StgOpenStorage(fx_w(fx_path("oom.cfb")), NULL, RD_EX, NULL, 0, &root);
    if (hr == S_OK)
        hr = IStorage_OpenStorage(root, fx_w("sub"), NULL, RD_EX, NULL, 0, &sub);
    if (hr == S_OK)
        hr = IStorage_OpenStream(sub, fx_w("big"), NULL, RD_EX, 0, &s);
    ULONG got = 0;
    if (hr == S_OK)
        hr = IStream_Read(s, data, sizeof data, &got);
    if (hr == S_OK && got != sizeof data)
        hr = E_FAIL;
    if (s != NULL)
        IStream_Release(s);
    if (sub != NULL)
        IStorage_Release(sub);
    if (root != NULL)
        IStorage_Release(root);
    return hr;
}

static void writing_and_reading_survive_every_allocation_failure(void **state)
{
    assert_true(fm_test_oom_sweep(write_and_read_back, NULL) > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(written_file_reads_back_every_stream_and_storage),
        cmocka_unit_test(olefile_reads_what_is_written_in_version_3),
        cmocka_unit_test(olefile_reads_version_4_and_we_keep_the_version),
        cmocka_unit_test(a_large_file_uses_the_difat_and_reads_back),
        cmocka_unit_test(transacted_changes_vanish_without_commit_and_revert_restores),
        cmocka_unit_test(element_operations_rename_destroy_copy_and_move),
        cmocka_unit_test(elements_open_once_names_ignore_case_and_bad_names_fail),
        cmocka_unit_test(streams_seek_grow_shrink_and_clone),
        cmocka_unit_test(a_storage_over_a_stream_writes_into_it),
        cmocka_unit_test(writing_and_reading_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
