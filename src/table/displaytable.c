/*
 * table/displaytable.c - BuildDisplayTable: a display table in a table data
 * object (tabledata.c), one row per control of the pages given.
 *
 * PR_CONTROL_STRUCTURE is the control's structure followed by its strings,
 * each ulbLpsz member rewritten to its string's offset in the value. A
 * Windows program's strings come from its dialog resource; Linux has none,
 * so they come from where the structure's own offsets point (the Sized*
 * declarations of mapidefs.h), the edit and combo box character filters
 * from DTCTL.lpszFilter and a page's help component from
 * DTPAGE.lpszComponent. Positions, which Windows also reads from the
 * resource, are a layout of freemapi's: each page fills PAGE_W x PAGE_H
 * dialog units and its other controls stand one under the other.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapitags.h"
#include "mapiutil.h"

#define PAGE_W 252
#define PAGE_H 218
#define MARGIN 7
#define ROW_H 14
#define CTL_H 12

enum { C_ROWID, C_XPOS, C_YPOS, C_DELTAX, C_DELTAY, C_TYPE, C_FLAGS, C_STRUCT, C_ID, C_COUNT };

static const SizedSPropTagArray(C_COUNT, COLUMNS) = {
    C_COUNT,
    { PR_ROWID, PR_XPOS, PR_YPOS, PR_DELTAX, PR_DELTAY, PR_CONTROL_TYPE, PR_CONTROL_FLAGS,
      PR_CONTROL_STRUCTURE, PR_CONTROL_ID }
};

/* Where a string of a control structure comes from. */
enum { SRC_SELF, SRC_FILTER, SRC_COMPONENT };

typedef struct ctl_shape {
    ULONG size;       /* of the structure */
    int flags_at;     /* offset of its ulFlags */
    int nstrings;     /* ulbLpsz members */
    int string_at[2]; /* their offsets */
    int source[2];
} ctl_shape;

static const ctl_shape *shape_of(ULONG type)
{
    static const ctl_shape label = { sizeof(DTBLLABEL), 4, 1, { 0 }, { SRC_SELF } };
    static const ctl_shape edit = { sizeof(DTBLEDIT), 4, 1, { 0 }, { SRC_FILTER } };
    static const ctl_shape lbx = { sizeof(DTBLLBX), 0, 0, { 0 }, { 0 } };
    static const ctl_shape combo = { sizeof(DTBLCOMBOBOX), 4, 1, { 0 }, { SRC_FILTER } };
    static const ctl_shape ddlbx = { sizeof(DTBLDDLBX), 0, 0, { 0 }, { 0 } };
    static const ctl_shape check = { sizeof(DTBLCHECKBOX), 4, 1, { 0 }, { SRC_SELF } };
    static const ctl_shape group = { sizeof(DTBLGROUPBOX), 4, 1, { 0 }, { SRC_SELF } };
    static const ctl_shape button = { sizeof(DTBLBUTTON), 4, 1, { 0 }, { SRC_SELF } };
    static const ctl_shape page = { sizeof(DTBLPAGE), 4, 2, { 0, 8 }, { SRC_SELF, SRC_COMPONENT } };
    static const ctl_shape radio = { sizeof(DTBLRADIOBUTTON), 4, 1, { 0 }, { SRC_SELF } };
    static const ctl_shape mvlbx = { sizeof(DTBLMVLISTBOX), 0, 0, { 0 }, { 0 } };
    static const ctl_shape mvddlbx = { sizeof(DTBLMVDDLBX), 0, 0, { 0 }, { 0 } };
    switch (type) {
    case DTCT_LABEL: return &label;
    case DTCT_EDIT: return &edit;
    case DTCT_LBX: return &lbx;
    case DTCT_COMBOBOX: return &combo;
    case DTCT_DDLBX: return &ddlbx;
    case DTCT_CHECKBOX: return &check;
    case DTCT_GROUPBOX: return &group;
    case DTCT_BUTTON: return &button;
    case DTCT_PAGE: return &page;
    case DTCT_RADIOBUTTON: return &radio;
    case DTCT_MVLISTBOX: return &mvlbx;
    case DTCT_MVDDLBX: return &mvddlbx;
    default: return NULL;
    }
}

static ULONG get_ulong(const BYTE *p, int at)
{
    ULONG v;
    memcpy(&v, p + at, sizeof v);
    return v;
}

static void put_ulong(BYTE *p, int at, ULONG v)
{
    memcpy(p + at, &v, sizeof v);
}

/* Bytes of a string with its terminator (UTF-16 when wide). */
static size_t string_bytes(const void *s, int wide)
{
    if (s == NULL)
        return 0;
    if (!wide)
        return strlen(s) + 1;
    const BYTE *w = s;
    size_t n = 0;
    while (w[2 * n] != 0 || w[2 * n + 1] != 0)
        n++;
    return 2 * (n + 1);
}

static const void *string_of(const DTPAGE *page, const DTCTL *c, const ctl_shape *sh, int i)
{
    const BYTE *st = c->ctl.lpv;
    switch (sh->source[i]) {
    case SRC_FILTER:
        if (c->lpszFilter != NULL)
            return c->lpszFilter;
        break;
    case SRC_COMPONENT:
        /* the union holds a string or a resource number (<= 65535) */
        if ((ULONG_PTR)page->lpszComponent > 0xFFFF)
            return page->lpszComponent;
        break;
    default:
        break;
    }
    ULONG off = get_ulong(st, sh->string_at[i]);
    return off != 0 ? st + off : NULL;
}

