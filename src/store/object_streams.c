/*
 * store/object_streams.c - the large properties of store objects: listing
 * them, OpenProperty on them, moving large values out of the bag at save
 * time, and adopting committed streams when the object is saved.
 *
 * Why large values leave the bag: the bag is written as one blob per
 * object, and every GetProps, table row and save reads or writes the whole
 * blob. Values over FM_BLOB_VALUE_MAX go to streams, so a message with a
 * 50 MB body still has a blob of a few hundred bytes.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/text.h"
#include "mapiguid.h"
#include "props/propdata.h"
#include "props/propvalue.h"
#include "store/object.h"
#include "store/stream.h"

static bool same_prop(ULONG a, ULONG b)
{
    return PROP_ID(a) == PROP_ID(b);
}

void fm_pending_drop(fm_db *db, fm_pending_stream *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i].owned && p[i].sid != 0)
            fm_stream_delete(db, p[i].sid);
    }
}

HRESULT fm_object_set_pending(fm_object *o, ULONG tag, int64_t sid, uint64_t size)
{
    for (size_t i = 0; i < o->npending; i++) {
        if (same_prop(o->pending[i].tag, tag)) {
            if (o->pending[i].owned && o->pending[i].sid != 0 && o->pending[i].sid != sid)
                fm_stream_delete(o->store->db, o->pending[i].sid);
            o->pending[i] = (fm_pending_stream){ tag, sid, size, true };
            o->dirty = true;
            return S_OK;
        }
    }
    if (o->npending == o->cappending) {
        size_t cap = o->cappending ? o->cappending * 2 : 4;
        fm_pending_stream *p = fm_realloc(o->pending, cap * sizeof *p);
        if (p == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory recording a stream");
        o->pending = p;
        o->cappending = cap;
    }
    o->pending[o->npending++] = (fm_pending_stream){ tag, sid, size, true };
    o->dirty = true;
    return S_OK;
}

static HRESULT add_prop(fm_stream_prop **arr, size_t *n, size_t *cap, fm_stream_prop p)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        fm_stream_prop *a = fm_realloc(*arr, c * sizeof *a);
        if (a == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory listing streams");
        *arr = a;
        *cap = c;
    }
    (*arr)[(*n)++] = p;
    return S_OK;
}

static HRESULT stored_streams(fm_object *o, fm_stream_prop **arr, size_t *n, size_t *cap)
{
    /* id 0: a message or attachment never saved has no stored streams;
     * the store object itself is id 0 and has. */
    if (o->id == 0 && o->cls->stream_owner != FM_STREAM_OWNER_STORE)
        return S_OK;
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(o->store->db,
                               "SELECT prop_tag, sid, size FROM streams "
                               "WHERE owner_kind = ?1 AND owner_id = ?2", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int(st, 1, o->cls->stream_owner);
    sqlite3_bind_int64(st, 2, o->id);
    int rc;
    while (hr == S_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        fm_stream_prop p = { (ULONG)sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                             (uint64_t)sqlite3_column_int64(st, 2) };
        hr = add_prop(arr, n, cap, p);
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(o->store->db, rc, "listing an object's streams");
    fm_db_finish(st);
    return hr;
}

HRESULT fm_object_stream_props(fm_object *o, fm_stream_prop **out, size_t *n)
{
    fm_stream_prop *arr = NULL;
    size_t cnt = 0, cap = 0;
    fm_store_lock(o->store);
    HRESULT hr = stored_streams(o, &arr, &cnt, &cap);
    fm_store_unlock(o->store);
    /* Overlay the pending changes: replace, remove or add. */
    for (size_t i = 0; hr == S_OK && i < o->npending; i++) {
        const fm_pending_stream *p = &o->pending[i];
        size_t j = 0;
        while (j < cnt && !same_prop(arr[j].tag, p->tag))
            j++;
        if (j < cnt && p->sid == 0) {
            arr[j] = arr[--cnt];
        } else if (j < cnt) {
            arr[j] = (fm_stream_prop){ p->tag, p->sid, p->size };
        } else if (p->sid != 0) {
            hr = add_prop(&arr, &cnt, &cap, (fm_stream_prop){ p->tag, p->sid, p->size });
        }
    }
    if (hr != S_OK) {
        fm_free(arr);
        arr = NULL;
        cnt = 0;
    }
    *out = arr;
    *n = cnt;
    return hr;
}

HRESULT fm_object_save_streams(fm_object *o)
{
    HRESULT hr = S_OK;
    for (size_t i = 0; hr == S_OK && i < o->npending; i++) {
        fm_pending_stream *p = &o->pending[i];
        if (p->sid != 0) {
            hr = fm_stream_adopt(o->store->db, p->sid, o->cls->stream_owner, o->id, p->tag);
        } else {
            int64_t sid;
            uint64_t size;
            HRESULT f = fm_stream_find(o->store->db, o->cls->stream_owner, o->id, p->tag, &sid,
                                       &size);
            if (f == S_OK)
                hr = fm_stream_delete(o->store->db, sid);
            else if (f != MAPI_E_NOT_FOUND)
                hr = f;
        }
    }
    return hr;
}

/* After the save transaction committed: the pending streams are owned now. */
void fm_object_forget_pending(fm_object *o)
{
    o->npending = 0;
}

/* ---- moving large values out of the bag ------------------------------------ */

typedef struct capture_owner {
    int64_t sid;
    uint64_t size;
} capture_owner;

static HRESULT capture_commit(void *ctx, ULONG tag, int64_t sid, uint64_t size)
{
    capture_owner *c = ctx;
    c->sid = sid;
    c->size = size;
    return S_OK;
}

/* Writes len bytes into a new scratch stream; *sid receives it. */
static HRESULT write_scratch(fm_object *o, ULONG tag, const void *data, size_t len,
                             int64_t *sid)
{
    capture_owner cap = { 0, 0 };
    fm_stream_owner owner = { &cap, capture_commit, NULL, NULL };
    IStream *s = NULL;
    HRESULT hr = fm_stream_open(o->store->db, 0, tag, FM_STREAM_WRITE | FM_STREAM_CREATE,
                                &owner, &s);
    if (hr != S_OK)
        return hr;
    ULONG written = 0;
    if (len > 0) /* an empty binary has no buffer (lpb NULL): an empty stream */
        hr = IStream_Write(s, data, (ULONG)len, &written);
    if (hr == S_OK)
        hr = IStream_Commit(s, 0);
    IStream_Release(s);
    if (hr == S_OK && cap.sid == 0)
        hr = fm_error_set(MAPI_E_CALL_FAILED, "a stream commit handed over nothing");
    *sid = cap.sid;
    return fm_stream_mapi_code(hr);
}

/* The bytes a large value is kept as: binary as is, strings in the width of
 * their tag without the terminating NUL. */
static void value_bytes(const SPropValue *v, const void **data, size_t *len)
{
    switch (PROP_TYPE(v->ulPropTag)) {
    case PT_BINARY:
        *data = v->Value.bin.lpb;
        *len = v->Value.bin.cb;
        break;
    case PT_STRING8:
        *data = v->Value.lpszA;
        *len = strlen(v->Value.lpszA);
        break;
    case PT_UNICODE:
        *data = v->Value.lpszW;
        *len = fm_utf16_len(v->Value.lpszW) * sizeof(WCHAR);
        break;
    default:
        *data = NULL;
        *len = 0;
    }
}

/* Moves one large value out of the bag into a pending stream, in the type
 * it was set with. */
static HRESULT spill_one(fm_object *o, const SPropValue *v, const void *data, size_t len)
{
    int64_t sid = 0;
    ULONG tag = v->ulPropTag;
    HRESULT hr = write_scratch(o, tag, data, len, &sid);
    if (hr == S_OK)
        hr = fm_object_set_pending(o, tag, sid, len);
    else if (sid != 0)
        fm_stream_delete(o->store->db, sid);
    if (hr == S_OK) {
        SizedSPropTagArray(1, one) = { 1, { tag } };
        hr = IPropData_DeleteProps(o->bag, (LPSPropTagArray)&one, NULL);
    }
    return hr;
}

/* Bytes of n UTF-16 units as UTF-8 (lone surrogates become U+FFFD). */
static size_t utf8_length(const WCHAR *w, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        WCHAR c = w[i];
        if (c < 0x80)
            len += 1;
        else if (c < 0x800)
            len += 2;
        else if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && w[i + 1] >= 0xDC00 &&
                 w[i + 1] < 0xE000) {
            len += 4;
            i++;
        } else
            len += 3;
    }
    return len;
}

