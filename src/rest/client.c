/*
 * libvfconfig - the REST client's transport: one libcurl easy handle per
 * client, HTTP/1.1 over a unix socket or TCP, errors turned into messages.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "vfconfig/vfconfig.h"
#include "rest/internal.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "vfconfig/rest.h"

struct vf_rest_client {
    CURL *curl;
    char base_url[16 + VF_RESTFUL_URI_TEXT_MAX]; /* "http://host:port", no trailing '/' */
    char endpoint[VF_RESTFUL_URI_TEXT_MAX];      /* the --restful-uri, for messages */
    char socket_path[VF_RESTFUL_UNIX_PATH_MAX + 1];
    unsigned timeout_ms;
    unsigned cap_ms;  /* 0, or the most a request may take right now */
    bool unreachable; /* the last request found nothing listening */
    bool too_large;   /* the current response outgrew VF_REST_MAX_RESPONSE_BYTES */
    bool krunkit;     /* krunkit serves the API (vf_rest_client_set_launcher) */
    vf__buf *body;    /* where the current response goes */
    char curl_error[CURL_ERROR_SIZE];
};

static size_t collect_body(char *data, size_t size, size_t count, void *user)
{
    vf_rest_client *client = user;
    size_t n = size * count;
    if (n > (size_t)VF_REST_MAX_RESPONSE_BYTES - client->body->len) {
        client->too_large = true;
        return 0; /* makes curl stop with CURLE_WRITE_ERROR */
    }
    vf__buf_append(client->body, data, n);
    return client->body->failed ? 0 : n;
}

/* Options that hold for every request of the client. */
static bool setup_handle(vf_rest_client *client)
{
    CURL *c = client->curl;
    bool ok = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
              /* vfkit is local: never go through a proxy from the environment. */
              curl_easy_setopt(c, CURLOPT_PROXY, "") == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_ERRORBUFFER, client->curl_error) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect_body) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_WRITEDATA, (void *)client) == CURLE_OK;
    if (ok && client->socket_path[0] != '\0')
        ok = curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, client->socket_path) == CURLE_OK;
    return ok;
}

vf_rest_client *vf_rest_client_new(const vf_restful_uri *uri, vf_error *err)
{
    if (uri == NULL || (uri->scheme != VF_REST_SCHEME_UNIX && uri->scheme != VF_REST_SCHEME_TCP)) {
        vf__error(err, VF_ERR_INVALID,
                  "REST client: this --restful-uri has no REST service: \"%s\"",
                  VF_RESTFUL_URI_DEFAULT);
        return NULL;
    }
    /* A URI the parser refuses, or one built by hand: a TCP service is
     * reached on a port from 1 to 65535. Port 0 is a valid --restful-uri
     * (vfkit listens on any free port), but it names no port to connect
     * to. */
    long port = uri->scheme == VF_REST_SCHEME_TCP
                    ? vf__restful_port(uri->host, strnlen(uri->host, sizeof uri->host))
                    : 1;
    if (port < 1 || port > 65535) {
        char endpoint[VF_RESTFUL_URI_TEXT_MAX], shown[128];
        vf_restful_uri_format(uri, endpoint, sizeof endpoint);
        vf__error_at(err, VF_ERR_INVALID, "--restful-uri", "REST client: --restful-uri: %s: \"%s\"",
                     port == 0  ? "port 0 names no port to connect to (vfkit listens on any free "
                                  "port for it)"
                     : port < 0 ? "the TCP host has no port"
                                : "port out of range (1 to 65535)",
                     vf__quote_for_message(endpoint, shown, sizeof shown));
        return NULL;
    }
    vf_rest_client *client = vf__calloc(1, sizeof *client);
    if (client == NULL) {
        vf__error_nomem(err);
        return NULL;
    }
    client->timeout_ms = VF_REST_DEFAULT_TIMEOUT_MS;
    vf_restful_uri_format(uri, client->endpoint, sizeof client->endpoint);
    if (uri->scheme == VF_REST_SCHEME_UNIX) {
        /* The host name only fills the Host header: the socket is the address. */
        snprintf(client->base_url, sizeof client->base_url, "http://localhost");
        memcpy(client->socket_path, uri->path, sizeof client->socket_path);
        client->socket_path[sizeof client->socket_path - 1] = '\0';
    } else {
        /* "tcp://:8081" listens on every interface; reach it on this host.
         * The host prints as in the URI (a zone's '%' escaped), as curl wants. */
        const char *host = client->endpoint + strlen("tcp://");
        snprintf(client->base_url, sizeof client->base_url, "http://%s%s",
                 host[0] == ':' ? "localhost" : "", host);
    }
    client->curl = curl_easy_init();
    if (client->curl == NULL || !setup_handle(client)) {
        vf_rest_client_free(client);
        vf__error(err, VF_ERR_NOMEM, "REST client: libcurl could not set up a handle");
        return NULL;
    }
    return client;
}

