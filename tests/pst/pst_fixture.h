/*
 * tests/pst/pst_fixture.h - helpers of the PST tests: stores filled with a
 * mailbox that exercises every property type, named properties, recipients,
 * attachments (small and streamed), embedded messages three deep,
 * associated contents, a contact, a calendar item and a distribution list;
 * and an exhaustive comparison of two stores, property by property, types
 * included, named properties matched by name.
 */
#ifndef FREEMAPI_TESTS_PST_FIXTURE_H
#define FREEMAPI_TESTS_PST_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fm_test.h"
#include "freemapi_pst.h"
#include "freemapi_store.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

#define PX_OK(expr)                                                                             \
    do {                                                                                        \
        HRESULT px_hr_ = (expr);                                                                \
        if (px_hr_ != S_OK)                                                                     \
            fail_msg("%s:%d: %s -> 0x%08X %s", __FILE__, __LINE__, #expr, (unsigned)px_hr_,     \
                     fmapi_last_error());                                                       \
    } while (0)

#define PX_W(id) PROP_TAG(PT_UNICODE, (id))

static inline const char *px_path(const char *name)
{
    static char buf[4][700];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 700, "%s/%s", fm_test_tmpdir(), name);
    return p;
}

/* A directory of this build (the test binary lives in <build>/tests):
 * what ctest passes in the environment, else found from the binary, so the
 * tests also run straight from scripts/valgrind.sh. */
static inline const char *px_build_path(const char *env, const char *rel)
{
    static char buf[4][1024];
    static int next;
    const char *e = getenv(env);
    if (e != NULL)
        return e;
    char *p = buf[next++ % 4];
    ssize_t n = readlink("/proc/self/exe", p, 900);
    if (n <= 0)
        return rel;
    p[n] = 0;
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(p, '/');
        if (slash != NULL)
            *slash = 0;
    }
    strcat(p, "/");
    strcat(p, rel);
    return p;
}

/* The directory of this source file (tests/pst). */
static inline const char *px_source_dir(void)
{
    static char dir[1024];
    const char *e = getenv("FM_PST_TEST_DIR");
    if (e != NULL)
        return e;
    snprintf(dir, sizeof dir, "%s", __FILE__);
    char *slash = strrchr(dir, '/');
    if (slash != NULL)
        *slash = 0;
    return dir;
}

static inline LPMDB px_store(const char *name)
{
    const char *path = px_path(name);
    char cmd[800];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-wal' '%s-shm' '%s-streams'", path, path, path, path);
    if (system(cmd) != 0)
        fail_msg("cannot clean %s", path);
    LPMDB mdb = NULL;
    PX_OK(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb));
    return mdb;
}

static inline LPMAPIFOLDER px_open_eid(LPMDB mdb, const SBinary *eid)
{
    LPMAPIFOLDER f = NULL;
    ULONG type;
    PX_OK(IMsgStore_OpenEntry(mdb, eid->cb, (LPENTRYID)eid->lpb, NULL, MAPI_MODIFY, &type,
                              (LPUNKNOWN *)&f));
    return f;
}

static inline LPMAPIFOLDER px_ipm(LPMDB mdb)
{
    LPSPropValue v = NULL;
    PX_OK(HrGetOneProp((LPMAPIPROP)mdb, PR_IPM_SUBTREE_ENTRYID, &v));
    LPMAPIFOLDER f = px_open_eid(mdb, &v->Value.bin);
    MAPIFreeBuffer(v);
    return f;
}

static inline LPMAPIFOLDER px_subfolder(LPMAPIFOLDER parent, const char *name)
{
    LPMAPIFOLDER f = NULL;
    PX_OK(IMAPIFolder_CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL,
                                   OPEN_IF_EXISTS, &f));
    return f;
}

static inline ULONG px_named(LPMDB mdb, const GUID *g, const WCHAR *name, LONG id, ULONG type)
{
    MAPINAMEID n, *pn = &n;
    n.lpguid = (LPGUID)g;
    n.ulKind = name ? MNID_STRING : MNID_ID;
    if (name)
        n.Kind.lpwstrName = (LPWSTR)name;
    else
        n.Kind.lID = id;
    LPSPropTagArray t = NULL;
    PX_OK(IMsgStore_GetIDsFromNames(mdb, 1, &pn, MAPI_CREATE, &t));
    ULONG tag = PROP_TAG(type, PROP_ID(t->aulPropTag[0]));
    MAPIFreeBuffer(t);
    return tag;
}

static inline void px_pattern(uint8_t *b, size_t n, unsigned seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (uint8_t)(x >> 16);
    }
}

