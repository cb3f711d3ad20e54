/*
 * tests/ab/test_addrbook_advise.c - IAddrBook::Advise and Unadvise: the
 * site directory's changes (users and lists added, changed, removed) reach
 * registrations on the global address list and on one entry, in commit
 * order with the changed tags, from this process and from another; the
 * Contacts container relays its folder's changes as address book entries;
 * the documented errors; Release ends what is left; out-of-memory sweeps.
 */
#include <sys/wait.h>

#include "../notify/notify_fixture.h"
#include "ab/ab.h"
#include "ab_fixture.h"
#include "core/text.h"
#include "session/session.h"
#include "site/site.h"
#include "store/entryid.h"

#define PROFILE "adv-alice"

static char site_dir[600];

typedef struct abeid {
    BYTE b[FM_AB_EID_SIZE];
} abeid;

static abeid eid_make(int kind, int64_t id)
{
    abeid e;
    fm_ab_eid_write(kind, id, e.b);
    return e;
}

static fmapi_site *admin(void)
{
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(site_dir, 0, &site), S_OK);
    return site;
}

/* The directory entry ID of alias. */
static abeid entry_of(fmapi_site *site, const char *alias)
{
    fm_site_entry e;
    assert_int_equal(fm_site_find(site, alias, &e), S_OK);
    abeid out = eid_make(e.kind, e.id);
    fm_site_entry_clear(&e);
    return out;
}

static LPADRBOOK open_ab(LPMAPISESSION s)
{
    LPADRBOOK ab = NULL;
    assert_int_equal(fm_session_open_addrbook(s, AB_NO_DIALOG, &ab), S_OK);
    return ab;
}

static int eid_is(ULONG cb, LPENTRYID p, const abeid *want)
{
    return cb == FM_AB_EID_SIZE && p != NULL && memcmp(p, want->b, FM_AB_EID_SIZE) == 0;
}

/* Notification i of r: type about obj (obj_type) in parent, with tags
 * (ntags of them; tags NULL: lpPropTagArray NULL). */
static void expect_entry(nx_recorder *r, size_t i, ULONG type, ULONG obj_type, const abeid *obj,
                         const abeid *parent, ULONG ntags, const ULONG *tags)
{
    assert_true(i < r->n);
    const NOTIFICATION *n = r->seen[i];
    assert_int_equal(n->ulEventType, type);
    const OBJECT_NOTIFICATION *o = &n->info.obj;
    assert_int_equal(o->ulObjType, obj_type);
    assert_true(eid_is(o->cbEntryID, o->lpEntryID, obj));
    assert_true(eid_is(o->cbParentID, o->lpParentID, parent));
    assert_int_equal(o->cbOldID, 0);
    assert_null(o->lpOldParentID);
    if (tags == NULL) {
        assert_null(o->lpPropTagArray);
        return;
    }
    assert_non_null(o->lpPropTagArray);
    assert_int_equal(o->lpPropTagArray->cValues, ntags);
    for (ULONG k = 0; k < ntags; k++)
        assert_int_equal(o->lpPropTagArray->aulPropTag[k], tags[k]);
}

/* Everything queued is delivered, and r saw exactly want. */
static void expect_count(nx_recorder *r, size_t want)
{
    assert_int_equal(nx_recorder_wait(r, want), want);
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
    assert_int_equal(r->n, want);
}

static const ULONG MEMBER[] = { PR_EMS_AB_MEMBER };
static const ULONG TITLE[] = { PR_TITLE_A };
static const ULONG RENAMED[] = { PR_ACCOUNT_A, PR_EMAIL_ADDRESS_A, PR_SEARCH_KEY,
                                 PR_DISPLAY_NAME_A, PR_TRANSMITABLE_DISPLAY_NAME_A };
#define EVENTS (fnevObjectCreated | fnevObjectModified | fnevObjectDeleted)

