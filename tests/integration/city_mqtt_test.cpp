// Sensor readings over MQTT with a real Mosquitto whose password and ACL files Balai writes:
// a registered device publishes its readings and they are stored through the same checks as
// HTTP; a device cannot write another's entity (the broker's ACL and Balai both refuse); bad
// payloads are counted, never stored; a revoked device is shut out of the broker. Both backends.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "modules/city/broker_files.h"
#include "modules/city/broker_sync.h"
#include "modules/city/mqtt_bridge.h"
#include "modules/city/mqtt_client.h"
#include "modules/city/service.h"
#include "support/databases.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_inbox.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

constexpr const char* kBalaiPassword = "0123456789abcdef0123456789abcdef-balai";

class CityMqtt : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!MosquittoBroker::available()) GTEST_SKIP() << "mosquitto is not installed";
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    // The broker starts with Balai's own user only; Balai rewrites both files when it starts.
    MosquittoBroker::Options options;
    options.allow_anonymous = false;
    options.password_file = city::password_file_line("balai", kBalaiPassword) + "\n";
    options.acl_file = city::acl_file({}, "balai");
    broker_ = std::make_unique<MosquittoBroker>(options);
    password_file_ = broker_->password_path().parent_path() / "balai-password";
    std::ofstream(password_file_) << kBalaiPassword << "\n";
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ = std::make_unique<ServerHarness>(
        [this](core::Config& c) {
          c.sensors.mqtt_url = "mqtt://127.0.0.1:" + std::to_string(broker_->port());
          c.sensors.mqtt_user = "balai";
          c.sensors.mqtt_password_file = password_file_.string();
          c.sensors.broker_password_file = broker_->password_path().string();
          c.sensors.broker_acl_file = broker_->acl_path().string();
          c.sensors.broker_pid_file = broker_->pid_path().string();
        },
        url, /*seed_demo=*/false);
    ASSERT_NE(city::mqtt_bridge_of(app()), nullptr);
    ASSERT_TRUE(eventually([&] { return city::mqtt_bridge_of(app())->connected(); }))
        << broker_->log();
    river_ = add_device("WaterLevelObserved", "kali-madiun-01");
    air_ = add_device("AirQualityObserved", "aqms-taman");
  }
  void TearDown() override {
    server_.reset();
    broker_.reset();
    database_.reset();
  }

  app::App& app() { return server_->runtime().app(); }
  city::ContextService& context() { return city::service_of(app()); }

  // What `balai device add` does: register, then rewrite the broker's files.
  city::NewDevice add_device(const std::string& type, const std::string& entity) {
    auto device = context().add_device(type, entity, "dpupr");
    EXPECT_TRUE(device.ok()) << device.error().message;
    auto synced = city::sync_broker_files(app().config, context());
    EXPECT_TRUE(synced.ok()) << synced.error().message;
    return device.ok() ? *device : city::NewDevice{};
  }

  // A device's own connection. The broker re-reads its files on SIGHUP, a moment after the
  // registration: connecting is retried until it accepts (or 10 s pass).
  std::unique_ptr<city::MqttClient> connect_as(const std::string& user,
                                               const std::string& password) {
    city::MqttOptions o;
    o.port = broker_->port();
    o.username = user;
    o.password = password;
    std::unique_ptr<city::MqttClient> client;
    const bool connected = eventually([&] {
      client = std::make_unique<city::MqttClient>(o);
      return client->connect().ok();
    });
    EXPECT_TRUE(connected) << broker_->log();
    return client;
  }

  boost::json::value stored(const std::string& id, const std::string& attr) {
    auto e = context().find("", city::PathFilter{{}, {"/"}}, id);
    EXPECT_TRUE(e.ok());
    if (!e.ok() || !*e) return nullptr;
    auto it = (*e)->attrs.find(attr);
    return it == (*e)->attrs.end() ? boost::json::value(nullptr) : it->second.value;
  }

  int64_t rejected(const std::string& reason) {
    const auto counts = context().counts();
    auto it = counts.rejected.find(reason);
    return it == counts.rejected.end() ? 0 : it->second;
  }

  void publish(city::MqttClient& client, const std::string& device, const std::string& body) {
    auto sent = client.publish(city::readings_topic(device), body, 1, false);
    ASSERT_TRUE(sent.ok()) << sent.error().message;
  }

  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<MosquittoBroker> broker_;
  std::filesystem::path password_file_;
  std::unique_ptr<ServerHarness> server_;
  city::NewDevice river_;
  city::NewDevice air_;
};

TEST_P(CityMqtt, ADevicesReadingsAreStoredWithTheirUnitAndTime) {
  auto river = connect_as(river_.device_id, river_.token);
  ASSERT_TRUE(river);
  publish(*river, river_.device_id,
          R"({"waterLevel": 153.5, "observedAt": "2026-11-28T09:00:00+07:00"})");
  ASSERT_TRUE(eventually([&] { return stored("kali-madiun-01", "waterLevel") == 153.5; }));
  auto e = context().find("", city::PathFilter{{}, {"/"}}, "kali-madiun-01");
  ASSERT_TRUE(e.ok() && *e);
  const auto& md = (*e)->attrs.at("waterLevel").metadata;
  EXPECT_EQ(md.at("unitCode").at("value"), "CMT");
  EXPECT_EQ(md.at("dateObserved").at("value"), "2026-11-28T02:00:00Z");
  // The long form with several readings arrives the same way.
  publish(*river, river_.device_id,
          R"({"readings": [{"entity": "kali-madiun-01", "attr": "waterLevel", "value": 154}]})");
  EXPECT_TRUE(eventually([&] { return stored("kali-madiun-01", "waterLevel") == 154; }));
  EXPECT_GE(city::mqtt_bridge_of(app())->counters().batches, 1u);
}

