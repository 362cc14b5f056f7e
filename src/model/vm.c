/*
 * libvfconfig - the virtual machine and its small components (timesync,
 * Ignition): life cycle, devices, and the pieces of vfkit's command line
 * that are not devices.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "model/components.h"
#include "model/fields.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/macros.h"
#include "util/numbers.h"
#include "util/str.h"

/* ---- the VM ------------------------------------------------------------- */

vf_vm *vf_vm_new(unsigned vcpus, uint64_t memory_mib, vf_bootloader *bootloader)
{
    vf_vm *vm = vf__calloc(1, sizeof *vm);
    if (vm == NULL) {
        vf_bootloader_free(bootloader);
        return NULL;
    }
    vm->vcpus = vcpus;
    /* Go's strongunits multiply wraps around on overflow; so does this. */
    vm->memory_bytes = memory_mib * VF__MIB;
    vm->bootloader = bootloader;
    return vm;
}

void vf_vm_free(vf_vm *vm)
{
    if (vm == NULL)
        return;
    vf_bootloader_free(vm->bootloader);
    for (size_t i = 0; i < vm->n_devices; i++)
        vf_device_free(vm->devices[i]);
    vf__free(vm->devices);
    vf_timesync_free(vm->timesync);
    vf_ignition_free(vm->ignition);
    vf__free(vm->restful_uri);
    vf__free(vm->log_level);
    vf__free(vm->pidfile);
    vf_strv_free(vm->cloud_init);
    vf__free(vm->log_file);
    vf_strv_free(vm->oem_strings);
    vf__free(vm->firmware_path);
    vf__free(vm);
}

/* Makes room for extra more devices; 0 or VF_ERR_NOMEM. */
static int reserve_devices(vf_vm *vm, size_t extra, vf_error *err)
{
    if (extra <= vm->devices_capacity - vm->n_devices)
        return VF_OK;
    if (extra > SIZE_MAX / sizeof(vf_device *) / 2 - vm->n_devices)
        return vf__error_nomem(err);
    size_t want = vm->n_devices + extra;
    size_t cap = vm->devices_capacity ? vm->devices_capacity : 4;
    while (cap < want)
        cap *= 2;
    vf_device **devices = vf__realloc(vm->devices, cap * sizeof *devices);
    if (devices == NULL)
        return vf__error_nomem(err);
    vm->devices = devices;
    vm->devices_capacity = cap;
    return VF_OK;
}

int vf_vm_add_devices(vf_vm *vm, vf_device *const *devs, size_t n, vf_error *err)
{
    int rc = VF_OK;
    if (vm == NULL || (devs == NULL && n != 0))
        rc = vf__error(err, VF_ERR_INVALID, "add devices: NULL VM or device list");
    for (size_t i = 0; rc == VF_OK && i < n; i++)
        if (devs[i] == NULL)
            rc = vf__error(err, VF_ERR_INVALID, "add devices: device %zu is NULL", i);
    if (rc == VF_OK)
        rc = reserve_devices(vm, n, err);
    for (size_t i = 0; i < n && devs != NULL; i++) {
        if (rc == VF_OK)
            vm->devices[vm->n_devices++] = devs[i];
        else
            vf_device_free(devs[i]); /* ownership was ours, also on failure */
    }
    return rc;
}

int vf_vm_add_device(vf_vm *vm, vf_device *dev, vf_error *err)
{
    return vf_vm_add_devices(vm, &dev, 1, err);
}

