/*
 * vfbench - the VM being measured: podman machine's, on Apple's hypervisor.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#define PODMAN_DIR "/Users/me/.local/share/containers/podman/machine/applehv"
#define PODMAN_RUN "/var/folders/xx/podman"

const char *const bench_podman_devices[BENCH_PODMAN_DEVICES] = {
    "virtio-blk,path=disk.img",
    "virtio-rng",
    "virtio-serial,logFilePath=" PODMAN_DIR "/podman-machine-default.log",
    "virtio-fs,sharedDir=/Users,mountTag=a2a0ee2c717462feb1de2f5afd59de5fd2d8",
    "virtio-fs,sharedDir=/private,mountTag=71708eb255bc230cd7c91dd26f7667a7b938",
    "virtio-vsock,port=1025,socketURL=" PODMAN_RUN "/podman-machine-default.sock,listen",
    "rosetta,mountTag=rosetta,install",
    "virtio-net,unixSocketPath=" PODMAN_RUN
    "/podman-machine-default-gvproxy.sock,mac=5a:94:ef:e4:0c:ee",
};

const char **bench_device_values(size_t n)
{
    const char **values = calloc(n ? n : 1, sizeof *values);
    if (values == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        values[i] = bench_podman_devices[i % BENCH_PODMAN_DEVICES];
    return values;
}

vf_bootloader *bench_new_bootloader(void)
{
    vf_efi_bootloader *efi =
        vf_efi_bootloader_new(PODMAN_DIR "/efi-bl-podman-machine-default", false);
    return efi ? &efi->base : NULL;
}

vf_vm *bench_new_vm(const char *const *values, size_t n, vf_error *err)
{
    vf_vm *vm = vf_vm_new(BENCH_VCPUS, BENCH_MEMORY_MIB, bench_new_bootloader());
    if (vm == NULL || vm->bootloader == NULL) {
        vf_vm_free(vm);
        if (err != NULL) {
            err->code = VF_ERR_NOMEM;
            snprintf(err->text, sizeof err->text, "out of memory");
        }
        return NULL;
    }
    if (vf_vm_add_devices_from_cmdline(vm, values, n, err) != 0) {
        vf_vm_free(vm);
        return NULL;
    }
    return vm;
}

static char previous_dir[4096];

int bench_enter_scratch_dir(char *dir, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] == '\0')
        tmp = "/tmp";
    if (snprintf(dir, size, "%s/vfbench.XXXXXX", tmp) >= (int)size || mkdtemp(dir) == NULL)
        return -1;
    if (getcwd(previous_dir, sizeof previous_dir) == NULL || chdir(dir) != 0)
        return -1;
    /* A raw image: anything but qcow2's "QFI\xfb" magic. */
    FILE *img = fopen("disk.img", "wb");
    if (img == NULL)
        return -1;
    char block[4096];
    memset(block, 0, sizeof block);
    size_t written = fwrite(block, 1, sizeof block, img);
    return fclose(img) == 0 && written == sizeof block ? 0 : -1;
}

void bench_leave_scratch_dir(const char *dir)
{
    if (unlink("disk.img") != 0 || chdir(previous_dir) != 0 || rmdir(dir) != 0)
        perror("vfbench: cleaning up the scratch directory");
}