TEST_P(CityMqtt, ADeviceCannotWriteAnotherDevicesEntity) {
  auto river = connect_as(river_.device_id, river_.token);
  ASSERT_TRUE(river);
  const int64_t refused = rejected("unknown_entity");
  // On the air station's topic: the broker's ACL drops it (nothing reaches Balai).
  (void)river->publish(city::readings_topic(air_.device_id), R"({"pm25": 80})", 1, false);
  // On its own topic, naming the air station's entity: Balai refuses it.
  publish(*river, river_.device_id,
          R"({"readings": [{"entity": "aqms-taman", "attr": "pm25", "value": 81}]})");
  // A marker after both, on its own entity: once it is stored, the others have been handled.
  publish(*river, river_.device_id, R"({"waterLevel": 120})");
  ASSERT_TRUE(eventually([&] { return stored("kali-madiun-01", "waterLevel") == 120; }));
  EXPECT_EQ(stored("aqms-taman", "pm25"), nullptr);
  EXPECT_EQ(rejected("unknown_entity"), refused + 1);
}

TEST_P(CityMqtt, BadReadingsAndBadPayloadsAreCountedAndNeverStored) {
  auto river = connect_as(river_.device_id, river_.token);
  ASSERT_TRUE(river);
  const int64_t out_of_range = rejected("out_of_range");
  const int64_t wrong_unit = rejected("wrong_unit");
  const int64_t malformed = rejected("malformed");
  publish(*river, river_.device_id, R"({"waterLevel": 99999})");
  publish(*river, river_.device_id,
          R"({"readings": [{"entity": "kali-madiun-01", "attr": "waterLevel", "value": 3,
              "unit": "MTR"}]})");
  publish(*river, river_.device_id, "{not json");
  publish(*river, river_.device_id, R"({"readings": 5})");
  publish(*river, river_.device_id, R"({"waterLevel": 101})");  // the marker
  ASSERT_TRUE(eventually([&] { return stored("kali-madiun-01", "waterLevel") == 101; }));
  EXPECT_EQ(rejected("out_of_range"), out_of_range + 1);
  EXPECT_EQ(rejected("wrong_unit"), wrong_unit + 1);
  EXPECT_EQ(rejected("malformed"), malformed + 2);
  EXPECT_EQ(city::mqtt_bridge_of(app())->counters().malformed, 2u);
  // The same counts on /metrics, for the city's operators.
  int64_t refused = 0;
  for (const auto& [reason, n] : context().counts().rejected) refused += n;
  const std::string metrics = server_->get("/metrics").body;
  EXPECT_NE(metrics.find("\nbalai_city_mqtt_messages 5\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nbalai_city_mqtt_malformed 2\n"), std::string::npos);
  EXPECT_NE(metrics.find("\nbalai_city_mqtt_dropped 0\n"), std::string::npos);
  EXPECT_NE(metrics.find("\nbalai_city_readings_rejected " + std::to_string(refused) + "\n"),
            std::string::npos);
}

TEST_P(CityMqtt, TheBrokerRefusesWrongPasswordsStrangersAndRevokedDevices) {
  city::MqttOptions o;
  o.port = broker_->port();
  o.username = river_.device_id;
  o.password = "not-the-token";
  city::MqttClient wrong(o);
  auto refused = wrong.connect();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::unauthenticated);
  EXPECT_EQ(refused.error().message.find("not-the-token"), std::string::npos);

  o.username = "";
  o.password = "";
  city::MqttClient anonymous(o);
  EXPECT_FALSE(anonymous.connect().ok());

  // The files Balai wrote: a line per device (never the token) and the device's one topic.
  std::ifstream passwords(broker_->password_path());
  const std::string text((std::istreambuf_iterator<char>(passwords)), {});
  EXPECT_NE(text.find(river_.device_id + ":$7$101$"), std::string::npos);
  EXPECT_EQ(text.find(river_.token), std::string::npos);
  EXPECT_EQ(std::filesystem::status(broker_->password_path()).permissions() &
                std::filesystem::perms::others_all,
            std::filesystem::perms::none);

  auto revoked = context().revoke_device(river_.device_id);
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  ASSERT_TRUE(city::sync_broker_files(app().config, context()).ok());
  EXPECT_EQ(context().revoke_device(river_.device_id).error().code, core::ErrorCode::not_found);
  o.username = river_.device_id;
  o.password = river_.token;
  EXPECT_TRUE(eventually([&] {
    city::MqttClient client(o);
    auto connected = client.connect();
    return !connected.ok() && connected.error().code == core::ErrorCode::unauthenticated;
  })) << broker_->log();
  // The air station, still registered, still gets in.
  EXPECT_TRUE(connect_as(air_.device_id, air_.token));
}

INSTANTIATE_TEST_SUITE_P(Backends, CityMqtt, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace balai::testing
