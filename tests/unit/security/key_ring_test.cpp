#include "security/key_ring.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <type_traits>
#include <vector>

#include "core/ids.h"
#include "security/field_cipher.h"

namespace balai::security {
namespace {

namespace fs = std::filesystem;

constexpr core::Timestamp kNow{1'795'746'600'000};
constexpr core::Timestamp kLater{1'795'833'000'000};

// A key ring must never be copied: a copy would be a second set of secrets to zero.
static_assert(!std::is_copy_constructible_v<KeyRing>);
static_assert(!std::is_copy_assignable_v<KeyRing>);
static_assert(std::is_nothrow_move_constructible_v<KeyRing>);

// A fresh folder per test, removed afterwards.
class KeyRingFile : public ::testing::Test {
 protected:
  KeyRingFile()
      : dir_(fs::temp_directory_path() / ("balai-keyring-" + core::random_hex_id())),
        path_((dir_ / "keyring.json").string()) {
    fs::create_directories(dir_);
  }
  ~KeyRingFile() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Writes `text` as the key file with the given permissions.
  void write_file(const std::string& text, fs::perms perms) {
    {
      std::ofstream out(path_, std::ios::binary | std::ios::trunc);
      out << text;
    }
    fs::permissions(path_, perms, fs::perm_options::replace);
  }

  std::string read_file() const {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  KeyRing load() {
    auto ring = KeyRing::load_or_create(path_, kNow);
    if (!ring.ok()) ADD_FAILURE() << ring.error().message;
    return std::move(ring).value();
  }

  fs::path dir_;
  std::string path_;
};

constexpr fs::perms kOwnerOnly = fs::perms::owner_read | fs::perms::owner_write;

bool same_bytes(KeyRing::KeyView a, KeyRing::KeyView b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

TEST_F(KeyRingFile, IsCreatedWithModeSixHundredWhenMissing) {
  const KeyRing ring = load();
  ASSERT_TRUE(fs::exists(path_));
  EXPECT_EQ(fs::status(path_).permissions(), kOwnerOnly);
}

TEST_F(KeyRingFile, StartsWithOneActiveKeyNumberedOne) {
  const KeyRing ring = load();
  EXPECT_EQ(ring.active_key_id(), 1u);
  const auto keys = ring.data_keys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].id, 1u);
  EXPECT_EQ(keys[0].created_at, kNow);
  EXPECT_TRUE(keys[0].active);
}

TEST_F(KeyRingFile, LeavesNoTemporaryFileBehind) {
  const KeyRing ring = load();
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    names.push_back(entry.path().filename().string());
  }
  for (const auto& name : names) EXPECT_EQ(name.find(".tmp-"), std::string::npos) << name;
}

TEST_F(KeyRingFile, ReloadsToTheSameKeys) {
  const KeyRing created = load();
  const KeyRing loaded = load();
  EXPECT_EQ(loaded.active_key_id(), created.active_key_id());
  EXPECT_TRUE(same_bytes(*loaded.data_key(1), *created.data_key(1)));
  EXPECT_TRUE(same_bytes(loaded.blind_index_key(), created.blind_index_key()));
  EXPECT_TRUE(same_bytes(loaded.pepper(), created.pepper()));
  EXPECT_EQ(loaded.signing_public_key(), created.signing_public_key());
}

TEST_F(KeyRingFile, DecryptsAfterReloadWhatItEncryptedBefore) {
  const KeyRing created = load();
  const db::Blob sealed = FieldCipher(created).encrypt("3577011203870001", "nik:a");
  const KeyRing loaded = load();
  auto opened = FieldCipher(loaded).decrypt(sealed, "nik:a");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "3577011203870001");
}

TEST_F(KeyRingFile, IsRefusedWhenTheGroupCanReadIt) {
  { const KeyRing ring = load(); }
  fs::permissions(path_, kOwnerOnly | fs::perms::group_read, fs::perm_options::replace);
  auto ring = KeyRing::load_or_create(path_, kNow);
  ASSERT_FALSE(ring.ok());
  EXPECT_NE(ring.error().message.find("keyring file " + path_ + " must be mode 0600"),
            std::string::npos)
      << ring.error().message;
}

TEST_F(KeyRingFile, IsRefusedWhenOthersCanReadIt) {
  { const KeyRing ring = load(); }
  fs::permissions(path_, kOwnerOnly | fs::perms::others_read, fs::perm_options::replace);
  EXPECT_FALSE(KeyRing::load_or_create(path_, kNow).ok());
}

TEST_F(KeyRingFile, IsNotReplacedWhenRefused) {
  { const KeyRing ring = load(); }
  const std::string before = read_file();
  fs::permissions(path_, kOwnerOnly | fs::perms::group_read, fs::perm_options::replace);
  EXPECT_FALSE(KeyRing::load_or_create(path_, kNow).ok());
  EXPECT_EQ(read_file(), before);
}

