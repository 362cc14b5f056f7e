/*
 * libvfconfig - krunkit's option lists (`parse_args` of its cmdline.rs),
 * Rust's integer parsing which krunkit's values go through, and the
 * pieces the kinds print krunkit's `--device` values with.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "launcher/krunkit.h"
#include "launcher/launcher.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hex.h"
#include "util/sockpath.h"

bool vf__rust_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (*s == '+')
        s++;
    if (*s == '\0')
        return false;
    uint64_t v = 0;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool vf__rust_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    bool negative = *s == '-';
    uint64_t magnitude;
    const char *digits = s + (negative || *s == '+');
    /* One sign at most: "+-1" and "-+1" are invalid digits for Rust. */
    if (*digits == '+' || !vf__rust_parse_u64(digits, (uint64_t)INT64_MAX + 1, &magnitude))
        return false;
    int64_t v;
    if (negative)
        v = magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)magnitude;
    else if (magnitude > (uint64_t)INT64_MAX)
        return false;
    else
        v = (int64_t)magnitude;
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

void vf__kv_release(vf__kv_list *list)
{
    vf__free(list->items);
    vf__free(list->block);
    memset(list, 0, sizeof *list);
}

int vf__kv_parse(const char *text, const char *label, vf__kv_list *out, vf_error *err)
{
    char shown[96];
    memset(out, 0, sizeof *out);
    size_t len = strlen(text), n = 1;
    for (size_t i = 0; i < len; i++)
        n += text[i] == ',';
    out->block = vf__malloc(len + 1);
    out->items = vf__calloc(n, sizeof *out->items);
    if (out->block == NULL || out->items == NULL) {
        vf__kv_release(out);
        return vf__error_nomem(err);
    }
    memcpy(out->block, text, len + 1);
    char *item = out->block;
    for (size_t k = 0; k < n; k++) {
        char *comma = strchr(item, ',');
        if (comma != NULL)
            *comma = '\0';
        char *eq = strchr(item, '=');
        vf__kv *kv = &out->items[k];
        kv->key = item;
        kv->value = item + strlen(item); /* "" */
        if (eq != NULL) {
            *eq = '\0';
            kv->value = eq + 1;
            if (strchr(kv->value, '=') != NULL) {
                char key[96];
                vf__quote_for_message(kv->key, key, sizeof key);
                *eq = '=';
                int rc =
                    vf__error_at(err, VF_ERR_INVALID, key, "%s: invalid argument format: \"%s\"",
                                 label, vf__quote_for_message(item, shown, sizeof shown));
                vf__kv_release(out);
                return rc;
            }
        }
        for (size_t j = 0; j < k; j++) {
            if (strcmp(out->items[j].key, kv->key) == 0) {
                vf__quote_for_message(kv->key, shown, sizeof shown);
                int rc = vf__error_at(err, VF_ERR_INVALID, shown,
                                      "%s: argument is only expected once: \"%s\"", label, shown);
                vf__kv_release(out);
                return rc;
            }
        }
        out->n = k + 1;
        item = comma != NULL ? comma + 1 : item + strlen(item);
    }
    return VF_OK;
}

int vf__kv_open(const char *text, const char *label, const char *const *required, vf__kv_list *out,
                vf_error *err)
{
    int rc = vf__kv_parse(text, label, out, err);
    if (rc == VF_OK && required != NULL &&
        (rc = vf__kv_require(out, label, required, err)) != VF_OK)
        vf__kv_release(out);
    return rc;
}

int vf__kv_close(vf__kv_list *list, const char *label, int rc, vf_error *err)
{
    if (rc == VF_OK)
        rc = vf__kv_no_unknown(list, label, err);
    vf__kv_release(list);
    return rc;
}

int vf__kv_finish(vf__kv_list *list, const char *label, int rc, vf_device *dev, vf_device **out,
                  vf_error *err)
{
    rc = vf__kv_close(list, label, rc, err);
    if (rc != VF_OK)
        vf_device_free(dev);
    else
        *out = dev;
    return rc;
}

int vf__krunkit_copy(char **slot, const char *value, vf_error *err)
{
    char *copy = vf__strdup(value ? value : "");
    if (copy == NULL)
        return vf__error_nomem(err);
    vf__free(*slot);
    *slot = copy;
    return VF_OK;
}

