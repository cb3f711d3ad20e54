/*
 * rop/rop_logon.c - RopLogon ([MS-OXCROPS] 2.2.3.1, [MS-OXCSTOR] 2.2.1.1,
 * 3.2.5.1), RopRelease ([MS-OXCROPS] 2.2.15.3), and RopLongTermIdFromId /
 * RopIdFromLongTermId (2.2.3.8, 2.2.3.9).
 *
 * A logon opens a site mailbox through fmapi_site_open_mailbox, after
 * fmapi_site_rights says the context's user may: their own mailbox, or one
 * on which they hold owner or full-access rights (else ecAccessDenied).
 * The Essdn names the mailbox: freemapi's DN /o=freemapi/ou=<site>/
 * cn=Recipients/cn=<alias> (ab/dn.c), of which the last cn= is the alias
 * (%XX decoded), or a bare alias or SMTP address. A name the site does not
 * know is ecUnknownUser ([MS-OXCSTOR] 3.2.5.1.1). Every mailbox of a site is
 * at home on this server today: the site directory has no home-server
 * record yet, so the redirect response (ecWrongServer with the server name)
 * is not produced; when it has one, that is where it goes.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"
#include "rop/rop_int.h"
#include "store/entryid.h"

/* [MS-OXCSTOR] 3.2.5.1.3 */
#define EC_UNKNOWN_USER 0x000003EBu
#define EC_ACCESS_DENIED 0x80070005u
/* [MS-OXCSTOR] 2.2.1.1.1 LogonFlags; 2.2.1.1.3 ResponseFlags */
#define LOGON_PRIVATE 0x01
#define RESPONSE_RESERVED 0x01
#define RESPONSE_OWNER_RIGHT 0x02
#define RESPONSE_SEND_AS_RIGHT 0x04

/* [MS-OXCROPS] 2.2.15.3: RopRelease (0x01) is RopId, LogonId,
 * InputHandleIndex and has no response buffer. A bad index is ignored: there
 * is no response to carry an error. */
HRESULT fm_rop_release(fm_rop_call *call)
{
    fm_rop_object *obj;

    if (call->input_index >= call->table_len)
        return S_OK;
    obj = fm_rop_object_find(call->ctx, call->table[call->input_index]);
    if (obj)
        fm_rop_object_release(call->ctx, obj);
    return S_OK;
}

fm_rop_logon_state *fm_rop_logon_of(fm_rop_object *obj)
{
    while (obj && obj->kind != FM_ROP_OBJ_LOGON)
        obj = obj->parent;
    return obj ? obj->state : NULL;
}

