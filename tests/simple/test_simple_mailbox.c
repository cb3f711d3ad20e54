/*
 * tests/simple/test_simple_mailbox.c - Simple MAPI's mailbox functions on a
 * site mailbox: MAPIFindNext walking the Inbox in the order mail was
 * received (unread only when asked, by class, on past a deleted seed),
 * MAPIReadMail giving the envelope, text, recipients and files as its flags
 * ask, MAPISaveMail creating and replacing messages whole or not at all,
 * MAPIDeleteMail, the sender the spooler stamps at SubmitMessage (and an
 * "on behalf of" the client set, kept), their documented errors, no leak,
 * and out-of-memory failures that leave no file behind.
 */
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mapi.h"

#include "../spool/spool_fixture.h"

#define PROFILE "simplebox"

static const char *site_dir(void)
{
    static char dir[600];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "%s/simplebox", fm_test_tmpdir());
        ab_make_site(dir);
    }
    return dir;
}

static LHANDLE logon(void)
{
    LHANDLE h = 0;
    assert_int_equal(MAPILogon(0, PROFILE, NULL, 0, 0, &h), SUCCESS_SUCCESS);
    return h;
}

/* Messages in alice's Inbox. */
static ULONG inbox_count(void)
{
    LPMDB mdb = sp_open_mailbox(site_dir(), "alice");
    LPMAPIFOLDER in = sp_inbox(mdb);
    ULONG n = sp_count(in);
    IMAPIFolder_Release(in);
    IMsgStore_Release(mdb);
    return n;
}

/* Empties alice's Inbox for the next test. */
static void empty_inbox(LHANDLE h)
{
    char id[512];
    while (MAPIFindNext(h, 0, NULL, NULL, 0, 0, id) == SUCCESS_SUCCESS)
        assert_int_equal(MAPIDeleteMail(h, 0, id, 0, 0), SUCCESS_SUCCESS);
    while (MAPIFindNext(h, 0, "IPC", NULL, 0, 0, id) == SUCCESS_SUCCESS)
        assert_int_equal(MAPIDeleteMail(h, 0, id, 0, 0), SUCCESS_SUCCESS);
    assert_int_equal(inbox_count(), 0);
}

static void save(LHANDLE h, const char *subject, const char *date, const char *type, char *id)
{
    MapiMessage m = { .lpszSubject = (LPSTR)subject, .lpszNoteText = "text",
                      .lpszDateReceived = (LPSTR)date, .lpszMessageType = (LPSTR)type,
                      .flFlags = MAPI_UNREAD | MAPI_SENT };
    id[0] = '\0';
    assert_int_equal(MAPISaveMail(h, 0, &m, 0, 0, id), SUCCESS_SUCCESS);
    assert_int_equal(strlen(id), 32); /* fits the 64 bytes of callers without MAPI_LONG_MSGID */
}

static void subject_of(LHANDLE h, const char *id, char *out, size_t size)
{
    lpMapiMessage m = NULL;
    assert_int_equal(MAPIReadMail(h, 0, (LPSTR)id, MAPI_PEEK | MAPI_ENVELOPE_ONLY, 0, &m),
                     SUCCESS_SUCCESS);
    snprintf(out, size, "%s", m->lpszSubject);
    MAPIFreeBuffer(m);
}

