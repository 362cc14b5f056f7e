/*
 * libvfconfig - what the local disks share: virtio-blk, nvme and
 * usb-mass-storage hold the Go package's DiskStorageConfig (path, type,
 * readonly); nbd shares the storage part (devName, readonly).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Every storage device prints its devName as the device type, so only the
 * kind's own name can be printed.
 */
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "model/device_ops.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"
#include "model/devices/disk.h"

const vf_disk_storage_config *vf__disk_of(const vf_device *dev)
{
    switch (dev->kind) {
    case VF_DEVICE_VIRTIO_BLK:
        return &VF__DEVICE_AS_CONST(vf_virtio_blk, dev)->disk;
    case VF_DEVICE_NVME:
        return &VF__DEVICE_AS_CONST(vf_nvm_express_controller, dev)->disk;
    case VF_DEVICE_USB_MASS_STORAGE:
        return &VF__DEVICE_AS_CONST(vf_usb_mass_storage, dev)->disk;
    default:
        return NULL;
    }
}

vf_disk_storage_config *vf__disk_of_mutable(vf_device *dev)
{
    return (vf_disk_storage_config *)vf__disk_of(dev);
}

/* ---- options shared by the storage kinds ---- */

int vf__storage_apply_read_only(vf_storage_config *storage, const char *device,
                                const vf_option *opt, vf_error *err)
{
    if (!vf__empty(opt->value))
        return vf__error_option_value(err, device, "unexpected value for", opt, " (it takes none)");
    storage->read_only = true;
    return VF_OK;
}

int vf__storage_unknown_option(const char *device, const vf_option *opt, vf_error *err)
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

int vf__disk_apply_option(vf_disk_storage_config *disk, const char *device, const vf_option *opt,
                          vf_error *err)
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
        return vf__storage_apply_read_only(&disk->storage, device, opt, err);
    return vf__storage_unknown_option(device, opt, err);
}

/* ---- printing ---- */

/* vfkit reads the device type back from devName: anything but the kind's
 * own name ("", "nvme,readonly", "virtio-blk ") would come back as
 * another device or as an error. */
int vf__storage_check_dev_name(const vf_storage_config *storage, const char *device, vf_error *err)
{
    if (strcmp(vf__str(storage->dev_name), device) == 0)
        return VF_OK;
    char quoted[96];
    return vf__error_at(err, VF_ERR_AMBIGUOUS, "devName",
                        "%s: 'devName' cannot be printed: vfkit reads it as the device type, "
                        "which must be '%s': \"%s\"",
                        device, device,
                        vf__quote_for_message(storage->dev_name, quoted, sizeof quoted));
}

/* Appends ",key=value", refusing a value with a ',' (located at the
 * field's JSON key, json_key). */
int vf__storage_put_option(vf__buf *out, const char *device, const char *key, const char *json_key,
                           const char *value, vf_error *err)
{
    vf__buf_putc(out, ',');
    vf__buf_puts(out, key);
    vf__buf_putc(out, '=');
    int rc = vf__put_printable(out, device, key, value, err);
    if (rc != VF_OK)
        vf__error_locate(err, "%s", json_key);
    return rc;
}

int vf__disk_write(const vf_device *dev, vf__buf *out, vf_error *err)
{
    const vf_disk_storage_config *disk = vf__disk_of(dev);
    const char *device = vf_device_kind_name(dev->kind);
    if (vf__empty(disk->image_path))
        return vf__error_at(err, VF_ERR_INVALID, "imagePath",
                            "%s devices need the path to a disk image", device);
    int rc = vf__storage_check_dev_name(&disk->storage, device, err);
    if (rc != VF_OK)
        return rc;
    vf__buf_puts(out, device);
    rc = vf__storage_put_option(out, device, "path", "imagePath", disk->image_path, err);
    if (rc == VF_OK && !vf__empty(disk->type))
        rc = vf__storage_put_option(out, device, "type", "type", disk->type, err);
    if (disk->storage.read_only)
        vf__buf_puts(out, ",readonly");
    return rc;
}

/* ---- the ops nvme and usb-mass-storage share: the disk alone ---- */

int vf__disk_init(vf_device *dev)
{
    return vf__set_string(&vf__disk_of_mutable(dev)->storage.dev_name,
                          vf_device_kind_name(dev->kind));
}

int vf__disk_apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
{
    const char *device = vf_device_kind_name(dev->kind);
    for (size_t i = 0; i < n; i++) {
        int rc = vf__disk_apply_option(vf__disk_of_mutable(dev), device, &opts[i], err);
        if (rc != VF_OK)
            return rc;
    }
    return VF_OK;
}

int vf__disk_write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    (void)child_fd;
    return vf__disk_write(dev, out, err);
}

vf_device *vf__disk_new(vf_device_kind kind, const char *image_path)
{
    vf_device *dev = vf_device_new(kind);
    if (dev != NULL && vf__set_string(&vf__disk_of_mutable(dev)->image_path, image_path) != VF_OK) {
        vf_device_free(dev);
        return NULL;
    }
    return dev;
}
