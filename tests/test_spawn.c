/*
 * libvfconfig - vf_vm_cmd and vf_cmd_spawn: vfkit's argv, and a real child
 * (tests/spawn_child.c) that checks which descriptors it received.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The parent's sockets are placed on shuffled numbers (9, 5, 3; 4 and 3
 * swapped) among decoys; the child must find the i-th device's socket on
 * 3+i, say so in its argv, and have nothing else open. Expected argv come
 * from the reference's vectors (tests/conformance: vmjson-1001-1323) and
 * its virtio-net format (`virtio-net,fd=N[,mac=...]`).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "vfconfig/vfconfig.h"
#include "spawn/platform.h"

#if !defined(VF_SPAWN_CHILD_PATH) || !defined(VF_SPAWN_STATIC_CHILD_PATH) || \
    !defined(VF_EXPECT_CLOSEFROM)
#error \
    "tests/spawn.cmake passes VF_SPAWN_CHILD_PATH, VF_SPAWN_STATIC_CHILD_PATH and VF_EXPECT_CLOSEFROM"
#endif

/* The descriptor numbers the tests place things on, and look at. */
#define PROBED_FDS 64
#define FIRST_HIGH_FD 32 /* peers and pipe ends the child must not see */

typedef struct fd_snapshot {
    bool open[PROBED_FDS];
    int flags[PROBED_FDS];
} fd_snapshot;

static void take_snapshot(fd_snapshot *s)
{
    for (int fd = 0; fd < PROBED_FDS; fd++) {
        s->flags[fd] = fcntl(fd, F_GETFD);
        s->open[fd] = s->flags[fd] != -1;
    }
}

static void assert_same_fds(const fd_snapshot *before)
{
    fd_snapshot now;
    take_snapshot(&now);
    for (int fd = 0; fd < PROBED_FDS; fd++) {
        if (now.open[fd] != before->open[fd] || now.flags[fd] != before->flags[fd])
            fail_msg("descriptor %d changed: was %s (flags %d), is %s (flags %d)", fd,
                     before->open[fd] ? "open" : "closed", before->flags[fd],
                     now.open[fd] ? "open" : "closed", now.flags[fd]);
    }
}

static void assert_no_child_left(void)
{
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

static void assert_free(int fd)
{
    if (fcntl(fd, F_GETFD) != -1)
        fail_msg("descriptor %d is already open in the test process", fd);
}

/* Moves fd to exactly `at` (which must be free); returns at. */
static int move_to(int fd, int at)
{
    assert_free(at);
    assert_int_equal(dup2(fd, at), at);
    assert_int_equal(close(fd), 0);
    return at;
}

/* Moves fd out of the way, to the lowest free number >= FIRST_HIGH_FD. */
static int move_high(int fd)
{
    int high = fcntl(fd, F_DUPFD, FIRST_HIGH_FD);
    assert_true(high >= FIRST_HIGH_FD);
    assert_int_equal(close(fd), 0);
    return high;
}

/* A connected datagram socket on exactly `at`, without close-on-exec; its
 * peer (returned in *peer) sits high, also without close-on-exec. */
static void socket_at(int at, int *peer)
{
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
    int end = move_high(sv[0]);
    *peer = move_high(sv[1]);
    move_to(end, at);
}

/* The numbers the tests place descriptors on must be free. */
static void snapshot_with_free_slots(fd_snapshot *s)
{
    take_snapshot(s);
    for (int fd = 3; fd < 16; fd++)
        assert_free(fd);
}

/* A pipe whose write end is on exactly `at`; its read end sits high. */
static int pipe_writing_at(int at, int *read_end)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    *read_end = move_high(p[0]);
    return move_to(move_high(p[1]), at);
}

/* /dev/null on `at`: a descriptor the child must not receive. */
static void decoy_at(int at, bool cloexec)
{
    int fd = open("/dev/null", O_RDONLY | (cloexec ? O_CLOEXEC : 0));
    assert_true(fd >= 0);
    if (fd != at)
        move_to(fd, at);
}

static void close_all(const int *fds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(close(fds[i]), 0);
}

/* The peer's next datagram is exactly `text`. */
static void expect_next_datagram(int peer, const char *text)
{
    char buf[64];
    ssize_t got = recv(peer, buf, sizeof buf - 1, MSG_DONTWAIT);
    if (got < 0)
        fail_msg("no datagram for \"%s\": %s", text, strerror(errno));
    buf[got] = '\0';
    assert_string_equal(buf, text);
}

/* The peer got exactly `text`, in one datagram. */
static void expect_datagram(int peer, const char *text)
{
    expect_next_datagram(peer, text);
    char buf[64];
    assert_int_equal(recv(peer, buf, sizeof buf, MSG_DONTWAIT), -1);
}

