#pragma once
// The city module as the app sees it: sensors and devices, the NGSI-v2 context API, readings
// over HTTP (and MQTT), history, alerts and the live dashboard (issue 6; built in steps, see
// docs/architecture.md "Smart city").

#include <vector>

#include "app/app.h"
#include "db/migrator.h"

namespace balai::city {

std::vector<db::Migration> migrations();
// Registers policy grants, the context service and the routes.
void install(app::App& app);
// The policy's grants of the city module (also for the command line, which installs no routes).
void allow_actions(security::Policy& policy);

}  // namespace balai::city
