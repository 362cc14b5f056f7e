/*
 * libvfconfig - krunkit's own unit tests, ported: the tests module of its
 * src/cmdline.rs (memory sizes, option lists in any order, required and
 * unknown options, the whole command line of mac_cmdline_ordering_argtest)
 * and of src/status.rs (--restful-uri), run against the library's krunkit
 * reader and printer.
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

static vf_launcher krunkit(void)
{
    vf_launcher l;
    assert_int_equal(vf_launcher_parse("krunkit@1.2.1", &l, NULL), 0);
    return l;
}

/* `--cpus 1 --memory VALUE` plus up to two more arguments. */
static vf_vm *read_with(const char *memory, const char *flag, const char *value, vf_error *err)
{
    const char *argv[] = {"--cpus", "1", "--memory", memory, flag, value, NULL};
    vf_launcher l = krunkit();
    return vf_vm_from_cmdline_for(argv, &l, err);
}

static uint64_t memory_mib(const char *text, bool *ok)
{
    vf_error err;
    vf_vm *vm = read_with(text, NULL, NULL, &err);
    *ok = vm != NULL;
    uint64_t mib = vm ? vm->memory_bytes / (1024 * 1024) : 0;
    vf_vm_free(vm);
    return mib;
}

static void want_memory(const char *text, uint64_t mib)
{
    bool ok;
    assert_int_equal(memory_mib(text, &ok), mib);
    assert_true(ok);
}

static void want_bad_memory(const char *text)
{
    bool ok;
    memory_mib(text, &ok);
    assert_false(ok);
}

/* memory_parse_no_suffix, _mib, _gib, _invalid */
static void test_memory(void **state)
{
    (void)state;
    want_memory("512", 512);
    want_memory("2048", 2048);
    want_memory("512M", 512);
    want_memory("512m", 512);
    want_memory("2G", 2048);
    want_memory("2g", 2048);
    want_bad_memory("abc");
    want_bad_memory("1Z");
    want_bad_memory("1K");
    want_bad_memory("1B");
    want_bad_memory("1E");
    want_bad_memory("");
}

/* One device read from a --device value; NULL when krunkit refuses it. */
static vf_vm *read_device(const char *value, vf_error *err)
{
    return read_with("512", "--device", value, err);
}

/* *_argument_ordering: the options in either order give the same device,
 * and the printer gives one value for both. */
static void want_same(const char *in_order, const char *out_of_order)
{
    vf_error err;
    vf_launcher l = krunkit();
    vf_vm *a = read_device(in_order, &err);
    assert_non_null(a);
    vf_vm *b = read_device(out_of_order, &err);
    assert_non_null(b);
    char **pa = vf_vm_to_cmdline_for(a, &l, &err);
    char **pb = vf_vm_to_cmdline_for(b, &l, &err);
    assert_non_null(pa);
    assert_non_null(pb);
    assert_int_equal(vf_strv_length(pa), vf_strv_length(pb));
    for (size_t i = 0; pa[i] != NULL; i++)
        assert_string_equal(pa[i], pb[i]);
    vf_strv_free(pa);
    vf_strv_free(pb);
    vf_vm_free(a);
    vf_vm_free(b);
}

