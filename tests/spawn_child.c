/*
 * libvfconfig - the program test_spawn starts in vfkit's place.
 * SPDX-License-Identifier: Apache-2.0
 *
 * It checks what it inherited and exits 0 when everything holds, else
 * prints each failure on stderr and exits 1. What it expects comes from
 * its environment:
 *   VF_CHILD_NFDS    n: exactly descriptors 0 to 2+n are open; fd 3+i is
 *                    a socket, and the i-th `virtio-net,fd=` of argv says
 *                    fd=3+i. On fd 3+i it sends "device i fd 3+i", which the
 *                    parent expects from the peer of its i-th socket.
 *   VF_CHILD_PGRP    1: leads its own process group; 0: does not.
 *   VF_CHILD_STDIN   "empty": stdin reads end-of-file at once.
 *   VF_CHILD_STDOUT  text written on stdout.
 *   VF_CHILD_SIGDFL  1: SIGTERM, SIGINT, SIGHUP, SIGPIPE and SIGUSR1 are at
 *                    their default action (the parent ignores them).
 * The signal mask must be empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("spawn_child: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}

static long env_number(const char *name, long fallback)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return fallback;
    char *end;
    long n = strtol(v, &end, 10);
    return *end == '\0' ? n : fallback;
}

static int highest_descriptor_to_probe(void)
{
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > (1L << 20))
        max = 1L << 20;
    return (int)max;
}

/* Exactly 0 .. 2+n open; 3+i are sockets. */
static void check_descriptors(long n)
{
    int max = highest_descriptor_to_probe();
    for (int fd = 0; fd < max; fd++) {
        bool open = fcntl(fd, F_GETFD) != -1;
        bool expected = fd < 3 + n;
        if (open != expected)
            fail("descriptor %d is %s", fd, open ? "open" : "closed");
        if (open && fd >= 3) {
            struct stat st;
            if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
                fail("descriptor %d is not a socket", fd);
        }
    }
}

/* The fd= of each `virtio-net` device that has one, in argv order. */
static void check_argv_and_send(int argc, char **argv, long n)
{
    long seen = 0;
    for (int a = 1; a + 1 < argc; a++) {
        if (strcmp(argv[a], "--device") != 0 || strncmp(argv[a + 1], "virtio-net,", 11) != 0)
            continue;
        const char *fd_opt = strstr(argv[a + 1], ",fd=");
        if (fd_opt == NULL)
            continue;
        long fd = strtol(fd_opt + 4, NULL, 10);
        if (fd != 3 + seen)
            fail("device %ld: argv says fd=%ld, expected fd=%ld", seen, fd, 3 + seen);
        char message[64];
        int len = snprintf(message, sizeof message, "device %ld fd %ld", seen, fd);
        if (fd >= 0 && fd <= INT_MAX && send((int)fd, message, (size_t)len, 0) != len)
            fail("device %ld: send on fd %ld: %s", seen, fd, strerror(errno));
        seen++;
    }
    if (seen != n)
        fail("argv has %ld virtio-net fd= devices, expected %ld", seen, n);
}

static void check_process_group(void)
{
    long want = env_number("VF_CHILD_PGRP", -1);
    if (want == 1 && getpgrp() != getpid())
        fail("not the leader of a new process group");
    if (want == 0 && getpgrp() == getpid())
        fail("in a new process group, none was asked for");
}

static void check_stdio(void)
{
    const char *in = getenv("VF_CHILD_STDIN");
    if (in != NULL && strcmp(in, "empty") == 0) {
        char byte;
        ssize_t got = read(0, &byte, 1);
        if (got != 0)
            fail("stdin is not empty (read returned %zd)", got);
    }
    const char *out = getenv("VF_CHILD_STDOUT");
    if (out != NULL) {
        size_t len = strlen(out);
        if (write(1, out, len) != (ssize_t)len)
            fail("write on stdout: %s", strerror(errno));
    }
}

static void check_signal_mask(void)
{
    sigset_t mask;
    sigprocmask(SIG_SETMASK, NULL, &mask);
    if (sigismember(&mask, SIGUSR1) || sigismember(&mask, SIGTERM))
        fail("signals are blocked");
}

static void check_signal_actions(void)
{
    if (env_number("VF_CHILD_SIGDFL", 0) != 1)
        return;
    const int signals[] = {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGUSR1};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction sa;
        if (sigaction(signals[i], NULL, &sa) != 0 || sa.sa_handler != SIG_DFL)
            fail("signal %d is not at its default action", signals[i]);
    }
}

int main(int argc, char **argv)
{
    long n = env_number("VF_CHILD_NFDS", 0);
    check_descriptors(n); /* first, before anything could open one */
    check_argv_and_send(argc, argv, n);
    check_process_group();
    check_stdio();
    check_signal_mask();
    check_signal_actions();
    return failures == 0 ? 0 : 1;
}
