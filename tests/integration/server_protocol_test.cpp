// The server's handling of HTTP itself, over real sockets: keep-alive, pipelining, HEAD, 405,
// limits (431, 413), timeouts (408), malformed input (400), and that none of it crashes or
// answers 500.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <stdexcept>

#include "support/server_harness.h"

namespace balai::testing {
namespace {

class ServerProtocol : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerHarness(
        [](core::Config& c) {
          c.server.header_limit_bytes = 4096;
          c.server.body_limit_bytes = 64 * 1024;
          c.server.header_timeout_ms = 400;
          c.server.body_timeout_ms = 400;
          c.server.idle_timeout_ms = 400;
        },
        {}, true,
        [](http::Router& router) {
          router.get("/test/throw", [](http::Request&) -> http::Response {
            throw std::runtime_error("secret detail /etc/balai/keys");
          });
          router.get("/api/v1/test/throw", [](http::Request&) -> http::Response {
            throw std::runtime_error("secret detail /etc/balai/keys");
          });
          router
              .post("/api/v1/test/echo",
                    [](http::Request& req) { return http::Response::text(200, req.body); })
              .body_limit(1024);
        });
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static ServerHarness* server_;
};
ServerHarness* ServerProtocol::server_ = nullptr;

TEST_F(ServerProtocol, AnswersHealthAndReadiness) {
  EXPECT_EQ(server_->get("/healthz").status, 200);
  EXPECT_EQ(server_->get("/readyz").status, 200);
}

TEST_F(ServerProtocol, EveryResponseCarriesARequestIdAndSecurityHeaders) {
  const auto r = server_->get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.header("x-request-id").empty());
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_NE(r.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_FALSE(r.header("date").empty());
}

TEST_F(ServerProtocol, KeepsTheConnectionAliveAcrossRequests) {
  RawClient c(server_->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    const auto r = c.read_reply();
    ASSERT_TRUE(r.complete);
    EXPECT_EQ(r.status, 200);
  }
}

TEST_F(ServerProtocol, AnswersPipelinedRequestsInOrder) {
  RawClient c(server_->port());
  ASSERT_TRUE(
      c.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
              "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
              "GET /api/v1/services/pengaduan HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.read_reply().status, 200);
  EXPECT_EQ(c.read_reply().status, 404);
  const auto third = c.read_reply();
  EXPECT_EQ(third.status, 200);
  EXPECT_NE(third.body.find("\"code\":\"pengaduan\""), std::string::npos);
}

TEST_F(ServerProtocol, HeadGivesTheHeadersOfGetWithoutABody) {
  const auto get = server_->get("/api/v1/services");
  RawClient c(server_->port());
  ASSERT_TRUE(c.write("HEAD /api/v1/services HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  ASSERT_TRUE(c.wait_closed());
  const std::string& raw = c.received();
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 200"));
  EXPECT_NE(raw.find("Content-Length: " + std::to_string(get.body.size()) + "\r\n"),
            std::string::npos);
  EXPECT_TRUE(raw.ends_with("\r\n\r\n"));  // nothing after the head
}

TEST_F(ServerProtocol, RefusesAnUnsupportedMethodWith405AndAllow) {
  const auto r = server_->send("DELETE", "/api/v1/services", "");
  EXPECT_EQ(r.status, 405);
  EXPECT_NE(r.header("allow").find("GET"), std::string::npos);
  const auto body = boost::json::parse(r.body);
  EXPECT_TRUE(body.as_object().contains("error"));
}

TEST_F(ServerProtocol, RefusesAnUnknownMethodWith501) {
  EXPECT_EQ(server_->send("BREW", "/", "").status, 501);
}

TEST_F(ServerProtocol, RejectsAMalformedRequestLineWith400) {
  RawClient c(server_->port());
  ASSERT_TRUE(c.write("GET\r\n\r\n"));
  const auto r = c.read_reply();
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(ServerProtocol, RejectsGarbageWith400) {
  RawClient c(server_->port());
  ASSERT_TRUE(c.write(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15)));
  EXPECT_EQ(c.read_reply().status, 400);
}

TEST_F(ServerProtocol, RejectsOversizedHeadersWith431) {
  RawClient c(server_->port());
  ASSERT_TRUE(
      c.write("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n"));
  const auto r = c.read_reply();
  EXPECT_EQ(r.status, 431);
}

TEST_F(ServerProtocol, RejectsABodyOverTheDefaultLimitWith413BeforeReadingIt) {
  RawClient c(server_->port());
  ASSERT_TRUE(c.write(
      "POST /api/v1/services/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 10000000\r\n\r\n{"));
  const auto r = c.read_reply();
  EXPECT_EQ(r.status, 413);
  const auto body = boost::json::parse(r.body);
  EXPECT_EQ(body.at("error").at("code").as_string(), "payload_too_large");
}

TEST_F(ServerProtocol, HonoursAPerRouteBodyLimit) {
  EXPECT_EQ(server_->send("POST", "/api/v1/test/echo", std::string(1024, 'x')).status, 200);
  EXPECT_EQ(server_->send("POST", "/api/v1/test/echo", std::string(1025, 'x')).status, 413);
}

TEST_F(ServerProtocol, RejectsAChunkedBodyOverTheLimitWith413) {
  RawClient c(server_->port());
  std::string chunk(800, 'y');
  ASSERT_TRUE(
      c.write("POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              "320\r\n" +
              chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"));
  EXPECT_EQ(c.read_reply().status, 413);
}

TEST_F(ServerProtocol, AcceptsAChunkedBodyWithinTheLimit) {
  RawClient c(server_->port());
  ASSERT_TRUE(
      c.write("POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              "5\r\nhello\r\n0\r\n\r\n"));
  const auto r = c.read_reply();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
}

TEST_F(ServerProtocol, RejectsInvalidPercentEncodingWith400) {
  EXPECT_EQ(server_->get("/layanan/%zz").status, 400);
  EXPECT_EQ(server_->get("/api/v1/services/%").status, 400);
}

TEST_F(ServerProtocol, RejectsAPathThatIsNotUtf8With400) {
  EXPECT_EQ(server_->get("/layanan/%ff%fe").status, 400);
  EXPECT_EQ(server_->get("/layanan/%00").status, 400);
}

TEST_F(ServerProtocol, RejectsRawNonAsciiInTheTargetWith400) {
  RawClient c(server_->port());
  ASSERT_TRUE(c.write("GET /layanan/\xff HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.read_reply().status, 400);
}

TEST_F(ServerProtocol, Answers408WhenTheHeadArrivesTooSlowly) {
  RawClient c(server_->port());
  ASSERT_TRUE(c.write("GET / HTTP/1.1\r\nHost: x\r\n"));  // never finishes the head
  const auto r = c.read_reply();
  EXPECT_EQ(r.status, 408);
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(ServerProtocol, Answers408WhenTheBodyArrivesTooSlowly) {
  RawClient c(server_->port());
  ASSERT_TRUE(c.write(
      "POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten.."));
  const auto r = c.read_reply();
  EXPECT_EQ(r.status, 408);
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(ServerProtocol, ClosesAnIdleKeepAliveConnection) {
  RawClient c(server_->port());
  ASSERT_TRUE(c.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.read_reply().status, 200);
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(ServerProtocol, TurnsAnEscapedExceptionIntoA500PageWithoutDetail) {
  const auto r = server_->get("/test/throw");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  EXPECT_EQ(r.body.find("/etc/"), std::string::npos);
  EXPECT_NE(r.body.find(r.header("x-request-id")), std::string::npos);
}

TEST_F(ServerProtocol, TurnsAnEscapedExceptionUnderTheApiIntoTheErrorBody) {
  const auto r = server_->get("/api/v1/test/throw");
  EXPECT_EQ(r.status, 500);
  const auto body = boost::json::parse(r.body);
  EXPECT_EQ(body.at("error").at("code").as_string(), "internal_error");
  EXPECT_EQ(body.at("error").at("request_id").as_string(), r.header("x-request-id"));
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
}

TEST_F(ServerProtocol, KeepsServingAfterEveryKindOfBadRequest) {
  for (const char* bad : {"GET\r\n\r\n", "GET /%zz HTTP/1.1\r\n\r\n", "\x01\x02\x03\r\n\r\n"}) {
    RawClient c(server_->port());
    c.write(bad);
    c.read_reply();
  }
  EXPECT_EQ(server_->get("/healthz").status, 200);
}

TEST_F(ServerProtocol, AcceptsACallersRequestIdWhenItIsPlain) {
  const auto r = server_->get("/healthz", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(r.header("x-request-id"), "abc-123");
  const auto odd = server_->get("/healthz", {{"X-Request-Id", "<script>"}});
  EXPECT_NE(odd.header("x-request-id"), "<script>");
}

TEST_F(ServerProtocol, ExposesPrometheusMetrics) {
  server_->get("/api/v1/services");
  // The server counts a request once its answer is written, which may be just after the client
  // has read it: poll until the count shows.
  const std::string counter =
      "balai_http_requests_total{route=\"/api/v1/services\",status=\"200\"}";
  HttpReply r;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    r = server_->get("/metrics");
  } while (r.body.find(counter) == std::string::npos &&
           std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(counter), std::string::npos);
  EXPECT_NE(r.body.find("balai_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(r.body.find("balai_http_open_connections"), std::string::npos);
  EXPECT_NE(r.body.find("balai_worker_queue_depth"), std::string::npos);
  EXPECT_NE(r.body.find("balai_db_connections"), std::string::npos);
}

TEST_F(ServerProtocol, AnswersExpectContinueBeforeTheBody) {
  RawClient c(server_->port());
  ASSERT_TRUE(
      c.write("POST /api/v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: "
              "100-continue\r\n\r\n"));
  EXPECT_EQ(c.read_reply().status, 100);
  ASSERT_TRUE(c.write("hi"));
  const auto r = c.read_reply();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hi");
}

}  // namespace
}  // namespace balai::testing
