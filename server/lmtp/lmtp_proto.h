/*
 * server/lmtp/lmtp_proto.h - the LMTP command parser (RFC 2033 over
 * RFC 5321's command syntax): one command line into its verb, its path
 * and the ESMTP parameters freemapid supports (SIZE, BODY). It knows no
 * state and does no I/O, so the fuzzer (fuzz/fuzz_lmtp.c) drives it alone.
 */
#ifndef FREEMAPI_SERVER_LMTP_PROTO_H
#define FREEMAPI_SERVER_LMTP_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 5321 4.5.3.1: a path is at most 256 octets, a command line 512. */
#define FM_LMTP_PATH_MAX 256
#define FM_LMTP_LINE_MAX 512

typedef enum fm_lmtp_verb {
    FM_LMTP_LHLO,
    FM_LMTP_MAIL,
    FM_LMTP_RCPT,
    FM_LMTP_DATA,
    FM_LMTP_RSET,
    FM_LMTP_NOOP,
    FM_LMTP_QUIT,
    FM_LMTP_VRFY,
    FM_LMTP_HELO, /* HELO and EHLO: not LMTP (RFC 2033 4.1) */
    FM_LMTP_UNKNOWN,
} fm_lmtp_verb;

#define FM_LMTP_BODY_NONE 0
#define FM_LMTP_BODY_7BIT 1
#define FM_LMTP_BODY_8BITMIME 2

typedef struct fm_lmtp_cmd {
    fm_lmtp_verb verb;
    char path[FM_LMTP_PATH_MAX + 1]; /* MAIL, RCPT: inside the <>; LHLO: the name */
    uint64_t size;                   /* MAIL SIZE=, 0 when not given */
    int body;                        /* MAIL BODY= */
} fm_lmtp_cmd;

/*
 * Parses one line (len bytes, without its CRLF). Returns 0 and fills *cmd,
 * or the reply for a malformed command, written into reply (cap bytes):
 * "500 5.5.2 ...", "501 5.5.4 ...", "555 5.5.4 ..." (without CRLF).
 * A verb it does not know is FM_LMTP_UNKNOWN with 0 (the session answers).
 */
int fm_lmtp_parse(const char *line, size_t len, fm_lmtp_cmd *cmd, char *reply, size_t cap);

#endif /* FREEMAPI_SERVER_LMTP_PROTO_H */
