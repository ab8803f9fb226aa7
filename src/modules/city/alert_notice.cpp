#include "modules/city/alert_notice.h"

#include <fmt/format.h>

#include "modules/city/rules.h"
#include "modules/notify/outbox.h"
#include "modules/regions/directory.h"
#include "security/accounts.h"

namespace balai::city {
namespace {

// "27-11-2026 09:30 WIB": the city's clock, as people read it.
std::string local_clock(int64_t ms, core::Zone zone) {
  const core::LocalTime t = core::to_local_time(core::Timestamp{ms}, zone);
  return fmt::format("{:02}-{:02}-{} {:02}:{:02} {}", t.date.day, t.date.month, t.date.year, t.hour,
                     t.minute, core::zone_abbreviation(zone));
}

// "162.5 cm": the value with its unit when the type is a known one.
std::string with_unit(double value, const Alert& a) {
  std::string unit;
  if (const EntityTypeSpec* type = find_entity_type(a.entity_type))
    if (const AttributeSpec* attr = find_attribute(*type, a.attr)) unit = attr->unit_label;
  return unit.empty() ? fmt::format("{}", value) : fmt::format("{} {}", value, unit);
}

}  // namespace

AlertNotice compose_notice(const StoredAlert& s, std::string_view district_name,
                           std::string_view link, core::Zone zone) {
  const Alert& a = s.record.alert;
  const bool resolved = a.status == "resolved";
  const std::string place_id = district_name.empty()
                                   ? a.district
                                   : fmt::format("Kecamatan {} ({})", district_name, a.district);
  const std::string place_en = district_name.empty()
                                   ? a.district
                                   : fmt::format("{} district ({})", district_name, a.district);
  AlertNotice n;
  if (resolved) {
    n.kind = "city.alert_resolved";
    n.subject = fmt::format("Berakhir: {} — {}", a.title_id, place_id);
    n.body = fmt::format(
        "{0} di {1} sudah berakhir ({2}).\nInfo terkini: {3}\n\n"
        "Ended: {4} in {5} ({2}).\nLatest: {3}\n",
        a.title_id, place_id, local_clock(a.resolved_ms, zone), link, a.title_en, place_en);
    return n;
  }
  n.kind = "city.alert_raised";
  n.subject = fmt::format("{} — {}", a.title_id, place_id);
  const std::string value = with_unit(a.value, a);
  const std::string threshold = with_unit(a.threshold, a);
  const std::string when = local_clock(a.raised_ms, zone);
  n.body = fmt::format(
      "{0} di {1}.\nSensor {2} mencatat {3} (batas {4}) pada {5}.\n{6}\nInfo terkini: {7}\n\n"
      "{8} in {9}.\nSensor {2} recorded {3} (threshold {4}) at {5}.\n{10}\nLatest: {7}\n",
      a.title_id, place_id, a.entity_id, value, threshold, when, s.record.message_id, link,
      a.title_en, place_en, s.record.message_en);
  return n;
}

core::Result<std::vector<std::string>> watcher_addresses(app::App& app, const AlertStore& store,
                                                         std::string_view district) {
  std::vector<std::string> out;
  if (district.empty()) return out;
  auto ids = store.watchers(district);
  if (!ids) return ids.take_error();
  if (ids->empty()) return out;
  auto accounts = app.security.accounts.find_many(*ids);
  if (!accounts) return accounts.take_error();
  for (const auto& account : *accounts)
    if (account.active && !account.pending && !account.email.empty()) out.push_back(account.email);
  return out;
}

core::Status queue_notices(app::App& app, db::Connection& conn, const StoredAlert& alert,
                           const std::vector<std::string>& addresses) {
  // Citizens hear of public alerts only; staff-only ones stay with the agency's staff.
  if (addresses.empty() || !alert.record.alert.public_alert) return {};
  std::string district_name;
  if (const auto* r = app.regions.find(alert.record.alert.district)) district_name = r->name;
  const AlertNotice n = compose_notice(alert, district_name, app.config.server.public_url + "/kota",
                                       app.config.city.zone);
  const core::Timestamp now = app.clock.now();
  for (const auto& to : addresses) {
    notify::Message m{notify::Channel::email, to, n.subject, n.body, n.kind};
    BALAI_TRY(app.outbox.enqueue(conn, m, now));
  }
  return {};
}

}  // namespace balai::city
