/*
 * vfbench - printing the figures as a table or as JSON.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <jansson.h>
#include <vfconfig/vfconfig.h>

#include "alloc_count.h"
#include "report.h"

#ifndef __VERSION__
#define __VERSION__ "unknown"
#endif

bool bench_row_met(const bench_row *row)
{
    if (row->go_target > 0 && row->r.ns > row->go_target * row->go_ns)
        return false;
    if (row->max_allocs >= 0 && row->r.allocs >= 0 && row->r.allocs > row->max_allocs)
        return false;
    if (row->peer_target > 0 && row->r.peer_ratio > row->peer_target)
        return false;
    return true;
}

static bool has_target(const bench_row *row)
{
    return row->go_target > 0 || row->max_allocs >= 0 || row->peer_target > 0;
}

/* The rows of id, largest first (at most three). */
static size_t largest_sizes(const bench_report *rep, const char *id, const bench_row *out[3])
{
    size_t n = 0;
    for (size_t j = 0; j < rep->n_growth; j++) {
        const bench_row *r = &rep->growth[j];
        if (strcmp(r->id, id) != 0)
            continue;
        size_t at = n < 3 ? n++ : 3;
        while (at > 0 && out[at - 1]->devices < r->devices) {
            if (at < 3)
                out[at] = out[at - 1];
            at--;
        }
        if (at < 3)
            out[at] = r;
    }
    return n;
}

static double marginal(const bench_row *small, const bench_row *large)
{
    return (large->r.ns - small->r.ns) / (double)(large->devices - small->devices);
}

void bench_judge_growth(bench_report *rep)
{
    rep->n_verdicts = 0;
    for (size_t i = 0; i < rep->n_growth; i++) {
        const char *id = rep->growth[i].id;
        /* Spawn's wall time swings by more than 1,000 descriptors cost:
         * its growth is judged on the caller's CPU time (spawn_parent_cpu). */
        if (strcmp(id, "spawn") == 0)
            continue;
        bool seen = false;
        for (size_t v = 0; v < rep->n_verdicts; v++)
            seen = seen || strcmp(rep->verdicts[v].id, id) == 0;
        const bench_row *top[3];
        size_t n = seen ? 0 : largest_sizes(rep, id, top);
        if (n < 2)
            continue;
        bench_growth_verdict *v = &rep->verdicts[rep->n_verdicts++];
        v->id = id;
        v->large = top[0]->devices;
        v->small = top[1]->devices;
        v->marginal = marginal(top[1], top[0]);
        if (n == 3) {
            v->baseline = marginal(top[2], top[1]);
            v->baseline_from = top[2]->devices;
        } else {
            v->baseline = top[1]->r.ns / (double)top[1]->devices;
            v->baseline_from = 0;
        }
        v->linear = v->marginal <= 1.5 * v->baseline;
    }
}

/* ---- the machine --------------------------------------------------------- */

static void cpu_model(char *buf, size_t size)
{
    snprintf(buf, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f == NULL)
        return;
    char line[512];
    while (fgets(line, sizeof line, f) != NULL) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
            colon += 1 + (colon[1] == ' ');
            colon[strcspn(colon, "\n")] = '\0';
            snprintf(buf, size, "%s", colon);
            break;
        }
    }
    fclose(f);
}

typedef struct machine {
    struct utsname uts;
    char cpu[256];
    long cpus;
} machine;

static void describe_machine(machine *m)
{
    if (uname(&m->uts) != 0)
        memset(&m->uts, 0, sizeof m->uts);
    cpu_model(m->cpu, sizeof m->cpu);
    m->cpus = sysconf(_SC_NPROCESSORS_ONLN);
}

/* ---- text ----------------------------------------------------------------- */

static void print_allocs(FILE *out, double allocs, double per)
{
    if (allocs < 0)
        fprintf(out, " %9s", "n/a");
    else
        fprintf(out, " %9.1f", allocs / per);
}

static void print_main_row(FILE *out, const bench_row *row)
{
    const bench_result *r = &row->r;
    fprintf(out, "%-34s %10.0f", row->label, r->ns);
    print_allocs(out, r->allocs, 1);
    fprintf(out, " %8.1f %9.*f", r->calib_ns, r->calib_ratio < 1000 ? 1 : 0, r->calib_ratio);
    if (row->go_ns > 0)
        fprintf(out, "  Go %8.0f ns %6.3f", row->go_ns, r->ns / row->go_ns);
    else if (row->peer != NULL)
        fprintf(out, "  %-14s %6.3f", row->peer, r->peer_ratio);
    else
        fprintf(out, "  %-21s", "");
    if (row->go_target > 0)
        fprintf(out, "  <=%.2f", row->go_target);
    else if (row->peer_target > 0)
        fprintf(out, "  <=%.2f", row->peer_target);
    else
        fprintf(out, "  %6s", "");
    if (row->max_allocs >= 0)
        fprintf(out, " <=%.0f allocs", row->max_allocs);
    if (has_target(row))
        fprintf(out, "  %s", bench_row_met(row) ? "met" : "MISSED");
    fputc('\n', out);
}

