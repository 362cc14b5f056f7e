/*
 * The conformance vectors (tests/conformance/vectors.jsonl, the reference's
 * answers) as whole command lines.
 *
 * Ops device, bootloader and timesync: each value is put into a VM and
 *   - accepted or refused as the reference does;
 *   - bootloader and timesync values equal the reference's JSON;
 *   - the VM's argv is the reference's, after `--cpus 1 --memory 512` and a
 *     fixed EFI bootloader (for device and timesync vectors), with the
 *     library's macOS command line (docs/design.md, difference 5);
 *   - when the reference fails to print (`cmderr`), so does the library.
 * Op vmjson: the VM read from JSON is printed (the JSON suite compares
 * that argv with the reference's).
 * Then, for all four: vf_vm_from_cmdline() of the argv prints the very same
 * argv again, except where vfkit itself reads it back differently (see
 * reads_back_the_same()); those are counted and reported.
 * Device JSON is compared by the devices suite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "vfconfig/vfconfig.h"
#include "model/fields.h"
#include "util/macros.h"
#include "util/str.h"

#define EFI_STORE "/vm/efi-store"

static const char *const vm_prefix[] = {"--cpus", "1", "--memory", "512"};
static const char *const efi_args[] = {"--bootloader", "efi,variable-store=" EFI_STORE};

static int write_file(const char *name, const char *bytes, size_t len)
{
    FILE *f = fopen(name, "wb");
    if (f == NULL)
        return -1;
    size_t written = fwrite(bytes, 1, len, f);
    return (fclose(f) == 0 && written == len) ? 0 : -1;
}

/* The fixtures the vectors were generated with (conformance/README.md). */
static int make_fixtures(void **state)
{
    (void)state;
    unlink("missing.img");
    return write_file("disk.img", "RAW-DISK-IMAGE", 14) |
           write_file("q.qcow2", "QFI\xfb\0\0\0\3", 8) | write_file("empty.img", "", 0) |
           write_file("short.img", "ab", 2);
}

/* ---- one vector --------------------------------------------------------- */

typedef struct checker {
    const char *id;
    size_t failures;
    size_t not_read_back; /* printed as the reference does, but not comparable after reading */
} checker;

static bool failed(checker *c, const char *fmt, ...) VF__PRINTF(2, 3);
static bool failed(checker *c, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    print_error("%s: %s\n", c->id, text);
    c->failures++;
    return false;
}

/* Builds the argv the library should print: prefix, then want. */
static json_t *expected_argv(bool with_efi, json_t *tail)
{
    json_t *argv = json_array();
    for (size_t i = 0; i < 4; i++)
        json_array_append_new(argv, json_string(vm_prefix[i]));
    for (size_t i = 0; with_efi && i < 2; i++)
        json_array_append_new(argv, json_string(efi_args[i]));
    json_array_extend(argv, tail);
    return argv;
}

static bool same_argv(checker *c, const char *what, char **argv, json_t *want)
{
    size_t n = vf_strv_length(argv);
    if (n != json_array_size(want))
        return failed(c, "%s: %zu arguments, want %zu", what, n, json_array_size(want));
    for (size_t i = 0; i < n; i++) {
        const char *w = json_string_value(json_array_get(want, i));
        if (w == NULL || strcmp(argv[i], w) != 0)
            return failed(c, "%s: argv[%zu] is \"%s\", want \"%s\"", what, i, argv[i],
                          w ? w : "(not a string)");
    }
    return true;
}

static json_t *strv_to_json(char **argv)
{
    json_t *arr = json_array();
    for (size_t i = 0; argv[i] != NULL; i++)
        json_array_append_new(arr, json_string(argv[i]));
    return arr;
}

/* Prints vm, compares with want (or expects a failure when want is NULL),
 * then, when read_back, reads the argv back and prints it again. */
static void check_vm_cmdline(checker *c, const vf_vm *vm, json_t *want, bool read_back)
{
    vf_error err = {0};
    char **argv = vf_vm_to_cmdline(vm, &err);
    if (want == NULL) {
        if (argv != NULL)
            failed(c, "to_cmdline succeeded where the reference fails: %s ...", argv[0]);
        else if (err.text[0] == '\0')
            failed(c, "to_cmdline failed without a message");
        vf_strv_free(argv);
        return;
    }
    if (argv == NULL) {
        failed(c, "to_cmdline: %s", err.text);
        return;
    }
    if (!read_back)
        c->not_read_back++;
    if (same_argv(c, "to_cmdline", argv, want) && read_back) {
        vf_vm *back = vf_vm_from_cmdline((const char *const *)argv, &err);
        char **again = back ? vf_vm_to_cmdline(back, &err) : NULL;
        if (back == NULL && err.code == VF_ERR_IO) {
            /* A VM read from JSON may name a disk image that is not here;
             * vfkit (and so the library) opens it when reading --device. */
            c->not_read_back++;
        } else if (again == NULL) {
            failed(c, "reading back: %s", err.text);
        } else {
            json_t *first = strv_to_json(argv);
            same_argv(c, "printed again", again, first);
            json_decref(first);
        }
        vf_strv_free(again);
        vf_vm_free(back);
    }
    vf_strv_free(argv);
}

