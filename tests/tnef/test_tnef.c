/*
 * tests/tnef/test_tnef.c - ITnef ([MS-OXTNEF]): streams built here byte by
 * byte (by this file's own writer, not the library's) read into messages;
 * messages of every property type, with recipients, large values, OLE and
 * embedded messages, written and read back in each mode; AddProps,
 * SetProps, EncodeRecips and FinishComponent; damaged streams; the code
 * page; tagged bodies; and what we write read by two independent readers,
 * `tnef` and `ytnef` (Debian packages), when they are installed.
 */
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../store/store_fixture.h"
#include "tnef.h"

static LPMDB mdb;
static LPMAPIFOLDER inbox;

/* ---- a stream in the store (a scratch attachment's data) ------------------------- */
static LPMESSAGE scratch_msg;

static IStream *new_stream(const void *data, size_t n)
{
    LPATTACH a = NULL;
    ULONG num = 0;
    assert_int_equal(IMessage_CreateAttach(scratch_msg, NULL, 0, &num, &a), S_OK);
    IStream *s = NULL;
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0,
                                          MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&s), S_OK);
    IAttach_Release(a);
    ULONG w = 0;
    if (n > 0)
        assert_int_equal(IStream_Write(s, data, (ULONG)n, &w), S_OK);
    LARGE_INTEGER zero = { .QuadPart = 0 };
    assert_int_equal(IStream_Seek(s, zero, STREAM_SEEK_SET, NULL), S_OK);
    return s;
}

/* A stream on an attachment of holder (a message of the caller's, released
 * by it, so that repeated calls leave nothing behind). */
static HRESULT try_stream(LPMESSAGE holder, const void *data, size_t n, IStream **out)
{
    *out = NULL;
    LPATTACH a = NULL;
    ULONG num = 0;
    HRESULT hr = IMessage_CreateAttach(holder, NULL, 0, &num, &a);
    if (hr == S_OK)
        hr = IAttach_OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0,
                                  MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)out);
    if (a != NULL)
        IAttach_Release(a);
    ULONG w = 0;
    if (hr == S_OK && n > 0)
        hr = IStream_Write(*out, data, (ULONG)n, &w);
    LARGE_INTEGER zero = { .QuadPart = 0 };
    if (hr == S_OK)
        hr = IStream_Seek(*out, zero, STREAM_SEEK_SET, NULL);
    if (hr != S_OK && *out != NULL) {
        IStream_Release(*out);
        *out = NULL;
    }
    return hr;
}

static BYTE *stream_bytes(IStream *s, size_t *n)
{
    STATSTG st;
    assert_int_equal(IStream_Stat(s, &st, STATFLAG_NONAME), S_OK);
    LARGE_INTEGER zero = { .QuadPart = 0 };
    assert_int_equal(IStream_Seek(s, zero, STREAM_SEEK_SET, NULL), S_OK);
    BYTE *b = malloc((size_t)st.cbSize.QuadPart + 1);
    ULONG got = 0;
    assert_int_equal(IStream_Read(s, b, (ULONG)st.cbSize.QuadPart, &got), S_OK);
    assert_int_equal(got, st.cbSize.QuadPart);
    *n = got;
    return b;
}

/* ---- this file's own TNEF writer ([MS-OXTNEF] 2.1.1, 2.1.3.4) ------------------- */
typedef struct buf {
    BYTE *p;
    size_t n, cap;
} buf;

