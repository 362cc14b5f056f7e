/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file storage.h
 * @brief Disks: virtio-blk, NVMe, USB mass storage and network block devices.
 */
#ifndef VFCONFIG_STORAGE_H
#define VFCONFIG_STORAGE_H

#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Disk backend types for vf_disk_storage_config::type. */
#define VF_DISK_BACKEND_IMAGE "image" /**< A disk image file (the default). */
#define VF_DISK_BACKEND_DEV "dev"     /**< A real block device such as /dev/disk4. */

/* NBD synchronization modes for vf_network_block_device::synchronization_mode. */
#define VF_NBD_SYNC_FULL "full" /**< NBD: flush writes to the server (the default). */
#define VF_NBD_SYNC_NONE "none" /**< NBD: do not wait for the server to store writes. */

/** What every storage device has (Go: StorageConfig). */
typedef struct vf_storage_config {
    /** The device type as printed on the command line ("virtio-blk", ...). */
    char *dev_name;
    bool read_only; /**< `readonly`: the guest cannot write. */
} vf_storage_config;

/** A storage device backed by a local file (Go: DiskStorageConfig). */
typedef struct vf_disk_storage_config {
    vf_storage_config storage; /**< devName and read-only flag. */
    char *image_path;          /**< `path`: the image file or block device. */
    /** NULL or "" (default: image), ::VF_DISK_BACKEND_IMAGE or ::VF_DISK_BACKEND_DEV. */
    char *type;
} vf_disk_storage_config;

/** A storage device backed by a remote server (Go: NetworkBlockStorageConfig). */
typedef struct vf_network_block_storage_config {
    vf_storage_config storage; /**< devName and read-only flag. */
    char *uri;                 /**< `uri`: nbd://, nbds://, nbd+unix:// or nbds+unix://. */
} vf_network_block_storage_config;

/** `virtio-blk` (Go: VirtioBlk). */
typedef struct vf_virtio_blk {
    vf_device base;              /**< Common head; `kind` is `VF_DEVICE_VIRTIO_BLK`. */
    vf_disk_storage_config disk; /**< The image and its options. */
    char *device_identifier;     /**< `deviceId`: shows in the guest as the disk serial. */
    /**
     * The image is qcow2: krunkit's `format=qcow2` (vfkit boots raw images
     * only and refuses it). JSON "krunkitQcow2", which the Go package ignores.
     */
    bool qcow2;
} vf_virtio_blk;

/** `nvme` (Go: NVMExpressController). */
typedef struct vf_nvm_express_controller {
    vf_device base;              /**< Common head; `kind` is `VF_DEVICE_NVME`. */
    vf_disk_storage_config disk; /**< The image and its options. */
} vf_nvm_express_controller;

/** `usb-mass-storage` (Go: USBMassStorage). */
typedef struct vf_usb_mass_storage {
    vf_device base;              /**< Common head; `kind` is `VF_DEVICE_USB_MASS_STORAGE`. */
    vf_disk_storage_config disk; /**< The image and its options. */
} vf_usb_mass_storage;

/** `nbd` (Go: NetworkBlockDevice). */
typedef struct vf_network_block_device {
    vf_device base;                          /**< Common head; `kind` is `VF_DEVICE_NBD`. */
    vf_network_block_storage_config network; /**< The server's URI and options. */
    char *device_identifier; /**< `deviceId`: shows in the guest as the disk serial. */
    /** Connection timeout in nanoseconds (Go's time.Duration); printed in ms when > 0. */
    int64_t timeout_ns;
    /** ::VF_NBD_SYNC_FULL or ::VF_NBD_SYNC_NONE (JSON may hold other strings). */
    char *synchronization_mode;
} vf_network_block_device;

/** Formats of a disk image (krunkit's `format=`). */
typedef enum vf_disk_format {
    VF_DISK_FORMAT_RAW = 0, /**< Raw bytes: vfkit and krunkit. */
    VF_DISK_FORMAT_QCOW2    /**< qcow2: krunkit only. */
} vf_disk_format;

/** New virtio-blk disk on @p image_path (raw format). NULL on allocation failure. */
VF_EXTERN vf_virtio_blk *vf_virtio_blk_new(const char *image_path);
/** Sets `deviceId` (copied). 0, ::VF_ERR_INVALID for a NULL device, or ::VF_ERR_NOMEM. */
VF_EXTERN int vf_virtio_blk_set_device_identifier(vf_virtio_blk *blk, const char *device_id);
/** Sets the image's format (vf_virtio_blk::qcow2). 0, or ::VF_ERR_INVALID for a bad value. */
VF_EXTERN int vf_virtio_blk_set_format(vf_virtio_blk *blk, vf_disk_format format);

/** New NVMe controller on @p image_path (raw format). NULL on allocation failure. */
VF_EXTERN vf_nvm_express_controller *vf_nvm_express_controller_new(const char *image_path);

/** New USB disk on @p image_path (raw or ISO). NULL on allocation failure. */
VF_EXTERN vf_usb_mass_storage *vf_usb_mass_storage_new(const char *image_path);
/** Marks the USB disk read-only or writable. */
VF_EXTERN void vf_usb_mass_storage_set_read_only(vf_usb_mass_storage *usb, bool read_only);

/**
 * New NBD disk for @p uri (`nbd://host:port/export`, `nbds://`, `nbd+unix://`,
 * `nbds+unix://`), @p timeout_ms milliseconds of timeout and @p sync_mode
 * (::VF_NBD_SYNC_FULL or ::VF_NBD_SYNC_NONE). NULL on allocation failure.
 */
VF_EXTERN vf_network_block_device *vf_network_block_device_new(const char *uri, uint32_t timeout_ms,
                                                               const char *sync_mode);
/** Sets the NBD `deviceId` (copied). 0, ::VF_ERR_INVALID for a NULL device, or
 * ::VF_ERR_NOMEM. */
VF_EXTERN int vf_network_block_device_set_device_identifier(vf_network_block_device *nbd,
                                                            const char *device_id);

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_STORAGE_H */
