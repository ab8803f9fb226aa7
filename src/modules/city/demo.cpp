// Demo sensors of Kota Madiun. Every value is a pure function of the time of day on the city's
// clock, so the 24 hours written are the same patterns whenever the demo is seeded:
//   traffic   volume and speed follow the rush hours (peaks at 07 and 17 WIB) and a quieter
//             working day; the busiest road jams at the peaks
//   weather   a warm day (23..32 °C) with one shower in the afternoon (peak around 15.15 WIB,
//             very heavy at the Balai Kota station for about half an hour)
//   river     Kali Madiun flows north: its gauges rise after the shower, upstream first
//             (1.5 h later), downstream last (3.5 h), and fall back slowly
//   air       particulates peak with the traffic and the evening's stillness, are washed out by
//             the rain; ozone follows the sun; ISPU from 24-hour particulate averages
// Small deterministic wobbles keep the lines from looking drawn with a ruler.
#include "modules/city/demo.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "modules/city/history_store.h"
#include "modules/city/ispu.h"
#include "modules/city/service.h"
#include "security/actor.h"

namespace balai::city {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kStep = 10 * kMinute;
constexpr int64_t kSpan = 24 * kHour;

struct Road {
  const char* id;
  const char* name;
  double lat, lon;
  double free_flow_kmh;
  double peak_volume;  // vehicles per hour at the peak
  double rush_drag;    // share of the free-flow speed lost at the peak
};
constexpr Road kRoads[] = {
    {"jalan-pahlawan", "Jl. Pahlawan", -7.6290, 111.5236, 40, 1'900, 0.52},
    {"jalan-cokroaminoto", "Jl. H.O.S. Cokroaminoto", -7.6262, 111.5262, 40, 1'500, 0.45},
    {"jalan-diponegoro", "Jl. Diponegoro", -7.6330, 111.5305, 50, 1'300, 0.40},
    {"jalan-yos-sudarso", "Jl. Yos Sudarso", -7.6225, 111.5318, 50, 1'100, 0.32},
    {"jalan-panjaitan", "Jl. Mayjen Panjaitan", -7.6420, 111.5210, 60, 1'700, 0.45},
};

struct Station {
  const char* id;
  const char* name;
  double lat, lon;
  double rain_peak_mm_h;
  double rain_delay_h;  // after 15.15
};
constexpr Station kWeather[] = {
    {"cuaca-balai-kota", "Stasiun Cuaca Balai Kota", -7.6302, 111.5286, 24, 0},
    {"cuaca-taman", "Stasiun Cuaca Taman", -7.6505, 111.5230, 14, 0.35},
};

struct Gauge {
  const char* id;
  const char* name;
  double lat, lon;
  double base_cm, rise_cm, lag_h;
  double waspada, siaga, awas;
  bool reports_flow;
};
constexpr Gauge kGauges[] = {
    {"kali-madiun-hulu", "Kali Madiun, Pos Manisrejo (hulu)", -7.6600, 111.5080, 80, 60, 1.5, 120,
     150, 180, false},
    {"kali-madiun-tengah", "Kali Madiun, Pos Winongo (tengah)", -7.6300, 111.5030, 95, 72, 2.5, 130,
     160, 190, false},
    {"kali-madiun-hilir", "Kali Madiun, Pos Nambangan (hilir)", -7.6030, 111.5070, 110, 68, 3.5,
     140, 170, 200, true},
};

struct AirStation {
  const char* id;
  const char* name;
  double lat, lon;
  double pm25_base, pm25_traffic;
};
constexpr AirStation kAir[] = {
    {"udara-alun-alun", "Stasiun Udara Alun-alun", -7.6295, 111.5241, 20, 32},
    {"udara-taman", "Stasiun Udara Taman", -7.6480, 111.5150, 14, 16},
};

struct PanicButton {
  const char* id;
  const char* name;
  double lat, lon;
};
constexpr PanicButton kPanicButtons[] = {
    {"panik-alun-alun", "Tombol Darurat Alun-alun", -7.6293, 111.5245},
    {"panik-stasiun", "Tombol Darurat Stasiun Madiun", -7.6169, 111.5237},
    {"panik-terminal", "Tombol Darurat Terminal Purboyo", -7.6530, 111.5330},
};

double gauss(double x, double centre, double width) {
  const double z = (x - centre) / width;
  return std::exp(-0.5 * z * z);
}

double logistic(double x, double centre, double steepness) {
  return 1 / (1 + std::exp(-(x - centre) * steepness));
}

// A small repeatable wobble in [-1, 1] for a series and a time.
double wobble(std::string_view series, int64_t t_ms) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : series) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  h = (h ^ static_cast<uint64_t>(t_ms / kStep)) * 1099511628211ULL;
  h ^= h >> 29;
  return static_cast<double>(h % 2001) / 1000.0 - 1.0;
}

// The city's clock as hours since local midnight (fractional), and the local midnight.
struct CityClock {
  int64_t offset_ms;
  double hour(int64_t t) const {
    const int64_t local = t + offset_ms;
    const int64_t in_day = ((local % (24 * kHour)) + 24 * kHour) % (24 * kHour);
    return static_cast<double>(in_day) / kHour;
  }
  int64_t midnight(int64_t t) const {
    const int64_t local = t + offset_ms;
    return local - (((local % (24 * kHour)) + 24 * kHour) % (24 * kHour)) - offset_ms;
  }
};

// Rush hours (1 at 07 and 17) and the working day (0 at night, 1 from about 06 to 21).
double rush(double h) {
  return std::max(gauss(h, 7.0, 0.75), gauss(h, 17.0, 0.85));
}
double daytime(double h) {
  return logistic(h, 5.5, 3) * (1 - logistic(h, 21.5, 2));
}

// The afternoon shower of each day (raised cosine over two hours), in mm/h.
double rain_rate(const CityClock& clock, const Station& s, int64_t t) {
  double total = 0;
  for (int back = 0; back <= 1; ++back) {
    const int64_t centre = clock.midnight(t) - back * 24 * kHour +
                           static_cast<int64_t>((15.25 + s.rain_delay_h) * kHour);
    const double x = static_cast<double>(t - centre) / kHour;  // hours from the peak
    if (std::abs(x) < 1.0)
      total += s.rain_peak_mm_h * std::pow(std::cos(std::numbers::pi * x / 2), 2);
  }
  return total;
}

// How wet it has lately been (0..1): rises with the shower, dries over about two hours.
double wetness(const CityClock& clock, int64_t t) {
  double w = 0;
  for (int back = 0; back <= 1; ++back) {
    const int64_t start =
        clock.midnight(t) - back * 24 * kHour + static_cast<int64_t>(14.3 * kHour);
    const double x = static_cast<double>(t - start) / kHour;
    if (x > 0) w = std::max(w, std::min(1.0, x / 0.8) * std::exp(-std::max(0.0, x - 2.0) / 2.0));
  }
  return w;
}

// A gauge's rise after the shower: a unit hydrograph peaking `lag` hours after the rain's peak.
double river_rise(const CityClock& clock, const Gauge& g, int64_t t) {
  double rise = 0;
  for (int back = 0; back <= 2; ++back) {
    const int64_t peak_rain =
        clock.midnight(t) - back * 24 * kHour + static_cast<int64_t>(15.25 * kHour);
    const double x = static_cast<double>(t - peak_rain) / kHour;
    if (x > 0) rise += g.rise_cm * (x / g.lag_h) * std::exp(1 - x / g.lag_h);
  }
  return rise;
}

double pm25(const CityClock& clock, const AirStation& a, int64_t t) {
  const double h = clock.hour(t);
  const double evening_still = gauss(h, 21.0, 2.0);  // a shallow night layer keeps the smoke in
  const double raw = a.pm25_base + a.pm25_traffic * rush(h) + 9 * evening_still;
  return std::max(3.0, raw * (1 - 0.55 * wetness(clock, t)) * (1 + 0.06 * wobble(a.id, t)));
}

double mean_pm25(const CityClock& clock, const AirStation& a, int64_t t) {
  double sum = 0;
  int n = 0;
  for (int64_t s = t - kSpan + kStep; s <= t; s += kStep, ++n) sum += pm25(clock, a, s);
  return sum / n;
}

Reading reading(const char* entity, const char* attr, double value, int64_t t, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return Reading{entity, attr, boost::json::value(std::round(value * scale) / scale), "", t};
}

void add_traffic(std::vector<Reading>& out, const CityClock& clock, const Road& r, int64_t t) {
  const double h = clock.hour(t);
  const double busy = std::min(1.0, 0.08 + 0.4 * daytime(h) + 0.6 * rush(h));
  const double share = std::clamp(
      0.96 - 0.18 * daytime(h) - r.rush_drag * rush(h) - 0.12 * wetness(clock, t), 0.08, 1.0);
  const double jitter = 1 + 0.04 * wobble(r.id, t);
  out.push_back(reading(r.id, "intensity", r.peak_volume * busy * jitter, t, 0));
  out.push_back(reading(r.id, "averageVehicleSpeed", r.free_flow_kmh * share * jitter, t, 1));
  out.push_back(
      reading(r.id, "occupancy", std::clamp(0.03 + 0.55 * busy * (1 - share), 0.0, 0.9), t, 2));
}

void add_weather(std::vector<Reading>& out, const CityClock& clock, const Station& s, int64_t t) {
  const double h = clock.hour(t);
  const double wet = wetness(clock, t);
  const double temperature = 27.8 + 4.6 * std::sin(2 * std::numbers::pi * (h - 8.5) / 24) -
                             4.0 * wet + 0.2 * wobble(s.id, t);
  const double rate = rain_rate(clock, s, t);
  out.push_back(reading(s.id, "temperature", temperature, t, 1));
  out.push_back(reading(s.id, "relativeHumidity",
                        std::clamp(93 - 3.2 * (temperature - 23) + 12 * wet, 40.0, 99.0), t, 0));
  out.push_back(reading(s.id, "precipitation", rate, t, 1));
  out.push_back(reading(s.id, "windSpeed",
                        1.2 + 1.8 * daytime(h) + 5 * gauss(h, 15.0, 0.6) + 0.3 * wobble(s.id, t), t,
                        1));
  out.push_back(
      reading(s.id, "windDirection", 140 + 25 * std::sin(h / 3) + 8 * wobble(s.name, t), t, 0));
}

void add_river(std::vector<Reading>& out, const CityClock& clock, const Gauge& g, int64_t t) {
  const double level = g.base_cm + river_rise(clock, g, t) + 0.8 * wobble(g.id, t);
  out.push_back(reading(g.id, "waterLevel", level, t, 1));
  // A rating curve of the kind fitted at a gauge: discharge grows with the depth's 1.5 power.
  if (g.reports_flow)
    out.push_back(reading(g.id, "flow", 0.05 * std::pow(std::max(0.0, level - 40), 1.5), t, 1));
}

void add_air(std::vector<Reading>& out, const CityClock& clock, const AirStation& a, int64_t t) {
  const double h = clock.hour(t);
  const double traffic = rush(h);
  const double fine = pm25(clock, a, t);
  const double sun = std::max(0.0, std::sin(std::numbers::pi * (h - 6.5) / 12));
  const double no2 = 14 + 38 * traffic * a.pm25_traffic / 32;
  const double co = 650 + 1'600 * traffic * a.pm25_traffic / 32;
  const double o3 = 18 + 75 * sun * (1 - 0.4 * wetness(clock, t));
  const double so2 = 11 + 5 * traffic;
  out.push_back(reading(a.id, "pm25", fine, t, 1));
  out.push_back(reading(a.id, "pm10", 1.7 * fine + 6, t, 1));
  out.push_back(reading(a.id, "no2", no2, t, 1));
  out.push_back(reading(a.id, "co", co, t, 0));
  out.push_back(reading(a.id, "o3", o3, t, 1));
  out.push_back(reading(a.id, "so2", so2, t, 1));
  // The station's ISPU: particulates averaged over 24 hours (as the regulation asks), the
  // gases as measured.
  const double mean_fine = mean_pm25(clock, a, t);
  const std::pair<Pollutant, double> parts[] = {
      {Pollutant::pm25, mean_fine}, {Pollutant::pm10, 1.7 * mean_fine + 6},
      {Pollutant::no2, no2},        {Pollutant::co, co},
      {Pollutant::o3, o3},          {Pollutant::so2, so2}};
  if (auto ispu = overall_ispu(parts)) out.push_back(reading(a.id, "ispu", ispu->index, t, 0));
}

std::string point_text(double lat, double lon) {
  return fmt::format("{:.4f}, {:.4f}", lat, lon);
}

EntityChange entity(const char* id, const char* type, const char* name, double lat, double lon) {
  EntityChange c;
  c.id = id;
  c.type = type;
  c.attrs["name"] = Attribute{"Text", boost::json::value(name), {}};
  c.attrs["location"] = Attribute{"geo:point", boost::json::value(point_text(lat, lon)), {}};
  return c;
}

// Creates the entity; false when it already exists (then it keeps its state and history).
core::Result<bool> create(ContextService& context, const security::Actor& actor,
                          const EntityChange& change) {
  auto created = context.create(actor, Scope{}, change, /*upsert=*/false);
  if (!created && created.error().code == core::ErrorCode::conflict) return false;
  return created;
}

}  // namespace

std::vector<DemoSensor> demo_sensors() {
  std::vector<DemoSensor> out;
  for (const Road& r : kRoads) out.push_back({r.id, "TrafficFlowObserved"});
  for (const Station& s : kWeather) out.push_back({s.id, "WeatherObserved"});
  for (const Gauge& g : kGauges) out.push_back({g.id, "WaterLevelObserved"});
  for (const AirStation& a : kAir) out.push_back({a.id, "AirQualityObserved"});
  return out;
}

std::vector<Reading> demo_readings(core::Zone zone, int64_t t) {
  const CityClock clock{static_cast<int64_t>(core::offset_minutes(zone)) * kMinute};
  std::vector<Reading> out;
  for (const Road& r : kRoads) add_traffic(out, clock, r, t);
  for (const Station& s : kWeather) add_weather(out, clock, s, t);
  for (const Gauge& g : kGauges) add_river(out, clock, g, t);
  for (const AirStation& a : kAir) add_air(out, clock, a, t);
  return out;
}

core::Status seed_demo(app::App& app) {
  ContextService& context = service_of(app);
  const security::Actor system{
      "system", security::Role::admin, "", security::AuthMethod::session, "", {}};
  const CityClock clock{static_cast<int64_t>(core::offset_minutes(app.config.city.zone)) * kMinute};
  const int64_t now = app.clock.now().ms;
  const int64_t last = now - now % kStep;
  std::vector<int64_t> times;
  for (int64_t t = last - kSpan + kStep; t <= last; t += kStep) times.push_back(t);

  std::vector<Reading> readings;
  for (const Road& r : kRoads) {
    EntityChange c = entity(r.id, "TrafficFlowObserved", r.name, r.lat, r.lon);
    c.attrs["freeFlowSpeed"] = Attribute{"Number", boost::json::value(r.free_flow_kmh), {}};
    auto fresh = create(context, system, c);
    if (!fresh) return fresh.take_error();
    if (*fresh)
      for (int64_t t : times) add_traffic(readings, clock, r, t);
  }
  for (const Station& s : kWeather) {
    auto fresh = create(context, system, entity(s.id, "WeatherObserved", s.name, s.lat, s.lon));
    if (!fresh) return fresh.take_error();
    if (*fresh)
      for (int64_t t : times) add_weather(readings, clock, s, t);
  }
  for (const Gauge& g : kGauges) {
    EntityChange c = entity(g.id, "WaterLevelObserved", g.name, g.lat, g.lon);
    c.attrs["alertLevels"] =
        Attribute{"StructuredValue",
                  boost::json::object{{"waspada", g.waspada}, {"siaga", g.siaga}, {"awas", g.awas}},
                  {}};
    auto fresh = create(context, system, c);
    if (!fresh) return fresh.take_error();
    if (*fresh)
      for (int64_t t : times) add_river(readings, clock, g, t);
  }
  for (const AirStation& a : kAir) {
    auto fresh = create(context, system, entity(a.id, "AirQualityObserved", a.name, a.lat, a.lon));
    if (!fresh) return fresh.take_error();
    if (*fresh)
      for (int64_t t : times) add_air(readings, clock, a, t);
  }
  for (const PanicButton& p : kPanicButtons) {
    auto fresh = create(context, system, entity(p.id, "SecurityIncident", p.name, p.lat, p.lon));
    if (!fresh) return fresh.take_error();
    // Earlier today someone fainted at the square; the command centre sent an ambulance.
    if (*fresh && std::string_view(p.id) == "panik-alun-alun") {
      const int64_t t = last - 5 * kHour;
      readings.push_back(Reading{p.id, "category", boost::json::value("medical"), "", t});
      readings.push_back(Reading{p.id, "severity", boost::json::value("medium"), "", t});
      readings.push_back(Reading{p.id, "description",
                                 boost::json::value("Pengunjung pingsan; ditangani PSC 119."), "",
                                 t});
    }
  }
  if (readings.empty()) return {};
  auto report = context.ingest(system, readings);
  if (!report) return report.take_error();
  if (!report->refused.empty())
    return core::make_error(core::ErrorCode::internal,
                            "demo reading refused: " + report->refused.front().message);
  // Rolled up at once, so that the dashboard's first charts read buckets, not a day of rows.
  auto moved =
      HistoryStore(app.db).catch_up(JobLimits{app.config.sensors.history_rollup_rows, 1'000});
  if (!moved) return moved.take_error();
  return {};
}

}  // namespace balai::city
