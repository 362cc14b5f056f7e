/*
 * libvfconfig - virtio-net and hardware addresses.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A virtio-net device uses exactly one of: the framework's NAT, a connected
 * datagram socket given as a descriptor, or a unixgram socket path.
 */
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "launcher/krunkit.h"
#include "launcher/launcher.h"
#include "model/device_ops.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fd.h"
#include "util/hex.h"
#include "util/macros.h"
#include "util/numbers.h"
#include "util/sockpath.h"
#include "util/str.h"

/* ---- hardware addresses, read as Go's net.ParseMAC reads them ---- */

/* Two hex digits at s; false unless both are. */
static bool hex_byte(const char *s, uint8_t *out)
{
    int high = vf__hex_digit((unsigned char)s[0]);
    int low = high < 0 ? -1 : vf__hex_digit((unsigned char)s[1]);
    if (low < 0)
        return false;
    *out = (uint8_t)(high << 4 | low);
    return true;
}

static bool valid_mac_length(size_t n)
{
    return n == 6 || n == 8 || n == 20;
}

/* Groups of `digits` hex digits (2 or 4) joined by one separator, which
 * must be the same throughout. */
static bool parse_mac_groups(const char *s, size_t len, size_t digits, char separator,
                             vf_mac_address *mac)
{
    size_t group = digits + 1; /* the digits and the separator after them */
    if ((len + 1) % group != 0)
        return false;
    size_t n = (len + 1) / group * (digits / 2);
    if (!valid_mac_length(n))
        return false;
    for (size_t pos = 0, i = 0; i < n; pos += group) {
        if (pos + digits < len && s[pos + digits] != separator)
            return false;
        for (size_t d = 0; d < digits; d += 2) {
            if (!hex_byte(s + pos + d, &mac->bytes[i++]))
                return false;
        }
    }
    mac->length = n;
    return true;
}

int vf_mac_address_parse(const char *text, vf_mac_address *out, vf_error *err)
{
    vf_mac_address mac = {{0}, 0};
    const char *s = vf__str(text);
    size_t len = strlen(s);
    bool ok = false;
    if (len >= 14) {
        if (s[2] == ':' || s[2] == '-')
            ok = parse_mac_groups(s, len, 2, s[2], &mac); /* 00:00:5e:00:53:01 */
        else if (s[4] == '.')
            ok = parse_mac_groups(s, len, 4, '.', &mac); /* 0000.5e00.5301 */
    }
    if (!ok) {
        char quoted[96];
        return vf__error(err, VF_ERR_INVALID, "invalid MAC address: \"%s\"",
                         vf__quote_for_message(s, quoted, sizeof quoted));
    }
    if (out != NULL)
        *out = mac;
    return VF_OK;
}

char *vf_mac_address_format(const vf_mac_address *mac, char *buf, size_t size)
{
    size_t n = mac ? mac->length : 0;
    size_t used = 0;
    if (size == 0)
        return buf;
    if (n > VF_MAC_MAX_BYTES)
        n = VF_MAC_MAX_BYTES;
    for (size_t i = 0; i < n; i++) {
        size_t need = i > 0 ? 3 : 2; /* ":" and two digits */
        if (used + need >= size)
            break; /* keep room for the NUL: a short buffer gets whole bytes only */
        if (i > 0)
            buf[used++] = ':';
        buf[used++] = vf__hex_lower(mac->bytes[i] >> 4u);
        buf[used++] = vf__hex_lower(mac->bytes[i]);
    }
    buf[used] = '\0';
    return buf;
}

/* ---- virtio-net ---- */

static int init(vf_device *dev)
{
    VF__DEVICE_AS(vf_virtio_net, dev)->socket_fd = -1;
    return VF_OK;
}

static bool has_socket(const vf_virtio_net *net)
{
    return net->socket_fd >= 0;
}

/* The Go package's rule: exactly one of nat, fd and unixSocketPath. */
static int validate_net(const vf_virtio_net *net, vf_error *err)
{
    bool has_path = !vf__empty(net->unix_socket_path);
    const char *problem = NULL;
    if (net->nat && has_socket(net))
        problem = "'nat' and 'fd' cannot be set at the same time";
    else if (net->nat && has_path)
        problem = "'nat' and 'unixSocketPath' cannot be set at the same time";
    else if (has_socket(net) && has_path)
        problem = "'fd' and 'unixSocketPath' cannot be set at the same time";
    else if (!net->nat && !has_socket(net) && !has_path)
        problem = "one of 'nat' or 'fd' or 'unixSocketPath' must be set";
    if (problem == NULL)
        return VF_OK;
    return vf__error(err, VF_ERR_INVALID, "virtio-net: %s", problem);
}

