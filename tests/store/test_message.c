/*
 * tests/store/test_message.c - IMessage on a store: creating and saving,
 * reading back every property type, string widths, transactions (changes
 * invisible until saved, discarded on release), conflicts, computed
 * properties, read flags, recipients, large values and named properties.
 */
#include <sqlite3.h>
#include <sys/wait.h>

#include "store_fixture.h"
#include "store/stream.h"

static void a_saved_message_reopens_with_every_property_type(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPMDB mdb = fx_new_store("types");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    GUID g = { 0x12345678, 0x9abc, 0xdef0, { 1, 2, 3, 4, 5, 6, 7, 8 } };
    LONG longs[] = { 1, -2, 3 };
    LPSTR strs[] = { "alpha", "b\xc3\xa9ta" };
    BYTE bytes[] = { 0, 1, 2, 255 };
    SPropValue p[] = {
        { .ulPropTag = PR_SUBJECT_W, .Value.lpszW = (LPWSTR)u"Gr\u00FC\u00DFe \U0001F600" },
        { .ulPropTag = PR_IMPORTANCE, .Value.l = 2 },
        { .ulPropTag = PROP_TAG(PT_I2, 0x6001), .Value.i = -7 },
        { .ulPropTag = PROP_TAG(PT_DOUBLE, 0x6002), .Value.dbl = 3.25 },
        { .ulPropTag = PROP_TAG(PT_BOOLEAN, 0x6003), .Value.b = 1 },
        { .ulPropTag = PROP_TAG(PT_I8, 0x6004), .Value.li.QuadPart = -1234567890123LL },
        { .ulPropTag = PROP_TAG(PT_CLSID, 0x6005), .Value.lpguid = &g },
        { .ulPropTag = PROP_TAG(PT_BINARY, 0x6006), .Value.bin = { sizeof bytes, bytes } },
        { .ulPropTag = PROP_TAG(PT_MV_LONG, 0x6007), .Value.MVl = { 3, longs } },
        { .ulPropTag = PROP_TAG(PT_MV_STRING8, 0x6008), .Value.MVszA = { 2, strs } },
        { .ulPropTag = PR_MESSAGE_DELIVERY_TIME, .Value.ft = { 0x89abcdef, 0x01d9a0b0 } },
    };
    ULONG n = sizeof p / sizeof p[0];
    LPSPropProblemArray problems = NULL;
    assert_int_equal(IMessage_SetProps(m, n, p, &problems), S_OK);
    assert_null(problems);
    LPSPropValue none = NULL;
    assert_int_equal(fx_try_get(m, PR_ENTRYID, &none), MAPI_E_NOT_FOUND); /* not saved yet */
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue eid = fx_get(m, PR_ENTRYID);
    IMessage_Release(m);

    m = fx_reopen(mdb, eid, 0);
    ULONG c = 0;
    LPSPropValue got = NULL;
    LPSPropTagArray tags = NULL;
    assert_int_equal(MAPIAllocateBuffer(CbNewSPropTagArray(n), (void **)&tags), S_OK);
    tags->cValues = n;
    for (ULONG i = 0; i < n; i++)
        tags->aulPropTag[i] = p[i].ulPropTag;
    assert_int_equal(IMessage_GetProps(m, tags, 0, &c, &got), S_OK);
    assert_int_equal(c, n);
    for (ULONG i = 0; i < n; i++) {
        assert_int_equal(got[i].ulPropTag, p[i].ulPropTag);
        assert_true(FPropCompareProp(&got[i], RELOP_EQ, &p[i]));
    }
    MAPIFreeBuffer(got);
    /* The same subject in the other width. */
    fx_assert_string(m, PR_SUBJECT, "Gr\xc3\xbc\xc3\x9f" "e \xf0\x9f\x98\x80");
    MAPIFreeBuffer(tags);
    MAPIFreeBuffer(eid);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    fm_test_assert_no_leak_all(&b);
}

