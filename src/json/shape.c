/*
 * libvfconfig - what the JSON readers read, so that nothing else is kept.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The parser asks here, for each value, whether a reader will look at it:
 *  - the VM's top level: its known keys, matched exactly (read.c reads it
 *    as a map, as the reference does);
 *  - a component (device, bootloader, timesync, Ignition): a key that
 *    folds to a field name of any kind, or to "kind" or "socket" (the
 *    kind is known only once the whole object is read, so the union);
 *  - "devices" and "cloudInit": every element up to the first one its
 *    reader is sure to refuse, since reading stops there.
 * Every other value is only checked for syntax. So a document made of
 * ignored values costs no memory however large, and a kept node always
 * stands for input bytes a reader needs: at least 3 (`"",` in
 * "cloudInit") per 48-byte node. With the decoded strings (no longer
 * than their literals) and an arena chunk's slack, reading takes at most
 * 18 bytes per input byte beyond the VM it returns, plus a fixed 64 kB
 * (json/heap_bound.h).
 */
#include <string.h>

#include "json/json.h"
#include "model/device_ops.h"
#include "model/fields.h"

static char ascii_upper(unsigned char c)
{
    return (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
}

/* Equal after folding case the way unicode.SimpleFold does. Only two
 * non-ASCII runes fold onto ASCII letters: U+212A KELVIN SIGN (k) and
 * U+017F LATIN SMALL LETTER LONG S (s). */
bool vf__json_key_folds_to(const char *key, size_t len, const char *name)
{
    const unsigned char *k = (const unsigned char *)key;
    size_t i = 0;
    for (const char *p = name; *p != '\0'; p++) {
        char want = ascii_upper((unsigned char)*p);
        if (i < len && k[i] < 0x80 && ascii_upper(k[i]) == want) {
            i++;
        } else if (want == 'K' && len - i >= 3 && memcmp(k + i, "\xe2\x84\xaa", 3) == 0) {
            i += 3;
        } else if (want == 'S' && len - i >= 2 && memcmp(k + i, "\xc5\xbf", 2) == 0) {
            i += 2;
        } else {
            return false;
        }
    }
    return i == len;
}

static bool in_fields(const vf__field *fields, size_t n, const char *key, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (vf__json_key_folds_to(key, len, fields[i].json_name))
            return true;
    return false;
}

/* A key some component reader decodes (read.c's read_kind, refuse_net_socket
 * and read_fields over each kind's table). */
static bool component_key(const char *key, size_t len)
{
    if (vf__json_key_folds_to(key, len, "kind") || vf__json_key_folds_to(key, len, "socket"))
        return true;
    for (int k = 0; k < VF_DEVICE_KIND_COUNT; k++) {
        const vf__device_ops *ops = vf__device_ops_of((vf_device_kind)k);
        if (ops != NULL && in_fields(ops->fields, ops->n_fields, key, len))
            return true;
    }
    for (int k = 0; k < VF_BOOTLOADER_KIND_COUNT; k++) {
        const vf__bootloader_ops *ops = vf__bootloader_ops_of((vf_bootloader_kind)k);
        if (ops != NULL && in_fields(ops->fields, ops->n_fields, key, len))
            return true;
    }
    return in_fields(vf__timesync_fields, vf__n_timesync_fields, key, len) ||
           in_fields(vf__ignition_fields, vf__n_ignition_fields, key, len);
}

static vf__json_shape vm_key_shape(enum vf__vm_json_key key)
{
    switch (key) {
    case VF__VM_KEY_BOOTLOADER:
    case VF__VM_KEY_TIMESYNC:
    case VF__VM_KEY_IGNITION:
        return VF__JSON_SHAPE_COMPONENT;
    case VF__VM_KEY_DEVICES:
        return VF__JSON_SHAPE_COMPONENTS;
    case VF__VM_KEY_CLOUD_INIT:
        return VF__JSON_SHAPE_STRINGS;
    default:
        return VF__JSON_SHAPE_SCALAR;
    }
}

vf__json_shape vf__json_member_shape(vf__json_shape object, const char *key, size_t len)
{
    if (object == VF__JSON_SHAPE_VM) {
        for (int k = 0; k < VF__VM_KEY_COUNT; k++)
            if (strlen(vf__vm_json_keys[k]) == len && memcmp(vf__vm_json_keys[k], key, len) == 0)
                return vm_key_shape((enum vf__vm_json_key)k);
        return VF__JSON_SHAPE_NONE;
    }
    if (object == VF__JSON_SHAPE_COMPONENT)
        return component_key(key, len) ? VF__JSON_SHAPE_SCALAR : VF__JSON_SHAPE_NONE;
    return VF__JSON_SHAPE_NONE;
}

vf__json_shape vf__json_element_shape(vf__json_shape array)
{
    switch (array) {
    case VF__JSON_SHAPE_COMPONENTS:
        return VF__JSON_SHAPE_COMPONENT;
    case VF__JSON_SHAPE_STRINGS:
        return VF__JSON_SHAPE_SCALAR;
    default:
        return VF__JSON_SHAPE_NONE;
    }
}

bool vf__json_shape_holds(vf__json_shape shape, vf__json_type type)
{
    switch (shape) {
    case VF__JSON_SHAPE_VM:
    case VF__JSON_SHAPE_COMPONENT:
        return type == VF__JSON_OBJECT;
    case VF__JSON_SHAPE_COMPONENTS:
    case VF__JSON_SHAPE_STRINGS:
        return type == VF__JSON_ARRAY;
    default:
        return false;
    }
}

bool vf__json_element_ends(vf__json_shape array, const vf__json_node *element)
{
    if (array == VF__JSON_SHAPE_COMPONENTS)
        return element->type != VF__JSON_OBJECT || element->count == 0;
    if (array == VF__JSON_SHAPE_STRINGS)
        return element->type != VF__JSON_STRING;
    return false;
}
