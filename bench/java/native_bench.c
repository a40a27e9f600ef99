/*
 * The native side of the Java benchmark (bench/java/run.sh): the same
 * messages through the C ABI with no JVM, one thread.
 *
 *   native_bench CORPUS REPS
 *   native_bench CORPUS --serve
 *
 * CORPUS: records of a little-endian uint32 length and that many UTF-8 bytes
 * (written by JavaBench). Prints two lines, the medians of REPS runs each of
 * the wall time and of the process's CPU time; with --serve, reads "json" or
 * "batch" lines on standard input and answers each with one timed pass (so
 * that JavaBench interleaves native and Java passes under the same load):
 *   json MESSAGES WALL CPU   jm_analyze_json + jm_string_free per message
 *                            (the full analysis, as Engine.analyzeMany gets it)
 *   batch MESSAGES WALL CPU  jm_analyze_batch, 4,096 messages a call
 *                            (digests, as Engine.summarizeMany gets them)
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jingmin.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of the whole process: steadier than wall time on a shared machine. */
static double cpu(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void die(const char *what) {
    fprintf(stderr, "native_bench: %s: %s\n", what, jm_last_error());
    exit(1);
}

/* One pass of the full analyses: jm_analyze_json and jm_string_free per message. */
static uint64_t pass_json(const jm_engine *engine, const jm_text *texts, size_t n) {
    uint64_t sink = 0;
    for (size_t i = 0; i < n; i++) {
        char *json = NULL;
        if (jm_analyze_json(engine, texts[i].ptr, texts[i].len, 0, &json) != JM_OK) die("jm_analyze_json");
        sink += jm_string_len(json);
        jm_string_free(json);
    }
    return sink;
}

/* One pass of the digests: jm_analyze_batch, 4,096 messages a call. */
static uint64_t pass_batch(const jm_engine *engine, const jm_text *texts, size_t n, jm_summary *out) {
    uint64_t sink = 0;
    for (size_t i = 0; i < n; i += 4096) {
        size_t m = n - i < 4096 ? n - i : 4096;
        if (jm_analyze_batch(engine, texts + i, m, out) != JM_OK) die("jm_analyze_batch");
        for (size_t j = 0; j < m; j++) sink += out[j].risk + out[j].hit_count;
    }
    return sink;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s CORPUS REPS|--serve\n", argv[0]);
        return 2;
    }
    int serve = strcmp(argv[2], "--serve") == 0;
    int reps = serve ? 1 : atoi(argv[2]);
    if (reps < 1) reps = 1;
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(size > 0 ? (size_t)size : 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        perror("read");
        return 1;
    }
    fclose(f);
    size_t n = 0, cap = 1024;
    jm_text *texts = malloc(cap * sizeof *texts);
    for (long off = 0; off + 4 <= size;) {
        uint32_t len = (uint32_t)buf[off] | (uint32_t)buf[off + 1] << 8 | (uint32_t)buf[off + 2] << 16 |
                       (uint32_t)buf[off + 3] << 24;
        off += 4;
        if (off + (long)len > size) break;
        if (n == cap) texts = realloc(texts, (cap *= 2) * sizeof *texts);
        texts[n].ptr = buf + off;
        texts[n].len = len;
        n++;
        off += len;
    }

    jm_engine *engine = NULL;
    if (jm_engine_new_default(&engine) != JM_OK) die("jm_engine_new_default");

    /* Warm-up: one pass, untimed (page cache, allocator, branch predictors). */
    uint64_t sink = 0;
    for (size_t i = 0; i < n && i < 50000; i++) {
        char *json = NULL;
        if (jm_analyze_json(engine, texts[i].ptr, texts[i].len, 0, &json) != JM_OK) die("jm_analyze_json");
        sink += jm_string_len(json);
        jm_string_free(json);
    }

    jm_summary *out = malloc(4096 * sizeof *out);
    if (serve) {
        /* One timed pass per request line ("json" or "batch"), answered at once. */
        char line[64];
        while (fgets(line, sizeof line, stdin)) {
            int json = strncmp(line, "json", 4) == 0;
            double t0 = now(), c0 = cpu();
            sink += json ? pass_json(engine, texts, n) : pass_batch(engine, texts, n, out);
            printf("%s %zu %.6f %.6f\n", json ? "json" : "batch", n, now() - t0, cpu() - c0);
            fflush(stdout);
        }
    } else {
        double *t = malloc(reps * sizeof *t);
        double *c = malloc(reps * sizeof *c);
        for (int kind = 0; kind < 2; kind++) {
            for (int r = 0; r < reps; r++) {
                double t0 = now(), c0 = cpu();
                sink += kind == 0 ? pass_json(engine, texts, n) : pass_batch(engine, texts, n, out);
                t[r] = now() - t0;
                c[r] = cpu() - c0;
            }
            qsort(t, reps, sizeof *t, cmp);
            qsort(c, reps, sizeof *c, cmp);
            printf("%s %zu %.6f %.6f\n", kind == 0 ? "json" : "batch", n, t[reps / 2], c[reps / 2]);
        }
    }
    fprintf(stderr, "native_bench: checksum %llu\n", (unsigned long long)sink);
    jm_engine_free(engine);
    return 0;
}
