// The NGSI-v2 API (/v2, FIWARE Orion's) over real HTTP on both backends, case by case against the
// specification (https://fiware.github.io/specifications/ngsiv2/stable/) and Orion's answers:
// every route's happy path field by field, every error status with Orion's error name, the
// query language and geography through the URL, the representation options, paging with
// Fiware-Total-Count, batches (each action, all or nothing), tenants and service paths, device
// isolation, the public/non-public split for anonymous readers, and range checks of known types.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/city/service.h"
#include "security/api_tokens.h"
#include "support/auth_helpers.h"
#include "support/databases.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

using Headers = std::map<std::string, std::string>;

boost::json::value parse(const HttpReply& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  return ec ? boost::json::value(nullptr) : v;
}

// The body of an NGSI error has exactly "error" and "description".
::testing::AssertionResult is_error(const HttpReply& r, int status, std::string_view name) {
  const auto body = parse(r);
  if (r.status != status)
    return ::testing::AssertionFailure()
           << "status " << r.status << " (want " << status << "): " << r.body;
  if (!body.is_object() || body.as_object().size() != 2 || !body.as_object().contains("error") ||
      !body.as_object().contains("description"))
    return ::testing::AssertionFailure() << "not an NGSI error body: " << r.body;
  if (body.at("error").as_string() != name)
    return ::testing::AssertionFailure()
           << "error " << body.at("error") << " (want " << name << ")";
  if (r.header("content-type") != "application/json")
    return ::testing::AssertionFailure() << "content type " << r.header("content-type");
  return ::testing::AssertionSuccess();
}

std::string description(const HttpReply& r) {
  const auto body = parse(r);
  return body.is_object() && body.as_object().contains("description")
             ? std::string(body.at("description").as_string())
             : std::string();
}

class Ngsi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    server_ = std::make_unique<ServerHarness>([](core::Config&) {}, url, seed_demo());
    auto token = server_->runtime().security().tokens.create(
        security::NewApiToken{"NGSI bridge", security::Role::integrator, "", {}},
        app().clock.now());
    ASSERT_TRUE(token.ok());
    integrator_ = token->token;
    auto river = context().add_device("WaterLevelObserved", "kali-madiun-01", "dpupr");
    ASSERT_TRUE(river.ok()) << river.error().message;
    river_ = river->token;
    auto air = context().add_device("AirQualityObserved", "aqms-taman", "dlh");
    ASSERT_TRUE(air.ok()) << air.error().message;
    air_ = air->token;
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  // The demo's people (staff and a citizen) are needed by some tests only: seeding costs time.
  virtual bool seed_demo() const { return false; }

  app::App& app() { return server_->runtime().app(); }
  city::ContextService& context() { return city::service_of(app()); }

  // A request as `token` (empty: anonymous); a body is sent as JSON unless headers say else.
  HttpReply call(const std::string& token, const std::string& method, const std::string& target,
                 const std::string& body = {}, Headers headers = {}) {
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    if (!body.empty() && !headers.contains("Content-Type"))
      headers["Content-Type"] = "application/json";
    return server_->send(method, target, body, headers);
  }
  HttpReply get(const std::string& target, Headers headers = {}) {
    return call("", "GET", target, {}, std::move(headers));
  }
  HttpReply admin(const std::string& method, const std::string& target,
                  const std::string& body = {}, Headers headers = {}) {
    return call(integrator_, method, target, body, std::move(headers));
  }
  void create(const std::string& body, Headers headers = {}) {
    const auto r = admin("POST", "/v2/entities", body, std::move(headers));
    ASSERT_EQ(r.status, 201) << body << " -> " << r.body;
  }
  // Rooms r1..rN of type Room, temperature 20 + i, in one batch.
  void rooms(int n) {
    std::string entities;
    for (int i = 1; i <= n; ++i)
      entities += std::string(i > 1 ? "," : "") + R"({"id":"r)" + std::to_string(i) +
                  R"(","type":"Room","temperature":{"value":)" + std::to_string(20 + i) + "}}";
    const auto r =
        admin("POST", "/v2/op/update", R"({"actionType":"append","entities":[)" + entities + "]}");
    ASSERT_EQ(r.status, 204) << r.body;
  }
  // The ids of a list answer, in order.
  static std::vector<std::string> ids(const HttpReply& r) {
    std::vector<std::string> out;
    const auto body = parse(r);
    if (!body.is_array()) return out;
    for (const auto& e : body.as_array()) out.emplace_back(e.at("id").as_string());
    return out;
  }
  // An entity as stored, by id, in the default service (any path); null when absent.
  std::optional<city::Entity> stored(const std::string& id, const std::string& service = "") {
    auto e = context().find(service, city::PathFilter{{}, {"/"}}, id);
    EXPECT_TRUE(e.ok());
    return e.ok() ? *e : std::nullopt;
  }

  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
  std::string integrator_;
  std::string river_;
  std::string air_;
};

constexpr const char* kRoom = R"({"id":"Room1","type":"Room",
  "temperature":{"value":23,"metadata":{"accuracy":{"value":0.5},"unitCode":{"type":"Text","value":"CEL"}}},
  "name":{"value":"Ruang rapat"},
  "open":{"value":true},
  "tags":{"value":["rapat","lantai-2"]},
  "location":{"type":"geo:point","value":"-7.6298, 111.5239","metadata":{"crs":{"value":"WGS84"}}}})";

// --- Entry point, create and read ---

TEST_P(Ngsi, EntryPointListsTheResources) {
  const auto r = get("/v2");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
  const auto body = parse(r);
  EXPECT_EQ(body.at("entities_url").as_string(), "/v2/entities");
  EXPECT_EQ(body.at("types_url").as_string(), "/v2/types");
}

