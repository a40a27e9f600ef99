/*
 * One engine shared by 8 pthreads analysing concurrently: every thread's
 * results (summaries, JSON, masks) must equal the single-threaded ones, and
 * each thread's jm_last_error must be its own.
 *
 * usage: test_threads messages.tsv [rounds]
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "common.h"

#define THREADS 8

typedef struct {
    const jm_engine *engine;
    const test_messages *m;
    const jm_summary *expected;
    char *const *expected_json;
    int rounds;
    int index;
    int failures;
} worker;

static void *work(void *arg) {
    worker *w = (worker *)arg;
    int r;
    size_t i;
    char own[64];
    snprintf(own, sizeof own, "byte offset %d", w->index);
    for (r = 0; r < w->rounds; r++) {
        for (i = 0; i < w->m->n; i++) {
            /* Each thread walks the messages from a different start. */
            size_t k = (i + (size_t)w->index * 3) % w->m->n;
            const test_message *msg = &w->m->items[k];
            uint32_t flags = msg->role << JM_FLAG_ROLE_SHIFT;
            jm_summary s;
            char *json = NULL;
            if (jm_analyze_ex(w->engine, U8(msg->text), msg->len, flags, &s) != JM_OK ||
                !summary_equal(&s, &w->expected[k])) {
                w->failures++;
            }
            if (r == 0) {
                if (jm_analyze_json(w->engine, U8(msg->text), msg->len, flags, &json) != JM_OK ||
                    strcmp(json, w->expected_json[k]) != 0) {
                    w->failures++;
                }
                jm_string_free(json);
            }
        }
        {
            /* An error whose message is this thread's own: invalid UTF-8 at
               byte offset == thread index. */
            uint8_t bad[THREADS + 1];
            jm_summary s;
            memset(bad, 'a', sizeof bad);
            bad[w->index] = 0xff;
            if (jm_analyze(w->engine, bad, sizeof bad, &s) != JM_ERR_INVALID_UTF8 ||
                strstr(jm_last_error(), own) == NULL) {
                w->failures++;
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    jm_engine *engine = NULL;
    test_messages m;
    jm_summary *expected;
    char **expected_json;
    worker workers[THREADS];
    pthread_t threads[THREADS];
    int rounds = argc > 2 ? atoi(argv[2]) : 50;
    size_t i;
    int t;
    if (argc < 2) {
        fprintf(stderr, "usage: %s messages.tsv [rounds]\n", argv[0]);
        return 2;
    }
    m = load_messages(argv[1]);
    CHECK_STATUS(jm_engine_new_default(&engine), JM_OK);
    if (engine == NULL) return test_report("test_threads");
    expected = (jm_summary *)calloc(m.n, sizeof *expected);
    expected_json = (char **)calloc(m.n, sizeof *expected_json);
    if (expected == NULL || expected_json == NULL) return 2;
    for (i = 0; i < m.n; i++) {
        uint32_t flags = m.items[i].role << JM_FLAG_ROLE_SHIFT;
        CHECK_STATUS(jm_analyze_ex(engine, U8(m.items[i].text), m.items[i].len, flags, &expected[i]), JM_OK);
        CHECK_STATUS(jm_analyze_json(engine, U8(m.items[i].text), m.items[i].len, flags, &expected_json[i]), JM_OK);
    }
    for (t = 0; t < THREADS; t++) {
        workers[t].engine = engine;
        workers[t].m = &m;
        workers[t].expected = expected;
        workers[t].expected_json = expected_json;
        workers[t].rounds = rounds;
        workers[t].index = t;
        workers[t].failures = 0;
        CHECK(pthread_create(&threads[t], NULL, work, &workers[t]) == 0, "pthread_create %d", t);
    }
    for (t = 0; t < THREADS; t++) {
        CHECK(pthread_join(threads[t], NULL) == 0, "pthread_join %d", t);
        CHECK(workers[t].failures == 0, "thread %d: %d results differ from single-threaded ones", t,
              workers[t].failures);
    }
    CHECK(jm_last_error()[0] == '\0', "the main thread saw no error: %s", jm_last_error());
    for (i = 0; i < m.n; i++) jm_string_free(expected_json[i]);
    free(expected_json);
    free(expected);
    jm_engine_free(engine);
    fprintf(stderr, "test_threads: %d threads x %d rounds x %zu messages\n", THREADS, rounds, m.n);
    free_messages(&m);
    return test_report("test_threads");
}
