/*
 * tests/store/test_bulk_folder.c - IMAPIFolder::DeleteFolder (DEL_MESSAGES,
 * DEL_FOLDERS, MAPI_E_HAS_FOLDERS, MAPI_E_HAS_MESSAGES, soft and hard) and
 * CopyFolder (copies with and without COPY_SUBFOLDERS, FOLDER_MOVE, a new
 * name, MAPI_NOREPLACE, MAPI_E_FOLDER_CYCLE, across stores), with progress
 * and cancel.
 */
#include "test_bulk_fixture.h"

static char path[600], path2[600];

/* parent/<name> with 4 messages and a subfolder "inner" with 3, inside which
 * "deep" holds 2. */
static LPMAPIFOLDER tree(LPMAPIFOLDER parent, const char *name)
{
    LPMAPIFOLDER f = bx_subfolder(parent, name), in = bx_subfolder(f, "inner");
    LPMAPIFOLDER deep = bx_subfolder(in, "deep");
    bx_fill(f, 0, 4);
    bx_fill(in, 10, 3);
    bx_fill(deep, 20, 2);
    IMAPIFolder_Release(deep);
    IMAPIFolder_Release(in);
    return f;
}

static LPMAPIFOLDER child(LPMDB mdb, LPMAPIFOLDER parent, const char *name)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetHierarchyTable(parent, 0, &t), S_OK);
    SizedSPropTagArray(2, cols) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_A } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 100, 0, &rows), S_OK);
    LPMAPIFOLDER f = NULL;
    for (ULONG i = 0; i < rows->cRows && f == NULL; i++) {
        if (strcmp(rows->aRow[i].lpProps[1].Value.lpszA, name) == 0) {
            ULONG type = 0;
            SBinary *b = &rows->aRow[i].lpProps[0].Value.bin;
            assert_int_equal(IMsgStore_OpenEntry(mdb, b->cb, (LPENTRYID)b->lpb, NULL,
                                                 MAPI_MODIFY, &type, (LPUNKNOWN *)&f), S_OK);
        }
    }
    FreeProws(rows);
    IMAPITable_Release(t);
    return f;
}

static ULONG subfolders(LPMAPIFOLDER f, ULONG flags)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetHierarchyTable(f, flags, &t), S_OK);
    ULONG n = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    IMAPITable_Release(t);
    return n;
}

