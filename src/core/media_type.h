#pragma once
// What an uploaded file really is, by its first bytes (never by its name or the browser's
// claim): a photo with a lying extension or a script named .jpg is refused.

#include <optional>
#include <string_view>

namespace balai::core {

// "image/jpeg", "image/png" or "image/webp" when `bytes` starts like one; nullopt otherwise.
std::optional<std::string_view> sniff_image_type(std::string_view bytes);

}  // namespace balai::core
