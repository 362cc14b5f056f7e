/*
 * libvfconfig - filling the caller's vf_error (error.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_UTIL_ERROR_H
#define VFCONFIG_UTIL_ERROR_H

#include <stddef.h>

#include "util/macros.h"
#include "vfconfig/common.h"

/* Fills err (if non-NULL) with code and a formatted message; returns code. */
int vf__error(vf_error *err, int code, const char *fmt, ...) VF__PRINTF(3, 4);
/* Shorthand for an allocation failure. Returns VF_ERR_NOMEM. */
int vf__error_nomem(vf_error *err);
/* Prepends "prefix: " (formatted) to the message already in err. */
void vf__error_prefix(vf_error *err, const char *fmt, ...) VF__PRINTF(2, 3);
/* Writes a printable, length-limited rendering of s into buf for messages:
 * long values are cut with "...", control bytes shown as \xNN. */
const char *vf__quote_for_message(const char *s, char *buf, size_t size);
/* strerror_r into buf: thread-safe text for an errno value. */
const char *vf__errno_text(int errnum, char *buf, size_t size);

#endif /* VFCONFIG_UTIL_ERROR_H */