static int apply_fd(vf_virtio_net *net, const vf_option *opt, vf_error *err)
{
    int64_t fd;
    if (vf__atoi(vf__str(opt->value), &fd) != VF_OK)
        return vf__error_option_value(err, "virtio-net", "invalid value for", opt,
                                      " (a file descriptor number)");
    if (fd < 0 || fd > INT32_MAX)
        return vf__error_option_value(err, "virtio-net", "invalid file descriptor for", opt,
                                      " (0 to 2147483647)");
    net->socket_fd = (int)fd;
    return VF_OK;
}

/* One option; *has_type and *needs_type (the first option that is only
 * valid with type=unixgram) are checked once all are read. */
static int apply_net_option(vf_virtio_net *net, const vf_option *opt, bool *has_type,
                            const vf_option **needs_type, vf_error *err)
{
    const char *value = vf__str(opt->value);
    if (vf__option_is(opt, "nat")) {
        if (value[0] != '\0')
            return vf__error_option_value(err, "virtio-net", "unexpected value for", opt,
                                          " (it takes none)");
        net->nat = true;
    } else if (vf__option_is(opt, "mac")) {
        if (vf_mac_address_parse(value, &net->mac_address, NULL) != VF_OK)
            return vf__error_option_value(err, "virtio-net", "invalid MAC address for", opt, "");
    } else if (vf__option_is(opt, "fd")) {
        return apply_fd(net, opt, err);
    } else if (vf__option_is(opt, "unixSocketPath")) {
        return vf__set_option_string(&net->unix_socket_path, value, err);
    } else if (vf__option_is(opt, "type")) {
        if (strcmp(value, "unixgram") != 0)
            return vf__error_option_value(err, "virtio-net", "unsupported value for", opt,
                                          " (only 'unixgram' is supported)");
        *has_type = true;
    } else if (vf__option_is(opt, "path")) {
        if (*needs_type == NULL)
            *needs_type = opt;
        return vf__set_option_string(&net->unix_socket_path, value, err);
    } else if (vf__option_is(opt, "vfkitMagic")) {
        if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0)
            return vf__error_option_value(err, "virtio-net", "invalid value for", opt,
                                          " (expected on/off)");
        net->vfkit_magic = strcmp(value, "on") == 0;
    } else if (vf__option_is(opt, "offloading")) {
        if (strcmp(value, "off") != 0)
            return vf__error_option_value(err, "virtio-net", "invalid value for", opt,
                                          " (only 'off' is supported)");
        if (*needs_type == NULL)
            *needs_type = opt;
    } else {
        return vf__error_unknown_option(err, "virtio-net devices", opt);
    }
    return VF_OK;
}

static int apply_options(vf_device *dev, const vf_option *opts, size_t n, vf_error *err)
{
    vf_virtio_net *net = VF__DEVICE_AS(vf_virtio_net, dev);
    bool has_type = false;
    const vf_option *needs_type = NULL;
    /* A socket path turns the magic datagram on unless vfkitMagic says
     * otherwise, wherever that option stands. */
    for (size_t i = 0; i < n; i++) {
        if (vf__option_is(&opts[i], "path") || vf__option_is(&opts[i], "unixSocketPath"))
            net->vfkit_magic = true;
    }
    for (size_t i = 0; i < n; i++) {
        int rc = apply_net_option(net, &opts[i], &has_type, &needs_type, err);
        if (rc != VF_OK)
            return rc;
    }
    if (has_type && vf__empty(net->unix_socket_path))
        return vf__error(err, VF_ERR_INVALID,
                         "virtio-net: 'type' option requires 'path' to be specified");
    if (!has_type && needs_type != NULL)
        return vf__error_option_needs(err, "virtio-net", needs_type, "type");
    return validate_net(net, err);
}

