/*
 * libvfconfig - reading vfkit's JSON as the Go package reads it.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The rules are encoding/json's, as the reference applies them (json.go):
 *  - inside a component a key matches a field case-insensitively (Go's
 *    fold: ASCII case, plus KELVIN SIGN = k and LONG S = s); unknown keys
 *    are ignored; every occurrence of a repeated key is decoded in
 *    document order, so the last one wins;
 *  - the VM's top level is read as a map and switched on the exact key:
 *    "VCPUS" is ignored, a repeated key keeps only its last value;
 *  - null leaves a field as it is; a wrong type, or a number that is not
 *    an integer in the field's range, is an error naming the key;
 *  - a device or bootloader is chosen by its "kind", which must be there;
 *  - an Ignition config that fails to read is dropped without an error:
 *    the reference loses that error (a shadowed variable), and vfkit
 *    reads such files without complaint.
 * Where the library differs on purpose: a "socket" on virtio-net is an
 * error (the reference builds an unusable file and crashes later), the
 * macOS bootloader has a kind, the vfkit flags the VM keeps have keys, and
 * "nested" is read back (the reference writes it but never reads it:
 * docs/design.md, difference 8).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "json/json.h"
#include "model/device_ops.h"
#include "model/fields.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"

#define KIND_MAX 64 /* longer than any kind name */

/* ---- messages ---- */
static const char *type_word(vf__json_type t)
{
    switch (t) {
    case VF__JSON_NULL:
        return "null";
    case VF__JSON_FALSE:
    case VF__JSON_TRUE:
        return "a boolean";
    case VF__JSON_NUMBER:
        return "a number";
    case VF__JSON_STRING:
        return "a string";
    case VF__JSON_ARRAY:
        return "an array";
    case VF__JSON_OBJECT:
        return "an object";
    }
    return "a value";
}

/* The value as a message shows it: literals as written, strings quoted. */
static const char *describe(const vf__json_node *v, char *buf, size_t size)
{
    char quoted[96];
    switch (v->type) {
    case VF__JSON_NUMBER:
        snprintf(buf, size, "%s", vf__quote_n_for_message(v->text, v->len, quoted, sizeof quoted));
        return buf;
    case VF__JSON_STRING:
        snprintf(buf, size, "\"%s\"",
                 vf__quote_n_for_message(v->text, v->len, quoted, sizeof quoted));
        return buf;
    case VF__JSON_TRUE:
        return "true";
    case VF__JSON_FALSE:
        return "false";
    default:
        return type_word(v->type);
    }
}

static int type_error(const vf__json_node *v, const char *key, const char *want, vf_error *err)
{
    char shown[128];
    return vf__error_at(err, VF_ERR_JSON, key, "invalid value for '%s' (want %s): %s", key, want,
                        describe(v, shown, sizeof shown));
}

/* ---- keys ---- */
static bool key_folds_to(const vf__json_node *member, const char *name)
{
    return vf__json_key_folds_to(member->key, member->key_len, name);
}

static bool key_is(const vf__json_node *member, const char *name)
{
    return member->key_len == strlen(name) && memcmp(member->key, name, member->key_len) == 0;
}

/* ---- numbers, as strconv parses a JSON literal for Go's decoder ---- */
static bool literal_magnitude(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false; /* a fraction or exponent: not an integer for Go */
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static bool literal_unsigned(const vf__json_node *v, uint64_t max, uint64_t *out)
{
    return literal_magnitude(v->text, v->len, out) && *out <= max;
}

static bool literal_signed(const vf__json_node *v, int64_t min, int64_t max, int64_t *out)
{
    bool negative = v->len > 0 && v->text[0] == '-';
    uint64_t mag;
    if (!literal_magnitude(v->text + negative, v->len - negative, &mag))
        return false;
    if (negative) {
        if (mag > (uint64_t)INT64_MAX + 1u)
            return false;
        *out = mag == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)mag;
    } else {
        if (mag > (uint64_t)INT64_MAX)
            return false;
        *out = (int64_t)mag;
    }
    return *out >= min && *out <= max;
}

