/*
 * tools/mapi/cmd_import.c - `mapi import`: Internet mail (EML files, mbox,
 * Maildir and Maildir++ trees) into a folder of the mailbox.
 *
 * Messages are converted one by one (libfreemapi-mime) and saved in groups
 * of up to GROUP with fmapi_message_save_group, so an import costs one
 * commit per group, not per message, while memory holds one group at most.
 * A message that cannot be converted is reported with its file and position
 * and skipped; a group that fails to save for one of its messages is saved
 * again one message at a time, so one bad message never costs its
 * neighbours. A failure of the store itself (a full disk, an I/O error)
 * stops the import at once: every further message would fail the same way.
 * Ctrl-C stops at the next message, after the messages in hand are saved:
 * what was imported stays imported.
 *
 * Running an import again finishes it: each message is saved with a digest
 * of the bytes it came from (BLAKE2b, the named property ImportDigest of
 * PS_FREEMAPI_IMPORT below), and a message whose digest (so whose
 * Message-ID and content) a message of the target folder already has is
 * recognized before it is converted, and not imported twice (--duplicates
 * chooses: skip, message-id, import). The digests of a folder are read
 * once, when the import first writes into it, and kept as 16-byte keys
 * (seen.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_msg.h"
#include "freemapi_message.h"

#define GROUP 100
#define NO_POSITION (~0ULL)
#define DIGEST_BYTES 32

/* {EE6DC4D0-E66F-4870-A8BD-68C42476201D}: the tool's own property set. */
static GUID PS_FREEMAPI_IMPORT = { 0xee6dc4d0, 0xe66f, 0x4870,
                                   { 0xa8, 0xbd, 0x68, 0xc4, 0x24, 0x76, 0x20, 0x1d } };
static WCHAR DIGEST_NAME[] = u"ImportDigest";

/* What makes a message already there (--duplicates). */
typedef enum { DUP_SKIP, DUP_MESSAGE_ID, DUP_IMPORT } dup_policy;

typedef struct importer {
    cli *c;
    const cli_mime *mime;
    LPMAPIFOLDER top; /* the target folder */
    LPMAPIFOLDER folder; /* where messages go now (top or a Maildir++ subfolder) */
    char folder_name[512];
    unsigned char folder_key[CLI_SEEN_KEY]; /* names folder in the keys */
    LPMESSAGE group[GROUP];
    unsigned char keys[GROUP][CLI_SEEN_KEY]; /* the group's messages' keys */
    ULONG marks[GROUP]; /* each message's mailbox marks (FMAPI_MAILBOX_DELETED after its save) */
    ULONG n;
    unsigned long imported, skipped, duplicates;
    LPMAPIPROGRESS progress;
    bool stop;
    HRESULT failed; /* the store failed: the import stopped */
    dup_policy policy;
    ULONG digest_tag; /* the named property, PT_BINARY */
    cli_seen *seen;   /* keys of what the target folders hold */
    cli_seen *loaded; /* folder_keys of the folders whose keys were read */
} importer;

/* A failure of the store, not of one message: the import cannot go on. */
static bool store_failure(HRESULT hr)
{
    return hr == MAPI_E_NOT_ENOUGH_DISK || hr == MAPI_E_DISK_ERROR || hr == MAPI_E_NO_ACCESS ||
           hr == MAPI_E_NOT_ENOUGH_MEMORY || hr == MAPI_E_NOT_ENOUGH_RESOURCES ||
           hr == MAPI_E_CORRUPT_STORE || hr == MAPI_E_BUSY;
}

static void stop_on(importer *im, HRESULT hr, const char *where)
{
    if (im->failed == S_OK) {
        char what[600];
        snprintf(what, sizeof what, "import stopped at %s", where);
        cli_fail(im->c, what, hr);
    }
    im->failed = hr;
    im->stop = true;
}

