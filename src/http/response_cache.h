#pragma once
// Public responses kept in memory so hot public reads (the service catalog) are answered on the
// I/O thread without a database call. Only routes marked public_cache_ms use it; entries expire
// after that time, so several instances behind one load balancer disagree for at most that
// long. A module that changes the data behind a cached route calls clear().
//
// No stampede at expiry: the first request that finds an entry expired claims its refresh (a
// miss: it rebuilds and stores), while the requests arriving during the rebuild still get the
// old entry. A claim lapses after kRefreshClaimMs (the rebuild failed or was not cacheable) so
// that another request tries; an entry is never served more than kMaxStaleMs past its expiry.
// Thread-safe: many readers, rare writers.

#include <atomic>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/response.h"

namespace balai::http {

class ResponseCache {
 public:
  static constexpr int64_t kRefreshClaimMs = 2'000;
  static constexpr int64_t kMaxStaleMs = 10'000;

  explicit ResponseCache(size_t max_entries = 4096) : max_entries_(max_entries) {}

  // The entry for key when younger than its expiry at `now_ms`, or while another caller
  // refreshes it; null otherwise (the caller rebuilds the response and stores it).
  std::shared_ptr<const Response> find(std::string_view key, int64_t now_ms) const;
  void store(std::string key, Response response, int64_t expires_at_ms);
  void clear();
  size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const Response> response;
    int64_t expires_at_ms = 0;
    // When a caller last claimed the refresh of this expired entry (0: never). Atomic because
    // claims happen under the shared lock.
    mutable std::atomic<int64_t> refresh_claimed_ms{0};
  };
  size_t max_entries_;
  mutable std::shared_mutex mutex_;  // guards entries_
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace balai::http
