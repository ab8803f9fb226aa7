#pragma once
// A string hash keyed with a secret drawn at start-up (SipHash-2-4, libsodium's
// crypto_shorthash). Rate-limit and ban keys carry text an attacker chooses (account names,
// addresses); an unkeyed hash would let them aim every key at one shard and one hash chain.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace balai::security::firewall::detail {

class KeyedHash {
 public:
  // Draws a fresh random key.
  KeyedHash();
  uint64_t operator()(std::string_view text) const;

 private:
  std::array<unsigned char, 16> key_{};
};

// Adapts a KeyedHash for std::unordered_map; the KeyedHash must outlive the map.
struct KeyedStringHash {
  const KeyedHash* hash = nullptr;
  size_t operator()(std::string_view text) const { return static_cast<size_t>((*hash)(text)); }
};

}  // namespace balai::security::firewall::detail