int vf_vm_add_devices_from_cmdline(vf_vm *vm, const char *const *opts, size_t n, vf_error *err)
{
    vf_error local;
    if (err == NULL)
        err = &local; /* the parser's status code is needed below */
    if (vm == NULL || (opts == NULL && n != 0))
        return vf__error(err, VF_ERR_INVALID, "add devices: NULL VM or option list");
    int rc = reserve_devices(vm, n, err);
    if (rc != VF_OK)
        return rc;
    /* Parse into the free slots and publish them only when all parsed. */
    size_t parsed = 0;
    for (; parsed < n; parsed++) {
        vf_device *dev = vf_device_from_cmdline(opts[parsed], err);
        if (dev == NULL) {
            /* The inner message names the key and the value: the index is
       * enough to find the flag, and a long value cannot push the
       * reason out of the text. */
            rc = err->code;
            vf__error_prefix(err, "--device[%zu]", parsed);
            vf__error_locate_prefix(err, "--device[%zu]", parsed);
            break;
        }
        vm->devices[vm->n_devices + parsed] = dev;
    }
    if (rc != VF_OK) {
        for (size_t i = 0; i < parsed; i++)
            vf_device_free(vm->devices[vm->n_devices + i]);
        return rc;
    }
    vm->n_devices += n;
    return VF_OK;
}

size_t vf_vm_filter_devices(const vf_vm *vm, vf_device_kind kind, vf_device **out, size_t capacity)
{
    size_t found = 0;
    for (size_t i = 0; vm != NULL && i < vm->n_devices; i++) {
        if (vm->devices[i]->kind != kind)
            continue;
        if (found < capacity)
            out[found] = vm->devices[i];
        found++;
    }
    return found;
}

vf_device *vf_vm_network_block_device(const vf_vm *vm, const char *device_id)
{
    for (size_t i = 0; vm != NULL && i < vm->n_devices; i++) {
        vf_network_block_device *nbd = vf_device_as_network_block_device(vm->devices[i]);
        if (nbd != NULL && strcmp(vf__str(nbd->device_identifier), vf__str(device_id)) == 0)
            return vm->devices[i];
    }
    return NULL;
}

void vf_vm_set_bootloader(vf_vm *vm, vf_bootloader *bl)
{
    if (vm == NULL) {
        vf_bootloader_free(bl);
        return;
    }
    if (vm->bootloader != bl)
        vf_bootloader_free(vm->bootloader);
    vm->bootloader = bl;
}

/* ---- clone -------------------------------------------------------------- */

static char **clone_strv(char *const *strv, bool *failed)
{
    if (strv == NULL)
        return NULL;
    vf__strv_builder sb;
    vf__strv_init(&sb);
    vf__strv_add_all(&sb, strv);
    char **copy = vf__strv_finish(&sb, NULL);
    if (copy == NULL)
        *failed = true;
    return copy;
}

static char *clone_string(const char *s, bool *failed)
{
    char *copy = vf__strdup(s);
    if (s != NULL && copy == NULL)
        *failed = true;
    return copy;
}

static vf_timesync *clone_timesync(const vf_timesync *ts, bool *failed)
{
    if (ts == NULL)
        return NULL;
    vf_timesync *copy = vf_timesync_new(ts->vsock_port);
    if (copy == NULL)
        *failed = true;
    return copy;
}

static vf_ignition *clone_ignition(const vf_ignition *ign, bool *failed)
{
    if (ign == NULL)
        return NULL;
    vf_ignition *copy = vf__malloc(sizeof *copy);
    if (copy == NULL) {
        *failed = true;
        return NULL;
    }
    *copy = *ign;
    if (vf__fields_clone_strings(copy, ign, vf__ignition_fields, vf__n_ignition_fields) != VF_OK)
        *failed = true;
    return copy;
}

