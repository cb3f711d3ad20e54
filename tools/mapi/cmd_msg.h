/*
 * tools/mapi/cmd_msg.h - the .msg parts of `mapi import` and `mapi export`
 * (cmd_msg.c), called from their dispatch.
 */
#ifndef MAPI_CMD_MSG_H
#define MAPI_CMD_MSG_H

#include "cli.h"

/* True when path is to be read as a .msg file (--format msg, or the name). */
bool cli_msg_is_msg(const char *path, const char *format);
/* Imports one .msg file into folder, counting and reporting. */
HRESULT cli_msg_import(cli *c, LPMAPIFOLDER folder, const char *path, unsigned long *imported,
                       unsigned long *skipped);
/* `mapi export --format msg OUT [MESSAGE...]`: argv[0] is OUT. */
int cli_msg_export(cli *c, const char *folder, bool recursive, int argc, char **argv);

#endif /* MAPI_CMD_MSG_H */
