// The firewall in front of the real server: denied addresses, the general rate limit with
// Retry-After, bans for clients that keep pushing, and X-Forwarded-For only from trusted proxies.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/server_harness.h"

namespace balai::testing {
namespace {

TEST(Firewall, AnswersADeniedAddressWith403) {
  ServerHarness server([](core::Config& c) { c.security.firewall_deny = "127.0.0.0/8"; }, {},
                       false);
  const auto r = server.get("/api/v1/services");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(boost::json::parse(r.body).at("error").at("code").as_string(), "forbidden");
}

TEST(Firewall, LetsAnAllowedNetworkIn) {
  ServerHarness server([](core::Config& c) { c.security.firewall_allow = "127.0.0.1/32"; }, {},
                       false);
  EXPECT_EQ(server.get("/healthz").status, 200);
}

TEST(Firewall, RefusesAnAddressOutsideTheAllowList) {
  ServerHarness server([](core::Config& c) { c.security.firewall_allow = "10.0.0.0/8"; }, {},
                       false);
  EXPECT_EQ(server.get("/healthz").status, 403);
}

TEST(Firewall, RateLimitsAClientWith429AndRetryAfter) {
  ServerHarness server(
      [](core::Config& c) {
        c.security.api_burst = 3;
        c.security.api_per_second = 1;
        c.security.ban_failures = 100;
      },
      {}, false);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(server.get("/healthz").status, 200) << i;
  const auto limited = server.get("/api/v1/services");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("retry-after"), "1");
  EXPECT_EQ(boost::json::parse(limited.body).at("error").at("code").as_string(), "rate_limited");
}

TEST(Firewall, BansAClientThatKeepsPushingPastTheLimit) {
  ServerHarness server(
      [](core::Config& c) {
        c.security.api_burst = 1;
        c.security.api_per_second = 1;
        c.security.ban_failures = 3;
        c.security.ban_first_ms = 600'000;
      },
      {}, false);
  EXPECT_EQ(server.get("/healthz").status, 200);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(server.get("/healthz").status, 429);
  const auto banned = server.get("/healthz");
  EXPECT_EQ(banned.status, 429);
  // Banned for ten minutes, not the one second the bucket would need.
  EXPECT_GT(std::stoi(banned.header("retry-after")), 500);
}

TEST(Firewall, IgnoresXForwardedForFromAnUntrustedPeer) {
  ServerHarness server([](core::Config& c) { c.security.firewall_deny = "203.0.113.0/24"; }, {},
                       false);
  EXPECT_EQ(server.get("/healthz", {{"X-Forwarded-For", "203.0.113.9"}}).status, 200);
}

TEST(Firewall, BelievesXForwardedForFromATrustedProxy) {
  ServerHarness server(
      [](core::Config& c) {
        c.security.firewall_deny = "203.0.113.0/24";
        c.security.trusted_proxies = "127.0.0.1";
      },
      {}, false);
  EXPECT_EQ(server.get("/healthz", {{"X-Forwarded-For", "203.0.113.9"}}).status, 403);
  EXPECT_EQ(server.get("/healthz", {{"X-Forwarded-For", "198.51.100.7"}}).status, 200);
  // The client cannot hide behind a forged entry to the left of the one the proxy added.
  EXPECT_EQ(server.get("/healthz", {{"X-Forwarded-For", "198.51.100.7, 203.0.113.9"}}).status, 403);
}

TEST(Firewall, RefusesToStartWithAMalformedList) {
  EXPECT_THROW(
      ServerHarness([](core::Config& c) { c.security.firewall_deny = "10.0.0.0/33"; }, {}, false),
      std::runtime_error);
}

}  // namespace
}  // namespace balai::testing
