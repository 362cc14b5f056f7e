/*
 * libvfconfig - running a VM the way podman, crc and minikube do, end to
 * end against tests/launcher_stand_in.c (vfkit and its guest in one
 * program): the ready socket, Ignition over a unix socket, the process
 * handle and its pidfile, and the stop policy; then the faults: a launcher
 * that exits at once, a guest that never gets ready, a REST service that
 * never answers, a Stop that is ignored, a stop from a second process while
 * the first still holds the child, a stale pidfile.
 *
 * Expected values come from the references: the ready line and port are
 * podman's ready unit (`echo Ready | socat - VSOCK-CONNECT:2:1025`), the
 * Ignition port 1024 and `listen` mode podman's GetIgnitionVsockDevice,
 * the pidfile format vfkit's, crc's and minikube's (decimal, no newline,
 * 0600; whitespace trimmed when read; vfkit's TestPidFile uses 123),
 * minikube's stop sequence (Stop, then SIGTERM, no HardStop).
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "vfconfig/lifecycle.h"
#include "vfconfig/vfconfig.h"
#include "lifecycle/lifecycle.h"

#ifndef VF_STANDIN_PATH
#error "tests/lifecycle.cmake passes VF_STANDIN_PATH"
#endif
#define STANDIN_NAME "launcher_stand_in"

static const char ignition_config[] =
    "{\"ignition\":{\"version\":\"3.4.0\"},\"passwd\":{\"users\":[{\"name\":\"core\"}]}}";

/* One VM's files, in a folder of its own (short: sockets have 103 bytes). */
typedef struct scene {
    char dir[64];
    char ready_sock[96];
    char ignition_sock[96];
    char rest_sock[96];
    char ignition_file[96];
    char ignition_out[96];
    char pidfile[96];
    vf_vm *vm;
    vf_ready *ready;
    vf_ignition_server *ignition;
    vf_process *proc;
    vf_rest_client *client;
} scene;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static void read_file(const char *path, char *buf, size_t size)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* The VM podman starts, reduced: EFI, a REST socket, the ready and
 * Ignition devices added by the helpers. */
static void scene_init(scene *s, bool with_ignition)
{
    memset(s, 0, sizeof *s);
    snprintf(s->dir, sizeof s->dir, "/tmp/vflc-XXXXXX");
    assert_non_null(mkdtemp(s->dir));
    snprintf(s->ready_sock, sizeof s->ready_sock, "%s/ready.sock", s->dir);
    snprintf(s->ignition_sock, sizeof s->ignition_sock, "%s/ign.sock", s->dir);
    snprintf(s->rest_sock, sizeof s->rest_sock, "%s/api.sock", s->dir);
    snprintf(s->ignition_file, sizeof s->ignition_file, "%s/config.ign", s->dir);
    snprintf(s->ignition_out, sizeof s->ignition_out, "%s/fetched.ign", s->dir);
    snprintf(s->pidfile, sizeof s->pidfile, "%s/vfkit.pid", s->dir);
    s->vm = vf_vm_new(2, 2048, (vf_bootloader *)vf_efi_bootloader_new("/vm/efi", true));
    assert_non_null(s->vm);
    char uri[128];
    snprintf(uri, sizeof uri, "unix://%s", s->rest_sock);
    s->vm->restful_uri = strdup(uri);
    vf_error err = {0};
    if (with_ignition) {
        write_file(s->ignition_file, ignition_config);
        if (vf_ignition_server_new(s->vm, s->ignition_file, s->ignition_sock, &s->ignition, &err) !=
            0)
            fail_msg("ignition: %s", err.text);
    }
    if (vf_ready_listen(s->vm, VF_READY_VSOCK_PORT, s->ready_sock, &s->ready, &err) != 0)
        fail_msg("ready: %s", err.text);
}

/* Starts the stand-in with extra environment entries (NULL-terminated). */
static void scene_start(scene *s, const char *const *env)
{
    char out_env[128];
    snprintf(out_env, sizeof out_env, "STANDIN_IGNITION_OUT=%s", s->ignition_out);
    char *envp[8];
    size_t n = 0;
    envp[n++] = out_env;
    for (size_t i = 0; env != NULL && env[i] != NULL && n < 7; i++)
        envp[n++] = (char *)env[i];
    envp[n] = NULL;
    vf_spawn_options opts = {.envp = envp};
    vf_cmd *cmd = NULL;
    vf_error err = {0};
    if (vf_vm_cmd(s->vm, VF_STANDIN_PATH, &cmd, &err) != 0 ||
        vf_process_spawn(cmd, &opts, &s->proc, &err) != 0)
        fail_msg("start: %s", err.text);
    vf_cmd_free(cmd);
    assert_true(vf_process_is_child(s->proc));
    assert_string_equal(vf_process_launcher(s->proc), STANDIN_NAME);
    assert_int_equal(vf_process_write_pidfile(s->proc, s->pidfile, &err), 0);
    vf_restful_uri uri;
    assert_int_equal(vf_restful_uri_parse(s->vm->restful_uri, &uri, &err), 0);
    s->client = vf_rest_client_new(&uri, NULL); /* NULL without libcurl */
    if (s->client != NULL)
        vf_rest_client_set_timeout(s->client, 1000);
}

