/*
 * libvfconfig - device options as the Go package's FromOptions reads them:
 * every malformed option is refused with a message that names the option
 * and its value; defaults, precedence and the virtio-blk image check.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "conformance_fixtures.h"
#include "vfconfig/vfconfig.h"

static char *printed(const char *value)
{
    static char text[256];
    vf_error err = {0};
    vf_device *dev = vf_device_from_cmdline(value, &err);
    if (dev == NULL)
        fail_msg("\"%s\" refused: %s", value, err.text);
    char **argv = vf_device_to_cmdline(dev, &err);
    if (argv == NULL)
        fail_msg("\"%s\" not printed: %s", value, err.text);
    snprintf(text, sizeof text, "%s", argv[1]);
    vf_strv_free(argv);
    vf_device_free(dev);
    return text;
}

static void assert_refused(const char *value, int code, const char *const *says)
{
    vf_error err = {0};
    vf_device *dev = vf_device_from_cmdline(value, &err);
    if (dev != NULL)
        fail_msg("\"%s\" was accepted", value);
    if (err.code != code)
        fail_msg("\"%s\": code %d, not %d (%s)", value, err.code, code, err.text);
    for (; *says != NULL; says++) {
        if (strstr(err.text, *says) == NULL)
            fail_msg("\"%s\": \"%s\" does not say %s", value, err.text, *says);
    }
}

/* Each --device value has one malformed option: the message must name
 * the option ('key' or "key...") and its value ("value"). */
static const struct {
    const char *device;
    const char *key;
    const char *value;
} malformed[] = {
    {"virtio-blk,path=disk.img,readonly=yes", "'readonly'", "\"yes\""},
    {"virtio-blk,path=disk.img,type=raw", "'type'", "\"raw\""},
    {"virtio-blk,path=disk.img,unknown=1", "\"unknown", "=1\""},
    {"virtio-blk,deviceId=d,cache=none,path=disk.img", "\"cache", "=none\""},
    {"nvme,path=x,type=bad", "'type'", "\"bad\""},
    {"nvme,path=x,readonly=true", "'readonly'", "\"true\""},
    {"nvme,ro", "\"ro", "ro\""},
    {"usb-mass-storage,path=x,type=cdrom", "'type'", "\"cdrom\""},
    {"usb-mass-storage,readonly=no", "'readonly'", "\"no\""},
    {"usb-mass-storage,path=x,deviceId=d", "\"deviceId", "=d\""},
    {"nbd,uri=nbd://h/e,timeout=abc", "'timeout'", "\"abc\""},
    {"nbd,uri=nbd://h/e,timeout=2147483648", "'timeout'", "\"2147483648\""},
    {"nbd,uri=nbd://h/e,timeout=", "'timeout'", "\"\""},
    {"nbd,uri=nbd://h/e,sync=partial", "'sync'", "\"partial\""},
    {"nbd,uri=nbd://h/e,readonly=1", "'readonly'", "\"1\""},
    {"nbd,uri=nbd://h/e,path=/x", "\"path", "=/x\""},
    {"virtio-fs,sharedDir=/s,tag=x", "\"tag", "=x\""},
    {"rosetta,mountTag=r,installRosetta", "\"installRosetta", "installRosetta\""},
    {"virtio-net,nat=yes", "'nat'", "\"yes\""},
    {"virtio-net,nat,mac=zz:zz:zz:zz:zz:zz", "'mac'", "\"zz:zz:zz:zz:zz:zz\""},
    {"virtio-net,fd=abc", "'fd'", "\"abc\""},
    {"virtio-net,fd=-1", "'fd'", "\"-1\""},
    {"virtio-net,fd=2147483648", "'fd'", "\"2147483648\""},
    {"virtio-net,type=unix,path=/p", "'type'", "\"unix\""},
    {"virtio-net,unixSocketPath=/p,vfkitMagic=yes", "'vfkitMagic'", "\"yes\""},
    {"virtio-net,type=unixgram,path=/p,offloading=on", "'offloading'", "\"on\""},
    {"virtio-net,nat,speed=1", "\"speed", "=1\""},
    {"virtio-net,path=/p", "\"path", "=/p\""},
    {"virtio-net,nat,offloading=off", "\"offloading", "=off\""},
    {"virtio-rng,seed=1", "\"seed", "=1\""},
    {"virtio-balloon,size", "\"size", "size\""},
    {"virtio-serial,stdio=yes", "'stdio'", "\"yes\""},
    {"virtio-serial,logFile=/x", "\"logFile", "=/x\""},
    {"virtio-vsock,port=abc", "'port'", "\"abc\""},
    {"virtio-vsock,port=4294967296", "'port'", "\"4294967296\""},
    {"virtio-vsock,port=-1", "'port'", "\"-1\""},
    {"virtio-vsock,port=+1", "'port'", "\"+1\""},
    {"virtio-vsock,bind=x", "\"bind", "=x\""},
    {"virtio-input,keyboard=yes", "'keyboard'", "\"yes\""},
    {"virtio-input,mouse", "\"mouse", "mouse\""},
    {"virtio-gpu,width=0", "'width'", "\"0\""},
    {"virtio-gpu,height=abc", "'height'", "\"abc\""},
    {"virtio-gpu,height=-600", "'height'", "\"-600\""},
    {"virtio-gpu,depth=24", "\"depth", "=24\""},
    {"virtio-blk,path=missing.img", "'path'", "\"missing.img\""},
    {"virtio-blk,path=q.qcow2", "'path'", "\"q.qcow2\""},
    {"virtio-blk,path=empty.img", "'path'", "\"empty.img\""},
    {"virtio-blk,path=.", "'path'", "\".\""},
};

