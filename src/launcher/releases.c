/*
 * libvfconfig - the known releases of vfkit and krunkit, and which flags
 * each accepts. Devices and their options are in each kind's own table
 * (model/devices/), reached through the device ops.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Derived from the launchers' git history: vfkit's pkg/cmdline/cmdline.go
 * at tags v0.5.0 to v0.6.4, krunkit's src/cmdline.rs and src/status.rs at
 * tags v0.1.0 to v1.2.1.
 */
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "launcher/launcher.h"
#include "model/device_ops.h"
#include "util/error.h"
#include "util/macros.h"

static const unsigned vfkit_releases[] = {
    VF__RELEASE(0, 5, 0), VF__RELEASE(0, 5, 1), VF__RELEASE(0, 6, 0), VF__RELEASE(0, 6, 1),
    VF__RELEASE(0, 6, 2), VF__RELEASE(0, 6, 3), VF__RELEASE(0, 6, 4),
};
static const unsigned krunkit_releases[] = {
    VF__RELEASE(0, 1, 0), VF__RELEASE(0, 1, 1), VF__RELEASE(0, 1, 2), VF__RELEASE(0, 1, 3),
    VF__RELEASE(0, 1, 4), VF__RELEASE(0, 2, 0), VF__RELEASE(0, 2, 1), VF__RELEASE(0, 2, 2),
    VF__RELEASE(1, 0, 0), VF__RELEASE(1, 1, 0), VF__RELEASE(1, 1, 1), VF__RELEASE(1, 2, 0),
    VF__RELEASE(1, 2, 1),
};

/* Flags that arrived after the oldest known release. Flags of the oldest
 * release, and flags a launcher never has (its printer refuses those), are
 * not listed. */
static const vf__since vfkit_flags[] = {
    {"--ignition", VF__RELEASE(0, 6, 0)},
    {"--cloud-init", VF__RELEASE(0, 6, 1)},
    {"--nested", VF__RELEASE(0, 6, 2)},
    {"--pidfile", VF__RELEASE(0, 6, 2)},
};
static const vf__since krunkit_flags[] = {
    {"--oem-string", VF__RELEASE(0, 1, 1)}, {"--krun-log-level", VF__RELEASE(0, 1, 4)},
    {"--nested", VF__RELEASE(0, 2, 0)},     {"--pidfile", VF__RELEASE(1, 0, 0)},
    {"--log-file", VF__RELEASE(1, 1, 0)},   {"--firmware-path", VF__RELEASE(1, 2, 0)},
    {"--timesync", VF__RELEASE(1, 2, 0)},
};

static void releases_of(vf_launcher_kind kind, const unsigned **list, size_t *n)
{
    if (kind == VF_LAUNCHER_KRUNKIT) {
        *list = krunkit_releases;
        *n = VF__COUNT(krunkit_releases);
    } else {
        *list = vfkit_releases;
        *n = VF__COUNT(vfkit_releases);
    }
}

const char *vf__launcher_name(vf_launcher_kind kind)
{
    return kind == VF_LAUNCHER_KRUNKIT ? "krunkit" : "vfkit";
}

unsigned vf__release_of(const vf_launcher *launcher)
{
    unsigned newest = vf__newest_release(launcher->kind);
    if (launcher->major > 99 || launcher->minor > 99 || launcher->patch > 99)
        return newest;
    unsigned r = VF__RELEASE(launcher->major, launcher->minor, launcher->patch);
    return r > newest ? newest : r;
}

unsigned vf__newest_release(vf_launcher_kind kind)
{
    const unsigned *list;
    size_t n;
    releases_of(kind, &list, &n);
    return list[n - 1];
}

static vf_launcher launcher_of(vf_launcher_kind kind, unsigned release)
{
    vf_launcher l = {kind, release / 10000u, release / 100u % 100u, release % 100u};
    return l;
}

size_t vf_launcher_releases(vf_launcher_kind kind, vf_launcher *out, size_t capacity)
{
    if (kind != VF_LAUNCHER_VFKIT && kind != VF_LAUNCHER_KRUNKIT)
        return 0;
    const unsigned *list;
    size_t n;
    releases_of(kind, &list, &n);
    for (size_t i = 0; i < n && i < capacity && out != NULL; i++)
        out[i] = launcher_of(kind, list[i]);
    return n;
}

int vf_launcher_newest(vf_launcher_kind kind, vf_launcher *out)
{
    if ((kind != VF_LAUNCHER_VFKIT && kind != VF_LAUNCHER_KRUNKIT) || out == NULL)
        return VF_ERR_INVALID;
    *out = launcher_of(kind, vf__newest_release(kind));
    return VF_OK;
}

