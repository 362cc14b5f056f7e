/*
 * libvfconfig - every allocation may fail: each operation then reports
 * VF_ERR_NOMEM (or gives exactly the result it gives without failure),
 * leaks nothing, closes what it opened and crashes nowhere.
 * SPDX-License-Identifier: Apache-2.0
 *
 * For each scenario and for N = 1, 2, ...: arm the hook (src/util/alloc_hook.h)
 * so that the N-th allocation fails (then, in a second pass, the N-th and
 * every later one), run the operation, check the outcome, release
 * everything. The loop ends at the first N the operation no longer reaches.
 * jansson's allocations go through the same counter (json_set_alloc_funcs),
 * so JSON reading and writing fail at every step too. Leaks are reported
 * by the sanitizer or valgrind the suite runs under.
 *
 * This executable is linked to a library built with the hook: the ordinary
 * one in a VF_ALLOC_FAILURE_INJECTION build, a private copy otherwise
 * (tests/alloc_failure.cmake).
 */
#include <fcntl.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "util/alloc_hook.h"
#include "vfconfig/vfconfig.h"

/* ---- scenarios ----------------------------------------------------------
 * setup (not armed) builds the input, run (armed) is the operation under
 * test, describe (not armed) renders its result as text so that a run that
 * absorbed a failure can be compared with the undisturbed one. */
typedef struct scenario {
    const char *name;
    void *(*setup)(void);
    int (*run)(void *input, void **result, vf_error *err);
    char *(*describe)(void *result);
    void (*release)(void *input, void *result);
} scenario;

/* ---- small helpers (plain malloc: the test's own memory is not counted) -- */

static char *text_copy(const char *s)
{
    char *copy = strdup(s ? s : "");
    assert_non_null(copy);
    return copy;
}

/* "a|b|c" for an argv-like vector. */
static char *join_strv(char *const *strv)
{
    size_t len = 1;
    for (size_t i = 0; strv != NULL && strv[i] != NULL; i++)
        len += strlen(strv[i]) + 1;
    char *out = malloc(len);
    assert_non_null(out);
    out[0] = '\0';
    for (size_t i = 0; strv != NULL && strv[i] != NULL; i++) {
        if (i > 0)
            strcat(out, "|");
        strcat(out, strv[i]);
    }
    return out;
}

/* *all becomes "*all\none"; takes one. */
static void append_line(char **all, char *one)
{
    size_t a = strlen(*all), b = strlen(one);
    char *both = realloc(*all, a + b + 2);
    assert_non_null(both);
    both[a] = '\n';
    memcpy(both + a + 1, one, b + 1);
    free(one);
    *all = both;
}

static int status_of(const void *ptr, const vf_error *err)
{
    return ptr != NULL ? VF_OK : err->code;
}

/* For the functions that report an allocation failure by NULL alone. */
static int nomem(vf_error *err, const char *what)
{
    err->code = VF_ERR_NOMEM;
    snprintf(err->text, sizeof err->text, "%s returned NULL", what);
    return VF_ERR_NOMEM;
}