static void test_malformed_options(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        vf_error err = {0};
        vf_device *dev = vf_device_from_cmdline(malformed[i].device, &err);
        if (dev != NULL)
            fail_msg("\"%s\" was accepted", malformed[i].device);
        assert_true(err.code == VF_ERR_INVALID || err.code == VF_ERR_IO);
        if (strstr(err.text, malformed[i].key) == NULL ||
            strstr(err.text, malformed[i].value) == NULL)
            fail_msg("\"%s\": \"%s\" does not name %s and %s", malformed[i].device, err.text,
                     malformed[i].key, malformed[i].value);
    }
}

static void test_virtio_blk_image(void **state)
{
    (void)state;
    assert_string_equal(printed("virtio-blk,path=disk.img"), "virtio-blk,path=disk.img");
    /* One read of four bytes: two bytes pass, none is an error. */
    assert_string_equal(printed("virtio-blk,path=short.img"), "virtio-blk,path=short.img");
    assert_refused("virtio-blk,path=empty.img", VF_ERR_IO,
                   (const char *const[]){"cannot read the header", "empty", NULL});
    assert_refused("virtio-blk,path=missing.img", VF_ERR_IO,
                   (const char *const[]){"cannot open", "No such file", NULL});
    assert_refused("virtio-blk,path=q.qcow2", VF_ERR_INVALID, (const char *const[]){"qcow2", NULL});
    assert_refused("virtio-blk", VF_ERR_IO, (const char *const[]){"'path'", "\"\"", NULL});
    /* The last path wins, and only it is opened. */
    assert_string_equal(printed("virtio-blk,path=q.qcow2,path=missing.img,path=disk.img"),
                        "virtio-blk,path=disk.img");
    /* Options are read before the image is opened. */
    assert_refused("virtio-blk,path=missing.img,bogus", VF_ERR_INVALID,
                   (const char *const[]){"bogus", NULL});
    /* The other disks do not look at their image. */
    assert_string_equal(printed("nvme,path=q.qcow2"), "nvme,path=q.qcow2");
    assert_string_equal(printed("usb-mass-storage,path=missing.img,readonly"),
                        "usb-mass-storage,path=missing.img,readonly");
}

/* The image check neither blocks nor reads endlessly: a FIFO (whose open
 * would wait for a writer), a character device and a directory are
 * refused, naming 'path' and the value, by vf_device_from_cmdline and by
 * vf_vm_from_cmdline; a regular file still passes and qcow2 is still
 * refused. The alarm turns a regression, a hang, into a failed test. */
