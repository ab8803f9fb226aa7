#include "modules/regions/directory.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "core/text.h"

namespace balai::regions {
namespace {

// Widths of the dot-separated parts of a code, by level: "35", "77", "01", "1001".
constexpr size_t kPartWidths[] = {2, 2, 2, 4};

core::Error bad_row(const std::string& path, size_t line, std::string_view why) {
  // The path is for the operator's log at start-up; this error never reaches a client.
  return core::make_error(core::ErrorCode::internal,
                          fmt::format("{} line {}: {}", path, line, why));
}

// Splits one line "kode,nama" into its two fields. The name may be quoted ("Lubuk Pakam I,II",
// with "" for a quote inside). False when the line is not exactly two fields.
bool split_row(std::string_view line, std::string_view& code, std::string& name) {
  const size_t comma = line.find(',');
  if (comma == std::string_view::npos) return false;
  code = line.substr(0, comma);
  std::string_view rest = line.substr(comma + 1);
  name.clear();
  if (rest.empty() || rest.front() != '"') {
    if (rest.find_first_of(",\"") != std::string_view::npos) return false;
    name.assign(rest);
    return true;
  }
  for (size_t i = 1; i < rest.size(); ++i) {
    if (rest[i] != '"') {
      name.push_back(rest[i]);
    } else if (i + 1 < rest.size() && rest[i + 1] == '"') {
      name.push_back('"');
      ++i;
    } else {
      return i + 1 == rest.size();  // the closing quote must end the line
    }
  }
  return false;  // no closing quote
}

// The rows of a file in file order, with the line each came from (for error messages).
struct ParsedRows {
  std::vector<Region> regions;
  std::vector<size_t> lines;
};

// Parses the whole file's text.
core::Result<ParsedRows> parse_csv(std::string_view text, const std::string& path) {
  ParsedRows out;
  const size_t expected = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  out.regions.reserve(expected);
  out.lines.reserve(expected);
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte-order mark
  size_t line_no = 0;
  std::string name;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1) {
      if (line != "kode,nama") return bad_row(path, line_no, "the header must be \"kode,nama\"");
      continue;
    }
    if (line.empty()) continue;
    std::string_view code;
    if (!split_row(line, code, name))
      return bad_row(path, line_no, "expected two fields: a code and a name");
    const auto level = level_of(code);
    if (!level) return bad_row(path, line_no, "malformed region code");
    if (core::trim(name).empty() || !core::is_valid_utf8(name))
      return bad_row(path, line_no, "the name is empty or not UTF-8");
    out.regions.push_back(Region{std::string(code), name, *level});
    out.lines.push_back(line_no);
  }
  if (out.regions.empty()) return bad_row(path, std::max<size_t>(line_no, 1), "no regions");
  return out;
}

bool by_code(const Region& a, const Region& b) {
  return a.code < b.code;
}

// The code of the region directly above `code` ("35.77.01" -> "35.77"); "" for a province.
std::string_view parent_of(std::string_view code) {
  const size_t dot = code.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : code.substr(0, dot);
}

// Every directory loaded so far, by the path it was loaded from. Guarded by loaded_mutex.
std::mutex loaded_mutex;
std::map<std::string, std::shared_ptr<const Directory>, std::less<>> loaded;

}  // namespace

std::string_view to_string(Level level) {
  switch (level) {
    case Level::province:
      return "province";
    case Level::regency:
      return "regency";
    case Level::district:
      return "district";
    case Level::village:
      return "village";
  }
  return "province";
}