static void test_argument_ordering(void **state)
{
    (void)state;
    want_same("virtio-blk,path=/Users/user/disk-image.raw,format=raw",
              "virtio-blk,format=raw,path=/Users/user/disk-image.raw");
    want_same("virtio-net,unixSocketPath=/Users/user/"
              "vm-network.sock,mac=ff:ff:ff:ff:ff:ff",
              "virtio-net,mac=ff:ff:ff:ff:ff:ff,unixSocketPath=/Users/user/"
              "vm-network.sock");
    want_same("virtio-vsock,port=1025,socketURL=/Users/user/vsock2.sock,listen",
              "virtio-vsock,port=1025,listen,socketURL=/Users/user/vsock2.sock");
    want_same("virtio-fs,sharedDir=/Users/user/shared-dir,mountTag=MOUNT_TAG",
              "virtio-fs,mountTag=MOUNT_TAG,sharedDir=/Users/user/shared-dir");
    want_same("virtio-gpu,height=50,width=25", "virtio-gpu,width=25,height=50");

    /* argument_parsing: the values, and `listen` without one. */
    vf_error err;
    vf_vm *vm =
        read_device("virtio-vsock,port=1025,socketURL=/Users/user/vsock2.sock,listen", &err);
    assert_non_null(vm);
    vf_virtio_vsock *vsock = vf_device_as_virtio_vsock(vm->devices[0]);
    assert_int_equal(vsock->port, 1025);
    assert_string_equal(vsock->socket_url, "/Users/user/vsock2.sock");
    assert_true(vsock->listen);
    vf_vm_free(vm);
    vm = read_device("virtio-gpu,height=50,width=25", &err);
    assert_int_equal(vf_device_as_virtio_gpu(vm->devices[0])->width, 25);
    assert_int_equal(vf_device_as_virtio_gpu(vm->devices[0])->height, 50);
    vf_vm_free(vm);
}

/* required_args and unknown_args, through the devices that use them. */
static void test_required_and_unknown(void **state)
{
    (void)state;
    vf_error err;
    assert_null(read_device("virtio-vsock,port=1025,listen", &err));
    assert_non_null(strstr(err.text, "socketURL"));
    assert_null(read_device("virtio-vsock,socketURL=/tmp/v.sock", &err));
    assert_non_null(strstr(err.text, "port"));
    assert_null(read_device("virtio-fs,sharedDir=/tmp,mountTag=x,foo=bar", &err));
    assert_non_null(strstr(err.text, "foo=bar"));
    assert_null(read_device("virtio-blk,path=/a,path=/b", &err));
    assert_null(read_device("virtio-blk,path=/a=b", &err));
    vf_vm *vm = read_device("virtio-rng,whatever=1,follows", &err); /* krunkit ignores it */
    assert_non_null(vm);
    vf_vm_free(vm);
}

static void want_net(const vf_device *dev, bool stream, const char *path, int fd, bool offloading,
                     bool magic)
{
    const vf_virtio_net *net = vf_device_as_virtio_net((vf_device *)dev);
    assert_non_null(net);
    assert_int_equal(net->unix_stream, stream);
    if (path == NULL)
        assert_null(net->unix_socket_path);
    else
        assert_string_equal(net->unix_socket_path, path);
    assert_int_equal(net->socket_fd, fd);
    assert_int_equal(net->offloading, offloading);
    assert_int_equal(net->vfkit_magic, magic);
    static const uint8_t zero[6] = {0};
    assert_int_equal(net->mac_address.length, 6);
    assert_memory_equal(net->mac_address.bytes, zero, 6);
}

/* mac_cmdline_ordering_argtest. */
static const char *const full_cmdline[] = {
    "--cpus",
    "4",
    "--memory",
    "2048",
    "--bootloader",
    "efi,variable-store=/Users/user/bootloader,create",
    "--device",
    "virtio-blk,path=/Users/user/root.qcow2,format=qcow2",
    "--device",
    "virtio-rng",
    "--device",
    "virtio-serial,logFilePath=/Users/user/serial.log",
    "--device",
    "virtio-blk,path=/Users/user/data.raw,format=raw",
    "--device",
    "virtio-vsock,port=1024,socketURL=/Users/user/vsock1.sock,listen",
    "--device",
    "virtio-net,unixSocketPath=/Users/user/net.sock,mac=00:00:00:00:00:00",
    "--device",
    "virtio-fs,sharedDir=/Users/user/fs,mountTag=guest-dir",
    "--device",
    "virtio-vsock,port=1025,socketURL=/Users/user/vsock2.sock,listen",
    "--device",
    "virtio-gpu,width=800,height=600",
    "--device",
    "virtio-input,keyboard",
    "--device",
    "virtio-net,type=unixgram,path=/Users/user/"
    "net.sock,mac=00:00:00:00:00:00,offloading=true,vfkitMagic=off",
    "--device",
    "virtio-net,type=unixgram,fd=4,mac=00:00:00:00:00:00",
    "--device",
    "virtio-net,type=unixstream,path=/Users/user/"
    "net.sock,mac=00:00:00:00:00:00,offloading=on",
    "--device",
    "virtio-net,type=unixstream,fd=4,mac=00:00:00:00:00:00,offloading=off",
    "--device",
    "virtio-net,type=unixstream,fd=4,mac=00:00:00:00:00:00",
    "--restful-uri",
    "tcp://localhost:49573",
    "--gui",
    "--krun-log-level",
    "5",
    "--pidfile",
    "/tmp/krunkit.pid",
    NULL,
};

