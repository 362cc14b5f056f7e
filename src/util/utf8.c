/*
 * libvfconfig - UTF-8 decoding as Go's unicode/utf8 does it.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "util/utf8.h"

int32_t vf__utf8_decode(const unsigned char *s, size_t n, size_t *size)
{
    unsigned char c = s[0];
    *size = 1;
    if (c < 0x80)
        return c;
    unsigned char lo = 0x80, hi = 0xbf;
    size_t need;
    int32_t r;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 2;
        r = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 3;
        r = c & 0x0f;
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        else if (c == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 4;
        r = c & 0x07;
        if (c == 0xf0)
            lo = 0x90; /* overlong */
        else if (c == 0xf4)
            hi = 0x8f; /* beyond U+10FFFF */
    } else {
        return VF__UTF8_INVALID;
    }
    if (n < need || s[1] < lo || s[1] > hi)
        return VF__UTF8_INVALID;
    r = (r << 6) | (s[1] & 0x3f);
    for (size_t i = 2; i < need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return VF__UTF8_INVALID;
        r = (r << 6) | (s[i] & 0x3f);
    }
    *size = need;
    return r;
}