static void assert_not_an_image(const char *path, const char *kind)
{
    char value[160];
    snprintf(value, sizeof value, "virtio-blk,path=%s", path);
    vf_error err = {0};
    assert_null(vf_device_from_cmdline(value, &err));
    assert_int_equal(err.code, VF_ERR_IO);
    assert_string_equal(err.location, "path");
    if (strstr(err.text, kind) == NULL || strstr(err.text, path) == NULL ||
        strstr(err.text, "not a regular file or block device") == NULL)
        fail_msg("\"%s\": \"%s\" does not say %s", value, err.text, kind);

    const char *args[] = {"--bootloader",
                          "efi,variable-store=efi.store",
                          "--device",
                          "virtio-blk,path=disk.img",
                          "--device",
                          value,
                          NULL};
    vf_error vm_err = {0};
    assert_null(vf_vm_from_cmdline(args, &vm_err));
    assert_int_equal(vm_err.code, VF_ERR_IO);
    assert_string_equal(vm_err.location, "--device[1].path");
    assert_non_null(strstr(vm_err.text, kind));
}

static void test_virtio_blk_not_a_file(void **state)
{
    (void)state;
    char dir[] = "blk-XXXXXX", fifo[64];
    assert_non_null(mkdtemp(dir));
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    alarm(30);
    assert_not_an_image(fifo, "is a pipe or FIFO");
    assert_not_an_image("/dev/null", "is a character device");
    assert_not_an_image("/dev/zero", "is a character device");
    assert_not_an_image(dir, "is a directory");
    assert_string_equal(printed("virtio-blk,path=disk.img"), "virtio-blk,path=disk.img");
    assert_refused("virtio-blk,path=q.qcow2", VF_ERR_INVALID,
                   (const char *const[]){"qcow2", "\"q.qcow2\"", NULL});
    alarm(0);
    assert_int_equal(unlink(fifo), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void test_storage_printing(void **state)
{
    (void)state;
    assert_string_equal(printed("virtio-blk,readonly,deviceId=x,type=dev,path=disk.img"),
                        "virtio-blk,path=disk.img,type=dev,readonly,deviceId=x");
    assert_string_equal(printed("virtio-blk,path=disk.img,type=dev,type="),
                        "virtio-blk,path=disk.img");
    assert_string_equal(printed("nbd,uri=nbd://h/e,readonly,deviceId=d"),
                        "nbd,uri=nbd://h/e,readonly,deviceId=d,timeout=15000,sync=full");
    /* Go's strconv.ParseInt: a sign is allowed; a negative timeout is not printed. */
    assert_string_equal(printed("nbd,timeout=+5,uri=nbd://h/e"),
                        "nbd,uri=nbd://h/e,timeout=5,sync=full");
    assert_string_equal(printed("nbd,timeout=-1,uri=nbd://h/e,sync=none"),
                        "nbd,uri=nbd://h/e,sync=none");
    assert_string_equal(printed("nbd,timeout=0,uri=nbd://h/e"), "nbd,uri=nbd://h/e,sync=full");

    /* Durations print whole milliseconds, truncated toward zero. */
    static const struct {
        int64_t ns;
        const char *sync;
        const char *line;
    } timeouts[] = {
        {1999999, "full", "nbd,uri=u,timeout=1,sync=full"},
        {999999, "none", "nbd,uri=u,sync=none"},
        {-1999999, "full", "nbd,uri=u,sync=full"},
        {INT64_MAX, "", "nbd,uri=u,timeout=9223372036854"},
        {15000000000, "FULL", "nbd,uri=u,timeout=15000"},
    };
    for (size_t i = 0; i < sizeof timeouts / sizeof timeouts[0]; i++) {
        vf_network_block_device *nbd = vf_network_block_device_new("u", 0, timeouts[i].sync);
        nbd->timeout_ns = timeouts[i].ns;
        char **argv = vf_device_to_cmdline(&nbd->base, NULL);
        assert_non_null(argv);
        assert_string_equal(argv[1], timeouts[i].line);
        vf_strv_free(argv);
        vf_device_free(&nbd->base);
    }
}

static void test_nbd_option_order(void **state)
{
    (void)state;
    /* nbd's own options are read before the storage ones, as in Go. */
    assert_refused("nbd,bogus,timeout=abc", VF_ERR_INVALID,
                   (const char *const[]){"'timeout'", "\"abc\"", NULL});
    assert_refused("nbd,readonly=x,sync=fast", VF_ERR_INVALID,
                   (const char *const[]){"'sync'", "\"fast\"", NULL});
    assert_refused("nbd,timeout=5,bogus,readonly=x", VF_ERR_INVALID,
                   (const char *const[]){"\"bogus\"", NULL});
    assert_string_equal(printed("nbd,sync=none,uri=a,sync=full,timeout=1,timeout=2"),
                        "nbd,uri=a,timeout=2,sync=full");
}

static void test_sharing_options(void **state)
{
    (void)state;
    assert_string_equal(printed("virtio-fs,mountTag=t,sharedDir=/s,mountTag="),
                        "virtio-fs,sharedDir=/s");
    /* Rosetta's flags take no value, and ignore one. */
    assert_string_equal(printed("rosetta,install=no,ignore-if-missing=0,mountTag=r"),
                        "rosetta,mountTag=r,install,ignore-if-missing");
    assert_refused("rosetta,Install", VF_ERR_INVALID,
                   (const char *const[]){"unknown option for rosetta share", "\"Install\"", NULL});
}

static void test_virtio_net_options(void **state)
{
    (void)state;
    /* A path turns the magic on wherever vfkitMagic stands. */
    assert_string_equal(printed("virtio-net,vfkitMagic=off,unixSocketPath=/s"),
                        "virtio-net,type=unixgram,path=/s,vfkitMagic=off");
    assert_string_equal(printed("virtio-net,vfkitMagic=on,type=unixgram,path=/s,offloading=off"),
                        "virtio-net,unixSocketPath=/s");
    /* vfkitMagic alone is allowed, and NAT prints nothing of it. */
    assert_string_equal(printed("virtio-net,nat,vfkitMagic=on"), "virtio-net,nat");
    /* Atoi: leading zeros and a sign are fine. */
    assert_string_equal(printed("virtio-net,fd=00"), "virtio-net,fd=0");
    assert_string_equal(printed("virtio-net,fd=+3,fd=2147483647"), "virtio-net,fd=2147483647");
    assert_refused("virtio-net,type=unixgram", VF_ERR_INVALID,
                   (const char *const[]){"'type' option requires 'path'", NULL});
    assert_refused("virtio-net,type=unixgram,path=", VF_ERR_INVALID,
                   (const char *const[]){"'type' option requires 'path'", NULL});
    assert_refused("virtio-net,offloading=off,path=/a,nat", VF_ERR_INVALID,
                   (const char *const[]){"\"offloading=off\"", "requires 'type'", NULL});
    assert_refused("virtio-net,nat,fd=3", VF_ERR_INVALID,
                   (const char *const[]){"'nat' and 'fd' cannot be set at the same time", NULL});
    assert_refused("virtio-net,nat,unixSocketPath=/s", VF_ERR_INVALID,
                   (const char *const[]){"'nat' and 'unixSocketPath'", NULL});
    assert_refused("virtio-net,fd=3,unixSocketPath=/s", VF_ERR_INVALID,
                   (const char *const[]){"'fd' and 'unixSocketPath'", NULL});
    assert_refused("virtio-net,mac=00:11:22:33:44:55", VF_ERR_INVALID,
                   (const char *const[]){"one of 'nat' or 'fd' or 'unixSocketPath'", NULL});
}

static void test_peripheral_options(void **state)
{
    (void)state;
    /* GPU: 800x600 only when neither dimension is given. */
    assert_string_equal(printed("virtio-gpu"), "virtio-gpu,width=800,height=600");
    assert_string_equal(printed("virtio-gpu,width=+5,height=2"), "virtio-gpu,width=5,height=2");
    assert_refused("virtio-gpu,width=1024", VF_ERR_INVALID,
                   (const char *const[]){"invalid dimensions", "1024x0", NULL});
    /* vsock listens unless told to connect; the last one wins. */
    assert_string_equal(printed("virtio-vsock,port=5,socketURL=/s"),
                        "virtio-vsock,port=5,socketURL=/s,listen");
    assert_string_equal(printed("virtio-vsock,listen,connect,port=5,socketURL=/s"),
                        "virtio-vsock,port=5,socketURL=/s,connect");
    assert_string_equal(printed("virtio-vsock,connect=no,listen=no,port=4294967295,socketURL=/s"),
                        "virtio-vsock,port=4294967295,socketURL=/s,listen");
    /* Serial: pty ignores a value, stdio refuses one, exactly one is set. */
    assert_string_equal(printed("virtio-serial,pty=yes"), "virtio-serial,pty");
    assert_refused("virtio-serial,stdio,pty", VF_ERR_INVALID,
                   (const char *const[]){"'stdio' and 'pty'", NULL});
    assert_refused("virtio-serial,logFilePath=/l,stdio", VF_ERR_INVALID,
                   (const char *const[]){"'logFilePath' and 'stdio'", NULL});
    assert_refused("virtio-serial,logFilePath=/l,pty", VF_ERR_INVALID,
                   (const char *const[]){"'logFilePath' and 'pty'", NULL});
    assert_refused("virtio-serial,logFilePath=", VF_ERR_INVALID,
                   (const char *const[]){"one of 'logFilePath', 'stdio' or 'pty'", NULL});
    /* Input: the last type wins; one is needed. */
    assert_string_equal(printed("virtio-input,keyboard,pointing"), "virtio-input,pointing");
    assert_refused("virtio-input", VF_ERR_INVALID, (const char *const[]){"virtio-input", NULL});
}

/* vf_device_apply_options works on any device, as Go's FromOptions does. */
static void test_apply_options(void **state)
{
    (void)state;
    vf_virtio_gpu *gpu = vf_virtio_gpu_new();
    const vf_option height = {"height", "5"};
    assert_int_equal(vf_device_apply_options(&gpu->base, &height, 1, NULL), VF_OK);
    assert_int_equal(gpu->width, 800);
    assert_int_equal(gpu->height, 5);
    vf_device_free(&gpu->base);

    /* Reading options makes a vsock listen first, as vfkit's parser does. */
    vf_virtio_vsock *vsock = vf_virtio_vsock_new(5, "/s", false);
    assert_int_equal(vf_device_apply_options(&vsock->base, NULL, 0, NULL), VF_OK);
    assert_true(vsock->listen);
    vf_device_free(&vsock->base);

    vf_virtio_fs *fs = vf_virtio_fs_new("/s", NULL);
    const vf_option null_value = {"mountTag", NULL};
    assert_int_equal(vf_device_apply_options(&fs->base, &null_value, 1, NULL), VF_OK);
    const vf_option null_key = {NULL, "x"};
    vf_error err = {0};
    assert_int_equal(vf_device_apply_options(&fs->base, &null_key, 1, &err), VF_ERR_INVALID);
    assert_int_equal(vf_device_apply_options(&fs->base, NULL, 1, &err), VF_ERR_INVALID);
    assert_int_equal(vf_device_apply_options(NULL, NULL, 0, &err), VF_ERR_INVALID);
    vf_device_free(&fs->base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed_options),     cmocka_unit_test(test_virtio_blk_image),
        cmocka_unit_test(test_storage_printing),      cmocka_unit_test(test_nbd_option_order),
        cmocka_unit_test(test_sharing_options),       cmocka_unit_test(test_virtio_net_options),
        cmocka_unit_test(test_peripheral_options),    cmocka_unit_test(test_apply_options),
        cmocka_unit_test(test_virtio_blk_not_a_file),
    };
    return cmocka_run_group_tests(tests, vf_test_create_conformance_fixtures, NULL);
}
