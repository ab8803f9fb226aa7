#include "security/password_policy.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "support/databases.h"

namespace balai::security {
namespace {

// The project's list, loaded once for the whole file (it is immutable).
const CommonPasswords& common() {
  static const CommonPasswords list = [] {
    auto loaded =
        CommonPasswords::load(balai::testing::source_dir() + "/data/passwords/10k-most-common.txt");
    if (!loaded.ok()) throw std::runtime_error(loaded.error().message);
    return std::move(loaded).value();
  }();
  return list;
}

PersonalContext siti() {
  PersonalContext who;
  who.full_name = "Siti Nurhaliza";
  who.nik = "3577014506900002";
  who.birth_date = core::Date{1990, 6, 5};
  who.email = "siti.nurhaliza@contoh.id";
  who.city_name = "Kota Madiun";
  return who;
}

// The reason code check_password reports, or "" when the password is accepted.
std::string reason(std::string_view password, const PersonalContext& who = siti()) {
  auto status = check_password(password, who, common());
  if (status.ok()) return "";
  EXPECT_EQ(status.error().code, core::ErrorCode::validation_failed);
  return status.error().fields.at("password");
}

std::string repeat(std::string_view unit, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += unit;
  return out;
}

TEST(PasswordPolicy, AcceptsAGoodPassphrase) {
  EXPECT_EQ(reason("lampu merah di persimpangan"), "");
}

TEST(PasswordPolicy, ReportsTheReasonAsAFieldWithAnEnglishMessage) {
  auto status = check_password("short", siti(), common());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::validation_failed);
  EXPECT_EQ(status.error().fields.at("password"), "too_short");
  EXPECT_EQ(status.error().message, "the password must be at least 12 characters");
}

TEST(PasswordPolicy, RejectsElevenCharacters) {
  EXPECT_EQ(reason("abcdefghijk"), "too_short");
}

TEST(PasswordPolicy, AcceptsTwelveCharacters) {
  EXPECT_EQ(reason("abcdefghijkl"), "");
}

TEST(PasswordPolicy, CountsMultibyteCharactersOnceTowardsTheMinimum) {
  EXPECT_EQ(reason(repeat("\xc3\xa9", 11)), "too_short");  // 11 x é, 22 bytes
  EXPECT_EQ(reason(repeat("\xc3\xa9", 12)), "");
}

TEST(PasswordPolicy, AcceptsOneHundredTwentyEightCharacters) {
  EXPECT_EQ(reason(repeat("\xe2\x82\xac", 128)), "");  // 128 x €, 384 bytes
}

TEST(PasswordPolicy, RejectsOneHundredTwentyNineCharacters) {
  EXPECT_EQ(reason(repeat("\xe2\x82\xac", 129)), "too_long");
}

TEST(PasswordPolicy, CountsLengthAfterCollapsingSpaces) {
  EXPECT_EQ(reason("abcde      fgh"), "too_short");  // 14 typed, 9 + 1 after collapsing
}

TEST(PasswordPolicy, DoesNotCountSpacesAtTheEnds) {
  EXPECT_EQ(reason("   abcdefghijk   "), "too_short");
}

TEST(PasswordPolicy, RejectsAPasswordFromTheCommonList) {
  EXPECT_EQ(reason("unbelievable"), "common");
}

TEST(PasswordPolicy, RejectsACommonPasswordWhateverItsCase) {
  EXPECT_EQ(reason("UnBelievable"), "common");
}

TEST(PasswordPolicy, RejectsTheNik) {
  EXPECT_EQ(reason("kunci 3577014506900002"), "contains_personal_data");
}

TEST(PasswordPolicy, RejectsTheNikWrittenWithSeparators) {
  EXPECT_EQ(reason("3577-0145-0690-0002"), "contains_personal_data");
}

TEST(PasswordPolicy, RejectsTheEmail) {
  EXPECT_EQ(reason("Siti.Nurhaliza@contoh.id"), "contains_personal_data");
}

TEST(PasswordPolicy, RejectsTheLocalPartOfTheEmail) {
  PersonalContext who;
  who.email = "kembangjepun@contoh.id";
  EXPECT_EQ(reason("kembangjepun mekar", who), "contains_personal_data");
}

TEST(PasswordPolicy, IgnoresALocalPartShorterThanFourCharacters) {
  PersonalContext who;
  who.email = "ani@contoh.id";
  EXPECT_EQ(reason("ani suka makan bakso", who), "");
}

TEST(PasswordPolicy, RejectsAWordOfTheName) {
  EXPECT_EQ(reason("nurhaliza suka menyanyi"), "contains_personal_data");
}

TEST(PasswordPolicy, RejectsAWordOfTheNameInAnyCase) {
  EXPECT_EQ(reason("SITI pergi ke pasar pagi"), "contains_personal_data");
}

TEST(PasswordPolicy, IgnoresNameWordsShorterThanFourLetters) {
  PersonalContext who;
  who.full_name = "Sri Ayu Lestari";
  EXPECT_EQ(reason("ayu bermain di gunung sri", who), "");
}

TEST(PasswordPolicy, RejectsTheWholeNameWhenEachWordIsShort) {
  PersonalContext who;
  who.full_name = "Sri Ayu";
  EXPECT_EQ(reason("sri ayu bermain gitar", who), "contains_personal_data");
}

TEST(PasswordPolicy, RejectsTheCityName) {
  EXPECT_EQ(reason("kotamadiun tercinta"), "contains_personal_data");
}

TEST(PasswordPolicy, RejectsAWordOfTheCityName) {
  EXPECT_EQ(reason("pecel madiun enak sekali"), "contains_personal_data");
}

TEST(PasswordPolicy, IgnoresKotaAndKabupatenInTheCityName) {
  PersonalContext who;
  who.city_name = "Kabupaten Sleman";
  EXPECT_EQ(reason("kabupaten dan kota tua", who), "");
}

TEST(PasswordPolicy, RejectsInvalidUtf8) {
  EXPECT_EQ(reason("lampu merah \xc3 persimpangan"), "invalid_text");
}

TEST(PasswordPolicy, RejectsANulByte) {
  using namespace std::string_literals;
  EXPECT_EQ(reason("lampu merah\0di persimpangan"s), "invalid_text");
}

TEST(PasswordPolicy, AcceptsAPasswordWhenNothingIsKnownAboutThePerson) {
  EXPECT_EQ(reason("siti nurhaliza 3577014506900002", PersonalContext{}), "");
}

// Siti was born on 5 June 1990: each written form of that date is refused.
class PasswordPolicyBirthDate : public ::testing::TestWithParam<const char*> {};

TEST_P(PasswordPolicyBirthDate, RejectsTheBirthDate) {
  EXPECT_EQ(reason(std::string("lahir tanggal ") + GetParam()), "contains_personal_data");
}

INSTANTIATE_TEST_SUITE_P(WrittenForms, PasswordPolicyBirthDate,
                         ::testing::Values("19900605", "05061990", "050690", "1990-06-05",
                                           "05-06-1990", "05/06/1990"));

TEST(PasswordPolicy, AcceptsAnotherDate) {
  EXPECT_EQ(reason("lahir tanggal 06-05-1991"), "");
}

TEST(CommonPasswords, LoadsEveryEntryOfTheProjectList) {
  EXPECT_EQ(common().size(), 10000u);
}

TEST(CommonPasswords, MatchesWhateverTheCase) {
  EXPECT_TRUE(common().contains("QWERTY"));
}

TEST(CommonPasswords, DoesNotMatchAnUnlistedPassword) {
  EXPECT_FALSE(common().contains("lampu merah di persimpangan"));
}

TEST(CommonPasswords, ReadsCrlfLinesAndSkipsBlankOnes) {
  const std::string path = ::testing::TempDir() + "/balai_common_passwords_crlf.txt";
  {
    std::ofstream out(path, std::ios::binary);
    out << "Bismillah123\r\n\r\nsayangku\r\n";
  }
  auto list = CommonPasswords::load(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 2u);
  EXPECT_TRUE(list->contains("bismillah123"));
}

TEST(CommonPasswords, FailsForAMissingFile) {
  auto list = CommonPasswords::load(::testing::TempDir() + "/balai_no_such_list.txt");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().code, core::ErrorCode::not_found);
}

}  // namespace
}  // namespace balai::security

