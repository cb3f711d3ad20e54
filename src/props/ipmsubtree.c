/*
 * props/ipmsubtree.c - HrValidateIPMSubtree: makes sure a store has the
 * standard IPM folders and returns the store properties naming them.
 *
 * Works on any IMsgStore through its interface. The minimum set is the IPM
 * subtree and Search Root (in the root folder) and Deleted Items (in the
 * subtree); MAPI_FULL_IPM_TREE adds Folder Views and Common Views (root),
 * Inbox, Outbox and Sent Items (subtree). A folder is made when the store
 * has no property naming it or, with MAPI_FORCE_CREATE, when the one it
 * names does not open; the store's property is then set and saved (the
 * Inbox becomes the receive folder of IPM). freemapi's stores always have
 * the subtree, Search Root, Deleted Items, Inbox, Outbox and Sent Items,
 * so only the two views folders are ever made on them.
 */
#include <string.h>

#include "core/error.h"
#include "mapiutil.h"

typedef struct std_folder {
    ULONG tag;        /* store property naming it; PR_NULL for the Inbox */
    const char *name; /* display name when created */
    int in_subtree;   /* parent: the IPM subtree, else the root folder */
    int full_only;    /* made only with MAPI_FULL_IPM_TREE */
    ULONG valid_bit;  /* PR_VALID_FOLDER_MASK bit */
} std_folder;

/* In creation order: parents first. */
static const std_folder FOLDERS[] = {
    { PR_IPM_SUBTREE_ENTRYID, "IPM Subtree", 0, 0, FOLDER_IPM_SUBTREE_VALID },
    { PR_FINDER_ENTRYID, "Search Root", 0, 0, FOLDER_FINDER_VALID },
    { PR_IPM_WASTEBASKET_ENTRYID, "Deleted Items", 1, 0, FOLDER_IPM_WASTEBASKET_VALID },
    { PR_VIEWS_ENTRYID, "Folder Views", 0, 1, FOLDER_VIEWS_VALID },
    { PR_COMMON_VIEWS_ENTRYID, "Common Views", 0, 1, FOLDER_COMMON_VIEWS_VALID },
    { PR_NULL, "Inbox", 1, 1, FOLDER_IPM_INBOX_VALID },
    { PR_IPM_OUTBOX_ENTRYID, "Outbox", 1, 1, FOLDER_IPM_OUTBOX_VALID },
    { PR_IPM_SENTMAIL_ENTRYID, "Sent Items", 1, 1, FOLDER_IPM_SENTMAIL_VALID },
};
#define NFOLDERS (sizeof FOLDERS / sizeof FOLDERS[0])
/* The tag the documentation gives the Inbox's entry ID in the result. */
#define INBOX_TAG PROP_TAG(PT_BINARY, PROP_ID_NULL)

/* The entry ID naming folder f, as a MAPI buffer (NULL when none). */
static HRESULT folder_eid(LPMDB mdb, const std_folder *f, LPSPropValue *out)
{
    *out = NULL;
    if (f->tag == PR_NULL) {
        ULONG cb = 0;
        LPENTRYID eid = NULL;
        HRESULT hr = mdb->lpVtbl->GetReceiveFolder(mdb, (LPTSTR) "IPM", 0, &cb, &eid, NULL);
        if (hr != S_OK)
            return hr == MAPI_E_NOT_ENOUGH_MEMORY ? hr : S_OK;
        SCODE sc = MAPIAllocateBuffer(sizeof(SPropValue), (void **)out);
        if (sc != S_OK) {
            MAPIFreeBuffer(eid);
            return fm_error_set(sc, "HrValidateIPMSubtree: out of memory");
        }
        (*out)->ulPropTag = INBOX_TAG;
        (*out)->Value.bin.cb = cb;
        (*out)->Value.bin.lpb = (LPBYTE)eid;
        /* eid stays its own buffer; the caller frees it through copy_result. */
        return S_OK;
    }
    HRESULT hr = HrGetOneProp((LPMAPIPROP)mdb, f->tag, out);
    if (hr == MAPI_E_NOT_FOUND) {
        *out = NULL;
        return S_OK;
    }
    return hr;
}

static void value_free(const std_folder *f, LPSPropValue v)
{
    if (v != NULL && f->tag == PR_NULL)
        MAPIFreeBuffer(v->Value.bin.lpb);
    MAPIFreeBuffer(v);
}

static int opens(LPMDB mdb, LPSPropValue v)
{
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    HRESULT hr = mdb->lpVtbl->OpenEntry(mdb, v->Value.bin.cb, (LPENTRYID)v->Value.bin.lpb, NULL,
                                        0, &type, &unk);
    if (unk)
        unk->lpVtbl->Release(unk);
    return hr == S_OK && type == MAPI_FOLDER;
}

