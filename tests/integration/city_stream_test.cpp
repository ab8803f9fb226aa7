// GET /api/v1/city/stream over real sockets: changes arrive as Server-Sent Events, filtered by
// type and area, non-public types only for authenticated clients, and a reconnecting client
// resumes after its Last-Event-ID (or is told to reload when that is gone).
#include <gtest/gtest.h>

#include <regex>

#include "modules/city/service.h"
#include "security/api_tokens.h"
#include "support/auth_helpers.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

const security::Actor kAdmin{
    "test-admin", security::Role::admin, "", security::AuthMethod::session, "", {}};

class CityStream : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerHarness>([](core::Config&) {}, std::string{}, false);
    // A river gauge and an air station with places, and a panic button (not public).
    add("kali-madiun-01", "WaterLevelObserved", "-7.6200, 111.5200");
    add("aqms-taman", "AirQualityObserved", "-7.6500, 111.5000");
    add("panic-alun-alun", "SecurityIncident", "-7.6290, 111.5240");
  }

  app::App& app() { return server_->runtime().app(); }
  city::ContextService& context() { return city::service_of(app()); }

  void add(const std::string& id, const std::string& type, const std::string& point) {
    city::EntityChange c;
    c.id = id;
    c.type = type;
    c.attrs["location"] = city::Attribute{"geo:point", boost::json::value(point), {}};
    auto created = context().create(kAdmin, {}, c, false);
    ASSERT_TRUE(created.ok()) << created.error().message;
  }

  void write(const std::string& id, const std::string& attr, boost::json::value value) {
    city::EntityChange c;
    c.id = id;
    c.attrs[attr] = city::Attribute{"", std::move(value), {}};
    auto done = context().apply(kAdmin, {}, {c}, city::UpdateMode::append);
    ASSERT_TRUE(done.ok()) << done.error().message;
  }

  // Opens a stream and waits until the server has registered it.
  std::unique_ptr<RawClient> open(const std::string& query, const std::string& extra = "") {
    const size_t before = app().streams.open();
    auto c = std::make_unique<RawClient>(server_->port());
    EXPECT_TRUE(
        c->write("GET /api/v1/city/stream" + query + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n"));
    EXPECT_TRUE(c->read_until("retry: 3000\n\n"));
    for (int i = 0; i < 500 && app().streams.open() <= before; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return c;
  }

  std::unique_ptr<ServerHarness> server_;
};

TEST_F(CityStream, SendsEachChangeAsAnEventWithItsValues) {
  auto c = open("");
  EXPECT_NE(c->received().find("Content-Type: text/event-stream"), std::string::npos);
  write("kali-madiun-01", "waterLevel", 152);
  ASSERT_TRUE(c->read_until("\"id\":\"kali-madiun-01\"")) << c->received();
  ASSERT_TRUE(c->read_until("\n\n"));
  const std::string& got = c->received();
  EXPECT_NE(got.find("event: change\n"), std::string::npos);
  EXPECT_NE(got.find("\"waterLevel\":152"), std::string::npos) << got;
  EXPECT_NE(got.find("\"changed\":[\"waterLevel\"]"), std::string::npos);
  EXPECT_TRUE(std::regex_search(got, std::regex("id: [0-9]+-[0-9]+\n"))) << got;
}

TEST_F(CityStream, FiltersByTypeAndAreaAndHidesNonPublicTypesFromAnonymousClients) {
  auto air_only = open("?type=AirQualityObserved");
  auto north = open("?area=-7.6300,111.4800,-7.5700,111.5700");  // the river, not Taman
  auto anonymous = open("");
  auto token = server_->runtime().security().tokens.create(
      security::NewApiToken{"command centre", security::Role::integrator, "", {}},
      app().clock.now());
  ASSERT_TRUE(token.ok());
  auto staff = open("", "Authorization: Bearer " + token->token + "\r\n");

  write("panic-alun-alun", "category", "panic");
  write("kali-madiun-01", "waterLevel", 140);
  write("aqms-taman", "pm25", 35);  // last: once it arrives, everything before it has

  ASSERT_TRUE(air_only->read_until("\"id\":\"aqms-taman\""));
  EXPECT_EQ(air_only->received().find("kali-madiun-01"), std::string::npos);
  ASSERT_TRUE(north->read_until("\"id\":\"kali-madiun-01\""));
  ASSERT_TRUE(anonymous->read_until("\"id\":\"aqms-taman\""));
  EXPECT_EQ(anonymous->received().find("panic-alun-alun"), std::string::npos);
  ASSERT_TRUE(staff->read_until("\"id\":\"aqms-taman\""));
  EXPECT_NE(staff->received().find("panic-alun-alun"), std::string::npos);
  // The area stream saw the river and the panic button's place is public-only filtered out.
  write("kali-madiun-01", "waterLevel", 141);
  ASSERT_TRUE(north->read_until("\"waterLevel\":141"));
  EXPECT_EQ(north->received().find("aqms-taman"), std::string::npos);
}

// A citizen's session is not a staff one: the panic buttons stay with the command centre.
TEST(CityStreamPeople, CitizensSeeThePublicTypesOnlyAndOfficersEveryType) {
  ServerHarness server([](core::Config&) {}, std::string{}, /*seed_demo=*/true);
  app::App& app = server.runtime().app();
  auto open_as = [&](const std::string& token) {
    const size_t before = app.streams.open();
    auto c = std::make_unique<RawClient>(server.port());
    EXPECT_TRUE(c->write("GET /api/v1/city/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                         token + "\r\n\r\n"));
    EXPECT_TRUE(c->read_until("retry: 3000\n\n"));
    for (int i = 0; i < 500 && app.streams.open() <= before; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return c;
  };
  auto citizen = open_as(sign_in_bearer(server, kDemoCitizenLogin, kDemoCitizenPassword));
  auto officer = open_as(sign_in_bearer(server, kDemoOfficerLogin, kDemoOfficerPassword));
  auto write = [&](const std::string& id, const std::string& attr, boost::json::value v) {
    city::EntityChange c;
    c.id = id;
    c.attrs[attr] = city::Attribute{"", std::move(v), {}};
    auto done = city::service_of(app).apply(kAdmin, {}, {c}, city::UpdateMode::append);
    ASSERT_TRUE(done.ok()) << done.error().message;
  };
  write("panik-alun-alun", "category", "panic");
  write("kali-madiun-hilir", "waterLevel", 133);  // last: once it arrives, the other has
  ASSERT_TRUE(citizen->read_until("\"waterLevel\":133")) << citizen->received();
  EXPECT_EQ(citizen->received().find("panik-alun-alun"), std::string::npos);
  ASSERT_TRUE(officer->read_until("\"waterLevel\":133")) << officer->received();
  EXPECT_NE(officer->received().find("panik-alun-alun"), std::string::npos);
}

TEST_F(CityStream, AReconnectingClientGetsWhatItMissedOrIsToldToReload) {
  auto first = open("");
  write("kali-madiun-01", "waterLevel", 100);
  ASSERT_TRUE(first->read_until("\"waterLevel\":100"));
  std::smatch m;
  const std::string seen = first->received();
  ASSERT_TRUE(std::regex_search(seen, m, std::regex("id: ([0-9]+-[0-9]+)\n")));
  const std::string last_id = m[1];
  first.reset();  // the phone lost its signal

  write("kali-madiun-01", "waterLevel", 120);  // missed while away
  auto again = open("", "Last-Event-ID: " + last_id + "\r\n");
  ASSERT_TRUE(again->read_until("\"waterLevel\":120")) << again->received();
  EXPECT_EQ(again->received().find("\"waterLevel\":100"), std::string::npos);

  auto stale = open("", "Last-Event-ID: 12345-7\r\n");  // before a restart
  EXPECT_TRUE(stale->read_until("event: reset\n"));
}

TEST_F(CityStream, RefusesBadFilters) {
  EXPECT_EQ(server_->get("/api/v1/city/stream?area=nowhere").status, 422);
  EXPECT_EQ(server_->get("/api/v1/city/stream?area=-7.5,111.6,-7.6,111.4").status, 422);
  EXPECT_EQ(server_->get("/api/v1/city/stream?type=,").status, 422);
  std::string many = "/api/v1/city/stream?type=";
  for (int i = 0; i < 21; ++i) many += (i ? ",T" : "T") + std::to_string(i);
  EXPECT_EQ(server_->get(many).status, 422);
}

}  // namespace
}  // namespace balai::testing
