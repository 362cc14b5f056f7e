/*
 * libvfconfig - launchers: for every known release of vfkit and krunkit, a
 * VM with everything that release accepts is printed and checked argument
 * by argument, and each thing the release lacks is named by the check.
 * What each release accepts comes from the launchers' git history: vfkit's
 * pkg/config and pkg/cmdline at tags v0.5.0 to v0.6.4, krunkit's
 * src/cmdline.rs, src/virtio.rs and src/status.rs at tags v0.1.0 to v1.2.1;
 * the expected arguments are what those sources print and parse.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "vfconfig/vfconfig.h"

#define R(a, b, c) ((a)*10000u + (b)*100u + (c))

static void add(vf_vm *vm, vf_device *dev)
{
    assert_int_equal(vf_vm_add_device(vm, dev, NULL), 0);
}

/* ---- features: what a release brings, and how it is printed ---- */

typedef struct feature {
    unsigned since; /* the release that accepts it */
    bool device;    /* printed among the devices (else among the flags) */
    void (*apply)(vf_vm *vm);
    const char *argv[4]; /* what is printed for it */
    const char *problem; /* what the check says to an older release */
    unsigned until;      /* 0, or the release that replaces it by a later feature */
} feature;

static void v_usb(vf_vm *vm)
{
    add(vm, &vf_usb_mass_storage_new("/vm/usb.img")->base);
}
static void v_fs(vf_vm *vm)
{
    add(vm, &vf_virtio_fs_new("/Users/me", "home")->base);
}
static void v_serial(vf_vm *vm)
{
    add(vm, &vf_virtio_serial_new("/vm/serial.log")->base);
}
static void v_vsock(vf_vm *vm)
{
    add(vm, &vf_virtio_vsock_new(1024, "/vm/vsock.sock", true)->base);
}
static void v_nat(vf_vm *vm)
{
    vf_virtio_net *net = vf_virtio_net_new("5a:94:ef:e4:0c:ee", NULL);
    net->nat = true;
    add(vm, &net->base);
}
static void v_gpu(vf_vm *vm)
{
    vf_virtio_gpu *gpu = vf_virtio_gpu_new();
    gpu->width = 1024;
    gpu->height = 768;
    add(vm, &gpu->base);
}
static void v_input(vf_vm *vm)
{
    add(vm, &vf_virtio_input_new("pointing", NULL)->base);
}
static void v_rosetta(vf_vm *vm)
{
    add(vm, &vf_rosetta_share_new("rosetta")->base);
}
static void v_nvme(vf_vm *vm)
{
    add(vm, &vf_nvm_express_controller_new("/vm/nvme.raw")->base);
}
static void v_nbd(vf_vm *vm)
{
    add(vm, &vf_network_block_device_new("nbd://localhost:10809", 0, NULL)->base);
}
static void v_readonly(vf_vm *vm)
{
    vf_virtio_blk *blk = vf_virtio_blk_new("/vm/ro.raw");
    blk->disk.storage.read_only = true;
    add(vm, &blk->base);
}
static void v_ignore_missing(vf_vm *vm)
{
    vf_rosetta_share *r = vf_rosetta_share_new("x86");
    r->ignore_if_missing = true;
    add(vm, &r->base);
}
static void v_balloon(vf_vm *vm)
{
    add(vm, &vf_virtio_balloon_new()->base);
}
static void v_nbd_id(vf_vm *vm)
{
    vf_network_block_device *nbd = vf_network_block_device_new("nbd://localhost:10810", 0, NULL);
    vf_network_block_device_set_device_identifier(nbd, "data");
    add(vm, &nbd->base);
}
static void v_magic_off(vf_vm *vm)
{
    vf_virtio_net *net = vf_virtio_net_new("5a:94:ef:e4:0c:ef", NULL);
    vf_virtio_net_set_unix_socket_path(net, "/vm/vmnet.sock");
    net->vfkit_magic = false;
    add(vm, &net->base);
}
static void v_pty(vf_vm *vm)
{
    add(vm, &vf_virtio_serial_new_pty()->base);
}
static void v_blk_dev(vf_vm *vm)
{
    vf_virtio_blk *blk = vf_virtio_blk_new("/dev/disk4");
    blk->disk.type = strdup("dev");
    add(vm, &blk->base);
}
static void v_timesync(vf_vm *vm)
{
    vf_vm_set_timesync(vm, vf_timesync_new(1234));
}
static void v_ignition(vf_vm *vm)
{
    vf_vm_set_ignition(vm, vf_ignition_new("/vm/config.ign", NULL, NULL));
}
static void v_nested(vf_vm *vm)
{
    vm->nested = true;
}
static void v_restful(vf_vm *vm)
{
    vm->restful_uri = strdup("tcp://localhost:8081");
}
static void v_log_level(vf_vm *vm)
{
    vm->log_level = strdup("debug");
}
static void v_pidfile(vf_vm *vm)
{
    vm->pidfile = strdup("/vm/vfkit.pid");
}
static void v_cloud_init(vf_vm *vm)
{
    /* A vector is one block for vf_strv_free(): the pointers, then the strings.
   */
    static const char a[] = "/vm/user-data", b[] = "/vm/meta-data";
    char **v = malloc(3 * sizeof(char *) + sizeof a + sizeof b);
    char *bytes = (char *)(v + 3);
    memcpy(bytes, a, sizeof a);
    memcpy(bytes + sizeof a, b, sizeof b);
    v[0] = bytes;
    v[1] = bytes + sizeof a;
    v[2] = NULL;
    vm->cloud_init = v;
}

