/*
 * store/object.h - what every store object (message store, folder, message,
 * attachment) shares: reference counting, GetLastError, and one IMAPIProp
 * implementation.
 *
 * An object's properties live in three places:
 *   - the *bag*: an internal IPropData (props/propdata.c) holding the
 *     object's small properties as the caller currently sees them, pending
 *     changes included. It is loaded from the database when the object is
 *     opened and written back by the class's save;
 *   - *streams*: large values kept in the streams table (store/stream.h),
 *     opened with OpenProperty; committed but unsaved replacements wait in
 *     the object's pending list;
 *   - *computed* properties the class answers itself (PR_ENTRYID,
 *     PR_MESSAGE_SIZE, PR_CONTENT_COUNT, ...): always right, read-only
 *     (SetProps and DeleteProps report MAPI_E_COMPUTED for them).
 * Named properties use the store's map (store/namedprops.h).
 *
 * A class is an fm_object_class: a table of the few things that differ.
 * Each object struct starts with its interface (lpVtbl) and then an
 * fm_object, so the interface pointer is the object pointer.
 */
#ifndef FREEMAPI_STORE_OBJECT_H
#define FREEMAPI_STORE_OBJECT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "core/lasterr.h"
#include "mapiutil.h"
#include "store/store.h"

typedef struct fm_object fm_object;
typedef struct fm_stream_prop fm_stream_prop;

typedef struct fm_object_class {
    const char *name; /* "IMessage": the component in GetLastError */
    ULONG obj_type;   /* PR_OBJECT_TYPE */
    int stream_owner; /* FM_STREAM_OWNER_* of this object's streams */
    /* The computed properties this class reports in GetPropList. */
    const ULONG *computed_tags;
    ULONG n_computed;
    /* Value of computed property tag (PROP_ID matters, the type is the one
     * in computed_tags), with data linked to parent; MAPI_E_NOT_FOUND when
     * it has none right now (PT_ERROR is then reported). */
    HRESULT (*computed)(fm_object *o, ULONG tag, void *parent, SPropValue *out);
    /* SetProps of a computed property the class sometimes accepts (e.g.
     * PR_MESSAGE_FLAGS before a message's first save): S_OK when taken,
     * otherwise the problem code (MAPI_E_COMPUTED). NULL: always refused. */
    SCODE (*set_computed)(fm_object *o, const SPropValue *v);
    /* Changes take effect at once (folders, the store): SetProps and
     * DeleteProps save, and SaveChanges has nothing left to do. */
    bool autosave;
    /* SaveChanges; NULL: the object cannot be saved (MAPI_E_NO_SUPPORT). */
    HRESULT (*save)(fm_object *o, ULONG ulFlags);
    /* OpenProperty for what is not a plain stream (embedded messages,
     * tables); MAPI_E_NO_SUPPORT to let the generic stream code handle it. */
    HRESULT (*open_property)(fm_object *o, ULONG tag, LPCIID iid, ULONG opts, ULONG flags,
                             LPUNKNOWN *out);
    /* CopyTo/CopyProps: copies what is not a property (a message's
     * recipients and attachments, an attachment's embedded message) to dest
     * when asked; NULL: the class has none. */
    HRESULT (*copy_subobjects)(fm_object *o, IMAPIProp *dest, bool recipients, bool attachments,
                               ULONG flags);
    /* QueryInterface for the class's own IIDs; IUnknown and IMAPIProp are
     * answered generically. */
    bool (*has_interface)(REFIID riid);
    /* Releases the class's own state (not the fm_object part). */
    void (*destroy)(fm_object *o);
    /* Properties derived from others while the object lacks them (a
     * message's bodies from the one it has: store/message_body.c). They are
     * ordinary properties otherwise: a value set is stored and then wins.
     * derived gives the value of tag (PROP_ID matters) in its natural type
     * with data on parent, or, with out NULL, only whether it can; sp and
     * nsp are the object's stream-kept properties. MAPI_E_NOT_FOUND when it
     * derives none. NULL: the class derives nothing. */
    const ULONG *derived_tags;
    ULONG n_derived;
    /* The first n_derived_listed of them appear in GetPropList and
     * GetProps(NULL); the others only when asked for by tag or opened. */
    ULONG n_derived_listed;
    HRESULT (*derived)(fm_object *o, const struct fm_stream_prop *sp, size_t nsp, ULONG tag,
                       void *parent, SPropValue *out);
} fm_object_class;

