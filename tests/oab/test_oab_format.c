/*
 * tests/oab/test_oab_format.c - the files fmapi_oab_generate writes: the
 * CRC and SHA-1 against known vectors, the integer encoding, every record
 * read back by our parser and compared with the source entries (each
 * column type, accents, empty and absent values, multi-valued), the
 * container decompressed by libmspack and compared byte for byte with the
 * uncompressed full details file, the manifest against sha1sum, and the
 * argument and entry errors, each leaving the previous OAB in place.
 */
#include "core/alloc.h"
#include "core/text.h"
#include "oab_test_util.h"

/* ---- the building blocks against known values ---- */

static void crc_is_the_802_3_crc_seeded_with_ones_and_not_complemented(void **state)
{
    (void)state;
    /* CRC-32 of "123456789" is 0xCBF43926 with the final complement. */
    assert_int_equal(fm_oab_crc32(FM_OAB_CRC_INIT, "123456789", 9), 0xCBF43926u ^ 0xFFFFFFFFu);
    uint32_t split = fm_oab_crc32(fm_oab_crc32(FM_OAB_CRC_INIT, "1234", 4), "56789", 5);
    assert_int_equal(split, 0xCBF43926u ^ 0xFFFFFFFFu);
}

static void sha1_matches_the_fips_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *in, *hex;
    } v[] = {{"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
             {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
             {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
              "84983e441c3bd26ebaae4aa1f95129e5e54670f1"}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        fm_oab_sha1 s;
        BYTE d[20];
        char hex[41];
        fm_oab_sha1_init(&s);
        fm_oab_sha1_update(&s, v[i].in, strlen(v[i].in));
        fm_oab_sha1_final(&s, d);
        for (int k = 0; k < 20; k++)
            snprintf(hex + 2 * k, 3, "%02x", d[k]);
        assert_string_equal(hex, v[i].hex);
    }
}

static void integers_use_one_byte_up_to_0x7f_then_a_length_byte(void **state)
{
    (void)state;
    static const struct {
        uint32_t v;
        BYTE out[5];
        size_t n;
    } t[] = {{0, {0x00}, 1},
             {0x7F, {0x7F}, 1},
             {0x80, {0x81, 0x80}, 2},
             {0xFF, {0x81, 0xFF}, 2},
             {0x100, {0x82, 0x00, 0x01}, 3},
             {0xFFFF, {0x82, 0xFF, 0xFF}, 3},
             {0x10000, {0x83, 0x00, 0x00, 0x01}, 4},
             {0x01000000, {0x84, 0x00, 0x00, 0x00, 0x01}, 5},
             {0xFFFFFFFF, {0x84, 0xFF, 0xFF, 0xFF, 0xFF}, 5}};
    fm_oab_buf b;
    assert_int_equal(fm_oab_buf_init(&b, 16), S_OK);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        b.len = 0;
        assert_int_equal(fm_oab_encode_int(&b, t[i].v), S_OK);
        assert_int_equal(b.len, t[i].n);
        assert_memory_equal(b.data, t[i].out, t[i].n);
    }
    b.len = 14;
    assert_int_equal(fm_oab_encode_int(&b, 0xFFFFFFFF), MAPI_E_TOO_BIG);
    fm_oab_buf_clear(&b);
}

/* ---- entries covering every column type ---- */

static const WCHAR w_name[] = u"José Müller-Øre";
static const WCHAR w_smtp[] = u"jose@example.org";
static const WCHAR w_empty[] = u"";
static LPWSTR w_proxies[] = {(LPWSTR)u"SMTP:jose@example.org", (LPWSTR)u"smtp:jm@example.org"};
static LPSTR a_members[] = {"/o=Example/cn=a", "/o=Example/cn=Ü"};
static LONG longs[] = {0, 0x7F, 0x80, 0xFFFF, 0x10000, -1};
static BYTE cert1[] = {1, 2, 3, 0, 255};
static SBinary certs[] = {{sizeof cert1, cert1}, {0, NULL}};
static BYTE blob[300];

#define COL_BIN PROP_TAG(PT_BINARY, 0x6700)
#define COL_MVL PROP_TAG(PT_MV_LONG, 0x6701)
#define COL_MVA PROP_TAG(PT_MV_STRING8, 0x6702)
#define COL_A PROP_TAG(PT_STRING8, 0x6703)

static const fmapi_oab_prop all_types[] = {
    {PR_EMAIL_ADDRESS_W, FMAPI_OAB_PRIMARY_KEY},
    {PR_DISPLAY_NAME_W, FMAPI_OAB_ANR},
    {PR_SMTP_ADDRESS_W, FMAPI_OAB_ANR | FMAPI_OAB_PRIMARY_KEY},
    {PR_DISPLAY_TYPE, 0},
    {PR_SEND_RICH_INFO, 0},
    {COL_BIN, 0},
    {COL_MVL, 0},
    {COL_MVA, 0},
    {COL_A, 0},
    {PR_EMS_AB_PROXY_ADDRESSES_W, 0},
    {FM_OAB_PR_EMS_AB_MEMBER_DNS, 0},
    {PR_EMS_AB_X509_CERT, 0},
};