static void find_next_walks_the_inbox_in_the_order_mail_came(void **state)
{
    (void)state;
    LHANDLE h = logon();
    empty_inbox(h);
    char a[64], b[64], c[64], d[64], id[512], subject[64];
    save(h, "third", "2026/01/03 10:00", NULL, a);
    save(h, "first", "2026/01/01 09:00", NULL, b);
    save(h, "second", "2026/01/02 08:30", "IPM.Note", c);
    save(h, "custom", "2026/01/01 12:00", "IPC.Custom.Thing", d);
    const char *want[] = { "first", "second", "third" };
    char seed[512] = "";
    for (int i = 0; i < 3; i++) {
        assert_int_equal(MAPIFindNext(h, 0, NULL, seed, MAPI_GUARANTEE_FIFO, 0, id),
                         SUCCESS_SUCCESS);
        subject_of(h, id, subject, sizeof subject);
        assert_string_equal(subject, want[i]);
        snprintf(seed, sizeof seed, "%s", id);
    }
    assert_int_equal(MAPIFindNext(h, 0, NULL, seed, 0, 0, id), MAPI_E_NO_MESSAGES);
    /* "" is IPM too; a class finds itself and its subclasses only. */
    assert_int_equal(MAPIFindNext(h, 0, "", NULL, 0, 0, id), SUCCESS_SUCCESS);
    subject_of(h, id, subject, sizeof subject);
    assert_string_equal(subject, "first");
    assert_int_equal(MAPIFindNext(h, 0, "IPC.Custom", NULL, 0, 0, id), SUCCESS_SUCCESS);
    assert_string_equal(id, d);
    assert_int_equal(MAPIFindNext(h, 0, "IPC.Custom", id, 0, 0, id), MAPI_E_NO_MESSAGES);
    assert_int_equal(MAPIFindNext(h, 0, "IPC.Cust", NULL, 0, 0, id), MAPI_E_NO_MESSAGES);
    empty_inbox(h);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
}

static void find_next_goes_on_past_a_seed_deleted_meanwhile(void **state)
{
    (void)state;
    LHANDLE h = logon();
    char a[64], b[64], c[64], id[512];
    save(h, "one", "2026/02/01 09:00", NULL, a);
    save(h, "two", "2026/02/01 09:00", NULL, b); /* the same minute: by id */
    save(h, "three", "2026/02/02 09:00", NULL, c);
    assert_int_equal(MAPIFindNext(h, 0, NULL, NULL, 0, 0, id), SUCCESS_SUCCESS);
    assert_string_equal(id, a);
    /* The find, read, delete loop of Simple MAPI programs. */
    assert_int_equal(MAPIDeleteMail(h, 0, a, 0, 0), SUCCESS_SUCCESS);
    assert_int_equal(MAPIFindNext(h, 0, NULL, a, 0, 0, id), SUCCESS_SUCCESS);
    assert_string_equal(id, b);
    assert_int_equal(MAPIDeleteMail(h, 0, b, 0, 0), SUCCESS_SUCCESS);
    assert_int_equal(MAPIFindNext(h, 0, NULL, b, 0, 0, id), SUCCESS_SUCCESS);
    assert_string_equal(id, c);
    /* A deleted message's identifier is no longer valid. */
    lpMapiMessage m = NULL;
    assert_int_equal(MAPIReadMail(h, 0, a, 0, 0, &m), MAPI_E_INVALID_MESSAGE);
    assert_null(m);
    assert_int_equal(MAPIDeleteMail(h, 0, a, 0, 0), MAPI_E_INVALID_MESSAGE);
    empty_inbox(h);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
}

static void reading_marks_read_unless_peeking_and_unread_only_skips_it(void **state)
{
    (void)state;
    LHANDLE h = logon();
    char a[64], b[64], id[512];
    save(h, "old", "2026/03/01 09:00", NULL, a);
    save(h, "new", "2026/03/02 09:00", NULL, b);
    lpMapiMessage m = NULL;
    assert_int_equal(MAPIReadMail(h, 0, a, MAPI_PEEK, 0, &m), SUCCESS_SUCCESS);
    assert_true(m->flFlags & MAPI_UNREAD);
    MAPIFreeBuffer(m);
    assert_int_equal(MAPIFindNext(h, 0, NULL, NULL, MAPI_UNREAD_ONLY, 0, id), SUCCESS_SUCCESS);
    assert_string_equal(id, a); /* peeking left it unread */
    assert_int_equal(MAPIReadMail(h, 0, a, 0, 0, &m), SUCCESS_SUCCESS);
    assert_true(m->flFlags & MAPI_UNREAD); /* as it was when it was read */
    MAPIFreeBuffer(m);
    assert_int_equal(MAPIFindNext(h, 0, NULL, NULL, MAPI_UNREAD_ONLY, 0, id), SUCCESS_SUCCESS);
    assert_string_equal(id, b);
    assert_int_equal(MAPIReadMail(h, 0, a, MAPI_PEEK, 0, &m), SUCCESS_SUCCESS);
    assert_false(m->flFlags & MAPI_UNREAD);
    MAPIFreeBuffer(m);
    empty_inbox(h);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void assert_file(const char *path, const char *text)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0600);
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_string_equal(buf, text);
}

