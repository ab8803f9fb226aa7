#include "db/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "support/databases.h"

namespace balai::db {
namespace {

using core::ErrorCode;
using core::Status;
using namespace std::string_literals;

// Runs one statement, keeping only whether it worked.
Status exec(Connection& c, std::string_view sql, const Params& params = {}) {
  auto r = c.query(sql, params);
  if (!r) return r.take_error();
  return {};
}

class DatabaseTest : public testing::DatabaseTest {
 protected:
  // Runs statements without parameters in a transaction of their own.
  Status script(const std::string& sql) {
    return db().transact([&](Connection& c) { return c.execute_script(sql); });
  }

  // Runs one statement in a transaction of its own and returns the rows it changed; -1 when
  // it failed.
  int64_t affected_by(std::string_view sql, const Params& params = {}) {
    int64_t affected = -1;
    const Status s = db().transact([&](Connection& c) -> Status {
      auto r = c.query(sql, params);
      if (!r) return r.take_error();
      affected = r->affected;
      return {};
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return affected;
  }

  // A table with a column of each type the stores use.
  void create_values_table() {
    const std::string blob_type = on_sqlite() ? "BLOB" : "BYTEA";
    const Status s = script(
        "CREATE TABLE test_values (id INTEGER PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT, "
        "b " +
        blob_type + ")");
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  void create_names_table() {
    const Status s =
        script("CREATE TABLE test_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  static Status insert_name(Connection& c, int id, std::string name) {
    return exec(c, "INSERT INTO test_names (id, name) VALUES (?, ?)", {id, std::move(name)});
  }

  Status insert_name(int id, std::string name) {
    return db().transact([&](Connection& c) { return insert_name(c, id, name); });
  }

  int64_t count_names() {
    auto r = db().query("SELECT COUNT(*) FROM test_names");
    EXPECT_TRUE(r.ok());
    if (!r.ok() || r->size() != 1) return -1;
    return (*r)[0].int64(0);
  }

  // The name stored under an id, or nullopt when there is none.
  std::optional<std::string> name_of(int id) {
    auto r = db().query("SELECT name FROM test_names WHERE id = ?", {id});
    EXPECT_TRUE(r.ok());
    if (!r.ok() || r->empty()) return std::nullopt;
    return (*r)[0].text(0);
  }

  // Inserts one row of test_values and reads it back; nullopt (and a failure) when it could not.
  std::optional<Row> round_trip(const Value& i, const Value& r, const Value& t, const Value& b) {
    const Status inserted = db().transact([&](Connection& c) {
      return exec(c, "INSERT INTO test_values (id, i, r, t, b) VALUES (?, ?, ?, ?, ?)",
                  {1, i, r, t, b});
    });
    EXPECT_TRUE(inserted.ok()) << inserted.error().message;
    auto rows = db().query("SELECT i, r, t, b FROM test_values WHERE id = ?", {1});
    EXPECT_TRUE(rows.ok());
    if (!rows.ok() || rows->size() != 1) {
      ADD_FAILURE() << "the row did not come back";
      return std::nullopt;
    }
    return (*rows)[0];
  }
};

TEST_P(DatabaseTest, ReportsItsDialect) {
  EXPECT_EQ(db().dialect(), on_sqlite() ? Dialect::sqlite : Dialect::postgresql);
  EXPECT_EQ(to_string(db().dialect()), GetParam());
}

TEST_P(DatabaseTest, PingSucceeds) {
  EXPECT_TRUE(db().ping().ok());
}

TEST_P(DatabaseTest, StoresNullInEveryColumn) {
  create_values_table();
  const auto row = round_trip(nullptr, nullptr, nullptr, nullptr);
  ASSERT_TRUE(row);
  for (size_t i = 0; i < 4; ++i) EXPECT_TRUE(row->is_null(i)) << i;
  EXPECT_EQ(row->opt_int64(0), std::nullopt);
  EXPECT_EQ(row->opt_text(2), std::nullopt);
}

TEST_P(DatabaseTest, StoresTheLargestInteger) {
  create_values_table();
  const int64_t big = std::numeric_limits<int64_t>::max();
  const auto row = round_trip(big, nullptr, nullptr, nullptr);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->int64(0), big);
}

TEST_P(DatabaseTest, StoresTheSmallestInteger) {
  create_values_table();
  const int64_t small = std::numeric_limits<int64_t>::min();
  const auto row = round_trip(small, nullptr, nullptr, nullptr);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->int64(0), small);
}

TEST_P(DatabaseTest, StoresDoublesExactly) {
  create_values_table();
  const auto row = round_trip(nullptr, 0.1, nullptr, nullptr);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->real(1), 0.1);
}

TEST_P(DatabaseTest, StoresUnicodeText) {
  create_values_table();
  const std::string text =
      "Kota Madiun \xe2\x80\x94 \xea\xa6\xa7\xea\xa6\xb1 \xf0\x9f\x98\x80 'q' \"d\" \\";
  const auto row = round_trip(nullptr, nullptr, text, nullptr);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text(2), text);
}

TEST_P(DatabaseTest, StoresEmptyTextAsTextNotNull) {
  create_values_table();
  const auto row = round_trip(nullptr, nullptr, "", nullptr);
  ASSERT_TRUE(row);
  ASSERT_FALSE(row->is_null(2));
  EXPECT_EQ(row->text(2), "");
}

TEST_P(DatabaseTest, StoresBlobsWithZeroBytes) {
  create_values_table();
  const Blob blob{{0x00, 0x01, 0x00, 0xff, 0x5c, 0x78, 0x00}};
  const auto row = round_trip(nullptr, nullptr, nullptr, blob);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->blob(3), blob);
}

TEST_P(DatabaseTest, StoresAnEmptyBlobAsABlobNotNull) {
  create_values_table();
  const auto row = round_trip(nullptr, nullptr, nullptr, Blob{});
  ASSERT_TRUE(row);
  ASSERT_FALSE(row->is_null(3));
  EXPECT_EQ(row->blob(3), Blob{});
}

TEST_P(DatabaseTest, StoresTimestampsAsMilliseconds) {
  create_values_table();
  const core::Timestamp t{1'795'746'600'123};
  const auto row = round_trip(t, nullptr, nullptr, nullptr);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->timestamp(0), t);
}

