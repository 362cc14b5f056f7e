/*
 * libvfconfig - the error record: where each reader says a problem is
 * (vf_error::location), and message texts that stay valid UTF-8, keep the
 * reason when a long value is cut and show quotes inside values escaped.
 * Expected locations follow from the inputs' structure: the index of the
 * device and the key or flag each input breaks.
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

#include <cmocka.h>

#include "vfconfig/vfconfig.h"

/* ---- checks written from the UTF-8 definition (RFC 3629), not the library ---- */

static bool valid_utf8(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s != '\0') {
        size_t n;
        uint32_t min, cp;
        if (*s < 0x80) {
            s++;
            continue;
        } else if ((*s & 0xe0) == 0xc0) {
            n = 1, min = 0x80, cp = *s & 0x1fu;
        } else if ((*s & 0xf0) == 0xe0) {
            n = 2, min = 0x800, cp = *s & 0x0fu;
        } else if ((*s & 0xf8) == 0xf0) {
            n = 3, min = 0x10000, cp = *s & 0x07u;
        } else {
            return false;
        }
        for (size_t i = 1; i <= n; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i] & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        s += n + 1;
    }
    return true;
}

static void assert_location(const vf_error *err, const char *want)
{
    if (strcmp(err->location, want) != 0)
        fail_msg("location \"%s\", want \"%s\" (%s)", err->location, want, err->text);
}

static void assert_contains(const char *text, const char *part)
{
    if (strstr(text, part) == NULL)
        fail_msg("\"%s\" not in \"%s\"", part, text);
}

/* ---- locations, reader by reader ---- */

static void json_refused_at(const char *json, vf_status code, const char *where)
{
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_json(json, &err);
    assert_null(vm);
    assert_int_equal(err.code, code);
    assert_location(&err, where);
}

static void test_json_locations(void **state)
{
    (void)state;
    json_refused_at("{\"vcpus\":\"1\"}", VF_ERR_JSON, "vcpus");
    json_refused_at("{\"devices\":[{\"kind\":\"virtiorng\"},{\"kind\":\"virtiorng\"},"
                    "{\"kind\":\"virtiofs\",\"sharedDir\":5}]}",
                    VF_ERR_JSON, "devices[2].sharedDir");
    json_refused_at("{\"bootloader\":{\"kind\":\"efiBootloader\",\"efiVariableStorePath\":true}}",
                    VF_ERR_JSON, "bootloader.efiVariableStorePath");
    json_refused_at("{\"devices\":[{\"kind\":\"virtiorng\"},{\"mountTag\":\"a\"}]}", VF_ERR_JSON,
                    "devices[1].kind");
    json_refused_at("{\"devices\":[{\"kind\":\"virtionet\",\"nat\":true,\"macAddress\":\"zz\"}]}",
                    VF_ERR_INVALID, "devices[0].macAddress");
    json_refused_at("{\"devices\":[null]}", VF_ERR_JSON, "devices[0]");
    json_refused_at("{\"devices\":{}}", VF_ERR_JSON, "devices");
    json_refused_at("{\"timesync\":{\"vsockPort\":-1}}", VF_ERR_JSON, "timesync.vsockPort");
    json_refused_at("{\"cloudInit\":[\"a\",3]}", VF_ERR_JSON, "cloudInit[1]");
    /* Nothing in a document that does not parse has a path. */
    json_refused_at("{\"vcpus\":", VF_ERR_JSON, "");

    vf_error err = {0};
    assert_null(vf_device_from_json("{\"kind\":\"virtiosock\",\"port\":\"1\"}", &err));
    assert_location(&err, "port");
}

static void cmdline_refused_at(const char *const *args, const char *where)
{
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_cmdline(args, &err);
    assert_null(vm);
    assert_location(&err, where);
}