static inline void px_stream_prop(LPMAPIPROP obj, ULONG tag, const void *data, size_t n)
{
    LPSTREAM s = NULL;
    PX_OK(IMAPIProp_OpenProperty(obj, tag, &IID_IStream, STGM_WRITE, MAPI_CREATE | MAPI_MODIFY,
                                 (LPUNKNOWN *)&s));
    const uint8_t *p = data;
    while (n > 0) {
        ULONG k = n > 65536 ? 65536 : (ULONG)n, w = 0;
        PX_OK(IStream_Write(s, p, k, &w));
        p += k;
        n -= k;
    }
    PX_OK(IStream_Commit(s, 0));
    IStream_Release(s);
}

static inline void px_recipients(LPMESSAGE m, int n)
{
    size_t size = sizeof(ADRLIST) + sizeof(ADRENTRY) * (size_t)n;
    LPADRLIST list = NULL;
    PX_OK(MAPIAllocateBuffer((ULONG)size, (void **)&list));
    list->cEntries = (ULONG)n;
    for (int i = 0; i < n; i++) {
        LPSPropValue v = NULL;
        PX_OK(MAPIAllocateBuffer(sizeof(SPropValue) * 5, (void **)&v));
        char *name, *addr;
        PX_OK(MAPIAllocateMore(64, v, (void **)&name));
        PX_OK(MAPIAllocateMore(64, v, (void **)&addr));
        snprintf(name, 64, "Recipient %d", i);
        snprintf(addr, 64, "rcpt%d@example.org", i);
        v[0].ulPropTag = PR_DISPLAY_NAME_A;
        v[0].Value.lpszA = name;
        v[1].ulPropTag = PR_EMAIL_ADDRESS_A;
        v[1].Value.lpszA = addr;
        v[2].ulPropTag = PR_ADDRTYPE_A;
        v[2].Value.lpszA = "SMTP";
        v[3].ulPropTag = PR_RECIPIENT_TYPE;
        v[3].Value.l = i == 0 ? MAPI_TO : MAPI_CC;
        v[4].ulPropTag = PR_SMTP_ADDRESS_A;
        v[4].Value.lpszA = addr;
        list->aEntries[i].cValues = 5;
        list->aEntries[i].rgPropVals = v;
    }
    PX_OK(IMessage_ModifyRecipients(m, MODRECIP_ADD, list));
    FreePadrlist(list);
}

static inline void px_attach_bytes(LPMESSAGE m, const char *name, size_t n, unsigned seed)
{
    LPATTACH a = NULL;
    ULONG num;
    PX_OK(IMessage_CreateAttach(m, NULL, 0, &num, &a));
    SPropValue v[3];
    v[0].ulPropTag = PR_ATTACH_METHOD;
    v[0].Value.l = ATTACH_BY_VALUE;
    v[1].ulPropTag = PR_ATTACH_LONG_FILENAME_A;
    v[1].Value.lpszA = (char *)name;
    v[2].ulPropTag = PR_ATTACH_FILENAME_A;
    v[2].Value.lpszA = (char *)name;
    PX_OK(IAttach_SetProps(a, 3, v, NULL));
    uint8_t *b = malloc(n ? n : 1);
    px_pattern(b, n, seed);
    px_stream_prop((LPMAPIPROP)a, PR_ATTACH_DATA_BIN, b, n);
    free(b);
    PX_OK(IAttach_SaveChanges(a, 0));
    IAttach_Release(a);
}

static inline void px_simple(LPMESSAGE m, const char *subject, const char *body)
{
    SPropValue v[6];
    v[0].ulPropTag = PR_SUBJECT_A;
    v[0].Value.lpszA = (char *)subject;
    v[1].ulPropTag = PR_BODY_A;
    v[1].Value.lpszA = (char *)body;
    v[2].ulPropTag = PR_MESSAGE_CLASS_A;
    v[2].Value.lpszA = "IPM.Note";
    v[3].ulPropTag = PR_SENDER_NAME_A;
    v[3].Value.lpszA = "Alice Sender";
    v[4].ulPropTag = PR_SENDER_EMAIL_ADDRESS_A;
    v[4].Value.lpszA = "alice@example.com";
    v[5].ulPropTag = PR_SENDER_ADDRTYPE_A;
    v[5].Value.lpszA = "SMTP";
    PX_OK(IMessage_SetProps(m, 6, v, NULL));
}

/* Embedded messages depth levels deep under m. */
static inline void px_embed(LPMESSAGE m, int depth)
{
    if (depth == 0)
        return;
    LPATTACH a = NULL;
    ULONG num;
    PX_OK(IMessage_CreateAttach(m, NULL, 0, &num, &a));
    SPropValue v = { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_EMBEDDED_MSG };
    PX_OK(IAttach_SetProps(a, 1, &v, NULL));
    LPMESSAGE e = NULL;
    PX_OK(IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, MAPI_CREATE | MAPI_MODIFY,
                               (LPUNKNOWN *)&e));
    char subj[64];
    snprintf(subj, sizeof subj, "Embedded level %d", depth);
    px_simple(e, subj, "An embedded body.\r\n");
    px_recipients(e, 1);
    px_attach_bytes(e, "inner.bin", 1000 + (size_t)depth, (unsigned)depth);
    px_embed(e, depth - 1);
    PX_OK(IMessage_SaveChanges(e, 0));
    IMessage_Release(e);
    PX_OK(IAttach_SaveChanges(a, 0));
    IAttach_Release(a);
}