TEST_P(Ngsi, CreateAnswers201WithLocationAndTheEntityReadsBackFieldByField) {
  const auto r = admin("POST", "/v2/entities", kRoom);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("location"), "/v2/entities/Room1?type=Room");
  EXPECT_TRUE(r.body.empty());

  const auto got = get("/v2/entities/Room1");
  ASSERT_EQ(got.status, 200) << got.body;
  const auto e = parse(got);
  EXPECT_EQ(e.at("id").as_string(), "Room1");
  EXPECT_EQ(e.at("type").as_string(), "Room");
  EXPECT_EQ(e.as_object().size(), 7u);  // id, type and five attributes
  const auto& t = e.at("temperature");
  EXPECT_EQ(t.at("type").as_string(), "Number");  // default type of a number
  EXPECT_EQ(t.at("value").to_number<double>(), 23);
  EXPECT_EQ(t.at("metadata").at("accuracy").at("type").as_string(), "Number");
  EXPECT_EQ(t.at("metadata").at("accuracy").at("value").to_number<double>(), 0.5);
  EXPECT_EQ(t.at("metadata").at("unitCode").at("value").as_string(), "CEL");
  EXPECT_EQ(e.at("name").at("type").as_string(), "Text");
  EXPECT_EQ(e.at("name").at("value").as_string(), "Ruang rapat");
  EXPECT_TRUE(e.at("name").at("metadata").as_object().empty());
  EXPECT_EQ(e.at("open").at("type").as_string(), "Boolean");
  EXPECT_EQ(e.at("tags").at("type").as_string(), "StructuredValue");
  EXPECT_EQ(e.at("tags").at("value").as_array().size(), 2u);
  EXPECT_EQ(e.at("location").at("type").as_string(), "geo:point");
  EXPECT_EQ(e.at("location").at("metadata").at("crs").at("type").as_string(), "Text");

  // With the type; as keyValues; as values in the attrs' order; one attribute; one metadata.
  EXPECT_EQ(get("/v2/entities/Room1?type=Room").status, 200);
  EXPECT_TRUE(is_error(get("/v2/entities/Room1?type=Office"), 404, "NotFound"));
  const auto kv = parse(get("/v2/entities/Room1?options=keyValues"));
  EXPECT_EQ(kv.at("temperature").to_number<double>(), 23);
  EXPECT_EQ(kv.at("name").as_string(), "Ruang rapat");
  EXPECT_EQ(kv.at("id").as_string(), "Room1");
  EXPECT_EQ(parse(get("/v2/entities/Room1?options=values&attrs=name,temperature")),
            boost::json::parse(R"(["Ruang rapat",23])"));
  const auto only = parse(get("/v2/entities/Room1?attrs=temperature&metadata=unitCode"));
  EXPECT_EQ(only.as_object().size(), 3u);
  EXPECT_EQ(only.at("temperature").at("metadata").as_object().size(), 1u);
  EXPECT_TRUE(only.at("temperature").at("metadata").as_object().contains("unitCode"));
  // Builtins only when asked, "*" for the user attributes beside them.
  const auto dates = parse(get("/v2/entities/Room1?attrs=dateCreated,dateModified,*"));
  EXPECT_EQ(dates.at("dateCreated").at("type").as_string(), "DateTime");
  EXPECT_TRUE(dates.as_object().contains("temperature"));
  EXPECT_FALSE(parse(get("/v2/entities/Room1")).as_object().contains("dateCreated"));

  // GET .../attrs: the same without id and type.
  const auto attrs = parse(get("/v2/entities/Room1/attrs"));
  EXPECT_FALSE(attrs.as_object().contains("id"));
  EXPECT_FALSE(attrs.as_object().contains("type"));
  EXPECT_EQ(attrs.at("temperature").at("value").to_number<double>(), 23);
}

TEST_P(Ngsi, CreateWithoutTypeIsAThingAndKeyValuesBodiesAreTyped) {
  const auto r = admin("POST", "/v2/entities?options=keyValues",
                       R"({"id":"Lamp-7","power":60,"on":false,"label":"gerbang"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("location"), "/v2/entities/Lamp-7?type=Thing");
  const auto e = parse(get("/v2/entities/Lamp-7"));
  EXPECT_EQ(e.at("type").as_string(), "Thing");
  EXPECT_EQ(e.at("power").at("type").as_string(), "Number");
  EXPECT_EQ(e.at("on").at("type").as_string(), "Boolean");
  EXPECT_EQ(e.at("label").at("type").as_string(), "Text");
}

TEST_P(Ngsi, CreatingAnExistingEntityIs422AndUpsertUpdatesIt) {
  create(R"({"id":"Room1","type":"Room","temperature":{"value":23}})");
  const auto again = admin("POST", "/v2/entities", R"({"id":"Room1","type":"Room"})");
  EXPECT_TRUE(is_error(again, 422, "Unprocessable"));
  EXPECT_EQ(description(again), "Already Exists");

  const auto upsert = admin("POST", "/v2/entities?options=upsert",
                            R"({"id":"Room1","type":"Room","humidity":{"value":60}})");
  ASSERT_EQ(upsert.status, 204) << upsert.body;
  EXPECT_EQ(upsert.header("location"), "/v2/entities/Room1?type=Room");
  const auto e = stored("Room1");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->attrs.at("humidity").value.to_number<double>(), 60);
  EXPECT_EQ(e->attrs.at("temperature").value.to_number<double>(), 23);  // appended, not replaced
  // Upsert of a new entity creates it.
  EXPECT_EQ(admin("POST", "/v2/entities?options=upsert", R"({"id":"Room2","type":"Room"})").status,
            204);
  EXPECT_TRUE(stored("Room2"));
}

// --- Lists and queries ---

TEST_P(Ngsi, ListsFilterByIdTypeAndPatterns) {
  rooms(3);
  create(R"({"id":"Office1","type":"Office","temperature":{"value":30}})");
  EXPECT_EQ(ids(get("/v2/entities?type=Room")), (std::vector<std::string>{"r1", "r2", "r3"}));
  EXPECT_EQ(ids(get("/v2/entities?id=r2,Office1")), (std::vector<std::string>{"r2", "Office1"}));
  EXPECT_EQ(ids(get("/v2/entities?idPattern=%5Er%5B13%5D$")),
            (std::vector<std::string>{"r1", "r3"}));
  EXPECT_EQ(ids(get("/v2/entities?typePattern=%5EOff")), (std::vector<std::string>{"Office1"}));
  // The devices' entities are there too (public types), without attributes yet.
  EXPECT_EQ(ids(get("/v2/entities?type=WaterLevelObserved")),
            (std::vector<std::string>{"kali-madiun-01"}));
  EXPECT_TRUE(is_error(get("/v2/entities?id=r1&idPattern=r"), 400, "BadRequest"));
  EXPECT_TRUE(is_error(get("/v2/entities?type="), 400, "BadRequest"));
  EXPECT_TRUE(is_error(get("/v2/entities?idPattern=(a"), 400, "BadRequest"));
}

TEST_P(Ngsi, SimpleQueryLanguageThroughTheUrl) {
  rooms(5);  // 21..25
  create(
      R"({"id":"Office1","type":"Office","temperature":{"value":30},"name":{"value":"Kantor Camat"},
             "address":{"value":{"city":"Madiun","district":"Taman"}}})");
  EXPECT_EQ(ids(get("/v2/entities?q=temperature%3E23;temperature%3C30")),
            (std::vector<std::string>{"r4", "r5"}));
  EXPECT_EQ(ids(get("/v2/entities?q=temperature==21,25")), (std::vector<std::string>{"r1", "r5"}));
  EXPECT_EQ(ids(get("/v2/entities?q=temperature==22..23")), (std::vector<std::string>{"r2", "r3"}));
  EXPECT_EQ(ids(get("/v2/entities?q=name~=Camat")), (std::vector<std::string>{"Office1"}));
  EXPECT_EQ(ids(get("/v2/entities?q=address.city==Madiun")), (std::vector<std::string>{"Office1"}));
  EXPECT_EQ(ids(get("/v2/entities?q=name")), (std::vector<std::string>{"Office1"}));
  EXPECT_EQ(ids(get("/v2/entities?type=Room&q=!name")).size(), 5u);
  const auto bad = get("/v2/entities?q=temperature%3E");
  EXPECT_TRUE(is_error(bad, 400, "BadRequest"));
  EXPECT_NE(description(bad).find("invalid query"), std::string::npos);
}