/* Whether a value of len bytes (as value_bytes gives them) is too large for
 * the blob, which keeps strings as UTF-8: a Unicode value is measured in
 * UTF-8, so the width it was written in does not decide where it is kept. */
static bool too_large_for_blob(const SPropValue *v, const void *data, size_t len)
{
    if (data == NULL || len <= FM_BLOB_VALUE_MAX)
        return false;
    if (PROP_TYPE(v->ulPropTag) != PT_UNICODE)
        return true;
    size_t units = len / sizeof(WCHAR);
    if (units > FM_BLOB_VALUE_MAX)
        return true; /* at least a byte a unit */
    if (units * 3 <= FM_BLOB_VALUE_MAX)
        return false; /* at most three bytes a unit */
    return utf8_length(data, units) > FM_BLOB_VALUE_MAX;
}

HRESULT fm_object_spill_large(fm_object *o)
{
    /* The bag's own values, not GetProps copies: no string is converted to
     * another width (or copied at all) to find the few large ones. */
    fm_propdata *pd = fm_propdata_of(o->bag);
    HRESULT hr = S_OK;
    size_t i = 0;
    while (hr == S_OK) {
        fm_propdata_lock(pd);
        const SPropValue *v = NULL;
        const void *data = NULL;
        size_t len = 0;
        for (; i < pd->nprops && v == NULL; i++) {
            if (pd->props[i].value == NULL)
                continue;
            value_bytes(pd->props[i].value, &data, &len);
            if (too_large_for_blob(pd->props[i].value, data, len))
                v = pd->props[i].value;
        }
        fm_propdata_unlock(pd, S_OK);
        if (v == NULL)
            break;
        /* v stays valid: only this object (under o->lock) changes the bag,
         * and removing v moves later entries down by one. */
        hr = spill_one(o, v, data, len);
        i--;
    }
    return hr;
}