/* Removes what a read wrote: the files and their private directory. */
static void remove_files(lpMapiMessage m)
{
    char dir[700] = "";
    for (ULONG i = 0; i < m->nFileCount; i++) {
        snprintf(dir, sizeof dir, "%s", m->lpFiles[i].lpszPathName);
        assert_int_equal(unlink(m->lpFiles[i].lpszPathName), 0);
    }
    if (dir[0] != '\0') {
        *strrchr(dir, '/') = '\0';
        struct stat st;
        assert_int_equal(lstat(dir, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0700);
        assert_int_equal(rmdir(dir), 0);
    }
}

/* A message from alice to herself and bob, with a file, through the spooler. */
static void send_to_self(LHANDLE h, const char *path)
{
    write_file(path, "attached bytes");
    MapiRecipDesc r[2] = {
        { .ulRecipClass = MAPI_TO, .lpszName = "Alice Liddell" },
        { .ulRecipClass = MAPI_CC, .lpszName = "bob", .lpszAddress = "SMTP:bob@example.org" },
    };
    MapiFileDesc file = { .nPosition = (ULONG)-1, .lpszPathName = (LPSTR)path,
                          .lpszFileName = "../Report.txt" };
    MapiMessage m = { .lpszSubject = "with a file", .lpszNoteText = "the body",
                      .nRecipCount = 2, .lpRecips = r, .nFileCount = 1, .lpFiles = &file };
    assert_int_equal(MAPISendMail(h, 0, &m, 0, 0), SUCCESS_SUCCESS);
}

static void read_mail_gives_envelope_text_recipients_and_files(void **state)
{
    (void)state;
    LHANDLE h = logon();
    char path[700], id[512];
    snprintf(path, sizeof path, "%s/report.txt", fm_test_tmpdir());
    send_to_self(h, path);
    assert_int_equal(MAPIFindNext(h, 0, NULL, NULL, 0, 0, id), SUCCESS_SUCCESS);
    lpMapiMessage m = NULL;
    assert_int_equal(MAPIReadMail(h, 0, id, 0, 0, &m), SUCCESS_SUCCESS);
    assert_string_equal(m->lpszSubject, "with a file");
    assert_string_equal(m->lpszNoteText, "the body");
    assert_string_equal(m->lpszMessageType, "IPM.Note");
    assert_int_equal(strlen(m->lpszDateReceived), strlen("YYYY/MM/DD HH:MM"));
    assert_int_equal(m->lpszDateReceived[4], '/');
    assert_int_equal(m->lpszDateReceived[13], ':');
    assert_true(m->flFlags & MAPI_UNREAD);
    assert_true(m->flFlags & MAPI_SENT);
    assert_non_null(m->lpOriginator);
    assert_int_equal(m->lpOriginator->ulRecipClass, MAPI_ORIG);
    assert_string_equal(m->lpOriginator->lpszName, "Alice Liddell");
    assert_int_equal(m->nRecipCount, 2);
    assert_int_equal(m->lpRecips[0].ulRecipClass, MAPI_TO);
    assert_string_equal(m->lpRecips[0].lpszName, "Alice Liddell");
    assert_int_equal(m->lpRecips[1].ulRecipClass, MAPI_CC);
    assert_string_equal(m->lpRecips[1].lpszName, "Bob Builder");
    assert_string_equal(m->lpRecips[1].lpszAddress, "SMTP:bob@example.org");
    assert_true(m->lpRecips[1].ulEIDSize > 0);
    assert_int_equal(m->nFileCount, 1);
    assert_string_equal(m->lpFiles[0].lpszFileName, "../Report.txt");
    /* The file's own name is made safe: it stays in its directory. */
    assert_non_null(strstr(m->lpFiles[0].lpszPathName, "/.._Report.txt"));
    assert_file(m->lpFiles[0].lpszPathName, "attached bytes");
    remove_files(m);
    MAPIFreeBuffer(m);

    /* The flags: envelope only, no files, the text as the first file. */
    assert_int_equal(MAPIReadMail(h, 0, id, MAPI_ENVELOPE_ONLY, 0, &m), SUCCESS_SUCCESS);
    assert_null(m->lpszNoteText);
    assert_int_equal(m->nFileCount, 0);
    assert_false(m->flFlags & MAPI_UNREAD);
    MAPIFreeBuffer(m);
    assert_int_equal(MAPIReadMail(h, 0, id, MAPI_SUPPRESS_ATTACH, 0, &m), SUCCESS_SUCCESS);
    assert_string_equal(m->lpszNoteText, "the body");
    assert_int_equal(m->nFileCount, 0);
    MAPIFreeBuffer(m);
    assert_int_equal(MAPIReadMail(h, 0, id, MAPI_BODY_AS_FILE, 0, &m), SUCCESS_SUCCESS);
    assert_null(m->lpszNoteText);
    assert_int_equal(m->nFileCount, 2);
    assert_file(m->lpFiles[0].lpszPathName, "the body");
    assert_file(m->lpFiles[1].lpszPathName, "attached bytes");
    remove_files(m);
    MAPIFreeBuffer(m);
    empty_inbox(h);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
}

/* Extended MAPI: alice submits, from her Outbox, a message "on behalf of"
 * someone (PR_SENT_REPRESENTING_* set by the client) to herself. */
static void submit_on_behalf(void)
{
    LPMAPISESSION ses = NULL;
    assert_int_equal(MAPILogonEx(0, (LPTSTR)PROFILE, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION,
                                 &ses),
                     S_OK);
    LPMDB mdb = NULL;
    LPSRowSet rows = NULL;
    LPMAPITABLE t = NULL;
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    assert_int_equal(IMAPISession_GetMsgStoresTable(ses, 0, &t), S_OK);
    assert_int_equal(HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows), S_OK);
    SBinary *eid = &rows->aRow[0].lpProps[0].Value.bin;
    assert_int_equal(IMAPISession_OpenMsgStore(ses, 0, eid->cb, (LPENTRYID)eid->lpb, NULL,
                                               MDB_WRITE, &mdb),
                     S_OK);
    FreeProws(rows);
    IMAPITable_Release(t);
    LPMAPIFOLDER outbox = sp_folder(mdb, PR_IPM_OUTBOX_ENTRYID);
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(outbox, NULL, 0, &m), S_OK);
    SPropValue v[3] = {
        { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "for the boss" },
        { .ulPropTag = PR_SENT_REPRESENTING_NAME_A, .Value.lpszA = "The Boss" },
        { .ulPropTag = PR_SENT_REPRESENTING_EMAIL_ADDRESS_A, .Value.lpszA = "boss@example.org" },
    };
    assert_int_equal(IMessage_SetProps(m, 3, v, NULL), S_OK);
    LPADRLIST list = NULL;
    assert_int_equal(MAPIAllocateBuffer(CbNewADRLIST(1), (void **)&list), S_OK);
    list->cEntries = 1;
    list->aEntries[0].cValues = 3;
    assert_int_equal(MAPIAllocateMore(3 * sizeof(SPropValue), list,
                                      (void **)&list->aEntries[0].rgPropVals),
                     S_OK);
    LPSPropValue p = list->aEntries[0].rgPropVals;
    p[0] = (SPropValue){ .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "alice" };
    p[1] = (SPropValue){ .ulPropTag = PR_ADDRTYPE_A, .Value.lpszA = "SMTP" };
    p[2] = (SPropValue){ .ulPropTag = PR_EMAIL_ADDRESS_A, .Value.lpszA = "alice@example.org" };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, list), S_OK);
    FreePadrlist(list);
    assert_int_equal(IMessage_SubmitMessage(m, 0), S_OK);
    IMessage_Release(m);
    IMAPIFolder_Release(outbox);
    IMsgStore_Release(mdb);
    assert_int_equal(IMAPISession_Logoff(ses, 0, 0, 0), S_OK);
    IMAPISession_Release(ses);
}

