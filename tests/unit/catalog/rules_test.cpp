#include "modules/catalog/rules.h"

#include <gtest/gtest.h>

namespace balai::catalog {
namespace {

Service valid_service() {
  Service s;
  s.code = "akta-kelahiran";
  s.agency_code = "disdukcapil";
  s.icon = "icon-ktp";
  s.name = {"Akta Kelahiran", "Birth Certificate"};
  s.summary = {"Pencatatan kelahiran.", "Birth registration."};
  return s;
}

TEST(FormatRupiah, GroupsThousandsWithDots) {
  EXPECT_EQ(format_rupiah(0), "Rp 0");
  EXPECT_EQ(format_rupiah(999), "Rp 999");
  EXPECT_EQ(format_rupiah(1000), "Rp 1.000");
  EXPECT_EQ(format_rupiah(150000), "Rp 150.000");
  EXPECT_EQ(format_rupiah(1234567890), "Rp 1.234.567.890");
}

TEST(FormatRupiah, HandlesTheExtremesOfInt64) {
  EXPECT_EQ(format_rupiah(-2500), "-Rp 2.500");
  EXPECT_EQ(format_rupiah(INT64_MIN), "-Rp 9.223.372.036.854.775.808");
}

TEST(CostLabel, SaysFreeInTheRequestsLanguage) {
  EXPECT_EQ(cost_label(0, "id"), "Gratis");
  EXPECT_EQ(cost_label(0, "en"), "Free");
  EXPECT_EQ(cost_label(50000, "en"), "Rp 50.000");
}

TEST(ProcessingLabel, CountsWorkingDays) {
  EXPECT_EQ(processing_label(0, "id"), "Selesai di hari yang sama");
  EXPECT_EQ(processing_label(1, "en"), "1 working day");
  EXPECT_EQ(processing_label(3, "en"), "3 working days");
  EXPECT_EQ(processing_label(3, "id"), "3 hari kerja");
}

TEST(IsSlug, AcceptsLowerCaseWordsJoinedByDashes) {
  EXPECT_TRUE(is_slug("izin-usaha"));
  EXPECT_TRUE(is_slug("pbb2"));
  EXPECT_FALSE(is_slug("a"));
  EXPECT_FALSE(is_slug("-lead"));
  EXPECT_FALSE(is_slug("trail-"));
  EXPECT_FALSE(is_slug("Upper"));
  EXPECT_FALSE(is_slug("with space"));
  EXPECT_FALSE(is_slug("../etc"));
  EXPECT_FALSE(is_slug(std::string(65, 'a')));
}

TEST(ValidateService, AcceptsACompleteService) {
  EXPECT_TRUE(validate(valid_service()).ok());
}

TEST(ValidateService, NamesEveryMissingField) {
  Service s;
  const auto status = validate(s);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::validation_failed);
  for (const char* field : {"code", "agency_code", "name.id", "summary.id", "icon"})
    EXPECT_TRUE(status.error().fields.contains(field)) << field;
}

TEST(ValidateService, RejectsANegativeCostAndImpossibleDays) {
  Service s = valid_service();
  s.cost_rupiah = -1;
  s.processing_days = 400;
  const auto status = validate(s);
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(status.error().fields.contains("cost_rupiah"));
  EXPECT_TRUE(status.error().fields.contains("processing_days"));
}

TEST(ValidateAgency, RequiresACodeAndAnIndonesianName) {
  EXPECT_TRUE(validate(Agency{"dinkes", {"Dinas Kesehatan", ""}}).ok());
  const auto status = validate(Agency{"Dinkes!", {"", ""}});
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(status.error().fields.contains("code"));
  EXPECT_TRUE(status.error().fields.contains("name.id"));
}

TEST(MatchesQuery, FindsTextInEitherLanguageIgnoringCase) {
  const Service s = valid_service();
  EXPECT_TRUE(matches(s, {.text = "AKTA"}));
  EXPECT_TRUE(matches(s, {.text = "birth"}));
  EXPECT_FALSE(matches(s, {.text = "pajak"}));
  EXPECT_TRUE(matches(s, {}));
}

TEST(MatchesQuery, FiltersByCategoryAndOnline) {
  Service s = valid_service();
  s.category = Category::identity;
  EXPECT_TRUE(matches(s, {.category = Category::identity}));
  EXPECT_FALSE(matches(s, {.category = Category::tax}));
  EXPECT_FALSE(matches(s, {.online = true}));
  EXPECT_TRUE(matches(s, {.online = false}));
}

TEST(ValidateQuery, LimitsTheSearchText) {
  EXPECT_TRUE(validate(ServiceQuery{.text = std::string(100, 'a')}).ok());
  const auto status = validate(ServiceQuery{.text = std::string(101, 'a')});
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(status.error().fields.contains("q"));
}

TEST(Category, RoundTripsThroughItsName) {
  for (Category c : {Category::identity, Category::permits, Category::tax, Category::complaints,
                     Category::appointments, Category::transport, Category::smart_city,
                     Category::feedback, Category::transparency}) {
    Category back = Category::tax;
    ASSERT_TRUE(parse_category(to_string(c), back));
    EXPECT_EQ(back, c);
  }
  Category unused;
  EXPECT_FALSE(parse_category("rocket", unused));
}

}  // namespace
}  // namespace balai::catalog
