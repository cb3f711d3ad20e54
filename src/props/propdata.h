/*
 * props/propdata.h - the object behind CreateIProp: an in-memory IPropData.
 *
 * Properties live in an array in the order they were first set, each one an
 * fm_malloc block laid out like ScCopyProps output (the SPropValue followed
 * by its data), with its access flags. Object properties (HrAddObjProps)
 * have no value. Named properties map to identifiers 0x8000..0xFFFE in a
 * table local to the object.
 *
 * Every method takes the object's mutex for its whole run, so one object
 * can be shared by threads; CopyTo/CopyProps reach other objects only
 * through their interfaces and never hold this mutex while doing so.
 * Everything returned to callers is allocated with the three functions
 * given to CreateIProp.
 */
#ifndef FREEMAPI_PROPS_PROPDATA_H
#define FREEMAPI_PROPS_PROPDATA_H

#include <pthread.h>
#include <stdatomic.h>

#include "core/lasterr.h"
#include "mapiutil.h"

/* Named-property identifiers an object hands out. */
#define FM_PROPDATA_FIRST_NAMED_ID 0x8000u
#define FM_PROPDATA_LAST_NAMED_ID 0xFFFEu

typedef struct fm_propdata_entry {
    ULONG tag;          /* the stored tag (type PT_OBJECT for object properties) */
    ULONG access;       /* IPROP_READONLY|IPROP_READWRITE with IPROP_CLEAN|IPROP_DIRTY */
    LPSPropValue value; /* fm_malloc block; NULL for PT_OBJECT */
} fm_propdata_entry;

typedef struct fm_propdata_name {
    ULONG id;
    GUID guid;
    ULONG kind; /* MNID_ID or MNID_STRING */
    LONG lid;
    WCHAR *name; /* fm_malloc, MNID_STRING only */
} fm_propdata_name;

typedef struct fm_propdata {
    IPropData iface; /* first: the interface pointer is the object pointer */
    _Atomic ULONG refs;
    pthread_mutex_t lock;
    ALLOCATEBUFFER *alloc;
    ALLOCATEMORE *more;
    FREEBUFFER *free_buffer;
    ULONG obj_access;
    fm_propdata_entry *props;
    size_t nprops, capprops;
    fm_propdata_name *names;
    size_t nnames, capnames;
    ULONG next_named_id;
    fm_lasterr err; /* GetLastError */
} fm_propdata;

static inline fm_propdata *fm_propdata_of(void *iface)
{
    return (fm_propdata *)iface;
}

/* Locking, and remembering the text of a failure for GetLastError. */
void fm_propdata_lock(fm_propdata *pd);
/* Unlocks; when hr is a failure, keeps this thread's error text with it. */
HRESULT fm_propdata_unlock(fm_propdata *pd, HRESULT hr);

/* Index of the property with tag's identifier, or -1. With types, a tag
 * whose type is not PT_UNSPECIFIED must also name a compatible type (the
 * same, or the other width of the same string kind). */
long fm_propdata_find(const fm_propdata *pd, ULONG tag, int check_type);

/* Makes room for n more properties. */
HRESULT fm_propdata_reserve(fm_propdata *pd, size_t n);

/* Removes entry i, freeing its value. */
void fm_propdata_remove(fm_propdata *pd, size_t i);

/* The type a stored property is reported with: strings in the width
 * MAPI_UNICODE in flags asks for, others as stored. */
ULONG fm_propdata_reported_type(ULONG stored, ULONG flags);

/* A problem array of n entries from the object's allocator (n >= 1). */
HRESULT fm_propdata_new_problems(fm_propdata *pd, ULONG n, LPSPropProblemArray *out);

/* True when tags is a usable SPropTagArray (not NULL). */
HRESULT fm_propdata_check_tags(const char *fn, const SPropTagArray *tags, int allow_empty);

/* Name lookup for CopyTo: the name of id in pd's table, or NULL. */
const fm_propdata_name *fm_propdata_name_of(const fm_propdata *pd, ULONG id);

/* The IID of PS_MAPI, whose MNID_ID names are the property identifiers. */

/* Methods, one file per group (propdata_*.c). */
STDMETHODIMP fm_propdata_GetProps(IPropData *This, LPSPropTagArray lpPropTagArray, ULONG ulFlags,
                                  ULONG *lpcValues, LPSPropValue *lppPropArray);
STDMETHODIMP fm_propdata_GetPropList(IPropData *This, ULONG ulFlags,
                                     LPSPropTagArray *lppPropTagArray);
STDMETHODIMP fm_propdata_SetProps(IPropData *This, ULONG cValues, LPSPropValue lpPropArray,
                                  LPSPropProblemArray *lppProblems);
STDMETHODIMP fm_propdata_DeleteProps(IPropData *This, LPSPropTagArray lpPropTagArray,
                                     LPSPropProblemArray *lppProblems);
STDMETHODIMP fm_propdata_CopyTo(IPropData *This, ULONG ciidExclude, LPCIID rgiidExclude,
                                LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                                LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                                ULONG ulFlags, LPSPropProblemArray *lppProblems);
STDMETHODIMP fm_propdata_CopyProps(IPropData *This, LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam,
                                   LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                                   ULONG ulFlags, LPSPropProblemArray *lppProblems);
STDMETHODIMP fm_propdata_GetNamesFromIDs(IPropData *This, LPSPropTagArray *lppPropTags,
                                         LPGUID lpPropSetGuid, ULONG ulFlags, ULONG *lpcPropNames,
                                         LPMAPINAMEID **lpppPropNames);
STDMETHODIMP fm_propdata_GetIDsFromNames(IPropData *This, ULONG cPropNames,
                                         LPMAPINAMEID *lppPropNames, ULONG ulFlags,
                                         LPSPropTagArray *lppPropTags);
STDMETHODIMP fm_propdata_HrSetObjAccess(IPropData *This, ULONG ulAccess);
STDMETHODIMP fm_propdata_HrSetPropAccess(IPropData *This, LPSPropTagArray lpPropTagArray,
                                         ULONG *rgulAccess);
STDMETHODIMP fm_propdata_HrGetPropAccess(IPropData *This, LPSPropTagArray *lppPropTagArray,
                                         ULONG **lprgulAccess);
STDMETHODIMP fm_propdata_HrAddObjProps(IPropData *This, LPSPropTagArray lpPropTagArray,
                                       LPSPropProblemArray *lppProblems);

void fm_propdata_free_names(fm_propdata *pd);

#endif /* FREEMAPI_PROPS_PROPDATA_H */