static void directory_changes_reach_the_global_address_list_in_order(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    abeid gal = eid_make(FM_AB_KIND_CONTAINER, FM_AB_GAL);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    assert_int_equal(IAddrBook_Advise(ab, sizeof gal.b, (LPENTRYID)gal.b, EVENTS, sink, &conn),
                     S_OK);
    assert_true(conn != 0);
    fmapi_site *site = admin();
    assert_int_equal(fmapi_site_add_user(site, "carol", "Carol", "carol@example.org", "pw"),
                     S_OK);
    abeid carol = entry_of(site, "carol");
    assert_int_equal(fmapi_site_set_attribute(site, "carol", FMAPI_ATTR_TITLE, "Chief"), S_OK);
    assert_int_equal(fmapi_site_add_list(site, "club", "The Club", NULL), S_OK);
    abeid club = entry_of(site, "club");
    assert_int_equal(fmapi_site_add_member(site, "club", "carol"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "club", "carol"), S_OK); /* no change */
    assert_int_equal(fmapi_site_set_password(site, "carol", "new"), S_OK); /* not shown */
    assert_int_equal(fmapi_site_rename(site, "carol", "caroline", "Caroline"), S_OK);
    assert_int_equal(fmapi_site_remove(site, "caroline"), S_OK);
    assert_int_equal(fmapi_site_remove(site, "club"), S_OK);
    /* A failed change tells nothing. */
    assert_int_equal(fmapi_site_add_user(site, "bob", NULL, NULL, NULL), MAPI_E_COLLISION);
    expect_count(&r, 8);
    expect_entry(&r, 0, fnevObjectCreated, MAPI_MAILUSER, &carol, &gal, 0, NULL);
    expect_entry(&r, 1, fnevObjectModified, MAPI_MAILUSER, &carol, &gal, 1, TITLE);
    expect_entry(&r, 2, fnevObjectCreated, MAPI_DISTLIST, &club, &gal, 0, NULL);
    expect_entry(&r, 3, fnevObjectModified, MAPI_DISTLIST, &club, &gal, 1, MEMBER);
    expect_entry(&r, 4, fnevObjectModified, MAPI_MAILUSER, &carol, &gal, 5, RENAMED);
    expect_entry(&r, 5, fnevObjectModified, MAPI_DISTLIST, &club, &gal, 1, MEMBER);
    expect_entry(&r, 6, fnevObjectDeleted, MAPI_MAILUSER, &carol, &gal, 0, NULL);
    expect_entry(&r, 7, fnevObjectDeleted, MAPI_DISTLIST, &club, &gal, 0, NULL);
    assert_int_equal(IAddrBook_Unadvise(ab, conn), S_OK);
    assert_int_equal(IAddrBook_Unadvise(ab, conn), MAPI_E_NOT_FOUND);
    assert_int_equal(fmapi_site_add_list(site, "after", NULL, NULL), S_OK);
    assert_int_equal(fmapi_site_remove(site, "after"), S_OK);
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
    assert_int_equal(r.n, 8); /* nothing after Unadvise */
    fmapi_site_close(site);
    IMAPIAdviseSink_Release(sink);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
    nx_recorder_clear(&r);
}

static void an_entry_registration_sees_that_entry_alone(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    fmapi_site *site = admin();
    abeid bob = entry_of(site, "bob");
    abeid gal = eid_make(FM_AB_KIND_CONTAINER, FM_AB_GAL);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    assert_int_equal(IAddrBook_Advise(ab, sizeof bob.b, (LPENTRYID)bob.b, fnevObjectModified,
                                      sink, &conn),
                     S_OK);
    assert_int_equal(fmapi_site_set_attribute(site, "alice", FMAPI_ATTR_TITLE, "Queen"), S_OK);
    assert_int_equal(fmapi_site_set_attribute(site, "bob", FMAPI_ATTR_TITLE, "Builder"), S_OK);
    assert_int_equal(fmapi_site_add_list(site, "other", NULL, NULL), S_OK); /* not bob */
    assert_int_equal(fmapi_site_remove(site, "other"), S_OK);
    expect_count(&r, 1);
    expect_entry(&r, 0, fnevObjectModified, MAPI_MAILUSER, &bob, &gal, 1, TITLE);
    /* Releasing the address book ends the registration: the sink is let go. */
    IAddrBook_Release(ab);
    assert_int_equal(fmapi_site_set_attribute(site, "bob", FMAPI_ATTR_TITLE, "Mason"), S_OK);
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(IMAPIAdviseSink_Release(sink), 0);
    fmapi_site_close(site);
    IMAPISession_Release(s);
    nx_recorder_clear(&r);
}