/* Every property type on one message, named properties of both kinds. */
static inline void px_all_types(LPMDB mdb, LPMESSAGE m)
{
    static const GUID guid = { 0x12345678, 0x1234, 0x5678, { 1, 2, 3, 4, 5, 6, 7, 8 } };
    SPropValue v[24];
    int n = 0;
    short shorts[2] = { -3, 7 };
    LONG longs[3] = { 1, -2, 300000 };
    double dbls[2] = { 1.5, -2.25 };
    FILETIME fts[2] = { { 1, 2 }, { 0x12345678, 0x01D00000 } };
    LARGE_INTEGER lis[2];
    lis[0].QuadPart = -5;
    lis[1].QuadPart = 0x123456789ABCLL;
    GUID guids[2] = { guid, { 0xAABBCCDD, 1, 2, { 9, 9, 9, 9, 9, 9, 9, 9 } } };
    WCHAR *words[3] = { (WCHAR *)u"alpha", (WCHAR *)u"\u00e9t\u00e9", (WCHAR *)u"" };
    SBinary bins[2] = { { 3, (LPBYTE) "abc" }, { 0, NULL } };
    uint8_t big[5000];
    px_pattern(big, sizeof big, 42);
    v[n].ulPropTag = PROP_TAG(PT_SHORT, 0x6701); v[n++].Value.i = -1234;
    v[n].ulPropTag = PROP_TAG(PT_LONG, 0x6702); v[n++].Value.l = -123456789;
    v[n].ulPropTag = PROP_TAG(PT_FLOAT, 0x6703); v[n++].Value.flt = 3.25f;
    v[n].ulPropTag = PROP_TAG(PT_DOUBLE, 0x6704); v[n++].Value.dbl = 2.718281828;
    v[n].ulPropTag = PROP_TAG(PT_CURRENCY, 0x6705); v[n++].Value.cur.int64 = 123456789012LL;
    v[n].ulPropTag = PROP_TAG(PT_APPTIME, 0x6706); v[n++].Value.at = 45000.5;
    v[n].ulPropTag = PROP_TAG(PT_BOOLEAN, 0x6707); v[n++].Value.b = 1;
    v[n].ulPropTag = PROP_TAG(PT_I8, 0x6708); v[n++].Value.li.QuadPart = -9876543210LL;
    v[n].ulPropTag = PROP_TAG(PT_SYSTIME, 0x6709); v[n++].Value.ft = fts[1];
    v[n].ulPropTag = PROP_TAG(PT_CLSID, 0x670A); v[n++].Value.lpguid = &guids[1];
    v[n].ulPropTag = PROP_TAG(PT_BINARY, 0x670B); v[n].Value.bin.cb = sizeof big;
    v[n++].Value.bin.lpb = big;
    v[n].ulPropTag = PROP_TAG(PT_UNICODE, 0x670C); v[n++].Value.lpszW = (WCHAR *)u"Gr\u00fc\u00dfe \U0001F600";
    v[n].ulPropTag = PROP_TAG(PT_MV_SHORT, 0x670D); v[n].Value.MVi.cValues = 2;
    v[n++].Value.MVi.lpi = shorts;
    v[n].ulPropTag = PROP_TAG(PT_MV_LONG, 0x670E); v[n].Value.MVl.cValues = 3;
    v[n++].Value.MVl.lpl = longs;
    v[n].ulPropTag = PROP_TAG(PT_MV_DOUBLE, 0x670F); v[n].Value.MVdbl.cValues = 2;
    v[n++].Value.MVdbl.lpdbl = dbls;
    v[n].ulPropTag = PROP_TAG(PT_MV_SYSTIME, 0x6710); v[n].Value.MVft.cValues = 2;
    v[n++].Value.MVft.lpft = fts;
    v[n].ulPropTag = PROP_TAG(PT_MV_I8, 0x6711); v[n].Value.MVli.cValues = 2;
    v[n++].Value.MVli.lpli = lis;
    v[n].ulPropTag = PROP_TAG(PT_MV_CLSID, 0x6712); v[n].Value.MVguid.cValues = 2;
    v[n++].Value.MVguid.lpguid = guids;
    v[n].ulPropTag = PROP_TAG(PT_MV_UNICODE, 0x6713); v[n].Value.MVszW.cValues = 3;
    v[n++].Value.MVszW.lppszW = words;
    v[n].ulPropTag = PROP_TAG(PT_MV_BINARY, 0x6714); v[n].Value.MVbin.cValues = 2;
    v[n++].Value.MVbin.lpbin = bins;
    v[n].ulPropTag = px_named(mdb, &PS_PUBLIC_STRINGS, u"Keywords", 0, PT_MV_UNICODE);
    v[n].Value.MVszW.cValues = 2;
    v[n++].Value.MVszW.lppszW = words;
    v[n].ulPropTag = px_named(mdb, &guid, NULL, 0x1234, PT_LONG); v[n++].Value.l = 77;
    v[n].ulPropTag = px_named(mdb, &guid, u"A string name", 0, PT_UNICODE);
    v[n++].Value.lpszW = (WCHAR *)u"named value";
    v[n].ulPropTag = PR_IMPORTANCE; v[n++].Value.l = 2;
    PX_OK(IMessage_SetProps(m, (ULONG)n, v, NULL));
}

