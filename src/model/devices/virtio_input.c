/*
 * libvfconfig - virtio-input: a keyboard or a pointing device.
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

/* ---- virtio-input ---- */

static bool is_input_type(const char *type)
{
    return strcmp(type, VF_VIRTIO_INPUT_POINTING) == 0 ||
           strcmp(type, VF_VIRTIO_INPUT_KEYBOARD) == 0;
}

static int validate_input(const char *type, vf_error *err)
{
    char quoted[96];
    if (is_input_type(vf__str(type)))
        return VF_OK;
    if (vf__empty(type))
        return vf__error_at(err, VF_ERR_INVALID, "inputType",
                            "virtio-input: one of 'pointing' or 'keyboard' must be set");
    return vf__error_at(err, VF_ERR_INVALID, "inputType",
                        "virtio-input: unknown input type (expected 'pointing' or 'keyboard'): "
                        "\"%s\"",
                        vf__quote_for_message(type, quoted, sizeof quoted));
}

static int apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
{
    vf_virtio_input *input = VF__DEVICE_AS(vf_virtio_input, dev);
    for (size_t i = 0; i < n; i++) {
        const vf_option *opt = &opts[i];
        if (!is_input_type(vf__str(opt->key)))
            return vf__error_unknown_option(err, "virtio-input devices", opt);
        if (!vf__empty(opt->value))
            return vf__error_option_value(err, "virtio-input", "unexpected value for", opt,
                                          " (it takes none)");
        if (vf__set_option_string(&input->input_type, opt->key, err) != VF_OK)
            return VF_ERR_NOMEM;
    }
    return validate_input(input->input_type, err);
}

static int write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    const vf_virtio_input *input = VF__DEVICE_AS_CONST(vf_virtio_input, dev);
    (void)child_fd;
    int rc = validate_input(input->input_type, err);
    if (rc != VF_OK)
        return rc;
    vf__buf_puts(out, "virtio-input,");
    vf__buf_puts(out, input->input_type);
    return VF_OK;
}

vf_virtio_input *vf_virtio_input_new(const char *input_type, vf_error *err)
{
    if (validate_input(input_type, err) != VF_OK)
        return NULL;
    vf_virtio_input *input = VF__DEVICE_AS(vf_virtio_input, vf_device_new(VF_DEVICE_VIRTIO_INPUT));
    if (input == NULL || vf__set_string(&input->input_type, input_type) != VF_OK) {
        vf_device_free(input ? &input->base : NULL);
        vf__error_nomem(err);
        return NULL;
    }
    return input;
}

static const vf__field fields[] = {
    VF__FIELD(vf_virtio_input, input_type, "inputType", VF__FIELD_STRING, 0),
};

/* krunkit: exactly one of `keyboard` or `pointing`, without a value. */
static int write_krunkit(const vf_device *dev, vf__buf *out, int child_fd, vf__problems *p)
{
    const vf_virtio_input *input = VF__DEVICE_AS_CONST(vf_virtio_input, dev);
    (void)child_fd;
    if (!is_input_type(vf__str(input->input_type)))
        vf__problem(p, "virtio-input: krunkit takes keyboard or pointing, not \"%s\"",
                    vf__str(input->input_type));
    vf__buf_puts(out, "virtio-input,");
    vf__buf_puts(out, vf__str(input->input_type));
    return p->count ? VF_ERR_UNSUPPORTED : VF_OK;
}

static int read_krunkit(const char *options, vf_device **out, vf_error *err)
{
    char shown[96];
    vf__kv_list kv;
    int rc = vf__kv_open(options, "virtio-input", NULL, &kv, err);
    if (rc != VF_OK)
        return rc;
    const vf__kv *only = &kv.items[0];
    bool only_ok = only->value[0] == '\0' && is_input_type(only->key);
    if (kv.n != 1 || !only_ok) {
        /* The key at fault: the first, or the one after a good first. */
        char key[96];
        vf__quote_for_message(kv.items[only_ok ? 1 : 0].key, key, sizeof key);
        rc = vf__error_at(err, VF_ERR_INVALID, key,
                          "invalid virtio-input config: one of keyboard or pointing: \"%s\"",
                          vf__quote_for_message(options, shown, sizeof shown));
    }
    vf_virtio_input *input = rc == VF_OK ? vf_virtio_input_new(only->key, err) : NULL;
    if (rc == VF_OK && input == NULL)
        rc = VF_ERR_NOMEM;
    vf__kv_release(&kv);
    if (rc == VF_OK)
        *out = &input->base;
    return rc;
}

const vf__device_ops vf__virtio_input_ops =
    VF__DEVICE_OPS(VF_DEVICE_VIRTIO_INPUT, "virtio-input", "virtioinput", vf_virtio_input, NULL,
                   apply_options, write_cmdline, fields,
                   VF__LAUNCHERS(VF__SINCE_NONE, VF__SINCE_NONE, write_krunkit, read_krunkit));
