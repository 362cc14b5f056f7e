/*
 * libvfconfig - vfkit's launch flags on a VM: the validating setters, the
 * printer refusing what vfkit (and the reader) refuse, and the round trips
 * through the command line and JSON that keep nested, vfkitMagic=off and
 * the launch flags (docs/design.md, differences 7 to 9 and 11). Expected
 * values come from vfkit's cmd/vfkit (getLogLevel, rest.NewServer's URI
 * checks, generateCloudInitImage) and the Go package's JSON keys.
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
#include "core_asserts.h"

static vf_vm *efi_vm(void)
{
    vf_vm *vm = vf_vm_new(2, 1024, &vf_efi_bootloader_new("/efi", true)->base);
    assert_non_null(vm);
    return vm;
}

static void test_log_level_setter_takes_vfkit_levels_only(void **state)
{
    (void)state;
    vf_vm *vm = efi_vm();
    vf_error err = {0};
    static const char *const ok[] = {"error", "info", "debug"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(vf_vm_set_log_level(vm, ok[i], &err), 0);
        assert_string_equal(vm->log_level, ok[i]);
    }
    static const char *const bad[] = {"verbose", "Info", "warn", " debug"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(vf_vm_set_log_level(vm, bad[i], &err), VF_ERR_INVALID);
        assert_error(&err, VF_ERR_INVALID, "'logLevel'");
        assert_string_equal(vm->log_level, "debug"); /* unchanged */
    }
    assert_int_equal(vf_vm_set_log_level(vm, "", &err), 0);
    assert_null(vm->log_level);
    vf_vm_free(vm);
}

static void test_restful_uri_setter_takes_what_vfkit_serves(void **state)
{
    (void)state;
    vf_vm *vm = efi_vm();
    vf_error err = {0};
    static const char *const ok[] = {"none://", "unix:///tmp/vf.sock", "tcp://localhost:8080",
                                     "tcp://[::1]:8080", "tcp://[fe80::1%25en0]:8080"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (vf_vm_set_restful_uri(vm, ok[i], &err) != 0)
            fail_msg("%s: %s", ok[i], err.text);
        assert_string_equal(vm->restful_uri, ok[i]);
    }
    char long_path[160] = "unix:///";
    memset(long_path + 8, 'a', 103); /* 104 bytes with the leading '/' */
    const char *bad[] = {"garbage",
                         "unix://relative.sock",
                         long_path,
                         "tcp://[127.0.0.1]:8080",
                         "tcp://[localhost]:8080",
                         "tcp://a[b]:80",
                         "unix:///tmp/real.sock%00/ignored",
                         "ftp://localhost:21"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (vf_vm_set_restful_uri(vm, bad[i], &err) == 0)
            fail_msg("accepted %s", bad[i]);
        assert_error(&err, VF_ERR_INVALID, "'restfulURI'");
        assert_string_equal(vm->restful_uri, ok[4]);
    }
    /* 103 bytes is the macOS limit, and it is taken */
    long_path[8 + 102] = '\0';
    assert_int_equal(vf_vm_set_restful_uri(vm, long_path, &err), 0);
    assert_int_equal(vf_vm_set_restful_uri(vm, NULL, &err), 0);
    assert_null(vm->restful_uri);
    vf_vm_free(vm);
}

static void test_cloud_init_setter_needs_user_data_or_meta_data(void **state)
{
    (void)state;
    vf_vm *vm = efi_vm();
    vf_error err = {0};
    assert_int_equal(vf_vm_set_cloud_init(vm, (const char *const[]){"/ci/user-data", NULL}, &err),
                     0);
    assert_int_equal(
        vf_vm_set_cloud_init(
            vm, (const char *const[]){"", "/ci/network-config", "/ci/meta-data/", NULL}, &err),
        0);
    assert_int_equal(vf_strv_length(vm->cloud_init), 3);
    assert_int_equal(vf_vm_set_cloud_init(vm, (const char *const[]){"/ci/seed.img", NULL}, &err),
                     VF_ERR_INVALID);
    assert_error(&err, VF_ERR_INVALID, "'cloudInit'");
    assert_int_equal(vf_vm_set_cloud_init(vm, (const char *const[]){"", "", NULL}, &err),
                     VF_ERR_INVALID);
    assert_int_equal(vf_strv_length(vm->cloud_init), 3); /* unchanged */
    assert_int_equal(vf_vm_set_cloud_init(vm, NULL, &err), 0);
    assert_null(vm->cloud_init);
    assert_int_equal(vf_vm_set_pidfile(vm, "/run/vfkit.pid", &err), 0);
    assert_string_equal(vm->pidfile, "/run/vfkit.pid");
    vf_vm_free(vm);
}

