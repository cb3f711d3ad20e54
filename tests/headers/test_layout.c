/*
 * tests/headers/test_layout.c - sizes and member offsets of MAPI's
 * structures on LP64, the Cb* size macros, and the slot count and slot
 * order of every interface's vtable.
 *
 * The numbers are worked out by hand from the documented member lists
 * (ULONG 4 bytes, pointers 8, natural alignment), not read back from the
 * compiler, so a member added, dropped, reordered or resized fails here.
 * The expected method orders are written out below as the MAPI SDK orders
 * them; each interface's list macro is expanded into the order and offsets
 * the header really has, and the two must agree.
 */
#include <string.h>

#include "fm_test.h"
#include "mapix.h"
#include "mapiutil.h"
#include "edkmdb.h"

static void base_types_have_their_windows_sizes(void **state)
{
    assert_int_equal(sizeof(ULONG), 4);
    assert_int_equal(sizeof(LONG), 4);
    assert_int_equal(sizeof(HRESULT), 4);
    assert_int_equal(sizeof(SCODE), 4);
    assert_int_equal(sizeof(BOOL), 4);
    assert_int_equal(sizeof(WCHAR), 2);
    assert_int_equal(sizeof(BYTE), 1);
    assert_int_equal(sizeof(WORD), 2);
    assert_int_equal(sizeof(DWORD), 4);
    assert_int_equal(sizeof(ULONG_PTR), sizeof(void *));
    assert_int_equal(sizeof(BOOKMARK), sizeof(void *));
    assert_int_equal(sizeof(FILETIME), 8);
    assert_int_equal(sizeof(LARGE_INTEGER), 8);
    assert_int_equal(sizeof(ULARGE_INTEGER), 8);
    assert_int_equal(sizeof(CURRENCY), 8);
    assert_int_equal(sizeof(GUID), 16);
    assert_int_equal(sizeof(MAPIUID), 16);
}

static void entry_ids_keep_flags_before_bytes(void **state)
{
    assert_int_equal(offsetof(ENTRYID, abFlags), 0);
    assert_int_equal(offsetof(ENTRYID, ab), 4);
    assert_int_equal(CbNewENTRYID(10), 14);
    assert_int_equal(CbENTRYID(0), 4);
    assert_int_equal(offsetof(FLATENTRY, abEntry), 4);
    assert_int_equal(CbNewFLATENTRY(5), 9);
    assert_int_equal(offsetof(FLATENTRYLIST, abEntries), 8);
    assert_int_equal(CbNewFLATENTRYLIST(5), 13);
    assert_int_equal(CbNewMTSID(3), 7);
    assert_int_equal(CbNewFLATMTSIDLIST(3), 11);
}

static void property_values_are_24_bytes_with_the_value_at_8(void **state)
{
    assert_int_equal(sizeof(SPropValue), 24);
    assert_int_equal(offsetof(SPropValue, ulPropTag), 0);
    assert_int_equal(offsetof(SPropValue, dwAlignPad), 4);
    assert_int_equal(offsetof(SPropValue, Value), 8);
    assert_int_equal(sizeof(union _PV), 16);
    assert_int_equal(sizeof(SBinary), 16);
    assert_int_equal(offsetof(SBinary, lpb), 8);
    assert_int_equal(sizeof(SLongArray), 16);
    assert_int_equal(sizeof(SPropTagArray), 8);
    assert_int_equal(offsetof(SPropTagArray, aulPropTag), 4);
    assert_int_equal(CbNewSPropTagArray(3), 16);
    SizedSPropTagArray(3, tags) = { 3, { PR_NULL, PR_NULL, PR_NULL } };
    assert_int_equal(sizeof(tags), CbNewSPropTagArray(3));
    SPropTagArray one = { 1, { PR_NULL } };
    assert_int_equal(CbSPropTagArray(&one), 8);
    assert_int_equal(sizeof(SPropProblem), 12);
    assert_int_equal(CbNewSPropProblemArray(2), 28);
}