/* In the printers' order: devices as added, then vfkit's flags in the
 * order vf_vm_to_cmdline prints them. */
static const feature vfkit_features[] = {
    {R(0, 5, 0), true, v_usb, {"--device", "usb-mass-storage,path=/vm/usb.img"}, NULL, 0},
    {R(0, 5, 0), true, v_fs, {"--device", "virtio-fs,sharedDir=/Users/me,mountTag=home"}, NULL, 0},
    {R(0, 5, 0), true, v_serial, {"--device", "virtio-serial,logFilePath=/vm/serial.log"}, NULL, 0},
    {R(0, 5, 0),
     true,
     v_vsock,
     {"--device", "virtio-vsock,port=1024,socketURL=/vm/vsock.sock,listen"},
     NULL,
     0},
    {R(0, 5, 0), true, v_nat, {"--device", "virtio-net,nat,mac=5a:94:ef:e4:0c:ee"}, NULL, 0},
    {R(0, 5, 0), true, v_gpu, {"--device", "virtio-gpu,width=1024,height=768"}, NULL, 0},
    {R(0, 5, 0), true, v_input, {"--device", "virtio-input,pointing"}, NULL, 0},
    {R(0, 5, 0), true, v_rosetta, {"--device", "rosetta,mountTag=rosetta"}, NULL, 0},
    {R(0, 6, 0),
     true,
     v_nvme,
     {"--device", "nvme,path=/vm/nvme.raw"},
     "nvme needs vfkit >= 0.6.0",
     0},
    {R(0, 6, 0),
     true,
     v_nbd,
     {"--device", "nbd,uri=nbd://localhost:10809"},
     "nbd needs vfkit >= 0.6.0",
     0},
    {R(0, 6, 0),
     true,
     v_readonly,
     {"--device", "virtio-blk,path=/vm/ro.raw,readonly", 0},
     "virtio-blk 'readonly' needs vfkit >= 0.6.0",
     0},
    {R(0, 6, 0),
     true,
     v_ignore_missing,
     {"--device", "rosetta,mountTag=x86,ignore-if-missing", 0},
     "rosetta 'ignore-if-missing' needs vfkit >= 0.6.0",
     0},
    {R(0, 6, 1),
     true,
     v_balloon,
     {"--device", "virtio-balloon"},
     "virtio-balloon needs vfkit >= 0.6.1",
     0},
    {R(0, 6, 1),
     true,
     v_nbd_id,
     {"--device", "nbd,uri=nbd://localhost:10810,deviceId=data", 0},
     "nbd 'deviceId' needs vfkit >= 0.6.1",
     0},
    {R(0, 6, 2),
     true,
     v_magic_off,
     {"--device",
      "virtio-net,type=unixgram,path=/vm/"
      "vmnet.sock,vfkitMagic=off,mac=5a:94:ef:e4:0c:ef",
      0},
     "virtio-net 'type', 'path' and 'vfkitMagic' need vfkit >= 0.6.2",
     0},
    {R(0, 6, 2),
     true,
     v_pty,
     {"--device", "virtio-serial,pty"},
     "virtio-serial 'pty' needs vfkit >= 0.6.2",
     0},
    {R(0, 6, 2),
     true,
     v_blk_dev,
     {"--device", "virtio-blk,path=/dev/disk4,type=dev", 0},
     "virtio-blk 'type' needs vfkit >= 0.6.2",
     0},
    {R(0, 5, 0), false, v_timesync, {"--timesync", "vsockPort=1234"}, NULL, 0},
    {R(0, 6, 0),
     false,
     v_ignition,
     {"--ignition", "/vm/config.ign"},
     "--ignition needs vfkit >= 0.6.0",
     0},
    {R(0, 6, 2), false, v_nested, {"--nested"}, "--nested needs vfkit >= 0.6.2", 0},
    {R(0, 5, 0), false, v_restful, {"--restful-uri", "tcp://localhost:8081"}, NULL, 0},
    {R(0, 5, 0), false, v_log_level, {"--log-level", "debug"}, NULL, 0},
    {R(0, 6, 2),
     false,
     v_pidfile,
     {"--pidfile", "/vm/vfkit.pid"},
     "--pidfile needs vfkit >= 0.6.2",
     0},
    {R(0, 6, 1),
     false,
     v_cloud_init,
     {"--cloud-init", "/vm/user-data,/vm/meta-data", 0},
     "--cloud-init needs vfkit >= 0.6.1",
     0},
};

