/*
 * libvfconfig - rosetta: the share of Apple's Rosetta translator.
 * SPDX-License-Identifier: Apache-2.0
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

/* ---- rosetta: its flags take no value, and any value is ignored ---- */

static int apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
{
    vf_rosetta_share *rosetta = VF__DEVICE_AS(vf_rosetta_share, dev);
    for (size_t i = 0; i < n; i++) {
        if (vf__option_is(&opts[i], "mountTag")) {
            if (vf__set_option_string(&rosetta->sharing.mount_tag, opts[i].value, err) != VF_OK)
                return VF_ERR_NOMEM;
        } else if (vf__option_is(&opts[i], "install")) {
            rosetta->install_rosetta = true;
        } else if (vf__option_is(&opts[i], "ignore-if-missing")) {
            rosetta->ignore_if_missing = true;
        } else {
            return vf__error_unknown_option(err, "rosetta share", &opts[i]);
        }
    }
    return VF_OK;
}

static int write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    const vf_rosetta_share *rosetta = VF__DEVICE_AS_CONST(vf_rosetta_share, dev);
    (void)child_fd;
    if (vf__empty(rosetta->sharing.mount_tag))
        return vf__error_at(err, VF_ERR_INVALID, "mountTag",
                            "rosetta shares require a mount tag to be specified");
    vf__buf_puts(out, "rosetta,mountTag=");
    int rc = vf__put_printable(out, "rosetta", "mountTag", rosetta->sharing.mount_tag, err);
    if (rc != VF_OK)
        return rc;
    if (rosetta->install_rosetta)
        vf__buf_puts(out, ",install");
    if (rosetta->ignore_if_missing)
        vf__buf_puts(out, ",ignore-if-missing");
    return VF_OK;
}

vf_rosetta_share *vf_rosetta_share_new(const char *mount_tag)
{
    vf_rosetta_share *rosetta = VF__DEVICE_AS(vf_rosetta_share, vf_device_new(VF_DEVICE_ROSETTA));
    if (rosetta != NULL && vf__set_string(&rosetta->sharing.mount_tag, mount_tag) != VF_OK) {
        vf_device_free(&rosetta->base);
        return NULL;
    }
    return rosetta;
}

static const vf__field fields[] = {
    VF__FIELD(vf_rosetta_share, sharing.mount_tag, "mountTag", VF__FIELD_STRING, 0),
    VF__FIELD(vf_rosetta_share, install_rosetta, "installRosetta", VF__FIELD_BOOL, 0),
    VF__FIELD(vf_rosetta_share, ignore_if_missing, "ignoreIfMissing", VF__FIELD_BOOL, 0),
};

/* vfkit: 'ignore-if-missing' arrived in v0.6.0. */
static const vf__since vfkit_since[] = {
    {"ignore-if-missing", VF__RELEASE(0, 6, 0)},
};

const vf__device_ops vf__rosetta_share_ops = VF__DEVICE_OPS(
    VF_DEVICE_ROSETTA, "rosetta", "rosetta", vf_rosetta_share, NULL, apply_options, write_cmdline,
    fields, VF__LAUNCHERS(VF__SINCE(vfkit_since), VF__SINCE_NONE, NULL, NULL));
