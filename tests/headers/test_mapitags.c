/*
 * tests/headers/test_mapitags.c - the generated mapitags.h against the
 * values of shared/mapi-reference.md section 3 (checked against Microsoft's
 * headers) and of [MS-OXPROPS] / the MAPI canonical pages for the upper and
 * address-book ranges, the _A/_W/generic spellings, and the name lookups of
 * freemapi_proptags.h in both directions.
 *
 * This file is compiled without UNICODE, so generic string tags must be the
 * PT_STRING8 form here.
 */
#include <string.h>

#include "fm_test.h"
#include "freemapi_proptags.h"

#ifdef UNICODE
#error "this test checks the non-UNICODE generic form"
#endif

typedef struct expected_tag {
    ULONG tag;
    ULONG value;
    const char *what;
} expected_tag;

#define EXPECT(t, v) {(t), (v), #t}

/* mapi-reference.md section 3; strings are given there as _W tags. */
static const expected_tag reference_tags[] = {
    EXPECT(PR_ENTRYID, 0x0FFF0102), EXPECT(PR_RECORD_KEY, 0x0FF90102),
    EXPECT(PR_SEARCH_KEY, 0x300B0102), EXPECT(PR_INSTANCE_KEY, 0x0FF60102),
    EXPECT(PR_PARENT_ENTRYID, 0x0E090102), EXPECT(PR_STORE_ENTRYID, 0x0FFB0102),
    EXPECT(PR_OBJECT_TYPE, 0x0FFE0003), EXPECT(PR_ACCESS, 0x0FF40003),
    EXPECT(PR_SUBJECT_W, 0x0037001F), EXPECT(PR_BODY_W, 0x1000001F),
    EXPECT(PR_HTML, 0x10130102), EXPECT(PR_BODY_HTML_W, 0x1013001F),
    EXPECT(PR_RTF_COMPRESSED, 0x10090102), EXPECT(PR_MESSAGE_CLASS_W, 0x001A001F),
    EXPECT(PR_MESSAGE_FLAGS, 0x0E070003), EXPECT(PR_MESSAGE_SIZE, 0x0E080003),
    EXPECT(PR_HASATTACH, 0x0E1B000B), EXPECT(PR_IMPORTANCE, 0x00170003),
    EXPECT(PR_SENSITIVITY, 0x00360003), EXPECT(PR_INTERNET_MESSAGE_ID_W, 0x1035001F),
    EXPECT(PR_TRANSPORT_MESSAGE_HEADERS_W, 0x007D001F),
    EXPECT(PR_NORMALIZED_SUBJECT_W, 0x0E1D001F), EXPECT(PR_MSG_STATUS, 0x0E170003),
    EXPECT(PR_CLIENT_SUBMIT_TIME, 0x00390040), EXPECT(PR_MESSAGE_DELIVERY_TIME, 0x0E060040),
    EXPECT(PR_CREATION_TIME, 0x30070040), EXPECT(PR_LAST_MODIFICATION_TIME, 0x30080040),
    EXPECT(PR_SENDER_ENTRYID, 0x0C190102), EXPECT(PR_SENDER_NAME_W, 0x0C1A001F),
    EXPECT(PR_SENDER_SEARCH_KEY, 0x0C1D0102), EXPECT(PR_SENDER_ADDRTYPE_W, 0x0C1E001F),
    EXPECT(PR_SENDER_EMAIL_ADDRESS_W, 0x0C1F001F),
    EXPECT(PR_SENT_REPRESENTING_NAME_W, 0x0042001F),
    EXPECT(PR_SENT_REPRESENTING_ENTRYID, 0x00410102),
    EXPECT(PR_DISPLAY_NAME_W, 0x3001001F), EXPECT(PR_DISPLAY_TO_W, 0x0E04001F),
    EXPECT(PR_DISPLAY_CC_W, 0x0E03001F), EXPECT(PR_DISPLAY_BCC_W, 0x0E02001F),
    EXPECT(PR_ADDRTYPE_W, 0x3002001F), EXPECT(PR_EMAIL_ADDRESS_W, 0x3003001F),
    EXPECT(PR_RECIPIENT_TYPE, 0x0C150003), EXPECT(PR_ROWID, 0x30000003),
    EXPECT(PR_ATTACH_NUM, 0x0E210003), EXPECT(PR_ATTACH_SIZE, 0x0E200003),
    EXPECT(PR_ATTACH_DATA_BIN, 0x37010102), EXPECT(PR_ATTACH_DATA_OBJ, 0x3701000D),
    EXPECT(PR_ATTACH_EXTENSION_W, 0x3703001F), EXPECT(PR_ATTACH_FILENAME_W, 0x3704001F),
    EXPECT(PR_ATTACH_METHOD, 0x37050003), EXPECT(PR_ATTACH_LONG_FILENAME_W, 0x3707001F),
    EXPECT(PR_ATTACH_PATHNAME_W, 0x3708001F), EXPECT(PR_ATTACH_RENDERING, 0x37090102),
    EXPECT(PR_RENDERING_POSITION, 0x370B0003), EXPECT(PR_ATTACH_MIME_TAG_W, 0x370E001F),
    EXPECT(PR_MESSAGE_RECIPIENTS, 0x0E12000D), EXPECT(PR_MESSAGE_ATTACHMENTS, 0x0E13000D),
    EXPECT(PR_FOLDER_TYPE, 0x36010003), EXPECT(PR_CONTENT_COUNT, 0x36020003),
    EXPECT(PR_CONTENT_UNREAD, 0x36030003), EXPECT(PR_SUBFOLDERS, 0x360A000B),
    EXPECT(PR_CONTAINER_CLASS_W, 0x3613001F), EXPECT(PR_ASSOC_CONTENT_COUNT, 0x36170003),
    EXPECT(PR_DEPTH, 0x30050003), EXPECT(PR_STORE_SUPPORT_MASK, 0x340D0003),
    EXPECT(PR_STORE_STATE, 0x340E0003), EXPECT(PR_DEFAULT_STORE, 0x3400000B),
    EXPECT(PR_VALID_FOLDER_MASK, 0x35DF0003), EXPECT(PR_IPM_SUBTREE_ENTRYID, 0x35E00102),
    EXPECT(PR_IPM_OUTBOX_ENTRYID, 0x35E20102),
    EXPECT(PR_IPM_WASTEBASKET_ENTRYID, 0x35E30102),
    EXPECT(PR_IPM_SENTMAIL_ENTRYID, 0x35E40102), EXPECT(PR_FINDER_ENTRYID, 0x35E70102),
};

