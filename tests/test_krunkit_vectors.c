/*
 * libvfconfig - every vector of tests/conformance/krunkit-vectors.jsonl:
 * 3,000 krunkit command lines with what krunkit v1.2.1's own parser makes
 * of them. The library's krunkit reader must accept exactly the accepted
 * ones and give every field of `parsed`; its krunkit printer must print
 * an argv that the reader reads back as the same `parsed`.
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

#define VECTORS VF_TEST_SOURCE_DIR "/conformance/krunkit-vectors.jsonl"
#define VECTOR_COUNT 3000

static json_t *path_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The MAC as krunkit's Display writes it: upper-case, two digits a byte. */
static json_t *mac_json(const vf_mac_address *mac)
{
    char text[3 * VF_MAC_MAX_BYTES + 1];
    vf_mac_address_format(mac, text, sizeof text);
    for (char *c = text; *c; c++)
        if (*c >= 'a' && *c <= 'f')
            *c = (char)(*c - 'a' + 'A');
    return json_string(text);
}

static json_t *device_json(const vf_device *dev)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(vf_device_kind_name(dev->kind)));
    switch (dev->kind) {
    case VF_DEVICE_VIRTIO_BLK: {
        const vf_virtio_blk *blk = (const vf_virtio_blk *)(const void *)dev;
        json_object_set_new(o, "path",
                            json_string(blk->disk.image_path ? blk->disk.image_path : ""));
        json_object_set_new(o, "format", json_string(blk->qcow2 ? "qcow2" : "raw"));
        break;
    }
    case VF_DEVICE_VIRTIO_SERIAL: {
        const vf_virtio_serial *s = (const vf_virtio_serial *)(const void *)dev;
        json_object_set_new(o, "logFilePath", json_string(s->log_file ? s->log_file : ""));
        break;
    }
    case VF_DEVICE_VIRTIO_FS: {
        const vf_virtio_fs *fs = (const vf_virtio_fs *)(const void *)dev;
        json_object_set_new(o, "sharedDir", json_string(fs->shared_dir ? fs->shared_dir : ""));
        json_object_set_new(o, "mountTag",
                            json_string(fs->sharing.mount_tag ? fs->sharing.mount_tag : ""));
        break;
    }
    case VF_DEVICE_VIRTIO_VSOCK: {
        const vf_virtio_vsock *v = (const vf_virtio_vsock *)(const void *)dev;
        json_object_set_new(o, "port", json_integer(v->port));
        json_object_set_new(o, "socketURL", json_string(v->socket_url ? v->socket_url : ""));
        json_object_set_new(o, "mode", json_string(v->listen ? "listen" : "connect"));
        break;
    }
    case VF_DEVICE_VIRTIO_NET: {
        const vf_virtio_net *n = (const vf_virtio_net *)(const void *)dev;
        json_object_set_new(o, "socketType",
                            json_string(n->unix_stream ? "unixstream" : "unixgram"));
        json_object_set_new(o, "path", path_or_null(n->unix_socket_path));
        json_object_set_new(o, "fd", n->socket_fd >= 0 ? json_integer(n->socket_fd) : json_null());
        json_object_set_new(o, "offloading", json_boolean(n->offloading));
        json_object_set_new(o, "vfkitMagic", json_boolean(n->vfkit_magic));
        json_object_set_new(o, "mac", mac_json(&n->mac_address));
        break;
    }
    case VF_DEVICE_VIRTIO_GPU: {
        const vf_virtio_gpu *g = (const vf_virtio_gpu *)(const void *)dev;
        json_object_set_new(o, "width", json_integer(g->width));
        json_object_set_new(o, "height", json_integer(g->height));
        break;
    }
    case VF_DEVICE_VIRTIO_INPUT: {
        const vf_virtio_input *in = (const vf_virtio_input *)(const void *)dev;
        json_object_set_new(o, "inputType", json_string(in->input_type));
        break;
    }
    default:
        break;
    }
    return o;
}

static json_t *restful_json(const char *uri)
{
    if (uri == NULL)
        return json_null();
    if (strcmp(uri, "none://") == 0)
        return json_pack("{s:s}", "scheme", "none");
    if (strncmp(uri, "unix://", 7) == 0)
        return json_pack("{s:s,s:s}", "scheme", "unix", "path", uri + 7);
    char ip[32];
    unsigned port = 0;
    const char *colon = strrchr(uri, ':');
    snprintf(ip, sizeof ip, "%.*s", (int)(colon - (uri + 6)), uri + 6);
    sscanf(colon + 1, "%u", &port);
    return json_pack("{s:s,s:s,s:i}", "scheme", "tcp", "ip", ip, "port", (json_int_t)port);
}

