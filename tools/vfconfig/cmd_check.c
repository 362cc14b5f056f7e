/*
 * vfconfig check: every problem of a JSON VM, each with where it is.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The library stops at the first problem; this command looks at each part
 * of the VM on its own (the bootloader, every device, timesync, Ignition) so
 * that one run lists them all, each with the path the library gives for
 * it (vf_error::location): "devices[3].sharedDir: ...".
 */
#include "tool.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char usage[] =
    "Usage: vfconfig check [--launcher L] [FILE|-]\n"
    "\n"
    "Reads a VM as JSON from FILE (standard input when FILE is - or absent) "
    "and\n"
    "lists every problem on standard error, one a line, with where it is:\n"
    "  vm.json: devices[3].sharedDir: ...\n"
    "Problems include what 'vfconfig args' would refuse because vfkit would\n"
    "read the command line back as a different VM (a ',' in a path, ...).\n"
    "Prints nothing for a valid VM.\n"
    "\n"
    "With --launcher L (krunkit, krunkit@1.2.1, vfkit@0.6.1), lists instead\n"
    "everything of the VM that launcher cannot run, naming the release that can.\n"
    "\n"
    "Options:\n"
    "  --launcher L  check against launcher L\n"
    "  -h, --help show this help\n"
    "\n"
    "Exit status: 0 no problem, 1 problems found or unreadable input, 2 wrong "
    "usage.\n";

typedef struct checker {
    const char *file;
    const json_t *root; /* the document as jansson reads it; NULL if it could not */
    int problems;
} checker;

/* Prints one problem: where it is (@p part, the VM's part that was read
 * alone, before the library's location within it), then the message. */
static void report(checker *c, const char *part, const vf_error *err)
{
    const char *text = err->text[0] != '\0' ? err->text : vf_status_string(err->code);
    const char *location = err->location;
    fprintf(stderr, "%s: ", c->file);
    if (part != NULL && location[0] != '\0')
        fprintf(stderr, "%s%s%s: ", part, location[0] == '[' ? "" : ".", location);
    else if (part != NULL || location[0] != '\0')
        fprintf(stderr, "%s: ", part != NULL ? part : location);
    fprintf(stderr, "%s\n", text);
    c->problems++;
}

/* The member of @p obj named @p name, matched as encoding/json does (any case;
 * the last wins). */
static json_t *member_ci(const json_t *obj, const char *name)
{
    const char *key;
    json_t *value, *found = NULL;
    if (!json_is_object(obj))
        return NULL;
    json_object_foreach((json_t *)obj, key, value)
    {
        if (strcasecmp(key, name) == 0)
            found = value;
    }
    return found;
}

static void check_device(checker *c, const vf_device *dev, size_t index)
{
    char where[48];
    snprintf(where, sizeof where, "devices[%zu]", index);
    vf_error err = {0};
    char **args = vf_device_to_cmdline(dev, &err);
    if (args == NULL)
        report(c, where, &err);
    vf_strv_free(args);
}

static void check_bootloader(checker *c, const vf_bootloader *bl)
{
    vf_error err = {0};
    char **args = vf_bootloader_to_cmdline(bl, &err);
    if (args == NULL)
        report(c, "bootloader", &err);
    vf_strv_free(args);
}

/* The VM was read: look at what each part prints, then at the whole. */
static void check_parsed_vm(checker *c, const vf_vm *vm)
{
    if (vm->bootloader != NULL)
        check_bootloader(c, vm->bootloader);
    for (size_t i = 0; i < vm->n_devices; i++)
        check_device(c, vm->devices[i], i);
    if (vm->timesync != NULL) {
        vf_error err = {0};
        char **args = vf_timesync_to_cmdline(vm->timesync, &err);
        if (args == NULL)
            report(c, "timesync", &err);
        vf_strv_free(args);
    }
    if (c->problems == 0) {
        /* What no single part shows: a missing bootloader, Ignition, launch flags. */
        vf_error err = {0};
        char **args = vf_vm_to_cmdline(vm, &err);
        if (args == NULL)
            report(c, NULL, &err);
        vf_strv_free(args);
    }
    /* Saving it again: a string that is not UTF-8 would be lost. */
    vf_error err = {0};
    char *json = vf_vm_to_json(vm, &err);
    if (json == NULL)
        report(c, NULL, &err);
    free(json);
}

/* Reads one component from its JSON text with @p parse, reporting a failure. */
static void *parse_part(checker *c, const char *where, const json_t *value,
                        void *(*parse)(const char *json, vf_error *err))
{
    vf_error err = {0};
    char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
    void *part = NULL;
    if (text == NULL) {
        err.code = VF_ERR_NOMEM;
        snprintf(err.text, sizeof err.text, "out of memory");
    } else {
        part = parse(text, &err);
    }
    free(text);
    if (part == NULL)
        report(c, where, &err);
    return part;
}

static void *parse_timesync(const char *json, vf_error *err)
{
    return vf_timesync_from_json(json, err);
}

