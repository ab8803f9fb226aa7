#include "http/metrics.h"

#include <fmt/format.h>

#include <array>

#include "http/router.h"

namespace balai::http {
namespace {
// Latency bucket upper bounds in microseconds (Prometheus wants seconds; converted on render).
constexpr std::array<int64_t, 12> kBucketsUs{
    250, 500, 1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000, 250'000, 1'000'000, 5'000'000};
constexpr int kStatusSlots = 600;
}  // namespace

struct Metrics::Slot {
  std::array<std::atomic<uint64_t>, kStatusSlots> by_status{};
  std::array<std::atomic<uint64_t>, kBucketsUs.size() + 1> buckets{};
  std::atomic<uint64_t> sum_us{0};
  std::atomic<uint64_t> count{0};
};

Metrics::Metrics(const Router& router) {
  for (const auto& r : router.routes()) labels_.push_back(r->pattern);
  labels_.emplace_back("unmatched");
  slot_count_ = labels_.size();
  slots_ = std::make_unique<Slot[]>(slot_count_);
}

Metrics::~Metrics() = default;

void Metrics::record(size_t route_index, int status, int64_t duration_us) {
  const size_t i = route_index < slot_count_ - 1 ? route_index : slot_count_ - 1;
  Slot& s = slots_[i];
  if (status >= 100 && status < kStatusSlots)
    s.by_status[static_cast<size_t>(status)].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBucketsUs.size() && duration_us > kBucketsUs[b]) ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.sum_us.fetch_add(static_cast<uint64_t>(duration_us < 0 ? 0 : duration_us),
                     std::memory_order_relaxed);
  s.count.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::render() const {
  std::string out;
  auto it = std::back_inserter(out);
  out += "# HELP balai_http_requests_total HTTP requests answered, by route pattern and status.\n";
  out += "# TYPE balai_http_requests_total counter\n";
  for (size_t i = 0; i < slot_count_; ++i) {
    for (int st = 100; st < kStatusSlots; ++st) {
      const uint64_t n =
          slots_[i].by_status[static_cast<size_t>(st)].load(std::memory_order_relaxed);
      if (n)
        fmt::format_to(it, "balai_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                       labels_[i], st, n);
    }
  }
  out +=
      "# HELP balai_http_request_duration_seconds Time from the first byte of the request to the "
      "last byte of the response.\n";
  out += "# TYPE balai_http_request_duration_seconds histogram\n";
  for (size_t i = 0; i < slot_count_; ++i) {
    const Slot& s = slots_[i];
    const uint64_t count = s.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    uint64_t cumulative = 0;
    for (size_t b = 0; b < kBucketsUs.size(); ++b) {
      cumulative += s.buckets[b].load(std::memory_order_relaxed);
      fmt::format_to(it,
                     "balai_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                     labels_[i], static_cast<double>(kBucketsUs[b]) / 1e6, cumulative);
    }
    cumulative += s.buckets[kBucketsUs.size()].load(std::memory_order_relaxed);
    fmt::format_to(it,
                   "balai_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                   labels_[i], cumulative);
    fmt::format_to(it, "balai_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", labels_[i],
                   static_cast<double>(s.sum_us.load(std::memory_order_relaxed)) / 1e6);
    fmt::format_to(it, "balai_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", labels_[i],
                   count);
  }
  fmt::format_to(it,
                 "# HELP balai_http_open_connections Client connections open now.\n"
                 "# TYPE balai_http_open_connections gauge\nbalai_http_open_connections {}\n"
                 "# HELP balai_http_rejected_connections_total Connections closed at once because "
                 "the maximum was reached.\n"
                 "# TYPE balai_http_rejected_connections_total counter\n"
                 "balai_http_rejected_connections_total {}\n"
                 "# HELP balai_worker_queue_depth Requests waiting for a worker thread.\n"
                 "# TYPE balai_worker_queue_depth gauge\nbalai_worker_queue_depth {}\n",
                 open_connections.load(), rejected_connections.load(), worker_queue_depth.load());
  for (const auto& g : gauges_) {
    fmt::format_to(it, "# HELP {} {}\n# TYPE {} gauge\n{} {}\n", g.name, g.help, g.name, g.name,
                   g.read());
  }
  return out;
}

}  // namespace balai::http
