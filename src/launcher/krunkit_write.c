/*
 * libvfconfig - printing a VM as krunkit's command line.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Prints only what krunkit's parser (krunkit_read.c) reads back as the
 * same VM, and reports everything else as a problem instead of stopping,
 * so one pass lists them all. Device values come from each kind's
 * krunkit writer (device ops); krunkit has no escaping, so a ',' or '='
 * inside a value is a problem, and a value starting with '-' is attached
 * to its flag with '='.
 */
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "launcher/krunkit.h"
#include "launcher/launcher.h"
#include "model/device_ops.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/macros.h"
#include "util/str.h"

static void add_number(vf__strv_builder *sb, const char *flag, uint64_t value)
{
    vf__strv_add(sb, flag);
    vf__strv_begin(sb);
    vf__buf_put_u64(&sb->bytes, value);
    vf__strv_end(sb);
}

/* `--flag value`, or `--flag=value` when clap would take the value for a
 * flag. */
static void add_value(vf__strv_builder *sb, const char *flag, const char *value)
{
    if (value[0] == '-') {
        vf__strv_begin(sb);
        vf__buf_puts(&sb->bytes, flag);
        vf__buf_putc(&sb->bytes, '=');
        vf__buf_puts(&sb->bytes, value);
        vf__strv_end(sb);
        return;
    }
    vf__strv_add(sb, flag);
    vf__strv_add(sb, value);
}

static void add_path(vf__strv_builder *sb, const char *flag, const char *value)
{
    if (!vf__empty(value)) /* clap refuses an empty path: none is the same */
        add_value(sb, flag, value);
}

static void write_bootloader(const vf_bootloader *bl, vf__strv_builder *sb, vf__problems *p)
{
    if (bl == NULL)
        return;
    if (bl->kind != VF_BOOTLOADER_EFI) {
        vf__problem(p, "krunkit has no %s bootloader (only efi; vfkit has it)",
                    vf_bootloader_kind_name(bl->kind));
        return;
    }
    const vf_efi_bootloader *efi = (const vf_efi_bootloader *)(const void *)bl;
    if (!efi->create_variable_store)
        vf__problem(p, "krunkit needs 'create' on the efi bootloader (its --bootloader always "
                       "says create)");
    vf__strv_add(sb, "--bootloader");
    vf__strv_begin(sb);
    vf__buf_puts(&sb->bytes, "efi");
    vf__krunkit_put(&sb->bytes, "bootloader", "variable-store", efi->efi_variable_store_path, p);
    vf__buf_puts(&sb->bytes, ",create");
    vf__strv_end(sb);
}

static void write_devices(const vf_vm *vm, bool number_fds, vf__strv_builder *sb, vf__problems *p)
{
    int next_child_fd = 3;
    for (size_t i = 0; i < vm->n_devices; i++) {
        const vf_device *dev = vm->devices[i];
        const vf__device_ops *ops = dev ? vf__device_ops_of(dev->kind) : NULL;
        p->device = (long)i;
        if (ops == NULL) {
            vf__problem(p, "device %zu is NULL or of an unknown kind", i);
            continue;
        }
        if (ops->write_krunkit == NULL) {
            vf__problem(p, "krunkit has no %s device (vfkit has one)", ops->name);
            continue;
        }
        int child_fd = -1;
        if (number_fds && dev->kind == VF_DEVICE_VIRTIO_NET &&
            VF__DEVICE_AS_CONST(vf_virtio_net, dev)->socket_fd >= 0)
            child_fd = next_child_fd++;
        vf__strv_add(sb, "--device");
        vf__strv_begin(sb);
        ops->write_krunkit(dev, &sb->bytes, child_fd, p);
        vf__strv_end(sb);
    }
    p->device = -1;
}

static bool any_gui(const vf_vm *vm)
{
    if (vm->krunkit_gui)
        return true;
    for (size_t i = 0; i < vm->n_devices; i++)
        if (vm->devices[i] != NULL && vm->devices[i]->kind == VF_DEVICE_VIRTIO_GPU &&
            VF__DEVICE_AS_CONST(vf_virtio_gpu, vm->devices[i])->uses_gui)
            return true;
    return false;
}

/* What only vfkit has. */
static void vfkit_only(const vf_vm *vm, vf__problems *p)
{
    if (vm->ignition != NULL)
        vf__problem(p, "krunkit has no --ignition flag (vfkit >= 0.6.0 has it)");
    if (vm->cloud_init != NULL)
        vf__problem(p, "krunkit has no --cloud-init flag (vfkit >= 0.6.1 has it)");
    if (!vf__empty(vm->log_level))
        vf__problem(p, "krunkit has no --log-level flag (vfkit has it; krunkit's is "
                       "--krun-log-level N)");
}

static void write_restful_uri(const vf_vm *vm, vf__strv_builder *sb, vf__problems *p)
{
    if (vm->restful_uri == NULL)
        return;
    vf_error why = {0};
    char *uri = NULL;
    if (vf__krunkit_restful_uri(vm->restful_uri, &uri, &why) != VF_OK) {
        if (why.code == VF_ERR_NOMEM)
            p->nomem = true;
        else
            vf__problem(p, "%s", why.text);
        return;
    }
    if (strcmp(uri, vm->restful_uri) != 0 && strchr(vm->restful_uri, '\n') != NULL)
        vf__problem(p, "krunkit would cut --restful-uri at its newline");
    else
        add_value(sb, "--restful-uri", uri);
    vf__free(uri);
}

int vf__krunkit_write(const vf_vm *vm, bool number_fds, vf__strv_builder *sb, vf__problems *p)
{
    if (vm->vcpus > 255)
        vf__problem(p, "krunkit's --cpus takes 0 to 255, not %llu", (unsigned long long)vm->vcpus);
    add_number(sb, "--cpus", vm->vcpus);
    uint64_t mib = vm->memory_bytes / VF__MIB + (vm->memory_bytes % VF__MIB != 0);
    if (mib > UINT32_MAX)
        vf__problem(p, "krunkit's --memory takes at most 4294967295 MiB, not %llu",
                    (unsigned long long)mib);
    add_number(sb, "--memory", mib);
    write_bootloader(vm->bootloader, sb, p);
    write_devices(vm, number_fds, sb, p);
    write_restful_uri(vm, sb, p);
    if (any_gui(vm))
        vf__strv_add(sb, "--gui");
    if (vm->nested)
        vf__strv_add(sb, "--nested");
    if (vm->timesync != NULL) {
        vf__strv_add(sb, "--timesync");
        vf__strv_begin(sb);
        vf__buf_puts(&sb->bytes, "vsockPort=");
        vf__buf_put_u64(&sb->bytes, vm->timesync->vsock_port);
        vf__strv_end(sb);
    }
    add_path(sb, "--pidfile", vm->pidfile);
    if (vm->has_krun_log_level)
        add_number(sb, "--krun-log-level", vm->krun_log_level);
    add_path(sb, "--log-file", vm->log_file);
    add_path(sb, "--firmware-path", vm->firmware_path);
    for (char **s = vm->oem_strings; s != NULL && *s != NULL; s++)
        add_value(sb, "--oem-string", *s);
    vfkit_only(vm, p);
    return p->count != 0 ? VF_ERR_UNSUPPORTED : VF_OK;
}
