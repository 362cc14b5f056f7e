/*
 * libvfconfig - hexadecimal digits, read and written.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_UTIL_HEX_H
#define VFCONFIG_UTIL_HEX_H

/* The value of one hexadecimal digit (either case), or -1. */
static inline int vf__hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The digit for the low four bits of v: lower case (JSON's \u00XX, MACs,
 * messages) or upper case (URL escapes, as Go's net/url writes them). */
static inline char vf__hex_lower(unsigned v)
{
    return "0123456789abcdef"[v & 0xfu];
}
static inline char vf__hex_upper(unsigned v)
{
    return "0123456789ABCDEF"[v & 0xfu];
}

#endif /* VFCONFIG_UTIL_HEX_H */
