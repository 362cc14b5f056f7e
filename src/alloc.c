/*
 * libvfconfig - the library's allocator entry points.
 * SPDX-License-Identifier: Apache-2.0
 *
 * One place for every allocation, so a test build can inject failures
 * (VF_ALLOC_FAILURE_INJECTION, see tests/alloc_hook.h) without touching
 * the rest of the code.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifdef VF_ALLOC_FAILURE_INJECTION
#include "alloc_hook.h"
#define VF_ALLOC_SHOULD_FAIL() vf_test_alloc_should_fail()
#else
#define VF_ALLOC_SHOULD_FAIL() false
#endif

void *vf__malloc(size_t size)
{
    if (VF_ALLOC_SHOULD_FAIL())
        return NULL;
    return malloc(size ? size : 1);
}

void *vf__calloc(size_t count, size_t size)
{
    if (VF_ALLOC_SHOULD_FAIL())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *vf__realloc(void *ptr, size_t size)
{
    if (VF_ALLOC_SHOULD_FAIL())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void vf__free(void *ptr)
{
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
