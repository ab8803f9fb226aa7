#include "http/json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

namespace balai::http {
namespace {

using core::ErrorCode;

Request json_request(std::string body, std::string content_type = "application/json") {
  Request req;
  req.headers.set("Content-Type", content_type);
  req.body = std::move(body);
  return req;
}

TEST(ParseJsonBody, ParsesAnObject) {
  auto v = parse_json_body(json_request(R"({"name":"Dinas Sosial","count":3})"));
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->at("name").as_string(), "Dinas Sosial");
  EXPECT_EQ(v->at("count").as_int64(), 3);
}

TEST(ParseJsonBody, AcceptsACharsetParameter) {
  EXPECT_TRUE(parse_json_body(json_request("[]", "application/json; charset=utf-8")).ok());
}

TEST(ParseJsonBody, AcceptsPlusJsonMediaTypes) {
  EXPECT_TRUE(parse_json_body(json_request("{}", "application/merge-patch+json")).ok());
  EXPECT_TRUE(parse_json_body(json_request("{}", "Application/Problem+JSON")).ok());
}

TEST(ParseJsonBody, RejectsOtherContentTypesAsUnsupported) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "text/json", ""}) {
    auto v = parse_json_body(json_request("{}", type));
    ASSERT_FALSE(v.ok()) << type;
    EXPECT_EQ(v.error().code, ErrorCode::unsupported_media) << type;
  }
}

TEST(ParseJsonBody, RejectsAMissingContentTypeAsUnsupported) {
  Request req;
  req.body = "{}";
  auto v = parse_json_body(req);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::unsupported_media);
}

TEST(ParseJsonBody, RejectsMalformedJsonAsBadRequest) {
  for (const char* body : {"{", "{\"a\":}", "", "[1,]", "{'a':1}", "{} {}", "nul"}) {
    auto v = parse_json_body(json_request(body));
    ASSERT_FALSE(v.ok()) << body;
    EXPECT_EQ(v.error().code, ErrorCode::bad_request) << body;
  }
}

TEST(ParseJsonBody, RejectsInvalidUtf8AsBadRequest) {
  auto v = parse_json_body(json_request("{\"name\":\"\xff\"}"));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::bad_request);
}

TEST(ParseJsonBody, RejectsNestingDeeperThanTheLimit) {
  const std::string deep = std::string(40, '[') + std::string(40, ']');
  auto v = parse_json_body(json_request(deep));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::bad_request);
}

TEST(ParseJsonBody, AcceptsNestingUpToTheLimit) {
  const std::string nested = std::string(5, '[') + std::string(5, ']');
  EXPECT_TRUE(parse_json_body(json_request(nested), JsonLimits{.max_depth = 5}).ok());
  EXPECT_FALSE(parse_json_body(json_request("[" + nested + "]"), JsonLimits{.max_depth = 5}).ok());
}

TEST(ParseJsonBody, RejectsABodyOverTheSizeLimitAsTooLarge) {
  auto v = parse_json_body(json_request(R"({"a":"0123456789"})"), JsonLimits{.max_bytes = 10});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::payload_too_large);
}

TEST(ParseJsonBody, AcceptsABodyExactlyAtTheSizeLimit) {
  EXPECT_TRUE(parse_json_body(json_request(R"({"a":1})"), JsonLimits{.max_bytes = 7}).ok());
}

TEST(ParseJsonBody, ChecksTheContentTypeBeforeTheSize) {
  auto v = parse_json_body(json_request(std::string(100, ' '), "text/plain"),
                           JsonLimits{.max_bytes = 10});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::unsupported_media);
}

