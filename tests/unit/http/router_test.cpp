#include "http/router.h"

#include <gtest/gtest.h>

#include <string>

namespace balai::http {
namespace {

Handler answer(std::string text) {
  return [text](Request&) { return Response::text(200, text); };
}

// The pattern of the matched route, or "" when none matched.
std::string matched(const Router& router, Method method, std::string_view path) {
  const Match m = router.match(method, path);
  return m.route ? m.route->pattern : "";
}

TEST(Router, MatchesALiteralPath) {
  Router router;
  router.get("/api/v1/services", answer("list"));
  EXPECT_EQ(matched(router, Method::get, "/api/v1/services"), "/api/v1/services");
}

TEST(Router, MatchesTheRootPath) {
  Router router;
  router.get("/", answer("home"));
  EXPECT_EQ(matched(router, Method::get, "/"), "/");
  EXPECT_EQ(matched(router, Method::get, "/x"), "");
}

TEST(Router, DoesNotMatchAPrefixOrALongerPath) {
  Router router;
  router.get("/api/v1/services", answer("list"));
  EXPECT_EQ(matched(router, Method::get, "/api/v1"), "");
  EXPECT_EQ(matched(router, Method::get, "/api/v1/services/x"), "");
  EXPECT_EQ(matched(router, Method::get, "/api/v1/services/"), "");
}

TEST(Router, IsCaseSensitiveForLiterals) {
  Router router;
  router.get("/layanan", answer("x"));
  EXPECT_EQ(matched(router, Method::get, "/Layanan"), "");
}

TEST(Router, UnmatchedPathGivesNoRouteAndNoAllowList) {
  Router router;
  router.get("/a", answer("a"));
  const Match m = router.match(Method::get, "/b");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allow, "");
}

TEST(Router, PathWithoutLeadingSlashMatchesNothing) {
  Router router;
  router.get("/{x}", answer("x"));
  EXPECT_EQ(matched(router, Method::get, "a"), "");
  EXPECT_EQ(matched(router, Method::get, ""), "");
}

TEST(Router, SegmentParameterTakesAnyNonEmptySegment) {
  Router router;
  router.get("/kantor/{name}", answer("x"));
  const Match m = router.match(Method::get, "/kantor/Dinas Sosial");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("name"), "Dinas Sosial");
  EXPECT_EQ(matched(router, Method::get, "/kantor/"), "");
}

TEST(Router, SegmentParameterDoesNotSpanSlashes) {
  Router router;
  router.get("/kantor/{name:segment}", answer("x"));
  EXPECT_EQ(matched(router, Method::get, "/kantor/a/b"), "");
}

TEST(Router, IntParameterTakesDigitsOnly) {
  Router router;
  router.get("/items/{id:int}", answer("x"));
  const Match m = router.match(Method::get, "/items/0123");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("id"), "0123");
  EXPECT_EQ(matched(router, Method::get, "/items/12a"), "");
  EXPECT_EQ(matched(router, Method::get, "/items/-1"), "");
  EXPECT_EQ(matched(router, Method::get, "/items/1.5"), "");
}

TEST(Router, IntParameterRejectsNumbersTooLongForInt64) {
  Router router;
  router.get("/items/{id:int}", answer("x"));
  EXPECT_NE(matched(router, Method::get, "/items/999999999999999999"), "");   // 18 digits
  EXPECT_EQ(matched(router, Method::get, "/items/9999999999999999999"), "");  // 19 digits
}

TEST(Router, SlugParameterTakesLowerCaseLettersDigitsAndHyphens) {
  Router router;
  router.get("/layanan/{code:slug}", answer("x"));
  const Match m = router.match(Method::get, "/layanan/akta-kelahiran-2");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("code"), "akta-kelahiran-2");
}

