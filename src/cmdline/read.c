/*
 * libvfconfig - reading a whole vfkit command line into a VM.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Follows vfkit itself: its flags are declared with cobra/pflag in
 * pkg/cmdline/cmdline.go and turned into a VM by newVMConfiguration in
 * cmd/vfkit/main.go, with cobra v1.10.2 and pflag v1.0.10 as vfkit pins
 * them. The flag syntax pflag accepts (`--x v`, `--x=v`, `-x v`, `-xv`,
 * `-x=v`, clusters of bool shorthands, `--` ending the flags, the rest of a
 * short-flag word skipped from `test.` on) is reproduced here, and so are
 * cobra's subcommand lookup (only its own completion commands exist), its
 * --help and --version, its flag-group checks and their messages.
 * Positional words are accepted and ignored, as cobra's root command has no
 * argument validator. The cloud-init files are checked as vfkit checks them
 * before building its ISO; the pid file is only recorded.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vfconfig/vfconfig.h"
#include "cmdline/cmdline.h"
#include "model/components.h"
#include "model/launch.h"
#include "model/options.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/macros.h"
#include "util/numbers.h"
#include "util/str.h"
#include "vfconfig/rest.h"

/* ---- vfkit's flags ------------------------------------------------------ */

typedef enum flag_id {
    F_KERNEL,
    F_KERNEL_CMDLINE,
    F_INITRD,
    F_BOOTLOADER,
    F_GUI,
    F_CPUS,
    F_MEMORY,
    F_TIMESYNC,
    F_DEVICE,
    F_LOG_LEVEL,
    F_RESTFUL_URI,
    F_IGNITION,
    F_CLOUD_INIT,
    F_NESTED,
    F_PIDFILE,
    F_HELP,
    F_VERSION,
    F_COUNT
} flag_id;

typedef enum flag_type {
    FLAG_STRING,       /* the last value wins */
    FLAG_BOOL,         /* strconv.ParseBool; a bare flag means true */
    FLAG_UINT,         /* strconv.ParseUint(v, 0, 64) */
    FLAG_STRING_SLICE, /* vfkit's quote-aware list; repeats append */
    FLAG_STRING_ARRAY, /* every value kept as is */
    FLAG_NOT_A_VM      /* cobra's --help and --version: bool, refused when true */
} flag_type;

/* vfkit's flags as cmdline.AddFlags declares them, plus the two cobra adds. */
static const struct flag_def {
    const char *name;
    char shorthand;
    flag_type type;
} flag_defs[F_COUNT] = {
    [F_KERNEL] = {"kernel", 'k', FLAG_STRING},
    [F_KERNEL_CMDLINE] = {"kernel-cmdline", 'C', FLAG_STRING},
    [F_INITRD] = {"initrd", 'i', FLAG_STRING},
    [F_BOOTLOADER] = {"bootloader", 'b', FLAG_STRING_SLICE},
    [F_GUI] = {"gui", 0, FLAG_BOOL},
    [F_CPUS] = {"cpus", 'c', FLAG_UINT},
    [F_MEMORY] = {"memory", 'm', FLAG_UINT},
    [F_TIMESYNC] = {"timesync", 't', FLAG_STRING},
    [F_DEVICE] = {"device", 'd', FLAG_STRING_ARRAY},
    [F_LOG_LEVEL] = {"log-level", 0, FLAG_STRING},
    [F_RESTFUL_URI] = {"restful-uri", 0, FLAG_STRING},
    [F_IGNITION] = {"ignition", 0, FLAG_STRING},
    [F_CLOUD_INIT] = {"cloud-init", 0, FLAG_STRING_SLICE},
    [F_NESTED] = {"nested", 'n', FLAG_BOOL},
    [F_PIDFILE] = {"pidfile", 0, FLAG_STRING},
    [F_HELP] = {"help", 'h', FLAG_NOT_A_VM},
    [F_VERSION] = {"version", 'v', FLAG_NOT_A_VM},
};

