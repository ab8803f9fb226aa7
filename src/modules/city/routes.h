#pragma once
// Internal to the city module: its route tables.

#include "app/app.h"
#include "modules/city/service.h"

namespace balai::city {

class LiveFeed;

void install_readings_api(app::App& app, ContextService& service);  // readings_api.cpp
void install_stream_api(app::App& app, const LiveFeed& feed);       // stream_api.cpp
void install_ngsi_api(app::App& app, ContextService& service);      // ngsi_api.cpp: /v2
// Alert rules evaluated on every change; alerts raised, acknowledged, resolved; public alerts.
void install_alerts(app::App& app, ContextService& service);  // alert_api.cpp

}  // namespace balai::city
