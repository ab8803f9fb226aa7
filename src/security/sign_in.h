#pragma once
// Signing in (OWASP ASVS V2, V3): password, then for staff the TOTP code (or a recovery code),
// with the defences around it — a budget per address, a lock per account after repeated
// failures, the address banned fail2ban-style, intrusion detection fed with every attempt —
// and a fresh session at each step, so no token from before survives a change of privilege.
// Enrolment of TOTP for staff who have none, and re-authentication before sensitive actions.

#include <optional>
#include <semaphore>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "security/accounts.h"
#include "security/audit.h"
#include "security/firewall/firewall.h"
#include "security/monitor.h"
#include "security/sessions.h"

namespace balai::security {

struct Attempt {
  std::string source;  // client address (after trusted proxies)
  std::string client;  // User-Agent
  std::string request_id;
};

struct SignedIn {
  StartedSession started;
  SessionStage stage = SessionStage::full;  // second_factor / enrol: more is due
};

struct Enrolment {
  std::string secret_base32;  // for typing into an app by hand
  std::string otpauth_uri;
  std::string qr_svg;  // the URI as a QR code
};

// Errors this service returns (and the status each becomes):
//  - unauthenticated (401) "The sign-in name or password is wrong." — the same for an unknown
//    name, a wrong password and a disabled account, so nobody learns which accounts exist;
//  - rate_limited (429) with fields{"retry_after": seconds} when the address is out of sign-in
//    budget or the account is locked.
class SignIn {
 public:
  // References must outlive the service. `recovery_key` is the key ring's pepper.
  SignIn(Accounts& accounts, Sessions& sessions, firewall::Firewall& firewall, Monitor& monitor,
         const AuditLog& audit, db::Database& db, const core::Clock& clock,
         std::span<const uint8_t> recovery_key, std::string issuer);

  // Step one. `previous_token` (a session cookie the browser still had) is revoked either way.
  // Argon2 runs here: worker thread only.
  [[nodiscard]] core::Result<SignedIn> with_password(std::string_view login,
                                                     std::string_view password,
                                                     const Attempt& attempt,
                                                     std::optional<std::string> previous_token);

  // Step two for staff: a TOTP code, or one of the recovery codes. Rotates the session to full.
  // A wrong or replayed code counts as a failure like a wrong password.
  [[nodiscard]] core::Result<StartedSession> with_second_factor(std::string_view session_token,
                                                                std::string_view code,
                                                                const Attempt& attempt);

  // Enrolment for a session at stage enrol (or a signed-in account renewing its factor):
  // a new secret, kept unconfirmed until confirm_enrolment.
  // `qr_label` is the QR code's accessible name in the page's language.
  [[nodiscard]] core::Result<Enrolment> begin_enrolment(const Session& session,
                                                        std::string_view qr_label = "QR code");
  // Confirms with a code from the app: enables TOTP, returns the recovery codes (shown once)
  // and rotates the session to full.
  struct Confirmed {
    StartedSession started;
    std::vector<std::string> recovery_codes;
  };
  [[nodiscard]] core::Result<Confirmed> confirm_enrolment(std::string_view session_token,
                                                          std::string_view code,
                                                          const Attempt& attempt);

  // Replaces the account's recovery codes with ten new ones, returned once (enrolment, an
  // administrator setting up a staff account).
  [[nodiscard]] core::Result<std::vector<std::string>> issue_recovery_codes(int64_t account_key);

  // Re-authentication before a sensitive action: the password, and for staff a code.
  [[nodiscard]] core::Status reauthenticate(const Session& session, std::string_view password,
                                            std::string_view code, const Attempt& attempt);

  // Ends the session of `token` (logout).
  [[nodiscard]] core::Status sign_out(std::string_view token);

 private:
  core::Error wrong_credentials() const;
  std::optional<core::Error> refused_by_budget(const Attempt& attempt,
                                               const std::string& account_key);
  void count_failure(const Attempt& attempt, const std::string& account_key, bool staff);
  [[nodiscard]] core::Result<bool> check_second_factor(const Account& account,
                                                       std::string_view code);
  void note_staff_network(const Account& account, const Attempt& attempt);

  Accounts& accounts_;
  Sessions& sessions_;
  firewall::Firewall& firewall_;
  Monitor& monitor_;
  const AuditLog& audit_;
  db::Database& db_;
  const core::Clock& clock_;
  std::vector<uint8_t> recovery_key_;
  std::string issuer_;
  std::string dummy_hash_;  // verified against when the account is unknown (equal timing)
  // Argon2 verifications running at once are limited to the cores: more only share the CPU
  // and multiply the memory (64 MiB each), while every worker thread would sit hashing. A
  // sign-in that finds no slot within a second is answered 503 "busy, try again".
  std::counting_semaphore<256> hashing_slots_;
};

}  // namespace balai::security
