#pragma once
// Prometheus metrics of the server: requests by route and status, a latency histogram, open
// connections, worker queue depth, and gauges that other layers register (database pool).
// Recording is lock-free (atomics in slots fixed at start-up); rendering takes a snapshot.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace balai::http {

class Router;

class Metrics {
 public:
  // One slot per route of the router plus one for unmatched requests. Call after every route
  // is registered.
  explicit Metrics(const Router& router);
  ~Metrics();

  // route_index: Route::index, or npos for unmatched. Thread-safe.
  void record(size_t route_index, int status, int64_t duration_us);
  static constexpr size_t kUnmatched = static_cast<size_t>(-1);

  std::atomic<int64_t> open_connections{0};
  std::atomic<int64_t> worker_queue_depth{0};
  std::atomic<uint64_t> rejected_connections{0};

  // A gauge read when /metrics is scraped. Register at start-up only.
  void add_gauge(std::string name, std::string help, std::function<double()> read);

  // Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  struct Slot;
  std::vector<std::string> labels_;
  std::unique_ptr<Slot[]> slots_;
  size_t slot_count_ = 0;
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  std::vector<Gauge> gauges_;
};

}  // namespace balai::http
