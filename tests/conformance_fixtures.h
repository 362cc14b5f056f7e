/*
 * libvfconfig - the files the conformance vectors name, for the suites that
 * read them (tests/conformance/README.md): a cmocka group setup that
 * creates them in the working folder.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Include after <cmocka.h>.
 */
#ifndef VF_TESTS_CONFORMANCE_FIXTURES_H
#define VF_TESTS_CONFORMANCE_FIXTURES_H

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

static inline void vf_test_write_file(const char *name, const char *bytes, size_t n)
{
    FILE *f = fopen(name, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* disk.img (raw), q.qcow2 (a qcow2 header), empty.img, short.img (two
 * bytes), and no missing.img. */
static inline int vf_test_create_conformance_fixtures(void **state)
{
    (void)state;
    vf_test_write_file("disk.img", "RAW-DISK-IMAGE", 14);
    vf_test_write_file("q.qcow2", "QFI\xfb\x00\x00\x00\x03", 8);
    vf_test_write_file("empty.img", "", 0);
    vf_test_write_file("short.img", "ab", 2);
    if (unlink("missing.img") != 0 && errno != ENOENT)
        return -1;
    return 0;
}

#endif /* VF_TESTS_CONFORMANCE_FIXTURES_H */
