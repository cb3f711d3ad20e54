/*
 * tests/core/test_error_names.c - the values of mapicode.h and the COM codes
 * of mapiwin.h against Microsoft's documented numbers, and
 * fmapi_error_name() for every one of them.
 *
 * The expected numbers are written out as literals copied from the
 * documentation (the SDK's mapicode.h and winerror.h values, the MAPI
 * reference "MAPI constants", [MS-OXCDATA] 2.4), never computed from the
 * macros under test.
 */
#include <string.h>

#include "fm_test.h"
#include "mapicode.h"

typedef struct documented_code {
    HRESULT value;      /* the macro under test */
    uint32_t expected;  /* the documented number */
    const char *name;   /* the name fmapi_error_name must give */
} documented_code;

#define CODE(macro, number) { (macro), (number), #macro }

/* Every code of mapicode.h and mapiwin.h, in no particular order. */
static const documented_code codes[] = {
    CODE(S_OK, 0x00000000u),
    CODE(S_FALSE, 0x00000001u),
    CODE(SUCCESS_SUCCESS, 0x00000000u),
    CODE(MAPI_W_NO_SERVICE, 0x00040203u),
    CODE(MAPI_W_ERRORS_RETURNED, 0x00040380u),
    CODE(MAPI_W_POSITION_CHANGED, 0x00040481u),
    CODE(MAPI_W_APPROX_COUNT, 0x00040482u),
    CODE(MAPI_W_CANCEL_MESSAGE, 0x00040580u),
    CODE(MAPI_W_PARTIAL_COMPLETION, 0x00040680u),
    CODE(MAPI_E_CALL_FAILED, 0x80004005u),
    CODE(MAPI_E_NOT_ENOUGH_MEMORY, 0x8007000Eu),
    CODE(MAPI_E_INVALID_PARAMETER, 0x80070057u),
    CODE(MAPI_E_INTERFACE_NOT_SUPPORTED, 0x80004002u),
    CODE(MAPI_E_NO_ACCESS, 0x80070005u),
    CODE(MAPI_E_NO_SUPPORT, 0x80040102u),
    CODE(MAPI_E_BAD_CHARWIDTH, 0x80040103u),
    CODE(MAPI_E_STRING_TOO_LONG, 0x80040105u),
    CODE(MAPI_E_UNKNOWN_FLAGS, 0x80040106u),
    CODE(MAPI_E_INVALID_ENTRYID, 0x80040107u),
    CODE(MAPI_E_INVALID_OBJECT, 0x80040108u),
    CODE(MAPI_E_OBJECT_CHANGED, 0x80040109u),
    CODE(MAPI_E_OBJECT_DELETED, 0x8004010Au),
    CODE(MAPI_E_BUSY, 0x8004010Bu),
    CODE(MAPI_E_NOT_ENOUGH_DISK, 0x8004010Du),
    CODE(MAPI_E_NOT_ENOUGH_RESOURCES, 0x8004010Eu),
    CODE(MAPI_E_NOT_FOUND, 0x8004010Fu),
    CODE(MAPI_E_VERSION, 0x80040110u),
    CODE(MAPI_E_LOGON_FAILED, 0x80040111u),
    CODE(MAPI_E_SESSION_LIMIT, 0x80040112u),
    CODE(MAPI_E_USER_CANCEL, 0x80040113u),
    CODE(MAPI_E_UNABLE_TO_ABORT, 0x80040114u),
    CODE(MAPI_E_NETWORK_ERROR, 0x80040115u),
    CODE(MAPI_E_DISK_ERROR, 0x80040116u),
    CODE(MAPI_E_TOO_COMPLEX, 0x80040117u),
    CODE(MAPI_E_BAD_COLUMN, 0x80040118u),
    CODE(MAPI_E_EXTENDED_ERROR, 0x80040119u),
    CODE(MAPI_E_COMPUTED, 0x8004011Au),
    CODE(MAPI_E_CORRUPT_DATA, 0x8004011Bu),
    CODE(MAPI_E_UNCONFIGURED, 0x8004011Cu),
    CODE(MAPI_E_FAILONEPROVIDER, 0x8004011Du),
    CODE(MAPI_E_UNKNOWN_CPID, 0x8004011Eu),
    CODE(MAPI_E_UNKNOWN_LCID, 0x8004011Fu),
    CODE(MAPI_E_PASSWORD_CHANGE_REQUIRED, 0x80040120u),
    CODE(MAPI_E_PASSWORD_EXPIRED, 0x80040121u),
    CODE(MAPI_E_INVALID_WORKSTATION_ACCOUNT, 0x80040122u),
    CODE(MAPI_E_INVALID_ACCESS_TIME, 0x80040123u),
    CODE(MAPI_E_ACCOUNT_DISABLED, 0x80040124u),
    CODE(MAPI_E_RECONNECTED, 0x80040125u),
    CODE(MAPI_E_OFFLINE, 0x80040126u),
    CODE(MAPI_E_END_OF_SESSION, 0x80040200u),
    CODE(MAPI_E_UNKNOWN_ENTRYID, 0x80040201u),
    CODE(MAPI_E_MISSING_REQUIRED_COLUMN, 0x80040202u),
    CODE(MAPI_E_PROFILE_DELETED, 0x80040204u),
    CODE(MAPI_E_BAD_VALUE, 0x80040301u),
    CODE(MAPI_E_INVALID_TYPE, 0x80040302u),
    CODE(MAPI_E_TYPE_NO_SUPPORT, 0x80040303u),
    CODE(MAPI_E_UNEXPECTED_TYPE, 0x80040304u),
    CODE(MAPI_E_TOO_BIG, 0x80040305u),
    CODE(MAPI_E_DECLINE_COPY, 0x80040306u),
    CODE(MAPI_E_UNEXPECTED_ID, 0x80040307u),
    CODE(MAPI_E_UNABLE_TO_COMPLETE, 0x80040400u),
    CODE(MAPI_E_TIMEOUT, 0x80040401u),
    CODE(MAPI_E_TABLE_EMPTY, 0x80040402u),
    CODE(MAPI_E_TABLE_TOO_BIG, 0x80040403u),
    CODE(MAPI_E_INVALID_BOOKMARK, 0x80040405u),
    CODE(MAPI_E_WAIT, 0x80040500u),
    CODE(MAPI_E_CANCEL, 0x80040501u),
    CODE(MAPI_E_NOT_ME, 0x80040502u),
    CODE(MAPI_E_CORRUPT_STORE, 0x80040600u),
    CODE(MAPI_E_NOT_IN_QUEUE, 0x80040601u),
    CODE(MAPI_E_NO_SUPPRESS, 0x80040602u),
    CODE(MAPI_E_COLLISION, 0x80040604u),
    CODE(MAPI_E_NOT_INITIALIZED, 0x80040605u),
    CODE(MAPI_E_NON_STANDARD, 0x80040606u),
    CODE(MAPI_E_NO_RECIPIENTS, 0x80040607u),
    CODE(MAPI_E_SUBMITTED, 0x80040608u),
    CODE(MAPI_E_HAS_FOLDERS, 0x80040609u),
    CODE(MAPI_E_HAS_MESSAGES, 0x8004060Au),
    CODE(MAPI_E_FOLDER_CYCLE, 0x8004060Bu),
    CODE(MAPI_E_STORE_FULL, 0x8004060Cu),
    CODE(MAPI_E_LOCKID_LIMIT, 0x8004060Du),
    CODE(MAPI_E_AMBIGUOUS_RECIP, 0x80040700u),
    CODE(MAPI_E_NAMED_PROP_QUOTA_EXCEEDED, 0x80040900u),
    /* COM codes of mapiwin.h that MAPI does not rename. */
    CODE(E_UNEXPECTED, 0x8000FFFFu),
    CODE(E_NOTIMPL, 0x80004001u),
    CODE(E_POINTER, 0x80004003u),
    CODE(E_ABORT, 0x80004004u),
    CODE(E_HANDLE, 0x80070006u),
    CODE(STG_E_INVALIDFUNCTION, 0x80030001u),
    CODE(STG_E_FILENOTFOUND, 0x80030002u),
    CODE(STG_E_ACCESSDENIED, 0x80030005u),
    CODE(STG_E_INSUFFICIENTMEMORY, 0x80030008u),
    CODE(STG_E_INVALIDPOINTER, 0x80030009u),
    CODE(STG_E_WRITEFAULT, 0x8003001Du),
    CODE(STG_E_READFAULT, 0x8003001Eu),
    CODE(STG_E_MEDIUMFULL, 0x80030070u),
    CODE(STG_E_INVALIDPARAMETER, 0x80030057u),
    CODE(STG_E_INVALIDFLAG, 0x800300FFu),
    CODE(STG_E_REVERTED, 0x80030102u),
    CODE(STG_S_CONVERTED, 0x00030200u),
};