static void k_serial(vf_vm *vm)
{
    v_serial(vm);
}
static void k_vsock(vf_vm *vm)
{
    v_vsock(vm);
}
static void k_gvproxy(vf_vm *vm)
{
    vf_virtio_net *net = vf_virtio_net_new("5a:94:ef:e4:0c:ee", NULL);
    vf_virtio_net_set_unix_socket_path(net, "/vm/gvproxy.sock");
    net->offloading = true;
    add(vm, &net->base);
}
static void k_fs(vf_vm *vm)
{
    v_fs(vm);
}
static void k_gpu(vf_vm *vm)
{
    v_gpu(vm);
}
static void k_keyboard(vf_vm *vm)
{
    add(vm, &vf_virtio_input_new("keyboard", NULL)->base);
}
static void k_qcow2(vf_vm *vm)
{
    vf_virtio_blk *blk = vf_virtio_blk_new("/vm/root.qcow2");
    vf_virtio_blk_set_format(blk, VF_DISK_FORMAT_QCOW2);
    add(vm, &blk->base);
}
static void k_passt(vf_vm *vm)
{
    vf_virtio_net *net = vf_virtio_net_new("5a:94:ef:e4:0c:ef", NULL);
    vf_virtio_net_set_unix_socket_path(net, "/vm/passt.sock");
    vf_virtio_net_set_unix_stream(net, true);
    net->vfkit_magic = false;
    add(vm, &net->base);
}
static void k_connect(vf_vm *vm)
{
    add(vm, &vf_virtio_vsock_new(1025, "/vm/host.sock", false)->base);
}
static void k_restful_tcp(vf_vm *vm)
{
    vm->restful_uri = strdup("tcp://127.0.0.1:8081");
}
static void k_restful_unix(vf_vm *vm)
{
    vm->restful_uri = strdup("unix:///vm/rest.sock");
}
static void k_gui(vf_vm *vm)
{
    vm->krunkit_gui = true;
}
static void k_pidfile(vf_vm *vm)
{
    vm->pidfile = strdup("/vm/krunkit.pid");
}
static void k_log_level(vf_vm *vm)
{
    vf_vm_set_krun_log_level(vm, 5);
}
static void k_log_file(vf_vm *vm)
{
    vf_vm_set_log_file(vm, "/vm/krunkit.log");
}
static void k_firmware(vf_vm *vm)
{
    vf_vm_set_firmware_path(vm, "/opt/krunkit/KRUN_EFI.fd");
}
static void k_oem(vf_vm *vm)
{
    vf_vm_add_oem_string(vm, "io.systemd.credential:a=b");
}

