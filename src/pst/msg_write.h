/*
 * pst/msg_write.h - the messaging layer of the PST writer ([MS-PST] 2.4):
 * the store, the name-to-ID map, folders with their three tables, messages
 * with recipients and attachments, embedded messages. export.c drives it
 * from a MAPI store; the tests drive it directly.
 */
#ifndef FREEMAPI_PST_MSG_WRITE_H
#define FREEMAPI_PST_MSG_WRITE_H

#include "pst/pst.h"

typedef struct fm_pst_out fm_pst_out;
typedef struct fm_pst_msg fm_pst_msg;
typedef struct fm_pst_att fm_pst_att;

/* Opens a PST for writing. flags: FMAPI_PST_ANSI, FMAPI_PST_NO_ENCODING,
 * FMAPI_PST_CYCLIC. The store is named display_name (UTF-8). */
HRESULT fm_pst_out_open(const char *path, ULONG flags, const char *display_name,
                        fm_pst_out **out);
fm_pst_writer *fm_pst_out_writer(fm_pst_out *o);
/* The IPM subtree's NID: the parent of top-level folders. */
uint32_t fm_pst_out_ipm(const fm_pst_out *o);
/* A folder under parent with the given properties (display name, class
 * and any others); *nid out. wastebasket: it is the Deleted Items. */
HRESULT fm_pst_out_folder(fm_pst_out *o, uint32_t parent, const SPropValue *props, ULONG n,
                          bool wastebasket, uint32_t *nid);
/* Ends a folder's messages: its contents tables are written now (else at
 * the end). */
HRESULT fm_pst_out_folder_done(fm_pst_out *o, uint32_t nid);
/* The PST property ID of a named property (0x8000 and up), added to the
 * name map when new. */
HRESULT fm_pst_out_name_id(fm_pst_out *o, const MAPINAMEID *name, ULONG *id);
/* Writes everything pending and closes; the out is freed either way. */
HRESULT fm_pst_out_finish(fm_pst_out *o, uint64_t *size);
void fm_pst_out_abort(fm_pst_out *o);

/* A message of folder (assoc: of its associated contents). */
HRESULT fm_pst_msg_begin(fm_pst_out *o, uint32_t folder, bool assoc, fm_pst_msg **m);
/* Properties (already in PST IDs; PT_OBJECT, PT_ERROR ignored). */
HRESULT fm_pst_msg_props(fm_pst_msg *m, const SPropValue *props, ULONG n);
HRESULT fm_pst_msg_stream_begin(fm_pst_msg *m, ULONG tag, fm_pst_pc_stream *s);
/* All recipients at once (each row any properties). */
HRESULT fm_pst_msg_recipients(fm_pst_msg *m, const SRowSet *rows);
HRESULT fm_pst_att_begin(fm_pst_msg *m, fm_pst_att **a);
HRESULT fm_pst_att_props(fm_pst_att *a, const SPropValue *props, ULONG n);
HRESULT fm_pst_att_stream_begin(fm_pst_att *a, ULONG tag, fm_pst_pc_stream *s);
/* The attachment's embedded message (PR_ATTACH_DATA_OBJ); end it with
 * fm_pst_msg_end before the attachment. */
HRESULT fm_pst_att_embedded(fm_pst_att *a, fm_pst_msg **m);
HRESULT fm_pst_att_end(fm_pst_att *a);
/* Drops an attachment being written after a failure. */
void fm_pst_att_abort(fm_pst_att *a);
/* Ends the message (an embedded one returns to its attachment); frees m. */
HRESULT fm_pst_msg_end(fm_pst_msg *m);
/* Drops a message being written after a failure (and what it holds). */
void fm_pst_msg_abort(fm_pst_msg *m);

#endif /* FREEMAPI_PST_MSG_WRITE_H */