static void reference_tags_have_the_documented_values(void **state)
{
    for (size_t i = 0; i < sizeof(reference_tags) / sizeof(reference_tags[0]); i++) {
        if (reference_tags[i].tag != reference_tags[i].value)
            fail_msg("%s is 0x%08X, documented 0x%08X", reference_tags[i].what,
                     (unsigned)reference_tags[i].tag, (unsigned)reference_tags[i].value);
    }
}

/*
 * Tags above 0x65E0 and the address-book range, as [MS-OXPROPS] and the MAPI
 * canonical property pages give them (ID, type). Strings as _W tags.
 */
static const expected_tag upper_range_tags[] = {
    EXPECT(PR_ATTACHMENT_LINKID, 0x7FFA0003), EXPECT(PR_ATTACHMENT_FLAGS, 0x7FFD0003),
    EXPECT(PR_ATTACHMENT_HIDDEN, 0x7FFE000B), EXPECT(PR_EXCEPTION_STARTTIME, 0x7FFB0040),
    EXPECT(PR_EXCEPTION_REPLACETIME, 0x7FF90040), EXPECT(PR_OAB_NAME_W, 0x6800001F),
    EXPECT(PR_OAB_TRUNCATED_PROPS, 0x68051003), EXPECT(PR_ROH_FLAGS, 0x66230003),
    EXPECT(PR_RULE_MSG_STATE, 0x65E90003), EXPECT(PR_DAM_ORIG_MSG_SVREID, 0x674100FB),
    EXPECT(PR_SCHDINFO_DELEGATE_NAMES_W, 0x6844101F),
    EXPECT(PR_EMS_AB_MEMBER, 0x8009000D), EXPECT(PR_EMS_AB_MANAGER, 0x8005000D),
    EXPECT(PR_EMS_AB_PROXY_ADDRESSES_W, 0x800F101F),
    EXPECT(PR_EMS_AB_HOME_MDB_A, 0x8006001E), EXPECT(PR_EMS_AB_REPORTS, 0x800E000D),
    EXPECT(PR_EMS_AB_IS_MEMBER_OF_DL_W, 0x8008001F),
    EXPECT(PR_EMS_AB_X509_CERT, 0x8C6A1102), EXPECT(PR_EMS_AB_OBJECT_GUID, 0x8C6D0102),
    EXPECT(PR_EMS_AB_PARENT_ENTRYID, 0xFFFC0102), EXPECT(PR_EMS_AB_CONTAINERID, 0xFFFD0003),
    EXPECT(PR_EMS_AB_THUMBNAIL_PHOTO, 0x8C9E0102),
    EXPECT(PR_EMS_AB_HAB_ROOT_DEPARTMENT, 0x8C98001E),
    EXPECT(PR_EMS_AB_DL_EXTERNAL_MEMBER_COUNT, 0x8CE30003),
};

