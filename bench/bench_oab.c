/*
 * bench/bench_oab.c - offline address book generation (src/oab/): a
 * synthetic directory of N entries (14 properties each: X500 DN, SMTP
 * address, names, title, company, department, office, phone, display and
 * object type, two proxy addresses) handed over in pages, generated with
 * fmapi_oab_generate into a directory, timed, with the process's peak RSS.
 *
 * Reference in the same run and directory: the same source producing the
 * same entries, their string bytes copied into a 256 KiB buffer and
 * written with write() and fsync at the end - the floor for "read the
 * directory and write its bytes", without the OAB encoding, CRCs, SHA-1
 * and renames.
 *
 * Usage: bench_oab [--count N] [--dir DIR] [--store]   (defaults: 1000000, .)
 * --store writes stored blocks (FMAPI_OAB_STORE_BLOCKS) instead of LZX.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "freemapi.h"
#include "freemapi_oab.h"
#include "harness.h"
#include "mapicode.h"
#include "mapitags.h"

#define PAGE 512
#define NPROPS 14
#define TEXTS 11
#define TEXT_MAX 96

static unsigned long count = 1000000;
static const char *dir = ".";
static ULONG flags;

typedef struct source {
    unsigned long pos;
    fmapi_oab_entry page[PAGE];
    SPropValue props[PAGE][NPROPS];
    char text[PAGE][TEXTS][TEXT_MAX];
    LPSTR proxies[PAGE][2];
} source;

static source src;

/* Appends prefix and the decimal form of n: snprintf would dominate. */
static char *put(char *dst, const char *prefix, unsigned long n, const char *suffix)
{
    size_t lp = strlen(prefix);
    memcpy(dst, prefix, lp);
    char digits[24];
    int k = 0;
    do
        digits[k++] = (char)('0' + n % 10);
    while ((n /= 10) != 0);
    char *p = dst + lp;
    while (k > 0)
        *p++ = digits[--k];
    size_t ls = strlen(suffix);
    memcpy(p, suffix, ls + 1);
    return dst;
}

static void set_text(SPropValue *p, ULONG tag, char *t)
{
    p->ulPropTag = tag;
    p->Value.lpszA = t;
}

static void fill(unsigned slot, unsigned long i)
{
    char(*t)[TEXT_MAX] = src.text[slot];
    SPropValue *p = src.props[slot];
    set_text(&p[0], PR_EMAIL_ADDRESS_A, put(t[0], "/o=Example/ou=Exchange Administrative Group/cn=Recipients/cn=user", i, ""));
    set_text(&p[1], PR_SMTP_ADDRESS_A, put(t[1], "user", i, "@example.org"));
    set_text(&p[2], PR_DISPLAY_NAME_A, put(t[2], "Zoë Lefèvre ", i, ""));
    set_text(&p[3], PR_ACCOUNT_A, put(t[3], "user", i, ""));
    set_text(&p[4], PR_SURNAME_A, put(t[4], "Lefèvre", i, ""));
    set_text(&p[5], PR_GIVEN_NAME_A, "Zoë");
    set_text(&p[6], PR_TITLE_A, "Engineer");
    set_text(&p[7], PR_COMPANY_NAME_A, "Example Ltd");
    set_text(&p[8], PR_DEPARTMENT_NAME_A, put(t[5], "Department ", i % 100, ""));
    set_text(&p[9], PR_OFFICE_LOCATION_A, put(t[6], "Building ", i % 20, ""));
    set_text(&p[10], PR_BUSINESS_TELEPHONE_NUMBER_A, put(t[7], "+44 20 7946 ", i % 10000, ""));
    p[11].ulPropTag = PR_DISPLAY_TYPE;
    p[11].Value.l = DT_MAILUSER;
    p[12].ulPropTag = PR_OBJECT_TYPE;
    p[12].Value.l = MAPI_MAILUSER;
    src.proxies[slot][0] = put(t[8], "SMTP:user", i, "@example.org");
    src.proxies[slot][1] = put(t[9], "smtp:u", i, "@example.com");
    p[13].ulPropTag = PR_EMS_AB_PROXY_ADDRESSES_A;
    p[13].Value.MVszA.cValues = 2;
    p[13].Value.MVszA.lppszA = src.proxies[slot];
    src.page[slot].cValues = NPROPS;
    src.page[slot].lpProps = p;
}