TEST_P(Ngsi, MetadataQueriesThroughTheUrl) {
  create(
      R"({"id":"s1","type":"Sensor","pm25":{"value":30,"metadata":{"accuracy":{"value":0.9}}}})");
  create(
      R"({"id":"s2","type":"Sensor","pm25":{"value":31,"metadata":{"accuracy":{"value":0.4}}}})");
  EXPECT_EQ(ids(get("/v2/entities?mq=pm25.accuracy%3E0.5")), (std::vector<std::string>{"s1"}));
  EXPECT_EQ(ids(get("/v2/entities?mq=pm25.accuracy")), (std::vector<std::string>{"s1", "s2"}));
}

TEST_P(Ngsi, PagesOfTwentyByDefaultAtMostAThousandWithTheTotalCount) {
  rooms(25);
  const auto first = get("/v2/entities?type=Room&options=count");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(ids(first).size(), 20u);
  EXPECT_EQ(first.header("fiware-total-count"), "25");
  const auto rest = get("/v2/entities?type=Room&offset=20&options=count");
  EXPECT_EQ(ids(rest), (std::vector<std::string>{"r21", "r22", "r23", "r24", "r25"}));
  EXPECT_EQ(rest.header("fiware-total-count"), "25");
  EXPECT_TRUE(get("/v2/entities?type=Room").header("fiware-total-count").empty());
  EXPECT_EQ(ids(get("/v2/entities?type=Room&limit=2&offset=3")),
            (std::vector<std::string>{"r4", "r5"}));
  EXPECT_TRUE(ids(get("/v2/entities?type=Room&offset=100")).empty());
  EXPECT_EQ(ids(get("/v2/entities?type=Room&limit=1000")).size(), 25u);
  const auto too_many = get("/v2/entities?limit=1001");
  EXPECT_TRUE(is_error(too_many, 400, "BadRequest"));
  EXPECT_EQ(description(too_many), "Bad pagination limit: /1001/ [max: 1000]");
  EXPECT_TRUE(is_error(get("/v2/entities?limit=0"), 400, "BadRequest"));
  EXPECT_TRUE(is_error(get("/v2/entities?offset=-1"), 400, "BadRequest"));
}

TEST_P(Ngsi, OrderByAttributesAndReverse) {
  rooms(3);
  EXPECT_EQ(ids(get("/v2/entities?type=Room&orderBy=!temperature")),
            (std::vector<std::string>{"r3", "r2", "r1"}));
  EXPECT_EQ(ids(get("/v2/entities?type=Room&orderBy=temperature")),
            (std::vector<std::string>{"r1", "r2", "r3"}));
  EXPECT_EQ(ids(get("/v2/entities?type=Room&orderBy=!id")),
            (std::vector<std::string>{"r3", "r2", "r1"}));
}

TEST_P(Ngsi, RepresentationOptions) {
  create(R"({"id":"a","type":"T","x":{"value":1},"y":{"value":1},"z":{"value":"k"}})");
  create(R"({"id":"b","type":"T","x":{"value":2},"y":{"value":3},"z":{"value":"k"}})");
  EXPECT_EQ(parse(get("/v2/entities?type=T&options=keyValues&attrs=x")),
            boost::json::parse(R"([{"id":"a","type":"T","x":1},{"id":"b","type":"T","x":2}])"));
  EXPECT_EQ(parse(get("/v2/entities?type=T&options=values&attrs=x,y,z")),
            boost::json::parse(R"([[1,1,"k"],[2,3,"k"]])"));
  EXPECT_EQ(parse(get("/v2/entities?type=T&options=unique&attrs=x,y,z")),
            boost::json::parse(R"([[1,"k"],[2,3,"k"]])"));
  EXPECT_TRUE(is_error(get("/v2/entities?options=sideways"), 400, "BadRequest"));
}

TEST_P(Ngsi, GeographicalQueriesNearWithDistanceOrderAndCoveredBy) {
  // Three stops along Jalan Pahlawan, Madiun: 0, ~560 m and ~2.2 km north of the square.
  create(
      R"({"id":"alun-alun","type":"Stop","location":{"type":"geo:point","value":"-7.6300, 111.5230"}})");
  create(
      R"({"id":"stasiun","type":"Stop","location":{"type":"geo:point","value":"-7.6250, 111.5230"}})");
  create(
      R"({"id":"terminal","type":"Stop","location":{"type":"geo:json","value":{"type":"Point","coordinates":[111.5230,-7.6100]}}})");
  create(R"({"id":"nowhere","type":"Stop"})");
  const std::string near =
      "/v2/entities?type=Stop&georel=near;maxDistance:1000&geometry=point&coords=-7.6300,111.5230";
  EXPECT_EQ(ids(get(near + "&orderBy=geo:distance")),
            (std::vector<std::string>{"alun-alun", "stasiun"}));
  // From the north end, nearest first.
  EXPECT_EQ(ids(get("/v2/"
                    "entities?type=Stop&georel=near;maxDistance:5000&geometry=point&coords=-7.6100,"
                    "111.5230&orderBy=geo:distance")),
            (std::vector<std::string>{"terminal", "stasiun", "alun-alun"}));
  EXPECT_EQ(ids(get("/v2/"
                    "entities?type=Stop&georel=near;minDistance:1000&geometry=point&coords=-7.6300,"
                    "111.5230")),
            (std::vector<std::string>{"terminal"}));
  EXPECT_EQ(ids(get("/v2/"
                    "entities?type=Stop&georel=coveredBy&geometry=box&coords=-7.6400,111.5000;-7."
                    "6200,111.5500")),
            (std::vector<std::string>{"alun-alun", "stasiun"}));
  EXPECT_TRUE(
      is_error(get("/v2/entities?georel=near;maxDistance:10&geometry=point"), 400, "BadRequest"));
  EXPECT_TRUE(is_error(get("/v2/entities?orderBy=geo:distance"), 400, "BadRequest"));
  EXPECT_TRUE(is_error(get("/v2/entities?georel=near&geometry=point&coords=-7.63,111.52"), 400,
                       "BadRequest"));
}

TEST_P(Ngsi, TwoLocationsWithoutADefaultAreRefusedAsOrionDoes) {
  const auto r = admin("POST", "/v2/entities", R"({"id":"bus","type":"Bus",
      "a":{"type":"geo:point","value":"-7.63, 111.52"},"b":{"type":"geo:point","value":"-7.62, 111.52"}})");
  EXPECT_TRUE(is_error(r, 413, "NoResourcesAvailable"));
  EXPECT_FALSE(stored("bus"));
  const auto bad_point =
      admin("POST", "/v2/entities", R"({"id":"bus","a":{"type":"geo:point","value":"utara"}})");
  EXPECT_TRUE(is_error(bad_point, 400, "BadRequest"));
}

