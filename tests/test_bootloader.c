/*
 * Bootloaders: constructors, the kind table, FromOptions and ToCmdLine as
 * pkg/config/bootloader.go does them (cases from the conformance vectors
 * and the Go tests), and the macOS command line the library adds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vfconfig/vfconfig.h"
#include "model/fields.h"
#include "util/str.h"
#include "core_asserts.h"

static void test_kind_table(void **state)
{
    (void)state;
    static const struct {
        vf_bootloader_kind kind;
        const char *name, *json_kind;
        size_t size;
        size_t n_fields; /* Go's struct fields */
    } want[] = {
        {VF_BOOTLOADER_LINUX, "linux", "linuxBootloader", sizeof(vf_linux_bootloader), 3},
        {VF_BOOTLOADER_EFI, "efi", "efiBootloader", sizeof(vf_efi_bootloader), 2},
        {VF_BOOTLOADER_MACOS, "macos", "macosBootloader", sizeof(vf_macos_bootloader), 3},
    };
    assert_int_equal(sizeof want / sizeof want[0], VF_BOOTLOADER_KIND_COUNT);
    for (size_t i = 0; i < VF_BOOTLOADER_KIND_COUNT; i++) {
        const vf__bootloader_ops *ops = vf__bootloader_ops_of(want[i].kind);
        assert_non_null(ops);
        assert_int_equal(ops->kind, want[i].kind);
        assert_string_equal(ops->name, want[i].name);
        assert_string_equal(ops->json_kind, want[i].json_kind);
        assert_int_equal(ops->size, want[i].size);
        assert_int_equal(ops->n_fields, want[i].n_fields);
        assert_ptr_equal(vf__bootloader_ops_by_json_kind(want[i].json_kind), ops);
        assert_string_equal(vf_bootloader_kind_name(want[i].kind), want[i].name);
    }
    assert_null(vf__bootloader_ops_of((vf_bootloader_kind)42));
    assert_null(vf_bootloader_kind_name((vf_bootloader_kind)42));
    assert_null(vf__bootloader_ops_by_json_kind("LinuxBootloader")); /* exact, as Go compares */
    assert_null(vf__bootloader_ops_by_json_kind(NULL));
    assert_null(vf_bootloader_new((vf_bootloader_kind)42));
}

static void test_constructors_and_casts(void **state)
{
    (void)state;
    vf_linux_bootloader *linux_bl = vf_linux_bootloader_new("/vmlinuz", "console=hvc0", "/initrd");
    assert_non_null(linux_bl);
    assert_int_equal(linux_bl->base.kind, VF_BOOTLOADER_LINUX);
    assert_string_equal(linux_bl->vmlinuz_path, "/vmlinuz");
    assert_string_equal(linux_bl->kernel_cmdline, "console=hvc0");
    assert_string_equal(linux_bl->initrd_path, "/initrd");
    assert_ptr_equal(vf_bootloader_as_linux(&linux_bl->base), linux_bl);
    assert_null(vf_bootloader_as_efi(&linux_bl->base));
    assert_null(vf_bootloader_as_macos(&linux_bl->base));
    vf_bootloader_free(&linux_bl->base);

    vf_efi_bootloader *efi = vf_efi_bootloader_new("/variable-store", true);
    assert_non_null(efi);
    assert_string_equal(efi->efi_variable_store_path, "/variable-store");
    assert_true(efi->create_variable_store);
    assert_ptr_equal(vf_bootloader_as_efi(&efi->base), efi);
    assert_null(vf_bootloader_as_linux(&efi->base));
    vf_bootloader_free(&efi->base);

    vf_macos_bootloader *mac = vf_macos_bootloader_new("/m", NULL, "");
    assert_non_null(mac);
    assert_string_equal(mac->machine_identifier_path, "/m");
    assert_null(mac->hardware_model_path); /* NULL and "" both store NULL */
    assert_null(mac->aux_image_path);
    assert_ptr_equal(vf_bootloader_as_macos(&mac->base), mac);
    vf_bootloader_free(&mac->base);

    assert_null(vf_bootloader_as_linux(NULL));
    vf_bootloader_free(NULL);
    assert_null(vf_bootloader_clone(NULL));
}

static void test_clone(void **state)
{
    (void)state;
    vf_linux_bootloader *orig = vf_linux_bootloader_new("/vmlinuz", "console=hvc0", NULL);
    vf_linux_bootloader *copy = vf_bootloader_as_linux(vf_bootloader_clone(&orig->base));
    assert_non_null(copy);
    assert_ptr_not_equal(copy->vmlinuz_path, orig->vmlinuz_path);
    assert_string_equal(copy->vmlinuz_path, "/vmlinuz");
    assert_string_equal(copy->kernel_cmdline, "console=hvc0");
    assert_null(copy->initrd_path);
    vf_bootloader_free(&orig->base);
    vf_bootloader_free(&copy->base);

    vf_efi_bootloader *efi = vf_efi_bootloader_new("/x", true);
    vf_efi_bootloader *efi_copy = vf_bootloader_as_efi(vf_bootloader_clone(&efi->base));
    assert_non_null(efi_copy);
    assert_string_equal(efi_copy->efi_variable_store_path, "/x");
    assert_true(efi_copy->create_variable_store);
    vf_bootloader_free(&efi->base);
    vf_bootloader_free(&efi_copy->base);
}

