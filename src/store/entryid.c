/*
 * store/entryid.c - the bytes of store entry IDs and source keys (layout in
 * entryid.h).
 *
 * Entry IDs arrive from callers as byte arrays at any address (inside a
 * FLATENTRYLIST, a PT_BINARY value, a table row), so everything here reads
 * and writes single bytes: no casts to wider types, no alignment assumed,
 * and the same bytes on every host byte order.
 */
#include <assert.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "store/entryid.h"

#define EID_VERSION 1
/* Offsets inside the 32 bytes. */
#define OFF_UID 4
#define OFF_VERSION 20
#define OFF_KIND 21
#define OFF_RESERVED 22
#define OFF_ID 24

/* Source keys hold a 6-byte counter ([MS-OXCFXICS] XID). */
#define SOURCE_KEY_ID_MAX 0xFFFFFFFFFFFFull

static int kind_known(int kind)
{
    return kind == FM_EID_STORE || kind == FM_EID_FOLDER || kind == FM_EID_MESSAGE;
}

static void put_le(uint64_t v, BYTE *dst, int n)
{
    for (int i = 0; i < n; i++)
        dst[i] = (BYTE)(v >> (8 * i));
}

static uint64_t get_le(const BYTE *src, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)src[i] << (8 * i);
    return v;
}

void fm_entryid_write(const MAPIUID *store_uid, int kind, uint64_t id, BYTE *buf)
{
    assert(kind_known(kind));
    assert(kind != FM_EID_STORE || id == 0);
    memset(buf, 0, FM_EID_SIZE); /* abFlags (long-term) and the reserved bytes */
    memcpy(buf + OFF_UID, store_uid->ab, sizeof store_uid->ab);
    buf[OFF_VERSION] = EID_VERSION;
    buf[OFF_KIND] = (BYTE)kind;
    put_le(id, buf + OFF_ID, 8);
}

HRESULT fm_entryid_make(const MAPIUID *store_uid, int kind, uint64_t id, void *parent,
                        ULONG *lpcb, LPENTRYID *lppEntryID)
{
    void *p;
    if (fm_alloc_mapi(FM_EID_SIZE, parent, &p) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory making an entry ID");
    fm_entryid_write(store_uid, kind, id, p);
    *lpcb = FM_EID_SIZE;
    *lppEntryID = p;
    return S_OK;
}

static HRESULT invalid(const char *why)
{
    return fm_error_set(MAPI_E_INVALID_ENTRYID, "not a freemapi store entry ID: %s", why);
}

HRESULT fm_entryid_parse(ULONG cb, const ENTRYID *lpEntryID, MAPIUID *store_uid, int *kind,
                         uint64_t *id)
{
    if (lpEntryID == NULL)
        return invalid("no entry ID given");
    if (cb != FM_EID_SIZE)
        return fm_error_set(MAPI_E_INVALID_ENTRYID,
                            "not a freemapi store entry ID: %lu bytes, expected %d",
                            (unsigned long)cb, FM_EID_SIZE);
    const BYTE *b = (const BYTE *)lpEntryID;
    if (b[0] | b[1] | b[2] | b[3])
        return invalid("abFlags are not zero (short-term or flagged ID)");
    if (b[OFF_VERSION] != EID_VERSION)
        return fm_error_set(MAPI_E_INVALID_ENTRYID,
                            "not a freemapi store entry ID: version %u, expected %d",
                            b[OFF_VERSION], EID_VERSION);
    int k = b[OFF_KIND];
    if (!kind_known(k))
        return fm_error_set(MAPI_E_INVALID_ENTRYID,
                            "not a freemapi store entry ID: unknown object kind %d", k);
    if (b[OFF_RESERVED] | b[OFF_RESERVED + 1])
        return invalid("reserved bytes are not zero");
    uint64_t v = get_le(b + OFF_ID, 8);
    /* The store's own ID carries id 0, and no folder or message has id 0
     * (AUTOINCREMENT starts at 1), so either mismatch is a forged ID. */
    if (k == FM_EID_STORE && v != 0)
        return invalid("a store entry ID with a non-zero object id");
    if (k != FM_EID_STORE && v == 0)
        return invalid("a folder or message entry ID with object id 0");
    if (store_uid != NULL)
        memcpy(store_uid->ab, b + OFF_UID, sizeof store_uid->ab);
    if (kind != NULL)
        *kind = k;
    if (id != NULL)
        *id = v;
    return S_OK;
}

void fm_source_key_write(const MAPIUID *store_uid, uint64_t id, BYTE *buf)
{
    assert(id <= SOURCE_KEY_ID_MAX);
    memcpy(buf, store_uid->ab, sizeof store_uid->ab);
    put_le(id, buf + sizeof store_uid->ab, FM_SOURCE_KEY_SIZE - (int)sizeof store_uid->ab);
}