static void check_full(const vf_vm *vm)
{
    assert_int_equal(vm->vcpus, 4);
    assert_int_equal(vm->memory_bytes, 2048u * 1024 * 1024);
    assert_string_equal(vm->pidfile, "/tmp/krunkit.pid");
    assert_int_equal(vm->n_devices, 15);
    vf_device *const *d = vm->devices;
    assert_string_equal(vf_device_as_virtio_blk(d[0])->disk.image_path, "/Users/user/root.qcow2");
    assert_true(vf_device_as_virtio_blk(d[0])->qcow2);
    assert_non_null(vf_device_as_virtio_rng(d[1]));
    assert_string_equal(vf_device_as_virtio_serial(d[2])->log_file, "/Users/user/serial.log");
    assert_string_equal(vf_device_as_virtio_blk(d[3])->disk.image_path, "/Users/user/data.raw");
    assert_false(vf_device_as_virtio_blk(d[3])->qcow2);
    assert_int_equal(vf_device_as_virtio_vsock(d[4])->port, 1024);
    assert_string_equal(vf_device_as_virtio_vsock(d[4])->socket_url, "/Users/user/vsock1.sock");
    assert_true(vf_device_as_virtio_vsock(d[4])->listen);
    want_net(d[5], false, "/Users/user/net.sock", -1, true, true);
    assert_string_equal(vf_device_as_virtio_fs(d[6])->shared_dir, "/Users/user/fs");
    assert_string_equal(vf_device_as_virtio_fs(d[6])->sharing.mount_tag, "guest-dir");
    assert_int_equal(vf_device_as_virtio_vsock(d[7])->port, 1025);
    assert_true(vf_device_as_virtio_vsock(d[7])->listen);
    assert_int_equal(vf_device_as_virtio_gpu(d[8])->width, 800);
    assert_int_equal(vf_device_as_virtio_gpu(d[8])->height, 600);
    assert_string_equal(vf_device_as_virtio_input(d[9])->input_type, "keyboard");
    want_net(d[10], false, "/Users/user/net.sock", -1, true, false);
    want_net(d[11], false, NULL, 4, false, false);
    want_net(d[12], true, "/Users/user/net.sock", -1, true, false);
    want_net(d[13], true, NULL, 4, false, false);
    want_net(d[14], true, NULL, 4, false, false);
    assert_string_equal(vm->restful_uri, "tcp://127.0.0.1:49573");
    assert_true(vm->krunkit_gui);
    assert_true(vm->has_krun_log_level);
    assert_int_equal(vm->krun_log_level, 5);
}

static void test_full_cmdline(void **state)
{
    (void)state;
    vf_error err;
    vf_launcher l = krunkit();
    vf_vm *vm = vf_vm_from_cmdline_for(full_cmdline, &l, &err);
    if (vm == NULL)
        print_error("%s\n", err.text);
    assert_non_null(vm);
    check_full(vm);
    /* Printed and read again: the same VM. */
    char **printed = vf_vm_to_cmdline_for(vm, &l, &err);
    assert_non_null(printed);
    vf_vm *again = vf_vm_from_cmdline_for((const char *const *)printed, &l, &err);
    assert_non_null(again);
    check_full(again);
    vf_vm_free(again);
    vf_strv_free(printed);
    vf_vm_free(vm);
}