static void delete_folder_refuses_what_its_flags_do_not_allow(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bfdelargs", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), f = tree(inbox, "t");
    LPMAPIFOLDER empty = bx_subfolder(inbox, "empty"), onlymsg = bx_subfolder(inbox, "msgs");
    bx_fill(onlymsg, 0, 1);
    LPSPropValue eid = fx_get(f, PR_ENTRYID), e2 = fx_get(onlymsg, PR_ENTRYID);
    LPSPropValue e3 = fx_get(empty, PR_ENTRYID), ie = fx_get(inbox, PR_ENTRYID);
    ULONG cb = eid->Value.bin.cb;
    LPENTRYID id = (LPENTRYID)eid->Value.bin.lpb;
    assert_int_equal(IMAPIFolder_DeleteFolder(inbox, cb, id, 0, NULL, 0), MAPI_E_HAS_FOLDERS);
    assert_int_equal(IMAPIFolder_DeleteFolder(inbox, cb, id, 0, NULL, DEL_MESSAGES),
                     MAPI_E_HAS_FOLDERS);
    assert_int_equal(IMAPIFolder_DeleteFolder(inbox, cb, id, 0, NULL, DEL_FOLDERS),
                     MAPI_E_HAS_MESSAGES);
    assert_int_equal(IMAPIFolder_DeleteFolder(inbox, e2->Value.bin.cb,
                                              (LPENTRYID)e2->Value.bin.lpb, 0, NULL, 0),
                     MAPI_E_HAS_MESSAGES);
    assert_int_equal(IMAPIFolder_DeleteFolder(inbox, cb, id, 0, NULL, 0x400),
                     MAPI_E_UNKNOWN_FLAGS);
    /* Only subfolders of this folder; never a standard folder. */
    assert_int_equal(IMAPIFolder_DeleteFolder(onlymsg, cb, id, 0, NULL, DEL_FOLDERS |
                                              DEL_MESSAGES), MAPI_E_NOT_FOUND);
    LPMAPIFOLDER root = NULL;
    ULONG type = 0;
    assert_int_equal(IMsgStore_OpenEntry(mdb, 0, NULL, NULL, MAPI_MODIFY, &type,
                                         (LPUNKNOWN *)&root), S_OK);
    LPSPropValue ipm = fx_get(mdb, PR_IPM_SUBTREE_ENTRYID);
    LPMAPIFOLDER top = fx_open_folder_by_prop(mdb, mdb, PR_IPM_SUBTREE_ENTRYID);
    assert_int_equal(IMAPIFolder_DeleteFolder(top, ie->Value.bin.cb, (LPENTRYID)ie->Value.bin.lpb,
                                              0, NULL, DEL_FOLDERS | DEL_MESSAGES),
                     MAPI_E_NO_ACCESS);
    BYTE junk[4] = { 0 };
    assert_int_equal(IMAPIFolder_DeleteFolder(inbox, 4, (LPENTRYID)junk, 0, NULL, 0),
                     MAPI_E_INVALID_ENTRYID);
    /* An empty folder needs no flag. */
    assert_int_equal(IMAPIFolder_DeleteFolder(inbox, e3->Value.bin.cb,
                                              (LPENTRYID)e3->Value.bin.lpb, 0, NULL, 0), S_OK);
    assert_int_equal(subfolders(inbox, 0), 2);
    IMAPIFolder_Release(top);
    IMAPIFolder_Release(root);
    MAPIFreeBuffer(ipm);
    MAPIFreeBuffer(eid);
    MAPIFreeBuffer(e2);
    MAPIFreeBuffer(e3);
    MAPIFreeBuffer(ie);
    IMAPIFolder_Release(empty);
    IMAPIFolder_Release(onlymsg);
    IMAPIFolder_Release(f);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* The folders a mailbox cannot work without are never deleted, whatever
 * asks ([MS-OXCFOLD] 3.2.5.3: ecNotSupported for the root, ecAccessDenied
 * for folders the client may not delete), and emptying the top of the
 * mailbox or its root keeps them, with what they hold, and reports a
 * partial completion (3.2.5.9) instead of breaking the mailbox. */
static void the_root_ipm_subtree_and_standard_folders_are_never_deleted(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bfstd", path);
    LPMAPIFOLDER root = NULL, inbox = fx_inbox(mdb);
    ULONG type = 0;
    assert_int_equal(IMsgStore_OpenEntry(mdb, 0, NULL, NULL, MAPI_MODIFY, &type,
                                         (LPUNKNOWN *)&root), S_OK);
    LPMAPIFOLDER top = fx_open_folder_by_prop(mdb, mdb, PR_IPM_SUBTREE_ENTRYID);
    LPSPropValue re = fx_get(root, PR_ENTRYID), te = fx_get(top, PR_ENTRYID);
    LPSPropValue fe = fx_get(mdb, PR_FINDER_ENTRYID);
    const ULONG all = DEL_FOLDERS | DEL_MESSAGES | DELETE_HARD_DELETE;
    assert_int_equal(IMAPIFolder_DeleteFolder(top, re->Value.bin.cb,
                                              (LPENTRYID)re->Value.bin.lpb, 0, NULL, all),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(IMAPIFolder_DeleteFolder(root, re->Value.bin.cb,
                                              (LPENTRYID)re->Value.bin.lpb, 0, NULL, all),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(IMAPIFolder_DeleteFolder(root, te->Value.bin.cb,
                                              (LPENTRYID)te->Value.bin.lpb, 0, NULL, all),
                     MAPI_E_NO_ACCESS);
    assert_int_equal(IMAPIFolder_DeleteFolder(root, fe->Value.bin.cb,
                                              (LPENTRYID)fe->Value.bin.lpb, 0, NULL, all),
                     MAPI_E_NO_ACCESS);

    /* emptying the top: the user's folder goes, the standard ones stay */
    bx_fill(inbox, 0, 3);
    LPMAPIFOLDER mine = bx_subfolder(top, "mine");
    bx_fill(mine, 10, 2);
    IMAPIFolder_Release(mine);
    ULONG standard = subfolders(top, 0) - 1;
    assert_int_equal(standard, 11);
    assert_int_equal(IMAPIFolder_EmptyFolder(top, 0, NULL, 0), MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(subfolders(top, 0), standard);
    assert_int_equal(bx_count(inbox, 0), 3);
    assert_null(child(mdb, top, "mine"));
    /* and the root, hard: the IPM subtree and the search root stay */
    assert_int_equal(IMAPIFolder_EmptyFolder(root, 0, NULL, DELETE_HARD_DELETE),
                     MAPI_W_PARTIAL_COMPLETION);
    assert_int_equal(subfolders(root, 0), 2);
    assert_int_equal(subfolders(top, 0), standard);
    assert_int_equal(bx_count(inbox, 0), 3);
    assert_true(bx_integrity_ok(path));
    MAPIFreeBuffer(re);
    MAPIFreeBuffer(te);
    MAPIFreeBuffer(fe);
    IMAPIFolder_Release(top);
    IMAPIFolder_Release(root);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void delete_folder_soft_or_hard_takes_the_whole_tree(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bfdel", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), soft = tree(inbox, "soft"), hard = tree(inbox, "hard");
    LPSPropValue se = fx_get(soft, PR_ENTRYID), he = fx_get(hard, PR_ENTRYID);
    bx_progress p;
    bx_progress_init(&p, 0);
    assert_int_equal(IMAPIFolder_DeleteFolder(inbox, se->Value.bin.cb,
                                              (LPENTRYID)se->Value.bin.lpb, 0, (LPMAPIPROGRESS)&p,
                                              DEL_FOLDERS | DEL_MESSAGES | FOLDER_DIALOG), S_OK);
    /* Three folders: one top-level item each. */
    assert_int_equal(p.calls[1].kind, 'L');
    assert_int_equal(p.calls[1].b, 3);
    assert_int_equal(p.calls[p.ncalls - 1].a, 3);
    assert_int_equal(p.calls[p.ncalls - 1].b, 3);
    assert_int_equal(p.calls[p.ncalls - 1].c, 3);
    assert_int_equal(subfolders(inbox, 0), 1);
    assert_int_equal(subfolders(inbox, SHOW_SOFT_DELETES), 1);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetHierarchyTable(inbox, SHOW_SOFT_DELETES, &t), S_OK);
    SizedSPropTagArray(3, cols) = { 3, { PR_DISPLAY_NAME_A, PR_DELETED_ON, PR_ENTRYID } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_string_equal(rows->aRow[0].lpProps[0].Value.lpszA, "soft");
    assert_int_equal(rows->aRow[0].lpProps[1].ulPropTag, PR_DELETED_ON);
    assert_memory_equal(rows->aRow[0].lpProps[2].Value.bin.lpb, se->Value.bin.lpb,
                        se->Value.bin.cb);
    FreeProws(rows);
    IMAPITable_Release(t);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages WHERE deleted_at IS NOT NULL"),
                     9);
    ULONG type = 0;
    LPUNKNOWN u = NULL;
    assert_int_equal(IMsgStore_OpenEntry(mdb, se->Value.bin.cb, (LPENTRYID)se->Value.bin.lpb,
                                         NULL, 0, &type, &u), MAPI_E_NOT_FOUND);
    /* A new folder may take the deleted one's name. */
    LPMAPIFOLDER again = bx_subfolder(inbox, "soft");
    IMAPIFolder_Release(again);
    assert_int_equal(IMAPIFolder_DeleteFolder(inbox, he->Value.bin.cb,
                                              (LPENTRYID)he->Value.bin.lpb, 0, NULL,
                                              DEL_FOLDERS | DEL_MESSAGES | DELETE_HARD_DELETE),
                     S_OK);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages WHERE deleted_at IS NULL"), 0);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 9);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM folders WHERE display_name IN"
                                    " ('hard', 'inner', 'deep') AND deleted_at IS NULL"), 0);
    assert_true(bx_integrity_ok(path));
    MAPIFreeBuffer(se);
    MAPIFreeBuffer(he);
    IMAPIFolder_Release(soft);
    IMAPIFolder_Release(hard);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void delete_folder_cancelled_then_rerun_finishes(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bfdelcancel", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    fm_bulk_set_batch_limits(2, 60000);
    for (int k = 1; k <= 12; k++) {
        char name[16];
        snprintf(name, sizeof name, "t%d", k);
        LPMAPIFOLDER f = tree(inbox, name);
        LPSPropValue e = fx_get(f, PR_ENTRYID);
        bx_progress p;
        bx_progress_init(&p, k);
        ULONG flags = DEL_FOLDERS | DEL_MESSAGES | FOLDER_DIALOG | (k % 2 ? DELETE_HARD_DELETE : 0);
        HRESULT hr = IMAPIFolder_DeleteFolder(inbox, e->Value.bin.cb, (LPENTRYID)e->Value.bin.lpb,
                                              0, (LPMAPIPROGRESS)&p, flags);
        assert_int_equal(hr, p.nprogress >= k ? MAPI_E_USER_CANCEL : S_OK);
        assert_true(bx_integrity_ok(path));
        hr = IMAPIFolder_DeleteFolder(inbox, e->Value.bin.cb, (LPENTRYID)e->Value.bin.lpb, 0,
                                      NULL, flags);
        assert_true(hr == S_OK || hr == MAPI_E_NOT_FOUND);
        assert_int_equal(bx_sql(path, "SELECT count(*) FROM folders WHERE display_name = '%s'"
                                      " AND deleted_at IS NULL", name), 0);
        MAPIFreeBuffer(e);
        IMAPIFolder_Release(f);
    }
    fm_bulk_set_batch_limits(0, 0);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages WHERE deleted_at IS NULL"), 0);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void copy_folder_copies_messages_and_with_copy_subfolders_the_tree(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bfcopy", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), f = tree(inbox, "t"), dest = bx_subfolder(inbox, "d");
    LPSPropValue e = fx_get(f, PR_ENTRYID);
    ULONG cb = e->Value.bin.cb;
    LPENTRYID id = (LPENTRYID)e->Value.bin.lpb;
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, dest, NULL, 0, NULL, 0), S_OK);
    LPMAPIFOLDER c1 = child(mdb, dest, "t");
    assert_non_null(c1);
    assert_int_equal(bx_count(c1, 0), 4);
    assert_int_equal(subfolders(c1, 0), 0);
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, dest, (LPTSTR) "t2", 0, NULL,
                                            COPY_SUBFOLDERS), S_OK);
    LPMAPIFOLDER c2 = child(mdb, dest, "t2");
    assert_non_null(c2);
    assert_int_equal(subfolders(c2, CONVENIENT_DEPTH), 2);
    LPMAPIFOLDER in2 = child(mdb, c2, "inner");
    assert_int_equal(bx_count(in2, 0), 3);
    /* Unicode names with MAPI_UNICODE. */
    WCHAR wname[] = { 'w', 0x00E9, 0 };
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, dest, (LPTSTR)wname, 0, NULL,
                                            MAPI_UNICODE), S_OK);
    LPMAPIFOLDER c3 = child(mdb, dest, "w\xC3\xA9");
    assert_non_null(c3);
    /* The source is untouched. */
    assert_int_equal(bx_count(f, 0), 4);
    assert_int_equal(subfolders(f, CONVENIENT_DEPTH), 2);
    /* MAPI_NOREPLACE: a folder of that name is there already. */
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, dest, NULL, 0, NULL,
                                            MAPI_NOREPLACE), MAPI_E_COLLISION);
    /* Without it, the copy goes into the existing folder. */
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, dest, NULL, 0, NULL, 0), S_OK);
    assert_int_equal(bx_count(c1, 0), 8);
    /* Into itself or below: a cycle. */
    LPMAPIFOLDER inner = child(mdb, f, "inner");
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, inner, NULL, 0, NULL,
                                            COPY_SUBFOLDERS), MAPI_E_FOLDER_CYCLE);
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, f, NULL, 0, NULL,
                                            FOLDER_MOVE), MAPI_E_FOLDER_CYCLE);
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, &IID_IMessage, dest, NULL, 0, NULL, 0),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, NULL, NULL, 0, NULL, 0),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, dest, NULL, 0, NULL, 0x8),
                     MAPI_E_UNKNOWN_FLAGS);
    IMAPIFolder_Release(inner);
    IMAPIFolder_Release(c1);
    IMAPIFolder_Release(c2);
    IMAPIFolder_Release(c3);
    IMAPIFolder_Release(in2);
    MAPIFreeBuffer(e);
    IMAPIFolder_Release(dest);
    IMAPIFolder_Release(f);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

