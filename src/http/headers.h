#pragma once
// HTTP header fields: an ordered list with case-insensitive lookup by name.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace balai::http {

bool iequals(std::string_view a, std::string_view b);

class Headers {
 public:
  // First value of a field, or nullopt.
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  // Replaces every field of that name with one value.
  void set(std::string_view name, std::string_view value);
  // Adds a field even when one of that name exists (Set-Cookie).
  void add(std::string_view name, std::string_view value);
  void remove(std::string_view name);
  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }
  size_t size() const { return fields_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace balai::http