/* Waits for the guest's ready signal, then for the REST API when there
 * is a client. */
static void scene_wait_up(scene *s, vf_error *err)
{
    assert_int_equal(vf_ready_wait(s->ready, s->proc, NULL, 10000, err), 0);
    if (s->client != NULL)
        assert_int_equal(vf_rest_wait_ready(s->client, vf_process_pid(s->proc), 5000, err), 0);
}

/* Kills what still runs, reaps it, removes every file. */
static void scene_end(scene *s)
{
    if (s->proc != NULL) {
        if (vf_process_running(s->proc, NULL))
            kill(vf_process_pid(s->proc), SIGKILL);
        vf_process_wait(s->proc, VF_WAIT_FOREVER, NULL, NULL);
    }
    vf_process_free(s->proc);
    vf_rest_client_free(s->client);
    vf_ready_free(s->ready);
    vf_ignition_server_free(s->ignition);
    vf_vm_free(s->vm);
    const char *files[] = {s->ready_sock,    s->ignition_sock, s->rest_sock,
                           s->ignition_file, s->ignition_out,  s->pidfile};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        unlink(files[i]);
    rmdir(s->dir);
}

/* A short policy: every step that is meant to fail does so quickly. */
static vf_stop_policy quick_policy(void)
{
    vf_stop_policy p = VF_STOP_POLICY_INIT;
    p.stop.wait_ms = 3000;
    p.hard_stop.wait_ms = 400;
    p.sigterm.wait_ms = 3000;
    p.sigkill.wait_ms = 3000;
    p.poll_interval_ms = 20;
    return p;
}

/* ---- the whole cycle ------------------------------------------------------ */

static void test_full_cycle(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, true);
    /* The helpers added the two devices podman adds. */
    size_t vsocks = vf_vm_filter_devices(s.vm, VF_DEVICE_VIRTIO_VSOCK, NULL, 0);
    assert_int_equal(vsocks, 2);
    char **args = vf_vm_to_cmdline(s.vm, NULL);
    assert_non_null(args);
    char want_ign[160], want_ready[160];
    snprintf(want_ign, sizeof want_ign, "virtio-vsock,port=1024,socketURL=%s,listen",
             s.ignition_sock);
    snprintf(want_ready, sizeof want_ready, "virtio-vsock,port=1025,socketURL=%s,listen",
             s.ready_sock);
    bool seen_ign = false, seen_ready = false;
    for (size_t i = 0; args[i] != NULL; i++) {
        seen_ign |= strcmp(args[i], want_ign) == 0;
        seen_ready |= strcmp(args[i], want_ready) == 0;
    }
    vf_strv_free(args);
    assert_true(seen_ign);
    assert_true(seen_ready);
    /* Both sockets exist before the launcher starts. */
    assert_true(exists(s.ready_sock));
    assert_true(exists(s.ignition_sock));

    scene_start(&s, NULL);
    vf_error err = {0};
    assert_int_equal(vf_process_check_started(s.proc, 100, NULL, &err), 0);
    if (vf_ready_wait(s.ready, s.proc, s.ignition, 10000, &err) != 0)
        fail_msg("ready: %s", err.text);
    /* The guest fetched exactly the file, and the server closed after it. */
    assert_true(vf_ignition_server_served(s.ignition));
    char fetched[256];
    for (int i = 0; i < 100 && !exists(s.ignition_out); i++)
        nanosleep(&(struct timespec){0, 10000000L}, NULL);
    read_file(s.ignition_out, fetched, sizeof fetched);
    assert_string_equal(fetched, ignition_config);
    assert_false(exists(s.ignition_sock));

    /* Found again from its pidfile, by the launcher's name and its path. */
    vf_process *again = NULL;
    assert_int_equal(vf_process_from_pidfile(s.pidfile, STANDIN_NAME, false, &again, &err), 0);
    assert_int_equal(vf_process_pid(again), vf_process_pid(s.proc));
    vf_process_free(again);
    assert_int_equal(vf_process_from_pidfile(s.pidfile, VF_STANDIN_PATH, false, &again, &err), 0);
    vf_process_free(again);

    vf_stop_policy policy = quick_policy();
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    if (s.client != NULL)
        assert_int_equal(vf_rest_wait_ready(s.client, vf_process_pid(s.proc), 5000, &err), 0);
    if (vf_process_stop(s.proc, s.client, &policy, &step, &err) != 0)
        fail_msg("stop: %s", err.text);
    /* With the REST client the guest shuts down on Stop; without, SIGTERM. */
    assert_int_equal(step, s.client != NULL ? VF_STOP_BY_STOP : VF_STOP_BY_SIGTERM);
    vf_exit_status st;
    assert_int_equal(vf_process_wait(s.proc, 5000, &st, &err), 0);
    assert_int_equal(st.kind, VF_EXIT_CODE);
    assert_int_equal(st.value, 0);
    /* Reaped: the handle keeps the status and never signals the pid again. */
    assert_int_equal(vf_process_signal(s.proc, SIGTERM, &err), VF_ERR_EXITED);
    scene_end(&s);
}

