/*
 * libvfconfig - allocation-failure injection for tests.
 * SPDX-License-Identifier: Apache-2.0
 *
 * When the library is compiled with VF_ALLOC_FAILURE_INJECTION, src/alloc.c
 * includes this header and asks vf_test_alloc_should_fail() before every
 * allocation. A test arms the hook so that the N-th allocation from then on
 * fails (and optionally every later one), runs an operation, then reads how
 * many allocations were made and how many were refused.
 *
 * The definitions below are compiled only into src/alloc.c (the one file of
 * the library that includes this header with the macro defined), so the
 * hook lives in the library itself: the shared and static libraries, the
 * tools and every test link in that build without anything extra. Tests
 * include the header without the macro and get the declarations.
 *
 * Single-threaded by design: only tests/test_alloc_failure.c arms it.
 */
#ifndef VFCONFIG_TESTS_ALLOC_HOOK_H
#define VFCONFIG_TESTS_ALLOC_HOOK_H

#include <stdbool.h>

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
 * src/alloc.c, and by tests for the allocators they route through it
 * (jansson's, via json_set_alloc_funcs). */
VF_TEST_HOOK_API bool vf_test_alloc_should_fail(void);

#ifdef VF_ALLOC_FAILURE_INJECTION

static unsigned long vf_test_alloc_counted;
static unsigned long vf_test_alloc_refused;
static unsigned long vf_test_alloc_fail_at;
static bool vf_test_alloc_fail_later;

void vf_test_alloc_arm(unsigned long n, bool every_later)
{
    vf_test_alloc_counted = 0;
    vf_test_alloc_refused = 0;
    vf_test_alloc_fail_at = n;
    vf_test_alloc_fail_later = every_later;
}

void vf_test_alloc_disarm(void)
{
    vf_test_alloc_fail_at = 0;
}

unsigned long vf_test_alloc_count(void)
{
    return vf_test_alloc_counted;
}

unsigned long vf_test_alloc_failures(void)
{
    return vf_test_alloc_refused;
}

bool vf_test_alloc_should_fail(void)
{
    unsigned long nth = ++vf_test_alloc_counted;
    bool fail = vf_test_alloc_fail_at != 0 &&
                (nth == vf_test_alloc_fail_at ||
                 (vf_test_alloc_fail_later && nth > vf_test_alloc_fail_at));
    if (fail)
        vf_test_alloc_refused++;
    return fail;
}

#endif /* VF_ALLOC_FAILURE_INJECTION */

#endif /* VFCONFIG_TESTS_ALLOC_HOOK_H */
