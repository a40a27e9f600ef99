// Tests of bindings/cpp/jingmin.hpp: results equal the C API's, failures
// throw jingmin::Error with the status and message, moves transfer
// ownership, and one engine serves 8 std::threads.
//
// usage: test_wrapper messages.tsv
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "jingmin.hpp"

static int checks = 0;
static int failures = 0;

#define CHECK(cond, what)                                                                  \
    do {                                                                                   \
        ++checks;                                                                          \
        if (!(cond)) {                                                                     \
            ++failures;                                                                    \
            std::cerr << __FILE__ << ":" << __LINE__ << ": CHECK(" #cond ") failed: " << what \
                      << "\n";                                                             \
        }                                                                                  \
    } while (0)

static bool same(const jm_summary &a, const jm_summary &b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

struct Message {
    jingmin::Role role;
    std::string text;
};

static std::vector<Message> load(const char *path) {
    std::vector<Message> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::size_t tab = line.find('\t');
        if (tab == std::string::npos) continue;
        std::string role = line.substr(0, tab);
        jingmin::Role r = role == "police"     ? jingmin::Role::Police
                          : role == "resident" ? jingmin::Role::Resident
                                               : jingmin::Role::Unknown;
        out.push_back(Message{r, line.substr(tab + 1)});
    }
    return out;
}

template <typename F>
static jm_status status_of(F f) {
    try {
        f();
    } catch (const jingmin::Error &e) {
        return e.status();
    }
    return JM_OK;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " messages.tsv\n";
        return 2;
    }
    std::vector<Message> messages = load(argv[1]);
    CHECK(!messages.empty(), "messages loaded");
    CHECK(jingmin::version() == jm_version(), "version");

    jingmin::Engine engine;
    std::vector<std::string> texts;
    std::vector<jm_summary> expected;
    for (const Message &m : messages) {
        jm_summary c;
        std::uint32_t flags = static_cast<std::uint32_t>(m.role) << JM_FLAG_ROLE_SHIFT;
        CHECK(jm_analyze_ex(engine.get(), reinterpret_cast<const std::uint8_t *>(m.text.data()),
                            m.text.size(), flags, &c) == JM_OK,
              "C call");
        jm_summary cpp = engine.analyze(m.text, m.role);
        CHECK(same(c, cpp), "wrapper summary equals the C API's");
        std::string json = engine.analyze_json(m.text, m.role);
        std::string needle = std::string("\"category\":\"") + jm_category_name(cpp.category) + "\"";
        CHECK(json.find(needle) != std::string::npos, json);
        CHECK(!engine.mask(m.text).empty(), "mask of a non-empty text");
        texts.push_back(m.text);
        expected.push_back(engine.analyze(m.text));
    }
    std::vector<jm_summary> batch = engine.analyze_batch(texts);
    CHECK(batch.size() == texts.size(), "batch size");
    for (std::size_t i = 0; i < batch.size() && i < expected.size(); ++i) {
        CHECK(same(batch[i], expected[i]), "batch " << i);
    }
    CHECK(engine.analyze_batch(std::vector<std::string>()).empty(), "empty batch");

    // NUL bytes survive a mask round trip.
    std::string with_nul("a\0b", 3);
    CHECK(engine.mask(with_nul) == with_nul, "NUL bytes kept");

    // Errors carry status and message.
    try {
        engine.analyze(std::string("ok\xff", 3));
        CHECK(false, "invalid UTF-8 must throw");
    } catch (const jingmin::Error &e) {
        CHECK(e.status() == JM_ERR_INVALID_UTF8, e.status());
        CHECK(std::string(e.what()).find("byte offset 2") != std::string::npos, e.what());
    }
    std::string big(engine.max_message_bytes() + 1, 'a');
    CHECK(status_of([&] { engine.analyze(big); }) == JM_ERR_TOO_LARGE, "oversize");
    CHECK(status_of([&] { engine.mask(big); }) == JM_ERR_TOO_LARGE, "oversize mask");
    CHECK(status_of([&] { jingmin::Engine::from_lexicon("{not json"); }) == JM_ERR_INVALID_JSON ||
              status_of([&] { jingmin::Engine::from_lexicon("{not json"); }) == JM_ERR_INVALID_LEXICON,
          "invalid lexicon throws");
    CHECK(status_of([&] {
              jingmin::Engine::from_lexicon(
                  "{\"entries\":[{\"pattern\":\"跑腿代办\",\"kind\":\"fraud\","
                  "\"type\":\"fake_shopping\",\"weight\":2}]}",
                  false);
          }) == JM_OK,
          "valid lexicon");

    // Moves transfer ownership; a moved-from engine throws instead of crashing.
    jingmin::Engine moved(std::move(engine));
    CHECK(moved.get() != nullptr && engine.get() == nullptr, "move");
    CHECK(status_of([&] { engine.analyze("收到"); }) == JM_ERR_NULL_ARGUMENT, "moved-from engine");
    engine = std::move(moved);
    CHECK(engine.get() != nullptr, "move assignment");

    // One engine, 8 threads.
    std::vector<int> bad(8, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 10; ++round) {
                for (std::size_t i = 0; i < texts.size(); ++i) {
                    std::size_t k = (i + static_cast<std::size_t>(t)) % texts.size();
                    try {
                        if (!same(engine.analyze(texts[k]), expected[k])) ++bad[t];
                    } catch (...) {
                        ++bad[t];
                    }
                }
            }
        });
    }
    for (std::thread &th : threads) th.join();
    for (int t = 0; t < 8; ++t) CHECK(bad[t] == 0, "thread " << t << ": " << bad[t] << " differences");

    std::cerr << "test_wrapper: " << checks << " checks, " << failures << " failures\n";
    return failures == 0 ? 0 : 1;
}
