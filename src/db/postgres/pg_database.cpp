#include "db/postgres/pg_database.h"

#include <libpq-fe.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/log.h"

namespace balai::db::postgres {
namespace {

using core::ErrorCode;
using core::Result;
using core::Status;

// OIDs of the built-in types we convert (pg_type.dat).
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

bool is_serialization_failure(const char* sqlstate) {
  return sqlstate && (std::strcmp(sqlstate, "40001") == 0 || std::strcmp(sqlstate, "40P01") == 0);
}

core::Error pg_error(const PGresult* res, PGconn* conn, std::string_view during) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  // The primary message only: DETAIL lines may quote the offending values (personal data).
  const char* detail =
      res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : PQerrorMessage(conn);
  const std::string_view sqlstate = state ? state : "";
  if (sqlstate.starts_with("23")) {  // integrity constraint violation
    core::log::info("db.constraint", {{"during", during}, {"sqlstate", sqlstate}});
    if (sqlstate == "23505")
      return core::make_error(ErrorCode::conflict, "the record already exists");
    return core::make_error(ErrorCode::conflict, "the change conflicts with existing records");
  }
  if (is_serialization_failure(state))
    return core::make_error(ErrorCode::conflict, "concurrent change, try again");
  core::log::error("db.pg_error",
                   {{"during", during}, {"sqlstate", sqlstate}, {"detail", detail ? detail : ""}});
  if (PQstatus(conn) != CONNECTION_OK)
    return core::make_error(ErrorCode::unavailable, "the database is unreachable");
  return core::make_error(ErrorCode::internal, "database error");
}

std::vector<uint8_t> decode_bytea_hex(const char* text, size_t len) {
  std::vector<uint8_t> out;
  if (len < 2 || text[0] != '\\' || text[1] != 'x') return out;
  auto nibble = [](char c) -> uint8_t {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    return static_cast<uint8_t>(c - 'A' + 10);
  };
  out.reserve((len - 2) / 2);
  for (size_t i = 2; i + 1 < len; i += 2)
    out.push_back(static_cast<uint8_t>(nibble(text[i]) << 4 | nibble(text[i + 1])));
  return out;
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Dialect dialect() const override { return Dialect::postgresql; }
  // Whether a statement failed since the transaction began (the transaction is then lost).
  bool statement_failed() const { return statement_failed_; }
  void reset_statement_failed() { statement_failed_ = false; }
  // True once after a statement failed because a concurrent transaction won (retry the whole).
  bool take_serialization_failed() { return std::exchange(serialization_failed_, false); }
  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  // A broken connection loses its server-side prepared statements with it.
  bool reset() {
    PQreset(conn_);
    statements_.clear();
    return healthy();
  }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    auto name_or = prepare(sql, params.size());
    if (!name_or) return name_or.take_error();

    std::vector<std::string> text_values(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      const auto& s = params[i].storage();
      if (std::holds_alternative<std::monostate>(s)) continue;
      if (const auto* v = std::get_if<int64_t>(&s)) {
        text_values[i] = std::to_string(*v);
      } else if (const auto* d = std::get_if<double>(&s)) {
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, *d);
        text_values[i].assign(buf, r.ptr);
      } else if (const auto* t = std::get_if<std::string>(&s)) {
        values[i] = t->c_str();
        lengths[i] = static_cast<int>(t->size());
        continue;
      } else {
        const auto& b = std::get<Blob>(s).bytes;
        // libpq reads a null pointer as SQL NULL; an empty blob needs a real (empty) buffer.
        static const char kEmpty[1] = {0};
        values[i] = b.empty() ? kEmpty : reinterpret_cast<const char*>(b.data());
        lengths[i] = static_cast<int>(b.size());
        formats[i] = 1;  // binary
        continue;
      }
      values[i] = text_values[i].c_str();
      lengths[i] = static_cast<int>(text_values[i].size());
    }
    PgResult res(PQexecPrepared(conn_, name_or->c_str(), static_cast<int>(params.size()),
                                values.data(), lengths.data(), formats.data(), 0));
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      serialization_failed_ =
          res && is_serialization_failure(PQresultErrorField(res.get(), PG_DIAG_SQLSTATE));
      statement_failed_ = true;
      return pg_error(res.get(), conn_, "query");
    }
    return convert(res.get());
  }

  Status execute_script(std::string_view sql) override {
    PgResult res(PQexec(conn_, std::string(sql).c_str()));
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      return pg_error(res.get(), conn_, "script");
    return {};
  }

  // Runs a statement without parameters; returns the SQLSTATE on failure through the error.
  Status exec(const char* sql, const char** sqlstate_out = nullptr) {
    PgResult res(PQexec(conn_, sql));
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      if (sqlstate_out)
        last_state_ = res ? safe(PQresultErrorField(res.get(), PG_DIAG_SQLSTATE)) : "";
      if (sqlstate_out) *sqlstate_out = last_state_.c_str();
      return pg_error(res.get(), conn_, sql);
    }
    return {};
  }

 private:
  static std::string safe(const char* s) { return s ? s : ""; }

  Result<std::string> prepare(std::string_view sql, size_t nparams) {
    std::string key(sql);
    if (auto it = statements_.find(key); it != statements_.end()) return it->second;
    std::string name = "s" + std::to_string(statements_.size());
    const std::string pg_sql = to_postgres_placeholders(sql);
    PgResult res(
        PQprepare(conn_, name.c_str(), pg_sql.c_str(), static_cast<int>(nparams), nullptr));
    if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK)
      return pg_error(res.get(), conn_, "prepare");
    statements_.emplace(std::move(key), name);
    return name;
  }

  static Rows convert(PGresult* res) {
    Rows out;
    const int ncol = PQnfields(res);
    auto columns = std::make_shared<std::vector<std::string>>();
    std::vector<Oid> types;
    for (int c = 0; c < ncol; ++c) {
      columns->emplace_back(PQfname(res, c));
      types.push_back(PQftype(res, c));
    }
    out.columns = columns;
    const int nrow = PQntuples(res);
    out.rows.reserve(static_cast<size_t>(nrow));
    for (int r = 0; r < nrow; ++r) {
      std::vector<Value> cells;
      cells.reserve(static_cast<size_t>(ncol));
      for (int c = 0; c < ncol; ++c) {
        if (PQgetisnull(res, r, c)) {
          cells.emplace_back();
          continue;
        }
        const char* v = PQgetvalue(res, r, c);
        const auto len = static_cast<size_t>(PQgetlength(res, r, c));
        switch (types[static_cast<size_t>(c)]) {
          case kInt8:
          case kInt4:
          case kInt2: {
            int64_t n = 0;
            std::from_chars(v, v + len, n);
            cells.emplace_back(n);
            break;
          }
          case kBool:
            cells.emplace_back(int64_t{v[0] == 't' ? 1 : 0});
            break;
          case kFloat4:
          case kFloat8:
          case kNumeric: {
            double d = 0;
            std::from_chars(v, v + len, d);
            cells.emplace_back(d);
            break;
          }
          case kBytea:
            cells.emplace_back(Blob{decode_bytea_hex(v, len)});
            break;
          default:
            cells.emplace_back(std::string(v, len));
            break;
        }
      }
      out.rows.emplace_back(columns, std::move(cells));
    }
    const char* affected = PQcmdTuples(res);
    if (affected && *affected)
      std::from_chars(affected, affected + std::strlen(affected), out.affected);
    if (nrow > 0 && out.affected == nrow && std::strncmp(PQcmdStatus(res), "SELECT", 6) == 0)
      out.affected = 0;
    return out;
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> statements_;  // SQL text -> prepared name
  std::string last_state_;
  bool serialization_failed_ = false;
  bool statement_failed_ = false;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::vector<std::unique_ptr<PgConnection>> conns, int wait_ms) : wait_ms_(wait_ms) {
    size_ = static_cast<int>(conns.size());
    for (auto& c : conns) idle_.push_back(std::move(c));
  }

  Dialect dialect() const override { return Dialect::postgresql; }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    auto conn = acquire();
    if (!conn) return conn.take_error();
    auto result = (*conn)->query(sql, params);
    release(std::move(conn).value());
    return result;
  }

  Status transact(std::function<Status(Connection&)> work, Isolation isolation) override {
    auto conn_or = acquire();
    if (!conn_or) return conn_or.take_error();
    std::unique_ptr<PgConnection> conn = std::move(conn_or).value();
    const char* begin =
        isolation == Isolation::serializable ? "BEGIN ISOLATION LEVEL SERIALIZABLE" : "BEGIN";
    constexpr int kAttempts = 5;
    Status result;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
      result = conn->exec(begin);
      if (!result) break;
      conn->reset_statement_failed();
      try {
        result = work(*conn);
      } catch (const std::exception& e) {
        core::log::error("db.transaction_threw", {{"what", e.what()}});
        result = core::make_error(ErrorCode::internal, "internal error");
      }
      if (!result) {
        (void)conn->exec("ROLLBACK");
        if (conn->take_serialization_failed() && attempt < kAttempts) continue;
        break;
      }
      if (conn->statement_failed()) {
        // A statement failed and the work carried on: PostgreSQL has aborted the transaction, and
        // COMMIT would quietly roll it back. Both backends report it the same way.
        (void)conn->exec("ROLLBACK");
        core::log::error("db.failed_statement_ignored");
        result = core::make_error(ErrorCode::internal, "database error");
        break;
      }
      const char* state = nullptr;
      result = conn->exec("COMMIT", &state);
      if (result) {
        ++transactions_;
        break;
      }
      if (!is_serialization_failure(state) || attempt == kAttempts) break;
    }
    release(std::move(conn));
    return result;
  }

  Status ping() override {
    auto r = query("SELECT 1", {});
    if (!r) return r.take_error();
    return {};
  }

  PoolStats stats() const override {
    std::lock_guard lock(mutex_);
    PoolStats s;
    s.connections = size_;
    s.in_use = size_ - static_cast<int>(idle_.size());
    s.waiting = waiting_;
    s.transactions = transactions_.load();
    s.commits = s.transactions;
    return s;
  }

 private:
  Result<std::unique_ptr<PgConnection>> acquire() {
    std::unique_ptr<PgConnection> conn;
    {
      std::unique_lock lock(mutex_);
      ++waiting_;
      const bool got =
          cv_.wait_for(lock, std::chrono::milliseconds(wait_ms_), [&] { return !idle_.empty(); });
      --waiting_;
      if (!got) return core::make_error(ErrorCode::unavailable, "the database is busy");
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
    if (!conn->healthy() && !conn->reset()) {
      release(std::move(conn));
      return core::make_error(ErrorCode::unavailable, "the database is unreachable");
    }
    return conn;
  }

  void release(std::unique_ptr<PgConnection> conn) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(conn));
    }
    cv_.notify_one();
  }

  mutable std::mutex mutex_;  // guards idle_ and waiting_
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int waiting_ = 0;
  int size_ = 0;
  int wait_ms_;  // longest wait for a free connection
  std::atomic<uint64_t> transactions_{0};
};