/* A large folder property lives in a stream of its own (a companion file
 * past 1 MiB); a copied folder gets its own copy of it, in the same store
 * and in another one, which outlives the source; the small properties go
 * along too (across stores through the folder's interface). */
#define BIG_FOLDER_PROP PROP_TAG(PT_BINARY, 0x6650)
#define BIG_FOLDER_SIZE (1536u * 1024u)

static void copied_folders_keep_their_large_properties(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bfbig", path), other = bx_new_store("bfbig2", path2);
    LPMAPIFOLDER inbox = fx_inbox(mdb), f = bx_subfolder(inbox, "big"), remote = fx_inbox(other);
    fx_stream_write_pattern(f, BIG_FOLDER_PROP, BIG_FOLDER_SIZE, 7);
    fx_set_string(f, PR_COMMENT, "a folder of big things");
    fx_set_string(f, PR_CONTAINER_CLASS, "IPF.Note");
    LPSPropValue e = fx_get(f, PR_ENTRYID);
    ULONG cb = e->Value.bin.cb;
    LPENTRYID id = (LPENTRYID)e->Value.bin.lpb;
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, inbox, (LPTSTR) "copy", 0, NULL,
                                            0), S_OK);
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, remote, NULL, 0, NULL, 0), S_OK);
    /* the source goes for good; both copies keep the value */
    assert_int_equal(IMAPIFolder_DeleteFolder(inbox, cb, id, 0, NULL, DELETE_HARD_DELETE),
                     S_OK);
    MAPIFreeBuffer(e);
    IMAPIFolder_Release(f);
    LPMAPIFOLDER copy = child(mdb, inbox, "copy"), remotecopy = child(other, remote, "big");
    assert_non_null(copy);
    assert_non_null(remotecopy);
    fx_stream_check_pattern(copy, BIG_FOLDER_PROP, BIG_FOLDER_SIZE, 7);
    fx_stream_check_pattern(remotecopy, BIG_FOLDER_PROP, BIG_FOLDER_SIZE, 7);
    fx_assert_string(copy, PR_COMMENT, "a folder of big things");
    fx_assert_string(remotecopy, PR_COMMENT, "a folder of big things");
    fx_assert_string(remotecopy, PR_CONTAINER_CLASS, "IPF.Note");
    fx_assert_string(remotecopy, PR_DISPLAY_NAME, "big");
    IMAPIFolder_Release(copy);
    IMAPIFolder_Release(remotecopy);
    IMAPIFolder_Release(remote);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(other);
    IMsgStore_Release(mdb);
}