/* In krunkit's printer order: devices, then --restful-uri, --gui,
 * --nested, --timesync, --pidfile, --krun-log-level, --log-file,
 * --firmware-path, --oem-string. */
static const feature krunkit_features[] = {
    {R(0, 1, 0), true, k_serial, {"--device", "virtio-serial,logFilePath=/vm/serial.log"}, NULL, 0},
    {R(0, 1, 0),
     true,
     k_vsock,
     {"--device", "virtio-vsock,port=1024,socketURL=/vm/vsock.sock,listen"},
     NULL,
     0},
    {R(0, 1, 0),
     true,
     k_gvproxy,
     {"--device", "virtio-net,unixSocketPath=/vm/gvproxy.sock,mac=5a:94:ef:e4:0c:ee"},
     NULL,
     0},
    {R(0, 1, 0), true, k_fs, {"--device", "virtio-fs,sharedDir=/Users/me,mountTag=home"}, NULL, 0},
    {R(0, 1, 0), true, k_gpu, {"--device", "virtio-gpu,width=1024,height=768"}, NULL, 0},
    {R(0, 1, 0), true, k_keyboard, {"--device", "virtio-input,keyboard"}, NULL, 0},
    {R(0, 2, 0),
     true,
     k_qcow2,
     {"--device", "virtio-blk,path=/vm/root.qcow2,format=qcow2", 0},
     "virtio-blk 'format' needs krunkit >= 0.2.0",
     0},
    {R(1, 0, 0),
     true,
     k_passt,
     {"--device", "virtio-net,type=unixstream,path=/vm/passt.sock,mac=5a:94:ef:e4:0c:ef", 0},
     "virtio-net 'type' and 'path' need krunkit >= 1.0.0",
     0},
    {R(1, 2, 0),
     true,
     k_connect,
     {"--device", "virtio-vsock,port=1025,socketURL=/vm/host.sock,connect", 0},
     "virtio-vsock 'connect' needs krunkit >= 1.2.0",
     0},
    {R(0, 1, 0), false, k_restful_tcp, {"--restful-uri", "tcp://127.0.0.1:8081"}, NULL, R(0, 2, 2)},
    {R(0, 2, 2),
     false,
     k_restful_unix,
     {"--restful-uri", "unix:///vm/rest.sock", 0},
     "--restful-uri unix:// needs krunkit >= 0.2.2 (before, tcp:// only)",
     0},
    {R(0, 1, 0), false, k_gui, {"--gui"}, NULL, 0},
    {R(0, 2, 0), false, v_nested, {"--nested"}, "--nested needs krunkit >= 0.2.0", 0},
    {R(1, 2, 0),
     false,
     v_timesync,
     {"--timesync", "vsockPort=1234"},
     "--timesync needs krunkit >= 1.2.0",
     0},
    {R(1, 0, 0),
     false,
     k_pidfile,
     {"--pidfile", "/vm/krunkit.pid"},
     "--pidfile needs krunkit >= 1.0.0",
     0},
    {R(0, 1, 4),
     false,
     k_log_level,
     {"--krun-log-level", "5"},
     "--krun-log-level needs krunkit >= 0.1.4",
     0},
    {R(1, 1, 0),
     false,
     k_log_file,
     {"--log-file", "/vm/krunkit.log"},
     "--log-file needs krunkit >= 1.1.0",
     0},
    {R(1, 2, 0),
     false,
     k_firmware,
     {"--firmware-path", "/opt/krunkit/KRUN_EFI.fd", 0},
     "--firmware-path needs krunkit >= 1.2.0",
     0},
    {R(0, 1, 1),
     false,
     k_oem,
     {"--oem-string", "io.systemd.credential:a=b", 0},
     "--oem-string needs krunkit >= 0.1.1",
     0},
};

