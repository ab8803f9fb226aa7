#include "modules/identity/numbers.h"

#include <gtest/gtest.h>

namespace balai::identity {
namespace {

// Kota Madiun's districts (Kartoharjo 35.77.01, Manguharjo 35.77.02) and their parents.
const regions::Directory& table() {
  static const auto t = regions::Directory::from_rows({
      {"35", "Jawa Timur"},
      {"35.77", "Kota Madiun"},
      {"35.77.01", "Kartoharjo"},
      {"35.77.02", "Manguharjo"},
  });
  return *t;
}

constexpr core::Date kToday{2026, 5, 20};

// The machine reason an error gives for `field`, or "" when it succeeded.
template <class T>
std::string reason(const core::Result<T>& result, const std::string& field) {
  if (result.ok()) return "";
  EXPECT_EQ(result.error().code, core::ErrorCode::validation_failed);
  auto it = result.error().fields.find(field);
  return it == result.error().fields.end() ? "(no field " + field + ")" : it->second;
}

std::string nik_reason(std::string_view nik) {
  return reason(parse_nik(nik, table(), kToday), "nik");
}

// ---- NIK -------------------------------------------------------------------------------------

TEST(Nik, ReadsAMansDistrictBirthDateAndSerial) {
  auto facts = parse_nik("3577011208850001", table(), kToday);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  EXPECT_EQ(facts->district_code, "35.77.01");
  EXPECT_EQ(facts->birth_date, (core::Date{1985, 8, 12}));
  EXPECT_EQ(facts->sex, Sex::male);
  EXPECT_EQ(facts->serial, 1);
}

TEST(Nik, ReadsAWomansBirthDayWithFortyAdded) {
  auto facts = parse_nik("3577025208850123", table(), kToday);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  EXPECT_EQ(facts->district_code, "35.77.02");
  EXPECT_EQ(facts->birth_date, (core::Date{1985, 8, 12}));
  EXPECT_EQ(facts->sex, Sex::female);
  EXPECT_EQ(facts->serial, 123);
}

TEST(Nik, IgnoresTheSpacesAndDotsPeopleType) {
  auto facts = parse_nik(" 3577 0112 0885 0001 ", table(), kToday);
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->serial, 1);
  EXPECT_TRUE(parse_nik("35.77.01.120885.0001", table(), kToday).ok());
}

TEST(Nik, AcceptsTheTwentyNinthOfFebruaryOnlyInALeapYear) {
  auto leap = parse_nik("3577016902000009", table(), kToday);  // woman, 29-02-2000
  ASSERT_TRUE(leap.ok()) << leap.error().message;
  EXPECT_EQ(leap->birth_date, (core::Date{2000, 2, 29}));
  EXPECT_TRUE(parse_nik("3577012902960001", table(), kToday).ok());  // 1996
  EXPECT_EQ(nik_reason("3577012902010001"), "invalid_date");         // 2001
  EXPECT_EQ(nik_reason("3577016902250001"), "invalid_date");         // 2025
}

TEST(Nik, RejectsDatesThatDoNotExist) {
  EXPECT_EQ(nik_reason("3577013208850001"), "invalid_date");  // day 32
  EXPECT_EQ(nik_reason("3577011213850001"), "invalid_date");  // month 13
  EXPECT_EQ(nik_reason("3577011200850001"), "invalid_date");  // month 0
  EXPECT_EQ(nik_reason("3577010008850001"), "invalid_date");  // day 0
  EXPECT_EQ(nik_reason("3577014008850001"), "invalid_date");  // a woman's day 0
  EXPECT_EQ(nik_reason("3577017208850001"), "invalid_date");  // a woman's day 32
  EXPECT_EQ(nik_reason("3577013104850001"), "invalid_date");  // 31 April
}

TEST(Nik, ResolvesTheYearToTheLatestCenturyNotAfterToday) {
  EXPECT_EQ(parse_nik("3577010101100001", table(), kToday)->birth_date, (core::Date{2010, 1, 1}));
  EXPECT_EQ(parse_nik("3577010101850001", table(), kToday)->birth_date, (core::Date{1985, 1, 1}));
  // Born today is this century; born tomorrow's date can only be a century ago.
  EXPECT_EQ(parse_nik("3577012005260001", table(), kToday)->birth_date, (core::Date{2026, 5, 20}));
  EXPECT_EQ(parse_nik("3577012105260001", table(), kToday)->birth_date, (core::Date{1926, 5, 21}));
}

TEST(Nik, RejectsADistrictThatIsNotInTheTable) {
  EXPECT_EQ(nik_reason("3577031208850001"), "unknown_region");  // 35.77.03 is not in the table
  EXPECT_EQ(nik_reason("9999011208850001"), "unknown_region");
  EXPECT_EQ(nik_reason("3577001208850001"), "unknown_region");  // district 00 does not exist
}

TEST(Nik, RejectsTheWrongNumberOfDigits) {
  EXPECT_EQ(nik_reason("357701120885001"), "wrong_length");
  EXPECT_EQ(nik_reason("35770112088500011"), "wrong_length");
  EXPECT_EQ(nik_reason(""), "missing");
  EXPECT_EQ(nik_reason(" . "), "missing");
}

TEST(Nik, RejectsLettersAndOtherCharacters) {
  EXPECT_EQ(nik_reason("35770112088500O1"), "not_digits");
  EXPECT_EQ(nik_reason("3577-0112-0885-0001"), "not_digits");
  EXPECT_EQ(nik_reason("３５７７０１１２０８８５０００１"), "not_digits");  // full-width digits
}

TEST(Nik, RejectsTheSerialZero) {
  EXPECT_EQ(nik_reason("3577011208850000"), "zero_serial");
  EXPECT_EQ(parse_nik("3577011208859999", table(), kToday)->serial, 9999);
}

TEST(Nik, NeverRepeatsTheNumberInItsMessage) {
  for (std::string_view nik : {"3577011208850000", "3577013208850001", "9999011208850001",
                               "357701120885001", "35770112088500O1"}) {
    auto r = parse_nik(nik, table(), kToday);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message.find("0885"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("357701"), std::string::npos) << r.error().message;
  }
}

TEST(Sex, ReadsTheKtpLettersAndTheApiWords) {
  EXPECT_EQ(parse_sex("P"), Sex::female);
  EXPECT_EQ(parse_sex("L"), Sex::male);
  EXPECT_EQ(parse_sex("female"), Sex::female);
  EXPECT_EQ(parse_sex("male"), Sex::male);
  EXPECT_FALSE(parse_sex("X").has_value());
  EXPECT_FALSE(parse_sex("").has_value());
  EXPECT_EQ(to_string(Sex::female), "female");
  EXPECT_EQ(to_string(Sex::male), "male");
}

// ---- KK --------------------------------------------------------------------------------------

std::string kk_reason(std::string_view kk) {
  return reason(parse_kk(kk, table(), kToday), "kk");
}

TEST(Kk, ReadsTheDistrictRegistrationDateAndSerial) {
  auto facts = parse_kk("3577 0120 0515 0003", table(), kToday);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  EXPECT_EQ(facts->district_code, "35.77.01");
  EXPECT_EQ(facts->issued, (core::Date{2015, 5, 20}));
  EXPECT_EQ(facts->serial, 3);
}

TEST(Kk, ReadsAYearThatWouldBeInTheFutureAsTheCenturyBefore) {
  auto facts = parse_kk("3577013112260003", table(), kToday);  // 31-12-26: not yet in 2026
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->issued, (core::Date{1926, 12, 31}));
  EXPECT_LE(facts->issued, kToday);
}