static vf_bootloader *parse_ok(const char *value)
{
    vf_error err = {0};
    vf_bootloader *bl = vf_bootloader_from_cmdline(value, &err);
    if (bl == NULL)
        fail_msg("%s: %s", value, err.text);
    return bl;
}

/* Accepted --bootloader values, with what the reference parses them into. */
static void test_from_cmdline(void **state)
{
    (void)state;
    vf_bootloader *bl = parse_ok("efi,variable-store=/Users/me/My VMs/disk 1.img");
    vf_efi_bootloader *efi = vf_bootloader_as_efi(bl);
    assert_non_null(efi);
    assert_string_equal(efi->efi_variable_store_path, "/Users/me/My VMs/disk 1.img");
    assert_false(efi->create_variable_store);
    vf_bootloader_free(bl);

    efi = vf_bootloader_as_efi(bl = parse_ok("efi,variable-store=/x,\"create\""));
    assert_string_equal(efi->efi_variable_store_path, "/x");
    assert_true(efi->create_variable_store);
    vf_bootloader_free(bl);

    efi = vf_bootloader_as_efi(bl = parse_ok("efi,variable-store=disk=1.img,create"));
    assert_string_equal(efi->efi_variable_store_path, "disk=1.img");
    assert_true(efi->create_variable_store);
    vf_bootloader_free(bl);

    const char *same[] = {"\"efi\",variable-store=/x", "efi,,variable-store=/x"};
    for (size_t i = 0; i < 2; i++) {
        efi = vf_bootloader_as_efi(bl = parse_ok(same[i]));
        assert_string_equal(efi->efi_variable_store_path, "/x");
        vf_bootloader_free(bl);
    }

    /* getTestVMOptions in cmd/vfkit/main_test.go: a bare "efi". */
    efi = vf_bootloader_as_efi(bl = parse_ok("efi"));
    assert_null(efi->efi_variable_store_path);
    assert_false(efi->create_variable_store);
    vf_bootloader_free(bl);

    /* Later keys win; an empty kernel= clears it; cmdline loses its quotes. */
    vf_linux_bootloader *lin = vf_bootloader_as_linux(
        bl = parse_ok("linux,cmdline=\"a,b c\",kernel=/vmlinuz,initrd=/initrd.img,kernel="));
    assert_non_null(lin);
    assert_null(lin->vmlinuz_path);
    assert_string_equal(lin->kernel_cmdline, "a,b c");
    assert_string_equal(lin->initrd_path, "/initrd.img");
    vf_bootloader_free(bl);

    bl = parse_ok("linux,cmdline=\"console=hvc0 root=/dev/vda1\",kernel=,cmdline=console=hvc0");
    lin = vf_bootloader_as_linux(bl);
    assert_string_equal(lin->kernel_cmdline, "console=hvc0");
    vf_bootloader_free(bl);

    lin = vf_bootloader_as_linux(bl = parse_ok("linux,initrd=/initrd.img,cmdline=console=hvc0,"
                                               "cmdline=\"\""));
    assert_null(lin->kernel_cmdline);
    vf_bootloader_free(bl);

    vf_macos_bootloader *mac = vf_bootloader_as_macos(
        bl = parse_ok("macos,auxImagePath=/a,machineIdentifierPath=/m,hardwareModelPath=/h"));
    assert_non_null(mac);
    assert_string_equal(mac->machine_identifier_path, "/m");
    assert_string_equal(mac->hardware_model_path, "/h");
    assert_string_equal(mac->aux_image_path, "/a");
    vf_bootloader_free(bl);

    mac = vf_bootloader_as_macos(bl = parse_ok("macos,"));
    assert_null(mac->machine_identifier_path);
    assert_null(mac->hardware_model_path);
    assert_null(mac->aux_image_path);
    vf_bootloader_free(bl);
}

