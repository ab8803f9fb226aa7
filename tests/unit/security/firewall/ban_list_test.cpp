#include "security/firewall/ban_list.h"

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
constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kHour = 60 * kMinute;

std::unique_ptr<BanList> ban_list(BanSettings settings = {}) {
  auto created = BanList::create(settings);
  EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
  return created.ok() ? std::move(*created) : nullptr;
}

// Records `count` failures one second apart; returns the ban the last one started, if any.
std::optional<Ban> fail(BanList& bans, std::string_view key, core::ManualClock& clock, int count) {
  std::optional<Ban> ban;
  for (int i = 0; i < count; ++i) {
    clock.advance_ms(1'000);
    ban = bans.record_failure(key, clock.now());
  }
  return ban;
}

TEST(BanList, FourFailuresDoNotBan) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  EXPECT_FALSE(fail(*bans, "ip:1.2.3.4", clock, 4).has_value());
  EXPECT_FALSE(bans->banned_until("ip:1.2.3.4", clock.now()).has_value());
}

TEST(BanList, FifthFailureBansForTenMinutes) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  fail(*bans, "ip:1.2.3.4", clock, 4);
  clock.advance_ms(1'000);
  const auto ban = bans->record_failure("ip:1.2.3.4", clock.now());
  ASSERT_TRUE(ban.has_value());
  EXPECT_EQ(ban->key, "ip:1.2.3.4");
  EXPECT_EQ(ban->until.ms, clock.now().ms + 10 * kMinute);
  EXPECT_EQ(ban->offences, 1);
  EXPECT_EQ(bans->banned_until("ip:1.2.3.4", clock.now()), ban->until);
}

TEST(BanList, BanEndsAfterItsDuration) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  const auto ban = fail(*bans, "k", clock, 5);
  ASSERT_TRUE(ban.has_value());
  clock.set(core::Timestamp{ban->until.ms - 1});
  EXPECT_TRUE(bans->banned_until("k", clock.now()).has_value());
  clock.set(ban->until);
  EXPECT_FALSE(bans->banned_until("k", clock.now()).has_value());
}

TEST(BanList, FailuresDuringABanDoNotExtendIt) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  const auto ban = fail(*bans, "k", clock, 5);
  ASSERT_TRUE(ban.has_value());
  EXPECT_FALSE(fail(*bans, "k", clock, 10).has_value());
  EXPECT_EQ(bans->banned_until("k", clock.now()), ban->until);
}

TEST(BanList, RepeatOffenceBansForTwentyMinutes) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  const auto first = fail(*bans, "k", clock, 5);
  ASSERT_TRUE(first.has_value());
  clock.set(first->until);
  const auto second = fail(*bans, "k", clock, 5);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->offences, 2);
  EXPECT_EQ(second->until.ms - clock.now().ms, 20 * kMinute);
}

TEST(BanList, BanLengthDoublesUpToTheCap) {
  auto bans = ban_list();  // 10 min doubling, capped at 24 h
  core::ManualClock clock(kStart);
  std::vector<int64_t> lengths;
  for (int offence = 1; offence <= 10; ++offence) {
    const auto ban = fail(*bans, "k", clock, 5);
    ASSERT_TRUE(ban.has_value()) << offence;
    lengths.push_back(ban->until.ms - clock.now().ms);
    clock.set(ban->until);
  }
  const std::vector<int64_t> expected = {
      10 * kMinute,  20 * kMinute,  40 * kMinute,   80 * kMinute, 160 * kMinute,
      320 * kMinute, 640 * kMinute, 1280 * kMinute, 24 * kHour,   24 * kHour};
  EXPECT_EQ(lengths, expected);
}

TEST(BanList, OffencesAreForgottenAfterTheirMemory) {
  auto bans = ban_list();  // offences remembered 24 h after the ban ends
  core::ManualClock clock(kStart);
  const auto first = fail(*bans, "k", clock, 5);
  ASSERT_TRUE(first.has_value());
  clock.set(core::Timestamp{first->until.ms + 24 * kHour});
  const auto second = fail(*bans, "k", clock, 5);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->offences, 1);
  EXPECT_EQ(second->until.ms - clock.now().ms, 10 * kMinute);
}

