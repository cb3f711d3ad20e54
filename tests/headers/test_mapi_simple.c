/*
 * tests/headers/test_mapi_simple.c - the Simple MAPI header (mapi.h).
 *
 * The functions are implemented later, so this only checks the header:
 * the structures' member order and LP64 layout, the documented constant
 * values, the function and pointer types, and that mapi.h, mapix.h and
 * mapiutil.h compile together in one translation unit (mapi.h first here;
 * the other order is the everyday one of the rest of the tests).
 * Expected numbers are literals from Microsoft's Simple MAPI reference.
 */
#include "mapi.h"
#include "mapix.h"
#include "mapiutil.h"

#include "fm_test.h"

/* The prototypes must match the pointer types programs load them into.
 * _Generic does not evaluate its operand, so nothing is linked. */
#define SAME_TYPE(fn, ptrtype) _Static_assert(_Generic(&fn, ptrtype: 1, default: 0), #fn)
SAME_TYPE(MAPILogon, LPMAPILOGON);
SAME_TYPE(MAPILogoff, LPMAPILOGOFF);
SAME_TYPE(MAPISendMail, LPMAPISENDMAIL);
SAME_TYPE(MAPISendMailW, LPMAPISENDMAILW);
SAME_TYPE(MAPISendDocuments, LPMAPISENDDOCUMENTS);
SAME_TYPE(MAPIFindNext, LPMAPIFINDNEXT);
SAME_TYPE(MAPIReadMail, LPMAPIREADMAIL);
SAME_TYPE(MAPISaveMail, LPMAPISAVEMAIL);
SAME_TYPE(MAPIDeleteMail, LPMAPIDELETEMAIL);
SAME_TYPE(MAPIFreeBuffer, LPMAPIFREEBUFFER);
SAME_TYPE(MAPIAddress, LPMAPIADDRESS);
SAME_TYPE(MAPIDetails, LPMAPIDETAILS);
SAME_TYPE(MAPIResolveName, LPMAPIRESOLVENAME);

/* A string member: char in the A forms, UTF-16 WCHAR in the W forms. */
#define IS_A_STRING(e) _Generic((e), LPSTR: 1, default: 0)
#define IS_W_STRING(e) _Generic((e), PWSTR: 1, default: 0)

static void recip_desc_members_are_in_documented_order(void **state)
{
    assert_int_equal(offsetof(MapiRecipDesc, ulReserved), 0);
    assert_int_equal(offsetof(MapiRecipDesc, ulRecipClass), 4);
    assert_int_equal(offsetof(MapiRecipDesc, lpszName), 8);
    assert_int_equal(offsetof(MapiRecipDesc, lpszAddress), 16);
    assert_int_equal(offsetof(MapiRecipDesc, ulEIDSize), 24);
    assert_int_equal(offsetof(MapiRecipDesc, lpEntryID), 32);
    assert_int_equal(sizeof(MapiRecipDesc), 40);
    assert_int_equal(sizeof(MapiRecipDescW), 40);
    assert_int_equal(offsetof(MapiRecipDescW, lpszName), 8);
    assert_int_equal(offsetof(MapiRecipDescW, lpszAddress), 16);
    assert_int_equal(offsetof(MapiRecipDescW, ulEIDSize), 24);
    assert_int_equal(offsetof(MapiRecipDescW, lpEntryID), 32);
    MapiRecipDesc a = { 0 };
    MapiRecipDescW w = { 0 };
    assert_true(IS_A_STRING(a.lpszName) && IS_A_STRING(a.lpszAddress));
    assert_true(IS_W_STRING(w.lpszName) && IS_W_STRING(w.lpszAddress));
    assert_int_equal(sizeof a.ulRecipClass, 4);
    assert_int_equal(sizeof a.ulEIDSize, 4);
}

static void file_desc_members_are_in_documented_order(void **state)
{
    assert_int_equal(offsetof(MapiFileDesc, ulReserved), 0);
    assert_int_equal(offsetof(MapiFileDesc, flFlags), 4);
    assert_int_equal(offsetof(MapiFileDesc, nPosition), 8);
    assert_int_equal(offsetof(MapiFileDesc, lpszPathName), 16);
    assert_int_equal(offsetof(MapiFileDesc, lpszFileName), 24);
    assert_int_equal(offsetof(MapiFileDesc, lpFileType), 32);
    assert_int_equal(sizeof(MapiFileDesc), 40);
    assert_int_equal(offsetof(MapiFileDescW, nPosition), 8);
    assert_int_equal(offsetof(MapiFileDescW, lpszPathName), 16);
    assert_int_equal(offsetof(MapiFileDescW, lpszFileName), 24);
    assert_int_equal(offsetof(MapiFileDescW, lpFileType), 32);
    assert_int_equal(sizeof(MapiFileDescW), 40);
    MapiFileDesc a = { 0 };
    MapiFileDescW w = { 0 };
    assert_true(IS_A_STRING(a.lpszPathName) && IS_A_STRING(a.lpszFileName));
    assert_true(IS_W_STRING(w.lpszPathName) && IS_W_STRING(w.lpszFileName));
}