char *vf_launcher_format(const vf_launcher *launcher, char *buf, size_t size)
{
    if (buf == NULL || size == 0)
        return buf;
    if (launcher == NULL)
        buf[0] = '\0';
    else
        snprintf(buf, size, "%s@%u.%u.%u", vf__launcher_name(launcher->kind), launcher->major,
                 launcher->minor, launcher->patch);
    return buf;
}

/* "1.2.1" (a leading 'v' allowed): three decimal numbers. *end is where
 * the version stops. */
static bool parse_release(const char *s, unsigned parts[3], const char **end)
{
    if (*s == 'v')
        s++;
    for (int i = 0; i < 3; i++) {
        if (i > 0 && *s++ != '.')
            return false;
        if (*s < '0' || *s > '9')
            return false;
        unsigned long v = 0;
        while (*s >= '0' && *s <= '9') {
            v = v * 10 + (unsigned long)(*s++ - '0');
            if (v > 1000000u)
                return false;
        }
        parts[i] = (unsigned)v;
    }
    *end = s;
    return true;
}

/* Refuses a release older than the oldest known one. */
static int check_known(const vf_launcher *l, const char *text, vf_error *err)
{
    const unsigned *list;
    size_t n;
    char shown[96];
    releases_of(l->kind, &list, &n);
    bool older = l->major < 100 && l->minor < 100 && l->patch < 100 &&
                 VF__RELEASE(l->major, l->minor, l->patch) < list[0];
    if (!older)
        return VF_OK;
    vf_launcher oldest = launcher_of(l->kind, list[0]);
    return vf__error(err, VF_ERR_UNSUPPORTED,
                     "launcher \"%s\": %s %u.%u.%u is older than the oldest "
                     "known release %u.%u.%u",
                     vf__quote_for_message(text, shown, sizeof shown), vf__launcher_name(l->kind),
                     l->major, l->minor, l->patch, oldest.major, oldest.minor, oldest.patch);
}

int vf_launcher_parse(const char *text, vf_launcher *out, vf_error *err)
{
    char shown[96];
    if (text == NULL || out == NULL)
        return vf__error(err, VF_ERR_INVALID, "launcher: NULL argument");
    vf_launcher l;
    const char *at = strchr(text, '@');
    size_t name_len = at ? (size_t)(at - text) : strlen(text);
    if (name_len == 5 && memcmp(text, "vfkit", 5) == 0)
        l.kind = VF_LAUNCHER_VFKIT;
    else if (name_len == 7 && memcmp(text, "krunkit", 7) == 0)
        l.kind = VF_LAUNCHER_KRUNKIT;
    else
        return vf__error(err, VF_ERR_INVALID,
                         "launcher \"%s\": expected vfkit or krunkit, optionally @VERSION",
                         vf__quote_for_message(text, shown, sizeof shown));
    if (at == NULL) {
        *out = launcher_of(l.kind, vf__newest_release(l.kind));
        return VF_OK;
    }
    unsigned parts[3];
    const char *end;
    if (!parse_release(at + 1, parts, &end) || *end != '\0')
        return vf__error(err, VF_ERR_INVALID, "launcher \"%s\": expected a release such as %s@%s",
                         vf__quote_for_message(text, shown, sizeof shown),
                         vf__launcher_name(l.kind),
                         l.kind == VF_LAUNCHER_KRUNKIT ? "1.2.1" : "0.6.4");
    l.major = parts[0];
    l.minor = parts[1];
    l.patch = parts[2];
    int rc = check_known(&l, text, err);
    if (rc == VF_OK)
        *out = l;
    return rc;
}

int vf_launcher_from_version_output(const char *text, vf_launcher *out, vf_error *err)
{
    char shown[96];
    if (text == NULL || out == NULL)
        return vf__error(err, VF_ERR_INVALID, "launcher version: NULL argument");
    vf_launcher l = {VF_LAUNCHER_VFKIT, 0, 0, 0};
    const char *v = NULL;
    /* cobra's template as vfkit sets it: "vfkit version: v0.6.4";
   * clap's: "krunkit 1.2.1". */
    if (strncmp(text, "vfkit version: ", 15) == 0) {
        v = text + 15;
    } else if (strncmp(text, "krunkit ", 8) == 0) {
        l.kind = VF_LAUNCHER_KRUNKIT;
        v = text + 8;
    }
    unsigned parts[3];
    const char *end = NULL;
    /* What may follow: git describe's "-3-gabc1234", a "+dirty", the newline. */
    if (v == NULL || !parse_release(v, parts, &end) ||
        (*end != '\0' && *end != '\n' && *end != '-' && *end != '+' && *end != ' '))
        return vf__error(err, VF_ERR_INVALID,
                         "launcher version: \"%s\" is neither vfkit's \"vfkit version: vX.Y.Z\" "
                         "nor krunkit's \"krunkit X.Y.Z\"",
                         vf__quote_for_message(text, shown, sizeof shown));
    l.major = parts[0];
    l.minor = parts[1];
    l.patch = parts[2];
    int rc = check_known(&l, text, err);
    if (rc != VF_OK)
        return rc;
    unsigned newest = vf__newest_release(l.kind);
    if (l.major > 99 || l.minor > 99 || l.patch > 99 ||
        VF__RELEASE(l.major, l.minor, l.patch) > newest)
        l = launcher_of(l.kind, newest);
    *out = l;
    return VF_OK;
}

