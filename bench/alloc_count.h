/*
 * vfbench - counting the heap allocations an operation makes.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFBENCH_ALLOC_COUNT_H
#define VFBENCH_ALLOC_COUNT_H

#include <stdbool.h>
#include <stddef.h>

/* Totals since the program started: every malloc, calloc and realloc of the
 * process (the library's, jansson's and libc's own), and the bytes asked for. */
typedef struct bench_alloc_totals {
    size_t calls;
    size_t bytes;
} bench_alloc_totals;

/* False where the allocator cannot be replaced (macOS, musl, sanitizer
 * builds): the totals then stay at zero and reports say "n/a". */
bool bench_alloc_counting_available(void);
bench_alloc_totals bench_alloc_totals_now(void);

/* Bytes of heap in use now (as the allocator sized each block), and the
 * most in use since the last bench_alloc_peak_reset(); 0 where counting
 * is unavailable. */
size_t bench_alloc_live_bytes(void);
size_t bench_alloc_peak_bytes(void);
void bench_alloc_peak_reset(void);

#endif
