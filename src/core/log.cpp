#include "core/log.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/text.h"
#include "core/time.h"

namespace balai::core::log {
namespace {

// The queue between callers and the writer thread. One lock guards the pending text, the
// sequence numbers and the sink.
class Writer {
 public:
  Writer() : thread_([this] { run(); }) {}
  ~Writer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  // Appends a line. The writer is woken only when a batch is worth a write: waking it for
  // every line would cost a futex call and a context switch per request.
  void push(std::string line) {
    bool wake = false;
    {
      std::lock_guard lock(mutex_);
      pending_ += line;
      ++queued_;
      wake = pending_.size() >= kBatchBytes;
    }
    if (wake) wake_.notify_one();
  }

  void flush() {
    std::unique_lock lock(mutex_);
    const uint64_t target = queued_;
    flush_requested_ = true;
    wake_.notify_one();
    done_.wait(lock, [&] { return written_ >= target; });
  }

  void set_sink(std::function<void(std::string_view)> sink) {
    flush();
    std::lock_guard lock(mutex_);
    sink_ = std::move(sink);
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      // Lines reach the sink at most kMaxDelay after they were written, or at once when a batch
      // fills, a flush is asked for, or the process stops.
      wake_.wait_for(lock, kMaxDelay, [&] {
        return stopping_ || flush_requested_ || pending_.size() >= kBatchBytes;
      });
      flush_requested_ = false;
      if (pending_.empty()) {
        if (stopping_) return;
        written_ = queued_;
        done_.notify_all();
        continue;
      }
      std::string batch;
      batch.swap(pending_);
      const uint64_t upto = queued_;
      auto sink = sink_;
      lock.unlock();
      if (sink) {
        size_t start = 0;
        while (start < batch.size()) {
          const size_t end = batch.find('\n', start);
          sink(std::string_view(batch).substr(start, end - start + 1));
          start = end + 1;
        }
      } else {
        size_t off = 0;
        while (off < batch.size()) {
          const ssize_t n = ::write(STDERR_FILENO, batch.data() + off, batch.size() - off);
          if (n <= 0) break;
          off += static_cast<size_t>(n);
        }
      }
      lock.lock();
      written_ = upto;
      done_.notify_all();
    }
  }

  std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  std::condition_variable done_;
  static constexpr size_t kBatchBytes = 64 * 1024;
  static constexpr std::chrono::milliseconds kMaxDelay{50};
  std::string pending_;
  bool flush_requested_ = false;
  uint64_t queued_ = 0;
  uint64_t written_ = 0;
  bool stopping_ = false;
  std::function<void(std::string_view)> sink_;
  std::thread thread_;  // last: starts after the members it uses exist
};

Writer& writer() {
  static Writer instance;
  return instance;
}

std::atomic<int> g_level{static_cast<int>(Level::info)};

void append_field_value(std::string& out, const Field::Value& v) {
  if (const auto* s = std::get_if<std::string_view>(&v)) {
    out += '"';
    append_json_escaped(out, *s);
    out += '"';
  } else if (const auto* i = std::get_if<int64_t>(&v)) {
    fmt::format_to(std::back_inserter(out), "{}", *i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    if (std::isfinite(*d)) {
      fmt::format_to(std::back_inserter(out), "{:.3f}", *d);
    } else {
      out += "null";  // JSON has no NaN or infinity
    }
  } else {
    out += std::get<bool>(v) ? "true" : "false";
  }
}

}  // namespace

std::string_view to_string(Level level) {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "info";
}

bool parse_level(std::string_view text, Level& out) {
  for (Level l : {Level::debug, Level::info, Level::warn, Level::error}) {
    if (text == to_string(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

void set_level(Level level) {
  g_level = static_cast<int>(level);
}
bool enabled(Level level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}
void set_sink(std::function<void(std::string_view)> sink) {
  writer().set_sink(std::move(sink));
}
void flush() {
  writer().flush();
}

void append_json_escaped(std::string& out, std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t len = core::utf8_sequence_length(text, i);
      if (len == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(text.substr(i, len));
        i += len;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
}

void write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  std::string line;
  line.reserve(160);
  line += "{\"time\":\"";
  line += format_iso8601_utc(SystemClock{}.now());
  line += "\",\"level\":\"";
  line += to_string(level);
  line += "\",\"event\":\"";
  append_json_escaped(line, event);
  line += '"';
  for (const Field& f : fields) {
    line += ",\"";
    append_json_escaped(line, f.key);
    line += "\":";
    append_field_value(line, f.value);
  }
  line += "}\n";
  writer().push(std::move(line));
}

}  // namespace balai::core::log
