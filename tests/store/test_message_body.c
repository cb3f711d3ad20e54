/*
 * tests/store/test_message_body.c - a message's bodies kept in sync as
 * Exchange keeps them (store/message_body.c): a message saved with one of
 * PR_BODY, PR_HTML and PR_RTF_COMPRESSED reads the others, derived when
 * read; PR_NATIVE_BODY_INFO and PR_RTF_IN_SYNC say where they come from
 * (and GetPropList shows those two); OpenProperty streams them; a
 * stored body always wins, and nothing derived is written.
 */
#include "store_fixture.h"
#include "core/alloc.h"
#include "core/text.h"
#include "rtf/lzfu.h"
#include "rtf/rtf.h"

static const char HTML[] = "<html><head><title>T</title></head><body><p>Alpha &amp; Beta</p>"
                           "<p>Gamma caf\xC3\xA9</p></body></html>";

static LPMDB mdb;
static LPMAPIFOLDER inbox;

static int setup(void **state)
{
    mdb = fx_new_store("msgbody");
    inbox = fx_inbox(mdb);
    return 0;
}

static int teardown(void **state)
{
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    return 0;
}

/* A message saved with the given properties, reopened read-only. */
static LPMESSAGE saved_with(SPropValue *p, ULONG n)
{
    LPMESSAGE m = fx_new_message(inbox);
    assert_int_equal(IMessage_SetProps(m, n, p, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue eid = fx_get(m, PR_ENTRYID);
    IMessage_Release(m);
    m = fx_reopen(mdb, eid, 0);
    MAPIFreeBuffer(eid);
    return m;
}

static LPMESSAGE saved_with_html(const char *html)
{
    SPropValue p = { .ulPropTag = PR_HTML,
                     .Value.bin = { (ULONG)strlen(html), (LPBYTE)(uintptr_t)html } };
    return saved_with(&p, 1);
}

static LPMESSAGE saved_with_rtf(const char *rtf)
{
    uint8_t *comp = NULL;
    size_t n = 0;
    assert_int_equal(fm_lzfu_compress((const uint8_t *)rtf, strlen(rtf), true, &comp, &n), S_OK);
    SPropValue p = { .ulPropTag = PR_RTF_COMPRESSED, .Value.bin = { (ULONG)n, comp } };
    LPMESSAGE m = saved_with(&p, 1);
    fm_free(comp);
    return m;
}

static bool bool_of(LPMESSAGE m, ULONG tag)
{
    LPSPropValue v = fx_get(m, tag);
    bool b = v->Value.b != 0;
    MAPIFreeBuffer(v);
    return b;
}

static LONG long_of(LPMESSAGE m, ULONG tag)
{
    LPSPropValue v = fx_get(m, tag);
    LONG l = v->Value.l;
    MAPIFreeBuffer(v);
    return l;
}

/* PR_BODY as UTF-8, malloc'd. */
static char *body_of(LPMESSAGE m)
{
    LPSPropValue v = fx_get(m, PR_BODY_W);
    LPSTR s = NULL;
    assert_int_equal(fm_utf16_to_utf8_mapi(v->Value.lpszW, NULL, &s), S_OK);
    char *r = strdup(s);
    MAPIFreeBuffer(s);
    MAPIFreeBuffer(v);
    return r;
}

/* PR_RTF_COMPRESSED decompressed, into *out. */
static void rtf_of(LPMESSAGE m, fm_rtf_buf *out)
{
    LPSPropValue v = fx_get(m, PR_RTF_COMPRESSED);
    uint8_t *raw = NULL;
    size_t n = 0;
    assert_int_equal(fm_lzfu_decompress(v->Value.bin.lpb, v->Value.bin.cb, &raw, &n), S_OK);
    assert_int_equal(fm_rtf_buf_put(out, raw, n), S_OK);
    fm_free(raw);
    MAPIFreeBuffer(v);
}

static void assert_absent(LPMESSAGE m, ULONG tag)
{
    LPSPropValue v = NULL;
    assert_int_equal(fx_try_get(m, tag, &v), MAPI_E_NOT_FOUND);
    MAPIFreeBuffer(v);
}

/* unrtf, an RTF reader that is not freemapi's, displays the RTF: its text. */
static void unrtf_shows(const fm_rtf_buf *rtf, const char *want)
{
    char path[256];
    const char *tmp = getenv("FREEMAPI_TEST_TMPDIR");
    snprintf(path, sizeof path, "%s/msgbody-%d.rtf", tmp ? tmp : "/tmp", (int)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(rtf->p, 1, rtf->n, f), rtf->n);
    fclose(f);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "unrtf --text %s 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char all[8192] = { 0 };
    size_t got = fread(all, 1, sizeof all - 1, p);
    pclose(p);
    unlink(path);
    assert_true(got > 0);
    assert_non_null(strstr(all, want));
}

static void a_message_saved_with_html_reads_rtf_and_text(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPMESSAGE m = saved_with_html(HTML);
    assert_int_equal(long_of(m, PR_NATIVE_BODY_INFO), 3); /* HTML */
    assert_true(bool_of(m, PR_RTF_IN_SYNC));
    char *text = body_of(m);
    assert_non_null(strstr(text, "Alpha & Beta"));
    assert_non_null(strstr(text, "Gamma caf\xC3\xA9"));
    assert_null(strstr(text, "<p>"));
    assert_null(strstr(text, "T\r\n")); /* the title is not shown */
    free(text);
    fm_rtf_buf rtf = { NULL, 0, 0 }, back = { NULL, 0, 0 };
    rtf_of(m, &rtf);
    assert_int_equal(fm_rtf_detect(rtf.p, rtf.n), FM_RTF_FROM_HTML);
    fm_rtf_kind kind;
    assert_int_equal(fm_rtf_deencapsulate(rtf.p, rtf.n, &kind, &back), S_OK);
    assert_string_equal(back.p, HTML); /* the encapsulation holds the HTML byte for byte */
    unrtf_shows(&rtf, "Alpha & Beta");
    fm_rtf_buf_clear(&rtf);
    fm_rtf_buf_clear(&back);
    IMessage_Release(m);
    fm_test_assert_no_leak(&b);
}

static void a_message_saved_with_encapsulated_html_rtf_reads_the_html(void **state)
{
    fm_rtf_buf rtf = { NULL, 0, 0 };
    assert_int_equal(fm_rtf_from_html(HTML, strlen(HTML), &rtf), S_OK);
    LPMESSAGE m = saved_with_rtf(rtf.p);
    fm_rtf_buf_clear(&rtf);
    LPSPropValue h = fx_get(m, PR_HTML);
    assert_int_equal(h->Value.bin.cb, strlen(HTML));
    assert_memory_equal(h->Value.bin.lpb, HTML, strlen(HTML));
    MAPIFreeBuffer(h);
    assert_int_equal(long_of(m, PR_NATIVE_BODY_INFO), 3);
    char *text = body_of(m);
    assert_non_null(strstr(text, "Alpha & Beta"));
    free(text);
    IMessage_Release(m);
}

static void a_message_saved_with_text_reads_its_rtf(void **state)
{
    SPropValue p = { .ulPropTag = PR_BODY_W, .Value.lpszW = (LPWSTR)u"Line one\r\nLine {two}" };
    LPMESSAGE m = saved_with(&p, 1);
    assert_int_equal(long_of(m, PR_NATIVE_BODY_INFO), 1); /* plain text */
    assert_true(bool_of(m, PR_RTF_IN_SYNC));
    fm_rtf_buf rtf = { NULL, 0, 0 }, back = { NULL, 0, 0 };
    rtf_of(m, &rtf);
    assert_int_equal(fm_rtf_detect(rtf.p, rtf.n), FM_RTF_FROM_TEXT);
    fm_rtf_kind kind;
    assert_int_equal(fm_rtf_deencapsulate(rtf.p, rtf.n, &kind, &back), S_OK);
    assert_string_equal(back.p, "Line one\r\nLine {two}");
    unrtf_shows(&rtf, "Line {two}");
    fm_rtf_buf_clear(&rtf);
    fm_rtf_buf_clear(&back);
    assert_absent(m, PR_HTML); /* no HTML is made from text, as the issue asks */
    IMessage_Release(m);
}

static void a_message_saved_with_native_rtf_reads_its_text(void **state)
{
    LPMESSAGE m = saved_with_rtf("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\pard Hello "
                                 "{\\b World}\\par}");
    assert_int_equal(long_of(m, PR_NATIVE_BODY_INFO), 2); /* RTF */
    char *text = body_of(m);
    assert_string_equal(text, "Hello World\r\n");
    free(text);
    assert_absent(m, PR_HTML);
    IMessage_Release(m);
}

static void a_message_without_a_body_has_no_native_body(void **state)
{
    SPropValue p = { .ulPropTag = PR_SUBJECT_W, .Value.lpszW = (LPWSTR)u"empty" };
    LPMESSAGE m = saved_with(&p, 1);
    assert_absent(m, PR_NATIVE_BODY_INFO);
    assert_absent(m, PR_BODY_W);
    assert_absent(m, PR_RTF_COMPRESSED);
    assert_absent(m, PR_HTML);
    assert_absent(m, PR_RTF_IN_SYNC);
    IMessage_Release(m);
}

static bool listed(LPSPropTagArray t, ULONG tag)
{
    for (ULONG i = 0; i < t->cValues; i++)
        if (t->aulPropTag[i] == tag)
            return true;
    return false;
}

/* GetPropList and GetProps(NULL) show where the bodies come from, not the
 * derived bodies themselves (what copies every property would store them). */
static void the_native_body_is_listed_and_derived_bodies_are_not(void **state)
{
    LPMESSAGE m = saved_with_html(HTML);
    LPSPropTagArray t = NULL;
    assert_int_equal(IMessage_GetPropList(m, MAPI_UNICODE, &t), S_OK);
    assert_true(listed(t, PR_HTML));
    assert_true(listed(t, PR_NATIVE_BODY_INFO));
    assert_true(listed(t, PR_RTF_IN_SYNC));
    assert_false(listed(t, PR_BODY_W));
    assert_false(listed(t, PR_RTF_COMPRESSED));
    MAPIFreeBuffer(t);
    ULONG n = 0;
    LPSPropValue v = NULL;
    assert_int_equal(IMessage_GetProps(m, NULL, 0, &n, &v), S_OK);
    bool body = false, rtf = false, native = false, sync = false;
    for (ULONG i = 0; i < n; i++) {
        body |= PROP_ID(v[i].ulPropTag) == PROP_ID(PR_BODY_W);
        rtf |= v[i].ulPropTag == PR_RTF_COMPRESSED;
        native |= v[i].ulPropTag == PR_NATIVE_BODY_INFO && v[i].Value.l == 3;
        sync |= v[i].ulPropTag == PR_RTF_IN_SYNC && v[i].Value.b;
    }
    assert_true(native && sync);
    assert_false(body || rtf);
    MAPIFreeBuffer(v);
    IMessage_Release(m);
}

static size_t read_stream(LPMESSAGE m, ULONG tag, char *buf, size_t cap)
{
    LPSTREAM s = NULL;
    assert_int_equal(IMessage_OpenProperty(m, tag, &IID_IStream, STGM_READ, 0, (LPUNKNOWN *)&s),
                     S_OK);
    size_t k = 0;
    ULONG got = 0;
    do {
        assert_int_equal(IStream_Read(s, buf + k, (ULONG)(cap - k), &got), S_OK);
        k += got;
    } while (got > 0 && k < cap);
    IStream_Release(s);
    return k;
}

static void a_derived_body_opens_as_a_stream(void **state)
{
    fm_rtf_buf rtf = { NULL, 0, 0 };
    assert_int_equal(fm_rtf_from_html(HTML, strlen(HTML), &rtf), S_OK);
    LPMESSAGE m = saved_with_rtf(rtf.p);
    fm_rtf_buf_clear(&rtf);
    char buf[4096];
    size_t n = read_stream(m, PR_HTML, buf, sizeof buf);
    assert_int_equal(n, strlen(HTML));
    assert_memory_equal(buf, HTML, n);
    n = read_stream(m, PR_BODY_W, buf, sizeof buf);
    assert_true(n > 0 && n % 2 == 0);
    assert_int_equal(((WCHAR *)(void *)buf)[0], u'A');
    IMessage_Release(m);
}

/* Over GetProps' limit a derived body is MAPI_E_NOT_ENOUGH_MEMORY, as a
 * stored one is, and OpenProperty gives it whole. */
static void a_large_derived_body_is_read_through_its_stream(void **state)
{
    size_t n = 200 * 1024;
    char *html = malloc(n + 64);
    strcpy(html, "<html><body>");
    size_t k = strlen(html);
    while (k < n) {
        memcpy(html + k, "<p>word</p>", 11);
        k += 11;
    }
    strcpy(html + k, "</body></html>");
    LPMESSAGE m = saved_with_html(html);
    SizedSPropTagArray(1, one) = { 1, { PR_RTF_COMPRESSED } };
    ULONG c = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IMessage_GetProps(m, (LPSPropTagArray)&one, 0, &c, &v);
    assert_int_equal(hr, MAPI_W_ERRORS_RETURNED);
    assert_int_equal(PROP_TYPE(v[0].ulPropTag), PT_ERROR);
    assert_int_equal(v[0].Value.err, MAPI_E_NOT_ENOUGH_MEMORY);
    MAPIFreeBuffer(v);
    size_t cap = 4 * n;
    char *buf = malloc(cap);
    size_t got = read_stream(m, PR_RTF_COMPRESSED, buf, cap);
    uint8_t *raw = NULL;
    size_t rn = 0;
    assert_int_equal(fm_lzfu_decompress((uint8_t *)buf, got, &raw, &rn), S_OK);
    fm_rtf_buf back = { NULL, 0, 0 };
    fm_rtf_kind kind;
    assert_int_equal(fm_rtf_deencapsulate((char *)raw, rn, &kind, &back), S_OK);
    assert_string_equal(back.p, html);
    fm_rtf_buf_clear(&back);
    fm_free(raw);
    free(buf);
    free(html);
    IMessage_Release(m);
}

static void a_stored_body_wins_over_a_derived_one(void **state)
{
    SPropValue p[] = {
        { .ulPropTag = PR_BODY_W, .Value.lpszW = (LPWSTR)u"typed text" },
        { .ulPropTag = PR_HTML, .Value.bin = { 11, (LPBYTE) "<p>html</p>" } },
    };
    LPMESSAGE m = saved_with(p, 2);
    char *text = body_of(m);
    assert_string_equal(text, "typed text");
    free(text);
    assert_int_equal(long_of(m, PR_NATIVE_BODY_INFO), 3);
    assert_absent(m, PR_RTF_IN_SYNC); /* text and RTF are not from one source */
    IMessage_Release(m);
}

/* Derived bodies are not written: removing the source removes them. */
static void derived_bodies_go_with_their_source(void **state)
{
    LPMESSAGE m = fx_new_message(inbox);
    SPropValue p = { .ulPropTag = PR_HTML, .Value.bin = { 11, (LPBYTE) "<p>html</p>" } };
    assert_int_equal(IMessage_SetProps(m, 1, &p, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    char *text = body_of(m);
    assert_non_null(strstr(text, "html"));
    free(text);
    SizedSPropTagArray(1, del) = { 1, { PR_HTML } };
    assert_int_equal(IMessage_DeleteProps(m, (LPSPropTagArray)&del, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue eid = fx_get(m, PR_ENTRYID);
    IMessage_Release(m);
    m = fx_reopen(mdb, eid, 0);
    MAPIFreeBuffer(eid);
    assert_absent(m, PR_BODY_W);
    assert_absent(m, PR_RTF_COMPRESSED);
    assert_absent(m, PR_NATIVE_BODY_INFO);
    IMessage_Release(m);
}

static void the_store_says_it_keeps_rtf_in_sync(void **state)
{
    LPSPropValue v = fx_get(mdb, PR_STORE_SUPPORT_MASK);
    assert_true(v->Value.l & STORE_RTF_OK);
    MAPIFreeBuffer(v);
}

static LPMESSAGE oom_message;

static HRESULT derive_all(void *ctx)
{
    (void)ctx;
    SizedSPropTagArray(4, t) = { 4, { PR_BODY_W, PR_RTF_COMPRESSED, PR_NATIVE_BODY_INFO,
                                      PR_RTF_IN_SYNC } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IMessage_GetProps(oom_message, (LPSPropTagArray)&t, 0, &n, &v);
    if (SUCCEEDED(hr)) {
        for (ULONG i = 0; i < n; i++)
            if (PROP_TYPE(v[i].ulPropTag) == PT_ERROR)
                hr = v[i].Value.err;
    }
    MAPIFreeBuffer(v);
    return hr;
}

static void out_of_memory_while_deriving_is_clean(void **state)
{
    oom_message = saved_with_html(HTML);
    fm_test_oom_sweep(derive_all, NULL);
    assert_int_equal(derive_all(NULL), S_OK);
    IMessage_Release(oom_message);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_message_saved_with_html_reads_rtf_and_text),
        cmocka_unit_test(a_message_saved_with_encapsulated_html_rtf_reads_the_html),
        cmocka_unit_test(a_message_saved_with_text_reads_its_rtf),
        cmocka_unit_test(a_message_saved_with_native_rtf_reads_its_text),
        cmocka_unit_test(a_message_without_a_body_has_no_native_body),
        cmocka_unit_test(the_native_body_is_listed_and_derived_bodies_are_not),
        cmocka_unit_test(a_derived_body_opens_as_a_stream),
        cmocka_unit_test(a_large_derived_body_is_read_through_its_stream),
        cmocka_unit_test(a_stored_body_wins_over_a_derived_one),
        cmocka_unit_test(derived_bodies_go_with_their_source),
        cmocka_unit_test(the_store_says_it_keeps_rtf_in_sync),
        cmocka_unit_test(out_of_memory_while_deriving_is_clean),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
