/*
 * tools/mapi/cmd_show.c - `mapi show` (a message's headers, recipients,
 * body and attachments) and `mapi save-attachment` (attachment data to
 * files, streamed so size does not matter).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mapiguid.h"

/* ---- reading values ------------------------------------------------------- */

/* Copies a stream to fd in 64 KiB pieces. */
static HRESULT stream_to_fd(LPSTREAM s, int fd, unsigned long long *total)
{
    static char buf[65536];
    *total = 0;
    for (;;) {
        ULONG got = 0;
        HRESULT hr = IStream_Read(s, buf, sizeof buf, &got);
        if (FAILED(hr))
            return hr;
        if (got == 0)
            return S_OK;
        for (ULONG off = 0; off < got;) {
            ssize_t w = write(fd, buf + off, got - off);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                return errno == ENOSPC ? MAPI_E_NOT_ENOUGH_DISK : MAPI_E_DISK_ERROR;
            off += (ULONG)w;
        }
        *total += got;
    }
}

static void print_body(LPMESSAGE m)
{
    LPSPropValue body = NULL;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)m, PR_BODY_A, &body);
    if (hr == S_OK) {
        fputs(body->Value.lpszA, stdout);
        MAPIFreeBuffer(body);
    } else if (hr == MAPI_E_NOT_ENOUGH_MEMORY) {
        /* too large for GetProps, as MAPI allows: read it as a stream, in
         * UTF-8 whatever width it was written in */
        LPSTREAM s = NULL;
        if (IMessage_OpenProperty(m, PR_BODY_A, &IID_IStream, 0, 0, (LPUNKNOWN *)&s) == S_OK) {
            unsigned long long n = 0;
            fflush(stdout);
            stream_to_fd(s, STDOUT_FILENO, &n);
            IStream_Release(s);
        }
    }
    putchar('\n');
}

/* ---- show ------------------------------------------------------------------- */

static const struct {
    const char *label;
    ULONG tag;
} HEADERS[] = {
    { "Subject", PR_SUBJECT_A },
    { "From", PR_SENT_REPRESENTING_NAME_A }, /* From: ([MS-OXCMAIL] 2.2.3.2.1) */
    { "Address", PR_SENT_REPRESENTING_EMAIL_ADDRESS_A },
    { "Sender", PR_SENDER_NAME_A }, /* Sender: shown where it is not From: */
    { "Sender-Address", PR_SENDER_EMAIL_ADDRESS_A }, { "To", PR_DISPLAY_TO_A },
    { "Cc", PR_DISPLAY_CC_A },          { "Date", PR_CLIENT_SUBMIT_TIME },
    { "Delivered", PR_MESSAGE_DELIVERY_TIME }, { "Class", PR_MESSAGE_CLASS_A },
    { "Message-ID", PR_INTERNET_MESSAGE_ID_A }, { "Size", PR_MESSAGE_SIZE },
};
#define NHEADERS (sizeof HEADERS / sizeof HEADERS[0])

enum { A_NUM, A_LONGNAME, A_NAME, A_SIZE, A_MIME, A_METHOD, A_NCOLS };

static HRESULT attachment_rows(LPMESSAGE m, LPSRowSet *rows)
{
    LPMAPITABLE t = NULL;
    HRESULT hr = IMessage_GetAttachmentTable(m, 0, &t);
    SizedSPropTagArray(A_NCOLS, cols) = { A_NCOLS, { PR_ATTACH_NUM, PR_ATTACH_LONG_FILENAME_A,
                                                     PR_DISPLAY_NAME_A, PR_ATTACH_SIZE,
                                                     PR_ATTACH_MIME_TAG_A, PR_ATTACH_METHOD } };
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, rows);
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

static const char *attachment_name(const SPropValue *p, char *buf, size_t cap)
{
    if (PROP_TYPE(p[A_LONGNAME].ulPropTag) == PT_STRING8 && p[A_LONGNAME].Value.lpszA[0])
        return p[A_LONGNAME].Value.lpszA;
    if (PROP_TYPE(p[A_NAME].ulPropTag) == PT_STRING8 && p[A_NAME].Value.lpszA[0])
        return p[A_NAME].Value.lpszA;
    snprintf(buf, cap, "attachment-%ld", (long)p[A_NUM].Value.l);
    return buf;
}

