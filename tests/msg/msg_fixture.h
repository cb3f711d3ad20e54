/*
 * tests/msg/msg_fixture.h - a message that uses everything a .msg file can
 * hold (every property type single and multi-valued, named properties of
 * both kinds, large values, recipients, attachments by value, an embedded
 * message holding its own recipient, attachment and embedded message),
 * and an exhaustive comparison of two messages: every property of every
 * object with its type, named properties by name, large values through
 * their streams, recipients, attachments, embedded messages to any depth.
 */
#ifndef FREEMAPI_TESTS_MSG_FIXTURE_H
#define FREEMAPI_TESTS_MSG_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fm_test.h"
#include "freemapi_msg.h"
#include "freemapi_store.h"
#include "imessage.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

#define FX_BIG_BODY 200000u
#define FX_BIG_ATTACH 300000u

static GUID fx_ps_test = { 0x7A3B1C2D, 0x1111, 0x2222, { 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA } };

static inline const char *fx_tmp(const char *name)
{
    static char ring[6][1024];
    static int next;
    char *p = ring[next++ % 6];
    snprintf(p, 1024, "%s/%s", fm_test_tmpdir(), name);
    return p;
}

static inline LPMDB fx_store(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.fmstore", fm_test_tmpdir(), name);
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &mdb), S_OK);
    return mdb;
}

static inline LPMAPIFOLDER fx_folder(LPMDB mdb)
{
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMsgStore_GetReceiveFolder(mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&f),
                     S_OK);
    MAPIFreeBuffer(eid);
    return f;
}

static inline void fx_set(void *obj, ULONG n, SPropValue *v)
{
    LPSPropProblemArray p = NULL;
    assert_int_equal(((LPMAPIPROP)obj)->lpVtbl->SetProps((LPMAPIPROP)obj, n, v, &p), S_OK);
    if (p != NULL)
        fail_msg("SetProps problem: tag %08X sc %08X", (unsigned)p->aProblem[0].ulPropTag,
                 (unsigned)p->aProblem[0].scode);
}

static inline ULONG fx_named(void *obj, ULONG kind, const GUID *g, LONG lid, const WCHAR *name,
                             ULONG type)
{
    MAPINAMEID nm = { .lpguid = (LPGUID)g, .ulKind = kind };
    if (kind == MNID_ID)
        nm.Kind.lID = lid;
    else
        nm.Kind.lpwstrName = (LPWSTR)name;
    LPMAPINAMEID p = &nm;
    LPSPropTagArray t = NULL;
    assert_int_equal(((LPMAPIPROP)obj)->lpVtbl->GetIDsFromNames((LPMAPIPROP)obj, 1, &p, MAPI_CREATE,
                                                                 &t),
                     S_OK);
    ULONG tag = CHANGE_PROP_TYPE(t->aulPropTag[0], type);
    MAPIFreeBuffer(t);
    return tag;
}

static inline void fx_stream_write(void *obj, ULONG tag, const void *data, size_t n)
{
    IStream *s = NULL;
    assert_int_equal(((LPMAPIPROP)obj)->lpVtbl->OpenProperty((LPMAPIPROP)obj, tag, &IID_IStream, 0,
                                                              MAPI_CREATE | MAPI_MODIFY,
                                                              (LPUNKNOWN *)&s),
                     S_OK);
    size_t done = 0;
    while (done < n) {
        ULONG piece = n - done > 65536 ? 65536 : (ULONG)(n - done), w = 0;
        assert_int_equal(IStream_Write(s, (const char *)data + done, piece, &w), S_OK);
        done += w;
    }
    assert_int_equal(IStream_Commit(s, 0), S_OK);
    IStream_Release(s);
}

static inline unsigned char *fx_bytes(size_t n, unsigned seed)
{
    unsigned char *p = malloc(n ? n : 1);
    uint32_t x = seed * 2654435761u + 7;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (unsigned char)(x >> 16);
    }
    return p;
}

