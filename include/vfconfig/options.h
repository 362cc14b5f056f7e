/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file options.h
 * @brief Splitting "key=value,key,..." option strings as vfkit does.
 *
 * vfkit splits a `--device` or `--timesync` value on every `,` (there is no
 * escaping), skips empty items, and splits each item on its first `=`. An
 * item without `=` has an empty value, so `nat` and `nat=` read the same.
 */
#ifndef VFCONFIG_OPTIONS_H
#define VFCONFIG_OPTIONS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One option: a key and its value ("" when the item had no `=`). */
typedef struct vf_option {
    const char *key;   /**< Text before the first `=`. */
    const char *value; /**< Text after the first `=`; "" when there was none. */
} vf_option;

/**
 * A list of options. `items` and the strings they point to live in one
 * allocation owned by the list; release it with vf_options_free().
 */
typedef struct vf_options {
    size_t count;     /**< Number of options. */
    vf_option *items; /**< The options, in input order. */
} vf_options;

/**
 * Splits @p str on `,` then on the first `=` of each item, skipping empty
 * items, the way vfkit's `strvToOptions` does.
 * Returns a new list (possibly empty) or NULL on allocation failure or an
 * input over ::VF_MAX_INPUT_BYTES. Caller frees with vf_options_free().
 */
VF_EXTERN vf_options *vf_options_split(const char *str, vf_error *err);

/**
 * Builds an option list from strings already split on `,` (each is split
 * on its first `=`; empty strings are skipped), as vfkit does for the items
 * of `--bootloader`. Caller frees with vf_options_free().
 */
VF_EXTERN vf_options *vf_options_from_strv(const char *const *items, size_t n, vf_error *err);

/** Frees a list returned by vf_options_split() or vf_options_from_strv(). */
VF_EXTERN void vf_options_free(vf_options *opts);

/**
 * Splits a `--bootloader` (or `--cloud-init`) flag value the way vfkit's
 * string-slice flag does: on `,` outside double quotes, then trims one pair
 * of surrounding quotes from each item. An empty value gives an empty
 * vector. A `"` left open is an error (::VF_ERR_INVALID).
 * Returns a NULL-terminated vector the caller frees with vf_strv_free().
 */
VF_EXTERN char **vf_split_quoted_list(const char *value, vf_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_OPTIONS_H */