static void the_spooler_names_the_sender_and_keeps_on_behalf_of(void **state)
{
    (void)state;
    LHANDLE h = logon();
    submit_on_behalf();
    char id[512];
    assert_int_equal(MAPIFindNext(h, 0, NULL, NULL, 0, 0, id), SUCCESS_SUCCESS);
    lpMapiMessage r = NULL;
    assert_int_equal(MAPIReadMail(h, 0, id, MAPI_ENVELOPE_ONLY, 0, &r), SUCCESS_SUCCESS);
    assert_string_equal(r->lpszSubject, "for the boss");
    assert_string_equal(r->lpOriginator->lpszName, "The Boss"); /* what the client set */
    MAPIFreeBuffer(r);
    /* The sender is the session's user, stamped at SubmitMessage. */
    LPMDB mdb = sp_open_mailbox(site_dir(), "alice");
    LPMAPIFOLDER in = sp_inbox(mdb);
    SizedSPropTagArray(3, tags) = { 3, { PR_SENDER_NAME_A, PR_SENDER_EMAIL_ADDRESS_A,
                                         PR_SENT_REPRESENTING_EMAIL_ADDRESS_A } };
    LPSRowSet rows = sp_rows(in, (LPSPropTagArray)&tags);
    assert_int_equal(rows->cRows, 1);
    assert_string_equal(rows->aRow[0].lpProps[0].Value.lpszA, "Alice Liddell");
    assert_string_equal(rows->aRow[0].lpProps[1].Value.lpszA, "alice@example.org");
    assert_string_equal(rows->aRow[0].lpProps[2].Value.lpszA, "boss@example.org");
    FreeProws(rows);
    IMAPIFolder_Release(in);
    IMsgStore_Release(mdb);
    empty_inbox(h);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
}