namespace balai::security {
namespace {

TEST(CommonPasswordsDecorated, CatchesListedWordsPaddedWithDigitsAndSymbols) {
  auto common =
      CommonPasswords::load(balai::testing::source_dir() + "/data/passwords/10k-most-common.txt");
  ASSERT_TRUE(common.ok());
  EXPECT_TRUE(common->contains("password1234"));
  EXPECT_TRUE(common->contains("!!Dragon2026!!"));
  EXPECT_TRUE(common->contains("1234 monkey 5678"));
  EXPECT_FALSE(common->contains("monkey biru laut 2026"));  // a passphrase, not a padded word
  EXPECT_FALSE(common->contains("x9x9x9x9x9x9"));
}

TEST(CommonPasswordsDecorated, TheIndonesianListAddsLocalFavourites) {
  auto common =
      CommonPasswords::load(balai::testing::source_dir() + "/data/passwords/10k-most-common.txt");
  auto local =
      CommonPasswords::load(balai::testing::source_dir() + "/data/passwords/id-common.txt");
  ASSERT_TRUE(common.ok() && local.ok());
  EXPECT_FALSE(common->contains("bismillah2026"));
  common->merge(*local);
  EXPECT_TRUE(common->contains("bismillah2026"));
  EXPECT_TRUE(common->contains("Sayangku123!"));
  EXPECT_TRUE(common->contains("indonesiaraya45"));
}

}  // namespace
}  // namespace balai::security