/* ---- faults --------------------------------------------------------------- */

static void test_launcher_exits_early(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, true);
    const char *env[] = {"STANDIN_EXIT=3", NULL};
    scene_start(&s, env);
    vf_error err = {0};
    uint64_t start = now_ms();
    assert_int_equal(vf_ready_wait(s.ready, s.proc, s.ignition, 20000, &err), VF_ERR_EXITED);
    /* At once, not at the deadline, and with the status. */
    assert_true(now_ms() - start < 5000);
    assert_non_null(strstr(err.text, "exited with status 3"));
    assert_non_null(strstr(err.text, "before the guest was ready"));
    vf_exit_status st;
    assert_int_equal(vf_process_check_started(s.proc, 1000, &st, &err), VF_ERR_EXITED);
    assert_int_equal(st.kind, VF_EXIT_CODE);
    assert_int_equal(st.value, 3);
    assert_non_null(strstr(err.text, "within 1000 ms"));
    /* Not reaped by the looks: the status is still there to wait for. */
    assert_int_equal(vf_process_wait(s.proc, 0, &st, &err), 0);
    assert_int_equal(st.value, 3);
    assert_int_equal(vf_exit_status_shell_code(&st), 3);
    scene_end(&s);
}

static void test_guest_never_ready(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, false);
    const char *env[] = {"STANDIN_GUEST=none", NULL};
    scene_start(&s, env);
    vf_error err = {0};
    uint64_t start = now_ms();
    assert_int_equal(vf_ready_wait(s.ready, s.proc, NULL, 300, &err), VF_ERR_TIMEOUT);
    assert_true(now_ms() - start >= 300);
    assert_non_null(strstr(err.text, "within 300 ms"));
    assert_non_null(strstr(err.text, s.ready_sock));
    assert_true(vf_process_running(s.proc, NULL));
    vf_stop_policy policy = quick_policy();
    vf_stop_step step;
    assert_int_equal(vf_process_stop(s.proc, s.client, &policy, &step, &err), 0);
    scene_end(&s);
}

/* Nothing listens on the REST socket: "not answering", never "stopped"
 * while the process runs; the signals stop it. */
static void test_rest_never_answers(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, false);
    const char *env[] = {"STANDIN_REST=none", NULL};
    scene_start(&s, env);
    vf_error err = {0};
    assert_int_equal(vf_ready_wait(s.ready, s.proc, NULL, 10000, &err), 0);
    if (s.client != NULL)
        assert_int_equal(vf_rest_wait_ready(s.client, vf_process_pid(s.proc), 300, &err),
                         VF_ERR_TIMEOUT);
    vf_stop_policy policy = quick_policy();
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    assert_int_equal(vf_process_stop(s.proc, s.client, &policy, &step, &err), 0);
    assert_int_equal(step, VF_STOP_BY_SIGTERM);
    vf_exit_status st;
    assert_int_equal(vf_process_wait(s.proc, 5000, &st, &err), 0);
    assert_int_equal(st.kind, VF_EXIT_CODE);
    scene_end(&s);
}

/* minikube's policy: Stop, then SIGTERM; HardStop skipped (vfkit issue
 * 277). The guest ignores Stop, so SIGTERM ends it: had HardStop been
 * sent, the stand-in would have stopped on it. */
static void test_stop_ignored_hard_stop_skipped(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, false);
    const char *env[] = {"STANDIN_IGNORE_STOP=1", NULL};
    scene_start(&s, env);
    vf_error err = {0};
    scene_wait_up(&s, &err);
    vf_stop_policy policy = quick_policy();
    policy.stop.wait_ms = 300;
    policy.hard_stop.enabled = false;
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    uint64_t start = now_ms();
    if (vf_process_stop(s.proc, s.client, &policy, &step, &err) != 0)
        fail_msg("stop: %s", err.text);
    assert_int_equal(step, VF_STOP_BY_SIGTERM);
    if (s.client != NULL)
        assert_true(now_ms() - start >= 300); /* Stop had its wait */
    scene_end(&s);
}

