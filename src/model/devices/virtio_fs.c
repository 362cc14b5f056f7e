/*
 * libvfconfig - virtio-fs: a shared directory.
 * SPDX-License-Identifier: Apache-2.0
 *
 * It does not check its options when parsing, as in the Go package: a share
 * without a directory or a tag is refused only when it is printed.
 */
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "launcher/krunkit.h"
#include "launcher/launcher.h"
#include "model/device_ops.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"

/* ---- virtio-fs ---- */

static int apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
{
    vf_virtio_fs *fs = VF__DEVICE_AS(vf_virtio_fs, dev);
    for (size_t i = 0; i < n; i++) {
        int rc;
        if (vf__option_is(&opts[i], "sharedDir"))
            rc = vf__set_option_string(&fs->shared_dir, opts[i].value, err);
        else if (vf__option_is(&opts[i], "mountTag"))
            rc = vf__set_option_string(&fs->sharing.mount_tag, opts[i].value, err);
        else
            rc = vf__error_unknown_option(err, "virtio-fs devices", &opts[i]);
        if (rc != VF_OK)
            return rc;
    }
    return VF_OK;
}

static int write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    const vf_virtio_fs *fs = VF__DEVICE_AS_CONST(vf_virtio_fs, dev);
    (void)child_fd;
    if (vf__empty(fs->shared_dir))
        return vf__error_at(err, VF_ERR_INVALID, "sharedDir",
                            "virtio-fs needs the path to the directory to share");
    vf__buf_puts(out, "virtio-fs,sharedDir=");
    int rc = vf__put_printable(out, "virtio-fs", "sharedDir", fs->shared_dir, err);
    if (rc == VF_OK && !vf__empty(fs->sharing.mount_tag)) {
        vf__buf_puts(out, ",mountTag=");
        rc = vf__put_printable(out, "virtio-fs", "mountTag", fs->sharing.mount_tag, err);
    }
    return rc;
}

vf_virtio_fs *vf_virtio_fs_new(const char *shared_dir, const char *mount_tag)
{
    vf_virtio_fs *fs = VF__DEVICE_AS(vf_virtio_fs, vf_device_new(VF_DEVICE_VIRTIO_FS));
    if (fs == NULL)
        return NULL;
    if (vf__set_string(&fs->shared_dir, shared_dir) != VF_OK ||
        vf__set_string(&fs->sharing.mount_tag, mount_tag) != VF_OK) {
        vf_device_free((vf_device *)(void *)fs);
        return NULL;
    }
    return fs;
}

static const vf__field fields[] = {
    VF__FIELD(vf_virtio_fs, sharing.mount_tag, "mountTag", VF__FIELD_STRING, 0),
    VF__FIELD(vf_virtio_fs, shared_dir, "sharedDir", VF__FIELD_STRING, 0),
};

/* krunkit: sharedDir and mountTag, both required. */
static int write_krunkit(const vf_device *dev, vf__buf *out, int child_fd, vf__problems *p)
{
    const vf_virtio_fs *fs = VF__DEVICE_AS_CONST(vf_virtio_fs, dev);
    (void)child_fd;
    vf__buf_puts(out, "virtio-fs");
    vf__krunkit_put(out, "virtio-fs", "sharedDir", fs->shared_dir, p);
    vf__krunkit_put(out, "virtio-fs", "mountTag", fs->sharing.mount_tag, p);
    return p->count ? VF_ERR_UNSUPPORTED : VF_OK;
}

static int read_krunkit(const char *options, vf_device **out, vf_error *err)
{
    static const char *const required[] = {"sharedDir", "mountTag", NULL};
    vf__kv_list kv;
    int rc = vf__kv_open(options, "virtio-fs", required, &kv, err);
    if (rc != VF_OK)
        return rc;
    vf_virtio_fs *fs = VF__DEVICE_AS(vf_virtio_fs, vf_device_new(VF_DEVICE_VIRTIO_FS));
    if (fs == NULL)
        rc = vf__error_nomem(err);
    if (rc == VF_OK)
        rc = vf__krunkit_copy(&fs->shared_dir, vf__kv_take(&kv, "sharedDir"), err);
    if (rc == VF_OK)
        rc = vf__krunkit_copy(&fs->sharing.mount_tag, vf__kv_take(&kv, "mountTag"), err);
    return vf__kv_finish(&kv, "virtio-fs", rc, (vf_device *)(void *)fs, out, err);
}

const vf__device_ops vf__virtio_fs_ops = VF__DEVICE_OPS(
    VF_DEVICE_VIRTIO_FS, "virtio-fs", "virtiofs", vf_virtio_fs, NULL, apply_options, write_cmdline,
    fields, VF__LAUNCHERS(VF__SINCE_NONE, VF__SINCE_NONE, write_krunkit, read_krunkit));
