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

/**
 * The device kinds, one per vfkit `--device` type: the one list from which
 * the ::vf_device_kind enum, ::VF_DEVICE_KIND_COUNT, the checked casts and
 * the library's kind table are made. `XX(KIND, type)` gives the enum suffix
 * (`VF_DEVICE_KIND`) and the struct's name without `vf_` (`vf_type`, reached
 * with `vf_device_as_type()` and `vf_device_as_type_const()`).
 *
 * | kind             | `--device`         | struct                      |
 * |------------------|--------------------|-----------------------------|
 * | VIRTIO_BLK       | `virtio-blk`       | ::vf_virtio_blk (a disk image or block device) |
 * | NVME             | `nvme`             | ::vf_nvm_express_controller |
 * | USB_MASS_STORAGE | `usb-mass-storage` | ::vf_usb_mass_storage       |
 * | NBD              | `nbd`              | ::vf_network_block_device   |
 * | VIRTIO_FS        | `virtio-fs`        | ::vf_virtio_fs (a shared directory) |
 * | ROSETTA          | `rosetta`          | ::vf_rosetta_share          |
 * | VIRTIO_NET       | `virtio-net`       | ::vf_virtio_net (a network interface) |
 * | VIRTIO_RNG       | `virtio-rng`       | ::vf_virtio_rng (entropy)   |
 * | VIRTIO_BALLOON   | `virtio-balloon`   | ::vf_virtio_balloon (memory balloon) |
 * | VIRTIO_SERIAL    | `virtio-serial`    | ::vf_virtio_serial (a serial console) |
 * | VIRTIO_VSOCK     | `virtio-vsock`     | ::vf_virtio_vsock (a vsock port on a unix socket) |
 * | VIRTIO_INPUT     | `virtio-input`     | ::vf_virtio_input (keyboard or pointing device) |
 * | VIRTIO_GPU       | `virtio-gpu`       | ::vf_virtio_gpu (a display) |
 *
 * New kinds are added at the end, so the values of the others never change.
 */
#define VF_DEVICE_KIND_MAP(XX)             \
    XX(VIRTIO_BLK, virtio_blk)             \
    XX(NVME, nvm_express_controller)       \
    XX(USB_MASS_STORAGE, usb_mass_storage) \
    XX(NBD, network_block_device)          \
    XX(VIRTIO_FS, virtio_fs)               \
    XX(ROSETTA, rosetta_share)             \
    XX(VIRTIO_NET, virtio_net)             \
    XX(VIRTIO_RNG, virtio_rng)             \
    XX(VIRTIO_BALLOON, virtio_balloon)     \
    XX(VIRTIO_SERIAL, virtio_serial)       \
    XX(VIRTIO_VSOCK, virtio_vsock)         \
    XX(VIRTIO_INPUT, virtio_input)         \
    XX(VIRTIO_GPU, virtio_gpu)

/** @cond INTERNAL */
#define VF__DEVICE_KIND_ENUM(K, T) VF_DEVICE_##K,
#define VF__DEVICE_KIND_ONE(K, T) +1
/** @endcond */

/** Device types, one per vfkit `--device` type (see ::VF_DEVICE_KIND_MAP). */
typedef enum vf_device_kind { VF_DEVICE_KIND_MAP(VF__DEVICE_KIND_ENUM) } vf_device_kind;

/** Number of ::vf_device_kind values. */
#define VF_DEVICE_KIND_COUNT (0 VF_DEVICE_KIND_MAP(VF__DEVICE_KIND_ONE))

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
 * The image is opened without blocking and must be a regular file or a
 * block device: a FIFO, a character device or a directory is refused with
 * ::VF_ERR_IO located at `path`, as an image that cannot be read
 * (docs/design.md, difference 14).
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
 * name). A unix socket path (virtio-net `unixSocketPath`, virtio-vsock
 * `socketURL`) longer than ::VF_RESTFUL_UNIX_PATH_MAX bytes, which vfkit
 * cannot use on macOS, is refused with ::VF_ERR_LIMIT located at the field
 * (docs/design.md, difference 15); reading such a path is accepted, as
 * vfkit accepts it. Free with vf_strv_free().
 */
VF_EXTERN char **vf_device_to_cmdline(const vf_device *dev, vf_error *err);

/** @cond INTERNAL */
#define VF__DEVICE_KIND_CASTS(K, T)                     \
    typedef struct vf_##T vf_##T;                       \
    VF_EXTERN vf_##T *vf_device_as_##T(vf_device *dev); \
    VF_EXTERN const vf_##T *vf_device_as_##T##_const(const vf_device *dev);
/** @endcond */

/**
 * @name Checked casts
 * For each kind, `vf_device_as_TYPE(dev)` returns @p dev as its struct
 * (`vf_TYPE *`) when @p dev is a device of that kind, and NULL otherwise
 * (NULL included); `vf_device_as_TYPE_const()` does the same for a const
 * device. `vf_device_as_virtio_blk()`, `vf_device_as_virtio_net_const()`, ...
 * @{
 */
VF_DEVICE_KIND_MAP(VF__DEVICE_KIND_CASTS)
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_DEVICE_H */