/* Text of n characters, some outside Latin-1 (UTF-8). */
static inline char *fx_text(size_t n)
{
    static const char *words[] = { "hello ", "Grüße ", "日本語 ", "mail\r\n", "x " };
    char *s = malloc(n + 16);
    size_t k = 0;
    for (unsigned i = 0; k < n; i++) {
        const char *w = words[i % 5];
        size_t l = strlen(w);
        memcpy(s + k, w, l);
        k += l;
    }
    s[k] = 0;
    return s;
}

/* Every property type, on obj (salt makes values differ per object). */
static inline void fx_all_types(void *obj, unsigned salt)
{
    static short i2[] = { 1, -2, 3 };
    static LONG l[] = { 10, -20 };
    static float f[] = { 1.5f, -2.25f };
    static double d[] = { 3.25, -1e300 };
    static CURRENCY cy[2];
    static double at[] = { 45000.5, 1.0 };
    static FILETIME ft[] = { { 0x12345678, 0x01D00000 }, { 1, 2 } };
    static LARGE_INTEGER li[2];
    static GUID g[] = { { 1, 2, 3, { 4, 5, 6, 7, 8, 9, 10, 11 } }, { 0xFFFFFFFF, 0, 0, { 0 } } };
    static char *sa[] = { "one", "", "drei ü" };
    static WCHAR w1[] = u"wide α", w2[] = u"", w3[] = u"𝄞 clef";
    static WCHAR *sw[] = { w1, w2, w3 };
    static BYTE b1[] = { 0, 1, 2 }, b2[] = { 0xFF };
    static SBinary bins[] = { { 3, b1 }, { 0, NULL }, { 1, b2 } };
    cy[0].int64 = 123456789;
    cy[1].int64 = -5;
    li[0].QuadPart = 0x7FFFFFFFFFFFFFFFll;
    li[1].QuadPart = -1;
    BYTE bin[5] = { 9, 8, 7, 6, (BYTE)salt };
    SPropValue v[] = {
        { .ulPropTag = PROP_TAG(PT_I2, 0x6601), .Value.i = (short)(-7 - salt) },
        { .ulPropTag = PROP_TAG(PT_LONG, 0x6602), .Value.l = (LONG)(0x80000001u + salt) },
        { .ulPropTag = PROP_TAG(PT_R4, 0x6603), .Value.flt = 0.125f },
        { .ulPropTag = PROP_TAG(PT_DOUBLE, 0x6604), .Value.dbl = -2.5e-300 },
        { .ulPropTag = PROP_TAG(PT_CURRENCY, 0x6605), .Value.cur.int64 = -987654321 },
        { .ulPropTag = PROP_TAG(PT_APPTIME, 0x6606), .Value.at = 44197.75 },
        { .ulPropTag = PROP_TAG(PT_BOOLEAN, 0x6607), .Value.b = 1 },
        { .ulPropTag = PROP_TAG(PT_I8, 0x6608), .Value.li.QuadPart = -1234567890123ll },
        { .ulPropTag = PROP_TAG(PT_SYSTIME, 0x6609), .Value.ft = { 0xAABBCCDD, 0x01DA0000 } },
        { .ulPropTag = PROP_TAG(PT_STRING8, 0x660A), .Value.lpszA = "narrow ä €" },
        { .ulPropTag = PROP_TAG(PT_UNICODE, 0x660B), .Value.lpszW = u"wide ü 😀" },
        { .ulPropTag = PROP_TAG(PT_BINARY, 0x660C), .Value.bin = { sizeof bin, bin } },
        { .ulPropTag = PROP_TAG(PT_CLSID, 0x660D), .Value.lpguid = &g[0] },
        { .ulPropTag = PROP_TAG(PT_UNICODE, 0x660E), .Value.lpszW = u"" },
        { .ulPropTag = PROP_TAG(PT_BINARY, 0x660F), .Value.bin = { 0, NULL } },
        { .ulPropTag = PROP_TAG(PT_MV_I2, 0x6610), .Value.MVi = { 3, i2 } },
        { .ulPropTag = PROP_TAG(PT_MV_LONG, 0x6611), .Value.MVl = { 2, l } },
        { .ulPropTag = PROP_TAG(PT_MV_R4, 0x6612), .Value.MVflt = { 2, f } },
        { .ulPropTag = PROP_TAG(PT_MV_DOUBLE, 0x6613), .Value.MVdbl = { 2, d } },
        { .ulPropTag = PROP_TAG(PT_MV_CURRENCY, 0x6614), .Value.MVcur = { 2, cy } },
        { .ulPropTag = PROP_TAG(PT_MV_APPTIME, 0x6615), .Value.MVat = { 2, at } },
        { .ulPropTag = PROP_TAG(PT_MV_SYSTIME, 0x6616), .Value.MVft = { 2, ft } },
        { .ulPropTag = PROP_TAG(PT_MV_I8, 0x6617), .Value.MVli = { 2, li } },
        { .ulPropTag = PROP_TAG(PT_MV_CLSID, 0x6618), .Value.MVguid = { 2, g } },
        { .ulPropTag = PROP_TAG(PT_MV_STRING8, 0x6619), .Value.MVszA = { 3, sa } },
        { .ulPropTag = PROP_TAG(PT_MV_UNICODE, 0x661A), .Value.MVszW = { 3, sw } },
        { .ulPropTag = PROP_TAG(PT_MV_BINARY, 0x661B), .Value.MVbin = { 3, bins } },
    };
    fx_set(obj, sizeof v / sizeof v[0], v);
    SPropValue named[] = {
        { .ulPropTag = fx_named(obj, MNID_ID, &fx_ps_test, 0x8101, NULL, PT_LONG), .Value.l = 42 },
        { .ulPropTag = fx_named(obj, MNID_STRING, &PS_PUBLIC_STRINGS, 0, u"Keywords-x", PT_MV_UNICODE),
          .Value.MVszW = { 3, sw } },
        { .ulPropTag = fx_named(obj, MNID_STRING, &PS_INTERNET_HEADERS, 0, u"X-Mailer", PT_UNICODE),
          .Value.lpszW = u"freemapi tests" },
        { .ulPropTag = fx_named(obj, MNID_STRING, &fx_ps_test, 0, u"Flag ✓", PT_BOOLEAN),
          .Value.b = 0 },
    };
    fx_set(obj, sizeof named / sizeof named[0], named);
}