/* status.rs: --restful-uri. */
static void want_uri(const char *value, const char *normalised)
{
    vf_error err;
    vf_vm *vm = read_with("512", "--restful-uri", value, &err);
    if (normalised == NULL) {
        assert_null(vm);
        return;
    }
    assert_non_null(vm);
    assert_string_equal(vm->restful_uri, normalised);
    vf_vm_free(vm);
}

static void test_restful_uri(void **state)
{
    (void)state;
    want_uri("unix:///tmp/path", "unix:///tmp/path"); /* parse_valid_unix_scheme */
    want_uri("unix://", NULL);                        /* parse_unix_scheme_missing_path */
    want_uri("unix:", NULL);                          /* parse_unix_scheme_missing_slashes */
    want_uri("uni://path", NULL);                     /* parse_unix_scheme_misspelling */
    want_uri("tcp://localhost:8080", "tcp://127.0.0.1:8080"); /* parse_valid_tcp_scheme */
    want_uri("tcp://localhost", NULL);                        /* parse_tcp_scheme_missing_port */
    want_uri("tcp:///tmp/path", NULL);                        /* parse_tcp_scheme_with_unix_path */
    want_uri("none://", "none://");                           /* parse_valid_none_scheme */
    want_uri("none", NULL);   /* parse_none_scheme_missing_postfix */
    want_uri("foobar", NULL); /* parse_random_string_scheme */
}

/* Every refusal names where, in the names of the command line read. */
static void refused_at(const char *const *args, const char *where)
{
    vf_error err = {0};
    vf_launcher l = krunkit();
    vf_vm *vm = vf_vm_from_cmdline_for(args, &l, &err);
    assert_null(vm);
    if (strcmp(err.location, where) != 0)
        fail_msg("location \"%s\", want \"%s\" (%s)", err.location, where, err.text);
}

static void test_locations(void **state)
{
    (void)state;
    refused_at((const char *const[]){"--cpus", "many", "--memory", "512", NULL}, "--cpus");
    refused_at((const char *const[]){"-c", "many", "--memory", "512", NULL}, "--cpus");
    refused_at((const char *const[]){"--cpus", "1", "--memory", "512", "--device", "virtio-rng",
                                     "--device", "virtio-vsock,port=x,socketURL=/s", NULL},
               "--device[1].port");
    refused_at((const char *const[]){"--cpus", "1", "--memory", "512", "--device", "virtio-rng",
                                     "--device", "no-such-device", NULL},
               "--device[1]");
    refused_at((const char *const[]){"--cpus", "1", "stray", "--memory", "512", NULL}, "args[2]");
    refused_at((const char *const[]){"--cpus", "1", NULL}, "--memory");
    refused_at(
        (const char *const[]){"--cpus", "1", "--memory", "512", "--bootloader", "efi,create", NULL},
        "--bootloader.variable-store");
}

