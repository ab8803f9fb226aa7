#include "db/migrator.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/databases.h"

namespace balai::db {
namespace {

using core::ErrorCode;

Migration make_migration(int version, std::string name, std::string sql) {
  Migration m;
  m.module = "test";
  m.version = version;
  m.name = std::move(name);
  m.sqlite_sql = sql;
  m.postgres_sql = std::move(sql);
  return m;
}

std::vector<Migration> two_migrations() {
  return {
      make_migration(1, "offices",
                     "CREATE TABLE test_offices (id INTEGER PRIMARY KEY, name TEXT);"),
      // Depends on the first: it only works when applied after it.
      make_migration(2, "seed_offices",
                     "INSERT INTO test_offices (id, name) VALUES (1, 'Dinas Kependudukan');"),
  };
}

class MigratorTest : public testing::DatabaseTest {
 protected:
  // (module, version, name, checksum) rows recorded, ordered.
  std::vector<std::vector<std::string>> recorded() {
    auto r = db().query(
        "SELECT module, version, name, checksum FROM schema_migrations ORDER BY module, version");
    EXPECT_TRUE(r.ok());
    std::vector<std::vector<std::string>> out;
    if (!r.ok()) return out;
    for (const Row& row : *r)
      out.push_back({row.text(0), std::to_string(row.int64(1)), row.text(2), row.text(3)});
    return out;
  }

  bool table_exists(const std::string& table) {
    // A query on a missing table fails on both backends.
    return db().query("SELECT COUNT(*) FROM " + table).ok();
  }
};

TEST_P(MigratorTest, AppliesMigrationsInOrder) {
  auto report = migrate(db(), two_migrations());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->applied,
            (std::vector<std::string>{"test/001_offices", "test/002_seed_offices"}));
  EXPECT_EQ(report->already_applied, 0);
  auto rows = db().query("SELECT name FROM test_offices");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].text(0), "Dinas Kependudukan");
}

TEST_P(MigratorTest, RecordsEachMigrationWithItsChecksum) {
  const auto migrations = two_migrations();
  ASSERT_TRUE(migrate(db(), migrations).ok());
  const auto rows = recorded();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"test", "1", "offices",
                                               migration_checksum(migrations[0], db().dialect())}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"test", "2", "seed_offices",
                                               migration_checksum(migrations[1], db().dialect())}));
}

TEST_P(MigratorTest, SecondRunAppliesNothing) {
  ASSERT_TRUE(migrate(db(), two_migrations()).ok());
  auto again = migrate(db(), two_migrations());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->already_applied, 2);
  auto rows = db().query("SELECT COUNT(*) FROM test_offices");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].int64(0), 1);  // the seed ran once
}

TEST_P(MigratorTest, AppliesOnlyTheNewMigrationLater) {
  auto first = two_migrations();
  first.pop_back();
  ASSERT_TRUE(migrate(db(), first).ok());
  auto report = migrate(db(), two_migrations());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->applied, (std::vector<std::string>{"test/002_seed_offices"}));
  EXPECT_EQ(report->already_applied, 1);
}

TEST_P(MigratorTest, AnEmptyListCreatesOnlyTheBookkeepingTable) {
  auto report = migrate(db(), {});
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->applied.empty());
  EXPECT_TRUE(recorded().empty());
}

TEST_P(MigratorTest, ChangedMigrationIsAnErrorNamingIt) {
  ASSERT_TRUE(migrate(db(), two_migrations()).ok());
  auto edited = two_migrations();
  edited[1].sqlite_sql += "\n-- edited";
  edited[1].postgres_sql += "\n-- edited";
  auto report = migrate(db(), edited);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::conflict);
  EXPECT_NE(report.error().message.find("test/002_seed_offices"), std::string::npos)
      << report.error().message;
}

TEST_P(MigratorTest, ChangedMigrationStopsTheOnesAfterIt) {
  auto first = two_migrations();
  first.pop_back();
  ASSERT_TRUE(migrate(db(), first).ok());
  auto edited = two_migrations();
  edited[0].sqlite_sql += " ";
  edited[0].postgres_sql += " ";
  ASSERT_FALSE(migrate(db(), edited).ok());
  EXPECT_EQ(recorded().size(), 1u);  // 002 was not applied
}

TEST_P(MigratorTest, FailingMigrationIsAnErrorNamingIt) {
  auto migrations = two_migrations();
  migrations.push_back(make_migration(3, "broken", "CREATE TABLE test_broken (;"));
  auto report = migrate(db(), migrations);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("test/003_broken"), std::string::npos)
      << report.error().message;
}

TEST_P(MigratorTest, FailingMigrationIsNotRecorded) {
  auto migrations = two_migrations();
  migrations.push_back(make_migration(3, "broken", "CREATE TABLE test_broken (;"));
  ASSERT_FALSE(migrate(db(), migrations).ok());
  const auto rows = recorded();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][1], "2");
}

TEST_P(MigratorTest, FailingMigrationLeavesNoPartialChanges) {
  // The first statement works, the second fails: the first must be rolled back with it.
  ASSERT_FALSE(migrate(db(), {make_migration(1, "half",
                                             "CREATE TABLE test_half (id INTEGER);\n"
                                             "INSERT INTO test_no_such_table VALUES (1);")})
                   .ok());
  EXPECT_FALSE(table_exists("test_half"));
}

TEST_P(MigratorTest, FailingMigrationStopsTheOnesAfterIt) {
  std::vector<Migration> migrations{
      make_migration(1, "broken", "CREATE TABLE test_broken (;"),
      make_migration(2, "later", "CREATE TABLE test_later (id INTEGER);"),
  };
  ASSERT_FALSE(migrate(db(), migrations).ok());
  EXPECT_FALSE(table_exists("test_later"));
}

TEST_P(MigratorTest, UsesTheVariantOfTheDatabasesDialect) {
  Migration m = make_migration(1, "variant", "");
  m.sqlite_sql = "CREATE TABLE test_sqlite_variant (id INTEGER);";
  m.postgres_sql = "CREATE TABLE test_pg_variant (id INTEGER);";
  ASSERT_TRUE(migrate(db(), {m}).ok());
  EXPECT_EQ(table_exists("test_sqlite_variant"), on_sqlite());
  EXPECT_EQ(table_exists("test_pg_variant"), !on_sqlite());
}

TEST_P(MigratorTest, KeepsModulesApart) {
  Migration a = make_migration(1, "same_version", "CREATE TABLE test_mod_a (id INTEGER);");
  a.module = "alpha";
  Migration b = make_migration(1, "same_version", "CREATE TABLE test_mod_b (id INTEGER);");
  b.module = "beta";
  auto report = migrate(db(), {a, b});
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->applied,
            (std::vector<std::string>{"alpha/001_same_version", "beta/001_same_version"}));
}

BALAI_INSTANTIATE_DATABASE_TESTS(MigratorTest);

TEST(MigrationChecksum, IsTheSha256OfTheDialectsSql) {
  Migration m;
  m.sqlite_sql = "abc";
  m.postgres_sql = "";
  EXPECT_EQ(migration_checksum(m, Dialect::sqlite),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(migration_checksum(m, Dialect::postgresql),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace balai::db