static int wait_exit_status(pid_t pid)
{
    int status = 0;
    pid_t got;
    do {
        got = waitpid(pid, &status, 0);
    } while (got == -1 && errno == EINTR);
    assert_int_equal(got, pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void assert_strv_equal(char **got, const char *const *want)
{
    size_t i = 0;
    for (; want[i] != NULL; i++) {
        assert_non_null(got[i]);
        assert_string_equal(got[i], want[i]);
    }
    assert_null(got[i]);
}

static void assert_error_mentions(const vf_error *err, const char *a, const char *b)
{
    if (strstr(err->text, a) == NULL || (b != NULL && strstr(err->text, b) == NULL))
        fail_msg("error \"%s\" does not mention \"%s\"%s%s", err->text, a, b ? " and " : "",
                 b ? b : "");
}

static vf_vm *new_vm(void)
{
    vf_efi_bootloader *efi = vf_efi_bootloader_new("/tmp/efi.store", true);
    assert_non_null(efi);
    vf_vm *vm = vf_vm_new(8, 512, &efi->base);
    assert_non_null(vm);
    return vm;
}

static void add_net(vf_vm *vm, int socket_fd, const char *mac)
{
    vf_error err = {0};
    vf_virtio_net *net = vf_virtio_net_new(mac, &err);
    assert_non_null(net);
    if (socket_fd >= 0)
        vf_virtio_net_set_socket(net, socket_fd);
    assert_int_equal(vf_vm_add_device(vm, &net->base, &err), 0);
}

/* vf_vm_cmd for the child program; it must succeed. */
static vf_cmd *child_cmd(const vf_vm *vm)
{
    vf_error err = {0};
    vf_cmd *cmd = NULL;
    if (vf_vm_cmd(vm, VF_SPAWN_CHILD_PATH, &cmd, &err) != 0)
        fail_msg("vf_vm_cmd: %s", err.text);
    return cmd;
}

/* Starts cmd, waits, and expects every check of the child to hold. */
static void spawn_and_expect_success(const vf_cmd *cmd, const vf_spawn_options *opts)
{
    vf_error err = {0};
    pid_t pid = -1;
    if (vf_cmd_spawn(cmd, opts, &pid, &err) != 0)
        fail_msg("vf_cmd_spawn: %s", err.text);
    assert_int_equal(wait_exit_status(pid), 0);
}

static void expect_read(int fd, const char *text)
{
    char buf[64] = "";
    assert_int_equal(read(fd, buf, sizeof buf - 1), (ssize_t)strlen(text));
    assert_string_equal(buf, text);
}

/* The test starts from a known descriptor table: 0, 1 and 2 open (a
 * closed one would change what the child inherits), nothing else (whatever
 * ran the test may have leaked some onto the numbers the tests use). */
static int setup_descriptors(void **state)
{
    (void)state;
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) == -1 && open("/dev/null", O_RDWR) != fd)
            return -1;
    }
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = 3; fd < max; fd++)
        close(fd);
    print_message("closing in the child: %s\n", vf__platform_close_method());
    return 0;
}

/* How the child loses what it must not have: the macOS spawn flag, else
 * closefrom exactly when the C library has it (spawn.cmake asks it). */
static void test_close_method(void **state)
{
    (void)state;
#if defined(__APPLE__)
    assert_string_equal(vf__platform_close_method(), "POSIX_SPAWN_CLOEXEC_DEFAULT");
#elif VF_EXPECT_CLOSEFROM
    assert_string_equal(vf__platform_close_method(), "posix_spawn_file_actions_addclosefrom_np");
#else
    assert_string_equal(vf__platform_close_method(), "one close action per open descriptor");
#endif
}

/* For a VM without socket descriptors, argv is vf_vm_to_cmdline with the
 * path in front (vector vmjson-1001-1323). */
static void test_cmd_without_descriptors(void **state)
{
    (void)state;
    vf_vm *vm = new_vm();
    add_net(vm, -1, NULL);
    vf_error err = {0};
    vf_cmd *cmd = NULL;
    assert_int_equal(vf_vm_cmd(vm, "/usr/local/bin/vfkit", &cmd, &err), 0);
    static const char *const want[] = {"/usr/local/bin/vfkit",
                                       "--cpus",
                                       "8",
                                       "--memory",
                                       "512",
                                       "--bootloader",
                                       "efi,variable-store=/tmp/efi.store,create",
                                       "--device",
                                       "virtio-net,nat",
                                       NULL};
    assert_strv_equal(cmd->argv, want);
    assert_int_equal(cmd->n_fds, 0);
    assert_null(cmd->fds);

    char **args = vf_vm_to_cmdline(vm, &err);
    assert_non_null(args);
    assert_strv_equal(args, want + 1);
    vf_strv_free(args);
    vf_cmd_free(cmd);
    vf_vm_free(vm);
}

/* Three sockets on 9, 5 and 3 (5 close-on-exec), decoys on 4 (a target),
 * 7 and 8, stdout to a pipe on 6 (the first number above the targets):
 * the child finds device i's socket on 3+i and nothing else. */
