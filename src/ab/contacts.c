/*
 * ab/contacts.c - the user's Contacts folder as a personal address book
 * container (ab.h): its contacts with an e-mail address are SMTP mail
 * users.
 *
 * The folder is the one PR_IPM_CONTACT_ENTRYID of the user's mailbox
 * names; a contact's address, display name and address type are the named
 * properties PidLidEmail1EmailAddress, PidLidEmail1DisplayName and
 * PidLidEmail1AddressType of PSETID_Address ([MS-OXOCNTC] 2.2.1.2). The
 * store is opened for each call and released at its end, and its rows are
 * read CONTACT_PAGE at a time, so the container holds nothing between
 * calls. A contact's entry ID is the directory entry ID form with kind
 * FM_AB_KIND_CONTACT and the message's id.
 */
#include <string.h>

#include "ab/ab.h"
#include "core/alloc.h"
#include "freemapi_store.h"
#include "mapiguid.h"
#include "mapiutil.h"
#include "store/entryid.h"

#define CONTACT_PAGE 64
#define LID_EMAIL1_DISPLAY 0x8080
#define LID_EMAIL1_TYPE 0x8082
#define LID_EMAIL1_ADDRESS 0x8083

bool fm_ab_has_contacts(fm_ab *ab)
{
    return ab->id != NULL && ab->id->user.has_store;
}

typedef struct contacts {
    LPMDB mdb;
    LPMAPIFOLDER folder;
    ULONG tags[3]; /* display, type, address as PT_STRING8 */
} contacts;

static void contacts_close(contacts *c)
{
    if (c->folder)
        IMAPIFolder_Release(c->folder);
    if (c->mdb)
        IMsgStore_Release(c->mdb);
}

static HRESULT named_tags(contacts *c)
{
    static const LONG lids[3] = { LID_EMAIL1_DISPLAY, LID_EMAIL1_TYPE, LID_EMAIL1_ADDRESS };
    MAPINAMEID names[3], *pnames[3];
    for (int i = 0; i < 3; i++) {
        names[i].lpguid = (LPGUID)&PSETID_Address;
        names[i].ulKind = MNID_ID;
        names[i].Kind.lID = lids[i];
        pnames[i] = &names[i];
    }
    LPSPropTagArray tags = NULL;
    HRESULT hr = IMsgStore_GetIDsFromNames(c->mdb, 3, pnames, MAPI_CREATE, &tags);
    if (hr == S_OK)
        for (int i = 0; i < 3; i++)
            c->tags[i] = PROP_TAG(PT_STRING8, PROP_ID(tags->aulPropTag[i]));
    MAPIFreeBuffer(tags);
    return hr;
}

HRESULT fm_ab_contacts_locate(fm_ab *ab, LPMDB *mdb, LPSPropValue *folder_eid)
{
    *mdb = NULL;
    *folder_eid = NULL;
    char *path = fm_site_store_path(ab->id->site, ab->id->user.id);
    if (path == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening the contacts");
    HRESULT hr = fmapi_store_open(path, 0, mdb);
    fm_free(path);
    ULONG type = 0;
    LPMAPIFOLDER root = NULL;
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(*mdb, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root);
    SPropTagArray t = { 1, { PR_IPM_CONTACT_ENTRYID } };
    ULONG n = 0;
    if (hr == S_OK)
        hr = IMAPIFolder_GetProps(root, &t, 0, &n, folder_eid);
    if (hr == MAPI_W_ERRORS_RETURNED)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "the mailbox has no Contacts folder");
    if (root)
        IMAPIFolder_Release(root);
    if (hr != S_OK) {
        MAPIFreeBuffer(*folder_eid);
        *folder_eid = NULL;
        if (*mdb)
            IMsgStore_Release(*mdb);
        *mdb = NULL;
    }
    return hr;
}

static HRESULT contacts_open(fm_ab *ab, contacts *c)
{
    memset(c, 0, sizeof *c);
    LPSPropValue v = NULL;
    ULONG type = 0;
    HRESULT hr = fm_ab_contacts_locate(ab, &c->mdb, &v);
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(c->mdb, v->Value.bin.cb, (LPENTRYID)v->Value.bin.lpb, NULL, 0,
                                 &type, (LPUNKNOWN *)&c->folder);
    MAPIFreeBuffer(v);
    if (hr == S_OK)
        hr = named_tags(c);
    if (hr != S_OK)
        contacts_close(c);
    return hr;
}

static const char *str(const SRow *r, ULONG tag)
{
    LPSPropValue v = PpropFindProp(r->lpProps, r->cValues, tag);
    return v && v->Value.lpszA && v->Value.lpszA[0] ? v->Value.lpszA : NULL;
}

