#pragma once
// The result of a query: column names and rows of values, with typed accessors. Reading a cell
// as the wrong type is a bug in the calling store and aborts with the column named.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/value.h"

namespace balai::db {

class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> cells)
      : columns_(std::move(columns)), cells_(std::move(cells)) {}

  size_t size() const { return cells_.size(); }
  bool is_null(size_t i) const { return cell(i).is_null(); }
  // Integers; SQLite and PostgreSQL booleans arrive as 0/1.
  int64_t int64(size_t i) const;
  double real(size_t i) const;  // an integer cell converts
  const std::string& text(size_t i) const;
  const Blob& blob(size_t i) const;
  core::Timestamp timestamp(size_t i) const { return core::Timestamp{int64(i)}; }
  std::optional<int64_t> opt_int64(size_t i) const;
  std::optional<std::string> opt_text(size_t i) const;
  // Index of a column by name; aborts when absent (a typo in a store, caught by its tests).
  size_t index(std::string_view column) const;
  const Value& cell(size_t i) const;

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> cells_;
};

struct Rows {
  std::shared_ptr<const std::vector<std::string>> columns;
  std::vector<Row> rows;
  // Rows changed by an INSERT/UPDATE/DELETE (0 for a SELECT).
  int64_t affected = 0;

  bool empty() const { return rows.empty(); }
  size_t size() const { return rows.size(); }
  const Row& operator[](size_t i) const { return rows[i]; }
  auto begin() const { return rows.begin(); }
  auto end() const { return rows.end(); }
};

}  // namespace balai::db