static HRESULT open_folder(LPMDB mdb, LPSPropValue eid, LPMAPIFOLDER *out)
{
    ULONG type = 0;
    return mdb->lpVtbl->OpenEntry(mdb, eid ? eid->Value.bin.cb : 0,
                                  eid ? (LPENTRYID)eid->Value.bin.lpb : NULL, NULL, MAPI_MODIFY,
                                  &type, (LPUNKNOWN *)out);
}

/* Makes folder f under parent and records it in the store. */
static HRESULT create(LPMDB mdb, const std_folder *f, LPMAPIFOLDER parent)
{
    LPMAPIFOLDER made = NULL;
    LPSPropValue eid = NULL;
    HRESULT hr = parent->lpVtbl->CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)f->name, NULL,
                                              NULL, OPEN_IF_EXISTS, &made);
    if (hr == S_OK)
        hr = HrGetOneProp((LPMAPIPROP)made, PR_ENTRYID, &eid);
    if (hr == S_OK && f->tag == PR_NULL) {
        hr = mdb->lpVtbl->SetReceiveFolder(mdb, (LPTSTR) "IPM", 0, eid->Value.bin.cb,
                                           (LPENTRYID)eid->Value.bin.lpb);
    } else if (hr == S_OK) {
        eid->ulPropTag = f->tag;
        hr = HrSetOneProp((LPMAPIPROP)mdb, eid);
        if (hr == S_OK)
            hr = mdb->lpVtbl->SaveChanges(mdb, KEEP_OPEN_READWRITE);
    }
    MAPIFreeBuffer(eid);
    if (made)
        made->lpVtbl->Release(made);
    return hr;
}

static HRESULT ensure(LPMDB mdb, ULONG flags, LPSPropValue *vals)
{
    HRESULT hr = S_OK;
    for (size_t i = 0; hr == S_OK && i < NFOLDERS; i++) {
        const std_folder *f = &FOLDERS[i];
        if (f->full_only && !(flags & MAPI_FULL_IPM_TREE))
            continue;
        if (vals[i] != NULL && (!(flags & MAPI_FORCE_CREATE) || opens(mdb, vals[i])))
            continue;
        LPMAPIFOLDER parent = NULL;
        hr = open_folder(mdb, f->in_subtree ? vals[0] : NULL, &parent);
        if (hr == S_OK)
            hr = create(mdb, f, parent);
        if (parent)
            parent->lpVtbl->Release(parent);
        if (hr == S_OK) {
            value_free(f, vals[i]);
            hr = folder_eid(mdb, f, &vals[i]);
        }
    }
    return hr;
}

/* One MAPI buffer: PR_VALID_FOLDER_MASK, then each folder's entry ID. */
static HRESULT copy_result(LPSPropValue *vals, ULONG *pc, LPSPropValue *out)
{
    ULONG n = 1, mask = 0;
    for (size_t i = 0; i < NFOLDERS; i++)
        if (vals[i]) {
            n++;
            mask |= FOLDERS[i].valid_bit;
        }
    LPSPropValue r = NULL;
    SCODE sc = MAPIAllocateBuffer(n * sizeof(SPropValue), (void **)&r);
    if (sc != S_OK)
        return fm_error_set(sc, "HrValidateIPMSubtree: out of memory");
    r[0].ulPropTag = PR_VALID_FOLDER_MASK;
    r[0].Value.l = (LONG)mask;
    ULONG k = 1;
    for (size_t i = 0; sc == S_OK && i < NFOLDERS; i++) {
        if (vals[i] == NULL)
            continue;
        sc = PropCopyMore(&r[k++], vals[i], MAPIAllocateMore, r);
    }
    if (sc != S_OK) {
        MAPIFreeBuffer(r);
        return fm_error_set(sc, "HrValidateIPMSubtree: out of memory");
    }
    *pc = n;
    *out = r;
    return S_OK;
}

STDAPI HrValidateIPMSubtree(LPMDB lpMDB, ULONG ulFlags, ULONG *lpcValues,
                            LPSPropValue *lppValues, LPMAPIERROR *lpperr)
{
    if (lpperr)
        *lpperr = NULL;
    if (lpcValues)
        *lpcValues = 0;
    if (lppValues)
        *lppValues = NULL;
    if (lpMDB == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "HrValidateIPMSubtree: lpMDB is NULL");
    if (ulFlags & ~(MAPI_FORCE_CREATE | MAPI_FULL_IPM_TREE))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "HrValidateIPMSubtree: unknown flags %08lX",
                            (unsigned long)ulFlags);
    LPSPropValue vals[NFOLDERS] = { NULL };
    HRESULT hr = S_OK;
    for (size_t i = 0; hr == S_OK && i < NFOLDERS; i++)
        hr = folder_eid(lpMDB, &FOLDERS[i], &vals[i]);
    if (hr == S_OK)
        hr = ensure(lpMDB, ulFlags, vals);
    if (hr == S_OK && lppValues != NULL && lpcValues != NULL)
        hr = copy_result(vals, lpcValues, lppValues);
    for (size_t i = 0; i < NFOLDERS; i++)
        value_free(&FOLDERS[i], vals[i]);
    return hr;
}
