/*
 * bench/harness.h - timing for freemapi's benchmarks: run a measurement
 * several times, take the median, print "name: value unit" lines that
 * BENCHMARKS.md quotes, and the command line that produced them.
 */
#ifndef FREEMAPI_BENCH_HARNESS_H
#define FREEMAPI_BENCH_HARNESS_H

#include <stddef.h>

/* Monotonic time in seconds. */
double bench_now(void);

/* One timed run: returns its elapsed seconds. */
typedef double (*bench_run_fn)(void *ctx);

/* Runs fn repeats times and returns the median elapsed seconds. */
double bench_median(bench_run_fn fn, void *ctx, int repeats);

/* Prints "name: value unit". */
void bench_report(const char *name, double value, const char *unit);

/* Prints the command line ("command: ./bench_x --rows 1000000"). */
void bench_print_command(int argc, char **argv);

#endif /* FREEMAPI_BENCH_HARNESS_H */