TEST(StatusFor, MapsEachErrorCodeToItsHttpStatus) {
  EXPECT_EQ(status_for(ErrorCode::validation_failed), 422);
  EXPECT_EQ(status_for(ErrorCode::bad_request), 400);
  EXPECT_EQ(status_for(ErrorCode::unauthenticated), 401);
  EXPECT_EQ(status_for(ErrorCode::forbidden), 403);
  EXPECT_EQ(status_for(ErrorCode::not_found), 404);
  EXPECT_EQ(status_for(ErrorCode::conflict), 409);
  EXPECT_EQ(status_for(ErrorCode::payload_too_large), 413);
  EXPECT_EQ(status_for(ErrorCode::unsupported_media), 415);
  EXPECT_EQ(status_for(ErrorCode::rate_limited), 429);
  EXPECT_EQ(status_for(ErrorCode::unavailable), 503);
  EXPECT_EQ(status_for(ErrorCode::internal), 500);
}

TEST(ApiError, BodyHasCodeMessageFieldsAndRequestId) {
  core::Error e = core::make_error(ErrorCode::validation_failed, "Periksa isian.");
  e.fields["nik"] = "harus 16 angka";
  e.fields["email"] = "tidak valid";
  const auto body = boost::json::parse(api_error_body(e, "req-123"));
  ASSERT_TRUE(body.is_object());
  ASSERT_EQ(body.as_object().size(), 1u);
  const auto& err = body.at("error").as_object();
  EXPECT_EQ(err.at("code").as_string(), "validation_failed");
  EXPECT_EQ(err.at("message").as_string(), "Periksa isian.");
  EXPECT_EQ(err.at("fields").at("nik").as_string(), "harus 16 angka");
  EXPECT_EQ(err.at("fields").at("email").as_string(), "tidak valid");
  EXPECT_EQ(err.at("request_id").as_string(), "req-123");
}

TEST(ApiError, BodyOmitsFieldsWhenThereAreNone) {
  const auto body =
      boost::json::parse(api_error_body(core::make_error(ErrorCode::not_found, "x"), "r"));
  EXPECT_FALSE(body.at("error").as_object().contains("fields"));
}

TEST(ApiError, UsesTheStableCodeName) {
  const auto body =
      boost::json::parse(api_error_body(core::make_error(ErrorCode::internal, "x"), "r"));
  EXPECT_EQ(body.at("error").at("code").as_string(), "internal_error");
}

TEST(ApiError, EscapesTheMessage) {
  const std::string message = "quote \" backslash \\ newline \n";
  const auto body =
      boost::json::parse(api_error_body(core::make_error(ErrorCode::bad_request, message), "r"));
  EXPECT_EQ(body.at("error").at("message").as_string(), message);
}

TEST(ApiError, ResponseHasTheMappedStatusAndIsNotStored) {
  Request req;
  req.request_id = "abc";
  const Response r = api_error(req, core::make_error(ErrorCode::conflict, "taken"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json");
  EXPECT_EQ(r.headers.get("Cache-Control"), "no-store");
  EXPECT_EQ(boost::json::parse(r.body).at("error").at("request_id").as_string(), "abc");
}

TEST(JsonResponse, SerializesTheValue) {
  const Response r = json_response(200, boost::json::object{{"ok", true}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"ok":true})");
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json");
}

TEST(JsonText, WritesNumbersInTheirShortestExactForm) {
  const auto v = boost::json::parse(
      R"({"level":162.5,"tiny":0.1,"whole":12.0,"count":7,"big":18446744073709551615,)"
      R"("neg":-3,"list":[1.25,null,true,"a\"b\n"],"nested":{"x":1e21}})");
  EXPECT_EQ(json_text(v),
            R"({"level":162.5,"tiny":0.1,"whole":12,"count":7,"big":18446744073709551615,)"
            R"("neg":-3,"list":[1.25,null,true,"a\"b\n"],"nested":{"x":1e+21}})");
  // Numbers read back as the same doubles.
  const auto back = boost::json::parse(json_text(v));
  EXPECT_EQ(back.at("level").to_number<double>(), 162.5);
  EXPECT_EQ(back.at("tiny").to_number<double>(), 0.1);
  EXPECT_EQ(back.at("nested").at("x").to_number<double>(), 1e21);
}

TEST(JsonText, AResponseUsesIt) {
  const auto r = json_response(200, boost::json::object{{"value", 153.2}});
  EXPECT_EQ(r.body, R"({"value":153.2})");
}

}  // namespace
}  // namespace balai::http