core::Result<std::shared_ptr<const Directory>> Directory::load(const std::string& csv_path) {
  std::error_code ec;
  const std::string key = std::filesystem::weakly_canonical(csv_path, ec).string();
  const std::string& cache_key = ec ? csv_path : key;

  // Held while parsing: servers starting together wait for one parse instead of each doing it.
  std::lock_guard lock(loaded_mutex);
  if (auto it = loaded.find(cache_key); it != loaded.end()) return it->second;

  std::ifstream in(csv_path, std::ios::binary);
  if (!in) return core::make_error(core::ErrorCode::internal, "cannot read " + csv_path);
  std::string text;
  text.resize(static_cast<size_t>(std::filesystem::file_size(csv_path, ec)));
  if (ec || !in.read(text.data(), static_cast<std::streamsize>(text.size())))
    return core::make_error(core::ErrorCode::internal, "cannot read " + csv_path);
  auto parsed = parse_csv(text, csv_path);
  if (!parsed) return parsed.take_error();
  std::vector<Region>& regions = parsed->regions;
  std::vector<size_t>& lines = parsed->lines;

  // The published file is in code order already; sort only when someone edited it otherwise.
  if (!std::is_sorted(regions.begin(), regions.end(), by_code)) {
    std::vector<size_t> order(regions.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return regions[a].code < regions[b].code; });
    std::vector<Region> sorted_regions;
    std::vector<size_t> sorted_lines;
    sorted_regions.reserve(order.size());
    sorted_lines.reserve(order.size());
    for (size_t i : order) {
      sorted_regions.push_back(std::move(regions[i]));
      sorted_lines.push_back(lines[i]);
    }
    regions = std::move(sorted_regions);
    lines = std::move(sorted_lines);
  }
  // Every code once, and every region under one that exists (or children() and lineage() would
  // lose it). In code order a region's parent is the last region of the level above before it.
  const Region* last_at_level[5] = {};
  for (size_t i = 0; i < regions.size(); ++i) {
    const Region& r = regions[i];
    if (i > 0 && r.code == regions[i - 1].code)
      return bad_row(csv_path, lines[i],
                     fmt::format("the code appears twice (first on line {})", lines[i - 1]));
    const int level = static_cast<int>(r.level);
    if (level > 1) {
      const Region* above = last_at_level[level - 1];
      const std::string_view parent = parent_of(r.code);
      if (above == nullptr || above->code != parent)
        return bad_row(csv_path, lines[i],
                       fmt::format("region {} has no parent {}", r.code, parent));
    }
    last_at_level[level] = &r;
  }
  auto directory = std::make_shared<Directory>();
  directory->rows_ = std::move(regions);
  loaded.emplace(cache_key, directory);
  return std::shared_ptr<const Directory>(std::move(directory));
}

std::shared_ptr<const Directory> Directory::from_rows(std::vector<Region> rows) {
  auto directory = std::make_shared<Directory>();
  for (Region& row : rows) {
    const auto level = level_of(row.code);
    if (!level) continue;
    row.level = *level;
    directory->rows_.push_back(std::move(row));
  }
  std::stable_sort(directory->rows_.begin(), directory->rows_.end(), by_code);
  directory->rows_.erase(
      std::unique(directory->rows_.begin(), directory->rows_.end(),
                  [](const Region& a, const Region& b) { return a.code == b.code; }),
      directory->rows_.end());
  return directory;
}

const Region* Directory::find(std::string_view code) const {
  auto it = std::lower_bound(rows_.begin(), rows_.end(), code,
                             [](const Region& r, std::string_view c) { return r.code < c; });
  return it != rows_.end() && it->code == code ? &*it : nullptr;
}

std::vector<const Region*> Directory::children(std::string_view parent) const {
  // In code order a region's descendants form one contiguous range ("35." ...). Its children
  // are found by jumping over each child's own descendants: after "35.77" the next candidate is
  // the first code not below "35.77." ('/' follows '.' in ASCII).
  std::string prefix(parent);
  if (!prefix.empty()) prefix += '.';
  auto by_code = [](const Region& r, std::string_view c) { return r.code < c; };
  std::vector<const Region*> out;
  auto it = std::lower_bound(rows_.begin(), rows_.end(), std::string_view(prefix), by_code);
  while (it != rows_.end() && std::string_view(it->code).starts_with(prefix)) {
    const std::string_view rest = std::string_view(it->code).substr(prefix.size());
    // Skips the parent itself ("" prefix never matches it) and orphans of from_rows tables.
    if (!rest.empty() && rest.find('.') == std::string_view::npos) out.push_back(&*it);
    const size_t own = std::min(rest.find('.'), rest.size());
    const std::string next = it->code.substr(0, prefix.size() + own) + '/';
    it = std::lower_bound(it + 1, rows_.end(), std::string_view(next), by_code);
  }
  return out;
}

std::vector<const Region*> Directory::lineage(std::string_view code) const {
  std::vector<const Region*> out;
  if (find(code) == nullptr) return out;
  for (size_t i = 0; i <= code.size(); ++i) {
    if (i == code.size() || code[i] == '.') {
      if (const Region* r = find(code.substr(0, i))) out.push_back(r);
    }
  }
  return out;
}

std::string district_code_from_digits(std::string_view six_digits) {
  if (six_digits.size() != 6) return {};
  for (char c : six_digits)
    if (c < '0' || c > '9') return {};
  std::string out;
  out.reserve(8);
  out.append(six_digits.substr(0, 2)).append(".");
  out.append(six_digits.substr(2, 2)).append(".");
  out.append(six_digits.substr(4, 2));
  return out;
}

std::optional<Level> level_of(std::string_view code) {
  size_t part = 0;
  size_t start = 0;
  while (true) {
    if (part == std::size(kPartWidths)) return std::nullopt;
    const size_t dot = code.find('.', start);
    const std::string_view piece =
        code.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (piece.size() != kPartWidths[part]) return std::nullopt;
    for (char c : piece)
      if (c < '0' || c > '9') return std::nullopt;
    ++part;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return static_cast<Level>(part);
}

}  // namespace balai::regions
