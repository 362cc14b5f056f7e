/*
 * libvfconfig - virtio-blk: a disk with a serial, refusing qcow2 images.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vfconfig/vfconfig.h"
#include "launcher/krunkit.h"
#include "launcher/launcher.h"
#include "model/device_ops.h"
#include "model/devices/disk.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fd.h"
#include "util/str.h"

/* The first bytes of a qcow2 image: vfkit only boots raw disks. */
static const unsigned char qcow2_magic[4] = {'Q', 'F', 'I', 0xfb};

/* ---- virtio-blk: a disk with a serial, refusing qcow2 images ---- */

/* vfkit opens the image and reads its first four bytes, as one read():
 * a missing, unreadable or empty file is refused, and so is qcow2. A file
 * shorter than four bytes but not empty passes. Unlike vfkit, the image
 * must be a regular file or a block device (docs/design.md, difference
 * 14): opening a FIFO or reading a terminal would block the caller, and
 * nothing else holds a disk. The open never blocks and never makes a
 * terminal the controlling one. */
static int check_raw_image(const char *path, vf_error *err)
{
    char quoted[128], reason[128];
    unsigned char header[sizeof qcow2_magic] = {0};
    int fd = open(vf__str(path), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return vf__error_at(err, VF_ERR_IO, "path", "virtio-blk: 'path': cannot open: %s: \"%s\"",
                            vf__errno_text(errno, reason, sizeof reason),
                            vf__quote_for_message(path, quoted, sizeof quoted));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int stat_errno = errno;
        close(fd);
        return vf__error_at(err, VF_ERR_IO, "path", "virtio-blk: 'path': cannot stat: %s: \"%s\"",
                            vf__errno_text(stat_errno, reason, sizeof reason),
                            vf__quote_for_message(path, quoted, sizeof quoted));
    }
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        close(fd);
        return vf__error_at(err, VF_ERR_IO, "path",
                            "virtio-blk: 'path' is %s, not a regular file or block device: \"%s\"",
                            vf__file_kind(st.st_mode),
                            vf__quote_for_message(path, quoted, sizeof quoted));
    }
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
    if (blk->qcow2)
        return vf__error(err, VF_ERR_UNSUPPORTED,
                         "virtio-blk: vfkit boots raw images only, not qcow2 (krunkit >= 0.2.0 "
                         "boots qcow2)");
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

int vf_virtio_blk_set_format(vf_virtio_blk *blk, vf_disk_format format)
{
    if (blk == NULL || (format != VF_DISK_FORMAT_RAW && format != VF_DISK_FORMAT_QCOW2))
        return VF_ERR_INVALID;
    blk->qcow2 = format == VF_DISK_FORMAT_QCOW2;
    return VF_OK;
}

static const vf__field fields[] = {
    VF__DISK_FIELDS(vf_virtio_blk),
    VF__FIELD(vf_virtio_blk, device_identifier, "deviceIdentifier", VF__FIELD_STRING,
              VF__FIELD_OMITEMPTY),
    VF__FIELD(vf_virtio_blk, qcow2, "krunkitQcow2", VF__FIELD_BOOL, VF__FIELD_OMITEMPTY),
};

/* vfkit: 'readonly' arrived in v0.6.0, 'type' in v0.6.2. krunkit:
 * 'format' in v0.2.0 (before, raw images only). */
static const vf__since vfkit_since[] = {
    {"readonly", VF__RELEASE(0, 6, 0)},
    {"type", VF__RELEASE(0, 6, 2)},
};
static const vf__since krunkit_since[] = {
    {"format", VF__RELEASE(0, 2, 0)},
};

/* krunkit: path (required) and format=raw|qcow2; nothing else. */
static int write_krunkit(const vf_device *dev, vf__buf *out, int child_fd, vf__problems *p)
{
    const vf_virtio_blk *blk = VF__DEVICE_AS_CONST(vf_virtio_blk, dev);
    (void)child_fd;
    if (blk->disk.storage.read_only)
        vf__krunkit_lacks(p, "virtio-blk", "readonly", VF__RELEASE(0, 6, 0));
    if (!vf__empty(blk->disk.type) && strcmp(blk->disk.type, VF_DISK_BACKEND_IMAGE) != 0)
        vf__krunkit_lacks(p, "virtio-blk", "type", VF__RELEASE(0, 6, 2));
    if (!vf__empty(blk->device_identifier))
        vf__krunkit_lacks(p, "virtio-blk", "deviceId", 0);
    vf__buf_puts(out, "virtio-blk");
    vf__krunkit_put(out, "virtio-blk", "path", blk->disk.image_path, p);
    if (blk->qcow2)
        vf__buf_puts(out, ",format=qcow2");
    return p->count ? VF_ERR_UNSUPPORTED : VF_OK;
}

static int read_krunkit(const char *options, vf_device **out, vf_error *err)
{
    static const char *const required[] = {"path", NULL};
    char shown[96];
    vf__kv_list kv;
    int rc = vf__kv_open(options, "virtio-blk", required, &kv, err);
    if (rc != VF_OK)
        return rc;
    const char *format = vf__kv_take(&kv, "format");
    /* DiskImageFormat::from_str lower-cases the value first. */
    bool qcow2 = format != NULL && vf__ascii_case_equal(format, "qcow2");
    if (format != NULL && !qcow2 && !vf__ascii_case_equal(format, "raw"))
        rc = vf__error_at(err, VF_ERR_INVALID, "format",
                          "virtio-blk: unsupported disk image format: \"%s\"",
                          vf__quote_for_message(format, shown, sizeof shown));
    vf_virtio_blk *blk = NULL;
    if (rc == VF_OK && (blk = vf_virtio_blk_new(NULL)) == NULL)
        rc = vf__error_nomem(err);
    if (rc == VF_OK)
        rc = vf__krunkit_copy(&blk->disk.image_path, vf__kv_take(&kv, "path"), err);
    rc = vf__kv_close(&kv, "virtio-blk", rc, err);
    if (rc != VF_OK) {
        vf_device_free((vf_device *)(void *)blk);
        return rc;
    }
    blk->qcow2 = qcow2;
    *out = &blk->base;
    return VF_OK;
}

const vf__device_ops vf__virtio_blk_ops = VF__DEVICE_OPS(
    VF_DEVICE_VIRTIO_BLK, "virtio-blk", "virtioblk", vf_virtio_blk, vf__disk_init, apply_options,
    write_cmdline, fields,
    VF__LAUNCHERS(VF__SINCE(vfkit_since), VF__SINCE(krunkit_since), write_krunkit, read_krunkit));
