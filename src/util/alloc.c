/*
 * libvfconfig - the library's allocator entry points.
 * SPDX-License-Identifier: Apache-2.0
 *
 * One place for every allocation, so a test build can inject failures
 * (VF_ALLOC_FAILURE_INJECTION, see alloc_hook.h) without touching
 * the rest of the code.
 */
#include <stdlib.h>
#include <string.h>

#include "vfconfig/common.h"
#include "util/alloc.h"
#include "util/str.h"

#ifdef VF_ALLOC_FAILURE_INJECTION
#include "util/alloc_hook.h"

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
    bool fail =
        vf_test_alloc_fail_at != 0 &&
        (nth == vf_test_alloc_fail_at || (vf_test_alloc_fail_later && nth > vf_test_alloc_fail_at));
    if (fail)
        vf_test_alloc_refused++;
    return fail;
}

static const vf_test_alloc_observer *vf_test_alloc_observer_now;

void vf_test_alloc_observe(const vf_test_alloc_observer *observer)
{
    vf_test_alloc_observer_now = observer;
}

static void *observe_allocated(void *ptr, size_t size)
{
    const vf_test_alloc_observer *o = vf_test_alloc_observer_now;
    if (o != NULL && ptr != NULL)
        o->allocated(ptr, size, o->ctx);
    return ptr;
}

static void observe_freed(void *ptr)
{
    const vf_test_alloc_observer *o = vf_test_alloc_observer_now;
    if (o != NULL && ptr != NULL)
        o->freed(ptr, o->ctx);
}

#define VF_ALLOC_SHOULD_FAIL() vf_test_alloc_should_fail()
#define VF_ALLOC_OBSERVE(ptr, size) observe_allocated(ptr, size)
#define VF_FREE_OBSERVE(ptr) observe_freed(ptr)
#else
#define VF_ALLOC_SHOULD_FAIL() false
#define VF_ALLOC_OBSERVE(ptr, size) (ptr)
#define VF_FREE_OBSERVE(ptr) ((void)0)
#endif

void *vf__malloc(size_t size)
{
    if (VF_ALLOC_SHOULD_FAIL())
        return NULL;
    return VF_ALLOC_OBSERVE(malloc(size ? size : 1), size);
}

void *vf__calloc(size_t count, size_t size)
{
    if (VF_ALLOC_SHOULD_FAIL())
        return NULL;
    return VF_ALLOC_OBSERVE(calloc(count ? count : 1, size ? size : 1), count * size);
}

/* The observer gets the old address only as a key: the block behind it
 * is not touched after realloc, which gcc cannot tell. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuse-after-free"
#endif
void *vf__realloc(void *ptr, size_t size)
{
    if (VF_ALLOC_SHOULD_FAIL())
        return NULL;
    void *moved = realloc(ptr, size ? size : 1);
    if (moved != NULL)
        VF_FREE_OBSERVE(ptr);
    return VF_ALLOC_OBSERVE(moved, size);
}
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif

void vf__free(void *ptr)
{
    VF_FREE_OBSERVE(ptr);
    free(ptr);
}

char *vf__strndup(const char *s, size_t n)
{
    if (s == NULL)
        return NULL;
    char *copy = vf__malloc(n + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

char *vf__strdup(const char *s)
{
    return s ? vf__strndup(s, strlen(s)) : NULL;
}

int vf__set_string(char **slot, const char *s)
{
    char *copy = NULL;
    if (!vf__empty(s)) {
        copy = vf__strdup(s);
        if (copy == NULL)
            return VF_ERR_NOMEM;
    }
    vf__free(*slot);
    *slot = copy;
    return VF_OK;
}
