/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file device.h
 * @brief What every device has in common: its kind, parsing and printing.
 *
 * Every device struct (storage.h, network.h, sharing.h, peripherals.h)
 * starts with a ::vf_device whose `kind` tells the type. Pass `&dev->base`
 * where a `vf_device *` is wanted; use the checked casts
 * (`vf_device_as_virtio_blk()`, ...) to go back.
 */
#ifndef VFCONFIG_DEVICE_H
#define VFCONFIG_DEVICE_H

#include "common.h"
#include "options.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Device types, one per vfkit `--device` type. */
typedef enum vf_device_kind {
    VF_DEVICE_VIRTIO_BLK,       /**< `virtio-blk`: a disk image or block device. */
    VF_DEVICE_NVME,             /**< `nvme`: an NVM Express controller. */
    VF_DEVICE_USB_MASS_STORAGE, /**< `usb-mass-storage`: a USB disk. */
    VF_DEVICE_NBD,              /**< `nbd`: a network block device. */
    VF_DEVICE_VIRTIO_FS,        /**< `virtio-fs`: a shared directory. */
    VF_DEVICE_ROSETTA,          /**< `rosetta`: the Rosetta share. */
    VF_DEVICE_VIRTIO_NET,       /**< `virtio-net`: a network interface. */
    VF_DEVICE_VIRTIO_RNG,       /**< `virtio-rng`: entropy. */
    VF_DEVICE_VIRTIO_BALLOON,   /**< `virtio-balloon`: memory balloon. */
    VF_DEVICE_VIRTIO_SERIAL,    /**< `virtio-serial`: a serial console. */
    VF_DEVICE_VIRTIO_VSOCK,     /**< `virtio-vsock`: a vsock port bridged to a unix socket. */
    VF_DEVICE_VIRTIO_INPUT,     /**< `virtio-input`: keyboard or pointing device. */
    VF_DEVICE_VIRTIO_GPU        /**< `virtio-gpu`: a display. */
} vf_device_kind;

/** Number of ::vf_device_kind values. */
#define VF_DEVICE_KIND_COUNT 13

/** Common head of every device struct. */
typedef struct vf_device {
    vf_device_kind kind; /**< Which device struct this is the head of. */
} vf_device;

/** vfkit's name for @p kind ("virtio-blk", ...), or NULL for a bad value. */
VF_EXTERN const char *vf_device_kind_name(vf_device_kind kind);

/** The kind whose vfkit name is @p name; 0 on success, ::VF_ERR_INVALID if none. */
VF_EXTERN int vf_device_kind_from_name(const char *name, vf_device_kind *out);

/**
 * An empty device of @p kind, as vfkit creates it before reading options
 * (storage devices get their devName, nbd its 15 s timeout and full sync).
 * NULL on allocation failure. Caller frees with vf_device_free().
 */
VF_EXTERN vf_device *vf_device_new(vf_device_kind kind);

/** Frees any device and what it owns (never a descriptor). NULL is a no-op. */
VF_EXTERN void vf_device_free(vf_device *dev);

/** Deep copy; NULL on allocation failure. Caller frees with vf_device_free(). */
VF_EXTERN vf_device *vf_device_clone(const vf_device *dev);

/**
 * Applies options to @p dev as the Go package's FromOptions does, validation
 * included (virtio-blk opens its image to refuse qcow2, as vfkit does).
 * Returns 0 or a negative ::vf_status; the message names option and value.
 */
VF_EXTERN int vf_device_apply_options(vf_device *dev, const vf_option *opts, size_t n,
                                      vf_error *err);

/**
 * Parses one `--device` value ("virtio-blk,path=disk.img,readonly").
 * Caller frees with vf_device_free(); NULL on error.
 */
VF_EXTERN vf_device *vf_device_from_cmdline(const char *value, vf_error *err);

/**
 * The two arguments `--device VALUE` for @p dev, byte-identical to the Go
 * package's ToCmdLine. Fails as the Go package does on an incomplete device,
 * and with ::VF_ERR_AMBIGUOUS where vfkit would read the value back as a
 * different device (a `,` in a field, a devName that is not the kind's
 * name). Free with vf_strv_free().
 */
VF_EXTERN char **vf_device_to_cmdline(const vf_device *dev, vf_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_DEVICE_H */
