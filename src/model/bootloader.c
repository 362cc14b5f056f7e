/*
 * libvfconfig - bootloaders: Linux kernel, EFI and macOS.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The three kinds are data: a table gives each one its vfkit word, its JSON
 * kind, its field table (for free and clone) and the `--bootloader` option
 * keys it accepts, so parsing needs no per-kind code. Printing differs per
 * kind (Linux uses its own flags), so that part is three small functions.
 */
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "model/components.h"
#include "model/fields.h"
#include "model/options.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/macros.h"
#include "util/str.h"

/* How an option key of `--bootloader` sets a field. */
typedef enum option_effect {
    SET_STRING,         /* the value, as is */
    SET_TRIMMED_STRING, /* the value without surrounding quotes (Linux cmdline) */
    SET_FLAG            /* a bare key turning a bool on; a value is an error */
} option_effect;

typedef struct option_binding {
    const char *key;
    option_effect effect;
    size_t offset;
} option_binding;

typedef struct bootloader_kind {
    vf__bootloader_ops ops;
    const char *display_name; /* in messages, as the Go package words them */
    const option_binding *options;
    size_t n_options;
    int (*write_cmdline)(const vf_bootloader *bl, vf__strv_builder *out, vf_error *err);
} bootloader_kind;

/* The JSON fields, in Go's order. */
static const vf__field linux_fields[] = {
    VF__FIELD(vf_linux_bootloader, vmlinuz_path, "vmlinuzPath", VF__FIELD_STRING, 0),
    VF__FIELD(vf_linux_bootloader, kernel_cmdline, "kernelCmdLine", VF__FIELD_STRING, 0),
    VF__FIELD(vf_linux_bootloader, initrd_path, "initrdPath", VF__FIELD_STRING, 0),
};

static const vf__field efi_fields[] = {
    VF__FIELD(vf_efi_bootloader, efi_variable_store_path, "efiVariableStorePath", VF__FIELD_STRING,
              0),
    VF__FIELD(vf_efi_bootloader, create_variable_store, "createVariableStore", VF__FIELD_BOOL, 0),
};

static const vf__field macos_fields[] = {
    VF__FIELD(vf_macos_bootloader, machine_identifier_path, "machineIdentifierPath",
              VF__FIELD_STRING, 0),
    VF__FIELD(vf_macos_bootloader, hardware_model_path, "hardwareModelPath", VF__FIELD_STRING, 0),
    VF__FIELD(vf_macos_bootloader, aux_image_path, "auxImagePath", VF__FIELD_STRING, 0),
};

static const option_binding linux_options[] = {
    {"kernel", SET_STRING, offsetof(vf_linux_bootloader, vmlinuz_path)},
    {"cmdline", SET_TRIMMED_STRING, offsetof(vf_linux_bootloader, kernel_cmdline)},
    {"initrd", SET_STRING, offsetof(vf_linux_bootloader, initrd_path)},
};
static const option_binding efi_options[] = {
    {"variable-store", SET_STRING, offsetof(vf_efi_bootloader, efi_variable_store_path)},
    {"create", SET_FLAG, offsetof(vf_efi_bootloader, create_variable_store)},
};
static const option_binding macos_options[] = {
    {"machineIdentifierPath", SET_STRING, offsetof(vf_macos_bootloader, machine_identifier_path)},
    {"hardwareModelPath", SET_STRING, offsetof(vf_macos_bootloader, hardware_model_path)},
    {"auxImagePath", SET_STRING, offsetof(vf_macos_bootloader, aux_image_path)},
};

static int write_linux(const vf_bootloader *bl, vf__strv_builder *out, vf_error *err);
static int write_efi(const vf_bootloader *bl, vf__strv_builder *out, vf_error *err);
static int write_macos(const vf_bootloader *bl, vf__strv_builder *out, vf_error *err);

/* One row per entry of VF_BOOTLOADER_KIND_MAP, in its order. */
static const bootloader_kind kinds[] = {
    {{VF_BOOTLOADER_LINUX, "linux", "linuxBootloader", sizeof(vf_linux_bootloader), linux_fields,
      VF__COUNT(linux_fields)},
     "Linux",
     linux_options,
     VF__COUNT(linux_options),
     write_linux},
    {{VF_BOOTLOADER_EFI, "efi", "efiBootloader", sizeof(vf_efi_bootloader), efi_fields,
      VF__COUNT(efi_fields)},
     "EFI",
     efi_options,
     VF__COUNT(efi_options),
     write_efi},
    {{VF_BOOTLOADER_MACOS, "macos", "macosBootloader", sizeof(vf_macos_bootloader), macos_fields,
      VF__COUNT(macos_fields)},
     "macOS",
     macos_options,
     VF__COUNT(macos_options),
     write_macos},
};

