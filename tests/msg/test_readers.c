/*
 * tests/msg/test_readers.c - the .msg files freemapi writes are read by
 * three readers no one here wrote: msgconvert (Debian's
 * libemail-outlook-message-perl: .msg to MIME, checked with Python's
 * email package), Python's olefile (the compound file, its directory and
 * the [MS-OXMSG] streams), and @kenjiuno/msgreader (npm, installed into the
 * build tree on first use: the test needs the npm registry once).
 * Each must find the subject, the body, the recipients, the attachments
 * with their bytes and the embedded message.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "msg_fixture.h"

#define MSGREADER "@kenjiuno/msgreader@1.28.0"

static char *run(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0, r;
    char *out = malloc(cap);
    while ((r = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += r;
        if (n + 1 == cap)
            out = realloc(out, cap *= 2);
    }
    out[n] = 0;
    *status = pclose(p);
    return out;
}

/* Fails with the reader's whole output when needle is not in it. */
#define expect(out, needle)                                                       \
    do {                                                                           \
        if (strstr((out), (needle)) == NULL)                                       \
            fail_msg("expected \"%s\" in the reader's output:\n%s", (needle), (out)); \
    } while (0)

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

typedef struct world {
    LPMDB mdb;
    LPMAPIFOLDER inbox;
    char msg[1024];
} world;

static int setup(void **state)
{
    static world w;
    w.mdb = fx_store("readers");
    w.inbox = fx_folder(w.mdb);
    LPMESSAGE m = fx_sample(w.inbox);
    snprintf(w.msg, sizeof w.msg, "%s", fx_tmp("sample.msg"));
    assert_int_equal(fmapi_msg_save(m, w.msg, FMAPI_MSG_REPLACE), S_OK);
    IMessage_Release(m);
    /* The attachment's bytes, for the readers to compare with. */
    unsigned char *big = fx_bytes(FX_BIG_ATTACH, 77);
    FILE *f = fopen(fx_tmp("large.expect"), "wb");
    fwrite(big, 1, FX_BIG_ATTACH, f);
    fclose(f);
    free(big);
    *state = &w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    IMAPIFolder_Release(w->inbox);
    IMsgStore_Release(w->mdb);
    return 0;
}

static void olefile_reads_the_structure_and_the_values(void **state)
{
    world *w = *state;
    const char *script = fx_tmp("ole.py");
    write_file(script,
               "import olefile, sys\n"
               "ole = olefile.OleFileIO(sys.argv[1], raise_defects=olefile.DEFECT_INCORRECT)\n"
               "s = lambda p: ole.openstream(p).read()\n"
               "print('subject', s('__substg1.0_0037001F').decode('utf-16-le'))\n"
               "assert ole.exists('__properties_version1.0')\n"
               "assert ole.exists('__nameid_version1.0/__substg1.0_00020102')\n"
               "atts = sorted(e[0] for e in ole.listdir(streams=False, storages=True) "
               "if e[0].startswith('__attach_version1.0_#'))\n"
               "recips = {e[0] for e in ole.listdir() if e[0].startswith('__recip_version1.0_#')}\n"
               "print('attachments', len(set(atts)), 'recipients', len(recips))\n"
               "big = s(atts[1] + '/__substg1.0_37010102')\n"
               "print('large', big == open(sys.argv[2], 'rb').read())\n"
               "print('embedded', s(atts[2] + '/__substg1.0_3701000D/__substg1.0_0037001F')"
               ".decode('utf-16-le'))\n"
               "hdr = s('__properties_version1.0')\n"
               "import struct\n"
               "print('counts', struct.unpack('<II', hdr[16:24]))\n");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' '%s' 2>&1", script, w->msg,
             fx_tmp("large.expect"));
    int status = 0;
    char *out = run(cmd, &status);
    if (status != 0)
        fail_msg("olefile:\n%s", out);
    expect(out, "subject Subject ✉ level 0");
    expect(out, "attachments 3 recipients 3");
    expect(out, "large True");
    expect(out, "embedded Subject ✉ level 1");
    expect(out, "counts (3, 3)");
    free(out);
}