static void test_cmdline_locations(void **state)
{
    (void)state;
    cmdline_refused_at((const char *const[]){"--cpus", "abc", NULL}, "--cpus");
    cmdline_refused_at((const char *const[]){"-c", "abc", NULL}, "--cpus");
    cmdline_refused_at((const char *const[]){"--memory=-1", NULL}, "--memory");
    cmdline_refused_at((const char *const[]){"--bootloader", "efi,variable-store=/e", "--device",
                                             "virtio-rng", "--device",
                                             "virtio-vsock,port=x,socketURL=/s", NULL},
                       "--device[1].port");
    cmdline_refused_at((const char *const[]){"--bootloader", "efi,variable-store=/e", "--device",
                                             "no-such-device", NULL},
                       "--device[0]");
    cmdline_refused_at(
        (const char *const[]){"--bootloader", "efi,variable-store=/e,colour=red", NULL},
        "--bootloader.colour");
    cmdline_refused_at((const char *const[]){"--bootloader", "efi,variable-store=/e", "--timesync",
                                             "vsockPort=x", NULL},
                       "--timesync.vsockPort");
    cmdline_refused_at(
        (const char *const[]){"--bootloader", "efi,variable-store=/e", "--log-level", "loud", NULL},
        "--log-level");
    cmdline_refused_at((const char *const[]){"--kernel", "/k", NULL}, "--initrd");

    vf_error err = {0};
    assert_null(vf_device_from_cmdline("virtio-vsock,port=x,socketURL=/s", &err));
    assert_location(&err, "port");
    assert_null(vf_bootloader_from_cmdline("bogus,kernel=/k", &err));
    assert_location(&err, "--bootloader");
    assert_null(vf_bootloader_from_cmdline("efi,create=yes", &err));
    assert_location(&err, "--bootloader.create");
}

static void test_to_cmdline_locations(void **state)
{
    (void)state;
    vf_error err = {0};
    vf_vm *vm = vf_vm_new(1, 512, (vf_bootloader *)vf_efi_bootloader_new("/efi", true));
    assert_int_equal(vf_vm_add_device(vm, (vf_device *)vf_virtio_rng_new(), &err), 0);
    assert_int_equal(vf_vm_add_device(vm, (vf_device *)vf_virtio_fs_new("/a", "a"), &err), 0);
    assert_int_equal(vf_vm_add_device(vm, (vf_device *)vf_virtio_fs_new("/b,c", "b"), &err), 0);
    assert_null(vf_vm_to_cmdline(vm, &err));
    assert_int_equal(err.code, VF_ERR_AMBIGUOUS);
    assert_location(&err, "devices[2].sharedDir");
    assert_null(vf_device_to_cmdline(vm->devices[2], &err));
    assert_location(&err, "sharedDir");
    vf_vm_free(vm);

    vm = vf_vm_new(1, 512, (vf_bootloader *)vf_efi_bootloader_new("/efi,store", false));
    assert_null(vf_vm_to_cmdline(vm, &err));
    assert_location(&err, "bootloader.efiVariableStorePath");
    vf_vm_free(vm);

    vm = vf_vm_new(1, 512, NULL);
    assert_null(vf_vm_to_cmdline(vm, &err));
    assert_location(&err, "bootloader");
    vf_vm_free(vm);
}

/* ---- texts ---- */

/* Every message: valid UTF-8, NUL-terminated in its buffer, and when it
 * was cut, cut with "..." (inside the closing quote of a value). */
static void check_text(const vf_error *err, const char *input)
{
    size_t len = strnlen(err->text, sizeof err->text);
    if (len == sizeof err->text)
        fail_msg("text not terminated for input \"%s\"", input);
    if (err->text[0] == '\0')
        fail_msg("no text for input \"%s\"", input);
    if (!valid_utf8(err->text))
        fail_msg("text is not UTF-8 for input \"%s\": %s", input, err->text);
    if (!valid_utf8(err->location))
        fail_msg("location is not UTF-8 for input \"%s\": %s", input, err->location);
    if (strlen(input) > sizeof err->text) {
        size_t n = strlen(err->text);
        bool ends = (n >= 3 && strcmp(err->text + n - 3, "...") == 0) ||
                    (n >= 4 && strcmp(err->text + n - 4, "...\"") == 0);
        if (!ends)
            fail_msg("a cut text does not end with \"...\": %s", err->text);
    }
}

