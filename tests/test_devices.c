/*
 * libvfconfig - the Go package's TestVirtioDevices (pkg/config/virtio_test.go)
 * case by case, plus what every device shares: the kind table, creation,
 * copies, casts, and the command lines the library refuses to print.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Each Go case builds a device, compares it with the expected struct,
 * prints it, reads the printed value back (and an alternate spelling) and
 * compares again. Expected structs are written here as "field=value" lists
 * over the JSON field names, everything else zero, like Go's literals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conformance_fixtures.h"
#include "vfconfig/vfconfig.h"
#include "model/device_ops.h"
#include "model/fields.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/str.h"
#include "vfconfig/vfconfig.h"

#define TEST_IMAGE "test.img"

/* ---- expected devices, from "field=value" lists ---- */

static void *field_at(vf_device *dev, const vf__field *f)
{
    return (char *)dev + f->offset;
}

static const vf__field *find_field(const vf__device_ops *ops, const char *name, size_t len)
{
    for (size_t i = 0; i < ops->n_fields; i++) {
        if (strlen(ops->fields[i].json_name) == len &&
            strncmp(ops->fields[i].json_name, name, len) == 0)
            return &ops->fields[i];
    }
    fail_msg("no field %.*s in %s", (int)len, name, ops->name);
    return NULL;
}

static void set_field(vf_device *dev, const vf__field *f, const char *value)
{
    void *slot = field_at(dev, f);
    switch (f->type) {
    case VF__FIELD_STRING:
        assert_int_equal(vf__set_string(slot, value), VF_OK);
        break;
    case VF__FIELD_BOOL:
        *(bool *)slot = strcmp(value, "true") == 0;
        break;
    case VF__FIELD_U32:
        *(uint32_t *)slot = (uint32_t)strtoul(value, NULL, 10);
        break;
    case VF__FIELD_U64:
        *(uint64_t *)slot = strtoull(value, NULL, 10);
        break;
    case VF__FIELD_INT:
    case VF__FIELD_DURATION:
        *(int64_t *)slot = strtoll(value, NULL, 10);
        break;
    case VF__FIELD_MAC:
        assert_int_equal(vf_mac_address_parse(value, slot, NULL), VF_OK);
        break;
    case VF__FIELD_FD:
        *(int *)slot = atoi(value);
        break;
    }
}

/* A device of kind whose fields are all zero (no descriptor) except the
 * listed "field=value" ones: a Go struct literal. */
static vf_device *literal(vf_device_kind kind, const char *const *fields)
{
    const vf__device_ops *ops = vf__device_ops_of(kind);
    vf_device *dev = vf_device_new(kind);
    assert_non_null(dev);
    vf__fields_release(dev, ops->fields, ops->n_fields);
    memset((char *)dev + sizeof(vf_device), 0, ops->size - sizeof(vf_device));
    for (size_t i = 0; i < ops->n_fields; i++) {
        if (ops->fields[i].type == VF__FIELD_FD)
            *(int *)field_at(dev, &ops->fields[i]) = -1;
    }
    for (; fields != NULL && *fields != NULL; fields++) {
        const char *eq = strchr(*fields, '=');
        assert_non_null(eq);
        set_field(dev, find_field(ops, *fields, (size_t)(eq - *fields)), eq + 1);
    }
    return dev;
}

static bool field_equal(const vf_device *a, const vf_device *b, const vf__field *f)
{
    const void *x = (const char *)a + f->offset;
    const void *y = (const char *)b + f->offset;
    switch (f->type) {
    case VF__FIELD_STRING:
        return strcmp(vf__str(*(char *const *)x), vf__str(*(char *const *)y)) == 0;
    case VF__FIELD_BOOL:
        return *(const bool *)x == *(const bool *)y;
    case VF__FIELD_U32:
        return *(const uint32_t *)x == *(const uint32_t *)y;
    case VF__FIELD_U64:
        return *(const uint64_t *)x == *(const uint64_t *)y;
    case VF__FIELD_INT:
    case VF__FIELD_DURATION:
        return *(const int64_t *)x == *(const int64_t *)y;
    case VF__FIELD_MAC: {
        const vf_mac_address *m = x, *n = y;
        return m->length == n->length && memcmp(m->bytes, n->bytes, m->length) == 0;
    }
    case VF__FIELD_FD:
        return *(const int *)x == *(const int *)y;
    }
    return false;
}

static void assert_device_equal(const vf_device *got, const vf_device *want)
{
    assert_non_null(got);
    assert_int_equal(got->kind, want->kind);
    const vf__device_ops *ops = vf__device_ops_of(want->kind);
    for (size_t i = 0; i < ops->n_fields; i++) {
        if (!field_equal(got, want, &ops->fields[i]))
            fail_msg("%s: field %s differs", ops->name, ops->fields[i].json_name);
    }
}

static void assert_cmdline(const vf_device *dev, const char *value)
{
    vf_error err = {0};
    char **argv = vf_device_to_cmdline(dev, &err);
    if (argv == NULL)
        fail_msg("to_cmdline failed: %s", err.text);
    assert_int_equal(vf_strv_length(argv), 2);
    assert_string_equal(argv[0], "--device");
    assert_string_equal(argv[1], value);
    vf_strv_free(argv);
}

