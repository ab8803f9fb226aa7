// NGSI-v2 subscriptions without a server: which changes concern a subscription, throttling and
// expiry, the reported status, counters after deliveries, the notification body, the JSON of
// POST / PATCH / GET with Orion's refusals, the notifier's queue (coalescing, the bound, a
// failing endpoint) with a fake transport, and the store on both backends.
#include "modules/city/subscriptions.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "db/migrator.h"
#include "modules/city/module.h"
#include "modules/city/notifier.h"
#include "modules/city/subscription_json.h"
#include "modules/city/subscription_store.h"
#include "support/databases.h"

namespace balai::city {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

boost::json::value json(std::string_view text) {
  return boost::json::parse(text);
}

Entity room(std::string id, double temperature, std::string path = "/") {
  Entity e;
  e.id = std::move(id);
  e.type = "Room";
  e.scope = Scope{"", std::move(path)};
  e.attrs["temperature"] = Attribute{"Number", temperature, {}};
  e.attrs["humidity"] = Attribute{"Number", 60, {}};
  e.created_ms = e.modified_ms = kNow;
  return e;
}

Changed change(Entity e, std::vector<std::string> attrs = {"temperature"}) {
  return Changed{std::move(e), std::move(attrs), false, false};
}

Subscription subscription(std::string_view body, std::string path = "/#") {
  auto spec = ngsi::parse_subscription(json(body));
  EXPECT_TRUE(spec.ok()) << (spec.ok() ? "" : spec.error().message);
  Subscription s;
  s.key = 1;
  s.id = "0123456789abcdef01234567";
  s.scope = Scope{"", std::move(path)};
  s.spec = spec.ok() ? *spec : SubscriptionSpec{};
  return s;
}

SubscriptionMatcher matcher(const Subscription& s) {
  auto m = SubscriptionMatcher::compile(s);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return std::move(m).value();
}

constexpr std::string_view kRoomsAbove30 = R"({
  "subject": {"entities": [{"idPattern": "^room-", "type": "Room"}],
              "condition": {"attrs": ["temperature"], "expression": {"q": "temperature>30"}}},
  "notification": {"http": {"url": "http://127.0.0.1:9/hook"}, "attrs": ["temperature"]}})";

// --- Matching ---

TEST(SubscriptionMatcher, ConcernsTheNamedEntitiesWhenAConditionAttributeChangesAndQHolds) {
  const auto s = subscription(kRoomsAbove30);
  const auto m = matcher(s);
  EXPECT_TRUE(m.concerns(change(room("room-1", 31))));
  EXPECT_FALSE(m.concerns(change(room("room-1", 29))));                // q fails
  EXPECT_FALSE(m.concerns(change(room("hall-1", 31))));                // idPattern
  EXPECT_FALSE(m.concerns(change(room("room-1", 31), {"humidity"})));  // condition attrs
  Entity other = room("room-1", 31);
  other.type = "Office";
  EXPECT_FALSE(m.concerns(change(other)));
  other = room("room-1", 31);
  other.scope.service = "kota";
  EXPECT_FALSE(m.concerns(change(other)));  // another tenant
  EXPECT_FALSE(m.concerns(Changed{room("room-1", 31), {"temperature"}, false, true}));  // deleted
}

TEST(SubscriptionMatcher, NoConditionAttributesMeansAnyAttributeAndPathsNarrow) {
  auto s = subscription(R"({"subject": {"entities": [{"id": "room-1"}]},
                            "notification": {"http": {"url": "https://example.id/n"}}})",
                        "/gedung/#");
  const auto m = matcher(s);
  EXPECT_TRUE(m.concerns(change(room("room-1", 20, "/gedung/a"), {"humidity"})));
  EXPECT_TRUE(m.concerns(change(room("room-1", 20, "/gedung"))));
  EXPECT_FALSE(m.concerns(change(room("room-1", 20, "/taman"))));
  EXPECT_FALSE(m.concerns(change(room("room-1", 20, "/gedung"), {})));  // nothing changed
}

