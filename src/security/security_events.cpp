#include "security/security_events.h"

#include <algorithm>
#include <array>

#include "core/ids.h"

namespace balai::security {
namespace {

constexpr std::array<ids::Severity, 5> kSeverities = {ids::Severity::info, ids::Severity::low,
                                                      ids::Severity::medium, ids::Severity::high,
                                                      ids::Severity::critical};

// Severities stored as text; ordered comparisons go through this list of names.
std::string severities_from(ids::Severity min) {
  std::string out;
  for (auto s : kSeverities) {
    if (s < min) continue;
    if (!out.empty()) out += ", ";
    out += "'" + std::string(ids::to_string(s)) + "'";
  }
  return out;
}

}  // namespace

std::optional<ids::Severity> parse_severity(std::string_view text) {
  for (auto s : kSeverities)
    if (ids::to_string(s) == text) return s;
  return std::nullopt;
}

core::Status SecurityEvents::record(SecurityEvent e) {
  if (e.id.empty()) e.id = core::new_uuid_v7(e.at);
  return core::status_of(db::execute(
      db_,
      "INSERT INTO security_events (external_id, at, type, severity, source, account, detail) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {e.id, e.at, e.type, ids::to_string(e.severity), e.source, e.account, e.detail}));
}

core::Result<std::vector<SecurityEvent>> SecurityEvents::list(const EventQuery& q) const {
  std::string sql =
      "SELECT external_id, at, type, severity, source, account, detail, acknowledged_at, "
      "acknowledged_by FROM security_events WHERE 1 = 1";
  // The severity list is built from the enum, never from input, so it is safe inline.
  if (q.min_severity) sql += " AND severity IN (" + severities_from(*q.min_severity) + ")";
  if (q.unacknowledged_only) sql += " AND acknowledged_at IS NULL";
  sql += " ORDER BY id DESC LIMIT ? OFFSET ?";
  auto rows = db_.query(sql, {std::clamp(q.limit, 1, 500), std::max(q.offset, 0)});
  if (!rows) return rows.take_error();
  std::vector<SecurityEvent> out;
  for (const auto& r : *rows) {
    SecurityEvent e;
    e.id = r.text(0);
    e.at = r.timestamp(1);
    e.type = r.text(2);
    e.severity = parse_severity(r.text(3)).value_or(ids::Severity::info);
    e.source = r.text(4);
    e.account = r.text(5);
    e.detail = r.text(6);
    if (!r.is_null(7)) e.acknowledged_at = r.timestamp(7);
    e.acknowledged_by = r.opt_text(8).value_or("");
    out.push_back(std::move(e));
  }
  return out;
}

core::Result<int64_t> SecurityEvents::count_unacknowledged(ids::Severity min_severity) const {
  auto rows = db_.query(
      "SELECT COUNT(*) FROM security_events WHERE acknowledged_at IS NULL AND severity IN (" +
      severities_from(min_severity) + ")");
  if (!rows) return rows.take_error();
  return (*rows)[0].int64(0);
}

core::Status SecurityEvents::acknowledge(std::string_view id, std::string_view by,
                                         core::Timestamp now) {
  bool found = false;
  auto status = db_.transact([&](db::Connection& c) -> core::Status {
    auto known = c.query("SELECT 1 FROM security_events WHERE external_id = ?", {id});
    if (!known) return known.take_error();
    found = !known->empty();
    if (!found) return {};
    auto r = c.query(
        "UPDATE security_events SET acknowledged_at = ?, acknowledged_by = ? WHERE external_id = "
        "? AND acknowledged_at IS NULL",
        {now, by, id});
    if (!r) return r.take_error();
    return {};
  });
  if (!status) return status;
  if (!found) return core::make_error(core::ErrorCode::not_found, "No such event.");
  return {};
}

}  // namespace balai::security
