/*
 * tests/mime/test_mailbox.c - mbox and Maildir: reading (separators,
 * ">From " unescaping, offsets, truncated and odd files), writing (escaping
 * across chunk boundaries, whole messages only), Maildir++ folders and
 * flags, delivery names, the marks (Maildir letters, mbox X-Status) as MAPI
 * properties, modified UTF-7 folder names, empty folders, messages too
 * large to hold, and out-of-memory sweeps.
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

static const void *fm_mime_memmem_test(const void *hay, size_t n, const char *needle, size_t k)
{
    for (size_t i = 0; i + k <= n; i++) {
        if (memcmp((const char *)hay + i, needle, k) == 0)
            return (const char *)hay + i;
    }
    return NULL;
}

/* The saved message m opened again (its status read anew). */
static LPMESSAGE reopen(LPMESSAGE m)
{
    LPSPropValue eid = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, PR_ENTRYID, &eid), S_OK);
    LPMESSAGE back = NULL;
    ULONG type = 0;
    assert_int_equal(IMAPIFolder_OpenEntry(fx_folder, eid->Value.bin.cb,
                                           (LPENTRYID)eid->Value.bin.lpb, NULL, MAPI_MODIFY,
                                           &type, (LPUNKNOWN *)&back), S_OK);
    MAPIFreeBuffer(eid);
    IMessage_Release(m);
    return back;
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

/* ---- marks, folder names, empty folders, large messages ------------------- */

/* Every Maildir letter reads into its mark and is written back, sorted. */
static void maildir_marks_are_read_and_written_letter_for_letter(void **state)
{
    const char *md = tmp_path("Marks");
    static const struct {
        const char *letters;
        ULONG flags;
    } CASES[] = {
        { "D", FMAPI_MAILBOX_DRAFT },      { "F", FMAPI_MAILBOX_FLAGGED },
        { "P", FMAPI_MAILBOX_PASSED },     { "R", FMAPI_MAILBOX_ANSWERED },
        { "S", MSGFLAG_READ },             { "T", FMAPI_MAILBOX_DELETED },
        { "FRS", FMAPI_MAILBOX_FLAGGED | FMAPI_MAILBOX_ANSWERED | MSGFLAG_READ },
        { "ST", MSGFLAG_READ | FMAPI_MAILBOX_DELETED },
    };
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        char name[512], want[16];
        assert_int_equal(fmapi_maildir_deliver(md, NULL, "Subject: m\n\n", 12, CASES[i].flags,
                                               name, sizeof name), S_OK);
        snprintf(want, sizeof want, ":2,%s", CASES[i].letters);
        assert_non_null(strstr(name, want));
        assert_string_equal(strstr(name, ":2,"), want);
    }
    /* Files other programs wrote (letters in any order, unknown ones too). */
    char path[700];
    snprintf(path, sizeof path, "%s/cur/1700000000.other.host:2,TSa", md);
    write_file(path, "Subject: trashed\n\n");
    fmapi_maildir_reader *r = NULL;
    fmapi_mailbox_entry e;
    assert_int_equal(fmapi_maildir_open(md, 0, &r), S_OK);
    int seen = 0;
    while (fmapi_maildir_next(r, &e) == S_OK) {
        const char *info = strstr(e.path, ":2,");
        bool found = false;
        for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
            if (info != NULL && strcmp(info + 3, CASES[i].letters) == 0) {
                assert_int_equal(e.flags, CASES[i].flags);
                found = true;
            }
        }
        if (info != NULL && strcmp(info, ":2,TSa") == 0) {
            assert_int_equal(e.flags, MSGFLAG_READ | FMAPI_MAILBOX_DELETED);
            found = true;
        }
        assert_true(found);
        seen++;
    }
    assert_int_equal(seen, 9);
    fmapi_maildir_close(r);
}

