#pragma once
// Server-Sent Events (text/event-stream): a response that stays open and carries events as they
// happen. A handler answers Response::event_stream(feed); the server writes the head, then asks
// the feed for news whenever a module calls EventStreams::wake_all(), and sends a comment line
// as a heartbeat when nothing happened for a while (proxies and phones drop silent connections).
//
// Pull, not push: a wake costs one post per open stream however many events arrived, and each
// stream collects everything new in one write. With thousands of clients and hundreds of events
// a second, waking at most every few tens of milliseconds keeps the cost bounded by the clients,
// not by clients x events.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace balai::http {

// What one collect() hands the server to send: `text`, then `shared` (when set), in the
// text/event-stream format (see append_event). `shared` is text the feed gives many streams
// alike (every client at the same position gets the same events): sent from where it lies,
// never copied per stream.
struct EventBatch {
  std::string text;
  std::shared_ptr<const std::string> shared;
  bool empty() const { return text.empty() && (!shared || shared->empty()); }
};

// What one stream sends; made by the handler, owned by the connection while it is open.
class EventFeed {
 public:
  virtual ~EventFeed() = default;
  // Adds to `out` the events this client has not had yet. Called on the connection's I/O thread
  // once when the stream opens and after every wake; must not block. Returns false to end the
  // stream after `out` is sent.
  virtual bool collect(EventBatch& out) = 0;
};

// One event in the wire format: "id: ...\nevent: ...\ndata: ...\n\n" ("data" split at line
// breaks; empty id or event left out). `id` is what a reconnecting EventSource sends back as
// Last-Event-ID. `id` and `event` must be single lines (the caller's own identifiers).
void append_event(std::string& out, std::string_view id, std::string_view event,
                  std::string_view data);

// The open streams of a server. Thread-safe.
class EventStreams {
 public:
  using Waker = std::function<void()>;

  // Wakes every open stream so that it collects from its feed.
  void wake_all();
  size_t open() const;

  // For the server: a stream registers how to wake it while it is open.
  uint64_t add(Waker waker);
  void remove(uint64_t id);

 private:
  mutable std::mutex mutex_;  // guards wakers_ and next_id_
  std::unordered_map<uint64_t, Waker> wakers_;
  uint64_t next_id_ = 1;
};

}  // namespace balai::http
