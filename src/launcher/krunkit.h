/*
 * libvfconfig - what the device kinds use to speak krunkit's dialect
 * (krunkit_args.c): its option lists and numbers as its Rust code reads
 * them, and the pieces of a krunkit `--device` value.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_LAUNCHER_KRUNKIT_H
#define VFCONFIG_LAUNCHER_KRUNKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vfconfig/vfconfig.h"
#include "util/buf.h"

/* One `key=value` of a krunkit option list; value is "" for a bare key. */
typedef struct vf__kv {
    char *key;
    char *value;
    bool taken; /* read by the device; the rest are unknown */
} vf__kv;

/* krunkit's parse_args: the list split at ',' and each item at '=', every
 * key at most once. The strings are copies in one block. */
typedef struct vf__kv_list {
    vf__kv *items;
    size_t n;
    char *block;
} vf__kv_list;

/* 0, VF_ERR_INVALID (the message names label and the item, the location
 * its key) or VF_ERR_NOMEM. The refusals below locate the key at fault
 * too; the reader around them prefixes its flag. */
int vf__kv_parse(const char *text, const char *label, vf__kv_list *out, vf_error *err);
void vf__kv_release(vf__kv_list *list);
/* vf__kv_parse, then vf__kv_require (required NULL-terminated); nothing to
 * release on failure. */
int vf__kv_open(const char *text, const char *label, const char *const *required, vf__kv_list *out,
                vf_error *err);
/* Ends a device's reading: with rc VF_OK, refuses the keys nobody read;
 * releases list; returns the outcome. */
int vf__kv_close(vf__kv_list *list, const char *label, int rc, vf_error *err);
/* vf__kv_close, then the device: into *out when all went well, freed
 * otherwise (dev may be NULL). */
int vf__kv_finish(vf__kv_list *list, const char *label, int rc, vf_device *dev, vf_device **out,
                  vf_error *err);
/* Stores a copy of value ("" kept as ""); VF_ERR_NOMEM in err. */
int vf__krunkit_copy(char **slot, const char *value, vf_error *err);
/* The value of key, marked as read; NULL when absent. */
const char *vf__kv_take(vf__kv_list *list, const char *key);
/* Of keys a and b, the one given last (b when neither is): the one at
 * fault when the two exclude each other. */
const char *vf__kv_later(const vf__kv_list *list, const char *a, const char *b);
/* VF_ERR_INVALID naming label and the first missing key of required. */
int vf__kv_require(const vf__kv_list *list, const char *label, const char *const *required,
                   vf_error *err);
/* VF_ERR_INVALID naming the first key nobody read. */
int vf__kv_no_unknown(const vf__kv_list *list, const char *label, vf_error *err);

/* Rust's FromStr for integers: an optional '+' (and '-' when signed), then
 * decimal digits, nothing else, within the type's range. */
bool vf__rust_parse_u64(const char *s, uint64_t max, uint64_t *out);
bool vf__rust_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

struct vf__problems;

/* Appends ",key=value"; a ',' or '=' in value (krunkit has no escaping)
 * is reported to p. */
void vf__krunkit_put(vf__buf *out, const char *device, const char *key, const char *value,
                     struct vf__problems *p);
/* Reports "krunkit has no <device> '<option>' option (vfkit [>= R] has
 * it)"; vfkit_release 0 for vfkit's oldest known release. */
void vf__krunkit_lacks(struct vf__problems *p, const char *device, const char *option,
                       unsigned vfkit_release);
/* Reports a socket path over macOS's sun_path (VF__UNIX_PATH_MAX bytes,
 * util/sockpath.h), which krunkit cannot listen on or connect to. */
void vf__krunkit_check_unix_path(struct vf__problems *p, const char *device, const char *name,
                                 const char *path);
/* a equals b (lower-case ASCII) but for the case of ASCII letters. */
bool vf__ascii_case_equal(const char *a, const char *b);
/* krunkit's parse_boolean: true/on, false/off. */
bool vf__krunkit_bool(const char *s, bool *out);
/* mac_address 1.1.5's FromStr (krunkit's Cargo.lock): six hex bytes of one
 * or more digits, joined by ':' or '-'. */
bool vf__krunkit_mac(const char *s, vf_mac_address *out);

#endif /* VFCONFIG_LAUNCHER_KRUNKIT_H */