static void show_json(LPMESSAGE m, const LPSPropValue *vals, LPSRowSet atts)
{
    json_out j = { .f = stdout };
    json_begin_object(&j);
    for (size_t i = 0; i < NHEADERS; i++) {
        json_key(&j, HEADERS[i].label);
        json_prop(&j, &(*vals)[i]);
    }
    LPSPropValue body = NULL;
    json_key(&j, "Body");
    if (HrGetOneProp((LPMAPIPROP)m, PR_BODY_A, &body) == S_OK)
        json_string(&j, body->Value.lpszA);
    else
        json_null(&j);
    MAPIFreeBuffer(body);
    json_key(&j, "Attachments");
    json_begin_array(&j);
    for (ULONG i = 0; atts && i < atts->cRows; i++) {
        const SPropValue *p = atts->aRow[i].lpProps;
        char buf[64];
        json_begin_object(&j);
        json_key(&j, "number");
        json_int(&j, p[A_NUM].Value.l);
        json_key(&j, "name");
        json_string(&j, attachment_name(p, buf, sizeof buf));
        json_key(&j, "size");
        json_prop(&j, &p[A_SIZE]);
        json_key(&j, "mime_type");
        json_prop(&j, &p[A_MIME]);
        json_key(&j, "embedded");
        json_bool(&j, PROP_TYPE(p[A_METHOD].ulPropTag) == PT_LONG &&
                          p[A_METHOD].Value.l == ATTACH_EMBEDDED_MSG);
        json_end_object(&j);
    }
    json_end_array(&j);
    json_end_object(&j);
}

static void show_text(LPMESSAGE m, const LPSPropValue *vals, LPSRowSet atts)
{
    char from[2][1024];
    for (size_t i = 0; i < NHEADERS; i++) {
        char buf[1024];
        cli_prop_text(&(*vals)[i], buf, sizeof buf);
        if (i == 1 || i == 2) /* From, Address */
            memcpy(from[i - 1], buf, sizeof buf);
        if ((i == 3 || i == 4) && strcmp(buf, from[i - 3]) == 0)
            continue; /* Sender the same as From */
        if (buf[0])
            printf("%-11s %s\n", HEADERS[i].label, buf);
    }
    for (ULONG i = 0; atts && i < atts->cRows; i++) {
        const SPropValue *p = atts->aRow[i].lpProps;
        char buf[64], size[32];
        cli_prop_text(&p[A_SIZE], size, sizeof size);
        printf("Attachment  %ld: %s (%s bytes%s)\n", (long)p[A_NUM].Value.l,
               attachment_name(p, buf, sizeof buf), size,
               p[A_METHOD].Value.l == ATTACH_EMBEDDED_MSG ? ", message" : "");
    }
    putchar('\n');
    print_body(m);
}

static int run_show(cli *c, int argc, char **argv)
{
    if (argc != 2)
        return cli_error(c, EXIT_USAGE, "show: one message reference expected (see --help)");
    LPMESSAGE m = NULL;
    HRESULT hr = cli_message_open(c, argv[1], false, &m);
    if (hr != S_OK)
        return cli_fail(c, argv[1], hr);
    SizedSPropTagArray(NHEADERS, tags);
    tags.cValues = NHEADERS;
    for (size_t i = 0; i < NHEADERS; i++)
        tags.aulPropTag[i] = HEADERS[i].tag;
    ULONG n = 0;
    LPSPropValue vals = NULL;
    hr = IMessage_GetProps(m, (LPSPropTagArray)&tags, 0, &n, &vals);
    for (size_t i = 1; SUCCEEDED(hr) && i <= 2; i++) {
        if (PROP_TYPE(vals[i].ulPropTag) == PT_ERROR)
            vals[i] = vals[i + 2]; /* no From: (composed here): from its sender */
    }
    LPSRowSet atts = NULL;
    if (SUCCEEDED(hr))
        hr = attachment_rows(m, &atts);
    if (hr == S_OK) {
        if (c->json)
            show_json(m, &vals, atts);
        else
            show_text(m, &vals, atts);
    }
    if (atts != NULL)
        FreeProws(atts);
    MAPIFreeBuffer(vals);
    IMessage_Release(m);
    return hr == S_OK ? EXIT_OK : cli_fail(c, "reading the message", hr);
}

const cli_command CMD_SHOW = {
    "show", run_show, "show a message: headers, attachments and body",
    "show MESSAGE\n\n"
    "MESSAGE is FOLDER:N (the N-th message as ls numbers them) or an entry ID in\n"
    "hex (ls --columns id). With the global --json: one object.",
    CLI_USES_MAILBOX | CLI_READS_ONLY,
};

/* ---- save-attachment -------------------------------------------------------- */

