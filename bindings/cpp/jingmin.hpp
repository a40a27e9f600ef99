// jingmin (警民) — header-only C++11 RAII wrapper over the C ABI (jingmin.h).
//
// - jingmin::Engine owns a jm_engine: move-only, freed by its destructor.
//   Its const member functions may be called from any number of threads at
//   once (the engine is immutable); destroying or moving it needs exclusive
//   access.
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

}  // namespace jingmin

#endif  // JINGMIN_HPP
