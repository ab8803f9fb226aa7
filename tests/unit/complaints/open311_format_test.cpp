#include "modules/complaints/open311_format.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <vector>

namespace balai::complaints::open311 {
namespace {

constexpr const char* kXmlDeclaration = R"(<?xml version="1.0" encoding="utf-8"?>)";

// 2026-11-28T09:30:00+07:00 (02:30 UTC).
constexpr core::Timestamp kCreated{1'795'833'000'000};

boost::json::value json(const std::string& text) {
  return boost::json::parse(text);
}

Category pothole_category() {
  Category c;
  c.code = "jalan-rusak";
  c.name_id = "Jalan Rusak";
  c.name_en = "Damaged Road";
  c.description_id = "Lubang, retak atau amblas di jalan kota.";
  c.description_en = "Potholes, cracks or subsidence on a city road.";
  c.agency_code = "dpupr";
  c.physical = true;
  Attribute kind;
  kind.code = "kerusakan";
  kind.type = AttributeType::singlevaluelist;
  kind.required = true;
  kind.description = "Jenis kerusakan";
  kind.order = 5;
  kind.values = {{"lubang", "Lubang"}, {"retak", "Retak"}, {"amblas", "Amblas"}};
  Attribute width;
  width.code = "lebar";
  width.type = AttributeType::number;
  width.description = "Perkiraan lebar (m)";
  width.order = 9;
  // Given after the later one: the definition orders by `order`.
  c.attributes = {width, kind};
  return c;
}

Category rubbish_category() {
  Category c;
  c.code = "sampah";
  c.name_id = "Sampah";
  c.description_id = "Sampah menumpuk.";
  c.agency_code = "dlh";
  return c;
}

Complaint open_complaint() {
  Complaint c;
  c.tracking = "ADU-2026-000123";
  c.category_code = "jalan-rusak";
  c.description = "Lubang besar di depan pasar.";
  c.location = core::GeoPoint{-7'629'800, 111'523'400};
  c.address = "Jl. Pahlawan 12";
  c.village_code = "35.77.01.1002";
  c.status = Status::dispositioned;
  c.agency_code = "dpupr";
  c.status_note = "Diteruskan ke DPUPR.";
  c.created_at = kCreated;
  c.updated_at = core::Timestamp{kCreated.ms + 3'600'000};
  c.due_at = core::Timestamp{kCreated.ms + 5 * 86'400'000LL};
  return c;
}

TEST(Open311Resource, SplitsTheFormatSuffix) {
  auto r = parse_resource("services.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "services");
  EXPECT_EQ(r->format, Format::json);
  r = parse_resource("ADU-2026-000123.xml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "ADU-2026-000123");
  EXPECT_EQ(r->format, Format::xml);
}

TEST(Open311Resource, RefusesOtherSuffixes) {
  EXPECT_FALSE(parse_resource("services.html"));
  EXPECT_FALSE(parse_resource("services.JSON"));
  EXPECT_FALSE(parse_resource("services"));
  EXPECT_FALSE(parse_resource(".json"));
  EXPECT_FALSE(parse_resource("services.json.bak"));
}

TEST(Open311ContentType, IsTheSpecificationsWithCharset) {
  EXPECT_EQ(content_type(Format::json), "application/json; charset=utf-8");
  EXPECT_EQ(content_type(Format::xml), "text/xml; charset=utf-8");
}

TEST(Open311Discovery, ListsOneEndpointWithBothFormats) {
  Discovery d{"2026-11-01T00:00:00+07:00", "Kota Madiun", "balai token create --role integrator",
              "https://balai.example.go.id/open311/v2"};
  const auto j = json(discovery(d, Format::json)).as_object();
  EXPECT_EQ(j.at("changeset").as_string(), "2026-11-01T00:00:00+07:00");
  EXPECT_EQ(j.at("contact").as_string(), "Kota Madiun");
  EXPECT_EQ(j.at("key_service").as_string(), "balai token create --role integrator");
  const auto& endpoints = j.at("endpoints").as_array();
  ASSERT_EQ(endpoints.size(), 1u);
  const auto& e = endpoints[0].as_object();
  EXPECT_EQ(e.at("specification").as_string(), "http://wiki.open311.org/GeoReport_v2");
  EXPECT_EQ(e.at("url").as_string(), "https://balai.example.go.id/open311/v2");
  EXPECT_EQ(e.at("changeset").as_string(), "2026-11-01T00:00:00+07:00");
  EXPECT_EQ(e.at("type").as_string(), "production");
  EXPECT_EQ(boost::json::serialize(e.at("formats")), R"(["text/xml","application/json"])");
}

TEST(Open311Discovery, WritesTheXmlElementsOfTheSpecification) {
  Discovery d{"c1", "k", "key", "/open311/v2"};
  EXPECT_EQ(discovery(d, Format::xml),
            std::string(kXmlDeclaration) +
                "<discovery><changeset>c1</changeset><contact>k</contact>"
                "<key_service>key</key_service><endpoints><endpoint>"
                "<specification>http://wiki.open311.org/GeoReport_v2</specification>"
                "<url>/open311/v2</url><changeset>c1</changeset><type>production</type>"
                "<formats><format>text/xml</format><format>application/json</format></formats>"
                "</endpoint></endpoints></discovery>");
}

TEST(Open311Services, MapsEachCategoryFieldByField) {
  const std::vector<Category> categories{pothole_category(), rubbish_category()};
  const auto list = json(services(categories, Format::json)).as_array();
  ASSERT_EQ(list.size(), 2u);
  const auto& s = list[0].as_object();
  EXPECT_EQ(s.size(), 7u);
  EXPECT_EQ(s.at("service_code").as_string(), "jalan-rusak");
  EXPECT_EQ(s.at("service_name").as_string(), "Jalan Rusak");
  EXPECT_EQ(s.at("description").as_string(), "Lubang, retak atau amblas di jalan kota.");
  EXPECT_EQ(s.at("metadata").as_bool(), true);
  EXPECT_EQ(s.at("type").as_string(), "realtime");
  EXPECT_EQ(s.at("keywords").as_string(), "");
  EXPECT_EQ(s.at("group").as_string(), "dpupr");
  EXPECT_EQ(list[1].as_object().at("metadata").as_bool(), false);
}

TEST(Open311Services, WritesServicesAndServiceElementsInXml) {
  const std::vector<Category> categories{rubbish_category()};
  EXPECT_EQ(services(categories, Format::xml),
            std::string(kXmlDeclaration) +
                "<services><service><service_code>sampah</service_code>"
                "<service_name>Sampah</service_name><description>Sampah menumpuk.</description>"
                "<metadata>false</metadata><type>realtime</type><keywords></keywords>"
                "<group>dlh</group></service></services>");
}

TEST(Open311Services, AnEmptyListIsAnEmptyArrayAndAnEmptyRoot) {
  EXPECT_EQ(services({}, Format::json), "[]");
  EXPECT_EQ(services({}, Format::xml), std::string(kXmlDeclaration) + "<services></services>");
}

TEST(Open311ServiceDefinition, OrdersAndNumbersTheAttributes) {
  const auto d = json(service_definition(pothole_category(), Format::json)).as_object();
  EXPECT_EQ(d.at("service_code").as_string(), "jalan-rusak");
  const auto& attributes = d.at("attributes").as_array();
  ASSERT_EQ(attributes.size(), 2u);
  const auto& a = attributes[0].as_object();
  EXPECT_EQ(a.at("variable").as_bool(), true);
  EXPECT_EQ(a.at("code").as_string(), "kerusakan");
  EXPECT_EQ(a.at("datatype").as_string(), "singlevaluelist");
  EXPECT_EQ(a.at("required").as_bool(), true);
  EXPECT_EQ(a.at("datatype_description").as_string(), "");
  EXPECT_EQ(a.at("order").as_int64(), 1);
  EXPECT_EQ(a.at("description").as_string(), "Jenis kerusakan");
  EXPECT_EQ(boost::json::serialize(a.at("values")),
            R"([{"key":"lubang","name":"Lubang"},{"key":"retak","name":"Retak"},)"
            R"({"key":"amblas","name":"Amblas"}])");
  const auto& b = attributes[1].as_object();
  EXPECT_EQ(b.at("code").as_string(), "lebar");
  EXPECT_EQ(b.at("datatype").as_string(), "number");
  EXPECT_EQ(b.at("required").as_bool(), false);
  EXPECT_EQ(b.at("order").as_int64(), 2);
  EXPECT_TRUE(b.at("values").as_array().empty());
}

TEST(Open311ServiceDefinition, WritesAttributesAndValuesElementsInXml) {
  Category c = pothole_category();
  c.attributes.erase(c.attributes.begin());  // only "kerusakan"
  c.attributes[0].values.resize(1);
  EXPECT_EQ(service_definition(c, Format::xml),
            std::string(kXmlDeclaration) +
                "<service_definition><service_code>jalan-rusak</service_code><attributes>"
                "<attribute><variable>true</variable><code>kerusakan</code>"
                "<datatype>singlevaluelist</datatype><required>true</required>"
                "<datatype_description></datatype_description><order>1</order>"
                "<description>Jenis kerusakan</description><values><value><key>lubang</key>"
                "<name>Lubang</name></value></values></attribute></attributes>"
                "</service_definition>");
}

TEST(Open311ServiceDefinition, ACategoryWithoutAttributesHasAnEmptyList) {
  const auto d = json(service_definition(rubbish_category(), Format::json)).as_object();
  EXPECT_TRUE(d.at("attributes").as_array().empty());
}

TEST(Open311ServiceRequests, MapsAnOpenReportFieldByField) {
  const Complaint c = open_complaint();
  const std::vector<ServiceRequest> rs{{&c, "Jalan Rusak", ""}};
  const auto list =
      json(service_requests(rs, {core::Zone::wib, "https://x.go.id"}, Format::json)).as_array();
  ASSERT_EQ(list.size(), 1u);
  const auto& r = list[0].as_object();
  EXPECT_EQ(r.size(), 17u);
  EXPECT_EQ(r.at("service_request_id").as_string(), "ADU-2026-000123");
  EXPECT_EQ(r.at("status").as_string(), "open");
  EXPECT_EQ(r.at("status_notes").as_string(), "Diteruskan ke DPUPR.");
  EXPECT_EQ(r.at("service_name").as_string(), "Jalan Rusak");
  EXPECT_EQ(r.at("service_code").as_string(), "jalan-rusak");
  EXPECT_EQ(r.at("description").as_string(), "Lubang besar di depan pasar.");
  EXPECT_EQ(r.at("agency_responsible").as_string(), "dpupr");
  EXPECT_EQ(r.at("service_notice").as_string(), "");
  EXPECT_EQ(r.at("requested_datetime").as_string(), "2026-11-28T09:30:00+07:00");
  EXPECT_EQ(r.at("updated_datetime").as_string(), "2026-11-28T10:30:00+07:00");
  EXPECT_EQ(r.at("expected_datetime").as_string(), "2026-12-03T09:30:00+07:00");
  EXPECT_EQ(r.at("address").as_string(), "Jl. Pahlawan 12");
  EXPECT_EQ(r.at("address_id").as_string(), "35.77.01.1002");
  EXPECT_EQ(r.at("zipcode").as_string(), "");
  EXPECT_DOUBLE_EQ(r.at("lat").as_double(), -7.6298);
  EXPECT_DOUBLE_EQ(r.at("long").as_double(), 111.5234);
  EXPECT_TRUE(r.at("media_url").is_null());
}

TEST(Open311ServiceRequests, WritesLatitudeAndLongitudeAsPlainDecimals) {
  const Complaint c = open_complaint();
  const std::vector<ServiceRequest> rs{{&c, "Jalan Rusak", ""}};
  const std::string body = service_requests(rs, {}, Format::json);
  EXPECT_NE(body.find(R"("lat":-7.629800,"long":111.523400)"), std::string::npos) << body;
}

TEST(Open311ServiceRequests, UsesTheCitysOffset) {
  const Complaint c = open_complaint();
  const std::vector<ServiceRequest> rs{{&c, "", ""}};
  const auto r = json(service_requests(rs, {core::Zone::wit, ""}, Format::json)).as_array()[0];
  EXPECT_EQ(r.at("requested_datetime").as_string(), "2026-11-28T11:30:00+09:00");
}

TEST(Open311ServiceRequests, AClosedReportHasNoExpectedTime) {
  Complaint c = open_complaint();
  c.status = Status::rejected;
  const std::vector<ServiceRequest> rs{{&c, "Jalan Rusak", ""}};
  const auto r = json(service_requests(rs, {}, Format::json)).as_array()[0].as_object();
  EXPECT_EQ(r.at("status").as_string(), "closed");
  EXPECT_TRUE(r.at("expected_datetime").is_null());
}

TEST(Open311ServiceRequests, BeforeDispositionNoAgencyIsResponsible) {
  Complaint c = open_complaint();
  c.status = Status::submitted;
  c.agency_code.clear();
  const std::vector<ServiceRequest> rs{{&c, "Jalan Rusak", ""}};
  const auto r = json(service_requests(rs, {}, Format::json)).as_array()[0].as_object();
  EXPECT_EQ(r.at("status").as_string(), "open");
  EXPECT_EQ(r.at("agency_responsible").as_string(), "");
}

TEST(Open311ServiceRequests, WithoutAPinLatitudeAndLongitudeAreNull) {
  Complaint c = open_complaint();
  c.location.reset();
  const std::vector<ServiceRequest> rs{{&c, "Jalan Rusak", ""}};
  const auto r = json(service_requests(rs, {}, Format::json)).as_array()[0].as_object();
  EXPECT_TRUE(r.at("lat").is_null());
  EXPECT_TRUE(r.at("long").is_null());
  const std::string xml = service_requests(rs, {}, Format::xml);
  EXPECT_NE(xml.find("<zipcode></zipcode><lat/><long/><media_url/></request>"), std::string::npos)
      << xml;
}

TEST(Open311ServiceRequests, MediaUrlIsTheClientsOrElseTheFirstPhoto) {
  Complaint c = open_complaint();
  std::vector<ServiceRequest> rs{{&c, "Jalan Rusak", "0193-photo"}};
  auto r = json(service_requests(rs, {core::Zone::wib, "https://x.go.id"}, Format::json))
               .as_array()[0]
               .as_object();
  EXPECT_EQ(r.at("media_url").as_string(),
            "https://x.go.id/api/v1/complaints/ADU-2026-000123/photos/0193-photo");
  c.media_url = "https://img.example/a.jpg";
  r = json(service_requests(rs, {core::Zone::wib, "https://x.go.id"}, Format::json))
          .as_array()[0]
          .as_object();
  EXPECT_EQ(r.at("media_url").as_string(), "https://img.example/a.jpg");
}

TEST(Open311ServiceRequests, WithoutANameTheServiceNameIsTheCode) {
  const Complaint c = open_complaint();
  const std::vector<ServiceRequest> rs{{&c, "", ""}};
  const auto r = json(service_requests(rs, {}, Format::json)).as_array()[0].as_object();
  EXPECT_EQ(r.at("service_name").as_string(), "jalan-rusak");
}

TEST(Open311ServiceRequests, WritesEveryFieldInXmlInTheSpecificationsOrder) {
  const Complaint c = open_complaint();
  const std::vector<ServiceRequest> rs{{&c, "Jalan Rusak", ""}};
  EXPECT_EQ(service_requests(rs, {}, Format::xml),
            std::string(kXmlDeclaration) +
                "<service_requests><request>"
                "<service_request_id>ADU-2026-000123</service_request_id>"
                "<status>open</status><status_notes>Diteruskan ke DPUPR.</status_notes>"
                "<service_name>Jalan Rusak</service_name><service_code>jalan-rusak</service_code>"
                "<description>Lubang besar di depan pasar.</description>"
                "<agency_responsible>dpupr</agency_responsible><service_notice></service_notice>"
                "<requested_datetime>2026-11-28T09:30:00+07:00</requested_datetime>"
                "<updated_datetime>2026-11-28T10:30:00+07:00</updated_datetime>"
                "<expected_datetime>2026-12-03T09:30:00+07:00</expected_datetime>"
                "<address>Jl. Pahlawan 12</address><address_id>35.77.01.1002</address_id>"
                "<zipcode></zipcode><lat>-7.629800</lat><long>111.523400</long><media_url/>"
                "</request></service_requests>");
}

TEST(Open311ServiceRequests, AnEmptyListIsAnEmptyArrayAndAnEmptyRoot) {
  EXPECT_EQ(service_requests({}, {}, Format::json), "[]");
  EXPECT_EQ(service_requests({}, {}, Format::xml),
            std::string(kXmlDeclaration) + "<service_requests></service_requests>");
}

TEST(Open311ServiceRequests, EscapesMarkupInXml) {
  Complaint c = open_complaint();
  c.description = R"(Pipa <bocor> & "air" 'keruh')";
  const std::vector<ServiceRequest> rs{{&c, "A&B", ""}};
  const std::string xml = service_requests(rs, {}, Format::xml);
  EXPECT_NE(xml.find("<description>Pipa &lt;bocor&gt; &amp; &quot;air&quot; &apos;keruh&apos;"
                     "</description>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<service_name>A&amp;B</service_name>"), std::string::npos);
  EXPECT_EQ(xml.find("<bocor>"), std::string::npos);
}

TEST(Open311ServiceRequests, EscapesQuotesAndControlsInJson) {
  Complaint c = open_complaint();
  c.description = "Pipa <bocor> & \"air\" 'keruh'\nbaris dua\\";
  const std::vector<ServiceRequest> rs{{&c, "", ""}};
  const std::string body = service_requests(rs, {}, Format::json);
  EXPECT_NE(body.find(R"("Pipa <bocor> & \"air\" 'keruh'\nbaris dua\\")"), std::string::npos)
      << body;
  EXPECT_EQ(json(body).as_array()[0].at("description").as_string(), c.description);
}

TEST(Open311ServiceRequests, KeepsLineBreaksAndDropsWhatXmlCannotCarry) {
  Complaint c = open_complaint();
  c.description = "satu\r\ndua\tx\x01y\x7fz";
  const std::vector<ServiceRequest> rs{{&c, "", ""}};
  const std::string xml = service_requests(rs, {}, Format::xml);
  EXPECT_NE(xml.find("<description>satu&#13;\ndua\txy\x7fz</description>"), std::string::npos)
      << xml;
}

TEST(Open311ServiceRequests, NeverCarriesTheReportersIdentity) {
  Complaint c = open_complaint();
  c.reporter_key = 42;
  c.assignee = "0193-staff-id";
  c.open311_token = "secret-token";
  const std::vector<ServiceRequest> rs{{&c, "", ""}};
  for (Format f : {Format::json, Format::xml}) {
    const std::string body = service_requests(rs, {}, f);
    EXPECT_EQ(body.find("42"), std::string::npos);
    EXPECT_EQ(body.find("0193-staff-id"), std::string::npos);
    EXPECT_EQ(body.find("secret-token"), std::string::npos);
    EXPECT_EQ(body.find("account"), std::string::npos);
  }
}

TEST(Open311Created, AnswersTheNumberTheTokenAndANullAccount) {
  Created c{"ADU-2026-000124", "tok-1", "Diverifikasi dalam 3 hari kerja."};
  EXPECT_EQ(created(c, Format::json),
            R"([{"service_request_id":"ADU-2026-000124","token":"tok-1",)"
            R"("service_notice":"Diverifikasi dalam 3 hari kerja.","account_id":null}])");
  EXPECT_EQ(created(c, Format::xml),
            std::string(kXmlDeclaration) +
                "<service_requests><request><service_request_id>ADU-2026-000124"
                "</service_request_id><token>tok-1</token><service_notice>Diverifikasi dalam 3 "
                "hari kerja.</service_notice><account_id/></request></service_requests>");
}

TEST(Open311Token, AnswersTheNumberForAToken) {
  EXPECT_EQ(token_answer("ADU-2026-000124", "tok-1", Format::json),
            R"([{"service_request_id":"ADU-2026-000124","token":"tok-1"}])");
  EXPECT_EQ(token_answer("ADU-2026-000124", "tok-1", Format::xml),
            std::string(kXmlDeclaration) +
                "<service_requests><request><service_request_id>ADU-2026-000124"
                "</service_request_id><token>tok-1</token></request></service_requests>");
}

TEST(Open311Errors, AnswersAnArrayOfCodesAndDescriptions) {
  const std::vector<Problem> problems{{400, "description: required"},
                                      {400, "attribute[jenis]: not one of the allowed values"}};
  EXPECT_EQ(errors(problems, Format::json),
            R"([{"code":400,"description":"description: required"},)"
            R"({"code":400,"description":"attribute[jenis]: not one of the allowed values"}])");
  EXPECT_EQ(errors(problems, Format::xml),
            std::string(kXmlDeclaration) +
                "<errors><error><code>400</code><description>description: required"
                "</description></error><error><code>400</code><description>attribute[jenis]: "
                "not one of the allowed values</description></error></errors>");
}

TEST(Open311Errors, EscapesTheDescription) {
  const std::vector<Problem> problems{{403, "api_key <x> & \"y\""}};
  EXPECT_EQ(errors(problems, Format::xml),
            std::string(kXmlDeclaration) +
                "<errors><error><code>403</code><description>api_key &lt;x&gt; &amp; "
                "&quot;y&quot;</description></error></errors>");
  EXPECT_EQ(json(errors(problems, Format::json)).as_array()[0].at("description").as_string(),
            "api_key <x> & \"y\"");
}

TEST(Open311Errors, AnEmptyListIsStillWellFormed) {
  EXPECT_EQ(errors({}, Format::json), "[]");
  EXPECT_EQ(errors({}, Format::xml), std::string(kXmlDeclaration) + "<errors></errors>");
}

}  // namespace
}  // namespace balai::complaints::open311
