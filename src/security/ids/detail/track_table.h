#pragma once
// What the detector remembers per key (an account or a client address), and the bounded,
// sharded table that holds it. Keys arrive as 64-bit keyed hashes, never as text, so every
// entry has the same small size whatever an attacker sends.

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <unordered_map>

#include "core/time.h"
#include "security/ids/detail/windows.h"
#include "security/ids/detector.h"

namespace balai::security::ids::detail {

// Index of each finding type in Track::reported.
enum class Rule : size_t {
  password_guessing,
  credential_stuffing,
  scanning,
  waf_attack,
  mass_data_access,
  staff_new_network,
};
inline constexpr size_t kRules = 6;

// The latest finding of one type for one key, for the quiet period.
struct Reported {
  bool ever = false;
  int64_t at_ms = 0;
  Severity severity = Severity::info;
};

// One key's windows. An account uses the first group, an address the second; the others stay
// empty vectors, which allocate nothing.
struct Track {
  // From this moment every window and quiet period of the key has passed: the track is the same
  // as none and may be dropped. Each rule pushes it forward as it counts or reports.
  int64_t forget_at_ms = 0;
  // An account's:
  EventWindow failed_logins;
  DistinctWindow subjects_read;
  // An address's:
  DistinctWindow failed_accounts;
  EventWindow refusals;
  EventWindow waf_hits;
  std::array<Reported, kRules> reported;
};

// Tracks by key, at most `max_keys` (split evenly over kShards shards, rounded down). Each call
// drops a few tracks past their forget_at_ms; when a shard is still full, a new key evicts its
// least recently touched track. Thread-safe: each shard has its own lock.
class TrackTable {
 public:
  static constexpr size_t kShards = 16;

  // Precondition: max_keys >= kShards.
  explicit TrackTable(size_t max_keys);
  TrackTable(const TrackTable&) = delete;
  TrackTable& operator=(const TrackTable&) = delete;

  // Runs `use(Track&)` under the lock of the shard that holds `key`, on the key's track (a new
  // empty one when unknown), and returns what it returns. `key` must be a keyed hash: its top
  // bits pick the shard. `use` must not call back into the table.
  template <class F>
  auto with(uint64_t key, core::Timestamp now, F use) {
    Shard& shard = shards_[key >> 60];  // the top 4 bits: 16 shards
    std::lock_guard lock(shard.mutex);
    return use(find_or_insert(shard, key, now));
  }

  // Tracks held, over all shards.
  size_t size() const;

 private:
  struct Entry {
    uint64_t key = 0;
    Track track;
  };
  struct Shard {
    mutable std::mutex mutex;  // guards entries and index
    std::list<Entry> entries;  // most recently touched first
    // The key is already a keyed hash: std::hash (the identity) spreads it well enough.
    std::unordered_map<uint64_t, std::list<Entry>::iterator> index;
  };

  // Precondition: the shard's lock is held.
  Track& find_or_insert(Shard& shard, uint64_t key, core::Timestamp now) const;
  static void drop_oldest(Shard& shard);

  const size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

static_assert(TrackTable::kShards == 16, "with() takes the top 4 bits of the key");

}  // namespace balai::security::ids::detail
