/*
 * libvfconfig - UTF-8 decoding as Go's unicode/utf8 does it (utf8.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_UTIL_UTF8_H
#define VFCONFIG_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define VF__UTF8_INVALID (-1)

/* The rune at s (n > 0 bytes available) as utf8.DecodeRune reads it:
 * VF__UTF8_INVALID with *size 1 for a byte that starts no valid sequence
 * (no overlong forms, no surrogates, nothing above U+10FFFF). */
int32_t vf__utf8_decode(const unsigned char *s, size_t n, size_t *size);

/* Length of the valid sequence at s (1 to 4), or 0 when there is none. */
static inline size_t vf__utf8_valid_length(const unsigned char *s, size_t n)
{
    size_t size;
    return vf__utf8_decode(s, n, &size) == VF__UTF8_INVALID ? 0 : size;
}

#endif /* VFCONFIG_UTIL_UTF8_H */
