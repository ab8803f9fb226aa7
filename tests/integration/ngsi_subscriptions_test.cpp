// NGSI-v2 subscriptions (/v2/subscriptions, FIWARE Orion's) over real HTTP on both backends,
// with a real receiver on 127.0.0.1: create, list, read, change and delete with Orion's status
// codes and error names; who may manage which subscription; a change notified and its body
// checked field by field with the tenant headers; attrs, attrsFormat and q; throttling and
// expiry; a failing endpoint counted up to maxFailsLimit; a dead endpoint that does not hold
// up another subscription; counters in GET; subscriptions and counters across a restart.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "security/api_tokens.h"
#include "support/auth_helpers.h"
#include "support/databases.h"
#include "support/http_receiver.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

using Headers = std::map<std::string, std::string>;

boost::json::value parse(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return ec ? boost::json::value(nullptr) : v;
}

// The body of an NGSI error has exactly "error" and "description".
::testing::AssertionResult is_error(const HttpReply& r, int status, std::string_view name) {
  const auto body = parse(r.body);
  if (r.status != status)
    return ::testing::AssertionFailure()
           << "status " << r.status << " (want " << status << "): " << r.body;
  if (!body.is_object() || body.as_object().size() != 2 || !body.as_object().contains("error") ||
      !body.as_object().contains("description"))
    return ::testing::AssertionFailure() << "not an NGSI error body: " << r.body;
  if (body.at("error").as_string() != name)
    return ::testing::AssertionFailure()
           << "error " << body.at("error") << " (want " << name << ")";
  return ::testing::AssertionSuccess();
}

// Polls `done` until it holds or a generous deadline passes.
bool eventually(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

class Subscriptions : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    start(GetParam() == "sqlite" ? std::string{} : database_->url());
    integrator_ = token("Sistem BPBD", security::Role::integrator);
    other_ = token("Sistem Dishub", security::Role::integrator);
    device_ = token("AWS-07", security::Role::device);
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  virtual bool seed_demo() const { return false; }

  void start(const std::string& url) {
    server_ = std::make_unique<ServerHarness>(
        [](core::Config& c) {
          c.sensors.notify_workers = 2;
          c.sensors.notify_timeout_ms = 500;
        },
        url, seed_demo());
  }

  std::string token(const std::string& name, security::Role role) {
    auto t = server_->runtime().security().tokens.create(security::NewApiToken{name, role, "", {}},
                                                         server_->runtime().app().clock.now());
    EXPECT_TRUE(t.ok());
    return t.ok() ? t->token : std::string();
  }

  HttpReply call(const std::string& token, const std::string& method, const std::string& target,
                 const std::string& body = {}, Headers headers = {}) {
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    if (!body.empty() && !headers.contains("Content-Type"))
      headers["Content-Type"] = "application/json";
    return server_->send(method, target, body, headers);
  }
  HttpReply as(const std::string& method, const std::string& target, const std::string& body = {},
               Headers headers = {}) {
    return call(integrator_, method, target, body, std::move(headers));
  }

  // Creates a subscription and returns its id (from Location).
  std::string subscribe(const std::string& body, Headers headers = {}) {
    const auto r = as("POST", "/v2/subscriptions", body, std::move(headers));
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string location = r.header("location");
    EXPECT_TRUE(location.starts_with("/v2/subscriptions/")) << location;
    return location.substr(std::min(location.size(), std::string("/v2/subscriptions/").size()));
  }
  // A subscription to every Room in the default service, notified to `url`.
  std::string subscribe_rooms(const std::string& url, const std::string& extra = {},
                              const std::string& notification_extra = {}) {
    return subscribe(R"({"subject":{"entities":[{"idPattern":".*","type":"Room"}]},)"
                     R"("notification":{"http":{"url":")" +
                     url + "\"}" + notification_extra + "}" + extra + "}");
  }
  boost::json::value read(const std::string& id, Headers headers = {}) {
    const auto r = as("GET", "/v2/subscriptions/" + id, {}, std::move(headers));
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body);
  }
  void room(const std::string& id, double temperature, Headers headers = {}) {
    const auto body = R"({"actionType":"append","entities":[{"id":")" + id +
                      R"(","type":"Room","temperature":{"value":)" + std::to_string(temperature) +
                      R"(},"humidity":{"value":55}}]})";
    const auto r = as("POST", "/v2/op/update", body, std::move(headers));
    ASSERT_EQ(r.status, 204) << r.body;
  }
  // The temperature in a notification's first entity (normalized or keyValues).
  static double temperature(const ReceivedRequest& r) {
    const auto t = parse(r.body).at("data").at(0).at("temperature");
    return t.is_object() ? t.at("value").to_number<double>() : t.to_number<double>();
  }

  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
  std::string integrator_;
  std::string other_;
  std::string device_;
};

