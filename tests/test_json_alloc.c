/*
 * libvfconfig - every allocation of the JSON code failing in turn, the
 * library's and jansson's: each JSON operation must then either give
 * VF_ERR_NOMEM or its undisturbed result, and leave nothing behind (ASan's
 * leak checker runs with the suite). The documents reach the paths a
 * plain VM does not: escaped strings longer than an arena chunk, deep
 * ignored values, an Ignition config (whose other errors the reader
 * drops), launch flags, every value type through jansson.
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

#include "util/alloc_hook.h"
#include "vfconfig/vfconfig.h"

/* A VM document; big strings hold escapes, so their decoded copies need
 * arena chunks of their own. */
static char *rich_document(void)
{
    static const char head[] =
        "{\"vcpus\":4,\"memoryBytes\":18446744073709551615,\"bootloader\":{\"kind\":"
        "\"macosBootloader\",\"machineIdentifierPath\":\"/m\",\"hardwareModelPath\":\"/h\","
        "\"auxImagePath\":\"/a\"},\"extra\":[[[[{\"deep\":null}]]]],\"devices\":["
        "{\"kind\":\"virtionet\",\"unixSocketPath\":\"/g\",\"macAddress\":\"5a:94:ef:e4:0c:ee\"},"
        "{\"kind\":\"virtionet\",\"fd\":4},{\"kind\":\"nbd\",\"uri\":\"nbd://h\",\"Timeout\":-1},"
        "{\"kind\":\"virtiogpu\",\"usesGUI\":true,\"width\":1,\"height\":2},"
        "{\"kind\":\"virtiofs\",\"mountTag\":\"caf\\u00e9\",\"sharedDir\":\"";
    static const char tail[] =
        "],\"timesync\":{\"vsockPort\":7},\"ignition\":{\"configPath\":\"/i\"},"
        "\"restfulURI\":\"tcp://localhost:1\",\"logLevel\":\"debug\",\"pidFile\":\"/p\","
        "\"cloudInit\":[\"user-data\",\"meta-data\"]}";
    const size_t repeat = 9000; /* decoded, 18 kB: more than an arena chunk */
    const size_t numbers = 400; /* kept, ignored values: nodes over several chunks */
    char *doc = malloc(sizeof head + repeat * 6 + numbers * 8 + sizeof tail);
    assert_non_null(doc);
    size_t w = (size_t)sprintf(doc, "%s", head);
    for (size_t i = 0; i < repeat; i++)
        w += (size_t)sprintf(doc + w, "\\u00e9");
    w += (size_t)sprintf(doc + w, "\"}],\"numbers\":[0");
    for (size_t i = 1; i < numbers; i++)
        w += (size_t)sprintf(doc + w, ",%zu", i);
    sprintf(doc + w, "%s", tail);
    return doc;
}

/* ---- the operations: each returns its result as text (malloc'ed), or
 * NULL with err filled, and frees everything else it made ---- */
typedef char *(*operation)(const char *input, vf_error *err);

/* The documents stand for JSON this process saved: their "fd" is read. */
static char *vm_text_round(const char *input, vf_error *err)
{
    vf_vm *vm = vf_vm_from_json_ex(input, VF_JSON_ALLOW_FD, err);
    char *out = vm != NULL ? vf_vm_to_json_ex(vm, VF_JSON_PRETTY, err) : NULL;
    vf_vm_free(vm);
    return out;
}

static char *nomem(vf_error *err)
{
    err->code = VF_ERR_NOMEM;
    snprintf(err->text, sizeof err->text, "out of memory");
    return NULL;
}

/* Ignored members of every jansson type, and enough of them to fill more
 * than one arena chunk; made once, before any allocation may fail. */
static json_t *extra_members;

static void make_extra_members(void)
{
    extra_members = json_pack("{s:[n,b,f,{}],s:[]}", "x", 1, 1.5, "numbers");
    assert_non_null(extra_members);
    for (int i = 0; i < 400; i++)
        assert_int_equal(
            json_array_append_new(json_object_get(extra_members, "numbers"), json_integer(i)), 0);
}

