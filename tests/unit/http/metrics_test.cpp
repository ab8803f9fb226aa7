#include "http/metrics.h"

#include <gtest/gtest.h>

#include <string>

#include "http/router.h"

namespace balai::http {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

class MetricsTest : public ::testing::Test {
 protected:
  MetricsTest() {
    auto ok = [](Request&) { return Response::text(200, "ok"); };
    router_.get("/api/v1/services", ok);
    router_.get("/api/v1/services/{code:slug}", ok);
  }
  size_t index_of(std::string_view pattern) {
    for (const auto& r : router_.routes())
      if (r->pattern == pattern) return r->index;
    ADD_FAILURE() << "no route " << pattern;
    return 0;
  }

  Router router_;
};

TEST_F(MetricsTest, CountsRequestsByRouteAndStatus) {
  Metrics metrics(router_);
  metrics.record(index_of("/api/v1/services"), 200, 1000);
  metrics.record(index_of("/api/v1/services"), 200, 1000);
  metrics.record(index_of("/api/v1/services/{code:slug}"), 404, 1000);
  const std::string text = metrics.render();
  EXPECT_TRUE(
      has_line(text, R"(balai_http_requests_total{route="/api/v1/services",status="200"} 2)"))
      << text;
  EXPECT_TRUE(has_line(
      text, R"(balai_http_requests_total{route="/api/v1/services/{code:slug}",status="404"} 1)"))
      << text;
}

TEST_F(MetricsTest, DeclaresTypesForPrometheus) {
  const std::string text = Metrics(router_).render();
  EXPECT_TRUE(has_line(text, "# TYPE balai_http_requests_total counter"));
  EXPECT_TRUE(has_line(text, "# TYPE balai_http_request_duration_seconds histogram"));
  EXPECT_TRUE(has_line(text, "# TYPE balai_http_open_connections gauge"));
}

TEST_F(MetricsTest, OmitsRoutesThatHadNoRequests) {
  const std::string text = Metrics(router_).render();
  EXPECT_EQ(text.find("balai_http_requests_total{"), std::string::npos) << text;
  EXPECT_EQ(text.find("balai_http_request_duration_seconds_bucket{"), std::string::npos) << text;
}

TEST_F(MetricsTest, CountsUnmatchedRequestsUnderTheirOwnLabel) {
  Metrics metrics(router_);
  metrics.record(Metrics::kUnmatched, 404, 100);
  EXPECT_TRUE(
      has_line(metrics.render(), R"(balai_http_requests_total{route="unmatched",status="404"} 1)"));
}

TEST_F(MetricsTest, HistogramBucketsAreCumulative) {
  Metrics metrics(router_);
  const size_t route = index_of("/api/v1/services");
  metrics.record(route, 200, 100);        // <= 0.00025 s
  metrics.record(route, 200, 2'000);      // <= 0.0025 s
  metrics.record(route, 200, 9'000'000);  // above every bound
  const std::string text = metrics.render();
  const std::string prefix =
      R"(balai_http_request_duration_seconds_bucket{route="/api/v1/services",le=)";
  EXPECT_TRUE(has_line(text, prefix + R"("0.00025"} 1)")) << text;
  EXPECT_TRUE(has_line(text, prefix + R"("0.001"} 1)")) << text;
  EXPECT_TRUE(has_line(text, prefix + R"("0.0025"} 2)")) << text;
  EXPECT_TRUE(has_line(text, prefix + R"("5"} 2)")) << text;
  EXPECT_TRUE(has_line(text, prefix + R"("+Inf"} 3)")) << text;
}

TEST_F(MetricsTest, ADurationOnABoundIsCountedInThatBucket) {
  Metrics metrics(router_);
  metrics.record(index_of("/api/v1/services"), 200, 250);
  EXPECT_TRUE(has_line(
      metrics.render(),
      R"(balai_http_request_duration_seconds_bucket{route="/api/v1/services",le="0.00025"} 1)"));
}

TEST_F(MetricsTest, HistogramHasSumAndCountInSeconds) {
  Metrics metrics(router_);
  const size_t route = index_of("/api/v1/services");
  metrics.record(route, 200, 1'500);
  metrics.record(route, 500, 2'500);
  const std::string text = metrics.render();
  EXPECT_TRUE(
      has_line(text, R"(balai_http_request_duration_seconds_sum{route="/api/v1/services"} 0.004)"))
      << text;
  EXPECT_TRUE(
      has_line(text, R"(balai_http_request_duration_seconds_count{route="/api/v1/services"} 2)"))
      << text;
}

TEST_F(MetricsTest, ReportsConnectionAndQueueGauges) {
  Metrics metrics(router_);
  metrics.open_connections = 12;
  metrics.rejected_connections = 3;
  metrics.worker_queue_depth = 5;
  const std::string text = metrics.render();
  EXPECT_TRUE(has_line(text, "balai_http_open_connections 12")) << text;
  EXPECT_TRUE(has_line(text, "balai_http_rejected_connections_total 3")) << text;
  EXPECT_TRUE(has_line(text, "balai_worker_queue_depth 5")) << text;
}

TEST_F(MetricsTest, ReadsRegisteredGaugesWhenRendering) {
  Metrics metrics(router_);
  int reads = 0;
  metrics.add_gauge("balai_db_connections_in_use", "Database connections lent out.", [&] {
    ++reads;
    return 2.0;
  });
  EXPECT_EQ(reads, 0);
  const std::string text = metrics.render();
  EXPECT_EQ(reads, 1);
  EXPECT_TRUE(has_line(text, "# HELP balai_db_connections_in_use Database connections lent out."));
  EXPECT_TRUE(has_line(text, "# TYPE balai_db_connections_in_use gauge"));
  EXPECT_TRUE(has_line(text, "balai_db_connections_in_use 2")) << text;
}

TEST_F(MetricsTest, EveryLineIsACommentOrASample) {
  Metrics metrics(router_);
  metrics.record(0, 200, 1000);
  metrics.add_gauge("balai_x", "X.", [] { return 0.5; });
  const std::string text = metrics.render();
  ASSERT_TRUE(text.ends_with("\n"));
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    EXPECT_TRUE(line.starts_with("# HELP ") || line.starts_with("# TYPE ") ||
                line.starts_with("balai_"))
        << line;
    if (!line.starts_with("#")) {
      EXPECT_NE(line.rfind(' '), std::string::npos) << line;
    }
    start = end + 1;
  }
}

}  // namespace
}  // namespace balai::http
