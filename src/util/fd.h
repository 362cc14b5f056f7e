/*
 * libvfconfig - what kind of descriptor a number names (fd.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_UTIL_FD_H
#define VFCONFIG_UTIL_FD_H

#include <stddef.h>

/* NULL when fd is an open datagram socket, as virtio-net needs (one
 * Ethernet frame per datagram); else what fd is instead, written into
 * buf: "not an open descriptor", "a regular file", "a stream socket"... */
const char *vf__fd_not_datagram(int fd, char *buf, size_t size);

#endif /* VFCONFIG_UTIL_FD_H */
