#include "db/database.h"

#include "db/postgres/pg_database.h"
#include "db/sqlite/sqlite_database.h"

namespace balai::db {

std::string_view to_string(Dialect dialect) {
  return dialect == Dialect::sqlite ? "sqlite" : "postgresql";
}

core::Result<std::unique_ptr<Database>> open_database(std::string_view url,
                                                      const OpenOptions& options) {
  if (url.starts_with("sqlite:")) {
    std::string path(url.substr(7));
    if (path.starts_with("//")) path = path.substr(2);  // sqlite:///abs/path
    if (path.empty())
      return core::make_error(core::ErrorCode::bad_request, "the sqlite: URL names no file");
    return sqlite::open(path, options);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://"))
    return postgres::open(std::string(url), options);
  return core::make_error(core::ErrorCode::bad_request,
                          "unknown database URL scheme (use sqlite:PATH or postgresql://...)");
}

std::string to_postgres_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;  // inside '...' or "..." when non-zero
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;  // a doubled quote re-enters on the next character
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // comment to the end of the line
      const size_t end = sql.find('\n', i);
      out.append(sql.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
      if (end == std::string_view::npos) break;
      i = end - 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {  // block comment
      const size_t end = sql.find("*/", i + 2);
      const size_t stop = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

core::Result<int64_t> execute(Database& db, std::string_view sql, const Params& params) {
  int64_t affected = 0;
  auto status = db.transact([&](Connection& c) -> core::Status {
    auto r = c.query(sql, params);
    if (!r) return r.take_error();
    affected = r->affected;
    return {};
  });
  if (!status) return status.take_error();
  return affected;
}

}  // namespace balai::db