/* What the flags said, before any of it becomes a VM. */
typedef struct parsed_flags {
    bool changed[F_COUNT];
    const char *text[F_COUNT];   /* FLAG_STRING values (borrowed from args) */
    bool on[F_COUNT];            /* FLAG_BOOL values */
    uint64_t number[F_COUNT];    /* FLAG_UINT values */
    vf__strv_builder bootloader; /* items of every --bootloader */
    vf__strv_builder cloud_init; /* items of every --cloud-init */
    const char **devices;        /* every --device value, in order */
    size_t n_devices;
} parsed_flags;

/* The flag's name as pflag shows it in messages: "-c, --cpus" or "--gui". */
static const char *display_name(const struct flag_def *def, char *buf, size_t size)
{
    if (def->shorthand != 0)
        snprintf(buf, size, "-%c, --%s", def->shorthand, def->name);
    else
        snprintf(buf, size, "--%s", def->name);
    return buf;
}

/* Names the flag, by its long name, as the error's location; returns rc. */
static int locate_flag(vf_error *err, const struct flag_def *def, int rc)
{
    vf__error_locate(err, "--%s", def->name);
    return rc;
}

static int invalid_argument(const struct flag_def *def, const char *value, const char *why,
                            vf_error *err)
{
    char name[40], shown[96];
    vf__error(err, VF_ERR_INVALID, "invalid argument for \"%s\" flag: %s: \"%s\"",
              display_name(def, name, sizeof name), why,
              vf__quote_for_message(value, shown, sizeof shown));
    vf__error_locate(err, "--%s", def->name);
    return VF_ERR_INVALID;
}

/* strconv.ParseBool. */
static bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(s, yes[i]) == 0)
            return *out = true, true;
        if (strcmp(s, no[i]) == 0)
            return *out = false, true;
    }
    return false;
}

/* pflag's Value.Set for flag id. */
static int set_flag(parsed_flags *p, flag_id id, const char *value, vf_error *err)
{
    const struct flag_def *def = &flag_defs[id];
    char name[40];
    const char *why = NULL;
    int rc = VF_OK;
    switch (def->type) {
    case FLAG_STRING:
        p->text[id] = value;
        break;
    case FLAG_BOOL:
    case FLAG_NOT_A_VM: /* looked at once every flag is read, as cobra does */
        if (!parse_bool(value, &p->on[id]))
            return invalid_argument(def, value, "strconv.ParseBool: invalid syntax", err);
        break;
    case FLAG_UINT:
        if (vf__parse_uint_ex(value, 0, 64, &p->number[id], &why) != VF_OK)
            return invalid_argument(def, value, why, err);
        break;
    case FLAG_STRING_SLICE:
        rc =
            vf__split_quoted_into(value, id == F_BOOTLOADER ? &p->bootloader : &p->cloud_init, err);
        if (rc != VF_OK) {
            vf__error_prefix(err, "invalid argument for \"%s\" flag",
                             display_name(def, name, sizeof name));
            locate_flag(err, def, rc);
        }
        break;
    case FLAG_STRING_ARRAY:
        p->devices[p->n_devices++] = value;
        break;
    }
    p->changed[id] = true;
    return rc;
}

static const struct flag_def *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < F_COUNT; i++)
        if (strlen(flag_defs[i].name) == len && memcmp(flag_defs[i].name, name, len) == 0)
            return &flag_defs[i];
    return NULL;
}

static const struct flag_def *find_short(char c)
{
    for (size_t i = 0; i < F_COUNT; i++)
        if (flag_defs[i].shorthand == c)
            return &flag_defs[i];
    return NULL;
}

static flag_id id_of(const struct flag_def *def)
{
    return (flag_id)(def - flag_defs);
}

/* `--name`, `--name=value` or `--name value` (pflag's parseLongArg).
 * *next is the index of the argument after s; it moves past a value. */
