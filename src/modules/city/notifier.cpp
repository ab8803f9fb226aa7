#include "modules/city/notifier.h"

#include <curl/curl.h>

#include <algorithm>
#include <utility>

#include "core/log.h"

namespace balai::city {
namespace {

using Easy = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using Slist = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

void init_curl() {
  // curl_global_init is not thread-safe on every build; once per process, before any handle.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t discard(char*, size_t size, size_t count, void*) {
  return size * count;
}

bool append(Slist& list, const std::string& item) {
  curl_slist* head = curl_slist_append(list.get(), item.c_str());
  if (head == nullptr) return false;
  list.release();
  list.reset(head);
  return true;
}

// The distinct service paths of the entities, in order, comma-separated (Orion's header for a
// notification about entities of several paths).
std::string service_paths_of(const std::vector<Entity>& entities) {
  std::vector<std::string_view> seen;
  std::string out;
  for (const Entity& e : entities) {
    if (std::find(seen.begin(), seen.end(), e.scope.service_path) != seen.end()) continue;
    seen.push_back(e.scope.service_path);
    out += (out.empty() ? "" : ",") + e.scope.service_path;
  }
  return out;
}

// `older` followed by `newer`: what both together did.
CounterDelta combine(const CounterDelta& older, const CounterDelta& newer) {
  CounterDelta out = newer;
  out.sent = older.sent + newer.sent;
  out.last_notification_ms = std::max(older.last_notification_ms, newer.last_notification_ms);
  if (older.last_success_ms > newer.last_success_ms) {
    out.last_success_ms = older.last_success_ms;
    out.last_success_code = older.last_success_code;
  }
  if (older.last_failure_ms > newer.last_failure_ms) {
    out.last_failure_ms = older.last_failure_ms;
    out.last_failure_reason = older.last_failure_reason;
  }
  if (!newer.fails_reset) {
    out.fails = older.fails + newer.fails;
    out.fails_reset = older.fails_reset;
    out.stopped = older.stopped || newer.stopped;
  }
  return out;
}

}  // namespace

// --- Transport ---

Delivery post_notification(const OutgoingNotification& n, long timeout_ms) {
  init_curl();
  // One handle per delivering thread: libcurl keeps its connections open between calls.
  thread_local Easy easy(curl_easy_init(), curl_easy_cleanup);
  Delivery out;
  if (!easy) {
    out.failure = "curl could not start";
    return out;
  }
  CURL* h = easy.get();
  curl_easy_reset(h);  // the options of the last call go, its live connections stay
  Slist headers(nullptr, curl_slist_free_all);
  bool ok = append(headers, "Content-Type: application/json") &&
            append(headers, "Accept: application/json") &&
            append(headers, "Ngsiv2-AttrsFormat: " + std::string(to_string(n.format))) &&
            // No "Expect: 100-continue" round trip before a larger body.
            append(headers, "Expect:");
  if (ok && !n.service.empty()) ok = append(headers, "Fiware-Service: " + n.service);
  if (ok && !n.service_paths.empty())
    ok = append(headers, "Fiware-ServicePath: " + n.service_paths);
  if (!ok) {
    out.failure = "out of memory";
    return out;
  }
  curl_easy_setopt(h, CURLOPT_URL, n.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "Balai-NGSI/2");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, n.body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(n.body.size()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    out.failure = curl_easy_strerror(rc);
    return out;
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  out.delivered = true;
  out.status_code = status;
  return out;
}

bool is_notification_url(std::string_view url) {
  init_curl();
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> parsed(curl_url(), curl_url_cleanup);
  if (!parsed) return false;
  const std::string text(url);
  if (curl_url_set(parsed.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) return false;
  auto part = [&](CURLUPart which) {
    char* value = nullptr;
    std::string out;
    if (curl_url_get(parsed.get(), which, &value, 0) == CURLUE_OK && value != nullptr) out = value;
    curl_free(value);
    return out;
  };
  const std::string scheme = part(CURLUPART_SCHEME);
  // curl_url_set guesses a scheme for "example.id/path" and reads "http:///x" as host "x":
  // only a scheme written out and followed by the host counts.
  const std::string prefix = scheme + "://";
  const bool written =
      url.starts_with(prefix) && url.size() > prefix.size() && url[prefix.size()] != '/';
  return written && (scheme == "http" || scheme == "https") && !part(CURLUPART_HOST).empty();
}

// --- Counters ---

bool CounterDelta::empty() const {
  return sent == 0 && last_notification_ms == 0 && last_success_ms == 0 && last_failure_ms == 0 &&
         fails == 0 && !fails_reset && !stopped;
}

void apply_delta(const CounterDelta& d, Subscription& s) {
  DeliveryCounters& c = s.counters;
  c.times_sent += d.sent;
  c.last_notification_ms = std::max(c.last_notification_ms, d.last_notification_ms);
  if (d.last_success_ms > c.last_success_ms) {
    c.last_success_ms = d.last_success_ms;
    c.last_success_code = d.last_success_code;
  }
  if (d.last_failure_ms > c.last_failure_ms) {
    c.last_failure_ms = d.last_failure_ms;
    c.last_failure_reason = d.last_failure_reason;
  }
  c.fails_counter = d.fails_reset ? d.fails : c.fails_counter + d.fails;
  if (d.stopped && s.spec.status == SubscriptionStatus::active)
    s.spec.status = SubscriptionStatus::failed;
}

// --- The notifier ---

Notifier::Notifier(const NotifierSettings& settings, const core::Clock& clock, Transport transport)
    : settings_(settings), clock_(clock), transport_(std::move(transport)) {
  if (!transport_) {
    const long timeout_ms = settings_.timeout_ms;
    transport_ = [timeout_ms](const OutgoingNotification& n) {
      return post_notification(n, timeout_ms);
    };
  }
  for (int i = 0; i < std::max(1, settings_.workers); ++i)
    workers_.emplace_back([this] { work(); });
}

void Notifier::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

Notifier::~Notifier() {
  stop();
}

core::Status Notifier::put(Subscription s, bool failures_cleared) {
  auto compiled = SubscriptionMatcher::compile(s);
  if (!compiled) return compiled.take_error();
  auto matcher = std::make_shared<const SubscriptionMatcher>(std::move(*compiled));
  std::lock_guard lock(mutex_);
  ++mutations_;
  Entry& e = entries_[s.key];
  if (failures_cleared) {
    e.pending.fails = 0;
    e.pending.fails_reset = true;
    e.pending.stopped = false;
  }
  e.pending.key = s.key;
  apply_delta(e.pending, s);
  e.sub = std::move(s);
  e.matcher = std::move(matcher);
  if (e.sub.spec.status != SubscriptionStatus::active) drop_batch(e);
  return {};
}

void Notifier::erase(int64_t key) {
  std::lock_guard lock(mutex_);
  ++mutations_;
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  drop_batch(it->second);
  // A worker posting for it finds it gone when it ends; a queued key is skipped.
  entries_.erase(it);
}

uint64_t Notifier::begin_refresh() const {
  std::lock_guard lock(mutex_);
  return mutations_;
}

void Notifier::replace_all(std::vector<Subscription> stored, uint64_t refresh) {
  // Compiled outside the lock: the listener must not wait for pattern compilation.
  std::map<int64_t, std::pair<Subscription, std::shared_ptr<const SubscriptionMatcher>>> fresh;
  for (auto& s : stored) {
    auto compiled = SubscriptionMatcher::compile(s);
    if (!compiled) {
      core::log::warn("city.subscription_skipped",
                      {{"subscription", s.id}, {"error", compiled.error().message}});
      continue;
    }
    const int64_t key = s.key;
    fresh.emplace(
        key,
        std::pair{std::move(s), std::make_shared<const SubscriptionMatcher>(std::move(*compiled))});
  }
  std::lock_guard lock(mutex_);
  // Created, changed or deleted here since the read began: what was read may be older than what
  // this instance holds. The next refresh reads it stored.
  if (mutations_ != refresh) return;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (fresh.contains(it->first)) {
      ++it;
      continue;
    }
    drop_batch(it->second);
    it = entries_.erase(it);
  }
  for (auto& [key, item] : fresh) {
    Entry& e = entries_[key];
    e.pending.key = key;
    Subscription s = std::move(item.first);
    apply_delta(e.pending, s);
    if (!e.matcher || e.sub.spec != s.spec || e.sub.scope != s.scope) e.matcher = item.second;
    e.sub = std::move(s);
    if (e.sub.spec.status != SubscriptionStatus::active) drop_batch(e);
  }
}

void Notifier::overlay(Subscription& s) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(s.key);
  if (it != entries_.end()) apply_delta(it->second.pending, s);
}

std::vector<CounterDelta> Notifier::take_deltas() {
  std::lock_guard lock(mutex_);
  std::vector<CounterDelta> out;
  for (auto& [key, e] : entries_) {
    if (e.pending.empty()) continue;
    out.push_back(std::move(e.pending));
    e.pending = CounterDelta{};
    e.pending.key = key;
  }
  return out;
}

void Notifier::restore(const std::vector<CounterDelta>& deltas) {
  std::lock_guard lock(mutex_);
  for (const auto& d : deltas) {
    auto it = entries_.find(d.key);
    if (it != entries_.end()) it->second.pending = combine(d, it->second.pending);
  }
}

void Notifier::on_changes(const std::vector<Changed>& changes) {
  const int64_t now = clock_.now().ms;
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  for (const Changed& change : changes) {
    for (auto& [key, e] : entries_) {
      switch (decide(e.sub, *e.matcher, change, now)) {
        case Trigger::notify:
          enqueue(key, e, change.entity, now);
          break;
        case Trigger::throttled:
          ++stats_.throttled;
          break;
        case Trigger::not_concerned:
        case Trigger::inactive:
        case Trigger::expired:
          break;
      }
    }
  }
}

void Notifier::enqueue(int64_t key, Entry& e, const Entity& entity, int64_t now_ms) {
  auto same = std::find_if(e.batch.begin(), e.batch.end(), [&](const Entity& waiting) {
    return waiting.id == entity.id && waiting.type == entity.type && waiting.scope == entity.scope;
  });
  if (same != e.batch.end()) {
    *same = entity;  // coalesced: the newer state replaces the one not sent yet
  } else if (waiting_ >= settings_.queue_limit) {
    ++stats_.dropped;
    return;
  } else {
    e.batch.push_back(entity);
    ++waiting_;
  }
  e.sub.counters.last_notification_ms = now_ms;
  e.pending.last_notification_ms = now_ms;
  if (!e.queued && !e.in_flight) {
    e.queued = true;
    ready_.push_back(key);
    wake_.notify_one();
  }
}

void Notifier::drop_batch(Entry& e) {
  waiting_ -= e.batch.size();
  e.batch.clear();
}

void Notifier::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !ready_.empty(); });
    if (stopping_) return;
    const int64_t key = ready_.front();
    ready_.pop_front();
    auto it = entries_.find(key);
    if (it == entries_.end()) continue;
    Entry& e = it->second;
    e.queued = false;
    if (e.batch.empty()) continue;
    std::vector<Entity> entities = std::move(e.batch);
    e.batch.clear();
    waiting_ -= entities.size();
    // Switched off or expired since it was queued: nothing goes out.
    const auto expires = e.sub.spec.expires_ms;
    if (e.sub.spec.status != SubscriptionStatus::active || (expires && clock_.now().ms >= *expires))
      continue;
    e.in_flight = true;
    ++in_flight_;
    OutgoingNotification n;
    n.subscription_id = e.sub.id;
    n.url = e.sub.spec.url;
    n.service = e.sub.scope.service;
    n.service_paths = service_paths_of(entities);
    n.format = e.sub.spec.format;
    const Subscription snapshot = e.sub;
    lock.unlock();
    n.body = notification_body(snapshot, entities);
    Delivery d = transport_(n);
    d.at_ms = clock_.now().ms;
    lock.lock();
    finish(key, d);
  }
}

void Notifier::finish(int64_t key, const Delivery& d) {
  --in_flight_;
  ++(d.delivered ? stats_.sent : stats_.failed);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;  // deleted while in flight
  Entry& e = it->second;
  e.in_flight = false;
  const bool stopped = record(e.sub, d);
  CounterDelta& p = e.pending;
  ++p.sent;
  if (d.delivered) {
    p.last_success_ms = d.at_ms;
    p.last_success_code = d.status_code;
    p.fails = 0;
    p.fails_reset = true;
  } else {
    p.last_failure_ms = d.at_ms;
    p.last_failure_reason = d.failure;
    ++p.fails;
    p.stopped = p.stopped || stopped;
  }
  if (stopped) {
    drop_batch(e);
    core::log::warn("city.subscription_failed",
                    {{"subscription", e.sub.id}, {"fails", e.sub.counters.fails_counter}});
  } else if (!e.batch.empty() && !e.queued) {
    e.queued = true;
    ready_.push_back(key);
    wake_.notify_one();
  }
}

NotifierStats Notifier::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

bool Notifier::idle() const {
  std::lock_guard lock(mutex_);
  return ready_.empty() && in_flight_ == 0;
}

}  // namespace balai::city
