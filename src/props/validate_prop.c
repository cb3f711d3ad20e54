/*
 * props/validate_prop.c - property types, tags and values.
 *
 * The rules come from the MAPI reference: the documented property types
 * (the "Property Types" page and mapidefs.h), FBadProp ("if the property is
 * Boolean ... its value is either TRUE or FALSE; if binary, ... its pointer
 * and size"), FBadPropTag, and freemapi's encodings (PT_STRING8 is UTF-8,
 * PT_UNICODE is UTF-16). Exchange's PT_SVREID, PT_SRESTRICT and PT_ACTIONS
 * are not accepted: no other part of freemapi knows how to copy or compare
 * them, so letting them through would break what callers rely on.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/limits.h"
#include "core/text.h"
#include "mapicode.h"
#include "props/propvalue.h"
#include "props/validate.h"

const char *fm_validate_what(const char *what)
{
    return what != NULL ? what : "argument";
}

static const struct {
    ULONG type;
    const char *name;
    int mv; /* a PT_MV_ form exists */
} known_types[] = {
    { PT_UNSPECIFIED, "PT_UNSPECIFIED", 0 }, { PT_NULL, "PT_NULL", 0 },
    { PT_I2, "PT_I2", 1 },                   { PT_LONG, "PT_LONG", 1 },
    { PT_R4, "PT_R4", 1 },                   { PT_DOUBLE, "PT_DOUBLE", 1 },
    { PT_CURRENCY, "PT_CURRENCY", 1 },       { PT_APPTIME, "PT_APPTIME", 1 },
    { PT_ERROR, "PT_ERROR", 0 },             { PT_BOOLEAN, "PT_BOOLEAN", 0 },
    { PT_OBJECT, "PT_OBJECT", 0 },           { PT_I8, "PT_I8", 1 },
    { PT_STRING8, "PT_STRING8", 1 },         { PT_UNICODE, "PT_UNICODE", 1 },
    { PT_SYSTIME, "PT_SYSTIME", 1 },         { PT_CLSID, "PT_CLSID", 1 },
    { PT_BINARY, "PT_BINARY", 1 },
};

static const char *const mv_names[] = {
    [PT_I2] = "PT_MV_I2",         [PT_LONG] = "PT_MV_LONG",
    [PT_R4] = "PT_MV_R4",         [PT_DOUBLE] = "PT_MV_DOUBLE",
    [PT_CURRENCY] = "PT_MV_CURRENCY", [PT_APPTIME] = "PT_MV_APPTIME",
    [PT_I8] = "PT_MV_I8",         [PT_STRING8] = "PT_MV_STRING8",
    [PT_UNICODE] = "PT_MV_UNICODE", [PT_SYSTIME] = "PT_MV_SYSTIME",
    [PT_CLSID] = "PT_MV_CLSID",
};

const char *fm_validate_type_name(ULONG type)
{
    ULONG base = type & ~(ULONG)MV_FLAG;
    for (size_t i = 0; i < sizeof known_types / sizeof known_types[0]; i++) {
        if (known_types[i].type != base)
            continue;
        if (!(type & MV_FLAG))
            return known_types[i].name;
        if (!known_types[i].mv)
            return NULL;
        if (base == PT_BINARY)
            return "PT_MV_BINARY";
        return mv_names[base];
    }
    return NULL;
}

int fm_prop_type_is_valid(ULONG type)
{
    /* One definition of the value types freemapi handles (props/propvalue.c);
     * a tag may also say PT_UNSPECIFIED. The name table only words text. */
    return type == PT_UNSPECIFIED || fm_props_type_known(type);
}

/* ---- error text ---------------------------------------------------------- */

/* Records "<what>: property <i> (tag 0x...): <detail>". Kept out of the
 * checking functions so their frames stay small. */
