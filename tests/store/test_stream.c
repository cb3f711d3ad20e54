/*
 * tests/store/test_stream.c - stored streams as IStream (src/store/stream.c,
 * src/store/stream_chunks.c): every method and its errors, sizes around the
 * chunk boundaries, a seeded random sequence checked against an in-memory
 * model, Commit/Revert and visibility to other connections, Clone, CopyTo,
 * garbage left by a killed writer, leaks, out-of-memory and constant memory.
 *
 * Each test runs on a fresh store file; the leak baseline is taken before
 * the store is opened and checked after it is closed, so SQLite's own memory
 * is part of every check.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fm_test.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapix.h"
#include "store/stream.h"

#define CHUNK FM_STREAM_CHUNK
#define TAG_BODY PROP_TAG(PT_BINARY, 0x1234)
#define KIND FM_STREAM_OWNER_MESSAGE

#define STREAM_FIXTURE_PREFIX "stream"
#include "stream_fixture.h"

/* ---- a fake owner that records commits ----------------------------------- */

typedef struct fake_owner {
    int commits;
    ULONG tag;
    int64_t sid;
    uint64_t size;
    int refs;
    HRESULT fail;
} fake_owner;

static HRESULT owner_commit(void *ctx, ULONG tag, int64_t sid, uint64_t size)
{
    fake_owner *o = ctx;
    if (o->fail != S_OK)
        return o->fail;
    o->commits++;
    o->tag = tag;
    o->sid = sid;
    o->size = size;
    return S_OK;
}

static void owner_addref(void *ctx)
{
    ((fake_owner *)ctx)->refs++;
}

static void owner_release(void *ctx)
{
    ((fake_owner *)ctx)->refs--;
}

static fm_stream_owner owner_of(fake_owner *o)
{
    fm_stream_owner w = { o, owner_commit, owner_addref, owner_release };
    return w;
}

/* ---- helpers ----------------------------------------------------------------- */

static BYTE pattern(uint64_t i, unsigned seed)
{
    return (BYTE)(i * 131u + i / 7919u + seed);
}

