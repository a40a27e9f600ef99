// jingmin (警民) — header-only C++11 RAII wrapper over the C ABI (jingmin.h).
//
// - jingmin::Engine owns a jm_engine: move-only, freed by its destructor.
//   Its const member functions may be called from any number of threads at
//   once (the engine is immutable); destroying or moving it needs exclusive
//   access.
// - jingmin::Aggregator owns a jm_aggregator: move-only, freed by its
//   destructor. It does not lock itself: its const member functions may run
//   on several threads at once, the others need exclusive access.
// - Every failure throws jingmin::Error, which carries the jm_status and the
//   library's message (what went wrong and where).
// - Strings returned by the library are copied into std::string and freed
//   with jm_string_free at once; no library pointer escapes.
//
// Link as for the C API: `pkg-config --cflags --libs jingmin` (and add
// bindings/cpp to the include path).
//
//     jingmin::Engine engine;
//     jm_summary s = engine.analyze("日结300 刷单 加V");
//     std::string json = engine.analyze_json("...", jingmin::Role::Resident);
//
//     jingmin::Aggregator agg;
//     agg.add_json(engine, R"({"group":"g","time":"2024-03-01 10:00:00","text":"收到"})");
//     std::string report = agg.report_json();
#ifndef JINGMIN_HPP
#define JINGMIN_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "jingmin.h"

namespace jingmin {

/// A failure of the library: the status and the message of jm_last_error().
class Error : public std::runtime_error {
public:
    Error(jm_status status, const std::string &message)
        : std::runtime_error(message), status_(status) {}

    /// The jm_status of the failing call (never JM_OK).
    jm_status status() const noexcept { return status_; }

private:
    jm_status status_;
};

/// Who sent a message (taxonomy §4).
enum class Role : std::uint32_t {
    Unknown = JM_ROLE_UNKNOWN,
    Police = JM_ROLE_POLICE,
    Resident = JM_ROLE_RESIDENT,
};

/// The fixed-size digest of an analysis (codes as in the taxonomy).
typedef jm_summary Summary;

namespace detail {

inline void check(jm_status status) {
    if (status != JM_OK) {
        throw Error(status, jm_last_error());
    }
}

struct StringFree {
    void operator()(char *s) const noexcept { jm_string_free(s); }
};

/// Copy a library string (NUL bytes included) and free it.
inline std::string take(char *s) {
    std::unique_ptr<char, StringFree> owned(s);
    if (s == nullptr) {
        return std::string();
    }
    return std::string(s, jm_string_len(s));
}

inline std::uint32_t role_flags(Role role) {
    return static_cast<std::uint32_t>(role) << JM_FLAG_ROLE_SHIFT;
}

inline const std::uint8_t *bytes(const std::string &s) {
    return reinterpret_cast<const std::uint8_t *>(s.data());
}

}  // namespace detail

/// The library's version string.
inline std::string version() { return jm_version(); }

/// An analysis engine (owns a jm_engine).
class Engine {
public:
    /// The engine with the built-in default lexicon.
    Engine() { detail::check(jm_engine_new_default(&engine_)); }

    /// An engine from a lexicon (JSON), layered over the built-in one or,
    /// with layer_over_default false, alone. Throws Error
    /// (JM_ERR_INVALID_JSON, JM_ERR_INVALID_LEXICON, JM_ERR_INVALID_UTF8).
    static Engine from_lexicon(const std::string &json, bool layer_over_default = true) {
        jm_engine *e = nullptr;
        detail::check(jm_engine_new_from_lexicon(detail::bytes(json), json.size(),
                                                 layer_over_default ? 1 : 0, &e));
        return Engine(e);
    }

    ~Engine() { jm_engine_free(engine_); }

    Engine(Engine &&other) noexcept : engine_(other.engine_) { other.engine_ = nullptr; }

    Engine &operator=(Engine &&other) noexcept {
        if (this != &other) {
            jm_engine_free(engine_);
            engine_ = other.engine_;
            other.engine_ = nullptr;
        }
        return *this;
    }

    Engine(const Engine &) = delete;
    Engine &operator=(const Engine &) = delete;

    /// The digest of one message. A moved-from engine throws
    /// JM_ERR_NULL_ARGUMENT.
    Summary analyze(const std::string &text, Role role = Role::Unknown) const {
        Summary s;
        detail::check(jm_analyze_ex(engine_, detail::bytes(text), text.size(),
                                    detail::role_flags(role), &s));
        return s;
    }

    /// The full analysis (taxonomy §5) as JSON; raw leaves personal data
    /// unmasked.
    std::string analyze_json(const std::string &text, Role role = Role::Unknown,
                             bool raw = false) const {
        char *json = nullptr;
        std::uint32_t flags = detail::role_flags(role) | (raw ? JM_FLAG_RAW : 0u);
        detail::check(jm_analyze_json(engine_, detail::bytes(text), text.size(), flags, &json));
        return detail::take(json);
    }

    /// The digests of many messages in one call.
    std::vector<Summary> analyze_batch(const std::vector<std::string> &texts,
                                       Role role = Role::Unknown) const {
        std::vector<jm_text> views(texts.size());
        for (std::size_t i = 0; i < texts.size(); ++i) {
            views[i].ptr = detail::bytes(texts[i]);
            views[i].len = texts[i].size();
        }
        std::vector<Summary> out(texts.size());
        detail::check(jm_analyze_batch_ex(engine_, views.data(), nullptr, views.size(),
                                          detail::role_flags(role), out.data()));
        return out;
    }