/* The PR_CONTROL_STRUCTURE of one control (fm_malloc'd). */
static HRESULT control_structure(const DTPAGE *page, const DTCTL *c, const ctl_shape *sh,
                                 int wide, BYTE **out, ULONG *cb)
{
    const void *str[2] = { NULL, NULL };
    size_t total = sh->size;
    for (int i = 0; i < sh->nstrings; i++) {
        str[i] = string_of(page, c, sh, i);
        total += (total & 1) + string_bytes(str[i], wide);
    }
    BYTE *blob = fm_malloc(total);
    if (blob == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "BuildDisplayTable: out of memory");
    memset(blob, 0, total);
    memcpy(blob, c->ctl.lpv, sh->size);
    size_t at = sh->size;
    for (int i = 0; i < sh->nstrings; i++) {
        size_t n = string_bytes(str[i], wide);
        if (n == 0) {
            put_ulong(blob, sh->string_at[i], 0);
            continue;
        }
        at += at & 1;
        memcpy(blob + at, str[i], n);
        put_ulong(blob, sh->string_at[i], (ULONG)at);
        at += n;
    }
    if (sh->nstrings > 0 && wide)
        put_ulong(blob, sh->flags_at, get_ulong(blob, sh->flags_at) | MAPI_UNICODE);
    *out = blob;
    *cb = (ULONG)total;
    return S_OK;
}

static HRESULT add_control(LPTABLEDATA td, const DTPAGE *page, const DTCTL *c, ULONG rowid,
                           ULONG slot, int wide)
{
    const ctl_shape *sh = shape_of(c->ulCtlType);
    if (sh == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "BuildDisplayTable: unknown control "
                                                      "type %lu", (unsigned long)c->ulCtlType);
    if (c->ctl.lpv == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "BuildDisplayTable: a control without "
                                                      "its structure");
    if (c->cbNotif != 0 && c->lpbNotif == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "BuildDisplayTable: cbNotif without "
                                                      "lpbNotif");
    BYTE *blob = NULL;
    ULONG cb = 0;
    HRESULT hr = control_structure(page, c, sh, wide, &blob, &cb);
    if (hr != S_OK)
        return hr;
    int is_page = c->ulCtlType == DTCT_PAGE;
    SPropValue v[C_COUNT];
    memset(v, 0, sizeof v);
    for (int i = 0; i < C_COUNT; i++)
        v[i].ulPropTag = COLUMNS.aulPropTag[i];
    v[C_ROWID].Value.l = (LONG)rowid;
    v[C_XPOS].Value.l = is_page ? 0 : MARGIN;
    v[C_YPOS].Value.l = is_page ? 0 : (LONG)(MARGIN + slot * ROW_H);
    v[C_DELTAX].Value.l = is_page ? PAGE_W : PAGE_W - 2 * MARGIN;
    v[C_DELTAY].Value.l = is_page ? PAGE_H : CTL_H;
    v[C_TYPE].Value.l = (LONG)c->ulCtlType;
    v[C_FLAGS].Value.l = (LONG)c->ulCtlFlags;
    v[C_STRUCT].Value.bin.cb = cb;
    v[C_STRUCT].Value.bin.lpb = blob;
    ULONG n = C_COUNT;
    if (c->lpbNotif != NULL) {
        v[C_ID].Value.bin.cb = c->cbNotif;
        v[C_ID].Value.bin.lpb = c->lpbNotif;
    } else {
        n--; /* no notification identifier: the column stays empty */
    }
    SRow row = { 0, n, v };
    hr = ITableData_HrModifyRow(td, &row);
    fm_free(blob);
    return hr;
}

STDAPI BuildDisplayTable(LPALLOCATEBUFFER lpAllocateBuffer, LPALLOCATEMORE lpAllocateMore,
                         LPFREEBUFFER lpFreeBuffer, LPMALLOC lpMalloc, HINSTANCE hInstance,
                         UINT cPages, LPDTPAGE lpPage, ULONG ulFlags, LPMAPITABLE *lppTable,
                         LPTABLEDATA *lppTblData)
{
    if (lppTable == NULL || lpAllocateBuffer == NULL || lpAllocateMore == NULL ||
        lpFreeBuffer == NULL || (cPages > 0 && lpPage == NULL))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "BuildDisplayTable: NULL argument");
    if (ulFlags & ~MAPI_UNICODE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "BuildDisplayTable: unknown flags %08lX",
                            (unsigned long)ulFlags);
    *lppTable = NULL;
    if (lppTblData != NULL)
        *lppTblData = NULL;
    for (UINT p = 0; p < cPages; p++) {
        if (lpPage[p].cctl > 0 && lpPage[p].lpctl == NULL)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "BuildDisplayTable: page %u has "
                                                          "no controls array", p);
    }
    LPTABLEDATA td = NULL;
    SCODE sc = CreateTable(&IID_IMAPITableData, lpAllocateBuffer, lpAllocateMore, lpFreeBuffer,
                           NULL, TBLTYPE_DYNAMIC, PR_ROWID, (LPSPropTagArray)&COLUMNS, &td);
    if (sc != S_OK)
        return sc;
    HRESULT hr = S_OK;
    ULONG rowid = 0;
    int wide = (ulFlags & MAPI_UNICODE) != 0;
    for (UINT p = 0; p < cPages && hr == S_OK; p++) {
        ULONG slot = 0;
        for (ULONG i = 0; i < lpPage[p].cctl && hr == S_OK; i++) {
            const DTCTL *c = &lpPage[p].lpctl[i];
            hr = add_control(td, &lpPage[p], c, rowid++, slot, wide);
            if (c->ulCtlType != DTCT_PAGE)
                slot++;
        }
    }
    if (hr == S_OK)
        hr = ITableData_HrGetView(td, NULL, NULL, 0, lppTable);
    if (hr != S_OK || lppTblData == NULL)
        ITableData_Release(td);
    else
        *lppTblData = td;
    return hr;
}