/* A mailbox; returns the number of messages (normal and associated). */
static inline int px_fill(LPMDB mdb, int nplain)
{
    LPMAPIFOLDER ipm = px_ipm(mdb);
    LPMAPIFOLDER inbox = px_subfolder(ipm, "Inbox");
    LPMAPIFOLDER sub = px_subfolder(inbox, "Projects");
    LPMAPIFOLDER deeper = px_subfolder(sub, "Deeper");
    int count = 0;
    for (int i = 0; i < nplain; i++) {
        LPMESSAGE m = NULL;
        LPMAPIFOLDER where = i % 3 == 0 ? inbox : i % 3 == 1 ? sub : deeper;
        PX_OK(IMAPIFolder_CreateMessage(where, NULL, 0, &m));
        char subj[64], body[128];
        snprintf(subj, sizeof subj, "Message %d", i);
        snprintf(body, sizeof body, "Body of message %d\r\nsecond line\r\n", i);
        px_simple(m, subj, body);
        px_recipients(m, 1 + i % 3);
        if (i % 4 == 0)
            px_attach_bytes(m, "small.dat", 100 + (size_t)i, (unsigned)i);
        PX_OK(IMessage_SaveChanges(m, 0));
        IMessage_Release(m);
        count++;
    }
    /* every type, a streamed body and attachment, three embedded levels */
    LPMESSAGE m = NULL;
    PX_OK(IMAPIFolder_CreateMessage(inbox, NULL, 0, &m));
    px_simple(m, "Everything", "x");
    px_all_types(mdb, m);
    size_t nbody = 300000;
    WCHAR *body = malloc(sizeof(WCHAR) * nbody);
    for (size_t i = 0; i < nbody; i++)
        body[i] = (WCHAR)('a' + i % 26);
    px_stream_prop((LPMAPIPROP)m, PR_BODY_W, body, sizeof(WCHAR) * nbody);
    free(body);
    px_recipients(m, 3);
    px_attach_bytes(m, "big.bin", 3u << 20, 7);
    px_attach_bytes(m, "empty.txt", 0, 8);
    px_embed(m, 3);
    PX_OK(IMessage_SaveChanges(m, 0));
    IMessage_Release(m);
    count++;
    /* associated contents: a view definition */
    PX_OK(IMAPIFolder_CreateMessage(inbox, NULL, MAPI_ASSOCIATED, &m));
    SPropValue av[2] = { { .ulPropTag = PR_MESSAGE_CLASS_A,
                           .Value.lpszA = "IPM.Microsoft.FolderDesign.NamedView" },
                         { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "Assoc view" } };
    PX_OK(IMessage_SetProps(m, 2, av, NULL));
    PX_OK(IMessage_SaveChanges(m, 0));
    IMessage_Release(m);
    count++;
    /* a contact, a calendar item, a distribution list */
    LPMAPIFOLDER contacts = px_subfolder(ipm, "Contacts");
    PX_OK(IMAPIFolder_CreateMessage(contacts, NULL, 0, &m));
    SPropValue cv[4];
    cv[0].ulPropTag = PR_MESSAGE_CLASS_A; cv[0].Value.lpszA = "IPM.Contact";
    cv[1].ulPropTag = PR_SUBJECT_A; cv[1].Value.lpszA = "Carol Contact";
    cv[2].ulPropTag = px_named(mdb, &PSETID_Address, NULL, 0x8083, PT_UNICODE);
    cv[2].Value.lpszW = (WCHAR *)u"carol@example.net";
    cv[3].ulPropTag = PR_GIVEN_NAME_A; cv[3].Value.lpszA = "Carol";
    PX_OK(IMessage_SetProps(m, 4, cv, NULL));
    PX_OK(IMessage_SaveChanges(m, 0));
    IMessage_Release(m);
    count++;
    PX_OK(IMAPIFolder_CreateMessage(contacts, NULL, 0, &m));
    SBinary members[2] = { { 4, (LPBYTE) "\x00\x00\x00\x01" }, { 4, (LPBYTE) "\x00\x00\x00\x02" } };
    cv[0].Value.lpszA = "IPM.DistList";
    cv[1].Value.lpszA = "Team list";
    cv[2].ulPropTag = px_named(mdb, &PSETID_Address, NULL, 0x8055, PT_MV_BINARY);
    cv[2].Value.MVbin.cValues = 2;
    cv[2].Value.MVbin.lpbin = members;
    PX_OK(IMessage_SetProps(m, 3, cv, NULL));
    PX_OK(IMessage_SaveChanges(m, 0));
    IMessage_Release(m);
    count++;
    LPMAPIFOLDER cal = px_subfolder(ipm, "Calendar");
    PX_OK(IMAPIFolder_CreateMessage(cal, NULL, 0, &m));
    cv[0].Value.lpszA = "IPM.Appointment";
    cv[1].Value.lpszA = "Planning meeting";
    cv[2].ulPropTag = px_named(mdb, &PSETID_Appointment, NULL, 0x820D, PT_SYSTIME);
    cv[2].Value.ft.dwLowDateTime = 0x11111111;
    cv[2].Value.ft.dwHighDateTime = 0x01DA0000;
    cv[3].ulPropTag = px_named(mdb, &PSETID_Appointment, NULL, 0x8208, PT_UNICODE);
    cv[3].Value.lpszW = (WCHAR *)u"Room 4";
    PX_OK(IMessage_SetProps(m, 4, cv, NULL));
    PX_OK(IMessage_SaveChanges(m, 0));
    IMessage_Release(m);
    count++;
    IMAPIFolder_Release(cal);
    IMAPIFolder_Release(contacts);
    IMAPIFolder_Release(deeper);
    IMAPIFolder_Release(sub);
    IMAPIFolder_Release(inbox);
    IMAPIFolder_Release(ipm);
    return count;
}