constexpr const char* kFlood = R"({
  "description": "Banjir Kali Madiun",
  "subject": {"entities": [{"id": "river-01", "type": "WaterLevelObserved"}, {"idPattern": "^aqms-"}],
              "condition": {"attrs": ["waterLevel"], "expression": {"q": "waterLevel>150"}}},
  "notification": {"http": {"url": "https://bpbd.example.id/ngsi"}, "attrs": ["waterLevel"],
                   "attrsFormat": "keyValues", "maxFailsLimit": 5},
  "expires": "2040-01-01T00:00:00Z", "throttling": 30})";

// --- Create, read, list, change, delete ---

TEST_P(Subscriptions, CreateAnswers201WithLocationAndReadsBackFieldByField) {
  const auto r = as("POST", "/v2/subscriptions", kFlood);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(r.body.empty());
  const std::string id = r.header("location").substr(18);
  EXPECT_EQ(id.size(), 24u);
  const auto s = read(id);
  EXPECT_EQ(s.at("id").as_string(), id);
  EXPECT_EQ(s.at("description").as_string(), "Banjir Kali Madiun");
  const auto& entities = s.at("subject").at("entities").as_array();
  ASSERT_EQ(entities.size(), 2u);
  EXPECT_EQ(entities[0].at("id").as_string(), "river-01");
  EXPECT_EQ(entities[0].at("type").as_string(), "WaterLevelObserved");
  EXPECT_EQ(entities[1].at("idPattern").as_string(), "^aqms-");
  EXPECT_EQ(s.at("subject").at("condition").at("attrs").at(0).as_string(), "waterLevel");
  EXPECT_EQ(s.at("subject").at("condition").at("expression").at("q").as_string(), "waterLevel>150");
  const auto& n = s.at("notification");
  EXPECT_EQ(n.at("http").at("url").as_string(), "https://bpbd.example.id/ngsi");
  EXPECT_EQ(n.at("attrs").at(0).as_string(), "waterLevel");
  EXPECT_EQ(n.at("attrsFormat").as_string(), "keyValues");
  EXPECT_EQ(n.at("maxFailsLimit").as_int64(), 5);
  EXPECT_FALSE(n.as_object().contains("timesSent"));  // nothing sent yet
  EXPECT_EQ(s.at("expires").as_string(), "2040-01-01T00:00:00.000Z");
  EXPECT_EQ(s.at("status").as_string(), "active");
  EXPECT_EQ(s.at("throttling").as_int64(), 30);
}

TEST_P(Subscriptions, ListPagesCountsAndKeepsToItsServiceAndPaths) {
  for (int i = 0; i < 3; ++i) subscribe(kFlood);
  subscribe(kFlood, {{"Fiware-ServicePath", "/gedung/#"}});
  subscribe(kFlood, {{"Fiware-Service", "kota"}});
  auto r = as("GET", "/v2/subscriptions?limit=2&offset=1&options=count");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("fiware-total-count"), "4");
  EXPECT_EQ(parse(r.body).as_array().size(), 2u);
  r = as("GET", "/v2/subscriptions", {}, {{"Fiware-ServicePath", "/gedung"}});
  ASSERT_EQ(parse(r.body).as_array().size(), 1u);
  r = as("GET", "/v2/subscriptions", {}, {{"Fiware-Service", "kota"}});
  const auto listed = parse(r.body).as_array();
  ASSERT_EQ(listed.size(), 1u);
  const std::string kota = std::string(listed[0].at("id").as_string());
  // Another service does not see it, by list or by id.
  EXPECT_TRUE(is_error(as("GET", "/v2/subscriptions/" + kota), 404, "NotFound"));
  EXPECT_TRUE(is_error(as("GET", "/v2/subscriptions?limit=0"), 400, "BadRequest"));
}

