/*
 * libvfconfig - writing vfkit's JSON, byte for byte as Go's encoding/json.
 * SPDX-License-Identifier: Apache-2.0
 *
 * One walk over the field tables (fields.c) and the kind tables produces
 * every object: the "kind" discriminator first, then the fields in Go's
 * order, each left out exactly where Go's omitempty leaves it out. The
 * walk feeds a sink: here the text one, which writes what json.Marshal
 * (compact) or json.MarshalIndent(v, "", "  ") (pretty) writes; the
 * jansson one is in json_value.c.
 */
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "json/json.h"
#include "model/device_ops.h"
#include "model/fields.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/hex.h"
#include "util/str.h"
#include "util/utf8.h"

#define VF__VM_KEY_NAME(K, name) [VF__VM_KEY_##K] = name,
const char *const vf__vm_json_keys[VF__VM_KEY_COUNT] = {VF__VM_JSON_KEYS(VF__VM_KEY_NAME)};
#undef VF__VM_KEY_NAME

/* ---- the walk ---- */
static bool valid_utf8(const char *s)
{
    const unsigned char *u = (const unsigned char *)vf__str(s);
    size_t n = strlen((const char *)u);
    for (size_t i = 0, size; i < n; i += size)
        if (vf__utf8_decode(u + i, n - i, &size) == VF__UTF8_INVALID)
            return false;
    return true;
}

/* JSON holds text: a string that is not UTF-8 (a path is bytes) would be
 * saved as U+FFFD and name another file when read back. Refused, naming
 * the key, unless the caller asked for Go's lossy text. */
static void check_utf8(vf__json_sink *s, const char *key, const char *value)
{
    if (s->lossy_utf8 || s->refused != VF_OK || valid_utf8(value))
        return;
    char shown[96];
    s->refused = vf__error(s->err, VF_ERR_INVALID,
                           "'%s' is not valid UTF-8, which JSON cannot hold (Go would save "
                           "U+FFFD in its place; see VF_JSON_LOSSY_UTF8): \"%s\"",
                           key, vf__quote_for_message(value, shown, sizeof shown));
}

static void emit_string_member(vf__json_sink *s, const char *key, const char *value)
{
    check_utf8(s, key, value);
    s->key(s, key);
    s->string(s, value);
}

/* A numeric field as sign and magnitude. */
static void read_number(vf__field_type type, const char *at, uint64_t *magnitude, bool *negative)
{
    uint32_t u32;
    int64_t i64;
    *negative = false;
    switch (type) {
    case VF__FIELD_U32:
        memcpy(&u32, at, sizeof u32);
        *magnitude = u32;
        return;
    case VF__FIELD_INT:
    case VF__FIELD_DURATION:
        memcpy(&i64, at, sizeof i64);
        *negative = i64 < 0;
        *magnitude = i64 < 0 ? (uint64_t)(-(i64 + 1)) + 1u : (uint64_t)i64; /* INT64_MIN too */
        return;
    default: /* VF__FIELD_U64 */
        memcpy(magnitude, at, sizeof *magnitude);
        return;
    }
}

/* Whether field f of obj is written although false (difference 9). */
static bool false_kept(const void *obj, const vf__field *f)
{
    if ((f->flags & VF__FIELD_FALSE_WITH_SOCKET_PATH) == 0)
        return false;
    const vf_virtio_net *net = obj;
    return !vf__empty(net->unix_socket_path);
}

static void emit_fields(vf__json_sink *s, const void *obj, const vf__field *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const vf__field *f = &fields[i];
        const char *at = (const char *)obj + f->offset;
        bool omitempty = (f->flags & VF__FIELD_OMITEMPTY) != 0;
        switch (f->type) {
        case VF__FIELD_STRING: {
            const char *v;
            memcpy(&v, at, sizeof v);
            if (omitempty && vf__empty(v))
                continue;
            emit_string_member(s, f->json_name, v);
            break;
        }
        case VF__FIELD_BOOL: {
            bool v;
            memcpy(&v, at, sizeof v);
            if (omitempty && !v && !false_kept(obj, f))
                continue;
            s->key(s, f->json_name);
            s->boolean(s, v);
            break;
        }
        case VF__FIELD_U32:
        case VF__FIELD_U64:
        case VF__FIELD_INT:
        case VF__FIELD_DURATION: {
            uint64_t magnitude;
            bool negative;
            read_number(f->type, at, &magnitude, &negative);
            if (omitempty && magnitude == 0)
                continue;
            s->key(s, f->json_name);
            s->number(s, magnitude, negative);
            break;
        }
        case VF__FIELD_MAC: {
            vf_mac_address mac;
            memcpy(&mac, at, sizeof mac);
            if (omitempty && mac.length == 0)
                continue;
            char text[3 * VF_MAC_MAX_BYTES + 1];
            text[0] = '\0';
            if (mac.length > 0)
                vf_mac_address_format(&mac, text, sizeof text);
            emit_string_member(s, f->json_name, text);
            break;
        }
        case VF__FIELD_FD: {
            /* The library's own key (Go writes an unreadable "socket":{}):
       * present only while there is a descriptor. */
            int fd;
            memcpy(&fd, at, sizeof fd);
            if (fd < 0)
                continue;
            s->key(s, f->json_name);
            s->number(s, (uint64_t)fd, false);
            break;
        }
        }
    }
}