static inline void fx_recipients(LPMESSAGE m, unsigned n)
{
    LPADRLIST list = NULL;
    assert_int_equal(MAPIAllocateBuffer(CbNewADRLIST(n), (void **)&list), S_OK);
    list->cEntries = n;
    static const char *names[] = { "Ann Example", "Bob Ünicode", "Chloé 张" };
    static const char *addrs[] = { "ann@example.com", "bob@example.org", "chloe@example.net" };
    BYTE eid[] = { 0, 0, 0, 0, 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19 };
    for (unsigned i = 0; i < n; i++) {
        SPropValue *v = NULL;
        assert_int_equal(MAPIAllocateMore(5 * sizeof *v, list, (void **)&v), S_OK);
        v[0] = (SPropValue){ .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = (LPSTR)names[i % 3] };
        v[1] = (SPropValue){ .ulPropTag = PR_EMAIL_ADDRESS_A, .Value.lpszA = (LPSTR)addrs[i % 3] };
        v[2] = (SPropValue){ .ulPropTag = PR_ADDRTYPE_A, .Value.lpszA = "SMTP" };
        v[3] = (SPropValue){ .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = (LONG)(MAPI_TO + i % 3) };
        v[4] = (SPropValue){ .ulPropTag = PR_ENTRYID, .Value.bin = { sizeof eid, eid } };
        list->aEntries[i].cValues = 5;
        list->aEntries[i].rgPropVals = v;
    }
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, list), S_OK);
    MAPIFreeBuffer(list);
}

