#pragma once
// Sliding windows over one key's events, for the detector's rules. An event at t is inside the
// window at `now` while now - t < window_ms; `now` is the newest event held, so an event that
// arrives late from another worker thread counts if it still falls inside. Each window keeps
// at most `cap` entries, the newest: deciding "at least N inside" stays exact for any
// cap >= N, and the memory per key stays bounded whatever the stream. Not thread-safe (the
// detector shard's lock guards it).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/time.h"

namespace balai::security::ids::detail {

// Counts events (failed sign-ins, refusals, WAF hits).
class EventWindow {
 public:
  // Adds an event at `at`; returns the events now inside the window (at most `cap`).
  // Precondition: window_ms > 0, cap > 0.
  size_t add(core::Timestamp at, int64_t window_ms, size_t cap);

 private:
  std::vector<int64_t> times_;  // inside the window, oldest first; at most cap
};

// Counts distinct members (accounts tried from one address, citizens read by one officer),
// each by a 64-bit keyed hash of its text; a member seen again only moves its last sighting.
class DistinctWindow {
 public:
  // Adds a sighting of `member` at `at`; returns the distinct members now inside the window (at
  // most `cap`). When `cap` members are held, a new one replaces the least recently seen.
  // Precondition: window_ms > 0, cap > 0.
  size_t add(uint64_t member, core::Timestamp at, int64_t window_ms, size_t cap);

 private:
  struct Sighting {
    uint64_t member = 0;
    int64_t last_ms = 0;
  };
  std::vector<Sighting> sightings_;  // inside the window, unordered; at most cap
  bool seen_any_ = false;
  int64_t newest_ms_ = 0;  // the newest sighting ever added; valid when seen_any_
};

}  // namespace balai::security::ids::detail
