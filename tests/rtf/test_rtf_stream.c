/*
 * tests/rtf/test_rtf_stream.c - WrapCompressedRTFStream(Ex) and RTFSync on
 * messages of a real store: RTF written through the wrapper is saved
 * compressed and reads back, STORE_UNCOMPRESSED_RTF stores it as MELA,
 * MAPI_NATIVE_BODY gives the encapsulated HTML or text, and RTFSync makes
 * the RTF from the text and the text from the RTF.
 */
#include "../store/store_fixture.h"
#include "core/alloc.h"
#include "rtf/lzfu.h"
#include "rtf/rtf.h"

static LPMDB mdb;
static LPMAPIFOLDER inbox;

static int setup(void **state)
{
    mdb = fx_new_store("rtfstream");
    inbox = fx_inbox(mdb);
    return 0;
}

static int teardown(void **state)
{
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    return 0;
}

static LPSTREAM rtf_property(LPMESSAGE m, ULONG flags)
{
    LPSTREAM s = NULL;
    assert_int_equal(IMessage_OpenProperty(m, PR_RTF_COMPRESSED, &IID_IStream,
                                           flags ? STGM_READWRITE : STGM_READ, flags,
                                           (LPUNKNOWN *)&s),
                     S_OK);
    return s;
}

static void write_rtf(LPMESSAGE m, const char *rtf, ULONG extra, int commit)
{
    LPSTREAM c = rtf_property(m, MAPI_CREATE | MAPI_MODIFY), u = NULL;
    assert_int_equal(WrapCompressedRTFStream(c, MAPI_MODIFY | extra, &u), S_OK);
    size_t n = strlen(rtf);
    for (size_t i = 0; i < n; i += 7) { /* in pieces, as a program writes */
        ULONG put = 0;
        ULONG k = n - i < 7 ? (ULONG)(n - i) : 7;
        assert_int_equal(IStream_Write(u, rtf + i, k, &put), S_OK);
        assert_int_equal(put, k);
    }
    if (commit)
        assert_int_equal(IStream_Commit(u, STGC_DEFAULT), S_OK);
    IStream_Release(u); /* without Commit, the last Release saves */
    IStream_Release(c);
}

static char *read_rtf(LPMESSAGE m, size_t *n)
{
    LPSTREAM c = rtf_property(m, 0), u = NULL;
    assert_int_equal(WrapCompressedRTFStream(c, 0, &u), S_OK);
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        ULONG got = 0;
        assert_int_equal(IStream_Read(u, buf + len, 100, &got), S_OK);
        if (got == 0)
            break;
        len += got;
    }
    ULARGE_INTEGER pos;
    LARGE_INTEGER zero = { .QuadPart = 0 };
    assert_int_equal(IStream_Seek(u, zero, STREAM_SEEK_CUR, &pos), S_OK);
    assert_int_equal(pos.QuadPart, len);
    assert_int_equal(IStream_Seek(u, zero, STREAM_SEEK_SET, NULL), STG_E_INVALIDFUNCTION);
    IStream_Release(u);
    IStream_Release(c);
    buf[len] = '\0';
    *n = len;
    return buf;
}

static LPSPropValue saved_rtf(LPMESSAGE m)
{
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_RTF_COMPRESSED, &v), S_OK);
    return v;
}

static void rtf_written_through_the_wrapper_is_saved_compressed(void **state)
{
    const char *rtf = "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n";
    for (int commit = 0; commit <= 1; commit++) {
        LPMESSAGE m = fx_new_message(inbox);
        write_rtf(m, rtf, 0, commit);
        assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
        LPSPropValue v = saved_rtf(m);
        assert_memory_equal(v->Value.bin.lpb + 8, "LZFu", 4);
        uint8_t *raw = NULL;
        size_t rn = 0;
        assert_int_equal(fm_lzfu_decompress(v->Value.bin.lpb, v->Value.bin.cb, &raw, &rn), S_OK);
        assert_int_equal(rn, strlen(rtf));
        assert_memory_equal(raw, rtf, rn);
        fm_free(raw);
        MAPIFreeBuffer(v);
        size_t n = 0;
        char *back = read_rtf(m, &n);
        assert_string_equal(back, rtf);
        free(back);
        IMessage_Release(m);
    }
}