TEST(Router, SlugParameterRejectsUpperCaseSpacesAndDots) {
  Router router;
  router.get("/layanan/{code:slug}", answer("x"));
  EXPECT_EQ(matched(router, Method::get, "/layanan/Akta"), "");
  EXPECT_EQ(matched(router, Method::get, "/layanan/akta kelahiran"), "");
  EXPECT_EQ(matched(router, Method::get, "/layanan/.."), "");
  EXPECT_EQ(matched(router, Method::get, "/layanan/akt\xc3\xa4"), "");
}

TEST(Router, SlugParameterRejectsMoreThanSixtyFourCharacters) {
  Router router;
  router.get("/layanan/{code:slug}", answer("x"));
  EXPECT_NE(matched(router, Method::get, "/layanan/" + std::string(64, 'a')), "");
  EXPECT_EQ(matched(router, Method::get, "/layanan/" + std::string(65, 'a')), "");
}

TEST(Router, UuidParameterTakesACanonicalUuid) {
  Router router;
  router.get("/berkas/{id:uuid}", answer("x"));
  const Match m = router.match(Method::get, "/berkas/0192f5e4-7a3b-7c4d-8e5f-0123456789ab");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("id"), "0192f5e4-7a3b-7c4d-8e5f-0123456789ab");
}

TEST(Router, UuidParameterRejectsUpperCaseAndWrongLength) {
  Router router;
  router.get("/berkas/{id:uuid}", answer("x"));
  EXPECT_EQ(matched(router, Method::get, "/berkas/0192F5E4-7A3B-7C4D-8E5F-0123456789AB"), "");
  EXPECT_EQ(matched(router, Method::get, "/berkas/0192f5e4-7a3b-7c4d-8e5f-0123456789a"), "");
  EXPECT_EQ(matched(router, Method::get, "/berkas/0192f5e47a3b7c4d8e5f0123456789ab"), "");
}

TEST(Router, UuidParameterRejectsHyphensOutOfPlace) {
  Router router;
  router.get("/berkas/{id:uuid}", answer("x"));
  EXPECT_EQ(matched(router, Method::get, "/berkas/" + std::string(36, '-')), "");
  EXPECT_EQ(matched(router, Method::get, "/berkas/0192f5e47-a3b-7c4d-8e5f-0123456789ab"), "");
}

TEST(Router, PathParameterTakesTheRestOfThePath) {
  Router router;
  router.get("/static/{path:path}", answer("x"));
  const Match m = router.match(Method::get, "/static/css/app/balai.css");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("path"), "css/app/balai.css");
}

TEST(Router, PathParameterTakesOneSegment) {
  Router router;
  router.get("/static/{path:path}", answer("x"));
  const Match m = router.match(Method::get, "/static/favicon.ico");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("path"), "favicon.ico");
}

TEST(Router, PathParameterNeedsSomethingAfterThePrefix) {
  Router router;
  router.get("/static/{path:path}", answer("x"));
  EXPECT_EQ(matched(router, Method::get, "/static"), "");
}

TEST(Router, ParametersArePassedAsDecoded) {
  // The server decodes the path before routing; the router hands values on unchanged.
  Router router;
  router.get("/cari/{q}", answer("x"));
  const Match m = router.match(Method::get, "/cari/Jl. Pahlawan \xe2\x80\x94 50%");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("q"), "Jl. Pahlawan \xe2\x80\x94 50%");
}

TEST(Router, TakesSeveralParameters) {
  Router router;
  router.get("/layanan/{code:slug}/berkas/{id:int}", answer("x"));
  const Match m = router.match(Method::get, "/layanan/ktp/berkas/42");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params.at("code"), "ktp");
  EXPECT_EQ(m.params.at("id"), "42");
}

TEST(Router, FirstRegisteredRouteWins) {
  Router router;
  router.get("/layanan/baru", answer("new"));
  router.get("/layanan/{code:slug}", answer("show"));
  EXPECT_EQ(matched(router, Method::get, "/layanan/baru"), "/layanan/baru");
  EXPECT_EQ(matched(router, Method::get, "/layanan/ktp"), "/layanan/{code:slug}");
}

