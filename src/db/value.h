#pragma once
// Values that cross the database boundary: parameters bound to `?` and the cells of a row.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/time.h"

namespace balai::db {

// Raw bytes (ciphertext, hashes). Distinct from text so a backend binds it as a BLOB/bytea.
struct Blob {
  std::vector<uint8_t> bytes;
  friend bool operator==(const Blob&, const Blob&) = default;
};

class Value {
 public:
  using Storage = std::variant<std::monostate, int64_t, double, std::string, Blob>;

  Value() = default;                                 // SQL NULL
  Value(std::nullptr_t) {}                           // NOLINT(google-explicit-constructor)
  Value(int v) : v_(int64_t{v}) {}                   // NOLINT
  Value(int64_t v) : v_(v) {}                        // NOLINT
  Value(uint32_t v) : v_(int64_t{v}) {}              // NOLINT
  Value(bool v) : v_(int64_t{v ? 1 : 0}) {}          // NOLINT
  Value(double v) : v_(v) {}                         // NOLINT
  Value(std::string v) : v_(std::move(v)) {}         // NOLINT
  Value(std::string_view v) : v_(std::string(v)) {}  // NOLINT
  Value(const char* v) : v_(std::string(v)) {}       // NOLINT
  Value(Blob v) : v_(std::move(v)) {}                // NOLINT
  Value(core::Timestamp t) : v_(t.ms) {}             // NOLINT
  template <class T>
  Value(const std::optional<T>& v) {  // NOLINT
    if (v) *this = Value(*v);
  }

  bool is_null() const { return v_.index() == 0; }
  const Storage& storage() const { return v_; }
  friend bool operator==(const Value&, const Value&) = default;

 private:
  Storage v_;
};

using Params = std::vector<Value>;

}  // namespace balai::db