/* An object with Go's "kind" discriminator first, as the reference's
 * MarshalJSON methods embed it. */
static void emit_kind_object(vf__json_sink *s, const char *kind, const void *obj,
                             const vf__field *fields, size_t n)
{
    s->open(s, true);
    if (kind != NULL)
        emit_string_member(s, "kind", kind);
    emit_fields(s, obj, fields, n);
    s->close(s, true);
}

int vf__json_emit_device(vf__json_sink *s, const vf_device *dev, vf_error *err)
{
    if (dev == NULL)
        return vf__error(err, VF_ERR_INVALID, "no device given");
    const vf__device_ops *ops = vf__device_ops_of(dev->kind);
    if (ops == NULL)
        return vf__error(err, VF_ERR_INVALID, "device has an unknown kind (%d)", (int)dev->kind);
    emit_kind_object(s, ops->json_kind, dev, ops->fields, ops->n_fields);
    return s->refused;
}

int vf__json_emit_bootloader(vf__json_sink *s, const vf_bootloader *bl, vf_error *err)
{
    if (bl == NULL)
        return vf__error(err, VF_ERR_INVALID, "no bootloader given");
    const vf__bootloader_ops *ops = vf__bootloader_ops_of(bl->kind);
    if (ops == NULL)
        return vf__error(err, VF_ERR_INVALID, "bootloader has an unknown kind (%d)", (int)bl->kind);
    emit_kind_object(s, ops->json_kind, bl, ops->fields, ops->n_fields);
    return s->refused;
}

static void emit_timesync(vf__json_sink *s, const vf_timesync *ts)
{
    emit_kind_object(s, NULL, ts, vf__timesync_fields, vf__n_timesync_fields);
}

static void emit_ignition(vf__json_sink *s, const vf_ignition *ign)
{
    emit_kind_object(s, "ignition", ign, vf__ignition_fields, vf__n_ignition_fields);
}

static void emit_strings(vf__json_sink *s, const char *key, char *const *strv)
{
    if (strv == NULL || strv[0] == NULL)
        return;
    s->key(s, key);
    s->open(s, false);
    for (char *const *f = strv; *f != NULL; f++) {
        check_utf8(s, key, *f);
        s->string(s, *f);
    }
    s->close(s, false);
}

/* krunkit's own flags, under keys the Go package ignores. */
static void emit_krunkit_flags(vf__json_sink *s, const vf_vm *vm)
{
    if (vm->has_krun_log_level) {
        s->key(s, vf__vm_json_keys[VF__VM_KEY_KRUN_LOG_LEVEL]);
        s->number(s, vm->krun_log_level, false);
    }
    if (!vf__empty(vm->log_file))
        emit_string_member(s, vf__vm_json_keys[VF__VM_KEY_LOG_FILE], vm->log_file);
    emit_strings(s, vf__vm_json_keys[VF__VM_KEY_OEM_STRINGS], vm->oem_strings);
    if (!vf__empty(vm->firmware_path))
        emit_string_member(s, vf__vm_json_keys[VF__VM_KEY_FIRMWARE_PATH], vm->firmware_path);
    if (vm->krunkit_gui) {
        s->key(s, vf__vm_json_keys[VF__VM_KEY_KRUNKIT_GUI]);
        s->boolean(s, true);
    }
}

static void emit_launch_flags(vf__json_sink *s, const vf_vm *vm)
{
    if (!vf__empty(vm->restful_uri))
        emit_string_member(s, vf__vm_json_keys[VF__VM_KEY_RESTFUL_URI], vm->restful_uri);
    if (!vf__empty(vm->log_level))
        emit_string_member(s, vf__vm_json_keys[VF__VM_KEY_LOG_LEVEL], vm->log_level);
    if (!vf__empty(vm->pidfile))
        emit_string_member(s, vf__vm_json_keys[VF__VM_KEY_PIDFILE], vm->pidfile);
    emit_strings(s, vf__vm_json_keys[VF__VM_KEY_CLOUD_INIT], vm->cloud_init);
    emit_krunkit_flags(s, vm);
}

