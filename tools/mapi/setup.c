/*
 * tools/mapi/setup.c - the default site, user and profile, made on first
 * use so that the very first run is crash-safe and race-free.
 *
 * The steps (site, user with a random password, profile "freemapi" with the
 * site mailbox service remembering that password, the default mark) are
 * several MAPI calls, each atomic, none together. So:
 *
 *  - they run under an exclusive lock (flock of <site>/.mapi-setup.lock):
 *    concurrent first runs wait for the one that sets up, then log on to
 *    what it made; the kernel drops the lock of a killed process.
 *  - before the user is added, its alias and password are written to
 *    <site>/.mapi-setup.pending (0600, written whole then renamed, synced)
 *    and removed only when the profile is complete. A run that finds the
 *    record knows an interrupted setup made whatever exists, and finishes
 *    it with the same password: a user it added is given its profile, a
 *    half-made profile is made again.
 *  - a user that existed before (no record) keeps its password: other
 *    profiles may remember it, and resetting it would lock them out. The
 *    run stops and says how to make the profile by hand.
 *
 * The password is kept in the record only while setup is unfinished, in
 * the site directory (0700) that holds the mailboxes themselves, and in
 * the profile store as any remembered password is.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <unistd.h>

#include "cli.h"
#include "freemapi_site.h"

#define LOCK_FILE ".mapi-setup.lock"
#define PENDING_FILE ".mapi-setup.pending"
#define PENDING_TMP ".mapi-setup.pending.tmp"

typedef struct pending {
    char alias[128];
    char password[64];
} pending;

static void site_file(const char *dir, const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

/* The OS user's login name, used as the default mailbox's alias. */
static void os_user(char *alias, size_t cap, char *display, size_t dcap)
{
    struct passwd *pw = getpwuid(getuid());
    const char *name = pw && pw->pw_name ? pw->pw_name : "user";
    snprintf(alias, cap, "%s", name);
    const char *gecos = pw && pw->pw_gecos && pw->pw_gecos[0] ? pw->pw_gecos : name;
    snprintf(display, dcap, "%.*s", (int)strcspn(gecos, ","), gecos);
}

static HRESULT random_password(char *out, size_t cap)
{
    unsigned char raw[18];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        return cli_set_error(MAPI_E_CALL_FAILED, "no random bytes for a password: %s",
                               strerror(errno));
    static const char abc[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    size_t n = 0;
    for (; n < sizeof raw && n + 1 < cap; n++)
        out[n] = abc[raw[n] % (sizeof abc - 1)];
    out[n] = '\0';
    return S_OK;
}

/* ---- the lock --------------------------------------------------------------------- */

static HRESULT take_lock(cli *c, const char *dir, int *fd)
{
    char path[4200];
    site_file(dir, LOCK_FILE, path, sizeof path);
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (*fd < 0)
        return cli_set_error(cli_errno_hr(errno), "cannot open %s: %s", path,
                               strerror(errno));
    /* another first run holds it while it sets up: the wait is a poll of
     * the interrupt pipe between tries, so Ctrl-C ends it whenever it comes */
    for (;;) {
        if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
            return S_OK;
        HRESULT hr = errno == EWOULDBLOCK || errno == EINTR ? S_OK : cli_errno_hr(errno);
        struct pollfd p = { cli_interrupt_fd(), POLLIN, 0 };
        if (hr == S_OK)
            poll(&p, p.fd >= 0 ? 1 : 0, 20);
        if (hr == S_OK && cli_cancelled())
            hr = MAPI_E_USER_CANCEL;
        if (hr != S_OK) {
            HRESULT failed = cli_set_error(hr, "waiting for %s: %s", path,
                                           hr == MAPI_E_USER_CANCEL ? "interrupted"
                                                                    : strerror(errno));
            close(*fd);
            *fd = -1;
            return failed;
        }
    }
}

/* ---- the pending record ------------------------------------------------------------- */

/* Reads the record; false when there is none (or it is not whole, which
 * only a crash while writing the temporary file could leave: it was never
 * renamed into place, so the setup it belongs to added no user). */
static bool read_pending(const char *dir, pending *p)
{
    char path[4200], buf[256];
    site_file(dir, PENDING_FILE, path, sizeof path);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    char *nl = strchr(buf, '\n');
    char *end = nl ? strchr(nl + 1, '\n') : NULL;
    if (nl == NULL || end == NULL || nl == buf || end == nl + 1 ||
        (size_t)(nl - buf) >= sizeof p->alias || (size_t)(end - nl - 1) >= sizeof p->password)
        return false;
    snprintf(p->alias, sizeof p->alias, "%.*s", (int)(nl - buf), buf);
    snprintf(p->password, sizeof p->password, "%.*s", (int)(end - nl - 1), nl + 1);
    return true;
}

static HRESULT sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        HRESULT hr = cli_set_error(cli_errno_hr(errno), "cannot sync %s: %s", dir,
                                     strerror(errno));
        if (fd >= 0)
            close(fd);
        return hr;
    }
    close(fd);
    return S_OK;
}

/* Writes the record whole (temporary file, fsync, rename, directory sync),
 * so that it exists before the user it names. */
static HRESULT write_pending(const char *dir, const pending *p)
{
    char tmp[4200], path[4200], text[256];
    site_file(dir, PENDING_TMP, tmp, sizeof tmp);
    site_file(dir, PENDING_FILE, path, sizeof path);
    int len = snprintf(text, sizeof text, "%s\n%s\n", p->alias, p->password);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    bool ok = fd >= 0 && write(fd, text, (size_t)len) == len && fsync(fd) == 0;
    int err = errno;
    if (fd >= 0 && close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        unlink(tmp);
        return cli_set_error(cli_errno_hr(err), "cannot write %s: %s", path, strerror(err));
    }
    return sync_dir(dir);
}

