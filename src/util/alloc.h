/*
 * libvfconfig - the library's allocator entry points (alloc.c).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Every allocation of the library goes through these, so a test build can
 * make the N-th one fail (VF_ALLOC_FAILURE_INJECTION, see alloc_hook.h).
 */
#ifndef VFCONFIG_UTIL_ALLOC_H
#define VFCONFIG_UTIL_ALLOC_H

#include <stddef.h>

void *vf__malloc(size_t size);
void *vf__calloc(size_t count, size_t size);
void *vf__realloc(void *ptr, size_t size);
void vf__free(void *ptr);
/* A copy of s, or NULL when s is NULL or the copy could not be made
 * (callers that care tell the two apart by testing s). */
char *vf__strdup(const char *s);
/* A copy of the first n bytes of s, NUL-terminated; NULL on failure. */
char *vf__strndup(const char *s, size_t n);
/* Replaces *slot by a copy of s (NULL or "" store NULL). 0 or VF_ERR_NOMEM;
 * on failure *slot is left unchanged. */
int vf__set_string(char **slot, const char *s);

#endif /* VFCONFIG_UTIL_ALLOC_H */
