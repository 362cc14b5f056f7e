/*
 * libvfconfig - the length limit of a unix socket path.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "util/error.h"
#include "util/sockpath.h"
#include "util/str.h"

int vf__check_unix_path(const char *path, const char *what, const char *name, const char *location,
                        vf_error *err)
{
    size_t len = strlen(vf__str(path));
    if (len <= VF__UNIX_PATH_MAX)
        return VF_OK;
    char quoted[128];
    return vf__error_at(err, VF_ERR_LIMIT, location,
                        "%s: %s is %zu bytes, over the limit of %d bytes of a unix socket path "
                        "(macOS's sun_path): \"%s\"",
                        what, name, len, VF__UNIX_PATH_MAX,
                        vf__quote_for_message(path, quoted, sizeof quoted));
}
