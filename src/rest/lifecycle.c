/*
 * libvfconfig - waiting for vfkit's REST service, and stopping a VM gently
 * first: "Stop", "HardStop", SIGTERM, SIGKILL, each step enabled or
 * skipped and with its own wait (vf_stop_policy).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Built with and without libcurl: without it there is no client, and the
 * stop uses signals only.
 *
 * With a process, only the process says "stopped": it has exited (a zombie
 * counts). A REST service that refuses the connection or is missing is
 * "not answering", and the next step runs. vf_vm_stop_gracefully() without
 * a pid keeps its older rule (a refused connection after a stop counts as
 * stopped): it has nothing else to look at.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "vfconfig/vfconfig.h"
#include "vfconfig/lifecycle.h"
#include "lifecycle/lifecycle.h"
#include "rest/internal.h"
#include "util/clock.h"
#include "util/error.h"
#include "vfconfig/rest.h"

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
    vf_error last = {.code = VF_ERR_TIMEOUT, .text = "no request made"};
    uint64_t end = vf__now_ms() + timeout_ms;
    uint64_t pause = 10; /* grows to 200 ms: quick when vfkit is, light when not */
    int rc = VF_ERR_TIMEOUT;
    /* Every round sleeps or ends, so the deadline bounds the loop; the
     * round count is a second bound. */
    for (unsigned round = 0; round <= timeout_ms / 10 + 1; round++) {
        if (pid > 0 && vf__pid_ended(pid, NULL)) {
            rc = vf__error(err, VF_ERR_REST,
                           "waiting for vfkit: process %ld exited before its REST service answered",
                           (long)pid);
            break;
        }
        uint64_t left = vf__left_until(end);
        if (left == 0 && round > 0)
            break;
        vf__rest_cap_timeout(client, left ? (unsigned)left : 1);
        vf_rest_state_info info;
        if (vf_rest_get_state(client, &info, &last) == 0) {
            rc = 0;
            break;
        }
        left = vf__left_until(end);
        if (left == 0)
            break;
        vf__sleep_ms(min_ms(pause, left));
        pause = pause * 2 > 200 ? 200 : pause * 2;
    }
    vf__rest_cap_timeout(client, 0);
    if (rc == VF_ERR_TIMEOUT)
        vf__error(err, rc, "waiting for vfkit: no answer within %u ms: %s", timeout_ms, last.text);
    return rc;
}

/* ---- the stop ------------------------------------------------------------ */

typedef struct stopper {
    vf_rest_client *client; /* may be NULL */
    vf_process *proc;       /* NULL only for vf_vm_stop_gracefully() without a pid */
    vf_stop_policy pol;     /* poll interval filled in */
    vf_error last;          /* the latest failure, for the final message */
} stopper;

/* With a process: it has exited. Without: vfkit says Stopped, or nothing
 * listens any more (vfkit exits once its VM has stopped). */
static bool vm_stopped(stopper *s)
{
    if (s->proc != NULL)
        return !vf_process_running(s->proc, NULL);
    vf_rest_state_info info;
    if (vf_rest_get_state(s->client, &info, &s->last) == 0)
        return info.state == VF_REST_STATE_STOPPED;
    return vf_rest_client_unreachable(s->client);
}

/* Polls until the VM is stopped or wait_ms have passed; 0 looks once. */
static bool wait_stopped(stopper *s, unsigned wait_ms)
{
    uint64_t end = vf__now_ms() + wait_ms;
    unsigned rounds = wait_ms / s->pol.poll_interval_ms + 2;
    for (unsigned round = 0; round < rounds; round++) {
        uint64_t left = vf__left_until(end);
        vf__rest_cap_timeout(s->client, left ? (unsigned)left : 1);
        if (vm_stopped(s))
            return true;
        left = vf__left_until(end);
        if (left == 0)
            break;
        vf__sleep_ms(min_ms(s->pol.poll_interval_ms, left));
    }
    return false;
}

/* Sends a state change; false when it failed (s->last says why). */
static bool ask(stopper *s, vf_rest_state_change change)
{
    vf__rest_cap_timeout(s->client, 0);
    return vf_rest_set_state(s->client, change, &s->last) == 0;
}

/* The REST steps. True when the VM stopped, with *step set. */
static bool rest_steps(stopper *s, vf_stop_step *step)
{
    bool stop_refused_at_once = false;
    if (s->pol.stop.enabled) {
        if (ask(s, VF_REST_CHANGE_STOP)) {
            *step = VF_STOP_BY_STOP;
            if (wait_stopped(s, s->pol.stop.wait_ms))
                return true;
        } else if (vf_rest_client_unreachable(s->client)) {
            stop_refused_at_once = true; /* not answering: on to the next step */
        }
    }
    /* Without a process, nothing listening before any request is a VM
     * that does not run: the only evidence there is. */
    if (s->proc == NULL && stop_refused_at_once) {
        *step = VF_STOP_NOT_RUNNING;
        return true;
    }
    /* krunkit has no HardStop: any POST is a Stop, so signals come next. */
    if (vf__rest_client_is_krunkit(s->client))
        return false;
    if (s->pol.hard_stop.enabled) {
        if (ask(s, VF_REST_CHANGE_HARD_STOP)) {
            *step = VF_STOP_BY_HARD_STOP;
            return wait_stopped(s, s->pol.hard_stop.wait_ms);
        }
        /* Without a process: vfkit went away after the Stop request. */
        if (s->proc == NULL && *step == VF_STOP_BY_STOP && vf_rest_client_unreachable(s->client))
            return true;
    }
    return false;
}

