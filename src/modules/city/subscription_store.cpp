#include "modules/city/subscription_store.h"

#include "core/log.h"
#include "modules/city/subscription_json.h"

namespace balai::city {
namespace {

constexpr std::string_view kColumns =
    "SELECT id, external_id, service, service_path, owner_id, definition_json, status, "
    "times_sent, last_notification_ms, last_success_ms, last_success_code, last_failure_ms, "
    "last_failure_reason, fails_counter, created_ms, modified_ms FROM city_subscriptions ";

core::Result<Subscription> read(const db::Row& r) {
  Subscription s;
  s.key = r.int64(0);
  s.id = r.text(1);
  s.scope.service = r.text(2);
  s.scope.service_path = r.text(3);
  s.owner = r.text(4);
  auto spec = ngsi::parse_definition(r.text(5));
  if (!spec) return spec.take_error();
  s.spec = std::move(*spec);
  auto status = parse_subscription_status(r.text(6));
  if (!status) return core::make_error(core::ErrorCode::internal, "unknown subscription status");
  s.spec.status = *status;
  DeliveryCounters& c = s.counters;
  c.times_sent = r.int64(7);
  c.last_notification_ms = r.opt_int64(8).value_or(0);
  c.last_success_ms = r.opt_int64(9).value_or(0);
  c.last_success_code = r.opt_int64(10).value_or(0);
  c.last_failure_ms = r.opt_int64(11).value_or(0);
  c.last_failure_reason = r.opt_text(12).value_or("");
  c.fails_counter = r.int64(13);
  s.created_ms = r.int64(14);
  s.modified_ms = r.int64(15);
  return s;
}

// A time or NULL for "never".
db::Value optional_ms(int64_t ms) {
  return ms > 0 ? db::Value(ms) : db::Value();
}

}  // namespace

core::Result<std::vector<Subscription>> SubscriptionStore::select(std::string_view where,
                                                                  const db::Params& params) const {
  auto rows = db_.query(std::string(kColumns) + std::string(where) + " ORDER BY id", params);
  if (!rows) return rows.take_error();
  std::vector<Subscription> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    auto s = read(r);
    if (!s) {
      // One bad row must not hide the others (nor stop every notification).
      core::log::error("city.subscription_unreadable",
                       {{"subscription", r.text(1)}, {"error", s.error().message}});
      continue;
    }
    out.push_back(std::move(*s));
  }
  return out;
}

core::Result<std::optional<Subscription>> SubscriptionStore::find(std::string_view service,
                                                                  std::string_view id) const {
  auto found = select("WHERE service = ? AND external_id = ?", {service, id});
  if (!found) return found.take_error();
  if (found->empty()) return std::optional<Subscription>{};
  return std::optional<Subscription>(std::move(found->front()));
}

core::Result<std::vector<Subscription>> SubscriptionStore::list(std::string_view service,
                                                                std::string_view owner) const {
  if (owner.empty()) return select("WHERE service = ?", {service});
  return select("WHERE service = ? AND owner_id = ?", {service, owner});
}

core::Result<std::vector<Subscription>> SubscriptionStore::all() const {
  return select("", {});
}

core::Result<int64_t> SubscriptionStore::insert(db::Connection& conn, const Subscription& s) const {
  auto rows = conn.query(
      "INSERT INTO city_subscriptions (external_id, service, service_path, owner_id, "
      "definition_json, status, created_ms, modified_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id",
      {s.id, s.scope.service, s.scope.service_path, s.owner, ngsi::definition_json(s.spec),
       to_string(s.spec.status), s.created_ms, s.modified_ms});
  if (!rows) return rows.take_error();
  return (*rows)[0].int64(0);
}

core::Status SubscriptionStore::update(db::Connection& conn, const Subscription& s,
                                       bool clear_failures) const {
  auto r = conn.query(
      "UPDATE city_subscriptions SET definition_json = ?, status = ?, modified_ms = ?, "
      "fails_counter = CASE WHEN ? = 1 THEN 0 ELSE fails_counter END WHERE id = ?",
      {ngsi::definition_json(s.spec), to_string(s.spec.status), s.modified_ms,
       int64_t{clear_failures ? 1 : 0}, s.key});
  if (!r) return r.take_error();
  return {};
}

core::Status SubscriptionStore::remove(db::Connection& conn, int64_t key) const {
  auto r = conn.query("DELETE FROM city_subscriptions WHERE id = ?", {key});
  if (!r) return r.take_error();
  return {};
}

core::Status SubscriptionStore::flush(const std::vector<CounterDelta>& deltas) const {
  if (deltas.empty()) return {};
  return db_.transact([&](db::Connection& conn) -> core::Status {
    for (const CounterDelta& d : deltas) {
      // Each "latest" column takes the delta's time only when it is later than the stored one
      // (another instance may have written a later one); a NULL delta time changes nothing.
      auto r = conn.query(
          "UPDATE city_subscriptions SET "
          "times_sent = times_sent + ?, "
          "last_notification_ms = CASE WHEN ? > COALESCE(last_notification_ms, 0) THEN ? "
          "ELSE last_notification_ms END, "
          "last_success_code = CASE WHEN ? > COALESCE(last_success_ms, 0) THEN ? "
          "ELSE last_success_code END, "
          "last_success_ms = CASE WHEN ? > COALESCE(last_success_ms, 0) THEN ? "
          "ELSE last_success_ms END, "
          "last_failure_reason = CASE WHEN ? > COALESCE(last_failure_ms, 0) THEN ? "
          "ELSE last_failure_reason END, "
          "last_failure_ms = CASE WHEN ? > COALESCE(last_failure_ms, 0) THEN ? "
          "ELSE last_failure_ms END, "
          "fails_counter = CASE WHEN ? = 1 THEN ? ELSE fails_counter + ? END, "
          "status = CASE WHEN ? = 1 AND status = 'active' THEN 'failed' ELSE status END "
          "WHERE id = ?",
          {d.sent, d.last_notification_ms, optional_ms(d.last_notification_ms), d.last_success_ms,
           d.last_success_code, d.last_success_ms, optional_ms(d.last_success_ms),
           d.last_failure_ms, d.last_failure_reason, d.last_failure_ms,
           optional_ms(d.last_failure_ms), int64_t{d.fails_reset ? 1 : 0}, d.fails, d.fails,
           int64_t{d.stopped ? 1 : 0}, d.key});
      if (!r) return r.take_error();
    }
    return {};
  });
}

}  // namespace balai::city
