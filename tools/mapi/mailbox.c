/*
 * tools/mapi/mailbox.c - finding things in the mailbox the options name:
 * opening the mailbox, folders by path, messages by reference.
 *
 * Paths start under the IPM subtree ("Inbox/Projects"); each part is found
 * through the parent's hierarchy table with a case-insensitive full-string
 * restriction, so names compare by MAPI's Unicode rules, not by bytes.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "freemapi_store.h"
#include "mapiguid.h"

HRESULT cli_mailbox(cli *c)
{
    if (c->mdb != NULL)
        return S_OK;
    if (c->store_path != NULL) /* a store file, no profile */
        return fmapi_store_open(c->store_path, FMAPI_STORE_CREATE, &c->mdb);
    return cli_session_store(c, &c->mdb);
}

void cli_mailbox_close(cli *c)
{
    if (c->mdb != NULL) {
        IMsgStore_Release(c->mdb);
        c->mdb = NULL;
    }
    cli_session_close(c);
}

static HRESULT open_by_prop(LPMDB mdb, LPMAPIPROP holder, ULONG tag, bool writable,
                            LPMAPIFOLDER *out)
{
    LPSPropValue eid = NULL;
    HRESULT hr = HrGetOneProp(holder, tag, &eid);
    ULONG type = 0;
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(mdb, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb, NULL,
                                 writable ? MAPI_MODIFY : 0, &type, (LPUNKNOWN *)out);
    MAPIFreeBuffer(eid);
    return hr;
}

/* The child of parent named name (case-insensitive), or MAPI_E_NOT_FOUND. */
static HRESULT open_child(cli *c, LPMAPIFOLDER parent, const char *name, bool writable,
                          LPMAPIFOLDER *out)
{
    LPMAPITABLE t = NULL;
    HRESULT hr = IMAPIFolder_GetHierarchyTable(parent, 0, &t);
    if (hr != S_OK)
        return hr;
    SPropValue want = { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = (LPSTR)name };
    SRestriction r = { .rt = RES_CONTENT,
                       .res.resContent = { FL_FULLSTRING | FL_IGNORECASE, PR_DISPLAY_NAME_A,
                                           &want } };
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    LPSRowSet rows = NULL;
    hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, &r, NULL, 2, &rows);
    IMAPITable_Release(t);
    if (hr == S_OK && rows->cRows == 0)
        hr = MAPI_E_NOT_FOUND;
    ULONG type = 0;
    if (hr == S_OK) {
        SBinary *b = &rows->aRow[0].lpProps[0].Value.bin;
        hr = IMsgStore_OpenEntry(c->mdb, b->cb, (LPENTRYID)b->lpb, NULL,
                                 writable ? MAPI_MODIFY : 0, &type, (LPUNKNOWN *)out);
    }
    if (rows != NULL)
        FreeProws(rows);
    return hr;
}

HRESULT cli_folder_open(cli *c, const char *path, bool writable, LPMAPIFOLDER *out)
{
    *out = NULL;
    HRESULT hr = cli_mailbox(c);
    if (hr != S_OK)
        return hr;
    LPMAPIFOLDER f = NULL;
    hr = open_by_prop(c->mdb, (LPMAPIPROP)c->mdb, PR_IPM_SUBTREE_ENTRYID, writable, &f);
    char *copy = strdup(path ? path : "");
    if (copy == NULL)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    char *save = NULL;
    for (char *part = copy ? strtok_r(copy, "/", &save) : NULL; hr == S_OK && part != NULL;
         part = strtok_r(NULL, "/", &save)) {
        LPMAPIFOLDER child = NULL;
        hr = open_child(c, f, part, writable, &child);
        IMAPIFolder_Release(f);
        f = child;
    }
    free(copy);
    if (hr != S_OK) {
        if (f != NULL)
            IMAPIFolder_Release(f);
        return hr;
    }
    *out = f;
    return S_OK;
}

static bool all_hex(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n % 2 != 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)s[i]))
            return false;
    }
    return true;
}

/* FOLDER:N -> the N-th message, newest first. */
static HRESULT entryid_by_position(cli *c, const char *folder, long n, LPSBinary *eid)
{
    LPMAPIFOLDER f = NULL;
    HRESULT hr = cli_folder_open(c, folder, false, &f);
    LPMAPITABLE t = NULL;
    if (hr == S_OK)
        hr = IMAPIFolder_GetContentsTable(f, 0, &t);
    SizedSSortOrderSet(1, sort) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    if (hr == S_OK)
        hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr == S_OK)
        hr = IMAPITable_SortTable(t, (LPSSortOrderSet)&sort, 0);
    if (hr == S_OK)
        hr = IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, n - 1, NULL);
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = IMAPITable_QueryRows(t, 1, 0, &rows);
    if (hr == S_OK && rows->cRows == 0)
        hr = MAPI_E_NOT_FOUND;
    if (hr == S_OK) {
        SBinary *b = &rows->aRow[0].lpProps[0].Value.bin;
        hr = MAPIAllocateBuffer(sizeof(SBinary) + b->cb, (void **)eid);
        if (hr == S_OK) {
            (*eid)->cb = b->cb;
            (*eid)->lpb = (LPBYTE)(*eid + 1);
            memcpy((*eid)->lpb, b->lpb, b->cb);
        }
    }
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    if (f != NULL)
        IMAPIFolder_Release(f);
    return hr;
}

HRESULT cli_message_entryid(cli *c, const char *ref, LPSBinary *eid)
{
    *eid = NULL;
    HRESULT hr = cli_mailbox(c);
    if (hr != S_OK)
        return hr;
    if (all_hex(ref) && strlen(ref) >= 32) {
        size_t cb = strlen(ref) / 2;
        hr = MAPIAllocateBuffer((ULONG)(sizeof(SBinary) + cb), (void **)eid);
        if (hr != S_OK)
            return hr;
        (*eid)->cb = (ULONG)cb;
        (*eid)->lpb = (LPBYTE)(*eid + 1);
        FBinFromHex((LPSTR)ref, (*eid)->lpb);
        return S_OK;
    }
    const char *colon = strrchr(ref, ':');
    char *end = NULL;
    long n = colon ? strtol(colon + 1, &end, 10) : 0;
    if (colon == NULL || end == colon + 1 || *end != '\0' || n < 1) {
        c->usage_error = true;
        cli_error(c, EXIT_USAGE, "'%s' is not a message reference (an entry ID in hex, or "
                                 "FOLDER:N as ls numbers messages)", ref);
        return MAPI_E_INVALID_PARAMETER;
    }
    char folder[1024];
    snprintf(folder, sizeof folder, "%.*s", (int)(colon - ref), ref);
    return entryid_by_position(c, folder, n, eid);
}

HRESULT cli_message_open(cli *c, const char *ref, bool writable, LPMESSAGE *out)
{
    LPSBinary eid = NULL;
    HRESULT hr = cli_message_entryid(c, ref, &eid);
    ULONG type = 0;
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(c->mdb, eid->cb, (LPENTRYID)eid->lpb, NULL,
                                 writable ? MAPI_MODIFY : 0, &type, (LPUNKNOWN *)out);
    if (hr == S_OK && type != MAPI_MESSAGE) {
        IUnknown_Release((LPUNKNOWN)*out);
        *out = NULL;
        hr = MAPI_E_NOT_FOUND;
    }
    MAPIFreeBuffer(eid);
    return hr;
}