typedef struct texts {
    char **items;
    size_t n;
} texts;

static void add_input(texts *t, const char *s)
{
    t->items = realloc(t->items, (t->n + 1) * sizeof *t->items);
    assert_non_null(t->items);
    t->items[t->n] = strdup(s);
    assert_non_null(t->items[t->n]);
    t->n++;
}

/* Long values made of 1- to 4-byte characters, shifted by 0 to 3 bytes so
 * that every cut position falls inside a character once; quotes,
 * backslashes, control bytes and bytes that are not UTF-8. */
static texts make_inputs(void)
{
    static const char *const units[] = {"a",    "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                        "\"",   "\\",       "a\"b\\",       "\xff",
                                        "\xc3", "\x01"};
    texts t = {NULL, 0};
    char buf[2048];
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        for (size_t shift = 0; shift < 4; shift++) {
            for (size_t count = 1; count < 700; count = count * 3 + 1) {
                size_t len = 0;
                for (size_t i = 0; i < shift; i++)
                    buf[len++] = 'x';
                for (size_t i = 0; i < count && len + strlen(units[u]) < sizeof buf; i++) {
                    memcpy(buf + len, units[u], strlen(units[u]));
                    len += strlen(units[u]);
                }
                buf[len] = '\0';
                add_input(&t, buf);
            }
        }
    }
    return t;
}

static void free_inputs(texts *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->items[i]);
    free(t->items);
}

/* s as a JSON string body: bytes kept, '"', '\' and controls escaped. */
static void json_escape(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (; *s != '\0' && n + 8 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            n += (size_t)snprintf(out + n, size - n, "\\%c", c);
        else if (c < 0x20)
            n += (size_t)snprintf(out + n, size - n, "\\u%04x", c);
        else
            out[n++] = (char)c;
    }
    out[n] = '\0';
}

static void test_texts_stay_utf8_and_cut_cleanly(void **state)
{
    (void)state;
    texts t = make_inputs();
    char line[8192], escaped[4096];
    size_t checked = 0;
    for (size_t i = 0; i < t.n; i++) {
        const char *s = t.items[i];
        vf_error err = {0};

        snprintf(line, sizeof line, "virtio-vsock,socketURL=/s,port=%s", s);
        assert_null(vf_device_from_cmdline(line, &err));
        check_text(&err, s);
        snprintf(line, sizeof line, "virtio-blk,path=/no/such/dir/%s", s);
        assert_null(vf_device_from_cmdline(line, &err));
        check_text(&err, s);
        snprintf(line, sizeof line, "%s,path=/x", s);
        assert_null(vf_device_from_cmdline(line, &err));
        check_text(&err, s);
        snprintf(line, sizeof line, "efi,variable-store=/e,%s=1", s);
        assert_null(vf_bootloader_from_cmdline(line, &err));
        check_text(&err, s);

        const char *args[] = {"--cpus", s, NULL};
        assert_null(vf_vm_from_cmdline(args, &err));
        check_text(&err, s);
        const char *device_args[] = {"--bootloader", "efi,variable-store=/e", "--device", line,
                                     NULL};
        snprintf(line, sizeof line, "virtio-blk,path=/no/such/dir/%s", s);
        assert_null(vf_vm_from_cmdline(device_args, &err));
        check_text(&err, s);

        json_escape(s, escaped, sizeof escaped);
        snprintf(line, sizeof line, "{\"devices\":[{\"kind\":\"%s\"}]}", escaped);
        assert_null(vf_vm_from_json(line, &err));
        check_text(&err, s);
        snprintf(line, sizeof line,
                 "{\"devices\":[{\"kind\":\"virtionet\",\"macAddress\":\"%s\"}]}", escaped);
        assert_null(vf_vm_from_json(line, &err));
        check_text(&err, s);

        vf_vm *vm = vf_vm_new(1, 512, (vf_bootloader *)vf_efi_bootloader_new("/e", false));
        snprintf(line, sizeof line, "/share,%s", s);
        assert_int_equal(vf_vm_add_device(vm, (vf_device *)vf_virtio_fs_new(line, "t"), &err), 0);
        assert_null(vf_vm_to_cmdline(vm, &err));
        check_text(&err, s);
        vf_vm_free(vm);
        checked += 9;
    }
    free_inputs(&t);
    print_message("%zu messages checked\n", checked);
}