static vf_device *parse(const char *value)
{
    vf_error err = {0};
    vf_device *dev = vf_device_from_cmdline(value, &err);
    if (dev == NULL)
        fail_msg("from_cmdline(\"%s\") failed: %s", value, err.text);
    return dev;
}

/* ---- the Go cases ---- */

typedef struct virtio_case {
    const char *name;
    vf_device *(*make)(void); /* Go's newDev, unless from_cmdline is set */
    const char *from_cmdline; /* newDev is deviceFromCmdLine(this) */
    vf_device_kind kind;
    const char *expected[6]; /* the expected struct */
    const char *cmdline;
    const char *alternate;
    const char *error[4]; /* error cases: what the message must say */
} virtio_case;

/* Go's getTestVirtioBlkDevice writes four '0' bytes. */
static void write_test_image(void)
{
    vf_test_write_file(TEST_IMAGE, "0000", 4);
}

static vf_device *new_blk(void)
{
    write_test_image();
    return &vf_virtio_blk_new(TEST_IMAGE)->base;
}

static vf_device *new_blk_with_dev_id(void)
{
    vf_virtio_blk *blk = vf_device_as_virtio_blk(new_blk());
    assert_int_equal(vf_virtio_blk_set_device_identifier(blk, "test"), VF_OK);
    return &blk->base;
}

static vf_device *new_blk_with_type(void)
{
    vf_virtio_blk *blk = vf_device_as_virtio_blk(new_blk());
    assert_int_equal(vf__set_string(&blk->disk.type, VF_DISK_BACKEND_DEV), VF_OK);
    return &blk->base;
}

static vf_device *new_blk_with_default_type(void)
{
    vf_virtio_blk *blk = vf_device_as_virtio_blk(new_blk());
    assert_int_equal(vf__set_string(&blk->disk.type, ""), VF_OK);
    return &blk->base;
}

static vf_device *new_nvme(void)
{
    return &vf_nvm_express_controller_new("/foo/bar")->base;
}

static vf_device *new_nvme_with_type(void)
{
    vf_nvm_express_controller *nvme = vf_nvm_express_controller_new("/foo/bar");
    assert_int_equal(vf__set_string(&nvme->disk.type, VF_DISK_BACKEND_IMAGE), VF_OK);
    return &nvme->base;
}

static vf_device *new_fs(void)
{
    return &vf_virtio_fs_new("/foo/bar", "")->base;
}

static vf_device *new_fs_with_tag(void)
{
    return &vf_virtio_fs_new("/foo/bar", "myTag")->base;
}

static vf_device *new_rosetta(void)
{
    return &vf_rosetta_share_new("myTag")->base;
}

static vf_device *new_vsock(void)
{
    return &vf_virtio_vsock_new(1234, "/foo/bar.unix", false)->base;
}

static vf_device *new_vsock_listen(void)
{
    return &vf_virtio_vsock_new(1234, "/foo/bar.unix", true)->base;
}

static vf_device *new_rng(void)
{
    return &vf_virtio_rng_new()->base;
}

static vf_device *new_serial(void)
{
    return &vf_virtio_serial_new("/foo/bar.log")->base;
}

static vf_device *new_serial_stdio(void)
{
    return &vf_virtio_serial_new_stdio()->base;
}

static vf_device *new_serial_pty(void)
{
    return &vf_virtio_serial_new_pty()->base;
}

static vf_device *new_net(void)
{
    return &vf_virtio_net_new("", NULL)->base;
}

static vf_device *new_net_with_path(void)
{
    vf_virtio_net *net = vf_virtio_net_new("", NULL);
    assert_int_equal(vf_virtio_net_set_unix_socket_path(net, "/tmp/unix.sock"), VF_OK);
    return &net->base;
}

static vf_device *new_net_with_mac(void)
{
    return &vf_virtio_net_new("00:11:22:33:44:55", NULL)->base;
}

static vf_device *new_usb(void)
{
    return &vf_usb_mass_storage_new("/foo/bar")->base;
}

static vf_device *new_usb_read_only(void)
{
    vf_usb_mass_storage *usb = vf_usb_mass_storage_new("/foo/bar");
    vf_usb_mass_storage_set_read_only(usb, true);
    return &usb->base;
}

static vf_device *new_input_pointing(void)
{
    return &vf_virtio_input_new(VF_VIRTIO_INPUT_POINTING, NULL)->base;
}

static vf_device *new_input_keyboard(void)
{
    return &vf_virtio_input_new(VF_VIRTIO_INPUT_KEYBOARD, NULL)->base;
}

static vf_device *new_gpu(void)
{
    return &vf_virtio_gpu_new()->base;
}

static vf_device *new_gpu_with_dimensions(void)
{
    vf_virtio_gpu *gpu = vf_virtio_gpu_new();
    gpu->width = 1920;
    gpu->height = 1080;
    return &gpu->base;
}

static vf_device *new_nbd(void)
{
    return &vf_network_block_device_new("nbd://1.1.1.1:10000", 1000, VF_NBD_SYNC_NONE)->base;
}

static vf_device *new_balloon(void)
{
    return &vf_virtio_balloon_new()->base;
}

/* Go builds these two as struct literals: NAT off, a path, the magic set. */
static vf_device *new_net_magic(bool magic)
{
    const char *const fields[] = {"unixSocketPath=/tmp/test.sock", NULL};
    vf_device *dev = literal(VF_DEVICE_VIRTIO_NET, fields);
    vf_device_as_virtio_net(dev)->vfkit_magic = magic;
    return dev;
}

