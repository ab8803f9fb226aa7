#include "security/sign_in.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/ids.h"
#include "core/log.h"
#include "security/qr_code.h"
#include "security/recovery_codes.h"
#include "security/secret_token.h"
#include "security/totp.h"

namespace balai::security {
namespace {

core::Error rate_limited(int retry_after_seconds) {
  return core::Error{core::ErrorCode::rate_limited,
                     "Too many attempts. Try again later.",
                     {{"retry_after", std::to_string(std::max(1, retry_after_seconds))}}};
}

core::Error busy() {
  return core::Error{core::ErrorCode::unavailable,
                     "Too many sign-ins at once. Try again in a moment.",
                     {{"retry_after", "1"}}};
}

// One of the limited Argon2 slots, held for a scope; waits at most a second for one.
class HashingSlot {
 public:
  explicit HashingSlot(std::counting_semaphore<256>& slots)
      : slots_(slots), held_(slots.try_acquire_for(std::chrono::seconds(1))) {}
  ~HashingSlot() {
    if (held_) slots_.release();
  }
  HashingSlot(const HashingSlot&) = delete;
  HashingSlot& operator=(const HashingSlot&) = delete;
  bool held() const { return held_; }

 private:
  std::counting_semaphore<256>& slots_;
  bool held_;
};

int seconds_until(core::Timestamp until, core::Timestamp now) {
  return static_cast<int>(std::max<int64_t>(1, (until.ms - now.ms + 999) / 1000));
}

// The network a staff sign-in came from, coarse enough that a DHCP renewal is not "new":
// the /24 of an IPv4 address, the /64 of an IPv6 one.
std::string network_of(std::string_view address) {
  if (address.find(':') == std::string_view::npos) {
    const size_t dot = address.rfind('.');
    if (dot == std::string_view::npos) return std::string(address);
    return std::string(address.substr(0, dot)) + ".0/24";
  }
  const std::string key = firewall::Firewall::source_key(address);
  return key.empty() ? std::string(address) : key.substr(3);
}

// The cores this process may run on (its CPU affinity, as taskset or a container sets it), not
// every core of the machine: more Argon2 slots than usable cores only queue in the kernel.
unsigned usable_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  unsigned n = 0;
  if (sched_getaffinity(0, sizeof set, &set) == 0) n = static_cast<unsigned>(CPU_COUNT(&set));
  if (n == 0) n = std::thread::hardware_concurrency();
  return std::clamp<unsigned>(n, 1, 256);
}

}  // namespace

SignIn::SignIn(Accounts& accounts, Sessions& sessions, firewall::Firewall& firewall,
               Monitor& monitor, const AuditLog& audit, db::Database& db, const core::Clock& clock,
               std::span<const uint8_t> recovery_key, std::string issuer)
    : accounts_(accounts),
      sessions_(sessions),
      firewall_(firewall),
      monitor_(monitor),
      audit_(audit),
      db_(db),
      clock_(clock),
      recovery_key_(recovery_key.begin(), recovery_key.end()),
      issuer_(std::move(issuer)),
      hashing_slots_(static_cast<std::ptrdiff_t>(usable_cores())) {
  // A hash of a random password with the current parameters: verifying against it costs what a
  // real verification costs, so an unknown name answers as slowly as a known one.
  auto dummy = accounts_.hasher().hash(new_secret_token());
  dummy_hash_ = dummy ? *dummy : std::string();
}

core::Error SignIn::wrong_credentials() const {
  return core::make_error(core::ErrorCode::unauthenticated,
                          "The sign-in name or password is wrong.");
}

std::optional<core::Error> SignIn::refused_by_budget(const Attempt& attempt,
                                                     const std::string& account_key) {
  const core::Timestamp now = clock_.now();
  const auto budget = firewall_.take(firewall::kLoginBudget, attempt.source);
  if (!budget.allowed) return rate_limited(budget.retry_after_seconds);
  if (auto until = firewall_.account_locks().banned_until(account_key, now))
    return rate_limited(seconds_until(*until, now));
  return std::nullopt;
}