/* ---- OpenProperty --------------------------------------------------------- */

static HRESULT stream_commit_to_object(void *ctx, ULONG tag, int64_t sid, uint64_t size)
{
    fm_object *o = ctx;
    pthread_mutex_lock(&o->lock);
    HRESULT hr = fm_object_set_pending(o, tag, sid, size);
    if (hr == S_OK) {
        /* The stream is now the value: a small copy in the bag would shadow it. */
        SizedSPropTagArray(1, one) = { 1, { tag } };
        IPropData_DeleteProps(o->bag, (LPSPropTagArray)&one, NULL);
        /* Folders and the store save every change as it is made (autosave),
         * a committed stream included: it must not wait for a SaveChanges
         * that MAPI clients never call on them. */
        o->dirty = true;
        if (o->cls->autosave)
            hr = o->cls->save(o, KEEP_OPEN_READWRITE);
    }
    pthread_mutex_unlock(&o->lock);
    return hr;
}

static void stream_owner_addref(void *ctx)
{
    fm_object_AddRef(ctx);
}

static void stream_owner_release(void *ctx)
{
    fm_object_Release(ctx);
}

/* A small value in the bag, put into a scratch stream so it can be read or
 * modified as a stream. *sid is 0 when the bag has no such property. */
/* The bytes of a value read through OpenProperty: into a scratch stream
 * of the database for a writer (*sid), or, when mem is not NULL, into a
 * read-only stream in memory (stream_memory.c), which writes nothing. */
static HRESULT value_out(fm_object *o, ULONG tag, const void *data, size_t len, int64_t *sid,
                         IStream **mem)
{
    return mem != NULL ? fm_stream_open_memory(data, len, mem)
                       : write_scratch(o, tag, data, len, sid);
}

static HRESULT bag_value_to_stream(fm_object *o, ULONG tag, int64_t *sid, uint64_t *size,
                                   IStream **mem)
{
    *sid = 0;
    *size = 0;
    LPSPropValue v = NULL;
    SizedSPropTagArray(1, one) = { 1, { tag } };
    ULONG n = 0;
    HRESULT hr = IPropData_GetProps(o->bag, (LPSPropTagArray)&one, 0, &n, &v);
    if (FAILED(hr))
        return hr;
    if (PROP_TYPE(v[0].ulPropTag) == PT_ERROR) {
        MAPIFreeBuffer(v);
        return S_OK;
    }
    const void *data;
    size_t len;
    value_bytes(&v[0], &data, &len);
    hr = value_out(o, tag, data, len, sid, mem);
    *size = len;
    MAPIFreeBuffer(v);
    return hr;
}

static bool streamable_type(ULONG type)
{
    return type == PT_BINARY || type == PT_STRING8 || type == PT_UNICODE;
}

/* A string kept in a stream in the other width, converted into a scratch
 * stream in the width of tag (the whole value passes through memory once). */
