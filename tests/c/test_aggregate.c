/*
 * The aggregator through the C ABI: one pass, a JSON Lines batch, parts
 * merged in two orders and in a tree, snapshot -> restore -> continue, all
 * giving byte-identical report JSON (and snapshots); per-message outcomes
 * and batch counts; concurrent readers of one aggregator while threads feed
 * their own; and every error path (NULL arguments, invalid JSON and UTF-8,
 * oversize lines, invalid, corrupted and newer snapshots, bad
 * configurations, merging into itself, merging different configurations);
 * unreadable records (jm_aggregator_add_unreadable) and masking
 * (jm_aggregator_mask_personal_data).
 *
 * usage: test_aggregate messages.jsonl
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "common.h"

#define PARTS 3
#define THREADS 4

typedef struct {
    const uint8_t *ptr;
    size_t len;
} line;

typedef struct {
    char *data; /* the whole file, NUL-terminated */
    size_t size;
    line *lines; /* non-blank lines, pointing into data */
    size_t n;
} jsonl_file;

static jsonl_file load_jsonl(const char *path) {
    jsonl_file f = {NULL, 0, NULL, 0};
    FILE *in = fopen(path, "rb");
    long size;
    size_t i, start = 0, cap = 0;
    if (in == NULL || fseek(in, 0, SEEK_END) != 0 || (size = ftell(in)) <= 0 || fseek(in, 0, SEEK_SET) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    f.size = (size_t)size;
    f.data = (char *)malloc(f.size + 1);
    if (f.data == NULL || fread(f.data, 1, f.size, in) != f.size) exit(2);
    f.data[f.size] = '\0';
    fclose(in);
    for (i = 0; i <= f.size; i++) {
        if (i == f.size || f.data[i] == '\n') {
            if (i > start) {
                if (f.n == cap) {
                    cap = cap ? cap * 2 : 256;
                    f.lines = (line *)realloc(f.lines, cap * sizeof *f.lines);
                    if (f.lines == NULL) exit(2);
                }
                f.lines[f.n].ptr = U8(f.data + start);
                f.lines[f.n].len = i - start;
                f.n++;
            }
            start = i + 1;
        }
    }
    if (f.n < 10) {
        fprintf(stderr, "%s: fewer than 10 lines\n", path);
        exit(2);
    }
    return f;
}

static int last_error_contains(const char *needle) {
    return strstr(jm_last_error(), needle) != NULL;
}

/* A new aggregator; exits if the library cannot make one. */
static jm_aggregator *new_agg(void) {
    jm_aggregator *a = NULL;
    CHECK_STATUS(jm_aggregator_new(&a), JM_OK);
    if (a == NULL) exit(2);
    return a;
}

/* The report JSON (caller frees with jm_string_free). */
static char *report(const jm_aggregator *a) {
    char *out = NULL;
    CHECK_STATUS(jm_aggregator_report_json(a, &out), JM_OK);
    CHECK(out != NULL && out[0] == '{', "report is a JSON object");
    return out;
}

static char *snapshot(const jm_aggregator *a) {
    char *out = NULL;
    CHECK_STATUS(jm_aggregator_snapshot(a, &out), JM_OK);
    CHECK(out != NULL && strstr(out, "\"format\":\"jingmin-aggregator\"") != NULL, "snapshot format");
    return out;
}

/* Whether the report of `a` equals `expected`; frees the report. */
static int reports_equal(const jm_aggregator *a, const char *expected) {
    char *r = report(a);
    int same = r != NULL && jm_string_len(r) == strlen(expected) && strcmp(r, expected) == 0;
    jm_string_free(r);
    return same;
}

static void add_range(jm_aggregator *a, const jm_engine *e, const jsonl_file *f, size_t from, size_t to) {
    size_t i;
    for (i = from; i < to; i++) {
        CHECK_STATUS(jm_aggregator_add_json(a, e, f->lines[i].ptr, f->lines[i].len), JM_OK);
    }
}

/* An integer after `"key":` in a JSON text, or -1. */
static long json_int(const char *json, const char *key) {
    char pattern[64];
    const char *p;
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    p = strstr(json, pattern);
    return p == NULL ? -1 : strtol(p + strlen(pattern), NULL, 10);
}

static void check_laws(const jm_engine *e, const jsonl_file *f) {
    jm_aggregator *all = new_agg(), *batch = new_agg(), *parts[PARTS], *left = new_agg(), *tree = new_agg();
    jm_aggregator *half = new_agg(), *restored = NULL;
    size_t i, outcomes[5] = {0, 0, 0, 0, 0};
    jm_add_counts counts = {99, 99, 99};
    char *expected, *snap_all, *snap_half, *snap_restored;
    uint32_t outcome = 77;

    /* One pass, message by message, with the outcome of each. */
    for (i = 0; i < f->n; i++) {
        outcome = 77;
        CHECK_STATUS(jm_aggregator_add_json_ex(all, e, f->lines[i].ptr, f->lines[i].len, &outcome), JM_OK);
        CHECK(outcome <= JM_ADDED_REJECTED_INVALID_TIME, "line %zu: outcome %u", i + 1, (unsigned)outcome);
        if (outcome <= JM_ADDED_REJECTED_INVALID_TIME) outcomes[outcome]++;
    }
    CHECK(outcomes[JM_ADDED_NEW] == f->n, "every line of the file is a new message: %zu of %zu",
          outcomes[JM_ADDED_NEW], f->n);
    expected = report(all);
    CHECK(json_int(expected, "total") > 0, "messages counted: %.200s", expected);
    CHECK(json_int(expected, "duplicates") == 0, "no duplicates yet");

    /* Seen again: a duplicate, only messages.duplicates grows. */
    CHECK_STATUS(jm_aggregator_add_json_ex(all, e, f->lines[3].ptr, f->lines[3].len, &outcome), JM_OK);
    CHECK(outcome == JM_ADDED_DUPLICATE, "outcome %u", (unsigned)outcome);
    {
        char *again = report(all);
        CHECK(json_int(again, "duplicates") == 1, "one duplicate");
        CHECK(json_int(again, "total") == json_int(expected, "total"), "total unchanged by a copy");
        jm_string_free(again);
    }
    /* Make `expected` the report of the file plus one copy of line 4. */
    jm_string_free(expected);
    expected = report(all);

    /* The whole file as one JSON Lines batch, plus the copy. */
    CHECK_STATUS(jm_aggregator_add_jsonl(batch, e, U8(f->data), f->size, &counts), JM_OK);
    CHECK(counts.added == outcomes[JM_ADDED_NEW] && counts.duplicates == 0 && counts.rejected == 0,
          "batch counts %zu/%zu/%zu", counts.added, counts.duplicates, counts.rejected);
    CHECK_STATUS(jm_aggregator_add_jsonl(batch, e, f->lines[3].ptr, f->lines[3].len, &counts), JM_OK);
    CHECK(counts.added == 0 && counts.duplicates == 1 && counts.rejected == 0, "copy counted as duplicate");
    CHECK(reports_equal(batch, expected), "batch report == one-by-one report");

    /* Interleaved parts (i mod 3), line 4 twice in part 1. */
    for (i = 0; i < PARTS; i++) parts[i] = new_agg();
    for (i = 0; i < f->n; i++) {
        CHECK_STATUS(jm_aggregator_add_json(parts[i % PARTS], e, f->lines[i].ptr, f->lines[i].len), JM_OK);
    }
    CHECK_STATUS(jm_aggregator_add_json(parts[1], e, f->lines[3].ptr, f->lines[3].len), JM_OK);
    /* Order 1: an empty aggregator takes 0, 1, 2. */
    for (i = 0; i < PARTS; i++) CHECK_STATUS(jm_aggregator_merge(left, parts[i]), JM_OK);
    CHECK(reports_equal(left, expected), "merge 0,1,2 == one pass");
    /* A tree: tree = (2 <- 1) then tree <- 0, through a copy of 2. */
    CHECK_STATUS(jm_aggregator_merge(tree, parts[2]), JM_OK);
    CHECK_STATUS(jm_aggregator_merge(tree, parts[1]), JM_OK);
    CHECK_STATUS(jm_aggregator_merge(parts[0], tree), JM_OK);
    /* Order 2: part 0 took (2, 1) as one partial. */
    CHECK(reports_equal(parts[0], expected), "merge 0 <- (2 <- 1) == one pass");
    CHECK(!reports_equal(tree, expected), "a part alone differs from the whole");

    /* Snapshot of the first half, restore, continue with the rest. */
    add_range(half, e, f, 0, f->n / 2);
    snap_half = snapshot(half);
    CHECK_STATUS(jm_aggregator_restore(U8(snap_half), jm_string_len(snap_half), &restored), JM_OK);
    CHECK(restored != NULL, "restored");
    if (restored != NULL) {
        char *r1 = report(half);
        CHECK(reports_equal(restored, r1), "restored reports as the original");
        jm_string_free(r1);
        add_range(restored, e, f, f->n / 2, f->n);
        CHECK_STATUS(jm_aggregator_add_json(restored, e, f->lines[3].ptr, f->lines[3].len), JM_OK);
        CHECK(reports_equal(restored, expected), "snapshot(first half) + rest == all");
        snap_all = snapshot(all);
        snap_restored = snapshot(restored);
        CHECK(strcmp(snap_all, snap_restored) == 0, "equal states give byte-identical snapshots");
        jm_string_free(snap_all);
        jm_string_free(snap_restored);
    }

    jm_string_free(snap_half);
    jm_string_free(expected);
    for (i = 0; i < PARTS; i++) jm_aggregator_free(parts[i]);
    jm_aggregator_free(all);
    jm_aggregator_free(batch);
    jm_aggregator_free(left);
    jm_aggregator_free(tree);
    jm_aggregator_free(half);
    jm_aggregator_free(restored);
}

static void check_outcomes(const jm_engine *e) {
    static const char *msgs[] = {
        "{\"id\":\"1\",\"group\":\"g\",\"time\":\"2024-03-01 10:00:00\",\"role\":\"resident\",\"text\":\"请问周六警务室有人吗？\"}",
        "{\"id\":\"1\",\"group\":\"g\",\"time\":\"2024-03-01 10:00:00\",\"role\":\"resident\",\"text\":\"请问周六警务室有人吗？\"}",
        "{\"id\":\"2\",\"time\":\"2024-03-01 10:00:00\",\"text\":\"收到\"}",
        "{\"id\":\"3\",\"group\":\"g\",\"text\":\"收到\"}",
        "{\"id\":\"4\",\"group\":\"g\",\"time\":\"yesterday\",\"text\":\"收到\"}",
        "{\"id\":\"5\",\"group\":\"g\",\"time\":1709258700,\"role\":\"police\",\"text\":\"周六上午有人值班\"}",
    };
    static const uint32_t expected[] = {JM_ADDED_NEW,
                                        JM_ADDED_DUPLICATE,
                                        JM_ADDED_REJECTED_MISSING_GROUP,
                                        JM_ADDED_REJECTED_MISSING_TIME,
                                        JM_ADDED_REJECTED_INVALID_TIME,
                                        JM_ADDED_NEW};
    jm_aggregator *a = new_agg(), *b = new_agg();
    jm_add_counts counts = {0, 0, 0};
    char buf[2048] = "";
    size_t i;
    char *r;
    for (i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
        uint32_t outcome = 99;
        CHECK_STATUS(jm_aggregator_add_json_ex(a, e, U8(msgs[i]), strlen(msgs[i]), &outcome), JM_OK);
        CHECK(outcome == expected[i], "message %zu: outcome %u, expected %u", i, (unsigned)outcome,
              (unsigned)expected[i]);
        /* The same messages as JSON Lines, with blank and CRLF lines. */
        strcat(buf, msgs[i]);
        strcat(buf, i % 2 ? "\r\n\n" : "\n  \n");
    }
    CHECK_STATUS(jm_aggregator_add_jsonl(b, e, U8(buf), strlen(buf), &counts), JM_OK);
    CHECK(counts.added == 2 && counts.duplicates == 1 && counts.rejected == 3, "counts %zu/%zu/%zu",
          counts.added, counts.duplicates, counts.rejected);
    r = report(a);
    CHECK(reports_equal(b, r), "batch == one by one");
    CHECK(json_int(r, "opened") == 1 && json_int(r, "answered") == 1, "one case, answered: %s", r);
    CHECK(strstr(r, "\"missing_group\":1") && strstr(r, "\"missing_time\":1") && strstr(r, "\"invalid_time\":1"),
          "rejected by reason: %s", r);
    jm_string_free(r);
    /* NULL outcome / counts are allowed; an empty batch counts nothing. */
    CHECK_STATUS(jm_aggregator_add_json_ex(a, e, U8(msgs[5]), strlen(msgs[5]), NULL), JM_OK);
    CHECK_STATUS(jm_aggregator_add_jsonl(a, e, U8(msgs[5]), strlen(msgs[5]), NULL), JM_OK);
    counts.added = 5;
    CHECK_STATUS(jm_aggregator_add_jsonl(a, e, NULL, 0, &counts), JM_OK);
    CHECK(counts.added == 0 && counts.duplicates == 0 && counts.rejected == 0, "empty batch");
    CHECK_STATUS(jm_aggregator_add_jsonl(a, e, U8("\n \n"), 3, &counts), JM_OK);
    CHECK(counts.added == 0 && counts.duplicates == 0 && counts.rejected == 0, "blank batch");
    jm_aggregator_free(a);
    jm_aggregator_free(b);
}

static void check_errors(const jm_engine *e, const jsonl_file *f) {
    jm_aggregator *a = new_agg(), *b = NULL, *out = NULL;
    jm_add_counts counts = {7, 7, 7};
    uint32_t outcome = 42;
    char *s = (char *)&counts, *before, *snap;
    static const char msg[] = "{\"group\":\"g\",\"time\":1709258400,\"text\":\"收到\"}";
    static const char *bad_json[] = {"", "{not json", "[1,2]", "{\"group\":\"g\"}", "{\"text\":5}", "null"};
    size_t i;

    add_range(a, e, f, 0, 20);
    before = report(a);

    /* NULL arguments. */
    CHECK_STATUS(jm_aggregator_new(NULL), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("jm_aggregator_new: out is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_aggregator_new_with_config(U8("{}"), 2, NULL), JM_ERR_NULL_ARGUMENT);
    out = a;
    CHECK_STATUS(jm_aggregator_new_with_config(NULL, 2, &out), JM_ERR_NULL_ARGUMENT);
    CHECK(out == NULL && last_error_contains("json is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_aggregator_add_json(NULL, e, U8(msg), strlen(msg)), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("jm_aggregator_add_json: agg is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_aggregator_add_json(a, NULL, U8(msg), strlen(msg)), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("engine is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_aggregator_add_json(a, e, NULL, 5), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("message_json is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_aggregator_add_json_ex(NULL, e, U8(msg), strlen(msg), &outcome), JM_ERR_NULL_ARGUMENT);
    CHECK(outcome == 42, "outcome untouched on failure");
    CHECK_STATUS(jm_aggregator_add_jsonl(NULL, e, U8(msg), strlen(msg), &counts), JM_ERR_NULL_ARGUMENT);
    CHECK_STATUS(jm_aggregator_add_jsonl(a, NULL, U8(msg), strlen(msg), &counts), JM_ERR_NULL_ARGUMENT);
    CHECK_STATUS(jm_aggregator_add_jsonl(a, e, NULL, 3, &counts), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("jsonl is NULL"), "%s", jm_last_error());
    CHECK(counts.added == 7, "counts untouched on failure");
    CHECK_STATUS(jm_aggregator_merge(NULL, a), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("into is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_aggregator_merge(a, NULL), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("from is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_aggregator_snapshot(a, NULL), JM_ERR_NULL_ARGUMENT);
    CHECK_STATUS(jm_aggregator_snapshot(NULL, &s), JM_ERR_NULL_ARGUMENT);
    CHECK(s == NULL, "snapshot out reset to NULL on failure");
    s = (char *)&counts;
    CHECK_STATUS(jm_aggregator_report_json(NULL, &s), JM_ERR_NULL_ARGUMENT);
    CHECK(s == NULL, "report out reset to NULL on failure");
    CHECK_STATUS(jm_aggregator_report_json(a, NULL), JM_ERR_NULL_ARGUMENT);
    CHECK_STATUS(jm_aggregator_restore(U8("{}"), 2, NULL), JM_ERR_NULL_ARGUMENT);
    out = a;
    CHECK_STATUS(jm_aggregator_restore(NULL, 4, &out), JM_ERR_NULL_ARGUMENT);
    CHECK(out == NULL, "restore out reset to NULL on failure");
    jm_aggregator_free(NULL);

    /* Invalid messages: refused, nothing counted. */
    for (i = 0; i < sizeof bad_json / sizeof bad_json[0]; i++) {
        outcome = 42;
        CHECK_STATUS(jm_aggregator_add_json_ex(a, e, U8(bad_json[i]), strlen(bad_json[i]), &outcome),
                     JM_ERR_INVALID_JSON);
        CHECK(outcome == 42, "outcome untouched");
        CHECK(last_error_contains("jm_aggregator_add_json_ex: message_json: "), "%s", jm_last_error());
    }
    CHECK_STATUS(jm_aggregator_add_json(a, e, U8("{\"text\":\"\xff\"}"), 12), JM_ERR_INVALID_UTF8);
    CHECK(last_error_contains("byte offset 9"), "%s", jm_last_error());
    {
        size_t max = jm_engine_max_message_bytes(e);
        CHECK_STATUS(jm_aggregator_add_json(a, e, U8(msg), max + 1), JM_ERR_TOO_LARGE);
        CHECK_STATUS(jm_aggregator_add_json(a, e, U8(msg), (size_t)-1), JM_ERR_TOO_LARGE);
    }
    /* A batch with a bad third line: nothing of it is counted. */
    {
        char buf[1024];
        snprintf(buf, sizeof buf, "%s\n\n{\"group\":\"g\",\"text\":\n%s\n", msg, msg);
        CHECK_STATUS(jm_aggregator_add_jsonl(a, e, U8(buf), strlen(buf), &counts), JM_ERR_INVALID_JSON);
        CHECK(last_error_contains("jsonl: line 3: "), "%s", jm_last_error());
        CHECK(!last_error_contains("收到"), "no input echoed: %s", jm_last_error());
        CHECK(counts.added == 7, "counts untouched on failure");
        snprintf(buf, sizeof buf, "%s\n{\"text\":\"a\xfe\"}\n", msg);
        CHECK_STATUS(jm_aggregator_add_jsonl(a, e, U8(buf), strlen(buf), &counts), JM_ERR_INVALID_UTF8);
        CHECK(last_error_contains("jsonl") && last_error_contains("byte offset"), "%s", jm_last_error());
    }
    CHECK(reports_equal(a, before), "failed adds counted nothing");

    /* Configurations. */
    {
        static const char *bad_config[] = {"", "{", "\"x\"", "{\"answer_window\":5}", "{\"answer_window_seconds\":0}",
                                           "{\"utc_offset_seconds\":30}"};
        for (i = 0; i < sizeof bad_config / sizeof bad_config[0]; i++) {
            out = a;
            CHECK_STATUS(jm_aggregator_new_with_config(U8(bad_config[i]), strlen(bad_config[i]), &out),
                         JM_ERR_INVALID_CONFIG);
            CHECK(out == NULL, "config %zu: out reset", i);
            CHECK(last_error_contains("jm_aggregator_new_with_config: json: "), "%s", jm_last_error());
        }
        {
            static const char hour[] = "{\"answer_window_seconds\":3600}";
            CHECK_STATUS(jm_aggregator_new_with_config(U8(hour), strlen(hour), &b), JM_OK);
        }
        CHECK(b != NULL, "configured aggregator");
        /* Different configurations refuse to merge; `a` is unchanged. */
        CHECK_STATUS(jm_aggregator_add_json(b, e, U8(msg), strlen(msg)), JM_OK);
        CHECK_STATUS(jm_aggregator_merge(a, b), JM_ERR_INVALID_CONFIG);
        CHECK(last_error_contains("jm_aggregator_merge: from: "), "%s", jm_last_error());
        CHECK(reports_equal(a, before), "a failed merge changes nothing");
        jm_aggregator_free(b);
        b = NULL;
        CHECK_STATUS(jm_aggregator_new_with_config(U8("{}"), 2, &b), JM_OK);
        CHECK_STATUS(jm_aggregator_merge(a, b), JM_OK);
        CHECK(reports_equal(a, before), "merging an empty aggregator changes nothing");
        jm_aggregator_free(b);
    }

    /* Merging an aggregator into itself is refused, not undefined. */
    CHECK_STATUS(jm_aggregator_merge(a, a), JM_ERR_INVALID_ARGUMENT);
    CHECK(last_error_contains("same aggregator"), "%s", jm_last_error());
    CHECK(reports_equal(a, before), "a refused self-merge changes nothing");

    /* Snapshots: invalid, corrupted, truncated, newer. */
    snap = snapshot(a);
    {
        static const char *bad_snap[] = {"", "not json", "{}", "[]", "{\"format\":\"other\",\"version\":1}"};
        size_t len = jm_string_len(snap);
        char *copy = (char *)malloc(len + 16);
        char *p;
        if (copy == NULL) exit(2);
        for (i = 0; i < sizeof bad_snap / sizeof bad_snap[0]; i++) {
            out = a;
            CHECK_STATUS(jm_aggregator_restore(U8(bad_snap[i]), strlen(bad_snap[i]), &out), JM_ERR_INVALID_SNAPSHOT);
            CHECK(out == NULL, "snapshot %zu: out reset", i);
            CHECK(last_error_contains("jm_aggregator_restore: snapshot: "), "%s", jm_last_error());
        }
        /* Truncated. */
        CHECK_STATUS(jm_aggregator_restore(U8(snap), len / 2, &out), JM_ERR_INVALID_SNAPSHOT);
        CHECK(out == NULL, "truncated: out NULL");
        /* Corrupted: one digit of the state changed (the checksum catches it). */
        memcpy(copy, snap, len + 1);
        p = strstr(copy, "\"mult\":[");
        CHECK(p != NULL, "snapshot has mult column");
        if (p != NULL) {
            p += strlen("\"mult\":[");
            *p = *p == '1' ? '2' : '1';
            CHECK_STATUS(jm_aggregator_restore(U8(copy), len, &out), JM_ERR_INVALID_SNAPSHOT);
            CHECK(out == NULL && last_error_contains("checksum"), "%s", jm_last_error());
        }
        /* Newer version. */
        memcpy(copy, snap, len + 1);
        p = strstr(copy, "\"version\":2,");
        CHECK(p != NULL, "snapshot has version 2");
        if (p != NULL) {
            memmove(p + strlen("\"version\":999,"), p + strlen("\"version\":2,"), strlen(p + strlen("\"version\":2,")) + 1);
            memcpy(p, "\"version\":999,", strlen("\"version\":999,"));
            CHECK_STATUS(jm_aggregator_restore(U8(copy), strlen(copy), &out), JM_ERR_INVALID_SNAPSHOT);
            CHECK(out == NULL && last_error_contains("999"), "%s", jm_last_error());
        }
        /* Invalid UTF-8. */
        memcpy(copy, snap, len + 1);
        copy[len / 3] = (char)0xff;
        CHECK_STATUS(jm_aggregator_restore(U8(copy), len, &out), JM_ERR_INVALID_UTF8);
        CHECK(out == NULL, "utf8: out NULL");
        /* The intact snapshot still restores. */
        CHECK_STATUS(jm_aggregator_restore(U8(snap), len, &out), JM_OK);
        CHECK(out != NULL && reports_equal(out, before), "intact snapshot restores");
        jm_aggregator_free(out);
        free(copy);
    }
    jm_string_free(snap);
    jm_string_free(before);
    jm_aggregator_free(a);
}

/* Unreadable records (jm_aggregator_add_unreadable): reason `unreadable`,
 * one record per (source, line) through copies, merges and snapshots. */
static void check_unreadable(const jm_engine *e, const jsonl_file *f) {
    jm_aggregator *a = new_agg(), *b = new_agg(), *restored = NULL;
    uint32_t outcome = 42;
    char *r, *snap, *expected;
    static const char source[] = "export.jsonl";

    add_range(a, e, f, 0, 10);
    add_range(b, e, f, 0, 10);
    CHECK_STATUS(jm_aggregator_add_unreadable(a, U8(source), strlen(source), 7, &outcome), JM_OK);
    CHECK(outcome == JM_ADDED_REJECTED_UNREADABLE, "new record: outcome %u", (unsigned)outcome);
    CHECK_STATUS(jm_aggregator_add_unreadable(a, U8(source), strlen(source), 7, &outcome), JM_OK);
    CHECK(outcome == JM_ADDED_DUPLICATE, "same source and line: outcome %u", (unsigned)outcome);
    CHECK_STATUS(jm_aggregator_add_unreadable(a, U8(source), strlen(source), 8, &outcome), JM_OK);
    CHECK(outcome == JM_ADDED_REJECTED_UNREADABLE, "another line: outcome %u", (unsigned)outcome);
    CHECK_STATUS(jm_aggregator_add_unreadable(a, U8("other.jsonl"), 11, 7, NULL), JM_OK);
    CHECK_STATUS(jm_aggregator_add_unreadable(a, NULL, 0, 0, &outcome), JM_OK);
    CHECK(outcome == JM_ADDED_REJECTED_UNREADABLE, "empty source: outcome %u", (unsigned)outcome);
    r = report(a);
    CHECK(strstr(r, "\"unreadable\":4") != NULL && strstr(r, "\"missing_group\":0") != NULL,
          "four unreadable records: %s", r);
    CHECK(json_int(r, "duplicates") == 1, "the copy is a duplicate: %s", r);
    expected = r;

    /* b counts two of the records, one of them twice; merged, each counts once. */
    CHECK_STATUS(jm_aggregator_add_unreadable(b, U8(source), strlen(source), 8, NULL), JM_OK);
    CHECK_STATUS(jm_aggregator_add_unreadable(b, NULL, 0, 0, NULL), JM_OK);
    CHECK_STATUS(jm_aggregator_add_unreadable(b, U8(source), strlen(source), 7, NULL), JM_OK);
    CHECK_STATUS(jm_aggregator_add_unreadable(b, U8("other.jsonl"), 11, 7, NULL), JM_OK);
    CHECK_STATUS(jm_aggregator_add_unreadable(b, U8(source), strlen(source), 7, &outcome), JM_OK);
    CHECK(outcome == JM_ADDED_DUPLICATE, "outcome %u", (unsigned)outcome);
    CHECK(reports_equal(b, expected), "another order gives the same report");
    jm_aggregator_free(b);
    b = new_agg();
    add_range(b, e, f, 0, 10);
    CHECK_STATUS(jm_aggregator_add_unreadable(b, U8(source), strlen(source), 8, NULL), JM_OK);
    CHECK_STATUS(jm_aggregator_merge(b, a), JM_OK);
    r = report(b);
    CHECK(strstr(r, "\"unreadable\":4") != NULL, "merged: each record once: %s", r);
    jm_string_free(r);

    /* A snapshot carries them. */
    snap = snapshot(a);
    CHECK_STATUS(jm_aggregator_restore(U8(snap), jm_string_len(snap), &restored), JM_OK);
    CHECK(restored != NULL && reports_equal(restored, expected), "restored reports the unreadable records");
    if (restored != NULL) {
        CHECK_STATUS(jm_aggregator_add_unreadable(restored, U8(source), strlen(source), 8, &outcome), JM_OK);
        CHECK(outcome == JM_ADDED_DUPLICATE, "restored: a known record is a copy: %u", (unsigned)outcome);
    }
    jm_string_free(snap);

    /* Errors: nothing counted, outcome untouched, the function named. */
    outcome = 42;
    CHECK_STATUS(jm_aggregator_add_unreadable(NULL, U8(source), strlen(source), 1, &outcome), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("jm_aggregator_add_unreadable: agg is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_aggregator_add_unreadable(a, NULL, 5, 1, &outcome), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("jm_aggregator_add_unreadable: source is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_aggregator_add_unreadable(a, U8("a\xff.jsonl"), 8, 1, &outcome), JM_ERR_INVALID_UTF8);
    CHECK(last_error_contains("jm_aggregator_add_unreadable: source: ") && last_error_contains("byte offset 1"),
          "%s", jm_last_error());
    CHECK(outcome == 42, "outcome untouched on failure");
    CHECK(reports_equal(a, expected), "refused records count nothing");

    jm_string_free(expected);
    jm_aggregator_free(a);
    jm_aggregator_free(b);
    jm_aggregator_free(restored);
}

/* Sender names are masked as they are counted (no raw output through the C
 * ABI); jm_aggregator_mask_personal_data then changes nothing here. */
static void check_masking(const jm_engine *e) {
    static const char ask[] =
        "{\"id\":\"1\",\"group\":\"g\",\"sender\":\"居民\",\"role\":\"resident\","
        "\"time\":\"2024-03-01 10:00:00\",\"text\":\"请问周六警务室有人吗？\"}";
    static const char answer[] =
        "{\"id\":\"2\",\"group\":\"g\",\"sender\":\"wxid_13912345678\",\"role\":\"police\","
        "\"time\":\"2024-03-01 10:05:00\",\"text\":\"周六上午有人值班\"}";
    jm_aggregator *a = new_agg(), *b = new_agg();
    char *before, *after, *snap;

    CHECK_STATUS(jm_aggregator_add_json(a, e, U8(ask), strlen(ask)), JM_OK);
    CHECK_STATUS(jm_aggregator_add_json(a, e, U8(answer), strlen(answer)), JM_OK);
    before = report(a);
    CHECK(strstr(before, "13912345678") == NULL && strstr(before, "wxid_139****5678") != NULL,
          "the officer's name masked as counted: %s", before);
    CHECK_STATUS(jm_aggregator_mask_personal_data(a), JM_OK);
    after = report(a);
    CHECK(strstr(after, "13912345678") == NULL && strstr(after, "wxid_139****5678") != NULL, "masked: %s", after);
    CHECK(json_int(after, "answered") == 1 && json_int(after, "answered") == json_int(before, "answered"),
          "nothing else changed: %s", after);
    CHECK(strcmp(after, before) == 0, "masking again changed the report: %s", after);
    snap = snapshot(a);
    CHECK(strstr(snap, "13912345678") == NULL, "the snapshot holds the masked name only");
    jm_string_free(snap);
    /* Idempotent; an empty aggregator is unchanged. */
    CHECK_STATUS(jm_aggregator_mask_personal_data(a), JM_OK);
    CHECK(reports_equal(a, after), "masking twice changes nothing more");
    jm_string_free(before);
    before = report(b);
    CHECK_STATUS(jm_aggregator_mask_personal_data(b), JM_OK);
    CHECK(reports_equal(b, before), "an empty aggregator is unchanged");

    CHECK_STATUS(jm_aggregator_mask_personal_data(NULL), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("jm_aggregator_mask_personal_data: agg is NULL"), "%s", jm_last_error());

    jm_string_free(before);
    jm_string_free(after);
    jm_aggregator_free(a);
    jm_aggregator_free(b);
}

/* Threads feed their own aggregators while all of them read a shared one. */
typedef struct {
    const jm_engine *engine;
    const jsonl_file *f;
    const jm_aggregator *shared;
    const char *shared_report;
    jm_aggregator *own;
    int index;
    int failures;
} worker;

static void *work(void *arg) {
    worker *w = (worker *)arg;
    size_t i;
    for (i = (size_t)w->index; i < w->f->n; i += THREADS) {
        if (jm_aggregator_add_json(w->own, w->engine, w->f->lines[i].ptr, w->f->lines[i].len) != JM_OK) {
            w->failures++;
        }
        if (i % 64 == (size_t)w->index) {
            char *r = NULL;
            if (jm_aggregator_report_json(w->shared, &r) != JM_OK || strcmp(r, w->shared_report) != 0) {
                w->failures++;
            }
            jm_string_free(r);
        }
    }
    return NULL;
}

static void check_threads(const jm_engine *e, const jsonl_file *f) {
    jm_aggregator *shared = new_agg(), *merged = new_agg();
    char *expected;
    worker workers[THREADS];
    pthread_t threads[THREADS];
    int t;
    add_range(shared, e, f, 0, f->n);
    expected = report(shared);
    for (t = 0; t < THREADS; t++) {
        workers[t].engine = e;
        workers[t].f = f;
        workers[t].shared = shared;
        workers[t].shared_report = expected;
        workers[t].own = new_agg();
        workers[t].index = t;
        workers[t].failures = 0;
        CHECK(pthread_create(&threads[t], NULL, work, &workers[t]) == 0, "pthread_create %d", t);
    }
    for (t = 0; t < THREADS; t++) {
        CHECK(pthread_join(threads[t], NULL) == 0, "pthread_join %d", t);
        CHECK(workers[t].failures == 0, "thread %d: %d failures", t, workers[t].failures);
    }
    /* Merge the threads' parts from the last to the first. */
    for (t = THREADS - 1; t >= 0; t--) {
        CHECK_STATUS(jm_aggregator_merge(merged, workers[t].own), JM_OK);
        jm_aggregator_free(workers[t].own);
    }
    CHECK(reports_equal(merged, expected), "threads' parts merged == one pass");
    jm_string_free(expected);
    jm_aggregator_free(shared);
    jm_aggregator_free(merged);
}

int main(int argc, char **argv) {
    jm_engine *engine = NULL;
    jsonl_file f;
    if (argc != 2) {
        fprintf(stderr, "usage: %s messages.jsonl\n", argv[0]);
        return 2;
    }
    f = load_jsonl(argv[1]);
    CHECK_STATUS(jm_engine_new_default(&engine), JM_OK);
    if (engine == NULL) return test_report("test_aggregate");
    check_laws(engine, &f);
    check_outcomes(engine);
    check_errors(engine, &f);
    check_unreadable(engine, &f);
    check_masking(engine);
    check_threads(engine, &f);
    jm_engine_free(engine);
    fprintf(stderr, "test_aggregate: %zu messages\n", f.n);
    free(f.lines);
    free(f.data);
    return test_report("test_aggregate");
}