static inline void fx_attach_value(LPMESSAGE m, const char *name, size_t size, unsigned seed)
{
    IAttach *a = NULL;
    ULONG num = 0;
    assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
    SPropValue v[] = {
        { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE },
        { .ulPropTag = PR_ATTACH_LONG_FILENAME_A, .Value.lpszA = (LPSTR)name },
        { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = (LPSTR)name },
        { .ulPropTag = PR_ATTACH_MIME_TAG_A, .Value.lpszA = "application/octet-stream" },
        { .ulPropTag = PR_RENDERING_POSITION, .Value.l = -1 },
    };
    fx_set(a, 5, v);
    unsigned char *data = fx_bytes(size, seed);
    if (size > 60000) {
        fx_stream_write(a, PR_ATTACH_DATA_BIN, data, size);
    } else {
        SPropValue d = { .ulPropTag = PR_ATTACH_DATA_BIN, .Value.bin = { (ULONG)size, data } };
        fx_set(a, 1, &d);
    }
    free(data);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
}

static void fx_fill(LPMESSAGE m, unsigned depth);

static inline void fx_attach_embedded(LPMESSAGE m, unsigned depth)
{
    IAttach *a = NULL;
    ULONG num = 0;
    LPMESSAGE e = NULL;
    assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
    SPropValue v[] = {
        { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_EMBEDDED_MSG },
        { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "forwarded" },
    };
    fx_set(a, 2, v);
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                          MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&e),
                     S_OK);
    fx_fill(e, depth + 1);
    assert_int_equal(IMessage_SaveChanges(e, 0), S_OK);
    IMessage_Release(e);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
}

/* The whole sample: depth 0 is the top message. */
static void fx_fill(LPMESSAGE m, unsigned depth)
{
    char subject[64];
    snprintf(subject, sizeof subject, "Subject ✉ level %u", depth);
    SPropValue v[] = {
        { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = subject },
        { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = "IPM.Note" },
        { .ulPropTag = PR_SENDER_NAME_A, .Value.lpszA = "Sändər" },
        { .ulPropTag = PR_IMPORTANCE, .Value.l = 2 /* high */ },
        { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = MSGFLAG_READ },
        { .ulPropTag = PR_CLIENT_SUBMIT_TIME, .Value.ft = { 0x11223344, 0x01DB0000 } },
    };
    fx_set(m, sizeof v / sizeof v[0], v);
    fx_all_types(m, depth);
    if (depth == 0) {
        char *body = fx_text(FX_BIG_BODY);
        fx_stream_write(m, PR_BODY_A, body, strlen(body));
        free(body);
        unsigned char *html = fx_bytes(100000, 5);
        fx_stream_write(m, PR_HTML, html, 100000);
        free(html);
    } else {
        SPropValue b = { .ulPropTag = PR_BODY_A, .Value.lpszA = "short body\r\n" };
        fx_set(m, 1, &b);
    }
    fx_recipients(m, depth == 0 ? 3 : 1);
    fx_attach_value(m, "small.bin", 1000 + depth, depth);
    if (depth == 0)
        fx_attach_value(m, "large.dat", FX_BIG_ATTACH, 77);
    if (depth < 2)
        fx_attach_embedded(m, depth);
}

/* ---- comparison ------------------------------------------------------------------------- */

/* Properties that belong to the container, not the message: each store
 * (or file) makes its own. */
static const ULONG FX_IDENTITY[] = {
    PR_ENTRYID, PR_RECORD_KEY, PR_SOURCE_KEY, PR_PARENT_ENTRYID, PR_PARENT_SOURCE_KEY,
    PR_STORE_ENTRYID, PR_STORE_RECORD_KEY, PR_STORE_SUPPORT_MASK, PR_OBJECT_TYPE, PR_ACCESS,
    PR_ACCESS_LEVEL, PR_INSTANCE_KEY, PR_ROWID, PR_ATTACH_NUM, PR_MAPPING_SIGNATURE,
    PR_CREATION_TIME, PR_LAST_MODIFICATION_TIME,
    /* Computed by each store from how it keeps the message. */
    PR_MESSAGE_SIZE,
};

static inline bool fx_identity(ULONG tag)
{
    for (size_t i = 0; i < sizeof FX_IDENTITY / sizeof FX_IDENTITY[0]; i++) {
        if (PROP_ID(FX_IDENTITY[i]) == PROP_ID(tag))
            return true;
    }
    return false;
}