/* Refusals must come with a message. */
static bool check_accepted(checker *c, bool ok, bool want_ok, const vf_error *err)
{
    if (ok && !want_ok)
        return failed(c, "accepted, the reference refuses it");
    if (!ok && want_ok)
        return failed(c, "refused: %s", err->text);
    if (!ok && err->text[0] == '\0')
        return failed(c, "refused without a message");
    return ok;
}

static vf_vm *new_vm(vf_bootloader *bl)
{
    vf_vm *vm = vf_vm_new(1, 512, bl);
    assert_non_null(vm);
    return vm;
}

static vf_bootloader *fixed_efi(void)
{
    return &vf_efi_bootloader_new(EFI_STORE, false)->base;
}

static void check_device(checker *c, const char *input, json_t *expect)
{
    vf_vm *vm = new_vm(fixed_efi());
    vf_error err = {0};
    bool ok = vf_vm_add_devices_from_cmdline(vm, &input, 1, &err) == VF_OK;
    if (check_accepted(c, ok, json_is_true(json_object_get(expect, "ok")), &err)) {
        json_t *want = NULL;
        if (!json_is_true(json_object_get(expect, "cmderr")))
            want = expected_argv(true, json_object_get(expect, "cmdline"));
        /* The reference prints no timeout for an NBD timeout <= 0, so vfkit
         * reads its 15 s default back. The vectors keep those bytes (they
         * are not tagged ambiguous), so only the first print is compared. */
        vf_network_block_device *nbd =
            vm->n_devices ? vf_device_as_network_block_device(vm->devices[0]) : NULL;
        check_vm_cmdline(c, vm, want, nbd == NULL || nbd->timeout_ns > 0);
        json_decref(want);
    }
    vf_vm_free(vm);
}

/* The bootloader's fields against the reference's JSON, through the
 * field table (the JSON writer is tested elsewhere). */
static void check_bootloader_fields(checker *c, const vf_bootloader *bl, json_t *want)
{
    const vf__bootloader_ops *ops = vf__bootloader_ops_of(bl->kind);
    const char *kind = json_string_value(json_object_get(want, "kind"));
    if (kind != NULL && strcmp(kind, ops->json_kind) != 0)
        failed(c, "kind %s, want %s", ops->json_kind, kind);
    for (size_t i = 0; i < ops->n_fields; i++) {
        const vf__field *f = &ops->fields[i];
        const void *slot = (const char *)bl + f->offset;
        json_t *w = json_object_get(want, f->json_name);
        if (f->type == VF__FIELD_STRING) {
            const char *got = vf__str(*(char *const *)slot);
            if (!json_is_string(w) || strcmp(got, json_string_value(w)) != 0)
                failed(c, "%s is \"%s\"", f->json_name, got);
        } else if (json_is_boolean(w) && json_is_true(w) != *(const bool *)slot) {
            failed(c, "%s differs", f->json_name);
        }
    }
}

/* The reference prints nothing for macOS; the library prints its non-empty
 * paths in field order (docs/design.md, difference 5). */
static json_t *macos_cmdline(json_t *fields)
{
    char value[1024] = "macos";
    const char *keys[] = {"machineIdentifierPath", "hardwareModelPath", "auxImagePath"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = json_string_value(json_object_get(fields, keys[i]));
        if (v != NULL && v[0] != '\0')
            snprintf(value + strlen(value), sizeof value - strlen(value), ",%s=%s", keys[i], v);
    }
    return json_pack("[ss]", "--bootloader", value);
}

static void check_bootloader(checker *c, const char *input, json_t *expect, bool macos)
{
    vf_error err = {0};
    vf_bootloader *bl = vf_bootloader_from_cmdline(input, &err);
    if (!check_accepted(c, bl != NULL, json_is_true(json_object_get(expect, "ok")), &err)) {
        vf_bootloader_free(bl);
        return;
    }
    check_bootloader_fields(c, bl, json_object_get(expect, "json"));
    vf_vm *vm = new_vm(bl);
    json_t *want = NULL;
    if (macos) {
        json_t *tail = macos_cmdline(json_object_get(expect, "json"));
        want = expected_argv(false, tail);
        json_decref(tail);
    } else if (!json_is_true(json_object_get(expect, "cmderr"))) {
        want = expected_argv(false, json_object_get(expect, "cmdline"));
    }
    check_vm_cmdline(c, vm, want, true);
    json_decref(want);
    vf_vm_free(vm);
}