_Static_assert(VF__COUNT(kinds) == VF_BOOTLOADER_KIND_COUNT, "one row per bootloader kind");

static const bootloader_kind *kind_of(vf_bootloader_kind kind)
{
    for (size_t i = 0; i < VF__COUNT(kinds); i++)
        if (kinds[i].ops.kind == kind)
            return &kinds[i];
    return NULL;
}

const vf__bootloader_ops *vf__bootloader_ops_of(vf_bootloader_kind kind)
{
    const bootloader_kind *k = kind_of(kind);
    return k ? &k->ops : NULL;
}

const vf__bootloader_ops *vf__bootloader_ops_by_json_kind(const char *name)
{
    for (size_t i = 0; i < VF__COUNT(kinds); i++)
        if (name != NULL && strcmp(kinds[i].ops.json_kind, name) == 0)
            return &kinds[i].ops;
    return NULL;
}

const char *vf_bootloader_kind_name(vf_bootloader_kind kind)
{
    const bootloader_kind *k = kind_of(kind);
    return k ? k->ops.name : NULL;
}

/* ---- life cycle ---------------------------------------------------------- */

vf_bootloader *vf_bootloader_new(vf_bootloader_kind kind)
{
    const bootloader_kind *k = kind_of(kind);
    if (k == NULL)
        return NULL;
    vf_bootloader *bl = vf__calloc(1, k->ops.size);
    if (bl != NULL)
        bl->kind = kind;
    return bl;
}

void vf_bootloader_free(vf_bootloader *bl)
{
    if (bl == NULL)
        return;
    const bootloader_kind *k = kind_of(bl->kind);
    if (k != NULL)
        vf__fields_release(bl, k->ops.fields, k->ops.n_fields);
    vf__free(bl);
}

vf_bootloader *vf_bootloader_clone(const vf_bootloader *bl)
{
    const bootloader_kind *k = bl ? kind_of(bl->kind) : NULL;
    if (k == NULL)
        return NULL;
    vf_bootloader *copy = vf__malloc(k->ops.size);
    if (copy == NULL)
        return NULL;
    memcpy(copy, bl, k->ops.size);
    if (vf__fields_clone_strings(copy, bl, k->ops.fields, k->ops.n_fields) != VF_OK) {
        vf_bootloader_free(copy);
        return NULL;
    }
    return copy;
}

/* A new bootloader of kind with its string fields set from values (in the
 * order of the kind's option table); NULL on allocation failure. */
static vf_bootloader *new_with_strings(vf_bootloader_kind kind, const char *const *values)
{
    const bootloader_kind *k = kind_of(kind);
    vf_bootloader *bl = vf_bootloader_new(kind);
    for (size_t i = 0; bl != NULL && i < k->n_options; i++) {
        if (k->options[i].effect == SET_FLAG)
            continue;
        char **slot = (char **)(void *)((char *)bl + k->options[i].offset);
        if (vf__set_string(slot, values[i]) != VF_OK) {
            vf_bootloader_free(bl);
            bl = NULL;
        }
    }
    return bl;
}

vf_linux_bootloader *vf_linux_bootloader_new(const char *vmlinuz_path, const char *kernel_cmdline,
                                             const char *initrd_path)
{
    /* In the order of linux_options: kernel, cmdline, initrd. */
    const char *values[] = {vmlinuz_path, kernel_cmdline, initrd_path};
    return vf_bootloader_as_linux(new_with_strings(VF_BOOTLOADER_LINUX, values));
}

vf_efi_bootloader *vf_efi_bootloader_new(const char *efi_variable_store_path,
                                         bool create_variable_store)
{
    const char *values[] = {efi_variable_store_path, NULL};
    vf_efi_bootloader *efi = vf_bootloader_as_efi(new_with_strings(VF_BOOTLOADER_EFI, values));
    if (efi != NULL)
        efi->create_variable_store = create_variable_store;
    return efi;
}

vf_macos_bootloader *vf_macos_bootloader_new(const char *machine_identifier_path,
                                             const char *hardware_model_path,
                                             const char *aux_image_path)
{
    const char *values[] = {machine_identifier_path, hardware_model_path, aux_image_path};
    return vf_bootloader_as_macos(new_with_strings(VF_BOOTLOADER_MACOS, values));
}

/* The typed structs start with their vf_bootloader, so the cast is the
 * address of the whole struct. */
