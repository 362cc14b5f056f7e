/*
 * libvfconfig - error records and status names.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vfconfig/common.h"
#include "util/error.h"
#include "util/hex.h"
#include "util/str.h"

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

int vf__error(vf_error *err, int code, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->text, sizeof err->text, fmt, ap);
        va_end(ap);
    }
    return code;
}

int vf__error_nomem(vf_error *err)
{
    return vf__error(err, VF_ERR_NOMEM, "out of memory");
}

void vf__error_prefix(vf_error *err, const char *fmt, ...)
{
    if (err == NULL)
        return;
    char prefix[VF_ERROR_TEXT_LENGTH];
    char old[VF_ERROR_TEXT_LENGTH];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->text, sizeof old);
    old[sizeof old - 1] = '\0';
    /* Build by hand: snprintf into a buffer this size would warn on truncation. */
    size_t used = strlen(prefix);
    memcpy(err->text, prefix, used);
    if (used + 2 < sizeof err->text) {
        err->text[used++] = ':';
        err->text[used++] = ' ';
    }
    size_t rest = strlen(old);
    if (rest > sizeof err->text - 1 - used)
        rest = sizeof err->text - 1 - used;
    memcpy(err->text + used, old, rest);
    err->text[used + rest] = '\0';
}

const char *vf__quote_for_message(const char *s, char *buf, size_t size)
{
    size_t out = 0;
    if (size == 0)
        return buf;
    s = vf__str(s);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        size_t need = (c < 0x20 || c == 0x7f) ? 4 : 1;
        if (out + need + 4 > size) { /* room for "..." and NUL */
            memcpy(buf + out, "...", 3);
            out += 3;
            break;
        }
        if (need == 4) {
            buf[out++] = '\\';
            buf[out++] = 'x';
            buf[out++] = vf__hex_lower((unsigned)(c >> 4));
            buf[out++] = vf__hex_lower(c);
        } else {
            buf[out++] = (char)c;
        }
    }
    buf[out] = '\0';
    return buf;
}

const char *vf__errno_text(int errnum, char *buf, size_t size)
{
    /* The XSI strerror_r, which the build's _POSIX_C_SOURCE selects:
     * strerror() may share one buffer between threads. */
    if (strerror_r(errnum, buf, size) != 0)
        snprintf(buf, size, "error %d", errnum);
    return buf;
}
