/*
 * libvfconfig - jansson values in and out, for programs that use jansson.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Out: the same walk as the text writer (json_write.c) builds json_t
 * values. In: the json_t is serialised and read by the one reader
 * (json_read.c), so both paths follow the same rules; a json_t real is
 * written with a fraction or exponent and is refused where Go wants an
 * integer, as Go refuses 3.0.
 */
#include <jansson.h>
#include <string.h>

#include "internal.h"

/* ---- building ---- */
#define TREE_DEPTH 8 /* VM > devices > device: far below this */

typedef struct tree_sink {
    vf_json_sink base;
    json_t *root;
    json_t *open[TREE_DEPTH];
    size_t depth;
    const char *key; /* of the member whose value comes next */
    vf_error *err;
    int status;
} tree_sink;

static void tree_fail(tree_sink *t, int code)
{
    if (t->status == VF_OK)
        t->status = code == VF_ERR_NOMEM ? vf__error_nomem(t->err) : code;
}

/* Places v (a new reference) as the next value. */
static void tree_put(tree_sink *t, json_t *v)
{
    if (t->status != VF_OK) {
        json_decref(v);
        return;
    }
    if (v == NULL) {
        tree_fail(t, VF_ERR_NOMEM);
        return;
    }
    int rc = 0;
    if (t->depth == 0) {
        json_decref(t->root);
        t->root = v;
    } else if (json_is_object(t->open[t->depth - 1])) {
        rc = json_object_set_new(t->open[t->depth - 1], t->key, v);
    } else {
        rc = json_array_append_new(t->open[t->depth - 1], v);
    }
    if (rc != 0)
        tree_fail(t, VF_ERR_NOMEM);
}

static void tree_open(vf_json_sink *sink, bool object)
{
    tree_sink *t = (tree_sink *)sink;
    json_t *v = object ? json_object() : json_array();
    if (v != NULL && t->status == VF_OK && t->depth >= TREE_DEPTH) {
        json_decref(v);
        tree_fail(t, vf__error(t->err, VF_ERR_LIMIT, "JSON nests too deep"));
        return;
    }
    tree_put(t, v);
    if (t->status == VF_OK)
        t->open[t->depth++] = v; /* borrowed: its container owns it */
}

static void tree_close(vf_json_sink *sink, bool object)
{
    (void)object;
    tree_sink *t = (tree_sink *)sink;
    if (t->status == VF_OK && t->depth > 0)
        t->depth--;
}

static void tree_key(vf_json_sink *sink, const char *name)
{
    ((tree_sink *)sink)->key = name;
}

/* jansson wants valid UTF-8; Go writes each invalid byte as U+FFFD. */
static json_t *utf8_string(const char *s)
{
    size_t n = strlen(s);
    const unsigned char *u = (const unsigned char *)s;
    size_t size, bad = 0;
    for (size_t i = 0; i < n; i += size)
        if (vf__utf8_decode(u + i, n - i, &size) == VF_UTF8_INVALID)
            bad++;
    if (bad == 0)
        return json_stringn(s, n);
    char *fixed = vf__malloc(n + 2 * bad + 1); /* each bad byte becomes three */
    if (fixed == NULL)
        return NULL;
    size_t w = 0;
    for (size_t i = 0; i < n; i += size) {
        if (vf__utf8_decode(u + i, n - i, &size) == VF_UTF8_INVALID) {
            memcpy(fixed + w, "\xef\xbf\xbd", 3);
            w += 3;
        } else {
            memcpy(fixed + w, s + i, size);
            w += size;
        }
    }
    json_t *v = json_stringn(fixed, w);
    vf__free(fixed);
    return v;
}

static void tree_string(vf_json_sink *sink, const char *s)
{
    tree_put((tree_sink *)sink, utf8_string(vf__str(s)));
}

static void tree_boolean(vf_json_sink *sink, bool value)
{
    tree_put((tree_sink *)sink, json_boolean(value));
}

