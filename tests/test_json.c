/*
 * libvfconfig - the cases of the Go package's json_test.go, in C.
 *
 * jsonTests: a VM built with the API is written as the expected JSON and
 * the expected JSON reads back as that VM. invalidJSONTests: refused.
 * jsonStabilityTests: every field set to a non-empty value (Go's
 * fillStruct: strings hold the Go field name, ints 2, uints 3, bools
 * true, the MAC 00:11:22:33:44:55) writes the expected JSON.
 * TestVirtioNetBackwardsCompat: the vfkitMagic default when reading.
 *
 * The Go test compares JSON values (require.JSONEq), so every case does;
 * where the Go test's string is exactly what encoding/json writes (its keys
 * in Go's field order, no spaces) the bytes must match as well.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "vfconfig/vfconfig.h"

/* ---- helpers ---- */
static void assert_json_eq(const char *expected, const char *actual)
{
    json_error_t e1, e2;
    json_t *want = json_loads(expected, 0, &e1);
    json_t *got = json_loads(actual, 0, &e2);
    assert_non_null(want);
    if (got == NULL)
        fail_msg("not JSON (%s): %s", e2.text, actual);
    if (!json_equal(want, got))
        fail_msg("JSON differs\n  want: %s\n  got:  %s", expected, actual);
    json_decref(want);
    json_decref(got);
}

enum { VALUES_ONLY, SAME_BYTES };

/* Marshal side: the VM as JSON equals expected (and its bytes, if exact). */
static void assert_vm_json(const vf_vm *vm, const char *expected, int exact)
{
    vf_error err = {0};
    char *json = vf_vm_to_json(vm, &err);
    if (json == NULL)
        fail_msg("vf_vm_to_json: %s", err.text);
    assert_json_eq(expected, json);
    if (exact == SAME_BYTES)
        assert_string_equal(json, expected);
    free(json);
}

static void assert_device_json(vf_device *dev, const char *expected, int exact)
{
    vf_error err = {0};
    char *json = vf_device_to_json(dev, VF_JSON_COMPACT, &err);
    if (json == NULL)
        fail_msg("vf_device_to_json: %s", err.text);
    assert_json_eq(expected, json);
    if (exact == SAME_BYTES)
        assert_string_equal(json, expected);
    free(json);
    vf_device_free(dev);
}

/* Unmarshal side (require.Equal(*vm, unmarshalledVM)): expected reads back
 * as a VM equal to vm. Equality: both write the same JSON, and what the
 * JSON does not carry (Ignition's vsock port, nested) matches too. */