static int parse_long(parsed_flags *p, const char *s, const char *const *args, size_t *next,
                      vf_error *err)
{
    char shown[96];
    const char *name = s + 2;
    if (name[0] == '-' || name[0] == '=')
        return vf__error_at(err, VF_ERR_INVALID, vf__quote_for_message(s, shown, sizeof shown),
                            "bad flag syntax: %s", shown);
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const struct flag_def *def = find_long(name, len);
    if (def == NULL) {
        char part[80];
        size_t n = len < sizeof part - 1 ? len : sizeof part - 1;
        memcpy(part, name, n);
        part[n] = '\0';
        vf__error(err, VF_ERR_INVALID, "unknown flag: --%s",
                  vf__quote_for_message(part, shown, sizeof shown));
        vf__error_locate(err, "--%s", shown);
        return VF_ERR_INVALID;
    }
    const char *value;
    if (eq != NULL)
        value = eq + 1;
    else if (def->type == FLAG_BOOL || def->type == FLAG_NOT_A_VM)
        value = "true";
    else if (args[*next] != NULL)
        value = args[(*next)++];
    else
        return locate_flag(
            err, def, vf__error(err, VF_ERR_INVALID, "flag needs an argument: --%s", def->name));
    return set_flag(p, id_of(def), value, err);
}

/* `-x`, `-xvalue`, `-x=value`, `-x value` and clusters such as `-nc2`
 * (pflag's parseShortArg). */
static int parse_short(parsed_flags *p, const char *s, const char *const *args, size_t *next,
                       vf_error *err)
{
    char shown[96];
    const char *shorthands = s + 1;
    /* pflag skips the rest of the word from "test." on, wherever it starts
     * (`-test.v`, `-ntest.v`): they are `go test`'s flags. */
    while (*shorthands != '\0' && strncmp(shorthands, "test.", 5) != 0) {
        const struct flag_def *def = find_short(shorthands[0]);
        if (def == NULL) {
            vf__error(err, VF_ERR_INVALID, "unknown shorthand flag: '%c' in -%s", shorthands[0],
                      vf__quote_for_message(shorthands, shown, sizeof shown));
            vf__error_locate(err, "-%.1s", shown);
            return VF_ERR_INVALID;
        }
        const char *value;
        if (shorthands[1] == '=' && shorthands[2] != '\0') {
            value = shorthands + 2;
            shorthands = "";
        } else if (def->type == FLAG_BOOL || def->type == FLAG_NOT_A_VM) {
            value = "true";
            shorthands++;
        } else if (shorthands[1] != '\0') {
            value = shorthands + 1;
            shorthands = "";
        } else if (args[*next] != NULL) {
            value = args[(*next)++];
            shorthands = "";
        } else {
            return locate_flag(err, def,
                               vf__error(err, VF_ERR_INVALID, "flag needs an argument: '%c' in -%s",
                                         shorthands[0],
                                         vf__quote_for_message(shorthands, shown, sizeof shown)));
        }
        int rc = set_flag(p, id_of(def), value, err);
        if (rc != VF_OK)
            return rc;
    }
    return VF_OK;
}

/* pflag's parseArgs with interspersed flags, as cobra sets it up:
 * positional words (and everything after "--") are left to the command,
 * and vfkit's takes any and ignores them. */
static int parse_args(parsed_flags *p, const char *const *args, vf_error *err)
{
    size_t i = 0;
    while (args[i] != NULL) {
        const char *s = args[i++];
        int rc = VF_OK;
        if (s[0] != '-' || s[1] == '\0') {
            continue;
        } else if (s[1] == '-' && s[2] == '\0') {
            break;
        } else if (s[1] == '-') {
            rc = parse_long(p, s, args, &i, err);
        } else {
            rc = parse_short(p, s, args, &i, err);
        }
        if (rc != VF_OK)
            return rc;
    }
    return VF_OK;
}

/* Whether pflag gives flag word s (without its dashes) a value of its own
 * when none follows a `=`: every flag but the bool ones. cobra asks this
 * before adding --help and --version, so those count as taking one too. */
static bool takes_value(const struct flag_def *def)
{
    return def == NULL || def->type != FLAG_BOOL;
}