static int write_cmdline(const vf_device *dev, vf__buf *out, int child_fd, vf_error *err)
{
    const vf_virtio_net *net = VF__DEVICE_AS_CONST(vf_virtio_net, dev);
    if (net->unix_stream || net->offloading)
        return vf__error(err, VF_ERR_UNSUPPORTED,
                         "virtio-net: vfkit has no %s (krunkit >= 1.0.0 has it)",
                         net->unix_stream ? "unixstream sockets" : "offloading");
    int rc = validate_net(net, err);
    if (rc != VF_OK)
        return rc;
    vf__buf_puts(out, "virtio-net");
    if (net->nat) {
        vf__buf_puts(out, ",nat");
    } else if (!vf__empty(net->unix_socket_path)) {
        /* With the magic on, the older syntax that every vfkit reads. */
        vf__buf_puts(out, net->vfkit_magic ? ",unixSocketPath=" : ",type=unixgram,path=");
        rc = vf__put_printable(out, "virtio-net", "unixSocketPath", net->unix_socket_path, err);
        if (rc == VF_OK)
            rc = vf__check_unix_path(net->unix_socket_path, "virtio-net", "'unixSocketPath'",
                                     "unixSocketPath", err);
        if (rc != VF_OK)
            return rc;
        if (!net->vfkit_magic)
            vf__buf_puts(out, ",vfkitMagic=off");
    } else {
        vf__buf_puts(out, ",fd=");
        vf__buf_put_i64(out, child_fd >= 0 ? child_fd : net->socket_fd);
    }
    if (net->mac_address.length != 0) {
        char mac[3 * VF_MAC_MAX_BYTES];
        vf__buf_puts(out, ",mac=");
        vf__buf_puts(out, vf_mac_address_format(&net->mac_address, mac, sizeof mac));
    }
    return VF_OK;
}

/* ---- constructor and setters ---- */

vf_virtio_net *vf_virtio_net_new(const char *mac_address, vf_error *err)
{
    vf_mac_address mac = {{0}, 0};
    if (!vf__empty(mac_address) && vf_mac_address_parse(mac_address, &mac, err) != VF_OK)
        return NULL;
    vf_virtio_net *net = VF__DEVICE_AS(vf_virtio_net, vf_device_new(VF_DEVICE_VIRTIO_NET));
    if (net == NULL) {
        vf__error_nomem(err);
        return NULL;
    }
    net->nat = true;
    net->mac_address = mac;
    return net;
}

void vf_virtio_net_set_socket(vf_virtio_net *net, int fd)
{
    if (net == NULL)
        return;
    net->socket_fd = fd;
    net->nat = false;
}

void vf_virtio_net_set_unix_stream(vf_virtio_net *net, bool unix_stream)
{
    if (net != NULL)
        net->unix_stream = unix_stream;
}

void vf_virtio_net_set_offloading(vf_virtio_net *net, bool offloading)
{
    if (net != NULL)
        net->offloading = offloading;
}

int vf_virtio_net_set_socket_checked(vf_virtio_net *net, int fd, vf_error *err)
{
    if (net == NULL)
        return vf__error(err, VF_ERR_INVALID, "virtio-net: no device given");
    char why[128];
    if (vf__fd_not_datagram(fd, why, sizeof why) != NULL)
        return vf__error(err, VF_ERR_INVALID, "virtio-net: invalid value for 'fd': %d is %s", fd,
                         why);
    vf_virtio_net_set_socket(net, fd);
    return VF_OK;
}

int vf_virtio_net_set_unix_socket_path(vf_virtio_net *net, const char *path)
{
    if (net == NULL)
        return VF_ERR_INVALID;
    if (vf__set_string(&net->unix_socket_path, path) != VF_OK)
        return VF_ERR_NOMEM;
    net->nat = false;
    net->vfkit_magic = true;
    return VF_OK;
}

/* Go writes `"socket":{}` for a descriptor, which nothing can read back;
 * the library writes the number under "fd" instead (docs/design.md,
 * difference 10) and refuses "socket" when reading (difference 6). */
static const vf__field fields[] = {
    VF__FIELD(vf_virtio_net, nat, "nat", VF__FIELD_BOOL, 0),
    VF__FIELD(vf_virtio_net, socket_fd, "fd", VF__FIELD_FD, VF__FIELD_OMITEMPTY),
    VF__FIELD(vf_virtio_net, unix_socket_path, "unixSocketPath", VF__FIELD_STRING,
              VF__FIELD_OMITEMPTY),
    VF__FIELD(vf_virtio_net, vfkit_magic, "vfkitMagic", VF__FIELD_BOOL,
              VF__FIELD_OMITEMPTY | VF__FIELD_FALSE_WITH_SOCKET_PATH),
    VF__FIELD(vf_virtio_net, mac_address, "macAddress", VF__FIELD_MAC, VF__FIELD_OMITEMPTY),
    VF__FIELD(vf_virtio_net, unix_stream, "krunkitUnixStream", VF__FIELD_BOOL, VF__FIELD_OMITEMPTY),
    VF__FIELD(vf_virtio_net, offloading, "krunkitOffloading", VF__FIELD_BOOL, VF__FIELD_OMITEMPTY),
};

