/*
 * Helpers shared by the C tests of the jingmin C ABI: a CHECK macro that
 * counts failures and keeps going (so one run lists every failure), and a
 * reader for tests/data/messages.tsv (role TAB text per line).
 */
#ifndef JM_TEST_COMMON_H
#define JM_TEST_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jingmin.h"

static int jm_test_checks = 0;
static int jm_test_failures = 0;

#define CHECK(cond, ...)                                                        \
    do {                                                                        \
        jm_test_checks++;                                                       \
        if (!(cond)) {                                                          \
            jm_test_failures++;                                                 \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                       \
            fprintf(stderr, "\n");                                              \
        }                                                                       \
    } while (0)

#define CHECK_STATUS(call, expected)                                            \
    do {                                                                        \
        jm_status got_ = (call);                                                \
        CHECK(got_ == (expected), "%s returned %u, expected %u (%s); last error: %s", \
              #call, (unsigned)got_, (unsigned)(expected), #expected, jm_last_error()); \
    } while (0)

static inline int test_report(const char *name) {
    fprintf(stderr, "%s: %d checks, %d failures\n", name, jm_test_checks, jm_test_failures);
    return jm_test_failures == 0 ? 0 : 1;
}

typedef struct {
    uint32_t role;
    char *text; /* NUL-terminated copy; len excludes the NUL */
    size_t len;
} test_message;

typedef struct {
    test_message *items;
    size_t n;
} test_messages;

static inline uint32_t role_code(const char *name, size_t len) {
    if (len == 6 && memcmp(name, "police", 6) == 0) return JM_ROLE_POLICE;
    if (len == 8 && memcmp(name, "resident", 8) == 0) return JM_ROLE_RESIDENT;
    return JM_ROLE_UNKNOWN;
}

/* Read the messages file; exits on I/O errors (the test cannot run). */
static inline test_messages load_messages(const char *path) {
    test_messages m = {NULL, 0};
    size_t cap = 0;
    char line[8192];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    while (fgets(line, sizeof line, f) != NULL) {
        size_t len = strlen(line);
        char *tab;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (len == 0 || line[0] == '#') continue;
        tab = strchr(line, '\t');
        if (tab == NULL) continue;
        if (m.n == cap) {
            cap = cap ? cap * 2 : 32;
            m.items = (test_message *)realloc(m.items, cap * sizeof *m.items);
            if (m.items == NULL) exit(2);
        }
        m.items[m.n].role = role_code(line, (size_t)(tab - line));
        m.items[m.n].len = len - (size_t)(tab + 1 - line);
        m.items[m.n].text = (char *)malloc(m.items[m.n].len + 1);
        if (m.items[m.n].text == NULL) exit(2);
        memcpy(m.items[m.n].text, tab + 1, m.items[m.n].len + 1);
        m.n++;
    }
    fclose(f);
    if (m.n == 0) {
        fprintf(stderr, "no messages in %s\n", path);
        exit(2);
    }
    return m;
}

static inline void free_messages(test_messages *m) {
    size_t i;
    for (i = 0; i < m->n; i++) free(m->items[i].text);
    free(m->items);
    m->items = NULL;
    m->n = 0;
}

static inline int summary_equal(const jm_summary *a, const jm_summary *b) {
    return a->category == b->category && a->confidence == b->confidence &&
           a->fraud_type == b->fraud_type && a->stance == b->stance && a->risk == b->risk &&
           a->hit_count == b->hit_count && a->entity_count == b->entity_count;
}

#define U8(s) ((const uint8_t *)(s))

#endif