static void file_tag_ext_members_are_in_documented_order(void **state)
{
    assert_int_equal(offsetof(MapiFileTagExt, ulReserved), 0);
    assert_int_equal(offsetof(MapiFileTagExt, cbTag), 4);
    assert_int_equal(offsetof(MapiFileTagExt, lpTag), 8);
    assert_int_equal(offsetof(MapiFileTagExt, cbEncoding), 16);
    assert_int_equal(offsetof(MapiFileTagExt, lpEncoding), 24);
    assert_int_equal(sizeof(MapiFileTagExt), 32);
}

static void message_members_are_in_documented_order(void **state)
{
    assert_int_equal(offsetof(MapiMessage, ulReserved), 0);
    assert_int_equal(offsetof(MapiMessage, lpszSubject), 8);
    assert_int_equal(offsetof(MapiMessage, lpszNoteText), 16);
    assert_int_equal(offsetof(MapiMessage, lpszMessageType), 24);
    assert_int_equal(offsetof(MapiMessage, lpszDateReceived), 32);
    assert_int_equal(offsetof(MapiMessage, lpszConversationID), 40);
    assert_int_equal(offsetof(MapiMessage, flFlags), 48);
    assert_int_equal(offsetof(MapiMessage, lpOriginator), 56);
    assert_int_equal(offsetof(MapiMessage, nRecipCount), 64);
    assert_int_equal(offsetof(MapiMessage, lpRecips), 72);
    assert_int_equal(offsetof(MapiMessage, nFileCount), 80);
    assert_int_equal(offsetof(MapiMessage, lpFiles), 88);
    assert_int_equal(sizeof(MapiMessage), 96);
    assert_int_equal(offsetof(MapiMessageW, lpszSubject), 8);
    assert_int_equal(offsetof(MapiMessageW, lpszConversationID), 40);
    assert_int_equal(offsetof(MapiMessageW, flFlags), 48);
    assert_int_equal(offsetof(MapiMessageW, lpOriginator), 56);
    assert_int_equal(offsetof(MapiMessageW, nRecipCount), 64);
    assert_int_equal(offsetof(MapiMessageW, lpRecips), 72);
    assert_int_equal(offsetof(MapiMessageW, nFileCount), 80);
    assert_int_equal(offsetof(MapiMessageW, lpFiles), 88);
    assert_int_equal(sizeof(MapiMessageW), 96);
}

static void message_forms_point_at_their_own_recipient_and_file_forms(void **state)
{
    MapiMessage a = { 0 };
    MapiMessageW w = { 0 };
    assert_true(IS_A_STRING(a.lpszSubject) && IS_A_STRING(a.lpszNoteText) &&
                IS_A_STRING(a.lpszMessageType) && IS_A_STRING(a.lpszDateReceived) &&
                IS_A_STRING(a.lpszConversationID));
    assert_true(IS_W_STRING(w.lpszSubject) && IS_W_STRING(w.lpszNoteText) &&
                IS_W_STRING(w.lpszMessageType) && IS_W_STRING(w.lpszDateReceived) &&
                IS_W_STRING(w.lpszConversationID));
    assert_true(_Generic(a.lpOriginator, lpMapiRecipDesc: 1, default: 0));
    assert_true(_Generic(a.lpRecips, lpMapiRecipDesc: 1, default: 0));
    assert_true(_Generic(a.lpFiles, lpMapiFileDesc: 1, default: 0));
    assert_true(_Generic(w.lpOriginator, lpMapiRecipDescW: 1, default: 0));
    assert_true(_Generic(w.lpRecips, lpMapiRecipDescW: 1, default: 0));
    assert_true(_Generic(w.lpFiles, lpMapiFileDescW: 1, default: 0));
    assert_int_equal(sizeof(WCHAR), 2);
    assert_int_equal(sizeof(FLAGS), 4);
    assert_int_equal(sizeof(LHANDLE), sizeof(void *));
}