static void put(buf *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void u8(buf *b, unsigned v)
{
    BYTE x = (BYTE)v;
    put(b, &x, 1);
}

static void u16(buf *b, unsigned v)
{
    BYTE x[2] = { (BYTE)v, (BYTE)(v >> 8) };
    put(b, x, 2);
}

static void u32(buf *b, uint32_t v)
{
    BYTE x[4] = { (BYTE)v, (BYTE)(v >> 8), (BYTE)(v >> 16), (BYTE)(v >> 24) };
    put(b, x, 4);
}

static void pad4(buf *b, size_t n)
{
    static const BYTE z[4];
    put(b, z, (4 - n % 4) % 4);
}

static void guid(buf *b, const GUID *g)
{
    u32(b, g->Data1);
    u16(b, g->Data2);
    u16(b, g->Data3);
    put(b, g->Data4, 8);
}

/* An attribute with its checksum; bad_sum spoils the checksum. */
static void att(buf *b, BYTE level, uint32_t id, const void *data, size_t n, bool bad_sum)
{
    u8(b, level);
    u32(b, id);
    u32(b, (uint32_t)n);
    put(b, data, n);
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += ((const BYTE *)data)[i];
    u16(b, (sum + (bad_sum ? 1 : 0)) & 0xFFFF);
}

static void header(buf *b)
{
    u32(b, 0x223E9F78);
    u16(b, 1);
    uint32_t ver = 0x00010000;
    att(b, 1, 0x00089006, &ver, 4, false);
    BYTE cp[8] = { 0xE4, 0x04, 0, 0, 0, 0, 0, 0 }; /* 1252 */
    att(b, 1, 0x00069007, cp, 8, false);
}

static void w_unicode(buf *b, const char *ascii)
{
    size_t n = strlen(ascii);
    u32(b, 1);
    u32(b, (uint32_t)((n + 1) * 2));
    for (size_t i = 0; i <= n; i++)
        u16(b, (unsigned char)ascii[i]);
    pad4(b, (n + 1) * 2);
}

static void w_binary(buf *b, const void *p, size_t n)
{
    u32(b, 1);
    u32(b, (uint32_t)n);
    put(b, p, n);
    pad4(b, n);
}

/* An attMAPIProps-style list, built property by property by the caller. */
static void prop_string8(buf *b, uint32_t tag, const char *s)
{
    u32(b, tag);
    size_t n = strlen(s) + 1;
    u32(b, 1);
    u32(b, (uint32_t)n);
    put(b, s, n);
    pad4(b, n);
}

static void date(buf *b, unsigned y, unsigned mo, unsigned d, unsigned h, unsigned mi,
                 unsigned s)
{
    u16(b, y), u16(b, mo), u16(b, d), u16(b, h), u16(b, mi), u16(b, s), u16(b, 1);
}

/* A message whose every part this file chooses; nested: an embedded one. */
static buf nested_stream(void)
{
    buf n = { 0 };
    header(&n);
    const char cls[] = "IPM.Microsoft Mail.Note";
    att(&n, 1, 0x00078008, cls, sizeof cls, false);
    const char subj[] = "Inner subject";
    att(&n, 1, 0x00018004, subj, sizeof subj, false);
    const char body[] = "Inner body.";
    att(&n, 1, 0x0002800C, body, sizeof body, false);
    /* one recipient */
    buf r = { 0 };
    u32(&r, 1); /* rows */
    u32(&r, 3); /* props */
    u32(&r, PR_DISPLAY_NAME_W);
    w_unicode(&r, "Inner Recipient");
    u32(&r, PR_EMAIL_ADDRESS_W);
    w_unicode(&r, "inner@example.org");
    u32(&r, PR_RECIPIENT_TYPE);
    u32(&r, MAPI_TO);
    att(&n, 1, 0x00069004, r.p, r.n, false);
    free(r.p);
    /* one attachment of its own */
    BYTE rd[14] = { 1, 0, 0xFF, 0xFF, 0xFF, 0xFF };
    att(&n, 2, 0x00069002, rd, sizeof rd, false);
    const char title[] = "inner.txt";
    att(&n, 2, 0x00018010, title, sizeof title, false);
    const char data[] = "inner attachment data";
    att(&n, 2, 0x0006800F, data, sizeof data - 1, false);
    return n;
}

static buf outer_stream(bool bad_sum)
{
    buf b = { 0 };
    header(&b);
    const char cls[] = "IPM.Microsoft Mail.Note";
    att(&b, 1, 0x00078008, cls, sizeof cls, false);
    /* attFrom: TRP, name, "SMTP:address", 8 empty bytes */
    buf f = { 0 };
    const char name[] = "Ana Sender", addr[] = "SMTP:ana@example.org";
    u16(&f, 4);
    u16(&f, (unsigned)(8 + sizeof name + sizeof addr + 8));
    u16(&f, sizeof name);
    u16(&f, sizeof addr);
    put(&f, name, sizeof name);
    put(&f, addr, sizeof addr);
    static const BYTE empty[8];
    put(&f, empty, 8);
    att(&b, 1, 0x00008000, f.p, f.n, false);
    free(f.p);
    const char subj[] = "Caf\xe9 plans"; /* 1252 */
    att(&b, 1, 0x00018004, subj, sizeof subj, bad_sum);
    buf d = { 0 };
    date(&d, 2024, 3, 15, 9, 30, 5);
    att(&b, 1, 0x00038005, d.p, d.n, false);
    free(d.p);
    BYTE status = 0x20; /* fmsRead, not modified */
    att(&b, 1, 0x00068007, &status, 1, false);
    BYTE prio[2] = { 1, 0 }; /* prioHigh */
    att(&b, 1, 0x0004800D, prio, 2, false);
    const char id[] = "0102A0FF";
    att(&b, 1, 0x00018009, id, sizeof id, false);
    const char body[] = "The body, in 1252: na\xefve.";
    att(&b, 1, 0x0002800C, body, sizeof body, false);
    /* attMAPIProps: one of each kind */
    buf p = { 0 };
    u32(&p, 11);
    u32(&p, PR_SUBJECT_W); /* wins over attSubject */
    w_unicode(&p, "Cafe plans (MAPI)");
    u32(&p, PR_RTF_COMPRESSED); /* kept as it is */
    static const BYTE rtf[] = { 0x2D, 0, 0, 0, 0x2B, 0, 0, 0, 'L', 'Z', 'F', 'u', 1, 2, 3 };
    w_binary(&p, rtf, sizeof rtf);
    u32(&p, PROP_TAG(PT_UNICODE, 0x8001)); /* named by string */
    guid(&p, &PS_PUBLIC_STRINGS);
    u32(&p, MNID_STRING);
    const char nm[] = "x-test-name";
    u32(&p, (uint32_t)(sizeof nm * 2));
    for (size_t i = 0; i < sizeof nm; i++)
        u16(&p, (unsigned char)nm[i]);
    pad4(&p, sizeof nm * 2);
    w_unicode(&p, "named value");
    u32(&p, PROP_TAG(PT_LONG, 0x8002)); /* named by ID */
    guid(&p, &PSETID_Common);
    u32(&p, MNID_ID);
    u32(&p, 0x8501);
    u32(&p, 15);
    u32(&p, PR_DELETE_AFTER_SUBMIT); /* PT_BOOLEAN, padded */
    u16(&p, 1);
    u16(&p, 0);
    u32(&p, PROP_TAG(PT_MV_UNICODE, 0x6701));
    u32(&p, 2);
    u32(&p, 4);
    u16(&p, 'a'), u16(&p, 0);
    u32(&p, 6);
    u16(&p, 'b'), u16(&p, 'c'), u16(&p, 0);
    pad4(&p, 6);
    u32(&p, PROP_TAG(PT_MV_LONG, 0x6702));
    u32(&p, 3);
    u32(&p, 7), u32(&p, 8), u32(&p, 9);
    u32(&p, PROP_TAG(PT_I8, 0x6703));
    u32(&p, 0x89ABCDEF), u32(&p, 0x01234567);
    u32(&p, PROP_TAG(PT_CLSID, 0x6704));
    guid(&p, &IID_IMessage);
    u32(&p, PROP_TAG(PT_SHORT, 0x6705));
    u16(&p, 0xFFFE), u16(&p, 0);
    prop_string8(&p, PROP_TAG(PT_STRING8, 0x6706), "na\xefve 8-bit");
    att(&b, 1, 0x00069003, p.p, p.n, false);
    free(p.p);
    /* two recipients */
    buf r = { 0 };
    u32(&r, 2);
    u32(&r, 2);
    u32(&r, PR_DISPLAY_NAME_W);
    w_unicode(&r, "Bo To");
    u32(&r, PR_RECIPIENT_TYPE);
    u32(&r, MAPI_TO);
    u32(&r, 2);
    u32(&r, PR_DISPLAY_NAME_W);
    w_unicode(&r, "Cy Cc");
    u32(&r, PR_RECIPIENT_TYPE);
    u32(&r, MAPI_CC);
    att(&b, 1, 0x00069004, r.p, r.n, false);
    free(r.p);
    /* attachment 1: a file */
    BYTE rd[14] = { 1, 0, 7, 0, 0, 0 }; /* atypFile, position 7 */
    att(&b, 2, 0x00069002, rd, sizeof rd, false);
    const char title[] = "report.txt";
    att(&b, 2, 0x00018010, title, sizeof title, false);
    const char data[] = "file data 1";
    att(&b, 2, 0x0006800F, data, sizeof data - 1, false);
    buf a = { 0 };
    u32(&a, 2);
    u32(&a, PR_ATTACH_LONG_FILENAME_W);
    w_unicode(&a, "Quarterly report.txt");
    u32(&a, PR_ATTACH_MIME_TAG_W);
    w_unicode(&a, "text/plain");
    att(&b, 2, 0x00069005, a.p, a.n, false);
    free(a.p);
    /* attachment 2: an embedded message */
    BYTE rd2[14] = { 1, 0, 0xFF, 0xFF, 0xFF, 0xFF };
    att(&b, 2, 0x00069002, rd2, sizeof rd2, false);
    buf nested = nested_stream();
    buf e = { 0 };
    u32(&e, 2);
    u32(&e, PR_ATTACH_METHOD);
    u32(&e, ATTACH_EMBEDDED_MSG);
    u32(&e, PR_ATTACH_DATA_OBJ);
    u32(&e, 1);
    u32(&e, (uint32_t)(16 + nested.n));
    guid(&e, &IID_IMessage);
    put(&e, nested.p, nested.n);
    pad4(&e, 16 + nested.n);
    att(&b, 2, 0x00069005, e.p, e.n, false);
    free(e.p);
    free(nested.p);
    return b;
}

/* ---- checks --------------------------------------------------------------------- */
static char *utf8(void *obj, ULONG tag)
{
    LPSPropValue v = NULL;
    if (HrGetOneProp((LPMAPIPROP)obj, CHANGE_PROP_TYPE(tag, PT_STRING8), &v) != S_OK)
        return NULL;
    char *s = strdup(v->Value.lpszA);
    MAPIFreeBuffer(v);
    return s;
}

static void assert_str(void *obj, ULONG tag, const char *want)
{
    char *got = utf8(obj, tag);
    if (got == NULL)
        fail_msg("property 0x%08X missing (want \"%s\")", (unsigned)tag, want);
    if (strcmp(got, want) != 0)
        fail_msg("property 0x%08X is \"%s\", want \"%s\"", (unsigned)tag, got, want);
    free(got);
}

static LONG get_long(void *obj, ULONG tag)
{
    LPSPropValue v = fx_get(obj, tag);
    LONG l = v->Value.l;
    MAPIFreeBuffer(v);
    return l;
}

static ULONG named_tag_flags(LPMESSAGE m, const GUID *g, ULONG kind, LONG id,
                             const char *name, ULONG type, ULONG flags)
{
    WCHAR wname[64];
    for (size_t i = 0; name && i <= strlen(name); i++)
        wname[i] = (WCHAR)name[i];
    MAPINAMEID n = { .lpguid = (LPGUID)g, .ulKind = kind };
    if (kind == MNID_ID)
        n.Kind.lID = id;
    else
        n.Kind.lpwstrName = wname;
    LPMAPINAMEID names[1] = { &n };
    LPSPropTagArray tags = NULL;
    assert_int_equal(IMessage_GetIDsFromNames(m, 1, names, flags, &tags), S_OK);
    ULONG t = PROP_TAG(type, PROP_ID(tags->aulPropTag[0]));
    MAPIFreeBuffer(tags);
    return t;
}

static ULONG named_tag(LPMESSAGE m, const GUID *g, ULONG kind, LONG id, const char *name,
                       ULONG type)
{
    return named_tag_flags(m, g, kind, id, name, type, 0);
}

static ULONG count_rows(LPMAPITABLE t)
{
    ULONG n = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    IMAPITable_Release(t);
    return n;
}

static ULONG recipients(LPMESSAGE m)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMessage_GetRecipientTable(m, 0, &t), S_OK);
    return count_rows(t);
}