/* ---- comparison ----------------------------------------------------------------------- */
typedef struct px_side {
    LPMDB mdb;
    LPMAPIPROP obj;
} px_side;

/* Tags the destination store computes itself (so they differ by design),
 * and the importer's own marker. */
static inline bool px_ignored(ULONG tag)
{
    static const ULONG ids[] = {
        0x0FFF /* ENTRYID */, 0x0FF9 /* RECORD_KEY */, 0x65E0 /* SOURCE_KEY */,
        0x0E09 /* PARENT_ENTRYID */, 0x65E1 /* PARENT_SOURCE_KEY */, 0x0FFB /* STORE_ENTRYID */,
        0x0FFA /* STORE_RECORD_KEY */, 0x340D /* STORE_SUPPORT_MASK */, 0x0FFE /* OBJECT_TYPE */,
        0x0FF4 /* ACCESS */, 0x0FF7 /* ACCESS_LEVEL */, 0x3007 /* CREATION_TIME */,
        0x3008 /* LAST_MODIFICATION_TIME */, 0x0E08 /* MESSAGE_SIZE */, 0x0E17 /* MSG_STATUS */,
        0x0FF6 /* INSTANCE_KEY */, 0x0FF8 /* MAPPING_SIGNATURE */, 0x3000 /* ROWID */,
        0x0E21 /* ATTACH_NUM */, 0x0E20 /* ATTACH_SIZE */, 0x3001 * 0,
    };
    if (PROP_ID(tag) >= 0x36D0 && PROP_ID(tag) <= 0x36D7)
        return true; /* special folders' entry IDs: each store's own */
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (ids[i] != 0 && PROP_ID(tag) == ids[i])
            return true;
    return false;
}

/* The destination tag of a source tag (named IDs by name). */
static inline ULONG px_dest_tag(LPMAPIPROP src, LPMDB dst, ULONG tag)
{
    if (PROP_ID(tag) < 0x8000)
        return tag;
    SPropTagArray one = { 1, { tag } };
    LPSPropTagArray pt = &one;
    LPMAPINAMEID *names = NULL;
    ULONG n = 0;
    PX_OK(IMAPIProp_GetNamesFromIDs(src, &pt, NULL, 0, &n, &names));
    LPSPropTagArray t = NULL;
    PX_OK(IMsgStore_GetIDsFromNames(dst, 1, names, 0, &t));
    ULONG out = PROP_TAG(PROP_TYPE(tag), PROP_ID(t->aulPropTag[0]));
    MAPIFreeBuffer(t);
    MAPIFreeBuffer(names);
    return out;
}

static inline void px_stream_equal(LPMAPIPROP a, ULONG ta, LPMAPIPROP b, ULONG tb, const char *what)
{
    LPSTREAM sa = NULL, sb = NULL;
    PX_OK(IMAPIProp_OpenProperty(a, ta, &IID_IStream, 0, 0, (LPUNKNOWN *)&sa));
    PX_OK(IMAPIProp_OpenProperty(b, tb, &IID_IStream, 0, 0, (LPUNKNOWN *)&sb));
    static uint8_t ba[65536], bb[65536];
    uint64_t total = 0;
    for (;;) {
        ULONG ra = 0, rb = 0;
        PX_OK(IStream_Read(sa, ba, sizeof ba, &ra));
        PX_OK(IStream_Read(sb, bb, sizeof bb, &rb));
        if (ra != rb || memcmp(ba, bb, ra) != 0)
            fail_msg("%s: stream 0x%08X differs after %llu bytes", what, (unsigned)ta,
                     (unsigned long long)total);
        total += ra;
        if (ra == 0)
            break;
    }
    IStream_Release(sa);
    IStream_Release(sb);
}