/* The child: another process administering the site. */
static int child_administers(void)
{
    fmapi_site *site = NULL;
    if (fmapi_site_open(site_dir, 0, &site) != S_OK)
        return 10;
    if (fmapi_site_add_list(site, "remote", "Remote List", NULL) != S_OK ||
        fmapi_site_set_attribute(site, "remote", FMAPI_ATTR_PHONE, "1") != S_OK ||
        fmapi_site_remove(site, "remote") != S_OK)
        return 11;
    fmapi_site_close(site);
    return 0;
}

static void changes_made_by_another_process_are_notified_here(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    abeid root = eid_make(FM_AB_KIND_CONTAINER, FM_AB_ROOT);
    abeid gal = eid_make(FM_AB_KIND_CONTAINER, FM_AB_GAL);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0;
    assert_int_equal(IAddrBook_Advise(ab, sizeof root.b, (LPENTRYID)root.b, EVENTS, sink, &conn),
                     S_OK);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        fm_test_child_exit(child_administers());
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    expect_count(&r, 3);
    /* The list is gone: its id is in the notifications. */
    const OBJECT_NOTIFICATION *o = &r.seen[0]->info.obj;
    assert_int_equal(o->cbEntryID, FM_AB_EID_SIZE);
    abeid remote;
    memcpy(remote.b, o->lpEntryID, FM_AB_EID_SIZE);
    int kind = 0;
    int64_t id = 0;
    assert_int_equal(fm_ab_eid_parse(FM_AB_EID_SIZE, (LPENTRYID)remote.b, &kind, &id), S_OK);
    assert_int_equal(kind, FM_AB_KIND_LIST);
    static const ULONG PHONE[] = { PR_BUSINESS_TELEPHONE_NUMBER_A };
    expect_entry(&r, 0, fnevObjectCreated, MAPI_DISTLIST, &remote, &gal, 0, NULL);
    expect_entry(&r, 1, fnevObjectModified, MAPI_DISTLIST, &remote, &gal, 1, PHONE);
    expect_entry(&r, 2, fnevObjectDeleted, MAPI_DISTLIST, &remote, &gal, 0, NULL);
    assert_int_equal(IAddrBook_Unadvise(ab, conn), S_OK);
    IMAPIAdviseSink_Release(sink);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
    nx_recorder_clear(&r);
}

/* IMAPISession::Advise hands an address book entry ID to the address book. */
static void the_session_routes_address_book_entry_ids(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    abeid gal = eid_make(FM_AB_KIND_CONTAINER, FM_AB_GAL);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 0, ended = 0;
    assert_int_equal(IMAPISession_Advise(s, sizeof gal.b, (LPENTRYID)gal.b, fnevObjectCreated,
                                         sink, &conn),
                     S_OK);
    assert_int_equal(IMAPISession_Advise(s, sizeof gal.b, (LPENTRYID)gal.b, fnevObjectDeleted,
                                         sink, &ended),
                     S_OK); /* Logoff ends it */
    fmapi_site *site = admin();
    assert_int_equal(fmapi_site_add_list(site, "routed", NULL, NULL), S_OK);
    abeid routed = entry_of(site, "routed");
    expect_count(&r, 1);
    expect_entry(&r, 0, fnevObjectCreated, MAPI_DISTLIST, &routed, &gal, 0, NULL);
    assert_int_equal(IMAPISession_Unadvise(s, conn), S_OK);
    assert_int_equal(IMAPISession_Unadvise(s, conn), MAPI_E_NOT_FOUND);
    assert_int_equal(IMAPISession_Logoff(s, 0, 0, 0), S_OK);
    assert_int_equal(fmapi_site_remove(site, "routed"), S_OK);
    assert_int_equal(fm_notify_wait_idle(30000), S_OK);
    assert_int_equal(r.n, 1);
    fmapi_site_close(site);
    IMAPISession_Release(s);
    assert_int_equal(IMAPIAdviseSink_Release(sink), 0);
    nx_recorder_clear(&r);
}

/* ---- the Contacts container ----------------------------------------------------------- */

static LPMDB open_default_store(LPMAPISESSION s)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPISession_GetMsgStoresTable(s, 0, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 10, 0, &rows), S_OK);
    LPSPropValue eid = PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues, PR_ENTRYID);
    LPMDB mdb = NULL;
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, eid->Value.bin.cb,
                                               (LPENTRYID)eid->Value.bin.lpb, NULL,
                                               MDB_WRITE | MDB_NO_DIALOG, &mdb),
                     S_OK);
    FreeProws(rows);
    IMAPITable_Release(t);
    return mdb;
}