static void upper_range_tags_have_the_documented_values(void **state)
{
    for (size_t i = 0; i < sizeof(upper_range_tags) / sizeof(upper_range_tags[0]); i++) {
        if (upper_range_tags[i].tag != upper_range_tags[i].value)
            fail_msg("%s is 0x%08X, documented 0x%08X", upper_range_tags[i].what,
                     (unsigned)upper_range_tags[i].tag, (unsigned)upper_range_tags[i].value);
    }
}

static void address_book_tags_resolve_by_both_names(void **state)
{
    assert_int_equal(fmapi_proptag_from_name("PidTagAddressBookMember"), PR_EMS_AB_MEMBER);
    assert_int_equal(fmapi_proptag_from_name("PR_EMS_AB_PROXY_ADDRESSES"),
                     PR_EMS_AB_PROXY_ADDRESSES_W);
    assert_string_equal(fmapi_proptag_name(0x8C6D0102), "PR_EMS_AB_OBJECT_GUID");
    /* Two documented names for one tag: the first listed is primary. */
    assert_int_equal(PR_EMS_AB_IS_ORGANIZATIONAL, PR_EMS_AB_HAB_IS_HIERARCHICAL_GROUP);
    assert_string_equal(fmapi_proptag_name(PR_EMS_AB_IS_ORGANIZATIONAL),
                        "PR_EMS_AB_HAB_IS_HIERARCHICAL_GROUP");
    /* One ID, object and string forms: each tag keeps its own name. */
    assert_string_equal(fmapi_proptag_name(PR_EMS_AB_MANAGER), "PR_EMS_AB_MANAGER");
    assert_string_equal(fmapi_proptag_name(0x8005001F), "PR_EMS_AB_MANAGER_W");
}

static void t_suffixed_names_are_generic_only(void **state)
{
    /* PR_EMS_AB_MANAGER_T follows UNICODE like PR_SUBJECT, with no _T_A/_T_W. */
    assert_int_equal(PR_EMS_AB_MANAGER_T, PR_EMS_AB_MANAGER_A);
    assert_int_equal(fmapi_proptag_from_name("PR_EMS_AB_MANAGER_T"), PR_EMS_AB_MANAGER_W);
    assert_int_equal(fmapi_proptag_from_name("PR_EMS_AB_MANAGER_T_W"), PR_NULL);
    assert_int_equal(fmapi_proptag_from_name("PidTagAddressBookManagerDistinguishedName"),
                     PR_EMS_AB_MANAGER_W);
}

