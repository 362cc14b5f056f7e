/*
 * vfbench - the operations a VM manager repeats on every start, list and
 * inspect, each one call plus freeing what it returned.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFBENCH_OPS_H
#define VFBENCH_OPS_H

#include <stddef.h>
#include <sys/types.h>

#include <vfconfig/vfconfig.h>

/* A VM of n devices and what the operations read. */
typedef struct bench_config {
    const char **values; /* the n --device values */
    size_t n;
    vf_vm *vm;  /* built from values */
    char *json; /* vf_vm_to_json(vm) */
    size_t json_len;
    vf_error err; /* why an operation failed */
} bench_config;

/* 0, or -1 with the reason in c->err. Release with bench_config_release. */
int bench_config_init(bench_config *c, size_t n);
void bench_config_release(bench_config *c);

int bench_op_parse(void *ctx);      /* new VM, vf_vm_add_devices_from_cmdline, free */
int bench_op_to_cmdline(void *ctx); /* vf_vm_to_cmdline, vf_strv_free */
int bench_op_to_json(void *ctx);    /* vf_vm_to_json, free */
int bench_op_from_json(void *ctx);  /* vf_vm_from_json, vf_vm_free */
int bench_op_vm_cmd(void *ctx);     /* vf_vm_cmd, vf_cmd_free */
/* What virtio-blk's image check costs the kernel: open, read 4 bytes, close.
 * No library call; the floor under bench_op_parse. */
int bench_op_image_check_floor(void *ctx);

/* A VM whose virtio-net devices use socketpair()s, started as /bin/true. */
typedef struct bench_spawn {
    vf_vm *vm;
    int (*sockets)[2];
    size_t n_sockets;
    char **bare_argv; /* the same argv, for a bare posix_spawn */
    vf_error err;
} bench_spawn;

/* The podman VM plus n_sockets socket-backed virtio-net devices
 * (with_podman_devices) or EFI plus those devices alone. */
int bench_spawn_init(bench_spawn *s, size_t n_sockets, bool with_podman_devices);
void bench_spawn_release(bench_spawn *s);

int bench_op_spawn(void *ctx);      /* vf_vm_cmd, vf_cmd_spawn, vf_cmd_free, waitpid */
int bench_op_bare_spawn(void *ctx); /* posix_spawn of the same argv, waitpid */

#endif