/* Fields set by hand, past the setters: what vf_vm_from_cmdline (and
 * vfkit) refuse is not printed, and the error names the field. */
static void test_to_cmdline_refuses_launch_flags_vfkit_refuses(void **state)
{
    (void)state;
    static const struct {
        size_t field; /* 0 log level, 1 restful URI, 2 cloud-init */
        const char *value, *named;
    } cases[] = {
        {0, "verbose", "'logLevel'"},
        {1, "garbage", "'restfulURI'"},
        {1, "unix://relative.sock", "'restfulURI'"},
        {1,
         "unix:///tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaa.sock",
         "'restfulURI'"},
        {2, "/ci/seed.img", "'cloudInit'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vf_vm *vm = efi_vm();
        if (cases[i].field == 0)
            vm->log_level = strdup(cases[i].value);
        else if (cases[i].field == 1)
            vm->restful_uri = strdup(cases[i].value);
        else
            vm->cloud_init = vf_split_quoted_list(cases[i].value, NULL);
        vf_error err = {0};
        char **argv = vf_vm_to_cmdline(vm, &err);
        if (argv != NULL)
            fail_msg("printed %s", cases[i].value);
        assert_error(&err, VF_ERR_INVALID, cases[i].named);
        /* and vfkit's reading refuses the same value */
        const char *flags[] = {"--log-level", "--restful-uri", "--cloud-init"};
        const char *line[] = {"-b", "efi", flags[cases[i].field], cases[i].value, NULL};
        assert_null(vf_vm_from_cmdline(line, &err));
        vf_vm_free(vm);
    }
}

/* A VM with everything the Go package's JSON or vfkit's command line used
 * to lose: nested, vfkitMagic=off on a unix socket path, launch flags. */
static vf_vm *full_vm(void)
{
    vf_vm *vm = efi_vm();
    vf_error err = {0};
    vf_virtio_net *net = vf_virtio_net_new("5a:94:ef:e4:0c:ee", &err);
    assert_non_null(net);
    vf_virtio_net_set_unix_socket_path(net, "/tmp/gvproxy.sock");
    net->vfkit_magic = false;
    assert_int_equal(vf_vm_add_device(vm, &net->base, &err), 0);
    vm->nested = true;
    assert_int_equal(vf_vm_set_log_level(vm, "debug", &err), 0);
    assert_int_equal(vf_vm_set_restful_uri(vm, "unix:///tmp/rest.sock", &err), 0);
    assert_int_equal(vf_vm_set_pidfile(vm, "/run/vfkit.pid", &err), 0);
    assert_int_equal(
        vf_vm_set_cloud_init(vm, (const char *const[]){"user-data", "meta-data", NULL}, &err), 0);
    return vm;
}

static void test_json_round_trip_keeps_nested_magic_off_and_launch_flags(void **state)
{
    (void)state;
    vf_vm *vm = full_vm();
    vf_error err = {0};
    char *json = vf_vm_to_json(vm, &err);
    assert_non_null(json);
    /* difference 9: the false written where Go's writer omits it */
    assert_non_null(strstr(json, "\"unixSocketPath\":\"/tmp/gvproxy.sock\",\"vfkitMagic\":false"));
    assert_non_null(strstr(json, "\"nested\":true"));
    vf_vm *back = vf_vm_from_json(json, &err);
    assert_non_null(back);
    assert_true(back->nested);
    assert_false(vf_device_as_virtio_net(back->devices[0])->vfkit_magic);
    assert_string_equal(back->log_level, "debug");
    assert_string_equal(back->restful_uri, "unix:///tmp/rest.sock");
    assert_string_equal(back->pidfile, "/run/vfkit.pid");
    assert_int_equal(vf_strv_length(back->cloud_init), 2);
    char *again = vf_vm_to_json(back, &err);
    assert_string_equal(json, again);
    /* on is written as Go writes it */
    vf_device_as_virtio_net(back->devices[0])->vfkit_magic = true;
    char *on = vf_vm_to_json(back, &err);
    assert_non_null(strstr(on, "\"vfkitMagic\":true"));
    free(on);
    free(again);
    free(json);
    vf_vm_free(back);
    vf_vm_free(vm);
}

static void test_cmdline_round_trip_keeps_nested_magic_off_and_launch_flags(void **state)
{
    (void)state;
    vf_vm *vm = full_vm();
    vf_error err = {0};
    char **argv = vf_vm_to_cmdline(vm, &err);
    assert_non_null(argv);
    vf_vm *back = vf_vm_from_cmdline((const char *const *)argv, &err);
    if (back == NULL)
        fail_msg("%s", err.text);
    char *a = vf_vm_to_json(vm, &err), *b = vf_vm_to_json(back, &err);
    assert_string_equal(a, b);
    free(a);
    free(b);
    vf_vm_free(back);
    vf_strv_free(argv);
    vf_vm_free(vm);
}

/* A path is bytes, JSON is text: Go saves each invalid byte as U+FFFD and
 * the file then names another path. Refused by default, naming the field;
 * VF_JSON_LOSSY_UTF8 gives Go's bytes. */
static void test_json_refuses_strings_that_are_not_utf8(void **state)
{
    (void)state;
    vf_vm *vm = efi_vm();
    vf_error err = {0};
    const char *dev = "virtio-fs,sharedDir=/Users/inv\xff\xfe,mountTag=t";
    assert_int_equal(vf_vm_add_devices_from_cmdline(vm, &dev, 1, &err), 0);
    assert_null(vf_vm_to_json(vm, &err));
    assert_error(&err, VF_ERR_INVALID, "devices[0]");
    assert_error(&err, VF_ERR_INVALID, "'sharedDir' is not valid UTF-8");
    assert_null(vf_vm_to_json_ex(vm, VF_JSON_PRETTY, &err));
    assert_null(vf_vm_to_json_value(vm, &err));
    assert_error(&err, VF_ERR_INVALID, "'sharedDir'");
    char *lossy = vf_vm_to_json_ex(vm, VF_JSON_LOSSY_UTF8, &err);
    assert_non_null(lossy);
    assert_non_null(strstr(lossy, "\"sharedDir\":\"/Users/inv\\ufffd\\ufffd\""));
    free(lossy);
    /* the command line carries the bytes as they are */
    char **argv = vf_vm_to_cmdline(vm, &err);
    assert_non_null(argv);
    vf_strv_free(argv);
    vf_vm_free(vm);

    vm = efi_vm();
    vm->pidfile = strdup("/run/\xc3.pid");
    assert_null(vf_vm_to_json(vm, &err));
    assert_error(&err, VF_ERR_INVALID, "'pidFile'");
    free(vm->pidfile);
    vm->pidfile = NULL;
    assert_int_equal(
        vf_vm_set_cloud_init(vm, (const char *const[]){"user-data", "\xe2\x82", NULL}, &err), 0);
    assert_null(vf_vm_to_json(vm, &err));
    assert_error(&err, VF_ERR_INVALID, "'cloudInit'");
    vf_vm_set_bootloader(vm, &vf_efi_bootloader_new("/efi/\xff", true)->base);
    assert_null(vf_vm_to_json(vm, &err));
    assert_error(&err, VF_ERR_INVALID, "bootloader");
    vf_vm_free(vm);
}

static int make_cloud_init_files(void **state)
{
    (void)state;
    static const char *const names[] = {"user-data", "meta-data"};
    for (size_t i = 0; i < 2; i++) {
        FILE *f = fopen(names[i], "wb");
        if (f == NULL || fputs("#cloud-config\n", f) < 0 || fclose(f) != 0)
            return -1;
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_level_setter_takes_vfkit_levels_only),
        cmocka_unit_test(test_restful_uri_setter_takes_what_vfkit_serves),
        cmocka_unit_test(test_cloud_init_setter_needs_user_data_or_meta_data),
        cmocka_unit_test(test_to_cmdline_refuses_launch_flags_vfkit_refuses),
        cmocka_unit_test(test_json_round_trip_keeps_nested_magic_off_and_launch_flags),
        cmocka_unit_test(test_cmdline_round_trip_keeps_nested_magic_off_and_launch_flags),
        cmocka_unit_test(test_json_refuses_strings_that_are_not_utf8),
    };
    return cmocka_run_group_tests(tests, make_cloud_init_files, NULL);
}