static void report_skip(importer *im, const char *where, unsigned long long pos, HRESULT hr,
                        const char *text)
{
    im->skipped++;
    char at[48] = "";
    if (pos != NO_POSITION)
        snprintf(at, sizeof at, " (message at byte %llu)", pos);
    fprintf(stderr, "%s: %s%s: skipped: %s: %s\n", im->c->prog, where, at,
            fmapi_error_name(hr), text ? text : "");
}

/* ---- keys: what is already there ------------------------------------------------ */

/* The key a message is known by in the current folder: the digest of its
 * bytes ('d': the same Message-ID and the same content, since the bytes
 * hold the Message-ID), or for --duplicates message-id its Message-ID
 * alone ('m') when it has one. */
static void message_key(const importer *im, const char *msgid, const BYTE *digest,
                        unsigned char *key)
{
    bool by_id = im->policy == DUP_MESSAGE_ID && msgid != NULL && msgid[0] != '\0';
    char domain = by_id ? 'm' : 'd';
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, CLI_SEEN_KEY);
    crypto_generichash_update(&h, im->folder_key, CLI_SEEN_KEY);
    crypto_generichash_update(&h, (const unsigned char *)&domain, 1);
    if (by_id)
        crypto_generichash_update(&h, (const unsigned char *)msgid, strlen(msgid));
    else
        crypto_generichash_update(&h, digest, DIGEST_BYTES);
    crypto_generichash_final(&h, key, CLI_SEEN_KEY);
}

/* Whether key is in the folder already, or in the group in hand (a
 * message twice in the input). */
static bool known(const importer *im, const unsigned char *key)
{
    if (im->policy == DUP_IMPORT)
        return false;
    if (cli_seen_has(im->seen, key))
        return true;
    for (ULONG i = 0; i < im->n; i++) {
        if (memcmp(im->keys[i], key, CLI_SEEN_KEY) == 0)
            return true;
    }
    return false;
}

