// NGSI-v2 clients parse Orion's error shape only: requests under /v2 that fail before they reach
// the API (a bad bearer token, a body over the limit, a malformed target) still answer
// {"error", "description"}, with the right status.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/server_harness.h"

namespace balai::testing {
namespace {

void expect_ngsi_error(const HttpReply& r, int status, const std::string& error) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type").substr(0, 16), "application/json") << r.body;
  boost::system::error_code ec;
  const auto v = boost::json::parse(r.body, ec);
  ASSERT_FALSE(ec) << r.body;
  ASSERT_TRUE(v.is_object()) << r.body;
  EXPECT_EQ(v.as_object().size(), 2u) << r.body;
  EXPECT_EQ(v.at("error"), error.c_str()) << r.body;
  EXPECT_TRUE(v.at("description").is_string()) << r.body;
}

TEST(NgsiEarlyErrors, ABadBearerTokenIsRefusedInOrionsShape) {
  ServerHarness server({}, {}, /*seed_demo=*/false);
  const auto r = server.send(
      "POST", "/v2/entities", R"({"id":"x","type":"T"})",
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer bt_not-a-real-token"}});
  expect_ngsi_error(r, 401, "Unauthorized");
  EXPECT_NE(r.header("www-authenticate").find("invalid_token"), std::string::npos);
  EXPECT_EQ(r.body.find("bt_not-a-real-token"), std::string::npos);
}

TEST(NgsiEarlyErrors, ABodyOverTheLimitIsRefusedInOrionsShape) {
  ServerHarness server({}, {}, /*seed_demo=*/false);
  const std::string huge(5 * 1024 * 1024, ' ');  // over the route's read limit
  const auto r = server.send("POST", "/v2/op/update", huge, {{"Content-Type", "application/json"}});
  expect_ngsi_error(r, 413, "RequestEntityTooLarge");
}

TEST(NgsiEarlyErrors, ThePortalAndTheApiKeepTheirOwnShapes) {
  ServerHarness server({}, {}, /*seed_demo=*/false);
  const auto api = server.send(
      "POST", "/api/v1/city/readings", "{}",
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer bt_not-a-real-token"}});
  EXPECT_EQ(api.status, 401);
  EXPECT_EQ(api.body.find("\"description\""), std::string::npos) << api.body;
  const auto page = server.get("/v2x/nothing");
  EXPECT_EQ(page.status, 404);
  EXPECT_EQ(page.header("content-type").substr(0, 9), "text/html");
}

}  // namespace
}  // namespace balai::testing
