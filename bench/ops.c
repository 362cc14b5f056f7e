/*
 * vfbench - the operations a VM manager repeats on every start, list and
 * inspect, each one call plus freeing what it returned.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "ops.h"

extern char **environ;

#define CHILD_PATH "/bin/true"

static int fail(vf_error *err, const char *what, int errnum)
{
    err->code = VF_ERR_SYSTEM;
    snprintf(err->text, sizeof err->text, "%s: %s", what, strerror(errnum));
    return -1;
}

int bench_config_init(bench_config *c, size_t n)
{
    memset(c, 0, sizeof *c);
    c->n = n;
    c->values = bench_device_values(n);
    if (c->values == NULL)
        return fail(&c->err, "device values", ENOMEM);
    c->vm = bench_new_vm(c->values, n, &c->err);
    if (c->vm == NULL)
        return -1;
    c->json = vf_vm_to_json(c->vm, &c->err);
    if (c->json == NULL)
        return -1;
    c->json_len = strlen(c->json);
    return 0;
}

void bench_config_release(bench_config *c)
{
    free(c->json);
    vf_vm_free(c->vm);
    free(c->values);
    c->json = NULL;
    c->vm = NULL;
    c->values = NULL;
}

int bench_op_parse(void *ctx)
{
    bench_config *c = ctx;
    vf_vm *vm = vf_vm_new(BENCH_VCPUS, BENCH_MEMORY_MIB, NULL);
    if (vm == NULL)
        return fail(&c->err, "vf_vm_new", ENOMEM);
    int rc = vf_vm_add_devices_from_cmdline(vm, c->values, c->n, &c->err);
    vf_vm_free(vm);
    return rc == 0 ? 0 : -1;
}

int bench_op_to_cmdline(void *ctx)
{
    bench_config *c = ctx;
    char **argv = vf_vm_to_cmdline(c->vm, &c->err);
    if (argv == NULL)
        return -1;
    vf_strv_free(argv);
    return 0;
}

int bench_op_to_json(void *ctx)
{
    bench_config *c = ctx;
    char *json = vf_vm_to_json(c->vm, &c->err);
    if (json == NULL)
        return -1;
    free(json);
    return 0;
}

int bench_op_from_json(void *ctx)
{
    bench_config *c = ctx;
    vf_vm *vm = vf_vm_from_json(c->json, &c->err);
    if (vm == NULL)
        return -1;
    vf_vm_free(vm);
    return 0;
}

int bench_op_vm_cmd(void *ctx)
{
    bench_config *c = ctx;
    vf_cmd *cmd = NULL;
    if (vf_vm_cmd(c->vm, "/usr/local/bin/vfkit", &cmd, &c->err) != 0)
        return -1;
    vf_cmd_free(cmd);
    return 0;
}

int bench_op_image_check_floor(void *ctx)
{
    bench_config *c = ctx;
    char header[4];
    int fd = open("disk.img", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(&c->err, "disk.img", errno);
    ssize_t n = read(fd, header, sizeof header);
    int read_errno = errno;
    close(fd);
    return n == (ssize_t)sizeof header ? 0 : fail(&c->err, "reading disk.img", read_errno);
}

static int add_socket_net(bench_spawn *s, int fd)
{
    vf_virtio_net *net = vf_virtio_net_new(NULL, &s->err);
    if (net == NULL)
        return -1;
    vf_virtio_net_set_socket(net, fd);
    return vf_vm_add_device(s->vm, &net->base, &s->err) == 0 ? 0 : -1;
}

int bench_spawn_init(bench_spawn *s, size_t n_sockets, bool with_podman_devices)
{
    memset(s, 0, sizeof *s);
    s->vm =
        bench_new_vm(bench_podman_devices, with_podman_devices ? BENCH_PODMAN_DEVICES : 0, &s->err);
    if (s->vm == NULL)
        return -1;
    s->sockets = calloc(n_sockets ? n_sockets : 1, sizeof *s->sockets);
    if (s->sockets == NULL)
        return fail(&s->err, "sockets", ENOMEM);
    for (size_t i = 0; i < n_sockets; i++) {
        if (socketpair(AF_UNIX, SOCK_DGRAM, 0, s->sockets[i]) != 0)
            return fail(&s->err, "socketpair", errno);
        s->n_sockets++;
        if (add_socket_net(s, s->sockets[i][0]) != 0)
            return -1;
    }
    vf_cmd *cmd = NULL;
    if (vf_vm_cmd(s->vm, CHILD_PATH, &cmd, &s->err) != 0)
        return -1;
    /* Keep the argv, hand back the rest of the command. */
    s->bare_argv = cmd->argv;
    cmd->argv = NULL;
    vf_cmd_free(cmd);
    return 0;
}

void bench_spawn_release(bench_spawn *s)
{
    vf_strv_free(s->bare_argv);
    vf_vm_free(s->vm);
    for (size_t i = 0; i < s->n_sockets; i++) {
        close(s->sockets[i][0]);
        close(s->sockets[i][1]);
    }
    free(s->sockets);
    memset(s, 0, sizeof *s);
}

static int wait_for_true(vf_error *err, pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return fail(err, "waitpid", errno);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        err->code = VF_ERR_SYSTEM;
        snprintf(err->text, sizeof err->text, CHILD_PATH " did not exit with 0 (status %d)",
                 status);
        return -1;
    }
    return 0;
}

int bench_op_spawn(void *ctx)
{
    bench_spawn *s = ctx;
    vf_cmd *cmd = NULL;
    if (vf_vm_cmd(s->vm, CHILD_PATH, &cmd, &s->err) != 0)
        return -1;
    pid_t pid;
    int rc = vf_cmd_spawn(cmd, NULL, &pid, &s->err);
    vf_cmd_free(cmd);
    return rc == 0 ? wait_for_true(&s->err, pid) : -1;
}

int bench_op_bare_spawn(void *ctx)
{
    bench_spawn *s = ctx;
    pid_t pid;
    int rc = posix_spawn(&pid, CHILD_PATH, NULL, NULL, s->bare_argv, environ);
    if (rc != 0)
        return fail(&s->err, "posix_spawn", rc);
    return wait_for_true(&s->err, pid);
}
