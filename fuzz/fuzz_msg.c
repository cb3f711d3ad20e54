/*
 * fuzz/fuzz_msg.c - libFuzzer harness of the .msg reader: every input is
 * opened as a compound file in memory and as a message (OpenIMsgOnIStg);
 * every property, recipient and attachment is read, embedded messages to
 * the depth limit, large values through their streams; and the message is
 * copied into a new message on a new compound file and saved, as
 * fmapi_msg_import copies into a store.
 *
 *   build-fuzz/fuzz_msg -max_total_time=30 build-fuzz/corpus-fuzz_msg fuzz/corpus/msg
 */
#include <stdint.h>
#include <stdlib.h>

#include "cfb/cfb.h"
#include "imessage.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "msg/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_streams(LPMAPIPROP p, ULONG n, const SPropValue *v, const SPropTagArray *list)
{
    for (ULONG i = 0; i < n && list != NULL && i < list->cValues; i++) {
        if (PROP_TYPE(v[i].ulPropTag) != PT_ERROR || v[i].Value.err != MAPI_E_NOT_ENOUGH_MEMORY)
            continue;
        IStream *s = NULL;
        if (p->lpVtbl->OpenProperty(p, list->aulPropTag[i], &IID_IStream, 0, 0,
                                    (LPUNKNOWN *)&s) == S_OK) {
            unsigned char buf[8192];
            ULONG got = 0;
            while (IStream_Read(s, buf, sizeof buf, &got) == S_OK && got > 0)
                ;
            IStream_Release(s);
        }
    }
}

static void read_props(LPMAPIPROP p)
{
    LPSPropTagArray list = NULL;
    ULONG n = 0;
    LPSPropValue v = NULL;
    if (p->lpVtbl->GetPropList(p, MAPI_UNICODE, &list) == S_OK &&
        SUCCEEDED(p->lpVtbl->GetProps(p, list, MAPI_UNICODE, &n, &v)))
        read_streams(p, n, v, list);
    MAPIFreeBuffer(v);
    MAPIFreeBuffer(list);
    LPSPropTagArray tags = NULL;
    ULONG nn = 0;
    LPMAPINAMEID *names = NULL;
    p->lpVtbl->GetNamesFromIDs(p, &tags, NULL, 0, &nn, &names);
    MAPIFreeBuffer(names);
    MAPIFreeBuffer(tags);
}

static void walk(LPMESSAGE m, unsigned depth)
{
    read_props((LPMAPIPROP)m);
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    if (IMessage_GetRecipientTable(m, MAPI_UNICODE, &t) == S_OK) {
        if (HrQueryAllRows(t, NULL, NULL, NULL, 0, &rows) == S_OK)
            FreeProws(rows);
        IMAPITable_Release(t);
    }
    SizedSPropTagArray(2, cols) = { 2, { PR_ATTACH_NUM, PR_ATTACH_METHOD } };
    if (depth < 8 && IMessage_GetAttachmentTable(m, 0, &t) == S_OK) {
        rows = NULL;
        if (HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows) == S_OK) {
            for (ULONG r = 0; r < rows->cRows; r++) {
                IAttach *a = NULL;
                if (PROP_TYPE(rows->aRow[r].lpProps[0].ulPropTag) != PT_LONG ||
                    IMessage_OpenAttach(m, (ULONG)rows->aRow[r].lpProps[0].Value.l, NULL, 0, &a) != S_OK)
                    continue;
                read_props((LPMAPIPROP)a);
                LPMESSAGE e = NULL;
                if (IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                         (LPUNKNOWN *)&e) == S_OK) {
                    walk(e, depth + 1);
                    IMessage_Release(e);
                }
                IAttach_Release(a);
            }
            FreeProws(rows);
        }
        IMAPITable_Release(t);
    }
}

static void copy_out(LPMSGSESS sess, LPMESSAGE m)
{
    IStream *out = NULL;
    IStorage *stg = NULL;
    LPMESSAGE dst = NULL;
    if (fm_cfb_memstream_new(NULL, 0, true, &out) == S_OK &&
        HrIStorageFromStream((LPUNKNOWN)out, NULL, STGSTRM_CREATE, &stg) == S_OK &&
        OpenIMsgOnIStg(sess, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                       MAPIGetDefaultMalloc(), NULL, stg, NULL, 0, MAPI_UNICODE, &dst) == S_OK) {
        if (SUCCEEDED(fm_msg_copy((IMAPIProp *)m, (IMAPIProp *)dst, NULL, NULL, true, true, 0)))
            IMessage_SaveChanges(dst, 0);
    }
    if (dst != NULL)
        IMessage_Release(dst);
    if (stg != NULL)
        IStorage_Release(stg);
    if (out != NULL)
        IStream_Release(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    IStream *mem = NULL;
    IStorage *stg = NULL;
    LPMSGSESS sess = NULL;
    LPMESSAGE m = NULL;
    if (fm_cfb_memstream_new(data, size, false, &mem) != S_OK)
        return 0;
    if (HrIStorageFromStream((LPUNKNOWN)mem, NULL, STGSTRM_RESET, &stg) == S_OK &&
        OpenIMsgSession(MAPIGetDefaultMalloc(), 0, &sess) == S_OK &&
        OpenIMsgOnIStg(sess, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                       MAPIGetDefaultMalloc(), NULL, stg, NULL, 0, 0, &m) == S_OK) {
        walk(m, 0);
        copy_out(sess, m);
        IMessage_Release(m);
    }
    CloseIMsgSession(sess);
    if (stg != NULL)
        IStorage_Release(stg);
    IStream_Release(mem);
    return 0;
}