#define DEFINE_CASTS(K, T)                                                                         \
    vf_##T##_bootloader *vf_bootloader_as_##T(vf_bootloader *bl)                                   \
    {                                                                                              \
        return bl && bl->kind == VF_BOOTLOADER_##K ? (vf_##T##_bootloader *)(void *)bl : NULL;     \
    }                                                                                              \
    const vf_##T##_bootloader *vf_bootloader_as_##T##_const(const vf_bootloader *bl)               \
    {                                                                                              \
        return bl && bl->kind == VF_BOOTLOADER_##K ? (const vf_##T##_bootloader *)(const void *)bl \
                                                   : NULL;                                         \
    }
VF_BOOTLOADER_KIND_MAP(DEFINE_CASTS)
#undef DEFINE_CASTS

/* ---- options (Go: FromOptions) ------------------------------------------ */

static int apply_one(const bootloader_kind *k, vf_bootloader *bl, const vf_option *opt,
                     vf_error *err)
{
    char shown[96];
    const char *key = vf__str(opt->key), *value = vf__str(opt->value);
    const option_binding *binding = NULL;
    for (size_t i = 0; i < k->n_options && binding == NULL; i++)
        if (strcmp(k->options[i].key, key) == 0)
            binding = &k->options[i];
    if (binding == NULL) {
        vf__quote_for_message(key, shown, sizeof shown);
        return vf__error_at(err, VF_ERR_INVALID, shown, "unknown option for %s bootloaders: \"%s\"",
                            k->display_name, shown);
    }

    void *field = (char *)bl + binding->offset;
    if (binding->effect == SET_FLAG) {
        if (value[0] != '\0')
            return vf__error_at(
                err, VF_ERR_INVALID, key, "unexpected value for %s bootloader '%s' option: \"%s\"",
                k->display_name, key, vf__quote_for_message(value, shown, sizeof shown));
        *(bool *)field = true;
        return VF_OK;
    }
    size_t len = strlen(value);
    if (binding->effect == SET_TRIMMED_STRING && len >= 2 && value[0] == '"' &&
        value[len - 1] == '"') {
        while (len > 0 && value[0] == '"')
            value++, len--;
        while (len > 0 && value[len - 1] == '"')
            len--;
    }
    char *copy = len ? vf__strndup(value, len) : NULL;
    if (len != 0 && copy == NULL)
        return vf__error_nomem(err);
    vf__free(*(char **)field);
    *(char **)field = copy;
    return VF_OK;
}

int vf_bootloader_apply_options(vf_bootloader *bl, const vf_option *opts, size_t n, vf_error *err)
{
    const bootloader_kind *k = bl ? kind_of(bl->kind) : NULL;
    if (k == NULL)
        return vf__error(err, VF_ERR_INVALID, "bootloader: NULL or of an unknown kind");
    if (opts == NULL && n != 0)
        return vf__error(err, VF_ERR_INVALID, "%s bootloader: NULL options with a count of %zu",
                         k->display_name, n);
    for (size_t i = 0; i < n; i++) {
        int rc = apply_one(k, bl, &opts[i], err);
        if (rc != VF_OK)
            return rc;
    }
    return VF_OK;
}

/* BootloaderFromCmdLine on the split items (consumed; NULL passes an
 * error through). */
vf_bootloader *vf__bootloader_from_items(char **items, vf_error *err)
{
    char shown[96];
    size_t n = vf_strv_length(items);
    if (items == NULL)
        return NULL;
    const bootloader_kind *k = NULL;
    for (size_t i = 0; i < VF__COUNT(kinds) && n != 0 && k == NULL; i++)
        if (strcmp(kinds[i].ops.name, items[0]) == 0)
            k = &kinds[i];
    vf_bootloader *bl = NULL;
    vf_options *opts = NULL;
    if (n == 0)
        vf__error(err, VF_ERR_INVALID, "empty option list in --bootloader command line argument");
    else if (k == NULL)
        vf__error(err, VF_ERR_INVALID, "unknown bootloader type: \"%s\"",
                  vf__quote_for_message(items[0], shown, sizeof shown));
    else if ((bl = vf_bootloader_new(k->ops.kind)) == NULL)
        vf__error_nomem(err);
    else
        opts = vf_options_from_strv((const char *const *)items + 1, n - 1, err);
    if (opts == NULL || vf_bootloader_apply_options(bl, opts->items, opts->count, err) != VF_OK) {
        vf_bootloader_free(bl);
        bl = NULL;
        vf__error_locate_prefix(err, "--bootloader");
    }
    vf_options_free(opts);
    vf_strv_free(items);
    return bl;
}

vf_bootloader *vf_bootloader_from_cmdline(const char *value, vf_error *err)
{
    char **items = vf_split_quoted_list(value, err);
    if (items == NULL)
        vf__error_locate(err, "--bootloader");
    return vf__bootloader_from_items(items, err);
}

/* ---- printing (Go: ToCmdLine) ------------------------------------------ */

