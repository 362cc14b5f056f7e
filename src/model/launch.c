/*
 * libvfconfig - vfkit's launch flags on a VM: --log-level, --restful-uri,
 * --pidfile and --cloud-init (docs/design.md, difference 7), with the
 * checks vfkit makes before it starts a VM (cmd/vfkit: getLogLevel,
 * rest.NewServer, generateCloudInitImage).
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "vfconfig/vfconfig.h"
#include "model/launch.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"
#include "vfconfig/rest.h"

int vf__check_log_level(const char *level, vf_error *err)
{
    static const char *const levels[] = {"error", "info", "debug"};
    char shown[96];
    if (vf__empty(level))
        return VF_OK;
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (strcmp(level, levels[i]) == 0)
            return VF_OK;
    return vf__error(err, VF_ERR_INVALID,
                     "'logLevel': unknown log level (vfkit knows error, info and debug): \"%s\"",
                     vf__quote_for_message(level, shown, sizeof shown));
}

int vf__check_restful_uri(const char *uri, vf_error *err)
{
    vf_restful_uri parsed;
    if (vf__empty(uri))
        return VF_OK;
    int rc = vf_restful_uri_parse(uri, &parsed, err);
    if (rc != VF_OK) {
        vf__error_prefix(err, "'restfulURI'");
        vf__error_locate(err, "restfulURI");
    }
    return rc;
}

/* filepath.Base: the last element, trailing slashes removed. */
static void base_name(const char *path, const char **start, size_t *len)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t from = n;
    while (from > 0 && path[from - 1] != '/')
        from--;
    *start = path + from;
    *len = n - from;
}

static bool names_config_file(const char *path)
{
    const char *base;
    size_t len;
    base_name(path, &base, &len);
    return (len == 9 && memcmp(base, "user-data", 9) == 0) ||
           (len == 9 && memcmp(base, "meta-data", 9) == 0);
}

int vf__check_cloud_init_names(char *const *files, vf_error *err)
{
    if (files == NULL || files[0] == NULL)
        return VF_OK;
    for (size_t i = 0; files[i] != NULL; i++)
        if (files[i][0] != '\0' && names_config_file(files[i]))
            return VF_OK;
    char shown[96];
    return vf__error_at(err, VF_ERR_INVALID, "cloudInit",
                        "'cloudInit': vfkit needs a file named user-data or meta-data among the "
                        "%zu given, first \"%s\"",
                        vf_strv_length(files),
                        vf__quote_for_message(files[0], shown, sizeof shown));
}

int vf__check_cloud_init_files(char *const *files, vf_error *err)
{
    for (size_t i = 0; files != NULL && files[i] != NULL; i++) {
        if (files[i][0] == '\0')
            continue; /* vfkit skips an empty item */
        /* Non-blocking, so a FIFO given as a file does not hang the caller. */
        int fd = open(files[i], O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
            char shown[96], why[96];
            vf__error(err, VF_ERR_IO, "'cloudInit': cannot open \"%s\": %s",
                      vf__quote_for_message(files[i], shown, sizeof shown),
                      vf__errno_text(errno, why, sizeof why));
            vf__error_locate(err, "cloudInit[%zu]", i);
            return VF_ERR_IO;
        }
        close(fd);
    }
    return vf__check_cloud_init_names(files, err);
}

int vf__check_launch_flags(const vf_vm *vm, vf_error *err)
{
    int rc = vf__check_log_level(vm->log_level, err);
    if (rc == VF_OK)
        rc = vf__check_restful_uri(vm->restful_uri, err);
    if (rc == VF_OK)
        rc = vf__check_cloud_init_names(vm->cloud_init, err);
    return rc;
}

/* ---- the setters ---- */

static int set_checked(vf_vm *vm, char **slot, const char *value,
                       int (*check)(const char *, vf_error *), vf_error *err)
{
    if (vm == NULL)
        return vf__error(err, VF_ERR_INVALID, "no VM given");
    int rc = check != NULL ? check(value, err) : VF_OK;
    if (rc != VF_OK)
        return rc;
    if (vf__set_string(slot, value) != VF_OK)
        return vf__error_nomem(err);
    return VF_OK;
}

int vf_vm_set_log_level(vf_vm *vm, const char *level, vf_error *err)
{
    return set_checked(vm, vm ? &vm->log_level : NULL, level, vf__check_log_level, err);
}

int vf_vm_set_restful_uri(vf_vm *vm, const char *uri, vf_error *err)
{
    return set_checked(vm, vm ? &vm->restful_uri : NULL, uri, vf__check_restful_uri, err);
}

int vf_vm_set_pidfile(vf_vm *vm, const char *path, vf_error *err)
{
    return set_checked(vm, vm ? &vm->pidfile : NULL, path, NULL, err);
}

int vf_vm_set_cloud_init(vf_vm *vm, const char *const *files, vf_error *err)
{
    if (vm == NULL)
        return vf__error(err, VF_ERR_INVALID, "no VM given");
    char **copy = NULL;
    if (files != NULL && files[0] != NULL) {
        vf__strv_builder sb;
        vf__strv_init(&sb);
        vf__strv_add_all(&sb, (char *const *)files);
        copy = vf__strv_finish(&sb, err);
        if (copy == NULL)
            return VF_ERR_NOMEM;
    }
    int rc = vf__check_cloud_init_names(copy, err);
    if (rc != VF_OK) {
        vf_strv_free(copy);
        return rc;
    }
    vf_strv_free(vm->cloud_init);
    vm->cloud_init = copy;
    return VF_OK;
}
