/*
 * libvfconfig - nvme: an NVM Express controller on a disk image.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "vfconfig/vfconfig.h"
#include "launcher/krunkit.h"
#include "launcher/launcher.h"
#include "model/device_ops.h"
#include "model/devices/disk.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"

vf_nvm_express_controller *vf_nvm_express_controller_new(const char *image_path)
{
    return VF__DEVICE_AS(vf_nvm_express_controller, vf__disk_new(VF_DEVICE_NVME, image_path));
}

static const vf__field fields[] = {VF__DISK_FIELDS(vf_nvm_express_controller)};

/* vfkit: nvme arrived in v0.6.0, its 'type' option in v0.6.2. */
static const vf__since vfkit_since[] = {
    {NULL, VF__RELEASE(0, 6, 0)},
    {"type", VF__RELEASE(0, 6, 2)},
};

const vf__device_ops vf__nvm_express_controller_ops =
    VF__DEVICE_OPS(VF_DEVICE_NVME, "nvme", "nvme", vf_nvm_express_controller, vf__disk_init,
                   vf__disk_apply_options, vf__disk_write_cmdline, fields,
                   VF__LAUNCHERS(VF__SINCE(vfkit_since), VF__SINCE_NONE, NULL, NULL));