static ULONG attachments(LPMESSAGE m)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMessage_GetAttachmentTable(m, 0, &t), S_OK);
    return count_rows(t);
}

/* Decodes s from its start. */
static HRESULT decode(IStream *s, LPMESSAGE m, ULONG flags, LPSPropTagArray list,
                      LPSTnefProblemArray *problems)
{
    LARGE_INTEGER zero = { .QuadPart = 0 };
    IStream_Seek(s, zero, STREAM_SEEK_SET, NULL);
    LPITNEF t = NULL;
    HRESULT hr = OpenTnefStream(NULL, s, (LPTSTR) "winmail.dat", TNEF_DECODE, m, 1, &t);
    if (hr != S_OK)
        return hr;
    hr = ITnef_ExtractProps(t, flags, list, problems);
    ITnef_Release(t);
    return hr;
}

static void a_stream_built_here_reads_into_the_message(void **state)
{
    buf b = outer_stream(false);
    IStream *s = new_stream(b.p, b.n);
    LPMESSAGE m = fx_new_message(inbox);
    LPSTnefProblemArray problems = NULL;
    assert_int_equal(decode(s, m, TNEF_PROP_EXCLUDE, NULL, &problems), S_OK);
    if (problems != NULL)
        fail_msg("%u problems, the first attribute 0x%08X tag 0x%08X scode 0x%08X",
                 problems->cProblem, problems->aProblem[0].ulAttribute,
                 problems->aProblem[0].ulPropTag, (unsigned)problems->aProblem[0].scode);
    assert_str(m, PR_MESSAGE_CLASS, "IPM.Note");
    assert_str(m, PR_SUBJECT, "Cafe plans (MAPI)"); /* attMAPIProps wins */
    assert_str(m, PR_SENDER_NAME, "Ana Sender");
    assert_str(m, PR_SENDER_ADDRTYPE, "SMTP");
    assert_str(m, PR_SENDER_EMAIL_ADDRESS, "ana@example.org");
    assert_str(m, PR_BODY, "The body, in 1252: na\xc3\xafve.");
    assert_int_equal(get_long(m, PR_IMPORTANCE), 2);
    assert_true(get_long(m, PR_MESSAGE_FLAGS) & MSGFLAG_READ);
    LPSPropValue v = fx_get(m, PR_CLIENT_SUBMIT_TIME);
    uint64_t t = (uint64_t)v->Value.ft.dwHighDateTime << 32 | v->Value.ft.dwLowDateTime;
    assert_int_equal(t / 10000000ULL - 11644473600ULL, 1710495005ULL); /* 2024-03-15 09:30:05Z */
    MAPIFreeBuffer(v);
    v = fx_get(m, PR_SEARCH_KEY);
    assert_int_equal(v->Value.bin.cb, 4);
    assert_memory_equal(v->Value.bin.lpb, "\x01\x02\xA0\xFF", 4);
    MAPIFreeBuffer(v);
    v = fx_get(m, PR_RTF_COMPRESSED);
    assert_int_equal(v->Value.bin.cb, 15);
    assert_memory_equal(v->Value.bin.lpb, "\x2D\0\0\0\x2B\0\0\0LZFu\1\2\3", 15);
    MAPIFreeBuffer(v);
    assert_str(m, named_tag(m, &PS_PUBLIC_STRINGS, MNID_STRING, 0, "x-test-name", PT_UNICODE),
               "named value");
    assert_int_equal(get_long(m, named_tag(m, &PSETID_Common, MNID_ID, 0x8501, NULL, PT_LONG)),
                     15);
    v = fx_get(m, PR_DELETE_AFTER_SUBMIT);
    assert_true(v->Value.b);
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_MV_STRING8, 0x6701));
    assert_int_equal(v->Value.MVszA.cValues, 2);
    assert_string_equal(v->Value.MVszA.lppszA[0], "a");
    assert_string_equal(v->Value.MVszA.lppszA[1], "bc");
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_MV_LONG, 0x6702));
    assert_int_equal(v->Value.MVl.cValues, 3);
    assert_int_equal(v->Value.MVl.lpl[2], 9);
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_I8, 0x6703));
    assert_true(v->Value.li.QuadPart == 0x0123456789ABCDEFLL);
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_CLSID, 0x6704));
    assert_memory_equal(v->Value.lpguid, &IID_IMessage, sizeof(GUID));
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_SHORT, 0x6705));
    assert_int_equal(v->Value.i, -2);
    MAPIFreeBuffer(v);
    assert_str(m, PROP_TAG(PT_STRING8, 0x6706), "na\xc3\xafve 8-bit");
    assert_int_equal(recipients(m), 2);
    assert_int_equal(attachments(m), 2);

    LPATTACH a = NULL;
    assert_int_equal(IMessage_OpenAttach(m, 0, NULL, 0, &a), S_OK);
    assert_str(a, PR_ATTACH_FILENAME, "report.txt");
    assert_str(a, PR_ATTACH_LONG_FILENAME, "Quarterly report.txt");
    assert_str(a, PR_ATTACH_MIME_TAG, "text/plain");
    assert_int_equal(get_long(a, PR_RENDERING_POSITION), 7);
    v = fx_get(a, PR_ATTACH_DATA_BIN);
    assert_int_equal(v->Value.bin.cb, 11);
    assert_memory_equal(v->Value.bin.lpb, "file data 1", 11);
    MAPIFreeBuffer(v);
    IAttach_Release(a);
    assert_int_equal(IMessage_OpenAttach(m, 1, NULL, 0, &a), S_OK);
    assert_int_equal(get_long(a, PR_ATTACH_METHOD), ATTACH_EMBEDDED_MSG);
    LPMESSAGE inner = NULL;
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                          (LPUNKNOWN *)&inner), S_OK);
    assert_str(inner, PR_SUBJECT, "Inner subject");
    assert_str(inner, PR_BODY, "Inner body.");
    assert_int_equal(recipients(inner), 1);
    assert_int_equal(attachments(inner), 1);
    LPATTACH ia = NULL;
    assert_int_equal(IMessage_OpenAttach(inner, 0, NULL, 0, &ia), S_OK);
    assert_str(ia, PR_ATTACH_FILENAME, "inner.txt");
    IAttach_Release(ia);
    IMessage_Release(inner);
    IAttach_Release(a);
    IMessage_Release(m);
    IStream_Release(s);
    free(b.p);
}

