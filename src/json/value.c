/*
 * libvfconfig - jansson values in and out, for programs that use jansson.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Out: the same walk as the text writer (json_write.c) builds json_t
 * values. In: the json_t becomes the tree the parser would have made from
 * its text, and the one reader (json_read.c) reads it, so both paths
 * follow the same rules; a json_t real is refused where Go wants an
 * integer, as Go refuses 3.0.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "json/json.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/str.h"
#include "util/utf8.h"

/* ---- building ---- */
#define TREE_DEPTH 8 /* VM > devices > device: far below this */

typedef struct tree_sink {
    vf__json_sink base;
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

static void tree_open(vf__json_sink *sink, bool object)
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

static void tree_close(vf__json_sink *sink, bool object)
{
    (void)object;
    tree_sink *t = (tree_sink *)sink;
    if (t->status == VF_OK && t->depth > 0)
        t->depth--;
}

static void tree_key(vf__json_sink *sink, const char *name)
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
        if (vf__utf8_decode(u + i, n - i, &size) == VF__UTF8_INVALID)
            bad++;
    if (bad == 0)
        return json_stringn(s, n);
    char *fixed = vf__malloc(n + 2 * bad + 1); /* each bad byte becomes three */
    if (fixed == NULL)
        return NULL;
    size_t w = 0;
    for (size_t i = 0; i < n; i += size) {
        if (vf__utf8_decode(u + i, n - i, &size) == VF__UTF8_INVALID) {
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

static void tree_string(vf__json_sink *sink, const char *s)
{
    tree_put((tree_sink *)sink, utf8_string(vf__str(s)));
}

static void tree_boolean(vf__json_sink *sink, bool value)
{
    tree_put((tree_sink *)sink, json_boolean(value));
}

static void tree_number(vf__json_sink *sink, uint64_t magnitude, bool negative)
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

static void tree_null(vf__json_sink *sink)
{
    tree_put((tree_sink *)sink, json_null());
}

typedef int (*emit_fn)(vf__json_sink *sink, const void *obj, vf_error *err);

static json_t *to_value(emit_fn emit, const void *obj, vf_error *err)
{
    tree_sink t = {
        .base = {tree_open, tree_close, tree_key, tree_string, tree_boolean, tree_number, tree_null,
                 false, VF_OK, err},
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

json_t *vf_vm_to_json_value(const vf_vm *vm, vf_error *err)
{
    return to_value(vf__json_emit_vm_any, vm, err);
}

json_t *vf_device_to_json_value(const vf_device *dev, vf_error *err)
{
    return to_value(vf__json_emit_device_any, dev, err);
}

json_t *vf_bootloader_to_json_value(const vf_bootloader *bl, vf_error *err)
{
    return to_value(vf__json_emit_bootloader_any, bl, err);
}

/* ---- reading ---- */
static const char *number_text(vf__json_doc *doc, const char *number, size_t len, vf_error *err)
{
    char *text = vf__json_doc_alloc(doc, len + 1);
    if (text == NULL) {
        vf__error_nomem(err);
        return NULL;
    }
    memcpy(text, number, len + 1);
    return text;
}

/* Lengths in a node are 32-bit: no input is larger than VF_MAX_INPUT_BYTES. */
static bool too_long(size_t len, vf_error *err)
{
    if (len <= VF_MAX_INPUT_BYTES)
        return false;
    vf__error(err, VF_ERR_LIMIT, "a JSON string of %zu bytes is larger than the limit (%zu)", len,
              (size_t)VF_MAX_INPUT_BYTES);
    return true;
}

/* The json_t as the tree the parser makes (parse.c): the same values kept
 * (shape.c), numbers as literals. Strings and keys are borrowed from the
 * value, which outlives the read. Kept containers nest no deeper than
 * VF__JSON_KEPT_LEVELS, which also keeps a value that contains itself
 * from looping. */
static vf__json_node *convert(vf__json_doc *doc, const json_t *v, vf__json_shape shape,
                              unsigned depth, vf_error *err)
{
    vf__json_node *node = vf__json_doc_alloc(doc, sizeof *node);
    if (node == NULL) {
        vf__error_nomem(err);
        return NULL;
    }
    memset(node, 0, sizeof *node);
    char number[48];
    switch (json_typeof(v)) {
    case JSON_OBJECT:
    case JSON_ARRAY: {
        bool object = json_is_object(v);
        node->type = object ? VF__JSON_OBJECT : VF__JSON_ARRAY;
        if (!vf__json_shape_holds(shape, node->type) || depth > VF__JSON_KEPT_LEVELS)
            return node;
        vf__json_node **link = &node->first;
        size_t n = object ? 0 : json_array_size(v);
        void *it = object ? json_object_iter((json_t *)v) : NULL;
        for (size_t i = 0; object ? it != NULL : i < n; i++) {
            const json_t *item = object ? json_object_iter_value(it) : json_array_get(v, i);
            const char *key = NULL;
            size_t key_len = 0;
            if (object) {
                key = json_object_iter_key(it);
#if JANSSON_VERSION_HEX >= 0x020e00
                key_len = json_object_iter_key_len(it);
#else
                key_len = strlen(key);
#endif
                it = json_object_iter_next((json_t *)v, it);
            }
            vf__json_shape child_shape =
                object ? vf__json_member_shape(shape, key, key_len) : vf__json_element_shape(shape);
            if (child_shape == VF__JSON_SHAPE_NONE)
                continue;
            vf__json_node *child = convert(doc, item, child_shape, depth + 1, err);
            if (child == NULL)
                return NULL;
            child->key = key;
            child->key_len = (uint32_t)key_len;
            *link = child;
            link = &child->next;
            node->count++;
            if (!object && vf__json_element_ends(shape, child))
                break; /* the reader stops there */
        }
        return node;
    }
    case JSON_STRING:
        if (too_long(json_string_length(v), err))
            return NULL;
        node->type = VF__JSON_STRING;
        node->text = json_string_value(v);
        node->len = (uint32_t)json_string_length(v);
        return node;
    case JSON_INTEGER:
        snprintf(number, sizeof number, "%lld", (long long)json_integer_value(v));
        break;
    case JSON_REAL:
        /* written with a point, as jansson writes reals: Go refuses 4.0
         * where it wants an integer */
        snprintf(number, sizeof number, "%.17g", json_real_value(v));
        if (strpbrk(number, ".eE") == NULL)
            strcat(number, ".0");
        break;
    case JSON_TRUE:
        node->type = VF__JSON_TRUE;
        return node;
    case JSON_FALSE:
        node->type = VF__JSON_FALSE;
        return node;
    case JSON_NULL:
        node->type = VF__JSON_NULL;
        return node;
    }
    node->type = VF__JSON_NUMBER;
    node->len = (uint32_t)strlen(number);
    node->text = number_text(doc, number, node->len, err);
    return node->text != NULL ? node : NULL;
}

/* Converts value and reads it with read; NULL on error. */
static void *read_value(const json_t *value, vf__json_shape shape, unsigned flags,
                        void *(*read)(const vf__json_node *, unsigned, vf_error *), vf_error *err)
{
    if (value == NULL) {
        vf__error(err, VF_ERR_INVALID, "no JSON value given");
        return NULL;
    }
    vf__json_doc doc = {NULL, NULL};
    void *result = NULL;
    const vf__json_node *root = convert(&doc, value, shape, 1, err);
    if (root != NULL)
        result = read(root, flags, err);
    vf__json_doc_release(&doc);
    return result;
}

static void *read_vm(const vf__json_node *root, unsigned flags, vf_error *err)
{
    return vf__vm_from_json_node(root, flags, err);
}

static void *read_device(const vf__json_node *root, unsigned flags, vf_error *err)
{
    return vf__device_from_json_node(root, flags, err);
}

static void *read_bootloader(const vf__json_node *root, unsigned flags, vf_error *err)
{
    (void)flags;
    return vf__bootloader_from_json_node(root, err);
}

vf_vm *vf_vm_from_json_value(const json_t *value, vf_error *err)
{
    return read_value(value, VF__JSON_SHAPE_VM, 0, read_vm, err);
}

vf_vm *vf_vm_from_json_value_ex(const json_t *value, unsigned flags, vf_error *err)
{
    return read_value(value, VF__JSON_SHAPE_VM, flags, read_vm, err);
}

vf_device *vf_device_from_json_value(const json_t *value, vf_error *err)
{
    return read_value(value, VF__JSON_SHAPE_COMPONENT, 0, read_device, err);
}

vf_device *vf_device_from_json_value_ex(const json_t *value, unsigned flags, vf_error *err)
{
    return read_value(value, VF__JSON_SHAPE_COMPONENT, flags, read_device, err);
}

vf_bootloader *vf_bootloader_from_json_value(const json_t *value, vf_error *err)
{
    return read_value(value, VF__JSON_SHAPE_COMPONENT, 0, read_bootloader, err);
}
