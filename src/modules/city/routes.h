#pragma once
// Internal to the city module: its route tables.

#include "app/app.h"
#include "modules/city/service.h"

namespace balai::city {

class LiveFeed;

void install_readings_api(app::App& app, ContextService& service);  // readings_api.cpp
void install_stream_api(app::App& app, const LiveFeed& feed);       // stream_api.cpp
void install_ngsi_api(app::App& app, ContextService& service);      // ngsi_api.cpp: /v2
// /v2/subscriptions and the notification workers (a listener of the service).
void install_subscriptions(app::App& app, ContextService& service);  // subscription_api.cpp
// GET /api/v1/city/entities/{id}/history, and the roll-up and retention jobs.
void install_history(app::App& app, ContextService& service);  // history_api.cpp
// Alert rules evaluated on every change; alerts raised, acknowledged, resolved; public alerts.
void install_alerts(app::App& app, ContextService& service);  // alert_api.cpp
// The live city dashboard page /kota.
void install_dashboard(app::App& app, ContextService& service);  // dashboard_page.cpp

}  // namespace balai::city
