/*
 * tools/mapi/cli.h - what the parts of the `mapi` command share: the run's
 * context (global options, the open mailbox), the table of subcommands,
 * output in text or JSON, progress, and the exit codes.
 *
 * The tool is a MAPI program like any other: it includes only the public
 * headers and reaches mailboxes through MAPI calls and freemapi's
 * documented extensions.
 */
#ifndef MAPI_CLI_H
#define MAPI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "freemapi.h"
#include "mapidefs.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

/* Exit codes (also in the man page). */
#define EXIT_OK 0
#define EXIT_FAILED 1    /* the operation failed; the message says why */
#define EXIT_USAGE 2     /* bad command line */
#define EXIT_NOT_FOUND 3 /* a folder, message, user or profile does not exist */
#define EXIT_PARTIAL 4   /* done, but some items were skipped (reported) */
#define EXIT_CANCELLED 130

typedef struct cli {
    const char *prog;
    const char *store_path; /* --store FILE: a store file, no site or profile */
    const char *site_dir;   /* --site DIR */
    const char *profile;    /* --profile NAME */
    bool json;
    bool quiet;
    bool tty; /* stderr is a terminal: progress bars */
    bool usage_error; /* an argument was refused and the message printed */
    bool read_only;   /* the command only reads the mailbox (CLI_READS_ONLY) */
    int reported;     /* nonzero: a failure was explained already; its exit code */
    LPMDB mdb; /* the open mailbox, once cli_mailbox opened it */
    void *session; /* the MAPI session behind mdb, when there is one */
} cli;

/* The global options a command acts on (cli_command.uses); main refuses
 * any other one given, so that no option is silently ignored. */
#define CLI_USES_MAILBOX 0x1u /* --store, --profile, MAPI_STORE: opens a mailbox */
#define CLI_USES_SITE 0x2u    /* --site: administers a site */
#define CLI_READS_ONLY 0x4u   /* with CLI_USES_MAILBOX: the mailbox is opened for reading */

typedef struct cli_command {
    const char *name;
    int (*run)(cli *c, int argc, char **argv);
    const char *summary;
    const char *usage; /* the --help text after "usage: mapi " */
    unsigned uses;     /* CLI_USES_* */
} cli_command;

/* All subcommands, NULL-terminated (main.c). */
extern const cli_command *const CLI_COMMANDS[];

/* ---- errors and help ----------------------------------------------------- */

/* Prints "mapi: <what>: <MAPI error name>: <library text>" and returns the
 * exit code that hr means. */
int cli_fail(cli *c, const char *what, HRESULT hr);
/* The MAPI code for an errno of a file operation (ENOSPC, EDQUOT and
 * EFBIG are MAPI_E_NOT_ENOUGH_DISK, EMFILE and ENFILE
 * MAPI_E_NOT_ENOUGH_RESOURCES, ...). */
HRESULT cli_errno_hr(int err);
/* Records hr with a formatted text as the thread's last error (what
 * cli_fail prints), and returns hr. */