    /// The text with personal data masked.
    std::string mask(const std::string &text) const {
        char *out = nullptr;
        detail::check(jm_mask(engine_, detail::bytes(text), text.size(), &out));
        return detail::take(out);
    }

    /// The largest text, in bytes, the engine analyses.
    std::size_t max_message_bytes() const { return jm_engine_max_message_bytes(engine_); }

    /// The C handle, for calls the wrapper does not cover (still owned by
    /// this object).
    const jm_engine *get() const noexcept { return engine_; }

private:
    explicit Engine(jm_engine *engine) noexcept : engine_(engine) {}

    jm_engine *engine_ = nullptr;
};

/// What Aggregator::add_json did with a message (the jm_added codes).
enum class Added : std::uint32_t {
    New = JM_ADDED_NEW,
    Duplicate = JM_ADDED_DUPLICATE,
    RejectedMissingGroup = JM_ADDED_REJECTED_MISSING_GROUP,
    RejectedMissingTime = JM_ADDED_REJECTED_MISSING_TIME,
    RejectedInvalidTime = JM_ADDED_REJECTED_INVALID_TIME,
};

/// What Aggregator::add_jsonl did with a batch.
typedef jm_add_counts AddCounts;

/// A case-statistic aggregator (owns a jm_aggregator): counts taxonomy §4
/// messages, merges exactly with other aggregators, travels as a snapshot.
///
/// Thread-safety: not locked. Const member functions (snapshot, report_json,
/// being the argument of another's merge) may run on several threads at
/// once; add_json, add_jsonl, merge, moving and destroying need exclusive
/// access.
class Aggregator {
public:
    /// An empty aggregator with the default configuration.
    Aggregator() { detail::check(jm_aggregator_new(&agg_)); }

    /// An empty aggregator configured by JSON (AggregatorConfig: e.g.
    /// {"answer_window_seconds": 3600}). Throws Error (JM_ERR_INVALID_CONFIG).
    static Aggregator with_config(const std::string &json) {
        jm_aggregator *a = nullptr;
        detail::check(jm_aggregator_new_with_config(detail::bytes(json), json.size(), &a));
        return Aggregator(a);
    }

    /// An aggregator from a snapshot. Throws Error (JM_ERR_INVALID_SNAPSHOT
    /// for another format, a newer version, a corrupted document).
    static Aggregator restore(const std::string &snapshot) {
        jm_aggregator *a = nullptr;
        detail::check(jm_aggregator_restore(detail::bytes(snapshot), snapshot.size(), &a));
        return Aggregator(a);
    }

    ~Aggregator() { jm_aggregator_free(agg_); }

    Aggregator(Aggregator &&other) noexcept : agg_(other.agg_) { other.agg_ = nullptr; }

    Aggregator &operator=(Aggregator &&other) noexcept {
        if (this != &other) {
            jm_aggregator_free(agg_);
            agg_ = other.agg_;
            other.agg_ = nullptr;
        }
        return *this;
    }

    Aggregator(const Aggregator &) = delete;
    Aggregator &operator=(const Aggregator &) = delete;

    /// Analyse one message (JSON, taxonomy §4) with engine and count it.
    /// Throws Error (JM_ERR_INVALID_JSON, JM_ERR_TOO_LARGE, …); a message
    /// without group or time is not an error but Added::Rejected*.
    Added add_json(const Engine &engine, const std::string &message_json) {
        std::uint32_t outcome = JM_ADDED_NEW;
        detail::check(jm_aggregator_add_json_ex(agg_, engine.get(), detail::bytes(message_json),
                                                message_json.size(), &outcome));
        return static_cast<Added>(outcome);
    }

    /// Count a batch of messages given as JSON Lines (one message per line).
    /// On failure (the error names the line) nothing of the batch is counted.
    AddCounts add_jsonl(const Engine &engine, const std::string &jsonl) {
        AddCounts counts = {0, 0, 0};
        detail::check(
            jm_aggregator_add_jsonl(agg_, engine.get(), detail::bytes(jsonl), jsonl.size(), &counts));
        return counts;
    }

    /// Add everything other counted. Throws Error: JM_ERR_INVALID_ARGUMENT
    /// when other is this aggregator, JM_ERR_INVALID_CONFIG when the two are
    /// configured differently (this one is then unchanged).
    void merge(const Aggregator &other) { detail::check(jm_aggregator_merge(agg_, other.agg_)); }

    /// The whole state as a versioned JSON document (see restore).
    std::string snapshot() const {
        char *out = nullptr;
        detail::check(jm_aggregator_snapshot(agg_, &out));
        return detail::take(out);
    }

    /// The report as JSON (docs/report-schema.md).
    std::string report_json() const {
        char *out = nullptr;
        detail::check(jm_aggregator_report_json(agg_, &out));
        return detail::take(out);
    }

    /// The C handle, for calls the wrapper does not cover (still owned by
    /// this object).
    jm_aggregator *get() noexcept { return agg_; }
    const jm_aggregator *get() const noexcept { return agg_; }

private:
    explicit Aggregator(jm_aggregator *agg) noexcept : agg_(agg) {}

    jm_aggregator *agg_ = nullptr;
};

}  // namespace jingmin

#endif  // JINGMIN_HPP
