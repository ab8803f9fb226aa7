#include "security/passwords.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "core/text.h"

namespace balai::security {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// libsodium reads stored hashes as NUL-terminated C strings of fewer than crypto_pwhash_STRBYTES
// bytes; anything else is not one of ours.
bool is_plausible_stored_hash(std::string_view stored) {
  return !stored.empty() && stored.size() < crypto_pwhash_STRBYTES &&
         stored.find('\0') == std::string_view::npos;
}

// A std::string whose bytes are wiped when it goes out of scope (normalised passwords).
struct WipedString {
  std::string text;
  ~WipedString() { sodium_memzero(text.data(), text.size()); }
};

}  // namespace

std::string normalize_password(std::string_view password) {
  password = core::trim(password);
  std::string out;
  out.reserve(password.size());
  bool in_space = false;
  for (char c : password) {
    if (is_space(c)) {
      in_space = true;
      continue;
    }
    if (in_space) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
  return out;
}

PasswordHasher::PasswordHasher(std::span<const uint8_t> pepper, Argon2Parameters parameters)
    : parameters_(parameters) {
  static_assert(kPepperSize == crypto_auth_hmacsha256_KEYBYTES);
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
  if (pepper.size() != kPepperSize)
    throw std::invalid_argument("the password pepper must be 32 bytes");
  if (parameters.opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      parameters.opslimit > crypto_pwhash_argon2id_OPSLIMIT_MAX)
    throw std::invalid_argument("Argon2 opslimit is out of range");
  if (parameters.memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      parameters.memlimit > crypto_pwhash_argon2id_MEMLIMIT_MAX)
    throw std::invalid_argument("Argon2 memlimit is out of range");
  std::copy(pepper.begin(), pepper.end(), pepper_.begin());
}

PasswordHasher::~PasswordHasher() {
  sodium_memzero(pepper_.data(), pepper_.size());
}

std::array<uint8_t, 32> PasswordHasher::peppered(std::string_view password) const {
  static_assert(crypto_auth_hmacsha256_BYTES == 32);
  const WipedString normalised{normalize_password(password)};
  std::array<uint8_t, 32> mac;
  crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(normalised.text.data()),
                         normalised.text.size(), pepper_.data());
  return mac;
}

core::Result<std::string> PasswordHasher::hash(std::string_view password) const {
  auto mac = peppered(password);
  char out[crypto_pwhash_STRBYTES];
  const int rc = crypto_pwhash_str_alg(out, reinterpret_cast<const char*>(mac.data()), mac.size(),
                                       parameters_.opslimit, parameters_.memlimit,
                                       crypto_pwhash_ALG_ARGON2ID13);
  sodium_memzero(mac.data(), mac.size());
  if (rc != 0)
    return core::make_error(core::ErrorCode::unavailable,
                            "not enough memory to hash the password; try again");
  return std::string(out);
}

bool PasswordHasher::verify(std::string_view stored, std::string_view password) const {
  if (!is_plausible_stored_hash(stored)) return false;
  const std::string stored_z(stored);  // NUL-terminated for libsodium
  auto mac = peppered(password);
  const int rc = crypto_pwhash_str_verify(stored_z.c_str(),
                                          reinterpret_cast<const char*>(mac.data()), mac.size());
  sodium_memzero(mac.data(), mac.size());
  return rc == 0;
}

bool PasswordHasher::needs_rehash(std::string_view stored) const {
  if (!is_plausible_stored_hash(stored)) return true;
  const std::string stored_z(stored);
  // 0: same algorithm and parameters; 1: other parameters; -1: not an Argon2id string.
  return crypto_pwhash_argon2id_str_needs_rehash(stored_z.c_str(), parameters_.opslimit,
                                                 parameters_.memlimit) != 0;
}

}  // namespace balai::security
