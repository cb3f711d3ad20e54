/*
 * tools/mapi/cmd_msg.h - the .msg parts of `mapi import` and `mapi export`
 * (cmd_msg.c), called from their dispatch.
 */
#ifndef MAPI_CMD_MSG_H
#define MAPI_CMD_MSG_H

#include "cli.h"

/* True when path is to be read as a .msg file (--format msg, or the name). */
bool cli_msg_is_msg(const char *path, const char *format);
/* Reads one .msg file into a new, unsaved message of folder (*out), for
 * the caller to add its import key to and save. S_OK; MAPI_W_ERRORS_RETURNED
 * when some properties could not be read (reported: imported with losses);
 * an error when the file cannot be imported (reported: skipped). */
HRESULT cli_msg_read(cli *c, LPMAPIFOLDER folder, const char *path, LPMESSAGE *out);
/* `mapi export --format msg OUT [MESSAGE...]`: argv[0] is OUT. */
int cli_msg_export(cli *c, const char *folder, bool recursive, int argc, char **argv);

#endif /* MAPI_CMD_MSG_H */
