// The public transparency figures (IdentityService, part 4): counts only, never a person.
#include <map>
#include <utility>

#include "modules/identity/service.h"
#include "security/audit.h"

namespace balai::identity {
namespace {

constexpr int64_t kYearMs = int64_t{366} * 86'400'000;

// Adds one to (month, key) in an ordered tally.
void tally(std::map<std::pair<std::string, std::string>, int64_t>& counts, std::string month,
           std::string key) {
  ++counts[{std::move(month), std::move(key)}];
}

std::vector<MonthCount> to_list(const std::map<std::pair<std::string, std::string>, int64_t>& m) {
  std::vector<MonthCount> out;
  for (const auto& [k, n] : m) out.push_back({k.first, k.second, n});
  return out;
}

}  // namespace

core::Result<Transparency> IdentityService::transparency(core::Timestamp now) {
  const core::Zone zone = app_.config.city.zone;
  const core::Timestamp since{now.ms - kYearMs};
  Transparency out;

  auto reads = app_.security.audit.personal_data_reads_since(app_.db, since);
  if (!reads) return reads.take_error();
  // The agency is the reader's present one: staff rarely move, and the audit entry keeps no
  // agency of its own.
  std::map<std::string, std::string> agency_of;
  std::map<std::pair<std::string, std::string>, int64_t> by_agency;
  for (const auto& e : *reads) {
    auto it = agency_of.find(e.actor);
    if (it == agency_of.end()) {
      std::string agency;
      if (auto account = app_.security.accounts.find(e.actor); account && *account)
        agency = (*account)->agency;
      it = agency_of.emplace(e.actor, agency.empty() ? std::string("-") : agency).first;
    }
    tally(by_agency, core::format_year_month(e.at, zone), it->second);
  }
  out.reads_by_agency = to_list(by_agency);

  auto requests = store_.request_months(zone, now);
  if (!requests) return requests.take_error();
  out.requests = std::move(requests).value();

  auto events = app_.db.query("SELECT at, severity FROM security_events WHERE at >= ?", {since});
  if (!events) return events.take_error();
  std::map<std::pair<std::string, std::string>, int64_t> by_severity;
  for (const auto& r : *events)
    tally(by_severity, core::format_year_month(r.timestamp(0), zone), r.text(1));
  out.security_events = to_list(by_severity);
  return out;
}

}  // namespace balai::identity
