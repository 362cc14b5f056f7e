/*
 * libvfconfig - virtio-vsock: a vsock port bridged to a unix socket.
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
#include "util/sockpath.h"
#include "util/str.h"

/* ---- virtio-vsock ---- */

static int apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
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

static int write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    const vf_virtio_vsock *vsock = VF__DEVICE_AS_CONST(vf_virtio_vsock, dev);
    (void)child_fd;
    if (vsock->port == 0 || vf__empty(vsock->socket_url)) {
        char quoted[96];
        return vf__error_at(
            err, VF_ERR_INVALID, vsock->port == 0 ? "port" : "socketURL",
            "virtio-vsock needs both a port and a socket URL (port %" PRIu32 ", socketURL \"%s\")",
            vsock->port, vf__quote_for_message(vsock->socket_url, quoted, sizeof quoted));
    }
    vf__buf_puts(out, "virtio-vsock,port=");
    vf__buf_put_u64(out, vsock->port);
    vf__buf_puts(out, ",socketURL=");
    int rc = vf__put_printable(out, "virtio-vsock", "socketURL", vsock->socket_url, err);
    if (rc == VF_OK)
        rc =
            vf__check_unix_path(vsock->socket_url, "virtio-vsock", "'socketURL'", "socketURL", err);
    if (rc != VF_OK)
        return rc;
    vf__buf_puts(out, vsock->listen ? ",listen" : ",connect");
    return VF_OK;
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

static const vf__field fields[] = {
    VF__FIELD(vf_virtio_vsock, port, "port", VF__FIELD_U32, 0),
    VF__FIELD(vf_virtio_vsock, socket_url, "socketURL", VF__FIELD_STRING, 0),
    VF__FIELD(vf_virtio_vsock, listen, "listen", VF__FIELD_BOOL, VF__FIELD_OMITEMPTY),
};

/* krunkit: 'connect' arrived in v1.2.0 (before, only listen). */
static const vf__since krunkit_since[] = {
    {"connect", VF__RELEASE(1, 2, 0)},
};

/* krunkit: port, socketURL, then listen (its default) or connect. */
static int write_krunkit(const vf_device *dev, vf__buf *out, int child_fd, vf__problems *p)
{
    const vf_virtio_vsock *vsock = VF__DEVICE_AS_CONST(vf_virtio_vsock, dev);
    (void)child_fd;
    vf__krunkit_check_unix_path(p, "virtio-vsock", "'socketURL'", vsock->socket_url);
    vf__buf_puts(out, "virtio-vsock,port=");
    vf__buf_put_u64(out, vsock->port);
    vf__krunkit_put(out, "virtio-vsock", "socketURL", vsock->socket_url, p);
    vf__buf_puts(out, vsock->listen ? ",listen" : ",connect");
    return p->count ? VF_ERR_UNSUPPORTED : VF_OK;
}

static int read_krunkit(const char *options, vf_device **out, vf_error *err)
{
    static const char *const required[] = {"port", "socketURL", NULL};
    vf__kv_list kv;
    int rc = vf__kv_open(options, "virtio-vsock", required, &kv, err);
    if (rc != VF_OK)
        return rc;
    uint64_t port = 0;
    const char *port_text = vf__kv_take(&kv, "port");
    const char *connect = vf__kv_take(&kv, "connect"), *listen = vf__kv_take(&kv, "listen");
    char shown[96];
    if (!vf__rust_parse_u64(port_text, UINT32_MAX, &port))
        rc =
            vf__error_at(err, VF_ERR_INVALID, "port", "virtio-vsock: port argument invalid: \"%s\"",
                         vf__quote_for_message(port_text, shown, sizeof shown));
    else if ((connect != NULL && connect[0] != '\0') || (listen != NULL && listen[0] != '\0'))
        rc = vf__error_at(err, VF_ERR_INVALID,
                          listen != NULL && listen[0] != '\0' ? "listen" : "connect",
                          "virtio-vsock: 'listen' and 'connect' take no value");
    else if (connect != NULL && listen != NULL)
        rc = vf__error_at(err, VF_ERR_INVALID, vf__kv_later(&kv, "listen", "connect"),
                          "virtio-vsock: 'listen' and 'connect' are mutually exclusive");
    vf_virtio_vsock *vsock = NULL;
    if (rc == VF_OK) {
        vsock = vf_virtio_vsock_new((uint32_t)port, vf__kv_take(&kv, "socketURL"), connect == NULL);
        if (vsock == NULL)
            rc = vf__error_nomem(err);
    }
    return vf__kv_finish(&kv, "virtio-vsock", rc, (vf_device *)(void *)vsock, out, err);
}

const vf__device_ops vf__virtio_vsock_ops = VF__DEVICE_OPS(
    VF_DEVICE_VIRTIO_VSOCK, "virtio-vsock", "virtiosock", vf_virtio_vsock, NULL, apply_options,
    write_cmdline, fields,
    VF__LAUNCHERS(VF__SINCE_NONE, VF__SINCE(krunkit_since), write_krunkit, read_krunkit));
