// Open311 GeoReport v2 over real HTTP on each backend: discovery, services and their
// definitions, an integrator's reports in JSON and XML read back field by field, the list's
// filters, and every refusal in the specification's error shape with nothing stored. And what
// must never show: confidential reports, and who reported.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

#include "modules/catalog/module.h"
#include "modules/catalog/service.h"
#include "modules/complaints/service.h"
#include "security/accounts.h"
#include "security/api_tokens.h"
#include "support/databases.h"
#include "support/images.h"
#include "support/server_harness.h"

namespace balai::testing {
namespace {

constexpr const char* kBase = "/open311/v2/";
constexpr const char* kXmlDeclaration = R"(<?xml version="1.0" encoding="utf-8"?>)";
// Inside Kota Madiun's area (config city.area), in Kartoharjo.
constexpr const char* kLat = "-7.629100";
constexpr const char* kLong = "111.525300";
// A 48x32 PNG (the demo's picture of a cleaned drain).
const std::string kPhoto = small_png();

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string form_body(const Fields& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += url_encode(k) + "=" + url_encode(v);
  }
  return out;
}

boost::json::array json_array(const HttpReply& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  EXPECT_FALSE(ec) << r.body;
  EXPECT_TRUE(!ec && v.is_array()) << r.body;
  return !ec && v.is_array() ? v.as_array() : boost::json::array{};
}

std::string str(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v);
}

// The text of the first <name>...</name> in an XML answer ("" when absent).
std::string xml_element(const std::string& body, const std::string& name) {
  std::smatch m;
  if (std::regex_search(body, m, std::regex("<" + name + ">([^<]*)</" + name + ">"))) return m[1];
  return "";
}