/* Reads the keys of the messages the current folder holds, once. */
static HRESULT load_folder(importer *im)
{
    if (im->policy == DUP_IMPORT || cli_seen_has(im->loaded, im->folder_key))
        return S_OK;
    if (!cli_seen_add(im->loaded, im->folder_key))
        return cli_set_error(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory");
    LPMAPITABLE t = NULL;
    HRESULT hr = IMAPIFolder_GetContentsTable(im->folder, 0, &t);
    SizedSPropTagArray(2, cols) = { 2, { PR_INTERNET_MESSAGE_ID_A, im->digest_tag } };
    if (hr == S_OK)
        hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    for (bool more = true; hr == S_OK && more && !cli_cancelled();) {
        LPSRowSet rows = NULL;
        hr = IMAPITable_QueryRows(t, 1000, 0, &rows);
        for (ULONG i = 0; hr == S_OK && i < rows->cRows; i++) {
            const SPropValue *p = rows->aRow[i].lpProps;
            const char *msgid = PROP_TYPE(p[0].ulPropTag) == PT_STRING8 ? p[0].Value.lpszA : NULL;
            const BYTE *digest = PROP_TYPE(p[1].ulPropTag) == PT_BINARY &&
                                         p[1].Value.bin.cb == DIGEST_BYTES
                                     ? p[1].Value.bin.lpb
                                     : NULL;
            unsigned char key[CLI_SEEN_KEY];
            bool keyed = digest != NULL || (im->policy == DUP_MESSAGE_ID && msgid && *msgid);
            if (keyed)
                message_key(im, msgid, digest, key);
            if (keyed && !cli_seen_add(im->seen, key))
                hr = cli_set_error(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory");
        }
        more = hr == S_OK && rows->cRows > 0;
        if (rows != NULL)
            FreeProws(rows);
    }
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

/* The current folder's entry ID, hashed into folder_key. */
static HRESULT set_folder_key(importer *im)
{
    LPSPropValue eid = NULL;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)im->folder, PR_ENTRYID, &eid);
    if (hr == S_OK)
        crypto_generichash(im->folder_key, CLI_SEEN_KEY, eid->Value.bin.lpb, eid->Value.bin.cb,
                           NULL, 0);
    MAPIFreeBuffer(eid);
    return hr;
}

/* ---- saving ------------------------------------------------------------------------ */

/* Saves the group in hand: all at once, or one by one if one of them
 * makes that fail. */
static void flush(importer *im, const char *where)
{
    if (im->n == 0)
        return;
    HRESULT hr = fmapi_message_save_group(im->n, im->group, 0);
    bool saved[GROUP];
    for (ULONG i = 0; i < im->n; i++)
        saved[i] = hr == S_OK;
    if (hr == S_OK) {
        im->imported += im->n;
        for (ULONG i = 0; i < im->n; i++)
            cli_seen_add(im->seen, im->keys[i]);
    } else if (store_failure(hr)) {
        stop_on(im, hr, where);
    } else {
        for (ULONG i = 0; i < im->n && im->failed == S_OK; i++) {
            HRESULT one = IMessage_SaveChanges(im->group[i], 0);
            saved[i] = one == S_OK;
            if (one == S_OK) {
                im->imported++;
                cli_seen_add(im->seen, im->keys[i]);
            } else if (store_failure(one)) {
                stop_on(im, one, where);
            } else {
                report_skip(im, where, NO_POSITION, one, fmapi_last_error());
            }
        }
    }
    /* Trashed mail stays marked deleted, not live. */
    for (ULONG i = 0; i < im->n; i++) {
        if (saved[i] && (im->marks[i] & FMAPI_MAILBOX_DELETED))
            im->mime->mailbox_mark_deleted(im->folder, im->group[i]);
    }
    for (ULONG i = 0; i < im->n; i++)
        IMessage_Release(im->group[i]);
    im->n = 0;
    if (!cli_progress_step(im->progress, im->imported, 0))
        im->stop = true;
}

/* Delivery time for messages without a Received header: their Date. */
static void default_delivery_time(LPMESSAGE m)
{
    LPSPropValue v = NULL;
    if (HrGetOneProp((LPMAPIPROP)m, PR_MESSAGE_DELIVERY_TIME, &v) == S_OK) {
        MAPIFreeBuffer(v);
        return;
    }
    if (HrGetOneProp((LPMAPIPROP)m, PR_CLIENT_SUBMIT_TIME, &v) == S_OK) {
        v->ulPropTag = PR_MESSAGE_DELIVERY_TIME;
        HrSetOneProp((LPMAPIPROP)m, v);
    }
    MAPIFreeBuffer(v);
}

/* What the converter repaired in a message, or kept as it came: one line
 * each on stderr. */
static void report_warnings(importer *im, const char *where, unsigned long long pos)
{
    const char *w = im->mime->last_warnings();
    while (*w && !im->c->quiet) {
        const char *nl = strchr(w, '\n');
        int n = nl ? (int)(nl - w) : (int)strlen(w);
        char at[48] = "";
        if (pos != NO_POSITION)
            snprintf(at, sizeof at, " (message at byte %llu)", pos);
        fprintf(stderr, "%s: %s%s: warning: %.*s\n", im->c->prog, where, at, n, w);
        w += n + (nl != NULL);
    }
}

/* The digest goes on the message, saved with it. For --duplicates
 * message-id the key is known only now, from the converted Message-ID. */
static HRESULT mark(importer *im, LPMESSAGE m, const BYTE *digest, unsigned char *key,
                    bool *dup)
{
    SPropValue v = { .ulPropTag = im->digest_tag, .Value.bin = { DIGEST_BYTES, (LPBYTE)digest } };
    HRESULT hr = HrSetOneProp((LPMAPIPROP)m, &v);
    if (hr != S_OK || im->policy != DUP_MESSAGE_ID)
        return hr;
    LPSPropValue id = NULL;
    if (HrGetOneProp((LPMAPIPROP)m, PR_INTERNET_MESSAGE_ID_A, &id) != S_OK)
        id = NULL;
    message_key(im, id ? id->Value.lpszA : NULL, digest, key);
    MAPIFreeBuffer(id);
    *dup = known(im, key);
    return hr;
}

/* Where one message's MIME comes from: bytes in memory (a message of an
 * mbox or a Maildir, or an .eml read whole), or an open file (an .eml,
 * streamed: a large file is never held whole). digest: of those bytes. */
typedef struct mime_source {
    const void *data;
    size_t len;
    int fd; /* -1: data */
    BYTE digest[DIGEST_BYTES];
} mime_source;

static void digest_bytes(mime_source *src)
{
    crypto_generichash(src->digest, DIGEST_BYTES, src->data, src->len, NULL, 0);
}

/* One message: it joins the group in hand, or is reported and skipped. */
static void import_one(importer *im, const mime_source *src, ULONG flags, const char *where,
                       unsigned long long pos)
{
    if (im->stop || cli_cancelled()) {
        im->stop = true; /* a message the input cut short at a signal */
        return;
    }
    HRESULT hr = load_folder(im);
    if (hr != S_OK) {
        stop_on(im, hr, where);
        return;
    }
    /* by digest, a message already there is known before it is converted */
    message_key(im, NULL, src->digest, im->keys[im->n]);
    if (im->policy == DUP_SKIP && known(im, im->keys[im->n])) {
        im->duplicates++;
        return;
    }
    LPMESSAGE m = NULL;
    hr = IMAPIFolder_CreateMessage(im->folder, NULL, 0, &m);
    /* CCSF_EMBEDDED_MESSAGE: received mail is not a draft (only X-Unsent: 1
     * keeps a message unsent); set_read then follows the source. */
    const ULONG ccsf = CCSF_SMTP | CCSF_INCLUDE_BCC | CCSF_EMBEDDED_MESSAGE;
    if (hr == S_OK)
        hr = src->fd >= 0 ? im->mime->import_fd(src->fd, m, ccsf)
                          : im->mime->import_buffer(src->data, src->len, m, ccsf);
    const char *text = hr == S_OK ? NULL : im->mime->last_error();
    if (hr == S_OK)
        report_warnings(im, where, pos);
    if (hr == S_OK)
        hr = im->mime->mailbox_set_flags(m, flags);
    if (hr == S_OK)
        default_delivery_time(m);
    bool dup = false;
    if (hr == S_OK)
        hr = mark(im, m, src->digest, im->keys[im->n], &dup);
    if (hr != S_OK || dup) {
        char copy[512];
        snprintf(copy, sizeof copy, "%s", text && *text ? text : fmapi_last_error());
        if (m != NULL)
            IMessage_Release(m);
        if (dup)
            im->duplicates++;
        else if (store_failure(hr))
            stop_on(im, hr, where);
        else
            report_skip(im, where, pos, hr, copy);
        return;
    }
    im->marks[im->n] = flags;
    im->group[im->n++] = m;
    if (im->n == GROUP)
        flush(im, where);
}

/* ---- inputs --------------------------------------------------------------------- */

/* Maildir++ "Sub/Folder" under the target, made when missing. */
static HRESULT enter_folder(importer *im, const char *name)
{
    if (strcmp(name, im->folder_name) == 0)
        return S_OK;
    flush(im, name);
    if (im->folder != im->top)
        IMAPIFolder_Release(im->folder);
    im->folder = im->top;
    snprintf(im->folder_name, sizeof im->folder_name, "%s", name);
    char *copy = strdup(name), *save = NULL;
    HRESULT hr = copy ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    for (char *p = copy ? strtok_r(copy, "/", &save) : NULL; hr == S_OK && p;
         p = strtok_r(NULL, "/", &save)) {
        LPMAPIFOLDER child = NULL;
        hr = IMAPIFolder_CreateFolder(im->folder, FOLDER_GENERIC, (LPTSTR)p, NULL, NULL,
                                      OPEN_IF_EXISTS, &child);
        if (im->folder != im->top)
            IMAPIFolder_Release(im->folder);
        im->folder = hr == S_OK ? child : im->top;
    }
    free(copy);
    HRESULT keyed = set_folder_key(im);
    return hr == S_OK ? keyed : hr;
}

/* An mbox, or a FIFO or pipe of one through a relay (relay.c). */
static HRESULT import_mbox(importer *im, const char *path)
{
    char lib_path[64];
    cli_relay *relay = NULL;
    if (cli_relay_needed(path)) {
        HRESULT hr = cli_relay_open(path, false, &relay, lib_path, sizeof lib_path);
        if (hr != S_OK)
            return hr;
    }
    fmapi_mbox_reader *r = NULL;
    HRESULT hr = im->mime->mbox_open(relay ? lib_path : path, &r);
    fmapi_mailbox_entry e;
    while (hr == S_OK && !im->stop && (hr = im->mime->mbox_next(r, &e)) == S_OK) {
        mime_source src = { e.data, e.len, e.fd, { 0 } }; /* a large message streams from fd */
        digest_bytes(&src); /* data maps the bytes even when fd streams them */
        import_one(im, &src, e.flags, path, e.offset);
    }
    if (r != NULL)
        im->mime->mbox_close(r);
    flush(im, path);
    HRESULT relayed = cli_relay_close(relay);
    if (hr == MAPI_E_NOT_FOUND)
        hr = S_OK;
    return hr == S_OK && !cli_cancelled() ? relayed : hr;
}

static HRESULT import_maildir(importer *im, const char *path)
{
    fmapi_maildir_reader *r = NULL;
    HRESULT hr = im->mime->maildir_open(path, FMAPI_MAILDIR_RECURSE | FMAPI_MAILDIR_FOLDERS, &r);
    if (hr != S_OK)
        return hr;
    fmapi_mailbox_entry e;
    while (!im->stop && !cli_cancelled()) {
        hr = im->mime->maildir_next(r, &e);
        if (hr == MAPI_E_NOT_FOUND) {
            hr = S_OK;
            break;
        }
        if (hr != S_OK) {
            report_skip(im, path, NO_POSITION, hr, im->mime->last_error());
            continue;
        }
        if (enter_folder(im, e.folder ? e.folder : "") != S_OK) {
            report_skip(im, e.path ? e.path : path, NO_POSITION, MAPI_E_CALL_FAILED,
                        "its folder could not be made");
            continue;
        }
        if (e.flags & FMAPI_MAILBOX_FOLDER)
            continue; /* a folder, made even when empty */
        mime_source src = { e.data, e.len, e.fd, { 0 } };
        digest_bytes(&src); /* data maps the bytes even when fd streams them */
        import_one(im, &src, e.flags, e.path ? e.path : path, NO_POSITION);
    }
    im->mime->maildir_close(r);
    flush(im, path);
    enter_folder(im, "");
    return hr;
}

/* The digest of a regular file, read through, then back to its start. */
static HRESULT digest_fd(int fd, BYTE *digest)
{
    static unsigned char buf[65536];
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, DIGEST_BYTES);
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR && !cli_cancelled())
            continue;
        if (n < 0)
            return cli_set_error(cli_errno_hr(errno), "cannot read the file: %s",
                                 strerror(errno));
        if (n == 0)
            break;
        crypto_generichash_update(&h, buf, (size_t)n);
    }
    crypto_generichash_final(&h, digest, DIGEST_BYTES);
    if (lseek(fd, 0, SEEK_SET) != 0)
        return cli_set_error(cli_errno_hr(errno), "cannot read the file again: %s",
                             strerror(errno));
    return S_OK;
}

