/*
 * libvfconfig - hardware addresses as Go's net.ParseMAC reads them and
 * net.HardwareAddr.String writes them (the cases of Go's net/mac_test.go),
 * and as virtio-net's `mac=` option uses them.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vfconfig/vfconfig.h"

static const uint8_t rfc7042_48[] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0x01};
static const uint8_t rfc7042_64[] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x00, 0x00, 0x01};
static const uint8_t rfc4391[] = {0x00, 0x00, 0x00, 0x00, 0xfe, 0x80, 0x00, 0x00, 0x00, 0x00,
                                  0x00, 0x00, 0x02, 0x00, 0x5e, 0x10, 0x00, 0x00, 0x00, 0x01};
static const uint8_t abcdef_6[] = {0xab, 0xcd, 0xef, 0xab, 0xcd, 0xef};
static const uint8_t abcdef_8[] = {0xab, 0xcd, 0xef, 0xab, 0xcd, 0xef, 0xab, 0xcd};
static const uint8_t abcdef_20[] = {0xab, 0xcd, 0xef, 0xab, 0xcd, 0xef, 0xab, 0xcd, 0xef, 0xab,
                                    0xcd, 0xef, 0xab, 0xcd, 0xef, 0xab, 0xcd, 0xef, 0xab, 0xcd};

#define BYTES(a) a, sizeof(a)

static const struct {
    const char *text;
    const uint8_t *bytes;
    size_t length;
} valid[] = {
    /* RFC 7042, section 2.1.1 */
    {"00:00:5e:00:53:01", BYTES(rfc7042_48)},
    {"00-00-5e-00-53-01", BYTES(rfc7042_48)},
    {"0000.5e00.5301", BYTES(rfc7042_48)},
    /* RFC 7042, section 2.2.2 */
    {"02:00:5e:10:00:00:00:01", BYTES(rfc7042_64)},
    {"02-00-5e-10-00-00-00-01", BYTES(rfc7042_64)},
    {"0200.5e10.0000.0001", BYTES(rfc7042_64)},
    /* RFC 4391, section 9.1.1 */
    {"00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01", BYTES(rfc4391)},
    {"00-00-00-00-fe-80-00-00-00-00-00-00-02-00-5e-10-00-00-00-01", BYTES(rfc4391)},
    {"0000.0000.fe80.0000.0000.0000.0200.5e10.0000.0001", BYTES(rfc4391)},
    {"ab:cd:ef:AB:CD:EF", BYTES(abcdef_6)},
    {"ab:cd:ef:AB:CD:EF:ab:cd", BYTES(abcdef_8)},
    {"ab:cd:ef:AB:CD:EF:ab:cd:ef:AB:CD:EF:ab:cd:ef:AB:CD:EF:ab:cd", BYTES(abcdef_20)},
};

static const char *const invalid[] = {
    /* Go's net/mac_test.go */
    "01.02.03.04.05.06",
    "01:02:03:04:05:06:",
    "x1:02:03:04:05:06",
    "01002:03:04:05:06",
    "01:02003:04:05:06",
    "01:02:03004:05:06",
    "01:02:03:04005:06",
    "01:02:03:04:05006",
    "01-02:03:04:05:06",
    "01:02-03-04-05-06",
    "0123:4567:89AF",
    "0123-4567-89AF",
    "foo-bar-baz",
    /* lengths other than 6, 8 or 20 bytes */
    "",
    "00:11:22:33:44",
    "00:11:22:33:44:55:66",
    "00:11:22:33:44:55:66:77:88",
    "01:02:03:04:05:06:07:08:09:10:11:12:13:14:15:16",
    "0123.4567.89ab.cdef.0123",
    /* one digit per group, a sign, spaces, a third digit */
    "0:1:2:3:4:5:6:7:8:9:a",
    "+0:11:22:33:44:55",
    " 00:11:22:33:44:55",
    "00:11:22:33:44:55 ",
    "000:11:22:33:44:5",
    "00:11:22:33:44:5g",
    "0011.2233.44g5",
    "0011.2233:4455",
    "0011:2233.4455",
};

