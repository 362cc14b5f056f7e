/*
 * The VM and its small components: devices (ownership, order, all-or-
 * nothing parsing), filters, NBD lookup, timesync and Ignition. Cases from
 * pkg/config/config_test.go, json_test.go and the conformance vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vfconfig/vfconfig.h"
#include "util/alloc.h"
#include "core_asserts.h"

static void test_new(void **state)
{
    (void)state;
    /* NewVirtualMachine(3, 4_000, ...) writes "memoryBytes":4194304000. */
    vf_vm *vm = vf_vm_new(3, 4000, &vf_efi_bootloader_new("/variable-store", false)->base);
    assert_non_null(vm);
    assert_true(vm->vcpus == 3);
    assert_true(vm->memory_bytes == UINT64_C(4194304000));
    assert_non_null(vf_bootloader_as_efi(vm->bootloader));
    assert_int_equal(vm->n_devices, 0);
    assert_null(vm->timesync);
    assert_null(vm->ignition);
    assert_false(vm->nested);
    vf_vm_free(vm);

    /* MiB to bytes wraps around as Go's uint64 multiply does. */
    vm = vf_vm_new(1, UINT64_C(1) << 44, NULL);
    assert_true(vm->memory_bytes == 0);
    assert_null(vm->bootloader);
    vf_vm_free(vm);
    vf_vm_free(NULL);
}

static void test_set_bootloader(void **state)
{
    (void)state;
    vf_vm *vm = vf_vm_new(1, 512, &vf_efi_bootloader_new("/a", false)->base);
    vf_bootloader *linux_bl = &vf_linux_bootloader_new("/k", "c", "/i")->base;
    vf_vm_set_bootloader(vm, linux_bl);
    assert_ptr_equal(vm->bootloader, linux_bl);
    vf_vm_set_bootloader(vm, linux_bl); /* the same one again: kept, not freed */
    assert_ptr_equal(vm->bootloader, linux_bl);
    vf_vm_set_bootloader(vm, NULL);
    assert_null(vm->bootloader);
    vf_vm_free(vm);
    vf_vm_set_bootloader(NULL, &vf_efi_bootloader_new("/a", false)->base); /* freed */
}

static void test_add_devices(void **state)
{
    (void)state;
    vf_vm *vm = vf_vm_new(1, 512, NULL);
    vf_error err = {0};
    for (int i = 0; i < 40; i++) {
        vf_device *dev = i % 2 ? &vf_virtio_rng_new()->base : &vf_virtio_balloon_new()->base;
        assert_int_equal(vf_vm_add_device(vm, dev, &err), VF_OK);
    }
    assert_int_equal(vm->n_devices, 40);
    assert_true(vm->devices_capacity >= 40);
    assert_int_equal(vm->devices[0]->kind, VF_DEVICE_VIRTIO_BALLOON);
    assert_int_equal(vm->devices[39]->kind, VF_DEVICE_VIRTIO_RNG);

    vf_device *pair[] = {&vf_virtio_gpu_new()->base, &vf_virtio_rng_new()->base};
    assert_int_equal(vf_vm_add_devices(vm, pair, 2, &err), VF_OK);
    assert_int_equal(vm->n_devices, 42);
    assert_ptr_equal(vm->devices[40], pair[0]);

    /* A NULL among them fails the call; the others are freed (owned). */
    vf_device *with_null[] = {&vf_virtio_rng_new()->base, NULL};
    assert_int_equal(vf_vm_add_devices(vm, with_null, 2, &err), VF_ERR_INVALID);
    assert_int_equal(vm->n_devices, 42);
    assert_int_equal(vf_vm_add_device(vm, NULL, &err), VF_ERR_INVALID);
    assert_int_equal(vf_vm_add_device(NULL, &vf_virtio_rng_new()->base, &err), VF_ERR_INVALID);
    assert_int_equal(vf_vm_add_devices(vm, NULL, 0, &err), VF_OK);
    vf_vm_free(vm);
}

