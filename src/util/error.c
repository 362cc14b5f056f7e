/*
 * libvfconfig - error records and status names.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vfconfig/common.h"
#include "util/error.h"
#include "util/hex.h"
#include "util/str.h"
#include "util/utf8.h"

const char *vf_status_string(int code)
{
    switch (code) {
    case VF_OK:
        return "success";
    case VF_ERR_INVALID:
        return "invalid value";
    case VF_ERR_NOMEM:
        return "out of memory";
    case VF_ERR_AMBIGUOUS:
        return "ambiguous command line";
    case VF_ERR_JSON:
        return "invalid JSON";
    case VF_ERR_IO:
        return "input/output error";
    case VF_ERR_SYSTEM:
        return "system call failed";
    case VF_ERR_UNSUPPORTED:
        return "not supported";
    case VF_ERR_LIMIT:
        return "input too large";
    case VF_ERR_REST:
        return "REST request failed";
    case VF_ERR_TIMEOUT:
        return "timed out";
    case VF_ERR_EXITED:
        return "process exited";
    default:
        return "unknown error";
    }
}

/* ---- bounded output, cut between characters ---- */

/* Formatted pieces are built this large before they are cut to size. */
#define SCRATCH_LENGTH 1024

/* Text written into a fixed buffer one unit (a character or an escape) at
 * a time. When a unit does not fit, the text is cut after the last unit
 * that leaves room for "..." and the NUL, and nothing more is written. */
typedef struct sink {
    char *buf;
    size_t size, out, cut;
    bool full;
} sink;

static sink sink_on(char *buf, size_t size)
{
    sink s = {buf, size, 0, 0, size < 4};
    return s;
}

static void sink_put(sink *s, const char *unit, size_t n)
{
    if (s->full)
        return;
    if (s->out + 4 <= s->size)
        s->cut = s->out;
    if (s->out + n + 1 > s->size) {
        memcpy(s->buf + s->cut, "...", 3);
        s->out = s->cut + 3;
        s->full = true;
        return;
    }
    memcpy(s->buf + s->out, unit, n);
    s->out += n;
}

static void sink_put_hex(sink *s, unsigned char c)
{
    char esc[4] = {'\\', 'x', vf__hex_lower((unsigned)(c >> 4)), vf__hex_lower(c)};
    sink_put(s, esc, sizeof esc);
}

static void sink_end(sink *s)
{
    if (s->size > 0)
        s->buf[s->out] = '\0';
}

/* Writes text into s: UTF-8 characters as they are, other bytes as \xNN;
 * with quoting, '"' and '\' are escaped and control bytes shown as \xNN. */
static void sink_text(sink *s, const char *text, size_t len, bool quoting)
{
    const unsigned char *p = (const unsigned char *)text;
    for (size_t i = 0; i < len && !s->full;) {
        unsigned char c = p[i];
        size_t n = c < 0x80 ? 1 : vf__utf8_valid_length(p + i, len - i);
        if (n == 0 || (quoting && (c < 0x20 || c == 0x7f))) {
            sink_put_hex(s, c);
            n = 1;
        } else if (quoting && (c == '"' || c == '\\')) {
            char esc[2] = {'\\', (char)c};
            sink_put(s, esc, sizeof esc);
        } else {
            sink_put(s, text + i, n);
        }
        i += n;
    }
}

/* Copies the NUL-terminated text into buf (size bytes), cut to fit. */
static void copy_text(char *buf, size_t size, const char *text)
{
    sink s = sink_on(buf, size);
    sink_text(&s, text, strlen(text), false);
    sink_end(&s);
}

/* "first" + sep + "second" into buf, cut to fit. */
static void join_text(char *buf, size_t size, const char *first, const char *sep,
                      const char *second)
{
    char scratch[2 * SCRATCH_LENGTH];
    snprintf(scratch, sizeof scratch, "%s%s%s", first, sep, second);
    copy_text(buf, size, scratch);
}

/* ---- the record ---- */

#ifdef VF_CHECK_ERRORS
#include <stdlib.h>

