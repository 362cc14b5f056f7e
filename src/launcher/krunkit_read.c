/*
 * libvfconfig - reading a krunkit command line as krunkit does.
 * SPDX-License-Identifier: Apache-2.0
 *
 * krunkit (containers/krunkit) declares its flags with clap's derive API
 * in src/cmdline.rs and parses each value with the FromStr code of
 * src/cmdline.rs, src/virtio.rs and src/status.rs. Reproduced here: clap's
 * syntax (`--flag value`, `--flag=value`, `-c 4`, `-c4`, `-c=4`, clusters
 * such as `-nc4`, `--` ending the flags), its refusals (unknown flags, a
 * value on a switch, a flag given twice unless it collects values, a
 * value that looks like a flag, a missing required flag, any positional
 * argument), and each value parser. The first problem in argument order
 * wins, as in clap; -h/--help and -V/--version stop there too. What
 * krunkit refuses only once it builds the VM (0 vCPUs, more than 61440
 * MiB, more than 255 OEM strings) is read and left to the launcher check.
 */
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "cmdline/cmdline.h"
#include "launcher/krunkit.h"
#include "launcher/launcher.h"
#include "model/device_ops.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/macros.h"
#include "util/str.h"
#include "util/utf8.h"

typedef enum kflag {
    K_CPUS,
    K_MEMORY,
    K_BOOTLOADER,
    K_DEVICE,
    K_RESTFUL_URI,
    K_GUI,
    K_OEM_STRING,
    K_KRUN_LOG_LEVEL,
    K_NESTED,
    K_PIDFILE,
    K_LOG_FILE,
    K_FIRMWARE_PATH,
    K_TIMESYNC,
    K_HELP,
    K_VERSION,
    K_COUNT
} kflag;

/* krunkit's Args, as clap derives them (v1.2.1). */
static const struct kflag_def {
    const char *name;
    char shorthand;
    const char *value_name; /* NULL for a switch */
    bool repeats;           /* a Vec: every value is kept */
} kflags[K_COUNT] = {
    [K_CPUS] = {"cpus", 'c', "CPUS", false},
    [K_MEMORY] = {"memory", 'm', "MEMORY", false},
    [K_BOOTLOADER] = {"bootloader", 0, "BOOTLOADER", false},
    [K_DEVICE] = {"device", 0, "DEVICES", true},
    [K_RESTFUL_URI] = {"restful-uri", 0, "RESTFUL_URI", false},
    [K_GUI] = {"gui", 0, NULL, false},
    [K_OEM_STRING] = {"oem-string", 0, "OEM_STRINGS", true},
    [K_KRUN_LOG_LEVEL] = {"krun-log-level", 0, "KRUN_LOG_LEVEL", false},
    [K_NESTED] = {"nested", 'n', NULL, false},
    [K_PIDFILE] = {"pidfile", 0, "PIDFILE", false},
    [K_LOG_FILE] = {"log-file", 0, "LOG_FILE", false},
    [K_FIRMWARE_PATH] = {"firmware-path", 'f', "FIRMWARE_PATH", false},
    [K_TIMESYNC] = {"timesync", 0, "TIMESYNC", false},
    [K_HELP] = {"help", 'h', NULL, false},
    [K_VERSION] = {"version", 'V', NULL, false},
};

typedef struct kreader {
    vf_vm *vm;
    bool seen[K_COUNT];
    size_t n_devices; /* --device values read so far */
    vf__strv_builder oem;
} kreader;

/* Names the flag, by its long name, as the error's location; returns rc.
 * An allocation failure stays without one. */
static int locate_flag(vf_error *err, const struct kflag_def *def, int rc)
{
    if (rc != VF_ERR_NOMEM)
        vf__error_locate(err, "--%s", def->name);
    return rc;
}

/* clap's refusal of a value, the flag first and the value last. */
static int invalid_value(const struct kflag_def *def, const char *value, const char *why,
                         vf_error *err)
{
    char shown[96];
    vf__error(err, VF_ERR_INVALID, "krunkit: invalid value for '--%s <%s>': %s: \"%s\"", def->name,
              def->value_name, why, vf__quote_for_message(value, shown, sizeof shown));
    return locate_flag(err, def, VF_ERR_INVALID);
}

/* A refusal by the value parser of def, which names the key at fault:
 * prefixed with the flag, in clap's words for an invalid value; returns
 * rc. An allocation failure stays as it is. */