static void string_tags_come_in_narrow_wide_and_generic_forms(void **state)
{
    assert_int_equal(PR_SUBJECT_A, 0x0037001E);
    assert_int_equal(PR_SUBJECT_W, 0x0037001F);
    assert_int_equal(PROP_ID(PR_SUBJECT_A), PROP_ID(PR_SUBJECT_W));
    assert_int_equal(PR_BODY_A, CHANGE_PROP_TYPE(PR_BODY_W, PT_STRING8));
    assert_int_equal(PR_CONTACT_ADDRTYPES_A, PROP_TAG(PT_MV_STRING8, 0x3A54));
    assert_int_equal(PR_CONTACT_ADDRTYPES_W, PROP_TAG(PT_MV_UNICODE, 0x3A54));
}

static void generic_names_follow_unicode_and_are_narrow_without_it(void **state)
{
    assert_int_equal(PR_SUBJECT, PR_SUBJECT_A);
    assert_int_equal(PR_DISPLAY_NAME, PR_DISPLAY_NAME_A);
    assert_int_equal(PR_CONTACT_ADDRTYPES, PR_CONTACT_ADDRTYPES_A);
    assert_int_equal(PROP_TYPE(PR_BODY), PT_STRING8);
}

static void aliases_share_an_id_and_keep_their_own_type(void **state)
{
    assert_int_equal(PROP_ID(PR_HTML), PROP_ID(PR_BODY_HTML_W));
    assert_int_equal(PROP_TYPE(PR_HTML), PT_BINARY);
    assert_int_equal(PR_OFFICE_TELEPHONE_NUMBER_W, PR_BUSINESS_TELEPHONE_NUMBER_W);
    assert_int_equal(PR_BUSINESS_ADDRESS_COUNTRY_W, PR_COUNTRY_W);
    assert_int_equal(PR_7BIT_DISPLAY_NAME_W, PR_EMS_AB_DISPLAY_NAME_PRINTABLE_W);
}

static void transmittable_ranges_match_the_documentation(void **state)
{
    assert_true(FIsTransmittable(PR_SUBJECT_W));
    assert_true(FIsTransmittable(PR_BODY_W));
    assert_true(FIsTransmittable(PROP_TAG(PT_LONG, 0x8000)));
    assert_false(FIsTransmittable(PR_ENTRYID));
    assert_false(FIsTransmittable(PR_SOURCE_KEY));
    assert_false(FIsTransmittable(PROP_TAG(PT_LONG, 0x7C00)));
    assert_true(FIsTransmittable(PROP_TAG(PT_LONG, 0x6800)));
}

static void tags_name_themselves_with_the_right_suffix(void **state)
{
    assert_string_equal(fmapi_proptag_name(0x0037001F), "PR_SUBJECT_W");
    assert_string_equal(fmapi_proptag_name(0x0037001E), "PR_SUBJECT_A");
    assert_string_equal(fmapi_proptag_name(PR_ENTRYID), "PR_ENTRYID");
    assert_string_equal(fmapi_proptag_name(PR_HTML), "PR_HTML");
    assert_string_equal(fmapi_proptag_name(PR_BODY_HTML_W), "PR_BODY_HTML_W");
    /* An alias sharing a tag reports the property's primary name. */
    assert_string_equal(fmapi_proptag_name(PR_OFFICE_TELEPHONE_NUMBER_W),
                        "PR_BUSINESS_TELEPHONE_NUMBER_W");
}

