#include "security/firewall/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <stdexcept>

#include "security/firewall/detail/keyed_hash.h"
#include "security/firewall/detail/lru_map.h"

namespace balai::security::firewall {
namespace {

// Tokens are counted in 1e-12ths so that refill is integer arithmetic: a rate of r tokens per
// second is r * 1e9 units per millisecond, off by under 0.05% after rounding even for the
// slowest rate allowed; the largest capacity is 1e18 units, inside int64_t.
constexpr int64_t kUnitsPerToken = 1'000'000'000'000;
constexpr int kMaxCapacity = 1'000'000;
constexpr double kMinRefill = 0.000001;
constexpr double kMaxRefill = 1'000'000;
// Full buckets dropped on each take(): enough to keep up with one new bucket per call while
// keeping the time spent under the lock small.
constexpr size_t kSweepPerTake = 8;

struct Bucket {
  int64_t units = 0;       // tokens * kUnitsPerToken as of updated_ms
  int64_t updated_ms = 0;  // never moves backwards
};

}  // namespace

struct RateLimiter::BudgetState {
  struct Shard {
    explicit Shard(const detail::KeyedHash& hash) : buckets(hash) {}
    std::mutex mutex;  // guards buckets
    detail::LruMap<Bucket> buckets;
  };

  BudgetState(std::string name_in, Budget budget, size_t max_keys)
      : name(std::move(name_in)),
        capacity_units(budget.capacity * kUnitsPerToken),
        units_per_ms(std::max<int64_t>(1, std::llround(budget.refill_per_second * 1e9))),
        max_per_shard((max_keys + kShards - 1) / kShards) {
    for (auto& shard : shards) shard = std::make_unique<Shard>(hash);
  }

  // The bucket's level at `now`, refilled and capped at capacity.
  int64_t level(const Bucket& b, core::Timestamp now) const {
    const int64_t elapsed = std::max<int64_t>(0, now.ms - b.updated_ms);
    const int64_t deficit = capacity_units - b.units;
    // Compared by division first so that a long idle time cannot overflow the product.
    if (elapsed > deficit / units_per_ms) return capacity_units;
    return b.units + elapsed * units_per_ms;
  }

  Shard& shard_for(std::string_view key) {
    return *shards[hash(key) >> 60];  // the top 4 bits: 16 shards
  }

  const std::string name;
  const int64_t capacity_units;
  const int64_t units_per_ms;
  const size_t max_per_shard;
  const detail::KeyedHash hash;
  std::unique_ptr<Shard> shards[kShards];
};

static_assert(RateLimiter::kShards == 16, "shard_for takes the top 4 bits of the hash");

core::Result<std::unique_ptr<RateLimiter>> RateLimiter::create(RateLimiterSettings settings) {
  core::Error e{core::ErrorCode::validation_failed, "the rate limits are invalid", {}};
  if (settings.budgets.empty()) e.fields["budgets"] = "at least one budget is required";
  if (settings.max_keys_per_budget < kShards)
    e.fields["max_keys_per_budget"] = "must be at least " + std::to_string(kShards);
  for (const auto& [name, budget] : settings.budgets) {
    if (name.empty()) e.fields["budgets"] = "a budget has no name";
    if (budget.capacity < 1 || budget.capacity > kMaxCapacity)
      e.fields[name + ".capacity"] = "must be 1 to 1000000";
    if (!(budget.refill_per_second >= kMinRefill && budget.refill_per_second <= kMaxRefill))
      e.fields[name + ".refill_per_second"] = "must be 0.000001 to 1000000";
  }
  if (!e.fields.empty()) return e;

  std::vector<std::unique_ptr<BudgetState>> budgets;
  for (const auto& [name, budget] : settings.budgets)
    budgets.push_back(std::make_unique<BudgetState>(name, budget, settings.max_keys_per_budget));
  return std::unique_ptr<RateLimiter>(new RateLimiter(std::move(budgets)));
}

RateLimiter::RateLimiter(std::vector<std::unique_ptr<BudgetState>> budgets)
    : budgets_(std::move(budgets)) {}

RateLimiter::~RateLimiter() = default;

RateLimiter::Decision RateLimiter::take(std::string_view budget, std::string_view key,
                                        core::Timestamp now) {
  auto state = std::find_if(budgets_.begin(), budgets_.end(),
                            [&](const auto& b) { return b->name == budget; });
  if (state == budgets_.end())
    throw std::invalid_argument("unknown rate-limit budget: " + std::string(budget));
  BudgetState& b = **state;
  BudgetState::Shard& shard = b.shard_for(key);

  std::lock_guard lock(shard.mutex);
  shard.buckets.pop_oldest_while(kSweepPerTake, [&](const std::string&, const Bucket& bucket) {
    return b.level(bucket, now) >= b.capacity_units;
  });
  Bucket* bucket = shard.buckets.touch(key);
  if (!bucket) {
    // Still full of refilling buckets: the least recently used one makes room (see header).
    if (shard.buckets.size() >= b.max_per_shard) shard.buckets.pop_oldest();
    bucket = &shard.buckets.insert(key, Bucket{b.capacity_units, now.ms});
  }

  const int64_t level = b.level(*bucket, now);
  bucket->updated_ms = std::max(bucket->updated_ms, now.ms);
  if (level >= kUnitsPerToken) {
    bucket->units = level - kUnitsPerToken;
    return Decision{true, 0};
  }
  bucket->units = level;
  const int64_t wait_ms = (kUnitsPerToken - level + b.units_per_ms - 1) / b.units_per_ms;
  const int64_t wait_s = std::max<int64_t>(1, (wait_ms + 999) / 1000);
  // At most 1e6 s (one token at the slowest rate): fits an int.
  return Decision{false, static_cast<int>(wait_s)};
}

size_t RateLimiter::sweep(core::Timestamp now) {
  size_t dropped = 0;
  for (const auto& b : budgets_) {
    for (const auto& shard : b->shards) {
      std::lock_guard lock(shard->mutex);
      dropped += shard->buckets.erase_if([&](const std::string&, const Bucket& bucket) {
        return b->level(bucket, now) >= b->capacity_units;
      });
    }
  }
  return dropped;
}

size_t RateLimiter::size() const {
  size_t total = 0;
  for (const auto& b : budgets_) {
    for (const auto& shard : b->shards) {
      std::lock_guard lock(shard->mutex);
      total += shard->buckets.size();
    }
  }
  return total;
}

}  // namespace balai::security::firewall
