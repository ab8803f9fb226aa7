#include "security/sessions.h"

#include "core/ids.h"
#include "core/text.h"
#include "security/secret_token.h"

namespace balai::security {
namespace {

constexpr std::string_view kSelect =
    "SELECT s.id, s.external_id, s.account_id, a.external_id, a.role, a.agency_code, s.stage, "
    "s.created_at, s.last_seen_at, s.expires_at, s.authenticated_at, s.idle_ms, s.client "
    "FROM sessions s JOIN accounts a ON a.id = s.account_id ";
constexpr size_t kMaxClientBytes = 160;

std::optional<SessionStage> parse_stage(std::string_view text) {
  if (text == "full") return SessionStage::full;
  if (text == "second_factor") return SessionStage::second_factor;
  if (text == "enrol") return SessionStage::enrol;
  return std::nullopt;
}

std::string client_context(std::string_view session_id) {
  return "sessions.client/" + std::string(session_id);
}

// The User-Agent cut to a length a list can show, at a UTF-8 boundary.
std::string shorten(std::string_view client) {
  std::string out;
  for (size_t i = 0; i < client.size();) {
    const size_t n = core::utf8_sequence_length(client, i);
    if (n == 0 || out.size() + n > kMaxClientBytes) break;
    out.append(client.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace

std::string_view to_string(SessionStage stage) {
  switch (stage) {
    case SessionStage::full:
      return "full";
    case SessionStage::second_factor:
      return "second_factor";
    case SessionStage::enrol:
      return "enrol";
  }
  return "full";
}

Sessions::Sessions(db::Database& db, const FieldCipher& cipher, SessionSettings settings)
    : db_(db), cipher_(cipher), settings_(settings) {}

Session Sessions::read(const db::Row& r) const {
  Session s;
  s.key = r.int64(0);
  s.id = r.text(1);
  s.account_key = r.int64(2);
  s.account_id = r.text(3);
  s.role = parse_role(r.text(4)).value_or(Role::citizen);
  s.agency = r.text(5);
  // An unknown stage grants nothing: treat it like a session that still owes its second factor.
  s.stage = parse_stage(r.text(6)).value_or(SessionStage::second_factor);
  s.created_at = r.timestamp(7);
  s.last_seen_at = r.timestamp(8);
  s.expires_at = r.timestamp(9);
  s.authenticated_at = r.timestamp(10);
  s.idle_ms = r.int64(11);
  if (auto client = cipher_.decrypt(r.blob(12), client_context(s.id))) s.client = *client;
  return s;
}

core::Result<StartedSession> Sessions::start(const Account& account, SessionStage stage,
                                             std::string_view client, core::Timestamp now,
                                             std::optional<core::Timestamp> absolute_from) {
  StartedSession out;
  out.token = new_secret_token();
  Session& s = out.session;
  s.id = core::new_uuid_v7(now);
  s.account_key = account.key;
  s.account_id = account.id;
  s.role = account.role;
  s.agency = account.agency;
  s.stage = stage;
  s.created_at = now;
  s.last_seen_at = now;
  s.authenticated_at = now;
  s.expires_at = core::Timestamp{absolute_from.value_or(now).ms + settings_.absolute_ms};
  // Half-finished sign-ins (a code still due) get the short staff timeout whoever they are.
  s.idle_ms = (is_staff(account.role) || stage != SessionStage::full) ? settings_.idle_ms_staff
                                                                      : settings_.idle_ms_citizen;
  s.client = shorten(client);
  auto status = db_.transact([&](db::Connection& c) -> core::Status {
    auto r = c.query(
        "INSERT INTO sessions (external_id, token_hash, account_id, stage, created_at, "
        "last_seen_at, idle_ms, expires_at, authenticated_at, client) VALUES (?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?) RETURNING id",
        {s.id, token_digest(out.token), account.key, to_string(stage), now, now, s.idle_ms,
         s.expires_at, now, cipher_.encrypt(s.client, client_context(s.id))});
    if (!r) return r.take_error();
    s.key = (*r)[0].int64(0);
    return {};
  });
  if (!status) return status.take_error();
  return out;
}

core::Result<std::optional<Session>> Sessions::resolve(std::string_view token,
                                                       core::Timestamp now) {
  if (!looks_like_token(token)) return std::optional<Session>{};
  auto rows = db_.query(std::string(kSelect) +
                            "WHERE s.token_hash = ? AND s.revoked_at IS NULL AND a.status = "
                            "'active'",
                        {token_digest(token)});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<Session>{};
  Session s = read((*rows)[0]);
  if (now >= s.expires_at || now.ms - s.last_seen_at.ms >= s.idle_ms)
    return std::optional<Session>{};
  if (now.ms - s.last_seen_at.ms >= settings_.touch_every_ms) {
    auto touched =
        db::execute(db_, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", {now, s.key});
    if (!touched) return touched.take_error();
    s.last_seen_at = now;
  }
  return std::optional<Session>{std::move(s)};
}

core::Result<StartedSession> Sessions::rotate(std::string_view old_token, SessionStage stage,
                                              core::Timestamp now) {
  auto old = resolve(old_token, now);
  if (!old) return old.take_error();
  if (!*old) return core::make_error(core::ErrorCode::unauthenticated, "Sign in first.");
  BALAI_TRY(revoke_token(old_token, now));
  Account account;
  account.key = (*old)->account_key;
  account.id = (*old)->account_id;
  account.role = (*old)->role;
  account.agency = (*old)->agency;
  const core::Timestamp absolute_from{(*old)->expires_at.ms - settings_.absolute_ms};
  return start(account, stage, (*old)->client, now, absolute_from);
}

core::Result<std::optional<Session>> Sessions::find(std::string_view session_id) const {
  if (!core::is_uuid(session_id)) return std::optional<Session>{};
  auto rows = db_.query(std::string(kSelect) + "WHERE s.external_id = ?", {session_id});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<Session>{};
  return std::optional<Session>{read((*rows)[0])};
}

core::Status Sessions::revoke_token(std::string_view token, core::Timestamp now) {
  if (!looks_like_token(token)) return {};
  return db_.transact([&](db::Connection& c) -> core::Status {
    auto r =
        c.query("UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                {now, token_digest(token)});
    if (!r) return r.take_error();
    return {};
  });
}

core::Status Sessions::revoke(int64_t account_key, std::string_view session_id,
                              core::Timestamp now) {
  bool found = false;
  auto status = db_.transact([&](db::Connection& c) -> core::Status {
    auto r = c.query(
        "UPDATE sessions SET revoked_at = ? WHERE external_id = ? AND account_id = ? AND "
        "revoked_at IS NULL",
        {now, session_id, account_key});
    if (!r) return r.take_error();
    found = r->affected == 1;
    return {};
  });
  if (!status) return status;
  if (!found) return core::make_error(core::ErrorCode::not_found, "No such session.");
  return {};
}

core::Status Sessions::revoke_all(int64_t account_key, core::Timestamp now,
                                  int64_t except_session_key) {
  return db_.transact([&](db::Connection& c) -> core::Status {
    auto r = c.query(
        "UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND id <> ? AND revoked_at IS "
        "NULL",
        {now, account_key, except_session_key});
    if (!r) return r.take_error();
    return {};
  });
}

core::Result<std::vector<Session>> Sessions::list(int64_t account_key, core::Timestamp now) const {
  auto rows = db_.query(std::string(kSelect) +
                            "WHERE s.account_id = ? AND s.revoked_at IS NULL AND s.expires_at > ? "
                            "ORDER BY s.id DESC",
                        {account_key, now});
  if (!rows) return rows.take_error();
  std::vector<Session> out;
  for (const auto& r : *rows) {
    Session s = read(r);
    if (now.ms - s.last_seen_at.ms < s.idle_ms) out.push_back(std::move(s));
  }
  return out;
}

core::Status Sessions::reauthenticated(int64_t session_key, core::Timestamp now) {
  return core::status_of(db::execute(db_, "UPDATE sessions SET authenticated_at = ? WHERE id = ?",
                                     {now, session_key}));
}

}  // namespace balai::security
