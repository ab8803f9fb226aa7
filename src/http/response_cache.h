#pragma once
// Public responses kept in memory so hot public reads (the service catalog) are answered on the
// I/O thread without a database call. Only routes marked public_cache_ms use it; entries expire
// after that time, so several instances behind one load balancer disagree for at most that
// long. A module that changes the data behind a cached route calls clear().
// Thread-safe: many readers, rare writers.

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
  explicit ResponseCache(size_t max_entries = 4096) : max_entries_(max_entries) {}

  // The entry for key when younger than its expiry at `now_ms`; null otherwise.
  std::shared_ptr<const Response> find(std::string_view key, int64_t now_ms) const;
  void store(std::string key, Response response, int64_t expires_at_ms);
  void clear();
  size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const Response> response;
    int64_t expires_at_ms;
  };
  size_t max_entries_;
  mutable std::shared_mutex mutex_;  // guards entries_
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace balai::http