static vf_device *new_net_magic_off(void)
{
    return new_net_magic(false);
}

static vf_device *new_net_magic_on(void)
{
    return new_net_magic(true);
}

#define BLK_FIELDS "devName=virtio-blk", "imagePath=" TEST_IMAGE
#define NVME_FIELDS "devName=nvme", "imagePath=/foo/bar"
#define USB_FIELDS "devName=usb-mass-storage", "imagePath=/foo/bar"

static const virtio_case virtio_cases[] = {
    {"NewVirtioBlk",
     new_blk,
     NULL,
     VF_DEVICE_VIRTIO_BLK,
     {BLK_FIELDS},
     "virtio-blk,path=" TEST_IMAGE,
     NULL,
     {NULL}},
    {"NewVirtioBlkWithDevId",
     new_blk_with_dev_id,
     NULL,
     VF_DEVICE_VIRTIO_BLK,
     {BLK_FIELDS, "deviceIdentifier=test"},
     "virtio-blk,path=" TEST_IMAGE ",deviceId=test",
     "virtio-blk,deviceId=test,path=" TEST_IMAGE,
     {NULL}},
    {"NewVirtioBlkWithType",
     new_blk_with_type,
     NULL,
     VF_DEVICE_VIRTIO_BLK,
     {BLK_FIELDS, "type=dev"},
     "virtio-blk,path=" TEST_IMAGE ",type=dev",
     "virtio-blk,type=dev,path=" TEST_IMAGE,
     {NULL}},
    {"NewVirtioBlkWithDefaultType",
     new_blk_with_default_type,
     NULL,
     VF_DEVICE_VIRTIO_BLK,
     {BLK_FIELDS},
     "virtio-blk,path=" TEST_IMAGE,
     NULL,
     {NULL}},
    {"NewNVMe", new_nvme, NULL, VF_DEVICE_NVME, {NVME_FIELDS}, "nvme,path=/foo/bar", NULL, {NULL}},
    {"NewNVMeWithType",
     new_nvme_with_type,
     NULL,
     VF_DEVICE_NVME,
     {NVME_FIELDS, "type=image"},
     "nvme,path=/foo/bar,type=image",
     "nvme,type=image,path=/foo/bar",
     {NULL}},
    {"NewVirtioFs",
     new_fs,
     NULL,
     VF_DEVICE_VIRTIO_FS,
     {"sharedDir=/foo/bar"},
     "virtio-fs,sharedDir=/foo/bar",
     NULL,
     {NULL}},
    {"NewVirtioFsWithTag",
     new_fs_with_tag,
     NULL,
     VF_DEVICE_VIRTIO_FS,
     {"sharedDir=/foo/bar", "mountTag=myTag"},
     "virtio-fs,sharedDir=/foo/bar,mountTag=myTag",
     "virtio-fs,mountTag=myTag,sharedDir=/foo/bar",
     {NULL}},
    {"NewRosettaShare",
     new_rosetta,
     NULL,
     VF_DEVICE_ROSETTA,
     {"mountTag=myTag"},
     "rosetta,mountTag=myTag",
     NULL,
     {NULL}},
    {"NewVirtioVsock",
     new_vsock,
     NULL,
     VF_DEVICE_VIRTIO_VSOCK,
     {"port=1234", "socketURL=/foo/bar.unix"},
     "virtio-vsock,port=1234,socketURL=/foo/bar.unix,connect",
     "virtio-vsock,socketURL=/foo/bar.unix,connect,port=1234",
     {NULL}},
    {"NewVirtioVsockWithListen",
     new_vsock_listen,
     NULL,
     VF_DEVICE_VIRTIO_VSOCK,
     {"port=1234", "socketURL=/foo/bar.unix", "listen=true"},
     "virtio-vsock,port=1234,socketURL=/foo/bar.unix,listen",
     "virtio-vsock,socketURL=/foo/bar.unix,listen,port=1234",
     {NULL}},
    {"NewVirtioRng", new_rng, NULL, VF_DEVICE_VIRTIO_RNG, {NULL}, "virtio-rng", NULL, {NULL}},
    {"NewVirtioSerial",
     new_serial,
     NULL,
     VF_DEVICE_VIRTIO_SERIAL,
     {"logFile=/foo/bar.log"},
     "virtio-serial,logFilePath=/foo/bar.log",
     NULL,
     {NULL}},
    {"NewVirtioSerialStdio",
     new_serial_stdio,
     NULL,
     VF_DEVICE_VIRTIO_SERIAL,
     {"usesStdio=true"},
     "virtio-serial,stdio",
     NULL,
     {NULL}},
    {"NewVirtioSerialPty",
     new_serial_pty,
     NULL,
     VF_DEVICE_VIRTIO_SERIAL,
     {"usesPty=true"},
     "virtio-serial,pty",
     NULL,
     {NULL}},
    {"NewVirtioNet",
     new_net,
     NULL,
     VF_DEVICE_VIRTIO_NET,
     {"nat=true"},
     "virtio-net,nat",
     NULL,
     {NULL}},
    {"NewVirtioNetWithPath",
     new_net_with_path,
     NULL,
     VF_DEVICE_VIRTIO_NET,
     {"unixSocketPath=/tmp/unix.sock", "vfkitMagic=true"},
     "virtio-net,unixSocketPath=/tmp/unix.sock",
     NULL,
     {NULL}},
    {"NewVirtioNetWithMacAddress",
     new_net_with_mac,
     NULL,
     VF_DEVICE_VIRTIO_NET,
     {"nat=true", "macAddress=00:11:22:33:44:55"},
     "virtio-net,nat,mac=00:11:22:33:44:55",
     "virtio-net,mac=00:11:22:33:44:55,nat",
     {NULL}},
    {"NewUSBMassStorage",
     new_usb,
     NULL,
     VF_DEVICE_USB_MASS_STORAGE,
     {USB_FIELDS},
     "usb-mass-storage,path=/foo/bar",
     NULL,
     {NULL}},
    {"NewUSBMassStorageReadOnly",
     new_usb_read_only,
     NULL,
     VF_DEVICE_USB_MASS_STORAGE,
     {USB_FIELDS, "readOnly=true"},
     "usb-mass-storage,path=/foo/bar,readonly",
     NULL,
     {NULL}},
    {"NewVirtioInputWithPointingDevice",
     new_input_pointing,
     NULL,
     VF_DEVICE_VIRTIO_INPUT,
     {"inputType=pointing"},
     "virtio-input,pointing",
     NULL,
     {NULL}},
    {"NewVirtioInputWithKeyboardDevice",
     new_input_keyboard,
     NULL,
     VF_DEVICE_VIRTIO_INPUT,
     {"inputType=keyboard"},
     "virtio-input,keyboard",
     NULL,
     {NULL}},
    {"NewVirtioGPUDevice",
     new_gpu,
     NULL,
     VF_DEVICE_VIRTIO_GPU,
     {"width=800", "height=600"},
     "virtio-gpu,width=800,height=600",
     NULL,
     {NULL}},
    {"NewVirtioGPUDeviceWithDimensions",
     new_gpu_with_dimensions,
     NULL,
     VF_DEVICE_VIRTIO_GPU,
     {"width=1920", "height=1080"},
     "virtio-gpu,width=1920,height=1080",
     NULL,
     {NULL}},
    {"NetworkBlockDeviceNew",
     new_nbd,
     NULL,
     VF_DEVICE_NBD,
     {"devName=nbd", "uri=nbd://1.1.1.1:10000", "Timeout=1000000000", "SynchronizationMode=none"},
     "nbd,uri=nbd://1.1.1.1:10000,timeout=1000,sync=none",
     NULL,
     {NULL}},
    {"NewVirtioBalloon",
     new_balloon,
     NULL,
     VF_DEVICE_VIRTIO_BALLOON,
     {NULL},
     "virtio-balloon",
     NULL,
     {NULL}},
    {"VirtioNetWithVfkitMagicOff",
     new_net_magic_off,
     NULL,
     VF_DEVICE_VIRTIO_NET,
     {"unixSocketPath=/tmp/test.sock"},
     "virtio-net,type=unixgram,path=/tmp/test.sock,vfkitMagic=off",
     NULL,
     {NULL}},
    {"VirtioNetWithVfkitMagicOn",
     new_net_magic_on,
     NULL,
     VF_DEVICE_VIRTIO_NET,
     {"unixSocketPath=/tmp/test.sock", "vfkitMagic=true"},
     "virtio-net,unixSocketPath=/tmp/test.sock",
     NULL,
     {NULL}},
    {"VirtioNetDefaultVfkitMagic",
     NULL,
     "virtio-net,type=unixgram,path=/tmp/default.sock",
     VF_DEVICE_VIRTIO_NET,
     {"unixSocketPath=/tmp/default.sock", "vfkitMagic=true"},
     "virtio-net,unixSocketPath=/tmp/default.sock",
     NULL,
     {NULL}},
    {"VirtioNetUnixSocketPath",
     NULL,
     "virtio-net,unixSocketPath=/tmp/socket.sock",
     VF_DEVICE_VIRTIO_NET,
     {"unixSocketPath=/tmp/socket.sock", "vfkitMagic=true"},
     "virtio-net,unixSocketPath=/tmp/socket.sock",
     NULL,
     {NULL}},
    {"VirtioNetUnixSocketPathWithVfkitMagicOff",
     NULL,
     "virtio-net,unixSocketPath=/tmp/socket.sock,vfkitMagic=off",
     VF_DEVICE_VIRTIO_NET,
     {"unixSocketPath=/tmp/socket.sock"},
     "virtio-net,type=unixgram,path=/tmp/socket.sock,vfkitMagic=off",
     NULL,
     {NULL}},
    {"VirtioNetVfkitMagicInvalidValue",
     NULL,
     "virtio-net,unixSocketPath=/tmp/test.sock,vfkitMagic=foo",
     VF_DEVICE_VIRTIO_NET,
     {NULL},
     NULL,
     NULL,
     {"invalid value", "vfkitMagic", "\"foo\"", "on/off"}},
    {"VirtioNetInvalidTypeFoo",
     NULL,
     "virtio-net,type=foo",
     VF_DEVICE_VIRTIO_NET,
     {NULL},
     NULL,
     NULL,
     {"unsupported", "'type'", "\"foo\"", "only 'unixgram' is supported"}},
    {"VirtioNetTypeWithoutPath",
     NULL,
     "virtio-net,type=unixgram",
     VF_DEVICE_VIRTIO_NET,
     {NULL},
     NULL,
     NULL,
     {"'type' option requires 'path' to be specified"}},
    {"VirtioNetOffloadingInvalidValueOn",
     NULL,
     "virtio-net,type=unixgram,path=/tmp/test.sock,offloading=on",
     VF_DEVICE_VIRTIO_NET,
     {NULL},
     NULL,
     NULL,
     {"invalid value", "'offloading'", "\"on\"", "only 'off' is supported"}},
    {"VirtioNetOffloadingOff",
     NULL,
     "virtio-net,type=unixgram,path=/tmp/test.sock,offloading=off",
     VF_DEVICE_VIRTIO_NET,
     {"unixSocketPath=/tmp/test.sock", "vfkitMagic=true"},
     "virtio-net,unixSocketPath=/tmp/test.sock",
     NULL,
     {NULL}},
};