void vf_rest_client_free(vf_rest_client *client)
{
    if (client == NULL)
        return;
    if (client->curl != NULL)
        curl_easy_cleanup(client->curl);
    vf__free(client);
}

void vf_rest_client_set_timeout(vf_rest_client *client, unsigned timeout_ms)
{
    if (client != NULL)
        client->timeout_ms = timeout_ms ? timeout_ms : VF_REST_DEFAULT_TIMEOUT_MS;
}

bool vf_rest_client_unreachable(const vf_rest_client *client)
{
    return client != NULL && client->unreachable;
}

void vf_rest_client_set_launcher(vf_rest_client *client, vf_launcher_kind kind)
{
    if (client != NULL)
        client->krunkit = kind == VF_LAUNCHER_KRUNKIT;
}

bool vf__rest_client_is_krunkit(const vf_rest_client *client)
{
    return client != NULL && client->krunkit;
}

void vf__rest_cap_timeout(vf_rest_client *client, unsigned ms)
{
    if (client != NULL)
        client->cap_ms = ms;
}

/* The request's method, body and headers. */
static bool prepare_request(vf_rest_client *client, const char *method, const char *url,
                            const char *json_body, struct curl_slist *headers)
{
    CURL *c = client->curl;
    unsigned timeout = client->timeout_ms;
    if (client->cap_ms != 0 && client->cap_ms < timeout)
        timeout = client->cap_ms;
    bool ok = curl_easy_setopt(c, CURLOPT_URL, url) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers) == CURLE_OK;
    if (!ok)
        return false;
    if (strcmp(method, "GET") == 0)
        return curl_easy_setopt(c, CURLOPT_HTTPGET, 1L) == CURLE_OK;
    /* POSTFIELDS is not copied: the body outlives the perform call. */
    if (json_body == NULL)
        json_body = "";
    return curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(json_body)) == CURLE_OK &&
           curl_easy_setopt(c, CURLOPT_POSTFIELDS, json_body) == CURLE_OK;
}

/* vfkit's answer to a failed request: the text of {"error": "..."}, or the
 * start of whatever else the body holds. */
static void describe_error_body(const vf__buf *body, char *out, size_t size)
{
    json_t *doc = body->len ? json_loadb(body->data, body->len, 0, NULL) : NULL;
    const char *text = json_string_value(json_object_get(doc, "error"));
    char raw[128];
    if (text == NULL) {
        size_t n = body->len < sizeof raw - 1 ? body->len : sizeof raw - 1;
        memcpy(raw, body->len ? body->data : "", n);
        raw[n] = '\0';
        text = raw;
    }
    char shown[160];
    vf__quote_for_message(text, shown, sizeof shown);
    snprintf(out, size, "%s%s%s", text[0] ? ": \"" : "", shown, text[0] ? "\"" : "");
    json_decref(doc);
}

vf__rest_failure vf__rest_classify(int curl_code, long os_errno)
{
    switch (curl_code) {
    case CURLE_COULDNT_CONNECT:
        switch (os_errno) {
        case 0:            /* curl saw no system error: it found nobody */
        case ENOENT:       /* no socket file */
        case ENOTDIR:      /* a folder of the path is missing */
        case ECONNREFUSED: /* a file nobody listens on, or a closed port */
            return VF__REST_NOT_ANSWERING;
        case EACCES:
        case EPERM:
            return VF__REST_DENIED;
        default:
            return VF__REST_OTHER;
        }
    case CURLE_OPERATION_TIMEDOUT:
        return VF__REST_TIMEOUT;
    case CURLE_OUT_OF_MEMORY:
        /* What curl before 8.6 reports for a response header line over its
         * 100 kB limit; an allocation of curl's own failing looks the same.
         * The client's own allocations are told apart before this. */
#if LIBCURL_VERSION_NUM >= 0x080600
    case CURLE_TOO_LARGE:
#endif
    case CURLE_GOT_NOTHING:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
        return VF__REST_PROTOCOL;
    default:
        return VF__REST_OTHER;
    }
}

/* A failed transfer as a status and a message naming the request and the
 * endpoint (in what). */