/* A property as a comparable key: the name for named ones. */
static inline void fx_key(LPMAPIPROP obj, ULONG tag, char *out, size_t n)
{
    if (PROP_ID(tag) < 0x8000) {
        snprintf(out, n, "%04X", (unsigned)PROP_ID(tag));
        return;
    }
    SizedSPropTagArray(1, one) = { 1, { tag } };
    LPSPropTagArray t = (LPSPropTagArray)&one;
    ULONG c = 0;
    LPMAPINAMEID *names = NULL;
    HRESULT hr = obj->lpVtbl->GetNamesFromIDs(obj, &t, NULL, 0, &c, &names);
    assert_true(hr == S_OK);
    const MAPINAMEID *nm = names[0];
    char g[48];
    snprintf(g, sizeof g, "%08X-%04X-%04X", (unsigned)nm->lpguid->Data1, nm->lpguid->Data2,
             nm->lpguid->Data3);
    if (nm->ulKind == MNID_ID) {
        snprintf(out, n, "%s/id/%X", g, (unsigned)nm->Kind.lID);
    } else {
        size_t k = (size_t)snprintf(out, n, "%s/str/", g);
        for (size_t i = 0; nm->Kind.lpwstrName[i] != 0 && k + 6 < n; i++)
            k += (size_t)snprintf(out + k, n - k, "%04X", (unsigned)nm->Kind.lpwstrName[i]);
    }
    MAPIFreeBuffer(names);
}

static inline unsigned char *fx_stream_all(LPMAPIPROP obj, ULONG tag, size_t *n)
{
    IStream *s = NULL;
    assert_int_equal(obj->lpVtbl->OpenProperty(obj, tag, &IID_IStream, 0, 0, (LPUNKNOWN *)&s), S_OK);
    size_t cap = 1 << 16, len = 0;
    unsigned char *b = malloc(cap);
    for (;;) {
        if (len + 65536 > cap)
            b = realloc(b, cap *= 2);
        ULONG got = 0;
        assert_int_equal(IStream_Read(s, b + len, 65536, &got), S_OK);
        if (got == 0)
            break;
        len += got;
    }
    IStream_Release(s);
    *n = len;
    return b;
}

static inline bool fx_same_value(const SPropValue *a, const SPropValue *b)
{
    if (PROP_TYPE(a->ulPropTag) != PROP_TYPE(b->ulPropTag))
        return false;
    ULONG type = PROP_TYPE(a->ulPropTag);
    switch (type) {
    case PT_MV_I2: case PT_MV_LONG: case PT_MV_R4: case PT_MV_DOUBLE: case PT_MV_CURRENCY:
    case PT_MV_APPTIME: case PT_MV_SYSTIME: case PT_MV_I8: case PT_MV_CLSID: {
        size_t sz = type == PT_MV_I2 ? 2 : type == PT_MV_LONG || type == PT_MV_R4 ? 4
                    : type == PT_MV_CLSID ? 16 : 8;
        return a->Value.MVi.cValues == b->Value.MVi.cValues &&
               (a->Value.MVi.cValues == 0 ||
                memcmp(a->Value.MVi.lpi, b->Value.MVi.lpi, sz * a->Value.MVi.cValues) == 0);
    }
    case PT_MV_UNICODE:
        if (a->Value.MVszW.cValues != b->Value.MVszW.cValues)
            return false;
        for (ULONG i = 0; i < a->Value.MVszW.cValues; i++) {
            SPropValue x = { .ulPropTag = PR_SUBJECT_W, .Value.lpszW = a->Value.MVszW.lppszW[i] };
            SPropValue y = { .ulPropTag = PR_SUBJECT_W, .Value.lpszW = b->Value.MVszW.lppszW[i] };
            if (!fx_same_value(&x, &y))
                return false;
        }
        return true;
    case PT_MV_BINARY:
        if (a->Value.MVbin.cValues != b->Value.MVbin.cValues)
            return false;
        for (ULONG i = 0; i < a->Value.MVbin.cValues; i++) {
            const SBinary *x = &a->Value.MVbin.lpbin[i], *y = &b->Value.MVbin.lpbin[i];
            if (x->cb != y->cb || (x->cb > 0 && memcmp(x->lpb, y->lpb, x->cb) != 0))
                return false;
        }
        return true;
    case PT_UNICODE: {
        const WCHAR *x = a->Value.lpszW, *y = b->Value.lpszW;
        while (*x != 0 && *x == *y) {
            x++;
            y++;
        }
        return *x == *y;
    }
    case PT_STRING8: return strcmp(a->Value.lpszA, b->Value.lpszA) == 0;
    case PT_MV_STRING8:
        if (a->Value.MVszA.cValues != b->Value.MVszA.cValues)
            return false;
        for (ULONG i = 0; i < a->Value.MVszA.cValues; i++)
            if (strcmp(a->Value.MVszA.lppszA[i], b->Value.MVszA.lppszA[i]) != 0)
                return false;
        return true;
    case PT_BINARY:
        return a->Value.bin.cb == b->Value.bin.cb &&
               (a->Value.bin.cb == 0 || memcmp(a->Value.bin.lpb, b->Value.bin.lpb, a->Value.bin.cb) == 0);
    case PT_CLSID: return memcmp(a->Value.lpguid, b->Value.lpguid, sizeof(GUID)) == 0;
    case PT_I2: return a->Value.i == b->Value.i;
    case PT_LONG: case PT_ERROR: return a->Value.l == b->Value.l;
    case PT_BOOLEAN: return (a->Value.b != 0) == (b->Value.b != 0);
    case PT_R4: return memcmp(&a->Value.flt, &b->Value.flt, 4) == 0;
    default: return memcmp(&a->Value.li, &b->Value.li, 8) == 0;
    }
}