static void rows_and_address_lists_have_the_documented_layout(void **state)
{
    assert_int_equal(sizeof(SRow), 16);
    assert_int_equal(offsetof(SRow, cValues), 4);
    assert_int_equal(offsetof(SRow, lpProps), 8);
    assert_int_equal(offsetof(SRowSet, aRow), 8);
    assert_int_equal(CbNewSRowSet(2), 40);
    assert_int_equal(sizeof(ADRENTRY), 16);
    assert_int_equal(offsetof(ADRENTRY, cValues), 4);
    assert_int_equal(offsetof(ADRENTRY, rgPropVals), 8);
    assert_int_equal(offsetof(ADRLIST, aEntries), 8);
    assert_int_equal(CbNewADRLIST(2), 40);
    assert_int_equal(sizeof(SSortOrder), 8);
    assert_int_equal(offsetof(SSortOrderSet, aSort), 12);
    assert_int_equal(CbNewSSortOrderSet(2), 28);
    assert_int_equal(offsetof(FlagList, ulFlag), 4);
    assert_int_equal(CbNewFlagList(3), 16);
}

static void restrictions_keep_the_union_at_8(void **state)
{
    assert_int_equal(offsetof(SRestriction, rt), 0);
    assert_int_equal(offsetof(SRestriction, res), 8);
    assert_int_equal(sizeof(SRestriction), 32);
    assert_int_equal(sizeof(SPropertyRestriction), 16);
    assert_int_equal(offsetof(SPropertyRestriction, lpProp), 8);
    assert_int_equal(sizeof(SContentRestriction), 16);
    assert_int_equal(sizeof(SBitMaskRestriction), 12);
    assert_int_equal(sizeof(SComparePropsRestriction), 12);
    assert_int_equal(sizeof(SAndRestriction), 16);
    assert_int_equal(offsetof(SAndRestriction, lpRes), 8);
    assert_int_equal(sizeof(SCommentRestriction), 24);
    assert_int_equal(offsetof(SCommentRestriction, lpProp), 16);
}

static void named_ids_and_errors_have_the_documented_layout(void **state)
{
    assert_int_equal(sizeof(MAPINAMEID), 24);
    assert_int_equal(offsetof(MAPINAMEID, ulKind), 8);
    assert_int_equal(offsetof(MAPINAMEID, Kind), 16);
    assert_int_equal(sizeof(MAPIERROR), 32);
    assert_int_equal(offsetof(MAPIERROR, lpszError), 8);
    assert_int_equal(offsetof(MAPIERROR, lpszComponent), 16);
    assert_int_equal(offsetof(MAPIERROR, ulLowLevelError), 24);
    assert_int_equal(offsetof(MAPIERROR, ulContext), 28);
}

static void notification_members_sit_where_documented(void **state)
{
    assert_int_equal(offsetof(NOTIFICATION, ulEventType), 0);
    assert_int_equal(offsetof(NOTIFICATION, info), 8);
    assert_int_equal(sizeof(NOTIFICATION), 88);
    assert_int_equal(sizeof(ERROR_NOTIFICATION), 32);
    assert_int_equal(offsetof(ERROR_NOTIFICATION, scode), 16);
    assert_int_equal(offsetof(ERROR_NOTIFICATION, lpMAPIError), 24);
    assert_int_equal(sizeof(NEWMAIL_NOTIFICATION), 56);
    assert_int_equal(offsetof(NEWMAIL_NOTIFICATION, lpszMessageClass), 40);
    assert_int_equal(offsetof(NEWMAIL_NOTIFICATION, ulMessageFlags), 48);
    assert_int_equal(sizeof(OBJECT_NOTIFICATION), 72);
    assert_int_equal(offsetof(OBJECT_NOTIFICATION, ulObjType), 16);
    assert_int_equal(offsetof(OBJECT_NOTIFICATION, cbParentID), 20);
    assert_int_equal(offsetof(OBJECT_NOTIFICATION, lpOldParentID), 56);
    assert_int_equal(offsetof(OBJECT_NOTIFICATION, lpPropTagArray), 64);
    assert_int_equal(sizeof(TABLE_NOTIFICATION), 80);
    assert_int_equal(offsetof(TABLE_NOTIFICATION, hResult), 4);
    assert_int_equal(offsetof(TABLE_NOTIFICATION, propIndex), 8);
    assert_int_equal(offsetof(TABLE_NOTIFICATION, propPrior), 32);
    assert_int_equal(offsetof(TABLE_NOTIFICATION, row), 56);
    assert_int_equal(offsetof(TABLE_NOTIFICATION, ulPad), 72);
    assert_int_equal(sizeof(EXTENDED_NOTIFICATION), 16);
    assert_int_equal(sizeof(STATUS_OBJECT_NOTIFICATION), 32);
    assert_int_equal(offsetof(STATUS_OBJECT_NOTIFICATION, lpPropVals), 24);
}