/* ---- one value into one slot ---- */
static int read_string(const vf__json_node *v, const char *key, char **slot, vf_error *err)
{
    if (v->type != VF__JSON_STRING)
        return type_error(v, key, "a string", err);
    if (memchr(v->text, '\0', v->len) != NULL)
        return vf__error_at(err, VF_ERR_JSON, key,
                            "invalid value for '%s': the string holds a NUL character", key);
    char *copy = NULL;
    if (v->len > 0 && (copy = vf__strndup(v->text, v->len)) == NULL)
        return vf__error_nomem(err);
    vf__free(*slot);
    *slot = copy;
    return VF_OK;
}

/* Decodes v (not null) into the field at slot. A MAC is only remembered
 * in *mac: the reference parses it once the whole object is read. */
static int read_value(const vf__json_node *v, const char *key, vf__field_type type, void *slot,
                      const vf__json_node **mac, vf_error *err)
{
    uint64_t u;
    int64_t i;
    switch (type) {
    case VF__FIELD_STRING: {
        char *s;
        memcpy(&s, slot, sizeof s);
        int rc = read_string(v, key, &s, err);
        memcpy(slot, &s, sizeof s);
        return rc;
    }
    case VF__FIELD_BOOL: {
        if (v->type != VF__JSON_TRUE && v->type != VF__JSON_FALSE)
            return type_error(v, key, "true or false", err);
        bool b = v->type == VF__JSON_TRUE;
        memcpy(slot, &b, sizeof b);
        return VF_OK;
    }
    case VF__FIELD_U32: {
        if (v->type != VF__JSON_NUMBER || !literal_unsigned(v, UINT32_MAX, &u))
            return type_error(v, key, "an integer from 0 to 4294967295", err);
        uint32_t u32 = (uint32_t)u;
        memcpy(slot, &u32, sizeof u32);
        return VF_OK;
    }
    case VF__FIELD_U64:
        if (v->type != VF__JSON_NUMBER || !literal_unsigned(v, UINT64_MAX, &u))
            return type_error(v, key, "an integer from 0 to 18446744073709551615", err);
        memcpy(slot, &u, sizeof u);
        return VF_OK;
    case VF__FIELD_INT:
    case VF__FIELD_DURATION:
        if (v->type != VF__JSON_NUMBER || !literal_signed(v, INT64_MIN, INT64_MAX, &i))
            return type_error(v, key, "a 64-bit integer", err);
        memcpy(slot, &i, sizeof i);
        return VF_OK;
    case VF__FIELD_FD: {
        if (v->type != VF__JSON_NUMBER || !literal_signed(v, 0, INT_MAX, &i))
            return type_error(v, key, "a file descriptor number", err);
        int fd = (int)i;
        memcpy(slot, &fd, sizeof fd);
        return VF_OK;
    }
    case VF__FIELD_MAC:
        if (v->type != VF__JSON_STRING)
            return type_error(v, key, "a string", err);
        *mac = v;
        return VF_OK;
    }
    return vf__error_at(err, VF_ERR_INVALID, key, "'%s' has no JSON type", key);
}

static int parse_mac(const vf__json_node *v, const char *key, void *slot, vf_error *err)
{
    char text[128];
    vf_mac_address mac;
    if (v->len == 0) /* "" is no address, as the reference reads it */
        return VF_OK;
    if (v->len >= sizeof text || memchr(v->text, '\0', v->len) != NULL)
        return type_error(v, key, "a MAC address", err);
    memcpy(text, v->text, v->len);
    text[v->len] = '\0';
    int rc = vf_mac_address_parse(text, &mac, err);
    if (rc != VF_OK) {
        vf__error_prefix(err, "invalid value for '%s'", key);
        vf__error_locate(err, "%s", key);
        return rc;
    }
    memcpy(slot, &mac, sizeof mac);
    return VF_OK;
}