static int64_t count(fm_db *d, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(fm_db_prepare(d, sql, &st), S_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    fm_db_finish(st);
    return n;
}

static IStream *open_writer(int64_t sid, unsigned mode, fake_owner *o)
{
    fm_stream_owner w = owner_of(o);
    IStream *s = NULL;
    assert_int_equal(fm_stream_open(db, sid, TAG_BODY, FM_STREAM_WRITE | mode, &w, &s), S_OK);
    return s;
}

static IStream *open_reader(fm_db *d, int64_t sid)
{
    IStream *s = NULL;
    assert_int_equal(fm_stream_open(d, sid, TAG_BODY, FM_STREAM_READ, NULL, &s), S_OK);
    return s;
}

static void write_pattern(IStream *s, uint64_t size, ULONG piece, unsigned seed)
{
    BYTE *buf = malloc(piece);
    assert_non_null(buf);
    for (uint64_t at = 0; at < size; at += piece) {
        ULONG n = size - at < piece ? (ULONG)(size - at) : piece, w = 0;
        for (ULONG i = 0; i < n; i++)
            buf[i] = pattern(at + i, seed);
        assert_int_equal(IStream_Write(s, buf, n, &w), S_OK);
        assert_int_equal(w, n);
    }
    free(buf);
}

static void check_pattern(IStream *s, uint64_t size, ULONG piece, unsigned seed)
{
    BYTE *buf = malloc(piece);
    assert_non_null(buf);
    uint64_t at = 0;
    for (;;) {
        ULONG got = 0;
        assert_int_equal(IStream_Read(s, buf, piece, &got), S_OK);
        if (got == 0)
            break;
        for (ULONG i = 0; i < got; i++)
            if (buf[i] != pattern(at + i, seed))
                fail_msg("byte %llu differs", (unsigned long long)(at + i));
        at += got;
    }
    assert_int_equal(at, size);
    free(buf);
}

static uint64_t stat_size(IStream *s)
{
    STATSTG st;
    assert_int_equal(IStream_Stat(s, &st, STATFLAG_NONAME), S_OK);
    return st.cbSize.QuadPart;
}

static void seek_to(IStream *s, int64_t pos, DWORD origin)
{
    LARGE_INTEGER li;
    li.QuadPart = pos;
    assert_int_equal(IStream_Seek(s, li, origin, NULL), S_OK);
}

/* A stream adopted by message 1 holding size bytes of pattern seed. */
static int64_t stored_stream(uint64_t size, unsigned seed)
{
    fake_owner o = { 0 };
    IStream *s = open_writer(0, FM_STREAM_CREATE, &o);
    write_pattern(s, size, 65536, seed);
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
    IStream_Release(s);
    assert_int_equal(fm_stream_adopt(db, o.sid, KIND, 1, TAG_BODY), S_OK);
    return o.sid;
}

/* ---- opening ------------------------------------------------------------------- */

static void opening_refuses_bad_arguments(void **state)
{
    fake_owner o = { 0 };
    fm_stream_owner w = owner_of(&o), no_commit = { &o, NULL, NULL, NULL };
    IStream *s = (IStream *)1;
    assert_int_equal(fm_stream_open(db, 0, TAG_BODY, FM_STREAM_READ, NULL, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_stream_open(NULL, 0, TAG_BODY, FM_STREAM_READ, NULL, &s),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_stream_open(db, 0, TAG_BODY, 0, NULL, &s), MAPI_E_INVALID_PARAMETER);
    assert_null(s);
    assert_int_equal(fm_stream_open(db, 0, TAG_BODY, 0x80, &w, &s), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_stream_open(db, 0, TAG_BODY, FM_STREAM_READ | FM_STREAM_CREATE, &w, &s),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_stream_open(db, 0, TAG_BODY, FM_STREAM_WRITE, NULL, &s),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_stream_open(db, 0, TAG_BODY, FM_STREAM_WRITE, &no_commit, &s),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_stream_open(db, -5, TAG_BODY, FM_STREAM_READ, NULL, &s),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_stream_open(db, 999, TAG_BODY, FM_STREAM_READ, NULL, &s),
                     MAPI_E_NOT_FOUND);
    assert_non_null(strstr(fmapi_last_error(), "999"));
    assert_int_equal(fm_stream_open(db, 999, TAG_BODY, FM_STREAM_WRITE, &w, &s),
                     MAPI_E_NOT_FOUND);
    assert_null(s);
    assert_int_equal(o.refs, 0);
    assert_int_equal(count(db, "SELECT count(*) FROM streams"), 0);
}

static void a_stream_with_no_stored_value_is_empty(void **state)
{
    IStream *s = open_reader(db, 0);
    BYTE buf[8];
    ULONG got = 99;
    assert_int_equal(IStream_Read(s, buf, sizeof buf, &got), S_OK);
    assert_int_equal(got, 0);
    assert_int_equal(stat_size(s), 0);
    assert_int_equal(IStream_Release(s), 0);
}

/* ---- sizes ----------------------------------------------------------------------- */

static void sizes_around_the_chunk_survive_write_commit_adopt_and_read(void **state)
{
    const uint64_t sizes[] = { 0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * 1024 * 1024 + 17 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        fake_owner o = { 0 };
        IStream *s = open_writer(0, 0, &o);
        write_pattern(s, sizes[k], 7919, (unsigned)k);
        assert_int_equal(stat_size(s), sizes[k]);
        assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
        assert_int_equal(o.commits, 1);
        assert_int_equal(o.size, sizes[k]);
        assert_int_equal(o.tag, TAG_BODY);
        /* the writer still reads what it wrote */
        seek_to(s, 0, STREAM_SEEK_SET);
        check_pattern(s, sizes[k], 4096, (unsigned)k);
        assert_int_equal(IStream_Release(s), 0);
        assert_int_equal(o.refs, 0);

        assert_int_equal(fm_stream_adopt(db, o.sid, KIND, 100 + (int64_t)k, TAG_BODY), S_OK);
        int64_t sid;
        uint64_t size;
        assert_int_equal(fm_stream_find(db, KIND, 100 + (int64_t)k, TAG_BODY, &sid, &size), S_OK);
        assert_int_equal(sid, o.sid);
        assert_int_equal(size, sizes[k]);
        IStream *r = open_reader(db, sid);
        check_pattern(r, sizes[k], 100003, (unsigned)k);
        IStream_Release(r);

        BYTE *all;
        ULONG cb;
        assert_int_equal(fm_stream_read_all(db, sid, sizes[k], NULL, &all, &cb), S_OK);
        assert_int_equal(cb, sizes[k]);
        for (ULONG i = 0; i < cb; i++)
            if (all[i] != pattern(i, (unsigned)k))
                fail_msg("read_all byte %lu differs", (unsigned long)i);
        MAPIFreeBuffer(all);
    }
    assert_int_equal(count(db, "SELECT count(*) FROM streams WHERE owner_kind IS NULL"), 0);
}

/* ---- random access against a model ---------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t next_rand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

#define MODEL_CAP (5 * CHUNK + 777)

typedef struct model {
    BYTE *bytes;
    uint64_t size;
} model;

static void model_write(model *m, uint64_t pos, const BYTE *data, ULONG n)
{
    if (pos > m->size)
        memset(m->bytes + m->size, 0, pos - m->size);
    memcpy(m->bytes + pos, data, n);
    if (pos + n > m->size)
        m->size = pos + n;
}

static void model_set_size(model *m, uint64_t size)
{
    if (size > m->size)
        memset(m->bytes + m->size, 0, size - m->size);
    m->size = size;
}

static void random_operations_match_an_in_memory_model(void **state)
{
    fake_owner o = { 0 };
    model m = { calloc(1, MODEL_CAP), 0 }, committed = { calloc(1, MODEL_CAP), 0 };
    BYTE *buf = malloc(MODEL_CAP), *got_buf = malloc(MODEL_CAP);
    assert_true(m.bytes && committed.bytes && buf && got_buf);
    IStream *s = open_writer(0, FM_STREAM_CREATE, &o);
    uint64_t pos = 0;
    for (int step = 0; step < 2500; step++) {
        unsigned op = (unsigned)(next_rand() % 100);
        if (op < 35) { /* Write */
            ULONG n = (ULONG)(next_rand() % (next_rand() % 4 == 0 ? 2 * CHUNK + 5 : 300));
            if (pos + n > MODEL_CAP)
                continue;
            for (ULONG i = 0; i < n; i++)
                buf[i] = (BYTE)next_rand();
            ULONG w;
            assert_int_equal(IStream_Write(s, buf, n, &w), S_OK);
            assert_int_equal(w, n);
            model_write(&m, pos, buf, n);
            pos += n;
        } else if (op < 55) { /* Seek */
            LARGE_INTEGER li;
            ULARGE_INTEGER np;
            DWORD origin = (DWORD)(next_rand() % 3);
            int64_t target = (int64_t)(next_rand() % (MODEL_CAP - 2 * CHUNK));
            li.QuadPart = origin == STREAM_SEEK_SET ? target
                          : origin == STREAM_SEEK_CUR ? target - (int64_t)pos
                                                      : target - (int64_t)m.size;
            assert_int_equal(IStream_Seek(s, li, origin, &np), S_OK);
            assert_int_equal(np.QuadPart, (uint64_t)target);
            pos = (uint64_t)target;
        } else if (op < 63) { /* SetSize */
            ULARGE_INTEGER ns;
            ns.QuadPart = next_rand() % MODEL_CAP;
            assert_int_equal(IStream_SetSize(s, ns), S_OK);
            model_set_size(&m, ns.QuadPart);
        } else if (op < 93) { /* Read */
            ULONG n = (ULONG)(next_rand() % (next_rand() % 4 == 0 ? 2 * CHUNK : 500)), got;
            assert_int_equal(IStream_Read(s, got_buf, n, &got), S_OK);
            uint64_t expect = pos >= m.size ? 0 : (m.size - pos < n ? m.size - pos : n);
            assert_int_equal(got, expect);
            assert_memory_equal(got_buf, m.bytes + pos, got);
            pos += got;
        } else if (op < 97) { /* Commit */
            assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
            memcpy(committed.bytes, m.bytes, m.size);
            committed.size = m.size;
            assert_int_equal(o.size, m.size);
        } else { /* Revert */
            assert_int_equal(IStream_Revert(s), S_OK);
            memcpy(m.bytes, committed.bytes, committed.size);
            m.size = committed.size;
        }
        assert_int_equal(stat_size(s), m.size);
    }
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
    BYTE *all;
    ULONG cb;
    assert_int_equal(fm_stream_read_all(db, o.sid, MODEL_CAP, NULL, &all, &cb), S_OK);
    assert_int_equal(cb, m.size);
    assert_memory_equal(all, m.bytes, cb);
    MAPIFreeBuffer(all);
    IStream_Release(s);
    free(m.bytes);
    free(committed.bytes);
    free(buf);
    free(got_buf);
}