TEST(SubscriptionMatcher, RefusesPatternsAndQueriesThatDoNotParse) {
  auto s = subscription(R"({"subject": {"entities": [{"idPattern": "(("}]},
                            "notification": {"http": {"url": "http://a.id/"}}})");
  auto m = SubscriptionMatcher::compile(s);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, core::ErrorCode::bad_request);
  s = subscription(R"({"subject": {"entities": [{"id": "a"}],
                       "condition": {"expression": {"q": "temperature>"}}},
                       "notification": {"http": {"url": "http://a.id/"}}})");
  m = SubscriptionMatcher::compile(s);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("invalid query"), std::string::npos) << m.error().message;
}

TEST(SubscriptionDecision, ThrottlingDropsChangesWithinThePeriod) {
  auto s = subscription(kRoomsAbove30);
  s.spec.throttling_s = 5;
  const auto m = matcher(s);
  EXPECT_EQ(decide(s, m, change(room("room-1", 31)), kNow), Trigger::notify);
  s.counters.last_notification_ms = kNow;
  EXPECT_EQ(decide(s, m, change(room("room-1", 31)), kNow + 4'999), Trigger::throttled);
  EXPECT_EQ(decide(s, m, change(room("room-1", 31)), kNow + 5'000), Trigger::notify);
}

TEST(SubscriptionDecision, ExpiredAndInactiveSubscriptionsSendNothing) {
  auto s = subscription(kRoomsAbove30);
  s.spec.expires_ms = kNow + 1'000;
  const auto m = matcher(s);
  EXPECT_EQ(decide(s, m, change(room("room-1", 31)), kNow), Trigger::notify);
  EXPECT_EQ(decide(s, m, change(room("room-1", 31)), kNow + 1'000), Trigger::expired);
  EXPECT_EQ(reported_status(s, kNow + 1'000), "expired");
  s.spec.status = SubscriptionStatus::inactive;
  EXPECT_EQ(decide(s, m, change(room("room-1", 31)), kNow), Trigger::inactive);
  EXPECT_EQ(reported_status(s, kNow), "inactive");
}

TEST(SubscriptionDecision, FailuresReportFailedAndTheLimitStopsTheSubscription) {
  auto s = subscription(kRoomsAbove30);
  s.spec.max_fails_limit = 2;
  EXPECT_FALSE(record(s, Delivery{false, 0, "Couldn't connect to server", kNow}));
  EXPECT_EQ(s.counters.fails_counter, 1);
  EXPECT_EQ(reported_status(s, kNow), "failed");
  EXPECT_FALSE(record(s, Delivery{true, 404, "", kNow + 1}));  // any HTTP answer is delivered
  EXPECT_EQ(s.counters.fails_counter, 0);
  EXPECT_EQ(s.counters.last_success_code, 404);
  EXPECT_EQ(reported_status(s, kNow), "active");
  EXPECT_FALSE(record(s, Delivery{false, 0, "Timeout was reached", kNow + 2}));
  EXPECT_TRUE(record(s, Delivery{false, 0, "Timeout was reached", kNow + 3}));
  EXPECT_EQ(s.spec.status, SubscriptionStatus::failed);
  EXPECT_EQ(s.counters.times_sent, 4);
  EXPECT_EQ(s.counters.last_failure_ms, kNow + 3);
  EXPECT_EQ(s.counters.last_failure_reason, "Timeout was reached");
  EXPECT_EQ(decide(s, matcher(s), change(room("room-1", 31)), kNow), Trigger::inactive);
}

// --- Notification body ---

TEST(NotificationBody, CarriesTheSubscriptionIdAndTheProjectedEntityInItsFormat) {
  auto s = subscription(kRoomsAbove30);
  auto body = json(notification_body(s, {room("room-1", 31)}));
  EXPECT_EQ(body.at("subscriptionId").as_string(), s.id);
  const auto& e = body.at("data").as_array().at(0).as_object();
  EXPECT_EQ(e.at("id").as_string(), "room-1");
  EXPECT_EQ(e.at("type").as_string(), "Room");
  EXPECT_EQ(e.at("temperature").at("value").as_double(), 31);
  EXPECT_EQ(e.at("temperature").at("type").as_string(), "Number");
  EXPECT_FALSE(e.contains("humidity"));  // notification.attrs
  s.spec.format = AttrsFormat::key_values;
  s.spec.attrs.clear();
  s.spec.except_attrs = {"humidity"};
  body = json(notification_body(s, {room("room-1", 31)}));
  EXPECT_EQ(body.at("data").at(0).at("temperature").as_double(), 31);
  EXPECT_FALSE(body.at("data").at(0).as_object().contains("humidity"));
  s.spec.format = AttrsFormat::values;
  s.spec.except_attrs.clear();
  s.spec.attrs = {"humidity", "temperature"};
  body = json(notification_body(s, {room("room-1", 31), room("room-2", 32)}));
  const auto& values = body.at("data").as_array();
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0].at(0).to_number<double>(), 60);  // in the order of notification.attrs
  EXPECT_EQ(values[0].at(1).to_number<double>(), 31);
  EXPECT_EQ(values[1].at(1).to_number<double>(), 32);
}

// --- JSON ---

TEST(SubscriptionJson, ParsesEveryFieldAndRendersThemBackWithCounters) {
  auto spec = ngsi::parse_subscription(json(R"({
    "description": "Banjir", "subject": {"entities": [{"id": "river-01", "type": "WaterLevelObserved"},
      {"idPattern": "^aqms-", "typePattern": "^Air"}],
      "condition": {"attrs": ["waterLevel"], "expression": {"q": "waterLevel>150", "mq": "waterLevel.accuracy<1"}}},
    "notification": {"http": {"url": "https://bpbd.example.id/hook"}, "attrs": ["waterLevel"],
      "metadata": ["unitCode"], "attrsFormat": "keyValues", "maxFailsLimit": 3, "timesSent": 99},
    "expires": "2026-12-31T17:00:00+07:00", "status": "inactive", "throttling": 60, "id": "x"})"));
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  EXPECT_EQ(spec->description, "Banjir");
  ASSERT_EQ(spec->entities.size(), 2u);
  EXPECT_EQ(spec->entities[1].type_pattern, "^Air");
  EXPECT_EQ(spec->expression.at("mq"), "waterLevel.accuracy<1");
  EXPECT_EQ(spec->format, AttrsFormat::key_values);
  EXPECT_EQ(spec->max_fails_limit, 3);
  EXPECT_EQ(*spec->expires_ms, 1'798'711'200'000);  // 2026-12-31T10:00:00Z
  EXPECT_EQ(spec->status, SubscriptionStatus::inactive);
  EXPECT_EQ(spec->throttling_s, 60);
  // Stored and read back: the same definition.
  auto back = ngsi::parse_definition(ngsi::definition_json(*spec));
  ASSERT_TRUE(back.ok()) << back.error().message;
  back->status = spec->status;
  EXPECT_EQ(*back, *spec);
  Subscription s;
  s.id = "0123456789abcdef01234567";
  s.spec = *spec;
  s.counters = DeliveryCounters{5, kNow, kNow, 200, kNow - 1, "Timeout was reached", 0};
  const auto out = ngsi::subscription_json(s, kNow);
  EXPECT_EQ(out.begin()->key(), "id");
  EXPECT_EQ(out.at("status").as_string(), "inactive");
  EXPECT_EQ(out.at("expires").as_string(), "2026-12-31T10:00:00.000Z");
  const auto& n = out.at("notification").as_object();
  EXPECT_EQ(n.at("timesSent").as_int64(), 5);
  EXPECT_EQ(n.at("lastNotification").as_string(), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(n.at("lastSuccessCode").as_int64(), 200);
  EXPECT_EQ(n.at("lastFailureReason").as_string(), "Timeout was reached");
  EXPECT_EQ(n.at("maxFailsLimit").as_int64(), 3);
  EXPECT_FALSE(n.contains("failsCounter"));
  EXPECT_EQ(n.at("http").at("url").as_string(), "https://bpbd.example.id/hook");
}

// The description of a refused body.
std::string refusal(std::string_view body) {
  auto spec = ngsi::parse_subscription(json(body));
  if (spec.ok()) return "(accepted)";
  EXPECT_EQ(spec.error().code, core::ErrorCode::bad_request);
  return spec.error().message;
}

std::string with_notification(std::string_view notification) {
  return R"({"subject":{"entities":[{"id":"a"}]},"notification":)" + std::string(notification) +
         "}";
}

std::string with_subject(std::string_view subject) {
  return R"({"notification":{"http":{"url":"http://a.id/"}},"subject":)" + std::string(subject) +
         "}";
}

TEST(SubscriptionJson, RefusesMissingAndMalformedFieldsWithOrionsDescriptions) {
  EXPECT_EQ(refusal("[]"), "not a JSON object");
  EXPECT_EQ(refusal("{}"), "empty payload");
  EXPECT_EQ(refusal(R"({"notification":{"http":{"url":"http://a.id/"}}})"),
            "no subject for subscription specified");
  EXPECT_EQ(refusal(R"({"subject":{"entities":[{"id":"a"}]}})"),
            "no notification for subscription specified");
  EXPECT_EQ(refusal(with_subject("[]")), "subject is not an object");
  EXPECT_EQ(refusal(with_subject("{}")), "no subject entities specified");
  EXPECT_EQ(refusal(with_subject(R"({"entities":{}})")), "subject entities is not an array");
  EXPECT_EQ(refusal(with_subject(R"({"entities":[]})")), "subject entities is empty");
  EXPECT_EQ(refusal(with_subject(R"({"entities":[1]})")),
            "subject entities element is not an object");
  EXPECT_EQ(refusal(with_subject(R"({"entities":[{"type":"Room"}]})")),
            "subject entities element has no id nor idPattern");
  EXPECT_EQ(refusal(with_subject(R"({"entities":[{"id":"a","idPattern":"b"}]})")),
            "subject entities element has id and idPattern");
  EXPECT_EQ(refusal(with_subject(R"({"entities":[{"id":"a","type":"T","typePattern":"U"}]})")),
            "subject entities element has type and typePattern");
  EXPECT_EQ(refusal(with_subject(R"({"entities":[{"id":"a<b"}]})")),
            "Invalid characters in entity id");
  EXPECT_EQ(refusal(with_subject(R"({"entities":[{"id":7}]})")),
            "subject entities element id is not a string");
  EXPECT_EQ(refusal(with_subject(R"({"entities":[{"id":"a"}],"condition":{"attrs":"x"}})")),
            "condition attrs is not an array");
  EXPECT_EQ(
      refusal(with_subject(R"({"entities":[{"id":"a"}],"condition":{"expression":{"x":"1"}}})")),
      "unrecognized field in expression: /x/");
  EXPECT_EQ(refusal(with_notification("{}")), "notification has no http field");
  EXPECT_EQ(refusal(with_notification(R"({"http":{}})")), "http notification has no url");
  for (const char* url :
       {"ftp://a.id/", "file:///etc/passwd", "http://", "a.id/hook", "gopher://a"})
    EXPECT_NE(refusal(with_notification(std::string(R"({"http":{"url":")") + url + "\"}}"))
                  .find("Invalid notification url"),
              std::string::npos)
        << url;
  EXPECT_EQ(refusal(with_notification(R"({"httpCustom":{"url":"http://a.id/"}})")),
            "httpCustom notifications are not supported: use http");
  EXPECT_EQ(refusal(with_notification(
                R"({"http":{"url":"http://a.id/"},"attrs":["a"],"exceptAttrs":["b"]})")),
            "notification has both attrs and exceptAttrs");
  EXPECT_EQ(refusal(with_notification(R"({"http":{"url":"http://a.id/"},"attrsFormat":"legacy"})")),
            "invalid attrsFormat, accepted values: normalized, keyValues, values");
  EXPECT_EQ(refusal(with_notification(R"({"http":{"url":"http://a.id/"},"maxFailsLimit":0})")),
            "maxFailsLimit must be an integer not less than 1");
  const std::string base =
      R"({"subject":{"entities":[{"id":"a"}]},"notification":{"http":{"url":"http://a.id/"}},)";
  EXPECT_EQ(refusal(base + R"("throttling":-1})"), "throttling must be an integer not less than 0");
  EXPECT_EQ(refusal(base + R"("throttling":1.5})"),
            "throttling must be an integer not less than 0");
  EXPECT_EQ(refusal(base + R"("expires":"tomorrow"})"), "expires has an invalid format");
  EXPECT_EQ(refusal(base + R"("expires":1})"), "expires is not a string");
  EXPECT_EQ(refusal(base + R"("status":"failed"})"),
            "status is not valid: it has to be either active or inactive");
  EXPECT_EQ(refusal(base + R"("description":1})"), "description is not a string");
  EXPECT_EQ(refusal(base + R"("description":")" + std::string(1025, 'x') + "\"}"),
            "max description length exceeded");
  EXPECT_EQ(refusal(base + R"("colour":"red"})"), "unrecognized field in subscription: /colour/");
}

TEST(SubscriptionJson, UpdateReplacesTheFieldsSentOnly) {
  const auto s = subscription(kRoomsAbove30);
  auto spec = ngsi::parse_subscription_update(
      json(R"({"throttling": 10, "notification": {"http": {"url": "http://b.id/"}}})"), s.spec);
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  EXPECT_EQ(spec->throttling_s, 10);
  EXPECT_EQ(spec->url, "http://b.id/");
  EXPECT_TRUE(spec->attrs.empty());  // the notification is replaced as a whole
  EXPECT_EQ(spec->entities, s.spec.entities);
  spec = ngsi::parse_subscription_update(json(R"({"expires": "2030-01-01"})"), *spec);
  ASSERT_TRUE(spec.ok());
  EXPECT_TRUE(spec->expires_ms.has_value());
  spec = ngsi::parse_subscription_update(json(R"({"expires": null})"), *spec);
  ASSERT_TRUE(spec.ok());
  EXPECT_FALSE(spec->expires_ms.has_value());
  EXPECT_FALSE(ngsi::parse_subscription_update(json("{}"), s.spec).ok());
  EXPECT_FALSE(ngsi::parse_subscription_update(json(R"({"status":"on"})"), s.spec).ok());
}

TEST(SubscriptionIds, AreTwentyFourRandomHexDigits) {
  const std::string a = new_subscription_id();
  EXPECT_TRUE(is_subscription_id(a));
  EXPECT_NE(a, new_subscription_id());
  EXPECT_FALSE(is_subscription_id("0123456789ABCDEF01234567"));
  EXPECT_FALSE(is_subscription_id("0123"));
}

// --- The notifier ---

// A transport that records what it is asked to send and answers as told; `hold` keeps POSTs
// waiting until released.
class FakeEndpoint {
 public:
  Delivery post(const OutgoingNotification& n) {
    std::unique_lock lock(mutex_);
    sent_.push_back(n);
    changed_.notify_all();
    changed_.wait(lock, [&] { return !hold_; });
    return answer_;
  }
  void hold(bool on) {
    std::lock_guard lock(mutex_);
    hold_ = on;
    changed_.notify_all();
  }
  void answer(Delivery d) {
    std::lock_guard lock(mutex_);
    answer_ = std::move(d);
  }
  // Waits (up to a generous deadline) until `n` POSTs were made.
  bool wait_for(size_t n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return sent_.size() >= n; });
  }
  std::vector<OutgoingNotification> sent() {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<OutgoingNotification> sent_;
  bool hold_ = false;
  Delivery answer_{true, 204, "", 0};
};

bool wait_until(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

class NotifierTest : public ::testing::Test {
 protected:
  void start(size_t queue_limit = 100) {
    notifier_ = std::make_unique<Notifier>(
        NotifierSettings{2, queue_limit, 1'000}, clock_,
        [this](const OutgoingNotification& n) { return endpoint_.post(n); });
    auto s = subscription(R"({"subject":{"entities":[{"idPattern":".*","type":"Room"}]},
                             "notification":{"http":{"url":"http://a.id/"},"maxFailsLimit":2}})");
    s.scope.service = "kota";
    ASSERT_TRUE(notifier_->put(s).ok());
  }
  void write(const std::string& id, double t) {
    Entity e = room(id, t, "/gedung");
    e.scope.service = "kota";
    notifier_->on_changes({change(e)});
  }
  core::ManualClock clock_{core::Timestamp{kNow}};
  FakeEndpoint endpoint_;
  std::unique_ptr<Notifier> notifier_;
};

TEST_F(NotifierTest, PostsWithTheTenantHeadersAndCoalescesWhileOneIsInFlight) {
  start();
  endpoint_.hold(true);
  write("room-1", 20);
  ASSERT_TRUE(endpoint_.wait_for(1));
  // While the first POST hangs, three changes of two rooms wait as two entities.
  write("room-1", 21);
  write("room-2", 30);
  write("room-1", 22);
  endpoint_.hold(false);
  ASSERT_TRUE(endpoint_.wait_for(2));
  ASSERT_TRUE(wait_until([&] { return notifier_->idle(); }));
  const auto sent = endpoint_.sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].service, "kota");
  EXPECT_EQ(sent[0].service_paths, "/gedung");
  EXPECT_EQ(sent[0].url, "http://a.id/");
  const auto body = json(sent[1].body);
  ASSERT_EQ(body.at("data").as_array().size(), 2u);
  EXPECT_EQ(body.at("data").at(0).at("temperature").at("value").as_double(), 22);
  EXPECT_EQ(body.at("data").at(1).at("id").as_string(), "room-2");
  Subscription s;
  s.key = 1;
  notifier_->overlay(s);
  EXPECT_EQ(s.counters.times_sent, 2);
  EXPECT_EQ(s.counters.last_success_code, 204);
}

TEST_F(NotifierTest, DropsAndCountsWhatExceedsTheQueue) {
  start(/*queue_limit=*/1);
  endpoint_.hold(true);
  write("room-1", 20);
  ASSERT_TRUE(endpoint_.wait_for(1));
  write("room-2", 20);  // waits
  write("room-3", 20);  // no room left
  write("room-2", 21);  // coalesced with the waiting one: no room needed
  EXPECT_EQ(notifier_->stats().dropped, 1);
  endpoint_.hold(false);
  ASSERT_TRUE(wait_until([&] { return notifier_->idle(); }));
  EXPECT_EQ(endpoint_.sent().size(), 2u);
}

TEST_F(NotifierTest, AFailingEndpointStopsTheSubscriptionAtItsLimitAndTheDeltasSayWhy) {
  start();
  endpoint_.answer(Delivery{false, 0, "Couldn't connect to server", 0});
  write("room-1", 20);
  ASSERT_TRUE(endpoint_.wait_for(1));
  ASSERT_TRUE(wait_until([&] { return notifier_->idle(); }));
  write("room-1", 21);
  ASSERT_TRUE(endpoint_.wait_for(2));
  ASSERT_TRUE(wait_until([&] { return notifier_->idle(); }));
  write("room-1", 22);  // stopped: not sent
  EXPECT_TRUE(notifier_->idle());
  EXPECT_EQ(endpoint_.sent().size(), 2u);
  const auto deltas = notifier_->take_deltas();
  ASSERT_EQ(deltas.size(), 1u);
  EXPECT_EQ(deltas[0].sent, 2);
  EXPECT_EQ(deltas[0].fails, 2);
  EXPECT_TRUE(deltas[0].stopped);
  EXPECT_EQ(deltas[0].last_failure_reason, "Couldn't connect to server");
  EXPECT_TRUE(notifier_->take_deltas().empty());
  notifier_->restore(deltas);  // a failed flush keeps them for the next
  EXPECT_EQ(notifier_->take_deltas().size(), 1u);
}

TEST(CounterDelta, AppliesToStoredCountersAsAFlushDoes) {
  Subscription s;
  s.counters.times_sent = 10;
  s.counters.fails_counter = 3;
  s.counters.last_success_ms = kNow;
  CounterDelta d;
  d.sent = 2;
  d.fails = 1;
  apply_delta(d, s);
  EXPECT_EQ(s.counters.times_sent, 12);
  EXPECT_EQ(s.counters.fails_counter, 4);
  d.fails_reset = true;
  d.last_success_ms = kNow - 1;  // older than the stored one: kept
  apply_delta(d, s);
  EXPECT_EQ(s.counters.fails_counter, 1);
  EXPECT_EQ(s.counters.last_success_ms, kNow);
  d.stopped = true;
  apply_delta(d, s);
  EXPECT_EQ(s.spec.status, SubscriptionStatus::failed);
}

TEST(NotificationUrl, OnlyHttpAndHttpsWithAHost) {
  EXPECT_TRUE(is_notification_url("http://127.0.0.1:8080/notify?x=1"));
  EXPECT_TRUE(is_notification_url("https://bpbd.madiunkota.go.id/ngsi"));
  EXPECT_FALSE(is_notification_url("ftp://a.id/"));
  EXPECT_FALSE(is_notification_url("bpbd.madiunkota.go.id/ngsi"));
  EXPECT_FALSE(is_notification_url("http:///path"));
  EXPECT_FALSE(is_notification_url("not a url"));
}

// --- The store, on both backends ---

class SubscriptionStoreTest : public balai::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped()) return;
    // The context's tables and the subscriptions' only: later migrations need other modules'.
    std::vector<db::Migration> needed;
    for (auto& m : migrations())
      if (m.version <= 2) needed.push_back(std::move(m));
    auto migrated = db::migrate(db(), needed);
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    store_ = std::make_unique<SubscriptionStore>(db());
  }
  Subscription insert(std::string owner) {
    Subscription s = subscription(kRoomsAbove30);
    s.id = new_subscription_id();
    s.owner = std::move(owner);
    s.created_ms = s.modified_ms = kNow;
    auto status = db().transact([&](db::Connection& c) -> core::Status {
      auto key = store_->insert(c, s);
      if (!key) return key.take_error();
      s.key = *key;
      return {};
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    return s;
  }
  std::unique_ptr<SubscriptionStore> store_;
};

TEST_P(SubscriptionStoreTest, WritesReadsFlushesAndDeletes) {
  const Subscription a = insert("tok-a");
  insert("tok-b");
  auto found = store_->find("", a.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->spec, a.spec);
  EXPECT_EQ((*found)->owner, "tok-a");
  EXPECT_EQ(store_->list("", "").value().size(), 2u);
  EXPECT_EQ(store_->list("", "tok-b").value().size(), 1u);
  EXPECT_TRUE(store_->list("kota", "").value().empty());
  EXPECT_FALSE(store_->find("kota", a.id).value().has_value());

  CounterDelta d{a.key, 3, kNow, kNow, 201, kNow - 5, "Timeout was reached", 2, false, true};
  ASSERT_TRUE(store_->flush({d}).ok());
  d = CounterDelta{a.key, 1, kNow - 10, 0, 0, 0, "", 1, false, false};  // an older time
  ASSERT_TRUE(store_->flush({d}).ok());
  auto s = store_->find("", a.id).value().value();
  EXPECT_EQ(s.counters.times_sent, 4);
  EXPECT_EQ(s.counters.last_notification_ms, kNow);
  EXPECT_EQ(s.counters.last_success_code, 201);
  EXPECT_EQ(s.counters.last_failure_reason, "Timeout was reached");
  EXPECT_EQ(s.counters.fails_counter, 3);
  EXPECT_EQ(s.spec.status, SubscriptionStatus::failed);

  s.spec.status = SubscriptionStatus::active;
  s.spec.throttling_s = 9;
  ASSERT_TRUE(db().transact([&](db::Connection& c) { return store_->update(c, s, true); }).ok());
  s = store_->find("", a.id).value().value();
  EXPECT_EQ(s.spec.throttling_s, 9);
  EXPECT_EQ(s.spec.status, SubscriptionStatus::active);
  EXPECT_EQ(s.counters.fails_counter, 0);
  ASSERT_TRUE(db().transact([&](db::Connection& c) { return store_->remove(c, s.key); }).ok());
  EXPECT_EQ(store_->all().value().size(), 1u);
}

BALAI_INSTANTIATE_DATABASE_TESTS(SubscriptionStoreTest);

}  // namespace
}  // namespace balai::city
