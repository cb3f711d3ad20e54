/*
 * simple/simple_composer.c - the dialogs of MAPISendMail (MAPI_DIALOG) and
 * MAPISendDocuments: the message is handed to the desktop's mail composer
 * through xdg-email (xdg-utils), which opens the user's mail program (or
 * what $MAILER names) with the recipients, subject, body and files filled
 * in, for the user to edit and send.
 *
 * The call returns once xdg-email has handed the message over; the user's
 * mail program sends it, so nothing is submitted here. When there is no
 * xdg-email, or xdg-email finds no mail program, the call fails with
 * MAPI_E_NOT_SUPPORTED and says so. Recipients go by address ("SMTP:" and
 * any other type prefix taken off), or by name when they have none.
 */
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "simple/simple.h"

extern char **environ;

/* xdg-email's exit codes (xdg-utils' manual). */
enum { XDG_OK = 0, XDG_SYNTAX = 1, XDG_NO_FILE = 2, XDG_NO_TOOL = 3, XDG_FAILED = 4,
       XDG_NO_PERMISSION = 5 };

static const char *recip_address(const MapiRecipDesc *r)
{
    const char *a = r->lpszAddress;
    if (a != NULL && a[0] != '\0') {
        const char *colon = strchr(a, ':');
        return colon != NULL && strchr(a, '@') > colon ? colon + 1 : a;
    }
    return r->lpszName;
}

/* xdg-email's path in $PATH into path; false when there is none. Looked
 * up first rather than learnt from a failed exec, which some posix_spawn
 * implementations report only as the child's exit status 127. */
static bool find_xdg_email(char *path, size_t size)
{
    const char *dirs = getenv("PATH");
    if (dirs == NULL || dirs[0] == '\0')
        dirs = "/usr/local/bin:/usr/bin:/bin";
    for (const char *d = dirs; *d != '\0';) {
        size_t n = strcspn(d, ":");
        if (n > 0 && (size_t)snprintf(path, size, "%.*s/xdg-email", (int)n, d) < size &&
            access(path, X_OK) == 0)
            return true;
        d += n;
        if (*d == ':')
            d++;
    }
    return false;
}

static ULONG run_xdg_email(char **argv, const char *what)
{
    pid_t pid;
    char path[PATH_MAX];
    int err = find_xdg_email(path, sizeof path)
                  ? posix_spawn(&pid, path, NULL, NULL, argv, environ)
                  : ENOENT;
    if (err == ENOENT) {
        fm_error_set(MAPI_E_NO_SUPPORT, "%s: no mail composer: xdg-email (xdg-utils) is not "
                                        "installed", what);
        return MAPI_E_NOT_SUPPORTED;
    }
    if (err != 0) {
        fm_error_set(MAPI_E_CALL_FAILED, "%s: cannot start xdg-email: %s", what, strerror(err));
        return MAPI_E_FAILURE;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fm_error_set(MAPI_E_CALL_FAILED, "%s: waiting for xdg-email: %s", what,
                         strerror(errno));
            return MAPI_E_FAILURE;
        }
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    switch (code) {
    case XDG_OK: return SUCCESS_SUCCESS;
    case XDG_NO_TOOL:
        fm_error_set(MAPI_E_NO_SUPPORT, "%s: xdg-email found no mail program on this desktop",
                     what);
        return MAPI_E_NOT_SUPPORTED;
    case XDG_NO_FILE:
        fm_error_set(MAPI_E_NOT_FOUND, "%s: xdg-email: an attached file does not exist", what);
        return MAPI_E_ATTACHMENT_NOT_FOUND;
    case XDG_NO_PERMISSION:
        fm_error_set(MAPI_E_NO_ACCESS, "%s: xdg-email: an attached file cannot be read", what);
        return MAPI_E_ATTACHMENT_OPEN_FAILURE;
    default:
        fm_error_set(MAPI_E_CALL_FAILED, "%s: the mail composer failed (xdg-email %s %d)", what,
                     code < 0 ? "killed, status" : "exit", code < 0 ? status : code);
        return MAPI_E_FAILURE;
    }
}

/* argv for xdg-email: options, then the To recipients. */
static ULONG build_argv(const MapiMessage *m, const char *const *paths, ULONG npaths,
                        char ***out)
{
    size_t cap = 4 + 2 * (size_t)m->nRecipCount + 2 * (size_t)npaths + 4 + 1;
    char **argv = fm_calloc(cap, sizeof *argv);
    if (argv == NULL)
        return MAPI_E_INSUFFICIENT_MEMORY;
    size_t n = 0;
    argv[n++] = "xdg-email";
    argv[n++] = "--utf8";
    for (ULONG i = 0; i < m->nRecipCount; i++) {
        const MapiRecipDesc *r = &m->lpRecips[i];
        const char *a = recip_address(r);
        if (a == NULL || (r->ulRecipClass != MAPI_CC && r->ulRecipClass != MAPI_BCC))
            continue;
        argv[n++] = r->ulRecipClass == MAPI_CC ? "--cc" : "--bcc";
        argv[n++] = (char *)a;
    }
    if (m->lpszSubject != NULL && m->lpszSubject[0] != '\0') {
        argv[n++] = "--subject";
        argv[n++] = m->lpszSubject;
    }
    if (m->lpszNoteText != NULL && m->lpszNoteText[0] != '\0') {
        argv[n++] = "--body";
        argv[n++] = m->lpszNoteText;
    }
    for (ULONG i = 0; i < npaths; i++) {
        argv[n++] = "--attach";
        argv[n++] = (char *)paths[i];
    }
    for (ULONG i = 0; i < m->nRecipCount; i++) {
        const char *a = recip_address(&m->lpRecips[i]);
        if (a != NULL && m->lpRecips[i].ulRecipClass == MAPI_TO)
            argv[n++] = (char *)a;
    }
    argv[n] = NULL;
    *out = argv;
    return SUCCESS_SUCCESS;
}

ULONG fm_simple_composer(const MapiMessage *m, const char *what)
{
    const char **paths = NULL;
    if (m->nFileCount > 0) {
        paths = fm_calloc(m->nFileCount, sizeof *paths);
        if (paths == NULL)
            return MAPI_E_INSUFFICIENT_MEMORY;
        for (ULONG i = 0; i < m->nFileCount; i++)
            paths[i] = m->lpFiles[i].lpszPathName;
    }
    char **argv = NULL;
    ULONG code = build_argv(m, paths, m->nFileCount, &argv);
    if (code == SUCCESS_SUCCESS)
        code = run_xdg_email(argv, what);
    fm_free(argv);
    fm_free(paths);
    return code;
}