// --- Attributes ---

TEST_P(Ngsi, AppendUpdateAndReplaceAttributes) {
  create(R"({"id":"Room1","type":"Room","temperature":{"value":23}})");
  // POST: append a new one, overwrite an existing one.
  auto r = admin("POST", "/v2/entities/Room1/attrs",
                 R"({"humidity":{"value":60},"temperature":{"value":24}})");
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(stored("Room1")->attrs.at("temperature").value.to_number<double>(), 24);
  EXPECT_EQ(stored("Room1")->attrs.at("humidity").value.to_number<double>(), 60);
  // options=append is strict: an existing attribute is an error and nothing changes.
  r = admin("POST", "/v2/entities/Room1/attrs?options=append",
            R"({"co2":{"value":400},"humidity":{"value":61}})");
  EXPECT_TRUE(is_error(r, 422, "Unprocessable"));
  EXPECT_FALSE(stored("Room1")->attrs.contains("co2"));
  EXPECT_EQ(
      admin("POST", "/v2/entities/Room1/attrs?options=append", R"({"co2":{"value":400}})").status,
      204);
  // PATCH: existing only.
  r = admin("PATCH", "/v2/entities/Room1/attrs", R"({"temperature":{"value":25,"type":"Float"}})");
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(stored("Room1")->attrs.at("temperature").type, "Float");
  r = admin("PATCH", "/v2/entities/Room1/attrs", R"({"pressure":{"value":1013}})");
  EXPECT_TRUE(is_error(r, 422, "Unprocessable"));
  EXPECT_FALSE(stored("Room1")->attrs.contains("pressure"));
  // keyValues bodies for the attribute writes.
  EXPECT_EQ(admin("PATCH", "/v2/entities/Room1/attrs?options=keyValues", R"({"co2":410})").status,
            204);
  EXPECT_EQ(stored("Room1")->attrs.at("co2").value.to_number<double>(), 410);
  // PUT: the attributes become these.
  r = admin("PUT", "/v2/entities/Room1/attrs", R"({"occupied":{"value":true}})");
  ASSERT_EQ(r.status, 204) << r.body;
  const auto e = stored("Room1");
  EXPECT_EQ(e->attrs.size(), 1u);
  EXPECT_TRUE(e->attrs.contains("occupied"));
  // id and type belong in the URL, not in the body.
  EXPECT_TRUE(
      is_error(admin("PATCH", "/v2/entities/Room1/attrs", R"({"id":"x"})"), 400, "BadRequest"));
  // Writing the attributes of an entity that does not exist.
  for (const char* method : {"POST", "PATCH", "PUT"})
    EXPECT_TRUE(
        is_error(admin(method, "/v2/entities/Nope/attrs", R"({"a":{"value":1}})"), 404, "NotFound"))
        << method;
  EXPECT_FALSE(stored("Nope"));
}

TEST_P(Ngsi, OneAttributeReadReplacedAndRemoved) {
  create(kRoom);
  auto r = get("/v2/entities/Room1/attrs/temperature");
  ASSERT_EQ(r.status, 200);
  auto a = parse(r);
  EXPECT_EQ(a.at("type").as_string(), "Number");
  EXPECT_EQ(a.at("value").to_number<double>(), 23);
  EXPECT_EQ(a.at("metadata").as_object().size(), 2u);
  EXPECT_EQ(parse(get("/v2/entities/Room1/attrs/temperature?metadata=accuracy"))
                .at("metadata")
                .as_object()
                .size(),
            1u);
  const auto missing = get("/v2/entities/Room1/attrs/pressure");
  EXPECT_TRUE(is_error(missing, 404, "NotFound"));
  EXPECT_EQ(description(missing), "The entity does not have such an attribute");

  r = admin("PUT", "/v2/entities/Room1/attrs/temperature",
            R"({"value":25.5,"metadata":{"unitCode":{"value":"CEL"}}})");
  ASSERT_EQ(r.status, 204) << r.body;
  a = parse(get("/v2/entities/Room1/attrs/temperature"));
  EXPECT_EQ(a.at("value").to_number<double>(), 25.5);
  // Metadata are merged, as Orion does since 3.5: accuracy stays, unitCode is replaced.
  EXPECT_EQ(a.at("metadata").as_object().size(), 2u);
  EXPECT_EQ(a.at("metadata").at("accuracy").at("value").to_number<double>(), 0.5);
  EXPECT_EQ(a.at("metadata").at("unitCode").at("value").as_string(), "CEL");
  EXPECT_TRUE(is_error(admin("PUT", "/v2/entities/Room1/attrs/pressure", R"({"value":1})"), 404,
                       "NotFound"));

  EXPECT_EQ(admin("DELETE", "/v2/entities/Room1/attrs/temperature").status, 204);
  EXPECT_TRUE(is_error(get("/v2/entities/Room1/attrs/temperature"), 404, "NotFound"));
  EXPECT_TRUE(is_error(admin("DELETE", "/v2/entities/Room1/attrs/temperature"), 404, "NotFound"));
  EXPECT_TRUE(stored("Room1")->attrs.contains("name"));
}

TEST_P(Ngsi, AttributeValuesAsTextAndJson) {
  create(R"({"id":"Room1","type":"Room","temperature":{"value":23.5},"name":{"value":"Aula"},
             "address":{"value":{"city":"Madiun"}},"seen":{"type":"DateTime","value":"2026-05-01"}})");
  auto r = get("/v2/entities/Room1/attrs/temperature/value");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/plain");
  EXPECT_EQ(r.body, "23.5");
  r = get("/v2/entities/Room1/attrs/name/value", {{"Accept", "text/plain"}});
  EXPECT_EQ(r.body, R"("Aula")");
  r = get("/v2/entities/Room1/attrs/address/value");
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(parse(r), boost::json::parse(R"({"city":"Madiun"})"));
  EXPECT_EQ(get("/v2/entities/Room1/attrs/seen/value").body, R"("2026-05-01T00:00:00.000Z")");
  EXPECT_TRUE(
      is_error(get("/v2/entities/Room1/attrs/temperature/value", {{"Accept", "application/json"}}),
               406, "NotAcceptable"));

  // PUT text/plain: a number, a quoted string, a boolean; the type and metadata stay.
  r = admin("PUT", "/v2/entities/Room1/attrs/temperature/value", "24",
            {{"Content-Type", "text/plain"}});
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(stored("Room1")->attrs.at("temperature").value.to_number<double>(), 24);
  EXPECT_EQ(stored("Room1")->attrs.at("temperature").type, "Number");
  EXPECT_EQ(admin("PUT", "/v2/entities/Room1/attrs/name/value", R"("Aula Utama")",
                  {{"Content-Type", "text/plain"}})
                .status,
            204);
  EXPECT_EQ(stored("Room1")->attrs.at("name").value.as_string(), "Aula Utama");
  EXPECT_TRUE(is_error(admin("PUT", "/v2/entities/Room1/attrs/name/value", "Aula tanpa kutip",
                             {{"Content-Type", "text/plain"}}),
                       400, "BadRequest"));
  // PUT application/json: an object.
  EXPECT_EQ(admin("PUT", "/v2/entities/Room1/attrs/address/value", R"({"city":"Ngawi"})").status,
            204);
  EXPECT_EQ(stored("Room1")->attrs.at("address").value.at("city").as_string(), "Ngawi");
  EXPECT_TRUE(is_error(
      admin("PUT", "/v2/entities/Room1/attrs/nope/value", "1", {{"Content-Type", "text/plain"}}),
      404, "NotFound"));
  EXPECT_TRUE(is_error(admin("PUT", "/v2/entities/Room1/attrs/seen/value", R"("kemarin")",
                             {{"Content-Type", "text/plain"}}),
                       400, "BadRequest"));
}