static SPropValue e0[] = {
    {PR_EMAIL_ADDRESS_A, 0, {.lpszA = "/o=Example/cn=jose"}},
    {PR_DISPLAY_NAME_W, 0, {.lpszW = (LPWSTR)w_name}},
    {PR_SMTP_ADDRESS_W, 0, {.lpszW = (LPWSTR)w_smtp}},
    {PR_DISPLAY_TYPE, 0, {.l = 0x12345}},
    {PR_SEND_RICH_INFO, 0, {.b = 1}},
    {COL_BIN, 0, {.bin = {sizeof blob, blob}}},
    {COL_MVL, 0, {.MVl = {6, longs}}},
    {PROP_TAG(PT_MV_STRING8, 0x6702), 0, {.MVszA = {2, a_members}}},
    {PROP_TAG(PT_UNICODE, 0x6703), 0, {.lpszW = (LPWSTR)w_name}},
    {PR_EMS_AB_PROXY_ADDRESSES_W, 0, {.MVszW = {2, w_proxies}}},
    {PROP_TAG(PT_MV_STRING8, 0x8009), 0, {.MVszA = {2, a_members}}},
    {PR_EMS_AB_X509_CERT, 0, {.MVbin = {2, certs}}},
};

/* Empty values, absent ones, PT_ERROR (absent), an unknown column (ignored),
 * a duplicate (the first wins), a false boolean. */
static SPropValue e1[] = {
    {PROP_TAG(PT_ERROR, 0x3001), 0, {.err = MAPI_E_NOT_FOUND}},
    {PR_SMTP_ADDRESS_W, 0, {.lpszW = (LPWSTR)w_empty}},
    {PR_EMAIL_ADDRESS_W, 0, {.lpszW = (LPWSTR)w_empty}},
    {PR_EMAIL_ADDRESS_A, 0, {.lpszA = "second"}},
    {PR_SEND_RICH_INFO, 0, {.b = 0}},
    {COL_BIN, 0, {.bin = {0, NULL}}},
    {COL_MVL, 0, {.MVl = {0, NULL}}},
    {PROP_TAG(PT_LONG, 0x6FFF), 0, {.l = 5}},
    {PROP_TAG(PT_NULL, 0x6700), 0, {.l = 0}},
};

static SPropValue e2[] = {
    {PR_EMAIL_ADDRESS_A, 0, {.lpszA = "/o=Example/cn=only"}},
    {PR_SMTP_ADDRESS_A, 0, {.lpszA = "only@example.org"}},
};

static const fmapi_oab_entry entries[] = {
    {sizeof e0 / sizeof e0[0], e0}, {sizeof e1 / sizeof e1[0], e1}, {sizeof e2 / sizeof e2[0], e2}};
#define N_ENTRIES 3

/* ---- comparing what the parser reads with the source ---- */

static void to_utf8(const SPropValue *v, char *out, size_t cap)
{
    if (PROP_TYPE(v->ulPropTag) == PT_UNICODE) {
        size_t n = fm_utf16_len(v->Value.lpszW);
        assert_true(3 * n + 1 <= cap);
        fm_utf16_to_utf8_into(v->Value.lpszW, n, out);
    } else {
        snprintf(out, cap, "%s", v->Value.lpszA);
    }
}

static const char *mv_elem_utf8(const SPropValue *v, ULONG i, char *buf, size_t cap)
{
    SPropValue one = {0};
    bool wide = PROP_TYPE(v->ulPropTag) == PT_MV_UNICODE;
    one.ulPropTag = wide ? PT_UNICODE : PT_STRING8;
    if (wide)
        one.Value.lpszW = v->Value.MVszW.lppszW[i];
    else
        one.Value.lpszA = v->Value.MVszA.lppszA[i];
    to_utf8(&one, buf, cap);
    return buf;
}

static void assert_same_value(const SPropValue *want, const SPropValue *got)
{
    char a[512], b[512];
    ULONG t = PROP_TYPE(got->ulPropTag);
    switch (t) {
    case PT_LONG:
        assert_int_equal((uint32_t)want->Value.l, (uint32_t)got->Value.l);
        break;
    case PT_BOOLEAN:
        assert_int_equal(!!want->Value.b, got->Value.b);
        break;
    case PT_STRING8:
    case PT_UNICODE:
        to_utf8(want, a, sizeof a);
        to_utf8(got, b, sizeof b);
        assert_string_equal(a, b);
        break;
    case PT_BINARY:
        assert_int_equal(want->Value.bin.cb, got->Value.bin.cb);
        if (want->Value.bin.cb)
            assert_memory_equal(want->Value.bin.lpb, got->Value.bin.lpb, want->Value.bin.cb);
        break;
    default:
        assert_int_equal(want->Value.MVl.cValues, got->Value.MVl.cValues);
        for (ULONG i = 0; i < got->Value.MVl.cValues; i++) {
            if (t == PT_MV_LONG)
                assert_int_equal((uint32_t)want->Value.MVl.lpl[i], (uint32_t)got->Value.MVl.lpl[i]);
            else if (t == PT_MV_BINARY) {
                assert_int_equal(want->Value.MVbin.lpbin[i].cb, got->Value.MVbin.lpbin[i].cb);
                if (got->Value.MVbin.lpbin[i].cb)
                    assert_memory_equal(want->Value.MVbin.lpbin[i].lpb, got->Value.MVbin.lpbin[i].lpb,
                                        got->Value.MVbin.lpbin[i].cb);
            } else
                assert_string_equal(mv_elem_utf8(want, i, a, sizeof a), mv_elem_utf8(got, i, b, sizeof b));
        }
    }
}

/* The value the generator should have taken for column tag from entry e. */
static const SPropValue *expected(const fmapi_oab_entry *e, ULONG tag)
{
    for (ULONG i = 0; i < e->cValues; i++) {
        ULONG t = PROP_TYPE(e->lpProps[i].ulPropTag);
        if (PROP_ID(e->lpProps[i].ulPropTag) == PROP_ID(tag) && t != PT_ERROR && t != PT_NULL)
            return &e->lpProps[i];
    }
    return NULL;
}

