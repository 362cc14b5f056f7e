/*
 * Loads a VM saved as JSON, gives it more memory and CPUs and another shared
 * folder, saves it, and prints the new vfkit arguments. The JSON is the
 * format of vfkit's Go package, so a VM saved by podman or crc loads too.
 *
 * Usage: edit_json IN.json OUT.json
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>

#include <vfconfig/vfconfig.h>

static void die(const char *what, const vf_error *err)
{
    fprintf(stderr, "edit_json: %s: %s\n", what, err != NULL ? err->text : "out of memory");
    exit(1);
}

/* The whole file as a NUL-terminated string; the caller frees it. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    size_t len = 0, cap = 4096;
    char *data = malloc(cap);
    while (data != NULL) {
        len += fread(data + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break; /* end of file (or a read error, which ferror tells) */
        cap *= 2;
        char *bigger = realloc(data, cap);
        if (bigger == NULL)
            free(data);
        data = bigger;
    }
    int failed = ferror(f);
    fclose(f);
    if (data == NULL)
        die("read", NULL);
    if (failed) {
        perror(path);
        exit(1);
    }
    data[len] = '\0';
    return data;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: edit_json IN.json OUT.json\n");
        return 2;
    }
    vf_error err;
    char *json = read_file(argv[1]);
    vf_vm *vm = vf_vm_from_json(json, &err);
    free(json);
    if (vm == NULL)
        die(argv[1], &err);

    /* Plain fields are read and written directly. */
    vm->vcpus = 6;
    vm->memory_bytes = (uint64_t)8192 * 1024 * 1024;
    if (vf_vm_add_device(vm, (vf_device *)vf_virtio_fs_new("/Volumes/data", "data"), &err) != 0)
        die("share", &err);

    /* Devices of one kind, borrowed from the VM, in command-line order. */
    vf_device *shares[8];
    size_t n = vf_vm_filter_devices(vm, VF_DEVICE_VIRTIO_FS, shares, 8);
    for (size_t i = 0; i < n && i < 8; i++) {
        vf_virtio_fs *fs = vf_device_as_virtio_fs(shares[i]);
        fprintf(stderr, "share %zu: %s as %s\n", i, fs->shared_dir, fs->sharing.mount_tag);
    }

    char *saved = vf_vm_to_json_ex(vm, VF_JSON_PRETTY, &err);
    if (saved == NULL)
        die("JSON", &err);
    FILE *out = fopen(argv[2], "w");
    int written = out != NULL && fputs(saved, out) >= 0 && fputc('\n', out) != EOF;
    if (out != NULL && fclose(out) != 0)
        written = 0;
    free(saved);
    if (!written) {
        perror(argv[2]);
        return 1;
    }

    char **args = vf_vm_to_cmdline(vm, &err);
    if (args == NULL)
        die("command line", &err);
    for (size_t i = 0; args[i] != NULL; i++)
        puts(args[i]);
    vf_strv_free(args);
    vf_vm_free(vm);
    return 0;
}