int vf__json_emit_vm(vf__json_sink *s, const vf_vm *vm, vf_error *err)
{
    if (vm == NULL)
        return vf__error(err, VF_ERR_INVALID, "no VM given");
    int rc;
    s->open(s, true);
    s->key(s, vf__vm_json_keys[VF__VM_KEY_VCPUS]);
    s->number(s, vm->vcpus, false);
    s->key(s, vf__vm_json_keys[VF__VM_KEY_MEMORY]);
    s->number(s, vm->memory_bytes, false);
    s->key(
        s,
        vf__vm_json_keys[VF__VM_KEY_BOOTLOADER]); /* no omitempty in Go: null when there is none */
    if (vm->bootloader == NULL)
        s->null(s);
    else if ((rc = vf__json_emit_bootloader(s, vm->bootloader, err)) != VF_OK) {
        vf__error_prefix(err, "bootloader");
        vf__error_locate_prefix(err, "bootloader");
        return rc;
    }
    if (vm->n_devices > 0) {
        s->key(s, vf__vm_json_keys[VF__VM_KEY_DEVICES]);
        s->open(s, false);
        for (size_t i = 0; i < vm->n_devices; i++) {
            if ((rc = vf__json_emit_device(s, vm->devices[i], err)) != VF_OK) {
                vf__error_prefix(err, "devices[%zu]", i);
                vf__error_locate_prefix(err, "devices[%zu]", i);
                return rc;
            }
        }
        s->close(s, false);
    }
    if (vm->timesync != NULL) {
        s->key(s, vf__vm_json_keys[VF__VM_KEY_TIMESYNC]);
        emit_timesync(s, vm->timesync);
    }
    if (vm->ignition != NULL) {
        s->key(s, vf__vm_json_keys[VF__VM_KEY_IGNITION]);
        emit_ignition(s, vm->ignition);
        if (s->refused != VF_OK) {
            vf__error_prefix(err, "ignition");
            return s->refused;
        }
    }
    if (vm->nested) { /* where Go writes it, before the launch flags */
        s->key(s, vf__vm_json_keys[VF__VM_KEY_NESTED]);
        s->boolean(s, true);
    }
    emit_launch_flags(s, vm);
    s->close(s, true);
    return s->refused;
}

/* ---- the text sink: Go's bytes ---- */
typedef struct text_sink {
    vf__json_sink base;
    vf__buf out;
    bool pretty;
    unsigned depth;
    bool need_comma; /* the open container already holds a value */
    bool after_key;  /* a key was written; its value comes next */
} text_sink;

static void text_newline(text_sink *t)
{
    vf__buf_putc(&t->out, '\n');
    for (unsigned i = 0; i < t->depth; i++)
        vf__buf_append(&t->out, "  ", 2);
}

/* Separator and indentation before a key, or a value not after a key. */
static void text_prefix(text_sink *t)
{
    if (t->after_key) {
        t->after_key = false;
        return;
    }
    if (t->need_comma)
        vf__buf_putc(&t->out, ',');
    if (t->pretty && t->depth > 0)
        text_newline(t);
}

/* Go's string encoding with HTML escaping (json.Marshal's default). */
static void put_go_string(vf__buf *b, const char *str)
{
    const unsigned char *s = (const unsigned char *)vf__str(str);
    size_t n = strlen((const char *)s);
    size_t start = 0;
    vf__buf_putc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
                i++;
                continue;
            }
            vf__buf_append(b, (const char *)s + start, i - start);
            char esc[6] = {'\\', 0, 0, 0, 0, 0};
            size_t len = 2;
            switch (c) {
            case '"':
                esc[1] = '"';
                break;
            case '\\':
                esc[1] = '\\';
                break;
            case '\b':
                esc[1] = 'b';
                break;
            case '\f':
                esc[1] = 'f';
                break;
            case '\n':
                esc[1] = 'n';
                break;
            case '\r':
                esc[1] = 'r';
                break;
            case '\t':
                esc[1] = 't';
                break;
            default: /* other controls, and <, >, & */
                memcpy(esc + 1, "u00", 3);
                esc[4] = vf__hex_lower((unsigned)(c >> 4));
                esc[5] = vf__hex_lower(c);
                len = 6;
                break;
            }
            vf__buf_append(b, esc, len);
            start = ++i;
            continue;
        }
        size_t size;
        int32_t r = vf__utf8_decode(s + i, n - i, &size);
        if (r == VF__UTF8_INVALID || r == 0x2028 || r == 0x2029) {
            vf__buf_append(b, (const char *)s + start, i - start);
            vf__buf_puts(b, r == VF__UTF8_INVALID ? "\\ufffd"
                            : r == 0x2028         ? "\\u2028"
                                                  : "\\u2029");
            start = i + size;
        }
        i += size;
    }
    vf__buf_append(b, (const char *)s + start, n - start);
    vf__buf_putc(b, '"');
}

static void text_open(vf__json_sink *sink, bool object)
{
    text_sink *t = (text_sink *)sink;
    text_prefix(t);
    vf__buf_putc(&t->out, object ? '{' : '[');
    t->depth++;
    t->need_comma = false;
}