static void save_mail_replaces_a_message_whole_or_not_at_all(void **state)
{
    (void)state;
    LHANDLE h = logon();
    char path[700], id[512], subject[64];
    snprintf(path, sizeof path, "%s/new.txt", fm_test_tmpdir());
    write_file(path, "new file");
    save(h, "draft", "2026/04/01 09:00", NULL, id);
    MapiRecipDesc zoe = { .ulRecipClass = MAPI_TO, .lpszName = "zoe" };
    MapiFileDesc file = { .nPosition = (ULONG)-1, .lpszPathName = path };
    MapiMessage m = { .lpszSubject = "final", .lpszNoteText = "done", .nRecipCount = 1,
                      .lpRecips = &zoe, .nFileCount = 1, .lpFiles = &file };
    char again[512];
    snprintf(again, sizeof again, "%s", id);
    assert_int_equal(MAPISaveMail(h, 0, &m, 0, 0, again), SUCCESS_SUCCESS);
    assert_string_equal(again, id);
    assert_int_equal(inbox_count(), 1);
    lpMapiMessage r = NULL;
    assert_int_equal(MAPIReadMail(h, 0, id, MAPI_PEEK, 0, &r), SUCCESS_SUCCESS);
    assert_string_equal(r->lpszSubject, "final");
    assert_string_equal(r->lpszNoteText, "done");
    assert_string_equal(r->lpszDateReceived, "2026/04/01 09:00");
    assert_int_equal(r->nRecipCount, 1);
    assert_string_equal(r->lpRecips[0].lpszAddress, "SMTP:zoe@example.org");
    assert_int_equal(r->nFileCount, 1);
    assert_string_equal(r->lpFiles[0].lpszFileName, "new.txt");
    assert_file(r->lpFiles[0].lpszPathName, "new file");
    remove_files(r);
    MAPIFreeBuffer(r);

    /* Failures change nothing. */
    MapiRecipDesc nobody = { .ulRecipClass = MAPI_TO, .lpszName = "Nobody Whatsoever" };
    MapiMessage bad = { .lpszSubject = "broken", .nRecipCount = 1, .lpRecips = &nobody };
    snprintf(again, sizeof again, "%s", id);
    assert_int_equal(MAPISaveMail(h, 0, &bad, 0, 0, again), MAPI_E_UNKNOWN_RECIPIENT);
    bad.nRecipCount = 0;
    bad.lpszDateReceived = "yesterday";
    assert_int_equal(MAPISaveMail(h, 0, &bad, 0, 0, again), MAPI_E_INVALID_MESSAGE);
    again[0] = '\0';
    assert_int_equal(MAPISaveMail(h, 0, &bad, 0, 0, again), MAPI_E_INVALID_MESSAGE);
    subject_of(h, id, subject, sizeof subject);
    assert_string_equal(subject, "final");
    assert_int_equal(inbox_count(), 1);
    empty_inbox(h);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
}