// Drops the server's notices (they would go to stderr unstructured).
void ignore_notice(void*, const PGresult*) {}

}  // namespace

Result<std::unique_ptr<Database>> open(const std::string& conninfo, const OpenOptions& options) {
  std::vector<std::unique_ptr<PgConnection>> conns;
  for (int i = 0; i < std::max(1, options.readers); ++i) {
    // A dead host must fail start-up (and /readyz) in seconds, not hang on TCP retries.
    const std::string with_timeout =
        conninfo.find("connect_timeout") == std::string::npos
            ? conninfo + (conninfo.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=5"
            : conninfo;
    PGconn* raw = PQconnectdb(with_timeout.c_str());
    if (PQstatus(raw) != CONNECTION_OK) {
      // libpq's message names host and port, never the password.
      std::string why = PQerrorMessage(raw);
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      PQfinish(raw);
      return core::make_error(ErrorCode::unavailable, "cannot connect to PostgreSQL: " + why);
    }
    PQsetNoticeReceiver(raw, ignore_notice, nullptr);
    auto conn = std::make_unique<PgConnection>(raw);
    BALAI_TRY(conn->exec("SET TIME ZONE 'UTC'"));
    conns.push_back(std::move(conn));
  }
  return std::unique_ptr<Database>(
      std::make_unique<PgDatabase>(std::move(conns), std::max(100, options.busy_timeout_ms)));
}

}  // namespace balai::db::postgres