typedef struct check_ctx {
    const fmapi_oab_entry *entries;
    const fmapi_oab_options *opt;
    ULONG seen;
    bool header_seen;
} check_ctx;

static HRESULT check_header(check_ctx *c, ULONG n, const SPropValue *p)
{
    char buf[512];
    assert_int_equal(n, 4);
    assert_int_equal(p[0].ulPropTag, PR_OAB_NAME_W);
    to_utf8(&p[0], buf, sizeof buf);
    assert_string_equal(buf, c->opt->name);
    assert_int_equal(p[1].ulPropTag, PR_OAB_DN);
    assert_string_equal(p[1].Value.lpszA, c->opt->dn);
    assert_int_equal(p[2].ulPropTag, PR_OAB_SEQUENCE);
    assert_int_equal(p[2].Value.l, c->opt->ulSequence);
    assert_int_equal(p[3].ulPropTag, PR_OAB_CONTAINER_GUID);
    assert_string_equal(p[3].Value.lpszA, c->opt->guid);
    c->header_seen = true;
    return S_OK;
}

static HRESULT check_record(void *ctx, const fm_oab_read_info *info, bool is_header, ULONG index,
                            ULONG n, const SPropValue *p)
{
    check_ctx *c = ctx;
    if (is_header)
        return check_header(c, n, p);
    assert_int_equal(index, c->seen);
    const fmapi_oab_entry *e = &c->entries[index];
    ULONG k = 0;
    for (ULONG col = 0; col < info->cProps; col++) {
        const SPropValue *want = expected(e, info->props[col].ulPropTag);
        if (!want)
            continue;
        assert_true(k < n);
        assert_int_equal(p[k].ulPropTag, info->props[col].ulPropTag);
        assert_same_value(want, &p[k]);
        k++;
    }
    assert_int_equal(k, n);
    c->seen++;
    return S_OK;
}

/* ---- generating into a fresh directory ---- */

static const char *fresh_dir(const char *name)
{
    static char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", fm_test_tmpdir(), name);
    mkdir(dir, 0755);
    return dir;
}

static HRESULT generate_entries(const char *dir, const fmapi_oab_options *o, const fmapi_oab_entry *es,
                                ULONG n, fmapi_oab_result *r)
{
    array_source a = {es, n, 0};
    fmapi_oab_source src = {&a, array_next};
    return fmapi_oab_generate(&src, dir, o, r);
}

static void every_record_reads_back_as_its_entry(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof blob; i++)
        blob[i] = (BYTE)(i * 7);
    const char *dir = fresh_dir("roundtrip");
    fmapi_oab_options o = test_options(3);
    o.ulFlags = FMAPI_OAB_WRITE_UNCOMPRESSED;
    o.cProps = sizeof all_types / sizeof all_types[0];
    o.lpProps = all_types;
    o.cPageSize = 2;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    fmapi_oab_result r;
    assert_int_equal(generate_entries(dir, &o, entries, N_ENTRIES, &r), S_OK);
    fm_test_assert_no_leak(&b);
    assert_int_equal(r.cEntries, N_ENTRIES);

    char plain[512], name[128];
    snprintf(name, sizeof name, "%.*s.oab", (int)strlen(r.szFile) - 4, r.szFile);
    path_in(plain, sizeof plain, dir, name);
    check_ctx c = {entries, &o, 0, false};
    fm_oab_read_info info;
    assert_int_equal(fm_oab_read_details(plain, check_record, &c, &info), S_OK);
    assert_true(c.header_seen);
    assert_int_equal(c.seen, N_ENTRIES);
    assert_int_equal(info.ulTotRecs, N_ENTRIES);
    assert_int_equal(info.cProps, o.cProps);
    fm_test_assert_no_leak(&b);
}

static void the_property_tables_carry_the_anr_and_primary_key_flags(void **state)
{
    (void)state;
    const char *dir = fresh_dir("flags");
    fmapi_oab_options o = test_options(1);
    o.ulFlags = FMAPI_OAB_WRITE_UNCOMPRESSED;
    o.cProps = sizeof all_types / sizeof all_types[0];
    o.lpProps = all_types;
    fmapi_oab_result r;
    assert_int_equal(generate_entries(dir, &o, entries, N_ENTRIES, &r), S_OK);
    char plain[512], name[128];
    snprintf(name, sizeof name, "%.*s.oab", (int)strlen(r.szFile) - 4, r.szFile);
    path_in(plain, sizeof plain, dir, name);
    size_t len = 0;
    BYTE *f = (BYTE *)slurp(plain, &len);
    assert_non_null(f);
    assert_int_equal(len, r.cbUncompressed);
    assert_int_equal(fm_oab_get32(f), 0x20);                   /* ulVersion */
    assert_int_equal(fm_oab_get32(f + 8), N_ENTRIES);           /* ulTotRecs */
    assert_int_equal(fm_oab_get32(f + 4), fm_oab_crc32(FM_OAB_CRC_INIT, f + 12, len - 12));
    ULONG ncols = (ULONG)o.cProps;
    assert_int_equal(fm_oab_get32(f + 12), 4 + 4 + 4 * 8 + 4 + ncols * 8); /* cbSize */
    assert_int_equal(fm_oab_get32(f + 16), 4);                 /* header table cAtts */
    const BYTE *t = f + 16 + 4 + 4 * 8;
    assert_int_equal(fm_oab_get32(t), ncols);
    for (ULONG i = 0; i < ncols; i++) {
        assert_int_equal(fm_oab_get32(t + 4 + 8 * i), all_types[i].ulPropTag);
        assert_int_equal(fm_oab_get32(t + 8 + 8 * i), all_types[i].ulFlags);
    }
    /* The second address record (e1) has no display name: bit 1 clear. */
    const BYTE *hdr_rec = t + 4 + 8 * ncols;
    const BYTE *rec0 = hdr_rec + fm_oab_get32(hdr_rec);
    const BYTE *rec1 = rec0 + fm_oab_get32(rec0);
    assert_int_equal(rec0[4], 0xFF);
    assert_int_equal(rec1[4] & 0x40, 0);
    assert_int_equal(rec1[4] & 0x80, 0x80);
    free(f);
}