/* Decodes the members of obj into the fields of target, in document order. */
static int read_fields(const vf__json_node *obj, void *target, const vf__field *fields, size_t n,
                       vf_error *err)
{
    const vf__json_node *mac = NULL;
    const vf__field *mac_field = NULL;
    for (const vf__json_node *m = obj->first; m != NULL; m = m->next) {
        for (size_t i = 0; i < n; i++) {
            if (!key_folds_to(m, fields[i].json_name))
                continue;
            if (m->type != VF__JSON_NULL) {
                void *slot = (char *)target + fields[i].offset;
                int rc = read_value(m, fields[i].json_name, fields[i].type, slot, &mac, err);
                if (rc != VF_OK)
                    return rc;
                if (fields[i].type == VF__FIELD_MAC)
                    mac_field = &fields[i];
            }
            break;
        }
    }
    if (mac_field != NULL)
        return parse_mac(mac, mac_field->json_name, (char *)target + mac_field->offset, err);
    return VF_OK;
}

/* Before any field: what the reference's zero value differs in. A
 * descriptor field of a C struct means "none" with -1, not 0. */
static void preset_fields(void *target, const vf__field *fields, size_t n)
{
    static const int no_fd = -1;
    for (size_t i = 0; i < n; i++)
        if (fields[i].type == VF__FIELD_FD)
            memcpy((char *)target + fields[i].offset, &no_fd, sizeof no_fd);
}

static int want_object(const vf__json_node *v, const char *what, vf_error *err)
{
    if (v->type == VF__JSON_OBJECT)
        return VF_OK;
    return vf__error(err, VF_ERR_JSON, "%s must be a JSON object, not %s", what,
                     type_word(v->type));
}

/* The "kind" of a component (NUL-terminated in buf), as the reference
 * reads it: the last non-null "kind" key, case-folded; missing is "". */
static int read_kind(const vf__json_node *obj, char *buf, size_t size, vf_error *err)
{
    const vf__json_node *kind = NULL;
    buf[0] = '\0';
    for (const vf__json_node *m = obj->first; m != NULL; m = m->next) {
        if (!key_folds_to(m, "kind") || m->type == VF__JSON_NULL)
            continue;
        if (m->type != VF__JSON_STRING)
            return type_error(m, "kind", "a string", err);
        kind = m;
    }
    if (kind == NULL || kind->len == 0)
        return vf__error_at(err, VF_ERR_JSON, "kind", "missing 'kind'");
    if (kind->len >= size || memchr(kind->text, '\0', kind->len) != NULL) {
        char shown[128];
        return vf__error_at(err, VF_ERR_JSON, "kind", "unknown 'kind': %s",
                            describe(kind, shown, sizeof shown));
    }
    memcpy(buf, kind->text, kind->len);
    buf[kind->len] = '\0';
    return VF_OK;
}

/* ---- components ---- */
/* Difference 6 of docs/design.md: the reference reads any "socket" object into
 * an *os.File that holds no descriptor and crashes when it prints it. */
static int refuse_net_socket(const vf__json_node *obj, vf_error *err)
{
    for (const vf__json_node *m = obj->first; m != NULL; m = m->next)
        if (key_folds_to(m, "socket") && m->type != VF__JSON_NULL)
            return vf__error_at(err, VF_ERR_JSON, "socket",
                                "'socket' cannot be read: it stood for a file descriptor of the "
                                "program that wrote the JSON; give the descriptor as \"fd\"");
    return VF_OK;
}

/* Difference 11: a descriptor number means something only in the process
 * that saved it; read from a file it would lend vfkit whatever that number
 * is in the reader (its stderr, a log file). */
