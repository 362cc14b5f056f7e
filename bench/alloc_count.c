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
#if defined(__GLIBC__)
#include <malloc.h>
#endif

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
/* Heap in use, by the size glibc gave each block. */
static size_t live, peak;

static void *counted(void *ptr)
{
    if (ptr != NULL) {
        live += malloc_usable_size(ptr);
        if (live > peak)
            peak = live;
    }
    return ptr;
}

static void uncount(void *ptr)
{
    if (ptr != NULL)
        live -= malloc_usable_size(ptr);
}

void *malloc(size_t size)
{
    totals.calls++;
    totals.bytes += size;
    return counted(__libc_malloc(size));
}

void *calloc(size_t count, size_t size)
{
    totals.calls++;
    totals.bytes += count * size;
    return counted(__libc_calloc(count, size));
}

void *realloc(void *ptr, size_t size)
{
    totals.calls++;
    totals.bytes += size;
    size_t old = ptr != NULL ? malloc_usable_size(ptr) : 0;
    void *moved = __libc_realloc(ptr, size);
    if (moved == NULL && size != 0)
        return NULL; /* ptr is untouched */
    live -= old;
    return counted(moved);
}

void free(void *ptr)
{
    uncount(ptr);
    __libc_free(ptr);
}

size_t bench_alloc_live_bytes(void)
{
    return live;
}

size_t bench_alloc_peak_bytes(void)
{
    return peak;
}

void bench_alloc_peak_reset(void)
{
    peak = live;
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

size_t bench_alloc_live_bytes(void)
{
    return 0;
}

size_t bench_alloc_peak_bytes(void)
{
    return 0;
}

void bench_alloc_peak_reset(void) {}

#endif
