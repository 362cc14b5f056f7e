/*
 * libvfconfig - virtio-rng: entropy for the guest. It takes no options.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "vfconfig/vfconfig.h"
#include "model/device_ops.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"

vf_virtio_rng *vf_virtio_rng_new(void)
{
    return VF__DEVICE_AS(vf_virtio_rng, vf_device_new(VF_DEVICE_VIRTIO_RNG));
}

const vf__device_ops vf__virtio_rng_ops =
    VF__DEVICE_OPS_NO_FIELDS(VF_DEVICE_VIRTIO_RNG, "virtio-rng", "virtiorng", vf_virtio_rng);
