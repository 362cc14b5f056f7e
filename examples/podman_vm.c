/*
 * A VM set up the way `podman machine` sets one up on macOS: EFI boot with a
 * variable store, a raw disk, entropy, a serial log, two shared folders, a
 * vsock port the guest reports readiness on, Rosetta, and a network behind
 * gvproxy on a unixgram socket. Prints vfkit's arguments, one a line, or
 * with --json the VM as JSON (examples/podman-vm.json is that output).
 *
 * With --krunkit, the VM podman's libkrun provider starts with krunkit
 * instead: no Rosetta (krunkit has no such device), krunkit's offloading on
 * the gvproxy network, libkrun's log level; it is checked against krunkit,
 * printed in krunkit's dialect and read back as krunkit reads it
 * (examples/podman-vm-krunkit.json is its --json output).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vfconfig/vfconfig.h>

#define APPLEHV_DIR "/Users/me/.local/share/containers/podman/machine/applehv"
#define LIBKRUN_DIR "/Users/me/.local/share/containers/podman/machine/libkrun"
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

static vf_vm *podman_machine(bool krunkit)
{
    vf_error err;
    const char *dir = krunkit ? LIBKRUN_DIR : APPLEHV_DIR;
    char path[256];
    snprintf(path, sizeof path, "%s/efi-bl-podman-machine-default", dir);
    vf_efi_bootloader *efi = vf_efi_bootloader_new(path, true);
    if (efi == NULL)
        die("EFI bootloader", NULL);
    /* vf_vm_new() owns the bootloader from here on, also if it fails. */
    vf_vm *vm = vf_vm_new(4, 2048, &efi->base);
    if (vm == NULL)
        die("new VM", NULL);

    snprintf(path, sizeof path, "%s/podman-machine-default-arm64.raw", dir);
    add(vm, (vf_device *)vf_virtio_blk_new(path));
    add(vm, (vf_device *)vf_virtio_rng_new());
    snprintf(path, sizeof path, "%s/podman-machine-default.log", dir);
    add(vm, (vf_device *)vf_virtio_serial_new(path));

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
    vf_virtio_net_set_offloading(net, krunkit); /* krunkit's offloading: gvproxy takes it */
    add(vm, &net->base);

    /* Shared folders; podman mounts them in the guest by these tags. */
    add(vm, (vf_device *)vf_virtio_fs_new("/Users", "a2a0ee2c717462feb1de2f5afd59de5fd2d8"));
    add(vm, (vf_device *)vf_virtio_fs_new("/private", "71708eb255bc230cd7c91dd26f7667a7b938"));

    /* Rosetta runs x86_64 binaries; carry on without it on an Intel Mac. */
    if (!krunkit) {
        vf_rosetta_share *rosetta = vf_rosetta_share_new("rosetta");
        if (rosetta != NULL)
            rosetta->ignore_if_missing = true;
        add(vm, (vf_device *)rosetta);
    }

    /* podman talks to vfkit's REST API to stop the VM; the library frees the string with free(). */
    vm->restful_uri = strdup("tcp://localhost:49231");
    if (vm->restful_uri == NULL)
        die("restful URI", NULL);
    if (krunkit)
        vf_vm_set_krun_log_level(vm, 3); /* info */
    return vm;
}

static void print_problem(const vf_launcher_problem *problem, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "podman_vm: %s\n", problem->message);
}

/* krunkit's arguments, after checking that krunkit can run the VM; read
 * back as krunkit's parser reads them, they print the same again. */
static char **krunkit_args(const vf_vm *vm)
{
    vf_error err;
    vf_launcher krunkit;
    if (vf_launcher_parse("krunkit@1.2.1", &krunkit, &err) != 0)
        die("launcher", &err);
    if (vf_vm_check_launcher(vm, &krunkit, print_problem, NULL, &err) != 0)
        die("krunkit cannot run the VM", &err);
    char **args = vf_vm_to_cmdline_for(vm, &krunkit, &err);
    if (args == NULL)
        die("command line", &err);
    vf_vm *back = vf_vm_from_cmdline_for((const char *const *)args, &krunkit, &err);
    char **again = back ? vf_vm_to_cmdline_for(back, &krunkit, &err) : NULL;
    if (again == NULL)
        die("reading the command line back", &err);
    for (size_t i = 0; args[i] != NULL || again[i] != NULL; i++)
        if (args[i] == NULL || again[i] == NULL || strcmp(args[i], again[i]) != 0)
            die("krunkit reads the command line as another VM", NULL);
    vf_strv_free(again);
    vf_vm_free(back);
    return args;
}

int main(int argc, char **argv)
{
    bool as_json = false, krunkit = false;
    for (int i = 1; i < argc; i++) {
        as_json |= strcmp(argv[i], "--json") == 0;
        krunkit |= strcmp(argv[i], "--krunkit") == 0;
    }
    vf_error err;
    vf_vm *vm = podman_machine(krunkit);

    if (as_json) {
        char *json = vf_vm_to_json_ex(vm, VF_JSON_PRETTY, &err);
        if (json == NULL)
            die("JSON", &err);
        puts(json);
        free(json);
    } else {
        char **args = krunkit ? krunkit_args(vm) : vf_vm_to_cmdline(vm, &err);
        if (args == NULL)
            die("command line", &err);
        for (size_t i = 0; args[i] != NULL; i++)
            puts(args[i]);
        vf_strv_free(args);
    }
    vf_vm_free(vm);
    return 0;
}
