/*
 * libvfconfig - compiler attributes and small macros every module may use.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_UTIL_MACROS_H
#define VFCONFIG_UTIL_MACROS_H

#if defined(__GNUC__) || defined(__clang__)
#define VF__PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define VF__PRINTF(fmt, args)
#endif

/* Number of elements of an array (not a pointer). */
#define VF__COUNT(table) (sizeof(table) / sizeof((table)[0]))

/* Bytes in a mebibyte: vfkit's --memory unit. */
#define VF__MIB ((uint64_t)1024 * 1024)

#endif /* VFCONFIG_UTIL_MACROS_H */
