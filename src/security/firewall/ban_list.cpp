#include "security/firewall/ban_list.h"

#include <algorithm>
#include <mutex>

#include "security/firewall/detail/keyed_hash.h"
#include "security/firewall/detail/lru_map.h"

namespace balai::security::firewall {
namespace {

// Keys with nothing left to remember dropped on each call: keeps up with one new key per call.
constexpr size_t kSweepPerCall = 8;
// How far from the oldest end a full shard looks for a key that is not banned to evict.
constexpr size_t kEvictionSearch = 64;

struct Record {
  std::vector<int64_t> failures;  // times within the window, oldest first; <= max_failures
  int64_t banned_until_ms = 0;    // end of the latest ban (past or active); 0 before any
  int offences = 0;               // bans remembered; 0 once forgiven
};

}  // namespace

struct BanList::State {
  struct Shard {
    explicit Shard(const detail::KeyedHash& hash) : records(hash) {}
    mutable std::mutex mutex;  // guards records
    detail::LruMap<Record> records;
  };

  explicit State(BanSettings s)
      : settings(s), max_per_shard((settings.max_keys + kShards - 1) / kShards) {
    for (auto& shard : shards) shard = std::make_unique<Shard>(hash);
  }

  Shard& shard_for(std::string_view key) const { return *shards[hash(key) >> 60]; }

  bool banned(const Record& r, core::Timestamp now) const { return r.banned_until_ms > now.ms; }
  // Offences are forgotten offence_memory_ms after the latest ban ended.
  bool offences_forgotten(const Record& r, core::Timestamp now) const {
    return r.offences == 0 || now.ms - r.banned_until_ms >= settings.offence_memory_ms;
  }
  bool failures_expired(const Record& r, core::Timestamp now) const {
    return r.failures.empty() || r.failures.back() <= now.ms - settings.window_ms;
  }
  // Nothing left that an unknown key would not also have.
  bool forgettable(const Record& r, core::Timestamp now) const {
    return !banned(r, now) && offences_forgotten(r, now) && failures_expired(r, now);
  }
  // The key's record, created when unknown (evicting if the shard is full, see the header);
  // drops a few forgettable records on the way. Offences past their memory are cleared.
  Record& find_or_insert(Shard& shard, std::string_view key, core::Timestamp now) const {
    shard.records.pop_oldest_while(
        kSweepPerCall, [&](const std::string&, const Record& r) { return forgettable(r, now); });
    Record* record = shard.records.touch(key);
    if (!record) {
      if (shard.records.size() >= max_per_shard &&
          !shard.records.erase_oldest_matching(
              kEvictionSearch,
              [&](const std::string&, const Record& r) { return !banned(r, now); }))
        shard.records.pop_oldest();
      record = &shard.records.insert(key, Record{});
    }
    if (offences_forgotten(*record, now)) record->offences = 0;
    return *record;
  }
  // Precondition: the key is not banned at `now`.
  Ban start_ban(Record& record, std::string_view key, core::Timestamp now) const {
    record.failures.clear();
    record.offences += 1;
    record.banned_until_ms = now.ms + ban_length(record.offences);
    return Ban{std::string(key), core::Timestamp{record.banned_until_ms}, record.offences};
  }
  int64_t ban_length(int offences) const {
    int64_t length = settings.first_ban_ms;
    for (int i = 1; i < offences && length < settings.max_ban_ms; ++i) length *= 2;
    return std::min(length, settings.max_ban_ms);
  }