static HRESULT converted_to_stream(fm_object *o, const fm_stream_prop *kept, ULONG tag,
                                   int64_t *sid, uint64_t *size, IStream **mem)
{
    void *root = NULL;
    HRESULT hr = fm_alloc_mapi(1, NULL, &root);
    if (hr != S_OK)
        return hr;
    BYTE *data = NULL;
    ULONG cb = 0;
    char *z = NULL;
    hr = fm_stream_read_all(o->store->db, kept->sid, UINT32_MAX - sizeof(WCHAR), root, &data,
                            &cb);
    if (hr == S_OK)
        hr = fm_alloc_mapi(cb + sizeof(WCHAR), root, (void **)&z);
    SPropValue conv = { 0 };
    if (hr == S_OK) {
        /* Kept without the terminating NUL: terminate, then convert. */
        memcpy(z, data, cb);
        memset(z + cb, 0, sizeof(WCHAR));
        SPropValue raw = { .ulPropTag = kept->tag };
        if (PROP_TYPE(kept->tag) == PT_UNICODE)
            raw.Value.lpszW = (LPWSTR)(void *)z;
        else
            raw.Value.lpszA = z;
        hr = fm_props_copy_as(&conv, &raw, PROP_TYPE(tag), MAPIAllocateMore, root);
    }
    if (hr == S_OK) {
        const void *bytes;
        size_t len;
        value_bytes(&conv, &bytes, &len);
        hr = value_out(o, tag, bytes, len, sid, mem);
        *size = len;
    }
    MAPIFreeBuffer(root);
    return hr;
}

/* The stream-backed value of tag's property: *found false when there is
 * none; otherwise its entry. */
static HRESULT find_kept(fm_object *o, ULONG tag, fm_stream_prop *kept, bool *found)
{
    fm_stream_prop *sp = NULL;
    size_t nsp = 0;
    *found = false;
    HRESULT hr = fm_object_stream_props(o, &sp, &nsp);
    for (size_t i = 0; hr == S_OK && i < nsp; i++) {
        if (same_prop(sp[i].tag, tag)) {
            *kept = sp[i];
            *found = true;
        }
    }
    fm_free(sp);
    return hr;
}

/* A scratch copy of the value of tag to open (*sid 0: the property has no
 * value): a small value from the bag, or a stream-kept string converted to
 * the other width. Strings are kept once, in the width they were written
 * in, and open as a stream in either width, as GetProps answers both. */
static HRESULT value_to_scratch(fm_object *o, ULONG tag, int64_t *sid, uint64_t *size,
                                int64_t *kept_sid, IStream **mem)
{
    fm_stream_prop kept = { 0, 0, 0 };
    bool found;
    *kept_sid = 0;
    HRESULT hr = find_kept(o, tag, &kept, &found);
    if (hr != S_OK)
        return hr;
    if (!found)
        return bag_value_to_stream(o, tag, sid, size, mem);
    ULONG stored = PROP_TYPE(kept.tag);
    if (stored == PROP_TYPE(tag)) {
        *kept_sid = kept.sid;
        return S_OK;
    }
    if ((stored == PT_STRING8 || stored == PT_UNICODE) &&
        (PROP_TYPE(tag) == PT_STRING8 || PROP_TYPE(tag) == PT_UNICODE))
        return converted_to_stream(o, &kept, tag, sid, size, mem);
    return fm_error_set(MAPI_E_NO_SUPPORT,
                        "OpenProperty: property 0x%08lX is stored as type 0x%04lX",
                        (unsigned long)tag, (unsigned long)stored);
}

/* A derived value of tag (a body the message lacks, derived from the one it
 * has) to open: *sid and mem as value_out makes them; neither when the
 * object derives none. Nothing is stored for a reader. */
static HRESULT derived_to_stream(fm_object *o, ULONG tag, int64_t *sid, uint64_t *size,
                                 IStream **mem)
{
    *sid = 0;
    *size = 0;
    if (!fm_object_is_derived(o, tag))
        return S_OK;
    void *root = NULL;
    fm_stream_prop *sp = NULL;
    size_t nsp = 0;
    HRESULT hr = fm_alloc_mapi(1, NULL, &root);
    if (hr == S_OK)
        hr = fm_object_stream_props(o, &sp, &nsp);
    SPropValue v, conv;
    if (hr == S_OK)
        hr = o->cls->derived(o, sp, nsp, tag, root, &v);
    if (hr == S_OK && PROP_TYPE(v.ulPropTag) != PROP_TYPE(tag)) {
        bool strings = (PROP_TYPE(tag) == PT_STRING8 || PROP_TYPE(tag) == PT_UNICODE) &&
                       (PROP_TYPE(v.ulPropTag) == PT_STRING8 ||
                        PROP_TYPE(v.ulPropTag) == PT_UNICODE);
        hr = strings ? fm_props_copy_as(&conv, &v, PROP_TYPE(tag), MAPIAllocateMore, root)
                     : MAPI_E_NOT_FOUND;
    } else if (hr == S_OK) {
        conv = v;
    }
    if (hr == S_OK) {
        const void *data;
        size_t len;
        value_bytes(&conv, &data, &len);
        hr = value_out(o, tag, data, len, sid, mem);
        *size = len;
    }
    if (hr == MAPI_E_NOT_FOUND)
        hr = S_OK;
    fm_free(sp);
    MAPIFreeBuffer(root);
    return hr;
}

