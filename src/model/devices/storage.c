/*
 * libvfconfig - disks: virtio-blk, nvme, usb-mass-storage and nbd.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The three local disks share the Go package's DiskStorageConfig (path,
 * type, readonly); nbd has a URI instead. Every storage device prints its
 * devName as the device type, so only the kind's own name can be printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vfconfig/vfconfig.h"
#include "model/device_ops.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/numbers.h"
#include "util/str.h"

#define NS_PER_MS INT64_C(1000000)
/* vfkit gives an nbd server 15 s to answer unless told otherwise. */
#define NBD_DEFAULT_TIMEOUT_MS 15000
/* The first bytes of a qcow2 image: vfkit only boots raw disks. */
static const unsigned char qcow2_magic[4] = {'Q', 'F', 'I', 0xfb};

static const vf_disk_storage_config *disk_of(const vf_device *dev)
{
    switch (dev->kind) {
    case VF_DEVICE_VIRTIO_BLK: return &VF__DEVICE_AS_CONST(vf_virtio_blk, dev)->disk;
    case VF_DEVICE_NVME: return &VF__DEVICE_AS_CONST(vf_nvm_express_controller, dev)->disk;
    case VF_DEVICE_USB_MASS_STORAGE: return &VF__DEVICE_AS_CONST(vf_usb_mass_storage, dev)->disk;
    default: return NULL;
    }
}

static vf_disk_storage_config *mutable_disk_of(vf_device *dev)
{
    return (vf_disk_storage_config *)disk_of(dev);
}

/* ---- options shared by the storage kinds ---- */

static int apply_read_only(vf_storage_config *storage, const char *device, const vf_option *opt,
                           vf_error *err)
{
    if (!vf__empty(opt->value))
        return vf__error_option_value(err, device, "unexpected value for", opt, " (it takes none)");
    storage->read_only = true;
    return VF_OK;
}

static int unknown_storage_option(const char *device, const vf_option *opt, vf_error *err)
{
    char what[48];
    snprintf(what, sizeof what, "%s devices", device);
    return vf__error_unknown_option(err, what, opt);
}

static bool disk_type_is_valid(const char *type)
{
    return type[0] == '\0' || strcmp(type, VF_DISK_BACKEND_IMAGE) == 0 ||
           strcmp(type, VF_DISK_BACKEND_DEV) == 0;
}

static int apply_disk_option(vf_disk_storage_config *disk, const char *device,
                             const vf_option *opt, vf_error *err)
{
    if (vf__option_is(opt, "path"))
        return vf__set_option_string(&disk->image_path, opt->value, err);
    if (vf__option_is(opt, "type")) {
        if (!disk_type_is_valid(vf__str(opt->value)))
            return vf__error_option_value(err, device, "unexpected value for", opt,
                                          " (expected 'image' or 'dev')");
        return vf__set_option_string(&disk->type, opt->value, err);
    }
    if (vf__option_is(opt, "readonly"))
        return apply_read_only(&disk->storage, device, opt, err);
    return unknown_storage_option(device, opt, err);
}

/* ---- printing ---- */

/* vfkit reads the device type back from devName: anything but the kind's
 * own name ("", "nvme,readonly", "virtio-blk ") would come back as
 * another device or as an error. */
static int check_dev_name(const vf_storage_config *storage, const char *device, vf_error *err)
{
    if (strcmp(vf__str(storage->dev_name), device) == 0)
        return VF_OK;
    char quoted[96];
    return vf__error(err, VF_ERR_AMBIGUOUS,
                     "%s: 'devName' \"%s\" cannot be printed: vfkit reads it as the device "
                     "type, which must be \"%s\"",
                     device, vf__quote_for_message(storage->dev_name, quoted, sizeof quoted),
                     device);
}

/* Appends ",key=value", refusing a value with a ','. */
static int put_option(vf__buf *out, const char *device, const char *key, const char *value,
                      vf_error *err)
{
    vf__buf_putc(out, ',');
    vf__buf_puts(out, key);
    vf__buf_putc(out, '=');
    return vf__put_printable(out, device, key, value, err);
}

static int write_disk(const vf_device *dev, vf__buf *out, vf_error *err)
{
    const vf_disk_storage_config *disk = disk_of(dev);
    const char *device = vf_device_kind_name(dev->kind);
    if (vf__empty(disk->image_path))
        return vf__error(err, VF_ERR_INVALID, "%s devices need the path to a disk image", device);
    int rc = check_dev_name(&disk->storage, device, err);
    if (rc != VF_OK)
        return rc;
    vf__buf_puts(out, device);
    rc = put_option(out, device, "path", disk->image_path, err);
    if (rc == VF_OK && !vf__empty(disk->type))
        rc = put_option(out, device, "type", disk->type, err);
    if (disk->storage.read_only)
        vf__buf_puts(out, ",readonly");
    return rc;
}

/* ---- nvme and usb-mass-storage: the disk alone ---- */

int vf__disk_init(vf_device *dev)
{
    return vf__set_string(&mutable_disk_of(dev)->storage.dev_name,
                          vf_device_kind_name(dev->kind));
}