static void test_add_devices_from_cmdline(void **state)
{
    (void)state;
    vf_vm *vm = vf_vm_new(1, 512, NULL);
    vf_error err = {0};
    const char *good[] = {"virtio-rng", "virtio-gpu,width=1920,height=1080",
                          "virtio-input,keyboard"};
    assert_int_equal(vf_vm_add_devices_from_cmdline(vm, good, 3, &err), VF_OK);
    assert_int_equal(vm->n_devices, 3);
    vf_virtio_gpu *gpu = vf_device_as_virtio_gpu(vm->devices[1]);
    assert_non_null(gpu);
    assert_true(gpu->width == 1920 && gpu->height == 1080);

    /* All or nothing, and the message starts with the offending flag. */
    const char *bad[] = {"virtio-balloon", "virtio-serial,stdio", "virtio-foo,bar"};
    assert_int_equal(vf_vm_add_devices_from_cmdline(vm, bad, 3, &err), VF_ERR_INVALID);
    assert_int_equal(vm->n_devices, 3);
    assert_string_equal(err.text, "--device[2]: unknown device type: \"virtio-foo\"");
    assert_string_equal(err.location, "--device[2]");
    assert_int_equal(vf_vm_add_devices_from_cmdline(vm, bad, 3, NULL), VF_ERR_INVALID);
    assert_int_equal(vm->n_devices, 3);

    assert_int_equal(vf_vm_add_devices_from_cmdline(vm, NULL, 0, &err), VF_OK);
    assert_int_equal(vf_vm_add_devices_from_cmdline(vm, NULL, 1, &err), VF_ERR_INVALID);
    vf_vm_free(vm);
}

static void test_filter_devices(void **state)
{
    (void)state;
    vf_vm *vm = vf_vm_new(1, 512, NULL);
    const char *devs[] = {"virtio-rng", "virtio-gpu", "virtio-rng", "virtio-input,pointing",
                          "virtio-rng"};
    assert_int_equal(vf_vm_add_devices_from_cmdline(vm, devs, 5, NULL), VF_OK);
    vf_device *out[2] = {NULL, NULL};
    assert_int_equal(vf_vm_filter_devices(vm, VF_DEVICE_VIRTIO_RNG, NULL, 0), 3);
    assert_int_equal(vf_vm_filter_devices(vm, VF_DEVICE_VIRTIO_RNG, out, 2), 3);
    assert_ptr_equal(out[0], vm->devices[0]);
    assert_ptr_equal(out[1], vm->devices[2]);
    assert_int_equal(vf_vm_filter_devices(vm, VF_DEVICE_VIRTIO_GPU, out, 2), 1);
    assert_ptr_equal(out[0], vm->devices[1]);
    assert_int_equal(vf_vm_filter_devices(vm, VF_DEVICE_NBD, out, 2), 0);
    assert_int_equal(vf_vm_filter_devices(NULL, VF_DEVICE_NBD, out, 2), 0);
    vf_vm_free(vm);
}

/* TestNetworkBlockDevice and TestNetworkBlockDevice_NoDevice. */
static void test_network_block_device(void **state)
{
    (void)state;
    vf_vm *vm = vf_vm_new(0, 0, NULL);
    assert_null(vf_vm_network_block_device(vm, "nbd2"));
    vf_vm_add_device(vm, &vf_virtio_gpu_new()->base, NULL);
    vf_network_block_device *nbd = vf_network_block_device_new("uri", 1000, VF_NBD_SYNC_FULL);
    assert_int_equal(vf_network_block_device_set_device_identifier(nbd, "nbd1"), VF_OK);
    vf_vm_add_device(vm, &nbd->base, NULL);
    vf_network_block_device *nbd2 = vf_network_block_device_new("uri2", 1000, VF_NBD_SYNC_FULL);
    assert_int_equal(vf_network_block_device_set_device_identifier(nbd2, "nbd2"), VF_OK);
    vf_vm_add_device(vm, &nbd2->base, NULL);

    vf_network_block_device *found =
        vf_device_as_network_block_device(vf_vm_network_block_device(vm, "nbd2"));
    assert_non_null(found);
    assert_string_equal(found->device_identifier, "nbd2");
    assert_string_equal(found->network.uri, "uri2");
    assert_null(vf_vm_network_block_device(vm, "nbd3"));
    assert_null(vf_vm_network_block_device(vm, NULL));
    vf_vm_free(vm);
}

