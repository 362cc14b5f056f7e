/*
 * libvfconfig - virtio-serial: a serial console on a log file, stdio or a pty.
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

static int apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
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

static int write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
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
        if (rc != VF_OK)
            vf__error_locate(err, "logFile");
    }
    return rc;
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

static const vf__field fields[] = {
    VF__FIELD(vf_virtio_serial, log_file, "logFile", VF__FIELD_STRING, VF__FIELD_OMITEMPTY),
    VF__FIELD(vf_virtio_serial, uses_stdio, "usesStdio", VF__FIELD_BOOL, VF__FIELD_OMITEMPTY),
    VF__FIELD(vf_virtio_serial, uses_pty, "usesPty", VF__FIELD_BOOL, VF__FIELD_OMITEMPTY),
    VF__FIELD(vf_virtio_serial, pty_name, "ptyName", VF__FIELD_STRING, VF__FIELD_OMITEMPTY),
};

/* vfkit: 'pty' arrived in v0.6.2. */
static const vf__since vfkit_since[] = {
    {"pty", VF__RELEASE(0, 6, 2)},
};

/* krunkit: logFilePath only, required (it may be empty). */
static int write_krunkit(const vf_device *dev, vf__buf *out, int child_fd, vf__problems *p)
{
    const vf_virtio_serial *serial = VF__DEVICE_AS_CONST(vf_virtio_serial, dev);
    (void)child_fd;
    if (serial->uses_stdio)
        vf__krunkit_lacks(p, "virtio-serial", "stdio", 0);
    if (serial->uses_pty)
        vf__krunkit_lacks(p, "virtio-serial", "pty", VF__RELEASE(0, 6, 2));
    vf__buf_puts(out, "virtio-serial");
    vf__krunkit_put(out, "virtio-serial", "logFilePath", serial->log_file, p);
    return p->count ? VF_ERR_UNSUPPORTED : VF_OK;
}

static int read_krunkit(const char *options, vf_device **out, vf_error *err)
{
    static const char *const required[] = {"logFilePath", NULL};
    vf__kv_list kv;
    int rc = vf__kv_open(options, "virtio-serial", required, &kv, err);
    if (rc != VF_OK)
        return rc;
    vf_virtio_serial *serial = new_serial();
    if (serial == NULL)
        rc = vf__error_nomem(err);
    if (rc == VF_OK)
        rc = vf__krunkit_copy(&serial->log_file, vf__kv_take(&kv, "logFilePath"), err);
    return vf__kv_finish(&kv, "virtio-serial", rc, (vf_device *)(void *)serial, out, err);
}

const vf__device_ops vf__virtio_serial_ops = VF__DEVICE_OPS(
    VF_DEVICE_VIRTIO_SERIAL, "virtio-serial", "virtioserial", vf_virtio_serial, NULL, apply_options,
    write_cmdline, fields,
    VF__LAUNCHERS(VF__SINCE(vfkit_since), VF__SINCE_NONE, write_krunkit, read_krunkit));
