// Two Balai instances on one database and one Mosquitto broker (DESIGN.md "Scale"): a change
// written on either instance reaches the live streams of both, exactly once each.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/city/mqtt_bridge.h"
#include "modules/city/service.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_inbox.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

const security::Actor kAdmin{
    "test-admin", security::Role::admin, "", security::AuthMethod::session, "", {}};

size_t occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class CityInstances : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!MosquittoBroker::available()) GTEST_SKIP() << "mosquitto is not installed";
    broker_ = std::make_unique<MosquittoBroker>();  // anonymous, as on a private network
    const std::string url = "mqtt://127.0.0.1:" + std::to_string(broker_->port());
    a_ = std::make_unique<ServerHarness>(
        [&](core::Config& c) {
          c.sensors.mqtt_url = url;
          c.sensors.mqtt_user = "";
        },
        std::string{}, /*seed_demo=*/false);
    // The second instance shares the first one's database and key ring.
    const std::string db = "sqlite:" + a_->data_dir() + "/balai.db";
    const std::string keyring = a_->runtime().app().config.keyring_path();
    b_ = std::make_unique<ServerHarness>(
        [&](core::Config& c) {
          c.sensors.mqtt_url = url;
          c.sensors.mqtt_user = "";
          c.security.keyring_file = keyring;
        },
        db, /*seed_demo=*/false);
    for (ServerHarness* s : {a_.get(), b_.get()}) {
      city::MqttBridge* bridge = city::mqtt_bridge_of(s->runtime().app());
      ASSERT_NE(bridge, nullptr);
      ASSERT_TRUE(eventually([&] { return bridge->connected(); })) << broker_->log();
    }
    ASSERT_NE(city::mqtt_bridge_of(a_->runtime().app())->instance(),
              city::mqtt_bridge_of(b_->runtime().app())->instance());
  }

  static city::ContextService& context(ServerHarness& s) {
    return city::service_of(s.runtime().app());
  }

  static void write(ServerHarness& s, const std::string& id, int64_t level) {
    city::EntityChange c;
    c.id = id;
    c.type = "WaterLevelObserved";
    c.attrs["waterLevel"] = city::Attribute{"Number", level, {}};
    auto done = context(s).apply(kAdmin, {}, {c}, city::UpdateMode::append);
    ASSERT_TRUE(done.ok()) << done.error().message;
  }

  // A live stream on an instance, registered before anything is written.
  static std::unique_ptr<RawClient> open_stream(ServerHarness& s) {
    auto& streams = s.runtime().app().streams;
    const size_t before = streams.open();
    auto c = std::make_unique<RawClient>(s.port());
    EXPECT_TRUE(c->write("GET /api/v1/city/stream HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_TRUE(c->read_until("retry: 3000\n\n"));
    EXPECT_TRUE(eventually([&] { return streams.open() > before; }));
    return c;
  }

  std::unique_ptr<MosquittoBroker> broker_;
  std::unique_ptr<ServerHarness> a_;
  std::unique_ptr<ServerHarness> b_;
};

TEST_F(CityInstances, EveryInstancesStreamsSeeEveryChangeOnce) {
  auto on_a = open_stream(*a_);
  auto on_b = open_stream(*b_);
  // An instance subscribes a moment after it connects (the broker's SUBACK): probe each way
  // until the other side has seen a change, so that nothing below is published too early.
  int probe = 0;
  auto probe_until_seen = [&](ServerHarness& from, RawClient& seen_by) {
    return eventually([&] {
      write(from, "probe", ++probe);
      return seen_by.read_until("\"waterLevel\":" + std::to_string(probe) + "}",
                                std::chrono::milliseconds(200));
    });
  };
  ASSERT_TRUE(probe_until_seen(*a_, *on_b)) << on_b->received();
  ASSERT_TRUE(probe_until_seen(*b_, *on_a)) << on_a->received();

  city::EntityChange river;
  river.id = "kali-madiun-01";
  river.type = "WaterLevelObserved";
  ASSERT_TRUE(context(*a_).create(kAdmin, {}, river, false).ok());
  ASSERT_TRUE(on_b->read_until("\"id\":\"kali-madiun-01\"")) << on_b->received();

  write(*a_, "kali-madiun-01", 151);
  ASSERT_TRUE(on_b->read_until("\"waterLevel\":151")) << on_b->received();
  ASSERT_TRUE(on_a->read_until("\"waterLevel\":151")) << on_a->received();

  write(*b_, "kali-madiun-01", 162);
  ASSERT_TRUE(on_a->read_until("\"waterLevel\":162")) << on_a->received();
  ASSERT_TRUE(on_b->read_until("\"waterLevel\":162")) << on_b->received();

  // A last marker from each side; by then any echo of the earlier changes would have arrived.
  write(*a_, "kali-madiun-01", 170);
  write(*b_, "kali-madiun-01", 171);
  for (RawClient* c : {on_a.get(), on_b.get()}) {
    ASSERT_TRUE(c->read_until("\"waterLevel\":171")) << c->received();
    ASSERT_TRUE(c->read_until("\"waterLevel\":170")) << c->received();
    EXPECT_EQ(occurrences(c->received(), "\"waterLevel\":151"), 1u) << c->received();
    EXPECT_EQ(occurrences(c->received(), "\"waterLevel\":162"), 1u) << c->received();
  }
  EXPECT_GE(city::mqtt_bridge_of(b_->runtime().app())->counters().received, 2u);
  EXPECT_EQ(city::mqtt_bridge_of(a_->runtime().app())->counters().foreign, 0u);
}

}  // namespace
}  // namespace balai::testing
