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
    LPMDB mdb; /* the open mailbox, once cli_mailbox opened it */
    void *session; /* the MAPI session behind mdb, when there is one */
} cli;

typedef struct cli_command {
    const char *name;
    int (*run)(cli *c, int argc, char **argv);
    const char *summary;
    const char *usage; /* the --help text after "usage: mapi " */
} cli_command;

/* All subcommands, NULL-terminated (main.c). */
extern const cli_command *const CLI_COMMANDS[];

/* ---- errors and help ----------------------------------------------------- */

/* Prints "mapi: <what>: <MAPI error name>: <library text>" and returns the
 * exit code that hr means. */
int cli_fail(cli *c, const char *what, HRESULT hr);
/* Prints "mapi: <message>" and returns code. */
int cli_error(cli *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* True when argv holds -h or --help; then the command's usage is printed. */
bool cli_wants_help(const cli_command *cmd, int argc, char **argv);
int cli_usage(const cli_command *cmd);

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

/* ---- sessions, profiles and the site (session.c) ------------------------ */

/* MAPIInitialize once for the run (undone by cli_session_close). */
HRESULT cli_initialize(cli *c);
/* Logs on to --profile, or to the default profile, creating the default
 * site, user and profile on first use. */
HRESULT cli_logon(cli *c);
/* The logged-on session's default store. */
HRESULT cli_session_store(cli *c, LPMDB *out);
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
/* Installs the SIGINT handler; cli_cancelled() reports a Ctrl-C. */
void cli_catch_interrupt(void);
bool cli_cancelled(void);

#endif /* MAPI_CLI_H */
