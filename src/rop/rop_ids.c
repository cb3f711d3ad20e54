/*
 * rop/rop_ids.c - Folder IDs and Message IDs ([MS-OXCDATA] 2.2.1.1, 2.2.1.2)
 * of freemapi's objects, in this one place.
 *
 * A FID or MID is 8 bytes: ReplicaId (2 bytes) and GlobalCounter (6 bytes).
 * A freemapi store is one replica, ReplicaId 0x0001 (the value of the
 * logon's ReplId), and its GlobalCounter is the object's id in the store
 * (the fid or mid of its entry ID, store/entryid.h, never reused), written
 * in the same byte order as the counter of its PR_SOURCE_KEY (little-
 * endian). As a little-endian uint64 on the wire: id << 16 | 0x0001.
 */
#include "rop/rop_int.h"
#include "store/entryid.h"

uint64_t fm_rop_id_make(uint64_t id)
{
    return (id & 0xFFFFFFFFFFFFull) << 16 | FM_ROP_REPLID;
}

bool fm_rop_id_parse(uint64_t wire, uint64_t *id)
{
    if ((wire & 0xFFFF) != FM_ROP_REPLID || (wire >> 16) == 0)
        return false;
    *id = wire >> 16;
    return true;
}

bool fm_rop_id_from_entryid(const fm_rop_logon_state *ls, const SBinary *eid, int kind,
                            uint64_t *wire)
{
    MAPIUID uid;
    int k;
    uint64_t id;

    if (FAILED(fm_entryid_parse(eid->cb, (const ENTRYID *)eid->lpb, &uid, &k, &id)) ||
        k != kind || memcmp(&uid, &ls->uid, sizeof(uid)) != 0)
        return false;
    *wire = fm_rop_id_make(id);
    return true;
}

bool fm_rop_id_to_entryid(const fm_rop_logon_state *ls, uint64_t wire, int kind,
                          BYTE eid[FM_EID_SIZE])
{
    uint64_t id;

    if (!fm_rop_id_parse(wire, &id))
        return false;
    fm_entryid_write(&ls->uid, kind, id, eid);
    return true;
}
