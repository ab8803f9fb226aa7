#pragma once
// Points on the earth in integer micro-degrees (exact to ~11 cm, no floating point in storage or
// comparisons) and the few calculations modules need: the city's area as a box, distance.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace balai::core {

// WGS 84 latitude and longitude in millionths of a degree.
struct GeoPoint {
  int64_t lat_e6 = 0;
  int64_t lon_e6 = 0;
  bool operator==(const GeoPoint&) const = default;
};

// A latitude/longitude box: south-west and north-east corners (does not cross 180°).
struct GeoBox {
  GeoPoint south_west;
  GeoPoint north_east;
  bool contains(GeoPoint p) const {
    return p.lat_e6 >= south_west.lat_e6 && p.lat_e6 <= north_east.lat_e6 &&
           p.lon_e6 >= south_west.lon_e6 && p.lon_e6 <= north_east.lon_e6;
  }
  GeoPoint center() const {
    return {(south_west.lat_e6 + north_east.lat_e6) / 2,
            (south_west.lon_e6 + north_east.lon_e6) / 2};
  }
};

// "-7.6298" -> -7629800: a decimal number of degrees with at most 6 decimals after the point
// are kept (more are rounded off), within [-limit, limit]. Nullopt for anything else ("abc",
// "1e5", "", "nan", " 7").
std::optional<int64_t> parse_degrees_e6(std::string_view text, int limit);
// Latitude (±90) and longitude (±180) as text.
std::optional<GeoPoint> parse_geo_point(std::string_view lat, std::string_view lon);
// "south,west,north,east" in decimal degrees; nullopt when malformed or inverted.
std::optional<GeoBox> parse_geo_box(std::string_view text);
// -7629800 -> "-7.629800".
std::string format_degrees_e6(int64_t value_e6);
// Great-circle distance in metres (haversine on a sphere of radius 6,371,008.8 m).
double distance_m(GeoPoint a, GeoPoint b);
// The box around `p` that contains every point within `radius_m` (for an index range query
// before the exact distance check).
GeoBox box_around(GeoPoint p, int radius_m);

}  // namespace balai::core