/* Whether field (size bytes) holds a NUL-terminated, valid UTF-8 string. */
static bool field_is_text(const char *field, size_t size)
{
    const char *end = memchr(field, '\0', size);
    const unsigned char *p = (const unsigned char *)field;
    size_t len = end != NULL ? (size_t)(end - field) : 0;
    for (size_t i = 0; end != NULL && i < len;) {
        size_t n = p[i] < 0x80 ? 1 : vf__utf8_valid_length(p + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return end != NULL;
}

/* Test builds: the record just written must be text, with a message that
 * says what before it quotes a value. Every writer of a record is in this
 * file, so this sees every message the library produces. */
static void check_record(const vf_error *err)
{
    const char *why = !field_is_text(err->text, sizeof err->text)           ? "text"
                      : !field_is_text(err->location, sizeof err->location) ? "location"
                      : err->text[0] == '\0' || err->text[0] == '"'         ? "message start"
                                                                            : NULL;
    if (why == NULL)
        return;
    fprintf(stderr, "libvfconfig: bad error record (%s): ", why);
    fwrite(err->text, 1, strnlen(err->text, sizeof err->text), stderr);
    fputc('\n', stderr);
    abort();
}
#else
static void check_record(const vf_error *err)
{
    (void)err;
}
#endif

static void set_text(vf_error *err, const char *fmt, va_list ap) VF__PRINTF(2, 0);
static void set_text(vf_error *err, const char *fmt, va_list ap)
{
    char scratch[SCRATCH_LENGTH];
    vsnprintf(scratch, sizeof scratch, fmt, ap);
    copy_text(err->text, sizeof err->text, scratch);
}

int vf__error(vf_error *err, vf_status code, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        err->code = code;
        err->location[0] = '\0';
        va_start(ap, fmt);
        set_text(err, fmt, ap);
        va_end(ap);
        check_record(err);
    }
    return code;
}

int vf__error_at(vf_error *err, vf_status code, const char *location, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        err->code = code;
        copy_text(err->location, sizeof err->location, vf__str(location));
        va_start(ap, fmt);
        set_text(err, fmt, ap);
        va_end(ap);
        check_record(err);
    }
    return code;
}

int vf__error_nomem(vf_error *err)
{
    return vf__error(err, VF_ERR_NOMEM, "out of memory");
}

/* Puts the formatted prefix in front of field (size bytes), joined by
 * ": " for a message or, for a location, by "." unless either side is
 * empty or the old path starts with an index ("[2]"). */
static void prepend(char *field, size_t size, bool location, const char *fmt, va_list ap)
    VF__PRINTF(4, 0);
static void prepend(char *field, size_t size, bool location, const char *fmt, va_list ap)
{
    char prefix[SCRATCH_LENGTH], old[VF_ERROR_TEXT_LENGTH];
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    size_t keep = size < sizeof old ? size : sizeof old;
    memcpy(old, field, keep);
    old[keep - 1] = '\0';
    const char *sep = !location                                              ? ": "
                      : old[0] == '\0' || old[0] == '[' || prefix[0] == '\0' ? ""
                                                                             : ".";
    join_text(field, size, prefix, sep, old);
}

void vf__error_prefix(vf_error *err, const char *fmt, ...)
{
    if (err == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    prepend(err->text, sizeof err->text, false, fmt, ap);
    va_end(ap);
    check_record(err);
}

void vf__error_locate(vf_error *err, const char *fmt, ...)
{
    if (err == NULL)
        return;
    char scratch[SCRATCH_LENGTH];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(scratch, sizeof scratch, fmt, ap);
    va_end(ap);
    copy_text(err->location, sizeof err->location, scratch);
    check_record(err);
}

void vf__error_locate_prefix(vf_error *err, const char *fmt, ...)
{
    if (err == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    prepend(err->location, sizeof err->location, true, fmt, ap);
    va_end(ap);
    check_record(err);
}

const char *vf__quote_n_for_message(const char *s, size_t len, char *buf, size_t size)
{
    sink out = sink_on(buf, size);
    sink_text(&out, s != NULL ? s : "", s != NULL ? len : 0, true);
    sink_end(&out);
    return buf;
}

const char *vf__quote_for_message(const char *s, char *buf, size_t size)
{
    s = vf__str(s);
    return vf__quote_n_for_message(s, strlen(s), buf, size);
}

const char *vf__errno_text(int errnum, char *buf, size_t size)
{
    /* The XSI strerror_r, which the build's _POSIX_C_SOURCE selects:
   * strerror() may share one buffer between threads. */
    if (strerror_r(errnum, buf, size) != 0)
        snprintf(buf, size, "error %d", errnum);
    return buf;
}
