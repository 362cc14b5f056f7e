/*
 * A VM set up the way `podman machine` sets one up on macOS: EFI boot with a
 * variable store, a raw disk, entropy, a serial log, two shared folders, a
 * vsock port the guest reports readiness on, Rosetta, and a network behind
 * gvproxy on a unixgram socket. Prints vfkit's arguments, one a line, or
 * with --json the VM as JSON (examples/podman-vm.json is that output).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vfconfig/vfconfig.h>

#define MACHINE_DIR "/Users/me/.local/share/containers/podman/machine/applehv"
#define RUNTIME_DIR "/var/folders/k7/T/podman"

/* Prints the library's message and exits: an example has no better plan. */
static void die(const char *what, const vf_error *err)
{
    fprintf(stderr, "podman_vm: %s: %s\n", what, err != NULL ? err->text : "out of memory");
    exit(1);
}

/*
 * vf_vm_add_device() takes the device whatever happens, so no cleanup here.
 * Every device struct starts with its vf_device, so `(vf_device *)blk` is
 * `&blk->base` that also keeps NULL (an allocation failure) as NULL.
 */
static void add(vf_vm *vm, vf_device *dev)
{
    vf_error err;
    if (dev == NULL)
        die("new device", NULL);
    if (vf_vm_add_device(vm, dev, &err) != 0)
        die("add device", &err);
}

static vf_vm *podman_machine(void)
{
    vf_error err;
    vf_efi_bootloader *efi =
        vf_efi_bootloader_new(MACHINE_DIR "/efi-bl-podman-machine-default", true);
    if (efi == NULL)
        die("EFI bootloader", NULL);
    /* vf_vm_new() owns the bootloader from here on, also if it fails. */
    vf_vm *vm = vf_vm_new(4, 2048, &efi->base);
    if (vm == NULL)
        die("new VM", NULL);

    add(vm, (vf_device *)vf_virtio_blk_new(MACHINE_DIR "/podman-machine-default-arm64.raw"));
    add(vm, (vf_device *)vf_virtio_rng_new());
    add(vm, (vf_device *)vf_virtio_serial_new(MACHINE_DIR "/podman-machine-default.log"));

    /* The guest connects to vsock port 1025 when it is up; podman listens on the socket. */
    add(vm,
        (vf_device *)vf_virtio_vsock_new(1025, RUNTIME_DIR "/podman-machine-default.sock", true));

    /* gvproxy provides the network; vfkit sends it the magic datagram first. */
    vf_virtio_net *net = vf_virtio_net_new("5a:94:ef:e4:0c:ee", &err);
    if (net == NULL)
        die("virtio-net", &err);
    if (vf_virtio_net_set_unix_socket_path(net, RUNTIME_DIR
                                           "/podman-machine-default-gvproxy.sock") != 0) {
        vf_device_free(&net->base);
        die("virtio-net socket", NULL);
    }
    add(vm, &net->base);

    /* Shared folders; podman mounts them in the guest by these tags. */
    add(vm, (vf_device *)vf_virtio_fs_new("/Users", "a2a0ee2c717462feb1de2f5afd59de5fd2d8"));
    add(vm, (vf_device *)vf_virtio_fs_new("/private", "71708eb255bc230cd7c91dd26f7667a7b938"));

    /* Rosetta runs x86_64 binaries; carry on without it on an Intel Mac. */
    vf_rosetta_share *rosetta = vf_rosetta_share_new("rosetta");
    if (rosetta != NULL)
        rosetta->ignore_if_missing = true;
    add(vm, (vf_device *)rosetta);

    /* podman talks to vfkit's REST API to stop the VM; the library frees the string with free(). */
    vm->restful_uri = strdup("tcp://localhost:49231");
    if (vm->restful_uri == NULL)
        die("restful URI", NULL);
    return vm;
}

int main(int argc, char **argv)
{
    int as_json = argc > 1 && strcmp(argv[1], "--json") == 0;
    vf_error err;
    vf_vm *vm = podman_machine();

    if (as_json) {
        char *json = vf_vm_to_json_ex(vm, VF_JSON_PRETTY, &err);
        if (json == NULL)
            die("JSON", &err);
        puts(json);
        free(json);
    } else {
        char **args = vf_vm_to_cmdline(vm, &err);
        if (args == NULL)
            die("command line", &err);
        for (size_t i = 0; args[i] != NULL; i++)
            puts(args[i]);
        vf_strv_free(args);
    }
    vf_vm_free(vm);
    return 0;
}