/* ---- Commit, Revert, visibility -------------------------------------------------------- */

static void commit_hands_over_the_scratch_and_later_writes_go_to_a_new_one(void **state)
{
    fake_owner o = { 0 };
    IStream *s = open_writer(0, 0, &o);
    assert_int_equal(o.refs, 1);
    assert_int_equal(IStream_Write(s, "abc", 3, NULL), S_OK);
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
    int64_t first = o.sid;
    assert_int_equal(o.size, 3);
    /* nothing new: a second Commit hands over nothing */
    assert_int_equal(IStream_Commit(s, STGC_OVERWRITE), S_OK);
    assert_int_equal(o.commits, 1);
    assert_int_equal(IStream_Write(s, "de", 2, NULL), S_OK);
    assert_int_equal(IStream_Commit(s, STGC_ONLYIFCURRENT), S_OK);
    assert_int_equal(o.commits, 2);
    assert_true(o.sid != first);
    assert_int_equal(o.size, 5);
    BYTE *all;
    ULONG cb;
    assert_int_equal(fm_stream_read_all(db, first, 100, NULL, &all, &cb), S_OK);
    assert_int_equal(cb, 3);
    assert_memory_equal(all, "abc", 3);
    MAPIFreeBuffer(all);
    assert_int_equal(fm_stream_read_all(db, o.sid, 100, NULL, &all, &cb), S_OK);
    assert_memory_equal(all, "abcde", 5);
    MAPIFreeBuffer(all);
    IStream_Release(s);
    assert_int_equal(o.refs, 0);
    /* the committed scratches belong to the owner now: Release kept them */
    assert_int_equal(count(db, "SELECT count(*) FROM streams"), 2);
    assert_int_equal(fm_stream_delete(db, first), S_OK);
    assert_int_equal(fm_stream_delete(db, o.sid), S_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM stream_chunks"), 0);
}

static void a_failing_owner_commit_keeps_the_writes(void **state)
{
    fake_owner o = { 0 };
    IStream *s = open_writer(0, 0, &o);
    assert_int_equal(IStream_Write(s, "xyz", 3, NULL), S_OK);
    o.fail = MAPI_E_NOT_ENOUGH_DISK;
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), STG_E_MEDIUMFULL);
    o.fail = S_OK;
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
    assert_int_equal(o.size, 3);
    assert_int_equal(IStream_Commit(s, 0x100), STG_E_INVALIDFLAG);
    IStream_Release(s);
}