void SignIn::count_failure(const Attempt& attempt, const std::string& account_key, bool staff) {
  const core::Timestamp now = clock_.now();
  monitor_.observe(ids::Observation{ids::ObservationKind::login_failed,
                                    now,
                                    attempt.source,
                                    account_key,
                                    staff,
                                    0,
                                    "",
                                    true,
                                    {}});
  if (auto lock = firewall_.account_locks().record_failure(account_key, now)) {
    monitor_.report(SecurityEvent{"",
                                  now,
                                  "account_locked",
                                  ids::Severity::medium,
                                  attempt.source,
                                  account_key,
                                  "sign-in locked for " +
                                      std::to_string(seconds_until(lock->until, now)) +
                                      " s after repeated failures",
                                  {},
                                  ""});
  }
  if (auto ban = firewall_.record_failure(attempt.source)) {
    monitor_.report(SecurityEvent{"",
                                  now,
                                  "source_banned",
                                  ids::Severity::medium,
                                  attempt.source,
                                  "",
                                  "banned for " + std::to_string(seconds_until(ban->until, now)) +
                                      " s after repeated sign-in failures",
                                  {},
                                  ""});
  }
}

core::Result<SignedIn> SignIn::with_password(std::string_view login, std::string_view password,
                                             const Attempt& attempt,
                                             std::optional<std::string> previous_token) {
  const core::Timestamp now = clock_.now();
  if (previous_token) BALAI_TRY(sessions_.revoke_token(*previous_token, now));
  // Locks and IDS key on what was typed (hashed), so unknown names are locked like known ones
  // and nobody learns from the lock which accounts exist.
  const std::string account_key =
      "acct:" + core::to_hex(accounts_.cipher().blind_index(normalize_login(login), "login").bytes);
  if (auto refused = refused_by_budget(attempt, account_key)) return *refused;

  auto found = accounts_.find_by_login(login);
  if (!found) return found.take_error();
  const bool usable = *found && ((*found)->active || (*found)->pending);
  const std::string& stored = usable ? (*found)->password_hash : dummy_hash_;
  HashingSlot slot(hashing_slots_);
  if (!slot.held()) return busy();
  const bool password_ok = accounts_.hasher().verify(stored, password) && usable;
  if (!password_ok) {
    count_failure(attempt, account_key, *found && is_staff((*found)->role));
    return wrong_credentials();
  }
  const Account& account = **found;
  firewall_.account_locks().record_success(account_key);
  // The right password for a registration whose contacts are not confirmed yet: say so (the
  // person proved they know the password), and give the id the confirmation step needs.
  if (account.pending)
    return core::Error{core::ErrorCode::forbidden,
                       "Confirm your email and phone number with the codes we sent first.",
                       {{"account", "unconfirmed"}, {"id", account.id}}};
  firewall_.bans().record_success(firewall::Firewall::source_key(attempt.source));
  if (accounts_.hasher().needs_rehash(account.password_hash)) {
    if (auto rehashed = accounts_.hasher().hash(password))
      BALAI_TRY(accounts_.set_password_hash(account.key, *rehashed, now));
  }

  SessionStage stage = SessionStage::full;
  if (is_staff(account.role))
    stage = account.totp_enabled ? SessionStage::second_factor : SessionStage::enrol;
  auto started = sessions_.start(account, stage, attempt.client, now);
  if (!started) return started.take_error();
  if (stage == SessionStage::full)
    monitor_.observe(ids::Observation{ids::ObservationKind::login_succeeded,
                                      now,
                                      attempt.source,
                                      account.id,
                                      false,
                                      0,
                                      "",
                                      true,
                                      {}});
  return SignedIn{std::move(started).value(), stage};
}