/* The VM every release runs: 2 CPUs, 2 GiB, EFI, a raw disk, rng. */
static vf_vm *base_vm(void)
{
    vf_vm *vm = vf_vm_new(2, 2048, &vf_efi_bootloader_new("/vm/efi-store", true)->base);
    add(vm, &vf_virtio_blk_new("/vm/disk.raw")->base);
    add(vm, &vf_virtio_rng_new()->base);
    return vm;
}
static const char *const base_argv[] = {
    "--cpus",       "2",
    "--memory",     "2048",
    "--bootloader", "efi,variable-store=/vm/efi-store,create",
    "--device",     "virtio-blk,path=/vm/disk.raw",
    "--device",     "virtio-rng",
};

typedef struct problems {
    int count;
    char first[256];
    long device;
} problems;

static void collect(const vf_launcher_problem *p, void *ctx)
{
    problems *seen = ctx;
    if (seen->count++ == 0) {
        snprintf(seen->first, sizeof seen->first, "%s", p->message);
        seen->device = p->device;
    }
}

static void check_releases(vf_launcher_kind kind, const feature *features, size_t n)
{
    vf_launcher releases[16];
    size_t n_releases = vf_launcher_releases(kind, releases, 16);
    assert_true(n_releases > 0 && n_releases <= 16);
    for (size_t r = 0; r < n_releases; r++) {
        const vf_launcher *l = &releases[r];
        unsigned have = R(l->major, l->minor, l->patch);
        char name[VF_LAUNCHER_TEXT_MAX];
        vf_launcher_format(l, name, sizeof name);
        /* Everything the release accepts, printed argument by argument. */
        vf_vm *vm = base_vm();
        const char *want[128];
        size_t n_want = 0;
        for (size_t i = 0; i < sizeof base_argv / sizeof base_argv[0]; i++)
            want[n_want++] = base_argv[i];
        for (int pass = 0; pass < 2; pass++) {
            for (size_t i = 0; i < n; i++) {
                if (features[i].since > have || features[i].device != (pass == 0) ||
                    (features[i].until != 0 && have >= features[i].until))
                    continue;
                features[i].apply(vm);
                for (size_t a = 0; features[i].argv[a] != NULL; a++)
                    want[n_want++] = features[i].argv[a];
            }
        }
        vf_error err = {0};
        problems seen = {0, "", -1};
        int count = vf_vm_check_launcher(vm, l, collect, &seen, &err);
        if (count != 0)
            print_error("%s: %s\n", name, seen.first);
        assert_int_equal(count, 0);
        char **argv = vf_vm_to_cmdline_for(vm, l, &err);
        if (argv == NULL)
            print_error("%s: %s\n", name, err.text);
        assert_non_null(argv);
        size_t got = 0;
        for (; argv[got] != NULL; got++) {
            if (got >= n_want || strcmp(argv[got], want[got]) != 0)
                print_error("%s: argument %zu is \"%s\", expected \"%s\"\n", name, got, argv[got],
                            got < n_want ? want[got] : "(nothing)");
            assert_true(got < n_want);
            assert_string_equal(argv[got], want[got]);
        }
        assert_int_equal(got, n_want);
        /* krunkit reads it back as the same VM (vfkit would open the images). */
        vf_vm *back = kind == VF_LAUNCHER_KRUNKIT
                          ? vf_vm_from_cmdline_for((const char *const *)argv, l, &err)
                          : vf_vm_clone(vm);
        if (back == NULL)
            print_error("%s: reading back: %s\n", name, err.text);
        assert_non_null(back);
        char **again = vf_vm_to_cmdline_for(back, l, &err);
        assert_non_null(again);
        assert_int_equal(vf_strv_length(again), vf_strv_length(argv));
        for (size_t i = 0; argv[i] != NULL; i++)
            assert_string_equal(again[i], argv[i]);
        vf_strv_free(again);
        vf_vm_free(back);
        vf_strv_free(argv);
        vf_vm_free(vm);
        vm = NULL;
        /* Each thing the release lacks, alone on the base VM: named. */
        for (size_t i = 0; i < n; i++) {
            if (features[i].since <= have)
                continue;
            vm = base_vm();
            features[i].apply(vm);
            seen.count = 0;
            count = vf_vm_check_launcher(vm, l, collect, &seen, &err);
            /* Before nbd itself, the kind is what is missing. */
            const char *expected = features[i].apply == v_nbd_id && have < R(0, 6, 0)
                                       ? "nbd needs vfkit >= 0.6.0"
                                       : features[i].problem;
            if (count != 1 || strcmp(seen.first, expected) != 0)
                print_error("%s: %d problems, first \"%s\", expected \"%s\"\n", name, count,
                            seen.first, expected);
            assert_int_equal(count, 1);
            assert_string_equal(seen.first, expected);
            assert_int_equal(seen.device, features[i].device ? 2 : -1);
            assert_null(vf_vm_to_cmdline_for(vm, l, &err));
            assert_int_equal(err.code, VF_ERR_UNSUPPORTED);
            vf_vm_free(vm);
        }
    }
}