/* SIGTERM, then SIGKILL. 0 with *step set, or a negative vf_status. */
static int signal_steps(stopper *s, vf_stop_step *step, vf_error *err)
{
    const struct {
        int signo;
        const char *name;
        vf_stop_step step;
        const vf_stop_action *action;
    } steps[] = {
        {SIGTERM, "SIGTERM", VF_STOP_BY_SIGTERM, &s->pol.sigterm},
        {SIGKILL, "SIGKILL", VF_STOP_BY_SIGKILL, &s->pol.sigkill},
    };
    const char *last_step = NULL;
    unsigned last_wait = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (!steps[i].action->enabled)
            continue;
        /* Gone since the last look: the previous step did it. */
        if (!vf_process_running(s->proc, NULL))
            return 0;
        vf_error why = {0};
        int rc = vf_process_signal(s->proc, steps[i].signo, &why);
        if (rc == VF_ERR_EXITED)
            return 0;
        if (rc != 0) {
            if (err != NULL)
                *err = why;
            vf__error_prefix(err, "stopping %s", vf_process_launcher(s->proc));
            return rc;
        }
        *step = steps[i].step;
        last_step = steps[i].name;
        last_wait = steps[i].action->wait_ms;
        if (wait_stopped(s, steps[i].action->wait_ms))
            return 0;
    }
    if (last_step != NULL)
        return vf__error(err, VF_ERR_TIMEOUT, "stopping %s: process %ld still runs %u ms after %s",
                         vf_process_launcher(s->proc), (long)vf_process_pid(s->proc), last_wait,
                         last_step);
    return vf__error(err, VF_ERR_TIMEOUT, "stopping %s: process %ld still runs after %s",
                     vf_process_launcher(s->proc), (long)vf_process_pid(s->proc),
                     s->last.text[0] ? s->last.text : "every enabled step");
}

static int run_stop(stopper *s, vf_stop_step *step_out, vf_error *err)
{
    if (s->pol.poll_interval_ms == 0)
        s->pol.poll_interval_ms = 100;
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    int rc = 0;
    if (s->proc != NULL && !vf_process_running(s->proc, NULL))
        rc = 0;
    else if (s->client != NULL && rest_steps(s, &step))
        rc = 0;
    else if (s->proc != NULL)
        rc = signal_steps(s, &step, err);
    else
        rc = vf__error(err, VF_ERR_TIMEOUT, "stopping vfkit: the VM did not stop: %s",
                       s->last.text[0] ? s->last.text : "still running");
    vf__rest_cap_timeout(s->client, 0);
    if (rc == 0 && step_out != NULL)
        *step_out = step;
    return rc;
}

int vf_process_stop(vf_process *proc, vf_rest_client *client, const vf_stop_policy *policy,
                    vf_stop_step *step_out, vf_error *err)
{
    static const vf_stop_policy defaults = VF_STOP_POLICY_INIT;
    if (proc == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_process_stop: no process");
    if (policy != NULL && policy->version != VF_STOP_POLICY_VERSION)
        return vf__error(err, VF_ERR_INVALID,
                         "vf_process_stop: invalid value for 'version': %u (this library knows %u)",
                         policy->version, VF_STOP_POLICY_VERSION);
    stopper s = {client, proc, policy != NULL ? *policy : defaults, {0}};
    return run_stop(&s, step_out, err);
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
    /* Every step, 0 meaning its default. */
    stopper s = {
        .client = client,
        .proc = NULL,
        .pol =
            {
                .version = VF_STOP_POLICY_VERSION,
                .stop = {true, or_default(given.stop_timeout_ms, 30000)},
                .hard_stop = {true, or_default(given.hard_stop_timeout_ms, 5000)},
                .sigterm = {true, or_default(given.term_timeout_ms, 10000)},
                .sigkill = {true, or_default(given.kill_timeout_ms, 5000)},
                .poll_interval_ms = or_default(given.poll_interval_ms, 100),
            },
        .last = {0},
    };
    if (pid > 0) {
        int rc = vf__process_for_pid(pid, &s.proc, err);
        if (rc != 0)
            return rc;
    }
    int rc = run_stop(&s, step_out, err);
    vf_process_free(s.proc);
    return rc;
}
