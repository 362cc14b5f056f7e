/*
 * libvfconfig - virtio-rng: entropy for the guest. It takes no options.
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

vf_virtio_rng *vf_virtio_rng_new(void)
{
    return VF__DEVICE_AS(vf_virtio_rng, vf_device_new(VF_DEVICE_VIRTIO_RNG));
}

/* krunkit: "virtio-rng", and whatever follows its ',' is ignored. */
static int write_krunkit(const vf_device *dev, vf__buf *out, int child_fd, vf__problems *p)
{
    (void)dev;
    (void)child_fd;
    (void)p;
    vf__buf_puts(out, "virtio-rng");
    return VF_OK;
}

static int read_krunkit(const char *options, vf_device **out, vf_error *err)
{
    (void)options;
    *out = vf_device_new(VF_DEVICE_VIRTIO_RNG);
    return *out != NULL ? VF_OK : vf__error_nomem(err);
}

const vf__device_ops vf__virtio_rng_ops = VF__DEVICE_OPS_NO_FIELDS(
    VF_DEVICE_VIRTIO_RNG, "virtio-rng", "virtiorng", vf_virtio_rng,
    VF__LAUNCHERS(VF__SINCE_NONE, VF__SINCE_NONE, write_krunkit, read_krunkit));
