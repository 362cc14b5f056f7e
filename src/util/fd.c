/*
 * libvfconfig - what kind of file a descriptor or a mode names.
 * SPDX-License-Identifier: Apache-2.0
 *
 * POSIX only (fstat, getsockopt SO_TYPE), so no platform difference.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "util/error.h"
#include "util/fd.h"

const char *vf__file_kind(mode_t mode)
{
    if (S_ISREG(mode))
        return "a regular file";
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISFIFO(mode))
        return "a pipe or FIFO";
    if (S_ISSOCK(mode))
        return "a socket";
    return "a file of another type";
}

const char *vf__fd_not_datagram(int fd, char *buf, size_t size)
{
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(buf, size, "not an open descriptor");
        return buf;
    }
    if (!S_ISSOCK(st.st_mode)) {
        snprintf(buf, size, "%s, not a socket", vf__file_kind(st.st_mode));
        return buf;
    }
    int type = 0;
    socklen_t len = sizeof type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0) {
        char reason[96];
        snprintf(buf, size, "a socket whose type cannot be read: %s",
                 vf__errno_text(errno, reason, sizeof reason));
        return buf;
    }
    if (type == SOCK_DGRAM)
        return NULL;
    snprintf(buf, size, "%s, not a datagram socket",
             type == SOCK_STREAM      ? "a stream socket"
             : type == SOCK_SEQPACKET ? "a seqpacket socket"
                                      : "a socket of another type");
    return buf;
}
