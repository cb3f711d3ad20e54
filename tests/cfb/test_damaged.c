/*
 * tests/cfb/test_damaged.c - damaged compound files give clear errors,
 * never a crash, a hang or a leak: a file cut at every 512-byte boundary,
 * bytes flipped at random (a fixed seed), and hand-made structural faults
 * (a FAT chain that loops, a directory entry linked twice, sector numbers
 * past the end). Every outcome is S_OK or a documented storage error with
 * text, and whatever still reads is read.
 */
#include <fcntl.h>
#include <unistd.h>

#include "cfb/cfb.h"
#include "cfb_fixture.h"

static HRESULT walk(IStorage *stg, unsigned depth, unsigned *streams)
{
    IEnumSTATSTG *en = NULL;
    HRESULT hr = IStorage_EnumElements(stg, 0, NULL, 0, &en);
    while (hr == S_OK) {
        STATSTG st;
        ULONG got = 0;
        if (IEnumSTATSTG_Next(en, 1, &st, &got) != S_OK || got == 0)
            break;
        if (st.type == STGTY_STREAM) {
            IStream *s = NULL;
            hr = IStorage_OpenStream(stg, st.pwcsName, NULL, RD_EX, 0, &s);
            unsigned char buf[4096];
            ULONG n = 0;
            while (hr == S_OK && (hr = IStream_Read(s, buf, sizeof buf, &n)) == S_OK && n > 0)
                ;
            if (s != NULL)
                IStream_Release(s);
            if (hr == S_OK)
                (*streams)++;
        } else if (depth < 64) {
            IStorage *sub = NULL;
            hr = IStorage_OpenStorage(stg, st.pwcsName, NULL, RD_EX, NULL, 0, &sub);
            if (hr == S_OK) {
                hr = walk(sub, depth + 1, streams);
                IStorage_Release(sub);
            }
        }
        CoTaskMemFree(st.pwcsName);
    }
    if (en != NULL)
        IEnumSTATSTG_Release(en);
    return hr;
}

static bool documented(HRESULT hr)
{
    return hr == S_OK || hr == STG_E_DOCFILECORRUPT || hr == STG_E_INVALIDHEADER ||
           hr == STG_E_FILEALREADYEXISTS || hr == STG_E_READFAULT;
}

/* Opens data as a compound file in memory and reads everything in it. */
static HRESULT try_bytes(const unsigned char *data, size_t n, unsigned *streams)
{
    IStream *mem = NULL;
    IStorage *stg = NULL;
    assert_int_equal(fm_cfb_memstream_new(data, n, false, &mem), S_OK);
    HRESULT hr = HrIStorageFromStream((LPUNKNOWN)mem, NULL, STGSTRM_RESET, &stg);
    if (hr == S_OK) {
        hr = walk(stg, 0, streams);
        IStorage_Release(stg);
    }
    IStream_Release(mem);
    if (!documented(hr))
        fail_msg("undocumented result 0x%08X: %s", (unsigned)hr, fmapi_last_error());
    if (hr != S_OK && fmapi_last_error()[0] == 0)
        fail_msg("0x%08X without text", (unsigned)hr);
    return hr;
}

static unsigned char *sample(size_t *n)
{
    IStream *mem = NULL;
    IStorage *stg = NULL, *sub = NULL;
    assert_int_equal(fm_cfb_memstream_new(NULL, 0, true, &mem), S_OK);
    assert_int_equal(HrIStorageFromStream((LPUNKNOWN)mem, NULL, STGSTRM_CREATE, &stg), S_OK);
    for (unsigned i = 0; i < 12; i++) {
        char name[16];
        snprintf(name, sizeof name, "stream%u", i);
        size_t len = (size_t)i * 997 + 13;
        unsigned char *p = fx_pattern(len, i);
        fx_write_stream(stg, name, p, len);
        free(p);
    }
    assert_int_equal(IStorage_CreateStorage(stg, fx_w("sub"), RW_EX, 0, 0, &sub), S_OK);
    fx_write_stream(sub, "inner", "abc", 3);
    IStorage_Release(sub);
    assert_int_equal(IStorage_Commit(stg, 0), S_OK);
    IStorage_Release(stg);
    STATSTG st;
    assert_int_equal(IStream_Stat(mem, &st, STATFLAG_NONAME), S_OK);
    unsigned char *buf = malloc(st.cbSize.QuadPart);
    LARGE_INTEGER zero = { .QuadPart = 0 };
    IStream_Seek(mem, zero, STREAM_SEEK_SET, NULL);
    ULONG got = 0;
    IStream_Read(mem, buf, (ULONG)st.cbSize.QuadPart, &got);
    IStream_Release(mem);
    *n = got;
    return buf;
}

