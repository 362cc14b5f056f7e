/*
 * A whole vfkit command line. Printing: VirtualMachine.ToCmdLine's order
 * and bytes (json_test.go's VM, conformance vectors) plus docs/design.md's
 * deliberate differences. Reading: vfkit's cobra/pflag flags and
 * newVMConfiguration (cmd/vfkit/main_test.go's GUI cases, pflag's syntax,
 * cobra's flag-group messages).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vfconfig/vfconfig.h"
#include "cmdline/cmdline.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "core_asserts.h"

/* ---- helpers ------------------------------------------------------------ */

static char **to_cmdline_ok(const vf_vm *vm)
{
    vf_error err = {0};
    char **argv = vf_vm_to_cmdline(vm, &err);
    if (argv == NULL)
        fail_msg("to_cmdline: %s", err.text);
    return argv;
}

/* args: a NULL-terminated list. */
static vf_vm *from_cmdline_ok(const char *const *args)
{
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_cmdline(args, &err);
    if (vm == NULL)
        fail_msg("from_cmdline(%s ...): %s", args[0] ? args[0] : "", err.text);
    return vm;
}

#define FROM_OK(...) from_cmdline_ok((const char *const[]){__VA_ARGS__, NULL})

static void assert_from_fails(const char *const *args, int code, const char *part)
{
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_cmdline(args, &err);
    if (vm != NULL) {
        vf_vm_free(vm);
        fail_msg("accepted, expected \"%s\"", part);
    }
    assert_error(&err, code, part);
    assert_null(vf_vm_from_cmdline(args, NULL));
}

#define FROM_FAILS(part, ...) \
    assert_from_fails((const char *const[]){__VA_ARGS__, NULL}, VF_ERR_INVALID, part)

static void add_devices(vf_vm *vm, const char *const *values, size_t n)
{
    vf_error err = {0};
    if (vf_vm_add_devices_from_cmdline(vm, values, n, &err) != VF_OK)
        fail_msg("%s", err.text);
}

static size_t count_kind(const vf_vm *vm, vf_device_kind kind)
{
    return vf_vm_filter_devices(vm, kind, NULL, 0);
}

