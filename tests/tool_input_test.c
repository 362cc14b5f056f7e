/*
 * vfconfig's input reading (tools/vfconfig/common.c, tool_read_input): an
 * input that never ends is read up to VF_MAX_INPUT_BYTES and one byte more,
 * never further, and a character device such as /dev/zero is refused
 * before a byte is read.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tool.h"

/* What the reader may take beyond the limit in the writer's count: the
 * pipe's buffer (64 KiB by default) and stdio's, with room to spare. */
#define SLACK ((unsigned long long)1 << 20)

static void test_character_device_refused(void **state)
{
    (void)state;
    tool_input in;
    assert_int_equal(tool_read_input("args", "/dev/zero", &in), TOOL_EXIT_INVALID);
    assert_null(in.data);
    assert_int_equal(in.len, 0);
}

/* A writer sends spaces until the reader closes its end, then reports how
 * many bytes the pipe took. The reader, on standard input, must refuse the
 * input having taken no more than the limit and one byte. */
static void test_endless_pipe_stops_at_the_limit(void **state)
{
    (void)state;
    int data[2], count[2];
    assert_int_equal(pipe(data), 0);
    assert_int_equal(pipe(count), 0);
    pid_t writer = fork();
    assert_true(writer >= 0);
    if (writer == 0) {
        signal(SIGPIPE, SIG_IGN);
        close(data[0]);
        close(count[0]);
        static char chunk[1 << 16];
        memset(chunk, ' ', sizeof chunk);
        unsigned long long total = 0;
        while (total < 4ull * VF_MAX_INPUT_BYTES) {
            ssize_t n = write(data[1], chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            total += (unsigned long long)n;
        }
        _exit(write(count[1], &total, sizeof total) == (ssize_t)sizeof total ? 0 : 1);
    }
    close(data[1]);
    close(count[1]);
    int saved_stdin = dup(0);
    assert_true(saved_stdin >= 0);
    assert_int_equal(dup2(data[0], 0), 0);
    close(data[0]);

    tool_input in;
    int rc = tool_read_input("args", NULL, &in);

    /* Standard input back: the pipe's last reader is gone. */
    assert_int_equal(dup2(saved_stdin, 0), 0);
    close(saved_stdin);
    clearerr(stdin);
    unsigned long long total = 0;
    ssize_t n = read(count[0], &total, sizeof total);
    close(count[0]);
    int wstatus = 0;
    assert_int_equal(waitpid(writer, &wstatus, 0), writer);
    assert_int_equal(n, (ssize_t)sizeof total);
    assert_int_equal(rc, TOOL_EXIT_INVALID);
    assert_null(in.data);
    if (total > VF_MAX_INPUT_BYTES + 1 + SLACK)
        fail_msg("the reader took %llu bytes from an endless pipe, the limit is %u", total,
                 (unsigned)VF_MAX_INPUT_BYTES);
}

static void test_small_inputs_read(void **state)
{
    (void)state;
    FILE *f = fopen("vm.json", "wb");
    assert_non_null(f);
    fputs("{\"vcpus\": 2}", f);
    assert_int_equal(fclose(f), 0);
    tool_input in;
    assert_int_equal(tool_read_input("args", "vm.json", &in), 0);
    assert_int_equal(in.len, 12);
    assert_string_equal(in.data, "{\"vcpus\": 2}");
    tool_input_release(&in);
    f = fopen("empty.json", "wb");
    assert_non_null(f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(tool_read_input("args", "empty.json", &in), 0);
    assert_int_equal(in.len, 0);
    assert_string_equal(in.data, "");
    tool_input_release(&in);
    assert_int_equal(tool_read_input("args", ".", &in), TOOL_EXIT_INVALID);
    assert_int_equal(tool_read_input("args", "missing.json", &in), TOOL_EXIT_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_character_device_refused),
        cmocka_unit_test(test_endless_pipe_stops_at_the_limit),
        cmocka_unit_test(test_small_inputs_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