static void mailbox_functions_give_their_documented_errors(void **state)
{
    (void)state;
    LHANDLE h = logon();
    char id[512];
    lpMapiMessage m = NULL;
    MapiMessage msg = { .lpszSubject = "x" };
    assert_int_equal(MAPIFindNext(0, 0, NULL, NULL, 0, 0, id), MAPI_E_INVALID_SESSION);
    assert_int_equal(MAPIFindNext((LHANDLE)0x55, 0, NULL, NULL, 0, 0, id),
                     MAPI_E_INVALID_SESSION);
    assert_int_equal(MAPIFindNext(h, 0, NULL, "not an id", 0, 0, id), MAPI_E_INVALID_MESSAGE);
    assert_int_equal(MAPIFindNext(h, 0, NULL, NULL, 0, 0, NULL), MAPI_E_FAILURE);
    assert_int_equal(MAPIFindNext(h, 0, NULL, NULL, 0, 0, id), MAPI_E_NO_MESSAGES);
    assert_int_equal(MAPIReadMail(0, 0, "x", 0, 0, &m), MAPI_E_INVALID_SESSION);
    assert_int_equal(MAPIReadMail(h, 0, "00000000000000000000000FFFFFFFFF", 0, 0, &m),
                     MAPI_E_INVALID_MESSAGE);
    assert_int_equal(MAPIReadMail(h, 0, NULL, 0, 0, &m), MAPI_E_INVALID_MESSAGE);
    assert_int_equal(MAPIReadMail(h, 0, "x", 0, 0, NULL), MAPI_E_FAILURE);
    assert_int_equal(MAPIDeleteMail(0, 0, "x", 0, 0), MAPI_E_INVALID_SESSION);
    assert_int_equal(MAPIDeleteMail(h, 0, "x", 0, 0), MAPI_E_INVALID_MESSAGE);
    snprintf(id, sizeof id, "00000000000000000000000000000001");
    assert_int_equal(MAPISaveMail(0, 0, &msg, 0, 0, id), MAPI_E_INVALID_SESSION);
    assert_int_equal(MAPISaveMail(h, 0, NULL, 0, 0, id), MAPI_E_FAILURE);
    assert_int_equal(MAPISaveMail(h, 0, &msg, 0, 0, NULL), MAPI_E_FAILURE);
    /* With no session, a new message is saved in a session for the call. */
    id[0] = '\0';
    assert_int_equal(MAPISaveMail(0, 0, &msg, 0, 0, id), SUCCESS_SUCCESS);
    assert_int_equal(MAPIFindNext(h, 0, NULL, NULL, 0, 0, id), SUCCESS_SUCCESS);
    empty_inbox(h);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
}

typedef struct read_ctx {
    LHANDLE h;
    const char *id;
} read_ctx;

