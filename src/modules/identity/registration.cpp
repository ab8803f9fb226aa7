// Registration, contact confirmation and passwords (IdentityService, part 1).
#include <fmt/format.h>

#include "core/ids.h"
#include "core/log.h"
#include "core/text.h"
#include "modules/identity/rules.h"
#include "modules/identity/service.h"
#include "modules/notify/outbox.h"
#include "security/audit.h"
#include "security/field_cipher.h"
#include "security/firewall/firewall.h"
#include "security/password_policy.h"
#include "security/policy.h"
#include "security/secret_token.h"
#include "security/sessions.h"

namespace balai::identity {
namespace {

constexpr int kCodesPerHour = 5;

core::Error wrong_code() {
  return core::Error{core::ErrorCode::unauthenticated,
                     "The code is wrong or no longer valid.",
                     {{"code", "wrong"}}};
}

std::string new_code() {
  // Uniform over 000000..999999: reject the top of the 32-bit range (modulo bias).
  uint32_t n = 0;
  do {
    uint8_t b[4];
    core::random_bytes(b);
    n = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
  } while (n >= 4'294'000'000u);
  return fmt::format("{:06d}", n % 1'000'000);
}

std::string_view subject_of(CodePurpose p) {
  switch (p) {
    case CodePurpose::confirm_email:
    case CodePurpose::change_email:
      return "Kode konfirmasi email / Email confirmation code";
    case CodePurpose::confirm_phone:
      return "Kode konfirmasi nomor HP / Phone confirmation code";
    case CodePurpose::reset_password:
      return "Kode atur ulang kata sandi / Password reset code";
  }
  return "";
}

}  // namespace

IdentityService::IdentityService(app::App& app) : app_(app), store_(app.db, app.security.cipher) {}

IdentityService* service_of(app::App& app) {
  for (auto& state : app.states)
    if (auto* s = dynamic_cast<IdentityService*>(state.get())) return s;
  return nullptr;
}

db::Blob IdentityService::code_digest(const security::Account& account, CodePurpose purpose,
                                      std::string_view code) const {
  // Keyed: six digits are guessed offline in a second from a plain hash, never from an HMAC.
  return app_.security.cipher.blind_index(
      code, "identity.code/" + account.id + "/" + std::string(to_string(purpose)));
}

core::Status IdentityService::audit(db::Connection& conn, const security::Actor* actor,
                                    std::string_view action, std::string_view object_type,
                                    std::string_view object_id, std::string_view subject,
                                    const RequestFacts& facts, core::Timestamp now) const {
  security::AuditEntry e;
  e.at = now;
  if (actor) {
    e.actor = actor->id;
    e.actor_role = std::string(security::to_string(actor->role));
  } else if (!subject.empty()) {
    e.actor = std::string(subject);  // the person acting on their own account, not signed in
    e.actor_role = "citizen";
  }
  e.action = std::string(action);
  e.object_type = std::string(object_type);
  e.object_id = std::string(object_id);
  e.subject = std::string(subject);
  e.request_id = facts.request_id;
  return app_.security.audit.append(conn, e);
}

core::Status IdentityService::send_code(db::Connection& conn, const security::Account& account,
                                        CodePurpose purpose, std::string_view to,
                                        core::Timestamp now) {
  const std::string code = new_code();
  const int minutes = app_.config.identity.code_minutes;
  BALAI_TRY(store_.insert_code(conn, account.key, purpose, code_digest(account, purpose, code),
                               purpose == CodePurpose::change_email ? to : "",
                               core::Timestamp{now.ms + int64_t{minutes} * 60'000}, now));
  notify::Message m;
  m.channel = purpose == CodePurpose::confirm_phone ? notify::Channel::sms : notify::Channel::email;
  m.to = std::string(to);
  m.subject = std::string(subject_of(purpose));
  m.kind = "identity." + std::string(to_string(purpose));
  m.body = fmt::format(
      "Kode Anda untuk Balai {0}: {1}\n"
      "Berlaku {2} menit. Jangan berikan kode ini kepada siapa pun, termasuk petugas.\n\n"
      "Your code for Balai {0}: {1}\n"
      "Valid for {2} minutes. Never share it with anyone, officers included.\n",
      app_.config.city.name, code, minutes);
  return app_.outbox.enqueue(conn, m, now);
}

core::Result<std::string> IdentityService::register_citizen(const RegistrationForm& form,
                                                            const RequestFacts& facts) {
  const core::Timestamp now = app_.clock.now();
  const auto budget =
      app_.security.firewall.take(security::firewall::kRegisterBudget, facts.address);
  if (!budget.allowed)
    return core::Error{core::ErrorCode::rate_limited,
                       "Too many registrations from this network. Try again later.",
                       {{"retry_after", std::to_string(budget.retry_after_seconds)}}};
  auto checked =
      rules::check_registration(form, app_.regions, core::local_date(now, app_.config.city.zone));
  if (!checked) return checked.take_error();

  security::PersonalContext more;
  more.nik = checked->nik;
  more.birth_date = checked->birth_date;
  auto prepared = app_.security.accounts.prepare(
      security::NewAccount{security::Role::citizen, "", checked->full_name, checked->email,
                           form.password},
      more, now);
  if (!prepared) return prepared.take_error();

  std::string id;
  auto status = app_.db.transact([&](db::Connection& c) -> core::Status {
    auto account = app_.security.accounts.insert(c, *prepared, /*pending=*/true);
    if (!account) return account.take_error();
    BALAI_TRY(app_.security.accounts.add_login(c, account->key, "nik", checked->nik));
    BALAI_TRY(store_.insert_citizen(c, account->key, account->id, *checked, now));
    BALAI_TRY(send_code(c, *account, CodePurpose::confirm_email, checked->email, now));
    BALAI_TRY(send_code(c, *account, CodePurpose::confirm_phone, checked->phone, now));
    BALAI_TRY(audit(c, nullptr, "identity.citizen.register", "citizen", account->id, account->id,
                    facts, now));
    id = account->id;
    return {};
  });
  if (!status) {
    // One account per NIK and per email: say which field, never whose account it is.
    if (status.error().code == core::ErrorCode::conflict)
      return core::Error{core::ErrorCode::conflict,
                         "An account already exists for this NIK or email.", status.error().fields};
    return status.take_error();
  }
  app_.outbox.wake();
  return id;
}

core::Status IdentityService::check_code(const security::Account& account, CodePurpose purpose,
                                         std::string_view code, StoredCode& out) {
  const std::string trimmed(core::trim(code));
  if (!rules::looks_like_code(trimmed)) return wrong_code();
  auto live = store_.live_code(account.key, purpose, app_.clock.now());
  if (!live) return live.take_error();
  if (!*live) return wrong_code();
  if (!security::constant_time_equal(code_digest(account, purpose, trimmed).bytes,
                                     (*live)->digest.bytes)) {
    auto counted = store_.count_code_attempt((*live)->key, app_.config.identity.code_attempts);
    if (!counted) return counted.take_error();
    return wrong_code();
  }
  out = std::move(**live);
  return {};
}

core::Status IdentityService::confirm_contact(std::string_view account_id, CodePurpose purpose,
                                              std::string_view code, const RequestFacts& facts) {
  if (purpose != CodePurpose::confirm_email && purpose != CodePurpose::confirm_phone)
    return core::make_error(core::ErrorCode::validation_failed, "Unknown confirmation.");
  auto account = app_.security.accounts.find(account_id);
  if (!account) return account.take_error();
  if (!*account || (*account)->role != security::Role::citizen)
    return core::make_error(core::ErrorCode::not_found, "No such registration.");
  StoredCode stored;
  BALAI_TRY(check_code(**account, purpose, code, stored));
  const core::Timestamp now = app_.clock.now();
  auto status = app_.db.transact([&](db::Connection& c) -> core::Status {
    auto used = store_.use_code(c, stored.key, now);
    if (!used) return used.take_error();
    if (!*used) return wrong_code();
    BALAI_TRY(store_.mark_confirmed(c, (*account)->key, purpose, now));
    auto rows = c.query(
        "SELECT email_confirmed_at IS NOT NULL AND phone_confirmed_at IS NOT NULL FROM citizens "
        "WHERE account_id = ?",
        {(*account)->key});
    if (!rows) return rows.take_error();
    if (!rows->empty() && (*rows)[0].int64(0) != 0)
      BALAI_TRY(app_.security.accounts.activate(c, (*account)->key, now));
    return audit(c, nullptr, "identity.citizen." + std::string(to_string(purpose)), "citizen",
                 (*account)->id, (*account)->id, facts, now);
  });
  return status;
}

core::Status IdentityService::resend_code(std::string_view account_id, CodePurpose purpose,
                                          const RequestFacts& facts) {
  (void)facts;
  if (purpose != CodePurpose::confirm_email && purpose != CodePurpose::confirm_phone)
    return core::make_error(core::ErrorCode::validation_failed, "Unknown confirmation.");
  auto account = app_.security.accounts.find(account_id);
  if (!account) return account.take_error();
  if (!*account || (*account)->role != security::Role::citizen)
    return core::make_error(core::ErrorCode::not_found, "No such registration.");
  auto citizen = store_.find_citizen((*account)->key);
  if (!citizen) return citizen.take_error();
  if (!*citizen) return core::make_error(core::ErrorCode::not_found, "No such registration.");
  const bool done = purpose == CodePurpose::confirm_email
                        ? (*citizen)->email_confirmed_at.has_value()
                        : (*citizen)->phone_confirmed_at.has_value();
  if (done) return core::make_error(core::ErrorCode::conflict, "Already confirmed.");
  const core::Timestamp now = app_.clock.now();
  auto sent =
      store_.codes_sent_since((*account)->key, purpose, core::Timestamp{now.ms - 3'600'000});
  if (!sent) return sent.take_error();
  if (*sent >= kCodesPerHour)
    return core::Error{core::ErrorCode::rate_limited,
                       "Too many codes were sent. Try again in an hour.",
                       {{"retry_after", "3600"}}};
  auto status = app_.db.transact([&](db::Connection& c) -> core::Status {
    return send_code(c, **account, purpose,
                     purpose == CodePurpose::confirm_email ? (*account)->email : (*citizen)->phone,
                     now);
  });
  if (status) app_.outbox.wake();
  return status;
}

core::Status IdentityService::request_password_reset(std::string_view login,
                                                     const RequestFacts& facts) {
  const auto budget = app_.security.firewall.take(security::firewall::kLoginBudget, facts.address);
  if (!budget.allowed)
    return core::Error{core::ErrorCode::rate_limited,
                       "Too many attempts from this network. Try again later.",
                       {{"retry_after", std::to_string(budget.retry_after_seconds)}}};
  if (core::trim(login).empty())
    return core::Error{
        core::ErrorCode::validation_failed, "Enter your NIK or email.", {{"login", "required"}}};
  auto account = app_.security.accounts.find_by_login(login);
  if (!account) return account.take_error();
  // Unknown, staff (they reset through an administrator) or unusable: the same answer.
  if (!*account || (*account)->role != security::Role::citizen || !(*account)->active) return {};
  auto citizen = store_.find_citizen((*account)->key);
  if (!citizen) return citizen.take_error();
  if (!*citizen || !(*citizen)->email_confirmed_at) return {};
  const core::Timestamp now = app_.clock.now();
  auto sent = store_.codes_sent_since((*account)->key, CodePurpose::reset_password,
                                      core::Timestamp{now.ms - 3'600'000});
  if (!sent) return sent.take_error();
  if (*sent >= kCodesPerHour) return {};
  auto status = app_.db.transact([&](db::Connection& c) -> core::Status {
    BALAI_TRY(send_code(c, **account, CodePurpose::reset_password, (*account)->email, now));
    return audit(c, nullptr, "identity.password.reset_requested", "account", (*account)->id,
                 (*account)->id, facts, now);
  });
  if (status) app_.outbox.wake();
  return status;
}

core::Status IdentityService::reset_password(std::string_view login, std::string_view code,
                                             std::string_view new_password,
                                             const RequestFacts& facts) {
  auto account = app_.security.accounts.find_by_login(login);
  if (!account) return account.take_error();
  if (!*account || (*account)->role != security::Role::citizen || !(*account)->active)
    return wrong_code();
  StoredCode stored;
  BALAI_TRY(check_code(**account, CodePurpose::reset_password, code, stored));
  return set_new_password(**account, stored.key, new_password, facts);
}

core::Status IdentityService::set_new_password(const security::Account& account,
                                               std::optional<int64_t> code_key,
                                               std::string_view new_password,
                                               const RequestFacts& facts) {
  auto profile = store_.find_citizen(account.key);
  if (!profile) return profile.take_error();
  security::PersonalContext who;
  who.full_name = account.display_name;
  who.email = account.email;
  who.city_name = app_.config.city.name;
  if (*profile) {
    who.nik = (*profile)->nik;
    who.birth_date = (*profile)->birth_date;
  }
  if (auto s = security::check_password(new_password, who, app_.security.common_passwords); !s) {
    core::Error e = s.error();
    if (e.fields.empty()) e.fields["password"] = "invalid";
    return e;
  }
  auto hash = app_.security.accounts.hasher().hash(new_password);
  if (!hash) return hash.take_error();
  const core::Timestamp now = app_.clock.now();
  auto status = app_.db.transact([&](db::Connection& c) -> core::Status {
    if (code_key) {
      auto used = store_.use_code(c, *code_key, now);
      if (!used) return used.take_error();
      if (!*used) return wrong_code();
    }
    auto q = c.query("UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?",
                     {*hash, now, account.key});
    if (!q) return q.take_error();
    return audit(c, nullptr, code_key ? "identity.password.reset" : "identity.password.change",
                 "account", account.id, account.id, facts, now);
  });
  if (!status) return status;
  // Whoever knew the old password is signed out everywhere.
  return app_.security.sessions.revoke_all(account.key, now);
}

core::Status IdentityService::change_password(const security::Actor& actor,
                                              std::string_view current_password,
                                              std::string_view new_password,
                                              const RequestFacts& facts) {
  auto account = app_.security.accounts.find(actor.id);
  if (!account) return account.take_error();
  if (!*account) return core::make_error(core::ErrorCode::unauthenticated, "Sign in first.");
  if (!app_.security.accounts.hasher().verify((*account)->password_hash, current_password))
    return core::Error{core::ErrorCode::validation_failed,
                       "The current password is wrong.",
                       {{"current_password", "wrong"}}};
  return set_new_password(**account, std::nullopt, new_password, facts);
}

core::Status IdentityService::request_email_change(const security::Actor& actor,
                                                   std::string_view new_email,
                                                   const RequestFacts& facts) {
  auto account = signed_in_citizen(&actor);
  if (!account) return account.take_error();
  const auto normalized = rules::normalize_email(new_email);
  if (!normalized)
    return core::Error{core::ErrorCode::validation_failed,
                       "The email address is not valid.",
                       {{"email", "invalid"}}};
  const std::string& email = *normalized;
  if (email == account->email)
    return core::Error{
        core::ErrorCode::validation_failed, "This is already your email.", {{"email", "same"}}};
  // Taken by another account: say so now rather than after the code (the confirmation would
  // fail anyway). Only a signed-in person can ask, and only about one address at a time.
  auto holder = app_.security.accounts.find_by_login(email);
  if (!holder) return holder.take_error();
  if (*holder && (*holder)->key != account->key)
    return core::Error{
        core::ErrorCode::conflict, "Another account uses this email.", {{"email", "taken"}}};
  const core::Timestamp now = app_.clock.now();
  auto sent = store_.codes_sent_since(account->key, CodePurpose::change_email,
                                      core::Timestamp{now.ms - 3'600'000});
  if (!sent) return sent.take_error();
  if (*sent >= kCodesPerHour)
    return core::Error{core::ErrorCode::rate_limited,
                       "Too many codes were sent. Try again in an hour.",
                       {{"retry_after", "3600"}}};
  auto status = app_.db.transact([&](db::Connection& c) -> core::Status {
    BALAI_TRY(send_code(c, *account, CodePurpose::change_email, email, now));
    return audit(c, &actor, "identity.email.change_requested", "account", account->id, account->id,
                 facts, now);
  });
  if (status) app_.outbox.wake();
  return status;
}

core::Status IdentityService::confirm_email_change(const security::Actor& actor,
                                                   std::string_view code,
                                                   const RequestFacts& facts) {
  auto account = signed_in_citizen(&actor);
  if (!account) return account.take_error();
  StoredCode stored;
  BALAI_TRY(check_code(*account, CodePurpose::change_email, code, stored));
  const core::Timestamp now = app_.clock.now();
  return app_.db.transact([&](db::Connection& c) -> core::Status {
    auto used = store_.use_code(c, stored.key, now);
    if (!used) return used.take_error();
    if (!*used) return wrong_code();
    BALAI_TRY(app_.security.accounts.change_email(c, *account, stored.target, now));
    BALAI_TRY(store_.mark_confirmed(c, account->key, CodePurpose::confirm_email, now));
    return audit(c, &actor, "identity.email.change", "account", account->id, account->id, facts,
                 now);
  });
}

void IdentityService::expire_registrations(core::Timestamp now) {
  const int64_t hours = app_.config.identity.unconfirmed_hours;
  auto stale = store_.stale_registrations(core::Timestamp{now.ms - hours * 3'600'000});
  if (!stale) {
    core::log::warn("identity.expire_failed", {{"error", stale.error().message}});
    return;
  }
  for (int64_t key : *stale) {
    auto s = app_.db.transact([&](db::Connection& c) { return store_.delete_account(c, key); });
    if (!s) core::log::warn("identity.expire_failed", {{"error", s.error().message}});
  }
  if (!stale->empty())
    core::log::info("identity.registrations_expired",
                    {{"count", static_cast<int64_t>(stale->size())}});
}

core::Result<security::Account> IdentityService::signed_in_citizen(const security::Actor* actor) {
  if (!actor) return core::make_error(core::ErrorCode::unauthenticated, "Sign in first.");
  if (actor->role != security::Role::citizen)
    return core::make_error(core::ErrorCode::forbidden, "Only citizens have personal data here.");
  auto account = app_.security.accounts.find(actor->id);
  if (!account) return account.take_error();
  if (!*account) return core::make_error(core::ErrorCode::unauthenticated, "Sign in first.");
  return std::move(**account);
}

}  // namespace balai::identity
