/*
 * vfbench - counting allocations without touching the library.
 * SPDX-License-Identifier: Apache-2.0
 *
 * glibc lets a program define malloc, calloc, realloc and free itself; every
 * shared library (jansson included) and glibc's own internal calls then
 * reach these definitions. They count and forward to glibc's allocator
 * through its exported __libc_* entry points, so the timing is that of the
 * real allocator plus an increment. Elsewhere (macOS two-level namespaces,
 * musl, AddressSanitizer which owns malloc) counting is reported as
 * unavailable rather than guessed.
 */
#include <stdlib.h>

#include "alloc_count.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define BENCH_UNDER_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BENCH_UNDER_SANITIZER 1
#endif

#if defined(__GLIBC__) && !defined(BENCH_UNDER_SANITIZER)

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);

/* vfbench is single-threaded while it measures; plain counters suffice. */
static bench_alloc_totals totals;

void *malloc(size_t size)
{
    totals.calls++;
    totals.bytes += size;
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
    totals.calls++;
    totals.bytes += count * size;
    return __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size)
{
    totals.calls++;
    totals.bytes += size;
    return __libc_realloc(ptr, size);
}

void free(void *ptr)
{
    __libc_free(ptr);
}

bool bench_alloc_counting_available(void)
{
    return true;
}

bench_alloc_totals bench_alloc_totals_now(void)
{
    return totals;
}

#else

bool bench_alloc_counting_available(void)
{
    return false;
}

bench_alloc_totals bench_alloc_totals_now(void)
{
    bench_alloc_totals none = {0, 0};
    return none;
}

#endif