static void a_file_cut_anywhere_gives_an_error_or_what_is_left(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    size_t n = 0;
    unsigned char *data = sample(&n);
    unsigned whole = 0, errors = 0;
    assert_int_equal(try_bytes(data, n, &whole), S_OK);
    assert_int_equal(whole, 13);
    for (size_t cut = 0; cut < n; cut += 512) {
        unsigned streams = 0;
        errors += try_bytes(data, cut, &streams) != S_OK;
    }
    assert_true(errors > 0);
    free(data);
    fm_test_assert_no_leak(&b);
}

static void flipped_bytes_give_errors_not_crashes(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    size_t n = 0;
    unsigned char *data = sample(&n), *copy = malloc(n);
    uint32_t x = 12345;
    unsigned bad = 0;
    for (unsigned round = 0; round < 400; round++) {
        memcpy(copy, data, n);
        for (unsigned k = 0; k < 1 + round % 6; k++) {
            x = x * 1103515245u + 12345u;
            /* Half the flips land in the header and directory, where they matter. */
            size_t at = (k & 1) ? (x >> 8) % 512 : (x >> 8) % n;
            copy[at] ^= (unsigned char)(1u << (x % 8));
        }
        unsigned streams = 0;
        bad += try_bytes(copy, n, &streams) != S_OK;
    }
    assert_true(bad > 0);
    free(copy);
    free(data);
    fm_test_assert_no_leak(&b);
}

static void structural_faults_are_named(void **state)
{
    size_t n = 0;
    unsigned char *data = sample(&n), *copy = malloc(n);
    unsigned s = 0;
    /* The directory's first sector made to follow itself in the FAT. */
    memcpy(copy, data, n);
    uint32_t dir = fm_cfb_le32(copy + 48), fat0 = fm_cfb_le32(copy + 76);
    fm_cfb_put32(copy + 512 + 512 * (size_t)fat0 + 4 * (size_t)dir, dir);
    assert_int_equal(try_bytes(copy, n, &s), STG_E_DOCFILECORRUPT);
    assert_non_null(strstr(fmapi_last_error(), "loops"));
    /* The root's child linked as its own left sibling. */
    memcpy(copy, data, n);
    unsigned char *root = copy + 512 + 512 * (size_t)dir;
    uint32_t child = fm_cfb_le32(root + 76);
    fm_cfb_put32(root + 128 * (size_t)child + 68, child);
    assert_int_equal(try_bytes(copy, n, &s), STG_E_DOCFILECORRUPT);
    assert_non_null(strstr(fmapi_last_error(), "linked twice"));
    /* A FAT sector listed past the end of the file. */
    memcpy(copy, data, n);
    fm_cfb_put32(copy + 76, 0x00FFFFFF);
    assert_int_equal(try_bytes(copy, n, &s), STG_E_DOCFILECORRUPT);
    assert_non_null(strstr(fmapi_last_error(), "beyond"));
    /* Not a compound file at all: Windows' code for it. */
    assert_int_equal(try_bytes((const unsigned char *)"plain text file", 15, &s),
                     STG_E_FILEALREADYEXISTS);
    free(copy);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_file_cut_anywhere_gives_an_error_or_what_is_left),
        cmocka_unit_test(flipped_bytes_give_errors_not_crashes),
        cmocka_unit_test(structural_faults_are_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
