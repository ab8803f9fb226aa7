#include "modules/city/subscriptions.h"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "core/ids.h"
#include "modules/city/ngsi_json.h"

namespace balai::city {
namespace {

constexpr std::array<std::pair<AttrsFormat, std::string_view>, 3> kFormats{{
    {AttrsFormat::normalized, "normalized"},
    {AttrsFormat::key_values, "keyValues"},
    {AttrsFormat::values, "values"},
}};

constexpr std::array<std::pair<SubscriptionStatus, std::string_view>, 3> kStatuses{{
    {SubscriptionStatus::active, "active"},
    {SubscriptionStatus::inactive, "inactive"},
    {SubscriptionStatus::failed, "failed"},
}};

constexpr size_t kIdBytes = 12;

bool contains(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

ngsi::Form form_of(AttrsFormat format) {
  switch (format) {
    case AttrsFormat::key_values:
      return ngsi::Form::key_values;
    case AttrsFormat::values:
      return ngsi::Form::values;
    case AttrsFormat::normalized:
      break;
  }
  return ngsi::Form::normalized;
}

}  // namespace

std::string_view to_string(AttrsFormat format) {
  for (const auto& [f, name] : kFormats)
    if (f == format) return name;
  return "normalized";
}

std::optional<AttrsFormat> parse_attrs_format(std::string_view text) {
  for (const auto& [f, name] : kFormats)
    if (name == text) return f;
  return std::nullopt;
}

std::string_view to_string(SubscriptionStatus status) {
  for (const auto& [s, name] : kStatuses)
    if (s == status) return name;
  return "active";
}

std::optional<SubscriptionStatus> parse_subscription_status(std::string_view text) {
  for (const auto& [s, name] : kStatuses)
    if (name == text) return s;
  return std::nullopt;
}

std::string new_subscription_id() {
  std::array<uint8_t, kIdBytes> bytes{};
  core::random_bytes(bytes);
  return core::to_hex(bytes);
}

bool is_subscription_id(std::string_view text) {
  return text.size() == 2 * kIdBytes && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string_view reported_status(const Subscription& s, int64_t now_ms) {
  if (s.spec.expires_ms && now_ms >= *s.spec.expires_ms) return "expired";
  switch (s.spec.status) {
    case SubscriptionStatus::inactive:
      return "inactive";
    case SubscriptionStatus::failed:
      return "failed";
    case SubscriptionStatus::active:
      break;
  }
  return s.counters.fails_counter > 0 ? "failed" : "active";
}

// --- Matching ---

core::Result<SubscriptionMatcher> SubscriptionMatcher::compile(const Subscription& s) {
  SubscriptionMatcher m;
  m.service_ = s.scope.service;
  auto paths = parse_service_paths(s.scope.service_path, /*for_read=*/true);
  if (!paths)
    return core::make_error(core::ErrorCode::bad_request,
                            "invalid service path: " + s.scope.service_path);
  m.paths_ = std::move(*paths);
  m.condition_attrs_ = s.spec.condition_attrs;
  for (const SubjectEntity& e : s.spec.entities) {
    // The entity list's own parser checks and compiles the patterns and the expression, so a
    // subscription understands exactly what GET /v2/entities does.
    QueryParams params;
    for (const auto& [name, value] : s.spec.expression) params.emplace(name, value);
    const std::pair<std::string_view, const std::string*> fields[] = {
        {"id", &e.id},
        {"idPattern", &e.id_pattern},
        {"type", &e.type},
        {"typePattern", &e.type_pattern}};
    for (const auto& [name, value] : fields)
      if (!value->empty()) params.emplace(std::string(name), *value);
    auto q = parse_entity_list_query(params);
    if (!q) return q.take_error();
    // One id and one type each, not comma-separated lists.
    if (!e.id.empty()) q->ids = {e.id};
    if (!e.type.empty()) q->types = {e.type};
    m.selectors_.push_back(std::move(*q));
  }
  return m;
}

bool SubscriptionMatcher::concerns(const Changed& change) const {
  if (change.deleted || change.attrs.empty()) return false;
  const Entity& e = change.entity;
  if (e.scope.service != service_ || !paths_.matches(e.scope.service_path)) return false;
  if (!condition_attrs_.empty() &&
      std::none_of(change.attrs.begin(), change.attrs.end(),
                   [&](const std::string& a) { return contains(condition_attrs_, a); }))
    return false;
  return std::any_of(selectors_.begin(), selectors_.end(),
                     [&](const EntityListQuery& q) { return matches(q, e); });
}

Trigger decide(const Subscription& s, const SubscriptionMatcher& matcher, const Changed& change,
               int64_t now_ms) {
  if (s.spec.status != SubscriptionStatus::active) return Trigger::inactive;
  if (s.spec.expires_ms && now_ms >= *s.spec.expires_ms) return Trigger::expired;
  if (!matcher.concerns(change)) return Trigger::not_concerned;
  const int64_t last = s.counters.last_notification_ms;
  if (s.spec.throttling_s > 0 && last > 0 && now_ms - last < s.spec.throttling_s * 1000)
    return Trigger::throttled;
  return Trigger::notify;
}

// --- Notifications ---

std::string notification_body(const Subscription& s, const std::vector<Entity>& entities) {
  const ngsi::Projection projection{s.spec.attrs, s.spec.metadata};
  boost::json::array data;
  for (const Entity& e : entities) {
    if (s.spec.except_attrs.empty()) {
      data.push_back(ngsi::entity_json(e, form_of(s.spec.format), projection));
      continue;
    }
    Entity shown = e;
    for (const auto& name : s.spec.except_attrs) shown.attrs.erase(name);
    data.push_back(ngsi::entity_json(shown, form_of(s.spec.format), projection));
  }
  return boost::json::serialize(
      boost::json::object{{"subscriptionId", s.id}, {"data", std::move(data)}});
}

bool record(Subscription& s, const Delivery& d) {
  DeliveryCounters& c = s.counters;
  ++c.times_sent;
  if (d.delivered) {
    c.last_success_ms = d.at_ms;
    c.last_success_code = d.status_code;
    c.fails_counter = 0;
    return false;
  }
  c.last_failure_ms = d.at_ms;
  c.last_failure_reason = d.failure;
  ++c.fails_counter;
  if (s.spec.max_fails_limit > 0 && c.fails_counter >= s.spec.max_fails_limit &&
      s.spec.status == SubscriptionStatus::active) {
    s.spec.status = SubscriptionStatus::failed;
    return true;
  }
  return false;
}

}  // namespace balai::city