static void logon_state_free(void *p)
{
    fm_rop_logon_state *ls = p;

    if (ls) {
        fm_free(ls->mailbox);
        fm_free(ls);
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The mailbox name an Essdn means (fm_malloc'd), or NULL on OOM. */
static char *essdn_name(const char *essdn)
{
    const char *p = essdn, *cn = NULL;
    char *out, *o;

    for (; *p; p++)
        if (strncasecmp(p, "/cn=", 4) == 0)
            cn = p + 4;
    if (!cn)
        return fm_strdup(essdn);
    out = fm_malloc(strlen(cn) + 1);
    if (!out)
        return NULL;
    for (o = out; *cn; cn++) {
        if (cn[0] == '%' && hexval(cn[1]) >= 0 && hexval(cn[2]) >= 0) {
            *o++ = (char)(hexval(cn[1]) << 4 | hexval(cn[2]));
            cn += 2;
        } else {
            *o++ = *cn;
        }
    }
    *o = '\0';
    return out;
}

/* The FID of the folder whose entry ID is the store property tag (0 when
 * the store has no such folder). */
static uint64_t store_folder_fid(IMsgStore *mdb, const fm_rop_logon_state *ls, ULONG tag)
{
    SPropTagArray one = {1, {tag}};
    LPSPropValue v = NULL;
    ULONG n = 0;
    uint64_t fid = 0;

    if (SUCCEEDED(mdb->lpVtbl->GetProps(mdb, &one, 0, &n, &v)) && v &&
        PROP_TYPE(v[0].ulPropTag) == PT_BINARY)
        (void)fm_rop_id_from_entryid(ls, &v[0].Value.bin, FM_EID_FOLDER, &fid);
    MAPIFreeBuffer(v);
    return fid;
}

static uint64_t inbox_fid(IMsgStore *mdb, const fm_rop_logon_state *ls)
{
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    uint64_t fid = 0;

    if (SUCCEEDED(mdb->lpVtbl->GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL)) && eid) {
        SBinary bin = {cb, (LPBYTE)eid};
        (void)fm_rop_id_from_entryid(ls, &bin, FM_EID_FOLDER, &fid);
    }
    MAPIFreeBuffer(eid);
    return fid;
}

/* The root folder's FID and, from its entry ID, the store UID. */
static HRESULT logon_root(IMsgStore *mdb, fm_rop_logon_state *ls, uint64_t *root)
{
    ULONG type = 0, n = 0;
    LPUNKNOWN folder = NULL;
    SPropTagArray one = {1, {PR_ENTRYID}};
    LPSPropValue v = NULL;
    MAPIUID uid;
    int kind;
    uint64_t id;
    HRESULT hr;

    hr = mdb->lpVtbl->OpenEntry(mdb, 0, NULL, NULL, 0, &type, &folder);
    if (FAILED(hr))
        return hr;
    hr = ((LPMAPIPROP)folder)->lpVtbl->GetProps((LPMAPIPROP)folder, &one, 0, &n, &v);
    if (SUCCEEDED(hr) && (PROP_TYPE(v[0].ulPropTag) != PT_BINARY ||
                          FAILED(fm_entryid_parse(v[0].Value.bin.cb,
                                                  (const ENTRYID *)v[0].Value.bin.lpb, &uid,
                                                  &kind, &id))))
        hr = fm_error_set(MAPI_E_CORRUPT_STORE, "the root folder has no entry ID");
    if (SUCCEEDED(hr)) {
        ls->uid = uid;
        *root = fm_rop_id_make(id);
        hr = S_OK;
    }
    MAPIFreeBuffer(v);
    folder->lpVtbl->Release(folder);
    return hr;
}

/* The success response for a private mailbox ([MS-OXCROPS] 2.2.3.1.2). */
static void logon_put_success(fm_rop_call *call, uint8_t out_index, uint8_t logon_flags,
                              IMsgStore *mdb, fm_rop_logon_state *ls, uint64_t root,
                              ULONG rights)
{
    fm_rop_writer *w = call->resp;
    uint64_t fids[13] = {0};
    time_t now = time(NULL);
    struct tm tm;
    int i;

    /* FolderIds ([MS-OXCSTOR] 2.2.1.1.3): Root, Deferred Action, Spooler
     * Queue, IPM subtree, Inbox, Outbox, Sent Items, Deleted Items, Common
     * Views, Schedule, Search, Views, Shortcuts; freemapi has no deferred
     * action, spooler queue, schedule or shortcuts folder (0). */
    fids[0] = root;
    fids[3] = store_folder_fid(mdb, ls, PR_IPM_SUBTREE_ENTRYID);
    fids[4] = inbox_fid(mdb, ls);
    fids[5] = store_folder_fid(mdb, ls, PR_IPM_OUTBOX_ENTRYID);
    fids[6] = store_folder_fid(mdb, ls, PR_IPM_SENTMAIL_ENTRYID);
    fids[7] = store_folder_fid(mdb, ls, PR_IPM_WASTEBASKET_ENTRYID);
    fids[8] = store_folder_fid(mdb, ls, PR_COMMON_VIEWS_ENTRYID);
    fids[10] = store_folder_fid(mdb, ls, PR_FINDER_ENTRYID);
    fids[11] = store_folder_fid(mdb, ls, PR_VIEWS_ENTRYID);

    fm_rop_put_u8(w, FM_ROP_LOGON);
    fm_rop_put_u8(w, out_index);
    fm_rop_put_u32(w, 0);
    fm_rop_put_u8(w, logon_flags);
    for (i = 0; i < 13; i++)
        fm_rop_put_u64(w, fids[i]);
    fm_rop_put_u8(w, (uint8_t)(RESPONSE_RESERVED |
                               (rights & (FMAPI_RIGHT_OWNER | FMAPI_RIGHT_FULL_ACCESS)
                                    ? RESPONSE_OWNER_RIGHT : 0) |
                               (rights & (FMAPI_RIGHT_OWNER | FMAPI_RIGHT_SEND_AS)
                                    ? RESPONSE_SEND_AS_RIGHT : 0)));
    fm_rop_put_bytes(w, ls->uid.ab, 16); /* MailboxGuid */
    fm_rop_put_u16(w, FM_ROP_REPLID);     /* ReplId */
    fm_rop_put_bytes(w, ls->uid.ab, 16); /* ReplGuid: the GUID of the source keys */
    /* LogonTime: Seconds, Minutes, Hour, DayOfWeek, Day, Month, Year (2) */
    gmtime_r(&now, &tm);
    fm_rop_put_u8(w, (uint8_t)tm.tm_sec);
    fm_rop_put_u8(w, (uint8_t)tm.tm_min);
    fm_rop_put_u8(w, (uint8_t)tm.tm_hour);
    fm_rop_put_u8(w, (uint8_t)tm.tm_wday);
    fm_rop_put_u8(w, (uint8_t)tm.tm_mday);
    fm_rop_put_u8(w, (uint8_t)(tm.tm_mon + 1));
    fm_rop_put_u16(w, (uint16_t)(tm.tm_year + 1900));
    fm_rop_put_u64(w, 0); /* GwartTime: no address-book change time kept */
    fm_rop_put_u32(w, 0); /* StoreState */
}

static uint32_t logon_open(fm_rop_call *call, const char *name, IMsgStore **mdb, ULONG *rights)
{
    HRESULT hr = fmapi_site_rights(call->ctx->site, call->ctx->user, name, rights);

    if (hr == MAPI_E_NOT_FOUND)
        return EC_UNKNOWN_USER;
    if (FAILED(hr))
        return fm_rop_ec(hr);
    if (!(*rights & (FMAPI_RIGHT_OWNER | FMAPI_RIGHT_FULL_ACCESS))) {
        fm_error_set(MAPI_E_NO_ACCESS, "%s may not open the mailbox of %s", call->ctx->user, name);
        return EC_ACCESS_DENIED;
    }
    hr = fmapi_site_open_mailbox(call->ctx->site, name, 0, mdb);
    if (hr == MAPI_E_NOT_FOUND)
        return EC_UNKNOWN_USER;
    return fm_rop_ec(hr);
}

/* [MS-OXCROPS] 2.2.3.1.1: RopId 0xFE, LogonId, OutputHandleIndex,
 * LogonFlags (1), OpenFlags (4), StoreState (4), EssdnSize (2), Essdn
 * (EssdnSize bytes, a NUL-terminated ASCII string). */
HRESULT fm_rop_logon(fm_rop_call *call)
{
    uint8_t out_index = call->input_index, logon_flags;
    uint16_t essdn_size;
    const uint8_t *essdn;
    char *text = NULL, *name = NULL;
    IMsgStore *mdb = NULL;
    fm_rop_logon_state *ls = NULL;
    fm_rop_object *obj = NULL;
    ULONG rights = 0;
    uint64_t root = 0;
    uint32_t ec;
    HRESULT hr = S_OK;

    logon_flags = fm_rop_get_u8(call->req);
    (void)fm_rop_get_u32(call->req); /* OpenFlags */
    (void)fm_rop_get_u32(call->req); /* StoreState */
    essdn_size = fm_rop_get_u16(call->req);
    essdn = fm_rop_get_bytes(call->req, essdn_size);
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    if (!fm_rop_output_ok(call, out_index)) {
        fm_rop_put_failure(call, out_index, FM_EC_NULL_OBJECT);
        return S_OK;
    }
    if (!(logon_flags & LOGON_PRIVATE)) { /* no public folders here */
        fm_rop_put_failure(call, out_index, FM_EC_NOT_SUPPORTED);
        return S_OK;
    }
    text = fm_malloc((size_t)essdn_size + 1);
    if (!text)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(text, essdn, essdn_size);
    text[essdn_size] = '\0';
    name = essdn_name(text);
    ls = fm_calloc(1, sizeof(*ls));
    if (!name || !ls) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto cleanup;
    }
    ec = *name ? logon_open(call, name, &mdb, &rights) : EC_UNKNOWN_USER;
    if (ec == 0)
        ec = fm_rop_ec(logon_root(mdb, ls, &root));
    if (ec == (uint32_t)MAPI_E_NOT_ENOUGH_MEMORY) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto cleanup;
    }
    if (ec != 0) {
        fm_rop_put_failure(call, out_index, ec);
        goto cleanup;
    }
    ls->mailbox = name;
    name = NULL;
    /* [MS-OXCROPS] 2.2.3.1.1: an active LogonId is released and replaced. */
    if (call->ctx->logons[call->logon_id])
        fm_rop_object_release(call->ctx, call->ctx->logons[call->logon_id]);
    hr = fm_rop_object_add(call->ctx, FM_ROP_OBJ_LOGON, NULL, call->logon_id, (LPUNKNOWN)mdb,
                           &obj);
    mdb = NULL;
    if (FAILED(hr))
        goto cleanup;
    obj->state = ls;
    obj->state_free = logon_state_free;
    ls = NULL;
    call->ctx->logons[call->logon_id] = obj;
    fm_rop_set_output(call, out_index, obj);
    logon_put_success(call, out_index, logon_flags, (IMsgStore *)obj->unk, obj->state, root,
                      rights);

cleanup:
    if (mdb)
        mdb->lpVtbl->Release(mdb);
    logon_state_free(ls);
    fm_free(name);
    fm_free(text);
    return hr;
}

