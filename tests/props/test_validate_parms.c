/*
 * tests/props/test_validate_parms.c - the provider-side validation macros
 * of mapival.h in a C method (ValidateParms returning from the method,
 * UlValidateParms in a ULONG method, CheckParms doing nothing), with the
 * other small SDK functions: IsBadBoundedStringPtr, LaunchWizard's
 * documented failure and GetInstance.
 */
#include <string.h>

#include "fm_test.h"
#include "freemapi_error.h"
#include "mapival.h"
#include "mapiwz.h"

typedef struct fake_prop {
    const IMAPIPropVtbl *lpVtbl;
} fake_prop;

static int reached;

/* A provider's IMAPIProp::GetProps as Windows providers write it in C. */
static HRESULT STDMETHODCALLTYPE fake_GetProps(LPMAPIPROP This, LPSPropTagArray tags, ULONG flags,
                                               ULONG *count, LPSPropValue *props)
{
    ValidateParms(IMAPIProp_GetProps, &This);
    CheckParms(IMAPIProp_GetProps, &This);
    reached = 1;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE fake_AddRef(LPMAPIPROP This)
{
    UlValidateParms(IUnknown_AddRef, &This);
    return 2;
}

static void test_validate(void **state)
{
    static IMAPIPropVtbl vtbl;
    fake_prop obj = { &vtbl };
    LPMAPIPROP p = (LPMAPIPROP)(void *)&obj;
    reached = 0;
    assert_int_equal(fake_GetProps(p, NULL, 0, NULL, NULL), S_OK);
    assert_true(reached);
    reached = 0;
    assert_int_equal(fake_GetProps(NULL, NULL, 0, NULL, NULL), MAPI_E_CALL_FAILED);
    assert_false(reached);
    assert_non_null(strstr(fmapi_last_error(), "NULL"));
    fake_prop novtbl = { NULL };
    assert_int_equal(fake_GetProps((LPMAPIPROP)(void *)&novtbl, NULL, 0, NULL, NULL),
                     MAPI_E_CALL_FAILED);
    assert_int_equal(fake_AddRef(p), 2);
    assert_int_equal(fake_AddRef(NULL), (ULONG)MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParameters((METHODS)-1, (LPVOID *)&p), MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParametersCPP(IStream_Read, &p), S_OK);
    /* the SDK's shorthands */
    SPropValue v = { PR_SUBJECT_A, 0, { .lpszA = (LPSTR) "x" } };
    assert_false(FBadPropVal(&v));
    v.ulPropTag = PROP_TAG(0x0999, 0x0037);
    assert_true(FBadRgPropVal(&v, 1));
}

static void test_small_functions(void **state)
{
    assert_false(IsBadBoundedStringPtr("abc", 10));
    assert_true(IsBadBoundedStringPtr(NULL, 10));
    assert_false(IsBadBoundedStringPtr(NULL, 0));
    char name[16] = "junk";
    LPCSTR services[] = { "MSEMS", NULL };
    assert_int_equal(LaunchWizard(NULL, MAPI_PW_ADD_SERVICE_ONLY, services, sizeof name, name),
                     MAPI_E_CALL_FAILED);
    assert_string_equal(name, "");
    assert_non_null(strstr(fmapi_last_error(), "CreateProfile"));
    LPLAUNCHWIZARDENTRY entry = LaunchWizard;
    assert_non_null(entry);
}

static void test_getinstance(void **state)
{
    LPSTR names[] = { (LPSTR) "one", (LPSTR) "two" };
    SPropValue mv = { PROP_TAG(PT_MV_STRING8, 0x8001), 0, { .MVszA = { 2, names } } };
    SPropValue sv;
    GetInstance(&mv, &sv, 1);
    assert_int_equal(sv.ulPropTag, PROP_TAG(PT_STRING8, 0x8001));
    assert_ptr_equal(sv.Value.lpszA, names[1]); /* shared, not copied */
    GetInstance(&mv, &sv, 2);
    assert_int_equal(sv.ulPropTag, PROP_TAG(PT_ERROR, 0x8001));
    assert_int_equal(sv.Value.err, MAPI_E_NOT_FOUND);
    LONG longs[] = { 5, 7, 9 };
    SPropValue ml = { PROP_TAG(PT_MV_LONG, 0x8002), 0, { .MVl = { 3, longs } } };
    GetInstance(&ml, &sv, 2);
    assert_int_equal(sv.ulPropTag, PROP_TAG(PT_LONG, 0x8002));
    assert_int_equal(sv.Value.l, 9);
    GUID guids[2] = { { 1, 2, 3, { 0 } }, { 4, 5, 6, { 0 } } };
    SPropValue mg = { PROP_TAG(PT_MV_CLSID, 0x8003), 0, { .MVguid = { 2, guids } } };
    GetInstance(&mg, &sv, 1);
    assert_ptr_equal(sv.Value.lpguid, &guids[1]);
    SPropValue single = { PR_SUBJECT_A, 0, { .lpszA = (LPSTR) "x" } };
    GetInstance(&single, &sv, 0);
    assert_int_equal(sv.Value.err, MAPI_E_INVALID_TYPE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_small_functions),
        cmocka_unit_test(test_getinstance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
