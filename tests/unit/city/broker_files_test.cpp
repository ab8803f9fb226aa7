#include "modules/city/broker_files.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "modules/city/mqtt_client.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_inbox.h"

namespace balai::city {
namespace {

using testing::eventually;
using testing::Inbox;
using testing::MosquittoBroker;
using namespace std::chrono_literals;

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at; (at = text.find(sep, start)) != std::string::npos; start = at + 1)
    parts.push_back(text.substr(start, at - start));
  parts.push_back(text.substr(start));
  return parts;
}

// ---- Password file ----------------------------------------------------------------------------

// Written by Mosquitto 2.0.11's own tool: `mosquitto_passwd -c -b pw dev-01 s3cret`.
TEST(BrokerFiles, PasswordLineMatchesMosquittoPasswdForTheSameSalt) {
  const std::array<uint8_t, 12> salt = {0x1a, 0x99, 0x78, 0x1c, 0x3d, 0x41,
                                        0x6b, 0x7a, 0x0d, 0x04, 0x7e, 0x4e};
  EXPECT_EQ(
      password_file_line("dev-01", "s3cret", salt),
      "dev-01:$7$101$Gpl4HD1Ba3oNBH5O$Imgqe81ZcqSO5MiisNYsdisOWIDTK/Bx3mq2RFOgzh8Na4Wk0wAi2wW+"
      "1H6JNnHy40VwoGwN4Fc7tkYRAdIyMQ==");
}

TEST(BrokerFiles, PasswordLineHasAFreshSaltAndMosquittosShape) {
  const std::string a = password_file_line("balai", "token-abc");
  const std::string b = password_file_line("balai", "token-abc");
  EXPECT_NE(a, b);  // random salt
  const auto parts = split(a, '$');
  ASSERT_EQ(parts.size(), 5u) << a;
  EXPECT_EQ(parts[0], "balai:");
  EXPECT_EQ(parts[1], "7");
  EXPECT_EQ(parts[2], "101");
  EXPECT_EQ(parts[3].size(), 16u);  // base64 of 12 bytes
  EXPECT_EQ(parts[4].size(), 88u);  // base64 of 64 bytes, with "=="
  EXPECT_EQ(a.find('\n'), std::string::npos);
}

TEST(BrokerFiles, PasswordLineRefusesWhatWouldCorruptTheFile) {
  EXPECT_THROW((void)password_file_line("dev:1", "x"), std::invalid_argument);
  EXPECT_THROW((void)password_file_line("dev\n1", "x"), std::invalid_argument);
  EXPECT_THROW((void)password_file_line("", "x"), std::invalid_argument);
  EXPECT_THROW((void)password_file_line("dev-1", ""), std::invalid_argument);
  EXPECT_THROW((void)password_file_line("dev-1", std::string("a\0b", 3)), std::invalid_argument);
}

// ---- ACL file ---------------------------------------------------------------------------------

TEST(BrokerFiles, AclGivesEachDeviceItsOwnReadingsTopicOnly) {
  const std::string acl = acl_file({{"dev-a"}, {"dev-b"}}, "balai");
  EXPECT_NE(acl.find("user dev-a\ntopic write balai/v1/devices/dev-a/readings\n"),
            std::string::npos)
      << acl;
  EXPECT_NE(acl.find("user dev-b\ntopic write balai/v1/devices/dev-b/readings\n"),
            std::string::npos);
  EXPECT_NE(acl.find("user balai\ntopic read balai/v1/devices/+/readings\n"
                     "topic readwrite balai/v1/changes/#\n"),
            std::string::npos);
  // A rule before the first user line would apply to anonymous clients; a pattern to everyone.
  bool seen_user = false;
  for (const std::string& line : split(acl, '\n')) {
    if (line.starts_with("user ")) seen_user = true;
    if (line.starts_with("topic ")) {
      EXPECT_TRUE(seen_user) << line;
    }
    EXPECT_FALSE(line.starts_with("pattern")) << line;
  }
}

TEST(BrokerFiles, AclRefusesIdsThatCouldInjectRules) {
  EXPECT_THROW((void)acl_file({{"dev-a\ntopic readwrite #"}}, "balai"), std::invalid_argument);
  EXPECT_THROW((void)acl_file({{"dev/a"}}, "balai"), std::invalid_argument);
  EXPECT_THROW((void)acl_file({{""}}, "balai"), std::invalid_argument);
  EXPECT_THROW((void)acl_file({}, "bal ai"), std::invalid_argument);
  EXPECT_THROW((void)acl_file({{"balai"}}, "balai"), std::invalid_argument);
}

// ---- With the real broker ---------------------------------------------------------------------

constexpr std::string_view kBalaiPassword = "balai-token-0123456789abcdef";
constexpr std::string_view kDevAPassword = "dev-a-token-0123456789abcdef";
constexpr std::string_view kDevBPassword = "dev-b-token-0123456789abcdef";