/* A committed, unsaved stream value (IStream::Commit before SaveChanges). */
typedef struct fm_pending_stream {
    ULONG tag;
    int64_t sid;  /* scratch stream; 0 = the property was deleted */
    uint64_t size;
    bool owned;   /* this object deletes sid if it is never saved; false when
                     another holder (a message's attachment list) owns it */
} fm_pending_stream;

struct fm_object {
    const fm_object_class *cls;
    _Atomic ULONG refs;
    pthread_mutex_t lock;
    fm_store *store;
    int64_t id;      /* fid, mid or aid; 0 until first saved */
    LPPROPDATA bag;  /* small properties, pending changes included */
    bool writable;
    bool dirty;
    fm_pending_stream *pending;
    size_t npending, cappending;
    /* While SetProps or DeleteProps saves an autosave object (folders, the
     * store): the tags it changed, for the ObjectModified it records. */
    const ULONG *changed;
    ULONG nchanged;
    fm_lasterr err; /* GetLastError */
};

/* The fm_object inside an interface pointer (the object struct's layout is
 * { lpVtbl; fm_object base; ... }). */
static inline fm_object *fm_object_of(const void *iface)
{
    return (fm_object *)(void *)((char *)(uintptr_t)iface + sizeof(void *));
}
/* The interface pointer of o: typed, so that it is never taken for the
 * fm_object itself. */
static inline IMAPIProp *fm_object_iface(fm_object *o)
{
    return (IMAPIProp *)(void *)((char *)o - sizeof(void *));
}

/* Sets up o (bag created empty, one reference, a store reference taken). */
HRESULT fm_object_init(fm_object *o, const fm_object_class *cls, fm_store *store, int64_t id,
                       bool writable);

/* Loads a props blob into the bag and marks every property clean. */
HRESULT fm_object_load_blob(fm_object *o, const void *blob, size_t len);

/* Marks every property in the bag clean (just loaded or just saved). */
HRESULT fm_object_mark_clean(fm_object *o);

/* The bag's properties as a blob (fm_malloc'd), for saving. */
HRESULT fm_object_encode_bag(fm_object *o, void **blob, size_t *len);

/* Adopts the pending streams into the database (inside the caller's
 * transaction) and forgets them. */
HRESULT fm_object_save_streams(fm_object *o);

/* One stream-backed property of an object: stored or pending. */
struct fm_stream_prop {
    ULONG tag;    /* the tag it was written with */
    int64_t sid;
    uint64_t size;
};

/* The object's stream-backed properties as the caller sees them: stored
 * ones, replaced or removed by pending ones. *out is fm_malloc'd (NULL when
 * *n is 0). Takes the store lock. */
HRESULT fm_object_stream_props(fm_object *o, fm_stream_prop **out, size_t *n);

/* Records a pending stream change (sid 0: delete the property), owned by o. */
HRESULT fm_object_set_pending(fm_object *o, ULONG tag, int64_t sid, uint64_t size);

/* Deletes the scratch streams of a pending list that their holder owns. */
void fm_pending_drop(fm_db *db, fm_pending_stream *p, size_t n);

/* Values larger than this leave the bag for a stream when saved; strings
 * are measured in UTF-8, the form the bag's blob keeps them in. */
