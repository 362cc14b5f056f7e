/*
 * libvfconfig - vfkit's --restful-uri: parsing and printing.
 * SPDX-License-Identifier: Apache-2.0
 *
 * vfkit reads the flag with Go's url.ParseRequestURI and then checks the
 * scheme and its parts (pkg/rest). The subset of ParseRequestURI that can
 * change the verdict is reproduced here: control bytes, the scheme syntax,
 * the query cut, opaque URIs, the authority (userinfo, IP literals, the
 * port's digits, which bytes a host may hold) and percent-decoding, as in
 * the Go versions vfkit v0.6.4 requires (go 1.25.6): since Go 1.25.2 a host
 * in brackets must be the whole host and an IPv6 address, which refuses
 * `[127.0.0.1]`, `[localhost]` and `a[b]`.
 */
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "rest/internal.h"
#include "util/error.h"
#include "util/hex.h"
#include "util/sockpath.h"
#include "vfconfig/rest.h"

/* Go's URL parts that decode differently (net/url's "encoding" modes). */
typedef enum url_part { PART_PATH, PART_HOST, PART_ZONE, PART_USERINFO } url_part;

/* A slice of the input. */
typedef struct span {
    const char *s;
    size_t n;
} span;

/* What ParseRequestURI found, before vfkit's own checks. */
typedef struct parsed_url {
    span scheme; /* as written; compared case-insensitively */
    span host;   /* raw authority host[:port], escapes not decoded */
    span path;   /* raw path, escapes not decoded */
} parsed_url;

/* Go's message for a refused URI, without the URI itself. */
typedef struct problem {
    int code;
    char text[160];
} problem;

static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_hex(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned char hex_value(unsigned char c)
{
    if (is_digit(c))
        return (unsigned char)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned char)(c - 'a' + 10);
    return (unsigned char)(c - 'A' + 10);
}

/* The ASCII bytes a host (or zone) may hold unescaped: letters, digits,
 * RFC 3986's unreserved marks and sub-delims, plus what Go adds. */
static bool host_byte_allowed(unsigned char c)
{
    if (is_alpha(c) || is_digit(c))
        return true;
    return c != '\0' && strchr("-_.~!$&'()*+,;=:[]<>\"", c) != NULL;
}

/* Go's message "<before>\"<fragment>\"<after>", the fragment shown safely. */
static void set_problem(problem *p, const char *before, const char *fragment, size_t n,
                        const char *after)
{
    char shown[40];
    p->code = VF_ERR_INVALID;
    snprintf(p->text, sizeof p->text, "%s\"%s\"%s", before,
             vf__quote_n_for_message(fragment, n, shown, sizeof shown), after);
}

/* Go's unescape() for one part: checks every escape, then writes the decoded
 * bytes to out (when non-NULL; it has room for in.n bytes) and their count
 * to *out_len. */
static bool unescape(span in, url_part part, char *out, size_t *out_len, problem *p)
{
    size_t len = 0;
    for (size_t i = 0; i < in.n;) {
        unsigned char c = (unsigned char)in.s[i];
        if (c == '%') {
            if (i + 2 >= in.n || !is_hex((unsigned char)in.s[i + 1]) ||
                !is_hex((unsigned char)in.s[i + 2])) {
                set_problem(p, "invalid URL escape ", in.s + i, in.n - i < 3 ? in.n - i : 3, "");
                return false;
            }
            unsigned char v = (unsigned char)(hex_value((unsigned char)in.s[i + 1]) << 4 |
                                              hex_value((unsigned char)in.s[i + 2]));
            bool percent = v == '%';
            /* A host may escape only non-ASCII bytes, and "%25" (RFC 6874);
             * a zone only what a host may hold as is, and a space. */
            if ((part == PART_HOST && v < 0x80 && !percent) ||
                (part == PART_ZONE && !percent && v != ' ' && !host_byte_allowed(v))) {
                set_problem(p, "invalid URL escape ", in.s + i, 3, "");
                return false;
            }
            if (out != NULL)
                out[len] = (char)v;
            len++;
            i += 3;
            continue;
        }
        if ((part == PART_HOST || part == PART_ZONE) && c < 0x80 && !host_byte_allowed(c)) {
            set_problem(p, "invalid character ", in.s + i, 1, " in host name");
            return false;
        }
        if (out != NULL)
            out[len] = (char)c;
        len++;
        i++;
    }
    *out_len = len;
    return true;
}

