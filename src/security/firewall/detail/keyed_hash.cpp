#include "security/firewall/detail/keyed_hash.h"

#include <sodium.h>

#include <stdexcept>

namespace balai::security::firewall::detail {

static_assert(crypto_shorthash_KEYBYTES == 16 && crypto_shorthash_BYTES == 8);

KeyedHash::KeyedHash() {
  // Idempotent and thread-safe; needed before randombytes_buf.
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  randombytes_buf(key_.data(), key_.size());
}

uint64_t KeyedHash::operator()(std::string_view text) const {
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                   key_.data());
  uint64_t value = 0;
  for (unsigned char byte : out) value = (value << 8) | byte;
  return value;
}

}  // namespace balai::security::firewall::detail
