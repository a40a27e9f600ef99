/*
 * Analyses the messages of tests/data/messages.tsv through every entry
 * point and checks that they agree: jm_analyze / jm_analyze_ex, the JSON of
 * jm_analyze_json, both batch calls, jm_mask. Then a few semantic checks on
 * clearly fraudulent and clearly benign messages.
 *
 * usage: test_analyze path/to/messages.tsv
 */
#include "common.h"

/* Whether json contains "key":"value". */
static int json_has_string(const char *json, const char *key, const char *value) {
    char needle[256];
    snprintf(needle, sizeof needle, "\"%s\":\"%s\"", key, value);
    return strstr(json, needle) != NULL;
}

static void check_versions(void) {
    const char *v = jm_version();
    CHECK(v != NULL && strlen(v) >= 5 && strchr(v, '.') != NULL, "version %s", v ? v : "(null)");
    CHECK(jm_abi_version() == JM_ABI_VERSION, "abi %u", jm_abi_version());
    CHECK(strcmp(jm_category_name(JM_CATEGORY_SAFETY), "safety") == 0, "category name");
    CHECK(strcmp(jm_category_name(JM_CATEGORY_LEGAL_PUBLICITY), "legal_publicity") == 0, "category name");
    CHECK(strcmp(jm_fraud_type_name(JM_FRAUD_TYPE_GENERIC), "generic") == 0, "fraud type name");
    CHECK(strcmp(jm_fraud_type_name(JM_FRAUD_TYPE_SEXTORTION), "sextortion") == 0, "fraud type name");
    CHECK(strcmp(jm_stance_name(JM_STANCE_VICTIM_REPORT), "victim_report") == 0, "stance name");
    CHECK(strcmp(jm_entity_kind_name(JM_ENTITY_KIND_LICENSE_PLATE), "license_plate") == 0, "kind name");
    CHECK(strcmp(jm_role_name(JM_ROLE_RESIDENT), "resident") == 0, "role name");
    CHECK(jm_category_name(8) == NULL && jm_fraud_type_name(18) == NULL && jm_stance_name(5) == NULL &&
              jm_entity_kind_name(0) == NULL && jm_role_name(3) == NULL,
          "unknown codes have no name");
}

static void check_agreement(const jm_engine *engine, const test_messages *m) {
    size_t i;
    jm_text *texts = (jm_text *)calloc(m->n, sizeof *texts);
    uint32_t *roles = (uint32_t *)calloc(m->n, sizeof *roles);
    jm_summary *one = (jm_summary *)calloc(m->n, sizeof *one);
    jm_summary *batch = (jm_summary *)calloc(m->n, sizeof *batch);
    if (!texts || !roles || !one || !batch) exit(2);

    for (i = 0; i < m->n; i++) {
        const test_message *msg = &m->items[i];
        uint32_t flags = msg->role << JM_FLAG_ROLE_SHIFT;
        char *json = NULL;
        char *masked = NULL;
        char needle[64];

        texts[i].ptr = U8(msg->text);
        texts[i].len = msg->len;
        roles[i] = msg->role;

        CHECK_STATUS(jm_analyze_ex(engine, U8(msg->text), msg->len, flags, &one[i]), JM_OK);
        CHECK(jm_category_name(one[i].category) != NULL, "message %zu: category code %u", i, one[i].category);
        CHECK(jm_fraud_type_name(one[i].fraud_type) != NULL, "message %zu: fraud type %u", i, one[i].fraud_type);
        CHECK(jm_stance_name(one[i].stance) != NULL, "message %zu: stance %u", i, one[i].stance);
        CHECK(one[i].risk <= 100, "message %zu: risk %u", i, one[i].risk);
        CHECK(one[i].confidence >= 0.0f && one[i].confidence <= 1.0f, "message %zu: confidence", i);
        CHECK(one[i].fraud_type != JM_FRAUD_TYPE_NONE || one[i].stance == JM_STANCE_NONE,
              "message %zu: a stance without fraud content", i);
        if (msg->role == JM_ROLE_UNKNOWN) {
            jm_summary plain;
            CHECK_STATUS(jm_analyze(engine, U8(msg->text), msg->len, &plain), JM_OK);
            CHECK(summary_equal(&plain, &one[i]), "message %zu: jm_analyze != jm_analyze_ex", i);
        }

        CHECK_STATUS(jm_analyze_json(engine, U8(msg->text), msg->len, flags, &json), JM_OK);
        if (json != NULL) {
            CHECK(json[0] == '{' && json[strlen(json) - 1] == '}', "message %zu: JSON object", i);
            CHECK(jm_string_len(json) == strlen(json), "message %zu: jm_string_len", i);
            CHECK(json_has_string(json, "category", jm_category_name(one[i].category)),
                  "message %zu: JSON category differs from the summary: %s", i, json);
            CHECK(json_has_string(json, "stance", jm_stance_name(one[i].stance)),
                  "message %zu: JSON stance differs from the summary: %s", i, json);
            snprintf(needle, sizeof needle, "\"risk\":%u", one[i].risk);
            CHECK(strstr(json, needle) != NULL, "message %zu: JSON risk: %s", i, json);
            if (one[i].fraud_type != JM_FRAUD_TYPE_NONE) {
                snprintf(needle, sizeof needle, "\"types\":[\"%s\"", jm_fraud_type_name(one[i].fraud_type));
                CHECK(strstr(json, needle) != NULL, "message %zu: JSON primary type: %s", i, json);
            } else {
                CHECK(strstr(json, "\"types\":[]") != NULL, "message %zu: JSON types: %s", i, json);
            }
            jm_string_free(json);
        }

        CHECK_STATUS(jm_mask(engine, U8(msg->text), msg->len, &masked), JM_OK);
        if (masked != NULL) {
            CHECK(jm_string_len(masked) == strlen(masked), "message %zu: mask length", i);
            jm_string_free(masked);
        }
    }

    CHECK_STATUS(jm_analyze_batch_ex(engine, texts, roles, m->n, 0, batch), JM_OK);
    for (i = 0; i < m->n; i++) {
        CHECK(summary_equal(&batch[i], &one[i]), "message %zu: batch (roles) != one by one", i);
    }
    memset(batch, 0xab, m->n * sizeof *batch);
    CHECK_STATUS(jm_analyze_batch(engine, texts, m->n, batch), JM_OK);
    for (i = 0; i < m->n; i++) {
        jm_summary s;
        CHECK_STATUS(jm_analyze(engine, U8(m->items[i].text), m->items[i].len, &s), JM_OK);
        CHECK(summary_equal(&batch[i], &s), "message %zu: batch != jm_analyze", i);
    }
    memset(batch, 0xab, m->n * sizeof *batch);
    CHECK_STATUS(jm_analyze_batch_ex(engine, texts, NULL, m->n, JM_FLAG_ROLE_POLICE, batch), JM_OK);
    for (i = 0; i < m->n; i++) {
        jm_summary s;
        CHECK_STATUS(jm_analyze_ex(engine, U8(m->items[i].text), m->items[i].len, JM_FLAG_ROLE_POLICE, &s), JM_OK);
        CHECK(summary_equal(&batch[i], &s), "message %zu: batch (police) != one by one", i);
    }
    free(texts);
    free(roles);
    free(one);
    free(batch);
}