/* X-Status A F T D as mutt and Dovecot write them, read and written. */
static void mbox_x_status_marks_are_read_and_written(void **state)
{
    const char *path = tmp_path("xstatus.mbox");
    write_file(path, "From a Mon Jan  6 09:00:00 2025\nSubject: answered\nStatus: RO\n"
                     "X-Status: AF\n\nbody\n\n"
                     "From b Mon Jan  6 09:00:00 2025\nSubject: trashed draft\nStatus: O\n"
                     "X-Status: TD\n\nbody\n\n"
                     "From c Mon Jan  6 09:00:00 2025\nSubject: plain\n\nX-Status: AFTD\n");
    static const ULONG want[] = {
        MSGFLAG_READ | FMAPI_MAILBOX_ANSWERED | FMAPI_MAILBOX_FLAGGED,
        FMAPI_MAILBOX_DRAFT | FMAPI_MAILBOX_DELETED,
        0, /* in the body: not a mark */
    };
    fmapi_mbox_reader *r = NULL;
    fmapi_mailbox_entry e;
    assert_int_equal(fmapi_mbox_open(path, &r), S_OK);
    LPMESSAGE m[3];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(fmapi_mbox_next(r, &e), S_OK);
        assert_int_equal(e.flags, want[i]);
        m[i] = fx_new();
        assert_int_equal(fmapi_mime_import_buffer(e.data, e.len, m[i], CCSF_EMBEDDED_MESSAGE),
                         S_OK); /* received mail, not a draft (as `mapi import`) */
        assert_int_equal(fmapi_mailbox_set_flags(m[i], e.flags), S_OK);
        assert_int_equal(IMessage_SaveChanges(m[i], KEEP_OPEN_READWRITE), S_OK);
        if (e.flags & FMAPI_MAILBOX_DELETED) {
            assert_int_equal(fmapi_mailbox_mark_deleted(fx_folder, m[i]), S_OK);
            m[i] = reopen(m[i]);
        }
    }
    fmapi_mbox_close(r);
    const char *out = tmp_path("xstatus-out.mbox");
    fmapi_mbox_writer *w = NULL;
    assert_int_equal(fmapi_mbox_writer_open(out, 0, &w), S_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(fmapi_mbox_writer_add_message(w, m[i], CCSF_EMBEDDED_MESSAGE), S_OK);
    assert_int_equal(fmapi_mbox_writer_close(w), S_OK);
    assert_int_equal(fmapi_mbox_open(out, &r), S_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(fmapi_mbox_next(r, &e), S_OK);
        assert_int_equal(e.flags, want[i]);
        char *text = strndup(e.data, e.len);
        const char *x = strstr(text, "X-Status:");
        if (want[i] != 0) { /* one field each, not the kept one and a new one */
            assert_non_null(x);
            assert_null(strstr(x + 1, "X-Status:"));
        }
        assert_non_null(strstr(text, i == 0 ? "Status: RO\n" : "Status: O\n"));
        free(text);
        IMessage_Release(m[i]);
    }
    fmapi_mbox_close(r);
}

/* The marks become what MAPI clients show: read, draft, follow-up flag,
 * replied and forwarded (verb and icon), and deleted (marked, not gone). */
