/*
 * rop/rop_int.h - the ROP layer's shared internals.
 *
 *   rop.c          the session context and fm_rop_execute: the RPC_HEADER_EXT
 *                  framing ([MS-OXCRPC] 2.2.2.1), the ROP input buffer
 *                  ([MS-OXCROPS] 2.2.1), the dispatcher, RopBufferTooSmall
 *   rop_codec.c    little-endian readers and writers
 *   rop_lz77.c     the payload decompression of [MS-OXCRPC] 3.1.7.2
 *   rop_handles.c  the Server object handle table: handles to MAPI objects
 *   rop_logon.c    RopLogon, RopRelease
 *
 * A ROP handler reads its request from call->req (already past RopId,
 * LogonId and InputHandleIndex), writes its whole response to call->resp
 * and returns S_OK; MAPI_E_CORRUPT_DATA when its request cannot be parsed
 * (the whole buffer is then malformed), MAPI_E_NOT_ENOUGH_MEMORY when the
 * server ran out. A ROP's own failure is a response with a ReturnValue, not
 * a handler failure.
 */
#ifndef FREEMAPI_ROP_INT_H
#define FREEMAPI_ROP_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mapidefs.h"
#include "rop/rop.h"
#include "rop/rop_codec.h"

/* [MS-OXCRPC] 2.2.2.1 RPC_HEADER_EXT Flags. */
#define FM_RPC_COMPRESSED 0x0001
#define FM_RPC_XORMAGIC 0x0002
#define FM_RPC_LAST 0x0004
#define FM_RPC_HEADER_SIZE 8
/* [MS-OXCRPC] 3.1.4.2.1: a single payload MUST NOT exceed 32 KB. */
#define FM_RPC_MAX_PAYLOAD 0x8000

/* Return values of ROP responses ([MS-OXCDATA] 2.4, [MS-OXCROPS] 3.2.5.1). */
#define FM_EC_RPC_FORMAT 0x000004B6u  /* ecRpcFormat: input buffer unparsable */
#define FM_EC_NULL_OBJECT 0x000004B9u /* ecNullObject: bad handle index */
#define FM_EC_NOT_SUPPORTED 0x80040102u /* ecNotSupported (MAPI_E_NO_SUPPORT) */

/* [MS-OXCROPS] 2.2.2 RopIds used here. */
#define FM_ROP_RELEASE 0x01
#define FM_ROP_LOGON 0xFE
#define FM_ROP_BUFFER_TOO_SMALL 0xFF

/* What a Server object handle stands for. */
typedef enum fm_rop_kind {
    FM_ROP_OBJ_LOGON = 1,
    FM_ROP_OBJ_FOLDER,
    FM_ROP_OBJ_MESSAGE,
    FM_ROP_OBJ_TABLE,
    FM_ROP_OBJ_ATTACH,
    FM_ROP_OBJ_STREAM,
    FM_ROP_OBJ_NOTIFY, /* a RopRegisterNotification: unk is its advise sink */
} fm_rop_kind;

typedef struct fm_rop_object fm_rop_object;

/*
 * A Server object. It holds one reference on its MAPI object (unk) and one
 * on the object it was opened from (parent), so a folder keeps its logon's
 * store alive even after the logon's handle is released. An object lives
 * while its handle is in the table or a child holds it (refs).
 */
struct fm_rop_object {
    fm_rop_kind kind;
    unsigned refs;
    uint32_t handle;  /* 0xFFFFFFFF once released from the table */
    uint8_t logon_id;
    fm_rop_object *parent;
    LPUNKNOWN unk;    /* IMsgStore, IMAPIFolder, IMessage, IMAPITable, IAttach, IStream */
    void *state;      /* per kind (a table's columns, a logon's details) */
    void (*state_free)(void *state);
};

/* The handle table of one context: slot i holds the object of handle
 * (generation << 16 | i); a released slot's generation moves on, so an old
 * handle never finds the next object put there. */
typedef struct fm_rop_handles {
    fm_rop_object **slots;
    uint16_t *gens;
    size_t count;
    size_t cap;
} fm_rop_handles;

#define FM_ROP_NO_HANDLE 0xFFFFFFFFu
#define FM_ROP_MAX_OBJECTS 0xFFFF

struct fm_rop_context {
    fmapi_site *site;
    char *user;
    fm_rop_handles handles;
    fm_rop_object *logons[256]; /* by LogonId, borrowed from the table */
    fm_rop_waiter *notify;      /* RopNotify responses waiting (rop_notify.c) */
};

/* One ROP being processed. */
typedef struct fm_rop_call {
    fm_rop_context *ctx;
    uint8_t rop_id;
    uint8_t logon_id;
    uint8_t input_index;
    fm_rop_reader *req;
    fm_rop_writer *resp;
    uint32_t *table;     /* the ServerObjectHandleTable, updated in place */
    size_t table_len;
    size_t room;         /* bytes the response may still take */
    uint32_t created;    /* a handle this ROP put in the table, or FM_ROP_NO_HANDLE */
} fm_rop_call;