static void test_spawn_shuffled_sockets(void **state)
{
    (void)state;
    fd_snapshot before;
    snapshot_with_free_slots(&before);

    int peer[3];
    socket_at(9, &peer[0]);
    socket_at(5, &peer[1]);
    socket_at(3, &peer[2]);
    assert_int_equal(fcntl(5, F_SETFD, FD_CLOEXEC), 0);
    decoy_at(4, false);
    decoy_at(7, false);
    decoy_at(8, true);
    int out_read;
    int out_write = pipe_writing_at(6, &out_read);

    vf_vm *vm = new_vm();
    add_net(vm, 9, NULL);
    add_net(vm, -1, NULL);
    add_net(vm, 5, "00:11:22:33:44:55");
    add_net(vm, 3, NULL);
    vf_cmd *cmd = child_cmd(vm);
    static const char *const want[] = {VF_SPAWN_CHILD_PATH,
                                       "--cpus",
                                       "8",
                                       "--memory",
                                       "512",
                                       "--bootloader",
                                       "efi,variable-store=/tmp/efi.store,create",
                                       "--device",
                                       "virtio-net,fd=3",
                                       "--device",
                                       "virtio-net,nat",
                                       "--device",
                                       "virtio-net,fd=4,mac=00:11:22:33:44:55",
                                       "--device",
                                       "virtio-net,fd=5",
                                       NULL};
    assert_strv_equal(cmd->argv, want);
    assert_int_equal(cmd->n_fds, 3);
    assert_int_equal(cmd->fds[0], 9);
    assert_int_equal(cmd->fds[1], 5);
    assert_int_equal(cmd->fds[2], 3);

    static char nfds[] = "VF_CHILD_NFDS=3", pgrp[] = "VF_CHILD_PGRP=1",
                stdin_empty[] = "VF_CHILD_STDIN=empty", stdout_text[] = "VF_CHILD_STDOUT=child ok";
    char *envp[] = {nfds, pgrp, stdin_empty, stdout_text, NULL};
    vf_spawn_options opts = VF_SPAWN_OPTIONS_INIT;
    opts.envp = envp;
    opts.new_process_group = true;
    opts.stdin_fd = VF_SPAWN_DEVNULL;
    opts.stdout_fd = out_write;

    /* A blocked signal in the caller must not reach vfkit. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGTERM);
    assert_int_equal(sigprocmask(SIG_BLOCK, &block, &old), 0);
    /* The caller's stdin has bytes to read; the child's must be empty. */
    int saved_stdin = move_high(fcntl(0, F_DUPFD, 0));
    int in[2];
    assert_int_equal(pipe(in), 0);
    assert_int_equal(write(in[1], "x", 1), 1);
    assert_int_equal(dup2(in[0], 0), 0);
    fd_snapshot placed;
    take_snapshot(&placed);
    spawn_and_expect_success(cmd, &opts);
    assert_same_fds(&placed); /* nothing of the caller's closed or changed */
    assert_int_equal(sigprocmask(SIG_SETMASK, &old, NULL), 0);
    assert_int_equal(dup2(saved_stdin, 0), 0);
    const int stdin_pipe[] = {saved_stdin, in[0], in[1]};
    close_all(stdin_pipe, 3);

    expect_datagram(peer[0], "device 0 fd 3");
    expect_datagram(peer[1], "device 1 fd 4");
    expect_datagram(peer[2], "device 2 fd 5");
    expect_read(out_read, "child ok");

    vf_cmd_free(cmd);
    vf_vm_free(vm);
    const int opened[] = {9, 5, 3, 4, 7, 8, out_write, out_read, peer[0], peer[1], peer[2]};
    close_all(opened, sizeof opened / sizeof opened[0]);
    assert_same_fds(&before);
}

/* Sockets on 4 and 3 trade places; stdout comes from 5, the first number
 * above the targets; no new process group. */
static void test_spawn_swapped_sockets(void **state)
{
    (void)state;
    fd_snapshot before;
    snapshot_with_free_slots(&before);

    int peer[2];
    socket_at(4, &peer[0]);
    socket_at(3, &peer[1]);
    int out_read;
    int out_write = pipe_writing_at(5, &out_read);

    vf_vm *vm = new_vm();
    add_net(vm, 4, NULL);
    add_net(vm, 3, NULL);
    vf_cmd *cmd = child_cmd(vm);
    static const char *const want[] = {VF_SPAWN_CHILD_PATH,
                                       "--cpus",
                                       "8",
                                       "--memory",
                                       "512",
                                       "--bootloader",
                                       "efi,variable-store=/tmp/efi.store,create",
                                       "--device",
                                       "virtio-net,fd=3",
                                       "--device",
                                       "virtio-net,fd=4",
                                       NULL};
    assert_strv_equal(cmd->argv, want);

    static char nfds[] = "VF_CHILD_NFDS=2", pgrp[] = "VF_CHILD_PGRP=0",
                stdout_text[] = "VF_CHILD_STDOUT=swapped ok";
    char *envp[] = {nfds, pgrp, stdout_text, NULL};
    vf_spawn_options opts = VF_SPAWN_OPTIONS_INIT;
    opts.envp = envp;
    opts.stdin_fd = VF_SPAWN_DEVNULL;
    opts.stdout_fd = out_write;
    spawn_and_expect_success(cmd, &opts);

    expect_datagram(peer[0], "device 0 fd 3");
    expect_datagram(peer[1], "device 1 fd 4");
    expect_read(out_read, "swapped ok");

    vf_cmd_free(cmd);
    vf_vm_free(vm);
    const int opened[] = {4, 3, out_write, out_read, peer[0], peer[1]};
    close_all(opened, sizeof opened / sizeof opened[0]);
    assert_same_fds(&before);
}

/* No options at all: the caller's environment and stdio; decoys without
 * close-on-exec on 3 and 7 stay behind. */
static void test_spawn_defaults(void **state)
{
    (void)state;
    fd_snapshot before;
    take_snapshot(&before);
    decoy_at(3, false);
    decoy_at(7, false);

    vf_vm *vm = new_vm();
    add_net(vm, -1, NULL);
    vf_cmd *cmd = child_cmd(vm);
    assert_int_equal(setenv("VF_CHILD_NFDS", "0", 1), 0);
    assert_int_equal(setenv("VF_CHILD_PGRP", "0", 1), 0);
    spawn_and_expect_success(cmd, NULL);
    unsetenv("VF_CHILD_NFDS");
    unsetenv("VF_CHILD_PGRP");

    vf_cmd_free(cmd);
    vf_vm_free(vm);
    const int opened[] = {3, 7};
    close_all(opened, sizeof opened / sizeof opened[0]);
    assert_same_fds(&before);
}

/* Options from a newer header than the library knows are refused, not
 * misread; a zeroed struct (version 0) is the first layout. */
