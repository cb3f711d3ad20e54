/*
 * tools/mapi/cmd_stats.c - `mapi stats`: how big the mailbox is (folders,
 * messages, unread, bytes the store reports) and this process's allocator
 * counters after walking it, which show what reading a mailbox costs.
 */
#include <string.h>

#include "cli.h"

typedef struct totals {
    long folders, messages, unread, assoc;
    unsigned long long bytes;
} totals;

static HRESULT count_tree(cli *c, totals *t)
{
    LPMAPIFOLDER root = NULL;
    HRESULT hr = cli_folder_open(c, "", false, &root);
    LPMAPITABLE table = NULL;
    if (hr == S_OK)
        hr = IMAPIFolder_GetHierarchyTable(root, CONVENIENT_DEPTH, &table);
    SizedSPropTagArray(3, cols) = { 3, { PR_CONTENT_COUNT, PR_CONTENT_UNREAD,
                                         PR_ASSOC_CONTENT_COUNT } };
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = HrQueryAllRows(table, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    for (ULONG i = 0; hr == S_OK && i < rows->cRows; i++) {
        const SPropValue *p = rows->aRow[i].lpProps;
        t->folders++;
        t->messages += PROP_TYPE(p[0].ulPropTag) == PT_LONG ? p[0].Value.l : 0;
        t->unread += PROP_TYPE(p[1].ulPropTag) == PT_LONG ? p[1].Value.l : 0;
        t->assoc += PROP_TYPE(p[2].ulPropTag) == PT_LONG ? p[2].Value.l : 0;
    }
    if (rows != NULL)
        FreeProws(rows);
    if (table != NULL)
        IMAPITable_Release(table);
    if (root != NULL)
        IMAPIFolder_Release(root);
    LPSPropValue size = NULL;
    if (hr == S_OK && HrGetOneProp((LPMAPIPROP)c->mdb, PR_MESSAGE_SIZE_EXTENDED, &size) == S_OK)
        t->bytes = (unsigned long long)size->Value.li.QuadPart;
    MAPIFreeBuffer(size);
    return hr;
}

static int run_stats(cli *c, int argc, char **argv)
{
    if (argc != 1)
        return cli_error(c, EXIT_USAGE, "stats takes no arguments");
    totals t = { 0 };
    HRESULT hr = count_tree(c, &t);
    if (hr != S_OK)
        return cli_fail(c, "reading the mailbox", hr);
    fmapi_alloc_stats a;
    fmapi_alloc_get_stats(&a);
    if (c->json) {
        json_out j = { .f = stdout };
        json_begin_object(&j);
        json_key(&j, "folders");
        json_int(&j, t.folders);
        json_key(&j, "messages");
        json_int(&j, t.messages);
        json_key(&j, "unread");
        json_int(&j, t.unread);
        json_key(&j, "associated");
        json_int(&j, t.assoc);
        json_key(&j, "store_bytes");
        json_int(&j, (long long)t.bytes);
        json_key(&j, "allocator");
        json_begin_object(&j);
        json_key(&j, "live_blocks");
        json_int(&j, (long long)a.live_blocks);
        json_key(&j, "live_bytes");
        json_int(&j, (long long)a.live_bytes);
        json_key(&j, "peak_bytes");
        json_int(&j, (long long)a.peak_bytes);
        json_key(&j, "live_sqlite_bytes");
        json_int(&j, (long long)a.live_sqlite_bytes);
        json_key(&j, "total_allocations");
        json_int(&j, (long long)a.total_allocations);
        json_end_object(&j);
        json_end_object(&j);
        return EXIT_OK;
    }
    printf("folders            %ld\n", t.folders);
    printf("messages           %ld (%ld unread, %ld associated)\n", t.messages, t.unread,
           t.assoc);
    if (t.bytes)
        printf("store bytes        %llu\n", t.bytes);
    printf("allocator          %llu live blocks, %llu live bytes (%llu SQLite), peak %llu\n",
           (unsigned long long)a.live_blocks, (unsigned long long)a.live_bytes,
           (unsigned long long)a.live_sqlite_bytes, (unsigned long long)a.peak_bytes);
    return EXIT_OK;
}

const cli_command CMD_STATS = {
    "stats", run_stats, "mailbox size and allocator counters",
    "stats\n\n"
    "Counts folders and messages (all, unread, associated), the store's size as\n"
    "it reports it, and this process's allocator counters after reading them.",
};