static HRESULT remove_pending(const char *dir)
{
    char path[4200];
    site_file(dir, PENDING_FILE, path, sizeof path);
    if (unlink(path) != 0 && errno != ENOENT)
        return cli_set_error(cli_errno_hr(errno), "cannot remove %s: %s", path,
                               strerror(errno));
    return sync_dir(dir);
}

/* ---- the steps ------------------------------------------------------------------------ */

/* Item 9 of issue 14: the default profile is gone but its user is not. */
static HRESULT refuse_reset(cli *c, const char *dir, const char *alias)
{
    cli_error(c, EXIT_FAILED,
              "the default profile \"%s\" is missing, and the site %s already has the user "
              "\"%s\": mapi does not reset its password, which other profiles may remember.\n"
              "  Make the profile with its password:  mapi profile create %s --user %s "
              "--password-stdin\n"
              "                                        mapi profile default %s\n"
              "  or give the user a new password first: mapi user passwd %s --password-stdin",
              CLI_DEFAULT_PROFILE, dir, alias, CLI_DEFAULT_PROFILE, alias, CLI_DEFAULT_PROFILE,
              alias);
    c->reported = EXIT_FAILED;
    return MAPI_E_NO_ACCESS;
}

/* Removes a default profile an interrupted setup left half-made. */
static HRESULT drop_half_profile(void)
{
    LPPROFADMIN pa = NULL;
    HRESULT hr = MAPIAdminProfiles(0, &pa);
    if (hr == S_OK) {
        hr = IProfAdmin_DeleteProfile(pa, (LPTSTR)CLI_DEFAULT_PROFILE, 0);
        if (hr == MAPI_E_NOT_FOUND)
            hr = S_OK;
        IProfAdmin_Release(pa);
    }
    return hr;
}

/* The user of the record, added unless an interrupted setup did; *existed
 * says the alias was taken already. */
static HRESULT add_user(const char *dir, const pending *p, bool *existed)
{
    char alias[128], display[256], smtp[200];
    os_user(alias, sizeof alias, display, sizeof display);
    snprintf(smtp, sizeof smtp, "%s@localhost", p->alias);
    fmapi_site *site = NULL;
    HRESULT hr = fmapi_site_open(dir, FMAPI_SITE_CREATE, &site);
    if (hr == S_OK)
        hr = fmapi_site_add_user(site, p->alias, display, smtp, p->password);
    *existed = hr == MAPI_E_COLLISION;
    if (*existed)
        hr = S_OK;
    if (site != NULL)
        fmapi_site_close(site);
    return hr;
}

/* The last step of a setup: the profile becomes the default one. */
static HRESULT mark_default(void)
{
    LPPROFADMIN pa = NULL;
    HRESULT hr = MAPIAdminProfiles(0, &pa);
    if (hr == S_OK)
        hr = IProfAdmin_SetDefaultProfile(pa, (LPTSTR)CLI_DEFAULT_PROFILE, 0);
    if (pa != NULL)
        IProfAdmin_Release(pa);
    return hr;
}

static HRESULT make_profile(const char *dir, const pending *p)
{
    HRESULT hr = cli_profile_add_site_service(CLI_DEFAULT_PROFILE, dir, p->alias, p->password);
    return hr == S_OK ? mark_default() : hr;
}

/* Holding the lock: finishes (or starts) the setup. */
static HRESULT set_up(cli *c, const char *dir)
{
    pending p;
    bool resumed = read_pending(dir, &p);
    HRESULT hr = cli_default_profile_state();
    if (hr == S_OK && !resumed) /* another run finished it while this one waited */
        return S_OK;
    if (hr == S_OK) {
        /* a setup killed after it made the profile, before (or after) its
         * default mark: the mark is its last step, then the record goes */
        hr = mark_default();
        return hr == S_OK ? remove_pending(dir) : hr;
    }
    if (hr != MAPI_E_NOT_FOUND && hr != MAPI_E_UNCONFIGURED)
        return hr;
    if (!resumed) {
        char display[256];
        os_user(p.alias, sizeof p.alias, display, sizeof display);
        if ((hr = random_password(p.password, sizeof p.password)) != S_OK ||
            (hr = write_pending(dir, &p)) != S_OK)
            return hr;
    }
    bool existed = false;
    hr = drop_half_profile();
    if (hr == S_OK)
        hr = add_user(dir, &p, &existed);
    if (hr == S_OK && existed && !resumed) {
        remove_pending(dir);
        return refuse_reset(c, dir, p.alias);
    }
    if (hr == S_OK)
        hr = make_profile(dir, &p);
    /* the user existed before the interrupted setup that wrote the record */
    if (hr == MAPI_E_LOGON_FAILED && existed) {
        remove_pending(dir);
        return refuse_reset(c, dir, p.alias);
    }
    if (hr == S_OK)
        hr = remove_pending(dir);
    if (hr == S_OK && !c->quiet)
        fprintf(stderr, "%s: %s the site %s, user %s and profile %s\n", c->prog,
                resumed ? "finished setting up" : "created", dir, p.alias, CLI_DEFAULT_PROFILE);
    return hr;
}

bool cli_setup_pending(cli *c)
{
    char path[4200];
    site_file(cli_site_dir(c), PENDING_FILE, path, sizeof path);
    return access(path, F_OK) == 0;
}

HRESULT cli_setup_default(cli *c)
{
    const char *dir = cli_site_dir(c);
    cli_mkdir_parents(dir);
    int lock = -1;
    HRESULT hr = take_lock(c, dir, &lock);
    if (hr != S_OK)
        return hr;
    hr = set_up(c, dir);
    close(lock); /* drops the lock */
    return hr;
}