/* `--cpus 1 --memory 512 FLAG VALUE`, refused at where with text. */
static const struct refusal {
    const char *flag, *value, *where, *text;
} refusals[] = {
    /* --bootloader refusals start as --device ones do, with the flag in
     * clap's words; the value the key holds is last and quoted. */
    {"--bootloader", "efi,variable-store=/s,create=false", "--bootloader.create",
     "krunkit: invalid value for '--bootloader <BOOTLOADER>': unknown bootloader argument: "
     "\"create=false\""},
    {"--bootloader", "efi,create", "--bootloader.variable-store",
     "krunkit: invalid value for '--bootloader <BOOTLOADER>': bootloader is missing argument: "
     "variable-store"},
    /* Values with a double quote and a control byte show escaped, \" and
     * \x01, wherever a krunkit reader names them. */
    {"--bootloader", "efi=1\"\x01,variable-store=/s,create", "--bootloader.efi",
     "krunkit: invalid value for '--bootloader <BOOTLOADER>': unknown bootloader argument: "
     "\"efi=1\\\"\\x01\""},
    {"--bootloader", "efi,variable-store=/s,create,foo=\"", "--bootloader.foo",
     "krunkit: invalid value for '--bootloader <BOOTLOADER>': unknown bootloader argument: "
     "\"foo=\\\"\""},
    {"--device", "virtio-gpu,width=1\"\x01,height=600", "--device[0].width",
     "krunkit: invalid value for '--device <DEVICES>': virtio-gpu: 'width' must be 0 to "
     "4294967295: \"1\\\"\\x01\""},
    {"--device", "virtio-gpu,width=800,height=1\"\x01", "--device[0].height",
     "krunkit: invalid value for '--device <DEVICES>': virtio-gpu: 'height' must be 0 to "
     "4294967295: \"1\\\"\\x01\""},
    {"--device", "virtio-vsock,port=1\"\x01,socketURL=/s", "--device[0].port",
     "krunkit: invalid value for '--device <DEVICES>': virtio-vsock: port argument invalid: "
     "\"1\\\"\\x01\""},
    /* An unknown shorthand that is a control byte. */
    {"-n\x01", NULL, "-\\x01", "krunkit: unexpected argument '-\\x01' in \"-n\\x01\""},
    /* Every form puts the flag or key first, then the reason in clap's or
     * krunkit's words, then the quoted value. */
    {"--krun-log-level", "x", "--krun-log-level",
     "krunkit: invalid value for '--krun-log-level <KRUN_LOG_LEVEL>': a number from 0 to "
     "4294967295: \"x\""},
    {"--timesync", "vsockPort=x", "--timesync.vsockPort",
     "krunkit: invalid value for '--timesync <TIMESYNC>': expected 'vsockPort=<port>': "
     "\"vsockPort=x\""},
    {"--restful-uri", "tcp://localhost", "--restful-uri",
     "krunkit: invalid value for '--restful-uri <RESTFUL_URI>': expected tcp://IPv4:PORT: "
     "\"tcp://localhost\""},
    {"--restful-uri", "uni://path", "--restful-uri",
     "krunkit: invalid value for '--restful-uri <RESTFUL_URI>': invalid scheme input: "
     "\"uni://path\""},
    {"--restful-uri", "unix://", "--restful-uri",
     "krunkit: invalid value for '--restful-uri <RESTFUL_URI>': empty unix socket path: "
     "\"unix://\""},
    {"--gui=x", NULL, "--gui",
     "krunkit: unexpected value for '--gui' found; no more were expected: \"x\""},
    {"--nested=", NULL, "--nested",
     "krunkit: unexpected value for '--nested' found; no more were expected: \"\""},
    {"--no-such-flag", NULL, "--no-such-flag",
     "krunkit: unexpected argument found: \"--no-such-flag\""},
    {"stray", NULL, "args[4]", "krunkit: unexpected argument found: \"stray\""},
    {"--device", "rosetta,mountTag=m", "--device[0]",
     "krunkit: invalid value for '--device <DEVICES>': invalid virtio device label specified: "
     "krunkit has no such device: \"rosetta\""},
    {"--device", "virtio-nope", "--device[0]",
     "krunkit: invalid value for '--device <DEVICES>': invalid virtio device label specified: "
     "\"virtio-nope\""},
    {"--device", "virtio-input,mouse", "--device[0].mouse",
     "krunkit: invalid value for '--device <DEVICES>': invalid virtio-input config: one of "
     "keyboard or pointing: \"mouse\""},
    {"--device", "virtio-fs,sharedDir=/a,mountTag=m,sharedDir=/b", "--device[0].sharedDir",
     "krunkit: invalid value for '--device <DEVICES>': virtio-fs: argument is only expected "
     "once: \"sharedDir\""},
};

static void test_messages(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        const struct refusal *want = &refusals[i];
        vf_error err = {0};
        vf_vm *vm = read_with("512", want->flag, want->value, &err);
        assert_null(vm);
        assert_int_equal(err.code, VF_ERR_INVALID);
        if (strcmp(err.location, want->where) != 0 || strcmp(err.text, want->text) != 0)
            fail_msg("got \"%s\" at \"%s\", want \"%s\" at \"%s\"", err.text, err.location,
                     want->text, want->where);
    }
}

