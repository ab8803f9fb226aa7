#include "security/accounts.h"

#include "core/ids.h"
#include "core/text.h"

namespace balai::security {
namespace {

constexpr std::string_view kSelect =
    "SELECT id, external_id, role, agency_code, status, display_name, email, password_hash, "
    "totp_secret, totp_last_step, totp_enabled_at, created_at FROM accounts ";
constexpr std::string_view kLoginDomain = "login";

// The context each ciphertext is bound to: a value copied into another row or column fails to
// decrypt instead of showing one person's data as another's.
std::string context(std::string_view column, std::string_view external_id) {
  return "accounts." + std::string(column) + "/" + std::string(external_id);
}

bool looks_like_email(std::string_view email) {
  const auto at = email.find('@');
  return email.size() >= 3 && email.size() <= 254 && at != std::string_view::npos && at > 0 &&
         at + 1 < email.size() && email.find_first_of(" \t\r\n,;<>") == std::string_view::npos;
}

bool needs_agency(Role role) {
  return role == Role::officer || role == Role::supervisor;
}

}  // namespace

std::string normalize_login(std::string_view login) {
  return core::ascii_lower(core::trim(login));
}

Accounts::Accounts(db::Database& db, const FieldCipher& cipher, const PasswordHasher& hasher,
                   const CommonPasswords& common, std::string city_name)
    : db_(db),
      cipher_(cipher),
      hasher_(hasher),
      common_(common),
      city_name_(std::move(city_name)) {}

Account Accounts::read(const db::Row& r) const {
  Account a;
  a.key = r.int64(0);
  a.id = r.text(1);
  a.role = parse_role(r.text(2)).value_or(Role::citizen);
  a.agency = r.text(3);
  a.active = r.text(4) == "active";
  a.pending = r.text(4) == "pending";
  // A field that does not decrypt (a key lost, a row tampered with) reads as empty rather than
  // failing every list it appears in; the cipher's error is the same for both cases.
  if (auto name = cipher_.decrypt(r.blob(5), context("display_name", a.id))) a.display_name = *name;
  if (!r.is_null(6))
    if (auto email = cipher_.decrypt(r.blob(6), context("email", a.id))) a.email = *email;
  a.password_hash = r.text(7);
  if (!r.is_null(8))
    if (auto secret = cipher_.decrypt(r.blob(8), context("totp_secret", a.id)))
      a.totp_secret.assign(secret->begin(), secret->end());
  a.totp_last_step = r.int64(9);
  a.totp_enabled = !r.is_null(10);
  a.created_at = r.timestamp(11);
  return a;
}

core::Result<PreparedAccount> Accounts::prepare(const NewAccount& in, const PersonalContext& more,
                                                core::Timestamp now) const {
  core::Error invalid{core::ErrorCode::validation_failed, "The account is not valid.", {}};
  const std::string name(core::trim(in.display_name));
  const std::string email = normalize_login(in.email);
  if (name.empty() || name.size() > 200 || !core::is_valid_utf8(name))
    invalid.fields["display_name"] = "required";
  if (!looks_like_email(email)) invalid.fields["email"] = "invalid";
  if (needs_agency(in.role) && in.agency.empty()) invalid.fields["agency"] = "required";
  if (in.role == Role::citizen && !in.agency.empty()) invalid.fields["agency"] = "not_allowed";
  if (in.role == Role::device || in.role == Role::integrator)
    invalid.fields["role"] = "token_only";  // machines get API tokens, not accounts
  if (!invalid.fields.empty()) return invalid;
  PersonalContext who = more;
  who.full_name = name;
  who.email = email;
  who.city_name = city_name_;
  BALAI_TRY(check_password(in.password, who, common_));
  auto hash = hasher_.hash(in.password);
  if (!hash) return hash.take_error();

  PreparedAccount p;
  Account& a = p.account;
  a.id = core::new_uuid_v7(now);
  a.role = in.role;
  a.agency = in.agency;
  a.display_name = name;
  a.email = email;
  a.password_hash = *hash;
  a.created_at = now;
  return p;
}

core::Result<Account> Accounts::insert(db::Connection& c, PreparedAccount prepared,
                                       bool pending) const {
  Account a = std::move(prepared.account);
  const db::Blob lookup = cipher_.blind_index(a.email, kLoginDomain);
  auto taken = c.query("SELECT 1 FROM account_logins WHERE lookup = ?", {lookup});
  if (!taken) return taken.take_error();
  if (!taken->empty())
    return core::Error{
        core::ErrorCode::conflict, "An account with this email exists.", {{"email", "taken"}}};
  auto inserted = c.query(
      "INSERT INTO accounts (external_id, role, agency_code, status, display_name, email, "
      "password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id",
      {a.id, to_string(a.role), a.agency, pending ? "pending" : "active",
       cipher_.encrypt(a.display_name, context("display_name", a.id)),
       cipher_.encrypt(a.email, context("email", a.id)), a.password_hash, a.created_at,
       a.created_at});
  if (!inserted) return inserted.take_error();
  a.key = (*inserted)[0].int64(0);
  a.pending = pending;
  a.active = !pending;
  BALAI_TRY(add_login(c, a.key, "email", a.email));
  return a;
}

core::Result<Account> Accounts::create(const NewAccount& in, core::Timestamp now) {
  auto prepared = prepare(in, {}, now);
  if (!prepared) return prepared.take_error();
  Account out;
  auto status = db_.transact([&](db::Connection& c) -> core::Status {
    auto a = insert(c, *prepared, false);
    if (!a) return a.take_error();
    out = std::move(a).value();
    return {};
  });
  if (!status) return status.take_error();
  return out;
}

core::Status Accounts::add_login(db::Connection& conn, int64_t account_key, std::string_view kind,
                                 std::string_view login) const {
  const db::Blob lookup = cipher_.blind_index(normalize_login(login), kLoginDomain);
  auto taken = conn.query("SELECT 1 FROM account_logins WHERE lookup = ?", {lookup});
  if (!taken) return taken.take_error();
  if (!taken->empty())
    return core::Error{
        core::ErrorCode::conflict, "This sign-in name is taken.", {{std::string(kind), "taken"}}};
  auto r = conn.query("INSERT INTO account_logins (lookup, kind, account_id) VALUES (?, ?, ?)",
                      {lookup, kind, account_key});
  if (!r) return r.take_error();
  return {};
}

core::Result<std::optional<Account>> Accounts::find_where(std::string_view where,
                                                          const db::Params& params) const {
  auto rows = db_.query(std::string(kSelect) + std::string(where), params);
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<Account>{};
  return std::optional<Account>{read((*rows)[0])};
}

core::Result<std::optional<Account>> Accounts::find_by_login(std::string_view login) const {
  const std::string normalized = normalize_login(login);
  if (normalized.empty() || normalized.size() > 254) return std::optional<Account>{};
  return find_where("WHERE id = (SELECT account_id FROM account_logins WHERE lookup = ?)",
                    {cipher_.blind_index(normalized, kLoginDomain)});
}

core::Result<std::optional<Account>> Accounts::find(std::string_view external_id) const {
  if (!core::is_uuid(external_id)) return std::optional<Account>{};
  return find_where("WHERE external_id = ?", {external_id});
}

core::Result<std::optional<Account>> Accounts::find_by_key(int64_t key) const {
  return find_where("WHERE id = ?", {key});
}

core::Result<std::vector<Account>> Accounts::list(std::optional<Role> role) const {
  auto rows =
      role ? db_.query(std::string(kSelect) + "WHERE role = ? ORDER BY id", {to_string(*role)})
           : db_.query(std::string(kSelect) + "ORDER BY id");
  if (!rows) return rows.take_error();
  std::vector<Account> out;
  for (const auto& r : *rows) out.push_back(read(r));
  return out;
}

core::Status Accounts::set_password_hash(int64_t key, std::string_view hash, core::Timestamp now) {
  return core::status_of(db::execute(
      db_, "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?", {hash, now, key}));
}

core::Status Accounts::set_totp(int64_t key, const std::vector<uint8_t>& secret, bool enabled,
                                core::Timestamp now) {
  auto account = find_by_key(key);
  if (!account) return account.take_error();
  if (!*account) return core::make_error(core::ErrorCode::not_found, "No such account.");
  const std::string plain(secret.begin(), secret.end());
  const db::Blob sealed = cipher_.encrypt(plain, context("totp_secret", (*account)->id));
  return db_.transact([&](db::Connection& c) -> core::Status {
    auto r = c.query(
        "UPDATE accounts SET totp_secret = ?, totp_enabled_at = ?, totp_last_step = 0, "
        "updated_at = ? WHERE id = ?",
        {sealed, enabled ? db::Value(now) : db::Value(), now, key});
    if (!r) return r.take_error();
    return {};
  });
}

core::Result<bool> Accounts::use_totp_step(int64_t key, int64_t step) {
  auto changed =
      db::execute(db_, "UPDATE accounts SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?",
                  {step, key, step});
  if (!changed) return changed.take_error();
  return *changed == 1;
}

core::Status Accounts::set_active(int64_t key, bool active, core::Timestamp now) {
  return db_.transact([&](db::Connection& c) -> core::Status {
    auto r = c.query("UPDATE accounts SET status = ?, updated_at = ? WHERE id = ?",
                     {active ? "active" : "disabled", now, key});
    if (!r) return r.take_error();
    if (!active) {
      auto s = c.query(
          "UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND "
          "revoked_at IS NULL",
          {now, key});
      if (!s) return s.take_error();
    }
    return {};
  });
}

}  // namespace balai::security