TEST(BanList, FailuresOlderThanTheWindowDoNotCount) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  fail(*bans, "k", clock, 4);                                    // at +1 s .. +4 s
  clock.set(core::Timestamp{kStart.ms + 1'000 + 10 * kMinute});  // the first has just expired
  EXPECT_FALSE(bans->record_failure("k", clock.now()).has_value());
  EXPECT_FALSE(bans->banned_until("k", clock.now()).has_value());
}

TEST(BanList, FailuresWithinTheWindowCountAcrossIt) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  fail(*bans, "k", clock, 4);  // at +1 s .. +4 s
  clock.set(core::Timestamp{kStart.ms + 1'000 + 10 * kMinute - 1});
  EXPECT_TRUE(bans->record_failure("k", clock.now()).has_value());
}

TEST(BanList, WindowSlidesOverAStreamOfFailures) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  // One failure every 2.5 minutes: never five within ten minutes.
  for (int i = 0; i < 20; ++i) {
    clock.advance_ms(150'000);
    EXPECT_FALSE(bans->record_failure("k", clock.now()).has_value()) << i;
  }
  // Then one every 2 minutes: the fourth of them is the fifth within ten minutes.
  for (int i = 0; i < 4; ++i) {
    clock.advance_ms(120'000);
    bans->record_failure("k", clock.now());
  }
  EXPECT_TRUE(bans->banned_until("k", clock.now()).has_value());
}

TEST(BanList, SuccessClearsTheFailureWindow) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  fail(*bans, "k", clock, 4);
  bans->record_success("k");
  EXPECT_FALSE(fail(*bans, "k", clock, 4).has_value());
  EXPECT_TRUE(fail(*bans, "k", clock, 1).has_value());
}

TEST(BanList, SuccessDoesNotLiftAnActiveBan) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  const auto ban = fail(*bans, "k", clock, 5);
  ASSERT_TRUE(ban.has_value());
  bans->record_success("k");
  EXPECT_EQ(bans->banned_until("k", clock.now()), ban->until);
}

TEST(BanList, KeysAreCountedSeparately) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  fail(*bans, "ip:1.2.3.4", clock, 4);
  fail(*bans, "ip:1.2.3.5", clock, 4);
  EXPECT_FALSE(bans->banned_until("ip:1.2.3.4", clock.now()).has_value());
  EXPECT_FALSE(bans->banned_until("ip:1.2.3.5", clock.now()).has_value());
}

TEST(BanList, LiftEndsTheBanAndForgetsTheOffence) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  ASSERT_TRUE(fail(*bans, "k", clock, 5).has_value());
  EXPECT_TRUE(bans->lift("k"));
  EXPECT_FALSE(bans->banned_until("k", clock.now()).has_value());
  const auto next = fail(*bans, "k", clock, 5);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->offences, 1);
}

TEST(BanList, LiftOfAnUnknownKeyReportsNothingLifted) {
  auto bans = ban_list();
  EXPECT_FALSE(bans->lift("nobody"));
}

TEST(BanList, ListShowsActiveBansByKey) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  const auto b = fail(*bans, "ip:b", clock, 5);
  const auto a = fail(*bans, "ip:a", clock, 5);
  fail(*bans, "ip:c", clock, 2);
  ASSERT_TRUE(a.has_value() && b.has_value());
  const auto listed = bans->list(clock.now());
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].key, "ip:a");
  EXPECT_EQ(listed[0].until, a->until);
  EXPECT_EQ(listed[0].offences, 1);
  EXPECT_EQ(listed[1].key, "ip:b");
}

TEST(BanList, ListLeavesOutEndedBans) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  const auto ban = fail(*bans, "k", clock, 5);
  ASSERT_TRUE(ban.has_value());
  EXPECT_TRUE(bans->list(ban->until).empty());
}

