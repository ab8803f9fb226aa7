// The development outbox over real HTTP on each database backend: with notify.dev_outbox a
// message no channel can carry shows on /dev/kotak-keluar and /api/v1/dev/outbox (never
// cacheable); without it neither route exists.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "core/ids.h"
#include "modules/notify/outbox.h"
#include "support/databases.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class DevOutbox : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  ServerHarness& start(bool dev_outbox) {
    database_ = std::make_unique<TempDatabase>(GetParam());
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ = std::make_unique<ServerHarness>(
        [dev_outbox](core::Config& c) { c.notify.dev_outbox = dev_outbox; }, url,
        /*seed_demo=*/false);
    return *server_;
  }

  notify::Outbox& outbox() { return server_->runtime().app().outbox; }

  // Writes a message through the running server's outbox, as a module does, and wakes the
  // delivery thread.
  void enqueue(const notify::Message& message) {
    auto& rt = server_->runtime();
    auto status = rt.database().transact([&](db::Connection& c) -> core::Status {
      return outbox().enqueue(c, message, rt.app().clock.now());
    });
    ASSERT_TRUE(status.ok()) << status.error().message;
    outbox().wake();
  }

  // Waits (up to 10 s) until the outbox holds nothing queued; the delivery thread and a pass
  // of our own may share the work, the claim keeps them apart.
  bool delivered() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      auto pass = outbox().deliver_due();
      auto counts = outbox().counts();
      if (pass.ok() && counts.ok() && counts->queued == 0) return true;
      std::this_thread::yield();
    }
    return false;
  }

  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
};

TEST_P(DevOutbox, ShowsADeliveredMessageOnThePageAndInTheApi) {
  ServerHarness& server = start(true);
  enqueue(notify::Message{notify::Channel::email, "warga@contoh.id", "Kode konfirmasi — Balai",
                          "Kode Anda: 482913\nBerlaku 15 menit.", "identity.confirm_email"});
  enqueue(notify::Message{notify::Channel::sms, "+6281234567890", "", "Kode: 105933",
                          "identity.confirm_phone"});
  ASSERT_TRUE(delivered());

  HttpReply page = server.get("/dev/kotak-keluar");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("cache-control"), "no-store");
  EXPECT_TRUE(contains(page.body, "pesan TIDAK dikirim; jangan gunakan di server publik"));
  EXPECT_TRUE(contains(page.body, "warga@contoh.id"));
  EXPECT_TRUE(contains(page.body, "Kode konfirmasi — Balai"));
  EXPECT_TRUE(contains(page.body, "Kode Anda: 482913<br>Berlaku 15 menit.<br>"));
  EXPECT_TRUE(contains(page.body, "+6281234567890"));
  EXPECT_TRUE(contains(page.body, " WIB</time>"));  // the demo city's zone

  HttpReply english = server.get("/dev/kotak-keluar?lang=en");
  ASSERT_EQ(english.status, 200);
  EXPECT_TRUE(contains(english.body, "messages are NOT sent"));

  HttpReply api = server.get("/api/v1/dev/outbox");
  ASSERT_EQ(api.status, 200);
  EXPECT_EQ(api.header("cache-control"), "no-store");
  const auto json = boost::json::parse(api.body).as_object();
  const auto& messages = json.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  // Newest first.
  const auto& sms = messages[0].as_object();
  EXPECT_EQ(sms.at("channel").as_string(), "sms");
  EXPECT_EQ(sms.at("to").as_string(), "+6281234567890");
  EXPECT_EQ(sms.at("body").as_string(), "Kode: 105933");
  const auto& email = messages[1].as_object();
  EXPECT_EQ(email.at("channel").as_string(), "email");
  EXPECT_EQ(email.at("to").as_string(), "warga@contoh.id");
  EXPECT_EQ(email.at("subject").as_string(), "Kode konfirmasi — Balai");
  EXPECT_EQ(email.at("body").as_string(), "Kode Anda: 482913\nBerlaku 15 menit.");
  EXPECT_EQ(email.at("kind").as_string(), "identity.confirm_email");
  EXPECT_TRUE(core::is_uuid(std::string(email.at("id").as_string())));
  EXPECT_TRUE(core::parse_iso8601(std::string(email.at("created_at").as_string())).has_value());
}

TEST_P(DevOutbox, ShowsThatThereIsNothingYet) {
  ServerHarness& server = start(true);
  HttpReply page = server.get("/dev/kotak-keluar");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "Belum ada pesan."));
  HttpReply api = server.get("/api/v1/dev/outbox");
  ASSERT_EQ(api.status, 200);
  EXPECT_EQ(api.body, R"({"messages":[]})");
}

TEST_P(DevOutbox, DoesNotExistWhenTheSettingIsOff) {
  ServerHarness& server = start(false);
  enqueue(notify::Message{notify::Channel::email, "warga@contoh.id", "Kode", "Kode: 1",
                          "identity.confirm_email"});
  EXPECT_EQ(server.get("/dev/kotak-keluar").status, 404);
  EXPECT_EQ(server.get("/api/v1/dev/outbox").status, 404);
  // With no channel either, the message waits in the outbox.
  auto counts = outbox().counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->queued, 1);
}

INSTANTIATE_TEST_SUITE_P(Notify, DevOutbox, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

}  // namespace
}  // namespace balai::testing