static int refused_value(vf_error *err, const struct kflag_def *def, int rc)
{
    if (rc != VF_OK && rc != VF_ERR_NOMEM)
        vf__error_prefix(err, "krunkit: invalid value for '--%s <%s>'", def->name, def->value_name);
    return rc;
}

/* clap's refusal of a flag's missing or empty value. */
static int value_required(const struct kflag_def *def, vf_error *err)
{
    vf__error(err, VF_ERR_INVALID,
              "krunkit: a value is required for '--%s <%s>' but none was supplied", def->name,
              def->value_name);
    return locate_flag(err, def, VF_ERR_INVALID);
}

/* parse_memory: MiB, or a number with one letter M, G, T or P (any case). */
static bool parse_memory(const char *s, uint64_t *mib)
{
    size_t len = strlen(s);
    char unit = 'M';
    char number[32];
    if (len > 0 && ((s[len - 1] | 0x20) >= 'a' && (s[len - 1] | 0x20) <= 'z')) {
        unit = (char)(s[len - 1] & ~0x20);
        len--;
    }
    if (len >= sizeof number)
        return false; /* more digits than a u64 has */
    memcpy(number, s, len);
    number[len] = '\0';
    uint64_t n;
    if (!vf__rust_parse_u64(number, UINT64_MAX, &n))
        return false;
    unsigned shift = unit == 'M' ? 0 : unit == 'G' ? 10 : unit == 'T' ? 20 : unit == 'P' ? 30 : 99;
    if (shift == 99 || (shift > 0 && n > (UINT64_MAX >> shift)))
        return false;
    n <<= shift;
    if (n > UINT32_MAX)
        return false;
    *mib = n;
    return true;
}

/* bootloader::Config: exactly efi, variable-store=PATH and create. */
static int read_bootloader(vf_vm *vm, const char *value, vf_error *err)
{
    static const char *const required[] = {"efi", "variable-store", "create", NULL};
    vf__kv_list kv;
    int rc = vf__kv_parse(value, "bootloader", &kv, err);
    if (rc != VF_OK)
        return rc;
    rc = vf__kv_require(&kv, "bootloader", required, err);
    const char *efi = vf__kv_take(&kv, "efi");
    const char *store = vf__kv_take(&kv, "variable-store");
    const char *create = vf__kv_take(&kv, "create");
    if (rc == VF_OK && (efi[0] != '\0' || create[0] != '\0')) {
        const char *key = efi[0] != '\0' ? "efi" : "create";
        char shown[96];
        vf__quote_for_message(efi[0] != '\0' ? efi : create, shown, sizeof shown);
        rc = vf__error_at(err, VF_ERR_INVALID, key, "unknown bootloader argument: \"%s=%s\"", key,
                          shown);
    }
    if (rc == VF_OK)
        rc = vf__kv_no_unknown(&kv, "bootloader", err);
    if (rc == VF_OK) {
        vf_efi_bootloader *efi_bl = vf_efi_bootloader_new(store, true);
        if (efi_bl == NULL)
            rc = vf__error_nomem(err);
        else
            vf_vm_set_bootloader(vm, &efi_bl->base);
    }
    vf__kv_release(&kv);
    return rc;
}

/* Ipv4Addr::from_str: four decimal octets, no leading zeros, no sign. */
static bool parse_ipv4(const char *s, size_t len, unsigned char out[4])
{
    size_t pos = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (pos >= len || s[pos] != '.')
                return false;
            pos++;
        }
        size_t start = pos;
        unsigned v = 0;
        while (pos < len && s[pos] >= '0' && s[pos] <= '9' && pos - start < 3)
            v = v * 10 + (unsigned)(s[pos++] - '0');
        size_t digits = pos - start;
        if (digits == 0 || v > 255 || (digits > 1 && s[start] == '0'))
            return false;
        out[part] = (unsigned char)v;
    }
    return pos == len;
}

/* RestfulUri::from_str: none://..., unix://PATH (non-empty) or
 * tcp://IPV4:PORT (`localhost` for 127.0.0.1); the regex stops at a
 * newline. Kept normalised, as krunkit holds it. */