static bool has_problem(LPSTnefProblemArray p, ULONG attribute, SCODE sc)
{
    for (ULONG i = 0; p != NULL && i < p->cProblem; i++) {
        if (p->aProblem[i].ulAttribute == attribute && p->aProblem[i].scode == sc)
            return true;
    }
    return false;
}

static void damaged_streams_keep_what_they_can(void **state)
{
    /* a checksum that does not match: the value is kept, the problem said */
    buf b = outer_stream(true);
    IStream *s = new_stream(b.p, b.n);
    LPMESSAGE m = fx_new_message(inbox);
    LPSTnefProblemArray problems = NULL;
    assert_int_equal(decode(s, m, TNEF_PROP_EXCLUDE, NULL, &problems), S_OK);
    assert_true(has_problem(problems, attSubject, MAPI_E_CORRUPT_DATA));
    MAPIFreeBuffer(problems);
    assert_str(m, PR_SUBJECT, "Cafe plans (MAPI)");
    IMessage_Release(m);
    IStream_Release(s);

    /* cut short in the middle of the attachments: what came before stays */
    s = new_stream(b.p, b.n - 40);
    m = fx_new_message(inbox);
    assert_int_equal(decode(s, m, TNEF_PROP_EXCLUDE, NULL, &problems), S_OK);
    assert_non_null(problems);
    MAPIFreeBuffer(problems);
    assert_str(m, PR_SUBJECT, "Cafe plans (MAPI)");
    assert_true(attachments(m) >= 1);
    IMessage_Release(m);
    IStream_Release(s);

    /* not TNEF at all */
    s = new_stream("Not a TNEF stream at all", 24);
    m = fx_new_message(inbox);
    assert_int_equal(decode(s, m, TNEF_PROP_EXCLUDE, NULL, &problems), MAPI_E_CORRUPT_DATA);
    IMessage_Release(m);
    IStream_Release(s);

    /* an attachment that says it is an embedded message and carries none
     * is read as a file, so that readers can open it (the fuzzer found a
     * MIME export failing on it) */
    buf e = { 0 };
    header(&e);
    BYTE rend[14] = { 1, 0, 0xFF, 0xFF, 0xFF, 0xFF };
    att(&e, 2, 0x00069002, rend, sizeof rend, false);
    att(&e, 2, 0x0006800F, "data", 4, false);
    buf ep = { 0 };
    u32(&ep, 1);
    u32(&ep, PR_ATTACH_METHOD);
    u32(&ep, ATTACH_EMBEDDED_MSG);
    att(&e, 2, 0x00069005, ep.p, ep.n, false);
    s = new_stream(e.p, e.n);
    m = fx_new_message(inbox);
    assert_int_equal(decode(s, m, TNEF_PROP_EXCLUDE, NULL, &problems), S_OK);
    assert_true(has_problem(problems, attAttachment, MAPI_E_CORRUPT_DATA));
    MAPIFreeBuffer(problems);
    assert_int_equal(attachments(m), 1);
    LPATTACH ea = NULL;
    assert_int_equal(IMessage_OpenAttach(m, 0, NULL, 0, &ea), S_OK);
    assert_int_equal(get_long(ea, PR_ATTACH_METHOD), ATTACH_BY_VALUE);
    IAttach_Release(ea);
    IMessage_Release(m);
    IStream_Release(s);
    free(e.p);
    free(ep.p);

    /* an attribute this reader does not know, and a list it cannot finish */
    buf u = { 0 };
    header(&u);
    att(&u, 1, 0x00067777, "??", 2, false);
    buf p = { 0 };
    u32(&p, 2);
    u32(&p, PR_SUBJECT_W);
    w_unicode(&p, "kept");
    u32(&p, PROP_TAG(0x0FFF, 0x6710)); /* a type nobody knows */
    u32(&p, 0);
    att(&u, 1, 0x00069003, p.p, p.n, false);
    free(p.p);
    s = new_stream(u.p, u.n);
    m = fx_new_message(inbox);
    assert_int_equal(decode(s, m, TNEF_PROP_EXCLUDE, NULL, &problems), S_OK);
    assert_true(has_problem(problems, 0x00067777, MAPI_E_NO_SUPPORT));
    assert_true(has_problem(problems, attMAPIProps, MAPI_E_UNEXPECTED_TYPE));
    MAPIFreeBuffer(problems);
    assert_str(m, PR_SUBJECT, "kept");
    IMessage_Release(m);
    IStream_Release(s);
    free(u.p);
    free(b.p);
}

/* ---- writing -------------------------------------------------------------------- */
#define BIG_BODY (300 * 1024)
#define BIG_DATA (1024 * 1024 + 7)

static void add_recipient(LPMESSAGE m, const char *name, const char *addr, LONG type)
{
    SPropValue rp[] = {
        { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = (LPSTR)name },
        { .ulPropTag = PR_EMAIL_ADDRESS_A, .Value.lpszA = (LPSTR)addr },
        { .ulPropTag = PR_ADDRTYPE_A, .Value.lpszA = "SMTP" },
        { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = type },
    };
    ADRLIST list = { .cEntries = 1, .aEntries = { { .cValues = 4, .rgPropVals = rp } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, &list), S_OK);
}

static void add_file(LPMESSAGE m, const char *name, const void *data, size_t n, LONG method)
{
    LPATTACH a = NULL;
    ULONG num = 0;
    assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
    SPropValue v[] = {
        { .ulPropTag = PR_ATTACH_METHOD, .Value.l = method },
        { .ulPropTag = PR_ATTACH_LONG_FILENAME_A, .Value.lpszA = (LPSTR)name },
        { .ulPropTag = PR_ATTACH_FILENAME_A, .Value.lpszA = (LPSTR)name },
        { .ulPropTag = PR_ATTACH_MIME_TAG_A, .Value.lpszA = "application/octet-stream" },
        { .ulPropTag = PR_RENDERING_POSITION, .Value.l = -1 },
    };
    assert_int_equal(IAttach_SetProps(a, 5, v, NULL), S_OK);
    if (data != NULL) {
        SPropValue d = { .ulPropTag = PR_ATTACH_DATA_BIN,
                         .Value.bin = { (ULONG)n, (LPBYTE)data } };
        assert_int_equal(IAttach_SetProps(a, 1, &d, NULL), S_OK);
    } else {
        fx_stream_write_pattern(a, PR_ATTACH_DATA_BIN, n, 7);
    }
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
}

/* A message of every kind of property, recipients, a large body and a large
 * attachment, an OLE attachment and an embedded message with its own. */
