/*
 * libvfconfig - the other devices: rng, balloon, serial, vsock, input, gpu.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "model/device_ops.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/numbers.h"
#include "util/str.h"

/* ---- virtio-rng and virtio-balloon: a name and nothing else ---- */

int vf__no_options_apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
{
    if (n == 0)
        return VF_OK;
    char what[48];
    snprintf(what, sizeof what, "%s devices", vf_device_kind_name(dev->kind));
    return vf__error_unknown_option(err, what, &opts[0]);
}

int vf__no_options_write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    (void)child_fd;
    (void)err;
    vf__buf_puts(out, vf_device_kind_name(dev->kind));
    return VF_OK;
}

/* ---- virtio-serial: exactly one of a log file, stdio or a pty ---- */

static int validate_serial(const vf_virtio_serial *serial, vf_error *err)
{
    bool has_log = !vf__empty(serial->log_file);
    const char *problem = NULL;
    if (has_log && serial->uses_stdio)
        problem = "'logFilePath' and 'stdio' cannot be set at the same time";
    else if (has_log && serial->uses_pty)
        problem = "'logFilePath' and 'pty' cannot be set at the same time";
    else if (serial->uses_stdio && serial->uses_pty)
        problem = "'stdio' and 'pty' cannot be set at the same time";
    else if (!has_log && !serial->uses_stdio && !serial->uses_pty)
        problem = "one of 'logFilePath', 'stdio' or 'pty' must be set";
    if (problem == NULL)
        return VF_OK;
    return vf__error(err, VF_ERR_INVALID, "virtio-serial: %s", problem);
}

int vf__virtio_serial_apply_options(vf_device *dev, const vf_option *opts, size_t n,
                                    vf_error *err)
{
    vf_virtio_serial *serial = VF__DEVICE_AS(vf_virtio_serial, dev);
    for (size_t i = 0; i < n; i++) {
        const vf_option *opt = &opts[i];
        if (vf__option_is(opt, "logFilePath")) {
            if (vf__set_option_string(&serial->log_file, opt->value, err) != VF_OK)
                return VF_ERR_NOMEM;
        } else if (vf__option_is(opt, "stdio")) {
            if (!vf__empty(opt->value))
                return vf__error_option_value(err, "virtio-serial", "unexpected value for", opt,
                                              " (it takes none)");
            serial->uses_stdio = true;
        } else if (vf__option_is(opt, "pty")) {
            serial->uses_pty = true; /* a value is ignored, as vfkit does */
        } else {
            return vf__error_unknown_option(err, "virtio-serial devices", opt);
        }
    }
    return validate_serial(serial, err);
}

int vf__virtio_serial_write_cmdline(const vf_device *dev, vf__buf *out, int child_fd,
                                    vf_error *err)
{
    const vf_virtio_serial *serial = VF__DEVICE_AS_CONST(vf_virtio_serial, dev);
    (void)child_fd;
    int rc = validate_serial(serial, err);
    if (rc != VF_OK)
        return rc;
    if (serial->uses_stdio) {
        vf__buf_puts(out, "virtio-serial,stdio");
    } else if (serial->uses_pty) {
        vf__buf_puts(out, "virtio-serial,pty");
    } else {
        vf__buf_puts(out, "virtio-serial,logFilePath=");
        rc = vf__put_printable(out, "virtio-serial", "logFilePath", serial->log_file, err);
    }
    return rc;
}

/* ---- virtio-vsock ---- */

int vf__virtio_vsock_apply_options(vf_device *dev, const vf_option *opts, size_t n,
                                   vf_error *err)
{
    vf_virtio_vsock *vsock = VF__DEVICE_AS(vf_virtio_vsock, dev);
    vsock->listen = true; /* older vfkit command lines only listened */
    for (size_t i = 0; i < n; i++) {
        const vf_option *opt = &opts[i];
        if (vf__option_is(opt, "socketURL")) {
            if (vf__set_option_string(&vsock->socket_url, opt->value, err) != VF_OK)
                return VF_ERR_NOMEM;
        } else if (vf__option_is(opt, "port")) {
            uint64_t port;
            const char *reason = NULL;
            if (vf__parse_uint_ex(vf__str(opt->value), 10, 32, &port, &reason) != VF_OK) {
                char detail[80];
                snprintf(detail, sizeof detail, " (%s: a 32-bit unsigned integer)", reason);
                return vf__error_option_value(err, "virtio-vsock", "invalid value for", opt,
                                              detail);
            }
            vsock->port = (uint32_t)port;
        } else if (vf__option_is(opt, "listen")) {
            vsock->listen = true;
        } else if (vf__option_is(opt, "connect")) {
            vsock->listen = false;
        } else {
            return vf__error_unknown_option(err, "virtio-vsock devices", opt);
        }
    }
    return VF_OK;
}

