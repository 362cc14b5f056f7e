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

#include "internal.h"

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

/* Records the NUL-terminated item at text as key[=value]. */
static void options_push(vf_options *opts, char *text)
{
    char *eq = strchr(text, '=');
    vf_option *opt = &opts->items[opts->count++];
    opt->key = text;
    if (eq != NULL) {
        *eq = '\0';
        opt->value = eq + 1;
    } else {
        opt->value = text + strlen(text); /* the empty string ending the key */
    }
}

static int check_input_size(const char *what, size_t len, vf_error *err)
{
    if (len > VF_MAX_INPUT_BYTES)
        return vf__error(err, VF_ERR_LIMIT, "%s: %zu bytes is over the %zu-byte limit", what, len,
                         (size_t)VF_MAX_INPUT_BYTES);
    return VF_OK;
}

vf_options *vf_options_split(const char *str, vf_error *err)
{
    str = vf__str(str);
    size_t len = strlen(str);
    if (check_input_size("option string", len, err) != VF_OK)
        return NULL;

    size_t count = 0;
    for (size_t i = 0; i <= len; i++) {
        bool item_ends = str[i] == ',' || str[i] == '\0';
        if (item_ends && i > 0 && str[i - 1] != ',')
            count++;
    }
    char *text;
    vf_options *opts = options_alloc(count, len + 1, &text, err);
    if (opts == NULL)
        return NULL;
    memcpy(text, str, len + 1);

    char *item = text;
    for (char *p = text;; p++) {
        bool last = *p == '\0';
        if (*p == ',' || last) {
            *p = '\0';
            if (p != item) /* vfkit skips empty items */
                options_push(opts, item);
            item = p + 1;
        }
        if (last)
            break;
    }
    return opts;
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
        options_push(opts, text);
        text += len + 1;
    }
    return opts;
}

void vf_options_free(vf_options *opts)
{
    vf__free(opts);
}

/* ---- quote-aware splitting (vfkit's string-slice flag) ----------------- */

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when the byte at s
 * does not start one. Same rules as Go's decoder: no overlong forms, no
 * surrogates, nothing above U+10FFFF. */
static size_t utf8_sequence_length(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    unsigned char lo = 0x80, hi = 0xbf;
    size_t len;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else {
        return 0;
    }
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    return len;
}

/* Appends s[0..n) as Go's `for range` + WriteRune copies it: every byte
 * that is not part of valid UTF-8 becomes U+FFFD. */
static void append_as_go_runes(vf_buf *out, const char *s, size_t n)
{
    static const char replacement[] = "\xef\xbf\xbd";
    size_t start = 0, i = 0;
    while (i < n) {
        size_t len = utf8_sequence_length((const unsigned char *)s + i);
        if (len != 0 && len <= n - i) {
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

static void add_item(vf_strv_builder *sb, const char *s, size_t n)
{
    trim_quotes(&s, &n);
    append_as_go_runes(&sb->bytes, s, n);
    vf__strv_end(sb);
}

int vf__split_quoted_into(const char *value, vf_strv_builder *sb, vf_error *err)
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
    vf_strv_builder sb;
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
    return vf__error(err, VF_ERR_AMBIGUOUS,
                     "'%s' holds a ',' that vfkit would read as an option separator: \"%s\"",
                     field, vf__quote_for_message(value, shown, sizeof shown));
}

/* True when s (len bytes) is plain ASCII without ',' or '"': nothing that
 * vfkit's list splitting could change. Written without early exits so the
 * compiler can vectorise it; this runs on every printed bootloader value. */
static bool plain_list_text(const char *s, size_t len)
{
    unsigned char high = 0, special = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        high |= c;
        special |= (unsigned char)(c == ',' || c == '"');
    }
    return high < 0x80 && !special;
}

int vf__check_list_item(const char *field, const char *value, bool whole_item, vf_error *err)
{
    char shown[96];
    value = vf__str(value);
    size_t len = strlen(value);
    if (plain_list_text(value, len))
        return VF_OK;
    const char *why = NULL;
    bool quoted = false;
    /* Quotes and commas are ASCII, and multi-byte sequences never hold
     * ASCII bytes, so the UTF-8 check can step over whole sequences. */
    for (size_t i = 0; i < len && why == NULL;) {
        unsigned char c = (unsigned char)value[i];
        size_t n = c < 0x80 ? 1 : utf8_sequence_length((const unsigned char *)value + i);
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
    if (why == NULL)
        return VF_OK;
    return vf__error(err, VF_ERR_AMBIGUOUS, "'%s' holds %s: \"%s\"", field, why,
                     vf__quote_for_message(value, shown, sizeof shown));
}