TEST(Router, HeadMatchesAGetRoute) {
  Router router;
  router.get("/a", answer("a"));
  EXPECT_EQ(matched(router, Method::head, "/a"), "/a");
}

TEST(Router, GetDoesNotMatchAPostRoute) {
  Router router;
  router.post("/a", answer("a"));
  EXPECT_EQ(router.match(Method::get, "/a").route, nullptr);
}

TEST(Router, MatchesByMethod) {
  Router router;
  router.get("/a", answer("get"));
  router.post("/a", answer("post"));
  router.del("/a", answer("delete"));
  const Match m = router.match(Method::post, "/a");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, Method::post);
  EXPECT_EQ(m.allow, "");
}

TEST(Router, WrongMethodListsTheAllowedOnes) {
  Router router;
  router.get("/a", answer("get"));
  router.post("/a", answer("post"));
  const Match m = router.match(Method::put, "/a");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allow, "GET, POST, HEAD");
}

TEST(Router, AllowListHasNoHeadWithoutGet) {
  Router router;
  router.post("/a", answer("post"));
  router.patch("/a", answer("patch"));
  EXPECT_EQ(router.match(Method::get, "/a").allow, "POST, PATCH");
}

TEST(Router, AllowListNamesEachMethodOnce) {
  Router router;
  router.get("/layanan/baru", answer("new"));
  router.get("/layanan/{code:slug}", answer("show"));
  EXPECT_EQ(router.match(Method::post, "/layanan/baru").allow, "GET, HEAD");
}

TEST(Router, RouteCarriesItsSettings) {
  Router router;
  router.get("/a", answer("a")).body_limit(10).public_cache_ms(5000).inline_io();
  const Match m = router.match(Method::get, "/a");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->body_limit, 10u);
  EXPECT_EQ(m.route->cache_ms, 5000);
  EXPECT_TRUE(m.route->inline_io);
}

TEST(Router, NumbersRoutesInRegistrationOrder) {
  Router router;
  router.get("/a", answer("a"));
  router.get("/b", answer("b"));
  ASSERT_EQ(router.routes().size(), 2u);
  EXPECT_EQ(router.routes()[0]->index, 0u);
  EXPECT_EQ(router.routes()[1]->index, 1u);
}

TEST(Router, MatchedHandlerIsTheRegisteredOne) {
  Router router;
  router.get("/a", answer("from a"));
  Request req;
  const Match m = router.match(Method::get, "/a");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->handler(req).body, "from a");
}

TEST(RouterDeathTest, DuplicateRouteAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Router router;
  router.get("/a", answer("a"));
  EXPECT_DEATH(router.get("/a", answer("again")), "registered twice");
}

TEST(RouterDeathTest, UnknownParameterTypeAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Router router;
  EXPECT_DEATH(router.get("/a/{x:float}", answer("x")), "unknown parameter type");
}

TEST(RouterDeathTest, PathParameterBeforeTheEndAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Router router;
  EXPECT_DEATH(router.get("/a/{p:path}/b", answer("x")), "must be last");
}

TEST(RouterDeathTest, PatternWithoutLeadingSlashAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Router router;
  EXPECT_DEATH(router.get("a", answer("x")), "must start with /");
}

TEST(Methods, ParseAndNameRoundTrip) {
  for (Method m : {Method::get, Method::head, Method::post, Method::put, Method::patch, Method::del,
                   Method::options})
    EXPECT_EQ(parse_method(to_string(m)), m) << to_string(m);
}

TEST(Methods, UnknownOrLowerCaseMethodIsOther) {
  EXPECT_EQ(parse_method("get"), Method::other);
  EXPECT_EQ(parse_method("TRACE"), Method::other);
}

}  // namespace
}  // namespace balai::http