core::Result<bool> SignIn::check_second_factor(const Account& account, std::string_view code) {
  const core::Timestamp now = clock_.now();
  const int64_t last = account.totp_last_step == 0 ? kTotpNoStepUsed : account.totp_last_step;
  if (auto step = verify_totp(account.totp_secret, code, now, last)) {
    // The database has the last word: of two requests racing with one code, one wins.
    return accounts_.use_totp_step(account.key, *step);
  }
  const std::string normalized = normalize_recovery_code(code);
  if (normalized.size() != 10) return false;
  bool used = false;
  auto status = db_.transact([&](db::Connection& c) -> core::Status {
    auto r = c.query(
        "UPDATE recovery_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at "
        "IS NULL",
        {now, account.key, hash_recovery_code(recovery_key_, normalized)});
    if (!r) return r.take_error();
    used = r->affected == 1;
    return {};
  });
  if (!status) return status.take_error();
  if (used)
    BALAI_TRY(audit_.append(
        db_, AuditEntry{now, account.id, std::string(to_string(account.role)),
                        "auth.recovery_code.used", "account", account.id, "", "", ""}));
  return used;
}

core::Result<StartedSession> SignIn::with_second_factor(std::string_view session_token,
                                                        std::string_view code,
                                                        const Attempt& attempt) {
  const core::Timestamp now = clock_.now();
  auto session = sessions_.resolve(session_token, now);
  if (!session) return session.take_error();
  if (!*session || (*session)->stage != SessionStage::second_factor)
    return core::make_error(core::ErrorCode::unauthenticated, "Sign in first.");
  const std::string account_key = "acct:" + (*session)->account_id;
  if (auto refused = refused_by_budget(attempt, account_key)) return *refused;
  auto account = accounts_.find_by_key((*session)->account_key);
  if (!account) return account.take_error();
  if (!*account) return core::make_error(core::ErrorCode::unauthenticated, "Sign in first.");
  auto ok = check_second_factor(**account, code);
  if (!ok) return ok.take_error();
  if (!*ok) {
    count_failure(attempt, account_key, true);
    return core::Error{core::ErrorCode::unauthenticated,
                       "The code is wrong or was already used.",
                       {{"code", "invalid"}}};
  }
  firewall_.account_locks().record_success(account_key);
  auto started = sessions_.rotate(session_token, SessionStage::full, now);
  if (!started) return started.take_error();
  note_staff_network(**account, attempt);
  BALAI_TRY(audit_.append(
      db_, AuditEntry{now, (*account)->id, std::string(to_string((*account)->role)), "auth.sign_in",
                      "session", started->session.id, "", "", attempt.request_id}));
  return started;
}

void SignIn::note_staff_network(const Account& account, const Attempt& attempt) {
  const core::Timestamp now = clock_.now();
  const std::string network = network_of(attempt.source);
  bool known = true;
  auto status = db_.transact([&](db::Connection& c) -> core::Status {
    auto seen = c.query("SELECT 1 FROM staff_networks WHERE account_id = ? AND network = ?",
                        {account.key, network});
    if (!seen) return seen.take_error();
    known = !seen->empty();
    auto r = known ? c.query(
                         "UPDATE staff_networks SET last_seen = ? WHERE account_id = ? AND "
                         "network = ?",
                         {now, account.key, network})
                   : c.query(
                         "INSERT INTO staff_networks (account_id, network, first_seen, "
                         "last_seen) VALUES (?, ?, ?, ?)",
                         {account.key, network, now, now});
    if (!r) return r.take_error();
    return {};
  });
  if (!status) {
    core::log::warn("security.staff_network_not_stored", {{"error", status.error().message}});
    return;
  }
  // The very first sign-in has nothing to compare with: it is not "new".
  auto count = db_.query("SELECT COUNT(*) FROM staff_networks WHERE account_id = ?", {account.key});
  const bool first = count && (*count)[0].int64(0) <= 1;
  monitor_.observe(ids::Observation{ids::ObservationKind::login_succeeded,
                                    now,
                                    attempt.source,
                                    account.id,
                                    true,
                                    0,
                                    "",
                                    known || first,
                                    {}});
}

core::Result<Enrolment> SignIn::begin_enrolment(const Session& session, std::string_view qr_label) {
  auto account = accounts_.find_by_key(session.account_key);
  if (!account) return account.take_error();
  if (!*account) return core::make_error(core::ErrorCode::unauthenticated, "Sign in first.");
  if ((*account)->totp_enabled && session.stage == SessionStage::enrol)
    return core::make_error(core::ErrorCode::conflict, "Two-factor sign-in is already set up.");
  const std::vector<uint8_t> secret = generate_totp_secret();
  BALAI_TRY(accounts_.set_totp(session.account_key, secret, false, clock_.now()));
  Enrolment e;
  e.secret_base32 = base32_encode(secret);
  e.otpauth_uri = otpauth_uri(issuer_, (*account)->email, secret);
  auto svg = qr_svg(e.otpauth_uri, 4, qr_label);
  if (!svg) return svg.take_error();
  e.qr_svg = std::move(svg).value();
  return e;
}

