#pragma once
// Security events: what intrusion detection found and what the defences refused (a locked
// account, a banned address, a blocked WAF hit, a forged form). Stored for the administrators'
// console and counted on the public transparency page. They hold addresses and opaque account
// keys, never personal data.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "db/database.h"
#include "security/ids/detector.h"

namespace balai::security {

struct SecurityEvent {
  std::string id;  // external id
  core::Timestamp at;
  std::string type;  // ids finding types, "account_locked", "source_banned", "waf_blocked", ...
  ids::Severity severity = ids::Severity::info;
  std::string source;   // client address or ""
  std::string account;  // account external id or opaque key, or ""
  std::string detail;   // counts and rule ids; never personal data
  std::optional<core::Timestamp> acknowledged_at;
  std::string acknowledged_by;
};

struct EventQuery {
  std::optional<ids::Severity> min_severity;
  bool unacknowledged_only = false;
  int limit = 50;  // 1..500
  int offset = 0;
};

// Thread-safe; blocks on the database.
class SecurityEvents {
 public:
  explicit SecurityEvents(db::Database& db) : db_(db) {}

  // Stores an event (gives it an id when it has none).
  [[nodiscard]] core::Status record(SecurityEvent event);
  // Newest first.
  [[nodiscard]] core::Result<std::vector<SecurityEvent>> list(const EventQuery& query) const;
  [[nodiscard]] core::Result<int64_t> count_unacknowledged(ids::Severity min_severity) const;
  // not_found for an unknown id; acknowledging twice keeps the first.
  [[nodiscard]] core::Status acknowledge(std::string_view id, std::string_view by,
                                         core::Timestamp now);

 private:
  db::Database& db_;
};

std::optional<ids::Severity> parse_severity(std::string_view text);

}  // namespace balai::security