static void revert_restores_the_original_then_the_committed_content(void **state)
{
    int64_t sid = stored_stream(CHUNK + 10, 3);
    fake_owner o = { 0 };
    IStream *s = open_writer(sid, 0, &o);
    assert_int_equal(stat_size(s), CHUNK + 10);
    seek_to(s, CHUNK + 5, STREAM_SEEK_SET);
    assert_int_equal(IStream_Write(s, "ZZZZZZZZZZ", 10, NULL), S_OK);
    assert_int_equal(stat_size(s), CHUNK + 15);
    assert_int_equal(IStream_Revert(s), S_OK);
    assert_int_equal(stat_size(s), CHUNK + 10);
    seek_to(s, 0, STREAM_SEEK_SET);
    check_pattern(s, CHUNK + 10, 5000, 3);

    ULARGE_INTEGER ns;
    ns.QuadPart = 10;
    assert_int_equal(IStream_SetSize(s, ns), S_OK);
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
    seek_to(s, 0, STREAM_SEEK_END);
    assert_int_equal(IStream_Write(s, "more", 4, NULL), S_OK);
    assert_int_equal(IStream_Revert(s), S_OK);
    assert_int_equal(stat_size(s), 10);
    seek_to(s, 0, STREAM_SEEK_SET);
    check_pattern(s, 10, 3, 3);
    IStream_Release(s);
    /* the stored value was never touched */
    IStream *r = open_reader(db, sid);
    check_pattern(r, CHUNK + 10, 65536, 3);
    IStream_Release(r);
    assert_int_equal(fm_stream_delete(db, o.sid), S_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM streams WHERE owner_kind IS NULL"), 0);
}

static void create_mode_starts_empty_whatever_the_stored_value(void **state)
{
    int64_t sid = stored_stream(1000, 1);
    fake_owner o = { 0 };
    IStream *s = open_writer(sid, FM_STREAM_CREATE, &o);
    assert_int_equal(stat_size(s), 0);
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
    assert_int_equal(o.size, 0);
    assert_true(o.sid != sid);
    IStream_Release(s);
    assert_int_equal(fm_stream_delete(db, o.sid), S_OK);
}

static void uncommitted_writes_are_invisible_to_another_connection(void **state)
{
    int64_t sid = stored_stream(CHUNK * 2, 5);
    fm_db *other;
    assert_int_equal(fm_db_open(store_path(store_number), 0, &FM_STORE_SCHEMA, &other), S_OK);
    fake_owner o = { 0 };
    IStream *s = open_writer(sid, 0, &o);
    assert_int_equal(IStream_SetSize(s, (ULARGE_INTEGER){ .QuadPart = 7 }), S_OK);
    write_pattern(s, 3 * CHUNK, 65536, 9);
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
    IStream_Release(s);

    int64_t found;
    uint64_t size;
    assert_int_equal(fm_stream_find(other, KIND, 1, TAG_BODY, &found, &size), S_OK);
    assert_int_equal(found, sid);
    assert_int_equal(size, 2 * CHUNK);
    IStream *r = open_reader(other, sid);
    check_pattern(r, 2 * CHUNK, 65536, 5);
    IStream_Release(r);

    /* once the owner saves (adopts), the other connection sees the new value */
    assert_int_equal(fm_stream_adopt(db, o.sid, KIND, 1, TAG_BODY), S_OK);
    assert_int_equal(fm_stream_find(other, KIND, 1, TAG_BODY, &found, &size), S_OK);
    assert_int_equal(found, o.sid);
    assert_int_equal(size, 3 * CHUNK);
    r = open_reader(other, found);
    check_pattern(r, 3 * CHUNK, 65536, 9);
    IStream_Release(r);
    assert_int_equal(fm_stream_open(other, sid, TAG_BODY, FM_STREAM_READ, NULL, &r),
                     MAPI_E_NOT_FOUND);
    fm_db_close(other);
}

/* ---- the other methods --------------------------------------------------------------- */

static void clones_have_their_own_seek_pointer_over_the_same_data(void **state)
{
    fake_owner o = { 0 };
    IStream *s = open_writer(0, 0, &o), *c = NULL;
    write_pattern(s, CHUNK + 100, 1000, 4);
    assert_int_equal(IStream_Clone(s, &c), S_OK);
    assert_int_equal(IStream_Clone(s, NULL), STG_E_INVALIDPOINTER);
    ULARGE_INTEGER p;
    LARGE_INTEGER zero = { .QuadPart = 0 };
    assert_int_equal(IStream_Seek(c, zero, STREAM_SEEK_CUR, &p), S_OK);
    assert_int_equal(p.QuadPart, CHUNK + 100); /* starts where the original was */
    seek_to(c, 0, STREAM_SEEK_SET);
    assert_int_equal(IStream_Seek(s, zero, STREAM_SEEK_CUR, &p), S_OK);
    assert_int_equal(p.QuadPart, CHUNK + 100);
    /* a write through one is seen by the other */
    assert_int_equal(IStream_Write(s, "tail", 4, NULL), S_OK);
    assert_int_equal(stat_size(c), CHUNK + 104);
    seek_to(c, CHUNK + 100, STREAM_SEEK_SET);
    char got[4];
    ULONG n;
    assert_int_equal(IStream_Read(c, got, 4, &n), S_OK);
    assert_memory_equal(got, "tail", 4);
    /* the clone outlives the original */
    assert_int_equal(IStream_Release(s), 0);
    assert_int_equal(o.refs, 1);
    seek_to(c, 0, STREAM_SEEK_SET);
    BYTE b;
    assert_int_equal(IStream_Read(c, &b, 1, &n), S_OK);
    assert_int_equal(b, pattern(0, 4));
    assert_int_equal(IStream_Release(c), 0);
    assert_int_equal(o.refs, 0);
    assert_int_equal(count(db, "SELECT count(*) FROM streams"), 0);
}

static void copy_to_moves_chunks_and_reports_the_counts(void **state)
{
    int64_t sid = stored_stream(3 * CHUNK + 11, 6);
    IStream *src = open_reader(db, sid);
    fake_owner o = { 0 };
    IStream *dst = open_writer(0, 0, &o);
    ULARGE_INTEGER cb, rd, wr;
    cb.QuadPart = CHUNK + 1;
    assert_int_equal(IStream_CopyTo(src, dst, cb, &rd, &wr), S_OK);
    assert_int_equal(rd.QuadPart, CHUNK + 1);
    assert_int_equal(wr.QuadPart, CHUNK + 1);
    cb.QuadPart = UINT64_MAX;
    assert_int_equal(IStream_CopyTo(src, dst, cb, &rd, NULL), S_OK);
    assert_int_equal(rd.QuadPart, 2 * CHUNK + 10);
    seek_to(dst, 0, STREAM_SEEK_SET);
    check_pattern(dst, 3 * CHUNK + 11, 65536, 6);

    assert_int_equal(IStream_CopyTo(src, NULL, cb, &rd, &wr), STG_E_INVALIDPOINTER);
    /* into a read-only stream: refused, nothing written */
    IStream *ro = open_reader(db, sid);
    seek_to(src, 0, STREAM_SEEK_SET);
    assert_int_equal(IStream_CopyTo(src, ro, cb, &rd, &wr), STG_E_ACCESSDENIED);
    assert_int_equal(wr.QuadPart, 0);
    IStream_Release(ro);
    IStream_Release(src);
    IStream_Release(dst);
}

static void read_only_streams_refuse_changes(void **state)
{
    int64_t sid = stored_stream(500, 8);
    IStream *s = open_reader(db, sid);
    ULONG n = 99;
    assert_int_equal(IStream_Write(s, "x", 1, &n), STG_E_ACCESSDENIED);
    assert_int_equal(n, 0);
    assert_int_equal(IStream_SetSize(s, (ULARGE_INTEGER){ .QuadPart = 1 }), STG_E_ACCESSDENIED);
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), STG_E_ACCESSDENIED);
    assert_non_null(strstr(fmapi_last_error(), "read-only"));
    assert_int_equal(IStream_Revert(s), S_OK);
    STATSTG st;
    assert_int_equal(IStream_Stat(s, &st, STATFLAG_DEFAULT), S_OK);
    assert_int_equal(st.grfMode, STGM_READ);
    check_pattern(s, 500, 64, 8);
    IStream_Release(s);
    assert_int_equal(count(db, "SELECT count(*) FROM streams"), 1);
}

