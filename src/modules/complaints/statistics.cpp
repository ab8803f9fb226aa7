// The city's public record (ComplaintService, part 4): counts by category, status, agency,
// region and month; median times to verify and to resolve; the share handled within the
// service levels; reopened reports (counted against the agency); ratings.
#include <map>

#include "modules/complaints/service.h"
#include "modules/regions/directory.h"

namespace balai::complaints {
namespace {

std::vector<Statistics::Count> sorted(const std::map<std::string, int64_t>& counts) {
  std::vector<Statistics::Count> out;
  for (const auto& [k, n] : counts) out.push_back({k, n});
  return out;
}

// "35.77.01.1001" -> "35.77.01": statistics count by district (kecamatan).
std::string district_of(const std::string& village) {
  size_t dots = 0;
  for (size_t i = 0; i < village.size(); ++i)
    if (village[i] == '.' && ++dots == 3) return village.substr(0, i);
  return village;
}

}  // namespace

core::Result<Statistics> ComplaintService::statistics(core::Timestamp from,
                                                      core::Timestamp to) const {
  if (to.ms <= from.ms)
    return core::Error{
        core::ErrorCode::validation_failed, "The period is empty.", {{"to", "after from"}}};
  auto rows = store_.stat_rows(from, to);
  if (!rows) return rows.take_error();
  const auto days = working_days();
  const core::Zone zone = app_.config.city.zone;

  Statistics s;
  std::map<std::string, int64_t> category, status, agency, region, month;
  std::vector<int64_t> verify_ms, resolve_ms;
  int64_t verified = 0, verified_in_time = 0, dispositioned = 0, followed_in_time = 0;
  int64_t rating_sum = 0;
  struct AgencySums {
    int64_t handled = 0, resolved = 0, reopened = 0, ratings = 0, rating_sum = 0;
  };
  std::map<std::string, AgencySums> per_agency;

  for (const auto& r : *rows) {
    ++s.total;
    ++category[r.category_code];
    ++status[std::string(to_string(r.status))];
    if (!r.agency_code.empty()) ++agency[r.agency_code];
    ++region[r.village_code.empty() ? "" : district_of(r.village_code)];
    ++month[core::format_year_month(r.created_at, zone)];
    if (r.verified_at) {
      ++verified;
      verify_ms.push_back(r.verified_at->ms - r.created_at.ms);
      if (r.verified_at->ms <= rules::verify_due(*days, r.created_at).ms) ++verified_in_time;
    }
    if (r.dispositioned_at && !r.rejected) {
      ++dispositioned;
      if (r.followed_up_at &&
          r.followed_up_at->ms <= rules::follow_up_due(*days, *r.dispositioned_at).ms)
        ++followed_in_time;
    }
    if (r.resolved_at) resolve_ms.push_back(r.resolved_at->ms - r.created_at.ms);
    if (r.reopened > 0) ++s.reopened;
    if (r.rating) {
      ++s.ratings;
      rating_sum += *r.rating;
    }
    if (!r.agency_code.empty()) {
      auto& a = per_agency[r.agency_code];
      ++a.handled;
      if (r.resolved_at || r.status == Status::closed) ++a.resolved;
      if (r.reopened > 0) ++a.reopened;
      if (r.rating) ++a.ratings, a.rating_sum += *r.rating;
    }
  }
  s.by_category = sorted(category);
  s.by_status = sorted(status);
  s.by_agency = sorted(agency);
  s.by_region = sorted(region);
  s.by_month = sorted(month);
  s.median_verify_ms = rules::median(verify_ms);
  s.median_resolve_ms = rules::median(resolve_ms);
  s.verified_in_time = verified ? static_cast<double>(verified_in_time) / verified : 0;
  s.followed_up_in_time = dispositioned ? static_cast<double>(followed_in_time) / dispositioned : 0;
  if (s.ratings) s.average_rating = static_cast<double>(rating_sum) / s.ratings;
  for (const auto& [code, a] : per_agency) {
    Statistics::AgencyRecord rec{code, a.handled, a.resolved, a.reopened, std::nullopt};
    if (a.ratings) rec.average_rating = static_cast<double>(a.rating_sum) / a.ratings;
    s.agencies.push_back(std::move(rec));
  }
  return s;
}

}  // namespace balai::complaints
