/*
 * tests/pst/test_ndb.c - the NDB layers of the writer and the reader
 * against each other and against [MS-PST]'s constants: the encodings and
 * the CRC, B-trees several levels deep, data trees past one XBLOCK,
 * subnode trees past one SLBLOCK, offsets past 4 GiB (a sparse file), and
 * the ANSI format's 2 GB limit.
 */
#include "pst_fixture.h"

#include "pst/ltp_read.h"
#include "pst/msg_write.h"
#include "pst/ndb_read.h"

static void permutation_decoding_inverts_encoding(void **state)
{
    (void)state;
    uint8_t b[256], c[256];
    for (int i = 0; i < 256; i++)
        b[i] = c[i] = (uint8_t)i;
    fm_pst_encode(NDB_CRYPT_PERMUTE, 0, b, sizeof b);
    assert_int_equal(b[0], 65); /* [MS-PST] 5.1 mpbbCrypt[0] */
    assert_int_equal(b[255], 61);
    bool moved = false;
    for (int i = 0; i < 256; i++)
        moved |= b[i] != c[i];
    assert_true(moved);
    fm_pst_decode(NDB_CRYPT_PERMUTE, 0, b, sizeof b);
    assert_memory_equal(b, c, sizeof b);
    fm_pst_encode(NDB_CRYPT_CYCLIC, 0x12345678, b, sizeof b);
    assert_memory_not_equal(b, c, sizeof b);
    fm_pst_decode(NDB_CRYPT_CYCLIC, 0x12345678, b, sizeof b);
    assert_memory_equal(b, c, sizeof b);
}

static void crc_is_the_reflected_crc32_started_at_zero(void **state)
{
    (void)state;
    /* CRC-32 of "123456789" is 0xCBF43926 with seed and final XOR of
     * 0xFFFFFFFF; seeded with 0 and not complemented it is this: */
    uint32_t c = fm_pst_crc(0xFFFFFFFFu, "123456789", 9) ^ 0xFFFFFFFFu;
    assert_int_equal(c, 0xCBF43926u);
    assert_int_equal(fm_pst_crc(0, "", 0), 0);
    assert_int_equal(fm_pst_sig(0x4400, 0x21), (uint16_t)((0x4421u >> 16) ^ 0x4421u));
}

typedef struct bytes_ctx {
    uint64_t n;
    uint32_t seed;
    bool same;
} bytes_ctx;

static HRESULT check_bytes(void *ctx, const uint8_t *data, uint32_t n)
{
    bytes_ctx *c = ctx;
    for (uint32_t i = 0; i < n; i++, c->n++)
        if (data[i] != (uint8_t)(c->n * 31 + c->seed))
            c->same = false;
    return S_OK;
}

