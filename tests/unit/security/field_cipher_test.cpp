#include "security/field_cipher.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/ids.h"
#include "security/key_ring.h"

namespace balai::security {
namespace {

namespace fs = std::filesystem;

constexpr core::Timestamp kNow{1'795'746'600'000};
constexpr core::Timestamp kLater{1'795'833'000'000};
constexpr std::string_view kNik = "3577011203870001";  // NIK: the 16-digit national id number
constexpr std::string_view kContext = "identity.citizens.nik:0190f3a2-7b1c-7d2e-8f00-1a2b3c4d5e6f";

class FieldCipherTest : public ::testing::Test {
 protected:
  KeyRing ring_ = KeyRing::generate(kNow);
  FieldCipher cipher_{ring_};
};

TEST_F(FieldCipherTest, RoundTripsText) {
  auto opened = cipher_.decrypt(cipher_.encrypt(kNik, kContext), kContext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, kNik);
}

TEST_F(FieldCipherTest, RoundTripsEmptyText) {
  const db::Blob sealed = cipher_.encrypt("", kContext);
  EXPECT_EQ(sealed.bytes.size(), FieldCipher::kOverheadBytes);
  auto opened = cipher_.decrypt(sealed, kContext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "");
}

TEST_F(FieldCipherTest, RoundTripsUnicodeText) {
  const std::string name = "Ni Luh Putu Ayu Śāntī — 王小明 🌏";
  auto opened = cipher_.decrypt(cipher_.encrypt(name, kContext), kContext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, name);
}

TEST_F(FieldCipherTest, RoundTripsTextWithNulBytes) {
  const std::string text("a\0b\0", 4);
  auto opened = cipher_.decrypt(cipher_.encrypt(text, kContext), kContext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, text);
}

TEST_F(FieldCipherTest, LaysOutVersionKeyIdNonceAndCiphertext) {
  const db::Blob sealed = cipher_.encrypt(kNik, kContext);
  ASSERT_EQ(sealed.bytes.size(), 1 + 4 + 24 + kNik.size() + 16);
  EXPECT_EQ(sealed.bytes[0], 1);
  EXPECT_EQ(sealed.bytes[1], 0);
  EXPECT_EQ(sealed.bytes[2], 0);
  EXPECT_EQ(sealed.bytes[3], 0);
  EXPECT_EQ(sealed.bytes[4], 1);
}

TEST_F(FieldCipherTest, DoesNotContainThePlaintext) {
  const db::Blob sealed = cipher_.encrypt(kNik, kContext);
  const std::string bytes(sealed.bytes.begin(), sealed.bytes.end());
  EXPECT_EQ(bytes.find(kNik), std::string::npos);
}

TEST_F(FieldCipherTest, GivesDifferentCiphertextsForTheSameText) {
  EXPECT_NE(cipher_.encrypt(kNik, kContext), cipher_.encrypt(kNik, kContext));
}

TEST_F(FieldCipherTest, FailsInAnotherContext) {
  const db::Blob sealed = cipher_.encrypt(kNik, kContext);
  auto opened =
      cipher_.decrypt(sealed, "identity.citizens.nik:0190f3a2-0000-7000-8000-000000000000");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, core::ErrorCode::internal);
}

TEST_F(FieldCipherTest, FailsWhenAnySingleByteIsChanged) {
  const db::Blob sealed = cipher_.encrypt("3577", kContext);
  for (size_t i = 0; i < sealed.bytes.size(); ++i) {
    db::Blob tampered = sealed;
    tampered.bytes[i] ^= 0x01;
    EXPECT_FALSE(cipher_.decrypt(tampered, kContext).ok()) << "byte " << i;
  }
}

TEST_F(FieldCipherTest, FailsWhenTruncatedToAnyLength) {
  const db::Blob sealed = cipher_.encrypt("3577", kContext);
  for (size_t n = 0; n < sealed.bytes.size(); ++n) {
    db::Blob truncated{std::vector<uint8_t>(sealed.bytes.begin(), sealed.bytes.begin() + n)};
    EXPECT_FALSE(cipher_.decrypt(truncated, kContext).ok()) << "length " << n;
  }
}

TEST_F(FieldCipherTest, FailsWithAnUnknownKeyId) {
  db::Blob sealed = cipher_.encrypt(kNik, kContext);
  sealed.bytes[4] = 9;  // key 9 is not in the ring
  auto opened = cipher_.decrypt(sealed, kContext);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, core::ErrorCode::internal);
}

TEST_F(FieldCipherTest, FailsWithAnUnknownVersion) {
  db::Blob sealed = cipher_.encrypt(kNik, kContext);
  sealed.bytes[0] = 2;
  EXPECT_FALSE(cipher_.decrypt(sealed, kContext).ok());
}

TEST_F(FieldCipherTest, FailsUnderAnotherRingWithTheSameKeyId) {
  const KeyRing other = KeyRing::generate(kNow);
  const db::Blob sealed = cipher_.encrypt(kNik, kContext);
  EXPECT_FALSE(FieldCipher(other).decrypt(sealed, kContext).ok());
}

TEST_F(FieldCipherTest, SaysTheSameThingForEveryFailure) {
  db::Blob sealed = cipher_.encrypt(kNik, kContext);
  const auto wrong_context = cipher_.decrypt(sealed, "other");
  sealed.bytes[4] = 9;
  const auto unknown_key = cipher_.decrypt(sealed, kContext);
  const auto too_short = cipher_.decrypt(db::Blob{{1, 0, 0, 0, 1}}, kContext);
  ASSERT_FALSE(wrong_context.ok());
  ASSERT_FALSE(unknown_key.ok());
  ASSERT_FALSE(too_short.ok());
  EXPECT_EQ(wrong_context.error().message, unknown_key.error().message);
  EXPECT_EQ(wrong_context.error().message, too_short.error().message);
}

