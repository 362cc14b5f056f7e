/*
 * A program outside the project, built against an installed libvfconfig
 * (find_package or pkg-config), once as C and once as C++: the headers must
 * compile cleanly as both. Checks the version, a command line, a JSON round
 * trip and (with the REST client built) a client, and says which it was.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vfconfig/vfconfig.h>
#include <vfconfig/rest.h>

#ifdef __cplusplus
#define LANGUAGE "C++"
#else
#define LANGUAGE "C"
#endif

static const char *const expected[] = {
    "--cpus",       "2",
    "--memory",     "1024",
    "--bootloader", "efi,variable-store=/vm/efi,create",
    "--device",     "virtio-rng",
    "--device",     "virtio-fs,sharedDir=/Users/me,mountTag=home",
    NULL,
};

static int same_argv(char **args)
{
    size_t i = 0;
    for (; expected[i] != NULL; i++) {
        if (args[i] == NULL || strcmp(args[i], expected[i]) != 0)
            return 0;
    }
    return args[i] == NULL;
}

static int fail(const char *what, const vf_error *err)
{
    fprintf(stderr, "consumer (%s): %s: %s\n", LANGUAGE, what, err != NULL ? err->text : "");
    return 1;
}

int main(void)
{
    vf_error err;
    memset(&err, 0, sizeof err); /* as C and as C++, where code is an enum */
    if (vf_version() != VF_VERSION_NUMBER || strcmp(vf_version_string(), VF_VERSION_STRING) != 0)
        return fail("the library's version is not the headers'", NULL);

    vf_vm *vm = vf_vm_new(2, 1024, (vf_bootloader *)vf_efi_bootloader_new("/vm/efi", true));
    if (vm == NULL || vf_vm_add_device(vm, (vf_device *)vf_virtio_rng_new(), &err) != 0 ||
        vf_vm_add_device(vm, (vf_device *)vf_virtio_fs_new("/Users/me", "home"), &err) != 0)
        return fail("building the VM", &err);

    char **args = vf_vm_to_cmdline(vm, &err);
    if (args == NULL || !same_argv(args))
        return fail("command line", args == NULL ? &err : NULL);

    char *json = vf_vm_to_json(vm, &err);
    vf_vm *again = json != NULL ? vf_vm_from_json(json, &err) : NULL;
    char **args_again = again != NULL ? vf_vm_to_cmdline(again, &err) : NULL;
    if (args_again == NULL || !same_argv(args_again))
        return fail("JSON round trip", args_again == NULL ? &err : NULL);

    vf_restful_uri uri;
    if (vf_restful_uri_parse("tcp://localhost:8081", &uri, &err) != 0)
        return fail("restful URI", &err);
#if VF_HAVE_REST
    /* Creating a client connects to nothing; it shows libcurl is linked in. */
    vf_rest_client *client = vf_rest_client_new(&uri, &err);
    if (client == NULL)
        return fail("REST client", &err);
    vf_rest_client_free(client);
#endif

    printf("consumer (%s): libvfconfig %s, %zu arguments, JSON round trip ok, REST client %s\n",
           LANGUAGE, vf_version_string(), vf_strv_length(args), VF_HAVE_REST ? "ok" : "not built");
    vf_strv_free(args_again);
    vf_vm_free(again);
    free(json);
    vf_strv_free(args);
    vf_vm_free(vm);
    return 0;
}
