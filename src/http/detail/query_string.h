#pragma once
// application/x-www-form-urlencoded decoding shared by query strings and form bodies.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace balai::http::detail {

// Decodes "a=1&b=x+y%21" into pairs ('+' is a space). Nullopt when the percent-encoding is
// invalid. Values are not checked for UTF-8 here.
std::optional<std::vector<std::pair<std::string, std::string>>> decode_query(std::string_view text);

}  // namespace balai::http::detail