TEST_P(Ngsi, DeleteAnEntity) {
  create(R"({"id":"Room1","type":"Room"})");
  const auto r = admin("DELETE", "/v2/entities/Room1");
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  const auto gone = get("/v2/entities/Room1");
  EXPECT_TRUE(is_error(gone, 404, "NotFound"));
  EXPECT_EQ(description(gone), "The requested entity has not been found. Check type and id");
  EXPECT_TRUE(is_error(admin("DELETE", "/v2/entities/Room1"), 404, "NotFound"));
}

TEST_P(Ngsi, TheSameIdUnderTwoTypesIsAmbiguousWithoutTheType) {
  create(R"({"id":"dup","type":"A"})");
  create(R"({"id":"dup","type":"B"})");
  EXPECT_TRUE(is_error(get("/v2/entities/dup"), 409, "TooManyResults"));
  EXPECT_EQ(parse(get("/v2/entities/dup?type=B")).at("type").as_string(), "B");
  EXPECT_TRUE(is_error(admin("DELETE", "/v2/entities/dup"), 409, "TooManyResults"));
  EXPECT_EQ(admin("DELETE", "/v2/entities/dup?type=A").status, 204);
  EXPECT_EQ(admin("DELETE", "/v2/entities/dup").status, 204);
}

// --- Types ---

TEST_P(Ngsi, TypesWithTheirAttributesAndCounts) {
  rooms(2);
  create(R"({"id":"r9","type":"Room","temperature":{"value":"hangat","type":"Text"}})");
  const auto r = get("/v2/types?options=count");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("fiware-total-count"), "3");  // Room and the two devices' types
  const auto all = parse(r).as_array();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].at("type").as_string(), "AirQualityObserved");  // alphabetical
  const auto& room = all[1];
  EXPECT_EQ(room.at("type").as_string(), "Room");
  EXPECT_EQ(room.at("count").to_number<int64_t>(), 3);
  EXPECT_EQ(room.at("attrs").at("temperature").at("types"),
            boost::json::parse(R"(["Number","Text"])"));
  EXPECT_EQ(parse(get("/v2/types?options=values")),
            boost::json::parse(R"(["AirQualityObserved","Room","WaterLevelObserved"])"));
  EXPECT_EQ(parse(get("/v2/types?options=values&limit=1&offset=1")),
            boost::json::parse(R"(["Room"])"));
  const auto one = parse(get("/v2/types/Room"));
  EXPECT_EQ(one.at("count").to_number<int64_t>(), 3);
  EXPECT_TRUE(one.at("attrs").as_object().contains("temperature"));
  EXPECT_FALSE(one.as_object().contains("type"));
  const auto none = get("/v2/types/Kitchen");
  EXPECT_TRUE(is_error(none, 404, "NotFound"));
  EXPECT_EQ(description(none), "Entity type not found");
}

// --- Batches ---

TEST_P(Ngsi, BatchUpdateEveryActionType) {
  auto batch = [&](const std::string& action, const std::string& entities) {
    return admin("POST", "/v2/op/update",
                 R"({"actionType":")" + action + R"(","entities":[)" + entities + "]}");
  };
  // append: creates what is missing, adds and overwrites attributes.
  ASSERT_EQ(batch("append",
                  R"({"id":"a","type":"T","x":{"value":1}},{"id":"b","type":"T","x":{"value":2}})")
                .status,
            204);
  ASSERT_EQ(batch("append", R"({"id":"a","type":"T","x":{"value":10},"y":{"value":1}})").status,
            204);
  EXPECT_EQ(stored("a")->attrs.at("x").value.to_number<double>(), 10);
  EXPECT_EQ(stored("a")->attrs.at("y").value.to_number<double>(), 1);
  // appendStrict: new attributes and new entities only.
  auto r = batch("appendStrict", R"({"id":"a","type":"T","x":{"value":99}})");
  EXPECT_TRUE(is_error(r, 422, "Unprocessable"));
  EXPECT_EQ(stored("a")->attrs.at("x").value.to_number<double>(), 10);
  ASSERT_EQ(batch("appendStrict",
                  R"({"id":"a","type":"T","z":{"value":5}},{"id":"c","type":"T","x":{"value":3}})")
                .status,
            204);
  EXPECT_EQ(stored("a")->attrs.at("z").value.to_number<double>(), 5);
  EXPECT_TRUE(stored("c"));
  // update: existing attributes of existing entities.
  ASSERT_EQ(batch("update", R"({"id":"a","type":"T","x":{"value":11}},{"id":"b","x":{"value":12}})")
                .status,
            204);
  EXPECT_EQ(stored("a")->attrs.at("x").value.to_number<double>(), 11);
  EXPECT_EQ(stored("b")->attrs.at("x").value.to_number<double>(), 12);
  // replace: the attributes become these.
  ASSERT_EQ(batch("replace", R"({"id":"a","type":"T","w":{"value":0}})").status, 204);
  EXPECT_EQ(stored("a")->attrs.size(), 1u);
  // delete: the listed attributes, or the whole entity when none is listed.
  ASSERT_EQ(batch("delete", R"({"id":"a","type":"T","w":{}},{"id":"b","type":"T"})").status, 204);
  EXPECT_TRUE(stored("a")->attrs.empty());
  EXPECT_FALSE(stored("b"));
  // keyValues bodies.
  ASSERT_EQ(admin("POST", "/v2/op/update?options=keyValues",
                  R"({"actionType":"append","entities":[{"id":"d","type":"T","x":7}]})")
                .status,
            204);
  EXPECT_EQ(stored("d")->attrs.at("x").type, "Number");
}

