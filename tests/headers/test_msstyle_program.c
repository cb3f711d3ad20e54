/*
 * tests/headers/test_msstyle_program.c - a MAPI client written the way
 * Windows MAPI programs are, compiled against freemapi's headers.
 *
 * The program below (list_and_tidy_folder) uses only what a Windows MAPI
 * program would: <mapix.h>, <mapiutil.h>, <mapidefs.h>, LPMAPIFOLDER and
 * friends, SizedSPropTagArray, PT_TSTRING for text so it builds with and
 * without UNICODE, no INITGUID, and it calls methods both through
 * p->lpVtbl->Method(p, ...) and through the IMAPIFolder_Method(p, ...) macros.
 * There is no message store yet, so the folder, its contents table and its
 * messages are small fakes defined here that log every call with its
 * arguments; the tests check that both call styles reach the same method
 * with the same arguments, in the order the program made them.
 */
#include <mapix.h>
#include <mapiutil.h>
#include <mapidefs.h>
#include <string.h>

#include "fm_test.h"

#define PR_ENTRYID_T PROP_TAG(PT_BINARY, 0x0FFF)
#define PR_SUBJECT_T PROP_TAG(PT_TSTRING, 0x0037)
#define PR_IMPORTANCE_T PROP_TAG(PT_LONG, 0x0017)

/* ---- the call log ------------------------------------------------------------- */
typedef struct {
    const char *method;
    const void *self;
    uintptr_t arg[6];
} call;

static call calls[64];
static size_t ncalls;

static void log_call(const char *method, const void *self, uintptr_t a0, uintptr_t a1,
                     uintptr_t a2, uintptr_t a3, uintptr_t a4, uintptr_t a5)
{
    if (ncalls < sizeof(calls) / sizeof(calls[0]))
        calls[ncalls++] = (call){ method, self, { a0, a1, a2, a3, a4, a5 } };
}
#define U(x) ((uintptr_t)(x))

/* ---- a fake message ----------------------------------------------------------- */
typedef struct {
    IMessage base;
    ULONG refs;
} fake_message;