/* Go's testErrorVirtioDev: every error case fails while building. */
static void run_error_case(const virtio_case *c)
{
    vf_error err = {0};
    vf_device *dev = vf_device_from_cmdline(c->from_cmdline, &err);
    assert_null(dev);
    assert_int_equal(err.code, VF_ERR_INVALID);
    for (size_t i = 0; i < 4 && c->error[i] != NULL; i++) {
        if (strstr(err.text, c->error[i]) == NULL)
            fail_msg("%s: \"%s\" does not say \"%s\"", c->name, err.text, c->error[i]);
    }
}

/* Go's testVirtioDev. */
static void run_case(const virtio_case *c)
{
    vf_device *want = literal(c->kind, c->expected);
    vf_device *dev = c->make ? c->make() : parse(c->from_cmdline);
    assert_device_equal(dev, want);
    assert_cmdline(dev, c->cmdline);
    vf_device_free(dev);

    dev = parse(c->cmdline);
    assert_device_equal(dev, want);
    vf_device_free(dev);

    if (c->alternate != NULL) {
        dev = parse(c->alternate);
        assert_device_equal(dev, want);
        assert_cmdline(dev, c->cmdline);
        vf_device_free(dev);
    }
    vf_device_free(want);
}

static void test_virtio_devices(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof virtio_cases / sizeof virtio_cases[0]; i++) {
        print_message("virtio-devices/%s\n", virtio_cases[i].name);
        if (virtio_cases[i].error[0] != NULL)
            run_error_case(&virtio_cases[i]);
        else
            run_case(&virtio_cases[i]);
    }
}