static int refuse_net_fd(const vf_virtio_net *net, unsigned flags, vf_error *err)
{
    if (net == NULL || net->socket_fd < 0 || (flags & VF_JSON_ALLOW_FD) != 0)
        return VF_OK;
    return vf__error(err, VF_ERR_JSON,
                     "'fd' is refused: %d is a descriptor number of the program that saved the "
                     "JSON, which this one would hand to vfkit as its own (read with "
                     "VF_JSON_ALLOW_FD only what this process saved)",
                     net->socket_fd);
}

static int read_device(const vf__json_node *obj, unsigned flags, vf_device **out, vf_error *err)
{
    char kind[KIND_MAX];
    int rc;
    *out = NULL;
    if ((rc = want_object(obj, "a device", err)) != VF_OK ||
        (rc = read_kind(obj, kind, sizeof kind, err)) != VF_OK)
        return rc;
    const vf__device_ops *ops = vf__device_ops_by_json_kind(kind);
    if (ops == NULL) {
        char shown[KIND_MAX + 8];
        return vf__error_at(err, VF_ERR_JSON, "kind", "unknown device 'kind': \"%s\"",
                            vf__quote_for_message(kind, shown, sizeof shown));
    }
    /* Go decodes into a zero struct, not into a new device's defaults. */
    vf_device *dev = vf__calloc(1, ops->size);
    if (dev == NULL)
        return vf__error_nomem(err);
    dev->kind = ops->kind;
    preset_fields(dev, ops->fields, ops->n_fields);
    vf_virtio_net *net = vf_device_as_virtio_net(dev);
    if (net != NULL)
        net->vfkit_magic = true; /* files from before vfkitMagic existed meant it on */
    rc = net != NULL ? refuse_net_socket(obj, err) : VF_OK;
    if (rc == VF_OK)
        rc = read_fields(obj, dev, ops->fields, ops->n_fields, err);
    if (rc == VF_OK)
        rc = refuse_net_fd(net, flags, err);
    if (rc != VF_OK) {
        vf__error_prefix(err, "%s", kind);
        vf_device_free(dev);
        return rc;
    }
    if (net != NULL && vf__empty(net->unix_socket_path))
        net->vfkit_magic = false; /* it only means something with a unix socket */
    *out = dev;
    return VF_OK;
}

static int read_bootloader(const vf__json_node *obj, vf_bootloader **out, vf_error *err)
{
    char kind[KIND_MAX];
    int rc;
    *out = NULL;
    if ((rc = want_object(obj, "a bootloader", err)) != VF_OK ||
        (rc = read_kind(obj, kind, sizeof kind, err)) != VF_OK)
        return rc;
    const vf__bootloader_ops *ops = vf__bootloader_ops_by_json_kind(kind);
    if (ops == NULL) {
        char shown[KIND_MAX + 8];
        return vf__error_at(err, VF_ERR_JSON, "kind", "unknown bootloader 'kind': \"%s\"",
                            vf__quote_for_message(kind, shown, sizeof shown));
    }
    vf_bootloader *bl = vf__calloc(1, ops->size);
    if (bl == NULL)
        return vf__error_nomem(err);
    bl->kind = ops->kind;
    if ((rc = read_fields(obj, bl, ops->fields, ops->n_fields, err)) != VF_OK) {
        vf__error_prefix(err, "%s", kind);
        vf_bootloader_free(bl);
        return rc;
    }
    *out = bl;
    return VF_OK;
}

static int read_timesync(const vf__json_node *obj, vf_timesync **out, vf_error *err)
{
    int rc;
    *out = NULL;
    if ((rc = want_object(obj, "timesync", err)) != VF_OK)
        return rc;
    vf_timesync *ts = vf__calloc(1, sizeof *ts);
    if (ts == NULL)
        return vf__error_nomem(err);
    if ((rc = read_fields(obj, ts, vf__timesync_fields, vf__n_timesync_fields, err)) != VF_OK) {
        vf_timesync_free(ts);
        return rc;
    }
    *out = ts;
    return VF_OK;
}

