/*
 * vf_vm_stop_gracefully end to end: a child process serves vfkit's REST API
 * (tests/rest_server.c) and exits once its VM has stopped, or ignores "Stop",
 * or "HardStop" too, or SIGTERM too; then the same without a process id,
 * against a server on a thread, where a refused connection after the stop
 * counts as stopped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <signal.h>
#include <sys/wait.h>

#include <vfconfig/rest.h>

#include "rest_server.h"

/* Short deadlines: every step that is meant to fail does so quickly. */
static const vf_stop_options quick = {
    .stop_timeout_ms = 400,
    .hard_stop_timeout_ms = 400,
    .term_timeout_ms = 400,
    .kill_timeout_ms = 2000,
    .poll_interval_ms = 20,
};

/* Generous deadlines, for the step that is meant to work. */
static vf_stop_options patient(void)
{
    vf_stop_options o = quick;
    o.stop_timeout_ms = 5000;
    return o;
}

static vf_rest_client *client_for(const char *uri)
{
    vf_rest_client *client = rs_client(uri, 1000);
    assert_non_null(client);
    return client;
}

/* A server on a thread and a client for it. */
typedef struct served {
    rs_server *srv;
    vf_rest_client *client;
} served;

static served serve_on_thread(const rs_config *cfg)
{
    served s = {rs_start(cfg), NULL};
    assert_non_null(s.srv);
    s.client = client_for(rs_uri(s.srv));
    return s;
}

static void served_end(served *s)
{
    vf_rest_client_free(s->client);
    rs_stop(s->srv);
}

/* Starts a serving child, stops it, checks the step and how it ended. */
static void stop_child(const rs_config *cfg, const vf_stop_options *options, vf_stop_step want_step,
                       int want_signal)
{
    char uri[160], dir[64];
    pid_t pid = rs_fork(cfg, uri, sizeof uri, dir, sizeof dir);
    assert_true(pid > 0);
    vf_rest_client *client = client_for(uri);
    vf_error err = {0};
    assert_int_equal(vf_rest_wait_ready(client, pid, 5000, &err), 0);

    vf_stop_step step = VF_STOP_NOT_RUNNING;
    int rc = vf_vm_stop_gracefully(client, pid, options, &step, &err);
    if (rc != 0)
        fail_msg("stop: %s", err.text);
    assert_int_equal(step, want_step);

    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid); /* not reaped by the library */
    if (want_signal == 0) {
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    } else {
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), want_signal);
    }
    vf_rest_client_free(client);
    rs_child_cleanup(dir);
}

static void test_guest_stops(void **state)
{
    (void)state;
    rs_config cfg = {.exit_on_stopped = true};
    vf_stop_options options = patient();
    stop_child(&cfg, &options, VF_STOP_BY_STOP, 0);
}

static void test_guest_stops_tcp(void **state)
{
    (void)state;
    rs_config cfg = {.tcp = true, .exit_on_stopped = true};
    vf_stop_options options = patient();
    stop_child(&cfg, &options, VF_STOP_BY_STOP, 0);
}

static void test_guest_ignores_stop(void **state)
{
    (void)state;
    rs_config cfg = {.exit_on_stopped = true, .ignore_stop = true};
    vf_stop_options options = quick;
    options.hard_stop_timeout_ms = 5000;
    stop_child(&cfg, &options, VF_STOP_BY_HARD_STOP, 0);
}

static void test_hard_stop_ignored_too(void **state)
{
    (void)state;
    rs_config cfg = {.exit_on_stopped = true, .ignore_stop = true, .ignore_hard_stop = true};
    vf_stop_options options = quick;
    options.term_timeout_ms = 5000;
    stop_child(&cfg, &options, VF_STOP_BY_SIGTERM, SIGTERM);
}

static void test_sigterm_ignored_too(void **state)
{
    (void)state;
    rs_config cfg = {.exit_on_stopped = true,
                     .ignore_stop = true,
                     .ignore_hard_stop = true,
                     .ignore_sigterm = true};
    stop_child(&cfg, &quick, VF_STOP_BY_SIGKILL, SIGKILL);
}

/* A stop that a refusing server answers 500 goes on to HardStop at once. */
static void test_stop_refused_by_server(void **state)
{
    (void)state;
    rs_config cfg = {.exit_on_stopped = true};
    served s = serve_on_thread(&cfg);
    /* Paused: vfkit refuses Stop (canStop is false) but takes HardStop. */
    assert_int_equal(vf_rest_set_state(s.client, VF_REST_CHANGE_PAUSE, NULL), 0);
    vf_stop_options options = patient();
    options.hard_stop_timeout_ms = 5000;
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    assert_int_equal(vf_vm_stop_gracefully(s.client, 0, &options, &step, NULL), 0);
    assert_int_equal(step, VF_STOP_BY_HARD_STOP);
    served_end(&s);
}

/* Without a pid: Stopped, or a refused connection after the stop, is stopped. */
static void test_rest_only(void **state)
{
    (void)state;
    rs_config cfg = {.exit_on_stopped = true};
    served s = serve_on_thread(&cfg);
    vf_stop_options options = patient();
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    assert_int_equal(vf_vm_stop_gracefully(s.client, 0, &options, &step, NULL), 0);
    assert_int_equal(step, VF_STOP_BY_STOP);
    /* The server has gone, as vfkit exits. */
    assert_int_equal(vf_rest_set_state(s.client, VF_REST_CHANGE_STOP, NULL), VF_ERR_REST);
    assert_true(vf_rest_client_unreachable(s.client));
    served_end(&s);
}

/* Without a pid, a VM that outlives HardStop is an error that says so. */
static void test_rest_only_never_stops(void **state)
{
    (void)state;
    rs_config cfg = {.ignore_stop = true, .ignore_hard_stop = true};
    served s = serve_on_thread(&cfg);
    vf_error err = {0};
    assert_int_equal(vf_vm_stop_gracefully(s.client, 0, &quick, NULL, &err), VF_ERR_TIMEOUT);
    assert_non_null(strstr(err.text, "did not stop"));
    char name[64];
    rs_state_name(s.srv, name, sizeof name);
    assert_string_equal(name, "VirtualMachineStateRunning");
    served_end(&s);
}

/* Nothing listening and no pid: nothing to stop. */
static void test_nothing_running(void **state)
{
    (void)state;
    vf_rest_client *client = client_for("unix:///tmp/vfconfig-rest-test-nothing-here.sock");
    vf_stop_step step = VF_STOP_BY_SIGKILL;
    assert_int_equal(vf_vm_stop_gracefully(client, 0, &quick, &step, NULL), 0);
    assert_int_equal(step, VF_STOP_NOT_RUNNING);
    vf_rest_client_free(client);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guest_stops),         cmocka_unit_test(test_guest_stops_tcp),
        cmocka_unit_test(test_guest_ignores_stop),  cmocka_unit_test(test_hard_stop_ignored_too),
        cmocka_unit_test(test_sigterm_ignored_too), cmocka_unit_test(test_stop_refused_by_server),
        cmocka_unit_test(test_rest_only),           cmocka_unit_test(test_rest_only_never_stops),
        cmocka_unit_test(test_nothing_running),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