/* ---- the kind table ---- */

static void test_kind_table(void **state)
{
    (void)state;
    static const char *const names[VF_DEVICE_KIND_COUNT][2] = {
        [VF_DEVICE_VIRTIO_BLK] = {"virtio-blk", "virtioblk"},
        [VF_DEVICE_NVME] = {"nvme", "nvme"},
        [VF_DEVICE_USB_MASS_STORAGE] = {"usb-mass-storage", "usbmassstorage"},
        [VF_DEVICE_NBD] = {"nbd", "nbd"},
        [VF_DEVICE_VIRTIO_FS] = {"virtio-fs", "virtiofs"},
        [VF_DEVICE_ROSETTA] = {"rosetta", "rosetta"},
        [VF_DEVICE_VIRTIO_NET] = {"virtio-net", "virtionet"},
        [VF_DEVICE_VIRTIO_RNG] = {"virtio-rng", "virtiorng"},
        [VF_DEVICE_VIRTIO_BALLOON] = {"virtio-balloon", "virtioballoon"},
        [VF_DEVICE_VIRTIO_SERIAL] = {"virtio-serial", "virtioserial"},
        [VF_DEVICE_VIRTIO_VSOCK] = {"virtio-vsock", "virtiosock"},
        [VF_DEVICE_VIRTIO_INPUT] = {"virtio-input", "virtioinput"},
        [VF_DEVICE_VIRTIO_GPU] = {"virtio-gpu", "virtiogpu"},
    };
    for (int k = 0; k < VF_DEVICE_KIND_COUNT; k++) {
        const vf__device_ops *ops = vf__device_ops_of((vf_device_kind)k);
        assert_non_null(ops);
        assert_int_equal(ops->kind, k);
        assert_string_equal(ops->name, names[k][0]);
        assert_string_equal(ops->json_kind, names[k][1]);
        assert_non_null(names[k][0]); /* every kind of the list has its expected names */
        /* A kind's fields lie inside its struct, after the vf_device head. */
        assert_true((ops->fields == NULL) == (ops->n_fields == 0));
        for (size_t f = 0; f < ops->n_fields; f++) {
            assert_non_null(ops->fields[f].json_name);
            assert_true(ops->fields[f].offset >= sizeof(vf_device));
            assert_true(ops->fields[f].offset < ops->size);
        }
        assert_ptr_equal(vf__device_ops_by_json_kind(names[k][1]), ops);
        assert_string_equal(vf_device_kind_name((vf_device_kind)k), names[k][0]);
        vf_device_kind kind = VF_DEVICE_KIND_COUNT;
        assert_int_equal(vf_device_kind_from_name(names[k][0], &kind), VF_OK);
        assert_int_equal(kind, k);
    }
    assert_null(vf__device_ops_of(VF_DEVICE_KIND_COUNT));
    assert_null(vf__device_ops_of((vf_device_kind)-1));
    assert_null(vf_device_kind_name(VF_DEVICE_KIND_COUNT));
    assert_null(vf__device_ops_by_json_kind("VirtioBlk")); /* Go compares exactly */
    assert_null(vf__device_ops_by_json_kind("virtio-blk"));
    assert_null(vf__device_ops_by_json_kind(NULL));
    assert_int_equal(vf_device_kind_from_name("virtioblk", NULL), VF_ERR_INVALID);
    assert_int_equal(vf_device_kind_from_name("Virtio-Blk", NULL), VF_ERR_INVALID);
    assert_int_equal(vf_device_kind_from_name(NULL, NULL), VF_ERR_INVALID);
}

