/*
 * tests/props/test_utilities.c - the small mapiutil.h utilities: string
 * search, byte swapping, UNC paths, FtAdcFt, MapStorageSCode,
 * ScBinFromHexBounded, entry IDs as text, conversation indexes,
 * WrapStoreEntryID, MAPIGetDefaultMalloc and ScInitMapiUtil.
 */
#include <string.h>

#include "fm_test.h"
#include "mapiguid.h"
#include "imessage.h"
#include "mapiutil.h"

static void string_search_finds_first_last_and_substrings(void **state)
{
    char s[] = "a/b/c.txt";
    assert_ptr_equal(SzFindCh(s, '/'), s + 1);
    assert_ptr_equal(SzFindLastCh(s, '/'), s + 3);
    assert_ptr_equal(SzFindSz(s, "c.t"), s + 4);
    assert_null(SzFindCh(s, 'z'));
    assert_null(SzFindSz(s, "zz"));
    assert_null(SzFindCh(NULL, 'a'));
    assert_null(SzFindSz(s, NULL));
    assert_null(SzFindCh(s, 0x100)); /* not a byte: cannot be in an 8-bit string */
}

static void ufromsz_reads_leading_digits(void **state)
{
    assert_int_equal(UFromSz("1234abc"), 1234);
    assert_int_equal(UFromSz("abc"), 0);
    assert_int_equal(UFromSz(""), 0);
    assert_int_equal(UFromSz(NULL), 0);
    assert_int_equal(UFromSz("4294967295"), 4294967295u);
}

static void swaps_reverse_every_element(void **state)
{
    ULONG l[2] = { 0x11223344, 0xA1B2C3D4 };
    USHORT w[3] = { 0x1122, 0xABCD, 0x00FF };
    SwapPlong(l, 2);
    SwapPword(w, 3);
    assert_int_equal(l[0], 0x44332211);
    assert_int_equal(l[1], 0xD4C3B2A1);
    assert_int_equal(w[0], 0x2211);
    assert_int_equal(w[1], 0xCDAB);
    assert_int_equal(w[2], 0xFF00);
    SwapPlong(NULL, 5); /* nothing to do: no crash */
}

static void local_paths_are_their_own_unc_counterpart(void **state)
{
    char out[32];
    assert_int_equal(ScUNCFromLocalPath("/home/u/a.pst", out, sizeof out), S_OK);
    assert_string_equal(out, "/home/u/a.pst");
    assert_int_equal(ScUNCFromLocalPath("\\\\srv\\share\\x", out, sizeof out), S_FALSE);
    assert_string_equal(out, "\\\\srv\\share\\x");
    assert_int_equal(ScLocalPathFromUNC("\\\\srv\\share", out, sizeof out), S_OK);
    assert_int_equal(ScLocalPathFromUNC("/local", out, sizeof out), S_FALSE);
    assert_int_equal(ScUNCFromLocalPath("/a/long/path", out, 5), MAPI_E_TOO_BIG);
    assert_non_null(strstr(fmapi_last_error(), "do not fit"));
    assert_int_equal(ScUNCFromLocalPath(NULL, out, sizeof out), MAPI_E_INVALID_PARAMETER);
}

static void ftadcft_carries_in_and_out(void **state)
{
    FILETIME max = { 0xFFFFFFFF, 0xFFFFFFFF }, one = { 1, 0 }, zero = { 0, 0 };
    WORD carry = 0;
    FILETIME r = FtAdcFt(max, one, &carry);
    assert_int_equal(r.dwLowDateTime, 0);
    assert_int_equal(r.dwHighDateTime, 0);
    assert_int_equal(carry, 1);
    r = FtAdcFt(zero, zero, &carry); /* the carry goes in */
    assert_int_equal(r.dwLowDateTime, 1);
    assert_int_equal(carry, 0);
    carry = 1;
    r = FtAdcFt(max, zero, &carry);
    assert_int_equal(r.dwLowDateTime, 0);
    assert_int_equal(carry, 1);
}