TEST_P(Subscriptions, PatchChangesTheFieldsSentAndDeleteRemoves) {
  const std::string id = subscribe(kFlood);
  auto r = as("PATCH", "/v2/subscriptions/" + id,
              R"({"status":"inactive","throttling":5,"description":"Siaga"})");
  ASSERT_EQ(r.status, 204) << r.body;
  auto s = read(id);
  EXPECT_EQ(s.at("status").as_string(), "inactive");
  EXPECT_EQ(s.at("throttling").as_int64(), 5);
  EXPECT_EQ(s.at("description").as_string(), "Siaga");
  EXPECT_EQ(s.at("notification").at("attrsFormat").as_string(), "keyValues");  // kept
  r = as("PATCH", "/v2/subscriptions/" + id, R"({"expires":null})");
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_FALSE(read(id).as_object().contains("expires"));
  ASSERT_EQ(as("DELETE", "/v2/subscriptions/" + id).status, 204);
  EXPECT_TRUE(is_error(as("GET", "/v2/subscriptions/" + id), 404, "NotFound"));
  EXPECT_TRUE(is_error(as("DELETE", "/v2/subscriptions/" + id), 404, "NotFound"));
}

TEST_P(Subscriptions, RefusesWhatOrionRefuses) {
  const std::string id = subscribe(kFlood);
  const std::string one = "/v2/subscriptions/" + id;
  // Who.
  EXPECT_TRUE(is_error(call("", "GET", "/v2/subscriptions"), 401, "Unauthorized"));
  EXPECT_TRUE(is_error(call("", "POST", "/v2/subscriptions", kFlood), 401, "Unauthorized"));
  EXPECT_TRUE(is_error(call(device_, "GET", "/v2/subscriptions"), 403, "Forbidden"));
  EXPECT_TRUE(is_error(call(device_, "DELETE", one), 403, "Forbidden"));
  // The body.
  EXPECT_TRUE(is_error(as("POST", "/v2/subscriptions", ""), 411, "ContentLengthRequired"));
  EXPECT_TRUE(is_error(as("POST", "/v2/subscriptions", kFlood, {{"Content-Type", "text/plain"}}),
                       415, "UnsupportedMediaType"));
  EXPECT_TRUE(is_error(as("POST", "/v2/subscriptions", std::string(1024 * 1024 + 1, ' ')), 413,
                       "RequestEntityTooLarge"));
  EXPECT_TRUE(is_error(as("POST", "/v2/subscriptions", "{\"subject\":"), 400, "ParseError"));
  EXPECT_TRUE(is_error(as("POST", "/v2/subscriptions", "[1]"), 400, "ParseError"));
  EXPECT_TRUE(is_error(as("POST", "/v2/subscriptions", R"({"subject":{"entities":[{"id":"a"}]}})"),
                       400, "BadRequest"));
  EXPECT_TRUE(is_error(
      as("POST", "/v2/subscriptions",
         R"({"subject":{"entities":[{"id":"a"}]},"notification":{"http":{"url":"file:///etc/passwd"}}})"),
      400, "BadRequest"));
  EXPECT_TRUE(
      is_error(as("POST", "/v2/subscriptions",
                  R"({"subject":{"entities":[{"id":"a"}],"condition":{"expression":{"q":"t>"}}},)"
                  R"("notification":{"http":{"url":"http://a.id/"}}})"),
               400, "BadRequest"));
  EXPECT_TRUE(is_error(as("POST", "/v2/subscriptions", kFlood, {{"Fiware-ServicePath", "/a,/b"}}),
                       400, "BadRequest"));
  EXPECT_TRUE(is_error(as("POST", "/v2/subscriptions", kFlood, {{"Fiware-Service", "a-b"}}), 400,
                       "BadRequest"));
  EXPECT_TRUE(is_error(as("PATCH", one, "{}"), 400, "BadRequest"));
  EXPECT_TRUE(is_error(as("PATCH", one, R"({"status":"paused"})"), 400, "BadRequest"));
  EXPECT_TRUE(is_error(as("PATCH", one, R"({"throttling":"x"})"), 400, "BadRequest"));
  // Unknown and malformed ids.
  for (const char* bad : {"000000000000000000000000", "nope", "0123456789ABCDEF01234567"}) {
    const std::string target = std::string("/v2/subscriptions/") + bad;
    EXPECT_TRUE(is_error(as("GET", target), 404, "NotFound")) << bad;
    EXPECT_TRUE(is_error(as("PATCH", target, R"({"throttling":1})"), 404, "NotFound")) << bad;
    EXPECT_TRUE(is_error(as("DELETE", target), 404, "NotFound")) << bad;
  }
  auto r = as("PUT", one, "{}");
  EXPECT_TRUE(is_error(r, 405, "MethodNotAllowed"));
  // Nothing above changed the subscription.
  EXPECT_EQ(read(id).at("throttling").as_int64(), 30);
}

TEST_P(Subscriptions, AnotherIntegratorsSubscriptionIsNotFound) {
  const std::string id = subscribe(kFlood);
  const std::string one = "/v2/subscriptions/" + id;
  EXPECT_TRUE(is_error(call(other_, "GET", one), 404, "NotFound"));
  EXPECT_TRUE(is_error(call(other_, "PATCH", one, R"({"status":"inactive"})"), 404, "NotFound"));
  EXPECT_TRUE(is_error(call(other_, "DELETE", one), 404, "NotFound"));
  const auto r = call(other_, "GET", "/v2/subscriptions?options=count");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("fiware-total-count"), "0");
  EXPECT_EQ(read(id).at("status").as_string(), "active");
}

// --- Notifications ---

TEST_P(Subscriptions, AChangeIsNotifiedWithTheTenantHeadersAndTheCountersShowIt) {
  HttpReceiver receiver(200);
  const std::string id =
      subscribe(R"({"subject":{"entities":[{"id":"r1","type":"Room"}]},
                    "notification":{"http":{"url":")" +
                    receiver.url() + R"("}}})",
                {{"Fiware-Service", "Kota"}, {"Fiware-ServicePath", "/gedung/#"}});
  room("r1", 21.5, {{"Fiware-Service", "kota"}, {"Fiware-ServicePath", "/gedung/lantai2"}});
  ASSERT_TRUE(receiver.wait_for(1));
  const ReceivedRequest got = receiver.requests().at(0);
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/notify");
  EXPECT_EQ(got.header("content-type"), "application/json");
  EXPECT_EQ(got.header("fiware-service"), "kota");
  EXPECT_EQ(got.header("fiware-servicepath"), "/gedung/lantai2");
  EXPECT_EQ(got.header("ngsiv2-attrsformat"), "normalized");
  const auto body = parse(got.body);
  ASSERT_TRUE(body.is_object()) << got.body;
  EXPECT_EQ(body.as_object().size(), 2u);
  EXPECT_EQ(body.at("subscriptionId").as_string(), id);
  const auto& data = body.at("data").as_array();
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0].at("id").as_string(), "r1");
  EXPECT_EQ(data[0].at("type").as_string(), "Room");
  EXPECT_EQ(data[0].at("temperature").at("type").as_string(), "Number");
  EXPECT_EQ(data[0].at("temperature").at("value").to_number<double>(), 21.5);
  EXPECT_TRUE(data[0].at("temperature").at("metadata").as_object().empty());
  EXPECT_EQ(data[0].at("humidity").at("value").to_number<double>(), 55);
  // The same entity in another service or path is none of its business.
  room("r1", 22);
  // The counters, live in GET.
  const Headers kota{{"Fiware-Service", "kota"}};
  ASSERT_TRUE(eventually(
      [&] { return read(id, kota).at("notification").as_object().contains("lastSuccessCode"); }));
  const auto n = read(id, kota).at("notification");
  EXPECT_EQ(n.at("timesSent").as_int64(), 1);
  EXPECT_EQ(n.at("lastSuccessCode").as_int64(), 200);
  EXPECT_TRUE(n.at("lastNotification").as_string().ends_with("Z"));
  EXPECT_TRUE(n.at("lastSuccess").as_string().ends_with("Z"));
  EXPECT_FALSE(n.as_object().contains("lastFailure"));
  EXPECT_EQ(receiver.count(), 1u);
}