static void print_growth_row(FILE *out, const bench_row *row)
{
    const bench_result *r = &row->r;
    double n = (double)row->devices;
    fprintf(out, "%-16s %7zu %12.0f %10.1f", row->id, row->devices, r->ns, r->ns / n);
    print_allocs(out, r->allocs, n);
    fprintf(out, " %10.2f %9.*f", r->calib_ns / n, r->calib_ratio < 1000 ? 1 : 0, r->calib_ratio);
    if (row->peer != NULL)
        fprintf(out, "  %s %.3f", row->peer, r->peer_ratio);
    fputc('\n', out);
}

/* True when the read's heap beyond the VM stays within the bound. */
static bool memory_met(const bench_memory_row *m)
{
    return (double)(m->peak_bytes - m->retained_bytes) <=
           BENCH_JSON_EXTRA_PER_BYTE * (double)m->input_bytes + BENCH_JSON_FIXED_BYTES;
}

static void print_memory(FILE *out, const bench_report *rep)
{
    if (rep->n_memory == 0)
        return;
    fprintf(out,
            "\nJSON read heap (vf_vm_from_json_buffer; target: peak - VM <= %.0f B per input byte"
            " + %d kB)\n",
            BENCH_JSON_EXTRA_PER_BYTE, BENCH_JSON_FIXED_BYTES / 1024);
    fprintf(out, "%-34s %10s %10s %10s %9s %9s\n", "document", "input B", "peak B", "VM B",
            "peak/B", "target");
    for (size_t i = 0; i < rep->n_memory; i++) {
        const bench_memory_row *m = &rep->memory[i];
        if (!bench_alloc_counting_available()) {
            fprintf(out, "%-34s %10zu %10s\n", m->label, m->input_bytes, "n/a");
            continue;
        }
        fprintf(out, "%-34s %10zu %10zu %10zu %9.2f %9s\n", m->label, m->input_bytes, m->peak_bytes,
                m->retained_bytes, (double)m->peak_bytes / (double)m->input_bytes,
                memory_met(m) ? "met" : "MISSED");
    }
}

void bench_print_text(FILE *out, const bench_report *rep)
{
    machine m;
    describe_machine(&m);
    fprintf(out, "vfbench: libvfconfig %s (%s), jansson %s, %s %s %s, %s, %ld CPUs, cc %s\n",
            vf_version_string(), rep->build_type, JANSSON_VERSION, m.uts.sysname, m.uts.release,
            m.uts.machine, m.cpu, m.cpus, __VERSION__);
    fprintf(out,
            "podman VM: EFI + 8 devices, JSON %zu bytes; medians of %zu runs; "
            "calib = memcpy of the JSON's bytes; %s%s\n\n",
            rep->json_bytes, rep->runs,
            rep->cpu_clock ? "CPU time (spawn: wall time)" : "wall time",
            bench_alloc_counting_available() ? "" : "; allocation counting unavailable here");
    fprintf(out, "%-34s %10s %9s %8s %9s  %-21s  %6s\n", "operation", "ns/op", "allocs/op",
            "calib ns", "x calib", "compared with", "target");
    for (size_t i = 0; i < rep->n_main; i++)
        print_main_row(out, &rep->main[i]);
    print_memory(out, rep);

    if (rep->n_growth == 0)
        return;
    fprintf(out,
            "\ngrowth (devices cycle through the podman VM's; calib = memcpy of that VM's JSON)\n");
    fprintf(out, "%-16s %7s %12s %10s %9s %10s %9s\n", "operation", "devices", "ns/op", "ns/device",
            "allocs/dv", "calib/dv", "x calib");
    for (size_t i = 0; i < rep->n_growth; i++)
        print_growth_row(out, &rep->growth[i]);
    fputc('\n', out);
    for (size_t i = 0; i < rep->n_verdicts; i++) {
        const bench_growth_verdict *v = &rep->verdicts[i];
        fprintf(
            out,
            "linear %-16s %-3s  %.1f ns per device added from %zu to %zu, %.1f from %zu to %zu\n",
            v->id, v->linear ? "yes" : "NO", v->marginal, v->small, v->large, v->baseline,
            v->baseline_from, v->small);
    }
}

/* ---- JSON ----------------------------------------------------------------- */

static void put_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void put_json_number(FILE *out, double v)
{
    if (v < 0)
        fputs("null", out);
    else
        fprintf(out, "%.6g", v);
}