#define N_CODES (sizeof codes / sizeof codes[0])

/* SUCCESS_SUCCESS and S_OK are one value; fmapi_error_name says "S_OK". */
static const char *expected_name(const documented_code *c)
{
    return strcmp(c->name, "SUCCESS_SUCCESS") == 0 ? "S_OK" : c->name;
}

static void every_code_has_its_documented_value(void **state)
{
    for (size_t i = 0; i < N_CODES; i++) {
        if ((uint32_t)codes[i].value != codes[i].expected)
            fail_msg("%s is 0x%08X, documented 0x%08X", codes[i].name,
                     (unsigned)(uint32_t)codes[i].value, (unsigned)codes[i].expected);
    }
}

static void codes_are_32_bit_signed_with_errors_negative(void **state)
{
    assert_int_equal(sizeof(HRESULT), 4);
    assert_true(FAILED(MAPI_E_NOT_FOUND));
    assert_true(FAILED(MAPI_E_NAMED_PROP_QUOTA_EXCEEDED));
    assert_true(SUCCEEDED(MAPI_W_ERRORS_RETURNED));
    assert_true(HR_SUCCEEDED(MAPI_W_PARTIAL_COMPLETION));
    assert_true(HR_FAILED(MAPI_E_STORE_FULL));
    assert_int_equal(SCODE_FACILITY(MAPI_E_NOT_FOUND), FACILITY_ITF);
    assert_int_equal(SCODE_CODE(MAPI_E_NOT_FOUND), 0x10F);
    assert_int_equal(MAKE_MAPI_E(0x10F), MAPI_E_NOT_FOUND);
    assert_int_equal(MAKE_MAPI_S(0x380), MAPI_W_ERRORS_RETURNED);
    assert_int_equal(MakeResult(MAPI_E_BUSY), (HRESULT)0x8004010Bu);
}

