/*
 * libvfconfig - virtio-gpu: a display.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "launcher/krunkit.h"
#include "launcher/launcher.h"
#include "model/device_ops.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/numbers.h"
#include "util/str.h"

/* ---- virtio-gpu ---- */

static int validate_gpu(const vf_virtio_gpu *gpu, vf_error *err)
{
    if (gpu->width >= 1 && gpu->height >= 1)
        return VF_OK;
    return vf__error(err, VF_ERR_INVALID,
                     "invalid dimensions for virtio-gpu device resolution: %" PRId64 "x%" PRId64,
                     gpu->width, gpu->height);
}

static int apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
{
    vf_virtio_gpu *gpu = VF__DEVICE_AS(vf_virtio_gpu, dev);
    for (size_t i = 0; i < n; i++) {
        const vf_option *opt = &opts[i];
        bool is_width = vf__option_is(opt, "width");
        if (!is_width && !vf__option_is(opt, "height"))
            return vf__error_unknown_option(err, "virtio-gpu devices", opt);
        int64_t pixels;
        if (vf__atoi(vf__str(opt->value), &pixels) != VF_OK || pixels < 1)
            return vf__error_option_value(err, "virtio-gpu", "invalid value for", opt,
                                          " (a positive number of pixels)");
        *(is_width ? &gpu->width : &gpu->height) = pixels;
    }
    /* The default size applies only when neither dimension was given. */
    if (gpu->width == 0 && gpu->height == 0) {
        gpu->width = VF_VIRTIO_GPU_DEFAULT_WIDTH;
        gpu->height = VF_VIRTIO_GPU_DEFAULT_HEIGHT;
    }
    return validate_gpu(gpu, err);
}

static int write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    const vf_virtio_gpu *gpu = VF__DEVICE_AS_CONST(vf_virtio_gpu, dev);
    (void)child_fd;
    int rc = validate_gpu(gpu, err);
    if (rc != VF_OK)
        return rc;
    vf__buf_puts(out, "virtio-gpu,width=");
    vf__buf_put_i64(out, gpu->width);
    vf__buf_puts(out, ",height=");
    vf__buf_put_i64(out, gpu->height);
    return VF_OK;
}

vf_virtio_gpu *vf_virtio_gpu_new(void)
{
    vf_virtio_gpu *gpu = VF__DEVICE_AS(vf_virtio_gpu, vf_device_new(VF_DEVICE_VIRTIO_GPU));
    if (gpu != NULL) {
        gpu->width = VF_VIRTIO_GPU_DEFAULT_WIDTH;
        gpu->height = VF_VIRTIO_GPU_DEFAULT_HEIGHT;
    }
    return gpu;
}

static const vf__field fields[] = {
    VF__FIELD(vf_virtio_gpu, uses_gui, "usesGUI", VF__FIELD_BOOL, 0),
    VF__FIELD(vf_virtio_gpu, width, "width", VF__FIELD_INT, 0),
    VF__FIELD(vf_virtio_gpu, height, "height", VF__FIELD_INT, 0),
};

/* krunkit: width and height, both required, each a u32. */
static int write_krunkit(const vf_device *dev, vf__buf *out, int child_fd, vf__problems *p)
{
    const vf_virtio_gpu *gpu = VF__DEVICE_AS_CONST(vf_virtio_gpu, dev);
    (void)child_fd;
    if (gpu->width < 0 || gpu->width > INT64_C(4294967295) || gpu->height < 0 ||
        gpu->height > INT64_C(4294967295))
        vf__problem(p,
                    "virtio-gpu: krunkit takes a width and height of 0 to "
                    "4294967295, not %lldx%lld",
                    (long long)gpu->width, (long long)gpu->height);
    vf__buf_puts(out, "virtio-gpu,width=");
    vf__buf_put_i64(out, gpu->width);
    vf__buf_puts(out, ",height=");
    vf__buf_put_i64(out, gpu->height);
    return p->count ? VF_ERR_UNSUPPORTED : VF_OK;
}

static int read_krunkit(const char *options, vf_device **out, vf_error *err)
{
    static const char *const required[] = {"height", "width", NULL};
    vf__kv_list kv;
    int rc = vf__kv_open(options, "virtio-gpu", required, &kv, err);
    if (rc != VF_OK)
        return rc;
    const char *width = vf__kv_take(&kv, "width"), *height = vf__kv_take(&kv, "height");
    uint64_t w = 0, h = 0;
    char shown[96];
    bool width_ok = vf__rust_parse_u64(width, UINT32_MAX, &w);
    if (!width_ok || !vf__rust_parse_u64(height, UINT32_MAX, &h)) {
        /* The first bad one only, by its key. */
        const char *key = width_ok ? "height" : "width";
        rc = vf__error_at(err, VF_ERR_INVALID, key,
                          "virtio-gpu: '%s' must be 0 to 4294967295: \"%s\"", key,
                          vf__quote_for_message(width_ok ? height : width, shown, sizeof shown));
    }
    rc = vf__kv_close(&kv, "virtio-gpu", rc, err);
    vf_virtio_gpu *gpu = NULL;
    if (rc == VF_OK &&
        (gpu = VF__DEVICE_AS(vf_virtio_gpu, vf_device_new(VF_DEVICE_VIRTIO_GPU))) == NULL)
        rc = vf__error_nomem(err);
    if (rc != VF_OK)
        return rc;
    gpu->width = (int64_t)w;
    gpu->height = (int64_t)h;
    *out = &gpu->base;
    return VF_OK;
}

const vf__device_ops vf__virtio_gpu_ops =
    VF__DEVICE_OPS(VF_DEVICE_VIRTIO_GPU, "virtio-gpu", "virtiogpu", vf_virtio_gpu, NULL,
                   apply_options, write_cmdline, fields,
                   VF__LAUNCHERS(VF__SINCE_NONE, VF__SINCE_NONE, write_krunkit, read_krunkit));
