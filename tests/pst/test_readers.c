/*
 * tests/pst/test_readers.c - PST files freemapi writes, read back by three
 * readers no one here wrote: readpst (pst-utils), pffexport (pff-tools,
 * libpff) and pst-extractor (npm, installed into the build tree). Each
 * reader's view (folders, message counts, subjects, senders, bodies,
 * attachment names and bytes) is turned into a manifest and compared with
 * the manifest of the source mailbox (readpst with -j 0: its parallel jobs
 * share one file offset between processes and now and then read the wrong
 * block), for Unicode and ANSI files and each
 * block encoding (pst-extractor where it can: see below).
 */
#include <sys/wait.h>

#include "pst_fixture.h"

static LPMDB src;

static uint64_t fnv(const void *data, size_t n, uint64_t h)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* The whole of a string property as UTF-8 (caller frees). */
static char *read_text(LPMAPIPROP obj, ULONG tag)
{
    LPSTREAM s = NULL;
    if (IMAPIProp_OpenProperty(obj, tag, &IID_IStream, 0, 0, (LPUNKNOWN *)&s) != S_OK)
        return calloc(1, 1);
    size_t n = 0, cap = 65536;
    char *b = malloc(cap + 1);
    for (;;) {
        ULONG got = 0;
        PX_OK(IStream_Read(s, b + n, (ULONG)(cap - n), &got));
        n += got;
        if (got == 0)
            break;
        if (n == cap)
            b = realloc(b, (cap *= 2) + 1);
    }
    IStream_Release(s);
    b[n] = 0;
    return b;
}

static uint64_t body_hash(LPMAPIPROP m)
{
    char *b = read_text(m, PR_BODY_A);
    size_t n = 0;
    for (size_t i = 0; b[i]; i++) /* CRLF as LF */
        if (!(b[i] == '\r' && b[i + 1] == '\n'))
            b[n++] = b[i];
    while (n > 0 && (b[n - 1] == ' ' || b[n - 1] == '\n' || b[n - 1] == '\t' || b[n - 1] == '\r'))
        n--;
    uint64_t h = fnv(b, n, 0xcbf29ce484222325ull);
    free(b);
    return h;
}

static int line_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct manifest {
    char **line;
    size_t n, cap;
} manifest;

static void add_line(manifest *m, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (m->n == m->cap)
        m->line = realloc(m->line, sizeof *m->line * (m->cap = m->cap ? 2 * m->cap : 64));
    m->line[m->n++] = strdup(buf);
}

static char *prop_a(LPMAPIPROP obj, ULONG tag)
{
    LPSPropValue v = NULL;
    char *s = strdup("");
    if (HrGetOneProp(obj, tag, &v) == S_OK) {
        free(s);
        s = strdup(v->Value.lpszA);
    }
    MAPIFreeBuffer(v);
    return s;
}

static void attachments(manifest *mf, const char *path, const char *subject, LPMESSAGE m)
{
    LPMAPITABLE t = NULL;
    SizedSPropTagArray(1, cols) = { 1, { PR_ATTACH_NUM } };
    PX_OK(IMessage_GetAttachmentTable(m, 0, &t));
    PX_OK(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0));
    LPSRowSet r = px_rows(t);
    for (ULONG i = 0; i < r->cRows; i++) {
        LPATTACH a = NULL;
        PX_OK(IMessage_OpenAttach(m, r->aRow[i].lpProps[0].Value.ul, NULL, 0, &a));
        LPSPropValue meth = NULL;
        PX_OK(HrGetOneProp((LPMAPIPROP)a, PR_ATTACH_METHOD, &meth));
        if (meth->Value.l == ATTACH_BY_VALUE) {
            LPSTREAM s = NULL;
            PX_OK(IAttach_OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (LPUNKNOWN *)&s));
            static uint8_t buf[65536];
            uint64_t h = 0xcbf29ce484222325ull, size = 0;
            for (;;) {
                ULONG got = 0;
                PX_OK(IStream_Read(s, buf, sizeof buf, &got));
                if (got == 0)
                    break;
                h = fnv(buf, got, h);
                size += got;
            }
            IStream_Release(s);
            char *name = prop_a((LPMAPIPROP)a, PR_ATTACH_LONG_FILENAME_A);
            add_line(mf, "A %s\t%s\t%s\t%llu\t%016llx", path, subject, name,
                     (unsigned long long)size, (unsigned long long)h);
            free(name);
        }
        MAPIFreeBuffer(meth);
        IAttach_Release(a);
    }
    FreeProws(r);
}

