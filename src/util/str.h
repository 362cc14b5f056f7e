/*
 * libvfconfig - reading the optional strings of the structs.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A NULL string field reads as "" everywhere (common.h).
 */
#ifndef VFCONFIG_UTIL_STR_H
#define VFCONFIG_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>

static inline const char *vf__str(const char *s)
{
    return s ? s : "";
}
static inline bool vf__empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

#endif /* VFCONFIG_UTIL_STR_H */