static void folder_move_takes_the_tree_in_one_step_and_renames(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bfmove", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), f = tree(inbox, "t"), dest = bx_subfolder(inbox, "d");
    LPSPropValue e = fx_get(f, PR_ENTRYID);
    int64_t fid = bx_id_of(f);
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, e->Value.bin.cb, (LPENTRYID)e->Value.bin.lpb,
                                            NULL, dest, (LPTSTR) "moved", 0, NULL, FOLDER_MOVE),
                     S_OK);
    assert_null(child(mdb, inbox, "t"));
    LPMAPIFOLDER m = child(mdb, dest, "moved");
    assert_non_null(m);
    assert_int_equal(bx_id_of(m), fid); /* the same folder, entry ID and all */
    assert_int_equal(bx_count(m, 0), 4);
    assert_int_equal(subfolders(m, CONVENIENT_DEPTH), 2);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 9);
    /* Moving onto a folder of the same name merges into it. */
    LPMAPIFOLDER other = tree(inbox, "moved");
    LPSPropValue oe = fx_get(other, PR_ENTRYID);
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, oe->Value.bin.cb,
                                            (LPENTRYID)oe->Value.bin.lpb, NULL, dest, NULL, 0,
                                            NULL, FOLDER_MOVE | MAPI_NOREPLACE), MAPI_E_COLLISION);
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, oe->Value.bin.cb,
                                            (LPENTRYID)oe->Value.bin.lpb, NULL, dest, NULL, 0,
                                            NULL, FOLDER_MOVE), S_OK);
    assert_null(child(mdb, inbox, "moved"));
    assert_int_equal(bx_count(m, 0), 8);
    LPMAPIFOLDER inner = child(mdb, m, "inner");
    assert_int_equal(bx_count(inner, 0), 6);
    assert_int_equal(subfolders(m, CONVENIENT_DEPTH), 2);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 18);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages WHERE deleted_at IS NULL"), 18);
    assert_true(bx_integrity_ok(path));
    IMAPIFolder_Release(inner);
    MAPIFreeBuffer(oe);
    IMAPIFolder_Release(other);
    IMAPIFolder_Release(m);
    MAPIFreeBuffer(e);
    IMAPIFolder_Release(dest);
    IMAPIFolder_Release(f);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void copy_and_move_folder_across_stores(void **st)
{
    (void)st;
    LPMDB a = bx_new_store("bfxa", path), b = bx_new_store("bfxb", path2);
    LPMAPIFOLDER inbox = fx_inbox(a), f = tree(inbox, "t"), remote = fx_inbox(b);
    LPSPropValue e = fx_get(f, PR_ENTRYID);
    ULONG cb = e->Value.bin.cb;
    LPENTRYID id = (LPENTRYID)e->Value.bin.lpb;
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, remote, NULL, 0, NULL,
                                            COPY_SUBFOLDERS), S_OK);
    assert_int_equal(fx_count(path2, "SELECT count(*) FROM messages"), 9);
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, remote, NULL, 0, NULL,
                                            COPY_SUBFOLDERS | MAPI_NOREPLACE), MAPI_E_COLLISION);
    assert_int_equal(IMAPIFolder_CopyFolder(inbox, cb, id, NULL, remote, (LPTSTR) "m", 0, NULL,
                                            FOLDER_MOVE), S_OK);
    assert_int_equal(fx_count(path2, "SELECT count(*) FROM messages"), 18);
    assert_int_equal(fx_count(path, "SELECT count(*) FROM messages"), 0);
    assert_null(child(a, inbox, "t"));
    LPMAPIFOLDER m = child(b, remote, "m");
    assert_int_equal(subfolders(m, CONVENIENT_DEPTH), 2);
    IMAPIFolder_Release(m);
    MAPIFreeBuffer(e);
    IMAPIFolder_Release(remote);
    IMAPIFolder_Release(f);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(a);
    IMsgStore_Release(b);
}

