/*
 * tools/mapi/mailbox.c - finding things in the mailbox the options name:
 * opening the mailbox, folders by path, messages by reference.
 *
 * Paths start under the IPM subtree ("Inbox/Projects"); each part is found
 * through the parent's hierarchy table with a case-insensitive full-string
 * restriction, so names compare by MAPI's Unicode rules, not by bytes.
 *
 * References FOLDER:N are resolved together: the positions asked for in one
 * folder are sorted and read in one walk down its contents table, so 200
 * references cost one pass to the deepest of them, not 200 passes.
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
    /* A store file, no profile. A command that only reads opens it for
     * reading (a store in a directory it may not write is listed all the
     * same) and never creates it. */
    if (c->store_path != NULL)
        return fmapi_store_open(c->store_path, c->read_only ? FMAPI_STORE_READONLY
                                                            : FMAPI_STORE_CREATE, &c->mdb);
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

/* FOLDER:N, N from 1: SeekRow moves by a LONG, so N - 1 must fit in one. */
#define MAX_POSITION 0x80000000ULL

/* Splits FOLDER:N; false (and a usage message) when ref is neither that
 * nor an entry ID. */
static bool parse_ref(cli *c, const char *ref, char *folder, size_t cap, unsigned long long *n)
{
    const char *colon = strrchr(ref, ':');
    if (colon != NULL && cli_parse_number(colon + 1, 1, MAX_POSITION, n) &&
        (size_t)(colon - ref) < cap) {
        snprintf(folder, cap, "%.*s", (int)(colon - ref), ref);
        return true;
    }
    c->usage_error = true;
    if (colon != NULL && colon[1] >= '0' && colon[1] <= '9')
        cli_error(c, EXIT_USAGE, "'%s': message numbers go from 1 to %llu", ref, MAX_POSITION);
    else
        cli_error(c, EXIT_USAGE, "'%s' is not a message reference (an entry ID in hex, or "
                                 "FOLDER:N as ls numbers messages)", ref);
    return false;
}

static HRESULT copy_bin(const SBinary *from, void *root, SBinary *to)
{
    to->cb = from->cb;
    HRESULT hr = MAPIAllocateMore(from->cb ? from->cb : 1, root, (void **)&to->lpb);
    if (hr == S_OK)
        memcpy(to->lpb, from->lpb, from->cb);
    return hr;
}

/* An entry ID typed in hex: the message is opened for its folder, which
 * also tells whether it is still there. */
static HRESULT resolve_entryid(cli *c, const char *hex, void *root, cli_msgref *r)
{
    SBinary eid = { (ULONG)(strlen(hex) / 2), NULL };
    HRESULT hr = MAPIAllocateMore(eid.cb, root, (void **)&eid.lpb);
    if (hr != S_OK)
        return hr;
    FBinFromHex((LPSTR)hex, eid.lpb);
    r->eid = eid;
    LPMESSAGE m = NULL;
    ULONG type = 0;
    r->hr = IMsgStore_OpenEntry(c->mdb, eid.cb, (LPENTRYID)eid.lpb, NULL, 0, &type,
                                (LPUNKNOWN *)&m);
    if (r->hr == S_OK && type != MAPI_MESSAGE)
        r->hr = MAPI_E_NOT_FOUND;
    LPSPropValue parent = NULL;
    if (r->hr == S_OK)
        r->hr = HrGetOneProp((LPMAPIPROP)m, PR_PARENT_ENTRYID, &parent);
    if (r->hr == S_OK)
        hr = copy_bin(&parent->Value.bin, root, &r->parent);
    MAPIFreeBuffer(parent);
    if (m != NULL)
        IUnknown_Release((LPUNKNOWN)m);
    return hr;
}

/* The positions of one folder, sorted, so the table is walked once. */
typedef struct position {
    unsigned long long n;
    int ref; /* index into the references */
} position;

static int by_position(const void *a, const void *b)
{
    const position *x = a, *y = b;
    return x->n < y->n ? -1 : x->n > y->n;
}

/* Opens folder's contents table newest first (as ls numbers it), with its
 * entry ID in *feid. */
static HRESULT numbered_table(cli *c, const char *folder, void *root, SBinary *feid,
                              LPMAPITABLE *out)
{
    LPMAPIFOLDER f = NULL;
    HRESULT hr = cli_folder_open(c, folder, false, &f);
    LPSPropValue v = NULL;
    if (hr == S_OK)
        hr = HrGetOneProp((LPMAPIPROP)f, PR_ENTRYID, &v);
    if (hr == S_OK)
        hr = copy_bin(&v->Value.bin, root, feid);
    MAPIFreeBuffer(v);
    LPMAPITABLE t = NULL;
    if (hr == S_OK)
        hr = IMAPIFolder_GetContentsTable(f, 0, &t);
    SizedSSortOrderSet(1, sort) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    if (hr == S_OK)
        hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr == S_OK)
        hr = IMAPITable_SortTable(t, (LPSSortOrderSet)&sort, 0);
    if (f != NULL)
        IMAPIFolder_Release(f);
    if (hr != S_OK && t != NULL) {
        IMAPITable_Release(t);
        t = NULL;
    }
    *out = t;
    return hr;
}

/* Resolves the positions pos[0..n) (sorted) of folder in one walk: the
 * cursor only moves forward, from one wanted row to the next. */
