/*
 * libvfconfig - a VM against a launcher: every problem listed, the argv in
 * the launcher's dialect, and a command line read as the launcher reads it.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "cmdline/cmdline.h"
#include "launcher/launcher.h"
#include "model/device_ops.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/macros.h"
#include "util/str.h"

void vf__problems_init(vf__problems *p, const vf_launcher *launcher, vf_launcher_problem_fn fn,
                       void *ctx)
{
    memset(p, 0, sizeof *p);
    p->launcher = launcher;
    p->fn = fn;
    p->ctx = ctx;
    p->device = -1;
}

int vf__problem(vf__problems *p, const char *fmt, ...)
{
    char text[VF_ERROR_TEXT_LENGTH];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (p->count++ == 0) {
        if (p->device >= 0)
            vf__error(&p->first, VF_ERR_UNSUPPORTED, "devices[%ld]: %s", p->device, text);
        else
            vf__error(&p->first, VF_ERR_UNSUPPORTED, "%s", text);
    }
    if (p->fn != NULL) {
        vf_launcher_problem problem = {p->device, text};
        p->fn(&problem, p->ctx);
    }
    return VF_ERR_UNSUPPORTED;
}

/* The launcher meant: NULL is the newest vfkit. */
static const vf_launcher *launcher_or_default(const vf_launcher *launcher, vf_launcher *tmp)
{
    if (launcher != NULL)
        return launcher;
    vf_launcher_newest(VF_LAUNCHER_VFKIT, tmp);
    return tmp;
}

static bool valid_launcher(const vf_launcher *l)
{
    return l->kind == VF_LAUNCHER_VFKIT || l->kind == VF_LAUNCHER_KRUNKIT;
}

/* ---- vfkit -------------------------------------------------------------- */

/* What only krunkit has; vfkit's printer refuses these too. */
static void krunkit_only(const vf_vm *vm, vf__problems *p)
{
    if (vm->has_krun_log_level)
        vf__problem(p, "vfkit has no --krun-log-level flag (krunkit >= 0.1.4 has it)");
    if (!vf__empty(vm->log_file))
        vf__problem(p, "vfkit has no --log-file flag (krunkit >= 1.1.0 has it)");
    if (vm->oem_strings != NULL)
        vf__problem(p, "vfkit has no --oem-string flag (krunkit >= 0.1.1 has it)");
    if (!vf__empty(vm->firmware_path))
        vf__problem(p, "vfkit has no --firmware-path flag (krunkit >= 1.2.0 has it)");
}

/* Every device on its own (its vfkit value and the release of each of its
 * options), then the VM's own flags on a copy without devices, so one
 * refused device does not hide the rest. */
static void check_vfkit(const vf_vm *vm, vf__problems *p)
{
    vf__buf value;
    vf__buf_init(&value);
    for (size_t i = 0; i < vm->n_devices; i++) {
        const vf_device *dev = vm->devices[i];
        const vf__device_ops *ops = dev ? vf__device_ops_of(dev->kind) : NULL;
        p->device = (long)i;
        value.len = 0;
        vf_error why = {0};
        if (ops == NULL) {
            vf__problem(p, "the device is NULL or of an unknown kind");
        } else if (ops->write_cmdline(dev, &value, -1, &why) != VF_OK) {
            p->nomem |= why.code == VF_ERR_NOMEM;
            if (why.code != VF_ERR_NOMEM)
                vf__problem(p, "%s", why.text);
        } else {
            vf__buf_putc(&value, '\0');
            if (value.failed)
                p->nomem = true;
            else
                vf__check_device_releases(value.data, p);
        }
    }
    vf__buf_release(&value);
    p->device = -1;
    krunkit_only(vm, p);
    vf_vm flags = *vm;
    flags.n_devices = 0;
    flags.has_krun_log_level = false;
    flags.log_file = flags.firmware_path = NULL;
    flags.oem_strings = NULL;
    vf_error why = {0};
    char **argv = vf__vm_to_cmdline(&flags, false, &why);
    if (argv == NULL) {
        p->nomem |= why.code == VF_ERR_NOMEM;
        if (why.code != VF_ERR_NOMEM)
            vf__problem(p, "%s", why.text);
        return;
    }
    vf__check_releases(argv, p);
    vf_strv_free(argv);
    if (p->count == 0 && !p->nomem) {
        /* What only the whole VM shows (--gui on two GPUs, ...). */
        argv = vf__vm_to_cmdline(vm, false, &why);
        if (argv == NULL && why.code != VF_ERR_NOMEM)
            vf__problem(p, "%s", why.text);
        p->nomem |= argv == NULL && why.code == VF_ERR_NOMEM;
        vf_strv_free(argv);
    }
}

/* ---- krunkit ------------------------------------------------------------ */

/* What krunkit refuses once it builds the VM (KrunContext::try_from). */
static void krunkit_limits(const vf_vm *vm, vf__problems *p)
{
    uint64_t mib = vm->memory_bytes / VF__MIB + (vm->memory_bytes % VF__MIB != 0);
    if (vm->vcpus == 0)
        vf__problem(p, "krunkit refuses 0 vCPUs");
    if (mib == 0)
        vf__problem(p, "krunkit refuses 0 MiB of memory");
    else if (mib > 61440 && mib <= UINT32_MAX)
        vf__problem(p, "krunkit refuses more than 61440 MiB of memory (%llu)",
                    (unsigned long long)mib);
    if (vf_strv_length(vm->oem_strings) > 255)
        vf__problem(p, "krunkit refuses more than 255 OEM strings (%zu)",
                    vf_strv_length(vm->oem_strings));
}