/* The word cobra would take as a subcommand name (its stripFlags, then
 * the first word left), or NULL. */
static const char *command_word(const char *const *args, size_t *index)
{
    for (size_t i = 0; args[i] != NULL; i++) {
        const char *s = args[i];
        if (strcmp(s, "--") == 0)
            return NULL;
        bool has_eq = strchr(s, '=') != NULL;
        bool long_with_value =
            strncmp(s, "--", 2) == 0 && !has_eq && takes_value(find_long(s + 2, strlen(s + 2)));
        bool short_with_value =
            s[0] == '-' && !has_eq && strlen(s) == 2 && takes_value(find_short(s[1]));
        if (long_with_value || short_with_value) {
            if (args[i + 1] == NULL || args[i + 2] == NULL)
                return NULL; /* the value is the last word */
            i++;
        } else if (s[0] != '\0' && s[0] != '-') {
            *index = i;
            return s;
        }
    }
    return NULL;
}

/* What makes cobra print text and exit instead of running vfkit: its
 * shell-completion commands, which exist only when called, then --help,
 * then --version (after every flag parsed). */
static int check_not_a_vm(const char *const *args, const parsed_flags *p, vf_error *err)
{
    static const char *const commands[] = {"completion", "__complete", "__completeNoDesc"};
    size_t at = 0;
    const char *word = command_word(args, &at);
    for (size_t i = 0; word != NULL && i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(word, commands[i]) == 0) {
            vf__error(err, VF_ERR_INVALID,
                      "command line: the word runs cobra's shell completion instead of a "
                      "VM: \"%s\"",
                      word);
            vf__error_locate(err, "args[%zu]", at);
            return VF_ERR_INVALID;
        }
    if (p == NULL)
        return VF_OK;
    if (p->on[F_HELP] || p->on[F_VERSION]) {
        const char *flag = p->on[F_HELP] ? "help" : "version";
        vf__error(err, VF_ERR_INVALID,
                  "command line: --%s makes vfkit print text and exit; it describes no VM", flag);
        vf__error_locate(err, "--%s", flag);
        return VF_ERR_INVALID;
    }
    return VF_OK;
}

/* cobra's ValidateFlagGroups for MarkFlagsRequiredTogether("kernel",
 * "initrd", "kernel-cmdline") and MarkFlagsMutuallyExclusive(each of them,
 * "bootloader"), with cobra's messages (groups and names sorted). */
static int check_flag_groups(const parsed_flags *p, vf_error *err)
{
    static const flag_id kernel_flags_sorted[] = {F_INITRD, F_KERNEL, F_KERNEL_CMDLINE};
    size_t set = 0;
    for (size_t i = 0; i < 3; i++)
        set += p->changed[kernel_flags_sorted[i]];
    if (set != 0 && set != 3) {
        char missing[64] = "";
        for (size_t i = 0; i < 3; i++) {
            if (p->changed[kernel_flags_sorted[i]])
                continue;
            if (missing[0] != '\0')
                strcat(missing, " ");
            strcat(missing, flag_defs[kernel_flags_sorted[i]].name);
        }
        vf__error(err, VF_ERR_INVALID,
                  "if any flags in the group [kernel initrd kernel-cmdline] are set they "
                  "must all be set; missing [%s]",
                  missing);
        vf__error_locate(err, "--%.*s", (int)strcspn(missing, " "), missing);
        return VF_ERR_INVALID;
    }
    for (size_t i = 0; i < 3 && p->changed[F_BOOTLOADER]; i++) {
        const char *name = flag_defs[kernel_flags_sorted[i]].name;
        if (p->changed[kernel_flags_sorted[i]])
            return vf__error_at(err, VF_ERR_INVALID, "--bootloader",
                                "if any flags in the group [%s bootloader] are set none of the "
                                "others can be; [bootloader %s] were all set",
                                name, name);
    }
    return VF_OK;
}

/* ---- from flags to a VM (vfkit's newVMConfiguration) -------------------- */

