/*
 * libvfconfig - waiting for vfkit's REST service, and stopping a VM gently
 * first: "Stop", "HardStop", SIGTERM, SIGKILL, each with its deadline.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Built with and without libcurl: without it there is no client, and the
 * stop uses signals only.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "vfconfig/vfconfig.h"
#include "rest/internal.h"
#include "util/error.h"
#include "vfconfig/rest.h"

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Milliseconds until end, 0 once it has passed. */
static uint64_t left_until(uint64_t end)
{
    uint64_t now = now_ms();
    return now >= end ? 0 : end - now;
}

static void sleep_ms(uint64_t ms)
{
    struct timespec want = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    struct timespec rest;
    /* A signal may cut the sleep short; finish it, a few times at most. */
    for (int tries = 0; tries < 8 && nanosleep(&want, &rest) != 0 && errno == EINTR; tries++)
        want = rest;
}

/* True once the process has exited. A child of the caller is looked at
 * without being reaped (WNOWAIT), so the caller still waits for it; another
 * process counts as exited once it no longer exists. */
static bool process_exited(pid_t pid)
{
    for (int tries = 0; tries < 8; tries++) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        /* si_pid stays 0 while the child runs. macOS may report a stopped
         * child despite WEXITED: only an end counts. */
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0)
            return info.si_pid == pid && (info.si_code == CLD_EXITED ||
                                          info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED);
        if (errno != EINTR)
            break;
    }
    if (errno == ECHILD)
        return kill(pid, 0) != 0 && errno == ESRCH;
    return false;
}

static unsigned min_ms(uint64_t a, uint64_t b)
{
    return (unsigned)(a < b ? a : b);
}

int vf_rest_wait_ready(vf_rest_client *client, pid_t pid, unsigned timeout_ms, vf_error *err)
{
    if (!VF_HAVE_REST)
        return vf__error(
            err, VF_ERR_UNSUPPORTED,
            "REST client: this build of libvfconfig has no libcurl (VF_WITH_CURL=OFF)");
    if (client == NULL)
        return vf__error(err, VF_ERR_INVALID, "waiting for vfkit: no REST client");
    vf_error last = {VF_ERR_TIMEOUT, "no request made"};
    uint64_t end = now_ms() + timeout_ms;
    uint64_t pause = 10; /* grows to 200 ms: quick when vfkit is, light when not */
    int rc = VF_ERR_TIMEOUT;
    /* Every round sleeps or ends, so the deadline bounds the loop; the
     * round count is a second bound. */
    for (unsigned round = 0; round <= timeout_ms / 10 + 1; round++) {
        if (pid > 0 && process_exited(pid)) {
            rc = vf__error(err, VF_ERR_REST,
                           "waiting for vfkit: process %ld exited before its REST service answered",
                           (long)pid);
            break;
        }
        uint64_t left = left_until(end);
        if (left == 0 && round > 0)
            break;
        vf__rest_cap_timeout(client, left ? (unsigned)left : 1);
        vf_rest_state_info info;
        if (vf_rest_get_state(client, &info, &last) == 0) {
            rc = 0;
            break;
        }
        left = left_until(end);
        if (left == 0)
            break;
        sleep_ms(min_ms(pause, left));
        pause = pause * 2 > 200 ? 200 : pause * 2;
    }
    vf__rest_cap_timeout(client, 0);
    if (rc == VF_ERR_TIMEOUT)
        vf__error(err, rc, "waiting for vfkit: no answer within %u ms: %s", timeout_ms, last.text);
    return rc;
}

/* ---- graceful stop ------------------------------------------------------- */

typedef struct stopper {
    vf_rest_client *client; /* may be NULL */
    pid_t pid;              /* <= 0 for none */
    vf_stop_options opt;    /* defaults filled in */
    vf_error last;          /* the latest failure, for the final message */
} stopper;

/* With a process: it has exited. Without: vfkit says Stopped, or nothing
 * listens any more (vfkit exits once its VM has stopped). */
static bool vm_stopped(stopper *s)
{
    if (s->pid > 0)
        return process_exited(s->pid);
    vf_rest_state_info info;
    if (vf_rest_get_state(s->client, &info, &s->last) == 0)
        return info.state == VF_REST_STATE_STOPPED;
    return vf_rest_client_unreachable(s->client);
}

