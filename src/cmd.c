/*
 * libvfconfig - vf_vm_cmd: vfkit's argv and the descriptors it inherits.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The i-th virtio-net device that has a socket is listed as fds[i] and
 * printed as fd=3+i: the number vf_cmd_spawn() gives it in vfkit, whatever
 * its number in the caller.
 */
#include "internal.h"

static const vf_virtio_net *socket_net(const vf_device *dev)
{
    /* The checked cast reads the device only; it takes no const. */
    const vf_virtio_net *net = vf_device_as_virtio_net((vf_device *)dev);
    return net != NULL && net->socket_fd >= 0 ? net : NULL;
}

/* The sockets in device order, each checked to be open now: a closed one
 * would give vfkit no network, or someone else's descriptor. */
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
        if (!vf__fd_is_open(net->socket_fd))
            return vf__error(err, VF_ERR_INVALID,
                             "virtio-net (device %zu): invalid value for 'fd': %d is not an open "
                             "descriptor", d, net->socket_fd);
        cmd->fds[cmd->n_fds++] = net->socket_fd;
    }
    return 0;
}

static int build_argv(const vf_vm *vm, const char *vfkit_path, vf_cmd *cmd, vf_error *err)
{
    vf_error why = {0, ""};
    char **args = vf__vm_to_cmdline(vm, true, &why);
    if (args == NULL) {
        if (err != NULL)
            *err = why;
        return why.code != 0 ? why.code : VF_ERR_INVALID;
    }
    vf_strv_builder sb;
    vf__strv_init(&sb);
    vf__strv_add(&sb, vfkit_path);
    vf__strv_add_all(&sb, args);
    vf_strv_free(args);
    cmd->argv = vf__strv_finish(&sb, err);
    return cmd->argv != NULL ? 0 : VF_ERR_NOMEM;
}

int vf_vm_cmd(const vf_vm *vm, const char *vfkit_path, vf_cmd **out, vf_error *err)
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
    int rc = build_argv(vm, vfkit_path, cmd, err);
    if (rc == 0)
        rc = collect_fds(vm, cmd, err);
    if (rc != 0) {
        vf_cmd_free(cmd);
        return rc;
    }
    *out = cmd;
    return 0;
}

void vf_cmd_free(vf_cmd *cmd)
{
    if (cmd == NULL)
        return;
    vf_strv_free(cmd->argv);
    vf__free(cmd->fds);
    vf__free(cmd);
}