TEST_F(KeyRingFile, IsRefusedWhenItIsNotJson) {
  write_file("{\"format\": 1, \"data_keys\": [", kOwnerOnly);
  auto ring = KeyRing::load_or_create(path_, kNow);
  ASSERT_FALSE(ring.ok());
  EXPECT_NE(ring.error().message.find("malformed"), std::string::npos) << ring.error().message;
}

TEST_F(KeyRingFile, IsRefusedWhenAKeyHasTheWrongLength) {
  { const KeyRing ring = load(); }
  std::string text = read_file();
  const std::string marker = "\"pepper\": \"";
  const size_t at = text.find(marker);
  ASSERT_NE(at, std::string::npos);
  text.erase(at + marker.size(), 4);  // 44 base64 characters -> 40: 30 bytes, not 32
  write_file(text, kOwnerOnly);
  auto ring = KeyRing::load_or_create(path_, kNow);
  ASSERT_FALSE(ring.ok());
  EXPECT_NE(ring.error().message.find("pepper"), std::string::npos) << ring.error().message;
}

TEST_F(KeyRingFile, IsRefusedWhenNoKeyIsActive) {
  { const KeyRing ring = load(); }
  std::string text = read_file();
  const size_t at = text.find("\"active\": true");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 14, "\"active\": false");
  write_file(text, kOwnerOnly);
  EXPECT_FALSE(KeyRing::load_or_create(path_, kNow).ok());
}

TEST_F(KeyRingFile, IsRefusedInAnUnknownFormat) {
  { const KeyRing ring = load(); }
  std::string text = read_file();
  const size_t at = text.find("\"format\": 1");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 11, "\"format\": 2");
  write_file(text, kOwnerOnly);
  auto ring = KeyRing::load_or_create(path_, kNow);
  ASSERT_FALSE(ring.ok());
  EXPECT_NE(ring.error().message.find("unsupported format 2"), std::string::npos);
}

TEST_F(KeyRingFile, IsNotCreatedInAMissingFolder) {
  const std::string path = (dir_ / "missing" / "keyring.json").string();
  EXPECT_FALSE(KeyRing::load_or_create(path, kNow).ok());
}

TEST_F(KeyRingFile, HoldsNoSecretInItsErrorMessages) {
  { const KeyRing ring = load(); }
  const std::string text = read_file();
  const size_t at = text.find("\"pepper\": \"");
  ASSERT_NE(at, std::string::npos);
  const std::string pepper_b64 = text.substr(at + 11, 44);
  fs::permissions(path_, kOwnerOnly | fs::perms::group_read, fs::perm_options::replace);
  auto ring = KeyRing::load_or_create(path_, kNow);
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.error().message.find(pepper_b64), std::string::npos);
}

TEST_F(KeyRingFile, RotationMakesANewActiveKeyWithTheNextId) {
  KeyRing ring = load();
  ASSERT_TRUE(ring.rotate(path_, kLater).ok());
  EXPECT_EQ(ring.active_key_id(), 2u);
  const auto keys = ring.data_keys();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_FALSE(keys[0].active);
  EXPECT_TRUE(keys[1].active);
  EXPECT_EQ(keys[1].created_at, kLater);
  EXPECT_FALSE(same_bytes(*ring.data_key(1), *ring.data_key(2)));
}

TEST_F(KeyRingFile, RotationIsWrittenToTheFile) {
  KeyRing ring = load();
  ASSERT_TRUE(ring.rotate(path_, kLater).ok());
  const KeyRing reloaded = load();
  EXPECT_EQ(reloaded.active_key_id(), 2u);
  ASSERT_TRUE(reloaded.data_key(1).has_value());
  ASSERT_TRUE(reloaded.data_key(2).has_value());
  EXPECT_TRUE(same_bytes(*reloaded.data_key(2), *ring.data_key(2)));
  EXPECT_EQ(fs::status(path_).permissions(), kOwnerOnly);
}

TEST_F(KeyRingFile, RotationKeepsTheOtherSecrets) {
  KeyRing ring = load();
  const KeyRing::PublicKey public_key = ring.signing_public_key();
  const std::vector<uint8_t> pepper(ring.pepper().begin(), ring.pepper().end());
  ASSERT_TRUE(ring.rotate(path_, kLater).ok());
  EXPECT_EQ(ring.signing_public_key(), public_key);
  EXPECT_TRUE(std::equal(pepper.begin(), pepper.end(), ring.pepper().begin()));
}

TEST_F(KeyRingFile, RotationIsRefusedWhenTheFileWasRotatedElsewhere) {
  KeyRing first = load();
  KeyRing second = load();
  ASSERT_TRUE(second.rotate(path_, kLater).ok());
  const core::Status s = first.rotate(path_, kLater);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::conflict);
  // The refused ring does not lose what happened on disk: it reads the file again.
  EXPECT_EQ(first.active_key_id(), 2u);
  EXPECT_EQ(load().active_key_id(), 2u);
}

