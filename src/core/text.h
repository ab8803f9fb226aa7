#pragma once
// Small text rules shared by every layer.

#include <cstddef>
#include <string>
#include <string_view>

namespace balai::core {

// Length of the valid UTF-8 sequence starting at text[i] (1..4), or 0 when the bytes there are
// not valid UTF-8 (overlong forms, surrogates and code points above U+10FFFF are invalid).
size_t utf8_sequence_length(std::string_view text, size_t i);

// Number of code points in UTF-8 text (an invalid byte counts as one).
size_t utf8_length(std::string_view text);

// True when the whole text is valid UTF-8 and holds no NUL.
bool is_valid_utf8(std::string_view text);

// ASCII lower-case copy.
std::string ascii_lower(std::string_view text);

// Text with leading and trailing ASCII whitespace removed.
std::string_view trim(std::string_view text);

// Appends text as XML character data or an attribute value (SVG, Open311 XML): the five markup
// characters as entities, a carriage return as a reference (a parser would fold it into the
// newline), and the control characters XML 1.0 cannot carry at all left out.
void append_xml_escaped(std::string& out, std::string_view text);

}  // namespace balai::core
