/*
 * libvfconfig - a JSON parser with Go's encoding/json rules.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Why not json_loadb(): the reference reads JSON with Go's encoding/json,
 * and jansson differs from it where a VM file can tell:
 *  - integers: jansson refuses anything beyond int64, Go reads memoryBytes
 *    and vcpus up to 2^64-1; numbers are kept here as their literal text
 *    so the reader can apply Go's exact range rules per field;
 *  - repeated keys: Go decodes every occurrence in document order (the
 *    last wins, but a wrong type in an earlier one is still an error);
 *    jansson keeps one value;
 *  - strings: Go turns invalid UTF-8 and lone surrogates into U+FFFD and
 *    accepts \u0000, jansson refuses the document;
 *  - nesting: Go allows 10000 levels.
 * The jansson entry points (json_value.c) build the same tree from a json_t,
 * so both paths read alike.
 *
 * The result is a tree in one arena holding only the values a reader reads
 * (shape.c): everything else is checked for syntax, as Go checks it, and
 * costs no memory, so reading costs memory in proportion to what is kept,
 * not to what is skipped.
 */
#include <stdio.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "json/json.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hex.h"
#include "util/utf8.h"

#define MAX_DEPTH 10000 /* encoding/json's maxNestingDepth */
#define CHUNK_SIZE 16384

/* ---- arena ---- */
struct vf__json_chunk {
    vf__json_chunk *next;
    size_t used;
    size_t cap;
    max_align_t data[];
};

