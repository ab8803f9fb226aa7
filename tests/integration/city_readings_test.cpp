// Sensor readings over HTTP (POST /api/v1/city/readings) on both backends: a registered device
// writes its own entity only; every bad reading is refused with its reason and counted, never
// stored; malformed batches, missing or wrong credentials get the right status and store nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>

#include "modules/city/service.h"
#include "security/api_tokens.h"
#include "support/databases.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

boost::json::object parse(const HttpReply& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  return !ec && v.is_object() ? v.as_object() : boost::json::object{};
}

class CityReadings : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ = std::make_unique<ServerHarness>([](core::Config&) {}, url, /*seed_demo=*/false);
    auto river = context().add_device("WaterLevelObserved", "kali-madiun-01", "dpupr");
    ASSERT_TRUE(river.ok()) << river.error().message;
    river_ = *river;
    auto air = context().add_device("AirQualityObserved", "aqms-taman", "dlh");
    ASSERT_TRUE(air.ok()) << air.error().message;
    air_ = *air;
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  app::App& app() { return server_->runtime().app(); }
  city::ContextService& context() { return city::service_of(app()); }

  HttpReply post(const std::string& token, const std::string& body,
                 const std::string& type = "application/json") {
    std::map<std::string, std::string> headers{{"Content-Type", type}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return server_->send("POST", "/api/v1/city/readings", body, headers);
  }

  std::string now_iso(int64_t offset_ms = 0) {
    return core::format_iso8601(core::Timestamp{app().clock.now().ms + offset_ms}, core::Zone::wib);
  }

  // The stored value of an attribute of an entity in the default scope (null when absent).
  boost::json::value stored(const std::string& id, const std::string& attr) {
    auto e = context().find("", city::PathFilter{{}, {"/"}}, id);
    EXPECT_TRUE(e.ok());
    if (!e.ok() || !*e) return nullptr;
    auto it = (*e)->attrs.find(attr);
    return it == (*e)->attrs.end() ? boost::json::value(nullptr) : it->second.value;
  }

  int64_t history_rows() {
    // Rolled up or still incoming alike.
    auto rows = app().db.query(
        "SELECT (SELECT COALESCE(SUM(points), 0) FROM city_history_chunks) + "
        "(SELECT COUNT(*) FROM city_history_incoming)");
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? (*rows)[0].int64(0) : -1;
  }

  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
  city::NewDevice river_;
  city::NewDevice air_;
};

TEST_P(CityReadings, ADeviceStoresReadingsOfItsEntityWithUnitAndTime) {
  const std::string body =
      R"({"readings":[{"entity":"kali-madiun-01","attr":"waterLevel","value":151.5,"unit":"CMT","observedAt":")" +
      now_iso(-60'000) + R"("},{"entity":"kali-madiun-01","attr":"waterLevel","value":153.0}]})";
  const auto r = post(river_.token, body);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto report = parse(r);
  EXPECT_EQ(report.at("accepted").as_int64(), 2);
  EXPECT_TRUE(report.at("refused").as_array().empty());
  EXPECT_EQ(r.header("cache-control"), "no-store");
  // The entity keeps the latest; the history keeps both.
  EXPECT_EQ(stored("kali-madiun-01", "waterLevel").to_number<double>(), 153.0);
  EXPECT_EQ(history_rows(), 2);
  auto e = context().find("", city::PathFilter{{}, {"/"}}, "kali-madiun-01");
  ASSERT_TRUE(e.ok() && *e);
  const auto& attr = (*e)->attrs.at("waterLevel");
  EXPECT_EQ(attr.type, "Number");
  EXPECT_EQ(attr.metadata.at("unitCode").at("value").as_string(), "CMT");
  EXPECT_TRUE(attr.metadata.contains("dateObserved"));
}