static void tree_number(vf_json_sink *sink, uint64_t magnitude, bool negative)
{
    tree_sink *t = (tree_sink *)sink;
    /* json_int_t is 64-bit signed; memoryBytes and vcpus are unsigned. */
    if (!negative && magnitude > (uint64_t)INT64_MAX) {
        if (t->status == VF_OK)
            t->status = vf__error(t->err, VF_ERR_LIMIT,
                                  "'%s': %llu does not fit a jansson integer (at most 2^63-1)",
                                  t->key != NULL ? t->key : "value", (unsigned long long)magnitude);
        return;
    }
    json_int_t v = negative ? (magnitude == (uint64_t)INT64_MAX + 1u ? (json_int_t)INT64_MIN
                                                                      : -(json_int_t)magnitude)
                            : (json_int_t)magnitude;
    tree_put(t, json_integer(v));
}

static void tree_null(vf_json_sink *sink)
{
    tree_put((tree_sink *)sink, json_null());
}

typedef int (*emit_fn)(vf_json_sink *sink, const void *obj, vf_error *err);

static json_t *to_value(emit_fn emit, const void *obj, vf_error *err)
{
    tree_sink t = {
        .base = {tree_open, tree_close, tree_key, tree_string, tree_boolean, tree_number,
                 tree_null},
        .err = err,
    };
    int rc = emit(&t.base, obj, err);
    if (rc == VF_OK)
        rc = t.status;
    if (rc != VF_OK) {
        json_decref(t.root);
        return NULL;
    }
    return t.root;
}

static int emit_vm_any(vf_json_sink *s, const void *obj, vf_error *err)
{
    return vf__json_emit_vm(s, obj, err);
}

static int emit_device_any(vf_json_sink *s, const void *obj, vf_error *err)
{
    return vf__json_emit_device(s, obj, err);
}

static int emit_bootloader_any(vf_json_sink *s, const void *obj, vf_error *err)
{
    return vf__json_emit_bootloader(s, obj, err);
}

json_t *vf_vm_to_json_value(const vf_vm *vm, vf_error *err)
{
    return to_value(emit_vm_any, vm, err);
}

json_t *vf_device_to_json_value(const vf_device *dev, vf_error *err)
{
    return to_value(emit_device_any, dev, err);
}

json_t *vf_bootloader_to_json_value(const vf_bootloader *bl, vf_error *err)
{
    return to_value(emit_bootloader_any, bl, err);
}

/* ---- reading ---- */
/* The value as compact JSON in a buffer of the library's allocator. */
static char *serialise(const json_t *value, size_t *len, vf_error *err)
{
    const size_t flags = JSON_COMPACT | JSON_ENCODE_ANY;
    if (value == NULL) {
        vf__error(err, VF_ERR_INVALID, "no JSON value given");
        return NULL;
    }
    size_t n = json_dumpb(value, NULL, 0, flags);
    if (n == 0) {
        vf__error(err, VF_ERR_JSON, "the JSON value cannot be written (a NaN or infinite real?)");
        return NULL;
    }
    char *text = vf__malloc(n);
    if (text == NULL) {
        vf__error_nomem(err);
        return NULL;
    }
    *len = json_dumpb(value, text, n, flags);
    if (*len != n) { /* the value changed under us */
        vf__free(text);
        vf__error(err, VF_ERR_JSON, "the JSON value could not be written");
        return NULL;
    }
    return text;
}

vf_vm *vf_vm_from_json_value(const json_t *value, vf_error *err)
{
    size_t len;
    char *text = serialise(value, &len, err);
    if (text == NULL)
        return NULL;
    vf_vm *vm = vf_vm_from_json_buffer(text, len, err);
    vf__free(text);
    return vm;
}

vf_device *vf_device_from_json_value(const json_t *value, vf_error *err)
{
    size_t len;
    char *text = serialise(value, &len, err);
    if (text == NULL)
        return NULL;
    vf_device *dev = vf__device_from_json_text(text, len, err);
    vf__free(text);
    return dev;
}

vf_bootloader *vf_bootloader_from_json_value(const json_t *value, vf_error *err)
{
    size_t len;
    char *text = serialise(value, &len, err);
    if (text == NULL)
        return NULL;
    vf_bootloader *bl = vf__bootloader_from_json_text(text, len, err);
    vf__free(text);
    return bl;
}
