/*
 * libvfconfig - printing a VM as vfkit's command line.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Follows the Go package's VirtualMachine.ToCmdLine, plus what docs/design.md
 * lists as deliberate differences (timesync, --gui, the launch flags,
 * refusing values vfkit would read back differently). Reading a command
 * line is in cmdline_read.c.
 */
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "cmdline/cmdline.h"
#include "model/components.h"
#include "model/device_ops.h"
#include "model/launch.h"
#include "model/options.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/macros.h"
#include "util/str.h"

/* Bytes the argv strings of vm will roughly take, so the builder can
 * allocate once. A device prints less than 256 bytes unless its paths are
 * unusually long, and the rest of the VM less than 1 KiB but for its
 * cloud-init files; an under-estimate only costs a realloc. (Measuring
 * every value here would cost about as much as printing it.) */
static size_t estimate_bytes(const vf_vm *vm)
{
    size_t total = 1024 + 256 * vm->n_devices;
    for (char **p = vm->cloud_init; p != NULL && *p != NULL; p++)
        total += strlen(*p) + 1;
    return total;
}

/* Strings the argv of vm can have at most: two per device, and the VM's
 * other flags with their values (Linux boots with three pairs). */
static size_t estimate_strings(const vf_vm *vm)
{
    return 2 * vm->n_devices + 24;
}

/* Whether to print --gui. vfkit's --gui shows the window of the first GPU
 * (adding one if there is none), so a window asked for by any other GPU
 * cannot be said on the command line. *gui is set; 0 or VF_ERR_AMBIGUOUS. */
static int gui_flag(const vf_vm *vm, bool *gui, vf_error *err)
{
    size_t gpus = 0;
    *gui = false;
    for (size_t i = 0; i < vm->n_devices; i++) {
        if (vm->devices[i]->kind != VF_DEVICE_VIRTIO_GPU)
            continue; /* the checked cast below is a call per device */
        if (vf_device_as_virtio_gpu(vm->devices[i])->uses_gui) {
            if (gpus != 0) {
                vf__error(err, VF_ERR_AMBIGUOUS,
                          "'usesGUI' is set on virtio-gpu #%zu (device %zu), but vfkit's "
                          "--gui shows the first GPU's display",
                          gpus + 1, i);
                vf__error_locate(err, "devices[%zu].usesGUI", i);
                return VF_ERR_AMBIGUOUS;
            }
            *gui = true;
        }
        gpus++;
    }
    return VF_OK;
}

/* Go rounds memory up to MiB in uint64 arithmetic, which wraps around for
 * the last MiB below 2^64: the printed number would read back as a tiny
 * VM. */
static int check_memory(uint64_t memory_bytes, vf_error *err)
{
    if (memory_bytes <= UINT64_MAX - VF__MIB + 1)
        return VF_OK;
    return vf__error_at(err, VF_ERR_AMBIGUOUS, "memoryBytes",
                        "'memoryBytes' %llu rounds up to 2^44 MiB, which --memory cannot carry "
                        "(the Go package prints a wrapped-around number)",
                        (unsigned long long)memory_bytes);
}

static void add_number(vf__strv_builder *sb, const char *flag, uint64_t value)
{
    vf__strv_add(sb, flag);
    vf__buf_put_u64(&sb->bytes, value);
    vf__strv_end(sb);
}

static int write_devices(const vf_vm *vm, bool number_fds_for_child, vf__strv_builder *sb,
                         vf_error *err)
{
    int next_child_fd = 3; /* 0-2 are stdio; passed sockets follow in order */
    for (size_t i = 0; i < vm->n_devices; i++) {
        const vf_device *dev = vm->devices[i];
        const vf__device_ops *ops = dev ? vf__device_ops_of(dev->kind) : NULL;
        if (ops == NULL) {
            vf__error(err, VF_ERR_INVALID, "device %zu is NULL or of an unknown kind", i);
            vf__error_locate(err, "devices[%zu]", i);
            return VF_ERR_INVALID;
        }
        int child_fd = -1;
        if (number_fds_for_child && dev->kind == VF_DEVICE_VIRTIO_NET &&
            vf_device_as_virtio_net((vf_device *)dev)->socket_fd >= 0)
            child_fd = next_child_fd++;
        vf__strv_add(sb, "--device");
        int rc = ops->write_cmdline(dev, &sb->bytes, child_fd, err);
        if (rc != VF_OK) {
            vf__error_locate_prefix(err, "devices[%zu]", i);
            return rc;
        }
        vf__strv_end(sb);
    }
    return VF_OK;
}

/* `--cloud-init a,b`: vfkit splits the value like --bootloader, so every
 * file must survive that split, and a lone "" would read back as no list. */