static void msgconvert_turns_it_into_the_same_mail(void **state)
{
    world *w = *state;
    const char *eml = fx_tmp("sample.eml"), *script = fx_tmp("eml.py");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "msgconvert --outfile '%s' '%s' 2>&1", eml, w->msg);
    int status = 0;
    char *out = run(cmd, &status);
    if (status != 0)
        fail_msg("msgconvert:\n%s", out);
    free(out);
    write_file(script,
               "import email, sys\n"
               "from email import policy\n"
               "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)\n"
               "print('subject', m['subject'])\n"
               "print('to', m['to'])\n"
               "names = []\n"
               "for p in m.walk():\n"
               "    fn = p.get_filename()\n"
               "    if fn: names.append((fn, len(p.get_payload(decode=True) or b'')))\n"
               "print('files', sorted(names))\n"
               "body = m.get_body(('plain',))\n"
               /* msgconvert 0.921 writes a Unicode body's UTF-8 encoded twice (its
                * output layer encodes Email::MIME's octets again), so only the
                * ASCII words are compared here; msgreader checks the rest. */
               "t = body.get_content()\n"
               "print('body', t.count('hello ') > 1000 and t.count('mail') > 1000)\n"
               "print('rfc822', any(p.get_content_type() == 'message/rfc822' for p in m.walk()))\n");
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' 2>&1", script, eml);
    out = run(cmd, &status);
    if (status != 0)
        fail_msg("parsing msgconvert's output:\n%s", out);
    expect(out, "subject Subject ✉ level 0");
    expect(out, "Ann Example");
    expect(out, "('large.dat', 300000)");
    expect(out, "('small.bin', 1000)");
    expect(out, "body True");
    expect(out, "rfc822 True");
    free(out);
}

/* The module, installed into the build tree the first time. */
static const char *msgreader_dir(void)
{
    static char dir[1200];
    const char *bin = getenv("MAPI_BIN"); /* <build>/mapi */
    const char *slash = bin ? strrchr(bin, '/') : NULL;
    if (slash != NULL)
        snprintf(dir, sizeof dir, "%.*s/npm-msgreader", (int)(slash - bin), bin);
    else
        snprintf(dir, sizeof dir, "%s/npm-msgreader", fm_test_tmpdir());
    char probe[1400];
    snprintf(probe, sizeof probe, "%s/node_modules/@kenjiuno/msgreader/package.json", dir);
    if (access(probe, R_OK) != 0) {
        char cmd[3000];
        snprintf(cmd, sizeof cmd, "mkdir -p '%s' && timeout 600 npm install --prefix '%s' "
                 "--no-audit --no-fund --loglevel=error " MSGREADER " 2>&1", dir, dir);
        int status = 0;
        char *out = run(cmd, &status);
        if (status != 0 || access(probe, R_OK) != 0)
            fail_msg("cannot install " MSGREADER " from the npm registry (this test needs it "
                     "once; it cannot run offline):\n%s", out);
        free(out);
    }
    return dir;
}

static void msgreader_reads_subject_recipients_attachments(void **state)
{
    world *w = *state;
    const char *dir = msgreader_dir(), *script = fx_tmp("mr.js");
    write_file(script,
               "const MsgReader = require(process.argv[2] + "
               "'/node_modules/@kenjiuno/msgreader').default;\n"
               "const fs = require('fs');\n"
               "const r = new MsgReader(fs.readFileSync(process.argv[3]));\n"
               "const d = r.getFileData();\n"
               "if (d.error) { console.log('ERROR', d.error); process.exit(1); }\n"
               "const big = r.getAttachment(d.attachments[1]).content;\n"
               "const want = fs.readFileSync(process.argv[4]);\n"
               "const emb = d.attachments[2];\n"
               "console.log(JSON.stringify({ subject: d.subject, body: d.body.includes('Grüße'),\n"
               "  recipients: d.recipients.map(x => x.name + ' <' + x.email + '>'),\n"
               "  files: d.attachments.map(a => a.fileName || a.name),\n"
               "  large: Buffer.compare(Buffer.from(big), want) === 0,\n"
               "  embedded: emb.innerMsgContentFields ? emb.innerMsgContentFields.subject : null,\n"
               "  named: d.messageClass }));\n");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "node '%s' '%s' '%s' '%s' 2>&1", script, dir, w->msg,
             fx_tmp("large.expect"));
    int status = 0;
    char *out = run(cmd, &status);
    if (status != 0)
        fail_msg("msgreader:\n%s", out);
    expect(out, "\"subject\":\"Subject ✉ level 0\"");
    expect(out, "\"body\":true");
    expect(out, "Bob Ünicode <bob@example.org>");
    expect(out, "\"large.dat\"");
    expect(out, "\"large\":true");
    expect(out, "\"embedded\":\"Subject ✉ level 1\"");
    expect(out, "\"named\":\"IPM.Note\"");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(olefile_reads_the_structure_and_the_values),
        cmocka_unit_test(msgconvert_turns_it_into_the_same_mail),
        cmocka_unit_test(msgreader_reads_subject_recipients_attachments),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