static void walk(manifest *mf, LPMAPIFOLDER f, const char *path)
{
    LPMAPITABLE t = NULL;
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    PX_OK(IMAPIFolder_GetContentsTable(f, 0, &t));
    PX_OK(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0));
    LPSRowSet r = px_rows(t);
    for (ULONG i = 0; i < r->cRows; i++) {
        LPMESSAGE m = NULL;
        ULONG type;
        PX_OK(IMAPIFolder_OpenEntry(f, r->aRow[i].lpProps[0].Value.bin.cb,
                                    (LPENTRYID)r->aRow[i].lpProps[0].Value.bin.lpb, NULL, 0, &type,
                                    (LPUNKNOWN *)&m));
        char *subject = prop_a((LPMAPIPROP)m, PR_SUBJECT_A);
        char *sender = prop_a((LPMAPIPROP)m, PR_SENDER_NAME_A);
        add_line(mf, "M %s\t%s\t%s\t%016llx", path, subject, sender,
                 (unsigned long long)body_hash((LPMAPIPROP)m));
        attachments(mf, path, subject, m);
        free(subject);
        free(sender);
        IMessage_Release(m);
    }
    add_line(mf, "F %s %u", path, (unsigned)r->cRows);
    FreeProws(r);
    SizedSPropTagArray(2, hcols) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_A } };
    PX_OK(IMAPIFolder_GetHierarchyTable(f, 0, &t));
    PX_OK(IMAPITable_SetColumns(t, (LPSPropTagArray)&hcols, 0));
    r = px_rows(t);
    for (ULONG i = 0; i < r->cRows; i++) {
        char sub[1024];
        if (path[0])
            snprintf(sub, sizeof sub, "%s/%s", path, r->aRow[i].lpProps[1].Value.lpszA);
        else
            snprintf(sub, sizeof sub, "%s", r->aRow[i].lpProps[1].Value.lpszA);
        LPMAPIFOLDER c = px_open_eid(src, &r->aRow[i].lpProps[0].Value.bin);
        walk(mf, c, sub);
        IMAPIFolder_Release(c);
    }
    FreeProws(r);
}

static char *expected(void)
{
    manifest mf = { 0 };
    LPMAPIFOLDER ipm = px_ipm(src);
    LPMAPITABLE t = NULL;
    SizedSPropTagArray(2, hcols) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_A } };
    PX_OK(IMAPIFolder_GetHierarchyTable(ipm, 0, &t));
    PX_OK(IMAPITable_SetColumns(t, (LPSPropTagArray)&hcols, 0));
    LPSRowSet r = px_rows(t);
    for (ULONG i = 0; i < r->cRows; i++) {
        LPMAPIFOLDER c = px_open_eid(src, &r->aRow[i].lpProps[0].Value.bin);
        walk(&mf, c, r->aRow[i].lpProps[1].Value.lpszA);
        IMAPIFolder_Release(c);
    }
    FreeProws(r);
    IMAPIFolder_Release(ipm);
    qsort(mf.line, mf.n, sizeof *mf.line, line_cmp);
    size_t len = 1;
    for (size_t i = 0; i < mf.n; i++)
        len += strlen(mf.line[i]) + 1;
    char *s = malloc(len), *p = s;
    for (size_t i = 0; i < mf.n; i++) {
        p += sprintf(p, "%s\n", mf.line[i]);
        free(mf.line[i]);
    }
    *p = 0;
    free(mf.line);
    return s;
}

static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = 0, cap = 65536;
    char *b = malloc(cap);
    size_t k;
    while ((k = fread(b + n, 1, cap - n - 1, p)) > 0)
        if ((n += k) + 1 == cap)
            b = realloc(b, cap *= 2);
    b[n] = 0;
    int st = pclose(p);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("%s failed (status %d):\n%s", cmd, st, b);
    return b;
}

static void same(const char *reader, const char *want, const char *got)
{
    if (strcmp(want, got) != 0) {
        FILE *f = fopen(px_path("want.txt"), "w");
        fputs(want, f);
        fclose(f);
        f = fopen(px_path("got.txt"), "w");
        fputs(got, f);
        fclose(f);
        char cmd[2048];
        snprintf(cmd, sizeof cmd, "diff '%s' '%s' | head -20", px_path("want.txt"), px_path("got.txt"));
        char *d = run(cmd);
        fail_msg("%s does not read what was written:\n%s", reader, d);
    }
}

