/*
 * libvfconfig - large and hostile inputs: a 100 MB JSON document, 100,000
 * devices, 1 MB paths, deep nesting, a million keys, inputs over
 * VF_MAX_INPUT_BYTES. Each is accepted (and round-trips) or refused with an
 * error; nothing crashes.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Work must stay linear in the input: each case runs at two sizes and
 * prints both times and their ratio (about 2 when linear). There is no
 * timing assertion; a quadratic path shows as a ratio near 4, or as a test
 * that does not finish.
 *
 * The full sizes are for a build without sanitizers; by default (ASan,
 * valgrind) the sizes are about a tenth. VF_TEST_LIMITS=full selects the
 * full ones (scripts/check.d/20-valgrind.sh runs it so, outside valgrind).
 * The limit itself (VF_MAX_INPUT_BYTES, 256 MiB) is tested at its real size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "vfconfig/vfconfig.h"

#define MIB ((size_t)1 << 20)

typedef struct limits {
    size_t json_bytes; /* one VM document */
    size_t devices;    /* devices in one VM */
    size_t path_bytes; /* one path */
    size_t keys;       /* keys in one JSON object */
} limits;

static limits size_of;

/* ---- helpers ---------------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Prints the two timings of one case: half size, then full size. */
static void report(const char *what, size_t half, double half_ms, size_t full, double full_ms)
{
    print_message("%-44s %10zu: %9.1f ms  %10zu: %9.1f ms  ratio %.2f\n", what, half, half_ms, full,
                  full_ms, half_ms > 0.05 ? full_ms / half_ms : 0.0);
}

/* A growable text (plain malloc: test memory). */
typedef struct text {
    char *data;
    size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + n + 1)
            cap *= 2;
        t->data = realloc(t->data, cap);
        assert_non_null(t->data);
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

static void puts_text(text *t, const char *s)
{
    put(t, s, strlen(s));
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void
printf_text(text *t, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof buf);
    put(t, buf, (size_t)n);
}

/* "/p/aaaa.../aaaa..." of exactly len bytes, a '/' every 200 bytes. */
static char *long_path(size_t len)
{
    char *p = malloc(len + 1);
    assert_non_null(p);
    for (size_t i = 0; i < len; i++)
        p[i] = i % 200 == 0 ? '/' : (char)('a' + i % 26);
    p[len] = '\0';
    return p;
}

static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    assert_non_null(s);
    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
    return s;
}

/* Fails with the library's message when a call that must succeed did not. */
static void expect_ok(bool ok, const vf_error *err)
{
    if (!ok)
        fail_msg("error %d: %s", err->code, err->text);
}

static void assert_clean_error(int code, const vf_error *err)
{
    assert_true(code < 0);
    assert_int_equal(err->code, code);
    assert_true(err->text[0] != '\0');
}

static void write_fixture(void)
{
    FILE *f = fopen("disk.img", "wb");
    assert_non_null(f);
    assert_int_equal(fwrite("RAW-DISK-IMAGE", 1, 14, f), 14);
    assert_int_equal(fclose(f), 0);
}

/* ---- a 100 MB JSON document ---------------------------------------------------- */

static const char vm_head[] =
    "{\"vcpus\":2,\"memoryBytes\":2147483648,\"bootloader\":{\"kind\":\"efiBootloader\","
    "\"efiVariableStorePath\":\"/e\",\"createVariableStore\":false},\"devices\":[";

/* The library's own compact JSON of a VM whose virtio-fs shares have long
 * paths, about `bytes` long; *count gets the number of devices. */
static char *big_vm_json(size_t bytes, size_t *count)
{
    const size_t path_len = 8192;
    char *path = long_path(path_len);
    text t = {0};
    puts_text(&t, vm_head);
    size_t n = 0;
    while (t.len + path_len < bytes) {
        if (n > 0)
            puts_text(&t, ",");
        printf_text(&t, "{\"kind\":\"virtiofs\",\"mountTag\":\"tag%zu\",\"sharedDir\":\"", n);
        put(&t, path, path_len);
        puts_text(&t, "\"}");
        n++;
    }
    puts_text(&t, "]}");
    free(path);
    *count = n;
    return t.data;
}

static double read_and_write_json(const char *json, size_t count)
{
    vf_error err = {0};
    double t0 = now_ms();
    vf_vm *vm = vf_vm_from_json_buffer(json, strlen(json), &err);
    expect_ok(vm != NULL, &err);
    assert_int_equal(vm->n_devices, count);
    char *again = vf_vm_to_json(vm, &err);
    double ms = now_ms() - t0;
    expect_ok(again != NULL, &err);
    assert_true(strcmp(again, json) == 0); /* the document is in the library's own form */
    free(again);
    vf_vm_free(vm);
    return ms;
}

