#include "security/passwords.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace balai::security {
namespace {

// Small Argon2 costs keep the tests fast; one test below uses the defaults.
constexpr Argon2Parameters kFast{1, size_t{8} << 20};

std::array<uint8_t, 32> pepper(uint8_t seed) {
  std::array<uint8_t, 32> p{};
  for (size_t i = 0; i < p.size(); ++i) p[i] = static_cast<uint8_t>(seed + i * 7);
  return p;
}

std::string hash_of(const PasswordHasher& hasher, std::string_view password) {
  auto stored = hasher.hash(password);
  EXPECT_TRUE(stored.ok());
  return stored.ok() ? *stored : std::string();
}

TEST(NormalizePassword, CollapsesRunsOfWhitespaceToOneSpace) {
  EXPECT_EQ(normalize_password("correct  horse\t\tbattery \n staple"),
            "correct horse battery staple");
}

TEST(NormalizePassword, TrimsBothEnds) {
  EXPECT_EQ(normalize_password("  correct horse \t"), "correct horse");
}

TEST(NormalizePassword, KeepsCaseAndOtherCharacters) {
  EXPECT_EQ(normalize_password("Kud4-L\xc3\xa4ri!"), "Kud4-L\xc3\xa4ri!");
}

TEST(PasswordHasher, VerifiesThePasswordItHashed) {
  const PasswordHasher hasher(pepper(1), kFast);
  const std::string stored = hash_of(hasher, "lampu merah di persimpangan");
  EXPECT_TRUE(hasher.verify(stored, "lampu merah di persimpangan"));
}

TEST(PasswordHasher, RejectsAWrongPassword) {
  const PasswordHasher hasher(pepper(1), kFast);
  const std::string stored = hash_of(hasher, "lampu merah di persimpangan");
  EXPECT_FALSE(hasher.verify(stored, "lampu hijau di persimpangan"));
}

TEST(PasswordHasher, TreatsCaseAsSignificant) {
  const PasswordHasher hasher(pepper(1), kFast);
  const std::string stored = hash_of(hasher, "lampu merah di persimpangan");
  EXPECT_FALSE(hasher.verify(stored, "Lampu merah di persimpangan"));
}

TEST(PasswordHasher, SaltsEachHashDifferently) {
  const PasswordHasher hasher(pepper(1), kFast);
  EXPECT_NE(hash_of(hasher, "lampu merah di persimpangan"),
            hash_of(hasher, "lampu merah di persimpangan"));
}

TEST(PasswordHasher, RejectsAHashMadeWithAnotherPepper) {
  const PasswordHasher ours(pepper(1), kFast);
  const PasswordHasher theirs(pepper(2), kFast);
  const std::string stored = hash_of(theirs, "lampu merah di persimpangan");
  EXPECT_FALSE(ours.verify(stored, "lampu merah di persimpangan"));
}

TEST(PasswordHasher, StoresAnArgon2idStringWithItsParameters) {
  const PasswordHasher hasher(pepper(1), kFast);
  EXPECT_TRUE(
      hash_of(hasher, "lampu merah di persimpangan").starts_with("$argon2id$v=19$m=8192,t=1,p=1$"));
}

TEST(PasswordHasher, VerifiesAPasswordTypedWithExtraSpaces) {
  const PasswordHasher hasher(pepper(1), kFast);
  const std::string stored = hash_of(hasher, "correct horse battery staple");
  EXPECT_TRUE(hasher.verify(stored, "correct  horse   battery staple "));
}

TEST(PasswordHasher, HashesAPasswordTypedWithExtraSpacesAsItsCollapsedForm) {
  const PasswordHasher hasher(pepper(1), kFast);
  const std::string stored = hash_of(hasher, " correct  horse battery   staple");
  EXPECT_TRUE(hasher.verify(stored, "correct horse battery staple"));
}

TEST(PasswordHasher, RejectsAStoredStringThatIsNotAHash) {
  const PasswordHasher hasher(pepper(1), kFast);
  EXPECT_FALSE(hasher.verify("", "lampu merah di persimpangan"));
  EXPECT_FALSE(hasher.verify("$argon2id$v=19$m=8192,t=1,p=1$garbage", "lampu merah"));
  EXPECT_FALSE(hasher.verify(std::string(300, '$'), "lampu merah di persimpangan"));
}

TEST(PasswordHasher, NeedsNoRehashWhenTheParametersAreUnchanged) {
  const PasswordHasher hasher(pepper(1), kFast);
  EXPECT_FALSE(hasher.needs_rehash(hash_of(hasher, "lampu merah di persimpangan")));
}

TEST(PasswordHasher, NeedsRehashWhenTheOpslimitChanges) {
  const PasswordHasher old_hasher(pepper(1), kFast);
  const PasswordHasher new_hasher(pepper(1), {2, kFast.memlimit});
  EXPECT_TRUE(new_hasher.needs_rehash(hash_of(old_hasher, "lampu merah di persimpangan")));
}

TEST(PasswordHasher, NeedsRehashWhenTheMemlimitChanges) {
  const PasswordHasher old_hasher(pepper(1), kFast);
  const PasswordHasher new_hasher(pepper(1), {kFast.opslimit, size_t{16} << 20});
  EXPECT_TRUE(new_hasher.needs_rehash(hash_of(old_hasher, "lampu merah di persimpangan")));
}

TEST(PasswordHasher, NeedsRehashForAStringThatIsNotArgon2id) {
  const PasswordHasher hasher(pepper(1), kFast);
  EXPECT_TRUE(hasher.needs_rehash(""));
  EXPECT_TRUE(hasher.needs_rehash("$2b$12$abcdefghijklmnopqrstuv"));  // bcrypt
}

TEST(PasswordHasher, StillVerifiesAHashMadeWithOlderParameters) {
  const PasswordHasher old_hasher(pepper(1), kFast);
  const PasswordHasher new_hasher(pepper(1), {2, kFast.memlimit});
  const std::string stored = hash_of(old_hasher, "lampu merah di persimpangan");
  EXPECT_TRUE(new_hasher.verify(stored, "lampu merah di persimpangan"));
}

TEST(PasswordHasher, RefusesAPepperOfTheWrongSize) {
  const std::array<uint8_t, 16> short_pepper{};
  EXPECT_THROW(PasswordHasher(short_pepper, kFast), std::invalid_argument);
}

TEST(PasswordHasher, RefusesParametersBelowLibsodiumsMinimum) {
  EXPECT_THROW(PasswordHasher(pepper(1), {0, kFast.memlimit}), std::invalid_argument);
  EXPECT_THROW(PasswordHasher(pepper(1), {1, 1024}), std::invalid_argument);
}

TEST(PasswordHasher, HashesWithTheDefaultParameters) {
  const PasswordHasher hasher(pepper(1));
  const std::string stored = hash_of(hasher, "lampu merah di persimpangan");
  EXPECT_TRUE(stored.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"));
  EXPECT_TRUE(hasher.verify(stored, "lampu merah di persimpangan"));
}

}  // namespace
}  // namespace balai::security
