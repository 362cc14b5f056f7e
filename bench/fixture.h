/*
 * vfbench - the VM being measured: podman machine's, on Apple's hypervisor.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFBENCH_FIXTURE_H
#define VFBENCH_FIXTURE_H

#include <stddef.h>

#include <vfconfig/vfconfig.h>

#define BENCH_VCPUS 4u
#define BENCH_MEMORY_MIB 2048u
#define BENCH_PODMAN_DEVICES 8u

/* The --device values of a podman machine, virtio-blk first. */
extern const char *const bench_podman_devices[BENCH_PODMAN_DEVICES];

/* n --device values cycling through the podman ones (pointers to static
 * strings). NULL on allocation failure; free() the array. */
const char **bench_device_values(size_t n);

/* The podman VM's EFI bootloader. NULL on allocation failure. */
vf_bootloader *bench_new_bootloader(void);

/* 4 vCPUs, 2048 MiB, EFI and the given --device values. NULL on error. */
vf_vm *bench_new_vm(const char *const *values, size_t n, vf_error *err);

/* Makes a scratch directory holding disk.img (virtio-blk's option parsing
 * opens it) and changes into it. dir receives its path. 0 or -1. */
int bench_enter_scratch_dir(char *dir, size_t size);
/* Goes back to where we were and removes the scratch directory. */
void bench_leave_scratch_dir(const char *dir);

#endif
