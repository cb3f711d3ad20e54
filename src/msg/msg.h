/*
 * msg/msg.h - IMessage and IAttach on an OLE storage ([MS-OXMSG]): the
 * objects behind OpenIMsgOnIStg.
 *
 * A *tree* (one per top-level message) holds what the message, its
 * attachments and their embedded messages share: the caller's allocator
 * functions, the named-property map of __nameid_version1.0, the code page
 * of PT_STRING8 values, and one recursive mutex that every method takes.
 * Each *object* (a message or an attachment) keeps, for its storage:
 *
 *   - a *bag* (an IPropData from CreateIProp) with the properties read
 *     from the property stream and the value streams, pending changes
 *     included;
 *   - *stream properties*: values over FM_MSG_LOAD_MAX stay in their
 *     streams and are read with OpenProperty (GetProps answers them with
 *     MAPI_E_NOT_ENOUGH_MEMORY, as stores do);
 *   - *pending streams*: OpenProperty(MAPI_MODIFY) writes to a temporary
 *     stream of the object's storage that SaveChanges moves into place and
 *     Release without saving destroys;
 *   - *bad properties*: entries of the file that cannot be read (unknown
 *     type, missing or damaged stream), reported as PT_ERROR values with
 *     MAPI_E_CORRUPT_DATA so that nothing disappears silently;
 *   - the attributes of the property stream's entries (PROPATTR_*).
 *
 * A message also holds its recipient rows (read when opened, written at
 * its SaveChanges) and the list of its attachments; an attachment writes
 * its storage at its own SaveChanges, and its embedded message (a message
 * object on the attachment's __substg1.0_3701000D storage) at its own.
 */
#ifndef FREEMAPI_MSG_MSG_H
#define FREEMAPI_MSG_MSG_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "imessage.h"
#include "mapiutil.h"

/* Values up to this size are read into the bag; larger ones stay in their
 * streams. PT_STRING8 values of ANSI files are always read (to convert
 * them) up to FM_MSG_ANSI_MAX. */
#define FM_MSG_LOAD_MAX (64u * 1024u)
#define FM_MSG_ANSI_MAX (16u * 1024u * 1024u)
/* A multi-valued property is read whole: at most this many bytes. */
#define FM_MSG_MV_MAX (16u * 1024u * 1024u)
/* Embedded messages nest at most this deep. */
#define FM_MSG_MAX_DEPTH 64u

/* ---- the named-property map -------------------------------------------------- */
typedef struct fm_msg_name {
    GUID guid;
    ULONG kind; /* MNID_ID or MNID_STRING */
    LONG lid;
    WCHAR *name; /* fm_malloc'd, MNID_STRING */
    bool used;   /* false: a hole the file left */
} fm_msg_name;

typedef struct fm_msg_names {
    fm_msg_name *v; /* v[i] is property ID 0x8000 + i */
    size_t n, cap;
    bool dirty;
} fm_msg_names;

HRESULT fm_msg_names_load(fm_msg_names *m, IStorage *root);
HRESULT fm_msg_names_save(const fm_msg_names *m, IStorage *root);
void fm_msg_names_clear(fm_msg_names *m);
/* The ID of a name (0 when absent; create adds it). */
HRESULT fm_msg_names_id(fm_msg_names *m, const MAPINAMEID *name, bool create, ULONG *id);
/* The CRC-32 of [MS-OXRTFCP] 3.1.3.2 that [MS-OXMSG] 2.2.3.2.2.1 uses. */
uint32_t fm_msg_crc32(const unsigned char *p, size_t n);
uint32_t fm_msg_crc32_more(uint32_t crc, const unsigned char *p, size_t n);

/* ---- the tree --------------------------------------------------------------- */
typedef struct fm_msg_obj fm_msg_obj;

typedef struct fm_msg_tree {
    _Atomic ULONG refs;
    pthread_mutex_t lock; /* recursive */
    ALLOCATEBUFFER *alloc;
    ALLOCATEMORE *more;
    FREEBUFFER *free_buffer;
    IStorage *root_stg;
    fm_msg_names names;
    ULONG codepage;   /* of PT_STRING8 values in the file */
    bool writable;
    ULONG flags;      /* IMSG_NO_ISTG_COMMIT */
    MSGCALLRELEASE *on_release;
    ULONG caller_data;
    LPMSGSESS session;
    fm_msg_obj *top;  /* the top-level message (not a reference) */
    bool closed;      /* CloseIMsgSession ran */
    uint32_t tmp_seq; /* names of pending streams */
} fm_msg_tree;

