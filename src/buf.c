/*
 * libvfconfig - growable byte buffer and one-allocation string vectors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

void vf__buf_init(vf_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = false;
}

void vf__buf_release(vf_buf *b)
{
    vf__free(b->data);
    vf__buf_init(b);
}

bool vf__buf_reserve(vf_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (extra <= b->cap - b->len)
        return true;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return false;
    }
    size_t want = b->len + extra;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < want)
        cap *= 2;
    char *data = vf__realloc(b->data, cap);
    if (data == NULL) {
        b->failed = true;
        return false;
    }
    b->data = data;
    b->cap = cap;
    return true;
}

void vf__buf_append(vf_buf *b, const char *s, size_t n)
{
    if (n == 0 || !vf__buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

void vf__buf_puts(vf_buf *b, const char *s)
{
    if (s != NULL)
        vf__buf_append(b, s, strlen(s));
}

void vf__buf_putc(vf_buf *b, char c)
{
    if (!vf__buf_reserve(b, 1))
        return;
    b->data[b->len++] = c;
}

void vf__buf_put_u64(vf_buf *b, uint64_t v)
{
    char digits[20];
    size_t n = 0;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    vf__buf_append(b, digits + sizeof digits - n, n);
}

void vf__buf_put_i64(vf_buf *b, int64_t v)
{
    if (v < 0) {
        vf__buf_putc(b, '-');
        vf__buf_put_u64(b, (uint64_t)0 - (uint64_t)v);
    } else {
        vf__buf_put_u64(b, (uint64_t)v);
    }
}

void vf__buf_printf(vf_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if (!vf__buf_reserve(b, (size_t)n + 1))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *vf__buf_steal(vf_buf *b)
{
    vf__buf_putc(b, '\0');
    if (b->failed) {
        vf__buf_release(b);
        return NULL;
    }
    char *data = b->data;
    vf__buf_init(b);
    return data;
}

void vf__strv_init(vf_strv_builder *sb)
{
    vf__buf_init(&sb->bytes);
    sb->count = 0;
}

void vf__strv_release(vf_strv_builder *sb)
{
    vf__buf_release(&sb->bytes);
    sb->count = 0;
}

void vf__strv_addn(vf_strv_builder *sb, const char *s, size_t n)
{
    vf__buf_append(&sb->bytes, s, n);
    vf__buf_putc(&sb->bytes, '\0');
    sb->count++;
}

void vf__strv_add(vf_strv_builder *sb, const char *s)
{
    s = vf__str(s);
    vf__strv_addn(sb, s, strlen(s));
}

void vf__strv_begin(vf_strv_builder *sb)
{
    (void)sb; /* the string starts at the current end of the bytes */
}

void vf__strv_end(vf_strv_builder *sb)
{
    vf__buf_putc(&sb->bytes, '\0');
    sb->count++;
}

void vf__strv_add_all(vf_strv_builder *sb, char *const *strv)
{
    for (; strv != NULL && *strv != NULL; strv++)
        vf__strv_add(sb, *strv);
}

char **vf__strv_finish(vf_strv_builder *sb, vf_error *err)
{
    if (sb->bytes.failed || sb->count > (SIZE_MAX - sb->bytes.len) / sizeof(char *) - 1) {
        vf__strv_release(sb);
        vf__error_nomem(err);
        return NULL;
    }
    size_t ptrs = (sb->count + 1) * sizeof(char *);
    char **strv = vf__malloc(ptrs + sb->bytes.len);
    if (strv == NULL) {
        vf__strv_release(sb);
        vf__error_nomem(err);
        return NULL;
    }
    char *bytes = (char *)strv + ptrs;
    if (sb->bytes.len != 0)
        memcpy(bytes, sb->bytes.data, sb->bytes.len);
    char *p = bytes;
    for (size_t i = 0; i < sb->count; i++) {
        strv[i] = p;
        p += strlen(p) + 1;
    }
    strv[sb->count] = NULL;
    vf__strv_release(sb);
    return strv;
}

void vf_strv_free(char **strv)
{
    vf__free(strv);
}

size_t vf_strv_length(char *const *strv)
{
    size_t n = 0;
    while (strv != NULL && strv[n] != NULL)
        n++;
    return n;
}
