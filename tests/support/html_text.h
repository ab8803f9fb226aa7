#pragma once
// Text as the portal's templates write it into HTML, for tests that look for it in a page.

#include <string>
#include <string_view>

namespace balai::testing {

// The HTML-escaped form of a text (& < > " '), as Mustache's {{...}} writes it.
inline std::string html_escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace balai::testing