TEST_P(Subscriptions, AttrsAndKeyValuesShapeTheBodyAndQDecides) {
  HttpReceiver receiver;
  subscribe(R"({"subject":{"entities":[{"idPattern":"^r","type":"Room"}],
                "condition":{"attrs":["temperature"],"expression":{"q":"temperature>30"}}},
                "notification":{"http":{"url":")" +
            receiver.url() + R"("},"attrs":["temperature"],"attrsFormat":"keyValues"}})");
  room("r1", 25);  // q does not hold: nothing
  room("r2", 35);
  ASSERT_TRUE(receiver.wait_for(1));
  // Had the first change been sent, it would have come first (one POST at a time).
  const auto got = receiver.requests().at(0);
  EXPECT_EQ(got.header("ngsiv2-attrsformat"), "keyValues");
  const auto entity = parse(got.body).at("data").at(0).as_object();
  EXPECT_EQ(entity.at("id").as_string(), "r2");
  EXPECT_EQ(entity.at("temperature").to_number<double>(), 35);
  EXPECT_FALSE(entity.contains("humidity"));
  EXPECT_EQ(entity.size(), 3u);
}

TEST_P(Subscriptions, ThrottlingAndExpiryLeaveChangesOut) {
  HttpReceiver receiver;
  const std::string throttled =
      subscribe_rooms(receiver.url("/throttled"), R"(,"throttling":3600)");
  const std::string expired =
      subscribe_rooms(receiver.url("/expired"), R"(,"expires":"2020-01-01T00:00:00Z")");
  subscribe_rooms(receiver.url("/every"));
  EXPECT_EQ(read(expired).at("status").as_string(), "expired");
  room("r1", 20);
  const auto first = read(throttled).at("notification").at("lastNotification");
  room("r1", 21);
  // The decisions are taken before the write answers: the throttled and expired ones did not
  // even queue the second change (lastNotification is set when a notification is queued).
  EXPECT_EQ(read(throttled).at("notification").at("lastNotification"), first);
  EXPECT_FALSE(read(expired).at("notification").as_object().contains("lastNotification"));
  ASSERT_TRUE(eventually([&] {
    size_t every = 0;
    for (const auto& r : receiver.requests())
      if (r.target == "/every" && temperature(r) == 21) ++every;
    return every == 1;
  }));
  size_t throttled_count = 0;
  for (const auto& r : receiver.requests()) {
    EXPECT_NE(r.target, "/expired");
    if (r.target == "/throttled") ++throttled_count;
  }
  EXPECT_LE(throttled_count, 1u);
}

