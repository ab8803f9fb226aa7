#include "security/csrf.h"

#include <sodium.h>

#include <stdexcept>

namespace balai::security {
namespace {
constexpr std::string_view kLabel = "balai-csrf-key-v1";
}

CsrfTokens::CsrfTokens(std::span<const uint8_t> master) {
  if (master.size() < crypto_generichash_KEYBYTES_MIN)
    throw std::invalid_argument("CSRF master key too short");
  crypto_generichash(key_.data(), key_.size(),
                     reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(),
                     master.data(), master.size());
}

CsrfTokens::~CsrfTokens() {
  sodium_memzero(key_.data(), key_.size());
}

std::string CsrfTokens::mac(std::string_view label, std::string_view secret) const {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key_.data(), key_.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(label.data()),
                                label.size());
  const unsigned char separator = 0;
  crypto_auth_hmacsha256_update(&state, &separator, 1);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                                secret.size());
  std::array<uint8_t, crypto_auth_hmacsha256_BYTES> out{};
  crypto_auth_hmacsha256_final(&state, out.data());
  std::array<char, 45> text{};
  sodium_bin2base64(text.data(), text.size(), out.data(), out.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(text.data());
}

std::string CsrfTokens::for_session(std::string_view session_token) const {
  return mac("session", session_token);
}

std::string CsrfTokens::for_visitor(std::string_view visitor_secret) const {
  return mac("visitor", visitor_secret);
}

bool CsrfTokens::matches(std::string_view expected, std::string_view presented) {
  if (expected.empty() || expected.size() != presented.size()) return false;
  return sodium_memcmp(expected.data(), presented.data(), expected.size()) == 0;
}

}  // namespace balai::security
