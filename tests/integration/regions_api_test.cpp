// The region-code API over real HTTP: the lists the pickers fill themselves from, one region
// with its lineage, and the unhappy paths.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/server_harness.h"

namespace balai::testing {
namespace {

class RegionsApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerHarness({}, {}, /*seed_demo=*/false); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static boost::json::object json(const HttpReply& r) {
    return boost::json::parse(r.body).as_object();
  }
  static std::string error_code(const HttpReply& r) {
    return std::string(json(r).at("error").at("code").as_string());
  }
  static ServerHarness* server_;
};
ServerHarness* RegionsApi::server_ = nullptr;

TEST_F(RegionsApi, ListsTheProvincesWhenNoParentIsGiven) {
  const auto r = server_->get("/api/v1/regions");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("cache-control"), "public, max-age=86400");
  const auto body = json(r);
  EXPECT_TRUE(body.at("parent").is_null());
  const auto& regions = body.at("regions").as_array();
  ASSERT_EQ(regions.size(), 38u);
  EXPECT_EQ(regions[0].at("code").as_string(), "11");
  EXPECT_EQ(regions[0].at("name").as_string(), "Aceh");
  EXPECT_EQ(regions[0].at("level").as_string(), "province");
}

TEST_F(RegionsApi, ListsTheDistrictsOfARegencyWithTheParent) {
  const auto r = server_->get("/api/v1/regions?parent=35.77");
  ASSERT_EQ(r.status, 200);
  const auto body = json(r);
  EXPECT_EQ(body.at("parent").at("code").as_string(), "35.77");
  EXPECT_EQ(body.at("parent").at("name").as_string(), "Kota Madiun");
  EXPECT_EQ(body.at("parent").at("level").as_string(), "regency");
  const auto& regions = body.at("regions").as_array();
  ASSERT_EQ(regions.size(), 3u);
  EXPECT_EQ(regions[0], (boost::json::value{
                            {"code", "35.77.01"}, {"name", "Kartoharjo"}, {"level", "district"}}));
}

TEST_F(RegionsApi, ListsNothingUnderAVillage) {
  const auto r = server_->get("/api/v1/regions?parent=35.77.01.1001");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(json(r).at("regions").as_array().empty());
}

TEST_F(RegionsApi, TreatsAnEmptyParentAsTheProvinces) {
  const auto r = server_->get("/api/v1/regions?parent=");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json(r).at("regions").as_array().size(), 38u);
}

TEST_F(RegionsApi, ShowsOneRegionWithItsLineage) {
  const auto r = server_->get("/api/v1/regions/35.77.01.1001");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("cache-control"), "public, max-age=86400");
  const auto body = json(r);
  EXPECT_EQ(body.at("code").as_string(), "35.77.01.1001");
  EXPECT_EQ(body.at("name").as_string(), "Oro-oro Ombo");
  EXPECT_EQ(body.at("level").as_string(), "village");
  const auto& lineage = body.at("lineage").as_array();
  ASSERT_EQ(lineage.size(), 4u);
  EXPECT_EQ(lineage[0].at("name").as_string(), "Jawa Timur");
  EXPECT_EQ(lineage[1].at("name").as_string(), "Kota Madiun");
  EXPECT_EQ(lineage[2].at("name").as_string(), "Kartoharjo");
  EXPECT_EQ(lineage[3].at("code").as_string(), "35.77.01.1001");
}

TEST_F(RegionsApi, AnswersAnUnknownCodeWith404AndTheErrorBody) {
  for (const char* target : {"/api/v1/regions/35.77.99", "/api/v1/regions?parent=99"}) {
    const auto r = server_->get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(error_code(r), "not_found") << target;
    EXPECT_EQ(json(r).at("error").at("request_id").as_string(), r.header("x-request-id"));
  }
}

TEST_F(RegionsApi, AnswersAMalformedCodeWith400NamingTheField) {
  for (const char* target :
       {"/api/v1/regions/35.7", "/api/v1/regions/jawa-timur", "/api/v1/regions/35.77.01.1001.1"}) {
    const auto r = server_->get(target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(error_code(r), "bad_request") << target;
    EXPECT_TRUE(json(r).at("error").at("fields").as_object().contains("code")) << target;
  }
  const auto r = server_->get("/api/v1/regions?parent=35.77.x");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(json(r).at("error").at("fields").as_object().contains("parent"));
}

TEST_F(RegionsApi, ServesThePickersScript) {
  const auto r = server_->get("/static/js/region-picker.js");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-type").find("javascript"), std::string::npos);
}

}  // namespace
}  // namespace balai::testing
