/*
 * libvfconfig - the device kinds as data: one ops object per kind (device.c and devices/).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_MODEL_DEVICE_OPS_H
#define VFCONFIG_MODEL_DEVICE_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "model/fields.h"
#include "util/buf.h"
#include "util/macros.h"
#include "util/str.h"
#include "vfconfig/vfconfig.h"

struct vf__problems; /* launcher/launcher.h */

/* A release of a launcher as one comparable number: 1.2.1 is 10201. */
#define VF__RELEASE(major, minor, patch) ((major)*10000u + (minor)*100u + (patch))

/* One row of a kind's release table: the option (NULL: the kind itself)
 * arrived in that release of the launcher. Options of the oldest known
 * release are not listed. */
typedef struct vf__since {
    const char *option;
    unsigned release;
} vf__since;

typedef struct vf__device_ops {
    vf_device_kind kind;
    const char *name;      /* on the command line: "virtio-blk" */
    size_t name_len;       /* strlen(name), for matching a name that is not NUL-terminated */
    const char *json_kind; /* JSON discriminator: "virtioblk" */
    size_t size;           /* sizeof the typed struct */
    /* Defaults of an empty device ("NewEmpty" in Go); 0 or VF_ERR_NOMEM. */
    int (*init)(vf_device *dev);
    /* FromOptions, validation included. */
    int (*apply_options)(vf_device *dev, const vf_option *opts, size_t n, vf_error *err);
    /* Appends the value of `--device` (without "--device") to out.
     * child_fd >= 0 replaces a virtio-net socket's own number (vf_vm_cmd).
     * On error out may hold a part of it: callers drop what they built. */
    int (*write_cmdline)(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err);
    /* The JSON fields, in Go's order (the kind's file); also used to free
     * and clone the owned strings generically. */
    const vf__field *fields;
    size_t n_fields;
    /* ---- launchers (launcher/), each kind's rules in its own file ---- */
    /* When vfkit and krunkit started to accept the kind and the options
   * their printers write (checked on the printed value). */
    const vf__since *vfkit_since;
    size_t n_vfkit_since;
    const vf__since *krunkit_since;
    size_t n_krunkit_since;
    /* krunkit's `--device` value (without "--device"), or NULL: krunkit has
   * no such device. What krunkit cannot say is reported to problems and
   * the rest printed anyway; VF_OK or VF_ERR_UNSUPPORTED. */
    int (*write_krunkit)(const vf_device *dev, vf__buf *out, int child_fd,
                         struct vf__problems *problems);
    /* krunkit's FromStr for the kind: options is the value after
   * "<name>," ("" when there is no ','). A new device in *out. */
    int (*read_krunkit)(const char *options, vf_device **out, vf_error *err);
} vf__device_ops;

/* The ops of kind, or NULL for a value outside the enum. */
const vf__device_ops *vf__device_ops_of(vf_device_kind kind);
/* The ops whose JSON kind is name (exact match, as Go compares), or NULL. */
const vf__device_ops *vf__device_ops_by_json_kind(const char *name);
/* The ops whose command-line name is the n bytes at name, or NULL. */
const vf__device_ops *vf__device_ops_by_name(const char *name, size_t n);

/* ---- what the kinds share (device.c) ---- */

/* A device is always reached through its vf_device head; the cast goes
 * through void so the compiler does not flag the alignment change. */
#define VF__DEVICE_AS(type, dev) ((type *)(void *)(dev))
#define VF__DEVICE_AS_CONST(type, dev) ((const type *)(const void *)(dev))

/* Messages about one option, in the shape every kind uses:
 *   unknown option for <what>: "key[=value]"
 *   <device>: <problem> 'key': "value"<detail>
 *   <device>: "key[=value]" requires '<needed>' to be specified */
int vf__error_unknown_option(vf_error *err, const char *what, const vf_option *opt);
int vf__error_option_value(vf_error *err, const char *device, const char *problem,
                           const vf_option *opt, const char *detail);
int vf__error_option_needs(vf_error *err, const char *device, const vf_option *opt,
                           const char *needed);
