/*
 * tests/restrict/rtest.h - builders shared by the restriction engine tests:
 * property values and restriction nodes as compound literals, and a
 * one-call "compile, evaluate one row, free" check.
 */
#ifndef FREEMAPI_TESTS_RTEST_H
#define FREEMAPI_TESTS_RTEST_H

#include <string.h>

#include "fm_test.h"
#include "freemapi_restriction.h"
#include "mapiutil.h"

#define TAG(type, id) PROP_TAG((type), (id))

static inline SPropValue pv_long(ULONG id, LONG v)
{
    SPropValue p = { .ulPropTag = TAG(PT_LONG, id) };
    p.Value.l = v;
    return p;
}

static inline SPropValue pv_i2(ULONG id, short v)
{
    SPropValue p = { .ulPropTag = TAG(PT_I2, id) };
    p.Value.i = v;
    return p;
}

static inline SPropValue pv_str8(ULONG id, const char *s)
{
    SPropValue p = { .ulPropTag = TAG(PT_STRING8, id) };
    p.Value.lpszA = (LPSTR)s;
    return p;
}

static inline SPropValue pv_wstr(ULONG id, const WCHAR *s)
{
    SPropValue p = { .ulPropTag = TAG(PT_UNICODE, id) };
    p.Value.lpszW = (LPWSTR)s;
    return p;
}

static inline SPropValue pv_bin(ULONG id, const void *b, ULONG cb)
{
    SPropValue p = { .ulPropTag = TAG(PT_BINARY, id) };
    p.Value.bin.cb = cb;
    p.Value.bin.lpb = (LPBYTE)b;
    return p;
}

static inline SPropValue pv_bool(ULONG id, int v)
{
    SPropValue p = { .ulPropTag = TAG(PT_BOOLEAN, id) };
    p.Value.b = (unsigned short)v;
    return p;
}

static inline SPropValue pv_double(ULONG id, double v)
{
    SPropValue p = { .ulPropTag = TAG(PT_DOUBLE, id) };
    p.Value.dbl = v;
    return p;
}

static inline SPropValue pv_i8(ULONG id, LONGLONG v)
{
    SPropValue p = { .ulPropTag = TAG(PT_I8, id) };
    p.Value.li.QuadPart = v;
    return p;
}

static inline SPropValue pv_systime(ULONG id, ULONGLONG v)
{
    SPropValue p = { .ulPropTag = TAG(PT_SYSTIME, id) };
    p.Value.ft.dwLowDateTime = (DWORD)v;
    p.Value.ft.dwHighDateTime = (DWORD)(v >> 32);
    return p;
}

static inline SPropValue pv_error(ULONG id, SCODE e)
{
    SPropValue p = { .ulPropTag = TAG(PT_ERROR, id) };
    p.Value.err = e;
    return p;
}

static inline SPropValue pv_mvlong(ULONG id, LONG *v, ULONG n)
{
    SPropValue p = { .ulPropTag = TAG(PT_MV_LONG, id) };
    p.Value.MVl.cValues = n;
    p.Value.MVl.lpl = v;
    return p;
}

static inline SPropValue pv_mvstr8(ULONG id, char **v, ULONG n)
{
    SPropValue p = { .ulPropTag = TAG(PT_MV_STRING8, id) };
    p.Value.MVszA.cValues = n;
    p.Value.MVszA.lppszA = v;
    return p;
}

/* Restriction nodes. */
static inline SRestriction r_prop(ULONG relop, ULONG tag, SPropValue *v)
{
    SRestriction r = { .rt = RES_PROPERTY };
    r.res.resProperty.relop = relop;
    r.res.resProperty.ulPropTag = tag;
    r.res.resProperty.lpProp = v;
    return r;
}

static inline SRestriction r_content(ULONG fuzzy, ULONG tag, SPropValue *v)
{
    SRestriction r = { .rt = RES_CONTENT };
    r.res.resContent.ulFuzzyLevel = fuzzy;
    r.res.resContent.ulPropTag = tag;
    r.res.resContent.lpProp = v;
    return r;
}

static inline SRestriction r_exist(ULONG tag)
{
    SRestriction r = { .rt = RES_EXIST };
    r.res.resExist.ulPropTag = tag;
    return r;
}

static inline SRestriction r_bitmask(ULONG rel, ULONG tag, ULONG mask)
{
    SRestriction r = { .rt = RES_BITMASK };
    r.res.resBitMask.relBMR = rel;
    r.res.resBitMask.ulPropTag = tag;
    r.res.resBitMask.ulMask = mask;
    return r;
}

static inline SRestriction r_size(ULONG relop, ULONG tag, ULONG cb)
{
    SRestriction r = { .rt = RES_SIZE };
    r.res.resSize.relop = relop;
    r.res.resSize.ulPropTag = tag;
    r.res.resSize.cb = cb;
    return r;
}

static inline SRestriction r_cmpprops(ULONG relop, ULONG t1, ULONG t2)
{
    SRestriction r = { .rt = RES_COMPAREPROPS };
    r.res.resCompareProps.relop = relop;
    r.res.resCompareProps.ulPropTag1 = t1;
    r.res.resCompareProps.ulPropTag2 = t2;
    return r;
}

static inline SRestriction r_and(SRestriction *kids, ULONG n)
{
    SRestriction r = { .rt = RES_AND };
    r.res.resAnd.cRes = n;
    r.res.resAnd.lpRes = kids;
    return r;
}

static inline SRestriction r_or(SRestriction *kids, ULONG n)
{
    SRestriction r = { .rt = RES_OR };
    r.res.resOr.cRes = n;
    r.res.resOr.lpRes = kids;
    return r;
}

static inline SRestriction r_not(SRestriction *kid)
{
    SRestriction r = { .rt = RES_NOT };
    r.res.resNot.lpRes = kid;
    return r;
}

static inline SRestriction r_sub(ULONG obj, SRestriction *kid)
{
    SRestriction r = { .rt = RES_SUBRESTRICTION };
    r.res.resSub.ulSubObject = obj;
    r.res.resSub.lpRes = kid;
    return r;
}

/*
 * Compiles res (which must compile), evaluates it on the row, frees it,
 * checks nothing leaked and returns the match.
 */
static inline BOOL rt_eval_sub(const SRestriction *res, ULONG c, const SPropValue *row,
                               const fmapi_subobjects *sub)
{
    fm_test_baseline b;
    fm_test_baseline_take(&b);
    fmapi_restriction *r = NULL;
    HRESULT hr = fmapi_restriction_compile(res, 0, &r);
    if (hr != S_OK)
        print_message("compile failed: %s\n", fmapi_last_error());
    assert_int_equal(hr, S_OK);
    BOOL m = 2;
    assert_int_equal(fmapi_restriction_eval(r, c, row, sub, &m), S_OK);
    assert_true(m == TRUE || m == FALSE);
    fmapi_restriction_free(r);
    fm_test_assert_no_leak(&b);
    return m;
}

static inline BOOL rt_eval(const SRestriction *res, ULONG c, const SPropValue *row)
{
    return rt_eval_sub(res, c, row, NULL);
}

/* Compiles res, expecting failure hr; returns the error text. */
static inline const char *rt_compile_fails(const SRestriction *res, HRESULT hr)
{
    fmapi_restriction *r = (fmapi_restriction *)0x1;
    assert_int_equal(fmapi_restriction_compile(res, 0, &r), hr);
    assert_null(r);
    return fmapi_last_error();
}

#define NROWS(a) ((ULONG)(sizeof(a) / sizeof((a)[0])))

#endif /* FREEMAPI_TESTS_RTEST_H */