typedef struct oom_ctx {
    LPMAPIFOLDER parent;
    LPMAPIFOLDER dest;
} oom_ctx;

static HRESULT make_copy_delete(void *p)
{
    oom_ctx *c = p;
    LPMAPIFOLDER f = NULL;
    HRESULT hr = IMAPIFolder_CreateFolder(c->parent, FOLDER_GENERIC, (LPTSTR) "x", NULL, NULL,
                                          OPEN_IF_EXISTS, &f);
    LPMESSAGE m = NULL;
    if (hr == S_OK)
        hr = IMAPIFolder_CreateMessage(f, NULL, 0, &m);
    if (hr == S_OK)
        hr = IMessage_SaveChanges(m, 0);
    if (m != NULL)
        IMessage_Release(m);
    LPSPropValue e = NULL;
    if (hr == S_OK)
        hr = HrGetOneProp((LPMAPIPROP)f, PR_ENTRYID, &e);
    if (f != NULL)
        IMAPIFolder_Release(f);
    if (hr == S_OK)
        hr = IMAPIFolder_CopyFolder(c->parent, e->Value.bin.cb, (LPENTRYID)e->Value.bin.lpb,
                                    NULL, c->dest, NULL, 0, NULL, COPY_SUBFOLDERS);
    if (hr == S_OK)
        hr = IMAPIFolder_DeleteFolder(c->parent, e->Value.bin.cb, (LPENTRYID)e->Value.bin.lpb, 0,
                                      NULL, DEL_FOLDERS | DEL_MESSAGES | DELETE_HARD_DELETE);
    MAPIFreeBuffer(e);
    return hr;
}