static void test_vfkit_releases(void **state)
{
    (void)state;
    check_releases(VF_LAUNCHER_VFKIT, vfkit_features,
                   sizeof vfkit_features / sizeof vfkit_features[0]);
}

static void test_krunkit_releases(void **state)
{
    (void)state;
    check_releases(VF_LAUNCHER_KRUNKIT, krunkit_features,
                   sizeof krunkit_features / sizeof krunkit_features[0]);
}

/* The known releases: vfkit's tags v0.5.0 to v0.6.4, krunkit's v0.1.0 to
 * v1.2.1. */
static void test_known_releases(void **state)
{
    (void)state;
    static const char *const vfkit[] = {"0.5.0", "0.5.1", "0.6.0", "0.6.1",
                                        "0.6.2", "0.6.3", "0.6.4"};
    static const char *const krunkit[] = {"0.1.0", "0.1.1", "0.1.2", "0.1.3", "0.1.4",
                                          "0.2.0", "0.2.1", "0.2.2", "1.0.0", "1.1.0",
                                          "1.1.1", "1.2.0", "1.2.1"};
    vf_launcher l[16];
    char text[VF_LAUNCHER_TEXT_MAX], want[32];
    assert_int_equal(vf_launcher_releases(VF_LAUNCHER_VFKIT, l, 16), 7);
    for (size_t i = 0; i < 7; i++) {
        snprintf(want, sizeof want, "vfkit@%s", vfkit[i]);
        assert_string_equal(vf_launcher_format(&l[i], text, sizeof text), want);
    }
    assert_int_equal(vf_launcher_releases(VF_LAUNCHER_KRUNKIT, l, 16), 13);
    for (size_t i = 0; i < 13; i++) {
        snprintf(want, sizeof want, "krunkit@%s", krunkit[i]);
        assert_string_equal(vf_launcher_format(&l[i], text, sizeof text), want);
    }
    assert_int_equal(vf_launcher_releases(VF_LAUNCHER_VFKIT, NULL, 0), 7);
}