int vf__krunkit_restful_uri(const char *value, char **normalized, vf_error *err)
{
    const struct kflag_def *def = &kflags[K_RESTFUL_URI];
    static const char *const schemes[] = {"none://", "tcp://", "unix://"};
    size_t s = 0;
    while (s < 3 && strncmp(value, schemes[s], strlen(schemes[s])) != 0)
        s++;
    if (s == 3)
        return invalid_value(def, value, "invalid scheme input", err);
    const char *rest = value + strlen(schemes[s]);
    size_t len = strcspn(rest, "\n");
    vf__buf out;
    vf__buf_init(&out);
    if (s == 0) {
        vf__buf_puts(&out, "none://");
    } else if (s == 2) {
        if (len == 0)
            return invalid_value(def, value, "empty unix socket path", err);
        vf__buf_puts(&out, "unix://");
        vf__buf_append(&out, rest, len);
    } else {
        const char *colon = memchr(rest, ':', len);
        const char *second =
            colon ? memchr(colon + 1, ':', len - (size_t)(colon + 1 - rest)) : NULL;
        unsigned char ip[4];
        char port_text[16];
        uint64_t port;
        size_t host_len = colon ? (size_t)(colon - rest) : 0;
        size_t port_len = colon ? len - host_len - 1 : 0;
        bool ok = colon != NULL && second == NULL && port_len < sizeof port_text;
        if (ok && host_len == 9 && memcmp(rest, "localhost", 9) == 0)
            ip[0] = 127, ip[1] = 0, ip[2] = 0, ip[3] = 1;
        else if (ok)
            ok = parse_ipv4(rest, host_len, ip);
        if (ok) {
            memcpy(port_text, colon + 1, port_len);
            port_text[port_len] = '\0';
            ok = vf__rust_parse_u64(port_text, 65535, &port);
        }
        if (!ok)
            return invalid_value(def, value, "expected tcp://IPv4:PORT", err);
        char text[40];
        snprintf(text, sizeof text, "tcp://%u.%u.%u.%u:%u", ip[0], ip[1], ip[2], ip[3],
                 (unsigned)port);
        vf__buf_puts(&out, text);
    }
    char *uri = vf__buf_steal(&out);
    if (uri == NULL)
        return vf__error_nomem(err);
    *normalized = uri;
    return VF_OK;
}

static int read_restful_uri(vf_vm *vm, const char *value, vf_error *err)
{
    char *uri = NULL;
    int rc = vf__krunkit_restful_uri(value, &uri, err);
    if (rc != VF_OK)
        return locate_flag(err, &kflags[K_RESTFUL_URI], rc);
    vf__free(vm->restful_uri);
    vm->restful_uri = uri;
    return VF_OK;
}

static int set_path(char **slot, const struct kflag_def *def, const char *value, vf_error *err)
{
    /* clap's PathBuf parser refuses an empty value. */
    if (value[0] == '\0')
        return value_required(def, err);
    char *copy = vf__strdup(value);
    if (copy == NULL)
        return vf__error_nomem(err);
    vf__free(*slot);
    *slot = copy;
    return VF_OK;
}

/* One flag with its value (NULL for a switch): clap's react, then the
 * field's value parser. */