static int transfer_error(vf_rest_client *client, CURLcode rc, const char *what, vf_error *err)
{
    const char *detail = client->curl_error[0] ? client->curl_error : curl_easy_strerror(rc);
    long os_errno = 0;
    char reason[128];
    if (rc == CURLE_COULDNT_CONNECT) {
        /* The system's reason says more than curl's text, which names
         * "localhost port 80" even for a unix socket. */
        curl_easy_getinfo(client->curl, CURLINFO_OS_ERRNO, &os_errno);
        if (os_errno != 0)
            detail = vf__errno_text((int)os_errno, reason, sizeof reason);
    }
    if (rc == CURLE_WRITE_ERROR && client->too_large)
        return vf__error(err, VF_ERR_LIMIT, "%s: response larger than %zu bytes", what,
                         (size_t)VF_REST_MAX_RESPONSE_BYTES);
    if (rc == CURLE_WRITE_ERROR && client->body->failed)
        return vf__error_nomem(err);
    if (rc == CURLE_OUT_OF_MEMORY && client->curl_error[0] == '\0')
        detail = "a response header line over libcurl's 100 kB limit, or libcurl out of memory";
    switch (vf__rest_classify(rc, os_errno)) {
    case VF__REST_NOT_ANSWERING:
        client->unreachable = true;
        return vf__error(err, VF_ERR_REST, "%s: nothing answers: %s", what, detail);
    case VF__REST_DENIED:
        return vf__error(err, VF_ERR_REST,
                         "%s: the system denies the connection: %s (the service may be running)",
                         what, detail);
    case VF__REST_TIMEOUT:
        return vf__error(err, VF_ERR_TIMEOUT, "%s: no answer in time: %s", what, detail);
    case VF__REST_PROTOCOL:
        return vf__error(err, VF_ERR_REST, "%s: no valid HTTP answer: %s", what, detail);
    case VF__REST_OTHER:
        break;
    }
    return vf__error(err, VF_ERR_REST, "%s: %s", what, detail);
}

int vf__rest_request(vf_rest_client *client, const char *method, const char *path,
                     const char *json_body, vf__rest_reader read, void *ctx, vf_error *err)
{
    if (client == NULL)
        return vf__error(err, VF_ERR_INVALID, "%s %s: no REST client", method, path);
    char what[64 + VF_RESTFUL_URI_TEXT_MAX];
    snprintf(what, sizeof what, "%s %s on %s", method, path, client->endpoint);
    char url[sizeof client->base_url + 64];
    snprintf(url, sizeof url, "%s%s", client->base_url, path);

    struct curl_slist *headers = NULL;
    if (json_body != NULL) {
        struct curl_slist *with_type = curl_slist_append(NULL, "Content-Type: application/json");
        /* An empty "Expect:" keeps curl from waiting for "100 Continue". */
        headers = with_type ? curl_slist_append(with_type, "Expect:") : NULL;
        if (headers == NULL) {
            curl_slist_free_all(with_type);
            return vf__error_nomem(err);
        }
    }
    client->unreachable = false;
    client->too_large = false;
    client->curl_error[0] = '\0';
    vf__buf body_buf;
    vf__buf *body = &body_buf;
    vf__buf_init(body);
    client->body = body;
    int status = 0;
    CURLcode rc = CURLE_OK;
    if (!prepare_request(client, method, url, json_body, headers))
        status = vf__error(err, VF_ERR_REST, "%s: libcurl refused the request options", what);
    else
        rc = curl_easy_perform(client->curl);
    /* Nothing of this call may stay in the handle. */
    curl_easy_setopt(client->curl, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
    curl_slist_free_all(headers);
    client->body = NULL;

    long code = 0;
    if (status == 0 && rc != CURLE_OK)
        status = transfer_error(client, rc, what, err);
    else if (status == 0 && body->failed)
        status = vf__error_nomem(err);
    else if (status == 0)
        curl_easy_getinfo(client->curl, CURLINFO_RESPONSE_CODE, &code);
    if (status == 0 && (code < 200 || code > 299)) {
        char why[192];
        describe_error_body(body, why, sizeof why);
        status = vf__error(err, VF_ERR_REST, "%s: HTTP %ld%s", what, code, why);
    }
    if (status == 0 && read != NULL) {
        /* krunkit ends its JSON with a NUL byte (and its answer at the
         * connection's close, without Content-Length): no JSON has one. */
        size_t len = body->len;
        while (len > 0 && body->data[len - 1] == '\0')
            len--;
        status = read(body->data ? body->data : "", len, ctx, err);
        if (status != 0)
            vf__error_prefix(err, "%s", what);
    }
    vf__buf_release(body);
    return status;
}