static vf_bootloader *bootloader_from_flags(parsed_flags *p, vf_error *err)
{
    const char *kernel = p->text[F_KERNEL], *cmdline = p->text[F_KERNEL_CMDLINE],
               *initrd = p->text[F_INITRD];
    /* vfkit looks at the values here, not at whether the flags were given. */
    if (!vf__empty(kernel) || !vf__empty(cmdline) || !vf__empty(initrd)) {
        vf_linux_bootloader *linux_bl = vf_linux_bootloader_new(kernel, cmdline, initrd);
        if (linux_bl == NULL)
            vf__error_nomem(err);
        return linux_bl ? &linux_bl->base : NULL;
    }
    /* No bootloader flag at all: vfkit's message names a --bootloader that
     * was never given. Say what is missing, then vfkit's words. */
    if (!p->changed[F_BOOTLOADER] && !p->changed[F_KERNEL] && !p->changed[F_KERNEL_CMDLINE] &&
        !p->changed[F_INITRD]) {
        vf__error(err, VF_ERR_INVALID,
                  "missing --bootloader (or --kernel, --initrd and --kernel-cmdline); vfkit "
                  "says: empty option list in --bootloader command line argument");
        vf__error_locate(err, "--bootloader");
        return NULL;
    }
    return vf__bootloader_from_items(vf__strv_finish(&p->bootloader, err), err);
}

/* --gui: vfkit adds an 800x600 GPU showing the window when there is none,
 * a keyboard when there is no input device, and at start turns the window
 * on for the first GPU. */
static int add_gui(vf_vm *vm, vf_error *err)
{
    vf_device *first_gpu = NULL;
    if (vf_vm_filter_devices(vm, VF_DEVICE_VIRTIO_GPU, &first_gpu, 1) == 0) {
        vf_virtio_gpu *gpu = vf_virtio_gpu_new();
        if (gpu == NULL)
            return vf__error_nomem(err);
        gpu->uses_gui = true;
        int rc = vf_vm_add_device(vm, &gpu->base, err);
        if (rc != VF_OK)
            return rc;
    }
    if (vf_vm_filter_devices(vm, VF_DEVICE_VIRTIO_INPUT, NULL, 0) == 0) {
        vf_virtio_input *keyboard = vf_virtio_input_new(VF_VIRTIO_INPUT_KEYBOARD, err);
        if (keyboard == NULL)
            return err->code;
        int rc = vf_vm_add_device(vm, &keyboard->base, err);
        if (rc != VF_OK)
            return rc;
    }
    vf_vm_filter_devices(vm, VF_DEVICE_VIRTIO_GPU, &first_gpu, 1);
    vf_device_as_virtio_gpu(first_gpu)->uses_gui = true;
    return VF_OK;
}

/* The launch flags the Go package leaves to its users, kept for printing.
 * vfkit refuses a --restful-uri it cannot serve before starting the VM
 * ("" included: only its default none:// starts no server). */
static int keep_launch_flags(vf_vm *vm, parsed_flags *p, vf_error *err)
{
    vf_restful_uri uri;
    if (p->changed[F_RESTFUL_URI] &&
        vf_restful_uri_parse(p->text[F_RESTFUL_URI], &uri, err) != VF_OK)
        return locate_flag(err, &flag_defs[F_RESTFUL_URI], err->code);
    if (vf__set_string(&vm->restful_uri, p->text[F_RESTFUL_URI]) != VF_OK ||
        vf__set_string(&vm->log_level, p->text[F_LOG_LEVEL]) != VF_OK ||
        vf__set_string(&vm->pidfile, p->text[F_PIDFILE]) != VF_OK)
        return vf__error_nomem(err);
    if (p->cloud_init.count != 0) {
        vm->cloud_init = vf__strv_finish(&p->cloud_init, err);
        if (vm->cloud_init == NULL)
            return VF_ERR_NOMEM;
    }
    /* generateCloudInitImage: every file opens, one is user-data or meta-data.
     * The check names the JSON key; here the flag is at fault. */
    int rc = vf__check_cloud_init_files(vm->cloud_init, err);
    if (rc != VF_OK && rc != VF_ERR_NOMEM && err != NULL &&
        strncmp(err->location, "cloudInit", 9) == 0)
        vf__error_locate(err, "--cloud-init%s", err->location + 9);
    return rc;
}

