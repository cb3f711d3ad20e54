/*
 * tools/mapi/args.c - checking what the command line says before anything
 * is done with it: numbers within the range their use can hold, folder
 * paths that name a folder (not the top of the mailbox), and names without
 * control characters.
 *
 * A line read from standard input (a password) waits in poll() with the
 * interrupt pipe (progress.c), so a signal that comes before the read
 * starts ends it as surely as one that comes during it.
 *
 * Every numeric argument goes through cli_parse_number, so a value that
 * does not fit (FOLDER:4294967297 into a 32-bit row count, 49711 days into
 * 32-bit seconds) is a usage error instead of a wrapped number that names
 * something else.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

bool cli_parse_number(const char *s, unsigned long long lo, unsigned long long hi,
                      unsigned long long *out)
{
    /* digits only: strtoull would take a sign ("-1" is ULLONG_MAX) and
     * leading blanks */
    if (s == NULL || s[0] < '0' || s[0] > '9')
        return false;
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno == ERANGE || end == s || *end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

bool cli_path_is_top(const char *path)
{
    for (const char *p = path ? path : ""; *p; p++) {
        if (*p != '/')
            return false;
    }
    return true;
}

bool cli_name_is_clean(const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            return false; /* C0 controls and DEL */
        if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            return false; /* C1 controls (U+0080..U+009F) in UTF-8 */
    }
    return true;
}

bool cli_read_line(char *buf, size_t cap)
{
    size_t n = 0;
    bool got = false;
    while (n + 1 < cap) {
        struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 }, { cli_interrupt_fd(), POLLIN, 0 } };
        if (poll(p, p[1].fd >= 0 ? 2 : 1, -1) < 0 && errno != EINTR)
            break;
        if (cli_cancelled())
            break;
        if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        char ch;
        ssize_t r = read(STDIN_FILENO, &ch, 1); /* a byte at a time: nothing read past the line */
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got = true;
        if (ch == '\n')
            break;
        buf[n++] = ch;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return got && !cli_cancelled();
}
