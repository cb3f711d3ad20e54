/*
 * msg/msgcopy.c - copying a message, attachment or any IMAPIProp to another
 * through their public interfaces only: the CopyTo of messages on storages,
 * and what fmapi_msg_save and fmapi_msg_import do between a store and a
 * .msg file (msgfile.c).
 *
 * Properties are read with MAPI_UNICODE (strings in UTF-16) and set in one
 * SetProps; named properties are matched by name, not ID (each side has
 * its own map), with a cache of the IDs already mapped; values the source
 * will not return whole (MAPI_E_NOT_ENOUGH_MEMORY) go stream to stream.
 * Recipients are copied as the rows of the recipient table (every column),
 * attachments one by one with their embedded messages (to
 * FM_MSG_MAX_DEPTH) and OLE storages.
 *
 * What is not copied, on purpose: the identity of objects in their
 * container (entry IDs, record and source keys, PR_ROWID, PR_ATTACH_NUM,
 * PR_INSTANCE_KEY, store properties), which each destination makes its
 * own. Problems the destination reports as MAPI_E_COMPUTED are its own
 * computed properties and are expected. Anything else that cannot be
 * copied (an unreadable property of a damaged file, a named property
 * without a name, an OLE storage the destination cannot hold) is counted,
 * named in the error text, and makes the copy return
 * MAPI_W_ERRORS_RETURNED: everything else is still copied.
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "msg/msg.h"

#define NAMED_IDS 0x8000u
#define NO_ID 0xFFFFFFFFu

typedef struct copier {
    ULONG *ids;       /* source named ID - 0x8000 -> destination ID; 0 unknown */
    unsigned lost;    /* what could not be copied */
    char lost_text[256];
    ULONG flags;
} copier;

static const ULONG IDENTITY[] = {
    PR_ENTRYID, PR_RECORD_KEY, PR_SOURCE_KEY, PR_PARENT_ENTRYID, PR_PARENT_SOURCE_KEY,
    PR_STORE_ENTRYID, PR_STORE_RECORD_KEY, PR_STORE_SUPPORT_MASK, PR_STORE_UNICODE_MASK,
    PR_OBJECT_TYPE, PR_ACCESS, PR_ACCESS_LEVEL, PR_ATTACH_NUM, PR_INSTANCE_KEY, PR_ROWID,
    PR_MAPPING_SIGNATURE, PR_MSG_STATUS,
};

static bool identity(ULONG tag)
{
    for (size_t i = 0; i < sizeof IDENTITY / sizeof IDENTITY[0]; i++) {
        if (PROP_ID(IDENTITY[i]) == PROP_ID(tag))
            return true;
    }
    return false;
}

static bool listed(const SPropTagArray *a, ULONG tag)
{
    for (ULONG i = 0; a != NULL && i < a->cValues; i++) {
        if (PROP_ID(a->aulPropTag[i]) == PROP_ID(tag))
            return true;
    }
    return false;
}

static void lose(copier *c, const char *what, ULONG tag)
{
    if (c->lost++ == 0)
        snprintf(c->lost_text, sizeof c->lost_text, "%s 0x%08lX", what, (unsigned long)tag);
}

/* ---- named properties ------------------------------------------------------------------ */

static HRESULT map_id(copier *c, IMAPIProp *src, IMAPIProp *dst, ULONG tag, ULONG *out)
{
    ULONG id = PROP_ID(tag);
    *out = tag;
    if (id < NAMED_IDS)
        return S_OK;
    if (c->ids == NULL && (c->ids = fm_calloc(NAMED_IDS, sizeof *c->ids)) == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "copy: out of memory");
    ULONG *slot = &c->ids[id - NAMED_IDS];
    if (*slot == 0) {
        SizedSPropTagArray(1, one) = { 1, { tag } };
        LPSPropTagArray tags = (LPSPropTagArray)&one, dtags = NULL;
        ULONG n = 0;
        LPMAPINAMEID *names = NULL;
        HRESULT hr = src->lpVtbl->GetNamesFromIDs(src, &tags, NULL, 0, &n, &names);
        if (FAILED(hr))
            return hr;
        *slot = NO_ID;
        if (n == 1 && names[0] != NULL) {
            hr = dst->lpVtbl->GetIDsFromNames(dst, 1, names, MAPI_CREATE, &dtags);
            if (hr == S_OK && PROP_TYPE(dtags->aulPropTag[0]) != PT_ERROR)
                *slot = PROP_ID(dtags->aulPropTag[0]);
            else if (FAILED(hr) && hr != MAPI_E_NO_ACCESS) {
                MAPIFreeBuffer(names);
                return hr;
            }
        }
        MAPIFreeBuffer(names);
        MAPIFreeBuffer(dtags);
    }
    if (*slot == NO_ID)
        *out = PROP_TAG(PT_ERROR, id);
    else
        *out = PROP_TAG(PROP_TYPE(tag), *slot);
    return S_OK;
}

