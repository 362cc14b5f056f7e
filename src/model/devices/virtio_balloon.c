/*
 * libvfconfig - virtio-balloon: a memory balloon. It takes no options.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "vfconfig/vfconfig.h"
#include "launcher/krunkit.h"
#include "launcher/launcher.h"
#include "model/device_ops.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"

vf_virtio_balloon *vf_virtio_balloon_new(void)
{
    return VF__DEVICE_AS(vf_virtio_balloon, vf_device_new(VF_DEVICE_VIRTIO_BALLOON));
}

/* vfkit: virtio-balloon arrived in v0.6.1. */
static const vf__since vfkit_since[] = {
    {NULL, VF__RELEASE(0, 6, 1)},
};

const vf__device_ops vf__virtio_balloon_ops = VF__DEVICE_OPS_NO_FIELDS(
    VF_DEVICE_VIRTIO_BALLOON, "virtio-balloon", "virtioballoon", vf_virtio_balloon,
    VF__LAUNCHERS(VF__SINCE(vfkit_since), VF__SINCE_NONE, NULL, NULL));
