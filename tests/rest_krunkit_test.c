/*
 * The REST client against krunkit's service (tests/rest_server.c in
 * krunkit mode, sending the bytes of krunkit's src/status.rs): an answer
 * without Content-Length that ends at the connection's close and whose
 * JSON ends in a NUL; GET answers Running, then Stopping once a POST
 * stopped the VM; no /vm/inspect, no HardStop. Over a unix socket and TCP.
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

static vf_rest_client *krunkit_client(const char *uri)
{
    vf_rest_client *client = rs_client(uri, 2000);
    assert_non_null(client);
    vf_rest_client_set_launcher(client, VF_LAUNCHER_KRUNKIT);
    return client;
}

static void get_state_and_refusals(bool tcp)
{
    rs_config cfg = {.tcp = tcp, .krunkit = true, .shutdown_ms = 60000};
    rs_server *srv = rs_start(&cfg);
    assert_non_null(srv);
    vf_rest_client *client = krunkit_client(rs_uri(srv));
    vf_error err = {0};
    vf_rest_state_info info;
    assert_int_equal(vf_rest_wait_ready(client, 0, 5000, &err), 0);
    int rc = vf_rest_get_state(client, &info, &err);
    if (rc != 0)
        fail_msg("GET: %s", err.text);
    assert_int_equal(info.state, VF_REST_STATE_RUNNING);
    assert_string_equal(info.name, "VirtualMachineStateRunning");
    /* What krunkit would turn into a stop, or answer with its state. */
    assert_int_equal(vf_rest_set_state(client, VF_REST_CHANGE_PAUSE, &err), VF_ERR_UNSUPPORTED);
    assert_int_equal(vf_rest_set_state(client, VF_REST_CHANGE_HARD_STOP, &err), VF_ERR_UNSUPPORTED);
    vf_vm *vm = NULL;
    assert_int_equal(vf_rest_inspect(client, &vm, &err), VF_ERR_UNSUPPORTED);
    assert_null(vm);
    /* None of them reached the server; a Stop does, and the state follows. */
    int before = rs_request_count(srv);
    assert_int_equal(vf_rest_set_state(client, VF_REST_CHANGE_STOP, &err), 0);
    assert_int_equal(rs_request_count(srv), before + 1);
    char line[128], body[128], type[64];
    rs_last_request(srv, line, sizeof line, body, sizeof body, type, sizeof type);
    assert_string_equal(line, "POST /vm/state HTTP/1.1");
    assert_int_equal(vf_rest_get_state(client, &info, &err), 0);
    assert_int_equal(info.state,
                     VF_REST_STATE_RUNNING); /* krunkit answers every GET with Running */
    vf_rest_client_free(client);
    rs_stop(srv);
}

static void test_unix(void **state)
{
    (void)state;
    get_state_and_refusals(false);
}

static void test_tcp(void **state)
{
    (void)state;
    get_state_and_refusals(true);
}

/* Without the launcher set, the same bytes read too: the NUL is dropped. */
static void test_nul_terminated_body(void **state)
{
    (void)state;
    rs_config cfg = {.krunkit = true};
    rs_server *srv = rs_start(&cfg);
    assert_non_null(srv);
    vf_rest_client *client = rs_client(rs_uri(srv), 2000);
    vf_rest_state_info info;
    vf_error err = {0};
    assert_int_equal(vf_rest_get_state(client, &info, &err), 0);
    assert_int_equal(info.state, VF_REST_STATE_RUNNING);
    vf_rest_client_free(client);
    rs_stop(srv);
}

/* A krunkit child: "Stop" ends it, or it ignores it and signals do. */
static void stop_child(bool tcp, bool ignore_stop, vf_stop_step want_step, int want_signal)
{
    rs_config cfg = {
        .tcp = tcp, .krunkit = true, .exit_on_stopped = true, .ignore_stop = ignore_stop};
    char uri[160], dir[64];
    pid_t pid = rs_fork(&cfg, uri, sizeof uri, dir, sizeof dir);
    assert_true(pid > 0);
    vf_rest_client *client = krunkit_client(uri);
    vf_error err = {0};
    assert_int_equal(vf_rest_wait_ready(client, pid, 5000, &err), 0);
    vf_stop_options options = {.stop_timeout_ms = ignore_stop ? 400 : 5000,
                               .hard_stop_timeout_ms = 60000, /* never waited for */
                               .term_timeout_ms = 5000,
                               .kill_timeout_ms = 5000,
                               .poll_interval_ms = 20};
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    int rc = vf_vm_stop_gracefully(client, pid, &options, &step, &err);
    if (rc != 0)
        fail_msg("stop: %s", err.text);
    assert_int_equal(step, want_step);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (want_signal == 0)
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    else
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == want_signal);
    vf_rest_client_free(client);
    rs_child_cleanup(dir);
}

static void test_graceful_stop_unix(void **state)
{
    (void)state;
    stop_child(false, false, VF_STOP_BY_STOP, 0);
}

static void test_graceful_stop_tcp(void **state)
{
    (void)state;
    stop_child(true, false, VF_STOP_BY_STOP, 0);
}

/* No HardStop for krunkit: after Stop, SIGTERM. */
static void test_stop_ignored_goes_to_signals(void **state)
{
    (void)state;
    stop_child(false, true, VF_STOP_BY_SIGTERM, SIGTERM);
}

int main(void)
{
    /* The tests that fork a server come before those that start one on
     * a thread: a child forked after a thread has run inherits that
     * thread's cached stack, which valgrind counts as possibly lost when
     * the child is ended by SIGTERM. */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graceful_stop_unix),
        cmocka_unit_test(test_graceful_stop_tcp),
        cmocka_unit_test(test_stop_ignored_goes_to_signals),
        cmocka_unit_test(test_unix),
        cmocka_unit_test(test_tcp),
        cmocka_unit_test(test_nul_terminated_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