static void mailbox_marks_become_mapi_properties_and_back(void **state)
{
    LPMESSAGE m = fx_new();
    assert_int_equal(fmapi_mime_import_buffer("Subject: s\n\nb\n", 14, m, CCSF_EMBEDDED_MESSAGE),
                     S_OK);
    assert_int_equal(fmapi_mailbox_set_flags(m, MSGFLAG_READ | FMAPI_MAILBOX_FLAGGED |
                                                    FMAPI_MAILBOX_ANSWERED), S_OK);
    assert_true(fx_long(m, PR_MESSAGE_FLAGS) & MSGFLAG_READ);
    assert_int_equal(fx_long(m, PR_FLAG_STATUS), 2);          /* followupFlagged */
    assert_int_equal(fx_long(m, PR_LAST_VERB_EXECUTED), 102); /* reply to sender */
    assert_int_equal(fx_long(m, PR_ICON_INDEX), 0x105);
    ULONG f = 0;
    assert_int_equal(fmapi_mailbox_get_flags(m, &f), S_OK);
    assert_int_equal(f, MSGFLAG_READ | FMAPI_MAILBOX_FLAGGED | FMAPI_MAILBOX_ANSWERED);
    IMessage_Release(m);

    m = fx_new();
    assert_int_equal(fmapi_mime_import_buffer("Subject: s\n\nb\n", 14, m, CCSF_EMBEDDED_MESSAGE),
                     S_OK);
    assert_int_equal(fmapi_mailbox_set_flags(m, FMAPI_MAILBOX_PASSED | FMAPI_MAILBOX_DRAFT |
                                                    FMAPI_MAILBOX_DELETED), S_OK);
    assert_false(fx_long(m, PR_MESSAGE_FLAGS) & MSGFLAG_READ);
    assert_true(fx_long(m, PR_MESSAGE_FLAGS) & MSGFLAG_UNSENT);
    assert_int_equal(fx_long(m, PR_LAST_VERB_EXECUTED), 104); /* forward */
    assert_int_equal(fx_long(m, PR_ICON_INDEX), 0x106);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(fmapi_mailbox_get_flags(m, &f), S_OK);
    assert_int_equal(f, FMAPI_MAILBOX_PASSED | FMAPI_MAILBOX_DRAFT);
    assert_int_equal(fmapi_mailbox_mark_deleted(fx_folder, m), S_OK);
    m = reopen(m);
    assert_true(fx_long(m, PR_MSG_STATUS) & MSGSTATUS_DELMARKED);
    assert_int_equal(fmapi_mailbox_get_flags(m, &f), S_OK);
    assert_int_equal(f, FMAPI_MAILBOX_PASSED | FMAPI_MAILBOX_DRAFT | FMAPI_MAILBOX_DELETED);

    /* Delivered with its marks: trashed mail goes back trashed. */
    const char *md = tmp_path("Delivered");
    char name[512];
    assert_int_equal(fmapi_maildir_deliver_message(md, NULL, m, CCSF_EMBEDDED_MESSAGE, name,
                                                   sizeof name), S_OK);
    assert_string_equal(strstr(name, ":2,"), ":2,DPT");
    char path[1200];
    snprintf(path, sizeof path, "%s/cur/%s", md, name);
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    text[n] = '\0';
    char *exported = fx_export(m, CCSF_EMBEDDED_MESSAGE);
    assert_string_equal(text, exported);
    assert_non_null(strstr(text, "X-Unsent: 1\r\n"));
    free(exported);
    IMessage_Release(m);
    assert_int_equal(fmapi_mailbox_set_flags(NULL, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_mailbox_get_flags(NULL, &f), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fmapi_maildir_deliver_message(md, NULL, NULL, 0, NULL, 0),
                     MAPI_E_INVALID_PARAMETER);
}

/* Maildir++ names are modified UTF-7 (RFC 3501 5.1.3) both ways. */
static void maildir_folder_names_are_modified_utf7(void **state)
{
    const char *md = tmp_path("Utf7");
    assert_int_equal(fmapi_maildir_deliver(md, "Entwürfe", "Subject: a\n\n", 12, 0, NULL, 0),
                     S_OK);
    assert_int_equal(fmapi_maildir_deliver(md, "台北/日本語", "Subject: b\n\n", 12, 0, NULL, 0),
                     S_OK);
    assert_int_equal(fmapi_maildir_deliver(md, "R&D", "Subject: c\n\n", 12, 0, NULL, 0), S_OK);
    struct stat st;
    char check[700];
    static const char *const DIRS[] = { ".Entw&APw-rfe", ".&U,BTFw-.&ZeVnLIqe-", ".R&-D" };
    for (int i = 0; i < 3; i++) {
        snprintf(check, sizeof check, "%s/%s/new", md, DIRS[i]);
        assert_int_equal(stat(check, &st), 0);
    }
    /* Written by another server: ".Gel&APY-scht.Alt" */
    snprintf(check, sizeof check, "%s/.Gel&APY-scht.Alt", md);
    assert_int_equal(fmapi_maildir_make_folder(md, "Gelöscht/Alt"), S_OK);
    assert_int_equal(stat(check, &st), 0);
    snprintf(check, sizeof check, "%s/.Gel&APY-scht.Alt/cur/1.x:2,S", md);
    write_file(check, "Subject: d\n\n");
    fmapi_maildir_reader *r = NULL;
    fmapi_mailbox_entry e;
    assert_int_equal(fmapi_maildir_open(md, FMAPI_MAILDIR_RECURSE, &r), S_OK);
    int found = 0;
    while (fmapi_maildir_next(r, &e) == S_OK) {
        if (strcmp(e.data, "Subject: a\n\n") == 0)
            assert_string_equal(e.folder, "Entwürfe"), found |= 1;
        else if (strcmp(e.data, "Subject: b\n\n") == 0)
            assert_string_equal(e.folder, "台北/日本語"), found |= 2;
        else if (strcmp(e.data, "Subject: c\n\n") == 0)
            assert_string_equal(e.folder, "R&D"), found |= 4;
        else if (strcmp(e.data, "Subject: d\n\n") == 0)
            assert_string_equal(e.folder, "Gelöscht/Alt"), found |= 8;
    }
    assert_int_equal(found, 15);
    fmapi_maildir_close(r);
}

/* With FMAPI_MAILDIR_FOLDERS each folder is announced, empty ones too. */
static void empty_maildir_folders_are_seen_and_made(void **state)
{
    const char *md = tmp_path("Empty");
    assert_int_equal(fmapi_maildir_make_folder(md, "Archive/2024"), S_OK);
    assert_int_equal(fmapi_maildir_make_folder(md, "Leer"), S_OK);
    assert_int_equal(fmapi_maildir_deliver(md, "Leer", "Subject: x\n\n", 12, 0, NULL, 0), S_OK);
    char check[700];
    struct stat st;
    snprintf(check, sizeof check, "%s/.Archive.2024/maildirfolder", md);
    assert_int_equal(stat(check, &st), 0);
    fmapi_maildir_reader *r = NULL;
    fmapi_mailbox_entry e;
    assert_int_equal(fmapi_maildir_open(md, FMAPI_MAILDIR_RECURSE | FMAPI_MAILDIR_FOLDERS, &r),
                     S_OK);
    int folders = 0, messages = 0;
    bool archive = false;
    while (fmapi_maildir_next(r, &e) == S_OK) {
        if (e.flags & FMAPI_MAILBOX_FOLDER) {
            folders++;
            assert_int_equal(e.len, 0);
            archive |= strcmp(e.folder, "Archive/2024") == 0;
        } else {
            messages++;
            assert_string_equal(e.folder, "Leer");
        }
    }
    assert_int_equal(folders, 2);
    assert_int_equal(messages, 1);
    assert_true(archive);
    fmapi_maildir_close(r);
    /* Without the flag, only messages (as before). */
    assert_int_equal(fmapi_maildir_open(md, FMAPI_MAILDIR_RECURSE, &r), S_OK);
    messages = 0;
    while (fmapi_maildir_next(r, &e) == S_OK) {
        assert_false(e.flags & FMAPI_MAILBOX_FOLDER);
        messages++;
    }
    assert_int_equal(messages, 1);
    fmapi_maildir_close(r);
}

/* Fills f with a message of about size bytes: headers, then lines. */
static void write_large(FILE *f, const char *subject, size_t size, bool escape)
{
    fprintf(f, "Subject: %s\nStatus: RO\nX-Status: F\n\n", subject);
    for (size_t n = 0; n < size; n += 64)
        fprintf(f, "%s%-59zu.\n", escape && n % 6400 == 0 ? ">From " : "line ", n);
}

/* A message larger than FMAPI_MAILBOX_SPOOL_MIN comes with a descriptor
 * to stream from, and data maps the same bytes. */
static void large_mailbox_messages_come_as_descriptors(void **state)
{
    const size_t big = FMAPI_MAILBOX_SPOOL_MIN + 3 * 65536 + 17;
    const char *path = tmp_path("large.mbox");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("From a Mon Jan  6 09:00:00 2025\n", f);
    write_large(f, "large", big, true);
    fputs("\nFrom b Mon Jan  6 09:00:00 2025\nSubject: small\n\nafter\n", f);
    fclose(f);
    fmapi_mbox_reader *r = NULL;
    fmapi_mailbox_entry e;
    assert_int_equal(fmapi_mbox_open(path, &r), S_OK);
    assert_int_equal(fmapi_mbox_next(r, &e), S_OK);
    assert_true(e.fd >= 0);
    assert_true(e.len > big);
    assert_int_equal(e.flags, MSGFLAG_READ | FMAPI_MAILBOX_FLAGGED);
    assert_memory_equal(e.data, "Subject: large\n", 15);
    assert_memory_equal(e.data + e.len - 3, " .\n", 3);
    assert_null(fm_mime_memmem_test(e.data, e.len, "\n>From ", 7)); /* unescaped */
    assert_non_null(fm_mime_memmem_test(e.data, e.len, "\nFrom 6400 ", 11));
    char *back = malloc(e.len);
    size_t got = 0;
    ssize_t k;
    while ((k = read(e.fd, back + got, e.len - got)) > 0)
        got += (size_t)k;
    assert_int_equal(got, e.len);
    assert_memory_equal(back, e.data, e.len);
    free(back);
    LPMESSAGE m = fx_new();
    assert_int_equal(lseek(e.fd, 0, SEEK_SET), 0);
    assert_int_equal(fmapi_mime_import_fd(e.fd, m, 0), S_OK);
    fx_assert_str(m, PR_SUBJECT, "large");
    IMessage_Release(m);
    assert_int_equal(fmapi_mbox_next(r, &e), S_OK);
    assert_int_equal(e.fd, -1);
    assert_string_equal(e.data, "Subject: small\n\nafter\n");
    assert_int_equal(fmapi_mbox_next(r, &e), MAPI_E_NOT_FOUND);
    fmapi_mbox_close(r);

    const char *md = tmp_path("LargeMaildir");
    assert_int_equal(fmapi_maildir_make_folder(md, NULL), S_OK);
    char file[700];
    snprintf(file, sizeof file, "%s/cur/1.large:2,S", md);
    f = fopen(file, "wb");
    write_large(f, "large file", big, false);
    fclose(f);
    fmapi_maildir_reader *mr = NULL;
    assert_int_equal(fmapi_maildir_open(md, 0, &mr), S_OK);
    assert_int_equal(fmapi_maildir_next(mr, &e), S_OK);
    assert_true(e.fd >= 0);
    struct stat st;
    assert_int_equal(fstat(e.fd, &st), 0);
    assert_int_equal((size_t)st.st_size, e.len);
    assert_memory_equal(e.data, "Subject: large file\n", 20);
    fmapi_maildir_close(mr);
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
        cmocka_unit_test(maildir_marks_are_read_and_written_letter_for_letter),
        cmocka_unit_test(mbox_x_status_marks_are_read_and_written),
        cmocka_unit_test(mailbox_marks_become_mapi_properties_and_back),
        cmocka_unit_test(maildir_folder_names_are_modified_utf7),
        cmocka_unit_test(empty_maildir_folders_are_seen_and_made),
        cmocka_unit_test(large_mailbox_messages_come_as_descriptors),
        cmocka_unit_test(mailboxes_leak_nothing_and_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