static void methods_check_their_arguments(void **state)
{
    fake_owner o = { 0 };
    IStream *s = open_writer(0, 0, &o);
    ULONG n = 7;
    assert_int_equal(IStream_Read(s, NULL, 1, &n), STG_E_INVALIDPOINTER);
    assert_int_equal(n, 0);
    assert_int_equal(IStream_Write(s, NULL, 1, NULL), STG_E_INVALIDPOINTER);
    LARGE_INTEGER li = { .QuadPart = 0 };
    ULARGE_INTEGER p;
    assert_int_equal(IStream_Seek(s, li, 3, &p), STG_E_INVALIDFUNCTION);
    li.QuadPart = -1;
    assert_int_equal(IStream_Seek(s, li, STREAM_SEEK_SET, &p), STG_E_INVALIDFUNCTION);
    assert_int_equal(IStream_Seek(s, li, STREAM_SEEK_END, &p), STG_E_INVALIDFUNCTION);
    li.QuadPart = INT64_MAX;
    assert_int_equal(IStream_Seek(s, li, STREAM_SEEK_SET, &p), S_OK);
    li.QuadPart = 1;
    assert_int_equal(IStream_Seek(s, li, STREAM_SEEK_CUR, &p), STG_E_INVALIDFUNCTION);
    assert_int_equal(IStream_Write(s, "x", 1, NULL), STG_E_MEDIUMFULL);
    assert_int_equal(IStream_SetSize(s, (ULARGE_INTEGER){ .QuadPart = UINT64_MAX }),
                     STG_E_MEDIUMFULL);
    assert_int_equal(IStream_Stat(s, NULL, STATFLAG_NONAME), STG_E_INVALIDPOINTER);
    STATSTG st;
    assert_int_equal(IStream_Stat(s, &st, 0x40), STG_E_INVALIDFLAG);
    ULARGE_INTEGER off = { .QuadPart = 0 }, len = { .QuadPart = 10 };
    assert_int_equal(IStream_LockRegion(s, off, len, LOCK_WRITE), STG_E_INVALIDFUNCTION);
    assert_int_equal(IStream_UnlockRegion(s, off, len, LOCK_WRITE), STG_E_INVALIDFUNCTION);
    assert_true(strlen(fmapi_last_error()) > 0);
    IStream_Release(s);
}

static void stat_describes_the_stream_without_a_name(void **state)
{
    fake_owner o = { 0 };
    IStream *s = open_writer(0, 0, &o);
    write_pattern(s, CHUNK + 3, 4096, 1);
    STATSTG st;
    memset(&st, 0xAB, sizeof st);
    assert_int_equal(IStream_Stat(s, &st, STATFLAG_NONAME), S_OK);
    assert_null(st.pwcsName);
    assert_int_equal(st.type, STGTY_STREAM);
    assert_int_equal(st.cbSize.QuadPart, CHUNK + 3);
    assert_int_equal(st.grfMode, STGM_READWRITE);
    assert_int_equal(st.grfLocksSupported, 0);
    assert_int_equal(IStream_Stat(s, &st, STATFLAG_DEFAULT), S_OK);
    assert_null(st.pwcsName); /* property streams have no name to give */
    IStream_Release(s);
}