/* ---- creation, copies, casts ---- */

/* vf_device_new is vfkit's empty device, before options (Go's NewEmpty). */
static void test_new_defaults(void **state)
{
    (void)state;
    vf_device *blk = vf_device_new(VF_DEVICE_VIRTIO_BLK);
    assert_string_equal(vf_device_as_virtio_blk(blk)->disk.storage.dev_name, "virtio-blk");
    vf_device *nvme = vf_device_new(VF_DEVICE_NVME);
    assert_string_equal(vf_device_as_nvm_express_controller(nvme)->disk.storage.dev_name, "nvme");
    vf_device *usb = vf_device_new(VF_DEVICE_USB_MASS_STORAGE);
    assert_string_equal(vf_device_as_usb_mass_storage(usb)->disk.storage.dev_name,
                        "usb-mass-storage");
    vf_network_block_device *nbd = vf_device_as_network_block_device(vf_device_new(VF_DEVICE_NBD));
    assert_string_equal(nbd->network.storage.dev_name, "nbd");
    assert_int_equal(nbd->timeout_ns, INT64_C(15000000000));
    assert_string_equal(nbd->synchronization_mode, "full");
    vf_virtio_net *net = vf_device_as_virtio_net(vf_device_new(VF_DEVICE_VIRTIO_NET));
    assert_int_equal(net->socket_fd, -1);
    assert_false(net->nat);
    vf_virtio_gpu *gpu = vf_device_as_virtio_gpu(vf_device_new(VF_DEVICE_VIRTIO_GPU));
    assert_int_equal(gpu->width, 0); /* Go's &VirtioGPU{} */
    vf_virtio_vsock *vsock = vf_device_as_virtio_vsock(vf_device_new(VF_DEVICE_VIRTIO_VSOCK));
    assert_false(vsock->listen);
    assert_null(vf_device_new(VF_DEVICE_KIND_COUNT));
    vf_device *devices[] = {blk, nvme, usb, &nbd->base, &net->base, &gpu->base, &vsock->base};
    for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++)
        vf_device_free(devices[i]);
    vf_device_free(NULL);
}

static void test_constructors(void **state)
{
    (void)state;
    vf_network_block_device *nbd =
        vf_network_block_device_new("nbd://h/e", UINT32_MAX, VF_NBD_SYNC_FULL);
    assert_int_equal(nbd->timeout_ns, (int64_t)UINT32_MAX * 1000000);
    assert_int_equal(vf_network_block_device_set_device_identifier(nbd, "disk1"), VF_OK);
    assert_cmdline(&nbd->base, "nbd,uri=nbd://h/e,deviceId=disk1,timeout=4294967295,sync=full");
    vf_device_free(&nbd->base);

    vf_error err = {0};
    assert_null(vf_virtio_net_new("00:11:22:33:44", &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "00:11:22:33:44"));
    assert_null(vf_virtio_input_new("mouse", &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "mouse"));
    assert_null(vf_virtio_input_new(NULL, &err));

    vf_virtio_net *net = vf_virtio_net_new(NULL, NULL);
    vf_virtio_net_set_socket(net, 7);
    assert_false(net->nat);
    assert_cmdline(&net->base, "virtio-net,fd=7");
    vf_device_free(&net->base);

    assert_int_equal(vf_virtio_blk_set_device_identifier(NULL, "x"), VF_ERR_INVALID);
    assert_int_equal(vf_network_block_device_set_device_identifier(NULL, "x"), VF_ERR_INVALID);
    assert_int_equal(vf_virtio_net_set_unix_socket_path(NULL, "x"), VF_ERR_INVALID);
    vf_virtio_net_set_socket(NULL, 3);
    vf_usb_mass_storage_set_read_only(NULL, true);
}

static void test_clone(void **state)
{
    (void)state;
    vf_device *dev = parse("nbd,uri=nbd://h/e,deviceId=d1,timeout=20,sync=none,readonly");
    vf_device *copy = vf_device_clone(dev);
    assert_device_equal(copy, dev);
    vf_network_block_device *nbd = vf_device_as_network_block_device(dev);
    assert_ptr_not_equal(vf_device_as_network_block_device(copy)->network.uri, nbd->network.uri);
    assert_int_equal(vf__set_string(&nbd->network.uri, "nbd://other/e"), VF_OK);
    vf_device_free(dev);
    assert_cmdline(copy, "nbd,uri=nbd://h/e,readonly,deviceId=d1,timeout=20,sync=none");
    vf_device_free(copy);

    for (int k = 0; k < VF_DEVICE_KIND_COUNT; k++) {
        dev = vf_device_new((vf_device_kind)k);
        copy = vf_device_clone(dev);
        assert_device_equal(copy, dev);
        vf_device_free(dev);
        vf_device_free(copy);
    }
    assert_null(vf_device_clone(NULL));
}