static void test_spawn_options_version(void **state)
{
    (void)state;
    vf_vm *vm = new_vm();
    vf_cmd *cmd = child_cmd(vm);
    vf_spawn_options opts = VF_SPAWN_OPTIONS_INIT;
    assert_int_equal(opts.version, VF_SPAWN_OPTIONS_VERSION);
    assert_int_equal(opts.stdin_fd, VF_SPAWN_INHERIT);
    opts.version = VF_SPAWN_OPTIONS_VERSION + 1;
    vf_error err;
    pid_t pid = -1;
    assert_int_equal(vf_cmd_spawn(cmd, &opts, &pid, &err), VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "vf_spawn_options: version 2 is newer"));
    assert_int_equal(pid, -1);
    vf_cmd_free(cmd);
    vf_vm_free(vm);
}

/* Sources above the targets go straight onto them: one socket listed
 * twice, one with close-on-exec, and stdout and stderr sharing a pipe. */
static void test_spawn_shared_sources(void **state)
{
    (void)state;
    fd_snapshot before;
    snapshot_with_free_slots(&before);

    int peer[2];
    socket_at(12, &peer[0]);
    socket_at(10, &peer[1]);
    assert_int_equal(fcntl(12, F_SETFD, FD_CLOEXEC), 0);
    int out_read;
    int out_write = pipe_writing_at(11, &out_read);

    vf_vm *vm = new_vm();
    add_net(vm, 12, NULL);
    add_net(vm, 10, NULL);
    add_net(vm, 12, NULL);
    vf_cmd *cmd = child_cmd(vm);
    static char nfds[] = "VF_CHILD_NFDS=3", stdout_text[] = "VF_CHILD_STDOUT=shared ok";
    char *envp[] = {nfds, stdout_text, NULL};
    vf_spawn_options opts = VF_SPAWN_OPTIONS_INIT;
    opts.envp = envp;
    opts.stdout_fd = out_write;
    opts.stderr_fd = out_write;
    fd_snapshot placed;
    take_snapshot(&placed);
    spawn_and_expect_success(cmd, &opts);
    assert_same_fds(&placed);

    expect_next_datagram(peer[0], "device 0 fd 3");
    expect_datagram(peer[0], "device 2 fd 5");
    expect_datagram(peer[1], "device 1 fd 4");
    expect_read(out_read, "shared ok");

    vf_cmd_free(cmd);
    vf_vm_free(vm);
    const int opened[] = {12, 10, out_write, out_read, peer[0], peer[1]};
    close_all(opened, sizeof opened / sizeof opened[0]);
    assert_same_fds(&before);
}

/* Starts cmd under a descriptor limit of `limit`, then restores it. */
static int spawn_under_limit(const vf_cmd *cmd, rlim_t limit, vf_error *err)
{
    struct rlimit saved, low;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
    low = saved;
    low.rlim_cur = limit;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
    pid_t pid = -1;
    int rc = vf_cmd_spawn(cmd, NULL, &pid, err);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
    if (rc == 0)
        assert_int_equal(wait_exit_status(pid), 0);
    else
        assert_int_equal(pid, -1);
    return rc;
}

/* Whether a temporary is used shows in the highest number the child
 * needs. Sockets on 5 and 6 going to 3 and 4 are copied straight over, so
 * a limit of 7 is enough (temporaries would need 7 and 8) and 6 one short.
 * The peers sit above the limits, close-on-exec. (A socket on its own
 * target: test_own_target_needs_no_temporary.) */
static void test_temporary_only_for_cycles(void **state)
{
    (void)state;
    fd_snapshot start;
    snapshot_with_free_slots(&start);
    int peer[2];
    socket_at(5, &peer[0]);
    socket_at(6, &peer[1]);
    for (int i = 0; i < 2; i++)
        assert_int_equal(fcntl(peer[i], F_SETFD, FD_CLOEXEC), 0);
    vf_vm *vm = new_vm();
    add_net(vm, 5, NULL);
    add_net(vm, 6, NULL);
    vf_cmd *cmd = child_cmd(vm);
    fd_snapshot before;
    take_snapshot(&before);
    vf_error err = {0};
    assert_int_equal(setenv("VF_CHILD_NFDS", "2", 1), 0);
    assert_int_equal(spawn_under_limit(cmd, 6, &err), VF_ERR_SYSTEM);
    assert_error_mentions(&err, "descriptor 6", "RLIMIT_NOFILE");
    assert_int_equal(spawn_under_limit(cmd, 7, &err), 0);
    expect_datagram(peer[0], "device 0 fd 3");
    expect_datagram(peer[1], "device 1 fd 4");
    assert_same_fds(&before);
    vf_cmd_free(cmd);
    vf_vm_free(vm);
    unsetenv("VF_CHILD_NFDS");
    assert_no_child_left();
    const int opened[] = {5, 6, peer[0], peer[1]};
    close_all(opened, sizeof opened / sizeof opened[0]);
    assert_same_fds(&start);
}

/* Where a descriptor on its own number keeps it in the child, close-on-exec
 * set and all, with no temporary: macOS (addinherit_np) and glibc 2.29 and
 * later (adddup2(fd, fd)); the fallback build takes the other way. */
#if defined(__APPLE__) || (defined(__GLIBC__) && !defined(VF_SPAWN_NO_CLOSEFROM) && \
                           (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 29)))
#define KEEPS_CLOEXEC_IN_PLACE 1
#else
#define KEEPS_CLOEXEC_IN_PLACE 0
#endif

/* Spawns cmd from a child process of the test whose descriptor limit is
 * `limit`, so the test process keeps its own; the child reports back.
 * Returns 0 when the spawn worked and the program exited 0, 1 when it
 * worked but the program failed, 2 when vf_cmd_spawn refused (its message
 * in text). */