/* krunkit's argv for vm; problems reported, the argv built all the same
 * (NULL only when an allocation failed). */
static char **krunkit_argv(const vf_vm *vm, bool number_fds, vf__problems *p, vf_error *err)
{
    vf__strv_builder sb;
    vf__strv_init(&sb);
    vf__strv_reserve(&sb, 2 * vm->n_devices + 32, 1024 + 256 * vm->n_devices);
    vf__krunkit_write(vm, number_fds, &sb, p);
    char **argv = vf__strv_finish(&sb, err);
    if (argv != NULL)
        vf__check_releases(argv, p);
    return argv;
}

/* ---- entry points ------------------------------------------------------- */

int vf_vm_check_launcher(const vf_vm *vm, const vf_launcher *launcher, vf_launcher_problem_fn fn,
                         void *ctx, vf_error *err)
{
    vf_launcher tmp;
    launcher = launcher_or_default(launcher, &tmp);
    if (vm == NULL || !valid_launcher(launcher))
        return vf__error(err, VF_ERR_INVALID, "check: NULL VM or an unknown launcher");
    vf__problems p;
    vf__problems_init(&p, launcher, fn, ctx);
    if (launcher->kind == VF_LAUNCHER_VFKIT) {
        check_vfkit(vm, &p);
    } else {
        vf_error why = {0};
        char **argv = krunkit_argv(vm, false, &p, &why);
        if (argv == NULL)
            p.nomem = true;
        vf_strv_free(argv);
        krunkit_limits(vm, &p);
    }
    if (p.nomem)
        return vf__error_nomem(err);
    if (p.count != 0 && err != NULL)
        *err = p.first;
    return p.count > (size_t)INT32_MAX ? INT32_MAX : (int)p.count;
}

char **vf__vm_to_cmdline_for(const vf_vm *vm, const vf_launcher *launcher, bool number_fds,
                             vf_error *err)
{
    vf_launcher tmp;
    launcher = launcher_or_default(launcher, &tmp);
    if (vm == NULL || !valid_launcher(launcher)) {
        vf__error(err, VF_ERR_INVALID, "to_cmdline: NULL VM or an unknown launcher");
        return NULL;
    }
    vf__problems p;
    vf__problems_init(&p, launcher, NULL, NULL);
    char **argv = NULL;
    if (launcher->kind == VF_LAUNCHER_KRUNKIT) {
        argv = krunkit_argv(vm, number_fds, &p, err);
        if (argv == NULL)
            return NULL;
    } else {
        check_vfkit(vm, &p);
        if (p.count == 0 && !p.nomem)
            return vf__vm_to_cmdline(vm, number_fds, err);
    }
    if (p.count == 0 && !p.nomem)
        return argv;
    vf_strv_free(argv);
    if (p.nomem)
        vf__error_nomem(err);
    else if (err != NULL)
        *err = p.first;
    return NULL;
}

char **vf_vm_to_cmdline_for(const vf_vm *vm, const vf_launcher *launcher, vf_error *err)
{
    return vf__vm_to_cmdline_for(vm, launcher, false, err);
}

/* Refuses what the release (older than the newest) does not accept. */
static vf_vm *check_read_release(vf_vm *vm, const vf_launcher *launcher, vf_error *err)
{
    if (vm == NULL || vf__release_of(launcher) >= vf__newest_release(launcher->kind))
        return vm;
    vf__problems p;
    vf__problems_init(&p, launcher, NULL, NULL);
    vf_error why = {0};
    char **argv = launcher->kind == VF_LAUNCHER_KRUNKIT ? krunkit_argv(vm, false, &p, &why)
                                                        : vf__vm_to_cmdline(vm, false, &why);
    if (argv != NULL && launcher->kind == VF_LAUNCHER_VFKIT)
        vf__check_releases(argv, &p);
    vf_strv_free(argv);
    if (why.code == VF_ERR_NOMEM || p.nomem) {
        vf_vm_free(vm);
        vf__error_nomem(err);
        return NULL;
    }
    if (p.count == 0)
        return vm;
    vf_vm_free(vm);
    if (err != NULL)
        *err = p.first;
    return NULL;
}

vf_vm *vf_vm_from_cmdline_for(const char *const *args, const vf_launcher *launcher, vf_error *err)
{
    vf_launcher tmp;
    launcher = launcher_or_default(launcher, &tmp);
    if (args == NULL || !valid_launcher(launcher)) {
        vf__error(err, VF_ERR_INVALID, "from_cmdline: NULL arguments or an unknown launcher");
        return NULL;
    }
    vf_vm *vm = launcher->kind == VF_LAUNCHER_KRUNKIT ? vf__krunkit_from_cmdline(args, err)
                                                      : vf_vm_from_cmdline(args, err);
    return check_read_release(vm, launcher, err);
}
