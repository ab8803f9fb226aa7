#pragma once
// Recovery codes: single-use codes a staff member writes down at TOTP enrolment and types
// instead of a TOTP code when the phone is lost. Each is 10 characters from a 31-letter alphabet
// (2-9 and A-Z without I, L and O, so nothing reads as another character on paper), shown as
// "7K3Q-9XWM-2P": 10 * log2(31) = 49.5 bits, too many to guess through a rate-limited sign-in.
//
// Only a keyed hash of each code is stored (hash_recovery_code); the caller deletes the row of a
// code when it is used, which is what makes it single-use.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace balai::security {

constexpr size_t kRecoveryCodeCharacters = 10;
// The key hash_recovery_code takes: the key ring's pepper (KeyRing::pepper()).
constexpr size_t kRecoveryCodeKeyBytes = 32;

// `count` fresh codes in display form ("7K3Q-9XWM-2P"), distinct from each other, from
// libsodium's CSPRNG. Show them once and store only their hashes. Thread-safe; does not block.
std::vector<std::string> generate_recovery_codes(size_t count = 10);

// The form in which a code is hashed: ASCII upper case, with ASCII whitespace and '-' removed,
// so "7k3q 9xwm-2p" and "7K3Q-9XWM-2P" are the same code. Nothing else is checked: text that is
// not a code normalises to something no stored hash matches. Takes untrusted input.
std::string normalize_recovery_code(std::string_view code);

// Lower-case hex of the keyed BLAKE2b-256 of "balai.recovery_code" || 0x00 || the normalised
// `code`, under `key`: what is stored and looked up. Fast on purpose: a code carries ~49 random
// bits, so unlike a password it needs no slow hash, and without the key (which lives in the key
// ring, not the database) a leaked table cannot be tested against guesses at all. The domain
// prefix keeps these hashes apart from anything else made with the same key. `key` must be
// kRecoveryCodeKeyBytes long; anything else is a bug and throws std::invalid_argument.
// Thread-safe.
std::string hash_recovery_code(std::span<const uint8_t> key, std::string_view code);

}  // namespace balai::security