TEST(BanList, ExplicitBanEscalatesLikeFailures) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  const auto first = bans->ban("ip:scanner", clock.now());
  EXPECT_EQ(first.until.ms - clock.now().ms, 10 * kMinute);
  clock.set(first.until);
  const auto second = bans->ban("ip:scanner", clock.now());
  EXPECT_EQ(second.offences, 2);
  EXPECT_EQ(second.until.ms - clock.now().ms, 20 * kMinute);
}

TEST(BanList, ExplicitBanOfABannedKeyKeepsTheBan) {
  auto bans = ban_list();
  const auto first = bans->ban("k", kStart);
  const auto again = bans->ban("k", core::Timestamp{kStart.ms + kMinute});
  EXPECT_EQ(again.until, first.until);
  EXPECT_EQ(again.offences, 1);
}

TEST(BanList, HonoursCustomSettings) {
  BanSettings settings;
  settings.max_failures = 3;
  settings.window_ms = kMinute;
  settings.first_ban_ms = 5 * kMinute;
  settings.max_ban_ms = 8 * kMinute;
  auto bans = ban_list(settings);
  core::ManualClock clock(kStart);
  const auto first = fail(*bans, "k", clock, 3);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->until.ms - clock.now().ms, 5 * kMinute);
  clock.set(first->until);
  const auto second = fail(*bans, "k", clock, 3);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->until.ms - clock.now().ms, 8 * kMinute);
}

TEST(BanList, RejectsSettingsOutOfRangeNamingThem) {
  BanSettings settings;
  settings.max_failures = 0;
  settings.max_ban_ms = settings.first_ban_ms - 1;
  auto created = BanList::create(settings);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, core::ErrorCode::validation_failed);
  EXPECT_EQ(created.error().fields.count("max_failures"), 1u);
  EXPECT_EQ(created.error().fields.count("max_ban_ms"), 1u);
}

TEST(BanList, SweepForgetsKeysWithNothingLeftToRemember) {
  auto bans = ban_list();
  core::ManualClock clock(kStart);
  fail(*bans, "stray", clock, 1);
  const auto ban = fail(*bans, "offender", clock, 5);
  ASSERT_TRUE(ban.has_value());
  EXPECT_EQ(bans->size(), 2u);
  EXPECT_EQ(bans->sweep(core::Timestamp{clock.now().ms + 10 * kMinute}), 1u);  // the stray
  EXPECT_EQ(bans->size(), 1u);
  EXPECT_EQ(bans->sweep(core::Timestamp{ban->until.ms + 24 * kHour}), 1u);
  EXPECT_EQ(bans->size(), 0u);
}

TEST(BanList, EntryCountStaysBoundedUnderRandomKeys) {
  BanSettings settings;
  settings.max_keys = 1'600;
  auto bans = ban_list(settings);
  std::mt19937_64 random(11);
  core::ManualClock clock(kStart);
  size_t largest = 0;
  for (int i = 0; i < 100'000; ++i) {
    if (i % 1'000 == 0) clock.advance_ms(1);
    bans->record_failure("account:" + std::to_string(random()), clock.now());
    largest = std::max(largest, bans->size());
  }
  EXPECT_LE(largest, 1'600u);
  EXPECT_GE(largest, 1'500u);
}

TEST(BanList, FloodOfNewKeysDoesNotEvictAnActiveBan) {
  BanSettings settings;
  settings.max_keys = BanList::kShards * 4;
  auto bans = ban_list(settings);
  core::ManualClock clock(kStart);
  ASSERT_TRUE(fail(*bans, "ip:attacker", clock, 5).has_value());
  for (int i = 0; i < 10'000; ++i)
    bans->record_failure("account:" + std::to_string(i), clock.now());
  EXPECT_LE(bans->size(), BanList::kShards * 4);
  EXPECT_TRUE(bans->banned_until("ip:attacker", clock.now()).has_value());
}

TEST(BanList, ConcurrentFailuresBanExactlyOnce) {
  auto bans = ban_list();
  std::atomic<int> started{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        if (bans->record_failure("shared", kStart)) ++started;
        bans->record_failure("thread:" + std::to_string(t), kStart);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(started.load(), 1);
  EXPECT_EQ(bans->list(kStart).size(), 5u);
}

}  // namespace
}  // namespace balai::security::firewall
