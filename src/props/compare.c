/*
 * props/compare.c - ordering property values: LPropCompareProp,
 * FPropCompareProp and the internal comparator the restriction engine and
 * the table sort share.
 *
 * Microsoft documents the result only as "less, equal or greater" with a
 * consistent nonzero value for types without an intrinsic order. The
 * choices made where the documentation is silent are listed in compare.h.
 */
#include <math.h>
#include <string.h>
#include <unicase.h>
#include <unistr.h>

#include "core/regex.h"
#include "mapiutil.h"
#include "props/compare.h"
#include "props/propvalue.h"

static int sign_of(int c)
{
    return (c > 0) - (c < 0);
}

#define CMP3(x, y) (((x) > (y)) - ((x) < (y)))

bool fm_prop_types_comparable(ULONG ta, ULONG tb)
{
    ULONG a = fm_prop_type(ta), b = fm_prop_type(tb);
    if (a == b)
        return true;
    if ((a & MV_FLAG) != (b & MV_FLAG))
        return false;
    return fm_prop_is_string_type(a & ~(ULONG)MV_FLAG) &&
           fm_prop_is_string_type(b & ~(ULONG)MV_FLAG);
}

static int cmp_double(double x, double y)
{
    bool nx = isnan(x), ny = isnan(y);
    if (nx || ny)
        return (int)nx - (int)ny; /* NaN sorts after every number */
    return CMP3(x, y);
}

