#include "security/secret_token.h"

#include <sodium.h>

#include <array>

#include "core/ids.h"

namespace balai::security {
namespace {
constexpr size_t kTokenBytes = 32;
constexpr size_t kEncodedLength = 43;  // ceil(32 * 4 / 3) without padding
}  // namespace

std::string new_secret_token(std::string_view prefix) {
  std::array<uint8_t, kTokenBytes> raw{};
  core::random_bytes(raw);
  std::array<char, kEncodedLength + 1> text{};
  sodium_bin2base64(text.data(), text.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw.data(), raw.size());
  return std::string(prefix) + std::string(text.data(), kEncodedLength);
}

std::string token_digest(std::string_view token) {
  std::array<uint8_t, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  return core::to_hex(digest);
}

bool looks_like_token(std::string_view text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  if (text.size() != kEncodedLength) return false;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool constant_time_equal(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace balai::security