TEST_P(Subscriptions, AFailingEndpointIsCountedUntilMaxFailsLimitStopsIt) {
  const std::string id = subscribe_rooms("http://127.0.0.1:" + std::to_string(closed_port()) + "/x",
                                         {}, R"(,"maxFailsLimit":2)");
  room("r1", 20);
  ASSERT_TRUE(
      eventually([&] { return read(id).at("notification").as_object().contains("failsCounter"); }));
  auto s = read(id);
  EXPECT_EQ(s.at("status").as_string(), "failed");
  EXPECT_EQ(s.at("notification").at("failsCounter").as_int64(), 1);
  EXPECT_EQ(s.at("notification").at("timesSent").as_int64(), 1);
  EXPECT_FALSE(s.at("notification").at("lastFailureReason").as_string().empty());
  EXPECT_TRUE(s.at("notification").at("lastFailure").as_string().ends_with("Z"));
  EXPECT_FALSE(s.at("notification").as_object().contains("lastSuccess"));
  room("r1", 21);
  ASSERT_TRUE(
      eventually([&] { return read(id).at("notification").at("failsCounter").as_int64() == 2; }));
  room("r1", 22);  // stopped: not even tried
  s = read(id);
  EXPECT_EQ(s.at("status").as_string(), "failed");
  EXPECT_EQ(s.at("notification").at("timesSent").as_int64(), 2);
  // A client switches it on again: the failures are forgotten.
  ASSERT_EQ(as("PATCH", "/v2/subscriptions/" + id, R"({"status":"active"})").status, 204);
  s = read(id);
  EXPECT_EQ(s.at("status").as_string(), "active");
  EXPECT_FALSE(s.at("notification").as_object().contains("failsCounter"));
}