MosquittoBroker::Options secured_broker() {
  MosquittoBroker::Options o;
  o.allow_anonymous = false;
  o.password_file = password_file_line("balai", kBalaiPassword) + "\n" +
                    password_file_line("dev-a", kDevAPassword) + "\n" +
                    password_file_line("dev-b", kDevBPassword) + "\n";
  o.acl_file = acl_file({{"dev-a"}, {"dev-b"}}, "balai");
  return o;
}

MqttOptions as(const MosquittoBroker& broker, std::string_view user, std::string_view password) {
  MqttOptions o;
  o.port = broker.port();
  o.username = std::string(user);
  o.password = std::string(password);
  return o;
}

TEST(BrokerFiles, BrokerAcceptsTheGeneratedPasswordAndRefusesAWrongOne) {
  BALAI_SKIP_WITHOUT_MOSQUITTO();
  MosquittoBroker broker(secured_broker());

  MqttClient right(as(broker, "dev-a", kDevAPassword));
  const core::Status ok = right.connect();
  EXPECT_TRUE(ok.ok()) << ok.error().message << "\n" << broker.log();

  MqttClient wrong(as(broker, "dev-a", kDevBPassword));
  EXPECT_EQ(wrong.connect().error().code, core::ErrorCode::unauthenticated);

  MqttClient unknown(as(broker, "dev-c", kDevAPassword));  // e.g. revoked: not in the file
  EXPECT_EQ(unknown.connect().error().code, core::ErrorCode::unauthenticated);

  MqttClient anonymous(as(broker, "", ""));
  EXPECT_EQ(anonymous.connect().error().code, core::ErrorCode::unauthenticated);
}

TEST(BrokerFiles, DevicePublishesOnlyToItsOwnReadingsTopic) {
  BALAI_SKIP_WITHOUT_MOSQUITTO();
  MosquittoBroker broker(secured_broker());
  Inbox balai_inbox;
  MqttClient balai(as(broker, "balai", kBalaiPassword));
  balai.set_on_message(balai_inbox.handler());
  ASSERT_TRUE(balai.subscribe(kReadingsTopicFilter, 1).ok());
  ASSERT_TRUE(balai.connect().ok()) << broker.log();
  MqttClient dev_a(as(broker, "dev-a", kDevAPassword));
  ASSERT_TRUE(dev_a.connect().ok());

  const std::string own = readings_topic("dev-a");
  ASSERT_TRUE(eventually([&] {
    EXPECT_TRUE(dev_a.publish(own, R"({"n":1})", 1, false).ok());
    return eventually([&] { return balai_inbox.has(own, R"({"n":1})"); }, 200ms);
  })) << broker.log();

  // The broker handles one connection's packets in order: once the marker that follows the
  // forged reading has arrived, the forged one would have arrived before it.
  const std::string other = readings_topic("dev-b");
  ASSERT_TRUE(dev_a.publish(other, R"({"forged":true})", 1, false).ok());  // accepted, dropped
  ASSERT_TRUE(dev_a.publish(own, "marker", 1, false).ok());
  ASSERT_TRUE(eventually([&] { return balai_inbox.has(own, "marker"); }));
  EXPECT_FALSE(balai_inbox.has_topic(other));
}

TEST(BrokerFiles, BalaiInstancesShareChangesButCannotForgeReadings) {
  BALAI_SKIP_WITHOUT_MOSQUITTO();
  MosquittoBroker broker(secured_broker());
  Inbox inbox;
  MqttClient instance_1(as(broker, "balai", kBalaiPassword));
  instance_1.set_on_message(inbox.handler());
  ASSERT_TRUE(instance_1.subscribe(kReadingsTopicFilter, 1).ok());
  ASSERT_TRUE(instance_1.subscribe(kChangesTopicFilter, 1).ok());
  ASSERT_TRUE(instance_1.connect().ok());
  MqttClient instance_2(as(broker, "balai", kBalaiPassword));
  ASSERT_TRUE(instance_2.connect().ok());

  const std::string change = changes_topic("", "WaterLevelObserved").value();
  ASSERT_TRUE(eventually([&] {
    EXPECT_TRUE(instance_2.publish(change, "c1", 1, false).ok());
    return eventually([&] { return inbox.has(change, "c1"); }, 200ms);
  })) << broker.log();

  // Balai's user only reads readings: a reading it publishes is dropped (marker as above).
  const std::string reading = readings_topic("dev-a");
  ASSERT_TRUE(instance_2.publish(reading, "forged", 1, false).ok());
  ASSERT_TRUE(instance_2.publish(change, "marker", 1, false).ok());
  ASSERT_TRUE(eventually([&] { return inbox.has(change, "marker"); }));
  EXPECT_FALSE(inbox.has_topic(reading));
}

}  // namespace
}  // namespace balai::city