static int spawn_in_child_under_limit(const vf_cmd *cmd, rlim_t limit, char *text, size_t size)
{
    int report[2];
    assert_int_equal(pipe(report), 0);
    int report_read = move_high(report[0]), report_write = move_high(report[1]);
    assert_int_equal(fcntl(report_read, F_SETFD, FD_CLOEXEC), 0);
    assert_int_equal(fcntl(report_write, F_SETFD, FD_CLOEXEC), 0);
    pid_t tester = fork();
    assert_true(tester >= 0);
    if (tester == 0) {
        char message[VF_ERROR_TEXT_LENGTH] = "";
        int code = 3;
        struct rlimit low;
        if (getrlimit(RLIMIT_NOFILE, &low) == 0 && (low.rlim_cur = limit, true) &&
            setrlimit(RLIMIT_NOFILE, &low) == 0) {
            vf_error err = {0};
            pid_t pid = -1;
            if (vf_cmd_spawn(cmd, NULL, &pid, &err) != 0) {
                code = 2;
                snprintf(message, sizeof message, "%s", err.text);
            } else {
                int status = 0;
                while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
                    ;
                code = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
                snprintf(message, sizeof message, "the program's wait status is %d", status);
            }
        } else {
            snprintf(message, sizeof message, "setrlimit: %s", strerror(errno));
        }
        if (write(report_write, message, strlen(message)) < 0)
            code = 4;
        _exit(code);
    }
    assert_int_equal(close(report_write), 0);
    ssize_t n = read(report_read, text, size - 1);
    text[n > 0 ? n : 0] = '\0';
    assert_int_equal(close(report_read), 0);
    return wait_exit_status(tester);
}

/* A socket already on its own target, 3, is kept there: no copy and no
 * temporary, so the spawn works at a descriptor limit of 4, where the
 * temporary (4) was refused as above the limit. At that limit the program
 * started has every descriptor in use and cannot load a shared library:
 * it is spawn_child linked statically where the system can link one, and
 * then it must find its socket on 3. With close-on-exec set on 3 the same
 * holds where the platform can clear it in place; elsewhere (the fallback
 * build) the socket waits on the temporary, refused at 4 and fine at 5. */
static void test_own_target_needs_no_temporary(void **state)
{
    (void)state;
    fd_snapshot start;
    snapshot_with_free_slots(&start);
    const bool is_static = VF_SPAWN_STATIC_CHILD_PATH[0] != '\0';
    const char *program = is_static ? VF_SPAWN_STATIC_CHILD_PATH : VF_SPAWN_CHILD_PATH;
    assert_int_equal(setenv("VF_CHILD_NFDS", "1", 1), 0);
    char text[VF_ERROR_TEXT_LENGTH];
    for (int cloexec = 0; cloexec < 2; cloexec++) {
        int peer;
        socket_at(3, &peer);
        assert_int_equal(fcntl(peer, F_SETFD, FD_CLOEXEC), 0);
        assert_int_equal(fcntl(3, F_SETFD, cloexec ? FD_CLOEXEC : 0), 0);
        vf_vm *vm = new_vm();
        add_net(vm, 3, NULL);
        vf_error err = {0};
        vf_cmd *cmd = NULL;
        if (vf_vm_cmd(vm, program, &cmd, &err) != 0)
            fail_msg("vf_vm_cmd: %s", err.text);
        fd_snapshot before;
        take_snapshot(&before);
        int got = spawn_in_child_under_limit(cmd, 4, text, sizeof text);
        if (!cloexec || KEEPS_CLOEXEC_IN_PLACE) {
            if (got == 2 || (is_static && got != 0))
                fail_msg("close-on-exec %d, limit 4: %s", cloexec, text);
            if (is_static)
                expect_datagram(peer, "device 0 fd 3");
        } else {
            assert_int_equal(got, 2);
            if (strstr(text, "descriptor 4") == NULL || strstr(text, "RLIMIT_NOFILE") == NULL)
                fail_msg("limit 4: \"%s\" does not name descriptor 4 and the limit", text);
            assert_int_equal(spawn_in_child_under_limit(cmd, 5, text, sizeof text), 0);
            expect_datagram(peer, "device 0 fd 3");
        }
        assert_same_fds(&before);
        vf_cmd_free(cmd);
        vf_vm_free(vm);
        const int opened[] = {3, peer};
        close_all(opened, 2);
    }
    unsetenv("VF_CHILD_NFDS");
    assert_no_child_left();
    assert_same_fds(&start);
}

/* Sockets on 3, 4, 5 and 6 listed as 4, 3, 6, 5 and 4 again: two swaps,
 * one socket also copied onto 7. One temporary serves both swaps: it is 8,
 * so a limit of 9 is enough and 8 one short. */
static void test_spawn_two_cycles(void **state)
{
    (void)state;
    fd_snapshot start;
    snapshot_with_free_slots(&start);
    int peer[4];
    for (int i = 0; i < 4; i++) {
        socket_at(3 + i, &peer[i]);
        assert_int_equal(fcntl(peer[i], F_SETFD, FD_CLOEXEC), 0);
    }
    vf_vm *vm = new_vm();
    static const int listed[] = {4, 3, 6, 5, 4};
    for (size_t i = 0; i < 5; i++)
        add_net(vm, listed[i], NULL);
    vf_cmd *cmd = child_cmd(vm);
    fd_snapshot before;
    take_snapshot(&before);
    vf_error err = {0};
    assert_int_equal(setenv("VF_CHILD_NFDS", "5", 1), 0);
    assert_int_equal(spawn_under_limit(cmd, 8, &err), VF_ERR_SYSTEM);
    assert_error_mentions(&err, "descriptor 8", "RLIMIT_NOFILE");
    assert_int_equal(spawn_under_limit(cmd, 9, &err), 0);
    unsetenv("VF_CHILD_NFDS");

    expect_next_datagram(peer[1], "device 0 fd 3");
    expect_datagram(peer[1], "device 4 fd 7");
    expect_datagram(peer[0], "device 1 fd 4");
    expect_datagram(peer[3], "device 2 fd 5");
    expect_datagram(peer[2], "device 3 fd 6");
    assert_same_fds(&before);
    assert_no_child_left();

    vf_cmd_free(cmd);
    vf_vm_free(vm);
    const int opened[] = {3, 4, 5, 6, peer[0], peer[1], peer[2], peer[3]};
    close_all(opened, sizeof opened / sizeof opened[0]);
    assert_same_fds(&start);
}

