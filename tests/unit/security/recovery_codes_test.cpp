#include "security/recovery_codes.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace balai::security {
namespace {

constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

std::array<uint8_t, 32> key(uint8_t seed) {
  std::array<uint8_t, 32> k{};
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(seed + i * 13);
  return k;
}

bool has_display_form(std::string_view code) {
  if (code.size() != 12 || code[4] != '-' || code[9] != '-') return false;
  for (size_t i = 0; i < code.size(); ++i) {
    if (i == 4 || i == 9) continue;
    if (kAlphabet.find(code[i]) == std::string_view::npos) return false;
  }
  return true;
}

TEST(RecoveryCodes, GeneratesTenByDefault) {
  EXPECT_EQ(generate_recovery_codes().size(), 10u);
}

TEST(RecoveryCodes, GeneratesTheNumberAskedFor) {
  EXPECT_EQ(generate_recovery_codes(3).size(), 3u);
  EXPECT_TRUE(generate_recovery_codes(0).empty());
}

TEST(RecoveryCodes, GroupsTenUnambiguousCharactersFourFourTwo) {
  for (const std::string& code : generate_recovery_codes(200)) {
    EXPECT_TRUE(has_display_form(code)) << code;
  }
}

TEST(RecoveryCodes, NeverUsesCharactersThatReadAsOthers) {
  for (const std::string& code : generate_recovery_codes(500)) {
    EXPECT_EQ(code.find_first_of("0O1IL"), std::string::npos) << code;
  }
}

TEST(RecoveryCodes, HaveAtLeastFortyEightBitsEach) {
  // 31 choices per character, 10 characters.
  double bits = 0;
  for (int i = 0; i < 10; ++i) bits += std::log2(static_cast<double>(kAlphabet.size()));
  EXPECT_GE(bits, 48.0);
}

TEST(RecoveryCodes, DoNotRepeatAcrossManyBatches) {
  // Separate batches, so this tests the randomness and not the de-duplication within a batch.
  std::set<std::string> seen;
  for (int batch = 0; batch < 1000; ++batch) {
    for (std::string& code : generate_recovery_codes()) seen.insert(std::move(code));
  }
  EXPECT_EQ(seen.size(), 10'000u);
}

TEST(RecoveryCodes, UseTheWholeAlphabet) {
  std::set<char> used;
  for (const std::string& code : generate_recovery_codes(1000))
    used.insert(code.begin(), code.end());
  used.erase('-');
  EXPECT_EQ(used.size(), kAlphabet.size());
}

TEST(NormalizeRecoveryCode, UpperCasesAndDropsDashesAndWhitespace) {
  EXPECT_EQ(normalize_recovery_code(" 7k3q 9xwm-2p\t"), "7K3Q9XWM2P");
  EXPECT_EQ(normalize_recovery_code("7K3Q-9XWM-2P"), "7K3Q9XWM2P");
  EXPECT_EQ(normalize_recovery_code("7K3Q9XWM2P"), "7K3Q9XWM2P");
}

TEST(NormalizeRecoveryCode, KeepsOtherCharactersSoTheyMatchNothing) {
  EXPECT_EQ(normalize_recovery_code("7K3Q_9XWM.2P"), "7K3Q_9XWM.2P");
  EXPECT_EQ(normalize_recovery_code(""), "");
}

TEST(HashRecoveryCode, IsSixtyFourLowerCaseHexCharacters) {
  const std::string hash = hash_recovery_code(key(1), "7K3Q-9XWM-2P");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(HashRecoveryCode, IsTheSameHoweverTheCodeIsTyped) {
  const std::string stored = hash_recovery_code(key(1), "7K3Q-9XWM-2P");
  EXPECT_EQ(hash_recovery_code(key(1), "7k3q 9xwm 2p"), stored);
  EXPECT_EQ(hash_recovery_code(key(1), "7K3Q9XWM2P"), stored);
  EXPECT_EQ(hash_recovery_code(key(1), " 7k3q-9XWM-2p "), stored);
}

TEST(HashRecoveryCode, DiffersForAnotherCode) {
  EXPECT_NE(hash_recovery_code(key(1), "7K3Q-9XWM-2P"), hash_recovery_code(key(1), "7K3Q-9XWM-2Q"));
}

TEST(HashRecoveryCode, DiffersForAnotherKey) {
  EXPECT_NE(hash_recovery_code(key(1), "7K3Q-9XWM-2P"), hash_recovery_code(key(2), "7K3Q-9XWM-2P"));
}

TEST(HashRecoveryCode, RejectsAKeyOfTheWrongSizeAsABug) {
  const std::vector<uint8_t> short_key(16, 7);
  EXPECT_THROW(hash_recovery_code(short_key, "7K3Q-9XWM-2P"), std::invalid_argument);
}

}  // namespace
}  // namespace balai::security
