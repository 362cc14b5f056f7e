/*
 * libvfconfig - what kind of file a descriptor or a mode names (fd.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_UTIL_FD_H
#define VFCONFIG_UTIL_FD_H

#include <stddef.h>
#include <sys/types.h>

/* What a file of st_mode @p mode is, for messages: "a regular file",
 * "a directory", "a pipe or FIFO", "a character device"... */
const char *vf__file_kind(mode_t mode);

/* NULL when fd is an open datagram socket, as virtio-net needs (one
 * Ethernet frame per datagram); else what fd is instead, written into
 * buf: "not an open descriptor", "a regular file", "a stream socket"... */
const char *vf__fd_not_datagram(int fd, char *buf, size_t size);

#endif /* VFCONFIG_UTIL_FD_H */