static void every_code_maps_to_its_name(void **state)
{
    for (size_t i = 0; i < N_CODES; i++) {
        const char *got = fmapi_error_name(codes[i].value);
        if (got == NULL || strcmp(got, expected_name(&codes[i])) != 0)
            fail_msg("fmapi_error_name(0x%08X) = %s, want %s",
                     (unsigned)(uint32_t)codes[i].value, got ? got : "NULL",
                     expected_name(&codes[i]));
    }
}

static void reused_com_values_are_named_as_mapi_codes(void **state)
{
    assert_string_equal(fmapi_error_name(E_OUTOFMEMORY), "MAPI_E_NOT_ENOUGH_MEMORY");
    assert_string_equal(fmapi_error_name(E_INVALIDARG), "MAPI_E_INVALID_PARAMETER");
    assert_string_equal(fmapi_error_name(E_FAIL), "MAPI_E_CALL_FAILED");
    assert_string_equal(fmapi_error_name(E_NOINTERFACE), "MAPI_E_INTERFACE_NOT_SUPPORTED");
    assert_string_equal(fmapi_error_name(E_ACCESSDENIED), "MAPI_E_NO_ACCESS");
    assert_string_equal(fmapi_error_name((HRESULT)0x8007000Eu), "MAPI_E_NOT_ENOUGH_MEMORY");
}