static void test_clone(void **state)
{
    (void)state;
    vf_vm *vm = vf_vm_new(2, 2048, &vf_linux_bootloader_new("/k", "console=hvc0", "/i")->base);
    const char *devs[] = {"nvme,path=/a.img", "virtio-net,nat,mac=00:11:22:33:44:55"};
    assert_int_equal(vf_vm_add_devices_from_cmdline(vm, devs, 2, NULL), VF_OK);
    vf_vm_set_timesync(vm, vf_timesync_new(1234));
    vf_vm_set_ignition(vm, vf_ignition_new("/ign.json", NULL, NULL));
    vm->nested = true;
    assert_int_equal(vf__set_string(&vm->restful_uri, "tcp://localhost:8081"), VF_OK);
    assert_int_equal(vf__set_string(&vm->log_level, "debug"), VF_OK);
    assert_int_equal(vf__set_string(&vm->pidfile, "/run/vf.pid"), VF_OK);
    vm->cloud_init = vf_split_quoted_list("/ci/user-data,/ci/meta-data", NULL);

    vf_vm *copy = vf_vm_clone(vm);
    assert_non_null(copy);
    char **a = vf_vm_to_cmdline(vm, NULL), **b = vf_vm_to_cmdline(copy, NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(vf_strv_length(a), vf_strv_length(b));
    for (size_t i = 0; a[i] != NULL; i++)
        assert_string_equal(a[i], b[i]);
    assert_ptr_not_equal(copy->devices[0], vm->devices[0]);
    assert_ptr_not_equal(copy->ignition->config_path, vm->ignition->config_path);
    assert_int_equal(copy->ignition->vsock_port, VF_IGNITION_VSOCK_PORT);
    assert_ptr_not_equal(copy->cloud_init, vm->cloud_init);
    assert_string_equal(copy->pidfile, "/run/vf.pid");
    vf_strv_free(a);
    vf_strv_free(b);
    vf_vm_free(copy);
    vf_vm_free(vm);
    assert_null(vf_vm_clone(NULL));
}

/* Timesync option strings from the conformance vectors. */
static void test_timesync_from_cmdline(void **state)
{
    (void)state;
    static const struct {
        const char *opts;
        int rc;
        uint32_t port; /* 0: no timesync */
        const char *message_part;
    } cases[] = {
        {"vsockPort=1234", VF_OK, 1234, NULL},
        {",vsockPort=7", VF_OK, 7, NULL},
        {"vsockPort=1234,vsockPort=5", VF_OK, 5, NULL},
        {"vsockPort=4294967295", VF_OK, 4294967295u, NULL},
        {"vsockPort=007", VF_OK, 7, NULL},
        {"", VF_OK, 0, NULL},
        {"vsockPort=0", VF_ERR_INVALID, 0, "missing 'vsockPort'"},
        {"vsockPort=4294967296", VF_ERR_INVALID, 0, "\"4294967296\""},
        {"vsockPort=abc", VF_ERR_INVALID, 0, "'vsockPort' (invalid syntax): \"abc\""},
        {"vsockPort=+1", VF_ERR_INVALID, 0, "\"+1\""},
        {"vsockPort=0x10", VF_ERR_INVALID, 0, "\"0x10\""},
        {"vsockPort", VF_ERR_INVALID, 0, "'vsockPort' (invalid syntax): \"\""},
        {"foo=1", VF_ERR_INVALID, 0, "unknown option for timesync parameter: \"foo\""},
        {",", VF_ERR_INVALID, 0, "missing 'vsockPort'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vf_vm *vm = vf_vm_new(1, 512, NULL);
        vf_error err = {0};
        print_message("timesync %s\n", cases[i].opts);
        assert_int_equal(vf_vm_add_timesync_from_cmdline(vm, cases[i].opts, &err), cases[i].rc);
        if (cases[i].port != 0) {
            assert_non_null(vm->timesync);
            assert_true(vm->timesync->vsock_port == cases[i].port);
        } else {
            assert_null(vm->timesync);
        }
        if (cases[i].message_part != NULL)
            assert_error(&err, VF_ERR_INVALID, cases[i].message_part);
        vf_vm_free(vm);
    }
}

static void test_timesync_replace_and_print(void **state)
{
    (void)state;
    vf_vm *vm = vf_vm_new(1, 512, NULL);
    assert_int_equal(vf_vm_add_timesync_from_cmdline(vm, "vsockPort=1", NULL), VF_OK);
    assert_int_equal(vf_vm_add_timesync_from_cmdline(vm, "vsockPort=2", NULL), VF_OK);
    assert_true(vm->timesync->vsock_port == 2);
    /* "" leaves what is there, as Go's AddTimeSyncFromCmdLine returns early. */
    assert_int_equal(vf_vm_add_timesync_from_cmdline(vm, "", NULL), VF_OK);
    assert_true(vm->timesync->vsock_port == 2);
    /* A failed parse leaves it too. */
    assert_int_equal(vf_vm_add_timesync_from_cmdline(vm, "vsockPort=x", NULL), VF_ERR_INVALID);
    assert_true(vm->timesync->vsock_port == 2);

    char **argv = vf_timesync_to_cmdline(vm->timesync, NULL);
    assert_int_equal(vf_strv_length(argv), 2);
    assert_string_equal(argv[0], "--timesync");
    assert_string_equal(argv[1], "vsockPort=2");
    vf_strv_free(argv);

    vf_vm_set_timesync(vm, NULL);
    assert_null(vm->timesync);
    vf_vm_free(vm);

    /* Go would print `--timesync ""`, which vfkit reads as no timesync. */
    vf_timesync *zero = vf_timesync_new(0);
    vf_error err = {0};
    assert_null(vf_timesync_to_cmdline(zero, &err));
    assert_error(&err, VF_ERR_AMBIGUOUS, "'vsockPort'");
    vf_timesync_free(zero);
    vf_timesync_free(NULL);

    vf_timesync *ts = vf_timesync_new(0);
    const vf_option opts[] = {{"vsockPort", "1024"}};
    assert_int_equal(vf_timesync_apply_options(ts, opts, 1, NULL), VF_OK);
    assert_true(ts->vsock_port == 1024);
    assert_int_equal(vf_timesync_apply_options(ts, NULL, 1, NULL), VF_ERR_INVALID);
    vf_timesync_free(ts);
}

/* TestAddIgnitionFile_MultipleOptions and TestAddIgnitionFile_OneOption. */
static void test_ignition(void **state)
{
    (void)state;
    vf_vm *vm = vf_vm_new(0, 0, NULL);
    vf_error err = {0};
    assert_int_equal(vf_vm_add_ignition_from_cmdline(vm, "file1,file2", &err), VF_ERR_INVALID);
    assert_error(&err, VF_ERR_INVALID, "ignition only accepts one option in command line argument");
    assert_null(vm->ignition);

    assert_int_equal(vf_vm_add_ignition_from_cmdline(vm, "file1", &err), VF_OK);
    assert_non_null(vm->ignition);
    assert_string_equal(vm->ignition->config_path, "file1");
    assert_int_equal(vm->ignition->vsock_port, VF_IGNITION_VSOCK_PORT);
    assert_int_equal(vm->ignition->vsock_port, 1024);

    assert_int_equal(vf_vm_add_ignition_from_cmdline(vm, "", &err), VF_OK);
    assert_string_equal(vm->ignition->config_path, "file1");
    assert_int_equal(vf_vm_add_ignition_from_cmdline(vm, ",", &err), VF_ERR_INVALID);
    vf_vm_free(vm);

    assert_null(vf_ignition_new("", NULL, &err));
    assert_error(&err, VF_ERR_INVALID, "config path cannot be empty");
    assert_null(vf_ignition_new(NULL, "socket", &err));

    /* v0.6.4's IgnitionNew ignores its socket argument (json_test.go's
   * TestIgnition expects no socketPath). */
    vf_ignition *ign = vf_ignition_new("config", "socket", &err);
    assert_non_null(ign);
    assert_string_equal(ign->config_path, "config");
    assert_null(ign->socket_path);
    vf_ignition_free(ign);
    vf_ignition_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new),
        cmocka_unit_test(test_set_bootloader),
        cmocka_unit_test(test_add_devices),
        cmocka_unit_test(test_add_devices_from_cmdline),
        cmocka_unit_test(test_filter_devices),
        cmocka_unit_test(test_network_block_device),
        cmocka_unit_test(test_clone),
        cmocka_unit_test(test_timesync_from_cmdline),
        cmocka_unit_test(test_timesync_replace_and_print),
        cmocka_unit_test(test_ignition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