/* Every step can be skipped, and a 0 wait does not wait: with only SIGTERM
 * and SIGKILL at 0 ms on a launcher that ignores SIGTERM, the stop
 * returns at once and says the process outlived it. */
static void test_zero_waits(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, false);
    const char *env[] = {"STANDIN_IGNORE_TERM=1", "STANDIN_REST=none", NULL};
    scene_start(&s, env);
    vf_error err = {0};
    assert_int_equal(vf_ready_wait(s.ready, s.proc, NULL, 10000, &err), 0);
    vf_stop_policy policy = VF_STOP_POLICY_INIT;
    policy.stop.enabled = false;
    policy.hard_stop.enabled = false;
    policy.sigterm.wait_ms = 0;
    policy.sigkill.enabled = false;
    uint64_t start = now_ms();
    assert_int_equal(vf_process_stop(s.proc, s.client, &policy, NULL, &err), VF_ERR_TIMEOUT);
    assert_true(now_ms() - start < 1000);
    assert_non_null(strstr(err.text, "0 ms after SIGTERM"));
    assert_true(vf_process_running(s.proc, NULL));
    policy.sigterm.enabled = false;
    policy.sigkill = (vf_stop_action){true, 5000};
    vf_stop_step step;
    assert_int_equal(vf_process_stop(s.proc, s.client, &policy, &step, &err), 0);
    assert_int_equal(step, VF_STOP_BY_SIGKILL);
    vf_exit_status st;
    assert_int_equal(vf_process_wait(s.proc, 5000, &st, &err), 0);
    assert_int_equal(st.kind, VF_EXIT_SIGNAL);
    assert_int_equal(st.value, SIGKILL);
    assert_int_equal(vf_exit_status_shell_code(&st), 128 + SIGKILL);
    /* An unknown version is refused. */
    policy.version = 99;
    assert_int_equal(vf_process_stop(s.proc, s.client, &policy, NULL, &err), VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "'version': 99"));
    scene_end(&s);
}

/* crc and minikube stop the VM from another process than the one that
 * started it. Here the first process holds the child and does not reap it
 * while a second one stops it through the pidfile: the launcher is then a
 * zombie, which the second process must count as stopped (kill(pid, 0)
 * still succeeds on a zombie). */
static void test_stop_from_second_process(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, false);
    scene_start(&s, NULL);
    vf_error err = {0};
    scene_wait_up(&s, &err);
    fflush(NULL);
    pid_t second = fork();
    assert_true(second >= 0);
    if (second == 0) {
        vf_process *found = NULL;
        vf_error e = {0};
        int rc = vf_process_from_pidfile(s.pidfile, STANDIN_NAME, false, &found, &e);
        int code = rc != 0 ? 10 : vf_process_is_child(found) ? 11 : 0;
        vf_rest_client *client = NULL;
        if (code == 0 && s.client != NULL) {
            vf_restful_uri uri;
            vf_restful_uri_parse(s.vm->restful_uri, &uri, NULL);
            client = vf_rest_client_new(&uri, NULL);
        }
        vf_stop_policy policy = quick_policy();
        policy.stop.wait_ms = 5000;
        vf_stop_step step = VF_STOP_NOT_RUNNING;
        if (code == 0 && vf_process_stop(found, client, &policy, &step, &e) != 0)
            code = 12;
        vf_stop_step want = client != NULL ? VF_STOP_BY_STOP : VF_STOP_BY_SIGTERM;
        if (code == 0 && step != want)
            code = 13;
        /* Stopped, and the pid is still a zombie of the first process. */
        if (code == 0 && vf_process_running(found, NULL))
            code = 14;
        if (code != 0)
            fprintf(stderr, "second process: code %d: %s\n", code, e.text);
        vf_rest_client_free(client);
        vf_process_free(found);
        _exit(code);
    }
    int status = 0;
    assert_int_equal(waitpid(second, &status, 0), second);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    vf_exit_status st;
    assert_int_equal(vf_process_wait(s.proc, 5000, &st, &err), 0);
    assert_int_equal(st.kind, VF_EXIT_CODE);
    assert_int_equal(st.value, 0);
    scene_end(&s);
}

/* vf_vm_stop_gracefully() with a bare pid, from a process that is not the
 * parent: a zombie is a stopped VM, not one that outlived Stop. */
