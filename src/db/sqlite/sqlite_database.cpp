#include "db/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/log.h"

namespace balai::db::sqlite {
namespace {

using core::ErrorCode;
using core::Result;
using core::Status;

core::Error sqlite_error(sqlite3* db, int rc, std::string_view during) {
  const int ext = db ? sqlite3_extended_errcode(db) : rc;
  const char* detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    // The client learns that something conflicted; the constraint text stays in the log.
    core::log::info("db.constraint", {{"during", during}, {"detail", detail}});
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
      return core::make_error(ErrorCode::conflict, "the record already exists");
    return core::make_error(ErrorCode::conflict, "the change conflicts with existing records");
  }
  core::log::error("db.sqlite_error", {{"during", during}, {"code", ext}, {"detail", detail}});
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    return core::make_error(ErrorCode::unavailable, "the database is busy");
  return core::make_error(ErrorCode::internal, "database error");
}

// One sqlite3 handle with its prepared-statement cache. Owned by one thread at a time.
class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::sqlite; }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    auto result = run_query(sql, params);
    if (!result) statement_failed_ = true;
    return result;
  }

  // Whether a statement failed since the last reset (the job's transaction is then lost, as on
  // PostgreSQL, even if the work carried on).
  bool statement_failed() const { return statement_failed_; }
  void reset_statement_failed() { statement_failed_ = false; }

 private:
  Result<Rows> run_query(std::string_view sql, const Params& params) {
    auto stmt_or = prepare(sql);
    if (!stmt_or) return stmt_or.take_error();
    sqlite3_stmt* stmt = *stmt_or;
    // Reset even on early return so the statement never holds a read transaction open.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};

    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      core::log::error("db.bind_count", {{"expected", sqlite3_bind_parameter_count(stmt)},
                                         {"given", static_cast<int64_t>(params.size())}});
      return core::make_error(ErrorCode::internal, "database error");
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i) + 1;
      const auto& s = params[i].storage();
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(s)) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (const auto* v = std::get_if<int64_t>(&s)) {
        rc = sqlite3_bind_int64(stmt, idx, *v);
      } else if (const auto* d = std::get_if<double>(&s)) {
        rc = sqlite3_bind_double(stmt, idx, *d);
      } else if (const auto* t = std::get_if<std::string>(&s)) {
        rc = sqlite3_bind_text64(stmt, idx, t->data(), t->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        const auto& b = std::get<Blob>(s).bytes;
        // An empty vector's data() may be null, which SQLite would store as NULL.
        rc = b.empty() ? sqlite3_bind_zeroblob(stmt, idx, 0)
                       : sqlite3_bind_blob64(stmt, idx, b.data(), b.size(), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return sqlite_error(db_, rc, "bind");
    }

    Rows out;
    // sqlite3_changes() keeps the count of the last INSERT/UPDATE/DELETE even after other
    // statements; the difference of the running total belongs to this statement alone.
    const int64_t changes_before = sqlite3_total_changes64(db_);
    const int ncol = sqlite3_column_count(stmt);
    auto columns = std::make_shared<std::vector<std::string>>();
    for (int c = 0; c < ncol; ++c) columns->emplace_back(sqlite3_column_name(stmt, c));
    out.columns = columns;
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return sqlite_error(db_, rc, "step");
      std::vector<Value> cells;
      cells.reserve(static_cast<size_t>(ncol));
      for (int c = 0; c < ncol; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            cells.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT:
            cells.emplace_back(sqlite3_column_double(stmt, c));
            break;
          case SQLITE_TEXT: {
            const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            cells.emplace_back(std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
            break;
          }
          case SQLITE_BLOB: {
            const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, c));
            const auto n = static_cast<size_t>(sqlite3_column_bytes(stmt, c));
            cells.emplace_back(Blob{std::vector<uint8_t>(p, p + n)});
            break;
          }
          default:
            cells.emplace_back();
            break;
        }
      }
      out.rows.emplace_back(columns, std::move(cells));
    }
    out.affected = sqlite3_stmt_readonly(stmt) ? 0 : sqlite3_total_changes64(db_) - changes_before;
    return out;
  }

 public:
  Status execute_script(std::string_view sql) override {
    const std::string text(sql);
    char* msg = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &msg);
    if (rc != SQLITE_OK) {
      core::log::error("db.script_failed", {{"detail", msg ? msg : ""}});
      sqlite3_free(msg);
      return core::make_error(ErrorCode::internal, "database script failed");
    }
    return {};
  }

  Status exec(const char* sql) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, sql);
    return {};
  }

  sqlite3* handle() { return db_; }

 private:
  Result<sqlite3_stmt*> prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare");
    if (stmt == nullptr) return core::make_error(ErrorCode::internal, "empty statement");
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  bool statement_failed_ = false;
};

