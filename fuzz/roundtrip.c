/*
 * libvfconfig - the round-trip checker the fuzz targets share.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Whatever the library accepts, it must be able to write and read back:
 * JSON exactly, command lines up to the normalisations vfkit itself applies
 * (listed in normalize_*() below, each one the reference's documented
 * behaviour). Anything else is a finding: the checker prints what differs
 * and aborts, which libFuzzer records as a crash.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "fuzz.h"

#define MIB ((uint64_t)1 << 20)
#define NS_PER_MS INT64_C(1000000)
#define NBD_DEFAULT_TIMEOUT_NS (INT64_C(15000) * NS_PER_MS)

void vf_fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("finding: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

/* ---- fixtures ------------------------------------------------------------ */

static char fixture_dir[64];
static const char *const fixture_names[] = {"disk.img", "q.qcow2", "empty.img", "short.img"};

static void write_fixture(const char *name, const char *bytes, size_t len)
{
    FILE *f = fopen(name, "wb");
    if (f == NULL || fwrite(bytes, 1, len, f) != len || fclose(f) != 0)
        vf_fuzz_fail("cannot write fixture %s: %s", name, strerror(errno));
}

static pid_t fixture_owner; /* forked children must not remove it */

static void remove_fixture_dir(void)
{
    if (fixture_dir[0] == '\0' || getpid() != fixture_owner || chdir(fixture_dir) != 0)
        return;
    for (size_t i = 0; i < sizeof fixture_names / sizeof fixture_names[0]; i++)
        unlink(fixture_names[i]);
    if (chdir("/") == 0)
        rmdir(fixture_dir);
}

void vf_fuzz_enter_fixture_dir(void)
{
    if (fixture_dir[0] != '\0')
        return;
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] == '\0' || strlen(tmp) > sizeof fixture_dir - 20)
        tmp = "/tmp";
    snprintf(fixture_dir, sizeof fixture_dir, "%s/vf-fuzz-XXXXXX", tmp);
    if (mkdtemp(fixture_dir) == NULL || chdir(fixture_dir) != 0)
        vf_fuzz_fail("cannot make a fixture folder in %s: %s", tmp, strerror(errno));
    write_fixture("disk.img", "RAW-DISK-IMAGE", 14);
    write_fixture("q.qcow2", "QFI\xfb\x00\x00\x00\x03", 8);
    write_fixture("empty.img", "", 0);
    write_fixture("short.img", "ab", 2);
    fixture_owner = getpid();
    atexit(remove_fixture_dir);
}

/* ---- small helpers --------------------------------------------------------- */

char *vf_fuzz_string(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t len = nul != NULL ? (size_t)(nul - data) : size;
    char *s = malloc(len + 1);
    if (s == NULL)
        abort();
    memcpy(s, data, len);
    s[len] = '\0';
    return s;
}

char **vf_fuzz_split_nul(const uint8_t *data, size_t size, size_t *count)
{
    size_t n = 0;
    for (size_t i = 0; i < size; i++)
        n += data[i] == 0;
    if (size > 0 && data[size - 1] != 0)
        n++; /* the last string has no terminator in data */
    char **argv = malloc((n + 1) * sizeof *argv + size + 1);
    if (argv == NULL)
        abort();
    char *bytes = (char *)(argv + n + 1);
    if (size > 0)
        memcpy(bytes, data, size);
    bytes[size] = '\0';
    size_t k = 0;
    for (size_t start = 0; k < n; k++) {
        argv[k] = bytes + start;
        start += strlen(bytes + start) + 1;
    }
    argv[n] = NULL;
    *count = n;
    return argv;
}

bool vf_fuzz_accepted(const char *call, const void *result, const vf_error *err)
{
    if (result == NULL)
        vf_fuzz_check_error(call, err->code, err);
    return result != NULL;
}

