/*
 * libvfconfig - milliseconds on the monotonic clock, and sleeping.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <time.h>

#include "util/clock.h"

uint64_t vf__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t vf__left_until(uint64_t end)
{
    uint64_t now = vf__now_ms();
    return now >= end ? 0 : end - now;
}

void vf__sleep_ms(uint64_t ms)
{
    struct timespec want = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    struct timespec rest;
    for (int tries = 0; tries < 8 && nanosleep(&want, &rest) != 0 && errno == EINTR; tries++)
        want = rest;
}