/* ---- libmspack, the independent reader ---- */

static void files_equal(const char *a, const char *b)
{
    size_t na, nb;
    char *x = slurp(a, &na), *y = slurp(b, &nb);
    assert_non_null(x);
    assert_non_null(y);
    assert_int_equal(na, nb);
    assert_memory_equal(x, y, na);
    free(x);
    free(y);
}

static void libmspack_decompresses_the_container_to_the_full_details_file(void **state)
{
    (void)state;
    static syn_source s;
    static const ULONG blocks[] = {4096, 65536, 262144, 1048576};
    for (size_t k = 0; k < 8; k++) {
        bool stored = k >= 4;
        char name0[32];
        snprintf(name0, sizeof name0, "mspack%zu", k);
        const char *dir = fresh_dir(name0);
        memset(&s, 0, sizeof s);
        s.count = 3000;
        fmapi_oab_source src = {&s, syn_next};
        fmapi_oab_options o = test_options(7);
        o.ulFlags = FMAPI_OAB_WRITE_UNCOMPRESSED | (stored ? FMAPI_OAB_STORE_BLOCKS : 0);
        o.cbBlockMax = blocks[k % 4];
        fmapi_oab_result r;
        assert_int_equal(fmapi_oab_generate(&src, dir, &o, &r), S_OK);
        assert_int_equal(r.cEntries, 3000);
        assert_true(r.cbUncompressed > 2 * blocks[0]);
        if (stored)
            assert_true(r.cbCompressed > r.cbUncompressed);
        else
            assert_true(r.cbCompressed < r.cbUncompressed / 3);
        char lzx[512], plain[512], out[512], ours[512], name[128];
        path_in(lzx, sizeof lzx, dir, r.szFile);
        snprintf(name, sizeof name, "%.*s.oab", (int)strlen(r.szFile) - 4, r.szFile);
        path_in(plain, sizeof plain, dir, name);
        path_in(out, sizeof out, dir, "mspack.out");
        path_in(ours, sizeof ours, dir, "ours.out");
        assert_int_equal(mspack_unpack(lzx, out), MSPACK_ERR_OK);
        files_equal(out, plain);
        /* Our reader checks stored blocks' CRCs and does not read LZX. */
        assert_int_equal(fm_oab_container_unpack(lzx, ours), stored ? S_OK : MAPI_E_NO_SUPPORT);
        if (stored)
            files_equal(ours, plain);
        struct stat st;
        assert_int_equal(stat(lzx, &st), 0);
        assert_int_equal((uint64_t)st.st_size, r.cbCompressed);
        unlink(out);
        unlink(ours);
    }
}

static void libmspack_refuses_a_compressed_block_with_a_wrong_crc(void **state)
{
    (void)state;
    static syn_source s;
    const char *dir = fresh_dir("badcrc");
    memset(&s, 0, sizeof s);
    s.count = 2000;
    fmapi_oab_source src = {&s, syn_next};
    fmapi_oab_options o = test_options(1);
    o.cbBlockMax = 65536;
    fmapi_oab_result r;
    assert_int_equal(fmapi_oab_generate(&src, dir, &o, &r), S_OK);
    char lzx[512], out[512];
    path_in(lzx, sizeof lzx, dir, r.szFile);
    path_in(out, sizeof out, dir, "x.out");
    /* The second block starts after LZX_HDR, the first block's header and
     * its FM_OAB_FIRST_BLOCK bytes; its ulCRC is 12 bytes into its header. */
    size_t at = FM_OAB_LZX_HDR_SIZE + FM_OAB_LZX_BLK_SIZE + FM_OAB_FIRST_BLOCK;
    FILE *f = fopen(lzx, "r+b");
    BYTE h[16];
    fseek(f, (long)at, SEEK_SET);
    assert_int_equal(fread(h, 1, 16, f), 16);
    assert_int_equal(fm_oab_get32(h), FM_OAB_BLK_LZX);
    fseek(f, (long)at + 12, SEEK_SET);
    fputc(h[12] ^ 0x01, f);
    fclose(f);
    assert_int_equal(mspack_unpack(lzx, out), MSPACK_ERR_CHECKSUM);
    unlink(out);
}

static void a_corrupted_block_fails_our_crc_check(void **state)
{
    (void)state;
    const char *dir = fresh_dir("corrupt");
    fmapi_oab_options o = test_options(1);
    fmapi_oab_result r;
    assert_int_equal(generate_entries(dir, &o, entries + 2, 1, &r), S_OK);
    char lzx[512], out[512];
    path_in(lzx, sizeof lzx, dir, r.szFile);
    path_in(out, sizeof out, dir, "x.out");
    FILE *f = fopen(lzx, "r+b");
    fseek(f, 40, SEEK_SET);
    int c = fgetc(f);
    fseek(f, 40, SEEK_SET);
    fputc(c ^ 0x55, f);
    fclose(f);
    assert_int_equal(fm_oab_container_unpack(lzx, out), MAPI_E_CORRUPT_DATA);
    assert_non_null(strstr(fmapi_last_error(), "CRC"));
    unlink(out);
}

