#pragma once
// Bearer tokens for machines (DESIGN.md: device and integrator roles): a sensor posting readings,
// an Open311 client, another government system. Created by an administrator (`balai token
// create` or the console), shown once, stored as a digest, optionally expiring, revocable.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "db/database.h"
#include "security/actor.h"

namespace balai::security {

// Every API token starts with this, so a leaked one is recognisable (and secret scanners can
// be taught the pattern).
inline constexpr std::string_view kApiTokenPrefix = "bt_";

struct ApiToken {
  int64_t key = 0;
  std::string id;  // external id (UUIDv7): what lists show and revoke takes
  std::string name;
  Role role = Role::integrator;
  std::string agency;
  core::Timestamp created_at;
  std::optional<core::Timestamp> expires_at;
  std::optional<core::Timestamp> revoked_at;
  std::optional<core::Timestamp> last_used_at;
};

struct NewApiToken {
  std::string name;              // what it is for: "Open311 LAPOR! bridge", "AWS-07 Kali Madiun"
  Role role = Role::integrator;  // device or integrator
  std::string agency;            // optional agency scope
  std::optional<int> expires_days;
};

struct CreatedApiToken {
  std::string token;  // shown once
  ApiToken info;
};

// Thread-safe; every call blocks on the database.
class ApiTokens {
 public:
  explicit ApiTokens(db::Database& db) : db_(db) {}

  // validation_failed for a role other than device/integrator, an empty or over-long name
  // (1..100 characters), or expires_days outside 1..3650.
  [[nodiscard]] core::Result<CreatedApiToken> create(const NewApiToken& request,
                                                     core::Timestamp now);
  // The live token for a presented secret: nullopt when unknown, revoked or expired.
  // Records last_used_at at most once a minute.
  [[nodiscard]] core::Result<std::optional<ApiToken>> resolve(std::string_view token,
                                                              core::Timestamp now);
  // Every token, newest first (revoked and expired ones too, for the record).
  [[nodiscard]] core::Result<std::vector<ApiToken>> list() const;
  // not_found when no token has this id; revoking twice is not an error.
  [[nodiscard]] core::Status revoke(std::string_view id, core::Timestamp now);

 private:
  db::Database& db_;
};

}  // namespace balai::security
