#include "security/api_tokens.h"

#include "core/ids.h"
#include "core/text.h"
#include "security/secret_token.h"

namespace balai::security {
namespace {

constexpr std::string_view kSelect =
    "SELECT id, external_id, name, role, agency_code, created_at, expires_at, revoked_at, "
    "last_used_at FROM api_tokens ";
constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
constexpr int64_t kTouchEveryMs = 60 * 1000;

std::optional<core::Timestamp> opt_time(const db::Row& r, size_t i) {
  if (r.is_null(i)) return std::nullopt;
  return r.timestamp(i);
}

ApiToken read(const db::Row& r) {
  ApiToken t;
  t.key = r.int64(0);
  t.id = r.text(1);
  t.name = r.text(2);
  t.role = parse_role(r.text(3)).value_or(Role::integrator);
  t.agency = r.text(4);
  t.created_at = r.timestamp(5);
  t.expires_at = opt_time(r, 6);
  t.revoked_at = opt_time(r, 7);
  t.last_used_at = opt_time(r, 8);
  return t;
}

}  // namespace

core::Result<CreatedApiToken> ApiTokens::create(const NewApiToken& in, core::Timestamp now) {
  core::Error invalid{core::ErrorCode::validation_failed, "The token request is not valid.", {}};
  const std::string name(core::trim(in.name));
  if (name.empty() || core::utf8_length(name) > 100 || !core::is_valid_utf8(name))
    invalid.fields["name"] = "required, 1 to 100 characters";
  if (in.role != Role::device && in.role != Role::integrator)
    invalid.fields["role"] = "must be device or integrator";
  if (in.expires_days && (*in.expires_days < 1 || *in.expires_days > 3650))
    invalid.fields["expires"] = "1 to 3650 days";
  if (in.agency.size() > 64) invalid.fields["agency"] = "too long";
  if (!invalid.fields.empty()) return invalid;

  CreatedApiToken out;
  out.token = new_secret_token(kApiTokenPrefix);
  ApiToken& t = out.info;
  t.id = core::new_uuid_v7(now);
  t.name = name;
  t.role = in.role;
  t.agency = in.agency;
  t.created_at = now;
  if (in.expires_days) t.expires_at = core::Timestamp{now.ms + *in.expires_days * kDayMs};
  auto status = db_.transact([&](db::Connection& c) -> core::Status {
    auto r = c.query(
        "INSERT INTO api_tokens (external_id, token_hash, name, role, agency_code, created_at, "
        "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {t.id, token_digest(out.token), t.name, to_string(t.role), t.agency, now, t.expires_at});
    if (!r) return r.take_error();
    t.key = (*r)[0].int64(0);
    return {};
  });
  if (!status) return status.take_error();
  return out;
}

core::Result<std::optional<ApiToken>> ApiTokens::resolve(std::string_view token,
                                                         core::Timestamp now) {
  if (!looks_like_token(token, kApiTokenPrefix)) return std::optional<ApiToken>{};
  auto rows = db_.query(std::string(kSelect) + "WHERE token_hash = ? AND revoked_at IS NULL",
                        {token_digest(token)});
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<ApiToken>{};
  ApiToken t = read((*rows)[0]);
  if (t.expires_at && now >= *t.expires_at) return std::optional<ApiToken>{};
  if (!t.last_used_at || now.ms - t.last_used_at->ms >= kTouchEveryMs) {
    auto touched =
        db::execute(db_, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {now, t.key});
    if (!touched) return touched.take_error();
    t.last_used_at = now;
  }
  return std::optional<ApiToken>{std::move(t)};
}

core::Result<std::vector<ApiToken>> ApiTokens::list() const {
  auto rows = db_.query(std::string(kSelect) + "ORDER BY id DESC");
  if (!rows) return rows.take_error();
  std::vector<ApiToken> out;
  for (const auto& r : *rows) out.push_back(read(r));
  return out;
}

core::Status ApiTokens::revoke(std::string_view id, core::Timestamp now) {
  bool found = false;
  auto status = db_.transact([&](db::Connection& c) -> core::Status {
    auto known = c.query("SELECT 1 FROM api_tokens WHERE external_id = ?", {id});
    if (!known) return known.take_error();
    found = !known->empty();
    if (!found) return {};
    auto r =
        c.query("UPDATE api_tokens SET revoked_at = ? WHERE external_id = ? AND revoked_at IS NULL",
                {now, id});
    if (!r) return r.take_error();
    return {};
  });
  if (!status) return status;
  if (!found) return core::make_error(core::ErrorCode::not_found, "No such token.");
  return {};
}

}  // namespace balai::security
