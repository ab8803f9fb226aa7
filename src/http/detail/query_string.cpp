#include "http/detail/query_string.h"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

namespace balai::http::detail {

std::optional<std::vector<std::pair<std::string, std::string>>> decode_query(
    std::string_view text) {
  // Boost.URL reads '+' literally; forms mean a space by it, and a real '+' arrives as %2B.
  std::string spaced(text);
  for (char& c : spaced)
    if (c == '+') c = ' ';
  std::string escaped;
  escaped.reserve(spaced.size());
  for (char c : spaced) {
    if (c == ' ') {
      escaped += "%20";
    } else {
      escaped += c;
    }
  }
  auto parsed = boost::urls::parse_query(escaped);
  if (!parsed) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : boost::urls::params_view(*parsed)) out.emplace_back(p.key, p.value);
  return out;
}

}  // namespace balai::http::detail