TEST_P(Ngsi, BatchUpdateIsAllOrNothing) {
  create(R"({"id":"a","type":"T","x":{"value":1}})");
  // The second entity does not exist: nothing of the batch is written.
  auto r = admin(
      "POST", "/v2/op/update",
      R"({"actionType":"update","entities":[{"id":"a","type":"T","x":{"value":2}},{"id":"ghost","type":"T","x":{"value":3}}]})");
  EXPECT_TRUE(is_error(r, 404, "NotFound"));
  EXPECT_EQ(stored("a")->attrs.at("x").value.to_number<double>(), 1);
  // A range violation in the last entity undoes the appends before it.
  r = admin(
      "POST", "/v2/op/update",
      R"({"actionType":"append","entities":[{"id":"new","type":"T","x":{"value":1}},{"id":"kali-madiun-01","type":"WaterLevelObserved","waterLevel":{"value":99999}}]})");
  EXPECT_TRUE(is_error(r, 422, "Unprocessable"));
  EXPECT_FALSE(stored("new"));
  // Malformed batches.
  EXPECT_TRUE(
      is_error(admin("POST", "/v2/op/update", R"({"actionType":"merge","entities":[{"id":"a"}]})"),
               400, "BadRequest"));
  EXPECT_TRUE(
      is_error(admin("POST", "/v2/op/update", R"({"entities":[{"id":"a"}]})"), 400, "BadRequest"));
  EXPECT_TRUE(is_error(admin("POST", "/v2/op/update", R"({"actionType":"append","entities":[]})"),
                       400, "BadRequest"));
}

TEST_P(Ngsi, BatchQuerySelectsFiltersAndPages) {
  rooms(4);
  create(R"({"id":"Office1","type":"Office","temperature":{"value":40}})");
  auto r = admin("POST", "/v2/op/query?options=count,keyValues&limit=2&orderBy=!temperature",
                 R"({"entities":[{"idPattern":"^r","type":"Room"},{"id":"Office1"}],
                     "attrs":["temperature"],"expression":{"q":"temperature>21"}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("fiware-total-count"), "4");  // r2, r3, r4, Office1
  EXPECT_EQ(parse(r), boost::json::parse(R"([{"id":"Office1","type":"Office","temperature":40},
                                             {"id":"r4","type":"Room","temperature":24}])"));
  // Anonymous, every entity, a geography expression.
  create(R"({"id":"halte","type":"Stop","location":{"type":"geo:point","value":"-7.63, 111.52"}})");
  r = call(
      "", "POST", "/v2/op/query",
      R"({"expression":{"georel":"near;maxDistance:100","geometry":"point","coords":"-7.63,111.52"}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ids(r), (std::vector<std::string>{"halte"}));
  EXPECT_TRUE(is_error(admin("POST", "/v2/op/query", R"({"scopes":[]})"), 400, "BadRequest"));
  EXPECT_TRUE(is_error(admin("POST", "/v2/op/query", R"({"entities":[{"type":"Room"}]})"), 400,
                       "BadRequest"));
  EXPECT_TRUE(is_error(admin("POST", "/v2/op/query", R"({"expression":{"q":"temperature>"}})"), 400,
                       "BadRequest"));
  EXPECT_TRUE(is_error(admin("POST", "/v2/op/query", "{oops"), 400, "ParseError"));
}

// --- Tenants and service paths ---

TEST_P(Ngsi, AnEntityInOneServiceIsInvisibleInAnother) {
  create(R"({"id":"Pump1","type":"Pump","rate":{"value":3}})", {{"Fiware-Service", "dinas_a"}});
  EXPECT_EQ(ids(get("/v2/entities?type=Pump", {{"Fiware-Service", "dinas_a"}})),
            (std::vector<std::string>{"Pump1"}));
  EXPECT_TRUE(ids(get("/v2/entities?type=Pump", {{"Fiware-Service", "dinas_b"}})).empty());
  EXPECT_TRUE(ids(get("/v2/entities?type=Pump")).empty());
  EXPECT_TRUE(
      is_error(get("/v2/entities/Pump1", {{"Fiware-Service", "dinas_b"}}), 404, "NotFound"));
  EXPECT_TRUE(parse(get("/v2/types", {{"Fiware-Service", "dinas_b"}})).as_array().empty());
  // Writes stay in their service: the same id may exist in another.
  create(R"({"id":"Pump1","type":"Pump","rate":{"value":9}})", {{"Fiware-Service", "dinas_b"}});
  EXPECT_EQ(
      parse(get("/v2/entities/Pump1", {{"Fiware-Service", "dinas_a"}})).at("rate").at("value"), 3);
  EXPECT_TRUE(is_error(admin("DELETE", "/v2/entities/Pump1"), 404, "NotFound"));
  // The service name is case-insensitive (folded to lower case); bad ones are refused.
  EXPECT_EQ(ids(get("/v2/entities?type=Pump", {{"Fiware-Service", "Dinas_A"}})),
            (std::vector<std::string>{"Pump1"}));
  const auto bad = get("/v2/entities", {{"Fiware-Service", "dinas-a"}});
  EXPECT_TRUE(is_error(bad, 400, "BadRequest"));
  EXPECT_EQ(description(bad),
            "bad character in tenant name - only underscore and alphanumeric characters are "
            "allowed");
  EXPECT_TRUE(
      is_error(get("/v2/entities", {{"Fiware-Service", std::string(51, 'a')}}), 400, "BadRequest"));
}

TEST_P(Ngsi, ServicePathsScopeReadsAndWrites) {
  create(R"({"id":"u1","type":"Lamp"})", {{"Fiware-ServicePath", "/kota/utara"}});
  create(R"({"id":"s1","type":"Lamp"})", {{"Fiware-ServicePath", "/kota/selatan"}});
  create(R"({"id":"d1","type":"Lamp"})", {{"Fiware-ServicePath", "/desa"}});
  create(R"({"id":"root","type":"Lamp"})");
  auto lamps = [&](const std::string& path) {
    auto list = ids(get("/v2/entities?type=Lamp", {{"Fiware-ServicePath", path}}));
    std::sort(list.begin(), list.end());
    return list;
  };
  EXPECT_EQ(lamps("/kota/#"), (std::vector<std::string>{"s1", "u1"}));
  EXPECT_EQ(lamps("/kota/utara"), (std::vector<std::string>{"u1"}));
  EXPECT_EQ(lamps("/kota/utara/"), (std::vector<std::string>{"u1"}));  // trailing slash ignored
  EXPECT_EQ(lamps("/kota/utara, /desa"), (std::vector<std::string>{"d1", "u1"}));
  EXPECT_EQ(lamps("/"), (std::vector<std::string>{"root"}));
  EXPECT_EQ(lamps("/#"), (std::vector<std::string>{"d1", "root", "s1", "u1"}));
  EXPECT_EQ(ids(get("/v2/entities?type=Lamp")).size(), 4u);  // no header: every path
  // A write names exactly one path and finds entities there only.
  EXPECT_TRUE(is_error(admin("POST", "/v2/entities", R"({"id":"x","type":"Lamp"})",
                             {{"Fiware-ServicePath", "/kota/#"}}),
                       400, "BadRequest"));
  EXPECT_TRUE(is_error(admin("POST", "/v2/entities", R"({"id":"x","type":"Lamp"})",
                             {{"Fiware-ServicePath", "/a,/b"}}),
                       400, "BadRequest"));
  EXPECT_TRUE(is_error(admin("DELETE", "/v2/entities/u1"), 404, "NotFound"));
  EXPECT_EQ(admin("DELETE", "/v2/entities/u1", {}, {{"Fiware-ServicePath", "/kota/utara"}}).status,
            204);
  const auto relative = get("/v2/entities", {{"Fiware-ServicePath", "kota"}});
  EXPECT_TRUE(is_error(relative, 400, "BadRequest"));
  EXPECT_EQ(description(relative),
            "Only /absolute/ Service Paths allowed [a service path must begin with /]");
  EXPECT_TRUE(
      is_error(get("/v2/entities", {{"Fiware-ServicePath", "/kota-utara"}}), 400, "BadRequest"));
}

// --- Who may do what ---

TEST_P(Ngsi, ADeviceWritesItsOwnEntityOnlyAndAnonymousWritesAre401) {
  auto r = call(river_, "POST", "/v2/entities/kali-madiun-01/attrs",
                R"({"waterLevel":{"value":150,"metadata":{"unitCode":{"value":"CMT"}}}})");
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(stored("kali-madiun-01")->attrs.at("waterLevel").value.to_number<double>(), 150);
  r = call(river_, "PATCH", "/v2/entities/kali-madiun-01/attrs?options=keyValues",
           R"({"waterLevel":151})");
  EXPECT_EQ(r.status, 204) << r.body;
  // Another device's entity, a new entity, a batch touching another's entity: 403.
  r = call(river_, "POST", "/v2/entities/aqms-taman/attrs", R"({"pm25":{"value":30}})");
  EXPECT_TRUE(is_error(r, 403, "Forbidden"));
  EXPECT_FALSE(stored("aqms-taman")->attrs.contains("pm25"));
  EXPECT_TRUE(is_error(call(river_, "POST", "/v2/entities", R"({"id":"mine","type":"T"})"), 403,
                       "Forbidden"));
  EXPECT_TRUE(is_error(call(air_, "DELETE", "/v2/entities/kali-madiun-01"), 403, "Forbidden"));
  EXPECT_TRUE(is_error(call(river_, "POST", "/v2/op/update",
                            R"({"actionType":"update","entities":[
                                {"id":"kali-madiun-01","waterLevel":{"value":152}},
                                {"id":"aqms-taman","type":"AirQualityObserved","pm25":{"value":1}}]})"),
                       403, "Forbidden"));
  EXPECT_EQ(stored("kali-madiun-01")->attrs.at("waterLevel").value.to_number<double>(), 151);
  // Without a token: 401 in NGSI's shape, nothing written.
  r = call("", "POST", "/v2/entities", R"({"id":"anon","type":"T"})");
  EXPECT_TRUE(is_error(r, 401, "Unauthorized"));
  EXPECT_FALSE(stored("anon"));
  EXPECT_TRUE(is_error(
      call("", "PATCH", "/v2/entities/kali-madiun-01/attrs", R"({"waterLevel":{"value":1}})"), 401,
      "Unauthorized"));
  EXPECT_TRUE(is_error(call("", "DELETE", "/v2/entities/kali-madiun-01"), 401, "Unauthorized"));
  EXPECT_TRUE(is_error(call("", "POST", "/v2/op/update",
                            R"({"actionType":"delete","entities":[{"id":"aqms-taman"}]})"),
                       401, "Unauthorized"));
}

