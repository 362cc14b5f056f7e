/*
 * libvfconfig - nbd: a network block device.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "launcher/krunkit.h"
#include "launcher/launcher.h"
#include "model/device_ops.h"
#include "model/devices/disk.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/numbers.h"
#include "util/str.h"

/* vfkit gives an nbd server 15 s to answer unless told otherwise. */
#define NBD_DEFAULT_TIMEOUT_MS 15000

/* ---- nbd ---- */

static int init(vf_device *dev)
{
    vf_network_block_device *nbd = VF__DEVICE_AS(vf_network_block_device, dev);
    nbd->timeout_ns = NBD_DEFAULT_TIMEOUT_MS * VF__NS_PER_MS;
    if (vf__set_string(&nbd->network.storage.dev_name, "nbd") != VF_OK ||
        vf__set_string(&nbd->synchronization_mode, VF_NBD_SYNC_FULL) != VF_OK)
        return VF_ERR_NOMEM;
    return VF_OK;
}

static int apply_nbd_option(vf_network_block_device *nbd, const vf_option *opt, vf_error *err)
{
    const char *value = vf__str(opt->value);
    if (vf__option_is(opt, "deviceId"))
        return vf__set_option_string(&nbd->device_identifier, value, err);
    if (vf__option_is(opt, "timeout")) {
        int64_t ms;
        const char *reason = NULL;
        if (vf__parse_int_ex(value, 10, 32, &ms, &reason) != VF_OK) {
            char detail[80];
            snprintf(detail, sizeof detail, " (%s: milliseconds as a 32-bit integer)", reason);
            return vf__error_option_value(err, "nbd", "invalid value for", opt, detail);
        }
        nbd->timeout_ns = ms * VF__NS_PER_MS;
        return VF_OK;
    }
    /* key is "sync" */
    if (strcmp(value, VF_NBD_SYNC_FULL) != 0 && strcmp(value, VF_NBD_SYNC_NONE) != 0)
        return vf__error_option_value(err, "nbd", "invalid value for", opt,
                                      " (must be 'full' or 'none')");
    return vf__set_option_string(&nbd->synchronization_mode, value, err);
}

static bool is_nbd_option(const vf_option *opt)
{
    return vf__option_is(opt, "deviceId") || vf__option_is(opt, "timeout") ||
           vf__option_is(opt, "sync");
}

static int apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
{
    vf_network_block_device *nbd = VF__DEVICE_AS(vf_network_block_device, dev);
    /* nbd's own options first, then the storage options, as the Go package
   * does: it decides which error comes first. */
    for (size_t i = 0; i < n; i++) {
        int rc = is_nbd_option(&opts[i]) ? apply_nbd_option(nbd, &opts[i], err) : VF_OK;
        if (rc != VF_OK)
            return rc;
    }
    for (size_t i = 0; i < n; i++) {
        const vf_option *opt = &opts[i];
        int rc = VF_OK;
        if (is_nbd_option(opt))
            continue;
        if (vf__option_is(opt, "uri"))
            rc = vf__set_option_string(&nbd->network.uri, opt->value, err);
        else if (vf__option_is(opt, "readonly"))
            rc = vf__storage_apply_read_only(&nbd->network.storage, "nbd", opt, err);
        else
            rc = vf__storage_unknown_option("nbd", opt, err);
        if (rc != VF_OK)
            return rc;
    }
    return VF_OK;
}

static int write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    const vf_network_block_device *nbd = VF__DEVICE_AS_CONST(vf_network_block_device, dev);
    const char *sync = vf__str(nbd->synchronization_mode);
    (void)child_fd;
    if (vf__empty(nbd->network.uri))
        return vf__error_at(err, VF_ERR_INVALID, "uri",
                            "nbd devices need the uri to a remote block device");
    int rc = vf__storage_check_dev_name(&nbd->network.storage, "nbd", err);
    if (rc == VF_OK) {
        vf__buf_puts(out, "nbd");
        rc = vf__storage_put_option(out, "nbd", "uri", "uri", nbd->network.uri, err);
    }
    if (rc != VF_OK)
        return rc;
    if (nbd->network.storage.read_only)
        vf__buf_puts(out, ",readonly");
    if (!vf__empty(nbd->device_identifier)) {
        rc = vf__storage_put_option(out, "nbd", "deviceId", "DeviceIdentifier",
                                    nbd->device_identifier, err);
        if (rc != VF_OK)
            return rc;
    }
    /* Whole milliseconds, truncated toward zero like Go's Duration.Milliseconds.
   */
    int64_t ms = nbd->timeout_ns / VF__NS_PER_MS;
    if (ms > 0) {
        vf__buf_puts(out, ",timeout=");
        vf__buf_put_i64(out, ms);
    }
    if (strcmp(sync, VF_NBD_SYNC_NONE) == 0 || strcmp(sync, VF_NBD_SYNC_FULL) == 0) {
        vf__buf_puts(out, ",sync=");
        vf__buf_puts(out, sync);
    }
    return VF_OK;
}

vf_network_block_device *vf_network_block_device_new(const char *uri, uint32_t timeout_ms,
                                                     const char *sync_mode)
{
    vf_network_block_device *nbd =
        VF__DEVICE_AS(vf_network_block_device, vf_device_new(VF_DEVICE_NBD));
    if (nbd == NULL)
        return NULL;
    nbd->timeout_ns = (int64_t)timeout_ms * VF__NS_PER_MS;
    if (vf__set_string(&nbd->network.uri, uri) != VF_OK ||
        vf__set_string(&nbd->synchronization_mode, sync_mode) != VF_OK) {
        vf_device_free(&nbd->base);
        return NULL;
    }
    return nbd;
}

int vf_network_block_device_set_device_identifier(vf_network_block_device *nbd,
                                                  const char *device_id)
{
    if (nbd == NULL)
        return VF_ERR_INVALID;
    return vf__set_string(&nbd->device_identifier, device_id);
}

/* NBD's own fields carry no json tag in Go: their keys are the Go names. */
static const vf__field fields[] = {
    VF__STORAGE_FIELDS(vf_network_block_device, network),
    VF__FIELD(vf_network_block_device, network.uri, "uri", VF__FIELD_STRING, VF__FIELD_OMITEMPTY),
    VF__FIELD(vf_network_block_device, device_identifier, "DeviceIdentifier", VF__FIELD_STRING, 0),
    VF__FIELD(vf_network_block_device, timeout_ns, "Timeout", VF__FIELD_DURATION, 0),
    VF__FIELD(vf_network_block_device, synchronization_mode, "SynchronizationMode",
              VF__FIELD_STRING, 0),
};

/* vfkit: nbd arrived in v0.6.0, its 'deviceId' option in v0.6.1. */
static const vf__since vfkit_since[] = {
    {NULL, VF__RELEASE(0, 6, 0)},
    {"deviceId", VF__RELEASE(0, 6, 1)},
};

const vf__device_ops vf__network_block_device_ops = VF__DEVICE_OPS(
    VF_DEVICE_NBD, "nbd", "nbd", vf_network_block_device, init, apply_options, write_cmdline,
    fields, VF__LAUNCHERS(VF__SINCE(vfkit_since), VF__SINCE_NONE, NULL, NULL));
