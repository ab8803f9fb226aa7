#include "security/recovery_codes.h"

#include <sodium.h>

#include <array>
#include <stdexcept>
#include <unordered_set>
#include <utility>

#include "core/ids.h"

namespace balai::security {
namespace {

constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
static_assert(kAlphabet.size() == 31);
constexpr std::string_view kDomain = "balai.recovery_code";
constexpr size_t kHashBytes = 32;

static_assert(kRecoveryCodeKeyBytes >= crypto_generichash_KEYBYTES_MIN &&
              kRecoveryCodeKeyBytes <= crypto_generichash_KEYBYTES_MAX);
static_assert(kHashBytes >= crypto_generichash_BYTES_MIN &&
              kHashBytes <= crypto_generichash_BYTES_MAX);

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// One code in display form: groups of 4, 4 and 2 characters, short enough to read aloud.
std::string random_code() {
  std::string code;
  code.reserve(kRecoveryCodeCharacters + 2);
  for (size_t i = 0; i < kRecoveryCodeCharacters; ++i) {
    if (i == 4 || i == 8) code.push_back('-');
    // randombytes_uniform is unbiased for a range that is not a power of two.
    code.push_back(kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))]);
  }
  return code;
}

}  // namespace

std::vector<std::string> generate_recovery_codes(size_t count) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
  std::vector<std::string> codes;
  codes.reserve(count);
  std::unordered_set<std::string> seen;
  while (codes.size() < count) {
    // A repeat is astronomically unlikely, but two equal codes would hash to one row.
    std::string code = random_code();
    if (seen.insert(code).second) codes.push_back(std::move(code));
  }
  return codes;
}

std::string normalize_recovery_code(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (char c : code) {
    if (c == '-' || is_space(c)) continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

std::string hash_recovery_code(std::span<const uint8_t> key, std::string_view code) {
  if (key.size() != kRecoveryCodeKeyBytes)
    throw std::invalid_argument("the recovery code key must be 32 bytes");
  std::string normalised = normalize_recovery_code(code);
  crypto_generichash_state state;
  crypto_generichash_init(&state, key.data(), key.size(), kHashBytes);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kDomain.data()),
                            kDomain.size());
  const unsigned char separator = 0;
  crypto_generichash_update(&state, &separator, 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(normalised.data()),
                            normalised.size());
  std::array<uint8_t, kHashBytes> digest;
  crypto_generichash_final(&state, digest.data(), digest.size());
  sodium_memzero(&state, sizeof state);  // derived from the key
  sodium_memzero(normalised.data(), normalised.size());
  return core::to_hex(digest);
}

}  // namespace balai::security