typedef HRESULT (*fm_rop_handler)(fm_rop_call *call);

/* rop_handles.c */
void fm_rop_handles_clear(fm_rop_handles *h);
/* Puts a new object (owning unk) in the table, a child of parent; *out
 * borrows it. On failure unk is released. */
HRESULT fm_rop_object_add(fm_rop_context *ctx, fm_rop_kind kind, fm_rop_object *parent,
                          uint8_t logon_id, LPUNKNOWN unk, fm_rop_object **out);
fm_rop_object *fm_rop_object_find(fm_rop_context *ctx, uint32_t handle);
/* Takes the object out of the table (RopRelease); it lives on while a child
 * holds it. */
void fm_rop_object_release(fm_rop_context *ctx, fm_rop_object *obj);

/* The object named by the request's InputHandleIndex, of one of the kinds
 * in the mask (1u << kind), or NULL with *ec set to the ReturnValue. */
fm_rop_object *fm_rop_input(fm_rop_call *call, uint8_t index, unsigned kinds, uint32_t *ec);
/* Stores obj's handle at OutputHandleIndex index (checked by the caller
 * with fm_rop_output_ok) and notes it as created by this call. */
void fm_rop_set_output(fm_rop_call *call, uint8_t index, fm_rop_object *obj);
bool fm_rop_output_ok(const fm_rop_call *call, uint8_t index);
/* fm_rop_input of call->input_index for a ROP with an OutputHandleIndex:
 * NULL with ecNullObject also when out_index is outside the table. */
fm_rop_object *fm_rop_input_out(fm_rop_call *call, unsigned kinds, uint8_t out_index,
                                uint32_t *ec);
/* The success head every ROP shares: RopId, the index, ReturnValue 0. */
void fm_rop_put_ok(fm_rop_call *call, uint8_t index);
/* A store failure as the ROP's failure response (S_OK), or
 * MAPI_E_NOT_ENOUGH_MEMORY for the handler to return. */
HRESULT fm_rop_failed(fm_rop_call *call, uint8_t index, HRESULT hr);
/* Puts unk (owned; released on failure) in the table as a child of parent
 * at out_index and writes the success head; the ROP's own fields follow. */
HRESULT fm_rop_output_object(fm_rop_call *call, fm_rop_kind kind, fm_rop_object *parent,
                             uint8_t out_index, LPUNKNOWN unk);

/* The failure response every ROP shares: RopId, (Input|Output)HandleIndex,
 * ReturnValue ([MS-OXCROPS] 2.2.x "Failure Response Buffer"). */
void fm_rop_put_failure(fm_rop_call *call, uint8_t index, uint32_t ec);
/* An HRESULT of the store as a ReturnValue ([MS-OXCDATA] 2.4: the same
 * numbers; success warnings are answered as success). */
uint32_t fm_rop_ec(HRESULT hr);

/* What a logon holds beside its IMsgStore: whose mailbox, its UID. */
#define FM_ROP_REPLID 0x0001
typedef struct fm_rop_logon_state {
    MAPIUID uid;
    char *mailbox;
    bool revoked; /* the user lost the right to this mailbox (rop.c) */
    bool released; /* the logon's handle was released or its LogonId reused */
} fm_rop_logon_state;

/* rop_ids.c: FIDs and MIDs (see there for the mapping). */
uint64_t fm_rop_id_make(uint64_t id);
bool fm_rop_id_parse(uint64_t wire, uint64_t *id);
/* kind: FM_EID_FOLDER or FM_EID_MESSAGE (store/entryid.h). */
bool fm_rop_id_from_entryid(const fm_rop_logon_state *ls, const SBinary *eid, int kind,
                            uint64_t *wire);
bool fm_rop_id_to_entryid(const fm_rop_logon_state *ls, uint64_t wire, int kind,
                          BYTE eid[32]);
/* The logon state of obj's logon (obj or an ancestor). */
fm_rop_logon_state *fm_rop_logon_of(fm_rop_object *obj);

/* rop_folder.c: opens FID/MID `wire` (kind FM_EID_FOLDER or FM_EID_MESSAGE)
 * in the logon of `from`; a ReturnValue (0 with *out set). */
uint32_t fm_rop_open_id(fm_rop_object *from, uint64_t wire, int kind, ULONG flags,
                        LPUNKNOWN *out);
/* rop_table.c: PropertyTagCount (2) + PropertyTags into a fm_malloc'd
 * array; NULL with the reader bad, or with *oom. */
SPropTagArray *fm_rop_get_tags(fm_rop_reader *r, bool *oom);