vf_vm *vf_vm_clone(const vf_vm *vm)
{
    if (vm == NULL)
        return NULL;
    vf_vm *copy = vf__calloc(1, sizeof *copy);
    if (copy == NULL)
        return NULL;
    bool failed = false;
    copy->vcpus = vm->vcpus;
    copy->memory_bytes = vm->memory_bytes;
    copy->nested = vm->nested;
    if (vm->bootloader != NULL) {
        copy->bootloader = vf_bootloader_clone(vm->bootloader);
        failed |= copy->bootloader == NULL;
    }
    copy->timesync = clone_timesync(vm->timesync, &failed);
    copy->ignition = clone_ignition(vm->ignition, &failed);
    copy->restful_uri = clone_string(vm->restful_uri, &failed);
    copy->log_level = clone_string(vm->log_level, &failed);
    copy->pidfile = clone_string(vm->pidfile, &failed);
    copy->cloud_init = clone_strv(vm->cloud_init, &failed);
    copy->has_krun_log_level = vm->has_krun_log_level;
    copy->krun_log_level = vm->krun_log_level;
    copy->log_file = clone_string(vm->log_file, &failed);
    copy->oem_strings = clone_strv(vm->oem_strings, &failed);
    copy->firmware_path = clone_string(vm->firmware_path, &failed);
    copy->krunkit_gui = vm->krunkit_gui;
    if (!failed && reserve_devices(copy, vm->n_devices, NULL) != VF_OK)
        failed = true;
    for (size_t i = 0; !failed && i < vm->n_devices; i++) {
        vf_device *dev = vf_device_clone(vm->devices[i]);
        if (dev == NULL)
            failed = true;
        else
            copy->devices[copy->n_devices++] = dev;
    }
    if (failed) {
        vf_vm_free(copy);
        return NULL;
    }
    return copy;
}

/* ---- timesync ----------------------------------------------------------- */

vf_timesync *vf_timesync_new(uint32_t vsock_port)
{
    vf_timesync *ts = vf__calloc(1, sizeof *ts);
    if (ts != NULL)
        ts->vsock_port = vsock_port;
    return ts;
}

void vf_timesync_free(vf_timesync *ts)
{
    vf__free(ts);
}

int vf_timesync_apply_options(vf_timesync *ts, const vf_option *opts, size_t n, vf_error *err)
{
    char shown[96];
    if (ts == NULL || (opts == NULL && n != 0))
        return vf__error(err, VF_ERR_INVALID, "timesync: NULL timesync or option list");
    for (size_t i = 0; i < n; i++) {
        const char *key = vf__str(opts[i].key), *value = vf__str(opts[i].value);
        if (strcmp(key, "vsockPort") != 0)
            return vf__error_at(err, VF_ERR_INVALID,
                                vf__quote_for_message(key, shown, sizeof shown),
                                "unknown option for timesync parameter: \"%s\"", shown);
        uint64_t port;
        const char *why;
        if (vf__parse_uint_ex(value, 10, 32, &port, &why) != VF_OK)
            return vf__error_at(err, VF_ERR_INVALID, "vsockPort",
                                "invalid value for timesync 'vsockPort' (%s): \"%s\"", why,
                                vf__quote_for_message(value, shown, sizeof shown));
        ts->vsock_port = (uint32_t)port;
    }
    if (ts->vsock_port == 0)
        return vf__error_at(err, VF_ERR_INVALID, "vsockPort",
                            "missing 'vsockPort' option for timesync parameter (0 is not a port)");
    return VF_OK;
}

int vf__timesync_write_cmdline(const vf_timesync *ts, vf__strv_builder *out, vf_error *err)
{
    /* Go would print an empty `--timesync ""`, which vfkit reads as no
   * timesync at all: refuse rather than print something else. */
    if (ts == NULL || ts->vsock_port == 0)
        return vf__error_at(err, VF_ERR_AMBIGUOUS, "vsockPort",
                            "timesync: 'vsockPort' is 0, which vfkit would read as no timesync");
    vf__strv_add(out, "--timesync");
    vf__buf_puts(&out->bytes, "vsockPort=");
    vf__buf_put_u64(&out->bytes, ts->vsock_port);
    vf__strv_end(out);
    return VF_OK;
}

char **vf_timesync_to_cmdline(const vf_timesync *ts, vf_error *err)
{
    vf__strv_builder sb;
    vf__strv_init(&sb);
    if (vf__timesync_write_cmdline(ts, &sb, err) != VF_OK) {
        vf__strv_release(&sb);
        return NULL;
    }
    return vf__strv_finish(&sb, err);
}

void vf_vm_set_timesync(vf_vm *vm, vf_timesync *ts)
{
    if (vm == NULL) {
        vf_timesync_free(ts);
        return;
    }
    if (vm->timesync != ts)
        vf_timesync_free(vm->timesync);
    vm->timesync = ts;
}