/* A quote inside a value cannot end the value early: it shows as \". */
static void test_quotes_in_values_are_escaped(void **state)
{
    (void)state;
    vf_error err = {0};
    assert_null(vf_device_from_cmdline("virtio-vsock,socketURL=/s,port=1\": fake \"x", &err));
    assert_contains(err.text, "\"1\\\": fake \\\"x\"");
    assert_null(vf_device_from_cmdline("virtio-vsock,socketURL=/s,port=a\\b", &err));
    assert_contains(err.text, "\"a\\\\b\"");
    assert_null(vf_device_from_cmdline("virtio-vsock,socketURL=/s,port=\xff\xfe", &err));
    assert_contains(err.text, "\"\\xff\\xfe\"");
}

/* Messages that used to show the value before the reason. */
static void test_reason_before_value(void **state)
{
    (void)state;
    vf_error err = {0};
    assert_null(vf_device_from_cmdline("virtio-net,offloading=off,path=/a", &err));
    assert_string_equal(err.text, "virtio-net: 'offloading' requires 'type' to be specified: "
                                  "\"offloading=off\"");
    assert_location(&err, "offloading");
    assert_null(vf_virtio_input_new("joystick", &err));
    assert_string_equal(err.text, "virtio-input: unknown input type (expected 'pointing' or "
                                  "'keyboard'): \"joystick\"");
    assert_location(&err, "inputType");

    vf_virtio_blk *blk = vf_virtio_blk_new("/disk.img");
    assert_non_null(blk);
    free(blk->disk.storage.dev_name);
    blk->disk.storage.dev_name = strdup("nvme");
    assert_null(vf_device_to_cmdline(&blk->base, &err));
    assert_string_equal(err.text, "virtio-blk: 'devName' cannot be printed: vfkit reads it as the "
                                  "device type, which must be 'virtio-blk': \"nvme\"");
    assert_location(&err, "devName");
    vf_device_free(&blk->base);

    assert_null(vf_vm_from_cmdline((const char *const[]){"--cpus", "x1", NULL}, &err));
    assert_string_equal(err.text,
                        "invalid argument for \"-c, --cpus\" flag: invalid syntax: \"x1\"");
}

/* podman's disk paths are long: the reason must come before the path. */
static void test_long_paths_keep_the_reason(void **state)
{
    (void)state;
    char path[512], value[600];
    snprintf(path, sizeof path,
             "/Users/a-rather-long-user-name-for-testing/.local/share/containers/podman/"
             "machine/applehv/podman-machine-default-arm64-with-a-longer-name-%s.raw",
             "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
             "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
    snprintf(value, sizeof value, "virtio-blk,path=%s", path);
    const char *args[] = {
        "--bootloader", "efi,variable-store=/e", "--device", "virtio-rng", "--device", value, NULL};
    vf_error err = {0};
    assert_null(vf_vm_from_cmdline(args, &err));
    assert_int_equal(err.code, VF_ERR_IO);
    assert_location(&err, "--device[1].path");
    assert_contains(err.text, strerror(ENOENT));
    assert_contains(err.text, "'path'");
    assert_true(valid_utf8(err.text));
    size_t n = strlen(err.text);
    assert_true(n >= 4 && strcmp(err.text + n - 4, "...\"") == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_locations),
        cmocka_unit_test(test_cmdline_locations),
        cmocka_unit_test(test_to_cmdline_locations),
        cmocka_unit_test(test_texts_stay_utf8_and_cut_cleanly),
        cmocka_unit_test(test_quotes_in_values_are_escaped),
        cmocka_unit_test(test_long_paths_keep_the_reason),
        cmocka_unit_test(test_reason_before_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