TEST_P(Subscriptions, ADeadEndpointDoesNotHoldUpAnotherSubscription) {
  HttpReceiver dead;
  dead.hang(true);
  HttpReceiver alive;
  subscribe_rooms(dead.url());
  subscribe_rooms(alive.url());
  for (int i = 1; i <= 5; ++i) room("r1", 20 + i);
  // Every change reaches the living endpoint (coalesced or not) while the dead one hangs.
  ASSERT_TRUE(eventually([&] {
    const auto got = alive.requests();
    return !got.empty() && temperature(got.back()) == 25;
  }));
  EXPECT_GE(dead.count(), 1u);
  dead.hang(false);
}

// --- Across a restart ---

TEST_P(Subscriptions, SubscriptionsAndTheirCountersSurviveARestart) {
  // This test needs the same database for both servers: the temporary one on either backend.
  server_.reset();
  start(database_->url());
  integrator_ = token("Sistem BPBD", security::Role::integrator);
  HttpReceiver receiver;
  const std::string id = subscribe_rooms(receiver.url());
  room("r1", 20);
  ASSERT_TRUE(receiver.wait_for(1));
  ASSERT_TRUE(eventually(
      [&] { return read(id).at("notification").as_object().contains("lastSuccessCode"); }));
  server_.reset();  // writes the last counters on its way out
  start(database_->url());
  auto s = read(id);
  EXPECT_EQ(s.at("notification").at("timesSent").as_int64(), 1);
  EXPECT_EQ(s.at("notification").at("lastSuccessCode").as_int64(), 204);
  room("r1", 30);  // the registry was loaded at start
  ASSERT_TRUE(receiver.wait_for(2));
  EXPECT_EQ(temperature(receiver.requests().at(1)), 30);
}

INSTANTIATE_TEST_SUITE_P(Backends, Subscriptions, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

// --- Staff ---

class StaffSubscriptions : public Subscriptions {
 protected:
  bool seed_demo() const override { return true; }
};

TEST_P(StaffSubscriptions, AdministratorsManageEveryOneAndOfficersNone) {
  const std::string id = subscribe(kFlood);
  const std::string admin = sign_in_bearer(*server_, kDemoAdminLogin, kDemoAdminPassword);
  const std::string officer = sign_in_bearer(*server_, kDemoOfficerLogin, kDemoOfficerPassword);
  auto r = call(admin, "GET", "/v2/subscriptions");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(parse(r.body).as_array().size(), 1u);
  EXPECT_EQ(call(admin, "GET", "/v2/subscriptions/" + id).status, 200);
  EXPECT_TRUE(is_error(call(officer, "GET", "/v2/subscriptions"), 403, "Forbidden"));
  EXPECT_TRUE(is_error(call(officer, "POST", "/v2/subscriptions", kFlood), 403, "Forbidden"));
  EXPECT_EQ(call(admin, "DELETE", "/v2/subscriptions/" + id).status, 204);
  EXPECT_TRUE(is_error(as("GET", "/v2/subscriptions/" + id), 404, "NotFound"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StaffSubscriptions,
                         ::testing::ValuesIn(test_database_backends()), backend_test_name);

}  // namespace
}  // namespace balai::testing