namespace balai::security {

core::Status Accounts::activate(db::Connection& conn, int64_t key, core::Timestamp now) const {
  auto r = conn.query(
      "UPDATE accounts SET status = 'active', updated_at = ? WHERE id = ? AND status = 'pending'",
      {now, key});
  if (!r) return r.take_error();
  return {};
}

core::Status Accounts::change_email(db::Connection& conn, const Account& account,
                                    std::string_view email, core::Timestamp now) const {
  const std::string normalized = normalize_login(email);
  if (!looks_like_email(normalized))
    return core::Error{core::ErrorCode::validation_failed,
                       "The email address is not valid.",
                       {{"email", "invalid"}}};
  auto removed = conn.query("DELETE FROM account_logins WHERE account_id = ? AND kind = 'email'",
                            {account.key});
  if (!removed) return removed.take_error();
  BALAI_TRY(add_login(conn, account.key, "email", normalized));
  auto r =
      conn.query("UPDATE accounts SET email = ?, updated_at = ? WHERE id = ?",
                 {cipher_.encrypt(normalized, context("email", account.id)), now, account.key});
  if (!r) return r.take_error();
  return {};
}

core::Status Accounts::erase(db::Connection& conn, const Account& account,
                             core::Timestamp now) const {
  auto logins = conn.query("DELETE FROM account_logins WHERE account_id = ?", {account.key});
  if (!logins) return logins.take_error();
  auto r = conn.query(
      "UPDATE accounts SET status = 'erased', display_name = ?, email = NULL, password_hash = '', "
      "totp_secret = NULL, totp_enabled_at = NULL, updated_at = ? WHERE id = ?",
      {cipher_.encrypt("", context("display_name", account.id)), now, account.key});
  if (!r) return r.take_error();
  auto s =
      conn.query("UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL",
                 {now, account.key});
  if (!s) return s.take_error();
  return {};
}

core::Result<std::vector<Account>> Accounts::find_many(
    const std::vector<std::string>& external_ids) const {
  std::vector<Account> out;
  // Small lists (the distinct readers of one person's data): one query per id keeps the SQL
  // portable without building IN lists.
  for (const std::string& id : external_ids) {
    auto found = find(id);
    if (!found) return found.take_error();
    if (*found) out.push_back(std::move(**found));
  }
  return out;
}

}  // namespace balai::security
