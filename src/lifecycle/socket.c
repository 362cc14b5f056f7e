/*
 * libvfconfig - the unix sockets the host listens on for the guest (the
 * ready signal, Ignition), created before vfkit starts.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "vfconfig/vfconfig.h"
#include "lifecycle/lifecycle.h"
#include "spawn/platform.h"
#include "util/error.h"
#include "util/sockpath.h"
#include "util/str.h"

/* True when something accepts connections on path: a socket in use, which
 * must not be taken from its owner (another VM's ready socket). */
static bool in_use(const struct sockaddr_un *addr)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    bool used = connect(fd, (const struct sockaddr *)addr, sizeof *addr) == 0;
    close(fd);
    return used;
}

static int set_flags(int fd)
{
    int fd_flags = fcntl(fd, F_GETFD);
    int fl_flags = fcntl(fd, F_GETFL);
    if (fd_flags < 0 || fl_flags < 0 || fcntl(fd, F_SETFD, fd_flags | FD_CLOEXEC) != 0 ||
        fcntl(fd, F_SETFL, fl_flags | O_NONBLOCK) != 0)
        return -1;
    return vf__platform_socket_nosigpipe(fd);
}

int vf__unix_listen(const char *path, const char *what, vf_error *err)
{
    char quoted[128], text[128];
    if (vf__empty(path))
        return vf__error(err, VF_ERR_INVALID, "%s: the socket path is empty", what);
    size_t len = strlen(path);
    struct sockaddr_un addr;
    /* vfkit runs on macOS, whose sun_path is the shortest. */
    _Static_assert(VF__UNIX_PATH_MAX < sizeof addr.sun_path, "sun_path holds the limit");
    int rc = vf__check_unix_path(path, what, "the socket path", "", err);
    if (rc != VF_OK)
        return rc;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, path, len + 1);

    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return vf__error(err, VF_ERR_INVALID,
                             "%s: \"%s\" exists and is not a socket: not removed", what,
                             vf__quote_for_message(path, quoted, sizeof quoted));
        if (in_use(&addr))
            return vf__error(err, VF_ERR_INVALID,
                             "%s: \"%s\" is in use by a running program: not removed", what,
                             vf__quote_for_message(path, quoted, sizeof quoted));
        if (unlink(path) != 0 && errno != ENOENT)
            return vf__error(err, VF_ERR_SYSTEM, "%s: cannot remove the stale socket \"%s\": %s",
                             what, vf__quote_for_message(path, quoted, sizeof quoted),
                             vf__errno_text(errno, text, sizeof text));
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    const char *call = "socket";
    if (fd >= 0) {
        call = "fcntl";
        if (set_flags(fd) == 0) {
            call = "bind";
            if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
                call = "listen";
                if (listen(fd, 8) == 0)
                    return fd;
                unlink(path);
            }
        }
    }
    int e = errno;
    if (fd >= 0)
        close(fd);
    return vf__error(err, VF_ERR_SYSTEM, "%s: %s(\"%s\"): %s", what, call,
                     vf__quote_for_message(path, quoted, sizeof quoted),
                     vf__errno_text(e, text, sizeof text));
}