static vf_vm *vm_from_flags(parsed_flags *p, vf_error *err)
{
    if (vf__check_log_level(p->text[F_LOG_LEVEL], err) != VF_OK) {
        vf__error_locate(err, "--log-level");
        return NULL;
    }
    vf_bootloader *bl = bootloader_from_flags(p, err);
    if (bl == NULL)
        return NULL;
    vf_vm *vm = vf_vm_new(0, 0, bl);
    if (vm == NULL) {
        vf__error_nomem(err);
        return NULL;
    }
    vm->vcpus = p->changed[F_CPUS] ? p->number[F_CPUS] : 1;
    vm->memory_bytes = (p->changed[F_MEMORY] ? p->number[F_MEMORY] : 512) * VF__MIB;
    vm->nested = p->on[F_NESTED];

    int rc = vf_vm_add_timesync_from_cmdline(vm, p->text[F_TIMESYNC], err);
    if (rc == VF_OK)
        rc = vf_vm_add_devices_from_cmdline(vm, p->devices, p->n_devices, err);
    if (rc == VF_OK && p->on[F_GUI])
        rc = add_gui(vm, err);
    if (rc == VF_OK) {
        rc = vf_vm_add_ignition_from_cmdline(vm, p->text[F_IGNITION], err);
        if (rc != VF_OK) {
            vf__error_prefix(err, "failed to add ignition file");
            vf__error_locate(err, "--ignition");
        }
    }
    if (rc == VF_OK)
        rc = keep_launch_flags(vm, p, err);
    if (rc != VF_OK) {
        vf_vm_free(vm);
        return NULL;
    }
    return vm;
}

int vf__cmdline_check_sizes(const char *const *args, size_t *count, vf_error *err)
{
    size_t n = 0;
    for (; args[n] != NULL; n++) {
        size_t len = strlen(args[n]);
        if (len > VF_MAX_INPUT_BYTES) {
            vf__error(err, VF_ERR_LIMIT, "args[%zu]: %zu bytes is over the %zu-byte limit", n, len,
                      (size_t)VF_MAX_INPUT_BYTES);
            vf__error_locate(err, "args[%zu]", n);
            return VF_ERR_LIMIT;
        }
    }
    if (count != NULL)
        *count = n;
    return VF_OK;
}

vf_vm *vf_vm_from_cmdline(const char *const *args, vf_error *err)
{
    vf_error local;
    if (err == NULL)
        err = &local; /* status codes are read back from it below */
    if (args == NULL) {
        vf__error(err, VF_ERR_INVALID, "from_cmdline: NULL argument vector");
        return NULL;
    }
    size_t n_args = 0;
    if (vf__cmdline_check_sizes(args, &n_args, err) != VF_OK)
        return NULL;

    parsed_flags p;
    memset(&p, 0, sizeof p);
    vf__strv_init(&p.bootloader);
    vf__strv_init(&p.cloud_init);
    p.devices = vf__calloc(n_args ? n_args : 1, sizeof *p.devices);
    vf_vm *vm = NULL;
    int rc = p.devices ? check_not_a_vm(args, NULL, err) : vf__error_nomem(err);
    if (rc == VF_OK)
        rc = parse_args(&p, args, err);
    if (rc == VF_OK)
        rc = check_not_a_vm(args, &p, err);
    if (rc == VF_OK)
        rc = check_flag_groups(&p, err);
    if (rc == VF_OK)
        vm = vm_from_flags(&p, err);
    vf__strv_release(&p.bootloader);
    vf__strv_release(&p.cloud_init);
    vf__free(p.devices);
    return vm;
}