const char *vf__kv_take(vf__kv_list *list, const char *key)
{
    for (size_t i = 0; i < list->n; i++) {
        if (strcmp(list->items[i].key, key) == 0) {
            list->items[i].taken = true;
            return list->items[i].value;
        }
    }
    return NULL;
}

const char *vf__kv_later(const vf__kv_list *list, const char *a, const char *b)
{
    for (size_t i = list->n; i > 0; i--) {
        if (strcmp(list->items[i - 1].key, a) == 0)
            return a;
        if (strcmp(list->items[i - 1].key, b) == 0)
            return b;
    }
    return b;
}

int vf__kv_require(const vf__kv_list *list, const char *label, const char *const *required,
                   vf_error *err)
{
    for (; *required != NULL; required++) {
        bool found = false;
        for (size_t i = 0; i < list->n && !found; i++)
            found = strcmp(list->items[i].key, *required) == 0;
        if (!found)
            return vf__error_at(err, VF_ERR_INVALID, *required, "%s is missing argument: %s", label,
                                *required);
    }
    return VF_OK;
}

int vf__kv_no_unknown(const vf__kv_list *list, const char *label, vf_error *err)
{
    char key[96], value[96];
    for (size_t i = 0; i < list->n; i++) {
        if (!list->items[i].taken)
            return vf__error_at(err, VF_ERR_INVALID,
                                vf__quote_for_message(list->items[i].key, key, sizeof key),
                                "unknown %s argument: \"%s=%s\"", label, key,
                                vf__quote_for_message(list->items[i].value, value, sizeof value));
    }
    return VF_OK;
}

void vf__krunkit_put(vf__buf *out, const char *device, const char *key, const char *value,
                     vf__problems *p)
{
    char shown[96];
    value = value ? value : "";
    vf__buf_putc(out, ',');
    vf__buf_puts(out, key);
    vf__buf_putc(out, '=');
    vf__buf_puts(out, value);
    if (strpbrk(value, ",=") != NULL)
        vf__problem(p,
                    "%s: '%s' holds a '%c', which krunkit would read as a "
                    "separator: \"%s\"",
                    device, key, *strpbrk(value, ",="),
                    vf__quote_for_message(value, shown, sizeof shown));
}

void vf__krunkit_lacks(vf__problems *p, const char *device, const char *option,
                       unsigned vfkit_release)
{
    if (vfkit_release == 0)
        vf__problem(p, "krunkit has no %s '%s' option (vfkit has it)", device, option);
    else
        vf__problem(p, "krunkit has no %s '%s' option (vfkit >= %u.%u.%u has it)", device, option,
                    vfkit_release / 10000u, vfkit_release / 100u % 100u, vfkit_release % 100u);
}

void vf__krunkit_check_unix_path(vf__problems *p, const char *device, const char *name,
                                 const char *path)
{
    vf_error why = {0};
    if (vf__check_unix_path(path, device, name, "", &why) != VF_OK)
        vf__problem(p, "%s", why.text);
}

bool vf__ascii_case_equal(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        char c = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        if (c != *b)
            return false;
    }
    return *a == *b;
}

bool vf__krunkit_bool(const char *s, bool *out)
{
    if (strcmp(s, "true") == 0 || strcmp(s, "on") == 0)
        *out = true;
    else if (strcmp(s, "false") == 0 || strcmp(s, "off") == 0)
        *out = false;
    else
        return false;
    return true;
}

bool vf__krunkit_mac(const char *s, vf_mac_address *out)
{
    vf_mac_address mac = {{0}, 6};
    for (int i = 0; i < 6; i++) {
        if (i > 0) {
            if (*s != ':' && *s != '-')
                return false;
            s++;
        }
        /* u8::from_str_radix(part, 16): an optional '+', hex digits. */
        if (*s == '+')
            s++;
        unsigned v = 0;
        size_t digits = 0;
        for (; vf__hex_digit((unsigned char)*s) >= 0; s++, digits++) {
            v = v * 16 + (unsigned)vf__hex_digit((unsigned char)*s);
            if (v > 255)
                return false;
        }
        if (digits == 0)
            return false;
        mac.bytes[i] = (uint8_t)v;
    }
    if (*s != '\0')
        return false; /* a seventh part, or another character */
    *out = mac;
    return true;
}
