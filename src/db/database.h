#pragma once
// The one door to storage. Two backends behind it: SQLite (embedded, the default) and
// PostgreSQL (several instances sharing one database). Stores speak one SQL dialect with `?`
// placeholders; where the two dialects must differ, migrations carry a variant per dialect.
//
// Every call here may block (disk, network): call it from a worker thread, never an I/O thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "db/rows.h"
#include "db/value.h"

namespace balai::db {

enum class Dialect { sqlite, postgresql };
std::string_view to_string(Dialect dialect);

// A connection inside one transaction. Only valid during the transact() callback that received
// it; not thread-safe (it belongs to that callback alone).
class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one statement with `?` parameters; returns its rows (and the affected count).
  // Statements are prepared once per connection and reused.
  [[nodiscard]] virtual core::Result<Rows> query(std::string_view sql,
                                                 const Params& params = {}) = 0;
  // Runs several statements without parameters (migrations).
  [[nodiscard]] virtual core::Status execute_script(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;
};

enum class Isolation {
  // SQLite: the single writer serializes everything anyway. PostgreSQL: READ COMMITTED.
  standard,
  // PostgreSQL SERIALIZABLE, retried on serialization failure; for invariants such as "a slot
  // holds at most N bookings" that several instances must not break together.
  serializable,
};

struct PoolStats {
  int connections = 0;        // open connections (readers + writer)
  int in_use = 0;             // connections currently lent out
  int waiting = 0;            // callers waiting for a connection or in the write queue
  uint64_t transactions = 0;  // write transactions committed
  uint64_t commits = 0;       // physical commits (SQLite group commit: < transactions)
};

class Database {
 public:
  virtual ~Database() = default;

  virtual Dialect dialect() const = 0;

  // A read outside any write transaction, on a reader connection. Sees committed data only.
  [[nodiscard]] virtual core::Result<Rows> query(std::string_view sql,
                                                 const Params& params = {}) = 0;

  // Runs `work` inside one write transaction: committed when it returns ok, rolled back when it
  // returns an error (the error is passed back). A statement that fails inside `work` loses the
  // whole transaction on both backends, even if `work` then returns ok (PostgreSQL aborts the
  // transaction at the first error): check for conflicts before writing, not by failing. `work` may
  // run more than once under Isolation::serializable on PostgreSQL, so it must have no effect
  // outside the database. SQLite: queued to the single writer, which commits waiting transactions
  // together.
  [[nodiscard]] virtual core::Status transact(std::function<core::Status(Connection&)> work,
                                              Isolation isolation = Isolation::standard) = 0;

  // transact() without waiting for it: `done` gets what transact() would have returned. SQLite
  // queues `work` to its writer as transact() does and calls `done` on the writer thread right
  // after the commit, so `done` must be quick and must not use the database (a transaction
  // from there would wait for itself): hand anything more to another thread. A caller that
  // would only wait saves the thread switches of waiting (a request answered when its group
  // commit is done). By default (PostgreSQL) transact() runs on the calling thread, then `done`.
  virtual void transact_async(std::function<core::Status(Connection&)> work,
                              std::function<void(core::Status)> done,
                              Isolation isolation = Isolation::standard) {
    done(transact(std::move(work), isolation));
  }

  // Ok when the database answers a trivial query.
  [[nodiscard]] virtual core::Status ping() = 0;

  virtual PoolStats stats() const = 0;
};

struct OpenOptions {
  int readers = 4;
  int busy_timeout_ms = 5'000;
  int max_batch = 64;  // SQLite: most transactions committed together
};

// Opens a database from its URL: "sqlite:PATH" (the file is created) or "postgresql://..." /
// "postgres://..." (libpq URI). Fails with a message naming the problem, never the password.
[[nodiscard]] core::Result<std::unique_ptr<Database>> open_database(
    std::string_view url, const OpenOptions& options = {});

// Rewrites `?` placeholders to PostgreSQL's $1, $2, ... outside quoted strings and identifiers.
std::string to_postgres_placeholders(std::string_view sql);

// One write statement in a transaction of its own (an UPDATE of one row, a DELETE); returns
// how many rows it changed. Blocks like transact().
[[nodiscard]] core::Result<int64_t> execute(Database& db, std::string_view sql,
                                            const Params& params = {});

}  // namespace balai::db
