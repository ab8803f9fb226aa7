#pragma once
// Encryption of personal data at rest (NIK, KK, name, birth date, address, phone, email) and the
// blind index that finds a row by one of them without storing the plaintext (DESIGN.md, data).
//
// A sealed field is a db::Blob laid out as
//   version (1 byte, = 1) | key id (4 bytes, big endian) | nonce (24 bytes) | ciphertext + tag
// with XChaCha20-Poly1305 (IETF). The version and key id are authenticated together with a
// caller-chosen context, e.g. "identity.citizens.nik:<row external id>", so a ciphertext copied
// to another row or column does not decrypt.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "db/value.h"
#include "security/key_ring.h"

namespace balai::security {

class FieldCipher {
 public:
  static constexpr uint8_t kFormatVersion = 1;
  static constexpr size_t kHeaderBytes = 1 + 4;
  static constexpr size_t kNonceBytes = 24;
  static constexpr size_t kTagBytes = 16;
  // Bytes a sealed field adds to its plaintext.
  static constexpr size_t kOverheadBytes = kHeaderBytes + kNonceBytes + kTagBytes;
  // What key_id_of answers for a blob that is not a sealed field (real ids start at 1).
  static constexpr uint32_t kNoKeyId = 0;

  // Keeps a reference: `ring` must outlive the cipher, and must not rotate while the cipher is
  // in use (rotation happens in `balai keys rotate`, another process).
  explicit FieldCipher(const KeyRing& ring);

  // Seals `plaintext` under the ring's active key with a fresh random nonce, binding `context`.
  // Two calls with the same input give different blobs. Thread-safe; does not block.
  db::Blob encrypt(std::string_view plaintext, std::string_view context) const;

  // Opens a blob made by encrypt with the same `context`. Fails (ErrorCode::internal, one
  // message that says nothing about why) when the blob is too short, has an unknown version or
  // key id, was changed in any byte, or was sealed for another context. Takes untrusted input.
  // Thread-safe; does not block.
  [[nodiscard]] core::Result<std::string> decrypt(const db::Blob& sealed,
                                                  std::string_view context) const;

  // The key id a blob was sealed with, or kNoKeyId when it is not a sealed field of a known
  // version. Does not authenticate the blob. Thread-safe.
  static uint32_t key_id_of(const db::Blob& sealed);

  // True when the blob was not sealed with the active key, so the re-encryption batch of
  // `balai keys rotate` should open and seal it again. Also true for a blob that is not a sealed
  // field at all, so that job reports it instead of skipping it. Thread-safe.
  bool needs_reencryption(const db::Blob& sealed) const;

  // A keyed BLAKE2b-256 of `domain` || 0x00 || `normalized_value` under the ring's blind-index
  // key: equal inputs give equal 32 bytes (so a unique index finds the row), different domains
  // give unrelated outputs, and without the key nobody can test a guessed NIK against it.
  // The caller normalises (digits only, lower-case email, ...). `domain` names the column
  // ("identity.citizens.nik") and must not contain a NUL byte (checked; a bug otherwise).
  // Thread-safe; does not block.
  db::Blob blind_index(std::string_view normalized_value, std::string_view domain) const;

 private:
  const KeyRing& ring_;  // read only, so concurrent calls need no lock
};

}  // namespace balai::security
