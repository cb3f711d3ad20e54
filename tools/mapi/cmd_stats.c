/*
 * tools/mapi/cmd_stats.c - `mapi stats`: how big the mailbox is (folders,
 * messages, unread; fmapi_store_get_stats for bytes, soft-deleted messages,
 * the file and its free pages), the live sessions of the user's profiles
 * (fmapi_list_sessions), and this process's allocator counters after
 * walking it all, which show what reading a mailbox costs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct totals {
    long folders, messages, unread, assoc;
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
    return hr;
}

/* The live sessions of this OS user's profiles, kept for printing. */
#define MAX_SESSIONS 64
typedef struct sessions {
    size_t n;  /* all of them */
    struct {
        char profile[260];
        long pid;
        bool deleted;
    } s[MAX_SESSIONS]; /* the first MAX_SESSIONS */
} sessions;

static HRESULT keep_session(void *ctx, const fmapi_session_info *info)
{
    sessions *l = ctx;
    if (l->n < MAX_SESSIONS) {
        snprintf(l->s[l->n].profile, sizeof l->s[0].profile, "%s", info->profile);
        l->s[l->n].pid = info->pid;
        l->s[l->n].deleted = info->profile_deleted;
    }
    l->n++;
    return S_OK;
}

static void json_field(json_out *j, const char *key, uint64_t v)
{
    json_key(j, key);
    json_int(j, (long long)v);
}

static void json_store(json_out *j, const fmapi_store_stats *st)
{
    json_key(j, "store");
    json_begin_object(j);
    json_field(j, "file_bytes", st->file_bytes);
    json_field(j, "free_bytes", st->free_bytes);
    json_field(j, "wal_bytes", st->wal_bytes);
    json_field(j, "stream_files", st->stream_files);
    json_field(j, "stream_file_bytes", st->stream_file_bytes);
    json_field(j, "folders", st->folders);
    json_field(j, "messages", st->messages);
    json_field(j, "message_bytes", st->message_bytes);
    json_field(j, "soft_deleted", st->soft_deleted);
    json_field(j, "soft_deleted_bytes", st->soft_deleted_bytes);
    json_end_object(j);
}

static void json_sessions(json_out *j, const sessions *l)
{
    json_key(j, "sessions");
    json_begin_array(j);
    for (size_t i = 0; i < l->n && i < MAX_SESSIONS; i++) {
        json_begin_object(j);
        json_key(j, "profile");
        json_string(j, l->s[i].profile);
        json_key(j, "pid");
        json_int(j, l->s[i].pid);
        json_key(j, "profile_deleted");
        json_bool(j, l->s[i].deleted);
        json_end_object(j);
    }
    json_end_array(j);
}

static void json_allocator(json_out *j, const fmapi_alloc_stats *a)
{
    json_key(j, "allocator");
    json_begin_object(j);
    json_field(j, "live_blocks", a->live_blocks);
    json_field(j, "live_bytes", a->live_bytes);
    json_field(j, "peak_bytes", a->peak_bytes);
    json_field(j, "live_sqlite_bytes", a->live_sqlite_bytes);
    json_field(j, "total_allocations", a->total_allocations);
    json_end_object(j);
}

static void print_sessions(const sessions *l)
{
    printf("sessions           %zu live\n", l->n);
    for (size_t i = 0; i < l->n && i < MAX_SESSIONS; i++)
        printf("                   profile %s%s, process %ld%s\n",
               l->s[i].profile[0] ? l->s[i].profile : "(unreadable)",
               l->s[i].deleted ? " (deleted, removed when its sessions end)" : "",
               l->s[i].pid, l->s[i].pid == (long)getpid() ? " (this one)" : "");
    if (l->n > MAX_SESSIONS)
        printf("                   and %zu more\n", l->n - MAX_SESSIONS);
}

static int run_stats(cli *c, int argc, char **argv)
{
    if (argc != 1)
        return cli_error(c, EXIT_USAGE, "stats takes no arguments");
    totals t = { 0 };
    HRESULT hr = count_tree(c, &t);
    if (hr != S_OK)
        return cli_fail(c, "reading the mailbox", hr);
    fmapi_store_stats st;
    hr = fmapi_store_get_stats(c->mdb, 0, &st);
    if (hr != S_OK)
        return cli_fail(c, "reading the store's statistics", hr);
    sessions *live = calloc(1, sizeof *live);
    if (live == NULL)
        return cli_fail(c, "listing sessions", MAPI_E_NOT_ENOUGH_MEMORY);
    hr = fmapi_list_sessions(keep_session, live);
    if (hr != S_OK) {
        free(live);
        return cli_fail(c, "listing sessions", hr);
    }
    fmapi_alloc_stats a;
    fmapi_alloc_get_stats(&a);
    if (c->json) {
        json_out j = { .f = stdout };
        json_begin_object(&j);
        json_field(&j, "folders", (uint64_t)t.folders);
        json_field(&j, "messages", (uint64_t)t.messages);
        json_field(&j, "unread", (uint64_t)t.unread);
        json_field(&j, "associated", (uint64_t)t.assoc);
        json_store(&j, &st);
        json_sessions(&j, live);
        json_allocator(&j, &a);
        json_end_object(&j);
        free(live);
        return EXIT_OK;
    }
    printf("folders            %ld\n", t.folders);
    printf("messages           %ld (%ld unread, %ld associated)\n", t.messages, t.unread,
           t.assoc);
    printf("message bytes      %llu\n", (unsigned long long)st.message_bytes);
    printf("soft-deleted       %llu messages, %llu bytes (mapi purge frees them)\n",
           (unsigned long long)st.soft_deleted, (unsigned long long)st.soft_deleted_bytes);
    printf("store file         %llu bytes (%llu free for reuse), log %llu bytes\n",
           (unsigned long long)st.file_bytes, (unsigned long long)st.free_bytes,
           (unsigned long long)st.wal_bytes);
    printf("stream files       %llu, %llu bytes\n", (unsigned long long)st.stream_files,
           (unsigned long long)st.stream_file_bytes);
    print_sessions(live);
    printf("allocator          %llu live blocks, %llu live bytes (%llu SQLite), peak %llu\n",
           (unsigned long long)a.live_blocks, (unsigned long long)a.live_bytes,
           (unsigned long long)a.live_sqlite_bytes, (unsigned long long)a.peak_bytes);
    free(live);
    return EXIT_OK;
}

const cli_command CMD_STATS = {
    "stats", run_stats, "store sizes, live sessions and allocator counters",
    "stats\n\n"
    "Counts the folders and messages of the mailbox (all, unread, associated);\n"
    "what the store holds and occupies (message bytes, soft-deleted messages\n"
    "awaiting purge, the store file with its free pages and log, companion files\n"
    "of large streams); the live MAPI sessions of this user's profiles, in every\n"
    "process; and this process's allocator counters after reading all that.",
    CLI_USES_MAILBOX | CLI_READS_ONLY,
};