/* Entries of the temporary directory (files a failed read left). */
static int tmp_entries(void)
{
    DIR *d = opendir(getenv("TMPDIR"));
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static HRESULT read_once(void *arg)
{
    read_ctx *c = arg;
    lpMapiMessage m = NULL;
    ULONG code = MAPIReadMail(c->h, 0, (LPSTR)c->id, MAPI_PEEK | MAPI_BODY_AS_FILE, 0, &m);
    if (code == SUCCESS_SUCCESS) {
        remove_files(m);
        MAPIFreeBuffer(m);
    }
    assert_int_equal(tmp_entries(), 0); /* a failure leaves no file behind */
    return code == SUCCESS_SUCCESS ? S_OK
           : code == MAPI_E_INSUFFICIENT_MEMORY ? MAPI_E_NOT_ENOUGH_MEMORY
                                                : MAPI_E_CALL_FAILED;
}

static void read_mail_out_of_memory_fails_cleanly(void **state)
{
    (void)state;
    LHANDLE h = logon();
    char path[700], id[512];
    snprintf(path, sizeof path, "%s/oom.txt", fm_test_tmpdir());
    send_to_self(h, path);
    assert_int_equal(MAPIFindNext(h, 0, NULL, NULL, 0, 0, id), SUCCESS_SUCCESS);
    char tmp[700];
    snprintf(tmp, sizeof tmp, "%s/readtmp", fm_test_tmpdir());
    assert_int_equal(mkdir(tmp, 0700), 0);
    setenv("TMPDIR", tmp, 1);
    read_ctx c = { h, id };
    assert_true(fm_test_oom_sweep(read_once, &c) > 10);
    unsetenv("TMPDIR");
    empty_inbox(h);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
}

static void a_find_read_save_delete_cycle_leaks_nothing(void **state)
{
    (void)state;
    LHANDLE h = logon();
    char id[512];
    save(h, "warm up", NULL, NULL, id); /* caches of the first use */
    assert_int_equal(MAPIDeleteMail(h, 0, id, 0, 0), SUCCESS_SUCCESS);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    save(h, "leak?", NULL, NULL, id);
    assert_int_equal(MAPIFindNext(h, 0, NULL, NULL, 0, 0, id), SUCCESS_SUCCESS);
    lpMapiMessage m = NULL;
    assert_int_equal(MAPIReadMail(h, 0, id, 0, 0, &m), SUCCESS_SUCCESS);
    MAPIFreeBuffer(m);
    assert_int_equal(MAPIDeleteMail(h, 0, id, 0, 0), SUCCESS_SUCCESS);
    fm_test_assert_no_leak(&b);
    assert_int_equal(MAPILogoff(h, 0, 0, 0), SUCCESS_SUCCESS);
}

static int setup(void **state)
{
    (void)state;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/profiles", fm_test_tmpdir());
    setenv("FREEMAPI_PROFILE_DIR", dir, 1);
    if (MAPIInitialize(NULL) != S_OK)
        return -1;
    ab_make_profile(PROFILE, site_dir(), "alice");
    LPPROFADMIN pa = NULL;
    if (MAPIAdminProfiles(0, &pa) != S_OK)
        return -1;
    HRESULT hr = IProfAdmin_SetDefaultProfile(pa, (LPTSTR)PROFILE, 0);
    IProfAdmin_Release(pa);
    return hr == S_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    MAPIUninitialize();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(find_next_walks_the_inbox_in_the_order_mail_came),
        cmocka_unit_test(find_next_goes_on_past_a_seed_deleted_meanwhile),
        cmocka_unit_test(reading_marks_read_unless_peeking_and_unread_only_skips_it),
        cmocka_unit_test(read_mail_gives_envelope_text_recipients_and_files),
        cmocka_unit_test(the_spooler_names_the_sender_and_keeps_on_behalf_of),
        cmocka_unit_test(save_mail_replaces_a_message_whole_or_not_at_all),
        cmocka_unit_test(mailbox_functions_give_their_documented_errors),
        cmocka_unit_test(read_mail_out_of_memory_fails_cleanly),
        cmocka_unit_test(a_find_read_save_delete_cycle_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