/* The caller's 1 (a pipe at end of file) becomes the child's stdin and
 * stderr, its 2 (a pipe the test reads) the child's stdout: 1 is read twice
 * and 1 and 2 trade places, so one of them waits on the temporary. (0 in
 * the options means "inherit": stdin cannot be a source here.) */
static void test_spawn_swapped_stdio(void **state)
{
    (void)state;
    fd_snapshot before;
    take_snapshot(&before);
    int saved[3];
    for (int fd = 1; fd < 3; fd++)
        saved[fd] = move_high(fcntl(fd, F_DUPFD, 0));
    int out[2], in[2];
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(in), 0);
    int out_read = move_high(out[0]);
    assert_int_equal(close(in[1]), 0);
    assert_int_equal(dup2(in[0], 1), 1);
    assert_int_equal(dup2(out[1], 2), 2);
    const int placed[] = {out[1], in[0]};
    close_all(placed, 2);

    vf_vm *vm = new_vm();
    vf_cmd *cmd = child_cmd(vm);
    static char nfds[] = "VF_CHILD_NFDS=0", stdin_empty[] = "VF_CHILD_STDIN=empty",
                stdout_text[] = "VF_CHILD_STDOUT=swapped stdio";
    char *envp[] = {nfds, stdin_empty, stdout_text, NULL};
    vf_spawn_options opts = VF_SPAWN_OPTIONS_INIT;
    opts.envp = envp;
    opts.stdin_fd = 1;
    opts.stdout_fd = 2;
    opts.stderr_fd = 1;
    vf_error err = {0};
    pid_t pid = -1;
    int rc = vf_cmd_spawn(cmd, &opts, &pid, &err);
    /* The test's own stdio first, so that a failure can be reported. */
    for (int fd = 1; fd < 3; fd++) {
        assert_int_equal(dup2(saved[fd], fd), fd);
        assert_int_equal(close(saved[fd]), 0);
    }
    if (rc != 0)
        fail_msg("vf_cmd_spawn: %s", err.text);
    assert_int_equal(wait_exit_status(pid), 0);
    expect_read(out_read, "swapped stdio");

    vf_cmd_free(cmd);
    vf_vm_free(vm);
    assert_int_equal(close(out_read), 0);
    assert_same_fds(&before);
}

/* A parent that ignores signals (a daemon, `trap '' TERM`) starts a vfkit
 * that does not: exec keeps SIG_IGN unless the spawn resets it. */
static void test_ignored_signals_reset(void **state)
{
    (void)state;
    const int signals[] = {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGUSR1};
    struct sigaction saved[5], ignore;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(sigaction(signals[i], &ignore, &saved[i]), 0);

    vf_vm *vm = new_vm();
    vf_cmd *cmd = child_cmd(vm);
    assert_int_equal(setenv("VF_CHILD_SIGDFL", "1", 1), 0);
    spawn_and_expect_success(cmd, NULL);
    unsetenv("VF_CHILD_SIGDFL");
    vf_cmd_free(cmd);
    vf_vm_free(vm);

    /* And the child really ends on SIGTERM. */
    char prog[] = "sleep", seconds[] = "10";
    char *argv[] = {prog, seconds, NULL};
    vf_cmd sleeper = {argv, NULL, 0};
    pid_t pid = -1;
    vf_error err = {0};
    assert_int_equal(vf_cmd_spawn(&sleeper, NULL, &pid, &err), 0);
    assert_int_equal(kill(pid, SIGTERM), 0);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);

    for (size_t i = 0; i < 5; i++)
        assert_int_equal(sigaction(signals[i], &saved[i], NULL), 0);
}

/* podman appends its endpoint and debug arguments to cmd.Args. */
static void test_append_arg(void **state)
{
    (void)state;
    vf_vm *vm = new_vm();
    vf_cmd *cmd = NULL;
    vf_error err = {0};
    assert_int_equal(vf_vm_cmd(vm, "/usr/bin/vfkit", &cmd, &err), 0);
    size_t n = vf_strv_length(cmd->argv);
    assert_int_equal(vf_cmd_append_arg(cmd, "--restful-uri", &err), 0);
    assert_int_equal(vf_cmd_append_arg(cmd, "tcp://localhost:8081", &err), 0);
    assert_int_equal(vf_cmd_append_arg(cmd, "", &err), 0);
    assert_int_equal(vf_strv_length(cmd->argv), n + 3);
    assert_string_equal(cmd->argv[0], "/usr/bin/vfkit");
    assert_string_equal(cmd->argv[1], "--cpus");
    assert_string_equal(cmd->argv[n], "--restful-uri");
    assert_string_equal(cmd->argv[n + 1], "tcp://localhost:8081");
    assert_string_equal(cmd->argv[n + 2], "");
    assert_null(cmd->argv[n + 3]);
    assert_int_equal(vf_cmd_append_arg(cmd, NULL, &err), VF_ERR_INVALID);
    assert_int_equal(vf_cmd_append_arg(NULL, "x", &err), VF_ERR_INVALID);
    assert_int_equal(vf_strv_length(cmd->argv), n + 3);
    vf_cmd_free(cmd);
    vf_vm_free(vm);
}

