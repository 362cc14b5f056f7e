/*
 * libvfconfig - option strings as vfkit splits them, and the checks that keep printed values from being split differently (options.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_MODEL_OPTIONS_H
#define VFCONFIG_MODEL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "vfconfig/options.h"

/* True when a value vfkit splits on ',' holds one: printing it would add
 * options. field names the option for the message. */
int vf__check_no_comma(const char *field, const char *value, vf_error *err);

/* vf_options_split of the len bytes at str (which hold no NUL). */
vf_options *vf__options_split_n(const char *str, size_t len, vf_error *err);
/* Room for splitting a short option string without allocating: devices.c
 * splits every --device value this way. */
typedef struct vf__options_local {
    vf_options options;
    vf_option items[16];
    char text[512];
} vf__options_local;
/* vf__options_split_n into local when the options fit there; release the
 * result with vf__options_release_local (NULL is fine). */
vf_options *vf__options_split_local(const char *str, size_t len, vf__options_local *local,
                                    vf_error *err);
void vf__options_release_local(vf_options *opts, vf__options_local *local);
/* vf_split_quoted_list into an existing builder (items appended, as
 * vfkit's repeated --bootloader does); nothing is added on error. */
int vf__split_quoted_into(const char *value, vf__strv_builder *sb, vf_error *err);
/* VF_ERR_AMBIGUOUS when vfkit's quote-aware list splitting (`--bootloader`,
 * `--cloud-init`) would not give value back: a ',' outside double quotes,
 * an unmatched '"', bytes that are not UTF-8 (replaced), or, when value is
 * a whole item (whole_item), surrounding quotes (trimmed). Quotes that
 * survive the split are fine: `variable-store="/a,b"` reads back as is.
 * field names the value in the message. */
int vf__check_list_item(const char *field, const char *value, bool whole_item, vf_error *err);
/* Appends value after vf__check_list_item's check, measuring it once. */
int vf__put_list_item(vf__buf *out, const char *field, const char *value, bool whole_item,
                      vf_error *err);

#endif /* VFCONFIG_MODEL_OPTIONS_H */