/* Every property of a equals b's, types included. */
static inline void px_props_equal(LPMDB ma, LPMAPIPROP a, LPMDB mb, LPMAPIPROP b, ULONG marker,
                                  const char *what)
{
    LPSPropTagArray ta = NULL, tb = NULL;
    LPSPropValue va = NULL, vb = NULL;
    ULONG na = 0, nb = 0;
    (void)ma;
    PX_OK(IMAPIProp_GetPropList(a, MAPI_UNICODE, &ta));
    PX_OK(IMAPIProp_GetPropList(b, MAPI_UNICODE, &tb));
    HRESULT hr = IMAPIProp_GetProps(a, ta, MAPI_UNICODE, &na, &va);
    assert_true(hr == S_OK || hr == MAPI_W_ERRORS_RETURNED);
    hr = IMAPIProp_GetProps(b, tb, MAPI_UNICODE, &nb, &vb);
    assert_true(hr == S_OK || hr == MAPI_W_ERRORS_RETURNED);
    ULONG compared = 0, nb_kept = 0;
    for (ULONG j = 0; j < nb; j++) {
        ULONG t = PROP_TYPE(vb[j].ulPropTag) == PT_ERROR ? tb->aulPropTag[j] : vb[j].ulPropTag;
        if (!px_ignored(t) && PROP_ID(t) != PROP_ID(marker) && PROP_TYPE(t) != PT_OBJECT)
            nb_kept++;
    }
    for (ULONG i = 0; i < na; i++) {
        ULONG t = PROP_TYPE(va[i].ulPropTag) == PT_ERROR ? ta->aulPropTag[i] : va[i].ulPropTag;
        if (px_ignored(t) || PROP_TYPE(t) == PT_OBJECT)
            continue;
        ULONG want = px_dest_tag(a, mb, t);
        ULONG j;
        for (j = 0; j < nb; j++) {
            ULONG u = PROP_TYPE(vb[j].ulPropTag) == PT_ERROR ? tb->aulPropTag[j] : vb[j].ulPropTag;
            if (u == want)
                break;
        }
        if (j == nb)
            fail_msg("%s: property 0x%08X (0x%08X here) missing after the round trip", what,
                     (unsigned)t, (unsigned)want);
        if (PROP_TYPE(va[i].ulPropTag) == PT_ERROR || PROP_TYPE(vb[j].ulPropTag) == PT_ERROR) {
            assert_int_equal(PROP_TYPE(va[i].ulPropTag), PROP_TYPE(vb[j].ulPropTag));
            px_stream_equal(a, t, b, want, what);
        } else {
            SPropValue x = va[i];
            x.ulPropTag = want;
            if (LPropCompareProp(&x, &vb[j]) != 0)
                fail_msg("%s: property 0x%08X differs after the round trip", what, (unsigned)t);
        }
        compared++;
    }
    if (compared != nb_kept)
        fail_msg("%s: %u properties in the source, %u after the round trip", what,
                 (unsigned)compared, (unsigned)nb_kept);
    MAPIFreeBuffer(va);
    MAPIFreeBuffer(vb);
    MAPIFreeBuffer(ta);
    MAPIFreeBuffer(tb);
}

static inline LPSRowSet px_rows(LPMAPITABLE t)
{
    LPSRowSet r = NULL;
    PX_OK(IMAPITable_QueryRows(t, 0x7FFFFFFF, 0, &r));
    IMAPITable_Release(t);
    return r;
}

static inline void px_message_equal(LPMDB ma, LPMESSAGE a, LPMDB mb, LPMESSAGE b, ULONG marker,
                                    const char *what, int depth);