  const BanSettings settings;
  const size_t max_per_shard;
  const detail::KeyedHash hash;
  std::unique_ptr<Shard> shards[kShards];
};

static_assert(BanList::kShards == 16, "shard_for takes the top 4 bits of the hash");

core::Result<std::unique_ptr<BanList>> BanList::create(BanSettings settings) {
  core::Error e{core::ErrorCode::validation_failed, "the ban settings are invalid", {}};
  if (settings.max_failures < 1 || settings.max_failures > 1000)
    e.fields["max_failures"] = "must be 1 to 1000";
  if (settings.window_ms <= 0) e.fields["window_ms"] = "must be positive";
  if (settings.first_ban_ms <= 0) e.fields["first_ban_ms"] = "must be positive";
  if (settings.max_ban_ms < settings.first_ban_ms)
    e.fields["max_ban_ms"] = "must be at least first_ban_ms";
  if (settings.offence_memory_ms < 0) e.fields["offence_memory_ms"] = "cannot be negative";
  if (settings.max_keys < kShards) e.fields["max_keys"] = "must be at least 16";
  if (!e.fields.empty()) return e;
  return std::unique_ptr<BanList>(new BanList(std::make_unique<State>(settings)));
}

BanList::BanList(std::unique_ptr<State> state) : state_(std::move(state)) {}

BanList::~BanList() = default;

std::optional<Ban> BanList::record_failure(std::string_view key, core::Timestamp now) {
  State& s = *state_;
  State::Shard& shard = s.shard_for(key);
  std::lock_guard lock(shard.mutex);
  Record& record = s.find_or_insert(shard, key, now);
  if (s.banned(record, now)) return std::nullopt;

  auto& failures = record.failures;
  std::erase_if(failures, [&](int64_t at) { return at <= now.ms - s.settings.window_ms; });
  failures.push_back(now.ms);
  if (failures.size() > static_cast<size_t>(s.settings.max_failures))
    failures.erase(failures.begin());
  if (failures.size() < static_cast<size_t>(s.settings.max_failures)) return std::nullopt;
  return s.start_ban(record, key, now);
}

Ban BanList::ban(std::string_view key, core::Timestamp now) {
  State& s = *state_;
  State::Shard& shard = s.shard_for(key);
  std::lock_guard lock(shard.mutex);
  Record& record = s.find_or_insert(shard, key, now);
  if (s.banned(record, now))
    return Ban{std::string(key), core::Timestamp{record.banned_until_ms}, record.offences};
  return s.start_ban(record, key, now);
}

void BanList::record_success(std::string_view key) {
  State::Shard& shard = state_->shard_for(key);
  std::lock_guard lock(shard.mutex);
  if (Record* record = shard.records.peek(key)) record->failures.clear();
}

std::optional<core::Timestamp> BanList::banned_until(std::string_view key,
                                                     core::Timestamp now) const {
  const State::Shard& shard = state_->shard_for(key);
  std::lock_guard lock(shard.mutex);
  const Record* record = shard.records.peek(key);
  if (!record || !state_->banned(*record, now)) return std::nullopt;
  return core::Timestamp{record->banned_until_ms};
}

bool BanList::lift(std::string_view key) {
  State::Shard& shard = state_->shard_for(key);
  std::lock_guard lock(shard.mutex);
  return shard.records.erase(key);
}

std::vector<Ban> BanList::list(core::Timestamp now) const {
  std::vector<Ban> bans;
  for (const auto& shard : state_->shards) {
    std::lock_guard lock(shard->mutex);
    shard->records.for_each([&](const std::string& key, const Record& r) {
      if (state_->banned(r, now)) bans.push_back(Ban{key, {r.banned_until_ms}, r.offences});
    });
  }
  std::sort(bans.begin(), bans.end(), [](const Ban& a, const Ban& b) { return a.key < b.key; });
  return bans;
}

size_t BanList::sweep(core::Timestamp now) {
  size_t dropped = 0;
  for (const auto& shard : state_->shards) {
    std::lock_guard lock(shard->mutex);
    dropped += shard->records.erase_if(
        [&](const std::string&, const Record& r) { return state_->forgettable(r, now); });
  }
  return dropped;
}

size_t BanList::size() const {
  size_t total = 0;
  for (const auto& shard : state_->shards) {
    std::lock_guard lock(shard->mutex);
    total += shard->records.size();
  }
  return total;
}

}  // namespace balai::security::firewall