static ULONGLONG filetime_u64(FILETIME ft)
{
    return ((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}

static int cmp_guid(const GUID *a, const GUID *b)
{
    if (a == NULL || b == NULL)
        return CMP3(a != NULL, b != NULL);
    return sign_of(memcmp(a, b, sizeof *a));
}

static int cmp_binary(const SBinary *a, const SBinary *b)
{
    if (a->cb != b->cb)
        return CMP3(a->cb, b->cb);
    if (a->cb == 0 || a->lpb == b->lpb)
        return 0;
    if (a->lpb == NULL || b->lpb == NULL)
        return CMP3(a->lpb != NULL, b->lpb != NULL);
    return sign_of(memcmp(a->lpb, b->lpb, a->cb));
}

fm_text fm_prop_text(const SPropValue *v)
{
    if (PROP_TYPE(v->ulPropTag) == PT_UNICODE ||
        fm_prop_base_type(v->ulPropTag) == PT_UNICODE) {
        static const WCHAR empty_w[1] = { 0 };
        return fm_text_utf16(v->Value.lpszW ? v->Value.lpszW : empty_w);
    }
    return fm_text_utf8(v->Value.lpszA ? v->Value.lpszA : "");
}

/* ---- allocation-free code point comparison -------------------------------- */

typedef struct cp_reader {
    const void *data;
    size_t left; /* code units */
    bool wide;
} cp_reader;

static bool cp_next(cp_reader *r, ucs4_t *uc)
{
    if (r->left == 0)
        return false;
    int step;
    if (r->wide) {
        const uint16_t *p = r->data;
        if (*p < 0x80) {
            *uc = *p;
            step = 1;
        } else {
            step = u16_mbtouc(uc, p, r->left);
        }
        r->data = p + step;
    } else {
        const uint8_t *p = r->data;
        if (*p < 0x80) {
            *uc = *p;
            step = 1;
        } else {
            step = u8_mbtouc(uc, p, r->left);
        }
        r->data = p + step;
    }
    r->left -= (size_t)step;
    return true;
}

static ucs4_t fold_simple(ucs4_t uc)
{
    if (uc < 0x80)
        return (uc >= 'A' && uc <= 'Z') ? uc + ('a' - 'A') : uc;
    return uc_tolower(uc);
}

static int bytes_cmp(const void *a, size_t an, const void *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c != 0)
        return sign_of(c);
    return CMP3(an, bn);
}

int fm_prop_text_cmp(const fm_text *a, const fm_text *b, bool nocase)
{
    if (!nocase && !a->wide && !b->wide)
        return bytes_cmp(a->data, a->len, b->data, b->len);
    cp_reader ra = { a->data, a->len, a->wide }, rb = { b->data, b->len, b->wide };
    for (;;) {
        ucs4_t ca, cb;
        bool ha = cp_next(&ra, &ca), hb = cp_next(&rb, &cb);
        if (!ha || !hb)
            return CMP3(ha, hb);
        if (nocase) {
            ca = fold_simple(ca);
            cb = fold_simple(cb);
        }
        if (ca != cb)
            return CMP3(ca, cb);
    }
}

static int cmp_strings(const SPropValue *a, const SPropValue *b, unsigned how)
{
    fm_text ta = fm_prop_text(a), tb = fm_prop_text(b);
    if (how & FM_PROP_CMP_NOCASE) {
        int c = fm_prop_text_cmp(&ta, &tb, true);
        return c != 0 ? c : fm_prop_text_cmp(&ta, &tb, false);
    }
    if (how == 0)
        return fm_prop_text_cmp(&ta, &tb, false);
    return sign_of(fm_text_compare(&ta, &tb, how));
}

/* Compares two single values of comparable types. */
static int cmp_single(const SPropValue *a, const SPropValue *b, unsigned how)
{
    ULONG t = fm_prop_base_type(a->ulPropTag);
    const union _PV *x = &a->Value, *y = &b->Value;
    switch (t) {
    case PT_I2: return CMP3(x->i, y->i);
    case PT_LONG: return CMP3(x->l, y->l);
    case PT_R4: return cmp_double(x->flt, y->flt);
    case PT_DOUBLE: return cmp_double(x->dbl, y->dbl);
    case PT_APPTIME: return cmp_double(x->at, y->at);
    case PT_CURRENCY: return CMP3(x->cur.int64, y->cur.int64);
    case PT_I8: return CMP3(x->li.QuadPart, y->li.QuadPart);
    case PT_SYSTIME: return CMP3(filetime_u64(x->ft), filetime_u64(y->ft));
    case PT_BOOLEAN: return CMP3(x->b != 0, y->b != 0);
    case PT_ERROR: return CMP3((ULONG)x->err, (ULONG)y->err);
    case PT_CLSID: return cmp_guid(x->lpguid, y->lpguid);
    case PT_BINARY: return cmp_binary(&x->bin, &y->bin);
    case PT_STRING8:
    case PT_UNICODE: return cmp_strings(a, b, how);
    default: return 0; /* PT_NULL, PT_OBJECT and unknown types: no value */
    }
}

ULONG fm_prop_value_count(const SPropValue *v)
{
    if (!(PROP_TYPE(v->ulPropTag) & MV_FLAG))
        return 1;
    return v->Value.MVl.cValues; /* every SxxxArray starts with cValues */
}

static bool mv_array_present(const SPropValue *v)
{
    return v->Value.MVl.cValues == 0 || v->Value.MVl.lpl != NULL;
}

void fm_prop_value_at(const SPropValue *v, ULONG i, SPropValue *out)
{
    ULONG base = fm_prop_base_type(v->ulPropTag);
    out->ulPropTag = PROP_TAG(base, PROP_ID(v->ulPropTag));
    out->dwAlignPad = 0;
    if (!(PROP_TYPE(v->ulPropTag) & MV_FLAG)) {
        out->Value = v->Value;
        return;
    }
    const union _PV *p = &v->Value;
    memset(&out->Value, 0, sizeof out->Value);
    switch (base) {
    case PT_I2: out->Value.i = p->MVi.lpi[i]; break;
    case PT_LONG: out->Value.l = p->MVl.lpl[i]; break;
    case PT_R4: out->Value.flt = p->MVflt.lpflt[i]; break;
    case PT_DOUBLE: out->Value.dbl = p->MVdbl.lpdbl[i]; break;
    case PT_APPTIME: out->Value.at = p->MVat.lpat[i]; break;
    case PT_CURRENCY: out->Value.cur = p->MVcur.lpcur[i]; break;
    case PT_I8: out->Value.li = p->MVli.lpli[i]; break;
    case PT_SYSTIME: out->Value.ft = p->MVft.lpft[i]; break;
    case PT_CLSID: out->Value.lpguid = &p->MVguid.lpguid[i]; break;
    case PT_BINARY: out->Value.bin = p->MVbin.lpbin[i]; break;
    case PT_STRING8: out->Value.lpszA = p->MVszA.lppszA[i]; break;
    case PT_UNICODE: out->Value.lpszW = p->MVszW.lppszW[i]; break;
    default: break;
    }
}

static int cmp_mv(const SPropValue *a, const SPropValue *b, unsigned how)
{
    ULONG na = fm_prop_value_count(a), nb = fm_prop_value_count(b);
    if (!mv_array_present(a) || !mv_array_present(b))
        return CMP3(mv_array_present(a), mv_array_present(b));
    for (ULONG i = 0; i < na && i < nb; i++) {
        SPropValue ea, eb;
        fm_prop_value_at(a, i, &ea);
        fm_prop_value_at(b, i, &eb);
        int c = cmp_single(&ea, &eb, how);
        if (c != 0)
            return c;
    }
    return CMP3(na, nb);
}

int fm_prop_compare_values(const SPropValue *a, const SPropValue *b, unsigned fold_how)
{
    if (!fm_prop_types_comparable(a->ulPropTag, b->ulPropTag))
        return CMP3(fm_prop_type(a->ulPropTag), fm_prop_type(b->ulPropTag));
    if (PROP_TYPE(a->ulPropTag) & MV_FLAG)
        return cmp_mv(a, b, fold_how);
    return cmp_single(a, b, fold_how);
}

bool fm_prop_relop_holds(ULONG relop, int cmp)
{
    switch (relop) {
    case RELOP_LT: return cmp < 0;
    case RELOP_LE: return cmp <= 0;
    case RELOP_GT: return cmp > 0;
    case RELOP_GE: return cmp >= 0;
    case RELOP_EQ: return cmp == 0;
    case RELOP_NE: return cmp != 0;
    default: return false;
    }
}

/* ---- sizes ---------------------------------------------------------------- */

/* ---- public ----------------------------------------------------------------- */

STDAPI_(LONG) LPropCompareProp(LPSPropValue lpSPropValueA, LPSPropValue lpSPropValueB)
{
    if (lpSPropValueA == NULL || lpSPropValueB == NULL)
        return CMP3(lpSPropValueA != NULL, lpSPropValueB != NULL);
    return fm_prop_compare_values(lpSPropValueA, lpSPropValueB, 0);
}

/* RELOP_RE: value1 matched against the pattern in value2 (strings only). */
static BOOL compare_regex(const SPropValue *v1, const SPropValue *v2)
{
    if (PROP_TYPE(v1->ulPropTag) & MV_FLAG ||
        !fm_prop_is_string_type(fm_prop_base_type(v1->ulPropTag)) ||
        !fm_prop_is_string_type(fm_prop_base_type(v2->ulPropTag)))
        return FALSE;
    fm_text pattern = fm_prop_text(v2), subject = fm_prop_text(v1);
    fm_regex *re = NULL;
    if (fm_regex_compile(&pattern, &re) != S_OK)
        return FALSE;
    bool match = false;
    HRESULT hr = fm_regex_match(re, &subject, &match);
    fm_regex_free(re);
    return hr == S_OK && match;
}

STDAPI_(BOOL) FPropCompareProp(LPSPropValue lpSPropValue1, ULONG ulRelOp,
                               LPSPropValue lpSPropValue2)
{
    if (lpSPropValue1 == NULL || lpSPropValue2 == NULL)
        return FALSE;
    if (ulRelOp == RELOP_RE)
        return compare_regex(lpSPropValue1, lpSPropValue2);
    if (ulRelOp > RELOP_NE ||
        !fm_prop_types_comparable(lpSPropValue1->ulPropTag, lpSPropValue2->ulPropTag))
        return FALSE;
    int c = fm_prop_compare_values(lpSPropValue1, lpSPropValue2, 0);
    return fm_prop_relop_holds(ulRelOp, c) ? TRUE : FALSE;
}
