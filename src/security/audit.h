#pragma once
// The tamper-evident audit log. Entries are appended inside the caller's write transaction,
// each holding the hash of the one before it (a chain numbered 1, 2, 3, ... without gaps); every
// `checkpoint_every` entries an Ed25519-signed checkpoint records the chain's head. verify()
// walks the chain and the checkpoints and names the first entry that was edited, removed or
// reordered; removing entries from the end is caught by the last checkpoint.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "db/database.h"
#include "security/key_ring.h"

namespace balai::security {

// What happened, by whom, to what, and why. No personal data in plain text: subjects and actors
// are external ids, never names or NIKs.
struct AuditEntry {
  core::Timestamp at;
  std::string actor = "system";  // external id of the account, or "system"
  std::string actor_role = "system";
  std::string action;       // "keys.rotate", "identity.citizen.read", ...
  std::string object_type;  // "keyring", "citizen", ...
  std::string object_id;
  std::string subject;  // external id of the citizen whose data was touched ("" if none)
  std::string purpose;  // why staff read personal data ("" if not a read)
  std::string request_id;
};

struct AuditVerification {
  bool ok = true;
  int64_t entries = 0;
  int64_t checkpoints = 0;
  std::optional<int64_t> first_bad_seq;  // the first entry found wrong
  std::string problem;                   // what was wrong with it
};

struct AuditCheckpoint {
  int64_t seq = 0;
  std::string hash;  // hex SHA-256 of the entry at seq
  core::Timestamp at;
  std::string signature;   // hex Ed25519 over "balai-audit-checkpoint\n<seq>\n<hash>\n<at>"
  std::string public_key;  // hex, to publish alongside
};

class AuditLog {
 public:
  // `keyring` signs checkpoints and must outlive the log. Thread-safe (no state of its own).
  explicit AuditLog(const KeyRing& keyring, int checkpoint_every = 100)
      : keyring_(keyring), checkpoint_every_(checkpoint_every) {}

  // Appends inside the caller's transaction (so the entry commits with the change it records).
  // On PostgreSQL it takes an advisory transaction lock so concurrent appends form one chain.
  [[nodiscard]] core::Status append(db::Connection& conn, const AuditEntry& entry) const;

  // Appends in a transaction of its own.
  [[nodiscard]] core::Status append(db::Database& db, const AuditEntry& entry) const;

  // Signs a checkpoint of the current head now (also done every `checkpoint_every` entries).
  [[nodiscard]] core::Status checkpoint(db::Database& db, core::Timestamp now) const;

  // The latest checkpoint, for publication; nullopt when there is none.
  [[nodiscard]] core::Result<std::optional<AuditCheckpoint>> latest_checkpoint(
      db::Database& db) const;

  // Reads of personal data (actions "<type>.personal_data.read"; see data_access.h): about one
  // person newest first (their access log), or everyone's since a time oldest first (counts
  // for the public transparency page). Blocking.
  [[nodiscard]] core::Result<std::vector<AuditEntry>> personal_data_reads_of(
      db::Database& db, std::string_view subject, int limit) const;
  [[nodiscard]] core::Result<std::vector<AuditEntry>> personal_data_reads_since(
      db::Database& db, core::Timestamp since) const;

  // Walks every entry and checkpoint. Blocking; reads the whole log.
  [[nodiscard]] core::Result<AuditVerification> verify(db::Database& db) const;

 private:
  core::Status write_checkpoint(db::Connection& conn, int64_t seq, const std::string& hash,
                                core::Timestamp at) const;

  const KeyRing& keyring_;
  int checkpoint_every_;
};

// Hex SHA-256 of an entry chained to `prev_hash` (fields length-prefixed, so no two different
// entries serialize alike).
std::string audit_hash(const std::string& prev_hash, int64_t seq, const AuditEntry& entry);

}  // namespace balai::security