static void every_name_is_unique(void **state)
{
    for (size_t i = 0; i < N_CODES; i++) {
        for (size_t j = i + 1; j < N_CODES; j++) {
            if (codes[i].value == codes[j].value)
                continue; /* SUCCESS_SUCCESS and S_OK: one code, one name */
            const char *a = fmapi_error_name(codes[i].value);
            const char *b = fmapi_error_name(codes[j].value);
            assert_non_null(a);
            assert_non_null(b);
            if (strcmp(a, b) == 0)
                fail_msg("0x%08X and 0x%08X share the name %s",
                         (unsigned)(uint32_t)codes[i].value,
                         (unsigned)(uint32_t)codes[j].value, a);
        }
    }
}

static void distinct_macros_have_distinct_values(void **state)
{
    for (size_t i = 0; i < N_CODES; i++) {
        for (size_t j = i + 1; j < N_CODES; j++) {
            if (codes[i].value != codes[j].value)
                continue;
            /* The only documented alias among these macros. */
            int alias = (strcmp(codes[i].name, "S_OK") == 0 &&
                         strcmp(codes[j].name, "SUCCESS_SUCCESS") == 0);
            if (!alias)
                fail_msg("%s and %s are both 0x%08X", codes[i].name, codes[j].name,
                         (unsigned)(uint32_t)codes[i].value);
        }
    }
}

static int is_listed(uint32_t v)
{
    for (size_t i = 0; i < N_CODES; i++)
        if (codes[i].expected == v)
            return 1;
    return 0;
}

static void unknown_codes_give_null(void **state)
{
    static const uint32_t unknown[] = {
        0x00000002u, 0x0000001Cu, 0x00040000u, 0x00040381u, 0x7FFFFFFFu,
        0x80000000u, 0x80040000u, 0x80040100u, 0x80040101u, 0x80040104u,
        0x8004010Cu, 0x80040127u, 0x80040203u, 0x80040300u, 0x80040404u,
        0x80040603u, 0x8004060Eu, 0x80040701u, 0x80040800u, 0x80040FFFu,
        0x80070000u, 0x80070058u, 0xFFFFFFFFu,
    };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        assert_false(is_listed(unknown[i]));
        const char *got = fmapi_error_name((HRESULT)unknown[i]);
        if (got != NULL)
            fail_msg("0x%08X is not documented but is named %s", (unsigned)unknown[i], got);
    }
}

static void neighbours_of_every_code_are_unknown_unless_listed(void **state)
{
    /* Catches a lookup that answers for a near miss (an unsorted table or a
     * search that returns its closest entry). */
    for (size_t i = 0; i < N_CODES; i++) {
        uint32_t around[2] = { codes[i].expected - 1u, codes[i].expected + 1u };
        for (int k = 0; k < 2; k++) {
            const char *got = fmapi_error_name((HRESULT)around[k]);
            if (is_listed(around[k]))
                assert_non_null(got);
            else if (got != NULL)
                fail_msg("0x%08X is named %s", (unsigned)around[k], got);
        }
    }
}

static void lookup_allocates_nothing(void **state)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    for (size_t i = 0; i < N_CODES; i++)
        assert_non_null(fmapi_error_name(codes[i].value));
    assert_null(fmapi_error_name((HRESULT)0x80040999u));
    fm_test_assert_no_leak(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_has_its_documented_value),
        cmocka_unit_test(codes_are_32_bit_signed_with_errors_negative),
        cmocka_unit_test(every_code_maps_to_its_name),
        cmocka_unit_test(reused_com_values_are_named_as_mapi_codes),
        cmocka_unit_test(every_name_is_unique),
        cmocka_unit_test(distinct_macros_have_distinct_values),
        cmocka_unit_test(unknown_codes_give_null),
        cmocka_unit_test(neighbours_of_every_code_are_unknown_unless_listed),
        cmocka_unit_test(lookup_allocates_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
