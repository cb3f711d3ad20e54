/*
 * tests/msg/test_files.c - .msg files from other writers: an ANSI file
 * (PT_STRING8 in code page 1252, and one in 932) imports as Unicode text;
 * a named-property map written by hand resolves by name; the CRC of the
 * name-to-ID streams is [MS-OXRTFCP]'s; and damaged files (cut at every
 * 512 bytes, bytes flipped) import what can be read, report the rest, and
 * never crash or leak.
 */
#include <unistd.h>

#include "cfb/cfb.h"
#include "msg/msg.h"
#include "msg_fixture.h"

#define RW_EX (STGM_READWRITE | STGM_SHARE_EXCLUSIVE)

static void put_stream(IStorage *stg, const char *name, const void *data, size_t n)
{
    WCHAR w[64];
    fm_msg_wname(name, w);
    IStream *s = NULL;
    assert_int_equal(IStorage_CreateStream(stg, w, RW_EX | STGM_CREATE, 0, 0, &s), S_OK);
    if (n > 0)
        assert_int_equal(IStream_Write(s, data, (ULONG)n, NULL), S_OK);
    IStream_Release(s);
}

static void entry(unsigned char *e, ULONG tag, uint32_t a, uint32_t b)
{
    fm_cfb_put32(e, tag);
    fm_cfb_put32(e + 4, PROPATTR_READABLE | PROPATTR_WRITEABLE);
    fm_cfb_put32(e + 8, a);
    fm_cfb_put32(e + 12, b);
}

/* An ANSI message as an older Outlook writes it: PT_STRING8 streams in the
 * code page of PR_MESSAGE_CODEPAGE, a recipient, an attachment and a
 * named property in __nameid_version1.0. */
static void write_ansi(const char *path, ULONG cp, const char *subject)
{
    WCHAR w[1024];
    size_t i = 0;
    for (; path[i] != 0; i++)
        w[i] = (unsigned char)path[i];
    w[i] = 0;
    IStorage *root = NULL, *sub = NULL;
    assert_int_equal(StgCreateDocfile(w, RW_EX | STGM_CREATE, 0, &root), S_OK);
    unsigned char props[32 + 16 * 5];
    memset(props, 0, sizeof props);
    fm_cfb_put32(props + 8, 1);  /* next recipient */
    fm_cfb_put32(props + 12, 1); /* next attachment */
    fm_cfb_put32(props + 16, 1);
    fm_cfb_put32(props + 20, 1);
    entry(props + 32, PR_MESSAGE_CODEPAGE, cp, 0);
    entry(props + 48, PR_SUBJECT_A, (uint32_t)strlen(subject) + 1, 0);
    entry(props + 64, PR_MESSAGE_CLASS_A, 9, 0);
    entry(props + 80, PROP_TAG(PT_LONG, 0x8000), 77, 0);
    entry(props + 96, PROP_TAG(PT_STRING8, 0x8001), 4, 0);
    put_stream(root, "__properties_version1.0", props, sizeof props);
    put_stream(root, "__substg1.0_0037001E", subject, strlen(subject));
    put_stream(root, "__substg1.0_001A001E", "IPM.Note", 8);
    put_stream(root, "__substg1.0_8001001E", "abc\0", 4); /* with a terminator */
    /* Named properties: 0x8000 is {PS_PUBLIC_STRINGS, "Score"}, 0x8001 is
     * {fx_ps_test, id 0x8101}. */
    assert_int_equal(IStorage_CreateStorage(root, u"__nameid_version1.0", RW_EX, 0, 0, &sub), S_OK);
    put_stream(sub, "__substg1.0_00020102", &fx_ps_test, 16);
    unsigned char ent[16], str[4 + 10 + 2];
    fm_cfb_put32(ent, 0);
    fm_cfb_put32(ent + 4, (0u << 16) | (2u << 1) | 1u);
    fm_cfb_put32(ent + 8, 0x8101);
    fm_cfb_put32(ent + 12, (1u << 16) | (3u << 1));
    put_stream(sub, "__substg1.0_00030102", ent, sizeof ent);
    memset(str, 0, sizeof str);
    fm_cfb_put32(str, 10);
    const char *score = "Score";
    for (int k = 0; k < 5; k++)
        fm_cfb_put16(str + 4 + 2 * k, (uint16_t)score[k]);
    put_stream(sub, "__substg1.0_00040102", str, sizeof str);
    IStorage_Release(sub);
    /* One recipient, one attachment. */
    unsigned char small[8 + 32];
    memset(small, 0, sizeof small);
    entry(small + 8, PR_DISPLAY_NAME_A, 5, 0);
    entry(small + 24, PR_RECIPIENT_TYPE, MAPI_TO, 0);
    assert_int_equal(IStorage_CreateStorage(root, u"__recip_version1.0_#00000000", RW_EX, 0, 0,
                                            &sub), S_OK);
    put_stream(sub, "__properties_version1.0", small, sizeof small);
    put_stream(sub, "__substg1.0_3001001E", "J\xfcrg", 4);
    IStorage_Release(sub);
    entry(small + 8, PR_ATTACH_LONG_FILENAME_A, 8, 0);
    entry(small + 24, PR_ATTACH_METHOD, ATTACH_BY_VALUE, 0);
    assert_int_equal(IStorage_CreateStorage(root, u"__attach_version1.0_#00000000", RW_EX, 0, 0,
                                            &sub), S_OK);
    put_stream(sub, "__properties_version1.0", small, sizeof small);
    put_stream(sub, "__substg1.0_3707001E", "caf\xe9.txt", 8);
    IStorage_Release(sub);
    assert_int_equal(IStorage_Commit(root, 0), S_OK);
    IStorage_Release(root);
}