static void test_graceful_stop_sees_zombie(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, false);
    scene_start(&s, NULL);
    vf_error err = {0};
    assert_int_equal(vf_ready_wait(s.ready, s.proc, NULL, 10000, &err), 0);
    if (s.client == NULL) {
        scene_end(&s); /* without libcurl the stop below is signals only: covered above */
        assert_true(VF_HAVE_REST == 0);
        return;
    }
    assert_int_equal(vf_rest_wait_ready(s.client, vf_process_pid(s.proc), 5000, &err), 0);
    pid_t pid = vf_process_pid(s.proc);
    fflush(NULL);
    pid_t second = fork();
    assert_true(second >= 0);
    if (second == 0) {
        vf_restful_uri uri;
        vf_restful_uri_parse(s.vm->restful_uri, &uri, NULL);
        vf_rest_client *client = vf_rest_client_new(&uri, NULL);
        vf_stop_options options = {.stop_timeout_ms = 5000, .poll_interval_ms = 20};
        vf_stop_step step = VF_STOP_NOT_RUNNING;
        int rc = vf_vm_stop_gracefully(client, pid, &options, &step, NULL);
        vf_rest_client_free(client);
        _exit(rc == 0 && step == VF_STOP_BY_STOP ? 0 : 20 + (int)step);
    }
    int status = 0;
    assert_int_equal(waitpid(second, &status, 0), second);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    vf_exit_status st;
    assert_int_equal(vf_process_wait(s.proc, 5000, &st, &err), 0);
    assert_int_equal(st.kind, VF_EXIT_CODE); /* exited by itself: not signalled */
    scene_end(&s);
}

/* A pidfile whose pid now runs another program is stale: nothing is
 * signalled, and with remove_stale the file goes (crc's
 * recoverFromUncleanShutdown). */
static void test_stale_pidfile(void **state)
{
    (void)state;
    char dir[] = "/tmp/vflc-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char pidfile[64];
    snprintf(pidfile, sizeof pidfile, "%s/vfkit.pid", dir);

    /* Another program on the pid: sleep. */
    char prog[] = "sleep", seconds[] = "10";
    char *argv[] = {prog, seconds, NULL};
    vf_cmd cmd = {argv, NULL, 0};
    vf_process *other = NULL;
    vf_error err = {0};
    assert_int_equal(vf_process_spawn(&cmd, NULL, &other, &err), 0);
    assert_int_equal(vf_process_write_pidfile(other, pidfile, &err), 0);
    vf_process *found = NULL;
    assert_int_equal(vf_process_from_pidfile(pidfile, STANDIN_NAME, false, &found, &err),
                     VF_ERR_EXITED);
    assert_null(found);
    assert_non_null(strstr(err.text, "stale"));
    assert_non_null(strstr(err.text, "sleep"));
    assert_true(exists(pidfile));
    assert_int_equal(vf_process_from_pidfile(pidfile, STANDIN_NAME, true, &found, &err),
                     VF_ERR_EXITED);
    assert_false(exists(pidfile));
    assert_true(vf_process_running(other, NULL)); /* untouched */
    /* Attached by its own name, it is found. */
    assert_int_equal(vf_process_attach(vf_process_pid(other), "sleep", &found, &err), 0);
    assert_true(vf_process_is_child(found));
    vf_process_free(found);

    /* A pid that no longer exists: reaped. */
    pid_t pid = vf_process_pid(other);
    assert_int_equal(vf_process_signal(other, SIGKILL, &err), 0);
    vf_exit_status st;
    assert_int_equal(vf_process_wait(other, 5000, &st, &err), 0);
    assert_int_equal(st.kind, VF_EXIT_SIGNAL);
    vf_process_free(other);
    FILE *f = fopen(pidfile, "w");
    assert_non_null(f);
    fprintf(f, "%ld\n", (long)pid);
    fclose(f);
    assert_int_equal(vf_process_from_pidfile(pidfile, "sleep", true, &found, &err), VF_ERR_EXITED);
    assert_false(exists(pidfile));
    /* No pidfile at all: no VM runs. */
    assert_int_equal(vf_process_from_pidfile(pidfile, "sleep", true, &found, &err), VF_ERR_EXITED);
    assert_non_null(strstr(err.text, "no such file"));
    rmdir(dir);
}

/* ---- pidfiles, exit status, signals --------------------------------------- */

