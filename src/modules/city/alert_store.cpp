#include "modules/city/alert_store.h"

#include <array>

#include "core/ids.h"

namespace balai::city {
namespace {

constexpr std::string_view kAlertColumns =
    "SELECT a.id, a.rule_id, a.entity_service, a.entity_path, a.entity_id, a.entity_type, "
    "a.attr, a.value, a.threshold, a.district_code, a.agency_code, a.severity, a.public_alert, "
    "a.title_id, a.title_en, a.message_id, a.message_en, a.status, a.raised_ms, "
    "a.acknowledged_ms, ack.external_id, a.resolved_ms, res.external_id, a.note "
    "FROM city_alerts a LEFT JOIN accounts ack ON ack.id = a.acknowledged_by "
    "LEFT JOIN accounts res ON res.id = a.resolved_by ";

constexpr std::string_view kRuleColumns =
    "SELECT rule_id, entity_type, attr, comparison, threshold, clear_threshold, duration_ms, "
    "max_gap_ms, severity, public_alert, enabled, name_id, name_en, message_id, message_en, "
    "updated_ms FROM city_alert_rules ";

// The open alert of a rule for an entity (the unique index city_alerts_open).
constexpr std::string_view kOpenOfEntity =
    "WHERE a.rule_id = ? AND a.entity_service = ? AND a.entity_path = ? AND a.entity_id = ? AND "
    "a.entity_type = ? AND a.status <> 'resolved'";

StoredAlert read_alert(const db::Row& row) {
  StoredAlert s;
  Alert& a = s.record.alert;
  a.key = row.int64(0);
  a.rule_id = row.text(1);
  s.scope.service = row.text(2);
  s.scope.service_path = row.text(3);
  a.entity_id = row.text(4);
  a.entity_type = row.text(5);
  a.attr = row.text(6);
  a.value = row.real(7);
  a.threshold = row.real(8);
  a.district = row.text(9);
  s.agency = row.text(10);
  a.severity = row.text(11);
  a.public_alert = row.int64(12) != 0;
  a.title_id = row.text(13);
  a.title_en = row.text(14);
  s.record.message_id = row.text(15);
  s.record.message_en = row.text(16);
  a.status = row.text(17);
  a.raised_ms = row.int64(18);
  a.acknowledged_ms = row.opt_int64(19).value_or(0);
  s.record.acknowledged_by = row.opt_text(20).value_or("");
  a.resolved_ms = row.opt_int64(21).value_or(0);
  s.record.resolved_by = row.opt_text(22).value_or("");
  s.record.note = row.text(23);
  return s;
}

core::Result<std::vector<StoredAlert>> read_alerts(core::Result<db::Rows> rows) {
  if (!rows) return rows.take_error();
  std::vector<StoredAlert> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) out.push_back(read_alert(row));
  return out;
}

core::Result<std::optional<StoredAlert>> read_one(core::Result<db::Rows> rows) {
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<StoredAlert>{};
  return std::optional<StoredAlert>{read_alert((*rows)[0])};
}

StoredRule read_rule(const db::Row& row) {
  StoredRule s;
  AlertRule& r = s.rule;
  r.id = row.text(0);
  r.entity_type = row.text(1);
  r.attr = row.text(2);
  r.comparison = parse_comparison(row.text(3)).value_or(Comparison::above);
  r.threshold = row.real(4);
  r.clear_threshold = row.real(5);
  r.duration_ms = row.int64(6);
  r.max_gap_ms = row.int64(7);
  r.severity = parse_severity(row.text(8)).value_or(Severity::warning);
  r.public_alert = row.int64(9) != 0;
  s.enabled = row.int64(10) != 0;
  r.name_id = row.text(11);
  r.name_en = row.text(12);
  r.message_id = row.text(13);
  r.message_en = row.text(14);
  s.updated_ms = row.int64(15);
  return s;
}

// A random positive key below 2^53: exact in every JSON number, and no sequence to count.
int64_t random_key() {
  for (;;) {
    std::array<uint8_t, 8> bytes{};
    core::random_bytes(bytes);
    uint64_t v = 0;
    for (uint8_t b : bytes) v = (v << 8) | b;
    v &= (uint64_t{1} << 53) - 1;
    if (v != 0) return static_cast<int64_t>(v);
  }
}

std::string for_update(const db::Connection& conn) {
  return conn.dialect() == db::Dialect::postgresql ? " FOR UPDATE OF a" : "";
}

}  // namespace