static void test_parse(void **state)
{
    (void)state;
    vf_launcher l;
    vf_error err;
    char text[VF_LAUNCHER_TEXT_MAX];
    assert_int_equal(vf_launcher_parse("krunkit", &l, &err), 0);
    assert_string_equal(vf_launcher_format(&l, text, sizeof text), "krunkit@1.2.1");
    assert_int_equal(vf_launcher_parse("vfkit", &l, &err), 0);
    assert_string_equal(vf_launcher_format(&l, text, sizeof text), "vfkit@0.6.4");
    assert_int_equal(vf_launcher_parse("vfkit@0.6.1", &l, &err), 0);
    assert_true(l.kind == VF_LAUNCHER_VFKIT && l.major == 0 && l.minor == 6 && l.patch == 1);
    assert_int_equal(vf_launcher_parse("krunkit@v1.0.0", &l, &err), 0);
    assert_true(l.kind == VF_LAUNCHER_KRUNKIT && l.major == 1 && l.minor == 0 && l.patch == 0);
    /* Newer than known: kept, and checked as the newest. */
    assert_int_equal(vf_launcher_parse("krunkit@2.0.0", &l, &err), 0);
    assert_int_equal(l.major, 2);
    /* Older than known: refused, naming the oldest. */
    assert_int_equal(vf_launcher_parse("vfkit@0.4.0", &l, &err), VF_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.text, "0.5.0"));
    assert_int_equal(vf_launcher_parse("qemu@1.0.0", &l, &err), VF_ERR_INVALID);
    assert_int_equal(vf_launcher_parse("vfkit@0.6", &l, &err), VF_ERR_INVALID);
    assert_int_equal(vf_launcher_parse("vfkit@0.6.1x", &l, &err), VF_ERR_INVALID);
    assert_int_equal(vf_launcher_parse("vfkit@", &l, &err), VF_ERR_INVALID);
}

/* What the launchers print for --version: cobra's template as vfkit sets
 * it (without 'v' before v0.6.0, git describe's text after), clap's. */
static void test_version_output(void **state)
{
    (void)state;
    vf_launcher l;
    vf_error err;
    char text[VF_LAUNCHER_TEXT_MAX];
    assert_int_equal(vf_launcher_from_version_output("vfkit version: v0.6.4\n", &l, &err), 0);
    assert_string_equal(vf_launcher_format(&l, text, sizeof text), "vfkit@0.6.4");
    assert_int_equal(vf_launcher_from_version_output("vfkit version: 0.5.0\n", &l, &err), 0);
    assert_string_equal(vf_launcher_format(&l, text, sizeof text), "vfkit@0.5.0");
    assert_int_equal(
        vf_launcher_from_version_output("vfkit version: v0.6.1-12-g1a2b3c4\n", &l, &err), 0);
    assert_string_equal(vf_launcher_format(&l, text, sizeof text), "vfkit@0.6.1");
    assert_int_equal(vf_launcher_from_version_output("krunkit 1.2.1\n", &l, &err), 0);
    assert_string_equal(vf_launcher_format(&l, text, sizeof text), "krunkit@1.2.1");
    /* A newer release reads as the newest known. */
    assert_int_equal(vf_launcher_from_version_output("krunkit 1.3.0\n", &l, &err), 0);
    assert_string_equal(vf_launcher_format(&l, text, sizeof text), "krunkit@1.2.1");
    assert_int_equal(vf_launcher_from_version_output("vfkit version: v1.0.0\n", &l, &err), 0);
    assert_string_equal(vf_launcher_format(&l, text, sizeof text), "vfkit@0.6.4");
    /* An older one is refused. */
    assert_int_equal(vf_launcher_from_version_output("vfkit version: 0.1.1\n", &l, &err),
                     VF_ERR_UNSUPPORTED);
    assert_int_equal(vf_launcher_from_version_output("vfkit version: unknown\n", &l, &err),
                     VF_ERR_INVALID);
    assert_int_equal(vf_launcher_from_version_output("qemu 8.0.0\n", &l, &err), VF_ERR_INVALID);
}

/* A launcher that answers --version, and one that never does. */
static void write_script(const char *path, const char *body)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    assert_int_equal(chmod(path, 0755), 0);
}