static int read_ignition(const vf__json_node *obj, vf_ignition **out, vf_error *err)
{
    int rc;
    *out = NULL;
    if ((rc = want_object(obj, "ignition", err)) != VF_OK)
        return rc;
    vf_ignition *ign = vf__calloc(1, sizeof *ign);
    if (ign == NULL)
        return vf__error_nomem(err);
    ign->vsock_port = VF_IGNITION_VSOCK_PORT; /* fixed by Ignition, not in the JSON */
    if ((rc = read_fields(obj, ign, vf__ignition_fields, vf__n_ignition_fields, err)) != VF_OK) {
        vf_ignition_free(ign);
        return rc;
    }
    *out = ign;
    return VF_OK;
}

/* ---- the VM ---- */

static int read_devices(const vf__json_node *array, unsigned flags, vf_vm *vm, vf_error *err)
{
    if (array->type != VF__JSON_ARRAY)
        return vf__error_at(err, VF_ERR_JSON, "devices", "'devices' must be a JSON array, not %s",
                            type_word(array->type));
    size_t i = 0;
    for (const vf__json_node *v = array->first; v != NULL; v = v->next, i++) {
        int rc;
        vf_device *dev = NULL;
        if (v->type == VF__JSON_NULL) /* the reference dereferences it and crashes */
            rc = vf__error(err, VF_ERR_JSON, "null is not a device");
        else if ((rc = read_device(v, flags, &dev, err)) == VF_OK)
            rc = vf_vm_add_device(vm, dev, err);
        if (rc != VF_OK) {
            vf__error_prefix(err, "devices[%zu]", i);
            vf__error_locate_prefix(err, "devices[%zu]", i);
            return rc;
        }
    }
    return VF_OK;
}

/* An array of strings, "" kept, into *slot (NULL for an empty array);
 * what names an item in the message ("file names"). */
static int read_strings(const vf__json_node *array, const char *key, const char *what, char ***slot,
                        vf_error *err)
{
    if (array->type != VF__JSON_ARRAY)
        return type_error(array, key, "an array of strings", err);
    /* One block of the final size: the strings are copied once, with no
     * growth on the way (reading costs the kept nodes and the VM only). */
    size_t bytes = 0;
    for (const vf__json_node *v = array->first; v != NULL; v = v->next)
        bytes += (size_t)v->len + 1;
    vf__strv_builder sb;
    vf__strv_init(&sb);
    vf__strv_reserve(&sb, array->count, bytes);
    size_t i = 0;
    for (const vf__json_node *v = array->first; v != NULL; v = v->next, i++) {
        if (v->type != VF__JSON_STRING || memchr(v->text, '\0', v->len) != NULL) {
            vf__strv_release(&sb);
            char want[48];
            snprintf(want, sizeof want, "an array of %s", what);
            type_error(v, key, want, err);
            vf__error_locate(err, "%s[%zu]", key, i);
            return VF_ERR_JSON;
        }
        vf__strv_addn(&sb, v->text, v->len);
    }
    char **strings = NULL;
    if (sb.count > 0 && (strings = vf__strv_finish(&sb, err)) == NULL)
        return VF_ERR_NOMEM;
    vf__strv_release(&sb);
    vf_strv_free(*slot);
    *slot = strings;
    return VF_OK;
}

