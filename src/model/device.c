/*
 * libvfconfig - the table of device kinds, and what every device shares:
 * creation, freeing, copying, option parsing and printing.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Each kind's own behaviour (defaults, options, command line) lives in
 * storage.c, network.c, sharing.c and peripherals.c; this file reaches it
 * only through the table below, and frees and copies devices through the
 * field tables of fields.c.
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
#include "util/str.h"

/* The lengths of fields.c's device tables. They are needed here as
 * constants (the kind table is static data, and the lengths fields.c
 * exports are objects, not constant expressions); test_devices checks
 * them against fields.c. */
enum {
    N_DISK_FIELDS = 4, /* devName, readOnly, imagePath, type */
    N_VIRTIO_BLK_FIELDS = N_DISK_FIELDS + 1,
    N_NBD_FIELDS = 6,
    N_VIRTIO_FS_FIELDS = 2,
    N_ROSETTA_FIELDS = 3,
    N_VIRTIO_NET_FIELDS = 5,
    N_VIRTIO_SERIAL_FIELDS = 4,
    N_VIRTIO_VSOCK_FIELDS = 3,
    N_VIRTIO_INPUT_FIELDS = 1,
    N_VIRTIO_GPU_FIELDS = 3
};

#define KIND(kind_, name_, json_kind_, type_, init_, prefix_, fields_, n_fields_)              \
    [kind_] = {kind_, name_, sizeof(name_) - 1, json_kind_, sizeof(type_), init_,               \
               vf__##prefix_##_apply_options, vf__##prefix_##_write_cmdline, fields_, n_fields_}

static const vf__device_ops device_kinds[VF_DEVICE_KIND_COUNT] = {
    KIND(VF_DEVICE_VIRTIO_BLK, "virtio-blk", "virtioblk", vf_virtio_blk, vf__disk_init,
         virtio_blk, vf__virtio_blk_fields, N_VIRTIO_BLK_FIELDS),
    KIND(VF_DEVICE_NVME, "nvme", "nvme", vf_nvm_express_controller, vf__disk_init, disk,
         vf__nvme_fields, N_DISK_FIELDS),
    KIND(VF_DEVICE_USB_MASS_STORAGE, "usb-mass-storage", "usbmassstorage", vf_usb_mass_storage,
         vf__disk_init, disk, vf__usb_mass_storage_fields, N_DISK_FIELDS),
    KIND(VF_DEVICE_NBD, "nbd", "nbd", vf_network_block_device, vf__nbd_init, nbd,
         vf__nbd_fields, N_NBD_FIELDS),
    KIND(VF_DEVICE_VIRTIO_FS, "virtio-fs", "virtiofs", vf_virtio_fs, NULL, virtio_fs,
         vf__virtio_fs_fields, N_VIRTIO_FS_FIELDS),
    KIND(VF_DEVICE_ROSETTA, "rosetta", "rosetta", vf_rosetta_share, NULL, rosetta,
         vf__rosetta_fields, N_ROSETTA_FIELDS),
    KIND(VF_DEVICE_VIRTIO_NET, "virtio-net", "virtionet", vf_virtio_net, vf__virtio_net_init,
         virtio_net, vf__virtio_net_fields, N_VIRTIO_NET_FIELDS),
    KIND(VF_DEVICE_VIRTIO_RNG, "virtio-rng", "virtiorng", vf_virtio_rng, NULL, no_options, NULL,
         0),
    KIND(VF_DEVICE_VIRTIO_BALLOON, "virtio-balloon", "virtioballoon", vf_virtio_balloon, NULL,
         no_options, NULL, 0),
    KIND(VF_DEVICE_VIRTIO_SERIAL, "virtio-serial", "virtioserial", vf_virtio_serial, NULL,
         virtio_serial, vf__virtio_serial_fields, N_VIRTIO_SERIAL_FIELDS),
    KIND(VF_DEVICE_VIRTIO_VSOCK, "virtio-vsock", "virtiosock", vf_virtio_vsock, NULL,
         virtio_vsock, vf__virtio_vsock_fields, N_VIRTIO_VSOCK_FIELDS),
    KIND(VF_DEVICE_VIRTIO_INPUT, "virtio-input", "virtioinput", vf_virtio_input, NULL,
         virtio_input, vf__virtio_input_fields, N_VIRTIO_INPUT_FIELDS),
    KIND(VF_DEVICE_VIRTIO_GPU, "virtio-gpu", "virtiogpu", vf_virtio_gpu, NULL, virtio_gpu,
         vf__virtio_gpu_fields, N_VIRTIO_GPU_FIELDS),
};

const vf__device_ops *vf__device_ops_of(vf_device_kind kind)
{
    if ((unsigned)kind >= VF_DEVICE_KIND_COUNT)
        return NULL;
    return &device_kinds[kind];
}

const vf__device_ops *vf__device_ops_by_json_kind(const char *name)
{
    for (size_t i = 0; name != NULL && i < VF_DEVICE_KIND_COUNT; i++) {
        if (strcmp(device_kinds[i].json_kind, name) == 0)
            return &device_kinds[i];
    }
    return NULL;
}

/* The kind whose command-line name is the n bytes at name. */
static const vf__device_ops *ops_by_name(const char *name, size_t n)
{
    for (size_t i = 0; i < VF_DEVICE_KIND_COUNT; i++) {
        const vf__device_ops *ops = &device_kinds[i];
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
    const vf__device_ops *ops = name ? ops_by_name(name, strlen(name)) : NULL;
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
    const vf__device_ops *ops = ops_by_name(value, type_len);
    if (ops == NULL) {
        char type[64], quoted[96];
        size_t n = type_len < sizeof type - 1 ? type_len : sizeof type - 1;
        memcpy(type, value, n);
        type[n] = '\0';
        vf__error(err, VF_ERR_INVALID, "unknown device type: \"%s\"",
                  vf__quote_for_message(type, quoted, sizeof quoted));
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

int vf__error_unknown_option(vf_error *err, const char *what, const vf_option *opt)
{
    char item[200];
    return vf__error(err, VF_ERR_INVALID, "unknown option for %s: \"%s\"", what,
                     describe_option(opt, item, sizeof item));
}

int vf__error_option_value(vf_error *err, const char *device, const char *problem,
                           const vf_option *opt, const char *detail)
{
    char key[64], value[128];
    return vf__error(err, VF_ERR_INVALID, "%s: %s '%s': \"%s\"%s", device, problem,
                     vf__quote_for_message(opt->key, key, sizeof key),
                     vf__quote_for_message(opt->value, value, sizeof value), vf__str(detail));
}

int vf__error_option_needs(vf_error *err, const char *device, const vf_option *opt,
                           const char *needed)
{
    char item[200];
    return vf__error(err, VF_ERR_INVALID, "%s: \"%s\" requires '%s' to be specified", device,
                     describe_option(opt, item, sizeof item), needed);
}

int vf__set_option_string(char **slot, const char *value, vf_error *err)
{
    return vf__set_string(slot, value) == VF_OK ? VF_OK : vf__error_nomem(err);
}

int vf__check_printable(const char *device, const char *field, const char *value,
                        vf_error *err)
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

/* ---- checked casts ---- */
#define DEFINE_CAST(function, type, wanted)                                             \
    type *function(vf_device *dev)                                                      \
    {                                                                                   \
        return dev != NULL && dev->kind == (wanted) ? VF__DEVICE_AS(type, dev) : NULL; \
    }

DEFINE_CAST(vf_device_as_virtio_blk, vf_virtio_blk, VF_DEVICE_VIRTIO_BLK)
DEFINE_CAST(vf_device_as_nvm_express_controller, vf_nvm_express_controller, VF_DEVICE_NVME)
DEFINE_CAST(vf_device_as_usb_mass_storage, vf_usb_mass_storage, VF_DEVICE_USB_MASS_STORAGE)
DEFINE_CAST(vf_device_as_network_block_device, vf_network_block_device, VF_DEVICE_NBD)
DEFINE_CAST(vf_device_as_virtio_fs, vf_virtio_fs, VF_DEVICE_VIRTIO_FS)
DEFINE_CAST(vf_device_as_rosetta_share, vf_rosetta_share, VF_DEVICE_ROSETTA)
DEFINE_CAST(vf_device_as_virtio_net, vf_virtio_net, VF_DEVICE_VIRTIO_NET)
DEFINE_CAST(vf_device_as_virtio_rng, vf_virtio_rng, VF_DEVICE_VIRTIO_RNG)
DEFINE_CAST(vf_device_as_virtio_balloon, vf_virtio_balloon, VF_DEVICE_VIRTIO_BALLOON)
DEFINE_CAST(vf_device_as_virtio_serial, vf_virtio_serial, VF_DEVICE_VIRTIO_SERIAL)
DEFINE_CAST(vf_device_as_virtio_vsock, vf_virtio_vsock, VF_DEVICE_VIRTIO_VSOCK)
DEFINE_CAST(vf_device_as_virtio_input, vf_virtio_input, VF_DEVICE_VIRTIO_INPUT)
DEFINE_CAST(vf_device_as_virtio_gpu, vf_virtio_gpu, VF_DEVICE_VIRTIO_GPU)