class Open311 : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    database_ = std::make_unique<TempDatabase>(GetParam());
    const std::string url = GetParam() == "sqlite" ? std::string{} : database_->url();
    // Without the demo: the test brings the agencies, categories and people it is written
    // against, so a change to the demo city does not change what it proves.
    server_ = std::make_unique<ServerHarness>(
        [](core::Config& c) { c.server.public_url = "https://balai.example.go.id"; }, url,
        /*seed_demo=*/false);
    api_key_ = new_token(security::Role::integrator);
    seed();
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
  }

  app::App& app() { return server_->runtime().app(); }
  complaints::ComplaintService& service() { return complaints::service_of(app()); }

  std::string new_token(security::Role role) {
    auto created = server_->runtime().security().tokens.create(
        security::NewApiToken{"Open311 test client", role, "", {}}, app().clock.now());
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? created->token : "";
  }

  void save_category(const complaints::Category& c) {
    const security::Actor admin{
        "test-admin", security::Role::admin, "", security::AuthMethod::session, "", {}};
    auto saved = service().save_category(admin, c, {"127.0.0.1", "test", "portal"});
    ASSERT_TRUE(saved.ok()) << saved.error().message;
  }

  // The desk and two agencies, the demo's first two categories, and a citizen with an account.
  void seed() {
    auto* catalog = catalog::service_of(app());
    ASSERT_NE(catalog, nullptr);
    for (const catalog::Agency& a :
         {catalog::Agency{"diskominfo", {"Dinas Komunikasi dan Informatika", ""}},
          catalog::Agency{"dpupr", {"Dinas Pekerjaan Umum dan Penataan Ruang", ""}},
          catalog::Agency{"dlh", {"Dinas Lingkungan Hidup", ""}}})
      ASSERT_TRUE(catalog->save_agency(a).ok());
    complaints::Category road{"jalan-rusak",
                              "Jalan rusak",
                              "Damaged road",
                              "Jalan berlubang, retak, atau amblas di jalan kota.",
                              "Potholes, cracks or subsidence on city roads.",
                              "dpupr",
                              true,
                              100,
                              {},
                              1};
    road.attributes = {{"kerusakan",
                        complaints::AttributeType::singlevaluelist,
                        true,
                        "Jenis kerusakan",
                        1,
                        {{"lubang", "Berlubang"}, {"retak", "Retak"}, {"amblas", "Amblas"}}},
                       {"luas_m2",
                        complaints::AttributeType::number,
                        false,
                        "Perkiraan luas kerusakan (m²)",
                        2,
                        {}}};
    save_category(road);
    save_category({"sampah",
                   "Sampah menumpuk",
                   "Uncollected rubbish",
                   "Sampah tidak diangkut atau dibuang sembarangan.",
                   "Rubbish not collected or dumped illegally.",
                   "dlh",
                   true,
                   150,
                   {},
                   2});
    auto citizen = app().security.accounts.create(
        security::NewAccount{security::Role::citizen, "", "Budi Santoso", "budi@example.id",
                             "pohon mangga berbuah lebat sekali"},
        app().clock.now());
    ASSERT_TRUE(citizen.ok()) << citizen.error().message;
    citizen_ =
        security::Actor{citizen->id, security::Role::citizen, "", security::AuthMethod::session,
                        "",          app().clock.now()};
  }

  // A citizen's report through the service (as the portal files it).
  complaints::Complaint citizen_report(const std::string& description, bool confidential,
                                       std::vector<std::string> photos = {}) {
    complaints::Submission s;
    s.category = "sampah";
    s.description = description;
    s.lat = kLat;
    s.lon = kLong;
    s.confidential = confidential;
    s.channel = "none";
    for (auto& p : photos) s.photos.push_back({std::move(p)});
    auto c = service().submit(citizen_, s, {"127.0.0.1", "test", "portal"});
    EXPECT_TRUE(c.ok()) << c.error().message;
    return c.ok() ? *c : complaints::Complaint{};
  }

  HttpReply get(const std::string& path) { return server_->get(kBase + path); }
  HttpReply post(const std::string& path, const Fields& fields) {
    return server_->send("POST", kBase + path, form_body(fields),
                         {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}});
  }

  // A valid report of a damaged road, with the reporter's contact.
  Fields pothole(const std::string& description = "Lubang besar di depan Pasar Besar.") {
    return {{"api_key", api_key_},
            {"service_code", "jalan-rusak"},
            {"lat", kLat},
            {"long", kLong},
            {"address_string", "Jl. Pahlawan depan Alun-alun"},
            {"email", "sri.rahayu@example.id"},
            {"first_name", "Sri"},
            {"last_name", "Rahayu"},
            {"phone", "0812-3456-7890"},
            {"device_id", "device-77"},
            {"account_id", "acct-99"},
            {"description", description},
            {"attribute[kerusakan]", "lubang"}};
  }

  static Fields without(Fields fields, const std::string& name) {
    std::erase_if(fields, [&](const auto& f) { return f.first == name; });
    return fields;
  }
  static Fields with(Fields fields, const std::string& name, const std::string& value) {
    fields = without(std::move(fields), name);
    fields.emplace_back(name, value);
    return fields;
  }

  // Posts a valid report; its {service_request_id, token}.
  std::pair<std::string, std::string> submit(const Fields& fields) {
    auto r = post("requests.json", fields);
    EXPECT_EQ(r.status, 200) << r.body;
    auto a = json_array(r);
    if (a.size() != 1) return {};
    return {str(a[0].at("service_request_id")), str(a[0].at("token"))};
  }

  int64_t stored_reports() {
    auto rows = app().db.query("SELECT COUNT(*) FROM complaints");
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? (*rows)[0].int64(0) : -1;
  }

  // The answer is exactly [{"code":status,"description":...}, ...] with these descriptions.
  static void expect_errors(const HttpReply& r, int status,
                            const std::vector<std::string>& descriptions) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    auto a = json_array(r);
    ASSERT_EQ(a.size(), descriptions.size()) << r.body;
    for (size_t i = 0; i < a.size(); ++i) {
      ASSERT_TRUE(a[i].is_object()) << r.body;
      const auto& e = a[i].as_object();
      EXPECT_EQ(e.size(), 2u) << r.body;
      ASSERT_TRUE(e.contains("code") && e.at("code").is_int64()) << r.body;
      EXPECT_EQ(e.at("code").as_int64(), status);
      EXPECT_EQ(str(e.at("description")), descriptions[i]);
    }
  }

  static void expect_xml_error(const HttpReply& r, int status, const std::string& description) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("content-type"), "text/xml; charset=utf-8");
    EXPECT_EQ(r.body, std::string(kXmlDeclaration) + "<errors><error><code>" +
                          std::to_string(status) + "</code><description>" + description +
                          "</description></error></errors>");
  }

  std::unique_ptr<TempDatabase> database_;
  std::unique_ptr<ServerHarness> server_;
  std::string api_key_;
  security::Actor citizen_;
};