/* vfkit: type=unixgram, path and vfkitMagic arrived in v0.6.2. krunkit:
 * the type= syntax (path, fd, offloading, vfkitMagic) in v1.0.0; before,
 * only unixSocketPath and mac. */
static const vf__since vfkit_since[] = {
    {"type", VF__RELEASE(0, 6, 2)},
    {"path", VF__RELEASE(0, 6, 2)},
    {"vfkitMagic", VF__RELEASE(0, 6, 2)},
};
static const vf__since krunkit_since[] = {
    {"type", VF__RELEASE(1, 0, 0)},       {"path", VF__RELEASE(1, 0, 0)},
    {"fd", VF__RELEASE(1, 0, 0)},         {"offloading", VF__RELEASE(1, 0, 0)},
    {"vfkitMagic", VF__RELEASE(1, 0, 0)},
};

/* krunkit: `unixSocketPath=P` is a unixgram socket with offloading and the
 * magic on; otherwise type=unixgram|unixstream with path or fd (or
 * neither), offloading and, for unixgram, vfkitMagic. The mac (6 bytes)
 * is required. */
static int write_krunkit(const vf_device *dev, vf__buf *out, int child_fd, vf__problems *p)
{
    const vf_virtio_net *net = VF__DEVICE_AS_CONST(vf_virtio_net, dev);
    if (net->nat)
        vf__krunkit_lacks(p, "virtio-net", "nat", 0);
    if (net->mac_address.length != 6)
        vf__problem(p, "virtio-net: krunkit needs a 6-byte 'mac'%s",
                    net->mac_address.length == 0 ? " (vfkit picks one when there is none)" : "");
    if (has_socket(net) && net->unix_socket_path != NULL)
        vf__problem(p, "virtio-net: krunkit takes 'path' or 'fd', not both");
    if (net->unix_stream && net->vfkit_magic)
        vf__problem(p, "virtio-net: krunkit sends the vfkit magic on unixgram sockets only");
    if (!has_socket(net))
        vf__krunkit_check_unix_path(p, "virtio-net", "'unixSocketPath'", net->unix_socket_path);
    vf__buf_puts(out, "virtio-net");
    if (!net->unix_stream && net->vfkit_magic && net->offloading && !has_socket(net) &&
        net->unix_socket_path != NULL) {
        vf__krunkit_put(out, "virtio-net", "unixSocketPath", net->unix_socket_path, p);
    } else {
        vf__buf_puts(out, net->unix_stream ? ",type=unixstream" : ",type=unixgram");
        if (has_socket(net)) {
            vf__buf_puts(out, ",fd=");
            vf__buf_put_i64(out, child_fd >= 0 ? child_fd : net->socket_fd);
        } else if (net->unix_socket_path != NULL) {
            vf__krunkit_put(out, "virtio-net", "path", net->unix_socket_path, p);
        }
        if (net->offloading)
            vf__buf_puts(out, ",offloading=on");
        if (net->vfkit_magic && !net->unix_stream)
            vf__buf_puts(out, ",vfkitMagic=on");
    }
    char mac[3 * VF_MAC_MAX_BYTES];
    vf__buf_puts(out, ",mac=");
    vf__buf_puts(out, vf_mac_address_format(&net->mac_address, mac, sizeof mac));
    return p->count ? VF_ERR_UNSUPPORTED : VF_OK;
}