TEST(Kk, RejectsMalformedNumbers) {
  EXPECT_EQ(kk_reason("3577013202150003"), "invalid_date");  // day 32
  EXPECT_EQ(kk_reason("3577015205150003"), "invalid_date");  // no +40 on a KK
  EXPECT_EQ(kk_reason("3577012902150003"), "invalid_date");  // 29-02-2015
  EXPECT_EQ(kk_reason("3577012005150000"), "zero_serial");
  EXPECT_EQ(kk_reason("9999012005150003"), "unknown_region");
  EXPECT_EQ(kk_reason("357701200515003"), "wrong_length");
  EXPECT_EQ(kk_reason("35770120051500x3"), "not_digits");
}

// ---- NPWP ------------------------------------------------------------------------------------

std::string npwp_reason(std::string_view npwp) {
  return reason(normalize_npwp(npwp, table(), kToday), "npwp");
}

TEST(Npwp, TurnsTheOldFifteenDigitFormIntoSixteenDigits) {
  auto n = normalize_npwp("01.855.081.4-412.000", table(), kToday);
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, "0018550814412000");
  EXPECT_EQ(*normalize_npwp("092542943407000", table(), kToday), "0092542943407000");
  EXPECT_EQ(*normalize_npwp("09 254 294 3 407 000", table(), kToday), "0092542943407000");
}