int vf__virtio_vsock_write_cmdline(const vf_device *dev, vf__buf *out, int child_fd,
                                   vf_error *err)
{
    const vf_virtio_vsock *vsock = VF__DEVICE_AS_CONST(vf_virtio_vsock, dev);
    (void)child_fd;
    if (vsock->port == 0 || vf__empty(vsock->socket_url)) {
        char quoted[96];
        return vf__error(err, VF_ERR_INVALID,
                         "virtio-vsock needs both a port and a socket URL (port %" PRIu32
                         ", socketURL \"%s\")",
                         vsock->port, vf__quote_for_message(vsock->socket_url, quoted, sizeof quoted));
    }
    vf__buf_puts(out, "virtio-vsock,port=");
    vf__buf_put_u64(out, vsock->port);
    vf__buf_puts(out, ",socketURL=");
    int rc = vf__put_printable(out, "virtio-vsock", "socketURL", vsock->socket_url, err);
    if (rc != VF_OK)
        return rc;
    vf__buf_puts(out, vsock->listen ? ",listen" : ",connect");
    return VF_OK;
}

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
        return vf__error(err, VF_ERR_INVALID,
                         "virtio-input: one of 'pointing' or 'keyboard' must be set");
    return vf__error(err, VF_ERR_INVALID,
                     "virtio-input: unknown input type \"%s\" (expected 'pointing' or 'keyboard')",
                     vf__quote_for_message(type, quoted, sizeof quoted));
}

int vf__virtio_input_apply_options(vf_device *dev, const vf_option *opts, size_t n,
                                   vf_error *err)
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

int vf__virtio_input_write_cmdline(const vf_device *dev, vf__buf *out, int child_fd,
                                   vf_error *err)
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

/* ---- virtio-gpu ---- */

static int validate_gpu(const vf_virtio_gpu *gpu, vf_error *err)
{
    if (gpu->width >= 1 && gpu->height >= 1)
        return VF_OK;
    return vf__error(err, VF_ERR_INVALID,
                     "invalid dimensions for virtio-gpu device resolution: %" PRId64 "x%" PRId64,
                     gpu->width, gpu->height);
}

int vf__virtio_gpu_apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
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

int vf__virtio_gpu_write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
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

/* ---- constructors ---- */

vf_virtio_rng *vf_virtio_rng_new(void)
{
    return VF__DEVICE_AS(vf_virtio_rng, vf_device_new(VF_DEVICE_VIRTIO_RNG));
}

vf_virtio_balloon *vf_virtio_balloon_new(void)
{
    return VF__DEVICE_AS(vf_virtio_balloon, vf_device_new(VF_DEVICE_VIRTIO_BALLOON));
}

static vf_virtio_serial *new_serial(void)
{
    return VF__DEVICE_AS(vf_virtio_serial, vf_device_new(VF_DEVICE_VIRTIO_SERIAL));
}

vf_virtio_serial *vf_virtio_serial_new(const char *log_file_path)
{
    vf_virtio_serial *serial = new_serial();
    if (serial != NULL && vf__set_string(&serial->log_file, log_file_path) != VF_OK) {
        vf_device_free(&serial->base);
        return NULL;
    }
    return serial;
}

vf_virtio_serial *vf_virtio_serial_new_stdio(void)
{
    vf_virtio_serial *serial = new_serial();
    if (serial != NULL)
        serial->uses_stdio = true;
    return serial;
}

vf_virtio_serial *vf_virtio_serial_new_pty(void)
{
    vf_virtio_serial *serial = new_serial();
    if (serial != NULL)
        serial->uses_pty = true;
    return serial;
}

vf_virtio_vsock *vf_virtio_vsock_new(uint32_t port, const char *socket_url, bool listen)
{
    vf_virtio_vsock *vsock = VF__DEVICE_AS(vf_virtio_vsock, vf_device_new(VF_DEVICE_VIRTIO_VSOCK));
    if (vsock == NULL)
        return NULL;
    vsock->port = port;
    vsock->listen = listen;
    if (vf__set_string(&vsock->socket_url, socket_url) != VF_OK) {
        vf_device_free(&vsock->base);
        return NULL;
    }
    return vsock;
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

vf_virtio_gpu *vf_virtio_gpu_new(void)
{
    vf_virtio_gpu *gpu = VF__DEVICE_AS(vf_virtio_gpu, vf_device_new(VF_DEVICE_VIRTIO_GPU));
    if (gpu != NULL) {
        gpu->width = VF_VIRTIO_GPU_DEFAULT_WIDTH;
        gpu->height = VF_VIRTIO_GPU_DEFAULT_HEIGHT;
    }
    return gpu;
}