core::Result<std::vector<StoredRule>> AlertStore::rules() const {
  auto rows = db_.query(std::string(kRuleColumns) + "ORDER BY position, rule_id");
  if (!rows) return rows.take_error();
  std::vector<StoredRule> out;
  for (const auto& row : *rows) out.push_back(read_rule(row));
  return out;
}

core::Status AlertStore::replace_rules(db::Connection& conn, const std::vector<StoredRule>& rules,
                                       core::Timestamp now) const {
  auto cleared = conn.query("DELETE FROM city_alert_rules");
  if (!cleared) return cleared.take_error();
  int position = 0;
  for (const auto& s : rules) {
    const AlertRule& r = s.rule;
    auto inserted = conn.query(
        "INSERT INTO city_alert_rules (rule_id, position, entity_type, attr, comparison, "
        "threshold, clear_threshold, duration_ms, max_gap_ms, severity, public_alert, enabled, "
        "name_id, name_en, message_id, message_en, updated_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {r.id, ++position, r.entity_type, r.attr, to_string(r.comparison), r.threshold,
         r.clear_threshold, r.duration_ms, r.max_gap_ms, to_string(r.severity), r.public_alert,
         s.enabled, r.name_id, r.name_en, r.message_id, r.message_en, now});
    if (!inserted) return inserted.take_error();
  }
  return {};
}

core::Result<EntityFacts> AlertStore::entity_facts(db::Connection& conn,
                                                   const AlertEntity& entity) const {
  auto rows = conn.query(
      "SELECT e.id, (SELECT d.agency_code FROM city_devices d WHERE d.entity_key = e.id AND "
      "d.revoked_ms IS NULL ORDER BY d.id LIMIT 1) FROM city_entities e WHERE e.service = ? AND "
      "e.service_path = ? AND e.entity_id = ? AND e.entity_type = ?",
      {entity.scope.service, entity.scope.service_path, entity.id, entity.type});
  if (!rows) return rows.take_error();
  EntityFacts facts;
  if (rows->empty()) return facts;
  facts.key = (*rows)[0].int64(0);
  facts.agency = (*rows)[0].opt_text(1).value_or("");
  return facts;
}

core::Result<std::optional<int64_t>> AlertStore::insert(db::Connection& conn, const StoredAlert& s,
                                                        std::optional<int64_t> entity_key) const {
  const Alert& a = s.record.alert;
  const int64_t key = random_key();
  // DO NOTHING on the open-alert index rather than a failing insert: a failed statement would
  // abort the whole transaction on PostgreSQL.
  auto rows = conn.query(
      "INSERT INTO city_alerts (id, rule_id, entity_key, entity_service, entity_path, entity_id, "
      "entity_type, attr, value, threshold, district_code, agency_code, severity, public_alert, "
      "title_id, title_en, message_id, message_en, status, raised_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?) "
      "ON CONFLICT (rule_id, entity_service, entity_path, entity_id, entity_type) "
      "WHERE status <> 'resolved' DO NOTHING",
      {key, a.rule_id, entity_key, s.scope.service, s.scope.service_path, a.entity_id,
       a.entity_type, a.attr, a.value, a.threshold, a.district, s.agency, a.severity,
       a.public_alert, a.title_id, a.title_en, s.record.message_id, s.record.message_en,
       a.raised_ms});
  if (!rows) return rows.take_error();
  if (rows->affected == 0) return std::optional<int64_t>{};
  return std::optional<int64_t>{key};
}

core::Result<std::optional<StoredAlert>> AlertStore::open_for_update(
    db::Connection& conn, std::string_view rule_id, const AlertEntity& entity) const {
  return read_one(conn.query(
      std::string(kAlertColumns) + std::string(kOpenOfEntity) + for_update(conn),
      {rule_id, entity.scope.service, entity.scope.service_path, entity.id, entity.type}));
}

