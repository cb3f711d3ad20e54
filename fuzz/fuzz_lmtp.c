/*
 * fuzz/fuzz_lmtp.c - libFuzzer harness for freemapid's LMTP command parser
 * (server/lmtp/lmtp_proto.c). Every input line must parse into a command or
 * a reply; a parsed path must be NUL-terminated within its bound and free
 * of control characters, and every reply must be a three-digit code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/lmtp/lmtp_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fm_lmtp_cmd cmd;
    char reply[256];
    /* Inputs are split into lines as a session would read them. */
    const char *p = (const char *)data, *end = p + size;
    while (p <= end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        memset(reply, 0, sizeof reply);
        if (fm_lmtp_parse(p, len, &cmd, reply, sizeof reply) != 0) {
            if (strlen(reply) < 4 || reply[0] < '4' || reply[0] > '5' || reply[3] != ' ')
                abort();
        } else {
            size_t n = strnlen(cmd.path, sizeof cmd.path);
            if (n > FM_LMTP_PATH_MAX)
                abort();
            if (cmd.verb == FM_LMTP_MAIL || cmd.verb == FM_LMTP_RCPT)
                for (size_t i = 0; i < n; i++)
                    if ((unsigned char)cmd.path[i] < 0x20)
                        abort();
        }
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    return 0;
}