static char *vm_value_round(const char *input, vf_error *err)
{
    vf_vm *vm = vf_vm_from_json_ex(input, VF_JSON_ALLOW_FD, err);
    if (vm == NULL)
        return NULL;
    vm->memory_bytes = 1; /* within a jansson integer */
    free(vm->log_level);
    vm->log_level = strdup("caf\xc3\xa9 \xe2\x80\xa8"); /* escaped as Go escapes them */
    json_t *value = vf_vm_to_json_value(vm, err);
    vf_vm_free(vm);
    if (value == NULL)
        return NULL;
    vf_vm *back = NULL;
    if (json_object_update(value, extra_members) != 0)
        nomem(err);
    else
        back = vf_vm_from_json_value_ex(value, VF_JSON_ALLOW_FD, err);
    json_decref(value);
    char *out = back != NULL ? vf_vm_to_json(back, err) : NULL;
    vf_vm_free(back);
    return out;
}

static char *components_round(const char *input, vf_error *err)
{
    (void)input;
    char *out = NULL;
    vf_device *dev = vf_device_from_json("{\"kind\":\"virtioserial\",\"logFile\":\"/l\"}", err);
    vf_bootloader *bl =
        dev != NULL
            ? vf_bootloader_from_json("{\"kind\":\"efiBootloader\",\"efiVariableStorePath\":"
                                      "\"/s\"}",
                                      err)
            : NULL;
    vf_timesync *ts = bl != NULL ? vf_timesync_from_json("{\"vsockPort\":3}", err) : NULL;
    vf_ignition *ign = ts != NULL ? vf_ignition_from_json("{\"configPath\":\"/c\"}", err) : NULL;
    char *parts[4] = {NULL, NULL, NULL, NULL};
    if (ign != NULL && (parts[0] = vf_device_to_json(dev, VF_JSON_PRETTY, err)) != NULL &&
        (parts[1] = vf_bootloader_to_json(bl, 0, err)) != NULL &&
        (parts[2] = vf_timesync_to_json(ts, 0, err)) != NULL &&
        (parts[3] = vf_ignition_to_json(ign, 0, err)) != NULL) {
        json_t *dv = vf_device_to_json_value(dev, err);
        json_t *bv = dv != NULL ? vf_bootloader_to_json_value(bl, err) : NULL;
        vf_device *dev2 = bv != NULL ? vf_device_from_json_value(dv, err) : NULL;
        vf_bootloader *bl2 = dev2 != NULL ? vf_bootloader_from_json_value(bv, err) : NULL;
        if (bl2 != NULL) {
            out = malloc(1024);
            assert_non_null(out);
            snprintf(out, 1024, "%s %s %s %s", parts[0], parts[1], parts[2], parts[3]);
        }
        vf_bootloader_free(bl2);
        vf_device_free(dev2);
        json_decref(bv);
        json_decref(dv);
    }
    for (int i = 0; i < 4; i++)
        free(parts[i]);
    vf_ignition_free(ign);
    vf_timesync_free(ts);
    vf_bootloader_free(bl);
    vf_device_free(dev);
    return out;
}

/* ---- the loop ---- */
static void every_failure(operation op, const char *input)
{
    vf_error err = {0};
    vf_test_alloc_arm(0, false);
    char *want = op(input, &err);
    unsigned long total = vf_test_alloc_count();
    if (want == NULL)
        fail_msg("fails undisturbed: %s", err.text);
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned long n = 1; n <= total; n++) {
            vf_error got_err = {0};
            vf_test_alloc_arm(n, pass == 1);
            char *got = op(input, &got_err);
            vf_test_alloc_disarm();
            bool same = got != NULL && strcmp(got, want) == 0;
            bool nomem = got == NULL && got_err.code == VF_ERR_NOMEM;
            free(got);
            if (!same && !nomem)
                fail_msg("allocation %lu failing%s: neither the result nor VF_ERR_NOMEM "
                         "(%d \"%s\")",
                         n, pass ? " with every later one" : "", got_err.code, got_err.text);
        }
    }
    free(want);
}

static void test_vm_text(void **state)
{
    (void)state;
    char *doc = rich_document();
    every_failure(vm_text_round, doc);
    free(doc);
}

static void test_vm_value(void **state)
{
    (void)state;
    char *doc = rich_document();
    make_extra_members();
    every_failure(vm_value_round, doc);
    json_decref(extra_members);
    free(doc);
}

static void test_components(void **state)
{
    (void)state;
    every_failure(components_round, NULL);
}

/* jansson's allocations count and fail like the library's. */
static void *counted_malloc(size_t size)
{
    return vf_test_alloc_should_fail() ? NULL : malloc(size);
}

int main(void)
{
    json_set_alloc_funcs(counted_malloc, free);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vm_text),
        cmocka_unit_test(test_vm_value),
        cmocka_unit_test(test_components),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
