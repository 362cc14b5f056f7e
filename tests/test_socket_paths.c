/*
 * libvfconfig - unix socket paths against macOS's sun_path, which holds 103
 * bytes and a NUL (docs/design.md, difference 15). vfkit reads a longer
 * virtio-net unixSocketPath or virtio-vsock socketURL and fails only when
 * it starts, so reading keeps one; printing (vf_device_to_cmdline,
 * vf_vm_to_cmdline, the krunkit dialect) and vf_vm_cmd refuse it with
 * VF_ERR_LIMIT, naming the field by its JSON path and the length.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vfconfig/vfconfig.h"

#define LIMIT 103

/* "/tmp/" and then 'a's: a path of exactly len bytes. */
static const char *path_of(size_t len, char *buf)
{
    memset(buf, 'a', len);
    memcpy(buf, "/tmp/", 5);
    buf[len] = '\0';
    return buf;
}

/* err says "N bytes" and "limit of 103", names location and shows the
 * start of the path. */
static void assert_too_long(const vf_error *err, size_t len, const char *location)
{
    char bytes[32];
    snprintf(bytes, sizeof bytes, "is %zu bytes", len);
    assert_int_equal(err->code, VF_ERR_LIMIT);
    assert_string_equal(err->location, location);
    if (strstr(err->text, bytes) == NULL || strstr(err->text, "limit of 103 bytes") == NULL ||
        strstr(err->text, "\"/tmp/aaaa") == NULL)
        fail_msg("\"%s\" does not say %s, the limit and the path", err->text, bytes);
}

static vf_device *net_on(const char *path, bool magic)
{
    char value[256];
    snprintf(value, sizeof value, "virtio-net,%s%s%s",
             magic ? "unixSocketPath=" : "type=unixgram,path=", path,
             magic ? "" : ",vfkitMagic=off");
    vf_error err = {0};
    vf_device *dev = vf_device_from_cmdline(value, &err);
    if (dev == NULL)
        fail_msg("\"%s\" refused: %s", value, err.text);
    return dev;
}

static vf_device *vsock_on(const char *path)
{
    return &vf_virtio_vsock_new(1024, path, true)->base;
}