static void test_pidfile_format(void **state)
{
    (void)state;
    char dir[] = "/tmp/vflc-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/test.pid", dir);
    vf_process *proc = NULL;
    assert_int_equal(vf__process_for_pid(123, &proc, NULL), 0);
    assert_int_equal(vf_process_write_pidfile(proc, path, NULL), 0);
    vf_process_free(proc);
    char text[32];
    read_file(path, text, sizeof text);
    assert_string_equal(text, "123"); /* vfkit's and minikube's: no newline */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    pid_t pid = 0;
    assert_int_equal(vf_pidfile_read(path, &pid, NULL), 0);
    assert_int_equal(pid, 123);

    write_file(path, "  4242\n");
    assert_int_equal(vf_pidfile_read(path, &pid, NULL), 0);
    assert_int_equal(pid, 4242);
    const char *bad[] = {"invalid", "", "0", "-5", "12 34", "99999999999", "0x10"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(path, bad[i]);
        vf_error err = {0};
        if (vf_pidfile_read(path, &pid, &err) != VF_ERR_INVALID)
            fail_msg("pidfile \"%s\" was accepted", bad[i]);
        assert_non_null(strstr(err.text, "invalid pid"));
    }
    unlink(path);
    vf_error err = {0};
    assert_int_equal(vf_pidfile_read(path, &pid, &err), VF_ERR_IO);
    assert_non_null(strstr(err.text, path));
    rmdir(dir);
}

static void test_exit_status(void **state)
{
    (void)state;
    char buf[96];
    vf_exit_status st;
    pid_t pid = fork();
    if (pid == 0)
        _exit(7);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    vf_exit_status_from_wait(status, &st);
    assert_int_equal(st.kind, VF_EXIT_CODE);
    assert_int_equal(st.value, 7);
    vf_exit_status_format(&st, buf, sizeof buf);
    assert_string_equal(buf, "exited with status 7");
    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    kill(pid, SIGKILL);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    vf_exit_status_from_wait(status, &st);
    assert_int_equal(st.kind, VF_EXIT_SIGNAL);
    assert_int_equal(st.value, SIGKILL);
    size_t written = vf_exit_status_format(&st, buf, sizeof buf); /* before strlen reads buf */
    assert_int_equal(written, strlen(buf));
    assert_string_equal(buf, "was killed by signal 9 (SIGKILL)");
    assert_int_equal(vf_exit_status_shell_code(&st), 137);
    st = (vf_exit_status){VF_EXIT_GONE, 0};
    assert_int_equal(vf_exit_status_shell_code(&st), 1);
}

