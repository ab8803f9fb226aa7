#pragma once
// Fresh, empty databases for tests, on every backend the environment offers.
//
// SQLite always; PostgreSQL too when BALAI_TEST_PG names a database
// (e.g. postgresql://postgres@127.0.0.1:5433/balai_test). Each TempDatabase gets its own
// SQLite file in a fresh temporary folder, or its own PostgreSQL schema with a random name, so
// tests are isolated from each other and may run in parallel.
//
// A store test is written once and runs on each backend:
//
//   class ComplaintStoreTest : public balai::testing::DatabaseTest {};
//   TEST_P(ComplaintStoreTest, FindsAComplaintByTrackingNumber) { ... db() ... }
//   BALAI_INSTANTIATE_DATABASE_TESTS(ComplaintStoreTest);
//
// The backends are chosen when the test binary lists its tests. gtest_discover_tests lists them
// right after the build, so BALAI_TEST_PG must be set in the environment of the build as well as
// of ctest for the PostgreSQL instances to be registered.
//
// Inside namespace balai, `testing::` names balai::testing: write GoogleTest's as `::testing::`.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"

namespace balai::testing {

// Every backend: {"sqlite", "postgresql"}. Suites are always instantiated for both, so the
// list of tests does not depend on the environment at build time (ctest discovers tests right
// after the build); a PostgreSQL test skips itself when BALAI_TEST_PG is not set.
std::vector<std::string> test_database_backends();

// True for "sqlite", and for "postgresql" when BALAI_TEST_PG names a database.
bool database_backend_available(std::string_view backend);

// The project's source folder: BALAI_SOURCE_DIR, else the nearest folder above the working
// directory that holds src/core, else "../../.." (the source root seen from build/<dir>/tests).
std::string source_dir();

class TempDatabase {
 public:
  // Opens a fresh empty database on `backend` ("sqlite" or "postgresql"). Throws
  // std::runtime_error when it cannot (so a fixture's SetUp reports the failure).
  explicit TempDatabase(std::string_view backend, const db::OpenOptions& options = {});
  ~TempDatabase();
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  db::Database& db() { return *db_; }
  // The URL the database was opened with (sqlite:/tmp/... or postgresql://...?options=...).
  std::string url() const { return url_; }
  const std::string& backend() const { return backend_; }

  // Closes the database and opens it again from its URL: what survives was made durable.
  db::Database& reopen(const db::OpenOptions& options = {});

 private:
  void remove_storage();

  std::string backend_;
  std::string url_;
  std::string sqlite_dir_;               // SQLite: the temporary folder, removed at the end
  std::string pg_schema_;                // PostgreSQL: the schema, dropped at the end
  std::unique_ptr<db::Database> admin_;  // PostgreSQL: creates and drops the schema
  std::unique_ptr<db::Database> db_;
};

// The base of a test suite that runs once per backend; the parameter is the backend name.
// Each test gets a fresh empty database.
class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  // A derived SetUp calls this first and returns when IsSkipped().
  void SetUp() override {
    if (!database_backend_available(GetParam()))
      GTEST_SKIP() << "set BALAI_TEST_PG to run on PostgreSQL";
    temp_ = std::make_unique<TempDatabase>(GetParam());
  }
  void TearDown() override { temp_.reset(); }

  db::Database& db() { return temp_->db(); }
  TempDatabase& temp() { return *temp_; }
  bool on_sqlite() const { return GetParam() == "sqlite"; }

 private:
  std::unique_ptr<TempDatabase> temp_;
};

// "sqlite" / "postgresql" as the parameter's part of a test name.
std::string backend_test_name(const ::testing::TestParamInfo<std::string>& info);

}  // namespace balai::testing

// Instantiates a DatabaseTest-derived suite once per backend:
// Backends/Suite.Test/sqlite, Backends/Suite.Test/postgresql.
#define BALAI_INSTANTIATE_DATABASE_TESTS(suite)                                             \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                                 \
                           ::testing::ValuesIn(::balai::testing::test_database_backends()), \
                           ::balai::testing::backend_test_name)