static LPMAPIFOLDER open_special(LPMDB mdb, ULONG tag)
{
    ULONG type = 0, n = 0;
    LPMAPIFOLDER root = NULL, folder = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root), S_OK);
    SPropTagArray t = { 1, { tag } };
    LPSPropValue v = NULL;
    assert_int_equal(IMAPIFolder_GetProps(root, &t, 0, &n, &v), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(mdb, v->Value.bin.cb, (LPENTRYID)v->Value.bin.lpb, NULL,
                                         MAPI_MODIFY, &type, (LPUNKNOWN *)&folder),
                     S_OK);
    MAPIFreeBuffer(v);
    IMAPIFolder_Release(root);
    return folder;
}

/* A contact saved in folder: its message id (and its store entry ID in
 * meid when not NULL). */
static int64_t save_contact(LPMDB mdb, LPMAPIFOLDER folder, const char *display,
                            const char *addr, BYTE *meid)
{
    MAPINAMEID name = { (LPGUID)&PSETID_Address, MNID_ID, { 0x8083 } };
    LPMAPINAMEID pname = &name;
    LPSPropTagArray tags = NULL;
    assert_int_equal(IMsgStore_GetIDsFromNames(mdb, 1, &pname, MAPI_CREATE, &tags), S_OK);
    SPropValue p[3];
    p[0].ulPropTag = PR_MESSAGE_CLASS_A;
    p[0].Value.lpszA = (LPSTR) "IPM.Contact";
    p[1].ulPropTag = PR_DISPLAY_NAME_A;
    p[1].Value.lpszA = (LPSTR)display;
    p[2].ulPropTag = PROP_TAG(PT_STRING8, PROP_ID(tags->aulPropTag[0]));
    p[2].Value.lpszA = (LPSTR)addr;
    MAPIFreeBuffer(tags);
    LPMESSAGE msg = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(folder, NULL, 0, &msg), S_OK);
    assert_int_equal(IMessage_SetProps(msg, 3, p, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(msg, KEEP_OPEN_READWRITE), S_OK);
    ULONG n = 0;
    SPropTagArray t = { 1, { PR_ENTRYID } };
    LPSPropValue v = NULL;
    assert_int_equal(IMessage_GetProps(msg, &t, 0, &n, &v), S_OK);
    MAPIUID uid;
    int kind = 0;
    uint64_t mid = 0;
    assert_int_equal(fm_entryid_parse(v->Value.bin.cb, (LPENTRYID)v->Value.bin.lpb, &uid, &kind,
                                      &mid),
                     S_OK);
    if (meid != NULL)
        memcpy(meid, v->Value.bin.lpb, FM_EID_SIZE);
    MAPIFreeBuffer(v);
    IMessage_Release(msg);
    return (int64_t)mid;
}