static HRESULT next_page(void *ctx, ULONG cMax, ULONG *n, const fmapi_oab_entry **out)
{
    (void)ctx;
    unsigned long take = count - src.pos;
    if (take > cMax)
        take = cMax;
    if (take > PAGE)
        take = PAGE;
    for (unsigned k = 0; k < take; k++)
        fill(k, src.pos + k);
    src.pos += take;
    *n = (ULONG)take;
    *out = src.page;
    return S_OK;
}

/* ---- the reference: the same entries' bytes through write() ---- */

static double reference(unsigned long long *bytes)
{
    static char buf[256 * 1024];
    char path[4096];
    snprintf(path, sizeof path, "%s/bench_oab.ref", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        perror(path);
        exit(1);
    }
    double t0 = bench_now();
    size_t used = 0;
    *bytes = 0;
    src.pos = 0;
    for (;;) {
        ULONG n;
        const fmapi_oab_entry *e;
        next_page(NULL, PAGE, &n, &e);
        if (n == 0)
            break;
        for (ULONG i = 0; i < n; i++)
            for (ULONG k = 0; k < e[i].cValues; k++) {
                const SPropValue *v = &e[i].lpProps[k];
                const char *s = PROP_TYPE(v->ulPropTag) == PT_STRING8 ? v->Value.lpszA : NULL;
                size_t len = s ? strlen(s) + 1 : 4;
                if (used + len > sizeof buf) {
                    if (write(fd, buf, used) != (ssize_t)used)
                        exit(1);
                    *bytes += used;
                    used = 0;
                }
                memcpy(buf + used, s ? s : (const char *)&v->Value.l, len);
                used += len;
            }
    }
    if (write(fd, buf, used) != (ssize_t)used)
        exit(1);
    *bytes += used;
    fsync(fd);
    close(fd);
    double t = bench_now() - t0;
    unlink(path);
    return t;
}

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--store") == 0)
            flags |= FMAPI_OAB_STORE_BLOCKS;
        else if (i + 1 < argc && strcmp(argv[i], "--count") == 0)
            count = strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--dir") == 0)
            dir = argv[++i];
    }
    bench_print_command(argc, argv);
    long rss0 = max_rss_kb();

    fmapi_oab_source s = {NULL, next_page};
    fmapi_oab_options o;
    memset(&o, 0, sizeof o);
    o.name = "\\Global Address List";
    o.dn = "/o=Example/cn=addrlists/cn=oabs/cn=Default Offline Address Book";
    o.guid = "6d2b5b2c-1f0e-4b7a-9a51-2f5c0d3e4a11";
    o.ulSequence = 1;
    o.ulFlags = flags;
    fmapi_oab_result r;
    src.pos = 0;
    double t0 = bench_now();
    HRESULT hr = fmapi_oab_generate(&s, dir, &o, &r);
    double t = bench_now() - t0;
    if (hr != S_OK) {
        fprintf(stderr, "bench_oab: fmapi_oab_generate failed: 0x%08lx %s\n", (unsigned long)hr,
                fmapi_last_error());
        return 1;
    }
    long rss1 = max_rss_kb();
    unsigned long long ref_bytes;
    double tref = reference(&ref_bytes);

    bench_report("entries", (double)r.cEntries, "");
    bench_report("oab generate", t, "s");
    bench_report("oab generate rate", (double)r.cEntries / t, "entries/s");
    bench_report("full details size", (double)r.cbUncompressed / 1048576.0, "MiB");
    bench_report("container size", (double)r.cbCompressed / 1048576.0, "MiB");
    bench_report("peak RSS before", (double)rss0 / 1024.0, "MiB");
    bench_report("peak RSS after generate", (double)rss1 / 1024.0, "MiB");
    bench_report("reference (same entries, raw bytes, write+fsync)", tref, "s");
    bench_report("reference rate", (double)count / tref, "entries/s");
    bench_report("reference bytes", (double)ref_bytes / 1048576.0, "MiB");
    return 0;
}
