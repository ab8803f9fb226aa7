#pragma once
// Token-bucket rate limits (DESIGN.md, security model: firewall). Each named budget ("login",
// "register", "api") has its own capacity and refill rate; within a budget every key (a client
// address, an account) has its own bucket. A refused request is answered 429 with Retry-After.
//
// Memory is bounded whatever keys arrive. A bucket that has refilled to capacity is the same as
// no bucket, so it is dropped (the least recently used ones on each call, all of them in
// sweep()). Each budget also holds at most `max_keys_per_budget` buckets: when a shard is full
// of buckets still refilling, a new key evicts the least recently used bucket of its shard.
// Eviction hands that key a fresh budget, so under a flood of random keys the limiter errs
// towards serving clients rather than refusing everyone new; size the cap well above the
// number of clients active within one refill period, and rely on the ban list for persistent
// offenders. Budgets are separate, so a flood in "api" never evicts a "login" bucket.

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace balai::security::firewall {

// Budget names the server uses.
inline constexpr std::string_view kLoginBudget = "login";
inline constexpr std::string_view kRegisterBudget = "register";
inline constexpr std::string_view kApiBudget = "api";

struct Budget {
  int capacity = 10;               // the largest burst; 1 to 1,000,000
  double refill_per_second = 1.0;  // sustained rate; 0.000001 (one per 11.6 days) to 1,000,000
};

struct RateLimiterSettings {
  // Name -> budget. The defaults are per key: keyed by address they must allow for many people
  // behind one carrier-grade NAT.
  std::map<std::string, Budget, std::less<>> budgets = {
      {std::string(kLoginBudget), {10, 10.0 / 60}},     // 10 attempts, then one per 6 s
      {std::string(kRegisterBudget), {5, 5.0 / 3600}},  // 5 sign-ups, then one per 12 min
      {std::string(kApiBudget), {120, 20.0}},           // bursts of 120, 20 per second
  };
  // Upper bound on buckets held per budget (split evenly over the shards); at least kShards.
  size_t max_keys_per_budget = 65'536;
};

// Thread-safe: the buckets of each budget are split over kShards shards by a keyed hash of the
// key, each with its own lock, so I/O threads rarely meet. take() never blocks beyond those
// short locks and never allocates more than one bucket; safe on the I/O thread.
class RateLimiter {
 public:
  static constexpr size_t kShards = 16;

  struct Decision {
    bool allowed = true;
    // When refused: whole seconds until a token is back (rounded up, at least 1); else 0.
    int retry_after_seconds = 0;
  };

  // validation_failed naming the budget and field when a budget is out of range or there are
  // none, or when max_keys_per_budget is below kShards.
  [[nodiscard]] static core::Result<std::unique_ptr<RateLimiter>> create(
      RateLimiterSettings settings);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes one token from the bucket of `key` in `budget`, creating a full bucket for a new key.
  // `budget` must be one of the configured names (anything else is a bug: std::invalid_argument).
  // `now` may step backwards (wall clock adjustments): the bucket then just does not refill.
  Decision take(std::string_view budget, std::string_view key, core::Timestamp now);

  // Drops every bucket that has refilled to capacity by `now`; returns how many. For a
  // periodic timer; take() already drops a few on each call.
  size_t sweep(core::Timestamp now);

  // Buckets held, over all budgets.
  size_t size() const;

 private:
  struct BudgetState;
  explicit RateLimiter(std::vector<std::unique_ptr<BudgetState>> budgets);

  std::vector<std::unique_ptr<BudgetState>> budgets_;  // immutable after construction
};

}  // namespace balai::security::firewall
