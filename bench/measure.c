/*
 * vfbench - timing an operation against a reference on a noisy machine.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc_count.h"
#include "measure.h"

static double now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int run_batch(clockid_t clock, bench_op op, void *ctx, size_t n, double *elapsed_ns)
{
    double start = now_ns(clock);
    for (size_t i = 0; i < n; i++) {
        if (op(ctx) != 0)
            return -1;
    }
    *elapsed_ns = now_ns(clock) - start;
    return 0;
}

/* Doubles the batch until it lasts batch_ns (the first calls warm the
 * caches and the allocator as a side effect). */
static int pick_iterations(const bench_settings *s, bench_op op, void *ctx, size_t *out)
{
    if (s->iterations > 0) {
        *out = s->iterations;
        return op(ctx);
    }
    size_t n = 1;
    for (;;) {
        double elapsed;
        if (run_batch(s->clock, op, ctx, n, &elapsed) != 0)
            return -1;
        if (elapsed >= s->batch_ns || n >= ((size_t)1 << 30))
            break;
        n *= 2;
    }
    *out = n;
    return 0;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(const double *values, size_t n)
{
    if (n == 0)
        return 0;
    double sorted[BENCH_MAX_RUNS];
    if (n > BENCH_MAX_RUNS)
        n = BENCH_MAX_RUNS;
    memcpy(sorted, values, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_doubles);
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/* The per-run times of one task and of what it is compared with. */
typedef struct series {
    size_t iterations;
    double ns[BENCH_MAX_RUNS];
} series;

static int time_run(clockid_t clock, bench_task t, series *s, size_t run)
{
    double elapsed;
    if (run_batch(clock, t.fn, t.ctx, s->iterations, &elapsed) != 0)
        return -1;
    s->ns[run] = elapsed / (double)s->iterations;
    return 0;
}

static double median_ratio(const series *a, const series *b, size_t runs)
{
    double ratio[BENCH_MAX_RUNS];
    for (size_t r = 0; r < runs; r++)
        ratio[r] = b->ns[r] > 0 ? a->ns[r] / b->ns[r] : 0;
    return bench_median(ratio, runs);
}

int bench_measure(const bench_settings *s, bench_task op, bench_task calib, const bench_task *peer,
                  bench_result *out)
{
    size_t runs = s->runs < 1 ? 1 : s->runs > BENCH_MAX_RUNS ? BENCH_MAX_RUNS : s->runs;
    series op_s, calib_s, peer_s;
    if (pick_iterations(s, op.fn, op.ctx, &op_s.iterations) != 0 ||
        pick_iterations(s, calib.fn, calib.ctx, &calib_s.iterations) != 0 ||
        (peer && pick_iterations(s, peer->fn, peer->ctx, &peer_s.iterations) != 0))
        return -1;

    bench_alloc_totals allocs = {0, 0};
    for (size_t r = 0; r < runs; r++) {
        /* The peer goes before the operation on even runs and after it on
         * odd ones, so neither always gets the warmer (or colder) slot. */
        bool peer_first = r % 2 == 0;
        if (time_run(s->clock, calib, &calib_s, r) != 0 ||
            (peer && peer_first && time_run(s->clock, *peer, &peer_s, r) != 0))
            return -1;
        bench_alloc_totals before = bench_alloc_totals_now();
        if (time_run(s->clock, op, &op_s, r) != 0)
            return -1;
        bench_alloc_totals after = bench_alloc_totals_now();
        allocs.calls += after.calls - before.calls;
        allocs.bytes += after.bytes - before.bytes;
        if (peer && !peer_first && time_run(s->clock, *peer, &peer_s, r) != 0)
            return -1;
    }

    memset(out, 0, sizeof *out);
    out->ns = bench_median(op_s.ns, runs);
    out->calib_ns = bench_median(calib_s.ns, runs);
    out->calib_ratio = median_ratio(&op_s, &calib_s, runs);
    if (peer) {
        out->peer_ns = bench_median(peer_s.ns, runs);
        out->peer_ratio = median_ratio(&op_s, &peer_s, runs);
    }
    out->ns_min = out->ns_max = op_s.ns[0];
    for (size_t r = 1; r < runs; r++) {
        out->ns_min = op_s.ns[r] < out->ns_min ? op_s.ns[r] : out->ns_min;
        out->ns_max = op_s.ns[r] > out->ns_max ? op_s.ns[r] : out->ns_max;
    }
    double total_ops = (double)op_s.iterations * (double)runs;
    bool counted = bench_alloc_counting_available();
    out->allocs = counted ? (double)allocs.calls / total_ops : -1;
    out->alloc_bytes = counted ? (double)allocs.bytes / total_ops : -1;
    out->iterations = op_s.iterations;
    out->runs = runs;
    return 0;
}

/* Called through a volatile pointer so the compiler can neither inline the
 * copy nor drop it as dead. */
static void *(*volatile copy_bytes)(void *, const void *, size_t) = memcpy;

int bench_copy_op(void *ctx)
{
    bench_copy *c = ctx;
    copy_bytes(c->dst, c->src, c->len);
    return 0;
}