/* A zombie of another process counts as ended (kill(pid, 0) does not). */
static void test_zombie_of_another_process(void **state)
{
    (void)state;
    pid_t zombie = fork();
    if (zombie == 0)
        _exit(0);
    /* Wait until it has exited, without reaping it. */
    siginfo_t info;
    memset(&info, 0, sizeof info);
    assert_int_equal(waitid(P_PID, (id_t)zombie, &info, WEXITED | WNOWAIT), 0);
    assert_int_equal(kill(zombie, 0), 0);
    fflush(NULL);
    pid_t other = fork();
    if (other == 0) {
        vf_exit_status st;
        bool ended = vf__pid_ended(zombie, &st);
        vf_process *proc = NULL;
        int rc = vf_process_attach(zombie, "anything", &proc, NULL);
        _exit(ended && st.kind == VF_EXIT_GONE && rc == VF_ERR_EXITED ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(other, &status, 0), other);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* Its parent sees the status without reaping it. */
    vf_exit_status st;
    assert_true(vf__pid_ended(zombie, &st));
    assert_int_equal(st.kind, VF_EXIT_CODE);
    assert_int_equal(waitpid(zombie, &status, 0), zombie);
}

static void test_forward_signals(void **state)
{
    (void)state;
    char prog[] = "sleep", seconds[] = "10";
    char *argv[] = {prog, seconds, NULL};
    vf_cmd cmd = {argv, NULL, 0};
    vf_process *proc = NULL;
    vf_error err = {0};
    assert_int_equal(vf_process_spawn(&cmd, NULL, &proc, &err), 0);
    assert_int_equal(vf_process_forward_signals(proc, &err), 0);
    assert_int_equal(vf_process_forwarded_signal(), 0);
    /* The program gets SIGTERM and survives; the child gets it and ends. */
    assert_int_equal(raise(SIGTERM), 0);
    assert_int_equal(vf_process_forwarded_signal(), SIGTERM);
    vf_exit_status st;
    assert_int_equal(vf_process_wait(proc, 5000, &st, &err), 0);
    assert_int_equal(st.kind, VF_EXIT_SIGNAL);
    assert_int_equal(st.value, SIGTERM);
    vf_process_forward_signals_stop();
    struct sigaction now;
    assert_int_equal(sigaction(SIGTERM, NULL, &now), 0);
    assert_true(now.sa_handler == SIG_DFL);
    vf_process_free(proc);
}

/* ---- the ready socket and the Ignition server, alone ----------------------- */

static int connect_unix(const char *path)
{
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    return fd;
}

static void test_ready_listen_rules(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, false);
    vf_error err = {0};
    vf_ready *r = NULL;
    /* The device is found again, not added twice; its path is the default. */
    vf_ready_free(s.ready);
    s.ready = NULL;
    assert_int_equal(vf_ready_listen(s.vm, VF_READY_VSOCK_PORT, NULL, &s.ready, &err), 0);
    assert_int_equal(vf_vm_filter_devices(s.vm, VF_DEVICE_VIRTIO_VSOCK, NULL, 0), 1);
    assert_string_equal(vf_ready_socket_path(s.ready), s.ready_sock);
    /* Another path for the same port. */
    assert_int_equal(vf_ready_listen(s.vm, VF_READY_VSOCK_PORT, "/tmp/other.sock", &r, &err),
                     VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "socketURL"));
    /* A connect-mode device on the port. */
    vf_vm_add_device(s.vm, (vf_device *)vf_virtio_vsock_new(2000, "/tmp/x.sock", false), &err);
    assert_int_equal(vf_ready_listen(s.vm, 2000, NULL, &r, &err), VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "'listen'"));
    /* 104 bytes: over macOS's sun_path. */
    char long_path[128];
    memset(long_path, 'a', sizeof long_path);
    memcpy(long_path, "/tmp/", 5);
    long_path[104] = '\0';
    size_t before = vf_vm_filter_devices(s.vm, VF_DEVICE_VIRTIO_VSOCK, NULL, 0);
    assert_int_equal(vf_ready_listen(s.vm, 3000, long_path, &r, &err), VF_ERR_LIMIT);
    assert_non_null(strstr(err.text, "104 bytes"));
    assert_int_equal(vf_vm_filter_devices(s.vm, VF_DEVICE_VIRTIO_VSOCK, NULL, 0), before);
    /* A regular file is not removed; a stale socket is. */
    char path[96];
    snprintf(path, sizeof path, "%s/plain", s.dir);
    write_file(path, "keep me");
    assert_int_equal(vf_ready_listen(s.vm, 3000, path, &r, &err), VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "not a socket"));
    assert_true(exists(path));
    unlink(path);
    vf_ready_free(s.ready); /* leaves no socket */
    s.ready = NULL;
    assert_false(exists(s.ready_sock));
    int stale = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", s.ready_sock);
    assert_int_equal(bind(stale, (struct sockaddr *)&addr, sizeof addr), 0);
    close(stale); /* the socket file stays: stale */
    assert_true(exists(s.ready_sock));
    assert_int_equal(vf_ready_listen(s.vm, VF_READY_VSOCK_PORT, NULL, &s.ready, &err), 0);
    /* One in use is not taken. */
    assert_int_equal(vf_ready_listen(s.vm, VF_READY_VSOCK_PORT, NULL, &r, &err), VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "in use"));
    /* A guest that connects and says Ready. */
    int fd = connect_unix(s.ready_sock);
    assert_int_equal(write(fd, "Ready\n", 6), 6);
    assert_int_equal(vf_ready_wait(s.ready, NULL, NULL, 2000, &err), 0);
    close(fd);
    scene_end(&s);
}

/* Reads a whole answer from fd (the server closes after it). */
static void read_answer(int fd, char *buf, size_t size)
{
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n <= 0 || (len += (size_t)n) == size - 1)
            break;
    }
    buf[len] = '\0';
}

typedef struct ign_client {
    const char *path;
    const char *request;
    char answer[1024];
} ign_client;

/* A client in a forked process would need the answer back; a second thread
 * is not worth it: the requests are small enough for the socket buffers, so
 * send, serve, read. */
static void ask_server(vf_ignition_server *srv, ign_client *c, bool served_after)
{
    int fd = connect_unix(c->path);
    size_t len = strlen(c->request);
    assert_int_equal(write(fd, c->request, len), (ssize_t)len);
    vf_error err = {0};
    int rc = vf_ignition_server_serve(srv, 300, &err);
    assert_int_equal(rc, served_after ? 0 : VF_ERR_TIMEOUT);
    read_answer(fd, c->answer, sizeof c->answer);
    close(fd);
}

