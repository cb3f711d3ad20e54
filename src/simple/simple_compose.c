/*
 * simple/simple_compose.c - what MAPISendMail and MAPISaveMail share: a
 * MapiMessage's recipients resolved through the session's address book and
 * added to a message, its files attached by value, and the standard folders
 * of the session's default store.
 *
 * Recipients are resolved as MAPISendMail documents: an entry ID is taken
 * as it is, an "SMTP:..." address (or any "type:address") by its address,
 * anything else by its name; MAPI_E_UNKNOWN_RECIPIENT and
 * MAPI_E_AMBIGUOUS_RECIPIENT say which could not be. A file that cannot be
 * read is MAPI_E_ATTACHMENT_OPEN_FAILURE.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "simple/simple.h"

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* What ResolveName is given for a recipient: its entry ID, or a name. */
static HRESULT recipient_row(const MapiRecipDesc *r, LPSPropValue *out, ULONG *count)
{
    LPSPropValue p = NULL;
    HRESULT hr = MAPIAllocateBuffer(3 * sizeof *p, (void **)&p);
    if (hr != S_OK)
        return hr;
    const char *name = r->lpszName;
    const char *addr = r->lpszAddress;
    if (addr != NULL && strchr(addr, ':') != NULL)
        addr = strchr(addr, ':') + 1; /* "SMTP:bob@example.org" */
    if (addr != NULL && addr[0] != '\0' && r->ulEIDSize == 0)
        name = addr; /* resolving by address finds the one meant */
    p[0].ulPropTag = PR_DISPLAY_NAME_A;
    p[0].Value.lpszA = (LPSTR)(name ? name : "");
    p[1].ulPropTag = PR_RECIPIENT_TYPE;
    p[1].Value.l = (LONG)r->ulRecipClass;
    *count = 2;
    if (r->ulEIDSize > 0 && r->lpEntryID != NULL) {
        p[2].ulPropTag = PR_ENTRYID;
        p[2].Value.bin.cb = r->ulEIDSize;
        p[2].Value.bin.lpb = r->lpEntryID; /* copied by ModifyRecipients */
        *count = 3;
    }
    *out = p;
    return S_OK;
}

ULONG fm_simple_add_recipients(fm_simple *s, IMessage *msg, const MapiMessage *m)
{
    ULONG n = 0;
    for (ULONG i = 0; i < m->nRecipCount; i++)
        n += m->lpRecips[i].ulRecipClass != MAPI_ORIG;
    LPADRLIST list = NULL;
    HRESULT hr = MAPIAllocateBuffer(CbNewADRLIST(n), (void **)&list);
    if (hr != S_OK)
        return MAPI_E_INSUFFICIENT_MEMORY;
    list->cEntries = 0;
    for (ULONG i = 0; hr == S_OK && i < m->nRecipCount; i++) {
        if (m->lpRecips[i].ulRecipClass == MAPI_ORIG)
            continue;
        ADRENTRY *e = &list->aEntries[list->cEntries];
        e->ulReserved1 = 0;
        hr = recipient_row(&m->lpRecips[i], &e->rgPropVals, &e->cValues);
        if (hr == S_OK)
            list->cEntries++;
    }
    ULONG code = SUCCESS_SUCCESS;
    if (hr == S_OK) {
        hr = IAddrBook_ResolveName(s->ab, 0, 0, NULL, list);
        if (hr == MAPI_E_NOT_FOUND)
            code = MAPI_E_UNKNOWN_RECIPIENT;
        else if (hr == MAPI_E_AMBIGUOUS_RECIP)
            code = MAPI_E_AMBIGUOUS_RECIPIENT;
    }
    if (hr == S_OK)
        hr = IMessage_ModifyRecipients(msg, MODRECIP_ADD, list);
    FreePadrlist(list);
    return code != SUCCESS_SUCCESS ? code : fm_simple_code(hr);
}

static HRESULT copy_file(int fd, IStream *st)
{
    char buf[65536];
    for (;;) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return fm_error_set(MAPI_E_DISK_ERROR, "reading an attachment: %s",
                                strerror(errno));
        if (got == 0)
            return IStream_Commit(st, 0);
        ULONG written = 0;
        HRESULT hr = IStream_Write(st, buf, (ULONG)got, &written);
        if (hr != S_OK)
            return hr;
    }
}

ULONG fm_simple_attach_file(IMessage *msg, const MapiFileDesc *f)
{
    int fd = open(f->lpszPathName, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fm_error_set(MAPI_E_NO_ACCESS, "cannot open attachment %s: %s", f->lpszPathName,
                     strerror(errno));
        return MAPI_E_ATTACHMENT_OPEN_FAILURE;
    }
    const char *name = f->lpszFileName && f->lpszFileName[0] ? f->lpszFileName
                                                             : base_name(f->lpszPathName);
    LPATTACH att = NULL;
    ULONG num = 0;
    IStream *st = NULL;
    HRESULT hr = IMessage_CreateAttach(msg, NULL, 0, &num, &att);
    SPropValue v[4] = {
        { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE },
        { .ulPropTag = PR_ATTACH_LONG_FILENAME_A, .Value.lpszA = (LPSTR)name },
        { .ulPropTag = PR_ATTACH_FILENAME_A, .Value.lpszA = (LPSTR)name },
        { .ulPropTag = PR_RENDERING_POSITION, .Value.l = (LONG)f->nPosition },
    };
    if (hr == S_OK)
        hr = IAttach_SetProps(att, 4, v, NULL);
    if (hr == S_OK)
        hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_BIN, &IID_IStream, 0,
                                  MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&st);
    if (hr == S_OK)
        hr = copy_file(fd, st);
    if (st != NULL)
        IStream_Release(st);
    if (hr == S_OK)
        hr = IAttach_SaveChanges(att, 0);
    if (att != NULL)
        IAttach_Release(att);
    close(fd);
    return hr == MAPI_E_DISK_ERROR ? MAPI_E_ATTACHMENT_OPEN_FAILURE : fm_simple_code(hr);
}

HRESULT fm_simple_open_folder(fm_simple *s, ULONG tag, LPMAPIFOLDER *out)
{
    LPSPropValue eid = NULL;
    ULONG type = 0;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)s->store, tag, &eid);
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(s->store, eid->Value.bin.cb, (LPENTRYID)eid->Value.bin.lpb,
                                 NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)out);
    MAPIFreeBuffer(eid);
    return hr;
}
