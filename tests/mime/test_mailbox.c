/*
 * tests/mime/test_mailbox.c - mbox and Maildir: reading (separators,
 * ">From " unescaping, offsets, truncated and odd files), writing (escaping
 * across chunk boundaries, whole messages only), Maildir++ folders and
 * flags, delivery names, and out-of-memory sweeps.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "mime_fixture.h"

static char *tmp_path(const char *name)
{
    static char path[4][600];
    static int n;
    char *p = path[n++ % 4];
    snprintf(p, 600, "%s/%s", fm_test_tmpdir(), name);
    return p;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char MBOX[] =
    "From ada@example.org Tue Jan  3 10:00:00 2023\n"
    "From: ada@example.org\n"
    "Subject: one\n"
    "\n"
    "first body\n"
    ">From the escaped line\n"
    ">>From a doubly escaped line\n"
    "From an unescaped line, not after an empty one\n"
    "\n"
    "From here on, no time: not a separator either\n"
    "\n"
    "From bob@example.com Tue Jan  3 11:00:00 2023\n"
    "From: bob@example.com\n"
    "Subject: two\n"
    "\n"
    "second body\n"
    "\n"
    "From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n"
    "Subject: three (truncated)\n"
    "\n"
    "cut off in the midd";

static void mbox_reader_splits_unescapes_and_reports_offsets(void **state)
{
    const char *path = tmp_path("read.mbox");
    write_file(path, MBOX);
    fmapi_mbox_reader *r = NULL;
    assert_int_equal(fmapi_mbox_open(path, &r), S_OK);
    fmapi_mailbox_entry e;
    assert_int_equal(fmapi_mbox_next(r, &e), S_OK);
    assert_int_equal(e.offset, 0);
    const char *want1 = "From: ada@example.org\nSubject: one\n\nfirst body\n"
                        "From the escaped line\n>From a doubly escaped line\n"
                        "From an unescaped line, not after an empty one\n\n"
                        "From here on, no time: not a separator either\n";
    assert_int_equal(e.len, strlen(want1));
    assert_memory_equal(e.data, want1, e.len);
    assert_string_equal(e.folder, "");
    assert_int_equal(fmapi_mbox_next(r, &e), S_OK);
    assert_int_equal(e.offset, (uint64_t)(strstr(MBOX, "From bob") - MBOX));
    assert_string_equal(e.data, "From: bob@example.com\nSubject: two\n\nsecond body\n");
    assert_int_equal(fmapi_mbox_next(r, &e), S_OK);
    assert_int_equal(e.offset, (uint64_t)(strstr(MBOX, "From MAILER") - MBOX));
    assert_string_equal(e.data, "Subject: three (truncated)\n\ncut off in the midd");
    assert_int_equal(fmapi_mbox_next(r, &e), MAPI_E_NOT_FOUND);
    assert_int_equal(fmapi_mbox_next(r, &e), MAPI_E_NOT_FOUND);
    fmapi_mbox_close(r);
}

/* A Status header with R marks a message read; R in the body, or in
 * another header, does not. */
static void mbox_status_header_marks_read_messages(void **state)
{
    const char *path = tmp_path("status.mbox");
    write_file(path, "From a Mon Jan  6 09:00:00 2025\nSubject: read\nstatus: RO\n\nbody\n\n"
                     "From b Mon Jan  6 09:00:00 2025\nSubject: Re: Rome\nStatus: O\n\n"
                     "Status: R\n\n"
                     "From c Mon Jan  6 09:00:00 2025\r\nX-Status: R\r\n\r\nbody\r\n");
    fmapi_mbox_reader *r = NULL;
    assert_int_equal(fmapi_mbox_open(path, &r), S_OK);
    fmapi_mailbox_entry e;
    static const ULONG want[] = { MSGFLAG_READ, 0, 0 };
    for (int i = 0; i < 3; i++) {
        assert_int_equal(fmapi_mbox_next(r, &e), S_OK);
        assert_int_equal(e.flags, want[i]);
    }
    assert_int_equal(fmapi_mbox_next(r, &e), MAPI_E_NOT_FOUND);
    fmapi_mbox_close(r);
}