static void test_missing_executable(void **state)
{
    (void)state;
    int peer;
    socket_at(5, &peer);
    vf_vm *vm = new_vm();
    add_net(vm, 5, NULL);
    fd_snapshot before;
    take_snapshot(&before);
    static const char *const paths[] = {"/nonexistent/vfkit", "vfconfig-test-no-such-program"};
    for (size_t i = 0; i < 2; i++) {
        vf_error err = {0};
        vf_cmd *cmd = NULL;
        assert_int_equal(vf_vm_cmd(vm, paths[i], &cmd, &err), 0);
        pid_t pid = -1;
        vf_spawn_options opts = VF_SPAWN_OPTIONS_INIT;
        opts.stdout_fd = VF_SPAWN_DEVNULL;
        assert_int_equal(vf_cmd_spawn(cmd, &opts, &pid, &err), VF_ERR_SYSTEM);
        assert_int_equal(err.code, VF_ERR_SYSTEM);
        assert_error_mentions(&err, paths[i], strerror(ENOENT));
        assert_int_equal(pid, -1);
        vf_cmd_free(cmd);
        assert_same_fds(&before);
        assert_no_child_left();
    }
    vf_vm_free(vm);
    const int opened[] = {5, peer};
    close_all(opened, 2);
}

static void test_closed_descriptor(void **state)
{
    (void)state;
    fd_snapshot before;
    take_snapshot(&before);
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
    int closed = sv[0];
    assert_int_equal(close(closed), 0);
    char number[16];
    snprintf(number, sizeof number, "%d", closed);

    /* vf_vm_cmd names the device. */
    vf_vm *vm = new_vm();
    add_net(vm, -1, NULL);
    add_net(vm, closed, NULL);
    vf_error err = {0};
    vf_cmd unchanged;
    vf_cmd *cmd = &unchanged; /* must come back NULL */
    assert_int_equal(vf_vm_cmd(vm, VF_SPAWN_CHILD_PATH, &cmd, &err), VF_ERR_INVALID);
    assert_null(cmd);
    assert_int_equal(err.code, VF_ERR_INVALID);
    assert_error_mentions(&err, "device 1", number);
    vf_vm_free(vm);

    /* vf_cmd_spawn checks again: the descriptor may close in between. */
    static char path[] = VF_SPAWN_CHILD_PATH;
    char *argv[] = {path, NULL};
    int fds[] = {closed};
    vf_cmd manual = {argv, fds, 1};
    pid_t pid = -1;
    assert_int_equal(vf_cmd_spawn(&manual, NULL, &pid, &err), VF_ERR_INVALID);
    assert_error_mentions(&err, "fds[0]", number);

    /* So does a stdio descriptor. */
    vf_cmd no_fds = {argv, NULL, 0};
    vf_spawn_options opts = VF_SPAWN_OPTIONS_INIT;
    opts.stdout_fd = closed;
    assert_int_equal(vf_cmd_spawn(&no_fds, &opts, &pid, &err), VF_ERR_INVALID);
    assert_error_mentions(&err, "stdout_fd", number);
    opts.stdout_fd = -7;
    assert_int_equal(vf_cmd_spawn(&no_fds, &opts, &pid, &err), VF_ERR_INVALID);
    assert_error_mentions(&err, "stdout_fd", "-7");

    assert_int_equal(pid, -1);
    assert_int_equal(close(sv[1]), 0);
    assert_same_fds(&before);
    assert_no_child_left();
}

/* A virtio-net descriptor must be a datagram socket where it is used: a
 * regular file (a loader's own stderr, say) or a stream socket is refused
 * by vf_vm_cmd, with what it is, and by vf_virtio_net_set_socket_checked. */
static void test_descriptor_not_a_datagram_socket(void **state)
{
    (void)state;
    fd_snapshot before;
    take_snapshot(&before);
    FILE *file = tmpfile();
    assert_non_null(file);
    int stream[2], dgram[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, stream), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, dgram), 0);
    const struct {
        int fd;
        const char *said;
    } wrong[] = {
        {fileno(file), "a regular file, not a socket"},
        {stream[0], "a stream socket, not a datagram socket"},
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        vf_vm *vm = new_vm();
        add_net(vm, wrong[i].fd, NULL);
        vf_error err = {0};
        vf_cmd *cmd = NULL;
        assert_int_equal(vf_vm_cmd(vm, VF_SPAWN_CHILD_PATH, &cmd, &err), VF_ERR_INVALID);
        assert_null(cmd);
        assert_error_mentions(&err, "invalid value for 'fd'", wrong[i].said);
        vf_vm_free(vm);

        vf_virtio_net *net = vf_virtio_net_new(NULL, &err);
        assert_non_null(net);
        assert_int_equal(vf_virtio_net_set_socket_checked(net, wrong[i].fd, &err), VF_ERR_INVALID);
        assert_error_mentions(&err, "'fd'", wrong[i].said);
        assert_int_equal(net->socket_fd, -1); /* left as it was */
        assert_int_equal(vf_virtio_net_set_socket_checked(net, dgram[0], &err), 0);
        assert_int_equal(net->socket_fd, dgram[0]);
        assert_false(net->nat);
        vf_device_free(&net->base);
    }
    vf_vm *vm = new_vm();
    add_net(vm, dgram[0], NULL);
    vf_error err = {0};
    vf_cmd *cmd = NULL;
    assert_int_equal(vf_vm_cmd(vm, VF_SPAWN_CHILD_PATH, &cmd, &err), 0);
    vf_cmd_free(cmd);
    vf_vm_free(vm);
    fclose(file);
    close(stream[0]);
    close(stream[1]);
    close(dgram[0]);
    close(dgram[1]);
    assert_same_fds(&before);
}