static HRESULT walk_positions(cli *c, const char *folder, position *pos, int n, void *root,
                              cli_msgref *refs)
{
    SBinary feid = { 0, NULL };
    LPMAPITABLE t = NULL;
    HRESULT hr = numbered_table(c, folder, root, &feid, &t);
    unsigned long long at = 0; /* rows before the cursor */
    bool end = false;
    for (int i = 0; hr == S_OK && i < n; i++) {
        cli_msgref *r = &refs[pos[i].ref];
        if (i > 0 && pos[i].n == pos[i - 1].n && refs[pos[i - 1].ref].hr == S_OK) {
            *r = refs[pos[i - 1].ref]; /* the same message named twice */
            continue;
        }
        r->hr = MAPI_E_NOT_FOUND;
        if (end)
            continue;
        LONG sought = 0;
        LONG skip = (LONG)(pos[i].n - 1 - at);
        if (skip != 0)
            hr = IMAPITable_SeekRow(t, BOOKMARK_CURRENT, skip, &sought);
        LPSRowSet rows = NULL;
        if (hr == S_OK && sought == skip)
            hr = IMAPITable_QueryRows(t, 1, 0, &rows);
        if (hr == S_OK && rows != NULL && rows->cRows == 1) {
            at = pos[i].n;
            r->hr = S_OK;
            hr = copy_bin(&rows->aRow[0].lpProps[0].Value.bin, root, &r->eid);
            r->parent = feid;
        } else {
            end = true; /* the folder has fewer messages */
        }
        if (rows != NULL)
            FreeProws(rows);
    }
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

/* Resolves every FOLDER:N of refs, one folder (by its path as typed) at a
 * time. folders[i] is the folder part of refs[i], or NULL for entry IDs. */
static HRESULT resolve_positions(cli *c, int nrefs, char **folders,
                                 const unsigned long long *numbers, void *root, cli_msgref *out)
{
    position *pos = malloc((size_t)(nrefs ? nrefs : 1) * sizeof *pos);
    bool *done = calloc((size_t)(nrefs ? nrefs : 1), sizeof *done);
    HRESULT hr = pos && done ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    for (int i = 0; hr == S_OK && i < nrefs; i++) {
        if (folders[i] == NULL || done[i])
            continue;
        int n = 0;
        for (int k = i; k < nrefs; k++) {
            if (folders[k] != NULL && !done[k] && strcmp(folders[k], folders[i]) == 0) {
                pos[n++] = (position){ numbers[k], k };
                done[k] = true;
            }
        }
        qsort(pos, (size_t)n, sizeof *pos, by_position);
        hr = walk_positions(c, folders[i], pos, n, root, out);
    }
    free(pos);
    free(done);
    return hr;
}

HRESULT cli_refs_resolve(cli *c, int nrefs, char **refs, cli_msgref **out)
{
    *out = NULL;
    HRESULT hr = cli_mailbox(c);
    if (hr != S_OK)
        return hr;
    cli_msgref *r = NULL;
    hr = MAPIAllocateBuffer((ULONG)((size_t)(nrefs ? nrefs : 1) * sizeof *r), (void **)&r);
    if (hr != S_OK)
        return hr;
    memset(r, 0, (size_t)(nrefs ? nrefs : 1) * sizeof *r);
    char **folders = calloc((size_t)(nrefs ? nrefs : 1), sizeof *folders);
    unsigned long long *numbers = calloc((size_t)(nrefs ? nrefs : 1), sizeof *numbers);
    if (folders == NULL || numbers == NULL)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    /* every reference is checked before any is looked up */
    for (int i = 0; hr == S_OK && i < nrefs; i++) {
        char folder[1024];
        if (all_hex(refs[i]) && strlen(refs[i]) >= 32)
            continue;
        if (!parse_ref(c, refs[i], folder, sizeof folder, &numbers[i]))
            hr = MAPI_E_INVALID_PARAMETER;
        else if ((folders[i] = strdup(folder)) == NULL)
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (int i = 0; hr == S_OK && i < nrefs; i++) {
        if (folders[i] == NULL)
            hr = resolve_entryid(c, refs[i], r, &r[i]);
    }
    if (hr == S_OK)
        hr = resolve_positions(c, nrefs, folders, numbers, r, r);
    for (int i = 0; folders != NULL && i < nrefs; i++)
        free(folders[i]);
    free(folders);
    free(numbers);
    if (hr != S_OK) {
        MAPIFreeBuffer(r);
        return hr;
    }
    *out = r;
    return S_OK;
}

HRESULT cli_message_entryid(cli *c, const char *ref, LPSBinary *eid)
{
    *eid = NULL;
    cli_msgref *r = NULL;
    char *one = (char *)ref;
    HRESULT hr = cli_refs_resolve(c, 1, &one, &r);
    if (hr == S_OK)
        hr = r->hr;
    if (hr == S_OK)
        hr = MAPIAllocateBuffer(sizeof(SBinary), (void **)eid);
    if (hr == S_OK)
        hr = copy_bin(&r->eid, *eid, *eid);
    if (hr != S_OK && *eid != NULL) {
        MAPIFreeBuffer(*eid);
        *eid = NULL;
    }
    MAPIFreeBuffer(r);
    return hr;
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
