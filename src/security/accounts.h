#pragma once
// Accounts: who can sign in, with which role and agency, and their credentials. Shared by all
// kinds of people: citizens (the identity module adds their profile), staff, administrators.
// The name and email are encrypted at rest; an account is found at sign-in through a keyed
// blind index of what the person types (their email now, their NIK once identity adds it).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "db/database.h"
#include "security/actor.h"
#include "security/field_cipher.h"
#include "security/password_policy.h"
#include "security/passwords.h"

namespace balai::security {

struct Account {
  int64_t key = 0;  // internal; never leaves the server
  std::string id;   // external id (UUIDv7)
  Role role = Role::citizen;
  std::string agency;
  bool active = true;
  bool pending = false;      // registered, contacts not yet confirmed: cannot sign in
  std::string display_name;  // decrypted
  std::string email;         // decrypted; "" when none
  std::string password_hash;
  std::vector<uint8_t> totp_secret;  // decrypted; empty until enrolled
  int64_t totp_last_step = 0;        // the last TOTP step used (replay protection)
  bool totp_enabled = false;         // enrolment confirmed with a valid code
  core::Timestamp created_at;
};

struct NewAccount {
  Role role = Role::citizen;
  std::string agency;  // required for officers and supervisors
  std::string display_name;
  std::string email;
  std::string password;
};

// An account checked and hashed, ready to be inserted (Accounts::prepare).
struct PreparedAccount {
  Account account;
};

// The form of a sign-in name that is indexed: trimmed, ASCII lower-case (emails) — digits
// (a NIK) stay as they are.
std::string normalize_login(std::string_view login);

// Thread-safe (the database and the cipher are); every call blocks on the database.
class Accounts {
 public:
  Accounts(db::Database& db, const FieldCipher& cipher, const PasswordHasher& hasher,
           const CommonPasswords& common, std::string city_name);

  // Creates an account after checking the role's agency rule and the password policy (with the
  // person's own name and email). validation_failed names the field; conflict when the email
  // already belongs to an account. Argon2 runs here: call on a worker thread.
  [[nodiscard]] core::Result<Account> create(const NewAccount& account, core::Timestamp now);

  // The two halves of create, for callers that insert more in the same transaction (a
  // citizen's registration): prepare validates and hashes (Argon2: worker thread; no database);
  // insert writes the account and its email sign-in name inside `conn`'s transaction, active or
  // pending. `more` adds to the password check (the NIK, the birth date).
  [[nodiscard]] core::Result<PreparedAccount> prepare(const NewAccount& account,
                                                      const PersonalContext& more,
                                                      core::Timestamp now) const;
  [[nodiscard]] core::Result<Account> insert(db::Connection& conn, PreparedAccount prepared,
                                             bool pending) const;

  [[nodiscard]] core::Result<std::optional<Account>> find_by_login(std::string_view login) const;
  [[nodiscard]] core::Result<std::optional<Account>> find(std::string_view external_id) const;
  [[nodiscard]] core::Result<std::optional<Account>> find_by_key(int64_t key) const;
  // Every account, oldest first (administrators' list; small: staff and tokens, or paged later).
  [[nodiscard]] core::Result<std::vector<Account>> list(std::optional<Role> role = {}) const;

  // Adds another sign-in name (kind "nik", ...) inside the caller's transaction. conflict when
  // the name is taken.
  [[nodiscard]] core::Status add_login(db::Connection& conn, int64_t account_key,
                                       std::string_view kind, std::string_view login) const;

  // Stores a new password hash (a rehash at sign-in, a change). Does not check the policy.
  [[nodiscard]] core::Status set_password_hash(int64_t key, std::string_view hash,
                                               core::Timestamp now);
  // Stores a TOTP secret awaiting confirmation (enabled = false) or confirms it.
  [[nodiscard]] core::Status set_totp(int64_t key, const std::vector<uint8_t>& secret, bool enabled,
                                      core::Timestamp now);
  // Records that TOTP step `step` was used. Returns false (and changes nothing) when a step at
  // or after it was already used: the database decides, so two instances cannot both accept
  // one code.
  [[nodiscard]] core::Result<bool> use_totp_step(int64_t key, int64_t step);
  [[nodiscard]] core::Status set_active(int64_t key, bool active, core::Timestamp now);
  // A pending account becomes active (its contacts are confirmed), inside `conn`.
  [[nodiscard]] core::Status activate(db::Connection& conn, int64_t key, core::Timestamp now) const;
  // Replaces the email (and its sign-in name) inside `conn`. conflict when another account
  // signs in with it.
  [[nodiscard]] core::Status change_email(db::Connection& conn, const Account& account,
                                          std::string_view email, core::Timestamp now) const;
  // Erases what the account holds about a person (name, email, sign-in names, password) and
  // disables it, inside `conn`; the row stays so that audit entries keep their meaning.
  [[nodiscard]] core::Status erase(db::Connection& conn, const Account& account,
                                   core::Timestamp now) const;
  // The display names and roles of accounts by external id (the access log shows who read).
  [[nodiscard]] core::Result<std::vector<Account>> find_many(
      const std::vector<std::string>& external_ids) const;

  const PasswordHasher& hasher() const { return hasher_; }
  const FieldCipher& cipher() const { return cipher_; }

 private:
  [[nodiscard]] core::Result<std::optional<Account>> find_where(std::string_view where,
                                                                const db::Params& params) const;
  Account read(const db::Row& row) const;

  db::Database& db_;
  const FieldCipher& cipher_;
  const PasswordHasher& hasher_;
  const CommonPasswords& common_;
  std::string city_name_;
};

}  // namespace balai::security
