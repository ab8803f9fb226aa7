#pragma once
// The key ring: every secret the server holds at rest (DESIGN.md, security model). It lives in
// one file in the data directory, mode 0600, generated on the first run:
//   - data-encryption keys for personal data (FieldCipher), each with an id that travels with
//     the ciphertext; exactly one is active (used to encrypt), the others only decrypt until
//     `balai keys rotate` has re-encrypted every row;
//   - the blind-index key (lookups by NIK or email without the plaintext);
//   - the password pepper (mixed into Argon2id);
//   - the Ed25519 key pair that signs audit checkpoints.
//
// Secret bytes never leave this type except through the accessors below, are never logged or
// printed, and are zeroed when the ring is destroyed. The ring is move-only so no second copy of
// the secrets exists; moving it keeps the secrets where they are (spans stay valid).

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace balai::security {

class KeyRing {
 public:
  static constexpr size_t kKeyBytes = 32;
  static constexpr size_t kPublicKeyBytes = 32;
  static constexpr size_t kSignatureBytes = 64;

  using KeyView = std::span<const uint8_t, kKeyBytes>;
  using PublicKey = std::array<uint8_t, kPublicKeyBytes>;
  using Signature = std::array<uint8_t, kSignatureBytes>;

  // What may be shown about a data key (`balai keys list`): never its bytes.
  struct DataKeyInfo {
    uint32_t id = 0;
    core::Timestamp created_at;
    bool active = false;
  };

  // Loads the key ring from `path`, or, when no file exists there, generates a new one (first
  // key id 1, created at `now`) and writes it atomically with mode 0600 (temporary file in the
  // same folder, fsync, rename, fsync of the folder). The folder must exist.
  // Fails (ErrorCode::internal, a message for the operator that names the path but no secret)
  // when the file allows group or other access ("keyring file X must be mode 0600"), is not a
  // regular file, is malformed, or cannot be read or written. Two processes starting together
  // agree on one ring: creation happens under an exclusive lock on `<path>.lock`.
  // Blocks (file I/O, fsync): call at start-up or from a command, never on an I/O thread.
  // Thread-safe.
  [[nodiscard]] static core::Result<KeyRing> load_or_create(const std::string& path,
                                                            core::Timestamp now);

  // A fresh ring that exists only in memory (tests, tools). Never persisted; `rotate` on it
  // writes a new file at the path given. Thread-safe.
  static KeyRing generate(core::Timestamp now);

  // A moved-from ring may only be destroyed or assigned to.
  KeyRing(KeyRing&&) noexcept;
  KeyRing& operator=(KeyRing&&) noexcept;
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;
  // Zeroes every secret.
  ~KeyRing();

  // Not printable: a key ring has nothing to show that is not secret.
  friend std::ostream& operator<<(std::ostream&, const KeyRing&) = delete;

  // Adds a data key with the next id, created at `now`, makes it the active one, keeps the
  // older keys (they still decrypt old rows), and rewrites the file at `path` atomically.
  // On any failure the ring in memory and the file are unchanged. Refuses
  // (ErrorCode::conflict) when the file on disk no longer holds exactly this ring (another
  // process rotated it since it was loaded), so two rotations never lose a key.
  // Blocks (file I/O, an exclusive lock on `<path>.lock`). Not thread-safe: nothing else may
  // use the ring while it rotates. Other processes (a running server) see the new key only
  // after they load the file again; until then they keep encrypting with the old one, which
  // stays valid.
  [[nodiscard]] core::Status rotate(const std::string& path, core::Timestamp now);

  // Id of the key new ciphertexts use. Thread-safe (const).
  uint32_t active_key_id() const;

  // Reads the ring's file again and takes keys added there since (a rotation by another
  // process: `balai keys rotate` while the server runs) and the file's choice of active key.
  // Returns whether anything changed. Ignores a file that is not this ring grown (other
  // pepper, index or signing key). Thread-safe; blocks on the file. data_key() calls it for an
  // unknown key id, and active_key_id() at most every kRefreshEveryMs.
  bool refresh() const;
  static constexpr int64_t kRefreshEveryMs = 10'000;

  // The bytes of data key `id`, or nullopt when the ring has no such key. The span points into
  // the ring and stays valid while the ring lives (rotation does not move existing keys).
  // Thread-safe (const).
  std::optional<KeyView> data_key(uint32_t id) const;

  // Every data key's id, creation time and active flag, ascending by id. Thread-safe (const).
  std::vector<DataKeyInfo> data_keys() const;

  // Key of the blind index (FieldCipher::blind_index). Valid while the ring lives.
  // Thread-safe (const).
  KeyView blind_index_key() const;

  // Secret mixed into every password hash; valid while the ring lives. Thread-safe (const).
  KeyView pepper() const;

  // The public half of the audit signing key, safe to publish so anyone can verify
  // checkpoints. Thread-safe (const).
  PublicKey signing_public_key() const;

  // Ed25519 signature of `message` with the ring's signing key. Thread-safe (const).
  Signature sign(std::span<const uint8_t> message) const;

  // True when `signature` is a valid Ed25519 signature of `message` under `public_key`. Takes
  // untrusted input: wrong sizes give false. Thread-safe.
  static bool verify_signature(std::span<const uint8_t> public_key,
                               std::span<const uint8_t> message,
                               std::span<const uint8_t> signature);

 private:
  struct Secrets;
  explicit KeyRing(std::unique_ptr<Secrets> secrets);

  std::unique_ptr<Secrets> secrets_;  // never null except in a moved-from ring
};

}  // namespace balai::security
