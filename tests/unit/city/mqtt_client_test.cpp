#include "modules/city/mqtt_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "modules/city/broker_files.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_inbox.h"

namespace balai::city {
namespace {

using testing::eventually;
using testing::Inbox;
using testing::MosquittoBroker;
using namespace std::chrono_literals;

MqttOptions options_for(const MosquittoBroker& broker) {
  MqttOptions o;
  o.host = "127.0.0.1";
  o.port = broker.port();
  o.reconnect_min = 1s;
  o.reconnect_max = 2s;  // keeps the reconnect test short without asserting any time
  return o;
}

// ---- Topics -----------------------------------------------------------------------------------

TEST(MqttTopics, ReadingsTopicFollowsTheScheme) {
  EXPECT_EQ(readings_topic("dev-01_A"), "balai/v1/devices/dev-01_A/readings");
  EXPECT_THROW((void)readings_topic("dev/01"), std::invalid_argument);
}

TEST(MqttTopics, ExtractsTheDeviceIdOfAReadingsTopic) {
  EXPECT_EQ(device_id_from_readings_topic("balai/v1/devices/river-01/readings"), "river-01");
  EXPECT_EQ(device_id_from_readings_topic("balai/v1/devices/" + std::string(64, 'a') + "/readings"),
            std::string(64, 'a'));
}

TEST(MqttTopics, RefusesReadingsTopicsWithABadDeviceIdOrShape) {
  for (const std::string& topic : std::vector<std::string>{
           "balai/v1/devices//readings", "balai/v1/devices/a/b/readings",
           "balai/v1/devices/+/readings", "balai/v1/devices/#", "balai/v1/devices/dev 1/readings",
           "balai/v1/devices/dev.1/readings", "balai/v2/devices/dev-1/readings",
           "balai/v1/devices/dev-1/readings/x", "balai/v1/devices/dev-1/reading",
           "balai/v1/devices/readings", "balai/v1/devices/" + std::string(65, 'a') + "/readings",
           ""})
    EXPECT_EQ(device_id_from_readings_topic(topic), std::nullopt) << topic;
}

TEST(MqttTopics, ChangesTopicWritesTheDefaultServiceAsUnderscore) {
  EXPECT_EQ(changes_topic("", "WaterLevelObserved").value(),
            "balai/v1/changes/_/WaterLevelObserved");
  EXPECT_EQ(changes_topic("surabaya_1", "AirQualityObserved").value(),
            "balai/v1/changes/surabaya_1/AirQualityObserved");
}

TEST(MqttTopics, ChangesTopicRefusesWhatWouldBreakTheTopic) {
  EXPECT_FALSE(changes_topic("Surabaya", "T").ok());  // upper case is not a Fiware-Service
  EXPECT_FALSE(changes_topic("_", "T").ok());         // reserved for the default service
  EXPECT_FALSE(changes_topic(std::string(51, 'a'), "T").ok());
  for (const std::string& type : std::vector<std::string>{
           "", "a/b", "a+", "#", std::string("a\0b", 3), "a\nb", std::string(257, 'T'), "\xff\xfe"})
    EXPECT_EQ(changes_topic("", type).error().code, core::ErrorCode::validation_failed);
}

TEST(MqttTopics, ParsesWhatChangesTopicProduces) {
  EXPECT_EQ(parse_changes_topic("balai/v1/changes/_/WeatherObserved"),
            (ChangesTopic{"", "WeatherObserved"}));
  EXPECT_EQ(parse_changes_topic(changes_topic("kota_madiun", "Traffic").value()),
            (ChangesTopic{"kota_madiun", "Traffic"}));
  for (const char* topic : {"balai/v1/changes/_", "balai/v1/changes//T", "balai/v1/changes/_/a/b",
                            "balai/v1/changes/A/T", "balai/v1/devices/_/T", "balai/v1/changes/_/"})
    EXPECT_EQ(parse_changes_topic(topic), std::nullopt) << topic;
}

// ---- Client without a broker ------------------------------------------------------------------

TEST(MqttClient, ReportsAnUnreachableBrokerWithoutThePassword) {
  MqttOptions o;
  o.host = "127.0.0.1";
  o.port = 1;  // privileged and unused: connection refused
  o.username = "balai";
  o.password = "hunter2-secret-token";
  MqttClient client(o);
  const core::Status status = client.connect();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::unavailable);
  EXPECT_NE(status.error().message.find("127.0.0.1:1"), std::string::npos)
      << status.error().message;
  EXPECT_NE(status.error().message.find("unreachable"), std::string::npos);
  EXPECT_EQ(status.error().message.find(o.password), std::string::npos);
  EXPECT_FALSE(client.connected());
}

TEST(MqttClient, RefusesToPublishBeforeConnecting) {
  MqttClient client(MqttOptions{});
  EXPECT_EQ(client.publish("balai/v1/changes/_/T", "{}", 0, false).error().code,
            core::ErrorCode::unavailable);
}

TEST(MqttClient, RefusesInvalidTopicsAndQos) {
  MqttClient client(MqttOptions{});
  EXPECT_EQ(client.publish("a/+/b", "x", 0, false).error().code,
            core::ErrorCode::validation_failed);
  EXPECT_EQ(client.publish("", "x", 0, false).error().code, core::ErrorCode::validation_failed);
  EXPECT_EQ(client.publish("a/b", "x", 3, false).error().code, core::ErrorCode::validation_failed);
  EXPECT_EQ(client.subscribe("a/#/b", 0).error().code, core::ErrorCode::validation_failed);
  EXPECT_EQ(client.subscribe("a/b", -1).error().code, core::ErrorCode::validation_failed);
  EXPECT_TRUE(client.subscribe("a/+/b", 1).ok());  // kept for when it connects
}

TEST(MqttClient, GeneratesADistinctClientIdWhenNoneIsGiven) {
  MqttClient a(MqttOptions{});
  MqttClient b(MqttOptions{});
  EXPECT_TRUE(a.client_id().starts_with("balai-"));
  EXPECT_NE(a.client_id(), b.client_id());
}

// ---- Client with a real broker ----------------------------------------------------------------

TEST(MqttClient, DeliversWhatAnotherClientPublishes) {
  BALAI_SKIP_WITHOUT_MOSQUITTO();
  MosquittoBroker broker;
  Inbox inbox;
  MqttClient subscriber(options_for(broker));
  subscriber.set_on_message(inbox.handler());
  ASSERT_TRUE(subscriber.subscribe(kReadingsTopicFilter, 1).ok());  // before connecting
  ASSERT_TRUE(subscriber.connect().ok());
  EXPECT_TRUE(subscriber.connected());
  MqttClient publisher(options_for(broker));
  ASSERT_TRUE(publisher.connect().ok());

  const std::string topic = readings_topic("river-01");
  // The subscription's SUBACK is not awaited, so publish until the first copy arrives.
  ASSERT_TRUE(eventually([&] {
    EXPECT_TRUE(publisher.publish(topic, R"({"waterLevel":120})", 1, false).ok());
    return eventually([&] { return inbox.size() > 0; }, 200ms);
  }));
  EXPECT_TRUE(inbox.has(topic, R"({"waterLevel":120})"));
  EXPECT_GE(subscriber.counters().messages_in, 1u);
  EXPECT_GE(publisher.counters().messages_out, 1u);
  EXPECT_EQ(subscriber.counters().reconnects, 0u);
}

TEST(MqttClient, PublishesSafelyFromManyThreads) {
  BALAI_SKIP_WITHOUT_MOSQUITTO();
  MosquittoBroker broker;
  Inbox inbox;
  MqttClient subscriber(options_for(broker));
  subscriber.set_on_message(inbox.handler());
  ASSERT_TRUE(subscriber.subscribe("balai/v1/changes/#", 1).ok());
  ASSERT_TRUE(subscriber.connect().ok());
  MqttClient publisher(options_for(broker));
  ASSERT_TRUE(publisher.connect().ok());
  // Wait until the subscription is in place (a probe gets through), then count from zero.
  ASSERT_TRUE(eventually([&] {
    (void)publisher.publish("balai/v1/changes/_/Probe", "p", 0, false);
    return eventually([&] { return inbox.size() > 0; }, 200ms);
  }));
  const size_t probes = inbox.size();
  const uint64_t out_before = publisher.counters().messages_out;

  constexpr int kThreads = 4;
  constexpr int kEach = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string payload = std::to_string(t) + ":" + std::to_string(i);
        if (!publisher.publish("balai/v1/changes/_/Load", payload, 1, false).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(publisher.counters().messages_out - out_before, uint64_t{kThreads * kEach});
  // QoS 1 on a connection that stays up: every message arrives (probes may still trickle in).
  EXPECT_TRUE(eventually([&] {
    size_t load = 0;
    for (const auto& [topic, payload] : inbox.messages())
      if (topic == "balai/v1/changes/_/Load") ++load;
    return load == kThreads * kEach;
  })) << inbox.size() - probes;
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kEach; i += 7)
      EXPECT_TRUE(
          inbox.has("balai/v1/changes/_/Load", std::to_string(t) + ":" + std::to_string(i)));
}

TEST(MqttClient, ReconnectsAndSubscribesAgainAfterTheBrokerRestarts) {
  BALAI_SKIP_WITHOUT_MOSQUITTO();
  MosquittoBroker broker;
  Inbox inbox;
  MqttClient subscriber(options_for(broker));
  subscriber.set_on_message(inbox.handler());
  ASSERT_TRUE(subscriber.connect().ok());
  ASSERT_TRUE(subscriber.subscribe(kChangesTopicFilter, 1).ok());  // after connecting

  broker.stop();
  EXPECT_TRUE(eventually([&] { return !subscriber.connected(); }));
  EXPECT_EQ(subscriber.publish("balai/v1/changes/_/T", "lost", 1, false).error().code,
            core::ErrorCode::unavailable);
  broker.start();
  ASSERT_TRUE(eventually([&] { return subscriber.connected(); }, 30'000ms)) << broker.log();
  EXPECT_EQ(subscriber.counters().reconnects, 1u);

  // The restarted broker kept nothing (clean session, no persistence): only the client's own
  // re-subscription can deliver this.
  MqttClient publisher(options_for(broker));
  ASSERT_TRUE(publisher.connect().ok());
  EXPECT_TRUE(eventually([&] {
    (void)publisher.publish("balai/v1/changes/_/T", "after", 1, false);
    return eventually([&] { return inbox.has("balai/v1/changes/_/T", "after"); }, 200ms);
  }));
  EXPECT_FALSE(inbox.has("balai/v1/changes/_/T", "lost"));
}

TEST(MqttClient, RefusesASecondConnect) {
  BALAI_SKIP_WITHOUT_MOSQUITTO();
  MosquittoBroker broker;
  MqttClient client(options_for(broker));
  ASSERT_TRUE(client.connect().ok());
  EXPECT_EQ(client.connect().error().code, core::ErrorCode::conflict);
}

TEST(MqttClient, StopsCleanlyWhileTheBrokerIsAway) {
  BALAI_SKIP_WITHOUT_MOSQUITTO();
  MosquittoBroker broker;
  auto client = std::make_unique<MqttClient>(options_for(broker));
  ASSERT_TRUE(client->connect().ok());
  broker.stop();
  ASSERT_TRUE(eventually([&] { return !client->connected(); }));
  client.reset();  // must return although the network thread is between reconnect attempts
  SUCCEED();
}

TEST(MqttClient, ReportsRefusedCredentialsWithoutThePassword) {
  BALAI_SKIP_WITHOUT_MOSQUITTO();
  MosquittoBroker broker({.allow_anonymous = false,
                          .password_file = password_file_line("balai", "right-token-1234") + "\n",
                          .acl_file = ""});
  MqttOptions o = options_for(broker);
  o.username = "balai";
  o.password = "wrong-token-5678";
  MqttClient client(o);
  const core::Status status = client.connect();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::unauthenticated) << status.error().message;
  EXPECT_NE(status.error().message.find("'balai'"), std::string::npos) << status.error().message;
  EXPECT_EQ(status.error().message.find(o.password), std::string::npos);
  EXPECT_FALSE(client.connected());
}

}  // namespace
}  // namespace balai::city