static void check_string(void *obj, ULONG tag, const char *want)
{
    LPSPropValue v = NULL;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)obj, CHANGE_PROP_TYPE(tag, PT_STRING8), &v);
    if (hr != S_OK)
        fail_msg("property %08X: 0x%08X", (unsigned)tag, (unsigned)hr);
    assert_string_equal(v->Value.lpszA, want);
    MAPIFreeBuffer(v);
}

static void an_ansi_file_imports_as_unicode_with_its_names(void **state)
{
    LPMDB mdb = fx_store("ansi");
    LPMAPIFOLDER f = fx_folder(mdb);
    const char *path = fx_tmp("ansi.msg");
    write_ansi(path, 1252, "Gr\xfc\xdf" "e \x80");
    LPMESSAGE m = NULL;
    HRESULT hr = fmapi_msg_import(f, path, 0, &m);
    if (hr != S_OK)
        fail_msg("import: 0x%08X %s", (unsigned)hr, fmapi_last_error());
    check_string(m, PR_SUBJECT, "Grüße €");
    check_string(m, PR_MESSAGE_CLASS, "IPM.Note");
    ULONG score = fx_named(m, MNID_STRING, &PS_PUBLIC_STRINGS, 0, u"Score", PT_LONG);
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, score, &v), S_OK);
    assert_int_equal(v->Value.l, 77);
    MAPIFreeBuffer(v);
    check_string(m, fx_named(m, MNID_ID, &fx_ps_test, 0x8101, NULL, PT_STRING8), "abc");
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    SizedSPropTagArray(1, cols) = { 1, { PR_DISPLAY_NAME_A } };
    assert_int_equal(IMessage_GetRecipientTable(m, 0, &t), S_OK);
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_string_equal(rows->aRow[0].lpProps[0].Value.lpszA, "Jürg");
    FreeProws(rows);
    IMAPITable_Release(t);
    IAttach *a = NULL;
    assert_int_equal(IMessage_OpenAttach(m, 0, NULL, 0, &a), S_OK);
    check_string(a, PR_ATTACH_LONG_FILENAME, "café.txt");
    IAttach_Release(a);
    IMessage_Release(m);
    /* Shift-JIS: "日本" is 93 FA 96 7B in code page 932. */
    write_ansi(path, 932, "\x93\xfa\x96\x7b");
    assert_int_equal(fmapi_msg_import(f, path, 0, &m), S_OK);
    check_string(m, PR_SUBJECT, "日本");
    IMessage_Release(m);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static ULONG folder_count(LPMAPIFOLDER f)
{
    LPMAPITABLE t = NULL;
    ULONG n = 0;
    assert_int_equal(IMAPIFolder_GetContentsTable(f, 0, &t), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    IMAPITable_Release(t);
    return n;
}

static void an_unsaved_import_is_the_callers_to_add_to_and_save(void **state)
{
    LPMDB mdb = fx_store("unsaved");
    LPMAPIFOLDER f = fx_folder(mdb);
    const char *path = fx_tmp("unsaved.msg");
    write_ansi(path, 1252, "kept for later");
    LPMESSAGE m = NULL;
    assert_int_equal(fmapi_msg_import(f, path, FMAPI_MSG_UNSAVED, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_msg_import(f, path, FMAPI_MSG_UNSAVED, &m), S_OK);
    assert_int_equal(folder_count(f), 0); /* nothing saved yet */
    SPropValue v = { .ulPropTag = PR_BODY_A, .Value.lpszA = "added before the save" };
    assert_int_equal(IMessage_SetProps(m, 1, &v, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    assert_int_equal(folder_count(f), 1);
    /* released unsaved: dropped */
    assert_int_equal(fmapi_msg_import(f, path, FMAPI_MSG_UNSAVED, &m), S_OK);
    IMessage_Release(m);
    assert_int_equal(folder_count(f), 1);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
}

static void the_name_hash_is_the_rtf_crc(void **state)
{
    /* Microsoft's worked example: "x-mailer" in UTF-16LE. */
    static const unsigned char xm[] = { 'x', 0, '-', 0, 'm', 0, 'a', 0, 'i', 0, 'l', 0, 'e', 0,
                                        'r', 0 };
    uint32_t crc = fm_msg_crc32(xm, sizeof xm);
    assert_true(crc == 0xff504e89u || crc == 0x894e50ffu);
    assert_int_equal((0x1000u + ((crc ^ ((3u << 1) | 1u)) % 0x1F)), 0x100F);
}

/* ---- damaged files --------------------------------------------------------------------- */

static bool documented(HRESULT hr)
{
    return hr == S_OK || hr == MAPI_W_ERRORS_RETURNED || hr == MAPI_E_CORRUPT_DATA ||
           hr == MAPI_E_TOO_COMPLEX;
}

static HRESULT import_bytes(LPMAPIFOLDER f, const unsigned char *data, size_t n)
{
    const char *path = fx_tmp("damaged.msg");
    FILE *fp = fopen(path, "wb");
    if (n > 0)
        fwrite(data, 1, n, fp);
    fclose(fp);
    LPMESSAGE m = NULL;
    HRESULT hr = fmapi_msg_import(f, path, 0, &m);
    if (!documented(hr))
        fail_msg("undocumented result 0x%08X: %s", (unsigned)hr, fmapi_last_error());
    if (hr != S_OK && fmapi_last_error()[0] == 0)
        fail_msg("0x%08X without text", (unsigned)hr);
    if (m != NULL) {
        LPSPropValue eid = NULL;
        assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_ENTRYID, &eid), S_OK);
        ENTRYLIST l = { 1, &eid->Value.bin };
        IMAPIFolder_DeleteMessages(f, &l, 0, NULL, DELETE_HARD_DELETE);
        MAPIFreeBuffer(eid);
        IMessage_Release(m);
    }
    return hr;
}

static unsigned char *small_sample(LPMAPIFOLDER f, size_t *n)
{
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(f, NULL, 0, &m), S_OK);
    fx_all_types(m, 1);
    fx_recipients(m, 2);
    fx_attach_value(m, "a.bin", 3000, 2);
    fx_attach_embedded(m, 1); /* depth 2: a short chain */
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    const char *path = fx_tmp("small.msg");
    unlink(path);
    assert_int_equal(fmapi_msg_save(m, path, 0), S_OK);
    IMessage_Release(m);
    FILE *fp = fopen(path, "rb");
    fseek(fp, 0, SEEK_END);
    *n = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *data = malloc(*n);
    assert_int_equal(fread(data, 1, *n, fp), *n);
    fclose(fp);
    return data;
}

static void damaged_files_import_what_they_can_and_say_what_they_could_not(void **state)
{
    /* The baseline is taken before the store opens: names that damaged files
     * bring are added to the store's name map (and its cache) legitimately. */
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPMDB mdb = fx_store("damaged");
    LPMAPIFOLDER f = fx_folder(mdb);
    size_t n = 0;
    unsigned char *data = small_sample(f, &n), *copy = malloc(n);
    assert_int_equal(import_bytes(f, data, n), S_OK);
    unsigned failed = 0, partial = 0;
    for (size_t cut = 0; cut < n; cut += 512) {
        HRESULT hr = import_bytes(f, data, cut);
        failed += hr == MAPI_E_CORRUPT_DATA;
        partial += hr == MAPI_W_ERRORS_RETURNED;
    }
    assert_true(failed > 0);
    uint32_t x = 777;
    for (unsigned round = 0; round < 150; round++) {
        memcpy(copy, data, n);
        for (unsigned k = 0; k < 1 + round % 4; k++) {
            x = x * 1103515245u + 12345u;
            copy[(x >> 8) % n] ^= (unsigned char)(1u << (x % 8));
        }
        HRESULT hr = import_bytes(f, copy, n);
        partial += hr == MAPI_W_ERRORS_RETURNED;
    }
    assert_true(partial > 0);
    free(copy);
    free(data);
    IMAPIFolder_Release(f);
    IMsgStore_Release(mdb);
    fm_test_assert_no_leak_all(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_ansi_file_imports_as_unicode_with_its_names),
        cmocka_unit_test(an_unsaved_import_is_the_callers_to_add_to_and_save),
        cmocka_unit_test(the_name_hash_is_the_rtf_crc),
        cmocka_unit_test(damaged_files_import_what_they_can_and_say_what_they_could_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