static void test_device_printing(void **state)
{
    (void)state;
    char fits[LIMIT + 1], over[LIMIT + 2];
    path_of(LIMIT, fits);
    path_of(LIMIT + 1, over);
    struct {
        vf_device *dev;
        const char *location;
    } cases[] = {
        {net_on(fits, true), NULL},
        {net_on(fits, false), NULL},
        {vsock_on(fits), NULL},
        {net_on(over, true), "unixSocketPath"},
        {net_on(over, false), "unixSocketPath"},
        {vsock_on(over), "socketURL"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vf_error err = {0};
        char **argv = vf_device_to_cmdline(cases[i].dev, &err);
        if (cases[i].location == NULL) {
            if (argv == NULL)
                fail_msg("case %zu: a path of %d bytes refused: %s", i, LIMIT, err.text);
            assert_non_null(strstr(argv[1], fits));
        } else {
            assert_null(argv);
            assert_too_long(&err, LIMIT + 1, cases[i].location);
        }
        vf_strv_free(argv);
        vf_device_free(cases[i].dev);
    }
}

static vf_vm *vm_with(vf_device *a, vf_device *b)
{
    vf_vm *vm = vf_vm_new(1, 512, &vf_efi_bootloader_new("/vm/efi", true)->base);
    assert_non_null(vm);
    vf_error err = {0};
    assert_int_equal(vf_vm_add_device(vm, &vf_virtio_rng_new()->base, &err), 0);
    assert_int_equal(vf_vm_add_device(vm, a, &err), 0);
    assert_int_equal(vf_vm_add_device(vm, b, &err), 0);
    return vm;
}

/* vf_vm_to_cmdline and vf_vm_cmd refuse the VM, naming the device. */
static void assert_vm_refused(const vf_vm *vm, size_t len, const char *location)
{
    vf_error err = {0};
    assert_null(vf_vm_to_cmdline(vm, &err));
    assert_too_long(&err, len, location);
    vf_cmd *cmd = NULL;
    vf_error cmd_err = {0};
    assert_int_equal(vf_vm_cmd(vm, "/usr/bin/vfkit", &cmd, &cmd_err), VF_ERR_LIMIT);
    assert_null(cmd);
    assert_too_long(&cmd_err, len, location);
    /* vfconfig check's view: the problem is listed. */
    vf_error check_err = {0};
    assert_int_equal(vf_vm_check_launcher(vm, NULL, NULL, NULL, &check_err), 1);
    assert_non_null(strstr(check_err.text, "limit of 103 bytes"));
}

static void test_vm_printing_and_cmd(void **state)
{
    (void)state;
    char fits[LIMIT + 1], over[200];
    path_of(LIMIT, fits);
    path_of(150, over);
    vf_vm *vm = vm_with(net_on(fits, true), vsock_on(over));
    assert_vm_refused(vm, 150, "devices[2].socketURL");
    vf_vm_free(vm);

    vm = vm_with(vsock_on(fits), net_on(over, true));
    assert_vm_refused(vm, 150, "devices[2].unixSocketPath");
    vf_vm_free(vm);

    vm = vm_with(net_on(fits, false), vsock_on(fits));
    vf_cmd *cmd = NULL;
    vf_error err = {0};
    assert_int_equal(vf_vm_cmd(vm, "/usr/bin/vfkit", &cmd, &err), 0);
    vf_cmd_free(cmd);
    vf_vm_free(vm);
}

/* krunkit runs on macOS too: its dialect refuses the same paths. */
static void test_krunkit_printing(void **state)
{
    (void)state;
    char over[200];
    path_of(150, over);
    vf_launcher krunkit;
    assert_int_equal(vf_launcher_newest(VF_LAUNCHER_KRUNKIT, &krunkit), 0);
    vf_vm *vm = vf_vm_new(1, 512, &vf_efi_bootloader_new("/vm/efi", true)->base);
    vf_error err = {0};
    assert_int_equal(vf_vm_add_device(vm, vsock_on(over), &err), 0);
    assert_null(vf_vm_to_cmdline_for(vm, &krunkit, &err));
    assert_non_null(strstr(err.text, "devices[0]: virtio-vsock: 'socketURL' is 150 bytes"));
    assert_non_null(strstr(err.text, "limit of 103 bytes"));
    vf_vm_free(vm);
}

/* vfkit reads such paths (and fails at start): the readers keep them. */
static void test_reading_keeps_long_paths(void **state)
{
    (void)state;
    char over[200], net[256], vsock[256], json[600];
    path_of(150, over);
    snprintf(net, sizeof net, "virtio-net,unixSocketPath=%s", over);
    snprintf(vsock, sizeof vsock, "virtio-vsock,port=1024,socketURL=%s,listen", over);
    const char *args[] = {
        "--bootloader", "efi,variable-store=/vm/efi", "--device", net, "--device", vsock, NULL};
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_cmdline(args, &err);
    if (vm == NULL)
        fail_msg("refused: %s", err.text);
    assert_string_equal(vf_device_as_virtio_net(vm->devices[0])->unix_socket_path, over);
    assert_string_equal(vf_device_as_virtio_vsock(vm->devices[1])->socket_url, over);
    vf_vm_free(vm);

    snprintf(json, sizeof json,
             "{\"vcpus\": 1, \"memoryBytes\": 536870912, \"devices\": ["
             "{\"kind\": \"virtionet\", \"nat\": false, \"unixSocketPath\": \"%s\"}, "
             "{\"kind\": \"virtiosock\", \"port\": 1024, \"socketURL\": \"%s\"}]}",
             over, over);
    vm = vf_vm_from_json(json, &err);
    if (vm == NULL)
        fail_msg("refused: %s", err.text);
    assert_int_equal(vm->n_devices, 2);
    /* And JSON, which starts nothing, is written. */
    char *back = vf_vm_to_json(vm, &err);
    assert_non_null(back);
    assert_non_null(strstr(back, over));
    free(back);
    vf_vm_free(vm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_printing),
        cmocka_unit_test(test_vm_printing_and_cmd),
        cmocka_unit_test(test_krunkit_printing),
        cmocka_unit_test(test_reading_keeps_long_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
