// Identity verification by the population agency (IdentityService, part 2): the citizen
// uploads a KTP photo; an officer of the verifying agency compares it with the registered data
// and verifies or rejects; the photo is deleted after the decision (identity.ktp_retention_days).
#include "core/log.h"
#include "core/media_type.h"
#include "modules/identity/rules.h"
#include "modules/identity/service.h"
#include "security/policy.h"

namespace balai::identity {
namespace {

const char* const kVerify = "identity.verify";

core::Error no_such_citizen() {
  return core::make_error(core::ErrorCode::not_found, "No such citizen.");
}

}  // namespace

core::Status IdentityService::upload_ktp(const security::Actor& actor, std::string_view bytes,
                                         const RequestFacts& facts) {
  auto account = signed_in_citizen(&actor);
  if (!account) return account.take_error();
  if (bytes.empty())
    return core::Error{
        core::ErrorCode::validation_failed, "Choose a photo of your KTP.", {{"ktp", "required"}}};
  if (bytes.size() > app_.config.identity.ktp_max_bytes)
    return core::Error{
        core::ErrorCode::payload_too_large, "The photo is too large.", {{"ktp", "too_large"}}};
  const auto type = core::sniff_image_type(bytes);
  if (!type)
    return core::Error{core::ErrorCode::validation_failed,
                       "The file is not a JPEG, PNG or WebP photo.",
                       {{"ktp", "not_an_image"}}};
  auto citizen = store_.find_citizen(account->key);
  if (!citizen) return citizen.take_error();
  if (!*citizen) return no_such_citizen();
  if ((*citizen)->assurance == Assurance::verified)
    return core::Error{
        core::ErrorCode::conflict, "Your identity is already verified.", {{"ktp", "verified"}}};
  const core::Timestamp now = app_.clock.now();
  return app_.db.transact([&](db::Connection& c) -> core::Status {
    BALAI_TRY(store_.put_ktp_photo(c, account->key, *type, bytes, now));
    BALAI_TRY(store_.set_assurance(c, account->key, Assurance::pending, "", "", now));
    return audit(c, &actor, "identity.ktp.upload", "citizen", account->id, account->id, facts, now);
  });
}

core::Result<std::vector<VerificationCase>> IdentityService::verification_queue(
    const security::Actor& officer) {
  BALAI_TRY(app_.security.policy.authorize(&officer, kVerify,
                                           {"", app_.config.identity.verifying_agency}));
  auto waiting = store_.waiting_for_verification(200);
  if (!waiting) return waiting.take_error();
  std::vector<VerificationCase> out;
  for (const auto& w : *waiting) out.push_back({w.id, w.uploaded_at});
  return out;
}

core::Result<KtpPhoto> IdentityService::ktp_photo_for_officer(const security::Actor& officer,
                                                              std::string_view citizen_id,
                                                              const RequestFacts& facts) {
  BALAI_TRY(app_.security.policy.authorize(&officer, kVerify,
                                           {"", app_.config.identity.verifying_agency}));
  auto account = app_.security.accounts.find(citizen_id);
  if (!account) return account.take_error();
  if (!*account || (*account)->role != security::Role::citizen) return no_such_citizen();
  auto photo = store_.ktp_photo((*account)->key);
  if (!photo) return photo.take_error();
  if (!*photo) return no_such_citizen();
  const core::Timestamp now = app_.clock.now();
  BALAI_TRY(app_.db.transact([&](db::Connection& c) {
    return record_read(c, officer, (*account)->id, "ktp_photo", "verifikasi identitas", facts, now);
  }));
  return std::move(**photo);
}

core::Status IdentityService::decide_identity(const security::Actor& officer,
                                              std::string_view citizen_id, bool verified,
                                              std::string_view reason, const RequestFacts& facts) {
  BALAI_TRY(app_.security.policy.authorize(&officer, kVerify,
                                           {"", app_.config.identity.verifying_agency}));
  if (!verified && !rules::is_rejection_reason(reason))
    return core::Error{
        core::ErrorCode::validation_failed, "Choose a reason.", {{"reason", "required"}}};
  auto account = app_.security.accounts.find(citizen_id);
  if (!account) return account.take_error();
  if (!*account || (*account)->role != security::Role::citizen) return no_such_citizen();
  auto citizen = store_.find_citizen((*account)->key);
  if (!citizen) return citizen.take_error();
  if (!*citizen) return no_such_citizen();
  if ((*citizen)->assurance != Assurance::pending)
    return core::make_error(core::ErrorCode::conflict,
                            "This identity is not waiting for a decision.");
  const core::Timestamp now = app_.clock.now();
  const core::Timestamp delete_at{now.ms +
                                  int64_t{app_.config.identity.ktp_retention_days} * 86'400'000};
  auto status = app_.db.transact([&](db::Connection& c) -> core::Status {
    // Decided by someone else meanwhile: only one decision counts.
    auto changed = c.query(
        "UPDATE citizens SET assurance = ?, assurance_reason = ?, decided_by = ?, decided_at = ?, "
        "updated_at = ? WHERE account_id = ? AND assurance = 'pending'",
        {verified ? "verified" : "rejected", verified ? "" : std::string(reason), officer.id, now,
         now, (*account)->key});
    if (!changed) return changed.take_error();
    if (changed->affected != 1)
      return core::make_error(core::ErrorCode::conflict,
                              "This identity is not waiting for a decision.");
    BALAI_TRY(store_.schedule_ktp_deletion(c, (*account)->key, delete_at));
    return audit(c, &officer, verified ? "identity.verify" : "identity.reject", "citizen",
                 (*account)->id, (*account)->id, facts, now);
  });
  if (!status) return status;
  if (app_.config.identity.ktp_retention_days == 0) delete_due_photos(now);
  return {};
}

void IdentityService::delete_due_photos(core::Timestamp now) {
  auto deleted = store_.delete_due_ktp_photos(now);
  if (!deleted) core::log::warn("identity.ktp_delete_failed", {{"error", deleted.error().message}});
}

core::Result<bool> IdentityService::identity_verified(std::string_view account_id) {
  auto account = app_.security.accounts.find(account_id);
  if (!account) return account.take_error();
  if (!*account) return false;
  auto citizen = store_.find_citizen((*account)->key);
  if (!citizen) return citizen.take_error();
  return *citizen && (*citizen)->assurance == Assurance::verified;
}

core::Result<std::string> IdentityService::confirmed_phone(int64_t account_key) const {
  auto citizen = store_.find_citizen(account_key);
  if (!citizen) return citizen.take_error();
  if (!*citizen || !(*citizen)->phone_confirmed_at) return std::string();
  return (*citizen)->phone;
}

}  // namespace balai::identity