/* The JSON key of the field at offset: where a printing error is. */
static const char *json_key_at(const vf_bootloader *bl, size_t offset)
{
    const bootloader_kind *k = kind_of(bl->kind);
    for (size_t i = 0; i < k->ops.n_fields; i++)
        if (k->ops.fields[i].offset == offset)
            return k->ops.fields[i].json_name;
    return "";
}

static const char *string_field(const vf_bootloader *bl, size_t offset)
{
    return vf__str(*(char *const *)(const void *)((const char *)bl + offset));
}

/* Linux boots through vfkit's legacy flags, checked in the Go package's
 * order: kernel, initrd, then command line. */
static int write_linux(const vf_bootloader *bl, vf__strv_builder *out, vf_error *err)
{
    static const struct {
        const char *flag;
        size_t offset;
        const char *missing;
    } args[] = {
        {"--kernel", offsetof(vf_linux_bootloader, vmlinuz_path), "missing kernel path"},
        {"--initrd", offsetof(vf_linux_bootloader, initrd_path), "missing initrd path"},
        {"--kernel-cmdline", offsetof(vf_linux_bootloader, kernel_cmdline),
         "missing kernel command line"},
    };
    for (size_t i = 0; i < VF__COUNT(args); i++) {
        const char *value = string_field(bl, args[i].offset);
        if (value[0] == '\0')
            return vf__error_at(err, VF_ERR_INVALID, json_key_at(bl, args[i].offset),
                                "Linux bootloader: %s (%s)", args[i].missing, args[i].flag);
        vf__strv_add(out, args[i].flag);
        vf__strv_add(out, value);
    }
    return VF_OK;
}

/* `--bootloader NAME,key=value,...,flag`: every non-empty string option in
 * table order, then flags that are on. Values that vfkit's quote-aware
 * splitting would change are refused (what was written is then dropped);
 * each item starts with its key, so vfkit never trims its quotes. */
static int write_bootloader_value(const vf_bootloader *bl, vf__strv_builder *out, vf_error *err)
{
    const bootloader_kind *k = kind_of(bl->kind);
    vf__strv_add(out, "--bootloader");
    vf__buf_puts(&out->bytes, k->ops.name);
    for (size_t i = 0; i < k->n_options; i++) {
        const option_binding *b = &k->options[i];
        const char *value = b->effect == SET_FLAG ? NULL : string_field(bl, b->offset);
        if (b->effect == SET_FLAG ? !*(const bool *)((const char *)bl + b->offset)
                                  : value[0] == '\0')
            continue;
        vf__buf_putc(&out->bytes, ',');
        vf__buf_puts(&out->bytes, b->key);
        if (value != NULL) {
            vf__buf_putc(&out->bytes, '=');
            int rc = vf__put_list_item(&out->bytes, b->key, value, false, err);
            if (rc != VF_OK) {
                vf__error_locate(err, "%s", json_key_at(bl, b->offset));
                return rc;
            }
        }
    }
    vf__strv_end(out);
    return VF_OK;
}

static int write_efi(const vf_bootloader *bl, vf__strv_builder *out, vf_error *err)
{
    const vf_efi_bootloader *efi = (const vf_efi_bootloader *)(const void *)bl;
    if (vf__empty(efi->efi_variable_store_path))
        return vf__error_at(err, VF_ERR_INVALID, "efiVariableStorePath",
                            "EFI bootloader: missing EFI store path "
                            "('variable-store')");
    return write_bootloader_value(bl, out, err);
}

/* The Go package prints nothing for macOS, which vfkit cannot boot from.
 * Here every non-empty path is printed and empty ones are left out, so
 * the value reads back as the same bootloader (docs/design.md, difference 5). */
static int write_macos(const vf_bootloader *bl, vf__strv_builder *out, vf_error *err)
{
    return write_bootloader_value(bl, out, err);
}

int vf__bootloader_write_cmdline(const vf_bootloader *bl, vf__strv_builder *out, vf_error *err)
{
    const bootloader_kind *k = bl ? kind_of(bl->kind) : NULL;
    if (bl == NULL)
        return vf__error(err, VF_ERR_INVALID, "missing bootloader configuration");
    if (k == NULL)
        return vf__error(err, VF_ERR_INVALID, "bootloader of unknown kind %d", (int)bl->kind);
    return k->write_cmdline(bl, out, err);
}

char **vf_bootloader_to_cmdline(const vf_bootloader *bl, vf_error *err)
{
    vf__strv_builder sb;
    vf__strv_init(&sb);
    int rc = vf__bootloader_write_cmdline(bl, &sb, err);
    if (rc != VF_OK) {
        vf__strv_release(&sb);
        return NULL;
    }
    return vf__strv_finish(&sb, err);
}