TEST_P(Ngsi, AnonymousReadersDoNotSeeNonPublicTypes) {
  create(R"({"id":"panic-01","type":"SecurityIncident","category":{"value":"panic"},
             "location":{"type":"geo:point","value":"-7.63, 111.52"}})");
  create(R"({"id":"Room1","type":"Room"})");
  EXPECT_EQ(ids(get("/v2/entities?id=panic-01,Room1")), (std::vector<std::string>{"Room1"}));
  EXPECT_TRUE(is_error(get("/v2/entities/panic-01"), 404, "NotFound"));
  EXPECT_TRUE(is_error(get("/v2/entities/panic-01/attrs/category"), 404, "NotFound"));
  EXPECT_TRUE(is_error(get("/v2/entities/panic-01/attrs/category/value"), 404, "NotFound"));
  EXPECT_TRUE(is_error(get("/v2/types/SecurityIncident"), 404, "NotFound"));
  const auto types = parse(get("/v2/types"));
  for (const auto& t : types.as_array()) EXPECT_NE(t.at("type").as_string(), "SecurityIncident");
  EXPECT_TRUE(
      ids(call("", "POST", "/v2/op/query", R"({"entities":[{"idPattern":"panic"}]})")).empty());
  EXPECT_TRUE(
      ids(get("/v2/entities?georel=near;maxDistance:100&geometry=point&coords=-7.63,111.52"))
          .empty());
  // Tokens see it: the integrator, and devices (the command centre's sensors).
  EXPECT_EQ(admin("GET", "/v2/entities/panic-01").status, 200);
  EXPECT_EQ(call(river_, "GET", "/v2/entities/panic-01").status, 200);
  EXPECT_EQ(ids(admin("GET", "/v2/entities?type=SecurityIncident")),
            (std::vector<std::string>{"panic-01"}));
  EXPECT_EQ(admin("GET", "/v2/types/SecurityIncident").status, 200);
}

TEST_P(Ngsi, AKnownTypesRangesHoldThroughNgsi) {
  ASSERT_EQ(
      call(river_, "POST", "/v2/entities/kali-madiun-01/attrs", R"({"waterLevel":{"value":150}})")
          .status,
      204);
  auto r = call(river_, "PATCH", "/v2/entities/kali-madiun-01/attrs",
                R"({"waterLevel":{"value":99999}})");
  EXPECT_TRUE(is_error(r, 422, "Unprocessable"));
  EXPECT_NE(description(r).find("waterLevel"), std::string::npos);
  EXPECT_EQ(stored("kali-madiun-01")->attrs.at("waterLevel").value.to_number<double>(), 150);
  // A text for a number, a foreign unit, through the single-attribute routes too.
  EXPECT_TRUE(is_error(admin("PUT", "/v2/entities/kali-madiun-01/attrs/waterLevel/value", "-5",
                             {{"Content-Type", "text/plain"}}),
                       422, "Unprocessable"));
  EXPECT_TRUE(is_error(
      admin("PUT", "/v2/entities/kali-madiun-01/attrs/waterLevel", R"({"value":"tinggi"})"), 422,
      "Unprocessable"));
  EXPECT_TRUE(
      is_error(admin("PATCH", "/v2/entities/kali-madiun-01/attrs",
                     R"({"waterLevel":{"value":1.2,"metadata":{"unitCode":{"value":"MTR"}}}})"),
               422, "Unprocessable"));
  EXPECT_EQ(stored("kali-madiun-01")->attrs.at("waterLevel").value.to_number<double>(), 150);
  EXPECT_TRUE(
      is_error(admin("POST", "/v2/entities",
                     R"({"id":"aws-2","type":"WeatherObserved","temperature":{"value":80}})"),
               422, "Unprocessable"));
  EXPECT_FALSE(stored("aws-2"));
}