int vf_vm_add_timesync_from_cmdline(vf_vm *vm, const char *opts, vf_error *err)
{
    vf_error local;
    if (err == NULL)
        err = &local;
    if (vm == NULL)
        return vf__error(err, VF_ERR_INVALID, "timesync: NULL VM");
    if (vf__empty(opts))
        return VF_OK; /* vfkit: an empty --timesync means none */
    vf_options *options = vf_options_split(opts, err);
    if (options == NULL) {
        vf__error_locate(err, "--timesync");
        return err->code;
    }
    vf_timesync *ts = vf_timesync_new(0);
    int rc = ts ? vf_timesync_apply_options(ts, options->items, options->count, err)
                : vf__error_nomem(err);
    vf_options_free(options);
    if (rc != VF_OK) {
        vf__error_locate_prefix(err, "--timesync");
        vf_timesync_free(ts);
        return rc;
    }
    vf_vm_set_timesync(vm, ts);
    return VF_OK;
}

/* ---- Ignition ----------------------------------------------------------- */

/* Like the current Go package (v0.6.4), the socket path argument is not
 * used: vfkit serves the config on vsock port 1024 itself. socket_path
 * stays settable directly or through JSON. */
vf_ignition *vf_ignition_new(const char *config_path, const char *socket_path, vf_error *err)
{
    (void)socket_path;
    if (vf__empty(config_path)) {
        vf__error(err, VF_ERR_INVALID, "ignition: config path cannot be empty");
        return NULL;
    }
    vf_ignition *ign = vf__calloc(1, sizeof *ign);
    if (ign != NULL)
        ign->config_path = vf__strdup(config_path);
    if (ign == NULL || ign->config_path == NULL) {
        vf_ignition_free(ign);
        vf__error_nomem(err);
        return NULL;
    }
    ign->vsock_port = VF_IGNITION_VSOCK_PORT;
    return ign;
}

void vf_ignition_free(vf_ignition *ign)
{
    if (ign == NULL)
        return;
    vf__fields_release(ign, vf__ignition_fields, vf__n_ignition_fields);
    vf__free(ign);
}

void vf_vm_set_ignition(vf_vm *vm, vf_ignition *ign)
{
    if (vm == NULL) {
        vf_ignition_free(ign);
        return;
    }
    if (vm->ignition != ign)
        vf_ignition_free(vm->ignition);
    vm->ignition = ign;
}

int vf_vm_add_ignition_from_cmdline(vf_vm *vm, const char *opts, vf_error *err)
{
    char shown[96];
    vf_error local;
    if (err == NULL)
        err = &local;
    if (vm == NULL)
        return vf__error(err, VF_ERR_INVALID, "ignition: NULL VM");
    if (vf__empty(opts))
        return VF_OK; /* vfkit: an empty --ignition means none */
    if (strchr(opts, ',') != NULL)
        return vf__error_at(err, VF_ERR_INVALID, "--ignition",
                            "ignition only accepts one option in command line argument: \"%s\"",
                            vf__quote_for_message(opts, shown, sizeof shown));
    vf_ignition *ign = vf_ignition_new(opts, NULL, err);
    if (ign == NULL)
        return err->code;
    vf_vm_set_ignition(vm, ign);
    return VF_OK;
}

/* ---- krunkit's own flags ------------------------------------------------ */

void vf_vm_set_krun_log_level(vf_vm *vm, uint32_t level)
{
    if (vm == NULL)
        return;
    vm->has_krun_log_level = true;
    vm->krun_log_level = level;
}

int vf_vm_set_log_file(vf_vm *vm, const char *path)
{
    return vm == NULL ? VF_ERR_INVALID : vf__set_string(&vm->log_file, path);
}

int vf_vm_set_firmware_path(vf_vm *vm, const char *path)
{
    return vm == NULL ? VF_ERR_INVALID : vf__set_string(&vm->firmware_path, path);
}

int vf_vm_add_oem_string(vf_vm *vm, const char *text)
{
    if (vm == NULL || text == NULL)
        return VF_ERR_INVALID;
    return vf__strv_append(&vm->oem_strings, text, NULL);
}