static void names_resolve_to_tags_in_every_spelling(void **state)
{
    assert_int_equal(fmapi_proptag_from_name("PR_SUBJECT_W"), 0x0037001F);
    assert_int_equal(fmapi_proptag_from_name("PR_SUBJECT_A"), 0x0037001E);
    assert_int_equal(fmapi_proptag_from_name("PR_SUBJECT"), 0x0037001F);
    assert_int_equal(fmapi_proptag_from_name("PidTagSubject"), 0x0037001F);
    assert_int_equal(fmapi_proptag_from_name("PidTagEntryId"), PR_ENTRYID);
    assert_int_equal(fmapi_proptag_from_name("PidTagHtml"), PR_HTML);
    assert_int_equal(fmapi_proptag_from_name("PidTagBodyHtml"), PR_BODY_HTML_W);
    assert_int_equal(fmapi_proptag_from_name("PR_OFFICE_TELEPHONE_NUMBER"),
                     PR_BUSINESS_TELEPHONE_NUMBER_W);
    assert_int_equal(fmapi_proptag_from_name("PR_ATTACH_DATA_OBJ"), 0x3701000D);
}

static void unknown_tags_and_names_give_null(void **state)
{
    assert_null(fmapi_proptag_name(PR_NULL));
    assert_null(fmapi_proptag_name(0x00370003));      /* right ID, wrong type */
    assert_null(fmapi_proptag_name(PROP_TAG(PT_LONG, 0x8001)));
    assert_null(fmapi_proptag_name(0xFFFFFFFF));
    assert_int_equal(fmapi_proptag_from_name(NULL), PR_NULL);
    assert_int_equal(fmapi_proptag_from_name(""), PR_NULL);
    assert_int_equal(fmapi_proptag_from_name("PR_NO_SUCH_THING"), PR_NULL);
    assert_int_equal(fmapi_proptag_from_name("pr_subject"), PR_NULL);
    assert_int_equal(fmapi_proptag_from_name("PidTag"), PR_NULL);
    assert_int_equal(fmapi_proptag_from_name("PidTagNoSuchThing"), PR_NULL);
    assert_int_equal(fmapi_proptag_from_name("PR_SUBJECT_X"), PR_NULL);
}

static void every_table_entry_round_trips(void **state)
{
    ULONG count = fmapi_proptag_count();
    ULONG prev = 0, tag = 0;
    const char *name = NULL;
    assert_true(count > 500);
    for (ULONG i = 0; i < count; i++) {
        assert_true(fmapi_proptag_at(i, &tag, &name));
        assert_non_null(name);
        if (i > 0)
            assert_true(tag > prev);          /* sorted and unique */
        prev = tag;
        assert_string_equal(fmapi_proptag_name(tag), name);
        assert_int_equal(fmapi_proptag_from_name(name), tag);
        assert_int_equal(strncmp(name, "PR_", 3), 0);
    }
    assert_false(fmapi_proptag_at(count, &tag, &name));
    assert_true(fmapi_proptag_at(0, NULL, NULL));
}

static void lookups_allocate_nothing(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    fmapi_alloc_fail_from(1);
    assert_string_equal(fmapi_proptag_name(PR_SUBJECT_W), "PR_SUBJECT_W");
    assert_int_equal(fmapi_proptag_from_name("PidTagBody"), PR_BODY_W);
    assert_int_equal(fmapi_alloc_attempts_since_armed(), 0);
    fmapi_alloc_fail_off();
    fm_test_assert_no_leak(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reference_tags_have_the_documented_values),
        cmocka_unit_test(upper_range_tags_have_the_documented_values),
        cmocka_unit_test(address_book_tags_resolve_by_both_names),
        cmocka_unit_test(t_suffixed_names_are_generic_only),
        cmocka_unit_test(string_tags_come_in_narrow_wide_and_generic_forms),
        cmocka_unit_test(generic_names_follow_unicode_and_are_narrow_without_it),
        cmocka_unit_test(aliases_share_an_id_and_keep_their_own_type),
        cmocka_unit_test(transmittable_ranges_match_the_documentation),
        cmocka_unit_test(tags_name_themselves_with_the_right_suffix),
        cmocka_unit_test(names_resolve_to_tags_in_every_spelling),
        cmocka_unit_test(unknown_tags_and_names_give_null),
        cmocka_unit_test(every_table_entry_round_trips),
        cmocka_unit_test(lookups_allocate_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