static void storage_codes_map_to_mapi_codes(void **state)
{
    assert_int_equal(MapStorageSCode(STG_E_INSUFFICIENTMEMORY), MAPI_E_NOT_ENOUGH_MEMORY);
    assert_int_equal(MapStorageSCode(STG_E_ACCESSDENIED), MAPI_E_NO_ACCESS);
    assert_int_equal(MapStorageSCode(STG_E_MEDIUMFULL), MAPI_E_NOT_ENOUGH_DISK);
    assert_int_equal(MapStorageSCode(STG_E_INVALIDPARAMETER), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(MapStorageSCode(S_OK), S_OK);
    assert_int_equal(MapStorageSCode(MAPI_E_CALL_FAILED), MAPI_E_CALL_FAILED);
}

static void bounded_hex_needs_exactly_two_digits_a_byte(void **state)
{
    BYTE b[3] = { 0xEE, 0xEE, 0xEE };
    assert_int_equal(ScBinFromHexBounded("0aFF", b, 2), S_OK);
    assert_int_equal(b[0], 0x0A);
    assert_int_equal(b[1], 0xFF);
    assert_int_equal(b[2], 0xEE); /* never past cb */
    assert_int_equal(ScBinFromHexBounded("0aFF00", b, 2), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScBinFromHexBounded("0G", b, 1), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScBinFromHexBounded("", b, 0), S_OK);
}

static void entry_ids_survive_the_trip_through_text(void **state)
{
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    BYTE raw[40];
    for (unsigned n = 0; n <= sizeof raw; n++) {
        for (unsigned i = 0; i < n; i++)
            raw[i] = (BYTE)(i * 37 + n);
        LPSTR s = NULL;
        assert_int_equal(HrSzFromEntryID(n, (LPENTRYID)raw, &s), S_OK);
        for (const char *p = s; *p; p++)
            assert_true((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
                        (*p >= 'a' && *p <= 'z') || *p == '+' || *p == '-');
        assert_int_equal(CbOfEncoded(s), n);
        ULONG cb = 99;
        LPENTRYID back = NULL;
        assert_int_equal(HrEntryIDFromSz(s, &cb, &back), S_OK);
        assert_int_equal(cb, n);
        if (n)
            assert_memory_equal(back, raw, n);
        MAPIFreeBuffer(back);
        MAPIFreeBuffer(s);
    }
    fm_test_assert_no_leak(&base);
}

static void text_outside_the_encoding_is_an_invalid_entry_id(void **state)
{
    ULONG cb = 0;
    LPENTRYID e = NULL;
    assert_int_equal(HrEntryIDFromSz("ab*d", &cb, &e), MAPI_E_INVALID_ENTRYID);
    assert_null(e);
    assert_int_equal(HrEntryIDFromSz("abcde", &cb, &e), MAPI_E_INVALID_ENTRYID);
    assert_non_null(strstr(fmapi_last_error(), "whole bytes"));
}

static void a_new_conversation_index_is_the_22_byte_header(void **state)
{
    ULONG cb = 0, cb2 = 0;
    LPBYTE idx = NULL, idx2 = NULL;
    assert_int_equal(ScCreateConversationIndex(0, NULL, &cb, &idx), S_OK);
    assert_int_equal(cb, 22);
    assert_int_equal(idx[0], 0x01);
    assert_int_equal(ScCreateConversationIndex(0, NULL, &cb2, &idx2), S_OK);
    assert_memory_not_equal(idx + 6, idx2 + 6, 16); /* a new GUID per thread */
    /* The header holds the 40 high bits of now: after 2020, before 2100. */
    uint64_t t = 0;
    for (int i = 0; i < 5; i++)
        t = t << 8 | idx[1 + i];
    t <<= 24;
    assert_true(t > 132223104000000000ULL && t < 157469184000000000ULL);
    MAPIFreeBuffer(idx);
    MAPIFreeBuffer(idx2);
}

static void a_reply_index_is_the_parent_plus_a_five_byte_level(void **state)
{
    ULONG cb = 0, cb2 = 0, cb3 = 0;
    LPBYTE a = NULL, b = NULL, c = NULL;
    assert_int_equal(ScCreateConversationIndex(0, NULL, &cb, &a), S_OK);
    assert_int_equal(ScCreateConversationIndex(cb, a, &cb2, &b), S_OK);
    assert_int_equal(cb2, 27);
    assert_memory_equal(a, b, 22);
    assert_int_equal(b[22] & 0x80, 0); /* a reply minutes old: the short delta code */
    assert_int_equal(ScCreateConversationIndex(cb2, b, &cb3, &c), S_OK);
    assert_int_equal(cb3, 32);
    assert_memory_equal(b, c, 27);
    BYTE bad[5] = { 1, 2, 3, 4, 5 };
    ULONG cbx = 0;
    LPBYTE x = NULL;
    assert_int_equal(ScCreateConversationIndex(5, bad, &cbx, &x), MAPI_E_INVALID_PARAMETER);
    MAPIFreeBuffer(a);
    MAPIFreeBuffer(b);
    MAPIFreeBuffer(c);
}

static void wrapped_store_ids_carry_the_wrap_uid_dll_and_original(void **state)
{
    static const BYTE wrap[16] = { 0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5, 0x10, 0x1A,
                                   0xA1, 0xBB, 0x08, 0x00, 0x2B, 0x2A, 0x56, 0xC2 };
    BYTE orig[7] = { 1, 2, 3, 4, 5, 6, 7 };
    ULONG cb = 0;
    LPENTRYID w = NULL;
    assert_int_equal(WrapStoreEntryID(0, "emsmdb.dll", sizeof orig, (LPENTRYID)orig, &cb, &w),
                     S_OK);
    const BYTE *p = (const BYTE *)w;
    /* [MS-OXCDATA] 2.2.4.3: "emsmdb.dll" fills 14 bytes, so the original starts at 36. */
    assert_int_equal(cb, 36 + sizeof orig);
    assert_memory_equal(p + 4, wrap, 16);
    assert_int_equal(p[20], 0);
    assert_int_equal(p[21], 0);
    assert_string_equal((const char *)p + 22, "emsmdb.dll");
    assert_memory_equal(p + 36, orig, sizeof orig);
    MAPIFreeBuffer(w);
    assert_int_equal(WrapStoreEntryID(0x10, "x.dll", 1, (LPENTRYID)orig, &cb, &w),
                     MAPI_E_UNKNOWN_FLAGS);
}

static void the_default_malloc_allocates_through_the_counted_allocator(void **state)
{
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    LPMALLOC m = MAPIGetDefaultMalloc();
    assert_ptr_equal(m, MAPIGetDefaultMalloc());
    void *p = m->lpVtbl->Alloc(m, 100);
    assert_non_null(p);
    memset(p, 7, 100);
    assert_int_equal(m->lpVtbl->GetSize(m, p), 100);
    p = m->lpVtbl->Realloc(m, p, 5000);
    assert_non_null(p);
    assert_int_equal(((BYTE *)p)[99], 7);
    fmapi_alloc_stats st;
    fmapi_alloc_get_stats(&st);
    assert_true(st.live_bytes > base.stats.live_bytes);
    m->lpVtbl->Free(m, p);
    LPUNKNOWN u = NULL;
    assert_int_equal(m->lpVtbl->QueryInterface(m, &IID_IMalloc, (void **)&u), S_OK);
    assert_ptr_equal(u, m);
    fmapi_alloc_fail_nth(1);
    assert_null(m->lpVtbl->Alloc(m, 10)); /* failure injection reaches it */
    fmapi_alloc_fail_off();
    fm_test_assert_no_leak(&base);
}

static void init_mapi_util_counts_and_refuses_flags(void **state)
{
    assert_int_equal(ScInitMapiUtil(0), S_OK);
    assert_int_equal(ScInitMapiUtil(0), S_OK);
    DeinitMapiUtil();
    DeinitMapiUtil();
    DeinitMapiUtil(); /* one too many: nothing happens */
    assert_int_equal(ScInitMapiUtil(1), MAPI_E_UNKNOWN_FLAGS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(string_search_finds_first_last_and_substrings),
        cmocka_unit_test(ufromsz_reads_leading_digits),
        cmocka_unit_test(swaps_reverse_every_element),
        cmocka_unit_test(local_paths_are_their_own_unc_counterpart),
        cmocka_unit_test(ftadcft_carries_in_and_out),
        cmocka_unit_test(storage_codes_map_to_mapi_codes),
        cmocka_unit_test(bounded_hex_needs_exactly_two_digits_a_byte),
        cmocka_unit_test(entry_ids_survive_the_trip_through_text),
        cmocka_unit_test(text_outside_the_encoding_is_an_invalid_entry_id),
        cmocka_unit_test(a_new_conversation_index_is_the_22_byte_header),
        cmocka_unit_test(a_reply_index_is_the_parent_plus_a_five_byte_level),
        cmocka_unit_test(wrapped_store_ids_carry_the_wrap_uid_dll_and_original),
        cmocka_unit_test(the_default_malloc_allocates_through_the_counted_allocator),
        cmocka_unit_test(init_mapi_util_counts_and_refuses_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
