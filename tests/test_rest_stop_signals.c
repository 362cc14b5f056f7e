/*
 * vf_vm_stop_gracefully without a REST client: SIGTERM, then SIGKILL, the
 * process looked at but never reaped. Built with and without libcurl; in a
 * build without it, the REST client's calls say VF_ERR_UNSUPPORTED.
 * (The REST steps are tested against a served API in rest_stop_test.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <vfconfig/rest.h>

/* A child that sleeps (20 s at most), ignoring SIGTERM if asked. The pipe
 * tells the parent its signal set-up is done. */
static pid_t sleeper(bool ignore_sigterm)
{
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (ignore_sigterm)
            signal(SIGTERM, SIG_IGN);
        close(ready[1]);
        struct timespec tick = {0, 100 * 1000 * 1000};
        for (int i = 0; i < 200; i++)
            nanosleep(&tick, NULL);
        _exit(3);
    }
    close(ready[1]);
    char c;
    assert_int_equal(read(ready[0], &c, 1), 0); /* EOF once the child is set up */
    close(ready[0]);
    return pid;
}

static const vf_stop_options quick = {
    .term_timeout_ms = 2000,
    .kill_timeout_ms = 2000,
    .poll_interval_ms = 10,
};

static void test_sigterm_stops(void **state)
{
    (void)state;
    pid_t pid = sleeper(false);
    vf_stop_step step = VF_STOP_BY_SIGKILL;
    vf_error err = {0};
    assert_int_equal(vf_vm_stop_gracefully(NULL, pid, &quick, &step, &err), 0);
    assert_int_equal(step, VF_STOP_BY_SIGTERM);
    /* Not reaped: the caller still gets the status. */
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
}

static void test_sigkill_when_sigterm_is_ignored(void **state)
{
    (void)state;
    pid_t pid = sleeper(true);
    vf_stop_options options = quick;
    options.term_timeout_ms = 200;
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    assert_int_equal(vf_vm_stop_gracefully(NULL, pid, &options, &step, NULL), 0);
    assert_int_equal(step, VF_STOP_BY_SIGKILL);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
}

static void test_already_exited(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(7);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    assert_int_equal(waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT), 0);
    vf_stop_step step = VF_STOP_BY_SIGKILL;
    assert_int_equal(vf_vm_stop_gracefully(NULL, pid, NULL, &step, NULL), 0);
    assert_int_equal(step, VF_STOP_NOT_RUNNING);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 7);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    vf_error err = {0};
    assert_int_equal(vf_vm_stop_gracefully(NULL, 0, NULL, NULL, &err), VF_ERR_INVALID);
    assert_non_null(strstr(err.text, "neither a REST client nor a process id"));
    assert_int_equal(vf_vm_stop_gracefully(NULL, -1, NULL, NULL, NULL), VF_ERR_INVALID);
}

/* What a build says about its REST client. */
static void test_client_in_this_build(void **state)
{
    (void)state;
    vf_restful_uri uri;
    vf_error err = {0};
    assert_int_equal(vf_restful_uri_parse("unix:///tmp/vfconfig-no-such.sock", &uri, &err), 0);
#if VF_HAVE_REST
    vf_rest_client *client = vf_rest_client_new(&uri, &err);
    assert_non_null(client); /* no network until a request */
    assert_false(vf_rest_client_unreachable(client));
    vf_rest_client_set_timeout(client, 300);
    vf_rest_client_free(client);
    vf_rest_client_free(NULL);
    vf_restful_uri none;
    assert_int_equal(vf_restful_uri_parse(NULL, &none, NULL), 0);
    assert_null(vf_rest_client_new(&none, &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
    assert_null(vf_rest_client_new(NULL, NULL));
    assert_int_equal(vf_rest_wait_ready(NULL, 0, 100, &err), VF_ERR_INVALID);
#else
    assert_null(vf_rest_client_new(&uri, &err));
    assert_int_equal(err.code, VF_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.text, "libcurl"));
    vf_rest_state_info info;
    vf_vm *vm = (vf_vm *)&info;
    assert_int_equal(vf_rest_get_state(NULL, &info, NULL), VF_ERR_UNSUPPORTED);
    assert_int_equal(vf_rest_set_state(NULL, VF_REST_CHANGE_STOP, NULL), VF_ERR_UNSUPPORTED);
    assert_int_equal(vf_rest_inspect(NULL, &vm, NULL), VF_ERR_UNSUPPORTED);
    assert_null(vm);
    assert_int_equal(vf_rest_wait_ready(NULL, 0, 100, &err), VF_ERR_UNSUPPORTED);
    assert_false(vf_rest_client_unreachable(NULL));
    vf_rest_client_free(NULL);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigterm_stops),
        cmocka_unit_test(test_sigkill_when_sigterm_is_ignored),
        cmocka_unit_test(test_already_exited),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_client_in_this_build),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