HRESULT cli_set_error(HRESULT hr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "mapi: <message>" and returns code. */
int cli_error(cli *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* True when argv holds -h or --help; then the command's usage is printed. */
bool cli_wants_help(const cli_command *cmd, int argc, char **argv);
int cli_usage(const cli_command *cmd);

/* ---- arguments (args.c) --------------------------------------------------- */

/* The first number after every NNNNNN<ext> (".eml", ".msg") already in
 * dir: an export into a directory adds to what is there, never over it
 * (cmd_export.c). */
unsigned long cli_first_free_number(const char *dir, const char *ext);
/* A decimal number of digits only (no sign, no blanks) within lo..hi. */
bool cli_parse_number(const char *s, unsigned long long lo, unsigned long long hi,
                      unsigned long long *out);
/* True when path names no folder below the top of the mailbox: "", "/",
 * "//" (what an unset shell variable gives). */
bool cli_path_is_top(const char *path);
/* Reads one line of standard input (without its line end) into buf; false
 * at an end of input before any byte, or when a signal came. */
bool cli_read_line(char *buf, size_t cap);
/* `mapi site relay ARGS` (cmd_queue.c). */
int cli_site_relay(cli *c, int argc, char **argv);
/* True when name holds no control character (C0, DEL, C1). */
bool cli_name_is_clean(const char *name);

/* ---- the mailbox --------------------------------------------------------- */

/* Opens the mailbox the options name (or the default one) into c->mdb. */
HRESULT cli_mailbox(cli *c);
void cli_mailbox_close(cli *c);
/* Opens a folder by path ("Inbox", "Inbox/Projects"; "/" or "" = the IPM
 * subtree root; names are matched without case). MAPI_E_NOT_FOUND when a
 * part is missing. */
HRESULT cli_folder_open(cli *c, const char *path, bool writable, LPMAPIFOLDER *out);
/* Opens a message from a reference: a hex entry ID, or FOLDER:N (the N-th
 * row, from 1, of the folder's contents newest first, as `ls` numbers it). */
HRESULT cli_message_open(cli *c, const char *ref, bool writable, LPMESSAGE *out);
/* The entry ID a reference names (caller frees *eid with MAPIFreeBuffer). */
HRESULT cli_message_entryid(cli *c, const char *ref, LPSBinary *eid);

/* One reference of the command line, resolved. */
typedef struct cli_msgref {
    SBinary eid;    /* the message's entry ID */
    SBinary parent; /* its folder's entry ID */
    HRESULT hr;     /* S_OK, or why it is not there (MAPI_E_NOT_FOUND: gone) */
} cli_msgref;

/* Resolves refs[0..n) all at once, against the folders as they are now
 * (FOLDER:N numbers shift as messages go): *out is one MAPI buffer of n
 * entries. A reference that is neither an entry ID nor FOLDER:N with N in
 * 1..2^31 is a usage error (printed; c->usage_error set) before anything
 * is looked up; one that names no message gets hr MAPI_E_NOT_FOUND. */
HRESULT cli_refs_resolve(cli *c, int n, char **refs, cli_msgref **out);

/* ---- sessions, profiles and the site (session.c) ------------------------ */

/* MAPIInitialize once for the run (undone by cli_session_close). */
HRESULT cli_initialize(cli *c);
/* The profile plain `mapi` logs on with. */
#define CLI_DEFAULT_PROFILE "freemapi"
/* Logs on to --profile, or to the default profile (making the default
 * site, user and profile on first use, setup.c), and opens the session's
 * default store, for writing unless c->read_only. */
HRESULT cli_session_store(cli *c, LPMDB *out);
/* Whether the default profile logs on and has a store: S_OK,
 * MAPI_E_NOT_FOUND (no such profile), MAPI_E_UNCONFIGURED (half made). */
HRESULT cli_default_profile_state(void);
/* setup.c: makes (or finishes making) the default site, user and profile,
 * under a lock; never resets the password of a user that exists. */
HRESULT cli_setup_default(cli *c);
/* Whether an interrupted setup left its record in the default site. */
bool cli_setup_pending(cli *c);
void cli_session_close(cli *c);
/* mkdir -p, mode 0700 (failures show when the directory is used). */
void cli_mkdir_parents(const char *dir);
/* The site directory: --site, or the default one. */
const char *cli_site_dir(cli *c);
/* Creates profile holding one message service configured with cfg; on
 * failure no profile is left. */
HRESULT cli_profile_create(const char *profile, const char *service, const char *display,
                           ULONG ncfg, LPSPropValue cfg);
/* Creates profile with the site mailbox service for user of site_dir. */
HRESULT cli_profile_add_site_service(const char *profile, const char *site_dir,
                                     const char *user, const char *password);

/* ---- output --------------------------------------------------------------- */

/* JSON: one value at a time, commas and escaping handled here. */
typedef struct json_out {
    FILE *f;
    int depth;
    bool need_comma[64];
} json_out;

void json_begin_object(json_out *j);
void json_end_object(json_out *j);
void json_begin_array(json_out *j);
void json_end_array(json_out *j);
void json_key(json_out *j, const char *key);
void json_string(json_out *j, const char *utf8);
void json_int(json_out *j, long long v);
void json_bool(json_out *j, bool v);
void json_null(json_out *j);
/* A property value as JSON (strings, numbers, booleans, times as ISO 8601,
 * binaries as hex, errors and unknown types as null). */
void json_prop(json_out *j, const SPropValue *v);

/* A property value as text for tables (times as "YYYY-MM-DD HH:MM"). */
void cli_prop_text(const SPropValue *v, char *buf, size_t cap);
/* FILETIME <-> Unix seconds. */
long long cli_filetime_to_unix(FILETIME ft);
FILETIME cli_unix_to_filetime(long long secs);
/* Parses YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (UTC). */
bool cli_parse_date(const char *s, FILETIME *out);
/* Hex of a binary value into a malloc'd string. */
char *cli_hex(const SBinary *b);

/* ---- libfreemapi-mime, loaded when needed (mime.c) ------------------------- */

#include "freemapi_mime.h"

/* The MIME functions the tool calls, each typed as freemapi_mime.h
 * declares it. Commands call them through this table only: the program
 * does not link the library, so the commands that need no MIME never load
 * GMime and GLib. */
typedef struct cli_mime {
    bool loaded;
    __typeof__(fmapi_mime_import_fd) *import_fd;
    __typeof__(fmapi_mime_import_buffer) *import_buffer;
    __typeof__(fmapi_mime_export) *export_cb;
    __typeof__(fmapi_mime_last_error) *last_error;
    __typeof__(fmapi_mbox_open) *mbox_open;
    __typeof__(fmapi_mbox_next) *mbox_next;
    __typeof__(fmapi_mbox_close) *mbox_close;
    __typeof__(fmapi_mbox_writer_open) *mbox_writer_open;
    __typeof__(fmapi_mbox_writer_add_message) *mbox_writer_add_message;
    __typeof__(fmapi_mbox_writer_close) *mbox_writer_close;
    __typeof__(fmapi_maildir_open) *maildir_open;
    __typeof__(fmapi_maildir_next) *maildir_next;
    __typeof__(fmapi_maildir_close) *maildir_close;
    __typeof__(fmapi_maildir_deliver) *maildir_deliver;
    __typeof__(fmapi_maildir_deliver_message) *maildir_deliver_message;
    __typeof__(fmapi_maildir_make_folder) *maildir_make_folder;
    __typeof__(fmapi_mailbox_set_flags) *mailbox_set_flags;
    __typeof__(fmapi_mailbox_mark_deleted) *mailbox_mark_deleted;
    __typeof__(fmapi_mime_last_warnings) *last_warnings;
    __typeof__(fmapi_mime_deliver_fd) *deliver_fd;
} cli_mime;

/* Loads libfreemapi-mime once; NULL (with the reason as the last error,
 * MAPI_E_NOT_FOUND) when it cannot be. */
const cli_mime *cli_mime_load(cli *c);

/* ---- Outlook data files (cmd_pst.c) ------------------------------------------ */
/* True when an import or export command line names a .pst/.ost file or
 * --format pst/ost: that command is then cli_pst_import / cli_pst_export. */
bool cli_pst_wanted(int argc, char **argv);
int cli_pst_import(cli *c, int argc, char **argv);
int cli_pst_export(cli *c, int argc, char **argv);

/* ---- progress ------------------------------------------------------------ */

/* An IMAPIProgress that draws a bar with counts and rate on a terminal,
 * stays silent otherwise, and cancels (MAPI_E_USER_CANCEL) after Ctrl-C. */
LPMAPIPROGRESS cli_progress_new(cli *c, const char *label);
void cli_progress_done(LPMAPIPROGRESS p);
/* For the tool's own loops (import, export): count done of total (0 when
 * unknown). Returns false when the user pressed Ctrl-C. */
bool cli_progress_step(LPMAPIPROGRESS p, unsigned long done, unsigned long total);
/* Installs the SIGINT and SIGTERM handler (no SA_RESTART) and ignores
 * SIGXFSZ; cli_cancelled() reports a signal, and cli_interrupt_fd() is a
 * descriptor that becomes readable with it (for poll). */
void cli_catch_interrupt(void);
bool cli_cancelled(void);
int cli_interrupt_fd(void);

/* ---- a set of keys (seen.c): what import finds already there --------------- */

#define CLI_SEEN_KEY 16
typedef struct cli_seen cli_seen;
cli_seen *cli_seen_new(void);
void cli_seen_free(cli_seen *s);
bool cli_seen_has(const cli_seen *s, const unsigned char *key);
/* False when memory ran out (the key is then not in the set). */
bool cli_seen_add(cli_seen *s, const unsigned char *key);

/* ---- relays (relay.c) -------------------------------------------------------- */

/* A FIFO, pipe, socket or terminal given as a file to read or write goes
 * through a relay thread, so a signal stops a command blocked on it. */
typedef struct cli_relay cli_relay;
/* pipe() with both ends close-on-exec (and non-blocking if asked). */
int cli_pipe(int p[2], bool nonblock);
/* Whether path is such a file (an existing FIFO, socket or character
 * device other than /dev/null). */
bool cli_relay_needed(const char *path);
/* Starts a relay for path; lib_path receives the file to give the library
 * instead ("/proc/self/fd/N", one end of the relay's pipe). */
HRESULT cli_relay_open(const char *path, bool output, cli_relay **out, char *lib_path,
                       size_t cap);
/* Output: waits until everything written so far has been delivered (or
 * the relay failed, with the MAPI code of its errno, or a signal came,
 * MAPI_E_USER_CANCEL). NULL or an input relay: S_OK. */
HRESULT cli_relay_sync(cli_relay *r);
/* Ends the relay (an output's remaining bytes are delivered first) and
 * returns its failure, if any. NULL: S_OK. */
HRESULT cli_relay_close(cli_relay *r);

#endif /* MAPI_CLI_H */