int vf__disk_apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
{
    const char *device = vf_device_kind_name(dev->kind);
    for (size_t i = 0; i < n; i++) {
        int rc = apply_disk_option(mutable_disk_of(dev), device, &opts[i], err);
        if (rc != VF_OK)
            return rc;
    }
    return VF_OK;
}

int vf__disk_write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    (void)child_fd;
    return write_disk(dev, out, err);
}

/* ---- virtio-blk: a disk with a serial, refusing qcow2 images ---- */

/* vfkit opens the image and reads its first four bytes, as one read():
 * a missing, unreadable or empty file is refused, and so is qcow2. A file
 * shorter than four bytes but not empty passes. */
static int check_raw_image(const char *path, vf_error *err)
{
    char quoted[128], reason[128];
    unsigned char header[sizeof qcow2_magic] = {0};
    int fd = open(vf__str(path), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vf__error(err, VF_ERR_IO, "virtio-blk: cannot open 'path': \"%s\": %s",
                         vf__quote_for_message(path, quoted, sizeof quoted),
                         vf__errno_text(errno, reason, sizeof reason));
    ssize_t got;
    do {
        got = read(fd, header, sizeof header);
    } while (got < 0 && errno == EINTR);
    int read_errno = errno;
    close(fd);
    if (got <= 0) {
        if (got == 0)
            snprintf(reason, sizeof reason, "the file is empty");
        else
            vf__errno_text(read_errno, reason, sizeof reason);
        return vf__error(err, VF_ERR_IO, "virtio-blk: cannot read the header of 'path': \"%s\": %s",
                         vf__quote_for_message(path, quoted, sizeof quoted), reason);
    }
    if (memcmp(header, qcow2_magic, sizeof qcow2_magic) == 0)
        return vf__error(err, VF_ERR_INVALID,
                         "virtio-blk: 'path' is a qcow2 image, which vfkit does not support: \"%s\"",
                         vf__quote_for_message(path, quoted, sizeof quoted));
    return VF_OK;
}

int vf__virtio_blk_apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
{
    vf_virtio_blk *blk = VF__DEVICE_AS(vf_virtio_blk, dev);
    /* deviceId first, then the disk's options in their order, as the Go
     * package does: it decides which error comes first. */
    for (size_t i = 0; i < n; i++) {
        if (vf__option_is(&opts[i], "deviceId") &&
            vf__set_option_string(&blk->device_identifier, opts[i].value, err) != VF_OK)
            return VF_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if (vf__option_is(&opts[i], "deviceId"))
            continue;
        int rc = apply_disk_option(&blk->disk, "virtio-blk", &opts[i], err);
        if (rc != VF_OK)
            return rc;
    }
    return check_raw_image(blk->disk.image_path, err);
}

int vf__virtio_blk_write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    const vf_virtio_blk *blk = VF__DEVICE_AS_CONST(vf_virtio_blk, dev);
    (void)child_fd;
    int rc = write_disk(dev, out, err);
    if (rc == VF_OK && !vf__empty(blk->device_identifier))
        rc = put_option(out, "virtio-blk", "deviceId", blk->device_identifier, err);
    return rc;
}

/* ---- nbd ---- */

int vf__nbd_init(vf_device *dev)
{
    vf_network_block_device *nbd = VF__DEVICE_AS(vf_network_block_device, dev);
    nbd->timeout_ns = NBD_DEFAULT_TIMEOUT_MS * NS_PER_MS;
    if (vf__set_string(&nbd->network.storage.dev_name, "nbd") != VF_OK ||
        vf__set_string(&nbd->synchronization_mode, VF_NBD_SYNC_FULL) != VF_OK)
        return VF_ERR_NOMEM;
    return VF_OK;
}

static int apply_nbd_option(vf_network_block_device *nbd, const vf_option *opt, vf_error *err)
{
    const char *value = vf__str(opt->value);
    if (vf__option_is(opt, "deviceId"))
        return vf__set_option_string(&nbd->device_identifier, value, err);
    if (vf__option_is(opt, "timeout")) {
        int64_t ms;
        const char *reason = NULL;
        if (vf__parse_int_ex(value, 10, 32, &ms, &reason) != VF_OK) {
            char detail[80];
            snprintf(detail, sizeof detail, " (%s: milliseconds as a 32-bit integer)", reason);
            return vf__error_option_value(err, "nbd", "invalid value for", opt, detail);
        }
        nbd->timeout_ns = ms * NS_PER_MS;
        return VF_OK;
    }
    /* key is "sync" */
    if (strcmp(value, VF_NBD_SYNC_FULL) != 0 && strcmp(value, VF_NBD_SYNC_NONE) != 0)
        return vf__error_option_value(err, "nbd", "invalid value for", opt,
                                      " (must be 'full' or 'none')");
    return vf__set_option_string(&nbd->synchronization_mode, value, err);
}

static bool is_nbd_option(const vf_option *opt)
{
    return vf__option_is(opt, "deviceId") || vf__option_is(opt, "timeout") || vf__option_is(opt, "sync");
}

