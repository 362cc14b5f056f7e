/*
 * libvfconfig - whole vfkit command lines (write.c, read.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_CMDLINE_CMDLINE_H
#define VFCONFIG_CMDLINE_CMDLINE_H

#include <stdbool.h>

#include "vfconfig/vfconfig.h"

/* vf_vm_to_cmdline with virtio-net sockets numbered for the child: the i-th
 * socket-backed virtio-net prints fd=3+i when number_fds_for_child. */
char **vf__vm_to_cmdline(const vf_vm *vm, bool number_fds_for_child, vf_error *err);

#endif /* VFCONFIG_CMDLINE_CMDLINE_H */
