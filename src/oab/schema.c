/*
 * oab/schema.c - the columns of the address records (the OAB_PROP_TABLE of
 * [MS-OXOAB] 2.9.3/2.9.4): the default set, validation of a caller's set,
 * and a small hash from property ID to column so that each entry's values
 * are placed in one pass whatever their order.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapitags.h"
#include "oab/oab.h"

/* The default columns. [MS-OXOAB] 2.9: every address record has at least
 * an ASCII SMTP address, an ASCII DN, a Unicode display name, a display
 * type and an object type; the DN and the SMTP address are the keys
 * clients look entries up by (primary keys, 2.9.4 b: present on every
 * record); the names a user types are ANR. */
static const fmapi_oab_prop default_props[] = {
    {PR_EMAIL_ADDRESS_A, FMAPI_OAB_PRIMARY_KEY},
    {PR_SMTP_ADDRESS_A, FMAPI_OAB_PRIMARY_KEY | FMAPI_OAB_ANR},
    {PR_DISPLAY_NAME_W, FMAPI_OAB_ANR},
    {PR_ACCOUNT_W, FMAPI_OAB_ANR},
    {PR_SURNAME_W, FMAPI_OAB_ANR},
    {PR_GIVEN_NAME_W, FMAPI_OAB_ANR},
    {PR_ADDRTYPE_W, 0},
    {PR_DISPLAY_TYPE, 0},
    {PR_OBJECT_TYPE, 0},
    {PR_SEND_RICH_INFO, 0},
    {PR_TITLE_W, 0},
    {PR_COMPANY_NAME_W, 0},
    {PR_DEPARTMENT_NAME_W, 0},
    {PR_OFFICE_LOCATION_W, 0},
    {PR_BUSINESS_TELEPHONE_NUMBER_W, 0},
    {PR_MOBILE_TELEPHONE_NUMBER_W, 0},
    {PR_EMS_AB_PROXY_ADDRESSES_W, 0},
    {FM_OAB_PR_EMS_AB_MEMBER_DNS, 0},
    {PR_EMS_AB_X509_CERT, 0},
};

const fmapi_oab_prop *fmapi_oab_default_props(ULONG *lpcProps)
{
    if (lpcProps)
        *lpcProps = (ULONG)(sizeof default_props / sizeof default_props[0]);
    return default_props;
}

bool fm_oab_type_writable(ULONG type)
{
    switch (type) {
    case PT_LONG:
    case PT_BOOLEAN:
    case PT_STRING8:
    case PT_UNICODE:
    case PT_BINARY:
    case PT_MV_LONG:
    case PT_MV_STRING8:
    case PT_MV_UNICODE:
    case PT_MV_BINARY:
        return true;
    default:
        return false;
    }
}

static bool is_string(ULONG t)
{
    return t == PT_STRING8 || t == PT_UNICODE;
}

static bool is_mv_string(ULONG t)
{
    return t == PT_MV_STRING8 || t == PT_MV_UNICODE;
}

bool fm_oab_type_matches(ULONG ctype, ULONG vtype)
{
    if (is_string(ctype))
        return is_string(vtype);
    if (is_mv_string(ctype))
        return is_mv_string(vtype);
    return ctype == vtype;
}

static ULONG slot_of(const fm_oab_schema *s, ULONG propid)
{
    return (propid * 2654435761u >> 7) & (s->cSlots - 1);
}

int fm_oab_schema_find(const fm_oab_schema *s, ULONG propid)
{
    for (ULONG i = slot_of(s, propid);; i = (i + 1) & (s->cSlots - 1)) {
        uint16_t v = s->slots[i];
        if (v == 0)
            return -1;
        if (PROP_ID(s->props[v - 1].ulPropTag) == propid)
            return v - 1;
    }
}

static HRESULT check_prop(const fmapi_oab_prop *p, ULONG i)
{
    ULONG type = PROP_TYPE(p->ulPropTag);
    if (p->ulFlags & ~(FMAPI_OAB_ANR | FMAPI_OAB_PRIMARY_KEY))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                            "offline address book: column %lu (0x%08lX) has unknown flags 0x%lX",
                            (unsigned long)i, (unsigned long)p->ulPropTag,
                            (unsigned long)p->ulFlags);
    if (PROP_ID(p->ulPropTag) == 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "offline address book: column %lu has property ID 0",
                            (unsigned long)i);
    if (!fm_oab_type_writable(type))
        return fm_error_set(MAPI_E_INVALID_TYPE,
                            "offline address book: column %lu (0x%08lX): type 0x%04lX has no "
                            "OAB encoding (PtypObject's is unspecified in [MS-OXOAB])",
                            (unsigned long)i, (unsigned long)p->ulPropTag, (unsigned long)type);
    return S_OK;
}

static HRESULT index_props(fm_oab_schema *s)
{
    for (ULONG i = 0; i < s->cProps; i++) {
        ULONG id = PROP_ID(s->props[i].ulPropTag);
        if (fm_oab_schema_find(s, id) >= 0)
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "offline address book: property ID 0x%04lX is in two columns",
                                (unsigned long)id);
        ULONG j = slot_of(s, id);
        while (s->slots[j] != 0)
            j = (j + 1) & (s->cSlots - 1);
        s->slots[j] = (uint16_t)(i + 1);
    }
    return S_OK;
}

HRESULT fm_oab_schema_init(fm_oab_schema *s, const fmapi_oab_prop *props, ULONG cProps)
{
    s->props = NULL;
    s->slots = NULL;
    s->cProps = 0;
    if (cProps == 0)
        props = fmapi_oab_default_props(&cProps);
    else if (!props)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "offline address book: cProps is %lu but lpProps is NULL",
                            (unsigned long)cProps);
    if (cProps > FM_OAB_PROPS_MAX)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "offline address book: %lu columns (at most %u)",
                            (unsigned long)cProps, FM_OAB_PROPS_MAX);
    for (ULONG i = 0; i < cProps; i++) {
        HRESULT hr = check_prop(&props[i], i);
        if (FAILED(hr))
            return hr;
    }
    s->cSlots = 8;
    while (s->cSlots <= 2 * cProps)
        s->cSlots *= 2;
    s->props = fm_malloc(cProps * sizeof *s->props);
    s->slots = fm_calloc(s->cSlots, sizeof *s->slots);
    if (!s->props || !s->slots) {
        fm_oab_schema_clear(s);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "offline address book: no memory for the columns");
    }
    memcpy(s->props, props, cProps * sizeof *s->props);
    s->cProps = cProps;
    HRESULT hr = index_props(s);
    if (FAILED(hr))
        fm_oab_schema_clear(s);
    return hr;
}

void fm_oab_schema_clear(fm_oab_schema *s)
{
    fm_free(s->props);
    fm_free(s->slots);
    s->props = NULL;
    s->slots = NULL;
    s->cProps = 0;
}