static void return_codes_have_documented_values(void **state)
{
    assert_int_equal(SUCCESS_SUCCESS, 0);
    assert_int_equal(MAPI_USER_ABORT, 1);
    assert_int_equal(MAPI_E_USER_ABORT, 1);
    assert_int_equal(MAPI_E_FAILURE, 2);
    assert_int_equal(MAPI_E_LOGON_FAILURE, 3);
    assert_int_equal(MAPI_E_LOGIN_FAILURE, 3);
    assert_int_equal(MAPI_E_DISK_FULL, 4);
    assert_int_equal(MAPI_E_INSUFFICIENT_MEMORY, 5);
    assert_int_equal(MAPI_E_ACCESS_DENIED, 6);
    assert_int_equal(MAPI_E_TOO_MANY_SESSIONS, 8);
    assert_int_equal(MAPI_E_TOO_MANY_FILES, 9);
    assert_int_equal(MAPI_E_TOO_MANY_RECIPIENTS, 10);
    assert_int_equal(MAPI_E_ATTACHMENT_NOT_FOUND, 11);
    assert_int_equal(MAPI_E_ATTACHMENT_OPEN_FAILURE, 12);
    assert_int_equal(MAPI_E_ATTACHMENT_WRITE_FAILURE, 13);
    assert_int_equal(MAPI_E_UNKNOWN_RECIPIENT, 14);
    assert_int_equal(MAPI_E_BAD_RECIPTYPE, 15);
    assert_int_equal(MAPI_E_NO_MESSAGES, 16);
    assert_int_equal(MAPI_E_INVALID_MESSAGE, 17);
    assert_int_equal(MAPI_E_TEXT_TOO_LARGE, 18);
    assert_int_equal(MAPI_E_INVALID_SESSION, 19);
    assert_int_equal(MAPI_E_TYPE_NOT_SUPPORTED, 20);
    assert_int_equal(MAPI_E_AMBIGUOUS_RECIPIENT, 21);
    assert_int_equal(MAPI_E_AMBIG_RECIP, 21);
    assert_int_equal(MAPI_E_MESSAGE_IN_USE, 22);
    assert_int_equal(MAPI_E_NETWORK_FAILURE, 23);
    assert_int_equal(MAPI_E_INVALID_EDITFIELDS, 24);
    assert_int_equal(MAPI_E_INVALID_RECIPS, 25);
    assert_int_equal(MAPI_E_NOT_SUPPORTED, 26);
    assert_int_equal(MAPI_E_UNICODE_NOT_SUPPORTED, 27);
    assert_int_equal(MAPI_E_ATTACHMENT_TOO_LARGE, 28);
}

static void flags_have_documented_values(void **state)
{
    assert_int_equal(MAPI_ORIG, 0);
    assert_int_equal(MAPI_TO, 1);
    assert_int_equal(MAPI_CC, 2);
    assert_int_equal(MAPI_BCC, 3);
    assert_int_equal(MAPI_OLE, 0x1);
    assert_int_equal(MAPI_OLE_STATIC, 0x2);
    assert_int_equal(MAPI_UNREAD, 0x1);
    assert_int_equal(MAPI_RECEIPT_REQUESTED, 0x2);
    assert_int_equal(MAPI_SENT, 0x4);
    assert_int_equal(MAPI_LOGON_UI, 0x1);
    assert_int_equal(MAPI_NEW_SESSION, 0x2);
    assert_int_equal(MAPI_DIALOG, 0x8);
    assert_int_equal(MAPI_DIALOG_MODELESS, 0xC);
    assert_int_equal(MAPI_EXTENDED, 0x20);
    assert_int_equal(MAPI_UNREAD_ONLY, 0x20);
    assert_int_equal(MAPI_ENVELOPE_ONLY, 0x40);
    assert_int_equal(MAPI_PEEK, 0x80);
    assert_int_equal(MAPI_GUARANTEE_FIFO, 0x100);
    assert_int_equal(MAPI_BODY_AS_FILE, 0x200);
    assert_int_equal(MAPI_AB_NOMODIFY, 0x400);
    assert_int_equal(MAPI_SUPPRESS_ATTACH, 0x800);
    assert_int_equal(MAPI_FORCE_DOWNLOAD, 0x1000);
    assert_int_equal(MAPI_LONG_MSGID, 0x4000);
    assert_int_equal(MAPI_PASSWORD_UI, 0x20000);
    assert_int_equal(MAPI_FORCE_UNICODE, 0x40000);
}

static void simple_and_extended_codes_stay_apart(void **state)
{
    /* Same-looking ideas, different names and values in the two APIs. */
    assert_int_not_equal(MAPI_E_NOT_SUPPORTED, MAPI_E_NO_SUPPORT);
    assert_int_not_equal(MAPI_E_LOGON_FAILURE, MAPI_E_LOGON_FAILED);
    assert_int_not_equal(MAPI_E_USER_ABORT, MAPI_E_USER_CANCEL);
    assert_int_not_equal(MAPI_E_INSUFFICIENT_MEMORY, MAPI_E_NOT_ENOUGH_MEMORY);
    assert_int_equal(SUCCESS_SUCCESS, S_OK);
    /* Simple MAPI codes are not HRESULTs: not named as one. */
    assert_null(fmapi_error_name((HRESULT)MAPI_E_ATTACHMENT_TOO_LARGE));
}

static void free_buffer_is_the_extended_mapi_function(void **state)
{
    LPMAPIFREEBUFFER free_fn = MAPIFreeBuffer;
    void *p = NULL;
    assert_int_equal(MAPIAllocateBuffer(16, &p), S_OK);
    assert_int_equal(free_fn(p), SUCCESS_SUCCESS);
    assert_int_equal(free_fn(NULL), SUCCESS_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recip_desc_members_are_in_documented_order),
        cmocka_unit_test(file_desc_members_are_in_documented_order),
        cmocka_unit_test(file_tag_ext_members_are_in_documented_order),
        cmocka_unit_test(message_members_are_in_documented_order),
        cmocka_unit_test(message_forms_point_at_their_own_recipient_and_file_forms),
        cmocka_unit_test(return_codes_have_documented_values),
        cmocka_unit_test(flags_have_documented_values),
        cmocka_unit_test(simple_and_extended_codes_stay_apart),
        cmocka_unit_test(free_buffer_is_the_extended_mapi_function),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