static void test_parse_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        vf_mac_address mac;
        vf_error err = {0};
        if (vf_mac_address_parse(valid[i].text, &mac, &err) != VF_OK)
            fail_msg("\"%s\": %s", valid[i].text, err.text);
        assert_int_equal(mac.length, valid[i].length);
        assert_memory_equal(mac.bytes, valid[i].bytes, valid[i].length);

        /* It round-trips through its printed form, as Go's test checks. */
        char text[3 * VF_MAC_MAX_BYTES];
        vf_mac_address again;
        vf_mac_address_format(&mac, text, sizeof text);
        assert_int_equal(vf_mac_address_parse(text, &again, NULL), VF_OK);
        assert_int_equal(again.length, mac.length);
        assert_memory_equal(again.bytes, mac.bytes, mac.length);
    }
}

static void test_parse_invalid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        vf_mac_address mac = {{0x42}, 3};
        vf_error err = {0};
        if (vf_mac_address_parse(invalid[i], &mac, &err) == VF_OK)
            fail_msg("\"%s\" was accepted", invalid[i]);
        assert_int_equal(err.code, VF_ERR_INVALID);
        assert_non_null(strstr(err.text, "invalid MAC address"));
        assert_non_null(strstr(err.text, invalid[i]));
        assert_int_equal(mac.length, 3); /* left as it was */
    }
    assert_int_equal(vf_mac_address_parse(NULL, NULL, NULL), VF_ERR_INVALID);
}

static void test_format(void **state)
{
    (void)state;
    vf_mac_address mac;
    char text[3 * VF_MAC_MAX_BYTES];
    assert_int_equal(vf_mac_address_parse("00-00-5E-00-53-01", &mac, NULL), VF_OK);
    assert_string_equal(vf_mac_address_format(&mac, text, sizeof text), "00:00:5e:00:53:01");
    assert_int_equal(
        vf_mac_address_parse("0000.0000.fe80.0000.0000.0000.0200.5E10.0000.0001", &mac, NULL),
        VF_OK);
    assert_string_equal(vf_mac_address_format(&mac, text, sizeof text),
                        "00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01");
    /* A short buffer keeps whole bytes and its NUL. */
    char small[9];
    assert_string_equal(vf_mac_address_format(&mac, small, sizeof small), "00:00:00");
    assert_string_equal(vf_mac_address_format(&mac, small, 3), "00");
    assert_string_equal(vf_mac_address_format(&mac, small, 2), "");
    vf_mac_address none = {{0}, 0};
    assert_string_equal(vf_mac_address_format(&none, text, sizeof text), "");
    assert_string_equal(vf_mac_address_format(NULL, text, sizeof text), "");
}

/* virtio-net's `mac=` takes any of the forms and prints the colon one. */
static void test_virtio_net_mac(void **state)
{
    (void)state;
    static const struct {
        const char *value, *printed;
    } cases[] = {
        {"virtio-net,nat,mac=0000.5E00.5301", "virtio-net,nat,mac=00:00:5e:00:53:01"},
        {"virtio-net,nat,mac=02-00-5e-10-00-00-00-01",
         "virtio-net,nat,mac=02:00:5e:10:00:00:00:01"},
        {"virtio-net,mac=aa:bb:cc:dd:ee:ff,mac=00:11:22:33:44:55,nat",
         "virtio-net,nat,mac=00:11:22:33:44:55"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vf_device *dev = vf_device_from_cmdline(cases[i].value, NULL);
        assert_non_null(dev);
        char **argv = vf_device_to_cmdline(dev, NULL);
        assert_non_null(argv);
        assert_string_equal(argv[1], cases[i].printed);
        vf_strv_free(argv);
        vf_device_free(dev);
    }
    vf_error err = {0};
    assert_null(vf_device_from_cmdline("virtio-net,nat,mac=00:11:22:33:44", &err));
    assert_non_null(strstr(err.text, "'mac'"));
    assert_non_null(strstr(err.text, "\"00:11:22:33:44\""));
    assert_null(vf_device_from_cmdline("virtio-net,nat,mac", &err));
    assert_non_null(strstr(err.text, "'mac'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_virtio_net_mac),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