static LPMESSAGE rich_message_sized(size_t body_size, bool currency)
{
    LPMESSAGE m = fx_new_message(inbox);
    FILETIME ft = { 0x12345670, 0x01DA0000 }; /* whole seconds? no: checked below */
    GUID g = IID_IAttachment;
    LPSTR strs[] = { "one", "twö" };
    LONG longs[] = { 1, -2, 3 };
    SBinary bins[] = { { 2, (LPBYTE) "\x01\x02" }, { 0, NULL } };
    SPropValue v[] = {
        { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = "IPM.Note.Custom" },
        { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "Grüße ✓ from TNEF" },
        { .ulPropTag = PR_SENDER_NAME_A, .Value.lpszA = "Søren Sender" },
        { .ulPropTag = PR_SENDER_ADDRTYPE_A, .Value.lpszA = "SMTP" },
        { .ulPropTag = PR_SENDER_EMAIL_ADDRESS_A, .Value.lpszA = "soren@example.org" },
        { .ulPropTag = PR_CLIENT_SUBMIT_TIME, .Value.ft = ft },
        { .ulPropTag = PR_IMPORTANCE, .Value.l = 0 },
        { .ulPropTag = PR_SEARCH_KEY, .Value.bin = { 3, (LPBYTE) "\xAA\xBB\xCC" } },
        { .ulPropTag = PR_RTF_COMPRESSED, .Value.bin = { 5, (LPBYTE) "LZFu!" } },
        { .ulPropTag = PROP_TAG(PT_MV_STRING8, 0x6720), .Value.MVszA = { 2, strs } },
        { .ulPropTag = PROP_TAG(PT_MV_LONG, 0x6721), .Value.MVl = { 3, longs } },
        { .ulPropTag = PROP_TAG(PT_MV_BINARY, 0x6722), .Value.MVbin = { 2, bins } },
        { .ulPropTag = PROP_TAG(PT_CLSID, 0x6723), .Value.lpguid = &g },
        { .ulPropTag = PROP_TAG(PT_DOUBLE, 0x6724), .Value.dbl = 3.25 },
        { .ulPropTag = PROP_TAG(PT_BOOLEAN, 0x6725), .Value.b = 1 },
        { .ulPropTag = PROP_TAG(PT_SHORT, 0x6726), .Value.i = -7 },
        { .ulPropTag = PROP_TAG(PT_I8, 0x6727), .Value.li = { .QuadPart = -5 } },
        { .ulPropTag = PROP_TAG(PT_FLOAT, 0x6728), .Value.flt = 1.5f },
        { .ulPropTag = PROP_TAG(PT_CURRENCY, 0x6729), .Value.cur = { .int64 = 123456 } },
    };
    /* (ytnef reads PT_CURRENCY as 4 bytes, not [MS-OXTNEF]'s 8: left out for it) */
    assert_int_equal(IMessage_SetProps(m, sizeof v / sizeof *v - !currency, v, NULL), S_OK);
    SPropValue named[] = {
        { .ulPropTag = named_tag_flags(m, &PS_PUBLIC_STRINGS, MNID_STRING, 0, "x-rich",
                                       PT_STRING8, MAPI_CREATE),
          .Value.lpszA = "named ü" },
        { .ulPropTag = named_tag_flags(m, &PSETID_Common, MNID_ID, 0x8530, NULL, PT_LONG,
                                       MAPI_CREATE),
          .Value.l = 42 },
    };
    assert_int_equal(IMessage_SetProps(m, 2, named, NULL), S_OK);
    /* a large body (streamed both ways) */
    char *text = malloc(body_size + 1);
    for (size_t i = 0; i < body_size; i++)
        text[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
    text[body_size] = '\0';
    text[10] = '\xC3'; /* é, in UTF-8: one character for two bytes */
    text[11] = '\xA9';
    LPSTREAM bs = NULL;
    assert_int_equal(IMessage_OpenProperty(m, PR_BODY_A, &IID_IStream, 0,
                                           MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&bs), S_OK);
    ULONG w = 0;
    assert_int_equal(IStream_Write(bs, text, (ULONG)body_size, &w), S_OK);
    assert_int_equal(IStream_Commit(bs, 0), S_OK);
    IStream_Release(bs);
    free(text);
    add_recipient(m, "Tom To", "tom@example.org", MAPI_TO);
    add_recipient(m, "Cléa Cc", "clea@example.org", MAPI_CC);
    add_file(m, "small.bin", "\x00\x01\x02\x03", 4, ATTACH_BY_VALUE);
    add_file(m, "large.bin", NULL, BIG_DATA, ATTACH_BY_VALUE);
    add_file(m, "picture.ole", "OLE bytes", 9, ATTACH_OLE);
    /* an embedded message with an attachment of its own */
    LPATTACH a = NULL;
    ULONG num = 0;
    assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
    SPropValue am = { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_EMBEDDED_MSG };
    assert_int_equal(IAttach_SetProps(a, 1, &am, NULL), S_OK);
    LPMESSAGE emb = NULL;
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                          MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&emb), S_OK);
    SPropValue ev[] = { { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "Forwarded inside" },
                        { .ulPropTag = PR_BODY_A, .Value.lpszA = "inner text" } };
    assert_int_equal(IMessage_SetProps(emb, 2, ev, NULL), S_OK);
    add_recipient(emb, "Inner", "inner@example.org", MAPI_TO);
    add_file(emb, "deep.txt", "deep", 4, ATTACH_BY_VALUE);
    assert_int_equal(IMessage_SaveChanges(emb, 0), S_OK);
    IMessage_Release(emb);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    return m;
}

static LPMESSAGE rich_message(void)
{
    return rich_message_sized(BIG_BODY, true);
}

static const SizedSPropTagArray(9, STORE_OWN) = {
    9, { PR_ENTRYID, PR_RECORD_KEY, PR_INSTANCE_KEY, PR_PARENT_ENTRYID, PR_STORE_ENTRYID,
         PR_STORE_RECORD_KEY, PR_MESSAGE_SIZE, PR_STORE_SUPPORT_MASK, PR_OBJECT_TYPE }
};

static IStream *encode(LPMESSAGE m, ULONG flags)
{
    IStream *s = new_stream(NULL, 0);
    LPITNEF t = NULL;
    assert_int_equal(OpenTnefStream(NULL, s, (LPTSTR) "winmail.dat", TNEF_ENCODE | flags, m,
                                    0x1234, &t), S_OK);
    assert_int_equal(ITnef_AddProps(t, TNEF_PROP_EXCLUDE, 0, NULL, (LPSPropTagArray)&STORE_OWN),
                     S_OK);
    assert_int_equal(ITnef_EncodeRecips(t, 0, NULL), S_OK);
    WORD key = 0;
    LPSTnefProblemArray problems = NULL;
    assert_int_equal(ITnef_Finish(t, 0, &key, &problems), S_OK);
    assert_int_equal(key, 0x1234);
    MAPIFreeBuffer(problems);
    ITnef_Release(t);
    return s;
}

/* A stream's bytes, in a file of tmp named name. */
static const char *to_file(IStream *s, const char *name)
{
    static char path[700];
    snprintf(path, sizeof path, "%s/%s", fm_test_tmpdir(), name);
    size_t n = 0;
    BYTE *b = stream_bytes(s, &n);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(b, 1, n, f);
    fclose(f);
    free(b);
    return path;
}