/* [MS-OXCROPS] 2.2.3.2.1 RopGetReceiveFolder (0x27) on a logon:
 * MessageClass (a NUL-terminated ASCII string). Response 2.2.3.2.2:
 * FolderId (8), ExplicitMessageClass (NUL-terminated ASCII): the store's
 * IMsgStore::GetReceiveFolder. */
HRESULT fm_rop_get_receive_folder(fm_rop_call *call)
{
    const uint8_t *p = call->req->p + call->req->pos;
    size_t left = fm_rop_reader_left(call->req), n = 0;
    fm_rop_object *obj;
    IMsgStore *mdb;
    LPENTRYID eid = NULL;
    LPSTR explicit_class = NULL;
    ULONG cb = 0;
    uint64_t fid = 0;
    uint32_t ec;
    HRESULT hr;

    while (n < left && p[n])
        n++;
    if (n == left)
        return MAPI_E_CORRUPT_DATA;
    (void)fm_rop_get_bytes(call->req, n + 1);
    obj = fm_rop_input(call, call->input_index, 1u << FM_ROP_OBJ_LOGON, &ec);
    if (!obj) {
        fm_rop_put_failure(call, call->input_index, ec);
        return S_OK;
    }
    mdb = (IMsgStore *)obj->unk;
    hr = mdb->lpVtbl->GetReceiveFolder(mdb, n ? (LPTSTR)p : NULL, 0, &cb, &eid,
                                       (LPTSTR *)&explicit_class);
    if (SUCCEEDED(hr)) {
        SBinary bin = {cb, (LPBYTE)eid};
        if (!fm_rop_id_from_entryid(obj->state, &bin, FM_EID_FOLDER, &fid))
            hr = fm_error_set(MAPI_E_CALL_FAILED, "the receive folder has no folder ID");
    }
    MAPIFreeBuffer(eid);
    if (FAILED(hr)) {
        MAPIFreeBuffer(explicit_class);
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
            return hr;
        fm_rop_put_failure(call, call->input_index, fm_rop_ec(hr));
        return S_OK;
    }
    fm_rop_put_u8(call->resp, call->rop_id);
    fm_rop_put_u8(call->resp, call->input_index);
    fm_rop_put_u32(call->resp, 0);
    fm_rop_put_u64(call->resp, fid);
    fm_rop_put_bytes(call->resp, explicit_class ? explicit_class : "",
                     (explicit_class ? strlen(explicit_class) : 0) + 1);
    MAPIFreeBuffer(explicit_class);
    return S_OK;
}