static int write_cloud_init(char *const *files, vf__strv_builder *sb, vf_error *err)
{
    size_t n = vf_strv_length(files);
    if (n == 0)
        return VF_OK;
    if (n == 1 && files[0][0] == '\0')
        return vf__error_at(err, VF_ERR_AMBIGUOUS, "cloudInit[0]",
                            "'cloud-init' holds one empty path, which vfkit would read as none");
    vf__strv_add(sb, "--cloud-init");
    for (size_t i = 0; i < n; i++) {
        if (i != 0)
            vf__buf_putc(&sb->bytes, ',');
        int rc = vf__put_list_item(&sb->bytes, "cloud-init", files[i], true, err);
        if (rc != VF_OK) {
            vf__error_locate(err, "cloudInit[%zu]", i);
            return rc;
        }
    }
    vf__strv_end(sb);
    return VF_OK;
}

static void add_flag_if_set(vf__strv_builder *sb, const char *flag, const char *value)
{
    if (vf__empty(value))
        return;
    vf__strv_add(sb, flag);
    vf__strv_add(sb, value);
}

/* krunkit's own flags: vfkit has no way to say them (launcher.h). */
static int check_krunkit_only(const vf_vm *vm, vf_error *err)
{
    const char *flag = vm->has_krun_log_level          ? "--krun-log-level"
                       : !vf__empty(vm->log_file)      ? "--log-file"
                       : vm->oem_strings != NULL       ? "--oem-string"
                       : !vf__empty(vm->firmware_path) ? "--firmware-path"
                                                       : NULL;
    if (flag == NULL)
        return VF_OK;
    return vf__error(err, VF_ERR_UNSUPPORTED, "vfkit has no %s flag (krunkit's; see launcher.h)",
                     flag);
}

static int write_vm(const vf_vm *vm, bool number_fds_for_child, vf__strv_builder *sb, vf_error *err)
{
    bool gui = false;
    int rc = check_krunkit_only(vm, err);
    if (rc != VF_OK)
        return rc;
    rc = check_memory(vm->memory_bytes, err);
    if (rc == VF_OK) /* what vfkit refuses at start is not printed either */
        rc = vf__check_launch_flags(vm, err);
    if (rc != VF_OK)
        return rc;
    if (vm->vcpus != 0)
        add_number(sb, "--cpus", vm->vcpus);
    if (vm->memory_bytes != 0) /* MiB rounded up */
        add_number(sb, "--memory", (vm->memory_bytes + VF__MIB - 1) / VF__MIB);
    rc = vf__bootloader_write_cmdline(vm->bootloader, sb, err);
    if (rc != VF_OK)
        vf__error_locate_prefix(err, "bootloader");
    if (rc == VF_OK)
        rc = write_devices(vm, number_fds_for_child, sb, err);
    if (rc == VF_OK)
        rc = gui_flag(vm, &gui, err);
    if (rc == VF_OK && vm->timesync != NULL &&
        (rc = vf__timesync_write_cmdline(vm->timesync, sb, err)) != VF_OK)
        vf__error_locate_prefix(err, "timesync");
    if (rc == VF_OK && vm->ignition != NULL) {
        /* vfkit refuses an --ignition value with a ','. An empty path is
     * printed as the Go package does (vfkit then ignores it). */
        rc = vf__check_no_comma("ignition", vm->ignition->config_path, err);
        if (rc != VF_OK)
            vf__error_locate(err, "ignition.configPath");
        if (rc == VF_OK) {
            vf__strv_add(sb, "--ignition");
            vf__strv_add(sb, vm->ignition->config_path);
        }
    }
    if (rc != VF_OK)
        return rc;
    if (vm->nested)
        vf__strv_add(sb, "--nested");
    if (gui)
        vf__strv_add(sb, "--gui");
    add_flag_if_set(sb, "--restful-uri", vm->restful_uri);
    add_flag_if_set(sb, "--log-level", vm->log_level);
    add_flag_if_set(sb, "--pidfile", vm->pidfile);
    return write_cloud_init(vm->cloud_init, sb, err);
}

char **vf__vm_to_cmdline(const vf_vm *vm, bool number_fds_for_child, vf_error *err)
{
    if (vm == NULL) {
        vf__error(err, VF_ERR_INVALID, "to_cmdline: NULL VM");
        return NULL;
    }
    vf__strv_builder sb;
    vf__strv_init(&sb);
    vf__strv_reserve(&sb, estimate_strings(vm), estimate_bytes(vm));
    int rc = write_vm(vm, number_fds_for_child, &sb, err);
    if (rc != VF_OK) {
        vf__strv_release(&sb);
        return NULL;
    }
    return vf__strv_finish(&sb, err);
}

char **vf_vm_to_cmdline(const vf_vm *vm, vf_error *err)
{
    return vf__vm_to_cmdline(vm, false, err);
}