static void test_from_cmdline_errors(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        const char *message_part;
    } cases[] = {
        {"bios", "unknown bootloader type: \"bios\""},
        {"", "empty option list in --bootloader command line argument"},
        {"\"\"", "empty option list"},
        {"Efi,variable-store=/x", "unknown bootloader type: \"Efi\""},
        {"efi,foo=bar", "unknown option for EFI bootloaders: \"foo\""},
        {"efi,variable-store=/x,create=true",
         "unexpected value for EFI bootloader 'create' option: \"true\""},
        {"linux,kernel=/k,vmlinuz=/v", "unknown option for Linux bootloaders: \"vmlinuz\""},
        {"macos,auxImage=/a", "unknown option for macOS bootloaders: \"auxImage\""},
        {"efi,variable-store=\"/x", "mismatched"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vf_error err = {0};
        assert_null(vf_bootloader_from_cmdline(cases[i].value, &err));
        assert_error(&err, VF_ERR_INVALID, cases[i].message_part);
        assert_null(vf_bootloader_from_cmdline(cases[i].value, NULL));
    }
}

static void test_apply_options(void **state)
{
    (void)state;
    vf_bootloader *bl = vf_bootloader_new(VF_BOOTLOADER_LINUX);
    const vf_option opts[] = {
        {"kernel", "/k"}, {"cmdline", "\"\"console=hvc0\"\""}, {"initrd", ""}};
    assert_int_equal(vf_bootloader_apply_options(bl, opts, 3, NULL), VF_OK);
    vf_linux_bootloader *lin = vf_bootloader_as_linux(bl);
    assert_string_equal(lin->vmlinuz_path, "/k");
    assert_string_equal(lin->kernel_cmdline, "console=hvc0"); /* strings.Trim strips all */
    assert_null(lin->initrd_path);
    const vf_option half_quoted[] = {{"cmdline", "\"console=hvc0"}};
    assert_int_equal(vf_bootloader_apply_options(bl, half_quoted, 1, NULL), VF_OK);
    assert_string_equal(lin->kernel_cmdline, "\"console=hvc0");
    vf_error err = {0};
    assert_int_equal(vf_bootloader_apply_options(bl, NULL, 1, &err), VF_ERR_INVALID);
    assert_int_equal(vf_bootloader_apply_options(NULL, opts, 1, &err), VF_ERR_INVALID);
    vf_bootloader_free(bl);
}

static char **to_cmdline_ok(vf_bootloader *bl)
{
    vf_error err = {0};
    char **argv = vf_bootloader_to_cmdline(bl, &err);
    if (argv == NULL)
        fail_msg("to_cmdline: %s", err.text);
    return argv;
}

static void test_to_cmdline(void **state)
{
    (void)state;
    vf_bootloader *bl = &vf_linux_bootloader_new("/vmlinuz", "console=hvc0", "/initrd")->base;
    char **argv = to_cmdline_ok(bl);
    ASSERT_ARGV(argv, "--kernel", "/vmlinuz", "--initrd", "/initrd", "--kernel-cmdline",
                "console=hvc0");
    vf_strv_free(argv);
    vf_bootloader_free(bl);

    bl = &vf_efi_bootloader_new("/variable-store", false)->base;
    argv = to_cmdline_ok(bl);
    ASSERT_ARGV(argv, "--bootloader", "efi,variable-store=/variable-store");
    vf_strv_free(argv);
    vf_bootloader_free(bl);

    bl = &vf_efi_bootloader_new("/tmp/efi.store", true)->base;
    argv = to_cmdline_ok(bl);
    ASSERT_ARGV(argv, "--bootloader", "efi,variable-store=/tmp/efi.store,create");
    vf_strv_free(argv);
    vf_bootloader_free(bl);

    /* bootloader-1001-1646: quotes inside the value protect its ','. */
    bl = &vf_efi_bootloader_new("\"/a,b\"", false)->base;
    argv = to_cmdline_ok(bl);
    ASSERT_ARGV(argv, "--bootloader", "efi,variable-store=\"/a,b\"");
    vf_strv_free(argv);
    vf_bootloader_free(bl);

    bl = &vf_efi_bootloader_new("/tmp/d\xc3\xa9j\xc3\xa0.img", false)->base;
    argv = to_cmdline_ok(bl);
    ASSERT_ARGV(argv, "--bootloader", "efi,variable-store=/tmp/d\xc3\xa9j\xc3\xa0.img");
    vf_strv_free(argv);
    vf_bootloader_free(bl);
}