static HRESULT open_stream_property(fm_object *o, ULONG tag, ULONG ulFlags, LPUNKNOWN *out)
{
    bool modify = (ulFlags & (MAPI_MODIFY | MAPI_CREATE)) != 0;
    if (modify && !o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "OpenProperty: the %s is read-only", o->cls->name);
    int64_t sid = 0, scratch = 0;
    uint64_t size = 0;
    if (!(ulFlags & MAPI_CREATE)) {
        /* a reader gets a copy in memory: nothing is written for a read */
        IStream *mem = NULL;
        HRESULT hr = value_to_scratch(o, tag, &scratch, &size, &sid, modify ? NULL : &mem);
        if (hr == S_OK && sid == 0 && scratch == 0 && mem == NULL)
            hr = derived_to_stream(o, tag, &scratch, &size, modify ? NULL : &mem);
        if (hr != S_OK) {
            if (scratch != 0)
                fm_stream_delete(o->store->db, scratch);
            return hr;
        }
        if (mem != NULL) {
            *out = (LPUNKNOWN)mem;
            return S_OK;
        }
        if (sid == 0 && scratch == 0)
            return fm_error_set(MAPI_E_NOT_FOUND, "OpenProperty: the %s has no property 0x%08lX",
                                o->cls->name, (unsigned long)tag);
        if (scratch != 0)
            sid = scratch;
    }
    unsigned mode = FM_STREAM_READ;
    if (modify)
        mode |= FM_STREAM_WRITE;
    if (ulFlags & MAPI_CREATE)
        mode |= FM_STREAM_CREATE;
    else if (scratch != 0 && !modify)
        mode |= FM_STREAM_TEMPORARY; /* the copy goes when the stream does */
    fm_stream_owner owner = { o, stream_commit_to_object, stream_owner_addref,
                              stream_owner_release };
    IStream *s = NULL;
    HRESULT hr = fm_stream_open(o->store->db, sid, tag, mode, modify ? &owner : NULL, &s);
    if (scratch != 0 && (hr != S_OK || modify))
        fm_stream_delete(o->store->db, scratch); /* a write stream works on its own copy */
    *out = (LPUNKNOWN)s;
    return hr;
}

HRESULT fm_object_OpenProperty(fm_object *o, ULONG ulPropTag, LPCIID lpiid,
                            ULONG ulInterfaceOptions, ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    if (lppUnk == NULL || lpiid == NULL)
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "OpenProperty: NULL interface or out pointer"));
    *lppUnk = NULL;
    const ULONG known = MAPI_MODIFY | MAPI_CREATE | MAPI_DEFERRED_ERRORS | STREAM_APPEND |
                        MAPI_BEST_ACCESS;
    if (ulFlags & ~known)
        return fm_object_fail(o, fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                                              "OpenProperty: unknown flags 0x%08lX",
                                              (unsigned long)(ulFlags & ~known)));
    if (o->cls->open_property != NULL) {
        HRESULT hr = o->cls->open_property(o, ulPropTag, lpiid, ulInterfaceOptions, ulFlags,
                                           lppUnk);
        if (hr != MAPI_E_NO_SUPPORT)
            return fm_object_fail(o, hr);
    }
    if (!IsEqualIID(lpiid, &IID_IStream) && !IsEqualIID(lpiid, &IID_ISequentialStream))
        return fm_object_fail(o, fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                                              "OpenProperty: property 0x%08lX opens only as "
                                              "IStream", (unsigned long)ulPropTag));
    if (!streamable_type(PROP_TYPE(ulPropTag)))
        return fm_object_fail(o, fm_error_set(MAPI_E_INVALID_PARAMETER,
                                              "OpenProperty: type 0x%04lX cannot be a stream",
                                              (unsigned long)PROP_TYPE(ulPropTag)));
    HRESULT hr = open_stream_property(o, ulPropTag, ulFlags, lppUnk);
    return fm_object_fail(o, hr);
}