Result<std::unique_ptr<SqliteConnection>> open_connection(const std::string& path, bool writer,
                                                          int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  const int flags = (writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) |
                    SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    core::Error e = core::make_error(ErrorCode::unavailable,
                                     "cannot open the SQLite database at " + path + ": " +
                                         (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    sqlite3_close_v2(raw);
    return e;
  }
  auto conn = std::make_unique<SqliteConnection>(raw);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  sqlite3_extended_result_codes(raw, 1);
  if (writer) {
    BALAI_TRY(conn->exec("PRAGMA journal_mode=WAL"));
    BALAI_TRY(conn->exec("PRAGMA synchronous=FULL"));
  }
  BALAI_TRY(conn->exec("PRAGMA foreign_keys=ON"));
  // Savepoint sub-journals and sort spills stay in memory: a file per group commit cost more
  // CPU than the whole rest of a small transaction.
  BALAI_TRY(conn->exec("PRAGMA temp_store=MEMORY"));
  return conn;
}

struct WriteJob {
  std::function<Status(Connection&)> work;
  std::function<void(Status)> done;  // on the writer thread, after the commit (or rollback)
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::unique_ptr<SqliteConnection> writer,
                 std::vector<std::unique_ptr<SqliteConnection>> readers, int max_batch)
      : writer_(std::move(writer)), max_batch_(max_batch) {
    reader_count_ = static_cast<int>(readers.size());
    for (auto& r : readers) idle_readers_.push_back(std::move(r));
    writer_thread_ = std::thread([this] { write_loop(); });
  }

  ~SqliteDatabase() override {
    {
      std::lock_guard lock(queue_mutex_);
      stopping_ = true;
    }
    queue_cv_.notify_all();
    writer_thread_.join();
  }

  Dialect dialect() const override { return Dialect::sqlite; }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    std::unique_ptr<SqliteConnection> conn;
    {
      std::unique_lock lock(readers_mutex_);
      ++readers_waiting_;
      readers_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
      --readers_waiting_;
      conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
    auto result = conn->query(sql, params);
    {
      std::lock_guard lock(readers_mutex_);
      idle_readers_.push_back(std::move(conn));
    }
    readers_cv_.notify_one();
    return result;
  }

  Status transact(std::function<Status(Connection&)> work, Isolation isolation) override {
    std::promise<Status> result;
    auto future = result.get_future();
    transact_async(
        std::move(work), [&result](Status s) { result.set_value(std::move(s)); }, isolation);
    return future.get();
  }

  void transact_async(std::function<Status(Connection&)> work, std::function<void(Status)> done,
                      Isolation) override {
    // The single writer already serializes every transaction, which is what SERIALIZABLE asks.
    {
      std::lock_guard lock(queue_mutex_);
      if (!stopping_) {
        queue_.push_back({std::move(work), std::move(done)});
        done = nullptr;
      }
    }
    if (done) {
      done(core::make_error(ErrorCode::unavailable, "database is closing"));
      return;
    }
    queue_cv_.notify_one();
  }

  Status ping() override {
    auto r = query("SELECT 1", {});
    if (!r) return r.take_error();
    return {};
  }

  PoolStats stats() const override {
    PoolStats s;
    {
      std::lock_guard lock(readers_mutex_);
      s.connections = reader_count_ + 1;
      s.in_use = reader_count_ - static_cast<int>(idle_readers_.size()) + (writer_busy_ ? 1 : 0);
      s.waiting = readers_waiting_;
    }
    {
      std::lock_guard lock(queue_mutex_);
      s.waiting += static_cast<int>(queue_.size());
    }
    s.transactions = transactions_.load();
    s.commits = commits_.load();
    return s;
  }

 private:
  void write_loop() {
    std::vector<WriteJob> batch;
    for (;;) {
      {
        std::unique_lock lock(queue_mutex_);
        queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty() && stopping_) return;
        while (!queue_.empty() && static_cast<int>(batch.size()) < max_batch_) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      writer_busy_ = true;
      run_batch(batch);
      writer_busy_ = false;
      batch.clear();
    }
  }

  // Runs each job in its own SAVEPOINT inside one transaction, so a failing job rolls back alone
  // while the others share the COMMIT (and its fsync).
  void run_batch(std::vector<WriteJob>& batch) {
    std::vector<Status> results(batch.size());
    Status begin = writer_->exec("BEGIN IMMEDIATE");
    if (!begin) {
      for (auto& job : batch) job.done(begin);
      return;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      Status s = writer_->exec("SAVEPOINT job");
      if (s) {
        writer_->reset_statement_failed();
        try {
          s = batch[i].work(*writer_);
        } catch (const std::exception& e) {
          core::log::error("db.transaction_threw", {{"what", e.what()}});
          s = core::make_error(ErrorCode::internal, "internal error");
        }
        if (s && writer_->statement_failed()) {
          core::log::error("db.failed_statement_ignored");
          s = core::make_error(ErrorCode::internal, "database error");
        }
        if (!s) (void)writer_->exec("ROLLBACK TO job");
        (void)writer_->exec("RELEASE job");
      }
      results[i] = std::move(s);
    }
    Status commit = writer_->exec("COMMIT");
    if (!commit) {
      (void)writer_->exec("ROLLBACK");
      for (auto& job : batch) job.done(commit);
      return;
    }
    ++commits_;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (results[i]) ++transactions_;
      batch[i].done(std::move(results[i]));
    }
  }

  std::unique_ptr<SqliteConnection> writer_;  // used only by writer_thread_
  int max_batch_;

  mutable std::mutex queue_mutex_;  // guards queue_ and stopping_
  std::condition_variable queue_cv_;
  std::deque<WriteJob> queue_;
  bool stopping_ = false;

  mutable std::mutex readers_mutex_;  // guards idle_readers_ and readers_waiting_
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;
  int readers_waiting_ = 0;
  int reader_count_ = 0;

  std::atomic<bool> writer_busy_{false};
  std::atomic<uint64_t> transactions_{0};
  std::atomic<uint64_t> commits_{0};
  std::thread writer_thread_;
};

}  // namespace

Result<std::unique_ptr<Database>> open(const std::string& path, const OpenOptions& options) {
  auto writer = open_connection(path, true, options.busy_timeout_ms);
  if (!writer) return writer.take_error();
  std::vector<std::unique_ptr<SqliteConnection>> readers;
  for (int i = 0; i < std::max(1, options.readers); ++i) {
    auto r = open_connection(path, false, options.busy_timeout_ms);
    if (!r) return r.take_error();
    readers.push_back(std::move(r).value());
  }
  return std::unique_ptr<Database>(std::make_unique<SqliteDatabase>(
      std::move(writer).value(), std::move(readers), std::max(1, options.max_batch)));
}

}  // namespace balai::db::sqlite
