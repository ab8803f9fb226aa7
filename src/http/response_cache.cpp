#include "http/response_cache.h"

#include <mutex>

namespace balai::http {

std::shared_ptr<const Response> ResponseCache::find(std::string_view key, int64_t now_ms) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end() || it->second.expires_at_ms <= now_ms) return nullptr;
  return it->second.response;
}

void ResponseCache::store(std::string key, Response response, int64_t expires_at_ms) {
  auto shared = std::make_shared<const Response>(std::move(response));
  std::unique_lock lock(mutex_);
  // Unbounded keys (query strings) must not grow memory without end: start over when full.
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_[std::move(key)] = Entry{std::move(shared), expires_at_ms};
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