/* Nodes with data of every size class, read back node by node. */
static void write_and_read(bool ansi, uint64_t skip, unsigned nodes)
{
    const char *path = px_path(ansi ? "ndb-ansi.pst" : "ndb.pst");
    char shm[64];
    /* the 5 GiB file is sparse but has an AMap every 248 KiB: on tmpfs it
     * costs about 90 MB of memory for a moment, where ext4 takes seconds to
     * unlink its twenty thousand extents */
    if (skip && access("/dev/shm", W_OK) == 0) {
        snprintf(shm, sizeof shm, "/dev/shm/fm-pst-ndb-%ld.pst", (long)getpid());
        path = shm;
    }
    fm_pst_writer *w = NULL;
    PX_OK(fm_pst_writer_open(path, ansi, NDB_CRYPT_PERMUTE, &w));
    if (skip)
        PX_OK(fm_pst_writer_skip_to(w, skip));
    static const uint32_t sizes[] = { 0, 1, 8176, 8177, 100000, 9000000 };
    uint8_t *buf = malloc(65536);
    for (unsigned i = 0; i < nodes; i++) {
        fm_pst_stream_writer s;
        PX_OK(fm_pst_stream_init(&s, w));
        uint32_t size = i < 6 ? sizes[i] : 10 + i % 100;
        for (uint64_t at = 0; at < size;) {
            uint32_t k = size - at > 65536 ? 65536 : (uint32_t)(size - at);
            for (uint32_t j = 0; j < k; j++)
                buf[j] = (uint8_t)((at + j) * 31 + i);
            PX_OK(fm_pst_stream_write(&s, buf, k));
            at += k;
        }
        uint64_t bid;
        PX_OK(fm_pst_stream_finish(&s, &bid));
        fm_pst_stream_clear(&s);
        /* the last nodes get a subnode tree wider than one SLBLOCK */
        fm_pst_subnodes subs = { 0 };
        uint64_t bsub = 0;
        if (i == nodes - 1) {
            for (unsigned k = 0; k < 1000; k++)
                PX_OK(fm_pst_subnodes_add(&subs, MAKE_NID(NID_TYPE_LTP, k + 1), bid, 0));
            PX_OK(fm_pst_subnodes_write(w, &subs, &bsub));
        }
        fm_pst_subnodes_clear(&subs);
        uint32_t nid = fm_pst_writer_new_nid(w, NID_TYPE_NORMAL_MESSAGE);
        PX_OK(fm_pst_writer_add_node(w, nid, bid, bsub, NID_ROOT_FOLDER));
    }
    free(buf);
    PX_OK(fm_pst_writer_finish(w));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    if (skip)
        assert_true((uint64_t)st.st_size > skip);

    fm_pst_file *f = NULL;
    PX_OK(fm_pst_file_open(path, &f));
    assert_int_equal(fm_pst_file_format(f)->ansi, ansi);
    for (unsigned i = 0; i < nodes; i++) {
        fm_pst_node_ref node;
        PX_OK(fm_pst_nbt_find(f, MAKE_NID(NID_TYPE_NORMAL_MESSAGE, PST_FIRST_MESSAGE_INDEX + i),
                              &node));
        assert_int_equal(node.parent, NID_ROOT_FOLDER);
        bytes_ctx c = { 0, i, true };
        PX_OK(fm_pst_data_stream(f, node.bid_data, check_bytes, &c));
        assert_true(c.same);
        assert_int_equal(c.n, i < 6 ? sizes[i] : 10 + i % 100);
        if (i == nodes - 1) {
            fm_pst_subnodes subs;
            PX_OK(fm_pst_subs_read(f, node.bid_sub, &subs));
            assert_int_equal(subs.n, 1000);
            assert_non_null(fm_pst_subs_find(&subs, MAKE_NID(NID_TYPE_LTP, 777)));
            fm_pst_subnodes_clear(&subs);
        }
    }
    fm_pst_node_ref none;
    assert_int_equal(fm_pst_nbt_find(f, 0x7FFFFFE4u, &none), MAPI_E_NOT_FOUND);
    fm_pst_file_close(f);
    unlink(path);
}

static void btrees_data_trees_and_subnodes_read_back(void **state)
{
    (void)state;
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    /* 2,000 nodes: node B-tree of three levels (15 a leaf, 20 above) */
    write_and_read(false, 0, 2000);
    write_and_read(true, 0, 2000);
    fm_test_assert_no_leak(&b);
}

static void offsets_past_4_gib_are_written_and_read(void **state)
{
    (void)state;
    write_and_read(false, 5ull << 30, 50);
}

static void an_ansi_file_stops_at_2_gb(void **state)
{
    (void)state;
    fm_pst_writer *w = NULL;
    PX_OK(fm_pst_writer_open(px_path("ansi-big.pst"), true, 0, &w));
    PX_OK(fm_pst_writer_skip_to(w, 0x7FFFF000ull));
    uint64_t bid;
    assert_int_equal(fm_pst_write_block(w, "x", 1, false, &bid), MAPI_E_TOO_BIG);
    fm_pst_writer_abort(w);
    assert_int_equal(access(px_path("ansi-big.pst"), F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(permutation_decoding_inverts_encoding),
        cmocka_unit_test(crc_is_the_reflected_crc32_started_at_zero),
        cmocka_unit_test(btrees_data_trees_and_subnodes_read_back),
        cmocka_unit_test(offsets_past_4_gib_are_written_and_read),
        cmocka_unit_test(an_ansi_file_stops_at_2_gb),
    };
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    MAPIUninitialize();
    return r;
}
