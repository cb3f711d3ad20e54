/*
 * tests/oab/oab_test_util.h - shared pieces of the OAB tests: record
 * sources (an array of entries, and a synthetic directory of any size),
 * default options, and checks on an output directory's files.
 */
#ifndef FREEMAPI_TESTS_OAB_UTIL_H
#define FREEMAPI_TESTS_OAB_UTIL_H

#include <dirent.h>
#include <signal.h>
#include <mspack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fm_test.h"
#include "freemapi_oab.h"
#include "mapicode.h"
#include "mapitags.h"
#include "oab/oab.h"

/* ---- an array of entries, handed out in pages ---- */
typedef struct array_source {
    const fmapi_oab_entry *entries;
    ULONG count, pos;
} array_source;

static inline HRESULT array_next(void *ctx, ULONG cMax, ULONG *n, const fmapi_oab_entry **out)
{
    array_source *a = ctx;
    ULONG left = a->count - a->pos;
    *n = left < cMax ? left : cMax;
    *out = a->entries + a->pos;
    a->pos += *n;
    return S_OK;
}

/* ---- a synthetic directory: entry i is made from i, one page at a time ---- */
#define SYN_PAGE_MAX 512
#define SYN_COLS 6
typedef struct syn_source {
    ULONG count, pos, delay_us;
    ULONG pages, kill_at_page; /* raise(SIGKILL) when asked for that page */
    fmapi_oab_entry page[SYN_PAGE_MAX];
    SPropValue props[SYN_PAGE_MAX][SYN_COLS];
    char text[SYN_PAGE_MAX][3][64];
} syn_source;

static inline void syn_fill(syn_source *s, ULONG slot, ULONG i)
{
    SPropValue *p = s->props[slot];
    snprintf(s->text[slot][0], 64, "/o=Example/ou=Site/cn=Recipients/cn=user%lu", (unsigned long)i);
    snprintf(s->text[slot][1], 64, "user%lu@example.org", (unsigned long)i);
    snprintf(s->text[slot][2], 64, "User %lu Ärger-Éclair", (unsigned long)i);
    p[0].ulPropTag = PR_EMAIL_ADDRESS_A;
    p[0].Value.lpszA = s->text[slot][0];
    p[1].ulPropTag = PR_SMTP_ADDRESS_A;
    p[1].Value.lpszA = s->text[slot][1];
    p[2].ulPropTag = PR_DISPLAY_NAME_A;
    p[2].Value.lpszA = s->text[slot][2];
    p[3].ulPropTag = PR_DISPLAY_TYPE;
    p[3].Value.l = (LONG)(i % 7);
    p[4].ulPropTag = PR_OBJECT_TYPE;
    p[4].Value.l = MAPI_MAILUSER;
    p[5].ulPropTag = PR_SEND_RICH_INFO;
    p[5].Value.b = (unsigned short)(i & 1);
    s->page[slot].cValues = SYN_COLS;
    s->page[slot].lpProps = p;
}

static inline HRESULT syn_next(void *ctx, ULONG cMax, ULONG *n, const fmapi_oab_entry **out)
{
    syn_source *s = ctx;
    if (s->kill_at_page && ++s->pages == s->kill_at_page)
        raise(SIGKILL);
    ULONG take = s->count - s->pos;
    if (take > cMax)
        take = cMax;
    if (take > SYN_PAGE_MAX)
        take = SYN_PAGE_MAX;
    for (ULONG k = 0; k < take; k++)
        syn_fill(s, k, s->pos + k);
    s->pos += take;
    if (s->delay_us)
        usleep(s->delay_us);
    *n = take;
    *out = s->page;
    return S_OK;
}

static inline fmapi_oab_options test_options(ULONG seq)
{
    fmapi_oab_options o;
    memset(&o, 0, sizeof o);
    o.name = "\\Global Address List";
    o.dn = "/o=Example/cn=addrlists/cn=oabs/cn=Default Offline Address Book";
    o.guid = "6d2b5b2c-1f0e-4b7a-9a51-2f5c0d3e4a11";
    o.ulSequence = seq;
    return o;
}

/* Reads a whole small file into a malloc'd, NUL-terminated buffer. */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return b;
}

static inline void path_in(char *out, size_t cap, const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    assert_true(a + 1 + b < cap);
    memcpy(out, dir, a);
    out[a] = '/';
    memcpy(out + a + 1, name, b + 1);
}

/* Counts the directory's files whose names start with prefix. */
static inline int count_files(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

/* The data file oab.xml in dir names ("" when none). */
static inline void manifest_file(const char *dir, char *file, size_t cap)
{
    char p[512];
    path_in(p, sizeof p, dir, "oab.xml");
    char *xml = slurp(p, NULL);
    file[0] = '\0';
    if (!xml)
        return;
    char *end = strstr(xml, "</Full>");
    char *start = end;
    while (start && start > xml && start[-1] != '>')
        start--;
    if (end && (size_t)(end - start) < cap) {
        memcpy(file, start, (size_t)(end - start));
        file[end - start] = '\0';
    }
    free(xml);
}

/* Decompresses an OAB container with libmspack: its MSPACK_ERR code. */
static inline int mspack_unpack(const char *lzx, const char *out)
{
    struct msoab_decompressor *d = mspack_create_oab_decompressor(NULL);
    if (!d)
        return MSPACK_ERR_NOMEMORY;
    int rc = d->decompress(d, lzx, out);
    mspack_destroy_oab_decompressor(d);
    return rc;
}

/* Unpacks (libmspack) the OAB the manifest names and parses it (ours):
 * the record count, or -1. */
static inline long oab_valid_count(const char *dir)
{
    char file[128], lzx[512], out[512];
    manifest_file(dir, file, sizeof file);
    if (!file[0])
        return -1;
    path_in(lzx, sizeof lzx, dir, file);
    snprintf(out, sizeof out, "%s.check", dir);
    if (mspack_unpack(lzx, out) != MSPACK_ERR_OK)
        return -1;
    fm_oab_read_info info;
    HRESULT hr = fm_oab_read_details(out, NULL, NULL, &info);
    unlink(out);
    return FAILED(hr) ? -1 : (long)info.ulTotRecs;
}

#endif
