#include "db/rows.h"

#include <cstdio>
#include <cstdlib>

namespace balai::db {
namespace {
[[noreturn]] void type_bug(const char* want, size_t i) {
  std::fprintf(stderr, "balai: bug: column %zu read as %s but holds another type\n", i, want);
  std::abort();
}
}  // namespace

const Value& Row::cell(size_t i) const {
  if (i >= cells_.size()) {
    std::fprintf(stderr, "balai: bug: column %zu out of range (%zu columns)\n", i, cells_.size());
    std::abort();
  }
  return cells_[i];
}

int64_t Row::int64(size_t i) const {
  const auto& s = cell(i).storage();
  if (const auto* v = std::get_if<int64_t>(&s)) return *v;
  type_bug("int64", i);
}

double Row::real(size_t i) const {
  const auto& s = cell(i).storage();
  if (const auto* v = std::get_if<double>(&s)) return *v;
  if (const auto* v = std::get_if<int64_t>(&s)) return static_cast<double>(*v);
  type_bug("real", i);
}

const std::string& Row::text(size_t i) const {
  const auto& s = cell(i).storage();
  if (const auto* v = std::get_if<std::string>(&s)) return *v;
  type_bug("text", i);
}

const Blob& Row::blob(size_t i) const {
  const auto& s = cell(i).storage();
  if (const auto* v = std::get_if<Blob>(&s)) return *v;
  type_bug("blob", i);
}

std::optional<int64_t> Row::opt_int64(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return int64(i);
}

std::optional<std::string> Row::opt_text(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

size_t Row::index(std::string_view column) const {
  if (columns_) {
    for (size_t i = 0; i < columns_->size(); ++i)
      if ((*columns_)[i] == column) return i;
  }
  std::fprintf(stderr, "balai: bug: no column named %.*s\n", static_cast<int>(column.size()),
               column.data());
  std::abort();
}

}  // namespace balai::db