/* Long-term IDs ([MS-OXCDATA] 2.2.1.3.1 LongTermID: DatabaseGuid (16),
 * GlobalCounter (6), Pad (2)) of a freemapi store: its one replica's GUID
 * is the logon's ReplGuid (the GUID of its source keys), and the counter is
 * the short-term ID's GlobalCounter unchanged (rop_ids.c). An ID of another
 * replica or GUID is ecNotFound. */
#define EC_NOT_FOUND 0x8004010Fu

static fm_rop_logon_state *id_logon(fm_rop_call *call)
{
    uint32_t ec;
    fm_rop_object *obj = fm_rop_input(call, call->input_index, 1u << FM_ROP_OBJ_LOGON, &ec);

    if (!obj) {
        fm_rop_put_failure(call, call->input_index, ec);
        return NULL;
    }
    return fm_rop_logon_of(obj);
}

/* [MS-OXCROPS] 2.2.3.8.1: RopId 0x43, LogonId, InputHandleIndex, ObjectId
 * (8). Response 2.2.3.8.2: RopId, InputHandleIndex, ReturnValue, LongTermId
 * (24). */
HRESULT fm_rop_long_term_id_from_id(fm_rop_call *call)
{
    uint64_t wire = fm_rop_get_u64(call->req), id;
    fm_rop_logon_state *ls;

    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    if (!(ls = id_logon(call)))
        return S_OK;
    if (!fm_rop_id_parse(wire, &id)) {
        fm_rop_put_failure(call, call->input_index, EC_NOT_FOUND);
        return S_OK;
    }
    fm_rop_put_ok(call, call->input_index);
    fm_rop_put_bytes(call->resp, ls->uid.ab, 16);
    for (int i = 0; i < 6; i++) /* the ObjectId's GlobalCounter bytes, in order */
        fm_rop_put_u8(call->resp, (uint8_t)(wire >> (16 + 8 * i)));
    fm_rop_put_u16(call->resp, 0);
    return S_OK;
}

/* [MS-OXCROPS] 2.2.3.9.1: RopId 0x44, LogonId, InputHandleIndex,
 * LongTermId (24). Response 2.2.3.9.2: RopId, InputHandleIndex,
 * ReturnValue, ObjectId (8). */
HRESULT fm_rop_id_from_long_term_id(fm_rop_call *call)
{
    const uint8_t *lt = fm_rop_get_bytes(call->req, 24);
    fm_rop_logon_state *ls;
    uint64_t counter = 0, id;

    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    if (!(ls = id_logon(call)))
        return S_OK;
    for (int i = 5; i >= 0; i--)
        counter = counter << 8 | lt[16 + i];
    if (memcmp(lt, ls->uid.ab, 16) != 0 || !fm_rop_id_parse(fm_rop_id_make(counter), &id)) {
        fm_rop_put_failure(call, call->input_index, EC_NOT_FOUND);
        return S_OK;
    }
    fm_rop_put_ok(call, call->input_index);
    fm_rop_put_u64(call->resp, fm_rop_id_make(counter));
    return S_OK;
}