int vf__nbd_apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
{
    vf_network_block_device *nbd = VF__DEVICE_AS(vf_network_block_device, dev);
    /* nbd's own options first, then the storage options, as the Go package
     * does: it decides which error comes first. */
    for (size_t i = 0; i < n; i++) {
        int rc = is_nbd_option(&opts[i]) ? apply_nbd_option(nbd, &opts[i], err) : VF_OK;
        if (rc != VF_OK)
            return rc;
    }
    for (size_t i = 0; i < n; i++) {
        const vf_option *opt = &opts[i];
        int rc = VF_OK;
        if (is_nbd_option(opt))
            continue;
        if (vf__option_is(opt, "uri"))
            rc = vf__set_option_string(&nbd->network.uri, opt->value, err);
        else if (vf__option_is(opt, "readonly"))
            rc = apply_read_only(&nbd->network.storage, "nbd", opt, err);
        else
            rc = unknown_storage_option("nbd", opt, err);
        if (rc != VF_OK)
            return rc;
    }
    return VF_OK;
}

int vf__nbd_write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    const vf_network_block_device *nbd = VF__DEVICE_AS_CONST(vf_network_block_device, dev);
    const char *sync = vf__str(nbd->synchronization_mode);
    (void)child_fd;
    if (vf__empty(nbd->network.uri))
        return vf__error(err, VF_ERR_INVALID, "nbd devices need the uri to a remote block device");
    int rc = check_dev_name(&nbd->network.storage, "nbd", err);
    if (rc == VF_OK) {
        vf__buf_puts(out, "nbd");
        rc = put_option(out, "nbd", "uri", nbd->network.uri, err);
    }
    if (rc != VF_OK)
        return rc;
    if (nbd->network.storage.read_only)
        vf__buf_puts(out, ",readonly");
    if (!vf__empty(nbd->device_identifier)) {
        rc = put_option(out, "nbd", "deviceId", nbd->device_identifier, err);
        if (rc != VF_OK)
            return rc;
    }
    /* Whole milliseconds, truncated toward zero like Go's Duration.Milliseconds. */
    int64_t ms = nbd->timeout_ns / NS_PER_MS;
    if (ms > 0) {
        vf__buf_puts(out, ",timeout=");
        vf__buf_put_i64(out, ms);
    }
    if (strcmp(sync, VF_NBD_SYNC_NONE) == 0 || strcmp(sync, VF_NBD_SYNC_FULL) == 0) {
        vf__buf_puts(out, ",sync=");
        vf__buf_puts(out, sync);
    }
    return VF_OK;
}

/* ---- constructors and setters ---- */

static vf_device *new_disk(vf_device_kind kind, const char *image_path)
{
    vf_device *dev = vf_device_new(kind);
    if (dev != NULL && vf__set_string(&mutable_disk_of(dev)->image_path, image_path) != VF_OK) {
        vf_device_free(dev);
        return NULL;
    }
    return dev;
}

vf_virtio_blk *vf_virtio_blk_new(const char *image_path)
{
    return VF__DEVICE_AS(vf_virtio_blk, new_disk(VF_DEVICE_VIRTIO_BLK, image_path));
}

int vf_virtio_blk_set_device_identifier(vf_virtio_blk *blk, const char *device_id)
{
    if (blk == NULL)
        return VF_ERR_INVALID;
    return vf__set_string(&blk->device_identifier, device_id);
}

vf_nvm_express_controller *vf_nvm_express_controller_new(const char *image_path)
{
    return VF__DEVICE_AS(vf_nvm_express_controller, new_disk(VF_DEVICE_NVME, image_path));
}

vf_usb_mass_storage *vf_usb_mass_storage_new(const char *image_path)
{
    return VF__DEVICE_AS(vf_usb_mass_storage, new_disk(VF_DEVICE_USB_MASS_STORAGE, image_path));
}

void vf_usb_mass_storage_set_read_only(vf_usb_mass_storage *usb, bool read_only)
{
    if (usb != NULL)
        usb->disk.storage.read_only = read_only;
}

vf_network_block_device *vf_network_block_device_new(const char *uri, uint32_t timeout_ms,
                                                     const char *sync_mode)
{
    vf_network_block_device *nbd =
        VF__DEVICE_AS(vf_network_block_device, vf_device_new(VF_DEVICE_NBD));
    if (nbd == NULL)
        return NULL;
    nbd->timeout_ns = (int64_t)timeout_ms * NS_PER_MS;
    if (vf__set_string(&nbd->network.uri, uri) != VF_OK ||
        vf__set_string(&nbd->synchronization_mode, sync_mode) != VF_OK) {
        vf_device_free(&nbd->base);
        return NULL;
    }
    return nbd;
}

int vf_network_block_device_set_device_identifier(vf_network_block_device *nbd,
                                                  const char *device_id)
{
    if (nbd == NULL)
        return VF_ERR_INVALID;
    return vf__set_string(&nbd->device_identifier, device_id);
}
