/*
 * libvfconfig - whole vfkit command lines (write.c, read.c), and the size
 * check krunkit's reader shares.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_CMDLINE_CMDLINE_H
#define VFCONFIG_CMDLINE_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "vfconfig/vfconfig.h"

/* vf_vm_to_cmdline with virtio-net sockets numbered for the child: the i-th
 * socket-backed virtio-net prints fd=3+i when number_fds_for_child. */
char **vf__vm_to_cmdline(const vf_vm *vm, bool number_fds_for_child, vf_error *err);

/* Refuses an argument over VF_MAX_INPUT_BYTES with VF_ERR_LIMIT, located
 * at its index ("args[2]"); otherwise stores the number of arguments in
 * *count (count may be NULL). Both readers of a whole command line call it
 * first. */
int vf__cmdline_check_sizes(const char *const *args, size_t *count, vf_error *err);

#endif /* VFCONFIG_CMDLINE_CMDLINE_H */