TEST_P(CityReadings, MqttMessagesOfOneDeviceAreAppliedTogetherAndReportedPerMessage) {
  // As the MQTT bridge hands them over: one DeviceReadings per message, a device's messages
  // interleaved with others'. Each device's entity is written once for the batch.
  // Shared with the listener, which stays registered until the server stops.
  auto seen = std::make_shared<std::vector<city::Changed>>();
  context().listen([seen](const std::vector<city::Changed>& changes) {
    seen->insert(seen->end(), changes.begin(), changes.end());
  });
  const int64_t t = app().clock.now().ms - 60'000;
  std::vector<city::DeviceReadings> batch{
      {river_.device_id, {{"kali-madiun-01", "waterLevel", 150.0, "", t}}},
      {air_.device_id, {{"aqms-taman", "pm25", 12.5, "", t}}},
      {"dev-unknown", {{"kali-madiun-01", "waterLevel", 1.0, "", t}}},
      {river_.device_id,
       {{"kali-madiun-01", "waterLevel", 152.0, "", t + 2'000},
        {"kali-madiun-01", "waterLevel", 99'999.0, "", t + 3'000},  // out of range
        {"aqms-taman", "pm25", 1.0, "", t + 3'000}}},               // not its entity
      {river_.device_id, {{"kali-madiun-01", "waterLevel", 151.0, "", t + 1'000}}},
  };
  auto reports = context().ingest_devices(batch);
  ASSERT_TRUE(reports.ok()) << reports.error().message;
  ASSERT_EQ(reports->size(), 5u);
  EXPECT_EQ((*reports)[0].accepted, 1);
  EXPECT_EQ((*reports)[1].accepted, 1);
  EXPECT_EQ((*reports)[2].accepted, 0);
  ASSERT_EQ((*reports)[2].refused.size(), 1u);
  EXPECT_EQ((*reports)[2].refused[0].reason, "unknown_entity");
  EXPECT_EQ((*reports)[3].accepted, 1);
  ASSERT_EQ((*reports)[3].refused.size(), 2u);
  // Refusals name the reading's position in its own message.
  std::vector<size_t> positions{(*reports)[3].refused[0].index, (*reports)[3].refused[1].index};
  std::sort(positions.begin(), positions.end());
  EXPECT_EQ(positions, (std::vector<size_t>{1, 2}));
  EXPECT_EQ((*reports)[4].accepted, 1);
  EXPECT_TRUE((*reports)[4].refused.empty());
  // The newest observation wins whatever the message order; every accepted one is history.
  EXPECT_EQ(stored("kali-madiun-01", "waterLevel").to_number<double>(), 152.0);
  EXPECT_EQ(history_rows(), 4);
  ASSERT_EQ(seen->size(), 2u) << "one change per device's entity";
  EXPECT_EQ((*seen)[0].entity.id, "kali-madiun-01");
  EXPECT_EQ((*seen)[1].entity.id, "aqms-taman");
}

TEST_P(CityReadings, ABufferedOlderReadingJoinsTheHistoryButKeepsTheNewerValue) {
  auto one = [&](double value, int64_t offset_ms) {
    const auto r =
        post(river_.token,
             R"({"readings":[{"entity":"kali-madiun-01","attr":"waterLevel","value":)" +
                 std::to_string(value) + R"(,"observedAt":")" + now_iso(offset_ms) + R"("}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(parse(r).at("accepted").as_int64(), 1) << r.body;
  };
  const int64_t before = history_rows();
  one(140, -60'000);
  one(120, -3'600'000);  // sent late, after the device came back online
  EXPECT_EQ(stored("kali-madiun-01", "waterLevel").to_number<double>(), 140);
  EXPECT_EQ(history_rows(), before + 2);
  one(141, 0);
  EXPECT_EQ(stored("kali-madiun-01", "waterLevel").to_number<double>(), 141);
}

TEST_P(CityReadings, EveryBadReadingIsRefusedWithItsReasonAndNothingOfItIsStored) {
  const std::string body = R"({"readings":[
      {"entity":"kali-madiun-01","attr":"waterLevel","value":99999},
      {"entity":"kali-madiun-01","attr":"waterLevel","value":"tinggi"},
      {"entity":"kali-madiun-01","attr":"waterLevel","value":120,"unit":"MTR"},
      {"entity":"kali-madiun-01","attr":"suhu","value":20},
      {"entity":"kali-madiun-01","attr":"waterLevel","value":120,"observedAt":")" +
                           now_iso(3'600'000) + R"("},
      {"entity":"aqms-taman","attr":"pm25","value":30},
      {"entity":"kali-madiun-01","attr":"waterLevel","value":120}]})";
  const auto r = post(river_.token, body);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto report = parse(r);
  EXPECT_EQ(report.at("accepted").as_int64(), 1);
  const auto& refused = report.at("refused").as_array();
  ASSERT_EQ(refused.size(), 6u) << r.body;
  std::map<int64_t, std::string> reasons;
  for (const auto& item : refused)
    reasons[item.at("index").as_int64()] = std::string(item.at("reason").as_string());
  EXPECT_EQ(reasons[0], "out_of_range");
  EXPECT_EQ(reasons[1], "wrong_type");
  EXPECT_EQ(reasons[2], "wrong_unit");
  EXPECT_EQ(reasons[3], "unknown_attribute");
  EXPECT_EQ(reasons[4], "future_time");
  EXPECT_EQ(reasons[5], "unknown_entity");  // another device's entity
  EXPECT_EQ(history_rows(), 1);
  EXPECT_TRUE(stored("aqms-taman", "pm25").is_null());
  const auto counts = context().counts();
  EXPECT_EQ(counts.accepted, 1);
  EXPECT_EQ(counts.rejected.at("out_of_range"), 1);
  EXPECT_EQ(counts.rejected.at("unknown_entity"), 1);
}

TEST_P(CityReadings, AnIntegratorWritesAnyEntityAndUnknownEntitiesAreRefused) {
  auto token = server_->runtime().security().tokens.create(
      security::NewApiToken{"BMKG bridge", security::Role::integrator, "", {}}, app().clock.now());
  ASSERT_TRUE(token.ok());
  const auto r = post(token->token, R"({"readings":[
      {"entity":"aqms-taman","attr":"pm25","value":30.5},
      {"entity":"kali-madiun-01","attr":"waterLevel","value":140},
      {"entity":"tidak-ada","attr":"waterLevel","value":140}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto report = parse(r);
  EXPECT_EQ(report.at("accepted").as_int64(), 2);
  ASSERT_EQ(report.at("refused").as_array().size(), 1u);
  EXPECT_EQ(report.at("refused").as_array()[0].at("reason").as_string(), "unknown_entity");
  EXPECT_EQ(stored("aqms-taman", "pm25").to_number<double>(), 30.5);
}

TEST_P(CityReadings, RefusesMissingWrongAndRevokedCredentials) {
  const std::string body =
      R"({"readings":[{"entity":"kali-madiun-01","attr":"waterLevel","value":1}]})";
  EXPECT_EQ(post("", body).status, 401);
  EXPECT_EQ(post("balai_tk_not-a-real-token", body).status, 401);
  // Revoking the device's token locks it out at once.
  auto tokens = server_->runtime().security().tokens.list();
  ASSERT_TRUE(tokens.ok());
  for (const auto& t : *tokens) {
    if (t.name.find(river_.device_id) != std::string::npos) {
      ASSERT_TRUE(server_->runtime().security().tokens.revoke(t.id, app().clock.now()).ok());
    }
  }
  EXPECT_EQ(post(river_.token, body).status, 401);
  EXPECT_EQ(history_rows(), 0);
}

TEST_P(CityReadings, MalformedBatchesAreRefusedWholeWithTheRightStatus) {
  EXPECT_EQ(post(river_.token, "{not json").status, 400);
  EXPECT_EQ(post(river_.token, "[1,2]").status, 400);
  EXPECT_EQ(post(river_.token, R"({"readings":{}})").status, 400);
  EXPECT_EQ(post(river_.token, R"({"readings":[{"attr":"waterLevel","value":1}]})").status, 400);
  EXPECT_EQ(post(river_.token, R"({"readings":[{"entity":"kali-madiun-01","value":1}]})").status,
            400);
  EXPECT_EQ(post(river_.token, R"({"readings":[{"entity":"kali-madiun-01","attr":"waterLevel"}]})")
                .status,
            400);
  const auto no_zone = post(
      river_.token,
      R"({"readings":[{"entity":"kali-madiun-01","attr":"waterLevel","value":1,"observedAt":"2026-11-28T09:00:00"}]})");
  EXPECT_EQ(no_zone.status, 400);
  EXPECT_NE(parse(no_zone).at("error").at("message").as_string().find("observedAt"),
            std::string::npos);
  EXPECT_EQ(post(river_.token, R"({"readings":[]})", "text/plain").status, 415);
  std::string many = R"({"readings":[)";
  for (int i = 0; i < 10'001; ++i)
    many += std::string(i ? "," : "") + R"({"entity":"a","attr":"b","value":1})";
  many += "]}";
  EXPECT_EQ(post(river_.token, many).status, 400);
  EXPECT_EQ(history_rows(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CityReadings, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

}  // namespace
}  // namespace balai::testing