void vf_fuzz_check_error(const char *call, int code, const vf_error *err)
{
    if (code >= 0 || code < VF_ERR_TIMEOUT)
        vf_fuzz_fail("%s failed with code %d, not a vf_status", call, code);
    if (err->code != code)
        vf_fuzz_fail("%s returned %d but err->code is %d (\"%s\")", call, code, err->code,
                     err->text);
    if (memchr(err->text, 0, sizeof err->text) == NULL || err->text[0] == '\0')
        vf_fuzz_fail("%s failed (%d) without a message", call, code);
    if (code == VF_ERR_NOMEM)
        vf_fuzz_fail("%s ran out of memory on a small input: %s", call, err->text);
}

bool vf_fuzz_strv_equal(char *const *a, char *const *b)
{
    size_t i = 0;
    for (; a[i] != NULL && b[i] != NULL; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return a[i] == NULL && b[i] == NULL;
}

static void print_strv(const char *label, char *const *strv)
{
    fprintf(stderr, "  %s:", label);
    for (size_t i = 0; strv != NULL && strv[i] != NULL; i++)
        fprintf(stderr, " [%s]", strv[i]);
    fputc('\n', stderr);
}

static void expect_same_strv(const char *what, char *const *want, char *const *got)
{
    if (vf_fuzz_strv_equal(want, got))
        return;
    print_strv("expected", want);
    print_strv("got     ", got);
    vf_fuzz_fail("%s differ", what);
}

static void expect_same_text(const char *what, const char *want, const char *got)
{
    if (strcmp(want, got) == 0)
        return;
    fprintf(stderr, "  expected: %s\n  got     : %s\n", want, got);
    vf_fuzz_fail("%s differ", what);
}

/* Writers succeed on every object the library holds. */
static char *written(const char *call, char *json, const vf_error *err)
{
    if (json == NULL)
        vf_fuzz_fail("%s failed: %d %s", call, err->code, err->text);
    return json;
}

/* The checks compare Go's lossy text (a string that is not UTF-8 written
 * with U+FFFD); check_strict_json() checks the default, which refuses it. */
static char *device_json(const vf_device *dev, unsigned flags)
{
    vf_error err = {0};
    return written("vf_device_to_json", vf_device_to_json(dev, flags | VF_JSON_LOSSY_UTF8, &err),
                   &err);
}

static char *bootloader_json(const vf_bootloader *bl, unsigned flags)
{
    vf_error err = {0};
    return written("vf_bootloader_to_json",
                   vf_bootloader_to_json(bl, flags | VF_JSON_LOSSY_UTF8, &err), &err);
}

static char *vm_json(const vf_vm *vm, unsigned flags)
{
    vf_error err = {0};
    return written("vf_vm_to_json_ex", vf_vm_to_json_ex(vm, flags | VF_JSON_LOSSY_UTF8, &err),
                   &err);
}

/* Without VF_JSON_LOSSY_UTF8 a writer gives the same text, or refuses a
 * string that is not UTF-8 (the only thing the flag changes), naming it. */
static void check_strict_json(const char *call, const char *lossy, char *strict,
                              const vf_error *err)
{
    if (strict != NULL) {
        expect_same_text("JSON written with and without VF_JSON_LOSSY_UTF8", lossy, strict);
        free(strict);
        return;
    }
    vf_fuzz_check_error(call, err->code, err);
    if (err->code != VF_ERR_INVALID || strstr(err->text, "UTF-8") == NULL)
        vf_fuzz_fail("%s refuses without naming UTF-8: %s", call, err->text);
    if (strstr(lossy, "\\ufffd") == NULL)
        vf_fuzz_fail("%s refuses UTF-8 where the lossy text holds no U+FFFD: %s", call, lossy);
}

/* ---- normalisations: how vfkit reads back what the reference prints ------- */

/* nbd: the timeout is printed in whole milliseconds and only when positive
 * (vfkit then uses its 15 s default); the sync mode only when it is "full"
 * or "none" (vfkit's default is "full"). virtio-net: vfkitMagic only means
 * something with a unix socket path. virtio-gpu: the window is the --gui
 * flag, not part of the --device value (see normalize_vm). virtio-serial:
 * the pty's name is vfkit's answer in /vm/inspect, never printed. */
static void normalize_device(vf_device *dev, bool keep_gui)
{
    vf_network_block_device *nbd = vf_device_as_network_block_device(dev);
    if (nbd != NULL) {
        int64_t ms = nbd->timeout_ns / NS_PER_MS;
        nbd->timeout_ns = ms > 0 ? ms * NS_PER_MS : NBD_DEFAULT_TIMEOUT_NS;
        const char *mode = nbd->synchronization_mode;
        if (mode == NULL ||
            (strcmp(mode, VF_NBD_SYNC_FULL) != 0 && strcmp(mode, VF_NBD_SYNC_NONE) != 0)) {
            /* Same length or shorter: reuse the owned buffer when there is one. */
            free(nbd->synchronization_mode);
            nbd->synchronization_mode = strdup(VF_NBD_SYNC_FULL);
            if (nbd->synchronization_mode == NULL)
                abort();
        }
    }
    vf_virtio_net *net = vf_device_as_virtio_net(dev);
    if (net != NULL && (net->unix_socket_path == NULL || net->unix_socket_path[0] == '\0'))
        net->vfkit_magic = false;
    vf_virtio_gpu *gpu = vf_device_as_virtio_gpu(dev);
    if (gpu != NULL && !keep_gui)
        gpu->uses_gui = false;
    vf_virtio_serial *serial = vf_device_as_virtio_serial(dev);
    if (serial != NULL) {
        free(serial->pty_name);
        serial->pty_name = NULL;
    }
}

/* A GPU with a window prints --gui. vfkit then adds a keyboard when the VM
 * has no input device (the reference's main.go). It gives the window to the
 * first GPU: a VM where another GPU has it must not print at all. */
static void normalize_gui(vf_vm *vm)
{
    bool gui = false, input = false;
    for (size_t i = 0; i < vm->n_devices; i++) {
        vf_virtio_gpu *gpu = vf_device_as_virtio_gpu(vm->devices[i]);
        gui = gui || (gpu != NULL && gpu->uses_gui);
        input = input || vf_device_as_virtio_input(vm->devices[i]) != NULL;
    }
    if (!gui)
        return;
    if (!input) {
        vf_virtio_input *keyboard = vf_virtio_input_new("keyboard", NULL);
        if (keyboard == NULL || vf_vm_add_device(vm, &keyboard->base, NULL) != VF_OK)
            abort();
    }
}

/* Whether `mib` MiB is a byte count a uint64_t holds. */
static bool mib_fits(uint64_t mib)
{
    return mib <= UINT64_MAX / MIB;
}

/* vfkit's defaults for what the print leaves out (--cpus 1, --memory 512),
 * memory printed in MiB rounded up, the Ignition socket never printed, an
 * Ignition without a config path printed as `--ignition ""`, which is none. */
static void normalize_vm(vf_vm *vm)
{
    if (vm->vcpus == 0)
        vm->vcpus = 1;
    uint64_t mib = vm->memory_bytes / MIB + (vm->memory_bytes % MIB != 0);
    if (vm->memory_bytes == 0)
        mib = 512;
    vm->memory_bytes = mib * MIB;
    if (vm->ignition != NULL) {
        free(vm->ignition->socket_path);
        vm->ignition->socket_path = NULL;
        /* `--ignition ""` is printed (as the reference does) and means none. */
        if (vm->ignition->config_path == NULL || vm->ignition->config_path[0] == '\0')
            vf_vm_set_ignition(vm, NULL);
    }
    for (size_t i = 0; i < vm->n_devices; i++)
        normalize_device(vm->devices[i], true);
    normalize_gui(vm);
}

/* ---- JSON round trips, the same for every component -------------------- */

/* A component type seen through void pointers, so one function checks the
 * JSON round trip of devices, bootloaders and VMs alike. */
typedef struct component_ops component_ops;
struct component_ops {
    const char *name;
    char *(*to_json)(const void *obj, unsigned flags);
    void *(*from_json)(const char *json, vf_error *err);
    void *(*clone)(const void *obj);
    void (*release)(void *obj);
    /* What reading the JSON back changes (the reference's reader rules). */
    void (*normalize_reading)(void *obj);
    /* The same through jansson values (json.h's *_value functions). */
    json_t *(*to_value)(const void *obj, vf_error *err);
    void *(*from_value)(const json_t *value, vf_error *err);
    /* The compact JSON with the writer's default, which refuses non-UTF-8. */
    char *(*to_json_strict)(const void *obj, vf_error *err);
};

/*
 * Reading JSON, vfkitMagic is dropped without a unix socket path, as the
 * reference's reader does. With a path the library writes a false value
 * explicitly (docs/design.md, difference 9), so it reads back as it was,
 * and so does "nested" (difference 8).
 */
static void normalize_device_reading(void *obj)
{
    vf_virtio_net *net = vf_device_as_virtio_net(obj);
    if (net != NULL && (net->unix_socket_path == NULL || net->unix_socket_path[0] == '\0'))
        net->vfkit_magic = false;
}

static void normalize_vm_reading(void *obj)
{
    vf_vm *vm = obj;
    for (size_t i = 0; i < vm->n_devices; i++)
        normalize_device_reading(vm->devices[i]);
}

static void normalize_nothing(void *obj)
{
    (void)obj;
}

static char *device_to_json(const void *obj, unsigned flags)
{
    return device_json(obj, flags);
}
static void *device_from_json(const char *json, vf_error *err)
{
    return vf_device_from_json_ex(json, VF_JSON_ALLOW_FD, err); /* saved by this process */
}
static void *device_clone(const void *obj)
{
    return vf_device_clone(obj);
}
static void device_release(void *obj)
{
    vf_device_free(obj);
}
static json_t *device_to_value(const void *obj, vf_error *err)
{
    return vf_device_to_json_value(obj, err);
}
static void *device_from_value(const json_t *v, vf_error *err)
{
    return vf_device_from_json_value_ex(v, VF_JSON_ALLOW_FD, err);
}
static char *device_strict(const void *obj, vf_error *err)
{
    return vf_device_to_json(obj, VF_JSON_COMPACT, err);
}

static char *bootloader_to_json(const void *obj, unsigned flags)
{
    return bootloader_json(obj, flags);
}
static void *bootloader_from_json(const char *json, vf_error *err)
{
    return vf_bootloader_from_json(json, err);
}
static void *bootloader_clone(const void *obj)
{
    return vf_bootloader_clone(obj);
}
static void bootloader_release(void *obj)
{
    vf_bootloader_free(obj);
}
static json_t *bootloader_to_value(const void *obj, vf_error *err)
{
    return vf_bootloader_to_json_value(obj, err);
}
static void *bootloader_from_value(const json_t *v, vf_error *err)
{
    return vf_bootloader_from_json_value(v, err);
}
static char *bootloader_strict(const void *obj, vf_error *err)
{
    return vf_bootloader_to_json(obj, VF_JSON_COMPACT, err);
}

static char *vm_to_json(const void *obj, unsigned flags)
{
    return vm_json(obj, flags);
}
static void *vm_from_json(const char *json, vf_error *err)
{
    return vf_vm_from_json_ex(json, VF_JSON_ALLOW_FD, err);
}
static void *vm_clone(const void *obj)
{
    return vf_vm_clone(obj);
}
static void vm_release(void *obj)
{
    vf_vm_free(obj);
}
static json_t *vm_to_value(const void *obj, vf_error *err)
{
    return vf_vm_to_json_value(obj, err);
}
static void *vm_from_value(const json_t *v, vf_error *err)
{
    return vf_vm_from_json_value_ex(v, VF_JSON_ALLOW_FD, err);
}
static char *vm_strict(const void *obj, vf_error *err)
{
    return vf_vm_to_json(obj, err);
}

static const component_ops device_ops = {
    "device",        device_to_json,    device_from_json,
    device_clone,    device_release,    normalize_device_reading,
    device_to_value, device_from_value, device_strict};
static const component_ops bootloader_ops = {
    "bootloader",        bootloader_to_json,    bootloader_from_json,
    bootloader_clone,    bootloader_release,    normalize_nothing,
    bootloader_to_value, bootloader_from_value, bootloader_strict};
static const component_ops vm_ops = {"VM",        vm_to_json,    vm_from_json,
                                     vm_clone,    vm_release,    normalize_vm_reading,
                                     vm_to_value, vm_from_value, vm_strict};

/* Go's writer turns each byte of invalid UTF-8 into the escape \ufffd, which
 * reads back as the character U+FFFD, written raw the next time. In place:
 * the escape (6 bytes) is longer than the character (3 bytes). */
static void unescape_replacement_chars(char *json)
{
    char *out = json;
    for (const char *in = json; *in != '\0';) {
        if (in[0] == '\\' && strncmp(in + 1, "ufffd", 5) == 0) {
            memcpy(out, "\xef\xbf\xbd", 3);
            out += 3;
            in += 6;
        } else if (in[0] == '\\' && in[1] != '\0') {
            *out++ = *in++; /* an escape: its second byte is never a backslash that starts one */
            *out++ = *in++;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
}

/* The object as a jansson value reads back as `want` too. Only a number
 * jansson cannot hold (over INT64_MAX) may keep it from becoming a value. */
static void check_value_round_trip(const component_ops *ops, const void *obj, const char *want)
{
    vf_error err = {0};
    json_t *value = ops->to_value(obj, &err);
    if (value == NULL) {
        vf_fuzz_check_error("a *_to_json_value function", err.code, &err);
        bool not_utf8 = err.code == VF_ERR_INVALID && strstr(err.text, "UTF-8") != NULL;
        if (err.code != VF_ERR_LIMIT && !not_utf8)
            vf_fuzz_fail("the %s cannot become a jansson value: %s", ops->name, err.text);
        return;
    }
    void *back = ops->from_value(value, &err);
    json_decref(value);
    if (back == NULL)
        vf_fuzz_fail("the %s's own jansson value is refused: %s", ops->name, err.text);
    char *again = ops->to_json(back, VF_JSON_COMPACT);
    expect_same_text("JSON written as a jansson value, read and written again", want, again);
    free(again);
    ops->release(back);
}

/* The clone writes the same JSON; the JSON (compact and pretty, and as a
 * jansson value) reads back as the same object, up to the reader's rules. */
static void check_json_round_trip(const component_ops *ops, const void *obj)
{
    char *json = ops->to_json(obj, VF_JSON_COMPACT);
    vf_error strict_err = {0};
    check_strict_json(ops->name, json, ops->to_json_strict(obj, &strict_err), &strict_err);
    void *copy = ops->clone(obj);
    if (copy == NULL)
        vf_fuzz_fail("cloning a %s failed", ops->name);
    char *copy_json = ops->to_json(copy, VF_JSON_COMPACT);
    expect_same_text("JSON of an object and of its clone", json, copy_json);
    ops->normalize_reading(copy);
    char *want = ops->to_json(copy, VF_JSON_COMPACT);
    unescape_replacement_chars(want);
    ops->release(copy);

    for (unsigned flags = VF_JSON_COMPACT; flags <= VF_JSON_PRETTY; flags++) {
        char *text = flags == VF_JSON_COMPACT ? json : ops->to_json(obj, flags);
        vf_error err = {0};
        void *back = ops->from_json(text, &err);
        if (back == NULL)
            vf_fuzz_fail("the %s's own JSON is refused: %s\n  JSON: %s", ops->name, err.text, text);
        char *again = ops->to_json(back, VF_JSON_COMPACT);
        if (strcmp(want, again) != 0) {
            fprintf(stderr, "  written: %s\n", text);
            expect_same_text("JSON written, read and written again", want, again);
        }
        free(again);
        if (text != json)
            free(text);
        ops->release(back);
    }
    check_value_round_trip(ops, obj, want);
    free(want);
    free(copy_json);
    free(json);
}

/* ---- devices ------------------------------------------------------------ */

/* Reading back a printed value may be refused only for objects from JSON,
 * and only with an error a user can act on. */
static bool refusal_allowed(vf_fuzz_origin origin, const char *call, int code, const vf_error *err)
{
    vf_fuzz_check_error(call, code, err);
    return origin == VF_FUZZ_FROM_JSON &&
           (code == VF_ERR_INVALID || code == VF_ERR_IO || code == VF_ERR_UNSUPPORTED);
}

/* The value printed for dev reads back as dev (normalised), and printing
 * what was read gives the same value again (or, when normalising changed
 * the device, a value that reads back the same). */
static void check_device_value(const vf_device *dev, const char *value, vf_fuzz_origin origin)
{
    vf_error err = {0};
    vf_device *back = vf_device_from_cmdline(value, &err);
    if (back == NULL) {
        if (refusal_allowed(origin, "vf_device_from_cmdline", err.code, &err))
            return;
        vf_fuzz_fail("printed --device value \"%s\" is refused: %s", value, err.text);
    }
    vf_device *want = vf_device_clone(dev);
    if (want == NULL)
        abort();
    normalize_device(want, false);
    char *dev_json = device_json(dev, VF_JSON_COMPACT);
    char *want_json = device_json(want, VF_JSON_COMPACT);
    char *got_json = device_json(back, VF_JSON_COMPACT);
    if (strcmp(want_json, got_json) != 0) {
        fprintf(stderr, "  printed value: %s\n", value);
        expect_same_text("device read back from its --device value", want_json, got_json);
    }

    char **again = vf_device_to_cmdline(back, &err);
    if (again == NULL)
        vf_fuzz_fail("the device read back from \"%s\" cannot be printed: %s", value, err.text);
    if (strcmp(dev_json, want_json) == 0) {
        expect_same_text("--device value printed, read and printed again", value, again[1]);
    } else {
        vf_device *third = vf_device_from_cmdline(again[1], &err);
        if (third == NULL)
            vf_fuzz_fail("second print \"%s\" is refused: %s", again[1], err.text);
        char *third_json = device_json(third, VF_JSON_COMPACT);
        expect_same_text("device after a second round trip", want_json, third_json);
        free(third_json);
        vf_device_free(third);
    }
    vf_strv_free(again);
    free(dev_json);
    free(want_json);
    free(got_json);
    vf_device_free(want);
    vf_device_free(back);
}

void vf_fuzz_check_device(const vf_device *dev, vf_fuzz_origin origin)
{
    vf_error err = {0};
    check_json_round_trip(&device_ops, dev);

    char **argv = vf_device_to_cmdline(dev, &err);
    if (argv == NULL) {
        vf_fuzz_check_error("vf_device_to_cmdline", err.code, &err);
        if (origin == VF_FUZZ_FROM_CMDLINE && err.code == VF_ERR_AMBIGUOUS)
            vf_fuzz_fail("a device read from a --device value cannot be printed back: %s",
                         err.text);
    } else {
        if (vf_strv_length(argv) != 2 || strcmp(argv[0], "--device") != 0)
            print_strv("argv", argv), vf_fuzz_fail("vf_device_to_cmdline: not --device VALUE");
        check_device_value(dev, argv[1], origin);
        vf_strv_free(argv);
    }
}

/* ---- bootloaders ----------------------------------------------------------- */

/* A VM around a copy of bl, for the checks that need a whole command line. */
static vf_vm *vm_with_bootloader(const vf_bootloader *bl)
{
    vf_bootloader *copy = vf_bootloader_clone(bl);
    if (copy == NULL)
        abort();
    vf_vm *vm = vf_vm_new(1, 512, copy);
    if (vm == NULL)
        abort();
    return vm;
}

void vf_fuzz_check_bootloader(const vf_bootloader *bl, vf_fuzz_origin origin)
{
    vf_error err = {0};
    check_json_round_trip(&bootloader_ops, bl);
    char *json = bootloader_json(bl, VF_JSON_COMPACT);

    char **argv = vf_bootloader_to_cmdline(bl, &err);
    if (argv == NULL) {
        vf_fuzz_check_error("vf_bootloader_to_cmdline", err.code, &err);
    } else if (strcmp(argv[0], "--bootloader") == 0) {
        if (vf_strv_length(argv) != 2)
            print_strv("argv", argv), vf_fuzz_fail("vf_bootloader_to_cmdline: extra arguments");
        vf_bootloader *back = vf_bootloader_from_cmdline(argv[1], &err);
        if (back == NULL)
            vf_fuzz_fail("printed --bootloader value \"%s\" is refused: %s", argv[1], err.text);
        char *back_json = bootloader_json(back, VF_JSON_COMPACT);
        if (strcmp(json, back_json) != 0)
            fprintf(stderr, "  printed value: %s\n", argv[1]);
        expect_same_text("bootloader read back from its --bootloader value", json, back_json);
        char **again = vf_bootloader_to_cmdline(back, &err);
        if (again == NULL)
            vf_fuzz_fail("a bootloader read back from \"%s\" cannot be printed: %s", argv[1],
                         err.text);
        expect_same_strv("--bootloader printed, read and printed again", argv, again);
        vf_strv_free(again);
        free(back_json);
        vf_bootloader_free(back);
    }
    if (argv != NULL) {
        vf_vm *vm = vm_with_bootloader(bl);
        vf_fuzz_check_vm(vm, origin);
        vf_vm_free(vm);
    }
    vf_strv_free(argv);
    free(json);
}

/* ---- whole VMs ----------------------------------------------------------------- */

/* Whether a flag printed by vf_vm_to_cmdline takes the next argument. */
static bool takes_value(const char *flag)
{
    static const char *const bare[] = {"--nested", "--gui"};
    for (size_t i = 0; i < sizeof bare / sizeof bare[0]; i++)
        if (strcmp(flag, bare[i]) == 0)
            return false;
    return true;
}

/* Every --device and --bootloader value of argv reads back as the VM's own. */
static void check_printed_values(const vf_vm *vm, char *const *argv, vf_fuzz_origin origin)
{
    size_t dev = 0;
    for (size_t i = 0; argv[i] != NULL; i++) {
        const char *flag = argv[i];
        if (!takes_value(flag))
            continue;
        const char *value = argv[++i];
        if (value == NULL || strncmp(flag, "--", 2) != 0)
            print_strv("argv", argv), vf_fuzz_fail("\"%s\" is not a flag and its value", flag);
        if (strcmp(flag, "--device") == 0) {
            if (dev >= vm->n_devices)
                print_strv("argv", argv), vf_fuzz_fail("more --device values than devices");
            check_device_value(vm->devices[dev++], value, origin);
        } else if (strcmp(flag, "--bootloader") == 0) {
            vf_error err = {0};
            vf_bootloader *back = vf_bootloader_from_cmdline(value, &err);
            if (back == NULL)
                vf_fuzz_fail("printed --bootloader value \"%s\" is refused: %s", value, err.text);
            char *want = bootloader_json(vm->bootloader, VF_JSON_COMPACT);
            char *got = bootloader_json(back, VF_JSON_COMPACT);
            expect_same_text("bootloader read back from its --bootloader value", want, got);
            free(want);
            free(got);
            vf_bootloader_free(back);
        }
    }
    if (dev != vm->n_devices)
        print_strv("argv", argv),
            vf_fuzz_fail("%zu devices but %zu --device values", vm->n_devices, dev);
}

/* vf_vm_cmd is the path, then to_cmdline with the sockets renumbered. */
static void check_vm_cmd(const vf_vm *vm, char *const *argv)
{
    static const char path[] = "/opt/vfkit/bin/vfkit";
    vf_error err = {0};
    vf_cmd *cmd = NULL;
    int rc = vf_vm_cmd(vm, path, &cmd, &err);
    size_t sockets = 0;
    for (size_t i = 0; i < vm->n_devices; i++) {
        vf_virtio_net *net = vf_device_as_virtio_net(vm->devices[i]);
        sockets += net != NULL && net->socket_fd >= 0;
    }
    if (rc != VF_OK) {
        /* Only the descriptors can be wrong here: they must be open
         * datagram sockets. */
        vf_fuzz_check_error("vf_vm_cmd", rc, &err);
        if (sockets == 0)
            vf_fuzz_fail("vf_vm_cmd fails (%s) where vf_vm_to_cmdline succeeds", err.text);
        return;
    }
    if (cmd->n_fds != sockets)
        vf_fuzz_fail("vf_vm_cmd lists %zu descriptors for %zu socket devices", cmd->n_fds, sockets);
    if (strcmp(cmd->argv[0], path) != 0)
        vf_fuzz_fail("vf_vm_cmd: argv[0] is \"%s\"", cmd->argv[0]);
    if (sockets == 0)
        expect_same_strv("vf_vm_cmd and vf_vm_to_cmdline arguments", argv, cmd->argv + 1);
    else if (vf_strv_length(cmd->argv) != vf_strv_length(argv) + 1)
        vf_fuzz_fail("vf_vm_cmd and vf_vm_to_cmdline differ in length");
    vf_cmd_free(cmd);
}

/* Reading back argv gives `want` (normalised), and its print is a fixed point. */
static void check_vm_cmdline_readback(const vf_vm *vm, char *const *argv, vf_fuzz_origin origin)
{
    vf_error err = {0};
    vf_vm *back = vf_vm_from_cmdline((const char *const *)argv, &err);
    if (back == NULL) {
        if (refusal_allowed(origin, "vf_vm_from_cmdline", err.code, &err))
            return;
        print_strv("argv", argv);
        vf_fuzz_fail("the VM's printed command line is refused: %s", err.text);
    }

    vf_vm *want = vf_vm_clone(vm);
    if (want == NULL)
        abort();
    uint64_t mib = vm->memory_bytes / MIB + (vm->memory_bytes % MIB != 0);
    if (!mib_fits(mib))
        vf_fuzz_fail("memory of %llu bytes printed as a number of MiB vfkit overflows",
                     (unsigned long long)vm->memory_bytes);
    normalize_vm(want);
    char *want_json = vm_json(want, VF_JSON_COMPACT);
    char *got_json = vm_json(back, VF_JSON_COMPACT);
    if (strcmp(want_json, got_json) != 0) {
        print_strv("printed", argv);
        expect_same_text("VM read back from its command line", want_json, got_json);
    }

    char **again = vf_vm_to_cmdline(back, &err);
    if (again == NULL) {
        print_strv("argv", argv);
        vf_fuzz_fail("a VM read back from its command line cannot be printed: %s", err.text);
    }
    char *vm_own_json = vm_json(vm, VF_JSON_COMPACT);
    if (strcmp(vm_own_json, want_json) == 0)
        expect_same_strv("command line printed, read and printed again", argv, again);
    free(vm_own_json);
    vf_vm *third = vf_vm_from_cmdline((const char *const *)again, &err);
    if (third == NULL)
        print_strv("argv", again), vf_fuzz_fail("second print refused: %s", err.text);
    char **fixed = vf_vm_to_cmdline(third, &err);
    if (fixed == NULL)
        vf_fuzz_fail("third print failed: %s", err.text);
    expect_same_strv("command line after a second round trip", again, fixed);

    vf_strv_free(fixed);
    vf_vm_free(third);
    vf_strv_free(again);
    free(want_json);
    free(got_json);
    vf_vm_free(want);
    vf_vm_free(back);
}

void vf_fuzz_check_vm(const vf_vm *vm, vf_fuzz_origin origin)
{
    vf_error err = {0};
    check_json_round_trip(&vm_ops, vm);

    char **argv = vf_vm_to_cmdline(vm, &err);
    if (argv == NULL) {
        vf_fuzz_check_error("vf_vm_to_cmdline", err.code, &err);
        vf_cmd *cmd = NULL;
        vf_error cmd_err = {0};
        if (vf_vm_cmd(vm, "/opt/vfkit", &cmd, &cmd_err) == VF_OK)
            vf_fuzz_fail("vf_vm_cmd succeeds where vf_vm_to_cmdline fails (%s)", err.text);
    } else {
        check_printed_values(vm, argv, origin);
        check_vm_cmd(vm, argv);
        check_vm_cmdline_readback(vm, argv, origin);
        vf_strv_free(argv);
    }
}