static void text_close(vf__json_sink *sink, bool object)
{
    text_sink *t = (text_sink *)sink;
    t->depth--;
    if (t->pretty && t->need_comma) /* Go keeps an empty container on one line */
        text_newline(t);
    vf__buf_putc(&t->out, object ? '}' : ']');
    t->need_comma = true;
}

static void text_key(vf__json_sink *sink, const char *name)
{
    text_sink *t = (text_sink *)sink;
    text_prefix(t);
    put_go_string(&t->out, name);
    vf__buf_append(&t->out, ": ", t->pretty ? 2 : 1);
    t->after_key = true;
}

static void text_string(vf__json_sink *sink, const char *s)
{
    text_sink *t = (text_sink *)sink;
    text_prefix(t);
    put_go_string(&t->out, s);
    t->need_comma = true;
}

static void text_boolean(vf__json_sink *sink, bool value)
{
    text_sink *t = (text_sink *)sink;
    text_prefix(t);
    vf__buf_puts(&t->out, value ? "true" : "false");
    t->need_comma = true;
}

static void text_number(vf__json_sink *sink, uint64_t magnitude, bool negative)
{
    text_sink *t = (text_sink *)sink;
    text_prefix(t);
    if (negative)
        vf__buf_putc(&t->out, '-');
    vf__buf_put_u64(&t->out, magnitude);
    t->need_comma = true;
}

static void text_null(vf__json_sink *sink)
{
    text_sink *t = (text_sink *)sink;
    text_prefix(t);
    vf__buf_puts(&t->out, "null");
    t->need_comma = true;
}

typedef int (*emit_fn)(vf__json_sink *sink, const void *obj, vf_error *err);

static char *to_text(emit_fn emit, const void *obj, unsigned flags, vf_error *err)
{
    if ((flags & ~(VF_JSON_PRETTY | VF_JSON_LOSSY_UTF8)) != 0) {
        vf__error(err, VF_ERR_INVALID, "unknown JSON flags 0x%x", flags);
        return NULL;
    }
    text_sink t = {
        .base = {text_open, text_close, text_key, text_string, text_boolean, text_number, text_null,
                 (flags & VF_JSON_LOSSY_UTF8) != 0, VF_OK, err},
        .pretty = (flags & VF_JSON_PRETTY) != 0,
    };
    vf__buf_init(&t.out);
    vf__buf_reserve(&t.out, 1024); /* a VM's JSON: one or two allocations, not five */
    if (emit(&t.base, obj, err) != VF_OK) {
        vf__buf_release(&t.out);
        return NULL;
    }
    char *text = vf__buf_steal(&t.out);
    if (text == NULL)
        vf__error_nomem(err);
    return text;
}

int vf__json_emit_vm_any(vf__json_sink *s, const void *obj, vf_error *err)
{
    return vf__json_emit_vm(s, obj, err);
}

int vf__json_emit_device_any(vf__json_sink *s, const void *obj, vf_error *err)
{
    return vf__json_emit_device(s, obj, err);
}

int vf__json_emit_bootloader_any(vf__json_sink *s, const void *obj, vf_error *err)
{
    return vf__json_emit_bootloader(s, obj, err);
}

static int emit_timesync_any(vf__json_sink *s, const void *obj, vf_error *err)
{
    if (obj == NULL)
        return vf__error(err, VF_ERR_INVALID, "no timesync given");
    emit_timesync(s, obj);
    return s->refused;
}

static int emit_ignition_any(vf__json_sink *s, const void *obj, vf_error *err)
{
    if (obj == NULL)
        return vf__error(err, VF_ERR_INVALID, "no Ignition config given");
    emit_ignition(s, obj);
    return s->refused;
}

char *vf_vm_to_json(const vf_vm *vm, vf_error *err)
{
    return to_text(vf__json_emit_vm_any, vm, VF_JSON_COMPACT, err);
}

char *vf_vm_to_json_ex(const vf_vm *vm, unsigned flags, vf_error *err)
{
    return to_text(vf__json_emit_vm_any, vm, flags, err);
}

char *vf_device_to_json(const vf_device *dev, unsigned flags, vf_error *err)
{
    return to_text(vf__json_emit_device_any, dev, flags, err);
}

char *vf_bootloader_to_json(const vf_bootloader *bl, unsigned flags, vf_error *err)
{
    return to_text(vf__json_emit_bootloader_any, bl, flags, err);
}

char *vf_timesync_to_json(const vf_timesync *ts, unsigned flags, vf_error *err)
{
    return to_text(emit_timesync_any, ts, flags, err);
}

char *vf_ignition_to_json(const vf_ignition *ign, unsigned flags, vf_error *err)
{
    return to_text(emit_ignition_any, ign, flags, err);
}