static void write_file(const char *path, const void *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The conformance fixtures, in the scratch folder ctest runs the test in. */
static void write_fixtures(void)
{
    write_file("ign.json", "{\"ignition\": {\"version\": \"3.4.0\"}}", 34);
    write_file("disk.img", "RAW-DISK-IMAGE", 14);
    write_file("q.qcow2", "QFI\xfb\x00\x00\x00\x03", 8);
    write_file("user-data", "#cloud-config\n", 14); /* --cloud-init opens them */
    write_file("meta-data", "instance-id: vm1\n", 17);
}

static int count_open_fds(void)
{
    int n = 0;
    for (int fd = 0; fd < 1024; fd++)
        if (fcntl(fd, F_GETFD) != -1)
            n++;
    return n;
}

/* ---- inputs ------------------------------------------------------------- */

/* One --device value of every kind and every form, all valid. */
static const char *const device_values[] = {
    "virtio-blk,path=disk.img,readonly,deviceId=serial1",
    "virtio-blk,path=disk.img,type=image",
    "nvme,path=disk.img,readonly",
    "usb-mass-storage,path=disk.img,type=dev",
    "nbd,uri=nbd://localhost:10809/export,deviceId=nbd0,timeout=3000,sync=none,readonly",
    "nbd,uri=nbd+unix:///e?socket=/tmp/s",
    "nbd,uri=nbd://h/e,timeout=-1",
    "virtio-fs,sharedDir=/Users/me,mountTag=home",
    /* Every way a string is escaped in JSON (invalid UTF-8 is refused). */
    "virtio-fs,sharedDir=/odd \"q\" \\ \x01\t<>& \xe2\x80\xa8 caf\xc3\xa9,mountTag=odd",
    "rosetta,mountTag=rosetta,install,ignore-if-missing",
    "virtio-net,nat,mac=00:11:22:33:44:55",
    "virtio-net,unixSocketPath=/tmp/gvproxy.sock,mac=00:11:22:33:44:56",
    "virtio-net,type=unixgram,path=/tmp/vmnet.sock,vfkitMagic=off,offloading=off",
    "virtio-net,fd=4",
    "virtio-rng",
    "virtio-balloon",
    "virtio-serial,logFilePath=/tmp/serial.log",
    "virtio-serial,stdio",
    "virtio-serial,pty",
    "virtio-vsock,port=1025,socketURL=/tmp/vsock.sock,listen",
    "virtio-vsock,port=1026,socketURL=/tmp/vsock2.sock,connect",
    "virtio-input,keyboard",
    "virtio-input,pointing",
    "virtio-gpu,width=1920,height=1080",
};
#define N_DEVICE_VALUES (sizeof device_values / sizeof device_values[0])

static const char *const bootloader_values[] = {
    "efi,variable-store=/tmp/efi.store,create",
    "linux,kernel=/vmlinuz,initrd=/initrd,cmdline=\"console=hvc0 root=/dev/vda\"",
    "macos,machineIdentifierPath=/m/id,hardwareModelPath=/m/hw,auxImagePath=/m/aux",
};
#define N_BOOTLOADER_VALUES (sizeof bootloader_values / sizeof bootloader_values[0])

/* Whole command lines: long and short flags, --flag=value, every launch flag. */
static const char *const cmdline_full[] = {
    "--cpus",
    "2",
    "--memory=2048",
    "--bootloader",
    "efi,variable-store=/tmp/efi.store,create",
    "--device",
    "virtio-blk,path=disk.img,deviceId=root",
    "-d",
    "virtio-net,nat,mac=00:11:22:33:44:55",
    "--device=virtio-fs,sharedDir=/Users/me,mountTag=home",
    "--device",
    "virtio-vsock,port=1025,socketURL=/tmp/vsock.sock,listen",
    "--device",
    "virtio-gpu,width=800,height=600",
    "--device",
    "virtio-input,keyboard",
    "--device",
    "nbd,uri=nbd://localhost:10809/export,timeout=1000",
    "--timesync",
    "vsockPort=1234",
    "--ignition",
    "/tmp/ignition.json",
    "--nested",
    "--gui",
    "--restful-uri",
    "tcp://localhost:8081",
    "--log-level",
    "debug",
    "--pidfile",
    "/tmp/vfkit.pid",
    "--cloud-init",
    "user-data,meta-data",
    NULL,
};
static const char *const cmdline_linux[] = {
    "-c", "4",
    "-m", "4096",
    "-k", "/vmlinuz",
    "-i", "/initrd",
    "-C", "console=hvc0 root=/dev/vda",
    "-d", "virtio-rng",
    "-t", "vsockPort=5000",
    "-n", NULL,
};

/* A VM in the reference's JSON: every device kind, legacy and odd-case keys. */
static const char json_reference[] =
    "{\"vcpus\": 2, \"memoryBytes\": 2147483648,"
    " \"bootloader\": {\"kind\": \"linuxBootloader\", \"vmlinuzPath\": \"/vmlinuz\","
    "  \"kernelCmdLine\": \"console=hvc0\", \"initrdPath\": \"/initrd\"},"
    " \"devices\": ["
    "  {\"kind\": \"virtioblk\", \"devName\": \"virtio-blk\", \"readOnly\": true,"
    "   \"imagePath\": \"/disk.img\", \"type\": \"image\", \"deviceIdentifier\": \"root\"},"
    "  {\"kind\": \"nvme\", \"devName\": \"nvme\", \"imagePath\": \"/n.img\"},"
    "  {\"kind\": \"usbmassstorage\", \"devName\": \"usb-mass-storage\", \"imagePath\": \"/u.iso\"},"
    "  {\"kind\": \"nbd\", \"devName\": \"nbd\", \"uri\": \"nbd://h/e\", \"deviceIdentifier\": \"n\","
    "   \"Timeout\": 15000000000, \"SynchronizationMode\": \"full\"},"
    "  {\"kind\": \"virtiofs\", \"mountTag\": \"home\", \"sharedDir\": \"/Users/me\"},"
    "  {\"kind\": \"rosetta\", \"mountTag\": \"rosetta\", \"installRosetta\": true},"
    "  {\"kind\": \"virtionet\", \"nat\": true, \"macAddress\": \"00:11:22:33:44:55\"},"
    "  {\"kind\": \"virtionet\", \"unixSocketPath\": \"/tmp/gv.sock\", \"vfkitMagic\": true},"
    "  {\"kind\": \"virtiorng\"},"
    "  {\"kind\": \"virtioballoon\"},"
    "  {\"kind\": \"virtioserial\", \"logFile\": \"/tmp/serial.log\"},"
    "  {\"kind\": \"virtioserial\", \"usesStdio\": true},"
    "  {\"kind\": \"virtiosock\", \"port\": 1025, \"socketURL\": \"/tmp/v.sock\", \"listen\": true},"
    "  {\"kind\": \"virtioinput\", \"inputType\": \"pointing\"},"
    "  {\"kind\": \"virtiogpu\", \"usesGUI\": true, \"width\": 1024, \"height\": 768}],"
    " \"timesync\": {\"vsockPort\": 1234},"
    " \"ignition\": {\"configPath\": \"/tmp/ign.json\", \"socketPath\": \"/tmp/ign.sock\"},"
    " \"NESTED\": true}";

/* ---- shared describe / release functions --------------------------------- */

/* A copy (plain malloc) of what a library writer returned. */
static char *take_text(char *json)
{
    assert_non_null(json);
    char *copy = text_copy(json);
    free(json);
    return copy;
}

static char *describe_vm(void *result)
{
    return take_text(vf_vm_to_json(result, NULL));
}

static char *describe_device(void *result)
{
    return take_text(vf_device_to_json(result, VF_JSON_COMPACT, NULL));
}

static char *describe_bootloader(void *result)
{
    return take_text(vf_bootloader_to_json(result, VF_JSON_COMPACT, NULL));
}

static char *describe_strv(void *result)
{
    return join_strv(result);
}

static char *describe_string(void *result)
{
    return text_copy(result);
}

static void release_vm(void *input, void *result)
{
    vf_vm_free(input);
    vf_vm_free(result);
}

static void release_strv(void *input, void *result)
{
    vf_vm_free(input);
    vf_strv_free(result);
}

static void release_string(void *input, void *result)
{
    vf_vm_free(input);
    free(result);
}

/* The VM every writer is tested on: all device kinds, every VM field. */
static vf_vm *rich_vm(const char *bootloader)
{
    vf_error err = {0};
    vf_vm *vm = vf_vm_new(2, 2048, vf_bootloader_from_cmdline(bootloader, &err));
    assert_non_null(vm);
    assert_non_null(vm->bootloader);
    assert_int_equal(vf_vm_add_devices_from_cmdline(vm, device_values, N_DEVICE_VALUES, &err), 0);
    assert_int_equal(vf_vm_add_timesync_from_cmdline(vm, "vsockPort=1234", &err), 0);
    assert_int_equal(vf_vm_add_ignition_from_cmdline(vm, "/tmp/ignition.json", &err), 0);
    vm->nested = true;
    return vm;
}

/* A VM with no "--device virtio-net,fd=4" (which to_cmdline would print
 * with a descriptor that is not open) but the launch flags set. */
static vf_vm *printable_vm(const char *bootloader)
{
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_cmdline(cmdline_full, &err);
    assert_non_null(vm);
    vf_vm_set_bootloader(vm, vf_bootloader_from_cmdline(bootloader, &err));
    assert_non_null(vm->bootloader);
    for (size_t i = 0; i < N_DEVICE_VALUES; i++) {
        if (strstr(device_values[i], "fd=") != NULL)
            continue;
        assert_int_equal(vf_vm_add_devices_from_cmdline(vm, &device_values[i], 1, &err), 0);
    }
    return vm;
}

static void *setup_printable_vm(void)
{
    return printable_vm(bootloader_values[0]);
}

static void *setup_printable_vm_linux(void)
{
    return printable_vm(bootloader_values[1]);
}

static void *setup_printable_vm_macos(void)
{
    return printable_vm(bootloader_values[2]);
}

static void *setup_rich_vm(void)
{
    return rich_vm(bootloader_values[0]);
}

/* ---- parsing ------------------------------------------------------------ */

/* Some operations change the VM they are given: the result to compare is
 * that VM, which setup keeps here for describe. */
static vf_vm *changed_vm;

static void *setup_empty_vm(void)
{
    changed_vm = vf_vm_new(1, 512, NULL);
    assert_non_null(changed_vm);
    return changed_vm;
}

static char *describe_changed_vm(void *result)
{
    (void)result;
    return describe_vm(changed_vm);
}

static int run_add_devices(void *input, void **result, vf_error *err)
{
    (void)result;
    return vf_vm_add_devices_from_cmdline(input, device_values, N_DEVICE_VALUES, err);
}

static void release_device_list(void *input, void *result)
{
    vf_device **devs = result;
    for (size_t i = 0; devs != NULL && i < N_DEVICE_VALUES; i++)
        vf_device_free(devs[i]);
    free(devs);
    vf_vm_free(input);
}

/* Each value through vf_device_from_cmdline; on failure frees what it made. */
static int run_device_from_cmdline(void *input, void **result, vf_error *err)
{
    (void)input;
    vf_device **devs = calloc(N_DEVICE_VALUES, sizeof *devs);
    assert_non_null(devs);
    *result = devs;
    for (size_t i = 0; i < N_DEVICE_VALUES; i++) {
        devs[i] = vf_device_from_cmdline(device_values[i], err);
        if (devs[i] == NULL)
            return err->code;
    }
    return VF_OK;
}

static char *describe_device_list(void *result)
{
    vf_device **devs = result;
    char *all = text_copy("");
    for (size_t i = 0; i < N_DEVICE_VALUES; i++) {
        append_line(&all, describe_device(devs[i]));
    }
    return all;
}

static int run_device_from_cmdline_invalid(void *input, void **result, vf_error *err)
{
    (void)input;
    static const char *const invalid[] = {
        "virtio-blk,path=missing.img",
        "virtio-blk,path=q.qcow2",
        "virtio-net,mac=zz",
        "virtio-vsock,port=abc",
        "virtio-gpu,width=0",
        "virtio-serial,pty,stdio",
        "bogus",
        "virtio-rng,foo",
        "nbd,timeout=x",
        "virtio-input,mouse",
    };
    int last = VF_OK;
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        vf_device *dev = vf_device_from_cmdline(invalid[i], err);
        assert_null(dev);
        if (err->code == VF_ERR_NOMEM)
            return VF_ERR_NOMEM;
        last = err->code;
    }
    *result = NULL;
    return last;
}