/* Stores a copy of an option's value (NULL for ""); VF_ERR_NOMEM in err. */
int vf__set_option_string(char **slot, const char *value, vf_error *err);
/* True when opt's key is exactly key (a NULL key reads as ""). Inline: the
 * kinds test every option against their keys one after the other. */
static inline bool vf__option_is(const vf_option *opt, const char *key)
{
    const char *opt_key = vf__str(opt->key);
    /* The first bytes differ in most mismatches: no call for those. */
    return opt_key[0] == key[0] && strcmp(opt_key, key) == 0;
}
/* vf__check_no_comma with the device's name in front of the message. */
int vf__check_printable(const char *device, const char *field, const char *value, vf_error *err);
/* Appends value (NULL as "") after vf__check_printable's check, measuring
 * it once: the device writers print each value this way. */
int vf__put_printable(vf__buf *out, const char *device, const char *field, const char *value,
                      vf_error *err);

/* The ops of a kind that takes no options (virtio-rng, virtio-balloon):
 * any option is refused, and the kind's name is printed alone. */
int vf__no_options_apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err);
int vf__no_options_write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err);

/* A kind's ops object, from its file under devices/: the field count is
 * taken from the table itself, so no length is written by hand. */
/* launchers_ is VF__LAUNCHERS(...): the kind's release tables and its
 * krunkit writer and reader. */
#define VF__DEVICE_OPS(kind_, name_, json_kind_, type_, init_, apply_, write_, fields_, \
                       launchers_)                                                      \
    {                                                                                   \
        .kind = (kind_), .name = (name_), .name_len = sizeof(name_) - 1,                \
        .json_kind = (json_kind_), .size = sizeof(type_), .init = (init_),              \
        .apply_options = (apply_), .write_cmdline = (write_), .fields = (fields_),      \
        .n_fields = VF__COUNT(fields_), launchers_                                      \
    }
#define VF__DEVICE_OPS_NO_FIELDS(kind_, name_, json_kind_, type_, launchers_)                    \
    {                                                                                            \
        .kind = (kind_), .name = (name_), .name_len = sizeof(name_) - 1,                         \
        .json_kind = (json_kind_), .size = sizeof(type_), .init = NULL,                          \
        .apply_options = vf__no_options_apply_options,                                           \
        .write_cmdline = vf__no_options_write_cmdline, .fields = NULL, .n_fields = 0, launchers_ \
    }
/* The release tables (VF__SINCE(table) or VF__SINCE_NONE for each of vfkit
 * and krunkit), then the krunkit writer and reader (NULL, NULL: krunkit has
 * no such device). */
#define VF__SINCE(table) (table), VF__COUNT(table)
#define VF__SINCE_NONE NULL, 0
#define VF__LAUNCHERS(vfkit_, krunkit_, write_krunkit_, read_krunkit_)                      \
    .vfkit_since = VF__SINCE_PTR_(vfkit_), .n_vfkit_since = VF__SINCE_LEN_(vfkit_),         \
    .krunkit_since = VF__SINCE_PTR_(krunkit_), .n_krunkit_since = VF__SINCE_LEN_(krunkit_), \
    .write_krunkit = (write_krunkit_), .read_krunkit = (read_krunkit_)
#define VF__SINCE_PTR_(...) VF__SINCE_FIRST_(__VA_ARGS__)
#define VF__SINCE_LEN_(...) VF__SINCE_SECOND_(__VA_ARGS__)
#define VF__SINCE_FIRST_(a, b) a
#define VF__SINCE_SECOND_(a, b) b

/* One ops object per kind of VF_DEVICE_KIND_MAP: vf__virtio_blk_ops, ... */
#define VF__DECLARE_DEVICE_OPS(K, T) extern const vf__device_ops vf__##T##_ops;
VF_DEVICE_KIND_MAP(VF__DECLARE_DEVICE_OPS)
#undef VF__DECLARE_DEVICE_OPS

#endif /* VFCONFIG_MODEL_DEVICE_OPS_H */
