// Registration cross-checks and the other pure identity rules.
#include "modules/identity/rules.h"

#include <gtest/gtest.h>

namespace balai::identity {
namespace {

std::shared_ptr<const regions::Directory> madiun() {
  return regions::Directory::from_rows({{"35", "Jawa Timur", regions::Level::province},
                                        {"35.77", "Kota Madiun", regions::Level::regency},
                                        {"35.77.01", "Kartoharjo", regions::Level::district},
                                        {"35.77.01.1002", "Sukosari", regions::Level::village}});
}

RegistrationForm good() {
  RegistrationForm f;
  f.nik = "3577014107900001";
  f.full_name = "  Sri   Rahayu ";
  f.birth_date = "1990-07-01";
  f.sex = "female";
  f.street = "Jl. Salak No. 7";
  f.village_code = "35.77.01.1002";
  f.phone = "0812 3456 7890";
  f.email = "Sri@Example.ID";
  f.password = "sepeda onthel di alun-alun";
  return f;
}

const core::Date kToday{2026, 11, 28};

TEST(CheckRegistration, AcceptsAConsistentFormAndNormalisesIt) {
  auto r = rules::check_registration(good(), *madiun(), kToday);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->full_name, "Sri Rahayu");
  EXPECT_EQ(r->email, "sri@example.id");
  EXPECT_EQ(r->phone, "+6281234567890");
  EXPECT_EQ(r->sex, Sex::female);
  EXPECT_EQ(r->birth_date, (core::Date{1990, 7, 1}));
}

TEST(CheckRegistration, RefusesABirthDateTheNikDoesNotCarry) {
  auto f = good();
  f.birth_date = "1990-07-02";
  auto r = rules::check_registration(f, *madiun(), kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at("birth_date"), "does_not_match_nik");
}

TEST(CheckRegistration, RefusesASexTheNikDoesNotCarry) {
  auto f = good();
  f.sex = "male";  // day 41 in the NIK: a woman
  auto r = rules::check_registration(f, *madiun(), kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at("sex"), "does_not_match_nik");
}

TEST(CheckRegistration, RefusesAnAddressThatIsNotAVillage) {
  auto f = good();
  f.village_code = "35.77.01";  // a district
  auto r = rules::check_registration(f, *madiun(), kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at("village_code"), "unknown_region");
}

TEST(CheckRegistration, NamesEveryMissingFieldAtOnce) {
  auto r = rules::check_registration(RegistrationForm{}, *madiun(), kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.size(), 9u);
}

TEST(CheckRegistration, RefusesANikFromAnUnknownDistrict) {
  auto f = good();
  f.nik = "3599014107900001";
  auto r = rules::check_registration(f, *madiun(), kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().fields.contains("nik"));
  EXPECT_EQ(r.error().message.find("3599"), std::string::npos);
}

TEST(FullName, RefusesDigitsAndKeepsNameMarks) {
  EXPECT_EQ(rules::normalize_full_name("R.A. Kartini-Djojoadhiningrat").value_or(""),
            "R.A. Kartini-Djojoadhiningrat");
  EXPECT_EQ(rules::normalize_full_name("Siti Nur'aini").value_or(""), "Siti Nur'aini");
  EXPECT_FALSE(rules::normalize_full_name("Budi 123").has_value());
  EXPECT_FALSE(rules::normalize_full_name("   ").has_value());
}

TEST(ParseDate, AcceptsOnlyRealDates) {
  EXPECT_TRUE(rules::parse_date("2024-02-29").has_value());
  EXPECT_FALSE(rules::parse_date("2023-02-29").has_value());
  EXPECT_FALSE(rules::parse_date("2023-13-01").has_value());
  EXPECT_FALSE(rules::parse_date("01-07-1990").has_value());
}

TEST(DataRequestDeadline, IsThreeTimesTwentyFourHours) {
  const core::Timestamp made{1'000'000};
  DataRequest r;
  r.created_at = made;
  r.due_at = rules::data_request_due(made);
  EXPECT_EQ(r.due_at.ms - made.ms, 72 * 3'600'000);
  EXPECT_TRUE(rules::handled_in_time(r, core::Timestamp{r.due_at.ms}));
  EXPECT_FALSE(rules::handled_in_time(r, core::Timestamp{r.due_at.ms + 1}));
  r.handled_at = core::Timestamp{made.ms + 3'600'000};
  EXPECT_TRUE(rules::handled_in_time(r, core::Timestamp{r.due_at.ms + 86'400'000}));
}

TEST(Codes, AreSixDigits) {
  EXPECT_TRUE(rules::looks_like_code("012345"));
  EXPECT_FALSE(rules::looks_like_code("12345"));
  EXPECT_FALSE(rules::looks_like_code("12345a"));
}

}  // namespace
}  // namespace balai::identity