static void the_contacts_container_tells_its_folders_changes(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    LPMDB mdb = open_default_store(s);
    LPMAPIFOLDER contacts = open_special(mdb, PR_IPM_CONTACT_ENTRYID);
    abeid pab = eid_make(FM_AB_KIND_CONTAINER, FM_AB_CONTACTS);
    nx_recorder r, one;
    nx_recorder_init(&r);
    nx_recorder_init(&one);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r), *sink1 = nx_recorder_sink(&one);
    ULONG_PTR conn = 0, conn1 = 0;
    assert_int_equal(IAddrBook_Advise(ab, sizeof pab.b, (LPENTRYID)pab.b, EVENTS, sink, &conn),
                     S_OK);
    BYTE meid[FM_EID_SIZE];
    int64_t dan = save_contact(mdb, contacts, "Dan Contact", "dan@contoso.com", meid);
    abeid dan_eid = eid_make(FM_AB_KIND_CONTACT, dan);
    assert_int_equal(IAddrBook_Advise(ab, sizeof dan_eid.b, (LPENTRYID)dan_eid.b,
                                      fnevObjectDeleted, sink1, &conn1),
                     S_OK);
    /* Changed again, then deleted. */
    ULONG type = 0;
    LPMESSAGE m = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, sizeof meid, (LPENTRYID)meid, NULL, MAPI_MODIFY,
                                         &type, (LPUNKNOWN *)&m),
                     S_OK);
    SPropValue subj = { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = (LPSTR) "Daniel" };
    assert_int_equal(IMessage_SetProps(m, 1, &subj, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    /* A message saved elsewhere is no address book change. */
    ULONG icb = 0;
    LPENTRYID ieid = NULL;
    LPMAPIFOLDER inbox = NULL;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &icb, &ieid, NULL), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(mdb, icb, ieid, NULL, MAPI_MODIFY, &type,
                                         (LPUNKNOWN *)&inbox),
                     S_OK);
    MAPIFreeBuffer(ieid);
    (void)save_contact(mdb, inbox, "Not A Contact", "x@contoso.com", NULL);
    IMAPIFolder_Release(inbox);
    ENTRYLIST el = { 1, NULL };
    SBinary bin = { sizeof meid, meid };
    el.lpbin = &bin;
    assert_int_equal(IMAPIFolder_DeleteMessages(contacts, &el, 0, NULL, 0), S_OK);
    expect_count(&r, 3);
    expect_entry(&r, 0, fnevObjectCreated, MAPI_MAILUSER, &dan_eid, &pab, 0, NULL);
    expect_entry(&r, 1, fnevObjectModified, MAPI_MAILUSER, &dan_eid, &pab, 0, NULL);
    expect_entry(&r, 2, fnevObjectDeleted, MAPI_MAILUSER, &dan_eid, &pab, 0, NULL);
    expect_count(&one, 1);
    expect_entry(&one, 0, fnevObjectDeleted, MAPI_MAILUSER, &dan_eid, &pab, 0, NULL);
    assert_int_equal(IAddrBook_Unadvise(ab, conn), S_OK);
    assert_int_equal(IAddrBook_Unadvise(ab, conn1), S_OK);
    IMAPIAdviseSink_Release(sink);
    IMAPIAdviseSink_Release(sink1);
    IMAPIFolder_Release(contacts);
    IMsgStore_Release(mdb);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
    nx_recorder_clear(&r);
    nx_recorder_clear(&one);
}

/* ---- errors ----------------------------------------------------------------------------- */