core::Result<std::optional<StoredAlert>> AlertStore::find_for_update(db::Connection& conn,
                                                                     int64_t key) const {
  return read_one(
      conn.query(std::string(kAlertColumns) + "WHERE a.id = ?" + for_update(conn), {key}));
}

core::Status AlertStore::set_status(db::Connection& conn, int64_t key, std::string_view status,
                                    core::Timestamp at, int64_t by, std::string_view note) const {
  const std::optional<int64_t> staff = by ? std::optional<int64_t>{by} : std::nullopt;
  const bool resolved = status == "resolved";
  const std::string sql =
      resolved ? "UPDATE city_alerts SET status = ?, resolved_ms = ?, resolved_by = ?, "
                 "note = ? WHERE id = ?"
               : "UPDATE city_alerts SET status = ?, acknowledged_ms = ?, acknowledged_by = ?, "
                 "note = ? WHERE id = ?";
  auto rows = conn.query(sql, {status, at, staff, note, key});
  if (!rows) return rows.take_error();
  return {};
}

core::Result<std::optional<StoredAlert>> AlertStore::find(int64_t key) const {
  return read_one(db_.query(std::string(kAlertColumns) + "WHERE a.id = ?", {key}));
}

core::Result<std::vector<StoredAlert>> AlertStore::open(bool public_only) const {
  std::string sql = std::string(kAlertColumns) + "WHERE a.status <> 'resolved'";
  if (public_only) sql += " AND a.public_alert = 1";
  sql += " ORDER BY a.raised_ms DESC, a.id DESC";
  return read_alerts(db_.query(sql));
}

core::Result<std::vector<StoredAlert>> AlertStore::list(AlertStatusFilter filter,
                                                        const std::optional<std::string>& agency,
                                                        size_t limit) const {
  std::string sql = std::string(kAlertColumns);
  switch (filter) {
    case AlertStatusFilter::open:
      sql += "WHERE a.status <> 'resolved'";
      break;
    case AlertStatusFilter::resolved:
      sql += "WHERE a.status = 'resolved'";
      break;
    case AlertStatusFilter::all:
      sql += "WHERE 1 = 1";
      break;
  }
  db::Params params;
  if (agency) {
    sql += " AND a.agency_code = ?";
    params.emplace_back(*agency);
  }
  sql += " ORDER BY a.raised_ms DESC, a.id DESC LIMIT ?";
  params.emplace_back(static_cast<int64_t>(limit));
  return read_alerts(db_.query(sql, params));
}

core::Result<std::vector<std::string>> AlertStore::districts_of(int64_t account_key) const {
  auto rows = db_.query(
      "SELECT district_code FROM city_alert_watchers WHERE account_id = ? ORDER BY district_code",
      {account_key});
  if (!rows) return rows.take_error();
  std::vector<std::string> out;
  for (const auto& row : *rows) out.push_back(row.text(0));
  return out;
}

core::Result<bool> AlertStore::add_watch(int64_t account_key, std::string_view district,
                                         core::Timestamp now) const {
  auto changed = db::execute(db_,
                             "INSERT INTO city_alert_watchers (account_id, district_code, "
                             "created_ms) VALUES (?, ?, ?) "
                             "ON CONFLICT (account_id, district_code) DO NOTHING",
                             {account_key, district, now});
  if (!changed) return changed.take_error();
  return *changed > 0;
}

core::Result<bool> AlertStore::remove_watch(int64_t account_key, std::string_view district) const {
  auto changed =
      db::execute(db_, "DELETE FROM city_alert_watchers WHERE account_id = ? AND district_code = ?",
                  {account_key, district});
  if (!changed) return changed.take_error();
  return *changed > 0;
}

core::Result<std::vector<std::string>> AlertStore::watchers(std::string_view district) const {
  auto rows = db_.query(
      "SELECT a.external_id FROM city_alert_watchers w JOIN accounts a ON a.id = w.account_id "
      "WHERE w.district_code = ? ORDER BY w.account_id",
      {district});
  if (!rows) return rows.take_error();
  std::vector<std::string> out;
  for (const auto& row : *rows) out.push_back(row.text(0));
  return out;
}

}  // namespace balai::city
