/*
 * libvfconfig - fuzz target: --bootloader values.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Input: one --bootloader value (up to the first NUL). It is parsed with
 * vf_bootloader_from_cmdline and, as part of a command line, with
 * vf_vm_from_cmdline; both must agree. What is accepted goes through the
 * round-trip checker.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int vf_fuzz_bootloader(const uint8_t *data, size_t size)
{
    char *value = vf_fuzz_string(data, size);
    vf_error err = {0};
    vf_bootloader *bl = vf_bootloader_from_cmdline(value, &err);
    if (vf_fuzz_accepted("vf_bootloader_from_cmdline", bl, &err))
        vf_fuzz_check_bootloader(bl, VF_FUZZ_FROM_CMDLINE);

    const char *args[] = {"--bootloader", value, NULL};
    vf_error vm_err = {0};
    vf_vm *vm = vf_vm_from_cmdline(args, &vm_err);
    if (vf_fuzz_accepted("vf_vm_from_cmdline", vm, &vm_err) != (bl != NULL))
        vf_fuzz_fail("vf_vm_from_cmdline %s (%s) where vf_bootloader_from_cmdline %s (%s)",
                     vm ? "succeeds" : "fails", vm_err.text, bl ? "succeeds" : "fails", err.text);
    if (vm != NULL) {
        char *a = vf_bootloader_to_json(bl, VF_JSON_COMPACT, NULL);
        char *b = vf_bootloader_to_json(vm->bootloader, VF_JSON_COMPACT, NULL);
        if (a == NULL || b == NULL || strcmp(a, b) != 0)
            vf_fuzz_fail("--bootloader read two ways differs: %s / %s", a ? a : "(null)",
                         b ? b : "(null)");
        free(a);
        free(b);
        vf_fuzz_check_vm(vm, VF_FUZZ_FROM_CMDLINE);
    }
    vf_vm_free(vm);
    vf_bootloader_free(bl);
    free(value);
    return 0;
}

VF_FUZZ_ENTRY_POINTS(vf_fuzz_bootloader)