static void release_nothing(void *input, void *result)
{
    (void)input;
    (void)result;
}

static int run_bootloader_from_cmdline(void *input, void **result, vf_error *err)
{
    (void)input;
    vf_bootloader **bls = calloc(N_BOOTLOADER_VALUES, sizeof *bls);
    assert_non_null(bls);
    *result = bls;
    for (size_t i = 0; i < N_BOOTLOADER_VALUES; i++) {
        bls[i] = vf_bootloader_from_cmdline(bootloader_values[i], err);
        if (bls[i] == NULL)
            return err->code;
    }
    return VF_OK;
}

static char *describe_bootloader_list(void *result)
{
    vf_bootloader **bls = result;
    char *all = text_copy("");
    for (size_t i = 0; i < N_BOOTLOADER_VALUES; i++)
        append_line(&all, describe_bootloader(bls[i]));
    return all;
}

static void release_bootloader_list(void *input, void *result)
{
    vf_bootloader **bls = result;
    for (size_t i = 0; bls != NULL && i < N_BOOTLOADER_VALUES; i++)
        vf_bootloader_free(bls[i]);
    free(bls);
    (void)input;
}

static int run_timesync_ignition(void *input, void **result, vf_error *err)
{
    (void)result;
    int rc = vf_vm_add_timesync_from_cmdline(input, "vsockPort=1234", err);
    if (rc == VF_OK)
        rc = vf_vm_add_ignition_from_cmdline(input, "/tmp/ignition.json", err);
    return rc;
}

static int run_split(void *input, void **result, vf_error *err)
{
    (void)input;
    vf_options *opts = vf_options_split("virtio-net,,nat,mac=00:11:22:33:44:55,x=a=b", err);
    if (opts == NULL)
        return err->code;
    char **items = vf_split_quoted_list("efi,\"variable-store=/a,b\",create,caf\xe9", err);
    if (items == NULL) {
        vf_options_free(opts);
        return err->code;
    }
    static const char *const strv[] = {"kernel=/k", "", "initrd=/i"};
    vf_options *more = vf_options_from_strv(strv, 3, err);
    int rc = more != NULL ? VF_OK : err->code;
    char *text = NULL;
    if (rc == VF_OK) {
        size_t len = 64;
        for (size_t i = 0; items[i] != NULL; i++)
            len += strlen(items[i]) + 1;
        for (size_t i = 0; i < opts->count; i++)
            len += strlen(opts->items[i].key) + strlen(opts->items[i].value) + 2;
        text = malloc(len);
        assert_non_null(text);
        sprintf(text, "%zu %zu:", opts->count, more->count);
        for (size_t i = 0; items[i] != NULL; i++)
            strcat(strcat(text, items[i]), "|");
        for (size_t i = 0; i < opts->count; i++)
            strcat(strcat(strcat(strcat(text, opts->items[i].key), "="), opts->items[i].value),
                   "|");
    }
    vf_options_free(more);
    vf_options_free(opts);
    vf_strv_free(items);
    *result = text;
    return rc;
}

static int run_vm_from_cmdline(void *input, void **result, vf_error *err)
{
    (void)input;
    vf_vm *vm = vf_vm_from_cmdline(cmdline_full, err);
    *result = vm;
    return status_of(vm, err);
}

static int run_vm_from_cmdline_linux(void *input, void **result, vf_error *err)
{
    (void)input;
    vf_vm *vm = vf_vm_from_cmdline(cmdline_linux, err);
    *result = vm;
    return status_of(vm, err);
}

static void *setup_reference_json(void)
{
    return (void *)json_reference;
}

static void release_json_input(void *input, void *result)
{
    (void)input;
    vf_vm_free(result);
}

static int run_vm_from_json(void *input, void **result, vf_error *err)
{
    vf_vm *vm = vf_vm_from_json(input, err);
    *result = vm;
    return status_of(vm, err);
}

static int run_vm_from_json_buffer(void *input, void **result, vf_error *err)
{
    vf_vm *vm = vf_vm_from_json_buffer(input, strlen(input), err);
    *result = vm;
    return status_of(vm, err);
}