/* ---- properties ----------------------------------------------------------------------- */

static HRESULT copy_stream(IMAPIProp *src, IMAPIProp *dst, ULONG stag, ULONG dtag)
{
    IStream *in = NULL, *out = NULL;
    HRESULT hr = src->lpVtbl->OpenProperty(src, stag, &IID_IStream, 0, 0, (LPUNKNOWN *)&in);
    if (hr == S_OK)
        hr = dst->lpVtbl->OpenProperty(dst, dtag, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY,
                                       (LPUNKNOWN *)&out);
    if (hr == S_OK) {
        ULARGE_INTEGER all = { .QuadPart = UINT64_MAX };
        hr = IStream_CopyTo(in, out, all, NULL, NULL);
        if (SUCCEEDED(hr))
            hr = IStream_Commit(out, STGC_DEFAULT);
        if (FAILED(hr))
            hr = fm_error_set(MapStorageSCode(hr) == MAPI_E_CALL_FAILED ? hr : MapStorageSCode(hr),
                              "copy: streaming property 0x%08lX failed: %s", (unsigned long)stag,
                              fm_error_text());
    }
    if (in != NULL)
        IStream_Release(in);
    if (out != NULL)
        IStream_Release(out);
    return hr;
}

/* The tags to copy: include, or everything the source lists. */
static HRESULT tags_to_copy(IMAPIProp *src, const SPropTagArray *include,
                            const SPropTagArray *exclude, LPSPropTagArray *out)
{
    LPSPropTagArray list = NULL;
    HRESULT hr = S_OK;
    if (include == NULL) {
        hr = src->lpVtbl->GetPropList(src, MAPI_UNICODE, &list);
    } else {
        hr = MAPIAllocateBuffer(CbNewSPropTagArray(include->cValues ? include->cValues : 1),
                                (void **)&list);
        if (hr == S_OK) {
            list->cValues = include->cValues;
            memcpy(list->aulPropTag, include->aulPropTag, include->cValues * sizeof(ULONG));
        }
    }
    if (hr != S_OK)
        return hr;
    ULONG k = 0;
    for (ULONG i = 0; i < list->cValues; i++) {
        ULONG t = list->aulPropTag[i], type = PROP_TYPE(t);
        if (type == PT_OBJECT || identity(t) || listed(exclude, t))
            continue;
        list->aulPropTag[k++] = type == PT_ERROR ? PROP_TAG(PT_UNSPECIFIED, PROP_ID(t)) : t;
    }
    list->cValues = k;
    *out = list;
    return S_OK;
}

/* Drops what dest already has (MAPI_NOREPLACE). */
static HRESULT drop_existing(IMAPIProp *dst, ULONG n, LPSPropValue v)
{
    LPSPropTagArray tags = NULL;
    HRESULT hr = MAPIAllocateBuffer(CbNewSPropTagArray(n ? n : 1), (void **)&tags);
    if (hr != S_OK)
        return hr;
    tags->cValues = n;
    for (ULONG i = 0; i < n; i++)
        tags->aulPropTag[i] = PROP_TAG(PT_UNSPECIFIED, PROP_ID(v[i].ulPropTag));
    ULONG cn = 0;
    LPSPropValue have = NULL;
    hr = dst->lpVtbl->GetProps(dst, tags, MAPI_UNICODE, &cn, &have);
    for (ULONG i = 0; SUCCEEDED(hr) && i < cn && i < n; i++) {
        if (PROP_TYPE(have[i].ulPropTag) != PT_ERROR || have[i].Value.err != MAPI_E_NOT_FOUND)
            v[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(v[i].ulPropTag));
    }
    MAPIFreeBuffer(have);
    MAPIFreeBuffer(tags);
    return SUCCEEDED(hr) ? S_OK : hr;
}

