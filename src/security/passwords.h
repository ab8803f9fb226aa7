#pragma once
// Password hashing (DESIGN.md, security model): Argon2id through libsodium's crypto_pwhash, with
// a pepper held outside the database.
//
// What is stored is crypto_pwhash_str_alg(HMAC-SHA-256(pepper, normalised password)) with
// Argon2id v1.3: a self-describing string "$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>". The
// salt is random per hash. A leaked database alone cannot be attacked offline: every guess also
// needs the pepper, which lives in the key ring on disk, never in the database or the repository.
// Changing the pepper invalidates every stored hash (there is no pepper rotation yet).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace balai::security {

// The cost of one hash. Defaults: t=3 passes over m=64 MiB, one lane. libsodium's MODERATE
// (t=3, m=256 MiB) is too slow and too big for a 2-core server that hashes at every sign-in
// under load; t=3/64 MiB is above OWASP's Argon2id floor (m=19 MiB, t=2), which is also an
// acceptable setting on smaller machines. Each hash in flight holds `memlimit` bytes, so a worker
// pool of N threads may hold N * memlimit at once. Read from configuration at start-up; stored
// hashes made with other values keep verifying and are upgraded by needs_rehash at sign-in.
struct Argon2Parameters {
  uint64_t opslimit = 3;               // passes (Argon2 t); at least crypto_pwhash_OPSLIMIT_MIN
  size_t memlimit = size_t{64} << 20;  // bytes (Argon2 m); at least crypto_pwhash_MEMLIMIT_MIN
};

// The form in which a password is checked and hashed: runs of ASCII whitespace (space, tab, CR,
// LF) become one space and both ends are trimmed, so "correct  horse " is "correct horse". No
// other change (no case folding, no Unicode normalisation): what the person types is what counts.
std::string normalize_password(std::string_view password);

// Hashes and verifies passwords with one pepper and one set of Argon2 parameters.
//
// Thread-safe: every member function is const and keeps no state between calls, so one instance
// is shared by all worker threads. hash() and verify() are blocking and CPU- and memory-heavy
// (tens to hundreds of milliseconds, `memlimit` bytes each): call them on worker threads only,
// never on an I/O thread. The pepper is copied in and wiped from memory when the hasher ends.
class PasswordHasher {
 public:
  static constexpr size_t kPepperSize = 32;

  // `pepper` must be kPepperSize random bytes (from the key ring); `parameters` must lie within
  // libsodium's limits for Argon2id. Throws std::invalid_argument otherwise and
  // std::runtime_error when libsodium cannot start: both are start-up failures.
  PasswordHasher(std::span<const uint8_t> pepper, Argon2Parameters parameters = {});
  ~PasswordHasher();
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // The string to store for a password (normalised first; see normalize_password). Does not
  // apply the password policy: check_password does that before a password is set. Fails with
  // ErrorCode::unavailable when the memory for Argon2 cannot be had (too many hashes at once).
  [[nodiscard]] core::Result<std::string> hash(std::string_view password) const;

  // True when `password` (normalised first) matches `stored`, a string made by hash() with the
  // same pepper. False for a wrong password, another pepper, or a stored string that is not a
  // libsodium Argon2 string. The comparison is constant-time (libsodium). The cost is that of
  // the parameters inside `stored`.
  bool verify(std::string_view stored, std::string_view password) const;

  // True when `stored` was made with other parameters than this hasher's, or is not a valid
  // Argon2id string: after a successful verify, hash the password again and store the result.
  // Cheap (parses the string only).
  bool needs_rehash(std::string_view stored) const;

  const Argon2Parameters& parameters() const { return parameters_; }

 private:
  // HMAC-SHA-256(pepper, normalised password): what Argon2 actually hashes.
  std::array<uint8_t, 32> peppered(std::string_view password) const;

  std::array<uint8_t, kPepperSize> pepper_{};
  Argon2Parameters parameters_;
};

}  // namespace balai::security
