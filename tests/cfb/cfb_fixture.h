/*
 * tests/cfb/cfb_fixture.h - helpers shared by the compound-file tests:
 * UTF-16 names and paths, writing and reading whole streams, and running
 * Python's olefile (an independent reader) over a file.
 */
#ifndef FREEMAPI_TESTS_CFB_FIXTURE_H
#define FREEMAPI_TESTS_CFB_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fm_test.h"
#include "mapiutil.h"
#include "objidl.h"

#define RW_EX (STGM_READWRITE | STGM_SHARE_EXCLUSIVE)
#define RD_EX (STGM_READ | STGM_SHARE_EXCLUSIVE)

/* A UTF-16 copy of an ASCII or UTF-8-free string, in a static ring. */
static inline const WCHAR *fx_w(const char *s)
{
    static WCHAR ring[8][4200];
    static int next;
    WCHAR *w = ring[next++ % 8];
    size_t i = 0;
    for (; s[i] != 0 && i < 4199; i++)
        w[i] = (unsigned char)s[i];
    w[i] = 0;
    return w;
}

/* A file path in this test's directory. */
static inline const char *fx_path(const char *name)
{
    static char ring[4][1024];
    static int next;
    char *p = ring[next++ % 4];
    snprintf(p, 1024, "%s/%s", fm_test_tmpdir(), name);
    return p;
}

static inline void fx_write_stream(IStorage *stg, const char *name, const void *data, size_t n)
{
    IStream *s = NULL;
    assert_int_equal(IStorage_CreateStream(stg, fx_w(name), RW_EX | STGM_CREATE, 0, 0, &s), S_OK);
    ULONG w = 0;
    size_t done = 0;
    while (done < n) {
        ULONG piece = n - done > 100000 ? 100000 : (ULONG)(n - done);
        assert_int_equal(IStream_Write(s, (const char *)data + done, piece, &w), S_OK);
        assert_int_equal(w, piece);
        done += piece;
    }
    IStream_Release(s);
}

/* The stream's whole content (malloc'd), its size in *n. */
static inline unsigned char *fx_read_stream(IStorage *stg, const char *name, size_t *n)
{
    IStream *s = NULL;
    assert_int_equal(IStorage_OpenStream(stg, fx_w(name), NULL, RD_EX, 0, &s), S_OK);
    STATSTG st;
    assert_int_equal(IStream_Stat(s, &st, STATFLAG_NONAME), S_OK);
    unsigned char *buf = malloc(st.cbSize.QuadPart + 1);
    ULONG got = 0;
    size_t done = 0;
    while (done < st.cbSize.QuadPart) {
        assert_int_equal(IStream_Read(s, buf + done, 1 << 20, &got), S_OK);
        assert_true(got > 0);
        done += got;
    }
    IStream_Release(s);
    *n = done;
    return buf;
}

/* A deterministic pattern of n bytes. */
static inline unsigned char *fx_pattern(size_t n, unsigned seed)
{
    unsigned char *p = malloc(n ? n : 1);
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (unsigned char)(x >> 16);
    }
    return p;
}

/* Runs /usr/bin/python3 with a script and arguments; returns its output
 * (malloc'd) and exit status. */
static inline char *fx_python(const char *script, const char *args, int *status)
{
    const char *sp = fx_path("script.py");
    FILE *f = fopen(sp, "w");
    assert_non_null(f);
    fputs(script, f);
    fclose(f);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' %s 2>&1", sp, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    size_t r;
    while ((r = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += r;
        if (n + 1 == cap)
            out = realloc(out, cap *= 2);
    }
    out[n] = 0;
    *status = pclose(p);
    return out;
}

#endif /* FREEMAPI_TESTS_CFB_FIXTURE_H */
