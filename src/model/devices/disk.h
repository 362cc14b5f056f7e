/*
 * libvfconfig - what the storage kinds share (disk.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_MODEL_DEVICES_DISK_H
#define VFCONFIG_MODEL_DEVICES_DISK_H

#include <stdint.h>

#include "model/device_ops.h"
#include "util/buf.h"
#include "vfconfig/vfconfig.h"

#define VF__NS_PER_MS INT64_C(1000000)

/* The JSON fields of the Go package's StorageConfig and DiskStorageConfig,
 * inlined where Go embeds them (type_ is the device struct, outer the
 * member holding the storage config). */
#define VF__STORAGE_FIELDS(type_, outer)                                      \
    VF__FIELD(type_, outer.storage.dev_name, "devName", VF__FIELD_STRING, 0), \
        VF__FIELD(type_, outer.storage.read_only, "readOnly", VF__FIELD_BOOL, VF__FIELD_OMITEMPTY)
#define VF__DISK_FIELDS(type_)                                                                 \
    VF__STORAGE_FIELDS(type_, disk),                                                           \
        VF__FIELD(type_, disk.image_path, "imagePath", VF__FIELD_STRING, VF__FIELD_OMITEMPTY), \
        VF__FIELD(type_, disk.type, "type", VF__FIELD_STRING, VF__FIELD_OMITEMPTY)

/* The disk config of a virtio-blk, nvme or usb-mass-storage device. */
const vf_disk_storage_config *vf__disk_of(const vf_device *dev);
vf_disk_storage_config *vf__disk_of_mutable(vf_device *dev);
/* A new device of a disk kind on image_path; NULL on allocation failure. */
vf_device *vf__disk_new(vf_device_kind kind, const char *image_path);

/* The storage options: "readonly" (no value), and the message for any other. */
int vf__storage_apply_read_only(vf_storage_config *storage, const char *device,
                                const vf_option *opt, vf_error *err);
int vf__storage_unknown_option(const char *device, const vf_option *opt, vf_error *err);
/* "path", "type", "readonly" on a disk. */
int vf__disk_apply_option(vf_disk_storage_config *disk, const char *device, const vf_option *opt,
                          vf_error *err);

/* Printing: the devName must be the kind's name; ",key=value" refusing a ','.
 */
int vf__storage_check_dev_name(const vf_storage_config *storage, const char *device, vf_error *err);
int vf__storage_put_option(vf__buf *out, const char *device, const char *key, const char *json_key,
                           const char *value, vf_error *err);
/* "<kind>,path=...[,type=...][,readonly]" of a disk kind. */
int vf__disk_write(const vf_device *dev, vf__buf *out, vf_error *err);

/* The ops nvme and usb-mass-storage take as they are: devName set to the
 * kind's name, the disk options, the disk printed. */
int vf__disk_init(vf_device *dev);
int vf__disk_apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err);
int vf__disk_write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err);

#endif /* VFCONFIG_MODEL_DEVICES_DISK_H */