TEST(Npwp, RejectsAWrongCheckDigit) {
  EXPECT_EQ(npwp_reason("01.855.081.5-412.000"), "check_digit");
  EXPECT_EQ(npwp_reason("01.855.018.4-412.000"), "check_digit");  // two digits swapped
}

TEST(Npwp, AcceptsTheSixteenDigitForms) {
  EXPECT_EQ(*normalize_npwp("0018550814412000", table(), kToday), "0018550814412000");
  EXPECT_EQ(*normalize_npwp("3577011208850001", table(), kToday), "3577011208850001");
  EXPECT_EQ(*normalize_npwp("3577 0112 0885 0001", table(), kToday), "3577011208850001");
}

TEST(Npwp, RejectsSixteenDigitsThatAreNeitherANikNorAnOldForm) {
  EXPECT_EQ(npwp_reason("0018550815412000"), "check_digit");
  EXPECT_EQ(npwp_reason("9999011208850001"), "unknown_region");
  EXPECT_EQ(npwp_reason("3577013208850001"), "invalid_date");
}

TEST(Npwp, RejectsTheWrongLengthAndLetters) {
  EXPECT_EQ(npwp_reason("01.855.081.4-412.00"), "wrong_length");
  EXPECT_EQ(npwp_reason("00018550814412000"), "wrong_length");
  EXPECT_EQ(npwp_reason("01.855.081.4-412.OOO"), "not_digits");
  EXPECT_EQ(npwp_reason(""), "missing");
}

// ---- Phone -----------------------------------------------------------------------------------

std::string phone(std::string_view text) {
  auto r = normalize_phone(text);
  return r.ok() ? *r : "error:" + r.error().fields.at("phone");
}

TEST(Phone, NormalisesMobileNumbersInTheWaysPeopleWriteThem) {
  for (std::string_view written :
       {"081234567890", "0812-3456-7890", "0812 3456 7890", "0812.3456.7890", "+6281234567890",
        "+62 812 3456 7890", "+62 812-3456-7890", "6281234567890", "62 812 3456 7890",
        "0062 812 3456 7890", "+62 (0)812 3456 7890", "(0812) 3456 7890"}) {
    EXPECT_EQ(phone(written), "+6281234567890") << written;
  }
}

TEST(Phone, NormalisesLandlineNumbersWithAreaCodes) {
  EXPECT_EQ(phone("(021) 555-1234"), "+62215551234");
  EXPECT_EQ(phone("0351 462 123"), "+62351462123");
  EXPECT_EQ(phone("+62 361 222 333"), "+62361222333");
}

TEST(Phone, AcceptsEightToThirteenNationalDigits) {
  EXPECT_EQ(phone("021 5551 234"), "+62215551234");
  EXPECT_EQ(phone("0215551234"), "+62215551234");
  EXPECT_EQ(phone("021555123"), "+6221555123");               // 8 national digits
  EXPECT_EQ(phone("02155512"), "error:wrong_length");         // 7
  EXPECT_EQ(phone("08123456789012"), "+628123456789012");     // 13
  EXPECT_EQ(phone("081234567890123"), "error:wrong_length");  // 14
}

TEST(Phone, RejectsLettersAndStrayCharacters) {
  EXPECT_EQ(phone("0812-34A6-7890"), "error:not_digits");
  EXPECT_EQ(phone("0812 3456 7890 ext 2"), "error:not_digits");
  EXPECT_EQ(phone("++6281234567890"), "error:not_digits");
  EXPECT_EQ(phone("0812+34567890"), "error:not_digits");
}

TEST(Phone, RejectsOtherCountries) {
  EXPECT_EQ(phone("+1 415 555 0100"), "error:other_country");
  EXPECT_EQ(phone("+60 12 345 6789"), "error:other_country");
  EXPECT_EQ(phone("0044 20 7946 0000"), "error:other_country");
}

TEST(Phone, RejectsNumbersWithoutAnIndonesianPrefix) {
  EXPECT_EQ(phone("81234567890"), "error:missing_prefix");
  EXPECT_EQ(phone("0112345678"), "error:invalid_prefix");
  EXPECT_EQ(phone("+62"), "error:invalid_prefix");
  EXPECT_EQ(phone(""), "error:missing");
  EXPECT_EQ(phone(" - "), "error:missing");
}

TEST(Phone, NeverRepeatsTheNumberInItsMessage) {
  auto r = normalize_phone("+1 415 555 0100");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find("415"), std::string::npos);
}

}  // namespace
}  // namespace balai::identity