static int read_vm_key(enum vf__vm_json_key key, const vf__json_node *v, unsigned flags, vf_vm *vm,
                       vf_error *err)
{
    const char *name = vf__vm_json_keys[key];
    const vf__json_node *no_mac = NULL;
    int rc = VF_OK;
    switch (key) {
    case VF__VM_KEY_VCPUS:
        return read_value(v, name, VF__FIELD_U64, &vm->vcpus, &no_mac, err);
    case VF__VM_KEY_MEMORY:
        return read_value(v, name, VF__FIELD_U64, &vm->memory_bytes, &no_mac, err);
    case VF__VM_KEY_BOOTLOADER: {
        vf_bootloader *bl;
        if ((rc = read_bootloader(v, &bl, err)) == VF_OK)
            vf_vm_set_bootloader(vm, bl);
        break;
    }
    case VF__VM_KEY_DEVICES:
        return read_devices(v, flags, vm, err);
    case VF__VM_KEY_TIMESYNC: {
        vf_timesync *ts;
        if ((rc = read_timesync(v, &ts, err)) == VF_OK)
            vf_vm_set_timesync(vm, ts);
        break;
    }
    case VF__VM_KEY_IGNITION: {
        /* The reference drops the error (see the top of this file). */
        vf_ignition *ign;
        rc = read_ignition(v, &ign, NULL);
        if (rc == VF_OK)
            vf_vm_set_ignition(vm, ign);
        return rc == VF_ERR_NOMEM ? vf__error_nomem(err) : VF_OK;
    }
    case VF__VM_KEY_RESTFUL_URI:
        return read_string(v, name, &vm->restful_uri, err);
    case VF__VM_KEY_LOG_LEVEL:
        return read_string(v, name, &vm->log_level, err);
    case VF__VM_KEY_PIDFILE:
        return read_string(v, name, &vm->pidfile, err);
    case VF__VM_KEY_CLOUD_INIT:
        return read_strings(v, name, "file names", &vm->cloud_init, err);
    case VF__VM_KEY_KRUN_LOG_LEVEL:
        rc = read_value(v, name, VF__FIELD_U32, &vm->krun_log_level, &no_mac, err);
        vm->has_krun_log_level = rc == VF_OK;
        return rc;
    case VF__VM_KEY_LOG_FILE:
        return read_string(v, name, &vm->log_file, err);
    case VF__VM_KEY_OEM_STRINGS:
        return read_strings(v, name, "strings", &vm->oem_strings, err);
    case VF__VM_KEY_FIRMWARE_PATH:
        return read_string(v, name, &vm->firmware_path, err);
    case VF__VM_KEY_KRUNKIT_GUI:
        return read_value(v, name, VF__FIELD_BOOL, &vm->krunkit_gui, &no_mac, err);
    case VF__VM_KEY_NESTED:
        /* The reference ignores the key whatever it holds; the library
         * reads a boolean and ignores anything else, so the same files load. */
        if (v->type == VF__JSON_TRUE || v->type == VF__JSON_FALSE)
            vm->nested = v->type == VF__JSON_TRUE;
        return VF_OK;
    case VF__VM_KEY_COUNT:
        break;
    }
    if (rc != VF_OK && rc != VF_ERR_NOMEM) {
        vf__error_prefix(err, "%s", name);
        vf__error_locate_prefix(err, "%s", name);
    }
    return rc;
}

static int read_vm(const vf__json_node *root, unsigned flags, vf_vm *vm, vf_error *err)
{
    if (root->type == VF__JSON_NULL) /* Go leaves the VM as it is */
        return VF_OK;
    if (root->type != VF__JSON_OBJECT)
        return vf__error(err, VF_ERR_JSON, "a VM must be a JSON object, not %s",
                         type_word(root->type));
    /* A map in the reference: the last occurrence of a key replaces the
     * others, a null one included. */
    const vf__json_node *last[VF__VM_KEY_COUNT] = {0};
    for (const vf__json_node *m = root->first; m != NULL; m = m->next)
        for (int k = 0; k < VF__VM_KEY_COUNT; k++)
            if (key_is(m, vf__vm_json_keys[k])) {
                last[k] = m;
                break;
            }
    for (int k = 0; k < VF__VM_KEY_COUNT; k++) {
        if (last[k] == NULL || last[k]->type == VF__JSON_NULL)
            continue;
        int rc = read_vm_key((enum vf__vm_json_key)k, last[k], flags, vm, err);
        if (rc != VF_OK)
            return rc;
    }
    return VF_OK;
}