static span subspan(span s, size_t from, size_t to)
{
    return (span){s.s + from, to - from};
}

static bool find_last(span s, char c, size_t *at)
{
    for (size_t i = s.n; i > 0; i--) {
        if (s.s[i - 1] == c) {
            *at = i - 1;
            return true;
        }
    }
    return false;
}

static bool find_first(span s, char c, size_t *at)
{
    const char *hit = s.n ? memchr(s.s, c, s.n) : NULL;
    if (hit == NULL)
        return false;
    *at = (size_t)(hit - s.s);
    return true;
}

/* "" or ":" followed by digits only (Go's validOptionalPort). */
static bool valid_optional_port(span s)
{
    if (s.n == 0)
        return true;
    if (s.s[0] != ':')
        return false;
    for (size_t i = 1; i < s.n; i++)
        if (!is_digit((unsigned char)s.s[i]))
            return false;
    return true;
}

/* netip's parseIPv4Fields: four decimal fields of 0 to 255, no leading zero. */
static bool ipv4_address(span s)
{
    unsigned value = 0, digits = 0, dots = 0;
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.s[i];
        if (is_digit(c)) {
            if (digits == 1 && value == 0)
                return false;
            value = value * 10 + (unsigned)(c - '0');
            digits++;
            if (value > 255)
                return false;
        } else if (c == '.' && i > 0 && i + 1 < s.n && s.s[i - 1] != '.' && dots < 3) {
            dots++;
            value = digits = 0;
        } else {
            return false;
        }
    }
    return dots == 3;
}

/* netip's parseIPv6 without a zone: up to eight groups of 1-4 hex digits,
 * one "::" standing for at least one zero group, an IPv4 address as the
 * last two groups. */
static bool ipv6_address(span s)
{
    size_t at = 0;
    int bytes = 0, ellipsis = -1;
    if (s.n >= 2 && s.s[0] == ':' && s.s[1] == ':') {
        ellipsis = 0;
        at = 2;
        if (at == s.n)
            return true;
    }
    while (bytes < 16) {
        size_t digits = 0;
        while (at + digits < s.n && is_hex((unsigned char)s.s[at + digits]))
            if (++digits > 4)
                return false;
        if (digits == 0)
            return false;
        if (at + digits < s.n && s.s[at + digits] == '.') {
            if ((ellipsis < 0 && bytes != 12) || bytes + 4 > 16 ||
                !ipv4_address(subspan(s, at, s.n)))
                return false;
            bytes += 4;
            at = s.n;
            break;
        }
        bytes += 2;
        at += digits;
        if (at == s.n)
            break;
        if (s.s[at] != ':' || at + 1 == s.n)
            return false;
        at++;
        if (s.s[at] == ':') {
            if (ellipsis >= 0)
                return false;
            ellipsis = bytes;
            if (++at == s.n)
                break;
        }
    }
    if (at != s.n)
        return false;
    return bytes < 16 ? ellipsis >= 0 : ellipsis < 0;
}

/* What Go 1.25.2 requires of the text between brackets (netip.ParseAddr of
 * it decoded gives an IPv6 address): the address before any zone
 * ("%25..."), whose bytes decode to themselves when valid, and a non-empty
 * zone. */
static bool ip_literal_allowed(span inside, problem *p)
{
    size_t zone = inside.n;
    for (size_t i = 0; i + 2 < inside.n && zone == inside.n; i++)
        if (memcmp(inside.s + i, "%25", 3) == 0)
            zone = i;
    span address = subspan(inside, 0, zone);
    bool has_zone = zone < inside.n;
    /* ParseAddr looks at the first '.', ':' or '%' to choose the family. */
    char family = '\0';
    for (size_t i = 0; i < inside.n && family == '\0'; i++)
        if (strchr(".:%", inside.s[i]) != NULL)
            family = inside.s[i];
    if (family == '.' && !has_zone && ipv4_address(address)) {
        p->code = VF_ERR_INVALID;
        snprintf(p->text, sizeof p->text, "invalid IP-literal (an IPv4 address in brackets)");
        return false;
    }
    if (family != ':' || !ipv6_address(address) || (has_zone && zone + 3 == inside.n)) {
        set_problem(p, "invalid host: not an IPv6 address: ", inside.s, inside.n, "");
        return false;
    }
    return true;
}

