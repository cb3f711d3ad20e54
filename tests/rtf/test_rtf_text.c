/*
 * tests/rtf/test_rtf_text.c - RTF and the text it holds ([MS-OXRTFEX]):
 * plain text and HTML encapsulated and de-encapsulated back unchanged, RTF
 * written by another program de-encapsulated (HTMLTAG and MHTMLTAG groups,
 * \htmlrtf runs, font code pages), the visible text of native RTF, and the
 * RTF freemapi writes read by an independent reader (unrtf).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "fm_test.h"
#include "rtf/rtf.h"

static void deencap_is(const char *rtf, fm_rtf_kind want_kind, const char *want)
{
    fm_rtf_buf out = { NULL, 0, 0 };
    fm_rtf_kind kind = FM_RTF_NATIVE;
    assert_int_equal(fm_rtf_deencapsulate(rtf, strlen(rtf), &kind, &out), S_OK);
    assert_int_equal(kind, want_kind);
    assert_string_equal(out.p, want);
    fm_rtf_buf_clear(&out);
}

static void visible_is(const char *rtf, const char *want)
{
    fm_rtf_buf out = { NULL, 0, 0 };
    assert_int_equal(fm_rtf_to_text(rtf, strlen(rtf), &out), S_OK);
    assert_string_equal(out.p, want);
    fm_rtf_buf_clear(&out);
}

static void plain_text_comes_back_from_its_rtf(void **state)
{
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    const char *texts[] = {
        "",
        "one line",
        "Braces {like} these, a \\backslash\\ and a\ttab",
        "Line one\r\nLine two\r\n\r\nAfter a blank line",
        "caf\xC3\xA9, \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82, \xE4\xB8\xAD\xE6\x96\x87, "
        "\xF0\x9F\x98\x80 and \xE2\x82\xAC",
        "\\par is text here, not a paragraph; so is \\u1234?",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        fm_rtf_buf rtf = { NULL, 0, 0 };
        assert_int_equal(fm_rtf_from_text(texts[i], strlen(texts[i]), &rtf), S_OK);
        assert_int_equal(fm_rtf_detect(rtf.p, rtf.n), FM_RTF_FROM_TEXT);
        deencap_is(rtf.p, FM_RTF_FROM_TEXT, texts[i]);
        visible_is(rtf.p, texts[i]);
        fm_rtf_buf_clear(&rtf);
    }
    fm_test_assert_no_leak(&base);
}

static void bare_line_feeds_come_back_as_crlf(void **state)
{
    fm_rtf_buf rtf = { NULL, 0, 0 };
    assert_int_equal(fm_rtf_from_text("a\nb\rc", 5, &rtf), S_OK);
    deencap_is(rtf.p, FM_RTF_FROM_TEXT, "a\r\nb\r\nc");
    fm_rtf_buf_clear(&rtf);
}

static void html_comes_back_from_its_rtf(void **state)
{
    const char *docs[] = {
        "<html><head><title>T &amp; t</title><style>p {margin:0}</style></head>"
        "<body><p>Hello &amp; <b>bold</b> caf\xC3\xA9</p>\r\n<p>a<br>b</p>"
        "<!-- a comment with <tags> and {braces} -->"
        "<a href=\"http://x/?a=1&b=2\" title='q\"uote'>link</a>&#8364;&nbsp;&lt;</body></html>",
        "plain text that is HTML",
        "<div>\r\n  indented\r\n</div>",
        "",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        fm_rtf_buf rtf = { NULL, 0, 0 };
        assert_int_equal(fm_rtf_from_html(docs[i], strlen(docs[i]), &rtf), S_OK);
        assert_int_equal(fm_rtf_detect(rtf.p, rtf.n), FM_RTF_FROM_HTML);
        assert_non_null(strstr(rtf.p, "{\\*\\htmltag64}"));
        deencap_is(rtf.p, FM_RTF_FROM_HTML, docs[i]);
        fm_rtf_buf_clear(&rtf);
    }
}

static void the_rtf_of_html_shows_its_text_to_rtf_readers(void **state)
{
    const char *html = "<html><head><style>x {}</style></head><body><p>Hello &amp; "
                       "goodbye</p><p>second</p></body></html>";
    fm_rtf_buf rtf = { NULL, 0, 0 };
    assert_int_equal(fm_rtf_from_html(html, strlen(html), &rtf), S_OK);
    visible_is(rtf.p, "Hello & goodbye\r\nsecond\r\n");
    fm_rtf_buf_clear(&rtf);
}

static void rtf_from_another_writer_is_deencapsulated(void **state)
{
    /* Shaped as Outlook writes encapsulated HTML: header, font table with a
     * Cyrillic font, tags in HTMLTAG groups, RTF-only text in \htmlrtf runs. */
    deencap_is("{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss\\fcharset0 "
               "Arial;}{\\f1\\fnil\\fcharset204 Arial Cyr;}}{\\colortbl;\\red0\\green0\\blue0;}"
               "{\\*\\generator Msftedit;}\\uc1{\\*\\htmltag19 <html>}{\\*\\htmltag50 <body>}"
               "\\htmlrtf {\\htmlrtf0 Hello \\f1\\'c0\\'e1 {\\*\\htmltag84 <b>}bold"
               "{\\*\\htmltag92 </b>}\\htmlrtf\\par }\\htmlrtf0 "
               "{\\*\\htmltag58 </body>}{\\*\\htmltag27 </html>}}",
               FM_RTF_FROM_HTML,
               "<html><body>Hello \xD0\x90\xD0\xB1 <b>bold</b></body></html>");
}

