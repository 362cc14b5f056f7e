/*
 * libvfconfig - growable byte buffer and one-allocation string vectors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <string.h>

#include "vfconfig/common.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"

void vf__buf_init(vf__buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = false;
}

void vf__buf_release(vf__buf *b)
{
    vf__free(b->data);
    vf__buf_init(b);
}

bool vf__buf_reserve(vf__buf *b, size_t extra)
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

void vf__buf_append_growing(vf__buf *b, const char *s, size_t n)
{
    if (n == 0 || !vf__buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

void vf__buf_put_u64(vf__buf *b, uint64_t v)
{
    char digits[20];
    size_t n = 0;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    vf__buf_append(b, digits + sizeof digits - n, n);
}

void vf__buf_put_i64(vf__buf *b, int64_t v)
{
    if (v < 0) {
        vf__buf_putc(b, '-');
        vf__buf_put_u64(b, (uint64_t)0 - (uint64_t)v);
    } else {
        vf__buf_put_u64(b, (uint64_t)v);
    }
}

char *vf__buf_steal(vf__buf *b)
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

/* A slot holds a string's offset until finish makes it a pointer. */
_Static_assert(sizeof(size_t) <= sizeof(char *), "an offset must fit in a pointer slot");

void vf__strv_init(vf__strv_builder *sb)
{
    vf__buf_init(&sb->bytes);
    sb->slots = 0;
    sb->count = 0;
    sb->next_start = 0;
}

void vf__strv_release(vf__strv_builder *sb)
{
    vf__buf_release(&sb->bytes);
    vf__strv_init(sb);
}

void vf__strv_reserve(vf__strv_builder *sb, size_t strings, size_t bytes)
{
    /* Slots are laid out in front of the strings only while there are none. */
    bool fresh = sb->bytes.len == 0 && !sb->bytes.failed;
    if (!fresh || strings >= SIZE_MAX / sizeof(char *) - 1) {
        vf__buf_reserve(&sb->bytes, bytes);
        return;
    }
    size_t slot_bytes = (strings + 1) * sizeof(char *);
    if (bytes > SIZE_MAX - slot_bytes || !vf__buf_reserve(&sb->bytes, slot_bytes + bytes))
        return;
    sb->slots = strings + 1;
    sb->bytes.len = slot_bytes;
}

/* Doubles the slots, moving the strings up; false (and bytes.failed) when
 * the block cannot grow. */
static bool grow_slots(vf__strv_builder *sb)
{
    size_t slots = sb->slots != 0 ? sb->slots * 2 : 8;
    size_t extra = (slots - sb->slots) * sizeof(char *);
    if (!vf__buf_reserve(&sb->bytes, extra))
        return false;
    char *strings = sb->bytes.data + sb->slots * sizeof(char *);
    size_t string_bytes = sb->bytes.len - sb->slots * sizeof(char *);
    if (string_bytes != 0)
        memmove(strings + extra, strings, string_bytes);
    sb->bytes.len += extra;
    sb->slots = slots;
    return true;
}

void vf__strv_begin(vf__strv_builder *sb)
{
    (void)sb; /* the string starts at the current end of the bytes */
}

void vf__strv_end_growing(vf__strv_builder *sb)
{
    vf__buf_putc(&sb->bytes, '\0');
    /* After a failure the count still grows, so callers that test it see a
     * string and reach finish, which reports the failure. */
    if (sb->count + 1 < sb->slots || grow_slots(sb))
        memcpy(sb->bytes.data + sb->count * sizeof(char *), &sb->next_start, sizeof(size_t));
    sb->count++;
    sb->next_start = sb->bytes.len - sb->slots * sizeof(char *);
}

void vf__strv_add_all(vf__strv_builder *sb, char *const *strv)
{
    for (; strv != NULL && *strv != NULL; strv++)
        vf__strv_add(sb, *strv);
}

char **vf__strv_finish(vf__strv_builder *sb, vf_error *err)
{
    if (sb->bytes.failed || (sb->count >= sb->slots && !grow_slots(sb))) {
        vf__strv_release(sb);
        vf__error_nomem(err);
        return NULL;
    }
    char **strv = (char **)(void *)sb->bytes.data;
    char *strings = sb->bytes.data + sb->slots * sizeof(char *);
    for (size_t i = 0; i < sb->count; i++) {
        size_t start;
        memcpy(&start, &strv[i], sizeof start);
        strv[i] = strings + start;
    }
    strv[sb->count] = NULL;
    vf__strv_init(sb); /* the block is the caller's now */
    return strv;
}

int vf__strv_append(char ***strv, const char *text, vf_error *err)
{
    vf__strv_builder sb;
    vf__strv_init(&sb);
    if (*strv != NULL)
        vf__strv_add_all(&sb, *strv);
    vf__strv_add(&sb, text);
    char **all = vf__strv_finish(&sb, err);
    if (all == NULL)
        return VF_ERR_NOMEM;
    vf_strv_free(*strv);
    *strv = all;
    return VF_OK;
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