/* ---- what a printed command line needs ---------------------------------- */

/* The release rows[] asks for option (NULL: the kind itself), or 0 when
 * the launcher's oldest known release has it. */
static unsigned needed(const vf__since *rows, size_t n, const char *option, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        const char *name = rows[i].option;
        if (option == NULL ? name == NULL
                           : name != NULL && strlen(name) == len && memcmp(name, option, len) == 0)
            return rows[i].release;
    }
    return 0;
}

static void report_release(vf__problems *p, const char *what, unsigned r)
{
    vf__problem(p, "%s %s %s >= %u.%u.%u", what, strstr(what, " and ") ? "need" : "needs",
                vf__launcher_name(p->launcher->kind), r / 10000u, r / 100u % 100u, r % 100u);
}

void vf__check_device_releases(const char *value, vf__problems *p)
{
    size_t name_len = strcspn(value, ",");
    const vf__device_ops *ops = vf__device_ops_by_name(value, name_len);
    if (ops == NULL)
        return;
    bool krunkit = p->launcher->kind == VF_LAUNCHER_KRUNKIT;
    const vf__since *rows = krunkit ? ops->krunkit_since : ops->vfkit_since;
    size_t n = krunkit ? ops->n_krunkit_since : ops->n_vfkit_since;
    unsigned have = vf__release_of(p->launcher);
    unsigned r = needed(rows, n, NULL, 0);
    if (r > have) {
        report_release(p, ops->name, r);
        return;
    }
    /* One problem for the device: every option the release lacks. */
    const char *missing[8];
    size_t missing_len[8], n_missing = 0;
    unsigned most = 0;
    for (const char *item = value + name_len; *item == ',' && n_missing < 8;) {
        item++;
        size_t key_len = strcspn(item, "=,");
        r = needed(rows, n, item, key_len);
        if (r > have) {
            missing[n_missing] = item;
            missing_len[n_missing++] = key_len;
            most = r > most ? r : most;
        }
        item += strcspn(item, ",");
    }
    if (n_missing == 0)
        return;
    char what[256];
    int used = snprintf(what, sizeof what, "%s", ops->name);
    for (size_t i = 0; i < n_missing && used > 0 && (size_t)used < sizeof what; i++)
        used += snprintf(what + used, sizeof what - (size_t)used, "%s'%.*s'",
                         i == 0               ? " "
                         : i + 1 == n_missing ? " and "
                                              : ", ",
                         (int)missing_len[i], missing[i]);
    report_release(p, what, most);
}

void vf__check_releases(char *const *argv, vf__problems *p)
{
    bool krunkit = p->launcher->kind == VF_LAUNCHER_KRUNKIT;
    const vf__since *flags = krunkit ? krunkit_flags : vfkit_flags;
    size_t n_flags = krunkit ? VF__COUNT(krunkit_flags) : VF__COUNT(vfkit_flags);
    unsigned have = vf__release_of(p->launcher);
    long device = -1;
    for (size_t i = 0; argv[i] != NULL; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || arg[1] != '-')
            continue;
        size_t len = strcspn(arg, "=");
        const char *value = arg[len] == '=' ? arg + len + 1 : argv[i + 1];
        p->device = -1;
        unsigned r = needed(flags, n_flags, arg, len);
        if (r > have) {
            char flag[64];
            snprintf(flag, sizeof flag, "%.*s", (int)(len < 63 ? len : 63), arg);
            report_release(p, flag, r);
        }
        if (value == NULL)
            continue;
        if (len == 8 && memcmp(arg, "--device", 8) == 0) {
            p->device = ++device;
            vf__check_device_releases(value, p);
        } else if (len == 12 && memcmp(arg, "--bootloader", 12) == 0 && !krunkit &&
                   strncmp(value, "macos", 5) == 0 && have < VF__RELEASE(0, 6, 0)) {
            vf__problem(p, "the macos bootloader needs vfkit >= 0.6.0");
        } else if (len == 13 && memcmp(arg, "--restful-uri", 13) == 0 && krunkit &&
                   strncmp(value, "tcp://", 6) != 0 && have < VF__RELEASE(0, 2, 2)) {
            vf__problem(p, "--restful-uri %.7s needs krunkit >= 0.2.2 (before, tcp:// only)",
                        value);
        }
    }
    p->device = -1;
}