static void test_casts(void **state)
{
    (void)state;
    vf_device *rng = vf_device_new(VF_DEVICE_VIRTIO_RNG);
    assert_ptr_equal(vf_device_as_virtio_rng(rng), (void *)rng);
    assert_null(vf_device_as_virtio_balloon(rng));
    assert_null(vf_device_as_virtio_blk(rng));
    assert_null(vf_device_as_nvm_express_controller(rng));
    assert_null(vf_device_as_usb_mass_storage(rng));
    assert_null(vf_device_as_network_block_device(rng));
    assert_null(vf_device_as_virtio_fs(rng));
    assert_null(vf_device_as_rosetta_share(rng));
    assert_null(vf_device_as_virtio_net(rng));
    assert_null(vf_device_as_virtio_serial(rng));
    assert_null(vf_device_as_virtio_vsock(rng));
    assert_null(vf_device_as_virtio_input(rng));
    assert_null(vf_device_as_virtio_gpu(rng));
    assert_null(vf_device_as_virtio_rng(NULL));
    vf_device_free(rng);
}

/* ---- reading a --device value ---- */

static void assert_refused(const char *value, int code, const char *says)
{
    vf_error err = {0};
    vf_device *dev = vf_device_from_cmdline(value, &err);
    if (dev != NULL)
        fail_msg("\"%s\" was accepted", value);
    assert_int_equal(err.code, code);
    if (strstr(err.text, says) == NULL)
        fail_msg("\"%s\": \"%s\" does not say \"%s\"", value, err.text, says);
}

static void test_device_type(void **state)
{
    (void)state;
    /* vfkit splits on ',' and compares the first item exactly. */
    assert_refused("virtio-foo,path=x", VF_ERR_INVALID, "unknown device type: \"virtio-foo\"");
    assert_refused("Virtio-rng", VF_ERR_INVALID, "\"Virtio-rng\"");
    assert_refused(" virtio-rng", VF_ERR_INVALID, "\" virtio-rng\"");
    assert_refused("virtio-rng ", VF_ERR_INVALID, "\"virtio-rng \"");
    assert_refused("virtio-rng=x", VF_ERR_INVALID, "\"virtio-rng=x\"");
    assert_refused("", VF_ERR_INVALID, "unknown device type: \"\"");
    assert_refused(",virtio-rng", VF_ERR_INVALID, "unknown device type: \"\"");
    assert_refused(NULL, VF_ERR_INVALID, "--device");
    /* Empty items are skipped, after the type too. */
    vf_device *dev = parse("virtio-rng,,,");
    assert_int_equal(dev->kind, VF_DEVICE_VIRTIO_RNG);
    vf_device_free(dev);
    dev = parse("virtio-input,,pointing,");
    assert_cmdline(dev, "virtio-input,pointing");
    vf_device_free(dev);
}

/* ---- printing: what the library refuses (docs/design.md, difference 1) ---- */

static void assert_ambiguous(const vf_device *dev, const char *field, const char *value)
{
    vf_error err = {0};
    char **argv = vf_device_to_cmdline(dev, &err);
    if (argv != NULL)
        fail_msg("printed \"%s\"", argv[1]);
    assert_int_equal(err.code, VF_ERR_AMBIGUOUS);
    char quoted[128];
    snprintf(quoted, sizeof quoted, "\"%s\"", value);
    if (strstr(err.text, field) == NULL || strstr(err.text, quoted) == NULL)
        fail_msg("\"%s\" does not name %s and %s", err.text, field, quoted);
}

/* Sets a string field, by JSON name, of a device read from value. */
static vf_device *with_field(const char *value, const char *field, const char *text)
{
    vf_device *dev = parse(value);
    const vf__device_ops *ops = vf__device_ops_of(dev->kind);
    set_field(dev, find_field(ops, field, strlen(field)), text);
    return dev;
}