/* Go's parseHost: the port's digits, then the bytes of the host (an IP
 * literal's zone after "%25" decodes by its own rules). Writes the decoded
 * host to out when non-NULL (room for host.n bytes). */
static bool decode_host(span host, char *out, size_t *out_len, problem *p)
{
    span parts[3] = {host, {host.s, 0}, {host.s, 0}};
    url_part modes[3] = {PART_HOST, PART_ZONE, PART_HOST};
    size_t n_parts = 1, colon, open;
    bool bracketed = find_last(host, '[', &open);
    if (bracketed && open > 0) {
        p->code = VF_ERR_INVALID;
        snprintf(p->text, sizeof p->text, "invalid IP-literal ('[' inside the host)");
        return false;
    }
    if (bracketed) {
        size_t close;
        if (!find_last(host, ']', &close)) {
            p->code = VF_ERR_INVALID;
            snprintf(p->text, sizeof p->text, "missing ']' in host");
            return false;
        }
        span port = subspan(host, close + 1, host.n);
        if (!valid_optional_port(port)) {
            set_problem(p, "invalid port ", port.s, port.n, " after host");
            return false;
        }
        const char *zone = NULL;
        for (size_t i = 0; i + 2 < close && zone == NULL; i++)
            if (memcmp(host.s + i, "%25", 3) == 0)
                zone = host.s + i;
        if (zone != NULL) {
            size_t z = (size_t)(zone - host.s);
            parts[0] = subspan(host, 0, z);
            parts[1] = subspan(host, z, close);
            parts[2] = subspan(host, close, host.n);
            n_parts = 3;
        }
    } else if (find_last(host, ':', &colon)) {
        span port = subspan(host, colon, host.n);
        if (!valid_optional_port(port)) {
            set_problem(p, "invalid port ", port.s, port.n, " after host");
            return false;
        }
    }
    size_t total = 0;
    for (size_t i = 0; i < n_parts; i++) {
        size_t len;
        if (!unescape(parts[i], modes[i], out ? out + total : NULL, &len, p))
            return false;
        total += len;
    }
    if (bracketed) {
        size_t close = host.n;
        find_last(host, ']', &close);
        if (!ip_literal_allowed(subspan(host, 1, close), p))
            return false;
    }
    *out_len = total;
    return true;
}

/* Go's validUserinfo: unreserved, sub-delims, ':', '%' and '@'. */
static bool valid_userinfo(span s)
{
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.s[i];
        if (!is_alpha(c) && !is_digit(c) && strchr("-._:~!$&'()*+,;=%@", c) == NULL)
            return false;
    }
    return true;
}

/* Go's parseAuthority: the host is checked first, then the userinfo. */
static bool parse_authority(span authority, parsed_url *url, problem *p)
{
    size_t at;
    bool has_user = find_last(authority, '@', &at);
    url->host = has_user ? subspan(authority, at + 1, authority.n) : authority;
    size_t ignored;
    if (!decode_host(url->host, NULL, &ignored, p))
        return false;
    if (!has_user)
        return true;
    span user = subspan(authority, 0, at);
    if (!valid_userinfo(user)) {
        p->code = VF_ERR_INVALID;
        snprintf(p->text, sizeof p->text, "net/url: invalid userinfo");
        return false;
    }
    /* The user name and the password (after the first ':') decode apart. */
    size_t colon;
    if (!find_first(user, ':', &colon))
        return unescape(user, PART_USERINFO, NULL, &ignored, p);
    return unescape(subspan(user, 0, colon), PART_USERINFO, NULL, &ignored, p) &&
           unescape(subspan(user, colon + 1, user.n), PART_USERINFO, NULL, &ignored, p);
}