// --- HTTP-level errors ---

TEST_P(Ngsi, MalformedBodiesAndHeadersGetOrionsErrors) {
  auto r = admin("POST", "/v2/entities", R"({"id":"a",)");
  EXPECT_TRUE(is_error(r, 400, "ParseError"));
  EXPECT_EQ(description(r), "Errors found in incoming JSON buffer");
  EXPECT_TRUE(is_error(admin("POST", "/v2/entities", "[1,2]"), 400, "ParseError"));
  r = admin("POST", "/v2/entities", R"({"id":"a"})", {{"Content-Type", "text/plain"}});
  EXPECT_TRUE(is_error(r, 415, "UnsupportedMediaType"));
  EXPECT_EQ(description(r), "not supported content type: text/plain");
  r = server_->send("POST", "/v2/entities", R"({"id":"a"})",
                    {{"Authorization", "Bearer " + integrator_}});
  EXPECT_TRUE(is_error(r, 415, "UnsupportedMediaType"));
  r = admin("POST", "/v2/entities", "");
  EXPECT_TRUE(is_error(r, 411, "ContentLengthRequired"));
  EXPECT_EQ(description(r), "Zero/No Content-Length in PUT/POST/PATCH request");
  EXPECT_TRUE(is_error(admin("PATCH", "/v2/entities/kali-madiun-01/attrs", ""), 411,
                       "ContentLengthRequired"));
  // Over Orion's 1 MB.
  std::string big =
      R"({"id":"big","type":"T","note":{"value":")" + std::string(1024 * 1024 + 10, 'x') + R"("}})";
  r = admin("POST", "/v2/entities", big);
  EXPECT_TRUE(is_error(r, 413, "RequestEntityTooLarge"));
  EXPECT_FALSE(stored("big"));
  // Orion's forbidden characters.
  r = admin("POST", "/v2/entities", R"({"id":"a<b>","type":"T"})");
  EXPECT_TRUE(is_error(r, 400, "BadRequest"));
  EXPECT_EQ(description(r), "Invalid characters in entity id");
  r = admin("POST", "/v2/entities", R"j({"id":"a","type":"T","x(y)":{"value":1}})j");
  EXPECT_TRUE(is_error(r, 400, "BadRequest"));
  EXPECT_EQ(description(r), "Invalid characters in attribute name");
  EXPECT_TRUE(is_error(admin("POST", "/v2/entities", R"({"id":"a","type":"T","x":5})"), 400,
                       "BadRequest"));  // not keyValues: an attribute is an object
  EXPECT_TRUE(is_error(get("/v2/entities/a%3Cb"), 400, "BadRequest"));
  EXPECT_TRUE(is_error(get("/v2/entities/Room1?type=a%3Db"), 400, "BadRequest"));
}

TEST_P(Ngsi, UnknownResourcesAndMethodsUnderV2) {
  auto r = call(integrator_, "DELETE", "/v2/entities");
  EXPECT_TRUE(is_error(r, 405, "MethodNotAllowed"));
  EXPECT_EQ(r.header("allow"), "GET, HEAD, POST");
  r = admin("PATCH", "/v2/types", R"({"a":1})");
  EXPECT_TRUE(is_error(r, 405, "MethodNotAllowed"));
  EXPECT_EQ(r.header("allow"), "GET, HEAD");
  r = admin("POST", "/v2", R"({"a":1})");
  EXPECT_TRUE(is_error(r, 405, "MethodNotAllowed"));
  EXPECT_TRUE(is_error(get("/v2/op/update"), 405, "MethodNotAllowed"));
  r = get("/v2/registrations");
  EXPECT_TRUE(is_error(r, 400, "BadRequest"));
  EXPECT_EQ(description(r), "service not found");
  EXPECT_TRUE(is_error(get("/v2/entities/a/attrs/b/value/c"), 400, "BadRequest"));
  // One trailing slash is ignored, as Orion does.
  EXPECT_EQ(get("/v2/entities/").status, 200);
  EXPECT_EQ(get("/v2/").status, 200);
  // The correlator comes back.
  EXPECT_EQ(get("/v2/entities", {{"Fiware-Correlator", "abc-123"}}).header("fiware-correlator"),
            "abc-123");
  EXPECT_FALSE(get("/v2/entities").header("fiware-correlator").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, Ngsi, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

// With the demo's people: staff sessions and a citizen's.
class NgsiPeople : public Ngsi {
 protected:
  bool seed_demo() const override { return true; }
};

TEST_P(NgsiPeople, StaffSeeEveryTypeCitizensThePublicOnesAndNeitherWritesWithoutTheRight) {
  create(R"({"id":"panic-02","type":"SecurityIncident","category":{"value":"fire"}})");
  create(R"({"id":"Room1","type":"Room"})");
  const std::string officer = sign_in_bearer(*server_, kDemoOfficerLogin, kDemoOfficerPassword);
  const std::string citizen = sign_in_bearer(*server_, kDemoCitizenLogin, kDemoCitizenPassword);
  const std::string admin = sign_in_bearer(*server_, kDemoAdminLogin, kDemoAdminPassword);
  EXPECT_EQ(call(officer, "GET", "/v2/entities/panic-02").status, 200);
  // The demo city's panic buttons and this one.
  EXPECT_EQ(ids(call(officer, "GET", "/v2/entities?type=SecurityIncident&idPattern=panic-0")),
            (std::vector<std::string>{"panic-02"}));
  EXPECT_EQ(ids(call(officer, "GET", "/v2/entities?type=SecurityIncident")).size(), 4u);
  EXPECT_TRUE(is_error(call(citizen, "GET", "/v2/entities/panic-02"), 404, "NotFound"));
  EXPECT_TRUE(ids(call(citizen, "GET", "/v2/entities?type=SecurityIncident")).empty());
  EXPECT_EQ(call(citizen, "GET", "/v2/entities/Room1").status, 200);
  // Writing is the integrators', the administrators' and (their own entity) the devices'.
  EXPECT_TRUE(is_error(call(citizen, "POST", "/v2/entities", R"({"id":"c","type":"T"})"), 403,
                       "Forbidden"));
  EXPECT_TRUE(is_error(call(officer, "POST", "/v2/entities/Room1/attrs", R"({"x":{"value":1}})"),
                       403, "Forbidden"));
  EXPECT_EQ(call(admin, "POST", "/v2/entities/Room1/attrs", R"({"x":{"value":1}})").status, 204);
  EXPECT_EQ(stored("Room1")->attrs.at("x").value.to_number<double>(), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, NgsiPeople, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

}  // namespace
}  // namespace balai::testing
