/*
 * libvfconfig - growable byte buffers and string vectors (buf.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_UTIL_BUF_H
#define VFCONFIG_UTIL_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/str.h"
#include "util/macros.h"
#include "vfconfig/common.h"

/* ---- growable byte buffer (buf.c) --------------------------------------
 * Appends never fail visibly: on allocation failure `failed` is set and
 * further appends are ignored; check it once at the end. */
typedef struct vf__buf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
} vf__buf;

void vf__buf_init(vf__buf *b);
void vf__buf_release(vf__buf *b);
bool vf__buf_reserve(vf__buf *b, size_t extra);
/* vf__buf_append for when the bytes do not fit: grows the buffer first. */
void vf__buf_append_growing(vf__buf *b, const char *s, size_t n);
void vf__buf_put_u64(vf__buf *b, uint64_t v);
void vf__buf_put_i64(vf__buf *b, int64_t v);
/* NUL-terminates and hands the bytes to the caller (free with vf__free,
 * which is free()); NULL if any append failed. Resets b. */
char *vf__buf_steal(vf__buf *b);

/* The appends are inline: the command-line and JSON writers make dozens of
 * them per call, mostly of literals, whose strlen the compiler then knows
 * and whose copy becomes a few moves. */
static inline void vf__buf_append(vf__buf *b, const char *s, size_t n)
{
    if (n > b->cap - b->len || b->failed) {
        vf__buf_append_growing(b, s, n);
        return;
    }
    if (n != 0) /* data may still be NULL, which memcpy must not get */
        memcpy(b->data + b->len, s, n);
    b->len += n;
}

/* Appends the string s; NULL appends nothing. */
static inline void vf__buf_puts(vf__buf *b, const char *s)
{
    if (s != NULL)
        vf__buf_append(b, s, strlen(s));
}

static inline void vf__buf_putc(vf__buf *b, char c)
{
    vf__buf_append(b, &c, 1);
}

/* ---- string vector builder (buf.c) -------------------------------------
 * Builds a vector in the block that will be returned, so vf_strv_free() is
 * one free() and finishing copies nothing: the front of `bytes` holds one
 * slot per pointer, the strings follow, each NUL-terminated. Until finish
 * turns them into pointers, the slots hold where each string starts (as
 * an offset from the first string, which the slots growing does not move). */
typedef struct vf__strv_builder {
    vf__buf bytes;     /* `slots` pointer slots, then the strings */
    size_t slots;      /* room for the pointers and the NULL after them */
    size_t count;      /* strings ended so far */
    size_t next_start; /* offset of the string being written */
} vf__strv_builder;

void vf__strv_init(vf__strv_builder *sb);
void vf__strv_release(vf__strv_builder *sb);
/* Room for `strings` strings of `bytes` bytes in all, when the caller knows
 * about how many: it saves growing the block, and is only a hint. */
void vf__strv_reserve(vf__strv_builder *sb, size_t strings, size_t bytes);
/* Starts a string that the caller then writes with vf__buf_* on sb->bytes
 * and ends with vf__strv_end(). */
void vf__strv_begin(vf__strv_builder *sb);
/* vf__strv_end for when the block has no room for the NUL or the slot. */
void vf__strv_end_growing(vf__strv_builder *sb);
/* Adds every string of strv (NULL-terminated). */
void vf__strv_add_all(vf__strv_builder *sb, char *const *strv);
/* The finished vector (NULL and VF_ERR_NOMEM in err on failure); resets sb. */
char **vf__strv_finish(vf__strv_builder *sb, vf_error *err);
/* Replaces *strv (NULL-terminated, or NULL for none) by a copy with text
 * added at the end, and frees the old vector. On failure *strv is left as
 * it was and VF_ERR_NOMEM is returned (and written to err). */
int vf__strv_append(char ***strv, const char *text, vf_error *err);

/* Ends the string written on sb->bytes since the previous one, and records
 * where it started. Inline, as a vector of n strings makes n calls. */
static inline void vf__strv_end(vf__strv_builder *sb)
{
    vf__buf *b = &sb->bytes;
    /* One slot stays free for the NULL that ends the vector. */
    if (sb->count + 2 > sb->slots || b->len == b->cap || b->failed) {
        vf__strv_end_growing(sb);
        return;
    }
    b->data[b->len++] = '\0';
    memcpy(b->data + sb->count * sizeof(char *), &sb->next_start, sizeof(size_t));
    sb->count++;
    sb->next_start = b->len - sb->slots * sizeof(char *);
}

static inline void vf__strv_addn(vf__strv_builder *sb, const char *s, size_t n)
{
    vf__buf_append(&sb->bytes, s, n);
    vf__strv_end(sb);
}

/* Adds a copy of s (NULL adds ""). Inline, so a literal's length is known. */
static inline void vf__strv_add(vf__strv_builder *sb, const char *s)
{
    s = vf__str(s);
    vf__strv_addn(sb, s, strlen(s));
}

#endif /* VFCONFIG_UTIL_BUF_H */
