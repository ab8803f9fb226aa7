#include "db/migrator.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <map>

#include "core/ids.h"
#include "core/log.h"
#include "core/time.h"

namespace balai::db {

std::string migration_checksum(const Migration& m, Dialect dialect) {
  const std::string& sql = m.sql(dialect);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(sql.data(), sql.size(), digest, &len, EVP_sha256(), nullptr);
  return core::to_hex(std::span<const uint8_t>(digest, len));
}

core::Result<MigrationReport> migrate(Database& db, const std::vector<Migration>& migrations) {
  BALAI_TRY(db.transact([](Connection& c) {
    return c.execute_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " module TEXT NOT NULL,"
        " version INTEGER NOT NULL,"
        " name TEXT NOT NULL,"
        " checksum TEXT NOT NULL,"
        " applied_at BIGINT NOT NULL,"
        " PRIMARY KEY (module, version))");
  }));

  auto applied_rows = db.query("SELECT module, version, name, checksum FROM schema_migrations");
  if (!applied_rows) return applied_rows.take_error();
  std::map<std::pair<std::string, int64_t>, std::pair<std::string, std::string>> applied;
  for (const Row& r : *applied_rows) applied[{r.text(0), r.int64(1)}] = {r.text(2), r.text(3)};

  MigrationReport report;
  for (const Migration& m : migrations) {
    const std::string label = fmt::format("{}/{:03}_{}", m.module, m.version, m.name);
    const std::string checksum = migration_checksum(m, db.dialect());
    if (auto it = applied.find({m.module, m.version}); it != applied.end()) {
      if (it->second.second != checksum) {
        return core::make_error(
            core::ErrorCode::conflict,
            fmt::format("migration {} was changed after it was applied (recorded checksum {}, "
                        "now {}); restore the original file and put the change in a new migration",
                        label, it->second.second.substr(0, 12), checksum.substr(0, 12)));
      }
      ++report.already_applied;
      continue;
    }
    const core::Timestamp now = core::SystemClock{}.now();
    auto status = db.transact([&](Connection& c) -> core::Status {
      BALAI_TRY(c.execute_script(m.sql(db.dialect())));
      auto r = c.query(
          "INSERT INTO schema_migrations (module, version, name, checksum, applied_at) "
          "VALUES (?, ?, ?, ?, ?)",
          {m.module, m.version, m.name, checksum, now});
      if (!r) return r.take_error();
      return {};
    });
    if (!status) {
      auto e = status.take_error();
      e.message = fmt::format("migration {} failed: {}", label, e.message);
      return e;
    }
    core::log::info("db.migration_applied", {{"migration", label}});
    report.applied.push_back(label);
  }
  return report;
}

}  // namespace balai::db