static void store_uncompressed_rtf_keeps_it_as_mela(void **state)
{
    const char *rtf = "{\\rtf1 plain}";
    LPMESSAGE m = fx_new_message(inbox);
    write_rtf(m, rtf, STORE_UNCOMPRESSED_RTF, 1);
    LPSPropValue v = saved_rtf(m);
    assert_memory_equal(v->Value.bin.lpb + 8, "MELA", 4);
    assert_memory_equal(v->Value.bin.lpb + 16, rtf, strlen(rtf));
    MAPIFreeBuffer(v);
    size_t n = 0;
    char *back = read_rtf(m, &n);
    assert_string_equal(back, rtf);
    free(back);
    IMessage_Release(m);
}

static void a_long_body_rewritten_shrinks_the_property(void **state)
{
    LPMESSAGE m = fx_new_message(inbox);
    char *big = malloc(300000);
    memcpy(big, "{\\rtf1 ", 7);
    for (int i = 7; i < 299998; i++)
        big[i] = (char)('a' + ((unsigned)i * 7919u) % 26u);
    big[299998] = '}';
    big[299999] = '\0';
    write_rtf(m, big, 0, 1);
    size_t n = 0;
    char *back = read_rtf(m, &n);
    assert_int_equal(n, strlen(big));
    assert_string_equal(back, big);
    free(back);
    write_rtf(m, "{\\rtf1 short}", 0, 1); /* the old, longer content does not stay behind */
    back = read_rtf(m, &n);
    assert_string_equal(back, "{\\rtf1 short}");
    free(back);
    free(big);
    IMessage_Release(m);
}

static void unsupported_stream_methods_say_so(void **state)
{
    LPMESSAGE m = fx_new_message(inbox);
    write_rtf(m, "{\\rtf1 x}", 0, 1);
    LPSTREAM c = rtf_property(m, 0), u = NULL, clone = NULL;
    assert_int_equal(WrapCompressedRTFStream(c, 0, &u), S_OK);
    STATSTG st;
    ULARGE_INTEGER sz = { .QuadPart = 0 };
    assert_int_equal(IStream_Stat(u, &st, STATFLAG_NONAME), STG_E_INVALIDFUNCTION);
    assert_int_equal(IStream_Clone(u, &clone), STG_E_INVALIDFUNCTION);
    assert_int_equal(IStream_SetSize(u, sz), STG_E_INVALIDFUNCTION);
    assert_int_equal(IStream_Write(u, "x", 1, NULL), STG_E_ACCESSDENIED);
    assert_non_null(strstr(fmapi_last_error(), "MAPI_MODIFY"));
    IStream_Release(u);
    assert_int_equal(WrapCompressedRTFStream(c, 0x100, &u), MAPI_E_UNKNOWN_FLAGS);
    IStream_Release(c);
    IMessage_Release(m);
}

static char *native(LPMESSAGE m, ULONG *type)
{
    LPSTREAM c = rtf_property(m, 0), u = NULL;
    RTF_WCSINFO wi = { sizeof wi, MAPI_NATIVE_BODY, 0, 0 };
    RTF_WCSRETINFO ri = { sizeof ri, 0 };
    assert_int_equal(WrapCompressedRTFStreamEx(c, &wi, &u, &ri), S_OK);
    *type = ri.ulStreamFlags;
    char *buf = calloc(1, 65536);
    ULONG got = 0;
    assert_int_equal(IStream_Read(u, buf, 65535, &got), S_OK);
    IStream_Release(u);
    IStream_Release(c);
    return buf;
}

static void native_body_gives_encapsulated_html_text_or_the_rtf(void **state)
{
    const char *html = "<html><body><p>Hi &amp; bye</p></body></html>";
    fm_rtf_buf rtf = { NULL, 0, 0 };
    assert_int_equal(fm_rtf_from_html(html, strlen(html), &rtf), S_OK);
    LPMESSAGE m = fx_new_message(inbox);
    write_rtf(m, rtf.p, 0, 1);
    ULONG type = 0;
    char *body = native(m, &type);
    assert_int_equal(type, MAPI_NATIVE_BODY_TYPE_HTML);
    assert_string_equal(body, html);
    free(body);
    fm_rtf_buf_clear(&rtf);
    assert_int_equal(fm_rtf_from_text("just text", 9, &rtf), S_OK);
    write_rtf(m, rtf.p, 0, 1);
    body = native(m, &type);
    assert_int_equal(type, MAPI_NATIVE_BODY_TYPE_PLAINTEXT);
    assert_string_equal(body, "just text");
    free(body);
    fm_rtf_buf_clear(&rtf);
    write_rtf(m, "{\\rtf1 {\\b real} rtf}", 0, 1);
    body = native(m, &type);
    assert_int_equal(type, MAPI_NATIVE_BODY_TYPE_RTF);
    assert_string_equal(body, "{\\rtf1 {\\b real} rtf}");
    free(body);
    /* MAPI_NATIVE_BODY with MAPI_MODIFY is refused, as documented. */
    LPSTREAM c = rtf_property(m, MAPI_MODIFY), u = NULL;
    RTF_WCSINFO wi = { sizeof wi, MAPI_NATIVE_BODY | MAPI_MODIFY, 0, 0 };
    RTF_WCSRETINFO ri = { sizeof ri, 0 };
    assert_int_equal(WrapCompressedRTFStreamEx(c, &wi, &u, &ri), MAPI_E_INVALID_PARAMETER);
    IStream_Release(c);
    IMessage_Release(m);
}

