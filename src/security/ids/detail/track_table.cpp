#include "security/ids/detail/track_table.h"

#include <stdexcept>

namespace balai::security::ids::detail {
namespace {

// Forgettable tracks dropped on each call: keeps up with one new key per call while keeping the
// time spent under the lock small.
constexpr size_t kSweepPerCall = 8;

}  // namespace

TrackTable::TrackTable(size_t max_keys) : max_per_shard_(max_keys / kShards) {
  // A shard that can hold nothing would pop from an empty list.
  if (max_per_shard_ == 0) throw std::invalid_argument("a track table needs max_keys >= 16");
}

Track& TrackTable::find_or_insert(Shard& shard, uint64_t key, core::Timestamp now) const {
  for (size_t i = 0; i < kSweepPerCall && !shard.entries.empty() &&
                     shard.entries.back().track.forget_at_ms <= now.ms;
       ++i)
    drop_oldest(shard);
  if (auto found = shard.index.find(key); found != shard.index.end()) {
    shard.entries.splice(shard.entries.begin(), shard.entries, found->second);
    return found->second->track;
  }
  if (shard.entries.size() >= max_per_shard_) drop_oldest(shard);
  shard.entries.push_front(Entry{key, Track{}});
  shard.index.emplace(key, shard.entries.begin());
  return shard.entries.front().track;
}

void TrackTable::drop_oldest(Shard& shard) {
  shard.index.erase(shard.entries.back().key);
  shard.entries.pop_back();
}

size_t TrackTable::size() const {
  size_t total = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.entries.size();
  }
  return total;
}

}  // namespace balai::security::ids::detail
