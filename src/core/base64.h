#pragma once
// Base64 (RFC 4648, standard alphabet) for binary data inside JSON bodies (photos sent by apps).

#include <optional>
#include <string>
#include <string_view>

namespace balai::core {

// Decodes standard base64; padding optional, no whitespace, no URL alphabet. Nullopt when the
// text is not valid base64 (a bad character, an impossible length, non-zero trailing bits).
std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

}  // namespace balai::core