/* The library's own JSON for the printable VM: reading back what it writes. */
static void *setup_own_json(void)
{
    vf_vm *vm = setup_printable_vm();
    char *json = vf_vm_to_json(vm, NULL);
    assert_non_null(json);
    vf_vm_free(vm);
    return json;
}

static void release_own_json(void *input, void *result)
{
    free(input);
    vf_vm_free(result);
}

/* Devices and bootloaders one by one, through the json.h entry points. */
static int run_components_json(void *input, void **result, vf_error *err)
{
    const vf_vm *vm = input;
    char *all = text_copy("");
    for (size_t i = 0; i <= vm->n_devices; i++) {
        char *json = i < vm->n_devices
                         ? vf_device_to_json(vm->devices[i], VF_JSON_PRETTY, err)
                         : vf_bootloader_to_json(vm->bootloader, VF_JSON_COMPACT, err);
        char *again = NULL;
        if (json != NULL && i < vm->n_devices) {
            vf_device *dev = vf_device_from_json(json, err);
            if (dev != NULL)
                again = vf_device_to_json(dev, VF_JSON_COMPACT, err);
            vf_device_free(dev);
        } else if (json != NULL) {
            vf_bootloader *bl = vf_bootloader_from_json(json, err);
            if (bl != NULL)
                again = vf_bootloader_to_json(bl, VF_JSON_COMPACT, err);
            vf_bootloader_free(bl);
        }
        free(json);
        if (again == NULL) {
            free(all);
            return err->code;
        }
        append_line(&all, again); /* the library's text is free()d */
    }
    *result = all;
    return VF_OK;
}

static void release_input_vm_string(void *input, void *result)
{
    vf_vm_free(input);
    free(result);
}

static int run_timesync_ignition_json(void *input, void **result, vf_error *err)
{
    (void)input;
    vf_timesync *ts = vf_timesync_from_json("{\"VSOCKPORT\": 77}", err);
    if (ts == NULL)
        return err->code;
    vf_ignition *ign =
        vf_ignition_from_json("{\"configPath\": \"/c\", \"socketPath\": \"/s\"}", err);
    if (ign == NULL) {
        vf_timesync_free(ts);
        return err->code;
    }
    char *a = vf_timesync_to_json(ts, VF_JSON_COMPACT, err);
    char *b = a != NULL ? vf_ignition_to_json(ign, VF_JSON_PRETTY, err) : NULL;
    int rc = b != NULL ? VF_OK : err->code;
    if (rc == VF_OK) {
        char *text = malloc(strlen(a) + strlen(b) + 2);
        assert_non_null(text);
        sprintf(text, "%s\n%s", a, b);
        *result = text;
    }
    free(a);
    free(b);
    vf_timesync_free(ts);
    vf_ignition_free(ign);
    return rc;
}

/* ---- writing ------------------------------------------------------------ */

/* Every device and the bootloader of the VM, each printed alone. */
static int run_components_to_cmdline(void *input, void **result, vf_error *err)
{
    const vf_vm *vm = input;
    char *all = text_copy("");
    for (size_t i = 0; i <= vm->n_devices + 1; i++) {
        char **argv = i < vm->n_devices    ? vf_device_to_cmdline(vm->devices[i], err)
                      : i == vm->n_devices ? vf_bootloader_to_cmdline(vm->bootloader, err)
                                           : vf_timesync_to_cmdline(vm->timesync, err);
        if (argv == NULL) {
            free(all);
            return err->code;
        }
        append_line(&all, join_strv(argv));
        vf_strv_free(argv);
    }
    *result = all;
    return VF_OK;
}

static int run_to_cmdline(void *input, void **result, vf_error *err)
{
    char **argv = vf_vm_to_cmdline(input, err);
    *result = argv;
    return status_of(argv, err);
}

static int run_to_json(void *input, void **result, vf_error *err)
{
    char *json = vf_vm_to_json(input, err);
    *result = json;
    return status_of(json, err);
}

static int run_to_json_pretty(void *input, void **result, vf_error *err)
{
    char *json = vf_vm_to_json_ex(input, VF_JSON_PRETTY, err);
    *result = json;
    return status_of(json, err);
}

static int run_to_json_value(void *input, void **result, vf_error *err)
{
    json_t *value = vf_vm_to_json_value(input, err);
    if (value == NULL)
        return err->code;
    vf_vm *back = vf_vm_from_json_value_ex(value, VF_JSON_ALLOW_FD, err); /* saved here */
    json_decref(value);
    *result = back;
    return status_of(back, err);
}

static void release_input_and_vm(void *input, void *result)
{
    vf_vm_free(input);
    vf_vm_free(result);
}

static int run_clone(void *input, void **result, vf_error *err)
{
    vf_vm *copy = vf_vm_clone(input);
    *result = copy;
    return copy != NULL ? VF_OK : nomem(err, "vf_vm_clone");
}