/* The VM in the shape of the vectors' `parsed`. */
static json_t *vm_json(const vf_vm *vm)
{
    json_t *o = json_object();
    json_object_set_new(o, "cpus", json_integer((json_int_t)vm->vcpus));
    json_object_set_new(o, "memory", json_integer((json_int_t)(vm->memory_bytes / (1024 * 1024))));
    const vf_efi_bootloader *efi = vf_bootloader_as_efi(vm->bootloader);
    if (efi != NULL)
        json_object_set_new(
            o, "bootloader",
            json_pack("{s:s,s:s,s:s}", "fw", "efi", "variableStore",
                      efi->efi_variable_store_path ? efi->efi_variable_store_path : "", "action",
                      "create"));
    else
        json_object_set_new(o, "bootloader", json_null());
    json_t *devices = json_array();
    for (size_t i = 0; i < vm->n_devices; i++)
        json_array_append_new(devices, device_json(vm->devices[i]));
    json_object_set_new(o, "devices", devices);
    json_object_set_new(o, "restfulUri", restful_json(vm->restful_uri));
    json_object_set_new(o, "gui", json_boolean(vm->krunkit_gui));
    json_object_set_new(o, "nested", json_boolean(vm->nested));
    if (vm->oem_strings != NULL) {
        json_t *a = json_array();
        for (char **s = vm->oem_strings; *s; s++)
            json_array_append_new(a, json_string(*s));
        json_object_set_new(o, "oemStrings", a);
    } else {
        json_object_set_new(o, "oemStrings", json_null());
    }
    json_object_set_new(o, "krunLogLevel",
                        vm->has_krun_log_level ? json_integer(vm->krun_log_level) : json_null());
    json_object_set_new(o, "timesync",
                        vm->timesync ? json_integer(vm->timesync->vsock_port) : json_null());
    json_object_set_new(o, "pidfile", path_or_null(vm->pidfile));
    json_object_set_new(o, "logFile", path_or_null(vm->log_file));
    json_object_set_new(o, "firmwarePath", path_or_null(vm->firmware_path));
    return o;
}

/* krunkit hands fd.unwrap_or(-1) to libkrun, so `fd=-1` is no descriptor:
 * the library keeps it as none, which prints as no `fd`. */
static void normalise_expected(json_t *parsed)
{
    size_t i;
    json_t *dev;
    json_array_foreach(json_object_get(parsed, "devices"), i, dev)
    {
        json_t *fd = json_object_get(dev, "fd");
        if (json_is_integer(fd) && json_integer_value(fd) == -1)
            json_object_set_new(dev, "fd", json_null());
    }
}

static void report(const char *id, const char *what, json_t *want, json_t *got)
{
    char *w = json_dumps(want, JSON_SORT_KEYS | JSON_COMPACT);
    char *g = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
    print_error("%s: %s\n  want %s\n  got  %s\n", id, what, w, g);
    free(w);
    free(g);
}

static const char **argv_of(json_t *input)
{
    size_t n = json_array_size(input);
    const char **argv = calloc(n + 1, sizeof *argv);
    for (size_t i = 0; i < n; i++)
        argv[i] = json_string_value(json_array_get(input, i));
    return argv;
}

static void test_every_vector(void **state)
{
    (void)state;
    FILE *f = fopen(VECTORS, "r");
    assert_non_null(f);
    vf_launcher krunkit;
    assert_int_equal(vf_launcher_parse("krunkit@1.2.1", &krunkit, NULL), 0);
    char line[1 << 16];
    int count = 0, failures = 0, accepted = 0, reprinted = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        json_error_t jerr;
        json_t *v = json_loads(line, 0, &jerr);
        assert_non_null(v);
        count++;
        const char *id = json_string_value(json_object_get(v, "id"));
        json_t *expect = json_object_get(v, "expect");
        bool ok = json_is_true(json_object_get(expect, "ok"));
        const char **argv = argv_of(json_object_get(v, "input"));
        vf_error err = {0};
        vf_vm *vm = vf_vm_from_cmdline_for(argv, &krunkit, &err);
        if (!ok) {
            const char *kind = json_string_value(json_object_get(expect, "kind"));
            bool right = vm == NULL;
            /* --help and --version print and exit: no VM, and the message says which.
       */
            if (right && strcmp(kind, "error") != 0)
                right =
                    strstr(err.text, strcmp(kind, "help") == 0 ? "--help" : "--version") != NULL;
            /* Every refusal names where, as vf_error documents. */
            if (right && (err.text[0] == '\0' || err.location[0] == '\0')) {
                right = false;
                print_error("%s: refused without a location: %s\n", id, err.text);
            }
            if (!right) {
                failures++;
                print_error("%s: krunkit gives %s (%s), the library %s: %s\n", id, kind,
                            json_string_value(json_object_get(expect, "err")),
                            vm ? "accepts it" : "refuses it", err.text);
            }
        } else if (vm == NULL) {
            failures++;
            print_error("%s: krunkit accepts it, the library refuses it: %s\n", id, err.text);
        } else {
            accepted++;
            json_t *want = json_deep_copy(json_object_get(expect, "parsed"));
            normalise_expected(want);
            json_t *got = vm_json(vm);
            if (!json_equal(want, got)) {
                failures++;
                report(id, "read differently", want, got);
            }
            char **printed = vf_vm_to_cmdline_for(vm, &krunkit, &err);
            vf_vm *again =
                printed ? vf_vm_from_cmdline_for((const char *const *)printed, &krunkit, &err)
                        : NULL;
            json_t *reread = again ? vm_json(again) : NULL;
            if (reread == NULL || !json_equal(want, reread)) {
                failures++;
                if (reread == NULL)
                    print_error("%s: printing or reading the print failed: %s\n", id, err.text);
                else
                    report(id, "printed and read back differently", want, reread);
            } else {
                reprinted++;
            }
            json_decref(reread);
            vf_vm_free(again);
            vf_strv_free(printed);
            json_decref(got);
            json_decref(want);
        }
        vf_vm_free(vm);
        free(argv);
        json_decref(v);
    }
    fclose(f);
    print_message("%d vectors, %d accepted, %d printed and read back, %d failures\n", count,
                  accepted, reprinted, failures);
    assert_int_equal(count, VECTOR_COUNT);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_vector),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