static void check_rich(LPMESSAGE m, bool all_props)
{
    assert_str(m, PR_MESSAGE_CLASS, "IPM.Note.Custom");
    assert_str(m, PR_SUBJECT, "Grüße ✓ from TNEF");
    assert_str(m, PR_SENDER_NAME, "Søren Sender");
    assert_str(m, PR_SENDER_EMAIL_ADDRESS, "soren@example.org");
    LPSPropValue v = fx_get(m, PR_CLIENT_SUBMIT_TIME);
    assert_int_equal(v->Value.ft.dwLowDateTime, 0x12345670);
    assert_int_equal(v->Value.ft.dwHighDateTime, 0x01DA0000);
    MAPIFreeBuffer(v);
    assert_int_equal(get_long(m, PR_IMPORTANCE), 0);
    v = fx_get(m, PR_SEARCH_KEY);
    assert_int_equal(v->Value.bin.cb, 3);
    MAPIFreeBuffer(v);
    v = fx_get(m, PR_RTF_COMPRESSED);
    assert_memory_equal(v->Value.bin.lpb, "LZFu!", 5);
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_MV_STRING8, 0x6720));
    assert_int_equal(v->Value.MVszA.cValues, 2);
    assert_string_equal(v->Value.MVszA.lppszA[1], "twö");
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_MV_LONG, 0x6721));
    assert_int_equal(v->Value.MVl.lpl[1], -2);
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_MV_BINARY, 0x6722));
    assert_int_equal(v->Value.MVbin.cValues, 2);
    assert_int_equal(v->Value.MVbin.lpbin[0].cb, 2);
    assert_int_equal(v->Value.MVbin.lpbin[1].cb, 0);
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_CLSID, 0x6723));
    assert_memory_equal(v->Value.lpguid, &IID_IAttachment, sizeof(GUID));
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_DOUBLE, 0x6724));
    assert_true(v->Value.dbl == 3.25);
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_BOOLEAN, 0x6725));
    assert_true(v->Value.b);
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_SHORT, 0x6726));
    assert_int_equal(v->Value.i, -7);
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_I8, 0x6727));
    assert_true(v->Value.li.QuadPart == -5);
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_FLOAT, 0x6728));
    assert_true(v->Value.flt == 1.5f);
    MAPIFreeBuffer(v);
    v = fx_get(m, PROP_TAG(PT_CURRENCY, 0x6729));
    assert_true(v->Value.cur.int64 == 123456);
    MAPIFreeBuffer(v);
    /* the large body, through its stream */
    LPSTREAM bs = NULL;
    assert_int_equal(IMessage_OpenProperty(m, PR_BODY_W, &IID_IStream, 0, 0, (LPUNKNOWN *)&bs),
                     S_OK);
    STATSTG st;
    assert_int_equal(IStream_Stat(bs, &st, STATFLAG_NONAME), S_OK);
    assert_int_equal(st.cbSize.QuadPart, (BIG_BODY - 1) * 2); /* é is one unit of two bytes */
    WCHAR head[16];
    ULONG got = 0;
    assert_int_equal(IStream_Read(bs, head, sizeof head, &got), S_OK);
    assert_int_equal(head[0], 'a');
    assert_int_equal(head[10], 0xE9);
    assert_int_equal(head[11], 'a' + 12 % 26);
    IStream_Release(bs);
    assert_int_equal(recipients(m), 2);
    assert_int_equal(attachments(m), 4);
    LPATTACH a = NULL;
    assert_int_equal(IMessage_OpenAttach(m, 0, NULL, 0, &a), S_OK);
    assert_str(a, PR_ATTACH_LONG_FILENAME, "small.bin");
    v = fx_get(a, PR_ATTACH_DATA_BIN);
    assert_int_equal(v->Value.bin.cb, 4);
    MAPIFreeBuffer(v);
    IAttach_Release(a);
    assert_int_equal(IMessage_OpenAttach(m, 1, NULL, 0, &a), S_OK);
    assert_str(a, PR_ATTACH_FILENAME, "large.bin");
    fx_stream_check_pattern(a, PR_ATTACH_DATA_BIN, BIG_DATA, 7);
    IAttach_Release(a);
    assert_int_equal(IMessage_OpenAttach(m, 2, NULL, 0, &a), S_OK);
    assert_int_equal(get_long(a, PR_ATTACH_METHOD), ATTACH_OLE);
    v = fx_get(a, PR_ATTACH_DATA_BIN);
    assert_int_equal(v->Value.bin.cb, 9);
    assert_memory_equal(v->Value.bin.lpb, "OLE bytes", 9);
    MAPIFreeBuffer(v);
    IAttach_Release(a);
    assert_int_equal(IMessage_OpenAttach(m, 3, NULL, 0, &a), S_OK);
    assert_int_equal(get_long(a, PR_ATTACH_METHOD), ATTACH_EMBEDDED_MSG);
    LPMESSAGE emb = NULL;
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                          (LPUNKNOWN *)&emb), S_OK);
    assert_str(emb, PR_SUBJECT, "Forwarded inside");
    assert_str(emb, PR_BODY, "inner text");
    assert_int_equal(recipients(emb), 1);
    assert_int_equal(attachments(emb), 1);
    IMessage_Release(emb);
    IAttach_Release(a);
    if (all_props) {
        assert_str(m, named_tag(m, &PS_PUBLIC_STRINGS, MNID_STRING, 0, "x-rich", PT_UNICODE),
                   "named ü");
        assert_int_equal(get_long(m, named_tag(m, &PSETID_Common, MNID_ID, 0x8530, NULL,
                                               PT_LONG)), 42);
    }
}

static void messages_go_through_tnef_and_back_in_every_mode(void **state)
{
    LPMESSAGE m = rich_message();
    static const ULONG MODES[] = { 0, TNEF_BEST_DATA, TNEF_COMPATIBILITY, TNEF_PURE };
    for (size_t i = 0; i < sizeof MODES / sizeof *MODES; i++) {
        IStream *s = encode(m, MODES[i]);
        LARGE_INTEGER zero = { .QuadPart = 0 };
        assert_int_equal(IStream_Seek(s, zero, STREAM_SEEK_SET, NULL), S_OK);
        LPMESSAGE back = fx_new_message(inbox);
        LPSTnefProblemArray problems = NULL;
        assert_int_equal(decode(s, back, TNEF_PROP_EXCLUDE, NULL, &problems), S_OK);
        if (problems != NULL)
            fail_msg("mode 0x%lX: %u problems, the first attribute 0x%08X tag 0x%08X 0x%08X",
                     (unsigned long)MODES[i], problems->cProblem,
                     problems->aProblem[0].ulAttribute, problems->aProblem[0].ulPropTag,
                     (unsigned)problems->aProblem[0].scode);
        check_rich(back, true);
        assert_int_equal(IMessage_SaveChanges(back, 0), S_OK);
        IMessage_Release(back);
        IStream_Release(s);
    }
    IMessage_Release(m);
}

static bool have(const char *tool)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    static char out[65536];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int rc = pclose(p);
    if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
        fail_msg("%s: exit %d\n%s", cmd, WEXITSTATUS(rc), out);
    return out;
}

static void file_equals(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("%s was not written", path);
    char *b = malloc(n + 1);
    size_t got = fread(b, 1, n + 1, f);
    fclose(f);
    assert_int_equal(got, n);
    assert_memory_equal(b, data, n);
    free(b);
}

static void file_has_pattern(const char *path, size_t n, unsigned seed)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("%s was not written", path);
    size_t i = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if ((BYTE)c != fx_pattern_byte(i, seed))
            fail_msg("%s: byte %zu differs", path, i);
        i++;
    }
    fclose(f);
    assert_int_equal(i, n);
}

/* What we write, two independent readers read: tnef (which checks every
 * checksum) and ytnef. */
static void independent_readers_read_what_we_write(void **state)
{
    if (!have("tnef") || !have("ytnef"))
        fail_msg("tnef and ytnef are needed (scripts/setup.sh installs them)");
    /* (ytnef takes any value over 100,000 bytes but attachment data for a
     * corrupt stream: the body stays small here) */
    LPMESSAGE m = rich_message_sized(2000, false);
    IStream *s = encode(m, 0);
    const char *path = to_file(s, "rich.dat");
    char cmd[2000];
    snprintf(cmd, sizeof cmd, "tnef -t -f '%s' 2>&1", path);
    char *out = run(cmd);
    assert_non_null(strstr(out, "small.bin"));
    assert_non_null(strstr(out, "large.bin"));
    char dir[800];
    snprintf(dir, sizeof dir, "%s/tnef-out", fm_test_tmpdir());
    mkdir(dir, 0700);
    snprintf(cmd, sizeof cmd, "tnef --overwrite -C '%s' -f '%s' 2>&1", dir, path);
    run(cmd);
    char file[900];
    snprintf(file, sizeof file, "%s/small.bin", dir);
    file_equals(file, "\x00\x01\x02\x03", 4);
    snprintf(file, sizeof file, "%s/large.bin", dir);
    file_has_pattern(file, BIG_DATA, 7);

    snprintf(dir, sizeof dir, "%s/ytnef-out", fm_test_tmpdir());
    mkdir(dir, 0700);
    snprintf(cmd, sizeof cmd, "cd '%s' && ytnef -f . '%s' 2>&1", dir, path);
    run(cmd);
    snprintf(file, sizeof file, "%s/small.bin", dir);
    file_equals(file, "\x00\x01\x02\x03", 4);
    /* ytnefprint lists what ytnef read: the down-level attributes and
     * every attachment */
    snprintf(cmd, sizeof cmd, "ytnefprint '%s' 2>&1", path);
    out = run(cmd);
    assert_non_null(strstr(out, "Message Class: IPM.Note.Custom"));
    assert_non_null(strstr(out, "Message ID: AABBCC"));
    assert_non_null(strstr(out, "File saves as [large.bin]"));
    IStream_Release(s);
    IMessage_Release(m);
}

