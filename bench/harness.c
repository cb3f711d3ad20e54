/*
 * bench/harness.c - see harness.h. The median of several runs is reported
 * because the machine is shared: one slow run says little about the code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "harness.h"

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(bench_run_fn fn, void *ctx, int repeats)
{
    double t[64];
    if (repeats < 1)
        repeats = 1;
    if (repeats > 64)
        repeats = 64;
    for (int i = 0; i < repeats; i++)
        t[i] = fn(ctx);
    qsort(t, (size_t)repeats, sizeof t[0], cmp_double);
    return repeats % 2 ? t[repeats / 2] : (t[repeats / 2 - 1] + t[repeats / 2]) / 2;
}

void bench_report(const char *name, double value, const char *unit)
{
    printf("%s: %.6g %s\n", name, value, unit);
}

void bench_print_command(int argc, char **argv)
{
    printf("command:");
    for (int i = 0; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
}
