/*
 * Every error path of the C ABI: NULL arguments, invalid UTF-8 (with the
 * byte offset in jm_last_error), invalid lexicons, oversize input, unknown
 * flags, and the valid corner cases next to them (len 0, NULL frees).
 *
 * usage: test_errors
 */
#include "common.h"

static int last_error_contains(const char *needle) {
    return strstr(jm_last_error(), needle) != NULL;
}

static void check_null_arguments(const jm_engine *engine) {
    jm_summary s;
    char *out = (char *)&s; /* not NULL: a failing call must reset it */
    jm_engine *e = (jm_engine *)&s;
    jm_text texts[2];
    static const char text[] = "收到";

    CHECK_STATUS(jm_engine_new_default(NULL), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("jm_engine_new_default: out is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_engine_new_from_lexicon(U8("{}"), 2, 1, NULL), JM_ERR_NULL_ARGUMENT);
    CHECK_STATUS(jm_engine_new_from_lexicon(NULL, 10, 1, &e), JM_ERR_NULL_ARGUMENT);
    CHECK(e == NULL, "out reset to NULL on failure");
    CHECK(last_error_contains("json is NULL"), "%s", jm_last_error());

    CHECK_STATUS(jm_analyze(NULL, U8(text), strlen(text), &s), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("jm_analyze: engine is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_analyze(engine, NULL, 5, &s), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("jm_analyze: text is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_analyze(engine, U8(text), strlen(text), NULL), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("out is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_analyze_ex(NULL, U8(text), strlen(text), 0, &s), JM_ERR_NULL_ARGUMENT);

    CHECK_STATUS(jm_analyze_json(engine, U8(text), strlen(text), 0, NULL), JM_ERR_NULL_ARGUMENT);
    CHECK_STATUS(jm_analyze_json(NULL, U8(text), strlen(text), 0, &out), JM_ERR_NULL_ARGUMENT);
    CHECK(out == NULL, "out_json reset to NULL on failure");
    out = (char *)&s;
    CHECK_STATUS(jm_analyze_json(engine, NULL, 1, 0, &out), JM_ERR_NULL_ARGUMENT);
    CHECK(out == NULL, "out_json reset to NULL on failure");

    CHECK_STATUS(jm_mask(engine, U8(text), strlen(text), NULL), JM_ERR_NULL_ARGUMENT);
    out = (char *)&s;
    CHECK_STATUS(jm_mask(NULL, U8(text), strlen(text), &out), JM_ERR_NULL_ARGUMENT);
    CHECK(out == NULL, "mask out reset to NULL on failure");
    CHECK_STATUS(jm_mask(engine, NULL, 2, &out), JM_ERR_NULL_ARGUMENT);

    texts[0].ptr = U8(text);
    texts[0].len = strlen(text);
    texts[1].ptr = NULL;
    texts[1].len = 4;
    CHECK_STATUS(jm_analyze_batch(NULL, texts, 1, &s), JM_ERR_NULL_ARGUMENT);
    CHECK_STATUS(jm_analyze_batch(engine, NULL, 1, &s), JM_ERR_NULL_ARGUMENT);
    CHECK(last_error_contains("texts is NULL"), "%s", jm_last_error());
    CHECK_STATUS(jm_analyze_batch(engine, texts, 1, NULL), JM_ERR_NULL_ARGUMENT);
    {
        jm_summary two[2];
        CHECK_STATUS(jm_analyze_batch(engine, texts, 2, two), JM_ERR_NULL_ARGUMENT);
        CHECK(last_error_contains("texts[1] is NULL"), "%s", jm_last_error());
    }
    CHECK(jm_engine_max_message_bytes(NULL) == 0, "max of NULL");
    CHECK(jm_string_len(NULL) == 0, "length of NULL");
    jm_engine_free(NULL);
    jm_string_free(NULL);
}

static void check_empty_text(const jm_engine *engine) {
    jm_summary a, b;
    char *out = NULL;
    CHECK_STATUS(jm_analyze(engine, NULL, 0, &a), JM_OK);
    CHECK_STATUS(jm_analyze(engine, U8("ignored"), 0, &b), JM_OK);
    CHECK(summary_equal(&a, &b), "empty text with and without a pointer");
    CHECK(a.hit_count == 0 && a.entity_count == 0 && a.fraud_type == JM_FRAUD_TYPE_NONE, "empty text is empty");
    CHECK_STATUS(jm_mask(engine, NULL, 0, &out), JM_OK);
    CHECK(out != NULL && out[0] == '\0' && jm_string_len(out) == 0, "empty mask");
    jm_string_free(out);
    out = NULL;
    CHECK_STATUS(jm_analyze_json(engine, NULL, 0, 0, &out), JM_OK);
    CHECK(out != NULL && strstr(out, "\"entities\":[]") != NULL, "empty JSON: %s", out ? out : "(null)");
    jm_string_free(out);
    CHECK_STATUS(jm_analyze_batch(engine, NULL, 0, NULL), JM_OK);
}

static void check_invalid_utf8(const jm_engine *engine) {
    static const struct {
        const char *bytes;
        size_t len;
        const char *where;
    } cases[] = {
        {"\xff", 1, "byte offset 0"},
        {"abc\x80", 4, "byte offset 3"},
        {"\xe5\x88\xb7\xe5\x8d", 5, "byte offset 3"}, /* 刷 then a truncated 单 */
        {"ok\xc0\xaf", 4, "byte offset 2"},           /* overlong '/' */
        {"\xed\xa0\x80", 3, "byte offset 0"},         /* UTF-16 surrogate */
        {"a\0\xf8", 3, "byte offset 2"},              /* NUL is valid, 0xf8 is not */
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jm_summary s;
        char *out = NULL;
        jm_engine *e = NULL;
        jm_text t;
        CHECK_STATUS(jm_analyze(engine, U8(cases[i].bytes), cases[i].len, &s), JM_ERR_INVALID_UTF8);
        CHECK(last_error_contains("jm_analyze: text: invalid UTF-8") && last_error_contains(cases[i].where),
              "case %zu: %s", i, jm_last_error());
        CHECK_STATUS(jm_analyze_json(engine, U8(cases[i].bytes), cases[i].len, 0, &out), JM_ERR_INVALID_UTF8);
        CHECK(out == NULL, "no JSON on failure");
        CHECK_STATUS(jm_mask(engine, U8(cases[i].bytes), cases[i].len, &out), JM_ERR_INVALID_UTF8);
        CHECK(last_error_contains(cases[i].where), "case %zu: %s", i, jm_last_error());
        t.ptr = U8(cases[i].bytes);
        t.len = cases[i].len;
        CHECK_STATUS(jm_analyze_batch(engine, &t, 1, &s), JM_ERR_INVALID_UTF8);
        CHECK(last_error_contains("texts[0]") && last_error_contains(cases[i].where), "%s", jm_last_error());
        CHECK_STATUS(jm_engine_new_from_lexicon(U8(cases[i].bytes), cases[i].len, 1, &e), JM_ERR_INVALID_UTF8);
        CHECK(e == NULL && last_error_contains(cases[i].where), "%s", jm_last_error());
    }
}

static void check_invalid_lexicons(void) {
    static const char *bad[] = {
        "{not json",
        "[1, 2, 3]",
        "{\"entries\":[{\"pattern\":\"\",\"kind\":\"fraud\",\"type\":\"task_rebate\"}]}",
        "{\"entries\":[{\"pattern\":\"刷单\",\"kind\":\"fraud\",\"type\":\"no_such_type\"}]}",
    };
    static const char good[] =
        "{\"entries\":[{\"pattern\":\"跑腿代办\",\"kind\":\"fraud\",\"type\":\"fake_shopping\",\"weight\":2}]}";
    size_t i;
    jm_engine *e = NULL;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        jm_status st;
        e = (jm_engine *)&i;
        st = jm_engine_new_from_lexicon(U8(bad[i]), strlen(bad[i]), 1, &e);
        CHECK(st == JM_ERR_INVALID_LEXICON || st == JM_ERR_INVALID_JSON, "lexicon %zu: status %u", i, (unsigned)st);
        CHECK(e == NULL, "lexicon %zu: out reset", i);
        CHECK(last_error_contains("jm_engine_new_from_lexicon: json: "), "lexicon %zu: %s", i, jm_last_error());
        jm_engine_free(e);
    }
    CHECK_STATUS(jm_engine_new_from_lexicon(U8(good), strlen(good), 1, &e), JM_OK);
    jm_engine_free(e);
    e = NULL;
    CHECK_STATUS(jm_engine_new_from_lexicon(U8(good), strlen(good), 0, &e), JM_OK);
    jm_engine_free(e);
}

static void check_oversize(const jm_engine *engine) {
    size_t max = jm_engine_max_message_bytes(engine);
    uint8_t *big;
    jm_summary s;
    char *out = NULL;
    jm_text t;
    char where[64];
    CHECK(max >= 1024, "max message bytes %zu", max);
    big = (uint8_t *)malloc(max + 1);
    if (big == NULL) exit(2);
    memset(big, 'a', max + 1);
    CHECK_STATUS(jm_analyze(engine, big, max + 1, &s), JM_ERR_TOO_LARGE);
    snprintf(where, sizeof where, "%zu bytes", max + 1);
    CHECK(last_error_contains("too large") && last_error_contains(where), "%s", jm_last_error());
    CHECK_STATUS(jm_analyze(engine, big, max, &s), JM_OK);
    CHECK_STATUS(jm_analyze_json(engine, big, max + 1, 0, &out), JM_ERR_TOO_LARGE);
    CHECK_STATUS(jm_mask(engine, big, max + 1, &out), JM_ERR_TOO_LARGE);
    /* A length no buffer has: refused before a byte is read. */
    CHECK_STATUS(jm_analyze(engine, big, (size_t)-1, &s), JM_ERR_TOO_LARGE);
    t.ptr = big;
    t.len = (size_t)-1;
    CHECK_STATUS(jm_analyze_batch(engine, &t, 1, &s), JM_ERR_TOO_LARGE);
    CHECK(last_error_contains("texts[0]"), "%s", jm_last_error());
    free(big);
}

static void check_flags(const jm_engine *engine) {
    static const char text[] = "收到";
    static const uint32_t bad_flags[] = {1u << 1, 1u << 31, 3u << JM_FLAG_ROLE_SHIFT, JM_FLAG_ROLE_MASK};
    size_t i;
    jm_summary s[1];
    jm_text t;
    uint32_t role = 9;
    char *out = NULL;
    for (i = 0; i < sizeof bad_flags / sizeof bad_flags[0]; i++) {
        CHECK_STATUS(jm_analyze_ex(engine, U8(text), strlen(text), bad_flags[i], s), JM_ERR_INVALID_ARGUMENT);
        CHECK(last_error_contains("flags"), "%s", jm_last_error());
        CHECK_STATUS(jm_analyze_json(engine, U8(text), strlen(text), bad_flags[i], &out), JM_ERR_INVALID_ARGUMENT);
        CHECK(out == NULL, "no JSON on failure");
    }
    CHECK_STATUS(jm_analyze_ex(engine, U8(text), strlen(text), JM_FLAG_RAW | JM_FLAG_ROLE_POLICE, s), JM_OK);
    t.ptr = U8(text);
    t.len = strlen(text);
    CHECK_STATUS(jm_analyze_batch_ex(engine, &t, &role, 1, 0, s), JM_ERR_INVALID_ARGUMENT);
    CHECK(last_error_contains("roles[0]: unknown role code 9"), "%s", jm_last_error());
}

int main(void) {
    jm_engine *engine = NULL;
    CHECK(jm_last_error() != NULL && jm_last_error()[0] == '\0', "no error yet");
    CHECK_STATUS(jm_engine_new_default(&engine), JM_OK);
    if (engine == NULL) return test_report("test_errors");
    check_null_arguments(engine);
    check_empty_text(engine);
    check_invalid_utf8(engine);
    check_oversize(engine);
    check_flags(engine);
    check_invalid_lexicons();
    jm_engine_free(engine);
    return test_report("test_errors");
}