/* The parts of url.ParseRequestURI that vfkit looks at. */
static bool parse_request_uri(const char *text, parsed_url *url, problem *p)
{
    size_t n = strlen(text);
    memset(url, 0, sizeof *url);
    url->scheme.s = url->host.s = url->path.s = text;
    p->code = VF_ERR_INVALID;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == 0x7f) {
            snprintf(p->text, sizeof p->text, "net/url: invalid control character in URL");
            return false;
        }
    }
    if (n == 0) {
        snprintf(p->text, sizeof p->text, "empty url");
        return false;
    }
    span rest = {text, n};
    if (n == 1 && text[0] == '*') {
        url->path = rest; /* Go's special request target; it has no scheme */
        return true;
    }
    /* The scheme: a letter, then letters, digits, '+', '-', '.', up to ':'. */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (is_alpha(c))
            continue;
        if ((is_digit(c) || c == '+' || c == '-' || c == '.') && i > 0)
            continue;
        if (c == ':') {
            if (i == 0) {
                snprintf(p->text, sizeof p->text, "missing protocol scheme");
                return false;
            }
            url->scheme = subspan(rest, 0, i);
            rest = subspan(rest, i + 1, n);
        }
        break;
    }
    /* The query is cut off (vfkit ignores it). */
    size_t q;
    if (find_first(rest, '?', &q))
        rest.n = q;
    if (rest.n == 0 || rest.s[0] != '/') {
        if (url->scheme.n > 0) /* an opaque URI: no host, no path */
            return true;
        snprintf(p->text, sizeof p->text, "invalid URI for request");
        return false;
    }
    if (url->scheme.n > 0 && rest.n >= 2 && rest.s[1] == '/') {
        span authority = subspan(rest, 2, rest.n);
        size_t slash;
        if (find_first(authority, '/', &slash)) {
            rest = subspan(authority, slash, authority.n);
            authority.n = slash;
        } else {
            rest = subspan(authority, authority.n, authority.n);
        }
        if (!parse_authority(authority, url, p))
            return false;
    }
    url->path = rest;
    size_t ignored;
    return unescape(url->path, PART_PATH, NULL, &ignored, p);
}

static bool scheme_is(span scheme, const char *name)
{
    if (scheme.n != strlen(name))
        return false;
    for (size_t i = 0; i < scheme.n; i++) {
        unsigned char c = (unsigned char)scheme.s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c != (unsigned char)name[i])
            return false;
    }
    return true;
}

/* A port is what follows the host's last ':' when that is digits only (Go's
 * URL.Port()); the check on the raw host gives the same answer as on the
 * decoded one, since escapes can neither make nor remove a digit there. */
static bool has_port(span host)
{
    size_t colon;
    if (!find_last(host, ':', &colon) || colon + 1 == host.n)
        return false;
    return valid_optional_port(subspan(host, colon, host.n));
}

long vf__restful_port(const char *host, size_t len)
{
    size_t colon = len;
    while (colon > 0 && host[colon - 1] != ':')
        colon--;
    if (colon == 0 || colon == len)
        return -1;
    long port = 0;
    for (size_t i = colon; i < len; i++) {
        if (host[i] < '0' || host[i] > '9')
            return -1;
        if (port <= 65535)
            port = port * 10 + (host[i] - '0');
    }
    return port > 65535 ? 65536 : port;
}

static int refuse(vf_error *err, int code, const char *why, const char *text)
{
    char shown[96];
    return vf__error_at(err, code, "--restful-uri", "--restful-uri: %s: \"%s\"", why,
                        vf__quote_for_message(text, shown, sizeof shown));
}