static void fill_mail(void)
{
    LPMAPIFOLDER ipm = px_ipm(src);
    LPMAPIFOLDER inbox = px_subfolder(ipm, "Inbox");
    LPMAPIFOLDER sub = px_subfolder(inbox, "Projects");
    LPMAPIFOLDER sent = px_subfolder(ipm, "Sent Items");
    for (int i = 0; i < 20; i++) {
        LPMESSAGE m = NULL;
        LPMAPIFOLDER where = i % 3 == 0 ? inbox : i % 3 == 1 ? sub : sent;
        PX_OK(IMAPIFolder_CreateMessage(where, NULL, 0, &m));
        char subj[64], body[256];
        snprintf(subj, sizeof subj, "Reader message %d \xc3\xa9t\xc3\xa9", i);
        snprintf(body, sizeof body, "Body of %d.\r\nAccents: \xc3\xa0\xc3\xa7\r\n", i);
        px_simple(m, subj, body);
        SPropValue v[2] = { { .ulPropTag = PR_SENT_REPRESENTING_NAME_A, .Value.lpszA = "Alice Sender" },
                            { .ulPropTag = PR_SENT_REPRESENTING_EMAIL_ADDRESS_A,
                              .Value.lpszA = "alice@example.com" } };
        PX_OK(IMessage_SetProps(m, 2, v, NULL));
        px_recipients(m, 1 + i % 2);
        if (i % 4 == 0)
            px_attach_bytes(m, "notes.txt", 500 + (size_t)i * 37, (unsigned)i);
        if (i == 5)
            px_attach_bytes(m, "large.bin", 3u << 20, 99);
        if (i == 7)
            px_embed(m, 2);
        PX_OK(IMessage_SaveChanges(m, 0));
        IMessage_Release(m);
    }
    IMAPIFolder_Release(sent);
    IMAPIFolder_Release(sub);
    IMAPIFolder_Release(inbox);
    IMAPIFolder_Release(ipm);
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    src = px_store("readers-src.fmdb");
    fill_mail();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    IMsgStore_Release(src);
    MAPIUninitialize();
    return 0;
}

static void read_by_all(ULONG flags, const char *name, bool extractor)
{
    char pst[64];
    snprintf(pst, sizeof pst, "%s.pst", name);
    fmapi_pst_export_options opt = { .ulFlags = flags, .display_name = "Reader test" };
    PX_OK(fmapi_pst_export(src, px_path(pst), &opt, NULL));
    char *want = expected();
    const char *dir = px_source_dir();
    const char *npm = px_build_path("FM_PST_NPM_DIR", "npm-pst");
    assert_non_null(dir);
    assert_non_null(npm);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "rm -rf '%1$s/rp-%2$s' && mkdir '%1$s/rp-%2$s' && readpst -q -j 0 -D -S -o '%1$s/rp-%2$s' "
             "'%1$s/%2$s.pst' >/dev/null && python3 '%3$s/reader_manifest.py' readpst '%1$s/rp-%2$s'",
             fm_test_tmpdir(), name, dir);
    char *got = run(cmd);
    /* readpst makes no directory for an empty folder */
    char *want_rp = strdup(want), *w = want_rp;
    for (const char *l = want; *l;) {
        const char *e = strchr(l, '\n');
        size_t n = (size_t)(e - l) + 1;
        if (!(l[0] == 'F' && n > 3 && strncmp(e - 2, " 0", 2) == 0)) {
            memcpy(w, l, n);
            w += n;
        }
        l += n;
    }
    *w = 0;
    same("readpst", want_rp, got);
    free(want_rp);
    free(got);
    snprintf(cmd, sizeof cmd,
             "rm -rf '%1$s/pf-%2$s'* && pffexport -q -t '%1$s/pf-%2$s' '%1$s/%2$s.pst' >/dev/null "
             "&& python3 '%3$s/reader_manifest.py' pffexport '%1$s/pf-%2$s.export'",
             fm_test_tmpdir(), name, dir);
    got = run(cmd);
    same("pffexport", want, got);
    free(got);
    if (extractor) {
        snprintf(cmd, sizeof cmd,
                 "NODE_PATH='%s/node_modules' node '%s/pst_extractor_manifest.js' '%s/%s.pst'", npm,
                 dir, fm_test_tmpdir(), name);
        got = run(cmd);
        same("pst-extractor", want, got);
        free(got);
    }
    free(want);
}

static void readpst_pffexport_and_pst_extractor_read_a_unicode_pst(void **state)
{
    (void)state;
    read_by_all(0, "readers-unicode", true);
}

/* pst-extractor 1.12 cannot descend a multi-level ANSI B-tree (it
 * compares Long objects with '>', so it always takes the last branch), so
 * ANSI files are read by the other two. */
static void readpst_and_pffexport_read_an_ansi_pst(void **state)
{
    (void)state;
    read_by_all(FMAPI_PST_ANSI, "readers-ansi", false);
}

/* pst-extractor refuses the cyclic encoding ("PST is encrypted"). */
static void readpst_and_pffexport_read_cyclic_and_unencoded_psts(void **state)
{
    (void)state;
    read_by_all(FMAPI_PST_CYCLIC, "readers-cyclic", false);
    read_by_all(FMAPI_PST_NO_ENCODING, "readers-plain", true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(readpst_pffexport_and_pst_extractor_read_a_unicode_pst),
        cmocka_unit_test(readpst_and_pffexport_read_an_ansi_pst),
        cmocka_unit_test(readpst_and_pffexport_read_cyclic_and_unencoded_psts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
