// Alerts leave the server: a high-severity security event is POSTed as JSON to the configured
// webhook (here a second real server that records what it receives).
#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "security/monitor.h"
#include "security/security_events.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

struct Received {
  std::mutex mutex;
  std::vector<std::string> bodies;
};

TEST(AlertWebhook, PostsHighSeverityEventsAsJson) {
  static Received received;
  ServerHarness receiver({}, {}, /*seed_demo=*/false, [](http::Router& router) {
    router.post("/api/v1/test/hook", [](http::Request& req) {
      std::lock_guard lock(received.mutex);
      received.bodies.push_back(req.body);
      return http::Response::json(200, "{}");
    });
  });
  const std::string url =
      "http://127.0.0.1:" + std::to_string(receiver.port()) + "/api/v1/test/hook";
  ServerHarness server([&](core::Config& c) {
    c.security.alert_webhook = url;
    c.security.ban_failures = 100;
  });
  // Wrong passwords for five different accounts from one address: credential stuffing (high).
  for (int i = 0; i < 5; ++i) {
    auto r = server.send(
        "POST", "/api/v1/auth/login",
        R"({"login":"user)" + std::to_string(i) + R"(@example.id","password":"wrong password"})",
        {{"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 401);
  }
  server.runtime().security().monitor.flush();
  std::lock_guard lock(received.mutex);
  bool stuffing = false;
  for (const auto& body : received.bodies) {
    stuffing |= body.find("\"event\":\"credential_stuffing\"") != std::string::npos &&
                body.find("\"severity\":\"high\"") != std::string::npos;
    EXPECT_EQ(body.find("example.id"), std::string::npos) << body;  // no account names
  }
  EXPECT_TRUE(stuffing) << received.bodies.size() << " alerts received";
  EXPECT_EQ(server.runtime().security().monitor.alerts_failed(), 0u);
}

TEST(AlertWebhook, ADeadEndpointIsCountedAndNothingElseBreaks) {
  ServerHarness server([](core::Config& c) {
    c.security.alert_webhook = "http://127.0.0.1:9/nowhere";  // discard port: refused
    c.security.ban_failures = 100;
  });
  for (int i = 0; i < 5; ++i)
    server.send("POST", "/api/v1/auth/login",
                R"({"login":"user)" + std::to_string(i) + R"(@example.id","password":"wrong"})",
                {{"Content-Type", "application/json"}});
  server.runtime().security().monitor.flush();
  EXPECT_GE(server.runtime().security().monitor.alerts_failed(), 1u);
  // The event itself is stored for the console all the same.
  auto events = server.runtime().security().events.list(security::EventQuery{{}, false, 50, 0});
  ASSERT_TRUE(events.ok());
  bool stored = false;
  for (const auto& e : *events) stored |= e.type == "credential_stuffing";
  EXPECT_TRUE(stored);
}

}  // namespace
}  // namespace balai::testing
