#include "support/databases.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "core/ids.h"

namespace balai::testing {
namespace fs = std::filesystem;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what);
}

// A fresh folder under the system's temporary folder.
std::string make_temp_dir() {
  const fs::path base = fs::temp_directory_path();
  for (int attempt = 0; attempt < 16; ++attempt) {
    const fs::path dir = base / ("balai-test-" + core::random_hex_id().substr(0, 16));
    std::error_code ec;
    if (fs::create_directory(dir, ec)) return dir.string();
  }
  fail("cannot create a temporary folder under " + base.string());
}

// The URL with one more query parameter.
std::string with_url_param(const std::string& url, const std::string& param) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + param;
}

}  // namespace

std::vector<std::string> test_database_backends() {
  return {"sqlite", "postgresql"};
}

bool database_backend_available(std::string_view backend) {
  return backend == "sqlite" || (backend == "postgresql" && !env("BALAI_TEST_PG").empty());
}

std::string source_dir() {
  if (auto dir = env("BALAI_SOURCE_DIR"); !dir.empty()) return dir;
  std::error_code ec;
  for (fs::path p = fs::current_path(ec); !ec && !p.empty(); p = p.parent_path()) {
    if (fs::exists(p / "src" / "core" / "time.h", ec)) return p.string();
    if (p == p.parent_path()) break;
  }
  return "../../..";
}

TempDatabase::TempDatabase(std::string_view backend, const db::OpenOptions& options)
    : backend_(backend) {
  if (backend_ == "sqlite") {
    sqlite_dir_ = make_temp_dir();
    url_ = "sqlite:" + (fs::path(sqlite_dir_) / "test.db").string();
  } else if (backend_ == "postgresql") {
    const std::string base = env("BALAI_TEST_PG");
    if (base.empty()) fail("BALAI_TEST_PG is not set; cannot open a PostgreSQL test database");
    auto admin = db::open_database(base, db::OpenOptions{.readers = 1});
    if (!admin) fail("cannot open BALAI_TEST_PG: " + admin.error().message);
    admin_ = std::move(admin).value();
    // Lower-case letters and digits only: a valid identifier that needs no quoting.
    pg_schema_ = "balai_test_" + core::random_hex_id().substr(0, 20);
    auto created = admin_->transact(
        [&](db::Connection& c) { return c.execute_script("CREATE SCHEMA " + pg_schema_); });
    if (!created) fail("cannot create schema " + pg_schema_ + ": " + created.error().message);
    url_ = with_url_param(base, "options=-csearch_path%3D" + pg_schema_);
  } else {
    fail("unknown test database backend: " + backend_);
  }
  try {
    reopen(options);
  } catch (...) {
    remove_storage();  // the destructor does not run when the constructor throws
    throw;
  }
}

TempDatabase::~TempDatabase() {
  remove_storage();
}

void TempDatabase::remove_storage() {
  db_.reset();  // close every connection before the files or the schema go
  if (!sqlite_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(sqlite_dir_, ec);
  }
  if (admin_) {
    auto dropped = admin_->transact([&](db::Connection& c) {
      return c.execute_script("DROP SCHEMA IF EXISTS " + pg_schema_ + " CASCADE");
    });
    if (!dropped)
      ADD_FAILURE() << "cannot drop test schema " << pg_schema_ << ": " << dropped.error().message;
    admin_.reset();
  }
}

db::Database& TempDatabase::reopen(const db::OpenOptions& options) {
  db_.reset();
  auto opened = db::open_database(url_, options);
  if (!opened) fail("cannot open test database " + url_ + ": " + opened.error().message);
  db_ = std::move(opened).value();
  return *db_;
}

std::string backend_test_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace balai::testing
