#include "core/geo.h"

#include <gtest/gtest.h>

#include <cmath>

namespace balai::core {
namespace {

TEST(GeoDegrees, ParsesDecimalDegreesExactly) {
  EXPECT_EQ(parse_degrees_e6("-7.6298", 90), -7'629'800);
  EXPECT_EQ(parse_degrees_e6("111.523900", 180), 111'523'900);
  EXPECT_EQ(parse_degrees_e6("+0.5", 90), 500'000);
  EXPECT_EQ(parse_degrees_e6("7", 90), 7'000'000);
  EXPECT_EQ(parse_degrees_e6(".25", 90), 250'000);
  // A seventh decimal rounds the sixth.
  EXPECT_EQ(parse_degrees_e6("1.0000005", 90), 1'000'001);
  EXPECT_EQ(parse_degrees_e6("1.0000004", 90), 1'000'000);
  EXPECT_EQ(parse_degrees_e6("90", 90), 90'000'000);
}

TEST(GeoDegrees, RefusesWhatIsNotADecimalNumberInRange) {
  for (const char* bad : {"", "abc", "1e5", "nan", " 7", "7 ", "1,5", "-", ".", "90.000001", "--1",
                          "1.2.3", "0x10", "12345678901234567890123456"})
    EXPECT_FALSE(parse_degrees_e6(bad, 90)) << bad;
  EXPECT_FALSE(parse_degrees_e6("180.5", 180));
}

TEST(GeoPoint, NeedsBothCoordinatesInRange) {
  auto p = parse_geo_point("-7.6298", "111.5239");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->lat_e6, -7'629'800);
  EXPECT_EQ(p->lon_e6, 111'523'900);
  EXPECT_FALSE(parse_geo_point("91", "0"));
  EXPECT_FALSE(parse_geo_point("0", "181"));
  EXPECT_EQ(format_degrees_e6(-7'629'800), "-7.629800");
  EXPECT_EQ(format_degrees_e6(111'000'001), "111.000001");
  EXPECT_EQ(format_degrees_e6(-500), "-0.000500");
}

TEST(GeoBox, ParsesSouthWestNorthEastAndContains) {
  auto box = parse_geo_box("-7.68,111.48,-7.57,111.57");
  ASSERT_TRUE(box);
  EXPECT_TRUE(box->contains({-7'629'800, 111'523'900}));
  EXPECT_FALSE(box->contains({-6'200'000, 106'816'000}));  // Jakarta
  EXPECT_TRUE(box->contains(box->south_west));
  EXPECT_EQ(box->center().lat_e6, -7'625'000);
  EXPECT_FALSE(parse_geo_box("-7.57,111.48,-7.68,111.57"));  // inverted
  EXPECT_FALSE(parse_geo_box("-7.68,111.48,-7.57"));
  EXPECT_FALSE(parse_geo_box("a,b,c,d"));
}

TEST(GeoDistance, MatchesKnownDistances) {
  // One thousandth of a degree of latitude is about 111 m everywhere.
  EXPECT_NEAR(distance_m({-7'629'800, 111'523'900}, {-7'628'800, 111'523'900}), 111.2, 0.5);
  // Madiun to Surabaya, about 145 km as the crow flies.
  EXPECT_NEAR(distance_m({-7'629'800, 111'523'900}, {-7'257'500, 112'752'100}) / 1000, 141.0, 5);
  EXPECT_EQ(distance_m({1, 1}, {1, 1}), 0.0);
}

TEST(GeoDistance, BoxAroundHoldsEveryPointWithinTheRadius) {
  const GeoPoint centre{-7'629'800, 111'523'900};
  const GeoBox box = box_around(centre, 200);
  for (int bearing = 0; bearing < 360; bearing += 15) {
    // Points just inside 200 m in each direction.
    const double rad = bearing * 3.14159265358979 / 180;
    const GeoPoint p{centre.lat_e6 + static_cast<int64_t>(std::cos(rad) * 1790),
                     centre.lon_e6 + static_cast<int64_t>(std::sin(rad) * 1800)};
    if (distance_m(centre, p) <= 200) {
      EXPECT_TRUE(box.contains(p)) << bearing;
    }
  }
  EXPECT_FALSE(box.contains({centre.lat_e6 + 3'000, centre.lon_e6}));
}

}  // namespace
}  // namespace balai::core