static void test_large_json_document(void **state)
{
    (void)state;
    size_t half_count, full_count;
    char *half = big_vm_json(size_of.json_bytes / 2, &half_count);
    char *full = big_vm_json(size_of.json_bytes, &full_count);
    double half_ms = read_and_write_json(half, half_count);
    double full_ms = read_and_write_json(full, full_count);
    report("JSON document: read + write (bytes)", strlen(half), half_ms, strlen(full), full_ms);
    free(half);
    free(full);
}

/* ---- 100,000 devices ----------------------------------------------------------- */

/* --device values of every kind that needs no file (and a disk now and then). */
static char **device_values(size_t n)
{
    char **values = calloc(n, sizeof *values);
    assert_non_null(values);
    for (size_t i = 0; i < n; i++) {
        char buf[160];
        switch (i % 10) {
        case 0:
            snprintf(buf, sizeof buf, "virtio-fs,sharedDir=/share/%zu,mountTag=t%zu", i, i);
            break;
        case 1:
            snprintf(buf, sizeof buf, "virtio-net,nat,mac=02:00:00:%02zx:%02zx:%02zx",
                     (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
            break;
        case 2:
            snprintf(buf, sizeof buf, "virtio-vsock,port=%zu,socketURL=/tmp/v%zu.sock,connect",
                     i + 1, i);
            break;
        case 3:
            snprintf(buf, sizeof buf, "virtio-serial,logFilePath=/tmp/serial%zu.log", i);
            break;
        case 4:
            snprintf(buf, sizeof buf, "nbd,uri=nbd://host/export%zu,deviceId=n%zu,timeout=%zu", i,
                     i, i % 60000 + 1);
            break;
        case 5:
            snprintf(buf, sizeof buf, "rosetta,mountTag=r%zu,install", i);
            break;
        case 6:
            snprintf(buf, sizeof buf, "virtio-gpu,width=%zu,height=600", i % 4000 + 1);
            break;
        case 7:
            snprintf(buf, sizeof buf, "virtio-input,%s", i % 2 ? "keyboard" : "pointing");
            break;
        case 8:
            snprintf(buf, sizeof buf, "%s",
                     i % 1000 == 8 ? "virtio-blk,path=disk.img,readonly" : "virtio-rng");
            break;
        default:
            snprintf(buf, sizeof buf, "virtio-balloon");
            break;
        }
        values[i] = strdup(buf);
        assert_non_null(values[i]);
    }
    return values;
}

typedef struct device_times {
    double parse, print, read_back, write_json, read_json, cmd;
} device_times;

static device_times many_devices(size_t n)
{
    device_times t;
    vf_error err = {0};
    char **values = device_values(n);
    vf_vm *vm = vf_vm_new(2, 2048, vf_bootloader_from_cmdline("efi,variable-store=/e", NULL));
    expect_ok(vm != NULL, &err);

    double t0 = now_ms();
    expect_ok(vf_vm_add_devices_from_cmdline(vm, (const char *const *)values, n, &err) == 0, &err);
    t.parse = now_ms() - t0;
    assert_int_equal(vm->n_devices, n);

    t0 = now_ms();
    char **argv = vf_vm_to_cmdline(vm, &err);
    t.print = now_ms() - t0;
    expect_ok(argv != NULL, &err);

    t0 = now_ms();
    vf_vm *back = vf_vm_from_cmdline((const char *const *)argv, &err);
    t.read_back = now_ms() - t0;
    expect_ok(back != NULL, &err);
    assert_int_equal(back->n_devices, n);
    char **again = vf_vm_to_cmdline(back, &err);
    expect_ok(again != NULL, &err);
    for (size_t i = 0; argv[i] != NULL || again[i] != NULL; i++)
        assert_true(argv[i] != NULL && again[i] != NULL && strcmp(argv[i], again[i]) == 0);

    t0 = now_ms();
    char *json = vf_vm_to_json(vm, &err);
    t.write_json = now_ms() - t0;
    expect_ok(json != NULL, &err);
    t0 = now_ms();
    vf_vm *from_json = vf_vm_from_json(json, &err);
    t.read_json = now_ms() - t0;
    expect_ok(from_json != NULL, &err);
    assert_int_equal(from_json->n_devices, n);

    t0 = now_ms();
    vf_cmd *cmd = NULL;
    expect_ok(vf_vm_cmd(vm, "/usr/local/bin/vfkit", &cmd, &err) == 0, &err);
    t.cmd = now_ms() - t0;
    assert_int_equal(vf_strv_length(cmd->argv), vf_strv_length(argv) + 1);

    vf_cmd_free(cmd);
    vf_vm_free(from_json);
    free(json);
    vf_strv_free(again);
    vf_vm_free(back);
    vf_strv_free(argv);
    vf_vm_free(vm);
    for (size_t i = 0; i < n; i++)
        free(values[i]);
    free(values);
    return t;
}

static void test_many_devices(void **state)
{
    (void)state;
    size_t n = size_of.devices;
    device_times h = many_devices(n / 2), f = many_devices(n);
    report("devices: parse --device values", n / 2, h.parse, n, f.parse);
    report("devices: vf_vm_to_cmdline", n / 2, h.print, n, f.print);
    report("devices: vf_vm_from_cmdline", n / 2, h.read_back, n, f.read_back);
    report("devices: vf_vm_to_json", n / 2, h.write_json, n, f.write_json);
    report("devices: vf_vm_from_json", n / 2, h.read_json, n, f.read_json);
    report("devices: vf_vm_cmd", n / 2, h.cmd, n, f.cmd);
}

/* ---- 1 MB paths --------------------------------------------------------------- */

/* A --device value with a long path: accepted, printed back unchanged,
 * through JSON and back unchanged. */
static double long_device_value(const char *prefix, size_t path_len)
{
    char *path = long_path(path_len);
    char *value = concat(prefix, path);
    vf_error err = {0};
    double t0 = now_ms();
    vf_device *dev = vf_device_from_cmdline(value, &err);
    expect_ok(dev != NULL, &err);
    char **argv = vf_device_to_cmdline(dev, &err);
    expect_ok(argv != NULL, &err);
    char *json = vf_device_to_json(dev, VF_JSON_COMPACT, &err);
    expect_ok(json != NULL, &err);
    vf_device *back = vf_device_from_json(json, &err);
    double ms = now_ms() - t0;
    expect_ok(back != NULL, &err);
    assert_string_equal(argv[1], value);
    char *json_again = vf_device_to_json(back, VF_JSON_COMPACT, &err);
    expect_ok(json_again != NULL, &err);
    assert_true(strcmp(json, json_again) == 0);
    free(json_again);
    vf_device_free(back);
    free(json);
    vf_strv_free(argv);
    vf_device_free(dev);
    free(value);
    free(path);
    return ms;
}

static double long_bootloader_and_kernel(size_t path_len)
{
    char *path = long_path(path_len);
    char *value = concat("efi,variable-store=", path);
    vf_error err = {0};
    double t0 = now_ms();
    vf_bootloader *bl = vf_bootloader_from_cmdline(value, &err);
    expect_ok(bl != NULL, &err);
    char **argv = vf_bootloader_to_cmdline(bl, &err);
    expect_ok(argv != NULL, &err);
    assert_string_equal(argv[1], value);

    const char *args[] = {"--kernel", path, "--initrd", path, "--kernel-cmdline", path, NULL};
    vf_vm *vm = vf_vm_from_cmdline(args, &err);
    expect_ok(vm != NULL, &err);
    char **printed = vf_vm_to_cmdline(vm, &err);
    double ms = now_ms() - t0;
    expect_ok(printed != NULL, &err);
    size_t k = 0;
    while (printed[k] != NULL && strcmp(printed[k], "--kernel") != 0)
        k++;
    assert_non_null(printed[k]);
    assert_string_equal(printed[k + 1], path);
    vf_strv_free(printed);
    vf_vm_free(vm);
    vf_strv_free(argv);
    vf_bootloader_free(bl);
    free(value);
    free(path);
    return ms;
}

/* virtio-blk opens its image: a 1 MB path is refused by the system, and
 * the library must say so cleanly. */
static double long_disk_path(size_t path_len)
{
    char *path = long_path(path_len);
    char *value = concat("virtio-blk,path=", path);
    vf_error err = {0};
    double t0 = now_ms();
    vf_device *dev = vf_device_from_cmdline(value, &err);
    double ms = now_ms() - t0;
    if (dev == NULL)
        assert_clean_error(err.code, &err);
    vf_device_free(dev);
    free(value);
    free(path);
    return ms;
}

/* One --device value with path_len / 8 options ("install" over and over). */
static double many_options(size_t value_len)
{
    text t = {0};
    puts_text(&t, "rosetta,mountTag=r");
    while (t.len < value_len)
        puts_text(&t, ",install");
    vf_error err = {0};
    double t0 = now_ms();
    vf_device *dev = vf_device_from_cmdline(t.data, &err);
    double ms = now_ms() - t0;
    expect_ok(dev != NULL, &err);
    vf_device_free(dev);
    free(t.data);
    return ms;
}

static void test_long_paths(void **state)
{
    (void)state;
    size_t n = size_of.path_bytes;
    report("1 MB path: virtio-fs sharedDir", n / 2,
           long_device_value("virtio-fs,sharedDir=", n / 2), n,
           long_device_value("virtio-fs,sharedDir=", n));
    report("1 MB path: virtio-serial logFilePath", n / 2,
           long_device_value("virtio-serial,logFilePath=", n / 2), n,
           long_device_value("virtio-serial,logFilePath=", n));
    report("1 MB path: efi store, kernel, initrd", n / 2, long_bootloader_and_kernel(n / 2), n,
           long_bootloader_and_kernel(n));
    report("1 MB path: virtio-blk (refused by open)", n / 2, long_disk_path(n / 2), n,
           long_disk_path(n));
    report("1 MB --device value of options", n / 2, many_options(n / 2), n, many_options(n));
}

/* ---- hostile JSON shapes -------------------------------------------------------- */

/* n unknown keys at the top level, then in a device. */
static double many_keys(size_t n)
{
    text t = {0};
    puts_text(&t, "{\"vcpus\":1,");
    for (size_t i = 0; i < n; i++)
        printf_text(&t, "\"k%zu\":%zu,", i, i);
    puts_text(&t, "\"devices\":[{\"kind\":\"virtiorng\"");
    for (size_t i = 0; i < n; i++)
        printf_text(&t, ",\"K%zu\":\"v\"", i);
    puts_text(&t, "}],\"memoryBytes\":1048576}");
    vf_error err = {0};
    double t0 = now_ms();
    vf_vm *vm = vf_vm_from_json(t.data, &err);
    double ms = now_ms() - t0;
    expect_ok(vm != NULL, &err);
    assert_int_equal(vm->n_devices, 1);
    assert_int_equal(vm->memory_bytes, 1048576);
    vf_vm_free(vm);
    free(t.data);
    return ms;
}

/* The same key n times: the last one wins, in linear time. */
static double repeated_key(size_t n)
{
    text t = {0};
    puts_text(&t, "{");
    for (size_t i = 0; i < n; i++)
        printf_text(&t, "\"vcpus\":%zu,", i + 1);
    puts_text(&t, "\"memoryBytes\":1048576}");
    vf_error err = {0};
    double t0 = now_ms();
    vf_vm *vm = vf_vm_from_json(t.data, &err);
    double ms = now_ms() - t0;
    expect_ok(vm != NULL, &err);
    assert_int_equal(vm->vcpus, n);
    vf_vm_free(vm);
    free(t.data);
    return ms;
}

/* n open brackets: refused (too deep) without exhausting the stack. */
static double deep_nesting(size_t n, char open)
{
    char *doc = malloc(n + 1);
    assert_non_null(doc);
    memset(doc, open, n);
    doc[n] = '\0';
    vf_error err = {0};
    double t0 = now_ms();
    vf_vm *vm = vf_vm_from_json(doc, &err);
    double ms = now_ms() - t0;
    assert_null(vm);
    assert_clean_error(err.code, &err);
    free(doc);
    return ms;
}

/* An unknown key holding arrays nested `depth` deep (the VM object is one
 * more level): accepted up to Go's 10,000 levels, refused with VF_ERR_JSON
 * beyond. */
static int nested_unknown_key(size_t depth)
{
    text t = {0};
    puts_text(&t, "{\"x\":");
    for (size_t i = 0; i < depth; i++)
        puts_text(&t, "[");
    for (size_t i = 0; i < depth; i++)
        puts_text(&t, "]");
    puts_text(&t, ",\"vcpus\":1}");
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_json(t.data, &err);
    free(t.data);
    vf_vm_free(vm);
    return vm != NULL ? VF_OK : err.code;
}

static void test_nesting_limit(void **state)
{
    (void)state;
    assert_int_equal(nested_unknown_key(9999), VF_OK);
    assert_int_equal(nested_unknown_key(10000), VF_ERR_JSON);
}

static void test_hostile_json(void **state)
{
    (void)state;
    size_t n = size_of.keys;
    report("JSON: unknown keys (keys)", n / 2, many_keys(n / 2), n, many_keys(n));
    report("JSON: one key repeated (times)", n / 2, repeated_key(n / 2), n, repeated_key(n));
    size_t deep = size_of.json_bytes / 8;
    report("JSON: [[[[... (bytes)", deep / 2, deep_nesting(deep / 2, '['), deep,
           deep_nesting(deep, '['));
    report("JSON: {{{{... (bytes)", deep / 2, deep_nesting(deep / 2, '{'), deep,
           deep_nesting(deep, '{'));
}

/* ---- over VF_MAX_INPUT_BYTES -------------------------------------------------------- */

/* A buffer one byte over the limit: refused before it is read (a large
 * malloc is mapped lazily, so the untouched bytes cost nothing; reading
 * them would show under valgrind as a use of uninitialised memory). */
static void test_json_buffer_over_limit(void **state)
{
    (void)state;
    size_t len = VF_MAX_INPUT_BYTES + 1;
    char *pages = malloc(len);
    assert_non_null(pages);
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_json_buffer(pages, len, &err);
    assert_null(vm);
    assert_int_equal(err.code, VF_ERR_LIMIT);
    assert_true(err.text[0] != '\0');
    free(pages);
}

/* ---- strings of VF_MAX_INPUT_BYTES + 1 bytes (256 MiB), one per parser -------- */

static char *over_limit; /* built once: "virtio-fs,sharedDir=/aaa..." */

static int make_over_limit_string(void **state)
{
    (void)state;
    size_t len = VF_MAX_INPUT_BYTES + 1;
    over_limit = malloc(len + 1);
    if (over_limit == NULL)
        return -1;
    memset(over_limit, 'a', len);
    over_limit[len] = '\0';
    return 0;
}

static int free_over_limit_string(void **state)
{
    (void)state;
    free(over_limit);
    return 0;
}

/* The shared string with `head` written over its first bytes. */
static const char *over_limit_with(const char *head)
{
    memcpy(over_limit, head, strlen(head));
    return over_limit;
}

static void test_options_over_limit(void **state)
{
    (void)state;
    vf_error err = {0};
    assert_null(vf_options_split(over_limit_with("sharedDir=/"), &err));
    assert_int_equal(err.code, VF_ERR_LIMIT);
}

static void test_device_value_over_limit(void **state)
{
    (void)state;
    vf_error err = {0};
    vf_device *dev = vf_device_from_cmdline(over_limit_with("virtio-fs,sharedDir=/"), &err);
    vf_device_free(dev);
    assert_null(dev);
    assert_int_equal(err.code, VF_ERR_LIMIT);
}

static void test_bootloader_value_over_limit(void **state)
{
    (void)state;
    vf_error err = {0};
    vf_bootloader *bl = vf_bootloader_from_cmdline(over_limit_with("efi,variable-store=/"), &err);
    vf_bootloader_free(bl);
    assert_null(bl);
    assert_int_equal(err.code, VF_ERR_LIMIT);
}

static void test_json_text_over_limit(void **state)
{
    (void)state;
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_json(over_limit_with("\""), &err);
    vf_vm_free(vm);
    assert_null(vm);
    assert_int_equal(err.code, VF_ERR_LIMIT);
}

/* "one string field": a --kernel path over the limit. */
static void test_flag_value_over_limit(void **state)
{
    (void)state;
    vf_error err = {0};
    const char *args[] = {"--kernel",         over_limit_with("/"), "--initrd", "/i",
                          "--kernel-cmdline", "console=hvc0",       NULL};
    vf_vm *vm = vf_vm_from_cmdline(args, &err);
    vf_vm_free(vm);
    assert_null(vm);
    assert_int_equal(err.code, VF_ERR_LIMIT);
    assert_string_equal(err.location, "args[1]"); /* the argument, by its index */
}

int main(void)
{
    write_fixture(); /* disk.img, in the scratch folder ctest runs the test in */
    const char *mode = getenv("VF_TEST_LIMITS");
    if (mode != NULL && strcmp(mode, "full") == 0)
        size_of = (limits){100 * MIB, 100000, MIB, 1000000};
    else
        size_of = (limits){12 * MIB, 20000, MIB, 200000};

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_large_json_document), cmocka_unit_test(test_many_devices),
        cmocka_unit_test(test_long_paths),          cmocka_unit_test(test_hostile_json),
        cmocka_unit_test(test_nesting_limit),       cmocka_unit_test(test_json_buffer_over_limit),
    };
    const struct CMUnitTest over_limit_tests[] = {
        cmocka_unit_test(test_options_over_limit),
        cmocka_unit_test(test_device_value_over_limit),
        cmocka_unit_test(test_bootloader_value_over_limit),
        cmocka_unit_test(test_json_text_over_limit),
        cmocka_unit_test(test_flag_value_over_limit),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    failed +=
        cmocka_run_group_tests(over_limit_tests, make_over_limit_string, free_over_limit_string);
    return failed;
}
