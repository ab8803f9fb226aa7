#include "http/response_cache.h"

#include <mutex>

namespace balai::http {

std::shared_ptr<const Response> ResponseCache::find(std::string_view key, int64_t now_ms) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return nullptr;
  const Entry& entry = *it->second;
  if (now_ms < entry.expires_at_ms) return entry.response;
  if (now_ms >= entry.expires_at_ms + kMaxStaleMs) return nullptr;
  int64_t claimed = entry.refresh_claimed_ms.load();
  if (claimed != 0 && now_ms - claimed < kRefreshClaimMs) return entry.response;  // being rebuilt
  // Claim the refresh; the one caller that wins rebuilds, a loser serves the old entry.
  if (entry.refresh_claimed_ms.compare_exchange_strong(claimed, now_ms)) return nullptr;
  return entry.response;
}

void ResponseCache::store(std::string key, Response response, int64_t expires_at_ms) {
  auto shared = std::make_shared<const Response>(std::move(response));
  std::unique_lock lock(mutex_);
  // Unbounded keys (query strings) must not grow memory without end: start over when full.
  if (entries_.size() >= max_entries_) entries_.clear();
  auto entry = std::make_unique<Entry>();
  entry->response = std::move(shared);
  entry->expires_at_ms = expires_at_ms;
  entries_[std::move(key)] = std::move(entry);
}

void ResponseCache::clear() {
  std::unique_lock lock(mutex_);
  entries_.clear();
}

size_t ResponseCache::size() const {
  std::shared_lock lock(mutex_);
  return entries_.size();
}

}  // namespace balai::http
