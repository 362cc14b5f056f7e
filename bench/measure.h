/*
 * vfbench - timing an operation against a reference on a noisy machine.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFBENCH_MEASURE_H
#define VFBENCH_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* One operation: returns 0, or non-zero after writing why into its context. */
typedef int (*bench_op)(void *ctx);

/* How long to measure. iterations 0 picks a count so that one batch of the
 * operation lasts about batch_ns. The clock is the thread's CPU time for
 * work done in the process (a busy machine then preempts without adding to
 * the figure) and CLOCK_MONOTONIC where the work happens elsewhere (spawn
 * and wait for a child). */
typedef struct bench_settings {
    size_t runs;       /* batches of the operation, each paired with the reference */
    size_t iterations; /* per batch; 0 = automatic */
    double batch_ns;
    clockid_t clock;
} bench_settings;

#define BENCH_MAX_RUNS 101

typedef struct bench_task {
    bench_op fn;
    void *ctx;
} bench_task;

/* Medians over the runs. The references run right before each batch of the
 * operation, so a slower or busier moment slows all of them and the ratios
 * hold where the nanoseconds do not. */
typedef struct bench_result {
    double ns; /* per operation, median */
    double ns_min, ns_max;
    double calib_ns;    /* the calibration per operation, median */
    double calib_ratio; /* median of the per-run ns / calib_ns */
    double peer_ns;     /* the peer per operation, median (0 without one) */
    double peer_ratio;  /* median of the per-run ns / peer_ns */
    double allocs;      /* per operation, < 0 when counting is unavailable */
    double alloc_bytes;
    size_t iterations;
    size_t runs;
} bench_result;

/* Measures op against the calibration and, when peer is not NULL, against
 * a peer doing the same job another way. 0, or -1 when a call failed (its
 * context says why). */
int bench_measure(const bench_settings *settings, bench_task op, bench_task calib,
                  const bench_task *peer, bench_result *out);

/* The calibration reference: a memcpy of len bytes from src to dst. */
typedef struct bench_copy {
    char *dst;
    const char *src;
    size_t len;
} bench_copy;
int bench_copy_op(void *ctx);

double bench_median(const double *values, size_t n);

#endif