TEST_P(DatabaseTest, StoresBooleansAsZeroAndOne) {
  create_values_table();
  const auto row = round_trip(true, nullptr, nullptr, nullptr);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->int64(0), 1);
}

TEST_P(DatabaseTest, StoresPresentAndAbsentOptionals) {
  create_values_table();
  const auto row =
      round_trip(std::optional<int64_t>(7), nullptr, std::optional<std::string>(), nullptr);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->opt_int64(0), 7);
  EXPECT_EQ(row->opt_text(2), std::nullopt);
}

TEST_P(DatabaseTest, NamesTheColumnsOfAResult) {
  create_values_table();
  const auto row = round_trip(5, 2.5, "x", nullptr);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->index("i"), 0u);
  EXPECT_EQ(row->index("t"), 2u);
  EXPECT_EQ(row->int64(row->index("i")), 5);
}

TEST_P(DatabaseTest, RealReadsAnIntegerCell) {
  create_values_table();
  const auto row = round_trip(3, nullptr, nullptr, nullptr);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->real(0), 3.0);
}

TEST_P(DatabaseTest, AnAsynchronousTransactionHandsItsResultToDoneAfterTheCommit) {
  create_names_table();
  // Committed: the row is there by the time `done` runs (SQLite: on its writer thread).
  std::promise<std::pair<Status, int64_t>> committed;
  db().transact_async([](Connection& c) { return insert_name(c, 1, "satu"); },
                      [&](Status s) {
                        auto seen = db().query("SELECT COUNT(*) FROM test_names");
                        committed.set_value({std::move(s), seen.ok() ? (*seen)[0].int64(0) : -1});
                      });
  auto [ok, seen] = committed.get_future().get();
  EXPECT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(seen, 1);
  // Refused: `done` gets the error and nothing of the transaction stays.
  std::promise<Status> refused;
  db().transact_async(
      [](Connection& c) -> Status {
        BALAI_TRY(insert_name(c, 2, "dua"));
        return core::make_error(core::ErrorCode::conflict, "changed my mind");
      },
      [&](Status s) { refused.set_value(std::move(s)); });
  const Status r = refused.get_future().get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::conflict);
  EXPECT_EQ(count_names(), 1);
  EXPECT_FALSE(name_of(2).has_value());
}

