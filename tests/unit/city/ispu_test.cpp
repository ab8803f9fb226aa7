#include "modules/city/ispu.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace balai::city {
namespace {

constexpr Pollutant kAll[] = {Pollutant::pm25, Pollutant::pm10, Pollutant::so2, Pollutant::co,
                              Pollutant::o3,   Pollutant::no2,  Pollutant::hc};

// --- The table ---

TEST(IspuTable, EveryPollutantRunsFromZeroToFiveHundredThroughTheRegulationsIndices) {
  for (Pollutant p : kAll) {
    auto table = ispu_breakpoints(p);
    ASSERT_EQ(table.size(), 6u) << to_string(p);
    const int indices[] = {0, 50, 100, 200, 300, 500};
    for (size_t i = 0; i < table.size(); ++i) EXPECT_EQ(table[i].index, indices[i]);
    EXPECT_EQ(table.front().concentration, 0);
    for (size_t i = 1; i < table.size(); ++i)
      EXPECT_LT(table[i - 1].concentration, table[i].concentration) << to_string(p);
  }
}

TEST(IspuTable, HoldsTheRegulationsConcentrations) {
  auto column = [](Pollutant p) {
    std::vector<double> c;
    for (const auto& b : ispu_breakpoints(p)) c.push_back(b.concentration);
    return c;
  };
  EXPECT_EQ(column(Pollutant::pm25), (std::vector<double>{0, 15.5, 55.4, 150.4, 250.4, 500}));
  EXPECT_EQ(column(Pollutant::pm10), (std::vector<double>{0, 50, 150, 350, 420, 500}));
  EXPECT_EQ(column(Pollutant::so2), (std::vector<double>{0, 52, 180, 400, 800, 1200}));
  EXPECT_EQ(column(Pollutant::co), (std::vector<double>{0, 4000, 8000, 15000, 30000, 45000}));
  EXPECT_EQ(column(Pollutant::o3), (std::vector<double>{0, 120, 235, 400, 800, 1000}));
  EXPECT_EQ(column(Pollutant::no2), (std::vector<double>{0, 80, 200, 1130, 2260, 3000}));
  EXPECT_EQ(column(Pollutant::hc), (std::vector<double>{0, 45, 100, 215, 432, 648}));
}

// --- One pollutant ---

TEST(IspuIndex, EachBreakpointGivesItsOwnIndex) {
  for (Pollutant p : kAll)
    for (const auto& b : ispu_breakpoints(p))
      EXPECT_EQ(ispu_index(p, b.concentration), b.index)
          << to_string(p) << " at " << b.concentration;
}

TEST(IspuIndex, InterpolatesBetweenBreakpoints) {
  EXPECT_EQ(ispu_index(Pollutant::pm25, 35), 74);      // 50 + 50/39.9 * 19.5 = 74.4
  EXPECT_EQ(ispu_index(Pollutant::pm25, 65), 110);     // 100 + 100/95 * 9.6 = 110.1
  EXPECT_EQ(ispu_index(Pollutant::pm25, 200), 250);    // 200 + 100/100 * 49.6 = 249.6
  EXPECT_EQ(ispu_index(Pollutant::pm25, 300.4), 340);  // 300 + 200/249.6 * 50 = 340.1
  EXPECT_EQ(ispu_index(Pollutant::pm10, 100), 75);
  EXPECT_EQ(ispu_index(Pollutant::pm10, 200), 125);
  EXPECT_EQ(ispu_index(Pollutant::pm10, 400), 271);  // 200 + 100/70 * 50 = 271.4
  EXPECT_EQ(ispu_index(Pollutant::so2, 100), 69);    // 50 + 50/128 * 48 = 68.75
  EXPECT_EQ(ispu_index(Pollutant::so2, 1000), 400);
  EXPECT_EQ(ispu_index(Pollutant::co, 10000), 129);  // 100 + 100/7000 * 2000 = 128.6
  EXPECT_EQ(ispu_index(Pollutant::co, 40000), 433);
  EXPECT_EQ(ispu_index(Pollutant::o3, 300), 139);  // 100 + 100/165 * 65 = 139.4
  EXPECT_EQ(ispu_index(Pollutant::o3, 900), 400);
  EXPECT_EQ(ispu_index(Pollutant::no2, 600), 143);  // 100 + 100/930 * 400 = 143.0
  EXPECT_EQ(ispu_index(Pollutant::no2, 2500), 365);
  EXPECT_EQ(ispu_index(Pollutant::hc, 50), 55);  // 50 + 50/55 * 5 = 54.5
}

TEST(IspuIndex, JustAboveABreakpointStaysInItsCategoryAfterRounding) {
  EXPECT_EQ(ispu_index(Pollutant::pm25, 15.6), 50);
  EXPECT_EQ(ispu_index(Pollutant::pm25, 55.5), 100);
  EXPECT_EQ(ispu_index(Pollutant::pm25, 150.5), 200);
  EXPECT_EQ(ispu_index(Pollutant::pm25, 250.5), 300);
}

TEST(IspuIndex, RoundsHalfUp) {
  // PM10's first segment is one index per µg/m³, so the concentration is the exact index.
  EXPECT_EQ(ispu_index(Pollutant::pm10, 10.4), 10);
  EXPECT_EQ(ispu_index(Pollutant::pm10, 10.5), 11);
  EXPECT_EQ(ispu_index(Pollutant::pm10, 0.49), 0);
  EXPECT_EQ(ispu_index(Pollutant::pm25, 0.1), 0);
}

TEST(IspuIndex, CapsAboveTheTableAtFiveHundred) {
  EXPECT_EQ(ispu_index(Pollutant::pm25, 500), kIspuMax);
  EXPECT_EQ(ispu_index(Pollutant::pm25, 500.1), kIspuMax);
  EXPECT_EQ(ispu_index(Pollutant::pm10, 3000), kIspuMax);
  EXPECT_EQ(ispu_index(Pollutant::co, 1e9), kIspuMax);
}

TEST(IspuIndex, RefusesNegativeAndNonFiniteConcentrations) {
  EXPECT_FALSE(ispu_index(Pollutant::pm25, -0.1));
  EXPECT_FALSE(ispu_index(Pollutant::pm25, std::nan("")));
  EXPECT_FALSE(ispu_index(Pollutant::pm25, std::numeric_limits<double>::infinity()));
}

// --- Categories ---

TEST(IspuCategory, BoundariesFollowTheRegulation) {
  EXPECT_EQ(ispu_category(0), IspuCategory::baik);
  EXPECT_EQ(ispu_category(50), IspuCategory::baik);
  EXPECT_EQ(ispu_category(51), IspuCategory::sedang);
  EXPECT_EQ(ispu_category(100), IspuCategory::sedang);
  EXPECT_EQ(ispu_category(101), IspuCategory::tidak_sehat);
  EXPECT_EQ(ispu_category(200), IspuCategory::tidak_sehat);
  EXPECT_EQ(ispu_category(201), IspuCategory::sangat_tidak_sehat);
  EXPECT_EQ(ispu_category(300), IspuCategory::sangat_tidak_sehat);
  EXPECT_EQ(ispu_category(301), IspuCategory::berbahaya);
  EXPECT_EQ(ispu_category(500), IspuCategory::berbahaya);
}

TEST(IspuCategory, OutOfScaleIndicesFallInTheEndCategories) {
  EXPECT_EQ(ispu_category(-1), IspuCategory::baik);
  EXPECT_EQ(ispu_category(999), IspuCategory::berbahaya);
}

TEST(IspuCategory, CarriesTheRegulationsColoursAndBothLanguages) {
  const auto& baik = category_info(IspuCategory::baik);
  EXPECT_EQ(baik.label_id, "Baik");
  EXPECT_EQ(baik.label_en, "Good");
  EXPECT_EQ(baik.colour, "green");
  EXPECT_EQ(category_info(IspuCategory::sedang).colour, "blue");
  EXPECT_EQ(category_info(IspuCategory::tidak_sehat).colour, "yellow");
  EXPECT_EQ(category_info(IspuCategory::tidak_sehat).label_id, "Tidak Sehat");
  EXPECT_EQ(category_info(IspuCategory::sangat_tidak_sehat).colour, "red");
  EXPECT_EQ(category_info(IspuCategory::sangat_tidak_sehat).label_en, "Very Unhealthy");
  EXPECT_EQ(category_info(IspuCategory::berbahaya).colour, "black");
  EXPECT_EQ(category_info(IspuCategory::berbahaya).label_id, "Berbahaya");
}

TEST(IspuCategory, RangesTileTheScaleWithoutGaps) {
  int next = 0;
  for (auto c : {IspuCategory::baik, IspuCategory::sedang, IspuCategory::tidak_sehat,
                 IspuCategory::sangat_tidak_sehat, IspuCategory::berbahaya}) {
    const auto& info = category_info(c);
    EXPECT_EQ(info.category, c);
    EXPECT_EQ(info.min, next);
    EXPECT_EQ(info.colour_hex.size(), 7u);
    next = info.max + 1;
    EXPECT_EQ(parse_ispu_category(to_string(c)), c);
  }
  EXPECT_EQ(next, kIspuMax + 1);
  EXPECT_FALSE(parse_ispu_category("Baik"));
}

// --- A station ---

TEST(IspuOverall, IsTheHighestIndexAndNamesItsPollutant) {
  const std::pair<Pollutant, double> air[] = {
      {Pollutant::pm25, 35}, {Pollutant::pm10, 200}, {Pollutant::o3, 100}};
  auto ispu = overall_ispu(air);
  ASSERT_TRUE(ispu);
  EXPECT_EQ(ispu->index, 125);
  EXPECT_EQ(ispu->dominant, Pollutant::pm10);
  EXPECT_EQ(ispu->category, IspuCategory::tidak_sehat);
}

TEST(IspuOverall, ATieGoesToTheEarlierPollutantWhateverTheOrder) {
  // PM10 100 and PM2.5 35.44 both give 75.
  const std::pair<Pollutant, double> air[] = {{Pollutant::pm10, 100}, {Pollutant::pm25, 35.44}};
  ASSERT_EQ(ispu_index(Pollutant::pm25, 35.44), 75);
  auto ispu = overall_ispu(air);
  ASSERT_TRUE(ispu);
  EXPECT_EQ(ispu->index, 75);
  EXPECT_EQ(ispu->dominant, Pollutant::pm25);
}

TEST(IspuOverall, SkipsConcentrationsThatCannotBeIndexed) {
  const std::pair<Pollutant, double> air[] = {{Pollutant::pm25, -5}, {Pollutant::co, 10000}};
  auto ispu = overall_ispu(air);
  ASSERT_TRUE(ispu);
  EXPECT_EQ(ispu->dominant, Pollutant::co);
  EXPECT_EQ(ispu->index, 129);
}

TEST(IspuOverall, NothingToIndexGivesNothing) {
  EXPECT_FALSE(overall_ispu({}));
  const std::pair<Pollutant, double> air[] = {{Pollutant::pm25, std::nan("")}};
  EXPECT_FALSE(overall_ispu(air));
}

TEST(IspuOverall, HazeReadsAsBerbahaya) {
  const std::pair<Pollutant, double> air[] = {{Pollutant::pm10, 1500}, {Pollutant::pm25, 800}};
  auto ispu = overall_ispu(air);
  ASSERT_TRUE(ispu);
  EXPECT_EQ(ispu->index, kIspuMax);
  EXPECT_EQ(ispu->category, IspuCategory::berbahaya);
  EXPECT_EQ(ispu->dominant, Pollutant::pm25);
}

// --- Names ---

TEST(IspuPollutant, NamesRoundTripAndDisplayAsWritten) {
  for (Pollutant p : kAll) EXPECT_EQ(parse_pollutant(to_string(p)), p);
  EXPECT_EQ(to_string(Pollutant::pm25), "pm25");
  EXPECT_EQ(display_name(Pollutant::pm25), "PM2.5");
  EXPECT_EQ(display_name(Pollutant::no2), "NO₂");
  EXPECT_FALSE(parse_pollutant("PM2.5"));
}

}  // namespace
}  // namespace balai::city
