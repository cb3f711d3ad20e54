/*
 * tests/pst/test_damage.c - damaged and truncated PST files: every 4 KiB
 * truncation of a small PST and random byte flips give a clear error or a
 * partial import with the damage counted, never a crash, a leak or a
 * growing use of memory; damage to one message's block loses that message
 * alone; out-of-memory at every allocation of an import and an export
 * fails cleanly and the next run works.
 */
#include "pst_fixture.h"

#include "pst/ndb_read.h"

static LPMDB src;
static int nsrc;
static uint8_t *pst;
static size_t npst;

static void mailbox(void)
{
    LPMAPIFOLDER ipm = px_ipm(src);
    LPMAPIFOLDER inbox = px_subfolder(ipm, "Inbox");
    LPMAPIFOLDER sub = px_subfolder(inbox, "Sub");
    for (int i = 0; i < 24; i++) {
        LPMESSAGE m = NULL;
        PX_OK(IMAPIFolder_CreateMessage(i % 2 ? inbox : sub, NULL, 0, &m));
        char subj[64];
        snprintf(subj, sizeof subj, "Damage test %d", i);
        px_simple(m, subj, "A body that is long enough to matter.\r\n");
        px_recipients(m, 2);
        if (i % 3 == 0)
            px_attach_bytes(m, "a.bin", 2000 + (size_t)i * 100, (unsigned)i);
        if (i == 4)
            px_embed(m, 2);
        PX_OK(IMessage_SaveChanges(m, 0));
        IMessage_Release(m);
        nsrc++;
    }
    IMAPIFolder_Release(sub);
    IMAPIFolder_Release(inbox);
    IMAPIFolder_Release(ipm);
}

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(*n);
    assert_int_equal(fread(b, 1, *n, f), *n);
    fclose(f);
    return b;
}

static void spit(const char *path, const uint8_t *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    src = px_store("damage-src.fmdb");
    mailbox();
    PX_OK(fmapi_pst_export(src, px_path("damage.pst"), NULL, NULL));
    pst = slurp(px_path("damage.pst"), &npst);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(pst);
    IMsgStore_Release(src);
    MAPIUninitialize();
    return 0;
}

/* Imports bytes into a fresh store; checks the outcome is one of the
 * allowed ones and returns it. */
static HRESULT import_bytes(const uint8_t *b, size_t n, fmapi_pst_stats *st)
{
    spit(px_path("damaged.pst"), b, n);
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    LPMDB dst = px_store("damage-dst.fmdb");
    fmapi_alloc_reset_peak();
    HRESULT hr = fmapi_pst_import(dst, px_path("damaged.pst"), NULL, st);
    fmapi_alloc_stats now;
    fmapi_alloc_get_stats(&now);
    /* memory stays bounded whatever the bytes say: a few MB of the
     * reader's and the store's working set, never the file's claims */
    if (now.peak_bytes - base.stats.live_bytes > (32u << 20))
        fail_msg("an import of damaged data took %llu bytes",
                 (unsigned long long)(now.peak_bytes - base.stats.live_bytes));
    if (hr != S_OK && hr != MAPI_W_PARTIAL_COMPLETION && hr != MAPI_E_CORRUPT_DATA)
        fail_msg("import of damaged data returned 0x%08X: %s", (unsigned)hr, fmapi_last_error());
    if (hr != S_OK)
        assert_true(strstr(fmapi_last_error(), "PST") != NULL);
    if (hr == MAPI_W_PARTIAL_COMPLETION)
        assert_true(st->damaged > 0 && st->first_damage[0] != '\0');
    if (hr == S_OK)
        assert_int_equal(st->messages, (uint64_t)nsrc);
    assert_true(st->messages <= (uint64_t)nsrc);
    IMsgStore_Release(dst);
    fm_test_assert_no_leak(&base);
    return hr;
}

static void every_4k_truncation_gives_a_clear_error(void **state)
{
    (void)state;
    unsigned corrupt = 0;
    for (size_t n = 0; n < npst; n += 4096) {
        fmapi_pst_stats st;
        HRESULT hr = import_bytes(pst, n, &st);
        if (hr == MAPI_E_CORRUPT_DATA) {
            corrupt++;
            /* the text says where */
            assert_true(strstr(fmapi_last_error(), "offset") != NULL ||
                        strstr(fmapi_last_error(), "short") != NULL);
        }
    }
    assert_true(corrupt > 0);
}

static void random_flips_never_crash(void **state)
{
    (void)state;
    uint8_t *b = malloc(npst);
    uint32_t x = 12345;
    int partial = 0;
    for (int round = 0; round < 60; round++) {
        memcpy(b, pst, npst);
        int flips = 1 + round % 8;
        for (int k = 0; k < flips; k++) {
            x = x * 1103515245u + 12345u;
            /* half the flips where the structures are: the first
             * interval's blocks and the B-trees at the end */
            size_t at = (round % 2) ? (x >> 4) % npst : 0x4400 + (x >> 4) % (npst - 0x4400);
            b[at] ^= (uint8_t)(1u << (x % 8));
        }
        fmapi_pst_stats st;
        if (import_bytes(b, npst, &st) == MAPI_W_PARTIAL_COMPLETION)
            partial++;
    }
    free(b);
    assert_true(partial > 0);
}