/* Every constructor and setter of the public headers. */
static int run_build_by_api(void *input, void **result, vf_error *err)
{
    (void)input;
    vf_efi_bootloader *efi = vf_efi_bootloader_new("/tmp/efi", true);
    vf_vm *vm = vf_vm_new(2, 1024, efi != NULL ? &efi->base : NULL);
    if (vm == NULL)
        return nomem(err, "vf_vm_new");
    *result = vm;
    if (vm->bootloader == NULL)
        return nomem(err, "vf_efi_bootloader_new");
    vf_bootloader *others[] = {
        (vf_bootloader *)vf_linux_bootloader_new("/k", "console=hvc0", "/i"),
        (vf_bootloader *)vf_macos_bootloader_new("/id", "/hw", "/aux"),
        vf_bootloader_new(VF_BOOTLOADER_EFI),
    };
    int rc = VF_OK;
    for (size_t i = 0; i < 3; i++) {
        if (others[i] == NULL)
            rc = VF_ERR_NOMEM;
        vf_bootloader *copy = others[i] != NULL ? vf_bootloader_clone(others[i]) : NULL;
        if (others[i] != NULL && copy == NULL)
            rc = VF_ERR_NOMEM;
        vf_bootloader_free(copy);
        vf_bootloader_free(others[i]);
    }
    if (rc != VF_OK)
        return nomem(err, "a bootloader constructor or clone");

    vf_virtio_blk *blk = vf_virtio_blk_new("/disk.img");
    if (blk != NULL && vf_virtio_blk_set_device_identifier(blk, "serial") != VF_OK) {
        vf_device_free(&blk->base);
        blk = NULL;
    }
    vf_network_block_device *nbd = vf_network_block_device_new("nbd://h/e", 5000, VF_NBD_SYNC_NONE);
    if (nbd != NULL && vf_network_block_device_set_device_identifier(nbd, "n") != VF_OK) {
        vf_device_free(&nbd->base);
        nbd = NULL;
    }
    vf_virtio_net *net = vf_virtio_net_new("00:11:22:33:44:55", err);
    if (net != NULL && vf_virtio_net_set_unix_socket_path(net, "/tmp/gv.sock") != VF_OK) {
        vf_device_free(&net->base);
        net = NULL;
    }
    vf_usb_mass_storage *usb = vf_usb_mass_storage_new("/u.iso");
    if (usb != NULL)
        vf_usb_mass_storage_set_read_only(usb, true);
    vf_device *devs[] = {
        blk != NULL ? &blk->base : NULL,
        (vf_device *)vf_nvm_express_controller_new("/n.img"),
        usb != NULL ? &usb->base : NULL,
        nbd != NULL ? &nbd->base : NULL,
        (vf_device *)vf_virtio_fs_new("/Users/me", "home"),
        (vf_device *)vf_rosetta_share_new("rosetta"),
        net != NULL ? &net->base : NULL,
        (vf_device *)vf_virtio_rng_new(),
        (vf_device *)vf_virtio_balloon_new(),
        (vf_device *)vf_virtio_serial_new("/tmp/serial.log"),
        (vf_device *)vf_virtio_serial_new_stdio(),
        (vf_device *)vf_virtio_serial_new_pty(),
        (vf_device *)vf_virtio_vsock_new(1025, "/tmp/v.sock", true),
        (vf_device *)vf_virtio_input_new("keyboard", err),
        (vf_device *)vf_virtio_gpu_new(),
        vf_device_new(VF_DEVICE_NBD),
    };
    size_t n = sizeof devs / sizeof devs[0];
    for (size_t i = 0; i < n; i++) {
        if (devs[i] == NULL)
            rc = VF_ERR_NOMEM;
        else if (rc == VF_OK) {
            vf_device *copy = vf_device_clone(devs[i]);
            if (copy == NULL)
                rc = VF_ERR_NOMEM;
            vf_device_free(copy);
        }
    }
    if (rc != VF_OK) {
        for (size_t i = 0; i < n; i++)
            vf_device_free(devs[i]);
        return nomem(err, "a device constructor or clone");
    }
    rc = vf_vm_add_devices(vm, devs, n, err);
    if (rc != VF_OK)
        return rc;
    vf_timesync *ts = vf_timesync_new(1234);
    if (ts == NULL)
        return nomem(err, "vf_timesync_new");
    vf_vm_set_timesync(vm, ts);
    vf_ignition *ign = vf_ignition_new("/tmp/ign.json", "/tmp/ign.sock", err);
    if (ign == NULL)
        return err->code;
    vf_vm_set_ignition(vm, ign);
    return VF_OK;
}

static void release_result_vm(void *input, void *result)
{
    (void)input;
    vf_vm_free(result);
}

/* ---- vm_cmd and spawn ----------------------------------------------------- */

typedef struct spawn_input {
    vf_vm *vm;
    int sockets[2][2];
    vf_cmd *cmd;
} spawn_input;

static const char *true_program(void)
{
    return access("/usr/bin/true", X_OK) == 0 ? "/usr/bin/true" : "/bin/true";
}

/* A printable VM plus two socket-backed network devices. */
static spawn_input *socket_vm(void)
{
    spawn_input *in = calloc(1, sizeof *in);
    assert_non_null(in);
    in->vm = setup_printable_vm();
    for (int i = 0; i < 2; i++) {
        assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, in->sockets[i]), 0);
        vf_virtio_net *net = vf_virtio_net_new(NULL, NULL);
        assert_non_null(net);
        vf_virtio_net_set_socket(net, in->sockets[i][0]);
        assert_int_equal(vf_vm_add_device(in->vm, &net->base, NULL), 0);
    }
    return in;
}

static void *setup_socket_vm(void)
{
    return socket_vm();
}

static void free_socket_vm(spawn_input *in)
{
    vf_cmd_free(in->cmd);
    vf_vm_free(in->vm);
    for (int i = 0; i < 2; i++) {
        close(in->sockets[i][0]);
        close(in->sockets[i][1]);
    }
    free(in);
}

static int run_vm_cmd(void *input, void **result, vf_error *err)
{
    spawn_input *in = input;
    vf_cmd *cmd = NULL;
    int rc = vf_vm_cmd(in->vm, "/usr/local/bin/vfkit", &cmd, err);
    *result = cmd;
    return rc;
}

/* podman appends its own arguments to the command: the argv is rebuilt. */
static int run_vm_cmd_append(void *input, void **result, vf_error *err)
{
    int rc = run_vm_cmd(input, result, err);
    if (rc == VF_OK)
        rc = vf_cmd_append_arg(*result, "--log-level=debug", err);
    return rc;
}

static char *describe_cmd(void *result)
{
    vf_cmd *cmd = result;
    char *argv = join_strv(cmd->argv);
    char *text = malloc(strlen(argv) + 64);
    assert_non_null(text);
    sprintf(text, "%s fds=%zu", argv, cmd->n_fds);
    free(argv);
    return text;
}

static void release_cmd(void *input, void *result)
{
    vf_cmd_free(result);
    free_socket_vm(input);
}

static void *setup_spawn(void)
{
    spawn_input *in = socket_vm();
    assert_int_equal(vf_vm_cmd(in->vm, true_program(), &in->cmd, NULL), 0);
    return in;
}

typedef struct spawned {
    pid_t pid;
} spawned;

static int run_spawn(void *input, void **result, vf_error *err)
{
    spawn_input *in = input;
    vf_spawn_options opts = VF_SPAWN_OPTIONS_INIT;
    opts.stdin_fd = VF_SPAWN_DEVNULL;
    opts.stdout_fd = VF_SPAWN_DEVNULL;
    opts.new_process_group = true;
    pid_t pid = -1;
    int rc = vf_cmd_spawn(in->cmd, &opts, &pid, err);
    if (rc == VF_OK) {
        spawned *child = malloc(sizeof *child);
        assert_non_null(child);
        child->pid = pid;
        *result = child;
    }
    return rc;
}

/* Waits for the child: its exit status is the result. */
static char *describe_spawn(void *result)
{
    spawned *child = result;
    int status = 0;
    assert_int_equal(waitpid(child->pid, &status, 0), child->pid);
    child->pid = -1;
    char text[64];
    snprintf(text, sizeof text, "exited=%d status=%d", WIFEXITED(status), WEXITSTATUS(status));
    return text_copy(text);
}