core::Result<SignIn::Confirmed> SignIn::confirm_enrolment(std::string_view session_token,
                                                          std::string_view code,
                                                          const Attempt& attempt) {
  const core::Timestamp now = clock_.now();
  auto session = sessions_.resolve(session_token, now);
  if (!session) return session.take_error();
  if (!*session) return core::make_error(core::ErrorCode::unauthenticated, "Sign in first.");
  const std::string account_key = "acct:" + (*session)->account_id;
  if (auto refused = refused_by_budget(attempt, account_key)) return *refused;
  auto account = accounts_.find_by_key((*session)->account_key);
  if (!account) return account.take_error();
  if (!*account || (*account)->totp_secret.empty())
    return core::make_error(core::ErrorCode::conflict, "Start the set-up again.");
  auto step = verify_totp((*account)->totp_secret, code, now, kTotpNoStepUsed);
  if (!step) {
    count_failure(attempt, account_key, is_staff((*account)->role));
    return core::Error{core::ErrorCode::validation_failed,
                       "The code does not match. Check the time on your phone.",
                       {{"code", "invalid"}}};
  }
  BALAI_TRY(accounts_.set_totp((*account)->key, (*account)->totp_secret, true, now));
  auto used = accounts_.use_totp_step((*account)->key, *step);
  if (!used) return used.take_error();

  Confirmed out;
  auto codes = issue_recovery_codes((*account)->key);
  if (!codes) return codes.take_error();
  out.recovery_codes = std::move(codes).value();
  BALAI_TRY(audit_.append(
      db_,
      AuditEntry{now, (*account)->id, std::string(to_string((*account)->role)),
                 "auth.totp.enrolled", "account", (*account)->id, "", "", attempt.request_id}));
  auto started = sessions_.rotate(session_token, SessionStage::full, now);
  if (!started) return started.take_error();
  out.started = std::move(started).value();
  note_staff_network(**account, attempt);
  return out;
}

core::Result<std::vector<std::string>> SignIn::issue_recovery_codes(int64_t account_key) {
  std::vector<std::string> codes = generate_recovery_codes();
  auto status = db_.transact([&](db::Connection& c) -> core::Status {
    auto d = c.query("DELETE FROM recovery_codes WHERE account_id = ?", {account_key});
    if (!d) return d.take_error();
    for (const auto& rc : codes) {
      auto r = c.query("INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)",
                       {account_key, hash_recovery_code(recovery_key_, rc)});
      if (!r) return r.take_error();
    }
    return {};
  });
  if (!status) return status.take_error();
  return codes;
}

core::Status SignIn::reauthenticate(const Session& session, std::string_view password,
                                    std::string_view code, const Attempt& attempt) {
  const std::string account_key = "acct:" + session.account_id;
  if (auto refused = refused_by_budget(attempt, account_key)) return *refused;
  auto account = accounts_.find_by_key(session.account_key);
  if (!account) return account.take_error();
  if (!*account) return core::make_error(core::ErrorCode::unauthenticated, "Sign in first.");
  HashingSlot slot(hashing_slots_);
  if (!slot.held()) return busy();
  bool ok = accounts_.hasher().verify((*account)->password_hash, password);
  if (ok && (*account)->totp_enabled) {
    auto second = check_second_factor(**account, code);
    if (!second) return second.take_error();
    ok = *second;
  }
  if (!ok) {
    count_failure(attempt, account_key, is_staff((*account)->role));
    return wrong_credentials();
  }
  return sessions_.reauthenticated(session.key, clock_.now());
}

core::Status SignIn::sign_out(std::string_view token) {
  return sessions_.revoke_token(token, clock_.now());
}

}  // namespace balai::security
