/*
 * libvfconfig - fuzz target: --device values.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Input: one or more --device values separated by NUL bytes. Each is parsed
 * alone (vf_device_from_cmdline), then all together into a VM
 * (vf_vm_add_devices_from_cmdline, which must agree); what is accepted
 * goes through the round-trip checker.
 */
#include <stdlib.h>

#include "fuzz.h"

int vf_fuzz_device(const uint8_t *data, size_t size)
{
    size_t n = 0;
    char **values = vf_fuzz_split_nul(data, size, &n);
    bool all_ok = true;
    for (size_t i = 0; i < n; i++) {
        vf_error err = {0};
        vf_device *dev = vf_device_from_cmdline(values[i], &err);
        if (!vf_fuzz_accepted("vf_device_from_cmdline", dev, &err)) {
            all_ok = false;
            continue;
        }
        vf_fuzz_check_device(dev, VF_FUZZ_FROM_CMDLINE);
        vf_device_free(dev);
    }

    vf_error err = {0};
    vf_vm *vm = vf_vm_new(2, 1024, vf_bootloader_from_cmdline("efi,variable-store=/efi", NULL));
    if (vm == NULL || vm->bootloader == NULL)
        abort();
    int rc = vf_vm_add_devices_from_cmdline(vm, (const char *const *)values, n, &err);
    if (rc != VF_OK)
        vf_fuzz_check_error("vf_vm_add_devices_from_cmdline", rc, &err);
    if ((rc == VF_OK) != all_ok)
        vf_fuzz_fail("vf_vm_add_devices_from_cmdline %s where vf_device_from_cmdline %s",
                     rc == VF_OK ? "succeeds" : "fails", all_ok ? "succeeds" : "fails");
    if (rc == VF_OK) {
        if (vm->n_devices != n)
            vf_fuzz_fail("%zu values gave %zu devices", n, vm->n_devices);
        vf_fuzz_check_vm(vm, VF_FUZZ_FROM_CMDLINE);
    } else if (vm->n_devices != 0) {
        vf_fuzz_fail("vf_vm_add_devices_from_cmdline failed but added %zu devices", vm->n_devices);
    }
    vf_vm_free(vm);
    free(values);
    return 0;
}

VF_FUZZ_ENTRY_POINTS(vf_fuzz_device)
