#include "security/audit.h"

#include <fmt/format.h>
#include <sodium.h>

#include <vector>

#include "core/ids.h"

namespace balai::security {
namespace {

constexpr std::string_view kGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";
constexpr std::string_view kLockSql = "SELECT pg_advisory_xact_lock(7355609)";

void put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += '\n';
}

std::string checkpoint_message(int64_t seq, const std::string& hash, core::Timestamp at) {
  return fmt::format("balai-audit-checkpoint\n{}\n{}\n{}", seq, hash, at.ms);
}

std::optional<std::vector<uint8_t>> from_hex(std::string_view hex) {
  std::vector<uint8_t> out(hex.size() / 2);
  size_t len = 0;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != out.size())
    return std::nullopt;
  return out;
}

core::Status ok_or(const core::Result<db::Rows>& r) {
  if (!r) return r.error();
  return {};
}

}  // namespace

std::string audit_hash(const std::string& prev_hash, int64_t seq, const AuditEntry& e) {
  std::string canonical;
  put(canonical, prev_hash);
  put(canonical, std::to_string(seq));
  put(canonical, std::to_string(e.at.ms));
  for (const std::string* f : {&e.actor, &e.actor_role, &e.action, &e.object_type, &e.object_id,
                               &e.subject, &e.purpose, &e.request_id})
    put(canonical, *f);
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(canonical.data()),
                     canonical.size());
  return core::to_hex(digest);
}

core::Status AuditLog::write_checkpoint(db::Connection& conn, int64_t seq, const std::string& hash,
                                        core::Timestamp at) const {
  const std::string message = checkpoint_message(seq, hash, at);
  const auto signature = keyring_.sign(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(message.data()), message.size()));
  return ok_or(
      conn.query("INSERT INTO audit_checkpoints (seq, hash, at, signature) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (seq) DO NOTHING",
                 {seq, hash, at, core::to_hex(signature)}));
}

core::Status AuditLog::append(db::Connection& conn, const AuditEntry& entry) const {
  if (conn.dialect() == db::Dialect::postgresql) BALAI_TRY(ok_or(conn.query(kLockSql)));
  auto head = conn.query("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1");
  if (!head) return head.take_error();
  const int64_t seq = head->empty() ? 1 : (*head)[0].int64(0) + 1;
  const std::string prev = head->empty() ? std::string(kGenesis) : (*head)[0].text(1);
  const std::string hash = audit_hash(prev, seq, entry);
  BALAI_TRY(ok_or(conn.query(
      "INSERT INTO audit_entries (seq, at, actor, actor_role, action, object_type, object_id, "
      "subject, purpose, request_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {seq, entry.at, entry.actor, entry.actor_role, entry.action, entry.object_type,
       entry.object_id, entry.subject, entry.purpose, entry.request_id, prev, hash})));
  if (checkpoint_every_ > 0 && seq % checkpoint_every_ == 0)
    BALAI_TRY(write_checkpoint(conn, seq, hash, entry.at));
  return {};
}

core::Status AuditLog::append(db::Database& db, const AuditEntry& entry) const {
  return db.transact([&](db::Connection& c) { return append(c, entry); });
}

core::Status AuditLog::checkpoint(db::Database& db, core::Timestamp now) const {
  return db.transact([&](db::Connection& c) -> core::Status {
    if (c.dialect() == db::Dialect::postgresql) BALAI_TRY(ok_or(c.query(kLockSql)));
    auto head = c.query("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1");
    if (!head) return head.take_error();
    if (head->empty()) return {};
    return write_checkpoint(c, (*head)[0].int64(0), (*head)[0].text(1), now);
  });
}

core::Result<std::optional<AuditCheckpoint>> AuditLog::latest_checkpoint(db::Database& db) const {
  auto rows =
      db.query("SELECT seq, hash, at, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT 1");
  if (!rows) return rows.take_error();
  if (rows->empty()) return std::optional<AuditCheckpoint>{};
  const auto& r = (*rows)[0];
  return std::optional<AuditCheckpoint>{
      AuditCheckpoint{r.int64(0), r.text(1), r.timestamp(2), r.text(3),
                      core::to_hex(keyring_.signing_public_key())}};
}