static void changes_are_invisible_until_saved_and_lost_on_release(void **state)
{
    LPMDB mdb = fx_new_store("txn");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    fx_set_string(m, PR_SUBJECT, "first");
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue eid = fx_get(m, PR_ENTRYID);

    fx_set_string(m, PR_SUBJECT, "second, unsaved");
    LPMESSAGE other = fx_reopen(mdb, eid, 0);
    fx_assert_string(other, PR_SUBJECT, "first");
    IMessage_Release(other);
    IMessage_Release(m); /* without SaveChanges */

    other = fx_reopen(mdb, eid, 0);
    fx_assert_string(other, PR_SUBJECT, "first");
    IMessage_Release(other);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void saving_over_a_newer_save_is_object_changed_unless_forced(void **state)
{
    LPMDB mdb = fx_new_store("conflict");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    fx_set_string(m, PR_SUBJECT, "v1");
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    LPSPropValue eid = fx_get(m, PR_ENTRYID);
    IMessage_Release(m);

    LPMESSAGE a = fx_reopen(mdb, eid, MAPI_MODIFY);
    LPMESSAGE b = fx_reopen(mdb, eid, MAPI_MODIFY);
    fx_set_string(a, PR_SUBJECT, "from a");
    fx_set_string(b, PR_SUBJECT, "from b");
    assert_int_equal(IMessage_SaveChanges(a, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(IMessage_SaveChanges(b, KEEP_OPEN_READWRITE), MAPI_E_OBJECT_CHANGED);
    LPMAPIERROR err = NULL;
    assert_int_equal(IMessage_GetLastError(b, MAPI_E_OBJECT_CHANGED, 0, &err), S_OK);
    assert_non_null(strstr((char *)err->lpszError, "FORCE_SAVE"));
    MAPIFreeBuffer(err);
    assert_int_equal(IMessage_SaveChanges(b, KEEP_OPEN_READWRITE | FORCE_SAVE), S_OK);
    IMessage_Release(a);
    IMessage_Release(b);
    LPMESSAGE c = fx_reopen(mdb, eid, 0);
    fx_assert_string(c, PR_SUBJECT, "from b");
    IMessage_Release(c);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void saving_a_message_deleted_meanwhile_is_object_deleted(void **state)
{
    const char *path = fx_store_path("deleted");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    /* Another program deletes it (the bulk layer does this through
     * DeleteMessages; here the database is changed directly). */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE messages SET deleted_at = 1", 0, 0, 0), SQLITE_OK);
    sqlite3_close(db);
    fx_set_string(m, PR_SUBJECT, "too late");
    assert_int_equal(IMessage_SaveChanges(m, 0), MAPI_E_OBJECT_DELETED);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void message_flags_are_settable_only_before_the_first_save(void **state)
{
    LPMDB mdb = fx_new_store("flags");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    SPropValue f = { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = MSGFLAG_UNSENT | MSGFLAG_HASATTACH };
    LPSPropProblemArray problems = NULL;
    assert_int_equal(IMessage_SetProps(m, 1, &f, &problems), S_OK);
    assert_null(problems);
    LPSPropValue v = fx_get(m, PR_MESSAGE_FLAGS);
    assert_int_equal(v->Value.l, MSGFLAG_UNSENT); /* HASATTACH is the store's to set */
    MAPIFreeBuffer(v);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    assert_int_equal(IMessage_SetProps(m, 1, &f, &problems), S_OK);
    assert_non_null(problems);
    assert_int_equal(problems->aProblem[0].scode, MAPI_E_COMPUTED);
    MAPIFreeBuffer(problems);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void read_flags_change_counts_and_persist(void **state)
{
    LPMDB mdb = fx_new_store("read");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPSPropValue eids[3];
    for (int i = 0; i < 3; i++) {
        LPMESSAGE m = fx_new_message(inbox);
        assert_int_equal(IMessage_SetReadFlag(m, CLEAR_READ_FLAG), S_OK);
        assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
        eids[i] = fx_get(m, PR_ENTRYID);
        IMessage_Release(m);
    }
    LPSPropValue unread = fx_get(inbox, PR_CONTENT_UNREAD);
    assert_int_equal(unread->Value.l, 3);
    MAPIFreeBuffer(unread);
    LPMESSAGE m = fx_reopen(mdb, eids[0], MAPI_MODIFY);
    assert_int_equal(IMessage_SetReadFlag(m, 0), S_OK);
    IMessage_Release(m); /* SetReadFlag takes effect without SaveChanges */
    unread = fx_get(inbox, PR_CONTENT_UNREAD);
    assert_int_equal(unread->Value.l, 2);
    MAPIFreeBuffer(unread);
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, NULL, 0, NULL, 0), S_OK);
    unread = fx_get(inbox, PR_CONTENT_UNREAD);
    assert_int_equal(unread->Value.l, 0);
    MAPIFreeBuffer(unread);
    SBinary one = eids[1]->Value.bin;
    ENTRYLIST list = { 1, &one };
    assert_int_equal(IMAPIFolder_SetReadFlags(inbox, &list, 0, NULL, CLEAR_READ_FLAG), S_OK);
    unread = fx_get(inbox, PR_CONTENT_UNREAD);
    assert_int_equal(unread->Value.l, 1);
    MAPIFreeBuffer(unread);
    LPSPropValue count = fx_get(inbox, PR_CONTENT_COUNT);
    assert_int_equal(count->Value.l, 3);
    MAPIFreeBuffer(count);
    m = fx_reopen(mdb, eids[2], MAPI_MODIFY);
    assert_int_equal(IMessage_SetReadFlag(m, 0x8000), MAPI_E_UNKNOWN_FLAGS);
    IMessage_Release(m);
    for (int i = 0; i < 3; i++)
        MAPIFreeBuffer(eids[i]);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void recipients_are_saved_and_shown_in_display_to(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    LPMDB mdb = fx_new_store("recips");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    SPropValue r1[] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Ada" },
                        { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    SPropValue r2[] = { { .ulPropTag = PR_DISPLAY_NAME_W, .Value.lpszW = (LPWSTR)u"Gr\u00E2ce" },
                        { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    SPropValue r3[] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Alan" },
                        { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_CC } };
    SizedADRLIST(3, list) = { 3, { { 0, 2, r1 }, { 0, 2, r2 }, { 0, 2, r3 } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, (LPADRLIST)&list), S_OK);
    fx_assert_string(m, PR_DISPLAY_TO, "Ada; Gr\xc3\xa2" "ce");
    fx_assert_string(m, PR_DISPLAY_CC, "Alan");
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue eid = fx_get(m, PR_ENTRYID);
    IMessage_Release(m);

    m = fx_reopen(mdb, eid, MAPI_MODIFY);
    fx_assert_string(m, PR_DISPLAY_TO, "Ada; Gr\xc3\xa2" "ce");
    /* Remove row 1 (Ada), change row 3 (Alan) to BCC. */
    SPropValue rm[] = { { .ulPropTag = PR_ROWID, .Value.l = 1 } };
    SizedADRLIST(1, rml) = { 1, { { 0, 1, rm } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_REMOVE, (LPADRLIST)&rml), S_OK);
    SPropValue md[] = { { .ulPropTag = PR_ROWID, .Value.l = 3 },
                        { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Alan T." },
                        { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_BCC } };
    SizedADRLIST(1, mdl) = { 1, { { 0, 3, md } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_MODIFY, (LPADRLIST)&mdl), S_OK);
    SPropValue missing[] = { { .ulPropTag = PR_ROWID, .Value.l = 99 } };
    SizedADRLIST(1, misl) = { 1, { { 0, 1, missing } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_REMOVE, (LPADRLIST)&misl),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD | MODRECIP_REMOVE,
                                               (LPADRLIST)&misl), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    m = fx_reopen(mdb, eid, 0);
    fx_assert_string(m, PR_DISPLAY_TO, "Gr\xc3\xa2" "ce");
    fx_assert_string(m, PR_DISPLAY_CC, "");
    fx_assert_string(m, PR_DISPLAY_BCC, "Alan T.");
    IMessage_Release(m);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    fm_test_assert_no_leak_all(&b);
}

static void large_values_go_to_streams_and_read_back_whole(void **state)
{
    LPMDB mdb = fx_new_store("large");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    size_t big = 200 * 1024, mid = 30 * 1024;
    char *body = malloc(big + 1), *note = malloc(mid + 1);
    for (size_t i = 0; i < big; i++)
        body[i] = (char)('a' + i % 26);
    body[big] = '\0';
    memset(note, 'n', mid);
    note[mid] = '\0';
    fx_set_string(m, PR_BODY, body);
    fx_set_string(m, PROP_TAG(PT_STRING8, 0x6010), note);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue eid = fx_get(m, PR_ENTRYID);
    IMessage_Release(m);

    m = fx_reopen(mdb, eid, 0);
    /* Too large for GetProps: PT_ERROR MAPI_E_NOT_ENOUGH_MEMORY, read as a stream. */
    LPSPropValue v = NULL;
    assert_int_equal(fx_try_get(m, PR_BODY_A, &v), MAPI_E_NOT_ENOUGH_MEMORY);
    fx_assert_string(m, PROP_TAG(PT_STRING8, 0x6010), note); /* streamed, but small enough */
    LPSTREAM s = NULL;
    assert_int_equal(IMessage_OpenProperty(m, PR_BODY_A, &IID_IStream, 0, 0, (LPUNKNOWN *)&s),
                     S_OK);
    char *back = malloc(big + 10);
    ULONG got = 0, total = 0;
    do {
        assert_int_equal(IStream_Read(s, back + total, 65536, &got), S_OK);
        total += got;
    } while (got > 0 && total < big + 10);
    assert_int_equal(total, big);
    assert_memory_equal(back, body, big);
    IStream_Release(s);
    LPSPropValue size = fx_get(m, PR_MESSAGE_SIZE);
    assert_true(size->Value.l >= (LONG)(big + mid));
    MAPIFreeBuffer(size);
    IMessage_Release(m);
    free(back);
    free(body);
    free(note);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* A value kept in a stream, asked for as a stream under a type it cannot
 * have: the error names the type it is kept as (the text is written after
 * the stream list is freed, so ASan watches the order). */
static void a_stream_value_asked_for_as_another_kind_is_no_support(void **state)
{
    LPMDB mdb = fx_new_store("otherkind");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    size_t mid = 30 * 1024;
    char *note = malloc(mid + 1);
    memset(note, 'n', mid);
    note[mid] = '\0';
    fx_set_string(m, PROP_TAG(PT_STRING8, 0x6010), note);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSTREAM s = NULL;
    assert_int_equal(IMessage_OpenProperty(m, PROP_TAG(PT_BINARY, 0x6010), &IID_IStream, 0, 0,
                                           (LPUNKNOWN *)&s),
                     MAPI_E_NO_SUPPORT);
    assert_null(s);
    LPMAPIERROR err = NULL;
    assert_int_equal(IMessage_GetLastError(m, MAPI_E_NO_SUPPORT, 0, &err), S_OK);
    assert_non_null(strstr((char *)err->lpszError, "type 0x001E"));
    MAPIFreeBuffer(err);
    IMessage_Release(m);
    free(note);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* Reads a whole stream into a malloc'd buffer. */
static BYTE *read_stream(LPSTREAM s, size_t limit, size_t *len)
{
    BYTE *buf = malloc(limit + 1);
    ULONG got = 0;
    size_t total = 0;
    do {
        assert_int_equal(IStream_Read(s, buf + total, (ULONG)(limit + 1 - total), &got), S_OK);
        total += got;
    } while (got > 0 && total <= limit);
    *len = total;
    return buf;
}

static BYTE *read_property_stream(LPMESSAGE m, ULONG tag, size_t limit, size_t *len)
{
    LPSTREAM s = NULL;
    assert_int_equal(IMessage_OpenProperty(m, tag, &IID_IStream, 0, 0, (LPUNKNOWN *)&s), S_OK);
    BYTE *buf = read_stream(s, limit, len);
    IStream_Release(s);
    return buf;
}

/* A large Unicode value is kept as Unicode (not turned into 8-bit at save)
 * and opens as a stream in both widths, converted for the other one. */
static void a_large_unicode_value_keeps_its_width_and_opens_in_both(void **state)
{
    LPMDB mdb = fx_new_store("wide");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    size_t chars = 20000; /* 40,000 bytes as UTF-16: kept in a stream */
    WCHAR *w = malloc((chars + 1) * sizeof(WCHAR));
    char *a = malloc(chars * 2 + 1);
    size_t alen = 0;
    for (size_t i = 0; i < chars; i++) {
        w[i] = (i % 10 == 0) ? 0x00E9 : (WCHAR)('a' + i % 26);
        if (w[i] == 0x00E9) {
            a[alen++] = (char)0xC3;
            a[alen++] = (char)0xA9;
        } else {
            a[alen++] = (char)w[i];
        }
    }
    w[chars] = 0;
    a[alen] = '\0';
    SPropValue v = { .ulPropTag = PR_BODY_W, .Value.lpszW = w };
    assert_int_equal(IMessage_SetProps(m, 1, &v, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue eid = fx_get(m, PR_ENTRYID);
    IMessage_Release(m);
    char path[600];
    snprintf(path, sizeof path, "%s/wide.fmstore", fm_test_tmpdir());
    assert_int_equal(fx_count(path, "SELECT count(*) FROM streams WHERE prop_tag = 0x1000001F"),
                     1);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM streams WHERE prop_tag = 0x1000001E"),
                     0);

    m = fx_reopen(mdb, eid, 0);
    size_t len = 0;
    BYTE *got = read_property_stream(m, PR_BODY_W, chars * 4, &len);
    assert_int_equal(len, chars * sizeof(WCHAR));
    assert_memory_equal(got, w, len);
    free(got);
    got = read_property_stream(m, PR_BODY_A, chars * 4, &len);
    assert_int_equal(len, alen);
    assert_memory_equal(got, a, len);
    free(got);
    LPSPropValue back = fx_get(m, PR_BODY_W); /* under the GetProps limit */
    assert_memory_equal(back->Value.lpszW, w, (chars + 1) * sizeof(WCHAR));
    MAPIFreeBuffer(back);
    IMessage_Release(m);

    /* Rewritten through the other width: kept in the width written. */
    m = fx_reopen(mdb, eid, MAPI_MODIFY);
    LPSTREAM s = NULL;
    assert_int_equal(IMessage_OpenProperty(m, PR_BODY_A, &IID_IStream, 0, MAPI_MODIFY,
                                           (LPUNKNOWN *)&s), S_OK);
    got = read_stream(s, chars * 4, &len);
    assert_int_equal(len, alen);
    assert_memory_equal(got, a, len);
    free(got);
    ULONG wr = 0;
    assert_int_equal(IStream_Write(s, "!", 1, &wr), S_OK);
    assert_int_equal(IStream_Commit(s, 0), S_OK);
    IStream_Release(s);
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM streams WHERE prop_tag = 0x1000001E"),
                     1);
    m = fx_reopen(mdb, eid, 0);
    got = read_property_stream(m, PR_BODY_W, chars * 4, &len);
    assert_int_equal(len, (chars + 1) * sizeof(WCHAR));
    assert_memory_equal(got, w, chars * sizeof(WCHAR));
    assert_int_equal(((WCHAR *)(void *)got)[chars], (WCHAR)'!');
    free(got);
    IMessage_Release(m);
    free(w);
    free(a);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* A reader of OpenProperty gets its copy (a small value of the property bag,
 * a string converted to the other width) in memory: nothing is written to
 * the store, so the same reads work in a store opened read-only (`mapi
 * show` and `save-attachment` on a store in a directory they cannot write). */
static void reading_a_property_as_a_stream_writes_nothing_and_works_read_only(void **state)
{
    LPMDB mdb = fx_new_store("readstreams");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    size_t chars = 20000; /* kept in a stream as UTF-16 */
    WCHAR *w = malloc((chars + 1) * sizeof(WCHAR));
    for (size_t i = 0; i < chars; i++)
        w[i] = (WCHAR)('a' + i % 26);
    w[chars] = 0;
    SPropValue v[] = { { .ulPropTag = PR_BODY_W, .Value.lpszW = w },
                       { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "small" } };
    assert_int_equal(IMessage_SetProps(m, 2, v, NULL), S_OK);
    LPATTACH a = NULL;
    ULONG num = 0;
    assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
    SPropValue av = { .ulPropTag = PR_ATTACH_DATA_BIN, .Value.bin = { 5, (LPBYTE) "bytes" } };
    assert_int_equal(IAttach_SetProps(a, 1, &av, NULL), S_OK);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue eid = fx_get(m, PR_ENTRYID);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    char path[600];
    snprintf(path, sizeof path, "%s/readstreams.fmstore", fm_test_tmpdir());
    long streams = fx_count(path, "SELECT count(*) FROM streams");

    for (int ro = 0; ro < 2; ro++) {
        if (ro) {
            IMsgStore_Release(mdb);
            assert_int_equal(fmapi_store_open(path, FMAPI_STORE_READONLY, &mdb), S_OK);
        }
        m = fx_reopen(mdb, eid, 0);
        LPSTREAM s = NULL, clone = NULL;
        assert_int_equal(IMessage_OpenProperty(m, PR_BODY_A, &IID_IStream, 0, 0,
                                               (LPUNKNOWN *)&s), S_OK);
        assert_int_equal(fx_count(path, "SELECT count(*) FROM streams"), streams);
        assert_int_equal(IStream_Clone(s, &clone), S_OK);
        size_t len = 0;
        BYTE *got = read_stream(s, chars * 2, &len);
        assert_int_equal(len, chars);
        assert_memory_equal(got, "abcdefghij", 10);
        assert_int_equal(got[chars - 1], 'a' + (chars - 1) % 26);
        free(got);
        got = read_stream(clone, chars * 2, &len); /* its own seek pointer */
        assert_int_equal(len, chars);
        free(got);
        ULONG wr = 0;
        assert_int_equal(IStream_Write(s, "x", 1, &wr), STG_E_ACCESSDENIED);
        STATSTG st;
        assert_int_equal(IStream_Stat(s, &st, STATFLAG_NONAME), S_OK);
        assert_int_equal(st.cbSize.QuadPart, chars);
        IStream_Release(clone);
        IStream_Release(s);
        got = read_property_stream(m, PR_SUBJECT_A, 64, &len);
        assert_int_equal(len, 5);
        assert_memory_equal(got, "small", 5);
        free(got);
        LPATTACH at = NULL;
        assert_int_equal(IMessage_OpenAttach(m, num, NULL, 0, &at), S_OK);
        assert_int_equal(IAttach_OpenProperty(at, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
                                              (LPUNKNOWN *)&s), S_OK);
        got = read_stream(s, 64, &len);
        assert_int_equal(len, 5);
        assert_memory_equal(got, "bytes", 5);
        free(got);
        IStream_Release(s);
        IAttach_Release(at);
        IMessage_Release(m);
        assert_int_equal(fx_count(path, "SELECT count(*) FROM streams"), streams);
    }
    free(w);
    MAPIFreeBuffer(eid);
    IMsgStore_Release(mdb);
}

typedef struct open_other_ctx {
    LPMESSAGE m;
} open_other_ctx;

static HRESULT open_other_width(void *p)
{
    open_other_ctx *ctx = p;
    LPSTREAM s = NULL;
    HRESULT hr = IMessage_OpenProperty(ctx->m, PR_BODY_A, &IID_IStream, 0, 0, (LPUNKNOWN *)&s);
    if (hr != S_OK)
        return hr;
    char buf[64];
    ULONG got = 0;
    hr = IStream_Read(s, buf, sizeof buf, &got);
    IStream_Release(s);
    if (hr == S_OK && (got != sizeof buf || memcmp(buf, "ABCDEFGHIJ", 10) != 0))
        hr = MAPI_E_CALL_FAILED;
    return fm_stream_mapi_code(hr);
}

static void opening_in_the_other_width_survives_every_allocation_failure(void **state)
{
    LPMDB mdb = fx_new_store("wideoom");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    size_t chars = 20000; /* over the blob's limit in UTF-8 too: kept in a stream */
    WCHAR *w = malloc((chars + 1) * sizeof(WCHAR));
    for (size_t i = 0; i < chars; i++)
        w[i] = (WCHAR)('A' + i % 26);
    w[chars] = 0;
    SPropValue v = { .ulPropTag = PR_BODY_W, .Value.lpszW = w };
    assert_int_equal(IMessage_SetProps(m, 1, &v, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    open_other_ctx ctx = { m };
    assert_true(fm_test_oom_sweep(open_other_width, &ctx) > 5);
    IMessage_Release(m);
    free(w);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static bool list_has(const SPropTagArray *tags, ULONG tag)
{
    for (ULONG i = 0; i < tags->cValues; i++) {
        if (tags->aulPropTag[i] == tag)
            return true;
    }
    return false;
}

static bool list_has_id(const SPropTagArray *tags, ULONG id)
{
    for (ULONG i = 0; i < tags->cValues; i++) {
        if (PROP_ID(tags->aulPropTag[i]) == id)
            return true;
    }
    return false;
}

/* GetPropList names values too large for GetProps with their real type
 * (strings in the width asked for), the tag to open them under. */
static void get_prop_list_gives_large_values_their_real_type(void **state)
{
    LPMDB mdb = fx_new_store("proplist");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    size_t big = 100 * 1024;
    char *body = malloc(big + 1);
    memset(body, 'b', big);
    body[big] = '\0';
    fx_set_string(m, PR_BODY, body);
    BYTE *bin = calloc(1, big);
    SPropValue v[] = { { .ulPropTag = PROP_TAG(PT_BINARY, 0x6030),
                         .Value.bin = { (ULONG)big, bin } },
                       { .ulPropTag = PR_IMPORTANCE, .Value.l = 1 } };
    assert_int_equal(IMessage_SetProps(m, 2, v, NULL), S_OK);
    for (int saved = 0; saved < 2; saved++) {
        for (int wide = 0; wide < 2; wide++) {
            LPSPropTagArray tags = NULL;
            assert_int_equal(IMessage_GetPropList(m, wide ? MAPI_UNICODE : 0, &tags), S_OK);
            assert_true(list_has(tags, wide ? PR_BODY_W : PR_BODY_A));
            assert_true(list_has(tags, PROP_TAG(PT_BINARY, 0x6030)));
            assert_true(list_has(tags, PR_IMPORTANCE));
            assert_int_equal(list_has_id(tags, PROP_ID(PR_ENTRYID)), saved == 1);
            for (ULONG i = 0; i < tags->cValues; i++) {
                assert_int_not_equal(PROP_TYPE(tags->aulPropTag[i]), PT_UNSPECIFIED);
                assert_int_not_equal(PROP_TYPE(tags->aulPropTag[i]), PT_ERROR);
            }
            /* The same properties GetProps(NULL) returns. */
            ULONG n = 0;
            LPSPropValue all = NULL;
            assert_true(SUCCEEDED(IMessage_GetProps(m, NULL, wide ? MAPI_UNICODE : 0, &n, &all)));
            assert_int_equal(n, tags->cValues);
            for (ULONG i = 0; i < n; i++)
                assert_true(list_has_id(tags, PROP_ID(all[i].ulPropTag)));
            MAPIFreeBuffer(all);
            MAPIFreeBuffer(tags);
        }
        if (saved == 0)
            assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    }
    IMessage_Release(m);
    free(body);
    free(bin);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static HRESULT list_props(void *p)
{
    LPSPropTagArray tags = NULL;
    HRESULT hr = IMessage_GetPropList((LPMESSAGE)p, MAPI_UNICODE, &tags);
    if (hr == S_OK && !list_has(tags, PR_BODY_W))
        hr = MAPI_E_CALL_FAILED;
    MAPIFreeBuffer(tags);
    return hr;
}

static void get_prop_list_survives_every_allocation_failure(void **state)
{
    LPMDB mdb = fx_new_store("proplistoom");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    char *body = malloc(70001);
    memset(body, 'x', 70000);
    body[70000] = '\0';
    fx_set_string(m, PR_BODY, body);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    assert_true(fm_test_oom_sweep(list_props, m) > 3);
    IMessage_Release(m);
    free(body);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* An empty PT_BINARY value (cb 0, lpb NULL) opens as an empty stream that
 * can be written, before and after the message is saved. */
static void an_empty_binary_opens_as_an_empty_stream(void **state)
{
    LPMDB mdb = fx_new_store("emptybin");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    ULONG tag = PROP_TAG(PT_BINARY, 0x6040);
    SPropValue v = { .ulPropTag = tag, .Value.bin = { 0, NULL } };
    assert_int_equal(IMessage_SetProps(m, 1, &v, NULL), S_OK);
    for (int saved = 0; saved < 2; saved++) {
        size_t len = 99;
        BYTE *got = read_property_stream(m, tag, 16, &len);
        assert_int_equal(len, 0);
        free(got);
        if (saved == 0)
            assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    }
    LPSTREAM s = NULL;
    assert_int_equal(IMessage_OpenProperty(m, tag, &IID_IStream, 0, MAPI_MODIFY,
                                           (LPUNKNOWN *)&s), S_OK);
    STATSTG st;
    assert_int_equal(IStream_Stat(s, &st, STATFLAG_NONAME), S_OK);
    assert_int_equal(st.cbSize.QuadPart, 0);
    ULONG w = 0;
    assert_int_equal(IStream_Write(s, "\x01\x02\x03", 3, &w), S_OK);
    assert_int_equal(IStream_Commit(s, 0), S_OK);
    IStream_Release(s);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue back = fx_get(m, tag);
    assert_int_equal(back->Value.bin.cb, 3);
    assert_memory_equal(back->Value.bin.lpb, "\x01\x02\x03", 3);
    MAPIFreeBuffer(back);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* Where a Unicode value is kept depends on its size in the blob, which
 * keeps strings as UTF-8: 9,000 ASCII characters (18,000 bytes as UTF-16)
 * stay in the blob; 9,000 three-byte characters go to a stream. */
static void a_unicode_value_is_measured_in_utf8_for_the_blob(void **state)
{
    LPMDB mdb = fx_new_store("measure");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    size_t chars = 9000;
    WCHAR *w = malloc((chars + 1) * sizeof(WCHAR));
    char path[600];
    snprintf(path, sizeof path, "%s/measure.fmstore", fm_test_tmpdir());
    for (int wide = 0; wide < 2; wide++) {
        for (size_t i = 0; i < chars; i++)
            w[i] = wide ? (WCHAR)(0x4E00 + i % 100) : (WCHAR)('a' + i % 26);
        w[chars] = 0;
        LPMESSAGE m = fx_new_message(inbox);
        SPropValue v = { .ulPropTag = PR_BODY_W, .Value.lpszW = w };
        assert_int_equal(IMessage_SetProps(m, 1, &v, NULL), S_OK);
        assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
        assert_int_equal(fx_count(path, "SELECT count(*) FROM streams"), wide);
        LPSPropValue back = fx_get(m, PR_BODY_W);
        assert_memory_equal(back->Value.lpszW, w, (chars + 1) * sizeof(WCHAR));
        MAPIFreeBuffer(back);
        IMessage_Release(m);
    }
    free(w);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void a_stream_written_with_open_property_is_saved_with_the_message(void **state)
{
    LPMDB mdb = fx_new_store("stream");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    LPSTREAM s = NULL;
    assert_int_equal(IMessage_OpenProperty(m, PROP_TAG(PT_BINARY, 0x6020), &IID_IStream, 0,
                                           MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&s), S_OK);
    BYTE data[1000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (BYTE)(i * 7);
    ULONG w = 0;
    assert_int_equal(IStream_Write(s, data, sizeof data, &w), S_OK);
    assert_int_equal(IStream_Commit(s, 0), S_OK);
    IStream_Release(s);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue eid = fx_get(m, PR_ENTRYID);
    IMessage_Release(m);
    m = fx_reopen(mdb, eid, 0);
    LPSPropValue v = fx_get(m, PROP_TAG(PT_BINARY, 0x6020));
    assert_int_equal(v->Value.bin.cb, sizeof data);
    assert_memory_equal(v->Value.bin.lpb, data, sizeof data);
    MAPIFreeBuffer(v);
    /* A small value kept in the blob also opens as a (read-only) stream. */
    LPSPropValue key = fx_get(m, PR_SEARCH_KEY);
    assert_int_equal(IMessage_OpenProperty(m, PR_SEARCH_KEY, &IID_IStream, 0, 0,
                                           (LPUNKNOWN *)&s), S_OK);
    BYTE buf[64];
    ULONG r = 0;
    assert_int_equal(IStream_Read(s, buf, sizeof buf, &r), S_OK);
    assert_int_equal(r, key->Value.bin.cb);
    assert_memory_equal(buf, key->Value.bin.lpb, r);
    assert_int_equal(IStream_Write(s, buf, 1, &r), STG_E_ACCESSDENIED);
    IStream_Release(s);
    MAPIFreeBuffer(key);
    IMessage_Release(m);
    MAPIFreeBuffer(eid);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void named_properties_are_stable_across_reopening(void **state)
{
    const char *path = fx_store_path("names");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    MAPINAMEID n1 = { (LPGUID)&PS_PUBLIC_STRINGS, MNID_STRING, { .lpwstrName = (LPWSTR)u"Keywords" } };
    MAPINAMEID n2 = { (LPGUID)&PSETID_Common, MNID_ID, { .lID = 0x8580 } };
    LPMAPINAMEID names[] = { &n1, &n2 };
    LPSPropTagArray ids = NULL;
    assert_int_equal(IMessage_GetIDsFromNames(m, 2, names, 0, &ids), MAPI_W_ERRORS_RETURNED);
    assert_int_equal(PROP_TYPE(ids->aulPropTag[0]), PT_ERROR);
    MAPIFreeBuffer(ids);
    assert_int_equal(IMessage_GetIDsFromNames(m, 2, names, MAPI_CREATE, &ids), S_OK);
    ULONG id1 = PROP_ID(ids->aulPropTag[0]), id2 = PROP_ID(ids->aulPropTag[1]);
    assert_true(id1 >= 0x8000 && id2 >= 0x8000 && id1 != id2);
    MAPIFreeBuffer(ids);
    fx_set_string(m, PROP_TAG(PT_STRING8, id1), "urgent");
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);

    assert_int_equal(fmapi_store_open(path, 0, &mdb), S_OK);
    inbox = fx_inbox(mdb);
    m = fx_new_message(inbox);
    assert_int_equal(IMessage_GetIDsFromNames(m, 2, names, 0, &ids), S_OK);
    assert_int_equal(PROP_ID(ids->aulPropTag[0]), id1);
    assert_int_equal(PROP_ID(ids->aulPropTag[1]), id2);
    LPSPropTagArray tags = ids;
    ULONG cn = 0;
    LPMAPINAMEID *back = NULL;
    assert_int_equal(IMessage_GetNamesFromIDs(m, &tags, NULL, 0, &cn, &back), S_OK);
    assert_int_equal(cn, 2);
    assert_true(FEqualNames(back[0], &n1));
    assert_true(FEqualNames(back[1], &n2));
    MAPIFreeBuffer(back);
    MAPIFreeBuffer(ids);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void copy_to_an_iprop_copies_values_but_not_identity(void **state)
{
    LPMDB mdb = fx_new_store("copy");
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPMESSAGE m = fx_new_message(inbox);
    fx_set_string(m, PR_SUBJECT, "copied");
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    LPPROPDATA pd = NULL;
    assert_int_equal(CreateIProp(&IID_IMAPIPropData, MAPIAllocateBuffer, MAPIAllocateMore,
                                 MAPIFreeBuffer, NULL, &pd), S_OK);
    LPSPropProblemArray problems = NULL;
    assert_int_equal(IMessage_CopyTo(m, 0, NULL, NULL, 0, NULL, &IID_IMAPIPropData, pd, 0,
                                     &problems), S_OK);
    MAPIFreeBuffer(problems);
    fx_assert_string(pd, PR_SUBJECT, "copied");
    LPSPropValue v = NULL;
    assert_int_equal(fx_try_get(pd, PR_ENTRYID, &v), MAPI_E_NOT_FOUND);
    IPropData_Release(pd);
    IMessage_Release(m);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void another_process_sees_a_saved_message(void **state)
{
    const char *path = fx_store_path("procs");
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        LPMDB cm = NULL;
        if (fmapi_store_open(path, 0, &cm) != S_OK)
            fm_test_child_exit(10);
        LPMAPIFOLDER in = fx_inbox(cm);
        LPMESSAGE msg = NULL;
        if (IMAPIFolder_CreateMessage(in, NULL, 0, &msg) != S_OK)
            fm_test_child_exit(11);
        SPropValue sv = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "from the child" };
        IMessage_SetProps(msg, 1, &sv, NULL);
        if (IMessage_SaveChanges(msg, 0) != S_OK)
            fm_test_child_exit(12);
        IMessage_Release(msg);
        IMAPIFolder_Release(in);
        IMsgStore_Release(cm);
        fm_test_child_exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    LPSPropValue count = fx_get(inbox, PR_CONTENT_COUNT);
    assert_int_equal(count->Value.l, 1);
    MAPIFreeBuffer(count);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

typedef struct oom_ctx {
    LPMAPIFOLDER inbox;
} oom_ctx;

static HRESULT create_fill_save(void *p)
{
    oom_ctx *ctx = p;
    LPMESSAGE m = NULL;
    HRESULT hr = IMAPIFolder_CreateMessage(ctx->inbox, NULL, 0, &m);
    if (hr != S_OK)
        return hr;
    SPropValue v[] = { { .ulPropTag = PR_SUBJECT_W, .Value.lpszW = (LPWSTR)u"out of memory" },
                       { .ulPropTag = PR_IMPORTANCE, .Value.l = 1 } };
    hr = IMessage_SetProps(m, 2, v, NULL);
    if (hr == S_OK)
        hr = IMessage_SaveChanges(m, KEEP_OPEN_READONLY);
    ULONG n = 0;
    LPSPropValue all = NULL;
    if (hr == S_OK)
        hr = IMessage_GetProps(m, NULL, MAPI_UNICODE, &n, &all);
    if (SUCCEEDED(hr))
        hr = S_OK;
    MAPIFreeBuffer(all);
    IMessage_Release(m);
    return hr;
}

static void creating_and_saving_survive_every_allocation_failure(void **state)
{
    LPMDB mdb = fx_new_store("oom");
    oom_ctx ctx = { fx_inbox(mdb) };
    assert_true(fm_test_oom_sweep(create_fill_save, &ctx) > 20);
    IMAPIFolder_Release(ctx.inbox);
    IMsgStore_Release(mdb);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_saved_message_reopens_with_every_property_type),
        cmocka_unit_test(reading_a_property_as_a_stream_writes_nothing_and_works_read_only),
        cmocka_unit_test(changes_are_invisible_until_saved_and_lost_on_release),
        cmocka_unit_test(saving_over_a_newer_save_is_object_changed_unless_forced),
        cmocka_unit_test(saving_a_message_deleted_meanwhile_is_object_deleted),
        cmocka_unit_test(message_flags_are_settable_only_before_the_first_save),
        cmocka_unit_test(read_flags_change_counts_and_persist),
        cmocka_unit_test(recipients_are_saved_and_shown_in_display_to),
        cmocka_unit_test(large_values_go_to_streams_and_read_back_whole),
        cmocka_unit_test(a_stream_value_asked_for_as_another_kind_is_no_support),
        cmocka_unit_test(a_large_unicode_value_keeps_its_width_and_opens_in_both),
        cmocka_unit_test(opening_in_the_other_width_survives_every_allocation_failure),
        cmocka_unit_test(get_prop_list_gives_large_values_their_real_type),
        cmocka_unit_test(get_prop_list_survives_every_allocation_failure),
        cmocka_unit_test(an_empty_binary_opens_as_an_empty_stream),
        cmocka_unit_test(a_unicode_value_is_measured_in_utf8_for_the_blob),
        cmocka_unit_test(a_stream_written_with_open_property_is_saved_with_the_message),
        cmocka_unit_test(named_properties_are_stable_across_reopening),
        cmocka_unit_test(copy_to_an_iprop_copies_values_but_not_identity),
        cmocka_unit_test(another_process_sees_a_saved_message),
        cmocka_unit_test(creating_and_saving_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