#define FM_BLOB_VALUE_MAX (16 * 1024)
/* GetProps returns stream-backed values up to this size; larger ones are
 * PT_ERROR MAPI_E_NOT_ENOUGH_MEMORY, to be read with OpenProperty. */
#define FM_GETPROPS_STREAM_MAX (64 * 1024)

/* Moves bag values over FM_BLOB_VALUE_MAX into pending streams (save). */
HRESULT fm_object_spill_large(fm_object *o);

/* After the save transaction committed: pending streams are now owned. */
void fm_object_forget_pending(fm_object *o);

/* A derived value of tag (the class's derived hook) for a GetProps that
 * found none: into *out in the type asked (PT_ERROR when it has none, or
 * MAPI_E_NOT_ENOUGH_MEMORY when larger than GetProps returns). */
HRESULT fm_object_get_derived(fm_object *o, const fm_stream_prop *sp, size_t nsp, ULONG tag,
                              ULONG flags, void *parent, SPropValue *out);
/* True when tag's identifier is one of the class's derived properties. */
bool fm_object_is_derived(const fm_object *o, ULONG tag);

/* True when tag's identifier is one of the class's computed properties. */
bool fm_object_is_computed(const fm_object *o, ULONG tag);

/* Records hr and this thread's error text on the object (NULL: none);
 * returns hr. */
HRESULT fm_object_fail(fm_object *o, HRESULT hr);

/*
 * IUnknown and IMAPIProp for every store object, over its fm_object. Each
 * interface's file gives its vtable small typed methods that forward here
 * (message_GetProps(IMessage *This, ...) calls fm_object_GetProps(
 * fm_object_of(This), ...)): the vtables hold functions of their own types,
 * never casts between function types.
 */
HRESULT fm_object_QueryInterface(fm_object *o, REFIID riid, LPVOID *ppvObj);
ULONG fm_object_AddRef(fm_object *o);
ULONG fm_object_Release(fm_object *o);
HRESULT fm_object_GetLastError(fm_object *o, HRESULT hResult, ULONG ulFlags,
                               LPMAPIERROR *lppMAPIError);
HRESULT fm_object_SaveChanges(fm_object *o, ULONG ulFlags);
HRESULT fm_object_GetProps(fm_object *o, LPSPropTagArray lpPropTagArray, ULONG ulFlags,
                           ULONG *lpcValues, LPSPropValue *lppPropArray);
HRESULT fm_object_GetPropList(fm_object *o, ULONG ulFlags, LPSPropTagArray *lppPropTagArray);
HRESULT fm_object_OpenProperty(fm_object *o, ULONG ulPropTag, LPCIID lpiid,
                               ULONG ulInterfaceOptions, ULONG ulFlags, LPUNKNOWN *lppUnk);
HRESULT fm_object_SetProps(fm_object *o, ULONG cValues, LPSPropValue lpPropArray,
                           LPSPropProblemArray *lppProblems);
HRESULT fm_object_DeleteProps(fm_object *o, LPSPropTagArray lpPropTagArray,
                              LPSPropProblemArray *lppProblems);
HRESULT fm_object_CopyTo(fm_object *o, ULONG ciidExclude, LPCIID rgiidExclude,
                         LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                         LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                         ULONG ulFlags, LPSPropProblemArray *lppProblems);
HRESULT fm_object_CopyProps(fm_object *o, LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam,
                            LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                            ULONG ulFlags, LPSPropProblemArray *lppProblems);
HRESULT fm_object_GetNamesFromIDs(fm_object *o, LPSPropTagArray *lppPropTags, LPGUID lpPropSetGuid,
                                  ULONG ulFlags, ULONG *lpcPropNames,
                                  LPMAPINAMEID **lpppPropNames);
HRESULT fm_object_GetIDsFromNames(fm_object *o, ULONG cPropNames, LPMAPINAMEID *lppPropNames,
                                  ULONG ulFlags, LPSPropTagArray *lppPropTags);

#endif /* FREEMAPI_STORE_OBJECT_H */
