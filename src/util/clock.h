/*
 * libvfconfig - milliseconds on the monotonic clock, and sleeping (clock.c).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Every wait of the library keeps a deadline on the monotonic clock, so a
 * change of the wall clock neither shortens nor stretches it.
 */
#ifndef VFCONFIG_UTIL_CLOCK_H
#define VFCONFIG_UTIL_CLOCK_H

#include <stdint.h>

/* Milliseconds since an arbitrary point, never going back. */
uint64_t vf__now_ms(void);
/* Milliseconds until end, 0 once it has passed. */
uint64_t vf__left_until(uint64_t end);
/* Sleeps ms milliseconds; a signal that cuts the sleep short is finished
 * (a few times at most, so a storm of signals cannot stretch it for ever). */
void vf__sleep_ms(uint64_t ms);

#endif /* VFCONFIG_UTIL_CLOCK_H */
