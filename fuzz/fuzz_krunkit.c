/*
 * libvfconfig - fuzz target: whole krunkit command lines.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Input: the arguments (without the program name) separated by NUL bytes,
 * read as the newest krunkit reads them (vf_vm_from_cmdline_for). What is
 * accepted must print in krunkit's dialect (vf_vm_to_cmdline_for), and the
 * print must read back as the same VM and print the same arguments again.
 * The one refusal allowed when printing is a socket path over sun_path,
 * which krunkit's reader takes and the printer does not (difference 15).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static char *lossless_json(const vf_vm *vm)
{
    vf_error err = {0};
    char *json = vf_vm_to_json_ex(vm, VF_JSON_LOSSY_UTF8, &err);
    if (json == NULL)
        vf_fuzz_fail("vf_vm_to_json_ex refused a VM krunkit's reader accepted: %s", err.text);
    return json;
}

static bool too_long(const char *path)
{
    return path != NULL && strlen(path) > VF_RESTFUL_UNIX_PATH_MAX;
}

/* A unix socket path the printer refuses: a device's, or the REST API's. */
static bool has_long_socket_path(const vf_vm *vm)
{
    for (size_t i = 0; i < vm->n_devices; i++) {
        const vf_virtio_net *net = vf_device_as_virtio_net(vm->devices[i]);
        const vf_virtio_vsock *vsock = vf_device_as_virtio_vsock(vm->devices[i]);
        if ((net != NULL && too_long(net->unix_socket_path)) ||
            (vsock != NULL && too_long(vsock->socket_url)))
            return true;
    }
    const char *uri = vm->restful_uri;
    return uri != NULL && strncmp(uri, "unix://", 7) == 0 && too_long(uri + 7);
}

static void check_krunkit_vm(const vf_vm *vm, const vf_launcher *krunkit)
{
    vf_error err = {0};
    char **printed = vf_vm_to_cmdline_for(vm, krunkit, &err);
    if (printed == NULL) {
        vf_fuzz_check_error("vf_vm_to_cmdline_for", err.code, &err);
        if (err.code != VF_ERR_UNSUPPORTED || !has_long_socket_path(vm))
            vf_fuzz_fail("krunkit's print of an accepted VM was refused: %s", err.text);
        return;
    }
    vf_vm *again = vf_vm_from_cmdline_for((const char *const *)printed, krunkit, &err);
    if (again == NULL)
        vf_fuzz_fail("krunkit's print does not read back: %s", err.text);
    char *want = lossless_json(vm), *got = lossless_json(again);
    if (strcmp(want, got) != 0)
        vf_fuzz_fail("krunkit's print reads back as another VM:\n  %s\n  %s", want, got);
    char **reprinted = vf_vm_to_cmdline_for(again, krunkit, &err);
    if (reprinted == NULL)
        vf_fuzz_fail("the VM krunkit's print reads back as does not print: %s", err.text);
    if (!vf_fuzz_strv_equal(printed, reprinted))
        vf_fuzz_fail("krunkit's print is not a fixed point");
    free(want);
    free(got);
    vf_strv_free(reprinted);
    vf_strv_free(printed);
    vf_vm_free(again);
}

int vf_fuzz_krunkit(const uint8_t *data, size_t size)
{
    vf_launcher krunkit;
    if (vf_launcher_newest(VF_LAUNCHER_KRUNKIT, &krunkit) != VF_OK)
        vf_fuzz_fail("no newest krunkit release");
    size_t n = 0;
    char **args = vf_fuzz_split_nul(data, size, &n);
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_cmdline_for((const char *const *)args, &krunkit, &err);
    if (vf_fuzz_accepted("vf_vm_from_cmdline_for", vm, &err))
        check_krunkit_vm(vm, &krunkit);
    vf_vm_free(vm);
    free(args);
    return 0;
}

VF_FUZZ_ENTRY_POINTS(vf_fuzz_krunkit)