static void release_spawn(void *input, void *result)
{
    spawned *child = result;
    if (child != NULL && child->pid > 0) {
        int status;
        waitpid(child->pid, &status, 0);
    }
    free(child);
    free_socket_vm(input);
}

/* ---- launchers: krunkit's dialect, release checks ------------------------ */

static vf_launcher launcher_of(const char *text)
{
    vf_launcher l;
    assert_int_equal(vf_launcher_parse(text, &l, NULL), 0);
    return l;
}

/* krunkit's ordering test line, plus the flags it adds later. */
static const char *const krunkit_full[] = {
    "--cpus",
    "4",
    "--memory",
    "2G",
    "--bootloader",
    "efi,variable-store=/Users/user/bootloader,create",
    "--device",
    "virtio-blk,path=/Users/user/root.qcow2,format=qcow2",
    "--device",
    "virtio-rng",
    "--device",
    "virtio-serial,logFilePath=/Users/user/serial.log",
    "--device",
    "virtio-vsock,port=1024,socketURL=/Users/user/vsock1.sock,listen",
    "--device",
    "virtio-net,unixSocketPath=/Users/user/net.sock,mac=00:00:00:00:00:00",
    "--device",
    "virtio-fs,sharedDir=/Users/user/fs,mountTag=guest-dir",
    "--device",
    "virtio-gpu,width=800,height=600",
    "--device",
    "virtio-input,keyboard",
    "--device",
    "virtio-net,type=unixgram,path=/u/n.sock,mac=00:00:00:00:00:01,vfkitMagic=on",
    "--device",
    "virtio-net,type=unixstream,fd=4,mac=00:00:00:00:00:02,offloading=on",
    "--restful-uri",
    "unix:///tmp/krunkit.sock",
    "--gui",
    "--krun-log-level",
    "5",
    "--pidfile",
    "/tmp/krunkit.pid",
    "--oem-string",
    "one",
    "--oem-string",
    "two",
    NULL,
};
static const char *const krunkit_none[] = {
    "-c4", "-m", "512", "--restful-uri=none://", "--nested", "--timesync", "vsockPort=1234", NULL,
};
static const char *const krunkit_tcp[] = {
    "--cpus=1", "--memory=1G", "--restful-uri", "tcp://localhost:8081", NULL,
};
/* Refused: the flag is given twice, after both values were read. */
static const char *const krunkit_twice[] = {
    "-c", "1", "-m", "512", "--restful-uri", "none://", "--restful-uri", "none://", NULL,
};

static int run_krunkit_from_cmdline(void *input, void **result, vf_error *err)
{
    (void)input;
    vf_launcher l = launcher_of("krunkit");
    vf_vm *vm = vf_vm_from_cmdline_for(krunkit_full, &l, err);
    *result = vm;
    return status_of(vm, err);
}

/* The other forms, read one after the other; the result is the last. */
static int run_krunkit_forms(void *input, void **result, vf_error *err)
{
    (void)input;
    vf_launcher l = launcher_of("krunkit");
    const char *const *const forms[] = {krunkit_none, krunkit_tcp};
    for (size_t i = 0; i < 2; i++) {
        vf_vm_free(*result);
        *result = vf_vm_from_cmdline_for(forms[i], &l, err);
        if (*result == NULL)
            return err->code;
    }
    return VF_OK;
}

static int run_krunkit_twice(void *input, void **result, vf_error *err)
{
    (void)input;
    vf_launcher l = launcher_of("krunkit");
    vf_vm *vm = vf_vm_from_cmdline_for(krunkit_twice, &l, err);
    *result = vm;
    return status_of(vm, err);
}

static void *setup_krunkit_vm(void)
{
    vf_launcher l = launcher_of("krunkit");
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_cmdline_for(krunkit_full, &l, &err);
    assert_non_null(vm);
    vm->nested = true;
    /* A value clap would take for a flag is printed attached, --pidfile=-x. */
    assert_int_equal(vf_vm_set_pidfile(vm, "-vm.pid", &err), 0);
    vf_timesync *ts = vf_timesync_new(1234);
    assert_non_null(ts);
    vf_vm_set_timesync(vm, ts);
    return vm;
}

static int run_krunkit_to_cmdline(void *input, void **result, vf_error *err)
{
    vf_launcher l = launcher_of("krunkit");
    char **argv = vf_vm_to_cmdline_for(input, &l, err);
    *result = argv;
    return status_of(argv, err);
}

/* Every problem as "device: message" lines, in the test's own memory. */
static void collect_problem(const vf_launcher_problem *problem, void *ctx)
{
    char line[512];
    snprintf(line, sizeof line, "%ld: %s", problem->device, problem->message);
    append_line(ctx, text_copy(line));
}

static int check_against(void *vm, const char *launcher, void **result, vf_error *err)
{
    vf_launcher l = launcher_of(launcher);
    char *all = text_copy("");
    *result = all;
    int n = vf_vm_check_launcher(vm, &l, collect_problem, result, err);
    return n < 0 ? n : VF_OK;
}

static int run_check_krunkit(void *input, void **result, vf_error *err)
{
    return check_against(input, "krunkit@0.1.0", result, err);
}

static int run_check_old_vfkit(void *input, void **result, vf_error *err)
{
    return check_against(input, "vfkit@0.5.0", result, err);
}

/* ---- the launch setters and the lossy UTF-8 writer ------------------------- */

static int run_launch_setters(void *input, void **result, vf_error *err)
{
    (void)result;
    static const char *const files[] = {"user-data", "meta-data", NULL};
    int rc = vf_vm_set_pidfile(input, "/tmp/vfkit.pid", err);
    if (rc == VF_OK)
        rc = vf_vm_set_cloud_init(input, files, err);
    if (rc == VF_OK && vf_vm_set_log_file(input, "/tmp/vfkit.log") != VF_OK)
        rc = nomem(err, "vf_vm_set_log_file");
    if (rc == VF_OK && vf_vm_set_firmware_path(input, "/opt/edk2.fd") != VF_OK)
        rc = nomem(err, "vf_vm_set_firmware_path");
    return rc;
}

static char *describe_launch_setters(void *result)
{
    (void)result;
    char *all = describe_vm(changed_vm);
    char line[512];
    snprintf(line, sizeof line, "log=%s firmware=%s", changed_vm->log_file,
             changed_vm->firmware_path);
    append_line(&all, text_copy(line));
    return all;
}