static ULONG STDMETHODCALLTYPE msg_AddRef(IMessage *This)
{
    log_call("IMessage::AddRef", This, 0, 0, 0, 0, 0, 0);
    return ++((fake_message *)This)->refs;
}
static ULONG STDMETHODCALLTYPE msg_Release(IMessage *This)
{
    log_call("IMessage::Release", This, 0, 0, 0, 0, 0, 0);
    return --((fake_message *)This)->refs;
}
static HRESULT STDMETHODCALLTYPE msg_SetProps(IMessage *This, ULONG cValues,
                                              LPSPropValue lpPropArray,
                                              LPSPropProblemArray *lppProblems)
{
    log_call("IMessage::SetProps", This, cValues, U(lpPropArray), U(lppProblems), 0, 0, 0);
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE msg_SaveChanges(IMessage *This, ULONG ulFlags)
{
    log_call("IMessage::SaveChanges", This, ulFlags, 0, 0, 0, 0, 0);
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE msg_ModifyRecipients(IMessage *This, ULONG ulFlags,
                                                      LPADRLIST lpMods)
{
    log_call("IMessage::ModifyRecipients", This, ulFlags, U(lpMods), 0, 0, 0, 0);
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE msg_SubmitMessage(IMessage *This, ULONG ulFlags)
{
    log_call("IMessage::SubmitMessage", This, ulFlags, 0, 0, 0, 0, 0);
    return S_OK;
}

static const IMessageVtbl message_vtbl = {
    .AddRef = msg_AddRef,
    .Release = msg_Release,
    .SaveChanges = msg_SaveChanges,
    .SetProps = msg_SetProps,
    .ModifyRecipients = msg_ModifyRecipients,
    .SubmitMessage = msg_SubmitMessage,
};

/* ---- a fake contents table ---------------------------------------------------- */
typedef struct {
    IMAPITable base;
    ULONG refs;
} fake_table;

static ULONG STDMETHODCALLTYPE tbl_Release(IMAPITable *This)
{
    log_call("IMAPITable::Release", This, 0, 0, 0, 0, 0, 0);
    return --((fake_table *)This)->refs;
}
static HRESULT STDMETHODCALLTYPE tbl_SetColumns(IMAPITable *This, LPSPropTagArray lpPropTagArray,
                                                ULONG ulFlags)
{
    log_call("IMAPITable::SetColumns", This, U(lpPropTagArray), ulFlags, 0, 0, 0, 0);
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE tbl_SeekRow(IMAPITable *This, BOOKMARK bkOrigin, LONG lRowCount,
                                             LONG *lplRowsSought)
{
    log_call("IMAPITable::SeekRow", This, bkOrigin, (uintptr_t)(ULONG)lRowCount,
             U(lplRowsSought), 0, 0, 0);
    if (lplRowsSought)
        *lplRowsSought = 0;
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE tbl_FindRow(IMAPITable *This, LPSRestriction lpRestriction,
                                             BOOKMARK bkOrigin, ULONG ulFlags)
{
    log_call("IMAPITable::FindRow", This, U(lpRestriction), bkOrigin, ulFlags, 0, 0, 0);
    return S_OK;
}

/* Returns one row of one PR_IMPORTANCE value, allocated as a provider
 * would: the row set and each row's property array are separate buffers. */
static HRESULT STDMETHODCALLTYPE tbl_QueryRows(IMAPITable *This, LONG lRowCount, ULONG ulFlags,
                                               LPSRowSet *lppRows)
{
    log_call("IMAPITable::QueryRows", This, (uintptr_t)(ULONG)lRowCount, ulFlags, U(lppRows), 0,
             0, 0);
    LPSRowSet rows = NULL;
    LPSPropValue props = NULL;
    SCODE sc = MAPIAllocateBuffer(CbNewSRowSet(1), (LPVOID *)&rows);
    if (sc != S_OK)
        return sc;
    sc = MAPIAllocateBuffer(sizeof(SPropValue), (LPVOID *)&props);
    if (sc != S_OK) {
        MAPIFreeBuffer(rows);
        return sc;
    }
    props[0].ulPropTag = PR_IMPORTANCE_T;
    props[0].Value.l = 2;
    rows->cRows = 1;
    rows->aRow[0].ulAdrEntryPad = 0;
    rows->aRow[0].cValues = 1;
    rows->aRow[0].lpProps = props;
    *lppRows = rows;
    return S_OK;
}

static const IMAPITableVtbl table_vtbl = {
    .Release = tbl_Release,
    .SetColumns = tbl_SetColumns,
    .SeekRow = tbl_SeekRow,
    .FindRow = tbl_FindRow,
    .QueryRows = tbl_QueryRows,
};

/* ---- a fake folder ------------------------------------------------------------ */
typedef struct {
    IMAPIFolder base;
    fake_table table;
    fake_message message;
} fake_folder;

static HRESULT STDMETHODCALLTYPE fld_GetContentsTable(IMAPIFolder *This, ULONG ulFlags,
                                                      LPMAPITABLE *lppTable)
{
    log_call("IMAPIFolder::GetContentsTable", This, ulFlags, U(lppTable), 0, 0, 0, 0);
    fake_folder *f = (fake_folder *)This;
    f->table.refs++;
    *lppTable = &f->table.base;
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE fld_CreateMessage(IMAPIFolder *This, LPCIID lpInterface,
                                                   ULONG ulFlags, LPMESSAGE *lppMessage)
{
    log_call("IMAPIFolder::CreateMessage", This, U(lpInterface), ulFlags, U(lppMessage), 0, 0, 0);
    fake_folder *f = (fake_folder *)This;
    f->message.refs++;
    *lppMessage = &f->message.base;
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE fld_SetReadFlags(IMAPIFolder *This, LPENTRYLIST lpMsgList,
                                                  ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                                  ULONG ulFlags)
{
    log_call("IMAPIFolder::SetReadFlags", This, U(lpMsgList), ulUIParam, U(lpProgress), ulFlags,
             0, 0);
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE fld_DeleteMessages(IMAPIFolder *This, LPENTRYLIST lpMsgList,
                                                    ULONG_PTR ulUIParam,
                                                    LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    log_call("IMAPIFolder::DeleteMessages", This, U(lpMsgList), ulUIParam, U(lpProgress),
             ulFlags, 0, 0);
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE fld_EmptyFolder(IMAPIFolder *This, ULONG_PTR ulUIParam,
                                                 LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    log_call("IMAPIFolder::EmptyFolder", This, ulUIParam, U(lpProgress), ulFlags, 0, 0, 0);
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE fld_CopyMessages(IMAPIFolder *This, LPENTRYLIST lpMsgList,
                                                  LPCIID lpInterface, LPVOID lpDestFolder,
                                                  ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                                  ULONG ulFlags)
{
    log_call("IMAPIFolder::CopyMessages", This, U(lpMsgList), U(lpInterface), U(lpDestFolder),
             ulUIParam, U(lpProgress), ulFlags);
    return S_OK;
}

static const IMAPIFolderVtbl folder_vtbl = {
    .GetContentsTable = fld_GetContentsTable,
    .CreateMessage = fld_CreateMessage,
    .CopyMessages = fld_CopyMessages,
    .DeleteMessages = fld_DeleteMessages,
    .SetReadFlags = fld_SetReadFlags,
    .EmptyFolder = fld_EmptyFolder,
};

static void fake_folder_init(fake_folder *f)
{
    memset(f, 0, sizeof(*f));
    f->base.lpVtbl = &folder_vtbl;
    f->table.base.lpVtbl = &table_vtbl;
    f->message.base.lpVtbl = &message_vtbl;
    ncalls = 0;
}

/* ---- the program ---------------------------------------------------------------- */
/* What a Windows program does when it has no FreeProws at hand. */
static void free_rows(LPSRowSet lpRows)
{
    if (!lpRows)
        return;
    for (ULONG i = 0; i < lpRows->cRows; i++)
        MAPIFreeBuffer(lpRows->aRow[i].lpProps);
    MAPIFreeBuffer(lpRows);
}

static SizedSPropTagArray(2, sptCols) = { 2, { PR_ENTRYID_T, PR_SUBJECT_T } };

/*
 * Lists the folder's associated contents, posts a message, then tidies up.
 * Every method is called once through lpVtbl and once through the macro.
 */
static HRESULT list_and_tidy_folder(LPMAPIFOLDER lpFolder, ULONG *lpulImportance)
{
    HRESULT hr;
    LPMAPITABLE lpTable = NULL;
    LPSRowSet lpRows = NULL;
    LPMESSAGE lpMessage = NULL;
    BYTE abEid[4] = { 1, 2, 3, 4 };
    SBinary bin = { sizeof(abEid), abEid };
    ENTRYLIST list = { 1, &bin };
    SPropValue prop;
    SRestriction res;

    hr = lpFolder->lpVtbl->GetContentsTable(lpFolder, MAPI_ASSOCIATED | MAPI_DEFERRED_ERRORS,
                                            &lpTable);
    if (FAILED(hr))
        return hr;
    lpTable->lpVtbl->Release(lpTable);
    hr = IMAPIFolder_GetContentsTable(lpFolder, MAPI_ASSOCIATED | MAPI_DEFERRED_ERRORS, &lpTable);
    if (FAILED(hr))
        return hr;

    lpTable->lpVtbl->SetColumns(lpTable, (LPSPropTagArray)&sptCols, TBL_BATCH);
    IMAPITable_SetColumns(lpTable, (LPSPropTagArray)&sptCols, TBL_BATCH);
    lpTable->lpVtbl->SeekRow(lpTable, BOOKMARK_BEGINNING, -3, NULL);
    IMAPITable_SeekRow(lpTable, BOOKMARK_BEGINNING, -3, NULL);
    res.rt = RES_EXIST;
    res.res.resExist.ulPropTag = PR_SUBJECT_T;
    lpTable->lpVtbl->FindRow(lpTable, &res, BOOKMARK_CURRENT, DIR_BACKWARD);
    IMAPITable_FindRow(lpTable, &res, BOOKMARK_CURRENT, DIR_BACKWARD);

    hr = lpTable->lpVtbl->QueryRows(lpTable, 10, TBL_NOADVANCE, &lpRows);
    if (FAILED(hr))
        goto out;
    free_rows(lpRows);
    lpRows = NULL;
    hr = IMAPITable_QueryRows(lpTable, 10, TBL_NOADVANCE, &lpRows);
    if (FAILED(hr))
        goto out;
    *lpulImportance = lpRows->aRow[0].lpProps[0].Value.ul;
    free_rows(lpRows);

    hr = lpFolder->lpVtbl->CreateMessage(lpFolder, NULL, MAPI_DEFERRED_ERRORS, &lpMessage);
    if (FAILED(hr))
        goto out;
    lpMessage->lpVtbl->Release(lpMessage);
    hr = IMAPIFolder_CreateMessage(lpFolder, NULL, MAPI_DEFERRED_ERRORS, &lpMessage);
    if (FAILED(hr))
        goto out;
    prop.ulPropTag = PR_SUBJECT_T;
    prop.dwAlignPad = 0;
    prop.Value.LPSZ = (LPTSTR)TEXT("hello");
    lpMessage->lpVtbl->SetProps(lpMessage, 1, &prop, NULL);
    IMessage_SetProps(lpMessage, 1, &prop, NULL);
    lpMessage->lpVtbl->ModifyRecipients(lpMessage, MODRECIP_ADD, NULL);
    IMessage_ModifyRecipients(lpMessage, MODRECIP_ADD, NULL);
    lpMessage->lpVtbl->SaveChanges(lpMessage, KEEP_OPEN_READWRITE);
    IMessage_SaveChanges(lpMessage, KEEP_OPEN_READWRITE);
    lpMessage->lpVtbl->SubmitMessage(lpMessage, FORCE_SUBMIT);
    IMessage_SubmitMessage(lpMessage, FORCE_SUBMIT);
    IMessage_AddRef(lpMessage);
    lpMessage->lpVtbl->AddRef(lpMessage);
    lpMessage->lpVtbl->Release(lpMessage);
    IMessage_Release(lpMessage);
    IMessage_Release(lpMessage);

    lpFolder->lpVtbl->SetReadFlags(lpFolder, &list, 0, NULL, CLEAR_READ_FLAG | SUPPRESS_RECEIPT);
    IMAPIFolder_SetReadFlags(lpFolder, &list, 0, NULL, CLEAR_READ_FLAG | SUPPRESS_RECEIPT);
    lpFolder->lpVtbl->CopyMessages(lpFolder, &list, &IID_IMAPIFolder, lpFolder, 7, NULL,
                                   MESSAGE_MOVE);
    IMAPIFolder_CopyMessages(lpFolder, &list, &IID_IMAPIFolder, lpFolder, 7, NULL, MESSAGE_MOVE);
    lpFolder->lpVtbl->DeleteMessages(lpFolder, &list, 0, NULL, DELETE_HARD_DELETE);
    IMAPIFolder_DeleteMessages(lpFolder, &list, 0, NULL, DELETE_HARD_DELETE);
    lpFolder->lpVtbl->EmptyFolder(lpFolder, 0, NULL, DEL_ASSOCIATED);
    IMAPIFolder_EmptyFolder(lpFolder, 0, NULL, DEL_ASSOCIATED);
    hr = S_OK;
out:
    IMAPITable_Release(lpTable);
    return hr;
}

/* ---- tests ------------------------------------------------------------------------ */
/* The two calls at i and i + 1 are the same method with the same arguments. */
static void assert_pair(size_t i, const char *method, const void *self)
{
    assert_true(i + 1 < ncalls);
    assert_string_equal(calls[i].method, method);
    assert_string_equal(calls[i + 1].method, method);
    assert_ptr_equal(calls[i].self, self);
    assert_ptr_equal(calls[i + 1].self, self);
    assert_memory_equal(calls[i].arg, calls[i + 1].arg, sizeof(calls[i].arg));
}

static void both_call_styles_reach_the_same_method_with_the_same_arguments(void **state)
{
    fake_folder f;
    fake_folder_init(&f);
    ULONG importance = 0;
    assert_int_equal(list_and_tidy_folder(&f.base, &importance), S_OK);
    assert_int_equal(importance, 2);

    size_t i = 0;
    const void *folder = &f.base, *table = &f.table.base, *msg = &f.message.base;
    assert_string_equal(calls[i].method, "IMAPIFolder::GetContentsTable");
    assert_int_equal(calls[i].arg[0], MAPI_ASSOCIATED | MAPI_DEFERRED_ERRORS);
    i++;
    assert_string_equal(calls[i++].method, "IMAPITable::Release");
    assert_string_equal(calls[i].method, "IMAPIFolder::GetContentsTable");
    assert_int_equal(calls[i].arg[0], MAPI_ASSOCIATED | MAPI_DEFERRED_ERRORS);
    i++;
    assert_pair(i, "IMAPITable::SetColumns", table);
    assert_int_equal(calls[i].arg[0], U(&sptCols));
    assert_int_equal(calls[i].arg[1], TBL_BATCH);
    i += 2;
    assert_pair(i, "IMAPITable::SeekRow", table);
    assert_int_equal(calls[i].arg[0], BOOKMARK_BEGINNING);
    assert_int_equal((LONG)(ULONG)calls[i].arg[1], -3);
    i += 2;
    assert_pair(i, "IMAPITable::FindRow", table);
    assert_int_equal(calls[i].arg[1], BOOKMARK_CURRENT);
    assert_int_equal(calls[i].arg[2], DIR_BACKWARD);
    i += 2;
    assert_string_equal(calls[i].method, "IMAPITable::QueryRows");
    assert_string_equal(calls[i + 1].method, "IMAPITable::QueryRows");
    assert_int_equal(calls[i].arg[0], 10);
    assert_int_equal(calls[i].arg[1], TBL_NOADVANCE);
    assert_int_equal(calls[i + 1].arg[1], TBL_NOADVANCE);
    i += 2;
    assert_string_equal(calls[i].method, "IMAPIFolder::CreateMessage");
    assert_int_equal(calls[i].arg[0], 0);
    assert_int_equal(calls[i].arg[1], MAPI_DEFERRED_ERRORS);
    i++;
    assert_string_equal(calls[i++].method, "IMessage::Release");
    assert_string_equal(calls[i++].method, "IMAPIFolder::CreateMessage");
    assert_pair(i, "IMessage::SetProps", msg);
    assert_int_equal(calls[i].arg[0], 1);
    i += 2;
    assert_pair(i, "IMessage::ModifyRecipients", msg);
    assert_int_equal(calls[i].arg[0], MODRECIP_ADD);
    i += 2;
    assert_pair(i, "IMessage::SaveChanges", msg);
    assert_int_equal(calls[i].arg[0], KEEP_OPEN_READWRITE);
    i += 2;
    assert_pair(i, "IMessage::SubmitMessage", msg);
    assert_int_equal(calls[i].arg[0], FORCE_SUBMIT);
    i += 2;
    assert_pair(i, "IMessage::AddRef", msg);
    i += 2;
    assert_pair(i, "IMessage::Release", msg);
    i += 2;
    assert_string_equal(calls[i++].method, "IMessage::Release");
    assert_pair(i, "IMAPIFolder::SetReadFlags", folder);
    assert_int_equal(calls[i].arg[3], CLEAR_READ_FLAG | SUPPRESS_RECEIPT);
    i += 2;
    assert_pair(i, "IMAPIFolder::CopyMessages", folder);
    assert_int_equal(calls[i].arg[1], U(&IID_IMAPIFolder));
    assert_int_equal(calls[i].arg[2], U(folder));
    assert_int_equal(calls[i].arg[3], 7);
    assert_int_equal(calls[i].arg[5], MESSAGE_MOVE);
    i += 2;
    assert_pair(i, "IMAPIFolder::DeleteMessages", folder);
    assert_int_equal(calls[i].arg[3], DELETE_HARD_DELETE);
    i += 2;
    assert_pair(i, "IMAPIFolder::EmptyFolder", folder);
    assert_int_equal(calls[i].arg[2], DEL_ASSOCIATED);
    i += 2;
    assert_string_equal(calls[i++].method, "IMAPITable::Release");
    assert_int_equal(i, ncalls);
    /* Every reference the program took, it gave back. */
    assert_int_equal(f.table.refs, 0);
    assert_int_equal(f.message.refs, 0);
}

static void the_program_leaks_nothing_it_was_given(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    fake_folder f;
    fake_folder_init(&f);
    ULONG importance = 0;
    assert_int_equal(list_and_tidy_folder(&f.base, &importance), S_OK);
    fm_test_assert_no_leak(&b);
}

static HRESULT run_program(void *ctx)
{
    fake_folder *f = ctx;
    fake_folder_init(f);
    ULONG importance = 0;
    return list_and_tidy_folder(&f->base, &importance);
}

static void the_program_survives_every_allocation_failure(void **state)
{
    fake_folder f;
    assert_true(fm_test_oom_sweep(run_program, &f) >= 2);
}

static void text_macros_follow_unicode(void **state)
{
    SPropValue prop;
    prop.ulPropTag = PR_SUBJECT_T;
    prop.Value.LPSZ = (LPTSTR)TEXT("abc");
#ifdef UNICODE
    assert_int_equal(PROP_TYPE(prop.ulPropTag), PT_UNICODE);
    assert_ptr_equal((void *)prop.Value.lpszW, (void *)prop.Value.LPSZ);
#else
    assert_int_equal(PROP_TYPE(prop.ulPropTag), PT_STRING8);
    assert_string_equal(prop.Value.lpszA, "abc");
#endif
    assert_int_equal(sizeof(TCHAR) == sizeof(WCHAR), PT_TSTRING == PT_UNICODE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(both_call_styles_reach_the_same_method_with_the_same_arguments),
        cmocka_unit_test(the_program_leaks_nothing_it_was_given),
        cmocka_unit_test(the_program_survives_every_allocation_failure),
        cmocka_unit_test(text_macros_follow_unicode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