void fm_msg_tree_release(fm_msg_tree *t);
/* Takes a freed tree off its session's list (session.c). */
void fm_msg_session_leave(fm_msg_tree *t);

/* ---- objects -------------------------------------------------------------- */
typedef struct fm_msg_stream_prop {
    ULONG tag;    /* as stored */
    uint64_t size;
} fm_msg_stream_prop;

typedef struct fm_msg_pending {
    ULONG tag;
    char tmp[32]; /* the temporary stream's name (ASCII) */
    IStream *s;   /* our reference to it */
} fm_msg_pending;

typedef struct fm_msg_bad {
    ULONG tag;
    SCODE sc;
} fm_msg_bad;

typedef struct fm_msg_attr {
    ULONG id; /* PROP_ID */
    ULONG attr;
} fm_msg_attr;

typedef struct fm_msg_row {
    ULONG row_id;
    ULONG n;
    LPSPropValue props; /* MAPIAllocateBuffer */
} fm_msg_row;

typedef struct fm_msg_att {
    ULONG num;
    bool deleted;  /* DeleteAttach: the storage goes at the message's save */
    bool unsaved;  /* CreateAttach until the attachment's first SaveChanges */
    fm_msg_obj *open; /* the open IAttach, not a reference */
} fm_msg_att;

enum { FM_MSG_MESSAGE, FM_MSG_ATTACH, FM_MSG_RECIP };

struct fm_msg_obj {
    union {
        IMessage msg;
        IAttach att;
    } iface; /* first: the interface pointer is the object pointer */
    _Atomic ULONG refs;
    fm_msg_tree *tree;
    int kind;
    bool embedded;    /* a message inside an attachment */
    unsigned depth;   /* nesting of embedded messages */
    IStorage *stg;
    LPPROPDATA bag;
    fm_msg_stream_prop *sprops;
    size_t nsprops, capsprops;
    fm_msg_pending *pending;
    size_t npending, cappending;
    fm_msg_bad *bad;
    size_t nbad, capbad;
    fm_msg_attr *attrs;
    size_t nattrs, capattrs;
    bool dirty;
    /* messages */
    fm_msg_row *recips;
    size_t nrecips, caprecips;
    bool recips_dirty;
    ULONG next_recip, next_attach;
    fm_msg_att *atts;
    size_t natts, capatts;
    /* attachments */
    ULONG num;
    fm_msg_obj *parent; /* a reference: an attachment's message, an embedded
                           message's attachment */
    bool has_object;    /* the attachment holds a __substg1.0_3701000D storage */
    uint64_t generation; /* moves with every change to recipients or attachments */
    ULONG next_rowid;    /* PR_ROWID of the next recipient added */
    HRESULT last_hr;
    char last_text[FM_ERROR_TEXT_MAX];
};

/* The object behind an interface pointer of ours, or NULL. */
fm_msg_obj *fm_msg_obj_of(void *iface);

/* Makes an object (one reference) over stg, reading what it holds. */
HRESULT fm_msg_obj_open(fm_msg_tree *t, int kind, IStorage *stg, bool embedded, unsigned depth,
                        fm_msg_obj *parent, fm_msg_obj **out);
void fm_msg_obj_release(fm_msg_obj *o);
/* Reference counting without going through a vtable. */
void fm_msg_obj_addref(fm_msg_obj *o);
void fm_msg_obj_unref(fm_msg_obj *o);
/* Records hr and this thread's text on o; returns hr. */
HRESULT fm_msg_fail(fm_msg_obj *o, HRESULT hr);
/* The MAPI code for a storage failure (keeps the storage's text). */
HRESULT fm_msg_stg_hr(HRESULT hr);

/* Reading (propstream.c): the property stream and value streams of stg
 * into o (bag, stream properties, bad properties, attributes). */
HRESULT fm_msg_props_read(fm_msg_obj *o);
/* Writing: every property of o into its storage, with the header that
 * its kind needs. */
HRESULT fm_msg_props_write(fm_msg_obj *o);
/* One object's properties as a row (recipients, the attachment table):
 * every small value of stg, big ones as PT_ERROR. */
HRESULT fm_msg_props_row(fm_msg_tree *t, IStorage *stg, ULONG *n, LPSPropValue *props);