static void *parse_ignition(const char *json, vf_error *err)
{
    return vf_ignition_from_json(json, err);
}

static const char *const part_keys[] = {"bootloader", "devices", "timesync", "ignition"};

static bool is_part_key(const char *key)
{
    for (size_t i = 0; i < sizeof part_keys / sizeof part_keys[0]; i++) {
        if (strcasecmp(key, part_keys[i]) == 0)
            return true;
    }
    return false;
}

/* The VM's own fields (vcpus, memoryBytes, nested, launch flags): the document
 * without its parts. */
static void check_top_level(checker *c)
{
    json_t *top = json_object();
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)c->root, key, value)
    {
        if (!is_part_key(key))
            json_object_set(top, key, value);
    }
    char *text = json_dumps(top, JSON_COMPACT);
    vf_error err = {0};
    vf_vm *vm = text != NULL ? vf_vm_from_json(text, &err) : NULL;
    if (vm == NULL && text != NULL)
        report(c, NULL, &err);
    vf_vm_free(vm);
    free(text);
    json_decref(top);
}

/* The VM could not be read as a whole: read each part alone to find every
 * problem. */
static void check_parts(checker *c)
{
    check_top_level(c);

    const json_t *bl_json = member_ci(c->root, "bootloader");
    if (bl_json != NULL && !json_is_null(bl_json)) {
        vf_error err = {0};
        vf_bootloader *bl = vf_bootloader_from_json_value(bl_json, &err);
        if (bl == NULL)
            report(c, "bootloader", &err);
        else
            check_bootloader(c, bl);
        vf_bootloader_free(bl);
    }

    const json_t *devices = member_ci(c->root, "devices");
    for (size_t i = 0; json_is_array(devices) && i < json_array_size(devices); i++) {
        const json_t *obj = json_array_get(devices, i);
        vf_error err = {0};
        vf_device *dev = vf_device_from_json_value(obj, &err);
        if (dev == NULL) {
            char where[48];
            snprintf(where, sizeof where, "devices[%zu]", i);
            report(c, where, &err);
        } else {
            check_device(c, dev, i);
        }
        vf_device_free(dev);
    }

    const json_t *ts_json = member_ci(c->root, "timesync");
    if (ts_json != NULL && !json_is_null(ts_json))
        vf_timesync_free(parse_part(c, "timesync", ts_json, parse_timesync));
    const json_t *ign_json = member_ci(c->root, "ignition");
    if (ign_json != NULL && !json_is_null(ign_json))
        vf_ignition_free(parse_part(c, "ignition", ign_json, parse_ignition));
}

static void report_launcher_problem(const vf_launcher_problem *problem, void *ctx)
{
    checker *c = ctx;
    vf_error err = {.code = VF_ERR_UNSUPPORTED};
    snprintf(err.text, sizeof err.text, "%s", problem->message);
    char where[48];
    snprintf(where, sizeof where, "devices[%ld]", problem->device);
    report(c, problem->device >= 0 ? where : NULL, &err);
}

/* Everything launcher cannot run, each problem on its own line. */
static void check_launcher(checker *c, const vf_vm *vm, const vf_launcher *launcher)
{
    vf_error err = {0};
    if (vf_vm_check_launcher(vm, launcher, report_launcher_problem, c, &err) < 0)
        report(c, NULL, &err);
}

int tool_cmd_check(int argc, char **argv)
{
    int first, dashdash;
    const char *launcher_text = NULL;
    const tool_flag flags[] = {{"--launcher=", &launcher_text, NULL}};
    const tool_command cmd = {"check", usage, flags, 1, true, NULL};
    int status = tool_begin(&cmd, argc, argv, &first, &dashdash);
    if (status != TOOL_CONTINUE)
        return status;
    vf_launcher storage;
    const vf_launcher *launcher;
    if ((status = tool_parse_launcher("check", launcher_text, &storage, &launcher)) != 0)
        return status;

    tool_input in;
    status = tool_read_input("check", first < argc ? argv[first] : NULL, &in);
    if (status != 0)
        return status;

    vf_error vm_err = {0};
    vf_vm *vm = vf_vm_from_json_buffer(in.data, in.len, &vm_err);
    json_t *root = json_loadb(in.data, in.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    checker c = {in.name, json_is_object(root) ? root : NULL, 0};

    if (vm != NULL && launcher != NULL)
        check_launcher(&c, vm, launcher);
    else if (vm != NULL)
        check_parsed_vm(&c, vm);
    else if (c.root != NULL)
        check_parts(&c);
    if (vm == NULL && c.problems == 0)
        report(&c, NULL, &vm_err); /* syntax, or a top-level key: the library's word */

    if (c.problems > 0) {
        fprintf(stderr, "%s: %d problem%s\n", in.name, c.problems, c.problems == 1 ? "" : "s");
        status = TOOL_EXIT_INVALID;
    }
    json_decref(root);
    vf_vm_free(vm);
    tool_input_release(&in);
    return status;
}