core::Result<AuditVerification> AuditLog::verify(db::Database& db) const {
  AuditVerification v;
  auto fail = [&v](int64_t seq, std::string problem) {
    v.ok = false;
    v.first_bad_seq = seq;
    v.problem = std::move(problem);
    return v;
  };
  auto rows = db.query(
      "SELECT seq, at, actor, actor_role, action, object_type, object_id, subject, purpose, "
      "request_id, prev_hash, hash FROM audit_entries ORDER BY seq");
  if (!rows) return rows.take_error();
  std::string prev(kGenesis);
  std::vector<std::string> hashes;  // hashes[seq - 1]
  int64_t expected = 1;
  for (const auto& r : *rows) {
    const int64_t seq = r.int64(0);
    if (seq != expected)
      return fail(expected, fmt::format("entry {} is missing (next is {})", expected, seq));
    AuditEntry e{r.timestamp(1), r.text(2), r.text(3), r.text(4), r.text(5),
                 r.text(6),      r.text(7), r.text(8), r.text(9)};
    if (r.text(10) != prev)
      return fail(seq, "it does not follow the entry before it (removed or reordered)");
    const std::string hash = audit_hash(prev, seq, e);
    if (r.text(11) != hash) return fail(seq, "its content does not match its hash (edited)");
    hashes.push_back(hash);
    prev = hash;
    ++expected;
  }
  v.entries = expected - 1;

  auto checkpoints =
      db.query("SELECT seq, hash, at, signature FROM audit_checkpoints ORDER BY seq");
  if (!checkpoints) return checkpoints.take_error();
  const auto public_key = keyring_.signing_public_key();
  for (const auto& c : *checkpoints) {
    const int64_t seq = c.int64(0);
    const std::string message = checkpoint_message(seq, c.text(1), c.timestamp(2));
    const auto signature = from_hex(c.text(3));
    if (!signature || !KeyRing::verify_signature(
                          public_key,
                          std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(message.data()),
                                                   message.size()),
                          *signature))
      return fail(seq, fmt::format("the checkpoint at entry {} has a bad signature", seq));
    if (seq < 1 || seq > v.entries)
      return fail(v.entries + 1,
                  fmt::format("entries after {} were removed (a checkpoint covers entry {})",
                              v.entries, seq));
    if (hashes[static_cast<size_t>(seq - 1)] != c.text(1))
      return fail(
          seq, fmt::format("the chain no longer matches the signed checkpoint at entry {}", seq));
    ++v.checkpoints;
  }
  return v;
}

}  // namespace balai::security

namespace balai::security {
namespace {

constexpr std::string_view kReadColumns =
    "SELECT at, actor, actor_role, action, object_type, object_id, subject, purpose, request_id "
    "FROM audit_entries ";

std::vector<AuditEntry> read_entries(const db::Rows& rows) {
  std::vector<AuditEntry> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back(AuditEntry{r.timestamp(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5),
                             r.text(6), r.text(7), r.text(8)});
  return out;
}

}  // namespace

core::Result<std::vector<AuditEntry>> AuditLog::personal_data_reads_of(db::Database& db,
                                                                       std::string_view subject,
                                                                       int limit) const {
  // The index on (subject, at) finds one person's entries; the action filter is cheap on them.
  auto rows = db.query(std::string(kReadColumns) +
                           "WHERE subject = ? AND action LIKE '%.personal_data.read' "
                           "ORDER BY seq DESC LIMIT ?",
                       {subject, int64_t{limit}});
  if (!rows) return rows.take_error();
  return read_entries(*rows);
}

core::Result<std::vector<AuditEntry>> AuditLog::personal_data_reads_since(
    db::Database& db, core::Timestamp since) const {
  auto rows = db.query(std::string(kReadColumns) +
                           "WHERE at >= ? AND action LIKE '%.personal_data.read' ORDER BY seq",
                       {since});
  if (!rows) return rows.take_error();
  return read_entries(*rows);
}

}  // namespace balai::security
