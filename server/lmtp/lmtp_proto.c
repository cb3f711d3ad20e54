/*
 * server/lmtp/lmtp_proto.c - the LMTP command parser (lmtp_proto.h).
 *
 * Strict where a mistake would deliver mail wrongly (the path: one <...>,
 * printable ASCII or UTF-8, no controls, at most 256 octets), lenient
 * where MTAs differ harmlessly (a space after "FROM:", verbs in any case).
 */
#include "server/lmtp/lmtp_proto.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    fm_lmtp_verb verb;
} VERBS[] = {
    { "LHLO", FM_LMTP_LHLO }, { "MAIL", FM_LMTP_MAIL }, { "RCPT", FM_LMTP_RCPT },
    { "DATA", FM_LMTP_DATA }, { "RSET", FM_LMTP_RSET }, { "NOOP", FM_LMTP_NOOP },
    { "QUIT", FM_LMTP_QUIT }, { "VRFY", FM_LMTP_VRFY }, { "HELO", FM_LMTP_HELO },
    { "EHLO", FM_LMTP_HELO },
};

static int fail(char *reply, size_t cap, const char *text)
{
    snprintf(reply, cap, "%s", text);
    return 1;
}

/* The <path> at *p (leading spaces skipped) into out; *p moves past it. */
static bool parse_path(const char **p, const char *end, char *out)
{
    const char *s = *p;
    while (s < end && *s == ' ')
        s++;
    if (s >= end || *s != '<')
        return false;
    s++;
    size_t n = 0;
    bool quoted = false;
    while (s < end && (quoted || *s != '>')) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch == 0x7F || n >= FM_LMTP_PATH_MAX)
            return false;
        if (ch == '"')
            quoted = !quoted;
        out[n++] = (char)ch;
        s++;
    }
    if (s >= end || quoted)
        return false;
    out[n] = '\0';
    *p = s + 1;
    return true;
}

/* One "KEY=VALUE" of MAIL FROM (len bytes at s). */
static bool mail_param(const char *s, size_t len, fm_lmtp_cmd *cmd)
{
    if (len > 5 && strncasecmp(s, "SIZE=", 5) == 0) {
        uint64_t v = 0;
        for (size_t i = 5; i < len; i++) {
            if (s[i] < '0' || s[i] > '9' || v > UINT64_MAX / 10 - 1)
                return false;
            v = v * 10 + (uint64_t)(s[i] - '0');
        }
        cmd->size = v;
        return true;
    }
    if (len == 9 && strncasecmp(s, "BODY=7BIT", 9) == 0) {
        cmd->body = FM_LMTP_BODY_7BIT;
        return true;
    }
    if (len == 13 && strncasecmp(s, "BODY=8BITMIME", 13) == 0) {
        cmd->body = FM_LMTP_BODY_8BITMIME;
        return true;
    }
    return false;
}

/* MAIL FROM:<path> [params] or RCPT TO:<path> (no parameters). */
static int parse_mail_rcpt(const char *p, const char *end, fm_lmtp_cmd *cmd, char *reply,
                           size_t cap)
{
    const char *kw = cmd->verb == FM_LMTP_MAIL ? " FROM:" : " TO:";
    size_t k = strlen(kw);
    if ((size_t)(end - p) < k || strncasecmp(p, kw, k) != 0)
        return fail(reply, cap, cmd->verb == FM_LMTP_MAIL ? "501 5.5.4 Syntax: MAIL FROM:<address>"
                                                          : "501 5.5.4 Syntax: RCPT TO:<address>");
    p += k;
    if (!parse_path(&p, end, cmd->path))
        return fail(reply, cap, "501 5.1.7 Bad address syntax");
    if (cmd->verb == FM_LMTP_RCPT && cmd->path[0] == '\0')
        return fail(reply, cap, "501 5.1.3 An empty recipient address");
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        const char *q = p;
        while (q < end && *q != ' ')
            q++;
        if (q == p)
            break;
        if (cmd->verb == FM_LMTP_RCPT || !mail_param(p, (size_t)(q - p), cmd))
            return fail(reply, cap, "555 5.5.4 Unsupported parameter");
        p = q;
    }
    return 0;
}

int fm_lmtp_parse(const char *line, size_t len, fm_lmtp_cmd *cmd, char *reply, size_t cap)
{
    memset(cmd, 0, sizeof *cmd);
    cmd->verb = FM_LMTP_UNKNOWN;
    if (len > FM_LMTP_LINE_MAX)
        return fail(reply, cap, "500 5.5.2 Line too long");
    if (memchr(line, '\0', len) != NULL)
        return fail(reply, cap, "500 5.5.2 NUL in a command");
    if (len < 4)
        return 0;
    for (size_t i = 0; i < sizeof VERBS / sizeof VERBS[0]; i++)
        if (strncasecmp(line, VERBS[i].name, 4) == 0 && (len == 4 || line[4] == ' '))
            cmd->verb = VERBS[i].verb;
    const char *p = line + 4, *end = line + len;
    switch (cmd->verb) {
    case FM_LMTP_MAIL:
    case FM_LMTP_RCPT: return parse_mail_rcpt(p, end, cmd, reply, cap);
    case FM_LMTP_LHLO:
        while (p < end && *p == ' ')
            p++;
        if (p == end)
            return fail(reply, cap, "501 5.5.4 Syntax: LHLO hostname");
        snprintf(cmd->path, sizeof cmd->path, "%.*s", (int)(end - p), p);
        return 0;
    case FM_LMTP_DATA:
    case FM_LMTP_RSET:
    case FM_LMTP_QUIT:
        if (len != 4)
            return fail(reply, cap, "501 5.5.4 No parameters allowed");
        return 0;
    default: return 0; /* NOOP and VRFY take anything */
    }
}