/* Polls until the VM is stopped or timeout_ms have passed. */
static bool wait_stopped(stopper *s, unsigned timeout_ms)
{
    uint64_t end = now_ms() + timeout_ms;
    unsigned rounds = timeout_ms / s->opt.poll_interval_ms + 2;
    for (unsigned round = 0; round < rounds; round++) {
        uint64_t left = left_until(end);
        vf__rest_cap_timeout(s->client, left ? (unsigned)left : 1);
        if (vm_stopped(s))
            return true;
        left = left_until(end);
        if (left == 0)
            break;
        sleep_ms(min_ms(s->opt.poll_interval_ms, left));
    }
    return false;
}

/* Sends a state change; false when it failed (s->last says why). */
static bool ask(stopper *s, vf_rest_state_change change)
{
    vf__rest_cap_timeout(s->client, 0);
    return vf_rest_set_state(s->client, change, &s->last) == 0;
}

/* "Stop", then "HardStop". True when the VM stopped, with *step set. */
static bool rest_steps(stopper *s, vf_stop_step *step)
{
    if (ask(s, VF_REST_CHANGE_STOP)) {
        *step = VF_STOP_BY_STOP;
        if (wait_stopped(s, s->opt.stop_timeout_ms))
            return true;
    } else if (vf_rest_client_unreachable(s->client)) {
        /* Nothing listened before any request: without a process to look
         * at, that is a stopped VM; with one, only signals are left. */
        *step = VF_STOP_NOT_RUNNING;
        return s->pid <= 0;
    }
    /* Stop was refused, or the guest did not shut down in time. */
    if (ask(s, VF_REST_CHANGE_HARD_STOP)) {
        *step = VF_STOP_BY_HARD_STOP;
        return wait_stopped(s, s->opt.hard_stop_timeout_ms);
    }
    /* vfkit went away after the Stop request: that counts as stopped. */
    if (s->pid > 0 || !vf_rest_client_unreachable(s->client))
        return false;
    *step = VF_STOP_BY_STOP;
    return true;
}

/* SIGTERM, then SIGKILL. 0 with *step set, or a negative vf_status. */
static int signal_steps(stopper *s, vf_stop_step *step, vf_error *err)
{
    const struct {
        int signo;
        const char *name;
        vf_stop_step step;
        unsigned timeout_ms;
    } steps[] = {
        {SIGTERM, "SIGTERM", VF_STOP_BY_SIGTERM, s->opt.term_timeout_ms},
        {SIGKILL, "SIGKILL", VF_STOP_BY_SIGKILL, s->opt.kill_timeout_ms},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        /* Gone since the last look: the previous step did it. */
        if (process_exited(s->pid))
            return 0;
        if (kill(s->pid, steps[i].signo) != 0) {
            if (errno == ESRCH)
                return 0;
            return vf__error(err, VF_ERR_SYSTEM, "stopping vfkit: kill(%ld, %s): %s", (long)s->pid,
                             steps[i].name, strerror(errno));
        }
        *step = steps[i].step;
        if (wait_stopped(s, steps[i].timeout_ms))
            return 0;
    }
    return vf__error(err, VF_ERR_TIMEOUT,
                     "stopping vfkit: process %ld still runs %u ms after SIGKILL", (long)s->pid,
                     s->opt.kill_timeout_ms);
}

static unsigned or_default(unsigned value, unsigned fallback)
{
    return value ? value : fallback;
}

int vf_vm_stop_gracefully(vf_rest_client *client, pid_t pid, const vf_stop_options *options,
                          vf_stop_step *step_out, vf_error *err)
{
    if (client == NULL && pid <= 0)
        return vf__error(err, VF_ERR_INVALID,
                         "stopping vfkit: neither a REST client nor a process id");
    vf_stop_options given = {0, 0, 0, 0, 0};
    if (options != NULL)
        given = *options;
    stopper s = {
        .client = client,
        .pid = pid,
        .opt =
            {
                .stop_timeout_ms = or_default(given.stop_timeout_ms, 30000),
                .hard_stop_timeout_ms = or_default(given.hard_stop_timeout_ms, 5000),
                .term_timeout_ms = or_default(given.term_timeout_ms, 10000),
                .kill_timeout_ms = or_default(given.kill_timeout_ms, 5000),
                .poll_interval_ms = or_default(given.poll_interval_ms, 100),
            },
        .last = {0, ""},
    };
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    int rc = 0;
    if (pid > 0 && process_exited(pid))
        rc = 0;
    else if (client != NULL && rest_steps(&s, &step))
        rc = 0;
    else if (pid > 0)
        rc = signal_steps(&s, &step, err);
    else
        rc = vf__error(err, VF_ERR_TIMEOUT, "stopping vfkit: the VM did not stop: %s",
                       s.last.text[0] ? s.last.text : "still running");
    vf__rest_cap_timeout(client, 0);
    if (rc == 0 && step_out != NULL)
        *step_out = step;
    return rc;
}