static FM_NOINLINE HRESULT FM_PRINTF(5, 6)
    prop_fail(HRESULT hr, const char *what, ULONG index, ULONG tag, const char *fmt, ...)
{
    char detail[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (index == FM_VALIDATE_NO_INDEX)
        return fm_error_set(hr, "%s: property tag 0x%08lX: %s", fm_validate_what(what),
                            (unsigned long)tag, detail);
    return fm_error_set(hr, "%s: property %lu (tag 0x%08lX): %s", fm_validate_what(what),
                        (unsigned long)index, (unsigned long)tag, detail);
}

/* ---- tags ------------------------------------------------------------------ */

static HRESULT tag_type_fault(ULONG tag, ULONG type, unsigned rules, const char *what,
                              ULONG index)
{
    static const struct {
        ULONG type;
        unsigned rule;
    } denied[] = {
        { PT_ERROR, FM_VT_NO_ERROR },
        { PT_OBJECT, FM_VT_NO_OBJECT },
        { PT_NULL, FM_VT_NO_NULL },
        { PT_UNSPECIFIED, FM_VT_NO_UNSPECIFIED },
    };
    for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++)
        if (type == denied[i].type && (rules & denied[i].rule))
            return prop_fail(MAPI_E_INVALID_TYPE, what, index, tag, "%s is not allowed here",
                             fm_validate_type_name(type));
    return S_OK;
}

HRESULT fm_validate_tag_in(ULONG tag, unsigned rules, const char *what, ULONG index)
{
    ULONG type = PROP_TYPE(tag);
    if (type & MV_INSTANCE) {
        if (!(rules & FM_VT_ALLOW_MVI))
            return prop_fail(MAPI_E_INVALID_TYPE, what, index, tag,
                             "MV_INSTANCE is only allowed in column sets, sort orders and "
                             "restrictions");
        if (!(type & MV_FLAG))
            return prop_fail(MAPI_E_INVALID_TYPE, what, index, tag,
                             "MV_INSTANCE without MV_FLAG");
        type &= ~(ULONG)MV_INSTANCE;
    } else if ((rules & FM_VT_MV_NEEDS_MVI) && (type & MV_FLAG)) {
        return prop_fail(MAPI_E_INVALID_TYPE, what, index, tag,
                         "a multivalued column needs MV_INSTANCE (MVI_PROP) here");
    }
    if (!fm_prop_type_is_valid(type))
        return prop_fail(MAPI_E_INVALID_TYPE, what, index, tag,
                         "type 0x%04lX is not a MAPI property type", (unsigned long)type);
    if (PROP_ID(tag) == PROP_ID_INVALID)
        return prop_fail(MAPI_E_INVALID_PARAMETER, what, index, tag,
                         "identifier 0xFFFF is PROP_ID_INVALID");
    return tag_type_fault(tag, type, rules, what, index);
}

HRESULT fm_validate_prop_tag(ULONG tag, const char *what)
{
    return fm_validate_tag_in(tag, 0, what, FM_VALIDATE_NO_INDEX);
}

/* ---- single values --------------------------------------------------------- */

/* Each check returns NULL when the value is well formed, else what is wrong. */

static const char *check_string8(const char *s)
{
    if (s == NULL)
        return "string pointer is NULL";
    if (!fm_utf8_valid(s, strlen(s)))
        return "string is not valid UTF-8";
    return NULL;
}

static const char *check_unicode(const WCHAR *s)
{
    if (s == NULL)
        return "string pointer is NULL";
    if (FM_MISALIGNED(s, WCHAR))
        return "string pointer is misaligned for WCHAR";
    if (!fm_utf16_valid(s, fm_utf16_len(s)))
        return "string is not valid UTF-16 (lone surrogate)";
    return NULL;
}

static const char *check_binary(const SBinary *b)
{
    if (b->cb > 0 && b->lpb == NULL)
        return "binary has cb > 0 and a NULL lpb";
    return NULL;
}

static const char *check_guid(const GUID *g)
{
    if (g == NULL)
        return "GUID pointer is NULL";
    if (FM_MISALIGNED(g, GUID))
        return "GUID pointer is misaligned";
    return NULL;
}