/* rop_restrict.c: a Restriction ([MS-OXCDATA] 2.12) into one MAPI buffer
 * (*out NULL with the reader bad when malformed), and the SortOrderSet of
 * RopSortTable (SortOrderCount, CategoryCount, ExpandedCount, SortOrders). */
HRESULT fm_rop_get_restriction(fm_rop_reader *r, LPSRestriction *out);
HRESULT fm_rop_get_sort_orders(fm_rop_reader *r, LPSSortOrderSet *out);

/* rop_recipients.c: the recipient rows of msg as this layer reads them
 * (FreeProws), and the recipient part of RopOpenMessage's response
 * (RecipientCount ... RecipientRows, [MS-OXCROPS] 2.2.6.1.2) whose whole
 * response began at offset start of call->resp. */
HRESULT fm_rop_recipients_read(LPMESSAGE msg, LPSRowSet *out);
void fm_rop_put_open_recipients(fm_rop_call *call, const SRowSet *rows, size_t start);

/* rop_notify.c: the context's notification queue, and the RopNotify
 * responses waiting that fit in room bytes appended to w (in order). */
fm_rop_waiter *fm_rop_waiter_new(void);
void fm_rop_notify_drain(fm_rop_context *ctx, fm_rop_writer *w, size_t room);

/* rop_lz77.c: decompresses in[0..in_len) into exactly out_len bytes. */
HRESULT fm_rop_lz77_decompress(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len);

/* The handlers, by file. */
HRESULT fm_rop_logon(fm_rop_call *call);
HRESULT fm_rop_release(fm_rop_call *call);
HRESULT fm_rop_open_folder(fm_rop_call *call);
HRESULT fm_rop_get_hierarchy_table(fm_rop_call *call);
HRESULT fm_rop_get_contents_table(fm_rop_call *call);
HRESULT fm_rop_set_columns(fm_rop_call *call);
HRESULT fm_rop_query_rows(fm_rop_call *call);
HRESULT fm_rop_get_properties_specific(fm_rop_call *call);
HRESULT fm_rop_set_properties(fm_rop_call *call);
HRESULT fm_rop_open_message(fm_rop_call *call);
HRESULT fm_rop_create_message(fm_rop_call *call);
HRESULT fm_rop_save_changes_message(fm_rop_call *call);
HRESULT fm_rop_get_properties_all(fm_rop_call *call);
HRESULT fm_rop_get_properties_list(fm_rop_call *call);
HRESULT fm_rop_delete_properties(fm_rop_call *call);
HRESULT fm_rop_query_position(fm_rop_call *call);
HRESULT fm_rop_seek_row(fm_rop_call *call);
HRESULT fm_rop_sort_table(fm_rop_call *call);
HRESULT fm_rop_restrict(fm_rop_call *call);
HRESULT fm_rop_create_folder(fm_rop_call *call);
HRESULT fm_rop_delete_folder(fm_rop_call *call);
HRESULT fm_rop_delete_messages(fm_rop_call *call);
HRESULT fm_rop_hard_delete_messages(fm_rop_call *call);
HRESULT fm_rop_empty_folder(fm_rop_call *call);
HRESULT fm_rop_move_copy_messages(fm_rop_call *call);
HRESULT fm_rop_open_stream(fm_rop_call *call);
HRESULT fm_rop_read_stream(fm_rop_call *call);
HRESULT fm_rop_write_stream(fm_rop_call *call);
HRESULT fm_rop_commit_stream(fm_rop_call *call);
HRESULT fm_rop_get_stream_size(fm_rop_call *call);
HRESULT fm_rop_get_attachment_table(fm_rop_call *call);
HRESULT fm_rop_open_attachment(fm_rop_call *call);
HRESULT fm_rop_create_attachment(fm_rop_call *call);
HRESULT fm_rop_save_changes_attachment(fm_rop_call *call);
HRESULT fm_rop_submit_message(fm_rop_call *call);
HRESULT fm_rop_get_property_ids_from_names(fm_rop_call *call);
HRESULT fm_rop_get_names_from_property_ids(fm_rop_call *call);
HRESULT fm_rop_query_columns_all(fm_rop_call *call);
HRESULT fm_rop_get_receive_folder(fm_rop_call *call);
HRESULT fm_rop_remove_all_recipients(fm_rop_call *call);
HRESULT fm_rop_modify_recipients(fm_rop_call *call);
HRESULT fm_rop_read_recipients(fm_rop_call *call);
HRESULT fm_rop_register_notification(fm_rop_call *call);
HRESULT fm_rop_long_term_id_from_id(fm_rop_call *call);
HRESULT fm_rop_id_from_long_term_id(fm_rop_call *call);
HRESULT fm_rop_set_search_criteria(fm_rop_call *call); /* rop_search.c */
HRESULT fm_rop_get_search_criteria(fm_rop_call *call);

#endif /* FREEMAPI_ROP_INT_H */
