/*
 * vfbench - printing the figures as a table or as JSON.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFBENCH_REPORT_H
#define VFBENCH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "measure.h"

/* One measured operation, with what it is held to. */
typedef struct bench_row {
    const char *id;        /* "parse", "to_cmdline", ... */
    const char *label;     /* what one operation does */
    size_t devices;
    bench_result r;
    double go_ns;          /* the Go package's figure, 0 when there is none */
    double go_target;      /* largest ns / go_ns allowed, 0 for none */
    double max_allocs;     /* most allocations allowed, < 0 for no limit */
    double peer_target;    /* largest ns / peer ns allowed, 0 for none */
    const char *peer;      /* what the peer is, NULL for none */
} bench_row;

/* Whether cost per device stays flat as devices are added. */
typedef struct bench_growth_verdict {
    const char *id;
    double per_device_small;  /* ns per device at the second-largest size */
    double marginal;          /* ns per added device between the two largest sizes */
    size_t small, large;
    bool linear;
} bench_growth_verdict;

#define BENCH_MAX_ROWS 64

typedef struct bench_report {
    size_t json_bytes;        /* the podman VM's JSON */
    const char *build_type;
    size_t runs;
    bool cpu_clock;           /* in-process work timed by CPU time (spawn always by wall time) */
    bench_row main[BENCH_MAX_ROWS];
    size_t n_main;
    bench_row growth[BENCH_MAX_ROWS];
    size_t n_growth;
    bench_growth_verdict verdicts[BENCH_MAX_ROWS];
    size_t n_verdicts;
} bench_report;

/* True when the row meets every target it has. */
bool bench_row_met(const bench_row *row);

/* Fills report->verdicts from the growth rows: linear when the cost of an
 * added device between the two largest sizes is at most 1.5 times the cost
 * per device at the smaller one (for a + b*n that ratio is at most 1; a
 * quadratic term makes it about large/small). */
void bench_judge_growth(bench_report *report);

void bench_print_text(FILE *out, const bench_report *report);
void bench_print_json(FILE *out, const bench_report *report);

#endif
