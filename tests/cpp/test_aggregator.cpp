// Tests of jingmin::Aggregator (bindings/cpp/jingmin.hpp): parts merged in
// two orders, a JSON Lines batch, and snapshot -> restore -> continue all
// report as one pass; outcomes; failures throw jingmin::Error with the
// status; moves transfer ownership.
//
// usage: test_aggregator messages.jsonl
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
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
        std::cerr << "usage: " << argv[0] << " messages.jsonl\n";
        return 2;
    }
    std::vector<std::string> lines;
    std::string all_text;
    {
        std::ifstream in(argv[1]);
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            lines.push_back(line);
            all_text += line + "\n";
        }
    }
    CHECK(lines.size() >= 10, "messages loaded: " << lines.size());
    if (lines.size() < 10) return 1;

    jingmin::Engine engine;
    jingmin::Aggregator one;
    std::size_t added = 0;
    for (const std::string &l : lines) {
        if (one.add_json(engine, l) == jingmin::Added::New) ++added;
    }
    CHECK(added == lines.size(), "every line new: " << added);
    CHECK(one.add_json(engine, lines[0]) == jingmin::Added::Duplicate, "copy is a duplicate");
    const std::string expected = one.report_json();
    CHECK(expected.find("\"duplicates\":1") != std::string::npos, "one duplicate");

    // One batch.
    jingmin::Aggregator batch;
    jingmin::AddCounts c = batch.add_jsonl(engine, all_text + lines[0] + "\n");
    CHECK(c.added == lines.size() && c.duplicates == 1 && c.rejected == 0,
          "counts " << c.added << "/" << c.duplicates << "/" << c.rejected);
    CHECK(batch.report_json() == expected, "batch == one by one");

    // Halves merged both ways.
    jingmin::Aggregator a, b;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        (i < lines.size() / 2 ? a : b).add_json(engine, lines[i]);
    }
    b.add_json(engine, lines[0]);
    jingmin::Aggregator ab = jingmin::Aggregator::restore(a.snapshot());
    ab.merge(b);
    jingmin::Aggregator ba = jingmin::Aggregator::restore(b.snapshot());
    ba.merge(a);
    CHECK(ab.report_json() == expected, "a <- b == one pass");
    CHECK(ba.report_json() == expected, "b <- a == one pass");
    CHECK(ab.snapshot() == ba.snapshot(), "equal states, equal snapshots");

    // Snapshot of a, restore, continue with the rest.
    jingmin::Aggregator cont = jingmin::Aggregator::restore(a.snapshot());
    CHECK(cont.report_json() == a.report_json(), "restored reports as the original");
    for (std::size_t i = lines.size() / 2; i < lines.size(); ++i) cont.add_json(engine, lines[i]);
    cont.add_json(engine, lines[0]);
    CHECK(cont.report_json() == expected, "snapshot + rest == all");

    // Outcomes of rejected messages.
    jingmin::Aggregator r;
    CHECK(r.add_json(engine, "{\"text\":\"收到\",\"time\":1709258400}") == jingmin::Added::RejectedMissingGroup,
          "missing group");
    CHECK(r.add_json(engine, "{\"text\":\"收到\",\"group\":\"g\"}") == jingmin::Added::RejectedMissingTime,
          "missing time");
    CHECK(r.add_json(engine, "{\"text\":\"收到\",\"group\":\"g\",\"time\":\"soon\"}") ==
              jingmin::Added::RejectedInvalidTime,
          "invalid time");

    // Failures throw with the status.
    CHECK(status_of([&] { a.merge(a); }) == JM_ERR_INVALID_ARGUMENT, "self merge refused");
    CHECK(status_of([&] { a.add_json(engine, "{oops"); }) == JM_ERR_INVALID_JSON, "invalid JSON");
    CHECK(status_of([&] { a.add_jsonl(engine, lines[0] + "\n[1]\n"); }) == JM_ERR_INVALID_JSON, "bad batch");
    CHECK(status_of([] { jingmin::Aggregator::restore("{}"); }) == JM_ERR_INVALID_SNAPSHOT, "bad snapshot");
    {
        std::string newer = a.snapshot();
        std::size_t p = newer.find("\"version\":2,");
        CHECK(p != std::string::npos, "version in snapshot");
        if (p != std::string::npos) newer.replace(p, 12, "\"version\":3,");
        try {
            jingmin::Aggregator::restore(newer);
            CHECK(false, "a newer snapshot was accepted");
        } catch (const jingmin::Error &e) {
            CHECK(e.status() == JM_ERR_INVALID_SNAPSHOT, "status " << e.status());
            CHECK(std::string(e.what()).find("version") != std::string::npos, e.what());
        }
    }
    CHECK(status_of([] { jingmin::Aggregator::with_config("{\"answer_window_seconds\":-1}"); }) ==
              JM_ERR_INVALID_CONFIG,
          "bad config");
    {
        jingmin::Aggregator hour = jingmin::Aggregator::with_config("{\"answer_window_seconds\":3600}");
        CHECK(status_of([&] { hour.merge(a); }) == JM_ERR_INVALID_CONFIG, "different configurations");
    }
    CHECK(a.report_json() == jingmin::Aggregator::restore(a.snapshot()).report_json(), "a unchanged");

    // Moves transfer ownership; a moved-from aggregator throws NULL_ARGUMENT.
    jingmin::Aggregator moved(std::move(one));
    CHECK(moved.report_json() == expected, "moved keeps the state");
    CHECK(status_of([&] { one.report_json(); }) == JM_ERR_NULL_ARGUMENT, "moved-from is empty");
    one = std::move(moved);
    CHECK(one.report_json() == expected, "move-assigned back");

    std::cerr << "test_aggregator: " << checks << " checks, " << failures << " failures\n";
    return failures == 0 ? 0 : 1;
}