static void mhtmltag_replaces_the_htmltag_after_it(void **state)
{
    deencap_is("{\\rtf1\\ansi\\fromhtml1 {\\*\\mhtmltag84 <img src=\"cid:a@b\">}"
               "{\\*\\htmltag84 <img src=\"a.png\">}x}",
               FM_RTF_FROM_HTML, "<img src=\"cid:a@b\">x");
}

static void unicode_escapes_skip_their_fallbacks(void **state)
{
    visible_is("{\\rtf1\\ansi\\uc2 a\\u8364\\'80\\'80b\\uc1\\u-10179?\\u-8704?c\\u233 e}",
               "a\xE2\x82\xAC" "b\xF0\x9F\x98\x80" "c\xC3\xA9");
}

static void native_rtf_gives_its_visible_text(void **state)
{
    visible_is("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times;}}{\\colortbl;\\red1;}"
               "{\\info{\\title Hidden}}{\\*\\unknown dest}{\\pict\\pngblip 89504e47}"
               "\\pard Hello\\par {\\b World}\\'e9 \\emdash \\ldblquote q\\rdblquote\\tab end\\par}",
               /* the space after a control word delimits it: none after the dash */
               "Hello\r\nWorld\xC3\xA9 \xE2\x80\x94\xE2\x80\x9Cq\xE2\x80\x9D\tend\r\n");
    fm_rtf_buf out = { NULL, 0, 0 };
    fm_rtf_kind kind;
    assert_int_equal(fm_rtf_deencapsulate("{\\rtf1 x}", 9, &kind, &out), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_rtf_to_text("not rtf", 7, &out), MAPI_E_CORRUPT_DATA);
}

static void deep_nesting_and_garbage_cost_only_their_length(void **state)
{
    size_t n = 200000;
    char *rtf = fm_malloc(n + 16);
    memcpy(rtf, "{\\rtf1 ", 7);
    for (size_t i = 7; i < n; i++)
        rtf[i] = i < n / 2 ? '{' : (char)("a}\\'z\\u-\\{x"[i % 11]);
    fm_rtf_buf out = { NULL, 0, 0 };
    assert_int_equal(fm_rtf_to_text(rtf, n, &out), S_OK);
    fm_rtf_buf_clear(&out);
    unsigned r = 1;
    for (int round = 0; round < 200; round++) { /* random bytes after a valid header */
        for (size_t i = 7; i < 4000; i++) {
            r = r * 1103515245u + 12345u;
            rtf[i] = (char)(r >> 16);
        }
        fm_rtf_kind k;
        HRESULT hr = fm_rtf_deencapsulate(rtf, 4000, &k, &out);
        assert_true(hr == S_OK || hr == MAPI_E_NOT_FOUND);
        fm_rtf_buf_clear(&out);
    }
    fm_free(rtf);
}

/* unrtf, an RTF reader that is not freemapi's, shows the encapsulating
 * RTF's text. */
static void an_independent_reader_shows_the_text(void **state)
{
    const char *html = "<html><body><p>Alpha &amp; Beta</p><p>Gamma caf\xC3\xA9</p></body></html>";
    fm_rtf_buf rtf = { NULL, 0, 0 };
    assert_int_equal(fm_rtf_from_html(html, strlen(html), &rtf), S_OK);
    char path[256];
    const char *tmp = getenv("FREEMAPI_TEST_TMPDIR");
    snprintf(path, sizeof path, "%s/unrtf-%d.rtf", tmp ? tmp : "/tmp", (int)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(rtf.p, 1, rtf.n, f);
    fclose(f);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "unrtf --text %s 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char all[4096] = { 0 };
    size_t got = fread(all, 1, sizeof all - 1, p);
    pclose(p);
    unlink(path);
    assert_true(got > 0);
    assert_non_null(strstr(all, "Alpha & Beta"));
    assert_non_null(strstr(all, "Gamma"));
    assert_null(strstr(all, "<p>")); /* the tags are hidden from RTF readers */
    fm_rtf_buf_clear(&rtf);
}

static HRESULT html_round_trip(void *ctx)
{
    const char *html = ctx;
    fm_rtf_buf rtf = { NULL, 0, 0 }, back = { NULL, 0, 0 };
    fm_rtf_kind k;
    HRESULT hr = fm_rtf_from_html(html, strlen(html), &rtf);
    if (hr == S_OK)
        hr = fm_rtf_deencapsulate(rtf.p, rtf.n, &k, &back);
    fm_rtf_buf_clear(&rtf);
    fm_rtf_buf_clear(&back);
    return hr;
}

static void out_of_memory_is_clean(void **state)
{
    char html[] = "<p>Hello &amp; <b>world</b> caf\xC3\xA9</p>";
    assert_true(fm_test_oom_sweep(html_round_trip, html) >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_text_comes_back_from_its_rtf),
        cmocka_unit_test(bare_line_feeds_come_back_as_crlf),
        cmocka_unit_test(html_comes_back_from_its_rtf),
        cmocka_unit_test(the_rtf_of_html_shows_its_text_to_rtf_readers),
        cmocka_unit_test(rtf_from_another_writer_is_deencapsulated),
        cmocka_unit_test(mhtmltag_replaces_the_htmltag_after_it),
        cmocka_unit_test(unicode_escapes_skip_their_fallbacks),
        cmocka_unit_test(native_rtf_gives_its_visible_text),
        cmocka_unit_test(deep_nesting_and_garbage_cost_only_their_length),
        cmocka_unit_test(an_independent_reader_shows_the_text),
        cmocka_unit_test(out_of_memory_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
