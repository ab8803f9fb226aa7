#include "modules/city/live_feed.h"

#include <fmt/format.h>

#include <charconv>

#include "core/time.h"
#include "http/json.h"
#include "modules/city/ngsi_geo.h"
#include "modules/city/rules.h"
#include "modules/city/store.h"

namespace balai::city {
namespace {

std::optional<core::GeoPoint> point_of(const Entity& e) {
  auto shape = location_of(e);
  if (!shape || shape->points.empty()) return std::nullopt;
  return shape->points.front();
}

}  // namespace

namespace {

// Written directly rather than built as a JSON object and serialized: every committed change
// passes here (a batch of 100 entities makes 100), and the object's allocations were most of
// the cost. Numbers in their shortest exact form (http::json_text).
std::string live_json(const Changed& change, const std::optional<core::GeoPoint>& point) {
  const Entity& e = change.entity;
  std::string out;
  out.reserve(160 + 40 * e.attrs.size());
  out += R"({"id":)";
  append_json_string(out, e.id);
  out += R"(,"type":)";
  append_json_string(out, e.type);
  out += change.deleted ? R"(,"deleted":true,"changed":)" : R"(,"deleted":false,"changed":)";
  append_json_strings(out, change.attrs);
  out += R"(,"attrs":{)";
  std::string units;
  bool first = true;
  for (const auto& [name, a] : e.attrs) {
    if (is_geo_type(a.type)) continue;
    if (!first) out += ',';
    first = false;
    append_json_string(out, name);
    out += ':';
    out += http::json_text(a.value);
    if (auto* md = a.metadata.if_contains("unitCode"); md && md->is_object())
      if (auto* v = md->as_object().if_contains("value")) {
        if (!units.empty()) units += ',';
        append_json_string(units, name);
        units += ':';
        units += http::json_text(*v);
      }
  }
  out += R"(},"units":{)";
  out += units;
  if (point)
    out += fmt::format(R"(}},"location":{{"lat":{},"lon":{}}})",
                       static_cast<double>(point->lat_e6) / 1e6,
                       static_cast<double>(point->lon_e6) / 1e6);
  else
    out += R"(},"location":null)";
  out += R"(,"modifiedAt":")";
  out += core::format_iso8601_utc(core::Timestamp{e.modified_ms});
  out += "\"}";
  return out;
}

}  // namespace

std::string live_json(const Changed& change) {
  return live_json(change, point_of(change.entity));
}

LiveFeed::LiveFeed(http::EventStreams& streams, size_t capacity,
                   std::chrono::milliseconds wake_every)
    : streams_(streams),
      capacity_(std::max<size_t>(1, capacity)),
      start_ms_(core::SystemClock{}.now().ms) {
  ticker_ = std::thread([this, wake_every] { tick_loop(wake_every); });
}

LiveFeed::~LiveFeed() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  ticker_.join();
}

void LiveFeed::append(const std::vector<Changed>& changes, int64_t) {
  if (changes.empty()) return;
  std::vector<std::shared_ptr<LiveItem>> made;
  std::vector<std::string> data;  // serialized outside the lock; the id needs the sequence
  made.reserve(changes.size());
  data.reserve(changes.size());
  for (const auto& c : changes) {
    auto item = std::make_shared<LiveItem>();
    item->entity_type = c.entity.type;
    const EntityTypeSpec* spec = find_entity_type(c.entity.type);
    item->public_read = !spec || spec->public_read;
    item->point = point_of(c.entity);
    data.push_back(live_json(c, item->point));
    made.push_back(std::move(item));
  }
  {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < made.size(); ++i) {
      auto& item = made[i];
      item->seq = next_seq_++;
      http::append_event(item->event, event_id(item->seq), "change", data[i]);
      items_.push_back(std::move(item));
      if (items_.size() > capacity_) items_.pop_front();
    }
    pending_ = true;
  }
  cv_.notify_one();
}

std::vector<std::shared_ptr<const LiveItem>> LiveFeed::since(uint64_t after, bool& lost) const {
  std::vector<std::shared_ptr<const LiveItem>> out;
  std::lock_guard lock(mutex_);
  lost = !items_.empty() && after + 1 < items_.front()->seq;
  if (items_.empty() || after >= items_.back()->seq) return out;
  const size_t from = index_after(after);
  out.reserve(items_.size() - from);
  for (size_t i = from; i < items_.size(); ++i) out.push_back(items_[i]);
  return out;
}

std::shared_ptr<const std::string> LiveFeed::batch_since(uint64_t after, bool public_only,
                                                         bool& lost, uint64_t& last) const {
  std::vector<std::shared_ptr<const LiveItem>> items;
  {
    std::lock_guard lock(mutex_);
    lost = !items_.empty() && after + 1 < items_.front()->seq;
    last = after;
    if (items_.empty() || after >= items_.back()->seq) return nullptr;
    last = items_.back()->seq;
    for (const auto& b : batches_)
      if (b.after == after && b.last == last && b.public_only == public_only) return b.text;
    for (size_t i = index_after(after); i < items_.size(); ++i) items.push_back(items_[i]);
  }
  // Made outside the lock: writers append meanwhile. Two streams may make the same batch at
  // once; both are right, one is kept.
  auto text = std::make_shared<std::string>();
  for (const auto& item : items)
    if (!public_only || item->public_read) *text += item->event;
  std::lock_guard lock(mutex_);
  batches_.push_back({after, last, public_only, text});
  if (batches_.size() > kBatchesKept) batches_.pop_front();
  return text;
}

size_t LiveFeed::index_after(uint64_t after) const {
  // Sequence numbers are consecutive in the ring: index by difference.
  const uint64_t first = items_.front()->seq;
  return after < first ? 0 : static_cast<size_t>(after - first + 1);
}

uint64_t LiveFeed::last() const {
  std::lock_guard lock(mutex_);
  return next_seq_ - 1;
}

std::string LiveFeed::event_id(uint64_t seq) const {
  return std::to_string(start_ms_) + "-" + std::to_string(seq);
}

std::optional<uint64_t> LiveFeed::parse_event_id(std::string_view id) const {
  const size_t dash = id.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  int64_t start = 0;
  uint64_t seq = 0;
  const std::string_view a = id.substr(0, dash);
  const std::string_view b = id.substr(dash + 1);
  auto [pa, ea] = std::from_chars(a.data(), a.data() + a.size(), start);
  auto [pb, eb] = std::from_chars(b.data(), b.data() + b.size(), seq);
  if (ea != std::errc{} || pa != a.data() + a.size() || eb != std::errc{} ||
      pb != b.data() + b.size() || start != start_ms_)
    return std::nullopt;
  return seq;
}

void LiveFeed::tick_loop(std::chrono::milliseconds wake_every) {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    cv_.wait(lock, [this] { return stop_ || pending_; });
    if (stop_) return;
    pending_ = false;
    lock.unlock();
    streams_.wake_all();
    // However fast changes come, streams are woken at most this often: each wake collects
    // everything new in one write.
    std::this_thread::sleep_for(wake_every);
    lock.lock();
  }
}

}  // namespace balai::city
