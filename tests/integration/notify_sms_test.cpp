// SMS leave the server as a JSON POST to the configured gateway with the bearer token from its
// file. The gateway here is a second real server with a test route; the token is one of its
// own API tokens, so its authentication layer checks what the outbox sends.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "modules/notify/outbox.h"
#include "security/api_tokens.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

struct Gateway {
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<std::string> bodies;
  std::vector<std::string> authorizations;
  int answer = 200;  // what the gateway answers
};

class SmsGateway : public ::testing::Test {
 protected:
  void SetUp() override {
    static Gateway* current = nullptr;
    current = &gateway_;
    receiver_ = std::make_unique<ServerHarness>(
        [](core::Config&) {}, std::string{}, /*seed_demo=*/false,
        [](http::Router& router) {
          router.post("/api/v1/test/sms", [](http::Request& req) {
            std::lock_guard lock(current->mutex);
            current->bodies.push_back(req.body);
            current->authorizations.push_back(
                std::string(req.headers.get("Authorization").value_or("")));
            current->arrived.notify_all();
            return http::Response::json(current->answer, "{}");
          });
        });
    auto& rt = receiver_->runtime();
    auto token = rt.security().tokens.create(
        security::NewApiToken{"SMS gateway test", security::Role::integrator, "", {}},
        rt.app().clock.now());
    ASSERT_TRUE(token.ok()) << token.error().message;
    token_ = token->token;
    token_file_ = receiver_->data_dir() + "/sms-token";
    std::ofstream(token_file_) << token_ << "\n";
    const std::string url =
        "http://127.0.0.1:" + std::to_string(receiver_->port()) + "/api/v1/test/sms";
    sender_ = std::make_unique<ServerHarness>(
        [&](core::Config& c) {
          c.notify.sms_gateway_url = url;
          c.notify.sms_gateway_token_file = token_file_;
        },
        std::string{}, /*seed_demo=*/false);
  }

  void TearDown() override {
    sender_.reset();
    receiver_.reset();
  }

  notify::Outbox& outbox() { return sender_->runtime().app().outbox; }

  void enqueue(const std::string& to, const std::string& text) {
    auto& rt = sender_->runtime();
    auto status = rt.database().transact([&](db::Connection& c) -> core::Status {
      return outbox().enqueue(
          c, notify::Message{notify::Channel::sms, to, "", text, "identity.confirm_phone"},
          rt.app().clock.now());
    });
    ASSERT_TRUE(status.ok()) << status.error().message;
    outbox().wake();
  }

  // Waits (up to 10 s) until `done` holds, running delivery passes of our own meanwhile (the
  // delivery thread may take a message first; the claim keeps the two apart).
  bool eventually(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      (void)outbox().deliver_due();
      if (done()) return true;
      std::this_thread::yield();
    }
    return false;
  }

  // The one message's state and attempts, read raw.
  std::pair<std::string, int64_t> row() {
    auto rows = sender_->runtime().database().query("SELECT state, attempts FROM outbox_messages");
    if (!rows.ok() || rows->size() != 1) return {"", -1};
    return {(*rows)[0].text(0), (*rows)[0].int64(1)};
  }

  Gateway gateway_;
  std::string token_;
  std::string token_file_;
  std::unique_ptr<ServerHarness> receiver_;
  std::unique_ptr<ServerHarness> sender_;
};

TEST_F(SmsGateway, PostsTheNumberAndTextAsJsonWithTheBearerToken) {
  enqueue("+6281234567890", "Kode Balai: 482913. Jangan berikan kepada siapa pun.");

  std::unique_lock lock(gateway_.mutex);
  ASSERT_TRUE(gateway_.arrived.wait_for(lock, std::chrono::seconds(10),
                                        [&] { return !gateway_.bodies.empty(); }));
  ASSERT_EQ(gateway_.bodies.size(), 1u);
  const auto json = boost::json::parse(gateway_.bodies[0]).as_object();
  EXPECT_EQ(json.at("to").as_string(), "+6281234567890");
  EXPECT_EQ(json.at("text").as_string(), "Kode Balai: 482913. Jangan berikan kepada siapa pun.");
  EXPECT_EQ(json.size(), 2u);
  EXPECT_EQ(gateway_.authorizations[0], "Bearer " + token_);
  lock.unlock();
  EXPECT_TRUE(eventually([&] { return row() == std::make_pair(std::string("sent"), int64_t{1}); }));
}

TEST_F(SmsGateway, AMessageTheGatewayRefusesIsMarkedFailedAtOnce) {
  {
    std::lock_guard lock(gateway_.mutex);
    gateway_.answer = 422;
  }
  enqueue("+6281234567890", "Kode Balai: 482913");
  EXPECT_TRUE(
      eventually([&] { return row() == std::make_pair(std::string("failed"), int64_t{1}); }));
}

TEST_F(SmsGateway, AGatewayErrorLeavesTheMessageQueuedForALaterTry) {
  {
    std::lock_guard lock(gateway_.mutex);
    gateway_.answer = 503;
  }
  enqueue("+6281234567890", "Kode Balai: 482913");
  {
    std::unique_lock lock(gateway_.mutex);
    ASSERT_TRUE(gateway_.arrived.wait_for(lock, std::chrono::seconds(10),
                                          [&] { return !gateway_.bodies.empty(); }));
  }
  // One failed try, the next one half a minute later.
  EXPECT_TRUE(
      eventually([&] { return row() == std::make_pair(std::string("queued"), int64_t{1}); }));
}

}  // namespace
}  // namespace balai::testing