static const char *check_single(ULONG type, const union _PV *v)
{
    switch (type) {
    case PT_BOOLEAN:
        return v->b <= 1 ? NULL : "PT_BOOLEAN value is neither TRUE (1) nor FALSE (0)";
    case PT_STRING8:
        return check_string8(v->lpszA);
    case PT_UNICODE:
        return check_unicode(v->lpszW);
    case PT_BINARY:
        return check_binary(&v->bin);
    case PT_CLSID:
        return check_guid(v->lpguid);
    case PT_UNSPECIFIED:
        return "PT_UNSPECIFIED is not a value type";
    default: /* numbers, times, PT_ERROR, PT_NULL, PT_OBJECT: any bits */
        return NULL;
    }
}

/* ---- multivalued values ----------------------------------------------------- */

/* The element array of an MV value, its alignment, and element checks. */
typedef struct mv_view {
    ULONG count;
    const void *items;
    size_t align;
} mv_view;

static mv_view mv_view_of(ULONG type, const union _PV *v)
{
    mv_view m = { 0, NULL, 1 };
    switch (type) {
    case PT_MV_I2: m = (mv_view){ v->MVi.cValues, v->MVi.lpi, _Alignof(short) }; break;
    case PT_MV_LONG: m = (mv_view){ v->MVl.cValues, v->MVl.lpl, _Alignof(LONG) }; break;
    case PT_MV_R4: m = (mv_view){ v->MVflt.cValues, v->MVflt.lpflt, _Alignof(float) }; break;
    case PT_MV_DOUBLE:
        m = (mv_view){ v->MVdbl.cValues, v->MVdbl.lpdbl, _Alignof(double) };
        break;
    case PT_MV_CURRENCY:
        m = (mv_view){ v->MVcur.cValues, v->MVcur.lpcur, _Alignof(CURRENCY) };
        break;
    case PT_MV_APPTIME: m = (mv_view){ v->MVat.cValues, v->MVat.lpat, _Alignof(double) }; break;
    case PT_MV_SYSTIME:
        m = (mv_view){ v->MVft.cValues, v->MVft.lpft, _Alignof(FILETIME) };
        break;
    case PT_MV_I8: m = (mv_view){ v->MVli.cValues, v->MVli.lpli, _Alignof(LARGE_INTEGER) }; break;
    case PT_MV_STRING8: m = (mv_view){ v->MVszA.cValues, v->MVszA.lppszA, _Alignof(LPSTR) }; break;
    case PT_MV_UNICODE:
        m = (mv_view){ v->MVszW.cValues, v->MVszW.lppszW, _Alignof(LPWSTR) };
        break;
    case PT_MV_BINARY: m = (mv_view){ v->MVbin.cValues, v->MVbin.lpbin, _Alignof(SBinary) }; break;
    case PT_MV_CLSID: m = (mv_view){ v->MVguid.cValues, v->MVguid.lpguid, _Alignof(GUID) }; break;
    default: break;
    }
    return m;
}

/* Checks element i of an MV array whose elements need more than bits. */
static const char *check_mv_item(ULONG type, const mv_view *m, ULONG i)
{
    switch (type) {
    case PT_MV_STRING8: return check_string8(((LPSTR const *)m->items)[i]);
    case PT_MV_UNICODE: return check_unicode(((LPWSTR const *)m->items)[i]);
    case PT_MV_BINARY: return check_binary(&((const SBinary *)m->items)[i]);
    default: return NULL;
    }
}

static HRESULT check_mv(const SPropValue *p, ULONG type, const char *what, ULONG index)
{
    mv_view m = mv_view_of(type, &p->Value);
    if (m.count == 0)
        return S_OK;
    if (m.count > FM_MV_MAX_VALUES)
        return prop_fail(MAPI_E_INVALID_PARAMETER, what, index, p->ulPropTag,
                         "%lu values exceed the limit of %lu", (unsigned long)m.count,
                         (unsigned long)FM_MV_MAX_VALUES);
    if (m.items == NULL)
        return prop_fail(MAPI_E_INVALID_PARAMETER, what, index, p->ulPropTag,
                         "cValues is %lu and the value array is NULL", (unsigned long)m.count);
    if ((uintptr_t)m.items % m.align != 0)
        return prop_fail(MAPI_E_INVALID_PARAMETER, what, index, p->ulPropTag,
                         "value array is misaligned for its element type");
    for (ULONG i = 0; i < m.count; i++) {
        const char *fault = check_mv_item(type, &m, i);
        if (fault != NULL)
            return prop_fail(MAPI_E_INVALID_PARAMETER, what, index, p->ulPropTag,
                             "value %lu: %s", (unsigned long)i, fault);
    }
    return S_OK;
}

