/*
 * libvfconfig - internal declarations shared by the library's sources.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Nothing here is exported. Internal symbols are prefixed `vf__`.
 */
#ifndef VFCONFIG_INTERNAL_H
#define VFCONFIG_INTERNAL_H

#include <stdarg.h>
#include <string.h>

#include "vfconfig/vfconfig.h"

#if defined(__GNUC__) || defined(__clang__)
#define VF_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define VF_UNUSED __attribute__((unused))
#else
#define VF_PRINTF(fmt, args)
#define VF_UNUSED
#endif

/* ---- allocation (alloc.c) ----------------------------------------------
 * Every allocation of the library goes through these, so a test build can
 * make the N-th one fail (see fuzz/ and tests/test_alloc_failure.c). */
void *vf__malloc(size_t size);
void *vf__calloc(size_t count, size_t size);
void *vf__realloc(void *ptr, size_t size);
void vf__free(void *ptr);
/* Copy of s (NULL when s is NULL: callers treat NULL strings as ""). Sets
 * *failed when the copy could not be made. */
char *vf__strdup(const char *s);
char *vf__strndup(const char *s, size_t n);
/* Replaces *slot by a copy of s (NULL or "" store NULL). 0 or VF_ERR_NOMEM;
 * on failure *slot is left unchanged. */
int vf__set_string(char **slot, const char *s);

/* ---- errors (error.c) -------------------------------------------------- */
/* Fills err (if non-NULL) with code and a formatted message; returns code. */
int vf__error(vf_error *err, int code, const char *fmt, ...) VF_PRINTF(3, 4);
/* Shorthand for an allocation failure. Returns VF_ERR_NOMEM. */
int vf__error_nomem(vf_error *err);
/* Prepends "prefix: " (formatted) to the message already in err. */
void vf__error_prefix(vf_error *err, const char *fmt, ...) VF_PRINTF(2, 3);
/* Writes a printable, length-limited rendering of s into buf for messages:
 * long values are cut with "...", control bytes shown as \xNN. */
const char *vf__quote_for_message(const char *s, char *buf, size_t size);

/* Strings may be NULL in structs: read them through this. */
static inline const char *vf__str(const char *s) { return s ? s : ""; }
static inline bool vf__empty(const char *s) { return s == NULL || s[0] == '\0'; }

/* The value of one hexadecimal digit (either case), or -1. */
static inline int vf__hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* ---- growable byte buffer (buf.c) --------------------------------------
 * Appends never fail visibly: on allocation failure `failed` is set and
 * further appends are ignored; check it once at the end. */
typedef struct vf_buf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
} vf_buf;

void vf__buf_init(vf_buf *b);
void vf__buf_release(vf_buf *b);
bool vf__buf_reserve(vf_buf *b, size_t extra);
/* vf__buf_append for when the bytes do not fit: grows the buffer first. */
void vf__buf_append_growing(vf_buf *b, const char *s, size_t n);
void vf__buf_put_u64(vf_buf *b, uint64_t v);
void vf__buf_put_i64(vf_buf *b, int64_t v);
void vf__buf_printf(vf_buf *b, const char *fmt, ...) VF_PRINTF(2, 3);
/* NUL-terminates and hands the bytes to the caller (free with vf__free,
 * which is free()); NULL if any append failed. Resets b. */
char *vf__buf_steal(vf_buf *b);

/* The appends are inline: the command-line and JSON writers make dozens of
 * them per call, mostly of literals, whose strlen the compiler then knows
 * and whose copy becomes a few moves. */
static inline void vf__buf_append(vf_buf *b, const char *s, size_t n)
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
static inline void vf__buf_puts(vf_buf *b, const char *s)
{
    if (s != NULL)
        vf__buf_append(b, s, strlen(s));
}

static inline void vf__buf_putc(vf_buf *b, char c)
{
    vf__buf_append(b, &c, 1);
}

/* ---- string vector builder (buf.c) -------------------------------------
 * Builds a vector in the block that will be returned, so vf_strv_free() is
 * one free() and finishing copies nothing: the front of `bytes` holds one
 * slot per pointer, the strings follow, each NUL-terminated. Until finish
 * turns them into pointers, the slots hold where each string starts (as
 * an offset from the first string, which the slots growing does not move). */