static void query_interface_gives_the_stream_interfaces_only(void **state)
{
    IStream *s = open_reader(db, 0);
    void *p = NULL;
    assert_int_equal(IStream_QueryInterface(s, &IID_IUnknown, &p), S_OK);
    assert_ptr_equal(p, s);
    assert_int_equal(IStream_QueryInterface(s, &IID_ISequentialStream, &p), S_OK);
    assert_ptr_equal(p, s);
    assert_int_equal(IStream_QueryInterface(s, &IID_IStream, &p), S_OK);
    assert_int_equal(IStream_QueryInterface(s, &IID_IMAPIProp, &p), E_NOINTERFACE);
    assert_null(p);
    assert_int_equal(IStream_QueryInterface(s, &IID_IStream, NULL), E_POINTER);
    assert_int_equal(IStream_AddRef(s), 5);
    for (ULONG left = 4; left > 0; left--)
        assert_int_equal(IStream_Release(s), left);
    assert_int_equal(IStream_Release(s), 0);
}

static void set_size_grows_with_zeros_and_shrinks(void **state)
{
    fake_owner o = { 0 };
    IStream *s = open_writer(0, 0, &o);
    write_pattern(s, 3 * CHUNK, 65536, 2);
    ULARGE_INTEGER ns = { .QuadPart = CHUNK + 5 };
    assert_int_equal(IStream_SetSize(s, ns), S_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM stream_chunks"), 2);
    ns.QuadPart = 4 * CHUNK;
    assert_int_equal(IStream_SetSize(s, ns), S_OK);
    seek_to(s, 0, STREAM_SEEK_SET);
    BYTE *buf = malloc(4 * CHUNK);
    ULONG got;
    assert_int_equal(IStream_Read(s, buf, 4 * CHUNK, &got), S_OK);
    assert_int_equal(got, 4 * CHUNK);
    for (ULONG i = 0; i < got; i++)
        if (buf[i] != (i < CHUNK + 5 ? pattern(i, 2) : 0))
            fail_msg("byte %lu wrong after SetSize", (unsigned long)i);
    /* writing past the end leaves zeros in between */
    seek_to(s, 6 * CHUNK + 3, STREAM_SEEK_SET);
    assert_int_equal(IStream_Write(s, "end", 3, NULL), S_OK);
    seek_to(s, 5 * CHUNK, STREAM_SEEK_SET);
    assert_int_equal(IStream_Read(s, buf, 2 * CHUNK, &got), S_OK);
    assert_int_equal(got, CHUNK + 6);
    for (ULONG i = 0; i < CHUNK + 3; i++)
        assert_int_equal(buf[i], 0);
    assert_memory_equal(buf + CHUNK + 3, "end", 3);
    ns.QuadPart = 0;
    assert_int_equal(IStream_SetSize(s, ns), S_OK);
    assert_int_equal(stat_size(s), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM stream_chunks"), 0);
    free(buf);
    IStream_Release(s);
}

/* ---- the whole-stream functions ------------------------------------------------------ */

static void adopt_replaces_the_property_and_find_ignores_the_type(void **state)
{
    int64_t first = stored_stream(10, 1);
    int64_t second = stored_stream(20, 2); /* adopts over the first */
    int64_t sid;
    uint64_t size;
    assert_int_equal(fm_stream_find(db, KIND, 1, PROP_TAG(PT_UNICODE, 0x1234), &sid, &size),
                     S_OK);
    assert_int_equal(sid, second);
    assert_int_equal(size, 20);
    assert_int_equal(fm_stream_open(db, first, TAG_BODY, FM_STREAM_READ, NULL, &(IStream *){ 0 }),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(fm_stream_find(db, KIND, 2, TAG_BODY, &sid, &size), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_stream_find(db, KIND, 1, PROP_TAG(PT_BINARY, 0x1235), &sid, &size),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(fm_stream_find(db, KIND, 1, TAG_BODY, NULL, &size),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_stream_adopt(db, 4242, KIND, 1, TAG_BODY), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_stream_adopt(db, 0, KIND, 1, TAG_BODY), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(count(db, "SELECT count(*) FROM streams"), 1);
}

static void copy_and_delete_owned_work_inside_a_transaction(void **state)
{
    int64_t sid = stored_stream(2 * CHUNK + 1, 4);
    int64_t copy;
    assert_int_equal(fm_stream_copy(db, 777, FM_STREAM_OWNER_ATTACHMENT, 9, TAG_BODY, &copy),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(fm_db_begin(db), S_OK);
    assert_int_equal(fm_stream_copy(db, sid, FM_STREAM_OWNER_ATTACHMENT, 9, TAG_BODY, &copy),
                     S_OK);
    assert_int_equal(fm_db_commit(db), S_OK);
    IStream *r = open_reader(db, copy);
    check_pattern(r, 2 * CHUNK + 1, 65536, 4);
    IStream_Release(r);
    assert_int_equal(fm_stream_delete_owned(db, FM_STREAM_OWNER_ATTACHMENT, 9), S_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM streams"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM stream_chunks"), 3);
    assert_int_equal(fm_stream_delete(db, sid), S_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM stream_chunks"), 0);
    assert_int_equal(fm_stream_delete(NULL, sid), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_stream_delete_owned(NULL, 1, 1), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fm_stream_copy(db, sid, 1, 1, TAG_BODY, NULL), MAPI_E_INVALID_PARAMETER);
}

static void read_all_refuses_streams_larger_than_the_limit(void **state)
{
    int64_t sid = stored_stream(1000, 3);
    BYTE *data = (BYTE *)1;
    ULONG cb = 5;
    assert_int_equal(fm_stream_read_all(db, sid, 999, NULL, &data, &cb), MAPI_E_NOT_ENOUGH_MEMORY);
    assert_null(data);
    assert_int_equal(cb, 0);
    assert_int_equal(fm_stream_read_all(db, 31337, 999, NULL, &data, &cb), MAPI_E_NOT_FOUND);
    assert_int_equal(fm_stream_read_all(db, sid, 999, NULL, NULL, &cb), MAPI_E_INVALID_PARAMETER);
    void *parent;
    assert_int_equal(MAPIAllocateBuffer(16, &parent), S_OK);
    assert_int_equal(fm_stream_read_all(db, sid, 1000, parent, &data, &cb), S_OK);
    assert_int_equal(cb, 1000);
    assert_int_equal(data[999], pattern(999, 3));
    MAPIFreeBuffer(parent); /* frees data with it */
}

/* ---- crashes, garbage ------------------------------------------------------------------ */

static void a_killed_writers_scratch_is_collected_and_a_live_one_kept(void **state)
{
    fake_owner o = { 0 };
    IStream *live = open_writer(0, 0, &o);
    write_pattern(live, 2 * CHUNK + 9, 65536, 1);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        fm_db *mine;
        if (fm_db_open(store_path(store_number), 0, &FM_STORE_SCHEMA, &mine) != S_OK)
            fm_test_child_exit(2);
        fm_stream_owner w = owner_of(&o);
        IStream *s;
        if (fm_stream_open(mine, 0, TAG_BODY, FM_STREAM_WRITE, &w, &s) != S_OK)
            fm_test_child_exit(3);
        BYTE buf[4096] = { 1 };
        for (int i = 0; i < 200; i++)
            if (IStream_Write(s, buf, sizeof buf, NULL) != S_OK)
                fm_test_child_exit(4);
        kill(getpid(), SIGKILL);
        fm_test_child_exit(5);
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_int_equal(count(db, "SELECT count(*) FROM streams WHERE owner_kind IS NULL"), 2);
    assert_true(count(db, "SELECT count(*) FROM stream_chunks") >= 6 + 2);
    /* chunks whose stream row is gone are orphans too */
    assert_int_equal(fm_db_exec(db, "INSERT INTO stream_chunks VALUES (9999, 0, x'00')"), S_OK);

    assert_int_equal(fm_stream_collect_garbage(db), S_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM streams WHERE owner_kind IS NULL"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM stream_chunks WHERE sid NOT IN"
                               " (SELECT sid FROM streams)"),
                     0);
    /* the live writer's work survived */
    seek_to(live, 0, STREAM_SEEK_SET);
    check_pattern(live, 2 * CHUNK + 9, 65536, 1);
    IStream_Release(live);
    assert_int_equal(fm_stream_collect_garbage(db), S_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM streams"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM stream_chunks"), 0);
    assert_int_equal(fm_stream_collect_garbage(NULL), MAPI_E_INVALID_PARAMETER);
}

static void a_full_disk_is_medium_full(void **state)
{
    /* SQLite reports a database that reached max_page_count exactly as a
     * full disk (SQLITE_FULL), which the store maps to NOT_ENOUGH_DISK. */
    int64_t pages = count(db, "PRAGMA page_count");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages + 64);
    sqlite3_stmt *st;
    assert_int_equal(fm_db_prepare(db, sql, &st), S_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    fm_db_finish(st);
    fake_owner o = { 0 };
    IStream *s = open_writer(0, 0, &o);
    BYTE buf[65536] = { 0 };
    HRESULT hr = S_OK;
    for (int i = 0; i < 200 && hr == S_OK; i++)
        hr = IStream_Write(s, buf, sizeof buf, NULL);
    assert_int_equal(hr, STG_E_MEDIUMFULL);
    assert_non_null(strstr(fmapi_last_error(), "full"));
    ULARGE_INTEGER ns = { .QuadPart = 1 };
    assert_int_equal(IStream_SetSize(s, ns), STG_E_MEDIUMFULL);
    /* space again: the pending chunk goes out and Commit works */
    assert_int_equal(fm_db_prepare(db, "PRAGMA max_page_count = 1000000000", &st), S_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    fm_db_finish(st);
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
    IStream_Release(s);
}

/* ---- memory ---------------------------------------------------------------------------- */

static HRESULT write_commit_read(void *ctx)
{
    fm_db *d;
    HRESULT hr = fm_db_open(store_path(store_number), 0, &FM_STORE_SCHEMA, &d);
    if (hr != S_OK)
        return hr;
    fake_owner o = { 0 };
    fm_stream_owner w = owner_of(&o);
    IStream *s = NULL, *r = NULL;
    char buf[300];
    ULONG got = 0;
    hr = fm_stream_open(d, 0, TAG_BODY, FM_STREAM_WRITE, &w, &s);
    if (hr == S_OK)
        hr = IStream_Write(s, "0123456789abcdefghij", 20, NULL);
    if (hr == S_OK)
        hr = IStream_Commit(s, STGC_DEFAULT);
    if (hr == S_OK)
        hr = fm_stream_open(d, o.sid, TAG_BODY, FM_STREAM_READ, NULL, &r);
    if (hr == S_OK)
        hr = IStream_Read(r, buf, sizeof buf, &got);
    if (hr == S_OK && (got != 20 || memcmp(buf, "0123456789abcdefghij", 20) != 0))
        hr = MAPI_E_CALL_FAILED;
    if (r != NULL)
        IStream_Release(r);
    if (s != NULL)
        IStream_Release(s);
    if (o.sid != 0)
        fm_stream_delete(d, o.sid);
    fm_db_close(d);
    return hr;
}

static void open_write_commit_read_release_survive_every_allocation_failure(void **state)
{
    /* While another connection of this process has the file open, SQLite
     * parks a closed connection's descriptor until that one closes too:
     * the sweep's body must be the only connection. */
    fm_db_close(db);
    unsigned points = fm_test_oom_sweep(write_commit_read, NULL);
    assert_true(points > 10);
    assert_int_equal(fm_db_open(store_path(store_number), 0, &FM_STORE_SCHEMA, &db), S_OK);
    /* A run whose failure hit the clean-up's own DELETE leaves its scratch
     * behind, marked as this process's: collected once the process ends. */
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM streams WHERE owner_kind IS NOT NULL"
             " OR owner_id <> %lld", (long long)getpid());
    assert_int_equal(count(db, sql), 0);
}

static void sixty_four_megabytes_pass_through_in_constant_memory(void **state)
{
    /* Fill SQLite's page cache to its bound first: it is the connection's,
     * not the stream's. */
    int64_t warm = stored_stream(8 * 1024 * 1024, 1);
    IStream *r = open_reader(db, warm);
    check_pattern(r, 8 * 1024 * 1024, 65536, 1);
    IStream_Release(r);

    fmapi_alloc_stats before, after;
    fmapi_alloc_reset_peak();
    fmapi_alloc_get_stats(&before);
    fake_owner o = { 0 };
    IStream *s = open_writer(0, 0, &o);
    write_pattern(s, 64u * 1024 * 1024, 65536, 7);
    assert_int_equal(IStream_Commit(s, STGC_DEFAULT), S_OK);
    IStream_Release(s);
    r = open_reader(db, o.sid);
    check_pattern(r, 64u * 1024 * 1024, 65536, 7);
    IStream_Release(r);
    fmapi_alloc_get_stats(&after);
    assert_true(after.peak_bytes - before.live_bytes < 1024 * 1024);
}

static void a_writer_whose_stream_was_removed_leaves_no_chunks(void **state)
{
    fake_owner o = { 0 };
    IStream *s = open_writer(0, 0, &o);
    /* Another process judged the scratch abandoned and removed it. */
    assert_int_equal(fm_db_exec(db, "DELETE FROM streams WHERE owner_kind IS NULL"), S_OK);
    BYTE buf[4096] = { 7 };
    HRESULT hr = S_OK;
    for (int i = 0; i < 64 && hr == S_OK; i++) /* 256 KiB: several chunks */
        hr = IStream_Write(s, buf, sizeof buf, NULL);
    if (hr == S_OK)
        hr = IStream_Commit(s, STGC_DEFAULT);
    assert_int_equal(hr, MAPI_E_OBJECT_DELETED);
    IStream_Release(s);
    assert_int_equal(count(db, "SELECT count(*) FROM stream_chunks"), 0);
}

int main(void)
{
    /* SQLite keeps a little process-wide state after first use. */
    fm_db *warm;
    if (fm_db_open(store_path(0), FM_DB_CREATE, &FM_STORE_SCHEMA, &warm) == S_OK)
        fm_db_close(warm);
#define T(f) cmocka_unit_test_setup_teardown(f, open_store, close_store)
    const struct CMUnitTest tests[] = {
        T(opening_refuses_bad_arguments),
        T(a_stream_with_no_stored_value_is_empty),
        T(sizes_around_the_chunk_survive_write_commit_adopt_and_read),
        T(random_operations_match_an_in_memory_model),
        T(commit_hands_over_the_scratch_and_later_writes_go_to_a_new_one),
        T(a_failing_owner_commit_keeps_the_writes),
        T(revert_restores_the_original_then_the_committed_content),
        T(create_mode_starts_empty_whatever_the_stored_value),
        T(uncommitted_writes_are_invisible_to_another_connection),
        T(clones_have_their_own_seek_pointer_over_the_same_data),
        T(copy_to_moves_chunks_and_reports_the_counts),
        T(read_only_streams_refuse_changes),
        T(methods_check_their_arguments),
        T(stat_describes_the_stream_without_a_name),
        T(query_interface_gives_the_stream_interfaces_only),
        T(set_size_grows_with_zeros_and_shrinks),
        T(adopt_replaces_the_property_and_find_ignores_the_type),
        T(copy_and_delete_owned_work_inside_a_transaction),
        T(read_all_refuses_streams_larger_than_the_limit),
        T(a_killed_writers_scratch_is_collected_and_a_live_one_kept),
        T(a_full_disk_is_medium_full),
        T(open_write_commit_read_release_survive_every_allocation_failure),
        T(sixty_four_megabytes_pass_through_in_constant_memory),
        T(a_writer_whose_stream_was_removed_leaves_no_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