static void test_probe(void **state)
{
    (void)state;
    vf_launcher l;
    vf_error err;
    char text[VF_LAUNCHER_TEXT_MAX];
    write_script("fake-krunkit", "[ \"$1\" = --version ] && echo 'krunkit 1.1.1'");
    assert_int_equal(vf_launcher_probe("./fake-krunkit", 2000, &l, &err), 0);
    assert_string_equal(vf_launcher_format(&l, text, sizeof text), "krunkit@1.1.1");
    write_script("fake-vfkit", "echo 'vfkit version: v0.6.2'");
    assert_int_equal(vf_launcher_probe("./fake-vfkit", 0, &l, &err), 0);
    assert_string_equal(vf_launcher_format(&l, text, sizeof text), "vfkit@0.6.2");
    write_script("slow", "exec sleep 10");
    assert_int_equal(vf_launcher_probe("./slow", 200, &l, &err), VF_ERR_TIMEOUT);
    write_script("failing", "exit 3");
    assert_int_equal(vf_launcher_probe("./failing", 2000, &l, &err), VF_ERR_SYSTEM);
    assert_int_equal(vf_launcher_probe("./does-not-exist", 2000, &l, &err), VF_ERR_SYSTEM);
}

/* As vf_cmd_spawn starts it: a bare name is looked up in PATH (not in the
 * current folder), a name with a '/' is that file. */
static void test_probe_path_search(void **state)
{
    (void)state;
    vf_launcher l;
    vf_error err;
    char text[VF_LAUNCHER_TEXT_MAX], cwd[512], path[600];
    assert_non_null(getcwd(cwd, sizeof cwd));
    if (mkdir("probe-bin", 0755) != 0)
        assert_int_equal(errno, EEXIST);
    write_script("probe-bin/in-path", "echo 'krunkit 1.2.0'");
    write_script("in-cwd", "echo 'krunkit 1.2.0'");
    const char *old = getenv("PATH");
    char *saved = old != NULL ? strdup(old) : NULL;
    snprintf(path, sizeof path, "%s/probe-bin:/usr/bin:/bin", cwd);
    assert_int_equal(setenv("PATH", path, 1), 0);
    int found = vf_launcher_probe("in-path", 2000, &l, &err);
    int not_here = vf_launcher_probe("in-cwd", 2000, &l, &err);
    int with_slash = vf_launcher_probe("probe-bin/in-path", 2000, &l, &err);
    if (saved != NULL)
        setenv("PATH", saved, 1);
    else
        unsetenv("PATH");
    free(saved);
    assert_int_equal(found, 0);
    assert_int_equal(not_here, VF_ERR_SYSTEM);
    assert_int_equal(with_slash, 0);
    assert_string_equal(vf_launcher_format(&l, text, sizeof text), "krunkit@1.2.0");
}

/* Problems of several things at once: each named, with its device. */
static void test_every_problem_listed(void **state)
{
    (void)state;
    vf_vm *vm = base_vm();
    add(vm, &vf_rosetta_share_new("rosetta")->base);
    add(vm, &vf_virtio_balloon_new()->base);
    vf_vm_set_ignition(vm, vf_ignition_new("/vm/config.ign", NULL, NULL));
    vf_launcher krunkit;
    vf_launcher_parse("krunkit", &krunkit, NULL);
    problems seen = {0, "", -1};
    vf_error err;
    assert_int_equal(vf_vm_check_launcher(vm, &krunkit, collect, &seen, &err), 3);
    assert_string_equal(seen.first, "krunkit has no rosetta device (vfkit has one)");
    assert_int_equal(seen.device, 2);
    assert_int_equal(err.code, VF_ERR_UNSUPPORTED);
    vf_launcher old;
    vf_launcher_parse("vfkit@0.5.1", &old, NULL);
    seen.count = 0;
    assert_int_equal(vf_vm_check_launcher(vm, &old, collect, &seen, &err), 2);
    assert_string_equal(seen.first, "virtio-balloon needs vfkit >= 0.6.1");
    vf_vm_free(vm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_releases),    cmocka_unit_test(test_parse),
        cmocka_unit_test(test_version_output),    cmocka_unit_test(test_probe),
        cmocka_unit_test(test_probe_path_search), cmocka_unit_test(test_vfkit_releases),
        cmocka_unit_test(test_krunkit_releases),  cmocka_unit_test(test_every_problem_listed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