/* Writes a copy of src with byte off xor-ed, or cut to len when len != 0. */
static void damaged_copy(const char *src, const char *dst, size_t off, size_t len)
{
    size_t n = 0;
    char *b = slurp(src, &n);
    assert_non_null(b);
    if (len == 0)
        b[off] ^= 0x40;
    FILE *f = fopen(dst, "wb");
    fwrite(b, 1, len ? len : n, f);
    fclose(f);
    free(b);
}

static void our_parser_rejects_damaged_files(void **state)
{
    (void)state;
    const char *dir = fresh_dir("damaged");
    fmapi_oab_options o = test_options(1);
    o.ulFlags = FMAPI_OAB_WRITE_UNCOMPRESSED;
    fmapi_oab_result r;
    assert_int_equal(generate_entries(dir, &o, entries, N_ENTRIES, &r), S_OK);
    char plain[512], bad[512], name[128];
    snprintf(name, sizeof name, "%.*s.oab", (int)strlen(r.szFile) - 4, r.szFile);
    path_in(plain, sizeof plain, dir, name);
    path_in(bad, sizeof bad, dir, "bad.oab");
    fm_oab_read_info info;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    damaged_copy(plain, bad, 0, 0); /* ulVersion */
    assert_int_equal(fm_oab_read_details(bad, NULL, NULL, &info), MAPI_E_CORRUPT_DATA);
    damaged_copy(plain, bad, 5, 0); /* ulSerial */
    assert_int_equal(fm_oab_read_details(bad, NULL, NULL, &info), MAPI_E_CORRUPT_DATA);
    assert_non_null(strstr(fmapi_last_error(), "ulSerial"));
    damaged_copy(plain, bad, 8, 0); /* ulTotRecs */
    assert_int_equal(fm_oab_read_details(bad, NULL, NULL, &info), MAPI_E_CORRUPT_DATA);
    damaged_copy(plain, bad, (size_t)r.cbUncompressed - 3, 0); /* a value */
    assert_int_equal(fm_oab_read_details(bad, NULL, NULL, &info), MAPI_E_CORRUPT_DATA);
    for (size_t cut = 1; cut < r.cbUncompressed; cut += 7) {
        damaged_copy(plain, bad, 0, cut);
        assert_int_equal(fm_oab_read_details(bad, NULL, NULL, &info), MAPI_E_CORRUPT_DATA);
    }
    assert_int_equal(fm_oab_read_details(NULL, NULL, NULL, &info), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_oab_read_details("/nonexistent/x.oab", NULL, NULL, &info), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_oab_container_unpack("/nonexistent/x.lzx", bad), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_oab_container_unpack(plain, bad), MAPI_E_CORRUPT_DATA); /* not a container */
    fm_test_assert_no_leak(&b);
    unlink(bad);
}

static void the_manifest_names_the_file_with_its_sizes_and_sha1(void **state)
{
    (void)state;
    const char *dir = fresh_dir("manifest");
    fmapi_oab_options o = test_options(42);
    o.name = "A & B <\"list\">";
    fmapi_oab_result r;
    assert_int_equal(generate_entries(dir, &o, entries + 2, 1, &r), S_OK);
    char xmlp[512], cmd[1100], lzx[512];
    path_in(xmlp, sizeof xmlp, dir, "oab.xml");
    path_in(lzx, sizeof lzx, dir, r.szFile);
    char *xml = slurp(xmlp, NULL);
    assert_non_null(xml);
    char want[512];
    snprintf(want, sizeof want,
             "<Full seq=\"42\" ver=\"32\" size=\"%llu\" uncompressedsize=\"%llu\" SHA=\"%s\">%s</Full>",
             (unsigned long long)r.cbCompressed, (unsigned long long)r.cbUncompressed, r.szSha1,
             r.szFile);
    assert_non_null(strstr(xml, want));
    assert_non_null(strstr(xml, "name=\"A &amp; B &lt;&quot;list&quot;&gt;\""));
    assert_non_null(strstr(xml, "id=\"6d2b5b2c-1f0e-4b7a-9a51-2f5c0d3e4a11\""));
    free(xml);
    snprintf(cmd, sizeof cmd, "sha1sum '%s'", lzx);
    FILE *p = popen(cmd, "r");
    char sum[64] = "";
    assert_non_null(fgets(sum, sizeof sum, p));
    pclose(p);
    assert_memory_equal(sum, r.szSha1, 40);
    assert_int_equal(strncmp(r.szFile, "oab-42-", 7), 0);
}

static void a_new_generation_replaces_the_old_and_removes_older_files(void **state)
{
    (void)state;
    const char *dir = fresh_dir("generations");
    fmapi_oab_options o = test_options(1);
    fmapi_oab_result r1, r2, r3;
    assert_int_equal(generate_entries(dir, &o, entries + 2, 1, &r1), S_OK);
    o.ulSequence = 2;
    assert_int_equal(generate_entries(dir, &o, entries, N_ENTRIES, &r2), S_OK);
    char p[512];
    path_in(p, sizeof p, dir, r1.szFile);
    assert_int_equal(access(p, F_OK), 0); /* the previous file stays one generation */
    o.ulSequence = 3;
    assert_int_equal(generate_entries(dir, &o, entries + 2, 1, &r3), S_OK);
    assert_int_equal(access(p, F_OK), -1);
    path_in(p, sizeof p, dir, r2.szFile);
    assert_int_equal(access(p, F_OK), 0);
    assert_int_equal(count_files(dir, "oab-"), 2);
    assert_int_equal(count_files(dir, ".fm-oab-tmp-"), 0);
    assert_int_equal(oab_valid_count(dir), 1);
}

