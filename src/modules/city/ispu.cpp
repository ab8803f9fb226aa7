#include "modules/city/ispu.h"

#include <array>
#include <cmath>

namespace balai::city {
namespace {

constexpr size_t kPollutants = 7;

constexpr std::array<std::string_view, kPollutants> kNames{"pm25", "pm10", "so2", "co",
                                                           "o3",   "no2",  "hc"};
constexpr std::array<std::string_view, kPollutants> kDisplayNames{
    "PM2.5", "PM10", "SO\u2082", "CO", "O\u2083", "NO\u2082", "HC"};

using Table = std::array<IspuBreakpoint, 6>;

// Lampiran of P.14/MENLHK/SETJEN/KUM.1/7/2020, "konversi nilai konsentrasi parameter ISPU",
// all in µg/m³ (CO too). Columns per index 0 / 50 / 100 / 200 / 300 / 500 (the table's last
// row, "> 300", is the concentration the scale ends at).
constexpr std::array<Table, kPollutants> kTables{{
    // PM2.5
    {{{0, 0}, {15.5, 50}, {55.4, 100}, {150.4, 200}, {250.4, 300}, {500, 500}}},
    // PM10
    {{{0, 0}, {50, 50}, {150, 100}, {350, 200}, {420, 300}, {500, 500}}},
    // SO2
    {{{0, 0}, {52, 50}, {180, 100}, {400, 200}, {800, 300}, {1'200, 500}}},
    // CO
    {{{0, 0}, {4'000, 50}, {8'000, 100}, {15'000, 200}, {30'000, 300}, {45'000, 500}}},
    // O3
    {{{0, 0}, {120, 50}, {235, 100}, {400, 200}, {800, 300}, {1'000, 500}}},
    // NO2
    {{{0, 0}, {80, 50}, {200, 100}, {1'130, 200}, {2'260, 300}, {3'000, 500}}},
    // HC
    {{{0, 0}, {45, 50}, {100, 100}, {215, 200}, {432, 300}, {648, 500}}},
}};

// Colour names are the regulation's; the hex values are this project's rendering of them.
constexpr std::array<IspuCategoryInfo, 5> kCategories{{
    {IspuCategory::baik, "baik", "Baik", "Good", "green", "#00a651", 0, 50},
    {IspuCategory::sedang, "sedang", "Sedang", "Moderate", "blue", "#0072bc", 51, 100},
    {IspuCategory::tidak_sehat, "tidak_sehat", "Tidak Sehat", "Unhealthy", "yellow", "#ffd200", 101,
     200},
    {IspuCategory::sangat_tidak_sehat, "sangat_tidak_sehat", "Sangat Tidak Sehat", "Very Unhealthy",
     "red", "#ed1c24", 201, 300},
    {IspuCategory::berbahaya, "berbahaya", "Berbahaya", "Hazardous", "black", "#000000", 301,
     kIspuMax},
}};

// Half up, with a hair of tolerance so 74.5 computed as 74.4999999 still rounds to 75.
int round_half_up(double x) {
  return static_cast<int>(std::floor(x + 0.5 + 1e-9));
}

}  // namespace

std::string_view to_string(Pollutant p) {
  return kNames[static_cast<size_t>(p)];
}

std::optional<Pollutant> parse_pollutant(std::string_view text) {
  for (size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == text) return static_cast<Pollutant>(i);
  return std::nullopt;
}

std::string_view display_name(Pollutant p) {
  return kDisplayNames[static_cast<size_t>(p)];
}

std::span<const IspuBreakpoint> ispu_breakpoints(Pollutant p) {
  return kTables[static_cast<size_t>(p)];
}

std::optional<int> ispu_index(Pollutant p, double x) {
  if (!std::isfinite(x) || x < 0) return std::nullopt;
  const Table& table = kTables[static_cast<size_t>(p)];
  if (x >= table.back().concentration) return kIspuMax;
  for (size_t i = 1; i < table.size(); ++i) {
    const IspuBreakpoint& a = table[i];  // upper (Xa, Ia)
    if (x > a.concentration) continue;
    const IspuBreakpoint& b = table[i - 1];  // lower (Xb, Ib)
    const double index =
        double(a.index - b.index) / (a.concentration - b.concentration) * (x - b.concentration) +
        b.index;
    return round_half_up(index);
  }
  return kIspuMax;  // unreachable: x < the last breakpoint
}

IspuCategory ispu_category(int index) {
  for (const auto& c : kCategories)
    if (index <= c.max) return c.category;
  return IspuCategory::berbahaya;
}

const IspuCategoryInfo& category_info(IspuCategory c) {
  return kCategories[static_cast<size_t>(c)];
}

std::string_view to_string(IspuCategory c) {
  return category_info(c).key;
}

std::optional<IspuCategory> parse_ispu_category(std::string_view key) {
  for (const auto& c : kCategories)
    if (c.key == key) return c.category;
  return std::nullopt;
}

std::optional<Ispu> overall_ispu(std::span<const std::pair<Pollutant, double>> concentrations) {
  std::optional<Ispu> best;
  for (const auto& [pollutant, concentration] : concentrations) {
    auto index = ispu_index(pollutant, concentration);
    if (!index) continue;
    const bool wins =
        !best || *index > best->index || (*index == best->index && pollutant < best->dominant);
    if (wins) best = Ispu{*index, ispu_category(*index), pollutant};
  }
  return best;
}

}  // namespace balai::city