static void test_ignition_server(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, true);
    ign_client post = {s.ignition_sock, "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", ""};
    ask_server(s.ignition, &post, false);
    assert_non_null(strstr(post.answer, "HTTP/1.1 405 "));
    assert_true(exists(s.ignition_sock));
    ign_client head = {s.ignition_sock, "HEAD /config HTTP/1.1\r\nHost: x\r\n\r\n", ""};
    ask_server(s.ignition, &head, false);
    char length[64];
    snprintf(length, sizeof length, "Content-Length: %zu\r\n", strlen(ignition_config));
    assert_non_null(strstr(head.answer, "HTTP/1.1 200 OK\r\n"));
    assert_non_null(strstr(head.answer, length));
    assert_null(strstr(head.answer, "ignition\":"));
    ign_client get = {s.ignition_sock, "GET / HTTP/1.1\r\nHost: vsock\r\n\r\n", ""};
    ask_server(s.ignition, &get, true);
    const char *body = strstr(get.answer, "\r\n\r\n");
    assert_non_null(body);
    assert_string_equal(body + 4, ignition_config);
    assert_true(vf_ignition_server_served(s.ignition));
    assert_false(exists(s.ignition_sock)); /* closed after serving */
    vf_error err = {0};
    assert_int_equal(vf_ignition_server_serve(s.ignition, 10, &err), 0);
    scene_end(&s);
}

static void test_ignition_server_deadline(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, true);
    vf_error err = {0};
    uint64_t start = now_ms();
    assert_int_equal(vf_ignition_server_serve(s.ignition, 200, &err), VF_ERR_TIMEOUT);
    assert_true(now_ms() - start >= 200);
    assert_non_null(strstr(err.text, "within 200 ms"));
    /* A head that never ends is cut at 8 KiB. */
    int fd = connect_unix(s.ignition_sock);
    static char junk[9000];
    memset(junk, 'x', sizeof junk);
    assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    assert_int_equal(vf_ignition_server_serve(s.ignition, 300, &err), VF_ERR_TIMEOUT);
    char answer[256];
    read_answer(fd, answer, sizeof answer);
    close(fd);
    assert_non_null(strstr(answer, "HTTP/1.1 431 "));
    scene_end(&s);
}

/* podman's way and vfkit's own --ignition conflict, as do two vsock
 * devices on one port: vfkit listens on the port for each. */
static void test_ignition_conflicts(void **state)
{
    (void)state;
    vf_error err = {0};
    vf_vm *vm = vf_vm_new(1, 512, (vf_bootloader *)vf_efi_bootloader_new("/vm/efi", true));
    vf_vm_set_ignition(vm, vf_ignition_new("/vm/config.ign", NULL, NULL));
    vf_ignition_server *srv = NULL;
    assert_int_equal(vf_ignition_server_new(vm, "/vm/config.ign", "/tmp/i.sock", &srv, &err),
                     VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "--ignition"));
    vf_vm_add_device(vm, (vf_device *)vf_virtio_vsock_new(1024, "/tmp/ign.sock", true), &err);
    assert_int_equal(vf_vm_check_vsock(vm, &err), VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "--ignition"));
    assert_non_null(strstr(err.text, "1024"));
    vf_ready *ready = NULL;
    assert_int_equal(vf_ready_listen(vm, VF_READY_VSOCK_PORT, "/tmp/r.sock", &ready, &err),
                     VF_ERR_INVALID);
    assert_null(ready);
    /* The command line stays the Go package's. */
    vf_cmd *cmd = NULL;
    assert_int_equal(vf_vm_cmd(vm, "vfkit", &cmd, &err), 0);
    vf_cmd_free(cmd);
    vf_vm_set_ignition(vm, NULL);
    assert_int_equal(vf_vm_check_vsock(vm, &err), 0);
    assert_int_equal(vf_ignition_server_new(vm, "/vm/config.ign", "/tmp/i.sock", &srv, &err),
                     VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "port 1024"));
    vf_vm_add_device(vm, (vf_device *)vf_virtio_vsock_new(1024, "/tmp/two.sock", true), &err);
    assert_int_equal(vf_vm_check_vsock(vm, &err), VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "port 1024"));
    assert_non_null(strstr(err.text, "devices 0 and 1"));
    vf_vm_free(vm);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_cycle),
        cmocka_unit_test(test_launcher_exits_early),
        cmocka_unit_test(test_guest_never_ready),
        cmocka_unit_test(test_rest_never_answers),
        cmocka_unit_test(test_stop_ignored_hard_stop_skipped),
        cmocka_unit_test(test_zero_waits),
        cmocka_unit_test(test_stop_from_second_process),
        cmocka_unit_test(test_graceful_stop_sees_zombie),
        cmocka_unit_test(test_stale_pidfile),
        cmocka_unit_test(test_pidfile_format),
        cmocka_unit_test(test_exit_status),
        cmocka_unit_test(test_zombie_of_another_process),
        cmocka_unit_test(test_forward_signals),
        cmocka_unit_test(test_ready_listen_rules),
        cmocka_unit_test(test_ignition_server),
        cmocka_unit_test(test_ignition_server_deadline),
        cmocka_unit_test(test_ignition_conflicts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
