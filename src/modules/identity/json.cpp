#include "modules/identity/json.h"

#include <boost/json.hpp>

#include "modules/identity/rules.h"

namespace balai::identity {
namespace {

boost::json::value time_or_null(const std::optional<core::Timestamp>& t, core::Zone zone) {
  if (!t) return nullptr;
  return boost::json::string(core::format_iso8601(*t, zone));
}

}  // namespace

boost::json::object profile_json(const Profile& p, core::Zone zone) {
  const Citizen& c = p.citizen;
  boost::json::object assurance{{"status", to_string(c.assurance)},
                                {"decided_at", time_or_null(c.decided_at, zone)},
                                {"ktp_photo_held", c.has_ktp_photo}};
  if (!c.assurance_reason.empty()) assurance["reason"] = c.assurance_reason;
  return {{"id", c.id},
          {"nik", c.nik},
          {"full_name", c.full_name},
          {"birth_date", rules::format_date(c.birth_date)},
          {"sex", to_string(c.sex)},
          {"address",
           {{"street", c.street}, {"village_code", c.village_code}, {"region", p.region_names}}},
          {"phone", c.phone},
          {"email", c.email},
          {"email_confirmed_at", time_or_null(c.email_confirmed_at, zone)},
          {"phone_confirmed_at", time_or_null(c.phone_confirmed_at, zone)},
          {"identity", std::move(assurance)},
          {"registered_at", core::format_iso8601(c.created_at, zone)}};
}

boost::json::object consent_json(const ConsentChange& c, core::Zone zone) {
  return {{"purpose", c.purpose},
          {"granted", c.granted},
          {"via", c.via},
          {"at", core::format_iso8601(c.at, zone)}};
}

boost::json::object data_request_json(const DataRequest& r, core::Zone zone, core::Timestamp now,
                                      bool for_staff) {
  boost::json::object o{{"id", r.id},
                        {"kind", to_string(r.kind)},
                        {"details", r.details},
                        {"status", to_string(r.status)},
                        {"created_at", core::format_iso8601(r.created_at, zone)},
                        {"due_at", core::format_iso8601(r.due_at, zone)},
                        {"within_deadline", rules::handled_in_time(r, now)},
                        {"handled_at", time_or_null(r.handled_at, zone)}};
  if (!r.outcome.empty()) o["outcome"] = r.outcome;
  if (for_staff) o["citizen_id"] = r.citizen_id;
  return o;
}

boost::json::object access_json(const AccessLogEntry& a, core::Zone zone) {
  return {{"at", core::format_iso8601(a.at, zone)},
          {"who", a.actor_name},
          {"role", a.actor_role},
          {"agency", a.agency_code},
          {"what", a.object_type},
          {"purpose", a.purpose}};
}

boost::json::object export_json(const PersonalExport& e, core::Zone zone, core::Timestamp now) {
  boost::json::array consents, requests, log;
  for (const auto& c : e.consents) consents.push_back(consent_json(c, zone));
  for (const auto& r : e.requests) requests.push_back(data_request_json(r, zone, now, false));
  for (const auto& a : e.access_log) log.push_back(access_json(a, zone));
  return {
      {"format", "balai-personal-data-export/1"}, {"exported_at", core::format_iso8601(now, zone)},
      {"profile", profile_json(e.profile, zone)}, {"consents", std::move(consents)},
      {"data_requests", std::move(requests)},     {"access_log", std::move(log)}};
}

boost::json::object transparency_json(const Transparency& t) {
  boost::json::array reads, requests, events;
  for (const auto& m : t.reads_by_agency)
    reads.push_back({{"month", m.month}, {"agency", m.key}, {"count", m.count}});
  for (const auto& m : t.requests)
    requests.push_back({{"month", m.month},
                        {"made", m.made},
                        {"handled_in_time", m.handled_in_time},
                        {"late_or_overdue", m.late_or_overdue}});
  for (const auto& m : t.security_events)
    events.push_back({{"month", m.month}, {"severity", m.key}, {"count", m.count}});
  return {{"personal_data_reads", std::move(reads)},
          {"data_requests", std::move(requests)},
          {"security_events", std::move(events)}};
}

}  // namespace balai::identity