static void interface_structures_have_the_documented_layout(void **state)
{
    assert_int_equal(sizeof(STATSTG), 80);
    assert_int_equal(offsetof(STATSTG, type), 8);
    assert_int_equal(offsetof(STATSTG, cbSize), 16);
    assert_int_equal(offsetof(STATSTG, mtime), 24);
    assert_int_equal(offsetof(STATSTG, grfMode), 48);
    assert_int_equal(offsetof(STATSTG, clsid), 56);
    assert_int_equal(offsetof(STATSTG, grfStateBits), 72);
    assert_int_equal(sizeof(MAPIINIT_0), 8);
    assert_int_equal(offsetof(MAPIINIT_0, ulFlags), 4);
    assert_int_equal(sizeof(ADRPARM), 136);
    assert_int_equal(offsetof(ADRPARM, lpABContEntryID), 8);
    assert_int_equal(offsetof(ADRPARM, ulFlags), 16);
    assert_int_equal(offsetof(ADRPARM, cDestFields), 96);
    assert_int_equal(offsetof(ADRPARM, nDestFieldFocus), 100);
    assert_int_equal(offsetof(ADRPARM, lpHierRestriction), 128);
    /* An interface is one pointer to its vtable. */
    assert_int_equal(sizeof(IMAPIFolder), sizeof(void *));
    assert_int_equal(offsetof(IMAPIFolder, lpVtbl), 0);
}

/* ---- vtables ------------------------------------------------------------------ */
#define UNK "QueryInterface AddRef Release "
#define PROP                                                                       \
    UNK "GetLastError SaveChanges GetProps GetPropList OpenProperty SetProps "     \
        "DeleteProps CopyTo CopyProps GetNamesFromIDs GetIDsFromNames "
#define CONT PROP "GetContentsTable GetHierarchyTable OpenEntry SetSearchCriteria GetSearchCriteria "
#define ABCONT CONT "CreateEntry CopyEntries DeleteEntries ResolveNames"

typedef struct {
    const char *name[64];
    size_t offset[64];
    size_t count;
} slot_list;

/* Expands a list macro into the names and offsets the header declares. */
#define EAT(...)
#undef MAPIMETHOD
#undef MAPIMETHOD_
#define MAPIMETHOD(m)                                   \
    got->name[got->count] = #m;                         \
    got->offset[got->count] = offsetof(VTBL, m);        \
    got->count++;                                       \
    EAT
#define MAPIMETHOD_(t, m) MAPIMETHOD(m)

static void assert_slots(const slot_list *got, size_t vtbl_size, size_t documented_count,
                         const char *expected_order)
{
    assert_int_equal(vtbl_size / sizeof(void (*)(void)), documented_count);
    assert_int_equal(got->count, documented_count);
    char buf[1024];
    assert_true(strlen(expected_order) < sizeof(buf));
    strcpy(buf, expected_order);
    size_t i = 0;
    for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        assert_true(i < got->count);
        assert_string_equal(got->name[i], tok);
        assert_int_equal(got->offset[i], i * sizeof(void (*)(void)));
        i++;
    }
    assert_int_equal(i, documented_count);
}