TEST_F(FieldCipherTest, ReadsTheKeyIdOfABlob) {
  EXPECT_EQ(FieldCipher::key_id_of(cipher_.encrypt(kNik, kContext)), 1u);
  EXPECT_EQ(FieldCipher::key_id_of(db::Blob{{1, 0x01, 0x02, 0x03, 0x04}}), 0x01020304u);
}

TEST_F(FieldCipherTest, ReadsNoKeyIdFromSomethingElse) {
  EXPECT_EQ(FieldCipher::key_id_of(db::Blob{}), FieldCipher::kNoKeyId);
  EXPECT_EQ(FieldCipher::key_id_of(db::Blob{{1, 0, 0}}), FieldCipher::kNoKeyId);
  EXPECT_EQ(FieldCipher::key_id_of(db::Blob{{7, 0, 0, 0, 1}}), FieldCipher::kNoKeyId);
}

TEST_F(FieldCipherTest, DoesNotAskToReencryptUnderTheActiveKey) {
  EXPECT_FALSE(cipher_.needs_reencryption(cipher_.encrypt(kNik, kContext)));
}

TEST_F(FieldCipherTest, AsksToReencryptSomethingThatIsNotASealedField) {
  EXPECT_TRUE(cipher_.needs_reencryption(db::Blob{{0xde, 0xad}}));
}

// Rotation needs the key file.
class FieldCipherRotation : public ::testing::Test {
 protected:
  FieldCipherRotation()
      : dir_(fs::temp_directory_path() / ("balai-cipher-" + core::random_hex_id())) {
    fs::create_directories(dir_);
    path_ = (dir_ / "keyring.json").string();
  }
  ~FieldCipherRotation() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  KeyRing load() {
    auto ring = KeyRing::load_or_create(path_, kNow);
    if (!ring.ok()) ADD_FAILURE() << ring.error().message;
    return std::move(ring).value();
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(FieldCipherRotation, StillDecryptsWhatTheOldKeySealed) {
  KeyRing ring = load();
  const db::Blob old_sealed = FieldCipher(ring).encrypt(kNik, kContext);
  ASSERT_TRUE(ring.rotate(path_, kLater).ok());
  auto opened = FieldCipher(ring).decrypt(old_sealed, kContext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, kNik);
}

TEST_F(FieldCipherRotation, SealsWithTheNewKeyId) {
  KeyRing ring = load();
  ASSERT_TRUE(ring.rotate(path_, kLater).ok());
  const db::Blob sealed = FieldCipher(ring).encrypt(kNik, kContext);
  EXPECT_EQ(FieldCipher::key_id_of(sealed), 2u);
}

TEST_F(FieldCipherRotation, AsksToReencryptOnlyWhatTheOldKeySealed) {
  KeyRing ring = load();
  const db::Blob old_sealed = FieldCipher(ring).encrypt(kNik, kContext);
  ASSERT_TRUE(ring.rotate(path_, kLater).ok());
  const FieldCipher cipher(ring);
  EXPECT_TRUE(cipher.needs_reencryption(old_sealed));
  EXPECT_FALSE(cipher.needs_reencryption(cipher.encrypt(kNik, kContext)));
}

TEST_F(FieldCipherRotation, DecryptsOldCiphertextsAfterReloadingARotatedRing) {
  KeyRing ring = load();
  const db::Blob old_sealed = FieldCipher(ring).encrypt(kNik, kContext);
  ASSERT_TRUE(ring.rotate(path_, kLater).ok());
  const KeyRing reloaded = load();
  auto opened = FieldCipher(reloaded).decrypt(old_sealed, kContext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, kNik);
}

TEST_F(FieldCipherTest, BlindIndexIsDeterministic) {
  EXPECT_EQ(cipher_.blind_index(kNik, "identity.citizens.nik"),
            cipher_.blind_index(kNik, "identity.citizens.nik"));
}

TEST_F(FieldCipherTest, BlindIndexIsThirtyTwoBytes) {
  EXPECT_EQ(cipher_.blind_index(kNik, "identity.citizens.nik").bytes.size(), 32u);
}

TEST_F(FieldCipherTest, BlindIndexDiffersByValue) {
  EXPECT_NE(cipher_.blind_index("3577011203870001", "identity.citizens.nik"),
            cipher_.blind_index("3577011203870002", "identity.citizens.nik"));
}

TEST_F(FieldCipherTest, BlindIndexDiffersByDomain) {
  EXPECT_NE(cipher_.blind_index(kNik, "identity.citizens.nik"),
            cipher_.blind_index(kNik, "identity.citizens.kk"));
}

TEST_F(FieldCipherTest, BlindIndexSeparatesTheDomainFromTheValue) {
  EXPECT_NE(cipher_.blind_index("bc", "a"), cipher_.blind_index("c", "ab"));
}

TEST_F(FieldCipherTest, BlindIndexDiffersByKey) {
  const KeyRing other = KeyRing::generate(kNow);
  EXPECT_NE(cipher_.blind_index(kNik, "identity.citizens.nik"),
            FieldCipher(other).blind_index(kNik, "identity.citizens.nik"));
}

TEST_F(FieldCipherRotation, BlindIndexDoesNotChangeWhenDataKeysRotate) {
  KeyRing ring = load();
  const db::Blob before = FieldCipher(ring).blind_index(kNik, "identity.citizens.nik");
  ASSERT_TRUE(ring.rotate(path_, kLater).ok());
  EXPECT_EQ(FieldCipher(ring).blind_index(kNik, "identity.citizens.nik"), before);
}

}  // namespace
}  // namespace balai::security
