/*
 * libvfconfig - JSON edge cases and every error path of the JSON code:
 * syntax errors with their line and column, wrong types and out-of-range
 * numbers naming the key, kinds, encoding/json's key matching, the
 * reference's reading quirks (top level by exact name, last duplicate,
 * dropped Ignition errors, vfkitMagic), the deliberate differences, Go's
 * string escaping and indented layout, and the jansson value variants.
 * Expected bytes follow encoding/json's documented behaviour; the suite
 * runs under ASan's leak checker, so each refused input also shows that
 * nothing is left behind.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "vfconfig/vfconfig.h"

#define BL                                                                    \
    "\"bootloader\":{\"kind\":\"efiBootloader\",\"efiVariableStorePath\":\"/" \
    "s\","                                                                    \
    "\"createVariableStore\":false}"
#define DEVICES(d) "{\"vcpus\":1,\"memoryBytes\":1," BL ",\"devices\":[" d "]}"

/* ---- helpers ---- */
static void expect_error_code(const char *json, int code, const char *needle)
{
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_json(json, &err);
    if (vm != NULL) {
        char *back = vf_vm_to_json(vm, NULL);
        vf_vm_free(vm);
        fail_msg("read %s\n  as %s", json, back);
    }
    assert_int_equal(err.code, code);
    if (strstr(err.text, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err.text, needle);
}

static void expect_error(const char *json, const char *needle)
{
    expect_error_code(json, VF_ERR_JSON, needle);
}

static vf_vm *read_vm(const char *json)
{
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_json(json, &err);
    if (vm == NULL)
        fail_msg("refused %s: %s", json, err.text);
    return vm;
}

/* Reads json and checks what the VM writes back, byte for byte. */
static void expect_written(const char *json, const char *written)
{
    vf_vm *vm = read_vm(json);
    char *out = vf_vm_to_json(vm, NULL);
    assert_non_null(out);
    assert_string_equal(out, written);
    free(out);
    vf_vm_free(vm);
}

static char *device_json(const vf_device *dev)
{
    vf_error err = {0};
    char *json = vf_device_to_json(dev, VF_JSON_COMPACT, &err);
    if (json == NULL)
        fail_msg("vf_device_to_json: %s", err.text);
    return json;
}

static void expect_device_written(const char *json, const char *written)
{
    vf_error err = {0};
    vf_device *dev = vf_device_from_json(json, &err);
    if (dev == NULL)
        fail_msg("refused %s: %s", json, err.text);
    char *out = device_json(dev);
    assert_string_equal(out, written);
    free(out);
    vf_device_free(dev);
}

static void expect_device_error(const char *json, const char *needle)
{
    vf_error err = {0};
    vf_device *dev = vf_device_from_json(json, &err);
    assert_null(dev);
    assert_int_equal(err.code, VF_ERR_JSON);
    if (strstr(err.text, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err.text, needle);
}

/* ---- syntax ---- */
static void test_syntax_errors_name_line_and_column(void **state)
{
    (void)state;
    expect_error("", "line 1, column 1: unexpected end of input");
    expect_error("   ", "unexpected end of input");
    expect_error("{\"vcpus\"= 8}", "line 1, column 9: invalid character '=' after object key");
    expect_error("{\n  \"vcpus\": 8,\n  x}", "line 3, column 3: invalid character 'x' looking for "
                                             "beginning of object key string");
    /* columns count characters, not bytes */
    expect_error("{\"caf\xc3\xa9\": 1 x}", "line 1, column 12: invalid character 'x' after object "
                                           "key:value pair");
    expect_error("{}x", "line 1, column 3: invalid character 'x' after top-level value");
    expect_error("[1 2]", "invalid character '2' after array element");
    expect_error("{\"vcpus\": 8", "unexpected end of input");
    expect_error("{\"a\":\"\\x\"}", "in string escape code");
    expect_error("{\"a\":\"\\u12G4\"}", "in \\u hexadecimal character escape");
    expect_error("{\"a\":\"tab\there\"}", "in string literal");
    expect_error("{\"a\":\"abc", "line 1, column 10: unexpected end of input");
    expect_error("{\"a\":\"\\", "unexpected end of input");
    expect_error("{\"a\":\"\\u12", "unexpected end of input");
    expect_error("{\"a\":-", "unexpected end of input");
    expect_error("{\"a\"", "unexpected end of input");
    expect_error("{\"a\\q\":1}", "in string escape code");
    expect_error("{\"a\":tru}", "in literal true (expecting 'e')");
    expect_error("{\"a\":nul}", "in literal null (expecting 'l')");
    expect_error("{\"a\":fals", "unexpected end of input");
    expect_error("{\"a\":-}", "invalid character '}' in numeric literal");
    expect_error("{\"a\":1.}", "in numeric literal");
    expect_error("{\"a\":1e+}", "in numeric literal");
    expect_error("{\"vcpus\":01}", "invalid character '1' after object key:value pair");
    expect_error("{\"a\":'x'}", "invalid character '\\'' looking for beginning of value");
    expect_error("\xef\xbb\xbf{}", "byte 0xef looking for beginning of value");
    expect_error("{\"a\" 1}", "after object key");
    expect_error("{\"a\":1,}", "looking for beginning of object key string");
}

/* encoding/json allows 10000 levels of nesting, also in ignored values. */
static void test_nesting_limit(void **state)
{
    (void)state;
    for (int depth = 9999; depth <= 10000; depth++) {
        size_t n = 6 + 2 * (size_t)depth + 2;
        char *json = malloc(n);
        assert_non_null(json);
        size_t w = 0;
        memcpy(json + w, "{\"x\":", 5);
        w += 5;
        for (int i = 0; i < depth; i++)
            json[w++] = '[';
        for (int i = 0; i < depth; i++)
            json[w++] = ']';
        json[w++] = '}';
        json[w] = '\0';
        vf_error err = {0};
        vf_vm *vm = vf_vm_from_json(json, &err);
        if (depth + 1 <= 10000) { /* the object is one level, the arrays the rest */
            assert_non_null(vm);
        } else {
            assert_null(vm);
            assert_non_null(strstr(err.text, "deeper than 10000"));
        }
        vf_vm_free(vm);
        free(json);
    }
}

static void test_top_level(void **state)
{
    (void)state;
    /* null is an empty VM, as json.Unmarshal leaves it */
    expect_written("null", "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null}");
    expect_written(" {} ", "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null}");
    expect_error("[{\"vcpus\":2}]", "a VM must be a JSON object, not an array");
    expect_error("\"vm\"", "not a string");
    expect_error("3", "not a number");
    expect_error("true", "not a boolean");

    vf_error err = {0};
    assert_null(vf_vm_from_json(NULL, &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    /* the size limit is checked before a byte is read */
    static const char tiny[] = "{}";
    assert_null(vf_vm_from_json_buffer(tiny, VF_MAX_INPUT_BYTES + 1, &err));
    assert_int_equal(err.code, VF_ERR_LIMIT);
    /* a buffer need not be NUL-terminated */
    assert_null(vf_vm_from_json_buffer(NULL, 0, &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    static const char unterminated[] = {'{', '}', 'x'};
    vf_vm *vm = vf_vm_from_json_buffer(unterminated, 2, &err);
    assert_non_null(vm);
    vf_vm_free(vm);
}

/* ---- numbers: Go's ranges, integers only ---- */
static void test_vm_numbers(void **state)
{
    (void)state;
    static const char *const bad_vcpus[] = {"-1",
                                            "-0",
                                            "1.5",
                                            "1.0",
                                            "1e3",
                                            "-0.0",
                                            "\"2\"",
                                            "true",
                                            "[]",
                                            "{}",
                                            "18446744073709551616"};
    for (size_t i = 0; i < sizeof bad_vcpus / sizeof bad_vcpus[0]; i++) {
        char json[128];
        snprintf(json, sizeof json, "{\"vcpus\":%s}", bad_vcpus[i]);
        expect_error(json, "invalid value for 'vcpus'");
    }
    expect_error("{\"memoryBytes\":18446744073709551616}",
                 "invalid value for 'memoryBytes' (want an integer from 0 to "
                 "18446744073709551615)"
                 ": 18446744073709551616");
    expect_error("{\"memoryBytes\":-5}",
                 "invalid value for 'memoryBytes' (want an integer from 0 to "
                 "18446744073709551615): -5");
    /* the whole uint64 range reads, beyond what jansson's integers hold */
    expect_written("{\"vcpus\":18446744073709551615,\"memoryBytes\":18446744073709551615}",
                   "{\"vcpus\":18446744073709551615,\"memoryBytes\":18446744073709551615,"
                   "\"bootloader\":null}");
}

static void test_component_numbers(void **state)
{
    (void)state;
    expect_error("{\"timesync\":{\"vsockPort\":4294967296}}",
                 "timesync: invalid value for 'vsockPort' (want an integer from "
                 "0 to 4294967295)"
                 ": 4294967296");
    expect_error("{\"timesync\":{\"vsockPort\":-1}}",
                 "invalid value for 'vsockPort' (want an integer from 0 to "
                 "4294967295): -1");
    expect_error("{\"timesync\":{\"vsockPort\":\"1\"}}",
                 "invalid value for 'vsockPort' (want an integer from 0 to "
                 "4294967295): \"1\"");
    expect_error("{\"timesync\":5}", "timesync: timesync must be a JSON object, not a number");
    expect_written("{\"timesync\":{\"vsockPort\":4294967295}}",
                   "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null,"
                   "\"timesync\":{\"vsockPort\":"
                   "4294967295}}");
    expect_written("{\"timesync\":{}}", "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null,"
                                        "\"timesync\":{\"vsockPort\":0}}");
    /* Go int and time.Duration are signed 64-bit */
    expect_device_written("{\"kind\":\"virtiogpu\",\"width\":-9223372036854775808,\"height\":-0}",
                          "{\"kind\":\"virtiogpu\",\"usesGUI\":false,\"width\":-"
                          "9223372036854775808,"
                          "\"height\":0}");
    expect_device_error("{\"kind\":\"virtiogpu\",\"width\":9223372036854775808}",
                        "virtiogpu: invalid value for 'width' (want a 64-bit integer)"
                        ": 9223372036854775808");
    expect_device_error("{\"kind\":\"virtiogpu\",\"height\":-9223372036854775809}",
                        "invalid value for 'height'");
    expect_device_error("{\"kind\":\"virtiogpu\",\"height\":600.0}",
                        "invalid value for 'height' (want a 64-bit integer): 600.0");
    expect_device_error("{\"kind\":\"nbd\",\"Timeout\":1.5}",
                        "nbd: invalid value for 'Timeout' (want a 64-bit integer): 1.5");
    expect_device_error("{\"kind\":\"virtiosock\",\"port\":4294967296}",
                        "virtiosock: invalid value for 'port' (want an integer "
                        "from 0 to 4294967295): 4294967296");
}

/* ---- types ---- */
static void test_wrong_types_name_the_key(void **state)
{
    (void)state;
    expect_device_error("{\"kind\":\"virtionet\",\"nat\":1.25}",
                        "virtionet: invalid value for 'nat' (want true or false): 1.25");
    expect_device_error("{\"kind\":\"virtioblk\",\"readOnly\":\"true\"}",
                        "invalid value for 'readOnly' (want true or false): \"true\"");
    expect_device_error("{\"kind\":\"rosetta\",\"mountTag\":[]}",
                        "rosetta: invalid value for 'mountTag' (want a string): an array");
    expect_device_error("{\"kind\":\"nbd\",\"devName\":7}",
                        "invalid value for 'devName' (want a string): 7");
    expect_device_error("{\"kind\":\"virtiofs\",\"sharedDir\":{\"a\":1}}",
                        "invalid value for 'sharedDir' (want a string): an object");
    expect_device_error("{\"kind\":\"virtiofs\",\"sharedDir\":\"a\\u0000b\"}",
                        "invalid value for 'sharedDir': the string holds a NUL character");
    expect_device_error("{\"kind\":\"virtionet\",\"macAddress\":true}",
                        "invalid value for 'macAddress' (want a string): true");
    /* a string, but not a MAC address: an invalid value */
    vf_error err = {0};
    assert_null(vf_device_from_json("{\"kind\":\"virtionet\",\"macAddress\":\"zz:11\"}", &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "virtionet: invalid value for 'macAddress'"));
    assert_non_null(strstr(err.text, "zz:11"));
    char long_mac[300];
    snprintf(long_mac, sizeof long_mac, "{\"kind\":\"virtionet\",\"macAddress\":\"%0200d\"}", 0);
    expect_device_error(long_mac, "invalid value for 'macAddress' (want a MAC address): \"0000");
    /* errors in the VM say where */
    expect_error(DEVICES("{\"kind\":\"virtiorng\"},{\"kind\":\"virtiosock\",\"port\":-1}"),
                 "devices[1]: virtiosock: invalid value for 'port' (want an integer from "
                 "0 to 4294967295): -1");
    expect_error("{\"bootloader\":{\"kind\":\"linuxBootloader\",\"vmlinuzPath\":false}}",
                 "bootloader: linuxBootloader: invalid value for 'vmlinuzPath' (want a "
                 "string): false");
    expect_error("{\"restfulURI\":5}", "invalid value for 'restfulURI' (want a string): 5");
    expect_error("{\"cloudInit\":\"user-data\"}", "invalid value for 'cloudInit'");
    expect_error("{\"cloudInit\":[\"user-data\",3]}",
                 "invalid value for 'cloudInit' (want an array of file names): 3");
}

static void test_kinds(void **state)
{
    (void)state;
    expect_error(DEVICES("{\"devName\":\"virtio-blk\"}"), "devices[0]: missing 'kind'");
    expect_error(DEVICES("{\"kind\":\"\"}"), "devices[0]: missing 'kind'");
    expect_error(DEVICES("{\"kind\":null,\"nat\":true}"), "devices[0]: missing 'kind'");
    expect_error(DEVICES("{\"kind\":5}"),
                 "devices[0]: invalid value for 'kind' (want a string): 5");
    expect_error(DEVICES("{\"kind\":\"VirtioBlk\"}"),
                 "devices[0]: unknown device 'kind': \"VirtioBlk\"");
    expect_error(DEVICES("{\"kind\":\"virtio-blk\"}"), "unknown device 'kind': \"virtio-blk\"");
    expect_error(DEVICES("null"), "devices[0]: null is not a device");
    expect_error(DEVICES("{\"kind\":\"virtiorng\"},[]"),
                 "devices[1]: a device must be a JSON object, not an array");
    expect_error("{\"devices\":\"x\"}", "'devices' must be a JSON array, not a string");
    expect_error("{\"devices\":{}}", "'devices' must be a JSON array, not an object");
    expect_error("{\"bootloader\":{}}", "bootloader: missing 'kind'");
    expect_error("{\"bootloader\":\"efi\"}",
                 "bootloader: a bootloader must be a JSON object, not a string");
    expect_error("{\"bootloader\":[]}", "not an array");
    expect_error("{\"bootloader\":{\"kind\":\"macos\"}}", "unknown bootloader 'kind': \"macos\"");
    char long_kind[300];
    memset(long_kind, 'k', sizeof long_kind);
    memcpy(long_kind, "{\"bootloader\":{\"kind\":\"", 23);
    memcpy(long_kind + sizeof long_kind - 5, "\"}}", 4);
    expect_error(long_kind, "unknown 'kind': \"kkk");
    /* the last non-null kind counts */
    expect_written(DEVICES("{\"kind\":\"virtiorng\",\"KIND\":\"virtioballoon\",\"kind\":null}"),
                   "{\"vcpus\":1,\"memoryBytes\":1," BL
                   ",\"devices\":[{\"kind\":\"virtioballoon\"}]}");
}

/* ---- encoding/json's key matching, and the reference's top level ---- */
static void test_key_matching(void **state)
{
    (void)state;
    /* components: case-insensitive, with Go's two non-ASCII folds */
    expect_device_written("{\"KIND\":\"virtiofs\",\"MOUNTTAG\":\"a\",\"SharedDir\":\"/d\"}",
                          "{\"kind\":\"virtiofs\",\"mountTag\":\"a\",\"sharedDir\":\"/d\"}");
    expect_device_written("{\"\xe2\x84\xaaind\":\"virtiofs\",\"\xc5\xbfharedDir\":\"/d\"}",
                          "{\"kind\":\"virtiofs\",\"mountTag\":\"\",\"sharedDir\":\"/d\"}");
    expect_device_written("{\"\\u212aind\":\"virtiofs\",\"\\u017FHAREDDIR\":\"/d\"}",
                          "{\"kind\":\"virtiofs\",\"mountTag\":\"\",\"sharedDir\":\"/d\"}");
    /* U+0130 and U+0131 do not fold to i in encoding/json: ignored keys */
    expect_device_written("{\"kind\":\"virtiofs\",\"\xc4\xb0mountTag\":\"a\",\"sharedD\xc4\xb1r\":"
                          "\"/d\"}",
                          "{\"kind\":\"virtiofs\",\"mountTag\":\"\",\"sharedDir\":\"\"}");
    expect_device_written("{\"kind\":\"virtiofs\",\"mount\\u0000Tag\":\"a\"}",
                          "{\"kind\":\"virtiofs\",\"mountTag\":\"\",\"sharedDir\":\"\"}");
    expect_device_written("{\"\\u006bind\":\"virtiofs\",\"mountTag\":\"a\"}",
                          "{\"kind\":\"virtiofs\",\"mountTag\":\"a\",\"sharedDir\":\"\"}");
    /* v0.6.0's deviceIdentifier on nbd reads as v0.6.4's DeviceIdentifier */
    expect_device_written("{\"kind\":\"nbd\",\"devName\":\"nbd\",\"uri\":\"nbd://h\","
                          "\"deviceIdentifier\":\"id\",\"Timeout\":15000000000,"
                          "\"SynchronizationMode\":\"full\"}",
                          "{\"kind\":\"nbd\",\"devName\":\"nbd\",\"uri\":\"nbd://h\","
                          "\"DeviceIdentifier\":\"id\",\"Timeout\":15000000000,"
                          "\"SynchronizationMode\":\"full\"}");
    /* every occurrence is decoded in order: the last wins, an earlier
   * wrong type is still an error */
    expect_device_written("{\"kind\":\"virtiofs\",\"mountTag\":\"a\",\"MountTag\":\"b\"}",
                          "{\"kind\":\"virtiofs\",\"mountTag\":\"b\",\"sharedDir\":\"\"}");
    expect_device_error("{\"kind\":\"virtiofs\",\"mountTag\":5,\"mountTag\":\"b\"}",
                        "invalid value for 'mountTag' (want a string): 5");
    expect_device_written("{\"kind\":\"virtiofs\",\"mountTag\":\"a\",\"mountTag\":null}",
                          "{\"kind\":\"virtiofs\",\"mountTag\":\"a\",\"sharedDir\":\"\"}");
    /* unknown keys are ignored whatever they hold */
    expect_device_written("{\"kind\":\"virtiorng\",\"extra\":{\"a\":[1,2,{\"b\":"
                          "null}]},\"n\":1e999}",
                          "{\"kind\":\"virtiorng\"}");

    /* the VM's top level: exact names, the last occurrence replaces the rest */
    expect_written("{\"VCPUS\":4,\"Vcpus\":5,\"MemoryBytes\":6,\"Nested\":true,\"extraField\":1}",
                   "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null}");
    /* "nested" is read back (difference 8) when it is a boolean; like the
     * reference, which ignores the key, the reader takes any other value */
    expect_written("{\"nested\":true}", "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null,"
                                        "\"nested\":true}");
    expect_written("{\"nested\":\"yes\"}", "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null}");
    expect_written("{\"nested\":true,\"nested\":false}",
                   "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null}");
    expect_written("{\"vcpus\":\"x\",\"vcpus\":2}",
                   "{\"vcpus\":2,\"memoryBytes\":0,\"bootloader\":null}");
    expect_written("{\"vcpus\":2,\"vcpus\":null}",
                   "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null}");
    expect_written("{\"vcpus\":null,\"memoryBytes\":null,\"bootloader\":null,"
                   "\"devices\":null,"
                   "\"timesync\":null,\"ignition\":null}",
                   "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null}");
    expect_written("{\"devices\":[]}", "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null}");
}

/* ---- strings as Go decodes them ---- */
static void test_string_decoding(void **state)
{
    (void)state;
    vf_error err = {0};
    static const struct {
        const char *json, *value;
    } cases[] = {
        {"\"caf\\u00e9 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"", "caf\xc3\xa9 \"q\" \\ / \b\f\n\r\t"},
        {"\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80"},         /* a surrogate pair */
        {"\"\\ud800x\"", "\xef\xbf\xbdx"},                  /* a lone high surrogate */
        {"\"\\udc00\\ud800\"", "\xef\xbf\xbd\xef\xbf\xbd"}, /* low then high */
        {"\"\\ud800\\u0041\"", "\xef\xbf\xbd"
                               "A"}, /* high then no low */
        {"\"a\xff"
         "b\"",
         "a\xef\xbf\xbd"
         "b"},                                                        /* invalid UTF-8 */
        {"\"\xed\xa0\x80\"", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* an encoded surrogate */
        {"\"\xc3\"", "\xef\xbf\xbd"},                                 /* cut short */
        {"\"\xf4\x90\x80\x80\"", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
        {"\"\xe2\x80\xa8\"", "\xe2\x80\xa8"},
        {"\"\xe0\x80\x80\"", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* overlong */
        {"\"\xe2\x82(\"", "\xef\xbf\xbd\xef\xbf\xbd("},               /* bad third byte */
        {"\"\xf0\x9f\x98\x80\xc3\xa9\"", "\xf0\x9f\x98\x80\xc3\xa9"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[256];
        snprintf(json, sizeof json, "{\"kind\":\"virtiofs\",\"sharedDir\":%s}", cases[i].json);
        vf_device *dev = vf_device_from_json(json, &err);
        if (dev == NULL)
            fail_msg("case %zu refused: %s", i, err.text);
        assert_string_equal(vf_device_as_virtio_fs(dev)->shared_dir, cases[i].value);
        vf_device_free(dev);
    }
}

/* ---- the reference's reading quirks ---- */
static void test_ignition_errors_are_dropped(void **state)
{
    (void)state;
    /* json.go loses unmarshalIgnition's error: the VM reads, without Ignition */
    expect_written("{\"ignition\":{\"configPath\":5}}",
                   "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null}");
    expect_written("{\"ignition\":\"x\"}", "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null}");
    expect_written("{\"ignition\":{\"kind\":5}}",
                   "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null,"
                   "\"ignition\":{\"kind\":\"ignition\",\"configPath\":\"\"}}");
    vf_vm *vm = read_vm("{\"ignition\":{\"CONFIGPATH\":\"/i.ign\",\"socketPath\":\"/s\"}}");
    assert_non_null(vm->ignition);
    assert_string_equal(vm->ignition->config_path, "/i.ign");
    assert_string_equal(vm->ignition->socket_path, "/s");
    assert_int_equal(vm->ignition->vsock_port, VF_IGNITION_VSOCK_PORT);
    vf_vm_free(vm);

    /* read on its own, an Ignition config reports its errors */
    vf_error err = {0};
    assert_null(vf_ignition_from_json("{\"configPath\":5}", &err));
    assert_non_null(strstr(err.text, "invalid value for 'configPath' (want a string): 5"));
    assert_null(vf_ignition_from_json("null", &err));
    assert_non_null(strstr(err.text, "ignition must be a JSON object, not null"));
    assert_null(vf_ignition_from_json("{", &err));
    assert_int_equal(err.code, VF_ERR_JSON);
    assert_null(vf_ignition_from_json(NULL, &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    vf_ignition *ign = vf_ignition_from_json("{\"kind\":\"ignition\",\"configPath\":\"/c\"}", &err);
    assert_non_null(ign);
    char *json = vf_ignition_to_json(ign, VF_JSON_COMPACT, &err);
    assert_string_equal(json, "{\"kind\":\"ignition\",\"configPath\":\"/c\"}");
    free(json);
    vf_ignition_free(ign);
}

static void test_zero_values_not_defaults(void **state)
{
    (void)state;
    /* Go decodes into a zero struct: no devName, timeout or sync mode */
    expect_device_written("{\"kind\":\"nbd\"}", "{\"kind\":\"nbd\",\"devName\":\"\","
                                                "\"DeviceIdentifier\":\"\",\"Timeout\":0,"
                                                "\"SynchronizationMode\":\"\"}");
    expect_device_written("{\"kind\":\"virtioblk\"}", "{\"kind\":\"virtioblk\",\"devName\":\"\"}");
    expect_device_written("{\"kind\":\"virtiogpu\"}",
                          "{\"kind\":\"virtiogpu\",\"usesGUI\":false,\"width\":0,\"height\":0}");
}

static void test_vfkit_magic(void **state)
{
    (void)state;
    /* on by default with a unix socket, off without one */
    expect_device_written(
        "{\"kind\":\"virtionet\",\"unixSocketPath\":\"/g\"}",
        "{\"kind\":\"virtionet\",\"nat\":false,\"unixSocketPath\":\"/g\",\"vfkitMagic\":true}");
    expect_device_written(
        "{\"kind\":\"virtionet\",\"unixSocketPath\":\"/g\",\"vfkitMagic\":null}",
        "{\"kind\":\"virtionet\",\"nat\":false,\"unixSocketPath\":\"/g\",\"vfkitMagic\":true}");
    /* off with a socket path is written explicitly (difference 9), which the
     * reference's reader honours where its writer would leave it out */
    expect_device_written("{\"kind\":\"virtionet\",\"unixSocketPath\":\"/g\",\"VFKITMAGIC\":false}",
                          "{\"kind\":\"virtionet\",\"nat\":false,\"unixSocketPath\":\"/g\","
                          "\"vfkitMagic\":false}");
    expect_device_written("{\"kind\":\"virtionet\",\"nat\":true,\"vfkitMagic\":true}",
                          "{\"kind\":\"virtionet\",\"nat\":true}");
    /* the MAC is parsed once, from the last value; "" is none */
    expect_device_written("{\"kind\":\"virtionet\",\"nat\":true,\"macAddress\":\"bad\","
                          "\"macAddress\":\"5A:94:EF:E4:0C:EE\"}",
                          "{\"kind\":\"virtionet\",\"nat\":true,\"macAddress\":\"5a:94:ef:e4:0c:"
                          "ee\"}");
    expect_device_written("{\"kind\":\"virtionet\",\"nat\":true,\"macAddress\":"
                          "\"5a:94:ef:e4:0c:ee\","
                          "\"macAddress\":\"\"}",
                          "{\"kind\":\"virtionet\",\"nat\":true}");
    expect_device_written("{\"kind\":\"virtionet\",\"macAddress\":null}",
                          "{\"kind\":\"virtionet\",\"nat\":false}");
}

/* ---- deliberate differences ---- */
static void test_net_socket_and_fd(void **state)
{
    (void)state;
    /* difference 6: the reference crashes later on such a file */
    expect_device_error("{\"kind\":\"virtionet\",\"nat\":false,\"socket\":{}}",
                        "'socket' cannot be read");
    expect_device_error("{\"kind\":\"virtionet\",\"SOCKET\":5}", "'socket' cannot be read");
    expect_error(DEVICES("{\"kind\":\"virtionet\",\"nat\":false,\"socket\":{}}"),
                 "devices[0]: virtionet: 'socket' cannot be read");
    expect_device_written("{\"kind\":\"virtionet\",\"nat\":true,\"socket\":null}",
                          "{\"kind\":\"virtionet\",\"nat\":true}");
    /* the library's own "fd" key carries a descriptor where Go writes "socket" */
    vf_virtio_net *net = vf_virtio_net_new(NULL, NULL);
    assert_non_null(net);
    vf_virtio_net_set_socket(net, 5);
    char *json = device_json(&net->base);
    assert_string_equal(json, "{\"kind\":\"virtionet\",\"nat\":false,\"fd\":5}");
    /* difference 11: read back only by the process that saved it */
    assert_null(vf_device_from_json(json, NULL));
    vf_device *back = vf_device_from_json_ex(json, VF_JSON_ALLOW_FD, NULL);
    assert_non_null(back);
    assert_int_equal(vf_device_as_virtio_net(back)->socket_fd, 5);
    vf_device_free(back);
    free(json);
    vf_device_free(&net->base);
    expect_device_error("{\"kind\":\"virtionet\",\"fd\":0}", "virtionet: 'fd' is refused: 0 is");
    expect_error(DEVICES("{\"kind\":\"virtionet\",\"fd\":2}"),
                 "devices[0]: virtionet: 'fd' is refused: 2 is a descriptor number");
    expect_error(DEVICES("{\"kind\":\"virtionet\",\"FD\":3}"), "'fd' is refused: 3");
    vf_vm *vm =
        vf_vm_from_json_ex(DEVICES("{\"kind\":\"virtionet\",\"fd\":2}"), VF_JSON_ALLOW_FD, NULL);
    assert_non_null(vm);
    assert_int_equal(vf_device_as_virtio_net(vm->devices[0])->socket_fd, 2);
    vf_vm_free(vm);
    json_t *value = json_pack("{s:s,s:i}", "kind", "virtionet", "fd", 0);
    assert_non_null(value);
    assert_null(vf_device_from_json_value(value, NULL));
    back = vf_device_from_json_value_ex(value, VF_JSON_ALLOW_FD, NULL);
    assert_non_null(back);
    assert_int_equal(vf_device_as_virtio_net(back)->socket_fd, 0);
    vf_device_free(back);
    json_decref(value);
    back = vf_device_from_json_ex("{\"kind\":\"virtionet\",\"fd\":0}", VF_JSON_ALLOW_FD, NULL);
    assert_non_null(back);
    json = device_json(back);
    assert_string_equal(json, "{\"kind\":\"virtionet\",\"nat\":false,\"fd\":0}");
    free(json);
    vf_device_free(back);
    expect_device_written("{\"kind\":\"virtionet\",\"nat\":true}",
                          "{\"kind\":\"virtionet\",\"nat\":true}");
    expect_device_error("{\"kind\":\"virtionet\",\"fd\":-1}",
                        "invalid value for 'fd' (want a file descriptor number): -1");
    expect_device_error("{\"kind\":\"virtionet\",\"fd\":2147483648}", "invalid value for 'fd'");
}

static void test_macos_bootloader(void **state)
{
    (void)state;
    /* difference 5: a kind of its own, so it reads back */
    vf_macos_bootloader *mac = vf_macos_bootloader_new("/m", "/h", "/a");
    assert_non_null(mac);
    vf_vm *vm = vf_vm_new(2, 1024, &mac->base);
    char *json = vf_vm_to_json(vm, NULL);
    static const char written[] =
        "{\"vcpus\":2,\"memoryBytes\":1073741824,\"bootloader\":{\"kind\":"
        "\"macosBootloader\","
        "\"machineIdentifierPath\":\"/m\",\"hardwareModelPath\":\"/"
        "h\",\"auxImagePath\":\"/a\"}}";
    assert_string_equal(json, written);
    vf_vm_free(vm);
    free(json);
    expect_written(written, written);
    vf_error err = {0};
    vf_bootloader *bl =
        vf_bootloader_from_json("{\"kind\":\"macosBootloader\",\"auxImagePath\":\"/x\"}", &err);
    assert_non_null(vf_bootloader_as_macos(bl));
    assert_string_equal(vf_bootloader_as_macos(bl)->aux_image_path, "/x");
    vf_bootloader_free(bl);
    assert_null(vf_bootloader_from_json("[]", &err));
    assert_null(vf_bootloader_from_json(NULL, &err));
    assert_null(
        vf_bootloader_from_json("{\"kind\":\"efiBootloader\",\"createVariableStore\":1}", &err));
    assert_non_null(strstr(err.text, "efiBootloader: invalid value for 'createVariableStore' "
                                     "(want true or false): 1"));
}

static void test_launch_flags_round_trip(void **state)
{
    (void)state;
    /* difference 2's flags, under keys the reference ignores; after nested */
    static const char written[] =
        "{\"vcpus\":1,\"memoryBytes\":0,\"bootloader\":null,\"nested\":true,"
        "\"restfulURI\":"
        "\"tcp://localhost:8080\",\"logLevel\":\"debug\",\"pidFile\":\"/run/"
        "vfkit.pid\","
        "\"cloudInit\":[\"user-data\",\"meta-data\"]}";
    /* a cloud-init vector is one allocation: take one the reader made */
    vf_vm *vm = read_vm("{\"vcpus\":1,\"cloudInit\":[\"user-data\",\"meta-data\"]}");
    vm->nested = true;
    vm->restful_uri = strdup("tcp://localhost:8080");
    vm->log_level = strdup("debug");
    vm->pidfile = strdup("/run/vfkit.pid");
    char *json = vf_vm_to_json(vm, NULL);
    assert_string_equal(json, written);
    free(json);
    vf_vm_free(vm);
    /* everything is read back, nested too (difference 8) */
    vm = read_vm(written);
    assert_true(vm->nested);
    assert_string_equal(vm->restful_uri, "tcp://localhost:8080");
    assert_string_equal(vm->log_level, "debug");
    assert_string_equal(vm->pidfile, "/run/vfkit.pid");
    assert_int_equal(vf_strv_length(vm->cloud_init), 2);
    assert_string_equal(vm->cloud_init[1], "meta-data");
    vf_vm_free(vm);
    /* empty values stay out, so reference-equal JSON stays reference-equal */
    expect_written("{\"restfulURI\":\"\",\"cloudInit\":[],\"logLevel\":null}",
                   "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null}");
    /* the names are exact, as the reference's top level */
    expect_written("{\"RestfulURI\":\"x\",\"pidfile\":\"y\"}",
                   "{\"vcpus\":0,\"memoryBytes\":0,\"bootloader\":null}");
}

/* ---- writing: Go's bytes ---- */
static void test_go_string_escaping(void **state)
{
    (void)state;
    vf_virtio_fs *fs = vf_virtio_fs_new("<a>&b\xe2\x80\xa8\xe2\x80\xa9\x01\x1f\x7f\b\f\n\r\t\"\\/"
                                        "caf\xc3\xa9\xff\xc3",
                                        "\xf0\x9f\x98\x80");
    assert_non_null(fs);
    /* by default a string that is not UTF-8 is refused, naming the field */
    vf_error err = {0};
    assert_null(vf_device_to_json(&fs->base, VF_JSON_COMPACT, &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "'sharedDir' is not valid UTF-8"));
    /* VF_JSON_LOSSY_UTF8 writes Go's bytes */
    char *json = vf_device_to_json(&fs->base, VF_JSON_LOSSY_UTF8, &err);
    assert_non_null(json);
    assert_string_equal(json,
                        "{\"kind\":\"virtiofs\",\"mountTag\":\"\xf0\x9f\x98\x80\",\"sharedDir\":"
                        "\"\\u003ca\\u003e\\u0026b\\u2028\\u2029\\u0001\\u001f\x7f\\b\\f\\n\\r\\t"
                        "\\\"\\\\/caf\xc3\xa9\\ufffd\\ufffd\"}");
    /* and it reads back, invalid bytes as U+FFFD */
    vf_device *back = vf_device_from_json(json, NULL);
    assert_non_null(back);
    assert_string_equal(vf_device_as_virtio_fs(back)->shared_dir,
                        "<a>&b\xe2\x80\xa8\xe2\x80\xa9\x01\x1f\x7f\b\f\n\r\t\"\\/caf\xc3\xa9"
                        "\xef\xbf\xbd\xef\xbf\xbd");
    vf_device_free(back);
    free(json);
    vf_device_free(&fs->base);
}

static void test_pretty_layout(void **state)
{
    (void)state;
    /* json.MarshalIndent(vm, "", "  ") */
    vf_efi_bootloader *efi = vf_efi_bootloader_new("/s", true);
    vf_vm *vm = vf_vm_new(2, 1, &efi->base);
    assert_int_equal(vf_vm_add_device(vm, &vf_virtio_rng_new()->base, NULL), 0);
    vf_virtio_vsock *vsock = vf_virtio_vsock_new(1024, "/v", false);
    assert_int_equal(vf_vm_add_device(vm, &vsock->base, NULL), 0);
    char *json = vf_vm_to_json_ex(vm, VF_JSON_PRETTY, NULL);
    assert_string_equal(json, "{\n"
                              "  \"vcpus\": 2,\n"
                              "  \"memoryBytes\": 1048576,\n"
                              "  \"bootloader\": {\n"
                              "    \"kind\": \"efiBootloader\",\n"
                              "    \"efiVariableStorePath\": \"/s\",\n"
                              "    \"createVariableStore\": true\n"
                              "  },\n"
                              "  \"devices\": [\n"
                              "    {\n"
                              "      \"kind\": \"virtiorng\"\n"
                              "    },\n"
                              "    {\n"
                              "      \"kind\": \"virtiosock\",\n"
                              "      \"port\": 1024,\n"
                              "      \"socketURL\": \"/v\"\n"
                              "    }\n"
                              "  ]\n"
                              "}");
    free(json);
    json = vf_device_to_json(vm->devices[0], VF_JSON_PRETTY, NULL);
    assert_string_equal(json, "{\n  \"kind\": \"virtiorng\"\n}");
    free(json);
    vf_vm_free(vm);
    vm = vf_vm_new(0, 0, NULL);
    json = vf_vm_to_json_ex(vm, VF_JSON_PRETTY, NULL);
    assert_string_equal(json,
                        "{\n  \"vcpus\": 0,\n  \"memoryBytes\": 0,\n  \"bootloader\": null\n}");
    free(json);
    vf_timesync *ts = vf_timesync_new(7);
    json = vf_timesync_to_json(ts, VF_JSON_PRETTY, NULL);
    assert_string_equal(json, "{\n  \"vsockPort\": 7\n}");
    free(json);
    vf_timesync_free(ts);
    vf_vm_free(vm);
}

static void test_writer_errors(void **state)
{
    (void)state;
    vf_error err = {0};
    assert_null(vf_vm_to_json(NULL, &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    assert_null(vf_device_to_json(NULL, 0, &err));
    assert_null(vf_bootloader_to_json(NULL, 0, &err));
    assert_null(vf_timesync_to_json(NULL, 0, &err));
    assert_null(vf_ignition_to_json(NULL, 0, &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    vf_vm *vm = vf_vm_new(1, 1, NULL);
    assert_null(vf_vm_to_json_ex(vm, 0x80, &err));
    assert_non_null(strstr(err.text, "unknown JSON flags 0x80"));
    /* a kind outside the enum */
    vf_virtio_rng *rng = vf_virtio_rng_new();
    assert_int_equal(vf_vm_add_device(vm, &rng->base, NULL), 0);
    rng->base.kind = (vf_device_kind)99;
    assert_null(vf_vm_to_json(vm, &err));
    assert_non_null(strstr(err.text, "devices[0]: device has an unknown kind (99)"));
    assert_null(vf_vm_to_json_value(vm, &err));
    rng->base.kind = VF_DEVICE_VIRTIO_RNG;
    vf_efi_bootloader *efi = vf_efi_bootloader_new("/s", false);
    vf_vm_set_bootloader(vm, &efi->base);
    efi->base.kind = (vf_bootloader_kind)7;
    assert_null(vf_vm_to_json(vm, &err));
    assert_non_null(strstr(err.text, "bootloader has an unknown kind (7)"));
    efi->base.kind = VF_BOOTLOADER_EFI;
    vf_vm_free(vm);

    assert_null(vf_timesync_from_json("[1]", &err));
    assert_non_null(strstr(err.text, "timesync must be a JSON object, not an array"));
    assert_null(vf_timesync_from_json(NULL, &err));
    assert_null(vf_timesync_from_json("{\"vsockPort\":1", &err));
    vf_timesync *ts = vf_timesync_from_json("{\"VsockPort\":9,\"vsockPort\":null}", &err);
    assert_non_null(ts);
    assert_int_equal(ts->vsock_port, 9);
    vf_timesync_free(ts);
    assert_null(vf_device_from_json(NULL, &err));
    assert_null(vf_device_from_json("{\"kind\":", &err));
    assert_int_equal(err.code, VF_ERR_JSON);
}

/* ---- jansson values ---- */
static void test_json_values(void **state)
{
    (void)state;
    vf_error err = {0};
    static const char text[] =
        "{\"vcpus\":4,\"memoryBytes\":2147483648,\"bootloader\":{\"kind\":"
        "\"linuxBootloader\","
        "\"vmlinuzPath\":\"/k\",\"kernelCmdLine\":\"c\",\"initrdPath\":\"/"
        "i\"},\"devices\":["
        "{\"kind\":\"virtionet\",\"nat\":true,\"macAddress\":\"5a:94:ef:e4:0c:"
        "ee\"},"
        "{\"kind\":\"nbd\",\"devName\":\"nbd\",\"uri\":\"nbd://"
        "h\",\"DeviceIdentifier\":\"\","
        "\"Timeout\":-1,\"SynchronizationMode\":\"full\"}],\"timesync\":{"
        "\"vsockPort\":1234}}";
    vf_vm *vm = read_vm(text);
    json_t *value = vf_vm_to_json_value(vm, &err);
    assert_non_null(value);
    json_t *parsed = json_loads(text, 0, NULL);
    assert_true(json_equal(value, parsed));
    char *dumped = json_dumps(value, JSON_COMPACT);
    assert_string_equal(dumped, text); /* same keys, same order */
    free(dumped);
    vf_vm *back = vf_vm_from_json_value(value, &err);
    assert_non_null(back);
    char *again = vf_vm_to_json(back, NULL);
    assert_string_equal(again, text);
    free(again);
    vf_vm_free(back);

    json_t *dev = vf_device_to_json_value(vm->devices[1], &err);
    assert_true(json_equal(dev, json_array_get(json_object_get(parsed, "devices"), 1)));
    vf_device *dev_back = vf_device_from_json_value(dev, &err);
    assert_non_null(dev_back);
    assert_int_equal(vf_device_as_network_block_device(dev_back)->timeout_ns, -1);
    vf_device_free(dev_back);
    json_decref(dev);
    json_t *bl = vf_bootloader_to_json_value(vm->bootloader, &err);
    assert_true(json_equal(bl, json_object_get(parsed, "bootloader")));
    vf_bootloader *bl_back = vf_bootloader_from_json_value(bl, &err);
    assert_non_null(vf_bootloader_as_linux(bl_back));
    vf_bootloader_free(bl_back);
    json_decref(bl);
    json_decref(parsed);
    json_decref(value);

    /* jansson integers are signed: the top of uint64 is refused by name */
    vm->memory_bytes = UINT64_MAX;
    assert_null(vf_vm_to_json_value(vm, &err));
    assert_int_equal(err.code, VF_ERR_LIMIT);
    assert_non_null(strstr(err.text, "'memoryBytes': 18446744073709551615 does not fit"));
    vf_vm_free(vm);

    /* a real where Go wants an integer is refused, as Go refuses 4.0 */
    json_t *with_real = json_pack("{s:f}", "vcpus", 4.0);
    assert_null(vf_vm_from_json_value(with_real, &err));
    assert_non_null(strstr(err.text, "invalid value for 'vcpus' (want an integer "
                                     "from 0 to 18446744073709551615): 4.0"));
    json_decref(with_real);
    /* a NUL inside a jansson string */
    json_t *nul = json_pack("{s:s,s:s%}", "kind", "virtiofs", "sharedDir", "a\0b", (size_t)3);
    assert_null(vf_device_from_json_value(nul, &err));
    assert_non_null(strstr(err.text, "NUL character"));
    json_decref(nul);
    /* a value that contains itself: read to the depth that matters, no further */
    json_t *cycle = json_object(), *devices = json_array();
    assert_int_equal(json_object_set(cycle, "devices", devices), 0);
    assert_int_equal(json_array_append(devices, cycle), 0);
    assert_null(vf_vm_from_json_value(cycle, &err));
    assert_non_null(strstr(err.text, "devices[0]: missing 'kind'"));
    json_array_clear(devices);
    json_decref(devices);
    json_decref(cycle);
    assert_null(vf_vm_from_json_value(NULL, &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    assert_null(vf_device_from_json_value(NULL, &err));
    assert_null(vf_bootloader_from_json_value(NULL, &err));
    json_t *str = json_string("x");
    assert_null(vf_bootloader_from_json_value(str, &err));
    json_decref(str);
    assert_null(vf_vm_to_json_value(NULL, &err));
    assert_null(vf_device_to_json_value(NULL, &err));
    assert_null(vf_bootloader_to_json_value(NULL, &err));

    /* strings that are not UTF-8 are refused, naming the field */
    vf_virtio_fs *fs = vf_virtio_fs_new("a\xff", "t");
    assert_null(vf_device_to_json_value(&fs->base, &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "'sharedDir' is not valid UTF-8"));
    vf_device_free(&fs->base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax_errors_name_line_and_column),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_top_level),
        cmocka_unit_test(test_vm_numbers),
        cmocka_unit_test(test_component_numbers),
        cmocka_unit_test(test_wrong_types_name_the_key),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_key_matching),
        cmocka_unit_test(test_string_decoding),
        cmocka_unit_test(test_ignition_errors_are_dropped),
        cmocka_unit_test(test_zero_values_not_defaults),
        cmocka_unit_test(test_vfkit_magic),
        cmocka_unit_test(test_net_socket_and_fd),
        cmocka_unit_test(test_macos_bootloader),
        cmocka_unit_test(test_launch_flags_round_trip),
        cmocka_unit_test(test_go_string_escaping),
        cmocka_unit_test(test_pretty_layout),
        cmocka_unit_test(test_writer_errors),
        cmocka_unit_test(test_json_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