/* ---- errors: each leaves the previous OAB as it was ---- */

typedef struct failing_source {
    int mode; /* 0: error, 1: too many entries */
    SPropValue v;
    fmapi_oab_entry e[4];
} failing_source;

static HRESULT failing_next(void *ctx, ULONG cMax, ULONG *n, const fmapi_oab_entry **out)
{
    failing_source *f = ctx;
    if (f->mode == 0)
        return MAPI_E_NETWORK_ERROR;
    *n = cMax + 1;
    *out = f->e;
    return S_OK;
}

static char prev_xml[4096];

static void keep_previous(const char *dir)
{
    char p[512];
    path_in(p, sizeof p, dir, "oab.xml");
    char *x = slurp(p, NULL);
    assert_non_null(x);
    snprintf(prev_xml, sizeof prev_xml, "%s", x);
    free(x);
}

static void assert_previous_intact(const char *dir)
{
    char p[512];
    path_in(p, sizeof p, dir, "oab.xml");
    char *x = slurp(p, NULL);
    assert_non_null(x);
    assert_string_equal(x, prev_xml);
    free(x);
    assert_int_equal(count_files(dir, ".fm-oab-tmp-"), 0);
    assert_in_range(count_files(dir, "oab-"), 1, 2); /* the live file, maybe its predecessor */
    assert_int_equal(oab_valid_count(dir), 1);
}

static void expect_failure(const char *dir, const fmapi_oab_options *o, const fmapi_oab_entry *es,
                           ULONG n, HRESULT want)
{
    assert_int_equal(generate_entries(dir, o, es, n, NULL), want);
    assert_true(strlen(fmapi_last_error()) > 0);
    assert_previous_intact(dir);
}

