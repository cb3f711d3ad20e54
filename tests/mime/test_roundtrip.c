/*
 * tests/mime/test_roundtrip.c - the round-trip rule of issue 20 over whole
 * corpora, checked by an independent parser: every message of
 * tests/mime/data/corpus (real-shaped and malformed messages written for
 * these tests) and of the fuzzer's seeds is imported, saved, exported, and
 * the pair handed to tests/mime/roundtrip_check.py, which compares them
 * with Python's email package (policy.default): headers, every part's
 * type, parameters, disposition, file name, header fields and decoded
 * content must survive.
 *
 * The corpus names say what the import must report: "bad-" messages are
 * malformed and must give warnings (and still keep everything), "ok-"
 * messages must give none.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "mime_fixture.h"

#define FLAGS (CCSF_SMTP | CCSF_INCLUDE_BCC)

static char out_dir[700];

static char *here(const char *rel)
{
    const char *slash = strrchr(__FILE__, '/');
    return g_strdup_printf("%.*s/%s", slash ? (int)(slash - __FILE__) : 1,
                           slash ? __FILE__ : ".", rel);
}

static void write_bytes(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Imports one file, exports it, and writes both for the checker. */
static void one(const char *dir, const char *name, const char *prefix, bool check_warnings)
{
    char *path = g_build_filename(dir, name, NULL);
    gchar *text = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(path, &text, &len, NULL));
    LPMESSAGE m = fx_new();
    HRESULT hr = fmapi_mime_import_buffer(text, len, m, FLAGS);
    if (hr != S_OK)
        fail_msg("%s: import failed: %s", name, fmapi_mime_last_error());
    const char *warnings = fmapi_mime_last_warnings();
    if (check_warnings && strncmp(name, "bad-", 4) == 0 && warnings[0] == '\0')
        fail_msg("%s: a malformed message gave no warning", name);
    if (check_warnings && strncmp(name, "ok-", 3) == 0 && warnings[0] != '\0')
        fail_msg("%s: a sound message gave warnings:\n%s", name, warnings);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    fx_buf b = { 0 };
    hr = fmapi_mime_export(m, FLAGS, fx_buf_write, &b);
    if (hr != S_OK)
        fail_msg("%s: export failed: %s", name, fmapi_mime_last_error());
    char *orig = g_strdup_printf("%s/%s%s.orig.eml", out_dir, prefix, name);
    char *out = g_strdup_printf("%s/%s%s.out.eml", out_dir, prefix, name);
    write_bytes(orig, text, len);
    write_bytes(out, b.data ? b.data : "", b.len);
    free(b.data);
    g_free(orig);
    g_free(out);
    IMessage_Release(m);
    g_free(text);
    g_free(path);
}

static unsigned all(const char *rel, const char *prefix, bool check_warnings)
{
    char *dir = here(rel);
    GDir *d = g_dir_open(dir, 0, NULL);
    assert_non_null(d);
    unsigned n = 0;
    const char *name;
    while ((name = g_dir_read_name(d)) != NULL) {
        if (!g_str_has_suffix(name, ".eml"))
            continue;
        one(dir, name, prefix, check_warnings);
        n++;
    }
    g_dir_close(d);
    g_free(dir);
    return n;
}

/* Runs the independent checker over the pairs written. */
static void check_with_python(void)
{
    char *script = here("roundtrip_check.py");
    char *cmd = g_strdup_printf("python3 '%s' '%s'", script, out_dir);
    int status = system(cmd);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) != 0)
        fail_msg("the round trip lost something (see above): %s", cmd);
    g_free(cmd);
    g_free(script);
}

static void clean_out_dir(void)
{
    DIR *d = opendir(out_dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *p = g_build_filename(out_dir, e->d_name, NULL);
        unlink(p);
        g_free(p);
    }
    if (d != NULL)
        closedir(d);
}

static void every_corpus_message_survives_export_of_its_import(void **state)
{
    clean_out_dir();
    unsigned n = all("data/corpus", "", true);
    assert_true(n >= 40);
    check_with_python();
}

static void every_fuzzing_seed_survives_export_of_its_import(void **state)
{
    clean_out_dir();
    unsigned n = all("../../fuzz/corpus/mime", "seed-", false);
    assert_true(n >= 30);
    check_with_python();
}

static int setup(void **state)
{
    fx_open_store("roundtrip");
    snprintf(out_dir, sizeof out_dir, "%s/roundtrip", fm_test_tmpdir());
    if (mkdir(out_dir, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    clean_out_dir();
    rmdir(out_dir);
    fx_close_store();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_corpus_message_survives_export_of_its_import),
        cmocka_unit_test(every_fuzzing_seed_survives_export_of_its_import),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