typedef struct vf_strv_builder {
    vf_buf bytes;      /* `slots` pointer slots, then the strings */
    size_t slots;      /* room for the pointers and the NULL after them */
    size_t count;      /* strings ended so far */
    size_t next_start; /* offset of the string being written */
} vf_strv_builder;

void vf__strv_init(vf_strv_builder *sb);
void vf__strv_release(vf_strv_builder *sb);
/* Room for `strings` strings of `bytes` bytes in all, when the caller knows
 * about how many: it saves growing the block, and is only a hint. */
void vf__strv_reserve(vf_strv_builder *sb, size_t strings, size_t bytes);
/* Starts a string that the caller then writes with vf__buf_* on sb->bytes
 * and ends with vf__strv_end(). */
void vf__strv_begin(vf_strv_builder *sb);
/* vf__strv_end for when the block has no room for the NUL or the slot. */
void vf__strv_end_growing(vf_strv_builder *sb);
/* Adds every string of strv (NULL-terminated). */
void vf__strv_add_all(vf_strv_builder *sb, char *const *strv);
/* The finished vector (NULL and VF_ERR_NOMEM in err on failure); resets sb. */
char **vf__strv_finish(vf_strv_builder *sb, vf_error *err);

/* Ends the string written on sb->bytes since the previous one, and records
 * where it started. Inline, as a vector of n strings makes n calls. */