static void *setup_invalid_utf8_vm(void)
{
    vf_vm *vm = vf_vm_new(1, 512, NULL);
    assert_non_null(vm);
    vf_virtio_fs *fs = vf_virtio_fs_new("/bad\xff\xfe name \xc3", "tag");
    assert_non_null(fs);
    assert_int_equal(vf_vm_add_device(vm, &fs->base, NULL), 0);
    return vm;
}

static int run_to_json_lossy(void *input, void **result, vf_error *err)
{
    char *json = vf_vm_to_json_ex(input, VF_JSON_LOSSY_UTF8, err);
    *result = json;
    return status_of(json, err);
}

/* Always refused, but after the tree was built with U+FFFD in place of the
 * bad bytes: the replacement allocates too. */
static int run_to_json_value_refused(void *input, void **result, vf_error *err)
{
    json_t *value = vf_vm_to_json_value(input, err);
    *result = value;
    return status_of(value, err);
}

static void release_json_value(void *input, void *result)
{
    vf_vm_free(input);
    json_decref(result);
}

/* ---- lifecycle: ready socket, Ignition server, process handle ------------- */

typedef struct lifecycle_result {
    vf_ready *ready;
    vf_ignition_server *ignition;
} lifecycle_result;

/* Both helpers on one VM; the result is the VM they changed and both
 * socket paths. A failure must leave the VM as it was. */
static int run_ready_and_ignition(void *input, void **result, vf_error *err)
{
    lifecycle_result *r = calloc(1, sizeof *r);
    assert_non_null(r);
    *result = r;
    int rc = vf_ready_listen(input, VF_READY_VSOCK_PORT, "ready.sock", &r->ready, err);
    if (rc == VF_OK)
        rc = vf_ignition_server_new(input, "ign.json", "ign.sock", &r->ignition, err);
    return rc;
}

static char *describe_ready_and_ignition(void *result)
{
    lifecycle_result *r = result;
    char *all = describe_vm(changed_vm);
    append_line(&all, text_copy(vf_ready_socket_path(r->ready)));
    return all;
}

static void release_ready_and_ignition(void *input, void *result)
{
    lifecycle_result *r = result;
    if (r != NULL) {
        vf_ignition_server_free(r->ignition);
        vf_ready_free(r->ready);
        free(r);
    }
    vf_vm_free(input);
}

typedef struct process_input {
    pid_t child;
    vf_process *proc;
    vf_process *again;
} process_input;

