#include "security/reencryption.h"

#include <utility>

namespace balai::security {

std::vector<EncryptedColumn> security_encrypted_columns() {
  return {
      {"accounts", "display_name", "external_id", "accounts.display_name/"},
      {"accounts", "email", "external_id", "accounts.email/"},
      {"accounts", "totp_secret", "external_id", "accounts.totp_secret/"},
      {"sessions", "client", "external_id", "sessions.client/"},
  };
}

namespace {

struct Update {
  int64_t id;
  db::Blob old_value;
  db::Blob new_value;
};

core::Status reencrypt_column(db::Database& db, const FieldCipher& cipher,
                              const EncryptedColumn& col, size_t batch,
                              ReencryptionReport& report) {
  const std::string select = "SELECT id, " + col.context_column + ", " + col.column + " FROM " +
                             col.table + " WHERE id > ? AND " + col.column +
                             " IS NOT NULL ORDER BY id LIMIT ?";
  const std::string update =
      "UPDATE " + col.table + " SET " + col.column + " = ? WHERE id = ? AND " + col.column + " = ?";
  int64_t after = 0;
  for (;;) {
    auto rows = db.query(select, {after, static_cast<int64_t>(batch)});
    if (!rows) return rows.take_error();
    if (rows->empty()) return {};
    std::vector<Update> updates;
    for (const auto& r : *rows) {
      after = r.int64(0);
      ++report.examined;
      const db::Blob& sealed = r.blob(2);
      if (!cipher.needs_reencryption(sealed)) continue;
      const std::string context = col.context_prefix + r.text(1);
      auto plain = cipher.decrypt(sealed, context);
      if (!plain) {
        ++report.unreadable;
        continue;
      }
      updates.push_back(Update{after, sealed, cipher.encrypt(*plain, context)});
    }
    if (updates.empty()) continue;
    int64_t done = 0;
    auto status = db.transact([&](db::Connection& c) -> core::Status {
      done = 0;
      for (const auto& u : updates) {
        auto r = c.query(update, {u.new_value, u.id, u.old_value});
        if (!r) return r.take_error();
        done += r->affected;
      }
      return {};
    });
    if (!status) return status;
    report.reencrypted += done;
    report.skipped += static_cast<int64_t>(updates.size()) - done;
  }
}

}  // namespace

core::Result<ReencryptionReport> reencrypt(db::Database& db, const FieldCipher& cipher,
                                           const std::vector<EncryptedColumn>& columns,
                                           size_t batch) {
  ReencryptionReport report;
  for (const auto& col : columns) BALAI_TRY(reencrypt_column(db, cipher, col, batch, report));
  return report;
}

}  // namespace balai::security