/* A file name from an attachment name: no directories, nothing hidden. */
static void safe_name(const char *name, char *out, size_t cap)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    snprintf(out, cap, "%s%s", base[0] == '.' ? "_" : "", base);
    if (out[0] == '\0')
        snprintf(out, cap, "attachment");
}

static HRESULT save_one(cli *c, LPMESSAGE m, const SPropValue *p, const char *dir)
{
    char buf[64], file[512], path[4096];
    safe_name(attachment_name(p, buf, sizeof buf), file, sizeof file);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (PROP_TYPE(p[A_METHOD].ulPropTag) == PT_LONG && p[A_METHOD].Value.l == ATTACH_EMBEDDED_MSG) {
        cli_error(c, EXIT_FAILED, "save-attachment: attachment %ld is a message; use mapi "
                                  "export on it", (long)p[A_NUM].Value.l);
        return MAPI_E_NO_SUPPORT;
    }
    LPATTACH a = NULL;
    HRESULT hr = IMessage_OpenAttach(m, (ULONG)p[A_NUM].Value.l, NULL, 0, &a);
    LPSTREAM s = NULL;
    if (hr == S_OK)
        hr = IAttach_OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (LPUNKNOWN *)&s);
    int fd = -1;
    if (hr == S_OK && (fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0) {
        cli_error(c, EXIT_FAILED, "save-attachment: %s: %s", path, strerror(errno));
        hr = errno == EEXIST ? MAPI_E_COLLISION : MAPI_E_NO_ACCESS;
    }
    unsigned long long bytes = 0;
    if (fd >= 0) {
        hr = stream_to_fd(s, fd, &bytes);
        if (close(fd) != 0 && hr == S_OK)
            hr = MAPI_E_DISK_ERROR;
        if (hr != S_OK)
            unlink(path);
    }
    if (s != NULL)
        IStream_Release(s);
    if (a != NULL)
        IAttach_Release(a);
    if (hr == S_OK && !c->quiet)
        fprintf(c->json ? stderr : stdout, "%s (%llu bytes)\n", path, bytes);
    return hr;
}

static int run_save_attachment(cli *c, int argc, char **argv)
{
    const char *dir = ".";
    const char *ref = NULL;
    long which = -1; /* -1: all; attachment numbers start at 0 */
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--all") == 0)
            which = -1;
        else if (argv[i][0] == '-')
            return cli_error(c, EXIT_USAGE, "save-attachment: unknown option %s", argv[i]);
        else if (ref == NULL)
            ref = argv[i];
        else {
            unsigned long long n = 0;
            if (!cli_parse_number(argv[i], 0, 0x7FFFFFFF, &n)) /* PR_ATTACH_NUM is a LONG */
                return cli_error(c, EXIT_USAGE, "save-attachment: '%s' is not an attachment "
                                                "number (0 to 2147483647)", argv[i]);
            which = (long)n;
        }
    }
    if (ref == NULL)
        return cli_error(c, EXIT_USAGE, "save-attachment: which message? (see --help)");
    LPMESSAGE m = NULL;
    HRESULT hr = cli_message_open(c, ref, false, &m);
    if (hr != S_OK)
        return cli_fail(c, ref, hr);
    LPSRowSet atts = NULL;
    hr = attachment_rows(m, &atts);
    int saved = 0;
    for (ULONG i = 0; hr == S_OK && i < atts->cRows; i++) {
        const SPropValue *p = atts->aRow[i].lpProps;
        if (which >= 0 && p[A_NUM].Value.l != which)
            continue;
        hr = save_one(c, m, p, dir);
        saved++;
    }
    if (atts != NULL)
        FreeProws(atts);
    IMessage_Release(m);
    if (hr != S_OK)
        return hr == MAPI_E_NO_SUPPORT || hr == MAPI_E_COLLISION || hr == MAPI_E_NO_ACCESS
                   ? EXIT_FAILED
                   : cli_fail(c, "saving the attachment", hr);
    if (saved == 0)
        return cli_error(c, EXIT_NOT_FOUND, "save-attachment: %s has no attachment%s", ref,
                         which >= 0 ? " with that number" : "");
    return EXIT_OK;
}

const cli_command CMD_SAVE_ATTACHMENT = {
    "save-attachment", run_save_attachment, "save a message's attachments to files",
    "save-attachment [-o DIR] MESSAGE [NUMBER | --all]\n\n"
    "Writes the attachment NUMBER (as show lists them), or all of them, into DIR\n"
    "(default the current directory) under their own file names. An existing file\n"
    "is never overwritten.",
    CLI_USES_MAILBOX | CLI_READS_ONLY,
};