static int take(kreader *r, kflag id, const char *value, vf_error *err)
{
    const struct kflag_def *def = &kflags[id];
    vf_vm *vm = r->vm;
    if (id == K_HELP || id == K_VERSION)
        return locate_flag(err, def,
                           vf__error(err, VF_ERR_INVALID,
                                     "krunkit: --%s prints krunkit's %s and exits; it describes "
                                     "no VM",
                                     def->name, def->name));
    if (r->seen[id] && !def->repeats)
        return locate_flag(err, def,
                           vf__error(err, VF_ERR_INVALID,
                                     "krunkit: the argument '--%s' cannot be used multiple times",
                                     def->name));
    r->seen[id] = true;
    uint64_t u;
    int64_t i;
    switch (id) {
    case K_CPUS:
        if (!vf__rust_parse_i64(value, 0, 255, &i))
            return invalid_value(def, value, "a number from 0 to 255", err);
        vm->vcpus = (uint64_t)i;
        return VF_OK;
    case K_MEMORY:
        if (!parse_memory(value, &u))
            return invalid_value(def, value, "MiB, or a number with M, G, T or P, up to 2^32-1 MiB",
                                 err);
        vm->memory_bytes = u * VF__MIB;
        return VF_OK;
    case K_BOOTLOADER: {
        int rc = refused_value(err, def, read_bootloader(vm, value, err));
        if (rc != VF_OK && rc != VF_ERR_NOMEM)
            vf__error_locate_prefix(err, "--bootloader");
        return rc;
    }
    case K_DEVICE: {
        vf_device *dev = NULL;
        int rc = refused_value(err, def, vf__krunkit_device_from_cmdline(value, &dev, err));
        /* The device names the key at fault; counted from 0, as the vfkit
         * reader counts its --device flags. */
        if (rc != VF_OK && rc != VF_ERR_NOMEM)
            vf__error_locate_prefix(err, "--device[%zu]", r->n_devices);
        r->n_devices++;
        return rc != VF_OK ? rc : vf_vm_add_device(vm, dev, err);
    }
    case K_RESTFUL_URI:
        return read_restful_uri(vm, value, err);
    case K_GUI:
        vm->krunkit_gui = true;
        return VF_OK;
    case K_OEM_STRING:
        vf__strv_add(&r->oem, value);
        return VF_OK;
    case K_KRUN_LOG_LEVEL:
        if (!vf__rust_parse_i64(value, 0, UINT32_MAX, &i))
            return invalid_value(def, value, "a number from 0 to 4294967295", err);
        vf_vm_set_krun_log_level(vm, (uint32_t)i);
        return VF_OK;
    case K_NESTED:
        vm->nested = true;
        return VF_OK;
    case K_PIDFILE:
        return set_path(&vm->pidfile, def, value, err);
    case K_LOG_FILE:
        return set_path(&vm->log_file, def, value, err);
    case K_FIRMWARE_PATH:
        return set_path(&vm->firmware_path, def, value, err);
    case K_TIMESYNC:
        if (strncmp(value, "vsockPort=", 10) != 0 ||
            !vf__rust_parse_u64(value + 10, UINT32_MAX, &u)) {
            int rc = invalid_value(def, value, "expected 'vsockPort=<port>'", err);
            if (strncmp(value, "vsockPort=", 10) == 0)
                vf__error_locate(err, "--timesync.vsockPort");
            return rc;
        }
        vf_timesync *ts = vf_timesync_new((uint32_t)u);
        if (ts == NULL)
            return vf__error_nomem(err);
        vf_vm_set_timesync(vm, ts);
        return VF_OK;
    default:
        return VF_OK;
    }
}

int vf__krunkit_device_from_cmdline(const char *value, vf_device **out, vf_error *err)
{
    char shown[96];
    size_t name_len = strcspn(value, ",");
    const vf__device_ops *ops = vf__device_ops_by_name(value, name_len);
    *out = NULL;
    if (ops == NULL || ops->read_krunkit == NULL) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(name_len < 63 ? name_len : 63), value);
        return vf__error(err, VF_ERR_INVALID, "invalid virtio device label specified: %s\"%s\"",
                         ops != NULL ? "krunkit has no such device: " : "",
                         vf__quote_for_message(name, shown, sizeof shown));
    }
    return ops->read_krunkit(value[name_len] == ',' ? value + name_len + 1 : "", out, err);
}

/* The argument after a flag that needs one: clap takes it unless it
 * looks like a flag itself ("-" alone is a value). */
static int next_value(const struct kflag_def *def, const char *const *args, size_t *next,
                      const char **value, vf_error *err)
{
    const char *s = args[*next];
    if (s == NULL || (s[0] == '-' && s[1] != '\0'))
        return value_required(def, err);
    *value = s;
    (*next)++;
    return VF_OK;
}

static int parse_long(kreader *r, const char *s, const char *const *args, size_t *next,
                      vf_error *err)
{
    char shown[96];
    const char *name = s + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    for (size_t id = 0; id < K_COUNT; id++) {
        const struct kflag_def *def = &kflags[id];
        if (strlen(def->name) != len || memcmp(def->name, name, len) != 0)
            continue;
        const char *value = NULL;
        if (def->value_name == NULL && eq != NULL)
            return locate_flag(
                err, def,
                vf__error(err, VF_ERR_INVALID,
                          "krunkit: unexpected value for '--%s' found; no more were expected: "
                          "\"%s\"",
                          def->name, vf__quote_for_message(eq + 1, shown, sizeof shown)));
        if (def->value_name != NULL) {
            if (eq != NULL)
                value = eq + 1;
            else if (next_value(def, args, next, &value, err) != VF_OK)
                return err ? err->code : VF_ERR_INVALID;
        }
        return take(r, (kflag)id, value, err);
    }
    /* An unknown flag by its name, as the vfkit reader names it; "--="
     * and its like, with no name, by the whole word. */
    vf__error(err, VF_ERR_INVALID, "krunkit: unexpected argument found: \"%s\"",
              vf__quote_for_message(s, shown, sizeof shown));
    if (len != 0)
        vf__error_locate(err, "--%s", vf__quote_n_for_message(name, len, shown, sizeof shown));
    else
        vf__error_locate(err, "%s", shown);
    return VF_ERR_INVALID;
}

