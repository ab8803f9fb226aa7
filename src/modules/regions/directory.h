#pragma once
// The Kemendagri region-code table (wilayah): provinces, regencies/cities (kabupaten/kota),
// districts (kecamatan) and villages (kelurahan/desa), from data/wilayah/wilayah.csv. Codes are
// dotted: "35" province, "35.77" regency, "35.77.01" district, "35.77.01.1001" village.
// Immutable once loaded; thread-safe to read from any thread.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace balai::regions {

enum class Level { province = 1, regency = 2, district = 3, village = 4 };
// "province", "regency", "district", "village": the names the API and the forms use.
std::string_view to_string(Level level);

struct Region {
  std::string code;  // dotted, e.g. "35.77.01"
  std::string name;  // as in the table, e.g. "Kartoharjo"
  Level level = Level::province;
};

class Directory {
 public:
  // Reads the CSV (header "kode,nama"; a name may be quoted when it holds a comma). Loads each
  // path once per process and shares the result (tests start many servers): a second call with
  // the same file returns the same object. Blocks while reading; thread-safe. error: internal
  // when the file is missing, or a row is malformed, duplicated or has no parent region (the
  // message names the line, for the operator's log).
  [[nodiscard]] static core::Result<std::shared_ptr<const Directory>> load(
      const std::string& csv_path);

  // Builds a directory from rows already in memory (unit tests). Each row's level is taken from
  // its code's shape; rows with a malformed code are dropped, and of two rows with one code the
  // first is kept.
  static std::shared_ptr<const Directory> from_rows(std::vector<Region> rows);

  // The region with this dotted code, or null. The pointer lives as long as the directory.
  const Region* find(std::string_view code) const;
  // The regions directly under `parent` ("" -> the provinces), in code order.
  std::vector<const Region*> children(std::string_view parent) const;
  // From the province down to `code` itself; empty when the code is unknown.
  std::vector<const Region*> lineage(std::string_view code) const;
  size_t size() const { return rows_.size(); }

 private:
  std::vector<Region> rows_;  // sorted by code
};

// "357701" (the first six digits of a NIK or KK) -> "35.77.01"; "" when not six digits.
std::string district_code_from_digits(std::string_view six_digits);

// The level a dotted code has by its shape ("35.77" -> regency); nullopt when malformed.
std::optional<Level> level_of(std::string_view code);

}  // namespace balai::regions
