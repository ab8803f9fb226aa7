#pragma once
// Demo sensors of Kota Madiun for `balai demo seed` and `balai serve --demo`, so the live
// dashboard (/kota), the NGSI-v2 API and the history are not empty on a fresh install.

#include <string>
#include <vector>

#include "app/app.h"
#include "core/result.h"
#include "core/time.h"
#include "modules/city/model.h"

namespace balai::city {

// Registers five road segments, two weather stations, three gauges on Kali Madiun, two
// air-quality stations and three panic buttons, each with a name and a place, and writes 24
// hours of readings (every 10 minutes, up to now) through ContextService::ingest with their
// observation times: rush hours at 06-08 and 16-18 WIB, an afternoon shower, the river rising
// after it from upstream to downstream, particulates washed out by the rain. Idempotent: an
// entity that already exists is left as it is (and gets no second history). city::install must
// have run. Blocks on the database.
[[nodiscard]] core::Status seed_demo(app::App& app);

// The demo's measuring sensors (not the panic buttons), for `balai demo sensors`, which
// registers a device for each and publishes their readings over MQTT.
struct DemoSensor {
  std::string entity_id;
  std::string entity_type;
};
std::vector<DemoSensor> demo_sensors();

// What every demo sensor measures at time `t` (ms): the same patterns as the seeded history, so
// the live values continue its lines.
std::vector<Reading> demo_readings(core::Zone zone, int64_t t);

}  // namespace balai::city