typedef struct fx_prop {
    char key[200];
    SPropValue *v;
} fx_prop;

static int fx_prop_cmp(const void *a, const void *b)
{
    return strcmp(((const fx_prop *)a)->key, ((const fx_prop *)b)->key);
}

static inline fx_prop *fx_props(LPMAPIPROP obj, ULONG n, SPropValue *v, size_t *out)
{
    fx_prop *p = calloc(n + 1, sizeof *p);
    size_t k = 0;
    for (ULONG i = 0; i < n; i++) {
        if (fx_identity(v[i].ulPropTag) || PROP_TYPE(v[i].ulPropTag) == PT_OBJECT)
            continue;
        if (PROP_TYPE(v[i].ulPropTag) == PT_ERROR && v[i].Value.err == MAPI_E_NO_SUPPORT)
            continue; /* PR_ATTACH_DATA_OBJ: compared as the embedded message */
        fx_key(obj, v[i].ulPropTag, p[k].key, sizeof p[k].key);
        p[k++].v = &v[i];
    }
    qsort(p, k, sizeof *p, fx_prop_cmp);
    *out = k;
    return p;
}

/* Every property of a and b is the same (types included), large ones
 * compared through their streams with the type the list gives. */
static inline void fx_assert_same_props(LPMAPIPROP a, LPMAPIPROP b, const char *what)
{
    ULONG na = 0, nb = 0;
    LPSPropValue va = NULL, vb = NULL;
    HRESULT hr = a->lpVtbl->GetProps(a, NULL, MAPI_UNICODE, &na, &va);
    assert_true(hr == S_OK || hr == MAPI_W_ERRORS_RETURNED);
    hr = b->lpVtbl->GetProps(b, NULL, MAPI_UNICODE, &nb, &vb);
    assert_true(hr == S_OK || hr == MAPI_W_ERRORS_RETURNED);
    LPSPropTagArray la = NULL, lb = NULL;
    assert_int_equal(a->lpVtbl->GetPropList(a, MAPI_UNICODE, &la), S_OK);
    assert_int_equal(b->lpVtbl->GetPropList(b, MAPI_UNICODE, &lb), S_OK);
    size_t ka = 0, kb = 0;
    fx_prop *pa = fx_props(a, na, va, &ka), *pb = fx_props(b, nb, vb, &kb);
    size_t i = 0, j = 0;
    while (i < ka || j < kb) {
        int c = i == ka ? 1 : j == kb ? -1 : strcmp(pa[i].key, pb[j].key);
        if (c != 0)
            fail_msg("%s: property %s (tag %08X) is only on the %s side", what,
                     c < 0 ? pa[i].key : pb[j].key,
                     (unsigned)(c < 0 ? pa[i].v->ulPropTag : pb[j].v->ulPropTag),
                     c < 0 ? "first" : "second");
        SPropValue *x = pa[i].v, *y = pb[j].v;
        bool big_x = PROP_TYPE(x->ulPropTag) == PT_ERROR && x->Value.err == MAPI_E_NOT_ENOUGH_MEMORY;
        bool big_y = PROP_TYPE(y->ulPropTag) == PT_ERROR && y->Value.err == MAPI_E_NOT_ENOUGH_MEMORY;
        if (big_x || big_y) {
            /* Large on either side: compare the bytes, typed by each list. */
            ULONG tx = 0, ty = 0;
            for (ULONG k = 0; k < la->cValues; k++)
                if (PROP_ID(la->aulPropTag[k]) == PROP_ID(x->ulPropTag))
                    tx = la->aulPropTag[k];
            for (ULONG k = 0; k < lb->cValues; k++)
                if (PROP_ID(lb->aulPropTag[k]) == PROP_ID(y->ulPropTag))
                    ty = lb->aulPropTag[k];
            if (PROP_TYPE(tx) != PROP_TYPE(ty))
                fail_msg("%s: %s has type %04X and %04X", what, pa[i].key,
                         (unsigned)PROP_TYPE(tx), (unsigned)PROP_TYPE(ty));
            size_t sx = 0, sy = 0;
            unsigned char *bx = fx_stream_all(a, tx, &sx), *by = fx_stream_all(b, ty, &sy);
            if (sx != sy || memcmp(bx, by, sx) != 0)
                fail_msg("%s: the stream of %s differs (%zu and %zu bytes)", what, pa[i].key, sx,
                         sy);
            free(bx);
            free(by);
        } else if (!fx_same_value(x, y)) {
            fail_msg("%s: %s differs (tags %08X and %08X)", what, pa[i].key,
                     (unsigned)x->ulPropTag, (unsigned)y->ulPropTag);
        }
        i++;
        j++;
    }
    free(pa);
    free(pb);
    MAPIFreeBuffer(la);
    MAPIFreeBuffer(lb);
    MAPIFreeBuffer(va);
    MAPIFreeBuffer(vb);
}