static inline void px_attachments_equal(LPMDB ma, LPMESSAGE a, LPMDB mb, LPMESSAGE b,
                                        ULONG marker, const char *what, int depth)
{
    LPMAPITABLE t = NULL;
    SizedSPropTagArray(1, cols) = { 1, { PR_ATTACH_NUM } };
    PX_OK(IMessage_GetAttachmentTable(a, 0, &t));
    PX_OK(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0));
    LPSRowSet ra = px_rows(t);
    PX_OK(IMessage_GetAttachmentTable(b, 0, &t));
    PX_OK(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0));
    LPSRowSet rb = px_rows(t);
    assert_int_equal(ra->cRows, rb->cRows);
    for (ULONG i = 0; i < ra->cRows; i++) {
        LPATTACH x = NULL, y = NULL;
        PX_OK(IMessage_OpenAttach(a, ra->aRow[i].lpProps[0].Value.ul, NULL, 0, &x));
        PX_OK(IMessage_OpenAttach(b, rb->aRow[i].lpProps[0].Value.ul, NULL, 0, &y));
        px_props_equal(ma, (LPMAPIPROP)x, mb, (LPMAPIPROP)y, marker, what);
        LPSPropValue meth = NULL;
        if (HrGetOneProp((LPMAPIPROP)x, PR_ATTACH_METHOD, &meth) == S_OK &&
            meth->Value.l == ATTACH_EMBEDDED_MSG) {
            LPMESSAGE ex = NULL, ey = NULL;
            PX_OK(IAttach_OpenProperty(x, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (LPUNKNOWN *)&ex));
            PX_OK(IAttach_OpenProperty(y, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (LPUNKNOWN *)&ey));
            px_message_equal(ma, ex, mb, ey, marker, what, depth + 1);
            IMessage_Release(ex);
            IMessage_Release(ey);
        }
        MAPIFreeBuffer(meth);
        IAttach_Release(x);
        IAttach_Release(y);
    }
    FreeProws(ra);
    FreeProws(rb);
}

static inline void px_message_equal(LPMDB ma, LPMESSAGE a, LPMDB mb, LPMESSAGE b, ULONG marker,
                                    const char *what, int depth)
{
    assert_true(depth < 10);
    px_props_equal(ma, (LPMAPIPROP)a, mb, (LPMAPIPROP)b, marker, what);
    LPMAPITABLE t = NULL;
    PX_OK(IMessage_GetRecipientTable(a, MAPI_UNICODE, &t));
    LPSRowSet ra = px_rows(t);
    PX_OK(IMessage_GetRecipientTable(b, MAPI_UNICODE, &t));
    LPSRowSet rb = px_rows(t);
    assert_int_equal(ra->cRows, rb->cRows);
    for (ULONG i = 0; i < ra->cRows; i++) {
        ULONG ka = 0, kb = 0;
        for (ULONG p = 0; p < ra->aRow[i].cValues; p++) {
            LPSPropValue v = &ra->aRow[i].lpProps[p];
            if (px_ignored(v->ulPropTag) || PROP_TYPE(v->ulPropTag) == PT_ERROR)
                continue;
            ka++;
            LPSPropValue w = PpropFindProp(rb->aRow[i].lpProps, rb->aRow[i].cValues,
                                           px_dest_tag((LPMAPIPROP)a, mb, v->ulPropTag));
            if (w == NULL || LPropCompareProp(v, w) != 0)
                fail_msg("%s: recipient %u property 0x%08X differs", what, (unsigned)i,
                         (unsigned)v->ulPropTag);
        }
        for (ULONG p = 0; p < rb->aRow[i].cValues; p++)
            if (!px_ignored(rb->aRow[i].lpProps[p].ulPropTag) &&
                PROP_TYPE(rb->aRow[i].lpProps[p].ulPropTag) != PT_ERROR)
                kb++;
        assert_int_equal(ka, kb);
    }
    FreeProws(ra);
    FreeProws(rb);
    px_attachments_equal(ma, a, mb, b, marker, what, depth);
}

/* The subject of a message (for matching), "" when none. */
static inline void px_subject(LPMESSAGE m, char *out, size_t n)
{
    LPSPropValue v = NULL;
    out[0] = 0;
    if (HrGetOneProp((LPMAPIPROP)m, PR_SUBJECT_A, &v) == S_OK)
        snprintf(out, n, "%s", v->Value.lpszA);
    MAPIFreeBuffer(v);
}

static inline LPMESSAGE px_find_message(LPMAPIFOLDER f, ULONG flags, const char *subject)
{
    LPMAPITABLE t = NULL;
    PX_OK(IMAPIFolder_GetContentsTable(f, flags, &t));
    SizedSPropTagArray(2, cols) = { 2, { PR_ENTRYID, PR_SUBJECT_A } };
    PX_OK(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0));
    LPSRowSet r = px_rows(t);
    LPMESSAGE m = NULL;
    for (ULONG i = 0; i < r->cRows && m == NULL; i++) {
        const char *s = r->aRow[i].lpProps[1].ulPropTag == PR_SUBJECT_A
                            ? r->aRow[i].lpProps[1].Value.lpszA
                            : "";
        if (strcmp(s, subject) == 0) {
            ULONG type;
            PX_OK(IMAPIFolder_OpenEntry(f, r->aRow[i].lpProps[0].Value.bin.cb,
                                        (LPENTRYID)r->aRow[i].lpProps[0].Value.bin.lpb, NULL, 0,
                                        &type, (LPUNKNOWN *)&m));
        }
    }
    FreeProws(r);
    return m;
}

