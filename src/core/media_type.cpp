#include "core/media_type.h"

namespace balai::core {

std::optional<std::string_view> sniff_image_type(std::string_view b) {
  if (b.size() >= 4 && b.substr(0, 3) == "\xFF\xD8\xFF") return "image/jpeg";
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8))
    return "image/png";
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return "image/webp";
  return std::nullopt;
}

}  // namespace balai::core
