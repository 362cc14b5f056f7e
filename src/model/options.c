/*
 * libvfconfig - splitting option strings the way vfkit does.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Two splitters live here. `--device` and `--timesync` values are cut on
 * every ',' with no escaping (Go's strings.Split + strvToOptions).
 * `--bootloader` and `--cloud-init` go through vfkit's own string-slice flag
 * (pkg/cmdline/string_slice.go), which keeps ',' inside double quotes and
 * trims the quotes around each item afterwards. The checks that keep our
 * printed values from being re-split differently are here too.
 */
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "model/options.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"
#include "util/utf8.h"

/* An option list is one block: the header, the items, then a copy of the
 * text where ',' and the first '=' of each item became NULs. */
static vf_options *options_alloc(size_t count, size_t text_bytes, char **text, vf_error *err)
{
    size_t head = sizeof(vf_options) + count * sizeof(vf_option);
    vf_options *opts = vf__malloc(head + text_bytes);
    if (opts == NULL) {
        vf__error_nomem(err);
        return NULL;
    }
    opts->count = 0;
    opts->items = (vf_option *)(opts + 1);
    *text = (char *)opts + head;
    return opts;
}

/* Records the item at text (len bytes, NUL-terminated) as key[=value]. */
static void options_push(vf_options *opts, char *text, size_t len)
{
    char *eq = memchr(text, '=', len);
    vf_option *opt = &opts->items[opts->count++];
    opt->key = text;
    if (eq != NULL) {
        *eq = '\0';
        opt->value = eq + 1;
    } else {
        opt->value = text + len; /* the empty string ending the key */
    }
}

static int check_input_size(const char *what, size_t len, vf_error *err)
{
    if (len > VF_MAX_INPUT_BYTES)
        return vf__error(err, VF_ERR_LIMIT, "%s: %zu bytes is over the %zu-byte limit", what, len,
                         (size_t)VF_MAX_INPUT_BYTES);
    return VF_OK;
}

/* How many items the len bytes at str can split into at most: items end
 * at a ',' or at the end, and each holds a byte that is not a ',' (empty
 * ones are skipped). */
static size_t max_items(const char *str, size_t len)
{
    size_t commas = 0;
    for (const char *p = str; (p = memchr(p, ',', len - (size_t)(p - str))) != NULL; p++)
        commas++;
    return commas + 1 < len - commas ? commas + 1 : len - commas;
}

/* Splits the len bytes at str into opts, whose items have room for
 * `room` options and whose strings go to text (len + 1 bytes). False when
 * there are more options than room. */
static bool split_into(vf_options *opts, size_t room, char *text, const char *str, size_t len)
{
    opts->count = 0;
    if (len != 0)
        memcpy(text, str, len);
    text[len] = '\0';
    /* Each ',' becomes the NUL that ends its item. */
    char *end = text + len;
    for (char *item = text;;) {
        char *comma = memchr(item, ',', (size_t)(end - item));
        char *item_end = comma != NULL ? comma : end;
        *item_end = '\0';
        if (item_end != item) { /* vfkit skips empty items */
            if (opts->count == room)
                return false;
            options_push(opts, item, (size_t)(item_end - item));
        }
        if (comma == NULL)
            return true;
        item = comma + 1;
    }
}

vf_options *vf__options_split_n(const char *str, size_t len, vf_error *err)
{
    if (check_input_size("option string", len, err) != VF_OK)
        return NULL;
    char *text;
    size_t room = max_items(str, len);
    vf_options *opts = options_alloc(room, len + 1, &text, err);
    if (opts != NULL)
        split_into(opts, room, text, str, len);
    return opts;
}

vf_options *vf__options_split_local(const char *str, size_t len, vf__options_local *local,
                                    vf_error *err)
{
    local->options.items = local->items;
    size_t room = sizeof local->items / sizeof local->items[0];
    if (len < sizeof local->text && split_into(&local->options, room, local->text, str, len))
        return &local->options;
    return vf__options_split_n(str, len, err);
}

void vf__options_release_local(vf_options *opts, vf__options_local *local)
{
    if (opts != &local->options)
        vf_options_free(opts);
}

vf_options *vf_options_split(const char *str, vf_error *err)
{
    str = vf__str(str);
    return vf__options_split_n(str, strlen(str), err);
}

vf_options *vf_options_from_strv(const char *const *items, size_t n, vf_error *err)
{
    if (items == NULL && n != 0) {
        vf__error(err, VF_ERR_INVALID, "option list: NULL items with a count of %zu", n);
        return NULL;
    }
    size_t count = 0, bytes = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(vf__str(items[i]));
        if (len == 0)
            continue;
        count++;
        bytes += len + 1;
        if (check_input_size("option list", bytes, err) != VF_OK)
            return NULL;
    }
    char *text;
    vf_options *opts = options_alloc(count, bytes, &text, err);
    if (opts == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *s = vf__str(items[i]);
        size_t len = strlen(s);
        if (len == 0)
            continue;
        memcpy(text, s, len + 1);
        options_push(opts, text, len);
        text += len + 1;
    }
    return opts;
}

void vf_options_free(vf_options *opts)
{
    vf__free(opts);
}

/* ---- quote-aware splitting (vfkit's string-slice flag) ----------------- */

/* Appends s[0..n) as Go's `for range` + WriteRune copies it: every byte
 * that is not part of valid UTF-8 becomes U+FFFD. */