static void a_damaged_rtf_property_is_corrupt_data(void **state)
{
    LPMESSAGE m = fx_new_message(inbox);
    BYTE junk[40] = "this is not compressed rtf at all....";
    SPropValue v = { .ulPropTag = PR_RTF_COMPRESSED, .Value.bin = { sizeof junk, junk } };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)m, &v), S_OK);
    LPSTREAM c = rtf_property(m, 0), u = NULL;
    assert_int_equal(WrapCompressedRTFStream(c, 0, &u), MAPI_E_CORRUPT_DATA);
    assert_null(u);
    IStream_Release(c);
    IMessage_Release(m);
}

static void rtfsync_makes_the_rtf_from_the_body(void **state)
{
    LPMESSAGE m = fx_new_message(inbox);
    SPropValue body = { .ulPropTag = PR_BODY_W,
                        .Value.lpszW = (LPWSTR)u"First line\r\nSecond {line} caf\u00E9" };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)m, &body), S_OK);
    BOOL updated = FALSE;
    assert_int_equal(RTFSync(m, RTF_SYNC_BODY_CHANGED, &updated), S_OK);
    assert_true(updated);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    ULONG type = 0;
    char *text = native(m, &type);
    assert_int_equal(type, MAPI_NATIVE_BODY_TYPE_PLAINTEXT);
    assert_string_equal(text, "First line\r\nSecond {line} caf\xC3\xA9");
    free(text);
    LPSPropValue v = fx_get(m, PR_RTF_IN_SYNC);
    assert_true(v->Value.b);
    MAPIFreeBuffer(v);
    v = fx_get(m, PR_RTF_SYNC_BODY_COUNT);
    assert_int_equal(v->Value.l, 25); /* characters that are not white space */
    MAPIFreeBuffer(v);
    IMessage_Release(m);
}

static void rtfsync_makes_the_body_from_the_rtf(void **state)
{
    LPMESSAGE m = fx_new_message(inbox);
    write_rtf(m, "{\\rtf1\\ansi\\ansicpg1252 Hello\\par World\\'e9}", 0, 1);
    BOOL updated = FALSE;
    assert_int_equal(RTFSync(m, RTF_SYNC_RTF_CHANGED, &updated), S_OK);
    assert_true(updated);
    LPSPropValue v = fx_get(m, PR_BODY_W);
    assert_memory_equal(v->Value.lpszW, u"Hello\r\nWorld\u00E9", 14 * sizeof(WCHAR));
    MAPIFreeBuffer(v);
    /* Both flags, the texts already equal: only the sync properties change. */
    assert_int_equal(RTFSync(m, RTF_SYNC_RTF_CHANGED | RTF_SYNC_BODY_CHANGED, &updated), S_OK);
    assert_int_equal(RTFSync(m, 0x10, &updated), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(RTFSync(NULL, RTF_SYNC_RTF_CHANGED, &updated), MAPI_E_INVALID_PARAMETER);
    IMessage_Release(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rtf_written_through_the_wrapper_is_saved_compressed),
        cmocka_unit_test(store_uncompressed_rtf_keeps_it_as_mela),
        cmocka_unit_test(a_long_body_rewritten_shrinks_the_property),
        cmocka_unit_test(unsupported_stream_methods_say_so),
        cmocka_unit_test(native_body_gives_encapsulated_html_text_or_the_rtf),
        cmocka_unit_test(a_damaged_rtf_property_is_corrupt_data),
        cmocka_unit_test(rtfsync_makes_the_rtf_from_the_body),
        cmocka_unit_test(rtfsync_makes_the_body_from_the_rtf),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