static void mbox_reader_keeps_text_before_the_first_separator(void **state)
{
    const char *path = tmp_path("noseparator.mbox");
    write_file(path, "\n\nSubject: no From line\n\nbody\n");
    fmapi_mbox_reader *r = NULL;
    assert_int_equal(fmapi_mbox_open(path, &r), S_OK);
    fmapi_mailbox_entry e;
    assert_int_equal(fmapi_mbox_next(r, &e), S_OK);
    assert_string_equal(e.data, "Subject: no From line\n\nbody\n");
    assert_int_equal(e.offset, 2);
    assert_int_equal(fmapi_mbox_next(r, &e), MAPI_E_NOT_FOUND);
    fmapi_mbox_close(r);
    /* An empty file has no message. */
    path = tmp_path("empty.mbox");
    write_file(path, "");
    assert_int_equal(fmapi_mbox_open(path, &r), S_OK);
    assert_int_equal(fmapi_mbox_next(r, &e), MAPI_E_NOT_FOUND);
    fmapi_mbox_close(r);
}

static void mbox_functions_check_their_arguments(void **state)
{
    fmapi_mbox_reader *r = NULL;
    fmapi_mailbox_entry e;
    assert_int_equal(fmapi_mbox_open(tmp_path("missing.mbox"), &r), MAPI_E_NOT_FOUND);
    assert_non_null(strstr(fmapi_mime_last_error(), "missing.mbox"));
    assert_int_equal(fmapi_mbox_open(NULL, &r), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_mbox_open("x", NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_mbox_next(NULL, &e), MAPI_E_INVALID_PARAMETER);
    fmapi_mbox_close(NULL);
    fmapi_mbox_writer *w = NULL;
    assert_int_equal(fmapi_mbox_writer_open(NULL, 0, &w), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_mbox_writer_open("/nonexistent-dir/x.mbox", 0, &w), MAPI_E_NO_ACCESS);
    assert_int_equal(fmapi_mbox_writer_add(NULL, "x", 1, NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_mbox_writer_add_message(NULL, NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_mbox_writer_close(NULL), S_OK);
}

static void mbox_writer_escapes_and_the_reader_gives_back_the_same_bytes(void **state)
{
    const char *msgs[] = {
        "Subject: a\n\nFrom the start\n>From one\n>>From two\nFrom\nFrom x 10:00 y\n",
        "Subject: b\n\nno newline at the end",
        "Subject: c\n\n\nFrom 12:00 after an empty line\n\n",
        ">From at the very start\n\nbody\n",
    };
    const char *path = tmp_path("written.mbox");
    fmapi_mbox_writer *w = NULL;
    assert_int_equal(fmapi_mbox_writer_open(path, 0, &w), S_OK);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(fmapi_mbox_writer_add(w, msgs[i], strlen(msgs[i]), "a b@c", 1672740000),
                         S_OK);
    assert_int_equal(fmapi_mbox_writer_close(w), S_OK);
    char *file = NULL;
    {
        FILE *f = fopen(path, "rb");
        char buf[4096];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        file = strdup(buf);
    }
    assert_non_null(strstr(file, "From a_b@c Tue Jan  3 10:00:00 2023\n"));
    assert_non_null(strstr(file, "\n>From the start\n>>From one\n>>>From two\nFrom\n>From x"));
    assert_non_null(strstr(file, "\n>>From at the very start"));
    free(file);
    fmapi_mbox_reader *r = NULL;
    assert_int_equal(fmapi_mbox_open(path, &r), S_OK);
    fmapi_mailbox_entry e;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(fmapi_mbox_next(r, &e), S_OK);
        /* The writer ends every message with a line break. */
        char want[256];
        snprintf(want, sizeof want, "%s%s", msgs[i], i == 1 ? "\n" : "");
        assert_string_equal(e.data, want);
    }
    assert_int_equal(fmapi_mbox_next(r, &e), MAPI_E_NOT_FOUND);
    fmapi_mbox_close(r);
    /* Appending adds after what is there. */
    assert_int_equal(fmapi_mbox_writer_open(path, 1, &w), S_OK);
    assert_int_equal(fmapi_mbox_writer_add(w, "Subject: e\n\n", 12, NULL, 0), S_OK);
    assert_int_equal(fmapi_mbox_writer_close(w), S_OK);
    assert_int_equal(fmapi_mbox_open(path, &r), S_OK);
    int count = 0;
    while (fmapi_mbox_next(r, &e) == S_OK)
        count++;
    assert_int_equal(count, 5);
    fmapi_mbox_close(r);
}

static void store_messages_go_through_an_mbox_and_back(void **state)
{
    char *text = fx_data("related.eml", NULL);
    LPMESSAGE m = fx_import(text, 0);
    /* A body whose lines start with "From " crosses the escaper in chunks. */
    GString *body = g_string_new(NULL);
    for (int i = 0; i < 5000; i++)
        g_string_append_printf(body, "From line %d 10:%02d\r\n>From quoted\r\n\r\n", i, i % 60);
    glong units = 0;
    gunichar2 *wide = g_utf8_to_utf16(body->str, -1, NULL, &units, NULL);
    LPSTREAM bs = NULL;
    assert_int_equal(IMessage_OpenProperty(m, PR_BODY_W, &IID_IStream, 0,
                                           MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&bs), S_OK);
    ULONG written = 0;
    assert_int_equal(IStream_Write(bs, wide, (ULONG)units * 2, &written), S_OK);
    assert_int_equal(IStream_Commit(bs, 0), S_OK);
    IStream_Release(bs);
    g_free(wide);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    const char *path = tmp_path("store.mbox");
    fmapi_mbox_writer *w = NULL;
    assert_int_equal(fmapi_mbox_writer_open(path, 0, &w), S_OK);
    assert_int_equal(fmapi_mbox_writer_add_message(w, m, 0), S_OK);
    assert_int_equal(fmapi_mbox_writer_add_message(w, m, CCSF_PLAIN_TEXT_ONLY), S_OK);
    assert_int_equal(fmapi_mbox_writer_close(w), S_OK);
    fmapi_mbox_reader *r = NULL;
    assert_int_equal(fmapi_mbox_open(path, &r), S_OK);
    fmapi_mailbox_entry e;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(fmapi_mbox_next(r, &e), S_OK);
        LPMESSAGE back = fx_new();
        assert_int_equal(fmapi_mime_import_buffer(e.data, e.len, back, 0), S_OK);
        fx_assert_str(back, PR_SUBJECT, "Picture");
        char *b = fx_str(back, PR_BODY);
        if (b == NULL) { /* large: read it through its stream */
            size_t len;
            char *w16 = fx_read_stream(back, PR_BODY_W, &len);
            assert_int_equal(len / 2, body->len);
            for (size_t k = 0; k < body->len; k++)
                assert_int_equal(((WCHAR *)(void *)w16)[k], (unsigned char)body->str[k]);
            free(w16);
        } else {
            assert_string_equal(b, body->str);
            free(b);
        }
        assert_int_equal(fx_attach_count(back), 3);
        IMessage_Release(back);
    }
    assert_int_equal(fmapi_mbox_next(r, &e), MAPI_E_NOT_FOUND);
    fmapi_mbox_close(r);
    g_string_free(body, TRUE);
    IMessage_Release(m);
    free(text);
}

/* ---- Maildir --------------------------------------------------------------- */
static void maildir_delivery_and_reading_with_folders_and_flags(void **state)
{
    const char *md = tmp_path("Maildir");
    char name1[512], name2[512];
    assert_int_equal(fmapi_maildir_deliver(md, NULL, "Subject: new\n\n", 14, 0, name1,
                                           sizeof name1), S_OK);
    assert_int_equal(fmapi_maildir_deliver(md, "", "Subject: read\n\n", 15, MSGFLAG_READ,
                                           name2, sizeof name2), S_OK);
    assert_string_not_equal(name1, name2);
    assert_non_null(strstr(name2, ":2,S"));
    assert_null(strchr(name1, ':'));
    assert_int_equal(fmapi_maildir_deliver(md, "Sub/Folder", "Subject: deep\n\n", 15, 0, NULL, 0),
                     S_OK);
    assert_int_equal(fmapi_maildir_deliver(md, "Sub.Bad", "x", 1, 0, NULL, 0),
                     MAPI_E_INVALID_PARAMETER);
    char check[700];
    struct stat st;
    snprintf(check, sizeof check, "%s/.Sub.Folder/maildirfolder", md);
    assert_int_equal(stat(check, &st), 0);
    snprintf(check, sizeof check, "%s/new/%s", md, name1);
    assert_int_equal(stat(check, &st), 0);
    snprintf(check, sizeof check, "%s/cur/%s", md, name2);
    assert_int_equal(stat(check, &st), 0);
    /* tmp/ is empty after delivery. */
    snprintf(check, sizeof check, "%s/tmp", md);
    DIR *d = opendir(check);
    struct dirent *de;
    int in_tmp = 0;
    while ((de = readdir(d)) != NULL)
        in_tmp += de->d_name[0] != '.';
    closedir(d);
    assert_int_equal(in_tmp, 0);

    fmapi_maildir_reader *r = NULL;
    fmapi_mailbox_entry e;
    assert_int_equal(fmapi_maildir_open(md, 0, &r), S_OK);
    int n = 0, read = 0;
    while (fmapi_maildir_next(r, &e) == S_OK) {
        n++;
        assert_string_equal(e.folder, "");
        if (e.flags & MSGFLAG_READ) {
            read++;
            assert_string_equal(e.data, "Subject: read\n\n");
        } else {
            assert_string_equal(e.data, "Subject: new\n\n");
        }
    }
    assert_int_equal(n, 2);
    assert_int_equal(read, 1);
    fmapi_maildir_close(r);
    assert_int_equal(fmapi_maildir_open(md, FMAPI_MAILDIR_RECURSE, &r), S_OK);
    n = 0;
    int deep = 0;
    while (fmapi_maildir_next(r, &e) == S_OK) {
        n++;
        if (strcmp(e.folder, "Sub/Folder") == 0) {
            deep++;
            assert_string_equal(e.data, "Subject: deep\n\n");
            assert_non_null(strstr(e.path, "/.Sub.Folder/new/"));
        }
    }
    assert_int_equal(n, 3);
    assert_int_equal(deep, 1);
    fmapi_maildir_close(r);
}

static void maildir_reader_reports_an_unreadable_file_and_goes_on(void **state)
{
    const char *md = tmp_path("Broken");
    assert_int_equal(fmapi_maildir_deliver(md, NULL, "Subject: ok\n\n", 13, 0, NULL, 0), S_OK);
    char link[700];
    snprintf(link, sizeof link, "%s/cur/dangling:2,S", md);
    assert_int_equal(symlink("/nonexistent/file", link), 0);
    fmapi_maildir_reader *r = NULL;
    fmapi_mailbox_entry e;
    assert_int_equal(fmapi_maildir_open(md, 0, &r), S_OK);
    int ok = 0, bad = 0;
    for (;;) {
        HRESULT hr = fmapi_maildir_next(r, &e);
        if (hr == MAPI_E_NOT_FOUND)
            break;
        if (hr == MAPI_E_DISK_ERROR) {
            bad++;
            assert_non_null(strstr(fmapi_mime_last_error(), "dangling"));
        } else {
            assert_int_equal(hr, S_OK);
            ok++;
        }
    }
    assert_int_equal(ok, 1);
    assert_int_equal(bad, 1);
    fmapi_maildir_close(r);
    assert_int_equal(fmapi_maildir_open(tmp_path("not-a-maildir"), 0, &r), MAPI_E_NOT_FOUND);
    assert_int_equal(fmapi_maildir_open(md, 0x10, &r), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(fmapi_maildir_open(NULL, 0, &r), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_maildir_next(NULL, &e), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_maildir_deliver(NULL, NULL, "x", 1, 0, NULL, 0),
                     MAPI_E_INVALID_PARAMETER);
    fmapi_maildir_close(NULL);
}

/* ---- out of memory ------------------------------------------------------------ */
static HRESULT read_mbox_once(void *ctx)
{
    fmapi_mbox_reader *r = NULL;
    HRESULT hr = fmapi_mbox_open(ctx, &r);
    fmapi_mailbox_entry e;
    while (hr == S_OK)
        hr = fmapi_mbox_next(r, &e);
    fmapi_mbox_close(r);
    return hr == MAPI_E_NOT_FOUND ? S_OK : hr;
}

static HRESULT write_mbox_once(void *ctx)
{
    fmapi_mbox_writer *w = NULL;
    HRESULT hr = fmapi_mbox_writer_open(ctx, 0, &w);
    if (hr != S_OK)
        return hr;
    hr = fmapi_mbox_writer_add(w, MBOX, sizeof MBOX - 1, NULL, 0);
    HRESULT hc = fmapi_mbox_writer_close(w);
    return hr != S_OK ? hr : hc;
}

static HRESULT read_maildir_once(void *ctx)
{
    fmapi_maildir_reader *r = NULL;
    HRESULT hr = fmapi_maildir_open(ctx, FMAPI_MAILDIR_RECURSE, &r);
    fmapi_mailbox_entry e;
    while (hr == S_OK)
        hr = fmapi_maildir_next(r, &e);
    fmapi_maildir_close(r);
    return hr == MAPI_E_NOT_FOUND ? S_OK : hr;
}

static void mailboxes_leak_nothing_and_survive_every_allocation_failure(void **state)
{
    char *mbox = tmp_path("oom.mbox");
    write_file(mbox, MBOX);
    char *out = tmp_path("oom-out.mbox");
    char *md = tmp_path("OomMaildir");
    assert_int_equal(fmapi_maildir_deliver(md, "A", "Subject: x\n\n", 12, 0, NULL, 0), S_OK);
    assert_int_equal(fmapi_maildir_deliver(md, NULL, "Subject: y\n\n", 12, MSGFLAG_READ, NULL, 0),
                     S_OK);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    assert_int_equal(read_mbox_once(mbox), S_OK);
    assert_int_equal(write_mbox_once(out), S_OK);
    assert_int_equal(read_maildir_once(md), S_OK);
    fm_test_assert_no_leak(&b);
    assert_true(fm_test_oom_sweep(read_mbox_once, mbox) >= 3);
    assert_true(fm_test_oom_sweep(write_mbox_once, out) >= 2);
    assert_true(fm_test_oom_sweep(read_maildir_once, md) >= 2);
}

static int setup(void **state)
{
    fx_open_store("mailbox");
    return 0;
}

static int teardown(void **state)
{
    fx_close_store();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mbox_reader_splits_unescapes_and_reports_offsets),
        cmocka_unit_test(mbox_reader_keeps_text_before_the_first_separator),
        cmocka_unit_test(mbox_status_header_marks_read_messages),
        cmocka_unit_test(mbox_functions_check_their_arguments),
        cmocka_unit_test(mbox_writer_escapes_and_the_reader_gives_back_the_same_bytes),
        cmocka_unit_test(store_messages_go_through_an_mbox_and_back),
        cmocka_unit_test(maildir_delivery_and_reading_with_folders_and_flags),
        cmocka_unit_test(maildir_reader_reports_an_unreadable_file_and_goes_on),
        cmocka_unit_test(mailboxes_leak_nothing_and_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