/* --cpus and --memory in clap's words, the value last: a long one is cut
 * at the end of the text, after the reason. */
static void test_value_last(void **state)
{
    (void)state;
    vf_launcher l = krunkit();
    vf_error err = {0};
    const char *args[] = {"--cpus", "abc", "--memory", "512", NULL};
    assert_null(vf_vm_from_cmdline_for(args, &l, &err));
    assert_string_equal(err.location, "--cpus");
    assert_string_equal(
        err.text, "krunkit: invalid value for '--cpus <CPUS>': a number from 0 to 255: \"abc\"");

    memset(&err, 0, sizeof err);
    assert_null(read_with("12X", NULL, NULL, &err));
    assert_string_equal(err.location, "--memory");
    assert_string_equal(err.text,
                        "krunkit: invalid value for '--memory <MEMORY>': MiB, or a number "
                        "with M, G, T or P, up to 2^32-1 MiB: \"12X\"");

    char long_value[301];
    memset(long_value, '7', 300);
    long_value[300] = '\0';
    args[1] = long_value;
    memset(&err, 0, sizeof err);
    assert_null(vf_vm_from_cmdline_for(args, &l, &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    assert_string_equal(err.location, "--cpus");
    const char *start = "krunkit: invalid value for '--cpus <CPUS>': a number from 0 to 255: \"777";
    assert_memory_equal(err.text, start, strlen(start));
    size_t len = strlen(err.text);
    assert_true(len > 4 && len < 300);
    assert_string_equal(err.text + len - 4, "...\"");
}

/* An argument of VF_MAX_INPUT_BYTES + 1 bytes, freed even when a test
 * fails. */
static int make_big_argument(void **state)
{
    char *big = malloc(VF_MAX_INPUT_BYTES + 2);
    if (big == NULL)
        return -1;
    memset(big, 'a', VF_MAX_INPUT_BYTES + 1);
    big[VF_MAX_INPUT_BYTES + 1] = '\0';
    *state = big;
    return 0;
}

static int free_big_argument(void **state)
{
    free(*state);
    return 0;
}

/* Each argument is held to VF_MAX_INPUT_BYTES, as the vfkit reader holds
 * its own: one byte over is refused at its index before anything is
 * read, one at the limit is read as any other. */
static void test_argument_size_limit(void **state)
{
    char *big = *state;
    vf_error err = {0};
    vf_launcher l = krunkit();
    /* Over the limit, after an error the reader would otherwise give first. */
    const char *args[] = {"--cpus", "many", "--memory", "512", "--oem-string", big, NULL};
    assert_null(vf_vm_from_cmdline_for(args, &l, &err));
    assert_int_equal(err.code, VF_ERR_LIMIT);
    assert_string_equal(err.location, "args[5]");
    assert_string_equal(err.text, "args[5]: 268435457 bytes is over the 268435456-byte limit");

    big[VF_MAX_INPUT_BYTES] = '\0';
    args[1] = "1";
    memset(&err, 0, sizeof err);
    vf_vm *vm = vf_vm_from_cmdline_for(args, &l, &err);
    if (vm == NULL)
        fail_msg("refused at the limit: %s", err.text);
    assert_non_null(vm->oem_strings);
    assert_int_equal(strlen(vm->oem_strings[0]), VF_MAX_INPUT_BYTES);
    vf_vm_free(vm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory),
        cmocka_unit_test(test_argument_ordering),
        cmocka_unit_test(test_required_and_unknown),
        cmocka_unit_test(test_full_cmdline),
        cmocka_unit_test(test_restful_uri),
        cmocka_unit_test(test_locations),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_value_last),
        cmocka_unit_test_setup_teardown(test_argument_size_limit, make_big_argument,
                                        free_big_argument),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