/* An .eml from a FIFO or pipe (through a relay), read whole: it cannot be
 * read twice, once for its digest and once to convert it. */
static HRESULT import_eml_relayed(importer *im, const char *path)
{
    char lib_path[64];
    cli_relay *relay = NULL;
    HRESULT hr = cli_relay_open(path, false, &relay, lib_path, sizeof lib_path);
    if (hr != S_OK)
        return hr;
    int fd = open(lib_path, O_RDONLY | O_CLOEXEC);
    char *data = NULL;
    size_t len = 0, cap = 0;
    while (hr == S_OK && fd >= 0) {
        if (len == cap) {
            char *grown = realloc(data, cap = cap ? 2 * cap : 65536);
            if (grown == NULL) {
                hr = cli_set_error(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading %s", path);
                break;
            }
            data = grown;
        }
        ssize_t n = read(fd, data + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    if (fd >= 0)
        close(fd);
    HRESULT relayed = cli_relay_close(relay);
    if (hr == S_OK)
        hr = relayed;
    if (hr == S_OK && !cli_cancelled()) {
        mime_source src = { data, len, -1, { 0 } };
        digest_bytes(&src);
        import_one(im, &src, 0, path, NO_POSITION);
    }
    free(data);
    return hr;
}

/* An .eml file, streamed from its descriptor. Opened without waiting (a
 * FIFO in a directory of .eml files would block the open) and refused
 * when it is not a regular file. */
static HRESULT import_eml(importer *im, const char *path, bool relay_ok)
{
    if (relay_ok && cli_relay_needed(path))
        return import_eml_relayed(im, path);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return cli_set_error(cli_errno_hr(errno), "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    HRESULT hr = S_OK;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        hr = cli_set_error(MAPI_E_INVALID_PARAMETER, "%s is not a regular file", path);
    mime_source src = { NULL, 0, fd, { 0 } };
    if (hr == S_OK)
        hr = digest_fd(fd, src.digest);
    if (hr == S_OK)
        import_one(im, &src, 0, path, NO_POSITION);
    close(fd);
    return hr;
}

static HRESULT import_eml_dir(importer *im, const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return cli_set_error(cli_errno_hr(errno), "cannot read the directory %s: %s", path,
                             strerror(errno));
    struct dirent *e;
    while (!im->stop && !cli_cancelled() && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".eml") != 0)
            continue;
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        HRESULT hr = import_eml(im, file, false);
        if (hr != S_OK)
            report_skip(im, file, NO_POSITION, hr, fmapi_last_error());
    }
    closedir(d);
    flush(im, path);
    return S_OK;
}

/* eml, mbox or maildir, from --format or what the path looks like. */
static const char *detect(const char *path, const char *format)
{
    if (format != NULL)
        return format;
    struct stat st;
    if (stat(path, &st) != 0)
        return "eml";
    if (S_ISDIR(st.st_mode)) {
        char cur[4096];
        snprintf(cur, sizeof cur, "%s/cur", path);
        return stat(cur, &st) == 0 ? "maildir" : "emldir";
    }
    char head[5] = "";
    int fd = S_ISREG(st.st_mode) ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        ssize_t n = read(fd, head, 5);
        close(fd);
        if (n == 5 && memcmp(head, "From ", 5) == 0)
            return "mbox";
    }
    return "eml"; /* a FIFO cannot be peeked at: --format says what it is */
}

/* ---- the command ------------------------------------------------------------------ */

static HRESULT digest_property(importer *im)
{
    MAPINAMEID name = { &PS_FREEMAPI_IMPORT, MNID_STRING, { .lpwstrName = DIGEST_NAME } };
    LPMAPINAMEID names[1] = { &name };
    LPSPropTagArray tags = NULL;
    HRESULT hr = IMsgStore_GetIDsFromNames(im->c->mdb, 1, names, MAPI_CREATE, &tags);
    if (hr == S_OK)
        im->digest_tag = PROP_TAG(PT_BINARY, PROP_ID(tags->aulPropTag[0]));
    MAPIFreeBuffer(tags);
    return hr;
}

static int parse_import(cli *c, int argc, char **argv, const char **folder,
                        const char **format, dup_policy *policy, int *first)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if ((strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--folder") == 0) && i + 1 < argc)
            *folder = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            *format = argv[++i];
        else if (strcmp(argv[i], "--duplicates") == 0 && i + 1 < argc) {
            const char *p = argv[++i];
            if (strcmp(p, "skip") == 0)
                *policy = DUP_SKIP;
            else if (strcmp(p, "message-id") == 0)
                *policy = DUP_MESSAGE_ID;
            else if (strcmp(p, "import") == 0)
                *policy = DUP_IMPORT;
            else
                return cli_error(c, EXIT_USAGE, "import: --duplicates is skip, message-id or "
                                                "import");
        } else
            return cli_error(c, EXIT_USAGE, "import: unknown option %s", argv[i]);
    }
    if (*format && strcmp(*format, "eml") && strcmp(*format, "mbox") && strcmp(*format, "maildir") &&
        strcmp(*format, "msg"))
        return cli_error(c, EXIT_USAGE, "import: --format is eml, mbox, maildir or msg");
    if (i == argc)
        return cli_error(c, EXIT_USAGE, "import: what to import? (see --help)");
    *first = i;
    return EXIT_OK;
}

/* A .msg file: known by the digest of its bytes as any message is, and
 * saved alone with that digest, so a re-run does not import it twice. */
static void import_msg(importer *im, const char *path)
{
    flush(im, path);
    HRESULT hr = load_folder(im);
    if (hr != S_OK) {
        stop_on(im, hr, path);
        return;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    BYTE digest[DIGEST_BYTES];
    hr = fd < 0 ? cli_set_error(cli_errno_hr(errno), "cannot open it: %s", strerror(errno))
                : digest_fd(fd, digest);
    if (fd >= 0)
        close(fd);
    if (hr != S_OK) {
        report_skip(im, path, NO_POSITION, hr, fmapi_last_error());
        return;
    }
    unsigned char key[CLI_SEEN_KEY];
    message_key(im, NULL, digest, key);
    if (im->policy == DUP_SKIP && known(im, key)) {
        im->duplicates++;
        return;
    }
    LPMESSAGE m = NULL;
    hr = cli_msg_read(im->c, im->folder, path, &m);
    if (FAILED(hr)) {
        im->skipped++; /* reported by cli_msg_read */
        return;
    }
    bool lossy = hr == MAPI_W_ERRORS_RETURNED, dup = false;
    hr = mark(im, m, digest, key, &dup);
    if (hr == S_OK && !dup)
        hr = IMessage_SaveChanges(m, 0);
    IMessage_Release(m);
    if (hr == S_OK && dup) {
        im->duplicates++;
    } else if (hr == S_OK) {
        im->imported++;
        im->skipped += lossy; /* imported, but not whole */
        if (!cli_seen_add(im->seen, key))
            stop_on(im, cli_set_error(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory"), path);
    } else if (store_failure(hr)) {
        stop_on(im, hr, path);
    } else {
        report_skip(im, path, NO_POSITION, hr, fmapi_last_error());
    }
}

static HRESULT import_path(importer *im, const char *path, const char *format)
{
    if (cli_msg_is_msg(path, format)) {
        import_msg(im, path);
        im->stop = im->stop || !cli_progress_step(im->progress, im->imported, 0);
        return S_OK;
    }
    const char *kind = detect(path, format);
    if (strcmp(kind, "mbox") == 0)
        return import_mbox(im, path);
    if (strcmp(kind, "maildir") == 0)
        return import_maildir(im, path);
    if (strcmp(kind, "emldir") == 0)
        return import_eml_dir(im, path);
    HRESULT hr = import_eml(im, path, true);
    flush(im, path);
    return hr;
}

static int run_import(cli *c, int argc, char **argv)
{
    if (cli_pst_wanted(argc, argv))
        return cli_pst_import(c, argc, argv);
    const char *folder = "Inbox", *format = NULL;
    importer im = { .c = c, .policy = DUP_SKIP };
    int i = 0, code = parse_import(c, argc, argv, &folder, &format, &im.policy, &i);
    if (code != EXIT_OK)
        return code;
    if ((im.mime = cli_mime_load(c)) == NULL)
        return cli_fail(c, "import", MAPI_E_NOT_FOUND);
    if (sodium_init() < 0)
        return cli_error(c, EXIT_FAILED, "import: libsodium cannot be initialized");
    HRESULT hr = cli_folder_open(c, folder, true, &im.top);
    if (hr != S_OK)
        return cli_fail(c, folder, hr);
    im.folder = im.top;
    im.seen = cli_seen_new();
    im.loaded = cli_seen_new();
    if (im.seen == NULL || im.loaded == NULL)
        hr = cli_set_error(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory");
    if (hr == S_OK)
        hr = digest_property(&im);
    if (hr == S_OK)
        hr = set_folder_key(&im);
    if (hr != S_OK)
        code = cli_fail(c, folder, hr);
    im.progress = cli_progress_new(c, "import");
    for (; code == EXIT_OK && i < argc && !im.stop && !cli_cancelled(); i++) {
        hr = import_path(&im, argv[i], format);
        if (hr != S_OK && im.failed == S_OK && !cli_cancelled())
            code = cli_fail(c, argv[i], hr);
    }
    flush(&im, "");
    cli_progress_done(im.progress);
    if (im.folder != im.top)
        IMAPIFolder_Release(im.folder);
    IMAPIFolder_Release(im.top);
    cli_seen_free(im.seen);
    cli_seen_free(im.loaded);
    if (c->json)
        printf("{\"imported\":%lu,\"skipped\":%lu,\"duplicates\":%lu}\n", im.imported,
               im.skipped, im.duplicates);
    else if (!c->quiet)
        fprintf(stderr, "import: %lu imported, %lu skipped, %lu already there\n", im.imported,
                im.skipped, im.duplicates);
    if (cli_cancelled())
        return EXIT_CANCELLED;
    if (im.failed != S_OK)
        return EXIT_FAILED;
    if (code == EXIT_OK && im.skipped > 0)
        code = EXIT_PARTIAL;
    return code;
}

const cli_command CMD_IMPORT = {
    "import", run_import, "import EML files, mbox files or Maildir trees",
    "import [-f|--folder FOLDER] [--format eml|mbox|maildir|msg|pst|ost]\n"
    "       [--duplicates skip|message-id|import] PATH...\n\n"
    "Imports Internet messages into FOLDER (default Inbox). Each PATH is an .eml\n"
    "file, a directory of .eml files, an mbox file, or a Maildir (Maildir++\n"
    "subfolders, empty ones too, become subfolders of FOLDER), or an Outlook\n"
    ".msg file (a name ending in .msg), imported whole; --format overrides the\n"
    "guess (a FIFO or pipe is read as an .eml unless --format says mbox).\n"
    "Maildir flags and mbox Status/X-Status fields become the marks (read,\n"
    "answered, forwarded, flagged, draft, deleted); repairs are warnings.\n"
    "A message that cannot be read is reported with its position and skipped\n"
    "(exit 4); a failing store (a full disk) stops the import (exit 1); Ctrl-C\n"
    "stops cleanly, keeping what was imported (exit 130).\n"
    "Running the same import again finishes it: a message the folder already\n"
    "holds is not imported twice. --duplicates says what counts as held: skip\n"
    "(default) a message imported before from the same bytes (its Message-ID\n"
    "and a digest of its content, kept on the message); message-id any message\n"
    "of the folder with the same Message-ID; import imports every message.\n"
    "A .pst or .ost file (Outlook data file) brings its folder tree into the\n"
    "mailbox (under FOLDER when given): every message with every property;\n"
    "running it again continues instead of duplicating; damaged parts are\n"
    "reported and skipped (exit 4).",
    CLI_USES_MAILBOX,
};