static void advise_answers_the_documented_errors(void **state)
{
    (void)state;
    LPMAPISESSION s = ab_logon(PROFILE);
    LPADRBOOK ab = open_ab(s);
    nx_recorder r;
    nx_recorder_init(&r);
    IMAPIAdviseSink *sink = nx_recorder_sink(&r);
    ULONG_PTR conn = 7;
    abeid gal = eid_make(FM_AB_KIND_CONTAINER, FM_AB_GAL);
    assert_int_equal(IAddrBook_Advise(ab, 0, NULL, EVENTS, sink, &conn),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(conn, 0);
    assert_int_equal(IAddrBook_Advise(ab, sizeof gal.b, (LPENTRYID)gal.b, 0, sink, &conn),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IAddrBook_Advise(ab, sizeof gal.b, (LPENTRYID)gal.b, fnevNewMail, sink,
                                      &conn),
                     MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "does not raise"));
    assert_int_equal(IAddrBook_Advise(ab, sizeof gal.b, (LPENTRYID)gal.b, EVENTS, NULL, &conn),
                     MAPI_E_INVALID_PARAMETER);
    /* Another provider's entry ID; a malformed one of ours; a one-off. */
    BYTE other[32] = { 0, 0, 0, 0, 1, 2, 3 };
    assert_int_equal(IAddrBook_Advise(ab, sizeof other, (LPENTRYID)other, EVENTS, sink, &conn),
                     MAPI_E_UNKNOWN_ENTRYID);
    assert_int_equal(IAddrBook_Advise(ab, 20, (LPENTRYID)gal.b, EVENTS, sink, &conn),
                     MAPI_E_INVALID_ENTRYID);
    ULONG cb = 0;
    LPENTRYID oneoff = NULL;
    assert_int_equal(IAddrBook_CreateOneOff(ab, (LPTSTR) "X", (LPTSTR) "SMTP",
                                            (LPTSTR) "x@y.org", 0, &cb, &oneoff),
                     S_OK);
    assert_int_equal(IAddrBook_Advise(ab, cb, oneoff, EVENTS, sink, &conn), MAPI_E_NO_SUPPORT);
    MAPIFreeBuffer(oneoff);
    /* An entry that is not (or no longer) in the directory. */
    abeid gone = eid_make(FM_AB_KIND_USER, 999999);
    assert_int_equal(IAddrBook_Advise(ab, sizeof gone.b, (LPENTRYID)gone.b, EVENTS, sink, &conn),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(IAddrBook_Unadvise(ab, 0), MAPI_E_NOT_FOUND);
    IMAPIAdviseSink_Release(sink);
    IAddrBook_Release(ab);
    IMAPISession_Release(s);
}

/* ---- out of memory --------------------------------------------------------------------- */

typedef struct oom_ctx {
    LPMAPISESSION s;
    IMAPIAdviseSink *sink;
    bool contacts; /* the Contacts container too (a mailbox opened each time) */
} oom_ctx;

static HRESULT advise_and_unadvise(void *ctx)
{
    oom_ctx *c = ctx;
    LPADRBOOK ab = NULL;
    HRESULT hr = fm_session_open_addrbook(c->s, AB_NO_DIALOG, &ab);
    if (hr != S_OK)
        return hr;
    abeid gal = eid_make(FM_AB_KIND_CONTAINER, FM_AB_GAL);
    abeid pab = eid_make(c->contacts ? FM_AB_KIND_CONTAINER : FM_AB_KIND_USER,
                         c->contacts ? FM_AB_CONTACTS : 1);
    ULONG_PTR a = 0, b = 0, left = 0;
    hr = IAddrBook_Advise(ab, sizeof gal.b, (LPENTRYID)gal.b, EVENTS, c->sink, &a);
    if (hr == S_OK)
        hr = IAddrBook_Advise(ab, sizeof pab.b, (LPENTRYID)pab.b, EVENTS, c->sink, &b);
    if (hr == S_OK)
        hr = IAddrBook_Advise(ab, sizeof gal.b, (LPENTRYID)gal.b, fnevObjectDeleted, c->sink,
                              &left); /* Release ends it */
    if (hr == S_OK)
        hr = IAddrBook_Unadvise(ab, a);
    if (hr == S_OK)
        hr = IAddrBook_Unadvise(ab, b);
    IAddrBook_Release(ab);
    return hr;
}

static void advise_and_unadvise_survive_every_allocation_failure(void **state)
{
    (void)state;
    nx_recorder r;
    nx_recorder_init(&r);
    oom_ctx c = { ab_logon(PROFILE), nx_recorder_sink(&r), false };
    assert_int_equal(advise_and_unadvise(&c), S_OK); /* warm up */
    assert_true(fm_test_oom_sweep(advise_and_unadvise, &c) > 5); /* the directory's */
    /* The Contacts relay opens the mailbox each time: every 7th point. */
    c.contacts = true;
    assert_int_equal(advise_and_unadvise(&c), S_OK);
    setenv("FM_TEST_OOM_STRIDE", "7", 0);
    assert_true(fm_test_oom_sweep(advise_and_unadvise, &c) > 5);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    for (int i = 0; i < 5; i++)
        assert_int_equal(advise_and_unadvise(&c), S_OK);
    fm_test_assert_no_leak(&b);
    assert_int_equal(IMAPIAdviseSink_Release(c.sink), 0);
    IMAPISession_Release(c.s);
}

static int setup(void **state)
{
    (void)state;
    snprintf(site_dir, sizeof site_dir, "%s/advsite", fm_test_tmpdir());
    ab_make_site(site_dir);
    char dir[600];
    snprintf(dir, sizeof dir, "%s/profiles", fm_test_tmpdir());
    setenv("FREEMAPI_PROFILE_DIR", dir, 1);
    if (MAPIInitialize(NULL) != S_OK)
        return -1;
    ab_make_profile(PROFILE, site_dir, "alice");
    return 0;
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
        cmocka_unit_test(directory_changes_reach_the_global_address_list_in_order),
        cmocka_unit_test(an_entry_registration_sees_that_entry_alone),
        cmocka_unit_test(changes_made_by_another_process_are_notified_here),
        cmocka_unit_test(the_session_routes_address_book_entry_ids),
        cmocka_unit_test(the_contacts_container_tells_its_folders_changes),
        cmocka_unit_test(advise_answers_the_documented_errors),
        cmocka_unit_test(advise_and_unadvise_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
