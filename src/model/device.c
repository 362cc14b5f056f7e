/*
 * libvfconfig - the table of device kinds, and what every device shares:
 * creation, freeing, copying, option parsing and printing.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Each kind's own behaviour (defaults, options, command line, JSON fields)
 * lives in its file under devices/; this file reaches it only through the
 * kinds' ops objects, listed by VF_DEVICE_KIND_MAP.
 */
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "model/device_ops.h"
#include "model/fields.h"
#include "model/options.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/macros.h"
#include "util/str.h"

/* The kinds in enum order, one row per entry of VF_DEVICE_KIND_MAP. */
#define KIND_ROW(K, T) [VF_DEVICE_##K] = &vf__##T##_ops,
static const vf__device_ops *const device_kinds[] = {VF_DEVICE_KIND_MAP(KIND_ROW)};
#undef KIND_ROW
_Static_assert(VF__COUNT(device_kinds) == VF_DEVICE_KIND_COUNT, "one ops object per kind");

const vf__device_ops *vf__device_ops_of(vf_device_kind kind)
{
    if ((unsigned)kind >= VF_DEVICE_KIND_COUNT)
        return NULL;
    return device_kinds[kind];
}

const vf__device_ops *vf__device_ops_by_json_kind(const char *name)
{
    for (size_t i = 0; name != NULL && i < VF_DEVICE_KIND_COUNT; i++) {
        if (strcmp(device_kinds[i]->json_kind, name) == 0)
            return device_kinds[i];
    }
    return NULL;
}

const vf__device_ops *vf__device_ops_by_name(const char *name, size_t n)
{
    for (size_t i = 0; i < VF_DEVICE_KIND_COUNT; i++) {
        const vf__device_ops *ops = device_kinds[i];
        if (ops->name_len == n && memcmp(ops->name, name, n) == 0)
            return ops;
    }
    return NULL;
}

const char *vf_device_kind_name(vf_device_kind kind)
{
    const vf__device_ops *ops = vf__device_ops_of(kind);
    return ops ? ops->name : NULL;
}

int vf_device_kind_from_name(const char *name, vf_device_kind *out)
{
    const vf__device_ops *ops = name ? vf__device_ops_by_name(name, strlen(name)) : NULL;
    if (ops == NULL)
        return VF_ERR_INVALID;
    if (out != NULL)
        *out = ops->kind;
    return VF_OK;
}

vf_device *vf_device_new(vf_device_kind kind)
{
    const vf__device_ops *ops = vf__device_ops_of(kind);
    if (ops == NULL)
        return NULL;
    /* malloc and memset rather than calloc: glibc's calloc skips the
   * per-thread cache of small blocks, which makes it several times
   * slower, and every parsed device is one of those. */
    vf_device *dev = vf__malloc(ops->size);
    if (dev == NULL)
        return NULL;
    memset(dev, 0, ops->size);
    dev->kind = kind;
    if (ops->init != NULL && ops->init(dev) != VF_OK) {
        vf_device_free(dev);
        return NULL;
    }
    return dev;
}

void vf_device_free(vf_device *dev)
{
    if (dev == NULL)
        return;
    const vf__device_ops *ops = vf__device_ops_of(dev->kind);
    if (ops != NULL)
        vf__fields_release(dev, ops->fields, ops->n_fields);
    vf__free(dev);
}

vf_device *vf_device_clone(const vf_device *dev)
{
    const vf__device_ops *ops = dev ? vf__device_ops_of(dev->kind) : NULL;
    if (ops == NULL)
        return NULL;
    vf_device *copy = vf__malloc(ops->size);
    if (copy == NULL)
        return NULL;
    memcpy(copy, dev, ops->size);
    if (vf__fields_clone_strings(copy, dev, ops->fields, ops->n_fields) != VF_OK) {
        vf_device_free(copy);
        return NULL;
    }
    return copy;
}

int vf_device_apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
{
    const vf__device_ops *ops = dev ? vf__device_ops_of(dev->kind) : NULL;
    if (ops == NULL)
        return vf__error(err, VF_ERR_INVALID, "not a device");
    if (n != 0 && opts == NULL)
        return vf__error(err, VF_ERR_INVALID, "%zu options given without an array", n);
    return ops->apply_options(dev, opts, n, err);
}

/* vfkit splits the whole value on ','; its first item is the type, compared
 * exactly, and the rest are options (empty ones skipped). */
vf_device *vf_device_from_cmdline(const char *value, vf_error *err)
{
    if (value == NULL) {
        vf__error(err, VF_ERR_INVALID, "no --device value");
        return NULL;
    }
    size_t len = strlen(value);
    if (len > VF_MAX_INPUT_BYTES) {
        vf__error(err, VF_ERR_LIMIT, "--device value: %zu bytes is over the %zu-byte limit", len,
                  (size_t)VF_MAX_INPUT_BYTES);
        return NULL;
    }
    const char *comma = memchr(value, ',', len);
    size_t type_len = comma ? (size_t)(comma - value) : len;
    const vf__device_ops *ops = vf__device_ops_by_name(value, type_len);
    if (ops == NULL) {
        char quoted[96];
        vf__error(err, VF_ERR_INVALID, "unknown device type: \"%s\"",
                  vf__quote_n_for_message(value, type_len, quoted, sizeof quoted));
        return NULL;
    }
    vf__options_local local;
    vf_options *opts = NULL;
    if (comma != NULL) {
        opts = vf__options_split_local(comma + 1, len - type_len - 1, &local, err);
        if (opts == NULL)
            return NULL;
    }
    vf_device *dev = vf_device_new(ops->kind);
    if (dev == NULL) {
        vf__options_release_local(opts, &local);
        vf__error_nomem(err);
        return NULL;
    }
    int rc = ops->apply_options(dev, opts ? opts->items : NULL, opts ? opts->count : 0, err);
    vf__options_release_local(opts, &local);
    if (rc != VF_OK) {
        vf_device_free(dev);
        return NULL;
    }
    return dev;
}