static int write_fixture(const char *name, const char *text)
{
    FILE *f = fopen(name, "wb");
    if (f == NULL)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* disk.img, and the cloud-init files vfkit opens before it starts (the
 * names of the command-line vectors' fixtures, "meta,data" for the quoting
 * cases). */
static int make_fixtures(void **state)
{
    (void)state;
    if (write_fixture("disk.img", "RAW-DISK-IMAGE") != 0 ||
        write_fixture("user-data", "#cloud-config\nusers: []\n") != 0 ||
        write_fixture("meta-data", "instance-id: vm1\n") != 0 ||
        write_fixture("network-config", "version: 2\n") != 0 ||
        write_fixture("meta,data", "instance-id: vm2\n") != 0)
        return -1;
    return 0;
}

/* ---- printing ----------------------------------------------------------- */

/* json_test.go's newLinuxVM: NewVirtualMachine(3, 4_000, Linux bootloader). */
static void test_to_cmdline_linux_vm(void **state)
{
    (void)state;
    vf_linux_bootloader *bl = vf_linux_bootloader_new("/vmlinuz", "console=hvc0", "/initrd");
    vf_vm *vm = vf_vm_new(3, 4000, &bl->base);
    char **argv = to_cmdline_ok(vm);
    ASSERT_ARGV(argv, "--cpus", "3", "--memory", "4000", "--kernel", "/vmlinuz", "--initrd",
                "/initrd", "--kernel-cmdline", "console=hvc0");
    vf_strv_free(argv);
    vf_vm_free(vm);
}

/* Vector vmjson-1001-515; the library adds --timesync before --ignition. */
static void test_to_cmdline_vector_order(void **state)
{
    (void)state;
    vf_vm *vm = vf_vm_new(
        2, 512,
        &vf_linux_bootloader_new("/vmlinuz", "console=hvc0 root=/dev/vda", "/initrd")->base);
    const char *devs[] = {"virtio-serial,pty", "usb-mass-storage,path=disk.img,type=dev,readonly",
                          "nvme,path=disk.img", "virtio-balloon", "virtio-blk,path=disk.img"};
    add_devices(vm, devs, 5);
    vf_vm_set_timesync(vm, vf_timesync_new(1234));
    vf_vm_set_ignition(vm, vf_ignition_new("/ignition.json", NULL, NULL));
    char **argv = to_cmdline_ok(vm);
    ASSERT_ARGV(argv, "--cpus", "2", "--memory", "512", "--kernel", "/vmlinuz", "--initrd",
                "/initrd", "--kernel-cmdline", "console=hvc0 root=/dev/vda", "--device",
                "virtio-serial,pty", "--device", "usb-mass-storage,path=disk.img,type=dev,readonly",
                "--device", "nvme,path=disk.img", "--device", "virtio-balloon", "--device",
                "virtio-blk,path=disk.img", "--timesync", "vsockPort=1234", "--ignition",
                "/ignition.json");
    vf_strv_free(argv);
    vf_vm_free(vm);
}

static void test_to_cmdline_numbers(void **state)
{
    (void)state;
    vf_vm *vm = vf_vm_new(8, 0, &vf_efi_bootloader_new("/tmp/efi.store", true)->base);
    vm->memory_bytes = 1000; /* vmjson-1001-505: rounded up to 1 MiB */
    char **argv = to_cmdline_ok(vm);
    ASSERT_ARGV(argv, "--cpus", "8", "--memory", "1", "--bootloader",
                "efi,variable-store=/tmp/efi.store,create");
    vf_strv_free(argv);

    vm->memory_bytes = UINT64_C(1048577);
    argv = to_cmdline_ok(vm);
    assert_string_equal(argv[3], "2");
    vf_strv_free(argv);

    /* The largest size --memory can carry... */
    vm->memory_bytes = UINT64_MAX - 1024 * 1024 + 1;
    argv = to_cmdline_ok(vm);
    assert_string_equal(argv[3], "17592186044415");
    vf_strv_free(argv);

    /* ...one byte more rounds up to 2^44 MiB: Go's uint64 rounding wraps
   * and prints 0, which vfkit reads as no memory. Refused. */
    vf_error err = {0};
    vm->memory_bytes = UINT64_MAX - 1024 * 1024 + 2;
    assert_null(vf_vm_to_cmdline(vm, &err));
    assert_error(&err, VF_ERR_AMBIGUOUS, "'memoryBytes'");
    vm->memory_bytes = UINT64_MAX;
    assert_null(vf_vm_to_cmdline(vm, &err));
    assert_error(&err, VF_ERR_AMBIGUOUS, "18446744073709551615");

    vm->vcpus = 0;
    vm->memory_bytes = 0;
    argv = to_cmdline_ok(vm);
    ASSERT_ARGV(argv, "--bootloader", "efi,variable-store=/tmp/efi.store,create");
    vf_strv_free(argv);
    vf_vm_free(vm);
}

static void test_to_cmdline_errors(void **state)
{
    (void)state;
    vf_error err = {0};
    vf_vm *vm = vf_vm_new(1, 512, NULL);
    assert_null(vf_vm_to_cmdline(vm, &err));
    assert_error(&err, VF_ERR_INVALID, "missing bootloader configuration");

    vf_vm_set_bootloader(vm, &vf_efi_bootloader_new("/efi", false)->base);
    vf_vm_set_ignition(vm, vf_ignition_new("/a,b.ign", NULL, NULL));
    assert_null(vf_vm_to_cmdline(vm, &err));
    assert_error(&err, VF_ERR_AMBIGUOUS, "'ignition'");

    /* An empty path is printed as the reference does (vmjson-1001-932). */
    vf__set_string(&vm->ignition->config_path, NULL);
    char **argv = to_cmdline_ok(vm);
    ASSERT_ARGV(argv, "--cpus", "1", "--memory", "512", "--bootloader", "efi,variable-store=/efi",
                "--ignition", "");
    vf_strv_free(argv);
    vf_vm_set_ignition(vm, NULL);

    /* A device that cannot print fails the whole command line. */
    vf_virtio_gpu *gpu = vf_virtio_gpu_new();
    gpu->width = 0;
    vf_vm_add_device(vm, &gpu->base, NULL);
    assert_null(vf_vm_to_cmdline(vm, &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    vf_vm_free(vm);

    assert_null(vf_vm_to_cmdline(NULL, &err));
}

/* docs/design.md differences 3 and 4 and the launch flags, in their order. */
static void test_to_cmdline_additions(void **state)
{
    (void)state;
    vf_vm *vm = vf_vm_new(2, 2048, &vf_efi_bootloader_new("/efi", false)->base);
    const char *devs[] = {"virtio-gpu", "virtio-gpu,width=1920,height=1080"};
    add_devices(vm, devs, 2);
    vf_device_as_virtio_gpu(vm->devices[0])->uses_gui = true;
    vf_vm_set_timesync(vm, vf_timesync_new(1024));
    vf_vm_set_ignition(vm, vf_ignition_new("/ign.json", NULL, NULL));
    vm->nested = true;
    vf__set_string(&vm->restful_uri, "unix:///tmp/rest.sock");
    vf__set_string(&vm->log_level, "debug");
    vf__set_string(&vm->pidfile, "/run/vfkit.pid");
    vm->cloud_init = vf_split_quoted_list("/ci/user-data,/ci/meta-data", NULL);
    char **argv = to_cmdline_ok(vm);
    ASSERT_ARGV(argv, "--cpus", "2", "--memory", "2048", "--bootloader", "efi,variable-store=/efi",
                "--device", "virtio-gpu,width=800,height=600", "--device",
                "virtio-gpu,width=1920,height=1080", "--timesync", "vsockPort=1024", "--ignition",
                "/ign.json", "--nested", "--gui", "--restful-uri", "unix:///tmp/rest.sock",
                "--log-level", "debug", "--pidfile", "/run/vfkit.pid", "--cloud-init",
                "/ci/user-data,/ci/meta-data");
    vf_strv_free(argv);

    /* Files that vfkit's list splitting would change are refused. */
    static const char *const bad_lists[][3] = {{"/ci/user-data", "/ci/a,b", NULL},
                                               {"/ci/user-data", "\"/ci/x\"", NULL},
                                               {"/ci/user-data", "/ci/\xff", NULL},
                                               {"/ci/user-data", "/ci/\"x", NULL}};
    for (size_t i = 0; i < sizeof bad_lists / sizeof bad_lists[0]; i++) {
        vf_strv_free(vm->cloud_init);
        vf__strv_builder sb;
        vf__strv_init(&sb);
        vf__strv_add_all(&sb, (char *const *)bad_lists[i]);
        vm->cloud_init = vf__strv_finish(&sb, NULL);
        vf_error err = {0};
        assert_null(vf_vm_to_cmdline(vm, &err));
        assert_error(&err, VF_ERR_AMBIGUOUS, "'cloud-init'");
    }
    /* Empty files between others survive the split, and so do quotes that
   * vfkit keeps. */
    vf_strv_free(vm->cloud_init);
    vm->cloud_init = vf_split_quoted_list("user-data,,b\"c,d\"", NULL);
    argv = to_cmdline_ok(vm);
    assert_string_equal(argv[vf_strv_length(argv) - 1], "user-data,,b\"c,d\"");
    vf_strv_free(argv);
    vf_vm_free(vm);
}

/* vfkit's --gui shows the first GPU's display: a window asked for by
 * another GPU cannot be printed. */
static void test_to_cmdline_gui_first_gpu_only(void **state)
{
    (void)state;
    vf_vm *vm = vf_vm_new(1, 512, &vf_efi_bootloader_new("/efi", false)->base);
    const char *devs[] = {"virtio-gpu", "virtio-input,keyboard",
                          "virtio-gpu,width=1920,height=1080"};
    add_devices(vm, devs, 3);
    char **argv = to_cmdline_ok(vm);
    assert_string_not_equal(argv[vf_strv_length(argv) - 1], "--gui");
    vf_strv_free(argv);

    vf_device_as_virtio_gpu(vm->devices[0])->uses_gui = true;
    argv = to_cmdline_ok(vm);
    assert_string_equal(argv[vf_strv_length(argv) - 1], "--gui");
    vf_strv_free(argv);

    vf_error err = {0};
    vf_device_as_virtio_gpu(vm->devices[2])->uses_gui = true;
    assert_null(vf_vm_to_cmdline(vm, &err));
    assert_error(&err, VF_ERR_AMBIGUOUS, "'usesGUI'");
    vf_device_as_virtio_gpu(vm->devices[0])->uses_gui = false;
    assert_null(vf_vm_to_cmdline(vm, &err));
    assert_error(&err, VF_ERR_AMBIGUOUS, "first GPU");
    vf_vm_free(vm);
}

/* docs/design.md difference 2: sockets numbered for the child on request. */
static void test_to_cmdline_child_fds(void **state)
{
    (void)state;
    vf_vm *vm = vf_vm_new(1, 512, &vf_efi_bootloader_new("/efi", false)->base);
    vf_virtio_net *a = vf_virtio_net_new(NULL, NULL);
    vf_virtio_net_set_socket(a, 17);
    vf_virtio_net *b = vf_virtio_net_new(NULL, NULL);
    vf_virtio_net_set_unix_socket_path(b, "/tmp/gvproxy.sock");
    vf_virtio_net *c = vf_virtio_net_new("00:11:22:33:44:55", NULL);
    vf_virtio_net_set_socket(c, 9);
    vf_device *devs[] = {&a->base, &b->base, &c->base};
    vf_vm_add_devices(vm, devs, 3, NULL);

    char **argv = to_cmdline_ok(vm);
    ASSERT_ARGV(argv, "--cpus", "1", "--memory", "512", "--bootloader", "efi,variable-store=/efi",
                "--device", "virtio-net,fd=17", "--device",
                "virtio-net,unixSocketPath=/tmp/gvproxy.sock", "--device",
                "virtio-net,fd=9,mac=00:11:22:33:44:55");
    vf_strv_free(argv);

    argv = vf__vm_to_cmdline(vm, true, NULL);
    ASSERT_ARGV(argv, "--cpus", "1", "--memory", "512", "--bootloader", "efi,variable-store=/efi",
                "--device", "virtio-net,fd=3", "--device",
                "virtio-net,unixSocketPath=/tmp/gvproxy.sock", "--device",
                "virtio-net,fd=4,mac=00:11:22:33:44:55");
    vf_strv_free(argv);
    vf_vm_free(vm);
}

/* ---- reading ------------------------------------------------------------ */

static void test_from_cmdline_defaults(void **state)
{
    (void)state;
    vf_vm *vm = FROM_OK("--bootloader", "efi,variable-store=/efi,create");
    assert_true(vm->vcpus == 1);
    assert_true(vm->memory_bytes == UINT64_C(512) * 1024 * 1024);
    vf_efi_bootloader *efi = vf_bootloader_as_efi(vm->bootloader);
    assert_non_null(efi);
    assert_string_equal(efi->efi_variable_store_path, "/efi");
    assert_true(efi->create_variable_store);
    assert_int_equal(vm->n_devices, 0);
    assert_null(vm->timesync);
    assert_null(vm->ignition);
    assert_false(vm->nested);
    assert_null(vm->restful_uri);
    assert_null(vm->log_level);
    assert_null(vm->pidfile);
    assert_null(vm->cloud_init);
    vf_vm_free(vm);

    /* vfkit with no bootloader at all. */
    assert_from_fails((const char *const[]){NULL}, VF_ERR_INVALID,
                      "empty option list in --bootloader command line argument");
    FROM_FAILS("empty option list", "--bootloader", "");
    /* No bootloader flag at all: the message says which flag is missing. */
    FROM_FAILS("missing --bootloader (or --kernel, --initrd and --kernel-cmdline)", "--device",
               "virtio-rng");
    assert_from_fails(NULL, VF_ERR_INVALID, "NULL");
}

static void test_from_cmdline_legacy_kernel(void **state)
{
    (void)state;
    vf_vm *vm = FROM_OK("--kernel", "/vmlinuz", "--initrd", "/initrd", "--kernel-cmdline",
                        "\"console=hvc0\"", "--cpus", "2");
    vf_linux_bootloader *lin = vf_bootloader_as_linux(vm->bootloader);
    assert_non_null(lin);
    assert_string_equal(lin->vmlinuz_path, "/vmlinuz");
    assert_string_equal(lin->initrd_path, "/initrd");
    assert_string_equal(lin->kernel_cmdline, "\"console=hvc0\""); /* plain flag: no trimming */
    assert_true(vm->vcpus == 2);
    vf_vm_free(vm);

    vm = FROM_OK("-k", "/k", "-i", "/i", "-C", "");
    lin = vf_bootloader_as_linux(vm->bootloader);
    assert_non_null(lin);
    assert_null(lin->kernel_cmdline); /* accepted; printing it back fails as in Go */
    vf_vm_free(vm);

    /* Given but all empty: vfkit falls back to --bootloader, which is empty. */
    FROM_FAILS("empty option list", "--kernel", "", "--initrd", "", "--kernel-cmdline", "");

    FROM_FAILS("if any flags in the group [kernel initrd kernel-cmdline] are set "
               "they must all "
               "be set; missing [initrd kernel-cmdline]",
               "--kernel", "/k");
    FROM_FAILS("missing [kernel]", "--initrd", "/i", "--kernel-cmdline", "c");
    FROM_FAILS("missing [kernel kernel-cmdline]", "--bootloader", "efi", "--initrd", "/i");
    FROM_FAILS("if any flags in the group [initrd bootloader] are set none of "
               "the others can "
               "be; [bootloader initrd] were all set",
               "--kernel", "/k", "--initrd", "/i", "--kernel-cmdline", "c", "--bootloader", "efi");
}

static void test_from_cmdline_flag_syntax(void **state)
{
    (void)state;
    static const struct {
        const char *args[5];
        uint64_t vcpus, memory_mib;
    } cases[] = {
        {{"--cpus", "4"}, 4, 512},
        {{"--cpus=4"}, 4, 512},
        {{"-c", "4"}, 4, 512},
        {{"-c4"}, 4, 512},
        {{"-c=4"}, 4, 512},
        {{"-c4", "--cpus", "6"}, 6, 512}, /* the last one wins */
        {{"--memory", "0x400"}, 1, 1024}, /* ParseUint(s, 0, 64) */
        {{"-m", "010"}, 1, 8},            /* leading 0: octal */
        {{"-m1_024"}, 1, 1024},
        {{"--memory=0b11"}, 1, 3},
        {{"--cpus", "0"}, 0, 512},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *args[8] = {"--bootloader", "efi"};
        for (size_t j = 0; cases[i].args[j] != NULL; j++)
            args[2 + j] = cases[i].args[j];
        vf_vm *vm = from_cmdline_ok(args);
        assert_true(vm->vcpus == cases[i].vcpus);
        assert_true(vm->memory_bytes == cases[i].memory_mib * 1024 * 1024);
        vf_vm_free(vm);
    }

    vf_vm *vm = FROM_OK("-nc2", "-b", "efi");
    assert_true(vm->nested);
    assert_true(vm->vcpus == 2);
    vf_vm_free(vm);

    vm = FROM_OK("-nb", "efi", "--nested=false", "--gui=0");
    assert_false(vm->nested);
    assert_int_equal(vm->n_devices, 0);
    vf_vm_free(vm);

    vm = FROM_OK("--bootloader=efi,variable-store=/a=b", "--nested");
    assert_true(vm->nested);
    assert_string_equal(vf_bootloader_as_efi(vm->bootloader)->efi_variable_store_path, "/a=b");
    vf_vm_free(vm);
    vf_vm_free(FROM_OK("-b", "efi", "--"));
    vf_vm_free(FROM_OK("-b", "efi", "--help=false", "-v=false"));

    /* A value may start with '-': pflag takes the next argument as is. */
    vm = FROM_OK("--kernel", "--initrd", "--initrd", "-i", "--kernel-cmdline", "-");
    vf_linux_bootloader *lin = vf_bootloader_as_linux(vm->bootloader);
    assert_string_equal(lin->vmlinuz_path, "--initrd");
    assert_string_equal(lin->initrd_path, "-i");
    assert_string_equal(lin->kernel_cmdline, "-");
    vf_vm_free(vm);
}

static void test_from_cmdline_flag_errors(void **state)
{
    (void)state;
    FROM_FAILS("unknown flag: --foo", "-b", "efi", "--foo");
    FROM_FAILS("unknown flag: --foo", "-b", "efi", "--foo=1");
    FROM_FAILS("unknown flag: --Cpus", "-b", "efi", "--Cpus", "2");
    FROM_FAILS("unknown shorthand flag: 'x' in -x", "-b", "efi", "-x");
    FROM_FAILS("unknown shorthand flag: 'x' in -xc2", "-b", "efi", "-nxc2");
    FROM_FAILS("unknown shorthand flag: '=' in -=", "-b", "efi", "-n=");
    FROM_FAILS("bad flag syntax: ---cpus", "-b", "efi", "---cpus");
    FROM_FAILS("bad flag syntax: --=x", "-b", "efi", "--=x");
    FROM_FAILS("flag needs an argument: --cpus", "-b", "efi", "--cpus");
    FROM_FAILS("flag needs an argument: 'c' in -c", "-b", "efi", "-c");
    FROM_FAILS("flag needs an argument: 'd' in -d", "-b", "efi", "-nd");
    /* The flag first, then pflag's reason, the value last. */
    FROM_FAILS("invalid argument for \"-c, --cpus\" flag: invalid syntax: \"abc\"", "-b", "efi",
               "--cpus", "abc");
    FROM_FAILS("invalid argument for \"-m, --memory\" flag: invalid syntax: \"-1\"", "-b", "efi",
               "-m", "-1");
    FROM_FAILS("invalid argument for \"-c, --cpus\" flag: invalid syntax: \"=\"", "-b", "efi",
               "-c=");
    FROM_FAILS("invalid argument for \"-c, --cpus\" flag: value out of range: "
               "\"18446744073709551616\"",
               "-b", "efi", "-c", "18446744073709551616");
    FROM_FAILS("invalid argument for \"-n, --nested\" flag: strconv.ParseBool: "
               "invalid syntax: "
               "\"maybe\"",
               "-b", "efi", "--nested=maybe");
    FROM_FAILS("invalid argument for \"--gui\" flag: strconv.ParseBool: invalid "
               "syntax: \"yes\"",
               "-b", "efi", "--gui=yes");
    FROM_FAILS("invalid argument for \"-b, --bootloader\" flag: mismatched", "-b",
               "efi,variable-store=\"/x");
    FROM_FAILS("invalid argument for \"--cloud-init\" flag: mismatched", "-b", "efi",
               "--cloud-init", "\"a");
    FROM_FAILS("'logLevel': unknown log level", "-b", "efi", "--log-level", "trace");
    /* vfkit refuses a REST address it cannot serve before the VM starts. */
    FROM_FAILS("ftp", "-b", "efi", "--restful-uri", "ftp://localhost:21");
    FROM_FAILS("restful", "-b", "efi", "--restful-uri", "");
    /* Go >= 1.25.2's net/url: brackets hold a whole host, an IPv6 address. */
    FROM_FAILS("invalid IP-literal", "-b", "efi", "--restful-uri", "tcp://[127.0.0.1]:8080");
    FROM_FAILS("invalid host", "-b", "efi", "--restful-uri", "tcp://[localhost]:8080");
    FROM_FAILS("invalid IP-literal", "-b", "efi", "--restful-uri", "tcp://a[b]:80");
    FROM_FAILS("invalid host", "-b", "efi", "--restful-uri", "tcp://[v1.x]:80");
    /* A %00 would cut the socket path short. */
    FROM_FAILS("%00", "-b", "efi", "--restful-uri", "unix:///tmp/real.sock%00/ignored");
    FROM_FAILS("unknown bootloader type: \"n\"", "-bn");
    FROM_FAILS("--device[1]: unknown device type: \"virtio-foo\"", "-b", "efi", "--device",
               "virtio-rng", "-d", "virtio-foo");
    FROM_FAILS("failed to add ignition file: ignition only accepts one option", "-b", "efi",
               "--ignition", "a.ign,b.ign");
    FROM_FAILS("vsockPort", "-b", "efi", "-t", "vsockPort=0");
}

static void test_from_cmdline_repeats(void **state)
{
    (void)state;
    /* --bootloader is a list: repeats append (TestSSCalledTwice). */
    vf_vm *vm =
        FROM_OK("--bootloader", "efi", "--bootloader", "", "-b", "variable-store=/x,\"create\"");
    vf_efi_bootloader *efi = vf_bootloader_as_efi(vm->bootloader);
    assert_string_equal(efi->efi_variable_store_path, "/x");
    assert_true(efi->create_variable_store);
    vf_vm_free(vm);

    vm = FROM_OK("-b", "efi", "-d", "virtio-rng", "--device", "virtio-balloon",
                 "--device=virtio-rng", "-dvirtio-gpu", "-t", "vsockPort=1",
                 "--timesync=vsockPort=2", "--ignition", "/a.ign", "--ignition", "/b.ign",
                 "--cloud-init", "user-data", "--cloud-init", "",
                 "--cloud-init=\"meta,data\",network-config", "--pidfile", "/run/a.pid",
                 "--restful-uri", "tcp://localhost:8081", "--log-level", "info");
    assert_int_equal(vm->n_devices, 4);
    assert_int_equal(vm->devices[0]->kind, VF_DEVICE_VIRTIO_RNG);
    assert_int_equal(vm->devices[1]->kind, VF_DEVICE_VIRTIO_BALLOON);
    assert_int_equal(vm->devices[2]->kind, VF_DEVICE_VIRTIO_RNG);
    assert_int_equal(vm->devices[3]->kind, VF_DEVICE_VIRTIO_GPU);
    assert_true(vm->timesync->vsock_port == 2);
    assert_string_equal(vm->ignition->config_path, "/b.ign");
    assert_int_equal(vm->ignition->vsock_port, 1024);
    assert_int_equal(vf_strv_length(vm->cloud_init), 3);
    assert_string_equal(vm->cloud_init[0], "user-data");
    assert_string_equal(vm->cloud_init[1], "meta,data");
    assert_string_equal(vm->cloud_init[2], "network-config");
    assert_string_equal(vm->pidfile, "/run/a.pid");
    assert_string_equal(vm->restful_uri, "tcp://localhost:8081");
    assert_string_equal(vm->log_level, "info");
    vf_vm_free(vm);

    /* Empty values mean "none", as in vfkit. */
    vm = FROM_OK("-b", "efi", "-t", "", "--ignition", "", "--cloud-init", "", "--log-level", "");
    assert_null(vm->timesync);
    assert_null(vm->ignition);
    assert_null(vm->cloud_init);
    assert_null(vm->log_level);
    vf_vm_free(vm);
}

/* cobra's root command has no argument validator: vfkit takes positional
 * words anywhere, and everything after "--", and ignores them. */
static void test_from_cmdline_positional_words_are_ignored(void **state)
{
    (void)state;
    /* a bool flag takes a value only after '=': "--gui false" is --gui */
    vf_vm *vm = FROM_OK("-b", "efi", "--gui", "false");
    assert_int_equal(count_kind(vm, VF_DEVICE_VIRTIO_GPU), 1);
    assert_true(vf_device_as_virtio_gpu(vm->devices[0])->uses_gui);
    vf_vm_free(vm);

    vm = FROM_OK("disk.img", "-b", "efi", "-", "", "help", "version", "--nested", "true");
    assert_true(vm->nested);
    assert_int_equal(vm->n_devices, 0);
    vf_vm_free(vm);

    /* after "--" nothing is a flag, not even a bad one */
    vm = FROM_OK("-b", "efi", "--cpus", "2", "--", "--restful-uri", "tcp://x:1", "--cpus", "6",
                 "-d", "virtio-foo", "--help");
    assert_true(vm->vcpus == 2);
    assert_null(vm->restful_uri);
    assert_int_equal(vm->n_devices, 0);
    vf_vm_free(vm);
}

/* pflag skips the rest of a short-flag word from "test." on, at any
 * position in the word: go test's own flags. */
static void test_from_cmdline_go_test_flags_are_skipped(void **state)
{
    (void)state;
    vf_vm *vm = FROM_OK("-b", "efi", "-test.v", "-test.run=X", "-test.", "-test.timeout", "1m");
    assert_false(vm->nested);
    vf_vm_free(vm);

    vm = FROM_OK("-b", "efi", "-ntest.v"); /* -n, then the rest skipped */
    assert_true(vm->nested);
    vf_vm_free(vm);

    /* "-testx" is not one: -t (timesync) with the value "estx" */
    FROM_FAILS("estx", "-b", "efi", "-testx");
}

/* --help, --version and cobra's completion commands print text and start
 * no VM; the library has none to return. */
static void test_from_cmdline_help_version_and_completion_give_no_vm(void **state)
{
    (void)state;
    FROM_FAILS("--help", "-b", "efi", "--help");
    FROM_FAILS("--help", "-b", "efi", "-h");
    FROM_FAILS("--help", "-b", "efi", "-nh");
    FROM_FAILS("--help", "-b", "efi", "--help=TRUE", "--version");
    FROM_FAILS("--version", "-b", "efi", "-v");
    FROM_FAILS("--version", "-b", "efi", "--version=1");
    /* the last value counts, looked at once every flag is read */
    vf_vm_free(FROM_OK("-b", "efi", "--help", "--help=false", "-v", "--version=f"));
    /* cobra adds a completion command only when a line calls it: its name
     * as the first word that is not a flag or a flag's value */
    FROM_FAILS("completion", "completion");
    FROM_FAILS("completion", "-b", "efi", "completion", "bash");
    FROM_FAILS("__complete", "-b", "efi", "__complete", "--cpus", "");
    FROM_FAILS("__completeNoDesc", "__completeNoDesc", "-b", "efi");
    FROM_FAILS("completion", "--cpus", "2", "completion", "-b", "efi");
    FROM_FAILS("completion", "--gui", "completion", "-b", "efi");
    /* a flag's value, or a later positional word, is no command */
    vf_vm *vm = FROM_OK("-b", "efi", "--ignition", "completion");
    assert_string_equal(vm->ignition->config_path, "completion");
    vf_vm_free(vm);
    vf_vm_free(FROM_OK("-b", "efi", "help", "completion"));
    vf_vm_free(FROM_OK("-b", "efi", "--", "completion"));
}

/* pflag's uint is strconv.ParseUint(s, 0, 64): base prefixes in either
 * case, underscores only between digits or after a prefix. */
static void test_from_cmdline_numbers_read_as_parseuint(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint64_t value;
    } ok[] = {{"0o17", 15}, {"0O17", 15}, {"0X1F", 31},    {"0x_1F", 31},
              {"0b1_0", 2}, {"017", 15},  {"1_000", 1000}, {"18446744073709551615", UINT64_MAX}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        vf_vm *vm = FROM_OK("-b", "efi", "--cpus", ok[i].text);
        assert_true(vm->vcpus == ok[i].value);
        vf_vm_free(vm);
    }
    static const char *const bad[] = {"_1", "1_", "1__0", "0x", "08", "+1", " 1", "1e3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        FROM_FAILS("for \"-c, --cpus\" flag", "-b", "efi", "-c", bad[i]);
}

/* cmd/vfkit's generateCloudInitImage checks, before vfkit builds its ISO
 * (TestGenerateCloudInitImage and its siblings in main_test.go). */
static void test_from_cmdline_cloud_init_checked_as_vfkit(void **state)
{
    (void)state;
    /* TestGenerateCloudInitImage */
    vf_vm *vm = FROM_OK("-b", "efi", "--cloud-init", "user-data,meta-data,network-config");
    assert_int_equal(vf_strv_length(vm->cloud_init), 3);
    vf_vm_free(vm);
    /* TestGenerateCloudInitImageWithMissingFile: one of the two is enough */
    vm = FROM_OK("-b", "efi", "--cloud-init", "./user-data");
    assert_string_equal(vm->cloud_init[0], "./user-data");
    vf_vm_free(vm);
    vf_vm_free(
        FROM_OK("-b", "efi", "--cloud-init", "meta-data", "--cloud-init", ",network-config"));
    /* TestGenerateCloudInitImageWithWrongFile */
    FROM_FAILS("user-data or meta-data", "-b", "efi", "--cloud-init", "disk.img");
    FROM_FAILS("user-data or meta-data", "-b", "efi", "--cloud-init", "network-config");
    FROM_FAILS("user-data or meta-data", "-b", "efi", "--cloud-init", ".");
    /* empty items are skipped, so a list of them names no file at all */
    FROM_FAILS("'cloudInit'", "-b", "efi", "--cloud-init", ",");
    /* TestGenerateCloudInitImageWithNoFile */
    vm = FROM_OK("-b", "efi", "--cloud-init", "");
    assert_null(vm->cloud_init);
    vf_vm_free(vm);
    /* every file must open */
    assert_from_fails(
        (const char *const[]){"-b", "efi", "--cloud-init", "user-data,missing.img", NULL},
        VF_ERR_IO, "cannot open \"missing.img\"");
    assert_from_fails((const char *const[]){"-b", "efi", "--cloud-init", "missing/user-data", NULL},
                      VF_ERR_IO, "missing/user-data");
    assert_from_fails((const char *const[]){"-b", "efi", "--cloud-init", "user-data/", NULL},
                      VF_ERR_IO, "user-data/");
    /* one quoted item is one path */
    assert_from_fails(
        (const char *const[]){"-b", "efi", "--cloud-init", "\"user-data,meta-data\"", NULL},
        VF_ERR_IO, "user-data,meta-data");
}

/* cmd/vfkit/main_test.go's GUI tests, plus runVFKit turning the window on
 * for the first GPU. */
static void test_from_cmdline_gui(void **state)
{
    (void)state;
    /* TestGUIAutoAddsGPUAndInput */
    vf_vm *vm = FROM_OK("--bootloader", "efi", "--gui");
    assert_int_equal(count_kind(vm, VF_DEVICE_VIRTIO_GPU), 1);
    assert_int_equal(count_kind(vm, VF_DEVICE_VIRTIO_INPUT), 1);
    vf_virtio_gpu *gpu = vf_device_as_virtio_gpu(vm->devices[0]);
    assert_true(gpu->uses_gui);
    assert_true(gpu->width == 800 && gpu->height == 600);
    assert_string_equal(vf_device_as_virtio_input(vm->devices[1])->input_type,
                        VF_VIRTIO_INPUT_KEYBOARD);
    vf_vm_free(vm);

    /* TestNoGUINoGPUAndInput */
    vm = FROM_OK("--bootloader", "efi");
    assert_int_equal(count_kind(vm, VF_DEVICE_VIRTIO_GPU), 0);
    assert_int_equal(count_kind(vm, VF_DEVICE_VIRTIO_INPUT), 0);
    vf_vm_free(vm);

    /* TestGUIWithExistingGPUAndNoInput */
    vm = FROM_OK("--bootloader", "efi", "--gui", "--device", "virtio-gpu,width=1024,height=768");
    assert_int_equal(count_kind(vm, VF_DEVICE_VIRTIO_GPU), 1);
    assert_int_equal(count_kind(vm, VF_DEVICE_VIRTIO_INPUT), 1);
    assert_string_equal(vf_device_as_virtio_input(vm->devices[1])->input_type,
                        VF_VIRTIO_INPUT_KEYBOARD);
    gpu = vf_device_as_virtio_gpu(vm->devices[0]);
    assert_true(gpu->uses_gui);
    assert_true(gpu->width == 1024 && gpu->height == 768);
    vf_vm_free(vm);

    /* TestGUIWithExistingGPUAndInput */
    vm = FROM_OK("--bootloader", "efi", "--gui", "--device", "virtio-gpu,width=1024,height=768",
                 "--device", "virtio-input,keyboard");
    assert_int_equal(count_kind(vm, VF_DEVICE_VIRTIO_GPU), 1);
    assert_int_equal(count_kind(vm, VF_DEVICE_VIRTIO_INPUT), 1);
    vf_vm_free(vm);

    /* TestGUIWithExistingInputAndNoGPU */
    vm = FROM_OK("--bootloader", "efi", "--gui", "--device", "virtio-input,keyboard");
    assert_int_equal(count_kind(vm, VF_DEVICE_VIRTIO_INPUT), 1);
    assert_int_equal(count_kind(vm, VF_DEVICE_VIRTIO_GPU), 1);
    assert_true(vf_device_as_virtio_gpu(vm->devices[1])->uses_gui);
    vf_vm_free(vm);

    /* Any input device will do; only the first GPU gets the window. */
    vm = FROM_OK("-b", "efi", "--gui", "-d", "virtio-input,pointing", "-d", "virtio-gpu", "-d",
                 "virtio-gpu,width=1920,height=1080");
    assert_int_equal(vm->n_devices, 3);
    assert_true(vf_device_as_virtio_gpu(vm->devices[1])->uses_gui);
    assert_false(vf_device_as_virtio_gpu(vm->devices[2])->uses_gui);
    vf_vm_free(vm);
}

/* Whatever to_cmdline prints, from_cmdline reads back into a VM that
 * prints the same argv. */
static void test_round_trip(void **state)
{
    (void)state;
    vf_linux_bootloader *bl =
        vf_linux_bootloader_new("/vmlinuz", "console=hvc0 \"quoted\"", "/initrd");
    vf_vm *vm = vf_vm_new(4, 4096, &bl->base);
    const char *devs[] = {
        "virtio-blk,path=disk.img,deviceId=root",
        "virtio-net,nat,mac=00:11:22:33:44:55",
        "virtio-fs,sharedDir=/Users/me,mountTag=home",
        "virtio-vsock,port=1234,socketURL=/tmp/v.sock,listen",
        "virtio-serial,logFilePath=/tmp/console.log",
        "virtio-input,keyboard",
        "virtio-gpu,width=1920,height=1080",
        "nbd,uri=nbd://localhost:10809/disk,deviceId=nbd0,timeout=1000,sync=none",
    };
    add_devices(vm, devs, sizeof devs / sizeof devs[0]);
    vf_device_as_virtio_gpu(vm->devices[6])->uses_gui = true;
    vf_vm_set_timesync(vm, vf_timesync_new(3));
    vf_vm_set_ignition(vm, vf_ignition_new("/config.ign", NULL, NULL));
    vm->nested = true;
    vf__set_string(&vm->restful_uri, "none://");
    vf__set_string(&vm->log_level, "error");
    vf__set_string(&vm->pidfile, "/run/p.pid");
    vm->cloud_init = vf_split_quoted_list("user-data,,meta-data", NULL);

    char **argv = to_cmdline_ok(vm);
    vf_vm *back = from_cmdline_ok((const char *const *)argv);
    char **again = to_cmdline_ok(back);
    assert_argv(again, (const char *const *)argv, vf_strv_length(argv));
    vf_strv_free(argv);
    vf_strv_free(again);
    vf_vm_free(back);

    vf_vm_set_bootloader(vm, &vf_macos_bootloader_new("/m", "/h", "/a")->base);
    argv = to_cmdline_ok(vm);
    back = from_cmdline_ok((const char *const *)argv);
    again = to_cmdline_ok(back);
    assert_argv(again, (const char *const *)argv, vf_strv_length(argv));
    assert_non_null(vf_bootloader_as_macos(back->bootloader));
    vf_strv_free(argv);
    vf_strv_free(again);
    vf_vm_free(back);
    vf_vm_free(vm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_cmdline_linux_vm),
        cmocka_unit_test(test_to_cmdline_vector_order),
        cmocka_unit_test(test_to_cmdline_numbers),
        cmocka_unit_test(test_to_cmdline_errors),
        cmocka_unit_test(test_to_cmdline_additions),
        cmocka_unit_test(test_to_cmdline_gui_first_gpu_only),
        cmocka_unit_test(test_to_cmdline_child_fds),
        cmocka_unit_test(test_from_cmdline_defaults),
        cmocka_unit_test(test_from_cmdline_legacy_kernel),
        cmocka_unit_test(test_from_cmdline_flag_syntax),
        cmocka_unit_test(test_from_cmdline_flag_errors),
        cmocka_unit_test(test_from_cmdline_repeats),
        cmocka_unit_test(test_from_cmdline_positional_words_are_ignored),
        cmocka_unit_test(test_from_cmdline_go_test_flags_are_skipped),
        cmocka_unit_test(test_from_cmdline_help_version_and_completion_give_no_vm),
        cmocka_unit_test(test_from_cmdline_numbers_read_as_parseuint),
        cmocka_unit_test(test_from_cmdline_cloud_init_checked_as_vfkit),
        cmocka_unit_test(test_from_cmdline_gui),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, make_fixtures, NULL);
}