/* Go checks kernel, then initrd, then the command line. */
static void test_to_cmdline_linux_errors(void **state)
{
    (void)state;
    static const struct {
        const char *kernel, *cmdline, *initrd, *message_part;
    } cases[] = {
        {NULL, NULL, NULL, "missing kernel path"},
        {"", "console=hvc0", "", "missing kernel path"},
        {"/vmlinuz", NULL, NULL, "missing initrd path"},
        {"/vmlinuz", "console=hvc0", NULL, "missing initrd path"},
        {"/vmlinuz", NULL, "/initrd", "missing kernel command line"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vf_bootloader *bl =
            &vf_linux_bootloader_new(cases[i].kernel, cases[i].cmdline, cases[i].initrd)->base;
        vf_error err = {0};
        assert_null(vf_bootloader_to_cmdline(bl, &err));
        assert_error(&err, VF_ERR_INVALID, cases[i].message_part);
        vf_bootloader_free(bl);
    }
}

static void test_to_cmdline_efi_errors(void **state)
{
    (void)state;
    vf_error err = {0};
    vf_bootloader *bl = &vf_efi_bootloader_new(NULL, true)->base;
    assert_null(vf_bootloader_to_cmdline(bl, &err));
    assert_error(&err, VF_ERR_INVALID, "missing EFI store path");
    vf_bootloader_free(bl);

    /* vfkit would split, refuse or replace these: refused, naming the field. */
    const char *ambiguous[] = {"/a,b", "\"/x\",y", "/a\"b", "/a\xff"};
    for (size_t i = 0; i < sizeof ambiguous / sizeof ambiguous[0]; i++) {
        bl = &vf_efi_bootloader_new(ambiguous[i], false)->base;
        assert_null(vf_bootloader_to_cmdline(bl, &err));
        assert_error(&err, VF_ERR_AMBIGUOUS, "'variable-store'");
        vf_bootloader_free(bl);
    }

    assert_null(vf_bootloader_to_cmdline(NULL, &err));
    assert_error(&err, VF_ERR_INVALID, "missing bootloader configuration");
}

/* docs/design.md difference 5: macOS prints its non-empty paths. */
static void test_to_cmdline_macos(void **state)
{
    (void)state;
    vf_bootloader *bl = &vf_macos_bootloader_new("/m", "/h", "/a")->base;
    char **argv = to_cmdline_ok(bl);
    ASSERT_ARGV(argv, "--bootloader",
                "macos,machineIdentifierPath=/m,hardwareModelPath=/h,auxImagePath=/a");
    vf_strv_free(argv);
    vf_bootloader_free(bl);

    bl = &vf_macos_bootloader_new(NULL, "/h", "")->base;
    argv = to_cmdline_ok(bl);
    ASSERT_ARGV(argv, "--bootloader", "macos,hardwareModelPath=/h");
    vf_strv_free(argv);
    vf_bootloader_free(bl);

    bl = &vf_macos_bootloader_new(NULL, NULL, NULL)->base;
    argv = to_cmdline_ok(bl);
    ASSERT_ARGV(argv, "--bootloader", "macos");
    vf_strv_free(argv);
    vf_bootloader_free(bl);

    vf_error err = {0};
    bl = &vf_macos_bootloader_new("/m", "/h", "/a,b")->base;
    assert_null(vf_bootloader_to_cmdline(bl, &err));
    assert_error(&err, VF_ERR_AMBIGUOUS, "'auxImagePath'");
    vf_bootloader_free(bl);
}

/* What to_cmdline prints reads back as the same bootloader. */
static void test_round_trip(void **state)
{
    (void)state;
    vf_bootloader *originals[] = {
        &vf_efi_bootloader_new("/Users/me/My VMs/efi=store", true)->base,
        &vf_macos_bootloader_new("/m", NULL, "/a b")->base,
        &vf_macos_bootloader_new("\"/m,1\"", "/h\"x\"", NULL)->base,
        &vf_macos_bootloader_new(NULL, NULL, NULL)->base,
    };
    for (size_t i = 0; i < sizeof originals / sizeof originals[0]; i++) {
        char **argv = to_cmdline_ok(originals[i]);
        vf_bootloader *back = parse_ok(argv[1]);
        char **again = to_cmdline_ok(back);
        assert_argv(again, (const char *const *)argv, vf_strv_length(argv));
        const vf__bootloader_ops *ops = vf__bootloader_ops_of(originals[i]->kind);
        for (size_t f = 0; f < ops->n_fields; f++) {
            const void *a = (const char *)originals[i] + ops->fields[f].offset;
            const void *b = (const char *)back + ops->fields[f].offset;
            if (ops->fields[f].type == VF__FIELD_STRING)
                assert_string_equal(vf__str(*(char *const *)a), vf__str(*(char *const *)b));
            else
                assert_int_equal(*(const bool *)a, *(const bool *)b);
        }
        vf_strv_free(argv);
        vf_strv_free(again);
        vf_bootloader_free(back);
        vf_bootloader_free(originals[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_table),
        cmocka_unit_test(test_constructors_and_casts),
        cmocka_unit_test(test_clone),
        cmocka_unit_test(test_from_cmdline),
        cmocka_unit_test(test_from_cmdline_errors),
        cmocka_unit_test(test_apply_options),
        cmocka_unit_test(test_to_cmdline),
        cmocka_unit_test(test_to_cmdline_linux_errors),
        cmocka_unit_test(test_to_cmdline_efi_errors),
        cmocka_unit_test(test_to_cmdline_macos),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