static HRESULT check_problems(copier *c, LPSPropProblemArray p)
{
    for (ULONG i = 0; p != NULL && i < p->cProblem; i++) {
        SCODE sc = p->aProblem[i].scode;
        if (sc == MAPI_E_COMPUTED)
            continue; /* the destination computes it itself */
        lose(c, "SetProps refused", p->aProblem[i].ulPropTag);
    }
    return S_OK;
}

static HRESULT copy_props(copier *c, IMAPIProp *src, IMAPIProp *dst, const SPropTagArray *include,
                          const SPropTagArray *exclude)
{
    LPSPropTagArray tags = NULL;
    LPSPropValue v = NULL;
    ULONG n = 0;
    HRESULT hr = tags_to_copy(src, include, exclude, &tags);
    if (hr == S_OK && tags->cValues > 0)
        hr = src->lpVtbl->GetProps(src, tags, MAPI_UNICODE, &n, &v);
    if (SUCCEEDED(hr))
        hr = S_OK;
    /* big[i]: the source tag of a value to stream; dtag[i] its destination tag. */
    ULONG *big = fm_malloc((n ? n : 1) * 2 * sizeof *big), nbig = 0;
    if (hr == S_OK && big == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "copy: out of memory");
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        ULONG t = v[i].ulPropTag, asked = tags->aulPropTag[i];
        if (PROP_TYPE(t) == PT_ERROR) {
            SCODE sc = v[i].Value.err;
            if (sc == MAPI_E_NOT_ENOUGH_MEMORY && PROP_TYPE(asked) != PT_UNSPECIFIED) {
                ULONG d = 0;
                hr = map_id(c, src, dst, asked, &d);
                if (hr == S_OK && PROP_TYPE(d) == PT_ERROR)
                    lose(c, "named property without a name", asked);
                else if (hr == S_OK) {
                    big[2 * nbig] = asked;
                    big[2 * nbig++ + 1] = d;
                }
            } else if (sc != MAPI_E_NOT_FOUND) {
                lose(c, "unreadable property", asked);
            }
            continue;
        }
        ULONG d = 0;
        hr = map_id(c, src, dst, t, &d);
        if (hr == S_OK && PROP_TYPE(d) == PT_ERROR)
            lose(c, "named property without a name", t);
        if (hr == S_OK)
            v[i].ulPropTag = d;
    }
    if (hr == S_OK && (c->flags & MAPI_NOREPLACE) && n > 0)
        hr = drop_existing(dst, n, v);
    LPSPropProblemArray problems = NULL;
    if (hr == S_OK && n > 0)
        hr = dst->lpVtbl->SetProps(dst, n, v, &problems);
    if (hr == S_OK)
        hr = check_problems(c, problems);
    for (ULONG i = 0; hr == S_OK && i < nbig; i++)
        hr = copy_stream(src, dst, big[2 * i], big[2 * i + 1]);
    MAPIFreeBuffer(problems);
    fm_free(big);
    MAPIFreeBuffer(v);
    MAPIFreeBuffer(tags);
    return hr;
}

/* ---- recipients ------------------------------------------------------------------------- */

static HRESULT all_rows(LPMAPITABLE t, LPSRowSet *rows)
{
    LPSPropTagArray cols = NULL;
    HRESULT hr = t->lpVtbl->QueryColumns(t, TBL_ALL_COLUMNS, &cols);
    if (hr == S_OK)
        hr = HrQueryAllRows(t, cols, NULL, NULL, 0, rows);
    MAPIFreeBuffer(cols);
    return hr;
}

