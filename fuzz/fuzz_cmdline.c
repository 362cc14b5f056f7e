/*
 * libvfconfig - fuzz target: whole vfkit command lines.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Input: the arguments (without the program name) separated by NUL bytes,
 * read with vf_vm_from_cmdline. What is accepted goes through the
 * round-trip checker.
 */
#include <stdlib.h>

#include "fuzz.h"

int vf_fuzz_cmdline(const uint8_t *data, size_t size)
{
    size_t n = 0;
    char **args = vf_fuzz_split_nul(data, size, &n);
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_cmdline((const char *const *)args, &err);
    if (vf_fuzz_accepted("vf_vm_from_cmdline", vm, &err))
        vf_fuzz_check_vm(vm, VF_FUZZ_FROM_CMDLINE);
    vf_vm_free(vm);
    free(args);
    return 0;
}

VF_FUZZ_ENTRY_POINTS(vf_fuzz_cmdline)