static HRESULT read_deleted_folders(void *p)
{
    oom_ctx *c = p;
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    SizedSPropTagArray(2, cols) = { 2, { PR_DISPLAY_NAME_A, PR_DELETED_ON } };
    HRESULT hr = IMAPIFolder_GetHierarchyTable(c->parent, SHOW_SOFT_DELETES, &t);
    if (hr == S_OK)
        hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr == S_OK)
        hr = IMAPITable_QueryRows(t, 10, 0, &rows);
    if (hr == S_OK && rows->cRows != 1)
        hr = MAPI_E_CALL_FAILED;
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

static void reading_deleted_folders_survives_every_allocation_failure(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bfsoftoom", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb), f = bx_subfolder(inbox, "gone");
    LPSPropValue e = fx_get(f, PR_ENTRYID);
    assert_int_equal(IMAPIFolder_DeleteFolder(inbox, e->Value.bin.cb,
                                              (LPENTRYID)e->Value.bin.lpb, 0, NULL, 0), S_OK);
    oom_ctx c = { inbox, NULL };
    assert_true(fm_test_oom_sweep(read_deleted_folders, &c) > 10);
    MAPIFreeBuffer(e);
    IMAPIFolder_Release(f);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

static void folder_operations_survive_every_allocation_failure(void **st)
{
    (void)st;
    LPMDB mdb = bx_new_store("bfoom", path);
    LPMAPIFOLDER inbox = fx_inbox(mdb);
    oom_ctx c = { inbox, bx_subfolder(inbox, "dest") };
    assert_true(fm_test_oom_sweep(make_copy_delete, &c) > 20);
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    assert_int_equal(make_copy_delete(&c), S_OK);
    fm_test_assert_no_leak(&b);
    IMAPIFolder_Release(c.dest);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(delete_folder_refuses_what_its_flags_do_not_allow),
        cmocka_unit_test(the_root_ipm_subtree_and_standard_folders_are_never_deleted),
        cmocka_unit_test(delete_folder_soft_or_hard_takes_the_whole_tree),
        cmocka_unit_test(delete_folder_cancelled_then_rerun_finishes),
        cmocka_unit_test(copy_folder_copies_messages_and_with_copy_subfolders_the_tree),
        cmocka_unit_test(folder_move_takes_the_tree_in_one_step_and_renames),
        cmocka_unit_test(copy_and_move_folder_across_stores),
        cmocka_unit_test(copied_folders_keep_their_large_properties),
        cmocka_unit_test(folder_operations_survive_every_allocation_failure),
        cmocka_unit_test(reading_deleted_folders_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
