/*
 * libvfconfig - virtio-blk: a disk with a serial, refusing qcow2 images.
 * SPDX-License-Identifier: Apache-2.0
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
#include "util/str.h"
#include "model/devices/disk.h"

/* The first bytes of a qcow2 image: vfkit only boots raw disks. */
static const unsigned char qcow2_magic[4] = {'Q', 'F', 'I', 0xfb};

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
        return vf__error_at(err, VF_ERR_IO, "path", "virtio-blk: 'path': cannot open: %s: \"%s\"",
                            vf__errno_text(errno, reason, sizeof reason),
                            vf__quote_for_message(path, quoted, sizeof quoted));
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
        return vf__error_at(err, VF_ERR_IO, "path",
                            "virtio-blk: 'path': cannot read the header: %s: \"%s\"", reason,
                            vf__quote_for_message(path, quoted, sizeof quoted));
    }
    if (memcmp(header, qcow2_magic, sizeof qcow2_magic) == 0)
        return vf__error_at(err, VF_ERR_INVALID, "path",
                            "virtio-blk: 'path' is a qcow2 image, which vfkit does "
                            "not support: \"%s\"",
                            vf__quote_for_message(path, quoted, sizeof quoted));
    return VF_OK;
}

static int apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
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
        int rc = vf__disk_apply_option(&blk->disk, "virtio-blk", &opts[i], err);
        if (rc != VF_OK)
            return rc;
    }
    return check_raw_image(blk->disk.image_path, err);
}

static int write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    const vf_virtio_blk *blk = VF__DEVICE_AS_CONST(vf_virtio_blk, dev);
    (void)child_fd;
    int rc = vf__disk_write(dev, out, err);
    if (rc == VF_OK && !vf__empty(blk->device_identifier))
        rc = vf__storage_put_option(out, "virtio-blk", "deviceId", "deviceIdentifier",
                                    blk->device_identifier, err);
    return rc;
}

vf_virtio_blk *vf_virtio_blk_new(const char *image_path)
{
    return VF__DEVICE_AS(vf_virtio_blk, vf__disk_new(VF_DEVICE_VIRTIO_BLK, image_path));
}

int vf_virtio_blk_set_device_identifier(vf_virtio_blk *blk, const char *device_id)
{
    if (blk == NULL)
        return VF_ERR_INVALID;
    return vf__set_string(&blk->device_identifier, device_id);
}

static const vf__field fields[] = {
    VF__DISK_FIELDS(vf_virtio_blk),
    VF__FIELD(vf_virtio_blk, device_identifier, "deviceIdentifier", VF__FIELD_STRING,
              VF__FIELD_OMITEMPTY),
};

const vf__device_ops vf__virtio_blk_ops =
    VF__DEVICE_OPS(VF_DEVICE_VIRTIO_BLK, "virtio-blk", "virtioblk", vf_virtio_blk, vf__disk_init,
                   apply_options, write_cmdline, fields);