static void put_json_row(FILE *out, const bench_row *row, bool per_device)
{
    const bench_result *r = &row->r;
    fputs("{\"id\":", out);
    put_json_string(out, row->id);
    fputs(",\"label\":", out);
    put_json_string(out, row->label);
    fprintf(out, ",\"devices\":%zu,\"iterations\":%zu,\"runs\":%zu", row->devices, r->iterations,
            r->runs);
    fprintf(out, ",\"ns_per_op\":%.6g,\"ns_min\":%.6g,\"ns_max\":%.6g", r->ns, r->ns_min,
            r->ns_max);
    fputs(",\"allocs_per_op\":", out);
    put_json_number(out, r->allocs);
    fputs(",\"alloc_bytes_per_op\":", out);
    put_json_number(out, r->alloc_bytes);
    fprintf(out, ",\"calibration_ns\":%.6g,\"ratio_to_calibration\":%.6g", r->calib_ns,
            r->calib_ratio);
    if (per_device) {
        double n = (double)row->devices;
        fprintf(out, ",\"ns_per_device\":%.6g,\"calibration_ns_per_device\":%.6g", r->ns / n,
                r->calib_ns / n);
        fputs(",\"allocs_per_device\":", out);
        put_json_number(out, r->allocs < 0 ? -1 : r->allocs / n);
    }
    if (row->go_ns > 0)
        fprintf(out, ",\"go_ns\":%.6g,\"ratio_to_go\":%.6g", row->go_ns, r->ns / row->go_ns);
    if (row->go_target > 0)
        fprintf(out, ",\"target_ratio_to_go\":%.6g", row->go_target);
    if (row->max_allocs >= 0)
        fprintf(out, ",\"target_max_allocs\":%.6g", row->max_allocs);
    if (row->peer != NULL) {
        fputs(",\"peer\":", out);
        put_json_string(out, row->peer);
        fprintf(out, ",\"peer_ns\":%.6g,\"ratio_to_peer\":%.6g", r->peer_ns, r->peer_ratio);
    }
    if (row->peer_target > 0)
        fprintf(out, ",\"target_ratio_to_peer\":%.6g", row->peer_target);
    if (has_target(row))
        fprintf(out, ",\"met\":%s", bench_row_met(row) ? "true" : "false");
    fputc('}', out);
}

void bench_print_json(FILE *out, const bench_report *rep)
{
    machine m;
    describe_machine(&m);
    fputs("{\"machine\":{\"system\":", out);
    put_json_string(out, m.uts.sysname);
    fputs(",\"release\":", out);
    put_json_string(out, m.uts.release);
    fputs(",\"arch\":", out);
    put_json_string(out, m.uts.machine);
    fputs(",\"cpu\":", out);
    put_json_string(out, m.cpu);
    fprintf(out, ",\"cpus\":%ld,\"compiler\":", m.cpus);
    put_json_string(out, __VERSION__);
    fputs(",\"build_type\":", out);
    put_json_string(out, rep->build_type);
    fputs(",\"library\":", out);
    put_json_string(out, vf_version_string());
    fputs(",\"jansson\":", out);
    put_json_string(out, JANSSON_VERSION);
    fprintf(out, ",\"alloc_counting\":%s},\n", bench_alloc_counting_available() ? "true" : "false");
    fprintf(out, "\"json_bytes\":%zu,\"runs\":%zu,\"clock\":\"%s\",\n\"operations\":[\n",
            rep->json_bytes, rep->runs,
            rep->cpu_clock ? "thread-cpu (spawn: monotonic)" : "monotonic");
    for (size_t i = 0; i < rep->n_main; i++) {
        put_json_row(out, &rep->main[i], false);
        fputs(i + 1 < rep->n_main ? ",\n" : "\n", out);
    }
    fputs("],\n\"json_read_heap\":[\n", out);
    for (size_t i = 0; i < rep->n_memory; i++) {
        const bench_memory_row *row = &rep->memory[i];
        fputs("{\"document\":", out);
        put_json_string(out, row->label);
        fprintf(out, ",\"input_bytes\":%zu", row->input_bytes);
        if (bench_alloc_counting_available())
            fprintf(out,
                    ",\"peak_bytes\":%zu,\"vm_bytes\":%zu,\"peak_per_input_byte\":%.6g,"
                    "\"met\":%s",
                    row->peak_bytes, row->retained_bytes,
                    (double)row->peak_bytes / (double)row->input_bytes,
                    memory_met(row) ? "true" : "false");
        fputs(i + 1 < rep->n_memory ? "},\n" : "}\n", out);
    }
    fputs("],\n\"growth\":[\n", out);
    for (size_t i = 0; i < rep->n_growth; i++) {
        put_json_row(out, &rep->growth[i], true);
        fputs(i + 1 < rep->n_growth ? ",\n" : "\n", out);
    }
    fputs("],\n\"linear\":[\n", out);
    for (size_t i = 0; i < rep->n_verdicts; i++) {
        const bench_growth_verdict *v = &rep->verdicts[i];
        fputs("{\"id\":", out);
        put_json_string(out, v->id);
        fprintf(out,
                ",\"from_devices\":%zu,\"to_devices\":%zu,\"ns_per_added_device\":%.6g,"
                "\"baseline_from_devices\":%zu,\"baseline_ns_per_added_device\":%.6g,"
                "\"linear\":%s}",
                v->small, v->large, v->marginal, v->baseline_from, v->baseline,
                v->linear ? "true" : "false");
        fputs(i + 1 < rep->n_verdicts ? ",\n" : "\n", out);
    }
    fputs("]}\n", out);
}
