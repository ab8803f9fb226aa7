#pragma once
// Schema migrations. Each module ships numbered SQL files (migrations/NNN_name.sql, with
// .sqlite.sql / .pg.sql variants where the dialects differ) that the build embeds in the binary.
// Applied migrations are recorded with a checksum; a migration edited after it was applied
// stops start-up, because the database no longer matches what the code believes.

#include <string>
#include <vector>

#include "core/result.h"
#include "db/database.h"

namespace balai::db {

struct Migration {
  std::string module;  // "catalog"
  int version = 0;     // 1, 2, ... from the file name
  std::string name;    // "catalog_tables"
  std::string sqlite_sql;
  std::string postgres_sql;

  const std::string& sql(Dialect d) const {
    return d == Dialect::sqlite ? sqlite_sql : postgres_sql;
  }
};

struct MigrationReport {
  std::vector<std::string> applied;  // "catalog/001_catalog_tables"
  int already_applied = 0;
};

// Applies every migration not yet applied, module by module in the order given, versions
// ascending, each in its own transaction. Fails (and applies nothing further) when an applied
// migration's checksum differs, naming it, or when the database is newer than the program.
// Safe to run from several instances at once: on PostgreSQL each step holds an advisory lock
// and re-reads what is applied. Blocks.
[[nodiscard]] core::Result<MigrationReport> migrate(Database& db,
                                                    const std::vector<Migration>& migrations);

// Checks without changing anything: fails when a migration is pending, when an applied one
// changed, or when the database holds migrations this program does not know (it is newer).
// `balai serve --no-migrate` uses it so a stale schema never serves requests.
[[nodiscard]] core::Status check_migrations(Database& db, const std::vector<Migration>& migrations);

// SHA-256 hex of a migration's SQL for the database's dialect.
std::string migration_checksum(const Migration& m, Dialect dialect);

}  // namespace balai::db