/* A child running sleep, the launcher the handles are checked against. */
static void *setup_sleeping_child(void)
{
    process_input *in = calloc(1, sizeof *in);
    assert_non_null(in);
    in->child = fork();
    assert_true(in->child >= 0);
    if (in->child == 0) {
        execl("/bin/sleep", "sleep", "60", (char *)NULL);
        _exit(127);
    }
    /* Until exec has happened the child runs this program, not sleep. */
    for (int i = 0; i < 500; i++) {
        vf_process *probe = NULL;
        if (vf_process_attach(in->child, "sleep", &probe, NULL) == VF_OK) {
            vf_process_free(probe);
            return in;
        }
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    fail_msg("the child did not exec sleep");
    return in;
}

/* Attach, write its pidfile, find it again from the pidfile. */
static int run_process_handles(void *input, void **result, vf_error *err)
{
    process_input *in = input;
    *result = in;
    int rc = vf_process_attach(in->child, "sleep", &in->proc, err);
    if (rc == VF_OK)
        rc = vf_process_write_pidfile(in->proc, "child.pid", err);
    if (rc == VF_OK)
        rc = vf_process_from_pidfile("child.pid", "sleep", false, &in->again, err);
    return rc;
}

static char *describe_process_handles(void *result)
{
    process_input *in = result;
    char text[128];
    snprintf(text, sizeof text, "same=%d launcher=%s child=%d",
             vf_process_pid(in->again) == in->child, vf_process_launcher(in->again),
             vf_process_is_child(in->proc));
    return text_copy(text);
}

static void release_process_handles(void *input, void *result)
{
    (void)result;
    process_input *in = input;
    vf_process_free(in->proc);
    vf_process_free(in->again);
    unlink("child.pid");
    kill(in->child, SIGKILL);
    int status;
    waitpid(in->child, &status, 0);
    free(in);
}

/* ---- the scenario table ----------------------------------------------------- */

static scenario scenarios[] = {
    {"add_devices_from_cmdline", setup_empty_vm, run_add_devices, describe_changed_vm, release_vm},
    {"device_from_cmdline", NULL, run_device_from_cmdline, describe_device_list,
     release_device_list},
    {"device_from_cmdline_invalid", NULL, run_device_from_cmdline_invalid, NULL, release_nothing},
    {"bootloader_from_cmdline", NULL, run_bootloader_from_cmdline, describe_bootloader_list,
     release_bootloader_list},
    {"timesync_ignition_from_cmdline", setup_empty_vm, run_timesync_ignition, describe_changed_vm,
     release_vm},
    {"options_split", NULL, run_split, describe_string, release_string},
    {"vm_from_cmdline", NULL, run_vm_from_cmdline, describe_vm, release_vm},
    {"vm_from_cmdline_linux", NULL, run_vm_from_cmdline_linux, describe_vm, release_vm},
    {"vm_from_json_reference", setup_reference_json, run_vm_from_json, describe_vm,
     release_json_input},
    {"vm_from_json_buffer", setup_reference_json, run_vm_from_json_buffer, describe_vm,
     release_json_input},
    {"vm_from_json_own", setup_own_json, run_vm_from_json, describe_vm, release_own_json},
    {"components_json", setup_printable_vm_macos, run_components_json, describe_string,
     release_input_vm_string},
    {"timesync_ignition_json", NULL, run_timesync_ignition_json, describe_string, release_string},
    {"vm_to_cmdline_efi", setup_printable_vm, run_to_cmdline, describe_strv, release_strv},
    {"vm_to_cmdline_linux", setup_printable_vm_linux, run_to_cmdline, describe_strv, release_strv},
    {"vm_to_cmdline_macos", setup_printable_vm_macos, run_to_cmdline, describe_strv, release_strv},
    {"vm_to_json", setup_rich_vm, run_to_json, describe_string, release_string},
    {"vm_to_json_pretty", setup_printable_vm_linux, run_to_json_pretty, describe_string,
     release_string},
    {"vm_to_json_value", setup_rich_vm, run_to_json_value, describe_vm, release_input_and_vm},
    {"vm_clone", setup_rich_vm, run_clone, describe_vm, release_input_and_vm},
    {"vm_clone_launch_flags", setup_printable_vm, run_clone, describe_vm, release_input_and_vm},
    {"components_to_cmdline_efi", setup_printable_vm, run_components_to_cmdline, describe_string,
     release_input_vm_string},
    {"components_to_cmdline_macos", setup_printable_vm_macos, run_components_to_cmdline,
     describe_string, release_input_vm_string},
    {"components_to_cmdline_linux", setup_printable_vm_linux, run_components_to_cmdline,
     describe_string, release_input_vm_string},
    {"build_by_api", NULL, run_build_by_api, describe_vm, release_result_vm},
    {"vm_cmd", setup_socket_vm, run_vm_cmd, describe_cmd, release_cmd},
    {"vm_cmd_append_arg", setup_socket_vm, run_vm_cmd_append, describe_cmd, release_cmd},
    {"spawn", setup_spawn, run_spawn, describe_spawn, release_spawn},
    {"krunkit_from_cmdline", NULL, run_krunkit_from_cmdline, describe_vm, release_vm},
    {"krunkit_from_cmdline_forms", NULL, run_krunkit_forms, describe_vm, release_vm},
    {"krunkit_from_cmdline_refused", NULL, run_krunkit_twice, NULL, release_vm},
    {"krunkit_to_cmdline", setup_krunkit_vm, run_krunkit_to_cmdline, describe_strv, release_strv},
    {"check_launcher_krunkit", setup_printable_vm, run_check_krunkit, describe_string,
     release_string},
    {"check_launcher_old_vfkit", setup_printable_vm, run_check_old_vfkit, describe_string,
     release_string},
    {"launch_setters", setup_empty_vm, run_launch_setters, describe_launch_setters, release_vm},
    {"vm_to_json_lossy", setup_invalid_utf8_vm, run_to_json_lossy, describe_string, release_string},
    {"vm_to_json_value_refused", setup_invalid_utf8_vm, run_to_json_value_refused, NULL,
     release_json_value},
    {"ready_and_ignition", setup_empty_vm, run_ready_and_ignition, describe_ready_and_ignition,
     release_ready_and_ignition},
    {"process_handles", setup_sleeping_child, run_process_handles, describe_process_handles,
     release_process_handles},
};

/* ---- the driver --------------------------------------------------------------- */

typedef struct outcome {
    int status;
    vf_error err;
    char *text; /* describe() of a success, the error text of a failure */
} outcome;

/* One run of s with the hook armed at n (0: not armed). Returns how many
 * allocations the hook refused. */
static unsigned long run_once(const scenario *s, unsigned long n, bool every_later, outcome *out,
                              unsigned long *allocations)
{
    int fds_before = count_open_fds();
    void *input = s->setup != NULL ? s->setup() : NULL;
    void *result = NULL;
    vf_error err = {0};

    vf_test_alloc_arm(n, every_later);
    int status = s->run(input, &result, &err);
    vf_test_alloc_disarm();
    unsigned long refused = vf_test_alloc_failures();
    if (allocations != NULL)
        *allocations = vf_test_alloc_count();

    out->status = status;
    out->err = err;
    if (status == VF_OK)
        out->text = s->describe != NULL ? s->describe(result) : text_copy("");
    else
        out->text = text_copy(err.text);
    s->release(input, result);
    if (count_open_fds() != fds_before)
        fail_msg("%s: descriptors leaked with allocation %lu failing", s->name, n);
    return refused;
}

/* Fails the test when got is neither VF_ERR_NOMEM nor the undisturbed
 * outcome. Frees got->text either way. */
static void check_outcome(const scenario *s, unsigned long n, bool every_later, const outcome *want,
                          outcome *got)
{
    const char *mode = every_later ? "and every later one" : "alone";
    char problem[1024] = "";
    if (got->status == VF_ERR_NOMEM) {
        if (got->err.code != VF_ERR_NOMEM || got->err.text[0] == '\0')
            snprintf(problem, sizeof problem, "VF_ERR_NOMEM returned but err is {%d, \"%s\"}",
                     got->err.code, got->err.text);
    } else if (got->status != want->status || strcmp(got->text, want->text) != 0) {
        /* The failure was absorbed: the outcome must be the undisturbed one. */
        snprintf(problem, sizeof problem,
                 "status %d \"%.300s\";\n  expected VF_ERR_NOMEM or the undisturbed status %d "
                 "\"%.300s\"",
                 got->status, got->text, want->status, want->text);
    }
    free(got->text);
    got->text = NULL;
    if (problem[0] != '\0')
        fail_msg("%s: allocation %lu failing (%s): %s", s->name, n, mode, problem);
}

/* The undisturbed outcome of the scenario running; kept here so that a
 * failing check (which leaves the test by longjmp) does not leak it. */
static outcome want;

static void test_scenario(void **state)
{
    const scenario *s = *state;
    unsigned long total = 0;
    free(want.text);
    want.text = NULL;
    assert_int_equal(run_once(s, 0, false, &want, &total), 0);
    if (s->describe != NULL && want.status != VF_OK)
        fail_msg("%s: fails without injected failures: %d \"%s\"", s->name, want.status, want.text);

    unsigned long runs = 0;
    for (int pass = 0; pass < 2; pass++) {
        bool every_later = pass == 1;
        for (unsigned long n = 1;; n++) {
            outcome got;
            unsigned long refused = run_once(s, n, every_later, &got, NULL);
            runs++;
            if (refused == 0) {
                /* n is past the operation's last allocation. */
                bool same = got.status == want.status && strcmp(got.text, want.text) == 0;
                free(got.text);
                if (!same || n <= total)
                    fail_msg("%s: outcome changed with no allocation failing", s->name);
                break;
            }
            check_outcome(s, n, every_later, &want, &got);
        }
    }
    free(want.text);
    want.text = NULL;
    print_message("%-32s %6lu allocations, %6lu runs with a failing allocation\n", s->name, total,
                  runs - 2);
}

/* jansson's allocations count and fail like the library's. */
static void *counted_malloc(size_t size)
{
    return vf_test_alloc_should_fail() ? NULL : malloc(size);
}

int main(void)
{
    json_set_alloc_funcs(counted_malloc, free);
    write_fixtures();

    struct CMUnitTest tests[sizeof scenarios / sizeof scenarios[0]];
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        struct CMUnitTest t = {scenarios[i].name, test_scenario, NULL, NULL, &scenarios[i]};
        tests[i] = t;
    }
    int failed =
        _cmocka_run_group_tests("alloc_failure", tests, sizeof tests / sizeof tests[0], NULL, NULL);
    free(want.text);
    return failed;
}