/* With sockets on 9, 5 and 3 going to 3, 4 and 5, the child needs the
 * source 9 (copied last, no temporary): a descriptor limit of 9 is one
 * short, 10 is enough. */
static void test_descriptor_exhaustion(void **state)
{
    (void)state;
    fd_snapshot start;
    snapshot_with_free_slots(&start);
    int peer[3];
    socket_at(9, &peer[0]);
    socket_at(5, &peer[1]);
    socket_at(3, &peer[2]);
    /* The peers are above the limit about to be set: hide them at 4, 6, 7
     * (targets or temporaries in the child) for the time of the test. */
    for (int i = 0; i < 3; i++)
        peer[i] = move_to(peer[i], (int[]){4, 6, 7}[i]);
    vf_vm *vm = new_vm();
    add_net(vm, 9, NULL);
    add_net(vm, 5, NULL);
    add_net(vm, 3, NULL);
    vf_cmd *cmd = child_cmd(vm);
    fd_snapshot before;
    take_snapshot(&before);

    struct rlimit saved, low;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
    low = saved;
    low.rlim_cur = 9;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
    vf_error err = {0};
    pid_t pid = -1;
    int rc = vf_cmd_spawn(cmd, NULL, &pid, &err);
    low.rlim_cur = 10;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
    assert_int_equal(setenv("VF_CHILD_NFDS", "3", 1), 0);
    spawn_and_expect_success(cmd, NULL);
    unsetenv("VF_CHILD_NFDS");
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);

    assert_int_equal(rc, VF_ERR_SYSTEM);
    assert_int_equal(pid, -1);
    assert_error_mentions(&err, "descriptor 9", "RLIMIT_NOFILE");
    expect_datagram(peer[0], "device 0 fd 3");
    expect_datagram(peer[1], "device 1 fd 4");
    expect_datagram(peer[2], "device 2 fd 5");
    assert_same_fds(&before);
    assert_no_child_left();

    vf_cmd_free(cmd);
    vf_vm_free(vm);
    const int opened[] = {9, 5, 3, peer[0], peer[1], peer[2]};
    close_all(opened, sizeof opened / sizeof opened[0]);
    assert_same_fds(&start);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    vf_vm *vm = new_vm();
    vf_error err = {0};
    vf_cmd *cmd = NULL;
    assert_int_equal(vf_vm_cmd(vm, "", &cmd, &err), VF_ERR_INVALID);
    assert_null(cmd);
    assert_int_equal(vf_vm_cmd(vm, NULL, &cmd, &err), VF_ERR_INVALID);
    assert_int_equal(vf_vm_cmd(NULL, "/usr/local/bin/vfkit", &cmd, &err), VF_ERR_INVALID);
    assert_int_equal(vf_vm_cmd(vm, "/usr/local/bin/vfkit", NULL, &err), VF_ERR_INVALID);

    /* A VM the command line refuses gives its error, and no command. */
    vf_vm_set_bootloader(vm, NULL);
    assert_int_not_equal(vf_vm_cmd(vm, "/usr/local/bin/vfkit", &cmd, NULL), 0);
    assert_int_not_equal(vf_vm_cmd(vm, "/usr/local/bin/vfkit", &cmd, &err), 0);
    assert_null(cmd);
    assert_true(err.text[0] != '\0');
    vf_vm_free(vm);

    pid_t pid = -1;
    static char empty[] = "";
    char *argv[] = {empty, NULL};
    vf_cmd nothing = {argv, NULL, 0};
    assert_int_equal(vf_cmd_spawn(NULL, NULL, &pid, &err), VF_ERR_INVALID);
    assert_int_equal(vf_cmd_spawn(&nothing, NULL, &pid, &err), VF_ERR_INVALID);
    static char path[] = VF_SPAWN_CHILD_PATH;
    argv[0] = path;
    assert_int_equal(vf_cmd_spawn(&nothing, NULL, NULL, &err), VF_ERR_INVALID);
    vf_cmd no_array = {argv, NULL, 2};
    assert_int_equal(vf_cmd_spawn(&no_array, NULL, &pid, &err), VF_ERR_INVALID);
    assert_int_equal(pid, -1);
    vf_cmd_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_close_method),
        cmocka_unit_test(test_cmd_without_descriptors),
        cmocka_unit_test(test_spawn_shuffled_sockets),
        cmocka_unit_test(test_spawn_swapped_sockets),
        cmocka_unit_test(test_spawn_defaults),
        cmocka_unit_test(test_spawn_options_version),
        cmocka_unit_test(test_spawn_shared_sources),
        cmocka_unit_test(test_temporary_only_for_cycles),
        cmocka_unit_test(test_own_target_needs_no_temporary),
        cmocka_unit_test(test_spawn_two_cycles),
        cmocka_unit_test(test_spawn_swapped_stdio),
        cmocka_unit_test(test_ignored_signals_reset),
        cmocka_unit_test(test_append_arg),
        cmocka_unit_test(test_missing_executable),
        cmocka_unit_test(test_closed_descriptor),
        cmocka_unit_test(test_descriptor_not_a_datagram_socket),
        cmocka_unit_test(test_descriptor_exhaustion),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, setup_descriptors, NULL);
}