static void check_timesync(checker *c, const char *input, json_t *expect)
{
    vf_vm *vm = new_vm(fixed_efi());
    vf_error err = {0};
    bool ok = vf_vm_add_timesync_from_cmdline(vm, input, &err) == VF_OK;
    if (check_accepted(c, ok, json_is_true(json_object_get(expect, "ok")), &err)) {
        json_t *port = json_object_get(json_object_get(expect, "json"), "vsockPort");
        json_t *want;
        if (port == NULL) {
            if (vm->timesync != NULL)
                failed(c, "a timesync where the reference has none");
            want = expected_argv(true, NULL);
        } else {
            if (vm->timesync == NULL || vm->timesync->vsock_port != json_integer_value(port))
                failed(c, "vsockPort differs from %lld", (long long)json_integer_value(port));
            want = expected_argv(true, json_object_get(expect, "cmdline"));
        }
        check_vm_cmdline(c, vm, want, true);
        json_decref(want);
    }
    vf_vm_free(vm);
}

/* Where reading a printed VM back cannot give the same argv, for reasons
 * that are vfkit's own rather than the library's:
 *   - 0 CPUs or 0 bytes of memory print no flag, and vfkit's defaults fill in;
 *   - an Ignition config with an empty path prints `--ignition ""`, which
 *     vfkit ignores;
 *   - `--gui` without an input device makes vfkit add a keyboard;
 *   - an NBD timeout <= 0 is not printed, and vfkit's 15 s default fills in. */
static bool reads_back_the_same(const vf_vm *vm)
{
    if (vm->vcpus == 0 || vm->memory_bytes == 0)
        return false;
    if (vm->ignition != NULL && vf__empty(vm->ignition->config_path))
        return false;
    bool gui = false;
    for (size_t i = 0; i < vm->n_devices; i++) {
        vf_virtio_gpu *gpu = vf_device_as_virtio_gpu(vm->devices[i]);
        vf_network_block_device *nbd = vf_device_as_network_block_device(vm->devices[i]);
        gui |= gpu != NULL && gpu->uses_gui;
        if (nbd != NULL && nbd->timeout_ns <= 0)
            return false;
    }
    return !gui || vf_vm_filter_devices(vm, VF_DEVICE_VIRTIO_INPUT, NULL, 0) != 0;
}

/* vmjson vectors: whatever the JSON reader accepts and the library prints
 * reads back into the same argv. (The JSON suite compares the argv with
 * the reference's.) */
static void check_vmjson(checker *c, const char *input)
{
    vf_vm *vm = vf_vm_from_json(input, NULL);
    char **argv = vm ? vf_vm_to_cmdline(vm, NULL) : NULL;
    if (argv != NULL) {
        json_t *want = strv_to_json(argv);
        check_vm_cmdline(c, vm, want, reads_back_the_same(vm));
        json_decref(want);
    }
    vf_strv_free(argv);
    vf_vm_free(vm);
}

/* ---- the suite ---------------------------------------------------------- */

static bool has_tag(json_t *vector, const char *tag)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(vector, "tags"), i, t)
    {
        if (json_is_string(t) && strcmp(json_string_value(t), tag) == 0)
            return true;
    }
    return false;
}

static void run_vectors(const char *op)
{
    FILE *f = fopen(VF_TEST_SOURCE_DIR "/conformance/vectors.jsonl", "r");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0, seen = 0;
    checker c = {NULL, 0, 0};
    while (getline(&line, &cap, f) > 0) {
        json_error_t jerr;
        json_t *vector = json_loads(line, 0, &jerr);
        assert_non_null(vector);
        const char *vop = json_string_value(json_object_get(vector, "op"));
        const char *input = json_string_value(json_object_get(vector, "input"));
        json_t *expect = json_object_get(vector, "expect");
        if (vop != NULL && strcmp(vop, op) == 0 && input != NULL) {
            c.id = json_string_value(json_object_get(vector, "id"));
            seen++;
            if (strcmp(op, "device") == 0)
                check_device(&c, input, expect);
            else if (strcmp(op, "vmjson") == 0)
                check_vmjson(&c, input);
            else if (strcmp(op, "bootloader") == 0)
                check_bootloader(&c, input, expect, has_tag(vector, "macos-bootloader"));
            else
                check_timesync(&c, input, expect);
        }
        json_decref(vector);
    }
    free(line);
    fclose(f);
    print_message("%s: %zu vectors, %zu failures, %zu printed but not read back\n", op, seen,
                  c.failures, c.not_read_back);
    assert_true(seen > 0);
    assert_int_equal(c.failures, 0);
}

static void test_device_vectors(void **state)
{
    (void)state;
    run_vectors("device");
}

static void test_bootloader_vectors(void **state)
{
    (void)state;
    run_vectors("bootloader");
}

static void test_vmjson_vectors(void **state)
{
    (void)state;
    run_vectors("vmjson");
}

static void test_timesync_vectors(void **state)
{
    (void)state;
    run_vectors("timesync");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_vectors),
        cmocka_unit_test(test_bootloader_vectors),
        cmocka_unit_test(test_timesync_vectors),
        cmocka_unit_test(test_vmjson_vectors),
    };
    return cmocka_run_group_tests(tests, make_fixtures, NULL);
}
