#include "http/event_stream.h"

namespace balai::http {

void append_event(std::string& out, std::string_view id, std::string_view event,
                  std::string_view data) {
  if (!id.empty()) {
    out += "id: ";
    out += id;
    out += '\n';
  }
  if (!event.empty()) {
    out += "event: ";
    out += event;
    out += '\n';
  }
  // Each line of the data is its own "data:" field (the client joins them with "\n"); CR, LF
  // and CRLF all end a line in this format, so none may pass through inside a field.
  out += "data: ";
  for (size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
      out += "\ndata: ";
    } else {
      out += c;
    }
  }
  out += '\n';
  out += '\n';
}

void EventStreams::wake_all() {
  std::lock_guard lock(mutex_);
  for (const auto& [id, waker] : wakers_) waker();
}

size_t EventStreams::open() const {
  std::lock_guard lock(mutex_);
  return wakers_.size();
}

uint64_t EventStreams::add(Waker waker) {
  std::lock_guard lock(mutex_);
  const uint64_t id = next_id_++;
  wakers_.emplace(id, std::move(waker));
  return id;
}

void EventStreams::remove(uint64_t id) {
  std::lock_guard lock(mutex_);
  wakers_.erase(id);
}

}  // namespace balai::http
