#include "security/firewall/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace balai::security::firewall {
namespace {

constexpr core::Timestamp kStart{1'795'746'600'000};  // 2026-11-27T02:30:00Z

std::unique_ptr<RateLimiter> limiter(RateLimiterSettings settings) {
  auto created = RateLimiter::create(std::move(settings));
  EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
  return created.ok() ? std::move(*created) : nullptr;
}

// One budget "login": a burst of 3, then one token every 2 seconds.
std::unique_ptr<RateLimiter> login_limiter(size_t max_keys = 65'536) {
  RateLimiterSettings settings;
  settings.budgets = {{"login", {3, 0.5}}};
  settings.max_keys_per_budget = max_keys;
  return limiter(settings);
}

int allowed_in_a_row(RateLimiter& rl, std::string_view budget, std::string_view key,
                     core::Timestamp now, int attempts) {
  int allowed = 0;
  for (int i = 0; i < attempts; ++i) allowed += rl.take(budget, key, now).allowed ? 1 : 0;
  return allowed;
}

TEST(RateLimiter, AllowsABurstUpToCapacityThenRefuses) {
  auto rl = login_limiter();
  core::ManualClock clock(kStart);
  EXPECT_EQ(allowed_in_a_row(*rl, "login", "ip:1.2.3.4", clock.now(), 3), 3);
  const auto refused = rl->take("login", "ip:1.2.3.4", clock.now());
  EXPECT_FALSE(refused.allowed);
}

TEST(RateLimiter, AllowedDecisionHasNoRetryAfter) {
  auto rl = login_limiter();
  EXPECT_EQ(rl->take("login", "ip:1.2.3.4", kStart).retry_after_seconds, 0);
}

TEST(RateLimiter, RetryAfterIsTheTimeUntilTheNextToken) {
  auto rl = login_limiter();
  core::ManualClock clock(kStart);
  allowed_in_a_row(*rl, "login", "k", clock.now(), 3);
  EXPECT_EQ(rl->take("login", "k", clock.now()).retry_after_seconds, 2);
  clock.advance_ms(1'000);
  EXPECT_EQ(rl->take("login", "k", clock.now()).retry_after_seconds, 1);
}

TEST(RateLimiter, RetryAfterRoundsUpToWholeSeconds) {
  auto rl = login_limiter();
  core::ManualClock clock(kStart);
  allowed_in_a_row(*rl, "login", "k", clock.now(), 3);
  clock.advance_ms(100);  // 1.9 s left
  EXPECT_EQ(rl->take("login", "k", clock.now()).retry_after_seconds, 2);
  clock.advance_ms(1'850);  // 50 ms left
  EXPECT_EQ(rl->take("login", "k", clock.now()).retry_after_seconds, 1);
}

TEST(RateLimiter, RetryAfterCoversSlowRefillRates) {
  RateLimiterSettings settings;
  settings.budgets = {{"register", {1, 1.0 / 3600}}};  // one per hour
  auto rl = limiter(settings);
  ASSERT_TRUE(rl->take("register", "k", kStart).allowed);
  EXPECT_EQ(rl->take("register", "k", kStart).retry_after_seconds, 3600);
}

TEST(RateLimiter, RefillsOverTime) {
  auto rl = login_limiter();
  core::ManualClock clock(kStart);
  allowed_in_a_row(*rl, "login", "k", clock.now(), 3);
  clock.advance_ms(1'999);
  EXPECT_FALSE(rl->take("login", "k", clock.now()).allowed);
  clock.advance_ms(1);
  EXPECT_TRUE(rl->take("login", "k", clock.now()).allowed);
  EXPECT_FALSE(rl->take("login", "k", clock.now()).allowed);
}

TEST(RateLimiter, RefillStopsAtCapacity) {
  auto rl = login_limiter();
  core::ManualClock clock(kStart);
  allowed_in_a_row(*rl, "login", "k", clock.now(), 3);
  clock.advance_ms(3'600'000);
  EXPECT_EQ(allowed_in_a_row(*rl, "login", "k", clock.now(), 10), 3);
}

TEST(RateLimiter, RefusedAttemptsDoNotPostponeTheNextToken) {
  auto rl = login_limiter();
  core::ManualClock clock(kStart);
  allowed_in_a_row(*rl, "login", "k", clock.now(), 3);
  for (int i = 0; i < 4; ++i) {
    clock.advance_ms(400);
    EXPECT_FALSE(rl->take("login", "k", clock.now()).allowed);
  }
  clock.advance_ms(400);
  EXPECT_TRUE(rl->take("login", "k", clock.now()).allowed);
}

TEST(RateLimiter, KeysHaveSeparateBuckets) {
  auto rl = login_limiter();
  allowed_in_a_row(*rl, "login", "ip:1.2.3.4", kStart, 3);
  EXPECT_FALSE(rl->take("login", "ip:1.2.3.4", kStart).allowed);
  EXPECT_TRUE(rl->take("login", "ip:1.2.3.5", kStart).allowed);
  EXPECT_TRUE(rl->take("login", "account:42", kStart).allowed);
}

TEST(RateLimiter, BudgetsAreSeparateForTheSameKey) {
  RateLimiterSettings settings;
  settings.budgets = {{"login", {2, 0.1}}, {"register", {1, 0.01}}, {"api", {5, 1}}};
  auto rl = limiter(settings);
  EXPECT_EQ(allowed_in_a_row(*rl, "login", "ip:1.2.3.4", kStart, 10), 2);
  EXPECT_EQ(allowed_in_a_row(*rl, "register", "ip:1.2.3.4", kStart, 10), 1);
  EXPECT_EQ(allowed_in_a_row(*rl, "api", "ip:1.2.3.4", kStart, 10), 5);
}

TEST(RateLimiter, DefaultsHaveLoginRegisterAndApiBudgets) {
  auto rl = limiter(RateLimiterSettings{});
  EXPECT_TRUE(rl->take(kLoginBudget, "k", kStart).allowed);
  EXPECT_TRUE(rl->take(kRegisterBudget, "k", kStart).allowed);
  EXPECT_TRUE(rl->take(kApiBudget, "k", kStart).allowed);
}

TEST(RateLimiter, UnknownBudgetIsABug) {
  auto rl = login_limiter();
  EXPECT_THROW(rl->take("logn", "k", kStart), std::invalid_argument);
}

TEST(RateLimiter, ClockSteppingBackNeitherRefillsNorBreaks) {
  auto rl = login_limiter();
  allowed_in_a_row(*rl, "login", "k", kStart, 3);
  const core::Timestamp earlier{kStart.ms - 60'000};
  const auto refused = rl->take("login", "k", earlier);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 2);
  EXPECT_TRUE(rl->take("login", "k", core::Timestamp{kStart.ms + 2'000}).allowed);
}

TEST(RateLimiter, RejectsBudgetsOutOfRangeNamingThem) {
  RateLimiterSettings settings;
  settings.budgets = {{"login", {0, 1}}, {"api", {10, 0}}};
  auto created = RateLimiter::create(settings);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, core::ErrorCode::validation_failed);
  EXPECT_EQ(created.error().fields.count("login.capacity"), 1u);
  EXPECT_EQ(created.error().fields.count("api.refill_per_second"), 1u);
}

TEST(RateLimiter, RejectsSettingsWithoutBudgets) {
  RateLimiterSettings settings;
  settings.budgets.clear();
  EXPECT_FALSE(RateLimiter::create(settings).ok());
}

TEST(RateLimiter, SweepDropsBucketsThatHaveRefilled) {
  auto rl = login_limiter();
  rl->take("login", "a", kStart);                  // full again 2 s later
  allowed_in_a_row(*rl, "login", "b", kStart, 3);  // full again 6 s later
  EXPECT_EQ(rl->size(), 2u);
  EXPECT_EQ(rl->sweep(core::Timestamp{kStart.ms + 2'000}), 1u);
  EXPECT_EQ(rl->size(), 1u);
  EXPECT_EQ(rl->sweep(core::Timestamp{kStart.ms + 6'000}), 1u);
  EXPECT_EQ(rl->size(), 0u);
}

TEST(RateLimiter, SweptBucketBehavesAsIfItHadStayed) {
  auto rl = login_limiter();
  allowed_in_a_row(*rl, "login", "k", kStart, 3);
  const core::Timestamp later{kStart.ms + 6'000};
  rl->sweep(later);
  EXPECT_EQ(allowed_in_a_row(*rl, "login", "k", later, 10), 3);
}

TEST(RateLimiter, EntryCountStaysBoundedUnderRandomKeys) {
  auto rl = login_limiter(1'600);
  std::mt19937_64 random(7);
  core::ManualClock clock(kStart);
  size_t largest = 0;
  for (int i = 0; i < 100'000; ++i) {
    if (i % 1'000 == 0) clock.advance_ms(1);  // an attack far faster than the 2 s refill
    rl->take("login", "account:" + std::to_string(random()), clock.now());
    largest = std::max(largest, rl->size());
  }
  EXPECT_LE(largest, 1'600u);
  EXPECT_GE(largest, 1'500u);  // the cap, not an early sweep, is what held it
}

TEST(RateLimiter, FullShardEvictsItsLeastRecentlyUsedBucket) {
  // 16 keys per budget: one per shard, so every new key in a shard evicts the old one.
  auto rl = login_limiter(RateLimiter::kShards);
  allowed_in_a_row(*rl, "login", "victim", kStart, 3);
  for (int i = 0; i < 1'000; ++i) rl->take("login", "flood:" + std::to_string(i), kStart);
  EXPECT_LE(rl->size(), RateLimiter::kShards);
  // Evicted: the key starts over with a full bucket (the documented trade-off).
  EXPECT_TRUE(rl->take("login", "victim", kStart).allowed);
}

TEST(RateLimiter, RecentlyUsedBucketSurvivesEvictionInItsShard) {
  auto rl = login_limiter(RateLimiter::kShards * 4);
  allowed_in_a_row(*rl, "login", "busy", kStart, 3);
  for (int i = 0; i < 1'000; ++i) {
    rl->take("login", "flood:" + std::to_string(i), kStart);
    if (i % 2 == 0) rl->take("login", "busy", kStart);  // refused, but touched
  }
  EXPECT_FALSE(rl->take("login", "busy", kStart).allowed);
}

TEST(RateLimiter, ConcurrentTakesNeverExceedCapacityPlusRefill) {
  RateLimiterSettings settings;
  settings.budgets = {{"api", {50, 10}}};  // 50 at once, 10 per second
  auto rl = limiter(settings);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1'000; ++i) {
        // Each thread sweeps one second of time; keys are shared and per-thread.
        const core::Timestamp now{kStart.ms + i};
        if (rl->take("api", "shared", now).allowed) ++allowed;
        rl->take("api", "thread:" + std::to_string(t) + ":" + std::to_string(i % 50), now);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(allowed.load(), 50 + 10);
  EXPECT_GE(allowed.load(), 50);
}

}  // namespace
}  // namespace balai::security::firewall
