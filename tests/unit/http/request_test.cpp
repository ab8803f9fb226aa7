#include "http/request.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "http/headers.h"
#include "http/response.h"

namespace balai::http {
namespace {

Request with_query(std::string query) {
  Request req;
  req.query = std::move(query);
  return req;
}

Request with_cookie_header(std::string value) {
  Request req;
  req.headers.add("Cookie", value);
  return req;
}

TEST(QueryParam, ReturnsTheValueOfANamedParameter) {
  EXPECT_EQ(with_query("page=2&q=ktp").query_param("q"), "ktp");
}

TEST(QueryParam, DecodesPlusAsSpaceAndPercentEscapes) {
  EXPECT_EQ(with_query("q=akta+kelahiran%20anak%2Bibu").query_param("q"),
            "akta kelahiran anak+ibu");
}

TEST(QueryParam, DecodesUtf8) {
  EXPECT_EQ(with_query("q=%E2%80%94").query_param("q"), "\xe2\x80\x94");
}

TEST(QueryParam, MatchesTheDecodedName) {
  EXPECT_EQ(with_query("nama%20kantor=x").query_param("nama kantor"), "x");
}

TEST(QueryParam, ReturnsTheFirstOfRepeatedParameters) {
  EXPECT_EQ(with_query("tag=a&tag=b").query_param("tag"), "a");
}

TEST(QueryParam, IsEmptyForANameWithoutValue) {
  EXPECT_EQ(with_query("draft&x=1").query_param("draft"), "");
  EXPECT_EQ(with_query("draft=&x=1").query_param("draft"), "");
}

TEST(QueryParam, IsAbsentWhenNotGiven) {
  EXPECT_EQ(with_query("a=1").query_param("b"), std::nullopt);
  EXPECT_EQ(with_query("").query_param("b"), std::nullopt);
}

TEST(QueryParam, DoesNotMatchAPrefixOfTheName) {
  EXPECT_EQ(with_query("pages=3").query_param("page"), std::nullopt);
}

TEST(QueryParam, IsAbsentWhenTheQueryIsMalformed) {
  EXPECT_EQ(with_query("q=%zz").query_param("q"), std::nullopt);
  EXPECT_EQ(with_query("q=50%").query_param("q"), std::nullopt);
}

TEST(Cookie, ReadsOneOfSeveral) {
  EXPECT_EQ(with_cookie_header("lang=en; balai_session=abc123; theme=dark").cookie("balai_session"),
            "abc123");
}

TEST(Cookie, ReadsTheFirstAndTheLast) {
  const Request req = with_cookie_header("a=1;b=2");
  EXPECT_EQ(req.cookie("a"), "1");
  EXPECT_EQ(req.cookie("b"), "2");
}

TEST(Cookie, RemovesDoubleQuotesAroundTheValue) {
  EXPECT_EQ(with_cookie_header("lang=\"en\"").cookie("lang"), "en");
}

TEST(Cookie, KeepsEqualsSignsInTheValue) {
  EXPECT_EQ(with_cookie_header("token=YWJj==; x=1").cookie("token"), "YWJj==");
}

TEST(Cookie, IsAbsentWhenNotSent) {
  EXPECT_EQ(with_cookie_header("lang=en").cookie("session"), std::nullopt);
  EXPECT_EQ(Request{}.cookie("session"), std::nullopt);
}

TEST(Cookie, DoesNotMatchAPrefixOrSuffixOfTheName) {
  const Request req = with_cookie_header("xlang=en; lang2=id");
  EXPECT_EQ(req.cookie("lang"), std::nullopt);
}

TEST(Cookie, SkipsPairsWithoutEqualsSign) {
  EXPECT_EQ(with_cookie_header("garbage; lang=id").cookie("lang"), "id");
}

TEST(Cookie, ReadsEveryCookieHeader) {
  Request req;
  req.headers.add("Cookie", "a=1");
  req.headers.add("cookie", "b=2");
  EXPECT_EQ(req.cookie("b"), "2");
}

TEST(Cookie, IsEmptyForAnEmptyValue) {
  EXPECT_EQ(with_cookie_header("session=; lang=id").cookie("session"), "");
}

TEST(ContentType, IsTheLowerCaseMediaTypeWithoutParameters) {
  Request req;
  req.headers.set("Content-Type", "Application/JSON; charset=UTF-8");
  EXPECT_EQ(req.content_type(), "application/json");
}

TEST(ContentType, TrimsSpaces) {
  Request req;
  req.headers.set("content-type", "  text/plain ;charset=utf-8");
  EXPECT_EQ(req.content_type(), "text/plain");
}

TEST(ContentType, IsEmptyWithoutTheHeader) {
  EXPECT_EQ(Request{}.content_type(), "");
}

TEST(Param, ReturnsAPathParameterOrEmpty) {
  Request req;
  req.params["id"] = "42";
  EXPECT_EQ(req.param("id"), "42");
  EXPECT_EQ(req.param("code"), "");
}

TEST(Headers, LooksUpNamesCaseInsensitively) {
  Headers h;
  h.set("Content-Type", "text/html");
  EXPECT_EQ(h.get("content-type"), "text/html");
  EXPECT_TRUE(h.has("CONTENT-TYPE"));
}

TEST(Headers, SetReplacesEveryFieldOfThatName) {
  Headers h;
  h.add("Vary", "Accept");
  h.add("vary", "Cookie");
  h.set("VARY", "Accept-Language");
  EXPECT_EQ(h.size(), 1u);
  EXPECT_EQ(h.get("Vary"), "Accept-Language");
}

TEST(Headers, AddKeepsEarlierFields) {
  Headers h;
  h.add("Set-Cookie", "a=1");
  h.add("Set-Cookie", "b=2");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.get("Set-Cookie"), "a=1");
}

TEST(Headers, RemoveDropsEveryFieldOfThatName) {
  Headers h;
  h.add("X-A", "1");
  h.add("x-a", "2");
  h.add("X-B", "3");
  h.remove("X-A");
  EXPECT_FALSE(h.has("X-A"));
  EXPECT_EQ(h.size(), 1u);
}

TEST(Headers, MissingFieldIsNullopt) {
  EXPECT_EQ(Headers{}.get("Host"), std::nullopt);
}

TEST(Response, TextHtmlAndJsonSetTheirContentTypes) {
  EXPECT_EQ(Response::text(200, "x").headers.get("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Response::html(200, "x").headers.get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(Response::json(201, "{}").headers.get("Content-Type"), "application/json");
  EXPECT_EQ(Response::json(201, "{}").status, 201);
}

TEST(Response, RedirectIsSeeOtherByDefault) {
  const Response r = Response::redirect("/layanan");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.headers.get("Location"), "/layanan");
}

TEST(Response, RedirectTakesAnotherStatus) {
  EXPECT_EQ(Response::redirect("/x", 308).status, 308);
}

TEST(ReasonPhrase, NamesCommonStatuses) {
  EXPECT_EQ(reason_phrase(200), "OK");
  EXPECT_EQ(reason_phrase(404), "Not Found");
  EXPECT_EQ(reason_phrase(413), "Content Too Large");
  EXPECT_EQ(reason_phrase(422), "Unprocessable Content");
  EXPECT_EQ(reason_phrase(599), "Unknown");
}

}  // namespace
}  // namespace balai::http
