/*
 * vfbench - printing the figures as a table or as JSON.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFBENCH_REPORT_H
#define VFBENCH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "json/heap_bound.h"
#include "measure.h"

/* One measured operation, with what it is held to. */
typedef struct bench_row {
    const char *id;    /* "parse", "to_cmdline", ... */
    const char *label; /* what one operation does */
    size_t devices;
    bench_result r;
    double go_ns;       /* the Go package's figure, 0 when there is none */
    double go_target;   /* largest ns / go_ns allowed, 0 for none */
    double max_allocs;  /* most allocations allowed, < 0 for no limit */
    double peer_target; /* largest ns / peer ns allowed, 0 for none */
    const char *peer;   /* what the peer is, NULL for none */
} bench_row;

/* Whether each added device costs the same, however many there are: the
 * cost per device added between the two largest sizes, against the same
 * between the next two (a + b*n gives b both times; a quadratic term makes
 * the second ten times larger when sizes grow tenfold). With two sizes
 * only, the baseline is the cost per device at the smaller one. */
typedef struct bench_growth_verdict {
    const char *id;
    size_t small, large;  /* the two largest sizes */
    double marginal;      /* ns per device added from small to large */
    size_t baseline_from; /* the size before small (0 with two sizes) */
    double baseline;      /* ns per device added from baseline_from to small */
    bool linear;          /* marginal <= 1.5 * baseline */
} bench_growth_verdict;

#define BENCH_MAX_ROWS 64

/* The heap one vf_vm_from_json_buffer() takes (counted allocator). */
typedef struct bench_memory_row {
    const char *label;
    size_t input_bytes;
    size_t peak_bytes;     /* most heap in use during the call, above what was in use before */
    size_t retained_bytes; /* what the VM it returned holds */
} bench_memory_row;

/* The reader's heap bound (src/json/heap_bound.h): per input byte beyond
 * the VM returned, and what every read takes whatever its input. */
#define BENCH_JSON_EXTRA_PER_BYTE ((double)VF__JSON_KEPT_PER_BYTE)
#define BENCH_JSON_FIXED_BYTES VF__JSON_FIXED_BYTES

typedef struct bench_report {
    size_t json_bytes; /* the podman VM's JSON */
    const char *build_type;
    size_t runs;
    bool cpu_clock; /* in-process work timed by CPU time (spawn always by wall time) */
    bench_row main[BENCH_MAX_ROWS];
    size_t n_main;
    bench_row growth[BENCH_MAX_ROWS];
    size_t n_growth;
    bench_growth_verdict verdicts[BENCH_MAX_ROWS];
    size_t n_verdicts;
    bench_memory_row memory[4];
    size_t n_memory;
} bench_report;

/* True when the row meets every target it has. */
bool bench_row_met(const bench_row *row);

/* Fills report->verdicts from the growth rows. */
void bench_judge_growth(bench_report *report);

void bench_print_text(FILE *out, const bench_report *report);
void bench_print_json(FILE *out, const bench_report *report);

#endif
