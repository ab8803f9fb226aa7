#include "core/geo.h"

#include <cmath>
#include <numbers>
#include <vector>

namespace balai::core {
namespace {

constexpr double kEarthRadiusM = 6'371'008.8;

double radians(int64_t e6) {
  return static_cast<double>(e6) / 1e6 * std::numbers::pi / 180.0;
}

}  // namespace

std::optional<int64_t> parse_degrees_e6(std::string_view text, int limit) {
  if (text.empty() || text.size() > 24) return std::nullopt;
  size_t i = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    ++i;
  }
  int64_t whole = 0;
  size_t digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    whole = whole * 10 + (text[i] - '0');
    if (whole > limit) return std::nullopt;
  }
  int64_t fraction = 0;
  int fraction_digits = 0;
  bool round_up = false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    size_t start = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (fraction_digits < 6) {
        fraction = fraction * 10 + (text[i] - '0');
        ++fraction_digits;
      } else if (i == start + 6) {
        round_up = text[i] >= '5';
      }
    }
    digits += i - start;
  }
  if (i != text.size() || digits == 0) return std::nullopt;
  while (fraction_digits < 6) fraction *= 10, ++fraction_digits;
  int64_t value = whole * 1'000'000 + fraction + (round_up ? 1 : 0);
  if (value > static_cast<int64_t>(limit) * 1'000'000) return std::nullopt;
  return negative ? -value : value;
}

std::optional<GeoPoint> parse_geo_point(std::string_view lat, std::string_view lon) {
  auto la = parse_degrees_e6(lat, 90);
  auto lo = parse_degrees_e6(lon, 180);
  if (!la || !lo) return std::nullopt;
  return GeoPoint{*la, *lo};
}

std::optional<GeoBox> parse_geo_box(std::string_view text) {
  std::vector<std::string_view> parts;
  while (true) {
    size_t comma = text.find(',');
    parts.push_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (parts.size() != 4) return std::nullopt;
  auto sw = parse_geo_point(parts[0], parts[1]);
  auto ne = parse_geo_point(parts[2], parts[3]);
  if (!sw || !ne || sw->lat_e6 >= ne->lat_e6 || sw->lon_e6 >= ne->lon_e6) return std::nullopt;
  return GeoBox{*sw, *ne};
}

std::string format_degrees_e6(int64_t value_e6) {
  const bool negative = value_e6 < 0;
  const uint64_t v = negative ? static_cast<uint64_t>(-value_e6) : static_cast<uint64_t>(value_e6);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%llu.%06llu", negative ? "-" : "",
                static_cast<unsigned long long>(v / 1'000'000),
                static_cast<unsigned long long>(v % 1'000'000));
  return buf;
}

double distance_m(GeoPoint a, GeoPoint b) {
  const double la1 = radians(a.lat_e6), la2 = radians(b.lat_e6);
  const double dla = la2 - la1, dlo = radians(b.lon_e6) - radians(a.lon_e6);
  const double h = std::sin(dla / 2) * std::sin(dla / 2) +
                   std::cos(la1) * std::cos(la2) * std::sin(dlo / 2) * std::sin(dlo / 2);
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(h)));
}

GeoBox box_around(GeoPoint p, int radius_m) {
  const double dlat_deg = radius_m / kEarthRadiusM * 180.0 / std::numbers::pi;
  const double coslat = std::max(0.01, std::cos(radians(p.lat_e6)));
  const double dlon_deg = dlat_deg / coslat;
  const auto dlat = static_cast<int64_t>(std::ceil(dlat_deg * 1e6));
  const auto dlon = static_cast<int64_t>(std::ceil(dlon_deg * 1e6));
  return {{p.lat_e6 - dlat, p.lon_e6 - dlon}, {p.lat_e6 + dlat, p.lon_e6 + dlon}};
}

}  // namespace balai::core
