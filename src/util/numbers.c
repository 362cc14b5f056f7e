/*
 * libvfconfig - integers read exactly as Go's strconv reads them.
 * SPDX-License-Identifier: Apache-2.0
 *
 * vfkit parses option values with strconv.ParseUint / ParseInt / Atoi and
 * its flags with pflag, which calls strconv.ParseUint(s, 0, 64). A value
 * that vfkit refuses must be refused here too, and the other way round, so
 * these follow strconv's rules to the byte: no spaces, no empty string,
 * signs only for the signed parsers, and `_` digit separators only when
 * the base is taken from the prefix (base 0).
 */
#include "vfconfig/common.h"
#include "util/numbers.h"

/* ASCII letter to lower case; other bytes come out as other non-letters,
 * which is all the digit test below needs (strconv does the same). */
static unsigned char lower(unsigned char c)
{
    return (unsigned char)(c | ('x' - 'X'));
}

/* Go's rule for `_` in integer literals: only between digits, or right
 * after a base prefix, and never at the end. s has no sign here. */
static bool underscores_ok(const char *s)
{
    char saw = '^'; /* '^' start, '0' digit or prefix, '_' underscore, '!' other */
    bool hex = false;
    size_t i = 0;
    if (s[0] == '0' && s[1] != '\0' &&
        (lower((unsigned char)s[1]) == 'b' || lower((unsigned char)s[1]) == 'o' ||
         lower((unsigned char)s[1]) == 'x')) {
        i = 2;
        saw = '0';
        hex = lower((unsigned char)s[1]) == 'x';
    }
    for (; s[i] != '\0'; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
            saw = '0';
            continue;
        }
        if (c == '_') {
            if (saw != '0')
                return false;
            saw = '_';
            continue;
        }
        if (saw == '_')
            return false;
        saw = '!';
    }
    return saw != '_';
}

static const char reason_syntax[] = "invalid syntax";
static const char reason_range[] = "value out of range";

static int fail(const char **reason, const char *why)
{
    if (reason != NULL)
        *reason = why;
    return VF_ERR_INVALID;
}

int vf__parse_uint_ex(const char *s, int base, unsigned bits, uint64_t *out, const char **reason)
{
    const char *digits = s;
    bool base0 = false;
    bool underscores = false;

    *out = 0;
    if (s == NULL || s[0] == '\0')
        return fail(reason, reason_syntax);
    if (bits == 0)
        bits = 64;
    if (bits > 64 || (base != 0 && (base < 2 || base > 36)))
        return fail(reason, reason_syntax);
    if (base == 0) {
        base0 = true;
        base = 10;
        if (s[0] == '0') {
            unsigned char p = lower((unsigned char)s[1]);
            bool long_enough = s[1] != '\0' && s[2] != '\0';
            if (long_enough && p == 'b')
                base = 2, digits = s + 2;
            else if (long_enough && p == 'o')
                base = 8, digits = s + 2;
            else if (long_enough && p == 'x')
                base = 16, digits = s + 2;
            else
                base = 8, digits = s + 1;
        }
    }

    const uint64_t max = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    const uint64_t cutoff = UINT64_MAX / (uint64_t)base + 1;
    uint64_t n = 0;
    for (const char *p = digits; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        unsigned d;
        if (c == '_' && base0) {
            underscores = true;
            continue;
        }
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (lower(c) >= 'a' && lower(c) <= 'z')
            d = (unsigned)(lower(c) - 'a') + 10;
        else
            return fail(reason, reason_syntax);
        if (d >= (unsigned)base)
            return fail(reason, reason_syntax);
        /* Like strconv, the first overflow wins over a later bad digit. */
        if (n >= cutoff) {
            *out = max;
            return fail(reason, reason_range);
        }
        n *= (uint64_t)base;
        uint64_t next = n + d;
        if (next < n || next > max) {
            *out = max;
            return fail(reason, reason_range);
        }
        n = next;
    }
    if (underscores && !underscores_ok(s))
        return fail(reason, reason_syntax);
    *out = n;
    return VF_OK;
}

int vf__parse_int_ex(const char *s, int base, unsigned bits, int64_t *out, const char **reason)
{
    *out = 0;
    if (s == NULL || s[0] == '\0')
        return fail(reason, reason_syntax);
    if (bits == 0)
        bits = 64;
    if (bits > 64)
        return fail(reason, reason_syntax);

    bool negative = s[0] == '-';
    const char *unsigned_part = (s[0] == '+' || s[0] == '-') ? s + 1 : s;
    uint64_t magnitude;
    const char *why = NULL;
    if (vf__parse_uint_ex(unsigned_part, base, bits, &magnitude, &why) != VF_OK &&
        why != reason_range)
        return fail(reason, why);

    /* An unsigned overflow leaves magnitude at its maximum, which the
     * signed bounds below then clamp, as strconv.ParseInt does. */
    const uint64_t cutoff = (uint64_t)1 << (bits - 1);
    if (!negative && magnitude >= cutoff) {
        *out = (int64_t)(cutoff - 1);
        return fail(reason, reason_range);
    }
    if (negative && magnitude > cutoff) {
        *out = cutoff == ((uint64_t)1 << 63) ? INT64_MIN : -(int64_t)cutoff;
        return fail(reason, reason_range);
    }
    if (negative)
        *out = magnitude == ((uint64_t)1 << 63) ? INT64_MIN : -(int64_t)magnitude;
    else
        *out = (int64_t)magnitude;
    return VF_OK;
}

int vf__parse_uint(const char *s, unsigned bits, uint64_t *out)
{
    return vf__parse_uint_ex(s, 10, bits, out, NULL);
}

int vf__parse_int(const char *s, unsigned bits, int64_t *out)
{
    return vf__parse_int_ex(s, 10, bits, out, NULL);
}

int vf__atoi(const char *s, int64_t *out)
{
    /* Atoi's fast path accepts exactly what ParseInt(s, 10, 64) accepts. */
    return vf__parse_int_ex(s, 10, 64, out, NULL);
}