static void bad_arguments_are_refused_with_text(void **state)
{
    (void)state;
    const char *dir = fresh_dir("badargs");
    fmapi_oab_options o = test_options(1);
    assert_int_equal(generate_entries(dir, &o, entries + 2, 1, NULL), S_OK);
    keep_previous(dir);
    array_source a = {entries, 1, 0};
    fmapi_oab_source src = {&a, array_next}, nofn = {&a, NULL};
    assert_int_equal(fmapi_oab_generate(NULL, dir, &o, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_oab_generate(&nofn, dir, &o, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_oab_generate(&src, NULL, &o, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_oab_generate(&src, "", &o, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_oab_generate(&src, dir, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_oab_generate(&src, "/nonexistent/oab", &o, NULL), MAPI_E_NOT_FOUND);

    fmapi_oab_options bad = o;
    bad.ulFlags = 0x80;
    expect_failure(dir, &bad, entries, 1, MAPI_E_UNKNOWN_FLAGS);
    bad = o, bad.ulSequence = 0;
    expect_failure(dir, &bad, entries, 1, MAPI_E_INVALID_PARAMETER);
    bad = o, bad.name = "";
    expect_failure(dir, &bad, entries, 1, MAPI_E_INVALID_PARAMETER);
    bad = o, bad.dn = NULL;
    expect_failure(dir, &bad, entries, 1, MAPI_E_INVALID_PARAMETER);
    bad = o, bad.guid = "\xC3\x28";
    expect_failure(dir, &bad, entries, 1, MAPI_E_INVALID_PARAMETER);
    bad = o, bad.cPageSize = FM_OAB_PAGE_MAX + 1;
    expect_failure(dir, &bad, entries, 1, MAPI_E_INVALID_PARAMETER);
    bad = o, bad.cbBlockMax = 100;
    expect_failure(dir, &bad, entries, 1, MAPI_E_INVALID_PARAMETER);
    bad = o, bad.cbRecordMax = FM_OAB_RECORD_MAX + 1;
    expect_failure(dir, &bad, entries, 1, MAPI_E_INVALID_PARAMETER);
    bad = o, bad.cProps = 2, bad.lpProps = NULL;
    expect_failure(dir, &bad, entries, 1, MAPI_E_INVALID_PARAMETER);
    fmapi_oab_prop cols[2] = {{PR_EMAIL_ADDRESS_W, 0x10}, {PR_DISPLAY_NAME_W, 0}};
    bad = o, bad.cProps = 2, bad.lpProps = cols;
    expect_failure(dir, &bad, entries, 1, MAPI_E_UNKNOWN_FLAGS);
    cols[0].ulFlags = 0;
    cols[1].ulPropTag = PROP_TAG(PT_STRING8, 0x3003); /* the same ID twice */
    expect_failure(dir, &bad, entries, 1, MAPI_E_INVALID_PARAMETER);
    cols[1].ulPropTag = PROP_TAG(PT_LONG, 0);
    expect_failure(dir, &bad, entries, 1, MAPI_E_INVALID_PARAMETER);
}

static void only_the_oab_types_can_be_columns(void **state)
{
    (void)state;
    const char *dir = fresh_dir("types");
    fmapi_oab_options o = test_options(1);
    assert_int_equal(generate_entries(dir, &o, entries + 2, 1, NULL), S_OK);
    keep_previous(dir);
    static const ULONG types[] = {PT_I2, PT_LONG, PT_R4, PT_DOUBLE, PT_CURRENCY, PT_APPTIME,
                                  PT_ERROR, PT_BOOLEAN, PT_OBJECT, PT_I8, PT_STRING8, PT_UNICODE,
                                  PT_SYSTIME, PT_CLSID, PT_BINARY, PT_NULL, PT_MV_I2, PT_MV_LONG,
                                  PT_MV_R4, PT_MV_DOUBLE, PT_MV_CURRENCY, PT_MV_APPTIME,
                                  PT_MV_SYSTIME, PT_MV_STRING8, PT_MV_BINARY, PT_MV_UNICODE,
                                  PT_MV_CLSID, PT_MV_I8};
    int writable = 0;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        fmapi_oab_prop cols[2] = {{PR_EMAIL_ADDRESS_W, FMAPI_OAB_PRIMARY_KEY},
                                  {PROP_TAG(types[i], 0x6600), 0}};
        fmapi_oab_options c = o;
        c.cProps = 2;
        c.lpProps = cols;
        if (fm_oab_type_writable(types[i])) {
            writable++;
            keep_previous(dir);
            assert_int_equal(generate_entries(dir, &c, entries + 2, 1, NULL), S_OK);
            keep_previous(dir);
        } else {
            expect_failure(dir, &c, entries + 2, 1, MAPI_E_INVALID_TYPE);
        }
    }
    assert_int_equal(writable, 9);
}

static void bad_entries_fail_the_generation_and_keep_the_old_oab(void **state)
{
    (void)state;
    const char *dir = fresh_dir("badentries");
    fmapi_oab_options o = test_options(1);
    assert_int_equal(generate_entries(dir, &o, entries + 2, 1, NULL), S_OK);
    keep_previous(dir);
    /* A value whose type does not fit its column. */
    SPropValue wrong[] = {{PR_EMAIL_ADDRESS_A, 0, {.lpszA = "x"}},
                          {PROP_TAG(PT_STRING8, 0x3900), 0, {.lpszA = "7"}}};
    fmapi_oab_entry w = {2, wrong};
    expect_failure(dir, &o, &w, 1, MAPI_E_INVALID_TYPE);
    /* Invalid text. */
    SPropValue badutf[] = {{PR_EMAIL_ADDRESS_A, 0, {.lpszA = "\xFF\xFE"}},
                           {PR_SMTP_ADDRESS_A, 0, {.lpszA = "u@example.org"}}};
    fmapi_oab_entry u = {2, badutf};
    expect_failure(dir, &o, &u, 1, MAPI_E_INVALID_PARAMETER);
    static const WCHAR lone[] = {0xD800, 0};
    SPropValue badw[] = {{PR_EMAIL_ADDRESS_W, 0, {.lpszW = (LPWSTR)lone}},
                         {PR_SMTP_ADDRESS_A, 0, {.lpszA = "w@example.org"}}};
    fmapi_oab_entry bw = {2, badw};
    expect_failure(dir, &o, &bw, 1, MAPI_E_INVALID_PARAMETER);
    /* A record over cbRecordMax. */
    static BYTE big[8192];
    SBinary bins[1] = {{sizeof big, big}};
    SPropValue huge[] = {{PR_EMAIL_ADDRESS_A, 0, {.lpszA = "x"}},
                         {PR_SMTP_ADDRESS_A, 0, {.lpszA = "x@example.org"}},
                         {PR_EMS_AB_X509_CERT, 0, {.MVbin = {1, bins}}}};
    fmapi_oab_entry h = {3, huge};
    fmapi_oab_options small = o;
    small.cbRecordMax = 4096;
    expect_failure(dir, &small, &h, 1, MAPI_E_TOO_BIG);
    /* Values but no array. */
    fmapi_oab_entry noarr = {3, NULL};
    expect_failure(dir, &o, &noarr, 1, MAPI_E_INVALID_PARAMETER);
    /* A source that fails, and one that hands over more than asked. */
    failing_source f = {0};
    fmapi_oab_source src = {&f, failing_next};
    assert_int_equal(fmapi_oab_generate(&src, dir, &o, NULL), MAPI_E_NETWORK_ERROR);
    assert_previous_intact(dir);
    f.mode = 1;
    o.cPageSize = 3;
    assert_int_equal(fmapi_oab_generate(&src, dir, &o, NULL), MAPI_E_INVALID_PARAMETER);
    assert_previous_intact(dir);
}

/* KB 324528: one entry without a primary key (a list with no SMTP address)
 * must not fail the whole address book; it is left out and counted. */
static void an_entry_without_a_primary_key_is_left_out_and_counted(void **state)
{
    (void)state;
    const char *dir = fresh_dir("nokey");
    fmapi_oab_options o = test_options(4);
    o.ulFlags = FMAPI_OAB_WRITE_UNCOMPRESSED;
    o.cProps = sizeof all_types / sizeof all_types[0];
    o.lpProps = all_types;
    o.cPageSize = 2;
    SPropValue nokey[] = {{PR_DISPLAY_NAME_A, 0, {.lpszA = "no keys"}}};
    SPropValue nosmtp[] = {{PR_EMAIL_ADDRESS_A, 0, {.lpszA = "/o=x/cn=list"}},
                           {PR_DISPLAY_NAME_A, 0, {.lpszA = "a list without an address"}}};
    SPropValue errsmtp[] = {{PR_EMAIL_ADDRESS_A, 0, {.lpszA = "/o=x/cn=e"}},
                            {PROP_TAG(PT_ERROR, PROP_ID(PR_SMTP_ADDRESS_A)), 0,
                             {.err = MAPI_E_NOT_FOUND}}};
    const fmapi_oab_entry source[] = {entries[2], {1, nokey}, entries[0], {2, nosmtp},
                                      {2, errsmtp}};
    const fmapi_oab_entry kept[] = {entries[2], entries[0]};
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    fmapi_oab_result r;
    assert_int_equal(generate_entries(dir, &o, source, 5, &r), S_OK);
    fm_test_assert_no_leak(&b);
    assert_int_equal(r.cEntries, 2);
    assert_int_equal(r.cSkipped, 3);
    assert_int_equal(oab_valid_count(dir), 2); /* libmspack and our parser agree */
    char plain[512], name[128];
    snprintf(name, sizeof name, "%.*s.oab", (int)strlen(r.szFile) - 4, r.szFile);
    path_in(plain, sizeof plain, dir, name);
    check_ctx c = {kept, &o, 0, false};
    fm_oab_read_info info;
    assert_int_equal(fm_oab_read_details(plain, check_record, &c, &info), S_OK);
    assert_int_equal(c.seen, 2);
    /* Every entry left out still gives a valid, empty OAB. */
    o.ulSequence = 5;
    assert_int_equal(generate_entries(dir, &o, source + 1, 1, &r), S_OK);
    assert_int_equal(r.cEntries, 0);
    assert_int_equal(r.cSkipped, 1);
    assert_int_equal(oab_valid_count(dir), 0);
}

/* The file the previous manifest named stays one generation for readers
 * that just read that manifest; its uncompressed twin, which no manifest
 * names, goes at the switch (else a run after a WRITE_UNCOMPRESSED one,
 * or after one killed between its switch and its sweep, keeps it). */
static void the_previous_uncompressed_file_goes_at_the_switch(void **state)
{
    (void)state;
    const char *dir = fresh_dir("plainprev");
    fmapi_oab_options o = test_options(1);
    fmapi_oab_result r1, r2;
    o.ulFlags = FMAPI_OAB_WRITE_UNCOMPRESSED;
    assert_int_equal(generate_entries(dir, &o, entries, N_ENTRIES, &r1), S_OK);
    assert_int_equal(count_files(dir, "oab-"), 2); /* .lzx and .oab */
    o.ulFlags = 0;
    o.ulSequence = 2;
    assert_int_equal(generate_entries(dir, &o, entries + 2, 1, &r2), S_OK);
    char p[512];
    path_in(p, sizeof p, dir, r1.szFile);
    assert_int_equal(access(p, F_OK), 0); /* the previous manifest's file */
    path_in(p, sizeof p, dir, r2.szFile);
    assert_int_equal(access(p, F_OK), 0);
    assert_int_equal(count_files(dir, "oab-"), 2);
    /* With the flag on both runs: the new pair and the previous .lzx. */
    o.ulFlags = FMAPI_OAB_WRITE_UNCOMPRESSED;
    o.ulSequence = 3;
    assert_int_equal(generate_entries(dir, &o, entries, N_ENTRIES, &r1), S_OK);
    o.ulSequence = 4;
    assert_int_equal(generate_entries(dir, &o, entries + 2, 1, &r2), S_OK);
    assert_int_equal(count_files(dir, "oab-"), 3);
    path_in(p, sizeof p, dir, r1.szFile);
    assert_int_equal(access(p, F_OK), 0);
    assert_int_equal(oab_valid_count(dir), 1);
}

static void an_empty_directory_gives_an_oab_with_no_records(void **state)
{
    (void)state;
    const char *dir = fresh_dir("empty");
    fmapi_oab_options o = test_options(1);
    fmapi_oab_result r;
    assert_int_equal(generate_entries(dir, &o, entries, 0, &r), S_OK);
    assert_int_equal(r.cEntries, 0);
    assert_int_equal(oab_valid_count(dir), 0);
    ULONG n = 0;
    const fmapi_oab_prop *d = fmapi_oab_default_props(&n);
    assert_non_null(d);
    assert_true(n >= 15);
    /* [MS-OXOAB] 2.9's minimum: ASCII SMTP address and DN (the keys),
     * Unicode display name, display type, object type. */
    static const fmapi_oab_prop want[] = {{PR_EMAIL_ADDRESS_A, FMAPI_OAB_PRIMARY_KEY},
                                          {PR_SMTP_ADDRESS_A, FMAPI_OAB_PRIMARY_KEY | FMAPI_OAB_ANR},
                                          {PR_DISPLAY_NAME_W, FMAPI_OAB_ANR},
                                          {PR_DISPLAY_TYPE, 0},
                                          {PR_OBJECT_TYPE, 0}};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        ULONG i = 0;
        while (i < n && d[i].ulPropTag != want[k].ulPropTag)
            i++;
        assert_true(i < n);
        assert_int_equal(d[i].ulFlags, want[k].ulFlags);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_is_the_802_3_crc_seeded_with_ones_and_not_complemented),
        cmocka_unit_test(sha1_matches_the_fips_vectors),
        cmocka_unit_test(integers_use_one_byte_up_to_0x7f_then_a_length_byte),
        cmocka_unit_test(every_record_reads_back_as_its_entry),
        cmocka_unit_test(the_property_tables_carry_the_anr_and_primary_key_flags),
        cmocka_unit_test(libmspack_decompresses_the_container_to_the_full_details_file),
        cmocka_unit_test(libmspack_refuses_a_compressed_block_with_a_wrong_crc),
        cmocka_unit_test(a_corrupted_block_fails_our_crc_check),
        cmocka_unit_test(our_parser_rejects_damaged_files),
        cmocka_unit_test(the_manifest_names_the_file_with_its_sizes_and_sha1),
        cmocka_unit_test(a_new_generation_replaces_the_old_and_removes_older_files),
        cmocka_unit_test(bad_arguments_are_refused_with_text),
        cmocka_unit_test(only_the_oab_types_can_be_columns),
        cmocka_unit_test(bad_entries_fail_the_generation_and_keep_the_old_oab),
        cmocka_unit_test(an_empty_directory_gives_an_oab_with_no_records),
        cmocka_unit_test(an_entry_without_a_primary_key_is_left_out_and_counted),
        cmocka_unit_test(the_previous_uncompressed_file_goes_at_the_switch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
