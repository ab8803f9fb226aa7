#pragma once
// Structured logging: one JSON object per line on standard error, e.g.
// {"time":"2026-11-27T09:30:00.123Z","level":"info","event":"http.request","request_id":"...",
//  "route":"/api/v1/services","status":200,"duration_ms":0.4}
// Callers pass only what is safe to keep: never personal data, tokens or passwords.
// Thread-safe. Lines are buffered and written by a background thread so a request never waits
// on the terminal or the disk.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace balai::core::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

std::string_view to_string(Level level);
bool parse_level(std::string_view text, Level& out);

struct Field {
  using Value = std::variant<std::string_view, int64_t, double, bool>;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, int v) : key(k), value(int64_t{v}) {}
  Field(std::string_view k, int64_t v) : key(k), value(v) {}
  Field(std::string_view k, uint64_t v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  std::string_view key;
  Value value;
};

// Lines below this level are dropped. Default info.
void set_level(Level level);
bool enabled(Level level);

// Replaces the destination of finished lines (default: standard error). Tests capture lines
// with it. The sink is called from the writer thread, one complete line (with '\n') per call.
void set_sink(std::function<void(std::string_view line)> sink);

// Formats one line now and queues it.
void write(Level level, std::string_view event, std::initializer_list<Field> fields = {});

inline void debug(std::string_view e, std::initializer_list<Field> f = {}) {
  write(Level::debug, e, f);
}
inline void info(std::string_view e, std::initializer_list<Field> f = {}) {
  write(Level::info, e, f);
}
inline void warn(std::string_view e, std::initializer_list<Field> f = {}) {
  write(Level::warn, e, f);
}
inline void error(std::string_view e, std::initializer_list<Field> f = {}) {
  write(Level::error, e, f);
}

// Blocks until every line queued before the call has reached the sink.
void flush();

// Appends `text` to `out` as the inside of a JSON string (quotes not included). Invalid UTF-8
// bytes become U+FFFD so a log line is always valid JSON.
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace balai::core::log
