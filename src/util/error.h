/*
 * libvfconfig - filling the caller's vf_error (error.c).
 * SPDX-License-Identifier: Apache-2.0
 *
 * A message reads "<where>: <reason>: \"<value>\"": the field first, then
 * what is wrong with it, the value last, so a cut never loses the reason.
 * The location (vf_error::location) is the path of the field, composed by
 * the readers from the inside out: a leaf names its key ("sharedDir"), the
 * reader around it prefixes its own part ("devices[2]"), giving
 * "devices[2].sharedDir".
 */
#ifndef VFCONFIG_UTIL_ERROR_H
#define VFCONFIG_UTIL_ERROR_H

#include <stddef.h>

#include "util/macros.h"
#include "vfconfig/common.h"

/* Fills err (if non-NULL) with code and a formatted message, and clears
 * the location; returns code. The text is cut on a character boundary and
 * ends with "..." when it does not fit; bytes that are not UTF-8 show as
 * \xNN. */
int vf__error(vf_error *err, vf_status code, const char *fmt, ...) VF__PRINTF(3, 4);
/* vf__error, then the location set to @p location (a path, not a format). */
int vf__error_at(vf_error *err, vf_status code, const char *location, const char *fmt, ...)
    VF__PRINTF(4, 5);
/* Shorthand for an allocation failure. Returns VF_ERR_NOMEM. */
int vf__error_nomem(vf_error *err);
/* Prepends "prefix: " (formatted) to the message already in err. */
void vf__error_prefix(vf_error *err, const char *fmt, ...) VF__PRINTF(2, 3);
/* Replaces the location with a formatted path. */
void vf__error_locate(vf_error *err, const char *fmt, ...) VF__PRINTF(2, 3);
/* Prepends a formatted path part to the location: "devices[2]" before
 * "sharedDir" gives "devices[2].sharedDir", before "[1]" "devices[2][1]",
 * before "" just "devices[2]". */
void vf__error_locate_prefix(vf_error *err, const char *fmt, ...) VF__PRINTF(2, 3);
/* Writes a printable, length-limited rendering of s into buf for messages,
 * to be shown between double quotes: '"' and '\' are escaped with '\',
 * control bytes and bytes that are not UTF-8 shown as \xNN, and a value too
 * long for buf is cut between characters and ends with "...". */
const char *vf__quote_for_message(const char *s, char *buf, size_t size);
/* The same for the len bytes at s (which may hold NULs). */
const char *vf__quote_n_for_message(const char *s, size_t len, char *buf, size_t size);
/* strerror_r into buf: thread-safe text for an errno value. */
const char *vf__errno_text(int errnum, char *buf, size_t size);

#endif /* VFCONFIG_UTIL_ERROR_H */
