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

namespace {

// Serializes migrations across instances on PostgreSQL (SQLite has one writer already).
constexpr std::string_view kLockSql = "SELECT pg_advisory_xact_lock(7355608)";

core::Status lock_if_shared(Connection& c) {
  if (c.dialect() != Dialect::postgresql) return {};
  auto r = c.query(kLockSql);
  if (!r) return r.take_error();
  return {};
}

std::string label_of(const Migration& m) {
  return fmt::format("{}/{:03}_{}", m.module, m.version, m.name);
}

struct Applied {
  std::string name;
  std::string checksum;
};
using AppliedMap = std::map<std::pair<std::string, int64_t>, Applied>;

core::Status ensure_table(Database& db) {
  return db.transact([](Connection& c) -> core::Status {
    BALAI_TRY(lock_if_shared(c));
    return c.execute_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " module TEXT NOT NULL,"
        " version INTEGER NOT NULL,"
        " name TEXT NOT NULL,"
        " checksum TEXT NOT NULL,"
        " applied_at BIGINT NOT NULL,"
        " PRIMARY KEY (module, version))");
  });
}

core::Result<AppliedMap> read_applied(Database& db) {
  auto rows = db.query("SELECT module, version, name, checksum FROM schema_migrations");
  if (!rows) return rows.take_error();
  AppliedMap applied;
  for (const Row& r : *rows) applied[{r.text(0), r.int64(1)}] = {r.text(2), r.text(3)};
  return applied;
}

// Fails when an applied migration changed or the database knows migrations the program does not.
core::Status compare(const AppliedMap& applied, const std::vector<Migration>& migrations,
                     Dialect dialect) {
  for (const Migration& m : migrations) {
    auto it = applied.find({m.module, m.version});
    if (it == applied.end()) continue;
    const std::string checksum = migration_checksum(m, dialect);
    if (it->second.checksum != checksum) {
      return core::make_error(
          core::ErrorCode::conflict,
          fmt::format(
              "migration {} was changed after it was applied (recorded checksum {}, now {}); "
              "restore the original file and put the change in a new migration",
              label_of(m), it->second.checksum.substr(0, 12), checksum.substr(0, 12)));
    }
  }
  for (const auto& [key, row] : applied) {
    const bool known = std::any_of(migrations.begin(), migrations.end(), [&](const Migration& m) {
      return m.module == key.first && m.version == key.second;
    });
    if (!known) {
      return core::make_error(
          core::ErrorCode::conflict,
          fmt::format("the database holds migration {}/{:03}_{} which this program "
                      "does not know: it is newer than the program; upgrade Balai",
                      key.first, key.second, row.name));
    }
  }
  return {};
}

}  // namespace

core::Status check_migrations(Database& db, const std::vector<Migration>& migrations) {
  BALAI_TRY(ensure_table(db));
  auto applied = read_applied(db);
  if (!applied) return applied.take_error();
  BALAI_TRY(compare(*applied, migrations, db.dialect()));
  for (const Migration& m : migrations) {
    if (!applied->contains({m.module, m.version}))
      return core::make_error(
          core::ErrorCode::conflict,
          fmt::format("migration {} is pending; run `balai migrate`", label_of(m)));
  }
  return {};
}

core::Result<MigrationReport> migrate(Database& db, const std::vector<Migration>& migrations) {
  BALAI_TRY(ensure_table(db));
  auto applied = read_applied(db);
  if (!applied) return applied.take_error();
  BALAI_TRY(compare(*applied, migrations, db.dialect()));

  MigrationReport report;
  for (const Migration& m : migrations) {
    if (applied->contains({m.module, m.version})) {
      ++report.already_applied;
      continue;
    }
    const std::string label = label_of(m);
    const std::string checksum = migration_checksum(m, db.dialect());
    const core::Timestamp now = core::SystemClock{}.now();
    bool applied_elsewhere = false;
    auto status = db.transact([&](Connection& c) -> core::Status {
      BALAI_TRY(lock_if_shared(c));
      // Another instance may have applied it while this one waited for the lock.
      auto again =
          c.query("SELECT checksum FROM schema_migrations WHERE module = ? AND version = ?",
                  {m.module, m.version});
      if (!again) return again.take_error();
      if (!again->empty()) {
        applied_elsewhere = true;
        if ((*again)[0].text(0) != checksum)
          return core::make_error(core::ErrorCode::conflict,
                                  fmt::format("migration {} was applied by another instance with "
                                              "different SQL",
                                              label));
        return {};
      }
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
    if (applied_elsewhere) {
      ++report.already_applied;
      continue;
    }
    core::log::info("db.migration_applied", {{"migration", label}});
    report.applied.push_back(label);
  }
  return report;
}

}  // namespace balai::db