static inline void px_folder_equal(LPMDB ma, LPMAPIFOLDER a, LPMDB mb, LPMAPIFOLDER b,
                                   ULONG marker, const char *path, int *messages);

static inline void px_contents_equal(LPMDB ma, LPMAPIFOLDER a, LPMDB mb, LPMAPIFOLDER b,
                                     ULONG marker, ULONG flags, const char *path, int *messages)
{
    LPMAPITABLE t = NULL;
    PX_OK(IMAPIFolder_GetContentsTable(a, flags, &t));
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    PX_OK(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0));
    LPSRowSet r = px_rows(t);
    ULONG nb = 0;
    PX_OK(IMAPIFolder_GetContentsTable(b, flags, &t));
    PX_OK(IMAPITable_GetRowCount(t, 0, &nb));
    IMAPITable_Release(t);
    assert_int_equal(r->cRows, nb);
    for (ULONG i = 0; i < r->cRows; i++) {
        LPMESSAGE x = NULL;
        ULONG type;
        PX_OK(IMAPIFolder_OpenEntry(a, r->aRow[i].lpProps[0].Value.bin.cb,
                                    (LPENTRYID)r->aRow[i].lpProps[0].Value.bin.lpb, NULL, 0,
                                    &type, (LPUNKNOWN *)&x));
        char subj[256], what[600];
        px_subject(x, subj, sizeof subj);
        LPMESSAGE y = px_find_message(b, flags, subj);
        snprintf(what, sizeof what, "%s/%s", path, subj);
        if (y == NULL)
            fail_msg("%s: missing after the round trip", what);
        px_message_equal(ma, x, mb, y, marker, what, 0);
        IMessage_Release(x);
        IMessage_Release(y);
        (*messages)++;
    }
    FreeProws(r);
}

static inline void px_folder_equal(LPMDB ma, LPMAPIFOLDER a, LPMDB mb, LPMAPIFOLDER b,
                                   ULONG marker, const char *path, int *messages)
{
    px_props_equal(ma, (LPMAPIPROP)a, mb, (LPMAPIPROP)b, marker, path);
    px_contents_equal(ma, a, mb, b, marker, 0, path, messages);
    px_contents_equal(ma, a, mb, b, marker, MAPI_ASSOCIATED, path, messages);
    LPMAPITABLE t = NULL;
    SizedSPropTagArray(2, cols) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_A } };
    PX_OK(IMAPIFolder_GetHierarchyTable(a, 0, &t));
    PX_OK(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0));
    LPSRowSet r = px_rows(t);
    for (ULONG i = 0; i < r->cRows; i++) {
        const char *name = r->aRow[i].lpProps[1].Value.lpszA;
        char sub[600];
        snprintf(sub, sizeof sub, "%s/%s", path, name);
        LPMAPIFOLDER x = px_open_eid(ma, &r->aRow[i].lpProps[0].Value.bin);
        LPMAPIFOLDER y = NULL;
        PX_OK(IMAPIFolder_CreateFolder(b, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL,
                                       OPEN_IF_EXISTS, &y));
        px_folder_equal(ma, x, mb, y, marker, sub, messages);
        IMAPIFolder_Release(x);
        IMAPIFolder_Release(y);
    }
    FreeProws(r);
}

static inline ULONG px_marker(LPMDB mdb)
{
    return px_named(mdb, &(GUID){ 0x4A5E3C1B, 0x7F20, 0x4D6E,
                                  { 0x9B, 0x8A, 0x2C, 0x51, 0xF0, 0xE7, 0xD9, 0x34 } },
                    u"FreemapiPstSource", 0, PT_BINARY);
}

/* Compares the IPM subtrees of two stores; returns the messages compared. */
static inline int px_stores_equal(LPMDB a, LPMDB b)
{
    LPMAPIFOLDER fa = px_ipm(a), fb = px_ipm(b);
    int messages = 0;
    ULONG marker = px_marker(b);
    /* the IPM subtrees themselves are the stores' own folders */
    LPMAPITABLE t = NULL;
    SizedSPropTagArray(2, cols) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_A } };
    PX_OK(IMAPIFolder_GetHierarchyTable(fa, 0, &t));
    PX_OK(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0));
    LPSRowSet r = px_rows(t);
    for (ULONG i = 0; i < r->cRows; i++) {
        const char *name = r->aRow[i].lpProps[1].Value.lpszA;
        LPMAPIFOLDER x = px_open_eid(a, &r->aRow[i].lpProps[0].Value.bin);
        LPMAPIFOLDER y = px_subfolder(fb, name);
        px_folder_equal(a, x, b, y, marker, name, &messages);
        IMAPIFolder_Release(x);
        IMAPIFolder_Release(y);
    }
    FreeProws(r);
    IMAPIFolder_Release(fa);
    IMAPIFolder_Release(fb);
    return messages;
}

#endif /* FREEMAPI_TESTS_PST_FIXTURE_H */