static inline LPSRowSet fx_rows(LPMAPITABLE t)
{
    LPSPropTagArray cols = NULL;
    LPSRowSet rows = NULL;
    assert_int_equal(t->lpVtbl->QueryColumns(t, TBL_ALL_COLUMNS, &cols), S_OK);
    assert_int_equal(HrQueryAllRows(t, cols, NULL, NULL, 0, &rows), S_OK);
    MAPIFreeBuffer(cols);
    return rows;
}

static inline void fx_assert_same_message(LPMESSAGE a, LPMESSAGE b, unsigned depth)
{
    char what[64];
    snprintf(what, sizeof what, "message at depth %u", depth);
    fx_assert_same_props((LPMAPIPROP)a, (LPMAPIPROP)b, what);
    /* Recipients: the rows' properties, in order. */
    LPMAPITABLE ta = NULL, tb = NULL;
    assert_int_equal(IMessage_GetRecipientTable(a, MAPI_UNICODE, &ta), S_OK);
    assert_int_equal(IMessage_GetRecipientTable(b, MAPI_UNICODE, &tb), S_OK);
    LPSRowSet ra = fx_rows(ta), rb = fx_rows(tb);
    assert_int_equal(ra->cRows, rb->cRows);
    for (ULONG r = 0; r < ra->cRows; r++) {
        size_t ka = 0, kb = 0;
        fx_prop *pa = fx_props((LPMAPIPROP)a, ra->aRow[r].cValues, ra->aRow[r].lpProps, &ka);
        fx_prop *pb = fx_props((LPMAPIPROP)b, rb->aRow[r].cValues, rb->aRow[r].lpProps, &kb);
        size_t i = 0, j = 0;
        while (i < ka && j < kb) { /* table columns: values of absent ones are PT_ERROR */
            int c = strcmp(pa[i].key, pb[j].key);
            if (c == 0 && !fx_same_value(pa[i].v, pb[j].v) &&
                (PROP_TYPE(pa[i].v->ulPropTag) != PT_ERROR || PROP_TYPE(pb[j].v->ulPropTag) != PT_ERROR))
                fail_msg("%s: recipient %u property %s differs (%08X, %08X)", what, (unsigned)r,
                         pa[i].key, (unsigned)pa[i].v->ulPropTag, (unsigned)pb[j].v->ulPropTag);
            if (c <= 0)
                i++;
            if (c >= 0)
                j++;
        }
        for (; i < ka; i++)
            if (PROP_TYPE(pa[i].v->ulPropTag) != PT_ERROR)
                fail_msg("%s: recipient %u lost %s", what, (unsigned)r, pa[i].key);
        for (; j < kb; j++)
            if (PROP_TYPE(pb[j].v->ulPropTag) != PT_ERROR)
                fail_msg("%s: recipient %u gained %s", what, (unsigned)r, pb[j].key);
        free(pa);
        free(pb);
    }
    FreeProws(ra);
    FreeProws(rb);
    ta->lpVtbl->Release(ta);
    tb->lpVtbl->Release(tb);
    /* Attachments, in order, with what they hold. */
    SizedSPropTagArray(2, cols) = { 2, { PR_ATTACH_NUM, PR_ATTACH_METHOD } };
    assert_int_equal(IMessage_GetAttachmentTable(a, 0, &ta), S_OK);
    assert_int_equal(IMessage_GetAttachmentTable(b, 0, &tb), S_OK);
    assert_int_equal(HrQueryAllRows(ta, (LPSPropTagArray)&cols, NULL, NULL, 0, &ra), S_OK);
    assert_int_equal(HrQueryAllRows(tb, (LPSPropTagArray)&cols, NULL, NULL, 0, &rb), S_OK);
    assert_int_equal(ra->cRows, rb->cRows);
    for (ULONG r = 0; r < ra->cRows; r++) {
        IAttach *xa = NULL, *xb = NULL;
        assert_int_equal(IMessage_OpenAttach(a, (ULONG)ra->aRow[r].lpProps[0].Value.l, NULL, 0, &xa), S_OK);
        assert_int_equal(IMessage_OpenAttach(b, (ULONG)rb->aRow[r].lpProps[0].Value.l, NULL, 0, &xb), S_OK);
        snprintf(what, sizeof what, "attachment %u at depth %u", (unsigned)r, depth);
        fx_assert_same_props((LPMAPIPROP)xa, (LPMAPIPROP)xb, what);
        if (ra->aRow[r].lpProps[1].Value.l == ATTACH_EMBEDDED_MSG) {
            LPMESSAGE ea = NULL, eb = NULL;
            assert_int_equal(IAttach_OpenProperty(xa, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                                  (LPUNKNOWN *)&ea), S_OK);
            assert_int_equal(IAttach_OpenProperty(xb, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                                  (LPUNKNOWN *)&eb), S_OK);
            fx_assert_same_message(ea, eb, depth + 1);
            IMessage_Release(ea);
            IMessage_Release(eb);
        }
        IAttach_Release(xa);
        IAttach_Release(xb);
    }
    FreeProws(ra);
    FreeProws(rb);
    ta->lpVtbl->Release(ta);
    tb->lpVtbl->Release(tb);
}

/* A message of folder f made with fx_fill and saved. */
static inline LPMESSAGE fx_sample(LPMAPIFOLDER f)
{
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(f, NULL, 0, &m), S_OK);
    fx_fill(m, 0);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    return m;
}

#endif /* FREEMAPI_TESTS_MSG_FIXTURE_H */