TEST_P(DatabaseTest, ReturnsRowsInTheRequestedOrder) {
  create_names_table();
  const Status s = db().transact([](Connection& c) -> Status {
    BALAI_TRY(insert_name(c, 2, "b"));
    BALAI_TRY(insert_name(c, 1, "c"));
    return insert_name(c, 3, "a");
  });
  ASSERT_TRUE(s.ok());
  auto rows = db().query("SELECT name FROM test_names ORDER BY name");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].text(0), "a");
  EXPECT_EQ((*rows)[1].text(0), "b");
  EXPECT_EQ((*rows)[2].text(0), "c");
}

TEST_P(DatabaseTest, QueryMatchingNothingReturnsNoRows) {
  create_names_table();
  auto rows = db().query("SELECT name FROM test_names WHERE id = ?", {42});
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

TEST_P(DatabaseTest, InsertReportsTheRowsItAdded) {
  create_names_table();
  EXPECT_EQ(affected_by("INSERT INTO test_names (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')"),
            3);
}

TEST_P(DatabaseTest, UpdateReportsTheRowsItChanged) {
  create_names_table();
  ASSERT_EQ(affected_by("INSERT INTO test_names (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')"),
            3);
  EXPECT_EQ(affected_by("UPDATE test_names SET name = name || '!' WHERE id >= ?", {2}), 2);
}

TEST_P(DatabaseTest, DeleteReportsTheRowsItRemoved) {
  create_names_table();
  ASSERT_EQ(affected_by("INSERT INTO test_names (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')"),
            3);
  EXPECT_EQ(affected_by("DELETE FROM test_names WHERE id = ?", {1}), 1);
}

TEST_P(DatabaseTest, UpdateMatchingNothingReportsZeroRows) {
  create_names_table();
  EXPECT_EQ(affected_by("UPDATE test_names SET name = ? WHERE id = ?", {"x", 99}), 0);
}

TEST_P(DatabaseTest, SelectReportsNoChangedRows) {
  create_names_table();
  ASSERT_TRUE(insert_name(1, "a").ok());
  EXPECT_EQ(affected_by("SELECT name FROM test_names"), 0);
}

TEST_P(DatabaseTest, SchemaChangeReportsNoChangedRows) {
  create_names_table();
  int64_t affected = -1;
  const Status s = db().transact([&](Connection& c) -> Status {
    BALAI_TRY(exec(c, "INSERT INTO test_names (id, name) VALUES (1, 'a'), (2, 'b')"));
    auto r = c.query("CREATE TABLE test_other (x INTEGER)");
    if (!r) return r.take_error();
    affected = r->affected;
    return {};
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(affected, 0);
}

TEST_P(DatabaseTest, CommitsWhenWorkSucceeds) {
  create_names_table();
  const Status s = db().transact([](Connection& c) -> Status {
    BALAI_TRY(insert_name(c, 1, "a"));
    return insert_name(c, 2, "b");
  });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(count_names(), 2);
}

TEST_P(DatabaseTest, RollsBackEverythingWhenWorkReturnsAnError) {
  create_names_table();
  const Status s = db().transact([](Connection& c) -> Status {
    BALAI_TRY(insert_name(c, 1, "a"));
    BALAI_TRY(insert_name(c, 2, "b"));
    return core::make_error(ErrorCode::validation_failed, "changed my mind");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::validation_failed);
  EXPECT_EQ(s.error().message, "changed my mind");
  EXPECT_EQ(count_names(), 0);
}

TEST_P(DatabaseTest, RollsBackWhenWorkThrows) {
  create_names_table();
  const Status s = db().transact([](Connection& c) -> Status {
    BALAI_TRY(insert_name(c, 1, "a"));
    throw std::runtime_error("bug in a store");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::internal);
  EXPECT_EQ(count_names(), 0);
}

TEST_P(DatabaseTest, WorkSeesItsOwnUncommittedWrites) {
  create_names_table();
  int64_t seen = -1;
  const Status s = db().transact([&](Connection& c) -> Status {
    BALAI_TRY(insert_name(c, 1, "a"));
    auto r = c.query("SELECT COUNT(*) FROM test_names");
    if (!r) return r.take_error();
    seen = (*r)[0].int64(0);
    return {};
  });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(seen, 1);
}

TEST_P(DatabaseTest, UniqueViolationIsAConflict) {
  create_names_table();
  ASSERT_TRUE(insert_name(1, "same").ok());
  const Status s = insert_name(2, "same");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::conflict);
}

TEST_P(DatabaseTest, DuplicatePrimaryKeyIsAConflict) {
  create_names_table();
  ASSERT_TRUE(insert_name(1, "a").ok());
  const Status s = insert_name(1, "b");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::conflict);
}

TEST_P(DatabaseTest, ConflictMessageRevealsNoSql) {
  create_names_table();
  ASSERT_TRUE(insert_name(1, "same").ok());
  const Status s = insert_name(2, "same");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message.find("test_names"), std::string::npos) << s.error().message;
}

TEST_P(DatabaseTest, NotNullViolationIsAConflict) {
  create_names_table();
  const Status s = db().transact([](Connection& c) {
    return exec(c, "INSERT INTO test_names (id, name) VALUES (?, ?)", {1, nullptr});
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::conflict);
}

TEST_P(DatabaseTest, SqlErrorIsInternalAndRevealsNoSql) {
  auto r = db().query("SELECT no_such_column FROM no_such_table");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::internal);
  EXPECT_EQ(r.error().message.find("no_such"), std::string::npos) << r.error().message;
}

// The contract: a transaction whose work returns ok is committed. A store may try an insert,
// see the conflict and carry on; the writes it made before must then be kept, or the
// transaction must report that it was not committed. Never "ok" with the writes discarded.
TEST_P(DatabaseTest, ReportsSuccessOnlyWhenTheWritesWereCommitted) {
  create_names_table();
  ASSERT_TRUE(insert_name(1, "taken").ok());
  const Status s = db().transact([](Connection& c) -> Status {
    BALAI_TRY(insert_name(c, 2, "kept"));
    const Status duplicate = insert_name(c, 3, "taken");
    EXPECT_FALSE(duplicate.ok());
    return {};  // the conflict was handled
  });
  const bool kept = name_of(2).has_value();
  EXPECT_EQ(s.ok(), kept) << "transact returned " << (s.ok() ? "ok" : s.error().message)
                          << " but the row is " << (kept ? "present" : "absent");
}

TEST_P(DatabaseTest, ReadersSeeCommittedData) {
  create_names_table();
  ASSERT_TRUE(insert_name(1, "a").ok());
  EXPECT_EQ(name_of(1), "a");
}

TEST_P(DatabaseTest, ReadersDoNotSeeUncommittedData) {
  create_names_table();
  std::promise<void> inserted, may_finish;
  auto may_finish_future = may_finish.get_future();
  std::thread writer([&] {
    const Status s = db().transact([&](Connection& c) -> Status {
      BALAI_TRY(insert_name(c, 1, "pending"));
      inserted.set_value();
      may_finish_future.wait();
      return {};
    });
    EXPECT_TRUE(s.ok());
  });
  const bool reached =
      inserted.get_future().wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  EXPECT_TRUE(reached) << "the transaction never ran";
  if (reached) {
    EXPECT_EQ(count_names(), 0);
  }
  may_finish.set_value();
  writer.join();
  EXPECT_EQ(count_names(), 1);
}

TEST_P(DatabaseTest, DataSurvivesReopening) {
  create_names_table();
  ASSERT_TRUE(insert_name(1, "durable").ok());
  temp().reopen();
  EXPECT_EQ(name_of(1), "durable");
}

TEST_P(DatabaseTest, ConcurrentTransactionsAllCommit) {
  create_names_table();
  constexpr int kThreads = 6;
  constexpr int kPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int id = t * kPerThread + i + 1;
        if (!insert_name(id, "n" + std::to_string(id))) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(count_names(), kThreads * kPerThread);
}

TEST_P(DatabaseTest, StatsCountOnlyCommittedTransactions) {
  create_names_table();  // one transaction
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) (void)insert_name(t * kPerThread + i + 1, "n");
    });
  }
  for (auto& th : threads) th.join();
  // Only the first "n" fits the UNIQUE name; the failed ones are not counted.
  const PoolStats stats = db().stats();
  EXPECT_EQ(stats.transactions, 2u);
}

