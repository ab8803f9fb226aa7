#include "core/ids.h"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

namespace balai::core {
namespace {

constexpr Timestamp kNow{1'795'746'600'000};

TEST(UuidV7, HasTheCanonicalTextForm) {
  const std::string id = new_uuid_v7(kNow);
  ASSERT_EQ(id.size(), 36u);
  EXPECT_TRUE(is_uuid(id)) << id;
}

TEST(UuidV7, CarriesVersionSeven) {
  for (int i = 0; i < 100; ++i) {
    const std::string id = new_uuid_v7(kNow);
    ASSERT_EQ(id[14], '7') << id;
  }
}

TEST(UuidV7, CarriesTheRfcVariant) {
  // The two top bits of byte 8 are 10: the first hex digit of the fourth group is 8, 9, a or b.
  for (int i = 0; i < 100; ++i) {
    const std::string id = new_uuid_v7(kNow);
    ASSERT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
  }
}

TEST(UuidV7, StartsWithTheMillisecondsInHex) {
  const std::string id = new_uuid_v7(Timestamp{0x0123456789ab});
  EXPECT_EQ(id.substr(0, 13), "01234567-89ab");
}

TEST(UuidV7, SortsByCreationTime) {
  std::string previous = new_uuid_v7(Timestamp{kNow.ms - 1});
  for (int64_t step : {0LL, 1LL, 2LL, 1000LL, 86'400'000LL, 365LL * 86'400'000}) {
    const std::string id = new_uuid_v7(Timestamp{kNow.ms + step});
    EXPECT_LT(previous, id);
    previous = id;
  }
}

TEST(UuidV7, IsUniqueWithinTheSameMillisecond) {
  std::set<std::string> seen;
  for (int i = 0; i < 20'000; ++i) seen.insert(new_uuid_v7(kNow));
  EXPECT_EQ(seen.size(), 20'000u);
}

TEST(IsUuid, AcceptsAnyVersionInLowerCase) {
  EXPECT_TRUE(is_uuid("123e4567-e89b-42d3-a456-426614174000"));
  EXPECT_TRUE(is_uuid("00000000-0000-0000-0000-000000000000"));
}

TEST(IsUuid, RejectsUpperCase) {
  EXPECT_FALSE(is_uuid("123E4567-E89B-42D3-A456-426614174000"));
}

TEST(IsUuid, RejectsWrongLengthOrHyphens) {
  EXPECT_FALSE(is_uuid(""));
  EXPECT_FALSE(is_uuid("123e4567-e89b-42d3-a456-42661417400"));
  EXPECT_FALSE(is_uuid("123e4567-e89b-42d3-a456-4266141740000"));
  EXPECT_FALSE(is_uuid("123e4567e89b-42d3-a456-4266141740000"));
  EXPECT_FALSE(is_uuid("123e4567-e89b-42d3-a456_426614174000"));
  EXPECT_FALSE(is_uuid("123e4567e89b42d3a456426614174000"));
}

TEST(IsUuid, RejectsNonHexCharacters) {
  EXPECT_FALSE(is_uuid("123e4567-e89b-42d3-a456-42661417400g"));
  EXPECT_FALSE(is_uuid("{23e4567-e89b-42d3-a456-42661417400}"));
}

TEST(RandomHexId, IsThirtyTwoLowerCaseHexCharacters) {
  const std::string id = random_hex_id();
  ASSERT_EQ(id.size(), 32u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
}

TEST(RandomHexId, DiffersEachTime) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(random_hex_id());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(ToHex, WritesTwoLowerCaseDigitsPerByte) {
  const std::array<uint8_t, 4> bytes{0x00, 0x0f, 0xa0, 0xff};
  EXPECT_EQ(to_hex(bytes), "000fa0ff");
}

TEST(ToHex, IsEmptyForNoBytes) {
  EXPECT_EQ(to_hex(std::span<const uint8_t>()), "");
}

TEST(RandomBytes, FillsTheWholeBuffer) {
  // 64 zero bytes staying all zero has probability 2^-512.
  std::array<uint8_t, 64> buffer{};
  random_bytes(buffer);
  bool any_non_zero = false;
  for (uint8_t b : buffer) any_non_zero = any_non_zero || b != 0;
  EXPECT_TRUE(any_non_zero);
}

}  // namespace
}  // namespace balai::core
