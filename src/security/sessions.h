#pragma once
// Server-side sessions (DESIGN.md, security model; OWASP ASVS V3): a 256-bit random token in
// the cookie, only its digest in the database; idle timeout (stricter for staff) and an
// absolute lifetime; a new token at sign-in and at every change of privilege (the second
// factor), so a token seen before sign-in is worthless after it; logout and "sign out that
// device" invalidate on the server.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "db/database.h"
#include "security/accounts.h"
#include "security/field_cipher.h"

namespace balai::security {

enum class SessionStage {
  full,           // signed in
  second_factor,  // password accepted; the TOTP code (or a recovery code) is still due
  enrol,          // a staff member without TOTP: may only enrol it
};
std::string_view to_string(SessionStage stage);

struct Session {
  int64_t key = 0;
  std::string id;  // external id, shown in "my sessions" and used to revoke one
  int64_t account_key = 0;
  std::string account_id;
  Role role = Role::citizen;
  std::string agency;
  SessionStage stage = SessionStage::full;
  core::Timestamp created_at;
  core::Timestamp last_seen_at;
  core::Timestamp expires_at;        // absolute end
  core::Timestamp authenticated_at;  // last proof of the password (re-authentication)
  int64_t idle_ms = 0;
  std::string client;  // the browser's User-Agent, shortened; decrypted
};

struct SessionSettings {
  int64_t idle_ms_staff = 30 * 60 * 1000;
  int64_t idle_ms_citizen = 2 * 60 * 60 * 1000;
  int64_t absolute_ms = 12 * 60 * 60 * 1000;
  // last_seen_at is written at most this often per session: a write per request would make
  // every page view a database write.
  int64_t touch_every_ms = 60 * 1000;
};

struct StartedSession {
  std::string token;  // for the cookie; never stored
  Session session;
};

// Thread-safe; every call blocks on the database.
class Sessions {
 public:
  Sessions(db::Database& db, const FieldCipher& cipher, SessionSettings settings);

  // Starts a session for `account` at `stage`. `client` is the User-Agent (kept encrypted for
  // the session list). `absolute_from` carries the absolute lifetime over a rotation.
  [[nodiscard]] core::Result<StartedSession> start(
      const Account& account, SessionStage stage, std::string_view client, core::Timestamp now,
      std::optional<core::Timestamp> absolute_from = {});

  // The live session of a token: nullopt when the token is unknown, revoked, idle too long,
  // past its absolute end or its account is disabled. Refreshes last_seen_at now and then.
  [[nodiscard]] core::Result<std::optional<Session>> resolve(std::string_view token,
                                                             core::Timestamp now);

  // Rotation on a change of privilege: revokes `old` and starts a new session at `stage` with
  // the same absolute end. Fails with unauthenticated when `old` is not live.
  [[nodiscard]] core::Result<StartedSession> rotate(std::string_view old_token, SessionStage stage,
                                                    core::Timestamp now);

  // A live or ended session by external id, whoever owns it (for the ownership check before
  // acting on it); nullopt when no session has this id.
  [[nodiscard]] core::Result<std::optional<Session>> find(std::string_view session_id) const;

  // Ends the session of a token (logout). Unknown tokens are not an error.
  [[nodiscard]] core::Status revoke_token(std::string_view token, core::Timestamp now);
  // Ends one of an account's sessions by external id; not_found when it is not theirs (the
  // answer does not tell "someone else's" from "none").
  [[nodiscard]] core::Status revoke(int64_t account_key, std::string_view session_id,
                                    core::Timestamp now);
  // Ends every session of an account (password change, disabled account), except one.
  [[nodiscard]] core::Status revoke_all(int64_t account_key, core::Timestamp now,
                                        int64_t except_session_key = 0);
  // The account's live sessions, newest first.
  [[nodiscard]] core::Result<std::vector<Session>> list(int64_t account_key,
                                                        core::Timestamp now) const;
  // Records a fresh proof of the password (before a sensitive action).
  [[nodiscard]] core::Status reauthenticated(int64_t session_key, core::Timestamp now);

  const SessionSettings& settings() const { return settings_; }

 private:
  Session read(const db::Row& row) const;

  db::Database& db_;
  const FieldCipher& cipher_;
  SessionSettings settings_;
};

}  // namespace balai::security