TEST_P(DatabaseTest, CommitsNeverOutnumberTransactions) {
  create_names_table();
  constexpr int kThreads = 6;
  constexpr int kPerThread = 30;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int id = t * kPerThread + i + 1;
        (void)insert_name(id, "n" + std::to_string(id));
      }
    });
  }
  for (auto& th : threads) th.join();
  const PoolStats stats = db().stats();
  EXPECT_EQ(stats.transactions, static_cast<uint64_t>(kThreads * kPerThread + 1));
  EXPECT_GE(stats.commits, 1u);
  EXPECT_LE(stats.commits, stats.transactions);
}

TEST_P(DatabaseTest, StatsShowNothingInUseWhenIdle) {
  const PoolStats stats = db().stats();
  EXPECT_GE(stats.connections, 1);
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_EQ(stats.waiting, 0);
}

TEST_P(DatabaseTest, ExecuteScriptRunsSeveralStatements) {
  const Status s = script(
      "CREATE TABLE test_a (x INTEGER); CREATE TABLE test_b (y INTEGER);"
      "INSERT INTO test_b (y) VALUES (7);");
  ASSERT_TRUE(s.ok());
  auto r = db().query("SELECT y FROM test_b");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].int64(0), 7);
}

TEST_P(DatabaseTest, QuestionMarkInsideAStringLiteralIsNotAParameter) {
  create_names_table();
  const Status s = db().transact([](Connection& c) {
    return exec(c, "INSERT INTO test_names (id, name) VALUES (?, 'why?')", {1});
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(name_of(1), "why?");
}

TEST_P(DatabaseTest, ReusesAStatementWithNewParameters) {
  create_names_table();
  const Status s = db().transact([](Connection& c) -> Status {
    for (int i = 1; i <= 5; ++i) BALAI_TRY(insert_name(c, i, "n" + std::to_string(i)));
    return {};
  });
  ASSERT_TRUE(s.ok());
  for (int i = 1; i <= 5; ++i) EXPECT_EQ(name_of(i), "n" + std::to_string(i));
}

BALAI_INSTANTIATE_DATABASE_TESTS(DatabaseTest);

// --- SQLite's single writer with group commit ---

// Holds the writer busy with one transaction until released, so that transactions submitted
// meanwhile queue up and are committed together in the next batch.
class WriterBlocker {
 public:
  explicit WriterBlocker(Database& db) : db_(db) {
    thread_ = std::thread([this] {
      status_ = db_.transact([this](Connection&) -> Status {
        running_.set_value();
        release_future_.wait();
        return {};
      });
    });
    running_future_.wait();
  }
  ~WriterBlocker() {
    release();
    thread_.join();
    EXPECT_TRUE(status_.ok()) << "the blocking transaction failed";
  }
  void release() {
    if (!released_) release_.set_value();
    released_ = true;
  }

 private:
  Database& db_;
  std::promise<void> running_;
  std::future<void> running_future_ = running_.get_future();
  std::promise<void> release_;
  std::future<void> release_future_ = release_.get_future();
  bool released_ = false;
  Status status_;
  std::thread thread_;
};

// Waits until `n` callers are queued for the writer (a condition with a deadline, no sleep).
bool wait_for_waiting(Database& db, int n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (db.stats().waiting < n) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

using Work = std::function<Status(Connection&)>;

// Runs each work as its own transaction, all queued behind a busy writer so that the writer
// takes them as one batch; returns their results in order.
std::vector<Status> run_in_one_batch(Database& db, const std::vector<Work>& works) {
  std::vector<Status> results(works.size());
  std::vector<std::thread> threads;
  {
    WriterBlocker blocker(db);
    for (size_t i = 0; i < works.size(); ++i)
      threads.emplace_back([&, i] { results[i] = db.transact(works[i]); });
    EXPECT_TRUE(wait_for_waiting(db, static_cast<int>(works.size())))
        << "the transactions never queued";
  }
  for (auto& t : threads) t.join();
  return results;
}

Work insert_job(int id, std::string name) {
  return [id, name](Connection& c) {
    return exec(c, "INSERT INTO test_jobs (id, name) VALUES (?, ?)", {id, name});
  };
}

class SqliteGroupCommit : public ::testing::Test {
 protected:
  void SetUp() override {
    const Status s = db().transact([](Connection& c) {
      return c.execute_script(
          "CREATE TABLE test_jobs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  Database& db() { return temp_.db(); }

  bool job_exists(int id) {
    auto r = db().query("SELECT COUNT(*) FROM test_jobs WHERE id = ?", {id});
    EXPECT_TRUE(r.ok());
    return r.ok() && (*r)[0].int64(0) == 1;
  }

  testing::TempDatabase temp_{"sqlite"};
};

TEST_F(SqliteGroupCommit, CommitsQueuedTransactionsWithOneCommit) {
  std::vector<Work> works;
  for (int i = 1; i <= 20; ++i) works.push_back(insert_job(i, "job" + std::to_string(i)));
  const uint64_t commits_before = db().stats().commits;

  const auto results = run_in_one_batch(db(), works);

  for (const Status& s : results) EXPECT_TRUE(s.ok());
  // One commit for the blocking transaction's batch, one for the twenty queued behind it.
  EXPECT_EQ(db().stats().commits - commits_before, 2u);
  for (int i = 1; i <= 20; ++i) EXPECT_TRUE(job_exists(i)) << i;
}

TEST_F(SqliteGroupCommit, CountsEachTransactionOfABatch) {
  std::vector<Work> works;
  for (int i = 1; i <= 5; ++i) works.push_back(insert_job(i, "job" + std::to_string(i)));
  const uint64_t before = db().stats().transactions;

  (void)run_in_one_batch(db(), works);

  EXPECT_EQ(db().stats().transactions - before, 6u);  // five and the blocking one
}

TEST_F(SqliteGroupCommit, AFailedTransactionLeavesTheOthersInItsBatchCommitted) {
  std::vector<Work> works;
  for (int i = 1; i <= 10; ++i) {
    works.push_back([i](Connection& c) -> Status {
      BALAI_TRY(exec(c, "INSERT INTO test_jobs (id, name) VALUES (?, ?)",
                     {i, "job" + std::to_string(i)}));
      // Even jobs change their mind after writing.
      if (i % 2 == 0) return core::make_error(ErrorCode::validation_failed, "even job");
      return {};
    });
  }

  const auto results = run_in_one_batch(db(), works);

  for (int i = 1; i <= 10; ++i) {
    const bool odd = i % 2 == 1;
    EXPECT_EQ(results[static_cast<size_t>(i - 1)].ok(), odd) << "job " << i;
    EXPECT_EQ(job_exists(i), odd) << "job " << i;
  }
}

TEST_F(SqliteGroupCommit, AConflictInABatchFailsOnlyThatTransaction) {
  ASSERT_TRUE(db().transact(insert_job(100, "taken")).ok());

  const auto results = run_in_one_batch(
      db(), {insert_job(1, "first"), insert_job(2, "taken"), insert_job(3, "third")});

  EXPECT_TRUE(results[0].ok());
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error().code, ErrorCode::conflict);
  EXPECT_TRUE(results[2].ok());
  EXPECT_TRUE(job_exists(1));
  EXPECT_FALSE(job_exists(2));
  EXPECT_TRUE(job_exists(3));
}

TEST_F(SqliteGroupCommit, AThrowingTransactionInABatchFailsOnlyItself) {
  const auto results = run_in_one_batch(
      db(), {insert_job(1, "first"),
             [](Connection& c) -> Status {
               BALAI_TRY(exec(c, "INSERT INTO test_jobs (id, name) VALUES (2, 'second')"));
               throw std::runtime_error("bug in a store");
             },
             insert_job(3, "third")});

  EXPECT_TRUE(results[0].ok());
  EXPECT_FALSE(results[1].ok());
  EXPECT_TRUE(results[2].ok());
  EXPECT_TRUE(job_exists(1));
  EXPECT_FALSE(job_exists(2));
  EXPECT_TRUE(job_exists(3));
}

TEST_F(SqliteGroupCommit, StatsCountQueuedTransactionsAsWaiting) {
  std::vector<std::thread> threads;
  bool queued = false;
  PoolStats while_queued;
  {
    WriterBlocker blocker(db());
    for (int i = 0; i < 3; ++i)
      threads.emplace_back([&] { (void)db().transact([](Connection&) { return Status{}; }); });
    queued = wait_for_waiting(db(), 3);
    while_queued = db().stats();
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(queued);
  EXPECT_EQ(while_queued.waiting, 3);
  EXPECT_GE(while_queued.in_use, 1);  // the writer
  EXPECT_EQ(db().stats().waiting, 0);
}

// --- Opening ---

TEST(OpenDatabase, RejectsAnUnknownScheme) {
  auto r = open_database("mysql://root@localhost/balai");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::bad_request);
}

TEST(OpenDatabase, RejectsASqliteUrlWithoutAFile) {
  auto r = open_database("sqlite:");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::bad_request);
}

TEST(OpenDatabase, ReportsAnUnreadableSqliteLocation) {
  auto r = open_database("sqlite:/nonexistent-balai-folder/sub/test.db");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::unavailable);
}

TEST(OpenDatabase, ReportsAnUnreachablePostgresqlServerWithoutThePassword) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  auto r = open_database("postgresql://balai:s3cret-pw@127.0.0.1:1/balai?connect_timeout=2");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::unavailable);
  EXPECT_EQ(r.error().message.find("s3cret-pw"), std::string::npos) << r.error().message;
}

TEST(OpenDatabase, AcceptsATripleSlashSqliteUrl) {
  testing::TempDatabase temp("sqlite");
  const std::string path = temp.url().substr(std::string("sqlite:").size());
  auto r = open_database("sqlite://" + path);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE((*r)->ping().ok());
}

// --- Placeholders ---

TEST(PostgresPlaceholders, NumbersQuestionMarksInOrder) {
  EXPECT_EQ(to_postgres_placeholders("SELECT a FROM t WHERE b = ? AND c > ?"),
            "SELECT a FROM t WHERE b = $1 AND c > $2");
}

TEST(PostgresPlaceholders, SkipsQuestionMarksInStringLiterals) {
  EXPECT_EQ(to_postgres_placeholders("SELECT '?', ? FROM t"), "SELECT '?', $1 FROM t");
}

TEST(PostgresPlaceholders, SkipsQuestionMarksInQuotedIdentifiers) {
  EXPECT_EQ(to_postgres_placeholders("SELECT \"odd?name\" FROM t WHERE x = ?"),
            "SELECT \"odd?name\" FROM t WHERE x = $1");
}

TEST(PostgresPlaceholders, HandlesDoubledQuotesInsideLiterals) {
  EXPECT_EQ(to_postgres_placeholders("SELECT 'it''s ?' WHERE a = ?"),
            "SELECT 'it''s ?' WHERE a = $1");
}

TEST(PostgresPlaceholders, LeavesTextWithoutPlaceholdersAlone) {
  EXPECT_EQ(to_postgres_placeholders("SELECT 1"), "SELECT 1");
  EXPECT_EQ(to_postgres_placeholders(""), "");
}

TEST(PostgresPlaceholders, CountsPastNine) {
  std::string sql, expected;
  for (int i = 1; i <= 12; ++i) {
    sql += "?,";
    expected += "$" + std::to_string(i) + ",";
  }
  EXPECT_EQ(to_postgres_placeholders(sql), expected);
}

}  // namespace
}  // namespace balai::db