static inline void vf__strv_end(vf_strv_builder *sb)
{
    vf_buf *b = &sb->bytes;
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

static inline void vf__strv_addn(vf_strv_builder *sb, const char *s, size_t n)
{
    vf__buf_append(&sb->bytes, s, n);
    vf__strv_end(sb);
}

/* Adds a copy of s (NULL adds ""). Inline, so a literal's length is known. */
static inline void vf__strv_add(vf_strv_builder *sb, const char *s)
{
    s = vf__str(s);
    vf__strv_addn(sb, s, strlen(s));
}

/* ---- numbers as Go's strconv reads them (numbers.c) -------------------- */
/* strconv.ParseUint(s, 10, bits): digits only, no sign, no spaces. */
int vf__parse_uint(const char *s, unsigned bits, uint64_t *out);
/* strconv.ParseInt(s, 10, bits): optional sign then digits. */
int vf__parse_int(const char *s, unsigned bits, int64_t *out);
/* strconv.Atoi (64-bit int): ParseInt(s, 10, 64) with its fast path rules. */
int vf__atoi(const char *s, int64_t *out);

/* ---- device kinds (devices.c): one table drives every generic operation - */
typedef struct vf_field vf_field;

typedef struct vf_device_ops {
    vf_device_kind kind;
    const char *name;       /* on the command line: "virtio-blk" */
    size_t name_len;        /* strlen(name), for matching a name that is not NUL-terminated */
    const char *json_kind;  /* JSON discriminator: "virtioblk" */
    size_t size;            /* sizeof the typed struct */
    /* Defaults of an empty device ("NewEmpty" in Go); 0 or VF_ERR_NOMEM. */
    int (*init)(vf_device *dev);
    /* FromOptions, validation included. */
    int (*apply_options)(vf_device *dev, const vf_option *opts, size_t n, vf_error *err);
    /* Appends the value of `--device` (without "--device") to out.
     * child_fd >= 0 replaces a virtio-net socket's own number (vf_vm_cmd).
     * On error out may hold a part of it: callers drop what they built. */
    int (*write_cmdline)(const vf_device *dev, vf_buf *out, int child_fd, vf_error *err);
    /* The JSON fields, in Go's order (fields.c); also used to free and
     * clone the owned strings generically. */
    const vf_field *fields;
    size_t n_fields;
} vf_device_ops;

/* The ops of kind, or NULL for a value outside the enum. */
const vf_device_ops *vf__device_ops(vf_device_kind kind);
/* The ops whose JSON kind is name (exact match, as Go compares), or NULL. */
const vf_device_ops *vf__device_ops_by_json_kind(const char *name);

/* ---- field tables (fields.c) -------------------------------------------
 * Go's struct fields as data: JSON name, C type, place, omitempty. */
typedef enum vf_field_type {
    VF_FIELD_STRING,   /* char *            */
    VF_FIELD_BOOL,     /* bool              */
    VF_FIELD_U32,      /* uint32_t          */
    VF_FIELD_U64,      /* uint64_t (Go uint, strongunits.B) */
    VF_FIELD_INT,      /* int64_t (Go int)  */
    VF_FIELD_DURATION, /* int64_t ns (Go time.Duration) */
    VF_FIELD_MAC,      /* vf_mac_address, JSON string */
    VF_FIELD_FD        /* int, -1 for none: a descriptor (JSON "fd", library's own key) */
} vf_field_type;

#define VF_FIELD_OMITEMPTY 0x1u /* left out when zero / "" / false, as Go's omitempty */

struct vf_field {
    const char *json_name;
    vf_field_type type;
    size_t offset;
    unsigned flags;
};

/* Field tables of the bootloaders and of the VM's small components. */
extern const vf_field vf__linux_bootloader_fields[];
extern const size_t vf__n_linux_bootloader_fields;
extern const vf_field vf__efi_bootloader_fields[];
extern const size_t vf__n_efi_bootloader_fields;
extern const vf_field vf__macos_bootloader_fields[];
extern const size_t vf__n_macos_bootloader_fields;
extern const vf_field vf__timesync_fields[];
extern const size_t vf__n_timesync_fields;
extern const vf_field vf__ignition_fields[];
extern const size_t vf__n_ignition_fields;

/* Device field tables, one per kind, in Go's order (fields.c). */
#define VF_DECLARE_FIELDS(name)          \
    extern const vf_field vf__##name##_fields[]; \
    extern const size_t vf__n_##name##_fields
VF_DECLARE_FIELDS(virtio_blk);
VF_DECLARE_FIELDS(nvme);
VF_DECLARE_FIELDS(usb_mass_storage);
VF_DECLARE_FIELDS(nbd);
VF_DECLARE_FIELDS(virtio_fs);
VF_DECLARE_FIELDS(rosetta);
VF_DECLARE_FIELDS(virtio_net);
VF_DECLARE_FIELDS(virtio_serial);
VF_DECLARE_FIELDS(virtio_vsock);
VF_DECLARE_FIELDS(virtio_input);
VF_DECLARE_FIELDS(virtio_gpu);
/* rng and balloon have no fields. */

/* Bootloader kinds as data (bootloader.c). */
typedef struct vf_bootloader_ops {
    vf_bootloader_kind kind;
    const char *name;      /* "linux", "efi", "macos" */
    const char *json_kind; /* "linuxBootloader", "efiBootloader", "macosBootloader" */
    size_t size;
    const vf_field *fields;
    size_t n_fields;
} vf_bootloader_ops;
const vf_bootloader_ops *vf__bootloader_ops(vf_bootloader_kind kind);
const vf_bootloader_ops *vf__bootloader_ops_by_json_kind(const char *name);

/* Generic helpers over a field table (fields.c). */
void vf__fields_release(void *obj, const vf_field *fields, size_t n);
/* Copies the owned strings of src into dst (dst is a memcpy of src);
 * on failure the strings not yet copied are NULLed so dst can be released. */
int vf__fields_clone_strings(void *dst, const void *src, const vf_field *fields, size_t n);

/* ---- command line (cmdline.c) ------------------------------------------ */
/* vf_vm_to_cmdline with virtio-net sockets numbered for the child: the i-th
 * socket-backed virtio-net prints fd=3+i when number_fds_for_child. */
char **vf__vm_to_cmdline(const vf_vm *vm, bool number_fds_for_child, vf_error *err);

/* True when a value vfkit splits on ',' holds one: printing it would add
 * options. field names the option for the message. */
int vf__check_no_comma(const char *field, const char *value, vf_error *err);

/* ---- devices (devices.c, storage.c, network.c, sharing.c, peripherals.c) -
 * Each kind's behaviour, reached through the kind table of devices.c. */

/* A device is always reached through its vf_device head; the cast goes
 * through void so the compiler does not flag the alignment change. */
#define VF_DEVICE_AS(type, dev) ((type *)(void *)(dev))
#define VF_DEVICE_AS_CONST(type, dev) ((const type *)(const void *)(dev))

/* Messages about one option, in the shape every kind uses (devices.c):
 *   unknown option for <what>: "key[=value]"
 *   <device>: <problem> 'key': "value"<detail>
 *   <device>: "key[=value]" requires '<needed>' to be specified */
int vf__error_unknown_option(vf_error *err, const char *what, const vf_option *opt);
int vf__error_option_value(vf_error *err, const char *device, const char *problem,
                           const vf_option *opt, const char *detail);
int vf__error_option_needs(vf_error *err, const char *device, const vf_option *opt,
                           const char *needed);
/* Stores a copy of an option's value (NULL for ""); VF_ERR_NOMEM in err. */
int vf__set_option_string(char **slot, const char *value, vf_error *err);
/* True when opt's key is exactly key (a NULL key reads as ""). Inline: the
 * kinds test every option against their keys one after the other. */
static inline bool vf__option_is(const vf_option *opt, const char *key)
{
    const char *opt_key = vf__str(opt->key);
    /* The first bytes differ in most mismatches: no call for those. */
    return opt_key[0] == key[0] && strcmp(opt_key, key) == 0;
}
/* vf__check_no_comma with the device's name in front of the message. */
int vf__check_printable(const char *device, const char *field, const char *value,
                        vf_error *err);
/* Appends value (NULL as "") after vf__check_printable's check, measuring
 * it once: the device writers print each value this way. */
int vf__put_printable(vf_buf *out, const char *device, const char *field, const char *value,
                      vf_error *err);

#define VF_DECLARE_DEVICE_KIND(prefix)                                                    \
    int vf__##prefix##_apply_options(vf_device *dev, const vf_option *opts, size_t n,    \
                                     vf_error *err);                                      \
    int vf__##prefix##_write_cmdline(const vf_device *dev, vf_buf *out, int child_fd,    \
                                     vf_error *err)