static HRESULT copy_recipients(copier *c, IMessage *src, IMessage *dst)
{
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    LPADRLIST list = NULL;
    HRESULT hr = src->lpVtbl->GetRecipientTable(src, MAPI_UNICODE, &t);
    if (hr == S_OK)
        hr = all_rows(t, &rows);
    if (hr == S_OK && rows->cRows == 0)
        goto done;
    if (hr == S_OK)
        hr = MAPIAllocateBuffer(CbNewADRLIST(rows->cRows), (void **)&list);
    if (hr == S_OK)
        list->cEntries = 0;
    for (ULONG r = 0; hr == S_OK && r < rows->cRows; r++) {
        SRow *row = &rows->aRow[r];
        ULONG k = 0;
        for (ULONG i = 0; hr == S_OK && i < row->cValues; i++) {
            SPropValue *p = &row->lpProps[i];
            if (PROP_TYPE(p->ulPropTag) == PT_ERROR || PROP_TYPE(p->ulPropTag) == PT_NULL ||
                identity(p->ulPropTag))
                continue;
            ULONG d = 0;
            hr = map_id(c, (IMAPIProp *)src, (IMAPIProp *)dst, p->ulPropTag, &d);
            if (hr == S_OK && PROP_TYPE(d) == PT_ERROR) {
                lose(c, "recipient's named property without a name", p->ulPropTag);
                continue;
            }
            row->lpProps[k] = *p;
            row->lpProps[k++].ulPropTag = d;
        }
        ADRENTRY *e = &list->aEntries[list->cEntries++];
        e->ulReserved1 = 0;
        e->cValues = k;
        e->rgPropVals = row->lpProps; /* ModifyRecipients copies them */
    }
    if (hr == S_OK)
        hr = dst->lpVtbl->ModifyRecipients(dst, (c->flags & MAPI_NOREPLACE) ? MODRECIP_ADD : 0,
                                           list);
done:
    MAPIFreeBuffer(list);
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        t->lpVtbl->Release(t);
    return hr;
}

/* ---- attachments ------------------------------------------------------------------------- */

static HRESULT copy_object(copier *c, IMAPIProp *src, IMAPIProp *dst, const SPropTagArray *include,
                           const SPropTagArray *exclude, bool recipients, bool attachments,
                           unsigned depth);

static HRESULT copy_embedded(copier *c, IAttach *src, IAttach *dst, unsigned depth)
{
    IMessage *in = NULL, *out = NULL;
    HRESULT hr = src->lpVtbl->OpenProperty(src, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                           (LPUNKNOWN *)&in);
    if (hr == MAPI_E_NOT_FOUND) {
        lose(c, "embedded message missing from attachment with PR_ATTACH_METHOD",
             PR_ATTACH_METHOD);
        return S_OK;
    }
    if (hr == S_OK)
        hr = dst->lpVtbl->OpenProperty(dst, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                       MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&out);
    if (hr == S_OK)
        hr = copy_object(c, (IMAPIProp *)in, (IMAPIProp *)out, NULL, NULL, true, true, depth + 1);
    if (hr == S_OK)
        hr = out->lpVtbl->SaveChanges(out, 0);
    if (in != NULL)
        in->lpVtbl->Release(in);
    if (out != NULL)
        out->lpVtbl->Release(out);
    return hr;
}

static HRESULT copy_ole(copier *c, IAttach *src, IAttach *dst)
{
    IStorage *in = NULL, *out = NULL;
    HRESULT hr = src->lpVtbl->OpenProperty(src, PR_ATTACH_DATA_OBJ, &IID_IStorage, 0, 0,
                                           (LPUNKNOWN *)&in);
    if (hr != S_OK)
        return S_OK; /* no storage: the data is in PR_ATTACH_DATA_BIN, copied as a property */
    hr = dst->lpVtbl->OpenProperty(dst, PR_ATTACH_DATA_OBJ, &IID_IStorage, 0,
                                   MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&out);
    if (hr != S_OK) {
        lose(c, "OLE storage attachment the destination cannot hold", PR_ATTACH_DATA_OBJ);
        hr = S_OK;
    } else {
        hr = IStorage_CopyTo(in, 0, NULL, NULL, out);
        if (hr == S_OK)
            hr = IStorage_Commit(out, STGC_DEFAULT);
        if (FAILED(hr))
            hr = fm_error_set(MapStorageSCode(hr), "copy: the OLE storage attachment: %s",
                              fm_error_text());
        IStorage_Release(out);
    }
    IStorage_Release(in);
    return hr;
}

