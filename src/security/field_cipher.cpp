#include "security/field_cipher.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace balai::security {
namespace {

static_assert(FieldCipher::kNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(FieldCipher::kTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(KeyRing::kKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(KeyRing::kKeyBytes >= crypto_generichash_KEYBYTES_MIN &&
              KeyRing::kKeyBytes <= crypto_generichash_KEYBYTES_MAX);

constexpr size_t kBlindIndexBytes = 32;

// The associated data: the blob's header, then the caller's context. Binding the header means
// the version and key id cannot be changed without the tag failing.
std::string associated_data(const uint8_t* header, std::string_view context) {
  std::string ad(reinterpret_cast<const char*>(header), FieldCipher::kHeaderBytes);
  ad.append(context);
  return ad;
}

core::Error cannot_decrypt() {
  return core::make_error(core::ErrorCode::internal, "cannot decrypt a protected field");
}

}  // namespace

FieldCipher::FieldCipher(const KeyRing& ring) : ring_(ring) {}

db::Blob FieldCipher::encrypt(std::string_view plaintext, std::string_view context) const {
  const uint32_t key_id = ring_.active_key_id();
  const KeyRing::KeyView key = *ring_.data_key(key_id);  // the active key always exists

  db::Blob sealed;
  std::vector<uint8_t>& out = sealed.bytes;
  out.resize(kOverheadBytes + plaintext.size());
  out[0] = kFormatVersion;
  out[1] = static_cast<uint8_t>(key_id >> 24);
  out[2] = static_cast<uint8_t>(key_id >> 16);
  out[3] = static_cast<uint8_t>(key_id >> 8);
  out[4] = static_cast<uint8_t>(key_id);
  uint8_t* nonce = out.data() + kHeaderBytes;
  randombytes_buf(nonce, kNonceBytes);
  const std::string ad = associated_data(out.data(), context);

  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + kNonceBytes, &written, reinterpret_cast<const uint8_t*>(plaintext.data()),
      plaintext.size(), reinterpret_cast<const uint8_t*>(ad.data()), ad.size(), nullptr, nonce,
      key.data());
  if (written != plaintext.size() + kTagBytes) {
    std::fputs("balai: fatal: field encryption wrote an unexpected length\n", stderr);
    std::abort();
  }
  return sealed;
}

core::Result<std::string> FieldCipher::decrypt(const db::Blob& sealed,
                                               std::string_view context) const {
  const std::vector<uint8_t>& in = sealed.bytes;
  const uint32_t key_id = key_id_of(sealed);
  if (key_id == kNoKeyId || in.size() < kOverheadBytes) return cannot_decrypt();
  const auto key = ring_.data_key(key_id);
  if (!key) return cannot_decrypt();

  const uint8_t* nonce = in.data() + kHeaderBytes;
  const uint8_t* ciphertext = nonce + kNonceBytes;
  const size_t ciphertext_size = in.size() - kHeaderBytes - kNonceBytes;
  const std::string ad = associated_data(in.data(), context);

  std::string plaintext(ciphertext_size - kTagBytes, '\0');
  unsigned long long opened = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<uint8_t*>(plaintext.data()),
                                                 &opened, nullptr, ciphertext, ciphertext_size,
                                                 reinterpret_cast<const uint8_t*>(ad.data()),
                                                 ad.size(), nonce, key->data()) != 0) {
    return cannot_decrypt();
  }
  plaintext.resize(static_cast<size_t>(opened));
  return plaintext;
}

uint32_t FieldCipher::key_id_of(const db::Blob& sealed) {
  const std::vector<uint8_t>& in = sealed.bytes;
  if (in.size() < kHeaderBytes || in[0] != kFormatVersion) return kNoKeyId;
  return (uint32_t{in[1]} << 24) | (uint32_t{in[2]} << 16) | (uint32_t{in[3]} << 8) |
         uint32_t{in[4]};
}

bool FieldCipher::needs_reencryption(const db::Blob& sealed) const {
  return key_id_of(sealed) != ring_.active_key_id();
}

db::Blob FieldCipher::blind_index(std::string_view normalized_value,
                                  std::string_view domain) const {
  if (domain.find('\0') != std::string_view::npos) {
    // With a NUL inside the domain, ("a\0b", "c") and ("a", "b\0c") would collide.
    std::fputs("balai: fatal: blind index domain contains a NUL byte\n", stderr);
    std::abort();
  }
  const KeyRing::KeyView key = ring_.blind_index_key();
  static constexpr uint8_t kSeparator = 0;
  crypto_generichash_state state;
  crypto_generichash_init(&state, key.data(), key.size(), kBlindIndexBytes);
  crypto_generichash_update(&state, reinterpret_cast<const uint8_t*>(domain.data()), domain.size());
  crypto_generichash_update(&state, &kSeparator, 1);
  crypto_generichash_update(&state, reinterpret_cast<const uint8_t*>(normalized_value.data()),
                            normalized_value.size());
  db::Blob index;
  index.bytes.resize(kBlindIndexBytes);
  crypto_generichash_final(&state, index.bytes.data(), index.bytes.size());
  sodium_memzero(&state, sizeof state);  // holds material derived from the key
  return index;
}

}  // namespace balai::security