static void test_comma_in_values(void **state)
{
    (void)state;
    write_test_image();
    static const struct {
        const char *device, *json_field, *option;
    } fields[] = {
        {"virtio-blk,path=" TEST_IMAGE, "imagePath", "'path'"},
        {"virtio-blk,path=" TEST_IMAGE, "type", "'type'"},
        {"virtio-blk,path=" TEST_IMAGE, "deviceIdentifier", "'deviceId'"},
        {"nvme,path=/d.img", "imagePath", "'path'"},
        {"usb-mass-storage,path=/d.img", "imagePath", "'path'"},
        {"nbd,uri=nbd://h/e", "uri", "'uri'"},
        {"nbd,uri=nbd://h/e", "DeviceIdentifier", "'deviceId'"},
        {"virtio-fs,sharedDir=/s", "sharedDir", "'sharedDir'"},
        {"virtio-fs,sharedDir=/s", "mountTag", "'mountTag'"},
        {"rosetta,mountTag=r", "mountTag", "'mountTag'"},
        {"virtio-net,unixSocketPath=/n.sock", "unixSocketPath", "'unixSocketPath'"},
        {"virtio-net,unixSocketPath=/n.sock,vfkitMagic=off", "unixSocketPath", "'unixSocketPath'"},
        {"virtio-serial,logFilePath=/l.log", "logFile", "'logFilePath'"},
        {"virtio-vsock,port=5,socketURL=/v.sock", "socketURL", "'socketURL'"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        vf_device *dev = with_field(fields[i].device, fields[i].json_field, "a,readonly");
        assert_ambiguous(dev, fields[i].option, "a,readonly");
        vf_device_free(dev);
    }
    /* '=' and spaces read back the same: only ',' splits. */
    vf_device *dev = with_field("virtio-fs,sharedDir=/s", "mountTag", "a=b c");
    assert_cmdline(dev, "virtio-fs,sharedDir=/s,mountTag=a=b c");
    vf_device_free(dev);
}

static void test_dev_name(void **state)
{
    (void)state;
    write_test_image();
    static const char *const bad[] = {"",     "virtio-blk ", "virtio-blk,", "virtio-blk,readonly",
                                      "nvme", "VIRTIO-BLK"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vf_device *dev = with_field("virtio-blk,path=" TEST_IMAGE, "devName", bad[i]);
        assert_ambiguous(dev, "devName", bad[i]);
        vf_device_free(dev);
    }
    vf_device *dev = with_field("nvme,path=/d.img", "devName", "nvme,readonly");
    assert_ambiguous(dev, "devName", "nvme,readonly");
    vf_device_free(dev);
    dev = with_field("usb-mass-storage,path=/d.img", "devName", "usb-mass-storage,x=1");
    assert_ambiguous(dev, "devName", "usb-mass-storage,x=1");
    vf_device_free(dev);
    dev = with_field("nbd,uri=nbd://h/e", "devName", "nbd,readonly");
    assert_ambiguous(dev, "devName", "nbd,readonly");
    vf_device_free(dev);
    /* An incomplete device fails as in Go, before its devName is looked at. */
    vf_device *nvme = vf_device_new(VF_DEVICE_NVME);
    vf_error err = {0};
    assert_null(vf_device_to_cmdline(nvme, &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "nvme devices need the path to a disk image"));
    vf_device_free(nvme);
}

/* vf_vm_cmd numbers sockets for the child: write_cmdline gets that number. */
static void test_child_fd(void **state)
{
    (void)state;
    vf_device *dev = parse("virtio-net,fd=9,mac=00:11:22:33:44:55");
    const vf__device_ops *ops = vf__device_ops_of(dev->kind);
    vf__buf out;
    vf__buf_init(&out);
    assert_int_equal(ops->write_cmdline(dev, &out, 3, NULL), VF_OK);
    char *text = vf__buf_steal(&out);
    assert_string_equal(text, "virtio-net,fd=3,mac=00:11:22:33:44:55");
    vf__free(text);
    assert_cmdline(dev, "virtio-net,fd=9,mac=00:11:22:33:44:55");
    vf_device_free(dev);
    /* A NAT device has no descriptor to number. */
    dev = parse("virtio-net,nat");
    vf__buf_init(&out);
    assert_int_equal(ops->write_cmdline(dev, &out, 3, NULL), VF_OK);
    text = vf__buf_steal(&out);
    assert_string_equal(text, "virtio-net,nat");
    vf__free(text);
    vf_device_free(dev);
}

static void test_incomplete_devices(void **state)
{
    (void)state;
    static const struct {
        vf_device_kind kind;
        const char *says;
    } cases[] = {
        {VF_DEVICE_VIRTIO_BLK, "virtio-blk devices need the path to a disk image"},
        {VF_DEVICE_USB_MASS_STORAGE, "usb-mass-storage devices need the path to a disk image"},
        {VF_DEVICE_NBD, "nbd devices need the uri to a remote block device"},
        {VF_DEVICE_VIRTIO_FS, "virtio-fs needs the path to the directory to share"},
        {VF_DEVICE_ROSETTA, "rosetta shares require a mount tag to be specified"},
        {VF_DEVICE_VIRTIO_NET, "one of 'nat' or 'fd' or 'unixSocketPath' must be set"},
        {VF_DEVICE_VIRTIO_SERIAL, "one of 'logFilePath', 'stdio' or 'pty' must be set"},
        {VF_DEVICE_VIRTIO_VSOCK, "virtio-vsock needs both a port and a socket URL"},
        {VF_DEVICE_VIRTIO_INPUT, "virtio-input"},
        {VF_DEVICE_VIRTIO_GPU, "invalid dimensions for virtio-gpu device resolution: 0x0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vf_device *dev = vf_device_new(cases[i].kind);
        vf_error err = {0};
        assert_null(vf_device_to_cmdline(dev, &err));
        assert_int_equal(err.code, VF_ERR_INVALID);
        if (strstr(err.text, cases[i].says) == NULL)
            fail_msg("\"%s\" does not say \"%s\"", err.text, cases[i].says);
        vf_device_free(dev);
    }
    assert_null(vf_device_to_cmdline(NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_virtio_devices),
        cmocka_unit_test(test_kind_table),
        cmocka_unit_test(test_new_defaults),
        cmocka_unit_test(test_constructors),
        cmocka_unit_test(test_clone),
        cmocka_unit_test(test_casts),
        cmocka_unit_test(test_device_type),
        cmocka_unit_test(test_comma_in_values),
        cmocka_unit_test(test_dev_name),
        cmocka_unit_test(test_child_fd),
        cmocka_unit_test(test_incomplete_devices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