/* The data block of the message with the n-th message NID. */
static uint64_t message_block(int n)
{
    fm_pst_file *f = NULL;
    PX_OK(fm_pst_file_open(px_path("damage.pst"), &f));
    fm_pst_node_ref node;
    PX_OK(fm_pst_nbt_find(f, MAKE_NID(NID_TYPE_NORMAL_MESSAGE, PST_FIRST_MESSAGE_INDEX + n), &node));
    uint64_t ib;
    uint16_t cb;
    PX_OK(fm_pst_block_where(f, node.bid_data, &ib, &cb));
    fm_pst_file_close(f);
    return ib;
}

static void a_damaged_message_is_skipped_and_the_rest_imported(void **state)
{
    (void)state;
    uint8_t *b = malloc(npst);
    memcpy(b, pst, npst);
    b[message_block(5) + 20] ^= 0x5A;
    fmapi_pst_stats st;
    assert_int_equal(import_bytes(b, npst, &st), MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(st.messages, (uint64_t)nsrc - 1);
    assert_int_equal(st.damaged, 1);
    assert_true(strstr(st.first_damage, "CRC") != NULL);
    free(b);
}

/* The sweeps run on one store: each import goes into a new folder (so
 * nothing is skipped as already there), each export to tmpfs when there is
 * one (its fdatasync then costs nothing). */
typedef struct oom_ctx {
    char pst[700];
    char out[700];
    LPMDB dst;
    LPMAPIFOLDER parent;
    LPMAPIFOLDER folder;
    unsigned run;
} oom_ctx;

static HRESULT oom_import(void *ctx)
{
    oom_ctx *c = ctx;
    char name[32];
    snprintf(name, sizeof name, "run %u", c->run++);
    LPMAPIFOLDER f = NULL;
    HRESULT hr = IMAPIFolder_CreateFolder(c->parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &f);
    if (hr != S_OK)
        return hr;
    fmapi_pst_import_options opt = { .lpFolder = f };
    fmapi_pst_stats st;
    hr = fmapi_pst_import(c->dst, c->pst, &opt, &st);
    if (hr == S_OK && st.damaged != 0)
        hr = MAPI_E_CALL_FAILED; /* an allocation failure is never damage */
    IMAPIFolder_Release(f);
    return hr;
}

static HRESULT oom_export(void *ctx)
{
    oom_ctx *c = ctx;
    fmapi_pst_export_options opt = { .lpFolder = c->folder, .ulFlags = FMAPI_PST_RECURSIVE };
    return fmapi_pst_export(src, c->out, &opt, NULL);
}

static void out_of_memory_fails_cleanly(void **state)
{
    (void)state;
    /* a small mailbox for the sweeps: two messages, one with an
     * attachment and an embedded message */
    LPMAPIFOLDER ipm = px_ipm(src);
    LPMAPIFOLDER small = px_subfolder(ipm, "Small");
    for (int i = 0; i < 2; i++) {
        LPMESSAGE m = NULL;
        PX_OK(IMAPIFolder_CreateMessage(small, NULL, 0, &m));
        px_simple(m, i ? "second" : "first", "body");
        px_recipients(m, 1);
        if (i == 1) {
            px_attach_bytes(m, "x.bin", 100, 1);
            px_embed(m, 1);
        }
        PX_OK(IMessage_SaveChanges(m, 0));
        IMessage_Release(m);
    }
    oom_ctx c;
    memset(&c, 0, sizeof c);
    snprintf(c.pst, sizeof c.pst, "%s", px_path("oom-src.pst"));
    if (access("/dev/shm", W_OK) == 0)
        snprintf(c.out, sizeof c.out, "/dev/shm/fm-pst-oom-%ld.pst", (long)getpid());
    else
        snprintf(c.out, sizeof c.out, "%s", px_path("oom.pst"));
    fmapi_pst_export_options opt = { .lpFolder = small };
    PX_OK(fmapi_pst_export(src, c.pst, &opt, NULL));
    c.dst = px_store("oom-dst.fmdb");
    c.parent = px_ipm(c.dst);
    c.folder = small;
    /* a first run fills the store's caches (its named-property map),
     * which stay with the store and are no leak */
    PX_OK(oom_import(&c));
    PX_OK(oom_export(&c));
    assert_true(fm_test_oom_sweep(oom_import, &c) > 100);
    assert_true(fm_test_oom_sweep(oom_export, &c) > 100);
    unlink(c.out);
    IMAPIFolder_Release(c.parent);
    IMsgStore_Release(c.dst);
    IMAPIFolder_Release(small);
    IMAPIFolder_Release(ipm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_4k_truncation_gives_a_clear_error),
        cmocka_unit_test(random_flips_never_crash),
        cmocka_unit_test(a_damaged_message_is_skipped_and_the_rest_imported),
        cmocka_unit_test(out_of_memory_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