static int parse_short(kreader *r, const char *s, const char *const *args, size_t *next,
                       vf_error *err)
{
    char shown[96];
    for (const char *c = s + 1; *c != '\0'; c++) {
        size_t id = 0;
        while (id < K_COUNT && (kflags[id].shorthand == 0 || kflags[id].shorthand != *c))
            id++;
        if (id == K_COUNT) {
            /* The shorthand by its character, in the message and as the
             * location: a whole UTF-8 one, or the byte as \xNN. */
            char flag[16];
            const unsigned char *u = (const unsigned char *)c;
            size_t n = *u < 0x80 ? 1 : vf__utf8_valid_length(u, strlen(c));
            vf__quote_n_for_message(c, n != 0 ? n : 1, flag, sizeof flag);
            vf__error(err, VF_ERR_INVALID, "krunkit: unexpected argument '-%s' in \"%s\"", flag,
                      vf__quote_for_message(s, shown, sizeof shown));
            vf__error_locate(err, "-%s", flag);
            return VF_ERR_INVALID;
        }
        const struct kflag_def *def = &kflags[id];
        if (def->value_name == NULL) {
            int rc = take(r, (kflag)id, NULL, err);
            if (rc != VF_OK)
                return rc;
            continue;
        }
        const char *value = c + 1;
        if (*value == '=')
            value++;
        else if (*value == '\0' && next_value(def, args, next, &value, err) != VF_OK)
            return err ? err->code : VF_ERR_INVALID;
        return take(r, (kflag)id, value, err);
    }
    return VF_OK;
}

static int parse_all(kreader *r, const char *const *args, vf_error *err)
{
    char shown[96];
    size_t i = 0;
    bool escaped = false;
    while (args[i] != NULL) {
        const char *s = args[i++];
        int rc;
        if (!escaped && strcmp(s, "--") == 0) {
            escaped = true;
            continue;
        }
        if (!escaped && s[0] == '-' && s[1] == '-')
            rc = parse_long(r, s, args, &i, err);
        else if (!escaped && s[0] == '-' && s[1] != '\0')
            rc = parse_short(r, s, args, &i, err);
        else {
            /* A positional word, by its index in the arguments. */
            rc = vf__error(err, VF_ERR_INVALID, "krunkit: unexpected argument found: \"%s\"",
                           vf__quote_for_message(s, shown, sizeof shown));
            vf__error_locate(err, "args[%zu]", i - 1);
        }
        if (rc != VF_OK)
            return rc;
    }
    if (!r->seen[K_CPUS] || !r->seen[K_MEMORY]) {
        /* Located at the first flag missing, as the message lists them. */
        vf__error(err, VF_ERR_INVALID,
                  "krunkit: the following required arguments were not provided: %s%s",
                  r->seen[K_CPUS] ? "" : "--cpus <CPUS> ",
                  r->seen[K_MEMORY] ? "" : "--memory <MEMORY>");
        return locate_flag(err, &kflags[r->seen[K_CPUS] ? K_MEMORY : K_CPUS], VF_ERR_INVALID);
    }
    return VF_OK;
}

vf_vm *vf__krunkit_from_cmdline(const char *const *args, vf_error *err)
{
    /* Every argument within VF_MAX_INPUT_BYTES, as the vfkit reader
     * checks them, before any is read. */
    if (vf__cmdline_check_sizes(args, NULL, err) != VF_OK)
        return NULL;
    kreader r;
    memset(&r, 0, sizeof r);
    vf__strv_init(&r.oem);
    r.vm = vf_vm_new(0, 0, NULL);
    if (r.vm == NULL) {
        vf__error_nomem(err);
        return NULL;
    }
    int rc = parse_all(&r, args, err);
    if (rc == VF_OK && r.seen[K_OEM_STRING]) {
        r.vm->oem_strings = vf__strv_finish(&r.oem, err);
        if (r.vm->oem_strings == NULL)
            rc = VF_ERR_NOMEM;
    }
    vf__strv_release(&r.oem);
    if (rc != VF_OK) {
        vf_vm_free(r.vm);
        return NULL;
    }
    return r.vm;
}