/* The type whose layout the value has: MVI columns in rows hold one value of
 * the base type ("Working with Multivalued Columns"). */
static HRESULT value_type(const SPropValue *p, unsigned mode, const char *what, ULONG index,
                          ULONG *out)
{
    ULONG type = PROP_TYPE(p->ulPropTag);
    if ((mode & FM_VP_ROW) && (type & MVI_FLAG) == MVI_FLAG) {
        HRESULT hr = fm_validate_tag_in(p->ulPropTag, FM_VT_ALLOW_MVI, what, index);
        *out = type & ~(ULONG)MVI_FLAG;
        return hr;
    }
    unsigned rules = (mode & FM_VP_OPERAND) ? FM_VT_OPERAND : FM_VT_NO_UNSPECIFIED;
    *out = type;
    return fm_validate_tag_in(p->ulPropTag, rules, what, index);
}

HRESULT fm_validate_prop_in(const SPropValue *p, unsigned mode, const char *what, ULONG index)
{
    if (p == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: property value pointer is NULL",
                            fm_validate_what(what));
    if (FM_MISALIGNED(p, SPropValue))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "%s: property value pointer is misaligned for SPropValue",
                            fm_validate_what(what));
    ULONG type;
    HRESULT hr = value_type(p, mode, what, index, &type);
    if (hr != S_OK)
        return hr;
    if (type & MV_FLAG)
        return check_mv(p, type, what, index);
    const char *fault = check_single(type, &p->Value);
    if (fault != NULL)
        return prop_fail(MAPI_E_INVALID_PARAMETER, what, index, p->ulPropTag, "%s", fault);
    return S_OK;
}

HRESULT fm_validate_prop(const SPropValue *p, const char *what)
{
    return fm_validate_prop_in(p, 0, what, FM_VALIDATE_NO_INDEX);
}

/* ---- arrays ------------------------------------------------------------------ */

HRESULT fm_validate_prop_array(ULONG c, const SPropValue *a, const char *what)
{
    if (c == 0)
        return S_OK;
    if (a == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "%s: %lu property values and a NULL array", fm_validate_what(what),
                            (unsigned long)c);
    if (FM_MISALIGNED(a, SPropValue))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "%s: property value array is misaligned for SPropValue",
                            fm_validate_what(what));
    for (ULONG i = 0; i < c; i++) {
        HRESULT hr = fm_validate_prop_in(&a[i], 0, what, i);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

static HRESULT tags_check(const SPropTagArray *a, unsigned rules, const char *what)
{
    if (a == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: property tag array is NULL",
                            fm_validate_what(what));
    if (FM_MISALIGNED(a, SPropTagArray))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "%s: property tag array is misaligned", fm_validate_what(what));
    for (ULONG i = 0; i < a->cValues; i++) {
        HRESULT hr = fm_validate_tag_in(a->aulPropTag[i], rules, what, i);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

HRESULT fm_validate_tag_array(const SPropTagArray *a, const char *what)
{
    return tags_check(a, 0, what);
}

HRESULT fm_validate_column_set(const SPropTagArray *a, const char *what)
{
    /* IMAPITable::SetColumns: "every table must have at least one column";
     * FBadColumnSet: PT_ERROR columns are invalid, PT_NULL ones valid. */
    if (a != NULL && !FM_MISALIGNED(a, SPropTagArray) && a->cValues == 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "%s: a column set needs at least one column",
                            fm_validate_what(what));
    return tags_check(a, FM_VT_ALLOW_MVI | FM_VT_NO_ERROR, what);
}