static HRESULT copy_attachment(copier *c, IMessage *src, IMessage *dst, ULONG num, LONG method,
                               unsigned depth)
{
    IAttach *in = NULL, *out = NULL;
    ULONG dnum = 0;
    HRESULT hr = src->lpVtbl->OpenAttach(src, num, NULL, 0, &in);
    if (hr == S_OK)
        hr = dst->lpVtbl->CreateAttach(dst, NULL, 0, &dnum, &out);
    if (hr == S_OK)
        hr = copy_object(c, (IMAPIProp *)in, (IMAPIProp *)out, NULL, NULL, false, false, depth);
    if (hr == S_OK && method == ATTACH_EMBEDDED_MSG)
        hr = copy_embedded(c, in, out, depth);
    if (hr == S_OK && method == ATTACH_OLE)
        hr = copy_ole(c, in, out);
    if (hr == S_OK)
        hr = out->lpVtbl->SaveChanges(out, 0);
    if (in != NULL)
        in->lpVtbl->Release(in);
    if (out != NULL)
        out->lpVtbl->Release(out);
    return hr;
}

static HRESULT copy_attachments(copier *c, IMessage *src, IMessage *dst, unsigned depth)
{
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    SizedSPropTagArray(2, cols) = { 2, { PR_ATTACH_NUM, PR_ATTACH_METHOD } };
    HRESULT hr = src->lpVtbl->GetAttachmentTable(src, MAPI_UNICODE, &t);
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    for (ULONG r = 0; hr == S_OK && r < rows->cRows; r++) {
        const SPropValue *p = rows->aRow[r].lpProps;
        if (PROP_TYPE(p[0].ulPropTag) != PT_LONG)
            continue;
        LONG method = PROP_TYPE(p[1].ulPropTag) == PT_LONG ? p[1].Value.l : (LONG)NO_ATTACHMENT;
        hr = copy_attachment(c, src, dst, (ULONG)p[0].Value.l, method, depth);
    }
    if (rows != NULL)
        FreeProws(rows);
    if (t != NULL)
        t->lpVtbl->Release(t);
    return hr;
}

static HRESULT copy_object(copier *c, IMAPIProp *src, IMAPIProp *dst, const SPropTagArray *include,
                           const SPropTagArray *exclude, bool recipients, bool attachments,
                           unsigned depth)
{
    if (depth > FM_MSG_MAX_DEPTH)
        return fm_error_set(MAPI_E_TOO_COMPLEX, "copy: embedded messages nest deeper than %u",
                            FM_MSG_MAX_DEPTH);
    HRESULT hr = copy_props(c, src, dst, include, exclude);
    IMessage *sm = NULL, *dm = NULL;
    if (hr == S_OK && (recipients || attachments) &&
        src->lpVtbl->QueryInterface(src, &IID_IMessage, (void **)&sm) == S_OK &&
        dst->lpVtbl->QueryInterface(dst, &IID_IMessage, (void **)&dm) == S_OK) {
        if (recipients)
            hr = copy_recipients(c, sm, dm);
        if (hr == S_OK && attachments)
            hr = copy_attachments(c, sm, dm, depth);
    }
    if (sm != NULL)
        sm->lpVtbl->Release(sm);
    if (dm != NULL)
        dm->lpVtbl->Release(dm);
    return hr;
}

HRESULT fm_msg_copy(IMAPIProp *src, IMAPIProp *dest, const SPropTagArray *include,
                    const SPropTagArray *exclude, bool recipients, bool attachments, ULONG flags)
{
    copier c = { .flags = flags };
    HRESULT hr = copy_object(&c, src, dest, include, exclude, recipients, attachments, 0);
    fm_free(c.ids);
    if (hr == S_OK && c.lost > 0)
        hr = fm_error_set(MAPI_W_ERRORS_RETURNED, "copy: %u item%s could not be copied (first: "
                          "%s)", c.lost, c.lost == 1 ? "" : "s", c.lost_text);
    return hr;
}
