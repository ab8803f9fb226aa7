#pragma once
// The city's recent changes, numbered, for live streams (GET /api/v1/city/stream): a ring of
// the last changes, each serialized once however many clients read it, and a ticker that wakes
// the open streams at most every `wake_every` when something arrived. A reconnecting browser
// resumes after its Last-Event-ID while that change is still in the ring; otherwise it is told
// to reload (event "reset").
//
// Event ids are "<start>-<n>": the feed's start time (ms) and a sequence number, so an id from
// before a restart is recognised as stale rather than taken for a position in the new sequence.
// Thread-safe.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/geo.h"
#include "http/event_stream.h"
#include "modules/city/service.h"

namespace balai::city {

// One change as the streams send it.
struct LiveItem {
  uint64_t seq = 0;
  std::string entity_type;
  bool public_read = true;
  std::optional<core::GeoPoint> point;  // the entity's location, for area filters
  // The whole event in the stream's wire format ("id", "event: change", "data": live_json),
  // made once when the change arrives: thousands of streams append the same bytes.
  std::string event;
};

class LiveFeed {
 public:
  // `streams`: woken when changes arrive. `capacity`: changes kept for resuming.
  LiveFeed(http::EventStreams& streams, size_t capacity = 10'000,
           std::chrono::milliseconds wake_every = std::chrono::milliseconds(50));
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  // Adds committed changes (a ContextService listener).
  void append(const std::vector<Changed>& changes, int64_t now_ms);

  // The changes after sequence `after`, oldest first. `lost`: some after it left the ring.
  std::vector<std::shared_ptr<const LiveItem>> since(uint64_t after, bool& lost) const;
  // The events after `after` that a stream without filters sends (`public_only`: of public
  // types only), concatenated, and in `last` the sequence number of the newest change (`after`
  // when there is none: then null). Made once per (after, newest, public_only) and shared: the
  // thousands of streams a wake finds at the same position send the same bytes without each
  // copying them. `lost` as for since().
  std::shared_ptr<const std::string> batch_since(uint64_t after, bool public_only, bool& lost,
                                                 uint64_t& last) const;
  uint64_t last() const;

  // "<start>-<n>" for a sequence number, and back: nullopt for an id of another feed (before a
  // restart, another instance) or a malformed one.
  std::string event_id(uint64_t seq) const;
  std::optional<uint64_t> parse_event_id(std::string_view id) const;

 private:
  void tick_loop(std::chrono::milliseconds wake_every);
  // The ring position of the first change after `after`; items_ not empty, mutex_ held.
  size_t index_after(uint64_t after) const;

  http::EventStreams& streams_;
  const size_t capacity_;
  const int64_t start_ms_;
  mutable std::mutex mutex_;  // guards items_, next_seq_, pending_, stop_, batches_
  std::deque<std::shared_ptr<const LiveItem>> items_;
  uint64_t next_seq_ = 1;
  bool pending_ = false;  // changes arrived since the last wake
  struct Batch {
    uint64_t after = 0;
    uint64_t last = 0;
    bool public_only = false;
    std::shared_ptr<const std::string> text;
  };
  static constexpr size_t kBatchesKept = 16;
  mutable std::deque<Batch> batches_;  // the newest batch_since() answers; guarded by mutex_
  bool stop_ = false;
  std::condition_variable cv_;
  std::thread ticker_;
};

// The JSON of one changed entity as streams and the dashboard read it:
// {"id","type","deleted","changed":[...],"attrs":{name: value},"units":{name: unitCode},
//  "location":{"lat","lon"}|null,"modifiedAt"}.
std::string live_json(const Changed& change);

}  // namespace balai::city
