#pragma once
// ISPU (Indeks Standar Pencemar Udara), Indonesia's air quality index, as set by Peraturan
// Menteri Lingkungan Hidup dan Kehutanan P.14/MENLHK/SETJEN/KUM.1/7/2020 (which replaced
// Kep. MENLH 45/1997): each pollutant's measured concentration becomes an index by linear
// interpolation between the regulation's breakpoints,
//     I = (Ia - Ib) / (Xa - Xb) * (Xx - Xb) + Ib
// (Ia/Ib the indices at the upper/lower breakpoint, Xa/Xb their concentrations, Xx the
// measurement), rounded to a whole number; a station's ISPU is the highest pollutant index,
// and that pollutant is the dominant one. Pure; thread-safe.
//
// The function converts an average it is given: averaging the raw readings over the period
// the regulation names for each pollutant (24 hours for particulates) is the caller's job.

#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace balai::city {

// The pollutants of the ISPU table. The names (to_string) are FIWARE AirQualityObserved's
// attribute names where it has them.
enum class Pollutant { pm25, pm10, so2, co, o3, no2, hc };
std::string_view to_string(Pollutant p);  // "pm25", "pm10", "so2", "co", "o3", "no2", "hc"
std::optional<Pollutant> parse_pollutant(std::string_view text);
std::string_view display_name(Pollutant p);  // "PM2.5", "PM10", "SO₂", "CO", "O₃", "NO₂", "HC"

// One row of the regulation's conversion table: at this concentration (µg/m³) the index is
// this.
struct IspuBreakpoint {
  double concentration = 0;
  int index = 0;
};

// The pollutant's breakpoints, ascending, from {0, 0} to the table's top at index 500.
std::span<const IspuBreakpoint> ispu_breakpoints(Pollutant p);

inline constexpr int kIspuMax = 500;

// The index of one pollutant at a concentration in µg/m³, rounded half up. Above the table's
// top the index is kIspuMax: the scale ends there and "Berbahaya" is all it can say. nullopt
// for a negative or non-finite concentration.
std::optional<int> ispu_index(Pollutant p, double concentration_ugm3);

// The regulation's categories, each with its colour.
enum class IspuCategory {
  baik,                // 0..50, green
  sedang,              // 51..100, blue
  tidak_sehat,         // 101..200, yellow
  sangat_tidak_sehat,  // 201..300, red
  berbahaya,           // 301 and above, black
};

struct IspuCategoryInfo {
  IspuCategory category;
  std::string_view key;         // stable: "baik", "sedang", "tidak_sehat", ...
  std::string_view label_id;    // "Baik", "Sedang", "Tidak Sehat", "Sangat Tidak Sehat", ...
  std::string_view label_en;    // "Good", "Moderate", "Unhealthy", "Very Unhealthy", "Hazardous"
  std::string_view colour;      // the regulation's colour name: "green", "blue", "yellow", ...
  std::string_view colour_hex;  // a rendering of it for the UI, "#00a651"
  int min = 0;                  // the category's first index
  int max = 0;                  // its last (kIspuMax for berbahaya)
};

// The category of an index (negative counts as baik, above kIspuMax as berbahaya).
IspuCategory ispu_category(int index);
const IspuCategoryInfo& category_info(IspuCategory c);
std::string_view to_string(IspuCategory c);  // the key
std::optional<IspuCategory> parse_ispu_category(std::string_view key);

// A station's ISPU: the highest index among its pollutants and which pollutant gave it.
struct Ispu {
  int index = 0;
  IspuCategory category = IspuCategory::baik;
  Pollutant dominant = Pollutant::pm25;
};

// The ISPU of a set of concentrations (µg/m³). Concentrations that cannot be indexed
// (negative, not finite) are skipped; nullopt when none is left. On a tie, the pollutant
// earlier in the enum's order (PM2.5 first) is the dominant one, whatever the input order.
std::optional<Ispu> overall_ispu(std::span<const std::pair<Pollutant, double>> concentrations);

}  // namespace balai::city