static void add_props_set_props_and_components_choose_what_goes_in(void **state)
{
    LPMESSAGE m = rich_message();
    /* only the subject */
    IStream *s = new_stream(NULL, 0);
    LPITNEF t = NULL;
    assert_int_equal(OpenTnefStream(NULL, s, NULL, TNEF_ENCODE, m, 1, &t), S_OK);
    SizedSPropTagArray(1, subject) = { 1, { PR_SUBJECT_W } };
    assert_int_equal(ITnef_AddProps(t, TNEF_PROP_INCLUDE, 0, NULL, (LPSPropTagArray)&subject),
                     S_OK);
    SPropValue other = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "Set for the stream" };
    assert_int_equal(ITnef_SetProps(t, 0, 0, 1, &other), S_OK);
    assert_int_equal(ITnef_Finish(t, 0, NULL, NULL), S_OK);
    assert_int_equal(ITnef_Finish(t, 0, NULL, NULL), S_OK); /* again: nothing more */
    assert_int_equal(ITnef_AddProps(t, TNEF_PROP_INCLUDE, 0, NULL, (LPSPropTagArray)&subject),
                     MAPI_E_CALL_FAILED);
    ITnef_Release(t);
    assert_str(m, PR_SUBJECT, "Grüße ✓ from TNEF"); /* the message is as it was */
    LPMESSAGE back = fx_new_message(inbox);
    assert_int_equal(decode(s, back, TNEF_PROP_EXCLUDE, NULL, NULL), S_OK);
    assert_str(back, PR_SUBJECT, "Set for the stream");
    LPSPropValue v = NULL;
    assert_int_equal(fx_try_get(back, PR_RTF_COMPRESSED, &v), MAPI_E_NOT_FOUND);
    assert_int_equal(attachments(back), 0);
    assert_int_equal(recipients(back), 0);
    IMessage_Release(back);
    IStream_Release(s);

    /* everything but the attachments */
    s = new_stream(NULL, 0);
    assert_int_equal(OpenTnefStream(NULL, s, NULL, TNEF_ENCODE, m, 1, &t), S_OK);
    SizedSPropTagArray(1, noatt) = { 1, { PR_MESSAGE_ATTACHMENTS } };
    assert_int_equal(ITnef_AddProps(t, TNEF_PROP_EXCLUDE, 0, NULL, (LPSPropTagArray)&noatt),
                     S_OK);
    assert_int_equal(ITnef_Finish(t, 0, NULL, NULL), S_OK);
    ITnef_Release(t);
    back = fx_new_message(inbox);
    assert_int_equal(decode(s, back, TNEF_PROP_EXCLUDE, NULL, NULL), S_OK);
    assert_int_equal(attachments(back), 0);
    assert_str(back, PR_SUBJECT, "Grüße ✓ from TNEF");
    IMessage_Release(back);
    IStream_Release(s);

    /* a component at a time: the same message back */
    s = new_stream(NULL, 0);
    assert_int_equal(OpenTnefStream(NULL, s, NULL, TNEF_ENCODE | TNEF_COMPONENT_ENCODING, m, 1,
                                    &t), S_OK);
    assert_int_equal(ITnef_EncodeRecips(t, 0, NULL), S_OK);
    assert_int_equal(ITnef_FinishComponent(t, TNEF_COMPONENT_MESSAGE, 0, NULL, NULL, NULL, NULL),
                     S_OK);
    for (ULONG i = 0; i < 4; i++)
        assert_int_equal(ITnef_FinishComponent(t, TNEF_COMPONENT_ATTACHMENT, i, NULL, NULL, NULL,
                                               NULL), S_OK);
    assert_int_equal(ITnef_Finish(t, 0, NULL, NULL), S_OK);
    ITnef_Release(t);
    back = fx_new_message(inbox);
    assert_int_equal(decode(s, back, TNEF_PROP_EXCLUDE, NULL, NULL), S_OK);
    check_rich(back, false);
    IMessage_Release(back);
    IStream_Release(s);

    /* ExtractProps with a list: the subject only, or all but the recipients */
    s = encode(m, 0);
    back = fx_new_message(inbox);
    assert_int_equal(decode(s, back, TNEF_PROP_INCLUDE, (LPSPropTagArray)&subject, NULL), S_OK);
    assert_str(back, PR_SUBJECT, "Grüße ✓ from TNEF");
    assert_int_equal(fx_try_get(back, PR_SENDER_NAME_A, &v), MAPI_E_NOT_FOUND);
    assert_int_equal(attachments(back), 0);
    IMessage_Release(back);
    LARGE_INTEGER zero = { .QuadPart = 0 };
    IStream_Seek(s, zero, STREAM_SEEK_SET, NULL);
    back = fx_new_message(inbox);
    SizedSPropTagArray(1, norecip) = { 1, { PR_MESSAGE_RECIPIENTS } };
    assert_int_equal(decode(s, back, TNEF_PROP_EXCLUDE, (LPSPropTagArray)&norecip, NULL), S_OK);
    assert_int_equal(recipients(back), 0);
    assert_int_equal(attachments(back), 4);
    IMessage_Release(back);
    IStream_Release(s);

    /* calls that do not fit the stream */
    s = new_stream(NULL, 0);
    assert_int_equal(OpenTnefStream(NULL, s, NULL, TNEF_DECODE, m, 1, &t), S_OK);
    assert_int_equal(ITnef_AddProps(t, TNEF_PROP_INCLUDE, 0, NULL, (LPSPropTagArray)&subject),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(ITnef_FinishComponent(t, TNEF_COMPONENT_MESSAGE, 0, NULL, NULL, NULL, NULL),
                     MAPI_E_NO_SUPPORT);
    ITnef_Release(t);
    assert_int_equal(OpenTnefStream(NULL, s, NULL, TNEF_ENCODE, m, 1, &t), S_OK);
    assert_int_equal(ITnef_ExtractProps(t, 0, NULL, NULL), MAPI_E_NO_SUPPORT);
    assert_int_equal(ITnef_AddProps(t, 0, 0, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ITnef_AddProps(t, 0x100, 0, NULL, NULL), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(ITnef_FinishComponent(t, TNEF_COMPONENT_MESSAGE, 0, NULL, NULL, NULL, NULL),
                     MAPI_E_NO_SUPPORT);
    ITnef_Release(t);
    assert_int_equal(OpenTnefStream(NULL, s, NULL, TNEF_ENCODE | TNEF_PURE | TNEF_BEST_DATA, m,
                                    1, &t), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(OpenTnefStream(NULL, NULL, NULL, TNEF_ENCODE, m, 1, &t),
                     MAPI_E_INVALID_PARAMETER);
    IStream_Release(s);
    IMessage_Release(m);
}

static void the_code_page_is_read_and_the_stream_left_in_place(void **state)
{
    buf b = outer_stream(false);
    IStream *s = new_stream(b.p, b.n);
    ULONG cp = 0, sub = 9;
    assert_int_equal(GetTnefStreamCodepage(s, &cp, &sub), S_OK);
    assert_int_equal(cp, 1252);
    assert_int_equal(sub, 0);
    ULARGE_INTEGER pos;
    LARGE_INTEGER zero = { .QuadPart = 0 };
    assert_int_equal(IStream_Seek(s, zero, STREAM_SEEK_CUR, &pos), S_OK);
    assert_int_equal(pos.QuadPart, 0);
    IStream_Release(s);
    free(b.p);
    buf n = { 0 };
    u32(&n, 0x223E9F78);
    u16(&n, 1);
    s = new_stream(n.p, n.n);
    assert_int_equal(GetTnefStreamCodepage(s, &cp, &sub), S_OK);
    assert_int_equal(cp, 437);
    IStream_Release(s);
    free(n.p);
    s = new_stream("nope", 4);
    assert_int_equal(GetTnefStreamCodepage(s, &cp, &sub), MAPI_E_CORRUPT_DATA);
    IStream_Release(s);
}

static void tagged_bodies_mark_where_attachments_are(void **state)
{
    LPMESSAGE m = fx_new_message(inbox);
    SPropValue v = { .ulPropTag = PR_BODY_A, .Value.lpszA = "Before after." };
    assert_int_equal(IMessage_SetProps(m, 1, &v, NULL), S_OK);
    add_file(m, "pic.png", "png", 3, ATTACH_BY_VALUE);
    LPATTACH a = NULL;
    assert_int_equal(IMessage_OpenAttach(m, 0, NULL, MAPI_MODIFY, &a), S_OK);
    SPropValue pos = { .ulPropTag = PR_RENDERING_POSITION, .Value.l = 7 };
    assert_int_equal(IAttach_SetProps(a, 1, &pos, NULL), S_OK);
    assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
    IAttach_Release(a);
    IStream *s = new_stream(NULL, 0);
    LPITNEF t = NULL;
    assert_int_equal(OpenTnefStream(NULL, s, (LPTSTR) "winmail.dat", TNEF_ENCODE, m, 5, &t),
                     S_OK);
    LPSTREAM body = NULL;
    assert_int_equal(ITnef_OpenTaggedBody(t, m, 0, &body), S_OK);
    char text[200] = "";
    ULONG got = 0;
    assert_int_equal(IStream_Read(body, text, sizeof text - 1, &got), S_OK);
    text[got] = '\0';
    assert_string_equal(text, "Before [[ pic.png : 5 in winmail.dat ]]after.");
    IStream_Release(body);
    /* written back: the tag goes, and says where the attachment is */
    assert_int_equal(ITnef_OpenTaggedBody(t, m, MAPI_CREATE, &body), S_OK);
    const char tagged[] = "New [[ pic.png : 5 in winmail.dat ]]text [[ not : a tag ]].";
    ULONG w = 0;
    assert_int_equal(IStream_Write(body, tagged, sizeof tagged - 1, &w), S_OK);
    assert_int_equal(IStream_Commit(body, 0), S_OK);
    IStream_Release(body);
    ITnef_Release(t);
    assert_str(m, PR_BODY, "New text [[ not : a tag ]].");
    assert_int_equal(IMessage_OpenAttach(m, 0, NULL, 0, &a), S_OK);
    assert_int_equal(get_long(a, PR_RENDERING_POSITION), 4);
    IAttach_Release(a);
    IStream_Release(s);
    IMessage_Release(m);
}

/* ---- memory -------------------------------------------------------------------------- */
static HRESULT decode_once(void *ctx)
{
    buf *b = ctx;
    IStream *s = NULL;
    LPMESSAGE holder = NULL;
    HRESULT hr = IMAPIFolder_CreateMessage(inbox, NULL, 0, &holder);
    if (hr == S_OK)
        hr = try_stream(holder, b->p, b->n, &s);
    if (hr != S_OK) {
        if (holder != NULL)
            IMessage_Release(holder);
        return hr;
    }
    LPMESSAGE m = NULL;
    hr = IMAPIFolder_CreateMessage(inbox, NULL, 0, &m);
    LPSTnefProblemArray problems = NULL;
    if (hr == S_OK)
        hr = decode(s, m, TNEF_PROP_EXCLUDE, NULL, &problems);
    MAPIFreeBuffer(problems);
    if (m != NULL)
        IMessage_Release(m);
    IStream_Release(s);
    IMessage_Release(holder);
    return hr;
}

static HRESULT encode_once(void *ctx)
{
    LPMESSAGE m = ctx;
    IStream *s = NULL;
    LPMESSAGE holder = NULL;
    HRESULT hr = IMAPIFolder_CreateMessage(inbox, NULL, 0, &holder);
    if (hr == S_OK)
        hr = try_stream(holder, NULL, 0, &s);
    if (hr != S_OK) {
        if (holder != NULL)
            IMessage_Release(holder);
        return hr;
    }
    LPITNEF t = NULL;
    hr = OpenTnefStream(NULL, s, NULL, TNEF_ENCODE, m, 1, &t);
    if (hr == S_OK)
        hr = ITnef_AddProps(t, TNEF_PROP_EXCLUDE, 0, NULL, (LPSPropTagArray)&STORE_OWN);
    if (hr == S_OK)
        hr = ITnef_EncodeRecips(t, 0, NULL);
    LPSTnefProblemArray problems = NULL;
    if (hr == S_OK)
        hr = ITnef_Finish(t, 0, NULL, &problems);
    MAPIFreeBuffer(problems);
    if (t != NULL)
        ITnef_Release(t);
    IStream_Release(s);
    IMessage_Release(holder);
    return hr;
}

static void nothing_leaks_and_every_allocation_failure_is_survived(void **state)
{
    buf b = outer_stream(false);
    LPMESSAGE small = fx_new_message(inbox);
    SPropValue v[] = { { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "small" },
                       { .ulPropTag = PR_BODY_A, .Value.lpszA = "text" } };
    assert_int_equal(IMessage_SetProps(small, 2, v, NULL), S_OK);
    add_recipient(small, "R", "r@example.org", MAPI_TO);
    add_file(small, "a.txt", "abc", 3, ATTACH_BY_VALUE);
    /* a first round fills the store's caches (named-property map) */
    assert_int_equal(decode_once(&b), S_OK);
    assert_int_equal(encode_once(small), S_OK);
    fm_test_baseline base;
    fm_test_baseline_take(&base);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(decode_once(&b), S_OK);
        assert_int_equal(encode_once(small), S_OK);
    }
    fm_test_assert_no_leak(&base);
    assert_true(fm_test_oom_sweep(decode_once, &b) >= 10);
    assert_true(fm_test_oom_sweep(encode_once, small) >= 10);
    IMessage_Release(small);
    free(b.p);
}

static int setup(void **state)
{
    mdb = fx_new_store("tnef");
    inbox = fx_inbox(mdb);
    scratch_msg = fx_new_message(inbox);
    return 0;
}

static int teardown(void **state)
{
    IMessage_Release(scratch_msg);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(mdb);
    return 0;
}

int main(void)
{
    fx_warm_up();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_stream_built_here_reads_into_the_message),
        cmocka_unit_test(damaged_streams_keep_what_they_can),
        cmocka_unit_test(messages_go_through_tnef_and_back_in_every_mode),
        cmocka_unit_test(independent_readers_read_what_we_write),
        cmocka_unit_test(add_props_set_props_and_components_choose_what_goes_in),
        cmocka_unit_test(the_code_page_is_read_and_the_stream_left_in_place),
        cmocka_unit_test(tagged_bodies_mark_where_attachments_are),
        cmocka_unit_test(nothing_leaks_and_every_allocation_failure_is_survived),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