/* The mail-user properties of one contact row (NULL *props: no address). */
static HRESULT row_props(const contacts *c, const SRow *r, unsigned how, fm_site_entry *e,
                         ULONG *n, LPSPropValue *props)
{
    *props = NULL;
    memset(e, 0, sizeof *e);
    const char *addr = str(r, c->tags[2]);
    LPSPropValue eid = PpropFindProp(r->lpProps, r->cValues, PR_ENTRYID);
    if (addr == NULL || eid == NULL)
        return S_OK;
    MAPIUID uid;
    int kind = 0;
    uint64_t mid = 0;
    HRESULT hr = fm_entryid_parse(eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb, &uid, &kind,
                                  &mid);
    if (hr != S_OK)
        return hr;
    const char *type = str(r, c->tags[1]);
    const char *display = str(r, PR_DISPLAY_NAME_A);
    if (display == NULL)
        display = str(r, c->tags[0]);
    e->id = (int64_t)mid;
    e->kind = FM_AB_KIND_CONTACT;
    e->display = (char *)(display ? display : addr);
    e->smtp = (char *)addr;
    (void)type; /* contacts are resolved as SMTP recipients whatever they say */
    return fm_ab_contact_entry_props(e, how, n, props);
}

HRESULT fm_ab_contacts_scan(fm_ab *ab, fmapi_restriction *res, fm_ab_visit_fn fn, void *ctx)
{
    if (!fm_ab_has_contacts(ab))
        return S_OK;
    contacts c;
    HRESULT hr = contacts_open(ab, &c);
    if (hr != S_OK)
        return hr;
    LPMAPITABLE t = NULL;
    hr = IMAPIFolder_GetContentsTable(c.folder, 0, &t);
    SizedSPropTagArray(5, cols) = { 5, { PR_ENTRYID, PR_DISPLAY_NAME_A, c.tags[0], c.tags[1],
                                         c.tags[2] } };
    if (hr == S_OK)
        hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (res)
        fmapi_restriction_reset(res);
    while (hr == S_OK) {
        LPSRowSet rows = NULL;
        hr = IMAPITable_QueryRows(t, CONTACT_PAGE, 0, &rows);
        if (hr != S_OK)
            break;
        ULONG got = rows->cRows;
        for (ULONG i = 0; i < got && hr == S_OK; i++) {
            ULONG n = 0;
            LPSPropValue props = NULL;
            fm_site_entry e;
            hr = row_props(&c, &rows->aRow[i], FM_AB_PROPS_ANR, &e, &n, &props);
            BOOL match = TRUE;
            if (hr == S_OK && props && res)
                hr = fmapi_restriction_eval(res, n, props, NULL, &match);
            if (hr == S_OK && props && match)
                hr = fn(ctx, &e, n, props);
            MAPIFreeBuffer(props);
        }
        FreeProws(rows);
        if (got < CONTACT_PAGE)
            break;
    }
    if (hr == S_FALSE)
        hr = S_OK;
    if (t)
        IMAPITable_Release(t);
    contacts_close(&c);
    return hr;
}

HRESULT fm_ab_contact_get(fm_ab *ab, int64_t mid, ULONG *n, LPSPropValue *props)
{
    *props = NULL;
    if (!fm_ab_has_contacts(ab))
        return fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "the profile has no mailbox with contacts");
    contacts c;
    HRESULT hr = contacts_open(ab, &c);
    if (hr != S_OK)
        return hr;
    BYTE eid[FM_EID_SIZE];
    fm_entryid_write(&ab->id->user.store_uid, FM_EID_MESSAGE, (uint64_t)mid, eid);
    ULONG type = 0;
    LPMESSAGE msg = NULL;
    hr = IMsgStore_OpenEntry(c.mdb, sizeof eid, (LPENTRYID)eid, NULL, 0, &type,
                             (LPUNKNOWN *)&msg);
    if (hr == MAPI_E_NOT_FOUND)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "the contact no longer exists");
    SizedSPropTagArray(5, cols) = { 5, { PR_ENTRYID, PR_DISPLAY_NAME_A, c.tags[0], c.tags[1],
                                         c.tags[2] } };
    SRow row = { 0, 0, NULL };
    if (hr == S_OK) {
        hr = IMessage_GetProps(msg, (LPSPropTagArray)&cols, 0, &row.cValues, &row.lpProps);
        if (hr == MAPI_W_ERRORS_RETURNED)
            hr = S_OK;
    }
    fm_site_entry e;
    if (hr == S_OK)
        hr = row_props(&c, &row, 0, &e, n, props);
    if (hr == S_OK && *props == NULL)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "the contact has no e-mail address");
    MAPIFreeBuffer(row.lpProps);
    if (msg)
        IMessage_Release(msg);
    contacts_close(&c);
    return hr;
}