TEST_P(Open311, DiscoveryNamesTheEndpointItsFormatsAndWhereKeysComeFrom) {
  auto r = get("discovery.json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.header("access-control-allow-origin"), "*");
  EXPECT_TRUE(r.header("set-cookie").empty());
  const auto d = boost::json::parse(r.body).as_object();
  EXPECT_FALSE(str(d.at("changeset")).empty());
  EXPECT_NE(str(d.at("contact")).find("Kota Madiun"), std::string::npos);
  EXPECT_NE(str(d.at("key_service")).find("balai token create --role integrator"),
            std::string::npos);
  const auto& e = d.at("endpoints").as_array().at(0).as_object();
  EXPECT_EQ(str(e.at("specification")), "http://wiki.open311.org/GeoReport_v2");
  EXPECT_EQ(str(e.at("url")), "https://balai.example.go.id/open311/v2");
  EXPECT_EQ(str(e.at("type")), "production");
  EXPECT_EQ(boost::json::serialize(e.at("formats")), R"(["text/xml","application/json"])");

  auto x = get("discovery.xml");
  ASSERT_EQ(x.status, 200) << x.body;
  EXPECT_EQ(x.header("content-type"), "text/xml; charset=utf-8");
  EXPECT_TRUE(x.body.starts_with(std::string(kXmlDeclaration) + "<discovery><changeset>"));
  EXPECT_EQ(xml_element(x.body, "specification"), "http://wiki.open311.org/GeoReport_v2");
  EXPECT_NE(x.body.find("<formats><format>text/xml</format><format>application/json</format>"
                        "</formats>"),
            std::string::npos);
}

TEST_P(Open311, ServicesAreTheCategoriesWithTheirDefinitions) {
  auto r = get("services.json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("access-control-allow-origin"), "*");
  const auto list = json_array(r);
  const boost::json::object* road = nullptr;
  const boost::json::object* waste = nullptr;
  for (const auto& s : list) {
    if (str(s.at("service_code")) == "jalan-rusak") road = &s.as_object();
    if (str(s.at("service_code")) == "sampah") waste = &s.as_object();
  }
  ASSERT_TRUE(road && waste) << r.body;
  EXPECT_EQ(road->size(), 7u);
  EXPECT_EQ(str(road->at("service_name")), "Jalan rusak");
  EXPECT_EQ(str(road->at("description")), "Jalan berlubang, retak, atau amblas di jalan kota.");
  EXPECT_EQ(road->at("metadata").as_bool(), true);
  EXPECT_EQ(str(road->at("type")), "realtime");
  EXPECT_EQ(str(road->at("keywords")), "");
  EXPECT_EQ(str(road->at("group")), "dpupr");
  EXPECT_EQ(waste->at("metadata").as_bool(), false);

  auto x = get("services.xml");
  ASSERT_EQ(x.status, 200) << x.body;
  EXPECT_TRUE(x.body.starts_with(std::string(kXmlDeclaration) + "<services><service>"));
  EXPECT_NE(x.body.find("<service><service_code>jalan-rusak</service_code><service_name>Jalan "
                        "rusak</service_name>"),
            std::string::npos)
      << x.body;

  auto def = get("services/jalan-rusak.json");
  ASSERT_EQ(def.status, 200) << def.body;
  const auto d = boost::json::parse(def.body).as_object();
  EXPECT_EQ(str(d.at("service_code")), "jalan-rusak");
  const auto& a = d.at("attributes").as_array().at(0).as_object();
  EXPECT_EQ(a.at("variable").as_bool(), true);
  EXPECT_EQ(str(a.at("code")), "kerusakan");
  EXPECT_EQ(str(a.at("datatype")), "singlevaluelist");
  EXPECT_EQ(a.at("required").as_bool(), true);
  EXPECT_EQ(str(a.at("datatype_description")), "");
  EXPECT_EQ(a.at("order").as_int64(), 1);
  EXPECT_EQ(str(a.at("description")), "Jenis kerusakan");
  const auto& values = a.at("values").as_array();
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(str(values[0].at("key")), "lubang");
  EXPECT_EQ(str(values[0].at("name")), "Berlubang");
  EXPECT_EQ(str(values[2].at("key")), "amblas");

  auto dx = get("services/jalan-rusak.xml");
  ASSERT_EQ(dx.status, 200) << dx.body;
  EXPECT_TRUE(dx.body.starts_with(std::string(kXmlDeclaration) +
                                  "<service_definition><service_code>jalan-rusak</service_code>"
                                  "<attributes><attribute><variable>true</variable>"
                                  "<code>kerusakan</code>"));
  EXPECT_NE(dx.body.find("<values><value><key>lubang</key><name>Berlubang</name></value>"),
            std::string::npos);

  auto plain = get("services/sampah.json");
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_TRUE(boost::json::parse(plain.body).at("attributes").as_array().empty());

  expect_errors(get("services/tidak-ada.json"), 404, {"service_code: no such service"});
  expect_xml_error(get("services/tidak-ada.xml"), 404, "service_code: no such service");
}

TEST_P(Open311, AReportPostedInJsonIsReadBackFieldByField) {
  const int64_t before = stored_reports();
  auto r = post("requests.json", pothole());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
  EXPECT_TRUE(r.header("access-control-allow-origin").empty());
  EXPECT_TRUE(r.header("set-cookie").empty());
  const auto answer = json_array(r);
  ASSERT_EQ(answer.size(), 1u);
  const auto& a = answer[0].as_object();
  EXPECT_EQ(a.size(), 4u) << r.body;
  const std::string id = str(a.at("service_request_id"));
  const std::string token = str(a.at("token"));
  EXPECT_TRUE(std::regex_match(id, std::regex("ADU-[0-9]{4}-[0-9]{6}"))) << id;
  EXPECT_FALSE(token.empty());
  EXPECT_EQ(str(a.at("service_notice")), "Laporan akan diverifikasi dalam 3 hari kerja.");
  EXPECT_TRUE(a.at("account_id").is_null());
  EXPECT_EQ(stored_reports(), before + 1);

  auto g = get("requests/" + id + ".json");
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(g.header("access-control-allow-origin"), "*");
  const auto list = json_array(g);
  ASSERT_EQ(list.size(), 1u);
  const auto& q = list[0].as_object();
  EXPECT_EQ(q.size(), 17u) << g.body;
  EXPECT_EQ(str(q.at("service_request_id")), id);
  EXPECT_EQ(str(q.at("status")), "open");
  EXPECT_EQ(str(q.at("status_notes")), "");
  EXPECT_EQ(str(q.at("service_name")), "Jalan rusak");
  EXPECT_EQ(str(q.at("service_code")), "jalan-rusak");
  EXPECT_EQ(str(q.at("description")), "Lubang besar di depan Pasar Besar.");
  EXPECT_EQ(str(q.at("agency_responsible")), "");  // not dispositioned yet
  EXPECT_EQ(str(q.at("service_notice")), "");
  const std::regex wib(
      "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{3})?\\+07:00");
  EXPECT_TRUE(std::regex_match(str(q.at("requested_datetime")), wib)) << g.body;
  EXPECT_TRUE(std::regex_match(str(q.at("updated_datetime")), wib)) << g.body;
  EXPECT_TRUE(std::regex_match(str(q.at("expected_datetime")), wib)) << g.body;
  EXPECT_GT(str(q.at("expected_datetime")), str(q.at("requested_datetime")));
  EXPECT_EQ(str(q.at("address")), "Jl. Pahlawan depan Alun-alun");
  EXPECT_EQ(str(q.at("address_id")), "");
  EXPECT_EQ(str(q.at("zipcode")), "");
  EXPECT_DOUBLE_EQ(q.at("lat").as_double(), -7.6291);
  EXPECT_DOUBLE_EQ(q.at("long").as_double(), 111.5253);
  EXPECT_TRUE(q.at("media_url").is_null());

  auto t = get("tokens/" + token + ".json");
  ASSERT_EQ(t.status, 200) << t.body;
  EXPECT_EQ(t.body, R"([{"service_request_id":")" + id + R"(","token":")" + token + R"("}])");
  auto tx = get("tokens/" + token + ".xml");
  ASSERT_EQ(tx.status, 200) << tx.body;
  EXPECT_EQ(tx.body, std::string(kXmlDeclaration) + "<service_requests><request>" +
                         "<service_request_id>" + id + "</service_request_id><token>" + token +
                         "</token></request></service_requests>");

  // Who reported appears nowhere.
  for (const auto& body : {r.body, g.body, get("requests.json").body,
                           get("requests/" + id + ".xml").body, get("requests.xml").body}) {
    for (const char* secret :
         {"sri.rahayu", "Rahayu", "3456-7890", "81234567890", "device-77", "acct-99"})
      EXPECT_EQ(body.find(secret), std::string::npos) << secret << " in " << body;
  }
}

TEST_P(Open311, AReportPostedInXmlIsAnsweredInXml) {
  auto r =
      post("requests.xml", with(with(pothole(), "media_url", "https://img.example.id/lubang.jpg"),
                                "description", "Retak <panjang> & \"dalam\" di Jl. Salak"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/xml; charset=utf-8");
  const std::string id = xml_element(r.body, "service_request_id");
  const std::string token = xml_element(r.body, "token");
  EXPECT_TRUE(std::regex_match(id, std::regex("ADU-[0-9]{4}-[0-9]{6}"))) << r.body;
  EXPECT_EQ(r.body, std::string(kXmlDeclaration) + "<service_requests><request>" +
                        "<service_request_id>" + id + "</service_request_id><token>" + token +
                        "</token><service_notice>Laporan akan diverifikasi dalam 3 hari kerja."
                        "</service_notice><account_id/></request></service_requests>");

  auto g = get("requests/" + id + ".xml");
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(g.header("content-type"), "text/xml; charset=utf-8");
  EXPECT_TRUE(g.body.starts_with(std::string(kXmlDeclaration) +
                                 "<service_requests><request><service_request_id>" + id +
                                 "</service_request_id><status>open</status>"));
  EXPECT_EQ(xml_element(g.body, "service_code"), "jalan-rusak");
  EXPECT_NE(g.body.find("<description>Retak &lt;panjang&gt; &amp; &quot;dalam&quot; di Jl. "
                        "Salak</description>"),
            std::string::npos)
      << g.body;
  EXPECT_EQ(xml_element(g.body, "lat"), kLat);
  EXPECT_EQ(xml_element(g.body, "long"), kLong);
  EXPECT_EQ(xml_element(g.body, "media_url"), "https://img.example.id/lubang.jpg");
  EXPECT_NE(g.body.find("<zipcode></zipcode>"), std::string::npos);
}

TEST_P(Open311, AReportsPhotoIsItsMediaUrl) {
  const complaints::Complaint c =
      citizen_report("Sampah dibuang di pinggir kali.", false, {std::string(kPhoto)});
  auto view = service().view(nullptr, c.tracking);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->photos.size(), 1u);
  auto g = get("requests/" + c.tracking + ".json");
  ASSERT_EQ(g.status, 200) << g.body;
  const std::string media = str(json_array(g).at(0).at("media_url"));
  const std::string origin = "https://balai.example.go.id";
  EXPECT_EQ(media,
            origin + "/api/v1/complaints/" + c.tracking + "/photos/" + view->photos.front().id);
  auto photo = server_->get(media.substr(origin.size()));
  EXPECT_EQ(photo.status, 200);
  EXPECT_EQ(photo.header("content-type"), "image/png");
}

TEST_P(Open311, AMultipleChoiceAttributeTakesRepeatedValues) {
  complaints::Category walk{"trotoar",
                            "Trotoar rusak",
                            "Broken pavement",
                            "Trotoar rusak atau terhalang.",
                            "Broken or blocked pavement.",
                            "dpupr",
                            true,
                            50,
                            {},
                            9};
  walk.attributes = {{"masalah",
                      complaints::AttributeType::multivaluelist,
                      true,
                      "Apa masalahnya?",
                      1,
                      {{"retak", "Retak"}, {"terhalang", "Terhalang"}, {"licin", "Licin"}}}};
  save_category(walk);
  auto def = get("services/trotoar.json");
  ASSERT_EQ(def.status, 200) << def.body;
  EXPECT_EQ(str(boost::json::parse(def.body).at("attributes").at(0).at("datatype")),
            "multivaluelist");
  const auto [id, token] = submit({{"api_key", api_key_},
                                   {"service_code", "trotoar"},
                                   {"address_string", "Jl. Pahlawan 5"},
                                   {"description", "Trotoar retak dan dipakai parkir."},
                                   {"attribute[masalah][]", "retak"},
                                   {"attribute[masalah][]", "terhalang"}});
  ASSERT_FALSE(id.empty());
  auto c = service().view(nullptr, id);
  ASSERT_TRUE(c.ok());
  const std::vector<std::pair<std::string, std::string>> expected{{"masalah", "retak"},
                                                                  {"masalah", "terhalang"}};
  EXPECT_EQ(c->complaint.attributes, expected);
  EXPECT_EQ(c->complaint.source, "open311");
  // Without a pin the place is the address the client gave.
  auto g = get("requests/" + id + ".json");
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_TRUE(json_array(g).at(0).at("lat").is_null());
  EXPECT_EQ(str(json_array(g).at(0).at("address")), "Jl. Pahlawan 5");
}

TEST_P(Open311, TheListFiltersByIdServiceStatusDatesAndPages) {
  const auto [road1, t1] = submit(pothole("Lubang pertama."));
  const auto [road2, t2] = submit(pothole("Lubang kedua."));
  const auto [waste, t3] = submit({{"api_key", api_key_},
                                   {"service_code", "sampah"},
                                   {"lat", kLat},
                                   {"long", kLong},
                                   {"description", "Sampah menumpuk di taman."}});
  ASSERT_FALSE(road1.empty() || road2.empty() || waste.empty());
  // One of them is refused by the desk (not as spam, which leaves the public record): closed.
  const security::Actor verifier{
      "desk-officer", security::Role::officer, "diskominfo", security::AuthMethod::session, "", {}};
  ASSERT_TRUE(
      service()
          .reject(verifier, road2, "incomplete", "Lokasi kurang jelas.", {"127.0.0.1", "t", "api"})
          .ok());

  const auto ids_of = [&](const std::string& query) {
    auto r = get("requests.json" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> ids;
    for (const auto& item : json_array(r)) ids.push_back(str(item.at("service_request_id")));
    return ids;
  };
  const auto has = [](const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };

  // Default: the last 90 days, every status, newest first.
  auto all = ids_of("");
  ASSERT_GE(all.size(), 3u);
  EXPECT_EQ(all[0], waste);
  EXPECT_EQ(all[1], road2);
  EXPECT_EQ(all[2], road1);

  EXPECT_EQ(ids_of("?service_request_id=" + road1 + "," + waste + ",ADU-1999-000001"),
            (std::vector<std::string>{waste, road1}));
  // service_request_id overrides every other argument.
  EXPECT_EQ(ids_of("?service_request_id=" + road1 + "&service_code=sampah&status=closed"),
            (std::vector<std::string>{road1}));

  auto roads = ids_of("?service_code=jalan-rusak");
  EXPECT_TRUE(has(roads, road1) && has(roads, road2) && !has(roads, waste));
  auto both = ids_of("?service_code=jalan-rusak,sampah&page_size=1000");
  EXPECT_TRUE(has(both, road1) && has(both, road2) && has(both, waste));
  EXPECT_EQ(both[0], waste);

  auto closed = ids_of("?status=closed");
  EXPECT_EQ(closed, (std::vector<std::string>{road2}));
  auto open = ids_of("?status=open");
  EXPECT_TRUE(has(open, road1) && has(open, waste) && !has(open, road2));
  EXPECT_EQ(ids_of("?status=open,closed").size(), all.size());
  auto closed_one = get("requests.json?status=closed");
  EXPECT_EQ(str(json_array(closed_one).at(0).at("status_notes")).empty(), false) << closed_one.body;

  const core::Timestamp now = app().clock.now();
  const auto iso = [&](int64_t offset_ms) {
    return url_encode(
        core::format_iso8601(core::Timestamp{now.ms + offset_ms}, app().config.city.zone));
  };
  constexpr int64_t kDay = 86'400'000;
  auto today = ids_of("?start_date=" + iso(-kDay) + "&end_date=" + iso(kDay));
  EXPECT_TRUE(has(today, road1) && has(today, waste));
  EXPECT_TRUE(ids_of("?start_date=" + iso(-30 * kDay) + "&end_date=" + iso(-20 * kDay)).empty());
  EXPECT_TRUE(ids_of("?end_date=" + iso(-kDay)).empty());
  EXPECT_TRUE(has(ids_of("?start_date=" + iso(-kDay)), waste));
  // An offset's "+" sent without percent-encoding (a space once decoded) is understood.
  auto raw = ids_of("?start_date=" +
                    core::format_iso8601(core::Timestamp{now.ms - kDay}, app().config.city.zone));
  EXPECT_TRUE(has(raw, road1));
  // UTC is as good as the city's offset.
  auto utc = ids_of("?start_date=" + url_encode(core::format_iso8601_utc({now.ms - kDay})));
  EXPECT_TRUE(has(utc, road1));

  // Pages, newest first, with the total in a header.
  auto first = get("requests.json?page_size=2");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.header("x-total-count"), std::to_string(all.size()));
  EXPECT_EQ(ids_of("?page_size=2"), (std::vector<std::string>{all[0], all[1]}));
  const std::vector<std::string> second(all.begin() + 2,
                                        all.begin() + std::min<size_t>(4, all.size()));
  EXPECT_EQ(ids_of("?page_size=2&page=2"), second);
  EXPECT_TRUE(ids_of("?page_size=2&page=1000").empty());
  // Several service codes page the same way.
  EXPECT_EQ(ids_of("?service_code=jalan-rusak,sampah&page_size=1&page=2"),
            (std::vector<std::string>{road2}));

  // XML lists use <service_requests><request>.
  auto x = get("requests.xml?service_request_id=" + road1);
  ASSERT_EQ(x.status, 200) << x.body;
  EXPECT_TRUE(x.body.starts_with(std::string(kXmlDeclaration) +
                                 "<service_requests><request><service_request_id>" + road1));
  EXPECT_TRUE(x.body.ends_with("</request></service_requests>"));
  auto none = get("requests.xml?service_request_id=ADU-1999-000001");
  EXPECT_EQ(none.body, std::string(kXmlDeclaration) + "<service_requests></service_requests>");
  EXPECT_EQ(get("requests.json?service_request_id=ADU-1999-000001").body, "[]");
}

TEST_P(Open311, RefusedPostsAnswerTheErrorShapeAndStoreNothing) {
  const int64_t before = stored_reports();
  expect_errors(post("requests.json", without(pothole(), "api_key")), 403,
                {"api_key: missing or not a valid key"});
  expect_errors(post("requests.json", with(pothole(), "api_key", "bt_not-a-real-key")), 403,
                {"api_key: missing or not a valid key"});
  expect_errors(
      post("requests.json", with(pothole(), "api_key", new_token(security::Role::device))), 403,
      {"api_key: not an integrator's key"});
  const std::string revoked = new_token(security::Role::integrator);
  {
    auto tokens = server_->runtime().security().tokens.list();
    ASSERT_TRUE(tokens.ok());
    ASSERT_TRUE(
        server_->runtime().security().tokens.revoke(tokens->front().id, app().clock.now()).ok());
  }
  expect_errors(post("requests.json", with(pothole(), "api_key", revoked)), 403,
                {"api_key: missing or not a valid key"});

  expect_errors(post("requests.json", without(pothole(), "service_code")), 400,
                {"service_code: required"});
  expect_xml_error(post("requests.xml", without(pothole(), "service_code")), 400,
                   "service_code: required");
  expect_errors(post("requests.json", with(pothole(), "service_code", "tidak-ada")), 404,
                {"service_code: no such service"});
  expect_errors(post("requests.json", without(pothole(), "long")), 400,
                {"long: required with the other coordinate"});
  expect_errors(post("requests.json", with(pothole(), "lat", "tujuh")), 400,
                {"lat: latitude and longitude must be decimal degrees"});
  expect_errors(post("requests.json", with(with(pothole(), "lat", "-6.2088"), "long", "106.8456")),
                400, {"lat: the place is outside the city's area"});
  expect_errors(
      post("requests.json", without(without(without(pothole(), "lat"), "long"), "address_string")),
      400, {"location: required (lat and long, address_string or address_id)"});
  expect_errors(post("requests.json", with(pothole(), "description", std::string(4001, 'a'))), 400,
                {"description: at most 4000 characters"});
  expect_errors(post("requests.json", with(pothole(), "description", "   ")), 400,
                {"description: required"});
  expect_errors(post("requests.json", with(pothole(), "attribute[kerusakan]", "bocor")), 400,
                {"attribute[kerusakan]: not one of the allowed values"});
  expect_errors(post("requests.json", without(pothole(), "attribute[kerusakan]")), 400,
                {"attribute[kerusakan]: required"});
  expect_xml_error(post("requests.xml", without(pothole(), "attribute[kerusakan]")), 400,
                   "attribute[kerusakan]: required");
  // Several problems at once: one error each.
  expect_errors(post("requests.json",
                     with(without(pothole(), "attribute[kerusakan]"), "email", "bukan-email")),
                400, {"attribute[kerusakan]: required", "email: not an email address"});
  // Not a form.
  auto json_body = server_->send("POST", std::string(kBase) + "requests.json", "{}",
                                 {{"Content-Type", "application/json"}});
  EXPECT_EQ(json_body.status, 400) << json_body.body;
  EXPECT_EQ(json_array(json_body).size(), 1u);
  EXPECT_EQ(stored_reports(), before);
}

TEST_P(Open311, RefusedReadsAnswerTheErrorShape) {
  const std::string w3 = ": a W3C date and time with its offset, e.g. 2026-11-28T09:30:00+07:00";
  expect_errors(get("requests.json?start_date=2026-11-28"), 400, {"start_date" + w3});
  expect_errors(get("requests.json?end_date=kemarin"), 400, {"end_date" + w3});
  expect_errors(get("requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z"),
                400, {"start_date, end_date: the range may not span more than 90 days"});
  expect_errors(get("requests.json?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z"),
                400, {"end_date: before start_date"});
  expect_xml_error(get("requests.xml?start_date=2026-13-01T00:00:00Z"), 400, "start_date" + w3);
  expect_errors(get("requests.json?status=pending"), 400,
                {"status: open, closed or both (comma-separated)"});
  expect_errors(get("requests.json?page=0"), 400, {"page: a whole number from 1"});
  expect_errors(get("requests.json?page_size=1001"), 400,
                {"page_size: a whole number from 1 to 1000"});
  expect_errors(get("requests.json?page_size=x&page=-1"), 400,
                {"page: a whole number from 1", "page_size: a whole number from 1 to 1000"});

  expect_errors(get("requests/ADU-2026-999999.json"), 404, {"service_request_id: no such request"});
  expect_xml_error(get("requests/ADU-2026-999999.xml"), 404, "service_request_id: no such request");
  expect_errors(get("requests/bukan-nomor.json"), 404, {"service_request_id: no such request"});
  expect_errors(get("tokens/00000000-0000-7000-8000-000000000000.json"), 404,
                {"token: no such token"});
  // Formats other than .json and .xml, and paths that are not resources.
  expect_errors(get("services.html"), 404, {"No such resource."});
  expect_errors(get("services/jalan-rusak.yaml"), 404, {"No such resource."});
  expect_errors(get("requests/ADU-2026-000001"), 404, {"No such resource."});
  expect_errors(get("unknown.json"), 404, {"No such resource."});
  expect_xml_error(get("nested/unknown.xml"), 404, "No such resource.");
  auto refused = server_->send("DELETE", std::string(kBase) + "services.xml", "");
  expect_xml_error(refused, 405, "Method not allowed here.");
  EXPECT_EQ(refused.header("allow"), "GET, HEAD");
  auto gone = get("nothing");
  EXPECT_EQ(gone.header("access-control-allow-origin"), "*");
}

TEST_P(Open311, ConfidentialReportsNeverAppear) {
  const std::string id =
      citizen_report("Laporan rahasia tentang pembuangan sampah ilegal.", true).tracking;
  ASSERT_FALSE(id.empty());
  const complaints::Complaint open = citizen_report("Laporan biasa.", false);

  for (const std::string& query : std::vector<std::string>{
           "requests.json", "requests.xml", "requests.json?service_code=sampah",
           "requests.json?status=open", "requests.json?service_request_id=" + id,
           "requests.json?service_request_id=" + id + "," + open.tracking}) {
    auto r = get(query);
    EXPECT_EQ(r.status, 200) << query;
    EXPECT_EQ(r.body.find(id), std::string::npos) << query;
    EXPECT_EQ(r.body.find("rahasia"), std::string::npos) << query;
  }
  EXPECT_NE(get("requests.json").body.find(open.tracking), std::string::npos);
  expect_errors(get("requests/" + id + ".json"), 404, {"service_request_id: no such request"});
  expect_xml_error(get("requests/" + id + ".xml"), 404, "service_request_id: no such request");
}

INSTANTIATE_TEST_SUITE_P(Backends, Open311, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

// The demo city (`balai demo`) offers its categories as services, and its reports are public.
class Open311Demo : public ::testing::TestWithParam<std::string> {};

TEST_P(Open311Demo, OffersTheDemoCategoriesAndReports) {
  if (!database_backend_available(GetParam()))
    GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
  TempDatabase database(GetParam());
  ServerHarness server({}, GetParam() == "sqlite" ? std::string{} : database.url());
  auto services = server.get(std::string(kBase) + "services.json");
  ASSERT_EQ(services.status, 200) << services.body;
  std::vector<std::string> codes;
  for (const auto& s : json_array(services)) codes.push_back(str(s.at("service_code")));
  for (const char* code :
       {"jalan-rusak", "sampah", "lampu-jalan", "drainase", "pohon-tumbang", "pelayanan-publik"})
    EXPECT_NE(std::find(codes.begin(), codes.end(), code), codes.end()) << code;
  auto def = server.get(std::string(kBase) + "services/jalan-rusak.xml");
  ASSERT_EQ(def.status, 200) << def.body;
  EXPECT_NE(def.body.find("<code>kerusakan</code><datatype>singlevaluelist</datatype>"
                          "<required>true</required>"),
            std::string::npos)
      << def.body;
  auto requests = server.get(std::string(kBase) + "requests.json");
  ASSERT_EQ(requests.status, 200) << requests.body;
  EXPECT_FALSE(json_array(requests).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, Open311Demo, ::testing::ValuesIn(test_database_backends()),
                         backend_test_name);

}  // namespace
}  // namespace balai::testing
