/*
 * libvfconfig - vf_vm_cmd: vfkit's argv and the descriptors it inherits.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The i-th virtio-net device that has a socket is listed as fds[i] and
 * printed as fd=3+i: the number vf_cmd_spawn() gives it in vfkit, whatever
 * its number in the caller.
 */
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "cmdline/cmdline.h"
#include "launcher/launcher.h"
#include "model/device_ops.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fd.h"
#include "util/str.h"

static const vf_virtio_net *socket_net(const vf_device *dev)
{
    if (dev == NULL || dev->kind != VF_DEVICE_VIRTIO_NET)
        return NULL;
    const vf_virtio_net *net = VF__DEVICE_AS_CONST(vf_virtio_net, dev);
    return net->socket_fd >= 0 ? net : NULL;
}

/* The sockets in device order, each checked now to be an open datagram
 * socket: a closed number would give vfkit no network or someone else's
 * descriptor, and a file or a stream socket is not an Ethernet link. */
static int collect_fds(const vf_vm *vm, vf_cmd *cmd, vf_error *err)
{
    size_t n = 0;
    for (size_t d = 0; d < vm->n_devices; d++)
        if (socket_net(vm->devices[d]) != NULL)
            n++;
    if (n == 0)
        return 0;
    cmd->fds = vf__calloc(n, sizeof *cmd->fds);
    if (cmd->fds == NULL)
        return vf__error_nomem(err);
    for (size_t d = 0; d < vm->n_devices; d++) {
        const vf_virtio_net *net = socket_net(vm->devices[d]);
        if (net == NULL)
            continue;
        char why[128];
        if (vf__fd_not_datagram(net->socket_fd, why, sizeof why) != NULL) {
            vf__error(err, VF_ERR_INVALID,
                      "virtio-net (device %zu): invalid value for 'fd': %d is %s", d,
                      net->socket_fd, why);
            vf__error_locate(err, "devices[%zu].fd", d);
            return VF_ERR_INVALID;
        }
        cmd->fds[cmd->n_fds++] = net->socket_fd;
    }
    return 0;
}

/*
 * args with the program in front, in one allocation. vf_strv_free() frees
 * a vector with one free(), so all the strings of args lie in that one
 * block: the bytes from the lowest string to the end of the highest hold
 * every one of them, whatever their order, and one memcpy copies them;
 * each pointer keeps its offset.
 */
static char **with_program(char *const *args, const char *path, vf_error *err)
{
    size_t n = 0;
    const char *low = args[0], *high = args[0];
    for (; args[n] != NULL; n++) {
        if (args[n] < low)
            low = args[n];
        if (args[n] > high)
            high = args[n];
    }
    size_t span = n > 0 ? (size_t)(high - low) + strlen(high) + 1 : 0;
    size_t path_size = strlen(path) + 1;
    size_t pointers = (n + 2) * sizeof(char *);
    char **argv = vf__malloc(pointers + path_size + span);
    if (argv == NULL) {
        vf__error_nomem(err);
        return NULL;
    }
    char *bytes = (char *)argv + pointers;
    memcpy(bytes, path, path_size);
    argv[0] = bytes;
    char *strings = bytes + path_size;
    if (span > 0)
        memcpy(strings, low, span);
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = strings + (args[i] - low);
    argv[n + 1] = NULL;
    return argv;
}

static int build_argv(const vf_vm *vm, const vf_launcher *launcher, const char *vfkit_path,
                      vf_cmd *cmd, vf_error *err)
{
    vf_error why = {0};
    char **args = launcher == NULL ? vf__vm_to_cmdline(vm, true, &why)
                                   : vf__vm_to_cmdline_for(vm, launcher, true, &why);
    if (args == NULL) {
        if (err != NULL)
            *err = why;
        return why.code != 0 ? why.code : VF_ERR_INVALID;
    }
    cmd->argv = with_program(args, vfkit_path, err);
    vf_strv_free(args);
    return cmd->argv != NULL ? 0 : VF_ERR_NOMEM;
}

/* vf_vm_cmd_for; launcher NULL is vf_vm_cmd (the newest vfkit, unchecked). */
static int vm_cmd(const vf_vm *vm, const vf_launcher *launcher, const char *vfkit_path,
                  vf_cmd **out, vf_error *err)
{
    if (out == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_vm_cmd: out is NULL");
    *out = NULL;
    if (vm == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_vm_cmd: vm is NULL");
    if (vf__empty(vfkit_path))
        return vf__error(err, VF_ERR_INVALID, "vf_vm_cmd: the vfkit path is empty");

    vf_cmd *cmd = vf__calloc(1, sizeof *cmd);
    if (cmd == NULL)
        return vf__error_nomem(err);
    int rc = build_argv(vm, launcher, vfkit_path, cmd, err);
    if (rc == 0)
        rc = collect_fds(vm, cmd, err);
    if (rc != 0) {
        vf_cmd_free(cmd);
        return rc;
    }
    *out = cmd;
    return 0;
}

int vf_vm_cmd(const vf_vm *vm, const char *vfkit_path, vf_cmd **out, vf_error *err)
{
    return vm_cmd(vm, NULL, vfkit_path, out, err);
}

int vf_vm_cmd_for(const vf_vm *vm, const vf_launcher *launcher, const char *path, vf_cmd **out,
                  vf_error *err)
{
    vf_launcher newest;
    if (launcher == NULL && vf_launcher_newest(VF_LAUNCHER_VFKIT, &newest) == VF_OK)
        launcher = &newest;
    return vm_cmd(vm, launcher, path, out, err);
}

int vf_cmd_append_arg(vf_cmd *cmd, const char *arg, vf_error *err)
{
    if (cmd == NULL || cmd->argv == NULL || arg == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_cmd_append_arg: %s",
                         arg == NULL ? "the argument is NULL" : "no command");
    return vf__strv_append(&cmd->argv, arg, err);
}

void vf_cmd_free(vf_cmd *cmd)
{
    if (cmd == NULL)
        return;
    vf_strv_free(cmd->argv);
    vf__free(cmd->fds);
    vf__free(cmd);
}
