/*
 * libvfconfig - allocation-failure injection for tests.
 * SPDX-License-Identifier: Apache-2.0
 *
 * When the library is compiled with VF_ALLOC_FAILURE_INJECTION, src/util/alloc.c
 * includes this header and asks vf_test_alloc_should_fail() before every
 * allocation. A test arms the hook so that the N-th allocation from then on
 * fails (and optionally every later one), runs an operation, then reads how
 * many allocations were made and how many were refused.
 *
 * The definitions are compiled into src/util/alloc.c, so the hook lives in
 * the library itself: the shared and static libraries, the tools and every
 * test link in that build without anything extra.
 *
 * Single-threaded by design: only tests/test_alloc_failure.c arms it.
 */
#ifndef VFCONFIG_UTIL_ALLOC_HOOK_H
#define VFCONFIG_UTIL_ALLOC_HOOK_H

#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define VF_TEST_HOOK_API __attribute__((visibility("default")))
#else
#define VF_TEST_HOOK_API
#endif

/*
 * Starts counting allocations from zero and makes the n-th one from now fail
 * (1 is the next allocation). With every_later, that one and all the
 * allocations after it fail. n == 0 disarms: nothing fails, counting goes on.
 */
VF_TEST_HOOK_API void vf_test_alloc_arm(unsigned long n, bool every_later);

/* Stops failing allocations; the counters keep their values. */
VF_TEST_HOOK_API void vf_test_alloc_disarm(void);

/* Allocations asked for since the last vf_test_alloc_arm(), failed ones included. */
VF_TEST_HOOK_API unsigned long vf_test_alloc_count(void);

/* Allocations refused since the last vf_test_alloc_arm(). */
VF_TEST_HOOK_API unsigned long vf_test_alloc_failures(void);

/* Counts one allocation and tells whether it must fail. Called by
 * src/util/alloc.c, and by tests for the allocators they route through it
 * (jansson's, via json_set_alloc_funcs). */
VF_TEST_HOOK_API bool vf_test_alloc_should_fail(void);

/*
 * Watching the library's heap, for tests that measure memory: after each
 * allocation that succeeds, allocated(ptr, size, ctx); before each free,
 * freed(ptr, ctx) (ptr may be one the library did not allocate, such as a
 * string a caller stored); a realloc that succeeds is freed(old) then
 * allocated(new). NULL stops watching.
 */
typedef struct vf_test_alloc_observer {
    void (*allocated)(void *ptr, size_t size, void *ctx);
    void (*freed)(void *ptr, void *ctx);
    void *ctx;
} vf_test_alloc_observer;
VF_TEST_HOOK_API void vf_test_alloc_observe(const vf_test_alloc_observer *observer);

#endif /* VFCONFIG_UTIL_ALLOC_HOOK_H */
