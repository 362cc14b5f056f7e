/*
 * libvfconfig - the length limit of a unix socket path (sockpath.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_UTIL_SOCKPATH_H
#define VFCONFIG_UTIL_SOCKPATH_H

#include "vfconfig/common.h"
#include "vfconfig/rest.h"

/* The longest unix socket path vfkit can listen on or connect to, in
 * bytes: macOS's sun_path holds 104 bytes, the NUL included. The one limit
 * of every socket path the library checks: the devices' (virtio-net
 * unixSocketPath, virtio-vsock socketURL), the host's sockets of
 * src/lifecycle/ and the REST URI's, whose public name it is. */
#define VF__UNIX_PATH_MAX VF_RESTFUL_UNIX_PATH_MAX

/* 0 when path (NULL reads as "") fits VF__UNIX_PATH_MAX; else
 * VF_ERR_LIMIT with the message "<what>: <name> is N bytes, over the limit
 * of 103 bytes of a unix socket path (macOS's sun_path): \"<path>\"" and
 * the location set to location (a path, "" for none). */
int vf__check_unix_path(const char *path, const char *what, const char *name, const char *location,
                        vf_error *err);

#endif /* VFCONFIG_UTIL_SOCKPATH_H */