void *vf__json_doc_alloc(vf__json_doc *doc, size_t size)
{
    /* A node's alignment, not max_align_t's (32 bytes on x86-64, which
     * would make a 48-byte node take 64). */
    const size_t align = _Alignof(vf__json_node);
    size = (size + align - 1) / align * align;
    vf__json_chunk *c = doc->chunks;
    if (c == NULL || c->cap - c->used < size) {
        size_t cap = size > CHUNK_SIZE ? size : CHUNK_SIZE;
        c = vf__malloc(sizeof *c + cap);
        if (c == NULL)
            return NULL;
        c->cap = cap;
        c->used = 0;
        c->next = doc->chunks;
        doc->chunks = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    return p;
}

void vf__json_doc_release(vf__json_doc *doc)
{
    vf__json_chunk *c = doc->chunks;
    while (c != NULL) {
        vf__json_chunk *next = c->next;
        vf__free(c);
        c = next;
    }
    doc->chunks = NULL;
    doc->root = NULL;
}

static size_t utf8_encode(int32_t r, char *out)
{
    if (r < 0x80) {
        out[0] = (char)r;
        return 1;
    }
    if (r < 0x800) {
        out[0] = (char)(0xc0 | (r >> 6));
        out[1] = (char)(0x80 | (r & 0x3f));
        return 2;
    }
    if (r < 0x10000) {
        out[0] = (char)(0xe0 | (r >> 12));
        out[1] = (char)(0x80 | ((r >> 6) & 0x3f));
        out[2] = (char)(0x80 | (r & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (r >> 18));
    out[1] = (char)(0x80 | ((r >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((r >> 6) & 0x3f));
    out[3] = (char)(0x80 | (r & 0x3f));
    return 4;
}

/* ---- the parser ---- */

/* An escaped key longer than this, decoded, matches no field name (the
 * longest is under 32 bytes, 96 with every letter a 3-byte fold). */
#define KEY_BUF 128

/* A container whose children are kept. */
typedef struct open_level {
    vf__json_node *node;
    vf__json_node *last;
    vf__json_shape shape;
    bool ended; /* an array whose reader stops at an element already kept */
} open_level;

typedef struct parser {
    const unsigned char *s;
    size_t n;
    size_t pos;
    vf__json_doc *doc;
    vf_error *err;
    vf__json_shape root;
    unsigned depth;
    unsigned kept; /* the containers at depths 1..kept keep their children */
    unsigned char is_object[MAX_DEPTH / 8 + 1]; /* container kind per depth */
    open_level open[VF__JSON_KEPT_LEVELS + 1];
    /* key of the member whose value comes next, NULL when no reader can
     * want it */
    const char *key;
    size_t key_len;
    char key_buf[KEY_BUF]; /* an escaped key, decoded */
} parser;

static void position(const parser *p, size_t offset, size_t *line, size_t *column)
{
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset && i < p->n; i++) {
        if (p->s[i] == '\n') {
            ++*line;
            *column = 1;
        } else if ((p->s[i] & 0xc0) != 0x80) { /* count characters, not bytes */
            ++*column;
        }
    }
}

static int syntax_error(parser *p, const char *what)
{
    size_t line, column;
    position(p, p->pos, &line, &column);
    if (p->pos >= p->n)
        return vf__error(p->err, VF_ERR_JSON,
                         "JSON syntax error at line %zu, column %zu: unexpected end of input", line,
                         column);
    unsigned char c = p->s[p->pos];
    char shown[16];
    if (c == '\'')
        memcpy(shown, "'\\''", 5);
    else if (c >= 0x20 && c < 0x7f)
        snprintf(shown, sizeof shown, "'%c'", c);
    else
        snprintf(shown, sizeof shown, "byte 0x%02x", c);
    return vf__error(p->err, VF_ERR_JSON,
                     "JSON syntax error at line %zu, column %zu: invalid character %s %s", line,
                     column, shown, what);
}

static void skip_space(parser *p)
{
    while (p->pos < p->n) {
        unsigned char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

/* The \uXXXX escape at s, or -1 if s is not one. The scan has checked
 * that every \u of the literal has four hex digits. */
static int32_t escape_u4(const unsigned char *s, size_t n)
{
    if (n < 6 || s[0] != '\\' || s[1] != 'u')
        return -1;
    int32_t r = 0;
    for (size_t i = 2; i < 6; i++)
        r = r * 16 + vf__hex_digit(s[i]);
    return r;
}

/* Decodes the checked body of a string literal as Go's unquote does.
 * With out == NULL only measures. */
static size_t unquote(const unsigned char *s, size_t n, char *out)
{
    char tmp[4];
    size_t w = 0;
    for (size_t r = 0; r < n;) {
        unsigned char c = s[r];
        size_t len;
        int32_t rune;
        if (c == '\\') {
            char simple = 0;
            switch (s[r + 1]) {
            case '"':
                simple = '"';
                break;
            case '\\':
                simple = '\\';
                break;
            case '/':
                simple = '/';
                break;
            case 'b':
                simple = '\b';
                break;
            case 'f':
                simple = '\f';
                break;
            case 'n':
                simple = '\n';
                break;
            case 'r':
                simple = '\r';
                break;
            case 't':
                simple = '\t';
                break;
            default:
                break;
            }
            if (simple != 0) {
                if (out != NULL)
                    out[w] = simple;
                w++;
                r += 2;
                continue;
            }
            rune = escape_u4(s + r, n - r);
            r += 6;
            if (rune >= 0xd800 && rune < 0xe000) {
                /* A surrogate: only a high one followed by a low one
                 * makes a character; anything else is U+FFFD. */
                int32_t low = escape_u4(s + r, n - r);
                if (rune < 0xdc00 && low >= 0xdc00 && low < 0xe000) {
                    rune = 0x10000 + ((rune - 0xd800) << 10) + (low - 0xdc00);
                    r += 6;
                } else {
                    rune = 0xfffd;
                }
            }
        } else if (c < 0x80) {
            if (out != NULL)
                out[w] = (char)c;
            w++;
            r++;
            continue;
        } else {
            rune = vf__utf8_decode(s + r, n - r, &len);
            if (rune == VF__UTF8_INVALID)
                rune = 0xfffd;
            r += len;
        }
        len = utf8_encode(rune, out != NULL ? out + w : tmp);
        w += len;
    }
    return w;
}

/* Scans a string literal at p->pos (the opening quote): *raw and *raw_len
 * are its body, *plain says that nothing in it needs decoding. */
static int scan_string(parser *p, const unsigned char **raw, size_t *raw_len, bool *plain)
{
    size_t start = ++p->pos;
    *plain = true;
    for (;;) {
        if (p->pos >= p->n)
            return syntax_error(p, "");
        unsigned char c = p->s[p->pos];
        if (c == '"')
            break;
        if (c < 0x20)
            return syntax_error(p, "in string literal");
        if (c == '\\') {
            *plain = false;
            p->pos++;
            if (p->pos >= p->n)
                return syntax_error(p, "");
            c = p->s[p->pos];
            if (c == 'u') {
                for (int i = 0; i < 4; i++) {
                    p->pos++;
                    if (p->pos >= p->n)
                        return syntax_error(p, "");
                    if (vf__hex_digit(p->s[p->pos]) < 0)
                        return syntax_error(p, "in \\u hexadecimal character escape");
                }
            } else if (c == '\0' || strchr("\"\\/bfnrt", c) == NULL) {
                return syntax_error(p, "in string escape code");
            }
            p->pos++;
        } else if (c < 0x80) {
            p->pos++;
        } else {
            size_t size;
            if (vf__utf8_decode(p->s + p->pos, p->n - p->pos, &size) == VF__UTF8_INVALID)
                *plain = false;
            p->pos += size;
        }
    }
    *raw = p->s + start;
    *raw_len = p->pos - start;
    p->pos++; /* closing quote */
    return VF_OK;
}

/* The decoded bytes of a scanned body: the input itself when nothing needs
 * decoding (so not NUL-terminated), else a copy in the arena. */
static int decode_string(parser *p, const unsigned char *raw, size_t raw_len, bool plain,
                         const char **text, uint32_t *len)
{
    if (plain) {
        *text = (const char *)raw;
        *len = (uint32_t)raw_len;
        return VF_OK;
    }
    size_t out_len = unquote(raw, raw_len, NULL);
    char *out = vf__json_doc_alloc(p->doc, out_len + 1);
    if (out == NULL)
        return vf__error_nomem(p->err);
    unquote(raw, raw_len, out);
    out[out_len] = '\0';
    *text = out;
    *len = (uint32_t)out_len;
    return VF_OK;
}

static bool is_digit(const parser *p)
{
    return p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9';
}

static int need_digit(parser *p)
{
    if (p->pos >= p->n)
        return syntax_error(p, "");
    if (!is_digit(p))
        return syntax_error(p, "in numeric literal");
    return VF_OK;
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static int parse_number(parser *p)
{
    int rc;
    if (p->s[p->pos] == '-') {
        p->pos++;
        if ((rc = need_digit(p)) != VF_OK)
            return rc;
    }
    if (p->s[p->pos] == '0')
        p->pos++;
    else
        while (is_digit(p))
            p->pos++;
    if (p->pos < p->n && p->s[p->pos] == '.') {
        p->pos++;
        if ((rc = need_digit(p)) != VF_OK)
            return rc;
        while (is_digit(p))
            p->pos++;
    }
    if (p->pos < p->n && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        p->pos++;
        if (p->pos < p->n && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
            p->pos++;
        if ((rc = need_digit(p)) != VF_OK)
            return rc;
        while (is_digit(p))
            p->pos++;
    }
    return VF_OK;
}

static int parse_literal(parser *p, const char *word)
{
    for (const char *w = word; *w != '\0'; w++) {
        if (p->pos >= p->n)
            return syntax_error(p, "");
        if (p->s[p->pos] != (unsigned char)*w) {
            char what[40];
            snprintf(what, sizeof what, "in literal %s (expecting '%c')", word, *w);
            return syntax_error(p, what);
        }
        p->pos++;
    }
    return VF_OK;
}

static bool in_object(const parser *p)
{
    return p->is_object[(p->depth - 1) / 8] & (1u << ((p->depth - 1) % 8));
}

/* What reads the value starting at p->pos: the root's shape, or what the
 * kept container around it says of the member or element. */
static vf__json_shape value_shape(const parser *p)
{
    if (p->depth == 0)
        return p->root;
    if (p->depth != p->kept)
        return VF__JSON_SHAPE_NONE; /* inside a value nothing reads */
    const open_level *o = &p->open[p->depth];
    if (in_object(p))
        return p->key != NULL ? vf__json_member_shape(o->shape, p->key, p->key_len)
                              : VF__JSON_SHAPE_NONE;
    return o->ended ? VF__JSON_SHAPE_NONE : vf__json_element_shape(o->shape);
}

/* A new node for the value starting at p->pos, linked into its kept
 * container; NULL only when the arena is full. */
static vf__json_node *new_node(parser *p, vf__json_type type)
{
    vf__json_node *node = vf__json_doc_alloc(p->doc, sizeof *node);
    if (node == NULL) {
        vf__error_nomem(p->err);
        return NULL;
    }
    memset(node, 0, sizeof *node);
    node->type = type;
    if (p->depth == 0) {
        p->doc->root = node;
        return node;
    }
    if (in_object(p)) {
        const char *key = p->key;
        if (key == p->key_buf) { /* decoded in the scratch buffer: keep a copy */
            char *copy = vf__json_doc_alloc(p->doc, p->key_len + 1);
            if (copy == NULL) {
                vf__error_nomem(p->err);
                return NULL;
            }
            memcpy(copy, p->key_buf, p->key_len);
            copy[p->key_len] = '\0';
            key = copy;
        }
        node->key = key;
        node->key_len = (uint32_t)p->key_len;
    }
    open_level *o = &p->open[p->depth];
    if (o->last == NULL)
        o->node->first = node;
    else
        o->last->next = node;
    o->last = node;
    o->node->count++;
    return node;
}

/* A kept value is complete: an array whose reader stops at it keeps no
 * more elements. */
static void value_done(parser *p, const vf__json_node *node)
{
    if (p->depth > 0 && p->depth == p->kept && !in_object(p) &&
        vf__json_element_ends(p->open[p->depth].shape, node))
        p->open[p->depth].ended = true;
}

/* Enters the container at p->pos; its children are kept under shape
 * (VF__JSON_SHAPE_NONE: not kept). */
static int open_container(parser *p, vf__json_node *node, bool object, vf__json_shape shape)
{
    if (p->depth >= MAX_DEPTH)
        return vf__error(p->err, VF_ERR_JSON, "JSON nests deeper than %d levels", MAX_DEPTH);
    unsigned bit = 1u << (p->depth % 8);
    if (object)
        p->is_object[p->depth / 8] |= (unsigned char)bit;
    else
        p->is_object[p->depth / 8] &= (unsigned char)~bit;
    p->depth++;
    if (shape != VF__JSON_SHAPE_NONE && p->depth == p->kept + 1 &&
        p->depth <= VF__JSON_KEPT_LEVELS) {
        p->kept = p->depth;
        p->open[p->depth] = (open_level){node, NULL, shape, false};
    }
    p->pos++;
    return VF_OK;
}

/* Leaves the container whose closing bracket is at p->pos. */
static void close_container(parser *p)
{
    const vf__json_node *node = NULL;
    if (p->depth == p->kept) {
        node = p->open[p->depth].node;
        p->kept--;
    }
    p->depth--;
    p->pos++;
    if (node != NULL)
        value_done(p, node);
}

/* A scalar's node, when its shape keeps one. */
static int keep_scalar(parser *p, vf__json_shape shape, vf__json_type type, const char *text,
                       uint32_t len)
{
    if (shape == VF__JSON_SHAPE_NONE)
        return VF_OK;
    vf__json_node *node = new_node(p, type);
    if (node == NULL)
        return VF_ERR_NOMEM;
    node->text = text;
    node->len = len;
    value_done(p, node);
    return VF_OK;
}

/* One scalar value, or the opening of a container (then *opened). */
static int parse_value(parser *p, bool *opened)
{
    int rc;
    *opened = false;
    skip_space(p);
    if (p->pos >= p->n)
        return syntax_error(p, "");
    size_t start = p->pos;
    unsigned char c = p->s[p->pos];
    vf__json_shape shape = value_shape(p);
    switch (c) {
    case '{':
    case '[': {
        vf__json_type type = c == '{' ? VF__JSON_OBJECT : VF__JSON_ARRAY;
        vf__json_node *node = NULL;
        bool holds = vf__json_shape_holds(shape, type);
        if (shape != VF__JSON_SHAPE_NONE) {
            if ((node = new_node(p, type)) == NULL)
                return VF_ERR_NOMEM;
            if (!holds) /* kept for its type alone */
                value_done(p, node);
        }
        *opened = true;
        return open_container(p, node, c == '{', holds ? shape : VF__JSON_SHAPE_NONE);
    }
    case '"': {
        const unsigned char *raw;
        size_t raw_len;
        bool plain;
        const char *text = NULL;
        uint32_t len = 0;
        if ((rc = scan_string(p, &raw, &raw_len, &plain)) != VF_OK)
            return rc;
        if (shape != VF__JSON_SHAPE_NONE &&
            (rc = decode_string(p, raw, raw_len, plain, &text, &len)) != VF_OK)
            return rc;
        return keep_scalar(p, shape, VF__JSON_STRING, text, len);
    }
    case 't':
    case 'f':
    case 'n':
        rc = parse_literal(p, c == 't' ? "true" : c == 'f' ? "false" : "null");
        if (rc != VF_OK)
            return rc;
        return keep_scalar(p, shape,
                           c == 't'   ? VF__JSON_TRUE
                           : c == 'f' ? VF__JSON_FALSE
                                      : VF__JSON_NULL,
                           NULL, 0);
    default:
        if (c != '-' && (c < '0' || c > '9'))
            return syntax_error(p, "looking for beginning of value");
        if ((rc = parse_number(p)) != VF_OK)
            return rc;
        return keep_scalar(p, shape, VF__JSON_NUMBER, (const char *)p->s + start,
                           (uint32_t)(p->pos - start));
    }
}

/* A member name and its colon; the value follows. The name is decoded
 * only in a kept object, and there only when it may match a field. */
static int parse_key(parser *p)
{
    skip_space(p);
    if (p->pos >= p->n)
        return syntax_error(p, "");
    if (p->s[p->pos] != '"')
        return syntax_error(p, "looking for beginning of object key string");
    const unsigned char *raw;
    size_t raw_len;
    bool plain;
    int rc = scan_string(p, &raw, &raw_len, &plain);
    if (rc != VF_OK)
        return rc;
    p->key = NULL;
    p->key_len = 0;
    if (p->depth == p->kept && plain) {
        p->key = (const char *)raw;
        p->key_len = raw_len;
    } else if (p->depth == p->kept && unquote(raw, raw_len, NULL) <= sizeof p->key_buf) {
        p->key_len = unquote(raw, raw_len, p->key_buf);
        p->key = p->key_buf;
    }
    skip_space(p);
    if (p->pos >= p->n)
        return syntax_error(p, "");
    if (p->s[p->pos] != ':')
        return syntax_error(p, "after object key");
    p->pos++;
    return VF_OK;
}

static int parse_document(parser *p)
{
    int rc;
    bool opened;
    /* Iterative, so deep nesting costs no stack. */
    enum { VALUE, AFTER_OPEN, AFTER_VALUE } state = VALUE;
    for (;;) {
        switch (state) {
        case VALUE:
            if ((rc = parse_value(p, &opened)) != VF_OK)
                return rc;
            state = opened ? AFTER_OPEN : AFTER_VALUE;
            break;
        case AFTER_OPEN: {
            bool object = in_object(p);
            skip_space(p);
            if (p->pos < p->n && p->s[p->pos] == (object ? '}' : ']')) {
                close_container(p);
                state = AFTER_VALUE;
            } else if (object) {
                if ((rc = parse_key(p)) != VF_OK)
                    return rc;
                state = VALUE;
            } else {
                state = VALUE;
            }
            break;
        }
        case AFTER_VALUE: {
            skip_space(p);
            if (p->depth == 0) {
                if (p->pos < p->n)
                    return syntax_error(p, "after top-level value");
                return VF_OK;
            }
            bool object = in_object(p);
            if (p->pos >= p->n)
                return syntax_error(p, "");
            unsigned char c = p->s[p->pos];
            if (c == ',') {
                p->pos++;
                if (object && (rc = parse_key(p)) != VF_OK)
                    return rc;
                state = VALUE;
            } else if (c == (object ? '}' : ']')) {
                close_container(p);
            } else {
                return syntax_error(p,
                                    object ? "after object key:value pair" : "after array element");
            }
            break;
        }
        }
    }
}

int vf__json_parse(const char *text, size_t len, vf__json_shape root, vf__json_doc *doc,
                   vf_error *err)
{
    doc->chunks = NULL;
    doc->root = NULL;
    if (text == NULL)
        return vf__error(err, VF_ERR_INVALID, "no JSON text given");
    if (len > VF_MAX_INPUT_BYTES)
        return vf__error(err, VF_ERR_LIMIT, "JSON text of %zu bytes is larger than the limit (%zu)",
                         len, (size_t)VF_MAX_INPUT_BYTES);
    parser *p = vf__calloc(1, sizeof *p);
    if (p == NULL)
        return vf__error_nomem(err);
    p->s = (const unsigned char *)text;
    p->n = len;
    p->doc = doc;
    p->err = err;
    p->root = root;
    int rc = parse_document(p);
    vf__free(p);
    if (rc != VF_OK)
        vf__json_doc_release(doc);
    return rc;
}