int vf_restful_uri_parse(const char *text, vf_restful_uri *out, vf_error *err)
{
    if (out == NULL)
        return vf__error(err, VF_ERR_INVALID, "--restful-uri: no place for the result");
    if (text == NULL)
        text = VF_RESTFUL_URI_DEFAULT;
    if (strlen(text) > VF_MAX_INPUT_BYTES)
        return vf__error(err, VF_ERR_LIMIT, "--restful-uri: value longer than %zu bytes",
                         (size_t)VF_MAX_INPUT_BYTES);
    parsed_url url;
    problem p;
    if (!parse_request_uri(text, &url, &p))
        return refuse(err, p.code, p.text, text);

    vf_restful_uri result;
    memset(&result, 0, sizeof result);
    size_t len;
    if (scheme_is(url.scheme, "none")) {
        result.scheme = VF_REST_SCHEME_NONE;
    } else if (scheme_is(url.scheme, "unix")) {
        result.scheme = VF_REST_SCHEME_UNIX;
        if (url.path.n == 0)
            return refuse(err, VF_ERR_INVALID, "invalid unix uri: missing path", text);
        if (url.host.n > 0)
            return refuse(err, VF_ERR_INVALID, "invalid unix uri: host is forbidden", text);
        unescape(url.path, PART_PATH, NULL, &len, &p);
        if (len > VF__UNIX_PATH_MAX)
            return refuse(err, VF_ERR_INVALID,
                          "invalid unix uri: socket path length exceeds macOS limits", text);
        unescape(url.path, PART_PATH, result.path, &len, &p);
        if (memchr(result.path, '\0', len) != NULL) /* a C path would end there */
            return refuse(err, VF_ERR_INVALID, "invalid unix uri: %00 in the path", text);
        result.path[len] = '\0';
    } else if (scheme_is(url.scheme, "tcp") || scheme_is(url.scheme, "http")) {
        result.scheme = VF_REST_SCHEME_TCP;
        if (url.host.n == 0)
            return refuse(err, VF_ERR_INVALID, "invalid TCP uri: missing host", text);
        if (url.path.n > 0)
            return refuse(err, VF_ERR_INVALID, "invalid TCP uri: path is forbidden", text);
        if (!has_port(url.host))
            return refuse(err, VF_ERR_INVALID, "invalid TCP uri: missing port", text);
        /* Go's URL parser takes any digits; vfkit's listener (net.Listen)
         * then fails on a port over 65535 when the VM starts, so it is
         * refused here. Port 0 is taken: vfkit listens on any free port. */
        if (vf__restful_port(url.host.s, url.host.n) > 65535)
            return refuse(err, VF_ERR_INVALID,
                          "invalid TCP uri: port out of range (0 to 65535, where vfkit listens)",
                          text);
        decode_host(url.host, NULL, &len, &p);
        if (len > VF_RESTFUL_HOST_MAX) {
            char why[64];
            snprintf(why, sizeof why, "host:port longer than %d bytes", VF_RESTFUL_HOST_MAX);
            return refuse(err, VF_ERR_LIMIT, why, text);
        }
        decode_host(url.host, result.host, &len, &p);
        result.host[len] = '\0';
    } else {
        char why[64], scheme[40];
        size_t n = url.scheme.n < sizeof scheme - 1 ? url.scheme.n : sizeof scheme - 1;
        memcpy(scheme, url.scheme.s, n);
        scheme[n] = '\0';
        /* Go lower-cases the scheme before naming it. */
        for (size_t i = 0; i < n; i++)
            if (scheme[i] >= 'A' && scheme[i] <= 'Z')
                scheme[i] = (char)(scheme[i] - 'A' + 'a');
        snprintf(why, sizeof why, "invalid scheme %s", scheme);
        return refuse(err, VF_ERR_INVALID, why, text);
    }
    *out = result;
    return 0;
}

/* ---- printing ------------------------------------------------------------ */

typedef struct writer {
    char *buf;
    size_t size;
    size_t len;
} writer;

static void put(writer *w, char c)
{
    if (w->len + 1 < w->size)
        w->buf[w->len] = c;
    w->len++;
}

static void put_str(writer *w, const char *s)
{
    for (; *s != '\0'; s++)
        put(w, *s);
}

/* Copies s, percent-escaping what must_escape says would read back differently. */
static void put_escaped(writer *w, const char *s, size_t max, bool (*must_escape)(unsigned char))
{
    size_t n = strnlen(s, max);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (must_escape(c)) {
            put(w, '%');
            put(w, vf__hex_upper((unsigned)(c >> 4)));
            put(w, vf__hex_upper(c));
        } else {
            put(w, (char)c);
        }
    }
}

/* In a path: '%' starts an escape, '?' a query, control bytes are refused. */
static bool path_byte_needs_escape(unsigned char c)
{
    return c == '%' || c == '?' || c < 0x20 || c == 0x7f;
}
/* In a host, only "%25" can stand for a byte Go decoded to ASCII. */
static bool host_byte_needs_escape(unsigned char c)
{
    return c == '%';
}

size_t vf_restful_uri_format(const vf_restful_uri *uri, char *buf, size_t size)
{
    writer w = {buf, size, 0};
    if (uri == NULL || uri->scheme == VF_REST_SCHEME_NONE) {
        put_str(&w, VF_RESTFUL_URI_DEFAULT);
    } else if (uri->scheme == VF_REST_SCHEME_UNIX) {
        put_str(&w, "unix://");
        put_escaped(&w, uri->path, sizeof uri->path, path_byte_needs_escape);
    } else if (uri->scheme == VF_REST_SCHEME_TCP) {
        put_str(&w, "tcp://");
        put_escaped(&w, uri->host, sizeof uri->host, host_byte_needs_escape);
    }
    if (size > 0)
        buf[w.len < size ? w.len : size - 1] = '\0';
    return w.len;
}