/* storage.c: "disk" serves nvme and usb-mass-storage (virtio-blk adds
 * deviceId and the image check); the inits set devName and nbd's defaults. */
int vf__disk_init(vf_device *dev);
int vf__nbd_init(vf_device *dev);
VF_DECLARE_DEVICE_KIND(disk);
VF_DECLARE_DEVICE_KIND(virtio_blk);
VF_DECLARE_DEVICE_KIND(nbd);
/* sharing.c */
VF_DECLARE_DEVICE_KIND(virtio_fs);
VF_DECLARE_DEVICE_KIND(rosetta);
/* network.c: the init sets socket_fd to -1 (no descriptor). */
int vf__virtio_net_init(vf_device *dev);
VF_DECLARE_DEVICE_KIND(virtio_net);
/* peripherals.c: "no_options" serves virtio-rng and virtio-balloon. */
VF_DECLARE_DEVICE_KIND(no_options);
VF_DECLARE_DEVICE_KIND(virtio_serial);
VF_DECLARE_DEVICE_KIND(virtio_vsock);
VF_DECLARE_DEVICE_KIND(virtio_input);
VF_DECLARE_DEVICE_KIND(virtio_gpu);

/* ---- starting vfkit (cmd.c, spawn.c, platform.c) ------------------------ */
#include <spawn.h>

/* spawn.c */
/* fcntl(F_GETFD) succeeds: fd names an open descriptor. */
bool vf__fd_is_open(int fd);
/* strerror_r into buf: thread-safe text for an errno value. */
const char *vf__errno_text(int errnum, char *buf, size_t size);
/* Fills err with "what(fd): <errno text>"; returns VF_ERR_SYSTEM. */
int vf__spawn_action_failed(vf_error *err, const char *what, int fd, int rc);

/* platform.c: the one file with platform #ifdefs. */
/* The caller's environment (macOS libraries reach it via _NSGetEnviron). */
char *const *vf__platform_environ(void);
/* Which way the child loses unwanted descriptors, for messages and tests. */
const char *vf__platform_close_method(void);
/* True when a file action that fails in the child makes posix_spawn return
 * its error (POSIX also allows success and an exit with 127). */