TEST_F(KeyRingFile, ARunningProcessTakesARotationMadeByAnother) {
  const KeyRing server = load();  // the running server's ring
  ASSERT_EQ(server.active_key_id(), 1u);
  KeyRing cli = load();  // `balai keys rotate` in another process
  ASSERT_TRUE(cli.rotate(path_, kLater).ok());
  // A ciphertext under the new key: the server has never seen key 2, reads the file, decrypts.
  const auto key2 = server.data_key(2);
  ASSERT_TRUE(key2.has_value());
  EXPECT_TRUE(std::equal(key2->begin(), key2->end(), cli.data_key(2)->begin()));
  EXPECT_TRUE(server.data_key(1).has_value());
  EXPECT_EQ(server.active_key_id(), 2u);
  EXPECT_FALSE(server.refresh());  // nothing new since
}

TEST_F(KeyRingFile, IgnoresAFileThatIsAnotherRing) {
  const KeyRing server = load();
  std::filesystem::remove(path_);
  std::filesystem::remove(path_ + ".lock");
  KeyRing other = KeyRing::load_or_create(path_, kNow).value();  // a new pepper: not a rotation
  ASSERT_TRUE(other.rotate(path_, kLater).ok());
  EXPECT_FALSE(server.refresh());
  EXPECT_FALSE(server.data_key(2).has_value());
  EXPECT_EQ(server.active_key_id(), 1u);
}

TEST(KeyRing, HasNoKeyForAnUnknownId) {
  const KeyRing ring = KeyRing::generate(kNow);
  EXPECT_FALSE(ring.data_key(2).has_value());
  EXPECT_FALSE(ring.data_key(0).has_value());
}

TEST(KeyRing, GeneratesDifferentSecretsEachTime) {
  const KeyRing a = KeyRing::generate(kNow);
  const KeyRing b = KeyRing::generate(kNow);
  EXPECT_FALSE(same_bytes(*a.data_key(1), *b.data_key(1)));
  EXPECT_FALSE(same_bytes(a.pepper(), b.pepper()));
  EXPECT_NE(a.signing_public_key(), b.signing_public_key());
}

TEST(KeyRing, KeepsItsSecretsWhereTheyAreWhenMoved) {
  KeyRing a = KeyRing::generate(kNow);
  const KeyRing::KeyView pepper = a.pepper();
  const std::vector<uint8_t> copy(pepper.begin(), pepper.end());
  const KeyRing b = std::move(a);
  EXPECT_EQ(b.pepper().data(), pepper.data());
  EXPECT_TRUE(std::equal(copy.begin(), copy.end(), b.pepper().begin()));
}

std::vector<uint8_t> bytes_of(std::string_view text) {
  return std::vector<uint8_t>(text.begin(), text.end());
}

TEST(Signature, VerifiesUnderTheRingsPublicKey) {
  const KeyRing ring = KeyRing::generate(kNow);
  const auto message = bytes_of("checkpoint 42 3f9a...");
  const KeyRing::Signature signature = ring.sign(message);
  EXPECT_TRUE(KeyRing::verify_signature(ring.signing_public_key(), message, signature));
}

TEST(Signature, FailsOnAChangedMessage) {
  const KeyRing ring = KeyRing::generate(kNow);
  const KeyRing::Signature signature = ring.sign(bytes_of("checkpoint 42"));
  EXPECT_FALSE(
      KeyRing::verify_signature(ring.signing_public_key(), bytes_of("checkpoint 43"), signature));
}

TEST(Signature, FailsUnderAnotherPublicKey) {
  const KeyRing ring = KeyRing::generate(kNow);
  const KeyRing other = KeyRing::generate(kNow);
  const auto message = bytes_of("checkpoint 42");
  EXPECT_FALSE(KeyRing::verify_signature(other.signing_public_key(), message, ring.sign(message)));
}

TEST(Signature, FailsWhenTheSignatureHasTheWrongLength) {
  const KeyRing ring = KeyRing::generate(kNow);
  const auto message = bytes_of("checkpoint 42");
  const KeyRing::Signature signature = ring.sign(message);
  const std::span<const uint8_t> shortened(signature.data(), signature.size() - 1);
  EXPECT_FALSE(KeyRing::verify_signature(ring.signing_public_key(), message, shortened));
}

TEST_F(KeyRingFile, SignsTheSameWayAfterReload) {
  const KeyRing created = load();
  const auto message = bytes_of("checkpoint 42");
  const KeyRing::Signature signature = created.sign(message);
  const KeyRing loaded = load();
  EXPECT_TRUE(KeyRing::verify_signature(loaded.signing_public_key(), message, signature));
}

}  // namespace
}  // namespace balai::security
