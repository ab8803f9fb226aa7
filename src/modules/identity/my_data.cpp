// "Data Saya" (IdentityService, part 3): a person's own data, who read it and why, consents,
// export and requests under UU 27/2022; and the staff side (reading with a purpose, handling
// requests).
#include <algorithm>
#include <map>

#include "core/ids.h"
#include "core/text.h"
#include "modules/identity/rules.h"
#include "modules/identity/service.h"
#include "modules/notify/outbox.h"
#include "security/audit.h"
#include "security/data_access.h"
#include "security/policy.h"
#include "security/sessions.h"

namespace balai::identity {
namespace {

const char* const kReadCitizens = "identity.citizens.read";
const char* const kHandleRequests = "identity.requests.handle";
constexpr int kAccessLogLimit = 500;

}  // namespace

core::Status IdentityService::record_read(db::Connection& conn, const security::Actor& staff,
                                          std::string_view subject, std::string_view object_type,
                                          std::string_view purpose, const RequestFacts& facts,
                                          core::Timestamp now) {
  return security::record_personal_data_read(
      conn, app_.security.audit, app_.security.monitor, staff,
      security::PersonalDataRead{subject, object_type, subject, purpose, facts.request_id}, now);
}

std::string IdentityService::region_names(std::string_view village_code) const {
  std::string out;
  auto lineage = app_.regions.lineage(village_code);
  for (auto it = lineage.rbegin(); it != lineage.rend(); ++it) {
    if (!out.empty()) out += ", ";
    out += (*it)->name;
  }
  return out;
}

core::Result<Profile> IdentityService::profile_of(const security::Account& account) {
  auto citizen = store_.find_citizen(account.key);
  if (!citizen) return citizen.take_error();
  if (!*citizen) return core::make_error(core::ErrorCode::not_found, "No such citizen.");
  Profile p;
  p.citizen = std::move(**citizen);
  p.citizen.full_name = account.display_name;
  p.citizen.email = account.email;
  p.region_names = region_names(p.citizen.village_code);
  return p;
}

core::Result<Profile> IdentityService::my_profile(const security::Actor& actor) {
  auto account = signed_in_citizen(&actor);
  if (!account) return account.take_error();
  return profile_of(*account);
}

core::Status IdentityService::update_my_contact(const security::Actor& actor,
                                                std::string_view street,
                                                std::string_view village_code,
                                                std::string_view phone, const RequestFacts& facts) {
  auto account = signed_in_citizen(&actor);
  if (!account) return account.take_error();
  auto profile = profile_of(*account);
  if (!profile) return profile.take_error();
  // The registration rules decide what a good address and phone are.
  RegistrationForm form;
  form.street = std::string(street);
  form.village_code = std::string(village_code);
  form.phone = std::string(phone);
  auto checked = rules::check_registration(form, app_.regions, core::Date{});
  core::Error invalid{core::ErrorCode::validation_failed, "Some fields need attention.", {}};
  for (const char* field : {"street", "village_code", "phone"})
    if (!checked && checked.error().fields.contains(field))
      invalid.fields[field] = checked.error().fields.at(field);
  if (!invalid.fields.empty()) return invalid;
  const std::string normalized_phone = *normalize_phone(phone);
  const regions::Region* village = app_.regions.find(core::trim(village_code));
  const core::Timestamp now = app_.clock.now();
  const bool phone_changed = normalized_phone != profile->citizen.phone;
  auto status = app_.db.transact([&](db::Connection& c) -> core::Status {
    BALAI_TRY(store_.update_contact(c, profile->citizen, core::trim(street), village->code,
                                    normalized_phone, now));
    if (phone_changed)
      BALAI_TRY(send_code(c, *account, CodePurpose::confirm_phone, normalized_phone, now));
    return audit(c, &actor, "identity.contact.update", "citizen", account->id, account->id, facts,
                 now);
  });
  if (status && phone_changed) app_.outbox.wake();
  return status;
}

core::Result<std::vector<AccessLogEntry>> IdentityService::my_access_log(
    const security::Actor& actor) {
  auto account = signed_in_citizen(&actor);
  if (!account) return account.take_error();
  auto reads = app_.security.audit.personal_data_reads_of(app_.db, account->id, kAccessLogLimit);
  if (!reads) return reads.take_error();
  std::vector<std::string> ids;
  for (const auto& e : *reads)
    if (std::find(ids.begin(), ids.end(), e.actor) == ids.end()) ids.push_back(e.actor);
  auto readers = app_.security.accounts.find_many(ids);
  if (!readers) return readers.take_error();
  std::map<std::string, const security::Account*> by_id;
  for (const auto& r : *readers) by_id[r.id] = &r;
  std::vector<AccessLogEntry> out;
  for (const auto& e : *reads) {
    AccessLogEntry a;
    a.at = e.at;
    a.actor_role = e.actor_role;
    if (auto it = by_id.find(e.actor); it != by_id.end()) {
      a.actor_name = it->second->display_name;
      a.agency_code = it->second->agency;
    }
    a.object_type = e.object_type;
    a.object_id = e.object_id;
    a.purpose = e.purpose;
    out.push_back(std::move(a));
  }
  return out;
}

core::Result<std::vector<ConsentChange>> IdentityService::my_consents(
    const security::Actor& actor) {
  auto account = signed_in_citizen(&actor);
  if (!account) return account.take_error();
  return store_.consent_history(account->key);
}

core::Status IdentityService::set_consent(const security::Actor& actor, std::string_view purpose,
                                          bool granted, const RequestFacts& facts) {
  auto account = signed_in_citizen(&actor);
  if (!account) return account.take_error();
  if (!rules::is_consent_purpose(purpose))
    return core::Error{
        core::ErrorCode::validation_failed, "Unknown purpose.", {{"purpose", "unknown"}}};
  auto history = store_.consent_history(account->key);
  if (!history) return history.take_error();
  for (const auto& h : *history) {
    if (h.purpose != purpose) continue;
    if (h.granted == granted) return {};  // no change: no new history row
    break;
  }
  if (!granted) {
    // Withdrawing something never given is no change either.
    bool ever = false;
    for (const auto& h : *history) ever = ever || h.purpose == purpose;
    if (!ever) return {};
  }
  const core::Timestamp now = app_.clock.now();
  return app_.db.transact([&](db::Connection& c) -> core::Status {
    BALAI_TRY(store_.add_consent(c, account->key,
                                 ConsentChange{std::string(purpose), granted, facts.via, now}));
    return audit(c, &actor, granted ? "identity.consent.give" : "identity.consent.withdraw",
                 "consent", purpose, account->id, facts, now);
  });
}

core::Result<PersonalExport> IdentityService::export_my_data(const security::Actor& actor,
                                                             const RequestFacts& facts) {
  auto account = signed_in_citizen(&actor);
  if (!account) return account.take_error();
  PersonalExport out;
  auto profile = profile_of(*account);
  if (!profile) return profile.take_error();
  out.profile = std::move(profile).value();
  auto consents = store_.consent_history(account->key);
  if (!consents) return consents.take_error();
  out.consents = std::move(consents).value();
  auto requests = store_.requests_of(account->key);
  if (!requests) return requests.take_error();
  out.requests = std::move(requests).value();
  auto log = my_access_log(actor);
  if (!log) return log.take_error();
  out.access_log = std::move(log).value();
  const core::Timestamp now = app_.clock.now();
  BALAI_TRY(app_.db.transact([&](db::Connection& c) {
    return audit(c, &actor, "identity.data.export", "citizen", account->id, account->id, facts,
                 now);
  }));
  return out;
}

core::Result<DataRequest> IdentityService::make_data_request(const security::Actor& actor,
                                                             std::string_view kind,
                                                             std::string_view details,
                                                             const RequestFacts& facts) {
  auto account = signed_in_citizen(&actor);
  if (!account) return account.take_error();
  core::Error invalid{core::ErrorCode::validation_failed, "Some fields need attention.", {}};
  auto parsed_kind = parse_data_request_kind(kind);
  if (!parsed_kind) invalid.fields["kind"] = kind.empty() ? "required" : "unknown";
  if (core::trim(details).empty())
    invalid.fields["details"] = "required";
  else if (!rules::acceptable_request_text(details))
    invalid.fields["details"] = "too_long";
  if (!invalid.fields.empty()) return invalid;
  const core::Timestamp now = app_.clock.now();
  DataRequest r;
  r.id = core::new_uuid_v7(now);
  r.citizen_id = account->id;
  r.kind = *parsed_kind;
  r.details = std::string(core::trim(details));
  r.created_at = now;
  r.due_at = rules::data_request_due(now);
  BALAI_TRY(app_.db.transact([&](db::Connection& c) -> core::Status {
    BALAI_TRY(store_.insert_request(c, account->key, r));
    return audit(c, &actor, "identity.data_request.create", "data_request", r.id, account->id,
                 facts, now);
  }));
  return r;
}

core::Result<std::vector<DataRequest>> IdentityService::my_data_requests(
    const security::Actor& actor) {
  auto account = signed_in_citizen(&actor);
  if (!account) return account.take_error();
  return store_.requests_of(account->key);
}

core::Result<Profile> IdentityService::citizen_for_staff(const security::Actor& staff,
                                                         std::string_view citizen_id,
                                                         std::string_view purpose,
                                                         const RequestFacts& facts) {
  BALAI_TRY(app_.security.policy.authorize(&staff, kReadCitizens,
                                           {"", app_.config.identity.verifying_agency}));
  if (core::trim(purpose).empty())
    return core::Error{core::ErrorCode::validation_failed,
                       "State why you need this person's data.",
                       {{"purpose", "required"}}};
  if (purpose.size() > 500 || !core::is_valid_utf8(purpose))
    return core::Error{
        core::ErrorCode::validation_failed, "The purpose is too long.", {{"purpose", "too_long"}}};
  auto account = app_.security.accounts.find(citizen_id);
  if (!account) return account.take_error();
  if (!*account || (*account)->role != security::Role::citizen)
    return core::make_error(core::ErrorCode::not_found, "No such citizen.");
  auto profile = profile_of(**account);
  if (!profile) return profile.take_error();
  const core::Timestamp now = app_.clock.now();
  BALAI_TRY(app_.db.transact([&](db::Connection& c) {
    return record_read(c, staff, (*account)->id, "citizen", purpose, facts, now);
  }));
  return profile;
}

core::Result<std::vector<DataRequest>> IdentityService::data_request_queue(
    const security::Actor& officer) {
  BALAI_TRY(app_.security.policy.authorize(&officer, kHandleRequests,
                                           {"", app_.config.identity.verifying_agency}));
  return store_.request_queue(200);
}

core::Result<DataRequest> IdentityService::handle_data_request(const security::Actor& officer,
                                                               std::string_view request_id,
                                                               bool done, std::string_view outcome,
                                                               const RequestFacts& facts) {
  BALAI_TRY(app_.security.policy.authorize(&officer, kHandleRequests,
                                           {"", app_.config.identity.verifying_agency}));
  if (!rules::acceptable_request_text(outcome))
    return core::Error{core::ErrorCode::validation_failed,
                       "Say what was done.",
                       {{"outcome", core::trim(outcome).empty() ? "required" : "too_long"}}};
  auto request = store_.find_request(request_id);
  if (!request) return request.take_error();
  if (!*request) return core::make_error(core::ErrorCode::not_found, "No such request.");
  if ((*request)->status != DataRequestStatus::open)
    return core::make_error(core::ErrorCode::conflict, "This request was already handled.");
  auto account = app_.security.accounts.find((*request)->citizen_id);
  if (!account) return account.take_error();
  if (!*account) return core::make_error(core::ErrorCode::not_found, "No such request.");
  const core::Timestamp now = app_.clock.now();
  const bool erase = done && (*request)->kind == DataRequestKind::deletion;
  BALAI_TRY(app_.db.transact([&](db::Connection& c) -> core::Status {
    // The officer reads the request (it holds personal data) to handle it.
    BALAI_TRY(record_read(c, officer, (*account)->id, "data_request",
                          "penanganan permintaan data " + (*request)->id, facts, now));
    auto closed = store_.close_request(c, request_id,
                                       done ? DataRequestStatus::done : DataRequestStatus::refused,
                                       core::trim(outcome), officer.id, now);
    if (!closed) return closed.take_error();
    if (!*closed)
      return core::make_error(core::ErrorCode::conflict, "This request was already handled.");
    if (erase) {
      BALAI_TRY(store_.erase_citizen(c, (*account)->key));
      BALAI_TRY(app_.security.accounts.erase(c, **account, now));
    }
    return audit(c, &officer,
                 done ? (erase ? "identity.data_request.erase" : "identity.data_request.done")
                      : "identity.data_request.refuse",
                 "data_request", (*request)->id, (*account)->id, facts, now);
  }));
  auto updated = store_.find_request(request_id);
  if (!updated) return updated.take_error();
  if (!*updated) return core::make_error(core::ErrorCode::not_found, "No such request.");
  return std::move(**updated);
}

}  // namespace balai::identity