/* parse_socket_config: what follows type=unixgram|unixstream. */
static int read_krunkit_socket(vf_virtio_net *net, const char *type, vf__kv_list *kv, vf_error *err)
{
    char shown[96];
    if (strcmp(type, "unixgram") != 0 && strcmp(type, "unixstream") != 0)
        return vf__error_at(err, VF_ERR_INVALID, "type",
                            "virtio-net: unsupported \"type\" input \"%s\"",
                            vf__quote_for_message(type, shown, sizeof shown));
    net->unix_stream = strcmp(type, "unixstream") == 0;
    const char *path = vf__kv_take(kv, "path"), *fd = vf__kv_take(kv, "fd");
    const char *offloading = vf__kv_take(kv, "offloading"), *magic = vf__kv_take(kv, "vfkitMagic");
    int64_t fd_number = -1;
    if (fd != NULL && !vf__rust_parse_i64(fd, INT32_MIN, INT32_MAX, &fd_number))
        return vf__error_at(err, VF_ERR_INVALID, "fd",
                            "virtio-net: unable to convert \"fd\" value \"%s\"",
                            vf__quote_for_message(fd, shown, sizeof shown));
    /* krunkit hands fd.unwrap_or(-1) to libkrun: -1 is no descriptor. */
    if (fd != NULL && fd_number < -1)
        return vf__error_at(err, VF_ERR_INVALID, "fd",
                            "virtio-net: 'fd' %lld is no descriptor the library can hand on",
                            (long long)fd_number);
    if (fd != NULL && path != NULL)
        return vf__error_at(err, VF_ERR_INVALID, vf__kv_later(kv, "path", "fd"),
                            "virtio-net: \"path\" and \"fd\" are mutually exclusive");
    if (offloading != NULL && !vf__krunkit_bool(offloading, &net->offloading))
        return vf__error_at(err, VF_ERR_INVALID, "offloading",
                            "virtio-net: invalid boolean value \"%s\"",
                            vf__quote_for_message(offloading, shown, sizeof shown));
    if (magic != NULL && net->unix_stream)
        return vf__error_at(err, VF_ERR_INVALID, "vfkitMagic",
                            "virtio-net: only \"type=unixgram\" supports the vfkitMagic argument");
    if (magic != NULL && !vf__krunkit_bool(magic, &net->vfkit_magic))
        return vf__error_at(err, VF_ERR_INVALID, "vfkitMagic",
                            "virtio-net: invalid boolean value \"%s\"",
                            vf__quote_for_message(magic, shown, sizeof shown));
    net->socket_fd = (int)fd_number;
    return path != NULL ? vf__krunkit_copy(&net->unix_socket_path, path, err) : VF_OK;
}

static int read_krunkit(const char *options, vf_device **out, vf_error *err)
{
    static const char *const required[] = {"mac", NULL};
    char shown[96];
    vf__kv_list kv;
    int rc = vf__kv_open(options, "virtio-net", required, &kv, err);
    if (rc != VF_OK)
        return rc;
    vf_virtio_net *net = VF__DEVICE_AS(vf_virtio_net, vf_device_new(VF_DEVICE_VIRTIO_NET));
    const char *legacy = vf__kv_take(&kv, "unixSocketPath"), *type = vf__kv_take(&kv, "type");
    const char *mac = vf__kv_take(&kv, "mac");
    if (net == NULL)
        rc = vf__error_nomem(err);
    else if (legacy != NULL && type != NULL)
        rc = vf__error_at(err, VF_ERR_INVALID, vf__kv_later(&kv, "type", "unixSocketPath"),
                          "virtio-net: \"type\" and \"unixSocketPath\" are mutually exclusive");
    else if (legacy == NULL && type == NULL)
        rc = vf__error_at(err, VF_ERR_INVALID, "type",
                          "virtio-net: device is missing \"type\" or \"unixSocketPath\"");
    else if (legacy != NULL) {
        net->vfkit_magic = net->offloading = true;
        rc = vf__krunkit_copy(&net->unix_socket_path, legacy, err);
    } else {
        rc = read_krunkit_socket(net, type, &kv, err);
    }
    if (rc == VF_OK && !vf__krunkit_mac(mac, &net->mac_address))
        rc = vf__error_at(err, VF_ERR_INVALID, "mac",
                          "virtio-net: unable to parse address from \"mac\": \"%s\"",
                          vf__quote_for_message(mac, shown, sizeof shown));
    return vf__kv_finish(&kv, "virtio-net", rc, (vf_device *)(void *)net, out, err);
}

const vf__device_ops vf__virtio_net_ops = VF__DEVICE_OPS(
    VF_DEVICE_VIRTIO_NET, "virtio-net", "virtionet", vf_virtio_net, init, apply_options,
    write_cmdline, fields,
    VF__LAUNCHERS(VF__SINCE(vfkit_since), VF__SINCE(krunkit_since), write_krunkit, read_krunkit));
