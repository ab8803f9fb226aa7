#include "modules/city/model.h"

#include <array>
#include <utility>

namespace balai::city {
namespace {

constexpr std::array<std::pair<SensorKind, std::string_view>, 5> kKinds{{
    {SensorKind::traffic, "traffic"},
    {SensorKind::weather, "weather"},
    {SensorKind::water_level, "water_level"},
    {SensorKind::air_quality, "air_quality"},
    {SensorKind::security, "security"},
}};

}  // namespace

std::string_view to_string(SensorKind k) {
  for (const auto& [kind, name] : kKinds)
    if (kind == k) return name;
  return "weather";
}

std::optional<SensorKind> parse_sensor_kind(std::string_view text) {
  for (const auto& [kind, name] : kKinds)
    if (name == text) return kind;
  return std::nullopt;
}

}  // namespace balai::city