bool vf__platform_spawn_reports_action_errors(void);
/* Adds to fa (and *spawn_flags) what leaves the child only 0, 1, 2 and
 * [3, first_free): inherit_stdio[k] says fd k is inherited unchanged; the
 * n_closed descriptors in closed (all >= first_free) are already closed by
 * earlier actions. 0 or VF_ERR_SYSTEM naming the failed call. */
int vf__platform_close_others(posix_spawn_file_actions_t *fa, short *spawn_flags,
                              const bool inherit_stdio[3], int first_free, const int *closed,
                              size_t n_closed, vf_error *err);

/* ---- JSON (json_parse.c, json_write.c, json_read.c, json_value.c) ------ */
/* json_parse.c: JSON read by Go's encoding/json rules into a tree held in
 * one arena. Numbers keep their literal text, so each field can apply
 * Go's exact range rules; members keep document order and duplicates. */
typedef enum vf_json_type {
    VF_JSON_NULL,
    VF_JSON_FALSE,
    VF_JSON_TRUE,
    VF_JSON_NUMBER,
    VF_JSON_STRING,
    VF_JSON_ARRAY,
    VF_JSON_OBJECT
} vf_json_type;

typedef struct vf_json_node vf_json_node;
struct vf_json_node {
    vf_json_type type;
    const char *key;     /* member name, decoded; NULL in an array */
    size_t key_len;
    const char *text;    /* string: decoded bytes (may hold NUL); number: literal */
    size_t len;
    vf_json_node *first; /* children; only the first levels keep them */
    vf_json_node *next;
    size_t count;        /* number of children kept */
};

typedef struct vf_json_chunk vf_json_chunk;
typedef struct vf_json_doc {
    vf_json_chunk *chunks;
    vf_json_node *root;
} vf_json_doc;

/* Containers up to this depth keep their children (the VM object, its
 * devices array, a device object); deeper ones are typed but empty, as
 * nothing reads inside them. */
#define VF_JSON_KEEP_DEPTH 3

/* Parses len bytes; a syntax error names line and column. On success
 * release doc with vf__json_doc_release (strings may point into text). */
int vf__json_parse(const char *text, size_t len, vf_json_doc *doc, vf_error *err);
void vf__json_doc_release(vf_json_doc *doc);
/* Memory that lives as long as doc (aligned for a vf_json_node). */
void *vf__json_doc_alloc(vf_json_doc *doc, size_t size);

/* The rune at s as Go's utf8.DecodeRune reads it: VF_UTF8_INVALID with
 * *size 1 for a byte that starts no valid sequence. */
#define VF_UTF8_INVALID (-1)
int32_t vf__utf8_decode(const unsigned char *s, size_t n, size_t *size);

/* json_write.c: one walk over the field tables feeds a sink, which makes
 * Go's bytes (json_write.c) or jansson values (json_value.c). A sink
 * records its own failure; the walk's return covers invalid input only. */
typedef struct vf_json_sink vf_json_sink;
struct vf_json_sink {
    void (*open)(vf_json_sink *sink, bool object);
    void (*close)(vf_json_sink *sink, bool object);
    void (*key)(vf_json_sink *sink, const char *name);
    void (*string)(vf_json_sink *sink, const char *s); /* NULL writes "" */
    void (*boolean)(vf_json_sink *sink, bool value);
    void (*number)(vf_json_sink *sink, uint64_t magnitude, bool negative);
    void (*null)(vf_json_sink *sink);
};
int vf__json_emit_vm(vf_json_sink *sink, const vf_vm *vm, vf_error *err);
int vf__json_emit_device(vf_json_sink *sink, const vf_device *dev, vf_error *err);
int vf__json_emit_bootloader(vf_json_sink *sink, const vf_bootloader *bl, vf_error *err);

/* json_read.c: the readers over a tree (from vf__json_parse, or made
 * from jansson values by json_value.c). */
vf_vm *vf__vm_from_json_node(const vf_json_node *root, vf_error *err);
vf_device *vf__device_from_json_node(const vf_json_node *root, vf_error *err);
vf_bootloader *vf__bootloader_from_json_node(const vf_json_node *root, vf_error *err);

