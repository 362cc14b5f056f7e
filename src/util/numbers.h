/*
 * libvfconfig - numbers as Go's strconv reads them (numbers.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_UTIL_NUMBERS_H
#define VFCONFIG_UTIL_NUMBERS_H

#include <stdint.h>

/* strconv.ParseUint(s, 10, bits): digits only, no sign, no spaces. */
int vf__parse_uint(const char *s, unsigned bits, uint64_t *out);
/* strconv.ParseInt(s, 10, bits): optional sign then digits. */
int vf__parse_int(const char *s, unsigned bits, int64_t *out);
/* strconv.Atoi (64-bit int): ParseInt(s, 10, 64) with its fast path rules. */
int vf__atoi(const char *s, int64_t *out);

/* strconv.ParseUint / ParseInt with any base (0 reads a 0x/0o/0b/0 prefix
 * and allows '_' separators, as pflag's uint flags do). 0 or VF_ERR_INVALID;
 * *reason (optional) gets "invalid syntax" or "value out of range", and
 * *out is set as strconv sets it (0, or the clamped bound on overflow). */
int vf__parse_uint_ex(const char *s, int base, unsigned bits, uint64_t *out, const char **reason);
int vf__parse_int_ex(const char *s, int base, unsigned bits, int64_t *out, const char **reason);

#endif /* VFCONFIG_UTIL_NUMBERS_H */