#define CHECK_VTBL(iface, n_slots, order, ...)                    \
    do {                                                        \
        slot_list list = { .count = 0 };                        \
        slot_list *got = &list;                                 \
        __VA_ARGS__                                             \
        assert_slots(got, sizeof(iface##Vtbl), n_slots, order);   \
    } while (0)

static void com_vtables_have_the_documented_slots(void **state)
{
#define VTBL IUnknownVtbl
    CHECK_VTBL(IUnknown, 3, UNK, MAPI_IUNKNOWN_METHODS());
#undef VTBL
#define VTBL ISequentialStreamVtbl
    CHECK_VTBL(ISequentialStream, 5, UNK "Read Write", MAPI_IUNKNOWN_METHODS()
               MAPI_ISEQUENTIALSTREAM_METHODS());
#undef VTBL
#define VTBL IStreamVtbl
    CHECK_VTBL(IStream, 14,
               UNK "Read Write Seek SetSize CopyTo Commit Revert LockRegion UnlockRegion Stat Clone",
               MAPI_IUNKNOWN_METHODS() MAPI_ISEQUENTIALSTREAM_METHODS() MAPI_ISTREAM_METHODS());
#undef VTBL
#define VTBL IMallocVtbl
    CHECK_VTBL(IMalloc, 9, UNK "Alloc Realloc Free GetSize DidAlloc HeapMinimize",
               MAPI_IUNKNOWN_METHODS() MAPI_IMALLOC_METHODS());
#undef VTBL
}

static void property_object_vtables_have_the_documented_slots(void **state)
{
#define VTBL IMAPIPropVtbl
    CHECK_VTBL(IMAPIProp, 14, PROP, MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROP_METHODS());
#undef VTBL
#define VTBL IPropDataVtbl
    CHECK_VTBL(IPropData, 18, PROP "HrSetObjAccess HrSetPropAccess HrGetPropAccess HrAddObjProps",
               MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROP_METHODS() MAPI_IMAPIPROPDATA_METHODS());
#undef VTBL
#define VTBL IProfSectVtbl
    CHECK_VTBL(IProfSect, 14, PROP, MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROP_METHODS()
               MAPI_IPROFSECT_METHODS());
#undef VTBL
#define VTBL IAttachVtbl
    CHECK_VTBL(IAttach, 14, PROP, MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROP_METHODS()
               MAPI_IATTACH_METHODS());
#undef VTBL
#define VTBL IMailUserVtbl
    CHECK_VTBL(IMailUser, 14, PROP, MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROP_METHODS()
               MAPI_IMAILUSER_METHODS());
#undef VTBL
#define VTBL IMAPIStatusVtbl
    CHECK_VTBL(IMAPIStatus, 18, PROP "ValidateState SettingsDialog ChangePassword FlushQueues",
               MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROP_METHODS() MAPI_IMAPISTATUS_METHODS());
#undef VTBL
#define VTBL IMessageVtbl
    CHECK_VTBL(IMessage, 22,
               PROP "GetAttachmentTable OpenAttach CreateAttach DeleteAttach GetRecipientTable "
                    "ModifyRecipients SubmitMessage SetReadFlag",
               MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROP_METHODS() MAPI_IMESSAGE_METHODS());
#undef VTBL
#define VTBL IMsgStoreVtbl
    CHECK_VTBL(IMsgStore, 27,
               PROP "Advise Unadvise CompareEntryIDs OpenEntry SetReceiveFolder GetReceiveFolder "
                    "GetReceiveFolderTable StoreLogoff AbortSubmit GetOutgoingQueue SetLockState "
                    "FinishedMsg NotifyNewMail",
               MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROP_METHODS() MAPI_IMSGSTORE_METHODS());
#undef VTBL
#define VTBL IAddrBookVtbl
    CHECK_VTBL(IAddrBook, 32,
               PROP "OpenEntry CompareEntryIDs Advise Unadvise CreateOneOff NewEntry ResolveName "
                    "Address Details RecipOptions QueryDefaultRecipOpt GetPAB SetPAB GetDefaultDir "
                    "SetDefaultDir GetSearchPath SetSearchPath PrepareRecips",
               MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROP_METHODS() MAPI_IADDRBOOK_METHODS());
#undef VTBL
}

static void container_vtables_have_the_documented_slots(void **state)
{
#define VTBL IMAPIContainerVtbl
    CHECK_VTBL(IMAPIContainer, 19, CONT, MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROP_METHODS()
               MAPI_IMAPICONTAINER_METHODS());
#undef VTBL
#define VTBL IMAPIFolderVtbl
    CHECK_VTBL(IMAPIFolder, 30,
               CONT "CreateMessage CopyMessages DeleteMessages CreateFolder CopyFolder "
                    "DeleteFolder SetReadFlags GetMessageStatus SetMessageStatus "
                    "SaveContentsSort EmptyFolder",
               MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROP_METHODS() MAPI_IMAPICONTAINER_METHODS()
               MAPI_IMAPIFOLDER_METHODS());
#undef VTBL
#define VTBL IABContainerVtbl
    CHECK_VTBL(IABContainer, 23, ABCONT, MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROP_METHODS()
               MAPI_IMAPICONTAINER_METHODS() MAPI_IABCONTAINER_METHODS());
#undef VTBL
#define VTBL IDistListVtbl
    CHECK_VTBL(IDistList, 23, ABCONT, MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROP_METHODS()
               MAPI_IMAPICONTAINER_METHODS() MAPI_IDISTLIST_METHODS());
#undef VTBL
}

static void unknown_based_vtables_have_the_documented_slots(void **state)
{
#define VTBL IMAPITableVtbl
    CHECK_VTBL(IMAPITable, 26,
               UNK "GetLastError Advise Unadvise GetStatus SetColumns QueryColumns GetRowCount "
                   "SeekRow SeekRowApprox QueryPosition FindRow Restrict CreateBookmark "
                   "FreeBookmark SortTable QuerySortOrder QueryRows Abort ExpandRow CollapseRow "
                   "WaitForCompletion GetCollapseState SetCollapseState",
               MAPI_IUNKNOWN_METHODS() MAPI_IMAPITABLE_METHODS());
#undef VTBL
#define VTBL IMAPIAdviseSinkVtbl
    CHECK_VTBL(IMAPIAdviseSink, 4, UNK "OnNotify",
               MAPI_IUNKNOWN_METHODS() MAPI_IMAPIADVISESINK_METHODS());
#undef VTBL
#define VTBL IMAPIProgressVtbl
    CHECK_VTBL(IMAPIProgress, 8, UNK "Progress GetFlags GetMax GetMin SetLimits",
               MAPI_IUNKNOWN_METHODS() MAPI_IMAPIPROGRESS_METHODS());
#undef VTBL
#define VTBL IMAPISessionVtbl
    CHECK_VTBL(IMAPISession, 22,
               UNK "GetLastError GetMsgStoresTable OpenMsgStore OpenAddressBook "
                   "OpenProfileSection GetStatusTable OpenEntry CompareEntryIDs Advise Unadvise "
                   "MessageOptions QueryDefaultMessageOpt EnumAdrTypes QueryIdentity Logoff "
                   "SetDefaultStore AdminServices ShowForm PrepareForm",
               MAPI_IUNKNOWN_METHODS() MAPI_IMAPISESSION_METHODS());
#undef VTBL
#define VTBL IProfAdminVtbl
    CHECK_VTBL(IProfAdmin, 12,
               UNK "GetLastError GetProfileTable CreateProfile DeleteProfile "
                   "ChangeProfilePassword CopyProfile RenameProfile SetDefaultProfile "
                   "AdminServices",
               MAPI_IUNKNOWN_METHODS() MAPI_IPROFADMIN_METHODS());
#undef VTBL
#define VTBL IMsgServiceAdminVtbl
    CHECK_VTBL(IMsgServiceAdmin, 15,
               UNK "GetLastError GetMsgServiceTable CreateMsgService DeleteMsgService "
                   "CopyMsgService RenameMsgService ConfigureMsgService OpenProfileSection "
                   "MsgServiceTransportOrder AdminProviders SetPrimaryIdentity GetProviderTable",
               MAPI_IUNKNOWN_METHODS() MAPI_IMSGSERVICEADMIN_METHODS());
#undef VTBL
#define VTBL IProviderAdminVtbl
    CHECK_VTBL(IProviderAdmin, 8,
               UNK "GetLastError GetProviderTable CreateProvider DeleteProvider OpenProfileSection",
               MAPI_IUNKNOWN_METHODS() MAPI_IPROVIDERADMIN_METHODS());
#undef VTBL
#define VTBL IExchangeManageStoreVtbl
    CHECK_VTBL(IExchangeManageStore, 8,
               UNK "CreateStoreEntryID EntryIDFromSourceKey GetRights GetMailboxTable "
                   "GetPublicFolderTable",
               MAPI_IUNKNOWN_METHODS() MAPI_IEXCHANGEMANAGESTORE_METHODS());
#undef VTBL
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base_types_have_their_windows_sizes),
        cmocka_unit_test(entry_ids_keep_flags_before_bytes),
        cmocka_unit_test(property_values_are_24_bytes_with_the_value_at_8),
        cmocka_unit_test(rows_and_address_lists_have_the_documented_layout),
        cmocka_unit_test(restrictions_keep_the_union_at_8),
        cmocka_unit_test(named_ids_and_errors_have_the_documented_layout),
        cmocka_unit_test(notification_members_sit_where_documented),
        cmocka_unit_test(interface_structures_have_the_documented_layout),
        cmocka_unit_test(com_vtables_have_the_documented_slots),
        cmocka_unit_test(property_object_vtables_have_the_documented_slots),
        cmocka_unit_test(container_vtables_have_the_documented_slots),
        cmocka_unit_test(unknown_based_vtables_have_the_documented_slots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