/* ---- REST client (src/rest/client.c; stubs in src/rest/unsupported.c) ---
 * Used by the API calls (src/rest/api.c) and the lifecycle helpers. */
struct vf_rest_client;
/* Reads the body of a 2xx answer (len bytes, not NUL-terminated). */
typedef int (*vf_rest_reader)(const char *body, size_t len, void *ctx, vf_error *err);
/* One exchange with vfkit: `method path`, with json_body (NULL for none)
 * sent as application/json, then read (may be NULL) on a 2xx answer.
 * 0, or a negative vf_status with a message that names the request and the
 * endpoint, and vfkit's {"error": ...} text when it sent one. */
int vf__rest_request(struct vf_rest_client *client, const char *method, const char *path,
                     const char *json_body, vf_rest_reader read, void *ctx, vf_error *err);
/* Caps the timeout of the client's next requests at ms (0 lifts the cap),
 * so a polling loop keeps its own deadline. */
void vf__rest_cap_timeout(struct vf_rest_client *client, unsigned ms);

/* ---- core-cmdline: numbers.c -------------------------------------------
 * strconv.ParseUint / ParseInt with any base (0 reads a 0x/0o/0b/0 prefix
 * and allows '_' separators, as pflag's uint flags do). 0 or VF_ERR_INVALID;
 * *reason (optional) gets "invalid syntax" or "value out of range", and
 * *out is set as strconv sets it (0, or the clamped bound on overflow). */
int vf__parse_uint_ex(const char *s, int base, unsigned bits, uint64_t *out, const char **reason);
int vf__parse_int_ex(const char *s, int base, unsigned bits, int64_t *out, const char **reason);

/* ---- core-cmdline: options.c ------------------------------------------- */
/* vf_options_split of the len bytes at str (which hold no NUL). */
vf_options *vf__options_split_n(const char *str, size_t len, vf_error *err);
/* Room for splitting a short option string without allocating: devices.c
 * splits every --device value this way. */
typedef struct vf_options_local {
    vf_options options;
    vf_option items[16];
    char text[512];
} vf_options_local;
/* vf__options_split_n into local when the options fit there; release the
 * result with vf__options_release_local (NULL is fine). */
vf_options *vf__options_split_local(const char *str, size_t len, vf_options_local *local,
                                    vf_error *err);
void vf__options_release_local(vf_options *opts, vf_options_local *local);
/* vf_split_quoted_list into an existing builder (items appended, as
 * vfkit's repeated --bootloader does); nothing is added on error. */
int vf__split_quoted_into(const char *value, vf_strv_builder *sb, vf_error *err);
/* VF_ERR_AMBIGUOUS when vfkit's quote-aware list splitting (`--bootloader`,
 * `--cloud-init`) would not give value back: a ',' outside double quotes,
 * an unmatched '"', bytes that are not UTF-8 (replaced), or, when value is
 * a whole item (whole_item), surrounding quotes (trimmed). Quotes that
 * survive the split are fine: `variable-store="/a,b"` reads back as is.
 * field names the value in the message. */
int vf__check_list_item(const char *field, const char *value, bool whole_item, vf_error *err);
/* Appends value after vf__check_list_item's check, measuring it once. */
int vf__put_list_item(vf_buf *out, const char *field, const char *value, bool whole_item,
                      vf_error *err);

/* ---- core-cmdline: bootloader.c, vm.c ----------------------------------- */
/* BootloaderFromCmdLine: items[0] is the type, the rest its options. The
 * vector is consumed; NULL (a failed split) returns NULL, err untouched. */
vf_bootloader *vf__bootloader_from_items(char **items, vf_error *err);
/* Appends the bootloader's arguments; "missing bootloader configuration"
 * when bl is NULL. On error out may hold a part of them, to be dropped. */
int vf__bootloader_write_cmdline(const vf_bootloader *bl, vf_strv_builder *out, vf_error *err);
/* Appends `--timesync vsockPort=N`. */
int vf__timesync_write_cmdline(const vf_timesync *ts, vf_strv_builder *out, vf_error *err);

#endif /* VFCONFIG_INTERNAL_H */
