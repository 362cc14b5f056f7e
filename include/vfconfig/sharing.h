/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file sharing.h
 * @brief Directory sharing: virtio-fs and the Rosetta share.
 */
#ifndef VFCONFIG_SHARING_H
#define VFCONFIG_SHARING_H

#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What every directory share has (Go: DirectorySharingConfig). */
typedef struct vf_directory_sharing_config {
    /** The tag the guest mounts: `mount -t virtiofs TAG /mnt`. */
    char *mount_tag;
} vf_directory_sharing_config;

/** `virtio-fs` (Go: VirtioFs). */
typedef struct vf_virtio_fs {
    vf_device base;                      /**< Common head; `kind` is `VF_DEVICE_VIRTIO_FS`. */
    vf_directory_sharing_config sharing; /**< The mount tag. */
    char *shared_dir;                    /**< Host directory to share. */
} vf_virtio_fs;

/** `rosetta` (Go: RosettaShare): runs x86_64 Linux binaries on Apple silicon. */
typedef struct vf_rosetta_share {
    vf_device base;                      /**< Common head; `kind` is `VF_DEVICE_ROSETTA`. */
    vf_directory_sharing_config sharing; /**< The mount tag. */
    bool install_rosetta;                /**< `install`: install Rosetta on the host if missing. */
    bool ignore_if_missing; /**< `ignore-if-missing`: start without it when unavailable. */
} vf_rosetta_share;

/** New share of @p shared_dir under @p mount_tag (both copied). NULL on allocation failure. */
VF_EXTERN vf_virtio_fs *vf_virtio_fs_new(const char *shared_dir, const char *mount_tag);

/** New Rosetta share under @p mount_tag (copied). NULL on allocation failure. */
VF_EXTERN vf_rosetta_share *vf_rosetta_share_new(const char *mount_tag);

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_SHARING_H */
