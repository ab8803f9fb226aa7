#include "modules/complaints/json.h"

#include <boost/json.hpp>

#include "modules/complaints/rules.h"

namespace balai::complaints::json {
namespace {

boost::json::value opt_time(const std::optional<core::Timestamp>& t, core::Zone zone) {
  if (!t) return nullptr;
  return boost::json::value(core::format_iso8601(*t, zone));
}

boost::json::array counts(const std::vector<Statistics::Count>& list) {
  boost::json::array out;
  for (const auto& c : list) out.push_back({{"key", c.key}, {"count", c.count}});
  return out;
}

std::string csv_field(std::string_view text) {
  // Quote always; a leading = + - @ would be a formula to a spreadsheet, so prefix a quote.
  std::string out = "\"";
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@'))
    out += '\'';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

boost::json::object category(const Category& c, std::string_view lang) {
  boost::json::array attributes;
  for (const auto& a : c.attributes) {
    boost::json::array values;
    for (const auto& v : a.values) values.push_back({{"key", v.key}, {"name", v.name}});
    attributes.push_back({{"code", a.code},
                          {"type", to_string(a.type)},
                          {"required", a.required},
                          {"description", a.description},
                          {"order", a.order},
                          {"values", std::move(values)}});
  }
  return {{"code", c.code},
          {"name", lang == "en" && !c.name_en.empty() ? c.name_en : c.name_id},
          {"description",
           lang == "en" && !c.description_en.empty() ? c.description_en : c.description_id},
          {"agency", c.agency_code},
          {"physical", c.physical},
          {"nearby_radius_m", c.nearby_radius_m},
          {"attributes", std::move(attributes)}};
}

boost::json::object complaint(const Complaint& c, core::Zone zone, core::Timestamp now,
                              bool for_reporter_or_staff) {
  boost::json::object o{{"tracking", c.tracking},
                        {"kind", to_string(c.kind)},
                        {"category", c.category_code},
                        {"title", rules::display_title(c.title, c.description)},
                        {"description", c.description},
                        {"status", to_string(c.status)},
                        {"open", is_open(c.status)},
                        {"address", c.address},
                        {"village_code", c.village_code},
                        {"agency", c.agency_code},
                        {"supporters", c.supporters},
                        {"reopened", c.reopened},
                        {"status_note", c.status_note},
                        {"created_at", core::format_iso8601(c.created_at, zone)},
                        {"updated_at", core::format_iso8601(c.updated_at, zone)},
                        {"due_at", opt_time(c.due_at, zone)},
                        {"overdue", rules::overdue(c, now)},
                        {"resolved_at", opt_time(c.resolved_at, zone)},
                        {"closed_at", opt_time(c.closed_at, zone)}};
  if (c.location)
    o["location"] = {{"lat", core::format_degrees_e6(c.location->lat_e6)},
                     {"lon", core::format_degrees_e6(c.location->lon_e6)}};
  else
    o["location"] = nullptr;
  o["merged_into"] =
      c.merged_into.empty() ? boost::json::value(nullptr) : boost::json::value(c.merged_into);
  o["rejection_reason"] = c.rejection_reason ? boost::json::value(to_string(*c.rejection_reason))
                                             : boost::json::value(nullptr);
  o["rating"] = c.rating ? boost::json::value(*c.rating) : boost::json::value(nullptr);
  if (for_reporter_or_staff) {
    o["anonymous"] = c.anonymous;
    o["confidential"] = c.confidential;
    o["channel"] = to_string(c.channel);
    o["verifier"] = c.verifier_agency;
    o["assignee"] = c.assignee;
    o["source"] = c.source;
    o["escalated"] = c.escalated_at.has_value();
  }
  return o;
}

boost::json::object view(const View& v, core::Zone zone, core::Timestamp now) {
  auto o = complaint(v.complaint, zone, now, v.mine || v.staff);
  boost::json::array timeline;
  for (const auto& e : v.timeline) {
    boost::json::object item{{"kind", to_string(e.kind)},
                             {"at", core::format_iso8601(e.at, zone)},
                             {"by", e.actor_role},
                             {"agency", e.agency_code},
                             {"text", e.body}};
    if (v.staff) item["actor"] = e.actor_id;
    timeline.push_back(std::move(item));
  }
  boost::json::array photos;
  for (const auto& p : v.photos)
    photos.push_back({{"id", p.id},
                      {"after", p.after},
                      {"media_type", p.media_type},
                      {"url", "/api/v1/complaints/" + v.complaint.tracking + "/photos/" + p.id}});
  o["timeline"] = std::move(timeline);
  o["photos"] = std::move(photos);
  o["mine"] = v.mine;
  o["supported"] = v.supported;
  o["can"] = {{"support", v.can_support},
              {"comment", v.can_comment},
              {"confirm", v.can_confirm},
              {"reopen", v.can_reopen},
              {"rate", v.can_rate}};
  o["reopen_until"] = opt_time(v.reopen_until, zone);
  if (v.complaint.rating && (v.mine || v.staff)) o["rating_comment"] = v.complaint.rating_comment;
  return o;
}

boost::json::object statistics(const Statistics& s) {
  boost::json::array agencies;
  for (const auto& a : s.agencies) {
    agencies.push_back({{"agency", a.agency},
                        {"handled", a.handled},
                        {"resolved", a.resolved},
                        {"reopened", a.reopened},
                        {"average_rating", a.average_rating ? boost::json::value(*a.average_rating)
                                                            : boost::json::value(nullptr)}});
  }
  auto hours = [](const std::optional<int64_t>& ms) {
    return ms ? boost::json::value(static_cast<double>(*ms) / 3'600'000.0)
              : boost::json::value(nullptr);
  };
  return {{"total", s.total},
          {"by_category", counts(s.by_category)},
          {"by_status", counts(s.by_status)},
          {"by_agency", counts(s.by_agency)},
          {"by_region", counts(s.by_region)},
          {"by_month", counts(s.by_month)},
          {"median_hours_to_verify", hours(s.median_verify_ms)},
          {"median_hours_to_resolve", hours(s.median_resolve_ms)},
          {"verified_within_service_level", s.verified_in_time},
          {"followed_up_within_service_level", s.followed_up_in_time},
          {"reopened", s.reopened},
          {"agencies", std::move(agencies)},
          {"ratings", s.ratings},
          {"average_rating",
           s.average_rating ? boost::json::value(*s.average_rating) : boost::json::value(nullptr)}};
}

std::string statistics_csv(const Statistics& s) {
  std::string out = "dimension,key,value\r\n";
  auto add = [&](std::string_view dim, std::string_view key, const std::string& value) {
    out += csv_field(dim) + "," + csv_field(key) + "," + value + "\r\n";
  };
  auto add_counts = [&](std::string_view dim, const std::vector<Statistics::Count>& list) {
    for (const auto& c : list) add(dim, c.key, std::to_string(c.count));
  };
  add("total", "", std::to_string(s.total));
  add_counts("category", s.by_category);
  add_counts("status", s.by_status);
  add_counts("agency", s.by_agency);
  add_counts("region", s.by_region);
  add_counts("month", s.by_month);
  auto fixed = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return std::string(buf);
  };
  if (s.median_verify_ms) add("median_hours_to_verify", "", fixed(*s.median_verify_ms / 3.6e6));
  if (s.median_resolve_ms) add("median_hours_to_resolve", "", fixed(*s.median_resolve_ms / 3.6e6));
  add("verified_within_service_level", "", fixed(s.verified_in_time));
  add("followed_up_within_service_level", "", fixed(s.followed_up_in_time));
  add("reopened", "", std::to_string(s.reopened));
  for (const auto& a : s.agencies) {
    add("agency_handled", a.agency, std::to_string(a.handled));
    add("agency_resolved", a.agency, std::to_string(a.resolved));
    add("agency_reopened", a.agency, std::to_string(a.reopened));
  }
  if (s.average_rating) add("average_rating", "", fixed(*s.average_rating));
  return out;
}

}  // namespace balai::complaints::json