/* ---- entry points ---- */
static const char *whole_string(const char *json, size_t *len, vf_error *err)
{
    if (json == NULL) {
        vf__error(err, VF_ERR_INVALID, "no JSON text given");
        return NULL;
    }
    *len = strlen(json);
    return json;
}

vf_vm *vf__vm_from_json_node(const vf__json_node *root, unsigned flags, vf_error *err)
{
    vf_vm *vm = vf_vm_new(0, 0, NULL);
    if (vm == NULL) {
        vf__error_nomem(err);
        return NULL;
    }
    if (read_vm(root, flags, vm, err) != VF_OK) {
        vf_vm_free(vm);
        return NULL;
    }
    return vm;
}

vf_device *vf__device_from_json_node(const vf__json_node *root, unsigned flags, vf_error *err)
{
    vf_device *dev;
    read_device(root, flags, &dev, err);
    return dev;
}

vf_bootloader *vf__bootloader_from_json_node(const vf__json_node *root, vf_error *err)
{
    vf_bootloader *bl;
    read_bootloader(root, &bl, err);
    return bl;
}

static vf_vm *vm_from_text(const char *json, size_t len, unsigned flags, vf_error *err)
{
    vf__json_doc doc;
    if (vf__json_parse(json, len, VF__JSON_SHAPE_VM, &doc, err) != VF_OK)
        return NULL;
    vf_vm *vm = vf__vm_from_json_node(doc.root, flags, err);
    vf__json_doc_release(&doc);
    return vm;
}

vf_vm *vf_vm_from_json_buffer(const char *json, size_t len, vf_error *err)
{
    return vm_from_text(json, len, 0, err);
}

vf_vm *vf_vm_from_json(const char *json, vf_error *err)
{
    return vf_vm_from_json_ex(json, 0, err);
}

vf_vm *vf_vm_from_json_ex(const char *json, unsigned flags, vf_error *err)
{
    size_t len;
    if (whole_string(json, &len, err) == NULL)
        return NULL;
    return vm_from_text(json, len, flags, err);
}

vf_device *vf_device_from_json(const char *json, vf_error *err)
{
    return vf_device_from_json_ex(json, 0, err);
}

vf_device *vf_device_from_json_ex(const char *json, unsigned flags, vf_error *err)
{
    size_t len;
    vf__json_doc doc;
    if (whole_string(json, &len, err) == NULL ||
        vf__json_parse(json, len, VF__JSON_SHAPE_COMPONENT, &doc, err) != VF_OK)
        return NULL;
    vf_device *dev = vf__device_from_json_node(doc.root, flags, err);
    vf__json_doc_release(&doc);
    return dev;
}

vf_bootloader *vf_bootloader_from_json(const char *json, vf_error *err)
{
    size_t len;
    vf__json_doc doc;
    if (whole_string(json, &len, err) == NULL ||
        vf__json_parse(json, len, VF__JSON_SHAPE_COMPONENT, &doc, err) != VF_OK)
        return NULL;
    vf_bootloader *bl = vf__bootloader_from_json_node(doc.root, err);
    vf__json_doc_release(&doc);
    return bl;
}

vf_timesync *vf_timesync_from_json(const char *json, vf_error *err)
{
    size_t len;
    vf__json_doc doc;
    if (whole_string(json, &len, err) == NULL ||
        vf__json_parse(json, len, VF__JSON_SHAPE_COMPONENT, &doc, err) != VF_OK)
        return NULL;
    vf_timesync *ts;
    read_timesync(doc.root, &ts, err);
    vf__json_doc_release(&doc);
    return ts;
}

vf_ignition *vf_ignition_from_json(const char *json, vf_error *err)
{
    size_t len;
    vf__json_doc doc;
    if (whole_string(json, &len, err) == NULL ||
        vf__json_parse(json, len, VF__JSON_SHAPE_COMPONENT, &doc, err) != VF_OK)
        return NULL;
    vf_ignition *ign;
    read_ignition(doc.root, &ign, err);
    vf__json_doc_release(&doc);
    return ign;
}