static void assert_reads_as(const char *expected, const vf_vm *vm)
{
    vf_error err = {0};
    vf_vm *back = vf_vm_from_json(expected, &err);
    if (back == NULL)
        fail_msg("vf_vm_from_json: %s", err.text);
    char *a = vf_vm_to_json(vm, &err);
    char *b = vf_vm_to_json(back, &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    assert_int_equal(back->nested, vm->nested);
    assert_int_equal(back->n_devices, vm->n_devices);
    assert_int_equal(back->ignition != NULL, vm->ignition != NULL);
    if (vm->ignition != NULL)
        assert_int_equal(back->ignition->vsock_port, vm->ignition->vsock_port);
    free(a);
    free(b);
    vf_vm_free(back);
}

/* A string field set by hand, as Go's fillStruct sets it (the library
 * frees struct strings with free()). */
static int set_string(char **slot, const char *value)
{
    free(*slot);
    *slot = strdup(value);
    return *slot != NULL ? 0 : -1;
}

static vf_vm *new_linux_vm(void)
{
    vf_linux_bootloader *bl = vf_linux_bootloader_new("/vmlinuz", "console=hvc0", "/initrd");
    assert_non_null(bl);
    vf_vm *vm = vf_vm_new(3, 4000, &bl->base);
    assert_non_null(vm);
    return vm;
}

static void add(vf_vm *vm, void *dev)
{
    assert_non_null(dev);
    assert_int_equal(vf_vm_add_device(vm, dev, NULL), 0);
}

/* ---- jsonTests ---- */
#define LINUX_HEAD                                                                          \
    "{\"vcpus\":3,\"memoryBytes\":4194304000,\"bootloader\":{\"kind\":\"linuxBootloader\"," \
    "\"vmlinuzPath\":\"/vmlinuz\",\"initrdPath\":\"/initrd\",\"kernelCmdLine\":\"console=hvc0\"}"

static void json_test(vf_vm *vm, const char *expected, int exact)
{
    assert_vm_json(vm, expected, exact);
    assert_reads_as(expected, vm);
    vf_vm_free(vm);
}

static void test_linux_vm(void **state)
{
    (void)state;
    json_test(new_linux_vm(), LINUX_HEAD "}", VALUES_ONLY);
}

static void test_uefi_vm(void **state)
{
    (void)state;
    vf_efi_bootloader *bl = vf_efi_bootloader_new("/variable-store", false);
    assert_non_null(bl);
    vf_vm *vm = vf_vm_new(3, 4000, &bl->base);
    assert_non_null(vm);
    json_test(vm,
              "{\"vcpus\":3,\"memoryBytes\":4194304000,\"bootloader\":{\"kind\":\"efiBootloader\","
              "\"efiVariableStorePath\":\"/variable-store\",\"createVariableStore\":false}}",
              SAME_BYTES);
}

static void test_time_sync(void **state)
{
    (void)state;
    vf_vm *vm = new_linux_vm();
    vf_timesync *ts = vf_timesync_new(1234);
    assert_non_null(ts);
    vf_vm_set_timesync(vm, ts);
    json_test(vm, LINUX_HEAD ",\"timesync\":{\"vsockPort\":1234}}", VALUES_ONLY);
}

static void test_ignition(void **state)
{
    (void)state;
    vf_vm *vm = new_linux_vm();
    vf_error err = {0};
    vf_ignition *ign = vf_ignition_new("config", "socket", &err);
    assert_non_null(ign);
    vf_vm_set_ignition(vm, ign);
    /* Go's test zeroes VsockPort because reading leaves it 0; the library
     * reads it as Ignition's fixed port, so both sides keep 1024. */
    json_test(vm, LINUX_HEAD ", \"ignition\":{\"kind\":\"ignition\",\"configPath\":\"config\"}}",
              VALUES_ONLY);
}

static void test_virtio_rng(void **state)
{
    (void)state;
    vf_vm *vm = new_linux_vm();
    add(vm, vf_virtio_rng_new());
    json_test(vm, LINUX_HEAD ",\"devices\":[{\"kind\":\"virtiorng\"}]}", VALUES_ONLY);
}

static void test_virtio_balloon(void **state)
{
    (void)state;
    vf_vm *vm = new_linux_vm();
    add(vm, vf_virtio_balloon_new());
    json_test(vm, LINUX_HEAD ",\"devices\":[{\"kind\":\"virtioballoon\"}]}", VALUES_ONLY);
}

static void test_multiple_virtio_blk(void **state)
{
    (void)state;
    vf_vm *vm = new_linux_vm();
    add(vm, vf_virtio_blk_new("/virtioblk1"));
    vf_virtio_blk *blk = vf_virtio_blk_new("/virtioblk2");
    assert_non_null(blk);
    assert_int_equal(vf_virtio_blk_set_device_identifier(blk, "virtio-blk2"), 0);
    add(vm, blk);
    json_test(vm,
              LINUX_HEAD ",\"devices\":[{\"kind\":\"virtioblk\",\"devName\":\"virtio-blk\","
                         "\"imagePath\":\"/virtioblk1\"},{\"kind\":\"virtioblk\",\"devName\":"
                         "\"virtio-blk\",\"imagePath\":\"/virtioblk2\",\"deviceIdentifier\":"
                         "\"virtio-blk2\"}]}",
              VALUES_ONLY);
}

static void test_all_virtio_devices(void **state)
{
    (void)state;
    vf_error err = {0};
    vf_vm *vm = new_linux_vm();
    add(vm, vf_virtio_serial_new("/virtioserial"));
    add(vm, vf_virtio_input_new(VF_VIRTIO_INPUT_KEYBOARD, &err));
    add(vm, vf_virtio_gpu_new());
    add(vm, vf_virtio_net_new("00:11:22:33:44:55", &err));
    add(vm, vf_virtio_rng_new());
    add(vm, vf_virtio_blk_new("/virtioblk"));
    add(vm, vf_virtio_vsock_new(1234, "/virtiovsock", false));
    vf_usb_mass_storage *usb = vf_usb_mass_storage_new("/usbmassstorage");
    assert_non_null(usb);
    vf_usb_mass_storage_set_read_only(usb, true);
    vf_device *more[] = {
        &vf_virtio_fs_new("/virtiofs", "tag")->base,
        &usb->base,
        &vf_rosetta_share_new("vz-rosetta")->base,
        &vf_network_block_device_new("uri", 1, VF_NBD_SYNC_FULL)->base,
    };
    assert_int_equal(vf_vm_add_devices(vm, more, 4, &err), 0);
    json_test(
        vm,
        LINUX_HEAD
        ",\"devices\":[{\"kind\":\"virtioserial\",\"logFile\":\"/virtioserial\"},{\"kind\":"
        "\"virtioinput\",\"inputType\":\"keyboard\"},{\"kind\":\"virtiogpu\",\"usesGUI\":false,"
        "\"width\":800,\"height\":600},{\"kind\":\"virtionet\",\"nat\":true,\"macAddress\":"
        "\"00:11:22:33:44:55\"},{\"kind\":\"virtiorng\"},{\"kind\":\"virtioblk\",\"devName\":"
        "\"virtio-blk\",\"imagePath\":\"/virtioblk\"},{\"kind\":\"virtiosock\",\"port\":1234,"
        "\"socketURL\":\"/virtiovsock\"},{\"kind\":\"virtiofs\",\"mountTag\":\"tag\","
        "\"sharedDir\":\"/virtiofs\"},{\"kind\":\"usbmassstorage\",\"devName\":"
        "\"usb-mass-storage\",\"imagePath\":\"/usbmassstorage\",\"readOnly\":true},{\"kind\":"
        "\"rosetta\",\"mountTag\":\"vz-rosetta\",\"installRosetta\":false,\"ignoreIfMissing\":"
        "false},{\"kind\":\"nbd\", \"devName\":\"nbd\", \"uri\":\"uri\", \"DeviceIdentifier\":"
        "\"\", \"SynchronizationMode\":\"full\",\"Timeout\":1000000}]}",
        VALUES_ONLY);
}

/* ---- invalidJSONTests ---- */
static void assert_refused(const char *json, const char *in_message)
{
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_json(json, &err);
    assert_null(vm);
    assert_int_equal(err.code, VF_ERR_JSON);
    if (strstr(err.text, in_message) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err.text, in_message);
}

static void test_invalid_json(void **state)
{
    (void)state;
    /* The first two lack a quote before vmlinuzPath: syntax errors. */
    assert_refused("{\"vcpus\":3,\"memoryBytes\":4194304000,\"bootloader\":{\"kind\":\"empty\","
                   "vmlinuzPath\":\"/vmlinuz\",\"initrdPath\":\"/initrd\",\"kernelCmdLine\":"
                   "\"console=hvc0\"}}",
                   "line 1, column 66");
    assert_refused("{\"vcpus\":3,\"memoryBytes\":4194304000,\"bootloader\":{\"kind\":\"invalid\","
                   "vmlinuzPath\":\"/vmlinuz\",\"initrdPath\":\"/initrd\",\"kernelCmdLine\":"
                   "\"console=hvc0\"}}",
                   "line 1, column 68");
    assert_refused("{\"vcpus\":3,\"memoryBytes\":4194304000,\"bootloader\":{\"vmlinuzPath\":"
                   "\"/vmlinuz\",\"initrdPath\":\"/initrd\",\"kernelCmdLine\":\"console=hvc0\"}}",
                   "bootloader: missing 'kind'");
    assert_refused(LINUX_HEAD ",\"devices\":[{\"kind\":\"\",\"devName\":\"virtio-blk\","
                              "\"imagePath\":\"/virtioblk1\"}]}",
                   "devices[0]: missing 'kind'");
    assert_refused(LINUX_HEAD ",\"devices\":[{\"kind\":\"invalid\",\"devName\":\"virtio-blk\","
                              "\"imagePath\":\"/virtioblk1\"}]}",
                   "devices[0]: unknown device 'kind': \"invalid\"");
    assert_refused(LINUX_HEAD ",\"devices\":[{\"devName\":\"virtio-blk\",\"imagePath\":"
                              "\"/virtioblk1\"}]}",
                   "devices[0]: missing 'kind'");
}

/* ---- jsonStabilityTests ---- */
static void test_stability_virtual_machine(void **state)
{
    (void)state;
    vf_vm *vm = new_linux_vm();
    vf_vm_set_timesync(vm, vf_timesync_new(1234));
    add(vm, vf_virtio_rng_new());
    vm->vcpus = 3;
    vm->memory_bytes = 3;
    assert_vm_json(
        vm,
        "{\"vcpus\":3,\"memoryBytes\":3,\"bootloader\":{\"kind\":\"linuxBootloader\","
        "\"vmlinuzPath\":\"/vmlinuz\",\"kernelCmdLine\":\"console=hvc0\",\"initrdPath\":"
        "\"/initrd\"},\"devices\":[{\"kind\":\"virtiorng\"}],\"timesync\":{\"vsockPort\":"
        "1234}}",
        SAME_BYTES);
    vf_vm_free(vm);
}

static void test_stability_sharing(void **state)
{
    (void)state;
    vf_rosetta_share *rosetta = vf_rosetta_share_new("MountTag");
    assert_non_null(rosetta);
    rosetta->install_rosetta = true;
    rosetta->ignore_if_missing = true;
    assert_device_json(&rosetta->base,
                       "{\"kind\":\"rosetta\",\"mountTag\":\"MountTag\",\"installRosetta\":true,"
                       "\"ignoreIfMissing\":true}",
                       SAME_BYTES);
    vf_virtio_fs *fs = vf_virtio_fs_new("SharedDir", "MountTag");
    assert_non_null(fs);
    assert_device_json(
        &fs->base, "{\"kind\":\"virtiofs\",\"mountTag\":\"MountTag\",\"sharedDir\":\"SharedDir\"}",
        SAME_BYTES);
}

static void test_stability_peripherals(void **state)
{
    (void)state;
    vf_error err = {0};
    vf_virtio_gpu *gpu = vf_virtio_gpu_new();
    assert_non_null(gpu);
    gpu->uses_gui = true;
    gpu->width = 2;
    gpu->height = 2;
    assert_device_json(&gpu->base,
                       "{\"kind\":\"virtiogpu\",\"usesGUI\":true,\"width\":2,\"height\":2}",
                       SAME_BYTES);

    assert_device_json(&vf_virtio_rng_new()->base, "{\"kind\":\"virtiorng\"}", SAME_BYTES);

    vf_virtio_serial *serial = vf_virtio_serial_new("LogFile");
    assert_non_null(serial);
    serial->uses_stdio = true;
    serial->uses_pty = true;
    assert_int_equal(set_string(&serial->pty_name, "PtyName"), 0);
    assert_device_json(&serial->base,
                       "{\"kind\":\"virtioserial\",\"logFile\":\"LogFile\",\"ptyName\":\"PtyName\","
                       "\"usesPty\":true,\"usesStdio\":true}",
                       VALUES_ONLY);

    vf_virtio_vsock *vsock = vf_virtio_vsock_new(3, "SocketURL", true);
    assert_device_json(
        &vsock->base,
        "{\"kind\":\"virtiosock\",\"port\":3,\"socketURL\":\"SocketURL\",\"listen\":true}",
        SAME_BYTES);

    assert_device_json(&vf_virtio_input_new(VF_VIRTIO_INPUT_KEYBOARD, &err)->base,
                       "{\"kind\":\"virtioinput\",\"inputType\":\"keyboard\"}", SAME_BYTES);
    assert_device_json(&vf_virtio_input_new(VF_VIRTIO_INPUT_POINTING, &err)->base,
                       "{\"kind\":\"virtioinput\",\"inputType\":\"pointing\"}", SAME_BYTES);
}

static void test_stability_network(void **state)
{
    (void)state;
    vf_error err = {0};
    vf_virtio_net *net = vf_virtio_net_new("00:11:22:33:44:55", &err);
    assert_non_null(net);
    /* fields set directly, as fillStruct does, not through the setters */
    net->nat = true;
    assert_int_equal(set_string(&net->unix_socket_path, "UnixSocketPath"), 0);
    net->vfkit_magic = true;
    assert_device_json(&net->base,
                       "{\"kind\":\"virtionet\",\"nat\":true,\"unixSocketPath\":\"UnixSocketPath\","
                       "\"vfkitMagic\":true,\"macAddress\":\"00:11:22:33:44:55\"}",
                       SAME_BYTES);
}

static void test_stability_storage(void **state)
{
    (void)state;
    vf_virtio_blk *blk = vf_virtio_blk_new("ImagePath");
    assert_non_null(blk);
    blk->disk.storage.read_only = true;
    assert_int_equal(set_string(&blk->disk.type, VF_DISK_BACKEND_IMAGE), 0);
    assert_int_equal(vf_virtio_blk_set_device_identifier(blk, "DeviceIdentifier"), 0);
    assert_device_json(&blk->base,
                       "{\"kind\":\"virtioblk\",\"devName\":\"virtio-blk\",\"imagePath\":"
                       "\"ImagePath\",\"readOnly\":true,\"type\":\"image\",\"deviceIdentifier\":"
                       "\"DeviceIdentifier\"}",
                       VALUES_ONLY);

    vf_usb_mass_storage *usb = vf_usb_mass_storage_new("ImagePath");
    assert_non_null(usb);
    usb->disk.storage.read_only = true;
    assert_int_equal(set_string(&usb->disk.type, VF_DISK_BACKEND_IMAGE), 0);
    assert_device_json(
        &usb->base,
        "{\"kind\":\"usbmassstorage\",\"devName\":\"usb-mass-storage\",\"imagePath\":"
        "\"ImagePath\",\"readOnly\":true,\"type\":\"image\"}",
        VALUES_ONLY);

    vf_nvm_express_controller *nvme = vf_nvm_express_controller_new("ImagePath");
    assert_non_null(nvme);
    nvme->disk.storage.read_only = true;
    assert_int_equal(set_string(&nvme->disk.type, VF_DISK_BACKEND_IMAGE), 0);
    assert_device_json(&nvme->base,
                       "{\"kind\":\"nvme\",\"devName\":\"nvme\",\"imagePath\":\"ImagePath\","
                       "\"readOnly\":true,\"type\":\"image\"}",
                       VALUES_ONLY);

    vf_network_block_device *nbd = vf_network_block_device_new("URI", 1000, "SynchronizationMode");
    assert_non_null(nbd);
    nbd->network.storage.read_only = true;
    assert_int_equal(vf_network_block_device_set_device_identifier(nbd, "DeviceIdentifier"), 0);
    nbd->timeout_ns = 2;
    assert_device_json(&nbd->base,
                       "{\"kind\":\"nbd\",\"DeviceIdentifier\":\"DeviceIdentifier\",\"devName\":"
                       "\"nbd\",\"uri\":\"URI\",\"readOnly\":true,\"SynchronizationMode\":"
                       "\"SynchronizationMode\",\"Timeout\":2}",
                       VALUES_ONLY);
}

static void test_stability_bootloaders_and_timesync(void **state)
{
    (void)state;
    vf_error err = {0};
    vf_linux_bootloader *linux_bl =
        vf_linux_bootloader_new("VmlinuzPath", "KernelCmdLine", "InitrdPath");
    char *json = vf_bootloader_to_json(&linux_bl->base, VF_JSON_COMPACT, &err);
    assert_non_null(json);
    assert_string_equal(json, "{\"kind\":\"linuxBootloader\",\"vmlinuzPath\":\"VmlinuzPath\","
                              "\"kernelCmdLine\":\"KernelCmdLine\",\"initrdPath\":\"InitrdPath\"}");
    free(json);
    vf_bootloader_free(&linux_bl->base);

    vf_efi_bootloader *efi = vf_efi_bootloader_new("EFIVariableStorePath", true);
    json = vf_bootloader_to_json(&efi->base, VF_JSON_COMPACT, &err);
    assert_non_null(json);
    assert_string_equal(json, "{\"kind\":\"efiBootloader\",\"efiVariableStorePath\":"
                              "\"EFIVariableStorePath\",\"createVariableStore\":true}");
    free(json);
    vf_bootloader_free(&efi->base);

    vf_timesync *ts = vf_timesync_new(3);
    json = vf_timesync_to_json(ts, VF_JSON_COMPACT, &err);
    assert_non_null(json);
    assert_string_equal(json, "{\"vsockPort\":3}");
    free(json);
    vf_timesync_free(ts);
}

/* ---- TestVirtioNetBackwardsCompat ---- */
#define NET_HEAD                                                                         \
    LINUX_HEAD ",\"devices\":[{\"kind\":\"virtionet\",\"nat\":false,\"unixSocketPath\":" \
               "\"/some/path/to/socket\",\"macAddress\":\"00:11:22:33:44:55\""

static void vfkit_magic_case(bool vfkit_magic, bool use_default)
{
    const char *json = use_default   ? NET_HEAD "}]}"
                       : vfkit_magic ? NET_HEAD ",\"vfkitMagic\":true}]}"
                                     : NET_HEAD ",\"vfkitMagic\":false}]}";
    vf_error err = {0};
    vf_vm *read = vf_vm_from_json(json, &err);
    if (read == NULL)
        fail_msg("vf_vm_from_json: %s", err.text);
    vf_device *nets[2];
    assert_int_equal(vf_vm_filter_devices(read, VF_DEVICE_VIRTIO_NET, nets, 2), 1);
    assert_int_equal(vf_device_as_virtio_net(nets[0])->vfkit_magic, vfkit_magic);

    vf_vm *vm = new_linux_vm();
    vf_virtio_net *dev = vf_virtio_net_new("00:11:22:33:44:55", &err);
    assert_non_null(dev);
    assert_int_equal(vf_virtio_net_set_unix_socket_path(dev, "/some/path/to/socket"), 0);
    if (!use_default)
        dev->vfkit_magic = vfkit_magic;
    add(vm, dev);
    assert_int_equal(dev->vfkit_magic, vfkit_magic);
    /* require.Equal(*vm, unmarshalledVM) */
    char *a = vf_vm_to_json(vm, &err);
    char *b = vf_vm_to_json(read, &err);
    assert_string_equal(a, b);
    free(a);
    free(b);
    vf_vm_free(vm);
    vf_vm_free(read);
}

static void test_vfkit_magic_json_default(void **state)
{
    (void)state;
    vfkit_magic_case(true, true);
}

static void test_vfkit_magic_json_default_override(void **state)
{
    (void)state;
    vfkit_magic_case(false, false);
}

static void test_vfkit_magic_json_explicit_default(void **state)
{
    (void)state;
    vfkit_magic_case(true, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linux_vm),
        cmocka_unit_test(test_uefi_vm),
        cmocka_unit_test(test_time_sync),
        cmocka_unit_test(test_ignition),
        cmocka_unit_test(test_virtio_rng),
        cmocka_unit_test(test_virtio_balloon),
        cmocka_unit_test(test_multiple_virtio_blk),
        cmocka_unit_test(test_all_virtio_devices),
        cmocka_unit_test(test_invalid_json),
        cmocka_unit_test(test_stability_virtual_machine),
        cmocka_unit_test(test_stability_sharing),
        cmocka_unit_test(test_stability_peripherals),
        cmocka_unit_test(test_stability_network),
        cmocka_unit_test(test_stability_storage),
        cmocka_unit_test(test_stability_bootloaders_and_timesync),
        cmocka_unit_test(test_vfkit_magic_json_default),
        cmocka_unit_test(test_vfkit_magic_json_default_override),
        cmocka_unit_test(test_vfkit_magic_json_explicit_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