static void append_as_go_runes(vf__buf *out, const char *s, size_t n)
{
    static const char replacement[] = "\xef\xbf\xbd";
    size_t start = 0, i = 0;
    while (i < n) {
        size_t len = vf__utf8_valid_length((const unsigned char *)s + i, n - i);
        if (len != 0) {
            i += len;
            continue;
        }
        vf__buf_append(out, s + start, i - start);
        vf__buf_append(out, replacement, 3);
        start = ++i;
    }
    vf__buf_append(out, s + start, i - start);
}

/* util.TrimQuotes: when the item both starts and ends with '"', strip every
 * leading and trailing '"' (strings.Trim). */
static void trim_quotes(const char **s, size_t *n)
{
    if (*n == 0 || (*s)[0] != '"' || (*s)[*n - 1] != '"')
        return;
    while (*n > 0 && (*s)[0] == '"')
        (*s)++, (*n)--;
    while (*n > 0 && (*s)[*n - 1] == '"')
        (*n)--;
}

static void add_item(vf__strv_builder *sb, const char *s, size_t n)
{
    trim_quotes(&s, &n);
    append_as_go_runes(&sb->bytes, s, n);
    vf__strv_end(sb);
}

int vf__split_quoted_into(const char *value, vf__strv_builder *sb, vf_error *err)
{
    char shown[96];
    value = vf__str(value);
    size_t len = strlen(value);
    int rc = check_input_size("list value", len, err);
    if (rc != VF_OK)
        return rc;

    /* First pass only validates, so nothing is added on error. */
    bool quoted = false;
    for (size_t i = 0; i < len; i++)
        if (value[i] == '"')
            quoted = !quoted;
    if (quoted)
        return vf__error(err, VF_ERR_INVALID, "mismatched '\"' in \"%s\"",
                         vf__quote_for_message(value, shown, sizeof shown));

    size_t start = 0, added = 0;
    for (size_t i = 0; i < len; i++) {
        if (value[i] == '"') {
            quoted = !quoted;
        } else if (value[i] == ',' && !quoted) {
            add_item(sb, value + start, i - start);
            added++;
            start = i + 1;
        }
    }
    /* The last item counts only if something came before it or it is not
   * empty once trimmed: "" and "\"\"" give no items at all. */
    const char *last = value + start;
    size_t last_len = len - start;
    trim_quotes(&last, &last_len);
    if (added != 0 || last_len != 0)
        add_item(sb, value + start, len - start);
    return VF_OK;
}

char **vf_split_quoted_list(const char *value, vf_error *err)
{
    vf__strv_builder sb;
    vf__strv_init(&sb);
    int rc = vf__split_quoted_into(value, &sb, err);
    if (rc != VF_OK) {
        vf__strv_release(&sb);
        return NULL;
    }
    return vf__strv_finish(&sb, err);
}

/* ---- checks for values we print ----------------------------------------- */

int vf__check_no_comma(const char *field, const char *value, vf_error *err)
{
    char shown[96];
    if (strchr(vf__str(value), ',') == NULL)
        return VF_OK;
    return vf__error_at(err, VF_ERR_AMBIGUOUS, field,
                        "'%s' holds a ',' that vfkit would read as an option separator: \"%s\"",
                        field, vf__quote_for_message(value, shown, sizeof shown));
}

/* True when s (len bytes) is plain ASCII without ',' or '"': nothing that
 * vfkit's list splitting could change. Written without early exits, and
 * with byte-wide flags, so the compiler can check 32 bytes a step; this
 * runs on every printed bootloader value. */
static bool plain_list_text(const char *s, size_t len)
{
    unsigned char special = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        special |= (unsigned char)((c >= 0x80) | (c == ',') | (c == '"'));
    }
    return !special;
}

/* Why vfkit's list splitting would not give back value (len bytes), or
 * NULL when it would. */
static const char *list_item_problem(const char *value, size_t len, bool whole_item)
{
    if (plain_list_text(value, len))
        return NULL;
    const char *why = NULL;
    bool quoted = false;
    /* Quotes and commas are ASCII, and multi-byte sequences never hold
   * ASCII bytes, so the UTF-8 check can step over whole sequences. */
    for (size_t i = 0; i < len && why == NULL;) {
        unsigned char c = (unsigned char)value[i];
        size_t n = c < 0x80 ? 1 : vf__utf8_valid_length((const unsigned char *)value + i, len - i);
        if (n == 0)
            why = "bytes that are not UTF-8, which vfkit would replace";
        else if (c == '"')
            quoted = !quoted;
        else if (c == ',' && !quoted)
            why = "a ',' outside double quotes, where vfkit would split";
        i += n ? n : 1;
    }
    if (why == NULL && quoted)
        why = "an unmatched '\"', which vfkit refuses";
    if (why == NULL && whole_item && len != 0 && value[0] == '"' && value[len - 1] == '"')
        why = "surrounding '\"' that vfkit would trim";
    return why;
}

static int list_item_error(const char *field, const char *value, const char *why, vf_error *err)
{
    char shown[96];
    return vf__error_at(err, VF_ERR_AMBIGUOUS, field, "'%s' holds %s: \"%s\"", field, why,
                        vf__quote_for_message(value, shown, sizeof shown));
}

int vf__check_list_item(const char *field, const char *value, bool whole_item, vf_error *err)
{
    value = vf__str(value);
    const char *why = list_item_problem(value, strlen(value), whole_item);
    return why == NULL ? VF_OK : list_item_error(field, value, why, err);
}

int vf__put_list_item(vf__buf *out, const char *field, const char *value, bool whole_item,
                      vf_error *err)
{
    value = vf__str(value);
    size_t len = strlen(value);
    const char *why = list_item_problem(value, len, whole_item);
    if (why != NULL)
        return list_item_error(field, value, why, err);
    vf__buf_append(out, value, len);
    return VF_OK;
}