static void check_mask_keeps_nul_bytes(const jm_engine *engine) {
    static const char text[] = "a\0b";
    char *masked = NULL;
    CHECK_STATUS(jm_mask(engine, U8(text), 3, &masked), JM_OK);
    if (masked != NULL) {
        CHECK(jm_string_len(masked) == 3 && memcmp(masked, text, 4) == 0, "NUL bytes kept");
        jm_string_free(masked);
    }
}

/* What the engine concludes; these need the real engine. */
static void check_semantics(const jm_engine *engine) {
    static const char scam[] = "招聘居家兼职，宝妈学生均可，手机就能做，一单一结日赚300元，有意加薇信 sdj6688 详聊";
    static const char victim[] = "我被骗了，呜呜，怎么办";
    static const char spinach[] = "今年地里菠菜长得好，3元一斤，要的说一声我送到家";
    static const char phone[] = "紧急！谁看到了请告诉我，电话13956201847";
    jm_summary s;
    char *out = NULL;

    CHECK_STATUS(jm_analyze(engine, U8(scam), strlen(scam), &s), JM_OK);
    CHECK(s.stance == JM_STANCE_SOLICITATION, "scam ad: stance %u", s.stance);
    CHECK(s.fraud_type == JM_FRAUD_TYPE_TASK_REBATE, "scam ad: type %u", s.fraud_type);
    CHECK(s.risk >= 70, "scam ad: risk %u", s.risk);
    CHECK(s.hit_count >= 1 && s.entity_count >= 2, "scam ad: %u hits, %u entities", s.hit_count, s.entity_count);

    CHECK_STATUS(jm_analyze_ex(engine, U8(victim), strlen(victim), JM_FLAG_ROLE_RESIDENT, &s), JM_OK);
    CHECK(s.stance == JM_STANCE_VICTIM_REPORT && s.category == JM_CATEGORY_ANOMALY,
          "victim report: stance %u category %u", s.stance, s.category);

    CHECK_STATUS(jm_analyze_ex(engine, U8(spinach), strlen(spinach), JM_FLAG_ROLE_RESIDENT, &s), JM_OK);
    CHECK(s.fraud_type == JM_FRAUD_TYPE_NONE && s.stance == JM_STANCE_NONE && s.hit_count == 0,
          "spinach is not gambling: type %u stance %u", s.fraud_type, s.stance);

    CHECK_STATUS(jm_mask(engine, U8(phone), strlen(phone), &out), JM_OK);
    if (out != NULL) {
        CHECK(strstr(out, "139****1847") != NULL && strstr(out, "13956201847") == NULL, "masked: %s", out);
        jm_string_free(out);
    }
}

int main(int argc, char **argv) {
    jm_engine *engine = NULL;
    test_messages m;
    if (argc != 2) {
        fprintf(stderr, "usage: %s messages.tsv\n", argv[0]);
        return 2;
    }
    m = load_messages(argv[1]);
    check_versions();
    CHECK_STATUS(jm_engine_new_default(&engine), JM_OK);
    if (engine == NULL) return test_report("test_analyze");
    check_agreement(engine, &m);
    check_mask_keeps_nul_bytes(engine);
    check_semantics(engine);
    jm_engine_free(engine);
    free_messages(&m);
    return test_report("test_analyze");
}