char **vf_device_to_cmdline(const vf_device *dev, vf_error *err)
{
    const vf__device_ops *ops = dev ? vf__device_ops_of(dev->kind) : NULL;
    if (ops == NULL) {
        vf__error(err, VF_ERR_INVALID, "not a device");
        return NULL;
    }
    vf__strv_builder argv;
    vf__strv_init(&argv);
    vf__strv_add(&argv, "--device");
    vf__strv_begin(&argv);
    int rc = ops->write_cmdline(dev, &argv.bytes, -1, err);
    if (rc != VF_OK) {
        vf__strv_release(&argv);
        return NULL;
    }
    vf__strv_end(&argv);
    return vf__strv_finish(&argv, err);
}

/* ---- kinds without options: virtio-rng and virtio-balloon ---- */

int vf__no_options_apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
{
    if (n == 0)
        return VF_OK;
    char what[48];
    snprintf(what, sizeof what, "%s devices", vf_device_kind_name(dev->kind));
    return vf__error_unknown_option(err, what, &opts[0]);
}

int vf__no_options_write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    (void)child_fd;
    (void)err;
    vf__buf_puts(out, vf_device_kind_name(dev->kind));
    return VF_OK;
}

/* ---- messages shared by the kinds ---- */

/* The item as the user wrote it: "key" or "key=value", made printable. */
static const char *describe_option(const vf_option *opt, char *buf, size_t size)
{
    char key[64], value[128];
    vf__quote_for_message(opt->key, key, sizeof key);
    if (vf__empty(opt->value)) {
        snprintf(buf, size, "%s", key);
    } else {
        vf__quote_for_message(opt->value, value, sizeof value);
        snprintf(buf, size, "%s=%s", key, value);
    }
    return buf;
}

/* Names the option's key (made printable) as the error's location. */
static int locate_option(vf_error *err, const vf_option *opt, int code)
{
    char key[64];
    vf__error_locate(err, "%s", vf__quote_for_message(opt->key, key, sizeof key));
    return code;
}

int vf__error_unknown_option(vf_error *err, const char *what, const vf_option *opt)
{
    char item[200];
    vf__error(err, VF_ERR_INVALID, "unknown option for %s: \"%s\"", what,
              describe_option(opt, item, sizeof item));
    return locate_option(err, opt, VF_ERR_INVALID);
}

int vf__error_option_value(vf_error *err, const char *device, const char *problem,
                           const vf_option *opt, const char *detail)
{
    char key[64], value[128];
    vf__error(err, VF_ERR_INVALID, "%s: %s '%s'%s: \"%s\"", device, problem,
              vf__quote_for_message(opt->key, key, sizeof key), vf__str(detail),
              vf__quote_for_message(opt->value, value, sizeof value));
    return locate_option(err, opt, VF_ERR_INVALID);
}

int vf__error_option_needs(vf_error *err, const char *device, const vf_option *opt,
                           const char *needed)
{
    char key[64], item[200];
    vf__error(err, VF_ERR_INVALID, "%s: '%s' requires '%s' to be specified: \"%s\"", device,
              vf__quote_for_message(opt->key, key, sizeof key), needed,
              describe_option(opt, item, sizeof item));
    return locate_option(err, opt, VF_ERR_INVALID);
}

int vf__set_option_string(char **slot, const char *value, vf_error *err)
{
    return vf__set_string(slot, value) == VF_OK ? VF_OK : vf__error_nomem(err);
}

int vf__check_printable(const char *device, const char *field, const char *value, vf_error *err)
{
    int rc = vf__check_no_comma(field, value, err);
    if (rc != VF_OK)
        vf__error_prefix(err, "%s", device);
    return rc;
}

int vf__put_printable(vf__buf *out, const char *device, const char *field, const char *value,
                      vf_error *err)
{
    value = vf__str(value);
    size_t len = strlen(value);
    if (memchr(value, ',', len) != NULL)
        return vf__check_printable(device, field, value, err); /* words the refusal */
    vf__buf_append(out, value, len);
    return VF_OK;
}

/* ---- checked casts, one pair per kind ---- */
#define DEFINE_CASTS(K, T)                                                                    \
    vf_##T *vf_device_as_##T(vf_device *dev)                                                  \
    {                                                                                         \
        return dev != NULL && dev->kind == VF_DEVICE_##K ? VF__DEVICE_AS(vf_##T, dev) : NULL; \
    }                                                                                         \
    const vf_##T *vf_device_as_##T##_const(const vf_device *dev)                              \
    {                                                                                         \
        return dev != NULL && dev->kind == VF_DEVICE_##K ? VF__DEVICE_AS_CONST(vf_##T, dev)   \
                                                         : NULL;                              \
    }
VF_DEVICE_KIND_MAP(DEFINE_CASTS)