/* The stream name of a property ("__substg1.0_XXXXYYYY"). */
void fm_msg_substg_name(ULONG tag, WCHAR *out);
/* UTF-16 of an ASCII string, into out (room for 32 units). */
void fm_msg_wname(const char *s, WCHAR *out);

/* Code page bytes as UTF-8 (fm_malloc'd, NUL-terminated). */
HRESULT fm_msg_decode_ansi(ULONG codepage, const unsigned char *p, size_t n, char **out,
                           size_t *outlen);

/* Pending streams and stream properties (object_streams.c). */
HRESULT fm_msg_open_property(fm_msg_obj *o, ULONG tag, LPCIID iid, ULONG opts, ULONG flags,
                             LPUNKNOWN *out);
HRESULT fm_msg_apply_pending(fm_msg_obj *o);
void fm_msg_drop_pending(fm_msg_obj *o);
long fm_msg_find_sprop(const fm_msg_obj *o, ULONG tag);
long fm_msg_find_pending(const fm_msg_obj *o, ULONG tag);
void fm_msg_forget_prop(fm_msg_obj *o, ULONG tag);

/* The numbers of stg's storages named prefix + 8 hex digits, sorted. */
HRESULT fm_msg_numbered(IStorage *stg, const char *prefix, ULONG **out, size_t *n);

/* Object parts of a message (message.c, recipients.c, attach.c). */
HRESULT fm_msg_recips_read(fm_msg_obj *m);
HRESULT fm_msg_recips_write(fm_msg_obj *m);
void fm_msg_recips_clear(fm_msg_obj *m);
HRESULT fm_msg_atts_read(fm_msg_obj *m);
HRESULT fm_msg_atts_write(fm_msg_obj *m);
void fm_msg_atts_clear(fm_msg_obj *m);
HRESULT fm_msg_save(fm_msg_obj *o, ULONG flags);
/* An attachment's SaveChanges reports to its message. */
void fm_msg_att_saved(fm_msg_obj *m, ULONG num);
void fm_msg_att_closed(fm_msg_obj *m, ULONG num, bool discard);

/* IMAPIProp for both kinds (object.c). */
extern const IMessageVtbl fm_msg_message_vtbl;
extern const IAttachVtbl fm_msg_attach_vtbl;

/* IMessage methods (message.c, recipients.c, attach.c). */
STDMETHODIMP fm_msg_GetAttachmentTable(IMessage *This, ULONG ulFlags, LPMAPITABLE *lppTable);
STDMETHODIMP fm_msg_OpenAttach(IMessage *This, ULONG ulAttachmentNum, LPCIID lpInterface,
                               ULONG ulFlags, LPATTACH *lppAttach);
STDMETHODIMP fm_msg_CreateAttach(IMessage *This, LPCIID lpInterface, ULONG ulFlags,
                                 ULONG *lpulAttachmentNum, LPATTACH *lppAttach);
STDMETHODIMP fm_msg_DeleteAttach(IMessage *This, ULONG ulAttachmentNum, ULONG_PTR ulUIParam,
                                 LPMAPIPROGRESS lpProgress, ULONG ulFlags);
STDMETHODIMP fm_msg_GetRecipientTable(IMessage *This, ULONG ulFlags, LPMAPITABLE *lppTable);
STDMETHODIMP fm_msg_ModifyRecipients(IMessage *This, ULONG ulFlags, LPADRLIST lpMods);
STDMETHODIMP fm_msg_SubmitMessage(IMessage *This, ULONG ulFlags);
STDMETHODIMP fm_msg_SetReadFlag(IMessage *This, ULONG ulFlags);

/* The walker of msgcopy.c: copies src (a message, attachment or any
 * IMAPIProp) to dest through their public interfaces: properties (named
 * ones by name, large ones stream to stream), recipients, attachments and
 * embedded messages to any depth. include: only these (NULL: all);
 * exclude: tags not to copy; flags:
 * MAPI_NOREPLACE. Problems the destination reports for its own computed
 * properties are expected; others fail the copy, with text. */
HRESULT fm_msg_copy(IMAPIProp *src, IMAPIProp *dest, const SPropTagArray *include,
                    const SPropTagArray *exclude, bool recipients, bool attachments,
                    ULONG flags);

#endif /* FREEMAPI_MSG_MSG_H */
