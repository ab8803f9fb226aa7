#include "http/response_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace balai::http {
namespace {

TEST(ResponseCache, ReturnsAStoredResponseBeforeItExpires) {
  ResponseCache cache;
  cache.store("id|/api/v1/services", Response::json(200, "[1]"), 1'000);
  const auto hit = cache.find("id|/api/v1/services", 999);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->status, 200);
  EXPECT_EQ(hit->body, "[1]");
}

TEST(ResponseCache, TheFirstCallerAfterExpiryRebuildsWhileOthersGetTheOldEntry) {
  ResponseCache cache;
  cache.store("k", Response::text(200, "old"), 1'000);
  EXPECT_EQ(cache.find("k", 1'000), nullptr);  // claims the refresh
  const auto during = cache.find("k", 1'010);
  ASSERT_NE(during, nullptr);
  EXPECT_EQ(during->body, "old");
  cache.store("k", Response::text(200, "new"), 6'000);
  const auto after = cache.find("k", 1'020);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->body, "new");
}

TEST(ResponseCache, AnAbandonedRefreshLetsAnotherCallerTry) {
  ResponseCache cache;
  cache.store("k", Response::text(200, "old"), 1'000);
  EXPECT_EQ(cache.find("k", 1'000), nullptr);
  EXPECT_NE(cache.find("k", 1'000 + ResponseCache::kRefreshClaimMs - 1), nullptr);
  EXPECT_EQ(cache.find("k", 1'000 + ResponseCache::kRefreshClaimMs), nullptr);  // claims again
}

TEST(ResponseCache, NeverServesAnEntryLongPastItsExpiry) {
  ResponseCache cache;
  cache.store("k", Response::text(200, "x"), 1'000);
  EXPECT_EQ(cache.find("k", 1'000 + ResponseCache::kMaxStaleMs), nullptr);
  EXPECT_EQ(cache.find("k", 1'000 + ResponseCache::kMaxStaleMs + 1), nullptr);
}

TEST(ResponseCache, MissesAnUnknownKey) {
  ResponseCache cache;
  cache.store("id|/a", Response::text(200, "x"), 1'000);
  EXPECT_EQ(cache.find("en|/a", 0), nullptr);
}

TEST(ResponseCache, StoringAgainReplacesTheEntry) {
  ResponseCache cache;
  cache.store("k", Response::text(200, "old"), 1'000);
  cache.store("k", Response::text(200, "new"), 2'000);
  EXPECT_EQ(cache.size(), 1u);
  const auto hit = cache.find("k", 1'500);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->body, "new");
}

TEST(ResponseCache, ClearForgetsEverything) {
  ResponseCache cache;
  cache.store("a", Response::text(200, "a"), 1'000);
  cache.store("b", Response::text(200, "b"), 1'000);
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.find("a", 0), nullptr);
}

TEST(ResponseCache, NeverHoldsMoreThanItsBound) {
  ResponseCache cache(3);
  for (int i = 0; i < 10; ++i) {
    cache.store("k" + std::to_string(i), Response::text(200, "x"), 1'000);
    ASSERT_LE(cache.size(), 3u);
  }
}

TEST(ResponseCache, KeepsTheNewestEntryWhenFull) {
  ResponseCache cache(2);
  cache.store("a", Response::text(200, "a"), 1'000);
  cache.store("b", Response::text(200, "b"), 1'000);
  cache.store("c", Response::text(200, "c"), 1'000);
  ASSERT_NE(cache.find("c", 0), nullptr);
  EXPECT_EQ(cache.find("c", 0)->body, "c");
}

TEST(ResponseCache, AHitStaysValidAfterClear) {
  ResponseCache cache;
  cache.store("k", Response::text(200, "kept"), 1'000);
  const auto hit = cache.find("k", 0);
  cache.clear();
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->body, "kept");
}

TEST(ResponseCache, KeepsHeaders) {
  ResponseCache cache;
  Response r = Response::json(200, "{}");
  r.headers.set("ETag", "\"abc\"");
  cache.store("k", std::move(r), 1'000);
  const auto hit = cache.find("k", 0);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->headers.get("ETag"), "\"abc\"");
}

}  // namespace
}  // namespace balai::http
